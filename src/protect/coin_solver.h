// Internal: the only interface to COIN-OR (CLP for linear programs, CBC for 0-1 programs). All COIN headers
// stay in coin_solver.cc. Threading: one solver object per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "das/core/status.h"

namespace das::protect::internal {

// Sparse rows over columns 0..num_cols-1; row r means row_lb[r] <= sum coef x <= row_ub[r].
struct SparseProblem {
  int num_cols = 0;
  std::vector<double> col_lb, col_ub;
  std::vector<std::vector<std::pair<int, double>>> rows;
  std::vector<double> row_lb, row_ub;
};

// An LP over a fixed feasible region, optimised for one column at a time (warm-started).
class ColumnOptimiser {
 public:
  static Result<std::unique_ptr<ColumnOptimiser>> Create(const SparseProblem& problem);
  virtual ~ColumnOptimiser() = default;
  // max (maximise) or min of x_col; duals (if not null) receives the row duals as CLP reports them.
  // Errors: infeasible or unbounded region (FailedPrecondition), solver failure (Internal).
  virtual Result<double> Optimise(int col, bool maximise, std::vector<double>* duals) = 0;
};

// min sum cost x over binary x with fixed[i] in {-1 free, 0, 1} and the rows of `problem` (its columns must
// match cost). `start` (optional) is a known feasible solution, given to CBC as its incumbent. Returns the
// solution; *proven_optimal tells whether CBC proved optimality within the limit.
Result<std::vector<std::uint8_t>> SolveBinaryProgram(const SparseProblem& problem, const std::vector<double>& cost,
                                                     const std::vector<int>& fixed, double seconds,
                                                     const std::vector<std::uint8_t>* start, bool* proven_optimal);

}  // namespace das::protect::internal
