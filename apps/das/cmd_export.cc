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

// Writes `columns` of store table `name` (all when empty) as CSV; `header` replaces the column names if given.
int RunExportTable(const std::string& command, const std::string& store_path, const std::string& name,
                   const std::vector<std::string>& columns, const std::string& header, const std::string& out_path) {
  auto store = store::Store::Open(store_path);
  if (!store.ok()) return Report(command, store.status());
  auto has = (*store)->HasTable(name);
  if (!has.ok()) return Report(command, has.status());
  if (!*has) {
    return Report(command, Status::NotFound("store " + store_path + " has no table '" + name +
                                            "' (see 'das run' / the stage that writes it)"));
  }
  auto table = (*store)->GetTable(name, columns);
  if (!table.ok()) return Report(command, table.status());
  std::string out;
  if (!header.empty()) {
    out = header + "\n";
  } else {
    for (std::size_t c = 0; c < table->num_columns(); ++c) {
      if (c > 0) out += ',';
      AppendCsvField(out, table->column(c).name());
    }
    out += '\n';
  }
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
  if (!st.ok()) return Report(command, st);
  std::printf("%s: %zu rows written to %s\n", command.c_str(), table->num_rows(), out_path.c_str());
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
    runner = [store_path, out_path] {
      return RunExportTable("export links", *store_path, "links",
                            {"dataset", "record_key", "chain_case_id", "person_id", "link_method"},
                            "source,record_id,chain_case_id,person_id,link_method", *out_path);
    };
  });
  auto table_name = std::make_shared<std::string>();
  CLI::App* table = cmd->add_subcommand(
      "table", "Any derived table of the store (e.g. chain_stage_units) as CSV with its column names; for\n"
               "benchmarks and research environments (person-level tables carry pseudonymous ids only).");
  table->add_option("name", *table_name, "table name, e.g. chain_stage_units")->required();
  table->add_option("--store", *store_path, "SQLite store file")->required()->check(CLI::ExistingFile);
  table->add_option("--out", *out_path, "CSV file to write")->required();
  table->callback([store_path, out_path, table_name, &runner] {
    runner = [store_path, out_path, table_name] {
      return RunExportTable("export table", *store_path, *table_name, {}, "", *out_path);
    };
  });
}

}  // namespace das::cli
