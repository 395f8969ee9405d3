// Key numbering: sequence numbers by reference date across all simulated years, so keys are unique and
// ordered as an organisation would issue them.
#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

#include "model.h"

namespace das::synth {
namespace {

struct Ref {
  std::int32_t date;
  std::uint32_t year_index;
  std::uint32_t index;
  std::uint32_t bucket;  // extra numbering bucket (parket); 0 otherwise
};

template <typename Vec, typename DateFn, typename BucketFn>
void NumberAll(std::vector<Year>& years, Vec Year::*member, DateFn date_of, BucketFn bucket_of) {
  std::vector<Ref> refs;
  for (std::uint32_t yi = 0; yi < years.size(); ++yi) {
    auto& v = years[yi].*member;
    for (std::uint32_t i = 0; i < v.size(); ++i) {
      refs.push_back({date_of(v[i]).days(), yi, i, bucket_of(v[i])});
    }
  }
  std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) {
    return std::tie(a.date, a.year_index, a.index) < std::tie(b.date, b.year_index, b.index);
  });
  std::map<std::pair<int, std::uint32_t>, std::uint32_t> counters;
  int year = 0;
  std::int32_t year_end = std::numeric_limits<std::int32_t>::min();  // refs are sorted by date
  for (const Ref& r : refs) {
    if (r.date > year_end) {
      year = Date(r.date).year();
      year_end = Date::FromYmdUnchecked(year, 12, 31).days();
    }
    (years[r.year_index].*member)[r.index].seq = ++counters[{year, r.bucket}];
  }
}

}  // namespace

void NumberKeys(std::vector<Year>& years) {
  auto none = [](const auto&) { return 0u; };
  NumberAll(years, &Year::suspects, [](const Suspect& s) { return s.reg; }, none);
  NumberAll(years, &Year::om, [](const OmCase& o) { return o.inflow; },
            [](const OmCase& o) { return static_cast<std::uint32_t>(o.arr); });
  NumberAll(years, &Year::cjib, [](const Cjib& c) { return c.reg; }, none);
  NumberAll(years, &Year::dji, [](const Detention& d) { return d.in; }, none);
  NumberAll(years, &Year::rn, [](const Probation& p) { return p.start; }, none);
  NumberAll(years, &Year::halt, [](const HaltCase& h) { return h.date; }, none);
  NumberAll(years, &Year::rvdk, [](const RvdkCase& r) { return r.start; }, none);
}

}  // namespace das::synth
