// das run: every stage from intake to release, incrementally, with a progress display and a run report.
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli.h"
#include "das/pipeline/run.h"

namespace das::cli {
namespace {

struct RunCliOptions {
  std::string store_path;
  std::string deliveries_dir;
  std::string config;
  std::string report_path;
  std::string ckm_key_file;
  std::string rerun_from;
  int jobs = 2;
  bool force = false;
  bool json = false;
};

// On a terminal: one line per stage, redrawn in place while it runs; otherwise one log line per stage event.
class ProgressDisplay {
 public:
  ProgressDisplay() : tty_(::isatty(STDERR_FILENO) == 1) {}
  void operator()(const pipeline::Progress& p) {
    char head[64];
    std::snprintf(head, sizeof head, "[%d/%d] %-9s", p.stage_index, p.num_stages, p.stage.c_str());
    std::string bar;
    if (p.fraction >= 0 && !p.done) {
      const int filled = static_cast<int>(p.fraction * 20 + 0.5);
      bar = " [" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(20 - filled), '.') +
            "] " + std::to_string(static_cast<int>(p.fraction * 100 + 0.5)) + "%";
    }
    std::string msg = p.message;
    if (tty_) {
      if (msg.size() > 70) msg = msg.substr(0, 67) + "...";
      std::fprintf(stderr, "\r\033[K%s%s %s%s", head, bar.c_str(), p.done ? "done: " : "", msg.c_str());
      if (p.done) std::fputc('\n', stderr);
    } else if (p.done || p.fraction < 0) {
      // Logs get the stage start and end only, not every delivery.
      std::fprintf(stderr, "%s %s%s\n", head, p.done ? "done: " : "start: ", msg.c_str());
    }
    std::fflush(stderr);
  }

 private:
  bool tty_;
};

int RunRun(const RunCliOptions& o) {
  const std::string cmd = "run";
  Env env = Env::Default();
  auto config_dir = ConfigDir(o.config);
  if (!config_dir.ok()) return Report(cmd, config_dir.status());
  pipeline::RunOptions options;
  options.store_path = o.store_path;
  options.deliveries_dir = o.deliveries_dir;
  options.config_dir = *config_dir;
  options.jobs = o.jobs;
  options.force = o.force;
  options.rerun_from = o.rerun_from;
  if (!o.ckm_key_file.empty()) {
    auto key = env.fs->ReadFile(o.ckm_key_file);
    if (!key.ok()) return Report(cmd, key.status().WithContext("--ckm-key"));
    options.ckm_key = *key;
  }
  auto display = std::make_shared<ProgressDisplay>();
  options.progress = [display](const pipeline::Progress& p) { (*display)(p); };
  auto report = pipeline::RunPipeline(options, env);
  if (!report.ok()) return Report(cmd, report.status());
  std::fputs(o.json ? (report->ToJson() + "\n").c_str() : report->ToText().c_str(), stdout);
  if (!o.report_path.empty()) {
    Status st = env.fs->WriteFile(o.report_path, report->ToJson() + "\n");
    if (!st.ok()) return Report(cmd, st);
  }
  return report->deliveries_rejected > 0 ? kExitFailure : kExitOk;
}

}  // namespace

void AddRunCommand(CLI::App& app, Runner& runner) {
  auto o = std::make_shared<RunCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run every stage from intake to release, incrementally: intake (deliveries already stored are skipped),\n"
      "harmonise, link, chain, and publish (statistics, disclosure control, a new release when anything changed).\n"
      "A stage runs only when what it reads changed since the last run (run_state in the store). DIR is laid out\n"
      "as 'das generate' writes it (manifest.csv); its _truth and _keys folders are never read.\n"
      "Exit 1 if a delivery was rejected (the run still completes).");
  cmd->add_option("--store", o->store_path, "SQLite store file (created if missing)")->required();
  cmd->add_option("--deliveries", o->deliveries_dir, "deliveries folder with a manifest.csv")
      ->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--config", o->config, "config folder (default: ./config or the source tree's)");
  cmd->add_option("--jobs", o->jobs, "parallel work (intake deliveries, link threads)")->check(CLI::Range(1, 64));
  cmd->add_option("--ckm-key", o->ckm_key_file,
                  "file with the secret of the cell key method (default: a development key, recorded as such)");
  cmd->add_option("--report", o->report_path, "also write the run report (JSON) to this file");
  cmd->add_flag("--force", o->force, "rerun every stage");
  cmd->add_option("--rerun-from", o->rerun_from, "rerun this stage and the later ones even if unchanged")
      ->check(CLI::IsMember({"harmonise", "link", "chain", "publish"}));
  cmd->add_flag("--json", o->json, "print the run report as JSON");
  cmd->callback([o, &runner] { runner = [o] { return RunRun(*o); }; });
}

}  // namespace das::cli
