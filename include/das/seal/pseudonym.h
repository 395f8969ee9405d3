// Keyed domain pseudonyms: keyed BLAKE2b (libsodium crypto_generichash, 32-byte key), 128-bit output
// written as 32 lowercase hex characters.
//
// Input separation: the hashed message is "das-seal/v1" 0x00 <domain> 0x00 <kind> 0x00 <value>, so the same
// value gets unrelated pseudonyms in different domains or of different kinds (a BSN and an SKN that happen
// to be equal do not collide), even if someone reused one key for two domains. Use a different key per
// domain as well (keys.h): a leaked table of one domain then cannot be joined to another.
//
// The value must already be normalised (e.g. CheckBsn().normalised()): pseudonyms are exact.
// Performance: the keyed state after the prefix is computed once; Pseudonymise() copies it, hashes the
// value and writes hex into the caller's buffer without allocating.
// Threading: a Pseudonymiser is immutable after construction; concurrent calls are safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "das/seal/keys.h"

namespace das::seal {

inline constexpr std::size_t kPseudonymHexChars = 32;

class Pseudonymiser {
 public:
  // `domain` e.g. kLinkDomain; `kind` e.g. "bsn". Both are part of every hashed message.
  Pseudonymiser(const SecretKey& key, std::string_view domain, std::string_view kind);
  Pseudonymiser(const Pseudonymiser&) = default;
  Pseudonymiser& operator=(const Pseudonymiser&) = default;
  ~Pseudonymiser();

  // Writes exactly 32 lowercase hex characters to `out`. No allocation.
  void Pseudonymise(std::string_view value, std::span<char, kPseudonymHexChars> out) const;
  // Appends the 32 characters to `out`.
  void AppendTo(std::string& out, std::string_view value) const;
  std::string Pseudonymise(std::string_view value) const;

 private:
  // crypto_generichash_state (384 bytes, 64-byte aligned), kept opaque so this header needs no sodium.h.
  alignas(64) unsigned char state_[384];
};

}  // namespace das::seal
