#include "das/store/store.h"

#include <zstd.h>

#include <algorithm>
#include <thread>
#include <unordered_map>

#include "das/store/sqlite.h"

namespace das::store {
namespace {

constexpr std::size_t kChunkRows = 1 << 18;
constexpr int kZstdLevel = 1;
constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deliveries(
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  contract TEXT NOT NULL,
  organisation TEXT NOT NULL,
  dataset TEXT NOT NULL,
  period TEXT NOT NULL,
  delivered_on TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  rows_accepted INTEGER NOT NULL,
  rows_quarantined INTEGER NOT NULL,
  columns INTEGER NOT NULL,
  loaded_at TEXT NOT NULL,
  receipt TEXT NOT NULL,
  CHECK (rows_read = rows_accepted + rows_quarantined)
);
CREATE INDEX IF NOT EXISTS deliveries_dataset ON deliveries(dataset, delivered_on, id);
CREATE TABLE IF NOT EXISTS column_chunks(
  delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
  column_index INTEGER NOT NULL,
  chunk_index INTEGER NOT NULL,
  name TEXT NOT NULL,
  rows INTEGER NOT NULL,
  raw_bytes INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (delivery_id, column_index, chunk_index)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quarantine(
  delivery_id INTEGER NOT NULL REFERENCES deliveries(id),
  line INTEGER NOT NULL,
  raw TEXT NOT NULL,
  findings TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quarantine_delivery ON quarantine(delivery_id, line);
CREATE TABLE IF NOT EXISTS derived_tables(
  name TEXT PRIMARY KEY,
  rows INTEGER NOT NULL,
  columns INTEGER NOT NULL,
  meta TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS derived_chunks(
  name TEXT NOT NULL REFERENCES derived_tables(name) ON DELETE CASCADE,
  column_index INTEGER NOT NULL,
  chunk_index INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  rows INTEGER NOT NULL,
  raw_bytes INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (name, column_index, chunk_index)
) WITHOUT ROWID;
)sql";

struct Chunk {
  std::size_t column = 0;
  std::size_t index = 0;
  std::size_t rows = 0;
  std::size_t raw_bytes = 0;
  std::string data;  // compressed
  Status status;
};

// Serialises and compresses rows [begin, begin+rows) of a column.
void BuildChunk(const Column& col, std::size_t begin, Chunk* chunk) {
  Column slice(col.name(), col.type());
  slice.Reserve(chunk->rows);
  for (std::size_t i = begin; i < begin + chunk->rows; ++i) slice.AppendFrom(col, i);
  std::string raw;
  slice.SerializeTo(&raw);
  chunk->raw_bytes = raw.size();
  chunk->data.resize(ZSTD_compressBound(raw.size()));
  std::size_t n = ZSTD_compress(chunk->data.data(), chunk->data.size(), raw.data(), raw.size(), kZstdLevel);
  if (ZSTD_isError(n)) {
    chunk->status = Status::Internal(std::string("zstd: ") + ZSTD_getErrorName(n));
    return;
  }
  chunk->data.resize(n);
  chunk->data.shrink_to_fit();  // else every chunk keeps ZSTD_compressBound bytes: the table's size again
}

Result<Column> DecodeChunk(std::string_view data, std::int64_t raw_bytes) {
  std::string raw(static_cast<std::size_t>(raw_bytes), '\0');
  std::size_t n = ZSTD_decompress(raw.data(), raw.size(), data.data(), data.size());
  if (ZSTD_isError(n) || n != raw.size())
    return Status::Corruption(std::string("column chunk does not decompress: ") +
                              (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size mismatch"));
  return Column::Deserialize(raw);
}

DeliveryInfo ReadInfo(const Stmt& s) {
  DeliveryInfo d;
  d.id = s.ColumnInt(0);
  d.file = s.ColumnText(1);
  d.sha256 = s.ColumnText(2);
  d.contract = s.ColumnText(3);
  d.organisation = s.ColumnText(4);
  d.dataset = s.ColumnText(5);
  d.period = s.ColumnText(6);
  d.delivered_on = s.ColumnText(7);
  d.kind = s.ColumnText(8);
  d.status = s.ColumnText(9);
  d.rows_read = s.ColumnInt(10);
  d.rows_accepted = s.ColumnInt(11);
  d.rows_quarantined = s.ColumnInt(12);
  d.loaded_at = s.ColumnText(13);
  return d;
}

constexpr const char* kInfoColumns =
    "id, file, sha256, contract, organisation, dataset, period, delivered_on, kind, status, rows_read, "
    "rows_accepted, rows_quarantined, loaded_at";

}  // namespace

Store::Store(std::unique_ptr<Db> db) : db_(std::move(db)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  DAS_ASSIGN_OR_RETURN(auto db, Db::Open(path));
  DAS_RETURN_IF_ERROR(db->Exec(kSchema));
  DAS_ASSIGN_OR_RETURN(auto get, db->Prepare("SELECT value FROM meta WHERE key = 'schema_version'"));
  DAS_ASSIGN_OR_RETURN(bool has, get.Step());
  if (has) {
    std::string v(get.ColumnText(0));
    if (v != std::to_string(kSchemaVersion))
      return Status::FailedPrecondition("store '" + path + "' has schema version " + v + ", this DAS reads version " +
                                        std::to_string(kSchemaVersion));
  } else {
    DAS_ASSIGN_OR_RETURN(auto put, db->Prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?)"));
    DAS_RETURN_IF_ERROR(put.Bind(1, std::to_string(kSchemaVersion)).Run());
  }
  return std::unique_ptr<Store>(new Store(std::move(db)));
}

Result<std::optional<DeliveryInfo>> Store::FindDeliveryByHash(std::string_view sha256) {
  DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare(std::string("SELECT ") + kInfoColumns +
                                            " FROM deliveries WHERE sha256 = ?"));
  s.Bind(1, sha256);
  DAS_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<DeliveryInfo>();
  return std::optional<DeliveryInfo>(ReadInfo(s));
}

namespace {

// Splits every column of `t` into chunks and compresses them in parallel.
Result<std::vector<Chunk>> CompressTable(const Table& t) {
  std::vector<Chunk> chunks;
  const std::size_t rows = t.num_rows();
  for (std::size_t c = 0; c < t.num_columns(); ++c) {
    std::size_t index = 0;
    std::size_t begin = 0;
    do {
      Chunk ch;
      ch.column = c;
      ch.index = index++;
      ch.rows = std::min(kChunkRows, rows - begin);
      chunks.push_back(std::move(ch));
      begin += kChunkRows;
    } while (begin < rows);
  }
  const unsigned workers = std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), 8));
  std::vector<std::thread> pool;
  for (unsigned w = 0; w < workers; ++w) {
    pool.emplace_back([&, w] {
      for (std::size_t i = w; i < chunks.size(); i += workers)
        BuildChunk(t.column(chunks[i].column), chunks[i].index * kChunkRows, &chunks[i]);
    });
  }
  for (auto& th : pool) th.join();
  for (const auto& ch : chunks) DAS_RETURN_IF_ERROR(ch.status);
  return chunks;
}

// Reads chunk rows (column_index, chunk_index, name, raw_bytes, data) into columns.
Result<std::vector<Column>> ReadChunks(Stmt& s, const std::vector<std::string>& columns) {
  std::vector<Column> cols;
  std::int64_t current = -1;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    std::string name(s.ColumnText(2));
    if (!columns.empty() && std::find(columns.begin(), columns.end(), name) == columns.end()) continue;
    DAS_ASSIGN_OR_RETURN(Column part, DecodeChunk(s.ColumnBlob(4), s.ColumnInt(3)));
    const std::int64_t ci = s.ColumnInt(0);
    if (ci != current) {
      cols.emplace_back(part.name(), part.type());
      current = ci;
    }
    // Bulk append: the vectors grow geometrically (an exact Reserve per chunk made reading quadratic).
    DAS_RETURN_IF_ERROR(cols.back().AppendAll(part));
  }
  return cols;
}

Result<std::vector<Column>> OrderColumns(std::vector<Column> cols, const std::vector<std::string>& columns,
                                         const std::string& what) {
  if (columns.empty()) return cols;
  std::vector<Column> ordered;
  for (const auto& n : columns) {
    auto it = std::find_if(cols.begin(), cols.end(), [&](const Column& c) { return c.name() == n; });
    if (it == cols.end()) return Status::NotFound(what + " has no column '" + n + "'");
    ordered.push_back(std::move(*it));
  }
  return ordered;
}

}  // namespace

Result<std::int64_t> Store::AddDelivery(const DeliveryInfo& info, const Table& accepted,
                                        const std::vector<QuarantinedRow>& quarantine,
                                        std::string_view receipt_json) {
  DAS_RETURN_IF_ERROR(accepted.Validate());
  if (info.rows_read != info.rows_accepted + info.rows_quarantined)
    return Status::Internal("row accounting does not balance for '" + info.file + "': read " +
                            std::to_string(info.rows_read) + " != accepted " + std::to_string(info.rows_accepted) +
                            " + quarantined " + std::to_string(info.rows_quarantined));
  if (static_cast<std::int64_t>(accepted.num_rows()) != info.rows_accepted)
    return Status::Internal("accepted table has " + std::to_string(accepted.num_rows()) + " rows, info says " +
                            std::to_string(info.rows_accepted));

  // Compress outside the transaction, in parallel over chunks.
  DAS_ASSIGN_OR_RETURN(std::vector<Chunk> chunks, CompressTable(accepted));

  DAS_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db_.get()));
  DAS_ASSIGN_OR_RETURN(auto ins, db_->Prepare(
      "INSERT INTO deliveries(file, sha256, contract, organisation, dataset, period, delivered_on, kind, status, "
      "rows_read, rows_accepted, rows_quarantined, loaded_at, receipt, columns) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  ins.Bind(1, info.file).Bind(2, info.sha256).Bind(3, info.contract).Bind(4, info.organisation);
  ins.Bind(5, info.dataset).Bind(6, info.period).Bind(7, info.delivered_on).Bind(8, info.kind);
  ins.Bind(9, info.status.empty() ? std::string_view("accepted") : std::string_view(info.status));
  ins.Bind(10, info.rows_read).Bind(11, info.rows_accepted).Bind(12, info.rows_quarantined);
  ins.Bind(13, info.loaded_at).Bind(14, receipt_json).Bind(15, static_cast<std::int64_t>(accepted.num_columns()));
  if (Status s = ins.Run(); !s.ok()) {
    if (s.message().find("UNIQUE") != std::string::npos)
      return Status::AlreadyExists("delivery '" + info.file + "' (sha256 " + info.sha256 + ") is already stored");
    return s;
  }
  const std::int64_t id = db_->LastInsertRowId();

  DAS_ASSIGN_OR_RETURN(auto put, db_->Prepare(
      "INSERT INTO column_chunks(delivery_id, column_index, chunk_index, name, rows, raw_bytes, data) "
      "VALUES (?,?,?,?,?,?,?)"));
  for (const auto& ch : chunks) {
    put.Bind(1, id).Bind(2, static_cast<std::int64_t>(ch.column)).Bind(3, static_cast<std::int64_t>(ch.index));
    put.Bind(4, accepted.column(ch.column).name()).Bind(5, static_cast<std::int64_t>(ch.rows));
    put.Bind(6, static_cast<std::int64_t>(ch.raw_bytes)).BindBlob(7, ch.data);
    DAS_RETURN_IF_ERROR(put.Run());
  }
  DAS_ASSIGN_OR_RETURN(auto q, db_->Prepare("INSERT INTO quarantine(delivery_id, line, raw, findings) VALUES (?,?,?,?)"));
  for (const auto& r : quarantine) {
    q.Bind(1, id).Bind(2, r.line).Bind(3, r.raw).Bind(4, r.findings);
    DAS_RETURN_IF_ERROR(q.Run());
  }
  DAS_RETURN_IF_ERROR(txn->Commit());
  return id;
}

Result<std::vector<DeliveryInfo>> Store::ListDeliveries(std::string_view dataset) {
  std::string sql = std::string("SELECT ") + kInfoColumns + " FROM deliveries";
  if (!dataset.empty()) sql += " WHERE dataset = ?";
  sql += " ORDER BY id";
  DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare(sql));
  if (!dataset.empty()) s.Bind(1, dataset);
  std::vector<DeliveryInfo> out;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadInfo(s));
  }
  return out;
}

Result<Table> Store::ReadDelivery(std::int64_t id, const std::vector<std::string>& columns) {
  DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare(
      "SELECT column_index, chunk_index, name, raw_bytes, data FROM column_chunks WHERE delivery_id = ? "
      "ORDER BY column_index, chunk_index"));
  s.Bind(1, id);
  DAS_ASSIGN_OR_RETURN(std::vector<Column> read, ReadChunks(s, columns));
  DAS_ASSIGN_OR_RETURN(std::vector<Column> cols,
                       OrderColumns(std::move(read), columns, "delivery " + std::to_string(id)));
  Table t(std::move(cols));
  DAS_RETURN_IF_ERROR(t.Validate());
  return t;
}

Result<std::vector<QuarantinedRow>> Store::ReadQuarantine(std::int64_t id) {
  DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare(
      "SELECT line, raw, findings FROM quarantine WHERE delivery_id = ? ORDER BY line, rowid"));
  s.Bind(1, id);
  std::vector<QuarantinedRow> out;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(QuarantinedRow{s.ColumnInt(0), std::string(s.ColumnText(1)), std::string(s.ColumnText(2))});
  }
  return out;
}

Result<std::string> Store::ReadReceipt(std::int64_t id) {
  DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT receipt FROM deliveries WHERE id = ?"));
  s.Bind(1, id);
  DAS_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound("no delivery with id " + std::to_string(id));
  return std::string(s.ColumnText(0));
}

Result<Table> Store::ReadCurrent(std::string_view dataset, const std::vector<std::string>& key_columns) {
  return ReadCurrentOf(dataset, key_columns, nullptr);
}

Result<Table> Store::ReadCurrent(std::string_view dataset, const std::vector<std::string>& key_columns,
                                 const std::vector<std::string>& columns) {
  std::vector<std::string> wanted = key_columns;
  for (const auto& c : columns) {
    if (std::find(wanted.begin(), wanted.end(), c) == wanted.end()) wanted.push_back(c);
  }
  if (wanted.empty()) {
    return Status::InvalidArgument("ReadCurrent of dataset '" + std::string(dataset) + "': no columns named");
  }
  return ReadCurrentOf(dataset, key_columns, &wanted);
}

Result<Table> Store::ReadCurrentOf(std::string_view dataset, const std::vector<std::string>& key_columns,
                                   const std::vector<std::string>* columns) {
  DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare(
      "SELECT id FROM deliveries WHERE dataset = ? AND status = 'accepted' ORDER BY delivered_on, id"));
  s.Bind(1, dataset);
  std::vector<std::int64_t> ids;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ids.push_back(s.ColumnInt(0));
  }
  Table out;
  std::unordered_map<std::string, std::size_t> row_of_key;
  std::vector<std::pair<std::size_t, std::size_t>> picks;  // (delivery index, row) per output row
  std::vector<Table> parts;
  for (std::size_t d = 0; d < ids.size(); ++d) {
    Table t;
    if (columns == nullptr) {
      DAS_ASSIGN_OR_RETURN(t, ReadDelivery(ids[d]));
    } else {
      // Only the wanted columns the delivery has, in its own order.
      DAS_ASSIGN_OR_RETURN(auto cs, db_->Prepare(
          "SELECT column_index, chunk_index, name, raw_bytes, data FROM column_chunks WHERE delivery_id = ? "
          "ORDER BY column_index, chunk_index"));
      cs.Bind(1, ids[d]);
      DAS_ASSIGN_OR_RETURN(std::vector<Column> read, ReadChunks(cs, *columns));
      t = Table(std::move(read));
      DAS_RETURN_IF_ERROR(t.Validate());
    }
    std::vector<int> key_idx;
    for (const auto& k : key_columns) {
      int i = t.Find(k);
      if (i < 0) return Status::NotFound("dataset '" + std::string(dataset) + "' has no key column '" + k + "'");
      key_idx.push_back(i);
    }
    if (!parts.empty() && t.num_columns() != parts[0].num_columns())
      return Status::FailedPrecondition("deliveries of dataset '" + std::string(dataset) +
                                        "' have different columns; read them one by one");
    std::string key;
    for (std::size_t r = 0; r < t.num_rows(); ++r) {
      key.clear();
      for (int ki : key_idx) {
        key += t.column(static_cast<std::size_t>(ki)).ToText(r);
        key.push_back('\x1f');
      }
      auto [it, inserted] = row_of_key.try_emplace(key, picks.size());
      if (inserted) {
        picks.emplace_back(d, r);
      } else {
        picks[it->second] = {d, r};
      }
    }
    parts.push_back(std::move(t));
  }
  if (parts.empty()) return Table();
  std::vector<Column> cols;
  for (const auto& c : parts[0].columns()) {
    cols.emplace_back(c.name(), c.type());
    cols.back().Reserve(picks.size());
  }
  Column source("_delivery", ColumnType::kInt64);
  source.Reserve(picks.size());
  for (const auto& [d, r] : picks) {
    for (std::size_t c = 0; c < cols.size(); ++c) cols[c].AppendFrom(parts[d].column(c), r);
    source.AppendInt(ids[d]);
  }
  cols.push_back(std::move(source));
  return Table(std::move(cols));
}

Status Store::PutTable(std::string_view name, const Table& table, std::string_view meta) {
  DAS_RETURN_IF_ERROR(table.Validate());
  DAS_ASSIGN_OR_RETURN(std::vector<Chunk> chunks, CompressTable(table));
  DAS_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db_.get()));
  DAS_ASSIGN_OR_RETURN(auto del, db_->Prepare("DELETE FROM derived_tables WHERE name = ?"));
  DAS_RETURN_IF_ERROR(del.Bind(1, name).Run());
  DAS_ASSIGN_OR_RETURN(auto ins, db_->Prepare("INSERT INTO derived_tables(name, rows, columns, meta) VALUES (?,?,?,?)"));
  ins.Bind(1, name).Bind(2, static_cast<std::int64_t>(table.num_rows()));
  ins.Bind(3, static_cast<std::int64_t>(table.num_columns())).Bind(4, meta);
  DAS_RETURN_IF_ERROR(ins.Run());
  DAS_ASSIGN_OR_RETURN(auto put, db_->Prepare(
      "INSERT INTO derived_chunks(name, column_index, chunk_index, column_name, rows, raw_bytes, data) "
      "VALUES (?,?,?,?,?,?,?)"));
  for (const auto& ch : chunks) {
    put.Bind(1, name).Bind(2, static_cast<std::int64_t>(ch.column)).Bind(3, static_cast<std::int64_t>(ch.index));
    put.Bind(4, table.column(ch.column).name()).Bind(5, static_cast<std::int64_t>(ch.rows));
    put.Bind(6, static_cast<std::int64_t>(ch.raw_bytes)).BindBlob(7, ch.data);
    DAS_RETURN_IF_ERROR(put.Run());
  }
  return txn->Commit();
}

Result<bool> Store::HasTable(std::string_view name) {
  DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT 1 FROM derived_tables WHERE name = ?"));
  s.Bind(1, name);
  return s.Step();
}

Result<Table> Store::GetTable(std::string_view name, const std::vector<std::string>& columns) {
  DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT rows, columns FROM derived_tables WHERE name = ?"));
  s.Bind(1, name);
  DAS_ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return Status::NotFound("store has no table '" + std::string(name) + "'");
  const std::int64_t rows = s.ColumnInt(0);
  DAS_ASSIGN_OR_RETURN(auto c, db_->Prepare(
      "SELECT column_index, chunk_index, column_name, raw_bytes, data FROM derived_chunks WHERE name = ? "
      "ORDER BY column_index, chunk_index"));
  c.Bind(1, name);
  DAS_ASSIGN_OR_RETURN(std::vector<Column> read, ReadChunks(c, columns));
  DAS_ASSIGN_OR_RETURN(std::vector<Column> cols,
                       OrderColumns(std::move(read), columns, "table '" + std::string(name) + "'"));
  Table t(std::move(cols));
  DAS_RETURN_IF_ERROR(t.Validate());
  if (t.num_columns() > 0 && static_cast<std::int64_t>(t.num_rows()) != rows)
    return Status::Corruption("table '" + std::string(name) + "' has " + std::to_string(t.num_rows()) +
                              " rows stored, " + std::to_string(rows) + " recorded");
  return t;
}

Result<std::string> Store::GetTableMeta(std::string_view name) {
  DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT meta FROM derived_tables WHERE name = ?"));
  s.Bind(1, name);
  DAS_ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return Status::NotFound("store has no table '" + std::string(name) + "'");
  return std::string(s.ColumnText(0));
}

Result<std::vector<std::string>> Store::ListTables() {
  DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT name FROM derived_tables ORDER BY name"));
  std::vector<std::string> out;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.emplace_back(s.ColumnText(0));
  }
  return out;
}

Result<std::vector<std::string>> Store::Check() {
  std::vector<std::string> problems;
  {
    DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare("PRAGMA integrity_check"));
    for (;;) {
      DAS_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      if (s.ColumnText(0) != "ok") problems.push_back("sqlite integrity: " + std::string(s.ColumnText(0)));
    }
  }
  for (const char* table : {"column_chunks", "quarantine"}) {
    DAS_ASSIGN_OR_RETURN(auto s, db_->Prepare(std::string("SELECT count(*) FROM ") + table +
                                              " WHERE delivery_id NOT IN (SELECT id FROM deliveries)"));
    DAS_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row && s.ColumnInt(0) != 0)
      problems.push_back(std::to_string(s.ColumnInt(0)) + " rows in " + table + " belong to no delivery");
  }
  DAS_ASSIGN_OR_RETURN(auto deliveries, ListDeliveries());
  for (const auto& d : deliveries) {
    const std::string who = "delivery " + std::to_string(d.id) + " '" + d.file + "'";
    if (d.rows_read != d.rows_accepted + d.rows_quarantined) problems.push_back(who + ": row accounting does not balance");
    DAS_ASSIGN_OR_RETURN(auto q, db_->Prepare("SELECT count(*) FROM quarantine WHERE delivery_id = ?"));
    q.Bind(1, d.id);
    DAS_ASSIGN_OR_RETURN(bool qrow, q.Step());
    const std::int64_t stored_q = qrow ? q.ColumnInt(0) : 0;
    if (stored_q != d.rows_quarantined && !(d.status == "rejected" && stored_q == 0))
      problems.push_back(who + ": " + std::to_string(stored_q) + " quarantine rows stored, " +
                         std::to_string(d.rows_quarantined) + " counted");
    DAS_ASSIGN_OR_RETURN(auto cc, db_->Prepare(
        "SELECT (SELECT columns FROM deliveries WHERE id = ?1), count(DISTINCT column_index) FROM column_chunks "
        "WHERE delivery_id = ?1"));
    cc.Bind(1, d.id);
    DAS_ASSIGN_OR_RETURN(bool crow, cc.Step());
    if (crow && cc.ColumnInt(0) != cc.ColumnInt(1))
      problems.push_back(who + ": " + std::to_string(cc.ColumnInt(1)) + " of " + std::to_string(cc.ColumnInt(0)) +
                         " columns stored");
    auto t = ReadDelivery(d.id);
    if (!t.ok()) {
      problems.push_back(who + ": " + t.status().message());
      continue;
    }
    if (static_cast<std::int64_t>(t->num_rows()) != d.rows_accepted)
      problems.push_back(who + ": " + std::to_string(t->num_rows()) + " rows stored, " +
                         std::to_string(d.rows_accepted) + " accepted");
  }
  return problems;
}

}  // namespace das::store
