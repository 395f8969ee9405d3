#include "das/io/csv_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "das/core/env.h"

namespace das::io {
namespace {

// A record copied out of the reader, comparable across buffer sizes.
struct Rec {
  std::int64_t line = 0;
  std::int64_t index = 0;
  std::string raw;
  std::vector<std::string> fields;
  std::vector<bool> quoted;
  std::string error;  // BadRow::ToString(), empty if clean
  bool operator==(const Rec&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Rec& r) {
  os << "{line " << r.line << " #" << r.index << " raw=" << EscapeRaw(r.raw) << " fields=[";
  for (std::size_t i = 0; i < r.fields.size(); ++i) {
    os << (i ? "|" : "") << (r.quoted[i] ? "Q:" : "") << EscapeRaw(r.fields[i]);
  }
  return os << "] err=" << r.error << "}";
}

CsvDialect Dialect(char delimiter = ',', bool header = false, Encoding enc = Encoding::kUtf8) {
  CsvDialect d;
  d.delimiter = delimiter;
  d.has_header = header;
  d.encoding = enc;
  return d;
}

std::vector<Rec> ReadWith(const std::string& data, const CsvDialect& dialect, std::size_t chunk,
                          std::vector<std::string>* header = nullptr) {
  CsvReadOptions options;
  options.chunk_bytes = chunk;
  auto reader = CsvReader::FromString(data, dialect, "t.csv", options);
  if (header) *header = reader->header();
  std::vector<Rec> out;
  CsvRecord r;
  for (;;) {
    Result<bool> got = reader->Next(&r);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok() || !*got) break;
    Rec c;
    c.line = r.line;
    c.index = r.index;
    c.raw = std::string(r.raw);
    for (auto f : r.fields) c.fields.emplace_back(f);
    c.quoted = r.quoted;
    if (r.error) c.error = r.error->ToString();
    EXPECT_EQ(c.fields.size(), c.quoted.size());
    out.push_back(std::move(c));
  }
  return out;
}

// Reads with the default buffer and checks that every tiny buffer size gives exactly the same result.
std::vector<Rec> ReadAll(const std::string& data, const CsvDialect& dialect,
                         std::vector<std::string>* header = nullptr) {
  std::vector<Rec> ref = ReadWith(data, dialect, 1 << 20, header);
  for (std::size_t chunk : {1, 2, 3, 4, 5, 7, 16, 64}) {
    std::vector<std::string> h;
    EXPECT_EQ(ReadWith(data, dialect, chunk, &h), ref) << "chunk " << chunk;
    if (header) {
      EXPECT_EQ(h, *header) << "chunk " << chunk;
    }
  }
  return ref;
}

Rec R(std::int64_t line, std::int64_t index, std::string raw, std::vector<std::string> fields,
      std::vector<bool> quoted, std::string error = "") {
  return Rec{line, index, std::move(raw), std::move(fields), std::move(quoted), std::move(error)};
}

TEST(CsvReader, SimpleCommaLf) {
  std::vector<std::string> header;
  auto recs = ReadAll("a,b,c\n1,2,3\n4,5,6\n", Dialect(',', true), &header);
  EXPECT_EQ(header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0], R(2, 0, "1,2,3", {"1", "2", "3"}, {false, false, false}));
  EXPECT_EQ(recs[1], R(3, 1, "4,5,6", {"4", "5", "6"}, {false, false, false}));
}

TEST(CsvReader, HeaderLineAndBom) {
  auto reader = CsvReader::FromString("\xEF\xBB\xBFnaam;waarde\r\nx;1\r\n", Dialect(';', true), "b.csv");
  EXPECT_TRUE(reader->had_bom());
  EXPECT_EQ(reader->header(), (std::vector<std::string>{"naam", "waarde"}));
  EXPECT_EQ(reader->header_line(), 1);
  EXPECT_FALSE(reader->header_error().has_value());
  std::vector<std::string> header;
  auto recs = ReadAll("\xEF\xBB\xBFnaam;waarde\r\nx;1\r\n", Dialect(';', true), &header);
  EXPECT_EQ(header, (std::vector<std::string>{"naam", "waarde"}));
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0], R(2, 0, "x;1", {"x", "1"}, {false, false}));
}

TEST(CsvReader, BomOnlyAtStartAndNotWithoutIt) {
  auto recs = ReadAll("\xEF\xBB\xBF" "a\n\xEF\xBB\xBF" "b\n", Dialect());
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a"}));
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"\xEF\xBB\xBF" "b"}));  // a BOM later is content
  auto short_bom = ReadAll("\xEF\xBB", Dialect());  // a cut-off BOM is invalid UTF-8, not skipped
  ASSERT_EQ(short_bom.size(), 1u);
  EXPECT_EQ(short_bom[0].error, "t.csv: line 1, column 1: invalid UTF-8: expected UTF-8 text, found byte 0xEF; raw: \\xEF\\xBB");
}

TEST(CsvReader, LineEndsCrlfLfCrOnlyAndMixed) {
  std::vector<Rec> want = {R(1, 0, "a;b", {"a", "b"}, {false, false}), R(2, 1, "c;d", {"c", "d"}, {false, false}),
                           R(3, 2, "e;f", {"e", "f"}, {false, false})};
  EXPECT_EQ(ReadAll("a;b\r\nc;d\r\ne;f\r\n", Dialect(';')), want);
  EXPECT_EQ(ReadAll("a;b\nc;d\ne;f\n", Dialect(';')), want);
  EXPECT_EQ(ReadAll("a;b\rc;d\re;f\r", Dialect(';')), want);
  EXPECT_EQ(ReadAll("a;b\rc;d\r\ne;f", Dialect(';')), want);
  EXPECT_EQ(ReadAll("a;b\nc;d\re;f", Dialect(';')), want);
}

TEST(CsvReader, QuotedFieldsDelimitersDoubledQuotesNewlines) {
  std::string data =
      "1,\"a,b\",\"say \"\"hi\"\"\"\n"
      "2,\"line1\nline2\",x\n"
      "3,\"crlf\r\ninside\",\"cr\ronly\"\n"
      "4,\"\"\"\",\"\"\"\"\"\"\n"
      "5,end\n";
  auto recs = ReadAll(data, Dialect());
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[0], R(1, 0, "1,\"a,b\",\"say \"\"hi\"\"\"", {"1", "a,b", "say \"hi\""}, {false, true, true}));
  EXPECT_EQ(recs[1], R(2, 1, "2,\"line1\nline2\",x", {"2", "line1\nline2", "x"}, {false, true, false}));
  EXPECT_EQ(recs[2], R(4, 2, "3,\"crlf\r\ninside\",\"cr\ronly\"", {"3", "crlf\r\ninside", "cr\ronly"},
                       {false, true, true}));
  EXPECT_EQ(recs[3], R(7, 3, "4,\"\"\"\",\"\"\"\"\"\"", {"4", "\"", "\"\""}, {false, true, true}));
  EXPECT_EQ(recs[4], R(8, 4, "5,end", {"5", "end"}, {false, false}));
}

TEST(CsvReader, EmptyVersusMissingAndRaggedRows) {
  auto recs = ReadAll("a;\"\";;\"x\"\nb\n;\nc;d;e;f;g\n\"\"\n", Dialect(';'));
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", "", "", "x"}));
  EXPECT_EQ(recs[0].quoted, (std::vector<bool>{false, true, false, true}));
  EXPECT_EQ(recs[1].fields, (std::vector<std::string>{"b"}));
  EXPECT_EQ(recs[2].fields, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(recs[2].quoted, (std::vector<bool>{false, false}));
  EXPECT_EQ(recs[3].fields.size(), 5u);
  EXPECT_EQ(recs[4].fields, (std::vector<std::string>{""}));
  EXPECT_EQ(recs[4].quoted, (std::vector<bool>{true}));
  for (const auto& r : recs) EXPECT_EQ(r.error, "");
}

TEST(CsvReader, TrailingDelimiterLastLineWithoutNewlineAndBlankLines) {
  auto recs = ReadAll("a,\n\nb,c\r\n\r\n\rd", Dialect());
  ASSERT_EQ(recs.size(), 6u);
  EXPECT_EQ(recs[0], R(1, 0, "a,", {"a", ""}, {false, false}));
  EXPECT_EQ(recs[1], R(2, 1, "", {}, {}));
  EXPECT_EQ(recs[2], R(3, 2, "b,c", {"b", "c"}, {false, false}));
  EXPECT_EQ(recs[3], R(4, 3, "", {}, {}));
  EXPECT_EQ(recs[4], R(5, 4, "", {}, {}));
  EXPECT_EQ(recs[5], R(6, 5, "d", {"d"}, {false}));
  EXPECT_TRUE(ReadAll("", Dialect()).empty());
  EXPECT_EQ(ReadAll("x", Dialect()).size(), 1u);
  EXPECT_EQ(ReadAll("x\n", Dialect()).size(), 1u);
  EXPECT_EQ(ReadAll("a,\"\"", Dialect())[0], R(1, 0, "a,\"\"", {"a", ""}, {false, true}));
}

TEST(CsvReader, EmptyInputWithHeader) {
  std::vector<std::string> header;
  EXPECT_TRUE(ReadAll("", Dialect(',', true), &header).empty());
  EXPECT_TRUE(header.empty());
  EXPECT_TRUE(ReadAll("h1,h2", Dialect(',', true), &header).empty());
  EXPECT_EQ(header, (std::vector<std::string>{"h1", "h2"}));
}

TEST(CsvReader, TabPipeAndOtherDelimiters) {
  EXPECT_EQ(ReadAll("a\tb\n", Dialect('\t'))[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ReadAll("a|\"b|c\"\n", Dialect('|'))[0].fields, (std::vector<std::string>{"a", "b|c"}));
  EXPECT_EQ(ReadAll("a,b;c\n", Dialect(';'))[0].fields, (std::vector<std::string>{"a,b", "c"}));
  CsvDialect single_quote = Dialect();
  single_quote.quote = '\'';
  EXPECT_EQ(ReadAll("'a,b','it''s'\n", single_quote)[0].fields, (std::vector<std::string>{"a,b", "it's"}));
}

TEST(CsvReader, Utf8PassesThrough) {
  auto recs = ReadAll("Zoë;€ 5;\"日本\";𝄞\n", Dialect(';'));
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"Zoë", "€ 5", "日本", "𝄞"}));
  EXPECT_EQ(recs[0].error, "");
}

TEST(CsvReader, Windows1252ConvertedToUtf8) {
  // 0x80 euro, 0x91-0x94 curly quotes, 0x96 en dash, 0xE9 e-acute, 0xEB e-diaeresis, 0x8A S-caron.
  std::string data = "Zo\xEB;\x80 450,00;\x93quoted\x94 \x91single\x92;\x96;caf\xE9;\x8A\x9E\x9F\n";
  auto recs = ReadAll(data, Dialect(';', false, Encoding::kWindows1252));
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"Zoë", "€ 450,00", "“quoted” ‘single’", "–", "café", "ŠžŸ"}));
  EXPECT_EQ(recs[0].raw, "Zoë;€ 450,00;“quoted” ‘single’;–;café;ŠžŸ");
  EXPECT_EQ(recs[0].error, "");
}

TEST(CsvReader, Windows1252QuotedAndHeader) {
  std::vector<std::string> header;
  auto recs = ReadAll("Stra\xDF" "e;Plaats\r\n\"Caf\xE9 \"\"De Kroon\"\"\";\"'s-Hertogenbosch\"\r\n",
                      Dialect(';', true, Encoding::kWindows1252), &header);
  EXPECT_EQ(header, (std::vector<std::string>{"Straße", "Plaats"}));
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"Café \"De Kroon\"", "'s-Hertogenbosch"}));
}

TEST(CsvReader, UnterminatedQuoteAtEofResumesOnNextLine) {
  std::string data = "id,name,v\n1,\"ok\nstill\",x\n2,\"broken,y\n3,fine,z\n";
  std::vector<std::string> header;
  auto recs = ReadAll(data, Dialect(',', true), &header);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0], R(2, 0, "1,\"ok\nstill\",x", {"1", "ok\nstill", "x"}, {false, true, false}));
  EXPECT_EQ(recs[1], R(4, 1, "2,\"broken,y", {}, {},
                       "t.csv: line 4, column 2: unterminated quoted field: expected closing quote before end of "
                       "file, found end of file; raw: 2,\\\"broken,y"));
  EXPECT_EQ(recs[2], R(5, 2, "3,fine,z", {"3", "fine", "z"}, {false, false, false}));
}

TEST(CsvReader, UnterminatedQuoteOnLaterLineOfRecord) {
  // The open quote is on physical line 2 of the record; reading resumes on line 3.
  auto recs = ReadAll("\"a\nb\",\"c\r\nd,e\r\n", Dialect());
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].line, 1);
  EXPECT_EQ(recs[0].raw, "\"a\nb\",\"c");
  EXPECT_EQ(recs[0].error,
            "t.csv: line 2, column 2: unterminated quoted field: expected closing quote before end of file, found "
            "end of file; raw: \\\"a\\nb\\\",\\\"c");
  EXPECT_EQ(recs[1], R(3, 1, "d,e", {"d", "e"}, {false, false}));
}

TEST(CsvReader, UnterminatedQuoteAtVeryEnd) {
  auto recs = ReadAll("a,\"b", Dialect());
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].error,
            "t.csv: line 1, column 2: unterminated quoted field: expected closing quote before end of file, found "
            "end of file; raw: a,\\\"b");
  EXPECT_TRUE(recs[0].fields.empty());
}

TEST(CsvReader, TextAfterClosingQuote) {
  auto recs = ReadAll("1;\"abc\"def;3\n4;5;6\n", Dialect(';'));
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0], R(1, 0, "1;\"abc\"def;3", {"1", "\"abc\"def", "3"}, {false, true, false},
                       "t.csv: line 1, column 2: unexpected text after closing quote: expected delimiter ';' or end "
                       "of line, found 'd'; raw: 1;\\\"abc\\\"def;3"));
  EXPECT_EQ(recs[1], R(2, 1, "4;5;6", {"4", "5", "6"}, {false, false, false}));
  // Line of the problem is after the quoted newline; the tab delimiter is shown escaped.
  auto tab = ReadAll("x\t\"a\nb\" \tz\n", Dialect('\t'));
  ASSERT_EQ(tab.size(), 1u);
  EXPECT_EQ(tab[0].error,
            "t.csv: line 2, column 2: unexpected text after closing quote: expected delimiter '\\t' or end of line, "
            "found ' '; raw: x\\t\\\"a\\nb\\\" \\tz");
  EXPECT_EQ(tab[0].fields, (std::vector<std::string>{"x", "\"a\nb\" ", "z"}));
}

TEST(CsvReader, QuoteInsideUnquotedField) {
  auto recs = ReadAll("a,12\" screen,c\nd,e,f\n", Dialect());
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0], R(1, 0, "a,12\" screen,c", {"a", "12\" screen", "c"}, {false, false, false},
                       "t.csv: line 1, column 2: quote inside unquoted field: expected no quote, or the whole field "
                       "quoted with inner quotes doubled, found '\"'; raw: a,12\\\" screen,c"));
  EXPECT_EQ(recs[1].error, "");
}

TEST(CsvReader, InvalidUtf8InUtf8File) {
  auto recs = ReadAll("naam,plaats\ncaf\xE9,x\n\xC3\xA9t\xC3,y\nok,\xED\xA0\x80\n\xF0\x9F\x98\x80,z\n", Dialect());
  ASSERT_EQ(recs.size(), 5u);
  EXPECT_EQ(recs[0].error, "");
  EXPECT_EQ(recs[1], R(2, 1, "caf\xE9,x", {"caf\xE9", "x"}, {false, false},
                       "t.csv: line 2, column 1: invalid UTF-8: expected UTF-8 text, found byte 0xE9; raw: caf\\xE9,x"));
  EXPECT_EQ(recs[2].error, "t.csv: line 3, column 1: invalid UTF-8: expected UTF-8 text, found byte 0xC3; raw: ét\\xC3,y");
  EXPECT_EQ(recs[3].error,  // an encoded surrogate
            "t.csv: line 4, column 2: invalid UTF-8: expected UTF-8 text, found byte 0xED; raw: ok,\\xED\\xA0\\x80");
  EXPECT_EQ(recs[4].error, "");
  EXPECT_EQ(recs[4].fields[0], "\xF0\x9F\x98\x80");
  // Also inside quotes, and truncated at the very end of input.
  auto quoted = ReadAll("\"a\xFF\"\n\"\xE2\x82\"", Dialect());
  ASSERT_EQ(quoted.size(), 2u);
  EXPECT_EQ(quoted[0].error,
            "t.csv: line 1, column 1: invalid UTF-8: expected UTF-8 text, found byte 0xFF; raw: \\\"a\\xFF\\\"");
  EXPECT_EQ(quoted[1].error,
            "t.csv: line 2, column 1: invalid UTF-8: expected UTF-8 text, found byte 0xE2; raw: \\\"\\xE2\\x82\\\"");
}

TEST(CsvReader, NulByte) {
  std::string data("a,b\x00" "c,d\n\"x\x00y\"\ne\n", 16);
  auto recs = ReadAll(data, Dialect());
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].error, "t.csv: line 1, column 2: NUL byte: expected text, found byte 0x00; raw: a,b\\0c,d");
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"a", std::string("b\0c", 3), "d"}));
  EXPECT_EQ(recs[1].error, "t.csv: line 2, column 1: NUL byte: expected text, found byte 0x00; raw: \\\"x\\0y\\\"");
  EXPECT_EQ(recs[2], R(3, 2, "e", {"e"}, {false}));
  // A NUL in a Windows-1252 file too.
  auto cp = ReadAll(std::string("\x80\x00\n", 3), Dialect(',', false, Encoding::kWindows1252));
  ASSERT_EQ(cp.size(), 1u);
  EXPECT_EQ(cp[0].error, "t.csv: line 1, column 1: NUL byte: expected text, found byte 0x00; raw: €\\0");
}

TEST(CsvReader, FieldTooLong) {
  CsvDialect d = Dialect();
  d.max_field_bytes = 4;
  auto recs = ReadAll("abcd,\"ab\"\"c\"\nabcde,x\n1,\"12\n45\"\n", d);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].error, "");
  EXPECT_EQ(recs[0].fields, (std::vector<std::string>{"abcd", "ab\"c"}));
  EXPECT_EQ(recs[1], R(2, 1, "abcde,x", {"abcde", "x"}, {false, false},
                       "t.csv: line 2, column 1: field too long: expected at most 4 bytes, found 5 bytes; raw: abcde,x"));
  EXPECT_EQ(recs[2].error,
            "t.csv: line 4, column 2: field too long: expected at most 4 bytes, found 5 bytes; raw: 1,\\\"12\\n45\\\"");
}

TEST(CsvReader, RecordTooLongSkipsItsFirstLine) {
  CsvDialect d = Dialect();
  d.max_record_bytes = 10;
  std::string data = "short,1\n0123456789A,2\nok,3\n\"ab\ncdefgh\",4\nlast\n";
  auto recs = ReadAll(data, d);
  ASSERT_EQ(recs.size(), 6u);
  EXPECT_EQ(recs[0], R(1, 0, "short,1", {"short", "1"}, {false, false}));
  EXPECT_EQ(recs[1], R(2, 1, "0123456789", {}, {},
                       "t.csv: line 2: record too long: expected at most 10 bytes, found more than 10 bytes; raw: "
                       "0123456789"));
  EXPECT_EQ(recs[2], R(3, 2, "ok,3", {"ok", "3"}, {false, false}));
  // A record that is long because of a quoted newline: its first line is reported, then the rest is read
  // as the next record (which is bad itself: a quote in an unquoted field).
  EXPECT_EQ(recs[3].line, 4);
  EXPECT_EQ(recs[3].raw, "\"ab");
  EXPECT_EQ(recs[3].error,
            "t.csv: line 4: record too long: expected at most 10 bytes, found more than 10 bytes; raw: \\\"ab");
  EXPECT_EQ(recs[4].line, 5);
  EXPECT_EQ(recs[4].fields, (std::vector<std::string>{"cdefgh\"", "4"}));
  EXPECT_EQ(recs[4].error.substr(0, 56), "t.csv: line 5, column 1: quote inside unquoted field: ex");
  EXPECT_EQ(recs[5], R(6, 5, "last", {"last"}, {false}));
}

TEST(CsvReader, RecordTooLongAtBoundaryAndLongFirstLine) {
  CsvDialect d = Dialect();
  d.max_record_bytes = 5;
  auto recs = ReadAll("12345\r\n123456\r\n" + std::string(100, 'x') + "\rend", d);
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0].error, "");  // exactly at the limit
  EXPECT_EQ(recs[1].line, 2);
  EXPECT_EQ(recs[1].raw, "12345");
  EXPECT_NE(recs[1].error, "");
  EXPECT_EQ(recs[2].line, 3);
  EXPECT_EQ(recs[2].raw, "xxxxx");
  EXPECT_NE(recs[2].error, "");
  EXPECT_EQ(recs[3], R(4, 3, "end", {"end"}, {false}));
}

TEST(CsvReader, LineNumbersExactAcrossQuotedNewlinesAndBadRows) {
  std::string data =
      "h1;h2\r\n"                  // 1
      "\"a\r\nb\r\nc\";x\r\n"      // 2-4
      "bad\"q;y\r\n"               // 5
      "\"m\rn\";\"\"\r\n"          // 6-7
      "\r\n"                       // 8 (blank)
      "z;\"1\n2\n3\"\r\n"          // 9-11
      "last;1";                    // 12
  std::vector<std::string> header;
  auto recs = ReadAll(data, Dialect(';', true), &header);
  ASSERT_EQ(recs.size(), 6u);
  std::vector<std::int64_t> lines;
  for (const auto& r : recs) lines.push_back(r.line);
  EXPECT_EQ(lines, (std::vector<std::int64_t>{2, 5, 6, 8, 9, 12}));
  EXPECT_EQ(recs[1].error.substr(0, 24), "t.csv: line 5, column 1:");
  EXPECT_EQ(recs[4].fields, (std::vector<std::string>{"z", "1\n2\n3"}));
}

TEST(CsvReader, OnlyFirstProblemOfARecordIsReported) {
  auto recs = ReadAll("a\"b,\xFF,\"c\"d\n", Dialect());
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].error.substr(0, 53), "t.csv: line 1, column 1: quote inside unquoted field:");
}

TEST(CsvReader, LongExcerptIsCutAtCharacterBoundary) {
  std::string field(119, 'a');
  std::string data = field + "é\xFF" + std::string(50, 'b') + "\n";  // é spans bytes 120-121
  auto recs = ReadAll(data, Dialect());
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].error, "t.csv: line 1, column 1: invalid UTF-8: expected UTF-8 text, found byte 0xFF; raw: " +
                               field + "...");
}

TEST(CsvReader, ScratchFieldsSurviveManyDoubledQuotes) {
  std::string data;
  std::vector<std::string> want;
  for (int i = 0; i < 200; ++i) {
    std::string v = "v" + std::to_string(i) + "\"\"" + std::string(static_cast<std::size_t>(i), 'x');
    data += "\"" + v + "\"" + (i < 199 ? "," : "\n");
    want.push_back("v" + std::to_string(i) + "\"" + std::string(static_cast<std::size_t>(i), 'x'));
  }
  auto recs = ReadAll(data, Dialect());
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields, want);
}

TEST(CsvReader, BadDialectFailsNext) {
  CsvDialect d = Dialect();
  d.delimiter = '"';
  auto reader = CsvReader::FromString("a\n", d, "x.csv");
  CsvRecord r;
  Result<bool> got = reader->Next(&r);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(), "CSV delimiter and quote must differ");
  d.delimiter = '\n';
  EXPECT_EQ(d.Validate().message(), "CSV delimiter cannot be CR, LF or NUL");
  MemFileSystem fs;
  ASSERT_TRUE(fs.WriteFile("x.csv", "a\n").ok());
  auto opened = CsvReader::Open("x.csv", d, &fs);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().message(), "x.csv: CSV delimiter cannot be CR, LF or NUL");
}

TEST(CsvReader, HeaderErrorIsKept) {
  auto reader = CsvReader::FromString("a,\"b\"c\n1,2\n", Dialect(',', true), "h.csv");
  ASSERT_TRUE(reader->header_error().has_value());
  EXPECT_EQ(reader->header_error()->line, 1);
  EXPECT_EQ(reader->header_error()->column, 2);
  EXPECT_EQ(reader->header(), (std::vector<std::string>{"a", "\"b\"c"}));
  CsvRecord r;
  ASSERT_TRUE(*reader->Next(&r));
  EXPECT_EQ(r.index, 0);
  EXPECT_EQ(r.line, 2);
}

TEST(CsvReader, OpenFromMemFileSystemAndDisk) {
  MemFileSystem fs;
  ASSERT_TRUE(fs.WriteFile("d/x.csv", "k;v\r\n1;\x80\r\n").ok());
  auto reader = CsvReader::Open("d/x.csv", Dialect(';', true, Encoding::kWindows1252), &fs);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  CsvRecord r;
  ASSERT_TRUE(*(*reader)->Next(&r));
  EXPECT_EQ(r.fields[1], "€");
  EXPECT_FALSE(*(*reader)->Next(&r));
  EXPECT_EQ((*reader)->bytes_read(), 10u);

  auto missing = CsvReader::Open("nope.csv", Dialect(), &fs);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kIoError);
  auto missing_disk = CsvReader::Open("/nonexistent/dir/x.csv", Dialect());
  ASSERT_FALSE(missing_disk.ok());
  EXPECT_EQ(missing_disk.status().message(), "cannot open '/nonexistent/dir/x.csv': No such file or directory");

  // Streamed from disk with a small chunk size.
  std::string path = ::testing::TempDir() + "/csv_reader_test_stream.csv";
  std::string data = "a,b\n";
  for (int i = 0; i < 5000; ++i) data += std::to_string(i) + ",\"v\"\"" + std::to_string(i) + "\"\n";
  ASSERT_TRUE(PosixFileSystem()->WriteFile(path, data).ok());
  CsvReadOptions options;
  options.chunk_bytes = 100;
  auto disk = CsvReader::Open(path, Dialect(',', true), nullptr, options);
  ASSERT_TRUE(disk.ok()) << disk.status().ToString();
  int n = 0;
  while (true) {
    auto got = (*disk)->Next(&r);
    ASSERT_TRUE(got.ok());
    if (!*got) break;
    ASSERT_EQ(r.fields[0], std::to_string(n));
    ASSERT_EQ(r.fields[1], "v\"" + std::to_string(n));
    ASSERT_EQ(r.line, n + 2);
    ++n;
  }
  EXPECT_EQ(n, 5000);
  EXPECT_EQ((*disk)->bytes_read(), data.size());
  auto sample = ReadFileSample(path, 10);
  ASSERT_TRUE(sample.ok());
  EXPECT_EQ(*sample, data.substr(0, 10));
  ASSERT_TRUE(PosixFileSystem()->Remove(path).ok());
}

TEST(CsvReader, EscapeRaw) {
  EXPECT_EQ(EscapeRaw(std::string("a\\\"\r\n\t\x01\x7F\xC3\xA9\xC3", 11)), "a\\\\\\\"\\r\\n\\t\\x01\\x7Fé\\xC3");
  EXPECT_EQ(EscapeRaw(std::string("\0", 1)), "\\0");
}

TEST(CsvReader, BadRowToStringWithoutColumn) {
  BadRow b;
  b.file = "f.csv";
  b.line = 3;
  b.what = "w";
  b.expected = "e";
  b.found = "f";
  b.raw_excerpt = "r";
  EXPECT_EQ(b.ToString(), "f.csv: line 3: w: expected e, found f; raw: r");
  b.column = 2;
  EXPECT_EQ(b.ToString(), "f.csv: line 3, column 2: w: expected e, found f; raw: r");
}

}  // namespace
}  // namespace das::io
