// Shared helpers of engineer A's stats tests: the shipped config, geography and code lists, and a builder for
// hand-made chain_stage_units / chain_events tables in a temporary store.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "das/core/table.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/stats/stats.h"
#include "das/store/store.h"

namespace das::stats::testing_a {

inline const std::string kRepo = DAS_SOURCE_DIR;

inline Date D(int y, int m, int d) { return Date::FromYmdUnchecked(y, m, d); }

struct Shipped {
  StatsConfig config;
  geo::Geography geography;
  harmonise::Config codelists;
};

inline const Shipped& GetShipped() {
  static Shipped* s = [] {
    auto* out = new Shipped;
    auto cfg = StatsConfig::Load(kRepo + "/config/stats", *PosixFileSystem());
    EXPECT_TRUE(cfg.ok()) << cfg.status().ToString();
    out->config = std::move(cfg).value();
    auto g = geo::Geography::Load(kRepo + "/config/geo");
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    out->geography = std::move(g).value();
    auto h = harmonise::LoadConfig(kRepo + "/config/codelists", *PosixFileSystem());
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    out->codelists = std::move(h).value();
    return out;
  }();
  return *s;
}

inline StatsOptions Options(int from, int to, Date final_date) {
  const Shipped& s = GetShipped();
  StatsOptions o;
  o.from_year = from;
  o.to_year = to;
  o.final_date = final_date;
  o.record_key_secret = "test-secret-of-at-least-16-bytes";
  o.geography = &s.geography;
  o.age_groups = &s.codelists.age_groups;
  o.scm = &s.codelists.targets.at("scm2010");
  for (const auto& [name, list] : s.codelists.targets) o.codelists.push_back(&list);
  return o;
}

struct UnitRow {
  std::string stage, unit_id;
  std::optional<Date> entry, exit;
  std::string exit_type, unit_type, quality;
  std::string gemeente, province, police_unit, offence_scm, age_group, sex;  // "" = null
  std::optional<bool> minor;
};

inline Table UnitsTable(const std::vector<UnitRow>& rows) {
  std::vector<Column> c;
  for (const char* n : {"stage", "unit_id", "entry_date", "exit_date", "exit_type", "unit_type", "quality",
                        "gemeente_2024", "province", "police_unit", "offence_scm", "age_group", "sex", "minor"}) {
    const std::string name(n);
    const ColumnType t = (name == "entry_date" || name == "exit_date") ? ColumnType::kDate
                         : name == "minor"                             ? ColumnType::kBool
                                                                       : ColumnType::kString;
    c.emplace_back(name, t);
  }
  auto s = [](Column& col, const std::string& v) { v.empty() ? col.AppendNull() : col.AppendString(v); };
  auto d = [](Column& col, const std::optional<Date>& v) { v ? col.AppendDate(*v) : col.AppendNull(); };
  for (const UnitRow& r : rows) {
    s(c[0], r.stage);
    s(c[1], r.unit_id);
    d(c[2], r.entry);
    d(c[3], r.exit);
    s(c[4], r.exit_type);
    s(c[5], r.unit_type);
    s(c[6], r.quality);
    s(c[7], r.gemeente);
    s(c[8], r.province);
    s(c[9], r.police_unit);
    s(c[10], r.offence_scm);
    s(c[11], r.age_group);
    s(c[12], r.sex);
    r.minor ? c[13].AppendBool(*r.minor) : c[13].AppendNull();
  }
  return Table(std::move(c));
}

struct EventRow {
  std::string case_id, stage;
  int stage_order = 0;
  std::optional<Date> date;
};

inline Table EventsTable(const std::vector<EventRow>& rows) {
  std::vector<Column> c;
  c.emplace_back("chain_case_id", ColumnType::kString);
  c.emplace_back("stage", ColumnType::kString);
  c.emplace_back("stage_order", ColumnType::kInt64);
  c.emplace_back("date", ColumnType::kDate);
  for (const EventRow& r : rows) {
    c[0].AppendString(r.case_id);
    c[1].AppendString(r.stage);
    c[2].AppendInt(r.stage_order);
    r.date ? c[3].AppendDate(*r.date) : c[3].AppendNull();
  }
  return Table(std::move(c));
}

inline std::unique_ptr<store::Store> TempStore(const std::string& name) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / (name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto st = store::Store::Open((dir / "store.db").string());
  EXPECT_TRUE(st.ok()) << st.status().ToString();
  return std::move(st).value();
}

// Value of topic `topic` at the given codes (one per dimension, in table order).
inline const MeasureValues& Topic(const StatTable& t, const std::string& topic) {
  for (std::size_t i = 0; i < t.measures.size(); ++i) {
    if (t.measures[i].id == topic) return t.values[i];
  }
  ADD_FAILURE() << "no topic " << topic << " in " << t.id;
  static MeasureValues empty;
  return empty;
}

inline std::size_t Cell(const StatTable& t, const std::vector<std::string>& codes) {
  std::vector<int> idx;
  for (std::size_t d = 0; d < codes.size(); ++d) {
    const int i = t.dims[d].Find(codes[d]);
    EXPECT_GE(i, 0) << "no code " << codes[d] << " in " << t.dims[d].id << " of " << t.id;
    idx.push_back(i < 0 ? 0 : i);
  }
  return t.Index(idx);
}

inline const StatTable* FindTable(const std::vector<StatTable>& ts, const std::string& id) {
  for (const StatTable& t : ts) {
    if (t.id == id) return &t;
  }
  ADD_FAILURE() << "no table " << id;
  return nullptr;
}

}  // namespace das::stats::testing_a
