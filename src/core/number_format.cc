#include "das/core/number_format.h"

#include <cstdio>

namespace das {

std::string FormatFixed(double v, int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  if (!s.empty() && s[0] == '-') {
    bool zero = true;
    for (std::size_t k = 1; k < s.size(); ++k) {
      if (s[k] != '0' && s[k] != '.') zero = false;
    }
    if (zero) s.erase(0, 1);
  }
  return s;
}

}  // namespace das
