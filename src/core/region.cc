#include "das/core/region.h"

namespace das {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Wijk and buurt codes may carry letters when a gemeente has 100+ wijken or buurten.
bool AllAlnum(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

}  // namespace

Result<RegionCode> RegionCode::Parse(std::string_view text) {
  std::string_view t = text;
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  auto bad = [&] {
    return Status::ParseError("'" + std::string(text.substr(0, 24)) +
                              "' is not a region code (expected NL00, PVnn, REnn, GMnnnn, WKnnnnnn or BUnnnnnnnn)");
  };
  if (t.size() < 4) return bad();
  std::string_view prefix = t.substr(0, 2), rest = t.substr(2);
  RegionCode r;
  if (prefix == "NL" && (rest == "00" || rest == "01")) {
    r.level_ = RegionLevel::kNation;
  } else if (prefix == "PV" && rest.size() == 2 && AllDigits(rest)) {
    r.level_ = RegionLevel::kProvince;
  } else if (prefix == "RE" && rest.size() == 2 && AllDigits(rest)) {
    r.level_ = RegionLevel::kPoliceUnit;
  } else if (prefix == "GM" && rest.size() == 4 && AllDigits(rest)) {
    r.level_ = RegionLevel::kGemeente;
  } else if (prefix == "WK" && rest.size() == 6 && AllDigits(rest.substr(0, 4)) && AllAlnum(rest)) {
    r.level_ = RegionLevel::kWijk;
  } else if (prefix == "BU" && rest.size() == 8 && AllDigits(rest.substr(0, 4)) && AllAlnum(rest)) {
    r.level_ = RegionLevel::kBuurt;
  } else {
    return bad();
  }
  r.code_ = std::string(t);
  return r;
}

std::string RegionCode::Padded(std::size_t width) const {
  std::string out = code_;
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::optional<RegionCode> RegionCode::Gemeente() const {
  if (level_ != RegionLevel::kGemeente && level_ != RegionLevel::kWijk && level_ != RegionLevel::kBuurt)
    return std::nullopt;
  RegionCode g;
  g.level_ = RegionLevel::kGemeente;
  g.code_ = "GM" + code_.substr(2, 4);
  return g;
}

}  // namespace das
