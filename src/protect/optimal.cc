// Optimal secondary suppression: a 0-1 master problem (CBC) over "suppress cell i", with protection enforced
// by Fischetti-Salazar cuts generated from the attacker's LP (CLP) until every unsafe cell is protected.
// See cuts.h for the cut derivation.
#include <algorithm>
#include <cmath>

#include "attacker_lp.h"
#include "coin_solver.h"
#include "cuts.h"
#include "das/protect/protect.h"

namespace das::protect {
namespace internal {

ProtectionModel BuildModel(const CellTable& t, const PrimaryResult& primary) {
  ProtectionModel m;
  const std::size_t n = t.num_cells();
  m.lines = Lines(t);
  m.a.resize(n);
  m.fixed.assign(n, -1);
  m.cost.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    m.a[i] = CellValue(t, i);
    m.upper = std::max(m.upper, m.a[i]);
    if (primary.unsafe[i]) m.fixed[i] = 1;
    else if (m.a[i] <= 0) m.fixed[i] = 0;  // empty cells are never suppressed
    m.cost[i] = m.a[i] + 1.0;
  }
  m.in_lines.resize(n);
  for (std::uint32_t li = 0; li < m.lines.size(); ++li) {
    m.in_lines[m.lines[li].total].push_back({li, 1.0});
    for (std::uint32_t p : m.lines[li].parts) m.in_lines[p].push_back({li, -1.0});
  }
  return m;
}

std::vector<Cut> LocalCuts(const ProtectionModel& m, const PrimaryResult& primary) {
  std::vector<Cut> cuts;
  auto push = [&](Cut c) {
    if (!c.row.empty()) cuts.push_back(std::move(c));
  };
  for (const Line& line : m.lines) {
    const std::uint32_t t = line.total;
    for (std::uint32_t p : line.parts) {
      if (!primary.unsafe[p]) continue;
      // Up: other parts go down (by at most their value) or the total goes up.
      Cut up{{}, primary.upper[p]};
      Cut any{{}, 1.0};
      for (std::uint32_t o : line.parts) {
        if (o == p || m.fixed[o] == 0) continue;
        up.row.push_back({static_cast<int>(o), std::min(m.a[o], primary.upper[p])});
        any.row.push_back({static_cast<int>(o), 1.0});
      }
      if (m.fixed[t] != 0) {
        up.row.push_back({static_cast<int>(t), primary.upper[p]});
        any.row.push_back({static_cast<int>(t), 1.0});
      }
      push(std::move(up));
      push(std::move(any));  // down: anything else in the line moves
    }
    if (primary.unsafe[t]) {
      Cut down{{}, primary.lower[t]};
      Cut any{{}, 1.0};
      for (std::uint32_t o : line.parts) {
        if (m.fixed[o] == 0) continue;
        down.row.push_back({static_cast<int>(o), std::min(m.a[o], primary.lower[t])});
        any.row.push_back({static_cast<int>(o), 1.0});
      }
      if (primary.lower[t] > 0) push(std::move(down));
      push(std::move(any));
    }
  }
  return cuts;
}

Result<std::vector<Cut>> SeparateCuts(const ProtectionModel& m, const PrimaryResult& primary,
                                      const std::vector<std::uint8_t>& y) {
  const std::size_t n = m.a.size();
  std::vector<std::optional<double>> published(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (!y[i]) published[i] = m.a[i];
  }
  const AttackerLp lp = BuildAttackerLp(m.lines, published, m.upper);
  DAS_ASSIGN_OR_RETURN(auto solver, ColumnOptimiser::Create(lp.problem));
  std::vector<double> lambda_of_line(m.lines.size());
  std::vector<Cut> cuts;
  for (std::size_t p = 0; p < n; ++p) {
    if (!primary.unsafe[p]) continue;
    for (int s : {+1, -1}) {
      const double need = s > 0 ? primary.upper[p] : primary.lower[p];
      if (need <= 0) continue;
      std::vector<double> duals;
      DAS_ASSIGN_OR_RETURN(double x, solver->Optimise(lp.col_of_cell[p], s > 0, &duals));
      const double reach = s > 0 ? x - m.a[p] : m.a[p] - x;
      if (reach + 1e-6 >= need) continue;
      // Try both sign conventions of the reported duals; both give valid cuts, keep the one y violates.
      Cut best;
      double best_lhs = 1e300;
      for (double sign : {1.0, -1.0}) {
        std::fill(lambda_of_line.begin(), lambda_of_line.end(), 0.0);
        for (std::size_t r = 0; r < duals.size(); ++r) lambda_of_line[lp.line_of_row[r]] = sign * duals[r];
        Cut cut{{}, need};
        double fixed_part = 0, lhs = 0;  // lhs: value of the inequality at the current y
        for (std::size_t i = 0; i < n; ++i) {
          if (m.fixed[i] == 0) continue;
          double r_i = (i == p ? s : 0.0);
          for (const auto& [li, coef] : m.in_lines[i]) r_i -= coef * lambda_of_line[li];
          // Capping at `need` keeps the cut valid (any y with a capped term at 1 satisfies both forms).
          const double c = std::min(std::max(r_i, 0.0) * (m.upper - m.a[i]) + std::max(-r_i, 0.0) * m.a[i], need);
          if (c <= 1e-9) continue;
          if (m.fixed[i] == 1) {
            fixed_part += c;  // unsafe cells are always suppressed: a constant, moved to the right-hand side
          } else {
            cut.row.push_back({static_cast<int>(i), c});
          }
          if (y[i]) lhs += c;
        }
        cut.rhs = need - fixed_part;
        if (lhs < best_lhs) {
          best_lhs = lhs;
          best = std::move(cut);
        }
      }
      if (best_lhs + 1e-6 >= need || best.row.empty()) {
        // Numerical trouble: "suppress at least one more cell" (valid: protection is monotone in y).
        best = Cut{{}, 1.0};
        for (std::size_t i = 0; i < n; ++i) {
          if (m.fixed[i] == -1 && !y[i]) best.row.push_back({static_cast<int>(i), 1.0});
        }
        if (best.row.empty()) {
          return Status::FailedPrecondition("cell " + std::to_string(p) +
                                            " cannot be protected even with every non-empty cell suppressed");
        }
      }
      cuts.push_back(std::move(best));
    }
  }
  return cuts;
}

}  // namespace internal

Result<SecondaryStats> SuppressSecondaryOptimal(const CellTable& t, const PrimaryResult& primary,
                                                const TableRules& rules, std::vector<std::uint8_t>* suppressed) {
  const std::size_t n = t.num_cells();
  if (n > rules.optimal_max_cells) {
    return Status::FailedPrecondition("optimal secondary suppression: " + std::to_string(n) + " cells > " +
                                      "optimal_max_cells " + std::to_string(rules.optimal_max_cells) +
                                      "; use the heuristic");
  }
  const internal::ProtectionModel m = internal::BuildModel(t, primary);
  internal::SparseProblem master;
  master.num_cols = static_cast<int>(n);
  master.col_lb.assign(n, 0.0);
  master.col_ub.assign(n, 1.0);
  auto add = [&](internal::Cut c) {
    master.rows.push_back(std::move(c.row));
    master.row_lb.push_back(c.rhs);
    master.row_ub.push_back(1e30);
  };
  for (internal::Cut& c : internal::LocalCuts(m, primary)) add(std::move(c));

  // A protected pattern satisfies every valid cut: the heuristic's (audited) result is CBC's first incumbent.
  std::vector<std::uint8_t> start = primary.unsafe;
  SuppressSecondaryHeuristic(t, primary, &start);
  int repair_rounds = 0;
  const bool have_start = RepairByAudit(t, primary, &start, &repair_rounds).ok();

  SecondaryStats stats;
  constexpr int kMaxRounds = 200;
  for (int round = 1; round <= kMaxRounds; ++round) {
    stats.iterations = round;
    bool proven = false;
    DAS_ASSIGN_OR_RETURN(std::vector<std::uint8_t> y,
                         internal::SolveBinaryProgram(master, m.cost, m.fixed, 60.0,
                                                       have_start ? &start : nullptr, &proven));
    auto cuts = internal::SeparateCuts(m, primary, y);
    if (!cuts.ok()) return cuts.status().WithContext("optimal secondary suppression");
    if (cuts->empty()) {
      stats.proven_optimal = proven;
      for (std::size_t i = 0; i < n; ++i) {
        if (y[i] && !primary.unsafe[i]) {
          ++stats.num_secondary;
          stats.suppressed_value += m.a[i];
        }
        (*suppressed)[i] = y[i];
      }
      return stats;
    }
    for (internal::Cut& c : *cuts) add(std::move(c));
  }
  return Status::ResourceExhausted("optimal secondary suppression: no protected pattern after " +
                                   std::to_string(kMaxRounds) + " cut rounds");
}

}  // namespace das::protect
