#include <gtest/gtest.h>

#include <string>

#include "das/io/csv_reader.h"
#include "das/io/text_encoding.h"

namespace das::io {
namespace {

TEST(DetectDialect, SemicolonCrlfUtf8) {
  DetectedDialect d = DetectDialect("Registratienummer;Pleegdatum;Buurtcode\r\nPL01;01-02-2023;BU0363\r\nPL02;;\r\nPL0");
  EXPECT_EQ(d.dialect.delimiter, ';');
  EXPECT_EQ(d.dialect.encoding, Encoding::kUtf8);
  EXPECT_TRUE(d.crlf);
  EXPECT_FALSE(d.had_bom);
  EXPECT_TRUE(d.dialect.has_header);
  EXPECT_EQ(d.reason, "delimiter ';': 2 per line outside quotes on 3 of 3 lines; encoding UTF-8: the sample is ASCII; "
                      "line ends CRLF");
}

TEST(DetectDialect, CommaWithQuotedSemicolonsAndDecimalCommas) {
  DetectedDialect d = DetectDialect("a,b,c\n\"x;y;z\",\"1,5\",2\n\"p;q\",3,4\n");
  EXPECT_EQ(d.dialect.delimiter, ',');
  EXPECT_FALSE(d.crlf);
  EXPECT_EQ(d.reason, "delimiter ',': 2 per line outside quotes on 3 of 3 lines; encoding UTF-8: the sample is ASCII; "
                      "line ends LF");
}

TEST(DetectDialect, ConsistencyBeatsFrequency) {
  // Commas are frequent but vary (decimal commas in free text); semicolons are constant.
  DetectedDialect d = DetectDialect("a;b\n1,5,6,7;2\n3;4,5\n6;7\n");
  EXPECT_EQ(d.dialect.delimiter, ';');
  EXPECT_EQ(d.reason, "delimiter ';': 1 per line outside quotes on 4 of 4 lines (',' 0-3 per line); encoding UTF-8: "
                      "the sample is ASCII; line ends LF");
}

TEST(DetectDialect, TabPipeBomCrOnlyAndWindows1252) {
  EXPECT_EQ(DetectDialect("a\tb\tc\n1\t2\t3\n").dialect.delimiter, '\t');
  EXPECT_EQ(DetectDialect("a|b\n1|2\n").dialect.delimiter, '|');
  DetectedDialect bom = DetectDialect("\xEF\xBB\xBF" "a,b\r\nZoë,2\r\n");
  EXPECT_TRUE(bom.had_bom);
  EXPECT_EQ(bom.dialect.encoding, Encoding::kUtf8);
  EXPECT_EQ(bom.reason, "delimiter ',': 1 per line outside quotes on 2 of 2 lines; encoding UTF-8: the sample is "
                        "valid UTF-8 with a UTF-8 BOM; line ends CRLF");
  DetectedDialect cr = DetectDialect("a;b\rc;d\r");
  EXPECT_TRUE(cr.cr_only);
  EXPECT_FALSE(cr.crlf);
  DetectedDialect cp = DetectDialect("Naam;Plaats\r\nZo\xEB;Den Haag\r\n");
  EXPECT_EQ(cp.dialect.encoding, Encoding::kWindows1252);
  EXPECT_EQ(cp.reason, "delimiter ';': 1 per line outside quotes on 2 of 2 lines; encoding Windows-1252: byte 0xEB "
                       "at offset 15 is not valid UTF-8; line ends CRLF");
  // A UTF-8 sequence cut by the end of the sample is not evidence against UTF-8.
  EXPECT_EQ(DetectDialect("a;b\nZo\xC3\xAB;\xE2\x82").dialect.encoding, Encoding::kUtf8);
}

TEST(DetectDialect, SingleColumnAndEmpty) {
  DetectedDialect one = DetectDialect("id\n1\n2\n");
  EXPECT_EQ(one.dialect.delimiter, ',');
  EXPECT_EQ(one.reason, "delimiter ',' by default: none of , ; tab | occurs outside quotes (one column?); encoding "
                        "UTF-8: the sample is ASCII; line ends LF");
  DetectedDialect empty = DetectDialect("");
  EXPECT_EQ(empty.dialect.delimiter, ',');
  EXPECT_EQ(empty.reason.substr(empty.reason.size() - 23), "; no line end in sample");
}

TEST(TextEncoding, Utf8SequenceLength) {
  auto len = [](std::string s) {
    return Utf8SequenceLength(reinterpret_cast<const unsigned char*>(s.data()), s.size());
  };
  EXPECT_EQ(len("a"), 1);
  EXPECT_EQ(len("\xC3\xA9"), 2);
  EXPECT_EQ(len("\xE2\x82\xAC"), 3);
  EXPECT_EQ(len("\xF0\x9F\x98\x80"), 4);
  EXPECT_EQ(len("\xC3"), -1);
  EXPECT_EQ(len("\xF0\x9F\x98"), -1);
  EXPECT_EQ(len("\xC0\x80"), 0);          // overlong
  EXPECT_EQ(len("\xE0\x80\x80"), 0);      // overlong
  EXPECT_EQ(len("\xED\xA0\x80"), 0);      // surrogate
  EXPECT_EQ(len("\xF4\x90\x80\x80"), 0);  // > U+10FFFF
  EXPECT_EQ(len("\x80"), 0);              // lone continuation
  EXPECT_EQ(len("\xC3\x28"), 0);
  EXPECT_TRUE(IsValidUtf8("plain ascii text, long enough for the fast path"));
  EXPECT_EQ(FirstInvalidUtf8("0123456789abcdef\xFF"), 16u);
}

TEST(TextEncoding, Windows1252FullTableRoundTrip) {
  std::string all;
  for (int b = 1; b < 256; ++b) all.push_back(static_cast<char>(b));
  std::string utf8;
  AppendUtf8FromWindows1252(all, &utf8);
  EXPECT_TRUE(IsValidUtf8(utf8));
  std::string back;
  ASSERT_TRUE(AppendWindows1252FromUtf8(utf8, &back).ok());
  // Every byte round-trips, including the five undefined ones (decoded to C1 controls and encoded back).
  std::string expect_utf8;
  AppendUtf8FromWindows1252("\x80\x8A\x8C\x8E\x91\x92\x93\x94\x96\x97\x9F\xA0\xE9\xFF", &expect_utf8);
  EXPECT_EQ(expect_utf8, "€ŠŒŽ‘’“”–—Ÿ\u00A0éÿ");
  std::string undefined;
  AppendUtf8FromWindows1252("\x81\x8D\x8F\x90\x9D", &undefined);
  EXPECT_EQ(undefined, "\u0081\u008D\u008F\u0090\u009D");
  EXPECT_EQ(back, all);
}

}  // namespace
}  // namespace das::io

namespace das::io {
namespace {

// Real public CBS files (tests only): detected dialect, every record clean and as wide as the header.
TEST(RealData, CbsFilesReadCleanly) {
  const std::string dir = std::string(DAS_SHARED_DIR) + "/data/cbs_politie";
  auto names = PosixFileSystem()->ListDir(dir);
  if (!names.ok()) GTEST_SKIP() << "no shared data: " << names.status().ToString();
  int files = 0;
  std::int64_t records = 0;
  for (const std::string& name : *names) {
    if (name.size() < 4 || name.substr(name.size() - 4) != ".csv") continue;
    const std::string path = dir + "/" + name;
    auto sample = ReadFileSample(path, 64 * 1024);
    ASSERT_TRUE(sample.ok()) << sample.status().ToString();
    DetectedDialect detected = DetectDialect(*sample);
    auto reader = CsvReader::Open(path, detected.dialect);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    ASSERT_FALSE((*reader)->header().empty()) << name;
    CsvRecord rec;
    while (true) {
      auto got = (*reader)->Next(&rec);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      if (!*got) break;
      ASSERT_FALSE(rec.error.has_value()) << rec.error->ToString();
      ASSERT_EQ(rec.fields.size(), (*reader)->header().size()) << name << " line " << rec.line;
      ++records;
    }
    ++files;
  }
  EXPECT_GE(files, 5);
  EXPECT_GT(records, 10000);
}

}  // namespace
}  // namespace das::io
