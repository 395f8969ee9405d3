// Inhabitants per year and region: the context_bevolking_buurt deliveries, else the 2024 populations of
// config/geo (see formula.h, figures_internal::Population).
#include <cmath>
#include <limits>
#include <map>

#include "das/core/date.h"
#include "das/geo/geography.h"
#include "das/store/store.h"
#include "dimensions.h"
#include "formula.h"

namespace das::stats::figures_internal {

Result<Population> LoadPopulation(store::Store* store, const geo::Geography& geography, const BuiltDimension& regio,
                                  int from_year, int to_year) {
  const std::size_t R = regio.spec.codes.size();
  auto add = [&](std::vector<double>* v, int leaf, double x) {
    for (int c = leaf; c >= 0; c = regio.parent[static_cast<std::size_t>(c)]) (*v)[static_cast<std::size_t>(c)] += x;
  };
  // Per delivered year: leaf-level populations with margins.
  std::map<int, std::pair<std::vector<double>, std::vector<double>>> by_year;
  DAS_ASSIGN_OR_RETURN(auto deliveries, store->ListDeliveries("context_bevolking_buurt"));
  for (const store::DeliveryInfo& d : deliveries) {
    if (d.status != "accepted") continue;
    auto p = Period::Parse(d.period);
    if (!p.ok()) continue;
    DAS_ASSIGN_OR_RETURN(Table t, store->ReadDelivery(d.id, {"buurt_code", "population", "population_12_17"}));
    const int bc = t.Find("buurt_code"), pc = t.Find("population"), mc = t.Find("population_12_17");
    if (bc < 0 || pc < 0) {
      return Status::Corruption("stats: delivery " + std::to_string(d.id) + " of context_bevolking_buurt lacks " +
                                "buurt_code or population");
    }
    auto& [all, minors] = by_year[p->year()];  // a later delivery of the same year replaces the earlier
    all.assign(R, 0);
    minors.assign(R, 0);
    for (std::size_t i = 0; i < t.num_rows(); ++i) {
      const Column& b = t.column(static_cast<std::size_t>(bc));
      if (b.IsNull(i)) continue;
      const geo::BuurtInfo* buurt = geography.CurrentBuurt(b.GetString(i));
      const int leaf = buurt == nullptr ? regio.unknown : regio.Map(buurt->gemeente);
      const Column& pcol = t.column(static_cast<std::size_t>(pc));
      if (!pcol.IsNull(i)) add(&all, leaf, static_cast<double>(pcol.GetInt(i)));
      if (mc >= 0 && !t.column(static_cast<std::size_t>(mc)).IsNull(i)) {
        add(&minors, leaf, static_cast<double>(t.column(static_cast<std::size_t>(mc)).GetInt(i)));
      }
    }
  }
  Population out;
  out.from_year = from_year;
  if (by_year.empty()) {
    out.source = "config/geo";
    std::vector<double> all(R, 0), minors(R, std::numeric_limits<double>::quiet_NaN());
    for (const geo::GemeenteInfo* g : geography.GemeentenIn(geo::kGeographyYear)) {
      add(&all, regio.Map(g->code), static_cast<double>(g->population));
    }
    for (int y = from_year; y <= to_year; ++y) {
      out.all.push_back(all);
      out.minors.push_back(minors);
    }
    return out;
  }
  out.source = "context_bevolking_buurt";
  for (int y = from_year; y <= to_year; ++y) {
    auto best = by_year.begin();
    for (auto it = by_year.begin(); it != by_year.end(); ++it) {
      if (std::abs(it->first - y) < std::abs(best->first - y)) best = it;
    }
    out.all.push_back(best->second.first);
    out.minors.push_back(best->second.second);
  }
  return out;
}

}  // namespace das::stats::figures_internal
