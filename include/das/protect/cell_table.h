// The input model of disclosure control: a table of cells over hierarchical dimensions.
//
// A CellTable is the full cross product of its dimensions' codes, totals and subtotals included: each
// dimension is a hierarchy (codes with a parent, e.g. NL > province > gemeente or SCM total > level 1 > 2),
// and a code with children is a margin whose value is the sum of its children's (the additivity the
// attacker exploits). Cells are stored densely in row-major order of the dimensions; measures are columns.
//
// Measures per cell: count (contributing units), for amount tables the amount (sum) and the two largest
// contributions (for the dominance and p% rules), and the cell key (sum of record keys mod 256, see ckm.h).
// Ownership: values. Threading: not thread-safe for writing; concurrent reads are fine.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "das/core/status.h"

namespace das::protect {

// One dimension: codes in a hierarchy. parent[i] is the index of code i's parent, or -1 for a root.
class Dimension {
 public:
  Dimension() = default;
  explicit Dimension(std::string name) : name_(std::move(name)) {}

  // Adds a code under `parent` ("" for a root). Errors: empty or duplicate code, unknown parent.
  Status AddCode(std::string_view code, std::string_view parent = "");

  const std::string& name() const { return name_; }
  std::size_t size() const { return codes_.size(); }
  const std::string& code(std::size_t i) const { return codes_[i]; }
  int parent(std::size_t i) const { return parents_[i]; }
  const std::vector<int>& children(std::size_t i) const { return children_[i]; }
  bool IsLeaf(std::size_t i) const { return children_[i].empty(); }
  // Index of `code`, or -1.
  int Find(std::string_view code) const;

 private:
  std::string name_;
  std::vector<std::string> codes_;
  std::vector<int> parents_;
  std::vector<std::vector<int>> children_;
  std::unordered_map<std::string, int> index_;
};

enum class TableKind : std::uint8_t { kCount = 0, kAmount = 1 };

class CellTable {
 public:
  // Creates a table of prod(dimension sizes) cells, all measures 0. Errors: no dimension, an empty
  // dimension, or more than 2^31 cells.
  static Result<CellTable> Create(std::vector<Dimension> dims, TableKind kind);

  TableKind kind() const { return kind_; }
  const std::vector<Dimension>& dims() const { return dims_; }
  std::size_t num_cells() const { return count.size(); }
  std::size_t stride(std::size_t d) const { return strides_[d]; }
  // Flat index of a cell from one code index per dimension (no bounds check beyond debug builds).
  std::size_t Index(const std::vector<int>& codes) const;
  // Code index in dimension d of flat cell i.
  int CodeOf(std::size_t i, std::size_t d) const { return static_cast<int>(i / strides_[d] % dims_[d].size()); }
  // Flat index from code strings. Errors: wrong arity, unknown code (named).
  Result<std::size_t> IndexOf(const std::vector<std::string_view>& codes) const;

  // Fills every margin from its children (count, amount, cell key mod 256, top-2 contributions), starting
  // from the leaves; so callers need only set leaf cells. Cell keys of margins are the sum of their
  // children's keys, which equals the sum of their records' keys (the ONS definition).
  void FillMargins();

  // Measures (size num_cells()); callers write leaf cells and call FillMargins(), or write all cells.
  std::vector<std::int64_t> count;
  std::vector<double> amount;  // kAmount only (sum of contributions)
  std::vector<double> top1;    // largest contribution (kAmount)
  std::vector<double> top2;    // second largest contribution (kAmount)
  std::vector<std::uint32_t> cell_key;

 private:
  TableKind kind_ = TableKind::kCount;
  std::vector<Dimension> dims_;
  std::vector<std::size_t> strides_;
};

// One additive relation ("line"): cell `total` equals the sum of cells `parts`. Every margin of every
// dimension, for every combination of the other dimensions' codes, gives one line.
struct Line {
  std::uint32_t total;
  std::vector<std::uint32_t> parts;
};

// All lines of a table, in a fixed order (dimension, then flat index of the total).
std::vector<Line> Lines(const CellTable& table);

}  // namespace das::protect
