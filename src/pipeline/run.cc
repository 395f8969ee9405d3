// RunPipeline: the stages in order, each skipped when its fingerprint is unchanged (see run.h).
#include "das/pipeline/run.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "das/chain/chain.h"
#include "das/contract/codelist.h"
#include "das/contract/contract.h"
#include "das/core/version.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/harmonise/concepts.h"
#include "das/harmonise/harmonise.h"
#include "das/intake/intake.h"
#include "das/link/link.h"
#include "das/seal/digest.h"
#include "das/store/store.h"
#include "publish.h"

namespace das::pipeline {
namespace {

using json = nlohmann::ordered_json;

constexpr char kRunState[] = "run_state";
constexpr char kRunLog[] = "run_log";
constexpr int kNumStages = 5;

// sha256 over every file under `dir` (recursively, in path order): relative path, NUL, size, NUL, bytes.
Status HashTree(const FileSystem& fs, const std::string& dir, const std::string& rel, std::string* acc) {
  DAS_ASSIGN_OR_RETURN(std::vector<std::string> names, fs.ListDir(dir));
  for (const std::string& name : names) {
    const std::string path = dir + "/" + name;
    const std::string rel_path = rel.empty() ? name : rel + "/" + name;
    auto sub = fs.ListDir(path);
    if (sub.ok()) {
      DAS_RETURN_IF_ERROR(HashTree(fs, path, rel_path, acc));
      continue;
    }
    DAS_ASSIGN_OR_RETURN(std::string bytes, fs.ReadFile(path));
    *acc += rel_path;
    acc->push_back('\0');
    *acc += std::to_string(bytes.size());
    acc->push_back('\0');
    *acc += seal::Sha256Hex(bytes);
    acc->push_back('\n');
  }
  return Status::Ok();
}

Result<std::string> ConfigHash(const FileSystem& fs, const std::string& config_dir,
                               const std::vector<std::string>& subdirs) {
  std::string acc;
  for (const std::string& sub : subdirs) {
    acc += "[" + sub + "]\n";
    DAS_RETURN_IF_ERROR_CTX(HashTree(fs, config_dir + "/" + sub, sub, &acc), "config/" + sub);
  }
  return seal::Sha256Hex(acc);
}

std::string Fingerprint(const std::vector<std::string>& parts) {
  std::string acc;
  for (const std::string& p : parts) {
    acc += p;
    acc.push_back('\n');
  }
  return seal::Sha256Hex(acc);
}

const char* const kStageNames[kNumStages] = {"intake", "harmonise", "link", "chain", "publish"};

// 1-based index of a stage name, or kNumStages + 1 when unknown.
int StageIndex(const std::string& name) {
  for (int i = 0; i < kNumStages; ++i) {
    if (name == kStageNames[i]) return i + 1;
  }
  return kNumStages + 1;
}

class Runner {
 public:
  Runner(const RunOptions& o, const Env& env) : o_(o), env_(env) {}

  Result<RunReport> Run() {
    const double t0 = Now();
    DAS_ASSIGN_OR_RETURN(store_, store::Store::Open(o_.store_path));
    DAS_RETURN_IF_ERROR(LoadState());
    DAS_RETURN_IF_ERROR_CTX(Intake(), "intake");
    DAS_ASSIGN_OR_RETURN(std::vector<store::DeliveryInfo> deliveries, store_->ListDeliveries());
    std::string acc;
    std::string horizon;
    for (const store::DeliveryInfo& d : deliveries) {
      if (d.status != "accepted") continue;
      acc += std::to_string(d.id) + " " + d.sha256 + "\n";
      horizon = std::max(horizon, d.delivered_on);
    }
    const std::string inputs = seal::Sha256Hex(acc);
    const std::string code(CodeVersion());

    DAS_ASSIGN_OR_RETURN(std::string h_config,
                         ConfigHash(*env_.fs, o_.config_dir, {"sources", "codelists", "concepts", "geo"}));
    const std::string fp_harmonise = Fingerprint({"harmonise", code, inputs, h_config});
    DAS_RETURN_IF_ERROR_CTX(Stage(2, "harmonise", fp_harmonise, "harmonise_unknowns", [&] { return Harmonise(); }),
                            "harmonise");
    const std::string fp_link = Fingerprint({"link", code, fp_harmonise, std::to_string(o_.jobs)});
    DAS_RETURN_IF_ERROR_CTX(Stage(3, "link", fp_link, "links", [&] { return LinkStage(); }), "link");
    const std::string fp_chain = Fingerprint({"chain", code, fp_link});
    DAS_RETURN_IF_ERROR_CTX(Stage(4, "chain", fp_chain, "chain_accounting", [&] { return ChainStage(); }), "chain");

    DAS_ASSIGN_OR_RETURN(std::string p_config,
                         ConfigHash(*env_.fs, o_.config_dir, {"stats", "protect", "geo", "codelists", "concepts"}));
    std::string params;
    for (const auto& [k, v] : o_.parameters) params += k + "=" + v + ";";
    const std::string fp_publish =
        Fingerprint({"publish", code, fp_chain, p_config, seal::Sha256Hex("ckm:" + o_.ckm_key), params});
    PublishInput pin;
    pin.store = store_.get();
    pin.config_dir = o_.config_dir;
    pin.ckm_key = o_.ckm_key;
    pin.horizon = horizon;
    pin.parameters = o_.parameters;
    pin.deliveries = &deliveries;
    DAS_ASSIGN_OR_RETURN(std::string all_config, ConfigHash(*env_.fs, o_.config_dir, AllConfigDirs()));
    pin.config_sha256 = all_config;
    DAS_ASSIGN_OR_RETURN(bool have_release, HasRelease(store_.get()));
    DAS_RETURN_IF_ERROR_CTX(Stage(5, "publish", fp_publish, have_release ? "" : "-", [&]() -> Result<std::string> {
                              DAS_ASSIGN_OR_RETURN(PublishResult pr, Publish(pin, env_));
                              report_.release_id = pr.release_id;
                              report_.release_new = pr.is_new;
                              return pr.summary;
                            }),
                            "publish");
    if (report_.release_id.empty()) {
      DAS_ASSIGN_OR_RETURN(report_.release_id, LatestReleaseId(store_.get()));
    }
    report_.seconds = Now() - t0;
    DAS_RETURN_IF_ERROR(SaveLog());
    return report_;
  }

 private:
  double Now() const {
    return env_.clock != nullptr ? static_cast<double>(env_.clock->NowMicros()) / 1e6 : 0.0;
  }
  void Emit(int index, const std::string& stage, double fraction, const std::string& message, bool done) {
    if (!o_.progress) return;
    Progress p;
    p.stage = stage;
    p.stage_index = index;
    p.num_stages = kNumStages;
    p.fraction = fraction;
    p.message = message;
    p.done = done;
    o_.progress(p);
  }

  std::vector<std::string> AllConfigDirs() const {
    std::vector<std::string> dirs;
    auto names = env_.fs->ListDir(o_.config_dir);
    if (names.ok()) {
      for (const std::string& n : *names) {
        if (env_.fs->ListDir(o_.config_dir + "/" + n).ok()) dirs.push_back(n);
      }
    }
    return dirs;
  }

  Status LoadState() {
    DAS_ASSIGN_OR_RETURN(bool has, store_->HasTable(kRunState));
    if (!has) return Status::Ok();
    DAS_ASSIGN_OR_RETURN(std::string meta, store_->GetTableMeta(kRunState));
    json j = json::parse(meta, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return Status::Corruption("run_state: the recorded fingerprints are not valid JSON");
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.value().is_string()) state_[it.key()] = it.value().get<std::string>();
    }
    return Status::Ok();
  }
  Status SaveState() {
    json j = json::object();
    for (const auto& [k, v] : state_) j[k] = v;
    return store_->PutTable(kRunState, Table(), j.dump());
  }
  Status SaveLog() {
    // run_log: one row per run (its report); the table is rewritten whole with the new row appended.
    Table log;
    DAS_ASSIGN_OR_RETURN(bool has, store_->HasTable(kRunLog));
    if (has) {
      DAS_ASSIGN_OR_RETURN(log, store_->GetTable(kRunLog));
    } else {
      log.AddColumn(Column("run", ColumnType::kInt64));
      log.AddColumn(Column("release_id", ColumnType::kString));
      log.AddColumn(Column("report", ColumnType::kString));
    }
    log.column(0).AppendInt(static_cast<std::int64_t>(log.num_rows()) + 1);
    log.column(1).AppendString(report_.release_id);
    log.column(2).AppendString(report_.ToJson());
    return store_->PutTable(kRunLog, log, "{\"stage\":\"run\"}");
  }

  // Runs `fn` when the fingerprint changed, the output table `output` is missing ("-" = known missing, "" = do
  // not check) or --force.
  template <typename Fn>
  Status Stage(int index, const std::string& name, const std::string& fp, const std::string& output, Fn fn) {
    StageReport sr;
    sr.stage = name;
    sr.fingerprint = fp;
    bool missing = output == "-";
    if (!missing && !output.empty()) {
      DAS_ASSIGN_OR_RETURN(bool has, store_->HasTable(output));
      missing = !has;
    }
    auto it = state_.find(name);
    if (!o_.force && !o_.rerun_from.empty() && index < StageIndex(o_.rerun_from) && !missing) {
      // --rerun-from a later stage: this stage's output is taken as it is in the store.
      sr.reason = "kept (--rerun-from " + o_.rerun_from + ")";
      Emit(index, name, 1, "kept: output taken as it is", true);
      report_.stages.push_back(std::move(sr));
      return Status::Ok();
    }
    if (o_.force) {
      sr.reason = "forced";
    } else if (!o_.rerun_from.empty() && index >= StageIndex(o_.rerun_from)) {
      sr.reason = "rerun from " + o_.rerun_from;
    } else if (missing) {
      sr.reason = "output missing";
    } else if (it == state_.end()) {
      sr.reason = "first run";
    } else if (it->second != fp) {
      sr.reason = "inputs changed";
    }
    if (sr.reason.empty()) {
      sr.reason = "inputs unchanged";
      Emit(index, name, 1, "skipped: inputs unchanged", true);
      report_.stages.push_back(std::move(sr));
      return Status::Ok();
    }
    Emit(index, name, -1, sr.reason, false);
    const double t = Now();
    DAS_ASSIGN_OR_RETURN(sr.summary, fn());
    sr.ran = true;
    sr.seconds = Now() - t;
    state_[name] = fp;
    DAS_RETURN_IF_ERROR(SaveState());
    Emit(index, name, 1, sr.summary, true);
    report_.stages.push_back(std::move(sr));
    return Status::Ok();
  }

  Status Intake() {
    StageReport sr;
    sr.stage = "intake";
    sr.ran = true;
    sr.reason = "every run (deliveries are recognised by sha256)";
    const double t = Now();
    DAS_ASSIGN_OR_RETURN(auto contracts, contract::ContractSet::LoadDir(o_.config_dir + "/sources", *env_.fs));
    DAS_ASSIGN_OR_RETURN(auto codelists, contract::CodeListSet::LoadDir(o_.config_dir + "/codelists/source", *env_.fs));
    DAS_ASSIGN_OR_RETURN(std::vector<intake::DeliveryRequest> requests,
                         intake::ReadManifest(o_.deliveries_dir, *env_.fs));
    intake::Config cfg;
    cfg.contracts = &contracts;
    cfg.codelists = &codelists;
    cfg.form = contract::Form::kSealed;
    std::size_t done = 0;
    Emit(1, "intake", 0, std::to_string(requests.size()) + " deliveries listed", false);
    DAS_ASSIGN_OR_RETURN(intake::BatchTotals totals,
                         intake::IntakeBatch(requests, cfg, store_.get(), env_, o_.jobs, [&](const intake::Prepared& p) {
                           ++done;
                           Emit(1, "intake", static_cast<double>(done) / static_cast<double>(requests.size()),
                                p.info.file + (p.already_stored ? " (already stored)" : ""), false);
                           return Status::Ok();
                         }));
    if (!totals.balanced()) {
      return Status::Internal("row accounting does not balance: read " + std::to_string(totals.rows_read) +
                              " != accepted " + std::to_string(totals.rows_accepted) + " + quarantined " +
                              std::to_string(totals.rows_quarantined));
    }
    report_.deliveries = static_cast<std::int64_t>(totals.deliveries);
    report_.deliveries_new = static_cast<std::int64_t>(totals.deliveries - totals.already_stored);
    report_.deliveries_rejected = static_cast<std::int64_t>(totals.rejected);
    report_.rows_read = totals.rows_read;
    report_.rows_accepted = totals.rows_accepted;
    report_.rows_quarantined = totals.rows_quarantined;
    sr.seconds = Now() - t;
    sr.summary = std::to_string(totals.deliveries) + " deliveries, " + std::to_string(report_.deliveries_new) +
                 " new (" + std::to_string(totals.rejected) + " rejected); rows read " +
                 std::to_string(totals.rows_read) + " = accepted " + std::to_string(totals.rows_accepted) +
                 " + quarantined " + std::to_string(totals.rows_quarantined);
    Emit(1, "intake", 1, sr.summary, true);
    report_.stages.push_back(std::move(sr));
    return Status::Ok();
  }

  Result<std::string> Harmonise() {
    DAS_ASSIGN_OR_RETURN(auto contracts, contract::ContractSet::LoadDir(o_.config_dir + "/sources", *env_.fs));
    DAS_ASSIGN_OR_RETURN(auto config, harmonise::LoadConfig(o_.config_dir + "/codelists", *env_.fs));
    DAS_ASSIGN_OR_RETURN(auto concepts, harmonise::LoadConcepts(o_.config_dir + "/concepts", *env_.fs, &config));
    (void)concepts;  // loaded to check the glossary against the code lists before anything is written
    DAS_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load(o_.config_dir + "/geo", env_.fs));
    DAS_ASSIGN_OR_RETURN(harmonise::Report r, harmonise::HarmoniseStore(store_.get(), contracts, config, geo, env_));
    std::int64_t rows = 0, unknown = 0;
    for (const auto& d : r.datasets) {
      rows += d.rows_out;
      unknown += d.unknown_rows;
    }
    return std::to_string(r.datasets.size()) + " datasets, " + std::to_string(rows) + " rows, " +
           std::to_string(unknown) + " rows with an unmappable code (onbekend)";
  }

  Result<std::string> LinkStage() {
    link::LinkOptions options;
    options.fs.threads = std::max(1, o_.jobs);
    DAS_ASSIGN_OR_RETURN(link::LinkResult r, link::LinkStore(*store_, options));
    const auto& c = r.counts;
    return std::to_string(c.records) + " records, " + std::to_string(c.chains) + " chain cases, " +
           std::to_string(c.persons) + " persons (bsn " + std::to_string(c.method_bsn) + ", key " +
           std::to_string(c.method_key) + ", probabilistic " + std::to_string(c.method_probabilistic) + ")";
  }

  Result<std::string> ChainStage() {
    DAS_ASSIGN_OR_RETURN(auto config, harmonise::LoadConfig(o_.config_dir + "/codelists", *env_.fs));
    chain::ChainOptions options;
    options.age_groups = &config.age_groups;
    DAS_ASSIGN_OR_RETURN(chain::Report r, chain::BuildChain(store_.get(), options, env_));
    return std::to_string(r.persons) + " persons, " + std::to_string(r.cases) + " cases, " +
           std::to_string(r.units) + " stage units, " + std::to_string(r.unplaced) + " records unplaced";
  }

  const RunOptions& o_;
  const Env& env_;
  std::unique_ptr<store::Store> store_;
  std::map<std::string, std::string> state_;
  RunReport report_;
};

}  // namespace

std::string RunReport::ToJson() const {
  json j;
  j["release_id"] = release_id;
  j["release_new"] = release_new;
  j["deliveries"] = {{"listed", deliveries}, {"new", deliveries_new}, {"rejected", deliveries_rejected}};
  j["rows"] = {{"read", rows_read}, {"accepted", rows_accepted}, {"quarantined", rows_quarantined},
               {"balanced", rows_read == rows_accepted + rows_quarantined}};
  j["stages"] = json::array();
  for (const StageReport& s : stages) {
    j["stages"].push_back({{"stage", s.stage}, {"ran", s.ran}, {"reason", s.reason}, {"seconds", s.seconds},
                           {"summary", s.summary}, {"fingerprint", s.fingerprint}});
  }
  j["seconds"] = seconds;
  return j.dump();
}

std::string RunReport::ToText() const {
  std::string out;
  char buf[64];
  for (const StageReport& s : stages) {
    std::snprintf(buf, sizeof buf, "%-10s %-4s %7.1f s  ", s.stage.c_str(), s.ran ? "ran" : "skip", s.seconds);
    out += buf;
    out += s.ran ? s.summary : s.reason;
    if (s.ran && !s.reason.empty()) out += " [" + s.reason + "]";
    out += '\n';
  }
  std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  out += "run: release " + (release_id.empty() ? std::string("(none)") : release_id) +
         (release_new ? " (new)" : " (unchanged)") + " in " + buf + "\n";
  return out;
}

Result<RunReport> RunPipeline(const RunOptions& options, const Env& env) {
  if (options.store_path.empty()) return Status::InvalidArgument("run: no store given");
  if (options.deliveries_dir.empty()) return Status::InvalidArgument("run: no deliveries folder given");
  if (options.config_dir.empty()) return Status::InvalidArgument("run: no config folder given");
  if (!options.rerun_from.empty() && (StageIndex(options.rerun_from) > kNumStages || options.rerun_from == "intake")) {
    return Status::InvalidArgument("run: --rerun-from '" + options.rerun_from +
                                   "': expected harmonise, link, chain or publish");
  }
  Runner runner(options, env);
  return runner.Run();
}

}  // namespace das::pipeline
