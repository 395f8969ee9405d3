// das seal: pseudonymise a raw delivery file at the source, before it is delivered (src/seal/README.md).
//
//   das seal --source NAME --keys KEYFILE IN OUT [--config DIR] [--threads N]
// NAME is a source contract ("om_zaken" = highest version, or "om_zaken@1"). Reads IN in the contract's
// dialect, replaces BSN, names and birth date by pseudonyms and linkage encodings, and writes OUT atomically
// (temp file + rename) in the same dialect. Rows that cannot be read cleanly are dropped and listed on
// stderr by line (never with their values). Prints a one-line summary on stdout.
// Exit codes: 0 sealed (possibly with dropped rows), 1 not sealed (unknown contract, bad header, unreadable
// input, key file missing or with a mode other than 0600/0400), 2 bad usage.
#include <cstdio>
#include <memory>
#include <string>

#include "cli.h"
#include "das/contract/contract.h"
#include "das/seal/names.h"
#include "das/seal/seal_file.h"

namespace das::cli {
namespace {

struct SealOptions {
  std::string source;
  std::string keys;
  std::string in;
  std::string out;
  std::string config_dir;
  int threads = 2;
};

constexpr std::size_t kDroppedShown = 20;

int RunSeal(const SealOptions& o) {
  const std::string cmd = "seal";
  Result<std::string> config = ConfigDir(o.config_dir);
  if (!config.ok()) return Report(cmd, config.status());
  FileSystem& fs = *PosixFileSystem();
  auto fail = [&](const Status& s) {
    (void)Report(cmd, s);
    return kExitFailure;
  };
  Result<contract::ContractSet> contracts = contract::ContractSet::LoadDir(*config + "/sources", fs);
  if (!contracts.ok()) return fail(contracts.status());
  Result<const contract::Contract*> contract = contracts->Find(o.source);
  if (!contract.ok()) return fail(contract.status());
  Result<seal::Tussenvoegsels> tv = seal::Tussenvoegsels::Load(fs, *config + "/seal/tussenvoegsels.txt");
  if (!tv.ok()) return fail(tv.status());

  seal::SealFileOptions options;
  options.threads = o.threads;
  Result<seal::SealReport> report = seal::SealFileAtPaths(**contract, o.keys, *tv, o.in, o.out, fs, options);
  if (!report.ok()) return fail(report.status());

  for (const std::string& w : report->warnings) std::fprintf(stderr, "das seal: warning: %s\n", w.c_str());
  for (std::size_t i = 0; i < report->dropped.size() && i < kDroppedShown; ++i) {
    const seal::DroppedRow& d = report->dropped[i];
    std::fprintf(stderr, "das seal: dropped %s line %lld: %s\n", o.in.c_str(), static_cast<long long>(d.line),
                 d.reason.c_str());
  }
  if (report->rows_dropped > static_cast<std::int64_t>(kDroppedShown)) {
    std::fprintf(stderr, "das seal: ... and %lld more dropped rows\n",
                 static_cast<long long>(report->rows_dropped) - static_cast<long long>(kDroppedShown));
  }
  std::printf("sealed %s -> %s: %s\n", o.in.c_str(), o.out.c_str(), report->Summary().c_str());
  return kExitOk;
}

}  // namespace

void AddSealCommand(CLI::App& app, Runner& runner) {
  auto o = std::make_shared<SealOptions>();
  CLI::App* cmd = app.add_subcommand(
      "seal", "Pseudonymise a raw delivery file at the source (BSN, names, birth date -> pseudonyms and encodings)");
  cmd->add_option("--source", o->source, "Source contract, e.g. om_zaken or om_zaken@1")->required();
  cmd->add_option("--keys", o->keys, "Key file of the organisation (mode 0600 or 0400; see 'das keys new')")
      ->required();
  cmd->add_option("IN", o->in, "Raw delivery file (as the organisation holds it)")->required();
  cmd->add_option("OUT", o->out, "Sealed file to write (atomically; must differ from IN)")->required();
  cmd->add_option("--config", o->config_dir, "Config folder (default: ./config or the source tree's config)");
  cmd->add_option("--threads", o->threads, "Sealing threads (output does not depend on it)")
      ->check(CLI::Range(1, 64));
  cmd->callback([&runner, o] { runner = [o] { return RunSeal(*o); }; });
}

}  // namespace das::cli
