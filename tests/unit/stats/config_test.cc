// StatsConfig::Load: the shipped tabellen.toml / normen.toml, template expansion and error messages.
#include <gtest/gtest.h>

#include "stats_a_fixture.h"

namespace das::stats {
namespace {

TEST(StatsConfig, ShippedConfigExpandsPerStage) {
  const StatsConfig& c = testing_a::GetShipped().config;
  EXPECT_EQ(c.stages.size(), 9u);
  EXPECT_EQ(c.tables.size(), 9u * 4u + 1u);
  const TableDef* regio = nullptr;
  for (const TableDef& t : c.tables) {
    if (t.id == "DAS_OM_Regio") regio = &t;
  }
  ASSERT_NE(regio, nullptr);
  EXPECT_EQ(regio->stage, "om");
  EXPECT_EQ(regio->theme, "vervolging");
  EXPECT_EQ(regio->title_nl, "OM-zaken; instroom, uitstroom en voorraad per regio");
  ASSERT_EQ(regio->dims.size(), 2u);
  EXPECT_EQ(regio->dims[0].level, "maand");
  EXPECT_TRUE(regio->dims[0].hierarchy);
  ASSERT_EQ(regio->topics.size(), 3u);
  EXPECT_EQ(regio->topics[2].measure, FlowMeasure::kStock);
  EXPECT_EQ(c.tables.back().id, "DAS_Doorlooptijden");
  EXPECT_EQ(c.tables.back().kind, TableKind::kThroughput);
  const TrajectDef* pr = nullptr;
  for (const TrajectDef& t : c.trajects) {
    if (t.code == "court_politierechter") pr = &t;
  }
  ASSERT_NE(pr, nullptr);
  EXPECT_EQ(pr->norm_days, 35);
  EXPECT_EQ(pr->norm_share, 90);
  EXPECT_EQ(pr->unit_type, "politierechter");
}

const char kNormen[] = "[[traject]]\ncode = \"om\"\ntitle_nl = \"OM\"\nstage = \"om\"\n";
const char kStage[] = "[[stage]]\nstage = \"om\"\nstem = \"OM\"\ntheme = \"vervolging\"\nunit_nl = \"OM-zaken\"\n";

Status LoadWith(const std::string& tabellen, const std::string& normen = kNormen) {
  MemFileSystem fs;
  EXPECT_TRUE(fs.WriteFile("c/tabellen.toml", tabellen).ok());
  EXPECT_TRUE(fs.WriteFile("c/normen.toml", normen).ok());
  return StatsConfig::Load("c", fs).status();
}

TEST(StatsConfig, NewBreakdownTableNeedsNoCode) {
  MemFileSystem fs;
  const std::string t = std::string(kStage) +
                        "[[table]]\nid = \"DAS_{stem}_Geslacht\"\nstages = [\"om\"]\nkind = \"flow\"\n"
                        "title_nl = \"{unit_nl} naar geslacht\"\n"
                        "dimensions = [{ id = \"Perioden\" }, { id = \"Geslacht\" }]\n"
                        "[[table.topic]]\nid = \"Instroom_1\"\nmeasure = \"instroom\"\ntitle_nl = \"Instroom\"\n"
                        "definition = \"count(units where entry_date in period)\"\n";
  ASSERT_TRUE(fs.WriteFile("c/tabellen.toml", t).ok());
  ASSERT_TRUE(fs.WriteFile("c/normen.toml", kNormen).ok());
  auto c = StatsConfig::Load("c", fs);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->tables.size(), 1u);
  EXPECT_EQ(c->tables[0].id, "DAS_OM_Geslacht");
  EXPECT_EQ(c->tables[0].title_nl, "OM-zaken naar geslacht");
  EXPECT_EQ(c->tables[0].dims[0].level, "jaar");
}

TEST(StatsConfig, Errors) {
  const std::string table_head = std::string(kStage) + "[[table]]\nid = \"T_{stem}\"\nstages = \"*\"\nkind = \"flow\"\ntitle_nl = \"x\"\n";
  const std::string topic = "[[table.topic]]\nid = \"A_1\"\nmeasure = \"instroom\"\ntitle_nl = \"a\"\ndefinition = \"d\"\n";
  Status s = LoadWith(table_head + "dimensions = [{ id = \"Perioden\", level = \"week\" }]\n" + topic);
  EXPECT_EQ(s.message(), "c/tabellen.toml: line 11: table 'T_{stem}': dimension 'Perioden': level 'week' (expected jaar, kwartaal or maand)");
  s = LoadWith(table_head + "dimensions = [{ id = \"Perioden\" }]\n" +
               "[[table.topic]]\nid = \"A_1\"\nmeasure = \"x\"\ntitle_nl = \"a\"\ndefinition = \"d\"\n");
  EXPECT_EQ(s.message(), "c/tabellen.toml: line 12: table 'T_{stem}': topic 'A_1': unknown measure 'x' (expected instroom, uitstroom or voorraad)");
  s = LoadWith(table_head + "dimensions = [{ id = \"Perioden\" }]\n" + topic + "colour = 1\n");
  EXPECT_EQ(s.message(), "c/tabellen.toml: line 17: table 'T_{stem}': topic 'A_1': unknown key 'colour'");
  s = LoadWith(table_head + "dimensions = [{ id = \"Perioden\" }]\n" + topic, "[[traject]]\ncode = \"x\"\ntitle_nl = \"x\"\nstage = \"dji\"\n");
  EXPECT_EQ(s.message(), "c/normen.toml: line 1: traject 'x': unknown stage 'dji' (not a [[stage]] of tabellen.toml)");
  s = LoadWith("[[table\n");
  EXPECT_EQ(s.code(), StatusCode::kParseError);
  EXPECT_EQ(s.message().rfind("c/tabellen.toml: line 1, column", 0), 0u) << s.message();
  s = LoadWith(std::string(kStage) + "stem2 = 1\n");
  EXPECT_EQ(s.message(), "c/tabellen.toml: line 6: stage 'om': unknown key 'stem2'");
}

}  // namespace
}  // namespace das::stats
