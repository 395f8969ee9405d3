// Code-list loading: target lists, mappings (exact error messages), validity selection, age groups, coverage
// of every shipped source code list.
#include "das/harmonise/codelists.h"

#include <gtest/gtest.h>

#include "das/contract/codelist.h"
#include "das/contract/contract.h"
#include "das/harmonise/harmonise.h"
#include "das/io/csv_reader.h"

namespace das::harmonise {
namespace {

const std::string kRepo = DAS_SOURCE_DIR;

Date D(int y, int m, int d) { return Date::FromYmdUnchecked(y, m, d); }

std::map<std::string, TargetList, std::less<>> Targets() {
  std::map<std::string, TargetList, std::less<>> t;
  auto list = TargetList::Parse(
      "code,parent,level,title_nl,title_en\n"
      "0,,0,Totaal,Total\n"
      "1,0,1,Een,One\n"
      "11,1,2,Elf,Eleven\n"
      "111,11,3,Honderdelf,One hundred eleven\n"
      "2,0,1,Twee,Two\n"
      "onbekend,0,1,Onbekend,Unknown\n",
      "t", "t.csv");
  EXPECT_TRUE(list.ok()) << list.status().ToString();
  t.emplace("t", std::move(list).value());
  return t;
}

Status MapError(std::string_view text, std::string_view file = "s-t.csv") {
  auto targets = Targets();
  auto m = Mapping::Parse(text, file, std::string("map/") + std::string(file), targets);
  return m.ok() ? Status::Ok() : m.status();
}

constexpr std::string_view kHeader = "s,t,valid_from,valid_to,toelichting\n";

TEST(TargetList, ParsesTreeAndAncestors) {
  auto targets = Targets();
  const TargetList& t = targets.at("t");
  EXPECT_EQ(t.members().size(), 6u);
  EXPECT_EQ(t.max_level(), 3);
  EXPECT_EQ(t.members()[static_cast<std::size_t>(t.unknown_index())].code, "onbekend");
  const int m111 = t.Find("111");
  EXPECT_EQ(t.members()[static_cast<std::size_t>(t.AncestorAt(m111, 1))].code, "1");
  EXPECT_EQ(t.members()[static_cast<std::size_t>(t.AncestorAt(m111, 2))].code, "11");
  // A member shallower than the level is its own ancestor.
  EXPECT_EQ(t.members()[static_cast<std::size_t>(t.AncestorAt(t.Find("2"), 2))].code, "2");
  EXPECT_EQ(t.Find("nope"), -1);
}

TEST(TargetList, Errors) {
  auto err = [](std::string_view text) {
    auto t = TargetList::Parse(text, "t", "t.csv");
    return t.ok() ? std::string("ok") : t.status().message();
  };
  const std::string h = "code,parent,level,title_nl,title_en\n";
  EXPECT_EQ(err(h + "0,,0,T,T\n1,0,1,A,A\n1,0,1,B,B\nonbekend,0,1,O,U\n"),
            "t.csv: line 4, column 1: duplicate code '1' (first on line 3)");
  EXPECT_EQ(err(h + "0,,0,T,T\n1,9,1,A,A\n"), "t.csv: line 3, column 2: parent '9' of '1' is not defined above it");
  EXPECT_EQ(err(h + "0,,0,T,T\n1,0,2,A,A\n"),
            "t.csv: line 3, column 3: level 2 of '1', expected 1 (one below its parent '0')");
  EXPECT_EQ(err(h + "0,,0,T,T\n1,0,1,A,A\n"),
            "t.csv: no member 'onbekend' (every harmonised list needs the explicit unknown member)");
  EXPECT_EQ(err("code,parent,level,title\n0,,0,T\n"),
            "t.csv: line 1, column 1: header 'code,parent,level,title', expected 'code,parent,level,title_nl,title_en'");
  EXPECT_EQ(err(h + "0,,0,T,\n"), "t.csv: line 2, column 5: empty title_en for code '0'");
}

TEST(Mapping, ErrorMessages) {
  const std::string h(kHeader);
  EXPECT_EQ(MapError(h + "A,1,,,\nB,2,,,\nA,2,,,\n").message(),
            "map/s-t.csv: line 4, column 1: duplicate code 'A' (first on line 2)");
  EXPECT_EQ(MapError(h + "A,1,2010-01-01,2015-12-31,\nA,2,2015-06-01,,\n").message(),
            "map/s-t.csv: line 3, column 3: validity 2015-06-01..open of code 'A' overlaps line 2 "
            "(2010-01-01..2015-12-31)");
  EXPECT_EQ(MapError(h + "A,1,,,\nA,2,2015-06-01,,\n").message(),
            "map/s-t.csv: line 3, column 3: validity 2015-06-01..open of code 'A' overlaps line 2 (open..open)");
  EXPECT_EQ(MapError(h + "A,99,,,\n").message(), "map/s-t.csv: line 2, column 2: unknown target member '99' (not in t)");
  EXPECT_EQ(MapError(h + "A,1,2010-13-01,,\n").message(),
            "map/s-t.csv: line 2, column 3: valid_from: bad date '2010-13-01' (expected yyyy-mm-dd)");
  EXPECT_EQ(MapError(h + "A,1,,01-01-2010,\n").message(),
            "map/s-t.csv: line 2, column 4: valid_to: bad date '01-01-2010' (expected yyyy-mm-dd)");
  EXPECT_EQ(MapError(h + "A,1,2012-01-01,2011-12-31,\n").message(),
            "map/s-t.csv: line 2, column 4: valid_to 2011-12-31 is before valid_from 2012-01-01");
  EXPECT_EQ(MapError("x,t,valid_from,valid_to,toelichting\nA,1,,,\n").message(),
            "map/s-t.csv: line 1, column 1: header names 'x' -> 't' but the file is named 's-t.csv' (expected "
            "'x-t.csv')");
  EXPECT_EQ(MapError("s,zz,valid_from,valid_to,toelichting\nA,1,,,\n", "s-zz.csv").message(),
            "map/s-zz.csv: line 1, column 2: unknown target list 'zz' (no zz.csv in the code-list folder)");
  EXPECT_EQ(MapError("s,t,van,tot,toelichting\nA,1,,,\n").message(),
            "map/s-t.csv: line 1, column 1: header must be '<source list>,<target list>,valid_from,valid_to,toelichting'");
  EXPECT_EQ(MapError(h + "A,1,,\n").message(), "map/s-t.csv: line 2, column 1: expected 5 fields, found 4");
  EXPECT_EQ(MapError(h).message(), "map/s-t.csv: no mappings");
  EXPECT_EQ(MapError(h + ",1,,,\n").message(),
            "map/s-t.csv: line 2, column 1: empty source code (write (leeg) for empty values)");
  EXPECT_TRUE(MapError(h + "A,1,,2014-12-31,\nA,2,2015-01-01,,\n").ok());
}

TEST(Mapping, ValidityDateSelection) {
  auto targets = Targets();
  auto m = Mapping::Parse(std::string(kHeader) +
                              "A,1,2010-01-01,2014-12-31,old\n"
                              "A,111,2015-01-01,,new\n"
                              "B,2,,2011-06-30,ended\n"
                              "C,onbekend,,,on purpose\n"
                              "310 Sr,2,,,spaces\n",
                          "s-t.csv", "s-t.csv", targets);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const TargetList& t = m->target_list();
  auto map = [&](std::optional<std::string_view> v, Date d) {
    int member = -2;
    Outcome o = m->Map(v, d, &member);
    return std::string(OutcomeName(o)) + ":" + t.members()[static_cast<std::size_t>(member)].code;
  };
  EXPECT_EQ(map("A", D(2010, 1, 1)), "mapped:1");
  EXPECT_EQ(map("A", D(2014, 12, 31)), "mapped:1");
  EXPECT_EQ(map("A", D(2015, 1, 1)), "mapped:111");
  EXPECT_EQ(map("A", D(2030, 1, 1)), "mapped:111");
  EXPECT_EQ(map("A", D(2009, 12, 31)), "expired:onbekend");
  EXPECT_EQ(map("B", D(1990, 1, 1)), "mapped:2");
  EXPECT_EQ(map("B", D(2011, 7, 1)), "expired:onbekend");
  EXPECT_EQ(map("C", D(2020, 1, 1)), "mapped:onbekend");
  EXPECT_EQ(map("Z", D(2020, 1, 1)), "unknown:onbekend");
  EXPECT_EQ(map(std::nullopt, D(2020, 1, 1)), "missing:onbekend");
  EXPECT_EQ(map("", D(2020, 1, 1)), "missing:onbekend");
  EXPECT_EQ(map("  310   Sr ", D(2020, 1, 1)), "mapped:2");
}

TEST(Mapping, EmptyCodeRow) {
  auto targets = Targets();
  auto m = Mapping::Parse(std::string(kHeader) + "A,1,,,\n(leeg),2,,,\n", "s-t.csv", "s-t.csv", targets);
  ASSERT_TRUE(m.ok());
  int member = -1;
  EXPECT_EQ(m->Map(std::nullopt, D(2020, 1, 1), &member), Outcome::kMapped);
  EXPECT_EQ(m->target_list().members()[static_cast<std::size_t>(member)].code, "2");
}

TEST(Coverage, FindsGaps) {
  auto targets = Targets();
  auto m = Mapping::Parse(std::string(kHeader) +
                              "A,1,2010-01-01,2012-12-31,\nA,2,2014-01-01,,\n"
                              "B,1,2010-01-01,2015-12-31,\n"
                              "C,onbekend,2010-01-01,,\n",
                          "s-t.csv", "s-t.csv", targets);
  ASSERT_TRUE(m.ok());
  std::vector<SourceCode> codes = {{"A", {}, {}},
                                   {"B", {}, {}},
                                   {"B2", {}, D(2009, 12, 31)},  // ended before the horizon: nothing needed
                                   {"C", {}, {}},
                                   {"D", D(2020, 1, 1), D(2020, 12, 31)}};
  std::vector<std::string> got;
  for (const auto& g : CheckCoverage(*m, codes)) got.push_back(g.ToString());
  EXPECT_EQ(got, (std::vector<std::string>{"A: not mapped from 2013-01-01 to 2013-12-31",
                                           "B: not mapped from 2016-01-01 to open",
                                           "D: not mapped from 2020-01-01 to 2020-12-31"}));
}

TEST(AgeGroups, ShippedGroups) {
  auto fs = PosixFileSystem();
  auto text = fs->ReadFile(kRepo + "/config/codelists/leeftijdsgroep.csv");
  ASSERT_TRUE(text.ok());
  auto g = AgeGroups::Parse(*text, "leeftijdsgroep.csv");
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  auto code = [&](int age) {
    int i = g->Find(age);
    return i < 0 ? std::string("-") : g->groups()[static_cast<std::size_t>(i)].code;
  };
  EXPECT_EQ(code(-1), "-");
  EXPECT_EQ(code(0), "0-11");
  EXPECT_EQ(code(11), "0-11");
  EXPECT_EQ(code(12), "12-17");
  EXPECT_EQ(code(17), "12-17");
  EXPECT_EQ(code(18), "18-24");
  EXPECT_EQ(code(24), "18-24");
  EXPECT_EQ(code(25), "25-34");
  EXPECT_EQ(code(44), "35-44");
  EXPECT_EQ(code(45), "45-54");
  EXPECT_EQ(code(64), "55-64");
  EXPECT_EQ(code(65), "65+");
  EXPECT_EQ(code(130), "65+");
  EXPECT_TRUE(g->groups()[static_cast<std::size_t>(g->Find(17))].minor);
  EXPECT_FALSE(g->groups()[static_cast<std::size_t>(g->Find(18))].minor);
}

TEST(AgeGroups, Errors) {
  const std::string h = "code,min_age,max_age,minor,title_nl,title_en\n";
  auto err = [](const std::string& text) {
    auto g = AgeGroups::Parse(text, "a.csv");
    return g.ok() ? std::string("ok") : g.status().message();
  };
  EXPECT_EQ(err(h + "a,0,11,J,A,A\nb,13,,N,B,B\nonbekend,,,,O,U\n"),
            "a.csv: line 3, column 2: 'b' starts at 13, expected 12 (groups must follow each other from 0)");
  EXPECT_EQ(err(h + "a,0,11,J,A,A\nonbekend,,,,O,U\n"), "a.csv: the last group must be open-ended (empty max_age)");
  EXPECT_EQ(err(h + "a,0,,X,A,A\nonbekend,,,,O,U\n"), "a.csv: line 2, column 4: minor must be J or N, found 'X'");
  EXPECT_EQ(err(h + "a,0,,J,A,A\n"), "a.csv: no group 'onbekend'");
}

// The shipped configuration loads, agrees with the contracts, and every source code is mapped.
TEST(ShippedConfig, LoadsAndAgreesWithContracts) {
  auto fs = PosixFileSystem();
  auto config = LoadConfig(kRepo + "/config/codelists", *fs);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->targets.count("scm2010"), 1u);
  EXPECT_GE(config->mappings.size(), 11u);
  auto contracts = contract::ContractSet::LoadDir(kRepo + "/config/sources", *fs);
  ASSERT_TRUE(contracts.ok()) << contracts.status().ToString();
  Status s = CheckAgainstContracts(*config, *contracts);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST(ShippedConfig, EverySourceCodeIsMapped) {
  auto fs = PosixFileSystem();
  auto config = LoadConfig(kRepo + "/config/codelists", *fs);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto sources = contract::CodeListSet::LoadDir(kRepo + "/config/codelists/source", *fs);
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  int checked = 0;
  for (const auto& [name, mapping] : config->mappings) {
    std::vector<SourceCode> codes;
    if (const contract::CodeList* list = sources->Find(mapping.source()); list != nullptr) {
      for (const auto& e : list->entries()) codes.push_back({e.code, e.valid_from, e.valid_to});
      // Every mapped code exists in the source list (a typo would map nothing).
      for (const MappingRow& r : mapping.rows()) {
        if (r.code != kEmptyCode) {
          EXPECT_NE(list->Find(r.code), nullptr) << name << ": line " << r.line << ": " << r.code;
        }
      }
    } else if (mapping.source() == "om_wetsartikel") {
      // No source list: the articles the OM uses are those of the generator's table and the delivery spec.
      auto text = fs->ReadFile(kRepo + "/config/synth/wetsartikelen.csv");
      ASSERT_TRUE(text.ok());
      auto reader = io::CsvReader::FromString(*text, io::CsvDialect{}, "wetsartikelen.csv");
      io::CsvRecord rec;
      while (reader->Next(&rec).ValueOr(false)) codes.push_back({std::string(rec.fields.at(1)), {}, {}});
      ASSERT_GT(codes.size(), 30u);
    } else {
      ADD_FAILURE() << name << ": source list '" << mapping.source() << "' not found";
      continue;
    }
    for (const CoverageGap& g : CheckCoverage(mapping, codes)) ADD_FAILURE() << name << ": " << g.ToString();
    ++checked;
  }
  EXPECT_EQ(checked, static_cast<int>(config->mappings.size()));
  // The police classification has all 58 classes of 47018NED.
  const Mapping* police = config->FindMapping("politie_soortmisdrijf-scm2010");
  ASSERT_NE(police, nullptr);
  EXPECT_EQ(police->rows().size(), 58u);
}

}  // namespace
}  // namespace das::harmonise
