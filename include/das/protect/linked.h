// Disclosure control of linked tables: several tables that publish some of the same cells.
//
// A cell that appears in two tables (the same statistic for the same population, e.g. the national total in
// a region table and in an offence table) must be protected the same way in both, else the attacker combines
// the tables: a cell suppressed in one and published in the other is simply read off, and two different
// suppression patterns give more equations than either alone. The caller names every cell's statistic by a
// variable id (`LinkedTable::var`): cells with the same id are the same statistic.
//
// ProtectLinked:
//   1. checks that cells with the same id have the same count, cell key and amount (else FailedPrecondition);
//   2. protects every table (Protect with primary rules, secondary suppression and CKM/rounding), then
//      forces every cell suppressed in any table suppressed in every table that has it, and protects again,
//      until the set of suppressed ids no longer grows (it only grows, so this terminates);
//   3. attacks the union of all tables (variables = ids, equations = every table's margin lines, exact
//      published values) per connected component up to `joint_audit_max_vars` variables; when an unsafe cell
//      can be narrowed below its protection, suppresses the cheapest cells of the violated protection cut and
//      goes back to 2;
//   4. checks that every id ends with one state and one published value (CKM: same count and cell key give
//      the same noise) — an Internal error otherwise.
// Threading: no shared state. Errors: as Protect (named per table), the consistency checks above, and
// ResourceExhausted when step 2-3 does not settle within `max_rounds`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "das/core/status.h"
#include "das/protect/cell_table.h"
#include "das/protect/protect.h"

namespace das::protect {

struct LinkedTable {
  const CellTable* table = nullptr;       // not owned; must outlive the call
  TableRules rules;                       // rules.name names the table in messages
  std::vector<std::uint32_t> var;         // per cell: id of its statistic (dense ids 0..num_vars-1)
};

struct LinkedOptions {
  // false: every table is protected on its own (no forcing, no joint audit) — for comparison only.
  bool link = true;
  // Components of the joint system with more variables than this are not attacked jointly (the per-table
  // audits and the forcing still apply).
  std::size_t joint_audit_max_vars = 20000;
  int max_rounds = 50;
};

struct LinkedStats {
  int rounds = 0;                       // protect-all-tables passes
  int joint_repairs = 0;                // joint audits that found a disclosure and repaired it
  std::size_t num_vars = 0;             // distinct statistics
  std::size_t num_forced = 0;           // cells suppressed only because a linked cell was suppressed
  std::size_t components_audited = 0;   // joint components attacked (those holding an unsafe cell)
  std::size_t components_too_large = 0; // joint components with an unsafe cell above joint_audit_max_vars
};

struct LinkedResult {
  std::vector<ProtectedTable> tables;   // one per input table, same order
  LinkedStats stats;
};

Result<LinkedResult> ProtectLinked(const std::vector<LinkedTable>& tables, const PTable* ptable,
                                   const LinkedOptions& options);

}  // namespace das::protect
