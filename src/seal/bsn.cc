#include "das/seal/bsn.h"

#include <string>

namespace das::seal {

std::string_view BsnStatusName(BsnStatus status) {
  switch (status) {
    case BsnStatus::kOk: return "ok";
    case BsnStatus::kMissing: return "missing";
    case BsnStatus::kInvalid: return "invalid";
  }
  return "invalid";
}

std::string_view BsnProblemText(BsnProblem problem) {
  switch (problem) {
    case BsnProblem::kNone: return "is valid";
    case BsnProblem::kEmpty: return "is empty";
    case BsnProblem::kBadCharacter: return "contains a character other than digits, spaces and dots";
    case BsnProblem::kTooShort: return "has fewer than 8 digits";
    case BsnProblem::kTooLong: return "has more than 9 digits";
    case BsnProblem::kAllSameDigit: return "has all digits equal (placeholder)";
    case BsnProblem::kPlaceholder: return "is the placeholder 999999990";
    case BsnProblem::kElevenCheck: return "fails the 11-check";
  }
  return "is invalid";
}

int BsnWeightedSum(std::string_view d) {
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (9 - i) * (d[i] - '0');
  return sum - (d[8] - '0');
}

BsnCheck CheckBsn(std::string_view text) {
  BsnCheck out;
  char buf[9];
  int n = 0;
  bool too_long = false;
  for (char c : text) {
    if (c == ' ' || c == '.' || c == '\t') continue;
    if (c < '0' || c > '9') {
      out.status = BsnStatus::kInvalid;
      out.problem = BsnProblem::kBadCharacter;
      return out;
    }
    if (n == 9) {
      too_long = true;
      continue;
    }
    buf[n++] = c;
  }
  if (n == 0) return out;  // missing / kEmpty
  out.status = BsnStatus::kInvalid;
  if (too_long) {
    out.problem = BsnProblem::kTooLong;
    return out;
  }
  if (n < 8) {
    out.problem = BsnProblem::kTooShort;
    return out;
  }
  if (n == 8) {
    out.digits[0] = '0';
    for (int i = 0; i < 8; ++i) out.digits[i + 1] = buf[i];
  } else {
    for (int i = 0; i < 9; ++i) out.digits[i] = buf[i];
  }
  bool all_same = true;
  for (int i = 1; i < 9; ++i) all_same = all_same && out.digits[i] == out.digits[0];
  if (all_same) {
    out.problem = BsnProblem::kAllSameDigit;
    return out;
  }
  if (out.normalised() == "999999990") {
    out.problem = BsnProblem::kPlaceholder;
    return out;
  }
  if (BsnWeightedSum(out.normalised()) % 11 != 0) {
    out.problem = BsnProblem::kElevenCheck;
    return out;
  }
  out.status = BsnStatus::kOk;
  out.problem = BsnProblem::kNone;
  return out;
}

Result<std::string> NormaliseBsn(std::string_view text) {
  BsnCheck check = CheckBsn(text);
  if (!check.ok()) return Status::InvalidArgument("BSN " + std::string(BsnProblemText(check.problem)));
  return std::string(check.normalised());
}

bool IsValidBsn(std::string_view text) { return CheckBsn(text).ok(); }

std::string MakeValidBsn(Random& rng) {
  std::string d(9, '0');
  for (;;) {
    d[0] = static_cast<char>('1' + rng.Below(9));
    for (int i = 1; i < 8; ++i) d[i] = static_cast<char>('0' + rng.Below(10));
    int partial = 0;
    for (int i = 0; i < 8; ++i) partial += (9 - i) * (d[i] - '0');
    const int d9 = partial % 11;  // partial - d9 ≡ 0 (mod 11)
    if (d9 == 10) continue;
    d[8] = static_cast<char>('0' + d9);
    if (CheckBsn(d).ok()) return d;
  }
}

std::string MakeInvalidBsn(Random& rng) {
  for (;;) {
    std::string d = MakeValidBsn(rng);
    const auto pos = static_cast<std::size_t>(rng.Below(9));
    const auto shift = static_cast<int>(1 + rng.Below(9));
    d[pos] = static_cast<char>('0' + (d[pos] - '0' + shift) % 10);
    // Any single-digit change alters the sum by w*delta with |w|, |delta| < 11, so the check fails; the
    // loop only guards the all-same-digit corner.
    if (CheckBsn(d).problem == BsnProblem::kElevenCheck) return d;
  }
}

}  // namespace das::seal
