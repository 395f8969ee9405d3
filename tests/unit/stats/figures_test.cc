// Golden tests of the key figures, fines and distinct suspects on a small hand-built chain.
#include "das/stats/figures.h"

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "das/core/date.h"
#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/protect/ckm.h"
#include "das/store/store.h"

namespace das::stats {
namespace {

// A table from text rows: "" is null; types by column.
Table MakeTable(const std::vector<std::pair<std::string, ColumnType>>& cols,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<Column> c;
  for (const auto& [n, t] : cols) c.emplace_back(n, t);
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const std::string& v = r[i];
      if (v.empty()) {
        c[i].AppendNull();
        continue;
      }
      switch (cols[i].second) {
        case ColumnType::kString: c[i].AppendString(v); break;
        case ColumnType::kInt64: c[i].AppendInt(std::stoll(v)); break;
        case ColumnType::kDouble: c[i].AppendDouble(std::stod(v)); break;
        case ColumnType::kDate: c[i].AppendDate(ParseDate(v, DateFormat::kIso).value()); break;
        case ColumnType::kBool: c[i].AppendBool(v == "1"); break;
      }
    }
  }
  return Table(std::move(c));
}

constexpr auto S = ColumnType::kString;
constexpr auto D = ColumnType::kDate;

class FiguresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("das_figures_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    store_ = store::Store::Open((dir_ / "s.db").string()).value();
    geo_ = std::make_unique<geo::Geography>(geo::Geography::Load(std::string(DAS_SOURCE_DIR) + "/config/geo").value());
    auto text = PosixFileSystem()->ReadFile(std::string(DAS_SOURCE_DIR) + "/config/codelists/leeftijdsgroep.csv").value();
    ages_ = std::make_unique<harmonise::AgeGroups>(harmonise::AgeGroups::Parse(text, "leeftijdsgroep.csv").value());

    // stage, unit_id, person_id, entry, exit, exit_type, unit_type, gemeente, province, scm_level1, age_group, minor, sex
    const std::vector<std::pair<std::string, ColumnType>> cols = {
        {"stage", S}, {"unit_id", S}, {"person_id", S}, {"entry_date", D}, {"exit_date", D}, {"exit_type", S},
        {"unit_type", S}, {"gemeente_2024", S}, {"province", S}, {"scm_level1", S}, {"age_group", S},
        {"minor", ColumnType::kBool}, {"sex", S}};
    const std::vector<std::vector<std::string>> units = {
        {"police_registration", "r1", "P1", "2023-02-01", "2023-03-01", "opgehelderd", "aangifte", "GM0363", "PV27", "3", "12-17", "1", "man"},
        {"police_registration", "r2", "", "2023-05-01", "", "", "aangifte", "GM0363", "PV27", "1", "onbekend", "", "onbekend"},
        {"police_registration", "r3", "", "2023-07-01", "", "", "politie", "GM0014", "PV20", "1", "onbekend", "", "onbekend"},
        {"police_registration", "r4", "P2", "2022-12-01", "2023-01-10", "opgehelderd", "aangifte", "GM0363", "PV27", "1", "25-34", "0", "vrouw"},
        {"police_suspect", "s1", "P1", "2023-01-10", "2023-02-01", "proces_verbaal_om", "N", "GM0363", "PV27", "3", "12-17", "1", "man"},
        {"police_suspect", "s2", "P1", "2023-02-10", "2023-03-01", "halt", "N", "GM0363", "PV27", "1", "12-17", "1", "man"},
        {"police_suspect", "s3", "P2", "2023-03-10", "", "", "N", "GM0014", "PV20", "1", "25-34", "0", "vrouw"},
        {"halt", "h1", "P1", "2023-03-01", "2023-06-01", "positief", "", "GM0363", "PV27", "1", "12-17", "1", "man"},
        {"halt", "h2", "P3", "2023-04-01", "2023-08-01", "negatief", "", "GM0363", "PV27", "1", "12-17", "1", "man"},
        {"halt", "h3", "P4", "2023-05-01", "2023-09-01", "positief", "", "GM0014", "PV20", "1", "12-17", "1", "vrouw"},
        {"om", "o1", "P2", "2023-01-05", "2023-03-01", "dagvaarding", "zsm", "GM0363", "PV27", "1", "25-34", "0", "vrouw"},
        {"om", "o2", "P5", "2023-02-01", "2023-04-01", "sepot_beleid", "regulier", "GM0363", "PV27", "1", "25-34", "0", "man"},
        {"om", "o3", "P6", "2023-03-01", "2023-05-01", "strafbeschikking", "zsm", "GM0363", "PV27", "1", "25-34", "0", "man"},
        {"om", "o4", "P7", "2023-06-01", "", "", "regulier", "GM0014", "PV20", "1", "25-34", "0", "man"},
        {"court", "c1", "P2", "2023-03-15", "2023-06-01", "schuldig_met_straf", "politierechter", "GM0363", "PV27", "1", "25-34", "0", "vrouw"},
        {"court", "c2", "P8", "2023-04-01", "2023-07-01", "vrijspraak", "meervoudige_kamer", "GM0014", "PV20", "1", "25-34", "0", "man"},
        {"dji", "d1", "P2", "2023-02-01", "2023-05-01", "einde", "vrijheidsstraf", "GM0363", "PV27", "1", "25-34", "0", "vrouw"},
        {"dji", "d2", "P8", "2023-03-01", "", "", "voorlopige_hechtenis", "GM0014", "PV20", "1", "25-34", "0", "man"},
        {"reclassering", "w1", "P5", "2023-01-01", "2023-04-01", "voltooid", "werkstraf", "GM0363", "PV27", "1", "25-34", "0", "man"},
        {"reclassering", "w2", "P6", "2023-01-01", "2023-05-01", "niet_voltooid", "werkstraf", "GM0363", "PV27", "1", "25-34", "0", "man"},
        {"reclassering", "w3", "P6", "2023-01-01", "2023-05-01", "voltooid", "toezicht", "GM0363", "PV27", "1", "25-34", "0", "man"},
        {"cjib", "j1", "P6", "2023-02-01", "2023-03-01", "betaald", "strafbeschikking_om", "GM0363", "PV27", "1", "25-34", "0", "man"},
        {"cjib", "j2", "P7", "2023-02-01", "2023-09-01", "vervangende_hechtenis", "strafbeschikking_om", "GM0014", "PV20", "1", "25-34", "0", "man"},
    };
    ASSERT_TRUE(store_->PutTable("chain_stage_units", MakeTable(cols, units)).ok());
    ASSERT_TRUE(store_->PutTable("chain_sanctions", MakeTable(
        {{"record_key", S}, {"person_id", S}, {"judgment_date", D}, {"sanction_h_level1", S}, {"gemeente_2024", S}},
        {{"k1", "P2", "2023-06-01", "vrijheidsstraf", "GM0363"}, {"k2", "P2", "2023-06-01", "taakstraf", "GM0363"},
         {"k3", "P9", "2023-06-02", "geldboete", "GM0014"}, {"k4", "P9", "2023-06-02", "geldboete", "GM0014"}})).ok());
    ASSERT_TRUE(store_->PutTable("chain_executions", MakeTable(
        {{"record_key", S}, {"person_id", S}, {"organisation", S}, {"type", S}, {"start_date", D}, {"end_date", D},
         {"amount", ColumnType::kDouble}, {"amount_collected", ColumnType::kDouble}, {"gemeente_2024", S}, {"province", S}},
        {{"j1", "P6", "cjib", "strafbeschikking_om", "2023-02-01", "2023-03-01", "100", "100", "GM0363", "PV27"},
         {"j2", "P7", "cjib", "strafbeschikking_om", "2023-02-01", "2023-09-01", "300", "0", "GM0014", "PV20"},
         {"j3", "P7", "cjib", "geldboete_rechter", "2023-03-01", "", "250", "50", "GM0014", "PV20"},
         {"d1", "P2", "dji", "vrijheidsstraf", "2023-02-01", "2023-05-01", "", "", "GM0363", "PV27"}})).ok());
    ASSERT_TRUE(store_->PutTable("chain_person_residence", MakeTable(
        {{"person_id", S}, {"year", ColumnType::kInt64}, {"gemeente_2024", S}},
        {{"P1", "2023", "GM0363"}, {"P2", "2022", "GM0363"}})).ok());
    options_.geography = geo_.get();
    options_.age_groups = ages_.get();
    options_.from_year = 2023;
    options_.to_year = 2023;
    options_.horizon = Date::FromYmdUnchecked(2024, 3, 31);
    options_.record_key_secret = "0123456789abcdef-test-secret";
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Value of topic `id` at (2023, region) in `t`.
  static double At(const StatTable& t, const std::string& id, const std::string& region, std::int64_t* n = nullptr) {
    for (std::size_t m = 0; m < t.measures.size(); ++m) {
      if (t.measures[m].id != id) continue;
      const std::size_t i = t.Index({0, t.dims[1].Find(region)});
      if (n != nullptr) *n = t.values[m].n[i];
      return t.values[m].value[i];
    }
    ADD_FAILURE() << "no topic " << id << " in " << t.id;
    return -1;
  }
  static const StatTable& Table(const std::vector<StatTable>& ts, const std::string& id) {
    for (const StatTable& t : ts) {
      if (t.id == id) return t;
    }
    static StatTable none;
    ADD_FAILURE() << "no table " << id;
    return none;
  }
  double Population(const std::string& province = "") const {
    double pop = 0;
    for (const geo::GemeenteInfo* g : geo_->GemeentenIn(geo::kGeographyYear)) {
      if (province.empty() || g->province == province) pop += static_cast<double>(g->population);
    }
    return pop;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<geo::Geography> geo_;
  std::unique_ptr<harmonise::AgeGroups> ages_;
  FiguresOptions options_;
};

TEST_F(FiguresTest, ShippedConfigLoads) {
  auto cfg = LoadFiguresConfig(std::string(DAS_SOURCE_DIR) + "/config", *PosixFileSystem());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_EQ(cfg->themes.size(), 6u);
  EXPECT_GE(cfg->figures.size(), 30u);
}

TEST_F(FiguresTest, KeyFiguresPerTheme) {
  auto cfg = LoadFiguresConfig(std::string(DAS_SOURCE_DIR) + "/config", *PosixFileSystem());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  auto tables = ComputeFigureTables(store_.get(), *cfg, options_, Env::Default());
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  ASSERT_EQ(tables->size(), 6u);
  std::int64_t n = 0;

  const StatTable& prev = Table(*tables, "DAS_Kerncijfers_Preventie");
  EXPECT_EQ(prev.measures[0].id, "HaltVerwijzingen_1");
  EXPECT_EQ(prev.measures[0].cell_key_id, "halt.inflow");
  EXPECT_EQ(prev.measures[0].kind, MeasureKind::kCount);
  EXPECT_EQ(At(prev, "HaltVerwijzingen_1", "NL01"), 3);
  EXPECT_EQ(At(prev, "HaltVerwijzingen_1", "PV27"), 2);
  EXPECT_DOUBLE_EQ(At(prev, "HaltPositief_2", "NL01", &n), 200.0 / 3);
  EXPECT_EQ(n, 3);  // the denominator
  EXPECT_DOUBLE_EQ(At(prev, "HaltPositief_2", "GM0363"), 50.0);
  EXPECT_EQ(At(prev, "MinderjarigeVerdachten_3", "NL01"), 1);  // P1 twice, counted once
  EXPECT_EQ(At(prev, "MinderjarigeVerdachten_3", "GM0363"), 1);  // P1 lives in Amsterdam in 2023
  EXPECT_EQ(prev.dims[0].codes[0].code, "2023JJ00");
  EXPECT_EQ(prev.dims[0].codes[0].status, "Definitief");  // 2023 ended before the horizon

  const StatTable& slo = Table(*tables, "DAS_Kerncijfers_Slachtofferschap");
  EXPECT_EQ(slo.measures[0].id, "SlachtoffersTotaal_1");
  EXPECT_TRUE(std::isnan(At(slo, "SlachtoffersTotaal_1", "NL01")));  // no survey delivered
  EXPECT_EQ(At(slo, "Aangiften_3", "NL01"), 2);
  EXPECT_EQ(At(slo, "Aangiften_3", "GM0014"), 0);
  EXPECT_DOUBLE_EQ(At(slo, "GeweldPer1000_4", "NL01"), 1000.0 / Population());

  const StatTable& ops = Table(*tables, "DAS_Kerncijfers_Opsporing");
  EXPECT_EQ(At(ops, "GeregistreerdeMisdrijven_1", "NL01"), 3);
  EXPECT_EQ(ops.measures[0].cell_key_id, "police_registration.inflow");
  EXPECT_DOUBLE_EQ(At(ops, "Ophelderingspercentage_2", "NL01", &n), 200.0 / 3);  // r1 and r4 cleared in 2023
  EXPECT_EQ(n, 3);
  EXPECT_DOUBLE_EQ(At(ops, "Ophelderingspercentage_2", "PV20"), 0.0);
  EXPECT_DOUBLE_EQ(At(ops, "VerdachtenPer10000_4", "NL01"), 20000.0 / Population());
  EXPECT_DOUBLE_EQ(At(ops, "VerdachtenNaarOm_5", "NL01"), 50.0);
  EXPECT_EQ(ops.measures[1].kind, MeasureKind::kDerived);

  const StatTable& ver = Table(*tables, "DAS_Kerncijfers_Vervolging");
  EXPECT_EQ(At(ver, "OmInstroom_1", "NL01"), 4);
  EXPECT_DOUBLE_EQ(At(ver, "SepotAandeel_3", "NL01"), 100.0 / 3);
  EXPECT_DOUBLE_EQ(At(ver, "StrafbeschikkingAandeel_4", "NL01"), 100.0 / 3);
  EXPECT_EQ(At(ver, "OmWerkvoorraad_5", "NL01"), 1);
  EXPECT_EQ(ver.measures[4].cell_key_id, "om.stock");
  EXPECT_EQ(ver.measures[4].time, TimeSemantics::kStock);
  EXPECT_DOUBLE_EQ(At(ver, "ZsmAandeel_6", "NL01"), 50.0);
  EXPECT_TRUE(std::isnan(At(ver, "SepotAandeel_3", "GM0014")));  // no decisions there: undefined

  const StatTable& ber = Table(*tables, "DAS_Kerncijfers_Berechting");
  EXPECT_EQ(At(ber, "Uitspraken_1", "NL01"), 2);
  EXPECT_DOUBLE_EQ(At(ber, "Veroordelingspercentage_2", "NL01"), 50.0);
  EXPECT_DOUBLE_EQ(At(ber, "PolitierechterAandeel_4", "NL01"), 50.0);
  EXPECT_DOUBLE_EQ(At(ber, "GeldboeteAandeel_7", "NL01", &n), 50.0);
  EXPECT_EQ(n, 4);
  EXPECT_DOUBLE_EQ(At(ber, "VrijheidsstrafAandeel_5", "GM0363"), 50.0);

  const StatTable& tul = Table(*tables, "DAS_Kerncijfers_Tenuitvoerlegging");
  EXPECT_EQ(At(tul, "DjiInstroom_1", "NL01"), 2);
  EXPECT_EQ(At(tul, "DjiBezetting_2", "NL01"), 1);
  EXPECT_EQ(At(tul, "GeindeBoetes_3", "NL01", &n), 150);
  EXPECT_EQ(n, 3);
  EXPECT_EQ(tul.measures[2].kind, MeasureKind::kAmount);
  const std::size_t nl = tul.Index({0, tul.dims[1].Find("NL01")});
  EXPECT_EQ(tul.values[2].top1[nl], 100);
  EXPECT_EQ(tul.values[2].top2[nl], 50);
  EXPECT_DOUBLE_EQ(At(tul, "Inningspercentage_4", "NL01"), 100.0 * 150 / 650);
  EXPECT_DOUBLE_EQ(At(tul, "VervangendeHechtenisAandeel_5", "NL01"), 50.0);
  EXPECT_DOUBLE_EQ(At(tul, "WerkstrafVoltooid_6", "NL01"), 50.0);  // toezicht is not a werkstraf
}

TEST_F(FiguresTest, CellKeysAreSumsOfRecordKeys) {
  auto cfg = LoadFiguresConfig(std::string(DAS_SOURCE_DIR) + "/config", *PosixFileSystem());
  ASSERT_TRUE(cfg.ok());
  auto tables = ComputeFigureTables(store_.get(), *cfg, options_, Env::Default());
  ASSERT_TRUE(tables.ok());
  const StatTable& ver = Table(*tables, "DAS_Kerncijfers_Vervolging");
  auto keyer = protect::RecordKeyer::Create(options_.record_key_secret).value();
  const std::uint32_t expect = (keyer.Key("om:o1") + keyer.Key("om:o2") + keyer.Key("om:o3") + keyer.Key("om:o4")) % 256;
  EXPECT_EQ(ver.values[0].cell_key[ver.Index({0, 0})], expect);
}

TEST_F(FiguresTest, UnknownColumnIsAnError) {
  auto cfg = ParseFiguresConfig(
      "", "t.toml", "", "k.toml");
  EXPECT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.status().message(), "t.toml: no [[thema]] entries");
  auto shipped = LoadFiguresConfig(std::string(DAS_SOURCE_DIR) + "/config", *PosixFileSystem());
  ASSERT_TRUE(shipped.ok());
  FiguresConfig c = *shipped;
  c.figures[0].formula = "count(units, stage='halt', colour='red')";
  auto tables = ComputeFigureTables(store_.get(), c, options_, Env::Default());
  ASSERT_FALSE(tables.ok());
  EXPECT_EQ(tables.status().message(),
            "key figure 'halt_verwijzingen': column 1: count(units): unknown column 'colour' of chain_stage_units");
}

TEST_F(FiguresTest, MalformedFormulaInConfig) {
  const std::string themes = PosixFileSystem()->ReadFile(std::string(DAS_SOURCE_DIR) + "/config/stats/themas.toml").value();
  std::string figs = PosixFileSystem()->ReadFile(std::string(DAS_SOURCE_DIR) + "/config/stats/kerncijfers.toml").value();
  const std::string from = "formula = \"count(units, stage='halt', by=entry)\"";
  ASSERT_NE(figs.find(from), std::string::npos);
  figs.replace(figs.find(from), from.size(), "formula = \"count(units, stage='halt' by=entry)\"");
  auto cfg = ParseFiguresConfig(themes, "themas.toml", figs, "kerncijfers.toml");
  ASSERT_FALSE(cfg.ok());
  EXPECT_EQ(cfg.status().message(),
            "kerncijfers.toml: line 6: key figure 'halt_verwijzingen': column 27: expected ',' or ')' in the "
            "arguments of 'count' but found 'b'");
}

TEST_F(FiguresTest, Fines) {
  auto t = ComputeFines(store_.get(), options_, Env::Default());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->dims.size(), 3u);
  const int total = t->dims[1].Find("T001"), sbs = t->dims[1].Find("strafbeschikking_om");
  const int nl = t->dims[2].Find("NL01"), pv20 = t->dims[2].Find("PV20");
  const std::size_t a = t->Index({0, total, nl}), b = t->Index({0, sbs, pv20});
  EXPECT_EQ(t->values[0].value[a], 650);  // imposed
  EXPECT_EQ(t->values[0].top1[a], 300);
  EXPECT_EQ(t->values[0].top2[a], 250);
  EXPECT_EQ(t->values[1].value[a], 150);  // collected
  EXPECT_EQ(t->values[2].value[a], 3);    // decisions
  EXPECT_DOUBLE_EQ(t->values[3].value[a], 100.0 * 150 / 650);
  EXPECT_EQ(t->values[0].value[b], 300);
  EXPECT_EQ(t->values[0].n[b], 1);
  EXPECT_DOUBLE_EQ(t->values[3].value[b], 0.0);
}

TEST_F(FiguresTest, SuspectPersons) {
  auto t = ComputeSuspectPersons(store_.get(), options_, Env::Default());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->dims.size(), 4u);
  const int nl = t->dims[1].Find("NL01"), ams = t->dims[1].Find("GM0363");
  const int age_t = t->dims[2].Find("10000"), minor = t->dims[2].Find("minderjarig"), g1217 = t->dims[2].Find("12-17");
  const int sex_t = t->dims[3].Find("T001038"), man = t->dims[3].Find("3000");
  EXPECT_EQ(t->values[0].value[t->Index({0, nl, age_t, sex_t})], 2);
  EXPECT_EQ(t->values[0].value[t->Index({0, ams, age_t, sex_t})], 1);
  EXPECT_EQ(t->values[0].value[t->Index({0, nl, minor, man})], 1);
  EXPECT_EQ(t->values[0].value[t->Index({0, nl, g1217, sex_t})], 1);
  EXPECT_DOUBLE_EQ(t->values[1].value[t->Index({0, nl, age_t, sex_t})], 20000.0 / Population());
  EXPECT_TRUE(std::isnan(t->values[1].value[t->Index({0, nl, minor, sex_t})]));
}

}  // namespace
}  // namespace das::stats

namespace das::stats {
namespace {

bool SameValues(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  }
  return true;
}

void ExpectSameTable(const StatTable& a, const StatTable& b) {
  EXPECT_EQ(a.id, b.id);
  ASSERT_EQ(a.measures.size(), b.measures.size()) << a.id;
  ASSERT_EQ(a.values.size(), b.values.size()) << a.id;
  for (std::size_t m = 0; m < a.values.size(); ++m) {
    EXPECT_EQ(a.measures[m].id, b.measures[m].id);
    EXPECT_TRUE(SameValues(a.values[m].value, b.values[m].value)) << a.id << " " << a.measures[m].id;
    EXPECT_EQ(a.values[m].n, b.values[m].n) << a.id << " " << a.measures[m].id;
    EXPECT_EQ(a.values[m].cell_key, b.values[m].cell_key) << a.id << " " << a.measures[m].id;
    EXPECT_TRUE(SameValues(a.values[m].top1, b.values[m].top1)) << a.id << " " << a.measures[m].id;
    EXPECT_TRUE(SameValues(a.values[m].top2, b.values[m].top2)) << a.id << " " << a.measures[m].id;
  }
}

// ComputeAllFigures reads the chain tables once for the key figures, fines and suspects: the tables must equal
// those computed one by one, in the documented order; errors come in that order too.
TEST_F(FiguresTest, AllFiguresEqualTablesComputedOneByOne) {
  ASSERT_TRUE(store_->PutTable("chain_cases", MakeTable(
      {{"chain_case_id", S}, {"person_id", S}, {"first_event_date", D}, {"minor", ColumnType::kBool}},
      {{"z1", "P2", "2023-01-05", "0"}, {"z2", "P2", "2023-08-01", "0"}, {"z3", "P5", "2023-02-01", "0"}})).ok());
  ASSERT_TRUE(store_->PutTable("chain_events", MakeTable(
      {{"chain_case_id", S}, {"stage", S}, {"date", D}, {"outcome", S}},
      {{"z1", "judgment", "2023-06-01", "schuldig_met_straf"}, {"z2", "om_decision", "2023-09-01", "transactie"},
       {"z3", "om_decision", "2023-04-01", "sepot"}})).ok());
  auto cfg = LoadFiguresConfig(std::string(DAS_SOURCE_DIR) + "/config", *PosixFileSystem());
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  auto all = ComputeAllFigures(store_.get(), *cfg, options_, Env::Default());
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  auto figs = ComputeFigureTables(store_.get(), *cfg, options_, Env::Default());
  auto rec = ComputeRecidivism(store_.get(), options_, Env::Default());
  auto fines = ComputeFines(store_.get(), options_, Env::Default());
  auto persons = ComputeSuspectPersons(store_.get(), options_, Env::Default());
  ASSERT_TRUE(figs.ok() && rec.ok() && fines.ok() && persons.ok());
  ASSERT_EQ(all->size(), figs->size() + 3);  // no survey delivered
  for (std::size_t i = 0; i < figs->size(); ++i) ExpectSameTable((*all)[i], (*figs)[i]);
  ExpectSameTable((*all)[6], *rec);
  ExpectSameTable((*all)[7], *fines);
  ExpectSameTable((*all)[8], *persons);
  EXPECT_EQ((*all)[6].values[0].value[0 * 3 + 0], 1);  // 2023 adults: P2 (z1 and z2 give one index)

  // Recidivism's error comes before a later table's (the fines lack the province).
  ASSERT_TRUE(store_->PutTable("chain_executions", MakeTable(
      {{"record_key", S}, {"person_id", S}, {"organisation", S}, {"type", S}, {"start_date", D}, {"end_date", D},
       {"amount", ColumnType::kDouble}, {"amount_collected", ColumnType::kDouble}, {"gemeente_2024", S}},
      {{"j1", "P6", "cjib", "strafbeschikking_om", "2023-02-01", "2023-03-01", "100", "100", "GM0363"}})).ok());
  auto no_province = ComputeAllFigures(store_.get(), *cfg, options_, Env::Default());
  ASSERT_FALSE(no_province.ok());
  EXPECT_EQ(no_province.status().message(),
            "stats: chain_executions lacks organisation, type, amount, amount_collected or province");
  ASSERT_TRUE(store_->PutTable("chain_events", MakeTable({{"stage", S}, {"date", D}}, {{"judgment", "2023-01-01"}})).ok());
  auto broken = ComputeAllFigures(store_.get(), *cfg, options_, Env::Default());
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().message(), "table 'chain_events' has no column 'chain_case_id'");
}

}  // namespace
}  // namespace das::stats
