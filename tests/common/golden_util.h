// Shared plumbing of the golden tests (tests/golden/<stage>/<case>/): reading files, rendering a das::Table
// as CSV for comparison with expected/, and reading a staged table from CSV with a contract's types.
// Header-only; test code only.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "das/contract/contract.h"
#include "das/core/table.h"
#include "das/io/csv_reader.h"
#include "das/store/store.h"

#include <gtest/gtest.h>

namespace das::testutil {

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A CSV field, quoted (with doubled quotes) only when it holds a delimiter, quote or line break.
inline std::string CsvField(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// CSV text of a table, one column per table column in order: null is empty, an empty non-null string is "".
inline std::string TableCsv(const Table& t) {
  std::string out;
  for (std::size_t c = 0; c < t.num_columns(); ++c) out += (c ? "," : "") + CsvField(t.column(c).name());
  out += "\n";
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    for (std::size_t c = 0; c < t.num_columns(); ++c) {
      const Column& col = t.column(c);
      if (c) out += ",";
      if (col.IsNull(r)) continue;
      const std::string v = col.ToText(r);
      out += v.empty() ? std::string("\"\"") : CsvField(v);
    }
    out += "\n";
  }
  return out;
}

// A staged table from a CSV file whose header holds canonical field names of `c`; column types come from
// the contract; an unquoted empty field is null; dates are ISO; booleans 1/0.
inline Result<Table> ReadStaged(const std::string& path, const contract::Contract& c) {
  auto reader = io::CsvReader::FromString(ReadAll(path), io::CsvDialect{}, path);
  std::vector<Column> cols;
  for (const std::string& h : reader->header()) {
    const int slot = c.FieldSlot(h);
    if (slot < 0) return Status::InvalidArgument(path + ": '" + h + "' is not a field of " + c.name);
    cols.emplace_back(h, contract::ToColumnType(c.fields[static_cast<std::size_t>(slot)].type));
  }
  io::CsvRecord rec;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
    if (!more) break;
    if (rec.fields.size() != cols.size()) {
      return Status::ParseError(path + ": line " + std::to_string(rec.line) + ": field count");
    }
    for (std::size_t i = 0; i < cols.size(); ++i) {
      std::string_view v = rec.fields[i];
      Column& col = cols[i];
      if (v.empty() && !rec.quoted[i]) {
        col.AppendNull();
        continue;
      }
      switch (col.type()) {
        case ColumnType::kString: col.AppendString(v); break;
        case ColumnType::kInt64: col.AppendInt(std::stoll(std::string(v))); break;
        case ColumnType::kDouble: col.AppendDouble(std::stod(std::string(v))); break;
        case ColumnType::kBool: col.AppendBool(v == "1"); break;
        case ColumnType::kDate: {
          DAS_ASSIGN_OR_RETURN(Date d, ParseDate(v, DateFormat::kIso));
          col.AppendDate(d);
          break;
        }
      }
    }
  }
  return Table(std::move(cols));
}

// Compares each named store table, rendered by TableCsv, with <case_dir>/expected/<name>.csv. With the
// environment variable DAS_UPDATE_GOLDEN set, rewrites the expected files instead (then review them by hand).
inline void ExpectTablesMatchGolden(store::Store* store, const std::vector<std::string>& names,
                                    const std::string& case_dir) {
  const bool update = std::getenv("DAS_UPDATE_GOLDEN") != nullptr;
  for (const std::string& name : names) {
    auto t = store->GetTable(name);
    ASSERT_TRUE(t.ok()) << name << ": " << t.status().ToString();
    const std::string got = TableCsv(*t);
    const std::string path = case_dir + "/expected/" + name + ".csv";
    if (update) {
      std::filesystem::create_directories(case_dir + "/expected");
      std::ofstream(path, std::ios::binary) << got;
      continue;
    }
    ASSERT_TRUE(std::filesystem::exists(path)) << path << " missing (run with DAS_UPDATE_GOLDEN=1 and review)";
    EXPECT_EQ(got, ReadAll(path)) << name;
  }
}

}  // namespace das::testutil
