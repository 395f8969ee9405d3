// The publish stage: flows, throughput, key figures, recidivism, survey, fines and persons (das_stats), then
// protection and the release (das_release).
#include "publish.h"

#include <algorithm>

#include "das/core/version.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/protect/ckm.h"
#include "das/protect/protect.h"
#include "das/release/build.h"
#include "das/release/release.h"
#include "das/stats/figures.h"
#include "das/stats/stats.h"

namespace das::pipeline {
namespace {

// Used when no --ckm-key is given; recorded in the release parameters so nobody mistakes a development release
// for a publishable one.
constexpr char kDevelopmentCkmKey[] = "das-development-ckm-key-not-for-publication";

double Seconds(const Env& env) {
  return env.clock != nullptr ? static_cast<double>(env.clock->NowMicros()) / 1e6 : 0.0;
}

}  // namespace

Result<PublishResult> Publish(const PublishInput& in, const Env& env) {
  const std::string& cfg = in.config_dir;
  auto horizon = ParseDate(in.horizon, DateFormat::kIso);
  if (!horizon.ok()) {
    return Status::FailedPrecondition("publish: no accepted delivery with a delivery date (horizon '" + in.horizon +
                                      "')");
  }
  DAS_ASSIGN_OR_RETURN(auto harm, harmonise::LoadConfig(cfg + "/codelists", *env.fs));
  DAS_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load(cfg + "/geo", env.fs));
  DAS_ASSIGN_OR_RETURN(stats::StatsConfig stats_config, stats::StatsConfig::Load(cfg + "/stats", *env.fs));
  DAS_ASSIGN_OR_RETURN(stats::FiguresConfig figures_config, stats::LoadFiguresConfig(cfg, *env.fs));
  const std::string secret = in.ckm_key.empty() ? std::string(kDevelopmentCkmKey) : in.ckm_key;

  // The years published: from the first to the last year of accepted deliveries' periods.
  int from_year = 0, to_year = 0;
  for (const store::DeliveryInfo& d : *in.deliveries) {
    if (d.status != "accepted") continue;
    auto p = Period::Parse(d.period);
    if (!p.ok()) continue;
    const int y = p->year();
    from_year = from_year == 0 ? y : std::min(from_year, y);
    to_year = std::max(to_year, y);
  }
  if (from_year == 0) return Status::FailedPrecondition("publish: no accepted delivery with a period");

  stats::StatsOptions so;
  so.from_year = from_year;
  so.to_year = to_year;
  so.final_date = *horizon;
  so.record_key_secret = secret;
  so.geography = &geo;
  so.age_groups = &harm.age_groups;
  auto scm = harm.targets.find("scm2010");
  if (scm == harm.targets.end()) return Status::FailedPrecondition("publish: config/codelists has no scm2010 list");
  so.scm = &scm->second;
  for (const auto& [name, list] : harm.targets) so.codelists.push_back(&list);

  const double t0 = Seconds(env);
  stats::FlowReport flow_report;
  DAS_ASSIGN_OR_RETURN(std::vector<stats::StatTable> tables,
                       stats::ComputeFlowTables(in.store, stats_config, so, env, &flow_report));
  DAS_ASSIGN_OR_RETURN(std::vector<stats::StatTable> throughput,
                       stats::ComputeThroughputTables(in.store, stats_config, so, env));
  stats::FiguresOptions fo;
  fo.geography = &geo;
  fo.age_groups = &harm.age_groups;
  fo.from_year = from_year;
  fo.to_year = to_year;
  fo.horizon = *horizon;
  fo.record_key_secret = secret;
  DAS_ASSIGN_OR_RETURN(std::vector<stats::StatTable> figures,
                       stats::ComputeAllFigures(in.store, figures_config, fo, env));
  for (auto& t : throughput) tables.push_back(std::move(t));
  for (auto& t : figures) tables.push_back(std::move(t));
  const double t1 = Seconds(env);

  release::BuildOptions bo;
  DAS_ASSIGN_OR_RETURN(std::string rules_text, env.fs->ReadFile(cfg + "/protect/rules.toml"));
  DAS_ASSIGN_OR_RETURN(bo.rules, protect::RulesConfig::Parse(rules_text, "config/protect/rules.toml"));
  bo.joint_audit_max_vars = bo.rules.joint_audit_max_vars();
  DAS_ASSIGN_OR_RETURN(std::string ptable_text, env.fs->ReadFile(cfg + "/protect/ptable_D3_V2_js2.csv"));
  DAS_ASSIGN_OR_RETURN(bo.ptable, protect::PTable::FromCsv(ptable_text, "config/protect/ptable_D3_V2_js2.csv"));
  bo.provenance.horizon = in.horizon;
  bo.provenance.code_version = std::string(CodeVersion());
  bo.provenance.config_sha256 = in.config_sha256;
  bo.provenance.parameters = in.parameters;
  bo.provenance.parameters["ckm_key"] = in.ckm_key.empty() ? "development (not for publication)" : "given";
  bo.provenance.parameters["years"] = std::to_string(from_year) + "-" + std::to_string(to_year);
  for (const store::DeliveryInfo& d : *in.deliveries) {
    if (d.status != "accepted") continue;
    release::Manifest::Input input;
    input.dataset = d.dataset;
    input.file = d.file;
    input.sha256 = d.sha256;
    input.period = d.period;
    input.rows_accepted = d.rows_accepted;
    input.rows_quarantined = d.rows_quarantined;
    bo.provenance.inputs.push_back(std::move(input));
  }
  std::sort(bo.provenance.inputs.begin(), bo.provenance.inputs.end(),
            [](const release::Manifest::Input& a, const release::Manifest::Input& b) {
              return std::tie(a.dataset, a.file, a.sha256) < std::tie(b.dataset, b.file, b.sha256);
            });
  release::BuildStats bs;
  DAS_ASSIGN_OR_RETURN(release::Manifest manifest, release::BuildRelease(in.store, tables, bo, env, &bs));
  const double t2 = Seconds(env);

  PublishResult r;
  r.release_id = manifest.release_id;
  r.is_new = !bs.reused;
  char buf[160];
  std::snprintf(buf, sizeof buf, " (statistics %.1f s, protection and release %.1f s)", t1 - t0, t2 - t1);
  r.summary = std::to_string(bs.tables) + " tables, " + std::to_string(bs.cells) + " cells: " +
              std::to_string(bs.published) + " published, " + std::to_string(bs.suppressed) + " suppressed, " +
              std::to_string(bs.unavailable) + " unavailable; release " + manifest.release_id +
              (bs.reused ? " (same content as an existing release)" : " (new)") + buf + "; linked " +
              std::to_string(bs.linked_vars) + " statistics, " + std::to_string(bs.forced) +
              " suppressed for consistency, " + std::to_string(bs.components_too_large) +
              " linked components above the joint-attack limit";
  return r;
}

Result<bool> HasRelease(store::Store* store) {
  DAS_ASSIGN_OR_RETURN(auto list, release::ListReleases(store));
  return !list.empty();
}

Result<std::string> LatestReleaseId(store::Store* store) {
  DAS_ASSIGN_OR_RETURN(auto list, release::ListReleases(store));
  return list.empty() ? std::string() : list.back().release_id;
}

}  // namespace das::pipeline
