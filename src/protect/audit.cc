#include "das/protect/audit.h"

#include <algorithm>

#include "attacker_lp.h"

namespace das::protect {
namespace internal {

AttackerLp BuildAttackerLp(const std::vector<Line>& lines, const std::vector<std::optional<double>>& published,
                           double upper_bound) {
  AttackerLp lp;
  const std::size_t n = published.size();
  lp.col_of_cell.assign(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    if (!published[i].has_value()) {
      lp.col_of_cell[i] = lp.problem.num_cols++;
      lp.problem.col_lb.push_back(0.0);
      lp.problem.col_ub.push_back(upper_bound);
    }
  }
  for (std::uint32_t li = 0; li < lines.size(); ++li) {
    const Line& line = lines[li];
    std::vector<std::pair<int, double>> row;
    double rhs = 0;
    auto term = [&](std::uint32_t cell, double coef) {
      if (lp.col_of_cell[cell] >= 0) {
        row.push_back({lp.col_of_cell[cell], coef});
      } else {
        rhs -= coef * *published[cell];
      }
    };
    term(line.total, 1.0);
    for (std::uint32_t p : line.parts) term(p, -1.0);
    if (row.empty()) continue;
    lp.problem.rows.push_back(std::move(row));
    lp.problem.row_lb.push_back(rhs);
    lp.problem.row_ub.push_back(rhs);
    lp.line_of_row.push_back(li);
  }
  return lp;
}

}  // namespace internal

Result<std::vector<Interval>> AttackerIntervals(const CellTable& table,
                                                const std::vector<std::optional<double>>& published,
                                                double upper_bound, const std::vector<std::size_t>& targets) {
  if (published.size() != table.num_cells()) return Status::InvalidArgument("audit: published has the wrong size");
  return SystemIntervals(Lines(table), published, upper_bound, targets);
}

Result<std::vector<Interval>> SystemIntervals(const std::vector<Line>& lines,
                                              const std::vector<std::optional<double>>& published,
                                              double upper_bound, const std::vector<std::size_t>& targets) {
  for (std::size_t li = 0; li < lines.size(); ++li) {
    bool bad = lines[li].total >= published.size();
    for (std::uint32_t p : lines[li].parts) bad = bad || p >= published.size();
    if (bad) {
      return Status::InvalidArgument("audit: line " + std::to_string(li) + " names a variable >= " +
                                     std::to_string(published.size()));
    }
  }
  const internal::AttackerLp lp = internal::BuildAttackerLp(lines, published, upper_bound);
  std::vector<Interval> out;
  if (targets.empty()) return out;
  DAS_ASSIGN_OR_RETURN(auto solver, internal::ColumnOptimiser::Create(lp.problem));
  for (std::size_t cell : targets) {
    if (cell >= published.size() || lp.col_of_cell[cell] < 0) {
      return Status::InvalidArgument("audit: target cell " + std::to_string(cell) + " is not suppressed");
    }
    const int col = lp.col_of_cell[cell];
    Interval iv;
    DAS_ASSIGN_OR_RETURN(iv.lo, solver->Optimise(col, false, nullptr));
    DAS_ASSIGN_OR_RETURN(iv.hi, solver->Optimise(col, true, nullptr));
    out.push_back(iv);
  }
  return out;
}

Result<std::vector<AuditFailure>> AuditSuppression(const CellTable& table, const PrimaryResult& primary,
                                                   const std::vector<std::uint8_t>& suppressed) {
  const std::size_t n = table.num_cells();
  std::vector<std::optional<double>> published(n);
  double upper = 0;
  std::vector<std::size_t> targets;
  for (std::size_t i = 0; i < n; ++i) {
    const double v = CellValue(table, i);
    upper = std::max(upper, v);
    if (!suppressed[i]) published[i] = v;
    if (primary.unsafe[i]) targets.push_back(i);
  }
  for (std::size_t i : targets) {
    if (!suppressed[i]) return Status::InvalidArgument("audit: unsafe cell " + std::to_string(i) + " is published");
  }
  DAS_ASSIGN_OR_RETURN(std::vector<Interval> iv, AttackerIntervals(table, published, upper, targets));
  std::vector<AuditFailure> failures;
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const std::size_t c = targets[k];
    const double v = CellValue(table, c);
    if (iv[k].hi + 1e-6 < v + primary.upper[c] || iv[k].lo - 1e-6 > v - primary.lower[c]) {
      failures.push_back({c, v, iv[k], primary.upper[c], primary.lower[c]});
    }
  }
  return failures;
}

}  // namespace das::protect
