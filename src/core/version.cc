#include "das/core/version.h"

#ifndef DAS_VERSION_STRING
#define DAS_VERSION_STRING "0.0.0+unknown"
#endif

namespace das {

std::string_view CodeVersion() { return DAS_VERSION_STRING; }

}  // namespace das
