// The glossary of concepts: parsing, validation messages and the shipped config/concepts.
#include "das/harmonise/concepts.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace das::harmonise {
namespace {

const std::string kRepo = DAS_SOURCE_DIR;

const char* kGood = R"(id = "sepot"
version = 1
term_nl = "sepot"
term_en = "dismissal"
definition_nl = "Niet vervolgen."
definition_en = "Not prosecuting."
used_by = ["vervolging.sepotpercentage"]

[[source_mappings]]
field = "om_zaken.decision"
codelist = "om_beslissing-afdoening_om"
)";

std::string Err(const std::string& text, const std::string& path = "concepts/sepot.toml") {
  auto c = ParseConcept(text, path);
  return c.ok() ? "ok" : c.status().message();
}

TEST(Concepts, ParsesAConcept) {
  auto c = ParseConcept(kGood, "concepts/sepot.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->id, "sepot");
  EXPECT_EQ(c->version, 1);
  EXPECT_EQ(c->term_en, "dismissal");
  ASSERT_EQ(c->source_mappings.size(), 1u);
  EXPECT_EQ(c->source_mappings[0].field, "om_zaken.decision");
  EXPECT_EQ(c->used_by, std::vector<std::string>{"vervolging.sepotpercentage"});
}

TEST(Concepts, Errors) {
  std::string s(kGood);
  auto without = [&](const std::string& key) {
    std::string out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(key + " =", 0) != 0) out += line + "\n";
    }
    return out;
  };
  EXPECT_EQ(Err(without("definition_en")), "concepts/sepot.toml: missing 'definition_en'");
  EXPECT_EQ(Err(without("term_nl")), "concepts/sepot.toml: missing 'term_nl'");
  EXPECT_EQ(Err(s, "concepts/other.toml"), "concepts/other.toml: line 1: id 'sepot' differs from the file name 'other.toml'");
  std::string empty = s;
  empty.replace(empty.find("\"Niet vervolgen.\""), 17, "\" \"");
  EXPECT_EQ(Err(empty), "concepts/sepot.toml: line 5: 'definition_nl' is empty");
  EXPECT_EQ(Err("colour = \"red\"\n" + s), "concepts/sepot.toml: line 1: unknown key 'colour'");
  std::string badfield = s;
  badfield.replace(badfield.find("om_zaken.decision"), 17, "decision");
  EXPECT_EQ(Err(badfield), "concepts/sepot.toml: line 9: source mapping field 'decision' must be written dataset.field");
}

TEST(Concepts, ValidationDuplicatesAndCodeLists) {
  auto a = ParseConcept(kGood, "a/sepot.toml");
  auto b = ParseConcept(kGood, "b/sepot.toml");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(ValidateConcepts({*a, *b}, nullptr).message(), "b/sepot.toml: duplicate concept id 'sepot' (also in a/sepot.toml)");
  auto config = LoadConfig(kRepo + "/config/codelists", *PosixFileSystem());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_TRUE(ValidateConcepts({*a}, &*config).ok());
  a->source_mappings[0].codelist = "no_such_list";
  EXPECT_EQ(ValidateConcepts({*a}, &*config).message(),
            "a/sepot.toml: concept 'sepot': source mapping of 'om_zaken.decision' references unknown code list 'no_such_list'");
}

// The shipped glossary loads, and each source mapping matches a rule of harmonisatie.csv.
TEST(Concepts, ShippedGlossary) {
  auto config = LoadConfig(kRepo + "/config/codelists", *PosixFileSystem());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto concepts = LoadConcepts(kRepo + "/config/concepts", *PosixFileSystem(), &*config);
  ASSERT_TRUE(concepts.ok()) << concepts.status().ToString();
  EXPECT_GE(concepts->size(), 20u);
  std::set<std::string> ids;
  for (const Concept& c : *concepts) ids.insert(c.id);
  for (const char* id : {"geregistreerd_misdrijf", "opgehelderd", "verdachte", "instroom_om", "afdoening_om", "sepot",
                         "strafbeschikking", "dagvaarding", "uitspraak", "schuldigverklaring", "vrijspraak",
                         "vrijheidsstraf", "taakstraf", "geldboete", "tenuitvoerlegging", "doorlooptijd",
                         "werkvoorraad", "recidive", "minderjarige", "herindeling"}) {
    EXPECT_EQ(ids.count(id), 1u) << id;
  }
  for (const Concept& c : *concepts) {
    EXPECT_FALSE(c.used_by.empty()) << c.id;
    for (const SourceMapping& m : c.source_mappings) {
      const auto dot = m.field.find('.');
      bool found = false;
      for (const FieldRule* r : config->RulesFor(m.field.substr(0, dot))) {
        if (r->field != m.field.substr(dot + 1)) continue;
        found = r->kind == FieldKind::kCode || r->kind == FieldKind::kAge ? r->mapping == m.codelist : m.codelist == "geo";
      }
      EXPECT_TRUE(found) << c.id << ": " << m.field << " -> " << m.codelist << " is not a rule of harmonisatie.csv";
    }
  }
}

}  // namespace
}  // namespace das::harmonise
