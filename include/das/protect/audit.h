// The attacker's view of a published table: feasible intervals of suppressed cells.
//
// Given only what is published (the values of published cells, the margin relations of the hierarchy,
// non-negativity and an a-priori upper bound for every cell), the attacker's tightest interval for a suppressed
// cell is [min x_c, max x_c] over the linear system — computed exactly by linear programming (COIN-OR CLP).
// Using the exact values of published cells is the worst case: perturbed or rounded publications give the
// attacker less. Threading: no shared state.
#pragma once

#include <optional>
#include <vector>

#include "das/core/status.h"
#include "das/protect/cell_table.h"
#include "das/protect/protect.h"

namespace das::protect {

struct Interval {
  double lo = 0;
  double hi = 0;
};

// published[i]: the value the attacker sees for cell i, or nullopt when suppressed. upper_bound: the attacker's
// a-priori bound on any cell (e.g. the grand total). Returns one interval per entry of `targets` (each must be
// suppressed). Errors: a target that is published, an infeasible system (inconsistent publication).
Result<std::vector<Interval>> AttackerIntervals(const CellTable& table,
                                                const std::vector<std::optional<double>>& published,
                                                double upper_bound, const std::vector<std::size_t>& targets);

// The same over any linear system: variables 0..published.size()-1 (e.g. the distinct cells of several linked
// tables), `lines` total = sum(parts) over variable indices (duplicates allowed), published[v] the value the
// attacker sees or nullopt for an unknown, every unknown in [0, upper_bound]. Errors as AttackerIntervals, and
// a line naming a variable out of range.
Result<std::vector<Interval>> SystemIntervals(const std::vector<Line>& lines,
                                              const std::vector<std::optional<double>>& published,
                                              double upper_bound, const std::vector<std::size_t>& targets);

struct AuditFailure {
  std::size_t cell = 0;
  double value = 0;
  Interval interval;
  double need_upper = 0;
  double need_lower = 0;
};

// Audits a protection: for every primary-unsafe cell, the attacker's interval (exact published values, cells
// bounded by the largest cell value of the table) must reach value + upper and value - lower (within 1e-6).
// Returns the failures (empty when the table is protected).
Result<std::vector<AuditFailure>> AuditSuppression(const CellTable& table, const PrimaryResult& primary,
                                                   const std::vector<std::uint8_t>& suppressed);

}  // namespace das::protect
