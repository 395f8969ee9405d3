// CsvWriter: appends CSV records to an in-memory buffer, to be flushed to a das::WritableFile.
//
// Fields are appended one at a time; the writer puts delimiters and line ends in. Text is quoted only when it
// must be (it holds the delimiter, the quote, CR or LF), or always with quote_all_text; quotes inside are
// doubled. Numbers are formatted without allocation: Int(-42) -> "-42"; Fixed(45000, 2) -> "450.00" or, with
// decimal_separator ',', "450,00" (quoted if ',' is also the delimiter).
//
// Encoding: input text is UTF-8. With encoding kWindows1252 the output is converted; a character Windows-1252
// cannot represent (or invalid UTF-8) records the first error in status() (naming record and field) and the
// field is written as far as it could be encoded. Flush() returns that error. A BOM is written only for UTF-8.
//
// Threading: one writer per thread. Not copyable state beyond the buffer.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "das/core/env.h"
#include "das/core/status.h"
#include "das/io/csv_reader.h"

namespace das::io {

struct CsvWriteOptions {
  char delimiter = ',';
  char quote = '"';
  bool crlf = false;                  // "\r\n" line ends instead of "\n"
  bool bom = false;                   // start with a UTF-8 BOM (ignored for Windows-1252)
  Encoding encoding = Encoding::kUtf8;
  char decimal_separator = '.';       // for Fixed(): '.' or ','
  bool quote_all_text = false;        // Text() always quotes (Int/Fixed/Missing never do)
};

class CsvWriter {
 public:
  explicit CsvWriter(const CsvWriteOptions& options = {});

  // A text field: quoted if needed. Text("") writes nothing (a missing value) unless quote_all_text.
  void Text(std::string_view value);
  // A text field that is always quoted; Quoted("") writes "" (an empty, present value).
  void Quoted(std::string_view value);
  // A missing value: nothing between the delimiters.
  void Missing();
  void Int(std::int64_t value);
  // scaled / 10^decimals with exactly `decimals` digits after the separator (0 <= decimals <= 18).
  void Fixed(std::int64_t scaled, int decimals);
  // Ends the record (writes the line end).
  void EndRecord();
  // Convenience: a whole record of Text fields (e.g. a header).
  void Record(std::initializer_list<std::string_view> fields);

  const std::string& buffer() const { return buf_; }
  std::size_t size() const { return buf_.size(); }
  std::int64_t records() const { return records_; }
  // The first encoding error, or ok.
  const Status& status() const { return status_; }

  // Appends the buffer to `file` and clears it. Returns status() if it is an error (nothing written then).
  Status Flush(WritableFile* file);
  // Flush() if the buffer holds at least `threshold` bytes.
  Status MaybeFlush(WritableFile* file, std::size_t threshold = 1 << 20) {
    return buf_.size() >= threshold ? Flush(file) : Status::Ok();
  }

 private:
  void Separate() {
    if (field_ > 0) buf_.push_back(options_.delimiter);
    ++field_;
  }
  void AppendText(std::string_view value);
  void AppendQuoted(std::string_view value);
  bool NeedsQuotes(std::string_view value) const;

  CsvWriteOptions options_;
  std::string buf_;
  int field_ = 0;
  std::int64_t records_ = 0;
  Status status_;
  unsigned char special_[256];
};

}  // namespace das::io
