#include "das/serve/handler.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "serve_test_util.h"

namespace das::serve {
namespace {

using testing::Get;
using testing::SmallState;
using json = nlohmann::json;

class HandlerTest : public ::testing::Test {
 protected:
  HandlerTest() : h_(SmallState()) {}
  Response Body(const std::string& target) { return h_.Handle(Get(target)); }
  Handler h_;
};

const std::string kFeed = "http://das.test/ODataFeed/odata/DAS_OM_Regio";

// --- OData v3 -------------------------------------------------------------------------------------------------

TEST_F(HandlerTest, V3ServiceDocument) {
  Response r = Body("/ODataFeed/odata/DAS_OM_Regio/?$format=json");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.body,
            "{\"odata.metadata\":\"" + kFeed + "/$metadata\",\"value\":["
            "{\"name\":\"TableInfos\",\"url\":\"" + kFeed + "/TableInfos\"},"
            "{\"name\":\"UntypedDataSet\",\"url\":\"" + kFeed + "/UntypedDataSet\"},"
            "{\"name\":\"TypedDataSet\",\"url\":\"" + kFeed + "/TypedDataSet\"},"
            "{\"name\":\"DataProperties\",\"url\":\"" + kFeed + "/DataProperties\"},"
            "{\"name\":\"CategoryGroups\",\"url\":\"" + kFeed + "/CategoryGroups\"},"
            "{\"name\":\"Perioden\",\"url\":\"" + kFeed + "/Perioden\"},"
            "{\"name\":\"RegioS\",\"url\":\"" + kFeed + "/RegioS\"}]}\n");
  // Same document without trailing slash and with CBS's "OData" spelling.
  EXPECT_EQ(Body("/ODataFeed/OData/DAS_OM_Regio").body, r.body);
}

TEST_F(HandlerTest, V3TypedDataSetPaddedKeysAndNulls) {
  Response r = Body("/ODataApi/odata/DAS_OM_Regio/TypedDataSet?$format=json");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body,
            "{\"odata.metadata\":\"http://das.test/ODataApi/odata/DAS_OM_Regio/$metadata#Cbs.OData.WebAPI.TypedDataSet\","
            "\"value\":["
            "{\"ID\":0,\"Perioden\":\"2022JJ00\",\"RegioS\":\"NL01  \",\"Instroom_1\":100,\"Mediaan_2\":10.5},"
            "{\"ID\":1,\"Perioden\":\"2022JJ00\",\"RegioS\":\"PV20  \",\"Instroom_1\":40,\"Mediaan_2\":null},"
            "{\"ID\":2,\"Perioden\":\"2022JJ00\",\"RegioS\":\"GM0014\",\"Instroom_1\":40,\"Mediaan_2\":9.2},"
            "{\"ID\":3,\"Perioden\":\"2023JJ00\",\"RegioS\":\"NL01  \",\"Instroom_1\":120,\"Mediaan_2\":11.0},"
            "{\"ID\":4,\"Perioden\":\"2023JJ00\",\"RegioS\":\"PV20  \",\"Instroom_1\":50,\"Mediaan_2\":12.0},"
            "{\"ID\":5,\"Perioden\":\"2023JJ00\",\"RegioS\":\"GM0014\",\"Instroom_1\":null,\"Mediaan_2\":null}]}\n");
}

TEST_F(HandlerTest, V3UntypedDataSetSymbols) {
  Response r = Body("/ODataFeed/odata/DAS_OM_Regio/UntypedDataSet?$select=ID,Instroom_1,Mediaan_2&$skip=4");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"value\":[{\"ID\":4,\"Instroom_1\":\"50\",\"Mediaan_2\":\"12.0\"},"
                        "{\"ID\":5,\"Instroom_1\":\"x\",\"Mediaan_2\":\"x\"}]}"),
            std::string::npos)
      << r.body;
  r = Body("/ODataFeed/odata/DAS_OM_Regio/UntypedDataSet?$select=Mediaan_2&$top=2");
  EXPECT_NE(r.body.find("[{\"Mediaan_2\":\"10.5\"},{\"Mediaan_2\":\".\"}]"), std::string::npos) << r.body;
}

TEST_F(HandlerTest, V3FilterOnPaddedKeys) {
  Response r = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$filter=RegioS%20eq%20%27NL01%20%20%27&$select=ID");
  EXPECT_NE(r.body.find("\"value\":[{\"ID\":0},{\"ID\":3}]"), std::string::npos) << r.body;
  // The unpadded key matches nothing, as at CBS.
  r = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$filter=RegioS+eq+'NL01'&$select=ID");
  EXPECT_NE(r.body.find("\"value\":[]"), std::string::npos) << r.body;
  r = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$filter=substringof('JJ',Perioden)+and+"
           "(startswith(RegioS,'GM')+or+Instroom_1+ge+120)&$select=ID");
  EXPECT_NE(r.body.find("\"value\":[{\"ID\":2},{\"ID\":3},{\"ID\":5}]"), std::string::npos) << r.body;
  r = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$filter=not+(Instroom_1+ne+null)&$select=ID");
  EXPECT_NE(r.body.find("\"value\":[{\"ID\":5}]"), std::string::npos) << r.body;
  r = Body("/ODataFeed/odata/DAS_OM_Regio/UntypedDataSet?$filter=Instroom_1+eq+'x'&$select=ID");
  EXPECT_NE(r.body.find("\"value\":[{\"ID\":5}]"), std::string::npos) << r.body;
}

TEST_F(HandlerTest, V3MalformedQueriesSayWhere) {
  struct Case {
    std::string query, message;
  };
  const std::vector<Case> cases = {
      {"$filter=Perioden+eq", "$filter: position 12: expected a property or a literal but found end of input"},
      {"$filter=Periode+eq+'2023JJ00'", "$filter: position 1: unknown property 'Periode'"},
      {"$filter=Instroom_1+eq+'10'", "$filter: position 15: property 'Instroom_1' is a number but is compared with a string"},
      {"$top=abc", "$top: expected a non-negative integer but found 'abc'"},
      {"$skip=-1", "$skip: expected a non-negative integer but found '-1'"},
      {"$select=ID,Foo", "$select: unknown property 'Foo'"},
      {"$select=ID,,Perioden", "$select: position 4: empty property name"},
      {"$format=xml", "$format: 'xml' is not supported; use $format=json"},
      {"$orderby=ID", "query option '$orderby' is not supported here (supported: $format $select $top $skip $filter "
                      "$inlinecount $skiptoken)"},
      {"$top=1&$top=2", "query option '$top' is given more than once"},
      {"$filter=%ZZ", "query parameter '$filter': bad percent escape at offset 1"},
  };
  for (const Case& c : cases) {
    Response r = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?" + c.query);
    EXPECT_EQ(r.status, 400) << c.query;
    json j = json::parse(r.body);
    EXPECT_EQ(j["odata.error"]["message"]["value"], c.message) << c.query;
    EXPECT_EQ(j["odata.error"]["code"], "400");
  }
}

TEST_F(HandlerTest, V3NotFound) {
  Response r = Body("/ODataFeed/odata/Nope/TypedDataSet");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body)["odata.error"]["message"]["value"],
            "unknown table 'Nope' in release 2024-03-31.0123456789 (see /ODataCatalog/Tables)");
  r = Body("/ODataFeed/odata/DAS_OM_Regio/Geslacht");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json::parse(r.body)["odata.error"]["message"]["value"],
            "table DAS_OM_Regio has no entity set 'Geslacht' (see the service document " + kFeed + "/)");
}

TEST_F(HandlerTest, V3Metadata) {
  Response r = Body("/ODataApi/odata/DAS_OM_Regio/DataProperties");
  json v = json::parse(r.body)["value"];
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0]["Type"], "TimeDimension");
  EXPECT_EQ(v[0]["Key"], "Perioden");
  EXPECT_EQ(v[1]["Type"], "GeoDimension");
  EXPECT_EQ(v[2]["Type"], "Topic");
  EXPECT_EQ(v[2]["Key"], "Instroom_1");
  EXPECT_EQ(v[2]["Unit"], "aantal");
  EXPECT_EQ(v[3]["Decimals"], 1);
  EXPECT_EQ(v[3]["Datatype"], "Double");
  EXPECT_EQ(v[3]["ID"], 3);
  EXPECT_TRUE(v[3]["ParentID"].is_null());
  v = json::parse(Body("/ODataApi/odata/DAS_OM_Regio/Perioden").body)["value"];
  EXPECT_EQ(v.dump(), "[{\"Description\":null,\"Key\":\"2022JJ00\",\"Status\":\"Definitief\",\"Title\":\"2022\"},"
                      "{\"Description\":null,\"Key\":\"2023JJ00\",\"Status\":\"Voorlopig\",\"Title\":\"2023*\"}]");
  v = json::parse(Body("/ODataApi/odata/DAS_OM_Regio/RegioS").body)["value"];
  EXPECT_EQ(v.dump(),
            "[{\"CategoryGroupID\":null,\"Description\":null,\"Key\":\"NL01  \",\"Title\":\"Nederland\"},"
            "{\"CategoryGroupID\":1,\"Description\":null,\"Key\":\"PV20  \",\"Title\":\"Groningen (PV)\"},"
            "{\"CategoryGroupID\":2,\"Description\":null,\"Key\":\"GM0014\",\"Title\":\"Groningen\"}]");
  v = json::parse(Body("/ODataApi/odata/DAS_OM_Regio/CategoryGroups").body)["value"];
  EXPECT_EQ(v.dump(), "[{\"Description\":null,\"DimensionKey\":\"RegioS\",\"ID\":1,\"ParentID\":null,\"Title\":\"Nederland\"},"
                      "{\"Description\":null,\"DimensionKey\":\"RegioS\",\"ID\":2,\"ParentID\":1,\"Title\":\"Groningen (PV)\"}]");
  v = json::parse(Body("/ODataApi/odata/DAS_OM_Regio/TableInfos").body)["value"];
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["Identifier"], "DAS_OM_Regio");
  EXPECT_EQ(v[0]["Period"], "2022 - 2023");
  EXPECT_EQ(v[0]["RecordCount"], 6);
  EXPECT_EQ(v[0]["Modified"], "2024-03-31T00:00:00");
  r = Body("/ODataApi/odata/DAS_OM_Regio/$metadata");
  EXPECT_EQ(r.Header("Content-Type"), "application/xml; charset=utf-8");
  EXPECT_NE(r.body.find("<EntityType Name=\"TypedDataSet\"><Key><PropertyRef Name=\"ID\"/></Key>"
                        "<Property Name=\"ID\" Type=\"Edm.Int32\" Nullable=\"false\"/>"
                        "<Property Name=\"Perioden\" Type=\"Edm.String\"/><Property Name=\"RegioS\" Type=\"Edm.String\"/>"
                        "<Property Name=\"Instroom_1\" Type=\"Edm.Int64\"/><Property Name=\"Mediaan_2\" Type=\"Edm.Double\"/>"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet/$count?$filter=RegioS+eq+'GM0014'").body, "2");
}

TEST_F(HandlerTest, ApiCellCapAndFeedPaging) {
  ServedState s = SmallState();
  s.limits.api_max_cells = 5;
  s.limits.feed_page_rows = 4;
  Handler h(std::move(s));
  Response r = h.Handle(Get("/ODataApi/odata/DAS_OM_Regio/TypedDataSet"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["odata.error"]["message"]["value"],
            "ODataApi: the selection has 6 rows x 2 topics = 12 cells; at most 5 cells per request: narrow it with "
            "$filter, $select or $top, or use /ODataFeed/odata/DAS_OM_Regio/TypedDataSet (paged)");
  r = h.Handle(Get("/ODataApi/odata/DAS_OM_Regio/TypedDataSet?$select=ID,Instroom_1&$top=5"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(json::parse(r.body)["value"].size(), 5u);
  EXPECT_EQ(r.body.find("nextLink"), std::string::npos);
  r = h.Handle(Get("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$format=json&$select=ID"));
  json j = json::parse(r.body);
  EXPECT_EQ(j["value"].size(), 4u);
  EXPECT_EQ(j["odata.nextLink"],
            "http://das.test/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$format=json&$select=ID&$skip=4");
  r = h.Handle(Get("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$format=json&$select=ID&$skip=4"));
  j = json::parse(r.body);
  EXPECT_EQ(j["value"].dump(), "[{\"ID\":4},{\"ID\":5}]");
  EXPECT_FALSE(j.contains("odata.nextLink"));
  // $top across pages: 5 rows = a page of 4 and a link for the last one.
  j = json::parse(h.Handle(Get("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$top=5&$select=ID")).body);
  EXPECT_EQ(j["odata.nextLink"], "http://das.test/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$select=ID&$top=1&$skip=4");
  j = json::parse(h.Handle(Get("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$select=ID&$top=1&$skip=4")).body);
  EXPECT_EQ(j["value"].dump(), "[{\"ID\":4}]");
  EXPECT_FALSE(j.contains("odata.nextLink"));
}

TEST_F(HandlerTest, Catalog) {
  json j = json::parse(Body("/ODataCatalog/Tables?$format=json").body);
  ASSERT_EQ(j["value"].size(), 1u);
  EXPECT_EQ(j["value"][0]["Identifier"], "DAS_OM_Regio");
  EXPECT_EQ(j["value"][0]["ApiUrl"], "http://das.test/ODataApi/odata/DAS_OM_Regio");
  EXPECT_EQ(j["value"][0]["FeedUrl"], "http://das.test/ODataFeed/odata/DAS_OM_Regio");
  EXPECT_EQ(j["value"][0]["RecordCount"], 6);
  j = json::parse(Body("/ODataCatalog/Tables?$filter=Identifier+eq+'X'").body);
  EXPECT_EQ(j["value"].size(), 0u);
}

// --- OData v4 -------------------------------------------------------------------------------------------------

TEST_F(HandlerTest, V4Sets) {
  const std::string root = "http://das.test/odata/v1/DAS/DAS_OM_Regio";
  json j = json::parse(Body("/odata/v1/DAS/DAS_OM_Regio/").body);
  EXPECT_EQ(j["@odata.context"], root + "/$metadata");
  std::string names;
  for (const auto& e : j["value"]) names += e["name"].get<std::string>() + ":" + e["kind"].get<std::string>() + " ";
  EXPECT_EQ(names, "Observations:EntitySet MeasureCodes:EntitySet MeasureGroups:EntitySet Dimensions:EntitySet "
                   "PeriodenCodes:EntitySet PeriodenGroups:EntitySet RegioSCodes:EntitySet RegioSGroups:EntitySet "
                   "Properties:Singleton ");
  Response r = Body("/odata/v1/DAS/DAS_OM_Regio/Observations?$filter=RegioS+eq+'GM0014'+and+Perioden+eq+'2023JJ00'");
  EXPECT_EQ(r.Header("OData-Version"), "4.0");
  j = json::parse(r.body);
  EXPECT_EQ(j["value"].dump(),
            "[{\"Id\":10,\"Measure\":\"Instroom_1\",\"Perioden\":\"2023JJ00\",\"RegioS\":\"GM0014\",\"StringValue\":null,"
            "\"Value\":null,\"ValueAttribute\":\"Confidential\"},"
            "{\"Id\":11,\"Measure\":\"Mediaan_2\",\"Perioden\":\"2023JJ00\",\"RegioS\":\"GM0014\",\"StringValue\":null,"
            "\"Value\":null,\"ValueAttribute\":\"Confidential\"}]");
  j = json::parse(Body("/odata/v1/DAS/DAS_OM_Regio/Observations?$filter=contains(Measure,'Mediaan')+and+"
                       "endswith(RegioS,'14')&$select=Id,Value,ValueAttribute&$count=true").body);
  EXPECT_EQ(j["@odata.count"], 2);
  EXPECT_EQ(j["value"].dump(), "[{\"Id\":5,\"Value\":9.2,\"ValueAttribute\":\"None\"},"
                               "{\"Id\":11,\"Value\":null,\"ValueAttribute\":\"Confidential\"}]");
  j = json::parse(Body("/odata/v1/DAS/DAS_OM_Regio/Observations?$filter=Id+eq+3").body);
  EXPECT_EQ(j["value"][0]["ValueAttribute"], "Impossible");
  j = json::parse(Body("/odata/v1/DAS/DAS_OM_Regio/MeasureCodes").body);
  EXPECT_EQ(j["value"][1]["Identifier"], "Mediaan_2");
  EXPECT_EQ(j["value"][1]["Unit"], "dagen");
  EXPECT_EQ(j["value"][1]["Decimals"], 1);
  j = json::parse(Body("/odata/v1/DAS/DAS_OM_Regio/Dimensions").body);
  EXPECT_EQ(j["value"][0]["Kind"], "TimeDimension");
  EXPECT_EQ(j["value"][1]["Kind"], "GeoDimension");
  EXPECT_EQ(j["value"][1]["ContainsGroups"], true);
  j = json::parse(Body("/odata/v1/DAS/DAS_OM_Regio/RegioSCodes").body);
  EXPECT_EQ(j["value"][2].dump(), "{\"Description\":null,\"DimensionGroupId\":\"PV20\",\"Identifier\":\"GM0014\","
                                  "\"Index\":3,\"Status\":null,\"Title\":\"Groningen\"}");
  j = json::parse(Body("/odata/v1/DAS/DAS_OM_Regio/PeriodenCodes?$filter=Status+eq+'Voorlopig'").body);
  EXPECT_EQ(j["value"].size(), 1u);
  EXPECT_EQ(j["value"][0]["Identifier"], "2023JJ00");
  j = json::parse(Body("/odata/v1/DAS/DAS_OM_Regio/RegioSGroups").body);
  EXPECT_EQ(j["value"].dump(), "[{\"Description\":null,\"Id\":\"NL01\",\"Index\":1,\"ParentId\":null,\"Title\":\"Nederland\"},"
                               "{\"Description\":null,\"Id\":\"PV20\",\"Index\":2,\"ParentId\":\"NL01\",\"Title\":\"Groningen (PV)\"}]");
  j = json::parse(Body("/odata/v1/DAS/DAS_OM_Regio/Properties").body);
  EXPECT_EQ(j["@odata.context"], root + "/$metadata#Properties");
  EXPECT_EQ(j["ObservationCount"], 12);
  EXPECT_EQ(j["Modified"], "2024-03-31T00:00:00Z");
  r = Body("/odata/v1/DAS/DAS_OM_Regio/$metadata");
  EXPECT_NE(r.body.find("<Singleton Name=\"Properties\" Type=\"Cbs.OData4.DatasetProperties\"/>"), std::string::npos);
  EXPECT_NE(r.body.find("<EntitySet Name=\"RegioSCodes\" EntityType=\"Cbs.OData4.DimensionCode\"/>"), std::string::npos);
  j = json::parse(Body("/odata/v1/Datasets").body);
  EXPECT_EQ(j["value"][0]["Identifier"], "DAS_OM_Regio");
  // The /$count segment: rows matching $filter, as text.
  r = Body("/odata/v1/DAS/DAS_OM_Regio/Observations/$count");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "12");
  EXPECT_EQ(r.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Body("/odata/v1/DAS/DAS_OM_Regio/Observations/$count?$filter=contains(Measure,'Mediaan')").body, "6");
  EXPECT_EQ(Body("/odata/v1/Datasets/$count").body, "1");
  // The catalogue's own metadata document (its @odata.context points there).
  r = Body("/odata/v1/$metadata");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<EntitySet Name=\"Datasets\" EntityType=\"Cbs.OData4.Dataset\"/>"), std::string::npos);
  EXPECT_NE(r.body.find("<EntityType Name=\"Catalog\"><Key><PropertyRef Name=\"Identifier\"/></Key>"),
            std::string::npos);
  r = Body("/odata/v1/DAS/DAS_OM_Regio/Observations?$filter=Value+gt");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["error"]["message"], "$filter: position 9: expected a property or a literal but found end of input");
  r = Body("/odata/v1/DAS/DAS_OM_Regio/Foo");
  EXPECT_EQ(r.status, 404);
}

// --- downloads ------------------------------------------------------------------------------------------------

TEST_F(HandlerTest, Downloads) {
  Response r = Body("/download/DAS_OM_Regio.csv");
  EXPECT_EQ(r.Header("Content-Type"), "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(r.Header("Content-Disposition"), "attachment; filename=\"DAS_OM_Regio.csv\"");
  EXPECT_EQ(r.body, "Perioden,RegioS,Instroom_1,Mediaan_2\r\n2022JJ00,NL01,100,10.5\r\n2022JJ00,PV20,40,.\r\n"
                    "2022JJ00,GM0014,40,9.2\r\n2023JJ00,NL01,120,11.0\r\n2023JJ00,PV20,50,12.0\r\n2023JJ00,GM0014,x,x\r\n");
  r = Body("/download/DAS_OM_Regio.csv?sep=semicolon");
  EXPECT_EQ(r.body.substr(0, 60), "Perioden;RegioS;Instroom_1;Mediaan_2\r\n2022JJ00;NL01;100;10,5");
  r = Body("/download/DAS_OM_Regio.csv?sep=tab");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["error"]["message"], "sep: expected comma or semicolon but found 'tab'");
  r = Body("/download/DAS_OM_Regio.sdmx.csv");
  EXPECT_EQ(r.Header("Content-Type"), "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8");
  EXPECT_EQ(r.body.substr(0, r.body.find("\r\n", r.body.find("\r\n") + 2) + 2),
            "STRUCTURE,STRUCTURE_ID,ACTION,Perioden,RegioS,MEASURE,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,DECIMALS,"
            "OBS_STATUS,CONF_STATUS\r\ndataflow,DAS:DAS_OM_Regio(1.0),I,2022JJ00,NL01,Instroom_1,100,aantal,0,0,A,F\r\n");
  EXPECT_NE(r.body.find("dataflow,DAS:DAS_OM_Regio(1.0),I,2023JJ00,GM0014,Mediaan_2,,dagen,0,1,A,C\r\n"), std::string::npos);
  r = Body("/download/DAS_OM_Regio.xlsx");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.substr(0, 2), "PK");
  EXPECT_GT(r.body.size(), 3000u);
  EXPECT_EQ(Body("/download/DAS_OM_Regio.pdf").status, 404);
  EXPECT_EQ(Body("/download/Nope.csv").status, 404);
}

// --- HTTP -----------------------------------------------------------------------------------------------------

TEST_F(HandlerTest, EtagAnd304) {
  Response r = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet");
  std::string etag(r.Header("ETag"));
  ASSERT_EQ(etag.size(), 20u) << etag;  // "r-" + 16 hex, quoted
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=300");
  Response nm = h_.Handle(Get("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet", {{"If-None-Match", etag}}));
  EXPECT_EQ(nm.status, 304);
  EXPECT_EQ(nm.body, "");
  EXPECT_EQ(nm.Header("ETag"), etag);
  nm = h_.Handle(Get("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet", {{"If-None-Match", "\"other\", W/" + etag}}));
  EXPECT_EQ(nm.status, 304);
  nm = h_.Handle(Get("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet", {{"If-None-Match", "\"other\""}}));
  EXPECT_EQ(nm.status, 200);
  // Another release gives another ETag.
  ServedState s = SmallState();
  s.release.manifest.content_sha256 = "0000";
  Handler other(std::move(s));
  EXPECT_NE(other.Handle(Get("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet")).Header("ETag"), etag);
}

TEST_F(HandlerTest, GzipHeadOptionsMethods) {
  Response plain = Body("/download/DAS_OM_Regio.sdmx.csv");
  ASSERT_GT(plain.body.size(), 860u);
  EXPECT_EQ(plain.Header("Content-Encoding"), "");
  Response z = h_.Handle(Get("/download/DAS_OM_Regio.sdmx.csv", {{"Accept-Encoding", "br, gzip;q=0.5"}}));
  EXPECT_EQ(z.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(z.Header("Vary"), "Accept-Encoding");
  EXPECT_EQ(z.Header("ETag"), std::string(plain.Header("ETag")).insert(plain.Header("ETag").size() - 1, "-gz"));
  auto unz = Gunzip(z.body);
  ASSERT_TRUE(unz.ok());
  EXPECT_EQ(*unz, plain.body);
  EXPECT_EQ(h_.Handle(Get("/download/DAS_OM_Regio.sdmx.csv", {{"Accept-Encoding", "gzip;q=0"}})).Header("Content-Encoding"), "");
  Request head = Get("/download/DAS_OM_Regio.sdmx.csv");
  head.method = "HEAD";
  Response hr = h_.Handle(head);
  EXPECT_EQ(hr.status, 200);
  EXPECT_EQ(hr.body, "");
  EXPECT_EQ(hr.content_length, plain.body.size());
  Request opt = Get("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet");
  opt.method = "OPTIONS";
  Response o = h_.Handle(opt);
  EXPECT_EQ(o.status, 204);
  EXPECT_EQ(o.Header("Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
  Request post = Get("/healthz");
  post.method = "POST";
  Response p = h_.Handle(post);
  EXPECT_EQ(p.status, 405);
  EXPECT_EQ(p.Header("Allow"), "GET, HEAD, OPTIONS");
  EXPECT_EQ(json::parse(p.body)["error"]["message"], "method POST is not allowed: this API is read-only (GET, HEAD)");
  EXPECT_EQ(plain.Header("Access-Control-Allow-Origin"), "*");
}

TEST_F(HandlerTest, Limits) {
  Response r = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$filter=" + std::string(9000, 'a'));
  EXPECT_EQ(r.status, 414);
  EXPECT_EQ(json::parse(r.body)["error"]["message"], "request target of 9051 bytes; at most 8192");
  r = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$filter=" + std::string(7000, 'a'));
  EXPECT_EQ(r.status, 414);
  EXPECT_EQ(json::parse(r.body)["error"]["message"], "query string of 7008 bytes; at most 6144");
  std::string deep = "$filter=";
  for (int i = 0; i < 40; ++i) deep += "(";
  deep += "ID+eq+1";
  for (int i = 0; i < 40; ++i) deep += ")";
  r = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?" + deep);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["odata.error"]["message"]["value"],
            "$filter: position 33: nesting deeper than 32 levels");
  EXPECT_EQ(Body("relative").status, 400);
}

// --- API, health, metrics, static files ----------------------------------------------------------------------

TEST_F(HandlerTest, ApiEndpoints) {
  json j = json::parse(Body("/api/releases").body);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["served"], false);
  EXPECT_EQ(j[1]["served"], true);
  EXPECT_EQ(j[1]["release_id"], "2024-03-31.0123456789");
  j = json::parse(Body("/api/releases/latest").body);
  EXPECT_EQ(j["release_id"], "2024-03-31.0123456789");
  EXPECT_EQ(j["tables"].dump(), "[\"DAS_OM_Regio\"]");
  j = json::parse(Body("/api/releases/2023-12-31.aaaaaaaaaa").body);
  EXPECT_EQ(j["served"], false);
  EXPECT_EQ(Body("/api/releases/nope").status, 404);
  Response d = Body("/api/releases/diff?a=x&b=y");
  EXPECT_EQ(d.status, 501);
  EXPECT_EQ(json::parse(d.body)["error"]["message"], "release diff is not available in this server");
  ServedState s = SmallState();
  s.diff_json = [](const std::string& a, const std::string& b) -> Result<std::string> {
    if (a == "nope") return Status::NotFound("unknown release 'nope'");
    return "{\"a\":\"" + a + "\",\"b\":\"" + b + "\"}";
  };
  Handler with_diff(std::move(s));
  EXPECT_EQ(with_diff.Handle(Get("/api/releases/diff?a=r1&b=r2")).body, "{\"a\":\"r1\",\"b\":\"r2\"}\n");
  d = with_diff.Handle(Get("/api/releases/diff?a=nope&b=r2"));
  EXPECT_EQ(d.status, 404);
  EXPECT_EQ(json::parse(d.body)["error"]["message"], "unknown release 'nope'");
  d = with_diff.Handle(Get("/api/releases/diff?a=r1"));
  EXPECT_EQ(d.status, 400);
  EXPECT_EQ(json::parse(d.body)["error"]["message"], "releases/diff: give both releases: ?a=<id>&b=<id>");
  j = json::parse(Body("/api/concepts").body);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["term_en"], "dismissal");
  EXPECT_EQ(j[0]["source_mappings"][0]["codelist"], "om_beslissing");
  EXPECT_EQ(json::parse(Body("/api/concepts/sepot").body)["id"], "sepot");
  EXPECT_EQ(Body("/api/concepts/nope").status, 404);
  j = json::parse(Body("/api/openapi.json").body);
  EXPECT_EQ(j["openapi"], "3.0.3");
  EXPECT_TRUE(j["paths"].contains("/download/{table}.csv"));
  EXPECT_EQ(Body("/healthz").body, "{\"status\":\"ok\",\"release\":\"2024-03-31.0123456789\",\"tables\":1}\n");
  EXPECT_EQ(Body("/healthz").Header("Cache-Control"), "no-cache");
  h_.metrics().Record(200, 10, 0.002);
  h_.metrics().Record(404, 5, 0.2);
  Response m = Body("/metrics");
  EXPECT_EQ(m.Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(m.body.find("das_http_requests_total{code=\"2xx\"} 1\n"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find("das_http_requests_total{code=\"4xx\"} 1\n"), std::string::npos);
  EXPECT_NE(m.body.find("das_http_request_duration_seconds_bucket{le=\"0.0025\"} 1\n"), std::string::npos);
  EXPECT_NE(m.body.find("das_http_request_duration_seconds_bucket{le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_EQ(Body("/api/nothing").status, 404);
}

TEST(HandlerStatic, WebRootNeverEscapes) {
  MemFileSystem fs;
  ASSERT_TRUE(fs.WriteFile("/web/index.html", "<html>dash</html>").ok());
  ASSERT_TRUE(fs.WriteFile("/web/app.js", "console.log(1)").ok());
  ASSERT_TRUE(fs.WriteFile("/secret.txt", "secret").ok());
  ServedState s = SmallState();
  s.fs = &fs;
  s.web_root = "/web";
  Handler h(std::move(s));
  Response r = h.Handle(Get("/"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "<html>dash</html>");
  EXPECT_EQ(r.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
  r = h.Handle(Get("/app.js"));
  EXPECT_EQ(r.Header("Content-Type"), "application/javascript; charset=utf-8");
  EXPECT_EQ(r.body, "console.log(1)");
  EXPECT_EQ(h.Handle(Get("/thema/vervolging")).body, "<html>dash</html>");  // the dashboard's own routes
  EXPECT_EQ(h.Handle(Get("/missing.js")).status, 404);
  for (const char* evil : {"/../secret.txt", "/%2e%2e/secret.txt", "/a/../../secret.txt", "/..%2fsecret.txt",
                           "//secret.txt", "/.%2e/secret.txt", "/x\\..\\secret.txt"}) {
    Response e = h.Handle(Get(evil));
    EXPECT_NE(e.body, "secret") << evil;
    EXPECT_EQ(e.status, 404) << evil;
  }
}

TEST_F(HandlerTest, CachedResponsesAreIdentical) {
  Response a = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$select=ID");
  Response b = Body("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$select=ID");
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.headers, b.headers);
  EXPECT_NE(Body("/metrics").body.find("das_response_cache_entries 1\n"), std::string::npos);
  // The server's path: the cached body is shared, not copied.
  Response c = h_.Handle(Get("/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$select=ID"), true);
  ASSERT_NE(c.shared_body, nullptr);
  EXPECT_EQ(c.body, "");
  EXPECT_EQ(*c.shared_body, a.body);
  EXPECT_EQ(c.content_length, a.body.size());
  EXPECT_EQ(c.headers, a.headers);
}

TEST(ServeHelpers, PercentDecodeAndGzip) {
  EXPECT_EQ(*PercentDecode("a%20b+c", true), "a b c");
  EXPECT_EQ(*PercentDecode("a%20b+c", false), "a b+c");
  EXPECT_EQ(PercentDecode("abc%4", false).status().message(), "bad percent escape at offset 4");
  EXPECT_EQ(PercentDecode("%G0", false).status().message(), "bad percent escape at offset 1");
  std::string data(100000, 'a');
  auto z = Gzip(data);
  ASSERT_TRUE(z.ok());
  EXPECT_LT(z->size(), 1000u);
  EXPECT_EQ(*Gunzip(*z), data);
  EXPECT_EQ(Gunzip("not gzip").status().message(), "gunzip: corrupt gzip data");
}

}  // namespace
}  // namespace das::serve
