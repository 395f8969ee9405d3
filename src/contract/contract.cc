// Loading source contracts from TOML. toml++ is included only here.
#include "das/contract/contract.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <toml++/toml.h>

#include "das/contract/codelist.h"

namespace das::contract {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kWarn: return "warn";
    case Severity::kRejectRow: return "reject_row";
    case Severity::kRejectDelivery: return "reject_delivery";
  }
  return "?";
}

namespace {

constexpr FieldType kAllTypes[] = {FieldType::kString,  FieldType::kInteger,       FieldType::kDecimal,
                                   FieldType::kDate,    FieldType::kCode,          FieldType::kBoolean,
                                   FieldType::kRegion,  FieldType::kBsn,           FieldType::kSurname,
                                   FieldType::kTussenvoegsel, FieldType::kGivenNames, FieldType::kBirthDate,
                                   FieldType::kSex,     FieldType::kKvk};

constexpr SealOutput kAllOutputs[] = {SealOutput::kBsnPseudo,    SealOutput::kBsnStatus,   SealOutput::kGeboortejaar,
                                      SealOutput::kLeeftijd,     SealOutput::kBfAchternaam, SealOutput::kBfVoornaam,
                                      SealOutput::kBfGeboortedatum};

// Canonical field and value type of each seal output.
std::pair<std::string_view, ValueType> SealOutputField(SealOutput o) {
  switch (o) {
    case SealOutput::kBsnPseudo: return {"bsn_pseudo", ValueType::kString};
    case SealOutput::kBsnStatus: return {"bsn_status", ValueType::kString};
    case SealOutput::kGeboortejaar: return {"birth_year", ValueType::kInteger};
    case SealOutput::kLeeftijd: return {"age", ValueType::kInteger};
    case SealOutput::kBfAchternaam: return {"surname_bf", ValueType::kString};
    case SealOutput::kBfVoornaam: return {"given_names_bf", ValueType::kString};
    case SealOutput::kBfGeboortedatum: return {"birth_date_bf", ValueType::kString};
  }
  return {"?", ValueType::kNull};
}

std::string Join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

std::string_view TomlTypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    default: return "nothing";
  }
}

bool IsSnakeCase(std::string_view s) {
  if (s.empty() || s.size() > 64 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

class Loader {
 public:
  explicit Loader(std::string path) : path_(std::move(path)) {}

  std::string Where(const toml::source_region& r) const {
    return path_ + ": line " + std::to_string(r.begin.line) + ", column " + std::to_string(r.begin.column) + ": ";
  }
  Status Err(const toml::node& at, const std::string& msg) const {
    return Status::InvalidArgument(Where(at.source()) + msg);
  }
  Status ErrLine(int line, const std::string& msg) const {
    return Status::InvalidArgument(path_ + ": line " + std::to_string(line) + ": " + msg);
  }

  // Reads one table, remembering which keys were used so that unknown keys (typos) are errors.
  class Table {
   public:
    Table(const Loader& l, const toml::table& t, std::string what, std::vector<std::string_view> allowed)
        : l_(l), t_(t), what_(std::move(what)), allowed_(std::move(allowed)) {}

    const toml::table& table() const { return t_; }
    std::string Prefix() const { return what_.empty() ? "" : what_ + ": "; }

    Status CheckKeys() const {
      for (auto&& [k, v] : t_) {
        if (std::find(allowed_.begin(), allowed_.end(), k.str()) == allowed_.end()) {
          std::vector<std::string> a(allowed_.begin(), allowed_.end());
          return l_.Err(v, Prefix() + "unknown key '" + std::string(k.str()) + "' (expected one of " + Join(a) + ")");
        }
      }
      return Status::Ok();
    }
    Status Missing(std::string_view key, std::string_view expected) const {
      return l_.Err(t_, Prefix() + "missing '" + std::string(key) + "' (" + std::string(expected) + ")");
    }
    Status WrongType(const toml::node& n, std::string_view key, std::string_view expected) const {
      return l_.Err(n, Prefix() + "'" + std::string(key) + "' must be " + std::string(expected) + ", found " +
                           std::string(TomlTypeName(n)));
    }

    Result<std::optional<std::string>> Str(std::string_view key, bool required) const {
      const toml::node* n = t_.get(key);
      if (n == nullptr) {
        if (required) return Missing(key, "a string");
        return std::optional<std::string>();
      }
      if (!n->is_string()) return WrongType(*n, key, "a string");
      return std::optional<std::string>(n->as_string()->get());
    }
    Result<std::optional<std::int64_t>> Int(std::string_view key, bool required) const {
      const toml::node* n = t_.get(key);
      if (n == nullptr) {
        if (required) return Missing(key, "an integer");
        return std::optional<std::int64_t>();
      }
      if (!n->is_integer()) return WrongType(*n, key, "an integer");
      return std::optional<std::int64_t>(n->as_integer()->get());
    }
    Result<std::optional<bool>> Bool(std::string_view key) const {
      const toml::node* n = t_.get(key);
      if (n == nullptr) return std::optional<bool>();
      if (!n->is_boolean()) return WrongType(*n, key, "true or false");
      return std::optional<bool>(n->as_boolean()->get());
    }
    // Empty when absent and not required.
    Result<std::vector<std::string>> StrList(std::string_view key, bool required) const {
      const toml::node* n = t_.get(key);
      if (n == nullptr) {
        if (required) return Missing(key, "a list of strings");
        return std::vector<std::string>();
      }
      if (!n->is_array()) return WrongType(*n, key, "a list of strings");
      std::vector<std::string> out;
      for (const toml::node& e : *n->as_array()) {
        if (!e.is_string()) return l_.Err(e, Prefix() + "'" + std::string(key) + "' must hold strings, found " +
                                                 std::string(TomlTypeName(e)));
        out.push_back(e.as_string()->get());
      }
      return out;
    }
    const toml::node* Node(std::string_view key) const { return t_.get(key); }
    const toml::node& NodeOr(std::string_view key) const {
      const toml::node* n = t_.get(key);
      return n != nullptr ? *n : static_cast<const toml::node&>(t_);
    }

   private:
    const Loader& l_;
    const toml::table& t_;
    std::string what_;
    std::vector<std::string_view> allowed_;
  };

  Result<const toml::table*> SubTable(const toml::table& root, std::string_view key, bool required) const {
    const toml::node* n = root.get(key);
    if (n == nullptr) {
      if (required) {
        return Status::InvalidArgument(path_ + ": missing table [" + std::string(key) + "]");
      }
      return static_cast<const toml::table*>(nullptr);
    }
    if (!n->is_table()) return Err(*n, "'" + std::string(key) + "' must be a table, found " + std::string(TomlTypeName(*n)));
    return n->as_table();
  }

  Result<Severity> ParseSeverity(const toml::node& n, const std::string& prefix, const std::string& text,
                                 bool file_rule) const {
    if (text == "warn") return Severity::kWarn;
    if (text == "reject_delivery") return Severity::kRejectDelivery;
    if (text == "reject_row" && !file_rule) return Severity::kRejectRow;
    if (text == "reject_row") return Err(n, prefix + "severity 'reject_row' is not possible for a file rule (expected warn or reject_delivery)");
    return Err(n, prefix + "unknown severity '" + text + "' (expected reject_row, warn or reject_delivery)");
  }

  Result<char> OneChar(const Table& t, std::string_view key, char fallback, std::string_view allowed) const {
    DAS_ASSIGN_OR_RETURN(auto s, t.Str(key, false));
    if (!s) return fallback;
    if (s->size() != 1 || allowed.find((*s)[0]) == std::string_view::npos) {
      std::string shown;
      for (char c : allowed) {
        if (!shown.empty()) shown += ", ";
        shown += c == '\t' ? std::string("\"\\t\"") : "'" + std::string(1, c) + "'";
      }
      return Err(*t.Node(key), t.Prefix() + "'" + std::string(key) + "' must be one character of " + shown +
                                   ", found '" + *s + "'");
    }
    return (*s)[0];
  }

  Result<Contract> Load(const toml::table& root) {
    Contract c;
    c.source_path = path_;
    {
      Table top(*this, root, "", {"contract", "format", "match", "seal", "columns", "rules", "file_rules"});
      DAS_RETURN_IF_ERROR(top.CheckKeys());
    }
    // [contract]
    DAS_ASSIGN_OR_RETURN(const toml::table* ct, SubTable(root, "contract", true));
    Table meta(*this, *ct, "[contract]",
               {"name", "version", "organisation", "dataset", "description", "key", "reference_date"});
    DAS_RETURN_IF_ERROR(meta.CheckKeys());
    DAS_ASSIGN_OR_RETURN(auto name, meta.Str("name", true));
    if (!IsSnakeCase(*name)) return Err(*meta.Node("name"), "[contract]: name '" + *name + "' must be snake_case (a-z, 0-9, _)");
    c.name = *name;
    DAS_ASSIGN_OR_RETURN(auto version, meta.Int("version", true));
    if (*version < 1 || *version > 9999) {
      return Err(*meta.Node("version"), "[contract]: version must be between 1 and 9999, found " + std::to_string(*version));
    }
    c.version = static_cast<int>(*version);
    DAS_ASSIGN_OR_RETURN(auto org, meta.Str("organisation", true));
    DAS_ASSIGN_OR_RETURN(auto dataset, meta.Str("dataset", true));
    if (!IsSnakeCase(*org)) return Err(*meta.Node("organisation"), "[contract]: organisation '" + *org + "' must be snake_case");
    if (!IsSnakeCase(*dataset)) return Err(*meta.Node("dataset"), "[contract]: dataset '" + *dataset + "' must be snake_case");
    c.organisation = *org;
    c.dataset = *dataset;
    if (c.name != c.organisation + "_" + c.dataset) {
      return Err(*meta.Node("name"), "[contract]: name '" + c.name + "' must be organisation_dataset ('" +
                                         c.organisation + "_" + c.dataset + "')");
    }
    DAS_ASSIGN_OR_RETURN(auto desc, meta.Str("description", false));
    c.description = desc.value_or("");

    DAS_RETURN_IF_ERROR(LoadFormat(root, c));
    DAS_RETURN_IF_ERROR(LoadMatch(root, c));
    DAS_RETURN_IF_ERROR(LoadColumns(root, c));
    DAS_RETURN_IF_ERROR(LoadSeal(root, c));

    // key and reference date (need the columns)
    DAS_ASSIGN_OR_RETURN(auto key, meta.StrList("key", true));
    if (key.empty()) return Err(*meta.Node("key"), "[contract]: key must name at least one field");
    for (const std::string& k : key) {
      const Column* col = c.FindColumnByField(k);
      if (col == nullptr) return Err(*meta.Node("key"), "[contract]: key field '" + k + "' is not a column's field");
      if (IsDirectIdentifier(col->type)) {
        return Err(*meta.Node("key"), "[contract]: key field '" + k + "' is a direct identifier (removed by sealing)");
      }
      bool seal_output = c.FindColumnByName(col->name, Form::kRaw) == nullptr;  // e.g. bsn_pseudo
      if (!col->required && !seal_output) {
        return Err(*meta.Node("key"), "[contract]: key field '" + k + "' must be required = true");
      }
      if (std::count(key.begin(), key.end(), k) > 1) return Err(*meta.Node("key"), "[contract]: key field '" + k + "' listed twice");
    }
    c.key = key;
    DAS_ASSIGN_OR_RETURN(auto ref, meta.Str("reference_date", false));
    if (ref) {
      const Column* col = c.FindColumnByField(*ref);
      if (col == nullptr || col->type != FieldType::kDate) {
        return Err(*meta.Node("reference_date"), "[contract]: reference_date '" + *ref + "' must be a field of type date");
      }
      c.reference_date = *ref;
    }

    BuildFields(c);
    DAS_RETURN_IF_ERROR(LoadRules(root, c, false));
    DAS_RETURN_IF_ERROR(LoadRules(root, c, true));
    return c;
  }

 private:
  Status LoadFormat(const toml::table& root, Contract& c) {
    DAS_ASSIGN_OR_RETURN(const toml::table* ft, SubTable(root, "format", true));
    Table t(*this, *ft, "[format]",
            {"delimiter", "quote", "encoding", "bom", "decimal_separator", "date_format", "header", "line_ending"});
    DAS_RETURN_IF_ERROR(t.CheckKeys());
    Format& f = c.format;
    if (t.Node("delimiter") == nullptr) return t.Missing("delimiter", "one of ',', ';', \"\\t\", '|'");
    DAS_ASSIGN_OR_RETURN(f.delimiter, OneChar(t, "delimiter", ',', ",;\t|"));
    DAS_ASSIGN_OR_RETURN(f.quote, OneChar(t, "quote", '"', "\"'"));
    DAS_ASSIGN_OR_RETURN(f.decimal_separator, OneChar(t, "decimal_separator", '.', ".,"));
    if (f.decimal_separator == f.delimiter) {
      return Err(*t.Node("decimal_separator"), "[format]: decimal_separator must differ from the delimiter");
    }
    DAS_ASSIGN_OR_RETURN(auto enc, t.Str("encoding", true));
    if (*enc == "utf-8") f.encoding = io::Encoding::kUtf8;
    else if (*enc == "windows-1252") f.encoding = io::Encoding::kWindows1252;
    else return Err(*t.Node("encoding"), "[format]: unknown encoding '" + *enc + "' (expected utf-8 or windows-1252)");
    DAS_ASSIGN_OR_RETURN(auto bom, t.Str("bom", false));
    if (bom) {
      if (*bom == "forbidden") f.bom = Format::Bom::kForbidden;
      else if (*bom == "optional") f.bom = Format::Bom::kOptional;
      else if (*bom == "required") f.bom = Format::Bom::kRequired;
      else return Err(*t.Node("bom"), "[format]: unknown bom '" + *bom + "' (expected forbidden, optional or required)");
      if (f.bom == Format::Bom::kRequired && f.encoding != io::Encoding::kUtf8) {
        return Err(*t.Node("bom"), "[format]: a BOM is only possible with encoding utf-8");
      }
    }
    DAS_ASSIGN_OR_RETURN(auto df, t.Str("date_format", false));
    if (df) {
      auto parsed = ParseDateFormatName(*df);
      if (!parsed.ok()) return Err(*t.Node("date_format"), "[format]: " + parsed.status().message());
      f.date_format = *parsed;
    }
    DAS_ASSIGN_OR_RETURN(auto header, t.Bool("header"));
    f.header = header.value_or(true);
    if (!f.header) return Err(*t.Node("header"), "[format]: header = false is not supported (columns are matched by name)");
    DAS_ASSIGN_OR_RETURN(auto le, t.Str("line_ending", false));
    if (le) {
      if (*le != "crlf" && *le != "lf") return Err(*t.Node("line_ending"), "[format]: unknown line_ending '" + *le + "' (expected crlf or lf)");
      f.line_ending = *le;
    }
    return Status::Ok();
  }

  Status LoadMatch(const toml::table& root, Contract& c) {
    DAS_ASSIGN_OR_RETURN(const toml::table* mt, SubTable(root, "match", false));
    if (mt == nullptr) return Status::Ok();
    Table t(*this, *mt, "[match]", {"file_patterns", "header"});
    DAS_RETURN_IF_ERROR(t.CheckKeys());
    DAS_ASSIGN_OR_RETURN(auto pats, t.StrList("file_patterns", false));
    {
      for (const std::string& p : pats) {
        if (p.empty() || p.find('/') != std::string::npos) {
          return Err(*t.Node("file_patterns"), "[match]: file pattern '" + p + "' must be a non-empty base name without '/'");
        }
      }
      c.match.file_patterns = pats;
    }
    DAS_ASSIGN_OR_RETURN(auto header, t.Bool("header"));
    c.match.header = header.value_or(true);
    return Status::Ok();
  }

  // Parses "date(dd-mm-yyyy)" into ("date", "dd-mm-yyyy").
  static std::pair<std::string, std::string> SplitType(const std::string& s) {
    auto open = s.find('(');
    if (open == std::string::npos || s.back() != ')') return {s, ""};
    return {s.substr(0, open), s.substr(open + 1, s.size() - open - 2)};
  }

  Status LoadColumns(const toml::table& root, Contract& c) {
    const toml::node* n = root.get("columns");
    if (n == nullptr) return Status::InvalidArgument(path_ + ": missing [[columns]] (at least one column)");
    if (!n->is_array_of_tables()) return Err(*n, "'columns' must be an array of tables ([[columns]]), found " + std::string(TomlTypeName(*n)));
    std::set<std::string> names, fields;
    for (const toml::node& e : *n->as_array()) {
      const toml::table& ct = *e.as_table();
      std::string label = "column";
      if (const toml::node* nn = ct.get("name"); nn != nullptr && nn->is_string()) label = "column '" + nn->as_string()->get() + "'";
      Table t(*this, ct, label,
              {"name", "field", "type", "required", "format", "codelist", "true_value", "false_value", "level", "min",
               "max", "pattern", "max_length", "on_invalid", "description"});
      DAS_RETURN_IF_ERROR(t.CheckKeys());
      Column col;
      col.line = static_cast<int>(ct.source().begin.line);
      DAS_ASSIGN_OR_RETURN(auto name, t.Str("name", true));
      if (name->empty()) return Err(*t.Node("name"), "column: name must not be empty");
      col.name = *name;
      if (!names.insert(col.name).second) return Err(*t.Node("name"), label + ": duplicate column name");
      DAS_ASSIGN_OR_RETURN(auto field, t.Str("field", true));
      if (!IsSnakeCase(*field)) {
        return Err(*t.Node("field"), label + ": field '" + *field + "' must be English snake_case (a-z, 0-9, _)");
      }
      col.field = *field;
      if (!fields.insert(col.field).second) return Err(*t.Node("field"), label + ": field '" + col.field + "' is used by another column");
      DAS_ASSIGN_OR_RETURN(auto type, t.Str("type", true));
      auto [type_name, type_arg] = SplitType(*type);
      bool found = false;
      for (FieldType ft : kAllTypes) {
        if (FieldTypeName(ft) == type_name) {
          col.type = ft;
          found = true;
        }
      }
      if (!found) {
        std::vector<std::string> known;
        for (FieldType ft : kAllTypes) known.emplace_back(FieldTypeName(ft));
        return Err(*t.Node("type"), label + ": unknown type '" + *type + "' (expected " + Join(known) + ")");
      }
      const toml::node& type_node = *t.Node("type");
      DAS_ASSIGN_OR_RETURN(auto required, t.Bool("required"));
      col.required = required.value_or(false);

      // Options and which types they belong to.
      auto only_for = [&](std::string_view key, std::initializer_list<FieldType> types) -> Status {
        const toml::node* o = t.Node(key);
        if (o == nullptr) return Status::Ok();
        for (FieldType ft : types) {
          if (ft == col.type) return Status::Ok();
        }
        return Err(*o, label + ": '" + std::string(key) + "' does not apply to type " + std::string(FieldTypeName(col.type)));
      };
      DAS_RETURN_IF_ERROR(only_for("format", {FieldType::kDate, FieldType::kBirthDate}));
      DAS_RETURN_IF_ERROR(only_for("codelist", {FieldType::kCode, FieldType::kSex}));
      DAS_RETURN_IF_ERROR(only_for("true_value", {FieldType::kBoolean}));
      DAS_RETURN_IF_ERROR(only_for("false_value", {FieldType::kBoolean}));
      DAS_RETURN_IF_ERROR(only_for("level", {FieldType::kRegion}));
      DAS_RETURN_IF_ERROR(only_for("min", {FieldType::kInteger, FieldType::kDecimal, FieldType::kDate, FieldType::kBirthDate}));
      DAS_RETURN_IF_ERROR(only_for("max", {FieldType::kInteger, FieldType::kDecimal, FieldType::kDate, FieldType::kBirthDate}));
      DAS_RETURN_IF_ERROR(only_for("pattern", {FieldType::kString, FieldType::kCode}));
      DAS_RETURN_IF_ERROR(only_for("max_length", {FieldType::kString, FieldType::kCode, FieldType::kSurname,
                                                  FieldType::kTussenvoegsel, FieldType::kGivenNames}));

      // Type argument: date(format), code(list), region(level), boolean(J/N).
      if (!type_arg.empty()) {
        switch (col.type) {
          case FieldType::kDate:
          case FieldType::kBirthDate:
          case FieldType::kCode:
          case FieldType::kSex:
          case FieldType::kRegion:
          case FieldType::kBoolean: break;
          default:
            return Err(type_node, label + ": type " + std::string(FieldTypeName(col.type)) + " takes no argument, found '" + *type + "'");
        }
      }
      switch (col.type) {
        case FieldType::kDate:
        case FieldType::kBirthDate: {
          col.date_format = c.format.date_format;
          DAS_ASSIGN_OR_RETURN(auto fmt, t.Str("format", false));
          std::string text = fmt ? *fmt : type_arg;
          if (fmt && !type_arg.empty()) return Err(type_node, label + ": date format given twice (type argument and 'format')");
          if (!text.empty()) {
            auto parsed = ParseDateFormatName(text);
            if (!parsed.ok()) return Err(fmt ? *t.Node("format") : type_node, label + ": " + parsed.status().message());
            col.date_format = *parsed;
          }
          break;
        }
        case FieldType::kCode:
        case FieldType::kSex: {
          DAS_ASSIGN_OR_RETURN(auto list, t.Str("codelist", false));
          if (list && !type_arg.empty()) return Err(type_node, label + ": code list given twice (type argument and 'codelist')");
          col.codelist = list ? *list : type_arg;
          if (col.codelist.empty() && col.type == FieldType::kSex) col.codelist = "geslacht";
          if (col.codelist.empty()) {
            return Err(type_node, label + ": type code needs a code list: code(<list>) or codelist = \"<list>\"");
          }
          if (!IsSnakeCase(col.codelist)) return Err(list ? *t.Node("codelist") : type_node, label + ": code list name '" + col.codelist + "' must be snake_case");
          col.on_invalid = Severity::kWarn;
          break;
        }
        case FieldType::kBoolean: {
          DAS_ASSIGN_OR_RETURN(auto tv, t.Str("true_value", false));
          DAS_ASSIGN_OR_RETURN(auto fv, t.Str("false_value", false));
          if (!type_arg.empty()) {
            auto slash = type_arg.find('/');
            if (slash == std::string::npos || slash == 0 || slash + 1 == type_arg.size() || tv || fv) {
              return Err(type_node, label + ": boolean argument must be <true>/<false>, e.g. boolean(J/N), found '" + *type + "'");
            }
            col.true_value = type_arg.substr(0, slash);
            col.false_value = type_arg.substr(slash + 1);
          }
          if (tv) col.true_value = *tv;
          if (fv) col.false_value = *fv;
          if (col.true_value.empty() || col.true_value == col.false_value) {
            return Err(type_node, label + ": true_value and false_value must be different and not empty");
          }
          break;
        }
        case FieldType::kRegion: {
          DAS_ASSIGN_OR_RETURN(auto lv, t.Str("level", false));
          std::string text = lv ? *lv : type_arg;
          static constexpr std::pair<std::string_view, RegionLevel> kLevels[] = {
              {"gemeente", RegionLevel::kGemeente}, {"wijk", RegionLevel::kWijk}, {"buurt", RegionLevel::kBuurt},
              {"provincie", RegionLevel::kProvince}, {"politie_eenheid", RegionLevel::kPoliceUnit}};
          bool ok = false;
          for (const auto& [ln, level] : kLevels) {
            if (ln == text) {
              col.region_level = level;
              ok = true;
            }
          }
          if (!ok) {
            return Err(lv ? *t.Node("level") : type_node,
                       label + ": unknown region level '" + text + "' (expected gemeente, wijk, buurt, provincie or politie_eenheid)");
          }
          break;
        }
        default: break;
      }
      // Ranges.
      for (std::string_view key : {"min", "max"}) {
        const toml::node* o = t.Node(key);
        if (o == nullptr) continue;
        bool is_min = key == "min";
        if (col.type == FieldType::kDate || col.type == FieldType::kBirthDate) {
          if (!o->is_date()) return t.WrongType(*o, key, "a date (e.g. 1900-01-01)");
          toml::date d = o->as_date()->get();
          auto dd = Date::FromYmd(d.year, d.month, d.day);
          if (!dd.ok()) return Err(*o, label + ": " + dd.status().message());
          (is_min ? col.min_date : col.max_date) = *dd;
        } else {
          double v = 0;
          if (o->is_integer()) v = static_cast<double>(o->as_integer()->get());
          else if (o->is_floating_point() && col.type == FieldType::kDecimal) v = o->as_floating_point()->get();
          else return t.WrongType(*o, key, col.type == FieldType::kInteger ? "an integer" : "a number");
          if (!std::isfinite(v)) return Err(*o, label + ": '" + std::string(key) + "' must be finite");
          (is_min ? col.min : col.max) = v;
        }
      }
      if ((col.min && col.max && *col.min > *col.max) || (col.min_date && col.max_date && *col.min_date > *col.max_date)) {
        return Err(*t.Node("max"), label + ": max is below min");
      }
      DAS_ASSIGN_OR_RETURN(auto pattern, t.Str("pattern", false));
      if (pattern) {
        Status ps = ValidatePicture(*pattern);
        if (!ps.ok()) return Err(*t.Node("pattern"), label + ": " + ps.message());
        col.pattern = *pattern;
      }
      DAS_ASSIGN_OR_RETURN(auto maxlen, t.Int("max_length", false));
      if (maxlen) {
        if (*maxlen < 1 || *maxlen > (1 << 20)) return Err(*t.Node("max_length"), label + ": max_length must be between 1 and 1048576");
        col.max_length = static_cast<std::size_t>(*maxlen);
      }
      DAS_ASSIGN_OR_RETURN(auto inv, t.Str("on_invalid", false));
      if (inv) {
        if (*inv == "warn") col.on_invalid = Severity::kWarn;
        else if (*inv == "reject_row") col.on_invalid = Severity::kRejectRow;
        else if (*inv == "reject_delivery") col.on_invalid = Severity::kRejectDelivery;
        else return Err(*t.Node("on_invalid"), label + ": unknown severity '" + *inv + "' (expected reject_row, warn or reject_delivery)");
      }
      DAS_ASSIGN_OR_RETURN(auto d, t.Str("description", false));
      (void)d;
      c.columns.push_back(std::move(col));
    }
    if (c.columns.empty()) return Err(*n, "[[columns]]: at least one column is needed");
    return Status::Ok();
  }

  Status LoadSeal(const toml::table& root, Contract& c) {
    std::vector<std::string> identifiers;
    for (const Column& col : c.columns) {
      if (IsDirectIdentifier(col.type)) identifiers.push_back(col.name);
    }
    DAS_ASSIGN_OR_RETURN(const toml::table* st, SubTable(root, "seal", false));
    if (st == nullptr) {
      if (!identifiers.empty()) {
        return Status::InvalidArgument(path_ + ": direct identifier columns (" + Join(identifiers) +
                                       ") need a [seal] table saying what replaces them");
      }
      c.sealed_columns = c.columns;
      return Status::Ok();
    }
    Table t(*this, *st, "[seal]", {"reference_date", "outputs"});
    DAS_RETURN_IF_ERROR(t.CheckKeys());
    if (identifiers.empty()) return Err(*st, "[seal]: the contract has no direct identifier columns to seal");
    c.seal.present = true;
    DAS_ASSIGN_OR_RETURN(auto outputs, t.StrList("outputs", true));
    for (const std::string& o : outputs) {
      bool found = false;
      for (SealOutput so : kAllOutputs) {
        if (SealOutputName(so) == o) {
          found = true;
          if (std::find(c.seal.outputs.begin(), c.seal.outputs.end(), so) != c.seal.outputs.end()) {
            return Err(*t.Node("outputs"), "[seal]: output '" + o + "' listed twice");
          }
          c.seal.outputs.push_back(so);
        }
      }
      if (!found) {
        std::vector<std::string> known;
        for (SealOutput so : kAllOutputs) known.emplace_back(SealOutputName(so));
        return Err(*t.Node("outputs"), "[seal]: unknown output '" + o + "' (expected " + Join(known) + ")");
      }
    }
    DAS_ASSIGN_OR_RETURN(auto ref, t.Str("reference_date", false));
    bool has_birth_date = false;
    for (const Column& col : c.columns) has_birth_date = has_birth_date || col.type == FieldType::kBirthDate;
    bool needs_ref = has_birth_date &&
                     std::find(c.seal.outputs.begin(), c.seal.outputs.end(), SealOutput::kLeeftijd) != c.seal.outputs.end();
    if (ref) {
      const Column* col = c.FindColumnByField(*ref);
      if (col == nullptr || col->type != FieldType::kDate) {
        return Err(*t.Node("reference_date"), "[seal]: reference_date '" + *ref + "' must be a field of type date");
      }
      c.seal.reference_date_field = *ref;
    } else if (needs_ref) {
      return t.Missing("reference_date", "the date field at which leeftijd is computed");
    }
    // The sealed layout (as das seal writes it, see das/seal/seal.h): the raw columns in order without the
    // identifiers, then the outputs. An output without a source column (e.g. leeftijd without a birth date)
    // is delivered empty.
    int first_identifier_line = 0;
    for (const Column& col : c.columns) {
      if (!IsDirectIdentifier(col.type)) c.sealed_columns.push_back(col);
      else if (first_identifier_line == 0) first_identifier_line = col.line;
    }
    {
      for (SealOutput so : c.seal.outputs) {
        Column out;
        out.name = std::string(SealOutputName(so));
        auto [field, vt] = SealOutputField(so);
        out.field = std::string(field);
        out.type = vt == ValueType::kInteger ? FieldType::kInteger : FieldType::kString;
        out.line = first_identifier_line;
        if (so == SealOutput::kGeboortejaar) {
          out.min = 1850;
          out.max = 2200;
        } else if (so == SealOutput::kLeeftijd) {
          out.min = 0;
          out.max = 130;
        }
        if (c.FindColumnByField(out.field) != nullptr) {
          return Err(*t.Node("outputs"), "[seal]: output '" + out.name + "' yields field '" + out.field +
                                             "', which a column already uses");
        }
        c.sealed_columns.push_back(std::move(out));
      }
    }
    return Status::Ok();
  }

  static void BuildFields(Contract& c) {
    auto add = [&](const std::string& name, ValueType t) {
      for (const FieldInfo& f : c.fields) {
        if (f.name == name) return;
      }
      c.fields.push_back({name, t});
    };
    for (const Column& col : c.columns) add(col.field, ValueTypeOf(col.type));
    for (const Column& col : c.sealed_columns) add(col.field, ValueTypeOf(col.type));
    bool has_birth = false;
    for (const Column& col : c.columns) has_birth = has_birth || col.type == FieldType::kBirthDate;
    if (has_birth && !c.seal.reference_date_field.empty()) {
      add("age", ValueType::kInteger);  // derived in the raw form
      add("birth_year", ValueType::kInteger);
    }
    add("delivery_date", ValueType::kDate);
  }

  Status LoadRules(const toml::table& root, Contract& c, bool file_level) {
    const char* key = file_level ? "file_rules" : "rules";
    const toml::node* n = root.get(key);
    if (n == nullptr) return Status::Ok();
    if (!n->is_array_of_tables()) {
      return Err(*n, "'" + std::string(key) + "' must be an array of tables ([[" + key + "]]), found " + std::string(TomlTypeName(*n)));
    }
    Scope scope;
    scope.file_level = file_level;
    if (file_level) {
      scope.names = {{"rows", ValueType::kInteger},
                     {"rejected_rate", ValueType::kDecimal},
                     {"duplicate_rate", ValueType::kDecimal},
                     {"key_duplicate_rate", ValueType::kDecimal}};
      for (const FieldInfo& f : c.fields) scope.row_fields.push_back(f.name);
      for (const Rule& r : c.rules) scope.rule_ids.push_back(r.id);
    } else {
      for (const FieldInfo& f : c.fields) scope.names.emplace_back(f.name, f.type);
    }
    for (const toml::node& e : *n->as_array()) {
      const toml::table& rt = *e.as_table();
      std::string label = file_level ? "file rule" : "rule";
      if (const toml::node* idn = rt.get("id"); idn != nullptr && idn->is_string()) label += " '" + idn->as_string()->get() + "'";
      Table t(*this, rt, label, {"id", "severity", "check", "message"});
      DAS_RETURN_IF_ERROR(t.CheckKeys());
      Rule r;
      r.line = static_cast<int>(rt.source().begin.line);
      DAS_ASSIGN_OR_RETURN(auto id, t.Str("id", true));
      if (id->empty() || id->size() > 40) return Err(*t.Node("id"), label + ": id must be 1-40 characters");
      for (char ch : *id) {
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')) {
          return Err(*t.Node("id"), label + ": id may hold only A-Z, 0-9, '-' and '_'");
        }
      }
      for (const auto* list : {&c.rules, &c.file_rules}) {
        for (const Rule& other : *list) {
          if (other.id == *id) return Err(*t.Node("id"), label + ": duplicate rule id (first on line " + std::to_string(other.line) + ")");
        }
      }
      r.id = *id;
      DAS_ASSIGN_OR_RETURN(auto sev, t.Str("severity", true));
      DAS_ASSIGN_OR_RETURN(r.severity, ParseSeverity(*t.Node("severity"), label + ": ", *sev, file_level));
      DAS_ASSIGN_OR_RETURN(auto check, t.Str("check", true));
      r.expression = *check;
      DAS_ASSIGN_OR_RETURN(auto msg, t.Str("message", true));
      r.message = *msg;
      auto parsed = ParseExpression(r.expression);
      if (!parsed.ok()) return Err(*t.Node("check"), label + ": check: " + parsed.status().message());
      std::unique_ptr<Expr> ast = std::move(parsed).value();
      Status bs = Bind(*ast, scope);
      if (!bs.ok()) return Err(*t.Node("check"), label + ": check: " + bs.message());
      r.ast = std::shared_ptr<const Expr>(std::move(ast));
      (file_level ? c.file_rules : c.rules).push_back(std::move(r));
    }
    return Status::Ok();
  }

  std::string path_;
};

}  // namespace


std::string_view FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kString: return "string";
    case FieldType::kInteger: return "integer";
    case FieldType::kDecimal: return "decimal";
    case FieldType::kDate: return "date";
    case FieldType::kCode: return "code";
    case FieldType::kBoolean: return "boolean";
    case FieldType::kRegion: return "region";
    case FieldType::kBsn: return "bsn";
    case FieldType::kSurname: return "surname";
    case FieldType::kTussenvoegsel: return "tussenvoegsel";
    case FieldType::kGivenNames: return "given_names";
    case FieldType::kBirthDate: return "birth_date";
    case FieldType::kSex: return "sex";
    case FieldType::kKvk: return "kvk";
  }
  return "?";
}

bool IsDirectIdentifier(FieldType t) {
  return t == FieldType::kBsn || t == FieldType::kSurname || t == FieldType::kTussenvoegsel ||
         t == FieldType::kGivenNames || t == FieldType::kBirthDate;
}

ValueType ValueTypeOf(FieldType t) {
  switch (t) {
    case FieldType::kInteger: return ValueType::kInteger;
    case FieldType::kDecimal: return ValueType::kDecimal;
    case FieldType::kDate:
    case FieldType::kBirthDate: return ValueType::kDate;
    case FieldType::kBoolean: return ValueType::kBool;
    default: return ValueType::kString;
  }
}

std::string_view SealOutputName(SealOutput o) {
  switch (o) {
    case SealOutput::kBsnPseudo: return "bsn_pseudo";
    case SealOutput::kBsnStatus: return "bsn_status";
    case SealOutput::kGeboortejaar: return "geboortejaar";
    case SealOutput::kLeeftijd: return "leeftijd";
    case SealOutput::kBfAchternaam: return "bf_achternaam";
    case SealOutput::kBfVoornaam: return "bf_voornaam";
    case SealOutput::kBfGeboortedatum: return "bf_geboortedatum";
  }
  return "?";
}

io::CsvDialect Format::Dialect() const {
  io::CsvDialect d;
  d.delimiter = delimiter;
  d.quote = quote;
  d.encoding = encoding;
  d.has_header = header;
  return d;
}

std::vector<std::string> Contract::Header(Form form) const {
  std::vector<std::string> out;
  for (const Column& c : ColumnsOf(form)) out.push_back(c.name);
  return out;
}

const Column* Contract::FindColumnByName(std::string_view header_name, Form form) const {
  for (const Column& c : ColumnsOf(form)) {
    if (c.name == header_name) return &c;
  }
  return nullptr;
}

const Column* Contract::FindColumnByField(std::string_view field) const {
  for (const Column& c : columns) {
    if (c.field == field) return &c;
  }
  for (const Column& c : sealed_columns) {
    if (c.field == field) return &c;
  }
  return nullptr;
}

int Contract::FieldSlot(std::string_view field) const {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) return static_cast<int>(i);
  }
  return -1;
}

Result<Contract> ParseContract(std::string_view toml_text, std::string_view path) {
  toml::table root;
  try {
    root = toml::parse(toml_text, std::string(path));
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    return Status::ParseError(std::string(path) + ": line " + std::to_string(b.line) + ", column " +
                              std::to_string(b.column) + ": " + std::string(e.description()));
  }
  Loader loader{std::string(path)};
  return loader.Load(root);
}

Result<Contract> LoadContract(const std::string& path, const FileSystem& fs) {
  DAS_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  return ParseContract(text, path);
}

Status CheckCodeLists(const Contract& contract, const CodeListSet& lists) {
  for (const Column& col : contract.columns) {
    if (col.codelist.empty() || lists.Find(col.codelist) != nullptr) continue;
    return Status::NotFound(contract.source_path + ": line " + std::to_string(col.line) + ": column '" + col.name +
                            "': unknown code list '" + col.codelist + "' (no " + col.codelist + ".csv among " +
                            std::to_string(lists.size()) + " source code lists)");
  }
  return Status::Ok();
}

// ---------------------------------------------------------------- ContractSet

bool GlobMatch(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0, star_p = std::string_view::npos, star_n = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_n = n;
    } else if (star_p != std::string_view::npos) {
      p = star_p + 1;
      n = ++star_n;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

Result<ContractSet> ContractSet::LoadDir(const std::string& dir, const FileSystem& fs) {
  DAS_ASSIGN_OR_RETURN(std::vector<std::string> names, fs.ListDir(dir));
  ContractSet set;
  for (const std::string& n : names) {
    if (n.size() <= 5 || n.compare(n.size() - 5, 5, ".toml") != 0) continue;
    std::string path = dir + "/" + n;
    DAS_ASSIGN_OR_RETURN(Contract c, LoadContract(path, fs));
    std::string stem = n.substr(0, n.size() - 5);
    if (stem != c.name && stem != c.Id()) {
      return Status::InvalidArgument(path + ": contract name '" + c.name + "' does not match the file name (expected " +
                                     c.name + ".toml or " + c.Id() + ".toml)");
    }
    DAS_RETURN_IF_ERROR(set.Add(std::move(c)));
  }
  return set;
}

Status ContractSet::Add(Contract c) {
  for (const Contract& other : contracts_) {
    if (other.name == c.name && other.version == c.version) {
      return Status::AlreadyExists(c.source_path + ": contract " + c.Id() + " is also defined in " + other.source_path);
    }
  }
  contracts_.push_back(std::move(c));
  return Status::Ok();
}

Result<const Contract*> ContractSet::Find(std::string_view id) const {
  std::string_view name = id;
  std::optional<int> version;
  if (auto at = id.find('@'); at != std::string_view::npos) {
    name = id.substr(0, at);
    std::string_view v = id.substr(at + 1);
    int n = 0;
    if (v.empty() || v.size() > 4) return Status::InvalidArgument("bad contract id '" + std::string(id) + "' (expected name@version)");
    for (char ch : v) {
      if (ch < '0' || ch > '9') return Status::InvalidArgument("bad contract id '" + std::string(id) + "' (expected name@version)");
      n = n * 10 + (ch - '0');
    }
    version = n;
  }
  const Contract* best = nullptr;
  for (const Contract& c : contracts_) {
    if (c.name != name) continue;
    if (version ? c.version == *version : (best == nullptr || c.version > best->version)) best = &c;
  }
  if (best == nullptr) {
    std::vector<std::string> known;
    for (const Contract& c : contracts_) known.push_back(c.Id());
    return Status::NotFound("no contract '" + std::string(id) + "' (known: " + Join(known) + ")");
  }
  return best;
}

Result<const Contract*> ContractSet::Match(std::string_view file_name, const std::vector<std::string>& header) const {
  if (auto slash = file_name.find_last_of('/'); slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  // score 3: name + header, 2: header only, 1: name only
  int best_score = 0;
  std::vector<const Contract*> best;
  for (const Contract& c : contracts_) {
    bool name_ok = false;
    for (const std::string& p : c.match.file_patterns) name_ok = name_ok || GlobMatch(p, file_name);
    bool header_ok = c.match.header && !header.empty() &&
                     (header == c.Header(Form::kRaw) || header == c.Header(Form::kSealed));
    // A name-only match still counts when no header matches exactly, so that validation can report what is
    // wrong with the header (missing, extra, misspelt columns) in the delivery's receipt.
    int score = name_ok && header_ok ? 3 : header_ok ? 2 : name_ok ? 1 : 0;
    if (score == 0) continue;
    if (score > best_score) {
      best_score = score;
      best.clear();
    }
    if (score == best_score) best.push_back(&c);
  }
  if (best.empty()) {
    return Status::NotFound("no contract matches '" + std::string(file_name) + "' with header '" +
                            Join(header, std::string(1, ',')).substr(0, 200) + "'");
  }
  const Contract* pick = best[0];
  for (const Contract* c : best) {
    if (c->name != pick->name) {
      return Status::FailedPrecondition("'" + std::string(file_name) + "' matches both " + pick->Id() + " and " +
                                        c->Id() + "; name the contract explicitly");
    }
    if (c->version > pick->version) pick = c;
  }
  return pick;
}

}  // namespace das::contract
