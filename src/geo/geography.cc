#include "das/geo/geography.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "das/io/csv_reader.h"

namespace das::geo {
namespace {

constexpr double kShareTolerance = 1e-6;
// Far above any real population; keeps every sum of populations far from overflow.
constexpr std::int64_t kMaxPopulation = 1'000'000'000;
constexpr std::string_view kPopulationExpected = "a whole number 0..1000000000";

struct Row {
  std::int64_t line = 0;
  std::vector<std::string> fields;
};

struct Table {
  std::string path;
  std::vector<Row> rows;
};

std::string Join(const std::vector<std::string_view>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ',';
    out += parts[i];
  }
  return out;
}

std::string Excerpt(std::string_view s) {
  constexpr std::size_t kMax = 40;
  return s.size() <= kMax ? std::string(s) : std::string(s.substr(0, kMax)) + "...";
}

// "<path>: line 5, column 6 (population): expected a whole number >= 0, found 'abc'"
Status FieldError(const std::string& path, std::int64_t line, int column, std::string_view column_name,
                  std::string_view expected, std::string_view found) {
  return Status::ParseError(path + ": line " + std::to_string(line) + ", column " + std::to_string(column) + " (" +
                            std::string(column_name) + "): expected " + std::string(expected) + ", found '" +
                            Excerpt(found) + "'");
}

// Reads a whole CSV file whose header must be exactly `columns`; every record must have that many fields.
Result<Table> ReadTable(const FileSystem* fs, const std::string& path, const std::vector<std::string_view>& columns) {
  io::CsvDialect dialect;  // ',', '"', UTF-8, header
  DAS_ASSIGN_OR_RETURN(std::unique_ptr<io::CsvReader> reader, io::CsvReader::Open(path, dialect, fs));
  const std::vector<std::string>& header = reader->header();
  std::vector<std::string_view> found(header.begin(), header.end());
  if (found != columns) {
    return Status::ParseError(path + ": line 1: expected header '" + Join(columns) + "', found '" +
                              Excerpt(Join(found)) + "'");
  }
  Table table;
  table.path = path;
  io::CsvRecord record;
  while (true) {
    DAS_ASSIGN_OR_RETURN(bool more, reader->Next(&record));
    if (!more) break;
    if (record.error) return Status::ParseError(record.error->ToString());
    if (record.fields.size() != columns.size()) {
      return Status::ParseError(path + ": line " + std::to_string(record.line) + ": expected " +
                                std::to_string(columns.size()) + " fields, found " +
                                std::to_string(record.fields.size()));
    }
    Row row;
    row.line = record.line;
    row.fields.assign(record.fields.begin(), record.fields.end());
    table.rows.push_back(std::move(row));
  }
  return table;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// `prefix` followed by `digits` digits and then `alnum` digits or capital letters.
bool IsCode(std::string_view s, std::string_view prefix, std::size_t digits, std::size_t alnum = 0) {
  if (s.size() != prefix.size() + digits + alnum || s.substr(0, prefix.size()) != prefix) return false;
  for (std::size_t i = prefix.size(); i < s.size(); ++i) {
    bool ok = i < prefix.size() + digits ? IsDigit(s[i]) : (IsDigit(s[i]) || IsUpper(s[i]));
    if (!ok) return false;
  }
  return true;
}

bool IsArrondissementCode(std::string_view s) {
  return s.size() == 5 && s.substr(0, 2) == "RB" && IsUpper(s[2]) && IsUpper(s[3]) && IsUpper(s[4]);
}

bool ParseInt(std::string_view s, std::int64_t* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out, std::chars_format::fixed);
  return ec == std::errc() && ptr == s.data() + s.size() && std::isfinite(*out);
}

using CodeCheck = bool (*)(std::string_view);

Result<std::vector<CodeName>> ReadCodeNames(const FileSystem* fs, const std::string& path, CodeCheck check,
                                            std::string_view expected_code) {
  DAS_ASSIGN_OR_RETURN(Table table, ReadTable(fs, path, {"code", "name"}));
  std::vector<CodeName> out;
  std::map<std::string, std::int64_t> seen;
  for (const Row& row : table.rows) {
    const std::string& code = row.fields[0];
    if (!check(code)) return FieldError(path, row.line, 1, "code", expected_code, code);
    if (auto [it, inserted] = seen.emplace(code, row.line); !inserted) {
      return FieldError(path, row.line, 1, "code", "a code not used before (first on line " +
                        std::to_string(it->second) + ")", code);
    }
    if (row.fields[1].empty()) return FieldError(path, row.line, 2, "name", "a name", "");
    out.push_back({code, row.fields[1]});
  }
  if (out.empty()) return Status::ParseError(path + ": no rows");
  return out;
}

}  // namespace

Result<Geography> Geography::Load(const std::string& dir, const FileSystem* fs) {
  if (fs == nullptr) fs = PosixFileSystem();
  auto path_of = [&](std::string_view file) {
    return dir.empty() ? std::string(file) : dir + (dir.back() == '/' ? "" : "/") + std::string(file);
  };
  Geography g;

  // --- code lists ---
  DAS_ASSIGN_OR_RETURN(g.provinces_, ReadCodeNames(
      fs, path_of("provincies.csv"), [](std::string_view s) { return IsCode(s, "PV", 2); }, "a code PVnn"));
  DAS_ASSIGN_OR_RETURN(g.police_units_, ReadCodeNames(
      fs, path_of("politie_eenheden.csv"), [](std::string_view s) { return IsCode(s, "RE", 2); },
      "a code REnn"));
  DAS_ASSIGN_OR_RETURN(g.arrondissementen_, ReadCodeNames(
      fs, path_of("arrondissementen.csv"), IsArrondissementCode, "a code RB + 3 capitals"));
  for (const auto* list : {&g.provinces_, &g.police_units_, &g.arrondissementen_}) {
    for (const CodeName& cn : *list) {
      g.names_index_.emplace(cn.code, static_cast<std::uint32_t>(g.names_.size()));
      g.names_.push_back(cn.name);
    }
  }

  // --- gemeenten ---
  {
    const std::string path = path_of("gemeenten.csv");
    DAS_ASSIGN_OR_RETURN(Table table, ReadTable(fs, path,
        {"code", "name", "province", "police_unit", "arrondissement", "population", "valid_from", "valid_to"}));
    std::map<std::string, std::int64_t, std::less<>> seen;
    for (const Row& row : table.rows) {
      const auto& f = row.fields;
      auto err = [&](int col, std::string_view name, std::string_view expected) {
        return FieldError(path, row.line, col, name, expected, f[col - 1]);
      };
      if (!IsCode(f[0], "GM", 4)) return err(1, "code", "a code GMnnnn");
      if (auto [it, inserted] = seen.emplace(f[0], row.line); !inserted) {
        return err(1, "code", "a code not used before (first on line " + std::to_string(it->second) + ")");
      }
      if (f[1].empty()) return err(2, "name", "a name");
      auto in = [&](const std::vector<CodeName>& list, std::string_view code) {
        return std::any_of(list.begin(), list.end(), [&](const CodeName& cn) { return cn.code == code; });
      };
      if (!in(g.provinces_, f[2])) return err(3, "province", "a code from provincies.csv");
      if (!in(g.police_units_, f[3])) return err(4, "police_unit", "a code from politie_eenheden.csv");
      if (!in(g.arrondissementen_, f[4])) return err(5, "arrondissement", "a code from arrondissementen.csv");
      GemeenteInfo info;
      std::int64_t population = 0, from = 0, to = 0;
      if (!ParseInt(f[5], &population) || population < 0 || population > kMaxPopulation) {
        return err(6, "population", kPopulationExpected);
      }
      if (!ParseInt(f[6], &from) || from < 0 || from > 9999) return err(7, "valid_from", "a year 0..9999");
      if (!ParseInt(f[7], &to) || to < from || to > 9999) {
        return err(8, "valid_to", "a year from valid_from (" + f[6] + ") to 9999");
      }
      info.code = f[0];
      info.name = f[1];
      info.province = f[2];
      info.police_unit = f[3];
      info.arrondissement = f[4];
      info.population = population;
      info.valid_from = static_cast<int>(from);
      info.valid_to = static_cast<int>(to);
      g.gemeenten_.push_back(std::move(info));
    }
    if (g.gemeenten_.empty()) return Status::ParseError(path + ": no rows");
    std::sort(g.gemeenten_.begin(), g.gemeenten_.end(),
              [](const GemeenteInfo& a, const GemeenteInfo& b) { return a.code < b.code; });
    for (std::size_t i = 0; i < g.gemeenten_.size(); ++i) {
      g.gm_index_.emplace(g.gemeenten_[i].code, static_cast<std::uint32_t>(i));
    }
  }

  // --- buurten ---
  {
    const std::string path = path_of("buurten.csv");
    DAS_ASSIGN_OR_RETURN(Table table, ReadTable(fs, path, {"code", "wijk", "gemeente", "population"}));
    std::map<std::string, std::int64_t, std::less<>> seen;
    for (const Row& row : table.rows) {
      const auto& f = row.fields;
      auto err = [&](int col, std::string_view name, std::string_view expected) {
        return FieldError(path, row.line, col, name, expected, f[col - 1]);
      };
      if (!IsCode(f[0], "BU", 4, 4)) return err(1, "code", "a code BU + 4 digits + 4 digits or capitals");
      if (auto [it, inserted] = seen.emplace(f[0], row.line); !inserted) {
        return err(1, "code", "a code not used before (first on line " + std::to_string(it->second) + ")");
      }
      const std::string wijk = "WK" + f[0].substr(2, 6);
      if (f[1] != wijk) return err(2, "wijk", "'" + wijk + "' (from the buurt code)");
      const std::string gemeente = "GM" + f[0].substr(2, 4);
      if (f[2] != gemeente) return err(3, "gemeente", "'" + gemeente + "' (from the buurt code)");
      const GemeenteInfo* gm = g.FindGemeente(gemeente);
      if (gm == nullptr || !gm->ValidIn(kGeographyYear)) {
        return err(3, "gemeente", "a gemeente of gemeenten.csv valid in " + std::to_string(kGeographyYear));
      }
      std::int64_t population = 0;
      if (!ParseInt(f[3], &population) || population < 0 || population > kMaxPopulation) {
        return err(4, "population", kPopulationExpected);
      }
      g.buurten_.push_back({f[0], f[1], f[2], population});
    }
    if (g.buurten_.empty()) return Status::ParseError(path + ": no rows");
    std::sort(g.buurten_.begin(), g.buurten_.end(),
              [](const BuurtInfo& a, const BuurtInfo& b) { return a.code < b.code; });
    for (std::size_t i = 0; i < g.buurten_.size(); ++i) {
      g.bu_index_.emplace(g.buurten_[i].code, static_cast<std::uint32_t>(i));
    }
  }

  // --- herindelingen ---
  {
    const std::string path = path_of("herindelingen.csv");
    DAS_ASSIGN_OR_RETURN(Table table, ReadTable(fs, path, {"year", "from", "from_name", "to", "share"}));
    std::map<std::string, double> share_sum;
    std::map<std::string, std::int64_t> first_line;
    std::set<std::pair<std::string, std::string>> pairs;
    for (const Row& row : table.rows) {
      const auto& f = row.fields;
      auto err = [&](int col, std::string_view name, std::string_view expected) {
        return FieldError(path, row.line, col, name, expected, f[col - 1]);
      };
      std::int64_t year = 0;
      if (!ParseInt(f[0], &year) || year < 1 || year > kGeographyYear) {
        return err(1, "year", "a year 1.." + std::to_string(kGeographyYear));
      }
      const GemeenteInfo* from = g.FindGemeente(f[1]);
      if (from == nullptr) return err(2, "from", "a gemeente of gemeenten.csv");
      if (from->valid_to != year - 1) {
        return err(2, "from", "a gemeente whose valid_to is " + std::to_string(year - 1) +
                   " (it ceases on 1 January " + std::to_string(year) + "), not " +
                   std::to_string(from->valid_to));
      }
      if (f[2] != from->name) return err(3, "from_name", "'" + from->name + "' (its name in gemeenten.csv)");
      const GemeenteInfo* to = g.FindGemeente(f[3]);
      if (to == nullptr || !to->ValidIn(static_cast<int>(year))) {
        return err(4, "to", "a gemeente of gemeenten.csv valid in " + std::to_string(year));
      }
      if (!pairs.emplace(f[1], f[3]).second) return err(4, "to", "one row per from and to");
      double share = 0;
      if (!ParseDouble(f[4], &share) || !(share > 0) || share > 1) return err(5, "share", "a number in (0, 1]");
      share_sum[f[1]] += share;
      first_line.emplace(f[1], row.line);
      g.mergers_.push_back({static_cast<int>(year), f[1], f[2], f[3], share});
    }
    for (const auto& [from, sum] : share_sum) {
      if (std::abs(sum - 1.0) > kShareTolerance) {
        return Status::InvalidArgument(path + ": line " + std::to_string(first_line[from]) + ": shares of " + from +
                                       " sum to " + std::to_string(sum) + ", expected 1");
      }
    }
    // Every code that ends must have successors and every new code must come from a merger.
    for (const GemeenteInfo& gm : g.gemeenten_) {
      if (gm.valid_to < kGeographyYear && share_sum.count(gm.code) == 0) {
        return Status::InvalidArgument(path_of("gemeenten.csv") + ": gemeente " + gm.code + " ends in " +
                                       std::to_string(gm.valid_to) + " but has no row in herindelingen.csv");
      }
      if (gm.valid_from > 0 &&
          std::none_of(g.mergers_.begin(), g.mergers_.end(),
                       [&](const Merger& m) { return m.to == gm.code && m.year == gm.valid_from; })) {
        return Status::InvalidArgument(path_of("gemeenten.csv") + ": gemeente " + gm.code + " starts in " +
                                       std::to_string(gm.valid_from) +
                                       " but no row of herindelingen.csv merges into it that year");
      }
    }
    std::sort(g.mergers_.begin(), g.mergers_.end(), [](const Merger& a, const Merger& b) {
      return std::tie(a.year, a.to, a.from) < std::tie(b.year, b.to, b.from);
    });
  }

  DAS_RETURN_IF_ERROR(g.Build());
  return g;
}

// Assigns every 2024 buurt to its gemeente in each modelled year, back from the latest merger year.
Status Geography::Build() {
  const std::size_t n_b = buurten_.size();
  const std::size_t n_g = gemeenten_.size();
  buurt_gemeente_.resize(n_b);
  for (std::size_t i = 0; i < n_b; ++i) buurt_gemeente_[i] = gm_index_.find(buurten_[i].gemeente)->second;
  history_.assign(n_b, {});
  std::vector<std::uint32_t> current_gm = buurt_gemeente_;
  std::vector<std::string> current_code(n_b);
  for (std::size_t i = 0; i < n_b; ++i) current_code[i] = buurten_[i].code;

  std::vector<int> years;
  for (const Merger& m : mergers_) years.push_back(m.year);
  std::sort(years.begin(), years.end());
  years.erase(std::unique(years.begin(), years.end()), years.end());
  first_year_ = years.empty() ? kGeographyYear : std::min(years.front() - 1, kGeographyYear);

  for (auto year_it = years.rbegin(); year_it != years.rend(); ++year_it) {
    const int year = *year_it;
    // Wijk numbers taken per predecessor in this year: gemeente -> (WW -> source wijk).
    std::map<std::uint32_t, std::map<std::string, std::string>> claimed;
    for (std::size_t m = 0; m < mergers_.size();) {
      if (mergers_[m].year != year) { ++m; continue; }
      const std::string& to = mergers_[m].to;
      const std::uint32_t s = gm_index_.find(to)->second;
      struct Part {
        std::uint32_t gemeente;
        double weight;
        bool own;
        double assigned = 0;
        bool has_wijk = false;
      };
      std::vector<Part> parts;
      const bool continuing = gemeenten_[s].valid_from < year;
      if (continuing) parts.push_back({s, 0, true});
      double merged_weight = 0;
      for (; m < mergers_.size() && mergers_[m].year == year && mergers_[m].to == to; ++m) {
        const std::uint32_t p = gm_index_.find(mergers_[m].from)->second;
        const double w = mergers_[m].share * static_cast<double>(gemeenten_[p].population);
        parts.push_back({p, w, false});
        merged_weight += w;
      }
      // The successor's area in this year, grouped by wijk (of the code valid from `year` on), in code order.
      std::map<std::string, std::vector<std::size_t>> wijken;
      double total = 0;
      for (std::size_t i = 0; i < n_b; ++i) {
        if (current_gm[i] != s) continue;
        wijken[current_code[i].substr(2, 6)].push_back(i);
        total += static_cast<double>(buurten_[i].population);
      }
      if (continuing) parts[0].weight = std::max(0.0, total - merged_weight);
      double weight_sum = 0;
      for (const Part& p : parts) weight_sum += p.weight;
      if (!(weight_sum > 0)) {
        for (Part& p : parts) p.weight = 1;
        weight_sum = static_cast<double>(parts.size());
      }
      std::size_t wijken_left = wijken.size();
      std::size_t parts_without = parts.size();
      for (const auto& [wijk, members] : wijken) {
        // Weighted round-robin: the part furthest below its target share of the population; a part still
        // without a wijk gets one when only as many wijken are left as such parts.
        std::size_t best = 0;
        if (parts_without >= wijken_left) {
          while (parts[best].has_wijk) ++best;
        } else {
          double best_gap = 0;
          for (std::size_t k = 0; k < parts.size(); ++k) {
            const double gap = total * parts[k].weight / weight_sum - parts[k].assigned;
            if (k == 0 || gap > best_gap) {
              best = k;
              best_gap = gap;
            }
          }
        }
        Part& part = parts[best];
        if (!part.has_wijk) --parts_without;
        part.has_wijk = true;
        --wijken_left;
        for (std::size_t i : members) part.assigned += static_cast<double>(buurten_[i].population);
        if (part.own) continue;
        // The wijk's number in the predecessor: its own, unless another successor's wijk already took it.
        const std::string digits = gemeenten_[part.gemeente].code.substr(2);
        auto& taken = claimed[part.gemeente];
        std::string ww = wijk.substr(4, 2);
        if (auto it = taken.find(ww); it != taken.end() && it->second != wijk) {
          ww.clear();
          for (int n = 0; n < 100 && ww.empty(); ++n) {
            std::string candidate = {static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)};
            if (taken.count(candidate) == 0) ww = candidate;
          }
          if (ww.empty()) {
            return Status::Corruption("geography: no free wijk number in " + gemeenten_[part.gemeente].code +
                                      " for wijk WK" + wijk + " before " + std::to_string(year));
          }
        }
        taken.emplace(ww, wijk);
        for (std::size_t i : members) {
          std::string code = "BU" + digits + ww + current_code[i].substr(8, 2);
          history_[i].push_back({year, part.gemeente, code});
          current_gm[i] = part.gemeente;
          current_code[i] = std::move(code);
        }
      }
    }
  }

  // Indexes over the result.
  members_.assign(n_g, {});
  for (std::size_t i = 0; i < n_b; ++i) {
    members_[buurt_gemeente_[i]].push_back(static_cast<std::uint32_t>(i));
    for (const Era& era : history_[i]) {
      members_[era.gemeente].push_back(static_cast<std::uint32_t>(i));
      if (bu_index_.count(era.code) != 0 || !old_bu_index_.emplace(era.code, static_cast<std::uint32_t>(i)).second) {
        return Status::Corruption("geography: pre-merger buurt code " + era.code + " of " + buurten_[i].code +
                                  " is not unique");
      }
    }
  }
  for (auto& list : members_) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  population_.assign(static_cast<std::size_t>(kGeographyYear - first_year_ + 1), std::vector<std::int64_t>(n_g, 0));
  for (int year = first_year_; year <= kGeographyYear; ++year) {
    auto& row = population_[static_cast<std::size_t>(year - first_year_)];
    for (std::size_t i = 0; i < n_b; ++i) row[GemeenteIndexIn(i, year)] += buurten_[i].population;
  }

  // Successors through chains: mergers_ are ordered by year, so resolve the latest first.
  successor_shares_.assign(n_g, {});
  for (std::size_t gi = 0; gi < n_g; ++gi) {
    if (gemeenten_[gi].ValidIn(kGeographyYear)) successor_shares_[gi] = {{gemeenten_[gi].code, 1.0}};
  }
  for (auto it = mergers_.rbegin(); it != mergers_.rend(); ++it) {
    const std::uint32_t from = gm_index_.find(it->from)->second;
    const std::uint32_t to = gm_index_.find(it->to)->second;
    for (const SuccessorShare& s : successor_shares_[to]) {
      auto& list = successor_shares_[from];
      auto found = std::find_if(list.begin(), list.end(), [&](const SuccessorShare& x) { return x.code == s.code; });
      if (found == list.end()) {
        list.push_back({s.code, it->share * s.share});
      } else {
        found->share += it->share * s.share;
      }
    }
  }
  successor_.assign(n_g, "");
  for (std::size_t gi = 0; gi < n_g; ++gi) {
    auto& list = successor_shares_[gi];
    std::sort(list.begin(), list.end(),
              [](const SuccessorShare& a, const SuccessorShare& b) { return a.code < b.code; });
    const SuccessorShare* best = nullptr;
    for (const SuccessorShare& s : list) {
      if (best == nullptr || s.share > best->share) best = &s;
    }
    if (best == nullptr) {
      return Status::Corruption("geography: gemeente " + gemeenten_[gi].code + " has no successor valid in " +
                                std::to_string(kGeographyYear));
    }
    successor_[gi] = best->code;
  }
  return Status::Ok();
}

std::vector<const GemeenteInfo*> Geography::GemeentenIn(int year) const {
  std::vector<const GemeenteInfo*> out;
  for (const GemeenteInfo& g : gemeenten_) {
    if (g.ValidIn(year)) out.push_back(&g);
  }
  return out;
}

const GemeenteInfo* Geography::FindGemeente(std::string_view code) const {
  auto it = gm_index_.find(code);
  return it == gm_index_.end() ? nullptr : &gemeenten_[it->second];
}

const BuurtInfo* Geography::FindBuurt(std::string_view code) const {
  auto it = bu_index_.find(code);
  return it == bu_index_.end() ? nullptr : &buurten_[it->second];
}

std::string Geography::Successor(std::string_view gemeente_code) const {
  auto it = gm_index_.find(gemeente_code);
  return it == gm_index_.end() ? std::string() : successor_[it->second];
}

std::vector<SuccessorShare> Geography::SuccessorShares(std::string_view gemeente_code) const {
  auto it = gm_index_.find(gemeente_code);
  return it == gm_index_.end() ? std::vector<SuccessorShare>() : successor_shares_[it->second];
}

std::string Geography::NameOf(std::string_view code) const {
  if (code == "NL00" || code == "NL01") return "Nederland";
  if (auto it = gm_index_.find(code); it != gm_index_.end()) return gemeenten_[it->second].name;
  if (auto it = names_index_.find(code); it != names_index_.end()) return names_[it->second];
  return {};
}

int Geography::ClampYear(int year) const { return std::clamp(year, first_year_, kGeographyYear); }

std::int64_t Geography::PopulationIn(std::string_view gemeente_code, int year) const {
  auto it = gm_index_.find(gemeente_code);
  if (it == gm_index_.end() || !gemeenten_[it->second].ValidIn(year)) return 0;
  return population_[static_cast<std::size_t>(ClampYear(year) - first_year_)][it->second];
}

std::uint32_t Geography::GemeenteIndexIn(std::size_t buurt, int year) const {
  std::uint32_t g = buurt_gemeente_[buurt];
  for (const Era& era : history_[buurt]) {
    if (year >= era.before_year) break;
    g = era.gemeente;
  }
  return g;
}

std::size_t Geography::BuurtIndex(const BuurtInfo& buurt) const {
  const std::less<const BuurtInfo*> less;
  const BuurtInfo* begin = buurten_.data();
  const BuurtInfo* end = begin + buurten_.size();
  if (!less(&buurt, begin) && less(&buurt, end)) return static_cast<std::size_t>(&buurt - begin);
  auto it = bu_index_.find(buurt.code);
  return it == bu_index_.end() ? buurten_.size() : it->second;
}

const std::string& Geography::GemeenteOf(const BuurtInfo& buurt, int year) const {
  const std::size_t i = BuurtIndex(buurt);
  if (i == buurten_.size()) return buurt.gemeente;
  return gemeenten_[GemeenteIndexIn(i, year)].code;
}

std::string Geography::BuurtCodeIn(const BuurtInfo& buurt, int year) const {
  const std::size_t i = BuurtIndex(buurt);
  if (i == buurten_.size()) return buurt.code;
  const std::string* code = &buurten_[i].code;
  for (const Era& era : history_[i]) {
    if (year >= era.before_year) break;
    code = &era.code;
  }
  return *code;
}

const BuurtInfo* Geography::CurrentBuurt(std::string_view code_in_any_year) const {
  std::string_view code = code_in_any_year;
  while (!code.empty() && code.back() == ' ') code.remove_suffix(1);
  if (auto it = bu_index_.find(code); it != bu_index_.end()) return &buurten_[it->second];
  if (auto it = old_bu_index_.find(code); it != old_bu_index_.end()) return &buurten_[it->second];
  return nullptr;
}

std::vector<const BuurtInfo*> Geography::BuurtenIn(std::string_view gemeente_code, int year) const {
  std::vector<const BuurtInfo*> out;
  auto it = gm_index_.find(gemeente_code);
  if (it == gm_index_.end() || !gemeenten_[it->second].ValidIn(year)) return out;
  for (std::uint32_t i : members_[it->second]) {
    if (GemeenteIndexIn(i, year) == it->second) out.push_back(&buurten_[i]);
  }
  return out;
}

}  // namespace das::geo
