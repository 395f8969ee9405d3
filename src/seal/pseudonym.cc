#include "das/seal/pseudonym.h"

#include <sodium.h>

#include <cstring>

#include "sodium_init.h"

namespace das::seal {
namespace {

static_assert(sizeof(crypto_generichash_state) <= 384, "Pseudonymiser::state_ too small");
static_assert(alignof(crypto_generichash_state) <= 64, "Pseudonymiser::state_ under-aligned");
constexpr std::size_t kDigestBytes = kPseudonymHexChars / 2;  // 128 bits
constexpr char kHex[] = "0123456789abcdef";

crypto_generichash_state* State(unsigned char* raw) { return reinterpret_cast<crypto_generichash_state*>(raw); }

}  // namespace

Pseudonymiser::Pseudonymiser(const SecretKey& key, std::string_view domain, std::string_view kind) {
  internal::EnsureSodium();
  crypto_generichash_state* st = State(state_);
  crypto_generichash_init(st, key.data(), SecretKey::size(), kDigestBytes);
  static constexpr unsigned char kTag[] = "das-seal/v1";  // with its terminating 0
  const unsigned char zero = 0;
  crypto_generichash_update(st, kTag, sizeof kTag);
  crypto_generichash_update(st, reinterpret_cast<const unsigned char*>(domain.data()), domain.size());
  crypto_generichash_update(st, &zero, 1);
  crypto_generichash_update(st, reinterpret_cast<const unsigned char*>(kind.data()), kind.size());
  crypto_generichash_update(st, &zero, 1);
}

Pseudonymiser::~Pseudonymiser() { sodium_memzero(state_, sizeof state_); }

void Pseudonymiser::Pseudonymise(std::string_view value, std::span<char, kPseudonymHexChars> out) const {
  alignas(64) unsigned char copy[sizeof state_];
  std::memcpy(copy, state_, sizeof copy);
  crypto_generichash_state* st = State(copy);
  crypto_generichash_update(st, reinterpret_cast<const unsigned char*>(value.data()), value.size());
  unsigned char digest[kDigestBytes];
  crypto_generichash_final(st, digest, kDigestBytes);
  for (std::size_t i = 0; i < kDigestBytes; ++i) {
    out[2 * i] = kHex[digest[i] >> 4];
    out[2 * i + 1] = kHex[digest[i] & 15];
  }
}

void Pseudonymiser::AppendTo(std::string& out, std::string_view value) const {
  char buf[kPseudonymHexChars];
  Pseudonymise(value, std::span<char, kPseudonymHexChars>(buf));
  out.append(buf, kPseudonymHexChars);
}

std::string Pseudonymiser::Pseudonymise(std::string_view value) const {
  std::string out;
  AppendTo(out, value);
  return out;
}

}  // namespace das::seal
