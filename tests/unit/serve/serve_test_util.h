// In-memory releases for the serve tests.
#pragma once

#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "das/release/release.h"
#include "das/serve/handler.h"

namespace das::serve::testing {

inline stats::Code MakeCode(std::string code, std::string title, std::string parent = "", std::string status = "") {
  stats::Code c;
  c.code = std::move(code);
  c.title_nl = std::move(title);
  c.title_en = c.title_nl;
  c.parent = std::move(parent);
  c.status = std::move(status);
  return c;
}

// DAS_OM_Regio: Perioden {2022JJ00, 2023JJ00 (Voorlopig)} x RegioS {NL01 > PV20 > GM0014};
// topics Instroom_1 (aantal, 0 decimals) and Mediaan_2 (dagen, 1 decimal).
// Instroom_1 = 100 40 40 | 120 50 x(suppressed); Mediaan_2 = 10.5 . 9.25 | 11 12 x.
inline std::shared_ptr<release::PublishedTable> SmallTable() {
  auto t = std::make_shared<release::PublishedTable>();
  t->id = "DAS_OM_Regio";
  t->title_nl = "OM; instroom naar regio";
  t->description_nl = "Zaken die het OM instromen, per periode en regio.";
  t->theme = "vervolging";
  stats::DimensionSpec per;
  per.id = "Perioden";
  per.title_nl = "Perioden";
  per.kind = stats::DimensionKind::kTime;
  per.codes = {MakeCode("2022JJ00", "2022", "", "Definitief"), MakeCode("2023JJ00", "2023*", "", "Voorlopig")};
  stats::DimensionSpec reg;
  reg.id = "RegioS";
  reg.title_nl = "Regio's";
  reg.kind = stats::DimensionKind::kGeo;
  reg.codes = {MakeCode("NL01", "Nederland"), MakeCode("PV20", "Groningen (PV)", "NL01"),
               MakeCode("GM0014", "Groningen", "PV20")};
  t->dims = {per, reg};
  stats::MeasureSpec in;
  in.id = "Instroom_1";
  in.title_nl = "Instroom";
  in.unit = "aantal";
  stats::MeasureSpec med;
  med.id = "Mediaan_2";
  med.title_nl = "Mediane doorlooptijd";
  med.unit = "dagen";
  med.decimals = 1;
  med.kind = stats::MeasureKind::kDerived;
  t->measures = {in, med};
  using S = release::CellState;
  t->value = {{100, 40, 40, 120, 50, 0}, {10.5, 0, 9.25, 11, 12, 0}};
  t->state = {{S::kPublished, S::kPublished, S::kPublished, S::kPublished, S::kPublished, S::kSuppressed},
              {S::kPublished, S::kUnavailable, S::kPublished, S::kPublished, S::kPublished, S::kSuppressed}};
  t->protection_summary = "ckm D3 V2";
  t->content_sha256 = "abc";
  return t;
}

// A table with more rows than a feed page: Perioden {2021JJ00, 2022JJ00, 2023JJ00} x RegioS {NL01, GM0001..GM4000}.
inline std::shared_ptr<release::PublishedTable> BigTable() {
  auto t = std::make_shared<release::PublishedTable>();
  t->id = "DAS_Groot";
  t->title_nl = "Groot";
  stats::DimensionSpec per;
  per.id = "Perioden";
  per.kind = stats::DimensionKind::kTime;
  per.codes = {MakeCode("2021JJ00", "2021", "", "Definitief"), MakeCode("2022JJ00", "2022", "", "Definitief"),
               MakeCode("2023JJ00", "2023", "", "Voorlopig")};
  stats::DimensionSpec reg;
  reg.id = "RegioS";
  reg.kind = stats::DimensionKind::kGeo;
  reg.codes.push_back(MakeCode("NL01", "Nederland"));
  char buf[16];
  for (int i = 1; i <= 4000; ++i) {
    std::snprintf(buf, sizeof buf, "GM%04d", i);
    reg.codes.push_back(MakeCode(buf, buf, "NL01"));
  }
  t->dims = {per, reg};
  stats::MeasureSpec in;
  in.id = "Aantal_1";
  in.unit = "aantal";
  t->measures = {in};
  const std::size_t n = 3 * 4001;
  t->value.assign(1, std::vector<double>(n));
  t->state.assign(1, std::vector<release::CellState>(n, release::CellState::kPublished));
  for (std::size_t i = 0; i < n; ++i) t->value[0][i] = static_cast<double>(i % 97);
  t->state[0][5] = release::CellState::kSuppressed;
  return t;
}

inline ServedState SmallState() {
  ServedState s;
  s.release.manifest.release_id = "2024-03-31.0123456789";
  s.release.manifest.sequence = 2;
  s.release.manifest.horizon = "2024-03-31";
  s.release.manifest.content_sha256 = "feedbeef";
  s.release.manifest.tables = {"DAS_OM_Regio"};
  s.release.tables = {SmallTable()};
  release::ReleaseInfo a;
  a.release_id = "2023-12-31.aaaaaaaaaa";
  a.sequence = 1;
  a.horizon = "2023-12-31";
  a.num_tables = 1;
  release::ReleaseInfo b;
  b.release_id = s.release.manifest.release_id;
  b.sequence = 2;
  b.horizon = "2024-03-31";
  b.num_tables = 1;
  b.num_cells = 6;
  s.releases = {a, b};
  harmonise::Concept c;
  c.id = "sepot";
  c.version = 1;
  c.term_nl = "sepot";
  c.term_en = "dismissal";
  c.definition_nl = "Beslissing van het OM om niet te vervolgen.";
  c.definition_en = "Decision not to prosecute.";
  c.used_by = {"vervolging.sepotpercentage"};
  c.source_mappings = {{"om_zaken.decision", "om_beslissing"}};
  s.concepts = {c};
  return s;
}

inline Request Get(std::string target, std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request r;
  r.method = "GET";
  r.target = std::move(target);
  r.headers = std::move(headers);
  r.headers.emplace_back("Host", "das.test");
  return r;
}

}  // namespace das::serve::testing
