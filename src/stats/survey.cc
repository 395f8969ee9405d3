// The Veiligheidsmonitor: weighted victimisation, reporting and feeling-unsafe percentages with 95% intervals
// (weighted proportion, Kish effective sample size, Wilson score interval).
#include <cmath>
#include <limits>
#include <map>

#include "das/geo/geography.h"
#include "das/store/store.h"
#include "dimensions.h"
#include "formula.h"

namespace das::stats {
namespace {

constexpr double kZ = 1.959963984540054;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Sums {
  double sw = 0, sw2 = 0, swy = 0;
  std::int64_t n = 0;
};

SurveyEstimate FromSums(const Sums& s) {
  SurveyEstimate e;
  e.respondents = s.n;
  if (s.n == 0 || s.sw <= 0) {
    e.percent = e.lower = e.upper = kNaN;
    return e;
  }
  const double p = s.swy / s.sw;
  const double n = s.sw * s.sw / s.sw2;
  const double z2 = kZ * kZ;
  const double denom = 1 + z2 / n;
  const double center = (p + z2 / (2 * n)) / denom;
  const double half = kZ * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  e.n_eff = n;
  e.percent = 100 * p;
  e.lower = 100 * std::max(0.0, center - half);
  e.upper = 100 * std::min(1.0, center + half);
  return e;
}

using figures_internal::Respondent;

const char* const kBase[] = {"victim_property", "victim_vandalism", "victim_violence", "victim_online_fraud",
                             "victim_hacking", "victim_online_threat", "reported_to_police", "feels_unsafe"};

// Bit of an indicator (derived ones combine base bits): returns a mask, "any of".
std::uint32_t Mask(const std::string& name) {
  if (name == "victim_any") return 0x3f;
  if (name == "victim_traditional") return 0x07;
  if (name == "victim_online") return 0x38;
  for (std::uint32_t b = 0; b < std::size(kBase); ++b) {
    if (name == kBase[b]) return 1u << b;
  }
  return 0;
}

bool Truthy(const Column& c, std::size_t i) {
  if (c.IsNull(i)) return false;
  switch (c.type()) {
    case ColumnType::kBool:
    case ColumnType::kInt64: return c.GetInt(i) != 0;
    case ColumnType::kDouble: return c.GetDouble(i) != 0;
    case ColumnType::kString: return c.GetString(i) == "1" || c.GetString(i) == "true" || c.GetString(i) == "J";
    case ColumnType::kDate: return false;
  }
  return false;
}

}  // namespace

namespace figures_internal {

Result<std::vector<Respondent>> LoadRespondents(store::Store* store, const geo::Geography& geography,
                                                const BuiltDimension& regio, int from_year, int to_year) {
  DAS_ASSIGN_OR_RETURN(bool has, store->HasTable("h_cbs_veiligheidsmonitor"));
  if (!has) return Status::NotFound("stats: no survey delivered (h_cbs_veiligheidsmonitor is absent)");
  DAS_ASSIGN_OR_RETURN(auto deliveries, store->ListDeliveries("cbs_veiligheidsmonitor"));
  std::map<std::int64_t, int> year_of;
  for (const store::DeliveryInfo& d : deliveries) {
    if (auto p = Period::Parse(d.period); p.ok()) year_of[d.id] = p->year();
  }
  // Only the columns used: the three required ones, then each indicator the table has.
  auto read = store->GetTable("h_cbs_veiligheidsmonitor", {"_delivery", "gemeente_2024", "weight"});
  if (!read.ok()) {
    if (read.status().code() != StatusCode::kNotFound) return read.status();
    return Status::FailedPrecondition("stats: h_cbs_veiligheidsmonitor lacks _delivery, gemeente_2024 or weight");
  }
  Table t = std::move(read).value();
  if (t.num_columns() != 3) {
    return Status::FailedPrecondition("stats: h_cbs_veiligheidsmonitor lacks _delivery, gemeente_2024 or weight");
  }
  const int dc = 0, gc = 1, wc = 2;
  std::vector<int> bit_col;
  for (const char* b : kBase) {
    auto c = store->GetTable("h_cbs_veiligheidsmonitor", {b});
    if (!c.ok() && c.status().code() != StatusCode::kNotFound) return c.status();
    if (!c.ok() || c->num_columns() != 1 || c->num_rows() != t.num_rows()) {
      bit_col.push_back(-1);
      continue;
    }
    bit_col.push_back(static_cast<int>(t.num_columns()));
    t.AddColumn(std::move(c->column(0)));
  }
  const Column& del = t.column(static_cast<std::size_t>(dc));
  const Column& gem = t.column(static_cast<std::size_t>(gc));
  const Column& w = t.column(static_cast<std::size_t>(wc));
  const bool by_province = regio.column != "gemeente_2024";
  std::vector<Respondent> out;
  for (std::size_t i = 0; i < t.num_rows(); ++i) {
    auto it = year_of.find(del.GetInt(i));
    if (it == year_of.end() || it->second < from_year || it->second > to_year || w.IsNull(i)) continue;
    Respondent r;
    r.year = it->second - from_year;
    r.weight = w.type() == ColumnType::kDouble ? w.GetDouble(i) : static_cast<double>(w.GetInt(i));
    if (!(r.weight > 0)) continue;
    const std::string_view g = gem.IsNull(i) ? std::string_view() : gem.GetString(i);
    if (by_province) {
      const geo::GemeenteInfo* info = gem.IsNull(i) ? nullptr : geography.FindGemeente(g);
      r.leaf = info == nullptr ? regio.unknown : regio.Map(info->province);
    } else {
      r.leaf = regio.Map(g, gem.IsNull(i));
    }
    for (std::size_t b = 0; b < bit_col.size(); ++b) {
      if (bit_col[b] >= 0 && Truthy(t.column(static_cast<std::size_t>(bit_col[b])), i)) r.bits |= 1u << b;
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace figures_internal

namespace {

// Per year x regio code sums of `rate` among respondents with `among`.
std::vector<Sums> Accumulate(const std::vector<Respondent>& rs, const BuiltDimension& regio, int years,
                             std::uint32_t rate, std::uint32_t among) {
  const std::size_t R = regio.spec.codes.size();
  std::vector<Sums> s(static_cast<std::size_t>(years) * R);
  for (const Respondent& r : rs) {
    if (among != 0 && (r.bits & among) == 0) continue;
    const double y = (r.bits & rate) != 0 ? 1 : 0;
    for (int c = r.leaf; c >= 0; c = regio.parent[static_cast<std::size_t>(c)]) {
      Sums& x = s[static_cast<std::size_t>(r.year) * R + static_cast<std::size_t>(c)];
      x.sw += r.weight;
      x.sw2 += r.weight * r.weight;
      x.swy += r.weight * y;
      ++x.n;
    }
  }
  return s;
}

}  // namespace

SurveyEstimate EstimateProportion(const std::vector<double>& weights, const std::vector<bool>& outcome) {
  Sums s;
  for (std::size_t i = 0; i < weights.size() && i < outcome.size(); ++i) {
    s.sw += weights[i];
    s.sw2 += weights[i] * weights[i];
    s.swy += outcome[i] ? weights[i] : 0;
    ++s.n;
  }
  return FromSums(s);
}

namespace figures_internal {

Result<SurveyCells> SurveyRate(store::Store* store, const geo::Geography& geography, const BuiltDimension& regio,
                               int from_year, int to_year, const std::string& rate, const std::string& among) {
  DAS_ASSIGN_OR_RETURN(auto rs, LoadRespondents(store, geography, regio, from_year, to_year));
  return SurveyRate(rs, regio, from_year, to_year, rate, among);
}

Result<SurveyCells> SurveyRate(const std::vector<Respondent>& rs, const BuiltDimension& regio, int from_year,
                               int to_year, const std::string& rate, const std::string& among) {
  const std::uint32_t rm = Mask(rate), am = among.empty() ? 0 : Mask(among);
  if (rm == 0) return Status::InvalidArgument("stats: unknown survey indicator '" + rate + "'");
  const auto sums = Accumulate(rs, regio, to_year - from_year + 1, rm, am);
  SurveyCells out;
  for (const Sums& s : sums) {
    const SurveyEstimate e = FromSums(s);
    out.percent.push_back(e.percent);
    out.lower.push_back(e.lower);
    out.upper.push_back(e.upper);
    out.respondents.push_back(e.respondents);
  }
  return out;
}

}  // namespace figures_internal

Result<StatTable> ComputeSurvey(store::Store* store, const FiguresOptions& options, const Env& env) {
  (void)env;
  namespace fi = figures_internal;
  if (options.geography == nullptr) return Status::InvalidArgument("stats: the survey needs a geography");
  DAS_ASSIGN_OR_RETURN(Date horizon, fi::Horizon(store, options));
  DAS_ASSIGN_OR_RETURN(auto years, fi::Years(store, options, horizon));
  DAS_ASSIGN_OR_RETURN(PeriodDimension perioden,
                       BuildPerioden(years.first, years.second, PeriodLevel::kYear, false, horizon));
  const BuiltDimension regio = BuildRegio(*options.geography, RegioLevel::kProvincie);
  DAS_ASSIGN_OR_RETURN(auto rs, fi::LoadRespondents(store, *options.geography, regio, years.first, years.second));
  const int Y = years.second - years.first + 1;

  StatTable t;
  t.id = "DAS_Slachtofferschap";
  t.title_nl = "Slachtofferschap, aangifte en onveiligheidsgevoelens (Veiligheidsmonitor)";
  t.title_en = "Victimisation, reporting and feeling unsafe (Safety Monitor survey)";
  t.description_nl = "Gewogen percentages van respondenten (15 jaar of ouder) met een 95%-betrouwbaarheidsinterval "
                     "(Wilson-interval met de effectieve steekproefomvang van Kish).";
  t.description_en = "Weighted percentages of respondents (aged 15+) with a 95% confidence interval (Wilson interval "
                     "with Kish's effective sample size).";
  t.theme = "slachtofferschap";
  t.source_stages = {"veiligheidsmonitor"};
  t.dims = {perioden.spec, regio.spec};
  struct Ind {
    const char* key;
    const char* nl;
    const char* en;
    const char* among;
  };
  const Ind inds[] = {
      {"victim_any", "Slachtoffers, totaal", "Victims, any offence", ""},
      {"victim_traditional", "Slachtoffers traditionele criminaliteit", "Victims of traditional crime", ""},
      {"victim_property", "Slachtoffers vermogensdelicten", "Victims of property crime", ""},
      {"victim_vandalism", "Slachtoffers vernielingen", "Victims of vandalism", ""},
      {"victim_violence", "Slachtoffers geweldsdelicten", "Victims of violent crime", ""},
      {"victim_online", "Slachtoffers online criminaliteit", "Victims of online crime", ""},
      {"victim_online_fraud", "Slachtoffers online fraude", "Victims of online fraud", ""},
      {"victim_hacking", "Slachtoffers hacken", "Victims of hacking", ""},
      {"victim_online_threat", "Slachtoffers online bedreiging", "Victims of online threats", ""},
      {"reported_to_police", "Aangiftebereidheid: slachtoffers die aangifte deden", "Reporting rate: victims who reported", "victim_any"},
      {"feels_unsafe", "Voelt zich weleens onveilig in de buurt", "Feels unsafe in the neighbourhood at times", ""},
  };
  const std::size_t cells = static_cast<std::size_t>(Y) * regio.spec.codes.size();
  int k = 1;
  auto measure = [&](const std::string& stem, const std::string& nl, const std::string& en, const std::string& unit,
                     int dec, const std::string& def) {
    MeasureSpec m;
    m.id = stem + "_" + std::to_string(k++);
    m.title_nl = nl;
    m.title_en = en;
    m.unit = unit;
    m.decimals = dec;
    m.kind = MeasureKind::kDerived;
    m.cell_key_id = "survey." + m.id.substr(0, m.id.rfind('_'));
    m.definition = def;
    return m;
  };
  {
    MeasureValues v;
    const auto s = Accumulate(rs, regio, Y, 0x1ff, 0);
    for (const Sums& x : s) {
      v.value.push_back(static_cast<double>(x.n));
      v.n.push_back(x.n);
    }
    v.cell_key.assign(cells, 0);
    t.measures.push_back(measure("Respondenten", "Respondenten", "Respondents", "aantal", 0, "count of respondents"));
    t.values.push_back(std::move(v));
  }
  for (const Ind& ind : inds) {
    const auto s = Accumulate(rs, regio, Y, Mask(ind.key), *ind.among ? Mask(ind.among) : 0);
    MeasureValues pv, lo, hi;
    for (const Sums& x : s) {
      const SurveyEstimate e = FromSums(x);
      pv.value.push_back(e.percent);
      lo.value.push_back(e.lower);
      hi.value.push_back(e.upper);
      for (MeasureValues* m : {&pv, &lo, &hi}) m->n.push_back(x.n);
    }
    for (MeasureValues* m : {&pv, &lo, &hi}) m->cell_key.assign(cells, 0);
    std::string stem = fi::TopicKey(ind.key, 0);
    stem = stem.substr(0, stem.size() - 2);
    const std::string def = std::string("survey(rate='") + ind.key + "'" +
                            (*ind.among ? std::string(", among='") + ind.among + "'" : std::string()) + ")";
    t.measures.push_back(measure(stem, ind.nl, ind.en, "%", 1, def));
    t.measures.push_back(measure(stem + "Ondergrens", std::string(ind.nl) + ", ondergrens 95%-interval",
                                 std::string(ind.en) + ", lower bound of the 95% interval", "%", 1, def + " lower"));
    t.measures.push_back(measure(stem + "Bovengrens", std::string(ind.nl) + ", bovengrens 95%-interval",
                                 std::string(ind.en) + ", upper bound of the 95% interval", "%", 1, def + " upper"));
    t.values.push_back(std::move(pv));
    t.values.push_back(std::move(lo));
    t.values.push_back(std::move(hi));
  }
  return t;
}

}  // namespace das::stats
