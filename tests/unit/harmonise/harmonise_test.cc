// HarmoniseTable on hand-built tables: rows kept, columns added, unknowns counted, dates choose versions.
#include "das/harmonise/harmonise.h"

#include <gtest/gtest.h>

namespace das::harmonise {
namespace {

const std::string kRepo = DAS_SOURCE_DIR;
Date D(int y, int m, int d) { return Date::FromYmdUnchecked(y, m, d); }

struct Fixture {
  contract::ContractSet contracts;
  Config config;
  geo::Geography geo;
};

const Fixture& Shipped() {
  static const Fixture* f = [] {
    auto* x = new Fixture;
    auto fs = PosixFileSystem();
    x->contracts = contract::ContractSet::LoadDir(kRepo + "/config/sources", *fs).value();
    x->config = LoadConfig(kRepo + "/config/codelists", *fs).value();
    x->geo = geo::Geography::Load(kRepo + "/config/geo").value();
    return x;
  }();
  return *f;
}

Column Strings(const std::string& name, const std::vector<std::optional<std::string>>& v) {
  Column c(name, ColumnType::kString);
  for (const auto& s : v) s ? c.AppendString(*s) : c.AppendNull();
  return c;
}

std::vector<std::string> Texts(const Table& t, const std::string& name) {
  const int i = t.Find(name);
  EXPECT_GE(i, 0) << name;
  std::vector<std::string> out;
  if (i < 0) return out;
  for (std::size_t r = 0; r < t.num_rows(); ++r) out.push_back(t.column(static_cast<std::size_t>(i)).ToText(r));
  return out;
}

TEST(HarmoniseTable, PoliceCrimes) {
  const Fixture& f = Shipped();
  const contract::Contract* c = f.contracts.Find("politie_misdrijven").value();
  Column date("registration_date", ColumnType::kDate);
  for (Date d : {D(2023, 5, 1), D(2023, 5, 1), D(2009, 6, 1), D(2023, 5, 1), D(2023, 5, 1)}) date.AppendDate(d);
  date.AppendNull();
  Table t({Strings("registration_number", {"a", "b", "c", "d", "e", "f"}),
           Strings("offence_police_class", {"1.1.1", "1.3.1", "1.1.1", "9.9.9", std::nullopt, "1.4.3"}),
           Strings("offence_buurt", {"BU0363AA01", "BU99999999", std::nullopt, "BU0363AA01", "BU0363AA01", "BU0363AA01"}),
           std::move(date)});
  std::vector<UnknownCount> unknowns;
  // Row f has no registration date: the fallback (its delivery's period) decides.
  std::vector<Date> fallback(6, D(2023, 1, 1));
  ASSERT_TRUE(HarmoniseTable(*c, f.config, f.geo, fallback, &t, &unknowns).ok());
  EXPECT_EQ(t.num_rows(), 6u);
  EXPECT_EQ(Texts(t, "offence_scm"), (std::vector<std::string>{"112", "X1", "onbekend", "onbekend", "onbekend", "2211"}));
  EXPECT_EQ(Texts(t, "offence_scm_level1"), (std::vector<std::string>{"1", "X", "onbekend", "onbekend", "onbekend", "2"}));
  EXPECT_EQ(Texts(t, "offence_scm_level2"), (std::vector<std::string>{"11", "X1", "onbekend", "onbekend", "onbekend", "22"}));
  EXPECT_EQ(Texts(t, "buurt_2024"),
            (std::vector<std::string>{"BU0363AA01", "onbekend", "onbekend", "BU0363AA01", "BU0363AA01", "BU0363AA01"}));
  EXPECT_EQ(Texts(t, "gemeente_2024")[0], "GM0363");
  EXPECT_EQ(Texts(t, "province")[0], "PV27");
  EXPECT_EQ(Texts(t, "police_unit")[0], "RE05");
  EXPECT_EQ(Texts(t, "arrondissement")[0], "RBAMS");
  std::vector<std::string> got;
  for (const auto& u : unknowns) got.push_back(u.field + "|" + u.code + "|" + u.reason + "|" + std::to_string(u.rows));
  EXPECT_EQ(got, (std::vector<std::string>{"offence_police_class|1.1.1|expired|1", "offence_police_class|9.9.9|unknown|1",
                                           "offence_police_class||missing|1", "offence_buurt|BU99999999|unknown|1",
                                           "offence_buurt||missing|1"}));
}

TEST(HarmoniseTable, AgeGroupsAndMinor) {
  const Fixture& f = Shipped();
  const contract::Contract* c = f.contracts.Find("rvdk_strafonderzoeken").value();
  Column age("age", ColumnType::kInt64);
  for (int a : {11, 12, 17, 18, 65, -1}) age.AppendInt(a);
  age.AppendNull();
  Table t({Strings("council_id", {"1", "2", "3", "4", "5", "6", "7"}), std::move(age),
           Strings("sex", {"M", "V", "O", "X", "M", "M", std::nullopt})});
  std::vector<UnknownCount> unknowns;
  Status s = HarmoniseTable(*c, f.config, f.geo, {}, &t, &unknowns);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Texts(t, "age_group"), (std::vector<std::string>{"0-11", "12-17", "12-17", "18-24", "65+", "onbekend", "onbekend"}));
  EXPECT_EQ(Texts(t, "minor"), (std::vector<std::string>{"1", "1", "1", "0", "0", "", ""}));
  EXPECT_EQ(Texts(t, "sex_h"), (std::vector<std::string>{"man", "vrouw", "onbekend", "onbekend", "man", "man", "onbekend"}));
  std::vector<std::string> got;
  for (const auto& u : unknowns) got.push_back(u.field + "|" + u.code + "|" + u.reason + "|" + std::to_string(u.rows));
  // 'O' is mapped to onbekend on purpose and not counted; 'X' and the empty value are.
  EXPECT_EQ(got, (std::vector<std::string>{"sex|X|unknown|1", "sex||missing|1", "age||missing|1", "age|-1|unknown|1"}));
}

TEST(HarmoniseTable, MissingColumnIsAnError) {
  const Fixture& f = Shipped();
  const contract::Contract* c = f.contracts.Find("rechtspraak_sancties").value();
  Table t({Strings("case_number", {"1"})});
  std::vector<UnknownCount> unknowns;
  Status s = HarmoniseTable(*c, f.config, f.geo, {}, &t, &unknowns);
  EXPECT_EQ(s.message(), "harmonise: dataset 'rechtspraak_sancties' has no column 'sanction' (harmonisatie.csv line 19)");
}

TEST(HarmoniseTable, OldGemeenteCodesGoToTheirSuccessor) {
  const Fixture& f = Shipped();
  const contract::Contract* c = f.contracts.Find("context_bijstand").value();
  Table t({Strings("bsn_pseudo", {"a", "b", "c"}), Strings("gemeente", {"GM0009", "GM0014", "GM9999"})});
  std::vector<UnknownCount> unknowns;
  ASSERT_TRUE(HarmoniseTable(*c, f.config, f.geo, {}, &t, &unknowns).ok());
  EXPECT_EQ(Texts(t, "gemeente_2024"), (std::vector<std::string>{"GM0014", "GM0014", "onbekend"}));
  EXPECT_EQ(Texts(t, "province"), (std::vector<std::string>{"PV20", "PV20", "onbekend"}));
  ASSERT_EQ(unknowns.size(), 1u);
  EXPECT_EQ(unknowns[0].code, "GM9999");
}

TEST(Report, FormatsUnknowns) {
  Report r;
  r.datasets.push_back({"om_zaken", 10, 10, {"decision_h"}, 2, 0.5});
  r.unknowns.push_back({"om_zaken", "decision", "XXX", "unknown", 2});
  r.seconds = 0.5;
  const std::string text = FormatReport(r);
  EXPECT_NE(text.find("om_zaken                               10           10            2      0.50"), std::string::npos) << text;
  EXPECT_NE(text.find("om_zaken                     decision               unknown  XXX                               2"),
            std::string::npos) << text;
}

}  // namespace
}  // namespace das::harmonise
