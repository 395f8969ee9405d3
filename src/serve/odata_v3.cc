// OData v3 as CBS has it: /ODataApi/odata/<T>/, /ODataFeed/odata/<T>/ and /ODataCatalog/.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "serve_internal.h"

namespace das::serve {
namespace {

constexpr char kV3Options[] = "$format $select $top $skip $filter $inlinecount $skiptoken";
constexpr char kTypedNs[] = "Cbs.OData.WebAPI";

const char* DimensionType(stats::DimensionKind k) {
  switch (k) {
    case stats::DimensionKind::kTime: return "TimeDimension";
    case stats::DimensionKind::kGeo: return "GeoDimension";
    case stats::DimensionKind::kDimension: break;
  }
  return "Dimension";
}

const char* Datatype(const stats::MeasureSpec& m) { return m.decimals == 0 ? "Long" : "Double"; }

const char* PresentationType(const stats::MeasureSpec& m) {
  if (m.unit == "%") return "Relative";
  return m.kind == stats::MeasureKind::kDerived ? "Average" : "Absolute";
}

// TypedDataSet / UntypedDataSet as a virtual row source over the table's cells.
class DataSetSource final : public RowSource {
 public:
  DataSetSource(const ServedTable& st, bool typed) : st_(st), typed_(typed) {
    props_.push_back({"ID", PropertyType::kNumber, "Edm.Int32"});
    for (const auto& d : st.t->dims) props_.push_back({d.id, PropertyType::kString, "Edm.String"});
    for (const auto& m : st.t->measures) {
      if (typed) {
        props_.push_back({m.id, PropertyType::kNumber, m.decimals == 0 ? "Edm.Int64" : "Edm.Double"});
      } else {
        props_.push_back({m.id, PropertyType::kString, "Edm.String"});
      }
    }
  }
  const std::vector<Property>& properties() const override { return props_; }
  std::size_t size() const override { return st_.cells; }
  void Fill(std::size_t row, std::vector<Value>* out, std::vector<std::string>* scratch) const override {
    const release::PublishedTable& t = *st_.t;
    std::size_t k = 0;
    (*out)[k++] = Value::Int(static_cast<std::int64_t>(row));
    for (std::size_t d = 0; d < t.dims.size(); ++d) {
      (*out)[k++] = Value::String(st_.padded[d][CodeIndex(st_, row, d)]);
    }
    for (std::size_t m = 0; m < t.measures.size(); ++m, ++k) {
      const release::CellState s = t.state[m][row];
      const double v = t.value[m][row];
      const bool shown = s == release::CellState::kPublished && std::isfinite(v);
      if (typed_) {
        (*out)[k] = shown ? Value::Number(v, t.measures[m].decimals) : Value::Null();
      } else {
        std::string& text = (*scratch)[k];
        if (shown) {
          text = FormatFixed(v, t.measures[m].decimals);
        } else {
          text = s == release::CellState::kSuppressed ? "x" : ".";
        }
        (*out)[k] = Value::String(text);
      }
    }
  }

 private:
  const ServedTable& st_;
  bool typed_;
  std::vector<Property> props_;
};

std::string IsoDate(const std::string& horizon) {
  if (horizon.size() == 10) return horizon + "T00:00:00";
  return horizon;
}

std::unique_ptr<RowSet> TableInfos(const ODataContext& ctx) {
  const ServedTable& st = *ctx.table;
  const release::PublishedTable& t = *st.t;
  auto rs = std::make_unique<RowSet>(std::vector<Property>{
      {"ID", PropertyType::kNumber, "Edm.Int32"},          {"Title", PropertyType::kString, "Edm.String"},
      {"ShortTitle", PropertyType::kString, "Edm.String"}, {"Identifier", PropertyType::kString, "Edm.String"},
      {"Summary", PropertyType::kString, "Edm.String"},    {"Modified", PropertyType::kString, "Edm.DateTime"},
      {"MetaDataModified", PropertyType::kString, "Edm.DateTime"},
      {"ReasonDelivery", PropertyType::kString, "Edm.String"},
      {"ExplanatoryText", PropertyType::kString, "Edm.String"},
      {"OutputStatus", PropertyType::kString, "Edm.String"}, {"Source", PropertyType::kString, "Edm.String"},
      {"Language", PropertyType::kString, "Edm.String"},   {"Catalog", PropertyType::kString, "Edm.String"},
      {"Frequency", PropertyType::kString, "Edm.String"},  {"Period", PropertyType::kString, "Edm.String"},
      {"ShortDescription", PropertyType::kString, "Edm.String"},
      {"Description", PropertyType::kString, "Edm.String"},
      {"DefaultPresentation", PropertyType::kString, "Edm.String"},
      {"DefaultSelection", PropertyType::kString, "Edm.String"},
      {"GraphTypes", PropertyType::kString, "Edm.String"}, {"RecordCount", PropertyType::kNumber, "Edm.Int32"},
      {"ColumnCount", PropertyType::kNumber, "Edm.Int32"}, {"SearchPriority", PropertyType::kString, "Edm.String"},
      {"Protection", PropertyType::kString, "Edm.String"}, {"Release", PropertyType::kString, "Edm.String"}});
  const auto& man = ctx.state->release.manifest;
  rs->NewRow();
  rs->AddInt(1);
  rs->AddString(t.title_nl);
  rs->AddString(t.title_nl);
  rs->AddString(t.id);
  rs->AddString(t.description_nl.substr(0, 250));
  rs->AddString(IsoDate(man.horizon));
  rs->AddString(IsoDate(man.horizon));
  rs->AddString("Actualisering");
  rs->AddString("");
  rs->AddString("Regulier");
  rs->AddString("Bron: DAS (Data Alliantie Strafrechtketen)");
  rs->AddString("nl");
  rs->AddString("DAS");
  rs->AddString("Perjaar");
  rs->AddString(st.period_text);
  rs->AddString(t.description_nl.substr(0, 250));
  rs->AddString(t.description_nl);
  rs->AddString("ts=1&graphtype=Table");
  rs->AddString("");
  rs->AddString("Table");
  rs->AddInt(static_cast<std::int64_t>(st.cells));
  rs->AddInt(static_cast<std::int64_t>(t.dims.size() + t.measures.size()));
  rs->AddString("2");
  rs->AddString(t.protection_summary);
  rs->AddString(man.release_id);
  return rs;
}

std::unique_ptr<RowSet> DataProperties(const ServedTable& st) {
  const release::PublishedTable& t = *st.t;
  auto rs = std::make_unique<RowSet>(std::vector<Property>{
      {"ID", PropertyType::kNumber, "Edm.Int32"},       {"Position", PropertyType::kNumber, "Edm.Int32"},
      {"ParentID", PropertyType::kNumber, "Edm.Int32"}, {"Type", PropertyType::kString, "Edm.String"},
      {"Key", PropertyType::kString, "Edm.String"},     {"Title", PropertyType::kString, "Edm.String"},
      {"Description", PropertyType::kString, "Edm.String"},
      {"Datatype", PropertyType::kString, "Edm.String"}, {"Unit", PropertyType::kString, "Edm.String"},
      {"Decimals", PropertyType::kNumber, "Edm.Int32"},  {"Default", PropertyType::kString, "Edm.String"},
      {"PresentationType", PropertyType::kString, "Edm.String"},
      {"MapYear", PropertyType::kString, "Edm.String"},  {"ReleasePolicy", PropertyType::kBoolean, "Edm.Boolean"}});
  std::int64_t id = 0;
  for (std::size_t d = 0; d < t.dims.size(); ++d) {
    const auto& dim = t.dims[d];
    rs->NewRow();
    rs->AddInt(id++);
    rs->AddInt(static_cast<std::int64_t>(d));
    rs->AddNull();
    rs->AddString(DimensionType(dim.kind));
    rs->AddString(dim.id);
    rs->AddString(dim.title_nl);
    rs->AddString(dim.description_nl);
    rs->AddNull();
    rs->AddNull();
    rs->AddNull();
    rs->AddNull();
    rs->AddNull();
    if (dim.kind == stats::DimensionKind::kGeo) rs->AddString("2024"); else rs->AddNull();
    if (dim.kind == stats::DimensionKind::kTime) rs->AddBool(true); else rs->AddNull();
  }
  for (std::size_t m = 0; m < t.measures.size(); ++m) {
    const auto& ms = t.measures[m];
    rs->NewRow();
    rs->AddInt(id++);
    rs->AddInt(static_cast<std::int64_t>(m + 1));
    rs->AddNull();
    rs->AddString("Topic");
    rs->AddString(ms.id);
    rs->AddString(ms.title_nl);
    rs->AddString(ms.description_nl);
    rs->AddString(Datatype(ms));
    rs->AddString(ms.unit);
    rs->AddInt(ms.decimals);
    rs->AddString("Missing");
    rs->AddString(PresentationType(ms));
    rs->AddNull();
    rs->AddNull();
  }
  return rs;
}

std::unique_ptr<RowSet> CategoryGroups(const ServedTable& st) {
  const release::PublishedTable& t = *st.t;
  auto rs = std::make_unique<RowSet>(std::vector<Property>{
      {"ID", PropertyType::kNumber, "Edm.Int32"},           {"DimensionKey", PropertyType::kString, "Edm.String"},
      {"Title", PropertyType::kString, "Edm.String"},       {"Description", PropertyType::kString, "Edm.String"},
      {"ParentID", PropertyType::kNumber, "Edm.Int32"}});
  for (const CodeGroup& g : st.groups) {
    const stats::Code& c = t.dims[g.dim].codes[static_cast<std::size_t>(g.code)];
    rs->NewRow();
    rs->AddInt(g.id);
    rs->AddString(t.dims[g.dim].id);
    rs->AddString(c.title_nl);
    rs->AddOptString(c.description_nl);
    rs->AddOptInt(g.parent_group >= 0 ? std::optional<std::int64_t>(g.parent_group) : std::nullopt);
  }
  return rs;
}

std::unique_ptr<RowSet> CodeList(const ServedTable& st, std::size_t d) {
  const stats::DimensionSpec& dim = st.t->dims[d];
  const bool time = dim.kind == stats::DimensionKind::kTime;
  std::vector<Property> props = {{"Key", PropertyType::kString, "Edm.String"},
                                 {"Title", PropertyType::kString, "Edm.String"},
                                 {"Description", PropertyType::kString, "Edm.String"}};
  if (time) {
    props.push_back({"Status", PropertyType::kString, "Edm.String"});
  } else {
    props.push_back({"CategoryGroupID", PropertyType::kNumber, "Edm.Int32"});
  }
  auto rs = std::make_unique<RowSet>(std::move(props));
  for (std::size_t c = 0; c < dim.codes.size(); ++c) {
    const stats::Code& code = dim.codes[c];
    rs->NewRow();
    rs->AddString(st.padded[d][c]);
    rs->AddString(code.title_nl);
    rs->AddOptString(code.description_nl);
    if (time) {
      rs->AddString(code.status.empty() ? "Definitief" : code.status);
    } else {
      int g = st.code_group[d][c];
      rs->AddOptInt(g >= 0 ? std::optional<std::int64_t>(g) : std::nullopt);
    }
  }
  return rs;
}

std::string ServiceRoot(const ODataContext& ctx, V3Service service) {
  return ctx.base_url + (service == V3Service::kApi ? "/ODataApi/odata/" : "/ODataFeed/odata/") + ctx.table->t->id;
}

void AppendEntityTypeXml(std::string* x, const std::string& name, const std::vector<Property>& props,
                         const std::string& key) {
  *x += "<EntityType Name=\"" + XmlEscape(name) + "\"><Key><PropertyRef Name=\"" + XmlEscape(key) + "\"/></Key>";
  for (const Property& p : props) {
    *x += "<Property Name=\"" + XmlEscape(p.name) + "\" Type=\"" + p.edm_type + "\"" +
          (p.name == key ? " Nullable=\"false\"" : "") + "/>";
  }
  *x += "</EntityType>";
}

Response Metadata(const ODataContext& ctx) {
  const ServedTable& st = *ctx.table;
  std::string x =
      "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>"
      "<edmx:Edmx Version=\"1.0\" xmlns:edmx=\"http://schemas.microsoft.com/ado/2007/06/edmx\">"
      "<edmx:DataServices m:DataServiceVersion=\"3.0\" m:MaxDataServiceVersion=\"3.0\" "
      "xmlns:m=\"http://schemas.microsoft.com/ado/2007/08/dataservices/metadata\">"
      "<Schema Namespace=\"Cbs.OData\" xmlns=\"http://schemas.microsoft.com/ado/2009/11/edm\">";
  AppendEntityTypeXml(&x, "TableInfo", TableInfos(ctx)->properties(), "ID");
  AppendEntityTypeXml(&x, "DataProperty", DataProperties(st)->properties(), "ID");
  AppendEntityTypeXml(&x, "CategoryGroup", CategoryGroups(st)->properties(), "ID");
  for (std::size_t d = 0; d < st.t->dims.size(); ++d) {
    AppendEntityTypeXml(&x, st.t->dims[d].id + "Category", CodeList(st, d)->properties(), "Key");
  }
  AppendEntityTypeXml(&x, "TypedDataSet", DataSetSource(st, true).properties(), "ID");
  AppendEntityTypeXml(&x, "UntypedDataSet", DataSetSource(st, false).properties(), "ID");
  x += "</Schema><Schema Namespace=\"" + std::string(kTypedNs) +
       "\" xmlns=\"http://schemas.microsoft.com/ado/2009/11/edm\">"
       "<EntityContainer Name=\"Cbs_OData_WebAPI\" m:IsDefaultEntityContainer=\"true\">"
       "<EntitySet Name=\"TableInfos\" EntityType=\"Cbs.OData.TableInfo\"/>"
       "<EntitySet Name=\"DataProperties\" EntityType=\"Cbs.OData.DataProperty\"/>"
       "<EntitySet Name=\"CategoryGroups\" EntityType=\"Cbs.OData.CategoryGroup\"/>";
  for (const auto& d : st.t->dims) {
    x += "<EntitySet Name=\"" + XmlEscape(d.id) + "\" EntityType=\"Cbs.OData." + XmlEscape(d.id) + "Category\"/>";
  }
  x += "<EntitySet Name=\"TypedDataSet\" EntityType=\"Cbs.OData.TypedDataSet\"/>"
       "<EntitySet Name=\"UntypedDataSet\" EntityType=\"Cbs.OData.UntypedDataSet\"/>"
       "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>\n";
  Response r = TextResponse(200, "application/xml; charset=utf-8", std::move(x));
  r.headers.emplace_back("DataServiceVersion", "3.0");
  return r;
}

// Serves a row source as an entity set: `name` for odata.metadata; Api (cell cap) or Feed (paging).
Response ServeSet(const ODataContext& ctx, const std::string& root, const std::string& name,
                  const RowSource& source, V3Service service, std::size_t topic_begin, std::size_t topic_end) {
  const HandlerLimits& lim = ctx.state->limits;
  auto q = ParseQueryOptions(ctx.raw_query, kV3Options);
  if (!q.ok()) return ErrorResponse(400, ErrorStyle::kODataV3, q.status().message());
  const bool api = service == V3Service::kApi;
  auto sel = Select(source, *q, api ? lim.api_max_cells : lim.feed_page_rows, api || q->count);
  if (!sel.ok()) return ErrorResponse(400, ErrorStyle::kODataV3, sel.status().message());
  if (api) {
    std::size_t rows = sel->total > q->skip ? sel->total - q->skip : 0;
    if (q->has_top) rows = std::min(rows, q->top);
    std::size_t topics = 0;
    for (std::size_t c : sel->columns) {
      if (c >= topic_begin && c < topic_end) ++topics;
    }
    const std::size_t cells = rows * std::max<std::size_t>(topics, 1);
    if (cells > lim.api_max_cells) {
      return ErrorResponse(
          400, ErrorStyle::kODataV3,
          "ODataApi: the selection has " + std::to_string(rows) + " rows x " + std::to_string(std::max<std::size_t>(topics, 1)) +
              " topics = " + std::to_string(cells) + " cells; at most " + std::to_string(lim.api_max_cells) +
              " cells per request: narrow it with $filter, $select or $top, or use /ODataFeed/odata/" +
              ctx.table->t->id + "/" + name + " (paged)");
    }
  }
  std::string body = "{\"odata.metadata\":";
  AppendJsonString(&body, root + "/$metadata#" + kTypedNs + "." + name);
  if (q->count) body += ",\"odata.count\":\"" + std::to_string(sel->total) + "\"";
  body += ",\"value\":[";
  AppendRows(&body, source, *sel);
  body += "]";
  if (!api && sel->more) {
    const std::size_t next_skip = q->skip + sel->rows.size();
    std::optional<std::size_t> next_top;
    if (q->has_top) next_top = q->top - sel->rows.size();
    body += ",\"odata.nextLink\":";
    AppendJsonString(&body, root + "/" + name + "?" + NextLinkQuery(ctx.raw_query, next_skip, next_top));
  }
  body += "}\n";
  Response r = JsonResponse(std::move(body));
  r.headers.emplace_back("DataServiceVersion", "3.0");
  return r;
}

Response CountOf(const ODataContext& ctx, const RowSource& source) {
  auto q = ParseQueryOptions(ctx.raw_query, "$filter $format");
  if (!q.ok()) return ErrorResponse(400, ErrorStyle::kODataV3, q.status().message());
  auto sel = Select(source, *q, 0, true);
  if (!sel.ok()) return ErrorResponse(400, ErrorStyle::kODataV3, sel.status().message());
  return TextResponse(200, "text/plain; charset=utf-8", std::to_string(sel->total));
}

}  // namespace

Response ServeV3(const ODataContext& ctx, V3Service service, std::string_view rest) {
  const ServedTable& st = *ctx.table;
  const release::PublishedTable& t = *st.t;
  const std::string root = ServiceRoot(ctx, service);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) {
    auto q = ParseQueryOptions(ctx.raw_query, "$format");
    if (!q.ok()) return ErrorResponse(400, ErrorStyle::kODataV3, q.status().message());
    std::string body = "{\"odata.metadata\":";
    AppendJsonString(&body, root + "/$metadata");
    body += ",\"value\":[";
    std::vector<std::string> names = {"TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties",
                                      "CategoryGroups"};
    for (const auto& d : t.dims) names.push_back(d.id);
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i > 0) body += ',';
      body += "{\"name\":";
      AppendJsonString(&body, names[i]);
      body += ",\"url\":";
      AppendJsonString(&body, root + "/" + names[i]);
      body += '}';
    }
    body += "]}\n";
    Response r = JsonResponse(std::move(body));
    r.headers.emplace_back("DataServiceVersion", "3.0");
    return r;
  }
  if (rest == "$metadata") return Metadata(ctx);
  std::string_view set = rest;
  bool count = false;
  if (set.size() > 7 && set.substr(set.size() - 7) == "/$count") {
    set.remove_suffix(7);
    count = true;
  }
  const std::size_t topic_begin = 1 + t.dims.size(), topic_end = topic_begin + t.measures.size();
  std::unique_ptr<RowSource> source;
  std::size_t tb = 0, te = 0;
  if (set == "TypedDataSet" || set == "UntypedDataSet") {
    source = std::make_unique<DataSetSource>(st, set == "TypedDataSet");
    tb = topic_begin;
    te = topic_end;
  } else if (set == "TableInfos") {
    source = TableInfos(ctx);
  } else if (set == "DataProperties") {
    source = DataProperties(st);
  } else if (set == "CategoryGroups") {
    source = CategoryGroups(st);
  } else {
    for (std::size_t d = 0; d < t.dims.size(); ++d) {
      if (set == t.dims[d].id) source = CodeList(st, d);
    }
  }
  if (!source) {
    return ErrorResponse(404, ErrorStyle::kODataV3,
                         "table " + t.id + " has no entity set '" + std::string(rest.substr(0, 80)) +
                             "' (see the service document " + root + "/)");
  }
  if (count) return CountOf(ctx, *source);
  return ServeSet(ctx, root, std::string(set), *source, service, tb, te);
}

Response ServeV3Catalog(const ODataContext& ctx, const std::vector<const ServedTable*>& tables,
                        std::string_view rest) {
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const std::string root = ctx.base_url + "/ODataCatalog";
  if (rest.empty()) {
    std::string body = "{\"odata.metadata\":";
    AppendJsonString(&body, root + "/$metadata");
    body += ",\"value\":[{\"name\":\"Tables\",\"url\":";
    AppendJsonString(&body, root + "/Tables");
    body += "}]}\n";
    return JsonResponse(std::move(body));
  }
  if (rest != "Tables") {
    return ErrorResponse(404, ErrorStyle::kODataV3,
                         "the catalog has no entity set '" + std::string(rest.substr(0, 80)) + "' (only Tables)");
  }
  RowSet rs({{"ID", PropertyType::kNumber, "Edm.Int32"},       {"Identifier", PropertyType::kString, "Edm.String"},
             {"Title", PropertyType::kString, "Edm.String"},    {"ShortTitle", PropertyType::kString, "Edm.String"},
             {"ShortDescription", PropertyType::kString, "Edm.String"},
             {"Summary", PropertyType::kString, "Edm.String"},  {"Modified", PropertyType::kString, "Edm.DateTime"},
             {"MetaDataModified", PropertyType::kString, "Edm.DateTime"},
             {"ReasonDelivery", PropertyType::kString, "Edm.String"},
             {"Language", PropertyType::kString, "Edm.String"}, {"Catalog", PropertyType::kString, "Edm.String"},
             {"Frequency", PropertyType::kString, "Edm.String"}, {"Period", PropertyType::kString, "Edm.String"},
             {"ApiUrl", PropertyType::kString, "Edm.String"},   {"FeedUrl", PropertyType::kString, "Edm.String"},
             {"DefaultPresentation", PropertyType::kString, "Edm.String"},
             {"DefaultSelection", PropertyType::kString, "Edm.String"},
             {"GraphTypes", PropertyType::kString, "Edm.String"},
             {"RecordCount", PropertyType::kNumber, "Edm.Int32"},
             {"ColumnCount", PropertyType::kNumber, "Edm.Int32"},
             {"SearchPriority", PropertyType::kString, "Edm.String"},
             {"Theme", PropertyType::kString, "Edm.String"}});
  const std::string modified = IsoDate(ctx.state->release.manifest.horizon);
  std::int64_t id = 1;
  for (const ServedTable* st : tables) {
    const release::PublishedTable& t = *st->t;
    rs.NewRow();
    rs.AddInt(id++);
    rs.AddString(t.id);
    rs.AddString(t.title_nl);
    rs.AddString(t.title_nl);
    rs.AddString(t.description_nl.substr(0, 250));
    rs.AddString(t.description_nl.substr(0, 250));
    rs.AddString(modified);
    rs.AddString(modified);
    rs.AddString("Actualisering");
    rs.AddString("nl");
    rs.AddString("DAS");
    rs.AddString("Perjaar");
    rs.AddString(st->period_text);
    rs.AddString(ctx.base_url + "/ODataApi/odata/" + t.id);
    rs.AddString(ctx.base_url + "/ODataFeed/odata/" + t.id);
    rs.AddString("ts=1&graphtype=Table");
    rs.AddString("");
    rs.AddString("Table");
    rs.AddInt(static_cast<std::int64_t>(st->cells));
    rs.AddInt(static_cast<std::int64_t>(t.dims.size() + t.measures.size()));
    rs.AddString("2");
    rs.AddString(t.theme);
  }
  auto q = ParseQueryOptions(ctx.raw_query, kV3Options);
  if (!q.ok()) return ErrorResponse(400, ErrorStyle::kODataV3, q.status().message());
  auto sel = Select(rs, *q, ctx.state->limits.feed_page_rows, q->count);
  if (!sel.ok()) return ErrorResponse(400, ErrorStyle::kODataV3, sel.status().message());
  std::string body = "{\"odata.metadata\":";
  AppendJsonString(&body, root + "/$metadata#Cbs.OData.WebAPI.Tables");
  if (q->count) body += ",\"odata.count\":\"" + std::to_string(sel->total) + "\"";
  body += ",\"value\":[";
  AppendRows(&body, rs, *sel);
  body += "]";
  if (sel->more) {
    std::optional<std::size_t> next_top;
    if (q->has_top) next_top = q->top - sel->rows.size();
    body += ",\"odata.nextLink\":";
    AppendJsonString(&body, root + "/Tables?" + NextLinkQuery(ctx.raw_query, q->skip + sel->rows.size(), next_top));
  }
  body += "}\n";
  return JsonResponse(std::move(body));
}

}  // namespace das::serve
