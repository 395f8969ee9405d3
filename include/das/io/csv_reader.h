// Streaming CSV reader: RFC 4180 plus what Dutch chain deliveries do (';' or any single-byte delimiter,
// UTF-8 with or without BOM, Windows-1252 converted to UTF-8, CRLF, LF or CR-only line ends, quoted newlines
// and doubled quotes, empty vs missing fields, ragged rows).
//
// Bad rows are part of the API, not exceptions: a record that cannot be read cleanly is still returned, with
// `error` set to a description naming file, physical line, column, expected vs found and a raw excerpt.
// Reading continues with the next record, so a caller can quarantine it and account for every row.
// Only I/O failures (and an unusable dialect) end reading: Next() returns a non-ok Status.
//
// Bad records and where reading resumes:
//   - a quote inside an unquoted field, text after a closing quote, invalid UTF-8 (UTF-8 files only), a NUL
//     byte, a field longer than max_field_bytes: the record is read to its normal end; `fields` holds a
//     best-effort reading (quotes kept literally, bytes as found).
//   - a quoted field not closed before end of file: the record is reported with empty `fields`; `raw` runs
//     from the record start to the end of the physical line holding the opening quote, and reading resumes
//     on the next physical line (so one stray quote does not swallow the rest of the file).
//   - a record longer than max_record_bytes: reported with empty `fields`, `raw` is its first physical line
//     cut at max_record_bytes; reading resumes on the physical line after the record's first line.
// Blank lines are returned as records with zero fields. Results do not depend on the buffer size.
//
// Ownership and lifetime: the views in a CsvRecord point into the reader's buffers and are valid until the
// next call to Next() or the reader's destruction. Threading: one reader per thread.
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

std::string_view EncodingName(Encoding encoding);  // "UTF-8", "Windows-1252"

struct CsvDialect {
  char delimiter = ',';  // any byte except the quote, '\r', '\n' and NUL
  char quote = '"';      // any byte except '\r', '\n' and NUL
  Encoding encoding = Encoding::kUtf8;
  bool has_header = true;
  std::size_t max_field_bytes = 1 << 20;   // a longer field makes the record bad
  std::size_t max_record_bytes = 4 << 20;  // a longer record is cut off and reported bad

  // Ok, or InvalidArgument naming the unusable setting.
  Status Validate() const;
};

// Where and why a record could not be read cleanly.
struct BadRow {
  std::string file;
  std::int64_t line = 0;    // 1-based physical line where the problem is
  int column = 0;           // 1-based field number; 0 when not about one field
  std::string what;         // e.g. "unterminated quoted field"
  std::string expected;     // e.g. "closing quote before end of file"
  std::string found;        // e.g. "end of file"
  std::string raw_excerpt;  // at most 120 bytes of the raw record, escaped (see EscapeRaw), "..." if cut
  // "om.csv: line 17, column 3: unterminated quoted field: expected closing quote before end of file,
  //  found end of file; raw: 1,x,\"12/3456" — ", column N" is left out when column is 0.
  std::string ToString() const;
};

// Escapes text for one-line display: '\\' -> "\\\\", '"' -> "\\\"", \r \n \t \0 as such, other control bytes
// and bytes that are not valid UTF-8 as \xNN. Valid non-ASCII UTF-8 is kept.
std::string EscapeRaw(std::string_view text);

struct CsvRecord {
  std::int64_t line = 0;   // 1-based physical line where the record starts
  std::int64_t index = 0;  // 0-based number of the data record (header excluded, bad records included)
  std::string_view raw;    // the record's text as decoded to UTF-8, without the line terminator
  std::vector<std::string_view> fields;  // unquoted, decoded field values
  // For each field: true if it was quoted in the file ("" is an empty value, nothing at all is missing).
  std::vector<bool> quoted;
  std::optional<BadRow> error;
};

// Tuning that does not change results.
struct CsvReadOptions {
  std::size_t chunk_bytes = 1 << 20;  // bytes read from the source per refill (>= 1; tests use tiny values)
};

class CsvReader {
 public:
  virtual ~CsvReader() = default;

  // Opens a file and reads the header. A UTF-8 BOM is skipped in UTF-8 files. Fails if the file cannot be
  // read or the dialect is unusable. With fs == nullptr the file is streamed from the local file system in
  // chunks (constant memory); with an fs it is read whole through fs->ReadFile.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path, const CsvDialect& dialect,
                                                 const FileSystem* fs = nullptr,
                                                 const CsvReadOptions& options = {});
  // Reads from memory; `name` is used in error messages. An unusable dialect makes Next() fail.
  static std::unique_ptr<CsvReader> FromString(std::string data, const CsvDialect& dialect, std::string name,
                                               const CsvReadOptions& options = {});

  // The header fields (empty if the dialect has none). Valid after construction.
  virtual const std::vector<std::string>& header() const = 0;
  // Set if the header record itself was bad (its fields are still in header()).
  virtual const std::optional<BadRow>& header_error() const = 0;
  // Physical line of the header record (0 without header).
  virtual std::int64_t header_line() const = 0;
  // True if the input started with a UTF-8 BOM (which was skipped).
  virtual bool had_bom() const = 0;
  // Fills `record` with the next record. Returns false at end of input.
  virtual Result<bool> Next(CsvRecord* record) = 0;
  // Bytes read from the source so far (raw, before decoding; runs ahead of Next() by at most one chunk).
  virtual std::uint64_t bytes_read() const = 0;
};

// Reads at most max_bytes from the start of a file (for DetectDialect). fs == nullptr: local file system.
Result<std::string> ReadFileSample(const std::string& path, std::size_t max_bytes,
                                   const FileSystem* fs = nullptr);

// What `das preview` detects in a file without a contract.
struct DetectedDialect {
  CsvDialect dialect;
  bool had_bom = false;
  bool crlf = false;        // first line end is CRLF
  bool cr_only = false;     // first line end is a lone CR
  std::string reason;  // why this delimiter and encoding were chosen
};

// Guesses delimiter (',', ';', '\t', '|'), quoting and encoding from the first bytes of a file. The sample
// may be cut anywhere (an incomplete last line or UTF-8 sequence is ignored). has_header is always true.
DetectedDialect DetectDialect(std::string_view sample);

}  // namespace das::io
