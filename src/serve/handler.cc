// Handler::Handle: HTTP semantics (methods, limits, ETag/304, gzip, CORS, caching, HEAD) and routing.
#include "das/serve/handler.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <mutex>
#include <string>

#include "serve_internal.h"

namespace das::serve {

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool IStartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && IEquals(s.substr(0, prefix.size()), prefix);
}

std::string Hex64(std::uint64_t h) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::uint64_t Fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Whether Accept-Encoding allows gzip (a "gzip" or "*" coding without q=0).
bool AcceptsGzip(std::string_view ae) {
  std::size_t pos = 0;
  while (pos < ae.size()) {
    std::size_t comma = ae.find(',', pos);
    if (comma == std::string_view::npos) comma = ae.size();
    std::string_view item = ae.substr(pos, comma - pos);
    pos = comma + 1;
    std::size_t semi = item.find(';');
    std::string_view coding = item.substr(0, semi);
    while (!coding.empty() && coding.front() == ' ') coding.remove_prefix(1);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (!IEquals(coding, "gzip") && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view params = item.substr(semi + 1);
    std::size_t qpos = params.find("q=");
    if (qpos == std::string_view::npos) return true;
    std::string_view qv = params.substr(qpos + 2);
    bool nonzero = false;
    for (char c : qv) {
      if (c >= '1' && c <= '9') nonzero = true;
      if (c == ',' || c == ';' || c == ' ') break;
    }
    return nonzero;
  }
  return false;
}

// Whether an If-None-Match list matches `etag` (weak comparison, as RFC 9110 prescribes for If-None-Match).
bool EtagMatches(std::string_view inm, std::string_view etag) {
  if (inm.empty() || etag.empty()) return false;
  std::size_t pos = 0;
  while (pos < inm.size()) {
    std::size_t comma = inm.find(',', pos);
    if (comma == std::string_view::npos) comma = inm.size();
    std::string_view item = inm.substr(pos, comma - pos);
    pos = comma + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "*") return true;
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item == etag) return true;
  }
  return false;
}

bool Compressible(std::string_view content_type) {
  return content_type.rfind("application/json", 0) == 0 || content_type.rfind("text/", 0) == 0 ||
         content_type.rfind("application/xml", 0) == 0 || content_type.rfind("application/vnd.sdmx", 0) == 0 ||
         content_type.rfind("application/javascript", 0) == 0 || content_type.rfind("image/svg", 0) == 0;
}

std::string BaseUrl(std::string_view host) {
  bool ok = !host.empty() && host.size() <= 255;
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']')) {
      ok = false;
    }
  }
  return "http://" + std::string(ok ? host : "localhost");
}

const char* MimeOf(std::string_view path) {
  auto ends = [&](std::string_view s) { return path.size() >= s.size() && path.substr(path.size() - s.size()) == s; };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "application/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".json")) return "application/json; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml; charset=utf-8";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  if (ends(".csv")) return "text/csv; charset=utf-8";
  if (ends(".geojson")) return "application/geo+json; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return {};
}

std::string_view Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (IEquals(k, name)) return v;
  }
  return {};
}

// --- metrics --------------------------------------------------------------------------------------------------

void Metrics::Record(int status, std::size_t bytes, double seconds) {
  int cls = status / 100;
  if (cls < 1 || cls > 5) cls = 5;
  by_class_[cls].fetch_add(1, std::memory_order_relaxed);
  bytes_.fetch_add(bytes, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kNumBuckets && seconds > kBuckets[b]) ++b;
  buckets_[b].fetch_add(1, std::memory_order_relaxed);
  micros_sum_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::Render(std::size_t cache_entries, std::size_t cache_bytes) const {
  std::string out;
  out += "# HELP das_http_requests_total HTTP requests answered, by status class.\n";
  out += "# TYPE das_http_requests_total counter\n";
  std::uint64_t count = 0;
  for (int c = 1; c <= 5; ++c) {
    std::uint64_t n = by_class_[c].load(std::memory_order_relaxed);
    count += n;
    out += "das_http_requests_total{code=\"" + std::to_string(c) + "xx\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP das_http_response_bytes_total Body bytes sent.\n# TYPE das_http_response_bytes_total counter\n";
  out += "das_http_response_bytes_total " + std::to_string(bytes_.load(std::memory_order_relaxed)) + "\n";
  out += "# HELP das_http_request_duration_seconds Time to handle a request.\n";
  out += "# TYPE das_http_request_duration_seconds histogram\n";
  std::uint64_t cum = 0;
  for (std::size_t b = 0; b <= kNumBuckets; ++b) {
    cum += buckets_[b].load(std::memory_order_relaxed);
    char le[32];
    if (b < kNumBuckets) std::snprintf(le, sizeof le, "%g", kBuckets[b]); else std::snprintf(le, sizeof le, "+Inf");
    out += "das_http_request_duration_seconds_bucket{le=\"" + std::string(le) + "\"} " + std::to_string(cum) + "\n";
  }
  char sum[64];
  std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(micros_sum_.load(std::memory_order_relaxed)) / 1e6);
  out += "das_http_request_duration_seconds_sum " + std::string(sum) + "\n";
  out += "das_http_request_duration_seconds_count " + std::to_string(cum) + "\n";
  out += "# HELP das_http_open_connections Open client connections.\n# TYPE das_http_open_connections gauge\n";
  out += "das_http_open_connections " + std::to_string(open_connections_.load(std::memory_order_relaxed)) + "\n";
  out += "# HELP das_http_rejected_connections_total Connections refused at the connection limit.\n";
  out += "# TYPE das_http_rejected_connections_total counter\n";
  out += "das_http_rejected_connections_total " +
         std::to_string(rejected_connections_.load(std::memory_order_relaxed)) + "\n";
  out += "# HELP das_response_cache_entries Cached responses.\n# TYPE das_response_cache_entries gauge\n";
  out += "das_response_cache_entries " + std::to_string(cache_entries) + "\n";
  out += "# HELP das_response_cache_bytes Bytes of cached responses.\n# TYPE das_response_cache_bytes gauge\n";
  out += "das_response_cache_bytes " + std::to_string(cache_bytes) + "\n";
  (void)count;
  return out;
}

// --- handler --------------------------------------------------------------------------------------------------

Handler::Handler(ServedState state) : state_(std::move(state)) {
  if (state_.fs == nullptr) state_.fs = PosixFileSystem();
  for (const auto& t : state_.release.tables) {
    if (!t) continue;
    tables_.push_back(std::make_unique<ServedTable>(BuildServedTable(*t)));
    by_id_.emplace(t->id, tables_.back().get());
  }
  std::sort(tables_.begin(), tables_.end(), [](const auto& a, const auto& b) { return a->t->id < b->t->id; });
  std::string basis = state_.release.manifest.content_sha256.empty() ? state_.release.manifest.release_id
                                                                      : state_.release.manifest.content_sha256;
  if (basis.empty()) {
    for (const auto& t : state_.release.tables) basis += t ? t->content_sha256 + t->id : "";
  }
  etag_ = "\"r-" + Hex64(Fnv1a(basis + "|" + state_.version)) + "\"";
}

Handler::~Handler() = default;

Response Handler::Handle(const Request& request, bool share_cached_body) const {
  const bool head = request.method == "HEAD";
  Response r;
  const bool gzip_ok = AcceptsGzip(request.Header("Accept-Encoding"));
  std::string cache_key;
  bool from_cache = false;
  if (request.method == "OPTIONS") {
    r.status = 204;
    r.headers = {{"Access-Control-Allow-Origin", "*"},
                 {"Access-Control-Allow-Methods", "GET, HEAD, OPTIONS"},
                 {"Access-Control-Allow-Headers", "Accept, Accept-Encoding, If-None-Match, Content-Type, OData-Version, OData-MaxVersion, DataServiceVersion, MaxDataServiceVersion"},
                 {"Access-Control-Max-Age", "86400"}};
    return r;
  }
  if (request.method != "GET" && !head) {
    r = ErrorResponse(405, ErrorStyle::kPlain,
                      "method " + request.method.substr(0, 20) + " is not allowed: this API is read-only (GET, HEAD)");
    r.headers.emplace_back("Allow", "GET, HEAD, OPTIONS");
  } else if (request.target.size() > state_.limits.max_target_bytes) {
    r = ErrorResponse(414, ErrorStyle::kPlain,
                      "request target of " + std::to_string(request.target.size()) + " bytes; at most " +
                          std::to_string(state_.limits.max_target_bytes));
  } else if (request.target.empty() || request.target[0] != '/') {
    r = ErrorResponse(400, ErrorStyle::kPlain, "request target must start with '/'");
  } else {
    const std::string base = BaseUrl(request.Header("Host"));
    cache_key = base + '\n' + request.target + '\n' + (gzip_ok ? "1" : "0");
    if (state_.limits.cache_bytes > 0) {
      std::shared_lock lock(cache_mu_);
      auto it = cache_.find(cache_key);
      if (it != cache_.end()) {
        if (share_cached_body) {
          r.status = it->second->status;
          r.headers = it->second->headers;
          r.shared_body = std::shared_ptr<const std::string>(it->second, &it->second->body);
        } else {
          r = *it->second;
        }
        from_cache = true;
      }
    }
    if (!from_cache) {
      bool cacheable = false;
      r = Route(request, base, &cacheable);
      if (r.status == 200 && cacheable) {
        r.headers.emplace_back("ETag", etag_);
        r.headers.emplace_back("Cache-Control", "public, max-age=300");
      }
      if (r.Header("Cache-Control").empty()) {
        r.headers.emplace_back("Cache-Control", r.status == 200 ? "no-cache" : "no-store");
      }
      // Compression (the ETag of a gzip body differs from the identity one).
      const std::string_view ct = r.Header("Content-Type");
      const bool compress = r.status == 200 && Compressible(ct) && r.body.size() >= state_.limits.gzip_min_bytes;
      if (compress) r.headers.emplace_back("Vary", "Accept-Encoding");
      if (compress && gzip_ok) {
        auto z = Gzip(r.body, 6);
        if (z.ok()) {
          r.body = std::move(*z);
          r.headers.emplace_back("Content-Encoding", "gzip");
          for (auto& [k, v] : r.headers) {
            if (k == "ETag" && v.size() > 1) v = v.substr(0, v.size() - 1) + "-gz\"";
          }
        }
      }
      r.headers.emplace_back("Access-Control-Allow-Origin", "*");
      r.headers.emplace_back("X-Content-Type-Options", "nosniff");
      if (cacheable && r.status == 200 && state_.limits.cache_bytes > 0) {
        std::unique_lock lock(cache_mu_);
        if (cache_used_ + r.body.size() + cache_key.size() <= state_.limits.cache_bytes &&
            cache_.find(cache_key) == cache_.end()) {
          cache_used_ += r.body.size() + cache_key.size();
          cache_.emplace(cache_key, std::make_shared<const Response>(r));
        }
      }
    }
  }
  if (r.Header("Access-Control-Allow-Origin").empty()) r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  // Conditional GET.
  const std::string_view etag = r.Header("ETag");
  if (r.status == 200 && !etag.empty() && EtagMatches(request.Header("If-None-Match"), etag)) {
    Response nm;
    nm.status = 304;
    for (const auto& h : r.headers) {
      if (h.first == "ETag" || h.first == "Cache-Control" || h.first == "Vary" ||
          h.first == "Access-Control-Allow-Origin") {
        nm.headers.push_back(h);
      }
    }
    return nm;
  }
  r.content_length = r.shared_body ? r.shared_body->size() : r.body.size();
  if (head) {
    r.body.clear();
    r.shared_body.reset();
  }
  return r;
}

Response Handler::Route(const Request& request, const std::string& base, bool* cacheable) const {
  *cacheable = false;
  std::string_view target = request.target;
  const std::size_t qpos = target.find('?');
  std::string_view raw_path = target.substr(0, qpos);
  std::string_view raw_query = qpos == std::string_view::npos ? std::string_view() : target.substr(qpos + 1);
  if (raw_query.size() > state_.limits.max_query_bytes) {
    return ErrorResponse(414, ErrorStyle::kPlain,
                         "query string of " + std::to_string(raw_query.size()) + " bytes; at most " +
                             std::to_string(state_.limits.max_query_bytes));
  }
  auto decoded = PercentDecode(raw_path, false);
  if (!decoded.ok()) return ErrorResponse(400, ErrorStyle::kPlain, "path: " + decoded.status().message());
  const std::string& path = *decoded;
  if (path.find('\0') != std::string::npos) return ErrorResponse(400, ErrorStyle::kPlain, "path: NUL byte");

  ODataContext ctx;
  ctx.state = &state_;
  ctx.base_url = base;
  ctx.raw_query = std::string(raw_query);
  std::vector<const ServedTable*> all;
  all.reserve(tables_.size());
  for (const auto& t : tables_) all.push_back(t.get());

  // "/<prefix>/odata/<T>/<rest>" with a case-insensitive prefix as CBS accepts.
  auto table_route = [&](std::string_view after, ErrorStyle style, const ServedTable** table,
                         std::string_view* rest) -> std::optional<Response> {
    std::size_t slash = after.find('/');
    std::string_view id = after.substr(0, slash);
    *rest = slash == std::string_view::npos ? std::string_view() : after.substr(slash + 1);
    auto it = by_id_.find(id);
    if (it == by_id_.end()) {
      return ErrorResponse(404, style, "unknown table '" + std::string(id.substr(0, 80)) + "' in release " +
                                           state_.release.manifest.release_id + " (see /ODataCatalog/Tables)");
    }
    *table = it->second;
    return std::nullopt;
  };

  std::string_view p = path;
  for (auto [prefix, service] : {std::pair{std::string_view("/ODataApi/odata/"), V3Service::kApi},
                                 std::pair{std::string_view("/ODataFeed/odata/"), V3Service::kFeed}}) {
    if (IStartsWith(p, prefix)) {
      std::string_view rest;
      auto err = table_route(p.substr(prefix.size()), ErrorStyle::kODataV3, &ctx.table, &rest);
      if (err) return *err;
      *cacheable = true;
      return ServeV3(ctx, service, rest);
    }
  }
  if (IStartsWith(p, "/ODataApi") || IStartsWith(p, "/ODataFeed")) {
    return ErrorResponse(404, ErrorStyle::kODataV3, "expected /ODataApi/odata/<table>/ or /ODataFeed/odata/<table>/");
  }
  if (IStartsWith(p, "/ODataCatalog")) {
    std::string_view rest = p.substr(13);
    if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    *cacheable = true;
    return ServeV3Catalog(ctx, all, rest);
  }
  if (IStartsWith(p, "/odata/v1/DAS/") && p.size() > 14) {
    std::string_view rest;
    auto err = table_route(p.substr(14), ErrorStyle::kODataV4, &ctx.table, &rest);
    if (err) return *err;
    *cacheable = true;
    return ServeV4(ctx, rest);
  }
  if (IStartsWith(p, "/odata/v1")) {
    std::string_view rest = p.substr(9);
    if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    *cacheable = true;
    return ServeV4Root(ctx, all, rest);
  }
  if (IStartsWith(p, "/odata")) {
    return ErrorResponse(404, ErrorStyle::kODataV4, "expected /odata/v1/ or /odata/v1/DAS/<table>/");
  }
  if (p.rfind("/download/", 0) == 0) {
    std::string_view file = p.substr(10);
    std::size_t dot = file.find('.');
    if (dot == std::string_view::npos) {
      return ErrorResponse(404, ErrorStyle::kPlain, "expected /download/<table>.csv, .xlsx or .sdmx.csv");
    }
    std::string_view rest;
    std::string id_and(file.substr(0, dot));
    auto err = table_route(id_and, ErrorStyle::kPlain, &ctx.table, &rest);
    if (err) return *err;
    *cacheable = true;
    return ServeDownload(ctx, file.substr(dot + 1));
  }
  if (p == "/healthz") {
    return JsonResponse("{\"status\":\"ok\",\"release\":\"" + state_.release.manifest.release_id +
                        "\",\"tables\":" + std::to_string(tables_.size()) + "}\n");
  }
  if (p == "/metrics") {
    std::size_t entries = 0, bytes = 0;
    {
      std::shared_lock lock(cache_mu_);
      entries = cache_.size();
      bytes = cache_used_;
    }
    return TextResponse(200, "text/plain; version=0.0.4; charset=utf-8", metrics_.Render(entries, bytes));
  }
  if (p.rfind("/api/", 0) == 0 || p == "/api") {
    auto q = ParseQueryOptions(raw_query, "");
    if (!q.ok()) return ErrorResponse(400, ErrorStyle::kPlain, q.status().message());
    std::string_view rest = p.size() > 5 ? p.substr(5) : std::string_view();
    while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rest == "openapi.json") {
      *cacheable = true;
      return JsonResponse(OpenApiJson());
    }
    if (rest == "releases") {
      std::string body = "[";
      for (std::size_t i = 0; i < state_.releases.size(); ++i) {
        const auto& info = state_.releases[i];
        if (i > 0) body += ',';
        body += "{\"release_id\":";
        AppendJsonString(&body, info.release_id);
        body += ",\"sequence\":" + std::to_string(info.sequence) + ",\"horizon\":";
        AppendJsonString(&body, info.horizon);
        body += ",\"content_sha256\":";
        AppendJsonString(&body, info.content_sha256);
        body += ",\"num_tables\":" + std::to_string(info.num_tables) + ",\"num_cells\":" +
                std::to_string(info.num_cells) + ",\"served\":" +
                (info.release_id == state_.release.manifest.release_id ? "true" : "false") + "}";
      }
      body += "]\n";
      return JsonResponse(std::move(body));
    }
    if (rest == "releases/diff") {
      if (!state_.diff_json) {
        return ErrorResponse(501, ErrorStyle::kPlain, "release diff is not available in this server");
      }
      const std::string a = q->Param("a"), b = q->Param("b");
      if (a.empty() || b.empty()) {
        return ErrorResponse(400, ErrorStyle::kPlain, "releases/diff: give both releases: ?a=<id>&b=<id>");
      }
      auto d = state_.diff_json(a, b);
      if (!d.ok()) {
        return ErrorResponse(d.status().code() == StatusCode::kNotFound ? 404 : 503, ErrorStyle::kPlain,
                             d.status().message());
      }
      *cacheable = true;
      return JsonResponse(*d + "\n");
    }
    if (rest.rfind("releases/", 0) == 0) {
      std::string_view id = rest.substr(9);
      if (id == state_.release.manifest.release_id || id == "latest" || id == "served") {
        *cacheable = true;
        if (!state_.manifest_json.empty()) return JsonResponse(state_.manifest_json + "\n");
        const auto& m = state_.release.manifest;
        std::string body = "{\"release_id\":";
        AppendJsonString(&body, m.release_id);
        body += ",\"sequence\":" + std::to_string(m.sequence) + ",\"horizon\":";
        AppendJsonString(&body, m.horizon);
        body += ",\"content_sha256\":";
        AppendJsonString(&body, m.content_sha256);
        body += ",\"tables\":[";
        for (std::size_t i = 0; i < m.tables.size(); ++i) {
          if (i > 0) body += ',';
          AppendJsonString(&body, m.tables[i]);
        }
        body += "]}\n";
        return JsonResponse(std::move(body));
      }
      for (const auto& info : state_.releases) {
        if (info.release_id == id) {
          std::string body = "{\"release_id\":";
          AppendJsonString(&body, info.release_id);
          body += ",\"sequence\":" + std::to_string(info.sequence) + ",\"horizon\":";
          AppendJsonString(&body, info.horizon);
          body += ",\"content_sha256\":";
          AppendJsonString(&body, info.content_sha256);
          body += ",\"num_tables\":" + std::to_string(info.num_tables) +
                  ",\"served\":false,\"note\":\"not the served release: start das serve --release " +
                  info.release_id + " for its tables\"}\n";
          return JsonResponse(std::move(body));
        }
      }
      return ErrorResponse(404, ErrorStyle::kPlain, "unknown release '" + std::string(id.substr(0, 80)) + "'");
    }
    if (rest == "concepts" || rest.rfind("concepts/", 0) == 0) {
      std::string_view id = rest.size() > 9 ? rest.substr(9) : std::string_view();
      std::string body = id.empty() ? "[" : "";
      bool found = false;
      for (const auto& c : state_.concepts) {
        if (!id.empty() && c.id != id) continue;
        if (found) body += ',';
        found = true;
        body += "{\"id\":";
        AppendJsonString(&body, c.id);
        body += ",\"version\":" + std::to_string(c.version) + ",\"term_nl\":";
        AppendJsonString(&body, c.term_nl);
        body += ",\"term_en\":";
        AppendJsonString(&body, c.term_en);
        body += ",\"definition_nl\":";
        AppendJsonString(&body, c.definition_nl);
        body += ",\"definition_en\":";
        AppendJsonString(&body, c.definition_en);
        body += ",\"used_by\":[";
        for (std::size_t i = 0; i < c.used_by.size(); ++i) {
          if (i > 0) body += ',';
          AppendJsonString(&body, c.used_by[i]);
        }
        body += "],\"source_mappings\":[";
        for (std::size_t i = 0; i < c.source_mappings.size(); ++i) {
          if (i > 0) body += ',';
          body += "{\"field\":";
          AppendJsonString(&body, c.source_mappings[i].field);
          body += ",\"codelist\":";
          AppendJsonString(&body, c.source_mappings[i].codelist);
          body += '}';
        }
        body += "]}";
      }
      if (!id.empty() && !found) {
        return ErrorResponse(404, ErrorStyle::kPlain, "unknown concept '" + std::string(id.substr(0, 80)) + "'");
      }
      if (id.empty()) body += ']';
      body += '\n';
      *cacheable = true;
      return JsonResponse(std::move(body));
    }
    return ErrorResponse(404, ErrorStyle::kPlain, "unknown API path '" + std::string(p.substr(0, 80)) +
                                                      "' (see /api/openapi.json)");
  }

  // Static files of the web root.
  if (state_.web_root.empty()) return ErrorResponse(404, ErrorStyle::kPlain, "no such path (no web root served)");
  std::string rel = path.substr(1);
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  // Lexical containment: no empty, '.' or '..' segments, no backslashes; so the path stays under the root.
  bool safe = rel.find('\\') == std::string::npos;
  std::size_t s = 0;
  while (safe && s <= rel.size()) {
    std::size_t e = rel.find('/', s);
    if (e == std::string::npos) e = rel.size();
    std::string_view seg(rel.data() + s, e - s);
    if (seg.empty() || seg == "." || seg == "..") safe = false;
    s = e + 1;
  }
  if (!safe) return ErrorResponse(404, ErrorStyle::kPlain, "no such file");
  std::string file = state_.web_root + "/" + rel;
  auto bytes = state_.fs->ReadFile(file);
  if (!bytes.ok()) {
    std::string_view last = std::string_view(rel).substr(rel.rfind('/') + 1);
    if (last.find('.') != std::string_view::npos) {
      return ErrorResponse(404, ErrorStyle::kPlain, "no such file '" + rel.substr(0, 80) + "'");
    }
    // Paths without an extension are the dashboard's own routes: serve its index.html.
    rel = "index.html";
    file = state_.web_root + "/index.html";
    bytes = state_.fs->ReadFile(file);
    if (!bytes.ok()) return ErrorResponse(404, ErrorStyle::kPlain, "no such file (and no index.html in the web root)");
  }
  Response r = TextResponse(200, MimeOf(rel), std::move(*bytes));
  r.headers.emplace_back("ETag", "\"f-" + Hex64(Fnv1a(r.body)) + "\"");
  r.headers.emplace_back("Cache-Control", rel == "index.html" ? "no-cache" : "public, max-age=3600");
  return r;
}

}  // namespace das::serve
