#include "das/harmonise/codelists.h"

#include <algorithm>
#include <climits>
#include <set>

#include "das/io/csv_reader.h"

namespace das::harmonise {
namespace {

std::string At(std::string_view path, std::int64_t line, std::size_t column) {
  return std::string(path) + ": line " + std::to_string(line) + ", column " + std::to_string(column);
}

// Reads a CSV text whose header must be exactly `expected` (if non-empty). Calls row(fields, line).
template <typename F>
Status ReadCsv(std::string_view text, std::string_view path, const std::vector<std::string>& expected,
               std::vector<std::string>* header_out, F&& row) {
  auto reader = io::CsvReader::FromString(std::string(text), io::CsvDialect{}, std::string(path));
  const auto& header = reader->header();
  if (header.empty()) return Status::ParseError(std::string(path) + ": empty file (expected a header line)");
  if (!expected.empty() && header != expected) {
    std::string want, got;
    for (const auto& h : expected) want += (want.empty() ? "" : ",") + h;
    for (const auto& h : header) got += (got.empty() ? "" : ",") + h;
    return Status::ParseError(At(path, 1, 1) + ": header '" + got + "', expected '" + want + "'");
  }
  if (header_out != nullptr) *header_out = header;
  io::CsvRecord rec;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
    if (!more) break;
    if (rec.error) return Status::ParseError(rec.error->ToString());
    if (rec.fields.size() == 1 && rec.fields[0].empty()) continue;  // blank line
    if (rec.fields.size() != header.size()) {
      return Status::ParseError(At(path, rec.line, 1) + ": expected " + std::to_string(header.size()) +
                                " fields, found " + std::to_string(rec.fields.size()));
    }
    DAS_RETURN_IF_ERROR(row(rec.fields, rec.line));
  }
  return Status::Ok();
}

Result<std::optional<Date>> ParseOptDate(std::string_view text, std::string_view path, std::int64_t line,
                                         std::size_t column, std::string_view what) {
  if (text.empty()) return std::optional<Date>();
  auto d = ParseDate(text, DateFormat::kIso);
  if (!d.ok()) {
    return Status::ParseError(At(path, line, column) + ": " + std::string(what) + ": bad date '" +
                              std::string(text) + "' (expected yyyy-mm-dd)");
  }
  return std::optional<Date>(*d);
}

Result<int> ParseInt(std::string_view text, std::string_view path, std::int64_t line, std::size_t column,
                     std::string_view what) {
  if (text.empty() || text.size() > 6) {
    return Status::ParseError(At(path, line, column) + ": " + std::string(what) + ": '" + std::string(text) +
                              "' is not a whole number");
  }
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return Status::ParseError(At(path, line, column) + ": " + std::string(what) + ": '" + std::string(text) +
                                "' is not a whole number");
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string DateText(const std::optional<Date>& d) { return d ? d->ToIso() : "open"; }

std::string BaseName(const std::string& path) {
  auto p = path.find_last_of('/');
  return p == std::string::npos ? path : path.substr(p + 1);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kMapped: return "mapped";
    case Outcome::kUnknown: return "unknown";
    case Outcome::kExpired: return "expired";
    case Outcome::kMissing: return "missing";
  }
  return "?";
}

std::string NormaliseCode(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  bool pending_space = false;
  for (char c : code) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// TargetList

int TargetList::Find(std::string_view code) const {
  auto it = index_.find(code);
  return it == index_.end() ? -1 : it->second;
}

int TargetList::AncestorAt(int index, int level) const {
  int i = index;
  while (i >= 0 && members_[static_cast<std::size_t>(i)].level > level) i = parent_[static_cast<std::size_t>(i)];
  return i < 0 ? index : i;
}

Result<TargetList> TargetList::Parse(std::string_view text, std::string name, std::string_view path) {
  TargetList list;
  list.name_ = std::move(name);
  DAS_RETURN_IF_ERROR(ReadCsv(text, path, {"code", "parent", "level", "title_nl", "title_en"}, nullptr,
                              [&](const std::vector<std::string_view>& f, std::int64_t line) -> Status {
    Member m;
    m.code = std::string(f[0]);
    m.parent = std::string(f[1]);
    m.line = static_cast<int>(line);
    if (m.code.empty()) return Status::ParseError(At(path, line, 1) + ": empty code");
    if (NormaliseCode(m.code) != m.code)
      return Status::ParseError(At(path, line, 1) + ": code '" + m.code + "' has leading, trailing or double spaces");
    DAS_ASSIGN_OR_RETURN(m.level, ParseInt(f[2], path, line, 3, "level"));
    m.title_nl = std::string(f[3]);
    m.title_en = std::string(f[4]);
    if (m.title_nl.empty()) return Status::ParseError(At(path, line, 4) + ": empty title_nl for code '" + m.code + "'");
    if (m.title_en.empty()) return Status::ParseError(At(path, line, 5) + ": empty title_en for code '" + m.code + "'");
    if (auto it = list.index_.find(m.code); it != list.index_.end()) {
      return Status::ParseError(At(path, line, 1) + ": duplicate code '" + m.code + "' (first on line " +
                                std::to_string(list.members_[static_cast<std::size_t>(it->second)].line) + ")");
    }
    if (m.parent.empty()) {
      if (!list.members_.empty() && list.parent_.front() == -1 && m.level == 0)
        return Status::ParseError(At(path, line, 2) + ": second root '" + m.code + "' (the root is '" +
                                  list.members_.front().code + "')");
      if (m.level != 0) return Status::ParseError(At(path, line, 3) + ": root '" + m.code + "' must have level 0");
      if (!list.members_.empty())
        return Status::ParseError(At(path, line, 2) + ": '" + m.code + "' has no parent; only the first row is the root");
      list.parent_.push_back(-1);
    } else {
      int p = list.Find(m.parent);
      if (p < 0) {
        return Status::ParseError(At(path, line, 2) + ": parent '" + m.parent + "' of '" + m.code +
                                  "' is not defined above it");
      }
      const int want = list.members_[static_cast<std::size_t>(p)].level + 1;
      if (m.level != want) {
        return Status::ParseError(At(path, line, 3) + ": level " + std::to_string(m.level) + " of '" + m.code +
                                  "', expected " + std::to_string(want) + " (one below its parent '" + m.parent + "')");
      }
      list.parent_.push_back(p);
    }
    list.max_level_ = std::max(list.max_level_, m.level);
    list.index_.emplace(m.code, static_cast<int>(list.members_.size()));
    list.members_.push_back(std::move(m));
    return Status::Ok();
  }));
  if (list.members_.empty()) return Status::ParseError(std::string(path) + ": no members");
  list.unknown_ = list.Find(kUnknownMember);
  if (list.unknown_ < 0) {
    return Status::ParseError(std::string(path) + ": no member '" + std::string(kUnknownMember) +
                              "' (every harmonised list needs the explicit unknown member)");
  }
  return list;
}

// ---------------------------------------------------------------------------------------------------------
// Mapping

int Mapping::FindCode(std::string_view code) const {
  auto it = code_index_.find(code);
  if (it != code_index_.end()) return it->second;
  std::string norm = NormaliseCode(code);
  if (norm.size() == code.size()) return -1;
  it = code_index_.find(norm);
  return it == code_index_.end() ? -1 : it->second;
}

int Mapping::Resolve(int code, Date date) const {
  const std::int32_t d = date.days();
  for (const Version& v : versions_[static_cast<std::size_t>(code)]) {
    if (v.from <= d && d <= v.to) return v.member;
  }
  return -1;
}

Outcome Mapping::Map(std::optional<std::string_view> value, Date date, int* member) const {
  *member = target_->unknown_index();
  int code = -1;
  if (!value || value->empty()) {
    if (empty_code_ < 0) return Outcome::kMissing;
    code = empty_code_;
  } else {
    code = FindCode(*value);
    if (code < 0) return Outcome::kUnknown;
  }
  int m = Resolve(code, date);
  if (m < 0) return Outcome::kExpired;
  *member = m;
  return Outcome::kMapped;
}

Result<Mapping> Mapping::Parse(std::string_view text, std::string_view file_name, std::string_view path,
                               const std::map<std::string, TargetList, std::less<>>& targets) {
  Mapping m;
  std::string stem(file_name);
  if (EndsWith(stem, ".csv")) stem.resize(stem.size() - 4);
  m.name_ = stem;
  std::vector<std::string> header;
  bool header_checked = false;
  Status header_status;
  auto check_header = [&]() -> Status {
    if (header.size() != 5 || header[2] != "valid_from" || header[3] != "valid_to" || header[4] != "toelichting") {
      return Status::ParseError(At(path, 1, 1) +
                                ": header must be '<source list>,<target list>,valid_from,valid_to,toelichting'");
    }
    if (header[0] + "-" + header[1] != stem) {
      return Status::ParseError(At(path, 1, 1) + ": header names '" + header[0] + "' -> '" + header[1] +
                                "' but the file is named '" + std::string(file_name) + "' (expected '" + header[0] +
                                "-" + header[1] + ".csv')");
    }
    m.source_ = header[0];
    auto t = targets.find(header[1]);
    if (t == targets.end()) {
      return Status::ParseError(At(path, 1, 2) + ": unknown target list '" + header[1] + "' (no " + header[1] +
                                ".csv in the code-list folder)");
    }
    m.target_ = &t->second;
    return Status::Ok();
  };
  DAS_RETURN_IF_ERROR(ReadCsv(text, path, {}, &header, [&](const std::vector<std::string_view>& f,
                                                           std::int64_t line) -> Status {
    if (!header_checked) {
      header_checked = true;
      DAS_RETURN_IF_ERROR(check_header());
    }
    MappingRow r;
    r.code = std::string(f[0]);
    r.target = std::string(f[1]);
    r.note = std::string(f[4]);
    r.line = static_cast<int>(line);
    if (r.code.empty()) return Status::ParseError(At(path, line, 1) + ": empty source code (write (leeg) for empty values)");
    if (NormaliseCode(r.code) != r.code)
      return Status::ParseError(At(path, line, 1) + ": code '" + r.code + "' has leading, trailing or double spaces");
    const int member = m.target_->Find(r.target);
    if (member < 0) {
      return Status::ParseError(At(path, line, 2) + ": unknown target member '" + r.target + "' (not in " +
                                m.target_->name() + ")");
    }
    DAS_ASSIGN_OR_RETURN(r.valid_from, ParseOptDate(f[2], path, line, 3, "valid_from"));
    DAS_ASSIGN_OR_RETURN(r.valid_to, ParseOptDate(f[3], path, line, 4, "valid_to"));
    if (r.valid_from && r.valid_to && *r.valid_to < *r.valid_from) {
      return Status::ParseError(At(path, line, 4) + ": valid_to " + r.valid_to->ToIso() + " is before valid_from " +
                                r.valid_from->ToIso());
    }
    Version v{r.valid_from ? r.valid_from->days() : INT32_MIN, r.valid_to ? r.valid_to->days() : INT32_MAX, member};
    auto [it, inserted] = m.code_index_.try_emplace(r.code, static_cast<int>(m.versions_.size()));
    if (inserted) {
      m.versions_.emplace_back();
      if (r.code == kEmptyCode) m.empty_code_ = it->second;
    } else {
      for (const MappingRow& prev : m.rows_) {
        if (prev.code != r.code) continue;
        if (prev.valid_from == r.valid_from && prev.valid_to == r.valid_to) {
          return Status::ParseError(At(path, line, 1) + ": duplicate code '" + r.code + "' (first on line " +
                                    std::to_string(prev.line) + ")");
        }
        const std::int32_t pf = prev.valid_from ? prev.valid_from->days() : INT32_MIN;
        const std::int32_t pt = prev.valid_to ? prev.valid_to->days() : INT32_MAX;
        if (v.from <= pt && pf <= v.to) {
          return Status::ParseError(At(path, line, 3) + ": validity " + DateText(r.valid_from) + ".." +
                                    DateText(r.valid_to) + " of code '" + r.code + "' overlaps line " +
                                    std::to_string(prev.line) + " (" + DateText(prev.valid_from) + ".." +
                                    DateText(prev.valid_to) + ")");
        }
      }
    }
    auto& versions = m.versions_[static_cast<std::size_t>(it->second)];
    versions.push_back(v);
    std::sort(versions.begin(), versions.end(), [](const Version& a, const Version& b) { return a.from < b.from; });
    m.rows_.push_back(std::move(r));
    return Status::Ok();
  }));
  if (!header_checked) {
    DAS_RETURN_IF_ERROR(check_header());
    return Status::ParseError(std::string(path) + ": no mappings");
  }
  return m;
}

// ---------------------------------------------------------------------------------------------------------
// Coverage

std::string CoverageGap::ToString() const { return code + ": not mapped from " + from + " to " + to; }

std::vector<CoverageGap> CheckCoverage(const Mapping& mapping, const std::vector<SourceCode>& source_codes) {
  // The horizon: the earliest valid_from of the file (INT32_MIN if any row is open at the start).
  std::int64_t horizon = INT32_MAX;
  for (const MappingRow& r : mapping.rows()) {
    horizon = std::min<std::int64_t>(horizon, r.valid_from ? r.valid_from->days() : INT32_MIN);
  }
  std::vector<CoverageGap> gaps;
  auto text = [](std::int64_t d, bool is_end) -> std::string {
    if ((!is_end && d <= INT32_MIN) || (is_end && d >= INT32_MAX)) return "open";
    return Date(static_cast<std::int32_t>(d)).ToIso();
  };
  for (const SourceCode& sc : source_codes) {
    const std::int64_t from = std::max<std::int64_t>(horizon, sc.valid_from ? sc.valid_from->days() : INT32_MIN);
    const std::int64_t to = sc.valid_to ? sc.valid_to->days() : INT32_MAX;
    if (from > to) continue;  // the code ended before the mapping's horizon
    std::vector<std::pair<std::int64_t, std::int64_t>> spans;
    for (const MappingRow& r : mapping.rows()) {
      if (r.code != sc.code) continue;
      spans.emplace_back(r.valid_from ? r.valid_from->days() : INT32_MIN, r.valid_to ? r.valid_to->days() : INT32_MAX);
    }
    std::sort(spans.begin(), spans.end());
    std::int64_t cursor = from;  // first day not yet covered
    for (const auto& [a, b] : spans) {
      if (b < cursor) continue;
      if (a > cursor) gaps.push_back({sc.code, text(cursor, false), text(std::min(a - 1, to), true)});
      cursor = std::max(cursor, b + 1);
      if (cursor > to) break;
    }
    if (cursor <= to) gaps.push_back({sc.code, text(cursor, false), text(to, true)});
  }
  return gaps;
}

// ---------------------------------------------------------------------------------------------------------
// Age groups

Result<AgeGroups> AgeGroups::Parse(std::string_view text, std::string_view path) {
  AgeGroups g;
  bool have_unknown = false;
  std::set<std::string> codes;
  int next_age = 0;  // the next age that must be covered
  bool closed = false;
  DAS_RETURN_IF_ERROR(ReadCsv(text, path, {"code", "min_age", "max_age", "minor", "title_nl", "title_en"}, nullptr,
                              [&](const std::vector<std::string_view>& f, std::int64_t line) -> Status {
    std::string code(f[0]);
    if (code.empty()) return Status::ParseError(At(path, line, 1) + ": empty code");
    if (!codes.insert(code).second) return Status::ParseError(At(path, line, 1) + ": duplicate code '" + code + "'");
    if (f[4].empty() || f[5].empty()) return Status::ParseError(At(path, line, 5) + ": titles in both languages are required");
    if (code == kUnknownMember) {
      if (!f[1].empty() || !f[2].empty() || !f[3].empty())
        return Status::ParseError(At(path, line, 2) + ": '" + code + "' has no ages and no minor flag");
      have_unknown = true;
      g.unknown_title_nl_ = std::string(f[4]);
      return Status::Ok();
    }
    AgeGroup a;
    a.code = code;
    DAS_ASSIGN_OR_RETURN(a.min_age, ParseInt(f[1], path, line, 2, "min_age"));
    if (!f[2].empty()) {
      DAS_ASSIGN_OR_RETURN(int mx, ParseInt(f[2], path, line, 3, "max_age"));
      if (mx < a.min_age) return Status::ParseError(At(path, line, 3) + ": max_age " + std::to_string(mx) + " below min_age " + std::to_string(a.min_age));
      a.max_age = mx;
    }
    if (f[3] != "J" && f[3] != "N") return Status::ParseError(At(path, line, 4) + ": minor must be J or N, found '" + std::string(f[3]) + "'");
    a.minor = f[3] == "J";
    a.title_nl = std::string(f[4]);
    a.title_en = std::string(f[5]);
    if (closed) return Status::ParseError(At(path, line, 2) + ": '" + code + "' follows the open-ended group");
    if (a.min_age != next_age) {
      return Status::ParseError(At(path, line, 2) + ": '" + code + "' starts at " + std::to_string(a.min_age) +
                                ", expected " + std::to_string(next_age) + " (groups must follow each other from 0)");
    }
    if (a.max_age) next_age = *a.max_age + 1; else closed = true;
    g.groups_.push_back(std::move(a));
    return Status::Ok();
  }));
  if (!have_unknown) return Status::ParseError(std::string(path) + ": no group 'onbekend'");
  if (!closed) return Status::ParseError(std::string(path) + ": the last group must be open-ended (empty max_age)");
  for (std::size_t i = 0; i < g.groups_.size(); ++i) {
    const AgeGroup& a = g.groups_[i];
    if (!a.max_age) { g.open_group_ = static_cast<int>(i); break; }
    for (int age = a.min_age; age <= *a.max_age; ++age) g.by_age_.push_back(static_cast<int>(i));
  }
  return g;
}

int AgeGroups::Find(std::int64_t age) const {
  if (age < 0) return -1;
  if (age < static_cast<std::int64_t>(by_age_.size())) return by_age_[static_cast<std::size_t>(age)];
  return open_group_;
}

// ---------------------------------------------------------------------------------------------------------
// Config

const Mapping* Config::FindMapping(std::string_view name) const {
  auto it = mappings.find(name);
  return it == mappings.end() ? nullptr : &it->second;
}

std::vector<const FieldRule*> Config::RulesFor(std::string_view dataset) const {
  std::vector<const FieldRule*> out;
  for (const FieldRule& r : rules) {
    if (r.dataset == dataset) out.push_back(&r);
  }
  return out;
}

bool Config::HasList(std::string_view name) const {
  return targets.count(name) > 0 || mappings.count(name) > 0 || name == "leeftijdsgroep" || name == "geo";
}

namespace {

Result<std::vector<FieldRule>> ParseRules(std::string_view text, std::string_view path, const Config& config) {
  std::vector<FieldRule> rules;
  std::map<std::pair<std::string, std::string>, int> outputs;  // (dataset, column) -> line
  DAS_RETURN_IF_ERROR(ReadCsv(text, path, {"dataset", "field", "kind", "mapping", "output", "date_field"}, nullptr,
                              [&](const std::vector<std::string_view>& f, std::int64_t line) -> Status {
    FieldRule r;
    r.dataset = std::string(f[0]);
    r.field = std::string(f[1]);
    r.mapping = std::string(f[3]);
    r.output = std::string(f[4]);
    r.date_field = std::string(f[5]);
    r.line = static_cast<int>(line);
    if (r.dataset.empty()) return Status::ParseError(At(path, line, 1) + ": empty dataset");
    if (r.field.empty()) return Status::ParseError(At(path, line, 2) + ": empty field");
    if (r.output.empty()) return Status::ParseError(At(path, line, 5) + ": empty output column");
    std::vector<std::string> added = {r.output};
    if (f[2] == "code") {
      r.kind = FieldKind::kCode;
      const Mapping* m = config.FindMapping(r.mapping);
      if (m == nullptr) return Status::ParseError(At(path, line, 4) + ": unknown mapping '" + r.mapping + "' (no map/" + r.mapping + ".csv)");
      if (m->target_list().max_level() > 1) added.push_back(r.output + "_level1");
      if (m->target_list().max_level() > 2) added.push_back(r.output + "_level2");
    } else if (f[2] == "age") {
      r.kind = FieldKind::kAge;
      if (r.mapping != "leeftijdsgroep") return Status::ParseError(At(path, line, 4) + ": an age rule uses mapping 'leeftijdsgroep', found '" + r.mapping + "'");
      added.push_back("minor");
    } else if (f[2] == "gemeente" || f[2] == "buurt") {
      r.kind = f[2] == "gemeente" ? FieldKind::kGemeente : FieldKind::kBuurt;
      if (!r.mapping.empty()) return Status::ParseError(At(path, line, 4) + ": a " + std::string(f[2]) + " rule has no mapping (das_geo is used), found '" + r.mapping + "'");
      if (r.kind == FieldKind::kBuurt) added.push_back("gemeente_2024");
      for (const char* c : {"province", "police_unit", "arrondissement"}) added.push_back(c);
    } else {
      return Status::ParseError(At(path, line, 3) + ": unknown kind '" + std::string(f[2]) + "' (expected code, age, gemeente or buurt)");
    }
    for (const std::string& c : added) {
      auto [it, inserted] = outputs.try_emplace({r.dataset, c}, r.line);
      if (!inserted) {
        return Status::ParseError(At(path, line, 5) + ": column '" + c + "' of dataset '" + r.dataset +
                                  "' is also added by line " + std::to_string(it->second));
      }
    }
    rules.push_back(std::move(r));
    return Status::Ok();
  }));
  return rules;
}

}  // namespace

Result<Config> LoadConfig(const std::string& dir, const FileSystem& fs) {
  Config config;
  config.dir = dir;
  DAS_ASSIGN_OR_RETURN(auto names, fs.ListDir(dir));
  for (const std::string& name : names) {
    if (!EndsWith(name, ".csv") || name == "leeftijdsgroep.csv" || name == "harmonisatie.csv") continue;
    const std::string path = dir + "/" + name;
    DAS_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
    std::string list_name = name.substr(0, name.size() - 4);
    DAS_ASSIGN_OR_RETURN(TargetList t, TargetList::Parse(text, list_name, path));
    config.targets.emplace(list_name, std::move(t));
  }
  {
    const std::string path = dir + "/leeftijdsgroep.csv";
    DAS_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
    DAS_ASSIGN_OR_RETURN(config.age_groups, AgeGroups::Parse(text, path));
  }
  if (fs.Exists(dir + "/map")) {
    DAS_ASSIGN_OR_RETURN(auto maps, fs.ListDir(dir + "/map"));
    for (const std::string& name : maps) {
      if (!EndsWith(name, ".csv")) continue;
      const std::string path = dir + "/map/" + name;
      DAS_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
      DAS_ASSIGN_OR_RETURN(Mapping m, Mapping::Parse(text, BaseName(name), path, config.targets));
      std::string key = m.name();
      config.mappings.emplace(std::move(key), std::move(m));
    }
  }
  {
    const std::string path = dir + "/harmonisatie.csv";
    DAS_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
    DAS_ASSIGN_OR_RETURN(config.rules, ParseRules(text, path, config));
  }
  return config;
}

}  // namespace das::harmonise
