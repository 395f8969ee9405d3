// Pairwise precision, recall and F1 of person and case linkage against the generator's truth.
#include <cstdio>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "das/link/link.h"
#include "hash.h"

namespace das::link {
namespace {

std::uint64_t Pairs(std::uint64_t k) { return k < 2 ? 0 : k * (k - 1) / 2; }

void Finish(PairScores& s) {
  s.precision = s.predicted_pairs == 0 ? 1.0 : static_cast<double>(s.correct_pairs) / static_cast<double>(s.predicted_pairs);
  s.recall = s.true_pairs == 0 ? 1.0 : static_cast<double>(s.correct_pairs) / static_cast<double>(s.true_pairs);
  s.f1 = s.precision + s.recall == 0 ? 0 : 2 * s.precision * s.recall / (s.precision + s.recall);
}

// Counts of BSN and non-BSN records per cluster id.
struct Count2 {
  std::uint64_t bsn = 0, other = 0;
};

struct Scorer {
  std::unordered_map<std::uint64_t, Count2> pred, truth, both;
  void Add(std::uint64_t p, std::uint64_t t, bool has_bsn) {
    auto bump = [&](std::unordered_map<std::uint64_t, Count2>& m, std::uint64_t k) {
      Count2& c = m[k];
      (has_bsn ? c.bsn : c.other)++;
    };
    bump(pred, p);
    bump(truth, t);
    bump(both, Mix64(p) ^ (t * 0x9E3779B97F4A7C15ULL));
  }
  // all: every pair; bsn: both records with BSN; no_bsn: at least one without.
  void Score(PairScores* all, PairScores* bsn, PairScores* no_bsn) const {
    auto acc = [](const std::unordered_map<std::uint64_t, Count2>& m, std::uint64_t PairScores::*field, PairScores* a,
                  PairScores* b, PairScores* c) {
      for (const auto& [k, v] : m) {
        const std::uint64_t total = Pairs(v.bsn + v.other), with = Pairs(v.bsn);
        if (a != nullptr) a->*field += total;
        if (b != nullptr) b->*field += with;
        if (c != nullptr) c->*field += total - with;
      }
    };
    acc(pred, &PairScores::predicted_pairs, all, bsn, no_bsn);
    acc(truth, &PairScores::true_pairs, all, bsn, no_bsn);
    acc(both, &PairScores::correct_pairs, all, bsn, no_bsn);
    for (PairScores* s : {all, bsn, no_bsn}) {
      if (s != nullptr) Finish(*s);
    }
  }
};

std::vector<std::string_view> SplitCsvLine(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t s = 0;
  for (;;) {
    const std::size_t c = line.find(',', s);
    out.push_back(line.substr(s, c == std::string_view::npos ? std::string_view::npos : c - s));
    if (c == std::string_view::npos) break;
    s = c + 1;
  }
  return out;
}

}  // namespace

Result<Evaluation> Evaluate(const Table& links, const std::string& truth) {
  const int c_ds = links.Find("dataset"), c_key = links.Find("record_key"), c_chain = links.Find("chain_case_id"),
            c_person = links.Find("person_id"), c_bsn = links.Find("has_bsn");
  if (c_ds < 0 || c_key < 0 || c_chain < 0 || c_person < 0 || c_bsn < 0) {
    return Status::InvalidArgument(
        "evaluate: the links table needs columns dataset, record_key, chain_case_id, person_id, has_bsn");
  }
  const Column& ds = links.column(static_cast<std::size_t>(c_ds));
  const Column& key = links.column(static_cast<std::size_t>(c_key));
  const Column& chain = links.column(static_cast<std::size_t>(c_chain));
  const Column& person = links.column(static_cast<std::size_t>(c_person));
  const Column& bsn = links.column(static_cast<std::size_t>(c_bsn));
  // (short dataset, key) -> links row
  std::unordered_map<std::string, std::uint32_t> row_of;
  row_of.reserve(links.num_rows());
  for (std::size_t r = 0; r < links.num_rows(); ++r) {
    const DatasetSpec* spec = FindDataset(ds.GetString(r));
    if (spec == nullptr) continue;
    row_of.emplace(std::string(spec->short_name) + "\x1f" + std::string(key.GetString(r)), static_cast<std::uint32_t>(r));
  }
  Evaluation ev;
  Scorer persons, cases;
  std::size_t pos = 0;
  std::int64_t line_no = 0;
  std::uint64_t singleton = 1ULL << 63;  // ids for records without a predicted id: each its own cluster
  while (pos < truth.size()) {
    std::size_t end = truth.find('\n', pos);
    if (end == std::string::npos) end = truth.size();
    std::string_view line(truth.data() + pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto f = SplitCsvLine(line);
    if (line_no == 1) {
      if (f.size() < 4 || f[0] != "dataset" || f[1] != "key" || f[2] != "person_id" || f[3] != "chain_case_id") {
        return Status::ParseError("evaluate: records.csv: line 1: expected header dataset,key,person_id,chain_case_id");
      }
      continue;
    }
    if (f.size() != 4) {
      return Status::ParseError("evaluate: records.csv: line " + std::to_string(line_no) + ": expected 4 fields, got " +
                                std::to_string(f.size()));
    }
    ++ev.truth_records;
    const DatasetSpec* spec = FindDataset(f[0]);
    if (spec == nullptr) continue;
    auto it = row_of.find(std::string(spec->short_name) + "\x1f" + std::string(f[1]));
    if (it == row_of.end()) continue;
    ++ev.matched_records;
    const std::uint32_t r = it->second;
    const bool has_bsn = bsn.GetBool(r);
    if (!f[2].empty()) {
      const std::uint64_t p = person.IsNull(r) ? singleton++ : HashText(person.GetString(r));
      persons.Add(p, HashText(f[2]), has_bsn);
    }
    if (!f[3].empty()) {
      const std::uint64_t c = chain.IsNull(r) ? singleton++ : HashText(chain.GetString(r));
      cases.Add(c, HashText(f[3]), has_bsn);
    }
  }
  persons.Score(&ev.person_all, &ev.person_bsn, &ev.person_no_bsn);
  cases.Score(&ev.cases, nullptr, nullptr);
  return ev;
}

std::string Evaluation::ToJson() const {
  auto s = [](const PairScores& p) {
    return nlohmann::ordered_json{{"true_pairs", p.true_pairs},   {"predicted_pairs", p.predicted_pairs},
                                  {"correct_pairs", p.correct_pairs}, {"precision", p.precision},
                                  {"recall", p.recall},           {"f1", p.f1}};
  };
  nlohmann::ordered_json j;
  j["truth_records"] = truth_records;
  j["matched_records"] = matched_records;
  j["person"] = s(person_all);
  j["person_with_bsn"] = s(person_bsn);
  j["person_without_bsn"] = s(person_no_bsn);
  j["case"] = s(cases);
  return j.dump(2);
}

std::string Evaluation::ToText() const {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "evaluation: %llu truth records, %llu found in links\n",
                static_cast<unsigned long long>(truth_records), static_cast<unsigned long long>(matched_records));
  out += buf;
  auto line = [&](const char* what, const PairScores& p) {
    std::snprintf(buf, sizeof buf, "  %-22s precision %.4f  recall %.4f  F1 %.4f  (pairs: true %llu, predicted %llu)\n",
                  what, p.precision, p.recall, p.f1, static_cast<unsigned long long>(p.true_pairs),
                  static_cast<unsigned long long>(p.predicted_pairs));
    out += buf;
  };
  line("person (all)", person_all);
  line("person (with BSN)", person_bsn);
  line("person (without BSN)", person_no_bsn);
  line("case", cases);
  return out;
}

}  // namespace das::link
