// Privacy-preserving linkage encodings: keyed Bloom filters of field values (Schnell, Bachteler & Reiher
// 2009), compared with the Dice coefficient.
//
// Encoding a value (scheme "das-bloom/v2"): the encoder derives a 16-byte field subkey
// BLAKE2b-128(key = the das-bloom domain key, message "das-bloom/v2" 0 <field> 0). Each element (a padded
// bigram of a normalised name, or a date token) is hashed ONCE with SipHash-2-4 (libsodium
// crypto_shorthash) under that subkey to 64 bits h; h1 = the low 32 bits, h2 = the high 32 bits forced odd;
// the element sets the k bits (h1 + i*h2) mod m, i = 0..k-1 (double hashing). Without the key nobody can
// build a dictionary of encodings; filters made with different keys (or for different fields) do not match.
// The probe (h1 mod m, h2 mod m) of every bigram over the alphabet "_", space, a-z, 0-9 (and, for m <= 1024,
// the bigram's whole bit mask) is computed once when the encoder is created: a cache only, the result is
// the same as hashing the bigram.
//
// Names: elements are the bigrams of "_" + value + "_" over code points ("jansen" -> _j ja an ns se en n_);
// the value should be normalised with NormaliseName first. Dates: the elements are the role tokens
// day/month/year, the two role-free values of day and month (a transposed day and month still share them)
// and the digit bigrams of "_yyyymmdd_" (a one-digit typo changes two of nine). See EncodeDate.
//
// Text form: base64, standard alphabet, WITHOUT padding, of the filter's m/8 bytes; byte j holds bits
// 8j..8j+7 with bit 8j in the least significant position (i.e. the little-endian bytes of the 64-bit
// words). 512 bits -> 86 characters, 256 bits -> 43. An unknown value is the empty string, not a filter.
//
// Threading: a BloomEncoder is immutable after creation; concurrent use is safe (copies share the
// immutable key-derived tables, which are wiped when the last copy goes). BloomFilter is a value.
// Allocation: encoding allocates nothing; Create allocates the tables (6 KB + 1444 * m/8 bytes for
// m <= 1024: 98 KB for names at m = 512, 52 KB for dates at m = 256).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "das/core/date.h"
#include "das/core/status.h"
#include "das/seal/keys.h"

namespace das::seal {

inline constexpr std::uint32_t kMaxBloomBits = 4096;
inline constexpr std::uint32_t kMaxBloomWords = kMaxBloomBits / 64;

struct BloomParams {
  std::uint32_t bits = 512;  // m: a multiple of 64 in [64, 4096]
  std::uint32_t k = 20;      // hash functions per element, 1..64
};
// Defaults (reasoning and measured fill in src/seal/README.md).
inline constexpr BloomParams kNameBloomParams{512, 20};
inline constexpr BloomParams kDateBloomParams{256, 6};

// A fixed-capacity bit array of `bits` bits (unused words stay zero). No heap allocation.
class BloomFilter {
 public:
  BloomFilter() = default;
  explicit BloomFilter(std::uint32_t bits) : bits_(bits) {}

  std::uint32_t bits() const { return bits_; }
  std::uint32_t word_count() const { return bits_ / 64; }
  std::span<const std::uint64_t> words() const { return {words_.data(), word_count()}; }
  std::span<std::uint64_t> mutable_words() { return {words_.data(), word_count()}; }
  void Set(std::uint32_t bit) { words_[bit >> 6] |= std::uint64_t{1} << (bit & 63); }
  bool Test(std::uint32_t bit) const { return (words_[bit >> 6] >> (bit & 63)) & 1; }
  void Clear() { words_.fill(0); }
  int PopCount() const;
  friend bool operator==(const BloomFilter& a, const BloomFilter& b) = default;

 private:
  std::uint32_t bits_ = 0;
  std::array<std::uint64_t, kMaxBloomWords> words_{};
};

class BloomEncoder {
 public:
  // `field` labels the field ("achternaam"); it is hashed with every element. Errors on bad params.
  static Result<BloomEncoder> Create(const SecretKey& key, std::string_view field, BloomParams params);
  BloomEncoder(const BloomEncoder&) = default;
  BloomEncoder& operator=(const BloomEncoder&) = default;
  BloomEncoder(BloomEncoder&&) noexcept = default;
  BloomEncoder& operator=(BloomEncoder&&) noexcept = default;
  ~BloomEncoder();

  const BloomParams& params() const { return params_; }
  // Sets the k bits of one element.
  void AddElement(std::string_view element, BloomFilter& filter) const;
  // Sets the bits of the padded bigrams of `normalised`; nothing for an empty value.
  void AddBigrams(std::string_view normalised, BloomFilter& filter) const;
  // A fresh filter holding the bigrams of `normalised` (all zero for an empty value).
  BloomFilter EncodeName(std::string_view normalised) const;
  // A fresh filter holding the date's tokens: "d<dd>", "m<mm>", "y<yyyy>", "v<dd>", "v<mm>" and the
  // bigrams of "_yyyymmdd_".
  BloomFilter EncodeDate(Date date) const;

 private:
  struct Tables;  // the field subkey and the cached probes of common bigrams (key material: wiped)
  BloomEncoder() = default;
  void SetProbe(std::uint32_t pos, std::uint32_t step, BloomFilter& filter) const;
  void AddHashed(const unsigned char* element, std::size_t size, BloomFilter& filter) const;

  BloomParams params_;
  std::shared_ptr<const Tables> tables_;
};

// Base64 (no padding) of the filter's bytes, appended to `out`.
void AppendBloomBase64(const BloomFilter& filter, std::string& out);
std::string BloomToBase64(const BloomFilter& filter);
// Decodes the text form; the bit count is 8 * decoded bytes and must be a multiple of 64, <= 4096.
Result<BloomFilter> BloomFromBase64(std::string_view text);

// Dice coefficient 2|A∩B| / (|A|+|B|) over bits, on 64-bit words with popcount. The spans must have the
// same length. Two all-zero filters give 0 (no evidence of a match).
double Dice(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b);
// InvalidArgument if the sizes differ.
Result<double> Dice(const BloomFilter& a, const BloomFilter& b);
// Decodes both (no heap allocation) and compares; errors name which side is malformed.
Result<double> DiceBase64(std::string_view a, std::string_view b);

}  // namespace das::seal
