// The attacker: random tables with margins and hierarchies are protected, then attacked from what is published
// only. Margin attack: for every primary-unsafe cell, its feasible interval from published cells and margin
// equations (exact LP with CLP, cross-checked by independent interval propagation written here) must be wide
// enough: the attacker can neither pin the value nor prove it is at most the threshold. Differencing attack:
// two overlapping aggregates published under the cell key method never let the attacker recover the
// difference exactly.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "das/core/env.h"
#include "das/protect/audit.h"
#include "das/protect/ckm.h"
#include "das/protect/protect.h"
#include "test_tables.h"

namespace das::protect {
namespace {

using testing::Flat;
using testing::IsLeafCell;
using testing::TwoLevel;

CellTable RandomTable(Random& rng, bool three_dims) {
  std::vector<int> groups;
  const int ng = static_cast<int>(rng.Between(2, 3));
  for (int g = 0; g < ng; ++g) groups.push_back(static_cast<int>(rng.Between(1, 4)));
  std::vector<std::string> cols;
  const int nc = static_cast<int>(rng.Between(2, 5));
  for (int c = 0; c < nc; ++c) cols.push_back("c" + std::to_string(c));
  std::vector<Dimension> dims = {TwoLevel("regio", groups), Flat("delict", cols)};
  if (three_dims) dims.push_back(Flat("geslacht", {"m", "v"}));
  auto t = CellTable::Create(std::move(dims), TableKind::kCount);
  EXPECT_TRUE(t.ok());
  for (std::size_t i = 0; i < t->num_cells(); ++i) {
    if (!IsLeafCell(*t, i)) continue;
    const double u = rng.Uniform();
    t->count[i] = u < 0.1 ? 0 : u < 0.4 ? rng.Between(1, 3) : rng.Between(4, 30);
  }
  t->FillMargins();
  return std::move(*t);
}

// Independent outer bound: interval propagation over the margin equations.
std::vector<Interval> Propagate(const CellTable& t, const std::vector<std::optional<double>>& pub, double upper) {
  std::vector<Interval> iv(t.num_cells());
  for (std::size_t i = 0; i < iv.size(); ++i) iv[i] = pub[i] ? Interval{*pub[i], *pub[i]} : Interval{0, upper};
  const std::vector<Line> lines = Lines(t);
  for (int round = 0; round < 1000; ++round) {
    bool changed = false;
    auto tighten = [&](std::uint32_t c, double lo, double hi) {
      if (lo > iv[c].lo + 1e-9) { iv[c].lo = lo; changed = true; }
      if (hi < iv[c].hi - 1e-9) { iv[c].hi = hi; changed = true; }
    };
    for (const Line& l : lines) {
      double slo = 0, shi = 0;
      for (std::uint32_t p : l.parts) { slo += iv[p].lo; shi += iv[p].hi; }
      tighten(l.total, slo, shi);
      for (std::uint32_t p : l.parts) {
        tighten(p, iv[l.total].lo - (shi - iv[p].hi), iv[l.total].hi - (slo - iv[p].lo));
      }
    }
    if (!changed) break;
  }
  return iv;
}

struct AttackOutcome {
  int attacked = 0;
  int disclosed = 0;  // intervals narrower than the protection required
  int exact = 0;      // intervals of width 0
};

AttackOutcome Attack(const CellTable& t, const ProtectedTable& p, const TableRules& rules) {
  AttackOutcome out;
  auto primary = ApplyPrimaryRules(t, rules);
  EXPECT_TRUE(primary.ok());
  double upper = 0;
  for (std::size_t i = 0; i < t.num_cells(); ++i) upper = std::max(upper, static_cast<double>(t.count[i]));
  std::vector<std::size_t> targets;
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    if (primary->unsafe[i]) {
      EXPECT_FALSE(p.value[i].has_value()) << "unsafe cell " << i << " published";
      if (!p.value[i].has_value()) targets.push_back(i);
    } else if (!p.value[i].has_value()) {
      EXPECT_EQ(p.status[i], CellStatus::kSuppressedSecondary);
    }
  }
  // The attacker's view: published values (exact, method none) and suppressed cells unknown.
  auto lp = AttackerIntervals(t, p.value, upper, targets);
  EXPECT_TRUE(lp.ok()) << lp.status().ToString();
  if (!lp.ok()) return out;
  const std::vector<Interval> prop = Propagate(t, p.value, upper);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const std::size_t c = targets[k];
    const double v = static_cast<double>(t.count[c]);
    const Interval& iv = (*lp)[k];
    EXPECT_LE(iv.lo, v + 1e-6);  // the truth is feasible
    EXPECT_GE(iv.hi, v - 1e-6);
    EXPECT_GE(iv.lo, prop[c].lo - 1e-6);  // LP is at least as tight as propagation
    EXPECT_LE(iv.hi, prop[c].hi + 1e-6);
    ++out.attacked;
    if (iv.hi - iv.lo < 1e-6) ++out.exact;
    // Protected: the attacker cannot prove count <= frequency_max_n, nor exclude count - 1.
    const bool ok = std::floor(iv.hi + 1e-6) >= rules.frequency_max_n + 1 && std::ceil(iv.lo - 1e-6) <= v - 1;
    if (!ok) ++out.disclosed;
  }
  return out;
}

TableRules Rules(SecondaryMethod m) {
  TableRules r;
  r.name = "random";
  r.value_method = ValueMethod::kNone;  // exact published values: the attacker's best case
  r.secondary = m;
  return r;
}

TEST(MarginAttack, HeuristicProtectsEveryUnsafeCell) {
  Random rng(20261123);
  int attacked = 0, tables = 0, repaired = 0, local_failures = 0;
  for (int k = 0; k < 300; ++k) {
    const CellTable t = RandomTable(rng, k % 3 == 0);
    auto p = Protect(t, Rules(SecondaryMethod::kHeuristic), nullptr);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    const AttackOutcome o = Attack(t, *p, Rules(SecondaryMethod::kHeuristic));
    EXPECT_EQ(o.disclosed, 0) << "table " << k;
    EXPECT_TRUE(p->secondary.audited);
    attacked += o.attacked;
    tables += o.attacked > 0;
    repaired += p->secondary.repair_rounds > 1;
    // The local rules alone (no audit): count how often the exact attack breaks them.
    TableRules local = Rules(SecondaryMethod::kHeuristic);
    local.audit_max_cells = 0;
    auto q = Protect(t, local, nullptr);
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q->secondary.audited, q->num_primary == 0);
    local_failures += Attack(t, *q, local).disclosed > 0;
  }
  EXPECT_GT(attacked, 1000);  // the test did attack many cells
  EXPECT_GT(tables, 250);
  EXPECT_EQ(repaired, local_failures);  // the repair step ran exactly where the local rules were not enough
  std::printf("heuristic: local rules broken in %d of 300 tables, all repaired by the audit\n", local_failures);
}

TEST(MarginAttack, OptimalProtectsAndCostsNoMoreThanHeuristic) {
  Random rng(7);
  int attacked = 0, cheaper = 0;
  double sum_h = 0, sum_o = 0;
  for (int k = 0; k < 20; ++k) {
    const CellTable t = RandomTable(rng, k % 3 == 0);
    auto h = Protect(t, Rules(SecondaryMethod::kHeuristic), nullptr);
    auto o = Protect(t, Rules(SecondaryMethod::kOptimal), nullptr);
    ASSERT_TRUE(h.ok() && o.ok()) << o.status().ToString();
    const AttackOutcome a = Attack(t, *o, Rules(SecondaryMethod::kOptimal));
    EXPECT_EQ(a.disclosed, 0) << "table " << k;
    attacked += a.attacked;
    std::printf("table %d: %zu cells, %zu unsafe, %d cut rounds\n", k, t.num_cells(), o->num_primary,
                o->secondary.iterations);
    // Optimal minimises sum(value + 1) over secondary cells.
    const double hc = h->secondary.suppressed_value + static_cast<double>(h->secondary.num_secondary);
    const double oc = o->secondary.suppressed_value + static_cast<double>(o->secondary.num_secondary);
    if (o->secondary.proven_optimal) {
      EXPECT_LE(oc, hc + 1e-6) << "table " << k;
    }
    cheaper += oc < hc - 1e-6;
    sum_h += hc;
    sum_o += oc;
  }
  EXPECT_GT(attacked, 100);
  std::printf("optimal cheaper than heuristic in %d of 20 tables; total cost (value + 1 per secondary cell) "
              "optimal %.0f, heuristic %.0f\n", cheaper, sum_o, sum_h);
}

TEST(MarginAttack, WithoutSecondarySuppressionTheAttackerWins) {
  // Shows the attack has teeth: primary suppression alone discloses cells.
  Random rng(20261123);
  int disclosed = 0, exact = 0;
  for (int k = 0; k < 100; ++k) {
    const CellTable t = RandomTable(rng, k % 3 == 0);
    auto p = Protect(t, Rules(SecondaryMethod::kNone), nullptr);
    ASSERT_TRUE(p.ok());
    const AttackOutcome o = Attack(t, *p, Rules(SecondaryMethod::kNone));
    disclosed += o.disclosed;
    exact += o.exact;
  }
  EXPECT_GT(disclosed, 100);
  EXPECT_GT(exact, 100);
}

// Differencing: a total with and without one small category, published under the cell key method.
TEST(DifferencingAttack, CellKeyNoiseHidesSmallDifferences) {
  std::ifstream in(std::string(DAS_SOURCE_DIR) + "/config/protect/ptable_D3_V2_js2.csv");
  std::stringstream ss;
  ss << in.rdbuf();
  auto pt = PTable::FromCsv(ss.str(), "ptable");
  ASSERT_TRUE(pt.ok());
  auto keyer = RecordKeyer::Create("test-secret-0123456789");
  ASSERT_TRUE(keyer.ok());
  Random rng(99);
  std::map<int, std::map<std::int64_t, int>> diff_hist;  // true c -> observed difference -> times
  int cases = 0, exact = 0, unit = 0, bounded_small = 0;
  for (int k = 0; k < 3000; ++k) {
    const int base = static_cast<int>(rng.Between(5, 60));
    const int c = static_cast<int>(rng.Between(1, 3));
    std::vector<std::uint32_t> without, with;
    for (int u = 0; u < base + c; ++u) {
      const std::uint32_t key = keyer->Key("case-" + std::to_string(unit++));
      with.push_back(key);
      if (u < base) without.push_back(key);
    }
    const std::int64_t pub_with = pt->Perturb(base + c, CellKey(with));
    const std::int64_t pub_without = pt->Perturb(base, CellKey(without));
    const std::int64_t d = pub_with - pub_without;
    ++cases;
    exact += d == c;
    ++diff_hist[c][d];
    // The same cell reached by another route (e.g. the grand total of another table) has the same value.
    ASSERT_EQ(pt->Perturb(base + c, CellKey(with)), pub_with);
    // Possible true differences given d: |noise| <= 3 each, so c in [max(0, d - 6), d + 6]: never one value.
    const std::int64_t lo = std::max<std::int64_t>(0, d - 6), hi = d + 6;
    ASSERT_GE(hi - lo, 1);
    bounded_small += hi <= 3;  // the attacker can prove c <= 3 (needs d <= -3: opposite extreme noises)
  }
  std::printf("differencing: exact in %d of %d cases, provably small in %d\n", exact, cases, bounded_small);
  // Proving "small" needs extreme opposite noises (e.g. -3 and +2/+3): rare but possible with bounded noise
  // (measured 54 of 3000 = 1.8% with this seed; see docs/disclosure-control.md).
  EXPECT_LT(static_cast<double>(bounded_small) / cases, 0.03);
  EXPECT_GT(bounded_small, 0);  // ... and it does happen: bounded noise is not an interval guarantee
  // The attacker guesses right only when both noises happen to be equal.
  EXPECT_LT(static_cast<double>(exact) / cases, 0.35);
  // For every small c the observed differences spread over many values, including values > 3 and <= 0.
  for (int c = 1; c <= 3; ++c) {
    const auto& h = diff_hist[c];
    EXPECT_GE(h.size(), 9u) << c;
    EXPECT_GT(h.rbegin()->first, 3) << c;
    EXPECT_LE(h.begin()->first, 0) << c;
  }
}

}  // namespace
}  // namespace das::protect
