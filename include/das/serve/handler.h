// The request handler of `das serve`: one pure function from an HTTP request to an HTTP response over an
// immutable served state (a release, the glossary, a static web root). No sockets here: the Beast server
// (das/serve/server.h) only moves bytes, so everything the API answers is unit-tested and fuzzed through
// Handler::Handle.
//
// Endpoints (details and examples in docs/api.md):
//   /ODataApi/odata/<T>/...   OData v3 as CBS, at most 10,000 cells per request
//   /ODataFeed/odata/<T>/...  OData v3 as CBS, paged by odata.nextLink, 10,000 rows a page
//   /ODataCatalog/Tables      the v3 catalog
//   /odata/v1/DAS/<T>/...     OData v4 as CBS (Observations, MeasureCodes, ..., $metadata), paged by @odata.nextLink
//   /download/<T>.csv|.xlsx|.sdmx.csv   downloads (?sep=semicolon: ';' and decimal comma)
//   /api/releases[/<id>|/diff], /api/concepts, /api/openapi.json, /healthz, /metrics
//   anything else: a file of the web root (index.html for unknown paths without an extension)
//
// HTTP: GET and HEAD (OPTIONS answers CORS preflight); ETag per release (strong, one per content encoding) and
// 304 on If-None-Match; gzip when Accept-Encoding allows it; CORS for GET; Cache-Control; Content-Type with
// charset. Errors: 400 (bad query, saying where), 404 (unknown table/entity/file), 405, 414 (target too long),
// 501 (not implemented), always with a JSON body (OData error layout under the OData prefixes). Handle never
// returns 500 and never throws.
//
// Ownership and threading: a Handler holds its ServedState by value (immutable after construction) and may be
// called from many threads at once. Metrics are atomic counters. A bounded cache keeps complete responses of
// release data (the release never changes while served), guarded by a shared mutex.
#pragma once

#include <atomic>
#include <functional>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"
#include "das/harmonise/concepts.h"
#include "das/release/release.h"

namespace das::serve {

struct Request {
  std::string method = "GET";   // as sent ("GET", "HEAD", ...)
  std::string target;           // origin-form: "/ODataFeed/odata/T/TypedDataSet?$format=json"
  // Header fields; names compared case-insensitively by Header().
  std::vector<std::pair<std::string, std::string>> headers;
  std::string_view Header(std::string_view name) const;  // "" when absent
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Length is set by the server
  std::string body;              // empty for HEAD and 304
  // Set instead of `body` (which stays empty) when Handle(request, /*share_cached_body=*/true) answers from the
  // response cache: the cached bytes, shared without a copy. The server keeps the pointer alive while writing.
  std::shared_ptr<const std::string> shared_body;
  std::size_t content_length = 0;  // the length of the GET body (also for HEAD)
  std::string_view Header(std::string_view name) const;
};

// Limits of the handler (the socket-level limits are in ServerOptions).
struct HandlerLimits {
  std::size_t max_target_bytes = 8192;   // request target (path + query), 414 beyond
  std::size_t max_query_bytes = 6144;    // query string, 414 beyond
  std::size_t api_max_cells = 10000;     // /ODataApi: rows x selected topics per request
  std::size_t feed_page_rows = 10000;    // /ODataFeed and v4: rows per page
  std::size_t max_download_cells = 5000000;  // downloads of bigger tables answer 413
  std::size_t cache_bytes = 128u << 20;  // response cache; 0 disables
  std::size_t gzip_min_bytes = 860;      // smaller bodies are sent uncompressed
};

// The immutable state being served.
struct ServedState {
  release::Release release;                     // tables sorted by id
  std::vector<release::ReleaseInfo> releases;   // the store's catalog (may be empty in tests)
  std::string manifest_json;                    // the served release's Manifest::ToJson() ("" = built here)
  std::vector<harmonise::Concept> concepts;     // the glossary
  std::string web_root;                         // "" = no static files
  FileSystem* fs = nullptr;                     // for the web root and XLSX temp files (null: PosixFileSystem)
  std::string temp_dir = "/tmp";                // XLSX is written here and read back
  std::string version = "das 0.1.0";
  HandlerLimits limits;
  // /api/releases/diff?a=&b=: the JSON of release::Diff (set by das serve, which links das_release; must be
  // thread-safe). Unset: 501. Errors: NotFound -> 404, others -> 503.
  std::function<Result<std::string>(const std::string& a, const std::string& b)> diff_json;
};

// Counters for /metrics (Prometheus text format). Thread-safe.
class Metrics {
 public:
  void Record(int status, std::size_t bytes, double seconds);
  void ConnectionOpened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void ConnectionClosed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  void ConnectionRejected() { rejected_connections_.fetch_add(1, std::memory_order_relaxed); }
  std::int64_t open_connections() const { return open_connections_.load(std::memory_order_relaxed); }
  std::string Render(std::size_t cache_entries, std::size_t cache_bytes) const;

  static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0};
  static constexpr std::size_t kNumBuckets = sizeof(kBuckets) / sizeof(kBuckets[0]);

 private:
  std::atomic<std::uint64_t> by_class_[6] = {};  // 1xx..5xx by status / 100, [0] unused
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> buckets_[kNumBuckets + 1] = {};  // cumulative at render time; last = +Inf
  std::atomic<std::uint64_t> micros_sum_{0};
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> rejected_connections_{0};
};

struct ServedTable;  // precomputed per-table lookups (padded keys, property lists); defined in handler.cc

class Handler {
 public:
  explicit Handler(ServedState state);
  ~Handler();
  Handler(const Handler&) = delete;
  Handler& operator=(const Handler&) = delete;

  // The response to one request. Never throws; never 500. With share_cached_body, a response from the cache
  // carries its body in Response::shared_body instead of a copy in Response::body (the server uses this).
  Response Handle(const Request& request, bool share_cached_body = false) const;

  const ServedState& state() const { return state_; }
  Metrics& metrics() const { return metrics_; }
  // The strong ETag of the served release's data (without the encoding suffix), e.g. "\"3f2a...\"".
  const std::string& etag() const { return etag_; }

 private:
  struct Routed;
  Response Route(const Request& request, const std::string& base_url, bool* cacheable) const;

  ServedState state_;
  std::vector<std::unique_ptr<ServedTable>> tables_;
  std::map<std::string, const ServedTable*, std::less<>> by_id_;
  std::string etag_;
  mutable Metrics metrics_;
  mutable std::shared_mutex cache_mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const Response>> cache_;
  mutable std::size_t cache_used_ = 0;
};

// --- helpers shared by the handler's translation units and tests ----------------------------------------------

// Percent-decoding; `plus_is_space` for query components. Errors name the offset of a bad escape.
Result<std::string> PercentDecode(std::string_view s, bool plus_is_space);
// gzip (RFC 1952) of `data` with zlib; level 1..9.
Result<std::string> Gzip(std::string_view data, int level = 6);
// Inverse of Gzip, for tests and the client side of benchmarks; fails beyond max_bytes.
Result<std::string> Gunzip(std::string_view data, std::size_t max_bytes = 1u << 30);

}  // namespace das::serve
