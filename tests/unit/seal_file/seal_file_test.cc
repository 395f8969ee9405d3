#include "das/seal/seal_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "das/io/csv_reader.h"
#include "das/io/text_encoding.h"

namespace das::seal {
namespace {

using contract::Contract;
using contract::Form;

Contract LoadSource(const std::string& name) {
  Result<Contract> c =
      contract::LoadContract(std::string(DAS_SOURCE_DIR) + "/config/sources/" + name + ".toml", *PosixFileSystem());
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : Contract{};
}

const Tussenvoegsels& Tv() {
  static const Tussenvoegsels tv =
      Tussenvoegsels::Load(*PosixFileSystem(), std::string(DAS_SOURCE_DIR) + "/config/seal/tussenvoegsels.txt").value();
  return tv;
}

const KeyFile& Keys(std::uint64_t seed = 1) {
  static const KeyFile k1 = DemoKeyFile("politie", 1).value();
  static const KeyFile k2 = DemoKeyFile("politie", 2).value();
  return seed == 1 ? k1 : k2;
}

std::string Join(const std::vector<std::string>& v, char delim) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) out += (i > 0 ? std::string(1, delim) : "") + v[i];
  return out;
}

std::string BsnPseudo(std::string_view nine, std::uint64_t seed = 1) {
  return Pseudonymiser(*Keys(seed).Find(kLinkDomain), kLinkDomain, "bsn").Pseudonymise(nine);
}
std::string Bf(std::string_view field, std::string_view normalised, std::uint64_t seed = 1) {
  return BloomToBase64(
      BloomEncoder::Create(*Keys(seed).Find(kBloomDomain), field, kNameBloomParams)->EncodeName(normalised));
}
std::string BfDate(int y, int m, int d, std::uint64_t seed = 1) {
  return BloomToBase64(BloomEncoder::Create(*Keys(seed).Find(kBloomDomain), "geboortedatum", kDateBloomParams)
                           ->EncodeDate(Date::FromYmd(y, m, d).value()));
}

struct Parsed {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  bool bom = false;
  std::string Cell(std::size_t row, std::string_view column) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == column) return rows.at(row).at(i);
    }
    ADD_FAILURE() << "no column " << column;
    return {};
  }
};

Parsed Parse(const std::string& bytes, const Contract& c) {
  auto reader = io::CsvReader::FromString(bytes, c.format.Dialect(), "sealed");
  Parsed p;
  p.header = reader->header();
  p.bom = reader->had_bom();
  EXPECT_FALSE(reader->header_error().has_value());
  io::CsvRecord rec;
  for (;;) {
    Result<bool> more = reader->Next(&rec);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    EXPECT_FALSE(rec.error.has_value()) << rec.error->ToString();
    p.rows.emplace_back(rec.fields.begin(), rec.fields.end());
  }
  return p;
}

void ExpectAbsent(const std::string& out, const std::vector<std::string>& values) {
  for (const std::string& v : values) EXPECT_EQ(out.find(v), std::string::npos) << "identifier in output: " << v;
}

// ---------------------------------------------------------------------------------------------------------
// politie_verdachten: ';', CRLF, dd-mm-yyyy, person kind column (N/R).

const char kPolitieHeader[] =
    "PV_nummer;Registratienummer;Datum_registratie;Soort_verdachte;BSN;KvK_nummer;Achternaam;Tussenvoegsel;"
    "Voornamen;Geboortedatum;Geslacht;Woonbuurt;Afdoening;Datum_afdoening\r\n";

std::string PolitieFile() {
  return std::string(kPolitieHeader) +
         "PL0500_PV_20230012345;PL0500_BVH_20230000001;15-03-2023;N;1234.56.782;;Berg;van der;Jan Pieter;03-07-1985;"
         "M;BU03630000;OM;20-03-2023\r\n"
         "PL0500_PV_20230012346;PL0500_BVH_20230000001;15-03-2023;N;000000000;;\xC3\x87" "elik;;Ay\xC5\x9F" "e;"
         "29-02-2004;V;;HALT;01-04-2023\r\n"
         "PL0100_PV_20230000007;PL0100_BVH_20230000002;01-06-2023;N;;;de Vries;;Sanne;31-12-2010;V;BU00140000;;\r\n"
         "PL0100_PV_20230000008;PL0100_BVH_20230000002;01-06-2023;R;;12345678;Bakkerij De Korenschoof B.V.;;;;O;;OM;"
         "02-06-2023\r\n"
         "PL0200_PV_20230000009;PL0200_BVH_20230000003;10-10-2023;N;123456789;;Jansen;;Piet;01-02-1990;M;;GEEN;"
         "11-10-2023\r\n";
}

const std::vector<std::string> kPolitieIdentifiers = {
    "1234.56.782", "123456782", "000000000", "123456789", "Berg", "berg", "van der", "Jan Pieter", "Pieter",
    "03-07-1985", "1985-07-03", "\xC3\x87" "elik", "celik", "Ay\xC5\x9F" "e", "29-02-2004", "Vries", "vries",
    "Sanne", "31-12-2010", "Bakkerij", "Korenschoof", "Jansen", "jansen", "Piet", "01-02-1990"};

TEST(SealFile, PolitieRoundTrip) {
  const Contract c = LoadSource("politie_verdachten");
  std::string out;
  Result<SealReport> r = SealFile(c, Keys(), Tv(), PolitieFile(), &out);
  ASSERT_TRUE(r.ok()) << r.status().ToString();

  // Same dialect: ';', CRLF, no BOM; header exactly the contract's sealed form.
  EXPECT_EQ(out.substr(0, out.find('\n') + 1), Join(c.Header(Form::kSealed), ';') + "\r\n");
  EXPECT_FALSE(r->bom);
  EXPECT_TRUE(r->crlf);
  EXPECT_TRUE(r->warnings.empty());
  const std::string line2 = "PL0500_PV_20230012345;PL0500_BVH_20230000001;15-03-2023;N;;M;BU03630000;OM;20-03-2023;" +
                            BsnPseudo("123456782") + ";ok;1985;37;" + Bf("achternaam", "berg") + ";" +
                            Bf("voornaam", "jan") + ";" + BfDate(1985, 7, 3) + "\r\n";
  EXPECT_NE(out.find("\r\n" + line2), std::string::npos) << out;

  const Parsed p = Parse(out, c);
  EXPECT_EQ(p.header, c.Header(Form::kSealed));
  ASSERT_EQ(p.rows.size(), 5u);
  EXPECT_EQ(p.Cell(0, "bsn_status"), "ok");
  EXPECT_EQ(p.Cell(1, "bsn_status"), "invalid");  // 000000000
  EXPECT_EQ(p.Cell(1, "bsn_pseudo"), "");
  EXPECT_EQ(p.Cell(1, "leeftijd"), "19");         // born 29 February 2004, on 15 March 2023
  EXPECT_EQ(p.Cell(1, "bf_achternaam"), Bf("achternaam", "celik"));
  EXPECT_EQ(p.Cell(1, "bf_voornaam"), Bf("voornaam", "ayse"));
  EXPECT_EQ(p.Cell(2, "bsn_status"), "missing");
  EXPECT_EQ(p.Cell(2, "geboortejaar"), "2010");
  EXPECT_EQ(p.Cell(2, "leeftijd"), "12");
  EXPECT_EQ(p.Cell(2, "bf_achternaam"), Bf("achternaam", "vries"));  // "de" split off
  // Legal person: no Bloom encodings, no birth year or age; the company name is gone all the same.
  EXPECT_EQ(p.Cell(3, "Soort_verdachte"), "R");
  EXPECT_EQ(p.Cell(3, "KvK_nummer"), "12345678");
  EXPECT_EQ(p.Cell(3, "bsn_status"), "missing");
  for (const char* col : {"geboortejaar", "leeftijd", "bf_achternaam", "bf_voornaam", "bf_geboortedatum"}) {
    EXPECT_EQ(p.Cell(3, col), "") << col;
  }
  EXPECT_EQ(p.Cell(4, "bsn_status"), "invalid");  // fails the 11-check
  EXPECT_EQ(p.Cell(4, "leeftijd"), "33");

  EXPECT_EQ(r->rows_read, 5);
  EXPECT_EQ(r->rows_written, 5);
  EXPECT_EQ(r->rows_dropped, 0);
  EXPECT_EQ(r->bsn_ok, 1);
  EXPECT_EQ(r->bsn_missing, 2);
  EXPECT_EQ(r->bsn_invalid, 2);
  EXPECT_EQ(r->bsn_problems[static_cast<std::size_t>(BsnProblem::kAllSameDigit)], 1);
  EXPECT_EQ(r->bsn_problems[static_cast<std::size_t>(BsnProblem::kElevenCheck)], 1);
  EXPECT_EQ(r->legal_persons, 1);
  EXPECT_EQ(r->Summary(), "politie_verdachten@1: 5 rows read, 5 written, 0 dropped; BSN ok 1, missing 2, invalid 2");
  ExpectAbsent(out, kPolitieIdentifiers);
}

TEST(SealFile, SameInputAndKeysGiveIdenticalBytesForAnyThreadingAndBlockSize) {
  const Contract c = LoadSource("politie_verdachten");
  // A larger file with good, invalid-BSN, blank and bad rows spread over many blocks.
  Random rng(7);
  const char* surnames[] = {"Jansen", "Bakker", "Visser", "Smit", "Yılmaz", "Dijkstra", "Mulder", "Bos"};
  const char* given[] = {"Jan", "Anna Maria", "Mohamed", "Daniël", "Sophie", "Fatma"};
  std::string raw = kPolitieHeader;
  for (int i = 0; i < 3000; ++i) {
    const std::uint64_t kind = rng.Below(100);
    if (kind == 0) {
      raw += "PL0100_PV_2023000000;broken\r\n";  // too few fields
      continue;
    }
    if (kind == 1) {
      raw += "\r\n";  // blank line
      continue;
    }
    const std::string bsn = kind < 80 ? MakeValidBsn(rng) : kind < 90 ? MakeInvalidBsn(rng) : "";
    const Date birth(static_cast<std::int32_t>(-5000 + static_cast<int>(rng.Below(15000))));
    const Ymd b = birth.ToYmd();
    char date[16];
    std::snprintf(date, sizeof date, "%02d-%02d-%04d", b.day, b.month, b.year);
    raw += "PL0100_PV_2023" + std::to_string(1000000 + i) + ";PL0100_BVH_20230000002;01-06-2023;N;" + bsn + ";;" +
           surnames[rng.Below(8)] + ";;" + given[rng.Below(6)] + ";" + date + ";M;;;\r\n";
  }
  std::string reference;
  const Result<SealReport> base = SealFile(c, Keys(), Tv(), raw, &reference, {.threads = 1});
  ASSERT_TRUE(base.ok()) << base.status().ToString();
  EXPECT_GT(base->rows_dropped, 10);
  EXPECT_GT(base->blank_lines, 10);
  EXPECT_EQ(base->rows_read, base->rows_written + base->rows_dropped);
  for (const SealFileOptions& o : {SealFileOptions{.threads = 2}, SealFileOptions{.threads = 2, .block_rows = 7},
                                   SealFileOptions{.threads = 3, .block_rows = 1},
                                   SealFileOptions{.threads = 1, .block_rows = 100}}) {
    std::string out;
    const Result<SealReport> r = SealFile(c, Keys(), Tv(), raw, &out, o);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(out == reference) << "threads " << o.threads << ", block_rows " << o.block_rows;
    EXPECT_EQ(r->Summary(), base->Summary());
    ASSERT_EQ(r->dropped.size(), base->dropped.size());
    for (std::size_t i = 0; i < r->dropped.size(); ++i) EXPECT_EQ(r->dropped[i].line, base->dropped[i].line);
  }
  std::string again;
  ASSERT_TRUE(SealFile(c, Keys(), Tv(), raw, &again).ok());
  EXPECT_TRUE(again == reference);
}

TEST(SealFile, DifferentKeysGiveDifferentPseudonymsAndEncodings) {
  const Contract c = LoadSource("politie_verdachten");
  std::string a, b;
  ASSERT_TRUE(SealFile(c, Keys(1), Tv(), PolitieFile(), &a).ok());
  ASSERT_TRUE(SealFile(c, Keys(2), Tv(), PolitieFile(), &b).ok());
  const Parsed pa = Parse(a, c), pb = Parse(b, c);
  ASSERT_EQ(pa.rows.size(), pb.rows.size());
  EXPECT_EQ(pb.Cell(0, "bsn_pseudo"), BsnPseudo("123456782", 2));
  EXPECT_NE(pa.Cell(0, "bsn_pseudo"), pb.Cell(0, "bsn_pseudo"));
  for (const char* col : {"bf_achternaam", "bf_voornaam", "bf_geboortedatum"}) {
    EXPECT_NE(pa.Cell(0, col), pb.Cell(0, col)) << col;
  }
  // Everything that is not a seal output is the same.
  for (std::size_t row = 0; row < pa.rows.size(); ++row) {
    for (const char* col : {"PV_nummer", "Datum_registratie", "Geslacht", "bsn_status", "geboortejaar", "leeftijd"}) {
      EXPECT_EQ(pa.Cell(row, col), pb.Cell(row, col));
    }
  }
}

TEST(SealFile, BadRowsAreDroppedAndReportedWithoutValues) {
  const Contract c = LoadSource("politie_verdachten");
  const std::string raw = std::string(kPolitieHeader) +
                          "PL0500_PV_20230012345;PL0500_BVH_20230000001;15-03-2023;N;123456782;;Berg;;Jan;03-07-1985;"
                          "M;;;\r\n"
                          "PL0500_PV_20230012346;PL0500_BVH_20230000001;15-03-2023;N;111222333;;Kla\"assen;;Kees;"
                          "04-08-1986;M;;;\r\n"
                          "PL0500_PV_20230012347;Pietersma;220-11-1970\r\n"
                          "PL0500_PV_20230012348;PL0500_BVH_20230000001;15-03-2023;N;;;Visser;;Emma;05-09-1987;V;;;\r\n";
  std::string out;
  Result<SealReport> r = SealFile(c, Keys(), Tv(), raw, &out, {.file_name = "bvh.csv"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows_read, 4);
  EXPECT_EQ(r->rows_written, 2);
  EXPECT_EQ(r->rows_dropped, 2);
  ASSERT_EQ(r->dropped.size(), 2u);
  EXPECT_EQ(r->dropped[0].line, 3);
  EXPECT_EQ(r->dropped[0].reason,
            "line 3: column 7 'Achternaam': quote inside unquoted field (expected no quote, or the whole field "
            "quoted with inner quotes doubled)");
  EXPECT_EQ(r->dropped[1].line, 4);
  EXPECT_EQ(r->dropped[1].reason, "row has 3 fields, header has 14");
  EXPECT_EQ(r->Summary(), "politie_verdachten@1: 4 rows read, 2 written, 2 dropped; BSN ok 1, missing 1, invalid 0");
  const Parsed p = Parse(out, c);
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.Cell(0, "PV_nummer"), "PL0500_PV_20230012345");
  EXPECT_EQ(p.Cell(1, "PV_nummer"), "PL0500_PV_20230012348");
  ExpectAbsent(out, {"Kla", "assen", "Kees", "04-08-1986", "111222333", "Pietersma", "220-11-1970",
                     "PL0500_PV_20230012346", "PL0500_PV_20230012347"});
}

// ---------------------------------------------------------------------------------------------------------
// om_zaken: ',', LF, text fields quoted, ISO dates.

TEST(SealFile, OmKeepsQuotingAndIsoDates) {
  const Contract c = LoadSource("om_zaken");
  const std::string header =
      "parketnummer,pv_nummer,aanbrenger,soort_verdachte,bsn,kvk_nummer,achternaam,tussenvoegsel,voornamen,"
      "geboortedatum,geslacht,woongemeente,datum_instroom,zsm,wetsartikel,beslissing,datum_beslissing\n";
  const std::string raw =
      header +
      "\"10/123456-23\",\"PL0500_PV_20230012345\",\"POL\",\"N\",\"123456782\",,\"Jansen-de Vries\",,"
      "\"Mohammed Ali\",1990-05-17,\"M\",\"GM0363\",2023-04-02,\"J\",\"310 Sr\",\"DAGV\",2023-05-01\n"
      "\"13/000042-23\",,\"BOD\",\"N\",\"\",,\"Berg, van den\",,\"Eva\",2001-03-01,\"V\",,2023-06-30,\"N\","
      "\"art. \"\"2\"\", 3 Opw\",,\n";
  std::string out;
  Result<SealReport> r = SealFile(c, Keys(), Tv(), raw, &out);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->crlf);
  const std::string expected =
      Join(c.Header(Form::kSealed), ',') + "\n" +
      "\"10/123456-23\",\"PL0500_PV_20230012345\",\"POL\",\"N\",,\"M\",\"GM0363\",2023-04-02,\"J\",\"310 Sr\","
      "\"DAGV\",2023-05-01," +
      BsnPseudo("123456782") + ",ok,1990,32," + Bf("achternaam", "jansen de vries") + "," +
      Bf("voornaam", "mohammed") + "," + BfDate(1990, 5, 17) + "\n" +
      "\"13/000042-23\",,\"BOD\",\"N\",,\"V\",,2023-06-30,\"N\",\"art. \"\"2\"\", 3 Opw\",,,,missing,2001,22," +
      Bf("achternaam", "berg") + "," + Bf("voornaam", "eva") + "," + BfDate(2001, 3, 1) + "\n";
  EXPECT_EQ(out, expected);
  const Parsed p = Parse(out, c);
  EXPECT_EQ(p.Cell(1, "wetsartikel"), "art. \"2\", 3 Opw");
  ExpectAbsent(out, {"123456782", "Jansen", "Vries", "Mohammed", "Ali", "1990-05-17", "Berg", "van den", "Eva\"",
                     "2001-03-01"});
}

// ---------------------------------------------------------------------------------------------------------
// cjib_inning: UTF-8 with BOM, ',', CRLF, dd-mm-yyyy, BSN only.

TEST(SealFile, CjibKeepsBomAndLinksTheSameBsn) {
  const Contract c = LoadSource("cjib_inning");
  const std::string body =
      "cjib_nummer,soort,parketnummer,pv_nummer,bsn,bedrag,datum_registratie,bedrag_geind,status,datum_status\r\n"
      "CJ202300000001,SBS,10/123456-23,,1234 56 782,390.00,05-06-2023,100.00,DEELS,01-12-2023\r\n";
  std::string out;
  Result<SealReport> r = SealFile(c, Keys(), Tv(), "\xEF\xBB\xBF" + body, &out);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->bom);
  EXPECT_TRUE(r->warnings.empty());
  EXPECT_EQ(out, "\xEF\xBB\xBF" + Join(c.Header(Form::kSealed), ',') + "\r\n" +
                     "CJ202300000001,SBS,10/123456-23,,390.00,05-06-2023,100.00,DEELS,01-12-2023," +
                     BsnPseudo("123456782") + ",ok,,,,,\r\n");
  EXPECT_TRUE(Parse(out, c).bom);
  // Without the BOM the output mirrors the input and says the contract wants one.
  r = SealFile(c, Keys(), Tv(), body, &out);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->bom);
  EXPECT_EQ(out.substr(0, 11), "cjib_nummer");
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0], "input has no BOM, but contract cjib_inning@1 requires one (the output mirrors the input)");
}

// ---------------------------------------------------------------------------------------------------------
// Windows-1252 with person columns (no shipped contract has both, so a test contract), subset and
// reordering of the seal outputs.

constexpr char kCp1252Contract[] = R"(
[contract]
name = "test_personen"
version = 1
organisation = "test"
dataset = "personen"
description = "Windows-1252 test source with person columns."
key = ["id"]
reference_date = "datum"

[format]
delimiter = ";"
encoding = "windows-1252"
bom = "forbidden"
decimal_separator = ","
date_format = "yyyymmdd"
header = true
line_ending = "crlf"

[seal]
reference_date = "datum"
outputs = ["bsn_status", "bsn_pseudo", "leeftijd", "bf_geboortedatum", "bf_achternaam"]

[[columns]]
name = "Id"
field = "id"
type = "string"
required = true

[[columns]]
name = "Datum"
field = "datum"
type = "date"

[[columns]]
name = "BSN"
field = "bsn"
type = "bsn"

[[columns]]
name = "Naam"
field = "surname"
type = "surname"

[[columns]]
name = "Voornamen"
field = "given_names"
type = "given_names"

[[columns]]
name = "Geboren"
field = "birth_date"
type = "birth_date"

[[columns]]
name = "Plaats"
field = "place"
type = "string"

[[columns]]
name = "Bedrag"
field = "amount"
type = "decimal"
)";

TEST(SealFile, Windows1252InWindows1252Out) {
  Result<Contract> c = contract::ParseContract(kCp1252Contract, "test_personen.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(Join(c->Header(Form::kSealed), ';'),
            "Id;Datum;Plaats;Bedrag;bsn_status;bsn_pseudo;leeftijd;bf_geboortedatum;bf_achternaam");
  const std::string raw =
      "Id;Datum;BSN;Naam;Voornamen;Geboren;Plaats;Bedrag\r\n"
      "1;20230615;123456782;\xC7" "elik;Dani\xEBl;19850703;Caf\xE9 \x80;12,50\r\n"
      "2;20230615;;M\xFCller;J\xF6rg;19850615;\"Gen\xE8ve; CH\";7,00\r\n";
  std::string out;
  Result<SealReport> r = SealFile(*c, Keys(), Tv(), raw, &out);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::string expected =
      "Id;Datum;Plaats;Bedrag;bsn_status;bsn_pseudo;leeftijd;bf_geboortedatum;bf_achternaam\r\n"
      "1;20230615;Caf\xE9 \x80;12,50;ok;" + BsnPseudo("123456782") + ";37;" + BfDate(1985, 7, 3) + ";" +
      Bf("achternaam", "celik") + "\r\n" +
      "2;20230615;\"Gen\xE8ve; CH\";7,00;missing;;38;" + BfDate(1985, 6, 15) + ";" + Bf("achternaam", "muller") +
      "\r\n";
  EXPECT_EQ(out, expected);
  EXPECT_FALSE(io::IsValidUtf8(out));  // still Windows-1252
  ExpectAbsent(out, {"\xC7" "elik", "Dani\xEBl", "19850703", "M\xFCller", "J\xF6rg", "19850615", "123456782"});
}

// ---------------------------------------------------------------------------------------------------------
// Header errors: exact messages, no values.

TEST(SealFile, HeaderMismatchMessages) {
  const Contract c = LoadSource("politie_verdachten");
  std::vector<std::string> h = c.Header(Form::kRaw);
  auto seal_with_header = [&](const std::vector<std::string>& header, const std::string& rows = "") {
    std::string out = "untouched";
    Result<SealReport> r = SealFile(c, Keys(), Tv(), Join(header, ';') + "\r\n" + rows, &out, {.file_name = "in.csv"});
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(out, "");
    return r.status().message();
  };
  std::vector<std::string> renamed = h;
  renamed[4] = "Bsn_nummer";
  renamed.erase(renamed.begin() + 11);  // Woonbuurt
  EXPECT_EQ(seal_with_header(renamed),
            "in.csv: line 1: header does not match contract politie_verdachten@1: missing columns 'BSN', 'Woonbuurt'; "
            "unexpected column 'Bsn_nummer'");
  std::vector<std::string> swapped = h;
  std::swap(swapped[6], swapped[7]);
  EXPECT_EQ(seal_with_header(swapped),
            "in.csv: line 1: header does not match contract politie_verdachten@1: column 7 is 'Tussenvoegsel', "
            "expected 'Achternaam' (same columns, different order)");
  std::vector<std::string> twice = h;
  twice.push_back("Achternaam");
  EXPECT_EQ(seal_with_header(twice),
            "in.csv: line 1: header does not match contract politie_verdachten@1: repeated column 'Achternaam'");
  EXPECT_EQ(seal_with_header(c.Header(Form::kSealed)),
            "in.csv: line 1: header is the sealed form of contract politie_verdachten@1: the file is already sealed");
  // A file without header: the first data line must not be echoed.
  const std::vector<std::string> data = {"PL0500_PV_20230012345", "PL0500_BVH_20230000001", "15-03-2023", "N",
                                         "123456782", "", "Jansen", "", "Jan", "03-07-1985", "M", "", "", ""};
  const std::string msg = seal_with_header(data);
  EXPECT_EQ(msg,
            "in.csv: line 1: header does not match contract politie_verdachten@1: none of its 14 columns is in the "
            "first line (14 fields): is the header missing, or is this another source's file?");
  // One unknown name that looks like data is not quoted.
  std::vector<std::string> leaky = h;
  leaky[6] = "1234.56.782";
  EXPECT_EQ(seal_with_header(leaky),
            "in.csv: line 1: header does not match contract politie_verdachten@1: missing column 'Achternaam'; "
            "unexpected column column 7 (name not shown)");
  std::string out;
  EXPECT_EQ(SealFile(c, Keys(), Tv(), "", &out, {.file_name = "in.csv"}).status().message(),
            "in.csv: empty file: no header line");
  EXPECT_EQ(SealFile(LoadSource("politie_misdrijven"), Keys(), Tv(), "x\n", &out).status().message(),
            "contract politie_misdrijven@1 has no direct identifier columns: its files are delivered as they are, "
            "there is nothing to seal");
}

// ---------------------------------------------------------------------------------------------------------
// Files: key file permissions, atomic output.

class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "seal_file_XXXXXX";
    path_ = ::mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(SealFileAtPaths, RefusesAKeyFileReadableByOthersAndWritesAtomically) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string key = dir.path() + "/politie.keys";
  const std::string in = dir.path() + "/bvh_verdachten_2023.csv";
  const std::string out = dir.path() + "/sealed.csv";
  ASSERT_TRUE(WriteKeyFile(key, Keys()).ok());
  FileSystem& fs = *PosixFileSystem();
  ASSERT_TRUE(fs.WriteFile(in, PolitieFile()).ok());
  const Contract c = LoadSource("politie_verdachten");

  ASSERT_EQ(::chmod(key.c_str(), 0644), 0);
  Result<SealReport> r = SealFileAtPaths(c, key, Tv(), in, out, fs);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "key file '" + key + "' has mode 0644; it must be 0600 or 0400 (chmod 600 " + key + ")");
  EXPECT_FALSE(fs.Exists(out));

  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  EXPECT_EQ(SealFileAtPaths(c, key, Tv(), in, in, fs).status().message(),
            "output '" + in + "' is the input file; the raw file must be kept");
  r = SealFileAtPaths(c, key, Tv(), in, out, fs);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string expected;
  ASSERT_TRUE(SealFile(c, Keys(), Tv(), PolitieFile(), &expected).ok());
  EXPECT_EQ(fs.ReadFile(out).value(), expected);
  EXPECT_FALSE(fs.Exists(out + ".tmp"));

  // A failing run leaves the earlier output untouched.
  ASSERT_TRUE(fs.WriteFile(in, "not;the;header\r\n").ok());
  r = SealFileAtPaths(c, key, Tv(), in, out, fs);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(fs.ReadFile(out).value(), expected);
}

TEST(SealFile, EveryShippedContractWithIdentifiersSealsItsHeader) {
  Result<contract::ContractSet> set =
      contract::ContractSet::LoadDir(std::string(DAS_SOURCE_DIR) + "/config/sources", *PosixFileSystem());
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  int sealable = 0;
  for (const Contract& c : set->contracts()) {
    if (!c.seal.present) continue;
    ++sealable;
    const char d = c.format.delimiter;
    std::string out;
    Result<SealReport> r = SealFile(c, Keys(), Tv(), Join(c.Header(Form::kRaw), d) + "\n", &out);
    ASSERT_TRUE(r.ok()) << c.Id() << ": " << r.status().ToString();
    EXPECT_EQ(out, Join(c.Header(Form::kSealed), d) + "\n") << c.Id();
    EXPECT_EQ(r->rows_read, 0);
  }
  EXPECT_EQ(sealable, 9);  // politie_verdachten, om, cjib, dji, reclassering, halt, rvdk, bijstand, vow
}

TEST(SealSpecForContract, DerivesColumnsFormatsAndPersonKind) {
  const Contract c = LoadSource("politie_verdachten");
  Result<SealSpec> s = SealSpecForContract(c);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->bsn, "BSN");
  EXPECT_EQ(s->surname, "Achternaam");
  EXPECT_EQ(s->tussenvoegsel, "Tussenvoegsel");
  EXPECT_EQ(s->given_names, "Voornamen");
  EXPECT_EQ(s->birth_date, "Geboortedatum");
  EXPECT_EQ(s->birth_date_format, DateFormat::kDmyDash);
  EXPECT_EQ(s->sex, "Geslacht");
  EXPECT_EQ(s->reference_date, "Datum_registratie");
  EXPECT_EQ(s->person_kind, "Soort_verdachte");
  EXPECT_EQ(s->natural_person_value, "N");
  const Contract dji = LoadSource("dji_detenties");
  s = SealSpecForContract(dji);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->person_kind, "");
  EXPECT_EQ(s->birth_date_format, DateFormat::kDmySlash);
}

}  // namespace
}  // namespace das::seal

namespace das::seal {
namespace {

// Rows per second of SealFile on an in-memory file of 200,000 person rows (printed for src/seal/README.md;
// the floor only catches a pathological slowdown on a busy machine).
TEST(Throughput, SealFileRowsPerSecond) {
  const Contract c = LoadSource("politie_verdachten");
  Random rng(11);
  const char* surnames[] = {"Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
                            "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Yılmaz", "Çelik"};
  const char* given[] = {"Jan Pieter", "Anna", "Mohamed", "Sophie Marie", "Daniël", "Fatima", "Lucas", "Emma"};
  std::string raw = kPolitieHeader;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const Ymd b = Date(static_cast<std::int32_t>(-10000 + static_cast<int>(rng.Below(25000)))).ToYmd();
    char line[256];
    std::snprintf(line, sizeof line,
                  "PL0500_PV_2023%07d;PL0500_BVH_2023%07d;%02d-%02d-2023;N;%s;;%s;;%s;%02d-%02d-%04d;M;BU03630000;OM;"
                  "20-12-2023\r\n",
                  i, i / 2, 1 + static_cast<int>(rng.Below(28)), 1 + static_cast<int>(rng.Below(12)),
                  rng.Below(10) == 0 ? "" : MakeValidBsn(rng).c_str(), surnames[rng.Below(16)], given[rng.Below(8)],
                  b.day, b.month, b.year);
    raw += line;
  }
  std::string first;
  for (int threads : {1, 2}) {
    std::string out;
    const auto start = std::chrono::steady_clock::now();
    Result<SealReport> r = SealFile(c, Keys(), Tv(), raw, &out, {.threads = threads});
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rows_written, n);
    if (first.empty()) first = out;
    EXPECT_TRUE(out == first);
    std::printf("[throughput] SealFile, %d thread(s): %.0f rows/s (%.1f MB in, %.1f MB out)\n", threads, n / s,
                static_cast<double>(raw.size()) / 1e6, static_cast<double>(out.size()) / 1e6);
    EXPECT_GT(n / s, 5000.0);  // also holds in sanitizer builds (TSan measured 10 k rows/s)
  }
}

}  // namespace
}  // namespace das::seal
