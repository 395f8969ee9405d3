// Builders of the shared dimensions of the statistics tables (Perioden, RegioS, Delict, Leeftijd, Geslacht)
// as stats::DimensionSpec, plus the fast value -> code-index mapping and margin (total) filling that every
// table computation needs. Internal to das_stats (src/stats/); the codes are documented in docs/statistics.md.
//
// Codes (stable; the dashboard and the API depend on them):
//   Perioden  "2023JJ00" > "2023KW01" > "2023MM01" (parent links only when `hierarchy` is asked for);
//             status "Voorlopig" when the period ends after the data's final date, else "Definitief".
//   RegioS    "NL01" > "PV20".."PV31" (+ "PV99" onbekend) > "GM0014".. (2024 gemeenten, + "GM9999" onbekend
//             under PV99); police variant "NL01" > "RE01".."RE10" (+ "RE99" onbekend).
//   Delict    SCM 2010 codes of config/codelists/scm2010.csv: "0" (total) > "1".."9", "onbekend" > "11".. >
//             "111".. (level-4 codes are counted in their level-3 ancestor; units coded only to a level with
//             children in "<code>_nnb", e.g. "11_nnb").
//   Leeftijd  "10000" (total) > "minderjarig" / "meerderjarig" / "onbekend" > CBS age groups "0-11", "12-17",
//             "18-24", ... ("onbekend" is a leaf directly under the total).
//   Geslacht  "T001038" (total) > "3000" man / "4000" vrouw / "onbekend".
//
// A BuiltDimension knows which chain_stage_units column it reads (`column`) and maps a value of that column to
// the code a unit is counted in; null and unrecognised values go to the dimension's `unknown` code, never
// dropped. Every value maps to a LEAF: where a unit can be coded at a level that has children (SCM "11" without
// detail, exit type "sepot" without its kind), the builder adds a first child "<code>_nnb" ("niet nader
// bekend") and counts such units there, so every parent equals the sum of its children (disclosure control's
// lines rely on it). Counting happens at leaves; FillMargins then adds every code into its ancestors.
//
// Ownership: values. Threading: immutable after building; Map()/Ordinal() are const and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/date.h"
#include "das/core/status.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/stats/stat_table.h"

namespace das::stats {

// A dimension with its parent structure and the mapping from data values to code indices.
struct BuiltDimension {
  DimensionSpec spec;
  std::vector<int> parent;              // per code: index of the parent, -1 for a root
  std::string column;                   // chain_stage_units / chain_cases column this dimension reads
  harmonise::StringMap<int> value_index;  // data value -> code index a unit with that value is counted in
  int unknown = -1;                     // code index for null / unrecognised values (-1: none; then total)

  // Code index for a data value (null: pass std::nullopt-like empty view with is_null = true).
  int Map(std::string_view value, bool is_null = false) const;
  // Adds a code (parent by index, -1 for root); returns its index.
  int Add(Code code, int parent_index);
};

// Perioden.
enum class PeriodLevel : std::uint8_t { kYear = 0, kQuarter = 1, kMonth = 2 };  // the finest level of a table
// Parses "jaar" / "kwartaal" / "maand" (also "year"/"quarter"/"month").
Result<PeriodLevel> ParsePeriodLevel(std::string_view text);

struct PeriodDimension {
  DimensionSpec spec;
  std::vector<int> parent;          // per code (all -1 without hierarchy)
  std::vector<int> containing;      // per code: the code of the next coarser period (always linked; -1 years)
  std::vector<Period> periods;      // per code
  PeriodLevel finest = PeriodLevel::kYear;
  int from_year = 0, to_year = 0;
  // Ordinals: the periods of the finest level in time order (0 .. num_ordinals()-1).
  int num_ordinals() const { return static_cast<int>(ordinal_first.size()); }
  std::vector<Date> ordinal_first, ordinal_last;   // per ordinal
  // Per ordinal: the code indices of the periods that contain it (year, quarter, month up to `finest`);
  // the finest one is covering[k][finest].
  std::vector<std::array<int, 3>> covering;
  // Per code: the ordinal of its last finest period (a stock of the code is the stock at that ordinal's end)
  // and the ordinals it spans [first_ordinal, last_ordinal].
  std::vector<int> first_ordinal, last_ordinal;

  // Ordinal of the finest period containing `d`: -1 if before from_year, num_ordinals() if after to_year.
  int Ordinal(Date d) const;
  Date first_day() const { return ordinal_first.front(); }
  Date last_day() const { return ordinal_last.back(); }
};

// Years from..to (from <= to, at most 200 years); `hierarchy` links KW to JJ and MM to KW (else all codes are
// roots). Status "Voorlopig" for a period whose last day is after `final_date`.
Result<PeriodDimension> BuildPerioden(int from_year, int to_year, PeriodLevel finest, bool hierarchy,
                                      Date final_date);

// RegioS down to this level.
enum class RegioLevel : std::uint8_t { kLand = 0, kProvincie = 1, kGemeente = 2 };
Result<RegioLevel> ParseRegioLevel(std::string_view text);  // "land", "provincie", "gemeente"
// NL01 > PVxx > GMxxxx of geo::kGeographyYear (+ PV99/GM9999 onbekend). Reads column "gemeente_2024" (level
// gemeente) or "province" (level provincie); "land" reads "province" and maps everything to NL01.
BuiltDimension BuildRegio(const geo::Geography& geography, RegioLevel level);
// NL01 > RExx (+ RE99 onbekend); reads column "police_unit".
BuiltDimension BuildPoliceRegio(const geo::Geography& geography);

// Delict: SCM 2010 (`scm` is the "scm2010" target list) from the total down to `max_level` (1..3); reads
// column "offence_scm" and maps any SCM code to its ancestor at max_level. Errors: no root, no "onbekend".
Result<BuiltDimension> BuildDelict(const harmonise::TargetList& scm, int max_level);

// Leeftijd: total > minderjarig/meerderjarig/onbekend > age groups (`with_groups` = false stops at the
// minor/adult level and reads column "minor" ("1"/"0" or "true"/"false"); else column "age_group").
BuiltDimension BuildLeeftijd(const harmonise::AgeGroups& age_groups, bool with_groups);

// Geslacht: T001038 > 3000 man / 4000 vrouw / onbekend; reads column "sex" (values man, vrouw, onbekend).
BuiltDimension BuildGeslacht();

// A generic flat dimension: total > the given codes (+ "onbekend" unless among them). `value_index` maps each
// code to itself; `column` is what it reads.
BuiltDimension BuildFlat(std::string id, std::string title_nl, std::string title_en, std::string column,
                         std::string total_code, std::string total_title_nl, std::string total_title_en,
                         const std::vector<Code>& codes);

// A tree dimension from a harmonised code list (its root is the total): for exit types (Bestemming) and unit
// types (Soort). Every member maps to itself; unknown values go to the list's "onbekend" member (added under
// the root when the list has none).
BuiltDimension BuildTree(std::string id, std::string title_nl, std::string title_en, std::string column,
                         const harmonise::TargetList& list);

// Margins over a dense row-major cross product (the last dimension fastest). `parents[d]` is the parent vector
// of dimension d (all -1: nothing to fill, e.g. a time dimension without hierarchy). For every dimension in
// turn, every code's value is added into its parent, children before parents, so that afterwards each cell
// holds the sum over all leaf cells below its coordinates. Codes must come after their parents.
void FillMargins(const std::vector<int>& sizes, const std::vector<const std::vector<int>*>& parents,
                 std::vector<std::int64_t>* cells);
void FillMargins(const std::vector<int>& sizes, const std::vector<const std::vector<int>*>& parents,
                 std::vector<double>* cells);
// Same for CKM cell keys: sums mod protect::kCellKeyModulus (256).
void FillMarginsMod256(const std::vector<int>& sizes, const std::vector<const std::vector<int>*>& parents,
                       std::vector<std::uint32_t>* cells);

}  // namespace das::stats
