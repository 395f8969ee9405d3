// Validation of delivery rows and files against a source contract: per field (type, range, pattern, code
// list, required), per row (row rules, key uniqueness, exact duplicates) and per file (header, file rules).
// Reading the file (encoding, quoting, bad records) is das_io's job; intake feeds the fields of each record
// here and decides what to do with the findings (quarantine a row, refuse the delivery, report warnings).
//
// Built-in rule ids (contract rules have their own ids):
//   SCHEMA-MISSING   a contract column is absent from the header (reject_delivery if required, else warn)
//   SCHEMA-EXTRA     a header column the contract does not know (warn)
//   SCHEMA-ORDER     all columns present but in another order (warn)
//   SCHEMA-DUPLICATE a header name occurs twice (reject_delivery)
//   SCHEMA-UNSEALED  a sealed delivery still holds a direct-identifier column (reject_delivery)
//   ROW-WIDTH        a row has more or fewer fields than the header (reject_row)
//   FIELD-REQUIRED   a required field is empty (reject_row)
//   FIELD-TYPE, FIELD-RANGE, FIELD-PATTERN, FIELD-LENGTH, FIELD-CODE   invalid value (column's on_invalid)
//   KEY-DUPLICATE    the key occurred before in the file with different content (reject_row)
//   ROW-DUPLICATE    the whole row occurred before in the file (reject_row)
//
// Threading: a Validator holds per-file state; use one per file and thread. It keeps one entry per distinct
// key (for uniqueness), so memory grows with the number of rows.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "das/contract/codelist.h"
#include "das/contract/contract.h"
#include "das/contract/expr.h"

namespace das::contract {

struct Finding {
  std::string rule_id;
  Severity severity = Severity::kWarn;
  std::string message;
  std::int64_t line = 0;  // physical line of the row; 0 for file findings
  std::string column;     // file column name, or empty
  // "line 17, column 'Datum_beslissing': OM-R01 (reject_row): decision before inflow"
  std::string ToString() const;
  friend bool operator==(const Finding&, const Finding&) = default;
};

// Answers referential checks (reference_rate in file rules): does `value` exist in target "contract.field"?
// nullopt when the target is not available (the check is then unknown and passes).
class ReferenceResolver {
 public:
  virtual ~ReferenceResolver() = default;
  virtual std::optional<bool> Exists(std::string_view target, std::string_view value) const = 0;
};

struct ValidatorOptions {
  Form form = Form::kSealed;
  std::optional<Date> delivery_date;           // value of the delivery_date field in rules
  const ReferenceResolver* references = nullptr;  // not owned; must outlive the Validator
};

struct FileStats {
  std::int64_t rows = 0;
  std::int64_t parsed_rows = 0;  // rows with the header's width (their fields were typed)
  std::int64_t rejected_rows = 0;
  std::int64_t warned_rows = 0;
  std::int64_t duplicate_rows = 0;
  std::int64_t key_duplicate_rows = 0;
  std::vector<std::int64_t> missing;  // per contract field slot: rows where the field is empty
  std::vector<std::int64_t> invalid;  // per contract field slot: rows with an invalid value
  std::unordered_map<std::string, std::int64_t> rule_failures;  // per row-rule id
};

// Parses one field's text by its column type. Empty text gives null. Errors describe the problem without
// position ("'31-02-2023' is not a valid date ..."); range, pattern and code checks are done by Validator.
Result<Value> ParseField(const Column& column, std::string_view text, char decimal_separator);

// Evaluates a contract's row rules over typed values (indexed by contract field slot). A rule fails only if
// it evaluates to false.
std::vector<Finding> EvaluateRowRules(const Contract& contract, std::span<const Value> values, std::int64_t line);

class Validator {
 public:
  // The contract and code lists must outlive the Validator. Fails if a code list is missing.
  static Result<Validator> Create(const Contract& contract, const CodeListSet& lists, ValidatorOptions options);

  // Maps the header to contract columns. Must be called before ValidateRow.
  std::vector<Finding> CheckHeader(const std::vector<std::string>& header);
  // Validates one data row (fields in header order). Appends findings; returns true if the row is accepted
  // (no finding of severity reject_row or reject_delivery).
  bool ValidateRow(std::int64_t line, std::span<const std::string_view> fields, std::vector<Finding>* findings);
  // Typed values of the last validated row, indexed by contract field slot (see Contract::fields).
  std::span<const Value> values() const { return values_; }
  // File rules, after the last row.
  std::vector<Finding> Finish();
  const FileStats& stats() const { return stats_; }

 private:
  Validator(const Contract& c, const CodeListSet& l, ValidatorOptions o) : contract_(&c), lists_(&l), options_(o) {}
  class Metrics;
  struct Reference {
    int slot;
    std::string target;
    std::int64_t found = 0, checked = 0;
  };

  const Contract* contract_;
  const CodeListSet* lists_;
  ValidatorOptions options_;
  std::vector<const Column*> header_columns_;  // per header position; null for unknown columns
  std::vector<int> header_slots_;
  std::vector<const CodeList*> header_lists_;
  std::size_t header_width_ = 0;
  bool header_checked_ = false;
  std::vector<int> key_slots_;
  std::vector<int> key_positions_;  // header positions of the key columns (-1 if absent)
  int reference_slot_ = -1;
  int birth_slot_ = -1, seal_ref_slot_ = -1, age_slot_ = -1, birth_year_slot_ = -1, delivery_slot_ = -1;
  std::vector<Value> values_;
  std::vector<char> invalid_row_;
  std::unordered_map<std::string, std::uint64_t> keys_;  // key text -> row hash
  std::vector<Reference> references_;
  FileStats stats_;
};

}  // namespace das::contract
