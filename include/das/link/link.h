// Linkage: chain cases (registered crime -> suspect / pv -> OM case -> judgment -> execution) by record keys,
// and persons (deterministic on the BSN pseudonym, the KvK number and the case chain; Fellegi-Sunter on the
// Bloom-filter encodings for the rest).
//
// In: the current rows of the chain datasets (Store::ReadCurrent), keyed by store dataset name = contract
// name ("politie_verdachten", "om_zaken", ...). Sealed tables (bsn_pseudo, bsn_status, surname_bf,
// given_names_bf, birth_date_bf) are the normal form; raw tables (bsn, surname, given_names, birth_date; from
// `das intake --raw`, for tests) are encoded in memory with a fixed internal key and never written out.
// Out (LinkResult): the tables "links" (one row per source record), "link_rates" (per pair of datasets),
// "link_events" (chain events; a crime with several suspects is an event of each of their chains),
// "link_unlinked" (records whose reference is missing or not found: data-quality findings),
// "link_review" (pairs in the review band) and a JSON report (parameters, blocking rules, EM, m/u,
// thresholds, counts per band).
//
// Ids: chain_case_id "C" + 8 digits, person_id "P" + 8 digits, numbered in the canonical record order
// (dataset order of kDatasets, then record key): the same input gives the same ids; they are not derived
// from any pseudonym.
// Threading: Link uses FsOptions::threads threads internally; inputs are only read.
// Errors: InvalidArgument / FailedPrecondition naming the dataset and column (e.g. a Bloom column that is
// not valid base64); data problems (missing keys, unknown references) are findings, not errors.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "das/core/status.h"
#include "das/core/table.h"
#include "das/link/fellegi_sunter.h"

namespace das::store {
class Store;
}

namespace das::link {

// The chain datasets the linker knows, in canonical order.
struct DatasetSpec {
  const char* name;        // store dataset (contract name), e.g. "om_zaken"
  const char* short_name;  // dataset as in the generator's truth, e.g. "zaken"
  const char* stage;       // chain stage: crime, suspect, halt, prosecution, judgment, sanction, execution
  std::vector<const char*> key;  // canonical key fields; joined with '#'
  const char* date_field;        // event date
  const char* outcome_field;     // source outcome code ("" = none)
  const char* own_pv;            // the record IS this pv (key), or ""
  const char* own_case;          // the record IS this case (parketnummer), or ""
  const char* ref_pv;            // references a pv, or ""
  const char* ref_case;          // references a case, or ""
  const char* ref_crime;         // references a registered crime, or ""
  bool persons;                  // carries person identifiers (BSN and/or names)
};
const std::vector<DatasetSpec>& Datasets();
const DatasetSpec* FindDataset(std::string_view name);  // by store or short name

struct LinkOptions {
  FsOptions fs;
  bool probabilistic = true;  // false: deterministic person linkage only
};

struct LinkCounts {
  std::uint64_t records = 0, chains = 0, persons = 0;
  std::uint64_t method_key = 0, method_bsn = 0, method_probabilistic = 0, method_none = 0;
  std::uint64_t person_records = 0;          // records with person identifiers
  std::uint64_t probabilistic_records = 0;   // natural-person records with encodings (compared)
  std::uint64_t pairs_linked = 0;            // accepted pairs that joined two entities
  std::uint64_t pairs_refused_bsn = 0;       // accepted pairs not applied: both sides already had a BSN
  std::uint64_t unlinked_findings = 0;       // rows of link_unlinked
  std::uint64_t review_pairs = 0;            // rows of link_review
};

struct LinkResult {
  Table links, link_rates, link_events, link_unlinked, link_review;
  std::string report_json;  // pretty-printed
  LinkCounts counts;
  FsResult fs;  // model and statistics of the probabilistic stage (pairs cleared)
};

// `datasets`: store dataset name -> current rows. Unknown names are ignored; missing datasets are empty.
Result<LinkResult> Link(const std::map<std::string, Table>& datasets, const LinkOptions& options);

// Reads the current rows of every chain dataset in `store`, links, and writes the tables (the JSON report is
// the meta of "links"). Memory: only the columns the linker uses are read, one dataset at a time, and each
// table is freed once its records are taken (keys in one arena, references interned, Bloom filters in flat
// word arrays); the output tables are built and written one at a time. So the returned LinkResult carries
// the counts, the report, the model (fs) and link_rates, but not links, link_events, link_unlinked or
// link_review: read them from the store (counts.unlinked_findings and counts.review_pairs give their sizes).
Result<LinkResult> LinkStore(store::Store& store, const LinkOptions& options);

// The columns of a chain dataset the linker reads (key, references, date, outcome and, for datasets with
// persons, the sealed and the raw person columns); LinkStore reads only these.
std::vector<std::string> LinkColumns(const DatasetSpec& dataset);

// Quality against the generator's ground truth (DIR/_truth/records.csv: dataset,key,person_id,
// chain_case_id). Pairwise: a pair of records is linked if both have the same id. Person quality is split
// by pair: "with BSN" = both records carry a valid BSN pseudonym, "without BSN" = at least one does not.
struct PairScores {
  std::uint64_t true_pairs = 0, predicted_pairs = 0, correct_pairs = 0;
  double precision = 0, recall = 0, f1 = 0;
};
struct Evaluation {
  std::uint64_t truth_records = 0, matched_records = 0;  // truth rows, and those found in "links"
  PairScores person_all, person_bsn, person_no_bsn, cases;
  std::string ToJson() const;
  std::string ToText() const;
};
// `links`: the "links" table; `has_bsn`: per links row, whether the record carries a valid BSN pseudonym
// (column "has_bsn" of links).
Result<Evaluation> Evaluate(const Table& links, const std::string& truth_records_csv_text);
// Evaluate on the "links" table of `store` (reads only the five columns it needs).
Result<Evaluation> EvaluateStore(store::Store& store, const std::string& truth_records_csv_text);

}  // namespace das::link
