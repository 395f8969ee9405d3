// Internal: protection cuts shared by the optimal mode and the heuristic's audit-and-repair step.
//
// For a suppression pattern y, each unsafe cell p and direction s (+1 up, -1 down), the attacker solves
//   max s z_p  s.t.  M z = 0 (margin lines),  -a_i y_i <= z_i <= (U - a_i) y_i.
// For any line multipliers lambda, with r = s e_p - M^T lambda, LP duality gives the valid inequality
//   sum_i (max(r_i,0) (U - a_i) + max(-r_i,0) a_i) y_i >= protection level of p    (Fischetti-Salazar),
// which the current y violates when lambda is the optimal dual of a failing attack.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "das/core/status.h"
#include "das/protect/cell_table.h"
#include "das/protect/protect.h"

namespace das::protect::internal {

struct Cut {
  std::vector<std::pair<int, double>> row;  // (cell, coefficient); sum coef y >= rhs
  double rhs = 0;
};

struct ProtectionModel {
  std::vector<Line> lines;
  std::vector<std::vector<std::pair<std::uint32_t, double>>> in_lines;  // cell -> (line, +1 total / -1 part)
  std::vector<double> a;       // cell values
  double upper = 0;            // a-priori bound of any cell (largest value)
  std::vector<int> fixed;      // 1 unsafe, 0 never suppressed (empty), -1 free
  std::vector<double> cost;    // value + 1
};

ProtectionModel BuildModel(const CellTable& t, const PrimaryResult& primary);

// Line-local capacity cuts (valid relaxations of the attacker), one or two per unsafe cell and line.
std::vector<Cut> LocalCuts(const ProtectionModel& m, const PrimaryResult& primary);

// Attacks every unsafe cell under pattern y and returns one cut per failing (cell, direction); empty when y
// protects every unsafe cell. Errors: LP failures; a cell that cannot be protected at all.
Result<std::vector<Cut>> SeparateCuts(const ProtectionModel& m, const PrimaryResult& primary,
                                      const std::vector<std::uint8_t>& y);

}  // namespace das::protect::internal
