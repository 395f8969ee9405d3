// das harmonise: map the source codes of every staged dataset to harmonised classifications (h_<dataset>),
// count what could not be mapped (harmonise_unknowns) and print the report.
#include <cstdio>

#include "cli.h"
#include "das/contract/contract.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/harmonise/concepts.h"
#include "das/harmonise/harmonise.h"
#include "das/store/store.h"

namespace das::cli {
namespace {

int RunHarmonise(const std::string& store_path, const std::string& config_arg) {
  const std::string cmd = "harmonise";
  auto config_dir = ConfigDir(config_arg);
  if (!config_dir.ok()) return Report(cmd, config_dir.status());
  Env env = Env::Default();
  auto contracts = contract::ContractSet::LoadDir(*config_dir + "/sources", *env.fs);
  if (!contracts.ok()) return Report(cmd, contracts.status());
  auto config = harmonise::LoadConfig(*config_dir + "/codelists", *env.fs);
  if (!config.ok()) return Report(cmd, config.status());
  auto concepts = harmonise::LoadConcepts(*config_dir + "/concepts", *env.fs, &*config);
  if (!concepts.ok()) return Report(cmd, concepts.status());
  auto geo = geo::Geography::Load(*config_dir + "/geo", env.fs);
  if (!geo.ok()) return Report(cmd, geo.status());
  auto store = store::Store::Open(store_path);
  if (!store.ok()) return Report(cmd, store.status());
  auto report = harmonise::HarmoniseStore(store->get(), *contracts, *config, *geo, env);
  if (!report.ok()) return Report(cmd, report.status());
  std::fputs(harmonise::FormatReport(*report).c_str(), stdout);
  return kExitOk;
}

}  // namespace

void AddHarmoniseCommand(CLI::App& app, Runner& runner) {
  CLI::App* cmd = app.add_subcommand(
      "harmonise",
      "Harmonise every staged dataset in a store: source codes to CBS classifications (SCM, decisions,\n"
      "sanctions, age groups, 2024 regions) in tables h_<dataset>; codes that cannot be mapped become\n"
      "'onbekend' and are counted per dataset, field and code (table harmonise_unknowns, printed).");
  auto store = std::make_shared<std::string>();
  auto config = std::make_shared<std::string>();
  cmd->add_option("--store", *store, "SQLite store file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--config", *config, "config folder (default: ./config or the source tree's)");
  cmd->callback([store, config, &runner] { runner = [store, config] { return RunHarmonise(*store, *config); }; });
}

}  // namespace das::cli
