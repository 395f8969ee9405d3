// CSV reader: one growable buffer holding whole records, parsed with byte-class tables.
//
// The buffer holds [begin_, end_) of decoded (UTF-8) input followed by kPad zero bytes; the zero acts as a
// sentinel so the scanning loops need no bounds check (a NUL at `end` means "out of data"). A record is
// parsed only when it lies completely in the buffer; if the parser runs out of data it returns kNeedMore, the
// buffer is compacted and refilled and the record is parsed again from its start (cheap: chunks are large
// compared to records). Field values are views into the buffer; only fields with doubled quotes are copied
// into scratch_.
#include "das/io/csv_reader.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "das/io/text_encoding.h"

namespace das::io {
namespace {

constexpr std::size_t kPad = 8;
constexpr std::size_t kExcerptBytes = 120;

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to n (> 0) bytes into dst; returns 0 only at end of input.
  virtual Result<std::size_t> Read(char* dst, std::size_t n) = 0;
};

class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string data) : data_(std::move(data)) {}
  Result<std::size_t> Read(char* dst, std::size_t n) override {
    n = std::min(n, data_.size() - pos_);
    std::memcpy(dst, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  std::size_t pos_ = 0;
};

std::string ErrnoText() { return std::strerror(errno); }

class FdSource final : public ByteSource {
 public:
  FdSource(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~FdSource() override { ::close(fd_); }
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;
  Result<std::size_t> Read(char* dst, std::size_t n) override {
    for (;;) {
      ssize_t r = ::read(fd_, dst, n);
      if (r >= 0) return static_cast<std::size_t>(r);
      if (errno != EINTR) return Status::IoError("cannot read '" + path_ + "': " + ErrnoText());
    }
  }

 private:
  std::string path_;
  int fd_;
};

enum class Problem : std::uint8_t {
  kNone,
  kStrayAfterQuote,
  kQuoteInUnquoted,
  kInvalidUtf8,
  kNul,
  kFieldTooLong,
  kUnterminated,
  kRecordTooLong,
};

std::string Hex(unsigned char b) {
  static const char kDigits[] = "0123456789ABCDEF";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 15];
}

// "'x'", "'\r'", "'é'" or "byte 0xE9" for the character at p.
std::string CharDesc(const char* p, const char* end) {
  if (p >= end) return "end of file";
  auto b = static_cast<unsigned char>(*p);
  if (b >= 0x20 && b < 0x7F) return std::string("'") + *p + "'";
  if (b < 0x80) return "'" + EscapeRaw(std::string_view(p, 1)) + "'";
  int n = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p), static_cast<std::size_t>(end - p));
  if (n > 0) return "'" + std::string(p, static_cast<std::size_t>(n)) + "'";
  return "byte " + Hex(b);
}

class CsvReaderImpl final : public CsvReader {
 public:
  CsvReaderImpl(std::unique_ptr<ByteSource> source, const CsvDialect& dialect, std::string name,
                const CsvReadOptions& options)
      : source_(std::move(source)),
        dialect_(dialect),
        name_(std::move(name)),
        chunk_(std::max<std::size_t>(options.chunk_bytes, 1)),
        utf8_(dialect.encoding == Encoding::kUtf8),
        too_long_buffered_(dialect.max_record_bytes > SIZE_MAX - 3 ? SIZE_MAX : dialect.max_record_bytes + 3) {
    std::memset(uspecial_, 0, sizeof uspecial_);
    std::memset(qspecial_, 0, sizeof qspecial_);
    for (unsigned char c : {static_cast<unsigned char>('\n'), static_cast<unsigned char>('\r'),
                            static_cast<unsigned char>('\0'), static_cast<unsigned char>(dialect.quote)}) {
      uspecial_[c] = 1;
      qspecial_[c] = 1;
    }
    uspecial_[static_cast<unsigned char>(dialect.delimiter)] = 1;
    if (utf8_) {
      for (int c = 0x80; c < 0x100; ++c) uspecial_[c] = qspecial_[c] = 1;
    }
  }

  Status Init() {
    dialect_status_ = dialect_.Validate();
    DAS_RETURN_IF_ERROR(dialect_status_);
    if (!dialect_.has_header) return Status::Ok();
    CsvRecord rec;
    DAS_ASSIGN_OR_RETURN(bool got, ReadRecord(&rec));
    if (got) {
      header_.assign(rec.fields.begin(), rec.fields.end());
      header_error_ = std::move(rec.error);
      header_line_ = rec.line;
    }
    return Status::Ok();
  }

  const std::vector<std::string>& header() const override { return header_; }
  const std::optional<BadRow>& header_error() const override { return header_error_; }
  std::int64_t header_line() const override { return header_line_; }
  bool had_bom() const override { return had_bom_; }
  std::uint64_t bytes_read() const override { return bytes_read_; }

  Result<bool> Next(CsvRecord* record) override {
    DAS_RETURN_IF_ERROR(dialect_status_);
    DAS_ASSIGN_OR_RETURN(bool got, ReadRecord(record));
    if (got) record->index = index_++;
    return got;
  }

 private:
  enum class Parse : std::uint8_t { kRecord, kNeedMore, kEnd, kTooLong };

  struct Pending {
    Problem problem = Problem::kNone;
    std::int64_t line = 0;
    int column = 0;
    const char* at = nullptr;
    std::size_t size = 0;
  };
  struct ScratchField {
    std::size_t index, offset, size;
  };

  Result<bool> ReadRecord(CsvRecord* rec) {
    for (;;) {
      if (skip_line_) {
        const char* base = buf_.get();
        const char* p = base + begin_;
        const char* end = base + end_;
        while (p < end && *p != '\n' && *p != '\r') ++p;
        if (p < end) {
          skip_lf_ = *p == '\r';
          begin_ = static_cast<std::size_t>(p + 1 - base);
          skip_line_ = false;
        } else {
          begin_ = end_;
          if (eof_) {
            skip_line_ = false;
          } else {
            DAS_RETURN_IF_ERROR(Refill());
            continue;
          }
        }
      }
      if (skip_lf_) {
        if (begin_ == end_ && !eof_) {
          DAS_RETURN_IF_ERROR(Refill());
          continue;
        }
        if (begin_ < end_ && buf_[begin_] == '\n') ++begin_;
        skip_lf_ = false;
      }
      if (!bom_checked_) {
        static constexpr char kBom[] = "\xEF\xBB\xBF";
        std::size_t have = end_ - begin_;
        if (utf8_ && have < 3 && !eof_ && (have == 0 || std::memcmp(buf_.get() + begin_, kBom, have) == 0)) {
          DAS_RETURN_IF_ERROR(Refill());
          continue;
        }
        if (utf8_ && have >= 3 && std::memcmp(buf_.get() + begin_, kBom, 3) == 0) {
          begin_ += 3;
          had_bom_ = true;
        }
        bom_checked_ = true;
      }
      switch (ParseRecord(rec)) {
        case Parse::kRecord:
          return true;
        case Parse::kEnd:
          return false;
        case Parse::kTooLong:
          RecordTooLong(rec);
          return true;
        case Parse::kNeedMore:
          if (end_ - begin_ >= too_long_buffered_) {
            RecordTooLong(rec);
            return true;
          }
          DAS_RETURN_IF_ERROR(Refill());
          break;
      }
    }
  }

  // Moves the unconsumed bytes to the front, grows the buffer if needed and reads one chunk.
  Status Refill() {
    std::size_t used = end_ - begin_;
    if (begin_ > 0) {
      std::memmove(buf_.get(), buf_.get() + begin_, used);
      begin_ = 0;
      end_ = used;
    }
    std::size_t need = used + (utf8_ ? chunk_ : 3 * chunk_);
    if (need > cap_) {
      std::size_t cap = std::max(need, 2 * cap_);
      std::unique_ptr<char[]> grown(new char[cap + kPad]);
      if (used > 0) std::memcpy(grown.get(), buf_.get(), used);
      buf_ = std::move(grown);
      cap_ = cap;
    }
    std::size_t got;
    if (utf8_) {
      DAS_ASSIGN_OR_RETURN(got, source_->Read(buf_.get() + end_, chunk_));
      end_ += got;
    } else {
      stage_.resize(chunk_);
      DAS_ASSIGN_OR_RETURN(got, source_->Read(stage_.data(), chunk_));
      end_ += DecodeWindows1252(stage_.data(), got, buf_.get() + end_);
    }
    if (got == 0) eof_ = true;
    bytes_read_ += got;
    std::memset(buf_.get() + end_, 0, kPad);
    return Status::Ok();
  }

  void Note(Problem problem, std::int64_t line, int column, const char* at, std::size_t size = 0) {
    if (pending_.problem != Problem::kNone) return;
    pending_ = Pending{problem, line, column, at, size};
  }

  // Checks the non-ASCII byte at p (UTF-8 files). Returns the bytes to skip, or 0 if more input is needed.
  std::size_t CheckUtf8(const char* p, const char* end, std::int64_t line, int column) {
    int n = Utf8SequenceLength(reinterpret_cast<const unsigned char*>(p), static_cast<std::size_t>(end - p));
    if (n > 0) return static_cast<std::size_t>(n);
    if (n < 0 && !eof_) return 0;
    Note(Problem::kInvalidUtf8, line, column, p);
    return 1;
  }

  // Scans unquoted text from p to the next delimiter, line end or end of data. Returns false if the
  // scan hit a truncated UTF-8 sequence before end of input (more data needed).
  bool ScanUnquoted(const char*& p, const char* end, std::int64_t line, int column) {
    const char d = dialect_.delimiter;
    for (;;) {
      while (!uspecial_[static_cast<unsigned char>(*p)]) ++p;
      const char c = *p;
      if (c == d || c == '\n' || c == '\r' || p >= end) return true;
      if (c == '\0') {
        Note(Problem::kNul, line, column, p);
        ++p;
      } else if (c == dialect_.quote) {
        Note(Problem::kQuoteInUnquoted, line, column, p);
        ++p;
      } else {
        std::size_t n = CheckUtf8(p, end, line, column);
        if (n == 0) return false;
        p += n;
      }
    }
  }

  Parse ParseRecord(CsvRecord* rec) {
    char* const base = buf_.get();
    const char* const start = base + begin_;
    const char* const end = base + end_;
    if (start == end) return eof_ ? Parse::kEnd : Parse::kNeedMore;
    const char q = dialect_.quote;
    const char d = dialect_.delimiter;
    rec->fields.clear();
    rec->quoted.clear();
    rec->error.reset();
    scratch_.clear();
    scratch_fields_.clear();
    pending_ = Pending{};
    std::int64_t line = line_;
    const char* p = start;
    const char* raw_end = p;
    int column = 0;
    if (*p != '\n' && *p != '\r') {  // otherwise a blank line: zero fields
      for (;;) {
        ++column;
        const char* f = p;
        std::size_t size;
        if (*p == q) {
          const std::int64_t quote_line = line;
          const char* seg = ++p;
          bool in_scratch = false;
          std::size_t scratch_offset = 0;
          for (;;) {
            while (!qspecial_[static_cast<unsigned char>(*p)]) ++p;
            const char c = *p;
            if (c == q) {
              if (p + 1 >= end) {
                if (!eof_) return Parse::kNeedMore;
                break;  // closing quote at end of input
              }
              if (p[1] != q) break;  // closing quote
              if (!in_scratch) {
                in_scratch = true;
                scratch_offset = scratch_.size();
              }
              scratch_.append(seg, p + 1);
              p += 2;
              seg = p;
            } else if (c == '\n') {
              ++line;
              ++p;
            } else if (c == '\r') {
              if (p + 1 >= end && !eof_) return Parse::kNeedMore;
              ++p;
              if (p < end && *p == '\n') ++p;
              ++line;
            } else if (p >= end) {
              if (!eof_) return Parse::kNeedMore;
              return Unterminated(rec, start, f, quote_line, column);
            } else if (c == '\0') {
              Note(Problem::kNul, line, column, p);
              ++p;
            } else {
              std::size_t n = CheckUtf8(p, end, line, column);
              if (n == 0) return Parse::kNeedMore;
              p += n;
            }
          }
          // p is at the closing quote.
          std::string_view value(seg, static_cast<std::size_t>(p - seg));
          if (in_scratch) {
            scratch_.append(seg, p);
            value = std::string_view();
          }
          size = in_scratch ? scratch_.size() - scratch_offset : value.size();
          ++p;
          const char c = *p;
          if (c != d && c != '\n' && c != '\r' && p < end) {
            Note(Problem::kStrayAfterQuote, line, column, p);
            if (!ScanUnquoted(p, end, line, column)) return Parse::kNeedMore;
            in_scratch = false;
            value = std::string_view(f, static_cast<std::size_t>(p - f));
            size = value.size();
          }
          if (in_scratch) scratch_fields_.push_back({rec->fields.size(), scratch_offset, size});
          rec->fields.push_back(value);
          rec->quoted.push_back(true);
        } else {
          if (!ScanUnquoted(p, end, line, column)) return Parse::kNeedMore;
          size = static_cast<std::size_t>(p - f);
          rec->fields.emplace_back(f, size);
          rec->quoted.push_back(false);
        }
        if (size > dialect_.max_field_bytes) Note(Problem::kFieldTooLong, line, column, f, size);
        if (p >= end) {
          if (!eof_) return Parse::kNeedMore;
          break;
        }
        if (*p == d) {
          ++p;
          continue;
        }
        break;  // at '\r' or '\n'
      }
    }
    raw_end = p;
    if (p < end) {  // a line terminator
      if (*p == '\n') {
        ++p;
      } else {
        if (p + 1 >= end && !eof_) return Parse::kNeedMore;
        ++p;
        if (p < end && *p == '\n') ++p;
      }
      ++line;
    }
    auto raw_size = static_cast<std::size_t>(raw_end - start);
    if (raw_size > dialect_.max_record_bytes) return Parse::kTooLong;
    for (const ScratchField& s : scratch_fields_) {
      rec->fields[s.index] = std::string_view(scratch_.data() + s.offset, s.size);
    }
    rec->raw = std::string_view(start, raw_size);
    rec->line = line_;
    if (pending_.problem != Problem::kNone) rec->error = MakeBadRow(rec->raw, end);
    begin_ = static_cast<std::size_t>(p - base);
    line_ = line;
    return Parse::kRecord;
  }

  // A quoted field starting at `quote` is still open at end of input (all remaining input is buffered).
  Parse Unterminated(CsvRecord* rec, const char* start, const char* quote, std::int64_t quote_line,
                     int column) {
    const char* const base = buf_.get();
    const char* const end = base + end_;
    if (static_cast<std::size_t>(end - start) >= too_long_buffered_) return Parse::kTooLong;
    const char* t = quote;
    while (t < end && *t != '\n' && *t != '\r') ++t;
    std::size_t raw_size = std::min(static_cast<std::size_t>(t - start), dialect_.max_record_bytes);
    rec->fields.clear();
    rec->quoted.clear();
    rec->raw = std::string_view(start, raw_size);
    rec->line = line_;
    pending_ = Pending{Problem::kUnterminated, quote_line, column, end, 0};
    rec->error = MakeBadRow(rec->raw, end);
    if (t < end) {
      if (*t == '\r' && t + 1 < end && t[1] == '\n') ++t;
      ++t;
    }
    begin_ = static_cast<std::size_t>(t - base);
    line_ = quote_line + 1;
    return Parse::kRecord;
  }

  // The record starting at begin_ is longer than max_record_bytes: report it and skip its first line.
  void RecordTooLong(CsvRecord* rec) {
    const char* start = buf_.get() + begin_;
    const char* limit = start + std::min(end_ - begin_, dialect_.max_record_bytes);
    const char* t = start;
    while (t < limit && *t != '\n' && *t != '\r') ++t;
    rec->fields.clear();
    rec->quoted.clear();
    rec->raw = std::string_view(start, static_cast<std::size_t>(t - start));
    rec->line = line_;
    pending_ = Pending{Problem::kRecordTooLong, line_, 0, nullptr, 0};
    rec->error = MakeBadRow(rec->raw, nullptr);
    skip_line_ = true;
    ++line_;
  }

  BadRow MakeBadRow(std::string_view raw, const char* end) const {
    BadRow b;
    b.file = name_;
    b.line = pending_.line;
    b.column = pending_.column;
    const std::string limit_field = "at most " + std::to_string(dialect_.max_field_bytes) + " bytes";
    switch (pending_.problem) {
      case Problem::kStrayAfterQuote: {
        b.what = "unexpected text after closing quote";
        std::string delim = "'" + EscapeRaw(std::string_view(&dialect_.delimiter, 1)) + "'";
        b.expected = "delimiter " + delim + " or end of line";
        b.found = CharDesc(pending_.at, end);
        break;
      }
      case Problem::kQuoteInUnquoted:
        b.what = "quote inside unquoted field";
        b.expected = "no quote, or the whole field quoted with inner quotes doubled";
        b.found = CharDesc(pending_.at, end);
        break;
      case Problem::kInvalidUtf8:
        b.what = "invalid UTF-8";
        b.expected = "UTF-8 text";
        b.found = "byte " + Hex(static_cast<unsigned char>(*pending_.at));
        break;
      case Problem::kNul:
        b.what = "NUL byte";
        b.expected = "text";
        b.found = "byte 0x00";
        break;
      case Problem::kFieldTooLong:
        b.what = "field too long";
        b.expected = limit_field;
        b.found = std::to_string(pending_.size) + " bytes";
        break;
      case Problem::kUnterminated:
        b.what = "unterminated quoted field";
        b.expected = "closing quote before end of file";
        b.found = "end of file";
        break;
      case Problem::kRecordTooLong:
        b.what = "record too long";
        b.expected = "at most " + std::to_string(dialect_.max_record_bytes) + " bytes";
        b.found = "more than " + std::to_string(dialect_.max_record_bytes) + " bytes";
        break;
      case Problem::kNone:
        break;
    }
    if (raw.size() <= kExcerptBytes) {
      b.raw_excerpt = EscapeRaw(raw);
    } else {
      std::size_t cut = kExcerptBytes;
      while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
      b.raw_excerpt = EscapeRaw(raw.substr(0, cut)) + "...";
    }
    return b;
  }

  std::unique_ptr<ByteSource> source_;
  const CsvDialect dialect_;
  const std::string name_;
  const std::size_t chunk_;
  const bool utf8_;
  // A record needs at most max_record_bytes + 2 (terminator and one byte of look-ahead) buffered bytes; if
  // the parser still wants more with this many buffered, the record is too long. Saturating.
  const std::size_t too_long_buffered_;
  Status dialect_status_;
  unsigned char uspecial_[256];  // bytes that stop a scan of unquoted text
  unsigned char qspecial_[256];  // bytes that stop a scan of quoted text

  std::unique_ptr<char[]> buf_;
  std::size_t cap_ = 0;
  std::size_t begin_ = 0;  // start of the next record
  std::size_t end_ = 0;    // end of buffered data
  bool eof_ = false;
  std::string stage_;      // raw Windows-1252 bytes before decoding
  std::uint64_t bytes_read_ = 0;

  bool bom_checked_ = false;
  bool had_bom_ = false;
  bool skip_line_ = false;  // discard input up to and including the next line terminator
  bool skip_lf_ = false;    // discard a '\n' if it comes next (after a skipped '\r')
  std::int64_t line_ = 1;   // physical line of the next record
  std::int64_t index_ = 0;

  std::string scratch_;
  std::vector<ScratchField> scratch_fields_;
  Pending pending_;

  std::vector<std::string> header_;
  std::optional<BadRow> header_error_;
  std::int64_t header_line_ = 0;
};

}  // namespace

std::string_view EncodingName(Encoding encoding) {
  return encoding == Encoding::kUtf8 ? "UTF-8" : "Windows-1252";
}

Status CsvDialect::Validate() const {
  auto bad = [](char c) { return c == '\n' || c == '\r' || c == '\0'; };
  if (bad(delimiter)) return Status::InvalidArgument("CSV delimiter cannot be CR, LF or NUL");
  if (bad(quote)) return Status::InvalidArgument("CSV quote cannot be CR, LF or NUL");
  if (delimiter == quote) return Status::InvalidArgument("CSV delimiter and quote must differ");
  if (encoding == Encoding::kUtf8 && (static_cast<unsigned char>(delimiter) >= 0x80 ||
                                      static_cast<unsigned char>(quote) >= 0x80)) {
    return Status::InvalidArgument("CSV delimiter and quote must be ASCII in a UTF-8 file");
  }
  if (encoding == Encoding::kWindows1252 && (static_cast<unsigned char>(delimiter) >= 0x80 ||
                                             static_cast<unsigned char>(quote) >= 0x80)) {
    return Status::InvalidArgument("CSV delimiter and quote must be ASCII in a Windows-1252 file");
  }
  if (max_field_bytes == 0 || max_record_bytes == 0) {
    return Status::InvalidArgument("CSV field and record limits must be positive");
  }
  return Status::Ok();
}

std::string EscapeRaw(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    unsigned char c = p[i];
    if (c >= 0x80) {
      int len = Utf8SequenceLength(p + i, n - i);
      if (len > 0) {
        out.append(text.data() + i, static_cast<std::size_t>(len));
        i += static_cast<std::size_t>(len);
      } else {
        out += "\\x" + Hex(c).substr(2);
        ++i;
      }
      continue;
    }
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\r': out += "\\r"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\0': out += "\\0"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\x" + Hex(c).substr(2);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  return out;
}

std::string BadRow::ToString() const {
  std::string s = file + ": line " + std::to_string(line);
  if (column > 0) s += ", column " + std::to_string(column);
  s += ": " + what + ": expected " + expected + ", found " + found + "; raw: " + raw_excerpt;
  return s;
}

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, const CsvDialect& dialect,
                                                   const FileSystem* fs, const CsvReadOptions& options) {
  DAS_RETURN_IF_ERROR(dialect.Validate().WithContext(path));
  std::unique_ptr<ByteSource> source;
  if (fs != nullptr) {
    DAS_ASSIGN_OR_RETURN(std::string data, fs->ReadFile(path));
    source = std::make_unique<StringSource>(std::move(data));
  } else {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::IoError("cannot open '" + path + "': " + ErrnoText());
    source = std::make_unique<FdSource>(path, fd);
  }
  auto reader = std::make_unique<CsvReaderImpl>(std::move(source), dialect, path, options);
  DAS_RETURN_IF_ERROR(reader->Init());
  return std::unique_ptr<CsvReader>(std::move(reader));
}

std::unique_ptr<CsvReader> CsvReader::FromString(std::string data, const CsvDialect& dialect, std::string name,
                                                 const CsvReadOptions& options) {
  auto reader = std::make_unique<CsvReaderImpl>(std::make_unique<StringSource>(std::move(data)), dialect,
                                                std::move(name), options);
  reader->Init().IgnoreError();  // memory cannot fail to read; a bad dialect is reported by Next()
  return reader;
}

Result<std::string> ReadFileSample(const std::string& path, std::size_t max_bytes, const FileSystem* fs) {
  if (fs != nullptr) {
    DAS_ASSIGN_OR_RETURN(std::string data, fs->ReadFile(path));
    if (data.size() > max_bytes) data.resize(max_bytes);
    return data;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open '" + path + "': " + ErrnoText());
  FdSource source(path, fd);
  std::string out(max_bytes, '\0');
  std::size_t have = 0;
  while (have < max_bytes) {
    DAS_ASSIGN_OR_RETURN(std::size_t got, source.Read(out.data() + have, max_bytes - have));
    if (got == 0) break;
    have += got;
  }
  out.resize(have);
  return out;
}

}  // namespace das::io
