#include "das/protect/protect.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace das::protect {

std::string_view CellStatusName(CellStatus s) {
  switch (s) {
    case CellStatus::kPublished: return "published";
    case CellStatus::kSuppressedPrimary: return "suppressed_primary";
    case CellStatus::kSuppressedSecondary: return "suppressed_secondary";
  }
  return "?";
}

double CellValue(const CellTable& t, std::size_t i) {
  return t.kind() == TableKind::kCount ? static_cast<double>(t.count[i]) : t.amount[i];
}

std::int64_t RoundToBase(std::int64_t v, int base) {
  if (base <= 1) return v;
  const std::int64_t b = base;
  const std::int64_t q = (v >= 0 ? (v + b / 2) / b : -((-v + (b - 1) / 2) / b));
  return q * b;
}

double RoundToBase(double v, int base) {
  if (base < 1) return v;
  return std::floor(v / base + 0.5) * base;
}

Result<PrimaryResult> ApplyPrimaryRules(const CellTable& t, const TableRules& r) {
  const std::string where = "protect: table '" + r.name + "': ";
  if (r.kind != t.kind()) return Status::InvalidArgument(where + "rules are for another kind of table");
  if (r.frequency_max_n < 0) return Status::InvalidArgument(where + "frequency_max_n < 0");
  if (t.kind() == TableKind::kAmount) {
    if (r.dominance_n != 1 && r.dominance_n != 2) return Status::InvalidArgument(where + "dominance_n must be 1 or 2");
    if (r.dominance_k < 0 || r.dominance_k > 100) return Status::InvalidArgument(where + "dominance_k not in 0..100");
    if (r.p_percent < 0) return Status::InvalidArgument(where + "p_percent < 0");
  }
  const std::size_t n = t.num_cells();
  PrimaryResult pr;
  pr.unsafe.assign(n, 0);
  pr.upper.assign(n, 0);
  pr.lower.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t c = t.count[i];
    if (c < 0) {
      return Status::InvalidArgument(where + "cell " + std::to_string(i) + ": negative count " + std::to_string(c));
    }
    const bool freq = r.frequency_max_n > 0 && c >= 1 && c <= r.frequency_max_n;
    if (t.kind() == TableKind::kCount) {
      if (!freq) continue;
      pr.unsafe[i] = 1;
      pr.upper[i] = static_cast<double>(r.frequency_max_n + 1 - c);
      pr.lower[i] = static_cast<double>(std::min<std::int64_t>(c, r.count_lower_protection));
      continue;
    }
    const double a = t.amount[i];
    if (a < 0) return Status::InvalidArgument(where + "cell " + std::to_string(i) + ": negative amount");
    double need = 0;
    bool unsafe = false;
    if (freq) {
      unsafe = true;
      need = std::max(need, r.frequency_range_percent / 100.0 * a);
    }
    if (c >= 1 && a > 0) {
      const double top = t.top1[i] + (r.dominance_n == 2 ? t.top2[i] : 0.0);
      if (r.dominance_k > 0 && top > r.dominance_k / 100.0 * a) {
        unsafe = true;
        need = std::max(need, 100.0 / r.dominance_k * top - a);
      }
      const double rest = a - t.top1[i] - t.top2[i];
      if (r.p_percent > 0 && rest < r.p_percent / 100.0 * t.top1[i]) {
        unsafe = true;
        need = std::max(need, r.p_percent / 100.0 * t.top1[i] - rest);
      }
    }
    if (!unsafe) continue;
    need = std::max(need, 1.0);
    pr.unsafe[i] = 1;
    pr.upper[i] = need;
    pr.lower[i] = std::min(need, a);
  }
  for (std::uint8_t u : pr.unsafe) pr.num_unsafe += u;
  return pr;
}

std::string ProtectedTable::Untyped(std::size_t i) const {
  if (!value[i].has_value()) return kSymbolConfidential;
  const double v = *value[i];
  if (v == 0) return kSymbolNil;
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

Result<ProtectedTable> Protect(const CellTable& t, const TableRules& r, const PTable* ptable) {
  return Protect(t, r, ptable, std::vector<std::uint8_t>());
}

Result<ProtectedTable> Protect(const CellTable& t, const TableRules& r, const PTable* ptable,
                               const std::vector<std::uint8_t>& forced) {
  const std::string where = "protect: table '" + r.name + "': ";
  if (!forced.empty() && forced.size() != t.num_cells()) {
    return Status::InvalidArgument(where + "forced has " + std::to_string(forced.size()) + " entries for " +
                                   std::to_string(t.num_cells()) + " cells");
  }
  if (r.value_method == ValueMethod::kCellKey) {
    if (t.kind() != TableKind::kCount) {
      return Status::InvalidArgument(where + "the cell key method is for count tables; use round or none");
    }
    if (ptable == nullptr) return Status::InvalidArgument(where + "method ckm needs a perturbation table");
  }
  if (r.value_method == ValueMethod::kRound && r.round_base < 1) {
    return Status::InvalidArgument(where + "round_base must be >= 1");
  }
  DAS_ASSIGN_OR_RETURN(PrimaryResult primary, ApplyPrimaryRules(t, r));
  std::vector<std::uint8_t> suppressed = primary.unsafe;
  bool any_forced = false;
  for (std::size_t i = 0; i < forced.size(); ++i) {
    if (forced[i] && !suppressed[i]) {
      suppressed[i] = 1;
      any_forced = true;
    }
  }
  ProtectedTable out;
  out.num_primary = primary.num_unsafe;
  out.secondary.audited = primary.num_unsafe == 0;  // nothing to protect
  if (primary.num_unsafe > 0 || any_forced) {
    switch (r.secondary) {
      case SecondaryMethod::kNone: break;
      case SecondaryMethod::kHeuristic:
        out.secondary = SuppressSecondaryHeuristic(t, primary, &suppressed);
        if (t.num_cells() <= r.audit_max_cells) {
          DAS_RETURN_IF_ERROR_CTX(RepairByAudit(t, primary, &suppressed, &out.secondary.repair_rounds),
                                  where.substr(0, where.size() - 2));
          out.secondary.audited = true;
        }
        break;
      case SecondaryMethod::kOptimal: {
        auto res = SuppressSecondaryOptimal(t, primary, r, &suppressed);
        if (!res.ok()) return res.status().WithContext(where.substr(0, where.size() - 2));
        out.secondary = *res;
        out.secondary.audited = true;
        if (any_forced) {
          // The MIP does not know the forced cells: add them back, close their lines, audit again.
          for (std::size_t i = 0; i < forced.size(); ++i) suppressed[i] = suppressed[i] || forced[i];
          SuppressSecondaryHeuristic(t, primary, &suppressed);
          DAS_RETURN_IF_ERROR_CTX(RepairByAudit(t, primary, &suppressed, &out.secondary.repair_rounds),
                                  where.substr(0, where.size() - 2));
        }
        break;
      }
    }
  }
  const std::size_t n = t.num_cells();
  out.secondary.num_secondary = 0;
  out.secondary.suppressed_value = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (suppressed[i] && !primary.unsafe[i]) {
      ++out.secondary.num_secondary;
      out.secondary.suppressed_value += CellValue(t, i);
    }
  }
  out.status.resize(n);
  out.value.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (suppressed[i]) {
      out.status[i] = primary.unsafe[i] ? CellStatus::kSuppressedPrimary : CellStatus::kSuppressedSecondary;
      continue;
    }
    out.status[i] = CellStatus::kPublished;
    if (t.kind() == TableKind::kCount) {
      std::int64_t v = t.count[i];
      if (r.value_method == ValueMethod::kCellKey) v = ptable->Perturb(v, t.cell_key[i]);
      if (r.value_method == ValueMethod::kRound) v = RoundToBase(v, r.round_base);
      out.value[i] = static_cast<double>(v);
    } else {
      double v = t.amount[i];
      if (r.value_method == ValueMethod::kRound) v = RoundToBase(v, r.round_base);
      out.value[i] = v;
    }
  }
  return out;
}

Table ToTable(const CellTable& t, const ProtectedTable& result) {
  std::vector<Column> cols;
  for (const Dimension& d : t.dims()) cols.emplace_back(d.name(), ColumnType::kString);
  const bool counts = t.kind() == TableKind::kCount;
  cols.emplace_back("value", counts ? ColumnType::kInt64 : ColumnType::kDouble);
  cols.emplace_back("status", ColumnType::kString);
  cols.emplace_back("symbol", ColumnType::kString);
  const std::size_t nd = t.dims().size();
  for (Column& c : cols) c.Reserve(t.num_cells());
  for (std::size_t i = 0; i < t.num_cells(); ++i) {
    for (std::size_t d = 0; d < nd; ++d) {
      cols[d].AppendString(t.dims()[d].code(static_cast<std::size_t>(t.CodeOf(i, d))));
    }
    if (!result.value[i].has_value()) {
      cols[nd].AppendNull();
    } else if (counts) {
      cols[nd].AppendInt(static_cast<std::int64_t>(*result.value[i]));
    } else {
      cols[nd].AppendDouble(*result.value[i]);
    }
    cols[nd + 1].AppendString(CellStatusName(result.status[i]));
    cols[nd + 2].AppendString(result.Untyped(i));
  }
  return Table(std::move(cols));
}

}  // namespace das::protect
