// Fixed-point text of published numbers, shared by the release's canonical CSV and the API's untyped output.
#pragma once

#include <string>

namespace das {

// `v` with `decimals` digits after the point (clamped to 0..9), '.' as decimal separator, never "-0".
std::string FormatFixed(double v, int decimals);

}  // namespace das
