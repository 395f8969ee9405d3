#include "das/harmonise/concepts.h"

#include <map>
#include <set>

#include <toml++/toml.h>

namespace das::harmonise {
namespace {

std::string Where(std::string_view path, const toml::node* n) {
  std::string s(path);
  if (n != nullptr && n->source().begin.line > 0) s += ": line " + std::to_string(n->source().begin.line);
  return s;
}

Result<std::string> Str(const toml::table& t, std::string_view key, std::string_view path, bool required) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) return Status::ParseError(std::string(path) + ": missing '" + std::string(key) + "'");
    return std::string();
  }
  if (!n->is_string()) return Status::ParseError(Where(path, n) + ": '" + std::string(key) + "' must be a string");
  std::string v = n->as_string()->get();
  if (required && v.find_first_not_of(" \t\n") == std::string::npos)
    return Status::ParseError(Where(path, n) + ": '" + std::string(key) + "' is empty");
  return v;
}

bool ValidId(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string Stem(std::string_view path) {
  auto slash = path.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base.size() > 5 && base.substr(base.size() - 5) == ".toml") base.remove_suffix(5);
  return std::string(base);
}

}  // namespace

Result<Concept> ParseConcept(std::string_view toml_text, std::string_view path) {
  toml::table root;
  try {
    root = toml::parse(toml_text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    return Status::ParseError(std::string(path) + ": line " + std::to_string(e.source().begin.line) + ", column " +
                              std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
  static const std::set<std::string, std::less<>> kKeys = {"id", "version", "term_nl", "term_en", "definition_nl",
                                                           "definition_en", "source_mappings", "used_by"};
  for (const auto& [k, v] : root) {
    if (kKeys.count(k.str()) == 0)
      return Status::ParseError(Where(path, &v) + ": unknown key '" + std::string(k.str()) + "'");
  }
  Concept c;
  c.path = std::string(path);
  DAS_ASSIGN_OR_RETURN(c.id, Str(root, "id", path, true));
  if (!ValidId(c.id)) return Status::ParseError(Where(path, root.get("id")) + ": id '" + c.id + "' must be [a-z0-9_]+");
  if (Stem(path) != c.id)
    return Status::ParseError(Where(path, root.get("id")) + ": id '" + c.id + "' differs from the file name '" + Stem(path) + ".toml'");
  const toml::node* v = root.get("version");
  if (v == nullptr || !v->is_integer() || v->as_integer()->get() < 1)
    return Status::ParseError(Where(path, v) + ": 'version' must be an integer >= 1");
  c.version = static_cast<int>(v->as_integer()->get());
  DAS_ASSIGN_OR_RETURN(c.term_nl, Str(root, "term_nl", path, true));
  DAS_ASSIGN_OR_RETURN(c.term_en, Str(root, "term_en", path, true));
  DAS_ASSIGN_OR_RETURN(c.definition_nl, Str(root, "definition_nl", path, true));
  DAS_ASSIGN_OR_RETURN(c.definition_en, Str(root, "definition_en", path, true));
  if (const toml::node* u = root.get("used_by"); u != nullptr) {
    if (!u->is_array()) return Status::ParseError(Where(path, u) + ": 'used_by' must be an array of strings");
    for (const toml::node& e : *u->as_array()) {
      if (!e.is_string()) return Status::ParseError(Where(path, &e) + ": 'used_by' must be an array of strings");
      c.used_by.push_back(e.as_string()->get());
    }
  }
  if (const toml::node* s = root.get("source_mappings"); s != nullptr) {
    if (!s->is_array_of_tables())
      return Status::ParseError(Where(path, s) + ": 'source_mappings' must be an array of tables ([[source_mappings]])");
    for (const toml::node& e : *s->as_array()) {
      const toml::table& t = *e.as_table();
      SourceMapping m;
      DAS_ASSIGN_OR_RETURN(m.field, Str(t, "field", path, true));
      DAS_ASSIGN_OR_RETURN(m.codelist, Str(t, "codelist", path, true));
      const auto dot = m.field.find('.');
      if (dot == std::string::npos || dot == 0 || dot + 1 == m.field.size())
        return Status::ParseError(Where(path, &e) + ": source mapping field '" + m.field + "' must be written dataset.field");
      c.source_mappings.push_back(std::move(m));
    }
  }
  return c;
}

Status ValidateConcepts(const std::vector<Concept>& concepts, const Config* config) {
  std::map<std::string, std::string> seen;
  for (const Concept& c : concepts) {
    auto [it, inserted] = seen.emplace(c.id, c.path);
    if (!inserted) return Status::InvalidArgument(c.path + ": duplicate concept id '" + c.id + "' (also in " + it->second + ")");
    if (config == nullptr) continue;
    for (const SourceMapping& m : c.source_mappings) {
      if (!config->HasList(m.codelist)) {
        return Status::InvalidArgument(c.path + ": concept '" + c.id + "': source mapping of '" + m.field +
                                       "' references unknown code list '" + m.codelist + "'");
      }
    }
  }
  return Status::Ok();
}

Result<std::vector<Concept>> LoadConcepts(const std::string& dir, const FileSystem& fs, const Config* config) {
  DAS_ASSIGN_OR_RETURN(auto names, fs.ListDir(dir));
  std::vector<Concept> out;
  for (const std::string& name : names) {
    if (name.size() <= 5 || name.substr(name.size() - 5) != ".toml") continue;
    const std::string path = dir + "/" + name;
    DAS_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
    DAS_ASSIGN_OR_RETURN(Concept c, ParseConcept(text, path));
    out.push_back(std::move(c));
  }
  DAS_RETURN_IF_ERROR(ValidateConcepts(out, config));
  return out;
}

}  // namespace das::harmonise
