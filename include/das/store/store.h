// The Store: where intake puts deliveries and later stages read them. SQLite (WAL) is the embedded
// implementation; nothing above src/store/ knows SQL.
//
// Layout: one row per delivery (metadata, counts, receipt), the accepted rows as typed column chunks
// (zstd-compressed serialised das::Column, 256k rows a chunk), and one row per quarantined record (raw text
// and findings). Everything of one delivery is written in one transaction: a crash leaves the store as it
// was before the delivery or with all of it, never in between.
// History: deliveries are never changed; a later delivery's row with the same key supersedes an earlier
// one when reading the current state (ReadCurrent), so every earlier version stays readable.
// Threading: a Store is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/status.h"
#include "das/core/table.h"

namespace das::store {

class Db;

struct DeliveryInfo {
  std::int64_t id = 0;            // assigned by the store
  std::string file;               // the delivered file's name as given
  std::string sha256;             // of the file's bytes; a delivery is recognised by it
  std::string contract;           // "politie_misdrijven@1"
  std::string organisation;
  std::string dataset;
  std::string period;             // CBS period code of the records, e.g. 2023JJ00
  std::string delivered_on;       // ISO date
  std::string kind;               // regulier, laat, correctie
  std::string status;             // accepted, rejected
  std::int64_t rows_read = 0;
  std::int64_t rows_accepted = 0;
  std::int64_t rows_quarantined = 0;
  std::string loaded_at;          // ISO 8601 timestamp (from the Env clock)
};

struct QuarantinedRow {
  std::int64_t line = 0;   // physical line in the delivered file
  std::string raw;         // the record's raw text
  std::string findings;    // JSON array of {rule, severity, column, message}
};

class Store {
 public:
  // Opens or creates a SQLite store and brings its schema up to date.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);
  ~Store();

  Result<std::optional<DeliveryInfo>> FindDeliveryByHash(std::string_view sha256);
  // Adds a delivery atomically; returns its id. `info.id` is ignored. Fails with AlreadyExists if a
  // delivery with the same sha256 is stored.
  Result<std::int64_t> AddDelivery(const DeliveryInfo& info, const Table& accepted,
                                   const std::vector<QuarantinedRow>& quarantine, std::string_view receipt_json);
  // Deliveries in id order, optionally of one dataset only.
  Result<std::vector<DeliveryInfo>> ListDeliveries(std::string_view dataset = {});
  // The accepted rows of one delivery (all columns, or those named).
  Result<Table> ReadDelivery(std::int64_t id, const std::vector<std::string>& columns = {});
  Result<std::vector<QuarantinedRow>> ReadQuarantine(std::int64_t id);
  Result<std::string> ReadReceipt(std::int64_t id);
  // The current rows of a dataset: every accepted delivery in (delivered_on, id) order, where a row whose
  // key (the values of `key_columns`) was delivered before is replaced by the later row. Rows keep the
  // order of first appearance. Adds an integer column "_delivery" with the id of the delivery each row
  // comes from.
  Result<Table> ReadCurrent(std::string_view dataset, const std::vector<std::string>& key_columns);
  // The same rows, but only the columns named in `columns` and `key_columns` (the key columns are always
  // read; names the dataset does not have are left out, so a caller may name the union of several forms of
  // a dataset). Columns keep the deliveries' order; "_delivery" is added last as above. Reading few columns
  // of a wide dataset needs a fraction of the memory. InvalidArgument if both lists are empty.
  Result<Table> ReadCurrent(std::string_view dataset, const std::vector<std::string>& key_columns,
                            const std::vector<std::string>& columns);

  // Derived tables (harmonised deliveries, links, the chain model, statistics): a named table is replaced
  // whole and atomically by PutTable; `meta` is free text (e.g. JSON provenance) stored beside it.
  Status PutTable(std::string_view name, const Table& table, std::string_view meta = {});
  Result<Table> GetTable(std::string_view name, const std::vector<std::string>& columns = {});
  Result<std::string> GetTableMeta(std::string_view name);
  Result<std::vector<std::string>> ListTables();
  Result<bool> HasTable(std::string_view name);

  // Verifies the store's invariants: SQLite integrity, every accepted delivery's column chunks present,
  // decodable and of rows_accepted rows, quarantine rows matching rows_quarantined (except refusals for
  // direct identifiers, which store none), no chunks or quarantine rows without a delivery. Returns the
  // problems found (empty when sound); a non-ok status only if the store cannot be read.
  Result<std::vector<std::string>> Check();

  // For other store modules (runs, releases) that keep their own tables in the same file.
  Db* db() { return db_.get(); }

 private:
  explicit Store(std::unique_ptr<Db> db);
  // ReadCurrent of all columns (columns == nullptr) or of the named ones the dataset has.
  Result<Table> ReadCurrentOf(std::string_view dataset, const std::vector<std::string>& key_columns,
                              const std::vector<std::string>* columns);
  std::unique_ptr<Db> db_;
};

}  // namespace das::store
