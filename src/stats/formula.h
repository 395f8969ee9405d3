// The key-figure formula language (config/stats/kerncijfers.toml `formula`): arithmetic over chain primitives.
//
//   formula  := expr
//   expr     := term (('+' | '-') term)*
//   term     := factor (('*' | '/') factor)*
//   factor   := number | '-' factor | '(' expr ')' | call
//   call     := name '(' [arg (',' arg)*] ')'
//   arg      := key '=' value | source            (a bare name is the source; only as the first argument)
//   value    := 'text' | "text" | number | name   (names: true, false, entry, exit, stock, ...)
//
// Primitives (name, source, arguments; see docs/statistics-figures.md):
//   count(units|sanctions|executions, by=entry|exit|stock, <column>='v'...)   rows counted per year and region
//   sum(units|sanctions|executions, field=<numeric column>, by=..., <column>='v'...)   sum of a column
//   persons(units|sanctions|executions, by=..., <column>='v'...)   distinct person_id per year, by residence
//   population(minor=true|false)                                   inhabitants (all, minors 12-17, adults 18+)
//   survey(rate='victim_any'|..., among='...')                     weighted survey percentage
// A filter value 'a|b' matches a or b; a value matches a column value equal to it or starting with it and '_'
// (the code lists' hierarchy: 'sepot' matches sepot_beleid, 'schuldig' matches schuldig_met_straf).
//
// Parsing checks syntax and the primitives' names and arguments (not column names: those are checked against
// the chain tables when computing). Errors are ParseError "column N: <what>" with N the 1-based character
// position in the formula text. Values; thread-safe to share after parsing.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "das/core/status.h"

namespace das::stats {

// One primitive call, e.g. count(units, stage='om', by=exit, exit_type='sepot').
struct FormulaCall {
  std::string function;                                  // count, sum, persons, population, survey
  std::string source;                                    // units, sanctions, executions ("" for population/survey)
  std::vector<std::pair<std::string, std::string>> args;  // key -> value in written order (by, field, filters)
  int column = 0;                                         // 1-based position of the call in the formula
  // The argument value of `key`, or `fallback`.
  std::string Arg(const std::string& key, const std::string& fallback = "") const;
  // Canonical text (arguments sorted), used to compute a primitive shared by several formulas once.
  std::string Canonical() const;
};

enum class FormulaOp : std::uint8_t { kNumber, kCall, kAdd, kSub, kMul, kDiv, kNeg };

struct FormulaNode {
  FormulaOp op = FormulaOp::kNumber;
  double number = 0;  // kNumber
  int call = -1;      // kCall: index into Formula::calls
  int lhs = -1, rhs = -1;  // operands (kNeg: lhs only)
};

// What a primitive contributes to one cell: its value and the units it counts (n < 0: not a unit count, e.g.
// a population).
struct PrimitiveCell {
  double value = 0;
  std::int64_t n = -1;
};

struct Formula {
  std::string text;
  std::vector<FormulaNode> nodes;
  std::vector<FormulaCall> calls;
  int root = -1;

  // The value for given primitive values (one per call); NaN when a division by zero occurs.
  double Evaluate(const std::vector<PrimitiveCell>& cells) const;
  // The basis count n of the result: a primitive's n; a + b and a - b: the sum; a * b: the operand that is a
  // unit count (both: the smaller); a / b: the denominator's n when it is a unit count, else the numerator's.
  // -1 when no unit count is involved.
  std::int64_t BasisN(const std::vector<PrimitiveCell>& cells) const;
  // True when the formula is exactly one call (no arithmetic).
  bool IsSingleCall() const { return root >= 0 && nodes[static_cast<std::size_t>(root)].op == FormulaOp::kCall; }
};

// Parses and checks a formula (see the header comment).
Result<Formula> ParseFormula(const std::string& text);

}  // namespace das::stats

// ---- Internal to das_stats: shared by figures.cc, population.cc, survey.cc, recidivism.cc -------------------
#include <optional>

#include "das/core/date.h"
#include "das/stats/figures.h"

namespace das::store {
class Store;
}

namespace das::stats {

struct BuiltDimension;
struct PeriodDimension;

namespace figures_internal {

// Per year (from_year..to_year) and RegioS code (index of BuildRegio's spec, margins included): inhabitants
// and minors (12-17). From the context_bevolking_buurt deliveries (period = year; a year without a delivery
// takes the nearest delivered year, the earlier on ties), else the 2024 gemeente populations of config/geo
// (then minors are unknown: NaN).
struct Population {
  int from_year = 0;
  std::vector<std::vector<double>> all, minors;  // [year - from_year][regio code]
  std::string source;                            // "context_bevolking_buurt" or "config/geo"
};
Result<Population> LoadPopulation(store::Store* store, const geo::Geography& geography, const BuiltDimension& regio,
                                  int from_year, int to_year);

// Weighted survey percentage per year and RegioS code: `rate` among respondents with `among` (empty: all).
struct SurveyCells {
  std::vector<double> percent, lower, upper;  // [year * regio codes + code]; NaN without respondents
  std::vector<std::int64_t> respondents;
};
// NotFound when h_cbs_veiligheidsmonitor is absent.
Result<SurveyCells> SurveyRate(store::Store* store, const geo::Geography& geography, const BuiltDimension& regio,
                               int from_year, int to_year, const std::string& rate, const std::string& among);

// The survey's respondents of from_year..to_year with a positive weight: year index, region leaf of `regio`,
// weight and indicator bits. Reads only the columns used (once per call: callers keep the result for all their
// survey() primitives). NotFound when h_cbs_veiligheidsmonitor is absent.
struct Respondent {
  int year = 0;
  int leaf = 0;
  double weight = 0;
  std::uint32_t bits = 0;
};
Result<std::vector<Respondent>> LoadRespondents(store::Store* store, const geo::Geography& geography,
                                                const BuiltDimension& regio, int from_year, int to_year);
// SurveyRate on respondents already loaded (with the same regio and years).
Result<SurveyCells> SurveyRate(const std::vector<Respondent>& respondents, const BuiltDimension& regio,
                               int from_year, int to_year, const std::string& rate, const std::string& among);

// The data horizon (options.horizon, else the latest date in chain_events) and the year range.
Result<Date> Horizon(store::Store* store, const FiguresOptions& options);
Result<std::pair<int, int>> Years(store::Store* store, const FiguresOptions& options, Date horizon);

// Topic key from a snake_case id and position: "halt_verwijzingen", 1 -> "HaltVerwijzingen_1".
std::string TopicKey(const std::string& id, int k);

}  // namespace figures_internal
}  // namespace das::stats
