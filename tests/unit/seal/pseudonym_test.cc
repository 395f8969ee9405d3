#include "das/seal/pseudonym.h"

#include <gtest/gtest.h>

#include <array>

namespace das::seal {
namespace {

SecretKey CountingKey(std::uint8_t start = 0) {
  std::array<std::uint8_t, kKeyBytes> b{};
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<std::uint8_t>(start + i);
  return SecretKey(b);
}

// Expected values computed independently with Python: hashlib.blake2b(msg, key=bytes(range(32)),
// digest_size=16).hexdigest(), msg = b"das-seal/v1\0" + domain + b"\0" + kind + b"\0" + value.
TEST(Pseudonym, KnownAnswers) {
  const SecretKey key = CountingKey();
  EXPECT_EQ(Pseudonymiser(key, kLinkDomain, "bsn").Pseudonymise("123456782"), "42a159679dfee3b7b0f2e00e33a06e34");
  EXPECT_EQ(Pseudonymiser(key, kRecordDomain, "bsn").Pseudonymise("123456782"),
            "0f5f9757c4d0a748dc17992cf02b0653");
  EXPECT_EQ(Pseudonymiser(key, kLinkDomain, "skn").Pseudonymise("123456782"), "22c5a1b2670591949c2e4402c3065b99");
  EXPECT_EQ(Pseudonymiser(key, kLinkDomain, "bsn").Pseudonymise(""), "c8f1486ae7d41d122e8875a9109a4dda");
}

TEST(Pseudonym, DeterministicAndKeyDependent) {
  const Pseudonymiser p(CountingKey(), kLinkDomain, "bsn");
  const Pseudonymiser q(CountingKey(1), kLinkDomain, "bsn");
  EXPECT_EQ(p.Pseudonymise("111222333"), p.Pseudonymise("111222333"));
  EXPECT_NE(p.Pseudonymise("111222333"), q.Pseudonymise("111222333"));
  EXPECT_NE(p.Pseudonymise("111222333"), p.Pseudonymise("123456782"));
}

TEST(Pseudonym, FastPathWritesExactly32LowercaseHex) {
  const Pseudonymiser p(CountingKey(), kLinkDomain, "bsn");
  std::array<char, 34> buf;
  buf.fill('#');
  p.Pseudonymise("123456782", std::span<char, 32>(buf.data() + 1, 32));
  EXPECT_EQ(buf[0], '#');
  EXPECT_EQ(buf[33], '#');
  EXPECT_EQ(std::string(buf.data() + 1, 32), "42a159679dfee3b7b0f2e00e33a06e34");
  std::string out = "x,";
  p.AppendTo(out, "123456782");
  EXPECT_EQ(out, "x,42a159679dfee3b7b0f2e00e33a06e34");
}

TEST(Pseudonym, CopiesBehaveTheSame) {
  const Pseudonymiser p(CountingKey(), kLinkDomain, "bsn");
  const Pseudonymiser copy = p;
  EXPECT_EQ(copy.Pseudonymise("123456782"), "42a159679dfee3b7b0f2e00e33a06e34");
}

}  // namespace
}  // namespace das::seal
