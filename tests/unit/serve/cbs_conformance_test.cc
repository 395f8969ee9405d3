// Replays, request by request, how the CBS client libraries read a table, and checks every response's shape:
// - cbsodata (Python): Feed service document -> every listed set with ?$format=json (metadata) ->
//   TypedDataSet?$format=json following odata.nextLink until absent; filters passed as $filter.
// - cbsodataR: metadata from ODataApi (DataProperties, code lists), data from ODataFeed TypedDataSet, row count
//   estimated as the product of the dimension sizes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "das/serve/handler.h"
#include "serve_test_util.h"

namespace das::serve {
namespace {

using json = nlohmann::json;
using testing::Get;

class CbsConformance : public ::testing::Test {
 protected:
  static ServedState State() {
    ServedState s = testing::SmallState();
    s.release.tables.push_back(testing::BigTable());
    s.release.manifest.tables.push_back("DAS_Groot");
    return s;
  }
  CbsConformance() : h_(State()) {}
  // GET an absolute URL the server handed out (strip "http://das.test").
  json Fetch(const std::string& url, int expect = 200) {
    std::string target = url;
    const std::string base = "http://das.test";
    if (target.rfind(base, 0) == 0) target = target.substr(base.size());
    Response r = h_.Handle(Get(target, {{"Accept-Encoding", "gzip, deflate"}}));
    EXPECT_EQ(r.status, expect) << target << " -> " << r.body.substr(0, 300);
    std::string body = r.body;
    if (r.Header("Content-Encoding") == "gzip") body = *Gunzip(body);
    ++requests_;
    return json::parse(body);
  }
  Handler h_;
  int requests_ = 0;
};

TEST_F(CbsConformance, CbsodataGetData) {
  const std::string base = "http://das.test/ODataFeed/odata/DAS_Groot";
  json doc = Fetch(base + "?$format=json");
  ASSERT_TRUE(doc.contains("value"));
  std::set<std::string> names;
  for (const json& e : doc["value"]) {
    ASSERT_TRUE(e["name"].is_string());
    ASSERT_TRUE(e["url"].is_string());
    EXPECT_EQ(e["url"], base + "/" + e["name"].get<std::string>());
    names.insert(e["name"]);
  }
  EXPECT_EQ(names, (std::set<std::string>{"TableInfos", "UntypedDataSet", "TypedDataSet", "DataProperties",
                                          "CategoryGroups", "Perioden", "RegioS"}));
  // Metadata: every set but the data sets, each a {"odata.metadata", "value": [...]} document.
  for (const json& e : doc["value"]) {
    std::string name = e["name"];
    if (name == "TypedDataSet" || name == "UntypedDataSet") continue;
    json set = Fetch(e["url"].get<std::string>() + "?$format=json");
    ASSERT_TRUE(set["odata.metadata"].is_string()) << name;
    ASSERT_TRUE(set["value"].is_array()) << name;
    EXPECT_FALSE(set.contains("odata.nextLink")) << name;
    if (name == "RegioS") {
      ASSERT_EQ(set["value"].size(), 4001u);
      EXPECT_EQ(set["value"][0]["Key"], "NL01  ");  // padded to the 6 of "GM0001"
      EXPECT_EQ(set["value"][4000]["Key"], "GM4000");
    }
    if (name == "Perioden") {
      for (const json& p : set["value"]) EXPECT_TRUE(p["Status"] == "Definitief" || p["Status"] == "Voorlopig");
    }
    if (name == "DataProperties") {
      for (const json& p : set["value"]) {
        for (const char* k : {"ID", "Position", "ParentID", "Type", "Key", "Title", "Description"}) {
          EXPECT_TRUE(p.contains(k)) << k;
        }
      }
    }
  }
  // Data: follow odata.nextLink until absent.
  std::string url = base + "/TypedDataSet?$format=json";
  std::size_t rows = 0, pages = 0;
  while (true) {
    json page = Fetch(url);
    ++pages;
    for (const json& row : page["value"]) {
      ASSERT_EQ(row["ID"], rows);
      ASSERT_EQ(row.size(), 4u);  // ID, Perioden, RegioS, Aantal_1
      ++rows;
    }
    if (!page.contains("odata.nextLink")) break;
    url = page["odata.nextLink"];
    ASSERT_LE(page["value"].size(), 10000u);
  }
  EXPECT_EQ(rows, 3u * 4001u);
  EXPECT_EQ(pages, 2u);
  EXPECT_EQ(url, base + "/TypedDataSet?$format=json&$skip=10000");
}

TEST_F(CbsConformance, CbsodataFilters) {
  const std::string base = "http://das.test/ODataFeed/odata/DAS_Groot";
  // cbsodata.get_data(id, filters="RegioS eq 'NL01  '") -> requests encodes spaces as '+'.
  json page = Fetch(base + "/TypedDataSet?$format=json&$filter=RegioS+eq+%27NL01++%27");
  ASSERT_EQ(page["value"].size(), 3u);
  for (const json& row : page["value"]) EXPECT_EQ(row["RegioS"], "NL01  ");
  // substringof('JJ',Perioden): every row, still paged.
  page = Fetch(base + "/TypedDataSet?$format=json&$filter=substringof(%27JJ%27%2CPerioden)");
  EXPECT_EQ(page["value"].size(), 10000u);
  ASSERT_TRUE(page.contains("odata.nextLink"));
  page = Fetch(page["odata.nextLink"].get<std::string>());
  EXPECT_EQ(page["value"].size(), 2003u);
  EXPECT_FALSE(page.contains("odata.nextLink"));
  // (RegioS eq 'GM0001'  -- cells 8003 and 8004, value = cell % 97 or RegioS eq 'GM0002') and Perioden eq '2023JJ00'
  page = Fetch(base + "/TypedDataSet?$filter=(RegioS+eq+'GM0001'+or+RegioS+eq+'GM0002')+and+Perioden+eq+'2023JJ00'"
                      "&$select=Perioden,RegioS,Aantal_1");
  EXPECT_EQ(page["value"].dump(), "[{\"Aantal_1\":49,\"Perioden\":\"2023JJ00\",\"RegioS\":\"GM0001\"},"
                                  "{\"Aantal_1\":50,\"Perioden\":\"2023JJ00\",\"RegioS\":\"GM0002\"}]");
  // Suppressed cell is null in TypedDataSet and 'x' in UntypedDataSet.
  EXPECT_TRUE(Fetch(base + "/TypedDataSet?$filter=ID+eq+5")["value"][0]["Aantal_1"].is_null());
  EXPECT_EQ(Fetch(base + "/UntypedDataSet?$filter=ID+eq+5")["value"][0]["Aantal_1"], "x");
}

TEST_F(CbsConformance, CbsodataRMetadataFromApiDataFromFeed) {
  const std::string api = "http://das.test/ODataApi/odata/DAS_Groot";
  json props = Fetch(api + "/DataProperties?$format=json");
  std::size_t estimate = 1;
  for (const json& p : props["value"]) {
    std::string type = p["Type"];
    if (type == "Dimension" || type == "TimeDimension" || type == "GeoDimension") {
      json codes = Fetch(api + "/" + p["Key"].get<std::string>() + "?$format=json");
      estimate *= codes["value"].size();
    }
  }
  EXPECT_EQ(estimate, 3u * 4001u);
  // The whole TypedDataSet from ODataApi is over the cell cap: a 400 OData error.
  json err = Fetch(api + "/TypedDataSet?$format=json", 400);
  EXPECT_EQ(err["odata.error"]["message"]["value"],
            "ODataApi: the selection has 12003 rows x 1 topics = 12003 cells; at most 10000 cells per request: "
            "narrow it with $filter, $select or $top, or use /ODataFeed/odata/DAS_Groot/TypedDataSet (paged)");
  json ok = Fetch(api + "/TypedDataSet?$format=json&$filter=Perioden+eq+'2023JJ00'");
  EXPECT_EQ(ok["value"].size(), 4001u);
  json tables = Fetch("http://das.test/ODataCatalog/Tables?$format=json");
  ASSERT_EQ(tables["value"].size(), 2u);
  EXPECT_EQ(tables["value"][0]["Identifier"], "DAS_Groot");
  EXPECT_EQ(tables["value"][0]["RecordCount"], 12003);
}

TEST_F(CbsConformance, V4ObservationsPaging) {
  std::string url = "http://das.test/odata/v1/DAS/DAS_Groot/Observations?$filter=startswith(RegioS,'GM')";
  std::size_t rows = 0;
  int pages = 0;
  while (true) {
    json page = Fetch(url);
    ++pages;
    rows += page["value"].size();
    if (!page.contains("@odata.nextLink")) break;
    url = page["@odata.nextLink"];
  }
  EXPECT_EQ(rows, 12000u);
  EXPECT_EQ(pages, 2);
}

}  // namespace
}  // namespace das::serve
