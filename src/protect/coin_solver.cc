// The one translation unit that includes COIN-OR headers (CLP, CBC).
#include "coin_solver.h"

#include <coin/CbcModel.hpp>
#include <coin/CbcSolver.hpp>
#include <coin/ClpSimplex.hpp>
#include <coin/CoinPackedMatrix.hpp>
#include <coin/OsiClpSolverInterface.hpp>

#include <cstdint>
#include <mutex>
#include <string>

namespace das::protect::internal {
namespace {

CoinPackedMatrix RowMatrix(const SparseProblem& p) {
  CoinPackedMatrix m(false, 0, 0);  // column ordered, filled from rows below
  m.setDimensions(0, p.num_cols);
  for (const auto& row : p.rows) {
    std::vector<int> idx;
    std::vector<double> val;
    for (const auto& [c, v] : row) {
      idx.push_back(c);
      val.push_back(v);
    }
    m.appendRow(static_cast<int>(idx.size()), idx.data(), val.data());
  }
  return m;
}

class ClpOptimiser final : public ColumnOptimiser {
 public:
  explicit ClpOptimiser(const SparseProblem& p) : num_cols_(p.num_cols) {
    model_.setLogLevel(0);
    std::vector<double> obj(static_cast<std::size_t>(p.num_cols), 0.0);
    model_.loadProblem(RowMatrix(p), p.col_lb.data(), p.col_ub.data(), obj.data(), p.row_lb.data(),
                       p.row_ub.data());
  }

  Result<double> Optimise(int col, bool maximise, std::vector<double>* duals) override {
    if (col < 0 || col >= num_cols_) return Status::Internal("lp: column out of range");
    if (last_col_ >= 0) model_.setObjectiveCoefficient(last_col_, 0.0);
    model_.setObjectiveCoefficient(col, 1.0);
    last_col_ = col;
    model_.setOptimizationDirection(maximise ? -1.0 : 1.0);
    model_.primal();
    if (model_.isProvenPrimalInfeasible()) return Status::FailedPrecondition("lp: the system is infeasible");
    if (model_.isProvenDualInfeasible()) return Status::FailedPrecondition("lp: the objective is unbounded");
    if (!model_.isProvenOptimal()) {
      model_.dual();
      if (!model_.isProvenOptimal()) return Status::Internal("lp: CLP did not reach optimality");
    }
    if (duals != nullptr) {
      const double* d = model_.dualRowSolution();
      duals->assign(d, d + model_.numberRows());
    }
    return model_.primalColumnSolution()[col];
  }

 private:
  ClpSimplex model_;
  int num_cols_;
  int last_col_ = -1;
};

}  // namespace

Result<std::unique_ptr<ColumnOptimiser>> ColumnOptimiser::Create(const SparseProblem& p) {
  if (p.col_lb.size() != static_cast<std::size_t>(p.num_cols) || p.col_ub.size() != p.col_lb.size() ||
      p.row_lb.size() != p.rows.size() || p.row_ub.size() != p.rows.size()) {
    return Status::Internal("lp: inconsistent problem sizes");
  }
  return std::unique_ptr<ColumnOptimiser>(new ClpOptimiser(p));
}

Result<std::vector<std::uint8_t>> SolveBinaryProgram(const SparseProblem& p, const std::vector<double>& cost,
                                                     const std::vector<int>& fixed, double seconds,
                                                     const std::vector<std::uint8_t>* start, bool* proven_optimal) {
  const int n = p.num_cols;
  if (cost.size() != static_cast<std::size_t>(n) || fixed.size() != cost.size()) {
    return Status::Internal("mip: inconsistent problem sizes");
  }
  std::vector<double> lb(static_cast<std::size_t>(n)), ub(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const int f = fixed[static_cast<std::size_t>(i)];
    lb[static_cast<std::size_t>(i)] = f == 1 ? 1.0 : 0.0;
    ub[static_cast<std::size_t>(i)] = f == 0 ? 0.0 : 1.0;
  }
  OsiClpSolverInterface solver;
  solver.messageHandler()->setLogLevel(0);
  solver.loadProblem(RowMatrix(p), lb.data(), ub.data(), cost.data(), p.row_lb.data(), p.row_ub.data());
  for (int i = 0; i < n; ++i) solver.setInteger(i);
  CbcModel model(solver);
  // CbcMain0/1 set up CBC's standard cut generators and heuristics (plain branchAndBound() has none, and
  // was 10-100x slower on these covering problems). CbcMain keeps global state: one solve at a time.
  static std::mutex cbc_mutex;
  std::lock_guard<std::mutex> lock(cbc_mutex);
  CbcMain0(model);
  model.setLogLevel(0);
  model.messageHandler()->setLogLevel(0);
  if (start != nullptr && start->size() == cost.size()) {
    std::vector<double> x(cost.size());
    double obj = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      x[i] = (*start)[i] ? 1.0 : 0.0;
      obj += x[i] * cost[i];
    }
    model.setBestSolution(x.data(), n, obj, true);
  }
  const std::string limit = std::to_string(seconds);
  const char* argv[] = {"das", "-log", "0", "-sec", limit.c_str(), "-solve", "-quit"};
  CbcMain1(7, argv, model);
  const double* sol = model.bestSolution();
  if (sol == nullptr) {
    if (model.isProvenInfeasible()) return Status::FailedPrecondition("mip: no feasible suppression pattern");
    return Status::ResourceExhausted("mip: CBC found no solution within the time limit");
  }
  *proven_optimal = model.isProvenOptimal();
  std::vector<std::uint8_t> x(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) x[static_cast<std::size_t>(i)] = sol[i] > 0.5 ? 1 : 0;
  return x;
}

}  // namespace das::protect::internal
