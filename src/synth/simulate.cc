// One simulated year of the chain: crimes registered in the year and everything that follows from them.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "model.h"

namespace das::synth {
namespace {

Date YearStart(int y) { return Date::FromYmdUnchecked(y, 1, 1); }
int DaysInYear(int y) { return IsLeapYear(y) ? 366 : 365; }

int AgeAt(Date birth, Date d) {
  Ymd b = birth.ToYmd(), t = d.ToYmd();
  int age = t.year - b.year;
  if (t.month < b.month || (t.month == b.month && t.day < b.day)) --age;
  return age;
}

double AgeWeight(const Calibration& cal, int age) {
  const auto& x = cal.leeftijd_punten;
  const auto& y = cal.leeftijd_gewicht;
  if (age < x.front() || age > x.back()) return 0;
  for (std::size_t i = 1; i < x.size(); ++i) {
    if (age <= x[i]) {
      double t = (age - x[i - 1]) / (x[i] - x[i - 1]);
      return y[i - 1] + t * (y[i] - y[i - 1]);
    }
  }
  return 0;
}

std::int64_t StochasticRound(Random& rng, double v) {
  double f = std::floor(v);
  return static_cast<std::int64_t>(f) + (rng.Bernoulli(v - f) ? 1 : 0);
}

// Weighted sample of k distinct items without replacement (Efraimidis-Spirakis), returned sorted.
std::vector<std::uint32_t> WeightedSample(Random& rng, const std::vector<std::uint32_t>& items,
                                          const std::vector<double>& weights, std::size_t k) {
  std::vector<std::pair<double, std::uint32_t>> keys(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    double u = std::max(rng.Uniform(), 1e-300);
    keys[i] = {std::log(u) / weights[i], items[i]};  // larger is better
  }
  k = std::min(k, keys.size());
  std::nth_element(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(k), keys.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  std::vector<std::uint32_t> out;
  out.reserve(k);
  for (std::size_t i = 0; i < k; ++i) out.push_back(keys[i].second);
  std::sort(out.begin(), out.end());
  return out;
}

// Assigns `n` registrations to the selected persons: each at least once, the rest by propensity. A person's
// registrations come as one block (several offences found at once, a spree), and blocks are shuffled; the
// caller hands them out in date order, so a person's registrations of one year lie close together.
std::vector<std::uint32_t> Assign(Random& rng, const World& w, const std::vector<std::uint32_t>& selected,
                                  std::size_t n) {
  std::vector<std::uint32_t> out;
  if (selected.empty()) return out;
  std::vector<std::uint32_t> count(selected.size(), 0);
  for (std::size_t i = 0; i < std::min(n, selected.size()); ++i) count[i] = 1;
  if (n > selected.size()) {
    std::vector<double> wts(selected.size());
    for (std::size_t i = 0; i < selected.size(); ++i) wts[i] = w.persons[selected[i]].propensity;
    auto cum = Cumulative(wts);
    for (std::size_t k = selected.size(); k < n; ++k) ++count[DrawCumulative(rng, cum)];
  }
  std::vector<std::uint32_t> order(selected.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
  out.reserve(n);
  for (auto i : order) {
    for (std::uint32_t k = 0; k < count[i]; ++k) out.push_back(selected[i]);
  }
  return out;
}

std::uint8_t DrawMix(Random& rng, const Mix& mix) {
  double total = 0;
  for (double s : mix.shares) total += s;
  double u = rng.Uniform() * total;
  for (std::size_t i = 0; i < mix.shares.size(); ++i) {
    if (u < mix.shares[i]) return static_cast<std::uint8_t>(i);
    u -= mix.shares[i];
  }
  return static_cast<std::uint8_t>(mix.shares.size() - 1);
}

int MixIndex(const Mix& mix, const char* code) {
  for (std::size_t i = 0; i < mix.codes.size(); ++i) {
    if (mix.codes[i] == code) return static_cast<int>(i);
  }
  return -1;
}

char DrawVw(Random& rng, const std::array<double, 3>& p) {
  double u = rng.Uniform() * (p[0] + p[1] + p[2]);
  if (u < p[0]) return 'N';
  if (u < p[0] + p[1]) return 'J';
  return 'D';
}

class YearSim {
 public:
  YearSim(const World& w, int year)
      : w_(w), c_(*w.cal), rng_(Random(w.opt.seed).Derive(1000 + static_cast<std::uint64_t>(year))) {
    y_.year = year;
  }

  Year Run() {
    Crimes();
    Suspects();
    Persons();
    Police();
    OmNonPolice();
    OmDecisions();
    Courts();
    HaltOther();
    return std::move(y_);
  }

 private:
  int year() const { return y_.year; }
  const OffenceClass& Klasse(std::uint16_t k) const { return c_.klassen[k]; }
  std::uint8_t ArrOfBuurt(std::uint32_t b) const { return w_.gemeenten[w_.buurt_gemeente[b]].arr; }
  bool IsMinorAt(std::uint32_t person, Date d) const {
    const Person& p = w_.persons[person];
    if (p.sex == 'R') return false;
    int age = AgeAt(p.birth, d);
    return age >= 12 && age <= 17;
  }

  void Crimes() {
    const double scale = w_.opt.scale;
    const Date start = YearStart(year());
    const int days = DaysInYear(year());
    for (std::size_t k = 0; k < c_.klassen.size(); ++k) {
      const auto& kl = c_.klassen[k];
      std::int64_t n = StochasticRound(rng_, static_cast<double>(c_.CrimesIn(kl, year())) * scale);
      const double p_clear = std::min(0.98, kl.opheldering * w_.clearance_factor);
      for (std::int64_t i = 0; i < n; ++i) {
        Crime cr;
        cr.klasse = static_cast<std::uint16_t>(k);
        cr.reg = start + static_cast<std::int32_t>(rng_.Below(static_cast<std::uint64_t>(days)));
        const auto& g = w_.gemeenten[DrawCumulative(rng_, w_.gemeente_crime_cum)];
        cr.buurt = g.buurten[DrawCumulative(rng_, g.buurt_cum)];
        cr.incident = static_cast<std::uint8_t>(rng_.Below(kl.incidentcodes.size()));
        cr.aangifte = rng_.Bernoulli(kl.aangifte);
        cr.pleeg_unknown = rng_.Bernoulli(0.03);
        cr.location_unknown = rng_.Bernoulli(w_.p_no_location[k]);
        cr.pleeg = cr.reg + (-std::min(365, DrawDays(rng_, Delay{0.7, 1.6})));
        if (rng_.Bernoulli(p_clear)) cr.cleared = cr.reg + DrawDays(rng_, c_.dagen_tot_opheldering, 0, 1500);
        y_.crimes.push_back(cr);
      }
    }
    std::stable_sort(y_.crimes.begin(), y_.crimes.end(), [](const Crime& a, const Crime& b) { return a.reg < b.reg; });
    for (std::size_t i = 0; i < y_.crimes.size(); ++i) y_.crimes[i].seq = static_cast<std::uint32_t>(i + 1);
  }

  void Suspects() {
    // Co-offending: 1 + extra suspects, extra geometric so that the mean is verdachten_per_opgehelderd.
    const double extra_mean = std::max(0.0, c_.verdachten_per_opgehelderd - 1);
    const double cont = 0.3;
    const double q = std::min(1.0, extra_mean * (1 - cont));
    const double p_r = c_.rechtspersonen;
    const double p_minor = c_.minderjarigen;
    for (std::uint32_t i = 0; i < y_.crimes.size(); ++i) {
      const Crime& cr = y_.crimes[i];
      if (cr.cleared == kNever) continue;
      int n = 1;
      if (rng_.Bernoulli(q)) {
        ++n;
        while (rng_.Bernoulli(cont) && n < 8) ++n;
      }
      for (int j = 0; j < n; ++j) {
        Suspect s;
        s.crime = i;
        s.reg = cr.cleared + (j > 0 ? static_cast<std::int32_t>(rng_.Below(10)) : 0);
        double u = rng_.Uniform();
        s.kind = u < p_r ? 'R' : 'N';
        s.minor = s.kind == 'N' && u < p_r + p_minor;
        y_.suspects.push_back(s);
      }
    }
  }

  void Persons() {
    const int mid_day = Date::FromYmdUnchecked(year(), 7, 1) - YearStart(year());
    std::size_t n_minor = 0, n_adult = 0, n_r = 0;
    for (const auto& s : y_.suspects) {
      if (s.kind == 'R') ++n_r;
      else if (s.minor) ++n_minor;
      else ++n_adult;
    }
    std::vector<std::uint32_t> minors, adults;
    std::vector<double> wm, wa;
    const double girl_factor = (1 - c_.jongens) / c_.jongens * c_.mannen / (1 - c_.mannen);
    for (std::uint32_t i = 0; i < w_.n_natural; ++i) {
      const Person& p = w_.persons[i];
      int age = AgeOn(p, year(), mid_day);
      double aw = AgeWeight(c_, age);
      if (aw <= 0) continue;
      if (age <= 17) {
        minors.push_back(i);
        wm.push_back(aw * std::pow(p.propensity, c_.propensiteit_exponent_jeugd) * (p.sex == 'V' ? girl_factor : 1.0));
      } else {
        adults.push_back(i);
        wa.push_back(aw * p.propensity);
      }
    }
    const double ppr = c_.personen_per_registratie;
    auto sel_minor = WeightedSample(rng_, minors, wm, static_cast<std::size_t>(std::lround(n_minor * ppr)));
    adults_ = WeightedSample(rng_, adults, wa, static_cast<std::size_t>(std::lround(n_adult * ppr)));
    std::vector<std::uint32_t> legal(w_.persons.size() - w_.n_natural);
    std::iota(legal.begin(), legal.end(), w_.n_natural);
    std::vector<double> wl(legal.size());
    for (std::size_t i = 0; i < legal.size(); ++i) wl[i] = w_.persons[legal[i]].propensity;
    auto sel_legal = WeightedSample(rng_, legal, wl, static_cast<std::size_t>(std::lround(n_r * 0.85)));
    auto a_minor = Assign(rng_, w_, sel_minor, n_minor);
    auto a_adult = Assign(rng_, w_, adults_, n_adult);
    auto a_legal = Assign(rng_, w_, sel_legal, n_r);
    // Hand out in date order; a person never twice on one crime (swap with a later slot).
    std::vector<std::uint32_t> by_date(y_.suspects.size());
    for (std::uint32_t i = 0; i < by_date.size(); ++i) by_date[i] = i;
    std::stable_sort(by_date.begin(), by_date.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return y_.suspects[a].reg < y_.suspects[b].reg; });
    std::size_t im = 0, ia = 0, il = 0;
    std::vector<std::uint32_t> last_person_of_crime(y_.crimes.size(), kNone);
    for (std::uint32_t i : by_date) {
      Suspect& s = y_.suspects[i];
      std::vector<std::uint32_t>& slots = s.kind == 'R' ? a_legal : s.minor ? a_minor : a_adult;
      std::size_t& pos = s.kind == 'R' ? il : s.minor ? im : ia;
      if (pos >= slots.size()) {
        s.person = s.kind == 'R' ? w_.n_natural : 0;
        continue;
      }
      if (slots[pos] == last_person_of_crime[s.crime]) {
        for (std::size_t j = pos + 1; j < slots.size() && j < pos + 64; ++j) {
          if (slots[j] != slots[pos]) {
            std::swap(slots[j], slots[pos]);
            break;
          }
        }
      }
      s.person = slots[pos++];
      last_person_of_crime[s.crime] = s.person;
      // Minor as the offence date says (a person selected at mid-year can have turned 18 since).
      if (s.kind == 'N') s.minor = IsMinorAt(s.person, y_.crimes[s.crime].pleeg);
    }
    y_.n_chains = static_cast<std::uint32_t>(y_.suspects.size());
  }

  void Police() {
    std::size_t n_minor = 0, n_other = 0;
    for (const auto& s : y_.suspects) (s.minor ? n_minor : n_other)++;
    const double om_police = c_.om_instroom.At(year()) * w_.opt.scale * c_.om_aandeel_politie;
    const double minor_om = 1 - c_.halt_minderjarig - c_.geen_minderjarig;
    const double p_om =
        std::clamp((om_police - n_minor * minor_om) / std::max<double>(1, n_other), 0.0, 1.0 - c_.psb);
    for (std::uint32_t i = 0; i < y_.suspects.size(); ++i) {
      Suspect& s = y_.suspects[i];
      double u = rng_.Uniform();
      if (s.minor) {
        s.disposal = u < c_.halt_minderjarig ? Disposal::kHalt
                     : u < c_.halt_minderjarig + c_.geen_minderjarig ? Disposal::kGeen
                                                                      : Disposal::kOm;
      } else if (s.kind == 'R') {
        s.disposal = u < p_om ? Disposal::kOm : Disposal::kGeen;
      } else {
        s.disposal = u < p_om ? Disposal::kOm : u < p_om + c_.psb ? Disposal::kPsb : Disposal::kGeen;
      }
      s.disposal_date = s.reg + DrawDays(rng_, c_.dagen_tot_afdoening, 0, 400);
      const Crime& cr = y_.crimes[s.crime];
      switch (s.disposal) {
        case Disposal::kOm: {
          OmCase om;
          om.suspect = i;
          om.person = s.person;
          om.chain = i;
          om.inflow = s.disposal_date;
          om.klasse = cr.klasse;
          om.arr = ArrOfBuurt(cr.buurt);
          om.minor = s.minor;
          y_.om.push_back(om);
          break;
        }
        case Disposal::kHalt: {
          HaltCase h;
          h.person = s.person;
          h.suspect = i;
          h.chain = i;
          h.date = s.disposal_date;
          h.klasse = cr.klasse;
          FinishHalt(h);
          y_.halt.push_back(h);
          break;
        }
        case Disposal::kPsb: {
          Cjib cj;
          cj.soort = CjibSoort::kPsb;
          cj.suspect = i;
          cj.person = s.person;
          cj.chain = i;
          cj.bedrag = 100 * static_cast<std::int64_t>(DrawDays(rng_, Delay{200, 0.5}, 50, 2000));
          cj.reg = s.disposal_date + DrawDays(rng_, c_.cjib_dagen_tot_registratie, 1, 120);
          FinishCjib(cj, c_.psb_betaald, 0.0);
          y_.cjib.push_back(cj);
          break;
        }
        case Disposal::kGeen:
          break;
      }
    }
  }

  void FinishHalt(HaltCase& h) {
    h.uren = std::clamp(DrawDays(rng_, Delay{8, 0.45}), 2, 20);
    h.positief = rng_.Bernoulli(c_.halt_positief);
    h.afloop_date = h.date + DrawDays(rng_, Delay{60, 0.4}, 14, 300);
  }

  void FinishCjib(Cjib& cj, double p_paid, double p_vvh) {
    double u = rng_.Uniform();
    if (u < p_paid) {
      cj.status = CjibStatus::kBetaald;
      cj.geind = cj.bedrag;
      cj.status_date = cj.reg + DrawDays(rng_, c_.cjib_dagen_tot_betaling, 7, 720);
    } else if (u < p_paid + p_vvh) {
      cj.status = CjibStatus::kVvh;
      cj.status_date = cj.reg + 180 + DrawDays(rng_, Delay{60, 0.6}, 0, 500);
    } else {
      double v = rng_.Uniform();
      if (v < 0.4) {
        cj.status = CjibStatus::kDeels;
        cj.geind = cj.bedrag * static_cast<std::int64_t>(20 + rng_.Below(60)) / 100;
        cj.status_date = cj.reg + DrawDays(rng_, c_.cjib_dagen_tot_betaling, 7, 720);
      } else if (v < 0.7) {
        cj.status = CjibStatus::kOpen;
        cj.status_date = kNever;
      } else {
        cj.status = CjibStatus::kOninbaar;
        cj.status_date = cj.reg + 365 + DrawDays(rng_, Delay{120, 0.5}, 0, 700);
      }
    }
    if (cj.status == CjibStatus::kVvh) {
      Detention d;
      d.person = cj.person;
      d.om = cj.om;
      d.chain = cj.chain;
      d.titel = Titel::kVvh;
      d.inrichting = static_cast<std::uint8_t>(rng_.Below(kCourts));
      d.in = cj.status_date + DrawDays(rng_, Delay{30, 0.6}, 1, 365);
      d.out = d.in + DrawDays(rng_, c_.dagen_vvh, 1, 180);
      y_.dji.push_back(d);
    }
  }

  void OmNonPolice() {
    const double total = c_.om_instroom.At(year()) * w_.opt.scale * (1 - c_.om_aandeel_politie);
    const std::int64_t n = StochasticRound(rng_, total);
    const double p_kmar = c_.om_aandeel_kmar / std::max(1e-9, 1 - c_.om_aandeel_politie);
    std::vector<std::uint16_t> kmar_klassen, bod_klassen;
    for (std::size_t k = 0; k < c_.klassen.size(); ++k) {
      const auto& s = c_.klassen[k].soort;
      if (s == "3.1.1" || s == "3.1.2" || s == "3.7.2" || s == "3.1.3") kmar_klassen.push_back(static_cast<std::uint16_t>(k));
      if (c_.klassen[k].groep == "economisch" || s == "3.9.1" || s == "3.9.3") bod_klassen.push_back(static_cast<std::uint16_t>(k));
    }
    if (kmar_klassen.empty()) kmar_klassen.push_back(0);
    if (bod_klassen.empty()) bod_klassen.push_back(0);
    const Date start = YearStart(year());
    const std::uint32_t n_legal = static_cast<std::uint32_t>(w_.persons.size() - w_.n_natural);
    for (std::int64_t i = 0; i < n; ++i) {
      OmCase om;
      om.aanbrenger = rng_.Bernoulli(p_kmar) ? 1 : 2;
      const auto& kl = om.aanbrenger == 1 ? kmar_klassen : bod_klassen;
      om.klasse = kl[rng_.Below(kl.size())];
      if (om.aanbrenger == 2 && rng_.Bernoulli(0.3)) {
        om.person = w_.n_natural + static_cast<std::uint32_t>(rng_.Below(n_legal));
      } else {
        om.person = adults_.empty() ? 0 : adults_[rng_.Below(adults_.size())];
      }
      om.inflow = start + static_cast<std::int32_t>(rng_.Below(static_cast<std::uint64_t>(DaysInYear(year()))));
      om.arr = w_.gemeenten[DrawCumulative(rng_, w_.gemeente_crime_cum)].arr;
      om.chain = y_.n_chains++;
      om.minor = IsMinorAt(om.person, om.inflow);
      y_.om.push_back(om);
    }
  }

  void OmDecisions() {
    const int i_dagv = MixIndex(c_.beslissing, "DAGV");
    const int i_sbs = MixIndex(c_.beslissing, "SBS");
    const int i_trns = MixIndex(c_.beslissing, "TRNS");
    for (std::uint32_t i = 0; i < y_.om.size(); ++i) {
      OmCase& om = y_.om[i];
      om.zsm = om.aanbrenger == 0 && rng_.Bernoulli(c_.zsm / c_.om_aandeel_politie);
      if (rng_.Bernoulli(c_.onbeslist)) {
        om.decision = kNever;
      } else {
        om.decision_code = DrawMix(rng_, c_.beslissing);
        om.decision = om.inflow + DrawDays(rng_, om.zsm ? c_.dagen_tot_beslissing_zsm : c_.dagen_tot_beslissing, 0, 2000);
      }
      if (om.minor) Rvdk(om, i);
      if (om.decision == kNever) continue;
      const int code = om.decision_code;
      if (code == i_sbs) {
        om.sbs_taak = w_.persons[om.person].sex != 'R' && rng_.Bernoulli(c_.sbs_taakstraf);
        if (om.sbs_taak) {
          Probation p;
          p.person = om.person;
          p.om = i;
          p.chain = om.chain;
          p.uren = std::clamp(DrawDays(rng_, Delay{40, 0.5}), 10, 180);
          p.start = om.decision + DrawDays(rng_, c_.rn_dagen_tot_start, 7, 365);
          FinishWerkstraf(p);
          y_.rn.push_back(p);
          if (om.minor) AddRvdk(om, i, 2, p.start + (-7));
        } else {
          Cjib cj;
          cj.soort = CjibSoort::kSbs;
          cj.om = i;
          cj.person = om.person;
          cj.chain = om.chain;
          cj.bedrag = 100 * static_cast<std::int64_t>(DrawDays(rng_, Delay{350, 0.6}, 50, 10000));
          cj.reg = om.decision + DrawDays(rng_, c_.cjib_dagen_tot_registratie, 1, 120);
          FinishCjib(cj, c_.sbs_betaald, c_.vervangende_hechtenis);
          y_.cjib.push_back(cj);
        }
      } else if (code == i_trns) {
        Cjib cj;
        cj.soort = CjibSoort::kTrns;
        cj.om = i;
        cj.person = om.person;
        cj.chain = om.chain;
        cj.bedrag = 100 * static_cast<std::int64_t>(DrawDays(rng_, Delay{500, 0.7}, 100, 100000));
        cj.reg = om.decision + DrawDays(rng_, c_.cjib_dagen_tot_registratie, 1, 120);
        FinishCjib(cj, 0.85, 0.0);
        y_.cjib.push_back(cj);
      } else if (code == i_dagv && !rng_.Bernoulli(c_.niet_aangebracht)) {
        dagv_.push_back(i);
      }
    }
  }

  void FinishWerkstraf(Probation& p) {
    p.werkstraf = true;
    p.completed = rng_.Bernoulli(c_.werkstraf_voltooid);
    int duration = 30 + p.uren + DrawDays(rng_, Delay{30, 0.6}, 0, 365);
    if (p.completed) {
      p.end = p.start + duration;
      p.uren_done = p.uren;
    } else {
      p.end = p.start + duration * 6 / 10;
      p.uren_done = static_cast<int>(rng_.Below(static_cast<std::uint64_t>(p.uren)));
    }
  }

  void AddRvdk(const OmCase& om, std::uint32_t om_index, std::uint8_t soort, Date start) {
    RvdkCase r;
    r.person = om.person;
    r.om = om_index;
    r.chain = om.chain;
    r.soort = soort;
    r.start = start;
    if (soort == 0) {
      r.end = start + static_cast<std::int32_t>(1 + rng_.Below(3));
      r.advies = 3;
    } else {
      r.end = start + DrawDays(rng_, c_.rvdk_dagen_onderzoek, 5, 400);
      double u = rng_.Uniform();
      r.advies = soort == 2 ? 0 : u < 0.5 ? 0 : u < 0.85 ? 3 : u < 0.98 ? 1 : 2;
    }
    y_.rvdk.push_back(r);
  }

  void Rvdk(const OmCase& om, std::uint32_t i) {
    if (rng_.Bernoulli(c_.vroeghulp)) AddRvdk(om, i, 0, om.inflow + (-static_cast<std::int32_t>(rng_.Below(3))));
    if (rng_.Bernoulli(c_.basisonderzoek)) AddRvdk(om, i, 1, om.inflow + static_cast<std::int32_t>(3 + rng_.Below(14)));
  }

  void Courts() {
    const int i_pr = MixIndex(c_.rechter, "PR"), i_mk = MixIndex(c_.rechter, "MK"),
              i_kr = MixIndex(c_.rechter, "KR"), i_epr = MixIndex(c_.rechter, "EPR");
    const int i_schld = MixIndex(c_.uitspraak, "SCHLD");
    // Judge: juveniles to the kinderrechter; serious offences mostly to the meervoudige kamer, economic ones
    // to the economische politierechter; the other adult cases fill the remaining shares.
    std::size_t n = dagv_.size(), n_zwaar = 0, n_econ = 0, n_adult = 0;
    for (auto i : dagv_) {
      const OmCase& om = y_.om[i];
      if (om.minor) continue;
      ++n_adult;
      if (Klasse(om.klasse).groep == "zwaar") ++n_zwaar;
      if (Klasse(om.klasse).groep == "economisch") ++n_econ;
    }
    const double p_mk_zwaar = 0.6;
    const double p_epr_econ = std::min(0.5, c_.rechter.Share("EPR") * n / std::max<double>(1, n_econ));
    const double n_rest = std::max<double>(1, n_adult - n_zwaar - n_econ);
    const double p_mk = std::clamp((c_.rechter.Share("MK") * n - p_mk_zwaar * n_zwaar) / n_rest, 0.0, 1.0);
    const double p_epr = std::clamp((c_.rechter.Share("EPR") * n - p_epr_econ * n_econ) / n_rest, 0.0, 1.0);
    for (auto i : dagv_) {
      OmCase& om = y_.om[i];
      CourtCase cc;
      cc.om = i;
      const auto& groep = Klasse(om.klasse).groep;
      int judge = i_pr;
      if (om.minor) judge = i_kr;
      else if (groep == "zwaar") judge = rng_.Bernoulli(p_mk_zwaar) ? i_mk : i_pr;
      else if (groep == "economisch") judge = rng_.Bernoulli(p_epr_econ) ? i_epr : i_pr;
      else {
        double u = rng_.Uniform();
        judge = u < p_mk ? i_mk : u < p_mk + p_epr ? i_epr : i_pr;
      }
      cc.rechter = static_cast<std::uint8_t>(std::max(0, judge));
      cc.inschrijving = om.decision + DrawDays(rng_, c_.dagen_tot_inschrijving, 1, 365);
      const Delay& d = judge == i_mk ? c_.dagen_tot_uitspraak_mk
                       : judge == i_kr ? c_.dagen_tot_uitspraak_kr
                       : judge == i_epr ? c_.dagen_tot_uitspraak_epr
                                        : c_.dagen_tot_uitspraak_pr;
      cc.uitspraak = cc.inschrijving + DrawDays(rng_, d, 1, 1500);
      cc.uitspraak_code = DrawMix(rng_, c_.uitspraak);
      cc.verstek = rng_.Bernoulli(c_.verstek);
      if (rng_.Bernoulli(c_.hoger_beroep)) cc.appeal = cc.uitspraak + static_cast<std::int32_t>(1 + rng_.Below(14));
      om.court = static_cast<std::uint32_t>(y_.courts.size());
      y_.courts.push_back(cc);
    }
    // Sanctions. The combination remainder (only other sanctions) goes to traffic cases (driving ban).
    std::size_t n_schld = 0, n_verkeer = 0, n_prolific = 0;
    for (const auto& cc : y_.courts) {
      if (cc.uitspraak_code != i_schld) continue;
      ++n_schld;
      const OmCase& om = y_.om[cc.om];
      if (Klasse(om.klasse).groep == "verkeer") ++n_verkeer;
      if (Prolific(om)) ++n_prolific;
    }
    // ISD only for prolific adults, at a rate that gives cal.isd of all SCHLD judgments.
    const double p_isd = n_prolific > 0 ? std::min(1.0, c_.isd * n_schld / n_prolific) : 0;
    double combo_total = 0;
    for (double s : c_.combinaties.shares) combo_total += s;
    const double r = std::clamp(1 - combo_total, 0.0, 1.0);
    const double v = n_schld > 0 ? static_cast<double>(n_verkeer) / n_schld : 0;
    const double r_v = v > 0 ? std::min(1.0, r / v) : 0;
    const double r_nv = v < 1 ? std::max(0.0, (r - v * r_v) / (1 - v)) : 0;
    // Combinations of principal sanctions (bits: 1 custody, 2 community service, 4 fine), drawn per case and
    // then handed out so that custody goes preferentially to persons with a higher propensity (a record):
    // within traffic and other cases separately, the drawn combinations with custody go to the cases with the
    // highest noisy propensity. The mix of combinations is unchanged.
    std::vector<std::uint8_t> combo_of(y_.courts.size(), 0);
    for (int group = 0; group < 2; ++group) {
      std::vector<std::pair<double, std::uint32_t>> cases;
      std::vector<std::uint8_t> with_v, without_v;
      for (std::uint32_t ci = 0; ci < y_.courts.size(); ++ci) {
        const CourtCase& cc = y_.courts[ci];
        if (cc.uitspraak_code != i_schld) continue;
        const OmCase& om = y_.om[cc.om];
        if ((Klasse(om.klasse).groep == "verkeer") != (group == 1)) continue;
        std::uint8_t combo = 0;
        if (!rng_.Bernoulli(group == 1 ? r_v : r_nv)) {
          const std::string& code = c_.combinaties.codes[DrawMix(rng_, c_.combinaties)];
          combo = static_cast<std::uint8_t>((code.find('V') != std::string::npos ? 1 : 0) |
                                            (code.find('T') != std::string::npos ? 2 : 0) |
                                            (code.find('B') != std::string::npos ? 4 : 0));
        }
        (combo & 1 ? with_v : without_v).push_back(combo);
        const double score = std::log(w_.persons[om.person].propensity) + c_.custody_noise * rng_.Normal();
        cases.emplace_back(-score, ci);
      }
      std::sort(cases.begin(), cases.end());
      std::size_t k = 0;
      for (auto combo : with_v) combo_of[cases[k++].second] = combo;
      for (auto combo : without_v) combo_of[cases[k++].second] = combo;
    }
    for (std::uint32_t ci = 0; ci < y_.courts.size(); ++ci) {
      CourtCase& cc = y_.courts[ci];
      const OmCase& om = y_.om[cc.om];
      const bool verkeer = Klasse(om.klasse).groep == "verkeer";
      const bool mk = cc.rechter == i_mk;
      // Remand before judgment.
      std::uint32_t remand = kNone;
      double p_vh = mk ? c_.vh_mk : (cc.rechter == i_epr ? 0.0 : c_.vh_pr);
      if (w_.persons[om.person].sex != 'R' && rng_.Bernoulli(p_vh)) {
        Detention d;
        d.person = om.person;
        d.om = cc.om;
        d.chain = om.chain;
        d.titel = om.minor ? Titel::kJji : Titel::kVh;
        d.inrichting = om.arr;
        d.in = om.inflow + static_cast<std::int32_t>(rng_.Below(3));
        d.out = std::min(cc.uitspraak, d.in + DrawDays(rng_, c_.dagen_vh, 3, 1000));
        d.reden = d.out == cc.uitspraak ? 0 : (rng_.Bernoulli(0.4) ? 2 : 0);
        remand = static_cast<std::uint32_t>(y_.dji.size());
        y_.dji.push_back(d);
      }
      if (cc.uitspraak_code != i_schld) continue;
      cc.first_sanction = static_cast<std::uint32_t>(y_.sanctions.size());
      const std::uint8_t combo = combo_of[ci];
      const bool V = combo & 1, T = combo & 2, B = combo & 4;
      const bool nothing = combo == 0;
      if (V) {
        Sanction s{ci, om.minor ? SanctionType::kJd : SanctionType::kGev, DrawVw(rng_, c_.vw_vrijheidsstraf), 0};
        s.amount = DrawDays(rng_, mk ? c_.dagen_gs_mk : c_.dagen_gs_pr, 1, 7300);
        if (om.minor) s.amount = std::min<std::int64_t>(s.amount, 720);
        AddSanction(s);
        if (s.vw != 'J') Custody(cc, om, s, remand);
        if (s.vw != 'N' && rng_.Bernoulli(c_.toezicht)) Supervision(cc, om);
      }
      if (T) {
        Sanction s{ci, SanctionType::kTaak, DrawVw(rng_, c_.vw_taakstraf), 0};
        s.amount = std::clamp(DrawDays(rng_, c_.uren_taakstraf), 10, 240);
        AddSanction(s);
        if (s.vw != 'J') {
          Probation p;
          p.person = om.person;
          p.om = cc.om;
          p.chain = om.chain;
          p.uren = static_cast<int>(s.vw == 'D' ? s.amount / 2 : s.amount);
          p.start = cc.uitspraak + DrawDays(rng_, c_.rn_dagen_tot_start, 14, 365);
          FinishWerkstraf(p);
          y_.rn.push_back(p);
          if (om.minor) AddRvdk(om, cc.om, 2, p.start + (-7));
        }
      }
      if (B) {
        Sanction s{ci, SanctionType::kBoete, DrawVw(rng_, c_.vw_boete), 0};
        s.amount = 100 * static_cast<std::int64_t>(DrawDays(rng_, Delay{400, 0.8}, 50, 100000));
        AddSanction(s);
        if (s.vw != 'J') {
          Cjib cj;
          cj.soort = CjibSoort::kBoete;
          cj.om = cc.om;
          cj.person = om.person;
          cj.chain = om.chain;
          cj.bedrag = s.vw == 'D' ? s.amount / 2 : s.amount;
          cj.reg = cc.uitspraak + 14 + DrawDays(rng_, c_.cjib_dagen_tot_registratie, 1, 120);
          FinishCjib(cj, c_.boete_betaald, c_.vervangende_hechtenis);
          y_.cjib.push_back(cj);
        }
      }
      if (verkeer && (nothing || rng_.Bernoulli(c_.ozr_verkeer))) {
        AddSanction(Sanction{ci, SanctionType::kOzr, 'N', static_cast<std::int64_t>(3 + rng_.Below(22))});
      }
      const Person& p = w_.persons[om.person];
      if (Prolific(om) && rng_.Bernoulli(p_isd)) {
        AddSanction(Sanction{ci, SanctionType::kIsd, 'N', 24});
        Detention d{om.person, cc.om, om.chain, Titel::kIsd, om.arr, cc.uitspraak,
                    cc.uitspraak + static_cast<std::int32_t>(c_.isd_dagen), 0, 0};
        y_.dji.push_back(d);
      }
      if (!om.minor && p.sex != 'R' && mk && rng_.Bernoulli(c_.tbs / std::max(0.01, c_.rechter.Share("MK")))) {
        AddSanction(Sanction{ci, SanctionType::kTbs, 'N', 0});
        Detention d{om.person, cc.om, om.chain, Titel::kTbs, om.arr, cc.uitspraak + 60,
                    cc.uitspraak + 60 + DrawDays(rng_, Delay{2200, 0.4}, 365, 7000), 0, 0};
        y_.dji.push_back(d);
      }
      if (om.minor && rng_.Bernoulli(c_.pij)) {
        AddSanction(Sanction{ci, SanctionType::kPij, 'N', 36});
        Detention d{om.person, cc.om, om.chain, Titel::kJji, om.arr, cc.uitspraak,
                    cc.uitspraak + 3 * 365, 0, 0};
        y_.dji.push_back(d);
      }
      cc.n_sanctions = static_cast<std::uint32_t>(y_.sanctions.size()) - cc.first_sanction;
    }
  }

  void AddSanction(const Sanction& s) { y_.sanctions.push_back(s); }
  bool Prolific(const OmCase& om) const {
    const Person& p = w_.persons[om.person];
    return !om.minor && p.sex != 'R' && p.propensity > 2.0f;
  }

  void Custody(const CourtCase& cc, const OmCase& om, const Sanction& s, std::uint32_t remand) {
    std::int64_t days = s.vw == 'D' ? std::max<std::int64_t>(1, s.amount / 2) : s.amount;
    Detention d;
    d.person = om.person;
    d.om = cc.om;
    d.chain = om.chain;
    d.titel = om.minor ? Titel::kJji : Titel::kGs;
    d.inrichting = om.arr;
    if (remand != kNone && y_.dji[remand].out == cc.uitspraak) {
      Detention& vh = y_.dji[remand];
      vh.reden = 3;  // OVERGANG
      days = std::max<std::int64_t>(1, days - (vh.out - vh.in));
      d.in = cc.uitspraak;
    } else {
      d.in = cc.uitspraak + DrawDays(rng_, Delay{60, 0.8}, 14, 730);
    }
    if (days > 365 && rng_.Bernoulli(c_.vi)) {
      d.out = d.in + static_cast<std::int32_t>(days * 2 / 3);
      d.reden = 1;
    } else {
      d.out = d.in + static_cast<std::int32_t>(days);
      d.reden = 0;
    }
    y_.dji.push_back(d);
  }

  void Supervision(const CourtCase& cc, const OmCase& om) {
    Probation p;
    p.person = om.person;
    p.om = cc.om;
    p.chain = om.chain;
    p.werkstraf = false;
    p.start = cc.uitspraak + DrawDays(rng_, Delay{14, 0.5}, 1, 200);
    p.completed = rng_.Bernoulli(0.8);
    int duration = DrawDays(rng_, c_.dagen_toezicht, 60, 1500);
    p.end = p.start + (p.completed ? duration : duration / 2);
    y_.rn.push_back(p);
  }

  void HaltOther() {
    // Referrals by BOAs and school attendance officers top the police referrals up to the yearly total.
    const double target = c_.halt_verwijzingen.At(year()) * w_.opt.scale;
    const std::int64_t n = StochasticRound(rng_, std::max(0.0, target - static_cast<double>(y_.halt.size())));
    static const char* kFeiten[] = {"2.6.9", "2.2.1", "2.5.2", "3.6.4"};
    std::vector<std::uint16_t> feiten;
    for (const char* f : kFeiten) {
      for (std::size_t k = 0; k < c_.klassen.size(); ++k) {
        if (c_.klassen[k].soort == f) feiten.push_back(static_cast<std::uint16_t>(k));
      }
    }
    if (feiten.empty()) feiten.push_back(0);
    const Date start = YearStart(year());
    const double accept_boy = std::min(1.0, c_.halt_jongens_overig / (1 - c_.halt_jongens_overig) *
                                                (1 - c_.mannen) / c_.mannen);
    for (std::int64_t i = 0; i < n; ++i) {
      HaltCase h;
      h.date = start + static_cast<std::int32_t>(rng_.Below(static_cast<std::uint64_t>(DaysInYear(year()))));
      for (int tries = 0; tries < 10000; ++tries) {
        auto cand = static_cast<std::uint32_t>(rng_.Below(w_.n_natural));
        const Person& p = w_.persons[cand];
        if (!IsMinorAt(cand, h.date)) continue;
        if (p.sex == 'M' && !rng_.Bernoulli(accept_boy)) continue;
        h.person = cand;
        break;
      }
      h.klasse = feiten[rng_.Below(feiten.size())];
      h.chain = y_.n_chains++;
      FinishHalt(h);
      y_.halt.push_back(h);
    }
  }

  const World& w_;
  const Calibration& c_;
  Random rng_;
  Year y_;
  std::vector<std::uint32_t> adults_;  // adults selected as suspects this year
  std::vector<std::uint32_t> dagv_;    // OM cases summoned to court
};

}  // namespace

Year SimulateYear(const World& world, int year) { return YearSim(world, year).Run(); }

}  // namespace das::synth
