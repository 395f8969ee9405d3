// das store: look into a store (list deliveries, check invariants).
#include <cstdio>

#include "cli.h"
#include "das/store/store.h"

namespace das::cli {
namespace {

int RunList(const std::string& path) {
  auto store = store::Store::Open(path);
  if (!store.ok()) return Report("store list", store.status());
  auto list = (*store)->ListDeliveries();
  if (!list.ok()) return Report("store list", list.status());
  std::printf("%5s  %-9s %-10s %-26s %-9s %10s %10s %10s  %s\n", "id", "status", "kind", "contract", "period",
              "read", "accepted", "quarant.", "file");
  for (const auto& d : *list)
    std::printf("%5lld  %-9s %-10s %-26s %-9s %10lld %10lld %10lld  %s\n", static_cast<long long>(d.id),
                d.status.c_str(), d.kind.c_str(), d.contract.c_str(), d.period.c_str(),
                static_cast<long long>(d.rows_read), static_cast<long long>(d.rows_accepted),
                static_cast<long long>(d.rows_quarantined), d.file.c_str());
  return kExitOk;
}

int RunCheck(const std::string& path) {
  auto store = store::Store::Open(path);
  if (!store.ok()) return Report("store check", store.status());
  auto problems = (*store)->Check();
  if (!problems.ok()) return Report("store check", problems.status());
  for (const auto& p : *problems) std::fprintf(stderr, "das store check: %s\n", p.c_str());
  auto list = (*store)->ListDeliveries();
  std::printf("store %s: %zu deliveries, %s\n", path.c_str(), list.ok() ? list->size() : 0,
              problems->empty() ? "sound" : "PROBLEMS FOUND");
  return problems->empty() ? kExitOk : kExitFailure;
}

}  // namespace

void AddStoreCommand(CLI::App& app, Runner& runner) {
  CLI::App* cmd = app.add_subcommand("store", "Look into a store: list its deliveries or check its invariants.");
  cmd->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  CLI::App* list = cmd->add_subcommand("list", "List the deliveries in a store with their row counts.");
  list->add_option("--store", *path, "SQLite store file")->required()->check(CLI::ExistingFile);
  list->callback([path, &runner] { runner = [path] { return RunList(*path); }; });
  CLI::App* check = cmd->add_subcommand(
      "check", "Verify a store: SQLite integrity, every delivery complete and its rows accounted for.\n"
               "Exit 1 if a problem is found.");
  check->add_option("--store", *path, "SQLite store file")->required()->check(CLI::ExistingFile);
  check->callback([path, &runner] { runner = [path] { return RunCheck(*path); }; });
}

}  // namespace das::cli
