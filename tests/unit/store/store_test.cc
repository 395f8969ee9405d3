#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "das/store/sqlite.h"
#include "das/store/store.h"

namespace das::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("das_store_test_" + std::to_string(::getpid()) + "_" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "store.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static Table MakeTable(const std::vector<std::pair<std::string, std::int64_t>>& rows) {
    Column key("key", ColumnType::kString), val("value", ColumnType::kInt64), day("day", ColumnType::kDate);
    for (const auto& [k, v] : rows) {
      key.AppendString(k);
      if (v < 0) val.AppendNull(); else val.AppendInt(v);
      day.AppendDate(Date(19000 + static_cast<std::int32_t>(v)));
    }
    return Table({key, val, day});
  }

  static DeliveryInfo Info(std::string sha, std::string delivered_on, std::int64_t accepted, std::int64_t quarantined) {
    DeliveryInfo d;
    d.file = "f_" + sha + ".csv";
    d.sha256 = std::move(sha);
    d.contract = "test_data@1";
    d.organisation = "test";
    d.dataset = "data";
    d.period = "2023JJ00";
    d.delivered_on = std::move(delivered_on);
    d.kind = "regulier";
    d.rows_accepted = accepted;
    d.rows_quarantined = quarantined;
    d.rows_read = accepted + quarantined;
    d.loaded_at = "2026-01-01T00:00:00Z";
    return d;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(StoreTest, RoundTripsADelivery) {
  auto store = Store::Open(path_).value();
  Table t = MakeTable({{"a", 1}, {"b", -1}, {"c", 3}});
  std::vector<QuarantinedRow> q = {{7, "x;;y", R"([{"rule":"R1"}])"}};
  auto id = store->AddDelivery(Info("h1", "2024-02-01", 3, 1), t, q, R"({"ok":true})").value();
  Table back = store->ReadDelivery(id).value();
  ASSERT_EQ(back.num_rows(), 3u);
  EXPECT_EQ(back.column(0), t.column(0));
  EXPECT_EQ(back.column(1), t.column(1));
  EXPECT_TRUE(back.column(1).IsNull(1));
  EXPECT_EQ(back.column(2).GetDate(2), Date(19003));
  auto qq = store->ReadQuarantine(id).value();
  ASSERT_EQ(qq.size(), 1u);
  EXPECT_EQ(qq[0].line, 7);
  EXPECT_EQ(qq[0].raw, "x;;y");
  EXPECT_EQ(store->ReadReceipt(id).value(), R"({"ok":true})");
  auto only = store->ReadDelivery(id, {"value"}).value();
  ASSERT_EQ(only.num_columns(), 1u);
  EXPECT_EQ(only.column(0).name(), "value");
  EXPECT_EQ(store->ReadDelivery(id, {"nope"}).status().message(), "delivery 1 has no column 'nope'");
}

TEST_F(StoreTest, RecognisesTheSameDeliveryByHashAndStoresNothingTwice) {
  auto store = Store::Open(path_).value();
  Table t = MakeTable({{"a", 1}});
  ASSERT_TRUE(store->AddDelivery(Info("same", "2024-02-01", 1, 0), t, {}, "{}").ok());
  auto again = store->AddDelivery(Info("same", "2024-02-01", 1, 0), t, {}, "{}");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(store->FindDeliveryByHash("same").value().has_value());
  EXPECT_FALSE(store->FindDeliveryByHash("other").value().has_value());
  EXPECT_EQ(store->ListDeliveries().value().size(), 1u);
  // The failed second add left no chunks behind.
  Db* db = store->db();
  auto s = db->Prepare("SELECT count(*) FROM column_chunks").value();
  ASSERT_TRUE(s.Step().value());
  EXPECT_EQ(s.ColumnInt(0), 3);
}

TEST_F(StoreTest, RefusesUnbalancedRowAccounting) {
  auto store = Store::Open(path_).value();
  DeliveryInfo info = Info("h", "2024-02-01", 1, 0);
  info.rows_read = 5;
  auto r = store->AddDelivery(info, MakeTable({{"a", 1}}), {}, "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "row accounting does not balance for 'f_h.csv': read 5 != accepted 1 + quarantined 0");
  EXPECT_TRUE(store->ListDeliveries().value().empty());
}

TEST_F(StoreTest, LaterDeliveriesSupersedeByKeyAndKeepHistory) {
  auto store = Store::Open(path_).value();
  auto first = store->AddDelivery(Info("h1", "2024-02-01", 3, 0), MakeTable({{"a", 1}, {"b", 2}, {"c", 3}}), {}, "{}").value();
  auto corr = store->AddDelivery(Info("h2", "2025-02-01", 2, 0), MakeTable({{"b", 20}, {"d", 4}}), {}, "{}").value();
  Table cur = store->ReadCurrent("data", {"key"}).value();
  ASSERT_EQ(cur.num_rows(), 4u);
  std::vector<std::string> keys, vals, from;
  for (std::size_t i = 0; i < cur.num_rows(); ++i) {
    keys.push_back(cur.column(0).ToText(i));
    vals.push_back(cur.column(1).ToText(i));
    from.push_back(cur.column(static_cast<std::size_t>(cur.Find("_delivery"))).ToText(i));
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(vals, (std::vector<std::string>{"1", "20", "3", "4"}));
  EXPECT_EQ(from, (std::vector<std::string>{std::to_string(first), std::to_string(corr), std::to_string(first),
                                             std::to_string(corr)}));
  // History: the first delivery still reads as delivered.
  EXPECT_EQ(store->ReadDelivery(first).value().column(1).ToText(1), "2");
}

TEST_F(StoreTest, LargeDeliveriesSpanSeveralChunks) {
  auto store = Store::Open(path_).value();
  Column k("key", ColumnType::kInt64);
  Column s("text", ColumnType::kString);
  const std::size_t n = (1 << 18) * 2 + 17;
  for (std::size_t i = 0; i < n; ++i) {
    k.AppendInt(static_cast<std::int64_t>(i));
    s.AppendString(i % 3 ? "x" + std::to_string(i) : "");
  }
  Table t({k, s});
  auto id = store->AddDelivery(Info("big", "2024-02-01", static_cast<std::int64_t>(n), 0), t, {}, "{}").value();
  Table back = store->ReadDelivery(id).value();
  EXPECT_EQ(back.num_rows(), n);
  EXPECT_EQ(back.column(0), t.column(0));
  EXPECT_EQ(back.column(1), t.column(1));
}

TEST_F(StoreTest, DetectsACorruptChunk) {
  auto store = Store::Open(path_).value();
  auto id = store->AddDelivery(Info("h", "2024-02-01", 1, 0), MakeTable({{"a", 1}}), {}, "{}").value();
  ASSERT_TRUE(store->db()->Exec("UPDATE column_chunks SET data = x'00112233' WHERE column_index = 0").ok());
  auto r = store->ReadDelivery(id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
}

TEST_F(StoreTest, CheckFindsMissingChunksAndOrphans) {
  auto store = Store::Open(path_).value();
  auto id = store->AddDelivery(Info("h", "2024-02-01", 2, 0), MakeTable({{"a", 1}, {"b", 2}}), {}, "{}").value();
  EXPECT_TRUE(store->Check().value().empty());
  ASSERT_TRUE(store->db()->Exec("PRAGMA foreign_keys=OFF").ok());
  ASSERT_TRUE(store->db()->Exec("INSERT INTO quarantine VALUES (99, 1, 'x', '[]')").ok());
  ASSERT_TRUE(store->db()->Exec("DELETE FROM column_chunks WHERE column_index = 1").ok());
  auto problems = store->Check().value();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0], "1 rows in quarantine belong to no delivery");
  EXPECT_EQ(problems[1], "delivery " + std::to_string(id) + " 'f_h.csv': 2 of 3 columns stored");
}

TEST_F(StoreTest, DerivedTablesAreReplacedWholeAndReadBack) {
  auto store = Store::Open(path_).value();
  EXPECT_FALSE(store->HasTable("persons").value());
  ASSERT_TRUE(store->PutTable("persons", MakeTable({{"a", 1}, {"b", 2}}), R"({"run":1})").ok());
  ASSERT_TRUE(store->PutTable("cases", MakeTable({{"x", 5}})).ok());
  EXPECT_EQ(store->GetTable("persons").value().num_rows(), 2u);
  ASSERT_TRUE(store->PutTable("persons", MakeTable({{"c", 3}}), R"({"run":2})").ok());
  Table t = store->GetTable("persons", {"value", "key"}).value();
  ASSERT_EQ(t.num_rows(), 1u);
  EXPECT_EQ(t.column(0).name(), "value");
  EXPECT_EQ(t.column(1).ToText(0), "c");
  EXPECT_EQ(store->GetTableMeta("persons").value(), R"({"run":2})");
  EXPECT_EQ(store->ListTables().value(), (std::vector<std::string>{"cases", "persons"}));
  EXPECT_EQ(store->GetTable("nope").status().message(), "store has no table 'nope'");
  EXPECT_EQ(store->GetTable("persons", {"zz"}).status().message(), "table 'persons' has no column 'zz'");
  ASSERT_TRUE(store->PutTable("empty", Table({Column("k", ColumnType::kString)})).ok());
  EXPECT_EQ(store->GetTable("empty").value().num_columns(), 1u);
}

TEST_F(StoreTest, ReopensAndRejectsAFileThatIsNotAStore) {
  { auto store = Store::Open(path_).value(); }
  EXPECT_TRUE(Store::Open(path_).ok());
  std::string junk = (dir_ / "junk.db").string();
  FILE* f = std::fopen(junk.c_str(), "w");
  std::fputs("this is not a database, just text long enough to fill a header page...........", f);
  std::fclose(f);
  auto r = Store::Open(junk);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("junk.db"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace das::store
