// The rule expression language of source contracts: a tiny, declarative language parsed into an AST, type-
// checked against the contract's fields, and evaluated over typed values. Grammar and semantics are
// documented in src/contract/README.md; in short:
//
//   decision_date >= inflow_date
//   if decision is not empty then decision_date is not empty
//   age between 12 and 17
//   days_between(entry_date, exit_date) >= 0
//   sanction in ('TAAK', 'BOETE') and amount > 0
//   missing_rate(bsn) <= 0.25                       (file rules)
//
// Three-valued logic: an empty field is null; a comparison with null is unknown; a rule is violated only
// when it evaluates to false (SQL CHECK semantics), so missing data never fails a rule unless the rule
// says `is not empty`. `x = ''` and `x != ''` mean `x is empty` and `x is not empty`.
//
// Errors: ParseExpression and Bind return ParseError/InvalidArgument messages that start with
// "column N: " (1-based character position in the expression), e.g.
// "column 15: expected a value (field, number, 'text', true, false or '('), found end of expression".
// Threading: an Expr is immutable after Bind and may be evaluated from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "das/core/date.h"
#include "das/core/status.h"
#include "das/core/table.h"

namespace das::contract {

enum class ValueType : std::uint8_t { kNull, kBool, kInteger, kDecimal, kDate, kString };
std::string_view ValueTypeName(ValueType type);  // "null", "boolean", "integer", "decimal", "date", "string"
// The column type that stores values of `type` (null and string -> kString).
ColumnType ToColumnType(ValueType type);

// A typed value; null is "unknown or empty".
class Value {
 public:
  Value() = default;
  static Value Bool(bool b) { Value v; v.v_ = b; return v; }
  static Value Integer(std::int64_t i) { Value v; v.v_ = i; return v; }
  static Value Decimal(double d) { Value v; v.v_ = d; return v; }
  static Value FromDate(Date d) { Value v; v.v_ = d; return v; }
  static Value String(std::string s) { Value v; v.v_ = std::move(s); return v; }

  ValueType type() const { return static_cast<ValueType>(v_.index()); }
  bool is_null() const { return v_.index() == 0; }
  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_integer() const { return std::get<std::int64_t>(v_); }
  double as_decimal() const { return std::get<double>(v_); }
  // Integer or decimal as double.
  double as_number() const { return type() == ValueType::kInteger ? static_cast<double>(as_integer()) : as_decimal(); }
  Date as_date() const { return std::get<Date>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  // For messages: null, true, 12, 1.5, 2023-07-01, 'text'.
  std::string ToString() const;

  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

 private:
  std::variant<std::monostate, bool, std::int64_t, double, Date, std::string> v_;
};

enum class Op : std::uint8_t {
  kLiteral, kField, kCall,
  kNot, kNeg, kAnd, kOr, kIf,
  kEq, kNe, kLt, kLe, kGt, kGe,
  kAdd, kSub,
  kBetween,  // args: x, lo, hi (negated: not between)
  kIn,       // args: x, literal...  (negated: not in)
  kIsEmpty,  // args: x (negated: is not empty)
  kMatches,  // args: x; name = picture pattern (negated: not matches)
};

struct Expr {
  Op op = Op::kLiteral;
  int column = 1;           // 1-based position in the expression text
  Value literal;            // kLiteral
  std::string name;         // kField/kCall: the name; kMatches: the pattern
  bool negated = false;     // kBetween, kIn, kIsEmpty, kMatches
  std::vector<std::unique_ptr<Expr>> args;
  // Set by Bind.
  ValueType type = ValueType::kNull;
  int slot = -1;            // kField: index into the evaluation values; kCall: field slot of the argument
  int function = -1;        // kCall: function id
};

// Limits that keep parsing of hostile input bounded.
inline constexpr std::size_t kMaxExpressionLength = 4096;
inline constexpr int kMaxExpressionDepth = 64;

Result<std::unique_ptr<Expr>> ParseExpression(std::string_view text);
// Canonical, fully parenthesised text of an expression (for tests and messages).
std::string ExprToString(const Expr& e);

// What names mean where an expression is bound.
struct Scope {
  // Row scope: the fields a rule may name (slot = index). File scope: the file metrics
  // (rows, rejected_rate, duplicate_rate, key_duplicate_rate).
  std::vector<std::pair<std::string, ValueType>> names;
  bool file_level = false;
  // File scope only: the contract's fields (arguments of missing_rate etc.) and row-rule ids (rule_rate).
  std::vector<std::string> row_fields;
  std::vector<std::string> rule_ids;
};

// Resolves names and checks types; the expression must be boolean. Errors start with "column N: ".
Status Bind(Expr& e, const Scope& scope);

// File-scope functions; evaluated through FileMetricSource.
enum class FileFunction : std::uint8_t { kMissingRate, kInvalidRate, kRuleRate, kReferenceRate };
class FileMetricSource {
 public:
  virtual ~FileMetricSource() = default;
  // field_slot: index in Scope::row_fields (-1 for rule_rate); text: rule id or reference target.
  virtual Value Call(FileFunction fn, int field_slot, const std::string& text) const = 0;
};

// Evaluates a bound expression. `values` are indexed by slot (row fields, or file metrics in file scope).
Value Evaluate(const Expr& e, std::span<const Value> values, const FileMetricSource* file = nullptr);

// Picture patterns used by `matches` and by column `pattern`: '#' a digit, '@' an ASCII letter, '?' any one
// character, '\' escapes the next character; everything else matches itself. The whole value must match.
Status ValidatePicture(std::string_view pattern);
bool MatchPicture(std::string_view pattern, std::string_view text);

}  // namespace das::contract
