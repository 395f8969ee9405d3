#include "cli.h"

#include <cstdio>

namespace das::cli {

int Report(const std::string& command, const Status& status) {
  if (status.ok()) return kExitOk;
  std::fprintf(stderr, "das %s: %s\n", command.c_str(), status.message().c_str());
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

}  // namespace das::cli
