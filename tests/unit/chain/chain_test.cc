// Tests of das_chain.
// - Golden cases (tests/golden/chain/<case>/): staged rows in (in/deliveries.csv names the files; optional
//   in/drop_links.csv lists records removed from "links" before the chain is built, to test unplaced
//   records), harmonise + link (deterministic) + chain through the libraries, the chain tables compared as
//   CSV with expected/<table>.csv. DAS_UPDATE_GOLDEN=1 rewrites expected/ - then check every row by hand.
// - A small generated world (das_synth, scale 0.02): stage units reconcile (stock(end) = stock(start) +
//   inflow - outflow for every stage and year), the om units equal the OM cases accepted, every record is
//   accounted for, and the output is deterministic.
#include <gtest/gtest.h>

#include "golden_util.h"
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "das/chain/chain.h"
#include "das/contract/contract.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/harmonise/harmonise.h"
#include "das/intake/intake.h"
#include "das/io/csv_reader.h"
#include "das/link/link.h"
#include "das/store/store.h"
#include "das/synth/generate.h"

namespace das::chain {
namespace {

using testutil::CsvField;
using testutil::ReadAll;
using testutil::ReadStaged;
using testutil::TableCsv;

namespace fsys = std::filesystem;
const std::string kRepo = DAS_SOURCE_DIR;
const std::string kCases = kRepo + "/tests/golden/chain";
const std::vector<std::string> kOutputs = {"chain_persons", "chain_person_residence", "chain_cases",
                                           "chain_events", "chain_stage_units", "chain_sanctions",
                                           "chain_executions", "chain_accounting"};

// Removes the (dataset, record_key) rows listed in `csv_path` from the table "links".
Status DropLinks(store::Store* store, const std::string& csv_path) {
  std::set<std::pair<std::string, std::string>> drop;
  auto reader = io::CsvReader::FromString(ReadAll(csv_path), io::CsvDialect{}, csv_path);
  io::CsvRecord rec;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
    if (!more) break;
    drop.insert({std::string(rec.fields.at(0)), std::string(rec.fields.at(1))});
  }
  DAS_ASSIGN_OR_RETURN(Table links, store->GetTable("links"));
  std::vector<Column> out;
  for (const Column& c : links.columns()) out.emplace_back(c.name(), c.type());
  const int ds = links.Find("dataset"), key = links.Find("record_key");
  for (std::size_t r = 0; r < links.num_rows(); ++r) {
    if (drop.count({std::string(links.column(static_cast<std::size_t>(ds)).GetString(r)),
                    std::string(links.column(static_cast<std::size_t>(key)).GetString(r))})) {
      continue;
    }
    for (std::size_t c = 0; c < out.size(); ++c) out[c].AppendFrom(links.column(c), r);
  }
  return store->PutTable("links", Table(std::move(out)));
}

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  if (!fsys::exists(kCases)) return out;
  for (const auto& e : fsys::directory_iterator(kCases)) {
    if (e.is_directory()) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Fixture {
  Env env = Env::Default();
  FixedClock clock{1709294400000000};  // 2024-03-01T12:00:00Z
  std::optional<contract::ContractSet> contracts;
  std::optional<harmonise::Config> config;
  std::optional<geo::Geography> geo;
  Status Load() {
    env.clock = &clock;
    DAS_ASSIGN_OR_RETURN(auto c, contract::ContractSet::LoadDir(kRepo + "/config/sources", *env.fs));
    contracts.emplace(std::move(c));
    DAS_ASSIGN_OR_RETURN(auto h, harmonise::LoadConfig(kRepo + "/config/codelists", *env.fs));
    config.emplace(std::move(h));
    DAS_ASSIGN_OR_RETURN(auto g, geo::Geography::Load(kRepo + "/config/geo"));
    geo.emplace(std::move(g));
    return Status::Ok();
  }
};

class GoldenChain : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenChain, MatchesExpected) {
  const std::string dir = kCases + "/" + GetParam();
  Fixture fx;
  ASSERT_TRUE(fx.Load().ok());
  const fsys::path tmp = fsys::path(::testing::TempDir()) / ("chain_golden_" + GetParam());
  fsys::remove_all(tmp);
  fsys::create_directories(tmp);
  auto store = store::Store::Open((tmp / "store.db").string());
  ASSERT_TRUE(store.ok()) << store.status().ToString();

  auto manifest = io::CsvReader::FromString(ReadAll(dir + "/in/deliveries.csv"), io::CsvDialect{}, "deliveries.csv");
  ASSERT_EQ(manifest->header(), (std::vector<std::string>{"file", "dataset", "period", "delivered_on"}));
  io::CsvRecord rec;
  while (manifest->Next(&rec).ValueOr(false)) {
    const std::string file(rec.fields.at(0)), dataset(rec.fields.at(1));
    auto c = fx.contracts->Find(dataset);
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
  }
  auto hr = harmonise::HarmoniseStore(store->get(), *fx.contracts, *fx.config, *fx.geo, fx.env);
  ASSERT_TRUE(hr.ok()) << hr.status().ToString();
  link::LinkOptions lo;
  lo.probabilistic = false;
  auto lr = link::LinkStore(**store, lo);
  ASSERT_TRUE(lr.ok()) << lr.status().ToString();
  if (fsys::exists(dir + "/in/drop_links.csv")) {
    ASSERT_TRUE(DropLinks(store->get(), dir + "/in/drop_links.csv").ok());
  }
  ChainOptions options;
  options.age_groups = &fx.config->age_groups;
  auto report = BuildChain(store->get(), options, fx.env);
  ASSERT_TRUE(report.ok()) << report.status().ToString();

  testutil::ExpectTablesMatchGolden(store->get(), kOutputs, dir);
  store->reset();
  fsys::remove_all(tmp);
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenChain, ::testing::ValuesIn(Cases()),
                         [](const auto& info) { return info.param; });

TEST(Chain, WithoutLinksIsAFailedPrecondition) {
  Fixture fx;
  ASSERT_TRUE(fx.Load().ok());
  const fsys::path tmp = fsys::path(::testing::TempDir()) / "chain_nolinks";
  fsys::remove_all(tmp);
  fsys::create_directories(tmp);
  auto store = store::Store::Open((tmp / "store.db").string());
  ASSERT_TRUE(store.ok());
  ChainOptions options;
  options.age_groups = &fx.config->age_groups;
  auto report = BuildChain(store->get(), options, fx.env);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(report.status().message(), "chain: the store has no table 'links' (run 'das link' first)");
  options.age_groups = nullptr;
  EXPECT_EQ(BuildChain(store->get(), options, fx.env).status().code(), StatusCode::kInvalidArgument);
  store->reset();
  fsys::remove_all(tmp);
}

TEST(Chain, StageVocabularyIsInFlowOrder) {
  std::vector<std::string> names;
  for (Stage s : AllStages()) names.emplace_back(StageName(s));
  EXPECT_EQ(names, (std::vector<std::string>{"registered", "cleared", "suspect_registered", "police_disposal",
                                              "om_inflow", "om_decision", "court_inflow", "judgment",
                                              "sanction_imposed", "cjib_registered", "cjib_settled", "dji_entry",
                                              "dji_exit", "reclassering_start", "reclassering_end", "halt_referral",
                                              "halt_end", "rvdk_start", "rvdk_end"}));
}

// --- a small generated world -----------------------------------------------------------------------------
class GeneratedWorld : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fx_ = new Fixture;
    ASSERT_TRUE(fx_->Load().ok());
    // One folder per process: ctest runs each test of this suite in its own process, in parallel.
    tmp_ = new fsys::path(fsys::path(::testing::TempDir()) / ("chain_world_" + std::to_string(::getpid())));
    fsys::remove_all(*tmp_);
    fsys::create_directories(*tmp_);
    synth::GenerateOptions g;
    g.out_dir = (*tmp_ / "d").string();
    g.config_dir = kRepo + "/config";
    g.from = 2021;
    g.to = 2023;
    g.scale = 0.02;
    g.seed = 7;
    auto gen = synth::Generate(g);
    ASSERT_TRUE(gen.ok()) << gen.status().ToString();
    auto store = store::Store::Open((*tmp_ / "store.db").string());
    ASSERT_TRUE(store.ok());
    store_ = store->release();
    auto codelists = contract::CodeListSet::LoadDir(kRepo + "/config/codelists/source", *fx_->env.fs);
    ASSERT_TRUE(codelists.ok()) << codelists.status().ToString();
    codelists_ = new contract::CodeListSet(std::move(*codelists));
    intake::Config ic;
    ic.contracts = &*fx_->contracts;
    ic.codelists = codelists_;
    auto requests = intake::ReadManifest(g.out_dir, *fx_->env.fs);
    ASSERT_TRUE(requests.ok()) << requests.status().ToString();
    for (const auto& req : *requests) {
      auto p = intake::Prepare(req, ic, fx_->env, store_);
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      ASSERT_TRUE(intake::Commit(*p, store_).ok());
    }
    ASSERT_TRUE(harmonise::HarmoniseStore(store_, *fx_->contracts, *fx_->config, *fx_->geo, fx_->env).ok());
    ASSERT_TRUE(link::LinkStore(*store_, link::LinkOptions{}).ok());
    ChainOptions options;
    options.age_groups = &fx_->config->age_groups;
    auto report = BuildChain(store_, options, fx_->env);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    report_ = new Report(*report);
  }
  static void TearDownTestSuite() {
    delete store_;
    delete codelists_;
    if (tmp_) fsys::remove_all(*tmp_);
    delete tmp_;
    delete report_;
    delete fx_;
  }
  static inline Fixture* fx_ = nullptr;
  static inline fsys::path* tmp_ = nullptr;
  static inline store::Store* store_ = nullptr;
  static inline contract::CodeListSet* codelists_ = nullptr;
  static inline Report* report_ = nullptr;
};

TEST_F(GeneratedWorld, StocksBalanceForEveryStageAndYear) {
  ASSERT_NE(report_, nullptr);
  auto units = store_->GetTable("chain_stage_units", {"stage", "entry_date", "exit_date", "quality"});
  ASSERT_TRUE(units.ok());
  const Column& st = units->column(0);
  const Column& en = units->column(1);
  const Column& ex = units->column(2);
  std::set<std::string> stages;
  for (std::size_t r = 0; r < units->num_rows(); ++r) stages.insert(std::string(st.GetString(r)));
  EXPECT_EQ(stages, (std::set<std::string>{"police_registration", "police_suspect", "halt", "om", "rvdk", "court",
                                           "cjib", "dji", "reclassering"}));
  int checked = 0;
  for (const std::string& s : stages) {
    auto stock = [&](Date t) {
      std::int64_t n = 0;
      for (std::size_t r = 0; r < units->num_rows(); ++r) {
        if (st.GetString(r) != s || en.IsNull(r)) continue;
        if (en.GetDate(r) <= t && (ex.IsNull(r) || ex.GetDate(r) > t)) ++n;
      }
      return n;
    };
    for (int year = 2015; year <= 2025; ++year) {
      const Date first = Period::Year(year).First(), last = Period::Year(year).Last();
      std::int64_t in = 0, out = 0;
      for (std::size_t r = 0; r < units->num_rows(); ++r) {
        if (st.GetString(r) != s || en.IsNull(r)) continue;
        if (first <= en.GetDate(r) && en.GetDate(r) <= last) ++in;
        if (!ex.IsNull(r) && first <= ex.GetDate(r) && ex.GetDate(r) <= last) ++out;
        if (!ex.IsNull(r)) {
          ASSERT_GE(ex.GetDate(r), en.GetDate(r)) << s << " row " << r;
        }
      }
      EXPECT_EQ(stock(last), stock(first + -1) + in - out) << s << " " << year;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 9 * 11);
}

TEST_F(GeneratedWorld, OmUnitsEqualTheOmCasesAccepted) {
  ASSERT_NE(report_, nullptr);
  auto current = store_->ReadCurrent("om_zaken", {"case_number"});
  ASSERT_TRUE(current.ok());
  auto units = store_->GetTable("chain_stage_units", {"stage", "unit_id"});
  ASSERT_TRUE(units.ok());
  std::set<std::string> om_ids;
  std::size_t om = 0;
  for (std::size_t r = 0; r < units->num_rows(); ++r) {
    if (units->column(0).GetString(r) != "om") continue;
    ++om;
    om_ids.insert(std::string(units->column(1).GetString(r)));
  }
  EXPECT_GT(om, 1000u);
  EXPECT_EQ(om, current->num_rows());
  EXPECT_EQ(om_ids.size(), om);  // one unit per parketnummer
  std::set<std::string> accepted;
  const int cn = current->Find("case_number");
  for (std::size_t r = 0; r < current->num_rows(); ++r) {
    accepted.insert(std::string(current->column(static_cast<std::size_t>(cn)).GetString(r)));
  }
  EXPECT_EQ(om_ids, accepted);
}

TEST_F(GeneratedWorld, EveryRecordIsAccountedFor) {
  ASSERT_NE(report_, nullptr);
  auto acc = store_->GetTable("chain_accounting");
  ASSERT_TRUE(acc.ok());
  std::int64_t events_in = 0;
  for (std::size_t r = 0; r < acc->num_rows(); ++r) {
    const std::string table(acc->column(0).GetString(r));
    const std::int64_t in = acc->column(2).GetInt(r), out = acc->column(3).GetInt(r);
    if (table == "chain_events") {
      events_in += in;
      EXPECT_GE(out, in) << acc->column(1).ToText(r);
    } else if (table == "chain_stage_units" || table == "chain_sanctions" || table == "chain_executions") {
      EXPECT_EQ(out, in) << table << " " << acc->column(1).ToText(r);
    }
  }
  auto links = store_->GetTable("links", {"dataset"});
  ASSERT_TRUE(links.ok());
  EXPECT_EQ(events_in, static_cast<std::int64_t>(links->num_rows()));
  EXPECT_EQ(report_->records, static_cast<std::int64_t>(links->num_rows()));
  EXPECT_EQ(report_->unplaced, 0);
  // Cases and persons: every chain of links is a case; persons as the linker counted them.
  auto cases = store_->GetTable("chain_cases", {"chain_case_id", "status"});
  auto all_links = store_->GetTable("links", {"chain_case_id", "person_id"});
  ASSERT_TRUE(cases.ok() && all_links.ok());
  std::set<std::string> chains, persons;
  for (std::size_t r = 0; r < all_links->num_rows(); ++r) {
    chains.insert(std::string(all_links->column(0).GetString(r)));
    if (!all_links->column(1).IsNull(r)) persons.insert(std::string(all_links->column(1).GetString(r)));
  }
  EXPECT_EQ(cases->num_rows(), chains.size());
  EXPECT_EQ(report_->persons, static_cast<std::int64_t>(persons.size()));
  std::int64_t open = 0;
  for (std::size_t r = 0; r < cases->num_rows(); ++r) open += cases->column(1).GetString(r) == "open";
  EXPECT_GT(open, 0);
  EXPECT_LT(open, static_cast<std::int64_t>(cases->num_rows()));
}

TEST_F(GeneratedWorld, EventsAreSortedByCaseAndDate) {
  ASSERT_NE(report_, nullptr);
  auto ev = store_->GetTable("chain_events", {"chain_case_id", "date", "stage_order"});
  ASSERT_TRUE(ev.ok());
  for (std::size_t r = 1; r < ev->num_rows(); ++r) {
    const Column& c = ev->column(0);
    if (c.IsNull(r - 1) || c.IsNull(r)) continue;
    ASSERT_LE(c.GetString(r - 1), c.GetString(r)) << r;
    if (c.GetString(r - 1) != c.GetString(r)) continue;
    const Column& d = ev->column(1);
    if (d.IsNull(r - 1) || d.IsNull(r)) continue;
    ASSERT_LE(d.GetDate(r - 1), d.GetDate(r)) << r;
  }
}

TEST_F(GeneratedWorld, RebuildingGivesIdenticalTables) {
  ASSERT_NE(report_, nullptr);
  std::map<std::string, std::string> before;
  for (const std::string& name : kOutputs) {
    if (name == "chain_accounting") continue;
    auto t = store_->GetTable(name);
    ASSERT_TRUE(t.ok());
    before[name] = TableCsv(*t);
  }
  ChainOptions options;
  options.age_groups = &fx_->config->age_groups;
  ASSERT_TRUE(BuildChain(store_, options, fx_->env).ok());
  for (const auto& [name, csv] : before) {
    auto t = store_->GetTable(name);
    ASSERT_TRUE(t.ok());
    EXPECT_TRUE(TableCsv(*t) == csv) << name;
  }
}

}  // namespace
}  // namespace das::chain
