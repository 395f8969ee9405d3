// Statistics-stage benchmark (issue 5): the flow tables (inflow, outflow, end-of-period stock per chain stage;
// DAS_<S>_Regio, _Politie, _Kenmerken, _Uitstroom) computed by das_stats from a store's chain_stage_units, as
// `das run` does in its publish stage. Times the store read and the computation separately (FlowReport) and
// the whole call; peak RSS is measured from outside (bench/stats/run.sh uses /usr/bin/time).
//
// Usage: stats_bench --store DB --from YEAR --to YEAR [--config DIR] [--final-date YYYY-MM-DD]
//                    [--checks FILE] [--repeat N]
//   --config      the config folder (default "config": run from the repository root)
//   --final-date  the data's final date (default: 1 June of to+1, the horizon of the generated worlds)
//   --checks      writes every comparable non-zero cell as "kind<TAB>stage<TAB>period<TAB>coords<TAB>measure<TAB>
//                 value" (kind Regio|Politie|Kenmerken|Uitstroom; totals as "T") for the cross-check with DuckDB
//                 (bench/stats/compare.py); not timed. Cells DuckDB's GROUPING SETS do not produce (the "_nnb"
//                 leaves and the inner levels of code-list trees in Bestemming) are left out and counted.
//   --repeat      computes N times and reports the fastest (default 1)
// The store is opened read-only in effect: only GetTable is called. Output: human-readable lines and one
// final line "RESULT {json}". Exit codes: 0 ok, 1 work failed, 2 bad usage.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/stats/stat_table.h"
#include "das/stats/stats.h"
#include "das/store/store.h"

namespace {

using das::stats::StatTable;

double SecondsSince(std::chrono::steady_clock::time_point a) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}

struct Args {
  std::string store, config = "config", final_date, checks;
  int from = 0, to = 0, repeat = 1;
};

bool ParseArgs(int argc, char** argv, Args* a) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view k = argv[i];
    if (i + 1 >= argc) return false;
    const std::string v = argv[++i];
    if (k == "--store") a->store = v;
    else if (k == "--config") a->config = v;
    else if (k == "--final-date") a->final_date = v;
    else if (k == "--checks") a->checks = v;
    else if (k == "--from") a->from = std::atoi(v.c_str());
    else if (k == "--to") a->to = std::atoi(v.c_str());
    else if (k == "--repeat") a->repeat = std::atoi(v.c_str());
    else return false;
  }
  return !a->store.empty() && a->from >= 1900 && a->to >= a->from && a->repeat >= 1;
}

// "DAS_OM_Regio" -> kind "Regio"; the stage comes from the table's source_stages.
std::string KindOf(const std::string& id) {
  const std::size_t p = id.rfind('_');
  return p == std::string::npos ? id : id.substr(p + 1);
}

// Writes the comparable non-zero cells of `t` (see the file comment). Returns the number of cells left out
// because DuckDB's grouping sets have no counterpart.
std::size_t WriteChecks(const StatTable& t, std::FILE* f, std::size_t* written) {
  const std::string kind = KindOf(t.id);
  const std::string stage = t.source_stages.empty() ? "" : t.source_stages.front();
  // Per non-time dimension and code: the key text, or "" when the code is not comparable.
  std::vector<std::vector<std::string>> key(t.dims.size());
  for (std::size_t d = 1; d < t.dims.size(); ++d) {
    const das::stats::DimensionSpec& dim = t.dims[d];
    std::map<std::string, int> children;
    for (const das::stats::Code& c : dim.codes) ++children[c.parent];
    for (const das::stats::Code& c : dim.codes) {
      std::string k;
      const bool root = c.parent.empty();
      const bool leaf = children.find(c.code) == children.end();
      if (root) {
        k = "T";
      } else if (c.code.size() > 4 && c.code.ends_with("_nnb")) {
        k = "";
      } else if ((dim.id == "Bestemming" || dim.id == "Soort") && !leaf) {
        k = "";
      } else {
        k = c.code;
      }
      key[d].push_back(std::move(k));
    }
  }
  std::size_t skipped = 0;
  std::string coords;
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    coords.clear();
    bool comparable = true;
    for (std::size_t d = 1; d < t.dims.size(); ++d) {
      const std::string& k = key[d][static_cast<std::size_t>(t.CodeOf(i, d))];
      if (k.empty()) comparable = false;
      if (d > 1) coords += '|';
      coords += k;
    }
    const std::string& period = t.dims[0].codes[static_cast<std::size_t>(t.CodeOf(i, 0))].code;
    for (std::size_t m = 0; m < t.measures.size(); ++m) {
      const std::int64_t n = t.values[m].n[i];
      if (n == 0) continue;
      if (!comparable) {
        ++skipped;
        continue;
      }
      const std::string& id = t.measures[m].id;
      const char* measure = id.starts_with("Instroom") ? "in" : id.starts_with("Uitstroom") ? "out" : "stock";
      std::fprintf(f, "%s\t%s\t%s\t%s\t%s\t%lld\n", kind.c_str(), stage.c_str(), period.c_str(), coords.c_str(),
                   measure, static_cast<long long>(n));
      ++*written;
    }
  }
  return skipped;
}

int Run(const Args& a) {
  das::Env env = das::Env::Default();
  const auto t_setup = std::chrono::steady_clock::now();
  auto harm = das::harmonise::LoadConfig(a.config + "/codelists", *env.fs);
  if (!harm.ok()) return std::fprintf(stderr, "stats_bench: %s\n", harm.status().message().c_str()), 1;
  auto geo = das::geo::Geography::Load(a.config + "/geo", env.fs);
  if (!geo.ok()) return std::fprintf(stderr, "stats_bench: %s\n", geo.status().message().c_str()), 1;
  auto config = das::stats::StatsConfig::Load(a.config + "/stats", *env.fs);
  if (!config.ok()) return std::fprintf(stderr, "stats_bench: %s\n", config.status().message().c_str()), 1;
  auto final_date = das::ParseDate(a.final_date.empty() ? std::to_string(a.to + 1) + "-06-01" : a.final_date,
                                   das::DateFormat::kIso);
  if (!final_date.ok()) return std::fprintf(stderr, "stats_bench: --final-date: %s\n", final_date.status().message().c_str()), 2;

  das::stats::StatsOptions so;
  so.from_year = a.from;
  so.to_year = a.to;
  so.final_date = *final_date;
  so.record_key_secret = "das-bench-stats-ckm-key-not-for-publication";
  so.geography = &*geo;
  so.age_groups = &harm->age_groups;
  auto scm = harm->targets.find("scm2010");
  if (scm == harm->targets.end()) return std::fprintf(stderr, "stats_bench: %s/codelists has no scm2010\n", a.config.c_str()), 1;
  so.scm = &scm->second;
  for (const auto& [name, list] : harm->targets) so.codelists.push_back(&list);
  const double setup_s = SecondsSince(t_setup);

  auto store = das::store::Store::Open(a.store);
  if (!store.ok()) return std::fprintf(stderr, "stats_bench: %s\n", store.status().message().c_str()), 1;

  std::vector<StatTable> tables;
  das::stats::FlowReport best;
  double best_total = -1;
  for (int r = 0; r < a.repeat; ++r) {
    das::stats::FlowReport rep;
    const auto t0 = std::chrono::steady_clock::now();
    auto res = das::stats::ComputeFlowTables(store->get(), *config, so, env, &rep);
    const double total = SecondsSince(t0);
    if (!res.ok()) return std::fprintf(stderr, "stats_bench: %s\n", res.status().message().c_str()), 1;
    std::printf("run %d: read %.3f s, compute %.3f s, total %.3f s\n", r + 1, rep.seconds_read, rep.seconds_compute,
                total);
    if (best_total < 0 || total < best_total) {
      best_total = total;
      best = rep;
    }
    tables = std::move(res).value();
  }

  std::size_t cells = 0, values = 0;
  for (const StatTable& t : tables) {
    cells += t.num_cells();
    values += t.num_cells() * t.measures.size();
  }
  std::printf("config: %.3f s (code lists, geography, tabellen.toml)\n", setup_s);
  std::printf("units read %lld, no entry date %lld, unknown stage %lld, unit x dimension values to 'onbekend' %lld\n",
              static_cast<long long>(best.units_read), static_cast<long long>(best.no_entry_date),
              static_cast<long long>(best.unknown_stage), static_cast<long long>(best.unknown_dims));
  std::printf("flow tables %zu, cells %zu (dense, margins included), cell values %zu\n", tables.size(), cells, values);

  // Cross-check figures: national inflow, outflow and year-end stock of the OM per year.
  for (const StatTable& t : tables) {
    if (t.id != "DAS_OM_Regio") continue;
    const int nl = t.dims[1].Find("NL01");
    for (int y = a.from; y <= a.to; ++y) {
      const int p = t.dims[0].Find(std::to_string(y) + "JJ00");
      if (nl < 0 || p < 0) continue;
      const std::size_t i = t.Index({p, nl});
      std::printf("check DAS_OM_Regio %dJJ00 NL01: inflow %lld outflow %lld stock %lld\n", y,
                  static_cast<long long>(t.values[0].n[i]), static_cast<long long>(t.values[1].n[i]),
                  static_cast<long long>(t.values[2].n[i]));
    }
  }

  if (!a.checks.empty()) {
    std::FILE* f = std::fopen(a.checks.c_str(), "w");
    if (f == nullptr) return std::fprintf(stderr, "stats_bench: cannot write %s\n", a.checks.c_str()), 1;
    std::size_t written = 0, skipped = 0;
    for (const StatTable& t : tables) skipped += WriteChecks(t, f, &written);
    if (std::fclose(f) != 0) return std::fprintf(stderr, "stats_bench: cannot write %s\n", a.checks.c_str()), 1;
    std::printf("checks: %zu non-zero values written to %s, %zu left out (_nnb leaves, inner code-list levels)\n",
                written, a.checks.c_str(), skipped);
  }
  std::printf("RESULT {\"tables\":%zu,\"cells\":%zu,\"values\":%zu,\"units_read\":%lld,\"read_s\":%.3f,"
              "\"compute_s\":%.3f,\"total_s\":%.3f}\n",
              tables.size(), cells, values, static_cast<long long>(best.units_read), best.seconds_read,
              best.seconds_compute, best_total);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!ParseArgs(argc, argv, &a)) {
    std::fprintf(stderr,
                 "usage: stats_bench --store DB --from YEAR --to YEAR [--config DIR] [--final-date YYYY-MM-DD] "
                 "[--checks FILE] [--repeat N]\n");
    return 2;
  }
  return Run(a);
}
