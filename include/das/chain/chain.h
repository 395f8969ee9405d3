// The chain model: harmonised, linked tables ready for statistics (persons, cases, events, stage units,
// sanctions, executions), built from the h_<dataset> tables of `das harmonise` and the links of `das link`.
//
// In (store tables): h_politie_misdrijven, h_politie_verdachten, h_halt_verwijzingen, h_om_zaken,
// h_rvdk_strafonderzoeken, h_rechtspraak_uitspraken, h_rechtspraak_sancties, h_cjib_inning, h_dji_detenties,
// h_reclassering_werkstraffen (a missing one is an empty dataset), "links" and "link_events" (required).
// Out (Store::PutTable): chain_persons, chain_person_residence, chain_cases, chain_events, chain_stage_units,
// chain_sanctions, chain_executions and chain_accounting (rows in/out per table and source dataset). The
// report (JSON) is the meta of chain_accounting. Columns, vocabulary and rules: docs/chain-model.md.
//
// Invariants (checked; Internal error otherwise):
// - every source record of a chain dataset gives at least one chain_events row (its entry event, with a null
//   date when the record has none) and exactly one row in its own table (stage unit, sanction, execution);
// - a record that is not in "links" is kept with a null chain_case_id and person_id, and counted;
// - every output row names its source (dataset, record_key); rows are sorted by ids, so the same input gives
//   byte-identical tables;
// - a stage unit's exit is never before its entry (an exit dated before the entry is set to the entry and
//   flagged quality = "exit_before_entry"), so stock(t) = stock(s) + inflow(s, t] - outflow(s, t] holds.
// Threading: one thread; the Store is used by one thread at a time. Errors: FailedPrecondition when the
// links are missing (run `das link` first) or a required column is absent (naming table and column).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "das/core/date.h"
#include "das/core/env.h"
#include "das/core/status.h"
#include "das/core/table.h"
#include "das/harmonise/codelists.h"

namespace das::store {
class Store;
}

namespace das::chain {

// The event stages, in flow order (the value is the stage_order column of chain_events).
enum class Stage : std::uint8_t {
  kRegistered = 1,
  kCleared,
  kSuspectRegistered,
  kPoliceDisposal,
  kOmInflow,
  kOmDecision,
  kCourtInflow,
  kJudgment,
  kSanctionImposed,
  kCjibRegistered,
  kCjibSettled,
  kDjiEntry,
  kDjiExit,
  kReclasseringStart,
  kReclasseringEnd,
  kHaltReferral,
  kHaltEnd,
  kRvdkStart,
  kRvdkEnd,
};
std::string_view StageName(Stage s);  // "registered", "om_decision", ...
const std::vector<Stage>& AllStages();

// The stage-bounded units (chain_stage_units.stage).
enum class UnitStage : std::uint8_t {
  kPoliceRegistration = 1,  // a registered crime: entry registration, exit clearance
  kPoliceSuspect,           // a suspect (pv): entry registration, exit police disposal
  kHalt,                    // a Halt referral: entry referral, exit end (afloop)
  kOm,                      // an OM case: entry inflow, exit decision
  kRvdk,                    // a juvenile investigation of the Raad: entry start, exit end
  kCourt,                   // a first-instance court case: entry registration, exit judgment
  kCjib,                    // a CJIB collection: entry registration, exit when collection is closed
  kDji,                     // a detention: entry, exit
  kReclassering,            // community service / supervision: start, end
};
std::string_view UnitStageName(UnitStage s);  // "police_registration", "om", ...

struct ChainOptions {
  // CBS age groups (config/codelists/leeftijdsgroep.csv via harmonise::LoadConfig); not owned, required.
  const harmonise::AgeGroups* age_groups = nullptr;
  // The data's horizon for the open/closed status of cases; default: the latest delivered_on of the chain
  // datasets' deliveries.
  std::optional<Date> horizon;
};

// Row accounting of one output table and source dataset.
struct TableCount {
  std::string table;
  std::string dataset;             // source dataset ("" for tables not built from one, e.g. chain_persons)
  std::int64_t records_in = 0;     // source records of `dataset` considered for `table`
  std::int64_t rows_out = 0;       // rows written
  std::int64_t without_case = 0;   // rows with a null chain_case_id (record not in links)
  std::int64_t without_person = 0; // rows with a null person_id
};

struct Report {
  Date horizon;
  std::int64_t records = 0;          // source records of the chain datasets
  std::int64_t unplaced = 0;         // records not found in links (kept, null case/person)
  std::int64_t persons = 0, cases = 0, events = 0, units = 0, sanctions = 0, executions = 0;
  std::int64_t residence_rows = 0;
  std::int64_t exit_before_entry = 0;  // stage units whose exit was set to the entry
  std::vector<TableCount> counts;
  std::vector<std::pair<std::string, double>> phase_seconds;  // load, place, persons_cases, events_units, write
  double seconds = 0;
  std::string ToJson() const;
  std::string ToText() const;
};

// Builds the chain model from `store` (see the header comment) and writes its tables. `env` supplies the
// clock for timings.
Result<Report> BuildChain(store::Store* store, const ChainOptions& options, const Env& env);

}  // namespace das::chain
