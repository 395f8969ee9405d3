// Streaming CSV reader: RFC 4180 plus what Dutch chain deliveries do (';' delimiter, UTF-8 with or
// without BOM, Windows-1252 converted to UTF-8, CRLF or LF, quoted newlines and doubled quotes, empty vs
// missing fields, ragged rows).
//
// Bad rows are part of the API, not exceptions: a record that cannot be read cleanly (unterminated quote,
// text after a closing quote, invalid UTF-8, a NUL byte, an oversized field) is still returned, with
// `error` set to a description naming file, physical line, column, expected vs found and a raw excerpt.
// Reading continues with the next record, so a caller can quarantine it and account for every row.
// Only I/O failures end reading (Next() returns a non-ok Status).
//
// Ownership and lifetime: the views in a CsvRecord point into the reader's buffers and are valid until the
// next call to Next(). Threading: one reader per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"

namespace das::io {

enum class Encoding : std::uint8_t { kUtf8, kWindows1252 };

struct CsvDialect {
  char delimiter = ',';
  char quote = '"';
  Encoding encoding = Encoding::kUtf8;
  bool has_header = true;
  std::size_t max_field_bytes = 1 << 20;   // a longer field makes the record bad
  std::size_t max_record_bytes = 4 << 20;  // a longer record is cut off and reported bad
};

// Where and why a record could not be read cleanly.
struct BadRow {
  std::string file;
  std::int64_t line = 0;    // 1-based physical line where the problem is
  int column = 0;           // 1-based field number; 0 when not about one field
  std::string what;         // e.g. "unterminated quoted field"
  std::string expected;     // e.g. "closing quote before end of file"
  std::string found;        // e.g. "end of file"
  std::string raw_excerpt;  // at most 120 bytes of the raw record, control characters escaped
  // "om.csv: line 17, column 3: unterminated quoted field: expected closing quote before end of file,
  //  found end of file; raw: \"12/3456..."
  std::string ToString() const;
};

struct CsvRecord {
  std::int64_t line = 0;   // 1-based physical line where the record starts
  std::int64_t index = 0;  // 0-based number of the data record (header excluded)
  std::string_view raw;    // the record's text as decoded to UTF-8, without the line terminator
  std::vector<std::string_view> fields;  // unquoted, decoded field values
  // For each field: true if it was quoted in the file ("" is an empty value, nothing at all is missing).
  std::vector<bool> quoted;
  std::optional<BadRow> error;
};

class CsvReader {
 public:
  virtual ~CsvReader() = default;

  // Opens a file. A UTF-8 BOM is skipped. Fails only if the file cannot be read.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, const CsvDialect& dialect,
                                                 const FileSystem* fs = nullptr);
  // Reads from memory; `name` is used in error messages.
  static std::unique_ptr<CsvReader> FromString(std::string data, const CsvDialect& dialect, std::string name);

  // The header fields (empty if the dialect has none). Valid after construction.
  virtual const std::vector<std::string>& header() const = 0;
  // Fills `record` with the next record. Returns false at end of input.
  virtual Result<bool> Next(CsvRecord* record) = 0;
  // Bytes of input consumed so far (for progress and throughput).
  virtual std::uint64_t bytes_read() const = 0;
};

// What `das preview` detects in a file without a contract.
struct DetectedDialect {
  CsvDialect dialect;
  bool had_bom = false;
  bool crlf = false;
  std::string reason;  // why this delimiter and encoding were chosen
};

// Guesses delimiter (',', ';', '\t', '|'), quoting and encoding from the first bytes of a file.
DetectedDialect DetectDialect(std::string_view sample);

}  // namespace das::io
