// Flow tables: inflow, outflow (by destination) and end-of-period stock per chain stage (see stats.h and
// docs/statistics.md).
//
// Shape of the computation: chain_stage_units is read once (only the columns the tables need). Per stage, every
// string column a dimension reads is interned to small integers in one pass (one hash lookup per row and
// column), dates are turned into month ordinals once, and the units' CKM record keys computed once. Per table,
// each dimension maps dictionary ids to code indices through a lookup vector, and units are counted into dense
// arrays at their leaf cells; stocks go through a difference array over the finest periods (+1 at the entry
// period, -1 at the exit period) and a prefix sum. Margins (totals) are filled last. No per-row allocation.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "das/core/table.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/protect/ckm.h"
#include "das/stats/stats.h"
#include "das/store/store.h"
#include "dimensions.h"

namespace das::stats {
namespace {

constexpr std::int32_t kBefore = -1;  // month ordinal of a date before from_year

double Seconds(const Env& env, std::int64_t since) {
  return env.clock != nullptr ? static_cast<double>(env.clock->NowMicros() - since) / 1e6 : 0.0;
}
std::int64_t Now(const Env& env) { return env.clock != nullptr ? env.clock->NowMicros() : 0; }

// A string column of one stage interned to ids (0 = null).
struct Interned {
  std::vector<std::uint32_t> ids;          // per stage row
  std::vector<std::string_view> values;    // per id (values[0] unused: null)
};

Interned Intern(const Column& col, const std::vector<std::uint32_t>& rows) {
  Interned out;
  out.values.emplace_back();
  std::unordered_map<std::string_view, std::uint32_t> dict;
  out.ids.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::size_t r = rows[i];
    if (col.IsNull(r)) {
      out.ids[i] = 0;
      continue;
    }
    const std::string_view v = col.GetString(r);
    auto [it, inserted] = dict.emplace(v, static_cast<std::uint32_t>(out.values.size()));
    if (inserted) out.values.push_back(v);
    out.ids[i] = it->second;
  }
  return out;
}

// A bool column ("minor") interned as the strings "1"/"0".
Interned InternBool(const Column& col, const std::vector<std::uint32_t>& rows) {
  Interned out;
  out.values = {std::string_view(), "0", "1"};
  out.ids.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::size_t r = rows[i];
    out.ids[i] = col.IsNull(r) ? 0 : (col.GetInt(r) != 0 ? 2 : 1);
  }
  return out;
}

std::int32_t MonthOrdinal(Date d, int from_year, std::int32_t num_months) {
  const Ymd ymd = d.ToYmd();
  const std::int64_t m = static_cast<std::int64_t>(ymd.year - from_year) * 12 + ymd.month - 1;
  if (m < 0) return kBefore;
  return m >= num_months ? num_months : static_cast<std::int32_t>(m);
}

// The rows of one stage, with what every table needs per row.
struct StageData {
  const StageDef* def = nullptr;
  std::vector<std::uint32_t> rows;           // row numbers in the read table (units with an entry date)
  std::vector<std::int32_t> entry_month;     // kBefore, 0..num_months-1, or num_months (after)
  std::vector<std::int32_t> exit_month;      // same; num_months + 1 = no exit
  std::vector<std::uint8_t> key;             // CKM record key
  std::map<std::string, Interned> columns;   // interned dimension columns
};

}  // namespace

// Builds the non-time dimension `d` of a flow table for `stage`.
static Result<BuiltDimension> BuildDimension(const DimensionDef& d, const StageDef& stage, const StatsOptions& o) {
  auto find_list = [&](const std::string& name) -> const harmonise::TargetList* {
    for (const harmonise::TargetList* l : o.codelists) {
      if (l != nullptr && l->name() == name) return l;
    }
    return nullptr;
  };
  if (d.id == "RegioS") {
    if (o.geography == nullptr) return Status::InvalidArgument("stats: StatsOptions.geography is required");
    if (d.level == "politie") return BuildPoliceRegio(*o.geography);
    DAS_ASSIGN_OR_RETURN(RegioLevel level, ParseRegioLevel(d.level));
    return BuildRegio(*o.geography, level);
  }
  if (d.id == "Delict") {
    if (o.scm == nullptr) return Status::InvalidArgument("stats: StatsOptions.scm (the scm2010 list) is required");
    return BuildDelict(*o.scm, std::stoi(d.level));
  }
  if (d.id == "Leeftijd") {
    if (o.age_groups == nullptr) return Status::InvalidArgument("stats: StatsOptions.age_groups is required");
    return BuildLeeftijd(*o.age_groups, d.level == "groep");
  }
  if (d.id == "Geslacht") return BuildGeslacht();
  if (d.id == "Bestemming" || d.id == "Soort") {
    const bool exits = d.id == "Bestemming";
    const std::string& list_name = exits ? stage.exit_codelist : stage.unit_codelist;
    const std::string column = exits ? "exit_type" : "unit_type";
    const std::string title_nl = exits ? "Bestemming (soort uitstroom)" : "Soort eenheid";
    const std::string title_en = exits ? "Destination (type of exit)" : "Type of unit";
    if (!list_name.empty()) {
      const harmonise::TargetList* list = find_list(list_name);
      if (list == nullptr) {
        return Status::InvalidArgument("stats: stage '" + stage.stage + "' names code list '" + list_name +
                                       "', which is not in StatsOptions.codelists");
      }
      return BuildTree(d.id, title_nl, title_en, column, *list);
    }
    const std::vector<Code>& codes = exits ? stage.exit_types : stage.unit_types;
    if (codes.empty()) {
      return Status::InvalidArgument("stats: stage '" + stage.stage + "' declares no " +
                                     (exits ? "exit types" : "unit types") + " for dimension " + d.id);
    }
    return BuildFlat(d.id, title_nl, title_en, column, "totaal", "Totaal", "Total", codes);
  }
  return Status::InvalidArgument("stats: dimension '" + d.id + "' is not a flow-table dimension");
}

Result<std::vector<StatTable>> ComputeFlowTables(store::Store* store, const StatsConfig& config,
                                                 const StatsOptions& options, const Env& env, FlowReport* report) {
  FlowReport local;
  FlowReport& rep = report != nullptr ? *report : local;
  rep = FlowReport{};
  if (options.from_year > options.to_year || options.from_year < 1900) {
    return Status::InvalidArgument("stats: invalid year range " + std::to_string(options.from_year) + ".." +
                                   std::to_string(options.to_year));
  }
  DAS_ASSIGN_OR_RETURN(protect::RecordKeyer keyer, protect::RecordKeyer::Create(options.record_key_secret));

  const std::vector<const TableDef*> defs = config.Tables(TableKind::kFlow, options.only_tables);
  std::vector<StatTable> out;
  if (defs.empty()) return out;

  // Build every table's dimensions first (config errors before reading data) and collect the columns.
  struct Plan {
    const TableDef* def;
    PeriodDimension time;
    std::vector<BuiltDimension> dims;  // non-time dimensions in table order (after Perioden)
  };
  std::vector<Plan> plans;
  std::vector<std::string> columns = {"stage", "unit_id", "entry_date", "exit_date", "quality"};
  auto need = [&](const std::string& c) {
    if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
  };
  for (const TableDef* t : defs) {
    const StageDef* stage = config.FindStage(t->stage);
    if (stage == nullptr) return Status::Internal("stats: table '" + t->id + "' has no stage");
    Plan p{t, {}, {}};
    DAS_ASSIGN_OR_RETURN(PeriodLevel level, ParsePeriodLevel(t->dims.front().level));
    DAS_ASSIGN_OR_RETURN(p.time, BuildPerioden(options.from_year, options.to_year, level, t->dims.front().hierarchy,
                                               options.final_date));
    for (std::size_t i = 1; i < t->dims.size(); ++i) {
      auto built = BuildDimension(t->dims[i], *stage, options);
      if (!built.ok()) return built.status().WithContext("table '" + t->id + "'");
      need(built->column);
      p.dims.push_back(std::move(built).value());
    }
    plans.push_back(std::move(p));
  }

  std::int64_t t0 = Now(env);
  auto read = store->GetTable("chain_stage_units", columns);
  if (!read.ok()) {
    return Status::FailedPrecondition("stats: cannot read chain_stage_units (run `das chain` first): " +
                                      read.status().message());
  }
  const Table& units = *read;
  std::vector<const Column*> col(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const int ci = units.Find(columns[i]);
    if (ci < 0) return Status::FailedPrecondition("stats: chain_stage_units has no column '" + columns[i] + "'");
    col[i] = &units.column(static_cast<std::size_t>(ci));
  }
  const Column& c_stage = *col[0];
  const Column& c_unit = *col[1];
  const Column& c_entry = *col[2];
  const Column& c_exit = *col[3];
  const Column& c_quality = *col[4];
  rep.seconds_read = Seconds(env, t0);
  t0 = Now(env);

  const int num_years = options.to_year - options.from_year + 1;
  const std::int32_t num_months = num_years * 12;
  const std::int32_t kNoExit = num_months + 1;

  // Rows per stage.
  std::map<std::string, StageData, std::less<>> stages;
  for (const TableDef* t : defs) stages[t->stage].def = config.FindStage(t->stage);
  std::string key_buf;
  {
    std::string_view last_name;
    StageData* last = nullptr;
    for (std::size_t r = 0; r < units.num_rows(); ++r) {
      ++rep.units_read;
      const std::string_view name = c_stage.IsNull(r) ? std::string_view() : c_stage.GetString(r);
      if (last == nullptr || name != last_name) {
        auto it = stages.find(name);
        last = it == stages.end() ? nullptr : &it->second;
        last_name = name;
        if (last == nullptr) {
          ++rep.unknown_stage;
          last_name = {};
          continue;
        }
      }
      if (c_entry.IsNull(r) || (!c_quality.IsNull(r) && c_quality.GetString(r) == "no_entry_date")) {
        ++rep.no_entry_date;
        continue;
      }
      StageData& s = *last;
      s.rows.push_back(static_cast<std::uint32_t>(r));
      const Date entry = c_entry.GetDate(r);
      s.entry_month.push_back(MonthOrdinal(entry, options.from_year, num_months));
      if (c_exit.IsNull(r)) {
        s.exit_month.push_back(kNoExit);
      } else {
        Date exit = c_exit.GetDate(r);
        if (exit < entry) {  // the chain model never gives this; treat as a zero-day stay like it does
          ++rep.exit_before_entry;
          exit = entry;
        }
        s.exit_month.push_back(MonthOrdinal(exit, options.from_year, num_months));
      }
      key_buf.assign(s.def->stage);
      key_buf += ':';
      if (!c_unit.IsNull(r)) key_buf += c_unit.GetString(r);
      s.key.push_back(static_cast<std::uint8_t>(keyer.Key(key_buf)));
    }
  }
  for (auto& [name, s] : stages) {
    for (std::size_t i = 5; i < columns.size(); ++i) {
      const Column& c = *col[i];
      s.columns[columns[i]] = c.type() == ColumnType::kBool ? InternBool(c, s.rows) : Intern(c, s.rows);
    }
  }

  for (Plan& p : plans) {
    const TableDef& def = *p.def;
    const StageData& s = stages[def.stage];
    const PeriodDimension& time = p.time;
    const int fin = static_cast<int>(time.finest);
    const std::int32_t months_per_ord = time.finest == PeriodLevel::kYear ? 12 : time.finest == PeriodLevel::kQuarter ? 3 : 1;
    const int num_ord = time.num_ordinals();

    // Lookup vectors: dictionary id -> code index, per non-time dimension.
    const std::size_t nd = p.dims.size();
    std::vector<std::vector<int>> lut(nd);
    std::vector<const std::vector<std::uint32_t>*> ids(nd);
    std::vector<std::size_t> unknown_count(nd, 0);
    std::size_t rest_cells = 1;
    for (std::size_t d = 0; d < nd; ++d) {
      const Interned& in = s.columns.at(p.dims[d].column);
      ids[d] = &in.ids;
      lut[d].resize(in.values.size());
      lut[d][0] = p.dims[d].Map({}, true);
      for (std::size_t v = 1; v < in.values.size(); ++v) lut[d][v] = p.dims[d].Map(in.values[v]);
      rest_cells *= p.dims[d].spec.codes.size();
    }
    const std::size_t num_time = time.spec.codes.size();
    const std::size_t num_cells = num_time * rest_cells;

    // Leaf counts: inflow/outflow at [finest time code][rest]; stock deltas at [ordinal][rest].
    std::vector<std::int64_t> in_n(num_cells, 0), out_n(num_cells, 0), stock_n(num_cells, 0);
    std::vector<std::uint32_t> in_k(num_cells, 0), out_k(num_cells, 0), stock_k(num_cells, 0);
    std::vector<std::int64_t> delta_n(static_cast<std::size_t>(num_ord + 1) * rest_cells, 0);
    std::vector<std::uint32_t> delta_k(static_cast<std::size_t>(num_ord + 1) * rest_cells, 0);
    std::vector<std::int64_t> open_n(rest_cells, 0);  // stock before the first period (for the balance check)
    std::vector<std::int64_t> fin_in(static_cast<std::size_t>(num_ord) * rest_cells, 0),
        fin_out(static_cast<std::size_t>(num_ord) * rest_cells, 0);

    for (std::size_t i = 0; i < s.rows.size(); ++i) {
      std::size_t rest = 0;
      for (std::size_t d = 0; d < nd; ++d) {
        const int code = lut[d][(*ids[d])[i]];
        if (code == p.dims[d].unknown && p.dims[d].spec.codes.size() > 1) ++unknown_count[d];
        rest = rest * p.dims[d].spec.codes.size() + static_cast<std::size_t>(code);
      }
      const std::uint32_t key = s.key[i];
      const std::int32_t em = s.entry_month[i];
      const std::int32_t xm = s.exit_month[i];
      if (em >= num_months) continue;  // entered after the last period: in nothing
      const int e_ord = em == kBefore ? -1 : em / months_per_ord;
      const int x_ord = xm == kNoExit ? num_ord : (xm == kBefore ? -1 : (xm >= num_months ? num_ord : xm / months_per_ord));
      if (e_ord >= 0) {
        const std::size_t c = static_cast<std::size_t>(time.covering[static_cast<std::size_t>(e_ord)][static_cast<std::size_t>(fin)]) * rest_cells + rest;
        ++in_n[c];
        in_k[c] = (in_k[c] + key) % protect::kCellKeyModulus;
        ++fin_in[static_cast<std::size_t>(e_ord) * rest_cells + rest];
      }
      if (xm != kNoExit && x_ord >= 0 && x_ord < num_ord) {
        const std::size_t c = static_cast<std::size_t>(time.covering[static_cast<std::size_t>(x_ord)][static_cast<std::size_t>(fin)]) * rest_cells + rest;
        ++out_n[c];
        out_k[c] = (out_k[c] + key) % protect::kCellKeyModulus;
        ++fin_out[static_cast<std::size_t>(x_ord) * rest_cells + rest];
      }
      // In stock at the end of ordinals [max(e_ord, 0), x_ord); before the first period if e_ord < 0 <= x_ord.
      const int from = e_ord < 0 ? 0 : e_ord;
      if (e_ord < 0 && x_ord >= 0) ++open_n[rest];
      if (from < x_ord) {
        const std::size_t a = static_cast<std::size_t>(from) * rest_cells + rest;
        const std::size_t b = static_cast<std::size_t>(x_ord) * rest_cells + rest;
        ++delta_n[a];
        delta_k[a] = (delta_k[a] + key) % protect::kCellKeyModulus;
        --delta_n[b];
        delta_k[b] = (delta_k[b] + protect::kCellKeyModulus - key) % protect::kCellKeyModulus;
      }
    }
    // Prefix sums over ordinals -> stock at each ordinal's end; the balance check at the leaves.
    std::vector<std::int64_t> run_n(rest_cells, 0), prev(open_n);
    std::vector<std::uint32_t> run_k(rest_cells, 0);
    std::vector<std::int64_t> stock_ord_n(static_cast<std::size_t>(num_ord) * rest_cells);
    std::vector<std::uint32_t> stock_ord_k(static_cast<std::size_t>(num_ord) * rest_cells);
    for (int k = 0; k < num_ord; ++k) {
      for (std::size_t r = 0; r < rest_cells; ++r) {
        const std::size_t a = static_cast<std::size_t>(k) * rest_cells + r;
        run_n[r] += delta_n[a];
        run_k[r] = (run_k[r] + delta_k[a]) % protect::kCellKeyModulus;
        stock_ord_n[a] = run_n[r];
        stock_ord_k[a] = run_k[r];
        if (run_n[r] != prev[r] + fin_in[a] - fin_out[a] || run_n[r] < 0) {
          return Status::Internal("stats: table '" + def.id + "': balance violated at period " +
                                  time.spec.codes[static_cast<std::size_t>(time.covering[static_cast<std::size_t>(k)][static_cast<std::size_t>(fin)])].code +
                                  ", cell " + std::to_string(r) + ": stock " + std::to_string(run_n[r]) + " != " +
                                  std::to_string(prev[r]) + " + " + std::to_string(fin_in[a]) + " - " +
                                  std::to_string(fin_out[a]));
        }
        prev[r] = run_n[r];
      }
    }
    // Stock of every time code = stock at the end of its last finest period.
    for (std::size_t tc = 0; tc < num_time; ++tc) {
      const std::size_t k = static_cast<std::size_t>(time.last_ordinal[tc]);
      for (std::size_t r = 0; r < rest_cells; ++r) {
        stock_n[tc * rest_cells + r] = stock_ord_n[k * rest_cells + r];
        stock_k[tc * rest_cells + r] = stock_ord_k[k * rest_cells + r];
      }
    }
    // Margins. Flows: time codes add into the containing period, plus every other dimension. Stocks: the time
    // dimension was filled above (a stock is not additive over time).
    std::vector<int> sizes = {static_cast<int>(num_time)};
    std::vector<const std::vector<int>*> flow_parents = {&time.containing};
    std::vector<const std::vector<int>*> stock_parents = {nullptr};
    for (const BuiltDimension& d : p.dims) {
      sizes.push_back(static_cast<int>(d.spec.codes.size()));
      flow_parents.push_back(&d.parent);
      stock_parents.push_back(&d.parent);
    }
    FillMargins(sizes, flow_parents, &in_n);
    FillMarginsMod256(sizes, flow_parents, &in_k);
    FillMargins(sizes, flow_parents, &out_n);
    FillMarginsMod256(sizes, flow_parents, &out_k);
    FillMargins(sizes, stock_parents, &stock_n);
    FillMarginsMod256(sizes, stock_parents, &stock_k);

    StatTable st;
    st.id = def.id;
    st.title_nl = def.title_nl;
    st.title_en = def.title_en;
    st.description_nl = def.description_nl;
    st.description_en = def.description_en;
    st.theme = def.theme;
    st.source_stages = {def.stage};
    st.protection = def.protection;
    st.dims.push_back(time.spec);
    for (std::size_t d = 0; d < nd; ++d) {
      st.dims.push_back(p.dims[d].spec);
      rep.unknown_dims += static_cast<std::int64_t>(unknown_count[d]);
      rep.unknown_by_dimension.emplace_back(def.id + "." + p.dims[d].spec.id, static_cast<std::int64_t>(unknown_count[d]));
    }
    for (const TopicDef& tp : def.topics) {
      MeasureSpec m;
      m.id = tp.id;
      m.title_nl = tp.title_nl;
      m.title_en = tp.title_en;
      m.description_nl = tp.description_nl;
      m.description_en = tp.description_en;
      m.unit = tp.unit;
      m.decimals = tp.decimals;
      m.kind = MeasureKind::kCount;
      m.definition = tp.definition;
      const std::vector<std::int64_t>* n = &in_n;
      const std::vector<std::uint32_t>* k = &in_k;
      switch (tp.measure) {
        case FlowMeasure::kInflow: m.cell_key_id = def.stage + ".inflow"; break;
        case FlowMeasure::kOutflow: m.cell_key_id = def.stage + ".outflow"; n = &out_n; k = &out_k; break;
        case FlowMeasure::kStock:
          m.cell_key_id = def.stage + ".stock";
          m.time = TimeSemantics::kStock;
          n = &stock_n;
          k = &stock_k;
          break;
      }
      MeasureValues v;
      v.n = *n;
      v.cell_key = *k;
      v.value.resize(n->size());
      for (std::size_t i = 0; i < n->size(); ++i) v.value[i] = static_cast<double>((*n)[i]);
      st.measures.push_back(std::move(m));
      st.values.push_back(std::move(v));
    }
    out.push_back(std::move(st));
  }
  rep.seconds_compute = Seconds(env, t0);
  return out;
}

}  // namespace das::stats
