// A columnar in-memory table: the unit stages pass to each other (intake -> store -> harmonise -> ...).
//
// Columns are typed; every value may be null (unknown). Strings live in one arena per column (offsets +
// bytes), numbers and dates in flat vectors, so building and scanning millions of rows allocates little.
// Not thread-safe for writing; concurrent reads are fine.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/date.h"
#include "das/core/status.h"

namespace das {

enum class ColumnType : std::uint8_t { kString = 0, kInt64 = 1, kDouble = 2, kDate = 3, kBool = 4 };

std::string_view ColumnTypeName(ColumnType type);

class Column {
 public:
  Column() = default;
  Column(std::string name, ColumnType type) : name_(std::move(name)), type_(type) { offsets_.push_back(0); }

  const std::string& name() const { return name_; }
  ColumnType type() const { return type_; }
  std::size_t size() const { return valid_.size(); }
  void Reserve(std::size_t rows, std::size_t string_bytes = 0);

  // Appending: the caller appends with the function matching type() (checked in debug builds).
  void AppendNull();
  void AppendString(std::string_view v);
  void AppendInt(std::int64_t v);
  void AppendDouble(double v);
  void AppendDate(Date v) { AppendInt(v.days()); }
  void AppendBool(bool v) { AppendInt(v ? 1 : 0); }
  // Appends row `i` of `other` (same type).
  void AppendFrom(const Column& other, std::size_t i);
  // Appends every row of `other` (same type; checked: InvalidArgument otherwise), in bulk.
  Status AppendAll(const Column& other);

  bool IsNull(std::size_t i) const { return valid_[i] == 0; }
  std::string_view GetString(std::size_t i) const {
    return std::string_view(chars_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  std::int64_t GetInt(std::size_t i) const { return ints_[i]; }
  double GetDouble(std::size_t i) const { return doubles_[i]; }
  Date GetDate(std::size_t i) const { return Date(static_cast<std::int32_t>(ints_[i])); }
  bool GetBool(std::size_t i) const { return ints_[i] != 0; }
  // The value as text (dates ISO, doubles shortest round-trip, bools 1/0); empty for null.
  std::string ToText(std::size_t i) const;

  // Serialised form (little-endian, self-describing: name, type, rows, validity, payload); see table.cc.
  void SerializeTo(std::string* out) const;
  static Result<Column> Deserialize(std::string_view data);

  friend bool operator==(const Column& a, const Column& b);

 private:
  std::string name_;
  ColumnType type_ = ColumnType::kString;
  std::vector<std::uint8_t> valid_;
  std::vector<std::int64_t> ints_;      // kInt64, kDate, kBool
  std::vector<double> doubles_;         // kDouble
  std::vector<std::uint64_t> offsets_;  // kString: size()+1 offsets into chars_
  std::string chars_;                   // kString
};

class Table {
 public:
  Table() = default;
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  std::size_t num_rows() const { return columns_.empty() ? 0 : columns_[0].size(); }
  std::size_t num_columns() const { return columns_.size(); }
  const std::vector<Column>& columns() const { return columns_; }
  std::vector<Column>& mutable_columns() { return columns_; }
  Column& column(std::size_t i) { return columns_[i]; }
  const Column& column(std::size_t i) const { return columns_[i]; }
  // Index of the column named `name`, or -1.
  int Find(std::string_view name) const;
  void AddColumn(Column c) { columns_.push_back(std::move(c)); }
  // Checks that all columns have the same length.
  Status Validate() const;

 private:
  std::vector<Column> columns_;
};

}  // namespace das
