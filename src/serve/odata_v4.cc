// OData v4 as CBS has it (datasets.cbs.nl/odata/v1): /odata/v1/ (Catalogs, Datasets) and /odata/v1/DAS/<T>/.
#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include "serve_internal.h"

namespace das::serve {
namespace {

constexpr char kV4Options[] = "$format $select $top $skip $filter $count $skiptoken";
constexpr char kNs[] = "Cbs.OData4";

const char* Kind(stats::DimensionKind k) {
  switch (k) {
    case stats::DimensionKind::kTime: return "TimeDimension";
    case stats::DimensionKind::kGeo: return "GeoDimension";
    case stats::DimensionKind::kDimension: break;
  }
  return "Dimension";
}

// Observations: one row per cell and measure (the cell's measures in table order), Id = row number.
class ObservationSource final : public RowSource {
 public:
  explicit ObservationSource(const ServedTable& st) : st_(st) {
    props_ = {{"Id", PropertyType::kNumber, "Edm.Int64"},
              {"Measure", PropertyType::kString, "Edm.String"},
              {"ValueAttribute", PropertyType::kString, "Edm.String"},
              {"Value", PropertyType::kNumber, "Edm.Double"},
              {"StringValue", PropertyType::kString, "Edm.String"}};
    for (const auto& d : st.t->dims) props_.push_back({d.id, PropertyType::kString, "Edm.String"});
  }
  const std::vector<Property>& properties() const override { return props_; }
  std::size_t size() const override { return st_.cells * st_.t->measures.size(); }
  void Fill(std::size_t row, std::vector<Value>* out, std::vector<std::string>*) const override {
    const release::PublishedTable& t = *st_.t;
    const std::size_t nm = t.measures.size();
    const std::size_t cell = row / nm, m = row % nm;
    const release::CellState s = t.state[m][cell];
    const double v = t.value[m][cell];
    const bool shown = s == release::CellState::kPublished && std::isfinite(v);
    (*out)[0] = Value::Int(static_cast<std::int64_t>(row));
    (*out)[1] = Value::String(t.measures[m].id);
    (*out)[2] = Value::String(shown ? "None" : s == release::CellState::kSuppressed ? "Confidential" : "Impossible");
    (*out)[3] = shown ? Value::Number(v, t.measures[m].decimals) : Value::Null();
    (*out)[4] = Value::Null();
    for (std::size_t d = 0; d < t.dims.size(); ++d) {
      (*out)[5 + d] = Value::String(t.dims[d].codes[CodeIndex(st_, cell, d)].code);
    }
  }

 private:
  const ServedTable& st_;
  std::vector<Property> props_;
};

std::vector<Property> MeasureCodeProps() {
  return {{"Identifier", PropertyType::kString, "Edm.String"}, {"Index", PropertyType::kNumber, "Edm.Int32"},
          {"Title", PropertyType::kString, "Edm.String"},      {"Description", PropertyType::kString, "Edm.String"},
          {"MeasureGroupId", PropertyType::kString, "Edm.String"},
          {"DataType", PropertyType::kString, "Edm.String"},   {"Unit", PropertyType::kString, "Edm.String"},
          {"Decimals", PropertyType::kNumber, "Edm.Int32"},
          {"PresentationType", PropertyType::kString, "Edm.String"}};
}
std::vector<Property> GroupProps() {
  return {{"Id", PropertyType::kString, "Edm.String"},    {"Index", PropertyType::kNumber, "Edm.Int32"},
          {"Title", PropertyType::kString, "Edm.String"}, {"Description", PropertyType::kString, "Edm.String"},
          {"ParentId", PropertyType::kString, "Edm.String"}};
}
std::vector<Property> DimensionProps() {
  return {{"Identifier", PropertyType::kString, "Edm.String"}, {"Title", PropertyType::kString, "Edm.String"},
          {"Description", PropertyType::kString, "Edm.String"}, {"Kind", PropertyType::kString, "Edm.String"},
          {"MapYear", PropertyType::kString, "Edm.String"},
          {"ContainsGroups", PropertyType::kBoolean, "Edm.Boolean"},
          {"ContainsCodes", PropertyType::kBoolean, "Edm.Boolean"}};
}
std::vector<Property> CodeProps() {
  return {{"Identifier", PropertyType::kString, "Edm.String"}, {"Index", PropertyType::kNumber, "Edm.Int32"},
          {"Title", PropertyType::kString, "Edm.String"},      {"Description", PropertyType::kString, "Edm.String"},
          {"DimensionGroupId", PropertyType::kString, "Edm.String"},
          {"Status", PropertyType::kString, "Edm.String"}};
}
std::vector<Property> DatasetProps() {
  return {{"Identifier", PropertyType::kString, "Edm.String"}, {"Title", PropertyType::kString, "Edm.String"},
          {"Description", PropertyType::kString, "Edm.String"}, {"Language", PropertyType::kString, "Edm.String"},
          {"Catalog", PropertyType::kString, "Edm.String"},    {"Version", PropertyType::kString, "Edm.String"},
          {"Status", PropertyType::kString, "Edm.String"},     {"Modified", PropertyType::kString, "Edm.DateTimeOffset"},
          {"ObservationCount", PropertyType::kNumber, "Edm.Int64"},
          {"DatasetType", PropertyType::kString, "Edm.String"}, {"Period", PropertyType::kString, "Edm.String"}};
}

std::vector<Property> CatalogProps() {
  return {{"Identifier", PropertyType::kString, "Edm.String"},  {"Index", PropertyType::kNumber, "Edm.Int32"},
          {"Title", PropertyType::kString, "Edm.String"},       {"Description", PropertyType::kString, "Edm.String"},
          {"Publisher", PropertyType::kString, "Edm.String"},   {"Language", PropertyType::kString, "Edm.String"},
          {"License", PropertyType::kString, "Edm.String"}};
}

std::string Modified(const ODataContext& ctx) {
  const std::string& h = ctx.state->release.manifest.horizon;
  return h.size() == 10 ? h + "T00:00:00Z" : h;
}

void AddDatasetRow(RowSet* rs, const ODataContext& ctx, const ServedTable& st) {
  const release::PublishedTable& t = *st.t;
  rs->NewRow();
  rs->AddString(t.id);
  rs->AddString(t.title_nl);
  rs->AddString(t.description_nl);
  rs->AddString("nl");
  rs->AddString("DAS");
  rs->AddString(ctx.state->release.manifest.release_id);
  rs->AddString("Regulier");
  rs->AddString(Modified(ctx));
  rs->AddInt(static_cast<std::int64_t>(st.cells * t.measures.size()));
  rs->AddString("Numeric");
  rs->AddString(st.period_text);
}

std::unique_ptr<RowSet> MeasureCodes(const ServedTable& st) {
  auto rs = std::make_unique<RowSet>(MeasureCodeProps());
  const auto& ms = st.t->measures;
  for (std::size_t m = 0; m < ms.size(); ++m) {
    rs->NewRow();
    rs->AddString(ms[m].id);
    rs->AddInt(static_cast<std::int64_t>(m + 1));
    rs->AddString(ms[m].title_nl);
    rs->AddOptString(ms[m].description_nl);
    rs->AddNull();
    rs->AddString(ms[m].decimals == 0 ? "Long" : "Double");
    rs->AddString(ms[m].unit);
    rs->AddInt(ms[m].decimals);
    rs->AddString(ms[m].unit == "%" ? "Relative" : "Absolute");
  }
  return rs;
}

std::unique_ptr<RowSet> Dimensions(const ServedTable& st) {
  auto rs = std::make_unique<RowSet>(DimensionProps());
  for (std::size_t d = 0; d < st.t->dims.size(); ++d) {
    const auto& dim = st.t->dims[d];
    bool groups = false;
    for (const CodeGroup& g : st.groups) groups = groups || g.dim == d;
    rs->NewRow();
    rs->AddString(dim.id);
    rs->AddString(dim.title_nl);
    rs->AddOptString(dim.description_nl);
    rs->AddString(Kind(dim.kind));
    if (dim.kind == stats::DimensionKind::kGeo) rs->AddString("2024"); else rs->AddNull();
    rs->AddBool(groups);
    rs->AddBool(true);
  }
  return rs;
}

std::unique_ptr<RowSet> Codes(const ServedTable& st, std::size_t d) {
  auto rs = std::make_unique<RowSet>(CodeProps());
  const auto& dim = st.t->dims[d];
  for (std::size_t c = 0; c < dim.codes.size(); ++c) {
    const stats::Code& code = dim.codes[c];
    rs->NewRow();
    rs->AddString(code.code);
    rs->AddInt(static_cast<std::int64_t>(c + 1));
    rs->AddString(code.title_nl);
    rs->AddOptString(code.description_nl);
    if (st.code_group[d][c] >= 0) rs->AddString(code.parent); else rs->AddNull();
    if (dim.kind == stats::DimensionKind::kTime) {
      rs->AddString(code.status.empty() ? "Definitief" : code.status);
    } else {
      rs->AddNull();
    }
  }
  return rs;
}

std::unique_ptr<RowSet> Groups(const ServedTable& st, std::size_t d) {
  auto rs = std::make_unique<RowSet>(GroupProps());
  const auto& dim = st.t->dims[d];
  std::int64_t index = 1;
  for (const CodeGroup& g : st.groups) {
    if (g.dim != d) continue;
    const stats::Code& code = dim.codes[static_cast<std::size_t>(g.code)];
    rs->NewRow();
    rs->AddString(code.code);
    rs->AddInt(index++);
    rs->AddString(code.title_nl);
    rs->AddOptString(code.description_nl);
    if (g.parent_group >= 0) rs->AddString(code.parent); else rs->AddNull();
  }
  return rs;
}

void AppendTypeXml(std::string* x, const std::string& name, const std::vector<Property>& props, const std::string& key) {
  *x += "<EntityType Name=\"" + XmlEscape(name) + "\"><Key><PropertyRef Name=\"" + key + "\"/></Key>";
  for (const Property& p : props) {
    *x += "<Property Name=\"" + XmlEscape(p.name) + "\" Type=\"" + p.edm_type + "\"" +
          (p.name == key ? " Nullable=\"false\"" : "") + "/>";
  }
  *x += "</EntityType>";
}

Response Metadata(const ServedTable& st) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
      "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"><edmx:DataServices>"
      "<Schema Namespace=\"" + std::string(kNs) + "\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">";
  AppendTypeXml(&x, "Observation", ObservationSource(st).properties(), "Id");
  AppendTypeXml(&x, "MeasureCode", MeasureCodeProps(), "Identifier");
  AppendTypeXml(&x, "MeasureGroup", GroupProps(), "Id");
  AppendTypeXml(&x, "Dimension", DimensionProps(), "Identifier");
  AppendTypeXml(&x, "DimensionCode", CodeProps(), "Identifier");
  AppendTypeXml(&x, "DimensionGroup", GroupProps(), "Id");
  AppendTypeXml(&x, "DatasetProperties", DatasetProps(), "Identifier");
  x += "<EntityContainer Name=\"Container\">"
       "<EntitySet Name=\"Observations\" EntityType=\"Cbs.OData4.Observation\"/>"
       "<EntitySet Name=\"MeasureCodes\" EntityType=\"Cbs.OData4.MeasureCode\"/>"
       "<EntitySet Name=\"MeasureGroups\" EntityType=\"Cbs.OData4.MeasureGroup\"/>"
       "<EntitySet Name=\"Dimensions\" EntityType=\"Cbs.OData4.Dimension\"/>";
  for (const auto& d : st.t->dims) {
    x += "<EntitySet Name=\"" + XmlEscape(d.id) + "Codes\" EntityType=\"Cbs.OData4.DimensionCode\"/>";
    x += "<EntitySet Name=\"" + XmlEscape(d.id) + "Groups\" EntityType=\"Cbs.OData4.DimensionGroup\"/>";
  }
  x += "<Singleton Name=\"Properties\" Type=\"Cbs.OData4.DatasetProperties\"/>"
       "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>\n";
  Response r = TextResponse(200, "application/xml; charset=utf-8", std::move(x));
  r.headers.emplace_back("OData-Version", "4.0");
  return r;
}

// `count_only`: the /$count path segment (OData v4 Part 1, 11.2.10): the number of rows matching $filter, as
// text/plain.
Response ServeSet(const ODataContext& ctx, const std::string& root, const std::string& name, const RowSource& source,
                  bool count_only = false) {
  auto q = ParseQueryOptions(ctx.raw_query, kV4Options);
  if (!q.ok()) return ErrorResponse(400, ErrorStyle::kODataV4, q.status().message());
  auto sel = Select(source, *q, ctx.state->limits.feed_page_rows, q->count || count_only);
  if (!sel.ok()) return ErrorResponse(400, ErrorStyle::kODataV4, sel.status().message());
  if (count_only) {
    Response r = TextResponse(200, "text/plain; charset=utf-8", std::to_string(sel->total));
    r.headers.emplace_back("OData-Version", "4.0");
    return r;
  }
  std::string body = "{\"@odata.context\":";
  AppendJsonString(&body, root + "/$metadata#" + name);
  if (q->count) body += ",\"@odata.count\":" + std::to_string(sel->total);
  body += ",\"value\":[";
  AppendRows(&body, source, *sel);
  body += "]";
  if (sel->more) {
    std::optional<std::size_t> next_top;
    if (q->has_top) next_top = q->top - sel->rows.size();
    body += ",\"@odata.nextLink\":";
    AppendJsonString(&body, root + "/" + name + "?" + NextLinkQuery(ctx.raw_query, q->skip + sel->rows.size(), next_top));
  }
  body += "}\n";
  Response r = JsonResponse(std::move(body));
  r.headers[0].second = "application/json; odata.metadata=minimal; charset=utf-8";
  r.headers.emplace_back("OData-Version", "4.0");
  return r;
}

Response ServiceDocument(const std::string& root, const std::vector<std::pair<std::string, const char*>>& names) {
  std::string body = "{\"@odata.context\":";
  AppendJsonString(&body, root + "/$metadata");
  body += ",\"value\":[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) body += ',';
    body += "{\"name\":";
    AppendJsonString(&body, names[i].first);
    body += ",\"kind\":\"";
    body += names[i].second;
    body += "\",\"url\":";
    AppendJsonString(&body, names[i].first);
    body += '}';
  }
  body += "]}\n";
  Response r = JsonResponse(std::move(body));
  r.headers[0].second = "application/json; odata.metadata=minimal; charset=utf-8";
  r.headers.emplace_back("OData-Version", "4.0");
  return r;
}

}  // namespace

Response ServeV4(const ODataContext& ctx, std::string_view rest) {
  const ServedTable& st = *ctx.table;
  const release::PublishedTable& t = *st.t;
  const std::string root = ctx.base_url + "/odata/v1/DAS/" + t.id;
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) {
    auto q = ParseQueryOptions(ctx.raw_query, "$format");
    if (!q.ok()) return ErrorResponse(400, ErrorStyle::kODataV4, q.status().message());
    std::vector<std::pair<std::string, const char*>> names = {
        {"Observations", "EntitySet"}, {"MeasureCodes", "EntitySet"}, {"MeasureGroups", "EntitySet"},
        {"Dimensions", "EntitySet"}};
    for (const auto& d : t.dims) {
      names.emplace_back(d.id + "Codes", "EntitySet");
      names.emplace_back(d.id + "Groups", "EntitySet");
    }
    names.emplace_back("Properties", "Singleton");
    return ServiceDocument(root, names);
  }
  if (rest == "$metadata") return Metadata(st);
  if (rest == "Properties") {
    auto q = ParseQueryOptions(ctx.raw_query, "$format $select");
    if (!q.ok()) return ErrorResponse(400, ErrorStyle::kODataV4, q.status().message());
    RowSet rs(DatasetProps());
    AddDatasetRow(&rs, ctx, st);
    auto sel = Select(rs, *q, 1, false);
    if (!sel.ok()) return ErrorResponse(400, ErrorStyle::kODataV4, sel.status().message());
    std::string body;
    AppendRows(&body, rs, *sel);
    std::string ctxurl;
    AppendJsonString(&ctxurl, root + "/$metadata#Properties");
    body = "{\"@odata.context\":" + ctxurl + "," + body.substr(1);
    body += '\n';
    Response r = JsonResponse(std::move(body));
    r.headers[0].second = "application/json; odata.metadata=minimal; charset=utf-8";
    r.headers.emplace_back("OData-Version", "4.0");
    return r;
  }
  constexpr std::string_view kCount = "/$count";
  const bool count_only = rest.size() > kCount.size() && rest.substr(rest.size() - kCount.size()) == kCount;
  if (count_only) rest.remove_suffix(kCount.size());
  std::unique_ptr<RowSource> source;
  if (rest == "Observations") {
    source = std::make_unique<ObservationSource>(st);
  } else if (rest == "MeasureCodes") {
    source = MeasureCodes(st);
  } else if (rest == "MeasureGroups") {
    source = std::make_unique<RowSet>(GroupProps());
  } else if (rest == "Dimensions") {
    source = Dimensions(st);
  } else {
    for (std::size_t d = 0; d < t.dims.size(); ++d) {
      if (rest == t.dims[d].id + "Codes") source = Codes(st, d);
      if (rest == t.dims[d].id + "Groups") source = Groups(st, d);
    }
  }
  if (!source) {
    return ErrorResponse(404, ErrorStyle::kODataV4,
                         "dataset " + t.id + " has no entity set '" + std::string(rest.substr(0, 80)) +
                             "' (see the service document " + root + "/)");
  }
  return ServeSet(ctx, root, std::string(rest), *source, count_only);
}

Response ServeV4Root(const ODataContext& ctx, const std::vector<const ServedTable*>& tables, std::string_view rest) {
  const std::string root = ctx.base_url + "/odata/v1";
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) return ServiceDocument(root, {{"Catalogs", "EntitySet"}, {"Datasets", "EntitySet"}});
  if (rest == "$metadata") {
    std::string x =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"><edmx:DataServices>"
        "<Schema Namespace=\"" + std::string(kNs) + "\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">";
    AppendTypeXml(&x, "Catalog", CatalogProps(), "Identifier");
    AppendTypeXml(&x, "Dataset", DatasetProps(), "Identifier");
    x += "<EntityContainer Name=\"Container\">"
         "<EntitySet Name=\"Catalogs\" EntityType=\"" + std::string(kNs) + ".Catalog\"/>"
         "<EntitySet Name=\"Datasets\" EntityType=\"" + std::string(kNs) + ".Dataset\"/>"
         "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>\n";
    Response r = TextResponse(200, "application/xml; charset=utf-8", std::move(x));
    r.headers.emplace_back("OData-Version", "4.0");
    return r;
  }
  constexpr std::string_view kCount = "/$count";
  const bool count_only = rest.size() > kCount.size() && rest.substr(rest.size() - kCount.size()) == kCount;
  if (count_only) rest.remove_suffix(kCount.size());
  if (rest == "Catalogs") {
    RowSet rs(CatalogProps());
    rs.NewRow();
    rs.AddString("DAS");
    rs.AddInt(1);
    rs.AddString("Data Alliantie Strafrechtketen");
    rs.AddString("Beschermde statistieken van de Nederlandse strafrechtketen");
    rs.AddString("DAS");
    rs.AddString("nl");
    rs.AddString("CC BY 4.0");
    return ServeSet(ctx, root, "Catalogs", rs, count_only);
  }
  if (rest == "Datasets" || rest == "DAS") {
    RowSet rs(DatasetProps());
    for (const ServedTable* st : tables) AddDatasetRow(&rs, ctx, *st);
    return ServeSet(ctx, root, "Datasets", rs, count_only);
  }
  return ErrorResponse(404, ErrorStyle::kODataV4,
                       "no entity set '" + std::string(rest.substr(0, 80)) + "' under /odata/v1 (Catalogs, Datasets)");
}

}  // namespace das::serve
