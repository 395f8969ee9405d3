#include "das/stats/stat_table.h"

namespace das::stats {

int DimensionSpec::total_index() const {
  if (kind == DimensionKind::kTime || codes.empty()) return -1;
  return has_total ? 0 : -1;
}

int DimensionSpec::Find(const std::string& code) const {
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

std::size_t StatTable::num_cells() const {
  if (dims.empty()) return 0;
  std::size_t n = 1;
  for (const DimensionSpec& d : dims) n *= d.codes.size();
  return n;
}

std::size_t StatTable::Index(const std::vector<int>& codes) const {
  std::size_t i = 0;
  for (std::size_t d = 0; d < dims.size(); ++d) i = i * dims[d].codes.size() + static_cast<std::size_t>(codes[d]);
  return i;
}

int StatTable::CodeOf(std::size_t i, std::size_t d) const {
  std::size_t stride = 1;
  for (std::size_t k = dims.size(); k-- > d + 1;) stride *= dims[k].codes.size();
  return static_cast<int>(i / stride % dims[d].codes.size());
}

}  // namespace das::stats
