// Differences between two releases: tables, cells (value or state), and the provenance that explains them.
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "das/release/build.h"

namespace das::release {
namespace {

using json = nlohmann::ordered_json;

std::string CoordKey(const PublishedTable& t, std::size_t i) {
  std::string k;
  for (std::size_t d = 0; d < t.dims.size(); ++d) {
    k += t.dims[d].id + "=" + t.dims[d].codes[static_cast<std::size_t>(t.CodeOf(i, d))].code + ";";
  }
  return k;
}

bool SameStructure(const PublishedTable& a, const PublishedTable& b) {
  if (a.dims.size() != b.dims.size() || a.measures.size() != b.measures.size()) return false;
  for (std::size_t d = 0; d < a.dims.size(); ++d) {
    if (a.dims[d].id != b.dims[d].id || a.dims[d].codes.size() != b.dims[d].codes.size()) return false;
    for (std::size_t c = 0; c < a.dims[d].codes.size(); ++c) {
      if (a.dims[d].codes[c].code != b.dims[d].codes[c].code) return false;
    }
  }
  for (std::size_t m = 0; m < a.measures.size(); ++m) {
    if (a.measures[m].id != b.measures[m].id) return false;
  }
  return true;
}

TableChange CompareTables(const PublishedTable& a, const PublishedTable& b) {
  TableChange ch;
  ch.table = a.id;
  ch.structure_changed = !SameStructure(a, b);
  auto coords = [](const PublishedTable& t, std::size_t i) {
    std::vector<std::string> c;
    for (std::size_t d = 0; d < t.dims.size(); ++d) {
      c.push_back(t.dims[d].codes[static_cast<std::size_t>(t.CodeOf(i, d))].code);
    }
    return c;
  };
  auto note = [&](const std::string& measure, std::vector<std::string> c, std::string before, std::string after) {
    if (ch.examples.size() < ReleaseDiff::kMaxExamples) {
      ch.examples.push_back(CellChange{measure, std::move(c), std::move(before), std::move(after)});
    }
  };
  if (!ch.structure_changed) {
    for (std::size_t i = 0; i < a.num_cells(); ++i) {
      for (std::size_t m = 0; m < a.measures.size(); ++m) {
        std::string x = a.Untyped(m, i), y = b.Untyped(m, i);
        if (x == y) continue;
        ++ch.cells_changed;
        note(a.measures[m].id, coords(a, i), std::move(x), std::move(y));
      }
    }
    return ch;
  }
  // Different structure: match cells by coordinates and topics by id.
  std::unordered_map<std::string, std::size_t> b_cell;
  for (std::size_t i = 0; i < b.num_cells(); ++i) b_cell.emplace(CoordKey(b, i), i);
  std::map<std::string, std::size_t> b_measure;
  for (std::size_t m = 0; m < b.measures.size(); ++m) b_measure.emplace(b.measures[m].id, m);
  std::set<std::string> a_keys;
  for (std::size_t i = 0; i < a.num_cells(); ++i) {
    const std::string key = CoordKey(a, i);
    a_keys.insert(key);
    auto it = b_cell.find(key);
    for (std::size_t m = 0; m < a.measures.size(); ++m) {
      auto bm = b_measure.find(a.measures[m].id);
      if (it == b_cell.end() || bm == b_measure.end()) {
        ++ch.cells_removed;
        note(a.measures[m].id, coords(a, i), a.Untyped(m, i), "");
        continue;
      }
      std::string x = a.Untyped(m, i), y = b.Untyped(bm->second, it->second);
      if (x == y) continue;
      ++ch.cells_changed;
      note(a.measures[m].id, coords(a, i), std::move(x), std::move(y));
    }
  }
  std::set<std::string> a_measures;
  for (const stats::MeasureSpec& m : a.measures) a_measures.insert(m.id);
  for (std::size_t i = 0; i < b.num_cells(); ++i) {
    const bool cell_new = a_keys.count(CoordKey(b, i)) == 0;
    for (std::size_t m = 0; m < b.measures.size(); ++m) {
      if (!cell_new && a_measures.count(b.measures[m].id) > 0) continue;
      ++ch.cells_added;
      note(b.measures[m].id, coords(b, i), "", b.Untyped(m, i));
    }
  }
  return ch;
}

}  // namespace

ReleaseDiff Diff(const Release& a, const Release& b) {
  ReleaseDiff d;
  d.a = a.manifest.release_id;
  d.b = b.manifest.release_id;
  for (const auto& t : a.tables) {
    const PublishedTable* o = b.Find(t->id);
    if (o == nullptr) {
      d.tables_removed.push_back(t->id);
      continue;
    }
    if (o->content_sha256 == t->content_sha256 && SameStructure(*t, *o)) continue;
    TableChange ch = CompareTables(*t, *o);
    if (ch.structure_changed || ch.cells_changed > 0 || ch.cells_added > 0 || ch.cells_removed > 0) {
      d.tables_changed.push_back(std::move(ch));
    }
  }
  for (const auto& t : b.tables) {
    if (a.Find(t->id) == nullptr) d.tables_added.push_back(t->id);
  }
  // Inputs keyed by (dataset, period, file).
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, std::string> ia, ib;
  for (const Manifest::Input& in : a.manifest.inputs) ia[{in.dataset, in.period, in.file}] = in.sha256;
  for (const Manifest::Input& in : b.manifest.inputs) ib[{in.dataset, in.period, in.file}] = in.sha256;
  for (const auto& [k, sha] : ia) {
    auto it = ib.find(k);
    if (it == ib.end()) {
      d.inputs.push_back({std::get<0>(k), std::get<2>(k), std::get<1>(k), "removed", sha, ""});
    } else if (it->second != sha) {
      d.inputs.push_back({std::get<0>(k), std::get<2>(k), std::get<1>(k), "changed", sha, it->second});
    }
  }
  for (const auto& [k, sha] : ib) {
    if (ia.count(k) == 0) d.inputs.push_back({std::get<0>(k), std::get<2>(k), std::get<1>(k), "added", "", sha});
  }
  d.horizon_a = a.manifest.horizon;
  d.horizon_b = b.manifest.horizon;
  d.horizon_changed = d.horizon_a != d.horizon_b;
  d.config_a = a.manifest.config_sha256;
  d.config_b = b.manifest.config_sha256;
  d.config_changed = d.config_a != d.config_b;
  d.code_a = a.manifest.code_version;
  d.code_b = b.manifest.code_version;
  d.code_changed = d.code_a != d.code_b;
  std::set<std::string> keys;
  for (const auto& [k, v] : a.manifest.parameters) keys.insert(k);
  for (const auto& [k, v] : b.manifest.parameters) keys.insert(k);
  for (const std::string& k : keys) {
    auto x = a.manifest.parameters.find(k);
    auto y = b.manifest.parameters.find(k);
    std::string vx = x == a.manifest.parameters.end() ? "" : x->second;
    std::string vy = y == b.manifest.parameters.end() ? "" : y->second;
    if (vx != vy || (x == a.manifest.parameters.end()) != (y == b.manifest.parameters.end())) {
      d.parameters[k] = {vx, vy};
    }
  }
  return d;
}

std::string ReleaseDiff::ToText() const {
  std::string s = "releases " + a + " -> " + b + "\n";
  if (identical_content()) s += "content: identical\n";
  for (const std::string& t : tables_added) s += "table added: " + t + "\n";
  for (const std::string& t : tables_removed) s += "table removed: " + t + "\n";
  for (const TableChange& c : tables_changed) {
    s += "table changed: " + c.table + ": " + std::to_string(c.cells_changed) + " cells changed";
    if (c.cells_added > 0) s += ", " + std::to_string(c.cells_added) + " added";
    if (c.cells_removed > 0) s += ", " + std::to_string(c.cells_removed) + " removed";
    if (c.structure_changed) s += " (dimensions or topics changed)";
    s += "\n";
    for (const CellChange& e : c.examples) {
      s += "  " + e.measure + " [";
      for (std::size_t k = 0; k < e.coords.size(); ++k) s += (k > 0 ? "," : "") + e.coords[k];
      s += "]: " + (e.before.empty() ? std::string("(absent)") : e.before) + " -> " +
           (e.after.empty() ? std::string("(absent)") : e.after) + "\n";
    }
  }
  s += "why:\n";
  bool any = false;
  for (const InputChange& in : inputs) {
    any = true;
    s += "  input " + in.change + ": " + in.dataset + " " + in.period + " " + in.file;
    if (in.change == "changed") s += " (sha256 " + in.before_sha256.substr(0, 12) + " -> " + in.after_sha256.substr(0, 12) + ")";
    s += "\n";
  }
  if (horizon_changed) s += "  horizon: " + horizon_a + " -> " + horizon_b + "\n", any = true;
  if (config_changed) s += "  config: " + config_a.substr(0, 12) + " -> " + config_b.substr(0, 12) + "\n", any = true;
  if (code_changed) s += "  code: " + code_a + " -> " + code_b + "\n", any = true;
  for (const auto& [k, v] : parameters) {
    s += "  parameter " + k + ": " + (v.first.empty() ? "(unset)" : v.first) + " -> " +
         (v.second.empty() ? "(unset)" : v.second) + "\n";
    any = true;
  }
  if (!any) s += "  no difference in inputs, config, code or parameters\n";
  return s;
}

std::string ReleaseDiff::ToJson() const {
  json j;
  j["a"] = a;
  j["b"] = b;
  j["identical_content"] = identical_content();
  j["tables_added"] = tables_added;
  j["tables_removed"] = tables_removed;
  json tc = json::array();
  for (const TableChange& c : tables_changed) {
    json jc;
    jc["table"] = c.table;
    jc["structure_changed"] = c.structure_changed;
    jc["cells_changed"] = c.cells_changed;
    jc["cells_added"] = c.cells_added;
    jc["cells_removed"] = c.cells_removed;
    json ex = json::array();
    for (const CellChange& e : c.examples) {
      json je;
      je["measure"] = e.measure;
      je["coords"] = e.coords;
      je["before"] = e.before.empty() ? json(nullptr) : json(e.before);
      je["after"] = e.after.empty() ? json(nullptr) : json(e.after);
      ex.push_back(std::move(je));
    }
    jc["examples"] = std::move(ex);
    tc.push_back(std::move(jc));
  }
  j["tables_changed"] = std::move(tc);
  json why;
  json ins = json::array();
  for (const InputChange& in : inputs) {
    ins.push_back({{"change", in.change}, {"dataset", in.dataset}, {"period", in.period}, {"file", in.file},
                   {"before_sha256", in.before_sha256}, {"after_sha256", in.after_sha256}});
  }
  why["inputs"] = std::move(ins);
  why["horizon"] = {{"changed", horizon_changed}, {"a", horizon_a}, {"b", horizon_b}};
  why["config_sha256"] = {{"changed", config_changed}, {"a", config_a}, {"b", config_b}};
  why["code_version"] = {{"changed", code_changed}, {"a", code_a}, {"b", code_b}};
  json ps = json::object();
  for (const auto& [k, v] : parameters) ps[k] = {{"a", v.first}, {"b", v.second}};
  why["parameters"] = std::move(ps);
  j["why"] = std::move(why);
  return j.dump(2) + "\n";
}

}  // namespace das::release
