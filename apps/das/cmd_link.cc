// das link: case and person linkage over the current rows of a store; optionally evaluated against the
// generator's ground truth.
#include <cstdio>
#include <memory>

#include "cli.h"
#include "das/core/env.h"
#include "das/link/link.h"
#include "das/store/store.h"

namespace das::cli {
namespace {

struct LinkCliOptions {
  std::string store_path;
  std::string evaluate_dir;
  std::string report_path;
  bool quiet = false;
  bool no_probabilistic = false;
  link::FsOptions fs;
};

int RunLink(const LinkCliOptions& o) {
  auto store = store::Store::Open(o.store_path);
  if (!store.ok()) return Report("link", store.status());
  link::LinkOptions options;
  options.fs = o.fs;
  options.probabilistic = !o.no_probabilistic;
  auto result = link::LinkStore(**store, options);
  if (!result.ok()) return Report("link", result.status());
  if (!o.quiet) std::printf("%s\n", result->report_json.c_str());
  const auto& c = result->counts;
  std::printf("link: %llu records, %llu chain cases, %llu persons; person link method: bsn %llu, key %llu, "
              "probabilistic %llu, none %llu; %llu unlinked findings, %llu pairs in the review band\n",
              static_cast<unsigned long long>(c.records), static_cast<unsigned long long>(c.chains),
              static_cast<unsigned long long>(c.persons), static_cast<unsigned long long>(c.method_bsn),
              static_cast<unsigned long long>(c.method_key), static_cast<unsigned long long>(c.method_probabilistic),
              static_cast<unsigned long long>(c.method_none), static_cast<unsigned long long>(c.unlinked_findings),
              static_cast<unsigned long long>(c.review_pairs));
  Env env = Env::Default();
  if (!o.report_path.empty()) {
    Status st = env.fs->WriteFile(o.report_path, result->report_json + "\n");
    if (!st.ok()) return Report("link", st);
  }
  if (!o.evaluate_dir.empty()) {
    auto truth = env.fs->ReadFile(o.evaluate_dir + "/records.csv");
    if (!truth.ok()) return Report("link", truth.status().WithContext("--evaluate"));
    auto ev = link::EvaluateStore(**store, *truth);
    if (!ev.ok()) return Report("link", ev.status());
    std::printf("%s", ev->ToText().c_str());
    Status st = (*store)->PutTable("link_evaluation", Table(), ev->ToJson());
    if (!st.ok()) return Report("link", st);
  }
  return kExitOk;
}

}  // namespace

void AddLinkCommand(CLI::App& app, Runner& runner) {
  auto o = std::make_shared<LinkCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "link",
      "Link records into chain cases (by pv-nummer and parketnummer) and persons (BSN pseudonym, KvK, case\n"
      "chain, then Fellegi-Sunter on the Bloom-filter encodings). Writes the tables links, link_rates,\n"
      "link_events, link_unlinked and link_review to the store and prints the JSON report.");
  cmd->add_option("--store", o->store_path, "SQLite store file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--evaluate", o->evaluate_dir,
                  "ground-truth folder of 'das generate' (DIR/_truth): print precision, recall and F1")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--report", o->report_path, "also write the JSON report to this file");
  cmd->add_flag("--quiet", o->quiet, "do not print the JSON report");
  cmd->add_flag("--deterministic-only", o->no_probabilistic, "skip probabilistic person linkage");
  cmd->add_option("--match-threshold", o->fs.match_threshold, "match weight at or above which pairs are linked")
      ->capture_default_str();
  cmd->add_option("--review-threshold", o->fs.review_threshold, "lower bound of the review band (match weight)")
      ->capture_default_str();
  cmd->add_option("--threads", o->fs.threads, "worker threads")->capture_default_str()->check(CLI::Range(1, 64));
  cmd->add_option("--seed", o->fs.seed, "seed of the u sampling")->capture_default_str();
  cmd->callback([o, &runner] {
    runner = [o] {
      if (o->fs.review_threshold > o->fs.match_threshold) {
        std::fprintf(stderr, "das link: --review-threshold must not exceed --match-threshold\n");
        return kExitUsage;
      }
      return RunLink(*o);
    };
  });
}

}  // namespace das::cli
