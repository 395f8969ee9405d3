// PublishedTable: cell layout, CBS UntypedDataSet text and the canonical CSV.
#include <cmath>
#include <cstdio>
#include <string>

#include "das/core/number_format.h"
#include "das/release/release.h"

namespace das::release {

std::size_t PublishedTable::num_cells() const {
  if (dims.empty()) return 0;
  std::size_t n = 1;
  for (const stats::DimensionSpec& d : dims) n *= d.codes.size();
  return n;
}

int PublishedTable::CodeOf(std::size_t i, std::size_t d) const {
  std::size_t stride = 1;
  for (std::size_t k = dims.size(); k-- > d + 1;) stride *= dims[k].codes.size();
  return static_cast<int>(i / stride % dims[d].codes.size());
}


std::string PublishedTable::Untyped(std::size_t measure, std::size_t cell) const {
  switch (state[measure][cell]) {
    case CellState::kSuppressed: return "x";
    case CellState::kUnavailable: return ".";
    case CellState::kPublished: break;
  }
  return FormatFixed(value[measure][cell], measures[measure].decimals);
}

std::string PublishedTable::ToCsv() const {
  std::string out;
  for (std::size_t d = 0; d < dims.size(); ++d) {
    if (d > 0) out += ',';
    out += dims[d].id;
  }
  for (const stats::MeasureSpec& m : measures) {
    out += ',';
    out += m.id;
  }
  out += '\n';
  const std::size_t n = num_cells();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t d = 0; d < dims.size(); ++d) {
      if (d > 0) out += ',';
      out += dims[d].codes[static_cast<std::size_t>(CodeOf(i, d))].code;
    }
    for (std::size_t m = 0; m < measures.size(); ++m) {
      out += ',';
      out += Untyped(m, i);
    }
    out += '\n';
  }
  return out;
}

const PublishedTable* Release::Find(const std::string& table_id) const {
  for (const auto& t : tables) {
    if (t->id == table_id) return t.get();
  }
  return nullptr;
}

}  // namespace das::release
