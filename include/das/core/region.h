// Region codes and the geography of the Netherlands, with validity by year.
//
// Codes: NL00 (national), PV20-PV31 (province), RE01-RE10 (police unit), GMnnnn (gemeente),
// WKnnnnnn (wijk), BUnnnnnnnn (buurt). CBS keys are space-padded in OData (WijkenEnBuurten to 10
// characters, RegioS to 6): RegionCode::Padded() gives that form, Parse() accepts both.
// The geography itself (which codes exist in which year, populations, mergers) is das::geo::Geography.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "das/core/status.h"

namespace das {

enum class RegionLevel : std::uint8_t { kNation, kProvince, kPoliceUnit, kGemeente, kWijk, kBuurt };

class RegionCode {
 public:
  RegionCode() = default;
  // Accepts "GM0363", "GM0363    ", "BU03630000", "PV27", "RE05", "NL00"/"NL01". Error names the text.
  static Result<RegionCode> Parse(std::string_view text);

  RegionLevel level() const { return level_; }
  const std::string& code() const { return code_; }  // unpadded, e.g. "GM0363"
  // Space-padded to `width` as CBS keys are (10 for WijkenEnBuurten, 6 for RegioS).
  std::string Padded(std::size_t width) const;
  // The gemeente a wijk or buurt belongs to (by its digits); the code itself for a gemeente.
  std::optional<RegionCode> Gemeente() const;

  friend bool operator==(const RegionCode&, const RegionCode&) = default;

 private:
  RegionLevel level_ = RegionLevel::kNation;
  std::string code_ = "NL00";
};

}  // namespace das
