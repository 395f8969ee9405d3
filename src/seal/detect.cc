#include "das/seal/detect.h"

#include <algorithm>
#include <cstdio>

#include "das/core/date.h"
#include "das/seal/bsn.h"

namespace das::seal {
namespace {

struct NameRule {
  std::string_view name;
  std::string_view what;
};

// Normalised (lower case, alphanumerics only) column names, matched against the whole name and each word.
constexpr NameRule kNameRules[] = {
    {"bsn", "BSN"},
    {"burgerservicenummer", "BSN"},
    {"sofinummer", "BSN (sofinummer)"},
    {"sofinr", "BSN (sofinummer)"},
    {"achternaam", "surname"},
    {"geslachtsnaam", "surname"},
    {"familienaam", "surname"},
    {"surname", "surname"},
    {"lastname", "surname"},
    {"familyname", "surname"},
    {"naam", "name"},
    {"name", "name"},
    {"fullname", "name"},
    {"volledigenaam", "name"},
    {"tussenvoegsel", "surname prefix"},
    {"voorvoegsel", "surname prefix"},
    {"voornaam", "given name"},
    {"voornamen", "given names"},
    {"roepnaam", "given name"},
    {"voorletters", "initials"},
    {"firstname", "given name"},
    {"givenname", "given name"},
    {"givennames", "given names"},
    {"forename", "given name"},
    {"geboortedatum", "date of birth"},
    {"gebdatum", "date of birth"},
    {"gebdat", "date of birth"},
    {"geboortedag", "date of birth"},
    {"dateofbirth", "date of birth"},
    {"birthdate", "date of birth"},
    {"dob", "date of birth"},
    {"adres", "address"},
    {"woonadres", "address"},
    {"straat", "address"},
    {"straatnaam", "address"},
    {"huisnummer", "address"},
    {"address", "address"},
    {"telefoon", "phone number"},
    {"telefoonnummer", "phone number"},
    {"phone", "phone number"},
    {"email", "e-mail address"},
    {"emailadres", "e-mail address"},
};

std::string Lower(std::string_view s, bool keep_separators) {
  std::string out;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if (keep_separators && !out.empty() && out.back() != ' ') {
      out.push_back(' ');
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

const NameRule* MatchName(std::string_view column) {
  const std::string whole = Lower(column, false);
  for (const NameRule& r : kNameRules) {
    if (whole == r.name) return &r;
  }
  const std::string words = Lower(column, true);
  std::size_t start = 0;
  while (start <= words.size()) {
    std::size_t end = words.find(' ', start);
    if (end == std::string::npos) end = words.size();
    const std::string_view word(words.data() + start, end - start);
    for (const NameRule& r : kNameRules) {
      if (word == r.name) return &r;
    }
    start = end + 1;
  }
  return nullptr;
}

std::string Where(std::size_t col, const std::string& name) {
  return "column " + std::to_string(col + 1) + " '" + name + "': ";
}

std::string Percent(std::size_t part, std::size_t whole) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

}  // namespace

std::string_view IdentifierKindName(IdentifierKind kind) {
  switch (kind) {
    case IdentifierKind::kColumnName: return "column-name";
    case IdentifierKind::kBsnValues: return "bsn-values";
    case IdentifierKind::kBirthDates: return "birth-dates";
  }
  return "unknown";
}

std::vector<IdentifierFinding> DetectDirectIdentifiers(const std::vector<std::string>& header,
                                                       const std::vector<std::vector<std::string>>& rows,
                                                       const DetectOptions& options) {
  std::vector<IdentifierFinding> findings;
  constexpr DateFormat kFormats[] = {DateFormat::kIso, DateFormat::kDmyDash, DateFormat::kDmySlash,
                                     DateFormat::kCompact};
  std::vector<int> years;
  for (std::size_t col = 0; col < header.size(); ++col) {
    const std::string where = Where(col, header[col]);
    if (const NameRule* rule = MatchName(header[col])) {
      findings.push_back({col, IdentifierKind::kColumnName,
                          where + "name suggests a direct identifier (" + std::string(rule->what) + ")"});
    }
    std::size_t non_empty = 0;
    std::size_t bsn_ok = 0;
    std::size_t date_ok[4] = {0, 0, 0, 0};
    for (const auto& row : rows) {
      if (col >= row.size() || row[col].empty()) continue;
      const std::string& v = row[col];
      ++non_empty;
      if (CheckBsn(v).ok()) ++bsn_ok;
      for (int f = 0; f < 4; ++f) {
        if (ParseDate(v, kFormats[f]).ok()) ++date_ok[f];
      }
    }
    if (non_empty < options.min_values || non_empty == 0) continue;
    if (static_cast<double>(bsn_ok) > options.bsn_share * static_cast<double>(non_empty)) {
      findings.push_back({col, IdentifierKind::kBsnValues,
                          where + std::to_string(bsn_ok) + " of " + std::to_string(non_empty) + " non-empty values (" +
                              Percent(bsn_ok, non_empty) + ") pass the BSN 11-check; looks like BSNs"});
    }
    const int best = static_cast<int>(std::max_element(date_ok, date_ok + 4) - date_ok);
    if (static_cast<double>(date_ok[best]) < options.date_share * static_cast<double>(non_empty)) continue;
    years.clear();
    for (const auto& row : rows) {
      if (col >= row.size() || row[col].empty()) continue;
      Result<Date> d = ParseDate(row[col], kFormats[best]);
      if (d.ok()) years.push_back(d->year());
    }
    std::sort(years.begin(), years.end());
    const int lo = years.front();
    const int hi = years.back();
    const int median = years[years.size() / 2];
    if (hi - lo >= options.min_birth_year_span && hi - median >= options.min_birth_median_gap) {
      findings.push_back({col, IdentifierKind::kBirthDates,
                          where + std::to_string(date_ok[best]) + " of " + std::to_string(non_empty) +
                              " non-empty values are dates (" + std::string(DateFormatName(kFormats[best])) +
                              ") spanning " + std::to_string(lo) + "-" + std::to_string(hi) + ", median " +
                              std::to_string(median) + "; looks like dates of birth"});
    }
  }
  return findings;
}

}  // namespace das::seal
