// A thin RAII wrapper over the SQLite 3 C API. Nothing above src/store/ uses SQL.
//
// Db owns a connection (WAL journal, foreign keys on, busy timeout); Stmt owns a prepared statement;
// Transaction rolls back unless committed. Errors carry SQLite's message and the statement's first words.
// Threading: one Db per thread (SQLite "multi-thread" mode).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "das/core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace das::store {

class Stmt;

class Db {
 public:
  // Opens (creating if needed) the database at `path` with WAL and synchronous=NORMAL.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool read_only = false);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);
  std::int64_t LastInsertRowId() const;
  sqlite3* raw() { return db_; }
  const std::string& path() const { return path_; }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
};

class Stmt {
 public:
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt();

  // Binding is 1-based as in SQLite.
  Stmt& Bind(int i, std::int64_t v);
  Stmt& Bind(int i, double v);
  Stmt& Bind(int i, std::string_view text);
  Stmt& BindBlob(int i, std::string_view bytes);
  Stmt& BindNull(int i);
  // Returns true if a row is available, false when done.
  Result<bool> Step();
  // Runs to completion (for statements without result rows).
  Status Run();
  Status Reset();

  std::int64_t ColumnInt(int i) const;
  double ColumnDouble(int i) const;
  std::string_view ColumnText(int i) const;
  std::string_view ColumnBlob(int i) const;
  bool ColumnIsNull(int i) const;

 private:
  friend class Db;
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless Commit() succeeded.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(Db* db);
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;
  bool done_ = false;
};

}  // namespace das::store
