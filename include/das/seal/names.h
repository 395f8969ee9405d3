// Name normalisation for linkage: UTF-8 Latin text to a plain comparable form, and splitting Dutch
// surnames into tussenvoegsel (prefix like "van der") and core ("berg").
//
// NormaliseName rules (the same for every name field, so that comparisons are consistent):
//   - lower case; Latin letters with diacritics fold to ASCII (é->e, ë->e, ø->o, å->a, ł->l, ß->ss,
//     æ->ae, œ->oe, ĳ->ij, þ->th); combining marks (U+0300-U+036F, decomposed input) are dropped;
//   - apostrophes (' ` ´ ‘ ’ ʼ) and the soft hyphen are removed: "D'Ancona" -> "dancona", "'t" -> "t";
//   - every other non-alphanumeric character (hyphen, dot, comma, slash, dashes, NBSP, ...) separates words:
//     "Jansen-de Vries" -> "jansen de vries", "J.P." -> "j p";
//   - runs of separators collapse to one space; no leading or trailing space;
//   - letters outside the Latin ranges (e.g. Cyrillic, Greek) are kept unchanged (not case-folded);
//   - bytes that are not valid UTF-8 are read as Latin-1 (a windows-1252 "é" still folds to "e").
// The output is valid UTF-8 and never longer than 3x the input.
//
// Threading: free functions are pure; a Tussenvoegsels object is immutable after loading (share it).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"

namespace das::seal {

// Appends the normalised form of `text` to `out` (no other allocation).
void AppendNormalisedName(std::string_view text, std::string& out);
std::string NormaliseName(std::string_view text);

struct SurnameParts {
  std::string tussenvoegsel;  // normalised, e.g. "van der"; empty if none
  std::string core;           // normalised, e.g. "berg"
};

// The set of known tussenvoegsels, normalised. Loaded once from the product's
// config/seal/tussenvoegsels.txt (one per line, # comments), see kDefaultPath.
class Tussenvoegsels {
 public:
  static constexpr std::string_view kDefaultPath = "config/seal/tussenvoegsels.txt";

  // Each non-comment line is normalised; empty and duplicate lines are errors naming `source` and the line.
  static Result<Tussenvoegsels> Parse(std::string_view text, std::string_view source);
  static Result<Tussenvoegsels> Load(const FileSystem& fs, const std::string& path);

  bool Contains(std::string_view normalised) const { return set_.find(normalised) != set_.end(); }
  std::size_t size() const { return set_.size(); }

  // Splits a surname. `tussenvoegsel_field` is the separate field if the source has one (may be empty).
  //  - "van der Berg"           -> ("van der", "berg")   longest known prefix; at least one word stays core
  //  - "Berg, van der"          -> ("van der", "berg")   comma form, when the part after the last comma is
  //                                                      a known tussenvoegsel
  //  - field "van der" + "Berg" -> ("van der", "berg"); a surname that repeats the field's tussenvoegsel
  //                                ("van der Berg") is not doubled
  //  - "Van"                    -> ("", "van")
  // Reuses the strings in `out` (no allocation once they have capacity).
  void Split(std::string_view surname, std::string_view tussenvoegsel_field, SurnameParts& out) const;
  SurnameParts Split(std::string_view surname, std::string_view tussenvoegsel_field = {}) const;

 private:
  std::set<std::string, std::less<>> set_;
  std::size_t max_words_ = 0;
};

struct GivenNames {
  std::string all;       // normalised, e.g. "jan pieter"
  std::string first;     // "jan"
  std::string initials;  // "jp" (first letter of each name, after folding)
};
void SplitGivenNames(std::string_view given_names, GivenNames& out);
GivenNames SplitGivenNames(std::string_view given_names);

}  // namespace das::seal
