// lib: das_serve
// Parses arbitrary bytes as an OData $filter, prints its canonical form, binds it against a fixed property list
// and evaluates it over rows of every value kind (null, matching, all strings, all numbers).
// Must never crash, hang or leak; errors are fine.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "das/serve/odata_filter.h"

namespace {

using namespace das::serve;

// Row whose value kinds are chosen by `mode`: 0 all null, 1 matching kinds, 2 all strings, 3 all numbers.
class FuzzRow : public FilterRow {
 public:
  explicit FuzzRow(int mode) : mode_(mode) {}
  FilterValue Get(std::size_t index) const override {
    switch (mode_) {
      case 0: return FilterValue::Null();
      case 1:
        if (index == 2) return FilterValue::Number(12.5);
        if (index == 3) return FilterValue::Boolean(true);
        return FilterValue::String(index == 0 ? "2023JJ00" : "GM0363    ");
      case 2: return FilterValue::String("");
      default: return FilterValue::Number(-1);
    }
  }

 private:
  int mode_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto filter = ParseFilter(text);
  if (!filter.ok()) return 0;
  std::string canonical = FilterToString(*filter);
  if (canonical.empty()) std::abort();
  static const std::vector<FilterProperty> kProps = {{"Perioden", PropertyType::kString},
                                                     {"RegioS", PropertyType::kString},
                                                     {"Aantal", PropertyType::kNumber},
                                                     {"Definitief", PropertyType::kBoolean},
                                                     {"A", PropertyType::kString},
                                                     {"B", PropertyType::kNumber}};
  if (BindFilter(*filter, kProps).ok()) {
    for (int mode = 0; mode < 4; ++mode) (void)EvaluateFilter3(*filter, FuzzRow(mode));
  }
  return 0;
}
