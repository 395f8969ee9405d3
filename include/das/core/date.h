// Calendar dates as day numbers, and CBS periods (2023JJ00, 2023KW02, 2023MM07).
//
// Date is a day count since 1970-01-01 in the proleptic Gregorian calendar: cheap to store in columns,
// compare and subtract (throughput times are differences of Dates). Parsing takes the formats that chain
// organisations deliver; every parse error names the text and the format expected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "das/core/status.h"

namespace das {

struct Ymd {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
};

class Date {
 public:
  constexpr Date() = default;
  constexpr explicit Date(std::int32_t days) : days_(days) {}
  // Returns an error if the day does not exist (e.g. 2023-02-29).
  static Result<Date> FromYmd(int year, int month, int day);
  // Unchecked: for callers that already validated the fields.
  static Date FromYmdUnchecked(int year, int month, int day);

  constexpr std::int32_t days() const { return days_; }
  Ymd ToYmd() const;
  int year() const { return ToYmd().year; }
  // ISO 8601: 2023-07-01.
  std::string ToIso() const;

  friend constexpr bool operator==(Date a, Date b) { return a.days_ == b.days_; }
  friend constexpr auto operator<=>(Date a, Date b) { return a.days_ <=> b.days_; }
  friend constexpr Date operator+(Date a, std::int32_t n) { return Date(a.days_ + n); }
  friend constexpr std::int32_t operator-(Date a, Date b) { return a.days_ - b.days_; }

 private:
  std::int32_t days_ = 0;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

// Date layouts delivered by the chain organisations.
enum class DateFormat : std::uint8_t {
  kIso,         // 2023-07-01
  kDmyDash,     // 01-07-2023
  kDmySlash,    // 01/07/2023
  kCompact,     // 20230701
};

// Parses `text` in `format`. The error message quotes the text and names the expected layout.
Result<Date> ParseDate(std::string_view text, DateFormat format);
std::string FormatDate(Date date, DateFormat format);
// Appends the formatted date to `out` without allocating a temporary (hot path of writers).
void AppendDate(std::string& out, Date date, DateFormat format);
// "yyyy-mm-dd", "dd-mm-yyyy", "dd/mm/yyyy", "yyyymmdd" as used in contracts.
Result<DateFormat> ParseDateFormatName(std::string_view name);
std::string_view DateFormatName(DateFormat format);

// A CBS period: a year (JJ00), quarter (KW01-KW04) or month (MM01-MM12).
class Period {
 public:
  enum class Kind : std::uint8_t { kYear, kQuarter, kMonth };

  constexpr Period() = default;
  static Result<Period> Parse(std::string_view code);  // "2023JJ00", "2023KW02", "2023MM07"
  static Period Year(int year) { return Period(Kind::kYear, year, 0); }
  static Period Quarter(int year, int q) { return Period(Kind::kQuarter, year, q); }
  static Period Month(int year, int m) { return Period(Kind::kMonth, year, m); }
  // The period of `kind` containing `date`.
  static Period Containing(Date date, Kind kind);

  Kind kind() const { return kind_; }
  int year() const { return year_; }
  int index() const { return index_; }  // 0 for years, 1-4 quarters, 1-12 months
  Date First() const;
  Date Last() const;
  bool Contains(Date d) const { return First() <= d && d <= Last(); }
  Period Next() const;
  Period Prev() const;
  std::string Code() const;  // "2023KW02"

  friend bool operator==(const Period&, const Period&) = default;
  friend auto operator<=>(const Period& a, const Period& b) {
    if (auto c = a.kind_ <=> b.kind_; c != 0) return c;
    if (auto c = a.year_ <=> b.year_; c != 0) return c;
    return a.index_ <=> b.index_;
  }

 private:
  constexpr Period(Kind kind, int year, int index) : kind_(kind), year_(year), index_(index) {}
  Kind kind_ = Kind::kYear;
  int year_ = 1970;
  int index_ = 0;
};

}  // namespace das
