#include "das/io/csv_writer.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>
#include <vector>

#include "das/core/env.h"
#include "das/io/csv_reader.h"

namespace das::io {
namespace {

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  CsvWriter w;
  w.Record({"plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", ""});
  EXPECT_EQ(w.buffer(), "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\n");
  EXPECT_EQ(w.records(), 1);
}

TEST(CsvWriter, SemicolonCrlfMissingQuotedEmptyAndQuoteAll) {
  CsvWriteOptions o;
  o.delimiter = ';';
  o.crlf = true;
  CsvWriter w(o);
  w.Text("a,b");
  w.Missing();
  w.Quoted("");
  w.Text("x;y");
  w.EndRecord();
  EXPECT_EQ(w.buffer(), "a,b;;\"\";\"x;y\"\r\n");

  o.quote_all_text = true;
  o.delimiter = ',';
  o.crlf = false;
  CsvWriter all(o);
  all.Text("x");
  all.Text("");
  all.Int(7);
  all.Missing();
  all.EndRecord();
  EXPECT_EQ(all.buffer(), "\"x\",\"\",7,\n");
}

TEST(CsvWriter, Integers) {
  CsvWriter w;
  w.Int(0);
  w.Int(-42);
  w.Int(1234567890123LL);
  w.Int(LLONG_MIN);
  w.Int(LLONG_MAX);
  w.EndRecord();
  EXPECT_EQ(w.buffer(), "0,-42,1234567890123,-9223372036854775808,9223372036854775807\n");
}

TEST(CsvWriter, FixedDecimalPointAndComma) {
  CsvWriter point;
  point.Fixed(45000, 2);
  point.Fixed(-5, 2);
  point.Fixed(7, 0);
  point.Fixed(123456, 3);
  point.Fixed(-100, 1);
  point.EndRecord();
  EXPECT_EQ(point.buffer(), "450.00,-0.05,7,123.456,-10.0\n");

  CsvWriteOptions o;
  o.delimiter = ';';
  o.decimal_separator = ',';
  CsvWriter comma(o);
  comma.Fixed(61235, 2);
  comma.Fixed(120, 0);
  comma.EndRecord();
  EXPECT_EQ(comma.buffer(), "612,35;120\n");

  o.delimiter = ',';
  CsvWriter clash(o);  // decimal comma with a comma delimiter must be quoted
  clash.Fixed(61235, 2);
  clash.Int(1);
  clash.EndRecord();
  EXPECT_EQ(clash.buffer(), "\"612,35\",1\n");
}

TEST(CsvWriter, BomOnlyForUtf8) {
  CsvWriteOptions o;
  o.bom = true;
  CsvWriter w(o);
  w.Record({"a"});
  EXPECT_EQ(w.buffer(), "\xEF\xBB\xBF" "a\n");
  o.encoding = Encoding::kWindows1252;
  CsvWriter cp(o);
  cp.Record({"a"});
  EXPECT_EQ(cp.buffer(), "a\n");
}

TEST(CsvWriter, Windows1252EncodingAndUnmappableError) {
  CsvWriteOptions o;
  o.encoding = Encoding::kWindows1252;
  o.delimiter = ';';
  CsvWriter w(o);
  w.Record({"Zoë", "€ 5", "“q” ‘s’ – — …", "\"Café\""});
  EXPECT_TRUE(w.status().ok());
  EXPECT_EQ(w.buffer(), "Zo\xEB;\x80 5;\x93q\x94 \x91s\x92 \x96 \x97 \x85;\"\"\"Caf\xE9\"\"\"\n");
  w.Text("ok");
  w.Text("snow ☃ man");
  w.EndRecord();
  EXPECT_EQ(w.status().message(),
            "CSV record 2, field 2: character U+2603 '☃' at byte 5 cannot be encoded in Windows-1252");
  MemFileSystem fs;
  auto f = fs.NewWritableFile("o.csv");
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(w.Flush(f->get()).ok());

  CsvWriter bad(o);
  bad.Text("x\xFFy");
  EXPECT_EQ(bad.status().message(), "CSV record 1, field 1: invalid UTF-8 at byte 1 (0xFF)");
}

TEST(CsvWriter, FlushToWritableFile) {
  MemFileSystem fs;
  auto f = fs.NewWritableFile("out/x.csv");
  ASSERT_TRUE(f.ok());
  CsvWriter w;
  w.Record({"a", "b"});
  EXPECT_TRUE(w.MaybeFlush(f->get(), 1000).ok());
  EXPECT_EQ(w.size(), 4u);  // below the threshold: kept
  ASSERT_TRUE(w.Flush(f->get()).ok());
  EXPECT_EQ(w.size(), 0u);
  w.Record({"c", "d"});
  ASSERT_TRUE(w.Flush(f->get()).ok());
  ASSERT_TRUE((*f)->Close().ok());
  EXPECT_EQ(*fs.ReadFile("out/x.csv"), "a,b\nc,d\n");
}

// Property: whatever the writer writes, the reader reads back exactly (all dialect variations, tiny chunks).
TEST(CsvWriter, RoundTripThroughReader) {
  Random rnd(20240501);
  const std::vector<std::string> pieces = {"a", "Zoë", "€", ";", ",", "\"", "\n", "\r\n", "\r", " ", "'s-Hertogenbosch",
                                           "\t", "|", "12,50", "“x”", "ß"};
  for (int trial = 0; trial < 300; ++trial) {
    CsvWriteOptions o;
    o.delimiter = std::string(",;\t|")[rnd.Below(4)];
    o.crlf = rnd.Bernoulli(0.5);
    o.encoding = rnd.Bernoulli(0.3) ? Encoding::kWindows1252 : Encoding::kUtf8;
    o.bom = o.encoding == Encoding::kUtf8 && rnd.Bernoulli(0.3);
    o.quote_all_text = rnd.Bernoulli(0.2);
    CsvWriter w(o);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::vector<bool>> quoted;
    int nrows = static_cast<int>(rnd.Between(1, 6));
    for (int r = 0; r < nrows; ++r) {
      int nf = static_cast<int>(rnd.Between(1, 5));
      rows.emplace_back();
      quoted.emplace_back();
      for (int k = 0; k < nf; ++k) {
        std::string v;
        int np = static_cast<int>(rnd.Between(0, 4));
        for (int i = 0; i < np; ++i) v += pieces[rnd.Below(pieces.size())];
        bool q = rnd.Bernoulli(0.3);
        if (q) {
          w.Quoted(v);
        } else {
          w.Text(v);
        }
        // Expected "quoted" flag: quoted explicitly, or because the writer had to / was told to.
        bool needs = v.find_first_of(std::string("\"\r\n") + o.delimiter) != std::string::npos;
        quoted.back().push_back(q || o.quote_all_text || needs);
        rows.back().push_back(v);
      }
      // A single unquoted empty field would be a blank line (zero fields); make it explicit.
      if (nf == 1 && !quoted.back()[0] && rows.back()[0].empty()) {
        rows.back().clear();
        quoted.back().clear();
      }
      w.EndRecord();
    }
    ASSERT_TRUE(w.status().ok()) << w.status().ToString();
    CsvDialect d;
    d.delimiter = o.delimiter;
    d.encoding = o.encoding;
    d.has_header = false;
    for (std::size_t chunk : {1, 3, 1 << 16}) {
      CsvReadOptions ro;
      ro.chunk_bytes = chunk;
      auto reader = CsvReader::FromString(w.buffer(), d, "rt.csv", ro);
      CsvRecord rec;
      for (int r = 0; r < nrows; ++r) {
        auto got = reader->Next(&rec);
        ASSERT_TRUE(got.ok() && *got) << "trial " << trial << " row " << r;
        ASSERT_FALSE(rec.error.has_value()) << rec.error->ToString();
        std::vector<std::string> fields(rec.fields.begin(), rec.fields.end());
        ASSERT_EQ(fields, rows[static_cast<std::size_t>(r)]) << "trial " << trial << " chunk " << chunk;
        ASSERT_EQ(rec.quoted, quoted[static_cast<std::size_t>(r)]) << "trial " << trial;
      }
      auto end = reader->Next(&rec);
      ASSERT_TRUE(end.ok());
      EXPECT_FALSE(*end);
      EXPECT_EQ(reader->had_bom(), o.bom);
    }
  }
}

}  // namespace
}  // namespace das::io
