#include "formula.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string_view>

#include <fast_float/fast_float.h>

namespace das::stats {
namespace {

// Survey indicators known to survey(rate=..., among=...) (see survey.cc).
constexpr std::string_view kSurveyIndicators[] = {
    "victim_any",      "victim_traditional", "victim_online",       "victim_property",
    "victim_vandalism", "victim_violence",   "victim_online_fraud", "victim_hacking",
    "victim_online_threat", "reported_to_police", "feels_unsafe"};

bool IsSurveyIndicator(std::string_view s) {
  return std::find(std::begin(kSurveyIndicators), std::end(kSurveyIndicators), s) != std::end(kSurveyIndicators);
}

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) { f_.text = text; }

  Result<Formula> Run() {
    SkipSpace();
    if (pos_ >= s_.size()) return Error(pos_, "empty formula");
    DAS_ASSIGN_OR_RETURN(int root, Expr());
    SkipSpace();
    if (pos_ < s_.size()) return Error(pos_, "unexpected " + Describe() + " after the end of the expression");
    f_.root = root;
    return std::move(f_);
  }

 private:
  Status Error(std::size_t at, const std::string& what) const {
    return Status::ParseError("column " + std::to_string(at + 1) + ": " + what);
  }
  void SkipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])) != 0) ++pos_;
  }
  std::string Describe() const {
    if (pos_ >= s_.size()) return "end of formula";
    return "'" + std::string(1, s_[pos_]) + "'";
  }
  bool Peek(char c) {
    SkipSpace();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  int Add(FormulaNode n) {
    f_.nodes.push_back(n);
    return static_cast<int>(f_.nodes.size() - 1);
  }

  Result<int> Expr() {
    DAS_ASSIGN_OR_RETURN(int lhs, Term());
    while (Peek('+') || Peek('-')) {
      const FormulaOp op = s_[pos_] == '+' ? FormulaOp::kAdd : FormulaOp::kSub;
      ++pos_;
      DAS_ASSIGN_OR_RETURN(int rhs, Term());
      lhs = Add({op, 0, -1, lhs, rhs});
    }
    return lhs;
  }

  Result<int> Term() {
    DAS_ASSIGN_OR_RETURN(int lhs, Factor());
    while (Peek('*') || Peek('/')) {
      const FormulaOp op = s_[pos_] == '*' ? FormulaOp::kMul : FormulaOp::kDiv;
      ++pos_;
      DAS_ASSIGN_OR_RETURN(int rhs, Factor());
      lhs = Add({op, 0, -1, lhs, rhs});
    }
    return lhs;
  }

  Result<int> Factor() {
    SkipSpace();
    if (pos_ >= s_.size()) return Error(pos_, "expected a number, '(' or a function call but found end of formula");
    const char c = s_[pos_];
    if (c == '-') {
      ++pos_;
      DAS_ASSIGN_OR_RETURN(int operand, Factor());
      return Add({FormulaOp::kNeg, 0, -1, operand, -1});
    }
    if (c == '(') {
      const std::size_t open = pos_;
      ++pos_;
      DAS_ASSIGN_OR_RETURN(int inner, Expr());
      if (!Peek(')')) return Error(pos_, "expected ')' to close '(' at column " + std::to_string(open + 1) +
                                          " but found " + Describe());
      ++pos_;
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.') {
      DAS_ASSIGN_OR_RETURN(double v, Number());
      return Add({FormulaOp::kNumber, v, -1, -1, -1});
    }
    if (IsNameStart(c)) return Call();
    return Error(pos_, "expected a number, '(' or a function call but found " + Describe());
  }

  Result<double> Number() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) != 0 || s_[pos_] == '.')) ++pos_;
    double v = 0;
    const auto r = fast_float::from_chars(s_.data() + start, s_.data() + pos_, v);
    if (r.ec != std::errc() || r.ptr != s_.data() + pos_) {
      return Error(start, "malformed number '" + s_.substr(start, pos_ - start) + "'");
    }
    return v;
  }

  std::string Name() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() && IsNameChar(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  Result<std::string> Value() {
    SkipSpace();
    if (pos_ >= s_.size()) return Error(pos_, "expected a value but found end of formula");
    const char c = s_[pos_];
    if (c == '\'' || c == '"') {
      const std::size_t open = pos_;
      const std::size_t close = s_.find(c, pos_ + 1);
      if (close == std::string::npos) return Error(open, "unterminated text value");
      pos_ = close + 1;
      return s_.substr(open + 1, close - open - 1);
    }
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      const std::size_t start = pos_;
      DAS_ASSIGN_OR_RETURN(double v, Number());
      (void)v;
      return s_.substr(start, pos_ - start);
    }
    if (IsNameStart(c)) return Name();
    return Error(pos_, "expected a value but found " + Describe());
  }

  Result<int> Call() {
    const std::size_t start = pos_;
    FormulaCall call;
    call.function = Name();
    call.column = static_cast<int>(start + 1);
    if (!Peek('(')) return Error(pos_, "expected '(' after '" + call.function + "' but found " + Describe());
    ++pos_;
    std::vector<std::size_t> arg_pos;
    if (!Peek(')')) {
      for (int i = 0;; ++i) {
        SkipSpace();
        const std::size_t at = pos_;
        if (pos_ >= s_.size() || !IsNameStart(s_[pos_])) {
          return Error(pos_, "expected an argument name but found " + Describe());
        }
        std::string key = Name();
        if (Peek('=')) {
          ++pos_;
          DAS_ASSIGN_OR_RETURN(std::string value, Value());
          for (const auto& [k, v] : call.args) {
            if (k == key) return Error(at, "argument '" + key + "' given twice");
          }
          call.args.emplace_back(key, value);
          arg_pos.push_back(at);
        } else if (i == 0) {
          call.source = key;
        } else {
          return Error(pos_, "expected '=' after argument '" + key + "' but found " + Describe());
        }
        if (Peek(',')) {
          ++pos_;
          continue;
        }
        if (Peek(')')) break;
        return Error(pos_, "expected ',' or ')' in the arguments of '" + call.function + "' but found " + Describe());
      }
    }
    ++pos_;  // ')'
    DAS_RETURN_IF_ERROR(Check(call, start, arg_pos));
    f_.calls.push_back(std::move(call));
    return Add({FormulaOp::kCall, 0, static_cast<int>(f_.calls.size() - 1), -1, -1});
  }

  Status Check(const FormulaCall& c, std::size_t at, const std::vector<std::size_t>& arg_pos) const {
    const std::string& fn = c.function;
    const bool tabular = fn == "count" || fn == "sum" || fn == "persons";
    if (!tabular && fn != "population" && fn != "survey") {
      return Error(at, "unknown function '" + fn + "' (expected count, sum, persons, population or survey)");
    }
    if (tabular) {
      if (c.source.empty()) return Error(at, fn + "() needs a source first: units, sanctions or executions");
      if (c.source != "units" && c.source != "sanctions" && c.source != "executions") {
        return Error(at, "unknown source '" + c.source + "' of " + fn + "() (expected units, sanctions or executions)");
      }
    } else if (!c.source.empty()) {
      return Error(at, fn + "() takes no source ('" + c.source + "')");
    }
    for (std::size_t i = 0; i < c.args.size(); ++i) {
      const auto& [k, v] = c.args[i];
      const std::size_t p = arg_pos[i];
      if (k == "by") {
        if (!tabular) return Error(p, "argument 'by' is not allowed in " + fn + "()");
        const bool stock_ok = fn == "count";
        if (v != "entry" && v != "exit" && !(stock_ok && v == "stock")) {
          return Error(p, std::string("by='") + v + "' in " + fn + "(): expected entry or exit" +
                              (stock_ok ? " or stock" : ""));
        }
        if (c.source == "sanctions" && v != "entry") {
          return Error(p, "sanctions have one date (the judgment date): only by=entry");
        }
      } else if (k == "field") {
        if (fn != "sum") return Error(p, "argument 'field' is only allowed in sum()");
      } else if (fn == "population") {
        if (k != "minor") return Error(p, "unknown argument '" + k + "' of population() (expected minor)");
        if (v != "true" && v != "false") return Error(p, "minor='" + v + "' in population(): expected true or false");
      } else if (fn == "survey") {
        if (k != "rate" && k != "among") {
          return Error(p, "unknown argument '" + k + "' of survey() (expected rate or among)");
        }
        if (!IsSurveyIndicator(v)) return Error(p, "unknown survey indicator '" + v + "'");
      } else if (v.empty()) {
        return Error(p, "empty filter value for '" + k + "'");
      }
    }
    if (fn == "sum" && c.Arg("field").empty()) return Error(at, "sum() needs field=<numeric column>");
    if (fn == "survey" && c.Arg("rate").empty()) return Error(at, "survey() needs rate=<indicator>");
    return Status::Ok();
  }

  const std::string& s_;
  std::size_t pos_ = 0;
  Formula f_;
};

}  // namespace

std::string FormulaCall::Arg(const std::string& key, const std::string& fallback) const {
  for (const auto& [k, v] : args) {
    if (k == key) return v;
  }
  return fallback;
}

std::string FormulaCall::Canonical() const {
  auto sorted = args;
  std::sort(sorted.begin(), sorted.end());
  std::string out = function + "(" + source;
  for (const auto& [k, v] : sorted) out += "," + k + "='" + v + "'";
  return out + ")";
}

double Formula::Evaluate(const std::vector<PrimitiveCell>& cells) const {
  // Nodes are created operands-first, so a node's operands have smaller indices: evaluate in index order.
  std::vector<double> v(nodes.size(), 0.0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const FormulaNode& n = nodes[i];
    const auto a = [&] { return v[static_cast<std::size_t>(n.lhs)]; };
    const auto b = [&] { return v[static_cast<std::size_t>(n.rhs)]; };
    switch (n.op) {
      case FormulaOp::kNumber: v[i] = n.number; break;
      case FormulaOp::kCall: v[i] = cells[static_cast<std::size_t>(n.call)].value; break;
      case FormulaOp::kAdd: v[i] = a() + b(); break;
      case FormulaOp::kSub: v[i] = a() - b(); break;
      case FormulaOp::kMul: v[i] = a() * b(); break;
      case FormulaOp::kDiv: v[i] = b() == 0 ? nan : a() / b(); break;
      case FormulaOp::kNeg: v[i] = -a(); break;
    }
  }
  return root < 0 ? nan : v[static_cast<std::size_t>(root)];
}

std::int64_t Formula::BasisN(const std::vector<PrimitiveCell>& cells) const {
  std::vector<std::int64_t> n(nodes.size(), -1);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const FormulaNode& nd = nodes[i];
    const std::int64_t a = nd.lhs >= 0 ? n[static_cast<std::size_t>(nd.lhs)] : -1;
    const std::int64_t b = nd.rhs >= 0 ? n[static_cast<std::size_t>(nd.rhs)] : -1;
    switch (nd.op) {
      case FormulaOp::kNumber: n[i] = -1; break;
      case FormulaOp::kCall: n[i] = cells[static_cast<std::size_t>(nd.call)].n; break;
      case FormulaOp::kAdd:
      case FormulaOp::kSub: n[i] = (a < 0 && b < 0) ? -1 : std::max<std::int64_t>(a, 0) + std::max<std::int64_t>(b, 0); break;
      case FormulaOp::kMul: n[i] = (a >= 0 && b >= 0) ? std::min(a, b) : std::max(a, b); break;
      case FormulaOp::kDiv: n[i] = b >= 0 ? b : a; break;
      case FormulaOp::kNeg: n[i] = a; break;
    }
  }
  return root < 0 ? -1 : n[static_cast<std::size_t>(root)];
}

Result<Formula> ParseFormula(const std::string& text) {
  Parser p(text);
  return p.Run();
}

}  // namespace das::stats
