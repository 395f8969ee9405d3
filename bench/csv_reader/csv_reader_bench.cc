// csv_reader_bench [MB] [DIR]: writes delivery-like CSV files of about MB megabytes (default 200) into DIR
// (default /tmp) with CsvWriter, reads them back with CsvReader (streamed from disk, default chunk size) and
// prints MB/s and rows/s for writing and reading. The files are removed afterwards.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "das/core/env.h"
#include "das/io/csv_reader.h"
#include "das/io/csv_writer.h"

namespace {

using das::io::CsvDialect;
using das::io::CsvWriteOptions;
using das::io::CsvWriter;
using das::io::Encoding;

struct Case {
  const char* name;
  CsvWriteOptions write;
  bool quoted_text;  // many quoted fields with doubled quotes and embedded delimiters
};

double Seconds(const das::Env& env, std::int64_t start) { return (env.clock->NowMicros() - start) / 1e6; }

int Run(const das::Env& env, const Case& c, std::size_t target_bytes, const std::string& path) {
  das::Random rnd(42);
  static const char* kNames[] = {"Jansen", "de Vries", "Bakker", "Visser", "Smit", "Meijer", "Zoë", "Müller"};
  static const char* kText[] = {"diefstal uit woning", "zei \"niet ik\"", "vernieling; auto", "geweld, licht",
                                "fraude € 450,00"};
  std::int64_t t0 = env.clock->NowMicros();
  auto file = env.fs->NewWritableFile(path);
  if (!file.ok()) return std::fprintf(stderr, "%s\n", file.status().ToString().c_str()), 1;
  CsvWriter w(c.write);
  w.Record({"Registratienummer", "Pleegdatum", "Registratiedatum", "Buurtcode", "Soort_misdrijf", "Achternaam",
            "Omschrijving", "Bedrag", "Aangifte"});
  std::size_t written = 0;
  std::int64_t rows = 0;
  while (written < target_bytes) {
    w.Text("PL0" + std::to_string(rnd.Below(10)) + "00_BVH_2023" + std::to_string(1000000 + rows));
    w.Text("12-03-2023");
    w.Text("14-03-2023");
    w.Text("BU0363" + std::to_string(1000 + rnd.Below(9000)));
    w.Text("1.1.1");
    w.Text(kNames[rnd.Below(8)]);
    if (c.quoted_text) {
      w.Quoted(kText[rnd.Below(5)]);
    } else {
      w.Missing();
    }
    w.Fixed(static_cast<std::int64_t>(rnd.Below(1000000)), 2);
    w.Text(rnd.Bernoulli(0.5) ? "J" : "N");
    w.EndRecord();
    ++rows;
    if (w.size() >= (1 << 20)) {
      written += w.size();
      if (auto s = w.Flush(file->get()); !s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
    }
  }
  written += w.size();
  if (auto s = w.Flush(file->get()); !s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  if (auto s = (*file)->Close(); !s.ok()) return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  double wt = Seconds(env, t0);

  CsvDialect d;
  d.delimiter = c.write.delimiter;
  d.encoding = c.write.encoding;
  std::int64_t t1 = env.clock->NowMicros();
  auto reader = das::io::CsvReader::Open(path, d);
  if (!reader.ok()) return std::fprintf(stderr, "%s\n", reader.status().ToString().c_str()), 1;
  das::io::CsvRecord rec;
  std::int64_t read_rows = 0, bad = 0;
  std::size_t field_bytes = 0;
  while (true) {
    auto got = (*reader)->Next(&rec);
    if (!got.ok()) return std::fprintf(stderr, "%s\n", got.status().ToString().c_str()), 1;
    if (!*got) break;
    ++read_rows;
    bad += rec.error.has_value();
    field_bytes += rec.fields[0].size();
  }
  double rt = Seconds(env, t1);
  double mb = static_cast<double>(written) / 1e6;
  std::printf("%-34s %7.1f MB %9lld rows | write %7.1f MB/s | read %7.1f MB/s %10.0f rows/s%s\n", c.name, mb,
              static_cast<long long>(rows), mb / wt, mb / rt, static_cast<double>(read_rows) / rt,
              (read_rows == rows && bad == 0 && field_bytes > 0) ? "" : "  MISMATCH");
  env.fs->Remove(path).IgnoreError();
  return read_rows == rows && bad == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mb = argc > 1 ? static_cast<std::size_t>(std::atol(argv[1])) : 200;
  std::string dir = argc > 2 ? argv[2] : "/tmp";
  das::Env env = das::Env::Default();
  CsvWriteOptions semicolon_lf;
  semicolon_lf.delimiter = ';';
  semicolon_lf.decimal_separator = ',';
  CsvWriteOptions comma_crlf;
  comma_crlf.crlf = true;
  CsvWriteOptions cp1252 = semicolon_lf;
  cp1252.encoding = Encoding::kWindows1252;
  cp1252.crlf = true;
  const Case cases[] = {
      {"simple ';' LF UTF-8", semicolon_lf, false},
      {"quoted text ',' CRLF UTF-8", comma_crlf, true},
      {"quoted text ';' CRLF Windows-1252", cp1252, true},
  };
  int rc = 0;
  for (const Case& c : cases) rc |= Run(env, c, mb << 20, dir + "/das_csv_reader_bench.csv");
  return rc;
}
