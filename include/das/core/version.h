// The code version recorded in every release: the DAS version and the git commit the build was configured from.
#pragma once

#include <string_view>

namespace das {

// e.g. "0.5.0+8518501" ("+unknown" when the source tree was not a git checkout at configure time).
std::string_view CodeVersion();

}  // namespace das
