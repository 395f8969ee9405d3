#include "das/core/table.h"

#include <charconv>
#include <cstring>

namespace das {
namespace {

template <typename T>
void PutRaw(std::string* out, T v) {
  char buf[sizeof(T)];
  std::memcpy(buf, &v, sizeof(T));
  out->append(buf, sizeof(T));
}

template <typename T>
void PutVector(std::string* out, const std::vector<T>& v) {
  PutRaw<std::uint64_t>(out, v.size());
  if (!v.empty()) out->append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

class Reader {
 public:
  explicit Reader(std::string_view d) : d_(d) {}
  template <typename T>
  bool Get(T* v) {
    if (d_.size() < sizeof(T)) return false;
    std::memcpy(v, d_.data(), sizeof(T));
    d_.remove_prefix(sizeof(T));
    return true;
  }
  template <typename T>
  bool GetVector(std::vector<T>* v) {
    std::uint64_t n = 0;
    if (!Get(&n) || n > d_.size() / sizeof(T)) return false;
    v->resize(n);
    if (n) std::memcpy(v->data(), d_.data(), n * sizeof(T));
    d_.remove_prefix(n * sizeof(T));
    return true;
  }
  bool GetString(std::string* s) {
    std::uint64_t n = 0;
    if (!Get(&n) || n > d_.size()) return false;
    s->assign(d_.data(), n);
    d_.remove_prefix(n);
    return true;
  }
  bool done() const { return d_.empty(); }

 private:
  std::string_view d_;
};

constexpr std::uint32_t kColumnMagic = 0x4c4f4344;  // "DCOL"

}  // namespace

std::string_view ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kString: return "string";
    case ColumnType::kInt64: return "integer";
    case ColumnType::kDouble: return "decimal";
    case ColumnType::kDate: return "date";
    case ColumnType::kBool: return "boolean";
  }
  return "?";
}

void Column::Reserve(std::size_t rows, std::size_t string_bytes) {
  valid_.reserve(rows);
  if (type_ == ColumnType::kString) {
    offsets_.reserve(rows + 1);
    chars_.reserve(string_bytes);
  } else if (type_ == ColumnType::kDouble) {
    doubles_.reserve(rows);
  } else {
    ints_.reserve(rows);
  }
}

void Column::AppendNull() {
  valid_.push_back(0);
  switch (type_) {
    case ColumnType::kString: offsets_.push_back(chars_.size()); break;
    case ColumnType::kDouble: doubles_.push_back(0); break;
    default: ints_.push_back(0); break;
  }
}

void Column::AppendString(std::string_view v) {
  valid_.push_back(1);
  chars_.append(v);
  offsets_.push_back(chars_.size());
}

void Column::AppendInt(std::int64_t v) {
  valid_.push_back(1);
  ints_.push_back(v);
}

void Column::AppendDouble(double v) {
  valid_.push_back(1);
  doubles_.push_back(v);
}

void Column::AppendFrom(const Column& other, std::size_t i) {
  if (other.IsNull(i)) return AppendNull();
  switch (type_) {
    case ColumnType::kString: return AppendString(other.GetString(i));
    case ColumnType::kDouble: return AppendDouble(other.GetDouble(i));
    default: return AppendInt(other.GetInt(i));
  }
}

Status Column::AppendAll(const Column& other) {
  if (other.type_ != type_) {
    return Status::InvalidArgument("column '" + name_ + "': cannot append a column of type " +
                                   std::string(ColumnTypeName(other.type_)) + " to one of type " +
                                   std::string(ColumnTypeName(type_)));
  }
  valid_.insert(valid_.end(), other.valid_.begin(), other.valid_.end());
  switch (type_) {
    case ColumnType::kString: {
      const std::uint64_t base = chars_.size();
      chars_.append(other.chars_);
      for (std::size_t k = 1; k < other.offsets_.size(); ++k) offsets_.push_back(base + other.offsets_[k]);
      break;
    }
    case ColumnType::kDouble: doubles_.insert(doubles_.end(), other.doubles_.begin(), other.doubles_.end()); break;
    default: ints_.insert(ints_.end(), other.ints_.begin(), other.ints_.end()); break;
  }
  return Status::Ok();
}

std::string Column::ToText(std::size_t i) const {
  if (IsNull(i)) return {};
  switch (type_) {
    case ColumnType::kString: return std::string(GetString(i));
    case ColumnType::kInt64: return std::to_string(GetInt(i));
    case ColumnType::kDate: return GetDate(i).ToIso();
    case ColumnType::kBool: return GetBool(i) ? "1" : "0";
    case ColumnType::kDouble: {
      char buf[32];
      auto r = std::to_chars(buf, buf + sizeof buf, GetDouble(i));
      return std::string(buf, r.ptr);
    }
  }
  return {};
}

void Column::SerializeTo(std::string* out) const {
  PutRaw<std::uint32_t>(out, kColumnMagic);
  PutRaw<std::uint64_t>(out, name_.size());
  out->append(name_);
  PutRaw<std::uint8_t>(out, static_cast<std::uint8_t>(type_));
  PutVector(out, valid_);
  switch (type_) {
    case ColumnType::kString:
      PutVector(out, offsets_);
      PutRaw<std::uint64_t>(out, chars_.size());
      out->append(chars_);
      break;
    case ColumnType::kDouble: PutVector(out, doubles_); break;
    default: PutVector(out, ints_); break;
  }
}

Result<Column> Column::Deserialize(std::string_view data) {
  Reader r(data);
  std::uint32_t magic = 0;
  std::uint8_t type = 0;
  Column c;
  auto corrupt = [](const char* what) { return Status::Corruption(std::string("column chunk: ") + what); };
  if (!r.Get(&magic) || magic != kColumnMagic) return corrupt("bad magic");
  if (!r.GetString(&c.name_)) return corrupt("truncated name");
  if (!r.Get(&type) || type > static_cast<std::uint8_t>(ColumnType::kBool)) return corrupt("bad type");
  c.type_ = static_cast<ColumnType>(type);
  if (!r.GetVector(&c.valid_)) return corrupt("truncated validity");
  const std::size_t n = c.valid_.size();
  switch (c.type_) {
    case ColumnType::kString:
      if (!r.GetVector(&c.offsets_) || !r.GetString(&c.chars_)) return corrupt("truncated strings");
      if (c.offsets_.size() != n + 1 || c.offsets_.back() != c.chars_.size()) return corrupt("bad offsets");
      for (std::size_t i = 0; i < n; ++i)
        if (c.offsets_[i] > c.offsets_[i + 1]) return corrupt("offsets not increasing");
      break;
    case ColumnType::kDouble:
      if (!r.GetVector(&c.doubles_) || c.doubles_.size() != n) return corrupt("bad doubles");
      break;
    default:
      if (!r.GetVector(&c.ints_) || c.ints_.size() != n) return corrupt("bad integers");
      break;
  }
  if (!r.done()) return corrupt("trailing bytes");
  return c;
}

bool operator==(const Column& a, const Column& b) {
  if (a.name_ != b.name_ || a.type_ != b.type_ || a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a.IsNull(i) != b.IsNull(i)) return false;
    if (!a.IsNull(i) && a.ToText(i) != b.ToText(i)) return false;
  }
  return true;
}

int Table::Find(std::string_view name) const {
  for (std::size_t i = 0; i < columns_.size(); ++i)
    if (columns_[i].name() == name) return static_cast<int>(i);
  return -1;
}

Status Table::Validate() const {
  for (const auto& c : columns_) {
    if (c.size() != num_rows())
      return Status::Internal("column '" + c.name() + "' has " + std::to_string(c.size()) + " rows, expected " +
                              std::to_string(num_rows()));
  }
  return Status::Ok();
}

}  // namespace das
