// Golden test of DAS_Recidive on a hand-built chain (one index per person, cohort and year; 730-day window).
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "das/core/date.h"
#include "das/stats/figures.h"
#include "das/store/store.h"

namespace das::stats {
namespace {

Date D(const char* iso) { return ParseDate(iso, DateFormat::kIso).value(); }

TEST(RecidivismTest, CohortsAndWindow) {
  const auto dir = std::filesystem::temp_directory_path() / ("das_recid_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto store = store::Store::Open((dir / "s.db").string()).value();
  // Cases: id, person, first event, minor.
  struct C { const char* id; const char* person; const char* first; int minor; };
  const C cases[] = {
      {"C1", "P1", "2020-01-10", 0},  // adult, convicted 2020-03-01 (index)
      {"C2", "P1", "2021-06-01", 0},  // new case 458 days later, convicted: P1 recidivist
      {"C3", "P2", "2020-02-01", 0},  // adult, OM strafbeschikking 2020-04-01 (index)
      {"C4", "P2", "2022-05-01", 0},  // new case 760 days later: outside the window
      {"C5", "P3", "2020-01-05", 1},  // minor, convicted 2020-05-01; also DJI exit 2020-07-01
      {"C6", "P3", "2020-09-01", 1},  // new case, only a sepot: not a reconviction
      {"C7", "P4", "2020-03-01", 1},  // minor, OM transactie 2020-03-20
      {"C8", "P4", "2021-01-01", 0},  // new case convicted: recidivist (juvenile cohort)
      {"C9", "P5", "2020-01-01", 0},  // acquitted: not in a cohort
      {"C10", "P6", "2021-02-01", 0}, // adult convicted 2021: cohort 2021, follow-up not complete
  };
  std::vector<Column> cc = {Column("chain_case_id", ColumnType::kString), Column("person_id", ColumnType::kString),
                            Column("first_event_date", ColumnType::kDate), Column("minor", ColumnType::kBool)};
  for (const C& c : cases) {
    cc[0].AppendString(c.id);
    cc[1].AppendString(c.person);
    cc[2].AppendDate(D(c.first));
    cc[3].AppendBool(c.minor == 1);
  }
  ASSERT_TRUE(store->PutTable("chain_cases", Table(std::move(cc))).ok());
  struct E { const char* id; const char* stage; const char* date; const char* outcome; };
  const E events[] = {
      {"C1", "judgment", "2020-03-01", "schuldig_met_straf"}, {"C2", "judgment", "2022-09-01", "schuldig_zonder_straf"},
      {"C3", "om_decision", "2020-04-01", "strafbeschikking"}, {"C4", "judgment", "2022-08-01", "schuldig_met_straf"},
      {"C5", "judgment", "2020-05-01", "schuldig_met_straf"},  {"C5", "dji_exit", "2020-07-01", "einde"},
      {"C6", "om_decision", "2020-10-01", "sepot_beleid"},     {"C7", "om_decision", "2020-03-20", "transactie"},
      {"C8", "judgment", "2021-05-01", "schuldig_met_straf"},  {"C9", "judgment", "2020-06-01", "vrijspraak"},
      {"C10", "judgment", "2021-04-01", "schuldig_met_straf"},
  };
  std::vector<Column> ec = {Column("chain_case_id", ColumnType::kString), Column("stage", ColumnType::kString),
                            Column("date", ColumnType::kDate), Column("outcome", ColumnType::kString)};
  for (const E& e : events) {
    ec[0].AppendString(e.id);
    ec[1].AppendString(e.stage);
    ec[2].AppendDate(D(e.date));
    ec[3].AppendString(e.outcome);
  }
  ASSERT_TRUE(store->PutTable("chain_events", Table(std::move(ec))).ok());

  FiguresOptions o;
  o.from_year = 2020;
  o.to_year = 2021;
  o.horizon = D("2022-12-31");
  auto t = ComputeRecidivism(store.get(), o, Env::Default());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->dims[1].codes.size(), 3u);
  EXPECT_FALSE(t->dims[1].has_total);
  EXPECT_EQ(t->dims[0].codes[0].status, "Definitief");  // 2020-12-31 + 730 <= 2022-12-31
  EXPECT_EQ(t->dims[0].codes[1].status, "Voorlopig");
  auto v = [&](std::size_t m, int y, int c) { return t->values[m].value[t->Index({y, c})]; };
  // Adults 2020: P1 (recidivist), P2 (new case outside the window).
  EXPECT_EQ(v(0, 0, 0), 2);
  EXPECT_EQ(v(1, 0, 0), 1);
  EXPECT_DOUBLE_EQ(v(2, 0, 0), 50.0);
  // Juveniles 2020: P3 (new case only a sepot), P4 (recidivist).
  EXPECT_EQ(v(0, 0, 1), 2);
  EXPECT_EQ(v(1, 0, 1), 1);
  EXPECT_DOUBLE_EQ(v(2, 0, 1), 50.0);
  // Ex-prisoners 2020: P3 after the DJI exit 2020-07-01; C6 is not a reconviction.
  EXPECT_EQ(v(0, 0, 2), 1);
  EXPECT_EQ(v(1, 0, 2), 0);
  EXPECT_DOUBLE_EQ(v(2, 0, 2), 0.0);
  // 2021 adults: P4 (C8, now adult) and P6 (C10); C2 was convicted in 2022.
  EXPECT_EQ(v(0, 1, 0), 2);
  EXPECT_TRUE(std::isnan(v(1, 1, 0)));  // follow-up incomplete
  EXPECT_TRUE(std::isnan(v(2, 1, 0)));
  EXPECT_EQ(t->values[2].n[t->Index({0, 0})], 2);
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace das::stats
