// Source code lists: the codes an organisation uses in a column (config/codelists/source/<name>.csv), used by
// contract validation to tell valid source values from unknown ones. Harmonisation to CBS categories is not
// done here.
//
// File format (UTF-8, ',', LF or CRLF, RFC 4180 quoting): header `code,label` or
// `code,label,valid_from,valid_to`; dates ISO (yyyy-mm-dd), empty = open-ended; codes unique per file.
// Errors name file, line and column, e.g. "config/codelists/source/geslacht.csv: line 4, column 1: duplicate
// code 'M' (first on line 2)".
//
// Ownership: CodeList and CodeListSet are values; lookups are const and thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "das/core/date.h"
#include "das/core/env.h"
#include "das/core/status.h"

namespace das::contract {

struct CodeEntry {
  std::string code;
  std::string label;
  std::optional<Date> valid_from;  // inclusive
  std::optional<Date> valid_to;    // inclusive
  int line = 0;                    // line in the file
};

enum class CodeCheck : std::uint8_t { kValid, kUnknown, kNotValidOnDate };

class CodeList {
 public:
  CodeList() = default;
  CodeList(std::string name, std::vector<CodeEntry> entries);

  const std::string& name() const { return name_; }
  const std::vector<CodeEntry>& entries() const { return entries_; }
  // nullptr if the code is not in the list.
  const CodeEntry* Find(std::string_view code) const;
  // Without a date only membership is checked; with a date also the validity interval.
  CodeCheck Check(std::string_view code, std::optional<Date> on = std::nullopt) const;

 private:
  std::string name_;
  std::vector<CodeEntry> entries_;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::size_t, Hash, std::equal_to<>> index_;
};

// Parses code-list CSV text; `name` is the list name, `path` is used in error messages.
Result<CodeList> ParseCodeList(std::string_view text, std::string name, std::string_view path);
// Loads one file; the list is named after the file (without directory and ".csv").
Result<CodeList> LoadCodeList(const std::string& path, const FileSystem& fs);

class CodeListSet {
 public:
  // Loads every *.csv in `dir` (sorted by name). The first error stops loading.
  static Result<CodeListSet> LoadDir(const std::string& dir, const FileSystem& fs);
  void Add(CodeList list);
  const CodeList* Find(std::string_view name) const;
  std::vector<std::string> Names() const;
  std::size_t size() const { return lists_.size(); }

 private:
  std::map<std::string, CodeList, std::less<>> lists_;
};

}  // namespace das::contract
