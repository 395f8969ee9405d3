// Protection of StatTables into their published form: CellTables per topic, linked suppression, derived topics.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <unordered_map>

#include "das/protect/linked.h"
#include "das/release/build.h"

namespace das::release {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

bool AllDigits(const std::string& s, std::size_t from, std::size_t len) {
  if (s.size() < from + len) return false;
  for (std::size_t k = from; k < from + len; ++k) {
    if (s[k] < '0' || s[k] > '9') return false;
  }
  return true;
}

std::string CellName(const stats::StatTable& t, std::size_t cell) {
  std::string s = "(";
  for (std::size_t d = 0; d < t.dims.size(); ++d) {
    if (d > 0) s += ", ";
    s += t.dims[d].id + "=" + t.dims[d].codes[static_cast<std::size_t>(t.CodeOf(cell, d))].code;
  }
  return s + ")";
}

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

Status ValidateTable(const stats::StatTable& t) {
  const std::string where = "release: table '" + t.id + "'";
  if (t.id.empty()) return Status::InvalidArgument("release: a table has an empty id");
  if (t.id.find_first_of("/ \t\n") != std::string::npos || t.id[0] == '_') {
    return Status::InvalidArgument(where + ": id must not contain '/' or blanks nor start with '_'");
  }
  if (t.dims.empty()) return Status::InvalidArgument(where + ": no dimensions");
  std::set<std::string> names;
  for (const stats::DimensionSpec& d : t.dims) {
    if (d.codes.empty()) return Status::InvalidArgument(where + ": dimension '" + d.id + "' has no codes");
    if (!names.insert(d.id).second) return Status::InvalidArgument(where + ": duplicate column '" + d.id + "'");
  }
  for (const stats::MeasureSpec& m : t.measures) {
    if (!names.insert(m.id).second) return Status::InvalidArgument(where + ": duplicate column '" + m.id + "'");
  }
  if (t.values.size() != t.measures.size()) {
    return Status::InvalidArgument(where + ": " + std::to_string(t.values.size()) + " value sets for " +
                                   std::to_string(t.measures.size()) + " topics");
  }
  const std::size_t n = t.num_cells();
  for (std::size_t m = 0; m < t.measures.size(); ++m) {
    const stats::MeasureValues& v = t.values[m];
    const std::string wm = where + " topic '" + t.measures[m].id + "'";
    auto bad = [&](const char* what, std::size_t size) {
      return Status::InvalidArgument(wm + ": " + what + " has " + std::to_string(size) + " entries for " +
                                     std::to_string(n) + " cells");
    };
    if (v.value.size() != n) return bad("value", v.value.size());
    if (!v.n.empty() && v.n.size() != n) return bad("n", v.n.size());
    if (!v.cell_key.empty() && v.cell_key.size() != n) return bad("cell_key", v.cell_key.size());
    if (!v.top1.empty() && v.top1.size() != n) return bad("top1", v.top1.size());
    if (!v.top2.empty() && v.top2.size() != n) return bad("top2", v.top2.size());
    if (t.measures[m].kind != stats::MeasureKind::kCount && v.n.size() != n) return bad("n", v.n.size());
  }
  return Status::Ok();
}

// protect::Dimension of a StatTable dimension: hierarchy from Code.parent, or flat (every code a root) for
// dimensions without a total and for the time dimension of stock topics.
Result<protect::Dimension> ToDimension(const stats::DimensionSpec& d, bool flat, const std::string& where) {
  protect::Dimension out(d.id);
  for (std::size_t k = 0; k < d.codes.size(); ++k) {
    const stats::Code& c = d.codes[k];
    Status st = out.AddCode(c.code, flat ? std::string() : c.parent);
    if (!st.ok()) return st.WithContext(where + " dimension '" + d.id + "' code '" + c.code + "'");
  }
  if (!flat && d.kind != stats::DimensionKind::kTime && d.has_total && !d.codes[0].parent.empty()) {
    return Status::InvalidArgument(where + " dimension '" + d.id + "': the total '" + d.codes[0].code +
                                   "' has a parent");
  }
  return out;
}

std::string Summary(const protect::TableRules& r, const protect::PTable& pt) {
  std::string s;
  switch (r.value_method) {
    case protect::ValueMethod::kCellKey:
      s = "ckm D" + std::to_string(pt.params.max_noise) + " V" + Num(pt.params.variance) + " js" +
          std::to_string(pt.params.js);
      break;
    case protect::ValueMethod::kRound: s = "round " + std::to_string(r.round_base); break;
    case protect::ValueMethod::kNone: s = "exact"; break;
  }
  s += ", min_n " + std::to_string(r.frequency_max_n + 1);
  if (r.kind == protect::TableKind::kAmount) {
    s += ", dominance (" + std::to_string(r.dominance_n) + "," + Num(r.dominance_k) + ")";
    if (r.p_percent > 0) s += ", p% " + Num(r.p_percent);
  }
  switch (r.secondary) {
    case protect::SecondaryMethod::kHeuristic: s += ", secondary heuristic"; break;
    case protect::SecondaryMethod::kOptimal: s += ", secondary optimal"; break;
    case protect::SecondaryMethod::kNone: s += ", no secondary"; break;
  }
  return s;
}

}  // namespace

std::string PeriodEndDate(const std::string& p) {
  if (p.size() != 8 || !AllDigits(p, 0, 4) || !AllDigits(p, 6, 2)) return p;
  const int y = std::stoi(p.substr(0, 4));
  const std::string kind = p.substr(4, 2);
  const int k = std::stoi(p.substr(6, 2));
  int month = 0;
  if (kind == "JJ" && k == 0) month = 12;
  else if (kind == "HJ" && (k == 1 || k == 2)) month = 6 * k;
  else if (kind == "KW" && k >= 1 && k <= 4) month = 3 * k;
  else if (kind == "MM" && k >= 1 && k <= 12) month = k;
  else return p;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, month, DaysIn(y, month));
  return buf;
}

std::string CellSignature(const stats::StatTable& t, std::size_t measure, std::size_t cell) {
  const stats::MeasureSpec& m = t.measures[measure];
  std::string s = m.cell_key_id.empty() ? t.id + "." + m.id : m.cell_key_id;
  s += '|';
  std::vector<std::size_t> order(t.dims.size());
  for (std::size_t d = 0; d < order.size(); ++d) order[d] = d;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return t.dims[a].id < t.dims[b].id; });
  for (std::size_t d : order) {
    const stats::DimensionSpec& dim = t.dims[d];
    const int c = t.CodeOf(cell, d);
    if (c == dim.total_index()) continue;
    const std::string& code = dim.codes[static_cast<std::size_t>(c)].code;
    s += dim.id;
    s += '=';
    s += dim.kind == stats::DimensionKind::kTime && m.time == stats::TimeSemantics::kStock ? PeriodEndDate(code)
                                                                                            : code;
    s += ';';
  }
  return s;
}

Result<std::vector<PublishedTable>> ProtectTables(const std::vector<stats::StatTable>& tables,
                                                  const BuildOptions& opt, BuildStats* stats_out) {
  BuildStats st;
  std::vector<std::size_t> order(tables.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return tables[a].id < tables[b].id; });
  for (std::size_t k = 0; k < order.size(); ++k) {
    DAS_RETURN_IF_ERROR(ValidateTable(tables[order[k]]));
    if (k > 0 && tables[order[k]].id == tables[order[k - 1]].id) {
      return Status::InvalidArgument("release: table id '" + tables[order[k]].id + "' appears twice");
    }
  }

  // One CellTable per count / amount topic.
  struct Unit {
    std::size_t table = 0, measure = 0;
    std::unique_ptr<protect::CellTable> cells;
    std::vector<std::size_t> unavailable;  // cells whose value was undetermined (NaN): published as unavailable
  };
  std::vector<Unit> units;
  std::vector<protect::LinkedTable> linked;
  std::unordered_map<std::string, std::uint32_t> var_of;
  std::vector<PublishedTable> out;
  std::vector<std::vector<std::string>> summaries(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const stats::StatTable& t = tables[order[k]];
    PublishedTable p;
    p.id = t.id;
    p.title_nl = t.title_nl;
    p.title_en = t.title_en;
    p.description_nl = t.description_nl;
    p.description_en = t.description_en;
    p.theme = t.theme;
    p.source_stages = t.source_stages;
    p.dims = t.dims;
    p.measures = t.measures;
    const std::size_t n = t.num_cells();
    p.value.assign(t.measures.size(), std::vector<double>(n, 0.0));
    p.state.assign(t.measures.size(), std::vector<CellState>(n, CellState::kUnavailable));
    const std::string rules_name = t.protection.empty() ? t.id : t.protection;
    for (std::size_t m = 0; m < t.measures.size(); ++m) {
      const stats::MeasureSpec& ms = t.measures[m];
      const stats::MeasureValues& mv = t.values[m];
      const std::string where = "release: table '" + t.id + "' topic '" + ms.id + "'";
      protect::TableRules rules = opt.rules.For(rules_name);
      rules.name = t.id + "/" + ms.id;
      if (ms.kind == stats::MeasureKind::kDerived) {
        for (std::size_t i = 0; i < n; ++i) {
          const std::int64_t basis = mv.n[i];
          if (basis < 0) {
            return Status::InvalidArgument(where + " cell " + CellName(t, i) + ": negative n " +
                                           std::to_string(basis));
          }
          if (basis == 0 || !std::isfinite(mv.value[i])) continue;  // unavailable
          if (rules.frequency_max_n > 0 && basis <= rules.frequency_max_n) {
            p.state[m][i] = CellState::kSuppressed;
            continue;
          }
          p.state[m][i] = CellState::kPublished;
          p.value[m][i] = mv.value[i];
        }
        summaries[k].push_back("derived: basis n >= " + std::to_string(rules.frequency_max_n + 1));
        continue;
      }
      const bool amount = ms.kind == stats::MeasureKind::kAmount;
      rules.kind = amount ? protect::TableKind::kAmount : protect::TableKind::kCount;
      if (amount && rules.value_method == protect::ValueMethod::kCellKey) {
        rules.value_method = protect::ValueMethod::kRound;
      }
      std::vector<protect::Dimension> dims;
      for (const stats::DimensionSpec& d : t.dims) {
        const bool flat = (d.kind == stats::DimensionKind::kTime && ms.time == stats::TimeSemantics::kStock) ||
                          (d.kind != stats::DimensionKind::kTime && !d.has_total);
        DAS_ASSIGN_OR_RETURN(protect::Dimension pd, ToDimension(d, flat, where));
        dims.push_back(std::move(pd));
      }
      auto ct = protect::CellTable::Create(std::move(dims), rules.kind);
      if (!ct.ok()) return ct.status().WithContext(where);
      auto cells = std::make_unique<protect::CellTable>(std::move(*ct));
      std::vector<std::size_t> unavailable;
      std::vector<std::uint32_t> var(n);
      for (std::size_t i = 0; i < n; ++i) {
        double v = mv.value[i];
        // A count or amount the statistics could not determine (e.g. recidivists of a cohort whose follow-up is
        // not complete) is unavailable ('.'): it enters protection as an empty cell, linked to nothing.
        const bool undetermined = std::isnan(v);
        if (undetermined) {
          v = 0;
          unavailable.push_back(i);
        }
        if (!std::isfinite(v) || v < 0) {
          return Status::InvalidArgument(where + " cell " + CellName(t, i) + ": value " + Num(v) +
                                         " is not a finite non-negative number");
        }
        if (amount) {
          if (mv.n[i] < 0) {
            return Status::InvalidArgument(where + " cell " + CellName(t, i) + ": negative n");
          }
          cells->count[i] = mv.n[i];
          cells->amount[i] = v;
          cells->top1[i] = mv.top1.empty() ? 0.0 : mv.top1[i];
          cells->top2[i] = mv.top2.empty() ? 0.0 : mv.top2[i];
        } else {
          if (std::fabs(v - std::round(v)) > 1e-9) {
            return Status::InvalidArgument(where + " cell " + CellName(t, i) + ": count " + Num(v) +
                                           " is not a whole number");
          }
          cells->count[i] = static_cast<std::int64_t>(std::llround(v));
        }
        cells->cell_key[i] = mv.cell_key.empty() ? 0u : mv.cell_key[i] % protect::kCellKeyModulus;
        const std::string sig = undetermined ? "#unavailable|" + t.id + "|" + ms.id + "|" + std::to_string(i)
                                             : CellSignature(t, m, i);
        auto [it, inserted] = var_of.try_emplace(sig, static_cast<std::uint32_t>(var_of.size()));
        var[i] = it->second;
      }
      summaries[k].push_back(Summary(rules, opt.ptable));
      linked.push_back(protect::LinkedTable{cells.get(), rules, std::move(var)});
      units.push_back(Unit{k, m, std::move(cells), std::move(unavailable)});
    }
    out.push_back(std::move(p));
  }

  protect::LinkedOptions lo;
  lo.link = opt.link_tables;
  lo.joint_audit_max_vars = opt.joint_audit_max_vars;
  const protect::PTable* pt = opt.ptable.entries.empty() ? nullptr : &opt.ptable;
  DAS_ASSIGN_OR_RETURN(protect::LinkedResult res, protect::ProtectLinked(linked, pt, lo));
  for (std::size_t u = 0; u < units.size(); ++u) {
    PublishedTable& p = out[units[u].table];
    const std::size_t m = units[u].measure;
    const protect::ProtectedTable& pr = res.tables[u];
    for (std::size_t i = 0; i < pr.value.size(); ++i) {
      if (pr.value[i].has_value()) {
        p.state[m][i] = CellState::kPublished;
        p.value[m][i] = *pr.value[i];
      } else {
        p.state[m][i] = CellState::kSuppressed;
      }
    }
    for (std::size_t i : units[u].unavailable) {
      p.state[m][i] = CellState::kUnavailable;
      p.value[m][i] = 0;
    }
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    std::vector<std::string>& s = summaries[k];
    std::sort(s.begin(), s.end());
    s.erase(std::unique(s.begin(), s.end()), s.end());
    for (const std::string& x : s) {
      if (!out[k].protection_summary.empty()) out[k].protection_summary += "; ";
      out[k].protection_summary += x;
    }
    st.cells += out[k].num_cells() * out[k].measures.size();
    for (const auto& states : out[k].state) {
      for (CellState c : states) {
        if (c == CellState::kPublished) ++st.published;
        else if (c == CellState::kSuppressed) ++st.suppressed;
        else ++st.unavailable;
      }
    }
  }
  st.tables = out.size();
  st.linked_vars = res.stats.num_vars;
  st.forced = res.stats.num_forced;
  st.rounds = res.stats.rounds;
  st.joint_repairs = res.stats.joint_repairs;
  st.components_too_large = res.stats.components_too_large;
  if (stats_out != nullptr) *stats_out = st;
  return out;
}

}  // namespace das::release
