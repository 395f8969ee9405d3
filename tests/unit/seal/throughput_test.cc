// Throughput and allocation checks of the hot paths. The rates are printed (for src/seal/README.md) and
// checked against generous floors, so a pathological slowdown fails while a busy machine does not.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "das/seal/seal.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace das::seal {
namespace {

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(Throughput, PseudonymsPerSecondWithoutAllocation) {
  const KeyFile keys = DemoKeyFile("politie", 1).value();
  const Pseudonymiser p(*keys.Find(kLinkDomain), kLinkDomain, "bsn");
  Random rng(1);
  std::vector<std::string> bsns;
  for (int i = 0; i < 1000; ++i) bsns.push_back(MakeValidBsn(rng));
  char out[kPseudonymHexChars];
  unsigned sink = 0;
  const int n = 500000;
  const long allocs_before = g_allocations.load();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    p.Pseudonymise(bsns[static_cast<std::size_t>(i) % bsns.size()], std::span<char, kPseudonymHexChars>(out));
    sink += static_cast<unsigned char>(out[0]);
  }
  const double s = Seconds(start);
  EXPECT_EQ(g_allocations.load() - allocs_before, 0);
  std::printf("[throughput] pseudonyms: %.0f/s (%.0f ns each) sink=%u\n", n / s, 1e9 * s / n, sink);
  EXPECT_GT(n / s, 100000.0);
}

TEST(Throughput, BloomEncodingsAndDice) {
  const KeyFile keys = DemoKeyFile("politie", 1).value();
  const BloomEncoder names = BloomEncoder::Create(*keys.Find(kBloomDomain), "achternaam", kNameBloomParams).value();
  const BloomEncoder dates = BloomEncoder::Create(*keys.Find(kBloomDomain), "geboortedatum", kDateBloomParams).value();
  const char* surnames[] = {"jansen", "de vries", "bakker", "visser", "smit", "meijer", "mulder", "de boer",
                            "bos", "vos", "peters", "hendriks", "dekker", "dijkstra", "mohammed", "yilmaz"};
  const int n = 100000;
  double chars = 0;
  for (const char* name : surnames) chars += static_cast<double>(std::string_view(name).size()) / 16;
  int bits = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) bits += names.EncodeName(surnames[i % 16]).PopCount();
  double s = Seconds(start);
  std::printf("[throughput] Bloom name encodings (avg %.1f chars): %.0f/s; mean fill %.1f%%\n", chars, n / s,
              100.0 * bits / n / kNameBloomParams.bits);
  EXPECT_GT(n / s, 20000.0);
  bits = 0;
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) bits += dates.EncodeDate(Date(i % 30000)).PopCount();
  s = Seconds(start);
  std::printf("[throughput] Bloom date encodings: %.0f/s; mean fill %.1f%%\n", n / s,
              100.0 * bits / n / kDateBloomParams.bits);
  EXPECT_GT(n / s, 20000.0);

  std::vector<BloomFilter> filters;
  for (const char* name : surnames) filters.push_back(names.EncodeName(name));
  const int m = 5000000;
  double total = 0;
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < m; ++i) total += Dice(filters[i & 15].words(), filters[(i >> 4) & 15].words());
  s = Seconds(start);
  std::printf("[throughput] Dice (512 bits): %.0f/s (total %.1f)\n", m / s, total);
  EXPECT_GT(m / s, 300000.0);
}

TEST(Throughput, SealRowIsAllocationFreeAfterWarmUp) {
  const KeyFile keys = DemoKeyFile("politie", 1).value();
  const Tussenvoegsels tv = Tussenvoegsels::Parse("van\nvan der\nde\n", "tv").value();
  SealSpec spec;
  spec.bsn = "bsn";
  spec.surname = "achternaam";
  spec.tussenvoegsel = "tussenvoegsel";
  spec.given_names = "voornamen";
  spec.birth_date = "geboortedatum";
  spec.reference_date = "datum";
  spec.sex = "geslacht";
  const std::vector<std::string> header = {"id", "datum", "bsn", "achternaam", "tussenvoegsel", "voornamen",
                                           "geboortedatum", "geslacht"};
  const Sealer sealer = Sealer::Create(spec, header, keys, tv).value();
  Random rng(5);
  std::vector<std::vector<std::string>> rows;
  const char* surnames[] = {"Jansen", "Vries", "Bakker", "Visser", "Dijkstra", "Mohammed", "Yılmaz", "Berg"};
  const char* tvs[] = {"", "de", "", "", "", "", "", "van der"};
  const char* given[] = {"Jan Pieter", "Anna", "Mohamed", "Sophie Marie", "Daniël", "Fatima", "Lucas", "Emma"};
  for (int i = 0; i < 1000; ++i) {
    const int k = static_cast<int>(rng.Below(8));
    const Date birth(static_cast<std::int32_t>(-7000 + static_cast<int>(rng.Below(15000))));
    rows.push_back({std::to_string(i), "2023-06-30", MakeValidBsn(rng), surnames[k], tvs[k], given[(k + i) % 8],
                    birth.ToIso(), "M"});
  }
  std::vector<std::vector<std::string_view>> views;
  for (const auto& r : rows) views.emplace_back(r.begin(), r.end());
  SealedRow out;
  for (const auto& v : views) ASSERT_TRUE(sealer.SealRow(v, out).ok());  // warm-up
  const int n = 100000;
  const long allocs_before = g_allocations.load();
  const auto start = std::chrono::steady_clock::now();
  std::size_t bytes = 0;
  for (int i = 0; i < n; ++i) {
    if (!sealer.SealRow(views[static_cast<std::size_t>(i) % views.size()], out).ok()) FAIL();
    bytes += out[out.size() - 1].size();
  }
  const double s = Seconds(start);
  EXPECT_EQ(g_allocations.load() - allocs_before, 0);
  std::printf("[throughput] SealRow (BSN pseudonym + 3 Bloom encodings): %.0f rows/s (%zu bytes)\n", n / s, bytes);
  EXPECT_GT(n / s, 5000.0);
}

}  // namespace
}  // namespace das::seal
