#include "das/contract/codelist.h"

#include <algorithm>

namespace das::contract {
namespace {

struct CsvLine {
  int line = 0;
  std::vector<std::string> fields;
};

// A small RFC 4180 reader for the code-list files (comma, double quotes, LF or CRLF, quoted newlines).
// Code lists are small, so this keeps the contract library independent of das_io.
Result<std::vector<CsvLine>> SplitCsv(std::string_view text, std::string_view path) {
  std::vector<CsvLine> out;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t i = 0;
  int line = 1;
  while (i < text.size()) {
    CsvLine rec;
    rec.line = line;
    std::string field;
    bool in_record = true;
    while (in_record) {
      field.clear();
      int field_col = static_cast<int>(rec.fields.size()) + 1;
      if (i < text.size() && text[i] == '"') {
        ++i;
        bool closed = false;
        while (i < text.size()) {
          char c = text[i];
          if (c == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++i;
        }
        if (!closed) {
          return Status::ParseError(std::string(path) + ": line " + std::to_string(rec.line) + ", column " +
                                    std::to_string(field_col) + ": unterminated quoted field");
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          return Status::ParseError(std::string(path) + ": line " + std::to_string(line) + ", column " +
                                    std::to_string(field_col) + ": text after closing quote");
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field += text[i++];
      }
      rec.fields.push_back(field);
      if (i >= text.size()) {
        in_record = false;
      } else if (text[i] == ',') {
        ++i;
      } else {
        if (text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        ++line;
        in_record = false;
      }
    }
    bool blank = rec.fields.size() == 1 && rec.fields[0].empty();
    if (!blank) out.push_back(std::move(rec));
  }
  return out;
}

std::string Where(std::string_view path, int line, int column) {
  return std::string(path) + ": line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
}

}  // namespace

CodeList::CodeList(std::string name, std::vector<CodeEntry> entries)
    : name_(std::move(name)), entries_(std::move(entries)) {
  for (std::size_t i = 0; i < entries_.size(); ++i) index_.emplace(entries_[i].code, i);
}

const CodeEntry* CodeList::Find(std::string_view code) const {
  auto it = index_.find(code);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

CodeCheck CodeList::Check(std::string_view code, std::optional<Date> on) const {
  const CodeEntry* e = Find(code);
  if (e == nullptr) return CodeCheck::kUnknown;
  if (on.has_value()) {
    if (e->valid_from.has_value() && *on < *e->valid_from) return CodeCheck::kNotValidOnDate;
    if (e->valid_to.has_value() && *on > *e->valid_to) return CodeCheck::kNotValidOnDate;
  }
  return CodeCheck::kValid;
}

Result<CodeList> ParseCodeList(std::string_view text, std::string name, std::string_view path) {
  DAS_ASSIGN_OR_RETURN(std::vector<CsvLine> lines, SplitCsv(text, path));
  if (lines.empty()) return Status::ParseError(std::string(path) + ": empty file (expected header code,label)");
  const CsvLine& head = lines[0];
  bool with_dates = false;
  if (head.fields.size() == 2 && head.fields[0] == "code" && head.fields[1] == "label") {
    with_dates = false;
  } else if (head.fields.size() == 4 && head.fields[0] == "code" && head.fields[1] == "label" &&
             head.fields[2] == "valid_from" && head.fields[3] == "valid_to") {
    with_dates = true;
  } else {
    std::string found;
    for (std::size_t i = 0; i < head.fields.size(); ++i) found += (i ? "," : "") + head.fields[i];
    return Status::ParseError(Where(path, head.line, 1) + "bad header '" + found.substr(0, 80) +
                              "' (expected code,label or code,label,valid_from,valid_to)");
  }
  const std::size_t width = with_dates ? 4 : 2;
  std::vector<CodeEntry> entries;
  std::unordered_map<std::string, int> first_line;
  for (std::size_t r = 1; r < lines.size(); ++r) {
    const CsvLine& l = lines[r];
    if (l.fields.size() != width) {
      return Status::ParseError(Where(path, l.line, 1) + "expected " + std::to_string(width) + " fields, found " +
                                std::to_string(l.fields.size()));
    }
    CodeEntry e;
    e.code = l.fields[0];
    e.label = l.fields[1];
    e.line = l.line;
    if (e.code.empty()) return Status::ParseError(Where(path, l.line, 1) + "empty code");
    if (e.code.front() == ' ' || e.code.back() == ' ') {
      return Status::ParseError(Where(path, l.line, 1) + "code '" + e.code +
                                "' has leading or trailing spaces (codes are stored unpadded)");
    }
    auto [it, inserted] = first_line.emplace(e.code, l.line);
    if (!inserted) {
      return Status::ParseError(Where(path, l.line, 1) + "duplicate code '" + e.code + "' (first on line " +
                                std::to_string(it->second) + ")");
    }
    if (with_dates) {
      for (int k = 2; k < 4; ++k) {
        const std::string& t = l.fields[k];
        if (t.empty()) continue;
        auto d = ParseDate(t, DateFormat::kIso);
        if (!d.ok()) return Status::ParseError(Where(path, l.line, k + 1) + d.status().message());
        (k == 2 ? e.valid_from : e.valid_to) = *d;
      }
      if (e.valid_from && e.valid_to && *e.valid_to < *e.valid_from) {
        return Status::ParseError(Where(path, l.line, 4) + "valid_to " + e.valid_to->ToIso() +
                                  " is before valid_from " + e.valid_from->ToIso());
      }
    }
    entries.push_back(std::move(e));
  }
  return CodeList(std::move(name), std::move(entries));
}

Result<CodeList> LoadCodeList(const std::string& path, const FileSystem& fs) {
  DAS_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  std::string name = path;
  if (auto slash = name.find_last_of('/'); slash != std::string::npos) name = name.substr(slash + 1);
  if (name.size() > 4 && name.compare(name.size() - 4, 4, ".csv") == 0) name.resize(name.size() - 4);
  return ParseCodeList(text, std::move(name), path);
}

Result<CodeListSet> CodeListSet::LoadDir(const std::string& dir, const FileSystem& fs) {
  DAS_ASSIGN_OR_RETURN(std::vector<std::string> names, fs.ListDir(dir));
  CodeListSet set;
  for (const std::string& n : names) {
    if (n.size() <= 4 || n.compare(n.size() - 4, 4, ".csv") != 0) continue;
    DAS_ASSIGN_OR_RETURN(CodeList list, LoadCodeList(dir + "/" + n, fs));
    set.Add(std::move(list));
  }
  return set;
}

void CodeListSet::Add(CodeList list) {
  std::string name = list.name();
  lists_.insert_or_assign(std::move(name), std::move(list));
}

const CodeList* CodeListSet::Find(std::string_view name) const {
  auto it = lists_.find(name);
  return it == lists_.end() ? nullptr : &it->second;
}

std::vector<std::string> CodeListSet::Names() const {
  std::vector<std::string> out;
  for (const auto& [n, l] : lists_) out.push_back(n);
  return out;
}

}  // namespace das::contract
