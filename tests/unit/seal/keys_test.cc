#include "das/seal/keys.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "das/seal/pseudonym.h"

namespace das::seal {
namespace {

constexpr char kHexA[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr char kHexB[] = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

std::string GoodFile() {
  return std::string("# comment\norganisation = \"politie\"\n\n[keys]\ndas-link = \"") + kHexA +
         "\"\norg-local = \"" + kHexB + "\"\n";
}

std::string TempPath(const std::string& name) {
  return ::testing::TempDir() + "das_seal_" + std::to_string(::getpid()) + "_" + name;
}

void WriteWithMode(const std::string& path, const std::string& text, mode_t mode) {
  std::remove(path.c_str());
  std::ofstream(path) << text;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

TEST(KeyFile, ParsesOrganisationAndKeys) {
  Result<KeyFile> kf = ParseKeyFile(GoodFile(), "k.toml");
  ASSERT_TRUE(kf.ok()) << kf.status().ToString();
  EXPECT_EQ(kf->organisation, "politie");
  ASSERT_EQ(kf->keys.size(), 2u);
  EXPECT_EQ(kf->keys[0].first, "das-link");
  EXPECT_EQ(kf->keys[0].second.data()[0], 0x00);
  EXPECT_EQ(kf->keys[0].second.data()[31], 0x1f);
  EXPECT_EQ(kf->keys[1].second.data()[0], 0xff);
  // The parsed key gives the known-answer pseudonym of pseudonym_test.cc.
  EXPECT_EQ(Pseudonymiser(*kf->Find("das-link"), kLinkDomain, "bsn").Pseudonymise("123456782"),
            "42a159679dfee3b7b0f2e00e33a06e34");
  EXPECT_EQ(kf->Get("das-bloom").status().message(), "key file of 'politie' has no key 'das-bloom'");
}

TEST(KeyFile, FormatRoundTrips) {
  KeyFile kf = ParseKeyFile(GoodFile(), "k.toml").value();
  Result<KeyFile> again = ParseKeyFile(FormatKeyFile(kf), "again");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->organisation, "politie");
  ASSERT_EQ(again->keys.size(), 2u);
  EXPECT_TRUE(again->keys[1].second.Equals(kf.keys[1].second));
}

struct BadCase {
  std::string text;
  std::string message;
};

TEST(KeyFile, ParseErrorsNameFileLineAndNeverKeyMaterial) {
  const std::string org = "organisation = \"politie\"\n[keys]\n";
  const std::string hex_a(kHexA);
  const BadCase cases[] = {
      {org + "das-link = \"" + hex_a.substr(0, 63) + "\"\n",
       "k.toml: line 3: key 'das-link': expected 64 hex characters, got 63"},
      {org + "das-link = \"" + hex_a.substr(0, 62) + "zz\"\n", "k.toml: line 3: key 'das-link': not a hex string"},
      {org + "das-link = " + hex_a + "\n", "k.toml: line 3: value of 'das-link' must be a double-quoted string"},
      {org + hex_a + "\n", "k.toml: line 3: expected 'name = \"value\"'"},
      {org + hex_a + " = \"x\"\n", "k.toml: line 3: bad name (expected [a-z0-9_-]+)"},
      {hex_a.substr(0, 32) + " = \"" + hex_a + "\"\n", "k.toml: line 1: unknown setting before [keys] (only 'organisation')"},
      {org + "das-link = \"" + hex_a + "\"\ndas-link = \"" + hex_a + "\"\n", "k.toml: line 4: key 'das-link' appears twice"},
      {"[keys]\ndas-link = \"" + hex_a + "\"\n", "k.toml: missing 'organisation = \"...\"'"},
      {"organisation = \"politie\"\n", "k.toml: no keys (expected a [keys] table)"},
      {"organisation = \"Politie NL\"\n", "k.toml: line 1: organisation must match [a-z0-9_-]+"},
      {"[secrets]\n", "k.toml: line 1: unknown table (only [keys] is allowed)"},
  };
  for (const BadCase& c : cases) {
    Result<KeyFile> kf = ParseKeyFile(c.text, "k.toml");
    ASSERT_FALSE(kf.ok()) << c.text;
    EXPECT_EQ(kf.status().message(), c.message);
    EXPECT_EQ(kf.status().ToString().find(hex_a.substr(0, 16)), std::string::npos) << kf.status().ToString();
    EXPECT_EQ(kf.status().ToString().find(hex_a.substr(16, 16)), std::string::npos);
  }
}

TEST(KeyFile, ModeCheck) {
  EXPECT_TRUE(CheckKeyFileMode("k", 0100600).ok());
  EXPECT_TRUE(CheckKeyFileMode("k", 0100400).ok());
  EXPECT_EQ(CheckKeyFileMode("keys/politie.toml", 0100644).message(),
            "key file 'keys/politie.toml' has mode 0644; it must be 0600 or 0400 (chmod 600 keys/politie.toml)");
  EXPECT_EQ(CheckKeyFileMode("k", 0640).code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(CheckKeyFileMode("k", 0700).ok());
  EXPECT_FALSE(CheckKeyFileMode("k", 0604).ok());
}

TEST(KeyFile, LoadRefusesGroupOrWorldReadableFiles) {
  const std::string path = TempPath("mode.toml");
  WriteWithMode(path, GoodFile(), 0644);
  Result<KeyFile> kf = LoadKeyFile(path);
  ASSERT_FALSE(kf.ok());
  EXPECT_EQ(kf.status().message(),
            "key file '" + path + "' has mode 0644; it must be 0600 or 0400 (chmod 600 " + path + ")");
  WriteWithMode(path, GoodFile(), 0600);
  kf = LoadKeyFile(path);
  ASSERT_TRUE(kf.ok()) << kf.status().ToString();
  EXPECT_EQ(kf->organisation, "politie");
  WriteWithMode(path, GoodFile(), 0400);
  EXPECT_TRUE(LoadKeyFile(path).ok());
  ::chmod(path.c_str(), 0600);
  std::remove(path.c_str());
  EXPECT_EQ(LoadKeyFile(path).status().message(), "key file '" + path + "' does not exist");
}

TEST(KeyFile, LoadErrorNamesFileNotKey) {
  const std::string path = TempPath("bad.toml");
  const std::string hex_a(kHexA);
  WriteWithMode(path, "organisation = \"om\"\n[keys]\ndas-link = \"" + hex_a + "0\"\n", 0600);
  Result<KeyFile> kf = LoadKeyFile(path);
  ASSERT_FALSE(kf.ok());
  EXPECT_EQ(kf.status().message(), path + ": line 3: key 'das-link': expected 64 hex characters, got 65");
  std::remove(path.c_str());
}

TEST(KeyFile, WriteCreates0600AndRefusesOverwrite) {
  const std::string path = TempPath("new.toml");
  std::remove(path.c_str());
  KeyFile kf = NewKeyFile("om").value();
  ASSERT_EQ(kf.keys.size(), 4u);
  EXPECT_EQ(kf.keys[0].first, "das-link");
  EXPECT_EQ(kf.keys[1].first, "das-record");
  EXPECT_EQ(kf.keys[2].first, "das-bloom");
  EXPECT_EQ(kf.keys[3].first, "org-local");
  ASSERT_TRUE(WriteKeyFile(path, kf).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Result<KeyFile> back = LoadKeyFile(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->keys[0].second.Equals(kf.keys[0].second));
  const Status again = WriteKeyFile(path, kf);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message(), "key file '" + path + "' already exists; not overwriting");
  std::remove(path.c_str());
}

TEST(KeyFile, NewKeysAreRandomAndDistinctPerDomain) {
  KeyFile a = NewKeyFile("om").value();
  KeyFile b = NewKeyFile("om").value();
  EXPECT_FALSE(a.keys[0].second.Equals(b.keys[0].second));
  EXPECT_FALSE(a.keys[0].second.Equals(a.keys[1].second));
  EXPECT_EQ(NewKeyFile("O M").status().message(), "organisation 'O M' must match [a-z0-9_-]+");
}

// Expected bytes computed with Python: blake2b(b"das-demo-key/v1\0" + seed.to_bytes(8, "little") + domain +
// b"\0" + org_or_empty, digest_size=32).
TEST(KeyFile, DemoKeysShareLinkageDomainsAcrossOrganisations) {
  KeyFile politie = DemoKeyFile("politie", 2024).value();
  KeyFile om = DemoKeyFile("om", 2024).value();
  KeyFile other_seed = DemoKeyFile("om", 2025).value();
  const std::string text = FormatKeyFile(politie);
  EXPECT_NE(text.find("das-link = \"e366c042f26732ed0af3b315cb706ffe52a43bf7a7766343ed052978fe141904\""),
            std::string::npos);
  EXPECT_NE(text.find("org-local = \"26e34aae2efdd375d49d4e50343653a9717c70c94d454c49c15a1254b100227c\""),
            std::string::npos);
  for (std::string_view d : {kLinkDomain, kRecordDomain, kBloomDomain}) {
    EXPECT_TRUE(politie.Find(d)->Equals(*om.Find(d))) << d;
    EXPECT_FALSE(om.Find(d)->Equals(*other_seed.Find(d))) << d;
  }
  EXPECT_FALSE(politie.Find(kLocalDomain)->Equals(*om.Find(kLocalDomain)));
  EXPECT_FALSE(politie.Find(kLinkDomain)->Equals(*politie.Find(kRecordDomain)));
}

TEST(KeyFile, KeyStoreView) {
  KeyFile kf = ParseKeyFile(GoodFile(), "k.toml").value();
  KeyFileStore store(kf);
  Result<std::string> k = store.Get("das-link");
  ASSERT_TRUE(k.ok());
  ASSERT_EQ(k->size(), 32u);
  EXPECT_EQ(static_cast<unsigned char>((*k)[31]), 0x1f);
  EXPECT_EQ(store.Get("nope").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace das::seal

namespace das::seal {
namespace {

// Every message the key paths can produce, checked for the key's hex (whole and in 8-character pieces,
// lower and upper case) and for its raw bytes.
TEST(KeyFile, NoKeyMaterialInAnyMessage) {
  const std::string hex_a(kHexA);
  std::string upper = hex_a;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string path = TempPath("leak.toml");
  std::vector<std::string> messages;
  auto collect = [&](const Status& s) { messages.push_back(s.ToString()); };
  const std::string org = "organisation = \"politie\"\n[keys]\n";
  for (const std::string& text :
       {org + "das-link = \"" + hex_a + "0\"\n", org + "das-link = \"" + hex_a.substr(1) + "g\"\n",
        org + "das-link = " + hex_a + "\n", org + hex_a + "\n", org + "das-link = \"" + upper + "\" x\n",
        "organisation = \"" + hex_a + "\"\n", hex_a.substr(0, 40) + " = \"x\"\n", "[" + hex_a + "]\n",
        org + hex_a.substr(0, 40) + " = \"x\"\n", org + hex_a.substr(8, 12) + " = " + hex_a + "\n"}) {
    collect(ParseKeyFile(text, "k.toml").status());
    WriteWithMode(path, text, 0600);
    collect(LoadKeyFile(path).status());
    WriteWithMode(path, text, 0644);
    collect(LoadKeyFile(path).status());
  }
  KeyFile kf = ParseKeyFile(GoodFile(), "k.toml").value();
  collect(kf.Get("das-bloom").status());
  std::remove(path.c_str());
  ASSERT_TRUE(WriteKeyFile(path, kf).ok());
  collect(WriteKeyFile(path, kf));
  std::remove(path.c_str());
  ASSERT_GE(messages.size(), 26u);
  EXPECT_EQ(ParseKeyFile(org + hex_a.substr(0, 40) + " = \"x\"\n", "k.toml").status().message(),
            "k.toml: line 3: key <name not shown: looks like key material>: expected 64 hex characters, got 1");
  const std::string raw(reinterpret_cast<const char*>(kf.keys[0].second.data()) + 1, 8);
  for (const std::string& m : messages) {
    EXPECT_NE(m, "OK");
    for (std::size_t i = 0; i + 8 <= hex_a.size(); i += 8) {
      EXPECT_EQ(m.find(hex_a.substr(i, 8)), std::string::npos) << m;
      EXPECT_EQ(m.find(upper.substr(i, 8)), std::string::npos) << m;
    }
    EXPECT_EQ(m.find(raw), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace das::seal
