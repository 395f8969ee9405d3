// Record-level sealing: replaces the direct person identifiers of one row by pseudonyms and linkage
// encodings. Independent of file formats: the caller reads a row into string_views and writes the output
// fields (the file-level `das seal` command builds on this).
//
// Output columns (SealedHeader): the input columns in their order, minus the identifier columns (BSN,
// surname, tussenvoegsel, given names, birth date), with record-id columns pseudonymised in place; then
//   bsn_pseudo        32 hex chars, keyed BLAKE2b in domain das-link (kind "bsn"); empty unless bsn_status=ok
//   bsn_status        ok | missing | invalid
//   geboortejaar      birth year (empty if the birth date is missing or unparseable)
//   leeftijd          age in whole years on the reference date (empty if unknown or negative); someone born
//                     on 29 February turns a year older on 1 March in non-leap years
//   bf_achternaam     Bloom encoding (bloom.h) of the surname core (tussenvoegsel split off)
//   bf_voornaam       Bloom encoding of the first given name
//   bf_geboortedatum  Bloom encoding of the birth date
// The sex column is kept as is. The Bloom columns are filled for every natural-person row that has the
// value (empty otherwise); with SealSpec::person_kind set, other rows (legal persons) get no Bloom
// encodings, no birth year and no age, but their name columns are removed all the same.
//
// Keys: das-link, das-bloom, and das-record when record_ids is not empty (keys.h).
// Threading: a Sealer is immutable after Create and may be shared; each thread uses its own SealedRow.
// Allocation: SealRow reuses the SealedRow's buffers; after warm-up a row costs no heap allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/date.h"
#include "das/core/status.h"
#include "das/seal/bloom.h"
#include "das/seal/bsn.h"
#include "das/seal/keys.h"
#include "das/seal/names.h"
#include "das/seal/pseudonym.h"

namespace das::seal {

struct SealSpec {
  // Input column names; an empty name means the source has no such column.
  std::string bsn;
  std::string surname;
  std::string tussenvoegsel;
  std::string given_names;
  std::string birth_date;
  DateFormat birth_date_format = DateFormat::kIso;
  std::string sex;             // kept; named here so that a missing column is reported
  std::string reference_date;  // the date the age is computed at
  DateFormat reference_date_format = DateFormat::kIso;
  // Optional natural/legal person column: rows whose value is not natural_person_value are not persons.
  std::string person_kind;
  std::string natural_person_value = "N";
  // Record identifier columns pseudonymised in place (domain das-record, kind = the column name).
  std::vector<std::string> record_ids;
};

inline constexpr std::string_view kAddedColumns[] = {"bsn_pseudo",    "bsn_status",  "geboortejaar",
                                                     "leeftijd",      "bf_achternaam", "bf_voornaam",
                                                     "bf_geboortedatum"};

// The output header for `input_header`, or an error naming the spec column that is not in the header, a
// duplicate input column, or an input column that clashes with an added column.
Result<std::vector<std::string>> SealedHeader(const SealSpec& spec, std::span<const std::string> input_header);

// What happened to one row (for counts and quality reports; values never appear here).
struct RowOutcome {
  BsnStatus bsn_status = BsnStatus::kMissing;
  BsnProblem bsn_problem = BsnProblem::kEmpty;
  bool natural_person = true;
  bool birth_date_invalid = false;      // present but not parseable in the declared format
  bool reference_date_invalid = false;  // present but not parseable
  bool age_negative = false;            // birth date after the reference date
};

// The output fields of one row; reused across rows. Also holds the per-row scratch space.
class SealedRow {
 public:
  std::size_t size() const { return ends_.size(); }
  std::string_view operator[](std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(buf_).substr(begin, ends_[i] - begin);
  }
  std::vector<std::string_view> Fields() const;

 private:
  friend class Sealer;
  void Clear() {
    buf_.clear();
    ends_.clear();
  }
  void EndField() { ends_.push_back(static_cast<std::uint32_t>(buf_.size())); }
  std::string buf_;
  std::vector<std::uint32_t> ends_;
  SurnameParts surname_;
  GivenNames given_;
};

class Sealer {
 public:
  // Resolves the spec against `input_header` and takes the keys it needs from `keys` (copied).
  // `tussenvoegsels` must outlive the Sealer.
  static Result<Sealer> Create(const SealSpec& spec, std::span<const std::string> input_header,
                               const KeyFile& keys, const Tussenvoegsels& tussenvoegsels,
                               BloomParams name_params = kNameBloomParams,
                               BloomParams date_params = kDateBloomParams);

  const std::vector<std::string>& output_header() const { return output_header_; }
  std::size_t input_width() const { return input_width_; }

  // Seals one row. InvalidArgument if the field count differs from the header ("row has 12 fields, header
  // has 14"); row-level data problems never fail but are reported in `outcome`.
  Status SealRow(std::span<const std::string_view> fields, SealedRow& out, RowOutcome* outcome = nullptr) const;

 private:
  Sealer(Pseudonymiser bsn, BloomEncoder surname, BloomEncoder given, BloomEncoder date)
      : bsn_(std::move(bsn)), bf_surname_(std::move(surname)), bf_given_(std::move(given)),
        bf_date_(std::move(date)) {}

  enum class Role : std::uint8_t { kKeep, kDrop, kRecordId };
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  Pseudonymiser bsn_;
  BloomEncoder bf_surname_;
  BloomEncoder bf_given_;
  BloomEncoder bf_date_;
  std::vector<Pseudonymiser> record_ids_;  // one per kRecordId column, in column order
  const Tussenvoegsels* tussenvoegsels_ = nullptr;
  std::vector<Role> roles_;
  std::vector<std::size_t> record_slot_;  // column -> index into record_ids_
  std::size_t input_width_ = 0;
  std::size_t col_bsn_ = kNone, col_surname_ = kNone, col_tv_ = kNone, col_given_ = kNone,
              col_birth_ = kNone, col_ref_ = kNone, col_kind_ = kNone;
  DateFormat birth_format_ = DateFormat::kIso;
  DateFormat ref_format_ = DateFormat::kIso;
  std::string natural_value_;
  std::vector<std::string> output_header_;
};

// Age in whole years at `at`; negative if `at` is before `birth`. 29 February birthdays count from 1 March
// in non-leap years.
int AgeInYears(Date birth, Date at);

}  // namespace das::seal
