// The statistics stage's output model: a statistical table as CBS StatLine has it — dimensions with code
// lists (hierarchies, totals included), topics (measures) with units, and one value per cell and topic —
// before disclosure control. `das_stats` produces StatTables from the chain model; `das_release` protects and
// publishes them; `das serve` and the dashboard read the published form (das/release/release.h).
//
// Cells are dense: the full cross product of the dimensions' codes in row-major order (the last dimension
// varies fastest), the same layout as protect::CellTable, so a count topic converts to a CellTable directly.
//
// Cell identity across tables: two cells of two tables are the SAME statistic when their topics have the same
// `cell_key_id` and their coordinates agree on every dimension that is not at its total (root) code, the time
// dimension compared by period (flow topics) or by period end date (stock topics). The release layer uses
// this to keep a cell's protection and perturbed value identical wherever it appears (see CellSignature).
//
// Ownership: values. Threading: plain data.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace das::stats {

// CBS DataProperties Type of a dimension.
enum class DimensionKind : std::uint8_t { kDimension = 0, kTime = 1, kGeo = 2 };

// One code of a dimension's code list.
struct Code {
  std::string code;           // CBS-style key, e.g. "2023JJ00", "NL01", "GM0363", "T001", "3000"
  std::string title_nl, title_en;
  std::string parent;         // code of the parent ("" for the root); the root of a dimension is its total
  std::string description_nl, description_en;
  // Time dimension only: "Definitief" or "Voorlopig" (CBS Perioden Status); a period is provisional while a
  // delivery that covers it may still arrive or its units may still exit (see docs/statistics.md).
  std::string status;
};

struct DimensionSpec {
  std::string id;             // CBS-style key: "Perioden", "RegioS", "Delict", "Leeftijd", "Geslacht", ...
  DimensionKind kind = DimensionKind::kDimension;
  std::string title_nl, title_en, description_nl, description_en;
  std::vector<Code> codes;    // parents before children
  // True when codes[0] is the total of all other codes (a root whose descendants are the whole list); false for
  // dimensions of overlapping or non-additive categories (e.g. recidivism cohorts). Ignored for kTime.
  bool has_total = true;
  // Index of the total code, or -1 when the dimension has no total (the time dimension never has one).
  int total_index() const;
  int Find(const std::string& code) const;
};

// How a topic's values come about, which decides how disclosure control treats it.
enum class MeasureKind : std::uint8_t {
  kCount = 0,     // additive count of units (crimes, cases, persons): frequency rule, CKM/rounding, margins
  kAmount = 1,    // additive amount (euros): dominance (n,k) and p% rules, rounding
  kDerived = 2,   // not additive (median days, percentage, rate): published when its basis count `n` is
                  // safe (frequency rule on n) and suppressed otherwise; never perturbed itself
};

// Period semantics of a topic: a flow counts what happened within the period; a stock what was there at the
// period's end (so 2023JJ00, 2023KW04 and 2023MM12 are the same stock cell).
enum class TimeSemantics : std::uint8_t { kFlow = 0, kStock = 1 };

struct MeasureSpec {
  std::string id;             // CBS Topic key, e.g. "Instroom_1"
  std::string title_nl, title_en, description_nl, description_en;
  std::string unit;           // "aantal", "euro", "dagen", "%", "per 10 000 inwoners"
  int decimals = 0;
  MeasureKind kind = MeasureKind::kCount;
  TimeSemantics time = TimeSemantics::kFlow;
  // Identity of the statistic across tables (see the header comment), e.g. "om.inflow", "om.stock".
  std::string cell_key_id;
  // The definition as declared in config/stats (formula text), for the metadata and provenance.
  std::string definition;
};

// One topic's cells (size = StatTable::num_cells()).
struct MeasureValues {
  std::vector<double> value;           // the statistic (count, amount, median...); NaN when undefined
  std::vector<std::int64_t> n;         // contributing units (the basis of the frequency rule)
  std::vector<std::uint32_t> cell_key; // kCount: sum of the units' CKM record keys mod 256 (else 0)
  std::vector<double> top1, top2;      // kAmount: the two largest contributions (else empty)
};

struct StatTable {
  std::string id;             // table identifier, e.g. "DAS_OM_Stroom_Regio"
  std::string title_nl, title_en, description_nl, description_en;
  std::string theme;          // preventie, slachtofferschap, opsporing, vervolging, berechting, tenuitvoerlegging
  std::vector<std::string> source_stages;  // chain stages / datasets the table is computed from
  std::string protection;     // name of the disclosure-control rules (config/protect/rules.toml), "" = default
  std::vector<DimensionSpec> dims;
  std::vector<MeasureSpec> measures;
  std::vector<MeasureValues> values;  // one per measure, same order

  std::size_t num_cells() const;
  // Flat index from one code index per dimension.
  std::size_t Index(const std::vector<int>& codes) const;
  // Code index in dimension d of flat cell i.
  int CodeOf(std::size_t i, std::size_t d) const;
};

}  // namespace das::stats
