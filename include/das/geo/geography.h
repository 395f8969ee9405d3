// Geography of the Netherlands by year: gemeenten with province, police unit and court district, buurten
// with population, and municipal mergers (herindelingen) with their successor codes.
//
// Loaded from config/geo/ (CSV shipped with the product, derived from CBS/Politie open data, CC BY 4.0;
// see config/geo/README.md). Immutable after Load() and safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "das/core/region.h"
#include "das/core/status.h"

namespace das::geo {

struct GemeenteInfo {
  std::string code;           // GM0363
  std::string name;           // Amsterdam
  std::string province;       // PV27
  std::string police_unit;    // RE05
  std::string arrondissement; // court district, e.g. RBAMS
  std::int64_t population = 0;  // 2024
  int valid_from = 0;         // first year the code exists (0 = always)
  int valid_to = 9999;        // last year the code exists
};

struct BuurtInfo {
  std::string code;      // BU03630000
  std::string wijk;      // WK036300
  std::string gemeente;  // GM0363
  std::int64_t population = 0;  // 2024
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

class Geography {
 public:
  // Reads gemeenten.csv, buurten.csv, provincies.csv, politie_eenheden.csv and herindelingen.csv from `dir`.
  static Result<Geography> Load(const std::string& dir);

  const std::vector<GemeenteInfo>& gemeenten() const { return gemeenten_; }   // all codes, all years
  const std::vector<BuurtInfo>& buurten() const { return buurten_; }          // 2024 buurten
  const std::vector<Merger>& mergers() const { return mergers_; }
  // Gemeenten that exist in `year` (valid_from <= year <= valid_to).
  std::vector<const GemeenteInfo*> GemeentenIn(int year) const;
  const GemeenteInfo* FindGemeente(std::string_view code) const;
  const BuurtInfo* FindBuurt(std::string_view code) const;
  // The 2024 successor of a gemeente code that existed in some earlier year (itself if still valid).
  std::string Successor(std::string_view gemeente_code) const;
  // Name of a province, police unit or gemeente by code; empty if unknown.
  std::string NameOf(std::string_view code) const;

 private:
  std::vector<GemeenteInfo> gemeenten_;
  std::vector<BuurtInfo> buurten_;
  std::vector<Merger> mergers_;
  std::unordered_map<std::string, std::string> names_;
  std::unordered_map<std::string, std::size_t> gm_index_;
  std::unordered_map<std::string, std::size_t> bu_index_;
};

}  // namespace das::geo
