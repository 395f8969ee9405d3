// The OData $filter language of the open-data API (CBS OData v3 and v4 subset): a recursive-descent parser
// into an AST, a binding step against a table's properties, and an evaluator over one row at a time.
//
// Grammar (keywords and function names are lower case and case-sensitive; whitespace separates tokens):
//
//   filter     := or_expr END
//   or_expr    := and_expr ('or' and_expr)*
//   and_expr   := not_expr ('and' not_expr)*
//   not_expr   := 'not' not_expr | term
//   term       := '(' or_expr ')' | function | operand cmp_op operand
//   cmp_op     := 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'
//   function   := 'substringof' '(' string ',' property ')'          (v3: true if string occurs in property)
//               | ('startswith' | 'endswith' | 'contains') '(' property ',' string ')'   (v4)
//   operand    := property | literal         (a comparison has exactly one property and one literal, either side)
//   literal    := string | number | 'true' | 'false' | 'null'
//   string     := "'" (any byte except "'" | "''")* "'"    ('' is one quote; spaces are kept: 'GM0363    ')
//   number     := '-'? digit+ ('.' digit+)?
//   property   := [A-Za-z_][A-Za-z0-9_]*     (not a keyword)
//
// Precedence: or < and < not < comparison. Chains of one operator are n-ary nodes: "a or b or c" is one
// `or` with three children; "(a or b) or c" keeps its parentheses as a nested node.
//
// Canonical form (FilterToString): an s-expression, e.g. "Perioden eq '2023JJ00'" -> "(eq Perioden '2023JJ00')",
// "not endswith(X,'1 ')" -> "(not (endswith X '1 '))". Literals print as written (numbers keep their text,
// strings are re-quoted with '' escaping), so the string is a faithful, exact picture of the AST.
//
// Semantics (OData v4, three-valued): a term is true, false or null (unknown); a row passes when the whole
// filter is true.
// - `eq null` is true only for a null value, `ne null` only for a non-null value; eq/ne of a null value with a
//   non-null literal: eq false, ne true. gt/ge/lt/le with a null on either side are false.
// - Strings compare exactly, byte by byte (no trimming, no case folding); numbers as doubles (integers beyond
//   2^53 lose precision); booleans: false < true.
// - Functions on a null property are null; `not null` is null; `false and null` is false, `true or null` true.
// - A row value whose kind does not match the property's declared type makes the term null (never a crash).
//
// Errors (Status messages start with "$filter: "): parse errors name the 1-based byte position, e.g.
// "$filter: position 17: expected a closing ')' but found end of input"; limits give kResourceExhausted,
// everything else kInvalidArgument. BindFilter reports unknown properties and type mismatches with the
// property's name and position: "$filter: position 1: unknown property 'Periode'".
//
// Ownership and threading: a Filter owns its AST. Parse and Bind are pure functions. A bound Filter is
// immutable and may be evaluated from many threads at once (each with its own FilterRow).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/status.h"

namespace das::serve {

// Limits of ParseFilter; the defaults are the public API's.
struct FilterLimits {
  std::size_t max_bytes = 4096;  // length of the $filter text (after URL decoding)
  int max_depth = 32;            // nesting of '(' and 'not'
  std::size_t max_terms = 128;   // comparisons + function calls
};

enum class FilterNodeKind : std::uint8_t { kOr, kAnd, kNot, kCompare, kFunction };
enum class CompareOp : std::uint8_t { kEq, kNe, kGt, kGe, kLt, kLe };
enum class FilterFunction : std::uint8_t { kSubstringOf, kStartsWith, kEndsWith, kContains };
enum class LiteralKind : std::uint8_t { kNull, kBoolean, kNumber, kString };
// Declared type of a table property (for binding).
enum class PropertyType : std::uint8_t { kString, kNumber, kBoolean };

std::string_view CompareOpName(CompareOp op);           // "eq", "ne", ...
std::string_view FilterFunctionName(FilterFunction f);  // "substringof", ...

struct FilterLiteral {
  LiteralKind kind = LiteralKind::kNull;
  bool boolean = false;
  double number = 0;
  std::string text;  // string: the unescaped value; number: the text as written
};

// One side of a comparison or one function argument: a property or a literal.
struct FilterOperand {
  bool is_property = false;
  std::string property;          // when is_property
  FilterLiteral literal;         // otherwise
  std::size_t position = 0;      // 1-based byte position in the $filter text
  int property_index = -1;       // set by BindFilter: index into the property list
  PropertyType property_type = PropertyType::kString;  // set by BindFilter
};

struct FilterNode {
  FilterNodeKind kind = FilterNodeKind::kCompare;
  std::size_t position = 0;                           // 1-based position of the node's first token
  std::vector<std::unique_ptr<FilterNode>> children;  // kOr/kAnd: >= 2, kNot: 1
  CompareOp op = CompareOp::kEq;                      // kCompare
  FilterFunction function = FilterFunction::kStartsWith;  // kFunction
  FilterOperand lhs, rhs;  // kCompare: as written; kFunction: the arguments in call order
};

struct Filter {
  std::unique_ptr<FilterNode> root;
  std::size_t terms = 0;  // comparisons + function calls
  bool bound = false;     // BindFilter succeeded
};

// A table property as the binding step sees it.
struct FilterProperty {
  std::string name;
  PropertyType type = PropertyType::kString;
};

// Parses a $filter text (already URL-decoded). Never crashes on any bytes.
Result<Filter> ParseFilter(std::string_view text, const FilterLimits& limits = {});

// The canonical s-expression of the AST (see above).
std::string FilterToString(const Filter& filter);

// Resolves every property against `properties` (exact, case-sensitive names) and checks types: comparisons of a
// string property need a string literal (or null), of a number property a number, of a boolean property true or
// false; function properties must be strings. On error the filter is left unbound.
Status BindFilter(Filter& filter, std::span<const FilterProperty> properties);

// A value of one property in one row. `text` must stay valid until the next Get on the same row.
struct FilterValue {
  LiteralKind kind = LiteralKind::kNull;
  bool boolean = false;
  double number = 0;
  std::string_view text;

  static FilterValue Null() { return {}; }
  static FilterValue String(std::string_view s) { FilterValue v; v.kind = LiteralKind::kString; v.text = s; return v; }
  static FilterValue Number(double d) { FilterValue v; v.kind = LiteralKind::kNumber; v.number = d; return v; }
  static FilterValue Boolean(bool b) { FilterValue v; v.kind = LiteralKind::kBoolean; v.boolean = b; return v; }
};

// Row accessor: the value of property `index` (an index into the list given to BindFilter).
class FilterRow {
 public:
  virtual ~FilterRow() = default;
  virtual FilterValue Get(std::size_t index) const = 0;
};

enum class Truth : std::uint8_t { kFalse, kTrue, kNull };

// Three-valued result of the filter over one row. Precondition: filter.bound (an unbound filter is kNull).
Truth EvaluateFilter3(const Filter& filter, const FilterRow& row);
// Whether the row passes: EvaluateFilter3 == kTrue.
bool EvaluateFilter(const Filter& filter, const FilterRow& row);

}  // namespace das::serve
