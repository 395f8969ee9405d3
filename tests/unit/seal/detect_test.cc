#include "das/seal/detect.h"

#include <gtest/gtest.h>

#include "das/core/date.h"
#include "das/seal/bsn.h"

namespace das::seal {
namespace {

TEST(Detect, ColumnNames) {
  const std::vector<std::string> header = {"PV_nummer", "Achternaam", "bsn_verdachte", "Geboortedatum", "naam",
                                           "gemeentenaam", "Soort_misdrijf", "First Name", "KvK_nummer"};
  const auto f = DetectDirectIdentifiers(header, {});
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0].column, 1u);
  EXPECT_EQ(f[0].message, "column 2 'Achternaam': name suggests a direct identifier (surname)");
  EXPECT_EQ(f[1].message, "column 3 'bsn_verdachte': name suggests a direct identifier (BSN)");
  EXPECT_EQ(f[2].message, "column 4 'Geboortedatum': name suggests a direct identifier (date of birth)");
  EXPECT_EQ(f[3].message, "column 5 'naam': name suggests a direct identifier (name)");
  EXPECT_EQ(f[4].column, 7u);
  EXPECT_EQ(f[4].message, "column 8 'First Name': name suggests a direct identifier (given name)");
  EXPECT_EQ(IdentifierKindName(f[0].kind), "column-name");
}

TEST(Detect, BsnValuesAndBirthDatesUnderInnocentNames) {
  Random rng(3);
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 40; ++i) {
    const int birth_year = 1940 + static_cast<int>(rng.Below(66));
    const Date birth = Date::FromYmd(birth_year, 1 + static_cast<int>(rng.Below(12)), 1 + static_cast<int>(rng.Below(28))).value();
    const Date event = Date::FromYmd(2023, 1 + static_cast<int>(rng.Below(12)), 1).value();
    std::string random9(9, '0');
    for (char& c : random9) c = static_cast<char>('0' + rng.Below(10));
    rows.push_back({i % 10 == 0 ? "" : MakeValidBsn(rng), FormatDate(birth, DateFormat::kDmyDash),
                    FormatDate(event, DateFormat::kIso), random9, "x"});
  }
  const std::vector<std::string> header = {"id", "d1", "d2", "nummer", "code"};
  const auto f = DetectDirectIdentifiers(header, rows);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].kind, IdentifierKind::kBsnValues);
  EXPECT_EQ(f[0].message, "column 1 'id': 36 of 36 non-empty values (100%) pass the BSN 11-check; looks like BSNs");
  EXPECT_EQ(f[1].kind, IdentifierKind::kBirthDates);
  EXPECT_EQ(f[1].column, 1u);
  EXPECT_NE(f[1].message.find("column 2 'd1': 40 of 40 non-empty values are dates (dd-mm-yyyy) spanning "),
            std::string::npos)
      << f[1].message;
  EXPECT_NE(f[1].message.find("; looks like dates of birth"), std::string::npos);
  // No value of the sample appears in any message.
  for (const auto& finding : f) {
    for (const auto& row : rows) {
      for (const auto& v : row) {
        if (v.size() > 1) {
          EXPECT_EQ(finding.message.find(v), std::string::npos) << v;
        }
      }
    }
  }
}

TEST(Detect, TooFewValuesAreNotJudged) {
  const auto f = DetectDirectIdentifiers({"id"}, {{"123456782"}, {"111222333"}, {""}, {}});
  EXPECT_TRUE(f.empty());
}

}  // namespace
}  // namespace das::seal
