// Internal: the attacker's linear system of a table with some cells suppressed.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "coin_solver.h"
#include "das/protect/cell_table.h"

namespace das::protect::internal {

struct AttackerLp {
  SparseProblem problem;
  std::vector<int> col_of_cell;        // -1 for published cells
  std::vector<std::uint32_t> line_of_row;  // line index of each row
};

// Columns: suppressed cells (published[i] == nullopt), bounds [0, upper_bound]. Rows: every line with at least
// one suppressed cell, total - sum(parts) = 0 with published values moved to the right-hand side.
AttackerLp BuildAttackerLp(const std::vector<Line>& lines, const std::vector<std::optional<double>>& published,
                           double upper_bound);

}  // namespace das::protect::internal
