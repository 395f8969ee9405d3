// das chain: build the chain model (persons, cases, events, stage units, sanctions, executions) from the
// harmonised and linked tables of a store, and print the row accounting.
#include <cstdio>
#include <memory>

#include "cli.h"
#include "das/chain/chain.h"
#include "das/harmonise/codelists.h"
#include "das/store/store.h"

namespace das::cli {
namespace {

struct ChainCliOptions {
  std::string store_path;
  std::string config;
  std::string horizon;
  bool json = false;
};

int RunChain(const ChainCliOptions& o) {
  const std::string cmd = "chain";
  Env env = Env::Default();
  auto config_dir = ConfigDir(o.config);
  if (!config_dir.ok()) return Report(cmd, config_dir.status());
  auto config = harmonise::LoadConfig(*config_dir + "/codelists", *env.fs);
  if (!config.ok()) return Report(cmd, config.status());
  chain::ChainOptions options;
  options.age_groups = &config->age_groups;
  if (!o.horizon.empty()) {
    auto h = ParseDate(o.horizon, DateFormat::kIso);
    if (!h.ok()) {
      std::fprintf(stderr, "das chain: --horizon: %s\n", h.status().message().c_str());
      return kExitUsage;
    }
    options.horizon = *h;
  }
  auto store = store::Store::Open(o.store_path);
  if (!store.ok()) return Report(cmd, store.status());
  auto report = chain::BuildChain(store->get(), options, env);
  if (!report.ok()) return Report(cmd, report.status());
  std::fputs(o.json ? (report->ToJson() + "\n").c_str() : report->ToText().c_str(), stdout);
  return kExitOk;
}

}  // namespace

void AddChainCommand(CLI::App& app, Runner& runner) {
  auto o = std::make_shared<ChainCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "chain",
      "Build the chain model from the harmonised (h_*) and linked (links) tables: chain_persons,\n"
      "chain_person_residence, chain_cases, chain_events, chain_stage_units (entry/exit per stage, for flows\n"
      "and stocks), chain_sanctions, chain_executions and chain_accounting. See docs/chain-model.md.");
  cmd->add_option("--store", o->store_path, "SQLite store file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--config", o->config, "config folder (default: ./config or the source tree's)");
  cmd->add_option("--horizon", o->horizon,
                  "date (yyyy-mm-dd) at which cases are open or closed (default: the latest delivery date)");
  cmd->add_flag("--json", o->json, "print the report as JSON");
  cmd->callback([o, &runner] { runner = [o] { return RunChain(*o); }; });
}

}  // namespace das::cli
