// Golden throughput tests: within-stage and end-to-end trajects, look-back and cohort, nearest-rank
// percentiles, norms.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "stats_a_fixture.h"

namespace das::stats {
namespace {

using testing_a::Cell;
using testing_a::D;
using testing_a::Topic;
using testing_a::UnitRow;

TEST(NearestRank, Definition) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(NearestRank({10, 20}, 50), 10);
  EXPECT_EQ(NearestRank({10, 20}, 80), 20);
  EXPECT_EQ(NearestRank({1, 2, 3, 4, 5}, 80), 4);  // ceil(0.8 * 5) = 4, not 5
  EXPECT_EQ(NearestRank({1, 2, 3, 4, 5}, 50), 3);
  EXPECT_EQ(NearestRank({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 90), 9);
  EXPECT_TRUE(std::isnan(NearestRank({}, 50)));
  EXPECT_EQ(NearestRank({199, 355, inf}, 50), 355);
  EXPECT_TRUE(std::isnan(NearestRank({199, 355, inf}, 80)));
}

UnitRow U(std::string stage, std::string id, std::optional<Date> e, std::optional<Date> x, std::string unit_type = "",
          std::string quality = "") {
  UnitRow r;
  r.stage = std::move(stage);
  r.unit_id = std::move(id);
  r.entry = e;
  r.exit = x;
  r.unit_type = std::move(unit_type);
  r.quality = std::move(quality);
  return r;
}

class ThroughputGolden : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing_a::TempStore("stats_throughput_golden");
    std::vector<UnitRow> units = {
        U("om", "u1", D(2021, 12, 1), D(2022, 2, 10), "zsm"),       // 71 days
        U("om", "u2", D(2022, 3, 5), std::nullopt, "regulier"),     // unfinished
        U("om", "u3", D(2022, 6, 30), D(2023, 1, 15), "zsm"),       // 199
        U("om", "u4", D(2023, 5, 1), D(2023, 5, 1), "regulier"),    // 0
        U("om", "u6", D(2022, 1, 10), D(2022, 12, 31), "regulier"), // 355
        U("court", "c1", D(2022, 1, 1), D(2022, 1, 31), "politierechter"),  // 30
        U("court", "c2", D(2022, 2, 1), D(2022, 4, 1), "politierechter"),   // 59
        U("court", "c3", D(2022, 5, 1), std::nullopt, "politierechter", "exit_without_date"),
        U("court", "c4", D(2023, 6, 20), std::nullopt, "politierechter"),   // unfinished, 10 days before final
    };
    ASSERT_TRUE(store_->PutTable("chain_stage_units", testing_a::UnitsTable(units)).ok());
    std::vector<testing_a::EventRow> events = {
        {"C1", "registered", 1, D(2022, 1, 1)}, {"C1", "om_inflow", 5, D(2022, 1, 11)},
        {"C1", "judgment", 8, D(2022, 3, 1)},   {"C2", "registered", 1, D(2022, 2, 1)},
        {"C2", "registered", 1, D(2022, 1, 25)},  // the first registration counts: 27 days
        {"C2", "om_inflow", 5, D(2022, 2, 21)},   {"C3", "om_inflow", 5, D(2023, 1, 1)},
        {"C4", "registered", 1, D(2023, 3, 1)},   {"C4", "om_inflow", 5, D(2023, 2, 1)},  // out of order: skipped
    };
    ASSERT_TRUE(store_->PutTable("chain_events", testing_a::EventsTable(events)).ok());
    StatsOptions o = testing_a::Options(2022, 2023, D(2023, 6, 30));
    Env env = Env::Default();
    auto r = ComputeThroughputTables(store_.get(), testing_a::GetShipped().config, o, env, &report_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->size(), 1u);
    table_ = std::move(r->front());
  }
  double V(const std::string& topic, const std::string& year, const std::string& traject, const std::string& method) {
    return Topic(table_, topic).value[Cell(table_, {year, traject, method})];
  }
  std::int64_t N(const std::string& topic, const std::string& year, const std::string& traject, const std::string& method) {
    return Topic(table_, topic).n[Cell(table_, {year, traject, method})];
  }
  std::unique_ptr<store::Store> store_;
  StatTable table_;
  ThroughputReport report_;
};

TEST_F(ThroughputGolden, Shape) {
  EXPECT_EQ(table_.id, "DAS_Doorlooptijden");
  ASSERT_EQ(table_.dims.size(), 3u);
  EXPECT_EQ(table_.dims[1].id, "Traject");
  EXPECT_FALSE(table_.dims[1].has_total);
  EXPECT_EQ(table_.dims[2].codes[0].code, "terugkijk");
  EXPECT_EQ(table_.dims[2].codes[1].code, "cohort");
  EXPECT_EQ(table_.measures[0].kind, MeasureKind::kCount);
  EXPECT_EQ(table_.measures[1].kind, MeasureKind::kDerived);
  EXPECT_EQ(report_.skipped_quality, 2);  // c3 in the trajects court and court_politierechter
  EXPECT_EQ(report_.skipped_order, 1);
}

TEST_F(ThroughputGolden, WithinStageLookBack) {
  // 2022 exits: u1 71, u6 355.
  EXPECT_EQ(V("Aantal_1", "2022JJ00", "om", "terugkijk"), 2);
  EXPECT_EQ(V("Mediaan_2", "2022JJ00", "om", "terugkijk"), 71);
  EXPECT_EQ(V("P80_3", "2022JJ00", "om", "terugkijk"), 355);
  EXPECT_EQ(V("P90_4", "2022JJ00", "om", "terugkijk"), 355);
  EXPECT_EQ(N("Mediaan_2", "2022JJ00", "om", "terugkijk"), 2);
  // 2023 exits: u3 199, u4 0.
  EXPECT_EQ(V("Mediaan_2", "2023JJ00", "om", "terugkijk"), 0);
  EXPECT_EQ(V("P80_3", "2023JJ00", "om", "terugkijk"), 199);
  // ZSM only: u1 (2022), u3 (2023).
  EXPECT_EQ(V("Aantal_1", "2022JJ00", "om_zsm", "terugkijk"), 1);
  EXPECT_EQ(V("Mediaan_2", "2023JJ00", "om_zsm", "terugkijk"), 199);
  EXPECT_TRUE(std::isnan(V("BinnenNorm_5", "2022JJ00", "om", "terugkijk")));  // no norm
  EXPECT_TRUE(std::isnan(V("Norm_6", "2022JJ00", "om", "terugkijk")));
}

TEST_F(ThroughputGolden, WithinStageCohort) {
  // 2022 entries: u2 (unfinished), u3 199, u6 355 -> [199, 355, inf].
  EXPECT_EQ(V("Aantal_1", "2022JJ00", "om", "cohort"), 3);
  EXPECT_EQ(V("Mediaan_2", "2022JJ00", "om", "cohort"), 355);
  EXPECT_TRUE(std::isnan(V("P80_3", "2022JJ00", "om", "cohort")));
  EXPECT_EQ(N("P80_3", "2022JJ00", "om", "cohort"), 3);
  EXPECT_EQ(V("Mediaan_2", "2023JJ00", "om", "cohort"), 0);  // u4
}

TEST_F(ThroughputGolden, Norms) {
  // Politierechter, 35 days: c1 30 (within), c2 59 (not); c3 skipped (quality).
  EXPECT_EQ(V("Aantal_1", "2022JJ00", "court_politierechter", "terugkijk"), 2);
  EXPECT_EQ(V("BinnenNorm_5", "2022JJ00", "court_politierechter", "terugkijk"), 50.0);
  EXPECT_EQ(V("BinnenNorm_5", "2022JJ00", "court_politierechter", "cohort"), 50.0);
  EXPECT_EQ(V("Norm_6", "2022JJ00", "court_politierechter", "cohort"), 35);
  // 2023 cohort: c4 is open 10 days at the final date and could still make the norm: undecided.
  EXPECT_EQ(V("Aantal_1", "2023JJ00", "court_politierechter", "cohort"), 1);
  EXPECT_TRUE(std::isnan(V("BinnenNorm_5", "2023JJ00", "court_politierechter", "cohort")));
  EXPECT_EQ(V("Aantal_1", "2023JJ00", "court_politierechter", "terugkijk"), 0);
  EXPECT_TRUE(std::isnan(V("Mediaan_2", "2023JJ00", "court_politierechter", "terugkijk")));
}

TEST_F(ThroughputGolden, EndToEnd) {
  // registered -> om_inflow: C1 10 days, C2 27 days (from its first registration); C4 out of order.
  EXPECT_EQ(V("Aantal_1", "2022JJ00", "registered-om_inflow", "terugkijk"), 2);
  EXPECT_EQ(V("Mediaan_2", "2022JJ00", "registered-om_inflow", "terugkijk"), 10);
  EXPECT_EQ(V("P90_4", "2022JJ00", "registered-om_inflow", "terugkijk"), 27);
  EXPECT_EQ(V("Aantal_1", "2023JJ00", "registered-om_inflow", "cohort"), 0);
  // om_inflow -> judgment: C1 49 days; cohort 2022 = C1, C2 (unfinished) -> median rank 1 = 49, p80 NaN.
  EXPECT_EQ(V("Mediaan_2", "2022JJ00", "om_inflow-judgment", "terugkijk"), 49);
  EXPECT_EQ(V("Aantal_1", "2022JJ00", "om_inflow-judgment", "cohort"), 2);
  EXPECT_EQ(V("Mediaan_2", "2022JJ00", "om_inflow-judgment", "cohort"), 49);
  EXPECT_TRUE(std::isnan(V("P80_3", "2022JJ00", "om_inflow-judgment", "cohort")));
  // 2023 cohort: C3 and C4 entered OM, neither has a judgment.
  EXPECT_EQ(V("Aantal_1", "2023JJ00", "om_inflow-judgment", "cohort"), 2);
  EXPECT_TRUE(std::isnan(V("Mediaan_2", "2023JJ00", "om_inflow-judgment", "cohort")));
}

}  // namespace
}  // namespace das::stats
