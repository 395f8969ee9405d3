// Pairwise precision, recall and F1 of person and case linkage against the generator's truth.
#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "das/link/link.h"
#include "das/store/store.h"
#include "hash.h"

namespace das::link {
namespace {

std::uint64_t Pairs(std::uint64_t k) { return k < 2 ? 0 : k * (k - 1) / 2; }

void Finish(PairScores& s) {
  s.precision = s.predicted_pairs == 0 ? 1.0 : static_cast<double>(s.correct_pairs) / static_cast<double>(s.predicted_pairs);
  s.recall = s.true_pairs == 0 ? 1.0 : static_cast<double>(s.correct_pairs) / static_cast<double>(s.true_pairs);
  s.f1 = s.precision + s.recall == 0 ? 0 : 2 * s.precision * s.recall / (s.precision + s.recall);
}

// One (predicted cluster, true cluster) per record; pairs are counted by sorting (no hash maps: 17 bytes a
// record, ten national years fit in a few hundred MB).
struct Scorer {
  struct Item {
    std::uint64_t pred, truth;
    bool has_bsn;
  };
  std::vector<Item> items;
  void Add(std::uint64_t p, std::uint64_t t, bool has_bsn) { items.push_back({p, t, has_bsn}); }
  // all: every pair; bsn: both records with BSN; no_bsn: at least one without.
  void Score(PairScores* all, PairScores* bsn, PairScores* no_bsn) {
    auto acc = [&](auto same, std::uint64_t PairScores::*field) {
      for (std::size_t s = 0; s < items.size();) {
        std::size_t e = s;
        std::uint64_t with = 0;
        while (e < items.size() && same(items[s], items[e])) with += items[e++].has_bsn ? 1 : 0;
        const std::uint64_t total = Pairs(e - s), both = Pairs(with);
        if (all != nullptr) all->*field += total;
        if (bsn != nullptr) bsn->*field += both;
        if (no_bsn != nullptr) no_bsn->*field += total - both;
        s = e;
      }
    };
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.pred < b.pred; });
    acc([](const Item& a, const Item& b) { return a.pred == b.pred; }, &PairScores::predicted_pairs);
    std::sort(items.begin(), items.end(),
              [](const Item& a, const Item& b) { return a.pred != b.pred ? a.pred < b.pred : a.truth < b.truth; });
    acc([](const Item& a, const Item& b) { return a.pred == b.pred && a.truth == b.truth; },
        &PairScores::correct_pairs);
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.truth < b.truth; });
    acc([](const Item& a, const Item& b) { return a.truth == b.truth; }, &PairScores::true_pairs);
    for (PairScores* s : {all, bsn, no_bsn}) {
      if (s != nullptr) Finish(*s);
    }
    std::vector<Item>().swap(items);
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
  // (dataset, key) -> links row: hashes sorted, the key compared on lookup (exact, no per-row strings).
  std::vector<std::uint8_t> ds_of(links.num_rows(), 0xFF);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> row_of;
  row_of.reserve(links.num_rows());
  const auto& specs = Datasets();
  for (std::size_t r = 0; r < links.num_rows(); ++r) {
    const DatasetSpec* spec = FindDataset(ds.GetString(r));
    if (spec == nullptr) continue;
    ds_of[r] = static_cast<std::uint8_t>(spec - specs.data());
    row_of.emplace_back(Mix64(HashText(key.GetString(r)) ^ ds_of[r]), static_cast<std::uint32_t>(r));
  }
  std::sort(row_of.begin(), row_of.end());
  auto find_row = [&](const DatasetSpec* spec, std::string_view k) -> std::uint32_t {
    const auto d = static_cast<std::uint8_t>(spec - specs.data());
    const std::uint64_t h = Mix64(HashText(k) ^ d);
    for (auto it = std::lower_bound(row_of.begin(), row_of.end(), std::pair<std::uint64_t, std::uint32_t>{h, 0});
         it != row_of.end() && it->first == h; ++it) {
      if (ds_of[it->second] == d && key.GetString(it->second) == k) return it->second;
    }
    return 0xFFFFFFFFu;
  };
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
    const std::uint32_t r = find_row(spec, f[1]);
    if (r == 0xFFFFFFFFu) continue;
    ++ev.matched_records;
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

Result<Evaluation> EvaluateStore(store::Store& store, const std::string& truth) {
  DAS_ASSIGN_OR_RETURN(Table links,
                       store.GetTable("links", {"dataset", "record_key", "chain_case_id", "person_id", "has_bsn"}));
  return Evaluate(links, truth);
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
