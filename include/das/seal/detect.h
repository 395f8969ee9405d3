// Detection of direct person identifiers in a delivery, for intake: a file that should have been sealed
// (or a column a contract does not declare as an identifier) must not slip into the platform.
//
// Checks per column:
//   kColumnName   the column name (lower-cased, non-alphanumerics removed) is, or has a word that is, a
//                 known identifier name: bsn, burgerservicenummer, achternaam, voornamen, naam, surname,
//                 geboortedatum, dateofbirth, ...
//   kBsnValues    more than `bsn_share` of the non-empty sample values pass the BSN 11-check (random
//                 9-digit numbers pass about 1 in 11 times)
//   kBirthDates   at least `date_share` of the non-empty values parse as dates in one layout, they span at
//                 least `min_birth_year_span` years and their median year lies at least
//                 `min_birth_median_gap` years before the latest: a spread of birth dates, not event dates
// Messages name the column (1-based number and name), the evidence as counts, and never quote a value.
// Threading: pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace das::seal {

enum class IdentifierKind : std::uint8_t { kColumnName, kBsnValues, kBirthDates };
std::string_view IdentifierKindName(IdentifierKind kind);  // "column-name", "bsn-values", "birth-dates"

struct IdentifierFinding {
  std::size_t column = 0;  // 0-based index
  IdentifierKind kind = IdentifierKind::kColumnName;
  std::string message;     // "column 5 'Achternaam': name suggests a direct identifier (surname)"
};

struct DetectOptions {
  double bsn_share = 0.5;
  double date_share = 0.8;
  int min_birth_year_span = 15;
  int min_birth_median_gap = 10;
  std::size_t min_values = 5;  // value checks need at least this many non-empty values in the sample
};

// `rows` are sample data rows (short rows are tolerated: missing fields count as empty). Findings are
// ordered by column, then kind.
std::vector<IdentifierFinding> DetectDirectIdentifiers(const std::vector<std::string>& header,
                                                       const std::vector<std::vector<std::string>>& rows,
                                                       const DetectOptions& options = {});

}  // namespace das::seal
