// Internal: the publish stage of `das run` — statistics (das_stats) protected into a release (das_release).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"
#include "das/store/store.h"

namespace das::pipeline {

struct PublishInput {
  store::Store* store = nullptr;                          // not owned
  std::string config_dir;
  std::string ckm_key;                                    // "" = the development key
  std::string horizon;                                    // ISO date: latest delivery date
  std::string config_sha256;                              // of the whole config folder
  std::map<std::string, std::string> parameters;
  const std::vector<store::DeliveryInfo>* deliveries = nullptr;  // not owned
};

struct PublishResult {
  std::string release_id;
  bool is_new = false;
  std::string summary;
};

Result<PublishResult> Publish(const PublishInput& in, const Env& env);
Result<bool> HasRelease(store::Store* store);
Result<std::string> LatestReleaseId(store::Store* store);

}  // namespace das::pipeline
