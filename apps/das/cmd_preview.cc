// das preview FILE [--contract NAME] [--contracts DIR] [--json] [--limit N]
// Shows how DAS reads a delivery file: the dialect (detected, or from a source contract) and the first
// records as a table, bad records with their BadRow text; or, with --json, every record as a JSON array of
// strings, one per line, the header row first as it stands in the file.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "das/contract/contract.h"
#include "das/core/env.h"
#include "das/io/csv_reader.h"
#include "das/io/text_encoding.h"

namespace das::cli {
namespace {

constexpr std::size_t kSampleBytes = 64 * 1024;
constexpr std::size_t kCellWidth = 24;  // characters shown per table cell
constexpr char kBadCell[] = "(bad record, see below)";

struct PreviewArgs {
  std::string file;
  std::string contract;
  std::string contracts_dir = "config/sources";
  bool json = false;
  int limit = 20;
};

std::string ShowChar(char c) {
  if (c == '\t') return "'\\t' (tab)";
  return std::string("'") + c + "'";
}

// JSON string literal; invalid UTF-8 bytes become U+FFFD.
void AppendJson(std::string_view s, std::string* out) {
  out->push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = p[i];
    if (c >= 0x80) {
      int n = io::Utf8SequenceLength(p + i, s.size() - i);
      if (n > 0) {
        out->append(s.data() + i, static_cast<std::size_t>(n));
        i += static_cast<std::size_t>(n);
      } else {
        out->append("\\ufffd");
        ++i;
      }
      continue;
    }
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

template <typename Fields>
void PrintJsonRow(const Fields& fields) {
  std::string line = "[";
  bool first = true;
  for (const auto& f : fields) {
    if (!first) line.push_back(',');
    first = false;
    AppendJson(f, &line);
  }
  line += "]\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
}

// A table cell: control characters escaped, cut to kCellWidth characters with "…".
std::string Cell(std::string_view value) {
  std::string esc = io::EscapeRaw(value);
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < esc.size();) {
    std::size_t n = 1;
    auto c = static_cast<unsigned char>(esc[i]);
    if (c >= 0xF0) n = 4;
    else if (c >= 0xE0) n = 3;
    else if (c >= 0xC0) n = 2;
    if (chars == kCellWidth - 1 && esc.size() - i > n) {
      out += "…";
      ++chars;
      break;
    }
    out.append(esc, i, n);
    ++chars;
    i += n;
  }
  return out;
}

std::size_t Width(const std::string& s) {
  std::size_t w = 0;
  for (char c : s) w += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return w;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    if (r.size() == 2 && r[1] == kBadCell) continue;  // a bad record's note does not widen the column
    if (r.size() > width.size()) width.resize(r.size(), 0);
    for (std::size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], Width(r[i]));
  }
  for (std::size_t k = 0; k < rows.size(); ++k) {
    std::string line;
    for (std::size_t i = 0; i < rows[k].size(); ++i) {
      if (i > 0) line += " | ";
      line += rows[k][i];
      std::size_t w = Width(rows[k][i]);
      if (i + 1 < rows[k].size() && w < width[i]) line.append(width[i] - w, ' ');
    }
    std::printf("%s\n", line.c_str());
    if (k == 0) {
      std::string rule;
      for (std::size_t i = 0; i < width.size(); ++i) {
        if (i > 0) rule += "-+-";
        rule.append(width[i], '-');
      }
      std::printf("%s\n", rule.c_str());
    }
  }
}

Status RunPreview(const PreviewArgs& args) {
  io::CsvDialect dialect;
  std::string describe;
  if (!args.contract.empty()) {
    DAS_ASSIGN_OR_RETURN(contract::ContractSet set, contract::ContractSet::LoadDir(args.contracts_dir, *PosixFileSystem()));
    DAS_ASSIGN_OR_RETURN(const contract::Contract* c, set.Find(args.contract));
    dialect = c->format.Dialect();
    describe = "contract: " + c->Id() + " (" + c->source_path + ")";
  } else {
    DAS_ASSIGN_OR_RETURN(std::string sample, io::ReadFileSample(args.file, kSampleBytes));
    io::DetectedDialect detected = io::DetectDialect(sample);
    dialect = detected.dialect;
    describe = "detected: " + detected.reason;
  }
  DAS_ASSIGN_OR_RETURN(auto reader, io::CsvReader::Open(args.file, dialect));

  if (args.json) {
    std::int64_t bad = 0;
    if (dialect.has_header && (reader->header_line() > 0)) {
      PrintJsonRow(reader->header());
      if (reader->header_error()) {
        std::fprintf(stderr, "bad header: %s\n", reader->header_error()->ToString().c_str());
        ++bad;
      }
    }
    io::CsvRecord rec;
    while (true) {
      DAS_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
      if (!more) break;
      PrintJsonRow(rec.fields);
      if (rec.error) {
        std::fprintf(stderr, "bad record: %s\n", rec.error->ToString().c_str());
        ++bad;
      }
    }
    if (bad > 0) std::fprintf(stderr, "%lld bad record(s)\n", static_cast<long long>(bad));
    return Status::Ok();
  }

  std::printf("file: %s\n", args.file.c_str());
  std::printf("dialect: delimiter %s, quote %s, encoding %s, BOM %s, header %s\n",
              ShowChar(dialect.delimiter).c_str(), ShowChar(dialect.quote).c_str(),
              std::string(io::EncodingName(dialect.encoding)).c_str(), reader->had_bom() ? "yes" : "no",
              dialect.has_header ? "yes" : "no");
  std::printf("%s\n\n", describe.c_str());

  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {"line"};
  for (const auto& h : reader->header()) head.push_back(Cell(h));
  rows.push_back(head);
  std::vector<std::string> bad_rows;
  if (reader->header_error()) bad_rows.push_back("header: " + reader->header_error()->ToString());
  io::CsvRecord rec;
  int shown = 0;
  bool more = true;
  while (shown < args.limit) {
    DAS_ASSIGN_OR_RETURN(more, reader->Next(&rec));
    if (!more) break;
    ++shown;
    std::vector<std::string> row = {std::to_string(rec.line)};
    if (rec.error) {
      row.push_back(kBadCell);
      bad_rows.push_back(rec.error->ToString());
    } else {
      for (auto f : rec.fields) row.push_back(Cell(f));
    }
    rows.push_back(std::move(row));
  }
  if (more) {
    DAS_ASSIGN_OR_RETURN(more, reader->Next(&rec));
  }
  PrintTable(rows);
  std::printf("\n%d record(s) shown%s\n", shown, more ? " (more follow; use --limit)" : "");
  for (const auto& b : bad_rows) std::printf("bad record: %s\n", b.c_str());
  return Status::Ok();
}

}  // namespace

void AddPreviewCommand(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<PreviewArgs>();
  CLI::App* cmd = app.add_subcommand(
      "preview",
      "Show how DAS reads a CSV delivery: the dialect (detected, or from --contract) and the first records;\n"
      "bad records with their problem. --json prints every record as a JSON array of strings per line\n"
      "(header row first), and bad records' problems on stderr.");
  cmd->add_option("file", args->file, "CSV file")->required();
  cmd->add_option("--contract", args->contract, "source contract (name or name@version) giving the dialect");
  cmd->add_option("--contracts", args->contracts_dir, "directory of source contracts")
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "print every record as a JSON array of strings, one per line");
  cmd->add_option("--limit", args->limit, "records shown in the table")->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->callback([args, &runner] { runner = [args] { return Report("preview", RunPreview(*args)); }; });
}

}  // namespace das::cli
