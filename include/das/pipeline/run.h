// `das run`: every stage from intake to release, incrementally.
//
//   intake     every delivery listed in DIR/manifest.csv (already stored ones are recognised by sha256 and
//              skipped); DIR's _truth and _keys folders are never read
//   harmonise  h_<dataset> tables                       (das_harmonise)
//   link       links, link_events, ...                  (das_link)
//   chain      chain_* tables                           (das_chain)
//   publish    statistics (das_stats) protected and written as a release (das_release)
//
// Incremental: each stage has a fingerprint — a sha256 over what it reads: the accepted deliveries (id and
// sha256), the config files it uses, the code version and its parameters — recorded in the store (table
// run_state) when it completes. A stage runs only when its fingerprint differs from the recorded one or its
// output is missing; a stage that runs makes every later stage's fingerprint change (it includes the
// previous stage's). So a rerun on the same folder does nothing but intake's hash check, a new delivery
// reruns the stages after intake, and a changed config/protect reruns publish only. Every run appends one
// row to the table run_log (its report as JSON).
//
// Determinism: nothing here reads the wall clock except for timings in the report; the release is a function
// of (deliveries, config, code version, parameters) only.
// Threading: RunPipeline uses the store from the calling thread only; stages may use worker threads.
// Errors: the first failing stage's status, with the stage named; earlier stages' work stays committed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"

namespace das::pipeline {

// A progress event (for a terminal display or a log).
struct Progress {
  std::string stage;        // intake, harmonise, link, chain, publish
  int stage_index = 0;      // 1..num_stages
  int num_stages = 0;
  double fraction = -1;     // 0..1 within the stage, or -1 when unknown
  std::string message;      // e.g. "om_zaken_2023.csv (12/398)", "skipped: inputs unchanged"
  bool done = false;        // the stage finished (ran or skipped)
};

struct RunOptions {
  std::string store_path;
  std::string deliveries_dir;
  std::string config_dir;
  int jobs = 2;                     // intake: deliveries prepared at once; link: threads
  bool force = false;               // rerun every stage regardless of fingerprints
  // Rerun this stage and every later one (harmonise, link, chain, publish); earlier stages whose output exists
  // are kept as they are in the store, whatever their fingerprints (e.g. to recompute statistics only).
  std::string rerun_from;
  std::string ckm_key;              // secret of the cell key method's record keys; "" = the development key
  std::map<std::string, std::string> parameters;  // recorded in the release (e.g. seed, scale from a manifest)
  std::function<void(const Progress&)> progress;  // may be empty
};

struct StageReport {
  std::string stage;
  bool ran = false;
  std::string reason;               // why it ran or was skipped
  double seconds = 0;
  std::string summary;              // one line
  std::string fingerprint;
};

struct RunReport {
  std::vector<StageReport> stages;
  std::int64_t deliveries = 0, deliveries_new = 0, deliveries_rejected = 0;
  std::int64_t rows_read = 0, rows_accepted = 0, rows_quarantined = 0;  // of the new deliveries
  std::string release_id;           // the release current after the run
  bool release_new = false;         // this run wrote it
  double seconds = 0;
  std::string ToJson() const;
  std::string ToText() const;
};

Result<RunReport> RunPipeline(const RunOptions& options, const Env& env);

}  // namespace das::pipeline
