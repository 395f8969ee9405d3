#include "das/seal/bloom.h"

#include <sodium.h>

#include <bit>
#include <cstring>

#include "sodium_init.h"

namespace das::seal {
namespace {

static_assert(sizeof(crypto_generichash_state) <= 384, "BloomEncoder::state_ too small");
constexpr int kB64 = sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
constexpr std::size_t kMaxBytes = kMaxBloomBits / 8;

crypto_generichash_state* State(unsigned char* raw) { return reinterpret_cast<crypto_generichash_state*>(raw); }

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

void ToBytes(const BloomFilter& f, unsigned char* out) {
  std::size_t j = 0;
  for (std::uint64_t w : f.words()) {
    for (int b = 0; b < 8; ++b) out[j++] = static_cast<unsigned char>(w >> (8 * b));
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
  BloomEncoder enc;
  enc.params_ = params;
  crypto_generichash_state* st = State(enc.state_);
  crypto_generichash_init(st, key.data(), SecretKey::size(), 16);
  static constexpr unsigned char kTag[] = "das-bloom/v1";  // with its terminating 0
  const unsigned char zero = 0;
  crypto_generichash_update(st, kTag, sizeof kTag);
  crypto_generichash_update(st, reinterpret_cast<const unsigned char*>(field.data()), field.size());
  crypto_generichash_update(st, &zero, 1);
  return enc;
}

BloomEncoder::~BloomEncoder() { sodium_memzero(state_, sizeof state_); }

void BloomEncoder::AddElement(std::string_view element, BloomFilter& filter) const {
  alignas(64) unsigned char copy[sizeof state_];
  std::memcpy(copy, state_, sizeof copy);
  crypto_generichash_state* st = State(copy);
  crypto_generichash_update(st, reinterpret_cast<const unsigned char*>(element.data()), element.size());
  unsigned char digest[16];
  crypto_generichash_final(st, digest, sizeof digest);
  const std::uint64_t h1 = Le64(digest);
  const std::uint64_t h2 = Le64(digest + 8) | 1;
  const std::uint64_t m = params_.bits;
  // (h1 + i*h2) mod m, computed incrementally.
  std::uint64_t pos = h1 % m;
  const std::uint64_t step = h2 % m;
  for (std::uint32_t i = 0; i < params_.k; ++i) {
    filter.Set(static_cast<std::uint32_t>(pos));
    pos += step;
    if (pos >= m) pos -= m;
  }
}

void BloomEncoder::AddBigrams(std::string_view value, BloomFilter& filter) const {
  if (value.empty()) return;
  // Walk "_" value "_" by code points; an element is the bytes of two consecutive code points.
  char element[8];
  element[0] = '_';
  std::size_t prev_len = 1;
  std::size_t i = 0;
  while (i <= value.size()) {
    std::size_t len = 1;
    const char* cur = "_";
    if (i < value.size()) {
      len = std::min(Utf8Len(static_cast<unsigned char>(value[i])), value.size() - i);
      cur = value.data() + i;
    }
    std::memcpy(element + prev_len, cur, len);
    AddElement(std::string_view(element, prev_len + len), filter);
    std::memmove(element, element + prev_len, len);
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
  unsigned char bytes[kMaxBytes];
  const std::size_t n = filter.bits() / 8;
  ToBytes(filter, bytes);
  char text[sodium_base64_ENCODED_LEN(kMaxBytes, kB64)];
  sodium_bin2base64(text, sizeof text, bytes, n, kB64);
  out.append(text);
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
