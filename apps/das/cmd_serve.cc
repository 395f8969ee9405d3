// das serve --store FILE.db [--port 8080] [--address 127.0.0.1] [--release ID] [--web DIR] [--threads N]
// Serves a release of the store read-only: OData v3/v4 as CBS, downloads, releases, glossary, the dashboard's
// static files (see docs/api.md). Prints the URL when listening; stops on SIGINT/SIGTERM.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "cli.h"
#include "das/core/env.h"
#include "das/harmonise/concepts.h"
#include "das/release/build.h"
#include "das/release/release.h"
#include "das/serve/handler.h"
#include "das/serve/server.h"
#include "das/store/store.h"

namespace das::cli {
namespace {

struct ServeArgs {
  std::string store;
  std::string release = "latest";
  std::string web;
  std::string config;
  std::string address = "127.0.0.1";
  int port = 8080;
  int threads = 2;
  int max_connections = 1024;
};

int RunServe(const ServeArgs& args) {
  const char* kCmd = "serve";
  if (args.port < 0 || args.port > 65535) return Report(kCmd, Status::InvalidArgument("--port must be 0..65535"));
  if (args.threads < 1 || args.threads > 64) return Report(kCmd, Status::InvalidArgument("--threads must be 1..64"));
  auto store = store::Store::Open(args.store);
  if (!store.ok()) return Report(kCmd, store.status());
  serve::ServedState state;
  auto releases = release::ListReleases(store->get());
  if (!releases.ok()) return Report(kCmd, releases.status());
  if (releases->empty()) {
    return Report(kCmd, Status::NotFound("store " + args.store + " has no release yet: run das run (or das releases build)"));
  }
  auto rel = release::LoadRelease(store->get(), args.release);
  if (!rel.ok()) return Report(kCmd, rel.status());
  state.releases = std::move(*releases);
  state.manifest_json = rel->manifest.ToJson();
  state.release = std::move(*rel);

  Env env = Env::Default();
  auto config_dir = ConfigDir(args.config);
  if (config_dir.ok()) {
    auto concepts = harmonise::LoadConcepts(*config_dir + "/concepts", *env.fs, nullptr);
    if (!concepts.ok()) return Report(kCmd, concepts.status());
    state.concepts = std::move(*concepts);
  }
  std::string web = args.web;
  if (web.empty() && config_dir.ok()) {
    std::filesystem::path dist = std::filesystem::path(*config_dir).parent_path() / "web" / "dist";
    std::error_code ec;
    if (std::filesystem::is_directory(dist, ec)) web = dist.string();
  }
  if (!web.empty() && !std::filesystem::is_directory(web)) {
    return Report(kCmd, Status::InvalidArgument("--web: '" + web + "' is not a folder"));
  }
  state.web_root = web;
  // The store is used by one thread at a time; diffs are rare, so one lock suffices.
  std::shared_ptr<store::Store> shared_store(std::move(*store));
  auto store_mu = std::make_shared<std::mutex>();
  state.diff_json = [shared_store, store_mu](const std::string& a, const std::string& b) -> Result<std::string> {
    std::lock_guard lock(*store_mu);
    DAS_ASSIGN_OR_RETURN(release::Release ra, release::LoadRelease(shared_store.get(), a));
    DAS_ASSIGN_OR_RETURN(release::Release rb, release::LoadRelease(shared_store.get(), b));
    return release::Diff(ra, rb).ToJson();
  };
  state.fs = env.fs;
  const std::string release_id = state.release.manifest.release_id;
  const std::size_t num_tables = state.release.tables.size();
  serve::Handler handler(std::move(state));
  serve::ServerOptions options;
  options.address = args.address;
  options.port = static_cast<std::uint16_t>(args.port);
  options.threads = args.threads;
  options.max_connections = static_cast<std::size_t>(args.max_connections);
  options.on_listening = [&](std::uint16_t port) {
    std::printf("das serve: release %s (%zu tables) at http://%s:%u/  (Ctrl-C stops)\n", release_id.c_str(),
                num_tables, args.address.c_str(), static_cast<unsigned>(port));
    std::fflush(stdout);
  };
  serve::Server server(&handler, options);
  Status st = server.Run();
  if (!st.ok()) return Report(kCmd, st);
  std::printf("das serve: stopped\n");
  return kExitOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve a release as CBS-compatible OData, downloads and the dashboard");
  cmd->add_option("--store", args->store, "Store file (SQLite)")->required();
  cmd->add_option("--release", args->release, "Release id to serve (default: the latest)");
  cmd->add_option("--port", args->port, "TCP port (0 = any free port)");
  cmd->add_option("--address", args->address, "Address to listen on");
  cmd->add_option("--web", args->web, "Static web root (default: web/dist of the source tree)");
  cmd->add_option("--threads", args->threads, "I/O threads");
  cmd->add_option("--max-connections", args->max_connections, "Concurrent connections before 503");
  cmd->add_option("--config", args->config, "Config folder (for the glossary)");
  cmd->callback([args, &runner] { runner = [args] { return RunServe(*args); }; });
}

}  // namespace das::cli
