#include "das/protect/ckm.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>

namespace das::protect {

Result<RecordKeyer> RecordKeyer::Create(std::string_view secret) {
  if (secret.size() < 16) return Status::InvalidArgument("record keys: secret shorter than 16 bytes");
  if (sodium_init() < 0) return Status::Internal("record keys: libsodium failed to initialise");
  RecordKeyer k;
  static constexpr unsigned char kTag[] = "das-protect/record-key/v1";
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, k.key_.size());
  crypto_generichash_update(&st, kTag, sizeof kTag);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_generichash_final(&st, k.key_.data(), k.key_.size());
  sodium_memzero(&st, sizeof st);
  return k;
}

std::uint32_t RecordKeyer::Key(std::string_view unit_id) const {
  static_assert(crypto_shorthash_KEYBYTES == 16 && crypto_shorthash_BYTES == 8);
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, reinterpret_cast<const unsigned char*>(unit_id.data()), unit_id.size(), key_.data());
  return out[0];  // uniform on 0..255
}

std::uint32_t CellKey(const std::vector<std::uint32_t>& record_keys) {
  std::uint32_t k = 0;
  for (std::uint32_t r : record_keys) k = (k + r) % kCellKeyModulus;
  return k;
}

int PTable::Noise(std::int64_t count, std::uint32_t cell_key) const {
  if (count <= 0) return 0;
  const std::int64_t mi = params.max_i;
  const std::size_t i = static_cast<std::size_t>(std::min(count, mi));
  const std::uint32_t k = cell_key % kCellKeyModulus;
  for (std::uint32_t e = row_begin[i]; e < row_begin[i + 1]; ++e) {
    if (static_cast<std::uint32_t>(entries[e].ub) > k) return entries[e].v;
  }
  return 0;  // unreachable for a validated table
}

std::string PTable::ToCsv() const {
  char buf[160];
  std::snprintf(buf, sizeof buf, "# ptable D=%d,V=%.4f,js=%d,max_i=%d\ni,j,v,p,lb,ub\n", params.max_noise,
                params.variance, params.js, params.max_i);
  std::string out = buf;
  for (const PTableEntry& e : entries) {
    std::snprintf(buf, sizeof buf, "%d,%d,%d,%.8f,%d,%d\n", e.i, e.j, e.v, e.p(), e.lb, e.ub);
    out += buf;
  }
  return out;
}

namespace {

void BuildRowIndex(PTable* t) {
  t->row_begin.assign(static_cast<std::size_t>(t->params.max_i) + 2, 0);
  std::size_t e = 0;
  for (int i = 0; i <= t->params.max_i + 1; ++i) {
    while (e < t->entries.size() && t->entries[e].i < i) ++e;
    t->row_begin[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(e);
  }
}

// Allowed noises of row i: |v| <= D, i + v >= 0, i + v not in 1..js; row 0 only v = 0.
std::vector<int> Allowed(int i, const PTableParams& p) {
  std::vector<int> vs;
  if (i == 0) return {0};
  for (int v = -p.max_noise; v <= p.max_noise; ++v) {
    const int j = i + v;
    if (j < 0 || (j >= 1 && j <= p.js)) continue;
    vs.push_back(v);
  }
  return vs;
}

// Exponential family p(v) ~ exp(a v + b v^2) over vs.
std::vector<double> Family(const std::vector<int>& vs, double a, double b) {
  std::vector<double> w(vs.size());
  double mx = -1e300;
  for (std::size_t k = 0; k < vs.size(); ++k) mx = std::max(mx, a * vs[k] + b * vs[k] * vs[k]);
  double s = 0;
  for (std::size_t k = 0; k < vs.size(); ++k) s += (w[k] = std::exp(a * vs[k] + b * vs[k] * vs[k] - mx));
  for (double& x : w) x /= s;
  return w;
}

double Mean(const std::vector<int>& vs, const std::vector<double>& p) {
  double m = 0;
  for (std::size_t k = 0; k < vs.size(); ++k) m += p[k] * vs[k];
  return m;
}

double Var(const std::vector<int>& vs, const std::vector<double>& p) {
  double m = Mean(vs, p), s = 0;
  for (std::size_t k = 0; k < vs.size(); ++k) s += p[k] * (vs[k] - m) * (vs[k] - m);
  return s;
}

// For fixed b, the a with mean 0 (mean is increasing in a).
double SolveMean(const std::vector<int>& vs, double b) {
  double lo = -60, hi = 60;
  for (int it = 0; it < 200; ++it) {
    const double mid = 0.5 * (lo + hi);
    (Mean(vs, Family(vs, mid, b)) < 0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// Maximum-entropy distribution with mean 0 and variance as close to V as the support allows.
std::vector<double> MaxEntropyRow(const std::vector<int>& vs, double V) {
  if (vs.size() == 1) return {1.0};
  double lo = -30, hi = 30;  // variance increases with b
  for (int it = 0; it < 100; ++it) {
    const double mid = 0.5 * (lo + hi);
    const std::vector<double> p = Family(vs, SolveMean(vs, mid), mid);
    (Var(vs, p) < V ? lo : hi) = mid;
  }
  const double b = 0.5 * (lo + hi);
  return Family(vs, SolveMean(vs, b), b);
}

// Integer weights summing to 256 (largest remainder, ties to the smaller |v| then smaller v), then local moves
// that reduce |sum n v| without emptying a value.
std::vector<int> Quantise(const std::vector<int>& vs, const std::vector<double>& p) {
  const std::size_t m = vs.size();
  std::vector<int> n(m);
  std::vector<std::pair<double, std::size_t>> rem;
  int total = 0;
  for (std::size_t k = 0; k < m; ++k) {
    n[k] = static_cast<int>(std::floor(p[k] * 256));
    total += n[k];
    rem.push_back({p[k] * 256 - n[k], k});
  }
  std::stable_sort(rem.begin(), rem.end(), [&](const auto& x, const auto& y) {
    if (x.first != y.first) return x.first > y.first;
    return std::abs(vs[x.second]) < std::abs(vs[y.second]);
  });
  for (std::size_t r = 0; total < 256; ++r, ++total) ++n[rem[r % m].second];
  // Reduce the mean: move one key from value k to value l when that brings sum n v closer to 0.
  for (int it = 0; it < 1000; ++it) {
    long s = 0;
    for (std::size_t k = 0; k < m; ++k) s += static_cast<long>(n[k]) * vs[k];
    if (s == 0) break;
    long best = std::labs(s);
    std::size_t bk = m, bl = m;
    for (std::size_t k = 0; k < m; ++k) {
      if (n[k] <= 1) continue;
      for (std::size_t l = 0; l < m; ++l) {
        if (l == k) continue;
        const long ns = std::labs(s + vs[l] - vs[k]);
        if (ns < best) {
          best = ns;
          bk = k;
          bl = l;
        }
      }
    }
    if (bk == m) break;
    --n[bk];
    ++n[bl];
  }
  return n;
}

}  // namespace

Result<PTable> GeneratePTable(const PTableParams& in) {
  PTableParams p = in;
  if (p.max_noise < 1) return Status::InvalidArgument("ptable: maximum noise D must be >= 1");
  if (p.js < 0) return Status::InvalidArgument("ptable: js must be >= 0");
  if (!(p.variance > 0)) return Status::InvalidArgument("ptable: variance V must be > 0");
  const int natural = 2 * p.max_noise + p.js + 1;
  if (p.max_i == 0) p.max_i = natural;
  if (p.max_i < p.max_noise + p.js + 1) {
    return Status::InvalidArgument("ptable: max_i " + std::to_string(p.max_i) + " < D + js + 1");
  }
  PTable t;
  t.params = p;
  for (int i = 0; i <= p.max_i; ++i) {
    const std::vector<int> vs = Allowed(i, p);
    const std::vector<int> n = Quantise(vs, MaxEntropyRow(vs, p.variance));
    int lb = 0;
    for (std::size_t k = 0; k < vs.size(); ++k) {
      if (n[k] == 0) continue;
      t.entries.push_back({i, i + vs[k], vs[k], lb, lb + n[k]});
      lb += n[k];
    }
  }
  BuildRowIndex(&t);
  return t;
}

Result<PTable> PTable::FromCsv(std::string_view csv, std::string_view name) {
  PTable t;
  const std::string where(name);
  std::size_t pos = 0;
  int line_no = 0;
  bool have_params = false, have_header = false;
  while (pos < csv.size()) {
    std::size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) end = csv.size();
    std::string line(csv.substr(pos, end - pos));
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::string at = where + ": line " + std::to_string(line_no) + ": ";
    if (line[0] == '#') {
      double v = 0;
      if (std::sscanf(line.c_str(), "# ptable D=%d,V=%lf,js=%d,max_i=%d", &t.params.max_noise, &v, &t.params.js,
                      &t.params.max_i) != 4) {
        return Status::ParseError(at + "expected '# ptable D=..,V=..,js=..,max_i=..'");
      }
      t.params.variance = v;
      have_params = true;
      continue;
    }
    if (!have_header) {
      if (line != "i,j,v,p,lb,ub") return Status::ParseError(at + "expected header 'i,j,v,p,lb,ub'");
      have_header = true;
      continue;
    }
    PTableEntry e;
    double prob = 0;
    int used = 0;
    if (std::sscanf(line.c_str(), "%d,%d,%d,%lf,%d,%d%n", &e.i, &e.j, &e.v, &prob, &e.lb, &e.ub, &used) != 6 ||
        static_cast<std::size_t>(used) != line.size()) {
      return Status::ParseError(at + "expected 6 numbers i,j,v,p,lb,ub");
    }
    if (std::fabs(prob - e.p()) > 1e-7) return Status::ParseError(at + "p does not equal (ub - lb)/256");
    if (!t.entries.empty()) {
      const PTableEntry& prev = t.entries.back();
      if (e.i < prev.i || (e.i == prev.i && e.lb != prev.ub)) {
        return Status::ParseError(at + "entries must be sorted by i with contiguous [lb, ub)");
      }
    }
    t.entries.push_back(e);
  }
  if (!have_params || !have_header) return Status::ParseError(where + ": missing parameter line or header");
  if (t.params.max_i < 0 || t.params.max_i > 100000) return Status::ParseError(where + ": bad max_i");
  BuildRowIndex(&t);
  return t;
}

std::vector<PTableRowStats> RowStats(const PTable& t) {
  std::map<int, PTableRowStats> rows;
  for (const PTableEntry& e : t.entries) {
    PTableRowStats& r = rows[e.i];
    r.i = e.i;
    r.sum_p += e.p();
    r.mean += e.p() * e.v;
    r.variance += e.p() * e.v * e.v;
  }
  std::vector<PTableRowStats> out;
  for (auto& [i, r] : rows) {
    r.variance -= r.mean * r.mean;
    out.push_back(r);
  }
  return out;
}

Status ValidatePTable(const PTable& t) {
  const PTableParams& p = t.params;
  if (p.max_noise < 1 || p.js < 0 || p.max_i < p.max_noise + p.js + 1) {
    return Status::InvalidArgument("ptable: bad parameters");
  }
  for (int i = 0; i <= p.max_i; ++i) {
    const std::string row = "ptable: row i=" + std::to_string(i) + ": ";
    const std::uint32_t b = t.row_begin[static_cast<std::size_t>(i)];
    const std::uint32_t e_end = t.row_begin[static_cast<std::size_t>(i) + 1];
    if (b == e_end) return Status::InvalidArgument(row + "missing");
    int next = 0;
    double mean = 0, sq = 0;
    for (std::uint32_t k = b; k < e_end; ++k) {
      const PTableEntry& e = t.entries[k];
      if (e.lb != next || e.ub <= e.lb) return Status::InvalidArgument(row + "key intervals do not partition 0..255");
      next = e.ub;
      if (e.j != e.i + e.v) return Status::InvalidArgument(row + "j != i + v");
      if (std::abs(e.v) > p.max_noise) return Status::InvalidArgument(row + "|v| > D");
      if (e.j < 0) return Status::InvalidArgument(row + "published value below 0");
      if (e.j >= 1 && e.j <= p.js) {
        return Status::InvalidArgument(row + "published value " + std::to_string(e.j) + " in 1..js");
      }
      if (i == 0 && e.v != 0) return Status::InvalidArgument(row + "an empty cell must stay empty");
      mean += e.p() * e.v;
      sq += e.p() * e.v * e.v;
    }
    if (next != 256) return Status::InvalidArgument(row + "probabilities sum to " + std::to_string(next) + "/256");
    if (std::fabs(mean) > p.max_noise / 256.0 + 1e-12) {
      return Status::InvalidArgument(row + "mean " + std::to_string(mean) + " is not zero");
    }
    const double var = sq - mean * mean;
    if (i >= 2 * p.max_noise + p.js + 1 && std::fabs(var - p.variance) > 0.05) {
      return Status::InvalidArgument(row + "variance " + std::to_string(var) + " differs from V = " +
                                     std::to_string(p.variance));
    }
  }
  if (t.row_begin[static_cast<std::size_t>(p.max_i) + 1] != t.entries.size()) {
    return Status::InvalidArgument("ptable: rows beyond max_i");
  }
  return Status::Ok();
}

}  // namespace das::protect
