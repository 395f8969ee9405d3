// Throughput tables (doorlooptijden): within-stage and end-to-end trajects, look-back and cohort method
// (see stats.h and docs/statistics.md).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <limits>
#include <unordered_map>

#include "das/chain/chain.h"
#include "das/core/table.h"
#include "das/protect/ckm.h"
#include "das/stats/stats.h"
#include "das/store/store.h"
#include "dimensions.h"

namespace das::stats {

double NearestRank(const std::vector<double>& sorted, double p) {
  if (sorted.empty() || !(p > 0) || p > 100) return std::numeric_limits<double>::quiet_NaN();
  const double n = static_cast<double>(sorted.size());
  // ceil(p/100 * N) computed in integers where possible to avoid 0.8*5 = 4.000000000000001.
  std::size_t rank = static_cast<std::size_t>(std::ceil(p * n / 100.0 - 1e-9));
  if (rank < 1) rank = 1;
  if (rank > sorted.size()) rank = sorted.size();
  const double v = sorted[rank - 1];
  return std::isinf(v) ? std::numeric_limits<double>::quiet_NaN() : v;
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Observations of one (year, traject, method) cell.
struct Cell {
  std::vector<double> days;    // +inf = unfinished at the final date (cohort)
  std::uint32_t key = 0;       // CKM cell key
  bool norm_undecided = false; // cohort: an unfinished unit could still finish within the norm
};

}  // namespace

Result<std::vector<StatTable>> ComputeThroughputTables(store::Store* store, const StatsConfig& config,
                                                       const StatsOptions& options, const Env& env,
                                                       ThroughputReport* report) {
  ThroughputReport local;
  ThroughputReport& rep = report != nullptr ? *report : local;
  rep = ThroughputReport{};
  const std::int64_t t0 = env.clock != nullptr ? env.clock->NowMicros() : 0;
  if (options.from_year > options.to_year || options.from_year < 1900) {
    return Status::InvalidArgument("stats: invalid year range " + std::to_string(options.from_year) + ".." +
                                   std::to_string(options.to_year));
  }
  const std::vector<const TableDef*> defs = config.Tables(TableKind::kThroughput, options.only_tables);
  std::vector<StatTable> out;
  if (defs.empty()) return out;
  if (config.trajects.empty()) return Status::InvalidArgument("stats: no trajects (normen.toml)");
  DAS_ASSIGN_OR_RETURN(protect::RecordKeyer keyer, protect::RecordKeyer::Create(options.record_key_secret));

  // Event stage names of the end-to-end trajects.
  auto event_stage = [](const std::string& name) -> int {
    for (chain::Stage s : chain::AllStages()) {
      if (chain::StageName(s) == name) return static_cast<int>(s);
    }
    return -1;
  };
  for (const TrajectDef& tr : config.trajects) {
    if (tr.within_stage()) continue;
    if (event_stage(tr.from_event) < 0 || event_stage(tr.to_event) < 0) {
      return Status::InvalidArgument("stats: " + config.dir + "/normen.toml: traject '" + tr.code +
                                     "': unknown chain_events stage '" +
                                     (event_stage(tr.from_event) < 0 ? tr.from_event : tr.to_event) + "'");
    }
  }

  const int num_years = options.to_year - options.from_year + 1;
  const std::size_t num_tr = config.trajects.size();
  // cells[(year * num_tr + traject) * 2 + method], method 0 = terugkijk, 1 = cohort.
  std::vector<Cell> cells(static_cast<std::size_t>(num_years) * num_tr * 2);
  auto cell = [&](int year, std::size_t tr, int method) -> Cell* {
    if (year < options.from_year || year > options.to_year) return nullptr;
    return &cells[(static_cast<std::size_t>(year - options.from_year) * num_tr + tr) * 2 + static_cast<std::size_t>(method)];
  };
  auto add = [&](std::size_t tr, Date start, std::optional<Date> end, std::uint32_t key) {
    const double norm = config.trajects[tr].norm_days;
    if (end) {
      if (Cell* c = cell(end->year(), tr, 0)) {
        c->days.push_back(static_cast<double>(*end - start));
        c->key = (c->key + key) % protect::kCellKeyModulus;
      }
    }
    if (Cell* c = cell(start.year(), tr, 1)) {
      const bool finished = end.has_value() && *end <= options.final_date;
      c->days.push_back(finished ? static_cast<double>(*end - start) : kInf);
      c->key = (c->key + key) % protect::kCellKeyModulus;
      if (!finished && norm >= 0 && (options.final_date - start) < norm) c->norm_undecided = true;
    }
  };

  // Within-stage trajects.
  bool any_within = false, any_e2e = false;
  for (const TrajectDef& tr : config.trajects) (tr.within_stage() ? any_within : any_e2e) = true;
  std::string key_buf;
  if (any_within) {
    auto read = store->GetTable("chain_stage_units", {"stage", "unit_id", "unit_type", "entry_date", "exit_date", "quality"});
    if (!read.ok()) {
      return Status::FailedPrecondition("stats: cannot read chain_stage_units (run `das chain` first): " +
                                        read.status().message());
    }
    const Table& t = *read;
    const int ci[6] = {t.Find("stage"), t.Find("unit_id"), t.Find("unit_type"), t.Find("entry_date"),
                       t.Find("exit_date"), t.Find("quality")};
    for (int i = 0; i < 6; ++i) {
      if (ci[i] < 0) return Status::FailedPrecondition("stats: chain_stage_units lacks a column throughput needs");
    }
    const Column &stage = t.column(static_cast<std::size_t>(ci[0])), &unit = t.column(static_cast<std::size_t>(ci[1])),
                 &utype = t.column(static_cast<std::size_t>(ci[2])), &entry = t.column(static_cast<std::size_t>(ci[3])),
                 &exit = t.column(static_cast<std::size_t>(ci[4])), &quality = t.column(static_cast<std::size_t>(ci[5]));
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      if (stage.IsNull(r)) continue;
      const std::string_view st = stage.GetString(r);
      bool keyed = false;
      std::uint32_t key = 0;
      for (std::size_t k = 0; k < num_tr; ++k) {
        const TrajectDef& tr = config.trajects[k];
        if (!tr.within_stage() || tr.stage != st) continue;
        if (!tr.unit_type.empty() && (utype.IsNull(r) || utype.GetString(r) != tr.unit_type)) continue;
        ++rep.units_considered;
        if ((!quality.IsNull(r) && !quality.GetString(r).empty()) || entry.IsNull(r)) {
          ++rep.skipped_quality;
          continue;
        }
        if (!keyed) {
          key_buf.assign(st);
          key_buf += ':';
          if (!unit.IsNull(r)) key_buf += unit.GetString(r);
          key = keyer.Key(key_buf);
          keyed = true;
        }
        add(k, entry.GetDate(r), exit.IsNull(r) ? std::nullopt : std::optional<Date>(exit.GetDate(r)), key);
      }
    }
  }
  // End-to-end trajects: first event of `from` to first event of `to` per chain case.
  if (any_e2e) {
    auto read = store->GetTable("chain_events", {"chain_case_id", "stage_order", "date"});
    if (!read.ok()) {
      return Status::FailedPrecondition("stats: cannot read chain_events (run `das chain` first): " +
                                        read.status().message());
    }
    const Table& t = *read;
    const int ci[3] = {t.Find("chain_case_id"), t.Find("stage_order"), t.Find("date")};
    for (int i = 0; i < 3; ++i) {
      if (ci[i] < 0) return Status::FailedPrecondition("stats: chain_events lacks a column throughput needs");
    }
    const Column &cas = t.column(static_cast<std::size_t>(ci[0])), &order = t.column(static_cast<std::size_t>(ci[1])),
                 &date = t.column(static_cast<std::size_t>(ci[2]));
    constexpr int kStages = 32;
    std::int32_t first[kStages];
    auto flush = [&](std::string_view case_id) {
      if (case_id.empty()) return;
      bool keyed = false;
      std::uint32_t key = 0;
      for (std::size_t k = 0; k < num_tr; ++k) {
        const TrajectDef& tr = config.trajects[k];
        if (tr.within_stage()) continue;
        const std::int32_t a = first[event_stage(tr.from_event)];
        if (a == INT32_MAX) continue;
        const std::int32_t b = first[event_stage(tr.to_event)];
        ++rep.cases_considered;
        if (b != INT32_MAX && b < a) {
          ++rep.skipped_order;
          continue;
        }
        if (!keyed) {
          key_buf.assign("case:");
          key_buf += case_id;
          key = keyer.Key(key_buf);
          keyed = true;
        }
        add(k, Date(a), b == INT32_MAX ? std::nullopt : std::optional<Date>(Date(b)), key);
      }
    };
    std::string current;
    std::fill(std::begin(first), std::end(first), INT32_MAX);
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      if (cas.IsNull(r)) continue;
      const std::string_view id = cas.GetString(r);
      if (id != current) {
        flush(current);
        current.assign(id);
        std::fill(std::begin(first), std::end(first), INT32_MAX);
      }
      if (date.IsNull(r) || order.IsNull(r)) continue;
      const std::int64_t so = order.GetInt(r);
      if (so < 0 || so >= kStages) continue;
      first[so] = std::min(first[so], date.GetDate(r).days());
    }
    flush(current);
  }

  for (Cell& c : cells) std::sort(c.days.begin(), c.days.end());
  for (const TableDef* def : defs) {
    StatTable st;
    st.id = def->id;
    st.title_nl = def->title_nl;
    st.title_en = def->title_en;
    st.description_nl = def->description_nl;
    st.description_en = def->description_en;
    st.theme = def->theme;
    st.protection = def->protection;
    std::vector<std::string> sources;
    for (const TrajectDef& tr : config.trajects) {
      const std::string s = tr.within_stage() ? tr.stage : "chain_events";
      if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
    }
    st.source_stages = sources;
    DAS_ASSIGN_OR_RETURN(PeriodDimension time, BuildPerioden(options.from_year, options.to_year, PeriodLevel::kYear,
                                                              false, options.final_date));
    // The dimensions in the table's declared order (Perioden first, checked by Load).
    std::vector<int> order;  // 0 = Perioden, 1 = Traject, 2 = Methode
    for (const DimensionDef& d : def->dims) {
      if (d.id == "Perioden") {
        st.dims.push_back(time.spec);
        order.push_back(0);
      } else if (d.id == "Traject") {
        DimensionSpec ds;
        ds.id = "Traject";
        ds.title_nl = "Traject";
        ds.title_en = "Traject";
        ds.has_total = false;
        for (const TrajectDef& tr : config.trajects) {
          Code c;
          c.code = tr.code;
          c.title_nl = tr.title_nl;
          c.title_en = tr.title_en;
          if (tr.norm_days >= 0) {
            c.description_nl = "Norm: " + std::to_string(static_cast<int>(tr.norm_share)) + "% binnen " +
                               std::to_string(static_cast<int>(tr.norm_days)) + " dagen (" + tr.norm_source + ")";
            c.description_en = "Norm: " + std::to_string(static_cast<int>(tr.norm_share)) + "% within " +
                               std::to_string(static_cast<int>(tr.norm_days)) + " days";
          }
          ds.codes.push_back(std::move(c));
        }
        st.dims.push_back(std::move(ds));
        order.push_back(1);
      } else {
        DimensionSpec ds;
        ds.id = "Methode";
        ds.title_nl = "Methode";
        ds.title_en = "Method";
        ds.has_total = false;
        Code a, b;
        a.code = "terugkijk";
        a.title_nl = "Terugkijkmethode (afgerond in de periode)";
        a.title_en = "Look-back method (finished in the period)";
        b.code = "cohort";
        b.title_nl = "Cohortmethode (begonnen in de periode)";
        b.title_en = "Cohort method (started in the period)";
        ds.codes = {a, b};
        st.dims.push_back(std::move(ds));
        order.push_back(2);
      }
    }
    const std::size_t n_cells = st.num_cells();
    for (const TopicDef& tp : def->topics) {
      MeasureSpec m;
      m.id = tp.id;
      m.title_nl = tp.title_nl;
      m.title_en = tp.title_en;
      m.description_nl = tp.description_nl;
      m.description_en = tp.description_en;
      m.unit = tp.unit;
      m.decimals = tp.decimals;
      m.definition = tp.definition;
      m.cell_key_id = "doorlooptijd." + tp.statistic;
      m.kind = tp.statistic == "aantal" ? MeasureKind::kCount : MeasureKind::kDerived;
      MeasureValues v;
      v.value.assign(n_cells, kNaN);
      v.n.assign(n_cells, 0);
      if (m.kind == MeasureKind::kCount) v.cell_key.assign(n_cells, 0);
      for (std::size_t i = 0; i < n_cells; ++i) {
        int coord[3] = {0, 0, 0};
        for (std::size_t d = 0; d < order.size(); ++d) coord[order[d]] = st.CodeOf(i, d);
        Cell& c = cells[(static_cast<std::size_t>(coord[0]) * num_tr + static_cast<std::size_t>(coord[1])) * 2 +
                        static_cast<std::size_t>(coord[2])];
        const TrajectDef& tr = config.trajects[static_cast<std::size_t>(coord[1])];
        const auto n = static_cast<std::int64_t>(c.days.size());
        v.n[i] = n;
        if (tp.statistic == "aantal") {
          v.value[i] = static_cast<double>(n);
          v.cell_key[i] = c.key;
        } else if (tp.statistic == "norm") {
          v.value[i] = tr.norm_days >= 0 ? tr.norm_days : kNaN;
        } else if (tp.statistic == "binnen_norm") {
          if (tr.norm_days >= 0 && n > 0 && !c.norm_undecided) {
            const auto within = std::count_if(c.days.begin(), c.days.end(), [&](double d) { return d <= tr.norm_days; });
            v.value[i] = 100.0 * static_cast<double>(within) / static_cast<double>(n);
          }
        } else {
          const double p = tp.statistic == "mediaan" ? 50 : tp.statistic == "p80" ? 80 : 90;
          v.value[i] = NearestRank(c.days, p);
        }
      }
      st.measures.push_back(std::move(m));
      st.values.push_back(std::move(v));
    }
    out.push_back(std::move(st));
  }
  rep.seconds = env.clock != nullptr ? static_cast<double>(env.clock->NowMicros() - t0) / 1e6 : 0.0;
  return out;
}

}  // namespace das::stats
