#include "das/harmonise/harmonise.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace das::harmonise {
namespace {

constexpr std::size_t kOutcomes = 4;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Distinct values of a column: id per row (-1 for null), and the distinct texts. Views point into `col`
// (or into `owned` for non-string columns), which must outlive the result.
struct Distinct {
  std::vector<std::int32_t> id;          // per row
  std::vector<std::string_view> values;  // per id
  std::vector<std::string> owned;        // texts of non-string columns
};

Distinct DistinctOf(const Column& col) {
  Distinct d;
  const std::size_t n = col.size();
  d.id.resize(n);
  std::unordered_map<std::string_view, std::int32_t> index;
  if (col.type() != ColumnType::kString) {
    d.owned.reserve(64);
    std::unordered_map<std::string, std::int32_t> text_index;
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < n; ++i) {
      if (col.IsNull(i)) { d.id[i] = -1; continue; }
      auto [it, inserted] = text_index.try_emplace(col.ToText(i), static_cast<std::int32_t>(texts.size()));
      if (inserted) texts.push_back(it->first);
      d.id[i] = it->second;
    }
    d.owned = std::move(texts);
    for (const auto& t : d.owned) d.values.emplace_back(t);
    return d;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (col.IsNull(i)) { d.id[i] = -1; continue; }
    auto [it, inserted] = index.try_emplace(col.GetString(i), static_cast<std::int32_t>(d.values.size()));
    if (inserted) d.values.push_back(it->first);
    d.id[i] = it->second;
  }
  return d;
}

// Counts per distinct value and outcome, turned into UnknownCount rows at the end.
class Counter {
 public:
  explicit Counter(std::size_t distinct) : counts_(distinct + 1) {}
  // id -1 (null) is stored in the last slot.
  void Add(std::int32_t id, Outcome o) {
    counts_[id < 0 ? counts_.size() - 1 : static_cast<std::size_t>(id)][static_cast<std::size_t>(o)]++;
  }
  void Emit(const std::string& dataset, const std::string& field, const Distinct& d,
            std::vector<UnknownCount>* out) const {
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      for (std::size_t o = 1; o < kOutcomes; ++o) {
        if (counts_[i][o] == 0) continue;
        std::string code = i + 1 == counts_.size() ? std::string() : std::string(d.values[i]);
        out->push_back({dataset, field, std::move(code), std::string(OutcomeName(static_cast<Outcome>(o))),
                        counts_[i][o]});
      }
    }
  }

 private:
  std::vector<std::array<std::int64_t, kOutcomes>> counts_;
};

Column NewStringColumn(const std::string& name, std::size_t rows, std::size_t avg_len) {
  Column c(name, ColumnType::kString);
  c.Reserve(rows, rows * avg_len);
  return c;
}

struct RegionInfo {
  std::string code;  // 2024 buurt or gemeente
  std::string gemeente, province, police_unit, arrondissement;
};

}  // namespace

Status CheckAgainstContracts(const Config& config, const contract::ContractSet& contracts) {
  const std::string path = config.dir + "/harmonisatie.csv";
  for (const FieldRule& r : config.rules) {
    const std::string where = path + ": line " + std::to_string(r.line);
    auto c = contracts.Find(r.dataset);
    if (!c.ok()) return Status::InvalidArgument(where + ": unknown dataset '" + r.dataset + "' (no contract of that name)");
    const contract::Contract& k = **c;
    const int slot = k.FieldSlot(r.field);
    if (slot < 0) return Status::InvalidArgument(where + ": dataset '" + r.dataset + "' has no field '" + r.field + "'");
    const contract::ValueType vt = k.fields[static_cast<std::size_t>(slot)].type;
    if (r.kind == FieldKind::kAge && vt != contract::ValueType::kInteger)
      return Status::InvalidArgument(where + ": age field '" + r.field + "' of '" + r.dataset + "' is not an integer");
    if (r.kind == FieldKind::kCode) {
      const contract::Column* col = k.FindColumnByField(r.field);
      const Mapping* m = config.FindMapping(r.mapping);
      if (col != nullptr && !col->codelist.empty() && m != nullptr && col->codelist != m->source()) {
        return Status::InvalidArgument(where + ": field '" + r.dataset + "." + r.field + "' uses code list '" +
                                       col->codelist + "' but mapping '" + r.mapping + "' maps from '" + m->source() + "'");
      }
    }
    const std::string& df = r.date_field.empty() ? k.reference_date : r.date_field;
    if (!df.empty()) {
      const int ds = k.FieldSlot(df);
      if (ds < 0 || k.fields[static_cast<std::size_t>(ds)].type != contract::ValueType::kDate)
        return Status::InvalidArgument(where + ": date field '" + df + "' is not a date field of '" + r.dataset + "'");
    }
  }
  return Status::Ok();
}

Status HarmoniseTable(const contract::Contract& contract, const Config& config, const geo::Geography& geo,
                      const std::vector<Date>& fallback_dates, Table* table, std::vector<UnknownCount>* unknowns) {
  const std::size_t n = table->num_rows();
  if (!fallback_dates.empty() && fallback_dates.size() != n)
    return Status::Internal("harmonise: " + std::to_string(fallback_dates.size()) + " fallback dates for " + std::to_string(n) + " rows");
  std::vector<Column> added;
  std::map<std::string, std::vector<std::int32_t>> dates_by_field;  // reference day per row, by date field

  auto dates_for = [&](const std::string& field) -> const std::vector<std::int32_t>& {
    auto [it, inserted] = dates_by_field.try_emplace(field);
    if (!inserted) return it->second;
    std::vector<std::int32_t>& d = it->second;
    d.resize(n);
    const int ci = field.empty() ? -1 : table->Find(field);
    const Column* col = ci >= 0 && table->column(static_cast<std::size_t>(ci)).type() == ColumnType::kDate
                            ? &table->column(static_cast<std::size_t>(ci)) : nullptr;
    for (std::size_t i = 0; i < n; ++i) {
      if (col != nullptr && !col->IsNull(i)) d[i] = col->GetDate(i).days();
      else d[i] = fallback_dates.empty() ? INT32_MIN : fallback_dates[i].days();
    }
    return d;
  };

  for (const FieldRule* rule : config.RulesFor(contract.name)) {
    const int ci = table->Find(rule->field);
    if (ci < 0) {
      return Status::FailedPrecondition("harmonise: dataset '" + contract.name + "' has no column '" + rule->field +
                                        "' (harmonisatie.csv line " + std::to_string(rule->line) + ")");
    }
    const Column& src = table->column(static_cast<std::size_t>(ci));

    if (rule->kind == FieldKind::kCode) {
      const Mapping* m = config.FindMapping(rule->mapping);
      if (m == nullptr) return Status::Internal("harmonise: mapping '" + rule->mapping + "' vanished");
      const TargetList& t = m->target_list();
      const Distinct d = DistinctOf(src);
      const std::vector<std::int32_t>& dates = dates_for(rule->date_field.empty() ? contract.reference_date : rule->date_field);
      // Code index per distinct value, resolved once.
      std::vector<int> code_of(d.values.size());
      for (std::size_t v = 0; v < d.values.size(); ++v) code_of[v] = m->FindCode(d.values[v]);
      int empty_code = m->FindCode(kEmptyCode);
      Counter counter(d.values.size());
      std::vector<int> member(n);
      for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t id = d.id[i];
        int code = -1;
        Outcome o = Outcome::kMapped;
        if (id < 0 || d.values[static_cast<std::size_t>(id)].empty()) {
          code = empty_code;
          if (code < 0) o = Outcome::kMissing;
        } else {
          code = code_of[static_cast<std::size_t>(id)];
          if (code < 0) o = Outcome::kUnknown;
        }
        int mem = t.unknown_index();
        if (code >= 0) {
          const int r = m->Resolve(code, Date(dates[i]));
          if (r < 0) o = Outcome::kExpired; else mem = r;
        }
        if (o != Outcome::kMapped) counter.Add(id, o);
        member[i] = mem;
      }
      counter.Emit(contract.name, rule->field, d, unknowns);
      std::vector<int> levels = {-1};
      if (t.max_level() > 1) levels.push_back(1);
      if (t.max_level() > 2) levels.push_back(2);
      for (int level : levels) {
        std::vector<const std::string*> code_text(t.members().size());
        for (std::size_t k = 0; k < t.members().size(); ++k) {
          const int a = level < 0 ? static_cast<int>(k) : t.AncestorAt(static_cast<int>(k), level);
          code_text[k] = &t.members()[static_cast<std::size_t>(a)].code;
        }
        Column out = NewStringColumn(level < 0 ? rule->output : rule->output + "_level" + std::to_string(level), n, 6);
        for (std::size_t i = 0; i < n; ++i) out.AppendString(*code_text[static_cast<std::size_t>(member[i])]);
        added.push_back(std::move(out));
      }
    } else if (rule->kind == FieldKind::kAge) {
      if (src.type() != ColumnType::kInt64)
        return Status::FailedPrecondition("harmonise: age column '" + rule->field + "' of '" + contract.name + "' is not an integer column");
      const AgeGroups& g = config.age_groups;
      Column out = NewStringColumn(rule->output, n, 5);
      Column minor("minor", ColumnType::kBool);
      minor.Reserve(n);
      std::map<std::pair<std::string, Outcome>, std::int64_t> counts;
      for (std::size_t i = 0; i < n; ++i) {
        int gi = -1;
        if (src.IsNull(i)) {
          counts[{"", Outcome::kMissing}]++;
        } else {
          gi = g.Find(src.GetInt(i));
          if (gi < 0) counts[{std::to_string(src.GetInt(i)), Outcome::kUnknown}]++;
        }
        if (gi < 0) {
          out.AppendString(kUnknownMember);
          minor.AppendNull();
        } else {
          const AgeGroup& a = g.groups()[static_cast<std::size_t>(gi)];
          out.AppendString(a.code);
          minor.AppendBool(a.minor);
        }
      }
      for (const auto& [k, rows] : counts)
        unknowns->push_back({contract.name, rule->field, k.first, std::string(OutcomeName(k.second)), rows});
      added.push_back(std::move(out));
      added.push_back(std::move(minor));
    } else {
      const bool buurt = rule->kind == FieldKind::kBuurt;
      const Distinct d = DistinctOf(src);
      std::vector<std::optional<RegionInfo>> info(d.values.size());
      for (std::size_t v = 0; v < d.values.size(); ++v) {
        std::string_view code = Trim(d.values[v]);
        if (code.empty()) continue;
        RegionInfo r;
        if (buurt) {
          const geo::BuurtInfo* b = geo.CurrentBuurt(code);
          if (b == nullptr) continue;
          r.code = b->code;
          r.gemeente = b->gemeente;
        } else {
          r.gemeente = geo.Successor(code);
          if (r.gemeente.empty()) continue;
          r.code = r.gemeente;
        }
        const geo::GemeenteInfo* gi = geo.FindGemeente(r.gemeente);
        if (gi == nullptr) continue;
        r.province = gi->province;
        r.police_unit = gi->police_unit;
        r.arrondissement = gi->arrondissement;
        info[v] = std::move(r);
      }
      Counter counter(d.values.size());
      Column out = NewStringColumn(rule->output, n, buurt ? 10 : 6);
      Column gem = NewStringColumn("gemeente_2024", buurt ? n : 0, 6);
      Column prov = NewStringColumn("province", n, 4);
      Column pol = NewStringColumn("police_unit", n, 4);
      Column arr = NewStringColumn("arrondissement", n, 5);
      const std::string unknown(kUnknownMember);
      for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t id = d.id[i];
        const RegionInfo* r = id < 0 ? nullptr : (info[static_cast<std::size_t>(id)] ? &*info[static_cast<std::size_t>(id)] : nullptr);
        if (r == nullptr) {
          const bool empty = id < 0 || Trim(d.values[static_cast<std::size_t>(id)]).empty();
          counter.Add(id, empty ? Outcome::kMissing : Outcome::kUnknown);
        }
        out.AppendString(r ? r->code : unknown);
        if (buurt) gem.AppendString(r ? r->gemeente : unknown);
        prov.AppendString(r ? r->province : unknown);
        pol.AppendString(r ? r->police_unit : unknown);
        arr.AppendString(r ? r->arrondissement : unknown);
      }
      counter.Emit(contract.name, rule->field, d, unknowns);
      added.push_back(std::move(out));
      if (buurt) added.push_back(std::move(gem));
      added.push_back(std::move(prov));
      added.push_back(std::move(pol));
      added.push_back(std::move(arr));
    }
  }

  for (Column& c : added) {
    if (c.size() != n) {
      return Status::Internal("harmonise: column '" + c.name() + "' of '" + contract.name + "' has " +
                              std::to_string(c.size()) + " rows, expected " + std::to_string(n));
    }
    if (table->Find(c.name()) >= 0) {
      return Status::FailedPrecondition("harmonise: dataset '" + contract.name + "' already has a column '" + c.name() +
                                        "'; choose another output name in harmonisatie.csv");
    }
    table->AddColumn(std::move(c));
  }
  DAS_RETURN_IF_ERROR(table->Validate());
  if (table->num_rows() != n) return Status::Internal("harmonise: row count changed for '" + contract.name + "'");
  return Status::Ok();
}

Table UnknownsTable(const std::vector<UnknownCount>& unknowns) {
  Column ds("dataset", ColumnType::kString), field("field", ColumnType::kString), code("code", ColumnType::kString),
      reason("reason", ColumnType::kString), rows("rows", ColumnType::kInt64);
  for (const UnknownCount& u : unknowns) {
    ds.AppendString(u.dataset);
    field.AppendString(u.field);
    code.AppendString(u.code);
    reason.AppendString(u.reason);
    rows.AppendInt(u.rows);
  }
  return Table({std::move(ds), std::move(field), std::move(code), std::move(reason), std::move(rows)});
}

Result<Report> HarmoniseStore(store::Store* store, const contract::ContractSet& contracts, const Config& config,
                              const geo::Geography& geo, const Env& env) {
  auto now = [&]() -> double { return env.clock != nullptr ? static_cast<double>(env.clock->NowMicros()) / 1e6 : 0.0; };
  const double t0 = now();
  DAS_RETURN_IF_ERROR(CheckAgainstContracts(config, contracts));
  Report report;
  std::set<std::string> done;
  for (const contract::Contract& listed : contracts.contracts()) {
    if (!done.insert(listed.name).second) continue;
    DAS_ASSIGN_OR_RETURN(const contract::Contract* c, contracts.Find(listed.name));
    DAS_ASSIGN_OR_RETURN(auto deliveries, store->ListDeliveries(c->name));
    std::unordered_map<std::int64_t, Date> period_start;
    for (const store::DeliveryInfo& d : deliveries) {
      if (d.status != "accepted") continue;
      auto p = Period::Parse(d.period);
      if (p.ok()) {
        period_start[d.id] = p->First();
      } else if (auto dd = ParseDate(d.delivered_on, DateFormat::kIso); dd.ok()) {
        period_start[d.id] = *dd;
      } else {
        return Status::FailedPrecondition("harmonise: delivery " + std::to_string(d.id) + " of '" + c->name +
                                          "' has neither a valid period ('" + d.period + "') nor delivery date");
      }
    }
    if (period_start.empty()) continue;
    const double ts = now();
    DAS_ASSIGN_OR_RETURN(Table table, store->ReadCurrent(c->name, c->key));
    DatasetReport dr;
    dr.dataset = c->name;
    dr.rows_in = static_cast<std::int64_t>(table.num_rows());
    const std::size_t cols_before = table.num_columns();
    std::vector<Date> fallback(table.num_rows());
    const int dcol = table.Find("_delivery");
    if (dcol < 0) return Status::Internal("harmonise: ReadCurrent gave no _delivery column for '" + c->name + "'");
    const Column& dc = table.column(static_cast<std::size_t>(dcol));
    for (std::size_t i = 0; i < table.num_rows(); ++i) {
      auto it = period_start.find(dc.GetInt(i));
      if (it == period_start.end()) return Status::Internal("harmonise: row from unknown delivery in '" + c->name + "'");
      fallback[i] = it->second;
    }
    const std::size_t first_unknown = report.unknowns.size();
    DAS_RETURN_IF_ERROR_CTX(HarmoniseTable(*c, config, geo, fallback, &table, &report.unknowns), c->name);
    dr.rows_out = static_cast<std::int64_t>(table.num_rows());
    if (dr.rows_out != dr.rows_in) {
      return Status::Internal("harmonise: '" + c->name + "' went from " + std::to_string(dr.rows_in) + " to " +
                              std::to_string(dr.rows_out) + " rows");
    }
    for (std::size_t k = cols_before; k < table.num_columns(); ++k) dr.added_columns.push_back(table.column(k).name());
    for (std::size_t k = first_unknown; k < report.unknowns.size(); ++k) dr.unknown_rows += report.unknowns[k].rows;
    const std::string meta = "{\"stage\":\"harmonise\",\"dataset\":\"" + c->name + "\",\"contract\":\"" + c->Id() +
                             "\",\"rows\":" + std::to_string(dr.rows_out) + "}";
    DAS_RETURN_IF_ERROR(store->PutTable("h_" + c->name, table, meta));
    dr.seconds = now() - ts;
    report.datasets.push_back(std::move(dr));
  }
  std::stable_sort(report.unknowns.begin(), report.unknowns.end(), [](const UnknownCount& a, const UnknownCount& b) {
    return std::tie(a.dataset, a.field, a.reason, a.code) < std::tie(b.dataset, b.field, b.reason, b.code);
  });
  DAS_RETURN_IF_ERROR(store->PutTable("harmonise_unknowns", UnknownsTable(report.unknowns), "{\"stage\":\"harmonise\"}"));
  report.seconds = now() - t0;
  return report;
}

std::string FormatReport(const Report& report) {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-28s %12s %12s %12s %9s\n", "dataset", "rows in", "rows out", "unknown", "seconds");
  out += buf;
  std::int64_t in = 0, outr = 0, unk = 0;
  for (const DatasetReport& d : report.datasets) {
    std::snprintf(buf, sizeof buf, "%-28s %12lld %12lld %12lld %9.2f\n", d.dataset.c_str(), static_cast<long long>(d.rows_in),
                  static_cast<long long>(d.rows_out), static_cast<long long>(d.unknown_rows), d.seconds);
    out += buf;
    in += d.rows_in;
    outr += d.rows_out;
    unk += d.unknown_rows;
  }
  std::snprintf(buf, sizeof buf, "%-28s %12lld %12lld %12lld %9.2f\n", "total", static_cast<long long>(in),
                static_cast<long long>(outr), static_cast<long long>(unk), report.seconds);
  out += buf;
  if (report.unknowns.empty()) {
    out += "\nno unknown, expired or missing codes\n";
    return out;
  }
  out += "\nnot harmonised (mapped to 'onbekend'), per source and code:\n";
  std::snprintf(buf, sizeof buf, "%-28s %-22s %-8s %-24s %10s\n", "dataset", "field", "reason", "code", "rows");
  out += buf;
  for (const UnknownCount& u : report.unknowns) {
    std::string code = u.code.empty() ? "(leeg)" : u.code;
    std::snprintf(buf, sizeof buf, "%-28s %-22s %-8s %-24s %10lld\n", u.dataset.c_str(), u.field.c_str(),
                  u.reason.c_str(), code.c_str(), static_cast<long long>(u.rows));
    out += buf;
  }
  return out;
}

}  // namespace das::harmonise
