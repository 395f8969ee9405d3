#include "das/contract/expr.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace das::contract {

std::string_view ValueTypeName(ValueType type) {
  switch (type) {
    case ValueType::kNull: return "null";
    case ValueType::kBool: return "boolean";
    case ValueType::kInteger: return "integer";
    case ValueType::kDecimal: return "decimal";
    case ValueType::kDate: return "date";
    case ValueType::kString: return "string";
  }
  return "?";
}

std::string Value::ToString() const {
  switch (type()) {
    case ValueType::kNull: return "null";
    case ValueType::kBool: return as_bool() ? "true" : "false";
    case ValueType::kInteger: return std::to_string(as_integer());
    case ValueType::kDecimal: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.10g", as_decimal());
      std::string s = buf;
      if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
      return s;
    }
    case ValueType::kDate: return as_date().ToIso();
    case ValueType::kString: return "'" + as_string() + "'";
  }
  return "?";
}

// ---------------------------------------------------------------- lexer

namespace {

enum class Tok : std::uint8_t { kEnd, kIdent, kNumber, kString, kLParen, kRParen, kComma, kOp };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // identifier (lower-cased keywords kept as written), operator, string content, number
  int column = 1;
};

std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kEnd: return "end of expression";
    case Tok::kIdent: return "'" + t.text + "'";
    case Tok::kNumber: return "number " + t.text;
    case Tok::kString: return "text '" + t.text + "'";
    case Tok::kLParen: return "'('";
    case Tok::kRParen: return "')'";
    case Tok::kComma: return "','";
    case Tok::kOp: return "'" + t.text + "'";
  }
  return "?";
}

Status ErrAt(int column, const std::string& msg) {
  return Status::ParseError("column " + std::to_string(column) + ": " + msg);
}

Result<std::vector<Token>> Lex(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int col = static_cast<int>(i) + 1;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.column = col;
    if (std::isalpha(c) || c == '_') {
      std::size_t j = i;
      while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
      t.kind = Tok::kIdent;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (std::isdigit(c)) {
      std::size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      if (j < s.size() && s[j] == '.') {
        ++j;
        if (j >= s.size() || !std::isdigit(static_cast<unsigned char>(s[j]))) {
          return ErrAt(static_cast<int>(j) + 1, "expected a digit after the decimal point");
        }
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      }
      if (j < s.size() && (std::isalpha(static_cast<unsigned char>(s[j])) || s[j] == '_')) {
        return ErrAt(col, "malformed number '" + std::string(s.substr(i, j + 1 - i)) + "'");
      }
      t.kind = Tok::kNumber;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '\'') {
      std::string text;
      std::size_t j = i + 1;
      bool closed = false;
      while (j < s.size()) {
        if (s[j] == '\'') {
          if (j + 1 < s.size() && s[j + 1] == '\'') {
            text += '\'';
            j += 2;
            continue;
          }
          closed = true;
          ++j;
          break;
        }
        text += s[j++];
      }
      if (!closed) return ErrAt(col, "unterminated text literal (expected a closing ')");
      t.kind = Tok::kString;
      t.text = std::move(text);
      i = j;
    } else if (c == '(') {
      t.kind = Tok::kLParen;
      ++i;
    } else if (c == ')') {
      t.kind = Tok::kRParen;
      ++i;
    } else if (c == ',') {
      t.kind = Tok::kComma;
      ++i;
    } else {
      static constexpr std::string_view kTwo[] = {"<=", ">=", "!=", "<>", "=="};
      bool two = false;
      for (std::string_view op : kTwo) {
        if (s.substr(i, 2) == op) {
          t.kind = Tok::kOp;
          t.text = std::string(op == "<>" ? "!=" : op == "==" ? "=" : op);
          i += 2;
          two = true;
          break;
        }
      }
      if (!two) {
        if (c == '<' || c == '>' || c == '=' || c == '+' || c == '-') {
          t.kind = Tok::kOp;
          t.text = std::string(1, static_cast<char>(c));
          ++i;
        } else if (c == '"') {
          return ErrAt(col, "unexpected '\"' (text literals use single quotes: 'text')");
        } else {
          std::string shown = (c >= 0x20 && c < 0x7f) ? std::string(1, static_cast<char>(c))
                                                        : "\\x" + [&] {
                                                            char b[3];
                                                            std::snprintf(b, sizeof b, "%02X", c);
                                                            return std::string(b);
                                                          }();
          return ErrAt(col, "unexpected character '" + shown + "'");
        }
      }
    }
    out.push_back(std::move(t));
  }
  Token end;
  end.kind = Tok::kEnd;
  end.column = static_cast<int>(s.size()) + 1;
  out.push_back(end);
  return out;
}

bool IsKeyword(std::string_view w) {
  static constexpr std::string_view kKeywords[] = {"and",  "or",      "not",   "if",    "then", "between",
                                                   "in",   "is",      "empty", "true",  "false", "matches", "else"};
  for (std::string_view k : kKeywords) {
    if (k == w) return true;
  }
  return false;
}

// ---------------------------------------------------------------- parser

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : toks_(std::move(toks)) {}

  Result<std::unique_ptr<Expr>> ParseAll() {
    DAS_ASSIGN_OR_RETURN(auto e, ParseExpr());
    if (Peek().kind != Tok::kEnd) {
      return ErrAt(Peek().column, "expected an operator, 'and', 'or' or end of expression, found " + Describe(Peek()));
    }
    return e;
  }

 private:
  const Token& Peek() const { return toks_[pos_]; }
  const Token& Next() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  bool IsWord(std::string_view w) const { return Peek().kind == Tok::kIdent && Peek().text == w; }
  bool IsWordAt(std::size_t k, std::string_view w) const {
    return pos_ + k < toks_.size() && toks_[pos_ + k].kind == Tok::kIdent && toks_[pos_ + k].text == w;
  }
  bool IsOp(std::string_view op) const { return Peek().kind == Tok::kOp && Peek().text == op; }

  Status Expect(std::string_view word) {
    if (!IsWord(word)) return ErrAt(Peek().column, "expected '" + std::string(word) + "', found " + Describe(Peek()));
    Next();
    return Status::Ok();
  }

  struct DepthGuard {
    explicit DepthGuard(int* d) : d_(d) { ++*d_; }
    ~DepthGuard() { --*d_; }
    int* d_;
  };
  Status CheckDepth() const {
    if (depth_ > kMaxExpressionDepth) {
      return ErrAt(Peek().column, "expression nested too deeply (more than " +
                                      std::to_string(kMaxExpressionDepth) + " levels)");
    }
    return Status::Ok();
  }

  static std::unique_ptr<Expr> Make(Op op, int column) {
    auto e = std::make_unique<Expr>();
    e->op = op;
    e->column = column;
    return e;
  }

  Result<std::unique_ptr<Expr>> ParseExpr() {
    DepthGuard g(&depth_);
    DAS_RETURN_IF_ERROR(CheckDepth());
    if (IsWord("if")) {
      int col = Next().column;
      DAS_ASSIGN_OR_RETURN(auto cond, ParseExpr());
      DAS_RETURN_IF_ERROR(Expect("then"));
      DAS_ASSIGN_OR_RETURN(auto then, ParseOr());
      auto e = Make(Op::kIf, col);
      e->args.push_back(std::move(cond));
      e->args.push_back(std::move(then));
      if (IsWord("else")) {
        Next();
        DAS_ASSIGN_OR_RETURN(auto otherwise, ParseExpr());
        e->args.push_back(std::move(otherwise));
      }
      return e;
    }
    return ParseOr();
  }

  Result<std::unique_ptr<Expr>> ParseOr() {
    DAS_ASSIGN_OR_RETURN(auto left, ParseAnd());
    while (IsWord("or")) {
      int col = Next().column;
      DAS_ASSIGN_OR_RETURN(auto right, ParseAnd());
      auto e = Make(Op::kOr, col);
      e->args.push_back(std::move(left));
      e->args.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  Result<std::unique_ptr<Expr>> ParseAnd() {
    DAS_ASSIGN_OR_RETURN(auto left, ParseNot());
    while (IsWord("and")) {
      int col = Next().column;
      DAS_ASSIGN_OR_RETURN(auto right, ParseNot());
      auto e = Make(Op::kAnd, col);
      e->args.push_back(std::move(left));
      e->args.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  Result<std::unique_ptr<Expr>> ParseNot() {
    DepthGuard g(&depth_);
    DAS_RETURN_IF_ERROR(CheckDepth());
    if (IsWord("not")) {
      int col = Next().column;
      DAS_ASSIGN_OR_RETURN(auto inner, ParseNot());
      auto e = Make(Op::kNot, col);
      e->args.push_back(std::move(inner));
      return e;
    }
    return ParsePredicate();
  }

  Result<std::unique_ptr<Expr>> ParsePredicate() {
    DAS_ASSIGN_OR_RETURN(auto left, ParseAdditive());
    static constexpr std::pair<std::string_view, Op> kCmp[] = {{"=", Op::kEq}, {"!=", Op::kNe}, {"<", Op::kLt},
                                                               {"<=", Op::kLe}, {">", Op::kGt}, {">=", Op::kGe}};
    for (const auto& [text, op] : kCmp) {
      if (IsOp(text)) {
        int col = Next().column;
        DAS_ASSIGN_OR_RETURN(auto right, ParseAdditive());
        auto e = Make(op, col);
        e->args.push_back(std::move(left));
        e->args.push_back(std::move(right));
        return e;
      }
    }
    bool negated = false;
    int not_col = Peek().column;
    if (IsWord("not") && (IsWordAt(1, "between") || IsWordAt(1, "in") || IsWordAt(1, "matches"))) {
      Next();
      negated = true;
    }
    if (IsWord("between")) {
      int col = negated ? not_col : Next().column;
      if (negated) Next();
      DAS_ASSIGN_OR_RETURN(auto lo, ParseAdditive());
      DAS_RETURN_IF_ERROR(Expect("and"));
      DAS_ASSIGN_OR_RETURN(auto hi, ParseAdditive());
      auto e = Make(Op::kBetween, col);
      e->negated = negated;
      e->args.push_back(std::move(left));
      e->args.push_back(std::move(lo));
      e->args.push_back(std::move(hi));
      return e;
    }
    if (IsWord("in")) {
      int col = negated ? not_col : Next().column;
      if (negated) Next();
      if (Peek().kind != Tok::kLParen) return ErrAt(Peek().column, "expected '(' after 'in', found " + Describe(Peek()));
      Next();
      auto e = Make(Op::kIn, col);
      e->negated = negated;
      e->args.push_back(std::move(left));
      while (true) {
        DAS_ASSIGN_OR_RETURN(auto item, ParseLiteral());
        e->args.push_back(std::move(item));
        if (Peek().kind == Tok::kComma) {
          Next();
          continue;
        }
        if (Peek().kind == Tok::kRParen) {
          Next();
          break;
        }
        return ErrAt(Peek().column, "expected ',' or ')' in the list, found " + Describe(Peek()));
      }
      return e;
    }
    if (IsWord("matches")) {
      int col = negated ? not_col : Next().column;
      if (negated) Next();
      if (Peek().kind != Tok::kString) {
        return ErrAt(Peek().column, "expected a pattern in quotes after 'matches', found " + Describe(Peek()));
      }
      const Token& p = Next();
      Status ps = ValidatePicture(p.text);
      if (!ps.ok()) return ErrAt(p.column, ps.message());
      auto e = Make(Op::kMatches, col);
      e->negated = negated;
      e->name = p.text;
      e->args.push_back(std::move(left));
      return e;
    }
    if (IsWord("is")) {
      int col = Next().column;
      bool neg = false;
      if (IsWord("not")) {
        Next();
        neg = true;
      }
      DAS_RETURN_IF_ERROR(Expect("empty"));
      auto e = Make(Op::kIsEmpty, col);
      e->negated = neg;
      e->args.push_back(std::move(left));
      return e;
    }
    return left;
  }

  Result<std::unique_ptr<Expr>> ParseAdditive() {
    DAS_ASSIGN_OR_RETURN(auto left, ParseUnary());
    while (IsOp("+") || IsOp("-")) {
      const Token& t = Next();
      auto e = Make(t.text == "+" ? Op::kAdd : Op::kSub, t.column);
      DAS_ASSIGN_OR_RETURN(auto right, ParseUnary());
      e->args.push_back(std::move(left));
      e->args.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  Result<std::unique_ptr<Expr>> ParseUnary() {
    DepthGuard g(&depth_);
    DAS_RETURN_IF_ERROR(CheckDepth());
    if (IsOp("-")) {
      int col = Next().column;
      DAS_ASSIGN_OR_RETURN(auto inner, ParseUnary());
      auto e = Make(Op::kNeg, col);
      e->args.push_back(std::move(inner));
      return e;
    }
    return ParsePrimary();
  }

  Result<std::unique_ptr<Expr>> ParseLiteral() {
    const Token& t = Peek();
    bool neg = false;
    int col = t.column;
    if (IsOp("-")) {
      Next();
      neg = true;
      if (Peek().kind != Tok::kNumber) return ErrAt(Peek().column, "expected a number after '-', found " + Describe(Peek()));
    }
    const Token& v = Peek();
    if (v.kind == Tok::kNumber || v.kind == Tok::kString || (v.kind == Tok::kIdent && (v.text == "true" || v.text == "false"))) {
      DAS_ASSIGN_OR_RETURN(auto e, ParsePrimary());
      e->column = col;
      if (neg) {
        if (e->literal.type() == ValueType::kInteger) e->literal = Value::Integer(-e->literal.as_integer());
        else e->literal = Value::Decimal(-e->literal.as_decimal());
      }
      return e;
    }
    return ErrAt(v.column, "expected a literal (number, 'text', true or false), found " + Describe(v));
  }

  Result<std::unique_ptr<Expr>> ParsePrimary() {
    const Token& t = Peek();
    if (t.kind == Tok::kNumber) {
      Next();
      auto e = Make(Op::kLiteral, t.column);
      if (t.text.find('.') != std::string::npos) {
        double d = 0;
        auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), d);
        if (ec != std::errc() || p != t.text.data() + t.text.size() || !std::isfinite(d)) {
          return ErrAt(t.column, "number " + t.text + " out of range");
        }
        e->literal = Value::Decimal(d);
      } else {
        std::int64_t i = 0;
        auto [p, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), i);
        if (ec != std::errc() || p != t.text.data() + t.text.size()) {
          return ErrAt(t.column, "number " + t.text.substr(0, 30) + " out of range");
        }
        e->literal = Value::Integer(i);
      }
      return e;
    }
    if (t.kind == Tok::kString) {
      Next();
      auto e = Make(Op::kLiteral, t.column);
      e->literal = Value::String(t.text);
      return e;
    }
    if (t.kind == Tok::kLParen) {
      Next();
      DAS_ASSIGN_OR_RETURN(auto inner, ParseExpr());
      if (Peek().kind != Tok::kRParen) return ErrAt(Peek().column, "expected ')', found " + Describe(Peek()));
      Next();
      return inner;
    }
    if (t.kind == Tok::kIdent) {
      if (t.text == "true" || t.text == "false") {
        Next();
        auto e = Make(Op::kLiteral, t.column);
        e->literal = Value::Bool(t.text == "true");
        return e;
      }
      if (IsKeyword(t.text)) {
        return ErrAt(t.column, "expected a value (field, number, 'text', true, false or '('), found keyword '" +
                                   t.text + "'");
      }
      Token name = Next();
      if (Peek().kind == Tok::kLParen) {
        Next();
        auto e = Make(Op::kCall, name.column);
        e->name = name.text;
        if (Peek().kind == Tok::kRParen) {
          Next();
          return e;
        }
        while (true) {
          DAS_ASSIGN_OR_RETURN(auto arg, ParseExpr());
          e->args.push_back(std::move(arg));
          if (Peek().kind == Tok::kComma) {
            Next();
            continue;
          }
          if (Peek().kind == Tok::kRParen) {
            Next();
            break;
          }
          return ErrAt(Peek().column, "expected ',' or ')' after a function argument, found " + Describe(Peek()));
        }
        return e;
      }
      auto e = Make(Op::kField, name.column);
      e->name = name.text;
      return e;
    }
    return ErrAt(t.column, "expected a value (field, number, 'text', true, false or '('), found " + Describe(t));
  }

  std::vector<Token> toks_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

Result<std::unique_ptr<Expr>> ParseExpression(std::string_view text) {
  if (text.size() > kMaxExpressionLength) {
    return Status::ParseError("expression too long (" + std::to_string(text.size()) + " characters, at most " +
                              std::to_string(kMaxExpressionLength) + ")");
  }
  DAS_ASSIGN_OR_RETURN(std::vector<Token> toks, Lex(text));
  if (toks.size() == 1) return ErrAt(1, "empty expression");
  Parser p(std::move(toks));
  return p.ParseAll();
}

// ---------------------------------------------------------------- printing

namespace {
std::string_view OpText(Op op) {
  switch (op) {
    case Op::kAnd: return "and";
    case Op::kOr: return "or";
    case Op::kEq: return "=";
    case Op::kNe: return "!=";
    case Op::kLt: return "<";
    case Op::kLe: return "<=";
    case Op::kGt: return ">";
    case Op::kGe: return ">=";
    case Op::kAdd: return "+";
    case Op::kSub: return "-";
    default: return "?";
  }
}
}  // namespace

std::string ExprToString(const Expr& e) {
  switch (e.op) {
    case Op::kLiteral: return e.literal.ToString();
    case Op::kField: return e.name;
    case Op::kCall: {
      std::string s = e.name + "(";
      for (std::size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + ExprToString(*e.args[i]);
      return s + ")";
    }
    case Op::kNot: return "(not " + ExprToString(*e.args[0]) + ")";
    case Op::kNeg: return "(-" + ExprToString(*e.args[0]) + ")";
    case Op::kIf:
      return "(if " + ExprToString(*e.args[0]) + " then " + ExprToString(*e.args[1]) +
             (e.args.size() == 3 ? " else " + ExprToString(*e.args[2]) : std::string()) + ")";
    case Op::kBetween:
      return "(" + ExprToString(*e.args[0]) + (e.negated ? " not between " : " between ") +
             ExprToString(*e.args[1]) + " and " + ExprToString(*e.args[2]) + ")";
    case Op::kIn: {
      std::string s = "(" + ExprToString(*e.args[0]) + (e.negated ? " not in (" : " in (");
      for (std::size_t i = 1; i < e.args.size(); ++i) s += (i > 1 ? ", " : "") + ExprToString(*e.args[i]);
      return s + "))";
    }
    case Op::kIsEmpty: return "(" + ExprToString(*e.args[0]) + (e.negated ? " is not empty)" : " is empty)");
    case Op::kMatches:
      return "(" + ExprToString(*e.args[0]) + (e.negated ? " not matches '" : " matches '") + e.name + "')";
    default:
      return "(" + ExprToString(*e.args[0]) + " " + std::string(OpText(e.op)) + " " + ExprToString(*e.args[1]) + ")";
  }
}

// ---------------------------------------------------------------- binding

namespace {

enum RowFunction : int { kDaysBetween = 0, kYearsBetween, kYear, kLength };
constexpr int kFileFunctionBase = 100;

bool IsNumeric(ValueType t) { return t == ValueType::kInteger || t == ValueType::kDecimal; }

Status TypeErr(const Expr& e, const std::string& msg) {
  return Status::InvalidArgument("column " + std::to_string(e.column) + ": " + msg);
}

// Converts a text literal compared with a date into a date literal ('2023-01-01').
Status CoerceToDate(Expr& lit) {
  if (lit.op != Op::kLiteral || lit.literal.type() != ValueType::kString) return Status::Ok();
  auto d = ParseDate(lit.literal.as_string(), DateFormat::kIso);
  if (!d.ok()) return TypeErr(lit, "text '" + lit.literal.as_string() + "' compared with a date is not an ISO date (yyyy-mm-dd)");
  lit.literal = Value::FromDate(*d);
  lit.type = ValueType::kDate;
  return Status::Ok();
}

// Makes a and b comparable (coercing text literals to dates); error if they are not.
Status Comparable(Expr& a, Expr& b, const Expr& at) {
  if (a.type == ValueType::kDate && b.type == ValueType::kString) DAS_RETURN_IF_ERROR(CoerceToDate(b));
  if (b.type == ValueType::kDate && a.type == ValueType::kString) DAS_RETURN_IF_ERROR(CoerceToDate(a));
  if (a.type == b.type || (IsNumeric(a.type) && IsNumeric(b.type))) return Status::Ok();
  return TypeErr(at, "cannot compare " + std::string(ValueTypeName(a.type)) + " with " +
                         std::string(ValueTypeName(b.type)));
}

bool IsEmptyText(const Expr& e) {
  return e.op == Op::kLiteral && e.literal.type() == ValueType::kString && e.literal.as_string().empty();
}

Status BindImpl(Expr& e, const Scope& scope) {
  switch (e.op) {
    case Op::kLiteral:
      e.type = e.literal.type();
      return Status::Ok();
    case Op::kField: {
      for (std::size_t i = 0; i < scope.names.size(); ++i) {
        if (scope.names[i].first == e.name) {
          e.slot = static_cast<int>(i);
          e.type = scope.names[i].second;
          return Status::Ok();
        }
      }
      std::string known;
      for (std::size_t i = 0; i < scope.names.size() && i < 40; ++i) known += (i ? ", " : "") + scope.names[i].first;
      return TypeErr(e, std::string(scope.file_level ? "unknown file metric '" : "unknown field '") + e.name +
                            "' (known: " + known + ")");
    }
    case Op::kCall: {
      auto arity = [&](std::size_t n) -> Status {
        if (e.args.size() != n) {
          return TypeErr(e, e.name + "() takes " + std::to_string(n) + " argument" + (n == 1 ? "" : "s") + ", found " +
                                std::to_string(e.args.size()));
        }
        return Status::Ok();
      };
      if (scope.file_level) {
        auto field_arg = [&](Expr& a) -> Status {
          if (a.op != Op::kField) return TypeErr(a, "expected a field name as argument of " + e.name + "()");
          for (std::size_t i = 0; i < scope.row_fields.size(); ++i) {
            if (scope.row_fields[i] == a.name) {
              e.slot = static_cast<int>(i);
              return Status::Ok();
            }
          }
          return TypeErr(a, "unknown field '" + a.name + "'");
        };
        auto text_arg = [&](Expr& a, std::string_view what) -> Status {
          if (a.op != Op::kLiteral || a.literal.type() != ValueType::kString) {
            return TypeErr(a, "expected " + std::string(what) + " in quotes as argument of " + e.name + "()");
          }
          return Status::Ok();
        };
        e.type = ValueType::kDecimal;
        if (e.name == "missing_rate" || e.name == "invalid_rate") {
          DAS_RETURN_IF_ERROR(arity(1));
          e.function = kFileFunctionBase + static_cast<int>(e.name == "missing_rate" ? FileFunction::kMissingRate : FileFunction::kInvalidRate);
          return field_arg(*e.args[0]);
        }
        if (e.name == "rule_rate") {
          DAS_RETURN_IF_ERROR(arity(1));
          DAS_RETURN_IF_ERROR(text_arg(*e.args[0], "a rule id"));
          const std::string& id = e.args[0]->literal.as_string();
          bool known = false;
          for (const auto& r : scope.rule_ids) known = known || r == id;
          if (!known) return TypeErr(*e.args[0], "unknown rule id '" + id + "'");
          e.function = kFileFunctionBase + static_cast<int>(FileFunction::kRuleRate);
          return Status::Ok();
        }
        if (e.name == "reference_rate") {
          DAS_RETURN_IF_ERROR(arity(2));
          DAS_RETURN_IF_ERROR(text_arg(*e.args[1], "a target 'contract.field'"));
          const std::string& target = e.args[1]->literal.as_string();
          auto dot = target.find('.');
          if (dot == std::string::npos || dot == 0 || dot + 1 == target.size()) {
            return TypeErr(*e.args[1], "reference target '" + target + "' is not of the form 'contract.field'");
          }
          e.function = kFileFunctionBase + static_cast<int>(FileFunction::kReferenceRate);
          return field_arg(*e.args[0]);
        }
        return TypeErr(e, "unknown function '" + e.name +
                              "' (file rules know missing_rate, invalid_rate, rule_rate, reference_rate)");
      }
      for (auto& a : e.args) DAS_RETURN_IF_ERROR(BindImpl(*a, scope));
      auto want = [&](std::size_t i, ValueType t) -> Status {
        if (e.args[i]->type == ValueType::kString && t == ValueType::kDate) return CoerceToDate(*e.args[i]);
        if (e.args[i]->type != t) {
          return TypeErr(*e.args[i], e.name + "() expects a " + std::string(ValueTypeName(t)) + " as argument " +
                                         std::to_string(i + 1) + ", found " +
                                         std::string(ValueTypeName(e.args[i]->type)));
        }
        return Status::Ok();
      };
      if (e.name == "days_between" || e.name == "years_between") {
        DAS_RETURN_IF_ERROR(arity(2));
        DAS_RETURN_IF_ERROR(want(0, ValueType::kDate));
        DAS_RETURN_IF_ERROR(want(1, ValueType::kDate));
        e.function = e.name == "days_between" ? kDaysBetween : kYearsBetween;
        e.type = ValueType::kInteger;
        return Status::Ok();
      }
      if (e.name == "year") {
        DAS_RETURN_IF_ERROR(arity(1));
        DAS_RETURN_IF_ERROR(want(0, ValueType::kDate));
        e.function = kYear;
        e.type = ValueType::kInteger;
        return Status::Ok();
      }
      if (e.name == "length") {
        DAS_RETURN_IF_ERROR(arity(1));
        DAS_RETURN_IF_ERROR(want(0, ValueType::kString));
        e.function = kLength;
        e.type = ValueType::kInteger;
        return Status::Ok();
      }
      return TypeErr(e, "unknown function '" + e.name + "' (known: days_between, years_between, year, length)");
    }
    case Op::kNot:
    case Op::kAnd:
    case Op::kOr:
    case Op::kIf: {
      for (auto& a : e.args) {
        DAS_RETURN_IF_ERROR(BindImpl(*a, scope));
        if (a->type != ValueType::kBool) {
          std::string what = e.op == Op::kNot ? "'not'" : e.op == Op::kAnd ? "'and'" : e.op == Op::kOr ? "'or'" : "'if'";
          return TypeErr(*a, what + " needs a condition, found a " + std::string(ValueTypeName(a->type)) + " value");
        }
      }
      e.type = ValueType::kBool;
      return Status::Ok();
    }
    case Op::kNeg: {
      DAS_RETURN_IF_ERROR(BindImpl(*e.args[0], scope));
      if (!IsNumeric(e.args[0]->type)) return TypeErr(e, "'-' needs a number, found " + std::string(ValueTypeName(e.args[0]->type)));
      e.type = e.args[0]->type;
      return Status::Ok();
    }
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      // x = '' / x != '' mean x is empty / x is not empty, whatever the type of x.
      if ((e.op == Op::kEq || e.op == Op::kNe) && (IsEmptyText(*e.args[0]) || IsEmptyText(*e.args[1]))) {
        std::size_t keep = IsEmptyText(*e.args[1]) ? 0 : 1;
        auto x = std::move(e.args[keep]);
        e.negated = e.op == Op::kNe;
        e.op = Op::kIsEmpty;
        e.args.clear();
        e.args.push_back(std::move(x));
        return BindImpl(e, scope);
      }
      DAS_RETURN_IF_ERROR(BindImpl(*e.args[0], scope));
      DAS_RETURN_IF_ERROR(BindImpl(*e.args[1], scope));
      DAS_RETURN_IF_ERROR(Comparable(*e.args[0], *e.args[1], e));
      if (e.args[0]->type == ValueType::kBool && e.op != Op::kEq && e.op != Op::kNe) {
        return TypeErr(e, "booleans can only be compared with = or !=");
      }
      e.type = ValueType::kBool;
      return Status::Ok();
    }
    case Op::kAdd:
    case Op::kSub: {
      DAS_RETURN_IF_ERROR(BindImpl(*e.args[0], scope));
      DAS_RETURN_IF_ERROR(BindImpl(*e.args[1], scope));
      ValueType a = e.args[0]->type, b = e.args[1]->type;
      if (a == ValueType::kInteger && b == ValueType::kInteger) e.type = ValueType::kInteger;
      else if (IsNumeric(a) && IsNumeric(b)) e.type = ValueType::kDecimal;
      else if (a == ValueType::kDate && b == ValueType::kInteger) e.type = ValueType::kDate;
      else if (e.op == Op::kSub && a == ValueType::kDate && b == ValueType::kDate) e.type = ValueType::kInteger;
      else {
        return TypeErr(e, std::string("cannot ") + (e.op == Op::kAdd ? "add " : "subtract ") +
                              std::string(ValueTypeName(b)) + (e.op == Op::kAdd ? " to " : " from ") +
                              std::string(ValueTypeName(a)));
      }
      return Status::Ok();
    }
    case Op::kBetween: {
      for (auto& a : e.args) DAS_RETURN_IF_ERROR(BindImpl(*a, scope));
      DAS_RETURN_IF_ERROR(Comparable(*e.args[0], *e.args[1], e));
      DAS_RETURN_IF_ERROR(Comparable(*e.args[0], *e.args[2], e));
      if (e.args[0]->type == ValueType::kBool) return TypeErr(e, "'between' needs ordered values, found boolean");
      e.type = ValueType::kBool;
      return Status::Ok();
    }
    case Op::kIn: {
      for (auto& a : e.args) DAS_RETURN_IF_ERROR(BindImpl(*a, scope));
      for (std::size_t i = 1; i < e.args.size(); ++i) DAS_RETURN_IF_ERROR(Comparable(*e.args[0], *e.args[i], *e.args[i]));
      e.type = ValueType::kBool;
      return Status::Ok();
    }
    case Op::kIsEmpty:
      DAS_RETURN_IF_ERROR(BindImpl(*e.args[0], scope));
      e.type = ValueType::kBool;
      return Status::Ok();
    case Op::kMatches:
      DAS_RETURN_IF_ERROR(BindImpl(*e.args[0], scope));
      if (e.args[0]->type != ValueType::kString) {
        return TypeErr(e, "'matches' needs a text value, found " + std::string(ValueTypeName(e.args[0]->type)));
      }
      e.type = ValueType::kBool;
      return Status::Ok();
  }
  return TypeErr(e, "internal: unknown operator");
}

}  // namespace

Status Bind(Expr& e, const Scope& scope) {
  DAS_RETURN_IF_ERROR(BindImpl(e, scope));
  if (e.type != ValueType::kBool) {
    return TypeErr(e, "a rule must be a condition (true or false), found a " + std::string(ValueTypeName(e.type)) + " value");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- evaluation

namespace {

// -1, 0, 1; values are non-null and comparable (checked by Bind).
int Compare(const Value& a, const Value& b) {
  if (a.type() == ValueType::kInteger && b.type() == ValueType::kInteger) {
    return a.as_integer() < b.as_integer() ? -1 : a.as_integer() > b.as_integer() ? 1 : 0;
  }
  if ((a.type() == ValueType::kInteger || a.type() == ValueType::kDecimal) &&
      (b.type() == ValueType::kInteger || b.type() == ValueType::kDecimal)) {
    double x = a.as_number(), y = b.as_number();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.type() == ValueType::kDate && b.type() == ValueType::kDate) {
    return a.as_date() < b.as_date() ? -1 : a.as_date() > b.as_date() ? 1 : 0;
  }
  if (a.type() == ValueType::kString && b.type() == ValueType::kString) {
    int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.type() == ValueType::kBool && b.type() == ValueType::kBool) return int(a.as_bool()) - int(b.as_bool());
  return 2;  // incomparable: only after a binding bug; treated as unknown
}

int YearsBetween(Date from, Date to) {
  Ymd a = from.ToYmd(), b = to.ToYmd();
  int years = b.year - a.year;
  if (b.month < a.month || (b.month == a.month && b.day < a.day)) --years;
  return years;
}

}  // namespace

Value Evaluate(const Expr& e, std::span<const Value> values, const FileMetricSource* file) {
  switch (e.op) {
    case Op::kLiteral: return e.literal;
    case Op::kField:
      if (e.slot < 0 || static_cast<std::size_t>(e.slot) >= values.size()) return Value();
      return values[e.slot];
    case Op::kCall: {
      if (e.function >= kFileFunctionBase) {
        if (file == nullptr) return Value();
        auto fn = static_cast<FileFunction>(e.function - kFileFunctionBase);
        std::string text;
        if (fn == FileFunction::kRuleRate) text = e.args[0]->literal.as_string();
        if (fn == FileFunction::kReferenceRate) text = e.args[1]->literal.as_string();
        return file->Call(fn, fn == FileFunction::kRuleRate ? -1 : e.slot, text);
      }
      std::vector<Value> args;
      args.reserve(e.args.size());
      for (const auto& a : e.args) {
        args.push_back(Evaluate(*a, values, file));
        if (args.back().is_null()) return Value();
      }
      switch (e.function) {
        case kDaysBetween: return Value::Integer(args[1].as_date() - args[0].as_date());
        case kYearsBetween: return Value::Integer(YearsBetween(args[0].as_date(), args[1].as_date()));
        case kYear: return Value::Integer(args[0].as_date().year());
        case kLength: {
          std::int64_t n = 0;  // UTF-8 code points
          for (unsigned char c : args[0].as_string()) n += (c & 0xC0) != 0x80;
          return Value::Integer(n);
        }
        default: return Value();
      }
    }
    case Op::kNot: {
      Value v = Evaluate(*e.args[0], values, file);
      return v.is_null() ? v : Value::Bool(!v.as_bool());
    }
    case Op::kAnd: {
      Value a = Evaluate(*e.args[0], values, file);
      if (!a.is_null() && !a.as_bool()) return Value::Bool(false);
      Value b = Evaluate(*e.args[1], values, file);
      if (!b.is_null() && !b.as_bool()) return Value::Bool(false);
      if (a.is_null() || b.is_null()) return Value();
      return Value::Bool(true);
    }
    case Op::kOr: {
      Value a = Evaluate(*e.args[0], values, file);
      if (!a.is_null() && a.as_bool()) return Value::Bool(true);
      Value b = Evaluate(*e.args[1], values, file);
      if (!b.is_null() && b.as_bool()) return Value::Bool(true);
      if (a.is_null() || b.is_null()) return Value();
      return Value::Bool(false);
    }
    case Op::kIf: {
      if (e.args.size() == 3) {  // if c then t else f; unknown c: known only if both branches agree
        Value c = Evaluate(*e.args[0], values, file);
        if (!c.is_null()) return Evaluate(*e.args[c.as_bool() ? 1 : 2], values, file);
        Value t = Evaluate(*e.args[1], values, file);
        Value f = Evaluate(*e.args[2], values, file);
        if (!t.is_null() && t == f) return t;
        return Value();
      }
      // if c then t  ==  not c or t
      Value c = Evaluate(*e.args[0], values, file);
      if (!c.is_null() && !c.as_bool()) return Value::Bool(true);
      Value t = Evaluate(*e.args[1], values, file);
      if (!t.is_null() && t.as_bool()) return Value::Bool(true);
      if (c.is_null() || t.is_null()) return Value();
      return Value::Bool(false);
    }
    case Op::kNeg: {
      Value v = Evaluate(*e.args[0], values, file);
      if (v.is_null()) return v;
      if (v.type() == ValueType::kInteger) return Value::Integer(-v.as_integer());
      return Value::Decimal(-v.as_decimal());
    }
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe: {
      Value a = Evaluate(*e.args[0], values, file);
      Value b = Evaluate(*e.args[1], values, file);
      if (a.is_null() || b.is_null()) return Value();
      int c = Compare(a, b);
      if (c == 2) return Value();
      switch (e.op) {
        case Op::kEq: return Value::Bool(c == 0);
        case Op::kNe: return Value::Bool(c != 0);
        case Op::kLt: return Value::Bool(c < 0);
        case Op::kLe: return Value::Bool(c <= 0);
        case Op::kGt: return Value::Bool(c > 0);
        default: return Value::Bool(c >= 0);
      }
    }
    case Op::kAdd:
    case Op::kSub: {
      Value a = Evaluate(*e.args[0], values, file);
      Value b = Evaluate(*e.args[1], values, file);
      if (a.is_null() || b.is_null()) return Value();
      bool sub = e.op == Op::kSub;
      if (a.type() == ValueType::kDate && b.type() == ValueType::kDate) return Value::Integer(a.as_date() - b.as_date());
      if (a.type() == ValueType::kDate) {
        std::int64_t n = b.as_integer();
        std::int64_t d = static_cast<std::int64_t>(a.as_date().days()) + (sub ? -n : n);
        if (d < -3000000 || d > 3000000) return Value();  // outside the calendar DAS handles
        return Value::FromDate(Date(static_cast<std::int32_t>(d)));
      }
      if (a.type() == ValueType::kInteger && b.type() == ValueType::kInteger) {
        std::int64_t r = 0;
        bool overflow = sub ? __builtin_sub_overflow(a.as_integer(), b.as_integer(), &r)
                            : __builtin_add_overflow(a.as_integer(), b.as_integer(), &r);
        if (overflow) return Value();
        return Value::Integer(r);
      }
      return Value::Decimal(sub ? a.as_number() - b.as_number() : a.as_number() + b.as_number());
    }
    case Op::kBetween: {
      Value x = Evaluate(*e.args[0], values, file);
      Value lo = Evaluate(*e.args[1], values, file);
      Value hi = Evaluate(*e.args[2], values, file);
      if (x.is_null() || lo.is_null() || hi.is_null()) return Value();
      int c1 = Compare(x, lo), c2 = Compare(x, hi);
      if (c1 == 2 || c2 == 2) return Value();
      bool in = c1 >= 0 && c2 <= 0;
      return Value::Bool(in != e.negated);
    }
    case Op::kIn: {
      Value x = Evaluate(*e.args[0], values, file);
      if (x.is_null()) return x;
      bool found = false;
      for (std::size_t i = 1; i < e.args.size() && !found; ++i) found = Compare(x, e.args[i]->literal) == 0;
      return Value::Bool(found != e.negated);
    }
    case Op::kIsEmpty: {
      Value x = Evaluate(*e.args[0], values, file);
      return Value::Bool(x.is_null() != e.negated);
    }
    case Op::kMatches: {
      Value x = Evaluate(*e.args[0], values, file);
      if (x.is_null()) return x;
      return Value::Bool(MatchPicture(e.name, x.as_string()) != e.negated);
    }
  }
  return Value();
}

// ---------------------------------------------------------------- picture patterns

Status ValidatePicture(std::string_view pattern) {
  if (pattern.empty()) return Status::InvalidArgument("empty pattern");
  if (pattern.size() > 256) return Status::InvalidArgument("pattern longer than 256 characters");
  if (pattern.back() == '\\' ) {
    std::size_t n = 0;
    for (std::size_t i = pattern.size(); i > 0 && pattern[i - 1] == '\\'; --i) ++n;
    if (n % 2 == 1) return Status::InvalidArgument("pattern '" + std::string(pattern) + "' ends with a lone '\\'");
  }
  return Status::Ok();
}

bool MatchPicture(std::string_view pattern, std::string_view text) {
  std::size_t t = 0;
  for (std::size_t p = 0; p < pattern.size(); ++p, ++t) {
    if (t >= text.size()) return false;
    unsigned char c = static_cast<unsigned char>(text[t]);
    char pc = pattern[p];
    if (pc == '\\') {
      if (++p >= pattern.size() || pattern[p] != text[t]) return false;
    } else if (pc == '#') {
      if (c < '0' || c > '9') return false;
    } else if (pc == '@') {
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
    } else if (pc == '?') {
      // any one byte (patterns are for ASCII identifiers)
    } else if (pc != text[t]) {
      return false;
    }
  }
  return t == text.size();
}

ColumnType ToColumnType(ValueType type) {
  switch (type) {
    case ValueType::kBool: return ColumnType::kBool;
    case ValueType::kInteger: return ColumnType::kInt64;
    case ValueType::kDecimal: return ColumnType::kDouble;
    case ValueType::kDate: return ColumnType::kDate;
    default: return ColumnType::kString;
  }
}

}  // namespace das::contract
