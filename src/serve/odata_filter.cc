#include "das/serve/odata_filter.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>
#include <utility>

namespace das::serve {
namespace {

constexpr std::size_t kMaxShownBytes = 40;  // longer tokens are cut in messages

enum class TokenKind : std::uint8_t { kEnd, kIdent, kString, kNumber, kLParen, kRParen, kComma };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::size_t position = 0;  // 1-based
  std::string text;          // ident name, unescaped string, number as written
  double number = 0;
};

constexpr std::array<std::string_view, 12> kKeywords = {"and", "or",  "not", "eq",   "ne",    "gt",
                                                         "ge",  "lt",  "le",  "true", "false", "null"};

bool IsKeyword(std::string_view s) {
  for (std::string_view k : kKeywords) {
    if (s == k) return true;
  }
  return false;
}

bool IsIdentStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Printable ASCII kept, every other byte as \xNN; cut after kMaxShownBytes bytes of input.
std::string Shown(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t n = s.size() > kMaxShownBytes ? kMaxShownBytes : s.size();
  for (std::size_t i = 0; i < n; ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b < 0x7F) {
      out += static_cast<char>(b);
    } else {
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  if (n < s.size()) out += "...";
  return out;
}

std::string Quoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  out += '\'';
  return out;
}

std::string Describe(const Token& t) {
  switch (t.kind) {
    case TokenKind::kEnd: return "end of input";
    case TokenKind::kIdent: return "'" + Shown(t.text) + "'";
    case TokenKind::kString: return "string " + Shown(Quoted(t.text));
    case TokenKind::kNumber: return "number " + Shown(t.text);
    case TokenKind::kLParen: return "'('";
    case TokenKind::kRParen: return "')'";
    case TokenKind::kComma: return "','";
  }
  return "?";
}

Status Error(std::size_t position, std::string_view what) {
  return Status::InvalidArgument("$filter: position " + std::to_string(position) + ": " + std::string(what));
}

Result<std::vector<Token>> Lex(std::string_view s) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (true) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    Token t;
    t.position = i + 1;
    if (i == s.size()) {
      tokens.push_back(std::move(t));
      return tokens;
    }
    char c = s[i];
    if (c == '(') {
      t.kind = TokenKind::kLParen;
      ++i;
    } else if (c == ')') {
      t.kind = TokenKind::kRParen;
      ++i;
    } else if (c == ',') {
      t.kind = TokenKind::kComma;
      ++i;
    } else if (IsIdentStart(c)) {
      std::size_t start = i;
      while (i < s.size() && IsIdentChar(s[i])) ++i;
      t.kind = TokenKind::kIdent;
      t.text = std::string(s.substr(start, i - start));
    } else if (c == '\'') {
      t.kind = TokenKind::kString;
      ++i;
      while (true) {
        if (i == s.size()) return Error(t.position, "unterminated string literal (no closing quote)");
        if (s[i] == '\'') {
          if (i + 1 < s.size() && s[i + 1] == '\'') {
            t.text += '\'';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        t.text += s[i++];
      }
    } else if (IsDigit(c) || c == '-') {
      std::size_t start = i;
      if (c == '-') {
        ++i;
        if (i == s.size() || !IsDigit(s[i])) return Error(i + 1, "expected a digit after '-'");
      }
      while (i < s.size() && IsDigit(s[i])) ++i;
      if (i < s.size() && s[i] == '.') {
        ++i;
        if (i == s.size() || !IsDigit(s[i])) return Error(i + 1, "expected a digit after '.' in a number");
        while (i < s.size() && IsDigit(s[i])) ++i;
      }
      t.kind = TokenKind::kNumber;
      t.text = std::string(s.substr(start, i - start));
      auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), t.number);
      if (ec != std::errc() || ptr != t.text.data() + t.text.size() || !std::isfinite(t.number)) {
        return Error(t.position, "number " + Shown(t.text) + " is out of range");
      }
    } else {
      auto b = static_cast<unsigned char>(c);
      if (b >= 0x21 && b < 0x7F) return Error(t.position, std::string("unexpected character '") + c + "'");
      return Error(t.position, "unexpected byte " + Shown(s.substr(i, 1)));
    }
    tokens.push_back(std::move(t));
  }
}

bool ParseCompareOp(std::string_view s, CompareOp& op) {
  static constexpr std::array<std::pair<std::string_view, CompareOp>, 6> kOps = {{{"eq", CompareOp::kEq},
                                                                                  {"ne", CompareOp::kNe},
                                                                                  {"gt", CompareOp::kGt},
                                                                                  {"ge", CompareOp::kGe},
                                                                                  {"lt", CompareOp::kLt},
                                                                                  {"le", CompareOp::kLe}}};
  for (const auto& [name, o] : kOps) {
    if (s == name) {
      op = o;
      return true;
    }
  }
  return false;
}

bool ParseFunctionName(std::string_view s, FilterFunction& f) {
  if (s == "substringof") f = FilterFunction::kSubstringOf;
  else if (s == "startswith") f = FilterFunction::kStartsWith;
  else if (s == "endswith") f = FilterFunction::kEndsWith;
  else if (s == "contains") f = FilterFunction::kContains;
  else return false;
  return true;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const FilterLimits& limits) : tokens_(std::move(tokens)), limits_(limits) {}

  Result<Filter> Run() {
    Filter filter;
    DAS_ASSIGN_OR_RETURN(filter.root, ParseOr(0));
    if (Peek().kind != TokenKind::kEnd) {
      return Error(Peek().position, "expected 'and', 'or' or end of input but found " + Describe(Peek()));
    }
    filter.terms = terms_;
    return filter;
  }

 private:
  using NodeResult = Result<std::unique_ptr<FilterNode>>;

  const Token& Peek() const { return tokens_[next_]; }
  const Token& PeekAt(std::size_t ahead) const {
    std::size_t i = next_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& Advance() {
    const Token& t = tokens_[next_];
    if (next_ + 1 < tokens_.size()) ++next_;  // the last token is kEnd and stays
    return t;
  }
  bool PeekWord(std::string_view word) const { return Peek().kind == TokenKind::kIdent && Peek().text == word; }

  Status Expect(TokenKind kind, std::string_view what) {
    if (Peek().kind != kind) return Error(Peek().position, "expected " + std::string(what) + " but found " + Describe(Peek()));
    Advance();
    return Status::Ok();
  }

  Status EnterLevel(std::size_t position, int depth) {
    if (depth + 1 > limits_.max_depth) {
      return Status::ResourceExhausted("$filter: position " + std::to_string(position) + ": nesting deeper than " +
                                       std::to_string(limits_.max_depth) + " levels");
    }
    return Status::Ok();
  }

  Status CountTerm(std::size_t position) {
    if (++terms_ > limits_.max_terms) {
      return Status::ResourceExhausted("$filter: position " + std::to_string(position) + ": more than " +
                                       std::to_string(limits_.max_terms) + " conditions");
    }
    return Status::Ok();
  }

  NodeResult ParseChain(int depth, FilterNodeKind kind, std::string_view word) {
    std::vector<std::unique_ptr<FilterNode>> children;
    DAS_ASSIGN_OR_RETURN(auto first, kind == FilterNodeKind::kOr ? ParseChain(depth, FilterNodeKind::kAnd, "and")
                                                                  : ParseNot(depth));
    children.push_back(std::move(first));
    while (PeekWord(word)) {
      Advance();
      DAS_ASSIGN_OR_RETURN(auto next, kind == FilterNodeKind::kOr ? ParseChain(depth, FilterNodeKind::kAnd, "and")
                                                                   : ParseNot(depth));
      children.push_back(std::move(next));
    }
    if (children.size() == 1) return std::move(children.front());
    auto node = std::make_unique<FilterNode>();
    node->kind = kind;
    node->position = children.front()->position;
    node->children = std::move(children);
    return node;
  }

  NodeResult ParseOr(int depth) { return ParseChain(depth, FilterNodeKind::kOr, "or"); }

  NodeResult ParseNot(int depth) {
    if (!PeekWord("not")) return ParseTerm(depth);
    std::size_t position = Advance().position;
    DAS_RETURN_IF_ERROR(EnterLevel(position, depth));
    DAS_ASSIGN_OR_RETURN(auto child, ParseNot(depth + 1));
    auto node = std::make_unique<FilterNode>();
    node->kind = FilterNodeKind::kNot;
    node->position = position;
    node->children.push_back(std::move(child));
    return node;
  }

  NodeResult ParseTerm(int depth) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kLParen) {
      std::size_t position = Advance().position;
      DAS_RETURN_IF_ERROR(EnterLevel(position, depth));
      DAS_ASSIGN_OR_RETURN(auto inner, ParseOr(depth + 1));
      DAS_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "a closing ')'"));
      return inner;
    }
    if (t.kind == TokenKind::kIdent && PeekAt(1).kind == TokenKind::kLParen) return ParseFunction();
    auto node = std::make_unique<FilterNode>();
    node->kind = FilterNodeKind::kCompare;
    node->position = t.position;
    DAS_ASSIGN_OR_RETURN(node->lhs, ParseOperand("a condition"));
    const Token& op = Peek();
    if (op.kind != TokenKind::kIdent || !ParseCompareOp(op.text, node->op)) {
      return Error(op.position, "expected a comparison operator (eq, ne, gt, ge, lt, le) but found " + Describe(op));
    }
    Advance();
    DAS_ASSIGN_OR_RETURN(node->rhs, ParseOperand("a property or a literal"));
    if (node->lhs.is_property == node->rhs.is_property) {
      return Error(node->position, std::string("a comparison needs a property on one side and a literal on the "
                                               "other, found two ") +
                                       (node->lhs.is_property ? "properties" : "literals"));
    }
    DAS_RETURN_IF_ERROR(CountTerm(node->position));
    return node;
  }

  // A property or a literal; `expected` names what was wanted for the error message.
  Result<FilterOperand> ParseOperand(std::string_view expected) {
    const Token& t = Peek();
    FilterOperand o;
    o.position = t.position;
    switch (t.kind) {
      case TokenKind::kString:
        o.literal.kind = LiteralKind::kString;
        o.literal.text = t.text;
        break;
      case TokenKind::kNumber:
        o.literal.kind = LiteralKind::kNumber;
        o.literal.text = t.text;
        o.literal.number = t.number;
        break;
      case TokenKind::kIdent:
        if (t.text == "null") {
          o.literal.kind = LiteralKind::kNull;
        } else if (t.text == "true" || t.text == "false") {
          o.literal.kind = LiteralKind::kBoolean;
          o.literal.boolean = t.text == "true";
        } else if (!IsKeyword(t.text)) {
          o.is_property = true;
          o.property = t.text;
        } else {
          return Error(t.position, "expected " + std::string(expected) + " but found " + Describe(t));
        }
        break;
      default:
        return Error(t.position, "expected " + std::string(expected) + " but found " + Describe(t));
    }
    Advance();
    return o;
  }

  Result<FilterOperand> ParseArgument(std::string_view function, bool want_property, std::string_view ordinal) {
    const Token& t = Peek();
    bool ok = want_property ? (t.kind == TokenKind::kIdent && !IsKeyword(t.text)) : t.kind == TokenKind::kString;
    if (!ok) {
      return Error(t.position, "expected " + std::string(want_property ? "a property" : "a string literal") +
                                   " as the " + std::string(ordinal) + " argument of " + std::string(function) +
                                   " but found " + Describe(t));
    }
    return ParseOperand("an argument");
  }

  NodeResult ParseFunction() {
    const Token& name = Advance();
    auto node = std::make_unique<FilterNode>();
    node->kind = FilterNodeKind::kFunction;
    node->position = name.position;
    if (!ParseFunctionName(name.text, node->function)) {
      return Error(name.position, "unknown function '" + Shown(name.text) +
                                      "' (known: substringof, startswith, endswith, contains)");
    }
    std::string fname = name.text;
    Advance();  // '('
    bool first_is_property = node->function != FilterFunction::kSubstringOf;
    DAS_ASSIGN_OR_RETURN(node->lhs, ParseArgument(fname, first_is_property, "first"));
    DAS_RETURN_IF_ERROR(Expect(TokenKind::kComma, "',' after the first argument of " + fname));
    DAS_ASSIGN_OR_RETURN(node->rhs, ParseArgument(fname, !first_is_property, "second"));
    DAS_RETURN_IF_ERROR(Expect(TokenKind::kRParen, "a closing ')' after the arguments of " + fname));
    DAS_RETURN_IF_ERROR(CountTerm(node->position));
    return node;
  }

  std::vector<Token> tokens_;
  FilterLimits limits_;
  std::size_t next_ = 0;
  std::size_t terms_ = 0;
};

void OperandToString(const FilterOperand& o, std::string& out) {
  if (o.is_property) {
    out += o.property;
    return;
  }
  switch (o.literal.kind) {
    case LiteralKind::kNull: out += "null"; break;
    case LiteralKind::kBoolean: out += o.literal.boolean ? "true" : "false"; break;
    case LiteralKind::kNumber: out += o.literal.text; break;
    case LiteralKind::kString: out += Quoted(o.literal.text); break;
  }
}

void NodeToString(const FilterNode& n, std::string& out) {
  out += '(';
  switch (n.kind) {
    case FilterNodeKind::kOr:
    case FilterNodeKind::kAnd:
    case FilterNodeKind::kNot:
      out += n.kind == FilterNodeKind::kOr ? "or" : n.kind == FilterNodeKind::kAnd ? "and" : "not";
      for (const auto& c : n.children) {
        out += ' ';
        NodeToString(*c, out);
      }
      break;
    case FilterNodeKind::kCompare:
    case FilterNodeKind::kFunction:
      out += n.kind == FilterNodeKind::kCompare ? CompareOpName(n.op) : FilterFunctionName(n.function);
      out += ' ';
      OperandToString(n.lhs, out);
      out += ' ';
      OperandToString(n.rhs, out);
      break;
  }
  out += ')';
}

std::string_view PropertyTypeName(PropertyType t) {
  switch (t) {
    case PropertyType::kString: return "string";
    case PropertyType::kNumber: return "number";
    case PropertyType::kBoolean: return "boolean";
  }
  return "?";
}

std::string_view LiteralKindName(LiteralKind k) {
  switch (k) {
    case LiteralKind::kNull: return "null";
    case LiteralKind::kBoolean: return "boolean";
    case LiteralKind::kNumber: return "number";
    case LiteralKind::kString: return "string";
  }
  return "?";
}

LiteralKind KindOf(PropertyType t) {
  switch (t) {
    case PropertyType::kString: return LiteralKind::kString;
    case PropertyType::kNumber: return LiteralKind::kNumber;
    case PropertyType::kBoolean: return LiteralKind::kBoolean;
  }
  return LiteralKind::kNull;
}

Status BindOperand(FilterOperand& o, std::span<const FilterProperty> properties) {
  if (!o.is_property) return Status::Ok();
  for (std::size_t i = 0; i < properties.size(); ++i) {
    if (properties[i].name == o.property) {
      o.property_index = static_cast<int>(i);
      o.property_type = properties[i].type;
      return Status::Ok();
    }
  }
  return Error(o.position, "unknown property '" + o.property + "'");
}

Status BindNode(FilterNode& n, std::span<const FilterProperty> properties) {
  switch (n.kind) {
    case FilterNodeKind::kOr:
    case FilterNodeKind::kAnd:
    case FilterNodeKind::kNot:
      for (auto& c : n.children) DAS_RETURN_IF_ERROR(BindNode(*c, properties));
      return Status::Ok();
    case FilterNodeKind::kCompare: {
      DAS_RETURN_IF_ERROR(BindOperand(n.lhs, properties));
      DAS_RETURN_IF_ERROR(BindOperand(n.rhs, properties));
      const FilterOperand& p = n.lhs.is_property ? n.lhs : n.rhs;
      const FilterOperand& lit = n.lhs.is_property ? n.rhs : n.lhs;
      if (lit.literal.kind != LiteralKind::kNull && lit.literal.kind != KindOf(p.property_type)) {
        return Error(lit.position, "property '" + p.property + "' is a " + std::string(PropertyTypeName(p.property_type)) +
                                       " but is compared with a " + std::string(LiteralKindName(lit.literal.kind)));
      }
      return Status::Ok();
    }
    case FilterNodeKind::kFunction: {
      DAS_RETURN_IF_ERROR(BindOperand(n.lhs, properties));
      DAS_RETURN_IF_ERROR(BindOperand(n.rhs, properties));
      const FilterOperand& p = n.lhs.is_property ? n.lhs : n.rhs;
      if (p.property_type != PropertyType::kString) {
        return Error(p.position, std::string(FilterFunctionName(n.function)) + " needs a string property but '" +
                                     p.property + "' is a " + std::string(PropertyTypeName(p.property_type)));
      }
      return Status::Ok();
    }
  }
  return Status::Internal("$filter: unknown node kind");
}

Truth FromBool(bool b) { return b ? Truth::kTrue : Truth::kFalse; }

Truth EvalCompare(const FilterNode& n, const FilterRow& row) {
  bool property_left = n.lhs.is_property;
  const FilterOperand& p = property_left ? n.lhs : n.rhs;
  const FilterLiteral& lit = property_left ? n.rhs.literal : n.lhs.literal;
  CompareOp op = n.op;
  if (!property_left) {  // "lit op P" == "P op' lit"
    switch (op) {
      case CompareOp::kGt: op = CompareOp::kLt; break;
      case CompareOp::kGe: op = CompareOp::kLe; break;
      case CompareOp::kLt: op = CompareOp::kGt; break;
      case CompareOp::kLe: op = CompareOp::kGe; break;
      default: break;
    }
  }
  if (p.property_index < 0) return Truth::kNull;
  FilterValue v = row.Get(static_cast<std::size_t>(p.property_index));
  bool value_null = v.kind == LiteralKind::kNull;
  bool literal_null = lit.kind == LiteralKind::kNull;
  if (value_null || literal_null) {
    bool both = value_null && literal_null;
    if (op == CompareOp::kEq) return FromBool(both);
    if (op == CompareOp::kNe) return FromBool(!both);
    return Truth::kFalse;
  }
  if (v.kind != lit.kind || v.kind != KindOf(p.property_type)) return Truth::kNull;
  int c = 0;
  switch (v.kind) {
    case LiteralKind::kString: {
      int r = v.text.compare(std::string_view(lit.text));
      c = r < 0 ? -1 : r > 0 ? 1 : 0;
      break;
    }
    case LiteralKind::kNumber:
      if (std::isnan(v.number)) return Truth::kNull;
      c = v.number < lit.number ? -1 : v.number > lit.number ? 1 : 0;
      break;
    case LiteralKind::kBoolean:
      c = static_cast<int>(v.boolean) - static_cast<int>(lit.boolean);
      break;
    case LiteralKind::kNull:
      return Truth::kNull;
  }
  switch (op) {
    case CompareOp::kEq: return FromBool(c == 0);
    case CompareOp::kNe: return FromBool(c != 0);
    case CompareOp::kGt: return FromBool(c > 0);
    case CompareOp::kGe: return FromBool(c >= 0);
    case CompareOp::kLt: return FromBool(c < 0);
    case CompareOp::kLe: return FromBool(c <= 0);
  }
  return Truth::kNull;
}

Truth EvalFunction(const FilterNode& n, const FilterRow& row) {
  const FilterOperand& p = n.lhs.is_property ? n.lhs : n.rhs;
  const std::string& needle = n.lhs.is_property ? n.rhs.literal.text : n.lhs.literal.text;
  if (p.property_index < 0) return Truth::kNull;
  FilterValue v = row.Get(static_cast<std::size_t>(p.property_index));
  if (v.kind != LiteralKind::kString) return Truth::kNull;
  std::string_view hay = v.text;
  switch (n.function) {
    case FilterFunction::kSubstringOf:
    case FilterFunction::kContains: return FromBool(hay.find(needle) != std::string_view::npos);
    case FilterFunction::kStartsWith: return FromBool(hay.starts_with(needle));
    case FilterFunction::kEndsWith: return FromBool(hay.ends_with(needle));
  }
  return Truth::kNull;
}

Truth EvalNode(const FilterNode& n, const FilterRow& row) {
  switch (n.kind) {
    case FilterNodeKind::kAnd: {
      Truth result = Truth::kTrue;
      for (const auto& c : n.children) {
        Truth t = EvalNode(*c, row);
        if (t == Truth::kFalse) return Truth::kFalse;
        if (t == Truth::kNull) result = Truth::kNull;
      }
      return result;
    }
    case FilterNodeKind::kOr: {
      Truth result = Truth::kFalse;
      for (const auto& c : n.children) {
        Truth t = EvalNode(*c, row);
        if (t == Truth::kTrue) return Truth::kTrue;
        if (t == Truth::kNull) result = Truth::kNull;
      }
      return result;
    }
    case FilterNodeKind::kNot: {
      Truth t = EvalNode(*n.children.front(), row);
      return t == Truth::kNull ? Truth::kNull : t == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
    }
    case FilterNodeKind::kCompare: return EvalCompare(n, row);
    case FilterNodeKind::kFunction: return EvalFunction(n, row);
  }
  return Truth::kNull;
}

}  // namespace

std::string_view CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "eq";
    case CompareOp::kNe: return "ne";
    case CompareOp::kGt: return "gt";
    case CompareOp::kGe: return "ge";
    case CompareOp::kLt: return "lt";
    case CompareOp::kLe: return "le";
  }
  return "?";
}

std::string_view FilterFunctionName(FilterFunction f) {
  switch (f) {
    case FilterFunction::kSubstringOf: return "substringof";
    case FilterFunction::kStartsWith: return "startswith";
    case FilterFunction::kEndsWith: return "endswith";
    case FilterFunction::kContains: return "contains";
  }
  return "?";
}

Result<Filter> ParseFilter(std::string_view text, const FilterLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Status::ResourceExhausted("$filter: " + std::to_string(text.size()) + " bytes is longer than the maximum of " +
                                     std::to_string(limits.max_bytes));
  }
  DAS_ASSIGN_OR_RETURN(auto tokens, Lex(text));
  Parser parser(std::move(tokens), limits);
  return parser.Run();
}

std::string FilterToString(const Filter& filter) {
  std::string out;
  if (filter.root != nullptr) NodeToString(*filter.root, out);
  return out;
}

Status BindFilter(Filter& filter, std::span<const FilterProperty> properties) {
  filter.bound = false;
  if (filter.root == nullptr) return Status::InvalidArgument("$filter: empty filter");
  DAS_RETURN_IF_ERROR(BindNode(*filter.root, properties));
  filter.bound = true;
  return Status::Ok();
}

Truth EvaluateFilter3(const Filter& filter, const FilterRow& row) {
  if (!filter.bound || filter.root == nullptr) return Truth::kNull;
  return EvalNode(*filter.root, row);
}

bool EvaluateFilter(const Filter& filter, const FilterRow& row) { return EvaluateFilter3(filter, row) == Truth::kTrue; }

}  // namespace das::serve
