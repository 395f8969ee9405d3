// IntakeBatch: parallel Prepare, ordered Commit.
#include <algorithm>
#include <deque>
#include <future>
#include <mutex>

#include "das/intake/intake.h"

namespace das::intake {

Result<BatchTotals> IntakeBatch(const std::vector<DeliveryRequest>& requests, const Config& config,
                                store::Store* store, const Env& env, int jobs,
                                const std::function<Status(const Prepared&)>& on_done) {
  BatchTotals totals;
  // Deliveries stored before this batch are recognised by hash without being parsed.
  std::map<std::string, store::DeliveryInfo> stored;
  DAS_ASSIGN_OR_RETURN(std::vector<store::DeliveryInfo> listed, store->ListDeliveries());
  for (store::DeliveryInfo& d : listed) {
    std::string sha = d.sha256;
    stored.emplace(std::move(sha), std::move(d));
  }
  Config cfg = config;
  cfg.stored_by_hash = &stored;
  std::deque<std::future<Result<Prepared>>> inflight;
  std::size_t next = 0;
  // The store connection is not shared between threads: Prepare runs without it and the hash lookup (a read)
  // and Commit (a write) take this lock.
  std::mutex store_mu;
  auto launch = [&] {
    const DeliveryRequest& req = requests[next++];
    inflight.push_back(std::async(std::launch::async, [&, req]() {
      auto p = Prepare(req, cfg, env, nullptr);
      if (!p.ok()) return p;
      std::lock_guard<std::mutex> lock(store_mu);
      auto existing = store->FindDeliveryByHash(p->info.sha256);
      if (!existing.ok()) return Result<Prepared>(existing.status());
      if (*existing) {
        p->info = **existing;
        p->already_stored = true;
      }
      return p;
    }));
  };
  const std::size_t max_jobs = static_cast<std::size_t>(std::max(1, jobs));
  while (next < requests.size() && inflight.size() < max_jobs) launch();
  while (!inflight.empty()) {
    auto result = inflight.front().get();
    inflight.pop_front();
    if (next < requests.size()) launch();
    // On failure, running work finishes before we leave (futures join in their destructors).
    if (!result.ok()) return result.status();
    Prepared& p = *result;
    Result<std::int64_t> id = std::int64_t{0};
    {
      std::lock_guard<std::mutex> lock(store_mu);
      id = Commit(p, store);
    }
    if (!id.ok()) return id.status().WithContext(p.info.file);
    ++totals.deliveries;
    if (p.already_stored) {
      ++totals.already_stored;
    } else {
      if (p.info.status == "rejected") ++totals.rejected;
      totals.rows_read += p.info.rows_read;
      totals.rows_accepted += p.info.rows_accepted;
      totals.rows_quarantined += p.info.rows_quarantined;
    }
    if (on_done) DAS_RETURN_IF_ERROR(on_done(p));
  }
  return totals;
}

}  // namespace das::intake
