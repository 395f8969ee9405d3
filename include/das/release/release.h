// Releases: protected, immutable, versioned publications of the statistics, kept in the store.
//
// Build (das run / BuildRelease): the StatTables of das_stats are protected (das_protect: primary rules,
// secondary suppression across linked tables, CKM or rounding), given metadata and provenance, and written to
// the store under a release id. A release never changes once written; a new delivery, revision or config
// gives a new release. The same deliveries, config and code give a byte-identical release (same id, same
// bytes): nothing in a release depends on the wall clock, the machine or thread timing.
//
// Read (das releases, das serve, the dashboard): ListReleases / LoadRelease give the published form below.
//
// Store layout (derived tables, Store::PutTable):
//   release_catalog                 one row per release (see ReleaseInfo), in order of creation
//   rel/<release_id>/<table_id>     the published cells of one table; its meta is the table's TableMeta as JSON
//   rel/<release_id>/_manifest      no rows; meta is the release's Manifest as JSON
//
// Threading: LoadRelease results are immutable values, safe to share between server threads. The Store is
// used by one thread at a time. Errors: NotFound for an unknown release or table; Corruption when a stored
// release does not match its recorded content hash.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "das/core/status.h"
#include "das/core/table.h"
#include "das/stats/stat_table.h"

namespace das::store {
class Store;
}

namespace das::release {

// Status of a published cell.
enum class CellState : std::uint8_t {
  kPublished = 0,
  kSuppressed = 1,     // disclosure control: symbol "x", null in typed output
  kUnavailable = 2,    // not defined / not computable (e.g. a median of no units): symbol "."
};

// One published table: the StatTable's metadata and code lists, and per cell and topic a value and a state.
struct PublishedTable {
  std::string id;
  std::string title_nl, title_en, description_nl, description_en;
  std::string theme;
  std::vector<std::string> source_stages;
  std::vector<stats::DimensionSpec> dims;
  std::vector<stats::MeasureSpec> measures;
  // Per measure m, per cell i (dense, row-major as StatTable): value[m][i] (meaningful when published) and
  // state[m][i].
  std::vector<std::vector<double>> value;
  std::vector<std::vector<CellState>> state;
  // Disclosure control applied, for the metadata: e.g. "ckm D3 V2", "round 10", "min_n 3".
  std::string protection_summary;
  std::string content_sha256;   // of the table's canonical CSV (below)

  std::size_t num_cells() const;
  int CodeOf(std::size_t i, std::size_t d) const;
  // The CBS UntypedDataSet text of a cell: number with the measure's decimals, "x" suppressed, "." unavailable.
  std::string Untyped(std::size_t measure, std::size_t cell) const;
  // Canonical CSV (',' separated, '.' decimals, header: dimension ids then measure ids, symbols for
  // non-published cells): the bytes the content hash is taken over and the default download.
  std::string ToCsv() const;
};

// Provenance of a release.
struct Manifest {
  std::string release_id;        // "<yyyy-mm-dd data horizon>.<first 10 hex of content hash>"
  int sequence = 0;              // 1, 2, ... in the store's catalog
  std::string horizon;           // ISO date: latest delivery date of the inputs
  std::string code_version;      // DAS version and git commit the code was built from
  std::string config_sha256;     // of every file under config/ that the run read, in path order
  std::map<std::string, std::string> parameters;  // seed, from/to years, protection defaults...
  // Input deliveries: dataset, file name, sha256, period, rows accepted/quarantined.
  struct Input {
    std::string dataset, file, sha256, period;
    std::int64_t rows_accepted = 0, rows_quarantined = 0;
  };
  std::vector<Input> inputs;
  std::vector<std::string> tables;       // table ids, sorted
  std::string content_sha256;            // over the tables' content hashes in id order
  std::string previous_release_id;       // the release before this one in the catalog ("" for the first)
  std::string ToJson() const;
  static Result<Manifest> FromJson(const std::string& json);
};

struct ReleaseInfo {
  std::string release_id;
  int sequence = 0;
  std::string horizon;
  std::string content_sha256;
  int num_tables = 0;
  std::int64_t num_cells = 0;
};

struct Release {
  Manifest manifest;
  std::vector<std::shared_ptr<const PublishedTable>> tables;  // sorted by id
  const PublishedTable* Find(const std::string& table_id) const;
};

// Releases in catalog order (oldest first). An empty store gives an empty list.
Result<std::vector<ReleaseInfo>> ListReleases(store::Store* store);
// Loads a release ("" or "latest" = the newest). Errors: NotFound naming the id.
Result<Release> LoadRelease(store::Store* store, const std::string& release_id);

}  // namespace das::release
