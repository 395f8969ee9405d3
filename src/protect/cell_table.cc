#include "das/protect/cell_table.h"

#include <algorithm>
#include <limits>

namespace das::protect {

Status Dimension::AddCode(std::string_view code, std::string_view parent) {
  if (code.empty()) return Status::InvalidArgument("dimension '" + name_ + "': empty code");
  if (index_.count(std::string(code)) != 0) {
    return Status::InvalidArgument("dimension '" + name_ + "': duplicate code '" + std::string(code) + "'");
  }
  int p = -1;
  if (!parent.empty()) {
    p = Find(parent);
    if (p < 0) {
      return Status::InvalidArgument("dimension '" + name_ + "': code '" + std::string(code) +
                                     "' has unknown parent '" + std::string(parent) + "'");
    }
  }
  const int id = static_cast<int>(codes_.size());
  codes_.emplace_back(code);
  parents_.push_back(p);
  children_.emplace_back();
  if (p >= 0) children_[static_cast<std::size_t>(p)].push_back(id);
  index_.emplace(std::string(code), id);
  return Status::Ok();
}

int Dimension::Find(std::string_view code) const {
  auto it = index_.find(std::string(code));
  return it == index_.end() ? -1 : it->second;
}

Result<CellTable> CellTable::Create(std::vector<Dimension> dims, TableKind kind) {
  if (dims.empty()) return Status::InvalidArgument("cell table: no dimensions");
  std::size_t n = 1;
  for (const Dimension& d : dims) {
    if (d.size() == 0) return Status::InvalidArgument("cell table: dimension '" + d.name() + "' has no codes");
    if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) / d.size()) {
      return Status::ResourceExhausted("cell table: more than 2^31 cells");
    }
    n *= d.size();
  }
  CellTable t;
  t.kind_ = kind;
  t.strides_.assign(dims.size(), 1);
  for (std::size_t d = dims.size(); d-- > 1;) t.strides_[d - 1] = t.strides_[d] * dims[d].size();
  t.dims_ = std::move(dims);
  t.count.assign(n, 0);
  t.cell_key.assign(n, 0);
  if (kind == TableKind::kAmount) {
    t.amount.assign(n, 0);
    t.top1.assign(n, 0);
    t.top2.assign(n, 0);
  }
  return t;
}

std::size_t CellTable::Index(const std::vector<int>& codes) const {
  std::size_t i = 0;
  for (std::size_t d = 0; d < dims_.size(); ++d) i += static_cast<std::size_t>(codes[d]) * strides_[d];
  return i;
}

Result<std::size_t> CellTable::IndexOf(const std::vector<std::string_view>& codes) const {
  if (codes.size() != dims_.size()) {
    return Status::InvalidArgument("cell table: " + std::to_string(codes.size()) + " codes for " +
                                   std::to_string(dims_.size()) + " dimensions");
  }
  std::size_t i = 0;
  for (std::size_t d = 0; d < dims_.size(); ++d) {
    int c = dims_[d].Find(codes[d]);
    if (c < 0) {
      return Status::NotFound("cell table: dimension '" + dims_[d].name() + "' has no code '" +
                              std::string(codes[d]) + "'");
    }
    i += static_cast<std::size_t>(c) * strides_[d];
  }
  return i;
}

namespace {

// Depth of each code (roots 0); margins are filled deepest first so children are complete.
std::vector<int> Depths(const Dimension& dim) {
  std::vector<int> depth(dim.size(), 0);
  for (std::size_t i = 0; i < dim.size(); ++i) {
    int p = dim.parent(i);
    while (p >= 0) {
      ++depth[i];
      p = dim.parent(static_cast<std::size_t>(p));
    }
  }
  return depth;
}

}  // namespace

void CellTable::FillMargins() {
  const std::size_t n = num_cells();
  // Dimension by dimension: a margin of dimension d is the sum over its children with the other codes fixed.
  // Cells that are margins in several dimensions are filled by the last dimension's pass from cells already
  // complete in all earlier dimensions, so the result is the full sum.
  for (std::size_t d = 0; d < dims_.size(); ++d) {
    const Dimension& dim = dims_[d];
    const std::vector<int> depth = Depths(dim);
    std::vector<int> order;
    for (std::size_t c = 0; c < dim.size(); ++c) {
      if (!dim.IsLeaf(c)) order.push_back(static_cast<int>(c));
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return depth[a] > depth[b]; });
    const std::size_t s = strides_[d];
    const std::size_t block = s * dim.size();
    for (int c : order) {
      for (std::size_t base = 0; base < n; base += block) {
        for (std::size_t off = 0; off < s; ++off) {
          const std::size_t t = base + static_cast<std::size_t>(c) * s + off;
          std::int64_t cnt = 0;
          std::uint32_t key = 0;
          double amt = 0, t1 = 0, t2 = 0;
          for (int ch : dim.children(static_cast<std::size_t>(c))) {
            const std::size_t k = base + static_cast<std::size_t>(ch) * s + off;
            cnt += count[k];
            key = (key + cell_key[k]) % 256;
            if (kind_ == TableKind::kAmount) {
              amt += amount[k];
              for (double x : {top1[k], top2[k]}) {
                if (x > t1) {
                  t2 = t1;
                  t1 = x;
                } else if (x > t2) {
                  t2 = x;
                }
              }
            }
          }
          count[t] = cnt;
          cell_key[t] = key;
          if (kind_ == TableKind::kAmount) {
            amount[t] = amt;
            top1[t] = t1;
            top2[t] = t2;
          }
        }
      }
    }
  }
}

std::vector<Line> Lines(const CellTable& table) {
  std::vector<Line> lines;
  const std::size_t n = table.num_cells();
  for (std::size_t d = 0; d < table.dims().size(); ++d) {
    const Dimension& dim = table.dims()[d];
    const std::size_t s = table.stride(d);
    const std::size_t block = s * dim.size();
    for (std::size_t base = 0; base < n; base += block) {
      for (std::size_t c = 0; c < dim.size(); ++c) {
        if (dim.IsLeaf(c)) continue;
        for (std::size_t off = 0; off < s; ++off) {
          Line line;
          line.total = static_cast<std::uint32_t>(base + c * s + off);
          for (int ch : dim.children(c)) {
            line.parts.push_back(static_cast<std::uint32_t>(base + static_cast<std::size_t>(ch) * s + off));
          }
          lines.push_back(std::move(line));
        }
      }
    }
  }
  return lines;
}

}  // namespace das::protect
