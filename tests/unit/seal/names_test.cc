#include "das/seal/names.h"

#include <gtest/gtest.h>

namespace das::seal {
namespace {

TEST(NormaliseName, FoldsCaseAndDiacritics) {
  EXPECT_EQ(NormaliseName("Jansen"), "jansen");
  EXPECT_EQ(NormaliseName("Hélène"), "helene");
  EXPECT_EQ(NormaliseName("Daniëlle"), "danielle");
  EXPECT_EQ(NormaliseName("Søren Ørsted"), "soren orsted");
  EXPECT_EQ(NormaliseName("Strauß"), "strauss");
  EXPECT_EQ(NormaliseName("ĳsselmeer"), "ijsselmeer");
  EXPECT_EQ(NormaliseName("ĲZERMAN"), "ijzerman");
  EXPECT_EQ(NormaliseName("Łukasz Wałęsa"), "lukasz walesa");
  EXPECT_EQ(NormaliseName("Ærøskøbing"), "aeroskobing");
  EXPECT_EQ(NormaliseName("Œuvre"), "oeuvre");
  EXPECT_EQ(NormaliseName("Çelik Şahin Ğ"), "celik sahin g");
  EXPECT_EQ(NormaliseName("ŞTEFĂNESCU Ștefan Țepeș"), "stefanescu stefan tepes");
  EXPECT_EQ(NormaliseName("Nguyễn"), "nguyen");
  EXPECT_EQ(NormaliseName("ÅSA"), "asa");
}

TEST(NormaliseName, DecomposedInputEqualsComposed) {
  EXPECT_EQ(NormaliseName("He\xCC\x81le\xCC\x80ne"), "helene");  // e + U+0301, e + U+0300
}

TEST(NormaliseName, PunctuationApostrophesAndSpaces) {
  EXPECT_EQ(NormaliseName("Jansen-de Vries"), "jansen de vries");
  EXPECT_EQ(NormaliseName("D'Ancona"), "dancona");
  EXPECT_EQ(NormaliseName("D\xE2\x80\x99" "Ancona"), "dancona");  // right single quotation mark
  EXPECT_EQ(NormaliseName("in 't Veld"), "in t veld");
  EXPECT_EQ(NormaliseName("  J.P.  "), "j p");
  EXPECT_EQ(NormaliseName("Berg,van der"), "berg van der");
  EXPECT_EQ(NormaliseName("a\xC2\xA0" "b"), "a b");                   // NBSP
  EXPECT_EQ(NormaliseName("Smit\xE2\x80\x93Jones"), "smit jones");     // en dash
  EXPECT_EQ(NormaliseName("Ver\xC2\xAD" "meulen"), "vermeulen");       // soft hyphen
  EXPECT_EQ(NormaliseName("---"), "");
  EXPECT_EQ(NormaliseName(""), "");
  EXPECT_EQ(NormaliseName("Louis XIV 2e"), "louis xiv 2e");
}

TEST(NormaliseName, NonLatinKeptAndInvalidBytesReadAsLatin1) {
  EXPECT_EQ(NormaliseName("Иванов"), "Иванов");
  EXPECT_EQ(NormaliseName("Ren\xE9"), "rene");        // windows-1252 é
  EXPECT_EQ(NormaliseName("a\xFF\xFE" "b"), "ayth" "b");  // ÿ -> y, þ -> th
  EXPECT_EQ(NormaliseName("x\x80y"), "x y");           // C1 control: separator
}

TEST(NormaliseName, AppendsWithoutTouchingExistingContent) {
  std::string out = "pre ";
  AppendNormalisedName(" -Jan- ", out);
  EXPECT_EQ(out, "pre jan");
}

Tussenvoegsels TestSet() {
  return Tussenvoegsels::Parse("van\nvan der\nvan den\nde\nden\nter\nin 't\n't\nop de\nuit den\n# comment\n\n", "t.txt")
      .value();
}

TEST(Tussenvoegsels, ParseNormalisesAndRejectsDuplicates) {
  Tussenvoegsels t = TestSet();
  EXPECT_EQ(t.size(), 10u);
  EXPECT_TRUE(t.Contains("in t"));
  EXPECT_TRUE(t.Contains("t"));
  EXPECT_FALSE(t.Contains("in 't"));
  EXPECT_EQ(Tussenvoegsels::Parse("van\nVan\n", "t.txt").status().message(),
            "t.txt: line 2: duplicate tussenvoegsel 'van' (after normalisation)");
  EXPECT_EQ(Tussenvoegsels::Parse("van\n'-'\n", "t.txt").status().message(),
            "t.txt: line 2: no letters in the tussenvoegsel");
  EXPECT_EQ(Tussenvoegsels::Parse("# only\n", "t.txt").status().message(), "t.txt: no tussenvoegsels");
}

void ExpectSplit(const Tussenvoegsels& t, std::string_view surname, std::string_view field, std::string_view tv,
                 std::string_view core) {
  SurnameParts p = t.Split(surname, field);
  EXPECT_EQ(p.tussenvoegsel, tv) << surname << " / " << field;
  EXPECT_EQ(p.core, core) << surname << " / " << field;
}

TEST(Tussenvoegsels, SplitsAllForms) {
  Tussenvoegsels t = TestSet();
  ExpectSplit(t, "van der Berg", "", "van der", "berg");
  ExpectSplit(t, "Van Der Berg", "", "van der", "berg");
  ExpectSplit(t, "Berg, van der", "", "van der", "berg");
  ExpectSplit(t, "Berg,van der", "", "van der", "berg");
  ExpectSplit(t, "Berg", "van der", "van der", "berg");
  ExpectSplit(t, "van der Berg", "van der", "van der", "berg");  // not doubled
  ExpectSplit(t, "Berg", "Van Der", "van der", "berg");
  ExpectSplit(t, "In ’t Veld", "", "in t", "veld");
  ExpectSplit(t, "'t Hart", "", "t", "hart");
  ExpectSplit(t, "de Vries", "", "de", "vries");
  ExpectSplit(t, "Jansen", "", "", "jansen");
  ExpectSplit(t, "Van", "", "", "van");                    // a lone prefix word stays the surname
  ExpectSplit(t, "van der", "", "van", "der");             // at least one word stays core
  ExpectSplit(t, "Jansen-de Vries", "", "", "jansen de vries");
  ExpectSplit(t, "Jansen, Piet", "", "", "jansen piet");  // comma part not a tussenvoegsel
  ExpectSplit(t, ", van der", "", "van", "der");
  ExpectSplit(t, "", "", "", "");
  ExpectSplit(t, "Uit den Bogaard", "", "uit den", "bogaard");
  ExpectSplit(t, "op de Beek", "", "op de", "beek");
  ExpectSplit(t, "Vandenberg", "", "", "vandenberg");
}

TEST(Tussenvoegsels, ShippedListLoads) {
  Result<Tussenvoegsels> t =
      Tussenvoegsels::Load(*PosixFileSystem(), std::string(DAS_SOURCE_DIR) + "/" + std::string(Tussenvoegsels::kDefaultPath));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_GT(t->size(), 80u);
  for (std::string_view tv : {"van", "van der", "van den", "van de", "de", "den", "ter", "ten", "van t", "in t", "t",
                              "op de", "uit den", "von", "d", "l"}) {
    EXPECT_TRUE(t->Contains(tv)) << tv;
  }
  SurnameParts p = t->Split("Berg, van den", "");
  EXPECT_EQ(p.tussenvoegsel, "van den");
  EXPECT_EQ(p.core, "berg");
}

TEST(GivenNames, FirstAndInitials) {
  GivenNames g = SplitGivenNames("Jan-Pieter  Hendrik Émile");
  EXPECT_EQ(g.all, "jan pieter hendrik emile");
  EXPECT_EQ(g.first, "jan");
  EXPECT_EQ(g.initials, "jphe");
  g = SplitGivenNames("Мария Anna");
  EXPECT_EQ(g.first, "Мария");
  EXPECT_EQ(g.initials, "Мa");
  g = SplitGivenNames("");
  EXPECT_EQ(g.first, "");
  EXPECT_EQ(g.initials, "");
}

}  // namespace
}  // namespace das::seal
