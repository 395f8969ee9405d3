#include "das/seal/bloom.h"

#include <sodium.h>

#include <bit>
#include <cstring>
#include <vector>

#include "sodium_init.h"

namespace das::seal {
namespace {

constexpr int kB64 = sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
constexpr std::size_t kMaxBytes = kMaxBloomBits / 8;

std::uint64_t Le64(const unsigned char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::size_t Utf8Len(unsigned char b) {
  if (b >= 0xF0) return 4;
  if (b >= 0xE0) return 3;
  if (b >= 0xC0) return 2;
  return 1;
}

// The little-endian bytes of the filter's words.
void ToBytes(const BloomFilter& f, unsigned char* out) {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out, f.words().data(), f.words().size() * sizeof(std::uint64_t));
  } else {
    std::size_t j = 0;
    for (std::uint64_t w : f.words()) {
      for (int b = 0; b < 8; ++b) out[j++] = static_cast<unsigned char>(w >> (8 * b));
    }
  }
}

// Decodes into `out` without allocating.
Status DecodeInto(std::string_view text, BloomFilter& out, const char* which) {
  unsigned char bytes[kMaxBytes];
  std::size_t len = 0;
  const char* end = nullptr;
  if (text.size() > sodium_base64_ENCODED_LEN(kMaxBytes, kB64) ||
      sodium_base642bin(bytes, sizeof bytes, text.data(), text.size(), nullptr, &len, &end, kB64) != 0 ||
      end != text.data() + text.size()) {
    return Status::InvalidArgument(std::string(which) + "Bloom encoding is not unpadded base64 of at most " +
                                   std::to_string(kMaxBloomBits) + " bits");
  }
  if (len == 0 || len % 8 != 0) {
    return Status::InvalidArgument(std::string(which) + "Bloom encoding has " + std::to_string(len * 8) +
                                   " bits; expected a positive multiple of 64");
  }
  out = BloomFilter(static_cast<std::uint32_t>(len * 8));
  auto words = out.mutable_words();
  for (std::size_t i = 0; i < words.size(); ++i) words[i] = Le64(bytes + 8 * i);
  return Status::Ok();
}

}  // namespace

int BloomFilter::PopCount() const {
  int n = 0;
  for (std::uint64_t w : words()) n += std::popcount(w);
  return n;
}

// The alphabet whose bigrams are cached: what NormaliseName produces for Dutch names, plus digits and the
// padding "_". Other bigrams (non-ASCII letters) are hashed when met.
constexpr std::string_view kCachedAlphabet = "_ abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::size_t kCached = kCachedAlphabet.size();
// Up to this filter size the encoder also caches each bigram's whole bit mask (1444 bigrams x m/8 bytes:
// 92 KB at m = 512), so a cached bigram costs m/64 OR operations instead of k probe steps.
constexpr std::uint32_t kMaskedBits = 1024;

struct BloomEncoder::Tables {
  unsigned char subkey[crypto_shorthash_siphash24_KEYBYTES];
  std::int8_t slot[256];  // byte -> index in kCachedAlphabet, or -1
  // probe[a * kCached + b] = (h1 mod m, h2 mod m) of the bigram of alphabet letters a, b.
  std::uint16_t pos[kCached * kCached];
  std::uint16_t step[kCached * kCached];
  // With m <= kMaskedBits: the filter words each bigram sets, words_per_filter per bigram (else empty).
  std::vector<std::uint64_t> masks;
  std::size_t words_per_filter = 0;

  Tables() = default;
  Tables(const Tables&) = delete;
  Tables& operator=(const Tables&) = delete;
  ~Tables() {
    sodium_memzero(subkey, sizeof subkey);
    sodium_memzero(pos, sizeof pos);
    sodium_memzero(step, sizeof step);
    if (!masks.empty()) sodium_memzero(masks.data(), masks.size() * sizeof(std::uint64_t));
  }
};

namespace {

// (h1 mod m, h2 mod m) of one element: one keyed SipHash-2-4.
void Probe(const unsigned char* subkey, const unsigned char* element, std::size_t size, std::uint32_t m,
           std::uint32_t& pos, std::uint32_t& step) {
  unsigned char out[crypto_shorthash_siphash24_BYTES];
  crypto_shorthash_siphash24(out, element, size, subkey);
  const std::uint64_t h = Le64(out);
  pos = static_cast<std::uint32_t>(h) % m;
  step = (static_cast<std::uint32_t>(h >> 32) | 1U) % m;
}

}  // namespace

Result<BloomEncoder> BloomEncoder::Create(const SecretKey& key, std::string_view field, BloomParams params) {
  if (params.bits < 64 || params.bits > kMaxBloomBits || params.bits % 64 != 0) {
    return Status::InvalidArgument("Bloom filter size " + std::to_string(params.bits) +
                                   " bits: must be a multiple of 64 between 64 and " +
                                   std::to_string(kMaxBloomBits));
  }
  if (params.k < 1 || params.k > 64) {
    return Status::InvalidArgument("Bloom filter hash count k = " + std::to_string(params.k) +
                                   ": must be between 1 and 64");
  }
  internal::EnsureSodium();
  auto tables = std::make_shared<Tables>();
  // Field subkey: BLAKE2b-128(key, "das-bloom/v2" 0 field 0).
  crypto_generichash_state st;
  crypto_generichash_init(&st, key.data(), SecretKey::size(), sizeof tables->subkey);
  static constexpr unsigned char kTag[] = "das-bloom/v2";  // with its terminating 0
  const unsigned char zero = 0;
  crypto_generichash_update(&st, kTag, sizeof kTag);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(field.data()), field.size());
  crypto_generichash_update(&st, &zero, 1);
  crypto_generichash_final(&st, tables->subkey, sizeof tables->subkey);
  sodium_memzero(&st, sizeof st);

  std::memset(tables->slot, -1, sizeof tables->slot);
  for (std::size_t i = 0; i < kCached; ++i) {
    tables->slot[static_cast<unsigned char>(kCachedAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  for (std::size_t a = 0; a < kCached; ++a) {
    for (std::size_t b = 0; b < kCached; ++b) {
      const unsigned char bigram[2] = {static_cast<unsigned char>(kCachedAlphabet[a]),
                                       static_cast<unsigned char>(kCachedAlphabet[b])};
      std::uint32_t pos = 0, step = 0;
      Probe(tables->subkey, bigram, 2, params.bits, pos, step);
      tables->pos[a * kCached + b] = static_cast<std::uint16_t>(pos);
      tables->step[a * kCached + b] = static_cast<std::uint16_t>(step);
    }
  }
  BloomEncoder enc;
  enc.params_ = params;
  if (params.bits <= kMaskedBits) {
    const std::size_t words = params.bits / 64;
    tables->words_per_filter = words;
    tables->masks.assign(kCached * kCached * words, 0);
    for (std::size_t i = 0; i < kCached * kCached; ++i) {
      BloomFilter f(params.bits);
      enc.SetProbe(tables->pos[i], tables->step[i], f);
      std::memcpy(&tables->masks[i * words], f.words().data(), words * sizeof(std::uint64_t));
      sodium_memzero(f.mutable_words().data(), words * sizeof(std::uint64_t));
    }
  }
  enc.tables_ = std::move(tables);
  return enc;
}

BloomEncoder::~BloomEncoder() = default;

void BloomEncoder::SetProbe(std::uint32_t pos, std::uint32_t step, BloomFilter& filter) const {
  // (h1 + i*h2) mod m for i = 0..k-1, computed incrementally (pos, step < m).
  const std::uint32_t m = params_.bits;
  auto words = filter.mutable_words();
  for (std::uint32_t i = 0; i < params_.k; ++i) {
    words[pos >> 6] |= std::uint64_t{1} << (pos & 63);
    pos += step;
    if (pos >= m) pos -= m;
  }
}

void BloomEncoder::AddHashed(const unsigned char* element, std::size_t size, BloomFilter& filter) const {
  std::uint32_t pos = 0, step = 0;
  Probe(tables_->subkey, element, size, params_.bits, pos, step);
  SetProbe(pos, step, filter);
}

void BloomEncoder::AddElement(std::string_view element, BloomFilter& filter) const {
  AddHashed(reinterpret_cast<const unsigned char*>(element.data()), element.size(), filter);
}

void BloomEncoder::AddBigrams(std::string_view value, BloomFilter& filter) const {
  if (value.empty()) return;
  const Tables& t = *tables_;
  // Walk "_" value "_" by code points; an element is the bytes of two consecutive code points.
  unsigned char element[8];
  element[0] = '_';
  std::size_t prev_len = 1;
  std::size_t i = 0;
  while (i <= value.size()) {
    std::size_t len = 1;
    const unsigned char* cur = reinterpret_cast<const unsigned char*>("_");
    if (i < value.size()) {
      len = std::min(Utf8Len(static_cast<unsigned char>(value[i])), value.size() - i);
      cur = reinterpret_cast<const unsigned char*>(value.data()) + i;
    }
    if (prev_len == 1 && len == 1 && t.slot[element[0]] >= 0 && t.slot[*cur] >= 0) {
      const std::size_t idx = static_cast<std::size_t>(t.slot[element[0]]) * kCached +
                              static_cast<std::size_t>(t.slot[*cur]);
      if (t.words_per_filter != 0) {
        const std::uint64_t* mask = &t.masks[idx * t.words_per_filter];
        std::uint64_t* words = filter.mutable_words().data();
        for (std::size_t w = 0; w < t.words_per_filter; ++w) words[w] |= mask[w];
      } else {
        SetProbe(t.pos[idx], t.step[idx], filter);
      }
    } else {
      std::memcpy(element + prev_len, cur, len);
      AddHashed(element, prev_len + len, filter);
    }
    std::memcpy(element, cur, len);
    prev_len = len;
    i += len;
  }
}

BloomFilter BloomEncoder::EncodeName(std::string_view normalised) const {
  BloomFilter f(params_.bits);
  AddBigrams(normalised, f);
  return f;
}

BloomFilter BloomEncoder::EncodeDate(Date date) const {
  BloomFilter f(params_.bits);
  const Ymd ymd = date.ToYmd();
  char digits[8];
  int y = ymd.year;
  for (int i = 3; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + (y % 10 + 10) % 10);
    y /= 10;
  }
  digits[4] = static_cast<char>('0' + ymd.month / 10);
  digits[5] = static_cast<char>('0' + ymd.month % 10);
  digits[6] = static_cast<char>('0' + ymd.day / 10);
  digits[7] = static_cast<char>('0' + ymd.day % 10);
  char tok[5];
  auto add = [&](char tag, const char* src, std::size_t n) {
    tok[0] = tag;
    std::memcpy(tok + 1, src, n);
    AddElement(std::string_view(tok, n + 1), f);
  };
  add('d', digits + 6, 2);
  add('m', digits + 4, 2);
  add('y', digits, 4);
  add('v', digits + 6, 2);
  add('v', digits + 4, 2);
  AddBigrams(std::string_view(digits, 8), f);
  return f;
}

void AppendBloomBase64(const BloomFilter& filter, std::string& out) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  unsigned char bytes[kMaxBytes];
  const std::size_t n = filter.bits() / 8;
  ToBytes(filter, bytes);
  char text[(kMaxBytes + 2) / 3 * 4];
  std::size_t len = 0;
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    text[len++] = kAlphabet[v >> 18];
    text[len++] = kAlphabet[(v >> 12) & 63];
    text[len++] = kAlphabet[(v >> 6) & 63];
    text[len++] = kAlphabet[v & 63];
  }
  if (n - i == 1) {
    text[len++] = kAlphabet[bytes[i] >> 2];
    text[len++] = kAlphabet[(bytes[i] & 3) << 4];
  } else if (n - i == 2) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 8) | bytes[i + 1];
    text[len++] = kAlphabet[v >> 10];
    text[len++] = kAlphabet[(v >> 4) & 63];
    text[len++] = kAlphabet[(v & 15) << 2];
  }
  out.append(text, len);
}

std::string BloomToBase64(const BloomFilter& filter) {
  std::string out;
  AppendBloomBase64(filter, out);
  return out;
}

Result<BloomFilter> BloomFromBase64(std::string_view text) {
  BloomFilter f;
  DAS_RETURN_IF_ERROR(DecodeInto(text, f, ""));
  return f;
}

double Dice(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  int both = 0;
  int total = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    both += std::popcount(a[i] & b[i]);
    total += std::popcount(a[i]) + std::popcount(b[i]);
  }
  return total == 0 ? 0.0 : 2.0 * both / total;
}

Result<double> Dice(const BloomFilter& a, const BloomFilter& b) {
  if (a.bits() != b.bits()) {
    return Status::InvalidArgument("Dice of Bloom filters of different sizes (" + std::to_string(a.bits()) +
                                   " and " + std::to_string(b.bits()) + " bits)");
  }
  return Dice(a.words(), b.words());
}

Result<double> DiceBase64(std::string_view a, std::string_view b) {
  BloomFilter fa;
  BloomFilter fb;
  DAS_RETURN_IF_ERROR(DecodeInto(a, fa, "first "));
  DAS_RETURN_IF_ERROR(DecodeInto(b, fb, "second "));
  return Dice(fa, fb);
}

}  // namespace das::seal
