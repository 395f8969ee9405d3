// Tests of the cell key method: record keys, cell keys, the perturbation table in config/protect/.
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "das/protect/ckm.h"

namespace das::protect {
namespace {

const std::string kPTablePath = std::string(DAS_SOURCE_DIR) + "/config/protect/ptable_D3_V2_js2.csv";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

PTable ShippedTable() {
  auto t = PTable::FromCsv(ReadAll(kPTablePath), "ptable_D3_V2_js2.csv");
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : PTable{};
}

TEST(RecordKeys, DeterministicKeyedAndInRange) {
  auto a = RecordKeyer::Create("0123456789abcdef-secret");
  auto b = RecordKeyer::Create("0123456789abcdef-secret");
  auto c = RecordKeyer::Create("another secret of 16+ bytes");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  std::map<std::uint32_t, int> hist;
  int differ = 0;
  for (int i = 0; i < 25600; ++i) {
    const std::string id = "P" + std::to_string(i);
    const std::uint32_t k = a->Key(id);
    ASSERT_LT(k, 256u);
    ASSERT_EQ(k, b->Key(id));
    differ += k != c->Key(id);
    ++hist[k];
  }
  EXPECT_EQ(hist.size(), 256u);  // every key value occurs
  for (const auto& [k, n] : hist) EXPECT_GT(n, 50) << k;  // expected 100 each
  EXPECT_GT(differ, 25000);  // another secret gives other keys (equal by chance 1/256)
  EXPECT_EQ(RecordKeyer::Create("short").status().message(), "record keys: secret shorter than 16 bytes");
}

TEST(CellKeys, SumModulo256) {
  EXPECT_EQ(CellKey({}), 0u);
  EXPECT_EQ(CellKey({100, 200, 50}), 94u);
  EXPECT_EQ(CombineKeys(200, 100), 44u);
  EXPECT_EQ(CombineKeys(CellKey({100, 200}), CellKey({50})), CellKey({100, 200, 50}));
}

TEST(PTable, ShippedFileIsTheGeneratedTableAndValid) {
  PTableParams p;
  p.max_noise = 3;
  p.variance = 2.0;
  p.js = 2;
  auto gen = GeneratePTable(p);
  ASSERT_TRUE(gen.ok());
  EXPECT_EQ(gen->ToCsv(), ReadAll(kPTablePath));  // regenerate with bench/protect/protect_ptable_gen 3 2 2
  const PTable t = ShippedTable();
  EXPECT_TRUE(ValidatePTable(t).ok()) << ValidatePTable(t).ToString();
  EXPECT_EQ(t.params.max_i, 9);
  for (const PTableRowStats& r : RowStats(t)) {
    EXPECT_DOUBLE_EQ(r.sum_p, 1.0) << r.i;
    EXPECT_LE(std::abs(r.mean), 3.0 / 256) << r.i;
    if (r.i >= 9) {
      EXPECT_NEAR(r.variance, 2.0, 0.05) << r.i;
    }
  }
}

TEST(PTable, ExactLookups) {
  const PTable t = ShippedTable();
  EXPECT_EQ(t.Perturb(0, 123), 0);     // empty stays empty
  EXPECT_EQ(t.Perturb(1, 170), 0);     // row 1: [0,171) -> -1
  EXPECT_EQ(t.Perturb(1, 200), 3);     // [171,255) -> +2
  EXPECT_EQ(t.Perturb(1, 255), 4);     // [255,256) -> +3
  EXPECT_EQ(t.Perturb(2, 30), 0);      // [0,85) -> -2
  EXPECT_EQ(t.Perturb(3, 94), 3);      // [38,167) -> 0
  EXPECT_EQ(t.Perturb(20, 250), 23);   // counts >= 9 use row 9: [247,256) -> +3
  EXPECT_EQ(t.Perturb(1000, 0), 997);  // [0,9) -> -3
  EXPECT_EQ(t.Perturb(20, 250 + 256), 23);  // keys are taken mod 256
  // No count 1..3 is ever published as 1 or 2, and no value goes below zero.
  for (std::int64_t c = 0; c < 40; ++c) {
    for (std::uint32_t k = 0; k < 256; ++k) {
      const std::int64_t v = t.Perturb(c, k);
      ASSERT_GE(v, 0);
      ASSERT_FALSE(v == 1 || v == 2) << c << " " << k;
      ASSERT_LE(std::abs(v - c), 3);
    }
  }
}

TEST(PTable, ValidationFindsDefects) {
  PTable t = ShippedTable();
  PTable bad = t;
  bad.entries[1].ub -= 1;  // row 1: gap between entries
  EXPECT_EQ(ValidatePTable(bad).message(), "ptable: row i=1: key intervals do not partition 0..255");
  bad = t;
  bad.entries[2].ub = 250;  // row 1 ends at 250 with the last entry starting at 255 -> broken partition
  EXPECT_FALSE(ValidatePTable(bad).ok());
  bad = t;
  bad.entries[4].v = 3;  // row 2 [0,85): j stays 0, v inconsistent
  EXPECT_EQ(ValidatePTable(bad).message(), "ptable: row i=2: j != i + v");
  bad = t;
  bad.entries[4].j = 2;
  bad.entries[4].v = 0;  // row 2: count 2 published as 2
  EXPECT_EQ(ValidatePTable(bad).message(), "ptable: row i=2: published value 2 in 1..js");
  // A biased row: move all of row 9 to +3.
  bad = t;
  for (PTableEntry& e : bad.entries) {
    if (e.i == 9) {
      e.v = 3;
      e.j = 12;
    }
  }
  EXPECT_EQ(ValidatePTable(bad).message(), "ptable: row i=9: mean 3.000000 is not zero");
  auto parsed = PTable::FromCsv("# ptable D=3,V=2.0,js=2,max_i=9\ni,j,v,p,lb,ub\n1,0,-1,0.5,0,171\n", "x.csv");
  EXPECT_EQ(parsed.status().message(), "x.csv: line 3: p does not equal (ub - lb)/256");
  parsed = PTable::FromCsv("i,j,v,p,lb,ub\n", "y.csv");
  EXPECT_EQ(parsed.status().message(), "y.csv: missing parameter line or header");
}

TEST(PTable, GenerationErrors) {
  PTableParams p;
  p.max_noise = 0;
  EXPECT_EQ(GeneratePTable(p).status().message(), "ptable: maximum noise D must be >= 1");
  p.max_noise = 2;
  p.max_i = 3;
  EXPECT_EQ(GeneratePTable(p).status().message(), "ptable: max_i 3 < D + js + 1");
}

}  // namespace
}  // namespace das::protect
