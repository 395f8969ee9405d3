// A das serve process over a synthetic in-memory release shaped like DAS_<S>_Regio (Perioden JJ>KW>MM for
// 2014-2023 x RegioS NL01 > 12 PV > 342 GM; topics Instroom_1, Uitstroom_2, Voorraad_3: 60,350 rows), so the
// HTTP benchmark does not depend on a built store. Values come from das::Random (seed 42).
// Usage: serve_bench_server PORT [THREADS]
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "das/core/env.h"
#include "das/serve/server.h"

using namespace das;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: serve_bench_server PORT [THREADS]\n");
    return 2;
  }
  auto t = std::make_shared<release::PublishedTable>();
  t->id = "DAS_OM_Regio";
  t->title_nl = "OM; instroom, uitstroom en voorraad naar regio";
  stats::DimensionSpec per;
  per.id = "Perioden";
  per.kind = stats::DimensionKind::kTime;
  char buf[32];
  for (int y = 2014; y <= 2023; ++y) {
    stats::Code c;
    std::snprintf(buf, sizeof buf, "%dJJ00", y);
    c.code = buf;
    c.title_nl = std::to_string(y);
    c.status = y == 2023 ? "Voorlopig" : "Definitief";
    per.codes.push_back(c);
    for (int k = 1; k <= 4; ++k) {
      std::snprintf(buf, sizeof buf, "%dKW%02d", y, k);
      c.code = buf;
      per.codes.push_back(c);
    }
    for (int m = 1; m <= 12; ++m) {
      std::snprintf(buf, sizeof buf, "%dMM%02d", y, m);
      c.code = buf;
      per.codes.push_back(c);
    }
  }
  stats::DimensionSpec reg;
  reg.id = "RegioS";
  reg.kind = stats::DimensionKind::kGeo;
  stats::Code nl;
  nl.code = "NL01";
  nl.title_nl = "Nederland";
  reg.codes.push_back(nl);
  int gm = 1;
  for (int pv = 20; pv <= 31; ++pv) {
    stats::Code p;
    p.code = "PV" + std::to_string(pv);
    p.title_nl = "Provincie " + std::to_string(pv);
    p.parent = "NL01";
    reg.codes.push_back(p);
    for (int i = 0; i < (pv == 31 ? 342 - 11 * 28 : 28); ++i, ++gm) {
      stats::Code g;
      std::snprintf(buf, sizeof buf, "GM%04d", gm);
      g.code = buf;
      g.title_nl = std::string("Gemeente ") + buf;
      g.parent = p.code;
      reg.codes.push_back(g);
    }
  }
  t->dims = {per, reg};
  for (const char* id : {"Instroom_1", "Uitstroom_2", "Voorraad_3"}) {
    stats::MeasureSpec m;
    m.id = id;
    m.unit = "aantal";
    t->measures.push_back(m);
  }
  const std::size_t n = per.codes.size() * reg.codes.size();
  Random rnd(42);
  for (std::size_t m = 0; m < 3; ++m) {
    t->value.emplace_back(n);
    t->state.emplace_back(n, release::CellState::kPublished);
    for (std::size_t i = 0; i < n; ++i) {
      t->value[m][i] = static_cast<double>(rnd.Below(5000));
      if (rnd.Below(50) == 0) t->state[m][i] = release::CellState::kSuppressed;
    }
  }
  serve::ServedState state;
  state.release.manifest.release_id = "bench";
  state.release.manifest.content_sha256 = "bench";
  state.release.tables = {t};
  serve::Handler handler(std::move(state));
  serve::ServerOptions o;
  o.port = static_cast<std::uint16_t>(std::atoi(argv[1]));
  o.threads = argc > 2 ? std::atoi(argv[2]) : 2;
  o.on_listening = [n](std::uint16_t port) {
    std::printf("serve_bench_server: %zu rows at http://127.0.0.1:%u/\n", n, static_cast<unsigned>(port));
    std::fflush(stdout);
  };
  serve::Server server(&handler, o);
  Status st = server.Run();
  if (!st.ok()) {
    std::fprintf(stderr, "serve_bench_server: %s\n", st.message().c_str());
    return 1;
  }
  return 0;
}
