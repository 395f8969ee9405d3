// The survey: weighted proportion with a Wilson interval on Kish's effective sample size, and the table.
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "das/core/date.h"
#include "das/geo/geography.h"
#include "das/stats/figures.h"
#include "das/store/store.h"

namespace das::stats {
namespace {

TEST(SurveyTest, WeightedProportionWithWilsonInterval) {
  SurveyEstimate e = EstimateProportion({1, 1, 2}, {true, false, true});
  EXPECT_DOUBLE_EQ(e.percent, 75.0);
  EXPECT_NEAR(e.n_eff, 8.0 / 3, 1e-12);
  EXPECT_NEAR(e.lower, 23.8501877165944, 1e-9);
  EXPECT_NEAR(e.upper, 96.63702224766881, 1e-9);
  EXPECT_EQ(e.respondents, 3);
  SurveyEstimate none = EstimateProportion({}, {});
  EXPECT_TRUE(std::isnan(none.percent));
}

TEST(SurveyTest, TableByProvince) {
  const auto dir = std::filesystem::temp_directory_path() / ("das_survey_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto store = store::Store::Open((dir / "s.db").string()).value();
  auto geo = geo::Geography::Load(std::string(DAS_SOURCE_DIR) + "/config/geo").value();
  store::DeliveryInfo info;
  info.file = "veiligheidsmonitor_2023.csv";
  info.sha256 = std::string(64, 'a');
  info.contract = "cbs_veiligheidsmonitor@1";
  info.organisation = "cbs";
  info.dataset = "cbs_veiligheidsmonitor";
  info.period = "2023JJ00";
  info.delivered_on = "2024-02-01";
  info.kind = "regulier";
  info.status = "accepted";
  Table accepted({Column("respondent_id", ColumnType::kString)});
  auto id = store->AddDelivery(info, accepted, {}, "{}");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  // Respondents: weight, gemeente, property, violence, online fraud, reported.
  struct R { double w; const char* gm; int prop, viol, fraud, rep; };
  const R rs[] = {{100, "GM0363", 1, 0, 0, 1}, {200, "GM0363", 0, 0, 0, 0}, {300, "GM0014", 0, 0, 0, 0},
                  {400, "GM0014", 0, 1, 1, 0}};
  std::vector<Column> c = {Column("respondent_id", ColumnType::kString), Column("gemeente_2024", ColumnType::kString),
                           Column("weight", ColumnType::kDouble), Column("victim_property", ColumnType::kBool),
                           Column("victim_violence", ColumnType::kBool), Column("victim_online_fraud", ColumnType::kBool),
                           Column("reported_to_police", ColumnType::kBool), Column("_delivery", ColumnType::kInt64)};
  int k = 0;
  for (const R& r : rs) {
    c[0].AppendString("R" + std::to_string(++k));
    c[1].AppendString(r.gm);
    c[2].AppendDouble(r.w);
    c[3].AppendBool(r.prop != 0);
    c[4].AppendBool(r.viol != 0);
    c[5].AppendBool(r.fraud != 0);
    c[6].AppendBool(r.rep != 0);
    c[7].AppendInt(*id);
  }
  ASSERT_TRUE(store->PutTable("h_cbs_veiligheidsmonitor", Table(std::move(c))).ok());
  FiguresOptions o;
  o.geography = &geo;
  o.from_year = 2023;
  o.to_year = 2023;
  o.horizon = ParseDate("2024-02-01", DateFormat::kIso).value();
  auto t = ComputeSurvey(store.get(), o, Env::Default());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->dims[1].codes[0].code, "NL01");
  const std::size_t nl = t->Index({0, t->dims[1].Find("NL01")}), pv27 = t->Index({0, t->dims[1].Find("PV27")});
  EXPECT_EQ(t->measures[0].id, "Respondenten_1");
  EXPECT_EQ(t->values[0].value[nl], 4);
  EXPECT_EQ(t->measures[1].id, "VictimAny_2");
  EXPECT_DOUBLE_EQ(t->values[1].value[nl], 50.0);  // (100 + 400) / 1000
  EXPECT_NEAR(t->values[2].value[nl], 13.414126107157998, 1e-9);
  EXPECT_NEAR(t->values[3].value[nl], 86.585873892842, 1e-9);
  EXPECT_DOUBLE_EQ(t->values[1].value[pv27], 100.0 / 3);
  EXPECT_EQ(t->values[1].n[pv27], 2);
  // Reporting rate among victims of any offence: 100 / (100 + 400).
  std::size_t rep = 0;
  for (std::size_t m = 0; m < t->measures.size(); ++m) {
    if (t->measures[m].id.rfind("ReportedToPolice_", 0) == 0) rep = m;
  }
  ASSERT_GT(rep, 0u);
  EXPECT_DOUBLE_EQ(t->values[rep].value[nl], 20.0);
  EXPECT_EQ(t->values[rep].n[nl], 2);
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace das::stats
