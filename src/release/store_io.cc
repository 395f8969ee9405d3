// Releases in the store: writing (BuildRelease), the catalog, loading with hash verification, export.
#include <algorithm>

#include "das/release/build.h"
#include "das/release/release.h"
#include "das/seal/digest.h"
#include "das/store/store.h"
#include "internal.h"

namespace das::release {
namespace {

constexpr char kCatalog[] = "release_catalog";

std::string TableName(const std::string& release_id, const std::string& table_id) {
  return "rel/" + release_id + "/" + table_id;
}

bool IsIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t k : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[k] < '0' || s[k] > '9') return false;
  }
  return true;
}

std::string StateColumn(const std::string& measure_id) { return measure_id + ":state"; }

// The stored form of a table's cells: dimension codes, per topic the value (null unless published) and state.
Table ToStoredTable(const PublishedTable& t) {
  const std::size_t n = t.num_cells();
  std::vector<Column> cols;
  for (const stats::DimensionSpec& d : t.dims) cols.emplace_back(d.id, ColumnType::kString);
  for (const stats::MeasureSpec& m : t.measures) {
    cols.emplace_back(m.id, ColumnType::kDouble);
    cols.emplace_back(StateColumn(m.id), ColumnType::kInt64);
  }
  for (Column& c : cols) c.Reserve(n);
  const std::size_t nd = t.dims.size();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t d = 0; d < nd; ++d) cols[d].AppendString(t.dims[d].codes[static_cast<std::size_t>(t.CodeOf(i, d))].code);
    for (std::size_t m = 0; m < t.measures.size(); ++m) {
      Column& v = cols[nd + 2 * m];
      if (t.state[m][i] == CellState::kPublished) v.AppendDouble(t.value[m][i]);
      else v.AppendNull();
      cols[nd + 2 * m + 1].AppendInt(static_cast<std::int64_t>(t.state[m][i]));
    }
  }
  return Table(std::move(cols));
}

Status FillCells(const Table& stored, PublishedTable* t, const std::string& where) {
  const std::size_t n = t->num_cells();
  const std::size_t nd = t->dims.size();
  if (stored.num_rows() != n || stored.num_columns() != nd + 2 * t->measures.size()) {
    return Status::Corruption(where + ": " + std::to_string(stored.num_rows()) + " rows x " +
                              std::to_string(stored.num_columns()) + " columns, metadata says " +
                              std::to_string(n) + " cells");
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t d = 0; d < nd; ++d) {
      if (stored.column(d).GetString(i) != t->dims[d].codes[static_cast<std::size_t>(t->CodeOf(i, d))].code) {
        return Status::Corruption(where + ": row " + std::to_string(i) + " column '" + t->dims[d].id +
                                  "' does not match the code list");
      }
    }
  }
  t->value.assign(t->measures.size(), std::vector<double>(n, 0.0));
  t->state.assign(t->measures.size(), std::vector<CellState>(n, CellState::kUnavailable));
  for (std::size_t m = 0; m < t->measures.size(); ++m) {
    const Column& v = stored.column(nd + 2 * m);
    const Column& s = stored.column(nd + 2 * m + 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t st = s.GetInt(i);
      if (st < 0 || st > 2) return Status::Corruption(where + ": row " + std::to_string(i) + ": bad state");
      t->state[m][i] = static_cast<CellState>(st);
      if (!v.IsNull(i)) t->value[m][i] = v.GetDouble(i);
    }
  }
  return Status::Ok();
}

Result<std::vector<ReleaseInfo>> ReadCatalog(store::Store* store) {
  std::vector<ReleaseInfo> out;
  DAS_ASSIGN_OR_RETURN(bool has, store->HasTable(kCatalog));
  if (!has) return out;
  DAS_ASSIGN_OR_RETURN(Table t, store->GetTable(kCatalog));
  const int c_id = t.Find("release_id"), c_seq = t.Find("sequence"), c_h = t.Find("horizon"),
            c_sha = t.Find("content_sha256"), c_nt = t.Find("num_tables"), c_nc = t.Find("num_cells");
  if (c_id < 0 || c_seq < 0 || c_h < 0 || c_sha < 0 || c_nt < 0 || c_nc < 0) {
    return Status::Corruption("release catalog: missing columns");
  }
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    ReleaseInfo info;
    info.release_id = std::string(t.column(static_cast<std::size_t>(c_id)).GetString(r));
    info.sequence = static_cast<int>(t.column(static_cast<std::size_t>(c_seq)).GetInt(r));
    info.horizon = std::string(t.column(static_cast<std::size_t>(c_h)).GetString(r));
    info.content_sha256 = std::string(t.column(static_cast<std::size_t>(c_sha)).GetString(r));
    info.num_tables = static_cast<int>(t.column(static_cast<std::size_t>(c_nt)).GetInt(r));
    info.num_cells = t.column(static_cast<std::size_t>(c_nc)).GetInt(r);
    out.push_back(std::move(info));
  }
  return out;
}

Table CatalogTable(const std::vector<ReleaseInfo>& infos) {
  std::vector<Column> cols;
  cols.emplace_back("release_id", ColumnType::kString);
  cols.emplace_back("sequence", ColumnType::kInt64);
  cols.emplace_back("horizon", ColumnType::kString);
  cols.emplace_back("content_sha256", ColumnType::kString);
  cols.emplace_back("num_tables", ColumnType::kInt64);
  cols.emplace_back("num_cells", ColumnType::kInt64);
  for (const ReleaseInfo& i : infos) {
    cols[0].AppendString(i.release_id);
    cols[1].AppendInt(i.sequence);
    cols[2].AppendString(i.horizon);
    cols[3].AppendString(i.content_sha256);
    cols[4].AppendInt(i.num_tables);
    cols[5].AppendInt(i.num_cells);
  }
  return Table(std::move(cols));
}

}  // namespace

namespace internal {

std::string ReleaseContentHash(const std::vector<const PublishedTable*>& tables) {
  std::string text;
  for (const PublishedTable* t : tables) {
    text += t->id + " " + t->content_sha256 + " " + seal::Sha256Hex(TableMetaJson(*t)) + "\n";
  }
  return seal::Sha256Hex(text);
}

}  // namespace internal

Result<std::vector<ReleaseInfo>> ListReleases(store::Store* store) { return ReadCatalog(store); }

Result<Release> LoadRelease(store::Store* store, const std::string& release_id) {
  DAS_ASSIGN_OR_RETURN(std::vector<ReleaseInfo> cat, ReadCatalog(store));
  const ReleaseInfo* info = nullptr;
  if (release_id.empty() || release_id == "latest") {
    if (!cat.empty()) info = &cat.back();
  } else {
    for (const ReleaseInfo& i : cat) {
      if (i.release_id == release_id) info = &i;
    }
  }
  if (info == nullptr) {
    return Status::NotFound("release '" + (release_id.empty() ? std::string("latest") : release_id) +
                            "' not found (the store has " + std::to_string(cat.size()) + " releases)");
  }
  const std::string id = info->release_id;
  Release rel;
  DAS_ASSIGN_OR_RETURN(std::string mtext, store->GetTableMeta(TableName(id, "_manifest")));
  auto manifest = Manifest::FromJson(mtext);
  if (!manifest.ok()) return manifest.status().WithContext("release " + id);
  rel.manifest = std::move(*manifest);
  if (rel.manifest.release_id != id) {
    return Status::Corruption("release " + id + ": manifest names release '" + rel.manifest.release_id + "'");
  }
  std::vector<const PublishedTable*> ptrs;
  for (const std::string& tid : rel.manifest.tables) {
    const std::string name = TableName(id, tid);
    const std::string where = "release " + id + " table " + tid;
    DAS_ASSIGN_OR_RETURN(std::string meta, store->GetTableMeta(name));
    DAS_ASSIGN_OR_RETURN(PublishedTable t, internal::TableFromMetaJson(meta, where));
    DAS_ASSIGN_OR_RETURN(Table stored, store->GetTable(name));
    DAS_RETURN_IF_ERROR(FillCells(stored, &t, where));
    const std::string sha = seal::Sha256Hex(t.ToCsv());
    if (sha != t.content_sha256) {
      return Status::Corruption(where + ": content hash " + sha + " does not match the recorded " +
                                t.content_sha256 + " (data loss or tampering)");
    }
    auto p = std::make_shared<const PublishedTable>(std::move(t));
    ptrs.push_back(p.get());
    rel.tables.push_back(std::move(p));
  }
  const std::string content = internal::ReleaseContentHash(ptrs);
  if (content != rel.manifest.content_sha256 || content != info->content_sha256) {
    return Status::Corruption("release " + id + ": content hash " + content + " does not match the recorded " +
                              rel.manifest.content_sha256 + " (data loss or tampering)");
  }
  return rel;
}

Result<Manifest> BuildRelease(store::Store* store, const std::vector<stats::StatTable>& tables,
                              const BuildOptions& options, const Env& env, BuildStats* stats) {
  (void)env;  // a release depends on nothing of the environment: no clock, no randomness
  const Provenance& prov = options.provenance;
  if (!IsIsoDate(prov.horizon)) {
    return Status::InvalidArgument("release: horizon '" + prov.horizon + "' is not an ISO date yyyy-mm-dd");
  }
  BuildStats local;
  BuildStats* st = stats != nullptr ? stats : &local;
  DAS_ASSIGN_OR_RETURN(std::vector<PublishedTable> pub, ProtectTables(tables, options, st));
  std::vector<const PublishedTable*> ptrs;
  for (PublishedTable& t : pub) {
    t.content_sha256 = seal::Sha256Hex(t.ToCsv());
    ptrs.push_back(&t);
  }
  const std::string content = internal::ReleaseContentHash(ptrs);
  DAS_ASSIGN_OR_RETURN(std::vector<ReleaseInfo> cat, ReadCatalog(store));
  for (const ReleaseInfo& i : cat) {
    if (i.content_sha256 == content) {
      DAS_ASSIGN_OR_RETURN(Release existing, LoadRelease(store, i.release_id));
      st->reused = true;
      return existing.manifest;
    }
  }
  Manifest m;
  m.release_id = prov.horizon + "." + content.substr(0, 10);
  for (const ReleaseInfo& i : cat) {
    if (i.release_id == m.release_id) {
      return Status::AlreadyExists("release " + m.release_id + " exists with other content (hash prefix clash)");
    }
  }
  m.sequence = static_cast<int>(cat.size()) + 1;
  m.horizon = prov.horizon;
  m.code_version = prov.code_version;
  m.config_sha256 = prov.config_sha256;
  m.parameters = prov.parameters;
  m.inputs = prov.inputs;
  std::sort(m.inputs.begin(), m.inputs.end(), [](const Manifest::Input& a, const Manifest::Input& b) {
    return std::tie(a.dataset, a.period, a.file, a.sha256) < std::tie(b.dataset, b.period, b.file, b.sha256);
  });
  for (const PublishedTable& t : pub) m.tables.push_back(t.id);
  m.content_sha256 = content;
  m.previous_release_id = cat.empty() ? std::string() : cat.back().release_id;

  // Tables, then the manifest, then the catalog row: the catalog row is what makes the release exist.
  std::int64_t cells = 0;
  for (const PublishedTable& t : pub) {
    DAS_RETURN_IF_ERROR_CTX(store->PutTable(TableName(m.release_id, t.id), ToStoredTable(t), TableMetaJson(t)),
                            "release " + m.release_id + " table " + t.id);
    cells += static_cast<std::int64_t>(t.num_cells() * t.measures.size());
  }
  DAS_RETURN_IF_ERROR_CTX(store->PutTable(TableName(m.release_id, "_manifest"), Table(), m.ToJson()),
                          "release " + m.release_id + " manifest");
  ReleaseInfo info;
  info.release_id = m.release_id;
  info.sequence = m.sequence;
  info.horizon = m.horizon;
  info.content_sha256 = content;
  info.num_tables = static_cast<int>(pub.size());
  info.num_cells = cells;
  cat.push_back(info);
  DAS_RETURN_IF_ERROR_CTX(store->PutTable(kCatalog, CatalogTable(cat)), "release " + m.release_id + " catalog");
  return m;
}

Status ExportRelease(const Release& rel, const std::string& dir, FileSystem* fs) {
  DAS_RETURN_IF_ERROR(fs->CreateDirs(dir));
  DAS_RETURN_IF_ERROR(fs->WriteFile(dir + "/manifest.json", rel.manifest.ToJson()));
  for (const auto& t : rel.tables) {
    DAS_RETURN_IF_ERROR(fs->WriteFile(dir + "/" + t->id + ".csv", t->ToCsv()));
    DAS_RETURN_IF_ERROR(fs->WriteFile(dir + "/" + t->id + ".json", TableMetaJson(*t)));
  }
  return Status::Ok();
}

}  // namespace das::release
