#include "das/seal/seal.h"

#include <gtest/gtest.h>

namespace das::seal {
namespace {

constexpr char kHex0[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr char kHex1[] = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

KeyFile TestKeys() {
  // das-link and das-bloom use the counting key of pseudonym_test/bloom_test, so the known answers apply.
  return ParseKeyFile(std::string("organisation = \"politie\"\n[keys]\ndas-link = \"") + kHex0 +
                          "\"\ndas-bloom = \"" + kHex0 + "\"\ndas-record = \"" + kHex1 + "\"\n",
                      "test")
      .value();
}

Tussenvoegsels TestTv() { return Tussenvoegsels::Parse("van\nvan der\nde\n", "tv").value(); }

const std::vector<std::string> kHeader = {"PV_nummer", "Datum_registratie", "Soort_verdachte", "BSN",
                                          "Achternaam", "Tussenvoegsel", "Voornamen", "Geboortedatum",
                                          "Geslacht", "Woonbuurt"};

SealSpec PolitieSpec() {
  SealSpec s;
  s.bsn = "BSN";
  s.surname = "Achternaam";
  s.tussenvoegsel = "Tussenvoegsel";
  s.given_names = "Voornamen";
  s.birth_date = "Geboortedatum";
  s.birth_date_format = DateFormat::kDmyDash;
  s.sex = "Geslacht";
  s.reference_date = "Datum_registratie";
  s.reference_date_format = DateFormat::kDmyDash;
  s.person_kind = "Soort_verdachte";
  return s;
}

TEST(SealHeader, RemovesIdentifiersAndAppendsSealedColumns) {
  Result<std::vector<std::string>> h = SealedHeader(PolitieSpec(), kHeader);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  const std::vector<std::string> expected = {"PV_nummer",  "Datum_registratie", "Soort_verdachte", "Geslacht",
                                             "Woonbuurt",  "bsn_pseudo",        "bsn_status",      "geboortejaar",
                                             "leeftijd",   "bf_achternaam",     "bf_voornaam",     "bf_geboortedatum"};
  EXPECT_EQ(*h, expected);
}

TEST(SealHeader, Errors) {
  SealSpec s = PolitieSpec();
  s.surname = "achternaam";
  EXPECT_EQ(SealedHeader(s, kHeader).status().message(),
            "seal spec: surname column 'achternaam' is not in the input header");
  s = PolitieSpec();
  s.given_names = "Achternaam";
  EXPECT_EQ(SealedHeader(s, kHeader).status().message(),
            "seal spec: column 'Achternaam' is named for two identifier roles");
  std::vector<std::string> dup = kHeader;
  dup.push_back("BSN");
  EXPECT_EQ(SealedHeader(PolitieSpec(), dup).status().message(),
            "input header has column 'BSN' twice (columns 4 and 11)");
  std::vector<std::string> clash = kHeader;
  clash.push_back("leeftijd");
  EXPECT_EQ(SealedHeader(PolitieSpec(), clash).status().message(),
            "input header already has column 'leeftijd' (column 11), which sealing adds");
  s = PolitieSpec();
  s.record_ids = {"BSN"};
  EXPECT_EQ(SealedHeader(s, kHeader).status().message(), "seal spec: record id column 'BSN' is named twice");
}

TEST(Sealer, SealsANaturalPersonRow) {
  const KeyFile keys = TestKeys();
  const Tussenvoegsels tv = TestTv();
  Result<Sealer> sealer = Sealer::Create(PolitieSpec(), kHeader, keys, tv);
  ASSERT_TRUE(sealer.ok()) << sealer.status().ToString();
  const std::vector<std::string_view> row = {"PL0500_PV_20230012345", "15-03-2023", "N", "1234.56.782", "Jansen",
                                             "", "Jan Pieter", "03-07-1985", "M", "BU03630000"};
  SealedRow out;
  RowOutcome oc;
  ASSERT_TRUE(sealer->SealRow(row, out, &oc).ok());
  ASSERT_EQ(out.size(), sealer->output_header().size());
  const std::vector<std::string_view> expected = {
      "PL0500_PV_20230012345", "15-03-2023", "N", "M", "BU03630000",
      "42a159679dfee3b7b0f2e00e33a06e34",  // pseudonym_test known answer
      "ok", "1985", "37",
      "LGARi1QAIJMIAAwQATIArAAjsYBgBCKAHQggUYFEACOQKAQoApQCSMASAhDRAhQEGkRCYAFJgA4AOUpADCkJQw",  // bloom_test
      // "jan", field voornaam (bloom_known_answers.py)
      "GACEKAAgEAaAEQBAEwACIgCFIAgAxBEAYQCASACAgkAAkQAAZAAEIAEgCBEAQDIAUAIAmAIAIQQICgQEQAwIEA",
      "ObDYBYsmEpFIsNgQRQQhCABUwIBGABCXJANiaCIIKGE",  // bloom_test known answer for 1985-07-03
  };
  EXPECT_EQ(out.Fields(), expected);
  EXPECT_EQ(oc.bsn_status, BsnStatus::kOk);
  EXPECT_FALSE(oc.birth_date_invalid);
}

TEST(Sealer, SplitsTussenvoegselSoSurnameEncodingsAgree) {
  const KeyFile keys = TestKeys();
  const Tussenvoegsels tv = TestTv();
  Sealer sealer = Sealer::Create(PolitieSpec(), kHeader, keys, tv).value();
  SealedRow a;
  SealedRow b;
  ASSERT_TRUE(sealer.SealRow(std::vector<std::string_view>{"x", "01-01-2023", "N", "", "Berg", "van der", "Anna",
                                                           "29-02-2000", "V", ""},
                             a)
                  .ok());
  ASSERT_TRUE(sealer.SealRow(std::vector<std::string_view>{"y", "28-02-2023", "N", "", "Van der Berg", "",
                                                           "Anna Maria", "29-02-2000", "V", ""},
                             b)
                  .ok());
  EXPECT_EQ(a[9], b[9]);  // bf_achternaam of core "berg"
  EXPECT_EQ(a[10], b[10]);
  EXPECT_EQ(a[5], "");
  EXPECT_EQ(a[6], "missing");
  EXPECT_EQ(a[8], "22");  // 29 Feb 2000 -> 1 Jan 2023
  EXPECT_EQ(b[8], "22");  // 28 Feb 2023: birthday (1 March in non-leap years) not yet reached
}

TEST(Sealer, InvalidAndMissingValues) {
  const KeyFile keys = TestKeys();
  const Tussenvoegsels tv = TestTv();
  Sealer sealer = Sealer::Create(PolitieSpec(), kHeader, keys, tv).value();
  SealedRow out;
  RowOutcome oc;
  ASSERT_TRUE(sealer.SealRow(std::vector<std::string_view>{"x", "2023-01-01", "N", "123456789", "", "", "",
                                                           "31-02-1990", "O", ""},
                             out, &oc)
                  .ok());
  EXPECT_EQ(out[5], "");
  EXPECT_EQ(out[6], "invalid");
  EXPECT_EQ(oc.bsn_problem, BsnProblem::kElevenCheck);
  EXPECT_TRUE(oc.birth_date_invalid);
  EXPECT_TRUE(oc.reference_date_invalid);  // ISO text in a dd-mm-yyyy column
  for (std::size_t i = 7; i < 12; ++i) EXPECT_EQ(out[i], "") << i;

  // Birth date after the reference date: year kept, age empty.
  ASSERT_TRUE(sealer.SealRow(std::vector<std::string_view>{"x", "01-01-2000", "N", "", "A", "", "B", "02-01-2000",
                                                           "M", ""},
                             out, &oc)
                  .ok());
  EXPECT_EQ(out[7], "2000");
  EXPECT_EQ(out[8], "");
  EXPECT_TRUE(oc.age_negative);

  EXPECT_EQ(sealer.SealRow(std::vector<std::string_view>{"x"}, out).message(), "row has 1 fields, header has 10");
}

TEST(Sealer, LegalPersonsGetNoEncodingsButLoseTheirNameColumns) {
  const KeyFile keys = TestKeys();
  const Tussenvoegsels tv = TestTv();
  Sealer sealer = Sealer::Create(PolitieSpec(), kHeader, keys, tv).value();
  SealedRow out;
  RowOutcome oc;
  ASSERT_TRUE(sealer.SealRow(std::vector<std::string_view>{"x", "01-01-2023", "R", "", "Bakkerij De Vries BV", "",
                                                           "", "", "", ""},
                             out, &oc)
                  .ok());
  EXPECT_FALSE(oc.natural_person);
  const std::vector<std::string_view> expected = {"x", "01-01-2023", "R", "", "", "", "missing", "", "", "", "", ""};
  EXPECT_EQ(out.Fields(), expected);
}

TEST(Sealer, RecordIdsArePseudonymisedInPlace) {
  const KeyFile keys = TestKeys();
  const Tussenvoegsels tv = TestTv();
  SealSpec spec = PolitieSpec();
  spec.record_ids = {"PV_nummer"};
  Sealer sealer = Sealer::Create(spec, kHeader, keys, tv).value();
  SealedRow out;
  ASSERT_TRUE(sealer.SealRow(std::vector<std::string_view>{"PL0500_PV_20230012345", "01-01-2023", "N", "", "", "",
                                                           "", "", "", ""},
                             out)
                  .ok());
  EXPECT_EQ(out[0], Pseudonymiser(*keys.Find("das-record"), kRecordDomain, "PV_nummer")
                        .Pseudonymise("PL0500_PV_20230012345"));
  EXPECT_EQ(out[0].size(), 32u);

  // A key file without das-record cannot seal record ids.
  KeyFile no_record = keys;
  no_record.keys.pop_back();
  EXPECT_EQ(Sealer::Create(spec, kHeader, no_record, tv).status().message(),
            "key file of 'politie' has no key 'das-record'");
}

TEST(Sealer, SameKeysAcrossOrganisationsGiveSamePseudonyms) {
  const Tussenvoegsels tv = TestTv();
  const KeyFile politie = DemoKeyFile("politie", 7).value();
  const KeyFile om = DemoKeyFile("om", 7).value();
  SealSpec om_spec;
  om_spec.bsn = "bsn";
  om_spec.surname = "achternaam";
  om_spec.birth_date = "geboortedatum";
  const std::vector<std::string> om_header = {"parketnummer", "bsn", "achternaam", "geboortedatum"};
  Sealer a = Sealer::Create(PolitieSpec(), kHeader, politie, tv).value();
  Sealer b = Sealer::Create(om_spec, om_header, om, tv).value();
  SealedRow ra;
  SealedRow rb;
  ASSERT_TRUE(a.SealRow(std::vector<std::string_view>{"x", "01-01-2023", "N", "111222333", "de Boer", "", "Piet",
                                                      "03-07-1985", "M", ""},
                        ra)
                  .ok());
  ASSERT_TRUE(b.SealRow(std::vector<std::string_view>{"11/123456-23", "111 222 333", "Boer, de", "1985-07-03"}, rb).ok());
  // a: 5 kept + 7 added; b: 1 kept + 7 added.
  EXPECT_EQ(ra[5], rb[1]);    // bsn_pseudo
  EXPECT_EQ(ra[9], rb[5]);    // bf_achternaam
  EXPECT_EQ(ra[11], rb[7]);   // bf_geboortedatum
  EXPECT_EQ(rb[4], "");       // leeftijd: no reference date column
}

TEST(Age, WholeYears) {
  EXPECT_EQ(AgeInYears(Date::FromYmd(1985, 7, 3).value(), Date::FromYmd(2023, 7, 2).value()), 37);
  EXPECT_EQ(AgeInYears(Date::FromYmd(1985, 7, 3).value(), Date::FromYmd(2023, 7, 3).value()), 38);
  EXPECT_EQ(AgeInYears(Date::FromYmd(2004, 2, 29).value(), Date::FromYmd(2022, 2, 28).value()), 17);
  EXPECT_EQ(AgeInYears(Date::FromYmd(2004, 2, 29).value(), Date::FromYmd(2022, 3, 1).value()), 18);
  EXPECT_EQ(AgeInYears(Date::FromYmd(2004, 2, 29).value(), Date::FromYmd(2024, 2, 29).value()), 20);
  EXPECT_EQ(AgeInYears(Date::FromYmd(2000, 1, 2).value(), Date::FromYmd(2000, 1, 1).value()), -1);
}

}  // namespace
}  // namespace das::seal
