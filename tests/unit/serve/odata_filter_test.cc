#include "das/serve/odata_filter.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace das::serve {
namespace {

std::string Canonical(std::string_view text) {
  auto f = ParseFilter(text);
  if (!f.ok()) return "ERROR " + f.status().message();
  return FilterToString(*f);
}

std::string ParseErr(std::string_view text, const FilterLimits& limits = {}) {
  auto f = ParseFilter(text, limits);
  if (f.ok()) return "OK " + FilterToString(*f);
  return f.status().message();
}

// --- ASTs -------------------------------------------------------------------------------------------------

TEST(ODataFilterParse, CbsClientQueries) {
  EXPECT_EQ(Canonical("Perioden eq '2023JJ00'"), "(eq Perioden '2023JJ00')");
  EXPECT_EQ(Canonical("substringof('JJ',Perioden)"), "(substringof 'JJ' Perioden)");
  EXPECT_EQ(Canonical("(RegioS eq 'GM0363    ' or RegioS eq 'GM0599    ') and startswith(Perioden,'2023')"),
            "(and (or (eq RegioS 'GM0363    ') (eq RegioS 'GM0599    ')) (startswith Perioden '2023'))");
  EXPECT_EQ(Canonical("not endswith(SoortMisdrijf,'1 ')"), "(not (endswith SoortMisdrijf '1 '))");
  EXPECT_EQ(Canonical("WijkenEnBuurten eq 'GM0363    '"), "(eq WijkenEnBuurten 'GM0363    ')");
  EXPECT_EQ(Canonical("contains(Measure,'M00') and Value gt 10"), "(and (contains Measure 'M00') (gt Value 10))");
}

TEST(ODataFilterParse, PaddingIsKeptExactly) {
  auto f = ParseFilter("RegioS eq 'GM0363    '");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->root->rhs.literal.text, "GM0363    ");
  EXPECT_EQ(f->root->rhs.literal.text.size(), 10u);
  EXPECT_EQ(f->root->rhs.position, 11u);
  EXPECT_EQ(f->terms, 1u);
}

TEST(ODataFilterParse, Precedence) {
  EXPECT_EQ(Canonical("A eq 1 or B eq 2 and C eq 3"), "(or (eq A 1) (and (eq B 2) (eq C 3)))");
  EXPECT_EQ(Canonical("A eq 1 and B eq 2 or C eq 3"), "(or (and (eq A 1) (eq B 2)) (eq C 3))");
  EXPECT_EQ(Canonical("not A eq 1 and B eq 2"), "(and (not (eq A 1)) (eq B 2))");
  EXPECT_EQ(Canonical("not (A eq 1 and B eq 2)"), "(not (and (eq A 1) (eq B 2)))");
  EXPECT_EQ(Canonical("not not A eq 1"), "(not (not (eq A 1)))");
  EXPECT_EQ(Canonical("A eq 1 or B eq 2 or C eq 3"), "(or (eq A 1) (eq B 2) (eq C 3))");
  EXPECT_EQ(Canonical("(A eq 1 or B eq 2) or C eq 3"), "(or (or (eq A 1) (eq B 2)) (eq C 3))");
  EXPECT_EQ(Canonical("((((A eq 1))))"), "(eq A 1)");
}

TEST(ODataFilterParse, Literals) {
  EXPECT_EQ(Canonical("A eq -12"), "(eq A -12)");
  EXPECT_EQ(Canonical("A ge 1.50"), "(ge A 1.50)");
  EXPECT_EQ(Canonical("A lt -0.5"), "(lt A -0.5)");
  EXPECT_EQ(Canonical("A eq true"), "(eq A true)");
  EXPECT_EQ(Canonical("A ne false"), "(ne A false)");
  EXPECT_EQ(Canonical("A eq null"), "(eq A null)");
  EXPECT_EQ(Canonical("A eq 'it''s'"), "(eq A 'it''s')");
  EXPECT_EQ(Canonical("A eq ''"), "(eq A '')");
  EXPECT_EQ(Canonical("A eq ''''"), "(eq A '''')");
  EXPECT_EQ(Canonical("'2023JJ00' eq Perioden"), "(eq '2023JJ00' Perioden)");
  EXPECT_EQ(Canonical("10 le Value"), "(le 10 Value)");
  EXPECT_EQ(Canonical("_x1 eq 1"), "(eq _x1 1)");
  EXPECT_EQ(Canonical("\tA\r\neq  1 "), "(eq A 1)");
  auto f = ParseFilter("A eq 'it''s'");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->root->rhs.literal.text, "it's");
  auto n = ParseFilter("A gt -2.25");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->root->rhs.literal.kind, LiteralKind::kNumber);
  EXPECT_DOUBLE_EQ(n->root->rhs.literal.number, -2.25);
}

TEST(ODataFilterParse, FunctionNamesCanBeProperties) {
  // Only a name followed by '(' is a call.
  EXPECT_EQ(Canonical("contains eq 'x'"), "(eq contains 'x')");
  EXPECT_EQ(Canonical("startswith(startswith,'x')"), "(startswith startswith 'x')");
}

// --- Errors -----------------------------------------------------------------------------------------------

TEST(ODataFilterParse, ExactErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "$filter: position 1: expected a condition but found end of input"},
      {"   ", "$filter: position 4: expected a condition but found end of input"},
      {"(Perioden eq 'x'", "$filter: position 17: expected a closing ')' but found end of input"},
      {"Perioden eq '2023JJ00", "$filter: position 13: unterminated string literal (no closing quote)"},
      {"Perioden", "$filter: position 9: expected a comparison operator (eq, ne, gt, ge, lt, le) but found end of input"},
      {"Perioden eq", "$filter: position 12: expected a property or a literal but found end of input"},
      {"Perioden == 'x'", "$filter: position 10: unexpected character '='"},
      {"Perioden Eq 'x'", "$filter: position 10: expected a comparison operator (eq, ne, gt, ge, lt, le) but found 'Eq'"},
      {"Perioden eq 'x' and", "$filter: position 20: expected a condition but found end of input"},
      {"Perioden eq 'x' or or A eq 1", "$filter: position 20: expected a condition but found 'or'"},
      {"and A eq 1", "$filter: position 1: expected a condition but found 'and'"},
      {"A eq 1)", "$filter: position 7: expected 'and', 'or' or end of input but found ')'"},
      {"A eq 1 B eq 2", "$filter: position 8: expected 'and', 'or' or end of input but found 'B'"},
      {"()", "$filter: position 2: expected a condition but found ')'"},
      {"'a' eq 'b'", "$filter: position 1: a comparison needs a property on one side and a literal on the other, found two literals"},
      {"A eq B", "$filter: position 1: a comparison needs a property on one side and a literal on the other, found two properties"},
      {"null eq null", "$filter: position 1: a comparison needs a property on one side and a literal on the other, found two literals"},
      {"A eq -", "$filter: position 7: expected a digit after '-'"},
      {"A eq -x", "$filter: position 7: expected a digit after '-'"},
      {"A eq 1.", "$filter: position 8: expected a digit after '.' in a number"},
      {"A eq 1.x", "$filter: position 8: expected a digit after '.' in a number"},
      {"A eq 12abc", "$filter: position 8: expected 'and', 'or' or end of input but found 'abc'"},
      {"A eq \"x\"", "$filter: position 6: unexpected character '\"'"},
      {"A eq 'x' \x01", "$filter: position 10: unexpected byte \\x01"},
      {"A eq \xC3\xA9", "$filter: position 6: unexpected byte \\xC3"},
      {"substringof(Perioden,'JJ')",
       "$filter: position 13: expected a string literal as the first argument of substringof but found 'Perioden'"},
      {"startswith('2023',Perioden)",
       "$filter: position 12: expected a property as the first argument of startswith but found string '2023'"},
      {"startswith(Perioden '2023')",
       "$filter: position 21: expected ',' after the first argument of startswith but found string '2023'"},
      {"startswith(Perioden,'2023'", "$filter: position 27: expected a closing ')' after the arguments of startswith but found end of input"},
      {"endswith(X,Y)", "$filter: position 12: expected a string literal as the second argument of endswith but found 'Y'"},
      {"contains(X,'a',Y)", "$filter: position 15: expected a closing ')' after the arguments of contains but found ','"},
      {"contains(null,'a')", "$filter: position 10: expected a property as the first argument of contains but found 'null'"},
      {"tolower(X) eq 'a'", "$filter: position 1: unknown function 'tolower' (known: substringof, startswith, endswith, contains)"},
      {"Startswith(X,'a')", "$filter: position 1: unknown function 'Startswith' (known: substringof, startswith, endswith, contains)"},
      {"not", "$filter: position 4: expected a condition but found end of input"},
      {"A eq 1 and not", "$filter: position 15: expected a condition but found end of input"},
      {"A eq and", "$filter: position 6: expected a property or a literal but found 'and'"},
      {"eq eq 1", "$filter: position 1: expected a condition but found 'eq'"},
      {"A eq 1,", "$filter: position 7: expected 'and', 'or' or end of input but found ','"},
      {"(A eq 1 B eq 2)", "$filter: position 9: expected a closing ')' but found 'B'"},
      {"A eq 'x' eq 'y'", "$filter: position 10: expected 'and', 'or' or end of input but found 'eq'"},
      {"startswith(X,'a') eq true", "$filter: position 19: expected 'and', 'or' or end of input but found 'eq'"},
      {"A eq 1 and (B eq 2 or (C eq 3)", "$filter: position 31: expected a closing ')' but found end of input"},
      {"A eq 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' 'b'",
       "$filter: position 58: expected 'and', 'or' or end of input but found string 'b'"},
      {"A eq 'x' 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'",
       "$filter: position 10: expected 'and', 'or' or end of input but found string "
       "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa..."},
      {"A eq 'x' 'line\nbreak'", "$filter: position 10: expected 'and', 'or' or end of input but found string 'line\\x0Abreak'"},
      {"A eq 1e5", "$filter: position 7: expected 'and', 'or' or end of input but found 'e5'"},
  };
  ASSERT_GE(cases.size(), 25u);
  for (const auto& [input, message] : cases) {
    auto f = ParseFilter(input);
    ASSERT_FALSE(f.ok()) << "input: " << input << " parsed as " << FilterToString(*f);
    EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument) << input;
    EXPECT_EQ(f.status().message(), message) << "input: " << input;
  }
}

TEST(ODataFilterParse, NumberOutOfRange) {
  std::string big = "A eq " + std::string(400, '9');
  EXPECT_EQ(ParseErr(big), "$filter: position 6: number 9999999999999999999999999999999999999999... is out of range");
}

// --- Limits -----------------------------------------------------------------------------------------------

TEST(ODataFilterLimits, Length) {
  std::string text = "A eq '" + std::string(4090, 'x') + "'";  // 4097 bytes
  ASSERT_EQ(text.size(), 4097u);
  auto f = ParseFilter(text);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(f.status().message(), "$filter: 4097 bytes is longer than the maximum of 4096");
  text.pop_back();
  text.back() = '\'';
  EXPECT_TRUE(ParseFilter(text).ok());  // exactly 4096 bytes
}

TEST(ODataFilterLimits, Depth) {
  std::string ok = std::string(32, '(') + "A eq 1" + std::string(32, ')');
  EXPECT_EQ(Canonical(ok), "(eq A 1)");
  std::string deep = std::string(33, '(') + "A eq 1" + std::string(33, ')');
  auto f = ParseFilter(deep);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(f.status().message(), "$filter: position 33: nesting deeper than 32 levels");

  std::string nots;
  for (int i = 0; i < 33; ++i) nots += "not ";
  EXPECT_EQ(ParseErr(nots + "A eq 1"), "$filter: position 129: nesting deeper than 32 levels");
  // Mixed: 16 parentheses and 17 nots.
  std::string mixed;
  for (int i = 0; i < 16; ++i) mixed += "not (";
  mixed += "not A eq 1" + std::string(16, ')');
  EXPECT_EQ(ParseErr(mixed), "$filter: position 81: nesting deeper than 32 levels");
  // A huge unbalanced input is stopped by the limit, not by the stack.
  EXPECT_EQ(ParseErr(std::string(4096, '(')), "$filter: position 33: nesting deeper than 32 levels");
}

TEST(ODataFilterLimits, Terms) {
  std::string text = "A eq 0";
  for (int i = 1; i < 128; ++i) text += " or A eq " + std::to_string(i);
  auto f = ParseFilter(text);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->terms, 128u);
  EXPECT_EQ(f->root->children.size(), 128u);
  std::size_t at = text.size() + 5;  // position of the 129th condition
  text += " or startswith(A,'x')";
  auto g = ParseFilter(text);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(g.status().message(), "$filter: position " + std::to_string(at) + ": more than 128 conditions");
  FilterLimits small;
  small.max_terms = 2;
  EXPECT_EQ(ParseErr("A eq 1 and (B eq 2 or C eq 3)", small), "$filter: position 23: more than 2 conditions");
}

// --- Binding ----------------------------------------------------------------------------------------------

const std::vector<FilterProperty> kProps = {{"Perioden", PropertyType::kString},
                                            {"RegioS", PropertyType::kString},
                                            {"Aantal", PropertyType::kNumber},
                                            {"Definitief", PropertyType::kBoolean}};

std::string BindErr(std::string_view text) {
  auto f = ParseFilter(text);
  if (!f.ok()) return "PARSE " + f.status().message();
  Status s = BindFilter(*f, kProps);
  EXPECT_EQ(f->bound, s.ok());
  return s.ok() ? "OK" : s.message();
}

TEST(ODataFilterBind, UnknownPropertyAndTypes) {
  EXPECT_EQ(BindErr("Perioden eq '2023JJ00' and Aantal gt 5 and Definitief eq true"), "OK");
  EXPECT_EQ(BindErr("Perioden eq '2023JJ00' and Periode eq 'x'"), "$filter: position 28: unknown property 'Periode'");
  EXPECT_EQ(BindErr("perioden eq 'x'"), "$filter: position 1: unknown property 'perioden'");
  EXPECT_EQ(BindErr("substringof('JJ',Jaar)"), "$filter: position 18: unknown property 'Jaar'");
  EXPECT_EQ(BindErr("Aantal eq '5'"), "$filter: position 11: property 'Aantal' is a number but is compared with a string");
  EXPECT_EQ(BindErr("'5' lt Aantal"), "$filter: position 1: property 'Aantal' is a number but is compared with a string");
  EXPECT_EQ(BindErr("Perioden eq 2023"), "$filter: position 13: property 'Perioden' is a string but is compared with a number");
  EXPECT_EQ(BindErr("Definitief eq 1"), "$filter: position 15: property 'Definitief' is a boolean but is compared with a number");
  EXPECT_EQ(BindErr("startswith(Aantal,'1')"), "$filter: position 12: startswith needs a string property but 'Aantal' is a number");
  EXPECT_EQ(BindErr("Aantal eq null and Perioden ne null"), "OK");
}

TEST(ODataFilterBind, Indices) {
  auto f = ParseFilter("'x' eq RegioS and Aantal gt 1");
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(BindFilter(*f, kProps).ok());
  EXPECT_EQ(f->root->children[0]->rhs.property_index, 1);
  EXPECT_EQ(f->root->children[1]->lhs.property_index, 2);
  EXPECT_EQ(f->root->children[1]->lhs.property_type, PropertyType::kNumber);
}

// --- Evaluation -------------------------------------------------------------------------------------------

// A row as a map from property index to value (missing = null).
class MapRow : public FilterRow {
 public:
  using V = std::variant<std::monostate, std::string, double, bool>;
  explicit MapRow(std::map<std::size_t, V> values) : values_(std::move(values)) {}
  FilterValue Get(std::size_t index) const override {
    auto it = values_.find(index);
    if (it == values_.end()) return FilterValue::Null();
    const V& v = it->second;
    if (const auto* s = std::get_if<std::string>(&v)) return FilterValue::String(*s);
    if (const auto* d = std::get_if<double>(&v)) return FilterValue::Number(*d);
    if (const auto* b = std::get_if<bool>(&v)) return FilterValue::Boolean(*b);
    return FilterValue::Null();
  }

 private:
  std::map<std::size_t, V> values_;
};

Truth Eval3(std::string_view text, const MapRow& row) {
  auto f = ParseFilter(text);
  EXPECT_TRUE(f.ok()) << text << ": " << f.status().ToString();
  if (!f.ok()) return Truth::kNull;
  Status s = BindFilter(*f, kProps);
  EXPECT_TRUE(s.ok()) << text << ": " << s.ToString();
  return EvaluateFilter3(*f, row);
}

bool Eval(std::string_view text, const MapRow& row) { return Eval3(text, row) == Truth::kTrue; }

TEST(ODataFilterEval, CbsQueries) {
  MapRow amsterdam({{0, std::string("2023JJ00")}, {1, std::string("GM0363    ")}, {2, 1200.0}, {3, true}});
  MapRow rotterdam({{0, std::string("2022JJ00")}, {1, std::string("GM0599    ")}, {2, 900.0}, {3, false}});
  MapRow month({{0, std::string("2023MM07")}, {1, std::string("GM0363")}, {2, 80.0}});
  const char* q = "(RegioS eq 'GM0363    ' or RegioS eq 'GM0599    ') and startswith(Perioden,'2023')";
  EXPECT_TRUE(Eval(q, amsterdam));
  EXPECT_FALSE(Eval(q, rotterdam));  // 2022
  EXPECT_FALSE(Eval(q, month));      // unpadded key is a different key
  EXPECT_TRUE(Eval("Perioden eq '2023JJ00'", amsterdam));
  EXPECT_FALSE(Eval("Perioden eq '2023jj00'", amsterdam));  // exact, case-sensitive
  EXPECT_TRUE(Eval("substringof('JJ',Perioden)", rotterdam));
  EXPECT_FALSE(Eval("substringof('JJ',Perioden)", month));
  EXPECT_TRUE(Eval("contains(Perioden,'MM')", month));
  EXPECT_TRUE(Eval("endswith(RegioS,'363    ')", amsterdam));
  EXPECT_FALSE(Eval("endswith(RegioS,'363')", amsterdam));
  EXPECT_TRUE(Eval("not endswith(RegioS,'363')", amsterdam));
  EXPECT_FALSE(Eval("RegioS eq 'GM0363'", amsterdam));  // no trimming
}

TEST(ODataFilterEval, Comparisons) {
  MapRow r({{0, std::string("2023JJ00")}, {2, 10.0}, {3, true}});
  EXPECT_TRUE(Eval("Aantal gt 9.5", r));
  EXPECT_FALSE(Eval("Aantal gt 10", r));
  EXPECT_TRUE(Eval("Aantal ge 10", r));
  EXPECT_TRUE(Eval("Aantal le 10.0", r));
  EXPECT_FALSE(Eval("Aantal lt -1", r));
  EXPECT_TRUE(Eval("Aantal ne 11", r));
  // Literal on the left: "9 lt Aantal" means Aantal gt 9.
  EXPECT_TRUE(Eval("9 lt Aantal", r));
  EXPECT_FALSE(Eval("11 lt Aantal", r));
  EXPECT_TRUE(Eval("10 ge Aantal", r));
  EXPECT_FALSE(Eval("10 gt Aantal", r));
  // Strings order by bytes.
  EXPECT_TRUE(Eval("Perioden gt '2023' and Perioden lt '2023MM01'", r));
  EXPECT_TRUE(Eval("Perioden ge '2023JJ00' and Perioden le '2023JJ00'", r));
  EXPECT_FALSE(Eval("Perioden lt '2023JJ00'", r));
  EXPECT_TRUE(Eval("Definitief eq true and Definitief gt false", r));
  EXPECT_FALSE(Eval("Definitief lt true", r));
}

TEST(ODataFilterEval, NullSemantics) {
  MapRow r({{0, std::string("2023JJ00")}});  // RegioS, Aantal, Definitief are null
  EXPECT_TRUE(Eval("RegioS eq null", r));
  EXPECT_FALSE(Eval("RegioS ne null", r));
  EXPECT_FALSE(Eval("Perioden eq null", r));
  EXPECT_TRUE(Eval("Perioden ne null", r));
  EXPECT_TRUE(Eval("null eq Aantal", r));
  EXPECT_FALSE(Eval("RegioS eq 'GM0363'", r));
  EXPECT_TRUE(Eval("RegioS ne 'GM0363'", r));
  EXPECT_FALSE(Eval("Aantal gt 0", r));
  EXPECT_FALSE(Eval("Aantal le 0", r));
  EXPECT_FALSE(Eval("Aantal ge null", r));
  EXPECT_FALSE(Eval("Perioden lt null", r));
  // Functions on null are unknown, and so is their negation.
  EXPECT_EQ(Eval3("startswith(RegioS,'GM')", r), Truth::kNull);
  EXPECT_EQ(Eval3("not startswith(RegioS,'GM')", r), Truth::kNull);
  EXPECT_FALSE(Eval("not startswith(RegioS,'GM')", r));
  // Kleene logic.
  EXPECT_EQ(Eval3("startswith(RegioS,'GM') and Perioden eq 'x'", r), Truth::kFalse);
  EXPECT_EQ(Eval3("startswith(RegioS,'GM') and Perioden eq '2023JJ00'", r), Truth::kNull);
  EXPECT_EQ(Eval3("startswith(RegioS,'GM') or Perioden eq '2023JJ00'", r), Truth::kTrue);
  EXPECT_EQ(Eval3("startswith(RegioS,'GM') or Perioden eq 'x'", r), Truth::kNull);
  EXPECT_EQ(Eval3("not (Perioden eq 'x')", r), Truth::kTrue);
}

TEST(ODataFilterEval, WrongRowKindIsUnknownNotACrash) {
  MapRow r({{0, 2023.0}, {2, std::string("12")}});
  EXPECT_EQ(Eval3("Perioden eq '2023'", r), Truth::kNull);
  EXPECT_EQ(Eval3("Aantal eq 12", r), Truth::kNull);
  EXPECT_EQ(Eval3("startswith(Perioden,'2')", r), Truth::kNull);
}

TEST(ODataFilterEval, UnboundIsNeverTrue) {
  auto f = ParseFilter("Perioden eq '2023JJ00'");
  ASSERT_TRUE(f.ok());
  MapRow r({{0, std::string("2023JJ00")}});
  EXPECT_EQ(EvaluateFilter3(*f, r), Truth::kNull);
  EXPECT_FALSE(EvaluateFilter(*f, r));
  ASSERT_TRUE(BindFilter(*f, kProps).ok());
  EXPECT_TRUE(EvaluateFilter(*f, r));
}

}  // namespace
}  // namespace das::serve
