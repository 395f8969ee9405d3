// lib: das_io
// Fuzzes CsvReader (and DetectDialect, CsvWriter). The first input byte chooses the dialect and limits; the
// rest is the file. Checks, besides memory safety:
//   - reading with a 1-byte, 7-byte and 64 KiB buffer gives identical records (buffer-size independence);
//   - every record has as many `quoted` flags as fields, lines never decrease, indexes count up;
//   - clean records written back with CsvWriter (all fields quoted) read back to the same fields.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "das/io/csv_reader.h"
#include "das/io/csv_writer.h"

namespace {

struct Rec {
  std::int64_t line, index;
  std::string raw;
  std::vector<std::string> fields;
  std::vector<bool> quoted;
  std::string error;
  bool operator==(const Rec&) const = default;
};

std::vector<Rec> ReadAll(const std::string& data, const das::io::CsvDialect& d, std::size_t chunk) {
  das::io::CsvReadOptions o;
  o.chunk_bytes = chunk;
  auto reader = das::io::CsvReader::FromString(data, d, "fuzz.csv", o);
  std::vector<Rec> out;
  Rec header{0, -1, "", reader->header(), {}, reader->header_error() ? reader->header_error()->ToString() : ""};
  out.push_back(header);
  das::io::CsvRecord r;
  std::int64_t last_line = 0;
  while (true) {
    auto got = reader->Next(&r);
    if (!got.ok()) std::abort();  // memory input cannot fail with a valid dialect
    if (!*got) break;
    if (r.fields.size() != r.quoted.size()) std::abort();
    if (r.line <= last_line) std::abort();
    if (r.index != static_cast<std::int64_t>(out.size()) - 1) std::abort();
    if (r.error && (r.error->line < r.line || r.error->raw_excerpt.size() > 4 * 120 + 3)) std::abort();
    last_line = r.line;
    Rec c{r.line, r.index, std::string(r.raw), {}, r.quoted, r.error ? r.error->ToString() : ""};
    for (auto f : r.fields) c.fields.emplace_back(f);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  das::io::CsvDialect d;
  d.delimiter = ",;\t|"[mode & 3];
  d.encoding = (mode & 4) ? das::io::Encoding::kWindows1252 : das::io::Encoding::kUtf8;
  d.has_header = (mode & 8) != 0;
  if (mode & 16) {
    d.max_field_bytes = 8;
    d.max_record_bytes = 24;
  }
  if (mode & 32) d.quote = '\'';

  (void)das::io::DetectDialect(text);
  std::vector<Rec> ref = ReadAll(text, d, 1 << 16);
  if (ReadAll(text, d, 1) != ref) std::abort();
  if (ReadAll(text, d, 7) != ref) std::abort();

  // Round trip of clean records through the writer.
  das::io::CsvWriteOptions wo;
  wo.delimiter = d.delimiter;
  wo.quote = d.quote;
  wo.encoding = d.encoding;
  wo.crlf = (mode & 64) != 0;
  das::io::CsvWriter w(wo);
  std::vector<const Rec*> clean;
  for (std::size_t i = 1; i < ref.size(); ++i) {
    if (!ref[i].error.empty() || ref[i].fields.empty()) continue;
    for (const auto& f : ref[i].fields) w.Quoted(f);
    w.EndRecord();
    clean.push_back(&ref[i]);
  }
  if (!w.status().ok()) std::abort();  // decoded text always re-encodes
  das::io::CsvDialect rd = d;
  rd.has_header = false;
  rd.max_field_bytes = 1 << 20;
  rd.max_record_bytes = 4 << 20;
  std::vector<Rec> back = ReadAll(w.buffer(), rd, 1 << 16);
  if (back.size() != clean.size() + 1) std::abort();
  for (std::size_t i = 0; i < clean.size(); ++i) {
    if (back[i + 1].fields != clean[i]->fields || !back[i + 1].error.empty()) std::abort();
  }
  return 0;
}
