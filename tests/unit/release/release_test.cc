// Releases: the attacker test over a whole release of linked tables, consistency of linked cells (suppression
// and CKM values), symbols, determinism and immutability, the diff, and tamper detection.
//
// The hand-made release: table A = Perioden x RegioS x Geslacht (flow om.inflow, and stock om.stock at
// 2023JJ00), table B = Perioden x RegioS x Geslacht x Leeftijd (om.inflow), table C = Perioden (2023JJ00 >
// 2023KW01..04) x RegioS (om.stock), table D = Perioden x RegioS x Geslacht (om.inflow) with the same
// municipalities grouped by police unit (RE01, RE02) instead of province. They share cells: B at Leeftijd total = A; A's stock = C's stock at
// 2023JJ00 = C's stock at 2023KW04 (same period end date). The attacker below is written independently of the
// release code: it rebuilds the cell identities and margin equations from the published tables alone.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "das/core/env.h"
#include "das/protect/audit.h"
#include "das/release/build.h"
#include "das/release/release.h"
#include "das/store/store.h"

namespace das::release {
namespace {

namespace fs = std::filesystem;

// ---- the micro data -------------------------------------------------------------------------------------
const std::vector<std::string> kGm = {"GM0001", "GM0002", "GM0003", "GM0004", "GM0005"};
const std::vector<std::string> kPvOfGm = {"PV20", "PV20", "PV20", "PV21", "PV21"};

struct Micro {
  // inflow[g][s][a], stock[g][s][q] (q = quarter 0..3); keys alike.
  int inflow[5][2][3];
  int stock[5][2][4];
  std::uint32_t inflow_key[5][2][3];
  std::uint32_t stock_key[5][2][4];
};

// Variant 0 is the fixed table below; variants 1.. are pseudo-random (a fixed LCG: the same on every platform)
// with about one small cell in four and one municipality x sex group in three of 0..3 in all.
Micro MakeMicro(int variant = 0) {
  Micro m{};
  if (variant > 0) {
    std::uint64_t x = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(variant);
    auto next = [&x](int mod) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      return static_cast<int>((x >> 33) % static_cast<std::uint64_t>(mod));
    };
    for (int g = 0; g < 5; ++g) {
      for (int s = 0; s < 2; ++s) {
        const bool small_group = next(3) == 0;  // a municipality x sex cell of 0..3 in tables A and D
        for (int a = 0; a < 3; ++a) {
          m.inflow[g][s][a] = small_group ? next(2) : next(4) == 0 ? next(4) : 4 + next(20);
          m.inflow_key[g][s][a] = static_cast<std::uint32_t>(next(256));
        }
        for (int q = 0; q < 4; ++q) {
          m.stock[g][s][q] = next(4) == 0 ? 1 + next(3) : 4 + next(20);
          m.stock_key[g][s][q] = static_cast<std::uint32_t>(next(256));
        }
      }
    }
    return m;
  }
  // Small counts (1..3) scattered among larger ones and a few zeros.
  const int in[5][2][3] = {{{12, 2, 9}, {7, 11, 1}},
                           {{1, 0, 1}, {3, 6, 10}},
                           {{1, 0, 13}, {9, 2, 6}},
                           {{20, 7, 4}, {8, 15, 0}},
                           {{6, 1, 9}, {0, 1, 0}}};
  for (int g = 0; g < 5; ++g) {
    for (int s = 0; s < 2; ++s) {
      for (int a = 0; a < 3; ++a) {
        m.inflow[g][s][a] = in[g][s][a];
        m.inflow_key[g][s][a] = static_cast<std::uint32_t>((g * 71 + s * 29 + a * 113 + 5) % 256);
      }
      for (int q = 0; q < 4; ++q) {
        // Stocks: mostly large, a few small at the year end.
        const int v = (g * 7 + s * 5 + q * 3) % 11 + (q == 3 && (g + s) % 3 == 0 ? -8 : 4);
        m.stock[g][s][q] = std::max(v, 1);
        m.stock_key[g][s][q] = static_cast<std::uint32_t>((g * 37 + s * 101 + q * 53 + 9) % 256);
      }
    }
  }
  return m;
}

stats::Code C(const std::string& code, const std::string& parent) {
  stats::Code c;
  c.code = code;
  c.title_nl = code;
  c.title_en = code;
  c.parent = parent;
  return c;
}

stats::DimensionSpec Regio() {
  stats::DimensionSpec d;
  d.id = "RegioS";
  d.kind = stats::DimensionKind::kGeo;
  d.codes = {C("NL01", ""), C("PV20", "NL01"), C("PV21", "NL01")};
  for (std::size_t g = 0; g < kGm.size(); ++g) d.codes.push_back(C(kGm[g], kPvOfGm[g]));
  return d;
}
// The same municipalities grouped by police unit instead of province.
stats::DimensionSpec PoliceRegio() {
  stats::DimensionSpec d;
  d.id = "RegioS";
  d.kind = stats::DimensionKind::kGeo;
  d.codes = {C("NL01", ""), C("RE01", "NL01"), C("RE02", "NL01"), C("GM0001", "RE01"), C("GM0004", "RE01"),
             C("GM0002", "RE02"), C("GM0003", "RE02"), C("GM0005", "RE02")};
  return d;
}
stats::DimensionSpec Sex() {
  stats::DimensionSpec d;
  d.id = "Geslacht";
  d.codes = {C("T001038", ""), C("3000", "T001038"), C("4000", "T001038")};
  return d;
}
stats::DimensionSpec Age() {
  stats::DimensionSpec d;
  d.id = "Leeftijd";
  d.codes = {C("10000", ""), C("A1", "10000"), C("A2", "10000"), C("A3", "10000")};
  return d;
}
stats::DimensionSpec Periods(bool quarters) {
  stats::DimensionSpec d;
  d.id = "Perioden";
  d.kind = stats::DimensionKind::kTime;
  d.codes = {C("2023JJ00", "")};
  if (quarters) {
    for (int q = 1; q <= 4; ++q) d.codes.push_back(C("2023KW0" + std::to_string(q), "2023JJ00"));
  }
  for (stats::Code& c : d.codes) c.status = "Definitief";
  return d;
}

// Does code index c of the dimension cover leaf code `leaf`?
bool Covers(const stats::DimensionSpec& d, int c, const std::string& leaf) {
  std::string cur = leaf;
  while (!cur.empty()) {
    if (cur == d.codes[static_cast<std::size_t>(c)].code) return true;
    const int k = d.Find(cur);
    if (k < 0) return false;
    cur = d.codes[static_cast<std::size_t>(k)].parent;
  }
  return false;
}

stats::MeasureSpec Measure(const std::string& id, const std::string& key, stats::TimeSemantics time) {
  stats::MeasureSpec m;
  m.id = id;
  m.title_nl = id;
  m.unit = "aantal";
  m.kind = stats::MeasureKind::kCount;
  m.time = time;
  m.cell_key_id = key;
  return m;
}

// Fills a flow (inflow) or stock topic of `t` by summing the micro data under each cell.
stats::MeasureValues Fill(const stats::StatTable& t, const Micro& m, bool stock) {
  stats::MeasureValues v;
  const std::size_t n = t.num_cells();
  v.value.assign(n, 0);
  v.n.assign(n, 0);
  v.cell_key.assign(n, 0);
  const std::vector<std::string> sexes = {"3000", "4000"}, ages = {"A1", "A2", "A3"};
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t sum = 0;
    std::uint32_t key = 0;
    for (int g = 0; g < 5; ++g) {
      for (int s = 0; s < 2; ++s) {
        for (int a = 0; a < (stock ? 4 : 3); ++a) {
          bool in = true;
          for (std::size_t d = 0; d < t.dims.size() && in; ++d) {
            const stats::DimensionSpec& dim = t.dims[d];
            const int c = t.CodeOf(i, d);
            if (dim.id == "RegioS") in = Covers(dim, c, kGm[static_cast<std::size_t>(g)]);
            if (dim.id == "Geslacht") in = Covers(dim, c, sexes[static_cast<std::size_t>(s)]);
            if (dim.id == "Leeftijd") in = Covers(dim, c, ages[static_cast<std::size_t>(a)]);
            if (dim.id == "Perioden" && stock) {
              // A stock at a period is the stock at its end: JJ00 = KW04.
              const std::string& p = dim.codes[static_cast<std::size_t>(c)].code;
              const int q = p == "2023JJ00" ? 3 : p[7] - '1';
              in = a == q;
            }
          }
          if (!in) continue;
          sum += stock ? m.stock[g][s][a] : m.inflow[g][s][a];
          key += stock ? m.stock_key[g][s][a] : m.inflow_key[g][s][a];
        }
      }
    }
    v.value[i] = static_cast<double>(sum);
    v.n[i] = sum;
    v.cell_key[i] = key % 256;
  }
  return v;
}

std::vector<stats::StatTable> MakeTables(const Micro& m) {
  stats::StatTable a;
  a.id = "T_A";
  a.title_nl = "A";
  a.dims = {Periods(false), Regio(), Sex()};
  a.measures = {Measure("Instroom_1", "om.inflow", stats::TimeSemantics::kFlow),
                Measure("Voorraad_3", "om.stock", stats::TimeSemantics::kStock)};
  a.values = {Fill(a, m, false), Fill(a, m, true)};
  stats::StatTable b;
  b.id = "T_B";
  b.dims = {Periods(false), Regio(), Sex(), Age()};
  b.measures = {Measure("Instroom_1", "om.inflow", stats::TimeSemantics::kFlow)};
  b.values = {Fill(b, m, false)};
  stats::StatTable c;
  c.id = "T_C";
  c.dims = {Periods(true), Regio()};
  c.measures = {Measure("Voorraad_3", "om.stock", stats::TimeSemantics::kStock)};
  c.values = {Fill(c, m, true)};
  stats::StatTable d;
  d.id = "T_D";
  d.dims = {Periods(false), PoliceRegio(), Sex()};
  d.measures = {Measure("Instroom_1", "om.inflow", stats::TimeSemantics::kFlow)};
  d.values = {Fill(d, m, false)};
  return {c, a, b, d};  // not in id order: the release sorts
}

BuildOptions Options(const std::string& method, const std::string& secondary = "heuristic") {
  BuildOptions o;
  auto rules = protect::RulesConfig::Parse("[default]\nkind = \"count\"\nfrequency_max_n = 3\nmethod = \"" + method +
                                               "\"\nsecondary = \"" + secondary + "\"\n",
                                           "test_rules.toml");
  EXPECT_TRUE(rules.ok()) << rules.status().ToString();
  o.rules = *rules;
  std::ifstream in(std::string(DAS_SOURCE_DIR) + "/config/protect/ptable_D3_V2_js2.csv");
  std::stringstream ss;
  ss << in.rdbuf();
  auto pt = protect::PTable::FromCsv(ss.str(), "ptable_D3_V2_js2.csv");
  EXPECT_TRUE(pt.ok()) << pt.status().ToString();
  o.ptable = *pt;
  o.provenance.horizon = "2024-02-01";
  o.provenance.code_version = "das 0.1.0 (test)";
  o.provenance.config_sha256 = std::string(64, 'c');
  o.provenance.parameters = {{"seed", "7"}, {"years", "2023"}};
  o.provenance.inputs = {{"om_zaken", "om/2023/om_2023.csv", std::string(64, 'a'), "2023JJ00", 100, 0},
                         {"misdrijven", "politie/2023/bvh_2023.csv", std::string(64, 'b'), "2023JJ00", 200, 1}};
  return o;
}

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() / ("das_release_test_" + std::to_string(::getpid()) + "_" +
                                         std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

std::unique_ptr<store::Store> OpenStore(const std::string& path) {
  auto s = store::Store::Open(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(*s);
}

// ---- the attacker (independent of the release code) --------------------------------------------------------
std::string EndDate(const std::string& p) {
  if (p == "2023JJ00" || p == "2023KW04") return "2023-12-31";
  if (p == "2023KW01") return "2023-03-31";
  if (p == "2023KW02") return "2023-06-30";
  if (p == "2023KW03") return "2023-09-30";
  return p;
}

struct Attack {
  std::map<std::string, std::size_t> var;      // signature -> variable
  std::vector<std::optional<double>> seen;     // what the attacker knows per variable
  std::vector<protect::Line> lines;
  std::size_t published_somewhere_suppressed_elsewhere = 0;
};

// Identity of a published cell: topic key + non-total coordinates, stocks by end date (dims sorted by id).
std::string Signature(const PublishedTable& t, std::size_t m, std::size_t i) {
  std::map<std::string, std::string> coords;
  for (std::size_t d = 0; d < t.dims.size(); ++d) {
    const stats::DimensionSpec& dim = t.dims[d];
    const int c = t.CodeOf(i, d);
    if (dim.kind != stats::DimensionKind::kTime && c == 0) continue;  // totals are codes[0] here
    std::string code = dim.codes[static_cast<std::size_t>(c)].code;
    if (dim.kind == stats::DimensionKind::kTime && t.measures[m].time == stats::TimeSemantics::kStock) {
      code = EndDate(code);
    }
    coords[dim.id] = code;
  }
  std::string s = t.measures[m].cell_key_id + "|";
  for (const auto& [k, v] : coords) s += k + "=" + v + ";";
  return s;
}

Attack BuildAttack(const Release& rel) {
  Attack at;
  auto var_of = [&](const std::string& sig) {
    auto [it, inserted] = at.var.try_emplace(sig, at.seen.size());
    if (inserted) at.seen.emplace_back();
    return it->second;
  };
  std::vector<std::uint8_t> suppressed_seen;
  for (const auto& tp : rel.tables) {
    const PublishedTable& t = *tp;
    for (std::size_t m = 0; m < t.measures.size(); ++m) {
      const bool stock = t.measures[m].time == stats::TimeSemantics::kStock;
      std::vector<std::size_t> v(t.num_cells());
      for (std::size_t i = 0; i < t.num_cells(); ++i) {
        v[i] = var_of(Signature(t, m, i));
        suppressed_seen.resize(at.seen.size(), 0);
        if (t.state[m][i] == CellState::kPublished) {
          if (suppressed_seen[v[i]]) ++at.published_somewhere_suppressed_elsewhere;
          at.seen[v[i]] = t.value[m][i];  // published anywhere = known
        } else {
          if (at.seen[v[i]].has_value()) ++at.published_somewhere_suppressed_elsewhere;
          suppressed_seen[v[i]] = 1;
        }
      }
      // Margin equations: every code with children, for every combination of the other coordinates.
      for (std::size_t d = 0; d < t.dims.size(); ++d) {
        const stats::DimensionSpec& dim = t.dims[d];
        if (dim.kind == stats::DimensionKind::kTime && stock) continue;  // stocks do not add up over time
        for (std::size_t i = 0; i < t.num_cells(); ++i) {
          const std::string& code = dim.codes[static_cast<std::size_t>(t.CodeOf(i, d))].code;
          protect::Line line{static_cast<std::uint32_t>(v[i]), {}};
          for (std::size_t j = 0; j < t.num_cells(); ++j) {
            bool other_same = true;
            for (std::size_t e = 0; e < t.dims.size() && other_same; ++e) {
              if (e != d && t.CodeOf(j, e) != t.CodeOf(i, e)) other_same = false;
            }
            if (other_same && dim.codes[static_cast<std::size_t>(t.CodeOf(j, d))].parent == code) {
              line.parts.push_back(static_cast<std::uint32_t>(v[j]));
            }
          }
          if (!line.parts.empty()) at.lines.push_back(std::move(line));
        }
      }
    }
  }
  // Keep unknown only what is suppressed everywhere.
  return at;
}

struct Breach {
  std::string signature;
  double value, lo, hi;
};

// Attacks every primary-unsafe cell (true count 1..3) with one LP over the whole release.
std::vector<Breach> AttackRelease(const Release& rel, const std::map<std::string, double>& truth,
                                  std::size_t* num_targets) {
  Attack at = BuildAttack(rel);
  double upper = 0;
  for (const auto& [sig, v] : truth) upper = std::max(upper, v);
  std::vector<Breach> breaches;
  std::vector<std::size_t> targets;
  std::vector<std::string> target_sig;
  for (const auto& [sig, k] : at.var) {
    const double v = truth.at(sig);
    if (v < 1 || v > 3) continue;
    if (at.seen[k].has_value()) {
      breaches.push_back({sig, v, *at.seen[k], *at.seen[k]});  // published: disclosed outright
      continue;
    }
    targets.push_back(k);
    target_sig.push_back(sig);
  }
  *num_targets = targets.size() + breaches.size();
  auto iv = protect::SystemIntervals(at.lines, at.seen, upper, targets);
  EXPECT_TRUE(iv.ok()) << iv.status().ToString();
  if (!iv.ok()) return breaches;
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const double v = truth.at(target_sig[k]);
    // Protection per rules: the attacker must not exclude v - 1 nor 4 (= frequency_max_n + 1).
    if ((*iv)[k].lo > v - 1 + 1e-6 || (*iv)[k].hi < 4 - 1e-6) {
      breaches.push_back({target_sig[k], v, (*iv)[k].lo, (*iv)[k].hi});
    }
  }
  return breaches;
}

// True values per signature, from the unprotected tables.
std::map<std::string, double> Truth(const std::vector<stats::StatTable>& tables) {
  std::map<std::string, double> out;
  for (const stats::StatTable& t : tables) {
    PublishedTable p;
    p.id = t.id;
    p.dims = t.dims;
    p.measures = t.measures;
    for (std::size_t m = 0; m < t.measures.size(); ++m) {
      for (std::size_t i = 0; i < t.num_cells(); ++i) {
        const std::string sig = Signature(p, m, i);
        auto [it, inserted] = out.emplace(sig, t.values[m].value[i]);
        EXPECT_EQ(it->second, t.values[m].value[i]) << "test data inconsistent at " << sig;
      }
    }
  }
  return out;
}

Release BuildAndLoad(const std::vector<stats::StatTable>& tables, const BuildOptions& o, const std::string& db,
                     BuildStats* stats = nullptr) {
  auto store = OpenStore(db);
  auto m = BuildRelease(store.get(), tables, o, Env::Default(), stats);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  auto rel = LoadRelease(store.get(), m.ok() ? m->release_id : "latest");
  EXPECT_TRUE(rel.ok()) << rel.status().ToString();
  return rel.ok() ? std::move(*rel) : Release{};
}

// ---- tests ------------------------------------------------------------------------------------------------
constexpr int kVariants = 25;

TEST(ReleaseAttack, LinkedReleaseWithstandsOneLpOverAllTables) {
  TempDir dir;
  for (int variant = 0; variant < kVariants; ++variant) {
    SCOPED_TRACE("variant " + std::to_string(variant));
    const std::vector<stats::StatTable> tables = MakeTables(MakeMicro(variant));
    BuildStats st;
    Release rel = BuildAndLoad(tables, Options("none"), dir.File("r" + std::to_string(variant) + ".db"), &st);
    ASSERT_EQ(rel.tables.size(), 4u);
    std::size_t targets = 0;
    std::vector<Breach> breaches = AttackRelease(rel, Truth(tables), &targets);
    EXPECT_GE(targets, 4u);  // the data has small cells: the test attacks something
    for (const Breach& b : breaches) {
      ADD_FAILURE() << "disclosed: " << b.signature << " = " << b.value << " in [" << b.lo << ", " << b.hi << "]";
    }
    EXPECT_EQ(BuildAttack(rel).published_somewhere_suppressed_elsewhere, 0u);
    EXPECT_GT(st.suppressed, targets);  // secondary suppressions exist
  }
}

TEST(ReleaseAttack, UnlinkedReleaseIsAttackable) {
  TempDir dir;
  int attackable = 0, inconsistent = 0;
  for (int variant = 0; variant < kVariants; ++variant) {
    SCOPED_TRACE("variant " + std::to_string(variant));
    const std::vector<stats::StatTable> tables = MakeTables(MakeMicro(variant));
    BuildOptions o = Options("none");
    o.link_tables = false;
    Release rel = BuildAndLoad(tables, o, dir.File("u" + std::to_string(variant) + ".db"));
    std::size_t targets = 0;
    if (!AttackRelease(rel, Truth(tables), &targets).empty()) ++attackable;
    if (BuildAttack(rel).published_somewhere_suppressed_elsewhere > 0) ++inconsistent;
    // Each table on its own is safe (das_protect audits each): the breaches come from combining tables.
    for (const auto& t : rel.tables) {
      Release single;
      single.tables = {t};
      std::size_t n = 0;
      EXPECT_TRUE(AttackRelease(single, Truth(tables), &n).empty()) << t->id;
    }
  }
  std::printf("unlinked: %d of %d variants attackable, %d with a cell published in one table and suppressed in "
              "another\n", attackable, kVariants, inconsistent);
  EXPECT_GT(attackable, 0) << "tables protected one by one should be attackable in combination";
}

TEST(ReleaseAttack, SuppressedCellsAreNullAndXNeverZero) {
  TempDir dir;
  const std::vector<stats::StatTable> tables = MakeTables(MakeMicro());
  const std::string db = dir.File("r.db");
  Release rel = BuildAndLoad(tables, Options("ckm"), db);
  auto store = OpenStore(db);
  std::size_t checked = 0;
  for (const auto& t : rel.tables) {
    auto stored = store->GetTable("rel/" + rel.manifest.release_id + "/" + t->id);
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    for (std::size_t m = 0; m < t->measures.size(); ++m) {
      const int col = stored->Find(t->measures[m].id);
      ASSERT_GE(col, 0);
      for (std::size_t i = 0; i < t->num_cells(); ++i) {
        if (t->state[m][i] != CellState::kSuppressed) continue;
        ++checked;
        EXPECT_TRUE(stored->column(static_cast<std::size_t>(col)).IsNull(i));
        EXPECT_EQ(t->Untyped(m, i), "x");
      }
    }
  }
  EXPECT_GT(checked, 0u);
  // The CSV of T_C: the header and a suppressed small stock cell shows 'x'.
  const PublishedTable* c = rel.Find("T_C");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->ToCsv().substr(0, 27), "Perioden,RegioS,Voorraad_3\n");
}

TEST(ReleaseAttack, CkmGivesALinkedCellOneValueInEveryTable) {
  TempDir dir;
  const std::vector<stats::StatTable> tables = MakeTables(MakeMicro());
  Release rel = BuildAndLoad(tables, Options("ckm"), dir.File("r.db"));
  const std::map<std::string, double> truth = Truth(tables);
  std::map<std::string, std::vector<std::string>> seen;  // signature -> untyped texts
  for (const auto& t : rel.tables) {
    for (std::size_t m = 0; m < t->measures.size(); ++m) {
      for (std::size_t i = 0; i < t->num_cells(); ++i) seen[Signature(*t, m, i)].push_back(t->Untyped(m, i));
    }
  }
  std::size_t multi = 0, perturbed = 0;
  for (const auto& [sig, texts] : seen) {
    for (const std::string& x : texts) EXPECT_EQ(x, texts[0]) << sig;
    if (texts.size() >= 2) ++multi;
    if (texts[0] != "x" && std::stod(texts[0]) != truth.at(sig)) ++perturbed;
  }
  EXPECT_GE(multi, 20u);     // NL totals, A = B at age total, stocks JJ = KW04 across A and C
  EXPECT_GT(perturbed, 0u);  // the cell key method did perturb
  // The national stock at 2023JJ00 in A and T_C, and at 2023KW04 in T_C, is one cell.
  EXPECT_EQ(seen.at("om.stock|Perioden=2023-12-31;").size(), 3u);
}

TEST(ReleaseBuild, SameInputsSameIdAndBytes) {
  TempDir dir;
  const std::vector<stats::StatTable> tables = MakeTables(MakeMicro());
  const BuildOptions o = Options("ckm");
  Release r1 = BuildAndLoad(tables, o, dir.File("a.db"));
  Release r2 = BuildAndLoad(tables, o, dir.File("b.db"));
  EXPECT_EQ(r1.manifest.release_id, r2.manifest.release_id);
  EXPECT_EQ(r1.manifest.release_id.substr(0, 11), "2024-02-01.");
  EXPECT_EQ(r1.manifest.release_id.size(), 21u);
  EXPECT_EQ(r1.manifest.ToJson(), r2.manifest.ToJson());
  ASSERT_EQ(r1.tables.size(), r2.tables.size());
  for (std::size_t k = 0; k < r1.tables.size(); ++k) {
    EXPECT_EQ(r1.tables[k]->ToCsv(), r2.tables[k]->ToCsv());
    EXPECT_EQ(TableMetaJson(*r1.tables[k]), TableMetaJson(*r2.tables[k]));
  }
  EXPECT_EQ(r1.manifest.tables, (std::vector<std::string>{"T_A", "T_B", "T_C", "T_D"}));
  // Export twice: the same bytes.
  Env env = Env::Default();
  ASSERT_TRUE(ExportRelease(r1, dir.File("x1"), env.fs).ok());
  ASSERT_TRUE(ExportRelease(r2, dir.File("x2"), env.fs).ok());
  for (const char* f : {"manifest.json", "T_A.csv", "T_A.json", "T_B.csv", "T_C.csv", "T_C.json"}) {
    auto a = env.fs->ReadFile(dir.File(std::string("x1/") + f));
    auto b = env.fs->ReadFile(dir.File(std::string("x2/") + f));
    ASSERT_TRUE(a.ok() && b.ok()) << f;
    EXPECT_EQ(*a, *b) << f;
  }
  // Building the same again in the same store writes nothing and returns the existing release.
  auto store = OpenStore(dir.File("a.db"));
  BuildStats st;
  auto again = BuildRelease(store.get(), tables, o, Env::Default(), &st);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(st.reused);
  EXPECT_EQ(again->release_id, r1.manifest.release_id);
  auto list = ListReleases(store.get());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].sequence, 1);
  EXPECT_EQ((*list)[0].num_tables, 4);
  EXPECT_EQ((*list)[0].num_cells, 2 * 1 * 8 * 3 + 1 * 8 * 3 * 4 + 5 * 8 + 1 * 8 * 3);
}

TEST(ReleaseBuild, ChangedInputGivesNewReleaseAndDiffNamesIt) {
  TempDir dir;
  auto store = OpenStore(dir.File("r.db"));
  BuildOptions o = Options("ckm");
  Micro micro = MakeMicro();
  auto first = BuildRelease(store.get(), MakeTables(micro), o, Env::Default());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  micro.inflow[3][0][0] += 5;  // GM0004, men, A1: a correction delivery of the OM
  o.provenance.inputs[0].sha256 = std::string(64, 'd');
  o.provenance.horizon = "2025-02-01";
  auto second = BuildRelease(store.get(), MakeTables(micro), o, Env::Default());
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(first->release_id, second->release_id);
  EXPECT_EQ(second->sequence, 2);
  EXPECT_EQ(second->previous_release_id, first->release_id);
  EXPECT_EQ(second->release_id.substr(0, 11), "2025-02-01.");
  auto a = LoadRelease(store.get(), first->release_id);
  auto b = LoadRelease(store.get(), "latest");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(b->manifest.release_id, second->release_id);
  const ReleaseDiff d = Diff(*a, *b);
  EXPECT_TRUE(d.tables_added.empty());
  EXPECT_TRUE(d.tables_removed.empty());
  std::set<std::string> changed;
  for (const TableChange& c : d.tables_changed) changed.insert(c.table);
  EXPECT_EQ(changed, (std::set<std::string>{"T_A", "T_B", "T_D"}));  // the stock table T_C did not change
  ASSERT_EQ(d.inputs.size(), 1u);
  EXPECT_EQ(d.inputs[0].change, "changed");
  EXPECT_EQ(d.inputs[0].dataset, "om_zaken");
  EXPECT_EQ(d.inputs[0].file, "om/2023/om_2023.csv");
  EXPECT_TRUE(d.horizon_changed);
  EXPECT_FALSE(d.config_changed);
  EXPECT_FALSE(d.code_changed);
  EXPECT_TRUE(d.parameters.empty());
  const std::string text = d.ToText();
  EXPECT_NE(text.find("input changed: om_zaken 2023JJ00 om/2023/om_2023.csv (sha256 aaaaaaaaaaaa -> dddddddddddd)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("table changed: T_B: "), std::string::npos) << text;
  const std::string json = d.ToJson();
  EXPECT_NE(json.find("\"dataset\": \"om_zaken\""), std::string::npos) << json;
  // The first release is unchanged by the second build (immutable).
  auto a2 = LoadRelease(store.get(), first->release_id);
  ASSERT_TRUE(a2.ok());
  EXPECT_EQ(a2->manifest.ToJson(), a->manifest.ToJson());
  EXPECT_TRUE(Diff(*a, *a2).identical_content());
}

TEST(ReleaseBuild, TamperedTableIsDetected) {
  TempDir dir;
  const std::string db = dir.File("r.db");
  Release rel = BuildAndLoad(MakeTables(MakeMicro()), Options("ckm"), db);
  auto store = OpenStore(db);
  const std::string name = "rel/" + rel.manifest.release_id + "/T_C";
  auto meta = store->GetTableMeta(name);
  auto t = store->GetTable(name);
  ASSERT_TRUE(meta.ok() && t.ok());
  // Rewrite the table with one published value changed.
  Table copy;
  for (std::size_t c = 0; c < t->num_columns(); ++c) {
    Column col(t->column(c).name(), t->column(c).type());
    for (std::size_t r = 0; r < t->num_rows(); ++r) {
      if (c == 2 && r == 0 && !t->column(c).IsNull(r)) col.AppendDouble(t->column(c).GetDouble(r) + 1);
      else col.AppendFrom(t->column(c), r);
    }
    copy.AddColumn(std::move(col));
  }
  ASSERT_TRUE(store->PutTable(name, copy, *meta).ok());
  auto loaded = LoadRelease(store.get(), rel.manifest.release_id);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kCorruption);
  EXPECT_NE(loaded.status().message().find("release " + rel.manifest.release_id + " table T_C: content hash"),
            std::string::npos)
      << loaded.status().ToString();
  auto missing = LoadRelease(store.get(), "2000-01-01.0000000000");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "release '2000-01-01.0000000000' not found (the store has 1 releases)");
}

TEST(ReleaseBuild, InconsistentLinkedCellsAreRefused) {
  TempDir dir;
  std::vector<stats::StatTable> tables = MakeTables(MakeMicro());
  // T_B's national total (all codes at their total) no longer equals T_A's.
  for (stats::StatTable& t : tables) {
    if (t.id == "T_B") t.values[0].value[0] += 1, t.values[0].n[0] += 1;
  }
  auto store = OpenStore(dir.File("r.db"));
  auto m = BuildRelease(store.get(), tables, Options("ckm"), Env::Default());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(m.status().message().find("are the same statistic but have different count"), std::string::npos)
      << m.status().ToString();
  auto list = ListReleases(store.get());
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST(ReleaseBuild, DerivedTopicsFollowTheirBasis) {
  stats::StatTable t;
  t.id = "T_D";
  stats::DimensionSpec d;
  d.id = "Traject";
  d.has_total = false;
  d.codes = {C("a", ""), C("b", ""), C("c", ""), C("d", "")};
  t.dims = {d};
  stats::MeasureSpec m = Measure("Mediaan_2", "doorloop.median", stats::TimeSemantics::kFlow);
  m.kind = stats::MeasureKind::kDerived;
  m.decimals = 1;
  t.measures = {m};
  stats::MeasureValues v;
  v.value = {12.25, 7, std::nan(""), 3};
  v.n = {10, 2, 9, 0};
  t.values = {v};
  BuildStats st;
  auto pub = ProtectTables({t}, Options("ckm"), &st);
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  const PublishedTable& p = (*pub)[0];
  EXPECT_EQ(p.Untyped(0, 0), "12.2");  // printf rounding of 12.25 with 1 decimal (binary 12.25 -> "12.2")
  EXPECT_EQ(p.Untyped(0, 1), "x");
  EXPECT_EQ(p.Untyped(0, 2), ".");
  EXPECT_EQ(p.Untyped(0, 3), ".");
  EXPECT_EQ(p.protection_summary, "derived: basis n >= 4");
}

TEST(ReleaseBuild, BadInputIsNamed) {
  std::vector<stats::StatTable> tables = MakeTables(MakeMicro());
  tables[1].values[0].value[3] = 2.5;  // T_A Instroom_1 cell 3
  auto pub = ProtectTables(tables, Options("ckm"), nullptr);
  ASSERT_FALSE(pub.ok());
  EXPECT_EQ(pub.status().message(),
            "release: table 'T_A' topic 'Instroom_1' cell (Perioden=2023JJ00, RegioS=PV20, Geslacht=T001038): count "
            "2.5 is not a whole number");
  BuildOptions o = Options("ckm");
  o.provenance.horizon = "2024-2-1";
  TempDir dir;
  auto store = OpenStore(dir.File("r.db"));
  auto m = BuildRelease(store.get(), MakeTables(MakeMicro()), o, Env::Default());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(), "release: horizon '2024-2-1' is not an ISO date yyyy-mm-dd");
}

TEST(ReleaseBuild, SignaturesAndPeriodEnds) {
  EXPECT_EQ(PeriodEndDate("2023JJ00"), "2023-12-31");
  EXPECT_EQ(PeriodEndDate("2023KW01"), "2023-03-31");
  EXPECT_EQ(PeriodEndDate("2024MM02"), "2024-02-29");
  EXPECT_EQ(PeriodEndDate("2023MM02"), "2023-02-28");
  EXPECT_EQ(PeriodEndDate("2023HJ01"), "2023-06-30");
  EXPECT_EQ(PeriodEndDate("2023XX01"), "2023XX01");
  const std::vector<stats::StatTable> tables = MakeTables(MakeMicro());
  const stats::StatTable& c = tables[0];  // T_C: Perioden(5) x RegioS(8), stock
  EXPECT_EQ(CellSignature(c, 0, 0), "om.stock|Perioden=2023-12-31;");
  EXPECT_EQ(CellSignature(c, 0, 4 * 8), "om.stock|Perioden=2023-12-31;");  // 2023KW04, NL01
  EXPECT_EQ(CellSignature(c, 0, 1 * 8 + 3), "om.stock|Perioden=2023-03-31;RegioS=GM0001;");
  const stats::StatTable& b = tables[2];  // T_B: 1 x 8 x 3 x 4, flow
  EXPECT_EQ(CellSignature(b, 0, 1 * 12 + 2 * 4 + 0), "om.inflow|Geslacht=4000;Perioden=2023JJ00;RegioS=PV20;");
}


// ---- das releases through the built binary ----------------------------------------------------------------
struct CliOutput {
  int exit_code = -1;
  std::string out;
};

CliOutput RunDas(const std::string& args) {
  CliOutput o;
  const std::string cmd = std::string(DAS_BINARY) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return o;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) o.out.append(buf, n);
  const int status = ::pclose(p);
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return o;
}

TEST(ReleasesCli, ListShowDiffExport) {
  if (!PosixFileSystem()->Exists(DAS_BINARY)) GTEST_SKIP() << "das binary not built: " << DAS_BINARY;
  TempDir dir;
  const std::string db = dir.File("r.db");
  std::string id1, id2;
  {
    auto store = OpenStore(db);
    BuildOptions o = Options("ckm");
    Micro micro = MakeMicro();
    auto m1 = BuildRelease(store.get(), MakeTables(micro), o, Env::Default());
    micro.inflow[0][0][0] += 3;
    o.provenance.inputs[1].sha256 = std::string(64, 'e');
    o.provenance.code_version = "das 0.1.1 (test)";
    auto m2 = BuildRelease(store.get(), MakeTables(micro), o, Env::Default());
    ASSERT_TRUE(m1.ok() && m2.ok());
    id1 = m1->release_id;
    id2 = m2->release_id;
  }
  CliOutput list = RunDas("releases --store " + db);
  EXPECT_EQ(list.exit_code, 0) << list.out;
  EXPECT_NE(list.out.find("1    " + id1), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("2    " + id2), std::string::npos) << list.out;
  CliOutput json = RunDas("releases --store " + db + " --json");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_NE(json.out.find("{\"release_id\": \"" + id2 + "\", \"sequence\": 2,"), std::string::npos) << json.out;
  CliOutput show = RunDas("releases show latest --store " + db);
  EXPECT_EQ(show.exit_code, 0) << show.out;
  EXPECT_NE(show.out.find("release " + id2 + " (#2, horizon 2024-02-01)"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("previous:  " + id1), std::string::npos) << show.out;
  CliOutput diff = RunDas("releases diff " + id1 + " " + id2 + " --store " + db);
  EXPECT_EQ(diff.exit_code, 0) << diff.out;
  EXPECT_NE(diff.out.find("input changed: misdrijven 2023JJ00 politie/2023/bvh_2023.csv"), std::string::npos)
      << diff.out;
  EXPECT_NE(diff.out.find("code: das 0.1.0 (test) -> das 0.1.1 (test)"), std::string::npos) << diff.out;
  CliOutput diff_json = RunDas("releases diff " + id1 + " " + id2 + " --store " + db + " --json");
  EXPECT_EQ(diff_json.exit_code, 0);
  EXPECT_NE(diff_json.out.find("\"code_version\": {"), std::string::npos) << diff_json.out;
  for (const char* out : {"e1", "e2"}) {
    CliOutput e = RunDas("releases export " + id1 + " --out " + dir.File(out) + " --store " + db);
    EXPECT_EQ(e.exit_code, 0) << e.out;
  }
  for (const char* f : {"manifest.json", "T_A.csv", "T_A.json", "T_B.csv", "T_B.json", "T_C.csv", "T_D.csv"}) {
    auto a = PosixFileSystem()->ReadFile(dir.File(std::string("e1/") + f));
    auto b = PosixFileSystem()->ReadFile(dir.File(std::string("e2/") + f));
    ASSERT_TRUE(a.ok() && b.ok()) << f;
    EXPECT_EQ(*a, *b) << f;
  }
  CliOutput missing = RunDas("releases show 1999-01-01.abcdef0123 --store " + db);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out,
            "das releases show: release '1999-01-01.abcdef0123' not found (the store has 2 releases)\n");
  CliOutput usage = RunDas("releases show latest");
  EXPECT_EQ(usage.exit_code, 2) << usage.out;
}

}  // namespace
}  // namespace das::release
