// das generate: the synthetic national criminal justice chain.
//
// Writes, for each year of [from, to], the deliveries each chain organisation would send in its own native
// form (docs/deliveries.md), manifest.csv, and DIR/_truth/ (ground truth: persons, the true person and chain
// case of every record, stage totals per year, the defects put in). Calibrated to the volumes in
// config/synth/kalibratie.toml; regional spread from config/synth/gemeenten_misdaad_2023.csv over the
// geography of config/geo/ (das::geo::Geography).
//
// Sealing: by default every delivery with direct identifiers is sealed (config/sources contracts, demo keys
// in DIR/_keys, never read by the pipeline); manifest rows and checksums describe the sealed files.
// Determinism: the same options give byte-identical files, whatever the number of threads.
// Errors: configuration problems (ParseError/NotFound naming the file) and I/O errors naming the path.
// Threading: Generate() uses up to `threads` worker threads internally; it is not reentrant on one out_dir.
#pragma once

#include <cstdint>
#include <string>

#include "das/core/env.h"
#include "das/core/status.h"

namespace das::synth {

struct GenerateOptions {
  std::string out_dir;
  std::string config_dir = "config";  // holds synth/ and geo/
  int from = 2014;
  int to = 2023;
  double scale = 1.0;                 // 1 = national volumes
  std::uint64_t seed = 1;
  double defect_multiplier = 1.0;     // multiplies the base defect rates; 0 = no defects
  int threads = 2;
  bool write_truth = true;
  // Seal the deliveries as the organisations do before delivering (das::seal::SealFile with per-organisation
  // demo keys derived from `seed`, written to DIR/_keys/<organisation>.keys): direct identifiers never
  // leave DIR/_raw. False writes the raw files in place (for tests of the model itself).
  bool seal = true;
  // Also write the unsealed files the organisations hold, under DIR/_raw/ (only with seal).
  bool write_raw = false;
};

struct GenerateSummary {
  std::int64_t files = 0;
  std::int64_t rows = 0;    // data rows in delivery files (manifest total)
  std::int64_t bytes = 0;   // bytes of delivery files
  std::int64_t truth_bytes = 0;
};

// Checks options (InvalidArgument naming the option) and generates into options.out_dir.
Result<GenerateSummary> Generate(const GenerateOptions& options, FileSystem* fs = nullptr);

// The BSN 11-check on 9 ASCII digits (used by the generator; das::seal has the full validation).
bool PassesElevenCheck(std::string_view nine_digits);

}  // namespace das::synth
