// Tests of primary rules, rules config, rounding, secondary suppression on hand-checked tables, symbols.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "das/protect/audit.h"
#include "das/protect/protect.h"
#include "test_tables.h"

namespace das::protect {
namespace {

using testing::Flat;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

PTable ShippedTable() {
  auto t = PTable::FromCsv(ReadAll(std::string(DAS_SOURCE_DIR) + "/config/protect/ptable_D3_V2_js2.csv"), "pt");
  EXPECT_TRUE(t.ok());
  return t.ok() ? *t : PTable{};
}

// 3x3 table with margins:      x   y   z
//                           a  2   8  10
//                           b  6   5   9
//                           c  7  12   4
CellTable Small() {
  auto t = CellTable::Create({Flat("r", {"a", "b", "c"}), Flat("c", {"x", "y", "z"})}, TableKind::kCount);
  EXPECT_TRUE(t.ok());
  const std::int64_t v[3][3] = {{2, 8, 10}, {6, 5, 9}, {7, 12, 4}};
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) t->count[t->Index({r + 1, c + 1})] = v[r][c];
  }
  t->FillMargins();
  return std::move(*t);
}

std::vector<std::string> SuppressedCells(const CellTable& t, const ProtectedTable& p) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    if (p.status[i] == CellStatus::kPublished) continue;
    out.push_back(t.dims()[0].code(t.CodeOf(i, 0)) + t.dims()[1].code(t.CodeOf(i, 1)) +
                  (p.status[i] == CellStatus::kSuppressedPrimary ? "!" : ""));
  }
  return out;
}

TableRules CountRules(SecondaryMethod secondary, ValueMethod method = ValueMethod::kNone) {
  TableRules r;
  r.name = "t";
  r.secondary = secondary;
  r.value_method = method;
  return r;
}

TEST(PrimaryRules, FrequencyOnCounts) {
  const CellTable t = Small();
  auto p = ApplyPrimaryRules(t, CountRules(SecondaryMethod::kNone));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->num_unsafe, 1u);
  const std::size_t ax = t.Index({1, 1});
  EXPECT_EQ(p->unsafe[ax], 1);
  EXPECT_EQ(p->upper[ax], 2);  // attacker must not exclude 4 = maxN + 1
  EXPECT_EQ(p->lower[ax], 1);
  EXPECT_EQ(p->unsafe[t.Index({3, 3})], 0);  // 4 > maxN
}

TEST(PrimaryRules, DominanceAndPPercentOnAmounts) {
  auto t = CellTable::Create({Flat("r", {"a", "b", "c"})}, TableKind::kAmount);
  ASSERT_TRUE(t.ok());
  auto set = [&](int i, std::int64_t n, double amt, double t1, double t2) {
    t->count[i] = n;
    t->amount[i] = amt;
    t->top1[i] = t1;
    t->top2[i] = t2;
  };
  set(1, 5, 1000, 900, 50);   // (2,85): 950 > 850 -> need 100/85*950 - 1000; p10: 90 - 50 = 40
  set(2, 10, 1000, 300, 200); // safe
  set(3, 2, 100, 60, 40);     // frequency (30% of 100 = 30), dominance 17.6, p% 6
  t->FillMargins();
  TableRules r;
  r.name = "boetes";
  r.kind = TableKind::kAmount;
  r.p_percent = 10;
  auto p = ApplyPrimaryRules(*t, r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->unsafe, (std::vector<std::uint8_t>{0, 1, 0, 1}));
  EXPECT_DOUBLE_EQ(p->upper[1], 100.0 / 85 * 950 - 1000);
  EXPECT_DOUBLE_EQ(p->lower[1], 100.0 / 85 * 950 - 1000);
  EXPECT_DOUBLE_EQ(p->upper[3], 30);
  // The total (count 17, 2100, top 900 + 300) is safe: 1200 < 1785 and 2100 - 1200 >= 90.
  EXPECT_EQ(p->unsafe[0], 0);
  r.kind = TableKind::kCount;
  EXPECT_EQ(ApplyPrimaryRules(*t, r).status().message(),
            "protect: table 'boetes': rules are for another kind of table");
}

TEST(PrimaryRules, BadInputIsAnErrorNotACrash) {
  CellTable t = Small();
  t.count[t.Index({2, 2})] = -1;
  EXPECT_EQ(Protect(t, CountRules(SecondaryMethod::kHeuristic), nullptr).status().message(),
            "protect: table 't': cell 10: negative count -1");
  TableRules r = CountRules(SecondaryMethod::kHeuristic, ValueMethod::kRound);
  r.round_base = 0;
  EXPECT_EQ(Protect(Small(), r, nullptr).status().message(), "protect: table 't': round_base must be >= 1");
}

TEST(Rounding, CbsBases) {
  EXPECT_EQ(RoundToBase(std::int64_t{14}, 5), 15);
  EXPECT_EQ(RoundToBase(std::int64_t{12}, 5), 10);
  EXPECT_EQ(RoundToBase(std::int64_t{15}, 10), 20);
  EXPECT_EQ(RoundToBase(std::int64_t{4}, 10), 0);
  EXPECT_EQ(RoundToBase(std::int64_t{5}, 10), 10);
  EXPECT_EQ(RoundToBase(std::int64_t{1234}, 1), 1234);
  EXPECT_DOUBLE_EQ(RoundToBase(1499.99, 1000), 1000);
  EXPECT_DOUBLE_EQ(RoundToBase(1500.0, 1000), 2000);
}

TEST(Secondary, HeuristicSuppressesTheCheapestRectangle) {
  const CellTable t = Small();
  auto p = Protect(t, CountRules(SecondaryMethod::kHeuristic), nullptr);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(SuppressedCells(t, *p), (std::vector<std::string>{"ax!", "ay", "bx", "by"}));
  EXPECT_EQ(p->num_primary, 1u);
  EXPECT_EQ(p->secondary.num_secondary, 3u);
  EXPECT_EQ(p->secondary.suppressed_value, 19);
  // The attacker sees everything else: a.x in [2 - min(2, 5), 2 + min(8, 6)] = [0, 8].
  auto iv = AttackerIntervals(t, p->value, 47, {t.Index({1, 1})});
  ASSERT_TRUE(iv.ok());
  EXPECT_NEAR((*iv)[0].lo, 0, 1e-9);
  EXPECT_NEAR((*iv)[0].hi, 8, 1e-9);
}

TEST(Secondary, OptimalWithCbcFindsTheSameMinimum) {
  const CellTable t = Small();
  auto p = Protect(t, CountRules(SecondaryMethod::kOptimal), nullptr);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // Options: {ay,bx,by} costs 8+6+5 (+1 each), {az,cx,cz} 10+7+4, {ay,cx,cy} 8+7+12, ... -> {ay,bx,by}.
  EXPECT_EQ(SuppressedCells(t, *p), (std::vector<std::string>{"ax!", "ay", "bx", "by"}));
  EXPECT_TRUE(p->secondary.proven_optimal);
  EXPECT_EQ(p->secondary.suppressed_value, 19);
  TableRules r = CountRules(SecondaryMethod::kOptimal);
  r.optimal_max_cells = 10;
  EXPECT_EQ(Protect(t, r, nullptr).status().message(),
            "protect: table 't': optimal secondary suppression: 16 cells > optimal_max_cells 10; use the heuristic");
}

TEST(Secondary, PartnerMustCarryTheProtection) {
  // a.x = 1 (needs the attacker's upper bound >= 4); its row partners are 1 and 2 -> a.y alone cannot absorb 3.
  auto t = CellTable::Create({Flat("r", {"a", "b"}), Flat("c", {"x", "y", "z"})}, TableKind::kCount);
  ASSERT_TRUE(t.ok());
  const std::int64_t v[2][3] = {{1, 5, 2}, {9, 8, 7}};
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 3; ++c) t->count[t->Index({r + 1, c + 1})] = v[r][c];
  }
  t->FillMargins();
  for (SecondaryMethod m : {SecondaryMethod::kHeuristic, SecondaryMethod::kOptimal}) {
    auto p = Protect(*t, CountRules(m), nullptr);
    ASSERT_TRUE(p.ok());
    auto primary = ApplyPrimaryRules(*t, CountRules(m));
    std::vector<std::uint8_t> sup(t->num_cells());
    for (std::size_t i = 0; i < sup.size(); ++i) sup[i] = p->status[i] != CellStatus::kPublished;
    auto fails = AuditSuppression(*t, *primary, sup);
    ASSERT_TRUE(fails.ok());
    EXPECT_TRUE(fails->empty()) << static_cast<int>(m);
    // a.z = 2 is itself unsafe; both a.x and a.z are primaries.
    EXPECT_EQ(p->num_primary, 2u);
  }
}

TEST(Secondary, AmountTableWithDominanceIsProtected) {
  // Fines by region x offence: one dominated cell (a.x: one payer 9,000 of 9,500) and one with 2 payers (b.z).
  auto t = CellTable::Create({Flat("r", {"a", "b", "c"}), Flat("c", {"x", "y", "z"})}, TableKind::kAmount);
  ASSERT_TRUE(t.ok());
  struct V { std::int64_t n; double amt, t1, t2; };
  const V v[3][3] = {{{6, 9500, 9000, 100}, {20, 12000, 1500, 1200}, {15, 8000, 900, 800}},
                     {{12, 7000, 1000, 900}, {30, 15000, 1100, 1000}, {2, 700, 400, 300}},
                     {{25, 11000, 800, 700}, {18, 9000, 1200, 1000}, {22, 10000, 900, 850}}};
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 3; ++c) {
      const std::size_t i = t->Index({r + 1, c + 1});
      t->count[i] = v[r][c].n;
      t->amount[i] = v[r][c].amt;
      t->top1[i] = v[r][c].t1;
      t->top2[i] = v[r][c].t2;
    }
  }
  t->FillMargins();
  TableRules r;
  r.name = "boetes";
  r.kind = TableKind::kAmount;
  r.p_percent = 10;
  r.value_method = ValueMethod::kRound;
  r.round_base = 1000;
  for (SecondaryMethod m : {SecondaryMethod::kHeuristic, SecondaryMethod::kOptimal}) {
    r.secondary = m;
    auto p = Protect(*t, r, nullptr);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    EXPECT_EQ(p->num_primary, 2u);
    EXPECT_EQ(p->status[t->Index({1, 1})], CellStatus::kSuppressedPrimary);
    EXPECT_EQ(p->status[t->Index({2, 3})], CellStatus::kSuppressedPrimary);
    EXPECT_TRUE(p->secondary.audited);
    auto primary = ApplyPrimaryRules(*t, r);
    std::vector<std::uint8_t> sup(t->num_cells());
    for (std::size_t i = 0; i < sup.size(); ++i) sup[i] = p->status[i] != CellStatus::kPublished;
    auto fails = AuditSuppression(*t, *primary, sup);
    ASSERT_TRUE(fails.ok());
    EXPECT_TRUE(fails->empty());
    EXPECT_EQ(*p->value[0], 82000);  // grand total 82,200 rounded to 1,000
  }
}

TEST(Output, SymbolsAndTypedTable) {
  const CellTable t = Small();
  auto p = Protect(t, CountRules(SecondaryMethod::kHeuristic, ValueMethod::kRound), nullptr);
  ASSERT_TRUE(p.ok());
  const std::size_t ax = t.Index({1, 1}), cz = t.Index({3, 3}), tt = t.Index({0, 0}), cy = t.Index({3, 2});
  EXPECT_EQ(p->Untyped(ax), "x");
  EXPECT_FALSE(p->value[ax].has_value());
  EXPECT_EQ(p->Untyped(cz), "-");  // 4 rounds to 0, shown as nil like every published zero
  EXPECT_EQ(p->Untyped(tt), "60");  // 63 -> 60
  EXPECT_EQ(p->Untyped(cy), "10");
  const Table typed = ToTable(t, *p);
  ASSERT_EQ(typed.num_columns(), 5u);
  EXPECT_EQ(typed.column(0).name(), "r");
  EXPECT_EQ(typed.column(2).name(), "value");
  EXPECT_EQ(typed.column(2).type(), ColumnType::kInt64);
  EXPECT_TRUE(typed.column(2).IsNull(ax));  // null, never zero
  EXPECT_EQ(typed.column(2).GetInt(cz), 0);
  EXPECT_EQ(typed.column(3).GetString(ax), "suppressed_primary");
  EXPECT_EQ(typed.column(3).GetString(t.Index({1, 2})), "suppressed_secondary");
  EXPECT_EQ(typed.column(4).GetString(tt), "60");
  EXPECT_EQ(typed.column(0).GetString(ax), "a");
  EXPECT_EQ(typed.column(1).GetString(ax), "x");
}

TEST(Output, CellKeyMethodPublishesPtableValues) {
  CellTable t = Small();
  for (std::size_t i = 0; i < t.num_cells(); ++i) t.cell_key[i] = static_cast<std::uint32_t>((i * 37) % 256);
  const PTable pt = ShippedTable();
  auto p = Protect(t, CountRules(SecondaryMethod::kHeuristic, ValueMethod::kCellKey), &pt);
  ASSERT_TRUE(p.ok());
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    if (p->status[i] != CellStatus::kPublished) continue;
    EXPECT_EQ(*p->value[i], static_cast<double>(pt.Perturb(t.count[i], t.cell_key[i]))) << i;
  }
  // Cell (r=T, c=T): count 63, key 0 -> row 9, [0,9) -> -3.
  EXPECT_EQ(*p->value[0], 60);
  EXPECT_EQ(Protect(t, CountRules(SecondaryMethod::kHeuristic, ValueMethod::kCellKey), nullptr).status().message(),
            "protect: table 't': method ckm needs a perturbation table");
}

TEST(Config, ShippedRulesAndErrors) {
  const std::string path = std::string(DAS_SOURCE_DIR) + "/config/protect/rules.toml";
  auto c = RulesConfig::Parse(ReadAll(path), "rules.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  const TableRules d = c->For("misdrijven_gemeente");
  EXPECT_EQ(d.name, "misdrijven_gemeente");
  EXPECT_EQ(d.frequency_max_n, 3);
  EXPECT_EQ(d.value_method, ValueMethod::kCellKey);
  EXPECT_EQ(d.secondary, SecondaryMethod::kHeuristic);
  const TableRules f = c->For("cjib_boetes");
  EXPECT_EQ(f.kind, TableKind::kAmount);
  EXPECT_EQ(f.dominance_n, 2);
  EXPECT_EQ(f.dominance_k, 85);
  EXPECT_EQ(f.p_percent, 10);
  EXPECT_EQ(f.value_method, ValueMethod::kRound);
  EXPECT_EQ(f.round_base, 1000);
  EXPECT_EQ(c->For("doorlooptijden_aantallen").round_base, 10);
  EXPECT_EQ(c->For("doorlooptijden_aantallen").kind, TableKind::kCount);

  EXPECT_EQ(RulesConfig::Parse("[default]\nmethod = \"noise\"\n", "r.toml").status().message(),
            "r.toml: line 2: method 'noise' is not ckm, round or none");
  EXPECT_EQ(RulesConfig::Parse("[default]\nfrequency_maxn = 3\n", "r.toml").status().message(),
            "r.toml: line 2: unknown key 'frequency_maxn'");
  EXPECT_EQ(RulesConfig::Parse("[table.x]\ndominance_k = 120\n", "r.toml").status().message(),
            "r.toml: line 2: dominance_k must be in 0..100");
  EXPECT_EQ(RulesConfig::Parse("[default]\nround_base = 0\n", "r.toml").status().message(),
            "r.toml: line 2: 'round_base' = 0 out of range (>= 1)");
  EXPECT_FALSE(RulesConfig::Parse("[default\n", "r.toml").ok());
}

}  // namespace
}  // namespace das::protect
