// Golden tests of intake: every folder tests/golden/intake/<case>/ holds delivery files (in/), an optional
// case.toml, and the expected outputs (expected/). The runner takes the deliveries in through the library
// (intake::Prepare + Commit, a fresh SQLite store, a fixed clock), renders what the store holds afterwards and
// compares it with expected/ byte for byte. With DAS_GOLDEN_UPDATE=1 it rewrites expected/ instead (then read
// every changed file by hand before committing). Layout and case.toml keys: tests/golden/README.md.
#include <gtest/gtest.h>

#include "golden_util.h"
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "das/contract/codelist.h"
#include "das/contract/contract.h"
#include "das/core/env.h"
#include "das/intake/intake.h"
#include "das/io/csv_reader.h"
#include "das/io/csv_writer.h"
#include "das/seal/keys.h"
#include "das/seal/names.h"
#include "das/seal/seal.h"
#include "das/store/store.h"

namespace das::intake {
namespace {

using testutil::CsvField;
using testutil::ReadAll;
using testutil::ReadStaged;
using testutil::TableCsv;

namespace fs = std::filesystem;

constexpr std::uint64_t kDemoSeed = 20240201;
// 2024-03-01T12:00:00Z: the clock of every golden run (loaded_at; delivered_on when a case gives none).
constexpr std::int64_t kNowMicros = 1709294400LL * 1000000;

std::string GoldenRoot() { return std::string(DAS_SOURCE_DIR) + "/tests/golden/intake"; }

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteAll(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << data;
}

// ---------------------------------------------------------------------------------------------------------
// case.toml: a small TOML subset. Top-level keys apply to the case; each [[delivery]] table is one delivery
// in order. Values are "strings" (or bare true/false). Without [[delivery]] tables every file in in/ is
// delivered, in name order.
struct DeliverySpec {
  std::string file;          // in in/
  std::string contract;      // "" = matched by name and header
  std::string delivered_on;  // "" = the case default
  std::string kind;          // "" = from the file name
  std::string period;
};

struct CaseSpec {
  std::string form = "raw";          // raw | sealed
  bool seal = false;                 // seal the in/ files (raw) with the demo keys before intake (form sealed)
  std::string person_kind;           // seal: column telling natural (N) from legal persons
  std::string delivered_on = "2024-02-01";
  std::vector<DeliverySpec> deliveries;
};

std::string Unquote(const std::string& v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  return v;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

Result<CaseSpec> ReadCase(const fs::path& dir) {
  CaseSpec spec;
  const fs::path file = dir / "case.toml";
  if (fs::exists(file)) {
    std::istringstream in(ReadAll(file));
    std::string line;
    int n = 0;
    DeliverySpec* cur = nullptr;
    while (std::getline(in, line)) {
      ++n;
      line = Trim(line);
      if (line.empty() || line[0] == '#') continue;
      if (line == "[[delivery]]") {
        spec.deliveries.emplace_back();
        cur = &spec.deliveries.back();
        continue;
      }
      const auto eq = line.find('=');
      if (eq == std::string::npos)
        return Status::ParseError(file.string() + ": line " + std::to_string(n) + ": expected key = value");
      const std::string key = Trim(line.substr(0, eq));
      const std::string value = Unquote(Trim(line.substr(eq + 1)));
      auto bad = [&] {
        return Status::ParseError(file.string() + ": line " + std::to_string(n) + ": unknown key '" + key + "'");
      };
      if (cur != nullptr) {
        if (key == "file") cur->file = value;
        else if (key == "contract") cur->contract = value;
        else if (key == "delivered_on") cur->delivered_on = value;
        else if (key == "kind") cur->kind = value;
        else if (key == "period") cur->period = value;
        else return bad();
      } else {
        if (key == "form") spec.form = value;
        else if (key == "seal") spec.seal = value == "true";
        else if (key == "person_kind") spec.person_kind = value;
        else if (key == "delivered_on") spec.delivered_on = value;
        else if (key == "contract") {
          // default contract for implicit deliveries
          spec.deliveries.clear();
          DeliverySpec d;
          d.contract = value;
          spec.deliveries.push_back(d);  // marker, expanded below
        } else return bad();
      }
    }
    if (spec.form != "raw" && spec.form != "sealed")
      return Status::ParseError(file.string() + ": form must be raw or sealed");
    if (spec.seal) spec.form = "sealed";
  }
  // Implicit deliveries: every file of in/ (a lone marker entry without a file carries the contract).
  if (spec.deliveries.empty() || (spec.deliveries.size() == 1 && spec.deliveries[0].file.empty())) {
    const std::string contract = spec.deliveries.empty() ? "" : spec.deliveries[0].contract;
    spec.deliveries.clear();
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir / "in"))
      if (e.is_regular_file()) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    for (auto& name : names) spec.deliveries.push_back({name, contract, "", "", ""});
  }
  for (const auto& d : spec.deliveries)
    if (d.file.empty() || !fs::exists(dir / "in" / d.file))
      return Status::NotFound(file.string() + ": delivery file 'in/" + d.file + "' does not exist");
  return spec;
}

// ---------------------------------------------------------------------------------------------------------
// Rendering.

// One line per finding of each quarantined row, with the row's raw text.
Result<std::string> RenderQuarantine(const std::vector<store::QuarantinedRow>& rows) {
  std::string out = "line,rule,severity,column,message,raw\n";
  for (const auto& q : rows) {
    auto j = nlohmann::json::parse(q.findings, nullptr, false);
    if (j.is_discarded() || !j.is_array())
      return Status::ParseError("quarantine line " + std::to_string(q.line) + ": findings are not a JSON array");
    if (j.empty()) out += std::to_string(q.line) + ",,,,," + CsvField(q.raw) + "\n";
    for (const auto& f : j) {
      out += std::to_string(q.line) + "," + CsvField(f.value("rule", "")) + "," + CsvField(f.value("severity", "")) +
             "," + CsvField(f.value("column", "")) + "," + CsvField(f.value("message", "")) + "," + CsvField(q.raw) +
             "\n";
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Sealing raw inputs with the demo keys (deterministic pseudonyms), written in the contract's own format.

Result<std::string> SealFile(const contract::Contract& c, const std::string& raw, const std::string& name,
                             const std::string& person_kind, const seal::Tussenvoegsels& tv) {
  seal::SealSpec spec;
  std::string ref_field = c.seal.reference_date_field.empty() ? c.reference_date : c.seal.reference_date_field;
  for (const auto& col : c.columns) {
    switch (col.type) {
      case contract::FieldType::kBsn: spec.bsn = col.name; break;
      case contract::FieldType::kSurname: spec.surname = col.name; break;
      case contract::FieldType::kTussenvoegsel: spec.tussenvoegsel = col.name; break;
      case contract::FieldType::kGivenNames: spec.given_names = col.name; break;
      case contract::FieldType::kBirthDate:
        spec.birth_date = col.name;
        spec.birth_date_format = col.date_format;
        break;
      case contract::FieldType::kSex: spec.sex = col.name; break;
      default: break;
    }
    if (!ref_field.empty() && col.field == ref_field) {
      spec.reference_date = col.name;
      spec.reference_date_format = col.date_format;
    }
  }
  spec.person_kind = person_kind;
  DAS_ASSIGN_OR_RETURN(seal::KeyFile keys, seal::DemoKeyFile(c.organisation, kDemoSeed));
  auto reader = io::CsvReader::FromString(raw, c.format.Dialect(), name);
  DAS_ASSIGN_OR_RETURN(seal::Sealer sealer, seal::Sealer::Create(spec, reader->header(), keys, tv));
  if (sealer.output_header() != c.Header(contract::Form::kSealed))
    return Status::FailedPrecondition(name + ": sealed header differs from the contract's sealed header");
  io::CsvWriteOptions wo;
  wo.delimiter = c.format.delimiter;
  wo.quote = c.format.quote;
  wo.crlf = c.format.line_ending == "crlf";
  wo.bom = c.format.bom == contract::Format::Bom::kRequired;
  wo.encoding = c.format.encoding;
  io::CsvWriter w(wo);
  for (const auto& h : sealer.output_header()) w.Text(h);
  w.EndRecord();
  io::CsvRecord rec;
  seal::SealedRow out;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
    if (!more) break;
    if (rec.error) return Status::FailedPrecondition("seal input: " + rec.error->ToString());
    DAS_RETURN_IF_ERROR(sealer.SealRow(rec.fields, out));
    for (std::size_t i = 0; i < out.size(); ++i) w.Text(out[i]);
    w.EndRecord();
  }
  DAS_RETURN_IF_ERROR(w.status());
  return w.buffer();
}

// ---------------------------------------------------------------------------------------------------------

struct Loaded {
  contract::ContractSet contracts;
  contract::CodeListSet codelists;
  seal::Tussenvoegsels tussenvoegsels;
};

const Loaded& LoadedConfig() {
  static const Loaded* loaded = [] {
    const std::string root = DAS_SOURCE_DIR;
    auto contracts = contract::ContractSet::LoadDir(root + "/config/sources", *PosixFileSystem());
    auto lists = contract::CodeListSet::LoadDir(root + "/config/codelists/source", *PosixFileSystem());
    auto tv = seal::Tussenvoegsels::Load(*PosixFileSystem(), root + "/" +
                                                                  std::string(seal::Tussenvoegsels::kDefaultPath));
    if (!contracts.ok() || !lists.ok() || !tv.ok()) {
      std::fprintf(stderr, "golden: cannot load config: %s %s %s\n", contracts.status().ToString().c_str(),
                   lists.status().ToString().c_str(), tv.status().ToString().c_str());
      std::abort();
    }
    return new Loaded{std::move(*contracts), std::move(*lists), std::move(*tv)};
  }();
  return *loaded;
}

// Runs one case; returns the rendered outputs by file name (relative to expected/).
Result<std::map<std::string, std::string>> RunCase(const fs::path& dir) {
  DAS_ASSIGN_OR_RETURN(CaseSpec spec, ReadCase(dir));
  const Loaded& cfg = LoadedConfig();
  const fs::path tmp = fs::temp_directory_path() /
                       ("das_golden_" + dir.filename().string() + "_" + std::to_string(::getpid()));
  fs::remove_all(tmp);
  fs::create_directories(tmp);
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{tmp};

  DAS_ASSIGN_OR_RETURN(auto store, store::Store::Open((tmp / "store.db").string()));
  FixedClock clock(kNowMicros);
  Env env{&clock, PosixFileSystem(), nullptr, 0};
  Config intake_cfg;
  intake_cfg.contracts = &cfg.contracts;
  intake_cfg.codelists = &cfg.codelists;
  intake_cfg.form = spec.form == "sealed" ? contract::Form::kSealed : contract::Form::kRaw;

  std::map<std::string, std::string> out;
  std::string log;
  std::string dataset;
  std::vector<std::string> key;
  const bool many = spec.deliveries.size() > 1;
  for (std::size_t i = 0; i < spec.deliveries.size(); ++i) {
    const DeliverySpec& d = spec.deliveries[i];
    DeliveryRequest req;
    req.path = (dir / "in" / d.file).string();
    req.name = d.file;
    req.contract = d.contract;
    req.delivered_on = d.delivered_on.empty() ? spec.delivered_on : d.delivered_on;
    req.kind = d.kind;
    req.period = d.period;
    if (spec.seal) {
      if (d.contract.empty()) return Status::InvalidArgument("case.toml: seal = true needs a contract");
      DAS_ASSIGN_OR_RETURN(const contract::Contract* c, cfg.contracts.Find(d.contract));
      DAS_ASSIGN_OR_RETURN(std::string sealed,
                           SealFile(*c, ReadAll(req.path), d.file, spec.person_kind, cfg.tussenvoegsels));
      req.path = (tmp / d.file).string();
      WriteAll(req.path, sealed);
      out["sealed/" + d.file] = sealed;  // what was delivered (deterministic pseudonyms)
    }
    const std::string prefix = many ? std::to_string(i + 1) + "." : "";
    log += "delivery " + std::to_string(i + 1) + " " + d.file + ": ";
    auto prepared = Prepare(req, intake_cfg, env, store.get());
    if (!prepared.ok()) {
      log += "error: " + prepared.status().ToString() + "\n";
      continue;
    }
    DAS_ASSIGN_OR_RETURN(std::int64_t id, Commit(*prepared, store.get()));
    const store::DeliveryInfo& info = prepared->info;
    if (prepared->already_stored) {
      log += "already stored as delivery " + std::to_string(id) + " (sha256 " + info.sha256 + ")\n";
      continue;
    }
    log += info.status + " as delivery " + std::to_string(id) + " (" + info.contract + ", period " + info.period +
           ", " + info.kind + ", delivered " + info.delivered_on + "): read " + std::to_string(info.rows_read) +
           " = accepted " + std::to_string(info.rows_accepted) + " + quarantined " +
           std::to_string(info.rows_quarantined) + "\n";
    DAS_ASSIGN_OR_RETURN(Table accepted, store->ReadDelivery(id));
    out[prefix + "accepted.csv"] = TableCsv(accepted);
    DAS_ASSIGN_OR_RETURN(auto quarantine, store->ReadQuarantine(id));
    DAS_ASSIGN_OR_RETURN(out[prefix + "quarantine.csv"], RenderQuarantine(quarantine));
    DAS_ASSIGN_OR_RETURN(std::string receipt, store->ReadReceipt(id));
    out[prefix + "receipt.json"] = receipt + "\n";
    dataset = info.dataset;
    DAS_ASSIGN_OR_RETURN(const contract::Contract* c, cfg.contracts.Find(info.contract));
    key = c->key;
  }
  out["log.txt"] = log;
  if (many && !dataset.empty()) {
    DAS_ASSIGN_OR_RETURN(Table current, store->ReadCurrent(dataset, key));
    out["current.csv"] = TableCsv(current);
  }
  return out;
}

// A line diff of expected vs actual (first differing region with context), for failure messages.
std::string Diff(const std::string& expected, const std::string& actual) {
  auto split = [](const std::string& s) {
    std::vector<std::string> lines;
    std::istringstream in(s);
    std::string l;
    while (std::getline(in, l)) lines.push_back(l);
    return lines;
  };
  const auto a = split(expected), b = split(actual);
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  std::string out;
  const std::size_t from = head >= 3 ? head - 3 : 0;
  out += "@@ line " + std::to_string(head + 1) + " @@\n";
  for (std::size_t i = from; i < head; ++i) out += "  " + a[i] + "\n";
  for (std::size_t i = head; i < a.size() - tail; ++i) out += "- " + a[i] + "\n";
  for (std::size_t i = head; i < b.size() - tail; ++i) out += "+ " + b[i] + "\n";
  for (std::size_t i = b.size() - tail, n = 0; i < b.size() && n < 3; ++i, ++n) out += "  " + b[i] + "\n";
  if (a == b) out += "(the files differ in line ends or a final newline only)\n";
  return out;
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(GoldenRoot(), ec))
    if (e.is_directory() && fs::exists(e.path() / "in")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class GoldenIntake : public testing::TestWithParam<std::string> {};

TEST_P(GoldenIntake, MatchesExpected) {
  const fs::path dir = fs::path(GoldenRoot()) / GetParam();
  auto actual = RunCase(dir);
  ASSERT_TRUE(actual.ok()) << actual.status().ToString();
  const fs::path expected_dir = dir / "expected";
  const char* update = std::getenv("DAS_GOLDEN_UPDATE");
  if (update != nullptr && std::string(update) == "1") {
    fs::remove_all(expected_dir);
    for (const auto& [name, text] : *actual) WriteAll(expected_dir / name, text);
    GTEST_SKIP() << "rewrote " << expected_dir.string() << " (" << actual->size() << " files): review them";
  }
  std::map<std::string, std::string> expected;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(expected_dir, ec))
    if (e.is_regular_file()) expected[fs::relative(e.path(), expected_dir).generic_string()] = ReadAll(e.path());
  ASSERT_FALSE(expected.empty()) << "no expected files in " << expected_dir.string()
                                 << " (run with DAS_GOLDEN_UPDATE=1 to create them, then review them)";
  for (const auto& [name, text] : *actual) {
    auto it = expected.find(name);
    if (it == expected.end()) {
      ADD_FAILURE() << GetParam() << ": unexpected output expected/" << name << ":\n" << text;
      continue;
    }
    EXPECT_TRUE(it->second == text) << GetParam() << ": expected/" << name << " differs:\n" << Diff(it->second, text);
  }
  for (const auto& [name, text] : expected)
    EXPECT_TRUE(actual->count(name)) << GetParam() << ": expected/" << name << " was not produced";
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenIntake, testing::ValuesIn(CaseNames()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(GoldenSuite, HasAtLeastFortyMalformedCases) {
  // Malformed-input cases are named bad_*; each holds one defect with its exact expected message.
  const auto names = CaseNames();
  const auto bad = std::count_if(names.begin(), names.end(), [](const std::string& n) { return n.rfind("bad_", 0) == 0; });
  EXPECT_GE(bad, 40);
}

}  // namespace
}  // namespace das::intake
