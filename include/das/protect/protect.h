// Disclosure control of one table of cells: primary rules, secondary suppression, perturbation or rounding,
// symbols. Pure functions of (CellTable, TableRules, PTable): the same input gives the same output.
//
//   primary     frequency (count in 1..max_n unsafe), for amount tables dominance (n,k) and p%;
//   secondary   for tables with margins: extra cells are suppressed so that no unsafe cell can be recomputed
//               from published cells and margins (heuristic by default, optimal MIP with COIN-OR CBC);
//   values      published cells: CKM-perturbed counts (ckm), CBS rounding to a base (round) or exact (none);
//   symbols     suppressed -> 'x' (and null in typed output), never zero; published 0 -> '-' (nil).
//
// Errors: inconsistent configuration (e.g. ckm on an amount table, a base < 1), bad input (negative
// counts). Threading: no shared state; Protect may run concurrently on different tables (the CBC solves of the
// optimal mode are serialised internally: CBC's driver keeps global state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/status.h"
#include "das/core/table.h"
#include "das/protect/ckm.h"
#include "das/protect/cell_table.h"

namespace das::protect {

enum class ValueMethod : std::uint8_t { kNone = 0, kCellKey = 1, kRound = 2 };
enum class SecondaryMethod : std::uint8_t { kNone = 0, kHeuristic = 1, kOptimal = 2 };
enum class CellStatus : std::uint8_t { kPublished = 0, kSuppressedPrimary = 1, kSuppressedSecondary = 2 };

std::string_view CellStatusName(CellStatus s);  // "published", "suppressed_primary", "suppressed_secondary"

// Symbols of CBS UntypedDataSet.
inline constexpr char kSymbolConfidential[] = "x";
inline constexpr char kSymbolUnavailable[] = ".";
inline constexpr char kSymbolNil[] = "-";

struct TableRules {
  std::string name;                 // table id, for messages
  TableKind kind = TableKind::kCount;
  // Frequency rule: a cell with 1 <= count <= frequency_max_n is unsafe (0 disables; empty cells are safe).
  int frequency_max_n = 3;
  // Amount tables: protection of a frequency-unsafe cell, as % of its amount.
  double frequency_range_percent = 30;
  // Dominance (n,k): unsafe when the n largest contributions exceed k% of the amount (n in {1, 2}; k 0 = off).
  int dominance_n = 2;
  double dominance_k = 85;
  // p%: unsafe when amount - x1 - x2 < p/100 * x1 (0 = off).
  double p_percent = 0;
  // Counts: lower protection (the attacker's lower bound must be <= count - this, at least 0).
  int count_lower_protection = 1;

  ValueMethod value_method = ValueMethod::kCellKey;
  int round_base = 10;              // kRound: 5 or 10 (any base >= 1 accepted)
  SecondaryMethod secondary = SecondaryMethod::kHeuristic;
  // Optimal mode is refused above this many cells (returns FailedPrecondition).
  std::size_t optimal_max_cells = 4000;
  // Heuristic mode: up to this many cells, the result is attacked with the exact LP (CLP) and repaired until
  // every unsafe cell is protected; above it the heuristic's local rules are all there is (see docs).
  std::size_t audit_max_cells = 10000;
};

// Reads rules from TOML text: a [default] table, optional per-table [table.<name>] overriding it. Keys:
// kind ("count"|"amount"), frequency_max_n, frequency_range_percent, dominance_n, dominance_k, p_percent,
// count_lower_protection, method ("ckm"|"round"|"none"), round_base, secondary ("heuristic"|"optimal"|"none"),
// optimal_max_cells, audit_max_cells; and an optional [release] table with joint_audit_max_vars. Errors name the file, the key and the bad value; unknown keys are errors.
class RulesConfig {
 public:
  static Result<RulesConfig> Parse(std::string_view toml_text, std::string_view file_name);
  // The rules of table `name` (the defaults when it has no own section).
  TableRules For(std::string_view name) const;
  std::vector<std::string> TableNames() const;
  // [release] joint_audit_max_vars: the exact joint attack on linked tables runs per connected component of at
  // most this many distinct cells (0 = never; see docs/releases.md).
  std::size_t joint_audit_max_vars() const { return joint_audit_max_vars_; }

 private:
  std::size_t joint_audit_max_vars_ = 20000;
  TableRules default_;
  std::vector<TableRules> tables_;
};

// Why a cell is unsafe and how much protection it needs (upper/lower protection levels on its value).
struct PrimaryResult {
  std::vector<std::uint8_t> unsafe;  // per cell 0/1
  std::vector<double> upper;         // required: attacker's upper bound >= value + upper
  std::vector<double> lower;         // required: attacker's lower bound <= value - lower
  std::size_t num_unsafe = 0;
};
// The value secondary suppression protects: count (count tables) or amount.
double CellValue(const CellTable& t, std::size_t i);
Result<PrimaryResult> ApplyPrimaryRules(const CellTable& table, const TableRules& rules);

struct SecondaryStats {
  std::size_t num_secondary = 0;
  double suppressed_value = 0;   // sum of values of secondary suppressions
  bool proven_optimal = false;   // optimal mode: CBC proved optimality of the last master problem
  bool audited = false;          // an exact LP attack found every unsafe cell protected
  int iterations = 0;            // heuristic line checks / optimal cut rounds
  int repair_rounds = 0;         // heuristic: audit-and-repair rounds (1 = the first audit found nothing)
};

// Heuristic: for every line (margin relation) holding a suppressed cell, the cell must not be alone and the
// other suppressed cells of the line must be able to absorb its protection (local capacity rule); the cheapest
// suitable partner (smallest value, never an empty cell) is suppressed, and the check repeats over all lines
// touched, across all hierarchy levels, until stable. `suppressed` (per cell 0/1) is extended in place.
SecondaryStats SuppressSecondaryHeuristic(const CellTable& table, const PrimaryResult& primary,
                                          std::vector<std::uint8_t>* suppressed);

// Audit-and-repair (used after the heuristic): attacks every unsafe cell with the exact LP and, for each one
// not protected, suppresses the cheapest cells of the violated protection cut, then closes their lines with
// the heuristic; repeats until no attack succeeds. Errors: LP failure, no convergence in 100 rounds.
Status RepairByAudit(const CellTable& table, const PrimaryResult& primary, std::vector<std::uint8_t>* suppressed,
                     int* rounds);

// Optimal: minimise the suppressed value subject to every unsafe cell's protection interval (Fischetti-
// Salazar cuts generated from the attacker LP duals, master MIP solved by COIN-OR CBC). Errors:
// FailedPrecondition if the table has more than rules.optimal_max_cells cells or no solution is found.
Result<SecondaryStats> SuppressSecondaryOptimal(const CellTable& table, const PrimaryResult& primary,
                                                const TableRules& rules, std::vector<std::uint8_t>* suppressed);

// CBS-style rounding of v to the nearest multiple of base (halves up); base >= 1.
std::int64_t RoundToBase(std::int64_t v, int base);
double RoundToBase(double v, int base);

struct ProtectedTable {
  std::vector<CellStatus> status;
  std::vector<std::optional<double>> value;  // published value; nullopt when suppressed
  SecondaryStats secondary;
  std::size_t num_primary = 0;
  // CBS UntypedDataSet symbol or number text for cell i ('x' when suppressed, '-' when published 0).
  std::string Untyped(std::size_t i) const;
};

// Protects one table. `ptable` is required when rules.value_method == kCellKey (else may be null).
Result<ProtectedTable> Protect(const CellTable& table, const TableRules& rules, const PTable* ptable);
// The same with cells that must be suppressed whatever the rules say (`forced`, per cell 0/1, or empty):
// e.g. cells suppressed in a linked table (das/protect/linked.h). A forced cell needs no protection interval
// of its own but counts as suppressed; the heuristic gives it a partner in each of its lines (it is never the
// only suppressed cell of a line), and it is reported as kSuppressedSecondary unless primary-unsafe.
Result<ProtectedTable> Protect(const CellTable& table, const TableRules& rules, const PTable* ptable,
                               const std::vector<std::uint8_t>& forced);

// Typed output as a das::Table: one column per dimension (codes), then "value" (kInt64 for count tables,
// kDouble for amounts; null when suppressed), "status" and "symbol".
Table ToTable(const CellTable& table, const ProtectedTable& result);

}  // namespace das::protect
