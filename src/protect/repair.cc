// Audit-and-repair after the heuristic: attack every unsafe cell with the exact LP; for each failure, cover the
// violated protection cut greedily (best coefficient per cost first), close the new cells' lines with the
// heuristic, and repeat until the attack fails everywhere.
#include <algorithm>

#include "cuts.h"
#include "das/protect/protect.h"

namespace das::protect {

Status RepairByAudit(const CellTable& t, const PrimaryResult& primary, std::vector<std::uint8_t>* sup,
                     int* rounds) {
  const internal::ProtectionModel m = internal::BuildModel(t, primary);
  constexpr int kMaxRounds = 100;
  for (int round = 1; round <= kMaxRounds; ++round) {
    *rounds = round;
    DAS_ASSIGN_OR_RETURN(std::vector<internal::Cut> cuts, internal::SeparateCuts(m, primary, *sup));
    if (cuts.empty()) return Status::Ok();
    for (const internal::Cut& cut : cuts) {
      double lhs = 0;
      for (const auto& [i, c] : cut.row) lhs += (*sup)[static_cast<std::size_t>(i)] ? c : 0.0;
      while (lhs + 1e-9 < cut.rhs) {
        int best = -1;
        double best_score = -1;
        for (const auto& [i, c] : cut.row) {
          const auto k = static_cast<std::size_t>(i);
          if ((*sup)[k]) continue;
          const double score = std::min(c, cut.rhs - lhs) / m.cost[k];
          if (score > best_score) {
            best_score = score;
            best = i;
          }
        }
        if (best < 0) break;
        (*sup)[static_cast<std::size_t>(best)] = 1;
        for (const auto& [i, c] : cut.row) {
          if (i == best) lhs += c;
        }
      }
    }
    SuppressSecondaryHeuristic(t, primary, sup);
  }
  return Status::ResourceExhausted("secondary suppression: audit still finds disclosures after " +
                                   std::to_string(kMaxRounds) + " repair rounds");
}

}  // namespace das::protect
