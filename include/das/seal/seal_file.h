// File-level sealing (`das seal`): what a supplier runs on its raw delivery file before delivering it.
// Library das_seal_file (links das_seal, das_contract, das_io; das_seal itself knows no contracts).
//
// SealFile reads a raw file in its contract's dialect (delimiter, quote, encoding incl. Windows-1252, BOM),
// checks that the header is exactly Contract::Header(Form::kRaw), seals every row with Sealer (seal.h; the
// SealSpec comes from the contract, see SealSpecForContract) and writes the sealed file with header exactly
// Contract::Header(Form::kSealed), in the same dialect as the input:
//   - same delimiter, quote character and encoding (Windows-1252 in, Windows-1252 out);
//   - a UTF-8 BOM if and only if the input had one;
//   - the line ending of the input's first line (CRLF or LF; a CR-only file is written with CRLF; a file
//     without any line end uses the contract's line_ending); the output always ends with a line end;
//   - kept fields quoted exactly when they were quoted in the input (so OM's quoted text stays quoted);
//     the added seal columns are written unquoted (they never hold a delimiter or quote);
//   - kept field values byte-for-byte as read (dates, decimals with ',' etc. are not reformatted).
// Rows the CSV reader reports as bad, and rows whose field count differs from the header, are DROPPED (they
// may hold identifiers in unknown positions, so they are never copied) and listed in SealReport by line
// and reason, for the supplier to fix and seal again. Blank lines are skipped and counted.
//
// Privacy: no identifier value (BSN, name, birth date) and no key byte appears in any Status message,
// SealReport reason or warning: reasons name lines, column numbers and header names only. Header column
// names that do not look like column names (e.g. a data line where the header should be) are not quoted.
//
// Determinism and threading: the output depends only on (contract, keys, tussenvoegsels, input bytes,
// Bloom parameters); it is byte-identical for every `threads` and `block_rows` value. SealFile reads on
// the calling thread and seals blocks of rows on `threads` threads (threads - 1 helpers plus the caller),
// joining them before it returns. All arguments must outlive the call; they are only read.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "das/contract/contract.h"
#include "das/core/env.h"
#include "das/core/status.h"
#include "das/seal/bloom.h"
#include "das/seal/bsn.h"
#include "das/seal/keys.h"
#include "das/seal/names.h"
#include "das/seal/seal.h"

namespace das::seal {

struct SealFileOptions {
  std::string file_name = "input";    // names the input in messages (e.g. its path)
  int threads = 2;                    // 1 = everything on the calling thread; results do not depend on it
  std::size_t block_rows = 4096;      // rows per work block (>= 1)
  std::size_t max_dropped_listed = 1000;  // SealReport::dropped keeps at most this many (all are counted)
  BloomParams name_params = kNameBloomParams;
  BloomParams date_params = kDateBloomParams;
};

struct DroppedRow {
  std::int64_t line = 0;  // 1-based physical line where the record starts
  std::string reason;     // value-free, e.g. "row has 12 fields, header has 14"
};

struct SealReport {
  std::string contract;            // "om_zaken@1"
  std::int64_t rows_read = 0;      // data records (dropped ones included, blank lines not)
  std::int64_t rows_written = 0;
  std::int64_t rows_dropped = 0;
  std::int64_t blank_lines = 0;
  std::vector<DroppedRow> dropped;  // in line order; at most SealFileOptions::max_dropped_listed
  // Of the rows written:
  std::int64_t bsn_ok = 0;
  std::int64_t bsn_missing = 0;
  std::int64_t bsn_invalid = 0;
  std::array<std::int64_t, 8> bsn_problems{};  // indexed by BsnProblem (kNone counts ok rows)
  std::int64_t legal_persons = 0;             // rows whose person kind is not a natural person
  std::int64_t birth_date_invalid = 0;        // present but not a date in the contract's format
  std::int64_t reference_date_invalid = 0;
  std::int64_t age_negative = 0;              // birth date after the reference date (leeftijd left empty)
  // The dialect written, mirrored from the input.
  bool bom = false;
  bool crlf = false;
  // Ways the input deviates from its contract's format that sealing mirrors rather than fixes, e.g.
  // "input has no BOM, but contract cjib_inning@1 requires one (the output mirrors the input)".
  std::vector<std::string> warnings;

  // One line: "om_zaken@1: 5 rows read, 4 written, 1 dropped; BSN ok 2, missing 1, invalid 1".
  std::string Summary() const;
};

// The seal spec of a contract's raw columns: the columns of type bsn, surname, tussenvoegsel, given_names,
// birth_date (with its date format) and sex; the [seal] reference_date field's column and format; the
// person-kind column, which is the column with code list "soort_verdachte" (natural person "N"), if any.
// FailedPrecondition if the contract has no [seal] table (nothing to seal); InvalidArgument if it has
// two columns of one identifier type.
Result<SealSpec> SealSpecForContract(const contract::Contract& contract);

// Ok if `header` is exactly contract.Header(Form::kRaw); otherwise an error naming what differs:
//   "<file>: line 1: header does not match contract om_zaken@1: missing column 'bsn'; unexpected column 'BSN'"
//   "<file>: line 1: header does not match contract om_zaken@1: column 3 is 'b', expected 'a' (same columns,
//    different order)"
//   "<file>: line 1: header is the sealed form of contract om_zaken@1: the file is already sealed"
Status CheckRawHeader(const contract::Contract& contract, const std::vector<std::string>& header,
                      std::string_view file_name, std::int64_t line = 1);

// Seals `raw_file_bytes` (a whole raw delivery file) into `*sealed_out` (replaced). On error *sealed_out
// is left empty. Errors: unusable dialect or header (see CheckRawHeader), an empty file, a contract
// without [seal], keys missing a needed domain, a header record the reader cannot read.
Result<SealReport> SealFile(const contract::Contract& contract, const KeyFile& keys,
                            const Tussenvoegsels& tussenvoegsels, std::string_view raw_file_bytes,
                            std::string* sealed_out, const SealFileOptions& options = {});

// The whole `das seal` job on files: loads the key file (LoadKeyFile: refuses modes other than 0600/0400),
// reads `in_path` through `fs`, seals it and writes `out_path` atomically (FileSystem::WriteFile: temp file
// + rename), so OUT is either absent/unchanged or complete. Refuses out_path == in_path.
// options.file_name is replaced by in_path.
Result<SealReport> SealFileAtPaths(const contract::Contract& contract, const std::string& key_path,
                                   const Tussenvoegsels& tussenvoegsels, const std::string& in_path,
                                   const std::string& out_path, FileSystem& fs, SealFileOptions options = {});

}  // namespace das::seal
