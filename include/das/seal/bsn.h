// BSN (burgerservicenummer): normalisation and the 11-check (DOMAIN.md §8).
//
// A BSN is 9 digits d1..d9 with 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 ≡ 0 (mod 11). Delivered values may carry
// spaces or dots ("1234.56.782") and 8-digit numbers lose their leading zero; both are normalised.
// Numbers that pass the check but are placeholders (all digits equal, 999999990) are rejected explicitly.
// Passing the check does not prove the number was ever issued.
//
// Privacy: nothing here puts the BSN itself into a message; reasons describe the problem only.
// Threading: pure functions (MakeValidBsn/MakeInvalidBsn mutate only the Random given).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "das/core/env.h"
#include "das/core/status.h"

namespace das::seal {

enum class BsnStatus : std::uint8_t { kOk, kMissing, kInvalid };
// "ok", "missing", "invalid": the values of the `bsn_status` column.
std::string_view BsnStatusName(BsnStatus status);

enum class BsnProblem : std::uint8_t {
  kNone,
  kEmpty,           // nothing but spaces/dots (status kMissing)
  kBadCharacter,    // a character other than a digit, space or dot
  kTooShort,        // fewer than 8 digits
  kTooLong,         // more than 9 digits
  kAllSameDigit,    // 000000000, 111111111, ...
  kPlaceholder,     // 999999990: passes the 11-check but is a known dummy
  kElevenCheck,     // fails 9*d1 + ... + 2*d8 - d9 ≡ 0 (mod 11)
};
// A one-line, value-free explanation, e.g. "fails the 11-check".
std::string_view BsnProblemText(BsnProblem problem);

struct BsnCheck {
  BsnStatus status = BsnStatus::kMissing;
  BsnProblem problem = BsnProblem::kEmpty;
  std::array<char, 9> digits{};  // the normalised 9 digits; meaningful only when status == kOk
  std::string_view normalised() const { return {digits.data(), digits.size()}; }
  bool ok() const { return status == BsnStatus::kOk; }
};

// Normalises and checks `text` without allocating. Spaces, tabs and dots are stripped; 8 digits get a
// leading 0. An empty (or blank) text is kMissing, everything else that fails is kInvalid.
BsnCheck CheckBsn(std::string_view text);
// The weighted sum 9*d1 + ... + 2*d8 - d9 of 9 ASCII digits (no validation).
int BsnWeightedSum(std::string_view nine_digits);
// The normalised 9 digits, or InvalidArgument("BSN <reason>") (the value is not quoted).
Result<std::string> NormaliseBsn(std::string_view text);
bool IsValidBsn(std::string_view text);

// Synthetic data: a random 9-digit number that passes CheckBsn (first digit 1-9, never a placeholder).
std::string MakeValidBsn(Random& rng);
// A random 9-digit number whose digits are not all equal and that fails the 11-check (a one-digit
// corruption of a valid BSN: the kind of typo the check exists to catch).
std::string MakeInvalidBsn(Random& rng);

}  // namespace das::seal
