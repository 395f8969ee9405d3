// Intake: a sealed delivery in, accepted rows (typed columns) + quarantined rows + a receipt out, stored
// atomically per delivery.
//
// Per delivery: the file is hashed (sha256) and recognised if already stored (idempotent); matched to a
// contract (named, from the manifest, or by file name and header); refused whole if it still holds direct
// identifiers (their rows are then not stored at all, only counted); read with das_io (malformed records go
// to quarantine with the reader's description); validated field by field, row by row and as a file with
// the contract's Validator. Rows with a reject_row finding go to quarantine with their raw text and
// findings; a reject_delivery finding refuses the whole delivery (every row quarantined). Invariant, checked
// before anything is stored: rows read = rows accepted + rows quarantined.
//
// Threading: Prepare() is a pure function of its inputs and may run on several deliveries at once;
// Commit() writes to the store and must be called from one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "das/contract/codelist.h"
#include "das/contract/contract.h"
#include "das/core/env.h"
#include "das/core/status.h"
#include "das/core/table.h"
#include "das/store/store.h"

namespace das::intake {

// One delivery to take in. Fields left empty are derived: the contract by matching, the period from the
// records' reference dates (the most common year), delivered_on from the clock, kind from the file name
// ("_correctie_" -> correctie, "_laat_" -> laat, else regulier).
struct DeliveryRequest {
  std::string path;             // file to read
  std::string name;             // name recorded (default: path relative to the deliveries folder, or base name)
  std::string contract;         // "om_zaken@1" or "om_zaken"
  std::string period;           // "2023JJ00"
  std::string delivered_on;     // ISO date
  std::string kind;             // regulier, laat, correctie
  std::optional<std::int64_t> expected_rows;  // from a manifest: a mismatch is a warning
  std::string expected_sha256;                // from a manifest: a mismatch refuses the delivery
};

// Reads DIR/manifest.csv (as written by das generate) into requests, in manifest order, with paths under DIR.
Result<std::vector<DeliveryRequest>> ReadManifest(const std::string& dir, const FileSystem& fs);

struct Config {
  const contract::ContractSet* contracts = nullptr;  // not owned
  const contract::CodeListSet* codelists = nullptr;  // not owned
  contract::Form form = contract::Form::kSealed;     // kRaw only for tests of unsealed files
  std::size_t max_quarantine_examples = 5;           // example lines per rule in the receipt
  // Deliveries known to be stored, by sha256 (read-only, may be shared by threads): Prepare recognises them
  // right after hashing, without parsing. Not owned; may be null.
  const std::map<std::string, store::DeliveryInfo>* stored_by_hash = nullptr;
};

// A delivery read and validated, ready to store.
struct Prepared {
  store::DeliveryInfo info;
  Table accepted;
  std::vector<store::QuarantinedRow> quarantine;
  std::string receipt_json;
  bool already_stored = false;  // recognised by hash; nothing to commit
};

// Reads and validates one delivery. `store` is only read (to recognise the hash and compare volumes).
// A non-ok status means the delivery could not be processed at all (unreadable file, unknown contract);
// data problems are findings in the Prepared result, never errors.
Result<Prepared> Prepare(const DeliveryRequest& request, const Config& config, const Env& env,
                         store::Store* store);

// Stores a prepared delivery in one transaction; returns its id (or the existing id if already stored).
Result<std::int64_t> Commit(Prepared& prepared, store::Store* store);

// Takes in many deliveries: up to `jobs` are read and validated at once (Prepare), and they are committed
// strictly in request order by the calling thread (one writer). `on_done` is called after each delivery's
// commit, in order (e.g. to write receipts or show progress); a non-ok status from it stops the batch. A delivery
// that cannot be processed at all stops the batch with its status (deliveries committed before stay committed).
struct BatchTotals {
  std::size_t deliveries = 0, already_stored = 0, rejected = 0;
  std::int64_t rows_read = 0, rows_accepted = 0, rows_quarantined = 0;  // of newly stored deliveries
  bool balanced() const { return rows_read == rows_accepted + rows_quarantined; }
};
Result<BatchTotals> IntakeBatch(const std::vector<DeliveryRequest>& requests, const Config& config,
                                store::Store* store, const Env& env, int jobs,
                                const std::function<Status(const Prepared&)>& on_done);

// Renders a receipt (the JSON made by Prepare) for people: plain text or a standalone HTML page.
Result<std::string> ReceiptText(const std::string& receipt_json);
Result<std::string> ReceiptHtml(const std::string& receipt_json);

}  // namespace das::intake
