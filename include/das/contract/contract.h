// Source contracts: what one organisation's delivery of one dataset looks like (config/sources/*.toml) and
// what must hold for its rows and files. A contract is the single description used by
//   - das seal   (which columns are direct identifiers and what replaces them),
//   - das intake (format, header, types, code lists, keys, row and file rules),
//   - the generator's tests (the header of every file it writes).
// The TOML layout is documented in src/contract/README.md.
//
// Two forms of a delivery file: kRaw is the file the organisation holds (with BSN, names, birth date);
// kSealed is what is delivered (das/seal/seal.h SealedHeader): the raw columns without the direct identifiers,
// then the seal outputs (bsn_pseudo, bsn_status, geboortejaar, leeftijd, bf_achternaam, bf_voornaam,
// bf_geboortedatum) in the order the contract lists them.
//
// Errors: LoadContract/ParseContract messages name the file, line and column of the TOML problem and what was
// expected, e.g. "config/sources/om_zaken.toml: line 12, column 3: column 'datum_instroom': unknown type
// 'datum' (expected string, integer, decimal, date, code, boolean, region, bsn, surname, ...)".
// Ownership: Contract and ContractSet are values (rule ASTs are shared, immutable); thread-safe for reading.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "das/contract/expr.h"
#include "das/core/date.h"
#include "das/core/env.h"
#include "das/core/region.h"
#include "das/core/status.h"
#include "das/io/csv_reader.h"

namespace das::contract {

enum class Severity : std::uint8_t { kWarn, kRejectRow, kRejectDelivery };
std::string_view SeverityName(Severity s);  // "warn", "reject_row", "reject_delivery"

enum class FieldType : std::uint8_t {
  kString, kInteger, kDecimal, kDate, kCode, kBoolean, kRegion,
  // Identifier kinds. bsn, surname, tussenvoegsel, given_names, birth_date are direct identifiers (replaced
  // by das seal); sex and kvk are kept.
  kBsn, kSurname, kTussenvoegsel, kGivenNames, kBirthDate, kSex, kKvk,
};
std::string_view FieldTypeName(FieldType t);  // the TOML spelling: "string", "birth_date", ...
bool IsDirectIdentifier(FieldType t);
// The type of the value a column yields (kBsn -> string, kBirthDate -> date, kBoolean -> boolean, ...).
ValueType ValueTypeOf(FieldType t);

enum class Form : std::uint8_t { kRaw, kSealed };

struct Column {
  std::string name;   // as in the file header
  std::string field;  // canonical field, English snake_case
  FieldType type = FieldType::kString;
  bool required = false;
  DateFormat date_format = DateFormat::kIso;      // kDate, kBirthDate
  std::string codelist;                           // kCode, kSex
  std::string true_value = "J", false_value = "N";  // kBoolean
  RegionLevel region_level = RegionLevel::kGemeente;  // kRegion
  std::optional<double> min, max;                 // kInteger, kDecimal
  std::optional<Date> min_date, max_date;         // kDate, kBirthDate
  std::string pattern;                            // picture pattern (see expr.h), kString/kCode
  std::optional<std::size_t> max_length;          // kString-like: in bytes
  // What an invalid value (type, range, pattern, code) does. Default: kWarn for code lists (the value is
  // kept for harmonisation), kRejectRow otherwise. A required column that is empty always rejects the row.
  Severity on_invalid = Severity::kRejectRow;
  int line = 0;  // where the column is declared in the TOML (for messages)
};

struct Format {
  char delimiter = ',';
  char quote = '"';
  io::Encoding encoding = io::Encoding::kUtf8;
  enum class Bom : std::uint8_t { kForbidden, kOptional, kRequired };
  Bom bom = Bom::kOptional;
  char decimal_separator = '.';
  DateFormat date_format = DateFormat::kIso;  // default for date columns
  bool header = true;
  std::string line_ending;  // "crlf" or "lf": documentation only, not enforced

  io::CsvDialect Dialect() const;
};

enum class SealOutput : std::uint8_t {
  kBsnPseudo, kBsnStatus, kGeboortejaar, kLeeftijd, kBfAchternaam, kBfVoornaam, kBfGeboortedatum,
};
// "bsn_pseudo", ... : the column name in the sealed file.
std::string_view SealOutputName(SealOutput o);

struct SealSpec {
  // The date at which `leeftijd` (age in whole years) is computed: a canonical date field.
  std::string reference_date_field;
  std::vector<SealOutput> outputs;  // in sealed-file column order
  bool present = false;
};

struct Rule {
  std::string id;          // e.g. "OM-R01"
  Severity severity = Severity::kRejectRow;
  std::string expression;  // source text
  std::string message;     // what a violation means, for people
  std::shared_ptr<const Expr> ast;  // bound
  int line = 0;
};

struct MatchSpec {
  std::vector<std::string> file_patterns;  // globs on the base name: '*' any run, '?' one character
  bool header = true;                      // an exact raw or sealed header identifies the contract
};

// A canonical field a rule can name: raw columns, seal outputs, derived age/birth_year, delivery_date.
struct FieldInfo {
  std::string name;
  ValueType type = ValueType::kNull;
};

struct Contract {
  std::string name;          // "om_zaken"
  int version = 0;
  std::string organisation;  // "om"
  std::string dataset;       // "zaken"
  std::string description;
  std::string source_path;   // the TOML it came from
  Format format;
  std::vector<Column> columns;         // raw file, in header order
  std::vector<Column> sealed_columns;  // sealed file, in header order
  std::vector<std::string> key;        // canonical fields
  std::string reference_date;          // canonical date field that places a record in a period ("" = the year)
  SealSpec seal;
  std::vector<Rule> rules;       // row rules (severity warn, reject_row or reject_delivery)
  std::vector<Rule> file_rules;  // file rules (severity warn or reject_delivery)
  MatchSpec match;
  // Every field a row rule can name; slot i of Validator values is fields[i].
  std::vector<FieldInfo> fields;

  std::string Id() const { return name + "@" + std::to_string(version); }
  const std::vector<Column>& ColumnsOf(Form form) const { return form == Form::kRaw ? columns : sealed_columns; }
  std::vector<std::string> Header(Form form) const;
  const Column* FindColumnByName(std::string_view header_name, Form form) const;
  const Column* FindColumnByField(std::string_view field) const;  // raw or sealed
  int FieldSlot(std::string_view field) const;                    // -1 if unknown
};

// Parses contract TOML text; `path` is used in messages. Code-list names are not resolved here (see
// CheckCodeLists) so that contracts can be parsed alone, e.g. by the fuzzer.
Result<Contract> ParseContract(std::string_view toml_text, std::string_view path);
Result<Contract> LoadContract(const std::string& path, const FileSystem& fs);

class CodeListSet;
// Every code-list name a contract uses must exist; the error names the contract file and line.
Status CheckCodeLists(const Contract& contract, const CodeListSet& lists);

// All contracts of a directory, looked up by "name@version" or "name" (the highest version).
class ContractSet {
 public:
  // Loads every *.toml in `dir`. Names must be unique per version and match the file name
  // (<organisation>_<dataset>.toml, or <organisation>_<dataset>@<version>.toml for older versions).
  static Result<ContractSet> LoadDir(const std::string& dir, const FileSystem& fs);
  Status Add(Contract c);

  // "om_zaken@1" or "om_zaken" (highest version). NotFound lists the known contracts.
  Result<const Contract*> Find(std::string_view id) const;
  // Matches a delivery by base file name and header. A contract whose header matches (raw or sealed) and
  // whose file pattern matches wins; then a header-only match; then a name-only match. Among equal matches
  // the highest version of one contract wins; two different contracts are ambiguous (error).
  Result<const Contract*> Match(std::string_view file_name, const std::vector<std::string>& header) const;
  const std::vector<Contract>& contracts() const { return contracts_; }

 private:
  std::vector<Contract> contracts_;
};

// Glob on a base name: '*' any run of characters, '?' one character.
bool GlobMatch(std::string_view pattern, std::string_view name);

}  // namespace das::contract
