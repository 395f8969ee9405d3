#include "dimensions.h"

#include <algorithm>
#include <map>

#include "das/protect/ckm.h"

namespace das::stats {

int BuiltDimension::Map(std::string_view value, bool is_null) const {
  if (is_null) return unknown >= 0 ? unknown : 0;
  auto it = value_index.find(value);
  if (it != value_index.end()) return it->second;
  return unknown >= 0 ? unknown : 0;
}

int BuiltDimension::Add(Code code, int parent_index) {
  if (parent_index >= 0) code.parent = spec.codes[static_cast<std::size_t>(parent_index)].code;
  spec.codes.push_back(std::move(code));
  parent.push_back(parent_index);
  return static_cast<int>(spec.codes.size()) - 1;
}

namespace {

// Makes every data value map to a leaf, so that a parent always equals the sum of its children (disclosure
// control relies on it): a value that maps to the root goes to the unknown code; a value that maps to a code
// with children goes to a new first child "<code>_nnb" ("<title>, niet nader bekend") inserted right after it.
void MakeLeafOnly(BuiltDimension* d) {
  const std::size_t n = d->spec.codes.size();
  std::vector<bool> has_children(n, false), target(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    if (d->parent[i] >= 0) has_children[static_cast<std::size_t>(d->parent[i])] = true;
  }
  for (auto& [value, idx] : d->value_index) {
    if (idx == 0 && d->parent[0] < 0 && d->unknown > 0) idx = d->unknown;
    target[static_cast<std::size_t>(idx)] = true;
  }
  std::vector<Code> codes;
  std::vector<int> parent, remap(n, -1), nnb(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    remap[i] = static_cast<int>(codes.size());
    codes.push_back(d->spec.codes[i]);
    parent.push_back(d->parent[i] >= 0 ? remap[static_cast<std::size_t>(d->parent[i])] : -1);
    if (has_children[i] && target[i] && static_cast<int>(i) != d->unknown) {
      nnb[i] = static_cast<int>(codes.size());
      Code c;
      c.code = d->spec.codes[i].code + "_nnb";
      c.title_nl = d->spec.codes[i].title_nl + ", niet nader bekend";
      c.title_en = d->spec.codes[i].title_en + ", not further specified";
      c.parent = d->spec.codes[i].code;
      codes.push_back(std::move(c));
      parent.push_back(remap[i]);
    }
  }
  for (auto& [value, idx] : d->value_index) {
    const auto old = static_cast<std::size_t>(idx);
    idx = nnb[old] >= 0 ? nnb[old] : remap[old];
  }
  if (d->unknown >= 0) d->unknown = remap[static_cast<std::size_t>(d->unknown)];
  d->spec.codes = std::move(codes);
  d->parent = std::move(parent);
}

Code MakeCode(std::string code, std::string nl, std::string en) {
  Code c;
  c.code = std::move(code);
  c.title_nl = std::move(nl);
  c.title_en = std::move(en);
  return c;
}

const char* const kMonthsNl[12] = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                   "juli",    "augustus", "september", "oktober", "november", "december"};
const char* const kMonthsEn[12] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
const char* const kQuartersNl[4] = {"1e kwartaal", "2e kwartaal", "3e kwartaal", "4e kwartaal"};
const char* const kQuartersEn[4] = {"1st quarter", "2nd quarter", "3rd quarter", "4th quarter"};

}  // namespace

Result<PeriodLevel> ParsePeriodLevel(std::string_view text) {
  if (text == "jaar" || text == "year") return PeriodLevel::kYear;
  if (text == "kwartaal" || text == "quarter") return PeriodLevel::kQuarter;
  if (text == "maand" || text == "month") return PeriodLevel::kMonth;
  return Status::InvalidArgument("unknown period level '" + std::string(text) +
                                 "' (expected jaar, kwartaal or maand)");
}

Result<RegioLevel> ParseRegioLevel(std::string_view text) {
  if (text == "land") return RegioLevel::kLand;
  if (text == "provincie") return RegioLevel::kProvincie;
  if (text == "gemeente") return RegioLevel::kGemeente;
  return Status::InvalidArgument("unknown region level '" + std::string(text) +
                                 "' (expected land, provincie or gemeente)");
}

int PeriodDimension::Ordinal(Date d) const {
  if (d < ordinal_first.front()) return -1;
  if (d > ordinal_last.back()) return num_ordinals();
  const Ymd ymd = d.ToYmd();
  const int y = ymd.year - from_year;
  switch (finest) {
    case PeriodLevel::kYear: return y;
    case PeriodLevel::kQuarter: return y * 4 + (ymd.month - 1) / 3;
    case PeriodLevel::kMonth: return y * 12 + ymd.month - 1;
  }
  return -1;
}

Result<PeriodDimension> BuildPerioden(int from_year, int to_year, PeriodLevel finest, bool hierarchy,
                                      Date final_date) {
  if (from_year > to_year || from_year < 1900 || to_year - from_year >= 200) {
    return Status::InvalidArgument("Perioden: invalid year range " + std::to_string(from_year) + ".." +
                                   std::to_string(to_year));
  }
  PeriodDimension pd;
  pd.finest = finest;
  pd.from_year = from_year;
  pd.to_year = to_year;
  pd.spec.id = "Perioden";
  pd.spec.kind = DimensionKind::kTime;
  pd.spec.title_nl = "Perioden";
  pd.spec.title_en = "Periods";
  pd.spec.has_total = false;
  auto add = [&](const Period& p, std::string nl, std::string en, int parent) {
    Code c = MakeCode(p.Code(), std::move(nl), std::move(en));
    c.status = p.Last() > final_date ? "Voorlopig" : "Definitief";
    if (hierarchy && parent >= 0) c.parent = pd.spec.codes[static_cast<std::size_t>(parent)].code;
    pd.spec.codes.push_back(std::move(c));
    pd.parent.push_back(hierarchy ? parent : -1);
    pd.containing.push_back(parent);
    pd.periods.push_back(p);
    pd.first_ordinal.push_back(0);
    pd.last_ordinal.push_back(0);
    return static_cast<int>(pd.spec.codes.size()) - 1;
  };
  auto add_ordinal = [&](const Period& p, std::array<int, 3> cover) {
    pd.ordinal_first.push_back(p.First());
    pd.ordinal_last.push_back(p.Last());
    pd.covering.push_back(cover);
  };
  for (int y = from_year; y <= to_year; ++y) {
    const std::string ys = std::to_string(y);
    const int yi = add(Period::Year(y), ys, ys, -1);
    const int y_first_ord = pd.num_ordinals();
    if (finest == PeriodLevel::kYear) {
      add_ordinal(Period::Year(y), {yi, -1, -1});
    } else {
      for (int q = 1; q <= 4; ++q) {
        const int qi = add(Period::Quarter(y, q), ys + " " + kQuartersNl[q - 1], ys + " " + kQuartersEn[q - 1], yi);
        const int q_first_ord = pd.num_ordinals();
        if (finest == PeriodLevel::kQuarter) {
          add_ordinal(Period::Quarter(y, q), {yi, qi, -1});
        } else {
          for (int m = (q - 1) * 3 + 1; m <= q * 3; ++m) {
            const int mi = add(Period::Month(y, m), ys + " " + kMonthsNl[m - 1], std::string(kMonthsEn[m - 1]) + " " + ys, qi);
            add_ordinal(Period::Month(y, m), {yi, qi, mi});
            pd.first_ordinal[static_cast<std::size_t>(mi)] = pd.num_ordinals() - 1;
            pd.last_ordinal[static_cast<std::size_t>(mi)] = pd.num_ordinals() - 1;
          }
        }
        pd.first_ordinal[static_cast<std::size_t>(qi)] = q_first_ord;
        pd.last_ordinal[static_cast<std::size_t>(qi)] = pd.num_ordinals() - 1;
      }
    }
    pd.first_ordinal[static_cast<std::size_t>(yi)] = y_first_ord;
    pd.last_ordinal[static_cast<std::size_t>(yi)] = pd.num_ordinals() - 1;
  }
  return pd;
}

BuiltDimension BuildRegio(const geo::Geography& geography, RegioLevel level) {
  BuiltDimension d;
  d.spec.id = "RegioS";
  d.spec.kind = DimensionKind::kGeo;
  d.spec.title_nl = "Regio's";
  d.spec.title_en = "Regions";
  d.column = level == RegioLevel::kGemeente ? "gemeente_2024" : "province";
  const int nl = d.Add(MakeCode("NL01", "Nederland", "The Netherlands"), -1);
  if (level == RegioLevel::kLand) {
    d.unknown = nl;
    return d;
  }
  std::map<std::string, int> province_index;
  for (const geo::CodeName& p : geography.provinces()) {
    province_index[p.code] = d.Add(MakeCode(p.code, p.name, p.name), nl);
    if (level == RegioLevel::kProvincie) d.value_index.emplace(p.code, province_index[p.code]);
  }
  const int pv_unknown = d.Add(MakeCode("PV99", "Provincie onbekend", "Province unknown"), nl);
  if (level == RegioLevel::kProvincie) {
    d.unknown = pv_unknown;
    return d;
  }
  // Gemeenten grouped under their province (parents before children is all the spec needs; grouping keeps
  // the list readable).
  std::vector<const geo::GemeenteInfo*> gemeenten = geography.GemeentenIn(geo::kGeographyYear);
  for (const auto& [pv, pi] : province_index) {
    for (const geo::GemeenteInfo* g : gemeenten) {
      if (g->province != pv) continue;
      d.value_index.emplace(g->code, d.Add(MakeCode(g->code, g->name, g->name), pi));
    }
  }
  for (const geo::GemeenteInfo* g : gemeenten) {  // a gemeente with a province not in provincies.csv
    if (province_index.count(g->province) == 0) {
      d.value_index.emplace(g->code, d.Add(MakeCode(g->code, g->name, g->name), pv_unknown));
    }
  }
  d.unknown = d.Add(MakeCode("GM9999", "Gemeente onbekend", "Municipality unknown"), pv_unknown);
  return d;
}

BuiltDimension BuildPoliceRegio(const geo::Geography& geography) {
  BuiltDimension d;
  d.spec.id = "RegioS";
  d.spec.kind = DimensionKind::kGeo;
  d.spec.title_nl = "Politie-eenheden";
  d.spec.title_en = "Police units";
  d.column = "police_unit";
  const int nl = d.Add(MakeCode("NL01", "Nederland", "The Netherlands"), -1);
  for (const geo::CodeName& p : geography.police_units()) {
    d.value_index.emplace(p.code, d.Add(MakeCode(p.code, "Politie-eenheid " + p.name, "Police unit " + p.name), nl));
  }
  d.unknown = d.Add(MakeCode("RE99", "Politie-eenheid onbekend", "Police unit unknown"), nl);
  return d;
}

Result<BuiltDimension> BuildDelict(const harmonise::TargetList& scm, int max_level) {
  if (max_level < 1 || max_level > 3) {
    return Status::InvalidArgument("Delict: level must be 1..3, got " + std::to_string(max_level));
  }
  const auto& members = scm.members();
  if (members.empty() || members[0].level != 0) {
    return Status::InvalidArgument("Delict: code list '" + scm.name() + "' has no root at level 0");
  }
  if (scm.unknown_index() < 0) {
    return Status::InvalidArgument("Delict: code list '" + scm.name() + "' has no member 'onbekend'");
  }
  BuiltDimension d;
  d.spec.id = "Delict";
  d.spec.title_nl = "Soort misdrijf (SCM 2010)";
  d.spec.title_en = "Type of offence (SCM 2010)";
  d.column = "offence_scm";
  std::vector<int> code_of_member(members.size(), -1);
  for (std::size_t i = 0; i < members.size(); ++i) {
    const harmonise::Member& m = members[i];
    if (m.level > max_level) continue;
    int parent = -1;
    if (m.level > 0) {
      const int pm = scm.Find(m.parent);
      parent = pm >= 0 ? code_of_member[static_cast<std::size_t>(pm)] : -1;
      if (parent < 0) {
        return Status::InvalidArgument("Delict: member '" + m.code + "' (line " + std::to_string(m.line) +
                                       ") comes before its parent '" + m.parent + "'");
      }
    } else if (i != 0) {
      return Status::InvalidArgument("Delict: second root '" + m.code + "' (line " + std::to_string(m.line) + ")");
    }
    code_of_member[i] = d.Add(MakeCode(m.code, m.title_nl, m.title_en), parent);
  }
  for (std::size_t i = 0; i < members.size(); ++i) {
    const int anc = scm.AncestorAt(static_cast<int>(i), max_level);
    d.value_index.emplace(members[i].code, code_of_member[static_cast<std::size_t>(anc)]);
  }
  d.unknown = code_of_member[static_cast<std::size_t>(scm.unknown_index())];
  MakeLeafOnly(&d);
  return d;
}

BuiltDimension BuildLeeftijd(const harmonise::AgeGroups& age_groups, bool with_groups) {
  BuiltDimension d;
  d.spec.id = "Leeftijd";
  d.spec.title_nl = "Leeftijd";
  d.spec.title_en = "Age";
  d.column = with_groups ? "age_group" : "minor";
  const int total = d.Add(MakeCode("10000", "Totaal leeftijd", "Total age"), -1);
  const int minor = d.Add(MakeCode("minderjarig", "Minderjarig (jonger dan 18 jaar)", "Minor (younger than 18)"), total);
  const int adult = d.Add(MakeCode("meerderjarig", "Meerderjarig (18 jaar of ouder)", "Adult (18 or older)"), total);
  const std::string unknown_nl = age_groups.unknown_title_nl().empty() ? "Leeftijd onbekend" : age_groups.unknown_title_nl();
  if (with_groups) {
    for (const harmonise::AgeGroup& g : age_groups.groups()) {
      d.value_index.emplace(g.code, d.Add(MakeCode(g.code, g.title_nl, g.title_en), g.minor ? minor : adult));
    }
  } else {
    for (const char* v : {"1", "true"}) d.value_index.emplace(v, minor);
    for (const char* v : {"0", "false"}) d.value_index.emplace(v, adult);
  }
  d.unknown = d.Add(MakeCode("onbekend", unknown_nl, "Age unknown"), total);
  d.value_index.emplace("onbekend", d.unknown);
  return d;
}

BuiltDimension BuildGeslacht() {
  BuiltDimension d;
  d.spec.id = "Geslacht";
  d.spec.title_nl = "Geslacht";
  d.spec.title_en = "Sex";
  d.column = "sex";
  const int total = d.Add(MakeCode("T001038", "Totaal mannen en vrouwen", "Total men and women"), -1);
  d.value_index.emplace("man", d.Add(MakeCode("3000", "Mannen", "Men"), total));
  d.value_index.emplace("vrouw", d.Add(MakeCode("4000", "Vrouwen", "Women"), total));
  d.unknown = d.Add(MakeCode("onbekend", "Geslacht onbekend", "Sex unknown"), total);
  d.value_index.emplace("onbekend", d.unknown);
  return d;
}

BuiltDimension BuildFlat(std::string id, std::string title_nl, std::string title_en, std::string column,
                         std::string total_code, std::string total_title_nl, std::string total_title_en,
                         const std::vector<Code>& codes) {
  BuiltDimension d;
  d.spec.id = std::move(id);
  d.spec.title_nl = std::move(title_nl);
  d.spec.title_en = std::move(title_en);
  d.column = std::move(column);
  const int total = d.Add(MakeCode(std::move(total_code), std::move(total_title_nl), std::move(total_title_en)), -1);
  for (const Code& c : codes) {
    if (d.value_index.count(c.code) != 0) continue;
    Code copy = c;
    copy.parent.clear();
    d.value_index.emplace(c.code, d.Add(std::move(copy), total));
  }
  auto it = d.value_index.find(std::string_view(harmonise::kUnknownMember));
  if (it != d.value_index.end()) {
    d.unknown = it->second;
  } else {
    d.unknown = d.Add(MakeCode(std::string(harmonise::kUnknownMember), "Onbekend", "Unknown"), total);
    d.value_index.emplace(std::string(harmonise::kUnknownMember), d.unknown);
  }
  return d;
}

BuiltDimension BuildTree(std::string id, std::string title_nl, std::string title_en, std::string column,
                         const harmonise::TargetList& list) {
  BuiltDimension d;
  d.spec.id = std::move(id);
  d.spec.title_nl = std::move(title_nl);
  d.spec.title_en = std::move(title_en);
  d.column = std::move(column);
  std::vector<int> code_of(list.members().size(), -1);
  for (std::size_t i = 0; i < list.members().size(); ++i) {
    const harmonise::Member& m = list.members()[i];
    const int pm = m.parent.empty() ? -1 : list.Find(m.parent);
    const int parent = pm >= 0 ? code_of[static_cast<std::size_t>(pm)] : (d.spec.codes.empty() ? -1 : 0);
    code_of[i] = d.Add(MakeCode(m.code, m.title_nl, m.title_en), parent);
    d.value_index.emplace(m.code, code_of[i]);
  }
  if (d.spec.codes.empty()) d.Add(MakeCode("totaal", "Totaal", "Total"), -1);
  auto it = d.value_index.find(std::string_view(harmonise::kUnknownMember));
  d.unknown = it != d.value_index.end() ? it->second
                                        : d.Add(MakeCode(std::string(harmonise::kUnknownMember), "Onbekend", "Unknown"), 0);
  MakeLeafOnly(&d);
  return d;
}

namespace {

template <typename T, typename AddFn>
void FillMarginsImpl(const std::vector<int>& sizes, const std::vector<const std::vector<int>*>& parents,
                     std::vector<T>* cells, AddFn add) {
  const std::size_t nd = sizes.size();
  for (std::size_t d = 0; d < nd; ++d) {
    const std::vector<int>* par = parents[d];
    if (par == nullptr) continue;
    bool any = false;
    for (int p : *par) any = any || p >= 0;
    if (!any) continue;
    std::size_t inner = 1;
    for (std::size_t k = d + 1; k < nd; ++k) inner *= static_cast<std::size_t>(sizes[k]);
    std::size_t outer = 1;
    for (std::size_t k = 0; k < d; ++k) outer *= static_cast<std::size_t>(sizes[k]);
    const std::size_t n = static_cast<std::size_t>(sizes[d]);
    T* data = cells->data();
    for (std::size_t o = 0; o < outer; ++o) {
      T* block = data + o * n * inner;
      for (std::size_t c = n; c-- > 0;) {  // children come after parents: reverse order
        const int p = (*par)[c];
        if (p < 0) continue;
        T* src = block + c * inner;
        T* dst = block + static_cast<std::size_t>(p) * inner;
        for (std::size_t i = 0; i < inner; ++i) dst[i] = add(dst[i], src[i]);
      }
    }
  }
}

}  // namespace

void FillMargins(const std::vector<int>& sizes, const std::vector<const std::vector<int>*>& parents,
                 std::vector<std::int64_t>* cells) {
  FillMarginsImpl(sizes, parents, cells, [](std::int64_t a, std::int64_t b) { return a + b; });
}

void FillMargins(const std::vector<int>& sizes, const std::vector<const std::vector<int>*>& parents,
                 std::vector<double>* cells) {
  FillMarginsImpl(sizes, parents, cells, [](double a, double b) { return a + b; });
}

void FillMarginsMod256(const std::vector<int>& sizes, const std::vector<const std::vector<int>*>& parents,
                       std::vector<std::uint32_t>* cells) {
  FillMarginsImpl(sizes, parents, cells,
                  [](std::uint32_t a, std::uint32_t b) { return (a + b) % protect::kCellKeyModulus; });
}

}  // namespace das::stats
