// Case and person linkage over the current rows of the chain datasets. See das/link/link.h.
#include "das/link/link.h"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <optional>

#include <nlohmann/json.hpp>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "das/seal/bloom.h"
#include "das/seal/bsn.h"
#include "das/seal/keys.h"
#include "das/seal/names.h"
#include "das/store/store.h"
#include "hash.h"
#include "intern.h"
#include "union_find.h"

namespace das::link {
namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// Harmonised outcomes: source code -> common vocabulary (docs/linkage.md).
struct OutcomeMap {
  const char* dataset;
  const char* code;
  const char* outcome;
};
constexpr OutcomeMap kOutcomes[] = {
    {"politie_misdrijven", "J", "cleared"},
    {"politie_misdrijven", "N", "not_cleared"},
    {"politie_verdachten", "OM", "sent_to_prosecutor"},
    {"politie_verdachten", "HALT", "halt_referral"},
    {"politie_verdachten", "PSB", "police_penalty_order"},
    {"politie_verdachten", "GEEN", "no_further_action"},
    {"om_zaken", "DAGV", "summons"},
    {"om_zaken", "SBS", "penalty_order"},
    {"om_zaken", "TRNS", "settlement"},
    {"om_zaken", "TSEP", "dismissed_technical"},
    {"om_zaken", "BSEP", "dismissed_policy"},
    {"om_zaken", "VSEP", "dismissed_conditional"},
    {"om_zaken", "VOEG", "joined"},
    {"om_zaken", "OVDR", "transferred"},
    {"rechtspraak_uitspraken", "VRIJ", "acquitted"},
    {"rechtspraak_uitspraken", "ONTSL", "discharged"},
    {"rechtspraak_uitspraken", "SCHLD", "convicted"},
    {"rechtspraak_uitspraken", "SCHZS", "convicted_no_sentence"},
    {"rechtspraak_uitspraken", "NOV", "inadmissible"},
    {"rechtspraak_uitspraken", "OVRG", "other_procedural"},
    {"rechtspraak_sancties", "GEV", "prison"},
    {"rechtspraak_sancties", "JD", "youth_detention"},
    {"rechtspraak_sancties", "TAAK", "community_service"},
    {"rechtspraak_sancties", "BOETE", "fine"},
    {"rechtspraak_sancties", "TBS", "hospital_order"},
    {"rechtspraak_sancties", "ISD", "persistent_offender_order"},
    {"rechtspraak_sancties", "PIJ", "youth_hospital_order"},
    {"rechtspraak_sancties", "OZR", "driving_ban"},
    {"cjib_inning", "BETAALD", "paid"},
    {"cjib_inning", "DEELS", "partly_paid"},
    {"cjib_inning", "OPEN", "open"},
    {"cjib_inning", "VERVANGENDE_HECHTENIS", "default_detention"},
    {"cjib_inning", "ONINBAAR", "uncollectable"},
    {"dji_detenties", "EINDE", "released"},
    {"dji_detenties", "VI", "conditional_release"},
    {"dji_detenties", "SCHORSING", "suspended"},
    {"dji_detenties", "OVERGANG", "transferred"},
    {"reclassering_werkstraffen", "VOLTOOID", "completed"},
    {"reclassering_werkstraffen", "NIET_VOLTOOID", "failed"},
    {"reclassering_werkstraffen", "LOPEND", "running"},
    {"halt_verwijzingen", "POSITIEF", "completed"},
    {"halt_verwijzingen", "NEGATIEF", "failed"},
    {"halt_verwijzingen", "LOPEND", "running"},
    {"rvdk_strafonderzoeken", "TAAKSTRAF", "advice_community_service"},
    {"rvdk_strafonderzoeken", "JD", "advice_youth_detention"},
    {"rvdk_strafonderzoeken", "PIJ", "advice_youth_hospital_order"},
    {"rvdk_strafonderzoeken", "GEEN", "advice_none"},
};

std::string HarmoniseOutcome(std::string_view dataset, std::string_view code) {
  if (code.empty()) {
    if (dataset == "dji_detenties") return "detained";
    if (dataset == "politie_misdrijven") return "";
    return "pending";
  }
  for (const auto& o : kOutcomes) {
    if (dataset == o.dataset && code == o.code) return o.outcome;
  }
  return "unknown_code";
}

// Reads cells as text whatever the column type.
class Cell {
 public:
  explicit Cell(const Table* t, std::string_view name) {
    if (t != nullptr) {
      const int i = t->Find(name);
      if (i >= 0) col_ = &t->column(static_cast<std::size_t>(i));
    }
  }
  bool present() const { return col_ != nullptr; }
  const Column* column() const { return col_; }
  // Empty for null or absent.
  std::string_view Get(std::size_t row) {
    if (col_ == nullptr || col_->IsNull(row)) return {};
    if (col_->type() == ColumnType::kString) return col_->GetString(row);
    buf_ = col_->ToText(row);
    return buf_;
  }

 private:
  const Column* col_ = nullptr;
  std::string buf_;
};

seal::SecretKey RawKey() {
  std::array<std::uint8_t, seal::kKeyBytes> b{};
  std::uint64_t x = 0x6461732D6C696E6BULL;  // "das-link"
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i % 8 == 0) x = Mix64(x);
    b[i] = static_cast<std::uint8_t>(x >> (8 * (i % 8)));
  }
  return seal::SecretKey(b);
}

// Residence as a gemeente number: "GM0363" -> 363, "BU03630000" -> 363; 0 unknown.
std::uint32_t GemeenteNumber(std::string_view code) {
  if (code.size() >= 6 && (code.substr(0, 2) == "GM" || code.substr(0, 2) == "BU" || code.substr(0, 2) == "WK")) {
    std::uint32_t v = 0;
    for (std::size_t i = 2; i < 6; ++i) {
      if (code[i] < '0' || code[i] > '9') return 0;
      v = v * 10 + static_cast<std::uint32_t>(code[i] - '0');
    }
    return v + 1;  // never 0
  }
  return 0;
}

std::uint8_t SexCode(std::string_view s) {
  if (s == "M") return 1;
  if (s == "V") return 2;
  return 0;
}

// Returns freed heap memory to the system (glibc keeps it otherwise, and the next stage's peak would add to it).
void ReleaseFreedMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

// Length of Id(prefix, n): the prefix and at least 8 digits.
std::size_t IdLength(std::uint32_t n) {
  std::size_t digits = 1;
  for (std::uint32_t v = n; v >= 10; v /= 10) ++digits;
  return 1 + std::max<std::size_t>(8, digits);
}

std::string Id(char prefix, std::uint32_t n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%08u", prefix, n);
  return buf;
}

struct RateSpec {
  const char* from;
  const char* to;
  const char* via;
  const char* filter_field;  // only records with this field equal to filter_value ("" = all)
  const char* filter_value;
};
constexpr RateSpec kRates[] = {
    {"politie_verdachten", "politie_misdrijven", "registration_number", "", ""},
    {"om_zaken", "politie_verdachten", "pv_number", "", ""},
    {"halt_verwijzingen", "politie_verdachten", "pv_number", "", ""},
    {"cjib_inning", "politie_verdachten", "pv_number", "", ""},
    {"cjib_inning", "om_zaken", "case_number", "", ""},
    {"rechtspraak_uitspraken", "om_zaken", "case_number", "", ""},
    {"rechtspraak_sancties", "rechtspraak_uitspraken", "case_number", "", ""},
    {"dji_detenties", "om_zaken", "case_number", "", ""},
    {"reclassering_werkstraffen", "om_zaken", "case_number", "", ""},
    {"rvdk_strafonderzoeken", "om_zaken", "case_number", "", ""},
    {"politie_verdachten", "om_zaken", "pv_number", "police_disposal", "OM"},
    {"politie_verdachten", "halt_verwijzingen", "pv_number", "police_disposal", "HALT"},
    {"om_zaken", "rechtspraak_uitspraken", "case_number", "decision", "DAGV"},
};

}  // namespace

const std::vector<DatasetSpec>& Datasets() {
  static const std::vector<DatasetSpec> k = {
      {"politie_misdrijven", "misdrijven", "crime", {"registration_number"}, "registration_date", "cleared", "", "", "",
       "", "", false},
      {"politie_verdachten", "verdachten", "suspect", {"pv_number"}, "registration_date", "police_disposal",
       "pv_number", "", "", "", "registration_number", true},
      {"halt_verwijzingen", "verwijzingen", "halt", {"halt_id"}, "referral_date", "outcome", "", "", "pv_number", "",
       "", true},
      {"om_zaken", "zaken", "prosecution", {"case_number"}, "inflow_date", "decision", "", "case_number", "pv_number",
       "", "", true},
      {"rvdk_strafonderzoeken", "strafonderzoeken", "youth_investigation", {"council_id"}, "start_date", "advice", "",
       "", "", "case_number", "", true},
      {"rechtspraak_uitspraken", "uitspraken", "judgment", {"case_number"}, "registration_date", "judgment", "",
       "case_number", "", "", "", false},
      {"rechtspraak_sancties", "sancties", "sanction", {"case_number", "sequence"}, "", "sanction", "", "",
       "", "case_number", "", false},
      {"cjib_inning", "inning", "execution_fine", {"cjib_number"}, "registration_date", "status", "", "", "pv_number",
       "case_number", "", true},
      {"dji_detenties", "detenties", "execution_detention", {"detention_number"}, "entry_date", "exit_reason", "", "",
       "", "case_number", "", true},
      {"reclassering_werkstraffen", "werkstraffen", "execution_probation", {"rn_id"}, "start_date", "result", "", "",
       "", "case_number", "", true},
  };
  return k;
}

const DatasetSpec* FindDataset(std::string_view name) {
  for (const auto& d : Datasets()) {
    if (name == d.name || name == d.short_name) return &d;
  }
  return nullptr;
}

std::vector<std::string> LinkColumns(const DatasetSpec& s) {
  std::vector<std::string> c(s.key.begin(), s.key.end());
  for (const char* f : {s.date_field, s.outcome_field, s.own_pv, s.own_case, s.ref_pv, s.ref_case, s.ref_crime}) {
    if (*f != '\0') c.emplace_back(f);
  }
  if (s.persons) {
    for (const char* f : {"bsn_pseudo", "bsn_status", "bsn", "suspect_kind", "kvk_number", "surname_bf",
                          "given_names_bf", "birth_date_bf", "birth_year", "sex", "residence_gemeente",
                          "residence_buurt", "surname", "tussenvoegsel", "given_names", "birth_date"}) {
      c.emplace_back(f);
    }
  }
  std::vector<std::string> out;
  for (auto& x : c) {
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(std::move(x));
  }
  return out;
}

namespace {

// A table of the given columns, moved out of them (Table({...}) would copy them: an initializer list holds
// const elements).
template <typename... C>
Table MoveTable(C&... columns) {
  std::vector<Column> v;
  v.reserve(sizeof...(columns));
  (v.push_back(std::move(columns)), ...);
  return Table(std::move(v));
}

// Which identifier a field of a dataset holds: the pv number, the case number (parketnummer) or the
// registered crime (the key of politie_misdrijven, the reference of politie_verdachten).
enum class RefKind { kNone, kPv, kCase, kCrime };
RefKind RefOf(const DatasetSpec& s, std::string_view field) {
  if (field == s.own_pv || field == s.ref_pv) return RefKind::kPv;
  if (field == s.own_case || field == s.ref_case) return RefKind::kCase;
  if (field == s.ref_crime) return RefKind::kCrime;
  if (s.stage == std::string_view("crime") && s.key.size() == 1 && field == s.key[0]) return RefKind::kCrime;
  return RefKind::kNone;
}

enum class Method : std::uint8_t { kNone = 0, kBsn = 1, kProbabilistic = 2, kKey = 3 };
const char* MethodName(Method m) {
  switch (m) {
    case Method::kBsn: return "bsn";
    case Method::kProbabilistic: return "probabilistic";
    case Method::kKey: return "key";
    case Method::kNone: break;
  }
  return "none";
}

// The linker's state: every record of the chain datasets as a few fixed-width fields (texts interned or in
// one arena), the person records of the probabilistic stage as flat arrays, then the results per record.
// Datasets are added one at a time (AddDataset), so a caller can free each table as soon as it is added.
class Linker {
 public:
  explicit Linker(const LinkOptions& options) : options_(options) {}

  Status Init();
  // Adds the rows of dataset `d` (index into Datasets()) in key order. Each dataset at most once.
  Status AddDataset(std::size_t d, const Table& t);
  // Links; sets counts, fs, link_rates, link_unlinked, link_review and the report in `r`.
  Status Finish(LinkResult* r);
  Table LinksTable() const;
  Table EventsTable() const;

 private:
  std::size_t n() const { return ds_.size(); }
  bool IsCrime(std::uint32_t i) const { return Datasets()[ds_[i]].stage == std::string_view("crime"); }
  Status AddPerson(std::uint32_t rec, const seal::BloomFilter* s, const seal::BloomFilter* g,
                   const seal::BloomFilter* d, int year, std::uint8_t sex, std::uint32_t res, std::size_t ds);
  void LinkCases();
  Status LinkPersons(LinkResult* r);
  Table ReviewTable(const std::vector<ScoredPair>& pairs) const;
  void RatesAndUnlinked(LinkResult* r) const;
  void Report(LinkResult* r) const;
  std::uint32_t RefValue(RefKind k, std::uint32_t i) const {
    return k == RefKind::kPv ? pv_[i] : k == RefKind::kCase ? case_[i] : k == RefKind::kCrime ? crime_[i] : kNoId;
  }
  const Interner& RefIds(RefKind k) const {
    return k == RefKind::kPv ? pv_ids_ : k == RefKind::kCase ? case_ids_ : crime_ids_;
  }

  LinkOptions options_;
  std::chrono::steady_clock::time_point t_start_ = std::chrono::steady_clock::now();
  std::array<bool, 16> present_{};
  std::array<std::uint64_t, 16> rows_{};
  // Per record, in canonical order (dataset order, then key).
  std::vector<std::uint8_t> ds_;
  TextArena keys_;
  std::vector<std::uint32_t> pv_, case_, crime_;  // interned; kNoId = empty
  std::vector<std::uint32_t> date_, outcome_;     // interned texts; kNoId = empty
  std::vector<std::uint32_t> bsn_, kvk_;          // interned; kNoId = none
  std::vector<std::uint8_t> any_;                 // carries any person identifier
  Interner pv_ids_, case_ids_, crime_ids_, dates_, outcomes_, bsn_ids_, kvk_ids_;
  // Person records (natural persons with at least one encoding) and their record index.
  PersonRecords pr_;
  std::vector<std::uint32_t> pr_record_;
  std::uint64_t bad_filters_ = 0;
  std::string bad_example_;
  Status size_error_ = Status::Ok();
  // Raw (unsealed) input: encoded in memory.
  std::optional<seal::BloomEncoder> surname_enc_, given_enc_, date_enc_;
  std::optional<seal::Tussenvoegsels> tv_;
  // Results per record.
  std::uint32_t chains_count_ = 0;
  std::vector<std::uint32_t> rec_chain_;   // chain number (1-based)
  std::vector<std::uint32_t> rec_person_;  // person number (1-based) or kNoId
  std::vector<Method> method_;
  std::vector<float> weight_;  // accepted weight (probabilistic) or NaN
  // Crimes with more than one suspect: (crime record, other suspect record), by crime then suspect.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> crime_extra_;
};

Status Linker::Init() {
  pr_.name_words = 0;
  pr_.date_words = 0;
  return Status::Ok();
}

Status Linker::AddPerson(std::uint32_t rec, const seal::BloomFilter* s, const seal::BloomFilter* g,
                         const seal::BloomFilter* d, int year, std::uint8_t sex, std::uint32_t res, std::size_t ds) {
  // The filter sizes: the same for all records of a field, known from the first filter; records before it
  // had no filter of that kind (all zero words).
  const std::size_t count = pr_.size();
  auto size_of = [&](const seal::BloomFilter* f, std::uint32_t& words, const char* what,
                     std::initializer_list<std::vector<std::uint64_t>*> cols) -> bool {
    if (f == nullptr) return true;
    if (words == 0) {
      words = f->word_count();
      for (auto* c : cols) c->assign(count * words, 0);
    }
    if (f->word_count() == words) return true;
    if (size_error_.ok()) {
      size_error_ = Status::InvalidArgument(std::string("link: ") + Datasets()[ds].name + " record " +
                                            std::string(keys_.Get(rec)) + ": " + what + " encoding has " +
                                            std::to_string(f->bits()) + " bits, others " +
                                            std::to_string(words * 64));
    }
    return false;
  };
  if (!size_of(s, pr_.name_words, "surname", {&pr_.surname, &pr_.given})) s = nullptr;
  if (!size_of(g, pr_.name_words, "given name", {&pr_.surname, &pr_.given})) g = nullptr;
  if (!size_of(d, pr_.date_words, "birth date", {&pr_.birth_date})) d = nullptr;
  auto add = [](const seal::BloomFilter* f, std::uint32_t words, std::vector<std::uint64_t>& dst,
                std::vector<std::uint16_t>& pop, std::vector<std::uint64_t>& hash) {
    std::uint32_t p = 0;
    if (f == nullptr) {
      dst.resize(dst.size() + words, 0);
    } else {
      for (std::uint64_t w : f->words()) {
        dst.push_back(w);
        p += static_cast<std::uint32_t>(std::popcount(w));
      }
    }
    pop.push_back(static_cast<std::uint16_t>(p));
    hash.push_back(p == 0 ? 0 : HashWords(f->words()));
  };
  add(s, pr_.name_words, pr_.surname, pr_.surname_pop, pr_.surname_hash);
  add(g, pr_.name_words, pr_.given, pr_.given_pop, pr_.given_hash);
  add(d, pr_.date_words, pr_.birth_date, pr_.date_pop, pr_.date_hash);
  pr_.birth_year.push_back(static_cast<std::int16_t>(year));
  pr_.sex.push_back(sex);
  pr_.residence.push_back(res);
  pr_.entity.push_back(0);  // set after the deterministic stage
  pr_.locked.push_back(0);
  pr_.side.push_back(0);
  pr_record_.push_back(rec);
  return Status::Ok();
}

Status Linker::AddDataset(std::size_t d, const Table& t) {
  const DatasetSpec& spec = Datasets()[d];
  DAS_RETURN_IF_ERROR_CTX(t.Validate(), std::string("link: ") + spec.name);
  present_[d] = true;
  rows_[d] = t.num_rows();
  std::vector<Cell> key_cells;
  for (const char* k : spec.key) {
    key_cells.emplace_back(&t, k);
    if (!key_cells.back().present()) {
      return Status::FailedPrecondition(std::string("link: dataset ") + spec.name + " has no key column '" + k + "'");
    }
  }
  if (n() + t.num_rows() >= kNoId) return Status::InvalidArgument("link: more than 2^32 records");
  // Keys, and the rows in key order (ties: row order).
  TextArena keys;
  std::string key;
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    key.clear();
    for (std::size_t k = 0; k < key_cells.size(); ++k) {
      if (k > 0) key += '#';
      key += key_cells[k].Get(r);
    }
    keys.Add(key);
  }
  std::vector<std::uint32_t> order(t.num_rows());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return keys.Get(a) < keys.Get(b); });

  const bool crime = spec.stage == std::string_view("crime");
  Cell pv(*spec.own_pv || *spec.ref_pv ? &t : nullptr, *spec.own_pv ? spec.own_pv : spec.ref_pv),
      cs(*spec.own_case || *spec.ref_case ? &t : nullptr, *spec.own_case ? spec.own_case : spec.ref_case),
      crime_ref(*spec.ref_crime ? &t : nullptr, spec.ref_crime),
      date(*spec.date_field ? &t : nullptr, spec.date_field),
      outcome(*spec.outcome_field ? &t : nullptr, spec.outcome_field);
  const Table* pt = spec.persons ? &t : nullptr;
  Cell pseudo(pt, "bsn_pseudo"), status(pt, "bsn_status"), raw_bsn(pt, "bsn"), kind(pt, "suspect_kind"),
      kvk(pt, "kvk_number"), sbf(pt, "surname_bf"), gbf(pt, "given_names_bf"), dbf(pt, "birth_date_bf"),
      year(pt, "birth_year"), sex(pt, "sex"), res_g(pt, "residence_gemeente"), res_b(pt, "residence_buurt"),
      sur(pt, "surname"), tvs(pt, "tussenvoegsel"), giv(pt, "given_names"), bd(pt, "birth_date");
  const bool sealed = pseudo.present();
  if (spec.persons && !sealed && !surname_enc_) {
    auto se = seal::BloomEncoder::Create(RawKey(), "achternaam", seal::kNameBloomParams);
    auto ge = seal::BloomEncoder::Create(RawKey(), "voornaam", seal::kNameBloomParams);
    auto de = seal::BloomEncoder::Create(RawKey(), "geboortedatum", seal::kDateBloomParams);
    if (!se.ok()) return se.status();
    if (!ge.ok()) return ge.status();
    if (!de.ok()) return de.status();
    auto tv = seal::Tussenvoegsels::Parse(
        "van\nde\nder\nden\nvan der\nvan den\nvan de\nte\nter\nten\nhet\nt\nin t\nop den\nop de\nla\nle\nel\nal\n"
        "du\nda\ndos\nvon\nde la\n",
        "link (built-in)");
    if (!tv.ok()) return tv.status();
    surname_enc_.emplace(std::move(se).value());
    given_enc_.emplace(std::move(ge).value());
    date_enc_.emplace(std::move(de).value());
    tv_.emplace(std::move(tv).value());
  }
  auto intern = [](Interner& in, std::string_view v) { return v.empty() ? kNoId : in.Intern(v); };
  seal::SurnameParts parts;
  seal::GivenNames given;
  for (const std::uint32_t row : order) {
    const auto i = static_cast<std::uint32_t>(n());
    ds_.push_back(static_cast<std::uint8_t>(d));
    keys_.Add(keys.Get(row));
    pv_.push_back(intern(pv_ids_, pv.Get(row)));
    case_.push_back(intern(case_ids_, cs.Get(row)));
    crime_.push_back(intern(crime_ids_, crime ? keys.Get(row) : crime_ref.Get(row)));
    date_.push_back(intern(dates_, date.Get(row)));
    outcome_.push_back(intern(outcomes_, outcome.Get(row)));
    std::uint32_t bsn = kNoId, kvk_id = kNoId;
    bool any = false;
    if (spec.persons) {
      if (sealed) {
        if (status.Get(row) == "ok") bsn = intern(bsn_ids_, pseudo.Get(row));
      } else if (raw_bsn.present()) {
        seal::BsnCheck c = seal::CheckBsn(raw_bsn.Get(row));
        if (c.status == seal::BsnStatus::kOk) bsn = bsn_ids_.Intern("raw:" + std::string(c.normalised()));
      }
      const bool natural = kind.Get(row) != "R";
      if (!natural) kvk_id = intern(kvk_ids_, kvk.Get(row));
      seal::BloomFilter fs, fg, fd;
      bool hs = false, hg = false, hd = false;
      int y = 0;
      std::uint8_t sx = 0;
      std::uint32_t res = 0;
      if (natural) {
        if (sealed) {
          auto decode = [&](Cell& c, seal::BloomFilter& f, bool& has) {
            std::string_view v = c.Get(row);
            if (v.empty()) return;
            auto r = seal::BloomFromBase64(v);
            if (!r.ok()) {
              if (bad_filters_++ == 0) {
                bad_example_ = std::string(spec.name) + " record " + std::string(keys.Get(row)) + " column " +
                               c.column()->name() + ": " + r.status().message();
              }
              return;
            }
            f = *r;
            has = true;
          };
          decode(sbf, fs, hs);
          decode(gbf, fg, hg);
          decode(dbf, fd, hd);
          std::string_view yv = year.Get(row);
          y = yv.empty() ? 0 : std::atoi(std::string(yv).c_str());
        } else {
          std::string_view sv = sur.Get(row);
          if (!sv.empty()) {
            tv_->Split(sv, tvs.Get(row), parts);
            if (!parts.core.empty()) {
              fs = surname_enc_->EncodeName(parts.core);
              hs = true;
            }
          }
          std::string_view gv = giv.Get(row);
          if (!gv.empty()) {
            seal::SplitGivenNames(gv, given);
            if (!given.first.empty()) {
              fg = given_enc_->EncodeName(given.first);
              hg = true;
            }
          }
          if (bd.present() && !bd.column()->IsNull(row) && bd.column()->type() == ColumnType::kDate) {
            const Date dt = bd.column()->GetDate(row);
            fd = date_enc_->EncodeDate(dt);
            hd = true;
            y = dt.year();
          }
        }
        sx = SexCode(sex.Get(row));
        res = GemeenteNumber(res_g.present() ? res_g.Get(row) : res_b.Get(row));
      }
      any = bsn != kNoId || kvk_id != kNoId || hs || hg || hd;
      if (natural && (hs || hg || hd)) {
        DAS_RETURN_IF_ERROR(AddPerson(i, hs ? &fs : nullptr, hg ? &fg : nullptr, hd ? &fd : nullptr, y, sx, res, d));
      }
    }
    bsn_.push_back(bsn);
    kvk_.push_back(kvk_id);
    any_.push_back(any ? 1 : 0);
  }
  return Status::Ok();
}

void Linker::LinkCases() {
  const auto n32 = static_cast<std::uint32_t>(n());
  UnionFind chains(n32);
  {
    std::vector<std::uint32_t> first_pv(pv_ids_.size(), kNoId), first_case(case_ids_.size(), kNoId);
    for (std::uint32_t i = 0; i < n32; ++i) {
      for (auto [id, first] : {std::pair{pv_[i], &first_pv}, std::pair{case_[i], &first_case}}) {
        if (id == kNoId) continue;
        std::uint32_t& f = (*first)[id];
        if (f == kNoId) {
          f = i;
        } else {
          chains.Union(f, i);
        }
      }
    }
  }
  // Crimes belong to the chain of their first suspect; further suspects get the crime as an event.
  std::vector<std::uint32_t> crime_first_suspect(n32, kNoId);
  {
    std::vector<std::uint32_t> rec_of_crime(crime_ids_.size(), kNoId);
    for (std::uint32_t i = 0; i < n32; ++i) {
      if (IsCrime(i) && crime_[i] != kNoId && rec_of_crime[crime_[i]] == kNoId) rec_of_crime[crime_[i]] = i;
    }
    for (std::uint32_t i = 0; i < n32; ++i) {
      if (IsCrime(i) || crime_[i] == kNoId) continue;
      const std::uint32_t c = rec_of_crime[crime_[i]];
      if (c == kNoId) continue;
      if (crime_first_suspect[c] == kNoId) {
        crime_first_suspect[c] = i;
      } else {
        crime_extra_.emplace_back(c, i);
      }
    }
    std::stable_sort(crime_extra_.begin(), crime_extra_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  // Chain numbers in record order of the chains' first records.
  std::vector<std::uint32_t> chain_number(n32, kNoId);
  rec_chain_.assign(n32, 0);
  std::uint32_t next_chain = 0;
  for (std::uint32_t i = 0; i < n32; ++i) {
    const std::uint32_t root = chains.Find(crime_first_suspect[i] != kNoId ? crime_first_suspect[i] : i);
    if (chain_number[root] == kNoId) chain_number[root] = ++next_chain;
    rec_chain_[i] = chain_number[root];
  }
  chains_count_ = next_chain;
}

Status Linker::LinkPersons(LinkResult* r) {
  const auto n32 = static_cast<std::uint32_t>(n());
  // --- deterministic person entities: chain, BSN, KvK -------------------------------------------------------
  UnionFind persons(n32);
  {
    std::vector<std::uint32_t> first_in_chain(std::size_t{chains_count_} + 1, kNoId);
    std::vector<std::uint32_t> by_bsn(bsn_ids_.size(), kNoId), by_kvk(kvk_ids_.size(), kNoId);
    for (std::uint32_t i = 0; i < n32; ++i) {
      if (IsCrime(i)) continue;
      std::uint32_t& f = first_in_chain[rec_chain_[i]];
      if (f == kNoId) {
        f = i;
      } else {
        persons.Union(f, i);
      }
      for (auto [id, by] : {std::pair{bsn_[i], &by_bsn}, std::pair{kvk_[i], &by_kvk}}) {
        if (id == kNoId) continue;
        std::uint32_t& b = (*by)[id];
        if (b == kNoId) {
          b = i;
        } else {
          persons.Union(b, i);
        }
      }
    }
  }
  std::vector<std::uint8_t> entity_bsn(n32, 0), entity_any(n32, 0);
  std::vector<std::uint32_t> det_root(n32), first_rec(n32, kNoId);
  for (std::uint32_t i = 0; i < n32; ++i) {
    det_root[i] = persons.Find(i);
    if (first_rec[det_root[i]] == kNoId) first_rec[det_root[i]] = i;
    if (bsn_[i] != kNoId) entity_bsn[det_root[i]] = 1;
    if (any_[i]) entity_any[det_root[i]] = 1;
  }
  for (std::size_t k = 0; k < pr_.size(); ++k) {
    const std::uint32_t root = det_root[pr_record_[k]];
    pr_.entity[k] = root;
    pr_.locked[k] = entity_bsn[root];
  }
  r->counts.probabilistic_records = pr_.size();

  // --- probabilistic linkage and closure --------------------------------------------------------------------
  UnionFind final_persons = persons;
  std::vector<float> joined_weight(n32, std::nanf(""));  // per deterministic root: best accepted weight
  if (options_.probabilistic && pr_.size() >= 2) {
    DAS_ASSIGN_OR_RETURN(r->fs, RunFellegiSunter(pr_, options_.fs));
    std::vector<std::uint8_t> has_bsn = entity_bsn;  // per final root
    const auto match_t = static_cast<float>(options_.fs.match_threshold);
    for (const ScoredPair& p : r->fs.pairs) {
      if (p.weight < match_t) break;  // sorted by weight
      const std::uint32_t a = pr_record_[p.a], b = pr_record_[p.b];
      const std::uint32_t ra = final_persons.Find(a), rb = final_persons.Find(b);
      if (ra == rb) continue;
      if (has_bsn[ra] && has_bsn[rb]) {
        ++r->counts.pairs_refused_bsn;
        continue;
      }
      // The entity that joins another one is marked "probabilistic": the one without a BSN; if neither
      // or both have one, the smaller deterministic entity (ties: the later first record).
      const std::uint32_t da = det_root[a], db = det_root[b];
      std::uint32_t joined;
      if (has_bsn[ra] != has_bsn[rb]) {
        joined = has_bsn[ra] ? db : da;
      } else {
        const std::uint32_t sa = persons.Size(da), sb = persons.Size(db);
        joined = sa != sb ? (sa < sb ? da : db) : (first_rec[da] < first_rec[db] ? db : da);
      }
      if (std::isnan(joined_weight[joined])) joined_weight[joined] = p.weight;
      const std::uint32_t root = final_persons.Union(ra, rb);
      has_bsn[root] = has_bsn[ra] | has_bsn[rb];
      ++r->counts.pairs_linked;
    }
  }

  // --- ids ----------------------------------------------------------------------------------------------------
  {
    std::vector<std::uint32_t> person_number(n32, kNoId);
    std::vector<std::uint8_t> final_any(n32, 0);
    for (std::uint32_t i = 0; i < n32; ++i) {
      if (entity_any[det_root[i]]) final_any[final_persons.Find(i)] = 1;
    }
    std::uint32_t next_person = 0;
    rec_person_.assign(n32, kNoId);
    for (std::uint32_t i = 0; i < n32; ++i) {
      if (IsCrime(i)) continue;
      const std::uint32_t root = final_persons.Find(i);
      if (!final_any[root]) continue;
      if (person_number[root] == kNoId) person_number[root] = ++next_person;
      rec_person_[i] = person_number[root];
    }
    r->counts.persons = next_person;
  }
  method_.assign(n32, Method::kNone);
  weight_.assign(n32, std::nanf(""));
  for (std::uint32_t i = 0; i < n32; ++i) {
    const float w = joined_weight[det_root[i]];
    Method m = Method::kNone;
    if (IsCrime(i) || rec_person_[i] == kNoId) {
      m = Method::kNone;
    } else if (bsn_[i] != kNoId) {
      m = Method::kBsn;
    } else if (!std::isnan(w)) {
      m = Method::kProbabilistic;
      weight_[i] = w;
    } else if (persons.Size(i) >= 2) {
      m = Method::kKey;
    }
    method_[i] = m;
    switch (m) {
      case Method::kBsn: ++r->counts.method_bsn; break;
      case Method::kProbabilistic: ++r->counts.method_probabilistic; break;
      case Method::kKey: ++r->counts.method_key; break;
      case Method::kNone: ++r->counts.method_none; break;
    }
    if (any_[i]) ++r->counts.person_records;
  }
  r->link_review = ReviewTable(r->fs.pairs);
  r->counts.review_pairs = r->link_review.num_rows();
  // The person records and scored pairs are not needed any more.
  r->fs.pairs.clear();
  r->fs.pairs.shrink_to_fit();
  pr_ = PersonRecords();
  std::vector<std::uint32_t>().swap(pr_record_);
  ReleaseFreedMemory();
  return Status::Ok();
}

Table Linker::ReviewTable(const std::vector<ScoredPair>& pairs) const {
  Column r_da("dataset_a", ColumnType::kString), r_ka("record_key_a", ColumnType::kString),
      r_db("dataset_b", ColumnType::kString), r_kb("record_key_b", ColumnType::kString),
      r_w("match_weight", ColumnType::kDouble), r_p("match_probability", ColumnType::kDouble),
      r_l("levels", ColumnType::kString), r_same("same_person_after_linkage", ColumnType::kBool);
  const auto& specs = Datasets();
  for (const ScoredPair& p : pairs) {
    if (p.weight >= static_cast<float>(options_.fs.match_threshold)) continue;
    const std::uint32_t a = pr_record_[p.a], b = pr_record_[p.b];
    r_da.AppendString(specs[ds_[a]].name);
    r_ka.AppendString(keys_.Get(a));
    r_db.AppendString(specs[ds_[b]].name);
    r_kb.AppendString(keys_.Get(b));
    r_w.AppendDouble(std::round(static_cast<double>(p.weight) * 1000) / 1000);
    r_p.AppendDouble(std::round(MatchProbability(p.weight) * 1e6) / 1e6);
    const auto lv = CompareRecords(pr_, p.a, p.b, options_.fs);
    std::string levels;
    for (int f = 0; f < kNumFields; ++f) {
      if (f > 0) levels += ',';
      levels += FieldName(static_cast<Field>(f));
      levels += '=';
      levels += LevelName(static_cast<Field>(f), lv[static_cast<std::size_t>(f)]);
    }
    r_l.AppendString(levels);
    r_same.AppendBool(rec_person_[a] == rec_person_[b]);
  }
  return MoveTable(r_da, r_ka, r_db, r_kb, r_w, r_p,
                r_l, r_same);
}

void Linker::RatesAndUnlinked(LinkResult* r) const {
  const auto& specs = Datasets();
  const auto n32 = static_cast<std::uint32_t>(n());
  Column f_ds("from_dataset", ColumnType::kString), t_ds("to_dataset", ColumnType::kString),
      via_c("via", ColumnType::kString), rec_c("records", ColumnType::kInt64), link_c("linked", ColumnType::kInt64),
      rate_c("rate", ColumnType::kDouble), miss_c("missing", ColumnType::kInt64);
  Column u_ds("dataset", ColumnType::kString), u_key("record_key", ColumnType::kString),
      u_via("via", ColumnType::kString), u_val("value", ColumnType::kString), u_find("finding", ColumnType::kString),
      u_to("to_dataset", ColumnType::kString);
  for (const RateSpec& rs : kRates) {
    const DatasetSpec* from = FindDataset(rs.from);
    const DatasetSpec* to = FindDataset(rs.to);
    const auto fi = static_cast<std::size_t>(from - specs.data());
    const auto ti = static_cast<std::size_t>(to - specs.data());
    if (!present_[fi] || !present_[ti]) continue;
    // The static tables guarantee: the field is a pv, case or crime field on both sides, and the filter
    // field is the outcome field of the source.
    const RefKind from_kind = RefOf(*from, rs.via), to_kind = RefOf(*to, rs.via);
    const bool forward = *rs.filter_field == '\0';
    std::vector<std::uint8_t> present(RefIds(to_kind).size(), 0);
    for (std::uint32_t i = 0; i < n32; ++i) {
      if (ds_[i] != ti) continue;
      const std::uint32_t v = RefValue(to_kind, i);
      if (v != kNoId) present[v] = 1;
    }
    const std::uint32_t filter_value = forward ? kNoId : outcomes_.Find(rs.filter_value);
    std::int64_t records = 0, linked = 0, missing = 0;
    for (std::uint32_t i = 0; i < n32; ++i) {
      if (ds_[i] != fi) continue;
      if (!forward && (filter_value == kNoId || outcome_[i] != filter_value)) continue;
      const std::uint32_t v = RefValue(from_kind, i);
      if (v == kNoId) {
        ++missing;
        continue;
      }
      ++records;
      // Ids of one kind share one id space: the same text has the same id in both datasets.
      if (from_kind == to_kind && present[v] != 0) {
        ++linked;
      } else {
        u_ds.AppendString(from->name);
        u_key.AppendString(keys_.Get(i));
        u_via.AppendString(forward ? std::string(rs.via)
                                   : std::string(rs.via) + " (" + rs.filter_field + "=" + rs.filter_value + ")");
        u_val.AppendString(RefIds(from_kind).Get(v));
        u_to.AppendString(to->name);
        u_find.AppendString(forward ? "not_found" : "no_follow_up");
      }
    }
    f_ds.AppendString(forward ? std::string(rs.from)
                              : std::string(rs.from) + "[" + rs.filter_field + "=" + rs.filter_value + "]");
    t_ds.AppendString(rs.to);
    via_c.AppendString(rs.via);
    rec_c.AppendInt(records);
    link_c.AppendInt(linked);
    if (records == 0) {
      rate_c.AppendNull();
    } else {
      rate_c.AppendDouble(static_cast<double>(linked) / static_cast<double>(records));
    }
    miss_c.AppendInt(missing);
  }
  // Records that reference nothing although their dataset always should (a chain of their own).
  for (std::uint32_t i = 0; i < n32; ++i) {
    const DatasetSpec& s = specs[ds_[i]];
    if (*s.ref_pv == '\0' && *s.ref_case == '\0') continue;
    // No dataset both is and references a pv (or a case): pv_/case_ hold the reference here.
    const bool has_pv = *s.ref_pv != '\0' && pv_[i] != kNoId;
    const bool has_case = *s.ref_case != '\0' && case_[i] != kNoId;
    if (has_pv || has_case) continue;
    if (std::string_view(s.name) == "om_zaken") continue;  // cases brought by other services have no pv
    u_ds.AppendString(s.name);
    u_key.AppendString(keys_.Get(i));
    u_via.AppendString(*s.ref_pv && *s.ref_case ? std::string(s.ref_pv) + "|" + s.ref_case
                                                : std::string(*s.ref_pv ? s.ref_pv : s.ref_case));
    u_val.AppendNull();
    u_to.AppendNull();
    u_find.AppendString("missing_reference");
  }
  r->link_rates = MoveTable(f_ds, t_ds, via_c, rec_c, link_c,
                         rate_c, miss_c);
  r->link_unlinked = MoveTable(u_ds, u_key, u_via, u_val, u_to,
                            u_find);
  r->counts.unlinked_findings = r->link_unlinked.num_rows();
}

Status Linker::Finish(LinkResult* r) {
  if (bad_filters_ > 0) {
    return Status::InvalidArgument("link: " + std::to_string(bad_filters_) +
                                   " Bloom encodings are not valid base64 filters; first: " + bad_example_);
  }
  DAS_RETURN_IF_ERROR(size_error_);
  // Fields that no record had: default sizes, all zero.
  if (pr_.name_words == 0) {
    pr_.name_words = seal::kNameBloomParams.bits / 64;
    pr_.surname.assign(pr_.size() * pr_.name_words, 0);
    pr_.given.assign(pr_.size() * pr_.name_words, 0);
  }
  if (pr_.date_words == 0) {
    pr_.date_words = seal::kDateBloomParams.bits / 64;
    pr_.birth_date.assign(pr_.size() * pr_.date_words, 0);
  }
  r->counts.records = n();
  LinkCases();
  r->counts.chains = chains_count_;
  DAS_RETURN_IF_ERROR(LinkPersons(r));
  RatesAndUnlinked(r);
  Report(r);
  return Status::Ok();
}

Table Linker::LinksTable() const {
  const auto& specs = Datasets();
  const auto n32 = static_cast<std::uint32_t>(n());
  Column c_ds("dataset", ColumnType::kString), c_key("record_key", ColumnType::kString),
      c_chain("chain_case_id", ColumnType::kString), c_person("person_id", ColumnType::kString),
      c_method("link_method", ColumnType::kString), c_weight("match_weight", ColumnType::kDouble),
      c_bsn("has_bsn", ColumnType::kBool), c_stage("stage", ColumnType::kString),
      c_date("event_date", ColumnType::kString), c_code("outcome_code", ColumnType::kString),
      c_out("outcome", ColumnType::kString);
  {
    // Exact sizes: the columns never grow (a growing buffer briefly needs twice its size).
    std::array<std::size_t, 9> bytes{};
    for (std::uint32_t i = 0; i < n32; ++i) {
      const DatasetSpec& s = specs[ds_[i]];
      bytes[0] += std::strlen(s.name);
      bytes[1] += keys_.Get(i).size();
      bytes[2] += IdLength(rec_chain_[i]);
      bytes[3] += rec_person_[i] == kNoId ? 0 : IdLength(rec_person_[i]);
      bytes[4] += std::strlen(MethodName(method_[i]));
      bytes[5] += std::strlen(s.stage);
      bytes[6] += date_[i] == kNoId ? 0 : dates_.Get(date_[i]).size();
      const std::string_view code = outcome_[i] == kNoId ? std::string_view() : outcomes_.Get(outcome_[i]);
      bytes[7] += code.size();
      bytes[8] += HarmoniseOutcome(s.name, code).size();
    }
    c_ds.Reserve(n32, bytes[0]);
    c_key.Reserve(n32, bytes[1]);
    c_chain.Reserve(n32, bytes[2]);
    c_person.Reserve(n32, bytes[3]);
    c_method.Reserve(n32, bytes[4]);
    c_weight.Reserve(n32);
    c_bsn.Reserve(n32);
    c_stage.Reserve(n32, bytes[5]);
    c_date.Reserve(n32, bytes[6]);
    c_code.Reserve(n32, bytes[7]);
    c_out.Reserve(n32, bytes[8]);
  }
  for (std::uint32_t i = 0; i < n32; ++i) {
    const DatasetSpec& s = specs[ds_[i]];
    c_ds.AppendString(s.name);
    c_key.AppendString(keys_.Get(i));
    c_chain.AppendString(Id('C', rec_chain_[i]));
    if (rec_person_[i] == kNoId) {
      c_person.AppendNull();
    } else {
      c_person.AppendString(Id('P', rec_person_[i]));
    }
    c_method.AppendString(MethodName(method_[i]));
    if (method_[i] == Method::kProbabilistic) {
      c_weight.AppendDouble(std::round(static_cast<double>(weight_[i]) * 1000) / 1000);
    } else {
      c_weight.AppendNull();
    }
    c_bsn.AppendBool(bsn_[i] != kNoId);
    c_stage.AppendString(s.stage);
    if (date_[i] == kNoId) {
      c_date.AppendNull();
    } else {
      c_date.AppendString(dates_.Get(date_[i]));
    }
    const std::string_view code = outcome_[i] == kNoId ? std::string_view() : outcomes_.Get(outcome_[i]);
    c_code.AppendString(code);
    c_out.AppendString(HarmoniseOutcome(s.name, code));
  }
  return MoveTable(c_ds, c_key, c_chain, c_person, c_method,
                c_weight, c_bsn, c_stage, c_date, c_code,
                c_out);
}

Table Linker::EventsTable() const {
  const auto& specs = Datasets();
  const auto n32 = static_cast<std::uint32_t>(n());
  // Event rows: (chain, record) — crimes also in the chains of their other suspects.
  struct Event {
    std::uint32_t chain;
    std::uint32_t rec;
  };
  std::vector<Event> events;
  events.reserve(n32 + crime_extra_.size());
  std::size_t x = 0;
  for (std::uint32_t i = 0; i < n32; ++i) {
    const std::uint32_t chain = rec_chain_[i];
    events.push_back({chain, i});
    for (; x < crime_extra_.size() && crime_extra_[x].first == i; ++x) {
      const std::uint32_t other = rec_chain_[crime_extra_[x].second];
      if (other != chain) events.push_back({other, i});
    }
  }
  // Dates sort as ISO text; unknown first.
  std::vector<std::uint32_t> date_rank(dates_.size());
  {
    std::vector<std::uint32_t> ids(dates_.size());
    std::iota(ids.begin(), ids.end(), 0u);
    std::sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return dates_.Get(a) < dates_.Get(b); });
    for (std::uint32_t k = 0; k < ids.size(); ++k) date_rank[ids[k]] = k + 1;
  }
  auto rank = [&](std::uint32_t rec) { return date_[rec] == kNoId ? 0u : date_rank[date_[rec]]; };
  std::sort(events.begin(), events.end(), [&](const Event& a, const Event& b) {
    if (a.chain != b.chain) return a.chain < b.chain;
    const std::uint32_t ra = rank(a.rec), rb = rank(b.rec);
    if (ra != rb) return ra < rb;
    return a.rec < b.rec;
  });
  Column e_chain("chain_case_id", ColumnType::kString), e_ds("dataset", ColumnType::kString),
      e_key("record_key", ColumnType::kString), e_stage("stage", ColumnType::kString),
      e_date("event_date", ColumnType::kString), e_out("outcome", ColumnType::kString);
  const std::size_t m = events.size();
  {
    std::array<std::size_t, 6> bytes{};
    for (const Event& e : events) {
      const DatasetSpec& s = specs[ds_[e.rec]];
      bytes[0] += IdLength(e.chain);
      bytes[1] += std::strlen(s.name);
      bytes[2] += keys_.Get(e.rec).size();
      bytes[3] += std::strlen(s.stage);
      bytes[4] += date_[e.rec] == kNoId ? 0 : dates_.Get(date_[e.rec]).size();
      bytes[5] += HarmoniseOutcome(s.name, outcome_[e.rec] == kNoId ? std::string_view()
                                                                   : outcomes_.Get(outcome_[e.rec])).size();
    }
    e_chain.Reserve(m, bytes[0]);
    e_ds.Reserve(m, bytes[1]);
    e_key.Reserve(m, bytes[2]);
    e_stage.Reserve(m, bytes[3]);
    e_date.Reserve(m, bytes[4]);
    e_out.Reserve(m, bytes[5]);
  }
  for (const Event& e : events) {
    const DatasetSpec& s = specs[ds_[e.rec]];
    e_chain.AppendString(Id('C', e.chain));
    e_ds.AppendString(s.name);
    e_key.AppendString(keys_.Get(e.rec));
    e_stage.AppendString(s.stage);
    if (date_[e.rec] == kNoId) {
      e_date.AppendNull();
    } else {
      e_date.AppendString(dates_.Get(date_[e.rec]));
    }
    e_out.AppendString(
        HarmoniseOutcome(s.name, outcome_[e.rec] == kNoId ? std::string_view() : outcomes_.Get(outcome_[e.rec])));
  }
  return MoveTable(e_chain, e_ds, e_key, e_stage, e_date,
                e_out);
}

void Linker::Report(LinkResult* r) const {
  const auto& specs = Datasets();
  using nlohmann::ordered_json;
  const FsOptions& o = options_.fs;
  ordered_json j;
  j["stage"] = "link";
  j["records"] = r->counts.records;
  j["chains"] = r->counts.chains;
  j["persons"] = r->counts.persons;
  ordered_json per_ds = ordered_json::object();
  for (std::size_t d = 0; d < specs.size(); ++d) {
    per_ds[specs[d].name] = present_[d] ? rows_[d] : 0;
  }
  j["records_per_dataset"] = per_ds;
  j["link_method"] = {{"bsn", r->counts.method_bsn},
                      {"key", r->counts.method_key},
                      {"probabilistic", r->counts.method_probabilistic},
                      {"none", r->counts.method_none}};
  ordered_json prob;
  prob["enabled"] = options_.probabilistic;
  prob["records_compared"] = r->counts.probabilistic_records;
  prob["parameters"] = {{"name_close_dice", o.name_close},
                        {"name_similar_dice", o.name_similar},
                        {"date_close_dice", o.date_close},
                        {"match_threshold_weight", o.match_threshold},
                        {"match_threshold_probability", MatchProbability(o.match_threshold)},
                        {"review_threshold_weight", o.review_threshold},
                        {"review_threshold_probability", MatchProbability(o.review_threshold)},
                        {"u_sample_pairs", o.u_sample_pairs},
                        {"max_training_pairs", o.max_training_pairs},
                        {"em_max_iterations", o.em_max_iterations},
                        {"em_tolerance", o.em_tolerance},
                        {"m_floor", o.m_floor},
                        {"max_block_size", o.max_block_size},
                        {"seed", o.seed}};
  ordered_json rules = ordered_json::array();
  for (const auto& b : r->fs.blocking) {
    rules.push_back({{"rule", b.name},
                     {"blocking", b.blocking},
                     {"blocks", b.blocks},
                     {"blocks_skipped", b.blocks_skipped},
                     {"pairs_compared", b.pairs_compared}});
  }
  prob["blocking_rules"] = rules;
  ordered_json training = ordered_json::array();
  for (const auto& t : r->fs.training) {
    ordered_json est = ordered_json::array();
    for (Field f : t.estimates) est.push_back(FieldName(f));
    training.push_back({{"rule", t.name},
                        {"blocking", t.blocking},
                        {"estimates", est},
                        {"pairs", t.pairs},
                        {"pairs_used", t.pairs_used},
                        {"em_iterations", t.iterations},
                        {"converged", t.converged},
                        {"match_share", t.lambda}});
  }
  prob["em_training"] = training;
  prob["u_pairs_sampled"] = r->fs.u_pairs_sampled;
  prob["prior_lambda"] = r->fs.model.lambda;
  prob["prior_weight"] = r->fs.model.prior_weight;
  ordered_json fields = ordered_json::object();
  for (int f = 0; f < kNumFields; ++f) {
    ordered_json levels = ordered_json::array();
    for (int l = 1; l < kLevelCount[static_cast<std::size_t>(f)]; ++l) {
      const double m = r->fs.model.m[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)];
      const double u = r->fs.model.u[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)];
      levels.push_back({{"level", LevelName(static_cast<Field>(f), l)},
                        {"m", m},
                        {"u", u},
                        {"weight", u > 0 && m > 0 ? std::log2(m / u) : 0.0}});
    }
    fields[std::string(FieldName(static_cast<Field>(f)))] = levels;
  }
  prob["m_u"] = fields;
  prob["pairs"] = {{"compared", r->fs.pairs_compared},
                   {"match", r->fs.pairs_match},
                   {"review", r->fs.pairs_review},
                   {"below", r->fs.pairs_below},
                   {"linked_entities", r->counts.pairs_linked},
                   {"refused_both_bsn", r->counts.pairs_refused_bsn}};
  prob["seconds"] = {{"estimate", r->fs.seconds_estimate}, {"score", r->fs.seconds_score}};
  j["probabilistic"] = prob;
  ordered_json rates = ordered_json::array();
  const Table& lr = r->link_rates;
  for (std::size_t row = 0; row < lr.num_rows(); ++row) {
    rates.push_back({{"from", lr.column(0).GetString(row)},
                     {"to", lr.column(1).GetString(row)},
                     {"via", lr.column(2).GetString(row)},
                     {"records", lr.column(3).GetInt(row)},
                     {"linked", lr.column(4).GetInt(row)},
                     {"rate", lr.column(5).IsNull(row) ? ordered_json() : ordered_json(lr.column(5).GetDouble(row))},
                     {"missing", lr.column(6).GetInt(row)}});
  }
  j["link_rates"] = rates;
  j["unlinked_findings"] = r->counts.unlinked_findings;
  j["review_pairs"] = r->counts.review_pairs;
  j["seconds_total"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start_).count();
  r->report_json = j.dump(2);
}


}  // namespace

Result<LinkResult> Link(const std::map<std::string, Table>& datasets, const LinkOptions& options) {
  const auto& specs = Datasets();
  Linker linker(options);
  DAS_RETURN_IF_ERROR(linker.Init());
  for (std::size_t d = 0; d < specs.size(); ++d) {
    auto it = datasets.find(specs[d].name);
    if (it != datasets.end()) DAS_RETURN_IF_ERROR(linker.AddDataset(d, it->second));
  }
  LinkResult result;
  DAS_RETURN_IF_ERROR(linker.Finish(&result));
  result.links = linker.LinksTable();
  result.link_events = linker.EventsTable();
  return result;
}

Result<LinkResult> LinkStore(store::Store& store, const LinkOptions& options) {
  const auto& specs = Datasets();
  Linker linker(options);
  DAS_RETURN_IF_ERROR(linker.Init());
  DAS_ASSIGN_OR_RETURN(auto deliveries, store.ListDeliveries());
  for (std::size_t d = 0; d < specs.size(); ++d) {
    bool any = false;
    for (const auto& del : deliveries) any = any || (del.dataset == specs[d].name && del.status == "accepted");
    if (!any) continue;
    std::vector<std::string> key(specs[d].key.begin(), specs[d].key.end());
    // Only the columns the linker reads; the table is freed as soon as its records are taken.
    DAS_ASSIGN_OR_RETURN(Table t, store.ReadCurrent(specs[d].name, key, LinkColumns(specs[d])));
    DAS_RETURN_IF_ERROR(linker.AddDataset(d, t));
    t = Table();
    ReleaseFreedMemory();
  }
  LinkResult r;
  DAS_RETURN_IF_ERROR(linker.Finish(&r));
  // One table at a time: each is written and freed before the next is built.
  {
    Table links = linker.LinksTable();
    DAS_RETURN_IF_ERROR(store.PutTable("links", links, r.report_json));
  }
  ReleaseFreedMemory();
  {
    Table events = linker.EventsTable();
    DAS_RETURN_IF_ERROR(store.PutTable("link_events", events));
  }
  DAS_RETURN_IF_ERROR(store.PutTable("link_rates", r.link_rates));
  DAS_RETURN_IF_ERROR(store.PutTable("link_unlinked", r.link_unlinked));
  DAS_RETURN_IF_ERROR(store.PutTable("link_review", r.link_review));
  r.link_unlinked = Table();
  r.link_review = Table();
  return r;
}

}  // namespace das::link
