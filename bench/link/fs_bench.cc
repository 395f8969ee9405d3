// link_fs_bench N: links N synthetic person records (side A) against N (side B) with RunFellegiSunter in
// link-only mode. B holds a copy of every A person with defects (10% surname typo, 5% given-name typo,
// 2% day/month transposed, 5% residence moved, 3% sex unknown). Prints time,
// pairs, and precision/recall of the accepted pairs against the known answer.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "das/core/env.h"
#include "das/link/fellegi_sunter.h"
#include "das/seal/bloom.h"
#include "das/seal/keys.h"

int main(int argc, char** argv) {
  using namespace das;
  const std::uint32_t n = argc > 1 ? static_cast<std::uint32_t>(std::atol(argv[1])) : 1000000;
  auto keys = seal::DemoKeyFile("bench", 1);
  const seal::SecretKey& k = **keys->Get(seal::kBloomDomain);
  auto se = *seal::BloomEncoder::Create(k, "achternaam", seal::kNameBloomParams);
  auto ge = *seal::BloomEncoder::Create(k, "voornaam", seal::kNameBloomParams);
  auto de = *seal::BloomEncoder::Create(k, "geboortedatum", seal::kDateBloomParams);
  const char* syl[] = {"jan", "sen", "de", "vries", "bak", "ker", "vis", "ser", "mul", "der", "berg", "dijk", "meij",
                       "er", "bos", "kok", "smit", "hof", "man", "wit", "graaf", "haan", "lin", "den", "ya", "el",
                       "am", "ra", "ni", "ko", "wal", "ski"};
  Random rng(5);
  auto name = [&](int parts) {
    std::string s;
    for (int i = 0; i < parts; ++i) s += syl[rng.Below(std::size(syl))];
    return s;
  };
  link::PersonRecords r;
  const auto t0 = std::chrono::steady_clock::now();
  struct P {
    std::string s, g;
    Date d;
    std::uint8_t sex;
    std::uint32_t res;
  };
  std::vector<P> people(n);
  for (auto& p : people) {
    p.s = name(2 + static_cast<int>(rng.Below(2)));
    p.g = name(1 + static_cast<int>(rng.Below(2)));
    p.d = Date::FromYmdUnchecked(static_cast<int>(rng.Between(1940, 2008)), static_cast<int>(rng.Between(1, 12)),
                                 static_cast<int>(rng.Between(1, 28)));
    p.sex = rng.Bernoulli(0.8) ? 1 : 2;
    p.res = static_cast<std::uint32_t>(rng.Between(1, 342));
  }
  for (std::uint32_t side = 0; side < 2; ++side) {
    for (std::uint32_t i = 0; i < n; ++i) {
      P p = people[i];
      if (side == 1) {
        if (rng.Bernoulli(0.10)) p.s.insert(rng.Below(p.s.size()), 1, 'q');
        if (rng.Bernoulli(0.05)) p.g[rng.Below(p.g.size())] = 'x';
        const Ymd y = p.d.ToYmd();
        if (rng.Bernoulli(0.02) && y.day <= 12) p.d = Date::FromYmdUnchecked(y.year, y.day, y.month);
        if (rng.Bernoulli(0.05)) p.res = static_cast<std::uint32_t>(rng.Between(1, 342));
        if (rng.Bernoulli(0.03)) p.sex = 0;
      }
      auto s = se.EncodeName(p.s), g = ge.EncodeName(p.g);
      auto d = de.EncodeDate(p.d);
      Status st = r.Add(s.words(), g.words(), d.words(), p.d.year(), p.sex, p.res, side * n + i, false,
                        static_cast<std::uint8_t>(side));
      if (!st.ok()) return 1;
    }
  }
  const double t_build = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  link::FsOptions o;
  o.link_only = true;
  const auto t1 = std::chrono::steady_clock::now();
  auto res = link::RunFellegiSunter(r, o);
  const double t_link = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  if (!res.ok()) {
    std::fprintf(stderr, "%s\n", res.status().ToString().c_str());
    return 1;
  }
  std::uint64_t tp = 0, fp = 0;
  for (const auto& p : res->pairs) {
    if (p.weight < o.match_threshold) break;
    (p.b == p.a + n ? tp : fp)++;
  }
  std::printf("records %u x %u; encode %.1f s; linkage %.1f s (estimate %.1f s, score %.1f s); compared %llu pairs; "
              "match %llu, review %llu; precision %.4f recall %.4f\n",
              n, n, t_build, t_link, res->seconds_estimate, res->seconds_score,
              static_cast<unsigned long long>(res->pairs_compared), static_cast<unsigned long long>(res->pairs_match),
              static_cast<unsigned long long>(res->pairs_review),
              tp + fp == 0 ? 0.0 : static_cast<double>(tp) / static_cast<double>(tp + fp),
              static_cast<double>(tp) / n);
  return 0;
}
