// The world of the synthetic chain: geography tables, name lists and the persistent offender pool.
#include <algorithm>
#include <atomic>
#include <thread>
#include <cmath>
#include <map>

#include "model.h"

namespace das::synth {

const std::array<const char*, kCourts> kCourtCodes = {"RBAMS", "RBDHA", "RBGEL", "RBLIM", "RBMNE", "RBNHO",
                                                      "RBNNE", "RBOBR", "RBOVE", "RBROT", "RBZWB"};
// Parket numbers of the arrondissementsparketten (same order as kCourtCodes).
const std::array<const char*, kCourts> kParketNumbers = {"13", "09", "05", "03", "16", "15",
                                                         "18", "01", "08", "10", "02"};

bool PassesElevenCheck(std::string_view d) {
  if (d.size() != 9) return false;
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    if (d[i] < '0' || d[i] > '9') return false;
    sum += (9 - i) * (d[i] - '0');
  }
  if (d[8] < '0' || d[8] > '9') return false;
  sum -= d[8] - '0';
  return sum % 11 == 0;
}

int DrawDays(Random& rng, const Delay& d, int min_days, int max_days) {
  double v = d.median * std::exp(d.sigma * rng.Normal());
  int days = static_cast<int>(std::lround(v));
  return std::clamp(days, min_days, max_days);
}

std::vector<double> Cumulative(const std::vector<double>& weights) {
  std::vector<double> cum(weights.size());
  double total = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    total += std::max(0.0, weights[i]);
    cum[i] = total;
  }
  return cum;
}

std::size_t DrawCumulative(Random& rng, const std::vector<double>& cum) {
  double u = rng.Uniform() * cum.back();
  auto it = std::upper_bound(cum.begin(), cum.end(), u);
  if (it == cum.end()) --it;
  return static_cast<std::size_t>(it - cum.begin());
}

namespace {

int CourtIndex(std::string_view code) {
  for (int i = 0; i < kCourts; ++i) {
    if (code == kCourtCodes[i]) return i;
  }
  return -1;
}

// The BSN whose 8-digit prefix is the k-th element of a fixed permutation of [10000000, 70000000); the
// check digit makes it pass the 11-check. Prefixes whose check digit would be 10 are skipped by the caller.
std::uint32_t BsnFromPrefix(std::uint64_t prefix, bool* ok) {
  int sum = 0;
  std::uint64_t p = prefix;
  for (int w = 2; w <= 9; ++w) {
    sum += w * static_cast<int>(p % 10);
    p /= 10;
  }
  int check = sum % 11;
  *ok = check <= 9;
  return static_cast<std::uint32_t>(prefix * 10 + static_cast<std::uint64_t>(check));
}

}  // namespace

Result<World> BuildWorld(const Calibration& cal, const geo::Geography& geo, const GenerateOptions& opt) {
  World w;
  w.cal = &cal;
  w.geo = &geo;
  w.opt = opt;
  w.sim_from = opt.from - 2;
  w.horizon = Date::FromYmdUnchecked(opt.to + 1, 6, 1);

  // Gemeenten of 2024 with their police unit, court and the real 2023 registered crime as weight.
  std::map<std::string, const GemeenteCrime*> crime_by_code;
  for (const auto& g : cal.gemeenten) crime_by_code[g.code] = &g;
  std::map<std::string, std::uint32_t> gm_index;
  std::vector<double> crime_weights;
  double pop_total = 0, crime_total = 0;
  for (const geo::GemeenteInfo* g : geo.GemeentenIn(geo::kGeographyYear)) {
    pop_total += static_cast<double>(g->population);
    if (auto it = crime_by_code.find(g->code); it != crime_by_code.end()) {
      crime_total += static_cast<double>(it->second->misdrijven);
    }
  }
  const double national_rate = pop_total > 0 ? crime_total / pop_total : 0.03;
  for (const geo::GemeenteInfo* g : geo.GemeentenIn(geo::kGeographyYear)) {
    GemeenteX x;
    x.code = g->code;
    int unit = 1;
    if (g->police_unit.size() == 4) unit = std::atoi(g->police_unit.c_str() + 2);
    x.unit = static_cast<std::uint8_t>(std::clamp(unit, 1, 10));
    int court = CourtIndex(g->arrondissement);
    if (court < 0) {
      return Status::InvalidArgument("geography: gemeente " + g->code + " has unknown arrondissement '" +
                                     g->arrondissement + "'");
    }
    x.arr = static_cast<std::uint8_t>(court);
    x.population = static_cast<double>(g->population);
    auto it = crime_by_code.find(g->code);
    x.crime_weight = it != crime_by_code.end() ? static_cast<double>(it->second->misdrijven)
                                               : x.population * national_rate;
    gm_index[g->code] = static_cast<std::uint32_t>(w.gemeenten.size());
    w.gemeenten.push_back(std::move(x));
  }
  if (w.gemeenten.empty()) return Status::InvalidArgument("geography: no gemeenten valid in 2024");
  for (const auto& b : geo.buurten()) {
    auto it = gm_index.find(b.gemeente);
    if (it == gm_index.end()) continue;
    auto idx = static_cast<std::uint32_t>(w.buurten.size());
    w.buurten.push_back(&b);
    w.buurt_gemeente.push_back(it->second);
    w.gemeenten[it->second].buurten.push_back(idx);
  }
  std::vector<double> gw;
  for (auto& g : w.gemeenten) {
    std::vector<double> bw;
    for (auto b : g.buurten) bw.push_back(static_cast<double>(w.buurten[b]->population) + 0.01);
    g.buurt_cum = Cumulative(bw);
    gw.push_back(g.buurten.empty() ? 0.0 : g.crime_weight);
  }
  w.gemeente_crime_cum = Cumulative(gw);

  // Clearance: class weights scaled so that the national rate (latest year) hits the target.
  {
    double registered = 0, cleared = 0;
    for (const auto& k : cal.klassen) {
      double n = static_cast<double>(cal.CrimesIn(k, opt.to));
      registered += n;
      cleared += n * k.opheldering;
    }
    w.clearance_factor = cleared > 0 ? cal.opheldering * registered / cleared : 1;
  }

  // Crimes without a known place: the real per-gemeente figures add up to less than the national total.
  {
    double located = 0;
    for (const auto& g : cal.gemeenten) located += static_cast<double>(g.misdrijven);
    const double total = static_cast<double>(cal.TotalCrimesIn(2023));
    const double unknown = std::max(0.0, total - located);
    double n_online = 0;
    auto online = [](const std::string& s) { return s.rfind("3.9.", 0) == 0 || s == "3.7.4"; };
    for (const auto& k : cal.klassen) {
      if (online(k.soort)) n_online += static_cast<double>(cal.CrimesIn(k, 2023));
    }
    const double p_online = n_online > 0 ? std::min(0.95, unknown / n_online) : 0;
    const double p_other = total > n_online ? std::max(0.0, (unknown - p_online * n_online) / (total - n_online)) : 0;
    for (const auto& k : cal.klassen) w.p_no_location.push_back(online(k.soort) ? p_online : p_other);
  }

  // Names.
  {
    std::vector<double> sw;
    for (const auto& n : cal.achternamen) sw.push_back(n.weight);
    w.surname_cum = Cumulative(sw);
    std::vector<double> mw, fw;
    for (std::size_t i = 0; i < cal.voornamen.size(); ++i) {
      if (cal.voornamen[i].extra == "V") {
        w.female_names.push_back(static_cast<std::uint16_t>(i));
        fw.push_back(cal.voornamen[i].weight);
      } else {
        w.male_names.push_back(static_cast<std::uint16_t>(i));
        mw.push_back(cal.voornamen[i].weight);
      }
    }
    if (mw.empty() || fw.empty()) return Status::InvalidArgument("config/synth/voornamen.csv: needs M and V names");
    w.male_cum = Cumulative(mw);
    w.female_cum = Cumulative(fw);
  }

  // The offender pool. Residence weighted by population and (more offenders in high-crime gemeenten).
  Random rng = Random(opt.seed).Derive(1);
  const double expected_regs = static_cast<double>(cal.TotalCrimesIn(opt.to)) * cal.opheldering *
                               cal.verdachten_per_opgehelderd * opt.scale;
  const double expected_persons = expected_regs * (1 - cal.rechtspersonen) * cal.personen_per_registratie;
  const auto n_natural = static_cast<std::uint32_t>(std::max(2000.0, cal.pool_per_persoon * expected_persons));
  const auto n_legal =
      static_cast<std::uint32_t>(std::max(100.0, 3.0 * expected_regs * cal.rechtspersonen));
  std::vector<double> home_w(w.buurten.size());
  for (std::size_t b = 0; b < w.buurten.size(); ++b) {
    const auto& g = w.gemeenten[w.buurt_gemeente[b]];
    double rate = g.population > 0 ? g.crime_weight / g.population / national_rate : 1;
    home_w[b] = static_cast<double>(w.buurten[b]->population) * std::pow(std::max(rate, 0.05), 0.7);
  }
  const auto home_cum = Cumulative(home_w);
  const int first_birth_year = w.sim_from - 85;
  const int last_birth_year = opt.to - 12;
  const Date first_birth = Date::FromYmdUnchecked(first_birth_year, 1, 1);
  const std::int32_t birth_span = Date::FromYmdUnchecked(last_birth_year, 12, 31) - first_birth + 1;
  w.persons.resize(n_natural + n_legal);
  w.n_natural = n_natural;
  std::uint64_t bsn_counter = 0;
  const std::uint64_t bsn_offset = rng.Below(60000000);
  auto next_bsn = [&]() {
    while (true) {
      std::uint64_t j = bsn_counter++;
      std::uint64_t prefix = 10000000 + (j * 48271 + bsn_offset) % 60000000;
      bool ok = false;
      std::uint32_t bsn = BsnFromPrefix(prefix, &ok);
      if (ok) return bsn;
    }
  };
  // Natural persons in chunks with their own random stream (deterministic whatever the thread count), then
  // BSNs in person order.
  constexpr std::uint32_t kChunk = 1 << 16;
  const std::uint32_t n_chunks = (n_natural + kChunk - 1) / kChunk;
  std::vector<std::thread> pool;
  std::atomic<std::uint32_t> next_chunk{0};
  auto build = [&] {
    for (std::uint32_t ch = next_chunk++; ch < n_chunks; ch = next_chunk++) {
      Random r = Random(opt.seed).Derive(0x9000000ULL + ch);
      for (std::uint32_t i = ch * kChunk; i < std::min(n_natural, (ch + 1) * kChunk); ++i) {
        Person& p = w.persons[i];
        p.birth = first_birth + static_cast<std::int32_t>(r.Below(static_cast<std::uint64_t>(birth_span)));
        const Ymd b = p.birth.ToYmd();
        p.birth_year = static_cast<std::int16_t>(b.year);
        p.birth_day_of_year = static_cast<std::int16_t>(p.birth - Date::FromYmdUnchecked(b.year, 1, 1));
        p.sex = r.Bernoulli(cal.mannen) ? 'M' : 'V';
        p.propensity = static_cast<float>(std::exp(cal.propensiteit_sigma * r.Normal()));
        if (!r.Bernoulli(cal.niet_ingezetenen)) {
          p.bsn = 1;  // resident: numbered below
          p.buurt = static_cast<std::uint32_t>(DrawCumulative(r, home_cum));
        }
        p.surname = static_cast<std::uint16_t>(DrawCumulative(r, w.surname_cum));
        const auto& names = p.sex == 'M' ? w.male_names : w.female_names;
        const auto& cum = p.sex == 'M' ? w.male_cum : w.female_cum;
        double u = r.Uniform();
        int n_given = u < 0.45 ? 1 : (u < 0.8 ? 2 : 3);
        for (int k = 0; k < n_given; ++k) p.given[k] = names[DrawCumulative(r, cum)];
      }
    }
  };
  for (int t = 1; t < std::max(1, opt.threads); ++t) pool.emplace_back(build);
  build();
  for (auto& t : pool) t.join();
  for (std::uint32_t i = 0; i < n_natural; ++i) {
    if (w.persons[i].bsn != 0) w.persons[i].bsn = next_bsn();
  }
  for (std::uint32_t i = n_natural; i < n_natural + n_legal; ++i) {
    Person& p = w.persons[i];
    p.sex = 'R';
    // 7919 is prime and does not divide 89999999: i -> i * 7919 mod 89999999 is one-to-one.
    p.kvk = static_cast<std::uint32_t>(10000000 + (static_cast<std::uint64_t>(i - n_natural) * 7919) % 89999999);
    p.buurt = static_cast<std::uint32_t>(DrawCumulative(rng, home_cum));
    p.propensity = static_cast<float>(std::exp(0.8 * rng.Normal()));
    p.given[0] = static_cast<std::uint16_t>(rng.Below(1 << 15));  // name parts, see CompanyName()
  }
  return w;
}

}  // namespace das::synth
