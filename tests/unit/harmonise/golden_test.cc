// Golden tests for harmonisation: staged rows in (tests/golden/harmonise/<case>/in), harmonised tables and
// unknown counts out (expected/). Layout: tests/golden/harmonise/README.md. With DAS_UPDATE_GOLDEN=1 the
// expected files are (re)written instead of compared - review every change by hand.
#include <gtest/gtest.h>

#include "golden_util.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "das/contract/contract.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/harmonise/harmonise.h"
#include "das/io/csv_reader.h"
#include "das/store/store.h"

namespace das::harmonise {
namespace {

using testutil::CsvField;
using testutil::ReadAll;
using testutil::ReadStaged;
using testutil::TableCsv;

namespace fsys = std::filesystem;
const std::string kRepo = DAS_SOURCE_DIR;
const std::string kCases = kRepo + "/tests/golden/harmonise";

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  if (!fsys::exists(kCases)) return out;
  for (const auto& e : fsys::directory_iterator(kCases)) {
    if (e.is_directory()) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class GoldenHarmonise : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenHarmonise, MatchesExpected) {
  const std::string dir = kCases + "/" + GetParam();
  Env env = Env::Default();
  FixedClock clock(1709294400000000);  // 2024-03-01T12:00:00Z
  env.clock = &clock;
  auto contracts = contract::ContractSet::LoadDir(kRepo + "/config/sources", *env.fs);
  ASSERT_TRUE(contracts.ok()) << contracts.status().ToString();
  auto config = LoadConfig(kRepo + "/config/codelists", *env.fs);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto geo = geo::Geography::Load(kRepo + "/config/geo");
  ASSERT_TRUE(geo.ok()) << geo.status().ToString();

  const fsys::path tmp = fsys::path(::testing::TempDir()) / ("harmonise_golden_" + GetParam());
  fsys::remove_all(tmp);
  fsys::create_directories(tmp);
  auto store = store::Store::Open((tmp / "store.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();

  // in/deliveries.csv: file,dataset,period,delivered_on
  auto manifest = io::CsvReader::FromString(ReadAll(dir + "/in/deliveries.csv"), io::CsvDialect{}, "deliveries.csv");
  ASSERT_EQ(manifest->header(), (std::vector<std::string>{"file", "dataset", "period", "delivered_on"}));
  io::CsvRecord rec;
  std::set<std::string> datasets;
  int n = 0;
  while (manifest->Next(&rec).ValueOr(false)) {
    const std::string file(rec.fields.at(0)), dataset(rec.fields.at(1));
    auto c = contracts->Find(dataset);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    auto table = ReadStaged(dir + "/in/" + file, **c);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    store::DeliveryInfo info;
    info.file = file;
    info.sha256 = GetParam() + "/" + file;
    info.contract = (*c)->Id();
    info.organisation = (*c)->organisation;
    info.dataset = dataset;
    info.period = std::string(rec.fields.at(2));
    info.delivered_on = std::string(rec.fields.at(3));
    info.kind = "regulier";
    info.status = "accepted";
    info.rows_read = info.rows_accepted = static_cast<std::int64_t>(table->num_rows());
    auto id = (*store)->AddDelivery(info, *table, {}, "{}");
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    datasets.insert(dataset);
    ++n;
  }
  ASSERT_GT(n, 0);

  auto report = HarmoniseStore(store->get(), *contracts, *config, *geo, env);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->datasets.size(), datasets.size());
  for (const DatasetReport& d : report->datasets) EXPECT_EQ(d.rows_in, d.rows_out) << d.dataset;

  std::vector<std::string> outputs;
  for (const std::string& ds : datasets) outputs.push_back("h_" + ds);
  outputs.push_back("harmonise_unknowns");
  testutil::ExpectTablesMatchGolden(store->get(), outputs, dir);
  store->reset();
  fsys::remove_all(tmp);
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenHarmonise, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace das::harmonise
