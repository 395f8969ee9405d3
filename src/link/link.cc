// Case and person linkage over the current rows of the chain datasets. See das/link/link.h.
#include "das/link/link.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "das/seal/bloom.h"
#include "das/seal/bsn.h"
#include "das/seal/keys.h"
#include "das/seal/names.h"
#include "das/store/store.h"
#include "hash.h"
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

struct Rec {
  std::uint16_t ds = 0;  // index into Datasets()
  std::uint32_t row = 0;
  std::string key;
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

Result<LinkResult> Link(const std::map<std::string, Table>& datasets, const LinkOptions& options) {
  const auto t_start = std::chrono::steady_clock::now();
  const auto& specs = Datasets();
  std::vector<const Table*> tables(specs.size(), nullptr);
  for (std::size_t d = 0; d < specs.size(); ++d) {
    auto it = datasets.find(specs[d].name);
    if (it != datasets.end()) {
      DAS_RETURN_IF_ERROR_CTX(it->second.Validate(), std::string("link: ") + specs[d].name);
      tables[d] = &it->second;
    }
  }

  // --- records in canonical order ----------------------------------------------------------------------------
  std::vector<Rec> recs;
  for (std::size_t d = 0; d < specs.size(); ++d) {
    if (tables[d] == nullptr) continue;
    std::vector<Cell> key_cells;
    for (const char* k : specs[d].key) {
      key_cells.emplace_back(tables[d], k);
      if (!key_cells.back().present()) {
        return Status::FailedPrecondition(std::string("link: dataset ") + specs[d].name + " has no key column '" + k +
                                          "'");
      }
    }
    const std::size_t first = recs.size();
    for (std::size_t r = 0; r < tables[d]->num_rows(); ++r) {
      Rec rec;
      rec.ds = static_cast<std::uint16_t>(d);
      rec.row = static_cast<std::uint32_t>(r);
      for (std::size_t k = 0; k < key_cells.size(); ++k) {
        if (k > 0) rec.key += '#';
        rec.key += key_cells[k].Get(r);
      }
      recs.push_back(std::move(rec));
    }
    std::sort(recs.begin() + static_cast<std::ptrdiff_t>(first), recs.end(),
              [](const Rec& a, const Rec& b) { return a.key < b.key; });
  }
  const auto n = static_cast<std::uint32_t>(recs.size());
  LinkResult result;
  result.counts.records = n;

  // --- case linkage: union records sharing a pv number or a parketnummer -------------------------------------
  UnionFind chains(n);
  std::unordered_map<std::string, std::uint32_t> by_pv, by_case, crime_of;
  std::vector<std::uint32_t> crime_first_suspect;  // per record (crimes only): first suspect record, or kNone
  std::vector<std::vector<std::uint32_t>> crime_suspects_extra;
  {
    std::vector<Cell> pv_cells, case_cells, crime_cells;
    for (std::size_t d = 0; d < specs.size(); ++d) {
      const char* pv = *specs[d].own_pv ? specs[d].own_pv : specs[d].ref_pv;
      const char* cs = *specs[d].own_case ? specs[d].own_case : specs[d].ref_case;
      pv_cells.emplace_back(*pv ? tables[d] : nullptr, pv);
      case_cells.emplace_back(*cs ? tables[d] : nullptr, cs);
      crime_cells.emplace_back(*specs[d].ref_crime ? tables[d] : nullptr, specs[d].ref_crime);
    }
    for (std::uint32_t i = 0; i < n; ++i) {
      const Rec& rc = recs[i];
      if (specs[rc.ds].stage == std::string_view("crime")) crime_of.emplace(rc.key, i);
      for (int kind = 0; kind < 2; ++kind) {
        std::string_view v = (kind == 0 ? pv_cells : case_cells)[rc.ds].Get(rc.row);
        if (v.empty()) continue;
        auto [it, inserted] = (kind == 0 ? by_pv : by_case).emplace(std::string(v), i);
        if (!inserted) chains.Union(it->second, i);
      }
    }
    crime_first_suspect.assign(n, kNone);
    crime_suspects_extra.resize(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      const Rec& rc = recs[i];
      std::string_view v = crime_cells[rc.ds].Get(rc.row);
      if (v.empty()) continue;
      auto it = crime_of.find(std::string(v));
      if (it == crime_of.end()) continue;
      if (crime_first_suspect[it->second] == kNone) {
        crime_first_suspect[it->second] = i;
      } else {
        crime_suspects_extra[it->second].push_back(i);
      }
    }
  }
  // The chain root of every record (crimes: the chain of their first suspect).
  std::vector<std::uint32_t> chain_root(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    chain_root[i] = chains.Find(crime_first_suspect[i] != kNone ? crime_first_suspect[i] : i);
  }
  std::vector<std::uint32_t> chain_number(n, kNone);
  std::uint32_t next_chain = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (chain_number[chain_root[i]] == kNone) chain_number[chain_root[i]] = ++next_chain;
  }
  result.counts.chains = next_chain;

  // --- person identifiers --------------------------------------------------------------------------------------
  struct PersonInfo {
    std::string bsn;  // pseudonym (sealed) or normalised BSN (raw, in memory only)
    std::string kvk;
    bool natural = true;
    bool any = false;  // any identifier at all
  };
  std::vector<PersonInfo> info(n);
  PersonRecords pr;
  std::vector<std::uint32_t> pr_record;  // PersonRecords index -> record
  {
    auto surname_enc = seal::BloomEncoder::Create(RawKey(), "achternaam", seal::kNameBloomParams);
    auto given_enc = seal::BloomEncoder::Create(RawKey(), "voornaam", seal::kNameBloomParams);
    auto date_enc = seal::BloomEncoder::Create(RawKey(), "geboortedatum", seal::kDateBloomParams);
    if (!surname_enc.ok()) return surname_enc.status();
    if (!given_enc.ok()) return given_enc.status();
    if (!date_enc.ok()) return date_enc.status();
    auto tv = seal::Tussenvoegsels::Parse(
        "van\nde\nder\nden\nvan der\nvan den\nvan de\nte\nter\nten\nhet\nt\nin t\nop den\nop de\nla\nle\nel\nal\n"
        "du\nda\ndos\nvon\nde la\n",
        "link (built-in)");
    if (!tv.ok()) return tv.status();
    pr.name_words = 0;
    pr.date_words = 0;
    struct Pending {
      std::uint32_t rec;
      seal::BloomFilter s, g, d;
      bool hs, hg, hd;
      int year;
      std::uint8_t sex;
      std::uint32_t res;
    };
    std::vector<Pending> pending;
    std::uint64_t bad_filters = 0;
    std::string bad_example;
    for (std::size_t d = 0; d < specs.size(); ++d) {
      if (!specs[d].persons || tables[d] == nullptr) continue;
      const Table* t = tables[d];
      Cell pseudo(t, "bsn_pseudo"), status(t, "bsn_status"), raw_bsn(t, "bsn"), kind(t, "suspect_kind"),
          kvk(t, "kvk_number"), sbf(t, "surname_bf"), gbf(t, "given_names_bf"), dbf(t, "birth_date_bf"),
          year(t, "birth_year"), sex(t, "sex"), res_g(t, "residence_gemeente"), res_b(t, "residence_buurt"),
          sur(t, "surname"), tvs(t, "tussenvoegsel"), giv(t, "given_names"), bd(t, "birth_date");
      const bool sealed = pseudo.present();
      seal::SurnameParts parts;
      seal::GivenNames given;
      for (std::uint32_t i = 0; i < n; ++i) {
        if (recs[i].ds != d) continue;
        const std::uint32_t row = recs[i].row;
        PersonInfo& p = info[i];
        if (sealed) {
          if (status.Get(row) == "ok") p.bsn = std::string(pseudo.Get(row));
        } else if (raw_bsn.present()) {
          seal::BsnCheck c = seal::CheckBsn(raw_bsn.Get(row));
          if (c.status == seal::BsnStatus::kOk) p.bsn = "raw:" + std::string(c.normalised());
        }
        p.natural = kind.Get(row) != "R";
        if (!p.natural) p.kvk = std::string(kvk.Get(row));
        Pending pe{};
        pe.rec = i;
        if (p.natural) {
          if (sealed) {
            auto decode = [&](Cell& c, seal::BloomFilter& f, bool& has) {
              std::string_view v = c.Get(row);
              if (v.empty()) return;
              auto r = seal::BloomFromBase64(v);
              if (!r.ok()) {
                if (bad_filters++ == 0) {
                  bad_example = std::string(specs[d].name) + " record " + recs[i].key + " column " +
                                c.column()->name() + ": " + r.status().message();
                }
                return;
              }
              f = *r;
              has = true;
            };
            decode(sbf, pe.s, pe.hs);
            decode(gbf, pe.g, pe.hg);
            decode(dbf, pe.d, pe.hd);
            std::string_view y = year.Get(row);
            pe.year = y.empty() ? 0 : std::atoi(std::string(y).c_str());
          } else {
            std::string_view s = sur.Get(row);
            if (!s.empty()) {
              tv->Split(s, tvs.Get(row), parts);
              if (!parts.core.empty()) {
                pe.s = surname_enc->EncodeName(parts.core);
                pe.hs = true;
              }
            }
            std::string_view g = giv.Get(row);
            if (!g.empty()) {
              seal::SplitGivenNames(g, given);
              if (!given.first.empty()) {
                pe.g = given_enc->EncodeName(given.first);
                pe.hg = true;
              }
            }
            if (bd.present() && !bd.column()->IsNull(row) && bd.column()->type() == ColumnType::kDate) {
              const Date date = bd.column()->GetDate(row);
              pe.d = date_enc->EncodeDate(date);
              pe.hd = true;
              pe.year = date.year();
            }
          }
          pe.sex = SexCode(sex.Get(row));
          pe.res = GemeenteNumber(res_g.present() ? res_g.Get(row) : res_b.Get(row));
        }
        p.any = !p.bsn.empty() || !p.kvk.empty() || pe.hs || pe.hg || pe.hd;
        if (p.natural && (pe.hs || pe.hg || pe.hd)) pending.push_back(std::move(pe));
      }
    }
    if (bad_filters > 0) {
      return Status::InvalidArgument("link: " + std::to_string(bad_filters) +
                                     " Bloom encodings are not valid base64 filters; first: " + bad_example);
    }
    // The filter sizes: the same for all records of a field.
    for (const Pending& pe : pending) {
      auto check = [&](bool has, const seal::BloomFilter& f, std::uint32_t& words, const char* what) -> Status {
        if (!has) return Status::Ok();
        if (words == 0) words = f.word_count();
        if (f.word_count() != words) {
          return Status::InvalidArgument(std::string("link: ") + specs[recs[pe.rec].ds].name + " record " +
                                         recs[pe.rec].key + ": " + what + " encoding has " +
                                         std::to_string(f.bits()) + " bits, others " + std::to_string(words * 64));
        }
        return Status::Ok();
      };
      DAS_RETURN_IF_ERROR(check(pe.hs, pe.s, pr.name_words, "surname"));
      DAS_RETURN_IF_ERROR(check(pe.hg, pe.g, pr.name_words, "given name"));
      DAS_RETURN_IF_ERROR(check(pe.hd, pe.d, pr.date_words, "birth date"));
    }
    if (pr.name_words == 0) pr.name_words = seal::kNameBloomParams.bits / 64;
    if (pr.date_words == 0) pr.date_words = seal::kDateBloomParams.bits / 64;

    // --- deterministic person entities: chain, BSN, KvK -------------------------------------------------------
    UnionFind persons(n);
    {
      std::vector<std::uint32_t> first_in_chain(n, kNone);
      std::unordered_map<std::string, std::uint32_t> by_bsn, by_kvk;
      for (std::uint32_t i = 0; i < n; ++i) {
        if (specs[recs[i].ds].stage == std::string_view("crime")) continue;
        const std::uint32_t root = chains.Find(i);
        if (first_in_chain[root] == kNone) {
          first_in_chain[root] = i;
        } else {
          persons.Union(first_in_chain[root], i);
        }
        if (!info[i].bsn.empty()) {
          auto [it, ins] = by_bsn.emplace(info[i].bsn, i);
          if (!ins) persons.Union(it->second, i);
        }
        if (!info[i].kvk.empty()) {
          auto [it, ins] = by_kvk.emplace(info[i].kvk, i);
          if (!ins) persons.Union(it->second, i);
        }
      }
    }
    std::vector<std::uint8_t> entity_bsn(n, 0), entity_any(n, 0);
    std::vector<std::uint32_t> det_root(n), first_rec(n, kNone);
    for (std::uint32_t i = 0; i < n; ++i) {
      det_root[i] = persons.Find(i);
      if (first_rec[det_root[i]] == kNone) first_rec[det_root[i]] = i;
      if (!info[i].bsn.empty()) entity_bsn[det_root[i]] = 1;
      if (info[i].any) entity_any[det_root[i]] = 1;
    }
    for (const Pending& pe : pending) {
      const std::uint32_t nw = pr.name_words, dw = pr.date_words;
      const std::uint32_t root = det_root[pe.rec];
      DAS_RETURN_IF_ERROR(pr.Add(pe.hs ? pe.s.words().first(nw) : std::span<const std::uint64_t>(),
                                 pe.hg ? pe.g.words().first(nw) : std::span<const std::uint64_t>(),
                                 pe.hd ? pe.d.words().first(dw) : std::span<const std::uint64_t>(), pe.year, pe.sex,
                                 pe.res, root, entity_bsn[root] != 0));
      pr_record.push_back(pe.rec);
    }
    pending.clear();
    pending.shrink_to_fit();
    result.counts.probabilistic_records = pr.size();

    // --- probabilistic linkage and closure --------------------------------------------------------------------
    UnionFind final_persons = persons;
    std::vector<float> joined_weight(n, std::nanf(""));  // per deterministic root: best accepted weight
    if (options.probabilistic && pr.size() >= 2) {
      DAS_ASSIGN_OR_RETURN(result.fs, RunFellegiSunter(pr, options.fs));
      std::vector<std::uint8_t> has_bsn = entity_bsn;  // per final root
      const auto match_t = static_cast<float>(options.fs.match_threshold);
      for (const ScoredPair& p : result.fs.pairs) {
        if (p.weight < match_t) break;  // sorted by weight
        const std::uint32_t a = pr_record[p.a], b = pr_record[p.b];
        const std::uint32_t ra = final_persons.Find(a), rb = final_persons.Find(b);
        if (ra == rb) continue;
        if (has_bsn[ra] && has_bsn[rb]) {
          ++result.counts.pairs_refused_bsn;
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
        const std::uint32_t r = final_persons.Union(ra, rb);
        has_bsn[r] = has_bsn[ra] | has_bsn[rb];
        ++result.counts.pairs_linked;
      }
    }

    // --- ids and the links table ------------------------------------------------------------------------------
    std::vector<std::uint32_t> person_number(n, kNone);
    std::vector<std::uint8_t> final_any(n, 0);
    for (std::uint32_t i = 0; i < n; ++i) {
      if (entity_any[det_root[i]]) final_any[final_persons.Find(i)] = 1;
    }
    std::uint32_t next_person = 0;
    std::vector<std::uint32_t> rec_person(n, kNone);
    for (std::uint32_t i = 0; i < n; ++i) {
      if (specs[recs[i].ds].stage == std::string_view("crime")) continue;
      const std::uint32_t root = final_persons.Find(i);
      if (!final_any[root]) continue;
      if (person_number[root] == kNone) person_number[root] = ++next_person;
      rec_person[i] = person_number[root];
    }
    result.counts.persons = next_person;

    Column c_ds("dataset", ColumnType::kString), c_key("record_key", ColumnType::kString),
        c_chain("chain_case_id", ColumnType::kString), c_person("person_id", ColumnType::kString),
        c_method("link_method", ColumnType::kString), c_weight("match_weight", ColumnType::kDouble),
        c_bsn("has_bsn", ColumnType::kBool), c_stage("stage", ColumnType::kString),
        c_date("event_date", ColumnType::kString), c_code("outcome_code", ColumnType::kString),
        c_out("outcome", ColumnType::kString);
    for (Column* c : {&c_ds, &c_key, &c_chain, &c_person, &c_method, &c_weight, &c_bsn, &c_stage, &c_date, &c_code,
                      &c_out}) {
      c->Reserve(n);
    }
    std::vector<Cell> date_cells, outcome_cells;
    for (std::size_t d = 0; d < specs.size(); ++d) {
      date_cells.emplace_back(*specs[d].date_field ? tables[d] : nullptr, specs[d].date_field);
      outcome_cells.emplace_back(*specs[d].outcome_field ? tables[d] : nullptr, specs[d].outcome_field);
    }
    // Event rows: (chain, record, date) — crimes also in the chains of their other suspects.
    struct Event {
      std::uint32_t chain;
      std::uint32_t rec;
    };
    std::vector<Event> events;
    events.reserve(n);
    std::vector<std::string> event_date(n), outcome_code(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      const Rec& rc = recs[i];
      const DatasetSpec& s = specs[rc.ds];
      event_date[i] = std::string(date_cells[rc.ds].Get(rc.row));
      outcome_code[i] = std::string(outcome_cells[rc.ds].Get(rc.row));
      c_ds.AppendString(s.name);
      c_key.AppendString(rc.key);
      const std::uint32_t chain = chain_number[chain_root[i]];
      c_chain.AppendString(Id('C', chain));
      events.push_back({chain, i});
      for (std::uint32_t x : crime_suspects_extra[i]) {
        const std::uint32_t other = chain_number[chain_root[x]];
        if (other != chain) events.push_back({other, i});
      }
      const bool crime = s.stage == std::string_view("crime");
      if (rec_person[i] == kNone) {
        c_person.AppendNull();
      } else {
        c_person.AppendString(Id('P', rec_person[i]));
      }
      const float w = joined_weight[det_root[i]];
      std::string_view method = "none";
      if (crime || rec_person[i] == kNone) {
        method = "none";
      } else if (!info[i].bsn.empty()) {
        method = "bsn";
      } else if (!std::isnan(w)) {
        method = "probabilistic";
      } else if (persons.Size(i) >= 2) {
        method = "key";
      }
      c_method.AppendString(method);
      if (method == "probabilistic") {
        c_weight.AppendDouble(std::round(static_cast<double>(w) * 1000) / 1000);
      } else {
        c_weight.AppendNull();
      }
      if (method == "bsn") ++result.counts.method_bsn;
      else if (method == "probabilistic") ++result.counts.method_probabilistic;
      else if (method == "key") ++result.counts.method_key;
      else ++result.counts.method_none;
      if (info[i].any) ++result.counts.person_records;
      c_bsn.AppendBool(!info[i].bsn.empty());
      c_stage.AppendString(s.stage);
      if (event_date[i].empty()) c_date.AppendNull(); else c_date.AppendString(event_date[i]);
      c_code.AppendString(outcome_code[i]);
      c_out.AppendString(HarmoniseOutcome(s.name, outcome_code[i]));
    }
    result.links = Table({std::move(c_ds), std::move(c_key), std::move(c_chain), std::move(c_person),
                          std::move(c_method), std::move(c_weight), std::move(c_bsn), std::move(c_stage),
                          std::move(c_date), std::move(c_code), std::move(c_out)});

    std::stable_sort(events.begin(), events.end(), [&](const Event& a, const Event& b) {
      if (a.chain != b.chain) return a.chain < b.chain;
      const std::string& da = event_date[a.rec];
      const std::string& db = event_date[b.rec];
      if (da != db) return da < db;  // ISO dates sort as text; unknown first
      return a.rec < b.rec;
    });
    Column e_chain("chain_case_id", ColumnType::kString), e_ds("dataset", ColumnType::kString),
        e_key("record_key", ColumnType::kString), e_stage("stage", ColumnType::kString),
        e_date("event_date", ColumnType::kString), e_out("outcome", ColumnType::kString);
    for (const Event& e : events) {
      const Rec& rc = recs[e.rec];
      e_chain.AppendString(Id('C', e.chain));
      e_ds.AppendString(specs[rc.ds].name);
      e_key.AppendString(rc.key);
      e_stage.AppendString(specs[rc.ds].stage);
      if (event_date[e.rec].empty()) e_date.AppendNull(); else e_date.AppendString(event_date[e.rec]);
      e_out.AppendString(HarmoniseOutcome(specs[rc.ds].name, outcome_code[e.rec]));
    }
    result.link_events = Table({std::move(e_chain), std::move(e_ds), std::move(e_key), std::move(e_stage),
                                std::move(e_date), std::move(e_out)});

    // --- review band -----------------------------------------------------------------------------------------
    Column r_da("dataset_a", ColumnType::kString), r_ka("record_key_a", ColumnType::kString),
        r_db("dataset_b", ColumnType::kString), r_kb("record_key_b", ColumnType::kString),
        r_w("match_weight", ColumnType::kDouble), r_p("match_probability", ColumnType::kDouble),
        r_l("levels", ColumnType::kString), r_same("same_person_after_linkage", ColumnType::kBool);
    for (const ScoredPair& p : result.fs.pairs) {
      if (p.weight >= static_cast<float>(options.fs.match_threshold)) continue;
      const std::uint32_t a = pr_record[p.a], b = pr_record[p.b];
      r_da.AppendString(specs[recs[a].ds].name);
      r_ka.AppendString(recs[a].key);
      r_db.AppendString(specs[recs[b].ds].name);
      r_kb.AppendString(recs[b].key);
      r_w.AppendDouble(std::round(static_cast<double>(p.weight) * 1000) / 1000);
      r_p.AppendDouble(std::round(MatchProbability(p.weight) * 1e6) / 1e6);
      const auto lv = CompareRecords(pr, p.a, p.b, options.fs);
      std::string levels;
      for (int f = 0; f < kNumFields; ++f) {
        if (f > 0) levels += ',';
        levels += FieldName(static_cast<Field>(f));
        levels += '=';
        levels += LevelName(static_cast<Field>(f), lv[static_cast<std::size_t>(f)]);
      }
      r_l.AppendString(levels);
      r_same.AppendBool(rec_person[a] == rec_person[b]);
    }
    result.link_review = Table({std::move(r_da), std::move(r_ka), std::move(r_db), std::move(r_kb), std::move(r_w),
                                std::move(r_p), std::move(r_l), std::move(r_same)});
  }

  // --- link rates and unlinked records -----------------------------------------------------------------------
  {
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
      if (tables[fi] == nullptr || tables[ti] == nullptr) continue;
      Cell target(tables[ti], rs.via);
      std::unordered_map<std::string, bool> present;
      for (std::size_t r = 0; r < tables[ti]->num_rows(); ++r) {
        std::string_view v = target.Get(r);
        if (!v.empty()) present.emplace(std::string(v), true);
      }
      Cell ref(tables[fi], rs.via), filter(*rs.filter_field ? tables[fi] : nullptr, rs.filter_field);
      std::int64_t records = 0, linked = 0, missing = 0;
      const bool forward = *rs.filter_field == '\0';
      for (std::uint32_t i = 0; i < n; ++i) {
        if (recs[i].ds != fi) continue;
        if (!forward && filter.Get(recs[i].row) != rs.filter_value) continue;
        std::string_view v = ref.Get(recs[i].row);
        if (v.empty()) {
          ++missing;
          continue;
        }
        ++records;
        if (present.count(std::string(v)) != 0) {
          ++linked;
        } else {
          u_ds.AppendString(from->name);
          u_key.AppendString(recs[i].key);
          u_via.AppendString(forward ? std::string(rs.via) : std::string(rs.via) + " (" + rs.filter_field + "=" +
                                                                 rs.filter_value + ")");
          u_val.AppendString(v);
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
      if (records == 0) rate_c.AppendNull(); else rate_c.AppendDouble(static_cast<double>(linked) / static_cast<double>(records));
      miss_c.AppendInt(missing);
    }
    // Records that reference nothing although their dataset always should (a chain of their own).
    for (std::uint32_t i = 0; i < n; ++i) {
      const DatasetSpec& s = specs[recs[i].ds];
      if (*s.ref_pv == '\0' && *s.ref_case == '\0') continue;
      std::string_view pv = *s.ref_pv ? Cell(tables[recs[i].ds], s.ref_pv).Get(recs[i].row) : std::string_view();
      std::string pv_copy(pv);
      std::string_view cs = *s.ref_case ? Cell(tables[recs[i].ds], s.ref_case).Get(recs[i].row) : std::string_view();
      if (!pv_copy.empty() || !cs.empty()) continue;
      if (std::string_view(s.name) == "om_zaken") continue;  // cases brought by other services have no pv
      u_ds.AppendString(s.name);
      u_key.AppendString(recs[i].key);
      u_via.AppendString(*s.ref_pv && *s.ref_case ? std::string(s.ref_pv) + "|" + s.ref_case
                                                  : std::string(*s.ref_pv ? s.ref_pv : s.ref_case));
      u_val.AppendNull();
      u_to.AppendNull();
      u_find.AppendString("missing_reference");
    }
    result.link_rates = Table({std::move(f_ds), std::move(t_ds), std::move(via_c), std::move(rec_c), std::move(link_c),
                               std::move(rate_c), std::move(miss_c)});
    result.link_unlinked = Table({std::move(u_ds), std::move(u_key), std::move(u_via), std::move(u_val),
                                  std::move(u_to), std::move(u_find)});
  }

  // --- report ----------------------------------------------------------------------------------------------
  {
    using nlohmann::ordered_json;
    const FsOptions& o = options.fs;
    ordered_json j;
    j["stage"] = "link";
    j["records"] = result.counts.records;
    j["chains"] = result.counts.chains;
    j["persons"] = result.counts.persons;
    ordered_json per_ds = ordered_json::object();
    for (std::size_t d = 0; d < specs.size(); ++d) {
      per_ds[specs[d].name] = tables[d] == nullptr ? 0 : tables[d]->num_rows();
    }
    j["records_per_dataset"] = per_ds;
    j["link_method"] = {{"bsn", result.counts.method_bsn},
                        {"key", result.counts.method_key},
                        {"probabilistic", result.counts.method_probabilistic},
                        {"none", result.counts.method_none}};
    ordered_json prob;
    prob["enabled"] = options.probabilistic;
    prob["records_compared"] = result.counts.probabilistic_records;
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
    for (const auto& b : result.fs.blocking) {
      rules.push_back({{"rule", b.name},
                       {"blocking", b.blocking},
                       {"blocks", b.blocks},
                       {"blocks_skipped", b.blocks_skipped},
                       {"pairs_compared", b.pairs_compared}});
    }
    prob["blocking_rules"] = rules;
    ordered_json training = ordered_json::array();
    for (const auto& t : result.fs.training) {
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
    prob["u_pairs_sampled"] = result.fs.u_pairs_sampled;
    prob["prior_lambda"] = result.fs.model.lambda;
    prob["prior_weight"] = result.fs.model.prior_weight;
    ordered_json fields = ordered_json::object();
    for (int f = 0; f < kNumFields; ++f) {
      ordered_json levels = ordered_json::array();
      for (int l = 1; l < kLevelCount[static_cast<std::size_t>(f)]; ++l) {
        const double m = result.fs.model.m[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)];
        const double u = result.fs.model.u[static_cast<std::size_t>(f)][static_cast<std::size_t>(l)];
        levels.push_back({{"level", LevelName(static_cast<Field>(f), l)},
                          {"m", m},
                          {"u", u},
                          {"weight", u > 0 && m > 0 ? std::log2(m / u) : 0.0}});
      }
      fields[std::string(FieldName(static_cast<Field>(f)))] = levels;
    }
    prob["m_u"] = fields;
    prob["pairs"] = {{"compared", result.fs.pairs_compared},
                     {"match", result.fs.pairs_match},
                     {"review", result.fs.pairs_review},
                     {"below", result.fs.pairs_below},
                     {"linked_entities", result.counts.pairs_linked},
                     {"refused_both_bsn", result.counts.pairs_refused_bsn}};
    prob["seconds"] = {{"estimate", result.fs.seconds_estimate}, {"score", result.fs.seconds_score}};
    j["probabilistic"] = prob;
    ordered_json rates = ordered_json::array();
    const Table& lr = result.link_rates;
    for (std::size_t r = 0; r < lr.num_rows(); ++r) {
      rates.push_back({{"from", lr.column(0).GetString(r)},
                       {"to", lr.column(1).GetString(r)},
                       {"via", lr.column(2).GetString(r)},
                       {"records", lr.column(3).GetInt(r)},
                       {"linked", lr.column(4).GetInt(r)},
                       {"rate", lr.column(5).IsNull(r) ? ordered_json() : ordered_json(lr.column(5).GetDouble(r))},
                       {"missing", lr.column(6).GetInt(r)}});
    }
    j["link_rates"] = rates;
    j["unlinked_findings"] = result.link_unlinked.num_rows();
    j["review_pairs"] = result.link_review.num_rows();
    j["seconds_total"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    result.report_json = j.dump(2);
  }
  result.fs.pairs.clear();
  result.fs.pairs.shrink_to_fit();
  return result;
}

Result<LinkResult> LinkStore(store::Store& store, const LinkOptions& options) {
  std::map<std::string, Table> data;
  DAS_ASSIGN_OR_RETURN(auto deliveries, store.ListDeliveries());
  for (const DatasetSpec& d : Datasets()) {
    bool any = false;
    for (const auto& del : deliveries) any = any || (del.dataset == d.name && del.status == "accepted");
    if (!any) continue;
    std::vector<std::string> key(d.key.begin(), d.key.end());
    DAS_ASSIGN_OR_RETURN(Table t, store.ReadCurrent(d.name, key));
    data.emplace(d.name, std::move(t));
  }
  DAS_ASSIGN_OR_RETURN(LinkResult r, Link(data, options));
  data.clear();
  DAS_RETURN_IF_ERROR(store.PutTable("links", r.links, r.report_json));
  DAS_RETURN_IF_ERROR(store.PutTable("link_rates", r.link_rates));
  DAS_RETURN_IF_ERROR(store.PutTable("link_events", r.link_events));
  DAS_RETURN_IF_ERROR(store.PutTable("link_unlinked", r.link_unlinked));
  DAS_RETURN_IF_ERROR(store.PutTable("link_review", r.link_review));
  return r;
}

}  // namespace das::link
