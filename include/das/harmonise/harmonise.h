// Harmonisation: staged (current) rows of every dataset in, the same rows with harmonised columns out.
//
// For each contract dataset present in the store: the current rows (Store::ReadCurrent with the contract
// key) are read, every rule of harmonisatie.csv for that dataset adds columns, and the result is written as
// the derived table "h_<dataset>" (Store::PutTable). Invariants (checked, Internal error otherwise): every
// row is kept (rows in = rows out), in the same order, with all source columns unchanged; every added
// column has a value in every row (a harmonised member or "onbekend").
//
// Columns added per rule kind (see docs/harmonisation.md):
//   code     <output> (target member code), and <output>_level1 / <output>_level2 when the target tree is
//            deeper than that level (the ancestor at that level, or the member itself if it is shallower).
//   gemeente <output> (the 2024 gemeente via das_geo Successor), province, police_unit, arrondissement.
//   buurt    <output> (the 2024 buurt via das_geo CurrentBuurt), gemeente_2024, province, police_unit,
//            arrondissement.
//   age      <output> (age group code) and minor (bool; null when the age is unknown).
// The record's reference date chooses the mapping row: the rule's date_field, else the contract's
// reference_date, and when that is empty on a row (or the contract has none) the first day of the period of
// the delivery the row comes from.
//
// Values that cannot be harmonised get "onbekend" and are counted per dataset, field, code and reason
// (unknown: code not in the mapping / region not in the geography; expired: no mapping row valid on the
// date; missing: empty value where the mapping has no "(leeg)" row). The counts go to the table
// "harmonise_unknowns" (dataset, field, code, reason, rows) and into the Report.
//
// Threading: one thread; a Store is used by one thread at a time. Geography and Config are only read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "das/contract/contract.h"
#include "das/core/status.h"
#include "das/core/table.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/store/store.h"

namespace das::harmonise {

struct UnknownCount {
  std::string dataset;
  std::string field;
  std::string code;    // the source value as delivered ("" for an empty value)
  std::string reason;  // unknown, expired, missing
  std::int64_t rows = 0;
};

struct DatasetReport {
  std::string dataset;
  std::int64_t rows_in = 0;
  std::int64_t rows_out = 0;
  std::vector<std::string> added_columns;
  std::int64_t unknown_rows = 0;  // sum of the unknown counts of this dataset (a row may count per field)
  double seconds = 0;
};

struct Report {
  std::vector<DatasetReport> datasets;  // in contract order
  std::vector<UnknownCount> unknowns;   // by dataset, field, reason, code
  double seconds = 0;
};

// Checks harmonisatie.csv against the contracts: the dataset exists, the field exists, a code rule's mapping
// maps from the code list of the field's column (when it has one), a date_field is a date field.
Status CheckAgainstContracts(const Config& config, const contract::ContractSet& contracts);

// Harmonises one table of `contract`'s dataset in place: adds the columns of the dataset's rules.
// `fallback_dates[i]` is the reference date used for row i when the date field is empty or absent (may be
// empty if every row has a date; then such rows count as expired). Unknowns are appended to `unknowns`.
Status HarmoniseTable(const contract::Contract& contract, const Config& config, const geo::Geography& geo,
                      const std::vector<Date>& fallback_dates, Table* table, std::vector<UnknownCount>* unknowns);

// Harmonises every contract dataset with accepted deliveries in `store` and writes h_<dataset> and
// harmonise_unknowns. `env` supplies the clock for timings.
Result<Report> HarmoniseStore(store::Store* store, const contract::ContractSet& contracts, const Config& config,
                              const geo::Geography& geo, const Env& env);

// The report for people: rows in/out per dataset, then the unknowns per dataset, field and code.
std::string FormatReport(const Report& report);

// The harmonise_unknowns table for a list of counts.
Table UnknownsTable(const std::vector<UnknownCount>& unknowns);

}  // namespace das::harmonise
