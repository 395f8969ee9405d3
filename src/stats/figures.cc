// Key figures (formula evaluation over the chain tables), fines and distinct suspects; the configuration of
// themes and key figures (the only TU of these that includes toml++).
#include "das/stats/figures.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

#include <toml++/toml.h>

#include "das/geo/geography.h"
#include "das/harmonise/codelists.h"
#include "das/protect/ckm.h"
#include "das/store/store.h"
#include "dimensions.h"
#include "formula.h"

namespace das::stats {
namespace fi = figures_internal;
namespace {

constexpr std::int32_t kNoDay = std::numeric_limits<std::int32_t>::min();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- configuration -----------------------------------------------------------------------------------------

std::string Where(const std::string& file, const toml::node& n) {
  return n.source().begin.line > 0 ? file + ": line " + std::to_string(n.source().begin.line) : file;
}

Result<std::string> Str(const std::string& file, const toml::table& t, const char* key, bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) return Status::ParseError(Where(file, t) + ": missing '" + key + "'");
    return std::string();
  }
  if (!n->is_string()) return Status::ParseError(Where(file, *n) + ": '" + key + "' must be a string");
  return n->as_string()->get();
}

Result<toml::table> ParseToml(const std::string& text, const std::string& name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return Status::ParseError(name + ": line " + std::to_string(e.source().begin.line) + ", column " +
                              std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
}

const char* const kThemes[] = {"preventie", "slachtofferschap", "opsporing", "vervolging", "berechting",
                               "tenuitvoerlegging"};

// ---- chain tables --------------------------------------------------------------------------------------------
//
// Scale (ten national years: 15M stage units): every chain table and every column is read from the store once
// per ComputeAllFigures, and only the columns a formula or table names (Store::GetTable(name, {column})).
// String columns are dictionary-encoded in one pass (filters then compare integers); dates become day numbers
// and year indices; persons get one integer id across the tables (residence and person keys are looked up by
// it, no per-row strings).

constexpr std::uint32_t kNullId = std::numeric_limits<std::uint32_t>::max();

// A string column, dictionary-encoded: per row an index into dict (kNullId for null).
struct Interned {
  std::vector<std::uint32_t> id;
  std::vector<std::string> dict;  // first-appearance order
  static constexpr std::uint32_t kNull = kNullId;
  std::string_view Get(std::size_t i) const { return id[i] == kNull ? std::string_view() : dict[id[i]]; }
  // Dictionary index of `value`, or kNull.
  std::uint32_t Find(std::string_view value) const {
    for (std::size_t d = 0; d < dict.size(); ++d) {
      if (dict[d] == value) return static_cast<std::uint32_t>(d);
    }
    return kNull;
  }
};

Interned InternColumn(const Column& c) {
  Interned in;
  in.id.assign(c.size(), Interned::kNull);
  std::unordered_map<std::string_view, std::uint32_t> index;  // views into c (alive during this call)
  std::string_view last;
  std::uint32_t last_id = Interned::kNull;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (c.IsNull(i)) continue;
    const std::string_view v = c.GetString(i);
    if (last_id != Interned::kNull && v == last) {  // runs of one value (tables grouped by stage) skip the hash
      in.id[i] = last_id;
      continue;
    }
    auto [pos, fresh] = index.emplace(v, static_cast<std::uint32_t>(in.dict.size()));
    if (fresh) in.dict.emplace_back(v);
    in.id[i] = last_id = pos->second;
    last = v;
  }
  return in;
}

// One column of a store table; nullopt when the table has no such column.
Result<std::optional<Column>> ReadColumn(store::Store* store, const char* table, const std::string& name) {
  auto t = store->GetTable(table, {name});
  if (!t.ok()) {
    if (t.status().code() == StatusCode::kNotFound) return std::optional<Column>();
    return t.status();
  }
  if (t->num_columns() != 1) return std::optional<Column>();
  return std::optional<Column>(std::move(t->column(0)));
}

// A column as kept: strings encoded, other types as read.
struct EncodedColumn {
  ColumnType type = ColumnType::kString;
  Interned str;  // kString
  Column raw;    // the other types
  bool IsNull(std::size_t i) const { return type == ColumnType::kString ? str.id[i] == Interned::kNull : raw.IsNull(i); }
};

struct SourceSpec {
  const char* source;
  const char* table;
  const char* entry;
  const char* exit;  // "" = no exit date
};
constexpr SourceSpec kSources[] = {
    {"units", "chain_stage_units", "entry_date", "exit_date"},
    {"sanctions", "chain_sanctions", "judgment_date", ""},
    {"executions", "chain_executions", "start_date", "end_date"},
};

// The years from..to as day ranges.
class YearRange {
 public:
  YearRange(int from, int to) : from_(from), to_(to) {
    for (int y = from; y <= to; ++y) {
      first_.push_back(Date::FromYmdUnchecked(y, 1, 1).days());
      last_.push_back(Date::FromYmdUnchecked(y, 12, 31).days());
    }
  }
  int from() const { return from_; }
  int to() const { return to_; }
  int years() const { return to_ - from_ + 1; }
  // Year index of a day, -1 outside from..to.
  int YearOf(std::int32_t day) const {
    if (day == kNoDay) return -1;
    for (int y = 0; y < years(); ++y) {
      if (day >= first_[static_cast<std::size_t>(y)] && day <= last_[static_cast<std::size_t>(y)]) return y;
    }
    return -1;
  }
  std::int32_t LastDay(int y) const { return last_[static_cast<std::size_t>(y)]; }

 private:
  int from_, to_;
  std::vector<std::int32_t> first_, last_;
};

// One chain table: per-row dates and year indices, columns read at first use (and kept until dropped).
class SourceData {
 public:
  Status Load(store::Store* store, const SourceSpec& spec, const YearRange& years) {
    store_ = store;
    spec_ = spec;
    auto has = store->HasTable(spec.table);
    if (!has.ok()) return has.status();
    if (!*has) {
      return Status::FailedPrecondition(std::string("stats: table '") + spec.table +
                                        "' is missing (run das chain first)");
    }
    auto dates = [&](const char* name, std::vector<std::int32_t>* out, std::vector<std::int8_t>* year) -> Status {
      if (*name == 0) {
        out->assign(rows_, kNoDay);
        year->assign(rows_, -1);
        return Status::Ok();
      }
      DAS_ASSIGN_OR_RETURN(std::optional<Column> c, ReadColumn(store_, spec_.table, name));
      if (!c || c->type() != ColumnType::kDate) {
        return Status::FailedPrecondition(std::string("stats: table '") + spec_.table + "' has no date column '" +
                                          name + "'");
      }
      if (out == &entry) rows_ = c->size();
      out->assign(rows_, kNoDay);
      year->assign(rows_, -1);
      for (std::size_t i = 0; i < rows_ && i < c->size(); ++i) {
        if (c->IsNull(i)) continue;
        (*out)[i] = c->GetDate(i).days();
        (*year)[i] = static_cast<std::int8_t>(years.YearOf((*out)[i]));
      }
      return Status::Ok();
    };
    DAS_RETURN_IF_ERROR(dates(spec.entry, &entry, &entry_year));
    DAS_RETURN_IF_ERROR(dates(spec.exit, &exit, &exit_year));
    return Status::Ok();
  }

  std::size_t rows() const { return rows_; }
  const SourceSpec& spec() const { return spec_; }

  // The column `name` (nullptr when the table has none), read and encoded at the first call.
  Result<const EncodedColumn*> Col(const std::string& name) {
    auto it = cols_.find(name);
    if (it != cols_.end()) return it->second.get();
    DAS_ASSIGN_OR_RETURN(std::optional<Column> c, ReadColumn(store_, spec_.table, name));
    std::unique_ptr<EncodedColumn> e;
    if (c) {
      if (c->size() != rows_) {
        return Status::Corruption(std::string("stats: column '") + name + "' of " + spec_.table + " has " +
                                  std::to_string(c->size()) + " rows, expected " + std::to_string(rows_));
      }
      e = std::make_unique<EncodedColumn>();
      e->type = c->type();
      if (c->type() == ColumnType::kString) e->str = InternColumn(*c);
      else e->raw = std::move(*c);
    }
    return cols_.emplace(name, std::move(e)).first->second.get();
  }
  // A string column's encoding; FailedPrecondition when the column exists with another type.
  Result<const Interned*> Text(const std::string& name) {
    DAS_ASSIGN_OR_RETURN(const EncodedColumn* c, Col(name));
    if (c == nullptr) return static_cast<const Interned*>(nullptr);
    if (c->type != ColumnType::kString) {
      return Status::FailedPrecondition(std::string("stats: column '") + name + "' of " + spec_.table +
                                        " is not a text column");
    }
    return &c->str;
  }
  // Frees a column (read again when asked for).
  void Drop(const std::string& name) { cols_.erase(name); }

  // Record keys of the rows' units ("<stage>:<unit_id>", "sanction:<record_key>", "<organisation>:<record_key>");
  // all 0 without a keyer.
  Result<const std::vector<std::uint32_t>*> Keys(const protect::RecordKeyer* keyer) {
    if (keys_done_) return &keys_;
    keys_.assign(rows(), 0);
    if (keyer == nullptr || rows() == 0) {
      keys_done_ = true;
      return &keys_;
    }
    const std::string src = spec_.source;
    const Interned* prefix = nullptr;
    if (src != "sanctions") {
      DAS_ASSIGN_OR_RETURN(prefix, Text(src == "units" ? "stage" : "organisation"));
    }
    const std::string id_name = src == "units" ? "unit_id" : "record_key";
    DAS_ASSIGN_OR_RETURN(std::optional<Column> id, ReadColumn(store_, spec_.table, id_name));
    if (id && id->type() != ColumnType::kString) {
      return Status::FailedPrecondition("stats: column '" + id_name + "' of " + spec_.table + " is not a text column");
    }
    if (id) {
      std::string buf;
      for (std::size_t i = 0; i < rows(); ++i) {
        buf.clear();
        if (prefix != nullptr) buf.append(prefix->Get(i));
        else buf.append("sanction");
        buf += ':';
        buf.append(id->GetString(i));
        keys_[i] = keyer->Key(buf);
      }
    }
    keys_done_ = true;
    return &keys_;
  }

  std::vector<std::int32_t> entry, exit;
  std::vector<std::int8_t> entry_year, exit_year;  // year index, -1 outside the years (or no date)
  std::vector<std::uint32_t> person;               // global person id per row (ChainData::Persons)
  bool person_done = false, has_person = false;

 private:
  store::Store* store_ = nullptr;
  SourceSpec spec_{};
  std::size_t rows_ = 0;
  std::map<std::string, std::unique_ptr<EncodedColumn>> cols_;
  std::vector<std::uint32_t> keys_;
  bool keys_done_ = false;
};

// The chain data of one computation (shared by the key figures, fines and distinct suspects of
// ComputeAllFigures): the source tables, one person dictionary, the residences and the person keys.
// Not thread-safe.
class ChainData {
 public:
  static constexpr std::uint32_t kNoResidence = kNullId, kNullGemeente = kNullId - 1;

  ChainData(store::Store* store, int from, int to) : store_(store), years_(from, to) {}

  Status Init(const FiguresOptions& options) {
    if (!options.record_key_secret.empty()) {
      DAS_ASSIGN_OR_RETURN(auto k, protect::RecordKeyer::Create(options.record_key_secret));
      keyer_ = std::make_unique<protect::RecordKeyer>(k);
    }
    return Status::Ok();
  }

  store::Store* store() const { return store_; }
  const YearRange& range() const { return years_; }
  const protect::RecordKeyer* keyer() const { return keyer_.get(); }

  Result<SourceData*> Source(const std::string& name) {
    auto it = sources_.find(name);
    if (it != sources_.end()) return it->second.get();
    for (const SourceSpec& s : kSources) {
      if (name == s.source) {
        auto d = std::make_unique<SourceData>();
        DAS_RETURN_IF_ERROR(d->Load(store_, s, years_));
        return sources_.emplace(name, std::move(d)).first->second.get();
      }
    }
    return Status::InvalidArgument("stats: unknown source '" + name + "'");
  }
  // Frees every table (read again when asked for).
  void Release() { sources_.clear(); }

  // Fills src->person (global ids, kNullId for null); has_person false when the table has no person_id.
  Status Persons(SourceData* src) {
    if (src->person_done) return Status::Ok();
    DAS_ASSIGN_OR_RETURN(const Interned* p, src->Text("person_id"));
    src->person_done = true;
    src->has_person = p != nullptr;
    if (p == nullptr) return Status::Ok();
    std::vector<std::uint32_t> global(p->dict.size());
    for (std::size_t d = 0; d < p->dict.size(); ++d) global[d] = PersonId(p->dict[d]);
    src->person.assign(src->rows(), kNullId);
    for (std::size_t i = 0; i < src->rows(); ++i) {
      if (p->id[i] != Interned::kNull) src->person[i] = global[p->id[i]];
    }
    src->Drop("person_id");
    return Status::Ok();
  }

  std::uint32_t PersonId(std::string_view person) {
    auto [it, fresh] = person_index_.try_emplace(std::string(person), static_cast<std::uint32_t>(person_names_.size()));
    if (fresh) person_names_.push_back(&it->first);
    return it->second;
  }
  std::size_t persons() const { return person_names_.size(); }
  // Record key of a person ("person:<person_id>"), computed once per person.
  std::uint32_t PersonKey(std::uint32_t person) {
    if (!keyer_) return 0;
    if (person >= person_keys_.size()) person_keys_.resize(person_names_.size(), kNullId);
    std::uint32_t& k = person_keys_[person];
    if (k == kNullId) k = keyer_->Key("person:" + *person_names_[person]);
    return k;
  }

  // chain_person_residence, once: per person id and year index the gemeente (index into residence_gemeenten()),
  // kNullGemeente for a null gemeente, kNoResidence without a row.
  Status EnsureResidence() {
    if (residence_loaded_) return residence_status_;
    residence_loaded_ = true;
    residence_status_ = LoadResidence();
    return residence_status_;
  }
  std::uint32_t Residence(std::uint32_t person, int y) const {
    const std::size_t k = static_cast<std::size_t>(person) * static_cast<std::size_t>(years_.years()) +
                          static_cast<std::size_t>(y);
    return k < residence_.size() ? residence_[k] : kNoResidence;
  }
  const std::vector<std::string>& residence_gemeenten() const { return residence_gemeenten_; }

 private:
  Status LoadResidence() {
    DAS_ASSIGN_OR_RETURN(bool has, store_->HasTable("chain_person_residence"));
    if (!has) return Status::FailedPrecondition("stats: table 'chain_person_residence' is missing (run das chain first)");
    auto t = store_->GetTable("chain_person_residence", {"person_id", "year", "gemeente_2024"});
    const Status lacks =
        Status::FailedPrecondition("stats: chain_person_residence lacks person_id, year or gemeente_2024");
    if (!t.ok()) return t.status().code() == StatusCode::kNotFound ? lacks : t.status();
    if (t->num_columns() != 3) return lacks;
    const Column& p = t->column(0);
    const Column& y = t->column(1);
    const Column& g = t->column(2);
    if (p.type() != ColumnType::kString || g.type() != ColumnType::kString || y.type() == ColumnType::kString ||
        y.type() == ColumnType::kDouble) {
      return Status::FailedPrecondition("stats: chain_person_residence: person_id and gemeente_2024 must be text, "
                                        "year an integer");
    }
    const Interned gem = InternColumn(g);
    residence_gemeenten_ = gem.dict;
    std::vector<std::uint32_t> ids(t->num_rows(), kNullId);
    for (std::size_t i = 0; i < t->num_rows(); ++i) {
      if (!p.IsNull(i) && !y.IsNull(i)) ids[i] = PersonId(p.GetString(i));
    }
    const std::size_t Y = static_cast<std::size_t>(years_.years());
    residence_.assign(persons() * Y, kNoResidence);
    for (std::size_t i = 0; i < t->num_rows(); ++i) {
      if (ids[i] == kNullId) continue;
      const std::int64_t year = y.GetInt(i) - years_.from();
      if (year < 0 || year >= years_.years()) continue;  // never asked for
      residence_[ids[i] * Y + static_cast<std::size_t>(year)] = g.IsNull(i) ? kNullGemeente : gem.id[i];  // later rows win
    }
    return Status::Ok();
  }

  store::Store* store_;
  YearRange years_;
  std::unique_ptr<protect::RecordKeyer> keyer_;
  std::map<std::string, std::unique_ptr<SourceData>> sources_;
  std::unordered_map<std::string, std::uint32_t> person_index_;
  std::vector<const std::string*> person_names_;  // keys of person_index_ (stable)
  std::vector<std::uint32_t> person_keys_;        // kNullId: not computed
  bool residence_loaded_ = false;
  Status residence_status_;
  std::vector<std::uint32_t> residence_;          // [person * years + year]
  std::vector<std::string> residence_gemeenten_;
};

bool MatchesCode(std::string_view value, std::string_view pattern) {
  std::size_t start = 0;
  while (start <= pattern.size()) {
    const std::size_t bar = pattern.find('|', start);
    const std::string_view alt = pattern.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    if (value == alt || (value.size() > alt.size() && value.substr(0, alt.size()) == alt && value[alt.size()] == '_')) {
      return true;
    }
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return false;
}

// A compiled filter on one column.
struct RowFilter {
  const EncodedColumn* column = nullptr;
  std::vector<std::uint8_t> allowed;   // string columns: by dict id
  std::int64_t int_value = 0;          // bool / int columns
  double num_value = 0;                // double columns

  bool Match(std::size_t i) const {
    if (column->type == ColumnType::kString) {
      const std::uint32_t id = column->str.id[i];
      return id != Interned::kNull && allowed[id] != 0;
    }
    const Column& c = column->raw;
    if (c.IsNull(i)) return false;
    switch (c.type()) {
      case ColumnType::kString: return false;
      case ColumnType::kBool:
      case ColumnType::kInt64:
      case ColumnType::kDate: return c.GetInt(i) == int_value;
      case ColumnType::kDouble: return c.GetDouble(i) == num_value;
    }
    return false;
  }
};

// Values of one primitive per cell (year x RegioS code).
struct Prim {
  std::vector<double> value;
  std::vector<std::int64_t> n;        // -1 per cell: not a unit count
  std::vector<std::uint32_t> key;
  std::vector<double> top1, top2;
};

// The evaluation context of one table family at one RegioS level, over shared ChainData.
class Engine {
 public:
  Engine(ChainData* data, const FiguresOptions& options, BuiltDimension regio)
      : data_(data), options_(options), regio_(std::move(regio)) {}

  int years() const { return data_->range().years(); }
  std::size_t regions() const { return regio_.spec.codes.size(); }
  std::size_t cells() const { return static_cast<std::size_t>(years()) * regions(); }
  const BuiltDimension& regio() const { return regio_; }
  const protect::RecordKeyer* keyer() const { return data_->keyer(); }
  std::int32_t LastDay(int y) const { return data_->range().LastDay(y); }
  Result<SourceData*> Source(const std::string& name) { return data_->Source(name); }

  // Region leaf per row (from gemeente_2024; unknown without the column).
  Result<const std::vector<int>*> Leaves(SourceData* src) {
    auto it = leaves_.find(src);
    if (it != leaves_.end()) return &it->second;
    std::vector<int> leaf(src->rows(), regio_.unknown);
    DAS_ASSIGN_OR_RETURN(const Interned* g, src->Text("gemeente_2024"));
    if (g != nullptr) {
      std::vector<int> of(g->dict.size());
      for (std::size_t d = 0; d < g->dict.size(); ++d) of[d] = regio_.Map(g->dict[d]);
      const int null_leaf = regio_.Map("", true);
      for (std::size_t i = 0; i < src->rows(); ++i) leaf[i] = g->id[i] == Interned::kNull ? null_leaf : of[g->id[i]];
    }
    return &leaves_.emplace(src, std::move(leaf)).first->second;
  }

  // Compiles the filters of a call (every argument but by/field).
  Result<std::vector<RowFilter>> Filters(const FormulaCall& c, SourceData* src) {
    std::vector<RowFilter> out;
    for (const auto& [k, v] : c.args) {
      if (k == "by" || k == "field") continue;
      DAS_ASSIGN_OR_RETURN(const EncodedColumn* col, src->Col(k));
      if (col == nullptr) {
        return Status::InvalidArgument("column " + std::to_string(c.column) + ": " + c.function + "(" + c.source +
                                       "): unknown column '" + k + "' of " + src->spec().table);
      }
      RowFilter f;
      f.column = col;
      switch (col->type) {
        case ColumnType::kString: {
          f.allowed.resize(col->str.dict.size() + 1, 0);
          for (std::size_t d = 0; d < col->str.dict.size(); ++d) f.allowed[d] = MatchesCode(col->str.dict[d], v) ? 1 : 0;
          break;
        }
        case ColumnType::kBool:
          if (v != "true" && v != "false") {
            return Status::InvalidArgument("column " + std::to_string(c.column) + ": " + k + "='" + v +
                                           "': expected true or false");
          }
          f.int_value = v == "true" ? 1 : 0;
          break;
        case ColumnType::kInt64:
        case ColumnType::kDouble:
        case ColumnType::kDate: {
          char* end = nullptr;
          const double d = std::strtod(v.c_str(), &end);
          if (end == v.c_str() || *end != 0) {
            return Status::InvalidArgument("column " + std::to_string(c.column) + ": " + k + "='" + v +
                                           "': expected a number");
          }
          f.num_value = d;
          f.int_value = static_cast<std::int64_t>(d);
          break;
        }
      }
      out.push_back(std::move(f));
    }
    return out;
  }

  void AddTo(Prim* p, int y, int leaf, double v, std::uint32_t key, bool track_top) const {
    for (int c = leaf; c >= 0; c = regio_.parent[static_cast<std::size_t>(c)]) {
      const std::size_t i = static_cast<std::size_t>(y) * regions() + static_cast<std::size_t>(c);
      p->value[i] += v;
      p->n[i] += 1;
      p->key[i] = protect::CombineKeys(p->key[i], key);
      if (track_top) {
        if (v > p->top1[i]) {
          p->top2[i] = p->top1[i];
          p->top1[i] = v;
        } else if (v > p->top2[i]) {
          p->top2[i] = v;
        }
      }
    }
  }

  Prim Empty(bool with_n, bool top) const {
    Prim p;
    p.value.assign(cells(), 0);
    p.n.assign(cells(), with_n ? 0 : -1);
    p.key.assign(cells(), 0);
    if (top) {
      p.top1.assign(cells(), 0);
      p.top2.assign(cells(), 0);
    }
    return p;
  }

  // The primitive's values (cached by canonical text).
  Result<const Prim*> Evaluate(const FormulaCall& c) {
    const std::string canon = c.Canonical();
    auto it = cache_.find(canon);
    if (it != cache_.end()) return it->second.get();
    auto p = std::make_unique<Prim>();
    if (c.function == "population") {
      DAS_RETURN_IF_ERROR(EnsurePopulation());
      *p = Empty(false, false);
      const bool minors = c.Arg("minor") == "true", adults = c.Arg("minor") == "false";
      for (int y = 0; y < years(); ++y) {
        for (std::size_t r = 0; r < regions(); ++r) {
          const double all = population_->all[static_cast<std::size_t>(y)][r];
          const double mi = population_->minors[static_cast<std::size_t>(y)][r];
          p->value[static_cast<std::size_t>(y) * regions() + r] = minors ? mi : adults ? all - mi : all;
        }
      }
    } else if (c.function == "survey") {
      if (!respondents_) {  // read once for every survey() of the run
        respondents_ = std::make_unique<Result<std::vector<fi::Respondent>>>(fi::LoadRespondents(
            data_->store(), *options_.geography, regio_, data_->range().from(), data_->range().to()));
      }
      *p = Empty(true, false);
      if (respondents_->ok()) {
        auto s = fi::SurveyRate(**respondents_, regio_, data_->range().from(), data_->range().to(), c.Arg("rate"),
                                c.Arg("among"));
        if (!s.ok()) return s.status().WithContext("column " + std::to_string(c.column));
        p->value = std::move(s->percent);
        p->n = std::move(s->respondents);
      } else if (respondents_->status().code() == StatusCode::kNotFound) {
        p->value.assign(cells(), kNaN);  // no survey delivered: unavailable
      } else {
        return respondents_->status().WithContext("column " + std::to_string(c.column));
      }
    } else {
      DAS_ASSIGN_OR_RETURN(SourceData * src, Source(c.source));
      DAS_ASSIGN_OR_RETURN(std::vector<RowFilter> filters, Filters(c, src));
      const std::string by = c.Arg("by", "entry");
      const std::vector<std::int8_t>& year_of = by == "exit" ? src->exit_year : src->entry_year;
      if (by == "exit" && *src->spec().exit == 0) {
        return Status::InvalidArgument("column " + std::to_string(c.column) + ": " + c.source + " have no exit date");
      }
      auto match = [&](std::size_t i) {
        for (const RowFilter& f : filters) {
          if (!f.Match(i)) return false;
        }
        return true;
      };
      DAS_ASSIGN_OR_RETURN(const std::vector<std::uint32_t>* keys_ptr, src->Keys(keyer()));
      const std::vector<std::uint32_t>& keys = *keys_ptr;
      DAS_ASSIGN_OR_RETURN(const std::vector<int>* leaf_ptr, Leaves(src));
      const std::vector<int>& leaf = *leaf_ptr;
      const std::size_t rows = src->rows();
      if (c.function == "count") {
        *p = Empty(true, false);
        if (by == "stock") {
          for (std::size_t i = 0; i < rows; ++i) {
            const std::int32_t e = src->entry[i], x = src->exit[i];
            if (e == kNoDay || !match(i)) continue;
            for (int y = 0; y < years(); ++y) {
              if (e <= LastDay(y) && (x == kNoDay || x > LastDay(y))) AddTo(p.get(), y, leaf[i], 1, keys[i], false);
            }
          }
        } else {
          for (std::size_t i = 0; i < rows; ++i) {
            const int y = year_of[i];
            if (y < 0 || !match(i)) continue;
            AddTo(p.get(), y, leaf[i], 1, keys[i], false);
          }
        }
      } else if (c.function == "sum") {
        const std::string field = c.Arg("field");
        DAS_ASSIGN_OR_RETURN(const EncodedColumn* enc, src->Col(field));
        if (enc == nullptr || (enc->type != ColumnType::kDouble && enc->type != ColumnType::kInt64)) {
          return Status::InvalidArgument("column " + std::to_string(c.column) + ": sum(" + c.source + "): '" + field +
                                         "' is not a numeric column of " + src->spec().table);
        }
        const Column* col = &enc->raw;
        *p = Empty(true, true);
        for (std::size_t i = 0; i < rows; ++i) {
          const int y = year_of[i];
          if (y < 0 || col->IsNull(i) || !match(i)) continue;
          const double v = col->type() == ColumnType::kDouble ? col->GetDouble(i) : static_cast<double>(col->GetInt(i));
          AddTo(p.get(), y, leaf[i], v, 0, true);
        }
      } else {  // persons
        DAS_RETURN_IF_ERROR(EnsureResidence());
        DAS_RETURN_IF_ERROR(data_->Persons(src));
        if (!src->has_person) {
          return Status::FailedPrecondition(std::string("stats: ") + src->spec().table + " has no person_id");
        }
        std::vector<std::uint64_t> seen;  // year << 32 | person
        for (std::size_t i = 0; i < rows; ++i) {
          const int y = year_of[i];
          if (y < 0 || src->person[i] == kNullId || !match(i)) continue;
          seen.push_back(static_cast<std::uint64_t>(y) << 32 | src->person[i]);
        }
        std::sort(seen.begin(), seen.end());
        seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
        *p = Empty(true, false);
        for (const std::uint64_t s : seen) {
          const int y = static_cast<int>(s >> 32);
          const auto person = static_cast<std::uint32_t>(s & 0xffffffffu);
          AddTo(p.get(), y, ResidenceLeaf(person, y), 1, data_->PersonKey(person), false);
        }
      }
    }
    return cache_.emplace(canon, std::move(p)).first->second.get();
  }

  std::uint32_t PersonKey(std::uint32_t person) { return data_->PersonKey(person); }

  Status EnsureResidence() {
    DAS_RETURN_IF_ERROR(data_->EnsureResidence());
    if (residence_leaf_.empty()) {
      for (const std::string& g : data_->residence_gemeenten()) residence_leaf_.push_back(regio_.Map(g));
      residence_leaf_.push_back(regio_.Map("", true));  // kNullGemeente
    }
    return Status::Ok();
  }
  // Leaf of the person's residence in year index y (unknown without a residence row).
  int ResidenceLeaf(std::uint32_t person, int y) const {
    const std::uint32_t g = data_->Residence(person, y);
    if (g == ChainData::kNoResidence) return regio_.unknown;
    return g == ChainData::kNullGemeente ? residence_leaf_.back() : residence_leaf_[g];
  }

  Status EnsurePopulation() {
    if (population_) return Status::Ok();
    DAS_ASSIGN_OR_RETURN(fi::Population p, fi::LoadPopulation(data_->store(), *options_.geography, regio_,
                                                               data_->range().from(), data_->range().to()));
    population_ = std::make_unique<fi::Population>(std::move(p));
    return Status::Ok();
  }
  const fi::Population* population() const { return population_.get(); }

 private:
  ChainData* data_;
  const FiguresOptions& options_;
  BuiltDimension regio_;
  std::map<std::string, std::unique_ptr<Prim>> cache_;
  std::map<const SourceData*, std::vector<int>> leaves_;
  std::vector<int> residence_leaf_;  // per residence gemeente index; last: null gemeente
  std::unique_ptr<Result<std::vector<fi::Respondent>>> respondents_;
  std::unique_ptr<fi::Population> population_;
};

// cell_key_id of a key figure: the flow statistic's when the formula is a plain count of one stage's units.
std::string CellKeyId(const KeyFigure& f, const Formula& formula) {
  if (formula.IsSingleCall()) {
    const FormulaCall& c = formula.calls[0];
    bool plain = c.function == "count" && c.source == "units";
    for (const auto& [k, v] : c.args) {
      if (k != "stage" && k != "by") plain = false;
      if (k == "stage" && v.find('|') != std::string::npos) plain = false;
    }
    const std::string stage = c.Arg("stage");
    if (plain && !stage.empty()) {
      const std::string by = c.Arg("by", "entry");
      return stage + "." + (by == "entry" ? "inflow" : by == "exit" ? "outflow" : "stock");
    }
  }
  return "kerncijfer." + f.id;
}

Result<PeriodDimension> Perioden(int from, int to, Date horizon) {
  return BuildPerioden(from, to, PeriodLevel::kYear, false, horizon);
}

MeasureSpec Measure(std::string id, std::string nl, std::string en, std::string unit, int decimals, MeasureKind kind,
                    std::string cell_key_id, std::string definition) {
  MeasureSpec m;
  m.id = std::move(id);
  m.title_nl = std::move(nl);
  m.title_en = std::move(en);
  m.unit = std::move(unit);
  m.decimals = decimals;
  m.kind = kind;
  m.cell_key_id = std::move(cell_key_id);
  m.definition = std::move(definition);
  return m;
}

MeasureValues EmptyValues(std::size_t cells, bool top) {
  MeasureValues v;
  v.value.assign(cells, 0);
  v.n.assign(cells, 0);
  v.cell_key.assign(cells, 0);
  if (top) {
    v.top1.assign(cells, 0);
    v.top2.assign(cells, 0);
  }
  return v;
}

}  // namespace

// ---- internal helpers ----------------------------------------------------------------------------------------

namespace figures_internal {

std::string TopicKey(const std::string& id, int k) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out + "_" + std::to_string(k);
}

Result<Date> Horizon(store::Store* store, const FiguresOptions& options) {
  if (options.horizon) return *options.horizon;
  DAS_ASSIGN_OR_RETURN(bool has, store->HasTable("chain_events"));
  if (!has) return Status::FailedPrecondition("stats: table 'chain_events' is missing (run das chain first)");
  DAS_ASSIGN_OR_RETURN(Table t, store->GetTable("chain_events", {"date"}));
  std::optional<Date> max;
  if (t.num_columns() == 1) {
    const Column& c = t.column(0);
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (!c.IsNull(i) && (!max || c.GetDate(i) > *max)) max = c.GetDate(i);
    }
  }
  if (!max) return Status::FailedPrecondition("stats: chain_events has no dated event; give a horizon");
  return *max;
}

Result<std::pair<int, int>> Years(store::Store* store, const FiguresOptions& options, Date horizon) {
  int from = options.from_year, to = options.to_year;
  if (from == 0 || to == 0) {
    DAS_ASSIGN_OR_RETURN(bool has, store->HasTable("chain_stage_units"));
    if (!has) return Status::FailedPrecondition("stats: table 'chain_stage_units' is missing (run das chain first)");
    DAS_ASSIGN_OR_RETURN(Table t, store->GetTable("chain_stage_units", {"entry_date"}));
    int lo = 0, hi = 0;
    if (t.num_columns() == 1) {
      const Column& c = t.column(0);
      for (std::size_t i = 0; i < c.size(); ++i) {
        if (c.IsNull(i) || c.GetDate(i) > horizon) continue;
        const int y = c.GetDate(i).year();
        if (lo == 0 || y < lo) lo = y;
        if (hi == 0 || y > hi) hi = y;
      }
    }
    if (lo == 0) return Status::FailedPrecondition("stats: no stage unit entered before the horizon; give years");
    if (from == 0) from = lo;
    if (to == 0) to = hi;
  }
  if (from > to || to - from > 199) {
    return Status::InvalidArgument("stats: year range " + std::to_string(from) + ".." + std::to_string(to) + " is invalid");
  }
  return std::make_pair(from, to);
}

}  // namespace figures_internal

// ---- configuration -------------------------------------------------------------------------------------------

Result<FiguresConfig> ParseFiguresConfig(const std::string& themes_toml, const std::string& themes_name,
                                         const std::string& figures_toml, const std::string& figures_name) {
  FiguresConfig cfg;
  DAS_ASSIGN_OR_RETURN(toml::table themes, ParseToml(themes_toml, themes_name));
  const toml::array* ta = themes["thema"].as_array();
  if (ta == nullptr) return Status::ParseError(themes_name + ": no [[thema]] entries");
  for (const toml::node& n : *ta) {
    const toml::table* t = n.as_table();
    if (t == nullptr) return Status::ParseError(Where(themes_name, n) + ": [[thema]] must be a table");
    Theme th;
    DAS_ASSIGN_OR_RETURN(th.id, Str(themes_name, *t, "id", true));
    DAS_ASSIGN_OR_RETURN(th.table_stem, Str(themes_name, *t, "tabel", true));
    DAS_ASSIGN_OR_RETURN(th.title_nl, Str(themes_name, *t, "title_nl", true));
    DAS_ASSIGN_OR_RETURN(th.title_en, Str(themes_name, *t, "title_en", true));
    DAS_ASSIGN_OR_RETURN(th.description_nl, Str(themes_name, *t, "description_nl", true));
    DAS_ASSIGN_OR_RETURN(th.description_en, Str(themes_name, *t, "description_en", true));
    DAS_ASSIGN_OR_RETURN(th.headline, Str(themes_name, *t, "headline", true));
    if (std::find(std::begin(kThemes), std::end(kThemes), th.id) == std::end(kThemes)) {
      return Status::ParseError(Where(themes_name, *t) + ": unknown theme '" + th.id + "'");
    }
    for (const Theme& o : cfg.themes) {
      if (o.id == th.id) return Status::ParseError(Where(themes_name, *t) + ": theme '" + th.id + "' declared twice");
    }
    cfg.themes.push_back(std::move(th));
  }
  if (cfg.themes.size() != std::size(kThemes)) {
    return Status::ParseError(themes_name + ": expected the 6 themes, found " + std::to_string(cfg.themes.size()));
  }

  DAS_ASSIGN_OR_RETURN(toml::table figs, ParseToml(figures_toml, figures_name));
  const toml::array* fa = figs["kerncijfer"].as_array();
  if (fa == nullptr) return Status::ParseError(figures_name + ": no [[kerncijfer]] entries");
  std::set<std::string> ids;
  for (const toml::node& n : *fa) {
    const toml::table* t = n.as_table();
    if (t == nullptr) return Status::ParseError(Where(figures_name, n) + ": [[kerncijfer]] must be a table");
    KeyFigure f;
    f.line = static_cast<int>(t->source().begin.line);
    DAS_ASSIGN_OR_RETURN(f.id, Str(figures_name, *t, "id", true));
    const std::string where = Where(figures_name, *t) + ": key figure '" + f.id + "'";
    DAS_ASSIGN_OR_RETURN(f.theme, Str(figures_name, *t, "theme", true));
    DAS_ASSIGN_OR_RETURN(f.title_nl, Str(figures_name, *t, "title_nl", true));
    DAS_ASSIGN_OR_RETURN(f.title_en, Str(figures_name, *t, "title_en", true));
    DAS_ASSIGN_OR_RETURN(f.description_nl, Str(figures_name, *t, "description_nl", true));
    DAS_ASSIGN_OR_RETURN(f.description_en, Str(figures_name, *t, "description_en", true));
    DAS_ASSIGN_OR_RETURN(f.unit, Str(figures_name, *t, "unit", true));
    DAS_ASSIGN_OR_RETURN(f.formula, Str(figures_name, *t, "formula", true));
    DAS_ASSIGN_OR_RETURN(f.kind, Str(figures_name, *t, "kind", false));
    if (const toml::node* d = t->get("decimals")) {
      if (!d->is_integer() || d->as_integer()->get() < 0 || d->as_integer()->get() > 6) {
        return Status::ParseError(where + ": 'decimals' must be an integer 0..6");
      }
      f.decimals = static_cast<int>(d->as_integer()->get());
    }
    const toml::array* st = (*t)["stages"].as_array();
    if (st == nullptr || st->empty()) return Status::ParseError(where + ": 'stages' must be a non-empty array");
    for (const toml::node& s : *st) {
      if (!s.is_string()) return Status::ParseError(where + ": 'stages' must hold strings");
      f.source_stages.push_back(s.as_string()->get());
    }
    if (!ids.insert(f.id).second) return Status::ParseError(where + ": id declared twice");
    if (std::none_of(cfg.themes.begin(), cfg.themes.end(), [&](const Theme& th) { return th.id == f.theme; })) {
      return Status::ParseError(where + ": unknown theme '" + f.theme + "'");
    }
    auto parsed = ParseFormula(f.formula);
    if (!parsed.ok()) return parsed.status().WithContext(where);
    if (f.kind.empty()) {
      const bool single = parsed->IsSingleCall();
      const std::string fn = single ? parsed->calls[0].function : "";
      f.kind = fn == "count" || fn == "persons" ? "count" : fn == "sum" ? "amount" : "derived";
    } else if (f.kind != "count" && f.kind != "amount" && f.kind != "derived") {
      return Status::ParseError(where + ": kind '" + f.kind + "' is not count, amount or derived");
    }
    if (f.kind != "derived" && !parsed->IsSingleCall()) {
      return Status::ParseError(where + ": kind '" + f.kind + "' needs a formula of one count(), persons() or sum()");
    }
    cfg.figures.push_back(std::move(f));
  }
  for (const Theme& th : cfg.themes) {
    int count = 0;
    bool headline = false;
    for (const KeyFigure& f : cfg.figures) {
      if (f.theme != th.id) continue;
      ++count;
      headline = headline || f.id == th.headline;
    }
    if (count < 5) {
      return Status::ParseError(figures_name + ": theme '" + th.id + "' has " + std::to_string(count) +
                                " key figures (at least 5 required)");
    }
    if (!headline) {
      return Status::ParseError(themes_name + ": headline '" + th.headline + "' of theme '" + th.id +
                                "' is not a key figure of that theme");
    }
  }
  return cfg;
}

Result<FiguresConfig> LoadFiguresConfig(const std::string& dir, const FileSystem& fs) {
  const std::string themes = dir + "/stats/themas.toml", figures = dir + "/stats/kerncijfers.toml";
  DAS_ASSIGN_OR_RETURN(std::string t, fs.ReadFile(themes));
  DAS_ASSIGN_OR_RETURN(std::string f, fs.ReadFile(figures));
  return ParseFiguresConfig(t, themes, f, figures);
}

// ---- key-figure tables ---------------------------------------------------------------------------------------

namespace {

// The years and chain data of one computation (shared by ComputeAllFigures' tables).
Result<std::unique_ptr<ChainData>> OpenChain(store::Store* store, const FiguresOptions& options, Date* horizon) {
  DAS_ASSIGN_OR_RETURN(*horizon, fi::Horizon(store, options));
  DAS_ASSIGN_OR_RETURN(auto years, fi::Years(store, options, *horizon));
  auto data = std::make_unique<ChainData>(store, years.first, years.second);
  DAS_RETURN_IF_ERROR(data->Init(options));
  return data;
}

Result<std::vector<StatTable>> FigureTables(ChainData* data, const FiguresConfig& config,
                                            const FiguresOptions& options, Date horizon) {
  DAS_ASSIGN_OR_RETURN(PeriodDimension perioden, Perioden(data->range().from(), data->range().to(), horizon));
  Engine engine(data, options, BuildRegio(*options.geography, RegioLevel::kGemeente));

  std::vector<StatTable> out;
  for (const Theme& th : config.themes) {
    StatTable t;
    t.id = "DAS_Kerncijfers_" + th.table_stem;
    t.title_nl = th.title_nl;
    t.title_en = th.title_en;
    t.description_nl = th.description_nl;
    t.description_en = th.description_en;
    t.theme = th.id;
    t.dims = {perioden.spec, engine.regio().spec};
    std::vector<const KeyFigure*> figs;
    for (const KeyFigure& f : config.figures) {
      if (f.theme == th.id && f.id == th.headline) figs.insert(figs.begin(), &f);
      else if (f.theme == th.id) figs.push_back(&f);
    }
    std::set<std::string> stages;
    for (std::size_t k = 0; k < figs.size(); ++k) {
      const KeyFigure& f = *figs[k];
      const std::string where = "key figure '" + f.id + "'";
      auto parsed = ParseFormula(f.formula);
      if (!parsed.ok()) return parsed.status().WithContext(where);
      const Formula& formula = *parsed;
      std::vector<const Prim*> prims;
      for (const FormulaCall& c : formula.calls) {
        auto p = engine.Evaluate(c);
        if (!p.ok()) return p.status().WithContext(where);
        prims.push_back(*p);
      }
      const MeasureKind kind = f.kind == "count" ? MeasureKind::kCount
                               : f.kind == "amount" ? MeasureKind::kAmount : MeasureKind::kDerived;
      MeasureSpec m = Measure(fi::TopicKey(f.id, static_cast<int>(k + 1)), f.title_nl, f.title_en, f.unit, f.decimals,
                              kind, CellKeyId(f, formula), f.formula);
      m.description_nl = f.description_nl;
      m.description_en = f.description_en;
      const bool stock = formula.IsSingleCall() && formula.calls[0].Arg("by") == "stock";
      m.time = stock ? TimeSemantics::kStock : TimeSemantics::kFlow;
      const std::size_t cells = engine.cells();
      MeasureValues v = EmptyValues(cells, kind == MeasureKind::kAmount);
      std::vector<PrimitiveCell> pc(prims.size());
      for (std::size_t i = 0; i < cells; ++i) {
        for (std::size_t j = 0; j < prims.size(); ++j) pc[j] = {prims[j]->value[i], prims[j]->n[i]};
        v.value[i] = formula.Evaluate(pc);
        const std::int64_t n = formula.BasisN(pc);
        v.n[i] = std::max<std::int64_t>(n, 0);
        if (kind == MeasureKind::kCount) v.cell_key[i] = prims[0]->key[i];
        if (kind == MeasureKind::kAmount) {
          v.top1[i] = prims[0]->top1[i];
          v.top2[i] = prims[0]->top2[i];
        }
      }
      t.measures.push_back(std::move(m));
      t.values.push_back(std::move(v));
      stages.insert(f.source_stages.begin(), f.source_stages.end());
    }
    t.source_stages.assign(stages.begin(), stages.end());
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

Result<std::vector<StatTable>> ComputeFigureTables(store::Store* store, const FiguresConfig& config,
                                                   const FiguresOptions& options, const Env& env) {
  (void)env;
  if (options.geography == nullptr) return Status::InvalidArgument("stats: key figures need a geography");
  Date horizon;
  DAS_ASSIGN_OR_RETURN(std::unique_ptr<ChainData> data, OpenChain(store, options, &horizon));
  return FigureTables(data.get(), config, options, horizon);
}

// ---- fines ---------------------------------------------------------------------------------------------------

namespace {

Result<StatTable> Fines(ChainData* data, const FiguresOptions& options, Date horizon) {
  DAS_ASSIGN_OR_RETURN(PeriodDimension perioden, Perioden(data->range().from(), data->range().to(), horizon));
  Engine engine(data, options, BuildRegio(*options.geography, RegioLevel::kProvincie));
  DAS_ASSIGN_OR_RETURN(SourceData * src, engine.Source("executions"));
  DAS_ASSIGN_OR_RETURN(const Interned* org, src->Text("organisation"));
  DAS_ASSIGN_OR_RETURN(const Interned* type, src->Text("type"));
  DAS_ASSIGN_OR_RETURN(const EncodedColumn* amount_col, src->Col("amount"));
  DAS_ASSIGN_OR_RETURN(const EncodedColumn* collected_col, src->Col("amount_collected"));
  DAS_ASSIGN_OR_RETURN(const Interned* province, src->Text("province"));
  if (org == nullptr || type == nullptr || amount_col == nullptr || collected_col == nullptr || province == nullptr) {
    return Status::FailedPrecondition("stats: chain_executions lacks organisation, type, amount, amount_collected or province");
  }
  for (const EncodedColumn* c : {amount_col, collected_col}) {
    if (c->type != ColumnType::kDouble && c->type != ColumnType::kInt64) {
      return Status::FailedPrecondition("stats: amount and amount_collected of chain_executions must be numeric");
    }
  }
  auto number = [](const Column& c, std::size_t i) {
    if (c.IsNull(i)) return 0.0;
    return c.type() == ColumnType::kDouble ? c.GetDouble(i) : static_cast<double>(c.GetInt(i));
  };
  const BuiltDimension soort = BuildFlat(
      "Soort", "Soort beschikking", "Kind of decision", "type", "T001", "Totaal", "Total",
      {Code{"strafbeschikking_om", "Strafbeschikking OM", "Prosecutor's penalty order", "T001", "", "", ""},
       Code{"politiestrafbeschikking", "Politiestrafbeschikking", "Police penalty order", "T001", "", "", ""},
       Code{"geldboete_rechter", "Geldboete rechter", "Court fine", "T001", "", "", ""},
       Code{"transactie", "Transactie", "Settlement", "T001", "", "", ""}});
  StatTable t;
  t.id = "DAS_CJIB_Boetes";
  t.title_nl = "Geldboetes en strafbeschikkingen: opgelegd en geïnd";
  t.title_en = "Fines and penalty orders: imposed and collected";
  t.description_nl = "Door het CJIB te innen beschikkingen en vonnissen naar jaar van registratie, soort en regio "
                     "(woonplaats/plaats delict van de zaak); geïnd = ontvangen bedrag tot de peildatum.";
  t.description_en = "Decisions registered for collection by CJIB by year of registration, kind and region; "
                     "collected = amount received up to the data horizon.";
  t.theme = "tenuitvoerlegging";
  t.source_stages = {"cjib"};
  t.dims = {perioden.spec, soort.spec, engine.regio().spec};
  t.measures = {
      Measure("Opgelegd_1", "Opgelegd bedrag", "Amount imposed", "euro", 0, MeasureKind::kAmount, "cjib.amount_imposed",
              "sum(executions, field=amount, organisation='cjib', by=entry)"),
      Measure("Geind_2", "Geïnd bedrag", "Amount collected", "euro", 0, MeasureKind::kAmount, "cjib.amount_collected",
              "sum(executions, field=amount_collected, organisation='cjib', by=entry)"),
      Measure("Aantal_3", "Te innen beschikkingen", "Decisions to collect", "aantal", 0, MeasureKind::kCount,
              "cjib.inflow", "count(units, stage='cjib', by=entry)"),
      Measure("Inningspercentage_4", "Geïnd als % van opgelegd", "Collected as % of imposed", "%", 1,
              MeasureKind::kDerived, "cjib.collection_rate", "100 * Geind_2 / Opgelegd_1; n = Aantal_3")};
  const std::size_t R = engine.regio().spec.codes.size(), S = soort.spec.codes.size();
  const std::size_t cells = static_cast<std::size_t>(engine.years()) * S * R;
  MeasureValues imposed = EmptyValues(cells, true), coll = EmptyValues(cells, true), count = EmptyValues(cells, false),
                rate = EmptyValues(cells, false);
  DAS_ASSIGN_OR_RETURN(const std::vector<std::uint32_t>* keys_ptr, src->Keys(engine.keyer()));
  const std::vector<std::uint32_t>& keys = *keys_ptr;
  auto top = [](MeasureValues* m, std::size_t i, double v) {
    if (v > m->top1[i]) {
      m->top2[i] = m->top1[i];
      m->top1[i] = v;
    } else if (v > m->top2[i]) {
      m->top2[i] = v;
    }
  };
  const BuiltDimension& regio = engine.regio();
  const std::uint32_t cjib = org->Find("cjib");
  auto map_of = [](const Interned& c, const BuiltDimension& dim) {  // per dict id; last: null
    std::vector<int> m;
    for (const std::string& v : c.dict) m.push_back(dim.Map(v));
    m.push_back(dim.Map("", true));
    return m;
  };
  const std::vector<int> soort_of = map_of(*type, soort), leaf_of = map_of(*province, regio);
  auto at = [](const std::vector<int>& m, std::uint32_t id) { return id == Interned::kNull ? m.back() : m[id]; };
  for (std::size_t i = 0; i < src->rows(); ++i) {
    if (cjib == Interned::kNull || org->id[i] != cjib) continue;
    const int y = src->entry_year[i];
    if (y < 0) continue;
    const int s = at(soort_of, type->id[i]);
    const int leaf = at(leaf_of, province->id[i]);
    const double a = number(amount_col->raw, i);
    const double c = number(collected_col->raw, i);
    for (int sc = s; sc >= 0; sc = soort.parent[static_cast<std::size_t>(sc)]) {
      for (int rc = leaf; rc >= 0; rc = regio.parent[static_cast<std::size_t>(rc)]) {
        const std::size_t k = (static_cast<std::size_t>(y) * S + static_cast<std::size_t>(sc)) * R + static_cast<std::size_t>(rc);
        imposed.value[k] += a;
        imposed.n[k] += 1;
        top(&imposed, k, a);
        coll.value[k] += c;
        coll.n[k] += 1;
        top(&coll, k, c);
        count.value[k] += 1;
        count.n[k] += 1;
        count.cell_key[k] = protect::CombineKeys(count.cell_key[k], keys[i]);
      }
    }
  }
  for (std::size_t k = 0; k < cells; ++k) {
    rate.value[k] = imposed.value[k] > 0 ? 100.0 * coll.value[k] / imposed.value[k] : kNaN;
    rate.n[k] = count.n[k];
  }
  t.values = {std::move(imposed), std::move(coll), std::move(count), std::move(rate)};
  return t;
}

}  // namespace

Result<StatTable> ComputeFines(store::Store* store, const FiguresOptions& options, const Env& env) {
  (void)env;
  if (options.geography == nullptr) return Status::InvalidArgument("stats: fines need a geography");
  Date horizon;
  DAS_ASSIGN_OR_RETURN(std::unique_ptr<ChainData> data, OpenChain(store, options, &horizon));
  return Fines(data.get(), options, horizon);
}

// ---- distinct suspects ---------------------------------------------------------------------------------------

namespace {

Result<StatTable> SuspectPersons(ChainData* data, const FiguresOptions& options, Date horizon) {
  const int from_year = data->range().from();
  DAS_ASSIGN_OR_RETURN(PeriodDimension perioden, Perioden(from_year, data->range().to(), horizon));
  Engine engine(data, options, BuildRegio(*options.geography, RegioLevel::kGemeente));
  DAS_RETURN_IF_ERROR(engine.EnsureResidence());
  DAS_RETURN_IF_ERROR(engine.EnsurePopulation());
  DAS_ASSIGN_OR_RETURN(SourceData * src, engine.Source("units"));
  const BuiltDimension age = BuildLeeftijd(*options.age_groups, true);
  const BuiltDimension sex = BuildGeslacht();
  DAS_ASSIGN_OR_RETURN(const Interned* stage, src->Text("stage"));
  DAS_RETURN_IF_ERROR(data->Persons(src));
  DAS_ASSIGN_OR_RETURN(const Interned* ag, src->Text(age.column));
  DAS_ASSIGN_OR_RETURN(const Interned* sx, src->Text(sex.column));
  if (stage == nullptr || !src->has_person || ag == nullptr || sx == nullptr) {
    return Status::FailedPrecondition("stats: chain_stage_units lacks stage, person_id, age_group or sex");
  }
  // The person's first suspect registration of the year gives age group and sex.
  struct Hit {
    int year;
    std::uint32_t person;
    std::int32_t day;
    std::size_t row;
  };
  std::vector<Hit> hits;
  const std::uint32_t suspect = stage->Find("police_suspect");
  for (std::size_t i = 0; i < src->rows(); ++i) {
    if (suspect == Interned::kNull || stage->id[i] != suspect || src->person[i] == kNullId) continue;
    const int y = src->entry_year[i];
    if (y < 0) continue;
    hits.push_back({y, src->person[i], src->entry[i], i});
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return std::tie(a.year, a.person, a.day, a.row) < std::tie(b.year, b.person, b.day, b.row);
  });
  StatTable t;
  t.id = "DAS_Verdachten_Personen";
  t.title_nl = "Verdachten (personen) naar woonregio, leeftijd en geslacht";
  t.title_en = "Suspects (persons) by region of residence, age and sex";
  t.description_nl = "Unieke personen met minstens één verdachteninschrijving bij de politie in het jaar, naar "
                     "woongemeente in dat jaar; leeftijd en geslacht bij de eerste inschrijving van het jaar.";
  t.description_en = "Distinct persons with at least one police suspect registration in the year, by municipality "
                     "of residence in that year; age and sex at the first registration of the year.";
  t.theme = "opsporing";
  t.source_stages = {"police_suspect"};
  t.dims = {perioden.spec, engine.regio().spec, age.spec, sex.spec};
  t.measures = {Measure("Verdachten_1", "Verdachten", "Suspects", "aantal", 0, MeasureKind::kCount,
                        "persons.police_suspect", "persons(units, stage='police_suspect', by=entry)"),
                Measure("VerdachtenPer10000Inwoners_2", "Verdachten per 10 000 inwoners",
                        "Suspects per 10,000 inhabitants", "per 10 000 inwoners", 1, MeasureKind::kDerived,
                        "persons.police_suspect.per10000",
                        "10000 * persons(units, stage='police_suspect', by=entry) / population()")};
  const std::size_t R = engine.regio().spec.codes.size(), A = age.spec.codes.size(), G = sex.spec.codes.size();
  const std::size_t cells = static_cast<std::size_t>(engine.years()) * R * A * G;
  MeasureValues cnt = EmptyValues(cells, false), per = EmptyValues(cells, false);
  const BuiltDimension& regio = engine.regio();
  for (std::size_t h = 0; h < hits.size(); ++h) {
    if (h > 0 && hits[h].year == hits[h - 1].year && hits[h].person == hits[h - 1].person) continue;
    const Hit& hit = hits[h];
    const int leaf = engine.ResidenceLeaf(hit.person, hit.year);
    const int a = age.Map(ag->Get(hit.row), ag->id[hit.row] == Interned::kNull);
    const int g = sex.Map(sx->Get(hit.row), sx->id[hit.row] == Interned::kNull);
    const std::uint32_t key = engine.PersonKey(hit.person);
    for (int rc = leaf; rc >= 0; rc = regio.parent[static_cast<std::size_t>(rc)]) {
      for (int ac = a; ac >= 0; ac = age.parent[static_cast<std::size_t>(ac)]) {
        for (int gc = g; gc >= 0; gc = sex.parent[static_cast<std::size_t>(gc)]) {
          const std::size_t k = ((static_cast<std::size_t>(hit.year) * R + static_cast<std::size_t>(rc)) * A +
                                 static_cast<std::size_t>(ac)) * G + static_cast<std::size_t>(gc);
          cnt.value[k] += 1;
          cnt.n[k] += 1;
          cnt.cell_key[k] = protect::CombineKeys(cnt.cell_key[k], key);
        }
      }
    }
  }
  const int age_total = age.spec.total_index(), sex_total = sex.spec.total_index();
  for (std::size_t k = 0; k < cells; ++k) {
    const std::size_t gc = k % G, ac = (k / G) % A, rc = (k / G / A) % R, y = k / G / A / R;
    per.n[k] = cnt.n[k];
    const double pop = engine.population()->all[y][rc];
    per.value[k] = (static_cast<int>(ac) == age_total && static_cast<int>(gc) == sex_total && pop > 0)
                       ? 10000.0 * cnt.value[k] / pop : kNaN;
  }
  t.values = {std::move(cnt), std::move(per)};
  return t;
}

}  // namespace

Result<StatTable> ComputeSuspectPersons(store::Store* store, const FiguresOptions& options, const Env& env) {
  (void)env;
  if (options.geography == nullptr || options.age_groups == nullptr) {
    return Status::InvalidArgument("stats: suspect persons need a geography and age groups");
  }
  Date horizon;
  DAS_ASSIGN_OR_RETURN(std::unique_ptr<ChainData> data, OpenChain(store, options, &horizon));
  return SuspectPersons(data.get(), options, horizon);
}

Result<std::vector<StatTable>> ComputeAllFigures(store::Store* store, const FiguresConfig& config,
                                                 const FiguresOptions& options, const Env& env) {
  // One read of the chain tables for the key figures, fines and distinct suspects (released before recidivism
  // and the survey read theirs); errors are reported in the order of the tables, as computing them one by one.
  if (options.geography == nullptr) return Status::InvalidArgument("stats: key figures need a geography");
  FiguresOptions fixed = options;  // horizon and years resolved once
  Date horizon;
  DAS_ASSIGN_OR_RETURN(std::unique_ptr<ChainData> data, OpenChain(store, options, &horizon));
  fixed.horizon = horizon;
  fixed.from_year = data->range().from();
  fixed.to_year = data->range().to();
  DAS_ASSIGN_OR_RETURN(std::vector<StatTable> out, FigureTables(data.get(), config, fixed, horizon));
  Result<StatTable> fines = Fines(data.get(), fixed, horizon);
  Result<StatTable> persons = fixed.age_groups == nullptr
                                  ? Result<StatTable>(Status::InvalidArgument(
                                        "stats: suspect persons need a geography and age groups"))
                                  : SuspectPersons(data.get(), fixed, horizon);
  data.reset();
  DAS_ASSIGN_OR_RETURN(StatTable rec, ComputeRecidivism(store, fixed, env));
  out.push_back(std::move(rec));
  auto survey = ComputeSurvey(store, fixed, env);
  if (survey.ok()) out.push_back(std::move(survey).value());
  else if (survey.status().code() != StatusCode::kNotFound) return survey.status();
  if (!fines.ok()) return fines.status();
  out.push_back(std::move(fines).value());
  if (!persons.ok()) return persons.status();
  out.push_back(std::move(persons).value());
  return out;
}

}  // namespace das::stats
