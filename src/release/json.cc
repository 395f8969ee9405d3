// JSON forms of a release: the manifest and the table metadata (the only TU with nlohmann besides diff.cc).
#include <nlohmann/json.hpp>

#include "das/release/build.h"
#include "das/release/release.h"
#include "internal.h"

namespace das::release {
namespace {

using json = nlohmann::ordered_json;

std::string_view KindName(stats::DimensionKind k) {
  switch (k) {
    case stats::DimensionKind::kTime: return "TimeDimension";
    case stats::DimensionKind::kGeo: return "GeoDimension";
    case stats::DimensionKind::kDimension: break;
  }
  return "Dimension";
}

std::string_view MeasureKindName(stats::MeasureKind k) {
  switch (k) {
    case stats::MeasureKind::kAmount: return "amount";
    case stats::MeasureKind::kDerived: return "derived";
    case stats::MeasureKind::kCount: break;
  }
  return "count";
}

json MetaObject(const PublishedTable& t) {
  json j;
  j["id"] = t.id;
  j["title_nl"] = t.title_nl;
  j["title_en"] = t.title_en;
  j["description_nl"] = t.description_nl;
  j["description_en"] = t.description_en;
  j["theme"] = t.theme;
  j["source_stages"] = t.source_stages;
  json dims = json::array();
  for (const stats::DimensionSpec& d : t.dims) {
    json jd;
    jd["id"] = d.id;
    jd["kind"] = KindName(d.kind);
    jd["title_nl"] = d.title_nl;
    jd["title_en"] = d.title_en;
    jd["description_nl"] = d.description_nl;
    jd["description_en"] = d.description_en;
    jd["has_total"] = d.has_total;
    json codes = json::array();
    for (const stats::Code& c : d.codes) {
      json jc;
      jc["code"] = c.code;
      jc["title_nl"] = c.title_nl;
      jc["title_en"] = c.title_en;
      jc["parent"] = c.parent;
      jc["description_nl"] = c.description_nl;
      jc["description_en"] = c.description_en;
      jc["status"] = c.status;
      codes.push_back(std::move(jc));
    }
    jd["codes"] = std::move(codes);
    dims.push_back(std::move(jd));
  }
  j["dims"] = std::move(dims);
  json ms = json::array();
  for (const stats::MeasureSpec& m : t.measures) {
    json jm;
    jm["id"] = m.id;
    jm["title_nl"] = m.title_nl;
    jm["title_en"] = m.title_en;
    jm["description_nl"] = m.description_nl;
    jm["description_en"] = m.description_en;
    jm["unit"] = m.unit;
    jm["decimals"] = m.decimals;
    jm["kind"] = MeasureKindName(m.kind);
    jm["time"] = m.time == stats::TimeSemantics::kStock ? "stock" : "flow";
    jm["cell_key_id"] = m.cell_key_id;
    jm["definition"] = m.definition;
    ms.push_back(std::move(jm));
  }
  j["measures"] = std::move(ms);
  j["protection_summary"] = t.protection_summary;
  j["content_sha256"] = t.content_sha256;
  return j;
}

// Reads a string member; errors name the member and `where`.
Status Get(const json& j, const char* key, std::string* out, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    return Status::Corruption(where + ": member '" + key + "' missing or not a string");
  }
  *out = it->get<std::string>();
  return Status::Ok();
}

}  // namespace

std::string TableMetaJson(const PublishedTable& t) { return MetaObject(t).dump(2) + "\n"; }

namespace internal {

Result<PublishedTable> TableFromMetaJson(const std::string& text, const std::string& where) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption(where + ": metadata is not a JSON object");
  PublishedTable t;
  DAS_RETURN_IF_ERROR(Get(j, "id", &t.id, where));
  DAS_RETURN_IF_ERROR(Get(j, "title_nl", &t.title_nl, where));
  DAS_RETURN_IF_ERROR(Get(j, "title_en", &t.title_en, where));
  DAS_RETURN_IF_ERROR(Get(j, "description_nl", &t.description_nl, where));
  DAS_RETURN_IF_ERROR(Get(j, "description_en", &t.description_en, where));
  DAS_RETURN_IF_ERROR(Get(j, "theme", &t.theme, where));
  DAS_RETURN_IF_ERROR(Get(j, "protection_summary", &t.protection_summary, where));
  DAS_RETURN_IF_ERROR(Get(j, "content_sha256", &t.content_sha256, where));
  try {
    t.source_stages = j.at("source_stages").get<std::vector<std::string>>();
    for (const json& jd : j.at("dims")) {
      stats::DimensionSpec d;
      d.id = jd.at("id").get<std::string>();
      const std::string kind = jd.at("kind").get<std::string>();
      d.kind = kind == "TimeDimension" ? stats::DimensionKind::kTime
               : kind == "GeoDimension" ? stats::DimensionKind::kGeo
                                        : stats::DimensionKind::kDimension;
      d.title_nl = jd.at("title_nl").get<std::string>();
      d.title_en = jd.at("title_en").get<std::string>();
      d.description_nl = jd.at("description_nl").get<std::string>();
      d.description_en = jd.at("description_en").get<std::string>();
      d.has_total = jd.at("has_total").get<bool>();
      for (const json& jc : jd.at("codes")) {
        stats::Code c;
        c.code = jc.at("code").get<std::string>();
        c.title_nl = jc.at("title_nl").get<std::string>();
        c.title_en = jc.at("title_en").get<std::string>();
        c.parent = jc.at("parent").get<std::string>();
        c.description_nl = jc.at("description_nl").get<std::string>();
        c.description_en = jc.at("description_en").get<std::string>();
        c.status = jc.at("status").get<std::string>();
        d.codes.push_back(std::move(c));
      }
      t.dims.push_back(std::move(d));
    }
    for (const json& jm : j.at("measures")) {
      stats::MeasureSpec m;
      m.id = jm.at("id").get<std::string>();
      m.title_nl = jm.at("title_nl").get<std::string>();
      m.title_en = jm.at("title_en").get<std::string>();
      m.description_nl = jm.at("description_nl").get<std::string>();
      m.description_en = jm.at("description_en").get<std::string>();
      m.unit = jm.at("unit").get<std::string>();
      m.decimals = jm.at("decimals").get<int>();
      const std::string kind = jm.at("kind").get<std::string>();
      m.kind = kind == "amount" ? stats::MeasureKind::kAmount
               : kind == "derived" ? stats::MeasureKind::kDerived
                                   : stats::MeasureKind::kCount;
      m.time = jm.at("time").get<std::string>() == "stock" ? stats::TimeSemantics::kStock
                                                            : stats::TimeSemantics::kFlow;
      m.cell_key_id = jm.at("cell_key_id").get<std::string>();
      m.definition = jm.at("definition").get<std::string>();
      t.measures.push_back(std::move(m));
    }
  } catch (const json::exception& e) {
    return Status::Corruption(where + ": metadata: " + e.what());
  }
  return t;
}

}  // namespace internal

std::string Manifest::ToJson() const {
  json j;
  j["release_id"] = release_id;
  j["sequence"] = sequence;
  j["horizon"] = horizon;
  j["code_version"] = code_version;
  j["config_sha256"] = config_sha256;
  json params = json::object();
  for (const auto& [k, v] : parameters) params[k] = v;
  j["parameters"] = std::move(params);
  json inputs_json = json::array();
  for (const Input& in : inputs) {
    json ji;
    ji["dataset"] = in.dataset;
    ji["file"] = in.file;
    ji["sha256"] = in.sha256;
    ji["period"] = in.period;
    ji["rows_accepted"] = in.rows_accepted;
    ji["rows_quarantined"] = in.rows_quarantined;
    inputs_json.push_back(std::move(ji));
  }
  j["inputs"] = std::move(inputs_json);
  j["tables"] = tables;
  j["content_sha256"] = content_sha256;
  j["previous_release_id"] = previous_release_id;
  return j.dump(2) + "\n";
}

Result<Manifest> Manifest::FromJson(const std::string& text) {
  const std::string where = "release manifest";
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption(where + ": not a JSON object");
  Manifest m;
  try {
    m.release_id = j.at("release_id").get<std::string>();
    m.sequence = j.at("sequence").get<int>();
    m.horizon = j.at("horizon").get<std::string>();
    m.code_version = j.at("code_version").get<std::string>();
    m.config_sha256 = j.at("config_sha256").get<std::string>();
    for (const auto& [k, v] : j.at("parameters").items()) m.parameters[k] = v.get<std::string>();
    for (const json& ji : j.at("inputs")) {
      Input in;
      in.dataset = ji.at("dataset").get<std::string>();
      in.file = ji.at("file").get<std::string>();
      in.sha256 = ji.at("sha256").get<std::string>();
      in.period = ji.at("period").get<std::string>();
      in.rows_accepted = ji.at("rows_accepted").get<std::int64_t>();
      in.rows_quarantined = ji.at("rows_quarantined").get<std::int64_t>();
      m.inputs.push_back(std::move(in));
    }
    m.tables = j.at("tables").get<std::vector<std::string>>();
    m.content_sha256 = j.at("content_sha256").get<std::string>();
    m.previous_release_id = j.at("previous_release_id").get<std::string>();
  } catch (const json::exception& e) {
    return Status::Corruption(where + ": " + e.what());
  }
  return m;
}

}  // namespace das::release
