// lib: das_serve
// Treats arbitrary bytes as an HTTP request (method line, target, a few headers) and hands it to
// Handler::Handle over a small in-memory release. Must never crash, hang, leak or answer 500.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "das/serve/handler.h"

namespace {

using namespace das;
using namespace das::serve;

std::shared_ptr<release::PublishedTable> Table() {
  auto t = std::make_shared<release::PublishedTable>();
  t->id = "T";
  stats::DimensionSpec p;
  p.id = "Perioden";
  p.kind = stats::DimensionKind::kTime;
  p.codes.resize(2);
  p.codes[0].code = "2022JJ00";
  p.codes[1].code = "2023JJ00";
  stats::DimensionSpec r;
  r.id = "RegioS";
  r.kind = stats::DimensionKind::kGeo;
  r.codes.resize(3);
  r.codes[0].code = "NL01";
  r.codes[1].code = "PV20";
  r.codes[1].parent = "NL01";
  r.codes[2].code = "GM0014";
  r.codes[2].parent = "PV20";
  t->dims = {p, r};
  stats::MeasureSpec m;
  m.id = "A_1";
  m.decimals = 1;
  t->measures = {m};
  t->value = {{1, 2, 3, 4, 5, 6}};
  t->state = {{release::CellState::kPublished, release::CellState::kSuppressed, release::CellState::kUnavailable,
               release::CellState::kPublished, release::CellState::kPublished, release::CellState::kPublished}};
  return t;
}

const Handler& TheHandler() {
  static MemFileSystem* fs = [] {
    auto* f = new MemFileSystem();
    f->WriteFile("/web/index.html", "<html></html>").IgnoreError();
    return f;
  }();
  static Handler* h = [] {
    ServedState s;
    s.release.manifest.release_id = "r1";
    s.release.tables = {Table()};
    s.fs = fs;
    s.web_root = "/web";
    s.limits.cache_bytes = 0;  // every input exercises the full path
    return new Handler(std::move(s));
  }();
  return *h;
}

}  // namespace

// Input: "<method> <target>\n<name>: <value>\n..." (missing parts are empty).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  Request req;
  std::size_t nl = in.find('\n');
  std::string_view line = in.substr(0, nl);
  std::size_t sp = line.find(' ');
  req.method = std::string(line.substr(0, sp));
  req.target = sp == std::string_view::npos ? "/" : std::string(line.substr(sp + 1));
  std::string_view rest = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  while (!rest.empty() && req.headers.size() < 16) {
    std::size_t e = rest.find('\n');
    std::string_view h = rest.substr(0, e);
    std::size_t colon = h.find(':');
    if (colon != std::string_view::npos) req.headers.emplace_back(std::string(h.substr(0, colon)), std::string(h.substr(colon + 1)));
    if (e == std::string_view::npos) break;
    rest.remove_prefix(e + 1);
  }
  Response r = TheHandler().Handle(req);
  if (r.status >= 500 && r.status != 501 && r.status != 503) std::abort();
  if (r.status < 100 || r.status > 599) std::abort();
  return 0;
}
