// Delivery files (internal): datasets render records "as known on a date"; WriteDelivery writes the
// regular, late and correction files of one dataset and year with the configured defects.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "das/contract/contract.h"
#include "das/core/date.h"
#include "das/seal/keys.h"
#include "das/seal/names.h"
#include "das/seal/seal_file.h"
#include "das/io/csv_writer.h"
#include "keys.h"
#include "model.h"

namespace das::synth {

struct Row {
  std::array<std::string, 24> f;
  int n = 0;
  void Reset(int columns) {
    n = columns;
    for (int i = 0; i < columns; ++i) f[static_cast<std::size_t>(i)].clear();
  }
  std::string& operator[](int i) { return f[static_cast<std::size_t>(i)]; }
  const std::string& operator[](int i) const { return f[static_cast<std::size_t>(i)]; }
};

struct Ref {
  std::uint32_t yi = 0, i = 0;
};

struct ManifestRow {
  std::string file, organisation, dataset, contract, period, delivered_on, kind;
  std::int64_t rows = 0;
  std::string sha256;
};

// The outcome of one writing task; concatenated in task order so output is deterministic.
struct TaskOutput {
  Status status;
  std::vector<ManifestRow> manifest;
  std::string defects;   // rows of _truth/defects.csv
  std::string records;   // rows of _truth/records.csv
  std::string totals;    // rows of _truth/totals.csv (survey)
  std::int64_t rows = 0, bytes = 0;
};

class Dataset {
 public:
  Dataset(const World& w, const std::vector<Year>& years) : w_(w), years_(years), keys_(w, years) {}
  virtual ~Dataset() = default;

  virtual const char* organisation() const = 0;
  virtual const char* name() const = 0;   // dataset, e.g. "misdrijven"
  virtual const char* stem() const = 0;   // file stem, e.g. "bvh_misdrijven"
  virtual io::CsvWriteOptions options() const = 0;
  virtual DateFormat date_format() const = 0;
  virtual std::vector<const char*> columns() const = 0;
  // Columns written quoted when not empty (OM: text fields quoted).
  virtual bool quoted(int /*column*/) const { return false; }
  // Records with reference date in `year`, in key order.
  virtual std::vector<Ref> Collect(int year) const = 0;
  // Fills `row` with the record as known on `asof`; false if the record is not yet known then.
  virtual bool Render(Ref r, Date asof, Row& row) const = 0;
  virtual std::uint32_t PersonOf(Ref) const { return kNone; }
  virtual std::uint32_t ChainOf(Ref) const { return kNone; }
  virtual std::string KeyOf(const Row& row) const { return row[0]; }
  // Column indices for name and BSN defects (-1: not in this dataset).
  virtual int surname_col() const { return -1; }
  virtual int given_col() const { return -1; }
  virtual int tussenvoegsel_col() const { return -1; }
  virtual int bsn_col() const { return -1; }
  // Defect hooks: change `row` and return a defect name, or nullptr if not applicable to this row.
  virtual const char* ImpossibleDate(Row&, Random&) const { return nullptr; }
  virtual const char* UnknownCode(Row&, Random&) const { return nullptr; }
  virtual const char* WrongValue(Row&, Random&) const { return nullptr; }

  std::string contract() const { return std::string(organisation()) + "_" + name() + "@1"; }
  const Keys& keys() const { return keys_; }

 protected:
  void Date_(Row& row, int col, Date d) const {
    if (d == kNever) return;
    AppendDate(row[col], d, date_format());
  }
  // Person columns; -1 to skip one. `year` selects the geography of residence codes.
  void PersonCols(Row& row, std::uint32_t p, int bsn, int kvk, int sur, int tv, int given, int birth, int sex) const;
  std::string CompanyName(const Person& p) const;

  const World& w_;
  const std::vector<Year>& years_;
  Keys keys_;
};

std::vector<std::unique_ptr<Dataset>> MakeDatasets(const World& w, const std::vector<Year>& years);

// Writes the regular, late and correction deliveries of `ds` for `year`.
TaskOutput WriteDelivery(const World& w, const Dataset& ds, int year, FileSystem* fs);
// Veiligheidsmonitor and context files of `year`.
TaskOutput WriteSurveyAndContext(const World& w, const std::vector<Year>& years, int year, FileSystem* fs);

// What sealing needs: the contracts, each organisation's demo keys and the tussenvoegsels.
struct SealContext {
  contract::ContractSet contracts;
  std::map<std::string, seal::KeyFile, std::less<>> keys;  // by organisation
  seal::Tussenvoegsels tussenvoegsels;
};

// Writes `content` to out_dir/relative and adds its manifest row. With w.sealing and a contract that has
// direct identifiers, what is written (and described in the manifest) is the sealed file; the raw content
// goes to out_dir/_raw/relative only when opt.write_raw.
Status WriteFileWithManifest(const World& w, FileSystem* fs, const std::string& relative, const std::string& content,
                             const char* org, const char* dataset, const std::string& contract, int year,
                             const char* kind, std::int64_t rows, TaskOutput* out);

}  // namespace das::synth
