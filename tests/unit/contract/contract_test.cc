#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "das/contract/codelist.h"
#include "das/contract/contract.h"
#include "das/contract/expr.h"
#include "das/contract/validator.h"
#include "das/core/env.h"

namespace das::contract {
namespace {

const std::string kSources = std::string(DAS_SOURCE_DIR) + "/config/sources";
const std::string kCodeLists = std::string(DAS_SOURCE_DIR) + "/config/codelists/source";

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---------------------------------------------------------------- shipped contracts

TEST(ShippedContracts, AllLoadWithTheirCodeLists) {
  auto lists = CodeListSet::LoadDir(kCodeLists, *PosixFileSystem());
  ASSERT_TRUE(lists.ok()) << lists.status().ToString();
  auto set = ContractSet::LoadDir(kSources, *PosixFileSystem());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->contracts().size(), 15u);
  for (const Contract& c : set->contracts()) {
    EXPECT_EQ(c.version, 1) << c.Id();
    EXPECT_TRUE(CheckCodeLists(c, *lists).ok()) << CheckCodeLists(c, *lists).ToString();
    EXPECT_FALSE(c.match.file_patterns.empty()) << c.Id();
    for (const Column& col : c.sealed_columns) EXPECT_FALSE(IsDirectIdentifier(col.type)) << c.Id() << " " << col.name;
  }
  auto om = set->Find("om_zaken@1");
  ASSERT_TRUE(om.ok());
  EXPECT_EQ((*om)->Header(Form::kSealed),
            (std::vector<std::string>{"parketnummer", "pv_nummer", "aanbrenger", "soort_verdachte", "kvk_nummer",
                                      "geslacht", "woongemeente", "datum_instroom", "zsm", "wetsartikel", "beslissing",
                                      "datum_beslissing", "bsn_pseudo", "bsn_status", "geboortejaar", "leeftijd",
                                      "bf_achternaam", "bf_voornaam", "bf_geboortedatum"}));
  EXPECT_EQ(set->Find("om_zaken").value()->Id(), "om_zaken@1");
  EXPECT_EQ(set->Find("om_zaken@2").status().message().substr(0, 28), "no contract 'om_zaken@2' (kn");
}

TEST(ShippedContracts, PoliceCodeListHoldsThe47018Keys) {
  auto list = LoadCodeList(kCodeLists + "/politie_soortmisdrijf.csv", *PosixFileSystem());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->entries().size(), 58u);
  ASSERT_NE(list->Find("1.1.1"), nullptr);
  EXPECT_EQ(list->Find("1.1.1")->label, "Diefstal/inbraak woning");
  EXPECT_EQ(list->Find("1.2.3")->label, "Diefstal van brom-, snor-, fietsen");
  EXPECT_NE(list->Find("2.6.10"), nullptr);
  EXPECT_EQ(list->Find("0.0.0"), nullptr);
  EXPECT_EQ(list->Find("1.1.1 "), nullptr);
  // Every key of the real 47018 table (except the total) is in the list.
  std::string real = ReadText(std::string(DAS_SHARED_DIR) + "/data/cbs_politie/politie_soortmisdrijf_47018.csv");
  std::regex key_re("\n\"([0-9]+\\.[0-9]+\\.[0-9]+) *\",");
  int n = 0;
  for (auto it = std::sregex_iterator(real.begin(), real.end(), key_re); it != std::sregex_iterator(); ++it) {
    std::string k = (*it)[1];
    if (k == "0.0.0") continue;
    ++n;
    EXPECT_NE(list->Find(k), nullptr) << k;
  }
  EXPECT_EQ(n, 58);
}

// Parses docs/deliveries.md: for every "### " section with a file `<org>/<Y>/<name>_<Y>.csv`, the column
// list (table rows, a "Columns:" line, or the context bullets) in order.
struct SpecFile {
  std::string file;  // e.g. bvh_misdrijven_2023.csv
  std::vector<std::string> columns;
};

std::vector<std::string> SplitNames(const std::string& cell, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : cell + sep) {
    if (c == sep) {
      std::size_t a = cur.find_first_not_of(" `"), b = cur.find_last_not_of(" `");
      if (a != std::string::npos) out.push_back(cur.substr(a, b - a + 1));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

std::vector<SpecFile> ParseDeliveriesSpec() {
  std::string text = ReadText(std::string(DAS_SOURCE_DIR) + "/docs/deliveries.md");
  std::vector<SpecFile> out;
  std::istringstream in(text);
  std::string line;
  SpecFile* cur = nullptr;
  bool in_datasets = false;
  std::regex heading_file("`[a-z]+/<Y>/([a-z_]+)_<Y>\\.csv`");
  std::regex bullet("^- `([a-z_]+)_<Y>\\.csv`: `([^`]+)`");
  while (std::getline(in, line)) {
    if (line.rfind("## Datasets", 0) == 0) in_datasets = true;
    if (line.rfind("## Defects", 0) == 0) in_datasets = false;
    if (!in_datasets) continue;
    std::smatch m;
    if (line.rfind("### ", 0) == 0) {
      cur = nullptr;
      if (std::regex_search(line, m, heading_file)) {
        out.push_back({std::string(m[1]) + "_2023.csv", {}});
        cur = &out.back();
      }
      continue;
    }
    if (std::regex_search(line, m, bullet)) {
      out.push_back({std::string(m[1]) + "_2023.csv", SplitNames(m[2], ',')});
      continue;
    }
    if (cur == nullptr) continue;
    if (line.rfind("Columns: `", 0) == 0) {
      std::string cols = line.substr(10, line.rfind('`') - 10);
      cur->columns = SplitNames(cols, ';');
      continue;
    }
    if (line.rfind("| ", 0) == 0 && line.rfind("| column", 0) != 0) {
      std::string cell = line.substr(2, line.find(" |", 2) - 2);
      for (const std::string& name : SplitNames(cell, ',')) cur->columns.push_back(name);
    }
  }
  return out;
}

TEST(ShippedContracts, HeadersMatchDeliveriesSpec) {
  auto set = ContractSet::LoadDir(kSources, *PosixFileSystem());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  std::vector<SpecFile> spec = ParseDeliveriesSpec();
  ASSERT_EQ(spec.size(), 15u);
  // "as police" rows in the OM table expand to the listed names, so the parsed columns are the file's columns.
  std::set<std::string> matched;
  for (const SpecFile& f : spec) {
    SCOPED_TRACE(f.file);
    ASSERT_FALSE(f.columns.empty());
    auto c = set->Match("politie/2023/" + f.file, f.columns);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ((*c)->Header(Form::kRaw), f.columns);
    matched.insert((*c)->name);
    // Name alone (no header yet) finds the same contract.
    auto by_name = set->Match(f.file, {});
    ASSERT_TRUE(by_name.ok()) << by_name.status().ToString();
    EXPECT_EQ((*by_name)->name, (*c)->name);
    // And so does the sealed header.
    auto sealed = set->Match(f.file, (*c)->Header(Form::kSealed));
    ASSERT_TRUE(sealed.ok());
    EXPECT_EQ((*sealed)->name, (*c)->name);
  }
  EXPECT_EQ(matched.size(), 15u);
}

TEST(ContractSet, MatchByNameAloneWhenNoHeaderMatches) {
  auto set = ContractSet::LoadDir(kSources, *PosixFileSystem());
  ASSERT_TRUE(set.ok());
  // The name decides when the header is wrong, so validation can report the header's problems.
  auto m = set->Match("bvh_misdrijven_2023.csv", {"a", "b"});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ((*m)->Id(), "politie_misdrijven@1");
  // An exact header of another contract wins over the name.
  auto h = set->Match("bvh_misdrijven_2023.csv", set->Find("om_zaken").value()->Header(Form::kRaw));
  ASSERT_TRUE(h.ok());
  EXPECT_EQ((*h)->Id(), "om_zaken@1");
  // Neither name nor header: not found.
  auto none = set->Match("unknown.csv", {"a", "b"});
  EXPECT_EQ(none.status().message(), "no contract matches 'unknown.csv' with header 'a,b'");
}

// ---------------------------------------------------------------- malformed contracts

constexpr std::string_view kGood = R"TOML([contract]
name = "om_zaken"
version = 1
organisation = "om"
dataset = "zaken"
key = ["case_number"]
reference_date = "inflow_date"

[format]
delimiter = ","
encoding = "utf-8"
date_format = "yyyy-mm-dd"

[[columns]]
name = "parketnummer"
field = "case_number"
type = "string"
required = true

[[columns]]
name = "datum_instroom"
field = "inflow_date"
type = "date"
required = true

[[columns]]
name = "beslissing"
field = "decision"
type = "code(om_beslissing)"

[[columns]]
name = "datum_beslissing"
field = "decision_date"
type = "date"

[[rules]]
id = "OM-R01"
severity = "reject_row"
check = "decision_date >= inflow_date"
message = "decision before inflow"
)TOML";

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

std::string ErrorOf(const std::string& toml) {
  auto c = ParseContract(toml, "config/sources/om_zaken.toml");
  return c.ok() ? "OK" : c.status().message();
}

TEST(MalformedContracts, GoodBaseLoads) { EXPECT_EQ(ErrorOf(std::string(kGood)), "OK"); }

struct Mistake {
  std::string from, to, error;
};

TEST(MalformedContracts, ExactMessages) {
  const std::string p = "config/sources/om_zaken.toml: ";
  const std::vector<Mistake> mistakes = {
      {"type = \"date\"\nrequired = true", "type = \"datum\"\nrequired = true",
       p + "line 23, column 8: column 'datum_instroom': unknown type 'datum' (expected string, integer, decimal, date, "
           "code, boolean, region, bsn, surname, tussenvoegsel, given_names, birth_date, sex, kvk)"},
      {"version = 1", "version = \"1\"", p + "line 3, column 11: [contract]: 'version' must be an integer, found string"},
      {"version = 1", "version = 0", p + "line 3, column 11: [contract]: version must be between 1 and 9999, found 0"},
      {"name = \"om_zaken\"\n", "", p + "line 1, column 1: [contract]: missing 'name' (a string)"},
      {"delimiter = \",\"", "delimiter = \";;\"",
       p + "line 10, column 13: [format]: 'delimiter' must be one character of ',', ';', \"\\t\", '|', found ';;'"},
      {"encoding = \"utf-8\"", "encoding = \"latin-1\"",
       p + "line 11, column 12: [format]: unknown encoding 'latin-1' (expected utf-8 or windows-1252)"},
      {"date_format = \"yyyy-mm-dd\"", "date_format = \"dd.mm.yyyy\"",
       p + "line 12, column 15: [format]: unknown date format 'dd.mm.yyyy' (expected yyyy-mm-dd, dd-mm-yyyy, "
           "dd/mm/yyyy or yyyymmdd)"},
      {"type = \"code(om_beslissing)\"", "type = \"code\"",
       p + "line 29, column 8: column 'beslissing': type code needs a code list: code(<list>) or codelist = \"<list>\""},
      {"field = \"decision_date\"", "field = \"decision\"",
       p + "line 33, column 9: column 'datum_beslissing': field 'decision' is used by another column"},
      {"name = \"datum_beslissing\"", "name = \"beslissing\"", p + "line 32, column 8: column 'beslissing': duplicate column name"},
      {"key = [\"case_number\"]", "key = [\"case_nr\"]", p + "line 6, column 7: [contract]: key field 'case_nr' is not a column's field"},
      {"key = [\"case_number\"]", "key = [\"decision\"]", p + "line 6, column 7: [contract]: key field 'decision' must be required = true"},
      {"check = \"decision_date >= inflow_date\"", "check = \"decison_date >= inflow_date\"",
       p + "line 39, column 9: rule 'OM-R01': check: column 1: unknown field 'decison_date' (known: case_number, "
           "inflow_date, decision, decision_date, delivery_date)"},
      {"check = \"decision_date >= inflow_date\"", "check = \"decision_date >= \"",
       p + "line 39, column 9: rule 'OM-R01': check: column 18: expected a value (field, number, 'text', true, false or "
           "'('), found end of expression"},
      {"check = \"decision_date >= inflow_date\"", "check = \"decision_date >= 5\"",
       p + "line 39, column 9: rule 'OM-R01': check: column 15: cannot compare date with integer"},
      {"severity = \"reject_row\"", "severity = \"fatal\"",
       p + "line 38, column 12: rule 'OM-R01': unknown severity 'fatal' (expected reject_row, warn or reject_delivery)"},
      {"required = true\n\n[[columns]]\nname = \"datum_instroom\"", "requird = true\n\n[[columns]]\nname = \"datum_instroom\"",
       p + "line 18, column 11: column 'parketnummer': unknown key 'requird' (expected one of name, field, type, "
           "required, format, codelist, true_value, false_value, level, min, max, pattern, max_length, on_invalid, "
           "description)"},
      {"type = \"string\"", "type = \"string\"\n[[columns]]\nname = \"BSN\"\nfield = \"bsn\"\ntype = \"bsn\"",
       p + "direct identifier columns (BSN) need a [seal] table saying what replaces them"},
      {"reference_date = \"inflow_date\"", "reference_date = \"decision\"",
       p + "line 7, column 18: [contract]: reference_date 'decision' must be a field of type date"},
      {"field = \"case_number\"", "field = \"CaseNumber\"",
       p + "line 16, column 9: column 'parketnummer': field 'CaseNumber' must be English snake_case (a-z, 0-9, _)"},
      {"[format]", "[format\n", p + "line 9, column 8: Error while parsing table header: expected ']', saw '\\n'"},
      {"message = \"decision before inflow\"\n",
       "message = \"decision before inflow\"\n[[file_rules]]\nid = \"F1\"\nseverity = \"reject_row\"\ncheck = \"rows >= 1\"\nmessage = \"x\"\n",
       p + "line 43, column 12: file rule 'F1': severity 'reject_row' is not possible for a file rule (expected warn or "
           "reject_delivery)"},
      {"message = \"decision before inflow\"\n",
       "message = \"decision before inflow\"\n[[rules]]\nid = \"OM-R01\"\nseverity = \"warn\"\ncheck = \"decision is empty\"\nmessage = \"x\"\n",
       p + "line 42, column 6: rule 'OM-R01': duplicate rule id (first on line 36)"},
      {"message = \"decision before inflow\"\n",
       "message = \"decision before inflow\"\n[[file_rules]]\nid = \"F1\"\nseverity = \"warn\"\ncheck = \"rule_rate('OM-R99') < 0.1\"\nmessage = \"x\"\n",
       p + "line 44, column 9: file rule 'F1': check: column 11: unknown rule id 'OM-R99'"},
      {"type = \"date\"\n\n[[rules]]", "type = \"date\"\nmin = 2020-01-01\nmax = 2010-01-01\n\n[[rules]]",
       p + "line 36, column 7: column 'datum_beslissing': max is below min"},
  };
  ASSERT_GE(mistakes.size(), 15u);
  for (const Mistake& m : mistakes) {
    EXPECT_EQ(ErrorOf(Replace(kGood, m.from, m.to)), m.error) << "mistake: " << m.to;
  }
}

TEST(MalformedContracts, UnknownCodeListNamesLine) {
  auto c = ParseContract(std::string(kGood), "config/sources/om_zaken.toml");
  ASSERT_TRUE(c.ok());
  CodeListSet lists;
  EXPECT_EQ(CheckCodeLists(*c, lists).message(),
            "config/sources/om_zaken.toml: line 26: column 'beslissing': unknown code list 'om_beslissing' (no "
            "om_beslissing.csv among 0 source code lists)");
}

// ---------------------------------------------------------------- code lists

TEST(CodeLists, ErrorsNameFileLineColumn) {
  EXPECT_EQ(ParseCodeList("code,label\nM,man\nV,vrouw\nM,again\n", "g", "g.csv").status().message(),
            "g.csv: line 4, column 1: duplicate code 'M' (first on line 2)");
  EXPECT_EQ(ParseCodeList("code;label\n", "g", "g.csv").status().message(),
            "g.csv: line 1, column 1: bad header 'code;label' (expected code,label or code,label,valid_from,valid_to)");
  EXPECT_EQ(ParseCodeList("code,label\nM\n", "g", "g.csv").status().message(),
            "g.csv: line 2, column 1: expected 2 fields, found 1");
  EXPECT_EQ(ParseCodeList("code,label,valid_from,valid_to\nA,a,2020-13-01,\n", "g", "g.csv").status().message().substr(0, 27),
            "g.csv: line 2, column 3: '2");
  EXPECT_EQ(ParseCodeList("code,label\n\"A,unterminated\n", "g", "g.csv").status().message(),
            "g.csv: line 2, column 1: unterminated quoted field");
  auto ok = ParseCodeList("code,label,valid_from,valid_to\r\nA,\"x, y\",2020-01-01,2021-12-31\r\nB,b,,\r\n", "g", "g.csv");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->Find("A")->label, "x, y");
  EXPECT_EQ(ok->Check("A", Date::FromYmdUnchecked(2022, 1, 1)), CodeCheck::kNotValidOnDate);
  EXPECT_EQ(ok->Check("A", Date::FromYmdUnchecked(2021, 12, 31)), CodeCheck::kValid);
  EXPECT_EQ(ok->Check("B", Date::FromYmdUnchecked(1900, 1, 1)), CodeCheck::kValid);
  EXPECT_EQ(ok->Check("C"), CodeCheck::kUnknown);
}

// ---------------------------------------------------------------- expressions

std::string Parsed(std::string_view text) {
  auto e = ParseExpression(text);
  return e.ok() ? ExprToString(**e) : "error: " + e.status().message();
}

TEST(Expressions, ParseAndPrecedence) {
  EXPECT_EQ(Parsed("a >= b"), "(a >= b)");
  EXPECT_EQ(Parsed("a = 1 or b = 2 and not c"), "((a = 1) or ((b = 2) and (not c)))");
  EXPECT_EQ(Parsed("age between 12 and 17"), "(age between 12 and 17)");
  EXPECT_EQ(Parsed("x not in ('A', 'B''s', -3, 1.5)"), "(x not in ('A', 'B's', -3, 1.5))");
  EXPECT_EQ(Parsed("if d != '' then e is not empty"), "(if (d != '') then (e is not empty))");
  EXPECT_EQ(Parsed("if a then b else c"), "(if a then b else c)");
  EXPECT_EQ(Parsed("days_between(a, b) - 1 + 2 > 0"), "(((days_between(a, b) - 1) + 2) > 0)");
  EXPECT_EQ(Parsed("id matches 'PL##00'"), "(id matches 'PL##00')");
  EXPECT_EQ(Parsed("a <> b"), "(a != b)");
}

TEST(Expressions, ParseErrors) {
  EXPECT_EQ(Parsed(""), "error: column 1: empty expression");
  EXPECT_EQ(Parsed("a >= "), "error: column 6: expected a value (field, number, 'text', true, false or '('), found end of expression");
  EXPECT_EQ(Parsed("(a = 1"), "error: column 7: expected ')', found end of expression");
  EXPECT_EQ(Parsed("a = 'x"), "error: column 5: unterminated text literal (expected a closing ')");
  EXPECT_EQ(Parsed("a = \"x\""), "error: column 5: unexpected '\"' (text literals use single quotes: 'text')");
  EXPECT_EQ(Parsed("a between 1 or 2"), "error: column 13: expected 'and', found 'or'");
  EXPECT_EQ(Parsed("a b"), "error: column 3: expected an operator, 'and', 'or' or end of expression, found 'b'");
  EXPECT_EQ(Parsed("a in 1"), "error: column 6: expected '(' after 'in', found number 1");
  EXPECT_EQ(Parsed("a = 1.x"), "error: column 7: expected a digit after the decimal point");
  EXPECT_EQ(Parsed("a = 99999999999999999999"), "error: column 5: number 99999999999999999999 out of range");
  EXPECT_EQ(Parsed("a # b"), "error: column 3: unexpected character '#'");
  EXPECT_EQ(Parsed("a is b"), "error: column 6: expected 'empty', found 'b'");
  EXPECT_EQ(Parsed("and"), "error: column 1: expected a value (field, number, 'text', true, false or '('), found keyword 'and'");
  EXPECT_EQ(Parsed("x matches 'ab\\'"), "error: column 11: pattern 'ab\\' ends with a lone '\\'");
  std::string deep(100, '(');
  EXPECT_EQ(Parsed(deep + "a" + std::string(100, ')')).substr(0, 48), "error: column 22: expression nested too deeply (");
}

Scope RowScope() {
  Scope s;
  s.names = {{"inflow_date", ValueType::kDate},   {"decision_date", ValueType::kDate}, {"decision", ValueType::kString},
             {"age", ValueType::kInteger},        {"amount", ValueType::kDecimal},     {"cleared", ValueType::kBool}};
  return s;
}

std::string BindError(std::string_view text) {
  auto e = ParseExpression(text);
  if (!e.ok()) return "parse: " + e.status().message();
  Status s = Bind(**e, RowScope());
  return s.ok() ? "OK" : s.message();
}

TEST(Expressions, TypeErrors) {
  EXPECT_EQ(BindError("decision_date >= inflow_date"), "OK");
  EXPECT_EQ(BindError("decision_date >= '2020-01-01'"), "OK");
  EXPECT_EQ(BindError("decision_date >= '2020-13-01'"),
            "column 18: text '2020-13-01' compared with a date is not an ISO date (yyyy-mm-dd)");
  EXPECT_EQ(BindError("age + 1"), "column 5: a rule must be a condition (true or false), found a integer value");
  EXPECT_EQ(BindError("decision and cleared"), "column 1: 'and' needs a condition, found a string value");
  EXPECT_EQ(BindError("age between 'a' and 3"), "column 5: cannot compare integer with string");
  EXPECT_EQ(BindError("cleared < true"), "column 9: booleans can only be compared with = or !=");
  EXPECT_EQ(BindError("years_between(age, inflow_date) > 1"),
            "column 15: years_between() expects a date as argument 1, found integer");
  EXPECT_EQ(BindError("foo(age) > 1"), "column 1: unknown function 'foo' (known: days_between, years_between, year, length)");
  EXPECT_EQ(BindError("age matches '##'"), "column 5: 'matches' needs a text value, found integer");
  EXPECT_EQ(BindError("inflow_date + inflow_date > 0"), "column 13: cannot add date to date");
}

Value Eval(std::string_view text, const std::vector<Value>& values) {
  auto e = ParseExpression(text);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  Status s = Bind(**e, RowScope());
  EXPECT_TRUE(s.ok()) << s.ToString();
  return Evaluate(**e, values);
}

TEST(Expressions, EvaluationWithThreeValuedLogic) {
  Date d1 = Date::FromYmdUnchecked(2023, 3, 1), d2 = Date::FromYmdUnchecked(2023, 2, 27);
  std::vector<Value> row = {Value::FromDate(d1), Value::FromDate(d2), Value::String("DAGV"), Value::Integer(17),
                            Value::Decimal(450.0), Value::Bool(true)};
  EXPECT_EQ(Eval("decision_date >= inflow_date", row), Value::Bool(false));
  EXPECT_EQ(Eval("days_between(inflow_date, decision_date) = -2", row), Value::Bool(true));
  EXPECT_EQ(Eval("decision_date - inflow_date = -2 and inflow_date + 1 = '2023-03-02'", row), Value::Bool(true));
  EXPECT_EQ(Eval("age between 12 and 17", row), Value::Bool(true));
  EXPECT_EQ(Eval("age not between 12 and 17", row), Value::Bool(false));
  EXPECT_EQ(Eval("decision in ('SBS', 'DAGV')", row), Value::Bool(true));
  EXPECT_EQ(Eval("decision matches '@@@@'", row), Value::Bool(true));
  EXPECT_EQ(Eval("decision matches '@@@'", row), Value::Bool(false));
  EXPECT_EQ(Eval("amount > 0 and cleared", row), Value::Bool(true));
  EXPECT_EQ(Eval("year(inflow_date) = 2023 and length(decision) = 4", row), Value::Bool(true));
  EXPECT_EQ(Eval("years_between('2005-03-02', inflow_date) = 17", row), Value::Bool(true));
  EXPECT_EQ(Eval("years_between('2005-03-01', inflow_date) = 18", row), Value::Bool(true));
  // Unknown values.
  std::vector<Value> blank(6);
  EXPECT_TRUE(Eval("decision_date >= inflow_date", blank).is_null());
  EXPECT_EQ(Eval("if decision != '' then decision_date != ''", blank), Value::Bool(true));
  blank[2] = Value::String("SBS");
  EXPECT_EQ(Eval("if decision != '' then decision_date != ''", blank), Value::Bool(false));
  EXPECT_EQ(Eval("decision_date >= inflow_date or decision = 'SBS'", blank), Value::Bool(true));
  EXPECT_TRUE(Eval("decision_date >= inflow_date and decision = 'SBS'", blank).is_null());
  EXPECT_EQ(Eval("decision_date >= inflow_date and decision = 'X'", blank), Value::Bool(false));
  EXPECT_TRUE(Eval("if age > 1 then cleared else decision = 'SBS'", blank).is_null());
  blank[3] = Value::Integer(5);
  EXPECT_EQ(Eval("if age > 10 then cleared else decision = 'SBS'", blank), Value::Bool(true));
}

// ---------------------------------------------------------------- validation

class ValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto lists = CodeListSet::LoadDir(kCodeLists, *PosixFileSystem());
    ASSERT_TRUE(lists.ok()) << lists.status().ToString();
    lists_ = std::move(lists).value();
    auto set = ContractSet::LoadDir(kSources, *PosixFileSystem());
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    set_ = std::move(set).value();
  }
  std::vector<std::string> Run(const std::string& contract, Form form, const std::vector<std::string>& header,
                               const std::vector<std::vector<std::string>>& rows, bool finish = true) {
    const Contract* c = set_.Find(contract).value();
    ValidatorOptions opt;
    opt.form = form;
    opt.delivery_date = Date::FromYmdUnchecked(2024, 2, 1);
    auto v = Validator::Create(*c, lists_, opt);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    std::vector<std::string> out;
    for (const Finding& f : v->CheckHeader(header)) out.push_back(f.ToString());
    std::int64_t line = 2;
    for (const auto& r : rows) {
      std::vector<std::string_view> fields(r.begin(), r.end());
      std::vector<Finding> findings;
      bool accepted = v->ValidateRow(line++, fields, &findings);
      for (const Finding& f : findings) out.push_back(f.ToString());
      out.push_back(accepted ? "accepted" : "rejected");
    }
    if (finish) {
      for (const Finding& f : v->Finish()) out.push_back(f.ToString());
    }
    return out;
  }
  CodeListSet lists_;
  ContractSet set_;
};

TEST_F(ValidatorTest, OmRowsRawForm) {
  const Contract* c = set_.Find("om_zaken").value();
  auto header = c->Header(Form::kRaw);
  std::vector<std::vector<std::string>> rows = {
      {"10/123456-23", "PL0100_PV_20230000001", "POL", "N", "123456782", "", "Jansen", "", "Piet", "2001-05-01", "M",
       "GM0363", "2023-03-01", "J", "310 Sr", "SBS", "2023-03-05"},
      // decision before inflow; unknown decision code (warn); bad date in the birth date (warn)
      {"10/123457-23", "", "POL", "N", "", "", "", "", "", "2001-02-30", "V", "GM0363", "2023-03-01", "", "310 Sr",
       "XXX", "2023-02-01"},
      // missing required inflow date; bad aanbrenger
      {"10/123458-23", "", "FOO", "N", "", "", "", "", "", "", "V", "", "", "", "", "", ""},
      // exact duplicate of row 1
      {"10/123456-23", "PL0100_PV_20230000001", "POL", "N", "123456782", "", "Jansen", "", "Piet", "2001-05-01", "M",
       "GM0363", "2023-03-01", "J", "310 Sr", "SBS", "2023-03-05"},
      // same key, other content; decision without a date; 11-year-old
      {"10/123456-23", "", "KMAR", "N", "", "", "", "", "", "2012-03-02", "M", "GM0363", "2023-03-01", "N", "310 Sr",
       "TSEP", ""},
      {"short"},
  };
  EXPECT_EQ(Run("om_zaken", Form::kRaw, header, rows),
            (std::vector<std::string>{
                "accepted",
                "line 3, column 'geboortedatum': FIELD-TYPE (warn): '2001-02-30' is not a valid calendar date",
                "line 3, column 'beslissing': FIELD-CODE (warn): 'XXX' is not in code list om_beslissing",
                "line 3: OM-R01 (reject_row): decision date before the inflow date",
                "line 3: OM-R04 (warn): case brought by the police without a pv number",
                "rejected",
                "line 4, column 'datum_instroom': FIELD-REQUIRED (reject_row): required field is empty",
                "line 4, column 'aanbrenger': FIELD-CODE (warn): 'FOO' is not in code list om_aanbrenger",
                "rejected",
                "line 5: ROW-DUPLICATE (reject_row): exact duplicate of an earlier row",
                "rejected",
                "line 6: OM-R02 (reject_row): decision without a decision date",
                "line 6: OM-R06 (warn): suspect younger than 12 (not criminally liable) or older than 105 at inflow",
                "line 6: KEY-DUPLICATE (reject_row): key '10/123456-23' occurred earlier in the file with other values",
                "rejected",
                "line 7: ROW-WIDTH (reject_row): expected 17 fields, found 1",
                "rejected",
                "OM-F02 (warn): more than 1% exact duplicate rows",
                "OM-F03 (warn): more than 10% of cases without a birth date",
                "OM-F05 (reject_delivery): more than 5% of decisions dated before inflow: the date columns may be swapped",
            }));
}

TEST_F(ValidatorTest, SealedHaltHeaderAndRules) {
  const Contract* c = set_.Find("halt_verwijzingen@1").value();
  // A sealed file that still holds the BSN column, misses Uren and has an extra column.
  std::vector<std::string> bad = c->Header(Form::kSealed);
  bad.erase(std::find(bad.begin(), bad.end(), "Uren"));
  bad.push_back("BSN");
  bad.push_back("opmerking");
  EXPECT_EQ(Run("halt_verwijzingen", Form::kSealed, bad, {}, false),
            (std::vector<std::string>{
                "column 'BSN': SCHEMA-UNSEALED (reject_delivery): direct identifier column (bsn) in a sealed delivery: "
                "seal the file before delivering it",
                "column 'opmerking': SCHEMA-EXTRA (warn): column not in contract halt_verwijzingen@1 (ignored)",
                "column 'Uren': SCHEMA-MISSING (warn): column missing from the header (optional)"}));
  // Sealed rows: leeftijd drives the age rules; hours 2-20; outcome after referral.
  auto header = c->Header(Form::kSealed);
  ASSERT_EQ(header.size(), 16u);
  std::vector<std::vector<std::string>> rows = {
      {"H2023000001", "PL0100_PV_20230000001", "M", "GM0363", "01-03-2023", "1.1.1", "10", "POSITIEF", "01-05-2023",
       "p1", "ok", "2008", "15", "bf", "bf", "bf"},
      {"H2023000002", "", "V", "GM0363", "01-03-2023", "2.5.2", "25", "POSITIEF", "", "p2", "ok", "2012", "11", "bf",
       "bf", "bf"},
      {"H2023000003", "", "V", "GM036", "01-03-2023", "9.9.9", "4", "LOPEND", "28-02-2023", "p3", "ok", "2004", "18",
       "bf", "bf", "bf"},
  };
  EXPECT_EQ(Run("halt_verwijzingen", Form::kSealed, header, rows),
            (std::vector<std::string>{
                "accepted",
                "line 3: HALT-01 (reject_row): younger than 12: Halt is for ages 12-17 at the offence",
                "line 3: HALT-03 (reject_row): Halt hours must be between 2 and 20",
                "line 3: HALT-05 (reject_row): finished without an outcome date",
                "rejected",
                "line 4, column 'Woongemeente': FIELD-TYPE (warn): 'GM036' is not a region code (expected NL00, PVnn, "
                "REnn, GMnnnn, WKnnnnnn or BUnnnnnnnn)",
                "line 4, column 'Feit': FIELD-CODE (warn): '9.9.9' is not in code list politie_soortmisdrijf",
                "line 4: HALT-02 (warn): 18 or older at the referral: Halt is for ages 12-17 at the offence",
                "line 4: HALT-04 (reject_row): outcome before the referral",
                "line 4: HALT-06 (warn): running with an outcome date",
                "rejected",
                "HALT-F02 (warn): more than 10% of referrals of persons aged 18 or older",
            }));
}

TEST_F(ValidatorTest, RawFormDerivesAgeFromBirthDate) {
  const Contract* c = set_.Find("halt_verwijzingen").value();
  ValidatorOptions opt;
  opt.form = Form::kRaw;
  auto v = Validator::Create(*c, lists_, opt);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->CheckHeader(c->Header(Form::kRaw)).empty());
  std::vector<std::string> row = {"H2023000001", "", "123456782", "Jansen", "", "Piet", "02-03-2011", "M", "GM0363",
                                  "01-03-2023", "1.1.1", "10", "LOPEND", ""};
  std::vector<std::string_view> fields(row.begin(), row.end());
  std::vector<Finding> findings;
  EXPECT_FALSE(v->ValidateRow(2, fields, &findings));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].ToString(), "line 2: HALT-01 (reject_row): younger than 12: Halt is for ages 12-17 at the offence");
  EXPECT_EQ(v->values()[c->FieldSlot("age")], Value::Integer(11));
  EXPECT_EQ(v->values()[c->FieldSlot("birth_year")], Value::Integer(2011));
}

TEST_F(ValidatorTest, DecimalCommaAndReferences) {
  struct Judgments : ReferenceResolver {
    std::optional<bool> Exists(std::string_view target, std::string_view value) const override {
      if (target != "rechtspraak_uitspraken.case_number") return std::nullopt;
      return value == "10/000001-23";
    }
  } judgments;
  const Contract* c = set_.Find("rechtspraak_sancties").value();
  ValidatorOptions opt;
  opt.references = &judgments;
  auto v = Validator::Create(*c, lists_, opt);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->CheckHeader(c->Header(Form::kSealed)).empty());
  std::vector<std::vector<std::string>> rows = {{"10/000001-23", "1", "BOETE", "450,50", "EUR", "N"},
                                                {"10/000002-23", "1", "TAAK", "0", "UREN", "N"},
                                                {"10/000001-23", "2", "GEV", "450.50", "DAGEN", "J"}};
  std::vector<std::string> out;
  std::int64_t line = 2;
  for (const auto& r : rows) {
    std::vector<std::string_view> f(r.begin(), r.end());
    std::vector<Finding> findings;
    v->ValidateRow(line++, f, &findings);
    for (const Finding& x : findings) out.push_back(x.ToString());
  }
  EXPECT_EQ(v->values()[c->FieldSlot("amount")].is_null(), true);
  for (const Finding& x : v->Finish()) out.push_back(x.ToString());
  EXPECT_EQ(out, (std::vector<std::string>{
                     "line 3: RS-S01 (reject_row): sanction amount must be greater than 0",
                     "line 4, column 'Hoeveelheid': FIELD-TYPE (reject_row): '450.50' is not a decimal with separator ',' (e.g. 450,00)",
                     "RS-SF02 (warn): sanctions without a judgment: more than 1% of Zaaknummers are not in the judgments"}));
}

}  // namespace
}  // namespace das::contract
