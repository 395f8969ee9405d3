// Internals shared by the handler's translation units: the precomputed view of a published table, a small
// row-set model every entity set is served through ($filter/$select/$top/$skip in one place), query options,
// JSON writing and error responses. Not a public header.
#pragma once

#include "das/core/number_format.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "das/release/release.h"
#include "das/serve/handler.h"
#include "das/serve/odata_filter.h"

namespace das::serve {

// --- values and rows ------------------------------------------------------------------------------------------

// A cell of a served row. Text is a view into storage that outlives the row (table or row-set storage, or the
// row's scratch strings).
struct Value {
  enum class Kind : std::uint8_t { kNull, kInt, kNumber, kString, kBool };
  Kind kind = Kind::kNull;
  std::int64_t integer = 0;
  double number = 0;
  int decimals = 0;   // kNumber: digits after the point in JSON
  bool boolean = false;
  std::string_view text;

  static Value Null() { return {}; }
  static Value Int(std::int64_t v) { Value x; x.kind = Kind::kInt; x.integer = v; return x; }
  static Value Number(double v, int decimals) {
    Value x; x.kind = Kind::kNumber; x.number = v; x.decimals = decimals; return x;
  }
  static Value String(std::string_view s) { Value x; x.kind = Kind::kString; x.text = s; return x; }
  static Value Bool(bool b) { Value x; x.kind = Kind::kBool; x.boolean = b; return x; }
};

// Declared property of a row set: name and filter type.
struct Property {
  std::string name;
  PropertyType type = PropertyType::kString;
  std::string edm_type;  // for $metadata: "Edm.String", "Edm.Int32", "Edm.Double", ...
};

// A source of rows: small materialised sets and the virtual data sets (TypedDataSet, Observations).
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual const std::vector<Property>& properties() const = 0;
  virtual std::size_t size() const = 0;
  // Fills `out` (size = properties) for row `row`; `scratch` (size = properties) may hold formatted text.
  virtual void Fill(std::size_t row, std::vector<Value>* out, std::vector<std::string>* scratch) const = 0;
};

// A materialised row set (metadata sets).
class RowSet final : public RowSource {
 public:
  explicit RowSet(std::vector<Property> props) : props_(std::move(props)) {}
  const std::vector<Property>& properties() const override { return props_; }
  std::size_t size() const override { return rows_.size(); }
  void Fill(std::size_t row, std::vector<Value>* out, std::vector<std::string>*) const override { *out = rows_[row]; }
  // Starts a row; values are added in property order with the Add* functions.
  void NewRow() { rows_.emplace_back(); }
  void AddNull() { rows_.back().push_back(Value::Null()); }
  void AddInt(std::int64_t v) { rows_.back().push_back(Value::Int(v)); }
  void AddOptInt(std::optional<std::int64_t> v) { rows_.back().push_back(v ? Value::Int(*v) : Value::Null()); }
  void AddNumber(double v, int decimals) { rows_.back().push_back(Value::Number(v, decimals)); }
  void AddBool(bool b) { rows_.back().push_back(Value::Bool(b)); }
  void AddString(std::string s) {
    storage_.push_back(std::move(s));
    rows_.back().push_back(Value::String(storage_.back()));
  }
  void AddOptString(const std::string& s) {
    if (s.empty()) AddNull(); else AddString(s);
  }

 private:
  std::vector<Property> props_;
  std::vector<std::vector<Value>> rows_;
  std::deque<std::string> storage_;
};

// --- the served view of a table -------------------------------------------------------------------------------

struct CodeGroup {
  int id = 0;            // v3 CategoryGroups ID (unique in the table, from 1)
  std::size_t dim = 0;
  int code = 0;          // the code that heads the group
  int parent_group = -1; // v3 ID of the parent group, -1 none
};

struct ServedTable {
  const release::PublishedTable* t = nullptr;
  std::vector<std::vector<std::string>> padded;  // per dimension, per code: the v3 key (space padded)
  std::vector<std::size_t> stride;               // per dimension: cells per code step
  std::vector<std::vector<int>> code_group;      // per dimension, per code: v3 group ID of its parent, or -1
  std::vector<std::vector<int>> heads_group;     // per dimension, per code: v3 group ID it heads, or -1
  std::vector<CodeGroup> groups;
  std::size_t cells = 0;
  std::string period_text;  // "2019 - 2023" from the time dimension
  int time_dim = -1;
};

// Builds the served view (padding, strides, groups).
ServedTable BuildServedTable(const release::PublishedTable& t);
std::size_t CodeIndex(const ServedTable& st, std::size_t cell, std::size_t dim);

// --- query options --------------------------------------------------------------------------------------------

struct QueryOptions {
  bool has_format = false, has_select = false, has_filter = false, has_top = false;
  std::string format;
  std::vector<std::string> select;
  std::size_t top = 0, skip = 0;
  std::string filter;
  bool count = false;       // v4 $count=true
  std::string skiptoken;    // unused, accepted for clients that send it
  std::vector<std::pair<std::string, std::string>> params;  // non-$ parameters (e.g. sep)
  std::string Param(std::string_view name) const;
};

// Parses a raw query string ("a=b&c=d", not yet decoded). `allowed` lists the $-options the endpoint accepts.
Result<QueryOptions> ParseQueryOptions(std::string_view raw_query, std::string_view allowed);

// --- JSON -----------------------------------------------------------------------------------------------------

void AppendJsonString(std::string* out, std::string_view s);
void AppendJsonValue(std::string* out, const Value& v);
using das::FormatFixed;  // das/core/number_format.h, as PublishedTable::Untyped

// XML text escaping for $metadata.
std::string XmlEscape(std::string_view s);

// --- responses ------------------------------------------------------------------------------------------------

enum class ErrorStyle : std::uint8_t { kODataV3, kODataV4, kPlain };
Response ErrorResponse(int status, ErrorStyle style, std::string_view message);
Response JsonResponse(std::string body);
Response TextResponse(int status, std::string content_type, std::string body);

// --- selecting rows -------------------------------------------------------------------------------------------

// Result of running the query options over a row source.
struct Selection {
  std::vector<std::size_t> columns;  // selected property indices, in output order
  std::vector<std::size_t> rows;     // row indices of the page
  bool more = false;                 // a further row passes beyond the page (nextLink)
  std::size_t total = 0;             // rows passing the filter (only when count_all)
};

// Applies $filter, $select, $skip, $top and a page limit. `count_all`: keep counting after the page is full (for
// the ODataApi cell cap and $count). Errors are 400 messages (filter positions, unknown $select properties).
Result<Selection> Select(const RowSource& source, const QueryOptions& q, std::size_t page_limit, bool count_all);

// Writes the rows of a selection as JSON objects, comma separated, into `out`.
void AppendRows(std::string* out, const RowSource& source, const Selection& sel);

// --- the OData services ---------------------------------------------------------------------------------------

struct ODataContext {
  const ServedState* state = nullptr;
  const ServedTable* table = nullptr;  // null for catalog requests
  std::string base_url;                // "http://host:port"
  std::string raw_query;               // undecoded, for building nextLinks
};

enum class V3Service : std::uint8_t { kApi, kFeed };

// /ODataApi|ODataFeed/odata/<T>/<rest>; rest "" = service document.
Response ServeV3(const ODataContext& ctx, V3Service service, std::string_view rest);
// /ODataCatalog/<rest>
Response ServeV3Catalog(const ODataContext& ctx, const std::vector<const ServedTable*>& tables, std::string_view rest);
// /odata/v1/DAS/<T>/<rest>
Response ServeV4(const ODataContext& ctx, std::string_view rest);
// /odata/v1/<rest> (Catalogs, Datasets)
Response ServeV4Root(const ODataContext& ctx, const std::vector<const ServedTable*>& tables, std::string_view rest);
// /download/<T>.<ext>
Response ServeDownload(const ODataContext& ctx, std::string_view ext);

// The OpenAPI 3 description of the non-OData endpoints (/api/openapi.json).
const char* OpenApiJson();

// Builds a query string with $skip/$top replaced (for next links), from the raw (encoded) query.
std::string NextLinkQuery(std::string_view raw_query, std::size_t next_skip, std::optional<std::size_t> next_top);

}  // namespace das::serve
