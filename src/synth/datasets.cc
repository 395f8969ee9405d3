// The ten chain datasets of docs/deliveries.md: columns, "as known on" rendering and defect hooks.
#include <algorithm>
#include <cstdio>

#include "deliver.h"

namespace das::synth {
namespace {

io::CsvWriteOptions Opts(char delim, bool crlf, bool bom = false, io::Encoding enc = io::Encoding::kUtf8) {
  io::CsvWriteOptions o;
  o.delimiter = delim;
  o.crlf = crlf;
  o.bom = bom;
  o.encoding = enc;
  return o;
}

void Int(std::string& out, std::int64_t v) { out += std::to_string(v); }
// Euro cents as "450.00" or "450,00".
void Money(std::string& out, std::int64_t cents, char sep) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld%c%02lld", static_cast<long long>(cents / 100), sep,
                static_cast<long long>(cents % 100));
  out += buf;
}

// Shifts a date field (already formatted in `fmt`) by `days`; false if empty or unparsable.
bool ShiftDate(std::string& field, DateFormat fmt, int days) {
  if (field.empty()) return false;
  auto d = ParseDate(field, fmt);
  if (!d.ok()) return false;
  field.clear();
  AppendDate(field, *d + days, fmt);
  return true;
}
// Sets `later` to a date before `earlier` (both formatted in fmt).
bool Before(Row& row, int later, int earlier, DateFormat fmt, Random& rng) {
  if (row[later].empty() || row[earlier].empty()) return false;
  row[later] = row[earlier];
  return ShiftDate(row[later], fmt, -static_cast<int>(1 + rng.Below(60)));
}

const char* kDisposal[] = {"OM", "HALT", "PSB", "GEEN"};
const char* kAanbrenger[] = {"POL", "KMAR", "BOD"};
const char* kSanctie[] = {"GEV", "JD", "TAAK", "BOETE", "TBS", "ISD", "PIJ", "OZR"};
const char* kCjibSoort[] = {"SBS", "PSB", "BOETE", "TRNS"};
const char* kCjibStatus[] = {"BETAALD", "DEELS", "OPEN", "VERVANGENDE_HECHTENIS", "ONINBAAR"};
const char* kTitel[] = {"VH", "GS", "VVH", "ISD", "TBS", "JJI"};
const char* kReden[] = {"EINDE", "VI", "SCHORSING", "OVERGANG"};
const char* kInrichting[] = {"PI-AMS", "PI-HAA", "PI-ARN", "PI-SITT", "PI-NWG", "PI-HEE",
                             "PI-LEE", "PI-VUG", "PI-ALM", "PI-RDM", "PI-ZWL"};
const char* kInrichtingJji[] = {"JJI-TEYLINGEREIND", "JJI-DEHARTELBORGH", "JJI-DEHUNNERBERG", "JJI-RIJKSWIJK"};
const char* kRvdkSoort[] = {"VH", "BRO", "TS"};
const char* kAdvies[] = {"TAAKSTRAF", "JD", "PIJ", "GEEN"};

template <typename T, typename DateFn, typename KeyLess>
std::vector<Ref> CollectBy(const std::vector<Year>& years, std::vector<T> Year::*member, int year, DateFn date_of,
                           KeyLess less) {
  std::vector<Ref> out;
  const Date first = Date::FromYmdUnchecked(year, 1, 1), last = Date::FromYmdUnchecked(year, 12, 31);
  for (std::uint32_t yi = 0; yi < years.size(); ++yi) {
    const auto& v = years[yi].*member;
    for (std::uint32_t i = 0; i < v.size(); ++i) {
      const Date d = date_of(v[i]);
      if (first <= d && d <= last) out.push_back({yi, i});
    }
  }
  std::sort(out.begin(), out.end(), [&](const Ref& a, const Ref& b) {
    return less((years[a.yi].*member)[a.i], (years[b.yi].*member)[b.i]);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
class Misdrijven : public Dataset {
 public:
  using Dataset::Dataset;
  const char* organisation() const override { return "politie"; }
  const char* name() const override { return "misdrijven"; }
  const char* stem() const override { return "bvh_misdrijven"; }
  io::CsvWriteOptions options() const override { return Opts(';', true); }
  DateFormat date_format() const override { return DateFormat::kDmyDash; }
  std::vector<const char*> columns() const override {
    return {"Registratienummer", "Pleegdatum", "Registratiedatum", "Buurtcode", "Soort_misdrijf",
            "Incidentcode", "Aangifte", "Opgehelderd", "Datum_opgehelderd"};
  }
  std::vector<Ref> Collect(int year) const override {
    std::vector<Ref> out;
    for (std::uint32_t yi = 0; yi < years_.size(); ++yi) {
      if (years_[yi].year != year) continue;
      for (std::uint32_t i = 0; i < years_[yi].crimes.size(); ++i) out.push_back({yi, i});
    }
    return out;
  }
  bool Render(Ref r, Date asof, Row& row) const override {
    const Crime& c = years_[r.yi].crimes[r.i];
    const auto& k = w_.cal->klassen[c.klasse];
    const int year = years_[r.yi].year;
    row.Reset(9);
    row[0] = keys_.CrimeKey(r.yi, r.i);
    if (!c.pleeg_unknown) Date_(row, 1, c.pleeg);
    Date_(row, 2, c.reg);
    if (!c.location_unknown) row[3] = w_.BuurtCode(c.buurt, year);
    row[4] = k.soort;
    row[5] = k.incidentcodes[c.incident];
    row[6] = c.aangifte ? "J" : "N";
    const bool cleared = c.cleared <= asof;
    row[7] = cleared ? "J" : "N";
    if (cleared) Date_(row, 8, c.cleared);
    return true;
  }
  const char* ImpossibleDate(Row& row, Random& rng) const override {
    if (row[1].empty()) return nullptr;
    row[1] = row[2];
    return ShiftDate(row[1], date_format(), static_cast<int>(30 + rng.Below(300))) ? "pleegdatum_na_registratie"
                                                                                    : nullptr;
  }
  const char* UnknownCode(Row& row, Random& rng) const override {
    if (rng.Bernoulli(0.5)) {
      row[5] = "X99";
      return "onbekende_incidentcode";
    }
    row[4] = "9.9.9";
    return "onbekende_soort_misdrijf";
  }
  const char* WrongValue(Row& row, Random& rng) const override {
    const auto& kl = w_.cal->klassen;
    row[4] = kl[rng.Below(kl.size())].soort;
    return "foutieve_waarde_gecorrigeerd";
  }
};

// ---------------------------------------------------------------------------------------------------------
class Verdachten : public Dataset {
 public:
  using Dataset::Dataset;
  const char* organisation() const override { return "politie"; }
  const char* name() const override { return "verdachten"; }
  const char* stem() const override { return "bvh_verdachten"; }
  io::CsvWriteOptions options() const override { return Opts(';', true); }
  DateFormat date_format() const override { return DateFormat::kDmyDash; }
  std::vector<const char*> columns() const override {
    return {"PV_nummer", "Registratienummer", "Datum_registratie", "Soort_verdachte", "BSN", "KvK_nummer",
            "Achternaam", "Tussenvoegsel", "Voornamen", "Geboortedatum", "Geslacht", "Woonbuurt", "Afdoening",
            "Datum_afdoening"};
  }
  std::vector<Ref> Collect(int year) const override {
    return CollectBy(years_, &Year::suspects, year, [](const Suspect& s) { return s.reg; },
                     [](const Suspect& a, const Suspect& b) { return a.seq < b.seq; });
  }
  bool Render(Ref r, Date asof, Row& row) const override {
    const Suspect& s = years_[r.yi].suspects[r.i];
    row.Reset(14);
    row[0] = keys_.PvKey(r.yi, r.i);
    row[1] = keys_.CrimeKey(r.yi, s.crime);
    Date_(row, 2, s.reg);
    row[3] = std::string(1, s.kind);
    PersonCols(row, s.person, 4, 5, 6, 7, 8, 9, 10);
    const Person& p = w_.persons[s.person];
    if (p.buurt != kNone) row[11] = w_.BuurtCode(p.buurt, s.reg.year());
    if (s.disposal_date <= asof) {
      row[12] = kDisposal[static_cast<int>(s.disposal)];
      Date_(row, 13, s.disposal_date);
    }
    return true;
  }
  std::uint32_t PersonOf(Ref r) const override { return years_[r.yi].suspects[r.i].person; }
  std::uint32_t ChainOf(Ref r) const override { return r.i; }
  int surname_col() const override { return 6; }
  int tussenvoegsel_col() const override { return 7; }
  int given_col() const override { return 8; }
  int bsn_col() const override { return 4; }
  const char* ImpossibleDate(Row& row, Random& rng) const override {
    if (row[9].empty()) return nullptr;
    row[9] = row[2];
    return ShiftDate(row[9], date_format(), static_cast<int>(1 + rng.Below(3000))) ? "geboortedatum_in_toekomst"
                                                                                    : nullptr;
  }
  const char* UnknownCode(Row& row, Random&) const override {
    if (row[3] != "N") return nullptr;
    row[10] = "X";
    return "onbekende_geslachtscode";
  }
  const char* WrongValue(Row& row, Random& rng) const override {
    if (row[12].empty()) return nullptr;
    row[12] = kDisposal[rng.Below(4)];
    return "foutieve_waarde_gecorrigeerd";
  }
};

// ---------------------------------------------------------------------------------------------------------
class OmZaken : public Dataset {
 public:
  using Dataset::Dataset;
  const char* organisation() const override { return "om"; }
  const char* name() const override { return "zaken"; }
  const char* stem() const override { return "compas_zaken"; }
  io::CsvWriteOptions options() const override { return Opts(',', false); }
  DateFormat date_format() const override { return DateFormat::kIso; }
  std::vector<const char*> columns() const override {
    return {"parketnummer", "pv_nummer", "aanbrenger", "soort_verdachte", "bsn", "kvk_nummer", "achternaam",
            "tussenvoegsel", "voornamen", "geboortedatum", "geslacht", "woongemeente", "datum_instroom", "zsm",
            "wetsartikel", "beslissing", "datum_beslissing"};
  }
  bool quoted(int c) const override { return c != 9 && c != 12 && c != 16; }
  std::vector<Ref> Collect(int year) const override {
    return CollectBy(years_, &Year::om, year, [](const OmCase& o) { return o.inflow; },
                     [](const OmCase& a, const OmCase& b) { return a.arr != b.arr ? kParketNumbers[a.arr] < std::string_view(kParketNumbers[b.arr]) : a.seq < b.seq; });
  }
  bool Render(Ref r, Date asof, Row& row) const override {
    const OmCase& o = years_[r.yi].om[r.i];
    const Person& p = w_.persons[o.person];
    row.Reset(17);
    row[0] = keys_.ParketKey(r.yi, r.i);
    if (o.suspect != kNone) row[1] = keys_.PvKey(r.yi, o.suspect);
    row[2] = kAanbrenger[o.aanbrenger];
    row[3] = p.sex == 'R' ? "R" : "N";
    PersonCols(row, o.person, 4, 5, 6, 7, 8, 9, 10);
    if (p.buurt != kNone) row[11] = w_.GemeenteCode(p.buurt, o.inflow.year());
    Date_(row, 12, o.inflow);
    row[13] = o.zsm ? "J" : "N";
    row[14] = w_.cal->klassen[o.klasse].wetsartikel;
    if (o.decision <= asof) {
      row[15] = w_.cal->beslissing.codes[o.decision_code];
      Date_(row, 16, o.decision);
    }
    return true;
  }
  std::uint32_t PersonOf(Ref r) const override { return years_[r.yi].om[r.i].person; }
  std::uint32_t ChainOf(Ref r) const override { return years_[r.yi].om[r.i].chain; }
  int surname_col() const override { return 6; }
  int tussenvoegsel_col() const override { return 7; }
  int given_col() const override { return 8; }
  int bsn_col() const override { return 4; }
  const char* ImpossibleDate(Row& row, Random& rng) const override {
    return Before(row, 16, 12, date_format(), rng) ? "beslissing_voor_instroom" : nullptr;
  }
  const char* UnknownCode(Row& row, Random&) const override {
    row[14] = "999x Sr";
    return "onbekend_wetsartikel";
  }
  const char* WrongValue(Row& row, Random& rng) const override {
    if (row[15].empty()) return nullptr;
    const auto& codes = w_.cal->beslissing.codes;
    row[15] = codes[rng.Below(codes.size())];
    return "foutieve_waarde_gecorrigeerd";
  }
};

// ---------------------------------------------------------------------------------------------------------
class Uitspraken : public Dataset {
 public:
  using Dataset::Dataset;
  const char* organisation() const override { return "rechtspraak"; }
  const char* name() const override { return "uitspraken"; }
  const char* stem() const override { return "uitspraken"; }
  io::CsvWriteOptions options() const override { return Opts(';', true, false, io::Encoding::kWindows1252); }
  DateFormat date_format() const override { return DateFormat::kCompact; }
  std::vector<const char*> columns() const override {
    return {"Zaaknummer", "Gerecht", "Rechter", "Datum_inschrijving", "Datum_uitspraak", "Uitspraak",
            "Verstek", "Hoger_beroep"};
  }
  std::vector<Ref> Collect(int year) const override {
    return CollectBy(years_, &Year::courts, year, [](const CourtCase& c) { return c.inschrijving; },
                     [this](const CourtCase& a, const CourtCase& b) { return Less(a, b); });
  }
  bool Less(const CourtCase& a, const CourtCase& b) const {
    return std::make_pair(a.inschrijving, a.uitspraak) < std::make_pair(b.inschrijving, b.uitspraak);
  }
  bool Render(Ref r, Date asof, Row& row) const override {
    const CourtCase& c = years_[r.yi].courts[r.i];
    const OmCase& o = years_[r.yi].om[c.om];
    row.Reset(8);
    row[0] = keys_.ParketKey(r.yi, c.om);
    row[1] = kCourtCodes[o.arr];
    row[2] = w_.cal->rechter.codes[c.rechter];
    Date_(row, 3, c.inschrijving);
    if (c.uitspraak <= asof) {
      Date_(row, 4, c.uitspraak);
      row[5] = w_.cal->uitspraak.codes[c.uitspraak_code];
      row[6] = c.verstek ? "J" : "N";
      row[7] = c.appeal <= asof ? "J" : "N";
    }
    return true;
  }
  std::uint32_t PersonOf(Ref r) const override {
    return years_[r.yi].om[years_[r.yi].courts[r.i].om].person;
  }
  std::uint32_t ChainOf(Ref r) const override { return years_[r.yi].om[years_[r.yi].courts[r.i].om].chain; }
  const char* ImpossibleDate(Row& row, Random& rng) const override {
    return Before(row, 4, 3, date_format(), rng) ? "uitspraak_voor_inschrijving" : nullptr;
  }
  const char* UnknownCode(Row& row, Random&) const override {
    row[1] = "RBZLD";
    return "onbekend_gerecht";
  }
  const char* WrongValue(Row& row, Random& rng) const override {
    const auto& codes = w_.cal->rechter.codes;
    row[2] = codes[rng.Below(codes.size())];
    return "foutieve_waarde_gecorrigeerd";
  }
};

// ---------------------------------------------------------------------------------------------------------
class Sancties : public Dataset {
 public:
  using Dataset::Dataset;
  const char* organisation() const override { return "rechtspraak"; }
  const char* name() const override { return "sancties"; }
  const char* stem() const override { return "sancties"; }
  io::CsvWriteOptions options() const override { return Opts(';', true, false, io::Encoding::kWindows1252); }
  DateFormat date_format() const override { return DateFormat::kCompact; }
  std::vector<const char*> columns() const override {
    return {"Zaaknummer", "Volgnummer", "Sanctie", "Hoeveelheid", "Eenheid", "Voorwaardelijk"};
  }
  std::vector<Ref> Collect(int year) const override {
    std::vector<Ref> out;
    const Date first = Date::FromYmdUnchecked(year, 1, 1), last = Date::FromYmdUnchecked(year, 12, 31);
    for (std::uint32_t yi = 0; yi < years_.size(); ++yi) {
      const Year& y = years_[yi];
      for (std::uint32_t i = 0; i < y.sanctions.size(); ++i) {
        const Date d = y.courts[y.sanctions[i].court].inschrijving;
        if (first <= d && d <= last) out.push_back({yi, i});
      }
    }
    std::stable_sort(out.begin(), out.end(), [this](const Ref& a, const Ref& b) {
      const CourtCase& ca = years_[a.yi].courts[years_[a.yi].sanctions[a.i].court];
      const CourtCase& cb = years_[b.yi].courts[years_[b.yi].sanctions[b.i].court];
      return std::make_pair(ca.inschrijving, ca.uitspraak) < std::make_pair(cb.inschrijving, cb.uitspraak);
    });
    return out;
  }
  bool Render(Ref r, Date asof, Row& row) const override {
    const Year& y = years_[r.yi];
    const Sanction& s = y.sanctions[r.i];
    const CourtCase& c = y.courts[s.court];
    if (c.uitspraak > asof) return false;
    row.Reset(6);
    row[0] = keys_.ParketKey(r.yi, c.om);
    Int(row[1], r.i - c.first_sanction + 1);
    row[2] = kSanctie[static_cast<int>(s.type)];
    switch (s.type) {
      case SanctionType::kGev:
      case SanctionType::kJd:
        if (s.amount >= 365) {
          Int(row[3], (s.amount + 15) / 30);
          row[4] = "MAANDEN";
        } else {
          Int(row[3], s.amount);
          row[4] = "DAGEN";
        }
        break;
      case SanctionType::kTaak:
        Int(row[3], s.amount);
        row[4] = "UREN";
        break;
      case SanctionType::kBoete:
        Money(row[3], s.amount, ',');
        row[4] = "EUR";
        break;
      case SanctionType::kTbs:
        break;
      default:
        Int(row[3], s.amount);
        row[4] = "MAANDEN";
    }
    row[5] = std::string(1, s.vw);
    return true;
  }
  std::string KeyOf(const Row& row) const override { return row[0] + "#" + row[1]; }
  std::uint32_t PersonOf(Ref r) const override {
    const Year& y = years_[r.yi];
    return y.om[y.courts[y.sanctions[r.i].court].om].person;
  }
  std::uint32_t ChainOf(Ref r) const override {
    const Year& y = years_[r.yi];
    return y.om[y.courts[y.sanctions[r.i].court].om].chain;
  }
  const char* UnknownCode(Row& row, Random&) const override {
    row[2] = "GBM";
    return "onbekende_sanctie";
  }
  const char* WrongValue(Row& row, Random&) const override {
    if (row[3].empty() || row[4] == "EUR") return nullptr;
    row[3] += "0";
    return "foutieve_waarde_gecorrigeerd";
  }
};

// ---------------------------------------------------------------------------------------------------------
class CjibInning : public Dataset {
 public:
  using Dataset::Dataset;
  const char* organisation() const override { return "cjib"; }
  const char* name() const override { return "inning"; }
  const char* stem() const override { return "cjib_inning"; }
  io::CsvWriteOptions options() const override { return Opts(',', true, true); }
  DateFormat date_format() const override { return DateFormat::kDmyDash; }
  std::vector<const char*> columns() const override {
    return {"cjib_nummer", "soort", "parketnummer", "pv_nummer", "bsn", "bedrag", "datum_registratie",
            "bedrag_geind", "status", "datum_status"};
  }
  std::vector<Ref> Collect(int year) const override {
    return CollectBy(years_, &Year::cjib, year, [](const Cjib& c) { return c.reg; },
                     [](const Cjib& a, const Cjib& b) { return a.seq < b.seq; });
  }
  bool Render(Ref r, Date asof, Row& row) const override {
    const Cjib& c = years_[r.yi].cjib[r.i];
    row.Reset(10);
    row[0] = keys_.CjibKey(r.yi, r.i);
    row[1] = kCjibSoort[static_cast<int>(c.soort)];
    if (c.om != kNone) row[2] = keys_.ParketKey(r.yi, c.om);
    if (c.suspect != kNone) row[3] = keys_.PvKey(r.yi, c.suspect);
    PersonCols(row, c.person, 4, -1, -1, -1, -1, -1, -1);
    Money(row[5], c.bedrag, '.');
    Date_(row, 6, c.reg);
    const bool final_known = c.status_date <= asof;
    Money(row[7], final_known ? c.geind : 0, '.');
    row[8] = final_known ? kCjibStatus[static_cast<int>(c.status)] : "OPEN";
    Date_(row, 9, final_known ? c.status_date : c.reg);
    return true;
  }
  std::uint32_t PersonOf(Ref r) const override { return years_[r.yi].cjib[r.i].person; }
  std::uint32_t ChainOf(Ref r) const override { return years_[r.yi].cjib[r.i].chain; }
  int bsn_col() const override { return 4; }
  const char* ImpossibleDate(Row& row, Random& rng) const override {
    if (row[9] == row[6]) return nullptr;
    return Before(row, 9, 6, date_format(), rng) ? "status_voor_registratie" : nullptr;
  }
  const char* UnknownCode(Row& row, Random&) const override {
    row[8] = "GESEPONEERD";
    return "onbekende_status";
  }
  const char* WrongValue(Row& row, Random&) const override {
    row[5].insert(row[5].find('.'), "0");
    return "foutieve_waarde_gecorrigeerd";
  }
};

// ---------------------------------------------------------------------------------------------------------
class DjiDetenties : public Dataset {
 public:
  using Dataset::Dataset;
  const char* organisation() const override { return "dji"; }
  const char* name() const override { return "detenties"; }
  const char* stem() const override { return "dji_detenties"; }
  io::CsvWriteOptions options() const override { return Opts(';', false); }
  DateFormat date_format() const override { return DateFormat::kDmySlash; }
  std::vector<const char*> columns() const override {
    return {"Detentienummer", "BSN", "Achternaam", "Tussenvoegsel", "Voornamen", "Geboortedatum", "Geslacht",
            "Parketnummer", "Titel", "Inrichting", "Datum_instroom", "Datum_uitstroom", "Reden_uitstroom"};
  }
  std::vector<Ref> Collect(int year) const override {
    return CollectBy(years_, &Year::dji, year, [](const Detention& d) { return d.in; },
                     [](const Detention& a, const Detention& b) { return a.seq < b.seq; });
  }
  bool Render(Ref r, Date asof, Row& row) const override {
    const Detention& d = years_[r.yi].dji[r.i];
    row.Reset(13);
    row[0] = keys_.DjiKey(r.yi, r.i);
    PersonCols(row, d.person, 1, -1, 2, 3, 4, 5, 6);
    if (d.om != kNone) row[7] = keys_.ParketKey(r.yi, d.om);
    row[8] = kTitel[static_cast<int>(d.titel)];
    row[9] = d.titel == Titel::kJji ? kInrichtingJji[d.inrichting % 4] : kInrichting[d.inrichting % kCourts];
    Date_(row, 10, d.in);
    if (d.out <= asof) {
      Date_(row, 11, d.out);
      row[12] = kReden[d.reden];
    }
    return true;
  }
  std::uint32_t PersonOf(Ref r) const override { return years_[r.yi].dji[r.i].person; }
  std::uint32_t ChainOf(Ref r) const override { return years_[r.yi].dji[r.i].chain; }
  int surname_col() const override { return 2; }
  int tussenvoegsel_col() const override { return 3; }
  int given_col() const override { return 4; }
  int bsn_col() const override { return 1; }
  const char* ImpossibleDate(Row& row, Random& rng) const override {
    return Before(row, 11, 10, date_format(), rng) ? "uitstroom_voor_instroom" : nullptr;
  }
  const char* UnknownCode(Row& row, Random&) const override {
    row[8] = "BEP";
    return "onbekende_titel";
  }
  const char* WrongValue(Row& row, Random& rng) const override {
    row[9] = kInrichting[rng.Below(kCourts)];
    return "foutieve_waarde_gecorrigeerd";
  }
};

// ---------------------------------------------------------------------------------------------------------
class Werkstraffen : public Dataset {
 public:
  using Dataset::Dataset;
  const char* organisation() const override { return "reclassering"; }
  const char* name() const override { return "werkstraffen"; }
  const char* stem() const override { return "rn_werkstraffen"; }
  io::CsvWriteOptions options() const override { return Opts(',', false); }
  DateFormat date_format() const override { return DateFormat::kIso; }
  std::vector<const char*> columns() const override {
    return {"rn_id", "bsn", "parketnummer", "product", "uren_opgelegd", "uren_uitgevoerd", "startdatum",
            "einddatum", "resultaat"};
  }
  std::vector<Ref> Collect(int year) const override {
    return CollectBy(years_, &Year::rn, year, [](const Probation& p) { return p.start; },
                     [](const Probation& a, const Probation& b) { return a.seq < b.seq; });
  }
  bool Render(Ref r, Date asof, Row& row) const override {
    const Probation& p = years_[r.yi].rn[r.i];
    row.Reset(9);
    row[0] = keys_.RnKey(r.yi, r.i);
    PersonCols(row, p.person, 1, -1, -1, -1, -1, -1, -1);
    row[2] = keys_.ParketKey(r.yi, p.om);
    row[3] = p.werkstraf ? "WS" : "TZ";
    const bool done = p.end <= asof;
    if (p.werkstraf) {
      Int(row[4], p.uren);
      int hours = p.uren_done;
      if (!done) {
        double frac = p.end == kNever ? 0.5 : static_cast<double>(asof - p.start) / std::max(1, p.end - p.start);
        hours = std::clamp(static_cast<int>(p.uren_done * frac), 0, p.uren_done);
      }
      Int(row[5], hours);
    }
    Date_(row, 6, p.start);
    if (done) {
      Date_(row, 7, p.end);
      row[8] = p.completed ? "VOLTOOID" : "NIET_VOLTOOID";
    } else {
      row[8] = "LOPEND";
    }
    return true;
  }
  std::uint32_t PersonOf(Ref r) const override { return years_[r.yi].rn[r.i].person; }
  std::uint32_t ChainOf(Ref r) const override { return years_[r.yi].rn[r.i].chain; }
  int bsn_col() const override { return 1; }
  const char* ImpossibleDate(Row& row, Random& rng) const override {
    return Before(row, 7, 6, date_format(), rng) ? "einddatum_voor_startdatum" : nullptr;
  }
  const char* UnknownCode(Row& row, Random&) const override {
    row[3] = "EM";
    return "onbekend_product";
  }
  const char* WrongValue(Row& row, Random&) const override {
    if (row[4].empty()) return nullptr;
    row[4] += "0";
    return "foutieve_waarde_gecorrigeerd";
  }
};

// ---------------------------------------------------------------------------------------------------------
class HaltVerwijzingen : public Dataset {
 public:
  using Dataset::Dataset;
  const char* organisation() const override { return "halt"; }
  const char* name() const override { return "verwijzingen"; }
  const char* stem() const override { return "halt_verwijzingen"; }
  io::CsvWriteOptions options() const override { return Opts(';', true); }
  DateFormat date_format() const override { return DateFormat::kDmyDash; }
  std::vector<const char*> columns() const override {
    return {"Halt_id", "PV_nummer", "BSN", "Achternaam", "Tussenvoegsel", "Voornamen", "Geboortedatum",
            "Geslacht", "Woongemeente", "Datum_verwijzing", "Feit", "Uren", "Afloop", "Datum_afloop"};
  }
  std::vector<Ref> Collect(int year) const override {
    return CollectBy(years_, &Year::halt, year, [](const HaltCase& h) { return h.date; },
                     [](const HaltCase& a, const HaltCase& b) { return a.seq < b.seq; });
  }
  bool Render(Ref r, Date asof, Row& row) const override {
    const HaltCase& h = years_[r.yi].halt[r.i];
    row.Reset(14);
    row[0] = keys_.HaltKey(r.yi, r.i);
    if (h.suspect != kNone) row[1] = keys_.PvKey(r.yi, h.suspect);
    PersonCols(row, h.person, 2, -1, 3, 4, 5, 6, 7);
    const Person& p = w_.persons[h.person];
    if (p.buurt != kNone) row[8] = w_.GemeenteCode(p.buurt, h.date.year());
    Date_(row, 9, h.date);
    row[10] = w_.cal->klassen[h.klasse].soort;
    Int(row[11], h.uren);
    if (h.afloop_date <= asof) {
      row[12] = h.positief ? "POSITIEF" : "NEGATIEF";
      Date_(row, 13, h.afloop_date);
    } else {
      row[12] = "LOPEND";
    }
    return true;
  }
  std::uint32_t PersonOf(Ref r) const override { return years_[r.yi].halt[r.i].person; }
  std::uint32_t ChainOf(Ref r) const override { return years_[r.yi].halt[r.i].chain; }
  int surname_col() const override { return 3; }
  int tussenvoegsel_col() const override { return 4; }
  int given_col() const override { return 5; }
  int bsn_col() const override { return 2; }
  const char* ImpossibleDate(Row& row, Random& rng) const override {
    return Before(row, 13, 9, date_format(), rng) ? "afloop_voor_verwijzing" : nullptr;
  }
  const char* UnknownCode(Row& row, Random&) const override {
    row[10] = "9.9.9";
    return "onbekend_feit";
  }
  const char* WrongValue(Row& row, Random&) const override {
    row[11] += "0";
    return "foutieve_waarde_gecorrigeerd";
  }
};

// ---------------------------------------------------------------------------------------------------------
class RvdkOnderzoeken : public Dataset {
 public:
  using Dataset::Dataset;
  const char* organisation() const override { return "rvdk"; }
  const char* name() const override { return "strafonderzoeken"; }
  const char* stem() const override { return "rvdk_strafonderzoeken"; }
  io::CsvWriteOptions options() const override { return Opts(';', false); }
  DateFormat date_format() const override { return DateFormat::kDmyDash; }
  std::vector<const char*> columns() const override {
    return {"Raad_id", "BSN", "Achternaam", "Tussenvoegsel", "Voornamen", "Geboortedatum", "Geslacht",
            "Parketnummer", "Soort", "Startdatum", "Einddatum", "Advies"};
  }
  std::vector<Ref> Collect(int year) const override {
    return CollectBy(years_, &Year::rvdk, year, [](const RvdkCase& r) { return r.start; },
                     [](const RvdkCase& a, const RvdkCase& b) { return a.seq < b.seq; });
  }
  bool Render(Ref r, Date asof, Row& row) const override {
    const RvdkCase& k = years_[r.yi].rvdk[r.i];
    row.Reset(12);
    row[0] = keys_.RvdkKey(r.yi, r.i);
    PersonCols(row, k.person, 1, -1, 2, 3, 4, 5, 6);
    row[7] = keys_.ParketKey(r.yi, k.om);
    row[8] = kRvdkSoort[k.soort];
    Date_(row, 9, k.start);
    if (k.end <= asof) {
      Date_(row, 10, k.end);
      row[11] = kAdvies[k.advies];
    }
    return true;
  }
  std::uint32_t PersonOf(Ref r) const override { return years_[r.yi].rvdk[r.i].person; }
  std::uint32_t ChainOf(Ref r) const override { return years_[r.yi].rvdk[r.i].chain; }
  int surname_col() const override { return 2; }
  int tussenvoegsel_col() const override { return 3; }
  int given_col() const override { return 4; }
  int bsn_col() const override { return 1; }
  const char* ImpossibleDate(Row& row, Random& rng) const override {
    return Before(row, 10, 9, date_format(), rng) ? "einddatum_voor_startdatum" : nullptr;
  }
  const char* UnknownCode(Row& row, Random&) const override {
    row[8] = "JR";
    return "onbekende_soort";
  }
  const char* WrongValue(Row& row, Random& rng) const override {
    if (row[11].empty()) return nullptr;
    row[11] = kAdvies[rng.Below(4)];
    return "foutieve_waarde_gecorrigeerd";
  }
};

}  // namespace

void Dataset::PersonCols(Row& row, std::uint32_t pi, int bsn, int kvk, int sur, int tv, int given, int birth,
                         int sex) const {
  const Person& p = w_.persons[pi];
  if (p.sex == 'R') {
    if (kvk >= 0) Int(row[kvk], p.kvk);
    if (sur >= 0) row[sur] = CompanyName(p);
    return;
  }
  if (bsn >= 0 && p.bsn != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%09u", p.bsn);
    row[bsn] = buf;
  }
  const auto& cal = *w_.cal;
  if (sur >= 0) row[sur] = cal.achternamen[p.surname].name;
  if (tv >= 0) row[tv] = cal.achternamen[p.surname].extra;
  if (given >= 0) {
    for (auto g : p.given) {
      if (g == 0xFFFF) break;
      if (!row[given].empty()) row[given] += ' ';
      row[given] += cal.voornamen[g].name;
    }
  }
  if (birth >= 0) Date_(row, birth, p.birth);
  if (sex >= 0) row[sex] = std::string(1, p.sex);
}

std::string Dataset::CompanyName(const Person& p) const {
  std::vector<const NameEntry*> stam, naam, vorm;
  for (const auto& e : w_.cal->bedrijfsnamen) {
    (e.extra == "stam" ? stam : e.extra == "naam" ? naam : vorm).push_back(&e);
  }
  std::uint32_t h = p.given[0] * 2654435761u;
  std::string out;
  if (!stam.empty()) out += stam[h % stam.size()]->name;
  if (!naam.empty()) out += (out.empty() ? "" : " ") + naam[(h >> 8) % naam.size()]->name;
  if (!vorm.empty()) out += (out.empty() ? "" : " ") + vorm[(h >> 16) % vorm.size()]->name;
  return out;
}

std::vector<std::unique_ptr<Dataset>> MakeDatasets(const World& w, const std::vector<Year>& years) {
  std::vector<std::unique_ptr<Dataset>> out;
  out.push_back(std::make_unique<Misdrijven>(w, years));
  out.push_back(std::make_unique<Verdachten>(w, years));
  out.push_back(std::make_unique<OmZaken>(w, years));
  out.push_back(std::make_unique<Uitspraken>(w, years));
  out.push_back(std::make_unique<Sancties>(w, years));
  out.push_back(std::make_unique<CjibInning>(w, years));
  out.push_back(std::make_unique<DjiDetenties>(w, years));
  out.push_back(std::make_unique<Werkstraffen>(w, years));
  out.push_back(std::make_unique<HaltVerwijzingen>(w, years));
  out.push_back(std::make_unique<RvdkOnderzoeken>(w, years));
  return out;
}

}  // namespace das::synth
