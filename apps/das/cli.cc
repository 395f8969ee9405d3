#include "cli.h"

#include <unistd.h>

#include <climits>
#include <cstdio>
#include <filesystem>

namespace das::cli {

int Report(const std::string& command, const Status& status) {
  if (status.ok()) return kExitOk;
  std::fprintf(stderr, "das %s: %s\n", command.c_str(), status.message().c_str());
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

Result<std::string> ConfigDir(const std::string& explicit_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!explicit_dir.empty()) {
    if (!fs::is_directory(explicit_dir, ec)) return Status::InvalidArgument("config folder '" + explicit_dir + "' does not exist");
    return explicit_dir;
  }
  if (fs::is_directory("config/sources", ec)) return std::string("config");
  char exe[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = '\0';
    for (fs::path p = fs::path(exe).parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
      if (fs::is_directory(p / "config" / "sources", ec)) return (p / "config").string();
    }
  }
  return Status::NotFound("no config folder found: run from the DAS repository or pass --config DIR");
}

}  // namespace das::cli
