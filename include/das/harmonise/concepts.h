// The glossary of harmonised concepts (config/concepts/<id>.toml), published later as metadata.
//
// One file per concept:
//   id = "sepot"                      (must equal the file name without .toml; [a-z0-9_]+)
//   version = 1                       (integer >= 1)
//   term_nl = "sepot"  term_en = "dismissal"
//   definition_nl = "..."  definition_en = "..."
//   used_by = ["vervolging.sepotpercentage", ...]        (statistic ids, free text for now)
//   [[source_mappings]]  field = "om_zaken.decision"  codelist = "om_beslissing-afdoening_om"
//   (codelist: a mapping, a target list, "leeftijdsgroep", or "geo" for the region rules)
//
// Validation: unique ids, both languages of term and definition present and non-empty, referenced code lists
// exist, fields written "dataset.field". Errors name the file (and line for TOML problems).
// Ownership: values; thread-safe for reading.
#pragma once

#include <string>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"
#include "das/harmonise/codelists.h"

namespace das::harmonise {

struct SourceMapping {
  std::string field;     // "om_zaken.decision"
  std::string codelist;  // "om_beslissing-afdoening_om"
};

struct Concept {
  std::string id;
  int version = 0;
  std::string term_nl, term_en;
  std::string definition_nl, definition_en;
  std::vector<SourceMapping> source_mappings;
  std::vector<std::string> used_by;
  std::string path;
};

// Parses one concept file; `path` for messages. Code lists are checked by ValidateConcepts.
Result<Concept> ParseConcept(std::string_view toml_text, std::string_view path);
// Loads every *.toml in `dir` (sorted) and validates them against `config` (null: code lists not checked).
Result<std::vector<Concept>> LoadConcepts(const std::string& dir, const FileSystem& fs, const Config* config);
// Unique ids and existing code lists (when `config` is given).
Status ValidateConcepts(const std::vector<Concept>& concepts, const Config* config);

}  // namespace das::harmonise
