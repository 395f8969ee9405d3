// Reading config/synth/: kalibratie.toml (toml++, kept to this one translation unit) and the CSV tables.
#include "das/synth/calibration.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include <toml++/toml.h>

#include "das/io/csv_reader.h"

namespace das::synth {
namespace {

// Reads a small config CSV into rows of strings, checking the header names.
Result<std::vector<std::vector<std::string>>> ReadTable(const std::string& path, const FileSystem* fs,
                                                        const std::vector<std::string>& columns) {
  DAS_ASSIGN_OR_RETURN(std::string data, fs->ReadFile(path));
  io::CsvDialect dialect;
  auto reader = io::CsvReader::FromString(std::move(data), dialect, path);
  if (reader->header() != columns) {
    std::string want;
    for (const auto& c : columns) want += (want.empty() ? "" : ",") + c;
    return Status::ParseError(path + ": line 1: expected header '" + want + "'");
  }
  std::vector<std::vector<std::string>> rows;
  io::CsvRecord rec;
  while (true) {
    DAS_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
    if (!more) break;
    if (rec.error) return Status::ParseError(rec.error->ToString());
    if (rec.fields.size() != columns.size()) {
      return Status::ParseError(path + ": line " + std::to_string(rec.line) + ": expected " +
                                std::to_string(columns.size()) + " fields, found " +
                                std::to_string(rec.fields.size()));
    }
    rows.emplace_back(rec.fields.begin(), rec.fields.end());
  }
  return rows;
}

Result<double> ParseNumber(const std::string& text, const std::string& where) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) {
    return Status::ParseError(where + ": '" + text + "' is not a number");
  }
  return v;
}

class TomlReader {
 public:
  TomlReader(const toml::table& root, std::string file) : root_(root), file_(std::move(file)) {}

  Status Number(std::string_view section, std::string_view key, double* out) {
    auto node = root_[section][key];
    if (auto v = node.value<double>()) {
      *out = *v;
      return Status::Ok();
    }
    return Missing(section, key, "a number");
  }
  Status Numbers(std::string_view section, std::string_view key, std::vector<double>* out) {
    const toml::array* arr = root_[section][key].as_array();
    if (!arr) return Missing(section, key, "an array of numbers");
    out->clear();
    for (const auto& el : *arr) {
      auto v = el.value<double>();
      if (!v) return Missing(section, key, "an array of numbers");
      out->push_back(*v);
    }
    return Status::Ok();
  }
  Status Strings(std::string_view section, std::string_view key, std::vector<std::string>* out) {
    const toml::array* arr = root_[section][key].as_array();
    if (!arr) return Missing(section, key, "an array of strings");
    out->clear();
    for (const auto& el : *arr) {
      auto v = el.value<std::string>();
      if (!v) return Missing(section, key, "an array of strings");
      out->push_back(*v);
    }
    return Status::Ok();
  }
  Status Pair(std::string_view section, std::string_view key, Delay* out) {
    std::vector<double> v;
    DAS_RETURN_IF_ERROR(Numbers(section, key, &v));
    if (v.size() != 2 || v[0] <= 0 || v[1] < 0) return Missing(section, key, "[median > 0, sigma >= 0]");
    out->median = v[0];
    out->sigma = v[1];
    return Status::Ok();
  }
  Status Triple(std::string_view section, std::string_view key, std::array<double, 3>* out) {
    std::vector<double> v;
    DAS_RETURN_IF_ERROR(Numbers(section, key, &v));
    if (v.size() != 3) return Missing(section, key, "three shares [N, J, D]");
    std::copy(v.begin(), v.end(), out->begin());
    return Status::Ok();
  }
  Status MixOf(std::string_view section, std::string_view codes_key, std::string_view shares_key, Mix* out) {
    DAS_RETURN_IF_ERROR(Strings(section, codes_key, &out->codes));
    DAS_RETURN_IF_ERROR(Numbers(section, shares_key, &out->shares));
    if (out->codes.size() != out->shares.size() || out->codes.empty()) {
      return Status::ParseError(file_ + ": [" + std::string(section) + "] " + std::string(codes_key) + " and " +
                                std::string(shares_key) + " must have the same, non-zero length");
    }
    return Status::Ok();
  }
  Status Series(std::string_view section, std::string_view years_key, std::string_view values_key,
                YearSeries* out) {
    std::vector<double> years;
    DAS_RETURN_IF_ERROR(Numbers(section, years_key, &years));
    DAS_RETURN_IF_ERROR(Numbers(section, values_key, &out->values));
    if (years.size() != out->values.size() || years.empty()) {
      return Status::ParseError(file_ + ": [" + std::string(section) + "] " + std::string(years_key) +
                                " and " + std::string(values_key) + " must have the same, non-zero length");
    }
    out->years.clear();
    for (double y : years) out->years.push_back(static_cast<int>(y));
    if (!std::is_sorted(out->years.begin(), out->years.end())) {
      return Status::ParseError(file_ + ": [" + std::string(section) + "] " + std::string(years_key) +
                                " must be ascending");
    }
    return Status::Ok();
  }

 private:
  Status Missing(std::string_view section, std::string_view key, std::string_view what) {
    return Status::ParseError(file_ + ": [" + std::string(section) + "] " + std::string(key) + ": expected " +
                              std::string(what));
  }
  const toml::table& root_;
  std::string file_;
};

Status ReadToml(const std::string& path, const FileSystem* fs, Calibration* c) {
  DAS_ASSIGN_OR_RETURN(std::string text, fs->ReadFile(path));
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Status::ParseError(path + ": line " + std::to_string(e.source().begin.line) + ", column " +
                              std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
  TomlReader r(root, path);
  DAS_RETURN_IF_ERROR(r.Number("politie", "opheldering", &c->opheldering));
  DAS_RETURN_IF_ERROR(r.Number("politie", "verdachten_per_opgehelderd", &c->verdachten_per_opgehelderd));
  DAS_RETURN_IF_ERROR(r.Number("politie", "personen_per_registratie", &c->personen_per_registratie));
  DAS_RETURN_IF_ERROR(r.Number("politie", "rechtspersonen", &c->rechtspersonen));
  DAS_RETURN_IF_ERROR(r.Number("politie", "minderjarigen", &c->minderjarigen));
  DAS_RETURN_IF_ERROR(r.Number("politie", "niet_ingezetenen", &c->niet_ingezetenen));
  DAS_RETURN_IF_ERROR(r.Number("politie", "mannen", &c->mannen));
  DAS_RETURN_IF_ERROR(r.Number("politie", "jongens", &c->jongens));
  DAS_RETURN_IF_ERROR(r.Pair("politie", "dagen_tot_opheldering", &c->dagen_tot_opheldering));
  DAS_RETURN_IF_ERROR(r.Pair("politie", "dagen_tot_afdoening", &c->dagen_tot_afdoening));
  DAS_RETURN_IF_ERROR(r.Number("politie", "psb", &c->psb));
  DAS_RETURN_IF_ERROR(r.Number("politie", "halt_minderjarig", &c->halt_minderjarig));
  DAS_RETURN_IF_ERROR(r.Number("politie", "geen_minderjarig", &c->geen_minderjarig));

  DAS_RETURN_IF_ERROR(r.Number("personen", "pool_per_persoon", &c->pool_per_persoon));
  DAS_RETURN_IF_ERROR(r.Number("personen", "propensiteit_sigma", &c->propensiteit_sigma));
  DAS_RETURN_IF_ERROR(r.Number("personen", "propensiteit_exponent_jeugd", &c->propensiteit_exponent_jeugd));
  DAS_RETURN_IF_ERROR(r.Numbers("personen", "leeftijd_punten", &c->leeftijd_punten));
  DAS_RETURN_IF_ERROR(r.Numbers("personen", "leeftijd_gewicht", &c->leeftijd_gewicht));
  if (c->leeftijd_punten.size() != c->leeftijd_gewicht.size() || c->leeftijd_punten.size() < 2) {
    return Status::ParseError(path + ": [personen] leeftijd_punten and leeftijd_gewicht differ in length");
  }

  DAS_RETURN_IF_ERROR(r.Series("om", "instroom_jaren", "instroom", &c->om_instroom));
  DAS_RETURN_IF_ERROR(r.Number("om", "aandeel_politie", &c->om_aandeel_politie));
  DAS_RETURN_IF_ERROR(r.Number("om", "aandeel_kmar", &c->om_aandeel_kmar));
  DAS_RETURN_IF_ERROR(r.Number("om", "zsm", &c->zsm));
  DAS_RETURN_IF_ERROR(r.MixOf("om", "beslissing_codes", "beslissing_mix", &c->beslissing));
  DAS_RETURN_IF_ERROR(r.Number("om", "sbs_taakstraf", &c->sbs_taakstraf));
  DAS_RETURN_IF_ERROR(r.Pair("om", "dagen_tot_beslissing_zsm", &c->dagen_tot_beslissing_zsm));
  DAS_RETURN_IF_ERROR(r.Pair("om", "dagen_tot_beslissing", &c->dagen_tot_beslissing));
  DAS_RETURN_IF_ERROR(r.Number("om", "onbeslist", &c->onbeslist));

  DAS_RETURN_IF_ERROR(r.Number("rechtspraak", "niet_aangebracht", &c->niet_aangebracht));
  DAS_RETURN_IF_ERROR(r.MixOf("rechtspraak", "rechter_codes", "rechter_mix", &c->rechter));
  DAS_RETURN_IF_ERROR(r.MixOf("rechtspraak", "uitspraak_codes", "uitspraak_mix", &c->uitspraak));
  DAS_RETURN_IF_ERROR(r.Number("rechtspraak", "verstek", &c->verstek));
  DAS_RETURN_IF_ERROR(r.Number("rechtspraak", "hoger_beroep", &c->hoger_beroep));
  DAS_RETURN_IF_ERROR(r.Pair("rechtspraak", "dagen_tot_inschrijving", &c->dagen_tot_inschrijving));
  DAS_RETURN_IF_ERROR(r.Pair("rechtspraak", "dagen_tot_uitspraak_pr", &c->dagen_tot_uitspraak_pr));
  DAS_RETURN_IF_ERROR(r.Pair("rechtspraak", "dagen_tot_uitspraak_mk", &c->dagen_tot_uitspraak_mk));
  DAS_RETURN_IF_ERROR(r.Pair("rechtspraak", "dagen_tot_uitspraak_kr", &c->dagen_tot_uitspraak_kr));
  DAS_RETURN_IF_ERROR(r.Pair("rechtspraak", "dagen_tot_uitspraak_epr", &c->dagen_tot_uitspraak_epr));

  DAS_RETURN_IF_ERROR(r.MixOf("sancties", "combinaties", "combinatie_mix", &c->combinaties));
  DAS_RETURN_IF_ERROR(r.Triple("sancties", "vrijheidsstraf_voorwaardelijk", &c->vw_vrijheidsstraf));
  DAS_RETURN_IF_ERROR(r.Triple("sancties", "taakstraf_voorwaardelijk", &c->vw_taakstraf));
  DAS_RETURN_IF_ERROR(r.Triple("sancties", "boete_voorwaardelijk", &c->vw_boete));
  DAS_RETURN_IF_ERROR(r.Number("sancties", "ozr_verkeer", &c->ozr_verkeer));
  DAS_RETURN_IF_ERROR(r.Number("sancties", "isd", &c->isd));
  DAS_RETURN_IF_ERROR(r.Number("sancties", "tbs", &c->tbs));
  DAS_RETURN_IF_ERROR(r.Number("sancties", "pij", &c->pij));
  DAS_RETURN_IF_ERROR(r.Number("sancties", "toezicht", &c->toezicht));
  DAS_RETURN_IF_ERROR(r.Number("sancties", "vrijheidsstraf_ruis", &c->custody_noise));

  DAS_RETURN_IF_ERROR(r.Number("cjib", "sbs_betaald", &c->sbs_betaald));
  DAS_RETURN_IF_ERROR(r.Number("cjib", "boete_betaald", &c->boete_betaald));
  DAS_RETURN_IF_ERROR(r.Number("cjib", "vervangende_hechtenis", &c->vervangende_hechtenis));
  DAS_RETURN_IF_ERROR(r.Number("cjib", "psb_betaald", &c->psb_betaald));
  DAS_RETURN_IF_ERROR(r.Pair("cjib", "dagen_tot_registratie", &c->cjib_dagen_tot_registratie));
  DAS_RETURN_IF_ERROR(r.Pair("cjib", "dagen_tot_betaling", &c->cjib_dagen_tot_betaling));

  DAS_RETURN_IF_ERROR(r.Number("dji", "voorlopige_hechtenis_mk", &c->vh_mk));
  DAS_RETURN_IF_ERROR(r.Number("dji", "voorlopige_hechtenis_pr", &c->vh_pr));
  DAS_RETURN_IF_ERROR(r.Pair("dji", "dagen_voorlopige_hechtenis", &c->dagen_vh));
  DAS_RETURN_IF_ERROR(r.Pair("dji", "dagen_gevangenisstraf_pr", &c->dagen_gs_pr));
  DAS_RETURN_IF_ERROR(r.Pair("dji", "dagen_gevangenisstraf_mk", &c->dagen_gs_mk));
  DAS_RETURN_IF_ERROR(r.Number("dji", "isd_dagen", &c->isd_dagen));
  DAS_RETURN_IF_ERROR(r.Pair("dji", "vervangende_hechtenis_dagen", &c->dagen_vvh));
  DAS_RETURN_IF_ERROR(r.Number("dji", "vi", &c->vi));

  DAS_RETURN_IF_ERROR(r.Number("reclassering", "werkstraf_voltooid", &c->werkstraf_voltooid));
  DAS_RETURN_IF_ERROR(r.Pair("reclassering", "uren_taakstraf", &c->uren_taakstraf));
  DAS_RETURN_IF_ERROR(r.Pair("reclassering", "dagen_tot_start", &c->rn_dagen_tot_start));
  DAS_RETURN_IF_ERROR(r.Pair("reclassering", "dagen_toezicht", &c->dagen_toezicht));

  DAS_RETURN_IF_ERROR(r.Series("halt", "jaren", "verwijzingen", &c->halt_verwijzingen));
  DAS_RETURN_IF_ERROR(r.Number("halt", "positief", &c->halt_positief));
  DAS_RETURN_IF_ERROR(r.Number("halt", "jongens_overig", &c->halt_jongens_overig));

  DAS_RETURN_IF_ERROR(r.Number("rvdk", "vroeghulp", &c->vroeghulp));
  DAS_RETURN_IF_ERROR(r.Number("rvdk", "basisonderzoek", &c->basisonderzoek));
  DAS_RETURN_IF_ERROR(r.Pair("rvdk", "dagen_onderzoek", &c->rvdk_dagen_onderzoek));

  const char* vm = "veiligheidsmonitor";
  DAS_RETURN_IF_ERROR(r.Number(vm, "respondenten", &c->vm_respondenten));
  DAS_RETURN_IF_ERROR(r.Number(vm, "slachtoffer_vermogen", &c->vm_vermogen));
  DAS_RETURN_IF_ERROR(r.Number(vm, "slachtoffer_vernieling", &c->vm_vernieling));
  DAS_RETURN_IF_ERROR(r.Number(vm, "slachtoffer_geweld", &c->vm_geweld));
  DAS_RETURN_IF_ERROR(r.Number(vm, "slachtoffer_fraude_online", &c->vm_fraude));
  DAS_RETURN_IF_ERROR(r.Number(vm, "slachtoffer_hacken", &c->vm_hacken));
  DAS_RETURN_IF_ERROR(r.Number(vm, "slachtoffer_bedreiging_online", &c->vm_bedreiging));
  DAS_RETURN_IF_ERROR(r.Number(vm, "aangifte_slachtoffers", &c->vm_aangifte));
  DAS_RETURN_IF_ERROR(r.Number(vm, "onveilig", &c->vm_onveilig));
  DAS_RETURN_IF_ERROR(r.Number(vm, "aandeel_15plus", &c->vm_15plus));

  DAS_RETURN_IF_ERROR(r.Number("context", "bijstand_daders", &c->bijstand_daders));
  DAS_RETURN_IF_ERROR(r.Number("context", "bijstand_overig", &c->bijstand_overig));
  DAS_RETURN_IF_ERROR(r.Number("context", "vow", &c->vow));

  DAS_RETURN_IF_ERROR(r.Number("defecten", "typo_naam", &c->typo_naam));
  DAS_RETURN_IF_ERROR(r.Number("defecten", "bsn_weggelaten", &c->bsn_weggelaten));
  DAS_RETURN_IF_ERROR(r.Number("defecten", "bsn_ongeldig", &c->bsn_ongeldig));
  DAS_RETURN_IF_ERROR(r.Number("defecten", "duplicaat", &c->duplicaat));
  DAS_RETURN_IF_ERROR(r.Number("defecten", "laat", &c->laat));
  DAS_RETURN_IF_ERROR(r.Number("defecten", "onmogelijke_datum", &c->onmogelijke_datum));
  DAS_RETURN_IF_ERROR(r.Number("defecten", "onbekende_code", &c->onbekende_code));
  return Status::Ok();
}

Status ReadNames(const std::string& path, const FileSystem* fs, const std::vector<std::string>& cols,
                 std::vector<NameEntry>* out) {
  DAS_ASSIGN_OR_RETURN(auto rows, ReadTable(path, fs, cols));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    NameEntry e;
    e.name = r[0];
    e.extra = r[1];
    e.weight = 1;
    if (r.size() >= 3) {
      DAS_ASSIGN_OR_RETURN(e.weight, ParseNumber(r[2], path + ": row " + std::to_string(i + 2)));
    }
    if (r.size() >= 4) e.origin = r[3];
    out->push_back(std::move(e));
  }
  if (out->empty()) return Status::ParseError(path + ": no rows");
  return Status::Ok();
}

template <typename Map>
typename Map::mapped_type Nearest(const Map& m, int year) {
  if (m.empty()) return 0;
  auto it = m.lower_bound(year);
  if (it == m.end()) return std::prev(it)->second;
  if (it->first == year || it == m.begin()) return it->second;
  return std::prev(it)->second;
}

}  // namespace

double Mix::Share(const std::string& code) const {
  double total = 0, v = 0;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    total += shares[i];
    if (codes[i] == code) v += shares[i];
  }
  return total > 0 ? v / total : 0;
}

double YearSeries::At(int year) const {
  if (years.empty()) return 0;
  if (year <= years.front()) return values.front();
  if (year >= years.back()) return values.back();
  for (std::size_t i = 1; i < years.size(); ++i) {
    if (year <= years[i]) {
      double t = static_cast<double>(year - years[i - 1]) / (years[i] - years[i - 1]);
      return values[i - 1] + t * (values[i] - values[i - 1]);
    }
  }
  return values.back();
}

std::int64_t Calibration::CrimesIn(const OffenceClass& k, int year) const { return Nearest(k.per_jaar, year); }

std::int64_t Calibration::TotalCrimesIn(int year) const {
  std::int64_t total = 0;
  for (const auto& k : klassen) total += CrimesIn(k, year);
  return total;
}

double Calibration::PopulationIn(int year) const { return static_cast<double>(Nearest(bevolking_nl, year)); }

Result<Calibration> LoadCalibration(const std::string& dir, const FileSystem* fs) {
  if (fs == nullptr) fs = PosixFileSystem();
  Calibration c;
  DAS_RETURN_IF_ERROR(ReadToml(dir + "/kalibratie.toml", fs, &c));

  const std::string soort_path = dir + "/soort_misdrijf.csv";
  DAS_ASSIGN_OR_RETURN(auto soorten, ReadTable(soort_path, fs, {"soort", "omschrijving", "incidentcodes",
                                                                "opheldering", "aangifte", "groep"}));
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < soorten.size(); ++i) {
    const auto& r = soorten[i];
    const std::string where = soort_path + ": line " + std::to_string(i + 2);
    OffenceClass k;
    k.soort = r[0];
    k.omschrijving = r[1];
    std::string_view codes = r[2];
    while (!codes.empty()) {
      auto bar = codes.find('|');
      k.incidentcodes.emplace_back(codes.substr(0, bar));
      if (bar == std::string_view::npos) break;
      codes.remove_prefix(bar + 1);
    }
    if (k.incidentcodes.empty()) return Status::ParseError(where + ": no incident codes");
    DAS_ASSIGN_OR_RETURN(k.opheldering, ParseNumber(r[3], where + ": opheldering"));
    DAS_ASSIGN_OR_RETURN(k.aangifte, ParseNumber(r[4], where + ": aangifte"));
    k.groep = r[5];
    if (k.groep != "gewoon" && k.groep != "zwaar" && k.groep != "economisch" && k.groep != "verkeer") {
      return Status::ParseError(where + ": groep '" + k.groep + "' is not gewoon/zwaar/economisch/verkeer");
    }
    index[k.soort] = c.klassen.size();
    c.klassen.push_back(std::move(k));
  }
  const std::string wet_path = dir + "/wetsartikelen.csv";
  DAS_ASSIGN_OR_RETURN(auto wet, ReadTable(wet_path, fs, {"soort", "wetsartikel"}));
  for (std::size_t i = 0; i < wet.size(); ++i) {
    auto it = index.find(wet[i][0]);
    if (it == index.end()) {
      return Status::ParseError(wet_path + ": line " + std::to_string(i + 2) + ": unknown soort '" + wet[i][0] + "'");
    }
    c.klassen[it->second].wetsartikel = wet[i][1];
  }
  const std::string jaar_path = dir + "/misdrijven_per_jaar.csv";
  DAS_ASSIGN_OR_RETURN(auto jaren, ReadTable(jaar_path, fs, {"soort", "jaar", "aantal"}));
  for (std::size_t i = 0; i < jaren.size(); ++i) {
    const std::string where = jaar_path + ": line " + std::to_string(i + 2);
    auto it = index.find(jaren[i][0]);
    if (it == index.end()) return Status::ParseError(where + ": unknown soort '" + jaren[i][0] + "'");
    DAS_ASSIGN_OR_RETURN(double year, ParseNumber(jaren[i][1], where));
    DAS_ASSIGN_OR_RETURN(double count, ParseNumber(jaren[i][2], where));
    c.klassen[it->second].per_jaar[static_cast<int>(year)] = static_cast<std::int64_t>(count);
  }
  for (const auto& k : c.klassen) {
    if (k.wetsartikel.empty()) return Status::ParseError(wet_path + ": no wetsartikel for soort " + k.soort);
    if (k.per_jaar.empty()) return Status::ParseError(jaar_path + ": no counts for soort " + k.soort);
  }

  const std::string gm_path = dir + "/gemeenten_misdaad_2023.csv";
  DAS_ASSIGN_OR_RETURN(auto gms, ReadTable(gm_path, fs, {"gemeentecode", "naam", "inwoners_2024", "misdrijven_2023"}));
  for (std::size_t i = 0; i < gms.size(); ++i) {
    const std::string where = gm_path + ": line " + std::to_string(i + 2);
    GemeenteCrime g;
    g.code = gms[i][0];
    g.naam = gms[i][1];
    DAS_ASSIGN_OR_RETURN(double inw, ParseNumber(gms[i][2], where));
    DAS_ASSIGN_OR_RETURN(double mis, ParseNumber(gms[i][3], where));
    g.inwoners = static_cast<std::int64_t>(inw);
    g.misdrijven = static_cast<std::int64_t>(mis);
    c.gemeenten.push_back(std::move(g));
  }
  const std::string bev_path = dir + "/bevolking_nl.csv";
  DAS_ASSIGN_OR_RETURN(auto bev, ReadTable(bev_path, fs, {"jaar", "inwoners"}));
  for (std::size_t i = 0; i < bev.size(); ++i) {
    const std::string where = bev_path + ": line " + std::to_string(i + 2);
    DAS_ASSIGN_OR_RETURN(double y, ParseNumber(bev[i][0], where));
    DAS_ASSIGN_OR_RETURN(double n, ParseNumber(bev[i][1], where));
    c.bevolking_nl[static_cast<int>(y)] = static_cast<std::int64_t>(n);
  }
  DAS_RETURN_IF_ERROR(ReadNames(dir + "/achternamen.csv", fs, {"achternaam", "tussenvoegsel", "gewicht", "herkomst"},
                                &c.achternamen));
  DAS_RETURN_IF_ERROR(ReadNames(dir + "/voornamen.csv", fs, {"voornaam", "geslacht", "gewicht"}, &c.voornamen));
  DAS_RETURN_IF_ERROR(ReadNames(dir + "/bedrijfsnamen.csv", fs, {"deel", "soort"}, &c.bedrijfsnamen));
  return c;
}

}  // namespace das::synth
