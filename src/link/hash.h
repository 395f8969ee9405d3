// Small non-cryptographic hashing helpers of the link stage (block keys, filter identity). Internal.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace das::link {

// The splitmix64 finaliser: a bijective 64-bit mixer.
inline std::uint64_t Mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

inline std::uint64_t NonZero(std::uint64_t h) { return h == 0 ? 1 : h; }

// Identity of a filter's bits (0 is reserved for "unknown").
inline std::uint64_t HashWords(std::span<const std::uint64_t> words) {
  std::uint64_t h = 0x6A09E667F3BCC908ULL;
  for (std::uint64_t w : words) h = Mix64(h ^ w);
  return NonZero(h);
}

inline std::uint64_t HashText(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, then mixed
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return NonZero(Mix64(h));
}

}  // namespace das::link
