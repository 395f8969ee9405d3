// The shared dimension builders and margin filling.
#include "dimensions.h"

#include <gtest/gtest.h>

#include "stats_a_fixture.h"

namespace das::stats {
namespace {

using testing_a::D;

TEST(Dimensions, PeriodenHierarchyAndStatus) {
  auto p = BuildPerioden(2022, 2023, PeriodLevel::kQuarter, true, D(2023, 3, 31));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->spec.codes.size(), 10u);
  EXPECT_EQ(p->spec.codes[0].code, "2022JJ00");
  EXPECT_EQ(p->spec.codes[1].code, "2022KW01");
  EXPECT_EQ(p->spec.codes[1].parent, "2022JJ00");
  EXPECT_EQ(p->spec.codes[6].code, "2023KW01");
  EXPECT_EQ(p->spec.codes[6].status, "Definitief");
  EXPECT_EQ(p->spec.codes[7].status, "Voorlopig");
  EXPECT_EQ(p->spec.codes[5].status, "Voorlopig");  // 2023JJ00
  EXPECT_EQ(p->num_ordinals(), 8);
  EXPECT_EQ(p->Ordinal(D(2021, 12, 31)), -1);
  EXPECT_EQ(p->Ordinal(D(2023, 4, 1)), 5);
  EXPECT_EQ(p->Ordinal(D(2024, 1, 1)), 8);
  EXPECT_EQ(p->last_ordinal[0], 3);
  auto flat = BuildPerioden(2022, 2022, PeriodLevel::kMonth, false, D(2030, 1, 1));
  ASSERT_TRUE(flat.ok());
  EXPECT_EQ(flat->spec.codes.size(), 17u);
  EXPECT_EQ(flat->spec.codes[2].parent, "");
  EXPECT_EQ(flat->containing[2], 1);
  EXPECT_FALSE(BuildPerioden(2023, 2022, PeriodLevel::kYear, false, D(2030, 1, 1)).ok());
}

TEST(Dimensions, RegioAndPolice) {
  const auto& geo = testing_a::GetShipped().geography;
  BuiltDimension r = BuildRegio(geo, RegioLevel::kGemeente);
  EXPECT_EQ(r.spec.codes[0].code, "NL01");
  EXPECT_EQ(r.spec.codes[1].code, "PV20");
  const int gm = r.Map("GM0363");
  ASSERT_GE(gm, 0);
  EXPECT_EQ(r.spec.codes[static_cast<std::size_t>(gm)].parent, "PV27");
  EXPECT_EQ(r.spec.codes[static_cast<std::size_t>(r.Map("GM1234567"))].code, "GM9999");
  EXPECT_EQ(r.spec.codes[static_cast<std::size_t>(r.Map({}, true))].code, "GM9999");
  EXPECT_EQ(r.spec.codes.back().parent, "PV99");
  EXPECT_EQ(r.spec.codes.size(), 1u + 12u + 1u + geo.GemeentenIn(2024).size() + 1u);
  BuiltDimension p = BuildPoliceRegio(geo);
  EXPECT_EQ(p.spec.codes.size(), 1u + geo.police_units().size() + 1u);
  EXPECT_EQ(p.spec.codes[static_cast<std::size_t>(p.Map("RE05"))].code, "RE05");
  EXPECT_EQ(p.spec.codes.back().code, "RE99");
}

TEST(Dimensions, DelictLeeftijdGeslacht) {
  const auto& h = testing_a::GetShipped().codelists;
  auto d = BuildDelict(h.targets.at("scm2010"), 2);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->spec.codes[0].code, "0");
  EXPECT_EQ(d->spec.codes[static_cast<std::size_t>(d->Map("111"))].code, "11");   // level 3 -> level-2 ancestor
  EXPECT_EQ(d->spec.codes[static_cast<std::size_t>(d->Map("2211"))].code, "22");
  EXPECT_EQ(d->spec.codes[static_cast<std::size_t>(d->Map("zzz"))].code, "onbekend");
  EXPECT_FALSE(BuildDelict(h.targets.at("scm2010"), 4).ok());
  // Level 3: a unit coded only to "11" (which has children) is counted in the leaf "11_nnb" under "11".
  auto d3 = BuildDelict(h.targets.at("scm2010"), 3);
  ASSERT_TRUE(d3.ok());
  const Code& nnb = d3->spec.codes[static_cast<std::size_t>(d3->Map("11"))];
  EXPECT_EQ(nnb.code, "11_nnb");
  EXPECT_EQ(nnb.parent, "11");
  EXPECT_EQ(d3->spec.codes[static_cast<std::size_t>(d3->Map("14"))].code, "14");  // a leaf at level 2
  EXPECT_EQ(d3->spec.codes[static_cast<std::size_t>(d3->Map("0"))].code, "onbekend");
  for (std::size_t i = 0; i < d3->spec.codes.size(); ++i) {  // parents before children, consistent links
    const int p = d3->parent[i];
    if (p >= 0) {
      ASSERT_LT(p, static_cast<int>(i));
      EXPECT_EQ(d3->spec.codes[i].parent, d3->spec.codes[static_cast<std::size_t>(p)].code);
    }
  }
  BuiltDimension l = BuildLeeftijd(h.age_groups, true);
  EXPECT_EQ(l.spec.codes[0].code, "10000");
  EXPECT_EQ(l.spec.codes[static_cast<std::size_t>(l.Map("12-17"))].parent, "minderjarig");
  EXPECT_EQ(l.spec.codes[static_cast<std::size_t>(l.Map("65+"))].parent, "meerderjarig");
  EXPECT_EQ(l.spec.codes[static_cast<std::size_t>(l.Map({}, true))].code, "onbekend");
  BuiltDimension g = BuildGeslacht();
  ASSERT_EQ(g.spec.codes.size(), 4u);
  EXPECT_EQ(g.spec.codes[static_cast<std::size_t>(g.Map("vrouw"))].code, "4000");
  EXPECT_EQ(g.spec.codes[static_cast<std::size_t>(g.Map("X"))].code, "onbekend");
}

TEST(Dimensions, TreeFromCodeList) {
  const auto& h = testing_a::GetShipped().codelists;
  BuiltDimension b = BuildTree("Bestemming", "Bestemming", "Destination", "exit_type", h.targets.at("afdoening_om"));
  EXPECT_EQ(b.spec.codes[0].code, "totaal");
  EXPECT_EQ(b.spec.codes[static_cast<std::size_t>(b.Map("sepot"))].code, "sepot_nnb");
  EXPECT_EQ(b.spec.codes[static_cast<std::size_t>(b.Map("sepot_beleid"))].parent, "sepot");
  EXPECT_EQ(b.spec.codes[static_cast<std::size_t>(b.Map("dagvaarding"))].code, "dagvaarding");
  EXPECT_EQ(b.spec.codes[static_cast<std::size_t>(b.Map("totaal"))].code, "onbekend");
  EXPECT_EQ(b.spec.codes[static_cast<std::size_t>(b.Map("nonsense"))].code, "onbekend");
}

TEST(Dimensions, FillMarginsTwoDimensions) {
  // Dimension A: total(0) > a1(1) > a11(2); B: total(0) > b1(1), b2(2).
  const std::vector<int> pa = {-1, 0, 1}, pb = {-1, 0, 0};
  std::vector<std::int64_t> cells(9, 0);
  cells[2 * 3 + 1] = 5;  // (a11, b1)
  cells[2 * 3 + 2] = 7;  // (a11, b2)
  cells[1 * 3 + 2] = 1;  // (a1, b2): coded at the parent level
  FillMargins({3, 3}, {&pa, &pb}, &cells);
  EXPECT_EQ(cells, (std::vector<std::int64_t>{13, 5, 8, 13, 5, 8, 12, 5, 7}));
  std::vector<std::uint32_t> keys(9, 0);
  keys[2 * 3 + 1] = 200;
  keys[2 * 3 + 2] = 100;
  FillMarginsMod256({3, 3}, {&pa, &pb}, &keys);
  EXPECT_EQ(keys[0], 44u);
}

}  // namespace
}  // namespace das::stats
