// das intake: validate deliveries against their contracts and load them into the store.
#include <cstdio>
#include <sys/stat.h>

#include "cli.h"
#include "das/contract/codelist.h"
#include "das/contract/contract.h"
#include "das/intake/intake.h"
#include "das/store/store.h"

namespace das::cli {
namespace {

struct IntakeOptions {
  std::string store_path;
  std::string config_dir;
  std::string contract;
  std::string receipts_dir;
  std::vector<std::string> deliveries;
  bool raw = false;
  int jobs = 2;
};

bool IsDir(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Status WriteReceipts(const std::string& dir, const intake::Prepared& p) {
  std::string base = p.info.file;
  for (char& c : base)
    if (c == '/') c = '_';
  FileSystem* fs = PosixFileSystem();
  DAS_RETURN_IF_ERROR(fs->CreateDirs(dir));
  DAS_RETURN_IF_ERROR(fs->WriteFile(dir + "/" + base + ".receipt.json", p.receipt_json));
  DAS_ASSIGN_OR_RETURN(std::string text, intake::ReceiptText(p.receipt_json));
  DAS_RETURN_IF_ERROR(fs->WriteFile(dir + "/" + base + ".receipt.txt", text));
  DAS_ASSIGN_OR_RETURN(std::string html, intake::ReceiptHtml(p.receipt_json));
  return fs->WriteFile(dir + "/" + base + ".receipt.html", html);
}

int RunIntake(const IntakeOptions& o) {
  auto fail = [](const Status& s) { return Report("intake", s); };
  auto config = ConfigDir(o.config_dir);
  if (!config.ok()) return fail(config.status());
  Env env = Env::Default();
  auto contracts = contract::ContractSet::LoadDir(*config + "/sources", *env.fs);
  if (!contracts.ok()) return fail(contracts.status());
  auto codelists = contract::CodeListSet::LoadDir(*config + "/codelists/source", *env.fs);
  if (!codelists.ok()) return fail(codelists.status());

  std::vector<intake::DeliveryRequest> requests;
  for (const auto& d : o.deliveries) {
    if (IsDir(d)) {
      auto m = intake::ReadManifest(d, *env.fs);
      if (!m.ok()) return fail(m.status());
      for (auto& r : *m) requests.push_back(std::move(r));
    } else {
      intake::DeliveryRequest r;
      r.path = d;
      r.contract = o.contract;
      requests.push_back(std::move(r));
    }
  }
  auto store = store::Store::Open(o.store_path);
  if (!store.ok()) return fail(store.status());

  intake::Config cfg;
  cfg.contracts = &*contracts;
  cfg.codelists = &*codelists;
  cfg.form = o.raw ? contract::Form::kRaw : contract::Form::kSealed;

  auto totals = intake::IntakeBatch(requests, cfg, store->get(), env, o.jobs, [&](const intake::Prepared& p) {
    if (!o.receipts_dir.empty() && !p.already_stored) DAS_RETURN_IF_ERROR(WriteReceipts(o.receipts_dir, p));
    const char* verb = p.already_stored ? "already stored" : p.info.status == "rejected" ? "REJECTED" : "accepted";
    std::printf("%-14s %s: %lld read = %lld accepted + %lld quarantined (%s, %s)\n", verb, p.info.file.c_str(),
                static_cast<long long>(p.info.rows_read), static_cast<long long>(p.info.rows_accepted),
                static_cast<long long>(p.info.rows_quarantined), p.info.contract.c_str(), p.info.period.c_str());
    return Status::Ok();
  });
  if (!totals.ok()) return fail(totals.status());
  const std::int64_t total_read = totals->rows_read, total_accepted = totals->rows_accepted,
                     total_quarantined = totals->rows_quarantined;
  const int rejected = static_cast<int>(totals->rejected), already = static_cast<int>(totals->already_stored);
  std::printf("intake: %zu deliveries (%d already stored, %d rejected); rows read %lld = accepted %lld + quarantined %lld%s\n",
              requests.size(), already, rejected, static_cast<long long>(total_read),
              static_cast<long long>(total_accepted), static_cast<long long>(total_quarantined),
              total_read == total_accepted + total_quarantined ? " (balanced)" : " (NOT BALANCED)");
  return rejected > 0 ? kExitFailure : kExitOk;
}

}  // namespace

void AddIntakeCommand(CLI::App& app, Runner& runner) {
  auto o = std::make_shared<IntakeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "intake",
      "Validate sealed deliveries against their source contracts and load them into the store.\n"
      "Each DELIVERY is a file, or a folder with a manifest.csv (as 'das generate' writes). Accepted rows go\n"
      "to the store, rejected rows to quarantine with their findings, one transaction per delivery; a\n"
      "delivery already stored (same sha256) is recognised and skipped. Exit 1 if a delivery is rejected.");
  cmd->add_option("--store", o->store_path, "SQLite store file (created if missing)")->required();
  cmd->add_option("deliveries", o->deliveries, "delivery files or folders with a manifest.csv")->required();
  cmd->add_option("--contract", o->contract, "contract for single files, e.g. om_zaken@1 (default: match by name and header)");
  cmd->add_option("--config", o->config_dir, "config folder (default: ./config or the repository's)");
  cmd->add_option("--receipts", o->receipts_dir, "write each delivery's receipt (.json, .txt, .html) to this folder");
  cmd->add_flag("--raw", o->raw, "files are unsealed (raw) organisation files: for tests only");
  cmd->add_option("--jobs", o->jobs, "deliveries read and validated at once (default 2)")->check(CLI::Range(1, 64));
  cmd->callback([o, &runner] { runner = [o] { return RunIntake(*o); }; });
}

}  // namespace das::cli
