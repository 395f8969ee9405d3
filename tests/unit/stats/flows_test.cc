// Golden flow tests: hand-computed inflow, outflow and stock on a small hand-made chain_stage_units table, and
// the balance / margins on a random table checked against a brute-force count.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <map>

#include "das/chain/chain.h"
#include "das/contract/contract.h"
#include "das/core/env.h"
#include "das/harmonise/harmonise.h"
#include "das/intake/intake.h"
#include "das/link/link.h"
#include "das/synth/generate.h"
#include "das/protect/ckm.h"
#include "stats_a_fixture.h"

namespace das::stats {
namespace {

using testing_a::Cell;
using testing_a::D;
using testing_a::FindTable;
using testing_a::Topic;
using testing_a::UnitRow;

std::vector<UnitRow> GoldenUnits() {
  auto u = [](std::string id, std::optional<Date> e, std::optional<Date> x, std::string exit_type, std::string police,
              std::string province, std::string quality = "") {
    UnitRow r;
    r.stage = "om";
    r.unit_id = std::move(id);
    r.entry = e;
    r.exit = x;
    r.exit_type = std::move(exit_type);
    r.police_unit = std::move(police);
    r.province = std::move(province);
    r.quality = std::move(quality);
    r.gemeente = r.province == "PV27" ? "GM0363" : "";
    r.offence_scm = "111";
    r.age_group = "18-24";
    r.sex = "man";
    return r;
  };
  return {
      u("u1", D(2021, 12, 1), D(2022, 2, 10), "dagvaarding", "RE01", "PV27"),
      u("u2", D(2022, 3, 5), std::nullopt, "", "RE01", "PV27"),
      u("u3", D(2022, 6, 30), D(2023, 1, 15), "sepot_beleid", "RE02", "PV27"),
      u("u4", D(2023, 5, 1), D(2023, 5, 1), "strafbeschikking", "RE02", "PV20"),
      u("u5", std::nullopt, std::nullopt, "", "RE02", "PV20", "no_entry_date"),
      u("u6", D(2022, 1, 10), D(2022, 12, 31), "sepot_technisch", "", ""),
      u("u7", D(2020, 1, 1), D(2021, 6, 1), "dagvaarding", "RE01", "PV27"),
  };
}

class FlowsGolden : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = testing_a::TempStore("stats_flows_golden");
    std::vector<UnitRow> rows = GoldenUnits();
    UnitRow other = rows[1];  // a unit of another stage must not be counted in OM tables
    other.stage = "court";
    other.unit_id = "k1";
    rows.push_back(other);
    ASSERT_TRUE(store_->PutTable("chain_stage_units", testing_a::UnitsTable(rows)).ok());
    StatsOptions o = testing_a::Options(2022, 2023, D(2023, 6, 30));
    o.only_tables = {"DAS_OM_Politie", "DAS_OM_Uitstroom", "DAS_OM_Regio", "DAS_OM_Kenmerken"};
    Env env = Env::Default();
    auto r = ComputeFlowTables(store_.get(), testing_a::GetShipped().config, o, env, &report_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    tables_ = std::move(r).value();
    auto k = protect::RecordKeyer::Create(o.record_key_secret);
    ASSERT_TRUE(k.ok());
    for (const char* id : {"u1", "u2", "u3", "u4", "u6"}) key_[id] = k->Key(std::string("om:") + id);
  }
  std::uint32_t Keys(std::initializer_list<const char*> ids) {
    std::uint32_t s = 0;
    for (const char* id : ids) s = (s + key_[id]) % 256;
    return s;
  }
  std::unique_ptr<store::Store> store_;
  std::vector<StatTable> tables_;
  FlowReport report_;
  std::map<std::string, std::uint32_t> key_;
};

TEST_F(FlowsGolden, Report) {
  EXPECT_EQ(tables_.size(), 4u);
  EXPECT_EQ(report_.units_read, 8);
  EXPECT_EQ(report_.no_entry_date, 1);
  EXPECT_EQ(report_.unknown_stage, 1);  // the court unit: no court table asked for
  EXPECT_EQ(report_.exit_before_entry, 0);
}

TEST_F(FlowsGolden, PolitieYearly) {
  const StatTable* t = FindTable(tables_, "DAS_OM_Politie");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->dims.size(), 2u);
  EXPECT_EQ(t->dims[0].codes.size(), 2u);
  EXPECT_EQ(t->dims[0].codes[0].code, "2022JJ00");
  EXPECT_EQ(t->dims[0].codes[0].status, "Definitief");
  EXPECT_EQ(t->dims[0].codes[1].status, "Voorlopig");  // 2023 ends after the final date 2023-06-30
  EXPECT_EQ(t->dims[1].codes.back().code, "RE99");
  const auto& in = Topic(*t, "Instroom_1");
  const auto& out = Topic(*t, "Uitstroom_2");
  const auto& stock = Topic(*t, "Voorraad_3");
  EXPECT_EQ(t->measures[2].cell_key_id, "om.stock");
  EXPECT_EQ(t->measures[2].time, TimeSemantics::kStock);
  EXPECT_EQ(t->measures[0].cell_key_id, "om.inflow");
  // 2022 national: in u2 u3 u6, out u1 u6, stock u2 u3 (opening stock u1: 1 + 3 - 2 = 2).
  std::size_t c = Cell(*t, {"2022JJ00", "NL01"});
  EXPECT_EQ(in.n[c], 3);
  EXPECT_EQ(in.value[c], 3.0);
  EXPECT_EQ(out.n[c], 2);
  EXPECT_EQ(stock.n[c], 2);
  EXPECT_EQ(in.cell_key[c], Keys({"u2", "u3", "u6"}));
  EXPECT_EQ(out.cell_key[c], Keys({"u1", "u6"}));
  EXPECT_EQ(stock.cell_key[c], Keys({"u2", "u3"}));
  // 2023 national: in u4, out u3 u4, stock u2.
  c = Cell(*t, {"2023JJ00", "NL01"});
  EXPECT_EQ(in.n[c], 1);
  EXPECT_EQ(out.n[c], 2);
  EXPECT_EQ(stock.n[c], 1);
  EXPECT_EQ(stock.cell_key[c], Keys({"u2"}));
  // Police units; u6 has no police unit -> RE99.
  c = Cell(*t, {"2022JJ00", "RE01"});
  EXPECT_EQ(in.n[c], 1);
  EXPECT_EQ(out.n[c], 1);
  EXPECT_EQ(stock.n[c], 1);
  c = Cell(*t, {"2022JJ00", "RE02"});
  EXPECT_EQ(in.n[c], 1);
  EXPECT_EQ(out.n[c], 0);
  EXPECT_EQ(stock.n[c], 1);
  c = Cell(*t, {"2022JJ00", "RE99"});
  EXPECT_EQ(in.n[c], 1);
  EXPECT_EQ(out.n[c], 1);
  EXPECT_EQ(stock.n[c], 0);
  EXPECT_EQ(in.n[Cell(*t, {"2022JJ00", "RE05"})], 0);
}

TEST_F(FlowsGolden, RegioMonthlyStocksAndHierarchy) {
  const StatTable* t = FindTable(tables_, "DAS_OM_Regio");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->dims[0].codes.size(), 2u * 17u);
  EXPECT_EQ(t->dims[0].codes[1].code, "2022KW01");
  EXPECT_EQ(t->dims[0].codes[1].parent, "2022JJ00");
  EXPECT_EQ(t->dims[0].codes[2].code, "2022MM01");
  EXPECT_EQ(t->dims[0].codes[2].parent, "2022KW01");
  EXPECT_EQ(t->dims[0].Find("2023KW02"), 17 + 5);  // 2023JJ00, KW01, MM01..MM03, KW02
  EXPECT_EQ(t->dims[0].codes[17 + 5].status, "Definitief");
  EXPECT_EQ(t->dims[0].codes[static_cast<std::size_t>(t->dims[0].Find("2023MM07"))].status, "Voorlopig");
  const auto& in = Topic(*t, "Instroom_1");
  const auto& out = Topic(*t, "Uitstroom_2");
  const auto& stock = Topic(*t, "Voorraad_3");
  // End of February 2022: only u6 (u1 left on 10 Feb, u2 came on 5 Mar).
  EXPECT_EQ(stock.n[Cell(*t, {"2022MM02", "NL01"})], 1);
  EXPECT_EQ(stock.n[Cell(*t, {"2022MM01", "NL01"})], 2);  // u1, u6
  EXPECT_EQ(out.n[Cell(*t, {"2022MM02", "NL01"})], 1);
  EXPECT_EQ(in.n[Cell(*t, {"2022KW01", "NL01"})], 2);     // u6 (Jan), u2 (Mar)
  EXPECT_EQ(stock.n[Cell(*t, {"2022KW04", "NL01"})], 2);  // = stock at the end of December = year
  EXPECT_EQ(stock.n[Cell(*t, {"2022MM12", "NL01"})], 2);
  EXPECT_EQ(stock.n[Cell(*t, {"2022JJ00", "NL01"})], 2);
  // Geography: u1-u3 in Amsterdam (PV27), u6 unknown -> GM9999 under PV99.
  EXPECT_EQ(in.n[Cell(*t, {"2022JJ00", "GM0363"})], 2);
  EXPECT_EQ(in.n[Cell(*t, {"2022JJ00", "PV27"})], 2);
  EXPECT_EQ(in.n[Cell(*t, {"2022JJ00", "GM9999"})], 1);
  EXPECT_EQ(in.n[Cell(*t, {"2022JJ00", "PV99"})], 1);
  EXPECT_EQ(in.n[Cell(*t, {"2023JJ00", "PV20"})], 0);  // u4 has no gemeente -> GM9999 (PV99), not PV20
  EXPECT_EQ(in.n[Cell(*t, {"2023JJ00", "PV99"})], 1);
}

TEST_F(FlowsGolden, UitstroomByDestination) {
  const StatTable* t = FindTable(tables_, "DAS_OM_Uitstroom");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->dims.size(), 3u);
  EXPECT_EQ(t->dims[1].id, "Bestemming");
  EXPECT_EQ(t->dims[1].codes[0].code, "totaal");
  const auto& out = Topic(*t, "Uitstroom_1");
  EXPECT_EQ(out.n[Cell(*t, {"2022KW01", "totaal", "NL01"})], 1);
  EXPECT_EQ(out.n[Cell(*t, {"2022KW01", "dagvaarding", "PV27"})], 1);
  EXPECT_EQ(out.n[Cell(*t, {"2022JJ00", "sepot", "NL01"})], 1);            // u6 sepot_technisch
  EXPECT_EQ(out.n[Cell(*t, {"2022JJ00", "sepot_technisch", "PV99"})], 1);
  EXPECT_EQ(out.n[Cell(*t, {"2023JJ00", "sepot", "PV27"})], 1);            // u3 sepot_beleid
  EXPECT_EQ(out.n[Cell(*t, {"2023KW02", "strafbeschikking", "PV20"})], 1);
  EXPECT_EQ(out.n[Cell(*t, {"2023JJ00", "totaal", "NL01"})], 2);
}

TEST_F(FlowsGolden, Kenmerken) {
  const StatTable* t = FindTable(tables_, "DAS_OM_Kenmerken");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->dims.size(), 4u);
  const auto& in = Topic(*t, "Instroom_1");
  EXPECT_EQ(in.n[Cell(*t, {"2022JJ00", "0", "10000", "T001038"})], 3);
  EXPECT_EQ(in.n[Cell(*t, {"2022JJ00", "1", "meerderjarig", "3000"})], 3);
  EXPECT_EQ(in.n[Cell(*t, {"2022JJ00", "111", "18-24", "3000"})], 3);
  EXPECT_EQ(in.n[Cell(*t, {"2022JJ00", "111", "minderjarig", "T001038"})], 0);
  EXPECT_EQ(in.n[Cell(*t, {"2022JJ00", "onbekend", "onbekend", "onbekend"})], 0);
}

// Random units of two stages; every cell of every flow table is compared with a brute-force count, and the
// balance is checked from the published cells.
TEST(FlowsRandom, MatchesBruteForceAndBalances) {
  Random rnd(42);
  const char* gms[] = {"GM0363", "GM0014", "GM0599", "GM9998", ""};  // GM9998 does not exist -> GM9999
  const char* sexes[] = {"man", "vrouw", "onbekend", ""};
  std::vector<UnitRow> rows;
  for (int i = 0; i < 1500; ++i) {
    UnitRow r;
    r.stage = i % 3 == 0 ? "court" : "om";
    r.unit_id = "x" + std::to_string(i);
    const Date e = D(2020, 6, 1) + static_cast<std::int32_t>(rnd.Below(1400));
    r.entry = e;
    if (rnd.Bernoulli(0.8)) r.exit = e + static_cast<std::int32_t>(rnd.Below(500));
    r.exit_type = r.exit ? (r.stage == "om" ? "dagvaarding" : "schuldig") : "";
    r.gemeente = gms[rnd.Below(5)];
    r.sex = sexes[rnd.Below(4)];
    rows.push_back(r);
  }
  auto store = testing_a::TempStore("stats_flows_random");
  ASSERT_TRUE(store->PutTable("chain_stage_units", testing_a::UnitsTable(rows)).ok());
  StatsOptions o = testing_a::Options(2021, 2023, D(2023, 12, 31));
  o.only_tables = {"DAS_OM_Regio", "DAS_Rechtspraak_Regio"};
  Env env = Env::Default();
  FlowReport rep;
  auto r = ComputeFlowTables(store.get(), testing_a::GetShipped().config, o, env, &rep);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  for (const StatTable& t : *r) {
    const std::string stage = t.id == "DAS_OM_Regio" ? "om" : "court";
    const auto& in = Topic(t, "Instroom_1");
    const auto& out = Topic(t, "Uitstroom_2");
    const auto& stock = Topic(t, "Voorraad_3");
    const auto& geo = testing_a::GetShipped().geography;
    for (const Code& pc : t.dims[0].codes) {
      auto per = Period::Parse(pc.code);
      ASSERT_TRUE(per.ok());
      for (const char* region : {"NL01", "GM0363", "PV27", "GM9999", "PV99", "PV25"}) {
        std::int64_t bi = 0, bo = 0, bs = 0;
        for (const UnitRow& u : rows) {
          if (u.stage != stage) continue;
          const geo::GemeenteInfo* g = u.gemeente.empty() ? nullptr : geo.FindGemeente(u.gemeente);
          const bool valid = g != nullptr && g->ValidIn(2024);
          const std::string gm = valid ? u.gemeente : "GM9999";
          const std::string pv = valid ? g->province : "PV99";
          const std::string reg(region);
          if (!(reg == "NL01" || reg == gm || reg == pv)) continue;
          if (per->Contains(*u.entry)) ++bi;
          if (u.exit && per->Contains(*u.exit)) ++bo;
          if (*u.entry <= per->Last() && (!u.exit || *u.exit > per->Last())) ++bs;
        }
        const std::size_t c = Cell(t, {pc.code, region});
        ASSERT_EQ(in.n[c], bi) << t.id << " " << pc.code << " " << region;
        ASSERT_EQ(out.n[c], bo) << t.id << " " << pc.code << " " << region;
        ASSERT_EQ(stock.n[c], bs) << t.id << " " << pc.code << " " << region;
      }
    }
    // Balance over consecutive months from the published cells: stock(m) = stock(m-1) + in(m) - out(m).
    for (std::size_t ri = 0; ri < t.dims[1].codes.size(); ++ri) {
      std::string prev;
      for (const Code& pc : t.dims[0].codes) {
        if (pc.code.find("MM") == std::string::npos) continue;
        if (!prev.empty()) {
          const std::size_t a = t.Index({t.dims[0].Find(prev), static_cast<int>(ri)});
          const std::size_t b = t.Index({t.dims[0].Find(pc.code), static_cast<int>(ri)});
          ASSERT_EQ(stock.n[b], stock.n[a] + in.n[b] - out.n[b]) << t.id << " " << pc.code << " " << ri;
        }
        prev = pc.code;
      }
    }
  }
  EXPECT_EQ(rep.units_read, 1500);
  EXPECT_GT(rep.unknown_dims, 0);
}

TEST(FlowsErrors, MissingTableAndBadSecret) {
  auto store = testing_a::TempStore("stats_flows_errors");
  StatsOptions o = testing_a::Options(2022, 2023, D(2023, 12, 31));
  Env env = Env::Default();
  auto r = ComputeFlowTables(store.get(), testing_a::GetShipped().config, o, env);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("run `das chain` first"), std::string::npos) << r.status().message();
  o.record_key_secret = "short";
  r = ComputeFlowTables(store.get(), testing_a::GetShipped().config, o, env);
  EXPECT_FALSE(r.ok());
  o = testing_a::Options(2023, 2022, D(2023, 12, 31));
  r = ComputeFlowTables(store.get(), testing_a::GetShipped().config, o, env);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "stats: invalid year range 2023..2022");
}

}  // namespace
}  // namespace das::stats

namespace das::stats {
namespace {

// On a real chain model (disabled by default; run with --gtest_also_run_disabled_tests and DAS_STATS_WORLD=<store.db>
// after `das chain`): computes every
// flow and throughput table, which checks the balance for every stage, period and cell internally, and checks
// the national totals of one table against a direct count. Prints the timings.
TEST(FlowsWorld, DISABLED_GeneratedWorldBalances) {
  const char* path = std::getenv("DAS_STATS_WORLD");
  ASSERT_NE(path, nullptr) << "set DAS_STATS_WORLD=<store.db>";
  auto store = store::Store::Open(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const int from = std::getenv("DAS_STATS_FROM") ? std::atoi(std::getenv("DAS_STATS_FROM")) : 2023;
  const int to = std::getenv("DAS_STATS_TO") ? std::atoi(std::getenv("DAS_STATS_TO")) : 2023;
  StatsOptions o = testing_a::Options(from, to, D(to, 12, 31));
  Env env = Env::Default();
  FlowReport rep;
  auto r = ComputeFlowTables(store->get(), testing_a::GetShipped().config, o, env, &rep);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::printf("flows: %zu tables, %lld units read, %lld without entry date, read %.2f s, compute %.2f s\n", r->size(),
              static_cast<long long>(rep.units_read), static_cast<long long>(rep.no_entry_date), rep.seconds_read,
              rep.seconds_compute);
  ThroughputReport trep;
  auto t = ComputeThroughputTables(store->get(), testing_a::GetShipped().config, o, env, &trep);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  std::printf("throughput: %lld units, %lld skipped (quality), %lld case-traject pairs, %.2f s\n",
              static_cast<long long>(trep.units_considered), static_cast<long long>(trep.skipped_quality),
              static_cast<long long>(trep.cases_considered), trep.seconds);
  std::printf("unknown dimension values: %lld\n", static_cast<long long>(rep.unknown_dims));
  ASSERT_EQ(t->size(), 1u);
  const StatTable& dl = t->front();
  for (const Code& tr : dl.dims[1].codes) {
    for (const char* m : {"terugkijk", "cohort"}) {
      const std::size_t c = Cell(dl, {std::to_string(to) + "JJ00", tr.code, m});
      std::printf("%-28s %-9s n %7lld median %5.0f p80 %5.0f p90 %5.0f within norm %5.1f\n", tr.code.c_str(), m,
                  static_cast<long long>(Topic(dl, "Aantal_1").n[c]), Topic(dl, "Mediaan_2").value[c],
                  Topic(dl, "P80_3").value[c], Topic(dl, "P90_4").value[c], Topic(dl, "BinnenNorm_5").value[c]);
    }
  }
  // National inflow of OM per year = direct count of om units with an entry date in that year.
  auto units = (*store)->GetTable("chain_stage_units", {"stage", "entry_date"});
  ASSERT_TRUE(units.ok());
  const StatTable* om = testing_a::FindTable(*r, "DAS_OM_Politie");
  ASSERT_NE(om, nullptr);
  for (int y = from; y <= to; ++y) {
    std::int64_t direct = 0;
    for (std::size_t i = 0; i < units->num_rows(); ++i) {
      if (units->column(0).GetString(i) == "om" && !units->column(1).IsNull(i) &&
          units->column(1).GetDate(i).year() == y) {
        ++direct;
      }
    }
    const std::size_t c = Cell(*om, {std::to_string(y) + "JJ00", "NL01"});
    EXPECT_EQ(Topic(*om, "Instroom_1").n[c], direct) << y;
    std::printf("OM %d: inflow %lld outflow %lld stock %lld\n", y, static_cast<long long>(direct),
                static_cast<long long>(Topic(*om, "Uitstroom_2").n[c]), static_cast<long long>(Topic(*om, "Voorraad_3").n[c]));
  }
}

}  // namespace
}  // namespace das::stats

namespace das::stats {
namespace {

// A small generated world run through the whole pipeline (generate, intake, harmonise, link, chain): every flow
// table of every stage balances (checked inside ComputeFlowTables for every finest period and cell, including
// the opening stock of units from 2021) and the published cells of DAS_<S>_Politie balance year over year.
TEST(FlowsGeneratedWorld, EveryStageBalances) {
  const auto tmp = std::filesystem::path(::testing::TempDir()) / ("stats_world_" + std::to_string(::getpid()));
  std::filesystem::remove_all(tmp);
  std::filesystem::create_directories(tmp);
  Env env = Env::Default();
  FixedClock clock(1709294400000000);
  env.clock = &clock;
  const std::string repo = testing_a::kRepo;
  auto contracts = contract::ContractSet::LoadDir(repo + "/config/sources", *env.fs);
  ASSERT_TRUE(contracts.ok()) << contracts.status().ToString();
  const auto& shipped = testing_a::GetShipped();
  synth::GenerateOptions g;
  g.out_dir = (tmp / "d").string();
  g.config_dir = repo + "/config";
  g.from = 2021;
  g.to = 2023;
  g.scale = 0.02;
  g.seed = 11;
  auto gen = synth::Generate(g);
  ASSERT_TRUE(gen.ok()) << gen.status().ToString();
  auto st = store::Store::Open((tmp / "store.db").string());
  ASSERT_TRUE(st.ok());
  store::Store* store = st->get();
  auto codelists = contract::CodeListSet::LoadDir(repo + "/config/codelists/source", *env.fs);
  ASSERT_TRUE(codelists.ok()) << codelists.status().ToString();
  intake::Config ic;
  ic.contracts = &*contracts;
  ic.codelists = &*codelists;
  auto requests = intake::ReadManifest(g.out_dir, *env.fs);
  ASSERT_TRUE(requests.ok()) << requests.status().ToString();
  for (const auto& req : *requests) {
    auto p = intake::Prepare(req, ic, env, store);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    ASSERT_TRUE(intake::Commit(*p, store).ok());
  }
  ASSERT_TRUE(harmonise::HarmoniseStore(store, *contracts, shipped.codelists, shipped.geography, env).ok());
  ASSERT_TRUE(link::LinkStore(*store, link::LinkOptions{}).ok());
  chain::ChainOptions co;
  co.age_groups = &shipped.codelists.age_groups;
  auto chain_report = chain::BuildChain(store, co, env);
  ASSERT_TRUE(chain_report.ok()) << chain_report.status().ToString();

  // From 2022: units of 2021 form the opening stock.
  StatsOptions o = testing_a::Options(2022, 2023, D(2023, 12, 31));
  FlowReport rep;
  auto r = ComputeFlowTables(store, shipped.config, o, env, &rep);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 36u);
  EXPECT_EQ(rep.units_read, chain_report->units);
  auto units = store->GetTable("chain_stage_units", {"stage", "entry_date", "exit_date"});
  ASSERT_TRUE(units.ok());
  int stages_with_opening_stock = 0;
  for (const StageDef& sd : shipped.config.stages) {
    const StatTable* t = testing_a::FindTable(*r, "DAS_" + sd.stem + "_Politie");
    ASSERT_NE(t, nullptr);
    // Opening stock (end of 2021) by direct count, then the balance through 2022 and 2023 from the cells.
    std::int64_t open = 0, in22 = 0;
    for (std::size_t i = 0; i < units->num_rows(); ++i) {
      if (units->column(0).GetString(i) != sd.stage || units->column(1).IsNull(i)) continue;
      const Date e = units->column(1).GetDate(i);
      const bool exit_known = !units->column(2).IsNull(i);
      if (e <= D(2021, 12, 31) && (!exit_known || units->column(2).GetDate(i) > D(2021, 12, 31))) ++open;
      if (e.year() == 2022) ++in22;
    }
    stages_with_opening_stock += open > 0 ? 1 : 0;
    for (std::size_t rc = 0; rc < t->dims[1].codes.size(); ++rc) {
      const std::size_t c22 = t->Index({0, static_cast<int>(rc)}), c23 = t->Index({1, static_cast<int>(rc)});
      const auto& in = Topic(*t, "Instroom_1");
      const auto& out = Topic(*t, "Uitstroom_2");
      const auto& stock = Topic(*t, "Voorraad_3");
      EXPECT_EQ(stock.n[c23], stock.n[c22] + in.n[c23] - out.n[c23]) << t->id << " " << t->dims[1].codes[rc].code;
      if (rc == 0) {
        EXPECT_EQ(stock.n[c22], open + in.n[c22] - out.n[c22]) << t->id;
        EXPECT_EQ(in.n[c22], in22) << t->id;
      }
    }
  }
  EXPECT_GE(stages_with_opening_stock, 5);
  ThroughputReport trep;
  auto tp = ComputeThroughputTables(store, shipped.config, o, env, &trep);
  ASSERT_TRUE(tp.ok()) << tp.status().ToString();
  EXPECT_GT(trep.units_considered, 0);
  std::filesystem::remove_all(tmp);
}

}  // namespace
}  // namespace das::stats
