// das keys: manage pseudonymisation key files (src/seal/README.md describes the key model).
//
//   das keys new --org NAME --out FILE [--seed N]
// creates FILE (mode 0600, never overwritten) with the domain keys das-link, das-record, das-bloom and
// org-local. Without --seed the keys are random (libsodium CSPRNG); with --seed they are demo keys derived
// from the seed (shared domains equal for every organisation) for synthetic data only. Key bytes are
// never printed.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli.h"
#include "das/seal/keys.h"

namespace das::cli {
namespace {

struct KeysNewOptions {
  std::string org;
  std::string out;
  std::optional<std::uint64_t> seed;
};

int RunKeysNew(const KeysNewOptions& o) {
  Result<seal::KeyFile> keys = o.seed ? seal::DemoKeyFile(o.org, *o.seed) : seal::NewKeyFile(o.org);
  if (!keys.ok()) return Report("keys new", keys.status());
  if (Status s = seal::WriteKeyFile(o.out, *keys); !s.ok()) return Report("keys new", s);
  std::printf("wrote %s key file for '%s' to %s (mode 0600; keys:", o.seed ? "DEMO" : "new",
              keys->organisation.c_str(), o.out.c_str());
  for (const auto& [name, key] : keys->keys) std::printf(" %s", name.c_str());
  std::printf(")\n");
  if (o.seed) std::printf("warning: demo keys are derived from the seed and are not secret; synthetic data only\n");
  return kExitOk;
}

}  // namespace

void AddKeysCommand(CLI::App& app, Runner& runner) {
  CLI::App* keys = app.add_subcommand("keys", "Manage pseudonymisation key files (domain keys of an organisation)");
  keys->require_subcommand(1);
  auto opts = std::make_shared<KeysNewOptions>();
  CLI::App* create = keys->add_subcommand("new", "Create a key file (mode 0600) with fresh domain keys");
  create->add_option("--org", opts->org, "Organisation name, [a-z0-9_-]+ (e.g. politie)")->required();
  create->add_option("--out", opts->out, "Key file to create; an existing file is never overwritten")->required();
  create->add_option("--seed", opts->seed,
                     "Derive DEMO keys from this seed (synthetic data only: shared domains get the same key for "
                     "every organisation)");
  create->callback([&runner, opts] { runner = [opts] { return RunKeysNew(*opts); }; });
}

}  // namespace das::cli
