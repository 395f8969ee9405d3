// Chain statistics: flows (inflow, outflow by destination), stocks (werkvoorraad) and throughput times
// (doorlooptijden) per chain stage, as StatTables (das/stats/stat_table.h) ready for disclosure control.
//
// In: the chain model tables chain_stage_units and chain_events of a Store (das chain), the table definitions
// in config/stats/tabellen.toml and the throughput trajects and norms in config/stats/normen.toml, the 2024
// geography (config/geo) and the code lists (config/codelists). Out: one StatTable per declared table and
// stage. Definitions: docs/statistics.md.
//
// Invariants (checked; Internal error otherwise):
// - stock(P) = stock(P-1) + inflow(P) - outflow(P) for every stage, finest period and cell, where the stock
//   before the first period counts the units that entered before `from_year` and had not left by then;
// - every unit with an entry date is counted in exactly one leaf cell of every flow table (null or unknown
//   dimension values go to the 'onbekend' codes and are counted in FlowReport::unknown_dims);
// - totals (margins) are sums of their children over the dense cross product.
//
// Errors: Load names the file and the key (and the TOML line) of a bad definition; the Compute functions
// return FailedPrecondition when chain tables or columns are missing (run `das chain` first).
// Threading: one thread; the Store is used by one thread at a time. Ownership: the options' pointers are not
// owned and must outlive the call.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "das/core/date.h"
#include "das/core/env.h"
#include "das/core/status.h"
#include "das/stats/stat_table.h"

namespace das::geo {
class Geography;
}
namespace das::harmonise {
class AgeGroups;
class TargetList;
}
namespace das::store {
class Store;
}

namespace das::stats {

// One chain stage as the statistics see it (tabellen.toml [[stage]]).
struct StageDef {
  std::string stage;            // chain_stage_units.stage, e.g. "om"
  std::string stem;             // table stem, e.g. "OM"
  std::string theme;            // default theme of its tables
  std::string unit_nl, unit_en; // what a unit is, e.g. "OM-zaken" / "prosecution cases"
  std::string exit_codelist;    // config/codelists target list of its exit types ("" = inline exit_types)
  std::vector<Code> exit_types; // inline exit types (code, title_nl, title_en) when exit_codelist is empty
  std::string unit_codelist;    // target list of its unit types (for a "Soort" dimension; "" = inline)
  std::vector<Code> unit_types;
};

// What a flow-table topic counts.
enum class FlowMeasure : std::uint8_t { kInflow, kOutflow, kStock };

struct TopicDef {
  std::string id;               // CBS topic key, e.g. "Instroom_1"
  std::string title_nl, title_en, description_nl, description_en;
  std::string unit = "aantal";
  int decimals = 0;
  FlowMeasure measure = FlowMeasure::kInflow;  // flow tables
  std::string statistic;        // throughput tables: aantal, mediaan, p80, p90, binnen_norm, norm
  std::string definition;       // formula text for the metadata
};

// A dimension of a table with its granularity. id: Perioden (level jaar|kwartaal|maand, hierarchy),
// RegioS (level land|provincie|gemeente|politie), Delict (level 1..3), Leeftijd (level groep|minderjarig),
// Geslacht, Bestemming (the stage's exit types), Soort (the stage's unit types), Traject, Methode.
struct DimensionDef {
  std::string id;
  std::string level;
  bool hierarchy = false;
};

enum class TableKind : std::uint8_t { kFlow, kThroughput };

struct TableDef {
  std::string id;               // after template expansion, e.g. "DAS_OM_Regio"
  std::string title_nl, title_en, description_nl, description_en;
  std::string theme;
  std::string stage;            // flow tables: the chain stage; throughput tables: ""
  std::string protection;
  TableKind kind = TableKind::kFlow;
  std::vector<DimensionDef> dims;
  std::vector<TopicDef> topics;
  int line = 0;                 // of its [[table]] in tabellen.toml
};

// A throughput traject (normen.toml [[traject]]): within a stage (exit - entry of its units, optionally of one
// unit type) or between two chain_events stages of one chain case (first event of `from` to first of `to`).
struct TrajectDef {
  std::string code;             // Traject code, e.g. "om", "court_politierechter", "registered-om_inflow"
  std::string title_nl, title_en;
  std::string stage;            // within-stage traject: chain_stage_units.stage
  std::string unit_type;        // optional filter on unit_type
  std::string from_event, to_event;  // end-to-end traject: chain_events.stage names
  double norm_days = -1;        // < 0: no norm
  double norm_share = -1;       // the target share within the norm, % (documentation; < 0: none)
  std::string norm_source;
  bool within_stage() const { return !stage.empty(); }
};

struct StatsConfig {
  std::vector<StageDef> stages;
  std::vector<TableDef> tables;  // flow tables expanded per stage, then throughput tables
  std::vector<TrajectDef> trajects;
  std::string dir;

  // Reads `dir`/tabellen.toml and `dir`/normen.toml. Errors name file, key and line, e.g.
  // "config/stats/tabellen.toml: table 'DAS_{stem}_Regio' (line 40): topic 'Instroom_1': unknown measure 'x'".
  static Result<StatsConfig> Load(const std::string& dir, const FileSystem& fs);
  const StageDef* FindStage(const std::string& stage) const;
  // The tables of `kind`, in config order; only those named in `only` unless it is empty.
  std::vector<const TableDef*> Tables(TableKind kind, const std::vector<std::string>& only) const;
};

struct StatsOptions {
  int from_year = 0, to_year = 0;   // the periods of the tables (inclusive)
  Date final_date;                  // periods ending after it are "Voorlopig"; cohort follow-up ends here
  std::string record_key_secret;    // CKM record keys (>= 16 bytes)
  const geo::Geography* geography = nullptr;          // required
  const harmonise::AgeGroups* age_groups = nullptr;   // required for Leeftijd
  const harmonise::TargetList* scm = nullptr;         // required for Delict ("scm2010")
  // Code lists named by StageDef.exit_codelist / unit_codelist (from harmonise::Config::targets); a stage
  // naming a list that is not here is an error.
  std::vector<const harmonise::TargetList*> codelists;
  // Only these table ids (empty = all).
  std::vector<std::string> only_tables;
};

// Accounting of a flow computation.
struct FlowReport {
  std::int64_t units_read = 0;
  std::int64_t no_entry_date = 0;      // skipped (quality no_entry_date or null entry)
  std::int64_t unknown_stage = 0;      // rows of stages without a StageDef (not counted)
  std::int64_t exit_before_entry = 0;  // exits before the entry, counted as a zero-day stay (never from das chain)
  std::int64_t unknown_dims = 0;       // unit x table-dimension values that went to an 'onbekend' code
  std::vector<std::pair<std::string, std::int64_t>> unknown_by_dimension;  // "<table>.<dimension>" -> units
  double seconds_read = 0, seconds_compute = 0;
};

// Flow tables (TableKind::kFlow) from chain_stage_units. `report` may be null.
Result<std::vector<StatTable>> ComputeFlowTables(store::Store* store, const StatsConfig& config,
                                                 const StatsOptions& options, const Env& env,
                                                 FlowReport* report = nullptr);

struct ThroughputReport {
  std::int64_t units_considered = 0;
  std::int64_t skipped_quality = 0;    // within-stage units skipped for a quality flag
  std::int64_t cases_considered = 0;   // end-to-end: (case, traject) pairs with a `from` event
  std::int64_t skipped_order = 0;      // end-to-end: pairs whose first `to` event precedes the first `from`
  double seconds = 0;
};

// Throughput tables (TableKind::kThroughput) from chain_stage_units and chain_events.
Result<std::vector<StatTable>> ComputeThroughputTables(store::Store* store, const StatsConfig& config,
                                                       const StatsOptions& options, const Env& env,
                                                       ThroughputReport* report = nullptr);

// Nearest-rank percentile of `sorted` (ascending; +infinity allowed for unfinished units): the value at rank
// ceil(p/100 * N) (1-based); NaN when N = 0 or that value is +infinity. p in (0, 100].
double NearestRank(const std::vector<double>& sorted, double p);

}  // namespace das::stats
