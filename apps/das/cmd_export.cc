// das export: derived tables out of a store as CSV. `das export links`: one row per source record.
#include <cstdio>
#include <memory>

#include "cli.h"
#include "das/core/env.h"
#include "das/store/store.h"

namespace das::cli {
namespace {

// RFC 4180 quoting when needed.
void AppendCsvField(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

int RunExportLinks(const std::string& store_path, const std::string& out_path) {
  auto store = store::Store::Open(store_path);
  if (!store.ok()) return Report("export links", store.status());
  auto has = (*store)->HasTable("links");
  if (!has.ok()) return Report("export links", has.status());
  if (!*has) {
    return Report("export links", Status::FailedPrecondition("store " + store_path +
                                                             " has no links table: run 'das link --store " +
                                                             store_path + "' first"));
  }
  const std::vector<std::string> cols = {"dataset", "record_key", "chain_case_id", "person_id", "link_method"};
  auto table = (*store)->GetTable("links", cols);
  if (!table.ok()) return Report("export links", table.status());
  std::string out = "source,record_id,chain_case_id,person_id,link_method\n";
  out.reserve(table->num_rows() * 64);
  for (std::size_t r = 0; r < table->num_rows(); ++r) {
    for (std::size_t c = 0; c < table->num_columns(); ++c) {
      if (c > 0) out += ',';
      AppendCsvField(out, table->column(c).IsNull(r) ? std::string() : table->column(c).ToText(r));
    }
    out += '\n';
  }
  Env env = Env::Default();
  Status st = env.fs->WriteFile(out_path, out);
  if (!st.ok()) return Report("export links", st);
  std::printf("export links: %zu records written to %s\n", table->num_rows(), out_path.c_str());
  return kExitOk;
}

}  // namespace

void AddExportCommand(CLI::App& app, Runner& runner) {
  CLI::App* cmd = app.add_subcommand("export", "Write derived tables of a store as CSV.");
  cmd->require_subcommand(1);
  auto store_path = std::make_shared<std::string>();
  auto out_path = std::make_shared<std::string>();
  CLI::App* links = cmd->add_subcommand(
      "links", "One row per source record: source, record id, chain-case id, person id (pseudonymous), link method.");
  links->add_option("--store", *store_path, "SQLite store file")->required()->check(CLI::ExistingFile);
  links->add_option("--out", *out_path, "CSV file to write")->required();
  links->callback([store_path, out_path, &runner] {
    runner = [store_path, out_path] { return RunExportLinks(*store_path, *out_path); };
  });
}

}  // namespace das::cli
