#include "das/io/csv_writer.h"

#include <cstring>

#include "das/io/text_encoding.h"

namespace das::io {
namespace {

constexpr std::uint64_t kPow10[19] = {1ULL,
                                      10ULL,
                                      100ULL,
                                      1000ULL,
                                      10000ULL,
                                      100000ULL,
                                      1000000ULL,
                                      10000000ULL,
                                      100000000ULL,
                                      1000000000ULL,
                                      10000000000ULL,
                                      100000000000ULL,
                                      1000000000000ULL,
                                      10000000000000ULL,
                                      100000000000000ULL,
                                      1000000000000000ULL,
                                      10000000000000000ULL,
                                      100000000000000000ULL,
                                      1000000000000000000ULL};

// Writes the decimal digits of v ending at `end`; returns the first digit's position.
char* FormatUnsigned(std::uint64_t v, char* end) {
  do {
    *--end = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return end;
}

}  // namespace

CsvWriter::CsvWriter(const CsvWriteOptions& options) : options_(options) {
  std::memset(special_, 0, sizeof special_);
  special_[static_cast<unsigned char>(options_.delimiter)] = 1;
  special_[static_cast<unsigned char>(options_.quote)] = 1;
  special_[static_cast<unsigned char>('\r')] = 1;
  special_[static_cast<unsigned char>('\n')] = 1;
  if (options_.bom && options_.encoding == Encoding::kUtf8) buf_ = "\xEF\xBB\xBF";
}

bool CsvWriter::NeedsQuotes(std::string_view value) const {
  for (char c : value) {
    if (special_[static_cast<unsigned char>(c)]) return true;
  }
  return false;
}

void CsvWriter::AppendText(std::string_view value) {
  if (options_.encoding == Encoding::kUtf8) {
    buf_.append(value);
    return;
  }
  Status s = AppendWindows1252FromUtf8(value, &buf_);
  if (!s.ok() && status_.ok()) {
    status_ = s.WithContext("CSV record " + std::to_string(records_ + 1) + ", field " + std::to_string(field_));
  }
}

void CsvWriter::AppendQuoted(std::string_view value) {
  const char q = options_.quote;
  buf_.push_back(q);
  std::size_t start = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == q) {
      AppendText(value.substr(start, i + 1 - start));  // includes the quote, which is then doubled
      start = i;
    }
  }
  AppendText(value.substr(start));
  buf_.push_back(q);
}

void CsvWriter::Text(std::string_view value) {
  Separate();
  if (options_.quote_all_text || NeedsQuotes(value)) {
    AppendQuoted(value);
  } else {
    AppendText(value);
  }
}

void CsvWriter::Quoted(std::string_view value) {
  Separate();
  AppendQuoted(value);
}

void CsvWriter::Missing() { Separate(); }

void CsvWriter::Int(std::int64_t value) {
  Separate();
  char tmp[24];
  char* end = tmp + sizeof tmp;
  std::uint64_t u = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  char* p = FormatUnsigned(u, end);
  if (value < 0) *--p = '-';
  buf_.append(p, static_cast<std::size_t>(end - p));
}

void CsvWriter::Fixed(std::int64_t scaled, int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals > 18) decimals = 18;
  Separate();
  std::uint64_t u = scaled < 0 ? 0 - static_cast<std::uint64_t>(scaled) : static_cast<std::uint64_t>(scaled);
  std::uint64_t whole = u / kPow10[decimals];
  std::uint64_t frac = u % kPow10[decimals];
  char tmp[48];
  char* end = tmp + sizeof tmp;
  char* p = end;
  if (decimals > 0) {
    for (int i = 0; i < decimals; ++i) {
      *--p = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    *--p = options_.decimal_separator;
  }
  p = FormatUnsigned(whole, p);
  if (scaled < 0) *--p = '-';
  bool quote = decimals > 0 && options_.decimal_separator == options_.delimiter;
  if (quote) buf_.push_back(options_.quote);
  buf_.append(p, static_cast<std::size_t>(end - p));
  if (quote) buf_.push_back(options_.quote);
}

void CsvWriter::EndRecord() {
  if (options_.crlf) buf_.push_back('\r');
  buf_.push_back('\n');
  field_ = 0;
  ++records_;
}

void CsvWriter::Record(std::initializer_list<std::string_view> fields) {
  for (std::string_view f : fields) Text(f);
  EndRecord();
}

Status CsvWriter::Flush(WritableFile* file) {
  DAS_RETURN_IF_ERROR(status_);
  if (buf_.empty()) return Status::Ok();
  DAS_RETURN_IF_ERROR(file->Append(buf_));
  buf_.clear();
  return Status::Ok();
}

}  // namespace das::io
