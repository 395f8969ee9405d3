// Cell Key Method (ONS style): record keys, cell keys and the perturbation table.
//
// 1. Every unit (person, case) gets a permanent record key in 0..255: a keyed hash of its id (RecordKeyer).
// 2. The cell key is the sum of the record keys of the units in the cell, mod 256 (CellKey / CombineKeys);
//    an empty cell has key 0. The same set of units gives the same key in every table.
// 3. The perturbation table (PTable) maps (row i = min(count, max_i), cell key) to a noise v; the published
//    value is count + v. So the same cell gets the same value wherever it appears.
//
// The table is generated deterministically (GeneratePTable: maximum-entropy rows with maximum noise D, zero
// mean, target variance V, no published value in 1..js and none below 0; probabilities in 256ths, so each
// row is a partition of the key range 0..255) and stored as CSV in config/protect/.
// Threading: all types are values; RecordKeyer is immutable after construction and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/status.h"

namespace das::protect {

inline constexpr std::uint32_t kCellKeyModulus = 256;

// Record keys from unit ids: SipHash-2-4 (libsodium crypto_shorthash) under a secret key, reduced to 0..255.
// The secret is derived from `secret` (any length >= 16 bytes, e.g. KeyStore "protect/record-key") with
// BLAKE2b; it never appears in messages.
class RecordKeyer {
 public:
  // Errors: secret shorter than 16 bytes.
  static Result<RecordKeyer> Create(std::string_view secret);
  std::uint32_t Key(std::string_view unit_id) const;

 private:
  std::array<unsigned char, 16> key_{};
};

// Sum of record keys mod 256.
std::uint32_t CellKey(const std::vector<std::uint32_t>& record_keys);
inline std::uint32_t CombineKeys(std::uint32_t a, std::uint32_t b) { return (a + b) % kCellKeyModulus; }

struct PTableParams {
  int max_noise = 2;           // D: |v| <= D
  double variance = 1.0;       // V: target variance of the rows where it is reachable
  int js = 2;                  // no published value in 1..js (counts 1..js become 0 or >= js+1)
  int max_i = 0;               // last row (0: 2*D + js + 1); counts >= max_i use row max_i
};

// One row entry: counts i give noise v (published j = i + v) when lb <= cell key < ub.
struct PTableEntry {
  int i = 0;
  int j = 0;
  int v = 0;
  int lb = 0;
  int ub = 0;
  double p() const { return (ub - lb) / 256.0; }
};

struct PTable {
  PTableParams params;
  std::vector<PTableEntry> entries;       // sorted by i, then v; per i the [lb, ub) partition [0, 256)
  std::vector<std::uint32_t> row_begin;   // per i: first entry; size max_i + 2

  // Noise for a count and a cell key (cell_key mod 256 is used).
  int Noise(std::int64_t count, std::uint32_t cell_key) const;
  std::int64_t Perturb(std::int64_t count, std::uint32_t cell_key) const { return count + Noise(count, cell_key); }
  // CSV: header "i,j,v,p,lb,ub" (p printed with 8 decimals), then one line per entry; a first comment line
  // "# ptable D=..,V=..,js=..,max_i=.." records the parameters.
  std::string ToCsv() const;
  static Result<PTable> FromCsv(std::string_view csv, std::string_view name);
};

// Deterministic generation. Errors: D < 1, js < 0, V <= 0, max_i too small (< D + js + 1).
Result<PTable> GeneratePTable(const PTableParams& params);

// Statistics of one row, for validation and documentation.
struct PTableRowStats {
  int i = 0;
  double sum_p = 0;
  double mean = 0;
  double variance = 0;
};
std::vector<PTableRowStats> RowStats(const PTable& table);

// Checks the table: every row i = 0..max_i present, its [lb, ub) intervals partition 0..255 (probabilities sum
// to exactly 1), |v| <= D, j = i + v >= 0, no j in 1..js, row 0 is exactly {v = 0}, |mean| <= D/256 (zero up
// to the 1/256 granularity of the keys), and for rows i >= 2D + js + 1 |variance - V| <= 0.05.
// Errors name the row and what is wrong.
Status ValidatePTable(const PTable& table);

}  // namespace das::protect
