#include <gtest/gtest.h>

#include <set>

#include "das/core/date.h"
#include "das/core/env.h"
#include "das/core/region.h"
#include "das/core/status.h"
#include "das/core/table.h"

namespace das {
namespace {

Result<int> ParsePositive(int x) {
  if (x <= 0) return Status::InvalidArgument("not positive: " + std::to_string(x));
  return x;
}

Status UseIt(int x, int* out) {
  DAS_ASSIGN_OR_RETURN(*out, ParsePositive(x));
  return Status::Ok();
}

TEST(Status, OkAndErrorWithContext) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.ToString(), "OK");
  Status e = Status::ParseError("bad field").WithContext("om.csv: line 3");
  EXPECT_FALSE(e.ok());
  EXPECT_EQ(e.code(), StatusCode::kParseError);
  EXPECT_EQ(e.message(), "om.csv: line 3: bad field");
  EXPECT_EQ(e.ToString(), "ParseError: om.csv: line 3: bad field");
}

TEST(Result, ValueAndPropagation) {
  int v = 0;
  EXPECT_TRUE(UseIt(5, &v).ok());
  EXPECT_EQ(v, 5);
  Status s = UseIt(-1, &v);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "not positive: -1");
  Result<int> r = Status::NotFound("x");
  EXPECT_EQ(r.ValueOr(7), 7);
}

TEST(Date, RoundTripsEveryDayOverFourCenturies) {
  auto start = Date::FromYmd(1900, 1, 1).value();
  auto end = Date::FromYmd(2300, 12, 31).value();
  for (Date d = start; d <= end; d = d + 1) {
    Ymd v = d.ToYmd();
    ASSERT_EQ(Date::FromYmdUnchecked(v.year, v.month, v.day), d);
  }
  EXPECT_EQ(Date::FromYmd(1970, 1, 1).value().days(), 0);
  EXPECT_EQ(Date::FromYmd(2000, 3, 1).value().days(), 11017);
}

TEST(Date, ParsesEveryDeliveredLayout) {
  Date expect = Date::FromYmd(2023, 7, 1).value();
  EXPECT_EQ(ParseDate("2023-07-01", DateFormat::kIso).value(), expect);
  EXPECT_EQ(ParseDate("01-07-2023", DateFormat::kDmyDash).value(), expect);
  EXPECT_EQ(ParseDate("01/07/2023", DateFormat::kDmySlash).value(), expect);
  EXPECT_EQ(ParseDate("20230701", DateFormat::kCompact).value(), expect);
  for (auto f : {DateFormat::kIso, DateFormat::kDmyDash, DateFormat::kDmySlash, DateFormat::kCompact})
    EXPECT_EQ(ParseDate(FormatDate(expect, f), f).value(), expect);
}

TEST(Date, RejectsImpossibleAndMalformed) {
  auto r = ParseDate("2023-02-29", DateFormat::kIso);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "'2023-02-29' is not a valid calendar date");
  EXPECT_TRUE(ParseDate("2024-02-29", DateFormat::kIso).ok());
  auto m = ParseDate("1-7-2023", DateFormat::kDmyDash);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(), "'1-7-2023' is not a date of the form dd-mm-yyyy");
  EXPECT_FALSE(ParseDate("", DateFormat::kCompact).ok());
  EXPECT_FALSE(ParseDate("2023-13-01", DateFormat::kIso).ok());
  EXPECT_FALSE(ParseDateFormatName("mm/dd/yyyy").ok());
}

TEST(Period, ParsesAndNavigatesCbsCodes) {
  Period q = Period::Parse("2023KW02").value();
  EXPECT_EQ(q.kind(), Period::Kind::kQuarter);
  EXPECT_EQ(q.First(), Date::FromYmd(2023, 4, 1).value());
  EXPECT_EQ(q.Last(), Date::FromYmd(2023, 6, 30).value());
  EXPECT_EQ(Period::Parse("2023MM12").value().Next().Code(), "2024MM01");
  EXPECT_EQ(Period::Parse("2024KW01").value().Prev().Code(), "2023KW04");
  EXPECT_EQ(Period::Parse("2024JJ00").value().Last(), Date::FromYmd(2024, 12, 31).value());
  EXPECT_EQ(Period::Containing(Date::FromYmd(2024, 2, 29).value(), Period::Kind::kMonth).Code(), "2024MM02");
  for (const char* bad : {"2023JJ01", "2023KW05", "2023MM13", "2023MM00", "23JJ00", "2023XX01", ""}) {
    EXPECT_FALSE(Period::Parse(bad).ok()) << bad;
  }
}

TEST(RegionCode, ParsesPaddedAndUnpaddedCodes) {
  auto gm = RegionCode::Parse("GM0363    ").value();
  EXPECT_EQ(gm.level(), RegionLevel::kGemeente);
  EXPECT_EQ(gm.code(), "GM0363");
  EXPECT_EQ(gm.Padded(10), "GM0363    ");
  auto bu = RegionCode::Parse("BU03630000").value();
  EXPECT_EQ(bu.level(), RegionLevel::kBuurt);
  EXPECT_EQ(bu.Gemeente()->code(), "GM0363");
  EXPECT_EQ(RegionCode::Parse("RE05  ").value().level(), RegionLevel::kPoliceUnit);
  EXPECT_EQ(RegionCode::Parse("PV27").value().level(), RegionLevel::kProvince);
  EXPECT_EQ(RegionCode::Parse("WK0363AB").value().level(), RegionLevel::kWijk);
  for (const char* bad : {"GM363", "XX0363", "BU0363", "PV2", "", "GMabcd"}) {
    EXPECT_FALSE(RegionCode::Parse(bad).ok()) << bad;
  }
}

TEST(Random, IsDeterministicAndUniformEnough) {
  Random a(42), b(42);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Next(), b.Next());
  EXPECT_NE(Random(42).Derive(1).Next(), Random(42).Derive(2).Next());
  Random r(7);
  int counts[10] = {};
  for (int i = 0; i < 100000; ++i) counts[r.Below(10)]++;
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
  double sum = 0;
  for (int i = 0; i < 20000; ++i) sum += static_cast<double>(r.Poisson(3.5));
  EXPECT_NEAR(sum / 20000, 3.5, 0.1);
}

TEST(MemFileSystem, WritesReadsAndLists) {
  MemFileSystem fs;
  ASSERT_TRUE(fs.WriteFile("d/a.csv", "x").ok());
  auto w = fs.NewWritableFile("d/sub/b.csv").value();
  ASSERT_TRUE(w->Append("hello").ok());
  ASSERT_TRUE(w->Close().ok());
  EXPECT_EQ(fs.ReadFile("d/sub/b.csv").value(), "hello");
  EXPECT_EQ(fs.ListDir("d").value(), (std::vector<std::string>{"a.csv", "sub"}));
  EXPECT_TRUE(fs.Exists("d/sub"));
  EXPECT_FALSE(fs.ReadFile("nope").ok());
}

}  // namespace
}  // namespace das

namespace das {
namespace {

TEST(ColumnAppendAll, EqualsRowByRowAppendForEveryType) {
  for (ColumnType type : {ColumnType::kString, ColumnType::kInt64, ColumnType::kDouble, ColumnType::kDate}) {
    Column a("c", type), b("c", type), expected("c", type);
    auto fill = [type](Column* c, int from, int n) {
      for (int i = from; i < from + n; ++i) {
        if (i % 3 == 0) {
          c->AppendNull();
        } else if (type == ColumnType::kString) {
          c->AppendString(std::string(static_cast<std::size_t>(i % 5), 'x') + std::to_string(i));
        } else if (type == ColumnType::kDouble) {
          c->AppendDouble(i * 0.5);
        } else {
          c->AppendInt(i);
        }
      }
    };
    fill(&a, 0, 7);
    fill(&b, 7, 11);
    fill(&expected, 0, 18);
    ASSERT_TRUE(a.AppendAll(b).ok());
    EXPECT_TRUE(a == expected) << ColumnTypeName(type);
    EXPECT_EQ(a.size(), 18u);
  }
  Column s("s", ColumnType::kString), i("i", ColumnType::kInt64);
  Status st = s.AppendAll(i);
  EXPECT_EQ(st.message(), "column 's': cannot append a column of type integer to one of type string");
}

}  // namespace
}  // namespace das
