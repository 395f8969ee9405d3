// das releases: the immutable releases in a store — list, show, diff, export.
#include <cstdio>
#include <memory>

#include "cli.h"
#include "das/core/env.h"
#include "das/release/build.h"
#include "das/release/release.h"
#include "das/store/store.h"

namespace das::cli {
namespace {

struct ReleasesArgs {
  std::string store;
  bool json = false;
  std::string id, id_b, out;
};

Result<std::unique_ptr<store::Store>> OpenExisting(const std::string& path) {
  Env env = Env::Default();
  if (path.empty()) return Status::InvalidArgument("--store FILE.db is required");
  if (!env.fs->Exists(path)) return Status::NotFound("store " + path + " does not exist");
  return store::Store::Open(path);
}

std::string JsonString(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      o += buf;
      continue;
    }
    o += c;
  }
  return o + "\"";
}

int RunList(const ReleasesArgs& a) {
  if (a.store.empty()) return Report("releases", Status::InvalidArgument("--store FILE.db is required"));
  auto store = OpenExisting(a.store);
  if (!store.ok()) return Report("releases", store.status());
  auto list = release::ListReleases(store->get());
  if (!list.ok()) return Report("releases", list.status());
  if (a.json) {
    std::string out = "[";
    for (std::size_t k = 0; k < list->size(); ++k) {
      const release::ReleaseInfo& r = (*list)[k];
      out += k > 0 ? ",\n " : "\n ";
      out += "{\"release_id\": " + JsonString(r.release_id) + ", \"sequence\": " + std::to_string(r.sequence) +
             ", \"horizon\": " + JsonString(r.horizon) + ", \"content_sha256\": " + JsonString(r.content_sha256) +
             ", \"num_tables\": " + std::to_string(r.num_tables) + ", \"num_cells\": " + std::to_string(r.num_cells) +
             "}";
    }
    out += list->empty() ? "]\n" : "\n]\n";
    std::fputs(out.c_str(), stdout);
    return kExitOk;
  }
  if (list->empty()) {
    std::printf("no releases in %s\n", a.store.c_str());
    return kExitOk;
  }
  std::printf("%-4s %-22s %-10s %7s %10s  %s\n", "seq", "release", "horizon", "tables", "cells", "content sha256");
  for (const release::ReleaseInfo& r : *list) {
    std::printf("%-4d %-22s %-10s %7d %10lld  %s\n", r.sequence, r.release_id.c_str(), r.horizon.c_str(),
                r.num_tables, static_cast<long long>(r.num_cells), r.content_sha256.substr(0, 16).c_str());
  }
  return kExitOk;
}

int RunShow(const ReleasesArgs& a) {
  if (a.store.empty()) return Report("releases show", Status::InvalidArgument("--store FILE.db is required"));
  auto store = OpenExisting(a.store);
  if (!store.ok()) return Report("releases show", store.status());
  auto rel = release::LoadRelease(store->get(), a.id);
  if (!rel.ok()) return Report("releases show", rel.status());
  if (a.json) {
    std::fputs(rel->manifest.ToJson().c_str(), stdout);
    return kExitOk;
  }
  const release::Manifest& m = rel->manifest;
  std::printf("release %s (#%d, horizon %s)\n", m.release_id.c_str(), m.sequence, m.horizon.c_str());
  std::printf("previous:  %s\n", m.previous_release_id.empty() ? "(none)" : m.previous_release_id.c_str());
  std::printf("code:      %s\nconfig:    %s\ncontent:   %s\n", m.code_version.c_str(), m.config_sha256.c_str(),
              m.content_sha256.c_str());
  for (const auto& [k, v] : m.parameters) std::printf("parameter: %s = %s\n", k.c_str(), v.c_str());
  std::printf("inputs (%zu):\n", m.inputs.size());
  for (const release::Manifest::Input& in : m.inputs) {
    std::printf("  %-14s %-9s %s  sha256 %s  %lld rows (%lld quarantined)\n", in.dataset.c_str(), in.period.c_str(),
                in.file.c_str(), in.sha256.substr(0, 12).c_str(), static_cast<long long>(in.rows_accepted),
                static_cast<long long>(in.rows_quarantined));
  }
  std::printf("tables (%zu):\n", rel->tables.size());
  for (const auto& t : rel->tables) {
    std::size_t pub = 0, sup = 0, na = 0;
    for (const auto& states : t->state) {
      for (release::CellState s : states) {
        if (s == release::CellState::kPublished) ++pub;
        else if (s == release::CellState::kSuppressed) ++sup;
        else ++na;
      }
    }
    std::printf("  %-34s %8zu cells  %6zu x  %6zu .  %s\n", t->id.c_str(), pub + sup + na, sup, na,
                t->protection_summary.c_str());
  }
  return kExitOk;
}

int RunDiff(const ReleasesArgs& a) {
  if (a.store.empty()) return Report("releases diff", Status::InvalidArgument("--store FILE.db is required"));
  auto store = OpenExisting(a.store);
  if (!store.ok()) return Report("releases diff", store.status());
  auto ra = release::LoadRelease(store->get(), a.id);
  if (!ra.ok()) return Report("releases diff", ra.status());
  auto rb = release::LoadRelease(store->get(), a.id_b);
  if (!rb.ok()) return Report("releases diff", rb.status());
  const release::ReleaseDiff d = release::Diff(*ra, *rb);
  std::fputs((a.json ? d.ToJson() : d.ToText()).c_str(), stdout);
  return kExitOk;
}

int RunExport(const ReleasesArgs& a) {
  if (a.store.empty()) return Report("releases export", Status::InvalidArgument("--store FILE.db is required"));
  auto store = OpenExisting(a.store);
  if (!store.ok()) return Report("releases export", store.status());
  auto rel = release::LoadRelease(store->get(), a.id);
  if (!rel.ok()) return Report("releases export", rel.status());
  Env env = Env::Default();
  Status st = release::ExportRelease(*rel, a.out, env.fs);
  if (!st.ok()) return Report("releases export", st);
  std::printf("releases export: %s: %zu tables written to %s\n", rel->manifest.release_id.c_str(),
              rel->tables.size(), a.out.c_str());
  return kExitOk;
}

}  // namespace

void AddReleasesCommand(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ReleasesArgs>();
  CLI::App* cmd = app.add_subcommand("releases", "List, show, compare and export the immutable releases in a store.");
  cmd->add_option("--store", args->store, "SQLite store file (required; may also follow the subcommand)");
  cmd->add_flag("--json", args->json, "JSON output");
  cmd->callback([args, cmd, &runner] {
    if (cmd->get_subcommands().empty()) runner = [args] { return RunList(*args); };
  });

  CLI::App* show = cmd->add_subcommand("show", "Manifest (provenance) and tables of a release.");
  show->add_option("id", args->id, "release id, or 'latest'")->required();
  show->add_option("--store", args->store, "SQLite store file");
  show->add_flag("--json", args->json, "the manifest as JSON");
  show->callback([args, &runner] { runner = [args] { return RunShow(*args); }; });

  CLI::App* diff = cmd->add_subcommand("diff", "What changed between releases A and B, and why.");
  diff->add_option("a", args->id, "release id (older)")->required();
  diff->add_option("b", args->id_b, "release id (newer), or 'latest'")->required();
  diff->add_option("--store", args->store, "SQLite store file");
  diff->add_flag("--json", args->json, "JSON output");
  diff->callback([args, &runner] { runner = [args] { return RunDiff(*args); }; });

  CLI::App* exp = cmd->add_subcommand("export", "One CSV and one metadata JSON per table, and manifest.json.");
  exp->add_option("id", args->id, "release id, or 'latest'")->required();
  exp->add_option("--out", args->out, "folder to write (created)")->required();
  exp->add_option("--store", args->store, "SQLite store file");
  exp->callback([args, &runner] { runner = [args] { return RunExport(*args); }; });
}

}  // namespace das::cli
