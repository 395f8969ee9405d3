// Geography on a small hand-made geography in memory: loading, lookups, successors through chains and splits,
// validity by year, buurt codes in earlier years and back, and the errors of malformed files.
//
// The fixture: GM0001 Alpha absorbs GM0002 Beta (2020); GM0006 Eta merges into GM0003 Delta (2019), which
// with GM0004 Epsilon forms GM0100 Gamma (2021); GM0007 Theta splits into GM0200 Iota and GM0300 Kappa (2022).
// The expected assignments below were worked out by hand from the rule in src/geo/README.md.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "das/core/env.h"
#include "das/geo/geography.h"

namespace das::geo {
namespace {

using ::testing::ElementsAre;

const char kProvincies[] = "code,name\nPV20,Groningen\nPV27,Noord-Holland\n";
const char kEenheden[] = "code,name\nRE01,Noord-Nederland\nRE04,Noord-Holland\n";
const char kArrondissementen[] = "code,name\nRBNNE,Noord-Nederland\nRBNHO,Noord-Holland\n";
const char kGemeenten[] =
    "code,name,province,police_unit,arrondissement,population,valid_from,valid_to\n"
    "GM0001,Alpha,PV27,RE04,RBNHO,1000,0,9999\n"
    "GM0002,Beta,PV27,RE04,RBNHO,300,0,2019\n"
    "GM0003,Delta,PV20,RE01,RBNNE,600,0,2020\n"
    "GM0004,Epsilon,PV20,RE01,RBNNE,400,0,2020\n"
    "GM0006,Eta,PV20,RE01,RBNNE,200,0,2018\n"
    "GM0007,Theta,PV20,RE01,RBNNE,500,0,2021\n"
    "GM0100,Gamma,PV20,RE01,RBNNE,1100,2021,9999\n"
    "GM0200,Iota,PV20,RE01,RBNNE,200,2022,9999\n"
    "GM0300,\"Kappa, de Stad\",PV20,RE01,RBNNE,300,2022,9999\n";
const char kBuurten[] =
    "code,wijk,gemeente,population\n"
    "BU00010000,WK000100,GM0001,500\n"
    "BU00010100,WK000101,GM0001,300\n"
    "BU00010200,WK000102,GM0001,200\n"
    "BU01000000,WK010000,GM0100,300\n"
    "BU01000001,WK010000,GM0100,100\n"
    "BU01000100,WK010001,GM0100,200\n"
    "BU01000200,WK010002,GM0100,250\n"
    "BU01000300,WK010003,GM0100,250\n"
    "BU02000000,WK020000,GM0200,100\n"
    "BU02000100,WK020001,GM0200,100\n"
    "BU03000000,WK030000,GM0300,100\n"
    "BU03000001,WK030000,GM0300,50\n"
    "BU03000100,WK030001,GM0300,150\n";
const char kHerindelingen[] =
    "year,from,from_name,to,share\n"
    "2019,GM0006,Eta,GM0003,1\n"
    "2020,GM0002,Beta,GM0001,1\n"
    "2021,GM0003,Delta,GM0100,1\n"
    "2021,GM0004,Epsilon,GM0100,1\n"
    "2022,GM0007,Theta,GM0200,0.5\n"
    "2022,GM0007,Theta,GM0300,0.5\n";

std::map<std::string, std::string> Files() {
  return {{"provincies.csv", kProvincies},     {"politie_eenheden.csv", kEenheden},
          {"arrondissementen.csv", kArrondissementen}, {"gemeenten.csv", kGemeenten},
          {"buurten.csv", kBuurten},           {"herindelingen.csv", kHerindelingen}};
}

Result<Geography> LoadFiles(const std::map<std::string, std::string>& files) {
  MemFileSystem fs;  // Load() does not keep it
  for (const auto& [name, text] : files) {
    Status s = fs.WriteFile("geo/" + name, text);
    if (!s.ok()) return s;
  }
  return Geography::Load("geo", &fs);
}

Geography LoadOk() {
  Result<Geography> g = LoadFiles(Files());
  EXPECT_TRUE(g.ok()) << g.status().ToString();
  return std::move(g).value();
}

std::vector<std::string> Codes(const std::vector<const GemeenteInfo*>& list) {
  std::vector<std::string> out;
  for (const GemeenteInfo* g : list) out.push_back(g->code);
  return out;
}

std::vector<std::string> Codes(const std::vector<const BuurtInfo*>& list) {
  std::vector<std::string> out;
  for (const BuurtInfo* b : list) out.push_back(b->code);
  return out;
}

TEST(GeographyTest, LoadsAndLooksUp) {
  Geography g = LoadOk();
  EXPECT_EQ(g.gemeenten().size(), 9u);
  EXPECT_EQ(g.buurten().size(), 13u);
  EXPECT_EQ(g.mergers().size(), 6u);
  EXPECT_EQ(g.first_modelled_year(), 2018);
  const GemeenteInfo* alpha = g.FindGemeente("GM0001");
  ASSERT_NE(alpha, nullptr);
  EXPECT_EQ(alpha->name, "Alpha");
  EXPECT_EQ(alpha->province, "PV27");
  EXPECT_EQ(alpha->police_unit, "RE04");
  EXPECT_EQ(alpha->arrondissement, "RBNHO");
  EXPECT_EQ(alpha->population, 1000);
  EXPECT_EQ(g.FindGemeente("GM9999"), nullptr);
  EXPECT_EQ(g.FindGemeente("GM0001    "), nullptr);  // codes are unpadded here
  const BuurtInfo* b = g.FindBuurt("BU01000200");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->wijk, "WK010002");
  EXPECT_EQ(b->gemeente, "GM0100");
  EXPECT_EQ(b->population, 250);
  EXPECT_EQ(g.FindBuurt("BU00030200"), nullptr);  // an old code: use CurrentBuurt
  EXPECT_EQ(g.NameOf("GM0300"), "Kappa, de Stad");
  EXPECT_EQ(g.NameOf("GM0006"), "Eta");
  EXPECT_EQ(g.NameOf("PV27"), "Noord-Holland");
  EXPECT_EQ(g.NameOf("RE01"), "Noord-Nederland");
  EXPECT_EQ(g.NameOf("RBNHO"), "Noord-Holland");
  EXPECT_EQ(g.NameOf("NL00"), "Nederland");
  EXPECT_EQ(g.NameOf("PV99"), "");
  ASSERT_EQ(g.provinces().size(), 2u);
  EXPECT_EQ(g.provinces()[1].code, "PV27");
}

TEST(GeographyTest, GemeentenByYear) {
  Geography g = LoadOk();
  const std::vector<std::string> before = {"GM0001", "GM0002", "GM0003", "GM0004", "GM0006", "GM0007"};
  EXPECT_EQ(Codes(g.GemeentenIn(1990)), before);
  EXPECT_EQ(Codes(g.GemeentenIn(2018)), before);
  EXPECT_THAT(Codes(g.GemeentenIn(2019)), ElementsAre("GM0001", "GM0002", "GM0003", "GM0004", "GM0007"));
  EXPECT_THAT(Codes(g.GemeentenIn(2020)), ElementsAre("GM0001", "GM0003", "GM0004", "GM0007"));
  EXPECT_THAT(Codes(g.GemeentenIn(2021)), ElementsAre("GM0001", "GM0007", "GM0100"));
  EXPECT_THAT(Codes(g.GemeentenIn(2022)), ElementsAre("GM0001", "GM0100", "GM0200", "GM0300"));
  EXPECT_THAT(Codes(g.GemeentenIn(2030)), ElementsAre("GM0001", "GM0100", "GM0200", "GM0300"));
  EXPECT_TRUE(g.FindGemeente("GM0002")->ValidIn(2019));
  EXPECT_FALSE(g.FindGemeente("GM0002")->ValidIn(2020));
  EXPECT_FALSE(g.FindGemeente("GM0100")->ValidIn(2020));
}

TEST(GeographyTest, Successors) {
  Geography g = LoadOk();
  EXPECT_EQ(g.Successor("GM0001"), "GM0001");
  EXPECT_EQ(g.Successor("GM0002"), "GM0001");
  EXPECT_EQ(g.Successor("GM0003"), "GM0100");
  EXPECT_EQ(g.Successor("GM0006"), "GM0100");  // through GM0003
  EXPECT_EQ(g.Successor("GM0007"), "GM0200");  // a tie between two halves: the lowest code
  EXPECT_EQ(g.Successor("GM4242"), "");
  std::vector<SuccessorShare> shares = g.SuccessorShares("GM0007");
  ASSERT_EQ(shares.size(), 2u);
  EXPECT_EQ(shares[0].code, "GM0200");
  EXPECT_DOUBLE_EQ(shares[0].share, 0.5);
  EXPECT_EQ(shares[1].code, "GM0300");
  EXPECT_DOUBLE_EQ(shares[1].share, 0.5);
  shares = g.SuccessorShares("GM0006");
  ASSERT_EQ(shares.size(), 1u);
  EXPECT_EQ(shares[0].code, "GM0100");
  EXPECT_DOUBLE_EQ(shares[0].share, 1.0);
  EXPECT_TRUE(g.SuccessorShares("GM4242").empty());
}

TEST(GeographyTest, BuurtCodesInEarlierYears) {
  Geography g = LoadOk();
  struct Case {
    const char* buurt;
    int year;
    const char* code;
    const char* gemeente;
  };
  const Case cases[] = {
      // GM0001 keeps wijken 00 and 02; wijk 01 was Beta's before 2020.
      {"BU00010000", 2010, "BU00010000", "GM0001"},
      {"BU00010100", 2020, "BU00010100", "GM0001"},
      {"BU00010100", 2019, "BU00020100", "GM0002"},
      {"BU00010100", 2000, "BU00020100", "GM0002"},
      {"BU00010200", 2019, "BU00010200", "GM0001"},
      // Gamma: wijken 00 and 02 from Delta, 01 and 03 from Epsilon (weighted 600:400).
      {"BU01000000", 2021, "BU01000000", "GM0100"},
      {"BU01000000", 2020, "BU00030000", "GM0003"},
      {"BU01000001", 2020, "BU00030001", "GM0003"},
      {"BU01000100", 2020, "BU00040100", "GM0004"},
      {"BU01000300", 2020, "BU00040300", "GM0004"},
      // ... and Delta's wijk 02 was Eta's before 2019 (chain).
      {"BU01000200", 2024, "BU01000200", "GM0100"},
      {"BU01000200", 2020, "BU00030200", "GM0003"},
      {"BU01000200", 2019, "BU00030200", "GM0003"},
      {"BU01000200", 2018, "BU00060200", "GM0006"},
      {"BU01000000", 2018, "BU00030000", "GM0003"},
      // Theta split: Iota's wijken keep their numbers, Kappa's take the lowest free ones.
      {"BU02000000", 2021, "BU00070000", "GM0007"},
      {"BU02000100", 2021, "BU00070100", "GM0007"},
      {"BU03000000", 2021, "BU00070200", "GM0007"},
      {"BU03000001", 2021, "BU00070201", "GM0007"},
      {"BU03000100", 2021, "BU00070300", "GM0007"},
      {"BU03000100", 2022, "BU03000100", "GM0300"},
  };
  for (const Case& c : cases) {
    const BuurtInfo* b = g.FindBuurt(c.buurt);
    ASSERT_NE(b, nullptr) << c.buurt;
    EXPECT_EQ(g.BuurtCodeIn(*b, c.year), c.code) << c.buurt << " in " << c.year;
    EXPECT_EQ(g.GemeenteOf(*b, c.year), c.gemeente) << c.buurt << " in " << c.year;
    const BuurtInfo* back = g.CurrentBuurt(c.code);
    EXPECT_EQ(back, b) << c.code;
  }
  // A copy of a buurt is looked up by code; an unknown buurt is returned unchanged.
  BuurtInfo copy = *g.FindBuurt("BU01000200");
  EXPECT_EQ(g.BuurtCodeIn(copy, 2018), "BU00060200");
  BuurtInfo unknown{"BU99990000", "WK999900", "GM9999", 5};
  EXPECT_EQ(g.BuurtCodeIn(unknown, 2018), "BU99990000");
  EXPECT_EQ(g.GemeenteOf(unknown, 2018), "GM9999");
  // CurrentBuurt accepts CBS padding and rejects codes that never existed.
  EXPECT_EQ(g.CurrentBuurt("BU00060200  "), g.FindBuurt("BU01000200"));
  EXPECT_EQ(g.CurrentBuurt("BU00060000"), nullptr);
  EXPECT_EQ(g.CurrentBuurt(""), nullptr);
}

TEST(GeographyTest, BuurtenAndPopulationByYear) {
  Geography g = LoadOk();
  EXPECT_THAT(Codes(g.BuurtenIn("GM0001", 2019)), ElementsAre("BU00010000", "BU00010200"));
  EXPECT_THAT(Codes(g.BuurtenIn("GM0001", 2020)), ElementsAre("BU00010000", "BU00010100", "BU00010200"));
  EXPECT_THAT(Codes(g.BuurtenIn("GM0006", 2018)), ElementsAre("BU01000200"));
  EXPECT_THAT(Codes(g.BuurtenIn("GM0003", 2018)), ElementsAre("BU01000000", "BU01000001"));
  EXPECT_TRUE(g.BuurtenIn("GM0006", 2019).empty());  // no longer exists
  EXPECT_TRUE(g.BuurtenIn("GM0100", 2020).empty());  // does not exist yet
  EXPECT_EQ(g.PopulationIn("GM0001", 2019), 700);
  EXPECT_EQ(g.PopulationIn("GM0002", 2019), 300);
  EXPECT_EQ(g.PopulationIn("GM0002", 2020), 0);
  EXPECT_EQ(g.PopulationIn("GM0001", 2020), 1000);
  EXPECT_EQ(g.PopulationIn("GM0006", 2018), 250);
  EXPECT_EQ(g.PopulationIn("GM0003", 2018), 400);
  EXPECT_EQ(g.PopulationIn("GM0003", 2019), 650);
  EXPECT_EQ(g.PopulationIn("GM0004", 2020), 450);
  EXPECT_EQ(g.PopulationIn("GM0007", 2021), 500);
  EXPECT_EQ(g.PopulationIn("GM0100", 2021), 1100);
  EXPECT_EQ(g.PopulationIn("GM0100", 2040), 1100);
  EXPECT_EQ(g.PopulationIn("GM0006", 1995), 250);
  EXPECT_EQ(g.PopulationIn("GM4242", 2024), 0);
  for (int year = 2010; year <= 2026; ++year) {
    std::int64_t total = 0;
    for (const GemeenteInfo* gm : g.GemeentenIn(year)) total += g.PopulationIn(gm->code, year);
    EXPECT_EQ(total, 2600) << year;
  }
}

// --- malformed files ---

std::string LoadError(const std::string& file, const std::string& text) {
  auto files = Files();
  files[file] = text;
  Result<Geography> g = LoadFiles(files);
  return g.ok() ? "loaded" : g.status().ToString();
}

TEST(GeographyErrorsTest, NamesFileLineAndColumn) {
  EXPECT_EQ(LoadError("gemeenten.csv",
                      "code,name,province,police_unit,arrondissement,population,valid_from,valid_to\n"
                      "GM0001,Alpha,PV27,RE04,RBNHO,1000,0,9999\n"
                      "GM0002,Beta,PV27,RE04,RBNHO,12a,0,2019\n"),
            "ParseError: geo/gemeenten.csv: line 3, column 6 (population): expected a whole number "
            "0..1000000000, found '12a'");
  EXPECT_EQ(LoadError("gemeenten.csv",
                      "code,name,province,police_unit,arrondissement,population,valid_from,valid_to\n"
                      "GM0001,Alpha,PV28,RE04,RBNHO,1000,0,9999\n"),
            "ParseError: geo/gemeenten.csv: line 2, column 3 (province): expected a code from provincies.csv, "
            "found 'PV28'");
  EXPECT_EQ(LoadError("gemeenten.csv",
                      "code,name,province,police_unit,arrondissement,population,valid_from,valid_to\n"
                      "GM001,Alpha,PV27,RE04,RBNHO,1000,0,9999\n"),
            "ParseError: geo/gemeenten.csv: line 2, column 1 (code): expected a code GMnnnn, found 'GM001'");
  EXPECT_EQ(LoadError("gemeenten.csv",
                      "code,name,province,police_unit,arrondissement,population,valid_from,valid_to\n"
                      "GM0001,Alpha,PV27,RE04,RBNHO,1000,0,9999\n"
                      "GM0001,Alpha,PV27,RE04,RBNHO,1000,0,9999\n"),
            "ParseError: geo/gemeenten.csv: line 3, column 1 (code): expected a code not used before (first on "
            "line 2), found 'GM0001'");
  EXPECT_EQ(LoadError("gemeenten.csv",
                      "code,name,province,police_unit,arrondissement,population,valid_from,valid_to\n"
                      "GM0001,Alpha,PV27,RE04,RBNHO,1000,2020,2019\n"),
            "ParseError: geo/gemeenten.csv: line 2, column 8 (valid_to): expected a year from valid_from (2020) "
            "to 9999, found '2019'");
  EXPECT_EQ(LoadError("gemeenten.csv",
                      "code,name,province,police_unit,arrondissement,population,valid_from,valid_to\n"
                      "GM0001,Alpha,PV27,RE04,RBNHO,1000,0\n"),
            "ParseError: geo/gemeenten.csv: line 2: expected 8 fields, found 7");
  EXPECT_EQ(LoadError("gemeenten.csv", "code;name\nGM0001;Alpha\n"),
            "ParseError: geo/gemeenten.csv: line 1: expected header 'code,name,province,police_unit,"
            "arrondissement,population,valid_from,valid_to', found 'code;name'");
  EXPECT_EQ(LoadError("buurten.csv", "code,wijk,gemeente,population\nBU00010000,WK000101,GM0001,5\n"),
            "ParseError: geo/buurten.csv: line 2, column 2 (wijk): expected 'WK000100' (from the buurt code), "
            "found 'WK000101'");
  EXPECT_EQ(LoadError("buurten.csv", "code,wijk,gemeente,population\nBU00020000,WK000200,GM0002,5\n"),
            "ParseError: geo/buurten.csv: line 2, column 3 (gemeente): expected a gemeente of gemeenten.csv "
            "valid in 2024, found 'GM0002'");
  EXPECT_EQ(LoadError("buurten.csv", "code,wijk,gemeente,population\nBU0001000,WK000100,GM0001,5\n"),
            "ParseError: geo/buurten.csv: line 2, column 1 (code): expected a code BU + 4 digits + 4 digits or "
            "capitals, found 'BU0001000'");
  EXPECT_EQ(LoadError("buurten.csv", "code,wijk,gemeente,population\nBU00010000,WK000100,GM0001,99999999999999999\n"),
            "ParseError: geo/buurten.csv: line 2, column 4 (population): expected a whole number 0..1000000000, "
            "found '99999999999999999'");
  EXPECT_EQ(LoadError("provincies.csv", "code,name\nPV20,Groningen\nP27,Noord-Holland\n"),
            "ParseError: geo/provincies.csv: line 3, column 1 (code): expected a code PVnn, found 'P27'");
  EXPECT_EQ(LoadError("arrondissementen.csv", "code,name\nRBNNE,Noord-Nederland\nRBNHO,\n"),
            "ParseError: geo/arrondissementen.csv: line 3, column 2 (name): expected a name, found ''");
}

TEST(GeographyErrorsTest, MergersMustAgreeWithValidity) {
  const std::string header = "year,from,from_name,to,share\n";
  const std::string rest =
      "2019,GM0006,Eta,GM0003,1\n2021,GM0003,Delta,GM0100,1\n2021,GM0004,Epsilon,GM0100,1\n"
      "2022,GM0007,Theta,GM0200,0.5\n2022,GM0007,Theta,GM0300,0.5\n";
  EXPECT_EQ(LoadError("herindelingen.csv", header + "2021,GM0002,Beta,GM0001,1\n" + rest),
            "ParseError: geo/herindelingen.csv: line 2, column 2 (from): expected a gemeente whose valid_to is "
            "2020 (it ceases on 1 January 2021), not 2019, found 'GM0002'");
  EXPECT_EQ(LoadError("herindelingen.csv", header + "2020,GM0002,Bèta,GM0001,1\n" + rest),
            "ParseError: geo/herindelingen.csv: line 2, column 3 (from_name): expected 'Beta' (its name in "
            "gemeenten.csv), found 'Bèta'");
  EXPECT_EQ(LoadError("herindelingen.csv", header + "2020,GM0002,Beta,GM0100,1\n" + rest),
            "ParseError: geo/herindelingen.csv: line 2, column 4 (to): expected a gemeente of gemeenten.csv "
            "valid in 2020, found 'GM0100'");
  EXPECT_EQ(LoadError("herindelingen.csv", header + "2030,GM0002,Beta,GM0001,1\n" + rest),
            "ParseError: geo/herindelingen.csv: line 2, column 1 (year): expected a year 1..2024, found '2030'");
  EXPECT_EQ(LoadError("herindelingen.csv", header + "2020,GM0002,Beta,GM0001,1.5\n" + rest),
            "ParseError: geo/herindelingen.csv: line 2, column 5 (share): expected a number in (0, 1], found '1.5'");
  EXPECT_EQ(LoadError("herindelingen.csv", header + "2020,GM0002,Beta,GM0001,0.9\n" + rest),
            "InvalidArgument: geo/herindelingen.csv: line 2: shares of GM0002 sum to 0.900000, expected 1");
  EXPECT_EQ(LoadError("herindelingen.csv", header + rest),
            "InvalidArgument: geo/gemeenten.csv: gemeente GM0002 ends in 2019 but has no row in "
            "herindelingen.csv");
  EXPECT_EQ(LoadError("herindelingen.csv", header + "2020,GM0002,Beta,GM0001,1\n" +
                                               "2019,GM0006,Eta,GM0003,1\n2021,GM0003,Delta,GM0100,1\n"
                                               "2021,GM0004,Epsilon,GM0100,1\n2022,GM0007,Theta,GM0300,1\n"),
            "InvalidArgument: geo/gemeenten.csv: gemeente GM0200 starts in 2022 but no row of "
            "herindelingen.csv merges into it that year");
}

TEST(GeographyErrorsTest, UnreadableFiles) {
  auto files = Files();
  files.erase("buurten.csv");
  Result<Geography> g = LoadFiles(files);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().ToString(), "IoError: cannot open 'geo/buurten.csv': No such file or directory");
  // A broken quote is reported by the CSV reader with file and line.
  std::string text = LoadError("gemeenten.csv",
                               "code,name,province,police_unit,arrondissement,population,valid_from,valid_to\n"
                               "GM0001,\"Alpha,PV27,RE04,RBNHO,1000,0,9999\n");
  EXPECT_THAT(text, ::testing::StartsWith("ParseError: geo/gemeenten.csv: line 2"));
  EXPECT_THAT(text, ::testing::HasSubstr("quote"));
}

}  // namespace
}  // namespace das::geo
