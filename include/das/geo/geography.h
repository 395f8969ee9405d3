// Geography of the Netherlands by year: gemeenten with province, police unit and court district, buurten
// with population, and municipal mergers (herindelingen) with their successor codes.
//
// Loaded from config/geo/ (CSV shipped with the product, derived from CBS/Politie open data, CC BY 4.0;
// see config/geo/README.md). Mergers are modelled from the first merger year in herindelingen.csv on; for
// earlier years the geography of the year before it applies, for later years that of kGeographyYear.
//
// Buurten in earlier years: the shipped buurten are those of kGeographyYear. For a year before a merger each
// buurt of the successor is assigned to one of its predecessors (a continuing successor code counts as one of
// them), a whole 2024 wijk at a time, by a deterministic weighted round-robin (src/geo/README.md). Its code in
// that year is "BU" + the predecessor's 4 digits + the buurt's last 4 characters; when a split predecessor
// would get the same wijk number from two successors, the later one (by successor code) takes the lowest
// free wijk number of the predecessor instead. BuurtCodeIn() and CurrentBuurt() convert both ways.
//
// Errors: Load() returns ParseError/InvalidArgument naming file, line and column for a malformed file, and
// NotFound/IoError if a file cannot be read. Thread-safety: immutable after Load(), safe to share between
// threads. Pointers and references returned stay valid as long as the Geography (moves keep them valid).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"

namespace das::geo {

// The year of the shipped buurten and populations.
inline constexpr int kGeographyYear = 2024;

struct GemeenteInfo {
  std::string code;              // GM0363
  std::string name;              // Amsterdam
  std::string province;          // PV27
  std::string police_unit;       // RE05
  std::string arrondissement;    // court district, e.g. RBAMS
  std::int64_t population = 0;   // 2024; for a former gemeente: the estimated part of 2024 in its area
  int valid_from = 0;            // first year the code exists (0 = before the modelled period)
  int valid_to = 9999;           // last year the code exists (9999 = still valid)

  bool ValidIn(int year) const { return valid_from <= year && year <= valid_to; }
};

struct BuurtInfo {
  std::string code;              // BU03630000
  std::string wijk;              // WK036300
  std::string gemeente;          // GM0363
  std::int64_t population = 0;   // 2024
};

// One municipal merger or split: `from` ceases on 1 January of `year` and its area goes to `to`
// (share = fraction of `from`'s population that went to `to`; 1.0 for a plain merger).
struct Merger {
  int year = 0;
  std::string from;
  std::string from_name;
  std::string to;
  double share = 1.0;
};

struct CodeName {
  std::string code;
  std::string name;
};

struct SuccessorShare {
  std::string code;  // a gemeente valid in kGeographyYear
  double share = 0;  // fraction of the old gemeente's population that ended up there
};

class Geography {
 public:
  // Reads gemeenten.csv, buurten.csv, provincies.csv, politie_eenheden.csv, arrondissementen.csv and
  // herindelingen.csv from `dir` through `fs` (the POSIX file system if null) and checks them: formats of
  // codes and numbers, references between the files, unique codes, merger years against validity, shares.
  static Result<Geography> Load(const std::string& dir, const FileSystem* fs = nullptr);

  const std::vector<GemeenteInfo>& gemeenten() const { return gemeenten_; }  // all codes, all years, by code
  const std::vector<BuurtInfo>& buurten() const { return buurten_; }         // 2024 buurten, by code
  const std::vector<Merger>& mergers() const { return mergers_; }            // by year, to, from
  const std::vector<CodeName>& provinces() const { return provinces_; }
  const std::vector<CodeName>& police_units() const { return police_units_; }
  const std::vector<CodeName>& arrondissementen() const { return arrondissementen_; }

  // Gemeenten that exist in `year` (valid_from <= year <= valid_to), by code.
  std::vector<const GemeenteInfo*> GemeentenIn(int year) const;
  // By code of any year (unpadded, e.g. "GM0363"); null if unknown.
  const GemeenteInfo* FindGemeente(std::string_view code) const;
  // A 2024 buurt by its 2024 code; null if unknown. See CurrentBuurt() for codes of other years.
  const BuurtInfo* FindBuurt(std::string_view code) const;

  // The kGeographyYear successor of a gemeente code of any year, through chains of mergers: itself if still
  // valid; for a split, the successor with the largest share (ties: lowest code). Empty if unknown.
  std::string Successor(std::string_view gemeente_code) const;
  // All kGeographyYear successors with the fraction of the old population each received, by code
  // ({code, 1.0} for a valid code). Empty if unknown.
  std::vector<SuccessorShare> SuccessorShares(std::string_view gemeente_code) const;

  // Name of a province, police unit, arrondissement or gemeente (of any year) by code; "Nederland" for
  // NL00/NL01; empty if unknown. Buurten and wijken have no names here.
  std::string NameOf(std::string_view code) const;

  // Population (2024 figures) of a gemeente within its boundaries of `year`: the sum of the 2024 buurten
  // that belonged to it in that year. 0 if the code is unknown or does not exist in `year`.
  std::int64_t PopulationIn(std::string_view gemeente_code, int year) const;

  // The gemeente a 2024 buurt belonged to in `year`.
  const std::string& GemeenteOf(const BuurtInfo& buurt, int year) const;
  // The code of a 2024 buurt in `year` (its own code from the last merger affecting it on). `buurt` should
  // come from this Geography; another object is looked up by code, and returned unchanged if unknown.
  std::string BuurtCodeIn(const BuurtInfo& buurt, int year) const;
  // The 2024 buurt for a buurt code valid in any modelled year (2024 codes included); null if unknown.
  // Accepts CBS's space padding ("BU00030102  ").
  const BuurtInfo* CurrentBuurt(std::string_view code_in_any_year) const;
  // The 2024 buurten that lay in `gemeente_code` in `year`, by 2024 code.
  std::vector<const BuurtInfo*> BuurtenIn(std::string_view gemeente_code, int year) const;

  // First year whose geography is modelled separately (the year before the first merger).
  int first_modelled_year() const { return first_year_; }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>>;
  // Before `before_year` (back to the next entry's before_year) buurt lay in gemeente `gemeente` as `code`.
  struct Era {
    int before_year = 0;
    std::uint32_t gemeente = 0;
    std::string code;
  };

  Status Build();
  std::uint32_t GemeenteIndexIn(std::size_t buurt, int year) const;
  std::size_t BuurtIndex(const BuurtInfo& buurt) const;
  int ClampYear(int year) const;

  std::vector<GemeenteInfo> gemeenten_;
  std::vector<BuurtInfo> buurten_;
  std::vector<Merger> mergers_;
  std::vector<CodeName> provinces_, police_units_, arrondissementen_;
  Index names_index_;               // PV/RE/RB code -> index into names_
  std::vector<std::string> names_;
  Index gm_index_;
  Index bu_index_;
  Index old_bu_index_;              // pre-merger buurt code -> buurt index
  std::vector<std::uint32_t> buurt_gemeente_;        // 2024 gemeente index per buurt
  std::vector<std::vector<Era>> history_;            // per buurt, by before_year descending
  std::vector<std::vector<std::uint32_t>> members_;  // per gemeente: buurten that ever lay in it
  std::vector<std::vector<std::int64_t>> population_;  // [year - first_year_][gemeente]
  std::vector<std::string> successor_;                       // per gemeente
  std::vector<std::vector<SuccessorShare>> successor_shares_;  // per gemeente, by code
  int first_year_ = kGeographyYear;
};

}  // namespace das::geo
