// StatsConfig::Load: config/stats/tabellen.toml and normen.toml (the only TU of A's part that includes toml++).
#include <algorithm>
#include <toml++/toml.h>

#include <set>

#include "das/stats/stats.h"

namespace das::stats {
namespace {

struct Ctx {
  std::string file;
  std::string Where(const toml::node& n) const {
    std::string s = file;
    if (n.source().begin.line > 0) s += ": line " + std::to_string(n.source().begin.line);
    return s;
  }
};

Status Err(const Ctx& c, const toml::node& n, std::string_view what, const std::string& msg) {
  return Status::ParseError(c.Where(n) + ": " + std::string(what) + ": " + msg);
}

// A required (or optional with fallback) string key of table `t`.
Result<std::string> Str(const Ctx& c, const toml::table& t, std::string_view what, std::string_view key,
                        bool required, std::string fallback = {}) {
  const toml::node* n = t.get(key);
  if (n == nullptr) {
    if (required) return Err(c, t, what, "missing key '" + std::string(key) + "'");
    return fallback;
  }
  if (!n->is_string()) return Err(c, *n, what, "'" + std::string(key) + "' must be a string");
  return n->as_string()->get();
}

Result<double> Num(const Ctx& c, const toml::table& t, std::string_view what, std::string_view key, double fallback) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return fallback;
  if (n->is_integer()) return static_cast<double>(n->as_integer()->get());
  if (n->is_floating_point()) return n->as_floating_point()->get();
  return Err(c, *n, what, "'" + std::string(key) + "' must be a number");
}

Status CheckKeys(const Ctx& c, const toml::table& t, std::string_view what, const std::set<std::string>& allowed) {
  for (const auto& [k, v] : t) {
    if (allowed.count(std::string(k.str())) == 0) {
      return Err(c, v, what, "unknown key '" + std::string(k.str()) + "'");
    }
  }
  return Status::Ok();
}

Result<std::vector<Code>> CodeArray(const Ctx& c, const toml::table& t, std::string_view what, std::string_view key) {
  std::vector<Code> out;
  const toml::node* n = t.get(key);
  if (n == nullptr) return out;
  const toml::array* arr = n->as_array();
  if (arr == nullptr) return Err(c, *n, what, "'" + std::string(key) + "' must be an array of tables");
  std::set<std::string> seen;
  for (const toml::node& e : *arr) {
    const toml::table* et = e.as_table();
    if (et == nullptr) return Err(c, e, what, "'" + std::string(key) + "' entries must be tables {code, title_nl, title_en}");
    DAS_RETURN_IF_ERROR(CheckKeys(c, *et, what, {"code", "title_nl", "title_en", "description_nl", "description_en"}));
    Code code;
    DAS_ASSIGN_OR_RETURN(code.code, Str(c, *et, what, "code", true));
    DAS_ASSIGN_OR_RETURN(code.title_nl, Str(c, *et, what, "title_nl", true));
    DAS_ASSIGN_OR_RETURN(code.title_en, Str(c, *et, what, "title_en", false, code.title_nl));
    DAS_ASSIGN_OR_RETURN(code.description_nl, Str(c, *et, what, "description_nl", false));
    DAS_ASSIGN_OR_RETURN(code.description_en, Str(c, *et, what, "description_en", false));
    if (code.code.empty()) return Err(c, e, what, "empty code in '" + std::string(key) + "'");
    if (!seen.insert(code.code).second) return Err(c, e, what, "duplicate code '" + code.code + "'");
    out.push_back(std::move(code));
  }
  return out;
}

void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  for (std::size_t pos = 0; (pos = s->find(from, pos)) != std::string::npos; pos += to.size()) {
    s->replace(pos, from.size(), to);
  }
}

std::string Expand(std::string s, const StageDef* st) {
  if (st == nullptr) return s;
  ReplaceAll(&s, "{stem}", st->stem);
  ReplaceAll(&s, "{stage}", st->stage);
  ReplaceAll(&s, "{unit_nl}", st->unit_nl);
  ReplaceAll(&s, "{unit_en}", st->unit_en);
  return s;
}

Result<StageDef> ParseStage(const Ctx& c, const toml::table& t) {
  StageDef s;
  std::string what = "stage";
  DAS_ASSIGN_OR_RETURN(s.stage, Str(c, t, what, "stage", true));
  what = "stage '" + s.stage + "'";
  DAS_RETURN_IF_ERROR(CheckKeys(c, t, what, {"stage", "stem", "theme", "unit_nl", "unit_en", "exit_codelist",
                                             "exit_types", "unit_codelist", "unit_types"}));
  DAS_ASSIGN_OR_RETURN(s.stem, Str(c, t, what, "stem", true));
  DAS_ASSIGN_OR_RETURN(s.theme, Str(c, t, what, "theme", true));
  DAS_ASSIGN_OR_RETURN(s.unit_nl, Str(c, t, what, "unit_nl", true));
  DAS_ASSIGN_OR_RETURN(s.unit_en, Str(c, t, what, "unit_en", false, s.unit_nl));
  DAS_ASSIGN_OR_RETURN(s.exit_codelist, Str(c, t, what, "exit_codelist", false));
  DAS_ASSIGN_OR_RETURN(s.unit_codelist, Str(c, t, what, "unit_codelist", false));
  DAS_ASSIGN_OR_RETURN(s.exit_types, CodeArray(c, t, what, "exit_types"));
  DAS_ASSIGN_OR_RETURN(s.unit_types, CodeArray(c, t, what, "unit_types"));
  if (!s.exit_codelist.empty() && !s.exit_types.empty()) {
    return Err(c, t, what, "give either 'exit_codelist' or 'exit_types', not both");
  }
  if (!s.unit_codelist.empty() && !s.unit_types.empty()) {
    return Err(c, t, what, "give either 'unit_codelist' or 'unit_types', not both");
  }
  return s;
}

const std::set<std::string> kFlowDims = {"Perioden", "RegioS", "Delict", "Leeftijd", "Geslacht", "Bestemming", "Soort"};
const std::set<std::string> kThroughputDims = {"Perioden", "Traject", "Methode"};
const std::set<std::string> kStatistics = {"aantal", "mediaan", "p80", "p90", "binnen_norm", "norm"};

Status CheckDimension(const Ctx& c, const toml::node& n, const std::string& what, TableKind kind, const DimensionDef& d) {
  const auto& allowed = kind == TableKind::kFlow ? kFlowDims : kThroughputDims;
  if (allowed.count(d.id) == 0) return Err(c, n, what, "unknown dimension '" + d.id + "' for this kind of table");
  auto bad_level = [&](const char* expected) {
    return Err(c, n, what, "dimension '" + d.id + "': level '" + d.level + "' (expected " + expected + ")");
  };
  if (d.id == "Perioden" && d.level != "jaar" && d.level != "kwartaal" && d.level != "maand") {
    return bad_level("jaar, kwartaal or maand");
  }
  if (d.id == "RegioS" && d.level != "land" && d.level != "provincie" && d.level != "gemeente" && d.level != "politie") {
    return bad_level("land, provincie, gemeente or politie");
  }
  if (d.id == "Delict" && d.level != "1" && d.level != "2" && d.level != "3") return bad_level("1, 2 or 3");
  if (d.id == "Leeftijd" && d.level != "groep" && d.level != "minderjarig") return bad_level("groep or minderjarig");
  if (kind == TableKind::kThroughput && d.id == "Perioden" && d.level != "jaar") {
    return Err(c, n, what, "throughput tables are yearly: Perioden level must be 'jaar'");
  }
  return Status::Ok();
}

// Parses one [[table]] into one TableDef per stage it applies to.
Status ParseTable(const Ctx& c, const toml::table& t, const std::vector<StageDef>& stages, std::vector<TableDef>* out) {
  std::string what = "table";
  DAS_ASSIGN_OR_RETURN(std::string id, Str(c, t, what, "id", true));
  what = "table '" + id + "'";
  DAS_RETURN_IF_ERROR(CheckKeys(c, t, what, {"id", "stages", "kind", "title_nl", "title_en", "description_nl",
                                             "description_en", "theme", "protection", "dimensions", "topic"}));
  TableDef def;
  def.line = static_cast<int>(t.source().begin.line);
  DAS_ASSIGN_OR_RETURN(std::string kind, Str(c, t, what, "kind", true));
  if (kind == "flow") def.kind = TableKind::kFlow;
  else if (kind == "doorlooptijd") def.kind = TableKind::kThroughput;
  else return Err(c, t, what, "kind '" + kind + "' is not flow or doorlooptijd");
  DAS_ASSIGN_OR_RETURN(def.title_nl, Str(c, t, what, "title_nl", true));
  DAS_ASSIGN_OR_RETURN(def.title_en, Str(c, t, what, "title_en", false, def.title_nl));
  DAS_ASSIGN_OR_RETURN(def.description_nl, Str(c, t, what, "description_nl", false));
  DAS_ASSIGN_OR_RETURN(def.description_en, Str(c, t, what, "description_en", false));
  DAS_ASSIGN_OR_RETURN(def.theme, Str(c, t, what, "theme", false));
  DAS_ASSIGN_OR_RETURN(def.protection, Str(c, t, what, "protection", false));

  const toml::array* dims = t.get("dimensions") != nullptr ? t.get("dimensions")->as_array() : nullptr;
  if (dims == nullptr || dims->empty()) return Err(c, t, what, "'dimensions' must be a non-empty array");
  std::set<std::string> seen_dims;
  for (const toml::node& dn : *dims) {
    const toml::table* dt = dn.as_table();
    if (dt == nullptr) return Err(c, dn, what, "'dimensions' entries must be tables {id, level, hierarchy}");
    DAS_RETURN_IF_ERROR(CheckKeys(c, *dt, what, {"id", "level", "hierarchy"}));
    DimensionDef d;
    DAS_ASSIGN_OR_RETURN(d.id, Str(c, *dt, what, "id", true));
    DAS_ASSIGN_OR_RETURN(d.level, Str(c, *dt, what, "level", false));
    if (const toml::node* h = dt->get("hierarchy")) {
      if (!h->is_boolean()) return Err(c, *h, what, "'hierarchy' must be true or false");
      d.hierarchy = h->as_boolean()->get();
    }
    if (d.level.empty()) {
      if (d.id == "Perioden") d.level = "jaar";
      else if (d.id == "RegioS") d.level = "gemeente";
      else if (d.id == "Delict") d.level = "3";
      else if (d.id == "Leeftijd") d.level = "groep";
    }
    DAS_RETURN_IF_ERROR(CheckDimension(c, dn, what, def.kind, d));
    if (!seen_dims.insert(d.id).second) return Err(c, dn, what, "dimension '" + d.id + "' given twice");
    def.dims.push_back(std::move(d));
  }
  if (def.dims.front().id != "Perioden") return Err(c, t, what, "the first dimension must be 'Perioden'");
  if (def.kind == TableKind::kThroughput && (seen_dims.count("Traject") == 0 || seen_dims.count("Methode") == 0)) {
    return Err(c, t, what, "a doorlooptijd table needs the dimensions Traject and Methode");
  }

  const toml::array* topics = t.get("topic") != nullptr ? t.get("topic")->as_array() : nullptr;
  if (topics == nullptr || topics->empty()) return Err(c, t, what, "no [[table.topic]]");
  std::set<std::string> seen_topics;
  for (const toml::node& tn : *topics) {
    const toml::table* tt = tn.as_table();
    if (tt == nullptr) return Err(c, tn, what, "topics must be tables");
    TopicDef tp;
    DAS_ASSIGN_OR_RETURN(tp.id, Str(c, *tt, what, "id", true));
    const std::string twhat = what + ": topic '" + tp.id + "'";
    DAS_RETURN_IF_ERROR(CheckKeys(c, *tt, twhat, {"id", "measure", "statistic", "title_nl", "title_en", "description_nl",
                                                  "description_en", "unit", "decimals", "definition"}));
    if (!seen_topics.insert(tp.id).second) return Err(c, tn, what, "duplicate topic '" + tp.id + "'");
    DAS_ASSIGN_OR_RETURN(tp.title_nl, Str(c, *tt, twhat, "title_nl", true));
    DAS_ASSIGN_OR_RETURN(tp.title_en, Str(c, *tt, twhat, "title_en", false, tp.title_nl));
    DAS_ASSIGN_OR_RETURN(tp.description_nl, Str(c, *tt, twhat, "description_nl", false));
    DAS_ASSIGN_OR_RETURN(tp.description_en, Str(c, *tt, twhat, "description_en", false));
    DAS_ASSIGN_OR_RETURN(tp.unit, Str(c, *tt, twhat, "unit", false, "aantal"));
    DAS_ASSIGN_OR_RETURN(tp.definition, Str(c, *tt, twhat, "definition", true));
    DAS_ASSIGN_OR_RETURN(double dec, Num(c, *tt, twhat, "decimals", 0));
    if (dec < 0 || dec > 6 || dec != static_cast<int>(dec)) return Err(c, tn, twhat, "'decimals' must be 0..6");
    tp.decimals = static_cast<int>(dec);
    if (def.kind == TableKind::kFlow) {
      DAS_ASSIGN_OR_RETURN(std::string m, Str(c, *tt, twhat, "measure", true));
      if (m == "instroom") tp.measure = FlowMeasure::kInflow;
      else if (m == "uitstroom") tp.measure = FlowMeasure::kOutflow;
      else if (m == "voorraad") tp.measure = FlowMeasure::kStock;
      else return Err(c, tn, twhat, "unknown measure '" + m + "' (expected instroom, uitstroom or voorraad)");
      if (tt->get("statistic") != nullptr) return Err(c, tn, twhat, "'statistic' belongs to doorlooptijd tables");
      if (seen_dims.count("Bestemming") != 0 && tp.measure != FlowMeasure::kOutflow) {
        return Err(c, tn, twhat, "a table with dimension Bestemming can only have uitstroom topics");
      }
    } else {
      DAS_ASSIGN_OR_RETURN(tp.statistic, Str(c, *tt, twhat, "statistic", true));
      if (kStatistics.count(tp.statistic) == 0) {
        return Err(c, tn, twhat, "unknown statistic '" + tp.statistic +
                                     "' (expected aantal, mediaan, p80, p90, binnen_norm or norm)");
      }
      if (tt->get("measure") != nullptr) return Err(c, tn, twhat, "'measure' belongs to flow tables");
    }
    def.topics.push_back(std::move(tp));
  }
  if (def.kind == TableKind::kThroughput) {
    if (t.get("stages") != nullptr) return Err(c, t, what, "'stages' belongs to flow tables");
    if (def.topics.front().statistic != "aantal") {
      return Err(c, t, what, "the first topic of a doorlooptijd table must be the statistic 'aantal' (the basis n)");
    }
    def.id = id;
    out->push_back(std::move(def));
    return Status::Ok();
  }
  // Flow table: expand over its stages.
  std::vector<const StageDef*> applies;
  const toml::node* sn = t.get("stages");
  if (sn == nullptr) return Err(c, t, what, "missing key 'stages' (\"*\" or a list of stages)");
  if (sn->is_string() && sn->as_string()->get() == "*") {
    for (const StageDef& s : stages) applies.push_back(&s);
  } else if (const toml::array* sa = sn->as_array()) {
    for (const toml::node& e : *sa) {
      if (!e.is_string()) return Err(c, e, what, "'stages' entries must be strings");
      const std::string name = e.as_string()->get();
      const StageDef* found = nullptr;
      for (const StageDef& s : stages) {
        if (s.stage == name) found = &s;
      }
      if (found == nullptr) return Err(c, e, what, "unknown stage '" + name + "' (not a [[stage]])");
      applies.push_back(found);
    }
  } else {
    return Err(c, *sn, what, "'stages' must be \"*\" or a list of stages");
  }
  if (applies.size() > 1 && id.find("{stem}") == std::string::npos && id.find("{stage}") == std::string::npos) {
    return Err(c, t, what, "a table for several stages needs {stem} or {stage} in its id");
  }
  for (const StageDef* st : applies) {
    TableDef e = def;
    e.id = Expand(id, st);
    e.stage = st->stage;
    e.title_nl = Expand(e.title_nl, st);
    e.title_en = Expand(e.title_en, st);
    e.description_nl = Expand(e.description_nl, st);
    e.description_en = Expand(e.description_en, st);
    if (e.theme.empty()) e.theme = st->theme;
    for (TopicDef& tp : e.topics) {
      tp.description_nl = Expand(tp.description_nl, st);
      tp.description_en = Expand(tp.description_en, st);
    }
    out->push_back(std::move(e));
  }
  return Status::Ok();
}

Result<TrajectDef> ParseTraject(const Ctx& c, const toml::table& t) {
  TrajectDef tr;
  std::string what = "traject";
  DAS_ASSIGN_OR_RETURN(tr.code, Str(c, t, what, "code", true));
  what = "traject '" + tr.code + "'";
  DAS_RETURN_IF_ERROR(CheckKeys(c, t, what, {"code", "title_nl", "title_en", "stage", "unit_type", "from", "to",
                                             "norm_days", "norm_share", "bron"}));
  DAS_ASSIGN_OR_RETURN(tr.title_nl, Str(c, t, what, "title_nl", true));
  DAS_ASSIGN_OR_RETURN(tr.title_en, Str(c, t, what, "title_en", false, tr.title_nl));
  DAS_ASSIGN_OR_RETURN(tr.stage, Str(c, t, what, "stage", false));
  DAS_ASSIGN_OR_RETURN(tr.unit_type, Str(c, t, what, "unit_type", false));
  DAS_ASSIGN_OR_RETURN(tr.from_event, Str(c, t, what, "from", false));
  DAS_ASSIGN_OR_RETURN(tr.to_event, Str(c, t, what, "to", false));
  DAS_ASSIGN_OR_RETURN(tr.norm_days, Num(c, t, what, "norm_days", -1));
  DAS_ASSIGN_OR_RETURN(tr.norm_share, Num(c, t, what, "norm_share", -1));
  DAS_ASSIGN_OR_RETURN(tr.norm_source, Str(c, t, what, "bron", false));
  const bool end_to_end = !tr.from_event.empty() || !tr.to_event.empty();
  if (tr.stage.empty() == !end_to_end) {
    return Err(c, t, what, "give either 'stage' (within a stage) or 'from' and 'to' (between events)");
  }
  if (end_to_end && (tr.from_event.empty() || tr.to_event.empty())) {
    return Err(c, t, what, "an end-to-end traject needs both 'from' and 'to'");
  }
  if (end_to_end && !tr.unit_type.empty()) return Err(c, t, what, "'unit_type' only applies to a within-stage traject");
  if (t.get("norm_days") != nullptr && tr.norm_days < 0) return Err(c, t, what, "'norm_days' must be >= 0");
  if (t.get("norm_share") != nullptr && (tr.norm_share < 0 || tr.norm_share > 100)) {
    return Err(c, t, what, "'norm_share' must be in 0..100");
  }
  if (tr.norm_share >= 0 && tr.norm_days < 0) return Err(c, t, what, "'norm_share' without 'norm_days'");
  return tr;
}

Result<toml::table> ParseFile(const std::string& path, const FileSystem& fs) {
  DAS_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Status::ParseError(path + ": line " + std::to_string(e.source().begin.line) + ", column " +
                              std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
  }
}

}  // namespace

std::vector<const TableDef*> StatsConfig::Tables(TableKind kind, const std::vector<std::string>& only) const {
  std::vector<const TableDef*> defs;
  for (const TableDef& t : tables) {
    if (t.kind != kind) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), t.id) == only.end()) continue;
    defs.push_back(&t);
  }
  return defs;
}

const StageDef* StatsConfig::FindStage(const std::string& stage) const {
  for (const StageDef& s : stages) {
    if (s.stage == stage) return &s;
  }
  return nullptr;
}

Result<StatsConfig> StatsConfig::Load(const std::string& dir, const FileSystem& fs) {
  StatsConfig cfg;
  cfg.dir = dir;
  {
    Ctx c{dir + "/tabellen.toml"};
    DAS_ASSIGN_OR_RETURN(toml::table root, ParseFile(c.file, fs));
    DAS_RETURN_IF_ERROR(CheckKeys(c, root, "top level", {"stage", "table"}));
    if (const toml::node* sn = root.get("stage")) {
      const toml::array* arr = sn->as_array();
      if (arr == nullptr) return Err(c, *sn, "stage", "must be [[stage]] tables");
      for (const toml::node& n : *arr) {
        if (!n.is_table()) return Err(c, n, "stage", "must be [[stage]] tables");
        DAS_ASSIGN_OR_RETURN(StageDef s, ParseStage(c, *n.as_table()));
        if (cfg.FindStage(s.stage) != nullptr) return Err(c, n, "stage '" + s.stage + "'", "declared twice");
        cfg.stages.push_back(std::move(s));
      }
    }
    const toml::node* tn = root.get("table");
    if (tn == nullptr || tn->as_array() == nullptr) return Err(c, root, "top level", "no [[table]]");
    for (const toml::node& n : *tn->as_array()) {
      if (!n.is_table()) return Err(c, n, "table", "must be [[table]] tables");
      DAS_RETURN_IF_ERROR(ParseTable(c, *n.as_table(), cfg.stages, &cfg.tables));
    }
    std::set<std::string> ids;
    for (const TableDef& t : cfg.tables) {
      if (!ids.insert(t.id).second) {
        return Status::ParseError(c.file + ": line " + std::to_string(t.line) + ": table '" + t.id + "': duplicate table id");
      }
    }
  }
  {
    Ctx c{dir + "/normen.toml"};
    DAS_ASSIGN_OR_RETURN(toml::table root, ParseFile(c.file, fs));
    DAS_RETURN_IF_ERROR(CheckKeys(c, root, "top level", {"traject"}));
    const toml::node* tn = root.get("traject");
    if (tn == nullptr || tn->as_array() == nullptr) return Err(c, root, "top level", "no [[traject]]");
    std::set<std::string> codes;
    for (const toml::node& n : *tn->as_array()) {
      if (!n.is_table()) return Err(c, n, "traject", "must be [[traject]] tables");
      DAS_ASSIGN_OR_RETURN(TrajectDef tr, ParseTraject(c, *n.as_table()));
      if (!codes.insert(tr.code).second) return Err(c, n, "traject '" + tr.code + "'", "duplicate code");
      if (tr.within_stage() && cfg.FindStage(tr.stage) == nullptr) {
        return Err(c, n, "traject '" + tr.code + "'", "unknown stage '" + tr.stage + "' (not a [[stage]] of tabellen.toml)");
      }
      cfg.trajects.push_back(std::move(tr));
    }
  }
  return cfg;
}

}  // namespace das::stats
