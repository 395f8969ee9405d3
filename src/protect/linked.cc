// Linked tables: consistent suppression across tables that share cells, and a joint attack on their union.
#include "das/protect/linked.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "cuts.h"

namespace das::protect {
namespace {

struct Occurrence {
  std::size_t table = 0;
  std::size_t cell = 0;
};

std::string Where(const std::vector<LinkedTable>& ts, const Occurrence& o) {
  return "table '" + ts[o.table].rules.name + "' cell " + std::to_string(o.cell);
}

Status CheckConsistent(const std::vector<LinkedTable>& ts, std::size_t num_vars, std::vector<Occurrence>* first) {
  first->assign(num_vars, Occurrence{SIZE_MAX, 0});
  for (std::size_t t = 0; t < ts.size(); ++t) {
    const CellTable& ct = *ts[t].table;
    for (std::size_t i = 0; i < ct.num_cells(); ++i) {
      Occurrence& f = (*first)[ts[t].var[i]];
      if (f.table == SIZE_MAX) {
        f = {t, i};
        continue;
      }
      const CellTable& o = *ts[f.table].table;
      bool same = o.kind() == ct.kind() && o.count[f.cell] == ct.count[i];
      if (ct.kind() == TableKind::kCount) {
        same = same && o.cell_key[f.cell] % kCellKeyModulus == ct.cell_key[i] % kCellKeyModulus;
      } else {
        const double tol = 1e-9 * std::max(1.0, std::fabs(ct.amount[i]));
        same = same && std::fabs(o.amount[f.cell] - ct.amount[i]) <= tol;
      }
      if (!same) {
        return Status::FailedPrecondition(
            "linked cells differ: " + Where(ts, f) + " (count " + std::to_string(o.count[f.cell]) +
            ") and " + Where(ts, {t, i}) + " (count " + std::to_string(ct.count[i]) +
            ") are the same statistic but have different count, cell key or amount");
      }
    }
  }
  return Status::Ok();
}

struct UnionFind {
  std::vector<std::uint32_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  std::uint32_t Root(std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  void Join(std::uint32_t a, std::uint32_t b) { parent[Root(a)] = Root(b); }
};

// The joint system: distinct lines over variables, values and protection needs per variable.
struct Joint {
  std::vector<Line> lines;
  std::vector<double> a;
  PrimaryResult primary;
};

Result<Joint> BuildJoint(const std::vector<LinkedTable>& ts, const std::vector<PrimaryResult>& primaries,
                         std::size_t num_vars) {
  Joint j;
  j.a.assign(num_vars, 0);
  j.primary.unsafe.assign(num_vars, 0);
  j.primary.upper.assign(num_vars, 0);
  j.primary.lower.assign(num_vars, 0);
  std::set<std::vector<std::uint32_t>> seen;
  for (std::size_t t = 0; t < ts.size(); ++t) {
    const CellTable& ct = *ts[t].table;
    const std::vector<std::uint32_t>& var = ts[t].var;
    for (std::size_t i = 0; i < ct.num_cells(); ++i) {
      const std::uint32_t v = var[i];
      j.a[v] = CellValue(ct, i);
      if (primaries[t].unsafe[i]) {
        j.primary.unsafe[v] = 1;
        j.primary.upper[v] = std::max(j.primary.upper[v], primaries[t].upper[i]);
        j.primary.lower[v] = std::max(j.primary.lower[v], primaries[t].lower[i]);
      }
    }
    for (const Line& l : Lines(ct)) {
      std::vector<std::uint32_t> key;
      key.reserve(l.parts.size() + 1);
      for (std::uint32_t p : l.parts) key.push_back(var[p]);
      std::sort(key.begin(), key.end());
      const std::uint32_t total = var[l.total];
      if (key.empty() || std::binary_search(key.begin(), key.end(), total)) continue;
      key.insert(key.begin(), total);
      if (!seen.insert(key).second) continue;
      j.lines.push_back(Line{total, std::vector<std::uint32_t>(key.begin() + 1, key.end())});
    }
  }
  for (std::uint8_t u : j.primary.unsafe) j.primary.num_unsafe += u;
  return j;
}

// Attacks every component holding an unsafe variable; adds cells to `sup` where the attack succeeds. Returns
// whether anything was added.
Result<bool> JointAuditAndRepair(const Joint& j, const LinkedOptions& opt, std::vector<std::uint8_t>* sup,
                                 LinkedStats* stats) {
  const std::size_t n = j.a.size();
  UnionFind uf(n);
  for (const Line& l : j.lines) {
    for (std::uint32_t p : l.parts) uf.Join(l.total, p);
  }
  std::map<std::uint32_t, std::vector<std::uint32_t>> comps;  // root -> variables (ascending)
  for (std::uint32_t v = 0; v < n; ++v) comps[uf.Root(v)].push_back(v);
  std::map<std::uint32_t, std::vector<std::uint32_t>> comp_lines;
  for (std::uint32_t li = 0; li < j.lines.size(); ++li) comp_lines[uf.Root(j.lines[li].total)].push_back(li);
  stats->components_audited = 0;
  stats->components_too_large = 0;
  bool added = false;
  for (const auto& [root, vars] : comps) {
    bool has_unsafe = false;
    for (std::uint32_t v : vars) has_unsafe = has_unsafe || j.primary.unsafe[v];
    if (!has_unsafe || vars.size() < 2) continue;
    if (vars.size() > opt.joint_audit_max_vars) {
      ++stats->components_too_large;
      continue;
    }
    ++stats->components_audited;
    std::vector<std::uint32_t> local(n, 0);
    for (std::uint32_t k = 0; k < vars.size(); ++k) local[vars[k]] = k;
    internal::ProtectionModel m;
    PrimaryResult pr;
    const std::size_t cn = vars.size();
    m.a.resize(cn);
    m.fixed.assign(cn, -1);
    m.cost.resize(cn);
    m.in_lines.resize(cn);
    pr.unsafe.resize(cn);
    pr.upper.resize(cn);
    pr.lower.resize(cn);
    std::vector<std::uint8_t> y(cn);
    for (std::size_t k = 0; k < cn; ++k) {
      const std::uint32_t v = vars[k];
      m.a[k] = j.a[v];
      m.upper = std::max(m.upper, m.a[k]);
      pr.unsafe[k] = j.primary.unsafe[v];
      pr.upper[k] = j.primary.upper[v];
      pr.lower[k] = j.primary.lower[v];
      pr.num_unsafe += pr.unsafe[k];
      if (pr.unsafe[k]) m.fixed[k] = 1;
      else if (m.a[k] <= 0) m.fixed[k] = 0;
      m.cost[k] = m.a[k] + 1.0;
      y[k] = (*sup)[v];
    }
    for (std::uint32_t li : comp_lines[root]) {
      const Line& l = j.lines[li];
      Line ll{local[l.total], {}};
      for (std::uint32_t p : l.parts) ll.parts.push_back(local[p]);
      const auto idx = static_cast<std::uint32_t>(m.lines.size());
      m.in_lines[ll.total].push_back({idx, 1.0});
      for (std::uint32_t p : ll.parts) m.in_lines[p].push_back({idx, -1.0});
      m.lines.push_back(std::move(ll));
    }
    auto cuts = internal::SeparateCuts(m, pr, y);
    if (!cuts.ok()) return cuts.status().WithContext("joint audit of linked tables");
    for (const internal::Cut& cut : *cuts) {
      double lhs = 0;
      for (const auto& [i, c] : cut.row) lhs += y[static_cast<std::size_t>(i)] ? c : 0.0;
      while (lhs + 1e-9 < cut.rhs) {
        int best = -1;
        double best_score = -1;
        for (const auto& [i, c] : cut.row) {
          if (y[static_cast<std::size_t>(i)]) continue;
          const double score = std::min(c, cut.rhs - lhs) / m.cost[static_cast<std::size_t>(i)];
          if (score > best_score) {
            best_score = score;
            best = i;
          }
        }
        if (best < 0) break;
        y[static_cast<std::size_t>(best)] = 1;
        (*sup)[vars[static_cast<std::size_t>(best)]] = 1;
        added = true;
        for (const auto& [i, c] : cut.row) {
          if (i == best) lhs += c;
        }
      }
    }
  }
  return added;
}

}  // namespace

Result<LinkedResult> ProtectLinked(const std::vector<LinkedTable>& ts, const PTable* ptable,
                                   const LinkedOptions& opt) {
  std::size_t num_vars = 0;
  for (const LinkedTable& t : ts) {
    if (t.table == nullptr) return Status::InvalidArgument("protect linked: table '" + t.rules.name + "' is null");
    if (t.var.size() != t.table->num_cells()) {
      return Status::InvalidArgument("protect linked: table '" + t.rules.name + "': " +
                                     std::to_string(t.var.size()) + " variable ids for " +
                                     std::to_string(t.table->num_cells()) + " cells");
    }
    for (std::uint32_t v : t.var) num_vars = std::max<std::size_t>(num_vars, std::size_t{v} + 1);
  }
  std::vector<Occurrence> first;
  DAS_RETURN_IF_ERROR_CTX(CheckConsistent(ts, num_vars, &first), "protect linked");
  std::vector<PrimaryResult> primaries;
  for (const LinkedTable& t : ts) {
    DAS_ASSIGN_OR_RETURN(PrimaryResult pr, ApplyPrimaryRules(*t.table, t.rules));
    primaries.push_back(std::move(pr));
  }

  LinkedResult out;
  out.stats.num_vars = num_vars;
  out.tables.resize(ts.size());
  std::vector<std::uint8_t> sup(num_vars, 0);       // suppressed in some table
  std::vector<std::uint8_t> dirty(ts.size(), 1);
  std::vector<std::vector<std::uint8_t>> alone(ts.size());  // first, standalone pass
  std::optional<Joint> joint;
  for (int round = 1;; ++round) {
    if (round > opt.max_rounds) {
      return Status::ResourceExhausted("protect linked: suppression not settled after " +
                                       std::to_string(opt.max_rounds) + " rounds");
    }
    out.stats.rounds = round;
    for (std::size_t t = 0; t < ts.size(); ++t) {
      if (!dirty[t]) continue;
      const CellTable& ct = *ts[t].table;
      std::vector<std::uint8_t> forced;
      if (opt.link && round > 1) {
        forced.resize(ct.num_cells());
        for (std::size_t i = 0; i < ct.num_cells(); ++i) forced[i] = sup[ts[t].var[i]];
      }
      DAS_ASSIGN_OR_RETURN(out.tables[t], Protect(ct, ts[t].rules, ptable, forced));
      if (round == 1) {
        alone[t].resize(ct.num_cells());
        for (std::size_t i = 0; i < ct.num_cells(); ++i) alone[t][i] = !out.tables[t].value[i].has_value();
      }
      for (std::size_t i = 0; i < ct.num_cells(); ++i) {
        if (!out.tables[t].value[i].has_value()) sup[ts[t].var[i]] = 1;
      }
    }
    if (!opt.link) break;
    bool any_dirty = false;
    for (std::size_t t = 0; t < ts.size(); ++t) {
      dirty[t] = 0;
      for (std::size_t i = 0; i < ts[t].table->num_cells() && !dirty[t]; ++i) {
        if (sup[ts[t].var[i]] && out.tables[t].value[i].has_value()) dirty[t] = 1;
      }
      any_dirty = any_dirty || dirty[t];
    }
    if (any_dirty) continue;
    if (!joint.has_value()) {
      DAS_ASSIGN_OR_RETURN(Joint j, BuildJoint(ts, primaries, num_vars));
      joint = std::move(j);
    }
    DAS_ASSIGN_OR_RETURN(bool added, JointAuditAndRepair(*joint, opt, &sup, &out.stats));
    if (!added) break;
    ++out.stats.joint_repairs;
    for (std::size_t t = 0; t < ts.size(); ++t) {
      for (std::size_t i = 0; i < ts[t].table->num_cells() && !dirty[t]; ++i) {
        if (sup[ts[t].var[i]] && out.tables[t].value[i].has_value()) dirty[t] = 1;
      }
    }
  }

  // One state and one value per statistic.
  std::vector<std::optional<double>> value_of(num_vars);
  std::vector<std::uint8_t> state_set(num_vars, 0);
  for (std::size_t t = 0; t < ts.size(); ++t) {
    const std::vector<std::uint32_t>& var = ts[t].var;
    for (std::size_t i = 0; i < var.size(); ++i) {
      const std::optional<double>& v = out.tables[t].value[i];
      if (alone[t][i] != !v.has_value()) ++out.stats.num_forced;
      if (!opt.link) continue;
      if (!state_set[var[i]]) {
        state_set[var[i]] = 1;
        value_of[var[i]] = v;
        continue;
      }
      if (value_of[var[i]].has_value() != v.has_value()) {
        return Status::Internal("protect linked: " + Where(ts, first[var[i]]) + " and " + Where(ts, {t, i}) +
                                " are the same statistic but one is suppressed and the other not");
      }
      if (v.has_value() && *v != *value_of[var[i]]) {
        return Status::FailedPrecondition(
            "protect linked: " + Where(ts, first[var[i]]) + " and " + Where(ts, {t, i}) +
            " are the same statistic but are published as different values; give linked tables the same "
            "method and round_base");
      }
    }
  }
  return out;
}

}  // namespace das::protect
