// The OpenAPI 3.0 description of everything `das serve` answers that is not OData (/api/openapi.json).
#include "serve_internal.h"

namespace das::serve {

const char* OpenApiJson() {
  return R"JSON({"openapi":"3.0.3",
"info":{"title":"DAS open-data API (non-OData part)","version":"1.0.0",
"description":"Downloads, releases, glossary, health and metrics of das serve. The OData services (/ODataApi, /ODataFeed, /ODataCatalog, /odata/v1) are described by their own $metadata documents; see docs/api.md.",
"license":{"name":"CC BY 4.0","url":"https://creativecommons.org/licenses/by/4.0/"}},
"paths":{
"/download/{table}.csv":{"get":{"summary":"The table as CSV (dimension codes, topic values; x = suppressed, . = not available)",
 "parameters":[{"name":"table","in":"path","required":true,"schema":{"type":"string"}},
  {"name":"sep","in":"query","required":false,"schema":{"type":"string","enum":["comma","semicolon"]},"description":"semicolon: ';' separator and decimal comma"}],
 "responses":{"200":{"description":"CSV","content":{"text/csv":{}}},"404":{"description":"unknown table"},"413":{"description":"table too large"}}}},
"/download/{table}.xlsx":{"get":{"summary":"The table as an Excel workbook (sheets Data and Toelichting)",
 "parameters":[{"name":"table","in":"path","required":true,"schema":{"type":"string"}}],
 "responses":{"200":{"description":"XLSX","content":{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":{}}},"404":{"description":"unknown table"}}}},
"/download/{table}.sdmx.csv":{"get":{"summary":"The table as SDMX-CSV 2.0 (one observation per cell and topic; MEASURE dimension)",
 "parameters":[{"name":"table","in":"path","required":true,"schema":{"type":"string"}}],
 "responses":{"200":{"description":"SDMX-CSV","content":{"application/vnd.sdmx.data+csv; version=2.0.0":{}}},"404":{"description":"unknown table"}}}},
"/api/releases":{"get":{"summary":"Releases in the store, oldest first","responses":{"200":{"description":"list","content":{"application/json":{"schema":{"type":"array","items":{"$ref":"#/components/schemas/ReleaseInfo"}}}}}}}},
"/api/releases/{id}":{"get":{"summary":"Manifest of the served release (id, 'latest' or 'served'); catalog entry of another release",
 "parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
 "responses":{"200":{"description":"manifest","content":{"application/json":{}}},"404":{"description":"unknown release"}}}},
"/api/releases/diff":{"get":{"summary":"Differences between two releases (not available yet: 501)",
 "parameters":[{"name":"a","in":"query","schema":{"type":"string"}},{"name":"b","in":"query","schema":{"type":"string"}}],
 "responses":{"501":{"description":"not implemented"}}}},
"/api/concepts":{"get":{"summary":"The glossary of harmonised concepts","responses":{"200":{"description":"list","content":{"application/json":{"schema":{"type":"array","items":{"$ref":"#/components/schemas/Concept"}}}}}}}},
"/api/concepts/{id}":{"get":{"summary":"One concept","parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
 "responses":{"200":{"description":"concept","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Concept"}}}},"404":{"description":"unknown concept"}}}},
"/api/openapi.json":{"get":{"summary":"This document","responses":{"200":{"description":"OpenAPI 3.0"}}}},
"/healthz":{"get":{"summary":"Liveness: status, served release, number of tables","responses":{"200":{"description":"ok"}}}},
"/metrics":{"get":{"summary":"Prometheus text format: requests by status class, latency histogram, bytes, connections, cache","responses":{"200":{"description":"metrics","content":{"text/plain":{}}}}}}},
"components":{"schemas":{
"ReleaseInfo":{"type":"object","properties":{"release_id":{"type":"string"},"sequence":{"type":"integer"},"horizon":{"type":"string"},"content_sha256":{"type":"string"},"num_tables":{"type":"integer"},"num_cells":{"type":"integer"},"served":{"type":"boolean"}}},
"Concept":{"type":"object","properties":{"id":{"type":"string"},"version":{"type":"integer"},"term_nl":{"type":"string"},"term_en":{"type":"string"},"definition_nl":{"type":"string"},"definition_en":{"type":"string"},"used_by":{"type":"array","items":{"type":"string"}},"source_mappings":{"type":"array","items":{"type":"object","properties":{"field":{"type":"string"},"codelist":{"type":"string"}}}}}},
"Error":{"type":"object","properties":{"error":{"type":"object","properties":{"code":{"type":"string"},"message":{"type":"string"}}}}}}}}
)JSON";
}

}  // namespace das::serve
