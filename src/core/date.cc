#include "das/core/date.h"

#include <cstdio>

namespace das {
namespace {

// Howard Hinnant's civil-from-days and days-from-civil algorithms.
constexpr std::int32_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

bool ParseDigits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

void Append2(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void Append4(std::string& out, int v) {
  if (v < 0 || v > 9999) {
    out += std::to_string(v);
    return;
  }
  out.push_back(static_cast<char>('0' + v / 1000));
  out.push_back(static_cast<char>('0' + v / 100 % 10));
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && IsLeapYear(y)) return 29;
  return kDays[m - 1];
}

Result<Date> Date::FromYmd(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "no such date: %04d-%02d-%02d", y, m, d);
    return Status::InvalidArgument(buf);
  }
  return FromYmdUnchecked(y, m, d);
}

Date Date::FromYmdUnchecked(int y, int m, int d) {
  return Date(DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
}

Ymd Date::ToYmd() const {
  std::int32_t z = days_ + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Ymd{y + (m <= 2), static_cast<int>(m), static_cast<int>(d)};
}

std::string Date::ToIso() const { return FormatDate(*this, DateFormat::kIso); }

Result<Date> ParseDate(std::string_view s, DateFormat format) {
  int y = 0, m = 0, d = 0;
  bool ok = false;
  switch (format) {
    case DateFormat::kIso:
      ok = s.size() == 10 && s[4] == '-' && s[7] == '-' && ParseDigits(s, 0, 4, y) && ParseDigits(s, 5, 2, m) &&
           ParseDigits(s, 8, 2, d);
      break;
    case DateFormat::kDmyDash:
    case DateFormat::kDmySlash: {
      const char sep = format == DateFormat::kDmyDash ? '-' : '/';
      ok = s.size() == 10 && s[2] == sep && s[5] == sep && ParseDigits(s, 0, 2, d) && ParseDigits(s, 3, 2, m) &&
           ParseDigits(s, 6, 4, y);
      break;
    }
    case DateFormat::kCompact:
      ok = s.size() == 8 && ParseDigits(s, 0, 4, y) && ParseDigits(s, 4, 2, m) && ParseDigits(s, 6, 2, d);
      break;
  }
  if (!ok) {
    return Status::ParseError("'" + std::string(s.substr(0, 40)) + "' is not a date of the form " +
                              std::string(DateFormatName(format)));
  }
  auto r = Date::FromYmd(y, m, d);
  if (!r.ok()) return Status::ParseError("'" + std::string(s) + "' is not a valid calendar date");
  return r;
}

void AppendDate(std::string& out, Date date, DateFormat format) {
  const Ymd v = date.ToYmd();
  switch (format) {
    case DateFormat::kIso:
      Append4(out, v.year), out.push_back('-'), Append2(out, v.month), out.push_back('-'), Append2(out, v.day);
      break;
    case DateFormat::kDmyDash:
      Append2(out, v.day), out.push_back('-'), Append2(out, v.month), out.push_back('-'), Append4(out, v.year);
      break;
    case DateFormat::kDmySlash:
      Append2(out, v.day), out.push_back('/'), Append2(out, v.month), out.push_back('/'), Append4(out, v.year);
      break;
    case DateFormat::kCompact:
      Append4(out, v.year), Append2(out, v.month), Append2(out, v.day);
      break;
  }
}

std::string FormatDate(Date date, DateFormat format) {
  std::string out;
  AppendDate(out, date, format);
  return out;
}

std::string_view DateFormatName(DateFormat format) {
  switch (format) {
    case DateFormat::kIso: return "yyyy-mm-dd";
    case DateFormat::kDmyDash: return "dd-mm-yyyy";
    case DateFormat::kDmySlash: return "dd/mm/yyyy";
    case DateFormat::kCompact: return "yyyymmdd";
  }
  return "?";
}

Result<DateFormat> ParseDateFormatName(std::string_view name) {
  for (DateFormat f : {DateFormat::kIso, DateFormat::kDmyDash, DateFormat::kDmySlash, DateFormat::kCompact}) {
    if (DateFormatName(f) == name) return f;
  }
  return Status::InvalidArgument("unknown date format '" + std::string(name) +
                                 "' (expected yyyy-mm-dd, dd-mm-yyyy, dd/mm/yyyy or yyyymmdd)");
}

// ---- Period

Result<Period> Period::Parse(std::string_view code) {
  int year = 0, idx = 0;
  auto bad = [&] {
    return Status::ParseError("'" + std::string(code.substr(0, 20)) +
                              "' is not a CBS period code (expected e.g. 2023JJ00, 2023KW02, 2023MM07)");
  };
  if (code.size() != 8 || !ParseDigits(code, 0, 4, year) || !ParseDigits(code, 6, 2, idx)) return bad();
  std::string_view kind = code.substr(4, 2);
  if (kind == "JJ" && idx == 0) return Period(Kind::kYear, year, 0);
  if (kind == "KW" && idx >= 1 && idx <= 4) return Period(Kind::kQuarter, year, idx);
  if (kind == "MM" && idx >= 1 && idx <= 12) return Period(Kind::kMonth, year, idx);
  return bad();
}

Period Period::Containing(Date date, Kind kind) {
  const Ymd v = date.ToYmd();
  switch (kind) {
    case Kind::kYear: return Year(v.year);
    case Kind::kQuarter: return Quarter(v.year, (v.month - 1) / 3 + 1);
    case Kind::kMonth: return Month(v.year, v.month);
  }
  return Year(v.year);
}

Date Period::First() const {
  switch (kind_) {
    case Kind::kYear: return Date::FromYmdUnchecked(year_, 1, 1);
    case Kind::kQuarter: return Date::FromYmdUnchecked(year_, (index_ - 1) * 3 + 1, 1);
    case Kind::kMonth: return Date::FromYmdUnchecked(year_, index_, 1);
  }
  return Date();
}

Date Period::Last() const { return Next().First() + (-1); }

Period Period::Next() const {
  switch (kind_) {
    case Kind::kYear: return Year(year_ + 1);
    case Kind::kQuarter: return index_ == 4 ? Quarter(year_ + 1, 1) : Quarter(year_, index_ + 1);
    case Kind::kMonth: return index_ == 12 ? Month(year_ + 1, 1) : Month(year_, index_ + 1);
  }
  return *this;
}

Period Period::Prev() const {
  switch (kind_) {
    case Kind::kYear: return Year(year_ - 1);
    case Kind::kQuarter: return index_ == 1 ? Quarter(year_ - 1, 4) : Quarter(year_, index_ - 1);
    case Kind::kMonth: return index_ == 1 ? Month(year_ - 1, 12) : Month(year_, index_ - 1);
  }
  return *this;
}

std::string Period::Code() const {
  char buf[16];
  const char* k = kind_ == Kind::kYear ? "JJ" : kind_ == Kind::kQuarter ? "KW" : "MM";
  std::snprintf(buf, sizeof buf, "%04d%s%02d", year_, k, index_);
  return buf;
}

}  // namespace das
