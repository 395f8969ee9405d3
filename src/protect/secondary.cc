// Heuristic secondary suppression over all margin relations (lines) of a hierarchical table.
#include <algorithm>
#include <deque>

#include "das/protect/protect.h"

namespace das::protect {
namespace {

constexpr double kEps = 1e-9;

// Cells -> lines they belong to (as total or part), CSR.
struct Membership {
  std::vector<std::uint32_t> begin;
  std::vector<std::uint32_t> lines;
};

Membership BuildMembership(std::size_t num_cells, const std::vector<Line>& lines) {
  Membership m;
  m.begin.assign(num_cells + 1, 0);
  for (const Line& l : lines) {
    ++m.begin[l.total + 1];
    for (std::uint32_t p : l.parts) ++m.begin[p + 1];
  }
  for (std::size_t i = 0; i < num_cells; ++i) m.begin[i + 1] += m.begin[i];
  m.lines.resize(m.begin[num_cells]);
  std::vector<std::uint32_t> fill(m.begin.begin(), m.begin.end() - 1);
  for (std::uint32_t li = 0; li < lines.size(); ++li) {
    m.lines[fill[lines[li].total]++] = li;
    for (std::uint32_t p : lines[li].parts) m.lines[fill[p]++] = li;
  }
  return m;
}

}  // namespace

SecondaryStats SuppressSecondaryHeuristic(const CellTable& t, const PrimaryResult& primary,
                                          std::vector<std::uint8_t>* suppressed_ptr) {
  std::vector<std::uint8_t>& sup = *suppressed_ptr;
  SecondaryStats stats;
  const std::size_t n = t.num_cells();
  const std::vector<Line> lines = Lines(t);
  const Membership mem = BuildMembership(n, lines);
  std::vector<double> value(n);
  for (std::size_t i = 0; i < n; ++i) value[i] = CellValue(t, i);
  // need[i]: how far cell i must be able to move; primaries their protection level, partners inherit it.
  std::vector<double> need(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (sup[i]) need[i] = std::max({primary.upper[i], primary.lower[i], kEps});
  }
  std::deque<std::uint32_t> work;
  std::vector<std::uint8_t> queued(lines.size(), 0);
  auto push_lines_of = [&](std::size_t cell) {
    for (std::uint32_t k = mem.begin[cell]; k < mem.begin[cell + 1]; ++k) {
      const std::uint32_t li = mem.lines[k];
      if (!queued[li]) {
        queued[li] = 1;
        work.push_back(li);
      }
    }
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (sup[i]) push_lines_of(i);
  }
  auto add = [&](std::uint32_t cell, double inherited) {
    sup[cell] = 1;
    need[cell] = std::max(need[cell], inherited);
    ++stats.num_secondary;
    stats.suppressed_value += value[cell];
    push_lines_of(cell);
  };

  while (!work.empty()) {
    const std::uint32_t li = work.front();
    work.pop_front();
    queued[li] = 0;
    ++stats.iterations;
    const Line& line = lines[li];
    // Repeat on this line until every suppressed cell in it satisfies the local rule or cannot be helped.
    for (int guard = 0; guard <= static_cast<int>(line.parts.size()) + 1; ++guard) {
      const bool total_sup = sup[line.total] != 0;
      double sup_parts_value = 0;
      std::size_t sup_parts = 0;
      for (std::uint32_t p : line.parts) {
        if (sup[p]) {
          sup_parts_value += value[p];
          ++sup_parts;
        }
      }
      if (!total_sup && sup_parts == 0) break;
      // A line with one part: total and part are equal; both or neither.
      if (line.parts.size() == 1) {
        const std::uint32_t p = line.parts[0];
        if (total_sup && !sup[p]) add(p, need[line.total]);
        else if (!total_sup && sup[p]) add(line.total, need[p]);
        break;
      }
      // Find the first violated cell (total first, then parts in order) and its deficit.
      std::int64_t bad = -1;
      double deficit = 0;
      bool bad_is_total = false;
      if (total_sup && sup_parts_value + kEps < need[line.total]) {
        bad = line.total;
        bad_is_total = true;
        deficit = need[line.total] - sup_parts_value;
      } else {
        for (std::uint32_t p : line.parts) {
          if (!sup[p]) continue;
          const bool down_ok = total_sup || sup_parts >= 2;
          const double others = sup_parts_value - value[p];
          const bool up_ok = total_sup || others + kEps >= need[p];
          if (!down_ok || !up_ok) {
            bad = p;
            deficit = down_ok ? need[p] - others : std::max(need[p] - others, kEps);
            break;
          }
        }
      }
      if (bad < 0) break;
      // Candidate partners: unsuppressed, non-empty parts. Cheapest with value >= deficit; else for a part the
      // total when it is cheaper than nothing, else the largest part (and check again).
      std::int64_t best_enough = -1, largest = -1;
      for (std::uint32_t p : line.parts) {
        if (sup[p] || value[p] <= 0) continue;
        if (value[p] + kEps >= deficit && (best_enough < 0 || value[p] < value[best_enough])) best_enough = p;
        if (largest < 0 || value[p] > value[largest]) largest = p;
      }
      std::int64_t pick = best_enough;
      if (!bad_is_total && !total_sup && value[line.total] > 0 &&
          (pick < 0 || value[line.total] < value[pick])) {
        pick = line.total;
      }
      if (pick < 0) pick = largest;
      if (pick < 0) break;  // nothing left to suppress in this line; other lines may still protect the cell
      add(static_cast<std::uint32_t>(pick), need[bad]);
    }
  }
  return stats;
}

}  // namespace das::protect
