// Probabilistic record linkage (Fellegi-Sunter) on privacy-preserving encodings.
//
// Records are flat arrays (PersonRecords): Bloom-filter encodings of surname, first given name and birth
// date (das/seal/bloom.h), birth year, sex and residence gemeente. Pairs are compared field by field into a
// comparison level (exact / close / similar / different, or null when either side is unknown); a pair's
// agreement pattern is the tuple of its levels. With m = P(level | match) and u = P(level | non-match):
//   match weight = log2(lambda / (1 - lambda)) + sum over non-null fields of log2(m / u)
// and the match probability is 2^w / (1 + 2^w).
//
// Estimation (RunFellegiSunter):
//   - u by random sampling of record pairs (u_sample_pairs, das::Random seeded by FsOptions::seed);
//   - m by EM on the counts of agreement patterns (not on pairs) of two training blocking rules, each
//     estimating the fields it does not block on: T1 = same birth date (estimates surname, given name, sex,
//     residence), T2 = same surname and given name (estimates birth date, sex, residence); u stays fixed;
//   - lambda (the prior that two random records match) = matches estimated in T1 / m(birth date exact)
//     / all pairs.
// Scoring: candidate pairs from four blocking rules (R1 birth date; R2 surname + given name; R3 surname +
// birth year; R4 given name + birth year), each pair scored once (a pair is taken by the first rule that
// blocks it). Pairs within one entity, and pairs of two locked records, are never scored (see
// PersonRecords). Pairs at or above review_threshold are returned.
//
// Determinism: the result is a function of the records and the options (the thread count does not change
// it). Threading: RunFellegiSunter uses `threads` worker threads internally; the caller's objects are only
// read. Errors: InvalidArgument for inconsistent inputs (array sizes, thresholds).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/status.h"

namespace das::link {

enum class Field : std::uint8_t { kSurname = 0, kGivenName = 1, kBirthDate = 2, kSex = 3, kResidence = 4 };
inline constexpr int kNumFields = 5;
inline constexpr int kMaxLevels = 5;
// Levels per field, level 0 = null (either side unknown: contributes weight 0).
//   surname, given name: 1 exact (identical encoding), 2 close (Dice >= name_close), 3 similar (Dice >=
//   name_similar), 4 different;  birth date: 1 exact, 2 close (Dice >= date_close), 3 different;
//   sex, residence: 1 agree, 2 disagree.
inline constexpr std::array<int, kNumFields> kLevelCount = {5, 5, 4, 3, 3};
inline constexpr int kNumPatterns = 5 * 5 * 4 * 3 * 3;
std::string_view FieldName(Field f);
std::string_view LevelName(Field f, int level);

// Person records as flat columns. A Bloom field has a fixed number of 64-bit words per record (all
// records alike); an unknown value is all zero words (popcount 0).
struct PersonRecords {
  std::uint32_t name_words = 8;  // 512-bit name filters
  std::uint32_t date_words = 4;  // 256-bit date filters
  std::vector<std::uint64_t> surname, given, birth_date;  // size() * words
  std::vector<std::uint16_t> surname_pop, given_pop, date_pop;
  std::vector<std::uint64_t> surname_hash, given_hash, date_hash;  // 0 = unknown, else hash of the filter
  std::vector<std::int16_t> birth_year;  // 0 = unknown
  std::vector<std::uint8_t> sex;         // 0 unknown, 1 male, 2 female
  std::vector<std::uint32_t> residence;  // 0 unknown, else e.g. the gemeente number
  // Records of one entity (already linked deterministically) are never compared with each other.
  std::vector<std::uint32_t> entity;
  // Two locked records (e.g. both with a BSN pseudonym: different BSN, different person) are never compared.
  std::vector<std::uint8_t> locked;
  // Link-only mode compares only records of different sides.
  std::vector<std::uint8_t> side;

  std::size_t size() const { return entity.size(); }
  // Appends a record; a null span (size 0) is an unknown value, else its size must be name_words / date_words.
  Status Add(std::span<const std::uint64_t> surname_words, std::span<const std::uint64_t> given_words,
             std::span<const std::uint64_t> date_words_in, int year, std::uint8_t sex_code, std::uint32_t residence_code,
             std::uint32_t entity_id, bool is_locked, std::uint8_t side_id = 0);
  Status Validate() const;
};

struct FsOptions {
  double name_close = 0.88;    // Dice at or above: names "close" (one typo in a 6-8 letter name)
  double name_similar = 0.55;  // Dice at or above: names "similar" (one typo in a 4-5 letter name)
  double date_close = 0.72;    // Dice at or above: birth dates "close" (one digit, transposed day/month)
  double match_threshold = 6.0;    // match weight at or above: linked (probability >= 0.985)
  double review_threshold = -2.0;  // match weight in [review, match): review band, not linked
  std::uint64_t u_sample_pairs = 2'000'000;
  std::uint64_t max_training_pairs = 20'000'000;  // per training rule; more are sampled by block
  int em_max_iterations = 200;
  double em_tolerance = 1e-7;  // stop when no parameter moves more than this
  // Lower bound of every m after EM: a level never seen among matches in the training data (e.g. sex
  // disagreeing) is still possible in other data; without a floor it would veto a pair outright.
  double m_floor = 0.001;
  std::uint32_t max_block_size = 20'000;  // larger blocks are skipped (and counted)
  bool link_only = false;
  int threads = 2;
  std::uint64_t seed = 20240601;
};

struct TrainingRule {
  std::string name;
  std::string blocking;
  std::vector<Field> estimates;
  std::uint64_t pairs = 0;           // pairs the rule generates
  std::uint64_t pairs_used = 0;      // pairs counted into patterns (after sampling of blocks)
  int iterations = 0;
  bool converged = false;
  double lambda = 0;                 // share of matches among the rule's pairs
};

struct Model {
  // m[f][l], u[f][l] for l >= 1 (index 0 unused).
  std::array<std::array<double, kMaxLevels>, kNumFields> m{}, u{};
  double lambda = 0;        // prior probability that a random pair matches
  double prior_weight = 0;  // log2(lambda / (1 - lambda))
  // Bayes factor weight log2(m/u) of a level (0 for null).
  double LevelWeight(Field f, int level) const;
};

struct BlockingRuleStats {
  std::string name;
  std::string blocking;
  std::uint64_t blocks = 0;
  std::uint64_t pairs_compared = 0;  // pairs scored by this rule (not by an earlier one)
  std::uint64_t blocks_skipped = 0;  // larger than max_block_size
};

struct ScoredPair {
  std::uint32_t a = 0, b = 0;  // record indices, a < b
  float weight = 0;
};

struct FsResult {
  Model model;
  std::vector<TrainingRule> training;
  std::vector<BlockingRuleStats> blocking;
  std::uint64_t u_pairs_sampled = 0;
  std::uint64_t pairs_compared = 0;
  std::uint64_t pairs_match = 0;   // weight >= match_threshold
  std::uint64_t pairs_review = 0;  // review_threshold <= weight < match_threshold
  std::uint64_t pairs_below = 0;
  // Pairs with weight >= review_threshold, ordered by weight descending, then (a, b).
  std::vector<ScoredPair> pairs;
  double seconds_estimate = 0, seconds_score = 0;
};

// The comparison levels of records i and j.
std::array<int, kNumFields> CompareRecords(const PersonRecords& r, std::uint32_t i, std::uint32_t j,
                                           const FsOptions& options);
int PatternIndex(const std::array<int, kNumFields>& levels);

Result<FsResult> RunFellegiSunter(const PersonRecords& records, const FsOptions& options);

// Match probability of a match weight.
double MatchProbability(double weight);

}  // namespace das::link
