// Linked tables (das/protect/linked.h) and Protect with forced cells.
#include <gtest/gtest.h>

#include "das/protect/linked.h"
#include "test_tables.h"

namespace das::protect {
namespace {

using testing::Flat;

// regio (T > a, b, c) x geslacht (T > m, v) with the given leaf counts (row-major a..c x m, v).
CellTable Table2(const std::vector<std::int64_t>& leaves) {
  auto t = CellTable::Create({Flat("regio", {"a", "b", "c"}), Flat("geslacht", {"m", "v"})}, TableKind::kCount);
  EXPECT_TRUE(t.ok());
  std::size_t k = 0;
  for (int r = 1; r <= 3; ++r) {
    for (int g = 1; g <= 2; ++g) {
      const std::size_t i = t->Index({r, g});
      t->count[i] = leaves[k];
      t->cell_key[i] = static_cast<std::uint32_t>(17 * k + 3) % 256;
      ++k;
    }
  }
  t->FillMargins();
  return std::move(*t);
}

TableRules ExactRules(const std::string& name) {
  TableRules r;
  r.name = name;
  r.value_method = ValueMethod::kNone;
  return r;
}

TEST(ProtectForced, ForcedCellIsSuppressedAndNeverAloneInALine) {
  const CellTable t = Table2({10, 12, 9, 14, 11, 13});  // no unsafe cell
  std::vector<std::uint8_t> forced(t.num_cells(), 0);
  const std::size_t am = t.Index({1, 1});
  forced[am] = 1;
  auto p = Protect(t, ExactRules("t"), nullptr, forced);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->num_primary, 0u);
  EXPECT_EQ(p->status[am], CellStatus::kSuppressedSecondary);
  // Its row (a: T = m + v) and column (m: T = a + b + c) each hold another suppressed cell.
  const bool row = !p->value[t.Index({1, 2})].has_value() || !p->value[t.Index({1, 0})].has_value();
  const bool col = !p->value[t.Index({2, 1})].has_value() || !p->value[t.Index({3, 1})].has_value() ||
                   !p->value[t.Index({0, 1})].has_value();
  EXPECT_TRUE(row);
  EXPECT_TRUE(col);
  auto bad = Protect(t, ExactRules("t"), nullptr, std::vector<std::uint8_t>(3, 0));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "protect: table 't': forced has 3 entries for 12 cells");
}

TEST(ProtectLinked, SharedCellsGetOneStateAndDifferentCountsAreRefused) {
  // Two tables over the same cells but listed in a different order of regions (b, a, c): the same statistics.
  const CellTable x = Table2({2, 12, 9, 14, 11, 13});
  const CellTable y = Table2({9, 14, 2, 12, 11, 13});
  // var ids: x's cells as they are; y's cell for region b is x's region a, and so on.
  std::vector<std::uint32_t> vx(x.num_cells()), vy(y.num_cells());
  for (std::size_t i = 0; i < x.num_cells(); ++i) vx[i] = static_cast<std::uint32_t>(i);
  const int map_region[4] = {0, 2, 1, 3};  // y's region r is x's region map_region[r]
  for (int r = 0; r < 4; ++r) {
    for (int g = 0; g < 3; ++g) vy[y.Index({r, g})] = static_cast<std::uint32_t>(x.Index({map_region[r], g}));
  }
  // The keys differ (Table2 assigns them by position): give y x's keys, as the same units would.
  CellTable y2 = y;
  for (std::size_t i = 0; i < y.num_cells(); ++i) y2.cell_key[i] = x.cell_key[vy[i]];
  std::vector<LinkedTable> ts = {{&x, ExactRules("x"), vx}, {&y2, ExactRules("y"), vy}};
  auto res = ProtectLinked(ts, nullptr, LinkedOptions{});
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  for (std::size_t i = 0; i < y2.num_cells(); ++i) {
    EXPECT_EQ(res->tables[1].value[i].has_value(), res->tables[0].value[vy[i]].has_value()) << i;
  }
  EXPECT_FALSE(res->tables[0].value[x.Index({1, 1})].has_value());  // the 2 is suppressed
  EXPECT_EQ(res->stats.num_vars, 12u);
  // A shared cell with another count is refused, naming both tables.
  CellTable z = y2;
  z.count[0] += 1;
  std::vector<LinkedTable> bad = {{&x, ExactRules("x"), vx}, {&z, ExactRules("z"), vy}};
  auto err = ProtectLinked(bad, nullptr, LinkedOptions{});
  ASSERT_FALSE(err.ok());
  EXPECT_EQ(err.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(err.status().message(),
            "protect linked: linked cells differ: table 'x' cell 0 (count 61) and table 'z' cell 0 (count 62) are "
            "the same statistic but have different count, cell key or amount");
}

}  // namespace
}  // namespace das::protect
