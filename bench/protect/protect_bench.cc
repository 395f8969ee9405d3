// Time to protect a large table: 355 gemeenten (12 provinces, NL) x 10 years (each with 4 quarters) x 30
// offence groups (SCM total > 6 level-1 groups > 30 groups); 426,000 leaf cells, 680,800 cells with margins.
// Counts are Poisson with means from ~0.3 to ~60 (small gemeenten and rare offences give many unsafe cells).
// Usage: protect_bench [round|ckm|none] [audit|noaudit] [gemeenten] [years]   (default ckm noaudit 355 10;
// "audit" also runs the exact LP audit-and-repair, feasible for small slices only)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "das/core/env.h"
#include "das/protect/protect.h"

using das::protect::CellTable;
using das::protect::Dimension;

namespace {

double Seconds(std::chrono::steady_clock::time_point a) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string method = argc > 1 ? argv[1] : "ckm";
  const bool audit = argc > 2 && std::strcmp(argv[2], "audit") == 0;
  const int gemeenten = argc > 3 ? std::atoi(argv[3]) : 355;
  const int years = argc > 4 ? std::atoi(argv[4]) : 10;
  if (gemeenten < 1 || years < 1) return 2;
  Dimension region("regio"), period("perioden"), offence("delict");
  (void)region.AddCode("NL01");
  for (int p = 0; p < std::min(12, gemeenten); ++p) (void)region.AddCode("PV" + std::to_string(20 + p), "NL01");
  for (int g = 0; g < gemeenten; ++g) {
    (void)region.AddCode("GM" + std::to_string(1000 + g), "PV" + std::to_string(20 + g % std::min(12, gemeenten)));
  }
  for (int y = 2014; y < 2014 + years; ++y) {
    const std::string year = std::to_string(y) + "JJ00";
    (void)period.AddCode(year);
    for (int q = 1; q <= 4; ++q) (void)period.AddCode(std::to_string(y) + "KW0" + std::to_string(q), year);
  }
  (void)offence.AddCode("T001161");
  for (int l1 = 0; l1 < 6; ++l1) (void)offence.AddCode("L1_" + std::to_string(l1), "T001161");
  for (int g = 0; g < 30; ++g) (void)offence.AddCode("L2_" + std::to_string(g), "L1_" + std::to_string(g % 6));
  auto t = CellTable::Create({region, period, offence}, das::protect::TableKind::kCount);
  if (!t.ok()) return 1;
  das::Random rng(42);
  const auto t0 = std::chrono::steady_clock::now();
  std::size_t leaves = 0;
  for (std::size_t i = 0; i < t->num_cells(); ++i) {
    const int r = t->CodeOf(i, 0), p = t->CodeOf(i, 1), o = t->CodeOf(i, 2);
    if (!region.IsLeaf(r) || !period.IsLeaf(p) || !offence.IsLeaf(o)) continue;
    const double size = 0.1 + 3.0 * ((r * 7919) % 100) / 100.0;   // gemeente size factor
    const double rate = 0.1 + 6.0 * ((o * 104729) % 30) / 30.0;   // offence frequency
    t->count[i] = static_cast<std::int64_t>(rng.Poisson(size * rate));
    t->cell_key[i] = static_cast<std::uint32_t>(rng.Below(256));
    ++leaves;
  }
  t->FillMargins();
  const double build_s = Seconds(t0);
  das::protect::TableRules rules;
  rules.name = "bench";
  rules.value_method = method == "round" ? das::protect::ValueMethod::kRound
                       : method == "none" ? das::protect::ValueMethod::kNone
                                          : das::protect::ValueMethod::kCellKey;
  rules.audit_max_cells = audit ? t->num_cells() : 0;
  das::protect::PTableParams pp;
  pp.max_noise = 3;
  pp.variance = 2;
  pp.js = 2;
  auto pt = das::protect::GeneratePTable(pp);
  const auto t1 = std::chrono::steady_clock::now();
  auto res = das::protect::Protect(*t, rules, &*pt);
  const double protect_s = Seconds(t1);
  if (!res.ok()) {
    std::fprintf(stderr, "protect_bench: %s\n", res.status().message().c_str());
    return 1;
  }
  std::printf("cells %zu (leaves %zu), build+margins %.2f s, protect (%s%s) %.2f s: %zu primary, %zu secondary "
              "(%.1f%% of cells suppressed), %d line checks, audited %d, repair rounds %d\n",
              t->num_cells(), leaves, build_s, method.c_str(), audit ? "+audit" : "", protect_s, res->num_primary,
              res->secondary.num_secondary,
              100.0 * static_cast<double>(res->num_primary + res->secondary.num_secondary) /
                  static_cast<double>(t->num_cells()),
              res->secondary.iterations, res->secondary.audited ? 1 : 0, res->secondary.repair_rounds);
  return 0;
}
