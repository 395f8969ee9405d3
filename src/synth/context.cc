// Veiligheidsmonitor respondents and the context files (population per buurt, businesses, social
// assistance, deregistrations) of one year.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "deliver.h"

namespace das::synth {
namespace {

std::string Fixed2(double v, char sep) {
  char buf[48];
  auto cents = static_cast<long long>(std::llround(v * 100));
  std::snprintf(buf, sizeof buf, "%lld%c%02lld", cents / 100, sep, cents % 100);
  return buf;
}

std::uint64_t Mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}
double Unit(std::uint64_t h) { return static_cast<double>(h >> 11) / 9007199254740992.0; }

// FNV-1a: a fixed string hash (std::hash values differ between standard libraries, outputs must not).
std::uint64_t HashText(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

void Line(std::string& out, std::initializer_list<std::string_view> fields, char delim) {
  bool first = true;
  for (auto f : fields) {
    if (!first) out += delim;
    first = false;
    out += f;
  }
  out += '\n';
}

void Total(std::string& out, int year, const char* stage, const std::string& measure, double value) {
  char buf[64];
  if (std::fabs(value - std::round(value)) < 1e-9) std::snprintf(buf, sizeof buf, "%.0f", value);
  else std::snprintf(buf, sizeof buf, "%.4f", value);
  out += std::to_string(year) + "," + stage + "," + measure + "," + buf + "\n";
}

}  // namespace

TaskOutput WriteSurveyAndContext(const World& w, const std::vector<Year>& years, int year, FileSystem* fs) {
  TaskOutput out;
  const Calibration& c = *w.cal;
  const geo::Geography& geo = *w.geo;
  Random rng = Random(w.opt.seed).Derive(0x5EC0000ULL + static_cast<std::uint64_t>(year));
  const std::string y = std::to_string(year);

  // Gemeenten of the year with population and a regional victimisation factor (crime rate of the
  // 2024 successor relative to the nation, dampened).
  std::vector<const geo::GemeenteInfo*> gms = geo.GemeentenIn(year);
  std::vector<double> pops, factor;
  double national_crime = 0, national_pop = 0;
  for (const auto& g : w.gemeenten) {
    national_crime += g.crime_weight;
    national_pop += g.population;
  }
  const double national_rate = national_pop > 0 ? national_crime / national_pop : 0.03;
  double pop_sum = 0, fsum = 0;
  for (const auto* g : gms) {
    double p = static_cast<double>(geo.PopulationIn(g->code, year));
    double f = 1;
    const std::string succ = geo.Successor(g->code);
    for (const auto& x : w.gemeenten) {
      if (x.code == succ && x.population > 0) f = std::pow(std::max(0.05, x.crime_weight / x.population / national_rate), 0.3);
    }
    pops.push_back(p);
    factor.push_back(f);
    pop_sum += p;
    fsum += p * f;
  }
  const double fmean = pop_sum > 0 ? fsum / pop_sum : 1;
  for (double& f : factor) f /= fmean;

  // --- Veiligheidsmonitor.
  {
    const auto n = static_cast<std::int64_t>(std::max(100.0, std::round(c.vm_respondenten * w.opt.scale)));
    const double pop15 = c.vm_15plus * c.PopulationIn(year);
    auto cum = Cumulative(pops);
    struct Resp {
      std::uint32_t gm;
      bool man;
      int age;
      double weight;
      bool v[6];
      bool aangifte, onveilig;
    };
    std::vector<Resp> rs(static_cast<std::size_t>(n));
    double wsum = 0;
    static const double kAgeShare[] = {0.14, 0.30, 0.32, 0.24};
    for (auto& r : rs) {
      r.gm = static_cast<std::uint32_t>(DrawCumulative(rng, cum));
      r.man = rng.Bernoulli(0.495);
      double u = rng.Uniform();
      r.age = u < kAgeShare[0] ? 0 : u < kAgeShare[0] + kAgeShare[1] ? 1 : u < 0.76 ? 2 : 3;
      r.weight = std::exp(0.35 * rng.Normal());
      wsum += r.weight;
      const double f = factor[r.gm];
      const double young = r.age == 0 ? 1.3 : r.age == 3 ? 0.7 : 1.0;
      r.v[0] = rng.Bernoulli(std::min(1.0, c.vm_vermogen * f));
      r.v[1] = rng.Bernoulli(std::min(1.0, c.vm_vernieling * f));
      r.v[2] = rng.Bernoulli(std::min(1.0, c.vm_geweld * f * young));
      r.v[3] = rng.Bernoulli(c.vm_fraude);
      r.v[4] = rng.Bernoulli(c.vm_hacken);
      r.v[5] = rng.Bernoulli(c.vm_bedreiging * young);
      const bool victim = r.v[0] || r.v[1] || r.v[2] || r.v[3] || r.v[4] || r.v[5];
      r.aangifte = victim && rng.Bernoulli(c.vm_aangifte);
      r.onveilig = rng.Bernoulli(std::min(1.0, c.vm_onveilig * f));
    }
    std::string text = "respondent;gemeente;geslacht;leeftijdsklasse;gewicht;slachtoffer_vermogen;"
                       "slachtoffer_vernieling;slachtoffer_geweld;slachtoffer_fraude_online;slachtoffer_hacken;"
                       "slachtoffer_bedreiging_online;aangifte;onveilig\n";
    static const char* kAge[] = {"15-24", "25-44", "45-64", "65+"};
    double wtot = 0, trad = 0, online = 0, unsafe = 0;
    // Weights in cents summing exactly to the 15+ population: the last respondent takes the rounding rest.
    const auto target_cents = static_cast<long long>(std::llround(pop15 * 100));
    long long cents_so_far = 0;
    for (std::size_t i = 0; i < rs.size(); ++i) {
      const Resp& r = rs[i];
      long long cents = i + 1 == rs.size() ? target_cents - cents_so_far
                                          : static_cast<long long>(std::llround(r.weight / wsum * pop15 * 100));
      cents_so_far += cents;
      const double wgt = static_cast<double>(cents) / 100;
      char id[32];
      std::snprintf(id, sizeof id, "VM%04d%06zu", year, i + 1);
      Line(text, {id, gms[r.gm]->code, r.man ? "M" : "V", kAge[r.age], Fixed2(wgt, ','), r.v[0] ? "1" : "0",
                  r.v[1] ? "1" : "0", r.v[2] ? "1" : "0", r.v[3] ? "1" : "0", r.v[4] ? "1" : "0",
                  r.v[5] ? "1" : "0", r.aangifte ? "1" : "0", r.onveilig ? "1" : "0"},
           ';');
      wtot += wgt;
      if (r.v[0] || r.v[1] || r.v[2]) trad += wgt;
      if (r.v[3] || r.v[4] || r.v[5]) online += wgt;
      if (r.onveilig) unsafe += wgt;
    }
    out.status = WriteFileWithManifest(w, fs, "cbs/" + y + "/veiligheidsmonitor_" + y + ".csv", text, "cbs",
                                       "veiligheidsmonitor", "cbs_veiligheidsmonitor@1", year, "regulier", n, &out);
    if (!out.status.ok()) return out;
    Total(out.totals, year, "veiligheidsmonitor", "respondenten", static_cast<double>(n));
    Total(out.totals, year, "veiligheidsmonitor", "gewicht_totaal", wtot);
    Total(out.totals, year, "veiligheidsmonitor", "slachtoffer_traditioneel_pct", 100 * trad / wtot);
    Total(out.totals, year, "veiligheidsmonitor", "slachtoffer_online_pct", 100 * online / wtot);
    Total(out.totals, year, "veiligheidsmonitor", "onveilig_pct", 100 * unsafe / wtot);
  }

  // --- Population per buurt, projected from 2024 with the national series.
  {
    const double ratio = c.PopulationIn(year) / std::max(1.0, c.PopulationIn(geo::kGeographyYear));
    std::string text = "buurtcode,inwoners,inwoners_0_11,inwoners_12_17,inwoners_18_24,inwoners_25_plus,mannen,vrouwen\n";
    std::int64_t rows = 0;
    for (std::uint32_t b = 0; b < w.buurten.size(); ++b) {
      const auto* bu = w.buurten[b];
      const auto p = static_cast<std::int64_t>(std::llround(static_cast<double>(bu->population) * ratio));
      const std::uint64_t h = Mix64(HashText(bu->code) ^ w.opt.seed);
      const double j = 0.75 + 0.5 * Unit(h);
      const auto a0 = static_cast<std::int64_t>(std::llround(p * 0.125 * j));
      const auto a1 = static_cast<std::int64_t>(std::llround(p * 0.065 * j));
      const auto a2 = static_cast<std::int64_t>(std::llround(p * 0.09 * (1.75 - j + 0.0)));
      const std::int64_t a3 = std::max<std::int64_t>(0, p - a0 - a1 - a2);
      const auto men = static_cast<std::int64_t>(std::llround(p * (0.48 + 0.04 * Unit(Mix64(h)))));
      Line(text, {w.BuurtCode(b, year), std::to_string(p), std::to_string(a0), std::to_string(a1),
                  std::to_string(a2), std::to_string(a3), std::to_string(men), std::to_string(p - men)},
           ',');
      ++rows;
    }
    out.status = WriteFileWithManifest(w, fs, "context/" + y + "/bevolking_buurt_" + y + ".csv", text, "context",
                                       "bevolking_buurt", "context_bevolking_buurt@1", year, "regulier", rows, &out);
    if (!out.status.ok()) return out;
  }
  // --- Businesses per gemeente and SBI section (synthetic: population times national section shares).
  {
    static const double kShare[21] = {0.035, 0.0005, 0.04, 0.002, 0.001, 0.10, 0.17, 0.045, 0.04, 0.06, 0.03,
                                      0.025, 0.21,   0.07, 0.005, 0.04, 0.07, 0.04, 0.035, 0.001, 0.0005};
    std::string text = "gemeentecode,sbi_sectie,vestigingen\n";
    std::int64_t rows = 0;
    for (std::size_t g = 0; g < gms.size(); ++g) {
      for (int s = 0; s < 21; ++s) {
        // A stable level per gemeente and section, a small yearly movement, and ~1.5% growth a year.
        const std::uint64_t h = Mix64(HashText(gms[g]->code) * 31 + static_cast<std::uint64_t>(s));
        const std::uint64_t hy = Mix64(h ^ (static_cast<std::uint64_t>(year) * 0x9E3779B97F4A7C15ULL));
        const double growth = std::pow(1.015, year - 2024) * (0.97 + 0.06 * Unit(hy));
        const auto n =
            static_cast<std::int64_t>(std::llround(pops[g] * 0.12 * kShare[s] * (0.7 + 0.6 * Unit(h)) * growth));
        Line(text, {gms[g]->code, std::string(1, static_cast<char>('A' + s)), std::to_string(n)}, ',');
        ++rows;
      }
    }
    out.status = WriteFileWithManifest(w, fs, "context/" + y + "/bedrijven_sbi_" + y + ".csv", text, "context",
                                       "bedrijven_sbi", "context_bedrijven_sbi@1", year, "regulier", rows, &out);
    if (!out.status.ok()) return out;
  }
  // --- Social assistance on 31 December and deregistrations to an unknown address (pool persons only).
  {
    std::vector<std::uint8_t> suspect(w.n_natural, 0);
    for (const auto& yr : years) {
      for (const auto& s : yr.suspects) {
        if (s.person < w.n_natural && s.reg.year() == year) suspect[s.person] = 1;
      }
    }
    const Date dec31 = Date::FromYmdUnchecked(year, 12, 31);
    std::string bij = "bsn,gemeentecode,peildatum\n", vow = "bsn,laatste_gemeentecode,datum_uitschrijving\n";
    std::int64_t n_bij = 0, n_vow = 0;
    const std::string peil = dec31.ToIso();
    for (std::uint32_t i = 0; i < w.n_natural; ++i) {
      const Person& p = w.persons[i];
      if (p.bsn == 0 || p.buurt == kNone) continue;
      const int age = year - p.birth.year();
      if (age < 18 || age > 85) continue;
      const std::uint64_t h = Mix64((static_cast<std::uint64_t>(i) << 16) ^ static_cast<std::uint64_t>(year) ^ (w.opt.seed << 40));
      char bsn[16];
      std::snprintf(bsn, sizeof bsn, "%09u", p.bsn);
      const double u = Unit(h);
      if (u < (suspect[i] ? c.bijstand_daders : c.bijstand_overig)) {
        Line(bij, {bsn, w.GemeenteCode(p.buurt, year), peil}, ',');
        ++n_bij;
      }
      if (suspect[i] && Unit(Mix64(h)) < c.vow) {
        const Date d = Date::FromYmdUnchecked(year, 1, 1) + static_cast<std::int32_t>(Mix64(h + 1) % 365);
        Line(vow, {bsn, w.GemeenteCode(p.buurt, year), d.ToIso()}, ',');
        ++n_vow;
      }
    }
    out.status = WriteFileWithManifest(w, fs, "context/" + y + "/bijstand_" + y + ".csv", bij, "context", "bijstand",
                                       "context_bijstand@1", year, "regulier", n_bij, &out);
    if (!out.status.ok()) return out;
    out.status = WriteFileWithManifest(w, fs, "context/" + y + "/vow_" + y + ".csv", vow, "context", "vow",
                                       "context_vow@1", year, "regulier", n_vow, &out);
    if (!out.status.ok()) return out;
  }
  const std::string delivered = Date::FromYmdUnchecked(year + 1, 2, 1).ToIso();
  for (auto& m : out.manifest) m.delivered_on = delivered;
  return out;
}

}  // namespace das::synth
