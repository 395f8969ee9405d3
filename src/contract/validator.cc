#include "das/contract/validator.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace das::contract {

std::string Finding::ToString() const {
  std::string out;
  if (line > 0) out += "line " + std::to_string(line);
  if (!column.empty()) out += std::string(out.empty() ? "" : ", ") + "column '" + column + "'";
  if (!out.empty()) out += ": ";
  out += rule_id + " (" + std::string(SeverityName(severity)) + "): " + message;
  return out;
}

namespace {

std::string Quote(std::string_view text) {
  std::string s = "'";
  for (char c : text.substr(0, 60)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      static const char kHex[] = "0123456789ABCDEF";
      s += "\\x";
      s += kHex[u >> 4];
      s += kHex[u & 15];
    } else {
      s += c;
    }
  }
  if (text.size() > 60) s += "...";
  return s + "'";
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<Value> ParseField(const Column& col, std::string_view text, char decimal_separator) {
  if (text.empty()) return Value();
  switch (col.type) {
    case FieldType::kString:
    case FieldType::kCode:
    case FieldType::kSex:
    case FieldType::kSurname:
    case FieldType::kTussenvoegsel:
    case FieldType::kGivenNames:
      return Value::String(std::string(text));
    case FieldType::kInteger: {
      std::int64_t v = 0;
      std::string_view t = text;
      if (!t.empty() && t[0] == '+') t.remove_prefix(1);
      auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec == std::errc::result_out_of_range) return Status::InvalidArgument(Quote(text) + " is out of range for an integer");
      if (ec != std::errc() || p != t.data() + t.size()) {
        return Status::InvalidArgument(Quote(text) + " is not an integer");
      }
      return Value::Integer(v);
    }
    case FieldType::kDecimal: {
      // Digits with at most one separator (the contract's), optional leading '-'; no thousands separators.
      std::string buf;
      buf.reserve(text.size());
      bool seen_sep = false, seen_digit = false;
      for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
          buf += c;
          seen_digit = true;
        } else if (c == decimal_separator && !seen_sep) {
          buf += '.';
          seen_sep = true;
        } else if (c == '-' && i == 0) {
          buf += c;
        } else {
          std::string expected = decimal_separator == ',' ? "e.g. 450,00" : "e.g. 450.00";
          return Status::InvalidArgument(Quote(text) + " is not a decimal with separator '" +
                                         std::string(1, decimal_separator) + "' (" + expected + ")");
        }
      }
      if (!seen_digit || buf.back() == '.' || buf.size() > 40) {
        return Status::InvalidArgument(Quote(text) + " is not a decimal number");
      }
      double d = 0;
      auto [p, ec] = std::from_chars(buf.data(), buf.data() + buf.size(), d);
      if (ec != std::errc() || p != buf.data() + buf.size() || !std::isfinite(d)) {
        return Status::InvalidArgument(Quote(text) + " is not a decimal number");
      }
      return Value::Decimal(d);
    }
    case FieldType::kDate:
    case FieldType::kBirthDate: {
      auto d = ParseDate(text, col.date_format);
      if (!d.ok()) return d.status();
      return Value::FromDate(*d);
    }
    case FieldType::kBoolean:
      if (text == col.true_value) return Value::Bool(true);
      if (text == col.false_value) return Value::Bool(false);
      return Status::InvalidArgument(Quote(text) + " is not " + col.true_value + " or " + col.false_value);
    case FieldType::kRegion: {
      auto r = RegionCode::Parse(text);
      if (!r.ok()) return r.status();
      if (r->level() != col.region_level || r->code() != text) {
        static constexpr std::string_view kExample[] = {"NL00", "PV27", "RE05", "GM0363", "WK036300", "BU03630000"};
        return Status::InvalidArgument(Quote(text) + " is not an unpadded code of the expected level (e.g. " +
                                       std::string(kExample[static_cast<int>(col.region_level)]) + ")");
      }
      return Value::String(std::string(text));
    }
    case FieldType::kBsn:
      // Syntax only; the 11-check is done by das seal.
      if (!AllDigits(text) || (text.size() != 9 && text.size() != 8)) {
        return Status::InvalidArgument(Quote(text) + " is not a BSN (8 or 9 digits)");
      }
      return Value::String(std::string(text));
    case FieldType::kKvk:
      if (!AllDigits(text) || text.size() != 8) return Status::InvalidArgument(Quote(text) + " is not a KvK number (8 digits)");
      return Value::String(std::string(text));
  }
  return Status::Internal("unknown field type");
}

std::vector<Finding> EvaluateRowRules(const Contract& contract, std::span<const Value> values, std::int64_t line) {
  std::vector<Finding> out;
  for (const Rule& r : contract.rules) {
    Value v = Evaluate(*r.ast, values);
    if (!v.is_null() && !v.as_bool()) out.push_back({r.id, r.severity, r.message, line, ""});
  }
  return out;
}

// ---------------------------------------------------------------- Validator

Result<Validator> Validator::Create(const Contract& contract, const CodeListSet& lists, ValidatorOptions options) {
  DAS_RETURN_IF_ERROR(CheckCodeLists(contract, lists));
  Validator v(contract, lists, options);
  v.values_.assign(contract.fields.size(), Value());
  v.invalid_row_.assign(contract.fields.size(), 0);
  v.stats_.missing.assign(contract.fields.size(), 0);
  v.stats_.invalid.assign(contract.fields.size(), 0);
  for (const std::string& k : contract.key) v.key_slots_.push_back(contract.FieldSlot(k));
  if (!contract.reference_date.empty()) v.reference_slot_ = contract.FieldSlot(contract.reference_date);
  for (const Column& c : contract.columns) {
    if (c.type == FieldType::kBirthDate) v.birth_slot_ = contract.FieldSlot(c.field);
  }
  if (!contract.seal.reference_date_field.empty()) v.seal_ref_slot_ = contract.FieldSlot(contract.seal.reference_date_field);
  v.age_slot_ = contract.FieldSlot("age");
  v.birth_year_slot_ = contract.FieldSlot("birth_year");
  v.delivery_slot_ = contract.FieldSlot("delivery_date");
  // Register the references file rules ask about.
  std::vector<const Expr*> stack;
  for (const Rule& r : contract.file_rules) stack.push_back(r.ast.get());
  while (!stack.empty()) {
    const Expr* e = stack.back();
    stack.pop_back();
    if (e->op == Op::kCall && e->name == "reference_rate" && e->args.size() == 2) {
      v.references_.push_back({e->slot, e->args[1]->literal.as_string()});
    }
    for (const auto& a : e->args) stack.push_back(a.get());
  }
  return v;
}

std::vector<Finding> Validator::CheckHeader(const std::vector<std::string>& header) {
  std::vector<Finding> out;
  const Contract& c = *contract_;
  header_checked_ = true;
  header_width_ = header.size();
  header_columns_.assign(header.size(), nullptr);
  header_slots_.assign(header.size(), -1);
  header_lists_.assign(header.size(), nullptr);
  for (std::size_t i = 0; i < header.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (header[j] == header[i]) {
        out.push_back({"SCHEMA-DUPLICATE", Severity::kRejectDelivery,
                       "header name occurs twice (fields " + std::to_string(j + 1) + " and " + std::to_string(i + 1) + ")",
                       0, header[i]});
      }
    }
    const Column* col = c.FindColumnByName(header[i], options_.form);
    if (col == nullptr) {
      const Column* raw = options_.form == Form::kSealed ? c.FindColumnByName(header[i], Form::kRaw) : nullptr;
      if (raw != nullptr && IsDirectIdentifier(raw->type)) {
        out.push_back({"SCHEMA-UNSEALED", Severity::kRejectDelivery,
                       "direct identifier column (" + std::string(FieldTypeName(raw->type)) +
                           ") in a sealed delivery: seal the file before delivering it",
                       0, header[i]});
      } else {
        out.push_back({"SCHEMA-EXTRA", Severity::kWarn, "column not in contract " + c.Id() + " (ignored)", 0, header[i]});
      }
      continue;
    }
    header_columns_[i] = col;
    header_slots_[i] = c.FieldSlot(col->field);
    if (!col->codelist.empty()) header_lists_[i] = lists_->Find(col->codelist);
  }
  bool all_present = true;
  for (const Column& col : c.ColumnsOf(options_.form)) {
    if (std::find(header.begin(), header.end(), col.name) != header.end()) continue;
    all_present = false;
    out.push_back({"SCHEMA-MISSING", col.required ? Severity::kRejectDelivery : Severity::kWarn,
                   std::string("column missing from the header") + (col.required ? " (required)" : " (optional)"), 0,
                   col.name});
  }
  if (all_present && header != c.Header(options_.form) && header.size() == c.ColumnsOf(options_.form).size()) {
    out.push_back({"SCHEMA-ORDER", Severity::kWarn, "columns are in another order than in contract " + c.Id(), 0, ""});
  }
  key_positions_.clear();
  for (const std::string& k : c.key) {
    int pos = -1;
    for (std::size_t i = 0; i < header_columns_.size(); ++i) {
      if (header_columns_[i] != nullptr && header_columns_[i]->field == k) pos = static_cast<int>(i);
    }
    key_positions_.push_back(pos);
  }
  return out;
}

bool Validator::ValidateRow(std::int64_t line, std::span<const std::string_view> fields, std::vector<Finding>* findings) {
  const Contract& c = *contract_;
  ++stats_.rows;
  std::size_t before = findings->size();
  auto finish = [&]() {
    bool rejected = false, warned = false;
    for (std::size_t i = before; i < findings->size(); ++i) {
      if ((*findings)[i].severity == Severity::kWarn) warned = true;
      else rejected = true;
    }
    if (rejected) ++stats_.rejected_rows;
    else if (warned) ++stats_.warned_rows;
    return !rejected;
  };
  if (!header_checked_) {
    findings->push_back({"ROW-WIDTH", Severity::kRejectRow, "no header checked before the rows (internal)", line, ""});
    return finish();
  }
  std::fill(values_.begin(), values_.end(), Value());
  std::fill(invalid_row_.begin(), invalid_row_.end(), 0);
  if (fields.size() != header_width_) {
    findings->push_back({"ROW-WIDTH", Severity::kRejectRow,
                         "expected " + std::to_string(header_width_) + " fields, found " + std::to_string(fields.size()),
                         line, ""});
    return finish();
  }
  ++stats_.parsed_rows;
  // Fields.
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Column* col = header_columns_[i];
    if (col == nullptr) continue;
    int slot = header_slots_[i];
    std::string_view text = fields[i];
    if (text.empty()) {
      if (col->required) findings->push_back({"FIELD-REQUIRED", Severity::kRejectRow, "required field is empty", line, col->name});
      continue;
    }
    auto mark_invalid = [&](const char* id, std::string msg) {
      findings->push_back({id, col->on_invalid, std::move(msg), line, col->name});
      invalid_row_[slot] = 1;
    };
    auto parsed = ParseField(*col, text, c.format.decimal_separator);
    if (!parsed.ok()) {
      mark_invalid("FIELD-TYPE", parsed.status().message());
      continue;
    }
    Value v = std::move(parsed).value();
    if (col->min || col->max) {
      if (v.type() == ValueType::kInteger || v.type() == ValueType::kDecimal) {
        double x = v.as_number();
        if ((col->min && x < *col->min) || (col->max && x > *col->max)) {
          Value lo = col->type == FieldType::kInteger ? Value::Integer(static_cast<std::int64_t>(col->min.value_or(0)))
                                                      : Value::Decimal(col->min.value_or(0));
          std::string range = (col->min ? (col->type == FieldType::kInteger ? std::to_string(static_cast<std::int64_t>(*col->min)) : lo.ToString()) : "-inf") +
                              " .. " +
                              (col->max ? (col->type == FieldType::kInteger ? std::to_string(static_cast<std::int64_t>(*col->max)) : Value::Decimal(*col->max).ToString()) : "inf");
          mark_invalid("FIELD-RANGE", Quote(text) + " is outside " + range);
        }
      }
    }
    if (v.type() == ValueType::kDate && ((col->min_date && v.as_date() < *col->min_date) ||
                                         (col->max_date && v.as_date() > *col->max_date))) {
      mark_invalid("FIELD-RANGE", Quote(text) + " is outside " + (col->min_date ? col->min_date->ToIso() : "-inf") +
                                      " .. " + (col->max_date ? col->max_date->ToIso() : "inf"));
    }
    if (!col->pattern.empty() && !MatchPicture(col->pattern, text)) {
      mark_invalid("FIELD-PATTERN", Quote(text) + " does not match pattern '" + col->pattern + "'");
    }
    if (col->max_length && text.size() > *col->max_length) {
      mark_invalid("FIELD-LENGTH", "value of " + std::to_string(text.size()) + " bytes is longer than " +
                                       std::to_string(*col->max_length));
    }
    if (slot >= 0) values_[slot] = std::move(v);
  }
  // Code lists (after all fields, so the reference date is known).
  std::optional<Date> ref_date;
  if (reference_slot_ >= 0 && values_[reference_slot_].type() == ValueType::kDate) ref_date = values_[reference_slot_].as_date();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const CodeList* list = header_lists_[i];
    int slot = header_slots_[i];
    if (list == nullptr || slot < 0 || values_[slot].is_null()) continue;
    const Column* col = header_columns_[i];
    CodeCheck cc = list->Check(values_[slot].as_string(), ref_date);
    if (cc == CodeCheck::kUnknown) {
      findings->push_back({"FIELD-CODE", col->on_invalid, Quote(fields[i]) + " is not in code list " + list->name(), line, col->name});
      invalid_row_[slot] = 1;
    } else if (cc == CodeCheck::kNotValidOnDate) {
      findings->push_back({"FIELD-CODE", col->on_invalid,
                           Quote(fields[i]) + " of code list " + list->name() + " is not valid on " + ref_date->ToIso(),
                           line, col->name});
      invalid_row_[slot] = 1;
    }
  }
  // Derived fields: age and birth year from the birth date in the raw form.
  if (options_.form == Form::kRaw && birth_slot_ >= 0 && values_[birth_slot_].type() == ValueType::kDate) {
    Ymd b = values_[birth_slot_].as_date().ToYmd();
    if (birth_year_slot_ >= 0) values_[birth_year_slot_] = Value::Integer(b.year);
    if (age_slot_ >= 0 && seal_ref_slot_ >= 0 && values_[seal_ref_slot_].type() == ValueType::kDate) {
      Ymd r = values_[seal_ref_slot_].as_date().ToYmd();
      int age = r.year - b.year - ((r.month < b.month || (r.month == b.month && r.day < b.day)) ? 1 : 0);
      values_[age_slot_] = Value::Integer(age);
    }
  }
  if (delivery_slot_ >= 0 && options_.delivery_date) values_[delivery_slot_] = Value::FromDate(*options_.delivery_date);
  for (std::size_t s = 0; s < values_.size(); ++s) {
    if (values_[s].is_null()) ++stats_.missing[s];
    if (invalid_row_[s]) ++stats_.invalid[s];
  }
  // Row rules.
  for (const Rule& r : c.rules) {
    Value v = Evaluate(*r.ast, values_);
    if (!v.is_null() && !v.as_bool()) {
      findings->push_back({r.id, r.severity, r.message, line, ""});
      ++stats_.rule_failures[r.id];
    }
  }
  // Keys and duplicates.
  bool key_complete = true;
  std::string key;
  for (int pos : key_positions_) {
    if (pos < 0 || fields[pos].empty()) {
      key_complete = false;
      break;
    }
    key.append(fields[pos]);
    key += '\x1f';
  }
  if (key_complete) {
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a over all fields
    for (std::string_view f : fields) {
      for (char ch : f) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ULL;
      h = (h ^ 0x1f) * 1099511628211ULL;
    }
    auto [it, inserted] = keys_.emplace(std::move(key), h);
    if (!inserted) {
      if (it->second == h) {
        findings->push_back({"ROW-DUPLICATE", Severity::kRejectRow, "exact duplicate of an earlier row", line, ""});
        ++stats_.duplicate_rows;
      } else {
        std::string shown = it->first;
        std::replace(shown.begin(), shown.end(), '\x1f', '|');
        shown.pop_back();
        findings->push_back({"KEY-DUPLICATE", Severity::kRejectRow,
                             "key " + Quote(shown) + " occurred earlier in the file with other values", line, ""});
        ++stats_.key_duplicate_rows;
      }
    }
  }
  // References asked about by file rules.
  if (options_.references != nullptr) {
    for (Reference& ref : references_) {
      if (ref.slot < 0 || values_[ref.slot].is_null()) continue;
      const Value& v = values_[ref.slot];
      std::string text = v.type() == ValueType::kString ? v.as_string() : v.ToString();
      std::optional<bool> e = options_.references->Exists(ref.target, text);
      if (!e.has_value()) continue;
      ++ref.checked;
      if (*e) ++ref.found;
    }
  }
  return finish();
}

class Validator::Metrics final : public FileMetricSource {
 public:
  explicit Metrics(const Validator& v) : v_(v) {}
  Value Call(FileFunction fn, int field_slot, const std::string& text) const override {
    const FileStats& s = v_.stats_;
    auto rate = [&](std::int64_t n, std::int64_t d) { return d == 0 ? Value() : Value::Decimal(double(n) / double(d)); };
    switch (fn) {
      case FileFunction::kMissingRate:
        return field_slot < 0 ? Value() : rate(s.missing[field_slot], s.parsed_rows);
      case FileFunction::kInvalidRate:
        return field_slot < 0 ? Value() : rate(s.invalid[field_slot], s.parsed_rows);
      case FileFunction::kRuleRate: {
        auto it = s.rule_failures.find(text);
        return rate(it == s.rule_failures.end() ? 0 : it->second, s.rows);
      }
      case FileFunction::kReferenceRate:
        for (const Reference& r : v_.references_) {
          if (r.slot == field_slot && r.target == text) return rate(r.found, r.checked);
        }
        return Value();
    }
    return Value();
  }

 private:
  const Validator& v_;
};

std::vector<Finding> Validator::Finish() {
  std::vector<Finding> out;
  Metrics metrics(*this);
  auto rate = [&](std::int64_t n) { return stats_.rows == 0 ? Value() : Value::Decimal(double(n) / double(stats_.rows)); };
  std::vector<Value> file_values = {Value::Integer(stats_.rows), rate(stats_.rejected_rows), rate(stats_.duplicate_rows),
                                    rate(stats_.key_duplicate_rows)};
  for (const Rule& r : contract_->file_rules) {
    Value v = Evaluate(*r.ast, file_values, &metrics);
    if (!v.is_null() && !v.as_bool()) out.push_back({r.id, r.severity, r.message, 0, ""});
  }
  return out;
}

}  // namespace das::contract
