// Shared plumbing of the `das` subcommands: how a command reports its outcome.
//
// Exit codes: 0 success, 1 the work failed (bad data, I/O), 2 bad usage (unknown option, missing argument).
// Errors go to stderr as one line: "das <command>: <message>".
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "das/core/status.h"

namespace das::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// The action a parsed subcommand will run; set by the subcommand's callback.
using Runner = std::function<int()>;

// Prints a failed status on stderr as one line and returns the exit code for it.
int Report(const std::string& command, const Status& status);

// The config folder: `explicit_dir` if given; else ./config if it exists; else the config folder of the
// source tree the executable was built from (build/<preset>/das -> <repo>/config).
Result<std::string> ConfigDir(const std::string& explicit_dir);

// Registration functions, one per cmd_<name>.cc.
void AddGenerateCommand(CLI::App& app, Runner& runner);
void AddKeysCommand(CLI::App& app, Runner& runner);
void AddPreviewCommand(CLI::App& app, Runner& runner);
void AddIntakeCommand(CLI::App& app, Runner& runner);
void AddStoreCommand(CLI::App& app, Runner& runner);
void AddSealCommand(CLI::App& app, Runner& runner);
void AddLinkCommand(CLI::App& app, Runner& runner);
void AddExportCommand(CLI::App& app, Runner& runner);
void AddHarmoniseCommand(CLI::App& app, Runner& runner);
void AddChainCommand(CLI::App& app, Runner& runner);
void AddReleasesCommand(CLI::App& app, Runner& runner);
void AddServeCommand(CLI::App& app, Runner& runner);
void AddRunCommand(CLI::App& app, Runner& runner);

}  // namespace das::cli
