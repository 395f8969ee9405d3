// Tests of `das generate` (src/synth): calibration at scale 1 for 2023, recounts from the delivery files,
// every file parsing in its declared dialect, determinism, regional spread, mergers and re-offending.
#include <sodium.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "das/contract/contract.h"
#include "das/core/date.h"
#include "das/geo/geography.h"
#include "das/io/csv_reader.h"
#include "das/synth/calibration.h"
#include "das/synth/generate.h"

namespace das::synth {
namespace {

const std::string kConfig = std::string(DAS_SOURCE_DIR) + "/config";

std::string TempDir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("das_synth_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir.string();
}

// Streams the records of a CSV file; returns the header.
std::vector<std::string> ReadCsv(const std::string& path, const io::CsvDialect& d,
                                 const std::function<void(const io::CsvRecord&)>& fn) {
  auto reader = io::CsvReader::Open(path, d);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  if (!reader.ok()) return {};
  io::CsvRecord rec;
  while (true) {
    auto more = (*reader)->Next(&rec);
    EXPECT_TRUE(more.ok()) << more.status().ToString();
    if (!more.ok() || !*more) break;
    fn(rec);
  }
  return (*reader)->header();
}

io::CsvDialect Dialect(char delim, io::Encoding enc = io::Encoding::kUtf8) {
  io::CsvDialect d;
  d.delimiter = delim;
  d.encoding = enc;
  return d;
}

std::map<std::string, double> ReadTotals(const std::string& dir, int year) {
  std::map<std::string, double> out;
  ReadCsv(dir + "/_truth/totals.csv", Dialect(','), [&](const io::CsvRecord& r) {
    if (std::stoi(std::string(r.fields[0])) == year) {
      out[std::string(r.fields[1]) + "." + std::string(r.fields[2])] = std::stod(std::string(r.fields[3]));
    }
  });
  return out;
}

// Within `rel` of target (relative), or for small shares (< 0.1) within one percentage point.
void ExpectNear(double observed, double target, const std::string& what, double rel = 0.05) {
  const double tol = (target > 0 && target < 0.1) ? 0.01 : rel * std::fabs(target);
  EXPECT_NEAR(observed, target, tol) << what << ": observed " << observed << ", target " << target;
}

// One national year, generated once for the calibration and file tests.
class NationalYear : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TempDir("national"));
    GenerateOptions o;
    o.out_dir = *dir_;
    o.config_dir = kConfig;
    o.from = o.to = 2023;
    o.seal = false;  // these tests look at the organisations' native (raw) files
    auto r = Generate(o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    auto cal = LoadCalibration(kConfig + "/synth");
    ASSERT_TRUE(cal.ok()) << cal.status().ToString();
    cal_ = new Calibration(std::move(*cal));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete cal_;
  }
  static std::string* dir_;
  static Calibration* cal_;
};
std::string* NationalYear::dir_ = nullptr;
Calibration* NationalYear::cal_ = nullptr;

TEST_F(NationalYear, VolumesAndMixesMatchCalibration) {
  const auto t = ReadTotals(*dir_, 2023);
  const Calibration& c = *cal_;
  const double registered = static_cast<double>(c.TotalCrimesIn(2023));
  EXPECT_EQ(registered, 802043);  // 47025NED, Bron: CBS / Politie
  ExpectNear(t.at("politie.misdrijven_geregistreerd"), registered, "registered crimes");
  ExpectNear(t.at("politie.misdrijven_opgehelderd") / t.at("politie.misdrijven_geregistreerd"), c.opheldering,
             "clearance rate");
  const double regs = t.at("politie.verdachtregistraties");
  ExpectNear(regs, registered * c.opheldering * c.verdachten_per_opgehelderd, "suspect registrations");
  ExpectNear(regs, 250000, "suspect registrations vs ~250k");
  ExpectNear(t.at("politie.verdachten_personen"), 160000, "distinct suspects vs ~160k");
  ExpectNear(t.at("politie.verdachtregistraties_rechtspersoon") / regs, c.rechtspersonen, "legal persons");
  ExpectNear(t.at("politie.verdachtregistraties_minderjarig") / regs, c.minderjarigen, "minors");

  const double om = t.at("om.instroom");
  ExpectNear(om, c.om_instroom.At(2023), "OM inflow");
  ExpectNear(t.at("om.instroom_zsm") / om, c.zsm, "ZSM share");
  const double decisions = t.at("om.beslissingen");
  for (const auto& code : c.beslissing.codes) {
    ExpectNear(t.at("om.beslissing_" + code) / decisions, c.beslissing.Share(code), "OM decision " + code);
  }

  const double court = t.at("rechtspraak.uitspraken");
  EXPECT_GE(court, 70000);
  EXPECT_LE(court, 85000);
  for (const auto& code : c.rechter.codes) {
    ExpectNear(t.at("rechtspraak.rechter_" + code) / court, c.rechter.Share(code), "judge " + code);
  }
  for (const auto& code : c.uitspraak.codes) {
    ExpectNear(t.at("rechtspraak.uitspraak_" + code) / court, c.uitspraak.Share(code), "judgment " + code);
  }
  const double guilty = (t.at("rechtspraak.uitspraak_SCHLD") + t.at("rechtspraak.uitspraak_SCHZS")) / court;
  EXPECT_GE(guilty, 0.88);
  EXPECT_LE(guilty, 0.90);
  ExpectNear(t.at("rechtspraak.hoger_beroep") / court, c.hoger_beroep, "appealed");
  ExpectNear(t.at("rechtspraak.verstek") / court, c.verstek, "in absentia");
  ExpectNear(t.at("rechtspraak.mannen") / t.at("rechtspraak.natuurlijke_personen"), 0.85, "men in court");
  // Sanction marginals among the sentenced: from the combinations in the config.
  double v = 0, ts = 0, b = 0, total = 0;
  for (std::size_t i = 0; i < c.combinaties.codes.size(); ++i) total += c.combinaties.shares[i];
  for (std::size_t i = 0; i < c.combinaties.codes.size(); ++i) {
    const auto& k = c.combinaties.codes[i];
    if (k.find('V') != std::string::npos) v += c.combinaties.shares[i];
    if (k.find('T') != std::string::npos) ts += c.combinaties.shares[i];
    if (k.find('B') != std::string::npos) b += c.combinaties.shares[i];
  }
  EXPECT_NEAR(v, 0.40, 0.005);
  EXPECT_NEAR(ts, 0.33, 0.005);
  EXPECT_NEAR(b, 0.20, 0.005);
  const double sentenced = t.at("rechtspraak.veroordeeld_met_straf");
  ExpectNear(t.at("rechtspraak.met_vrijheidsstraf") / sentenced, v, "custody");
  ExpectNear(t.at("rechtspraak.met_taakstraf") / sentenced, ts, "community service");
  ExpectNear(t.at("rechtspraak.met_boete") / sentenced, b, "fine");

  // Execution (brief ranges; looser where the figure emerges from durations).
  ExpectNear(t.at("dji.bezetting_30sep_totaal"), 10000, "DJI stock 30 Sept", 0.15);
  ExpectNear(t.at("dji.bezetting_30sep_VH") / t.at("dji.bezetting_30sep_totaal"), 0.44, "remand share", 0.15);
  ExpectNear(t.at("reclassering.werkstraffen_gestart"), 28500, "community sentences", 0.05);
  ExpectNear(t.at("reclassering.werkstraffen_voltooid") / t.at("reclassering.werkstraffen_gestart"),
             c.werkstraf_voltooid, "community sentences completed");
  ExpectNear(t.at("reclassering.toezichten_gestart"), 14000, "supervision", 0.10);
  ExpectNear(t.at("halt.verwijzingen"), c.halt_verwijzingen.At(2023), "Halt referrals");
  ExpectNear(t.at("halt.jongens") / t.at("halt.verwijzingen"), 0.75, "Halt boys");
  EXPECT_GE(t.at("rvdk.onderzoeken"), 20000);
  EXPECT_LE(t.at("rvdk.onderzoeken"), 30000);
  const double sbs = t.at("cjib.registraties_SBS");
  ExpectNear(sbs, (1 - c.sbs_taakstraf) * t.at("om.beslissing_SBS"), "CJIB strafbeschikkingen");
  // Veiligheidsmonitor.
  EXPECT_EQ(t.at("veiligheidsmonitor.respondenten"), 90000);
  EXPECT_NEAR(t.at("veiligheidsmonitor.gewicht_totaal"), c.vm_15plus * c.PopulationIn(2023), 0.01);
  ExpectNear(t.at("veiligheidsmonitor.slachtoffer_traditioneel_pct"), 20, "traditional victims %");
  ExpectNear(t.at("veiligheidsmonitor.slachtoffer_online_pct"), 16, "online victims %");
  ExpectNear(t.at("veiligheidsmonitor.onveilig_pct"), 35, "feeling unsafe %");
}

// Recounts from the delivery files themselves (regular + late; corrections re-deliver known keys).
TEST_F(NationalYear, RecountFromDeliveryFiles) {
  const std::string y = *dir_ + "/";
  std::set<std::string> crimes;
  std::size_t cleared = 0;
  std::map<std::string, std::size_t> per_gm;
  for (const char* f : {"politie/2023/bvh_misdrijven_2023.csv", "politie/2023/bvh_misdrijven_2023_laat_01.csv"}) {
    ReadCsv(y + f, Dialect(';'), [&](const io::CsvRecord& r) {
      if (crimes.insert(std::string(r.fields[0])).second && r.fields[7] == "J") ++cleared;
    });
  }
  const auto t = ReadTotals(*dir_, 2023);
  EXPECT_EQ(static_cast<double>(crimes.size()), t.at("politie.misdrijven_geregistreerd"));
  ExpectNear(static_cast<double>(crimes.size()), static_cast<double>(cal_->TotalCrimesIn(2023)), "recounted crimes");
  // Clearance as known on 1 Feb 2024 is a little below the final rate.
  const double known = static_cast<double>(cleared) / static_cast<double>(crimes.size());
  EXPECT_GT(known, cal_->opheldering * 0.85);
  EXPECT_LE(known, cal_->opheldering * 1.05);

  std::set<std::string> suspects;
  for (const char* f : {"politie/2023/bvh_verdachten_2023.csv", "politie/2023/bvh_verdachten_2023_laat_01.csv"}) {
    ReadCsv(y + f, Dialect(';'), [&](const io::CsvRecord& r) { suspects.insert(std::string(r.fields[0])); });
  }
  ExpectNear(static_cast<double>(suspects.size()), 250000, "recounted suspect registrations");

  std::set<std::string> cases;
  std::map<std::string, double> decisions;
  double decided = 0;
  for (const char* f : {"om/2023/compas_zaken_2023.csv", "om/2023/compas_zaken_2023_laat_01.csv"}) {
    ReadCsv(y + f, Dialect(','), [&](const io::CsvRecord& r) {
      if (!cases.insert(std::string(r.fields[0])).second) return;
      if (!r.fields[15].empty()) {
        decisions[std::string(r.fields[15])] += 1;
        decided += 1;
      }
    });
  }
  ExpectNear(static_cast<double>(cases.size()), cal_->om_instroom.At(2023), "recounted OM inflow");
  for (const auto& code : cal_->beslissing.codes) {
    ExpectNear(decisions[code] / decided, cal_->beslissing.Share(code), "recounted OM decision " + code);
  }
  std::set<std::string> court;
  for (const char* f : {"rechtspraak/2023/uitspraken_2023.csv", "rechtspraak/2023/uitspraken_2023_laat_01.csv"}) {
    ReadCsv(y + f, Dialect(';', io::Encoding::kWindows1252),
            [&](const io::CsvRecord& r) { court.insert(std::string(r.fields[0])); });
  }
  EXPECT_GE(court.size(), 70000u);
  EXPECT_LE(court.size(), 85000u);
}

struct FileSpec {
  char delim;
  io::Encoding enc;
  std::vector<std::string> header;
  DateFormat fmt;
  std::vector<int> date_cols;
  int bsn_col;
};

const std::map<std::string, FileSpec>& Specs() {
  static const auto* specs = new std::map<std::string, FileSpec>{
      {"misdrijven", {';', io::Encoding::kUtf8, {"Registratienummer", "Pleegdatum", "Registratiedatum", "Buurtcode", "Soort_misdrijf", "Incidentcode", "Aangifte", "Opgehelderd", "Datum_opgehelderd"}, DateFormat::kDmyDash, {1, 2, 8}, -1}},
      {"verdachten", {';', io::Encoding::kUtf8, {"PV_nummer", "Registratienummer", "Datum_registratie", "Soort_verdachte", "BSN", "KvK_nummer", "Achternaam", "Tussenvoegsel", "Voornamen", "Geboortedatum", "Geslacht", "Woonbuurt", "Afdoening", "Datum_afdoening"}, DateFormat::kDmyDash, {2, 9, 13}, 4}},
      {"zaken", {',', io::Encoding::kUtf8, {"parketnummer", "pv_nummer", "aanbrenger", "soort_verdachte", "bsn", "kvk_nummer", "achternaam", "tussenvoegsel", "voornamen", "geboortedatum", "geslacht", "woongemeente", "datum_instroom", "zsm", "wetsartikel", "beslissing", "datum_beslissing"}, DateFormat::kIso, {9, 12, 16}, 4}},
      {"uitspraken", {';', io::Encoding::kWindows1252, {"Zaaknummer", "Gerecht", "Rechter", "Datum_inschrijving", "Datum_uitspraak", "Uitspraak", "Verstek", "Hoger_beroep"}, DateFormat::kCompact, {3, 4}, -1}},
      {"sancties", {';', io::Encoding::kWindows1252, {"Zaaknummer", "Volgnummer", "Sanctie", "Hoeveelheid", "Eenheid", "Voorwaardelijk"}, DateFormat::kCompact, {}, -1}},
      {"inning", {',', io::Encoding::kUtf8, {"cjib_nummer", "soort", "parketnummer", "pv_nummer", "bsn", "bedrag", "datum_registratie", "bedrag_geind", "status", "datum_status"}, DateFormat::kDmyDash, {6, 9}, 4}},
      {"detenties", {';', io::Encoding::kUtf8, {"Detentienummer", "BSN", "Achternaam", "Tussenvoegsel", "Voornamen", "Geboortedatum", "Geslacht", "Parketnummer", "Titel", "Inrichting", "Datum_instroom", "Datum_uitstroom", "Reden_uitstroom"}, DateFormat::kDmySlash, {5, 10, 11}, 1}},
      {"werkstraffen", {',', io::Encoding::kUtf8, {"rn_id", "bsn", "parketnummer", "product", "uren_opgelegd", "uren_uitgevoerd", "startdatum", "einddatum", "resultaat"}, DateFormat::kIso, {6, 7}, 1}},
      {"verwijzingen", {';', io::Encoding::kUtf8, {"Halt_id", "PV_nummer", "BSN", "Achternaam", "Tussenvoegsel", "Voornamen", "Geboortedatum", "Geslacht", "Woongemeente", "Datum_verwijzing", "Feit", "Uren", "Afloop", "Datum_afloop"}, DateFormat::kDmyDash, {6, 9, 13}, 2}},
      {"strafonderzoeken", {';', io::Encoding::kUtf8, {"Raad_id", "BSN", "Achternaam", "Tussenvoegsel", "Voornamen", "Geboortedatum", "Geslacht", "Parketnummer", "Soort", "Startdatum", "Einddatum", "Advies"}, DateFormat::kDmyDash, {5, 9, 10}, 1}},
      {"veiligheidsmonitor", {';', io::Encoding::kUtf8, {"respondent", "gemeente", "geslacht", "leeftijdsklasse", "gewicht", "slachtoffer_vermogen", "slachtoffer_vernieling", "slachtoffer_geweld", "slachtoffer_fraude_online", "slachtoffer_hacken", "slachtoffer_bedreiging_online", "aangifte", "onveilig"}, DateFormat::kIso, {}, -1}},
      {"bevolking_buurt", {',', io::Encoding::kUtf8, {"buurtcode", "inwoners", "inwoners_0_11", "inwoners_12_17", "inwoners_18_24", "inwoners_25_plus", "mannen", "vrouwen"}, DateFormat::kIso, {}, -1}},
      {"bedrijven_sbi", {',', io::Encoding::kUtf8, {"gemeentecode", "sbi_sectie", "vestigingen"}, DateFormat::kIso, {}, -1}},
      {"bijstand", {',', io::Encoding::kUtf8, {"bsn", "gemeentecode", "peildatum"}, DateFormat::kIso, {2}, 0}},
      {"vow", {',', io::Encoding::kUtf8, {"bsn", "laatste_gemeentecode", "datum_uitschrijving"}, DateFormat::kIso, {2}, 0}},
  };
  return *specs;
}

std::string Sha256(const std::string& data) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[65];
  for (int i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x", h[i]);
  return std::string(hex, 64);
}

TEST_F(NationalYear, EveryFileParsesInItsDeclaredFormat) {
  // Defects by file and line: invalid BSNs are allowed only where listed.
  std::set<std::pair<std::string, std::int64_t>> bsn_defects;
  std::size_t n_defects = 0;
  std::set<std::string> kinds;
  ReadCsv(*dir_ + "/_truth/defects.csv", Dialect(','), [&](const io::CsvRecord& r) {
    ++n_defects;
    kinds.insert(std::string(r.fields[3]));
    if (r.fields[3] == "bsn_ongeldig") bsn_defects.insert({std::string(r.fields[0]), std::stoll(std::string(r.fields[1]))});
  });
  EXPECT_GT(n_defects, 1000u);
  for (const char* k : {"typo_achternaam", "typo_voornaam", "bsn_weggelaten", "bsn_ongeldig", "duplicaat", "laat",
                        "beslissing_voor_instroom", "geboortedatum_in_toekomst", "onbekende_soort_misdrijf",
                        "foutieve_waarde_gecorrigeerd"}) {
    EXPECT_TRUE(kinds.count(k)) << "no defect of kind " << k;
  }
  std::size_t files = 0, invalid_bsn_seen = 0;
  ReadCsv(*dir_ + "/manifest.csv", Dialect(','), [&](const io::CsvRecord& m) {
    ++files;
    const std::string file(m.fields[0]), dataset(m.fields[2]);
    SCOPED_TRACE(file);
    auto it = Specs().find(dataset);
    ASSERT_NE(it, Specs().end()) << dataset;
    const FileSpec& spec = it->second;
    // Checksum and row count as declared.
    auto bytes = PosixFileSystem()->ReadFile(*dir_ + "/" + file);
    ASSERT_TRUE(bytes.ok());
    EXPECT_EQ(Sha256(*bytes), m.fields[8]);
    if (dataset == "inning") {
      EXPECT_EQ(bytes->substr(0, 3), "\xEF\xBB\xBF");
    }
    if (dataset == "misdrijven") {
      EXPECT_NE(bytes->find("\r\n"), std::string::npos);
    }
    std::int64_t rows = 0, bad = 0;
    auto header = ReadCsv(*dir_ + "/" + file, Dialect(spec.delim, spec.enc), [&](const io::CsvRecord& r) {
      ++rows;
      if (r.error || r.fields.size() != spec.header.size()) {
        ++bad;
        return;
      }
      for (int c : spec.date_cols) {
        if (!r.fields[c].empty() && !ParseDate(r.fields[c], spec.fmt).ok()) ++bad;
      }
      if (spec.bsn_col >= 0 && !r.fields[spec.bsn_col].empty() && !PassesElevenCheck(r.fields[spec.bsn_col])) {
        ++invalid_bsn_seen;
        EXPECT_TRUE(bsn_defects.count({file, r.line})) << "unlisted invalid BSN at line " << r.line;
      }
    });
    EXPECT_EQ(header, spec.header);
    EXPECT_EQ(bad, 0);
    EXPECT_EQ(rows, std::stoll(std::string(m.fields[7])));
  });
  EXPECT_EQ(files, 25u);  // 10 datasets x (regular + late) + survey + 4 context files
  EXPECT_EQ(invalid_bsn_seen, bsn_defects.size());
}

TEST_F(NationalYear, RegionalSpreadFollowsRealCrime) {
  auto geo = geo::Geography::Load(kConfig + "/geo");
  ASSERT_TRUE(geo.ok()) << geo.status().ToString();
  std::map<std::string, double> per_gm;
  ReadCsv(*dir_ + "/politie/2023/bvh_misdrijven_2023.csv", Dialect(';'), [&](const io::CsvRecord& r) {
    if (r.fields[3].size() == 10) per_gm["GM" + std::string(r.fields[3].substr(2, 4))] += 1;
  });
  const double ams = per_gm["GM0363"] / static_cast<double>(geo->PopulationIn("GM0363", 2023)) * 1000;
  const double tub = per_gm["GM0183"] / static_cast<double>(geo->PopulationIn("GM0183", 2023)) * 1000;
  EXPECT_GT(ams, 60);   // real 2023: 69,225 crimes, ~74 per 1,000
  EXPECT_LT(ams, 85);
  EXPECT_GT(ams, 4 * tub);
}

TEST(Synth, DeterministicAndSeedSensitive) {
  auto run = [](std::uint64_t seed, int threads, MemFileSystem* fs) {
    GenerateOptions o;
    o.out_dir = "/out";
    o.config_dir = kConfig;
    o.from = 2022;
    o.to = 2023;
    o.scale = 0.01;
    o.seed = seed;
    o.threads = threads;
    // Configuration is read from disk; output goes to memory.
    for (const char* f : {"synth/kalibratie.toml", "synth/soort_misdrijf.csv", "synth/wetsartikelen.csv",
                          "synth/misdrijven_per_jaar.csv", "synth/gemeenten_misdaad_2023.csv", "synth/bevolking_nl.csv",
                          "synth/achternamen.csv", "synth/voornamen.csv", "synth/bedrijfsnamen.csv",
                          "geo/gemeenten.csv", "geo/buurten.csv", "geo/provincies.csv", "geo/politie_eenheden.csv",
                          "geo/arrondissementen.csv", "geo/herindelingen.csv", "seal/tussenvoegsels.txt"}) {
      auto data = PosixFileSystem()->ReadFile(kConfig + "/" + f);
      EXPECT_TRUE(data.ok()) << f;
      EXPECT_TRUE(fs->WriteFile(kConfig + "/" + f, *data).ok());
    }
    // Sealing (on by default) reads the source contracts too.
    const std::vector<std::string> sources = PosixFileSystem()->ListDir(kConfig + "/sources").value();
    for (const auto& name : sources) {
      auto data = PosixFileSystem()->ReadFile(kConfig + "/sources/" + name);
      EXPECT_TRUE(fs->WriteFile(kConfig + "/sources/" + name, *data).ok());
    }
    auto r = Generate(o, fs);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  };
  MemFileSystem a, b, c;
  run(7, 2, &a);
  run(7, 1, &b);
  run(8, 2, &c);
  auto manifest_a = a.ReadFile("/out/manifest.csv");
  ASSERT_TRUE(manifest_a.ok());
  EXPECT_EQ(*manifest_a, *b.ReadFile("/out/manifest.csv"));
  for (const char* f : {"records.csv", "cases.csv", "persons.csv", "totals.csv", "defects.csv"}) {
    EXPECT_EQ(*a.ReadFile(std::string("/out/_truth/") + f), *b.ReadFile(std::string("/out/_truth/") + f)) << f;
  }
  EXPECT_NE(*manifest_a, *c.ReadFile("/out/manifest.csv"));
  // The manifest's checksums cover every delivery file; spot-check that they were written identically.
  EXPECT_EQ(*a.ReadFile("/out/om/2023/compas_zaken_2023.csv"), *b.ReadFile("/out/om/2023/compas_zaken_2023.csv"));
}

// What the organisations deliver is sealed: sealed headers, no BSN in any delivery, raw originals only in
// _raw (identical to an unsealed run), key files with mode 0600, checksums of the sealed bytes.
TEST(Synth, DeliveriesAreSealedAndRawKeptApart) {
  const std::string sealed_dir = TempDir("sealed"), raw_dir = TempDir("unsealed");
  GenerateOptions o;
  o.config_dir = kConfig;
  o.from = o.to = 2023;
  o.scale = 0.02;
  o.out_dir = sealed_dir;
  o.write_raw = true;
  auto r = Generate(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  o.out_dir = raw_dir;
  o.seal = false;
  o.write_raw = false;
  ASSERT_TRUE(Generate(o).ok());

  auto contracts = contract::ContractSet::LoadDir(kConfig + "/sources", *PosixFileSystem());
  ASSERT_TRUE(contracts.ok()) << contracts.status().ToString();
  // BSNs of the truth: none may occur in a delivery.
  std::vector<std::string> bsns;
  {
    auto persons = PosixFileSystem()->ReadFile(sealed_dir + "/_truth/persons.csv").value();
    auto reader = io::CsvReader::FromString(persons, io::CsvDialect{}, "persons.csv");
    io::CsvRecord rec;
    int bsn_col = -1;
    for (std::size_t i = 0; i < reader->header().size(); ++i)
      if (reader->header()[i] == "bsn") bsn_col = static_cast<int>(i);
    ASSERT_GE(bsn_col, 0);
    while (reader->Next(&rec).value() && bsns.size() < 500) {
      std::string b(rec.fields[static_cast<std::size_t>(bsn_col)]);
      if (!b.empty()) bsns.push_back(b);
    }
  }
  ASSERT_GT(bsns.size(), 100u);
  auto manifest = PosixFileSystem()->ReadFile(sealed_dir + "/manifest.csv").value();
  auto m = io::CsvReader::FromString(manifest, io::CsvDialect{}, "manifest.csv");
  io::CsvRecord row;
  int sealed_files = 0;
  while (m->Next(&row).value()) {
    const std::string file(row.fields[0]), contract_id(row.fields[3]), sha(row.fields[8]);
    const auto* c = contracts->Find(contract_id).value();
    const std::string bytes = PosixFileSystem()->ReadFile(sealed_dir + "/" + file).value();
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[65];
    for (int i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    EXPECT_EQ(sha, std::string(hex)) << file;
    auto reader = io::CsvReader::FromString(bytes, c->format.Dialect(), file);
    const auto form = c->seal.present ? contract::Form::kSealed : contract::Form::kRaw;
    EXPECT_EQ(reader->header(), c->Header(form)) << file;
    const std::string unsealed = PosixFileSystem()->ReadFile(raw_dir + "/" + file).value();
    if (c->seal.present) {
      ++sealed_files;
      EXPECT_EQ(PosixFileSystem()->ReadFile(sealed_dir + "/_raw/" + file).value(), unsealed) << file;
      for (const auto& b : bsns) ASSERT_EQ(bytes.find(b), std::string::npos) << file << " holds a BSN in clear";
    } else {
      EXPECT_EQ(bytes, unsealed) << file;
      EXPECT_FALSE(std::filesystem::exists(sealed_dir + "/_raw/" + file)) << file;
    }
  }
  EXPECT_GE(sealed_files, 10);
  for (const char* org : {"politie", "om", "cjib", "dji", "halt", "rvdk", "reclassering", "context"}) {
    const auto perms = std::filesystem::status(sealed_dir + "/_keys/" + org + ".keys").permissions();
    EXPECT_EQ(perms, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write) << org;
  }
  std::filesystem::remove_all(sealed_dir);
  std::filesystem::remove_all(raw_dir);
}

TEST(Synth, NoDefectsWritesNone) {
  const std::string dir = TempDir("nodefects");
  GenerateOptions o;
  o.out_dir = dir;
  o.config_dir = kConfig;
  o.from = o.to = 2023;
  o.scale = 0.01;
  o.defect_multiplier = 0;
  o.seal = false;
  ASSERT_TRUE(Generate(o).ok());
  auto defects = PosixFileSystem()->ReadFile(dir + "/_truth/defects.csv");
  ASSERT_TRUE(defects.ok());
  EXPECT_EQ(*defects, "file,line,key,defect\n");
  EXPECT_FALSE(std::filesystem::exists(dir + "/politie/2023/bvh_misdrijven_2023_laat_01.csv"));
  std::filesystem::remove_all(dir);
}

TEST(Synth, ReoffendingMergersAndCorrectionsOverYears) {
  const std::string dir = TempDir("years");
  GenerateOptions o;
  o.out_dir = dir;
  o.config_dir = kConfig;
  o.from = 2019;
  o.to = 2023;
  o.scale = 0.05;
  o.seal = false;
  auto r = Generate(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Re-offending: a person-level propensity makes people come back.
  const auto t2019 = ReadTotals(dir, 2019);
  const double adults = t2019.at("recidive.twee_jaar_volwassenen_pct");
  const double juveniles = t2019.at("recidive.twee_jaar_jeugdigen_pct");
  const double ex = t2019.at("recidive.twee_jaar_ex_gedetineerden_pct");
  EXPECT_GT(adults, 15);
  EXPECT_LT(adults, 60);
  EXPECT_GT(juveniles, 15);
  EXPECT_GT(ex, adults);
  // The same person in the suspects of several years (recount from _truth/records.csv).
  std::map<std::string, std::set<std::string>> years_of;
  ReadCsv(dir + "/_truth/records.csv", Dialect(','), [&](const io::CsvRecord& rec) {
    if (rec.fields[0] == "verdachten") years_of[std::string(rec.fields[2])].insert(std::string(rec.fields[1].substr(10, 4)));
  });
  std::size_t repeat = 0;
  for (const auto& [p, ys] : years_of) repeat += ys.size() > 1;
  EXPECT_GT(static_cast<double>(repeat) / years_of.size(), 0.1);
  // Mergers: every gemeente code in a year's file exists in that year; Weesp (GM0457, merged into Amsterdam
  // in 2022/2023) appears before the merger and not after.
  auto geo = geo::Geography::Load(kConfig + "/geo");
  ASSERT_TRUE(geo.ok());
  std::map<int, std::set<std::string>> gm_by_year;
  for (int y = 2019; y <= 2023; ++y) {
    const std::string f = dir + "/politie/" + std::to_string(y) + "/bvh_misdrijven_" + std::to_string(y) + ".csv";
    ReadCsv(f, Dialect(';'), [&](const io::CsvRecord& rec) {
      if (rec.fields[3].size() == 10) gm_by_year[y].insert("GM" + std::string(rec.fields[3].substr(2, 4)));
    });
    for (const auto& gm : gm_by_year[y]) {
      const auto* info = geo->FindGemeente(gm);
      ASSERT_NE(info, nullptr) << gm;
      EXPECT_TRUE(info->ValidIn(y)) << gm << " in " << y;
    }
  }
  EXPECT_TRUE(gm_by_year[2019].count("GM0457"));
  EXPECT_FALSE(gm_by_year[2023].count("GM0457"));
  // Corrections: a 2021 OM case decided after 1 Feb 2022 is re-delivered with its decision.
  std::map<std::string, std::string> first;
  std::size_t changed = 0;
  ReadCsv(dir + "/om/2021/compas_zaken_2021.csv", Dialect(','),
          [&](const io::CsvRecord& rec) { first[std::string(rec.fields[0])] = std::string(rec.fields[15]); });
  ReadCsv(dir + "/om/2021/compas_zaken_2021_correctie_01.csv", Dialect(','), [&](const io::CsvRecord& rec) {
    auto it = first.find(std::string(rec.fields[0]));
    if (it != first.end() && it->second.empty() && !rec.fields[15].empty()) ++changed;
  });
  EXPECT_GT(changed, 100u);
  std::filesystem::remove_all(dir);
}

TEST(Synth, ElevenCheck) {
  EXPECT_TRUE(PassesElevenCheck("111222333"));
  EXPECT_TRUE(PassesElevenCheck("123456782"));
  EXPECT_FALSE(PassesElevenCheck("123456789"));
  EXPECT_FALSE(PassesElevenCheck("12345678"));
}

TEST(Synth, BadConfigurationNamesTheFile) {
  MemFileSystem fs;
  ASSERT_TRUE(fs.WriteFile("/cfg/kalibratie.toml", "[politie]\nopheldering = \"veel\"\n").ok());
  auto cal = LoadCalibration("/cfg", &fs);
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(cal.status().code(), StatusCode::kParseError);
  EXPECT_EQ(cal.status().message(), "/cfg/kalibratie.toml: [politie] opheldering: expected a number");
  GenerateOptions o;
  o.out_dir = "/x";
  o.scale = 0;
  auto r = Generate(o, &fs);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "--scale: must be in (0, 10], got 0.000000");
}

}  // namespace
}  // namespace das::synth
