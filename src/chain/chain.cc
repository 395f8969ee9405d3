// The chain model (see include/das/chain/chain.h and docs/chain-model.md).
//
// Shape of the computation: every source record of the ten chain datasets gets a global index (dataset order
// of das::link::Datasets(), then record key: its "rank"), its chain case and person from "links" (parsed to
// small ints), and small-vocabulary values (codes, regions) interned to ints. Cases and persons are vectors
// indexed by their number. Output rows are built from flat structs sorted by ints, then written as columns.
#include "das/chain/chain.h"

#include <algorithm>
#include <initializer_list>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <tuple>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "das/link/link.h"
#include "das/store/store.h"

namespace das::chain {
namespace {

constexpr std::uint32_t kNone = 0;
constexpr std::int32_t kNoDate = std::numeric_limits<std::int32_t>::min();
constexpr std::string_view kUnknown = "onbekend";

// Dataset indices, in the order of link::Datasets() (checked at run time).
enum Ds : std::uint8_t {
  kMisdrijven = 0,
  kVerdachten,
  kHaltDs,
  kOmDs,
  kRvdkDs,
  kUitspraken,
  kSancties,
  kCjibDs,
  kDjiDs,
  kReclasseringDs,
  kNumDs
};
constexpr std::array<const char*, kNumDs> kDsNames = {
    "politie_misdrijven", "politie_verdachten", "halt_verwijzingen", "om_zaken",
    "rvdk_strafonderzoeken", "rechtspraak_uitspraken", "rechtspraak_sancties", "cjib_inning",
    "dji_detenties", "reclassering_werkstraffen"};

// Interns short strings; id 0 is null.
class Dict {
 public:
  Dict() { values_.emplace_back(); }
  std::uint32_t Id(std::string_view v) {
    auto it = index_.find(v);
    if (it != index_.end()) return it->second;
    values_.emplace_back(v);
    const auto id = static_cast<std::uint32_t>(values_.size() - 1);
    index_.emplace(values_.back(), id);
    return id;
  }
  const std::string& Get(std::uint32_t id) const { return values_[id]; }

 private:
  std::deque<std::string> values_;  // stable addresses for the string_view keys
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

// Read access to a column that may be absent; empty / kNoDate / nullopt for null or absent.
class Col {
 public:
  Col() = default;
  Col(const Table& t, std::string_view name) {
    const int i = t.Find(name);
    if (i >= 0) c_ = &t.column(static_cast<std::size_t>(i));
  }
  bool present() const { return c_ != nullptr; }
  bool Null(std::size_t r) const { return c_ == nullptr || c_->IsNull(r); }
  std::string_view Str(std::size_t r) {
    if (Null(r)) return {};
    if (c_->type() == ColumnType::kString) return c_->GetString(r);
    buf_ = c_->ToText(r);
    return buf_;
  }
  std::int32_t Day(std::size_t r) const {
    if (Null(r) || c_->type() != ColumnType::kDate) return kNoDate;
    return c_->GetDate(r).days();
  }
  std::optional<std::int64_t> Int(std::size_t r) const {
    if (Null(r) || c_->type() != ColumnType::kInt64) return std::nullopt;
    return c_->GetInt(r);
  }
  std::optional<double> Num(std::size_t r) const {
    if (Null(r)) return std::nullopt;
    if (c_->type() == ColumnType::kDouble) return c_->GetDouble(r);
    if (c_->type() == ColumnType::kInt64) return static_cast<double>(c_->GetInt(r));
    return std::nullopt;
  }
  std::optional<bool> Bool(std::size_t r) const {
    if (Null(r) || c_->type() != ColumnType::kBool) return std::nullopt;
    return c_->GetBool(r);
  }

 private:
  const Column* c_ = nullptr;
  std::string buf_;
};

std::string IdText(char prefix, std::uint32_t n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%08u", prefix, n);
  return buf;
}

// "C00000012" -> 12; 0 for null or malformed.
std::uint32_t ParseId(std::string_view s, char prefix) {
  if (s.size() < 2 || s[0] != prefix) return kNone;
  std::uint64_t v = 0;
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return kNone;
    v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
    if (v > std::numeric_limits<std::uint32_t>::max() - 1) return kNone;
  }
  return static_cast<std::uint32_t>(v);
}

// Open-addressing index of string keys -> row (the keys are owned elsewhere).
class KeyIndex {
 public:
  explicit KeyIndex(std::function<std::string_view(std::uint32_t)> key) : key_(std::move(key)) {}
  void Build(std::uint32_t n) {
    std::size_t cap = 16;
    while (cap < 2 * static_cast<std::size_t>(n) + 2) cap <<= 1;
    slots_.assign(cap, kEmpty);
    mask_ = cap - 1;
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::string_view k = key_(i);
      std::size_t h = std::hash<std::string_view>{}(k) & mask_;
      while (slots_[h] != kEmpty) {
        if (key_(slots_[h]) == k) break;  // first occurrence wins
        h = (h + 1) & mask_;
      }
      if (slots_[h] == kEmpty) slots_[h] = i;
    }
  }
  // Row of `k`, or kEmpty.
  std::uint32_t Find(std::string_view k) const {
    if (slots_.empty()) return kEmpty;
    std::size_t h = std::hash<std::string_view>{}(k) & mask_;
    while (slots_[h] != kEmpty) {
      if (key_(slots_[h]) == k) return slots_[h];
      h = (h + 1) & mask_;
    }
    return kEmpty;
  }
  static constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();

 private:
  std::function<std::string_view(std::uint32_t)> key_;
  std::vector<std::uint32_t> slots_;
  std::size_t mask_ = 0;
};

// Harmonised outcomes for source codes that have no harmonised column (documented in docs/chain-model.md).
struct CodeMap {
  const char* code;
  const char* value;
};
constexpr CodeMap kHaltOutcome[] = {{"POSITIEF", "positief"}, {"NEGATIEF", "negatief"}, {"LOPEND", "lopend"}};
constexpr CodeMap kDjiExit[] = {{"EINDE", "einde"},
                                {"VI", "voorwaardelijke_invrijheidstelling"},
                                {"SCHORSING", "schorsing"},
                                {"OVERGANG", "overgang"}};
constexpr CodeMap kReclResult[] = {{"VOLTOOID", "voltooid"}, {"NIET_VOLTOOID", "niet_voltooid"}, {"LOPEND", "lopend"}};
constexpr CodeMap kReclProduct[] = {{"WS", "werkstraf"}, {"TZ", "toezicht"}};
constexpr CodeMap kRvdkAdvice[] = {{"TAAKSTRAF", "taakstraf"}, {"JD", "jeugddetentie"}, {"PIJ", "pij"}, {"GEEN", "geen"}};
constexpr CodeMap kRvdkKind[] = {{"VH", "vroeghulp"}, {"BRO", "basisraadsonderzoek"}, {"TS", "taakstraf_coordinatie"}};
constexpr CodeMap kCjibKind[] = {{"SBS", "strafbeschikking_om"},
                                 {"PSB", "politiestrafbeschikking"},
                                 {"BOETE", "geldboete_rechter"},
                                 {"TRNS", "transactie"}};

template <std::size_t N>
std::string_view MapCode(const CodeMap (&map)[N], std::string_view code) {
  if (code.empty()) return {};
  for (const CodeMap& m : map) {
    if (code == m.code) return m.value;
  }
  return kUnknown;
}


// One source record.
struct Rec {
  std::uint32_t row = 0;
  std::uint32_t chain = kNone;
  std::uint32_t person = kNone;
  std::uint32_t rank = 0;  // canonical order: dataset, then record key
  std::uint8_t ds = 0;
  bool placed = false;  // found in links
};

struct Region {
  std::uint32_t gemeente = 0, province = 0, police_unit = 0, arrondissement = 0;
  bool known() const { return gemeente != 0; }
};
struct Offence {
  std::uint32_t scm = 0, l1 = 0, l2 = 0;
  bool known() const { return scm != 0; }
};

// Per-case dimensions.
struct CaseDims {
  Region region;
  std::uint32_t region_basis = 0;  // offence, residence, onbekend
  Offence offence;
  std::uint32_t offence_source = 0;  // om, politie, halt, onbekend
  std::uint32_t age_group = 0;
  std::optional<std::int64_t> age;
  std::optional<bool> minor;
  std::uint32_t sex = 0;
};

struct Event {
  std::uint32_t chain;  // sort key (kNone -> last)
  std::int32_t date;
  Stage stage;
  std::uint32_t rank;
  std::uint32_t rec;
  std::uint32_t outcome;
  std::uint32_t outcome_code;
  bool primary;
};

struct Unit {
  UnitStage stage;
  std::uint32_t rec;
  std::int32_t entry;
  std::int32_t exit;
  std::uint32_t exit_type;
  std::uint32_t unit_type;
  std::uint32_t quality;
};

double Seconds(const Env& env, std::int64_t start_micros) {
  return static_cast<double>(env.clock->NowMicros() - start_micros) / 1e6;
}

std::uint32_t SortChain(std::uint32_t c) { return c == kNone ? std::numeric_limits<std::uint32_t>::max() : c; }

// Record indices in output order: by chain (records without a chain last), then by the record's rank.
void SortByChainThenRank(std::vector<std::uint32_t>* order, const std::vector<Rec>& recs) {
  std::sort(order->begin(), order->end(), [&](std::uint32_t a, std::uint32_t b) {
    const std::uint32_t ca = SortChain(recs[a].chain), cb = SortChain(recs[b].chain);
    return ca != cb ? ca < cb : recs[a].rank < recs[b].rank;
  });
}

// Empty output columns from (name, type) pairs, in order.
std::vector<Column> MakeColumns(std::initializer_list<std::pair<const char*, ColumnType>> spec) {
  std::vector<Column> c;
  c.reserve(spec.size());
  for (const auto& [n, ty] : spec) c.emplace_back(n, ty);
  return c;
}

// Output columns helpers.
void AppendStr(Column& c, std::string_view v) {
  if (v.empty()) c.AppendNull(); else c.AppendString(v);
}
void AppendDay(Column& c, std::int32_t d) {
  if (d == kNoDate) c.AppendNull(); else c.AppendDate(Date(d));
}
void AppendId(Column& c, char prefix, std::uint32_t id) {
  if (id == kNone) c.AppendNull(); else c.AppendString(IdText(prefix, id));
}

class Builder {
 public:
  Builder(store::Store* store, const ChainOptions& options, const Env& env)
      : store_(store), options_(options), env_(env) {}

  Result<Report> Run();

 private:
  Status Load();
  Result<Table> ReadColumns(int d, const std::string& name);
  Status Place();
  void Persons();
  void Cases();
  void BuildEvents();
  void BuildUnits();
  void Finish();
  Status Write();
  Status Put(const std::string& name, Table table, const std::string& meta = {});

  std::string_view Key(std::uint32_t g) const { return keys_[recs_[g].ds][recs_[g].row]; }
  std::uint32_t Global(int ds, std::size_t row) const { return offset_[ds] + static_cast<std::uint32_t>(row); }
  Region RegionOf(int ds, std::size_t row);
  Offence OffenceOf(int ds, std::size_t row);
  void AppendDims(std::vector<Column>* cols, const CaseDims* d, bool init);
  void Count(const std::string& table, const std::string& dataset, std::int64_t in, std::int64_t out,
             std::int64_t no_case, std::int64_t no_person);

  store::Store* store_;
  const ChainOptions& options_;
  const Env& env_;
  Report report_;
  Dict dict_;

  std::array<Table, kNumDs> tables_;
  std::array<std::array<Col, 4>, kNumDs> place_cols_;    // gemeente_2024, province, police_unit, arrondissement
  std::array<std::array<Col, 3>, kNumDs> offence_cols_;  // offence_scm, offence_scm_level1, offence_scm_level2
  std::array<std::vector<std::string_view>, kNumDs> keys_;
  std::vector<std::string> composite_keys_;  // storage of two-field keys (sanctions)
  std::array<std::uint32_t, kNumDs + 1> offset_{};
  std::vector<Rec> recs_;  // by global index
  std::vector<std::pair<std::uint32_t, std::uint32_t>> extra_crime_chains_;  // (rec, chain) from link_events
  std::uint32_t max_chain_ = 0, max_person_ = 0;

  // per chain (index = chain number)
  std::vector<std::uint32_t> chain_person_;
  std::vector<CaseDims> dims_;
  std::vector<bool> chain_exists_;
  // per person
  std::vector<std::uint32_t> person_sex_;
  std::vector<std::optional<std::int64_t>> person_birth_year_;
  std::vector<std::uint32_t> chain_sex_;  // majority sex of a chain's records (for chains without a person)

  std::vector<Event> events_;
  std::vector<Unit> units_;
  std::vector<std::int32_t> sanction_date_;  // per sanction row: judgment date of its case

  // per chain, from events and units (Finish)
  struct CaseState {
    std::int32_t first = kNoDate, last = kNoDate;
    Stage final_stage = Stage::kRegistered;
    bool any_event = false;
    std::uint32_t status = 0, status_reason = 0, person_kind = 0, records = 0;
  };
  std::vector<CaseState> case_state_;
};

Status Builder::Put(const std::string& name, Table table, const std::string& meta) {
  DAS_RETURN_IF_ERROR(table.Validate().WithContext(name));
  return store_->PutTable(name, table, meta);
}

void Builder::Count(const std::string& table, const std::string& dataset, std::int64_t in, std::int64_t out,
                    std::int64_t no_case, std::int64_t no_person) {
  report_.counts.push_back({table, dataset, in, out, no_case, no_person});
}

// The columns the chain model reads, per dataset (key fields are added); absent ones are absent columns.
const std::vector<std::string>& WantedColumns(int d) {
  static const std::string_view kCommon[] = {"sex_h", "birth_year", "age", "bsn_status", "suspect_kind",
                                             "gemeente_2024", "province", "police_unit", "arrondissement",
                                             "offence_scm", "offence_scm_level1", "offence_scm_level2"};
  static const std::array<std::vector<std::string_view>, kNumDs> kOwn = {{
      {"registration_date", "cleared", "clearance_date", "reported_by_victim"},
      {"registration_date", "police_disposal", "disposal_h", "disposal_date"},
      {"referral_date", "outcome", "outcome_date"},
      {"inflow_date", "decision", "decision_h", "decision_date", "zsm"},
      {"start_date", "end_date", "advice", "kind"},
      {"registration_date", "judgment_date", "judgment", "judgment_h", "judge_type_h"},
      {"sanction", "sanction_h", "sanction_h_level1", "amount", "unit", "suspended", "suspended_h"},
      {"kind", "registration_date", "status_date", "status_h", "status", "amount", "amount_collected",
       "status_h_level1"},
      {"title_h", "title", "entry_date", "exit_date", "exit_reason"},
      {"product", "start_date", "end_date", "result", "hours_imposed", "hours_done"},
  }};
  static const std::array<std::vector<std::string>, kNumDs> kAll = [] {
    std::array<std::vector<std::string>, kNumDs> all;
    for (std::size_t i = 0; i < kNumDs; ++i) {
      auto add = [&](std::string_view n) {
        if (std::find(all[i].begin(), all[i].end(), n) == all[i].end()) all[i].emplace_back(n);
      };
      for (const char* k : link::Datasets()[i].key) add(k);
      for (std::string_view n : kOwn[i]) add(n);
      for (std::string_view n : kCommon) add(n);
    }
    return all;
  }();
  return kAll[static_cast<std::size_t>(d)];
}

// Reads only the columns the model uses (the Bloom encodings and raw identifiers are never loaded). In one
// request when all exist (the normal, contract-shaped case), else column by column.
Result<Table> Builder::ReadColumns(int d, const std::string& name) {
  const std::vector<std::string>& wanted = WantedColumns(d);
  auto all = store_->GetTable(name, wanted);
  if (all.ok()) return std::move(*all);
  if (all.status().code() != StatusCode::kNotFound) return all.status();
  std::vector<Column> cols;
  for (const std::string& c : wanted) {
    auto one = store_->GetTable(name, {c});
    if (!one.ok()) {
      if (one.status().code() == StatusCode::kNotFound) continue;
      return one.status();
    }
    if (one->num_columns() == 1) cols.push_back(std::move(one->mutable_columns()[0]));
  }
  Table t(std::move(cols));
  DAS_RETURN_IF_ERROR(t.Validate().WithContext(name));
  return t;
}

Status Builder::Load() {
  const auto& specs = link::Datasets();
  if (specs.size() != kNumDs) return Status::Internal("chain: the linker's dataset list changed");
  for (int d = 0; d < kNumDs; ++d) {
    if (std::string_view(specs[static_cast<std::size_t>(d)].name) != kDsNames[static_cast<std::size_t>(d)]) {
      return Status::Internal(std::string("chain: dataset order of das_link changed at ") + kDsNames[static_cast<std::size_t>(d)]);
    }
    const std::string name = std::string("h_") + kDsNames[static_cast<std::size_t>(d)];
    DAS_ASSIGN_OR_RETURN(bool has, store_->HasTable(name));
    if (has) {
      DAS_ASSIGN_OR_RETURN(tables_[static_cast<std::size_t>(d)], ReadColumns(d, name));
    }
  }
  for (std::size_t d = 0; d < kNumDs; ++d) {
    const Table& t = tables_[d];
    place_cols_[d] = {Col(t, "gemeente_2024"), Col(t, "province"), Col(t, "police_unit"), Col(t, "arrondissement")};
    offence_cols_[d] = {Col(t, "offence_scm"), Col(t, "offence_scm_level1"), Col(t, "offence_scm_level2")};
  }
  DAS_ASSIGN_OR_RETURN(bool has_links, store_->HasTable("links"));
  if (!has_links) return Status::FailedPrecondition("chain: the store has no table 'links' (run 'das link' first)");

  // Record keys exactly as the linker forms them: key fields joined with '#'.
  std::size_t composite = 0;
  for (int d = 0; d < kNumDs; ++d) {
    const auto du = static_cast<std::size_t>(d);
    const int k0 = tables_[du].Find(specs[du].key[0]);
    if (specs[du].key.size() > 1 || (k0 >= 0 && tables_[du].column(static_cast<std::size_t>(k0)).type() != ColumnType::kString)) {
      composite += tables_[du].num_rows();
    }
  }
  composite_keys_.reserve(composite);
  for (int d = 0; d < kNumDs; ++d) {
    const auto du = static_cast<std::size_t>(d);
    const Table& t = tables_[du];
    const auto& key_fields = specs[du].key;
    std::vector<Col> kc;
    for (const char* f : key_fields) {
      if (t.num_rows() > 0 && t.Find(f) < 0) {
        return Status::FailedPrecondition("chain: table h_" + std::string(kDsNames[du]) + " has no key column '" + f + "'");
      }
      kc.emplace_back(t, f);
    }
    keys_[du].reserve(t.num_rows());
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      if (kc.size() == 1) {
        keys_[du].push_back(kc[0].Str(r));  // string column: a view into the table
        if (t.column(static_cast<std::size_t>(t.Find(key_fields[0]))).type() != ColumnType::kString) {
          composite_keys_.emplace_back(keys_[du].back());
          keys_[du].back() = composite_keys_.back();
        }
      } else {
        std::string k;
        for (std::size_t i = 0; i < kc.size(); ++i) {
          if (i) k += '#';
          k += kc[i].Str(r);
        }
        composite_keys_.push_back(std::move(k));
        keys_[du].push_back(composite_keys_.back());
      }
    }
    offset_[du + 1] = offset_[du] + static_cast<std::uint32_t>(t.num_rows());
  }
  if (composite_keys_.size() > composite_keys_.capacity()) return Status::Internal("chain: key storage moved");
  recs_.resize(offset_[kNumDs]);
  for (int d = 0; d < kNumDs; ++d) {
    const auto du = static_cast<std::size_t>(d);
    std::vector<std::uint32_t> order(tables_[du].num_rows());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (keys_[du][a] != keys_[du][b]) return keys_[du][a] < keys_[du][b];
      return a < b;
    });
    for (std::uint32_t i = 0; i < order.size(); ++i) {
      Rec& rc = recs_[offset_[du] + order[i]];
      rc.row = order[i];
      rc.ds = static_cast<std::uint8_t>(d);
      rc.rank = offset_[du] + i;
    }
  }
  report_.records = static_cast<std::int64_t>(recs_.size());
  return Status::Ok();
}

Status Builder::Place() {
  DAS_ASSIGN_OR_RETURN(Table links, store_->GetTable("links", {"dataset", "record_key", "chain_case_id", "person_id"}));
  Col l_ds(links, "dataset"), l_key(links, "record_key"), l_chain(links, "chain_case_id"), l_person(links, "person_id");
  if (!l_ds.present() || !l_key.present() || !l_chain.present() || !l_person.present()) {
    return Status::FailedPrecondition("chain: table 'links' lacks dataset, record_key, chain_case_id or person_id");
  }
  std::vector<KeyIndex> indexes;
  indexes.reserve(kNumDs);
  for (std::size_t du = 0; du < kNumDs; ++du) {
    indexes.emplace_back([this, du](std::uint32_t i) { return keys_[du][i]; });
    indexes.back().Build(static_cast<std::uint32_t>(keys_[du].size()));
  }
  for (std::size_t r = 0; r < links.num_rows(); ++r) {
    const std::string_view ds = l_ds.Str(r);
    int d = 0;
    while (d < kNumDs && ds != kDsNames[static_cast<std::size_t>(d)]) ++d;
    if (d == kNumDs) continue;
    const std::uint32_t row = indexes[static_cast<std::size_t>(d)].Find(l_key.Str(r));
    if (row == KeyIndex::kEmpty) continue;  // a record of links not in h_ (stale tables): nothing to place
    Rec& rc = recs_[Global(d, row)];
    rc.placed = true;
    rc.chain = ParseId(l_chain.Str(r), 'C');
    rc.person = ParseId(l_person.Str(r), 'P');
    max_chain_ = std::max(max_chain_, rc.chain);
    max_person_ = std::max(max_person_, rc.person);
  }
  for (const Rec& rc : recs_) {
    if (!rc.placed) ++report_.unplaced;
  }

  // Crimes with several suspects are events of every suspect's chain (link_events).
  DAS_ASSIGN_OR_RETURN(bool has_events, store_->HasTable("link_events"));
  if (has_events) {
    DAS_ASSIGN_OR_RETURN(Table le, store_->GetTable("link_events", {"chain_case_id", "dataset", "record_key"}));
    Col e_chain(le, "chain_case_id"), e_ds(le, "dataset"), e_key(le, "record_key");
    for (std::size_t r = 0; r < le.num_rows(); ++r) {
      if (e_ds.Str(r) != kDsNames[kMisdrijven]) continue;
      const std::uint32_t row = indexes[kMisdrijven].Find(e_key.Str(r));
      if (row == KeyIndex::kEmpty) continue;
      const std::uint32_t g = Global(kMisdrijven, row);
      const std::uint32_t chain = ParseId(e_chain.Str(r), 'C');
      if (chain == kNone || chain == recs_[g].chain) continue;
      extra_crime_chains_.push_back({g, chain});
      max_chain_ = std::max(max_chain_, chain);
    }
    std::sort(extra_crime_chains_.begin(), extra_crime_chains_.end());
    extra_crime_chains_.erase(std::unique(extra_crime_chains_.begin(), extra_crime_chains_.end()),
                              extra_crime_chains_.end());
  }
  chain_person_.assign(max_chain_ + 1, kNone);
  chain_exists_.assign(max_chain_ + 1, false);
  for (const Rec& rc : recs_) {
    if (rc.chain == kNone) continue;
    chain_exists_[rc.chain] = true;
    if (rc.person != kNone && chain_person_[rc.chain] == kNone) chain_person_[rc.chain] = rc.person;
  }
  for (const auto& [g, chain] : extra_crime_chains_) chain_exists_[chain] = true;
  return Status::Ok();
}

Region Builder::RegionOf(int ds, std::size_t row) {
  auto& c = place_cols_[static_cast<std::size_t>(ds)];
  const std::string_view gv = c[0].Str(row);
  Region r;
  if (gv.empty() || gv == kUnknown) return r;
  r.gemeente = dict_.Id(gv);
  r.province = dict_.Id(c[1].Str(row));
  r.police_unit = dict_.Id(c[2].Str(row));
  r.arrondissement = dict_.Id(c[3].Str(row));
  return r;
}

Offence Builder::OffenceOf(int ds, std::size_t row) {
  auto& c = offence_cols_[static_cast<std::size_t>(ds)];
  const std::string_view sv = c[0].Str(row);
  Offence o;
  if (sv.empty() || sv == kUnknown) return o;
  o.scm = dict_.Id(sv);
  const std::string_view l1 = c[1].Str(row);
  o.l1 = dict_.Id(l1.empty() ? sv : l1);
  const std::string_view l2 = c[2].Str(row);
  o.l2 = dict_.Id(l2.empty() ? sv : l2);
  return o;
}

Result<Report> Builder::Run() {
  const std::int64_t start = env_.clock->NowMicros();
  if (options_.age_groups == nullptr) return Status::InvalidArgument("chain: ChainOptions.age_groups is required");
  std::int64_t mark = start;
  auto phase = [&](const char* name) {
    const std::int64_t now = env_.clock->NowMicros();
    report_.phase_seconds.emplace_back(name, static_cast<double>(now - mark) / 1e6);
    mark = now;
  };
  DAS_RETURN_IF_ERROR(Load());
  phase("load");
  DAS_RETURN_IF_ERROR(Place());
  phase("place");
  if (options_.horizon) {
    report_.horizon = *options_.horizon;
  } else {
    std::int32_t h = kNoDate;
    for (const char* ds : kDsNames) {
      DAS_ASSIGN_OR_RETURN(auto deliveries, store_->ListDeliveries(ds));
      for (const auto& d : deliveries) {
        if (d.status != "accepted") continue;
        auto day = ParseDate(d.delivered_on, DateFormat::kIso);
        if (day.ok()) h = std::max(h, day->days());
      }
    }
    report_.horizon = Date(h == kNoDate ? 0 : h);
  }
  Persons();
  Cases();
  phase("persons_cases");
  BuildEvents();
  BuildUnits();
  Finish();
  phase("events_units");
  DAS_RETURN_IF_ERROR(Write());
  phase("write");
  report_.seconds = Seconds(env_, start);
  return report_;
}

// Person attributes: sex and birth year by majority over the person's records (ties: the latest record).
void Builder::Persons() {
  person_sex_.assign(max_person_ + 1, 0);
  person_birth_year_.assign(max_person_ + 1, std::nullopt);
  struct Vote {
    std::uint32_t person;
    std::int64_t value;
    std::int32_t date;
    std::uint32_t rank;
  };
  std::vector<Vote> sex_votes, year_votes, chain_votes;  // chain_votes: sex of the records of a chain
  const auto& specs = link::Datasets();
  for (int d = 0; d < kNumDs; ++d) {
    const auto du = static_cast<std::size_t>(d);
    const Table& t = tables_[du];
    Col sex(t, "sex_h"), year(t, "birth_year"), date(t, *specs[du].date_field ? specs[du].date_field : "-");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const Rec& rc = recs_[Global(d, r)];
      const std::string_view s = sex.Str(r);
      const bool known_sex = s == "man" || s == "vrouw";
      if (known_sex && rc.chain != kNone) chain_votes.push_back({rc.chain, dict_.Id(s), date.Day(r), rc.rank});
      if (rc.person == kNone) continue;
      if (known_sex) sex_votes.push_back({rc.person, dict_.Id(s), date.Day(r), rc.rank});
      if (auto y = year.Int(r)) year_votes.push_back({rc.person, *y, date.Day(r), rc.rank});
    }
  }
  auto decide = [](std::vector<Vote>& votes, auto&& set) {
    std::sort(votes.begin(), votes.end(), [](const Vote& a, const Vote& b) {
      if (a.person != b.person) return a.person < b.person;
      if (a.value != b.value) return a.value < b.value;
      if (a.date != b.date) return a.date < b.date;
      return a.rank < b.rank;
    });
    std::size_t i = 0;
    while (i < votes.size()) {
      const std::uint32_t p = votes[i].person;
      std::int64_t best = 0;
      std::size_t best_n = 0;
      std::pair<std::int32_t, std::uint32_t> best_latest{kNoDate, 0};
      while (i < votes.size() && votes[i].person == p) {
        std::size_t j = i;
        while (j < votes.size() && votes[j].person == p && votes[j].value == votes[i].value) ++j;
        const std::size_t n = j - i;
        const std::pair<std::int32_t, std::uint32_t> latest{votes[j - 1].date, votes[j - 1].rank};
        if (n > best_n || (n == best_n && latest > best_latest)) {
          best = votes[i].value;
          best_n = n;
          best_latest = latest;
        }
        i = j;
      }
      set(p, best);
    }
  };
  decide(sex_votes, [&](std::uint32_t p, std::int64_t v) { person_sex_[p] = static_cast<std::uint32_t>(v); });
  decide(year_votes, [&](std::uint32_t p, std::int64_t v) { person_birth_year_[p] = v; });
  chain_sex_.assign(max_chain_ + 1, 0);
  decide(chain_votes, [&](std::uint32_t c, std::int64_t v) { chain_sex_[c] = static_cast<std::uint32_t>(v); });
}

// Case dimensions: offence (OM law article > police crime class > Halt class), place (offence place, else
// residence), age at the first event and its group, sex of the person.
void Builder::Cases() {
  dims_.assign(max_chain_ + 1, CaseDims{});
  const auto& specs = link::Datasets();
  const std::uint32_t unknown = dict_.Id(kUnknown);
  // The offence and the place, by priority of source.
  std::vector<std::uint8_t> offence_prio(max_chain_ + 1, 0), region_prio(max_chain_ + 1, 0);
  std::vector<std::pair<std::int32_t, std::uint32_t>> offence_order(max_chain_ + 1, {kNoDate, 0}),
      region_order(max_chain_ + 1, {kNoDate, 0});
  // Earlier (date, rank) wins within a priority; a null date sorts last.
  auto earlier = [](std::pair<std::int32_t, std::uint32_t> a, std::pair<std::int32_t, std::uint32_t> b) {
    const std::int64_t da = a.first == kNoDate ? std::numeric_limits<std::int64_t>::max() : a.first;
    const std::int64_t db = b.first == kNoDate ? std::numeric_limits<std::int64_t>::max() : b.first;
    return da != db ? da < db : a.second < b.second;
  };
  auto consider = [&](std::uint32_t chain, int d, std::size_t r, std::uint8_t oprio, std::uint8_t rprio,
                      std::int32_t date, std::uint32_t rank) {
    if (chain == kNone) return;
    if (oprio > 0) {
      const Offence o = OffenceOf(d, r);
      if (o.known() && (oprio > offence_prio[chain] ||
                        (oprio == offence_prio[chain] && earlier({date, rank}, offence_order[chain])))) {
        offence_prio[chain] = oprio;
        offence_order[chain] = {date, rank};
        dims_[chain].offence = o;
        dims_[chain].offence_source = dict_.Id(d == kOmDs ? "om" : d == kMisdrijven ? "politie" : "halt");
      }
    }
    if (rprio > 0) {
      const Region g = RegionOf(d, r);
      if (g.known() && (rprio > region_prio[chain] ||
                        (rprio == region_prio[chain] && earlier({date, rank}, region_order[chain])))) {
        region_prio[chain] = rprio;
        region_order[chain] = {date, rank};
        dims_[chain].region = g;
        dims_[chain].region_basis = dict_.Id(rprio == 4 ? "offence" : "residence");
      }
    }
  };
  // priorities: offence om 3 > politie 2 > halt 1; region: crime place 4 > residence om 3 > suspect 2 > halt 1.
  {
    Col date(tables_[kMisdrijven], "registration_date");
    for (std::size_t r = 0; r < tables_[kMisdrijven].num_rows(); ++r) {
      const Rec& rc = recs_[Global(kMisdrijven, r)];
      consider(rc.chain, kMisdrijven, r, 2, 4, date.Day(r), rc.rank);
    }
    for (const auto& [g, chain] : extra_crime_chains_) {
      consider(chain, kMisdrijven, recs_[g].row, 2, 4, date.Day(recs_[g].row), recs_[g].rank);
    }
  }
  for (auto [d, oprio, rprio] : {std::tuple<int, std::uint8_t, std::uint8_t>{kOmDs, 3, 3}, {kVerdachten, 0, 2},
                                 {kHaltDs, 1, 1}}) {
    Col date(tables_[static_cast<std::size_t>(d)], specs[static_cast<std::size_t>(d)].date_field);
    for (std::size_t r = 0; r < tables_[static_cast<std::size_t>(d)].num_rows(); ++r) {
      const Rec& rc = recs_[Global(d, r)];
      consider(rc.chain, d, r, oprio, rprio, date.Day(r), rc.rank);
    }
  }
  for (std::uint32_t c = 1; c <= max_chain_; ++c) {
    CaseDims& dm = dims_[c];
    if (dm.offence_source == 0) {
      dm.offence_source = unknown;
      dm.offence = {unknown, unknown, unknown};
    }
    if (dm.region_basis == 0) {
      dm.region_basis = unknown;
      dm.region = {unknown, unknown, unknown, unknown};
    }
    // The person's sex; for a chain without a person (no BSN or encodings) the majority of its records.
    const std::uint32_t p = chain_person_[c];
    dm.sex = p != kNone && person_sex_[p] ? person_sex_[p] : (chain_sex_[c] ? chain_sex_[c] : unknown);
    dm.age_group = unknown;
  }
}

void Builder::BuildEvents() {
  const std::uint32_t unknown = dict_.Id(kUnknown);
  auto code = [&](std::string_view v) { return v.empty() ? 0u : dict_.Id(v); };
  auto add = [&](std::uint32_t g, Stage st, std::int32_t date, std::string_view outcome, std::string_view source_code,
                 std::uint32_t chain, bool primary) {
    events_.push_back({chain, date, st, recs_[g].rank, g, code(outcome), code(source_code), primary});
  };
  auto add_rec = [&](std::uint32_t g, Stage st, std::int32_t date, std::string_view outcome, std::string_view sc) {
    add(g, st, date, outcome, sc, recs_[g].chain, true);
  };
  (void)unknown;
  {  // registered crimes
    const Table& t = tables_[kMisdrijven];
    Col reg(t, "registration_date"), cleared(t, "cleared"), cdate(t, "clearance_date");
    auto crime_events = [&](std::uint32_t g, std::uint32_t chain, bool primary) {
      const std::size_t r = recs_[g].row;
      add(g, Stage::kRegistered, reg.Day(r), {}, {}, chain, primary);
      if (cleared.Bool(r).value_or(false) || cdate.Day(r) != kNoDate) {
        add(g, Stage::kCleared, cdate.Day(r), "opgehelderd", cleared.Str(r), chain, primary);
      }
    };
    for (std::size_t r = 0; r < t.num_rows(); ++r) crime_events(Global(kMisdrijven, r), recs_[Global(kMisdrijven, r)].chain, true);
    for (const auto& [g, chain] : extra_crime_chains_) crime_events(g, chain, false);
  }
  {
    const Table& t = tables_[kVerdachten];
    Col reg(t, "registration_date"), disp(t, "police_disposal"), disp_h(t, "disposal_h"), ddate(t, "disposal_date");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::uint32_t g = Global(kVerdachten, r);
      add_rec(g, Stage::kSuspectRegistered, reg.Day(r), {}, {});
      if (!disp.Null(r) || ddate.Day(r) != kNoDate) add_rec(g, Stage::kPoliceDisposal, ddate.Day(r), disp_h.Str(r), disp.Str(r));
    }
  }
  {
    const Table& t = tables_[kHaltDs];
    Col ref(t, "referral_date"), out(t, "outcome"), odate(t, "outcome_date");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::uint32_t g = Global(kHaltDs, r);
      add_rec(g, Stage::kHaltReferral, ref.Day(r), {}, {});
      const std::string_view o = out.Str(r);
      if (odate.Day(r) != kNoDate || (!o.empty() && o != "LOPEND")) add_rec(g, Stage::kHaltEnd, odate.Day(r), MapCode(kHaltOutcome, o), o);
    }
  }
  {
    const Table& t = tables_[kOmDs];
    Col in(t, "inflow_date"), dec(t, "decision"), dec_h(t, "decision_h"), ddate(t, "decision_date");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::uint32_t g = Global(kOmDs, r);
      add_rec(g, Stage::kOmInflow, in.Day(r), {}, {});
      if (!dec.Null(r) || ddate.Day(r) != kNoDate) add_rec(g, Stage::kOmDecision, ddate.Day(r), dec_h.Str(r), dec.Str(r));
    }
  }
  {
    const Table& t = tables_[kRvdkDs];
    Col start(t, "start_date"), end(t, "end_date"), adv(t, "advice");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::uint32_t g = Global(kRvdkDs, r);
      add_rec(g, Stage::kRvdkStart, start.Day(r), {}, {});
      if (end.Day(r) != kNoDate || !adv.Null(r)) add_rec(g, Stage::kRvdkEnd, end.Day(r), MapCode(kRvdkAdvice, adv.Str(r)), adv.Str(r));
    }
  }
  {
    const Table& t = tables_[kUitspraken];
    Col reg(t, "registration_date"), jd(t, "judgment_date"), j(t, "judgment"), jh(t, "judgment_h");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::uint32_t g = Global(kUitspraken, r);
      add_rec(g, Stage::kCourtInflow, reg.Day(r), {}, {});
      if (jd.Day(r) != kNoDate || !j.Null(r)) add_rec(g, Stage::kJudgment, jd.Day(r), jh.Str(r), j.Str(r));
    }
  }
  {  // sanctions: dated by the judgment of their case
    const Table& t = tables_[kSancties];
    const Table& u = tables_[kUitspraken];
    Col ucase(u, "case_number"), ujd(u, "judgment_date");
    KeyIndex index([&](std::uint32_t i) { return keys_[kUitspraken][i]; });
    index.Build(static_cast<std::uint32_t>(keys_[kUitspraken].size()));
    Col scase(t, "case_number"), s(t, "sanction"), sh(t, "sanction_h");
    sanction_date_.assign(t.num_rows(), kNoDate);
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::uint32_t g = Global(kSancties, r);
      const std::uint32_t urow = index.Find(scase.Str(r));
      if (urow != KeyIndex::kEmpty) sanction_date_[r] = ujd.Day(urow);
      add_rec(g, Stage::kSanctionImposed, sanction_date_[r], sh.Str(r), s.Str(r));
    }
  }
  {
    const Table& t = tables_[kCjibDs];
    Col reg(t, "registration_date"), st(t, "status"), sth(t, "status_h"), stl1(t, "status_h_level1"), sd(t, "status_date");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::uint32_t g = Global(kCjibDs, r);
      add_rec(g, Stage::kCjibRegistered, reg.Day(r), {}, {});
      if (stl1.Str(r) == "afgesloten") add_rec(g, Stage::kCjibSettled, sd.Day(r), sth.Str(r), st.Str(r));
    }
  }
  {
    const Table& t = tables_[kDjiDs];
    Col in(t, "entry_date"), out(t, "exit_date"), reason(t, "exit_reason"), title(t, "title"), title_h(t, "title_h");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::uint32_t g = Global(kDjiDs, r);
      add_rec(g, Stage::kDjiEntry, in.Day(r), title_h.Str(r), title.Str(r));
      if (out.Day(r) != kNoDate || !reason.Null(r)) add_rec(g, Stage::kDjiExit, out.Day(r), MapCode(kDjiExit, reason.Str(r)), reason.Str(r));
    }
  }
  {
    const Table& t = tables_[kReclasseringDs];
    Col start(t, "start_date"), end(t, "end_date"), res(t, "result"), prod(t, "product");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::uint32_t g = Global(kReclasseringDs, r);
      add_rec(g, Stage::kReclasseringStart, start.Day(r), MapCode(kReclProduct, prod.Str(r)), prod.Str(r));
      const std::string_view o = res.Str(r);
      if (end.Day(r) != kNoDate || (!o.empty() && o != "LOPEND")) add_rec(g, Stage::kReclasseringEnd, end.Day(r), MapCode(kReclResult, o), o);
    }
  }
  std::sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
    const std::uint32_t ca = SortChain(a.chain), cb = SortChain(b.chain);
    if (ca != cb) return ca < cb;
    const std::int64_t da = a.date == kNoDate ? std::numeric_limits<std::int64_t>::max() : a.date;
    const std::int64_t db = b.date == kNoDate ? std::numeric_limits<std::int64_t>::max() : b.date;
    if (da != db) return da < db;
    if (a.stage != b.stage) return a.stage < b.stage;
    return a.rank < b.rank;
  });
}

void Builder::BuildUnits() {
  auto code = [&](std::string_view v) { return v.empty() ? 0u : dict_.Id(v); };
  const std::uint32_t exit_before_entry = dict_.Id("exit_before_entry"), no_entry = dict_.Id("no_entry_date"),
                      exit_no_date = dict_.Id("exit_without_date");
  auto add = [&](UnitStage st, int d, std::size_t r, std::int32_t entry, std::int32_t exit, bool exited,
                 std::string_view exit_type, std::string_view unit_type) {
    Unit u{st, Global(d, r), entry, exit, 0, code(unit_type), 0};
    if (!exited) {
      u.exit = kNoDate;
    } else if (exit == kNoDate) {
      u.quality = exit_no_date;  // an end is known but not when: the unit stays open
    } else {
      u.exit_type = code(exit_type.empty() ? kUnknown : exit_type);
      if (entry != kNoDate && exit < entry) {
        u.exit = entry;
        u.quality = exit_before_entry;
        ++report_.exit_before_entry;
      }
    }
    if (entry == kNoDate) u.quality = no_entry;
    units_.push_back(u);
  };
  {
    const Table& t = tables_[kMisdrijven];
    Col reg(t, "registration_date"), cleared(t, "cleared"), cdate(t, "clearance_date"), victim(t, "reported_by_victim");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const bool exited = cleared.Bool(r).value_or(false) || cdate.Day(r) != kNoDate;
      const auto v = victim.Bool(r);
      add(UnitStage::kPoliceRegistration, kMisdrijven, r, reg.Day(r), cdate.Day(r), exited, "opgehelderd",
          v ? (*v ? "aangifte" : "politie") : "");
    }
  }
  {
    const Table& t = tables_[kVerdachten];
    Col reg(t, "registration_date"), disp(t, "police_disposal"), disp_h(t, "disposal_h"), ddate(t, "disposal_date"),
        kind(t, "suspect_kind");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      add(UnitStage::kPoliceSuspect, kVerdachten, r, reg.Day(r), ddate.Day(r), !disp.Null(r) || ddate.Day(r) != kNoDate,
          disp_h.Str(r), kind.Str(r));
    }
  }
  {
    const Table& t = tables_[kHaltDs];
    Col ref(t, "referral_date"), out(t, "outcome"), odate(t, "outcome_date");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::string_view o = out.Str(r);
      add(UnitStage::kHalt, kHaltDs, r, ref.Day(r), odate.Day(r), odate.Day(r) != kNoDate || (!o.empty() && o != "LOPEND"),
          MapCode(kHaltOutcome, o), "");
    }
  }
  {
    const Table& t = tables_[kOmDs];
    Col in(t, "inflow_date"), dec(t, "decision"), dec_h(t, "decision_h"), ddate(t, "decision_date"), zsm(t, "zsm");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const auto z = zsm.Bool(r);
      add(UnitStage::kOm, kOmDs, r, in.Day(r), ddate.Day(r), !dec.Null(r) || ddate.Day(r) != kNoDate, dec_h.Str(r),
          z ? (*z ? "zsm" : "regulier") : "");
    }
  }
  {
    const Table& t = tables_[kRvdkDs];
    Col start(t, "start_date"), end(t, "end_date"), adv(t, "advice"), kind(t, "kind");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      add(UnitStage::kRvdk, kRvdkDs, r, start.Day(r), end.Day(r), end.Day(r) != kNoDate || !adv.Null(r),
          MapCode(kRvdkAdvice, adv.Str(r)), MapCode(kRvdkKind, kind.Str(r)));
    }
  }
  {
    const Table& t = tables_[kUitspraken];
    Col reg(t, "registration_date"), jd(t, "judgment_date"), j(t, "judgment"), jh(t, "judgment_h"), judge(t, "judge_type_h");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      add(UnitStage::kCourt, kUitspraken, r, reg.Day(r), jd.Day(r), jd.Day(r) != kNoDate || !j.Null(r), jh.Str(r),
          judge.Str(r));
    }
  }
  {
    const Table& t = tables_[kCjibDs];
    Col reg(t, "registration_date"), sth(t, "status_h"), stl1(t, "status_h_level1"), sd(t, "status_date"), kind(t, "kind");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      add(UnitStage::kCjib, kCjibDs, r, reg.Day(r), sd.Day(r), stl1.Str(r) == "afgesloten", sth.Str(r),
          MapCode(kCjibKind, kind.Str(r)));
    }
  }
  {
    const Table& t = tables_[kDjiDs];
    Col in(t, "entry_date"), out(t, "exit_date"), reason(t, "exit_reason"), title_h(t, "title_h");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      add(UnitStage::kDji, kDjiDs, r, in.Day(r), out.Day(r), out.Day(r) != kNoDate || !reason.Null(r),
          MapCode(kDjiExit, reason.Str(r)), title_h.Str(r));
    }
  }
  {
    const Table& t = tables_[kReclasseringDs];
    Col start(t, "start_date"), end(t, "end_date"), res(t, "result"), prod(t, "product");
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      const std::string_view o = res.Str(r);
      add(UnitStage::kReclassering, kReclasseringDs, r, start.Day(r), end.Day(r),
          end.Day(r) != kNoDate || (!o.empty() && o != "LOPEND"), MapCode(kReclResult, o), MapCode(kReclProduct, prod.Str(r)));
    }
  }
  std::sort(units_.begin(), units_.end(), [&](const Unit& a, const Unit& b) {
    if (a.stage != b.stage) return a.stage < b.stage;
    return recs_[a.rec].rank < recs_[b.rec].rank;
  });
}

// Dimension columns shared by the unit, sanction and execution tables.
const char* const kDimNames[] = {"gemeente_2024", "province", "police_unit", "arrondissement", "region_basis",
                                 "offence_scm", "scm_level1", "scm_level2", "scm_level3", "age_group", "minor", "sex"};

void Builder::AppendDims(std::vector<Column>* cols, const CaseDims* d, bool init) {
  if (init) {
    for (const char* n : kDimNames) cols->emplace_back(n, std::string_view(n) == "minor" ? ColumnType::kBool : ColumnType::kString);
    return;
  }
  const std::size_t base = cols->size() - std::size(kDimNames);
  auto s = [&](std::size_t i, std::uint32_t id) { AppendStr((*cols)[base + i], d ? dict_.Get(id) : std::string_view()); };
  if (d == nullptr) {
    for (std::size_t i = 0; i < std::size(kDimNames); ++i) (*cols)[base + i].AppendNull();
    return;
  }
  s(0, d->region.gemeente);
  s(1, d->region.province);
  s(2, d->region.police_unit);
  s(3, d->region.arrondissement);
  s(4, d->region_basis);
  s(5, d->offence.scm);
  s(6, d->offence.l1);
  s(7, d->offence.l2);
  s(8, d->offence.scm);
  s(9, d->age_group);
  if (d->minor) (*cols)[base + 10].AppendBool(*d->minor); else (*cols)[base + 10].AppendNull();
  s(11, d->sex);
}

// How far into the chain a stage lies, for final_stage: Halt with the police, the Raad with the OM, the
// execution stages after the sanction (the event vocabulary's flow order puts Halt and Raad last).
int Depth(Stage s) {
  switch (s) {
    case Stage::kRegistered: return 1;
    case Stage::kCleared: return 2;
    case Stage::kSuspectRegistered: return 3;
    case Stage::kPoliceDisposal: return 4;
    case Stage::kHaltReferral: return 5;
    case Stage::kHaltEnd: return 6;
    case Stage::kOmInflow: return 7;
    case Stage::kRvdkStart: return 8;
    case Stage::kRvdkEnd: return 9;
    case Stage::kOmDecision: return 10;
    case Stage::kCourtInflow: return 11;
    case Stage::kJudgment: return 12;
    case Stage::kSanctionImposed: return 13;
    case Stage::kCjibRegistered: return 14;
    case Stage::kCjibSettled: return 15;
    case Stage::kDjiEntry: return 16;
    case Stage::kDjiExit: return 17;
    case Stage::kReclasseringStart: return 18;
    case Stage::kReclasseringEnd: return 19;
  }
  return 0;
}

void Builder::Finish() {
  const std::uint32_t unknown = dict_.Id(kUnknown);
  case_state_.assign(max_chain_ + 1, CaseState{});
  for (const Event& e : events_) {
    if (e.chain == kNone) continue;
    CaseState& cs = case_state_[e.chain];
    if (e.primary || recs_[e.rec].ds == kMisdrijven) {
      if (!cs.any_event || Depth(e.stage) > Depth(cs.final_stage)) cs.final_stage = e.stage;
      cs.any_event = true;
    }
    if (e.date == kNoDate) continue;
    if (cs.first == kNoDate || e.date < cs.first) cs.first = e.date;
    if (cs.last == kNoDate || e.date > cs.last) cs.last = e.date;
  }
  for (const Rec& rc : recs_) {
    if (rc.chain != kNone) ++case_state_[rc.chain].records;
  }
  for (const auto& [g, chain] : extra_crime_chains_) ++case_state_[chain].records;

  // Age at the first event: from the record with an age nearest the start, else the person's birth year.
  const auto& specs = link::Datasets();
  std::vector<std::tuple<std::int32_t, std::uint32_t, std::int64_t>> age_src(max_chain_ + 1, {kNoDate, 0, -1});
  for (int d : {static_cast<int>(kVerdachten), static_cast<int>(kHaltDs), static_cast<int>(kOmDs),
                static_cast<int>(kRvdkDs), static_cast<int>(kDjiDs)}) {
    const auto du = static_cast<std::size_t>(d);
    Col age(tables_[du], "age"), date(tables_[du], specs[du].date_field);
    for (std::size_t r = 0; r < tables_[du].num_rows(); ++r) {
      const Rec& rc = recs_[Global(d, r)];
      const auto a = age.Int(r);
      const std::int32_t day = date.Day(r);
      if (rc.chain == kNone || !a || day == kNoDate) continue;
      auto& cur = age_src[rc.chain];
      if (std::get<2>(cur) < 0 || day < std::get<0>(cur) || (day == std::get<0>(cur) && rc.rank < std::get<1>(cur))) {
        cur = {day, rc.rank, *a};
      }
    }
  }
  std::vector<std::uint32_t> group_ids;
  for (const auto& g : options_.age_groups->groups()) group_ids.push_back(dict_.Id(g.code));
  for (std::uint32_t c = 1; c <= max_chain_; ++c) {
    CaseDims& dm = dims_[c];
    const CaseState& cs = case_state_[c];
    if (cs.first == kNoDate) continue;
    std::optional<std::int64_t> age;
    const auto& [day, rank, a] = age_src[c];
    if (a >= 0) {
      std::int64_t v = a;
      if (cs.first < day) v -= static_cast<std::int64_t>(std::floor((day - cs.first) / 365.25));
      age = std::max<std::int64_t>(v, 0);
    } else if (chain_person_[c] != kNone && person_birth_year_[chain_person_[c]]) {
      age = std::max<std::int64_t>(Date(cs.first).year() - *person_birth_year_[chain_person_[c]], 0);
    }
    if (!age) continue;
    const int gi = options_.age_groups->Find(*age);
    if (gi < 0) continue;
    dm.age = age;
    dm.age_group = group_ids[static_cast<std::size_t>(gi)];
    dm.minor = options_.age_groups->groups()[static_cast<std::size_t>(gi)].minor;
  }

  // Status at the horizon: open while a unit is open or a sent-on case has not arrived at the next stage.
  const std::int32_t horizon = report_.horizon.days();
  std::vector<std::uint8_t> has_unit(static_cast<std::size_t>(max_chain_ + 1) * 16, 0);
  std::vector<std::uint8_t> open_stage(max_chain_ + 1, 0);
  for (const Unit& u : units_) {
    const std::uint32_t c = recs_[u.rec].chain;
    if (c == kNone) continue;
    has_unit[static_cast<std::size_t>(c) * 16 + static_cast<std::size_t>(u.stage)] = 1;
    if (u.entry != kNoDate && u.entry <= horizon && (u.exit == kNoDate || u.exit > horizon)) {
      const auto st = static_cast<std::uint8_t>(u.stage);
      if (open_stage[c] == 0 || st < open_stage[c]) open_stage[c] = st;
    }
  }
  std::vector<std::uint8_t> awaiting(max_chain_ + 1, 0);  // the unit stage awaited
  auto await = [&](int d, const char* column, std::string_view value, UnitStage next) {
    Col v(tables_[static_cast<std::size_t>(d)], column);
    for (std::size_t r = 0; r < tables_[static_cast<std::size_t>(d)].num_rows(); ++r) {
      const std::uint32_t c = recs_[Global(d, r)].chain;
      if (c == kNone || v.Str(r) != value) continue;
      if (!has_unit[static_cast<std::size_t>(c) * 16 + static_cast<std::size_t>(next)] && awaiting[c] == 0) {
        awaiting[c] = static_cast<std::uint8_t>(next);
      }
    }
  };
  await(kVerdachten, "disposal_h", "proces_verbaal_om", UnitStage::kOm);
  await(kVerdachten, "disposal_h", "halt", UnitStage::kHalt);
  await(kOmDs, "decision_h", "dagvaarding", UnitStage::kCourt);
  const std::uint32_t open_id = dict_.Id("open"), closed_id = dict_.Id("closed");
  for (std::uint32_t c = 1; c <= max_chain_; ++c) {
    CaseState& cs = case_state_[c];
    if (open_stage[c] != 0) {
      cs.status = open_id;
      cs.status_reason = dict_.Id("open_" + std::string(UnitStageName(static_cast<UnitStage>(open_stage[c]))));
    } else if (awaiting[c] != 0) {
      cs.status = open_id;
      cs.status_reason = dict_.Id("awaiting_" + std::string(UnitStageName(static_cast<UnitStage>(awaiting[c]))));
    } else {
      cs.status = closed_id;
      cs.status_reason = closed_id;
    }
    cs.person_kind = unknown;
  }
}

Status Builder::Write() {
  const auto& specs = link::Datasets();
  auto person_of = [&](std::uint32_t chain, std::uint32_t g) {
    return chain != kNone && chain_person_[chain] != kNone ? chain_person_[chain] : recs_[g].person;
  };
  auto dims_of = [&](std::uint32_t chain) -> const CaseDims* { return chain == kNone ? nullptr : &dims_[chain]; };

  // --- chain_events -----------------------------------------------------------------------------------------
  {
    std::vector<Column> c;
    for (auto [n, t] : {std::pair{"chain_case_id", ColumnType::kString}, {"person_id", ColumnType::kString},
                        {"stage", ColumnType::kString}, {"stage_order", ColumnType::kInt64},
                        {"date", ColumnType::kDate}, {"outcome", ColumnType::kString},
                        {"outcome_code", ColumnType::kString}, {"dataset", ColumnType::kString},
                        {"record_key", ColumnType::kString}, {"primary", ColumnType::kBool}}) {
      c.emplace_back(n, t);
      c.back().Reserve(events_.size());
    }
    std::array<std::int64_t, kNumDs> out{}, no_case{}, no_person{};
    std::vector<std::uint8_t> seen(recs_.size(), 0);
    for (const Event& e : events_) {
      const std::uint32_t person = person_of(e.chain, e.rec);
      const Rec& rc = recs_[e.rec];
      AppendId(c[0], 'C', e.chain);
      AppendId(c[1], 'P', person);
      c[2].AppendString(StageName(e.stage));
      c[3].AppendInt(static_cast<std::int64_t>(e.stage));
      AppendDay(c[4], e.date);
      AppendStr(c[5], dict_.Get(e.outcome));
      AppendStr(c[6], dict_.Get(e.outcome_code));
      c[7].AppendString(kDsNames[rc.ds]);
      c[8].AppendString(Key(e.rec));
      c[9].AppendBool(e.primary);
      ++out[rc.ds];
      if (e.chain == kNone) ++no_case[rc.ds];
      if (person == kNone) ++no_person[rc.ds];
      seen[e.rec] = 1;
    }
    for (std::size_t g = 0; g < recs_.size(); ++g) {
      if (!seen[g]) {
        return Status::Internal("chain: record " + std::string(Key(static_cast<std::uint32_t>(g))) + " of " +
                                kDsNames[recs_[g].ds] + " has no event");
      }
    }
    for (int d = 0; d < kNumDs; ++d) {
      Count("chain_events", kDsNames[static_cast<std::size_t>(d)], offset_[static_cast<std::size_t>(d) + 1] - offset_[static_cast<std::size_t>(d)],
            out[static_cast<std::size_t>(d)], no_case[static_cast<std::size_t>(d)], no_person[static_cast<std::size_t>(d)]);
    }
    report_.events = static_cast<std::int64_t>(events_.size());
    DAS_RETURN_IF_ERROR(Put("chain_events", Table(std::move(c))));
    std::vector<Event>().swap(events_);
  }

  // --- chain_stage_units ------------------------------------------------------------------------------------
  {
    std::vector<Column> c;
    for (auto [n, t] : {std::pair{"stage", ColumnType::kString}, {"unit_id", ColumnType::kString},
                        {"chain_case_id", ColumnType::kString}, {"person_id", ColumnType::kString},
                        {"dataset", ColumnType::kString}, {"record_key", ColumnType::kString},
                        {"entry_date", ColumnType::kDate}, {"exit_date", ColumnType::kDate},
                        {"exit_type", ColumnType::kString}, {"unit_type", ColumnType::kString},
                        {"quality", ColumnType::kString}}) {
      c.emplace_back(n, t);
    }
    AppendDims(&c, nullptr, true);
    std::array<std::int64_t, kNumDs> out{}, no_case{}, no_person{};
    const std::uint32_t offence_id = dict_.Id("offence"), unknown = dict_.Id(kUnknown);
    for (const Unit& u : units_) {
      const Rec& rc = recs_[u.rec];
      const std::uint32_t person = person_of(rc.chain, u.rec);
      c[0].AppendString(UnitStageName(u.stage));
      c[1].AppendString(Key(u.rec));
      AppendId(c[2], 'C', rc.chain);
      AppendId(c[3], 'P', person);
      c[4].AppendString(kDsNames[rc.ds]);
      c[5].AppendString(Key(u.rec));
      AppendDay(c[6], u.entry);
      AppendDay(c[7], u.exit);
      AppendStr(c[8], dict_.Get(u.exit_type));
      AppendStr(c[9], dict_.Get(u.unit_type));
      AppendStr(c[10], dict_.Get(u.quality));
      if (u.stage == UnitStage::kPoliceRegistration) {
        // A registered crime: its own place and class; the person dimensions of its chain.
        CaseDims d = rc.chain == kNone ? CaseDims{} : dims_[rc.chain];
        if (rc.chain == kNone) d.age_group = d.sex = unknown;
        d.region = RegionOf(kMisdrijven, rc.row);
        d.region_basis = d.region.known() ? offence_id : unknown;
        if (!d.region.known()) d.region = {unknown, unknown, unknown, unknown};
        d.offence = OffenceOf(kMisdrijven, rc.row);
        if (!d.offence.known()) d.offence = {unknown, unknown, unknown};
        AppendDims(&c, &d, false);
      } else {
        AppendDims(&c, dims_of(rc.chain), false);
      }
      ++out[rc.ds];
      if (rc.chain == kNone) ++no_case[rc.ds];
      if (person == kNone) ++no_person[rc.ds];
    }
    for (int d = 0; d < kNumDs; ++d) {
      const auto du = static_cast<std::size_t>(d);
      if (d == kSancties) continue;
      if (out[du] != offset_[du + 1] - offset_[du]) {
        return Status::Internal(std::string("chain: stage units of ") + kDsNames[du] + " do not match its records");
      }
      Count("chain_stage_units", kDsNames[du], offset_[du + 1] - offset_[du], out[du], no_case[du], no_person[du]);
    }
    report_.units = static_cast<std::int64_t>(units_.size());
    DAS_RETURN_IF_ERROR(Put("chain_stage_units", Table(std::move(c))));
    std::vector<Unit>().swap(units_);
  }

  // --- chain_sanctions --------------------------------------------------------------------------------------
  {
    const Table& t = tables_[kSancties];
    Col cn(t, "case_number"), seq(t, "sequence"), s(t, "sanction"), sh(t, "sanction_h"), sl1(t, "sanction_h_level1"),
        amount(t, "amount"), unit(t, "unit"), susp(t, "suspended"), susp_h(t, "suspended_h");
    std::vector<std::uint32_t> order;
    for (std::size_t r = 0; r < t.num_rows(); ++r) order.push_back(Global(kSancties, r));
    SortByChainThenRank(&order, recs_);
    std::vector<Column> c = MakeColumns({{"chain_case_id", ColumnType::kString}, {"person_id", ColumnType::kString},
                         {"dataset", ColumnType::kString}, {"record_key", ColumnType::kString},
                         {"case_number", ColumnType::kString}, {"sequence", ColumnType::kInt64},
                         {"sanction_code", ColumnType::kString}, {"sanction_h", ColumnType::kString},
                         {"sanction_h_level1", ColumnType::kString}, {"amount", ColumnType::kDouble},
                         {"unit", ColumnType::kString}, {"suspended_code", ColumnType::kString},
                         {"suspended_h", ColumnType::kString}, {"suspended", ColumnType::kBool},
                         {"judgment_date", ColumnType::kDate}});
    AppendDims(&c, nullptr, true);
    std::int64_t no_case = 0, no_person = 0;
    for (std::uint32_t g : order) {
      const Rec& rc = recs_[g];
      const std::size_t r = rc.row;
      const std::uint32_t person = person_of(rc.chain, g);
      AppendId(c[0], 'C', rc.chain);
      AppendId(c[1], 'P', person);
      c[2].AppendString(kDsNames[kSancties]);
      c[3].AppendString(Key(g));
      AppendStr(c[4], cn.Str(r));
      if (auto v = seq.Int(r)) c[5].AppendInt(*v); else c[5].AppendNull();
      AppendStr(c[6], s.Str(r));
      AppendStr(c[7], sh.Str(r));
      AppendStr(c[8], sl1.Str(r));
      if (auto v = amount.Num(r)) c[9].AppendDouble(*v); else c[9].AppendNull();
      AppendStr(c[10], unit.Str(r));
      AppendStr(c[11], susp.Str(r));
      const std::string_view shv = susp_h.Str(r);
      AppendStr(c[12], shv);
      if (shv == "onvoorwaardelijk") c[13].AppendBool(false);
      else if (shv == "voorwaardelijk" || shv == "deels_voorwaardelijk") c[13].AppendBool(true);
      else c[13].AppendNull();
      AppendDay(c[14], sanction_date_[r]);
      AppendDims(&c, dims_of(rc.chain), false);
      if (rc.chain == kNone) ++no_case;
      if (person == kNone) ++no_person;
    }
    Count("chain_sanctions", kDsNames[kSancties], static_cast<std::int64_t>(t.num_rows()),
          static_cast<std::int64_t>(order.size()), no_case, no_person);
    report_.sanctions = static_cast<std::int64_t>(order.size());
    DAS_RETURN_IF_ERROR(Put("chain_sanctions", Table(std::move(c))));
  }

  // --- chain_executions -------------------------------------------------------------------------------------
  {
    std::vector<std::uint32_t> order;
    for (int d : {static_cast<int>(kCjibDs), static_cast<int>(kDjiDs), static_cast<int>(kReclasseringDs)}) {
      for (std::size_t r = 0; r < tables_[static_cast<std::size_t>(d)].num_rows(); ++r) order.push_back(Global(d, r));
    }
    SortByChainThenRank(&order, recs_);
    std::vector<Column> c = MakeColumns({{"chain_case_id", ColumnType::kString}, {"person_id", ColumnType::kString},
                         {"dataset", ColumnType::kString}, {"record_key", ColumnType::kString},
                         {"organisation", ColumnType::kString}, {"type", ColumnType::kString},
                         {"type_code", ColumnType::kString}, {"start_date", ColumnType::kDate},
                         {"end_date", ColumnType::kDate}, {"result", ColumnType::kString},
                         {"result_code", ColumnType::kString}, {"amount", ColumnType::kDouble},
                         {"amount_collected", ColumnType::kDouble}, {"hours_imposed", ColumnType::kInt64},
                         {"hours_done", ColumnType::kInt64}});
    AppendDims(&c, nullptr, true);
    std::array<Col, 16> cj, dj, rn;
    {
      const Table& t = tables_[kCjibDs];
      const char* names[] = {"kind", "registration_date", "status_date", "status_h", "status", "amount",
                             "amount_collected", "status_h_level1"};
      for (std::size_t i = 0; i < std::size(names); ++i) cj[i] = Col(t, names[i]);
    }
    {
      const Table& t = tables_[kDjiDs];
      const char* names[] = {"title_h", "title", "entry_date", "exit_date", "exit_reason"};
      for (std::size_t i = 0; i < std::size(names); ++i) dj[i] = Col(t, names[i]);
    }
    {
      const Table& t = tables_[kReclasseringDs];
      const char* names[] = {"product", "start_date", "end_date", "result", "hours_imposed", "hours_done"};
      for (std::size_t i = 0; i < std::size(names); ++i) rn[i] = Col(t, names[i]);
    }
    std::array<std::int64_t, kNumDs> out{}, no_case{}, no_person{};
    auto opt_int = [](Column& col, std::optional<std::int64_t> v) { if (v) col.AppendInt(*v); else col.AppendNull(); };
    auto opt_num = [](Column& col, std::optional<double> v) { if (v) col.AppendDouble(*v); else col.AppendNull(); };
    for (std::uint32_t g : order) {
      const Rec& rc = recs_[g];
      const std::size_t r = rc.row;
      const std::uint32_t person = person_of(rc.chain, g);
      AppendId(c[0], 'C', rc.chain);
      AppendId(c[1], 'P', person);
      c[2].AppendString(kDsNames[rc.ds]);
      c[3].AppendString(Key(g));
      if (rc.ds == kCjibDs) {
        c[4].AppendString("cjib");
        AppendStr(c[5], MapCode(kCjibKind, cj[0].Str(r)));
        AppendStr(c[6], cj[0].Str(r));
        AppendDay(c[7], cj[1].Day(r));
        AppendDay(c[8], cj[7].Str(r) == "afgesloten" ? cj[2].Day(r) : kNoDate);
        AppendStr(c[9], cj[3].Str(r));
        AppendStr(c[10], cj[4].Str(r));
        opt_num(c[11], cj[5].Num(r));
        opt_num(c[12], cj[6].Num(r));
        c[13].AppendNull();
        c[14].AppendNull();
      } else if (rc.ds == kDjiDs) {
        c[4].AppendString("dji");
        AppendStr(c[5], dj[0].Str(r));
        AppendStr(c[6], dj[1].Str(r));
        AppendDay(c[7], dj[2].Day(r));
        AppendDay(c[8], dj[3].Day(r));
        AppendStr(c[9], MapCode(kDjiExit, dj[4].Str(r)));
        AppendStr(c[10], dj[4].Str(r));
        for (int i = 11; i <= 14; ++i) c[static_cast<std::size_t>(i)].AppendNull();
      } else {
        c[4].AppendString("reclassering");
        AppendStr(c[5], MapCode(kReclProduct, rn[0].Str(r)));
        AppendStr(c[6], rn[0].Str(r));
        AppendDay(c[7], rn[1].Day(r));
        AppendDay(c[8], rn[2].Day(r));
        AppendStr(c[9], MapCode(kReclResult, rn[3].Str(r)));
        AppendStr(c[10], rn[3].Str(r));
        c[11].AppendNull();
        c[12].AppendNull();
        opt_int(c[13], rn[4].Int(r));
        opt_int(c[14], rn[5].Int(r));
      }
      AppendDims(&c, dims_of(rc.chain), false);
      ++out[rc.ds];
      if (rc.chain == kNone) ++no_case[rc.ds];
      if (person == kNone) ++no_person[rc.ds];
    }
    for (int d : {static_cast<int>(kCjibDs), static_cast<int>(kDjiDs), static_cast<int>(kReclasseringDs)}) {
      const auto du = static_cast<std::size_t>(d);
      Count("chain_executions", kDsNames[du], offset_[du + 1] - offset_[du], out[du], no_case[du], no_person[du]);
    }
    report_.executions = static_cast<std::int64_t>(order.size());
    DAS_RETURN_IF_ERROR(Put("chain_executions", Table(std::move(c))));
  }

  // --- persons: kind, BSN, first seen, cases ----------------------------------------------------------------
  std::vector<std::uint8_t> person_legal(max_person_ + 1, 0), person_bsn(max_person_ + 1, 0);
  std::vector<std::int32_t> person_first(max_person_ + 1, kNoDate);
  std::vector<std::uint32_t> person_cases(max_person_ + 1, 0), person_records(max_person_ + 1, 0);
  std::vector<std::uint8_t> person_exists(max_person_ + 1, 0);
  for (int d = 0; d < kNumDs; ++d) {
    const auto du = static_cast<std::size_t>(d);
    Col kind(tables_[du], "suspect_kind"), bsn(tables_[du], "bsn_status"), date(tables_[du], *specs[du].date_field ? specs[du].date_field : "-");
    for (std::size_t r = 0; r < tables_[du].num_rows(); ++r) {
      const Rec& rc = recs_[Global(d, r)];
      const std::uint32_t p = person_of(rc.chain, Global(d, r));
      if (p == kNone) continue;
      person_exists[p] = 1;
      ++person_records[p];
      if (kind.Str(r) == "R") person_legal[p] = 1;
      if (bsn.Str(r) == "ok") person_bsn[p] = 1;
      const std::int32_t day = d == kSancties ? sanction_date_[r] : date.Day(r);
      if (day != kNoDate && (person_first[p] == kNoDate || day < person_first[p])) person_first[p] = day;
    }
  }
  for (std::uint32_t ch = 1; ch <= max_chain_; ++ch) {
    if (chain_exists_[ch] && chain_person_[ch] != kNone) ++person_cases[chain_person_[ch]];
  }

  // --- chain_cases ------------------------------------------------------------------------------------------
  {
    std::vector<Column> c = MakeColumns({{"chain_case_id", ColumnType::kString}, {"person_id", ColumnType::kString},
                         {"person_kind", ColumnType::kString}, {"sex", ColumnType::kString},
                         {"offence_scm", ColumnType::kString}, {"scm_level1", ColumnType::kString},
                         {"scm_level2", ColumnType::kString}, {"scm_level3", ColumnType::kString},
                         {"offence_source", ColumnType::kString}, {"gemeente_2024", ColumnType::kString},
                         {"province", ColumnType::kString}, {"police_unit", ColumnType::kString},
                         {"arrondissement", ColumnType::kString}, {"region_basis", ColumnType::kString},
                         {"age_first_event", ColumnType::kInt64}, {"age_group", ColumnType::kString},
                         {"minor", ColumnType::kBool}, {"first_event_date", ColumnType::kDate},
                         {"last_event_date", ColumnType::kDate}, {"final_stage", ColumnType::kString},
                         {"status", ColumnType::kString}, {"status_reason", ColumnType::kString},
                         {"records", ColumnType::kInt64}});
    std::int64_t rows = 0, no_person = 0;
    for (std::uint32_t ch = 1; ch <= max_chain_; ++ch) {
      if (!chain_exists_[ch]) continue;
      const CaseDims& d = dims_[ch];
      const CaseState& cs = case_state_[ch];
      const std::uint32_t p = chain_person_[ch];
      AppendId(c[0], 'C', ch);
      AppendId(c[1], 'P', p);
      if (p == kNone) c[2].AppendNull(); else c[2].AppendString(person_legal[p] ? "R" : "N");
      AppendStr(c[3], dict_.Get(d.sex));
      AppendStr(c[4], dict_.Get(d.offence.scm));
      AppendStr(c[5], dict_.Get(d.offence.l1));
      AppendStr(c[6], dict_.Get(d.offence.l2));
      AppendStr(c[7], dict_.Get(d.offence.scm));
      AppendStr(c[8], dict_.Get(d.offence_source));
      AppendStr(c[9], dict_.Get(d.region.gemeente));
      AppendStr(c[10], dict_.Get(d.region.province));
      AppendStr(c[11], dict_.Get(d.region.police_unit));
      AppendStr(c[12], dict_.Get(d.region.arrondissement));
      AppendStr(c[13], dict_.Get(d.region_basis));
      if (d.age) c[14].AppendInt(*d.age); else c[14].AppendNull();
      AppendStr(c[15], dict_.Get(d.age_group));
      if (d.minor) c[16].AppendBool(*d.minor); else c[16].AppendNull();
      AppendDay(c[17], cs.first);
      AppendDay(c[18], cs.last);
      c[19].AppendString(StageName(cs.final_stage));
      AppendStr(c[20], dict_.Get(cs.status));
      AppendStr(c[21], dict_.Get(cs.status_reason));
      c[22].AppendInt(cs.records);
      ++rows;
      if (p == kNone) ++no_person;
    }
    Count("chain_cases", "", rows, rows, 0, no_person);
    report_.cases = rows;
    DAS_RETURN_IF_ERROR(Put("chain_cases", Table(std::move(c))));
  }

  // --- chain_persons ----------------------------------------------------------------------------------------
  {
    std::vector<Column> c = MakeColumns({{"person_id", ColumnType::kString}, {"kind", ColumnType::kString},
                         {"sex", ColumnType::kString}, {"birth_year", ColumnType::kInt64},
                         {"has_bsn", ColumnType::kBool}, {"first_seen", ColumnType::kDate},
                         {"cases", ColumnType::kInt64}, {"records", ColumnType::kInt64}});
    std::int64_t rows = 0;
    for (std::uint32_t p = 1; p <= max_person_; ++p) {
      if (!person_exists[p]) continue;
      AppendId(c[0], 'P', p);
      c[1].AppendString(person_legal[p] ? "R" : "N");
      c[2].AppendString(person_sex_[p] ? std::string_view(dict_.Get(person_sex_[p])) : kUnknown);
      if (person_birth_year_[p]) c[3].AppendInt(*person_birth_year_[p]); else c[3].AppendNull();
      c[4].AppendBool(person_bsn[p] != 0);
      AppendDay(c[5], person_first[p]);
      c[6].AppendInt(person_cases[p]);
      c[7].AppendInt(person_records[p]);
      ++rows;
    }
    Count("chain_persons", "", rows, rows, 0, 0);
    report_.persons = rows;
    DAS_RETURN_IF_ERROR(Put("chain_persons", Table(std::move(c))));
  }

  // --- chain_person_residence -------------------------------------------------------------------------------
  {
    struct Res {
      std::uint32_t person;
      int year;
      std::int32_t date;
      std::uint32_t rank;
      Region region;
    };
    std::vector<Res> cand;
    std::int64_t in = 0;
    for (int d : {static_cast<int>(kVerdachten), static_cast<int>(kHaltDs), static_cast<int>(kOmDs)}) {
      const auto du = static_cast<std::size_t>(d);
      Col date(tables_[du], specs[du].date_field);
      for (std::size_t r = 0; r < tables_[du].num_rows(); ++r) {
        const std::uint32_t g = Global(d, r);
        const std::uint32_t p = person_of(recs_[g].chain, g);
        const std::int32_t day = date.Day(r);
        if (p == kNone || day == kNoDate) continue;
        ++in;
        const Region reg = RegionOf(d, r);
        if (!reg.known()) continue;
        cand.push_back({p, Date(day).year(), day, recs_[g].rank, reg});
      }
    }
    std::sort(cand.begin(), cand.end(), [](const Res& a, const Res& b) {
      return std::tie(a.person, a.year, a.date, a.rank) < std::tie(b.person, b.year, b.date, b.rank);
    });
    std::vector<Column> c = MakeColumns({{"person_id", ColumnType::kString}, {"year", ColumnType::kInt64},
                         {"gemeente_2024", ColumnType::kString}, {"province", ColumnType::kString},
                         {"police_unit", ColumnType::kString}, {"arrondissement", ColumnType::kString}});
    std::int64_t rows = 0;
    for (std::size_t i = 0; i < cand.size(); ++i) {
      if (i + 1 < cand.size() && cand[i + 1].person == cand[i].person && cand[i + 1].year == cand[i].year) continue;
      const Res& x = cand[i];  // the latest record of the year
      AppendId(c[0], 'P', x.person);
      c[1].AppendInt(x.year);
      AppendStr(c[2], dict_.Get(x.region.gemeente));
      AppendStr(c[3], dict_.Get(x.region.province));
      AppendStr(c[4], dict_.Get(x.region.police_unit));
      AppendStr(c[5], dict_.Get(x.region.arrondissement));
      ++rows;
    }
    Count("chain_person_residence", "", in, rows, 0, 0);
    report_.residence_rows = rows;
    DAS_RETURN_IF_ERROR(Put("chain_person_residence", Table(std::move(c))));
  }

  // --- chain_accounting -------------------------------------------------------------------------------------
  {
    Column t("table", ColumnType::kString), ds("dataset", ColumnType::kString), in("records_in", ColumnType::kInt64),
        out("rows_out", ColumnType::kInt64), nc("without_case", ColumnType::kInt64),
        np("without_person", ColumnType::kInt64);
    for (const TableCount& x : report_.counts) {
      t.AppendString(x.table);
      AppendStr(ds, x.dataset);
      in.AppendInt(x.records_in);
      out.AppendInt(x.rows_out);
      nc.AppendInt(x.without_case);
      np.AppendInt(x.without_person);
    }
    DAS_RETURN_IF_ERROR(Put("chain_accounting", Table({std::move(t), std::move(ds), std::move(in), std::move(out),
                                                       std::move(nc), std::move(np)}),
                            report_.ToJson()));
  }
  return Status::Ok();
}

}  // namespace

std::string_view StageName(Stage s) {
  switch (s) {
    case Stage::kRegistered: return "registered";
    case Stage::kCleared: return "cleared";
    case Stage::kSuspectRegistered: return "suspect_registered";
    case Stage::kPoliceDisposal: return "police_disposal";
    case Stage::kOmInflow: return "om_inflow";
    case Stage::kOmDecision: return "om_decision";
    case Stage::kCourtInflow: return "court_inflow";
    case Stage::kJudgment: return "judgment";
    case Stage::kSanctionImposed: return "sanction_imposed";
    case Stage::kCjibRegistered: return "cjib_registered";
    case Stage::kCjibSettled: return "cjib_settled";
    case Stage::kDjiEntry: return "dji_entry";
    case Stage::kDjiExit: return "dji_exit";
    case Stage::kReclasseringStart: return "reclassering_start";
    case Stage::kReclasseringEnd: return "reclassering_end";
    case Stage::kHaltReferral: return "halt_referral";
    case Stage::kHaltEnd: return "halt_end";
    case Stage::kRvdkStart: return "rvdk_start";
    case Stage::kRvdkEnd: return "rvdk_end";
  }
  return "unknown";
}

const std::vector<Stage>& AllStages() {
  static const std::vector<Stage> k = [] {
    std::vector<Stage> v;
    for (int i = static_cast<int>(Stage::kRegistered); i <= static_cast<int>(Stage::kRvdkEnd); ++i) {
      v.push_back(static_cast<Stage>(i));
    }
    return v;
  }();
  return k;
}

std::string_view UnitStageName(UnitStage s) {
  switch (s) {
    case UnitStage::kPoliceRegistration: return "police_registration";
    case UnitStage::kPoliceSuspect: return "police_suspect";
    case UnitStage::kHalt: return "halt";
    case UnitStage::kOm: return "om";
    case UnitStage::kRvdk: return "rvdk";
    case UnitStage::kCourt: return "court";
    case UnitStage::kCjib: return "cjib";
    case UnitStage::kDji: return "dji";
    case UnitStage::kReclassering: return "reclassering";
  }
  return "unknown";
}

std::string Report::ToJson() const {
  nlohmann::ordered_json j;
  j["stage"] = "chain";
  j["horizon"] = horizon.ToIso();
  j["records"] = records;
  j["unplaced_records"] = unplaced;
  j["persons"] = persons;
  j["cases"] = cases;
  j["events"] = events;
  j["stage_units"] = units;
  j["sanctions"] = sanctions;
  j["executions"] = executions;
  j["residence_rows"] = residence_rows;
  j["exit_before_entry"] = exit_before_entry;
  nlohmann::ordered_json counts = nlohmann::ordered_json::array();
  for (const TableCount& c : this->counts) {
    counts.push_back({{"table", c.table},
                      {"dataset", c.dataset},
                      {"records_in", c.records_in},
                      {"rows_out", c.rows_out},
                      {"without_case", c.without_case},
                      {"without_person", c.without_person}});
  }
  j["accounting"] = counts;
  nlohmann::ordered_json phases;
  for (const auto& [name, sec] : phase_seconds) phases[name] = sec;
  j["phase_seconds"] = phases;
  return j.dump(2);
}

std::string Report::ToText() const {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-24s %-28s %10s %10s %12s %14s\n", "table", "dataset", "records in", "rows out",
                "without case", "without person");
  out += buf;
  for (const TableCount& c : counts) {
    std::snprintf(buf, sizeof buf, "%-24s %-28s %10lld %10lld %12lld %14lld\n", c.table.c_str(), c.dataset.c_str(),
                  static_cast<long long>(c.records_in), static_cast<long long>(c.rows_out),
                  static_cast<long long>(c.without_case), static_cast<long long>(c.without_person));
    out += buf;
  }
  std::snprintf(buf, sizeof buf,
                "chain: %lld records (%lld not in links, kept without case), %lld cases, %lld persons, %lld events, "
                "%lld stage units (%lld exits before entry set to entry), horizon %s, %.2f s\n",
                static_cast<long long>(records), static_cast<long long>(unplaced), static_cast<long long>(cases),
                static_cast<long long>(persons), static_cast<long long>(events), static_cast<long long>(units),
                static_cast<long long>(exit_before_entry), horizon.ToIso().c_str(), seconds);
  out += buf;
  out += "phases:";
  for (const auto& [name, sec] : phase_seconds) {
    std::snprintf(buf, sizeof buf, " %s %.2f s", name.c_str(), sec);
    out += buf;
  }
  out += "\n";
  return out;
}

Result<Report> BuildChain(store::Store* store, const ChainOptions& options, const Env& env) {
  Builder b(store, options, env);
  return b.Run();
}

}  // namespace das::chain
