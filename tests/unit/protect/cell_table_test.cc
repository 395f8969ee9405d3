// Tests of the cell-table model: hierarchies, margins, lines.
#include <gtest/gtest.h>

#include "das/protect/cell_table.h"
#include "test_tables.h"

namespace das::protect {
namespace {

using testing::Flat;
using testing::TwoLevel;

TEST(Dimension, RejectsBadCodes) {
  Dimension d("regio");
  ASSERT_TRUE(d.AddCode("NL01").ok());
  EXPECT_EQ(d.AddCode("NL01").message(), "dimension 'regio': duplicate code 'NL01'");
  EXPECT_EQ(d.AddCode("GM0363", "PV27").message(), "dimension 'regio': code 'GM0363' has unknown parent 'PV27'");
  EXPECT_EQ(d.AddCode("").message(), "dimension 'regio': empty code");
  ASSERT_TRUE(d.AddCode("PV27", "NL01").ok());
  ASSERT_TRUE(d.AddCode("GM0363", "PV27").ok());
  EXPECT_EQ(d.Find("GM0363"), 2);
  EXPECT_EQ(d.parent(2), 1);
  EXPECT_FALSE(d.IsLeaf(1));
  EXPECT_TRUE(d.IsLeaf(2));
}

TEST(CellTable, CreateErrors) {
  EXPECT_EQ(CellTable::Create({}, TableKind::kCount).status().message(), "cell table: no dimensions");
  EXPECT_EQ(CellTable::Create({Dimension("leeg")}, TableKind::kCount).status().message(),
            "cell table: dimension 'leeg' has no codes");
}

TEST(CellTable, FillMarginsSumsEveryLevel) {
  auto t = CellTable::Create({TwoLevel("r", {2, 1}), Flat("c", {"x", "y"})}, TableKind::kAmount);
  ASSERT_TRUE(t.ok());
  // r codes: T, G0, G0.0, G0.1, G1, G1.0 ; c codes: T, x, y.
  auto set = [&](const char* r, const char* c, std::int64_t n, double amt, double t1, double t2, std::uint32_t key) {
    auto i = t->IndexOf({r, c});
    ASSERT_TRUE(i.ok());
    t->count[*i] = n;
    t->amount[*i] = amt;
    t->top1[*i] = t1;
    t->top2[*i] = t2;
    t->cell_key[*i] = key;
  };
  set("G0.0", "x", 1, 10, 10, 0, 200);
  set("G0.0", "y", 2, 30, 20, 10, 100);
  set("G0.1", "x", 3, 60, 40, 15, 50);
  set("G1.0", "y", 4, 100, 70, 12, 7);
  t->FillMargins();
  auto at = [&](const char* r, const char* c) { return *t->IndexOf({r, c}); };
  EXPECT_EQ(t->count[at("T", "T")], 10);
  EXPECT_EQ(t->amount[at("T", "T")], 200);
  EXPECT_EQ(t->top1[at("T", "T")], 70);
  EXPECT_EQ(t->top2[at("T", "T")], 40);
  EXPECT_EQ(t->cell_key[at("T", "T")], (200u + 100 + 50 + 7) % 256);
  EXPECT_EQ(t->count[at("G0", "x")], 4);
  EXPECT_EQ(t->cell_key[at("G0", "x")], 250u);
  EXPECT_EQ(t->count[at("G0", "T")], 6);
  EXPECT_EQ(t->count[at("G1", "T")], 4);
  EXPECT_EQ(t->count[at("T", "y")], 6);
  EXPECT_EQ(t->top1[at("T", "x")], 40);
  EXPECT_EQ(t->top2[at("T", "x")], 15);
  EXPECT_EQ(t->IndexOf({"G9", "x"}).status().message(), "cell table: dimension 'r' has no code 'G9'");
}

TEST(CellTable, LinesCoverEveryMargin) {
  auto t = CellTable::Create({TwoLevel("r", {2, 1}), Flat("c", {"x", "y"})}, TableKind::kCount);
  ASSERT_TRUE(t.ok());
  const std::vector<Line> lines = Lines(*t);
  // Dimension r: 3 margins (T, G0, G1) x 3 c codes = 9 lines; dimension c: 1 margin x 6 r codes = 6 lines.
  ASSERT_EQ(lines.size(), 15u);
  EXPECT_EQ(lines[0].total, *t->IndexOf({"T", "T"}));
  EXPECT_EQ(lines[0].parts, (std::vector<std::uint32_t>{static_cast<std::uint32_t>(*t->IndexOf({"G0", "T"})),
                                                        static_cast<std::uint32_t>(*t->IndexOf({"G1", "T"}))}));
  const Line& last = lines.back();
  EXPECT_EQ(last.total, *t->IndexOf({"G1.0", "T"}));
  EXPECT_EQ(last.parts.size(), 2u);
}

}  // namespace
}  // namespace das::protect
