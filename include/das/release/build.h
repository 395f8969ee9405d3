// Building, comparing and exporting releases (see das/release/release.h for the published form and the store
// layout, docs/releases.md for the model).
//
// BuildRelease protects the StatTables of das_stats and writes them to the store as one immutable release:
//   - kCount topics: a protect::CellTable per topic (hierarchies from Code.parent; the time dimension as given
//     for flow topics, flat for stock topics), protected with the table's rules (primary rules, secondary
//     suppression, CKM / rounding / exact);
//   - kAmount topics: likewise as amount tables (dominance, p%; rounding or exact — ckm rules fall back to
//     rounding to round_base, as CKM is for counts only);
//   - kDerived topics: published as computed when the basis n is safe; n == 0 or a non-finite value ->
//     unavailable ('.'), 1 <= n <= frequency_max_n -> suppressed ('x');
//   - linked cells (CellSignature: cell_key_id + non-total coordinates, stocks by period end date) are
//     protected consistently across and within tables (protect::ProtectLinked) and get one value.
// The release id is "<horizon>.<first 10 hex of the content hash>"; the content hash covers every table's
// canonical CSV and metadata, not the provenance. The same tables and rules give the same id and bytes. When a
// release with the same content hash is already in the store, it is returned and nothing is written.
// Write order: tables, then the manifest, then the catalog row (the commit point): a release that is not in
// the catalog does not exist (ListReleases / LoadRelease ignore it), and its leftovers are overwritten by the
// next build of the same content. A catalogued release is never overwritten.
//
// Threading: one Store user at a time. Errors name the table, topic and cell.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"
#include "das/protect/ckm.h"
#include "das/protect/protect.h"
#include "das/release/release.h"
#include "das/stats/stat_table.h"

namespace das::release {

struct Provenance {
  std::string horizon;            // ISO date "yyyy-mm-dd" (required)
  std::string code_version;
  std::string config_sha256;
  std::map<std::string, std::string> parameters;
  std::vector<Manifest::Input> inputs;
};

struct BuildOptions {
  protect::RulesConfig rules;     // config/protect/rules.toml; per table: StatTable.protection or its id
  protect::PTable ptable;         // config/protect/ptable_*.csv; needed when a table's method is ckm
  Provenance provenance;
  // false: every topic protected on its own (no linking) — only to show what linking prevents (tests).
  bool link_tables = true;
  // Joint attack of linked tables per connected component up to this many distinct cells.
  std::size_t joint_audit_max_vars = 20000;
};

// What the protection did, for logs and the run report (not part of the release's bytes).
struct BuildStats {
  std::size_t tables = 0, cells = 0;
  std::size_t published = 0, suppressed = 0, unavailable = 0;
  std::size_t linked_vars = 0;        // distinct statistics among count/amount cells
  std::size_t forced = 0;             // cells suppressed only because a linked cell was
  int rounds = 0, joint_repairs = 0;
  std::size_t components_too_large = 0;
  bool reused = false;                // a release with the same content existed: nothing written
};

// The identity of a cell's statistic across tables (see stat_table.h): "<cell_key_id>|dim=code;..." over the
// dimensions (sorted by id) that are not at their total, the time code replaced by its period end date for
// stock topics. Exposed for tests and the API.
std::string CellSignature(const stats::StatTable& table, std::size_t measure, std::size_t cell);
// Last day of a CBS period code ("2023JJ00" -> "2023-12-31", "2023KW02" -> "2023-06-30", "2023MM02" ->
// "2023-02-28", "2023HJ01"); other codes are returned unchanged.
std::string PeriodEndDate(const std::string& period_code);

// Protects the tables into their published form without touching a store (used by BuildRelease).
Result<std::vector<PublishedTable>> ProtectTables(const std::vector<stats::StatTable>& tables,
                                                  const BuildOptions& options, BuildStats* stats);

Result<Manifest> BuildRelease(store::Store* store, const std::vector<stats::StatTable>& tables,
                              const BuildOptions& options, const Env& env, BuildStats* stats = nullptr);

// Table metadata JSON (everything of a PublishedTable except its cells), as stored and exported.
std::string TableMetaJson(const PublishedTable& table);

// Differences between two releases, and why.
struct CellChange {
  std::string measure;
  std::vector<std::string> coords;   // one code per dimension
  std::string before, after;         // UntypedDataSet text ("x", ".", number); "" when the cell is absent
};
struct TableChange {
  std::string table;
  bool structure_changed = false;    // dimensions, codes or measures differ
  std::size_t cells_changed = 0;     // value or state, cells present in both
  std::size_t cells_added = 0, cells_removed = 0;
  std::vector<CellChange> examples;  // the first changes in cell order (at most kMaxExamples)
};
struct InputChange {
  std::string dataset, file, period;
  std::string change;                // "added", "removed", "changed"
  std::string before_sha256, after_sha256;
};
struct ReleaseDiff {
  static constexpr std::size_t kMaxExamples = 10;
  std::string a, b;                  // release ids
  std::vector<std::string> tables_added, tables_removed;
  std::vector<TableChange> tables_changed;
  std::vector<InputChange> inputs;
  bool horizon_changed = false, config_changed = false, code_changed = false;
  std::string horizon_a, horizon_b, config_a, config_b, code_a, code_b;
  std::map<std::string, std::pair<std::string, std::string>> parameters;  // key -> (a, b); "" when absent
  bool identical_content() const { return tables_added.empty() && tables_removed.empty() && tables_changed.empty(); }
  std::string ToText() const;
  std::string ToJson() const;
};
ReleaseDiff Diff(const Release& a, const Release& b);

// Writes DIR/manifest.json, and per table DIR/<id>.csv (canonical CSV) and DIR/<id>.json (metadata).
// Byte-identical for the same release. Creates DIR.
Status ExportRelease(const Release& release, const std::string& dir, FileSystem* fs);

}  // namespace das::release
