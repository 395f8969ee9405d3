// The geography the product ships (config/geo/) against the real public data in /work/shared (DAS_SHARED_DIR):
// counts, population sums, every 2024 gemeente with its province, every buurt with its population, the
// merger history year by year, and that tools/import_geo.py regenerates the committed files byte for byte.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "das/core/env.h"
#include "das/geo/geography.h"
#include "das/io/csv_reader.h"

namespace das::geo {
namespace {

const std::string kConfig = std::string(DAS_SOURCE_DIR) + "/config/geo";
const std::string kShared = std::string(DAS_SHARED_DIR) + "/data";
constexpr std::int64_t kPopulation2024 = 17'942'915;

const Geography& Shipped() {
  static const Geography* geo = [] {
    Result<Geography> g = Geography::Load(kConfig);
    if (!g.ok()) {
      ADD_FAILURE() << g.status().ToString();
      std::abort();
    }
    return new Geography(std::move(g).value());
  }();
  return *geo;
}

// Rows of a shared CSV as column name -> value (trimmed of CBS space padding).
std::vector<std::map<std::string, std::string>> ReadShared(const std::string& file) {
  std::vector<std::map<std::string, std::string>> rows;
  auto reader = io::CsvReader::Open(kShared + "/" + file, io::CsvDialect{});
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return rows;
  const auto& header = (*reader)->header();
  io::CsvRecord rec;
  while (true) {
    auto more = (*reader)->Next(&rec);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    EXPECT_FALSE(rec.error.has_value()) << rec.error->ToString();
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < rec.fields.size(); ++i) {
      std::string v(rec.fields[i]);
      while (!v.empty() && v.back() == ' ') v.pop_back();
      row[header[i]] = v;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

TEST(ShippedGeoTest, GemeentenOf2024) {
  const Geography& g = Shipped();
  auto in2024 = g.GemeentenIn(2024);
  EXPECT_EQ(in2024.size(), 342u);
  std::int64_t total = 0;
  for (const GemeenteInfo* gm : in2024) total += gm->population;
  EXPECT_EQ(total, kPopulation2024);

  const std::map<std::string, std::string> province_code = {
      {"Groningen", "PV20"},  {"Friesland", "PV21"},     {"Drenthe", "PV22"},      {"Overijssel", "PV23"},
      {"Flevoland", "PV24"},  {"Gelderland", "PV25"},    {"Utrecht", "PV26"},      {"Noord-Holland", "PV27"},
      {"Zuid-Holland", "PV28"}, {"Zeeland", "PV29"},     {"Noord-Brabant", "PV30"}, {"Limburg", "PV31"}};
  auto provinces = ReadShared("cbs_politie/gemeente_provincie_2024.csv");
  ASSERT_EQ(provinces.size(), 342u);
  for (const auto& row : provinces) {
    const std::string code = "GM" + row.at("municipality_id");
    const GemeenteInfo* gm = g.FindGemeente(code);
    ASSERT_NE(gm, nullptr) << code;
    EXPECT_TRUE(gm->ValidIn(2024)) << code;
    ASSERT_EQ(province_code.count(row.at("province_lab")), 1u) << row.at("province_lab");
    EXPECT_EQ(gm->province, province_code.at(row.at("province_lab"))) << code;
  }
  auto populations = ReadShared("cbs_politie/gemeenten_2024_bevolking_misdaad.csv");
  ASSERT_EQ(populations.size(), 342u);
  for (const auto& row : populations) {
    const GemeenteInfo* gm = g.FindGemeente("GM" + row.at("nummer"));
    ASSERT_NE(gm, nullptr) << row.at("nummer");
    EXPECT_EQ(std::to_string(gm->population), row.at("bevolking")) << gm->code;
  }
  // Names are CBS's (the regio file), not the variants of the population file.
  EXPECT_EQ(g.NameOf("GM1970"), "Noardeast-Fryslân");
  EXPECT_EQ(g.NameOf("GM0820"), "Nuenen, Gerwen en Nederwetten");
  EXPECT_EQ(g.NameOf("PV21"), "Fryslân");
}

TEST(ShippedGeoTest, PoliceUnitsAndCourtDistricts) {
  const Geography& g = Shipped();
  std::map<std::string, int> per_unit;
  for (const GemeenteInfo* gm : g.GemeentenIn(2024)) {
    ++per_unit[gm->police_unit];
    EXPECT_FALSE(g.NameOf(gm->police_unit).empty()) << gm->code;
    EXPECT_FALSE(g.NameOf(gm->arrondissement).empty()) << gm->code;
  }
  EXPECT_EQ(per_unit.size(), 10u);
  EXPECT_EQ(per_unit["RE05"], 6);  // Amsterdam-Amstelland
  struct Case {
    const char* code;
    const char* unit;
    const char* arr;
  };
  for (const Case& c : {Case{"GM0363", "RE05", "RBAMS"}, Case{"GM0402", "RE03", "RBMNE"},  // Hilversum
                        Case{"GM0392", "RE04", "RBNHO"}, Case{"GM0518", "RE06", "RBDHA"},  // Haarlem, Den Haag
                        Case{"GM0546", "RE06", "RBDHA"}, Case{"GM0599", "RE07", "RBROT"},  // Leiden, Rotterdam
                        Case{"GM0505", "RE07", "RBROT"}, Case{"GM0855", "RE08", "RBZWB"},  // Dordrecht, Tilburg
                        Case{"GM0772", "RE09", "RBOBR"}, Case{"GM0193", "RE02", "RBOVE"},  // Eindhoven, Zwolle
                        Case{"GM0202", "RE02", "RBGEL"}, Case{"GM0034", "RE03", "RBMNE"},  // Arnhem, Almere
                        Case{"GM0014", "RE01", "RBNNE"}, Case{"GM0935", "RE10", "RBLIM"}}) {  // Groningen, Maastricht
    const GemeenteInfo* gm = g.FindGemeente(c.code);
    ASSERT_NE(gm, nullptr) << c.code;
    EXPECT_EQ(gm->police_unit, c.unit) << c.code;
    EXPECT_EQ(gm->arrondissement, c.arr) << c.code;
  }
}

TEST(ShippedGeoTest, BuurtenOf2024) {
  const Geography& g = Shipped();
  EXPECT_EQ(g.buurten().size(), 14'574u);
  std::int64_t total = 0;
  for (const BuurtInfo& b : g.buurten()) total += b.population;
  EXPECT_EQ(total, kPopulation2024);
  auto rows = ReadShared("cbs_politie/bevolking_buurt_2024_85984.csv");
  ASSERT_EQ(rows.size(), 14'574u);
  for (const auto& row : rows) {
    const BuurtInfo* b = g.FindBuurt(row.at("nhood_id"));
    ASSERT_NE(b, nullptr) << row.at("nhood_id");
    EXPECT_EQ(std::to_string(b->population), row.at("population")) << b->code;
  }
  const BuurtInfo* amsterdam = g.FindBuurt("BU0363NK03");  // letters in codes of gemeenten with 100+ wijken
  ASSERT_NE(amsterdam, nullptr);
  EXPECT_EQ(amsterdam->wijk, "WK0363NK");
  EXPECT_EQ(amsterdam->gemeente, "GM0363");
}

TEST(ShippedGeoTest, MergerHistory) {
  const Geography& g = Shipped();
  // CBS's numbers of gemeenten on 1 January.
  const std::map<int, std::size_t> counts = {{2018, 380}, {2019, 355}, {2020, 355}, {2021, 352},
                                             {2022, 345}, {2023, 342}, {2024, 342}};
  for (const auto& [year, count] : counts) EXPECT_EQ(g.GemeentenIn(year).size(), count) << year;
  EXPECT_EQ(g.first_modelled_year(), 2018);
  for (int year = 2010; year <= 2026; ++year) {
    std::int64_t total = 0;
    for (const GemeenteInfo* gm : g.GemeentenIn(year)) {
      const std::int64_t p = g.PopulationIn(gm->code, year);
      EXPECT_GT(p, 0) << gm->code << " in " << year;
      total += p;
    }
    EXPECT_EQ(total, kPopulation2024) << year;
  }
  EXPECT_EQ(g.Successor("GM0003"), "GM1979");  // Appingedam -> Eemsdelta
  EXPECT_EQ(g.Successor("GM0457"), "GM0363");  // Weesp -> Amsterdam
  EXPECT_EQ(g.Successor("GM0370"), "GM0439");  // Beemster -> Purmerend
  EXPECT_EQ(g.Successor("GM0398"), "GM1980");  // Heerhugowaard -> Dijk en Waard
  EXPECT_EQ(g.Successor("GM0788"), "GM0824");  // Haaren -> mostly Oisterwijk
  EXPECT_EQ(g.SuccessorShares("GM0788").size(), 4u);
  EXPECT_EQ(g.FindGemeente("GM1992")->valid_from, 2023);  // Voorne aan Zee
  EXPECT_EQ(g.FindGemeente("GM0614")->valid_to, 2022);    // Westvoorne
  // Every former gemeente has buurten in its last year, and each of its buurten maps back.
  for (const GemeenteInfo& gm : g.gemeenten()) {
    if (gm.valid_to >= 2024) continue;
    auto buurten = g.BuurtenIn(gm.code, gm.valid_to);
    EXPECT_FALSE(buurten.empty()) << gm.code;
    for (const BuurtInfo* b : buurten) {
      const std::string old = g.BuurtCodeIn(*b, gm.valid_to);
      EXPECT_EQ(old.substr(0, 6), "BU" + gm.code.substr(2)) << old;
      EXPECT_EQ(g.CurrentBuurt(old), b) << old;
    }
  }
  // Round trip for all buurten and years, with distinct codes per year.
  for (int year = 2018; year <= 2024; ++year) {
    std::set<std::string> seen;
    for (const BuurtInfo& b : g.buurten()) {
      const std::string code = g.BuurtCodeIn(b, year);
      EXPECT_TRUE(seen.insert(code).second) << code << " twice in " << year;
      EXPECT_EQ(code.substr(2, 4), g.GemeenteOf(b, year).substr(2)) << code;
      EXPECT_EQ(g.CurrentBuurt(code), &b) << code;
    }
  }
}

TEST(ShippedGeoTest, TopojsonCopiedUnchanged) {
  for (const char* name : {"gemeente_2024.topojson", "provincie_2024.topojson"}) {
    auto shipped = PosixFileSystem()->ReadFile(kConfig + "/" + name);
    auto source = PosixFileSystem()->ReadFile(kShared + "/geo/" + name);
    ASSERT_TRUE(shipped.ok()) << shipped.status().ToString();
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    EXPECT_TRUE(*shipped == *source) << name;
  }
}

TEST(ShippedGeoTest, ImportScriptReproducesCommittedFiles) {
  if (std::system("python3 --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "python3 not available";
  const std::string out = ::testing::TempDir() + "das_geo_import_" + std::to_string(::getpid());
  const std::string cmd = "python3 '" + std::string(DAS_SOURCE_DIR) + "/tools/import_geo.py' --shared '" + kShared +
                          "' --out '" + out + "' > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  for (const char* name : {"gemeenten.csv", "buurten.csv", "provincies.csv", "politie_eenheden.csv",
                           "arrondissementen.csv", "herindelingen.csv", "gemeente_2024.topojson",
                           "provincie_2024.topojson"}) {
    auto regenerated = PosixFileSystem()->ReadFile(out + "/" + name);
    auto committed = PosixFileSystem()->ReadFile(kConfig + "/" + name);
    ASSERT_TRUE(regenerated.ok()) << regenerated.status().ToString();
    ASSERT_TRUE(committed.ok()) << committed.status().ToString();
    EXPECT_TRUE(*regenerated == *committed) << name << " differs from tools/import_geo.py output";
    PosixFileSystem()->Remove(out + "/" + name).IgnoreError();
  }
  const int rmdir_rc = std::system(("rmdir '" + out + "'").c_str());
  EXPECT_EQ(rmdir_rc, 0);
}

}  // namespace
}  // namespace das::geo
