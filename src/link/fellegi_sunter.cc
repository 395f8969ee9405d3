// Fellegi-Sunter linkage: blocking, u by sampling, m by EM on pattern counts, scoring. See fellegi_sunter.h.
#include "das/link/fellegi_sunter.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cmath>
#include <functional>
#include <thread>

#include "das/core/env.h"
#include "hash.h"

namespace das::link {
namespace {

constexpr int kRules = 4;
const char* const kRuleNames[kRules] = {"R1", "R2", "R3", "R4"};
const char* const kRuleText[kRules] = {"birth_date_bf identical", "surname_bf and given_names_bf identical",
                                       "surname_bf identical and birth_year equal",
                                       "given_names_bf identical and birth_year equal"};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

inline int BloomLevel(const std::uint64_t* a, const std::uint64_t* b, std::uint32_t words, std::uint32_t pa,
                      std::uint32_t pb, std::uint64_t ha, std::uint64_t hb, double close, double similar,
                      int levels) {
  if (pa == 0 || pb == 0) return 0;
  if (ha == hb) return 1;
  std::uint32_t inter = 0;
  for (std::uint32_t w = 0; w < words; ++w) inter += static_cast<std::uint32_t>(std::popcount(a[w] & b[w]));
  const double two_inter = 2.0 * inter, sum = static_cast<double>(pa + pb);
  if (two_inter >= close * sum) return 2;
  if (levels == 5 && two_inter >= similar * sum) return 3;
  return levels - 1;
}

struct Keys {
  std::array<std::vector<std::uint64_t>, kRules> key;  // 0 = the record has no key for the rule
};

Keys BlockKeys(const PersonRecords& r) {
  Keys k;
  const std::size_t n = r.size();
  for (auto& v : k.key) v.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t s = r.surname_hash[i], g = r.given_hash[i], d = r.date_hash[i];
    const auto y = static_cast<std::uint64_t>(r.birth_year[i]);
    k.key[0][i] = d;
    if (s != 0 && g != 0) k.key[1][i] = NonZero(Mix64(s ^ Mix64(g + 0x51)));
    if (s != 0 && y != 0) k.key[2][i] = NonZero(Mix64(s ^ (y * 0x9E3779B97F4A7C15ULL) ^ 0x77));
    if (g != 0 && y != 0) k.key[3][i] = NonZero(Mix64(g ^ (y * 0xC2B2AE3D27D4EB4FULL) ^ 0x1234));
  }
  return k;
}

struct Run {
  std::uint32_t begin, end;  // into the sorted (key, index) array
};

struct Blocks {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> sorted;
  std::vector<Run> runs;  // runs of >= 2 records
};

Blocks MakeBlocks(const std::vector<std::uint64_t>& key) {
  Blocks b;
  for (std::uint32_t i = 0; i < key.size(); ++i) {
    if (key[i] != 0) b.sorted.emplace_back(key[i], i);
  }
  std::sort(b.sorted.begin(), b.sorted.end());
  for (std::uint32_t s = 0; s < b.sorted.size();) {
    std::uint32_t e = s + 1;
    while (e < b.sorted.size() && b.sorted[e].first == b.sorted[s].first) ++e;
    if (e - s >= 2) b.runs.push_back({s, e});
    s = e;
  }
  return b;
}

// Runs `work(thread, run_begin, run_end)` over the runs in batches on `threads` threads.
void ParallelRuns(std::size_t runs, int threads, const std::function<void(int, std::size_t, std::size_t)>& work) {
  constexpr std::size_t kBatch = 512;
  std::atomic<std::size_t> next{0};
  auto body = [&](int t) {
    for (;;) {
      const std::size_t b = next.fetch_add(kBatch);
      if (b >= runs) break;
      work(t, b, std::min(runs, b + kBatch));
    }
  };
  if (threads <= 1) {
    body(0);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(body, t);
  for (auto& th : pool) th.join();
}

// Pattern -> levels, computed once.
struct PatternTable {
  std::array<std::array<int, kNumFields>, kNumPatterns> levels{};
  PatternTable() {
    for (int p = 0; p < kNumPatterns; ++p) {
      int rest = p;
      for (int f = kNumFields - 1; f >= 0; --f) {
        levels[static_cast<std::size_t>(p)][static_cast<std::size_t>(f)] = rest % kLevelCount[static_cast<std::size_t>(f)];
        rest /= kLevelCount[static_cast<std::size_t>(f)];
      }
    }
  }
};
const PatternTable& Patterns() {
  static const PatternTable t;
  return t;
}

void DefaultM(Model& m) {
  m.m[0] = {0, 0.85, 0.08, 0.03, 0.04};
  m.m[1] = {0, 0.85, 0.08, 0.03, 0.04};
  m.m[2] = {0, 0.93, 0.05, 0.02, 0};
  m.m[3] = {0, 0.97, 0.03, 0, 0};
  m.m[4] = {0, 0.85, 0.15, 0, 0};
}

// EM with u fixed on pattern counts, estimating the fields in `active`.
void RunEm(const std::array<std::uint64_t, kNumPatterns>& counts, const std::array<bool, kNumFields>& active,
           const Model& start, const FsOptions& options, Model* out, TrainingRule* rule) {
  Model m = start;
  double lambda = 0.3;
  const auto& pt = Patterns();
  rule->iterations = 0;
  rule->converged = false;
  double total = 0;
  for (auto c : counts) total += static_cast<double>(c);
  if (total <= 0) return;
  for (int it = 0; it < options.em_max_iterations; ++it) {
    std::array<std::array<double, kMaxLevels>, kNumFields> acc{};
    double s = 0;
    for (int p = 0; p < kNumPatterns; ++p) {
      const std::uint64_t n = counts[static_cast<std::size_t>(p)];
      if (n == 0) continue;
      double lm = std::log(lambda), lu = std::log1p(-lambda);
      const auto& lv = pt.levels[static_cast<std::size_t>(p)];
      for (int f = 0; f < kNumFields; ++f) {
        const int l = lv[static_cast<std::size_t>(f)];
        if (!active[static_cast<std::size_t>(f)] || l == 0) continue;
        lm += std::log(m.m[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)]);
        lu += std::log(m.u[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)]);
      }
      const double post = 1.0 / (1.0 + std::exp(lu - lm));
      const double w = static_cast<double>(n) * post;
      s += w;
      for (int f = 0; f < kNumFields; ++f) {
        const int l = lv[static_cast<std::size_t>(f)];
        if (active[static_cast<std::size_t>(f)] && l != 0) acc[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)] += w;
      }
    }
    double delta = 0;
    const double new_lambda = std::clamp(s / total, 1e-9, 1 - 1e-9);
    delta = std::max(delta, std::abs(new_lambda - lambda));
    lambda = new_lambda;
    for (int f = 0; f < kNumFields; ++f) {
      if (!active[static_cast<std::size_t>(f)]) continue;
      double sum = 0;
      const int levels = kLevelCount[static_cast<std::size_t>(f)];
      for (int l = 1; l < levels; ++l) sum += acc[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)];
      if (sum <= 0) continue;
      for (int l = 1; l < levels; ++l) {
        // A floor keeps every level possible for a match (log of zero otherwise).
        const double v = std::max(acc[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)] / sum, 1e-6);
        delta = std::max(delta, std::abs(v - m.m[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)]));
        m.m[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)] = v;
      }
    }
    rule->iterations = it + 1;
    if (delta < options.em_tolerance) {
      rule->converged = true;
      break;
    }
  }
  rule->lambda = lambda;
  for (int f = 0; f < kNumFields; ++f) {
    if (active[static_cast<std::size_t>(f)]) out->m[static_cast<std::size_t>(f)] = m.m[static_cast<std::size_t>(f)];
  }
}

}  // namespace

std::string_view FieldName(Field f) {
  switch (f) {
    case Field::kSurname: return "surname";
    case Field::kGivenName: return "given_name";
    case Field::kBirthDate: return "birth_date";
    case Field::kSex: return "sex";
    case Field::kResidence: return "residence";
  }
  return "?";
}

std::string_view LevelName(Field f, int level) {
  if (level == 0) return "null";
  switch (f) {
    case Field::kSurname:
    case Field::kGivenName: {
      static const char* const k[] = {"null", "exact", "close", "similar", "different"};
      return level < 5 ? k[level] : "?";
    }
    case Field::kBirthDate: {
      static const char* const k[] = {"null", "exact", "close", "different"};
      return level < 4 ? k[level] : "?";
    }
    case Field::kSex:
    case Field::kResidence: return level == 1 ? "agree" : level == 2 ? "disagree" : "?";
  }
  return "?";
}

double Model::LevelWeight(Field f, int level) const {
  if (level <= 0) return 0;
  const auto fi = static_cast<std::size_t>(f);
  const auto li = static_cast<std::size_t>(level);
  return std::log2(m[fi][li] / u[fi][li]);
}

double MatchProbability(double weight) {
  const double p = std::exp2(weight);
  return std::isinf(p) ? 1.0 : p / (1.0 + p);
}

Status PersonRecords::Add(std::span<const std::uint64_t> s, std::span<const std::uint64_t> g,
                          std::span<const std::uint64_t> d, int year, std::uint8_t sex_code,
                          std::uint32_t residence_code, std::uint32_t entity_id, bool is_locked, std::uint8_t side_id) {
  auto add_bloom = [](std::span<const std::uint64_t> in, std::uint32_t words, std::vector<std::uint64_t>& dst,
                      std::vector<std::uint16_t>& pop, std::vector<std::uint64_t>& hash, const char* what) -> Status {
    if (!in.empty() && in.size() != words) {
      return Status::InvalidArgument(std::string("person record: ") + what + " encoding has " +
                                     std::to_string(in.size() * 64) + " bits, expected " +
                                     std::to_string(words * 64));
    }
    std::uint32_t p = 0;
    for (std::uint32_t w = 0; w < words; ++w) {
      const std::uint64_t v = in.empty() ? 0 : in[w];
      dst.push_back(v);
      p += static_cast<std::uint32_t>(std::popcount(v));
    }
    pop.push_back(static_cast<std::uint16_t>(p));
    hash.push_back(p == 0 ? 0 : HashWords(in));
    return Status::Ok();
  };
  DAS_RETURN_IF_ERROR(add_bloom(s, name_words, surname, surname_pop, surname_hash, "surname"));
  DAS_RETURN_IF_ERROR(add_bloom(g, name_words, given, given_pop, given_hash, "given name"));
  DAS_RETURN_IF_ERROR(add_bloom(d, date_words, birth_date, date_pop, date_hash, "birth date"));
  birth_year.push_back(static_cast<std::int16_t>(year));
  sex.push_back(sex_code);
  residence.push_back(residence_code);
  entity.push_back(entity_id);
  locked.push_back(is_locked ? 1 : 0);
  side.push_back(side_id);
  return Status::Ok();
}

Status PersonRecords::Validate() const {
  const std::size_t n = size();
  if (name_words == 0 || date_words == 0) return Status::InvalidArgument("person records: zero filter words");
  if (surname.size() != n * name_words || given.size() != n * name_words || birth_date.size() != n * date_words ||
      surname_pop.size() != n || given_pop.size() != n || date_pop.size() != n || surname_hash.size() != n ||
      given_hash.size() != n || date_hash.size() != n || birth_year.size() != n || sex.size() != n ||
      residence.size() != n || locked.size() != n || side.size() != n) {
    return Status::InvalidArgument("person records: column sizes differ from the record count " + std::to_string(n));
  }
  if (n > 0xFFFFFFF0u) return Status::InvalidArgument("person records: more than 2^32 records");
  return Status::Ok();
}

std::array<int, kNumFields> CompareRecords(const PersonRecords& r, std::uint32_t i, std::uint32_t j,
                                           const FsOptions& o) {
  std::array<int, kNumFields> lv{};
  const std::uint32_t nw = r.name_words, dw = r.date_words;
  lv[0] = BloomLevel(&r.surname[std::size_t{i} * nw], &r.surname[std::size_t{j} * nw], nw, r.surname_pop[i],
                     r.surname_pop[j], r.surname_hash[i], r.surname_hash[j], o.name_close, o.name_similar, 5);
  lv[1] = BloomLevel(&r.given[std::size_t{i} * nw], &r.given[std::size_t{j} * nw], nw, r.given_pop[i], r.given_pop[j],
                     r.given_hash[i], r.given_hash[j], o.name_close, o.name_similar, 5);
  lv[2] = BloomLevel(&r.birth_date[std::size_t{i} * dw], &r.birth_date[std::size_t{j} * dw], dw, r.date_pop[i],
                     r.date_pop[j], r.date_hash[i], r.date_hash[j], o.date_close, o.date_close, 4);
  lv[3] = (r.sex[i] == 0 || r.sex[j] == 0) ? 0 : r.sex[i] == r.sex[j] ? 1 : 2;
  lv[4] = (r.residence[i] == 0 || r.residence[j] == 0) ? 0 : r.residence[i] == r.residence[j] ? 1 : 2;
  return lv;
}

int PatternIndex(const std::array<int, kNumFields>& lv) {
  int p = 0;
  for (int f = 0; f < kNumFields; ++f) p = p * kLevelCount[static_cast<std::size_t>(f)] + lv[static_cast<std::size_t>(f)];
  return p;
}

Result<FsResult> RunFellegiSunter(const PersonRecords& r, const FsOptions& o) {
  DAS_RETURN_IF_ERROR(r.Validate());
  if (!(o.review_threshold <= o.match_threshold)) {
    return Status::InvalidArgument("linkage: review threshold " + std::to_string(o.review_threshold) +
                                   " is above the match threshold " + std::to_string(o.match_threshold));
  }
  if (!(o.name_similar <= o.name_close) || o.name_close > 1 || o.name_similar < 0 || o.date_close > 1 ||
      o.date_close < 0) {
    return Status::InvalidArgument("linkage: Dice thresholds must satisfy 0 <= name_similar <= name_close <= 1 "
                                   "and 0 <= date_close <= 1");
  }
  const int threads = std::max(1, o.threads);
  FsResult res;
  const auto n = static_cast<std::uint32_t>(r.size());
  const auto t0 = std::chrono::steady_clock::now();
  const Keys keys = BlockKeys(r);

  // --- u by random sampling -------------------------------------------------------------------------------
  std::array<std::array<std::uint64_t, kMaxLevels>, kNumFields> ucount{};
  {
    std::vector<std::uint32_t> side0, side1;
    if (o.link_only) {
      for (std::uint32_t i = 0; i < n; ++i) (r.side[i] == 0 ? side0 : side1).push_back(i);
    }
    Random rng(o.seed);
    const bool possible = o.link_only ? (!side0.empty() && !side1.empty()) : n >= 2;
    std::uint64_t tries = 0;
    while (possible && res.u_pairs_sampled < o.u_sample_pairs && tries < 4 * o.u_sample_pairs + 100) {
      ++tries;
      std::uint32_t i, j;
      if (o.link_only) {
        i = side0[rng.Below(side0.size())];
        j = side1[rng.Below(side1.size())];
      } else {
        i = static_cast<std::uint32_t>(rng.Below(n));
        j = static_cast<std::uint32_t>(rng.Below(n));
      }
      if (i == j || r.entity[i] == r.entity[j]) continue;
      const auto lv = CompareRecords(r, i, j, o);
      for (int f = 0; f < kNumFields; ++f) ++ucount[static_cast<std::size_t>(f)][static_cast<std::size_t>(lv[static_cast<std::size_t>(f)])];
      ++res.u_pairs_sampled;
    }
  }
  Model model;
  DefaultM(model);
  for (int f = 0; f < kNumFields; ++f) {
    const auto fi = static_cast<std::size_t>(f);
    const int levels = kLevelCount[fi];
    double total = 0;
    for (int l = 1; l < levels; ++l) total += static_cast<double>(ucount[fi][static_cast<std::size_t>(l)]);
    for (int l = 1; l < levels; ++l) {
      // Half a pair added to every level: no level has u = 0 (infinite weight) for lack of samples.
      model.u[fi][static_cast<std::size_t>(l)] =
          (static_cast<double>(ucount[fi][static_cast<std::size_t>(l)]) + 0.5) / (total + 0.5 * (levels - 1));
    }
  }

  // --- m by EM on pattern counts of the training rules ------------------------------------------------------
  std::array<Blocks, kRules> blocks;
  for (int k = 0; k < kRules; ++k) blocks[static_cast<std::size_t>(k)] = MakeBlocks(keys.key[static_cast<std::size_t>(k)]);
  auto pairs_in_run = [&](const Run& run, const Blocks& b) -> std::uint64_t {
    if (!o.link_only) return std::uint64_t{run.end - run.begin} * (run.end - run.begin - 1) / 2;
    std::uint64_t s0 = 0, s1 = 0;
    for (std::uint32_t x = run.begin; x < run.end; ++x) (r.side[b.sorted[x].second] == 0 ? s0 : s1)++;
    return s0 * s1;
  };
  const int training_rule_of[2] = {0, 1};
  const std::array<std::array<bool, kNumFields>, 2> estimates = {{{true, true, false, true, true},
                                                                   {false, false, true, true, true}}};
  Model trained = model;
  for (int t = 0; t < 2; ++t) {
    const Blocks& b = blocks[static_cast<std::size_t>(training_rule_of[t])];
    TrainingRule tr;
    tr.name = t == 0 ? "T1" : "T2";
    tr.blocking = kRuleText[training_rule_of[t]];
    for (int f = 0; f < kNumFields; ++f) {
      if (estimates[static_cast<std::size_t>(t)][static_cast<std::size_t>(f)]) tr.estimates.push_back(static_cast<Field>(f));
    }
    for (const Run& run : b.runs) {
      if (run.end - run.begin <= o.max_block_size) tr.pairs += pairs_in_run(run, b);
    }
    // Sample whole blocks when there are too many pairs: keep a block if its key hashes below the fraction.
    const double keep = tr.pairs > o.max_training_pairs
                            ? static_cast<double>(o.max_training_pairs) / static_cast<double>(tr.pairs)
                            : 1.0;
    const auto keep_below = static_cast<std::uint64_t>(keep * 18446744073709551615.0);
    std::vector<std::array<std::uint64_t, kNumPatterns>> counts(static_cast<std::size_t>(threads));
    for (auto& c : counts) c.fill(0);
    std::vector<std::uint64_t> used(static_cast<std::size_t>(threads), 0);
    ParallelRuns(b.runs.size(), threads, [&](int th, std::size_t rb, std::size_t re) {
      auto& cnt = counts[static_cast<std::size_t>(th)];
      for (std::size_t x = rb; x < re; ++x) {
        const Run& run = b.runs[x];
        if (run.end - run.begin > o.max_block_size) continue;
        if (keep < 1.0 && Mix64(b.sorted[run.begin].first ^ 0xA5A5) > keep_below) continue;
        for (std::uint32_t p = run.begin; p < run.end; ++p) {
          for (std::uint32_t q = p + 1; q < run.end; ++q) {
            const std::uint32_t i = b.sorted[p].second, j = b.sorted[q].second;
            if (o.link_only && r.side[i] == r.side[j]) continue;
            ++cnt[static_cast<std::size_t>(PatternIndex(CompareRecords(r, i, j, o)))];
            ++used[static_cast<std::size_t>(th)];
          }
        }
      }
    });
    std::array<std::uint64_t, kNumPatterns> total{};
    for (const auto& c : counts) {
      for (int p = 0; p < kNumPatterns; ++p) total[static_cast<std::size_t>(p)] += c[static_cast<std::size_t>(p)];
    }
    for (auto u : used) tr.pairs_used += u;
    Model est = model;
    RunEm(total, estimates[static_cast<std::size_t>(t)], model, o, &est, &tr);
    for (int f = 0; f < kNumFields; ++f) {
      if (!estimates[static_cast<std::size_t>(t)][static_cast<std::size_t>(f)] || tr.pairs_used == 0) continue;
      const auto fi = static_cast<std::size_t>(f);
      if (t == 0 || !estimates[0][fi]) {
        trained.m[fi] = est.m[fi];
      } else {
        for (int l = 1; l < kLevelCount[fi]; ++l) {
          trained.m[fi][static_cast<std::size_t>(l)] = (trained.m[fi][static_cast<std::size_t>(l)] + est.m[fi][static_cast<std::size_t>(l)]) / 2;
        }
      }
    }
    res.training.push_back(std::move(tr));
  }
  for (int f = 0; f < kNumFields; ++f) {
    const auto fi = static_cast<std::size_t>(f);
    double sum = 0;
    for (int l = 1; l < kLevelCount[fi]; ++l) {
      trained.m[fi][static_cast<std::size_t>(l)] = std::max(trained.m[fi][static_cast<std::size_t>(l)], o.m_floor);
      sum += trained.m[fi][static_cast<std::size_t>(l)];
    }
    for (int l = 1; l < kLevelCount[fi]; ++l) trained.m[fi][static_cast<std::size_t>(l)] /= sum;
  }
  model.m = trained.m;
  {
    const double all_pairs = o.link_only ? [&] {
      double s0 = 0, s1 = 0;
      for (std::uint32_t i = 0; i < n; ++i) (r.side[i] == 0 ? s0 : s1) += 1;
      return s0 * s1;
    }()
                                         : static_cast<double>(n) * (static_cast<double>(n) - 1) / 2;
    const TrainingRule& t1 = res.training[0];
    const double matches_t1 = t1.lambda * static_cast<double>(t1.pairs);
    const double recall_t1 = std::max(model.m[2][1], 0.5);
    model.lambda = all_pairs > 0 ? std::clamp(matches_t1 / recall_t1 / all_pairs, 1e-12, 0.5) : 1e-12;
    model.prior_weight = std::log2(model.lambda / (1 - model.lambda));
  }
  res.model = model;
  res.seconds_estimate = Seconds(t0);

  // --- scoring -----------------------------------------------------------------------------------------------
  const auto t1 = std::chrono::steady_clock::now();
  std::array<float, kNumPatterns> weight{};
  for (int p = 0; p < kNumPatterns; ++p) {
    double w = model.prior_weight;
    const auto& lv = Patterns().levels[static_cast<std::size_t>(p)];
    for (int f = 0; f < kNumFields; ++f) w += model.LevelWeight(static_cast<Field>(f), lv[static_cast<std::size_t>(f)]);
    weight[static_cast<std::size_t>(p)] = static_cast<float>(w);
  }
  struct ThreadOut {
    std::vector<ScoredPair> pairs;
    std::array<std::uint64_t, kRules> compared{};
    std::uint64_t match = 0, review = 0, below = 0;
  };
  const auto match_t = static_cast<float>(o.match_threshold), review_t = static_cast<float>(o.review_threshold);
  std::vector<ThreadOut> outs(static_cast<std::size_t>(threads));
  for (int k = 0; k < kRules; ++k) {
    const Blocks& b = blocks[static_cast<std::size_t>(k)];
    BlockingRuleStats st;
    st.name = kRuleNames[k];
    st.blocking = kRuleText[k];
    st.blocks = b.runs.size();
    for (const Run& run : b.runs) st.blocks_skipped += run.end - run.begin > o.max_block_size ? 1 : 0;
    ParallelRuns(b.runs.size(), threads, [&](int th, std::size_t rb, std::size_t re) {
      ThreadOut& out = outs[static_cast<std::size_t>(th)];
      std::vector<std::uint32_t> free_list, locked_list;
      auto score = [&](std::uint32_t i, std::uint32_t j) {
        if (r.entity[i] == r.entity[j] || (r.locked[i] && r.locked[j])) return;
        if (o.link_only && r.side[i] == r.side[j]) return;
        for (int e = 0; e < k; ++e) {
          const auto& ke = keys.key[static_cast<std::size_t>(e)];
          if (ke[i] != 0 && ke[i] == ke[j]) return;  // taken by an earlier rule
        }
        ++out.compared[static_cast<std::size_t>(k)];
        const float w = weight[static_cast<std::size_t>(PatternIndex(CompareRecords(r, i, j, o)))];
        if (w >= match_t) {
          ++out.match;
        } else if (w >= review_t) {
          ++out.review;
        } else {
          ++out.below;
          return;
        }
        out.pairs.push_back({std::min(i, j), std::max(i, j), w});
      };
      for (std::size_t x = rb; x < re; ++x) {
        const Run& run = b.runs[x];
        if (run.end - run.begin > o.max_block_size) continue;
        free_list.clear();
        locked_list.clear();
        for (std::uint32_t p = run.begin; p < run.end; ++p) {
          const std::uint32_t i = b.sorted[p].second;
          (r.locked[i] ? locked_list : free_list).push_back(i);
        }
        for (std::size_t p = 0; p < free_list.size(); ++p) {
          for (std::size_t q = p + 1; q < free_list.size(); ++q) score(free_list[p], free_list[q]);
          for (std::uint32_t j : locked_list) score(free_list[p], j);
        }
      }
    });
    for (const auto& out : outs) st.pairs_compared += out.compared[static_cast<std::size_t>(k)];
    res.blocking.push_back(std::move(st));
  }
  for (auto& out : outs) {
    for (int k = 0; k < kRules; ++k) res.pairs_compared += out.compared[static_cast<std::size_t>(k)];
    res.pairs_match += out.match;
    res.pairs_review += out.review;
    res.pairs_below += out.below;
    res.pairs.insert(res.pairs.end(), out.pairs.begin(), out.pairs.end());
    out.pairs.clear();
    out.pairs.shrink_to_fit();
  }
  std::sort(res.pairs.begin(), res.pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
    if (x.weight != y.weight) return x.weight > y.weight;
    if (x.a != y.a) return x.a < y.a;
    return x.b < y.b;
  });
  res.seconds_score = Seconds(t1);
  return res;
}

}  // namespace das::link
