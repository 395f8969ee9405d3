// RulesConfig: TOML rules per table (the only TU of das_protect that includes toml++).
#include <toml++/toml.h>

#include "das/protect/protect.h"

namespace das::protect {
namespace {

std::string Where(std::string_view file, const toml::node& n) {
  std::string s(file);
  if (n.source().begin.line > 0) s += ": line " + std::to_string(n.source().begin.line);
  return s;
}

Result<double> Number(std::string_view file, std::string_view key, const toml::node& n) {
  if (n.is_integer()) return static_cast<double>(n.as_integer()->get());
  if (n.is_floating_point()) return n.as_floating_point()->get();
  return Status::ParseError(Where(file, n) + ": '" + std::string(key) + "' must be a number");
}

Result<int> Int(std::string_view file, std::string_view key, const toml::node& n, int min) {
  if (!n.is_integer()) return Status::ParseError(Where(file, n) + ": '" + std::string(key) + "' must be an integer");
  const std::int64_t v = n.as_integer()->get();
  if (v < min || v > 1000000000) {
    return Status::ParseError(Where(file, n) + ": '" + std::string(key) + "' = " + std::to_string(v) +
                              " out of range (>= " + std::to_string(min) + ")");
  }
  return static_cast<int>(v);
}

Result<std::string> Str(std::string_view file, std::string_view key, const toml::node& n) {
  if (!n.is_string()) return Status::ParseError(Where(file, n) + ": '" + std::string(key) + "' must be a string");
  return n.as_string()->get();
}

Status Apply(std::string_view file, const toml::table& t, TableRules* r) {
  for (const auto& [k, v] : t) {
    const std::string key(k.str());
    if (key == "kind") {
      DAS_ASSIGN_OR_RETURN(std::string s, Str(file, key, v));
      if (s == "count") r->kind = TableKind::kCount;
      else if (s == "amount") r->kind = TableKind::kAmount;
      else return Status::ParseError(Where(file, v) + ": kind '" + s + "' is not count or amount");
    } else if (key == "frequency_max_n") {
      DAS_ASSIGN_OR_RETURN(r->frequency_max_n, Int(file, key, v, 0));
    } else if (key == "frequency_range_percent") {
      DAS_ASSIGN_OR_RETURN(r->frequency_range_percent, Number(file, key, v));
    } else if (key == "dominance_n") {
      DAS_ASSIGN_OR_RETURN(r->dominance_n, Int(file, key, v, 1));
      if (r->dominance_n > 2) return Status::ParseError(Where(file, v) + ": dominance_n must be 1 or 2");
    } else if (key == "dominance_k") {
      DAS_ASSIGN_OR_RETURN(r->dominance_k, Number(file, key, v));
      if (r->dominance_k < 0 || r->dominance_k > 100) {
        return Status::ParseError(Where(file, v) + ": dominance_k must be in 0..100");
      }
    } else if (key == "p_percent") {
      DAS_ASSIGN_OR_RETURN(r->p_percent, Number(file, key, v));
      if (r->p_percent < 0) return Status::ParseError(Where(file, v) + ": p_percent must be >= 0");
    } else if (key == "count_lower_protection") {
      DAS_ASSIGN_OR_RETURN(r->count_lower_protection, Int(file, key, v, 0));
    } else if (key == "method") {
      DAS_ASSIGN_OR_RETURN(std::string s, Str(file, key, v));
      if (s == "ckm") r->value_method = ValueMethod::kCellKey;
      else if (s == "round") r->value_method = ValueMethod::kRound;
      else if (s == "none") r->value_method = ValueMethod::kNone;
      else return Status::ParseError(Where(file, v) + ": method '" + s + "' is not ckm, round or none");
    } else if (key == "round_base") {
      DAS_ASSIGN_OR_RETURN(r->round_base, Int(file, key, v, 1));
    } else if (key == "secondary") {
      DAS_ASSIGN_OR_RETURN(std::string s, Str(file, key, v));
      if (s == "heuristic") r->secondary = SecondaryMethod::kHeuristic;
      else if (s == "optimal") r->secondary = SecondaryMethod::kOptimal;
      else if (s == "none") r->secondary = SecondaryMethod::kNone;
      else return Status::ParseError(Where(file, v) + ": secondary '" + s + "' is not heuristic, optimal or none");
    } else if (key == "optimal_max_cells") {
      DAS_ASSIGN_OR_RETURN(int m, Int(file, key, v, 1));
      r->optimal_max_cells = static_cast<std::size_t>(m);
    } else if (key == "audit_max_cells") {
      DAS_ASSIGN_OR_RETURN(int m, Int(file, key, v, 0));
      r->audit_max_cells = static_cast<std::size_t>(m);
    } else {
      return Status::ParseError(Where(file, v) + ": unknown key '" + key + "'");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<RulesConfig> RulesConfig::Parse(std::string_view text, std::string_view file) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    return Status::ParseError(std::string(file) + ": line " + std::to_string(e.source().begin.line) + ", column " +
                              std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
  RulesConfig c;
  for (const auto& [k, v] : root) {
    if (k.str() != "default" && k.str() != "table" && k.str() != "release") {
      return Status::ParseError(Where(file, v) + ": unknown section '" + std::string(k.str()) + "'");
    }
    if (!v.is_table()) return Status::ParseError(Where(file, v) + ": '" + std::string(k.str()) + "' must be a table");
  }
  if (const toml::table* d = root["default"].as_table()) DAS_RETURN_IF_ERROR(Apply(file, *d, &c.default_));
  c.default_.name = "default";
  if (const toml::table* rel = root["release"].as_table()) {
    for (const auto& [k, v] : *rel) {
      if (k.str() != "joint_audit_max_vars") {
        return Status::ParseError(Where(file, v) + ": unknown key 'release." + std::string(k.str()) + "'");
      }
      const auto n = v.value<std::int64_t>();
      if (!n || *n < 0) {
        return Status::ParseError(Where(file, v) + ": release.joint_audit_max_vars must be a whole number >= 0");
      }
      c.joint_audit_max_vars_ = static_cast<std::size_t>(*n);
    }
  }
  if (const toml::table* tables = root["table"].as_table()) {
    for (const auto& [k, v] : *tables) {
      if (!v.is_table()) {
        return Status::ParseError(Where(file, v) + ": table." + std::string(k.str()) + " must be a table");
      }
      TableRules r = c.default_;
      r.name = std::string(k.str());
      DAS_RETURN_IF_ERROR(Apply(file, *v.as_table(), &r));
      c.tables_.push_back(std::move(r));
    }
  }
  return c;
}

TableRules RulesConfig::For(std::string_view name) const {
  for (const TableRules& r : tables_) {
    if (r.name == name) return r;
  }
  TableRules r = default_;
  r.name = std::string(name);
  return r;
}

std::vector<std::string> RulesConfig::TableNames() const {
  std::vector<std::string> names;
  for (const TableRules& r : tables_) names.push_back(r.name);
  return names;
}

}  // namespace das::protect
