// Focused unit tests of intake that the golden cases do not cover: manifests, manifest checks (hash, rows),
// the identifier check across the 200-row sample boundary, commit idempotence and receipt rendering.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "das/contract/codelist.h"
#include "das/contract/contract.h"
#include "das/core/env.h"
#include "das/intake/intake.h"
#include "das/store/store.h"

namespace das::intake {
namespace {

namespace fs = std::filesystem;

const std::string kHeader =
    "Registratienummer;Pleegdatum;Registratiedatum;Buurtcode;Soort_misdrijf;Incidentcode;Aangifte;Opgehelderd;"
    "Datum_opgehelderd\r\n";

std::string PolRow(int i) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "PL0100_BVH_2023%07d;14-03-2023;15-03-2023;BU03630000;1.1.1;A20;J;N;\r\n", i);
  return buf;
}

class IntakeTest : public testing::Test {
 protected:
  void SetUp() override {
    const std::string root = DAS_SOURCE_DIR;
    auto c = contract::ContractSet::LoadDir(root + "/config/sources", *PosixFileSystem());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    contracts_ = std::move(*c);
    auto l = contract::CodeListSet::LoadDir(root + "/config/codelists/source", *PosixFileSystem());
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    lists_ = std::move(*l);
    cfg_.contracts = &contracts_;
    cfg_.codelists = &lists_;
    cfg_.form = contract::Form::kRaw;
    env_.clock = &clock_;
    env_.fs = &mem_;
    tmp_ = fs::temp_directory_path() / ("das_intake_unit_" + std::to_string(::getpid()) + "_" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(tmp_);
    fs::create_directories(tmp_);
    auto s = store::Store::Open((tmp_ / "store.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::error_code ec;
    fs::remove_all(tmp_, ec);
  }

  contract::ContractSet contracts_;
  contract::CodeListSet lists_;
  Config cfg_;
  FixedClock clock_{1709294400LL * 1000000};
  MemFileSystem mem_;
  Env env_;
  fs::path tmp_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(IntakeTest, CommitTwiceKeepsOneDeliveryAndCountsBalance) {
  ASSERT_TRUE(mem_.WriteFile("d/bvh_misdrijven_2023.csv", kHeader + PolRow(1) + PolRow(2) + "x;y\r\n").ok());
  DeliveryRequest req;
  req.path = "d/bvh_misdrijven_2023.csv";
  auto p = Prepare(req, cfg_, env_, store_.get());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->info.file, "bvh_misdrijven_2023.csv");
  EXPECT_EQ(p->info.delivered_on, "2024-03-01");  // from the clock
  EXPECT_EQ(p->info.loaded_at, "2024-03-01T12:00:00Z");
  EXPECT_EQ(p->info.rows_read, 3);
  EXPECT_EQ(p->info.rows_accepted, 2);
  EXPECT_EQ(p->info.rows_quarantined, 1);
  auto id = Commit(*p, store_.get());
  ASSERT_TRUE(id.ok()) << id.status().ToString();

  auto again = Prepare(req, cfg_, env_, store_.get());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_stored);
  auto id2 = Commit(*again, store_.get());
  ASSERT_TRUE(id2.ok());
  EXPECT_EQ(*id2, *id);
  auto list = store_->ListDeliveries();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
}

TEST_F(IntakeTest, ManifestHashMismatchRefusesAndRowMismatchWarns) {
  ASSERT_TRUE(mem_.WriteFile("d/bvh_misdrijven_2023.csv", kHeader + PolRow(1)).ok());
  DeliveryRequest req;
  req.path = "d/bvh_misdrijven_2023.csv";
  req.expected_rows = 2;
  req.expected_sha256 = std::string(64, '0');
  auto p = Prepare(req, cfg_, env_, store_.get());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->info.status, "rejected");
  EXPECT_EQ(p->info.rows_quarantined, 1);
  EXPECT_NE(p->receipt_json.find("\"rule\": \"DELIVERY-HASH\""), std::string::npos);
  EXPECT_NE(p->receipt_json.find("differs from the manifest's " + std::string(64, '0') +
                                 ": it changed after it was listed"),
            std::string::npos);
  EXPECT_NE(p->receipt_json.find("the manifest announces 2 rows, the file has 1"), std::string::npos);
}

TEST_F(IntakeTest, ReadManifestRejectsPathsOutsideTheFolderAndMissingColumns) {
  const std::string head = "file,organisation,dataset,contract,period,delivered_on,kind,rows,sha256\n";
  ASSERT_TRUE(mem_.WriteFile("m1/manifest.csv", head + "../x.csv,politie,misdrijven,politie_misdrijven@1,2023JJ00,"
                                                       "2024-02-01,regulier,1,abc\n")
                  .ok());
  auto r = ReadManifest("m1", mem_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "m1/manifest.csv: line 2: file '../x.csv' must be a relative path inside the deliveries folder");

  ASSERT_TRUE(mem_.WriteFile("m2/manifest.csv", "file,contract\nx.csv,a\n").ok());
  r = ReadManifest("m2", mem_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "m2/manifest.csv: header has no column 'period'");

  ASSERT_TRUE(mem_.WriteFile("m3/manifest.csv", head + "p/x.csv,politie,misdrijven,politie_misdrijven@1,2023JJ00,"
                                                       "2024-02-01,laat,zeven,abc\n")
                  .ok());
  r = ReadManifest("m3", mem_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "m3/manifest.csv: line 2: rows 'zeven' is not a whole number");

  ASSERT_TRUE(mem_.WriteFile("m4/manifest.csv", head + "p/x.csv,politie,misdrijven,politie_misdrijven@1,2023JJ00,"
                                                       "2024-06-01,laat,7,abc\n")
                  .ok());
  r = ReadManifest("m4", mem_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].path, "m4/p/x.csv");
  EXPECT_EQ((*r)[0].kind, "laat");
  EXPECT_EQ((*r)[0].expected_rows, 7);
}

// The identifier check samples the first 200 rows and buffers them; rows before and after the boundary must
// all be accounted for, in file order.
TEST_F(IntakeTest, SealedFormLongerThanTheIdentifierSampleKeepsEveryRow) {
  cfg_.form = contract::Form::kSealed;  // politie_misdrijven has no identifiers: raw and sealed are the same
  std::string data = kHeader;
  for (int i = 1; i <= 450; ++i) data += PolRow(i);
  data += PolRow(7);  // an exact duplicate after the sample: quarantined
  ASSERT_TRUE(mem_.WriteFile("bvh_misdrijven_2023.csv", data).ok());
  DeliveryRequest req;
  req.path = "bvh_misdrijven_2023.csv";
  auto p = Prepare(req, cfg_, env_, store_.get());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->info.status, "accepted");
  EXPECT_EQ(p->info.rows_read, 451);
  EXPECT_EQ(p->info.rows_accepted, 450);
  ASSERT_EQ(p->quarantine.size(), 1u);
  EXPECT_EQ(p->quarantine[0].line, 452);  // header on line 1, rows on 2..451
  ASSERT_EQ(p->accepted.num_rows(), 450u);
  EXPECT_EQ(p->accepted.column(0).GetString(0), "PL0100_BVH_20230000001");
  EXPECT_EQ(p->accepted.column(0).GetString(199), "PL0100_BVH_20230000200");
  EXPECT_EQ(p->accepted.column(0).GetString(200), "PL0100_BVH_20230000201");
  EXPECT_EQ(p->accepted.column(0).GetString(449), "PL0100_BVH_20230000450");
}

TEST_F(IntakeTest, ReceiptTextShowsBalanceAndFindings) {
  ASSERT_TRUE(mem_.WriteFile("bvh_misdrijven_2023.csv", kHeader + PolRow(1) + PolRow(1)).ok());
  DeliveryRequest req;
  req.path = "bvh_misdrijven_2023.csv";
  req.delivered_on = "2024-02-01";
  auto p = Prepare(req, cfg_, env_, store_.get());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto text = ReceiptText(p->receipt_json);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("rows:      read 2 = accepted 1 + quarantined 1  (balanced)\n"), std::string::npos) << *text;
  EXPECT_NE(text->find("  ROW-DUPLICATE [reject_row] 1 rows\n      line 3: exact duplicate of an earlier row\n"),
            std::string::npos)
      << *text;
  auto html = ReceiptHtml(p->receipt_json);
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("<title>DAS delivery receipt: bvh_misdrijven_2023.csv</title>"), std::string::npos);
  EXPECT_FALSE(ReceiptText("not json").ok());
}

}  // namespace
}  // namespace das::intake
