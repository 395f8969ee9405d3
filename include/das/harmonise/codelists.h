// Harmonisation code lists: the harmonised classifications (targets), the crosswalks from source code lists
// to them (with validity dates), the age groups and the table saying which field of which dataset is
// harmonised how. All of it is data in config/codelists/ (CSV a statistician can read; see
// docs/harmonisation.md):
//
//   config/codelists/<target>.csv          code,parent,level,title_nl,title_en  (a tree with one root at
//                                          level 0; every list has the explicit member "onbekend")
//   config/codelists/leeftijdsgroep.csv    code,min_age,max_age,minor,title_nl,title_en
//   config/codelists/map/<source>-<target>.csv
//                                          header "<source>,<target>,valid_from,valid_to,toelichting": the
//                                          header names the source code list it maps from and the target list
//                                          it maps to (and must match the file name). A row maps one source
//                                          code to one target member for [valid_from, valid_to] (ISO dates,
//                                          inclusive, empty = open). The code "(leeg)" maps empty values.
//   config/codelists/harmonisatie.csv      dataset,field,kind,mapping,output,date_field
//
// Validation (Load*): every error names file, line and column, e.g.
//   "map/x-scm2010.csv: line 4, column 1: duplicate code '1.1.1' (first on line 2)".
// Ownership: values; all lookups are const and thread-safe once loaded.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "das/core/date.h"
#include "das/core/env.h"
#include "das/core/status.h"

namespace das::harmonise {

// The explicit member for values that cannot be harmonised; every target list must contain it.
inline constexpr std::string_view kUnknownMember = "onbekend";
// The source code that stands for an empty (null) value in a mapping file.
inline constexpr std::string_view kEmptyCode = "(leeg)";

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, TransparentHash, std::equal_to<>>;

struct Member {
  std::string code;
  std::string parent;  // empty for the root
  int level = 0;       // root 0, children parent+1
  std::string title_nl;
  std::string title_en;
  int line = 0;
};

// A harmonised classification: a tree of members (SCM 2010, OM decisions, sanctions, ...).
class TargetList {
 public:
  const std::string& name() const { return name_; }
  const std::vector<Member>& members() const { return members_; }
  // Index of a member, or -1.
  int Find(std::string_view code) const;
  int unknown_index() const { return unknown_; }
  int max_level() const { return max_level_; }
  // The ancestor of member `index` at `level` (the member itself if its level is <= `level`).
  int AncestorAt(int index, int level) const;

  // Parses "code,parent,level,title_nl,title_en" text. `path` is used in messages.
  static Result<TargetList> Parse(std::string_view text, std::string name, std::string_view path);

 private:
  std::string name_;
  std::vector<Member> members_;
  std::vector<int> parent_;  // index of the parent, -1 for the root
  StringMap<int> index_;
  int unknown_ = -1;
  int max_level_ = 0;
};

// One row of a mapping file.
struct MappingRow {
  std::string code;                 // source code, or "(leeg)"
  std::string target;               // target member code
  std::optional<Date> valid_from;   // inclusive; nullopt = open
  std::optional<Date> valid_to;     // inclusive; nullopt = open
  std::string note;
  int line = 0;
};

// The outcome of mapping one value.
enum class Outcome : std::uint8_t {
  kMapped,   // a row valid on the date maps it (possibly to "onbekend" on purpose)
  kUnknown,  // the code is not in the mapping
  kExpired,  // the code is in the mapping but no row is valid on the date
  kMissing,  // the value is empty and the mapping has no "(leeg)" row
};
std::string_view OutcomeName(Outcome o);  // "mapped", "unknown", "expired", "missing"

// A crosswalk from a source code list to a target list, with validity per row.
class Mapping {
 public:
  const std::string& name() const { return name_; }  // "<source>-<target>"
  const std::string& source() const { return source_; }
  const std::string& target() const { return target_->name(); }
  const TargetList& target_list() const { return *target_; }
  const std::vector<MappingRow>& rows() const { return rows_; }

  // Index of a source code (distinct codes of the file), or -1. Source codes are compared after trimming
  // and collapsing runs of spaces (see NormaliseCode).
  int FindCode(std::string_view code) const;
  // The target member (index into target_list()) for source code index `code` on `date`, or -1 if none of
  // its rows is valid on that date.
  int Resolve(int code, Date date) const;
  // Maps a value: sets *member (index into target_list(); the unknown member unless kMapped).
  Outcome Map(std::optional<std::string_view> value, Date date, int* member) const;

  // Parses a mapping file. `file_name` ("politie_soortmisdrijf-scm2010.csv") must match the header; the
  // target is looked up in `targets`.
  static Result<Mapping> Parse(std::string_view text, std::string_view file_name, std::string_view path,
                               const std::map<std::string, TargetList, std::less<>>& targets);

 private:
  struct Version {
    std::int32_t from;  // day numbers, inclusive; INT32_MIN / INT32_MAX when open
    std::int32_t to;
    int member;
  };
  std::string name_, source_;
  const TargetList* target_ = nullptr;  // owned by the Config (stable: std::map node)
  std::vector<MappingRow> rows_;
  StringMap<int> code_index_;
  std::vector<std::vector<Version>> versions_;  // per code index, by from
  int empty_code_ = -1;
};

// Trims spaces and tabs at both ends and collapses inner runs to one space ("310  Sr " -> "310 Sr").
std::string NormaliseCode(std::string_view code);

struct AgeGroup {
  std::string code;
  int min_age = 0;
  std::optional<int> max_age;  // nullopt = open
  bool minor = false;
  std::string title_nl, title_en;
};

// CBS standard age groups; ages must be covered from 0 up without gaps or overlaps.
class AgeGroups {
 public:
  static Result<AgeGroups> Parse(std::string_view text, std::string_view path);
  const std::vector<AgeGroup>& groups() const { return groups_; }  // without "onbekend"
  // Index into groups() for an age, or -1 (negative age).
  int Find(std::int64_t age) const;
  const std::string& unknown_title_nl() const { return unknown_title_nl_; }

 private:
  std::vector<AgeGroup> groups_;
  std::vector<int> by_age_;  // index per age 0..last closed bound; beyond it the open group
  int open_group_ = -1;
  std::string unknown_title_nl_;
};

enum class FieldKind : std::uint8_t { kCode, kGemeente, kBuurt, kAge };

// One line of harmonisation.csv: harmonise `field` of `dataset` into `output` (+ derived columns).
struct FieldRule {
  std::string dataset;
  std::string field;
  FieldKind kind = FieldKind::kCode;
  std::string mapping;     // kCode: mapping name; kAge: "leeftijdsgroep"; else empty
  std::string output;
  std::string date_field;  // empty = the contract's reference date
  int line = 0;
};

// Everything in config/codelists/ except source/.
struct Config {
  Config() = default;
  Config(Config&&) = default;  // mappings point into `targets`: moving keeps them valid, copying would not
  Config& operator=(Config&&) = default;
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;

  std::map<std::string, TargetList, std::less<>> targets;  // by name
  std::map<std::string, Mapping, std::less<>> mappings;     // by name
  AgeGroups age_groups;
  std::vector<FieldRule> rules;  // in file order
  std::string dir;

  const Mapping* FindMapping(std::string_view name) const;
  // The rules of one dataset in file order.
  std::vector<const FieldRule*> RulesFor(std::string_view dataset) const;
  // Names a concept may reference: targets, mappings, "leeftijdsgroep", "gemeente_2024", "buurt_2024".
  bool HasList(std::string_view name) const;
};

// Loads `dir` (config/codelists): every *.csv beside source/ except leeftijdsgroep.csv and
// harmonisation.csv is a target list; map/*.csv are mappings; harmonisatie.csv the rules. Checks that
// targets contain "onbekend", mapping targets exist, and rules name known mappings, kinds and outputs
// (unique per dataset). Contract consistency is checked by CheckAgainstContracts (harmonise.h).
Result<Config> LoadConfig(const std::string& dir, const FileSystem& fs);

// A gap in a mapping's coverage of a source code list.
struct CoverageGap {
  std::string code;
  std::string from;  // ISO date or "open"
  std::string to;
  std::string ToString() const;  // "1.1.1: not mapped from 2010-01-01 to open"
};
// Every code of `source_codes` (with its own validity; nullopt = open) must be mapped by `mapping` for the
// whole period from the mapping's earliest valid_from (its horizon; open if any row is open) to the code's
// end; a code mapped to "onbekend" on purpose counts as mapped. Returns the gaps (empty = complete).
struct SourceCode {
  std::string code;
  std::optional<Date> valid_from, valid_to;
};
std::vector<CoverageGap> CheckCoverage(const Mapping& mapping, const std::vector<SourceCode>& source_codes);

}  // namespace das::harmonise
