#include "formula.h"

#include <cmath>

#include <gtest/gtest.h>

namespace das::stats {
namespace {

TEST(FormulaTest, ParsesPrecedenceAndCalls) {
  auto f = ParseFormula("100 * count(units, stage='om', by=exit, exit_type='sepot') / count(units, stage='om', by=exit)");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->calls.size(), 2u);
  EXPECT_EQ(f->calls[0].function, "count");
  EXPECT_EQ(f->calls[0].source, "units");
  EXPECT_EQ(f->calls[0].Arg("exit_type"), "sepot");
  EXPECT_EQ(f->calls[0].column, 7);
  EXPECT_EQ(f->calls[1].Canonical(), "count(units,by='exit',stage='om')");
  // (100 * a) / b with a = 1, b = 4.
  std::vector<PrimitiveCell> cells = {{1, 1}, {4, 4}};
  EXPECT_DOUBLE_EQ(f->Evaluate(cells), 25.0);
  EXPECT_EQ(f->BasisN(cells), 4);  // the denominator's count
  EXPECT_FALSE(f->IsSingleCall());
}

TEST(FormulaTest, ArithmeticAndDivisionByZero) {
  auto f = ParseFormula("-(2 + 3) * 4 - 6 / 3");
  ASSERT_TRUE(f.ok());
  EXPECT_DOUBLE_EQ(f->Evaluate({}), -22.0);
  auto g = ParseFormula("10000 * persons(units, stage='police_suspect') / population()");
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(std::isnan(g->Evaluate({{5, 5}, {0, -1}})));
  // Population is not a unit count: the numerator is the basis.
  EXPECT_EQ(g->BasisN({{5, 5}, {1000, -1}}), 5);
  EXPECT_DOUBLE_EQ(g->Evaluate({{5, 5}, {1000, -1}}), 50.0);
  auto h = ParseFormula("count(units, stage=\"om\", by=stock)");
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->IsSingleCall());
  EXPECT_EQ(h->calls[0].Arg("stage"), "om");
}

std::string Error(const std::string& text) {
  auto f = ParseFormula(text);
  return f.ok() ? "ok" : f.status().message();
}

TEST(FormulaTest, MalformedFormulasNameTheColumn) {
  EXPECT_EQ(Error(""), "column 1: empty formula");
  EXPECT_EQ(Error("1 +"), "column 4: expected a number, '(' or a function call but found end of formula");
  EXPECT_EQ(Error("(1 + 2"), "column 7: expected ')' to close '(' at column 1 but found end of formula");
  EXPECT_EQ(Error("1 2"), "column 3: unexpected '2' after the end of the expression");
  EXPECT_EQ(Error("cnt(units)"), "column 1: unknown function 'cnt' (expected count, sum, persons, population or survey)");
  EXPECT_EQ(Error("count(units, stage='om'"), "column 24: expected ',' or ')' in the arguments of 'count' but found end of formula");
  EXPECT_EQ(Error("count(stage='om')"), "column 1: count() needs a source first: units, sanctions or executions");
  EXPECT_EQ(Error("count(cases)"), "column 1: unknown source 'cases' of count() (expected units, sanctions or executions)");
  EXPECT_EQ(Error("count(units, by=later)"), "column 14: by='later' in count(): expected entry or exit or stock");
  EXPECT_EQ(Error("persons(units, by=stock)"), "column 16: by='stock' in persons(): expected entry or exit");
  EXPECT_EQ(Error("count(units, stage='om', stage='court')"), "column 26: argument 'stage' given twice");
  EXPECT_EQ(Error("count(units, stage='om)"), "column 20: unterminated text value");
  EXPECT_EQ(Error("sum(units, stage='cjib')"), "column 1: sum() needs field=<numeric column>");
  EXPECT_EQ(Error("population(age=3)"), "column 12: unknown argument 'age' of population() (expected minor)");
  EXPECT_EQ(Error("survey(rate='victim_cats')"), "column 8: unknown survey indicator 'victim_cats'");
  EXPECT_EQ(Error("2 * # 3"), "column 5: expected a number, '(' or a function call but found '#'");
  EXPECT_EQ(Error("1..2"), "column 1: malformed number '1..2'");
  EXPECT_EQ(Error("count(units, stage)"), "column 19: expected '=' after argument 'stage' but found ')'");
  EXPECT_EQ(Error("count(sanctions, by=exit)"), "column 18: sanctions have one date (the judgment date): only by=entry");
}

}  // namespace
}  // namespace das::stats
