#include "das/intake/intake.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "das/contract/validator.h"
#include "das/io/csv_reader.h"
#include "das/seal/detect.h"
#include "das/seal/digest.h"
#include "receipt.h"

namespace das::intake {
namespace {

constexpr std::size_t kDetectSampleRows = 200;

std::string BaseName(const std::string& path) {
  auto p = path.find_last_of('/');
  return p == std::string::npos ? path : path.substr(p + 1);
}

std::string KindFromName(const std::string& name) {
  if (name.find("_correctie_") != std::string::npos) return "correctie";
  if (name.find("_laat_") != std::string::npos) return "laat";
  return "regulier";
}

std::string IsoTimestamp(std::int64_t micros) {
  const std::int64_t secs = micros / 1000000;
  Date d(static_cast<std::int32_t>(secs / 86400));
  const std::int64_t rem = secs % 86400;
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return d.ToIso() + buf;
}

void AppendValue(Column& col, const contract::Value& v) {
  if (v.is_null()) return col.AppendNull();
  switch (col.type()) {
    case ColumnType::kBool: return col.AppendBool(v.as_bool());
    case ColumnType::kInt64: return col.AppendInt(v.as_integer());
    case ColumnType::kDouble: return col.AppendDouble(v.as_number());
    case ColumnType::kDate: return col.AppendDate(v.as_date());
    case ColumnType::kString:
      if (v.type() == contract::ValueType::kString) return col.AppendString(v.as_string());
      return col.AppendString(v.ToString());
  }
}

// The canonical fields stored for a contract in a form: one per file column, in file order.
struct OutputColumn {
  int slot;
  Column column;
};

std::vector<OutputColumn> OutputColumns(const contract::Contract& c, contract::Form form) {
  std::vector<OutputColumn> out;
  for (const auto& col : c.ColumnsOf(form)) {
    if (contract::IsDirectIdentifier(col.type)) continue;
    int slot = c.FieldSlot(col.field);
    if (slot < 0) continue;
    out.push_back({slot, Column(col.field, contract::ToColumnType(c.fields[static_cast<std::size_t>(slot)].type))});
  }
  return out;
}

}  // namespace

Result<std::vector<DeliveryRequest>> ReadManifest(const std::string& dir, const FileSystem& fs) {
  const std::string path = dir + "/manifest.csv";
  DAS_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  auto reader = io::CsvReader::FromString(std::move(text), io::CsvDialect{}, path);
  const auto& header = reader->header();
  auto col = [&](std::string_view name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  };
  const int c_file = col("file"), c_contract = col("contract"), c_period = col("period"),
            c_delivered = col("delivered_on"), c_kind = col("kind"), c_rows = col("rows"), c_sha = col("sha256");
  for (auto [c, n] : {std::pair{c_file, "file"}, {c_contract, "contract"}, {c_period, "period"},
                      {c_delivered, "delivered_on"}, {c_kind, "kind"}, {c_rows, "rows"}, {c_sha, "sha256"}}) {
    if (c < 0) return Status::ParseError(path + ": header has no column '" + n + "'");
  }
  std::vector<DeliveryRequest> out;
  io::CsvRecord rec;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
    if (!more) break;
    if (rec.fields.empty()) continue;
    if (rec.error) return Status::ParseError(rec.error->ToString());
    if (rec.fields.size() != header.size())
      return Status::ParseError(path + ": line " + std::to_string(rec.line) + ": expected " +
                                std::to_string(header.size()) + " fields, found " + std::to_string(rec.fields.size()));
    DeliveryRequest r;
    r.name = std::string(rec.fields[static_cast<std::size_t>(c_file)]);
    if (r.name.empty() || r.name.find("..") != std::string::npos || r.name[0] == '/')
      return Status::ParseError(path + ": line " + std::to_string(rec.line) + ": file '" + r.name +
                                "' must be a relative path inside the deliveries folder");
    r.path = dir + "/" + r.name;
    r.contract = std::string(rec.fields[static_cast<std::size_t>(c_contract)]);
    r.period = std::string(rec.fields[static_cast<std::size_t>(c_period)]);
    r.delivered_on = std::string(rec.fields[static_cast<std::size_t>(c_delivered)]);
    r.kind = std::string(rec.fields[static_cast<std::size_t>(c_kind)]);
    r.expected_sha256 = std::string(rec.fields[static_cast<std::size_t>(c_sha)]);
    const std::string rows(rec.fields[static_cast<std::size_t>(c_rows)]);
    char* end = nullptr;
    long long n = std::strtoll(rows.c_str(), &end, 10);
    if (rows.empty() || *end != '\0' || n < 0)
      return Status::ParseError(path + ": line " + std::to_string(rec.line) + ": rows '" + rows +
                                "' is not a whole number");
    r.expected_rows = n;
    out.push_back(std::move(r));
  }
  return out;
}

Result<Prepared> Prepare(const DeliveryRequest& request, const Config& config, const Env& env,
                         store::Store* store) {
  if (config.contracts == nullptr || config.codelists == nullptr)
    return Status::Internal("intake: contracts and code lists must be loaded");
  const std::string name = request.name.empty() ? BaseName(request.path) : request.name;
  DAS_ASSIGN_OR_RETURN(std::string data, env.fs->ReadFile(request.path));

  Prepared p;
  store::DeliveryInfo& info = p.info;
  info.file = name;
  info.sha256 = seal::Sha256Hex(data);
  info.delivered_on = request.delivered_on;
  info.kind = request.kind.empty() ? KindFromName(name) : request.kind;
  info.period = request.period;
  info.loaded_at = IsoTimestamp(env.clock ? env.clock->NowMicros() : 0);
  if (info.delivered_on.empty()) info.delivered_on = info.loaded_at.substr(0, 10);
  if (config.stored_by_hash != nullptr) {
    auto known = config.stored_by_hash->find(info.sha256);
    if (known != config.stored_by_hash->end()) {
      p.info = known->second;
      p.already_stored = true;
      return p;
    }
  }
  if (store != nullptr) {
    DAS_ASSIGN_OR_RETURN(auto existing, store->FindDeliveryByHash(info.sha256));
    if (existing) {
      p.info = *existing;
      p.already_stored = true;
      return p;
    }
  }

  // Contract: named, or matched by file name and header (read with a neutral dialect first).
  const contract::Contract* contract = nullptr;
  if (!request.contract.empty()) {
    DAS_ASSIGN_OR_RETURN(contract, config.contracts->Find(request.contract));
  } else {
    io::DetectedDialect detected = io::DetectDialect(std::string_view(data).substr(0, 1 << 16));
    auto probe = io::CsvReader::FromString(data.substr(0, std::min<std::size_t>(data.size(), 1 << 16)),
                                           detected.dialect, name);
    DAS_ASSIGN_OR_RETURN(contract, config.contracts->Match(BaseName(name), probe->header()));
  }
  info.contract = contract->Id();
  info.organisation = contract->organisation;
  info.dataset = contract->name;

  ReceiptBuilder receipt(*contract, config.form, config.max_quarantine_examples);
  if (!request.expected_sha256.empty() && request.expected_sha256 != info.sha256) {
    receipt.AddFileFinding({"DELIVERY-HASH", contract::Severity::kRejectDelivery,
                            "the file's sha256 " + info.sha256 + " differs from the manifest's " +
                                request.expected_sha256 + ": it changed after it was listed",
                            0, ""});
  }

  contract::ValidatorOptions vopt;
  vopt.form = config.form;
  if (!info.delivered_on.empty()) {
    auto d = ParseDate(info.delivered_on, DateFormat::kIso);
    if (d.ok()) vopt.delivery_date = *d;
  }
  DAS_ASSIGN_OR_RETURN(auto validator, contract::Validator::Create(*contract, *config.codelists, vopt));
  auto reader = io::CsvReader::FromString(std::move(data), contract->format.Dialect(), name);
  const std::vector<std::string>& header = reader->header();
  if (reader->header_error()) {
    // The header could not be read cleanly: the column mapping cannot be trusted.
    receipt.AddFileFinding({"CSV-HEADER", contract::Severity::kRejectDelivery, reader->header_error()->ToString(),
                            reader->header_line(), ""});
  }
  // The reader copes with a BOM either way, so a BOM the contract does not expect is a warning.
  if (contract->format.encoding == io::Encoding::kUtf8) {
    if (reader->had_bom() && contract->format.bom == contract::Format::Bom::kForbidden)
      receipt.AddFileFinding({"FORMAT-BOM", contract::Severity::kWarn,
                              "the file starts with a UTF-8 byte order mark; the contract says bom = \"forbidden\"", 0,
                              ""});
    if (!reader->had_bom() && contract->format.bom == contract::Format::Bom::kRequired)
      receipt.AddFileFinding({"FORMAT-BOM", contract::Severity::kWarn,
                              "the file has no UTF-8 byte order mark; the contract says bom = \"required\"", 0, ""});
  }
  for (auto& f : validator.CheckHeader(header)) receipt.AddFileFinding(std::move(f));

  std::vector<OutputColumn> outputs = OutputColumns(*contract, config.form);
  std::vector<store::QuarantinedRow> quarantine;
  std::vector<contract::Finding> findings;
  std::vector<std::vector<std::string>> sample;
  bool identifiers_checked = false;
  bool refused_for_identifiers = false;
  std::int64_t rows_read = 0, blank_lines = 0;
  std::map<int, std::int64_t> year_counts;
  const int reference_slot = contract->reference_date.empty() ? -1 : contract->FieldSlot(contract->reference_date);

  auto check_identifiers = [&] {
    identifiers_checked = true;
    if (config.form != contract::Form::kSealed) return;
    auto found = seal::DetectDirectIdentifiers(header, sample);
    for (const auto& f : found) {
      // A column the contract itself declares in the sealed form (e.g. bsn_pseudo, bf_achternaam) is not an
      // identifier in clear by its name; its values are still checked (real BSNs in bsn_pseudo are refused).
      const contract::Column* declared =
          f.column < header.size() ? contract->FindColumnByName(header[f.column], contract::Form::kSealed) : nullptr;
      if (f.kind == seal::IdentifierKind::kColumnName && declared != nullptr &&
          !contract::IsDirectIdentifier(declared->type)) {
        continue;
      }
      // BSN-shaped values in a column the contract types as a date, code, boolean, decimal or region cannot
      // be BSNs that pass validation (dates as yyyymmdd pass the 11-check often); such values would fail the
      // column's own type check instead.
      if (f.kind == seal::IdentifierKind::kBsnValues && declared != nullptr) {
        const auto t = declared->type;
        if (t == contract::FieldType::kDate || t == contract::FieldType::kCode || t == contract::FieldType::kBoolean ||
            t == contract::FieldType::kDecimal || t == contract::FieldType::kRegion || t == contract::FieldType::kSex) {
          continue;
        }
      }
      refused_for_identifiers = true;
      receipt.AddFileFinding({"PRIVACY-IDENTIFIER", contract::Severity::kRejectDelivery,
                              f.message + "; deliver files sealed with 'das seal'", 0,
                              f.column < header.size() ? header[f.column] : ""});
    }
    sample.clear();
  };

  std::vector<std::int64_t> pending_lines;  // rows buffered until the identifier check has run
  std::vector<std::string> pending_raw;
  std::vector<std::vector<contract::Finding>> pending_findings;
  std::vector<std::vector<contract::Value>> pending_values;

  auto accept_or_quarantine = [&](std::int64_t line, std::string_view raw, std::vector<contract::Finding>& fs,
                                  bool accepted, std::span<const contract::Value> values) {
    receipt.AddRowFindings(fs);
    if (accepted) {
      for (auto& oc : outputs) AppendValue(oc.column, values[static_cast<std::size_t>(oc.slot)]);
      if (reference_slot >= 0) {
        const auto& v = values[static_cast<std::size_t>(reference_slot)];
        if (v.type() == contract::ValueType::kDate) {
          year_counts[v.as_date().year()]++;
          receipt.ObserveDate(v.as_date());
        }
      }
    } else {
      quarantine.push_back({line, std::string(raw), FindingsJson(fs)});
    }
  };

  io::CsvRecord rec;
  for (;;) {
    DAS_ASSIGN_OR_RETURN(bool more, reader->Next(&rec));
    if (!more) break;
    if (rec.fields.empty() && !rec.error && rec.raw.empty()) {
      ++blank_lines;
      continue;
    }
    ++rows_read;
    findings.clear();
    bool accepted = false;
    if (rec.error) {
      findings.push_back({"CSV-MALFORMED", contract::Severity::kRejectRow, rec.error->ToString(), rec.line,
                          ""});
    } else {
      accepted = validator.ValidateRow(rec.line, rec.fields, &findings);
    }
    if (!identifiers_checked) {
      if (!rec.error) sample.emplace_back(rec.fields.begin(), rec.fields.end());
      pending_lines.push_back(rec.line);
      pending_raw.emplace_back(rec.raw);
      pending_findings.push_back(findings);
      if (accepted) {
        auto v = validator.values();
        pending_values.emplace_back(v.begin(), v.end());
      } else {
        pending_values.emplace_back();
      }
      if (sample.size() >= kDetectSampleRows) {
        check_identifiers();
      } else {
        continue;
      }
      if (!refused_for_identifiers) {
        for (std::size_t i = 0; i < pending_lines.size(); ++i)
          accept_or_quarantine(pending_lines[i], pending_raw[i], pending_findings[i], !pending_values[i].empty(),
                               pending_values[i]);
      }
      pending_lines.clear(), pending_raw.clear(), pending_findings.clear(), pending_values.clear();
      continue;
    }
    if (refused_for_identifiers) continue;  // count only: rows with identifiers in clear are never stored
    accept_or_quarantine(rec.line, rec.raw, findings, accepted, validator.values());
  }
  if (!identifiers_checked) {
    check_identifiers();
    if (!refused_for_identifiers) {
      for (std::size_t i = 0; i < pending_lines.size(); ++i)
        accept_or_quarantine(pending_lines[i], pending_raw[i], pending_findings[i], !pending_values[i].empty(),
                             pending_values[i]);
    }
  }
  for (auto& f : validator.Finish()) receipt.AddFileFinding(std::move(f));
  if (request.expected_rows && *request.expected_rows != rows_read) {
    receipt.AddFileFinding({"DELIVERY-ROWS", contract::Severity::kWarn,
                            "the manifest announces " + std::to_string(*request.expected_rows) + " rows, the file has " +
                                std::to_string(rows_read),
                            0, ""});
  }

  // Period: as requested, else the most common year of the reference dates.
  if (info.period.empty()) {
    int best = 0;
    std::int64_t best_n = -1;
    for (auto [y, n] : year_counts)
      if (n > best_n) best = y, best_n = n;
    info.period = best_n > 0 ? Period::Year(best).Code() : "";
  }

  Table accepted_table;
  for (auto& oc : outputs) accepted_table.AddColumn(std::move(oc.column));
  const bool refused = receipt.RefusesDelivery();
  info.rows_read = rows_read;
  if (refused) {
    info.status = "rejected";
    info.rows_accepted = 0;
    info.rows_quarantined = rows_read;
    if (refused_for_identifiers) {
      quarantine.clear();  // never store direct identifiers; the supplier keeps the file
    } else {
      // Every row goes to quarantine; accepted rows get the delivery's reason.
      std::string reason = FindingsJson(receipt.DeliveryFindings());
      std::vector<store::QuarantinedRow> all;
      // The raw text of accepted rows is not kept while reading, so re-read the file (refusals are rare).
      DAS_ASSIGN_OR_RETURN(std::string again, env.fs->ReadFile(request.path));
      auto r2 = io::CsvReader::FromString(std::move(again), contract->format.Dialect(), name);
      std::unordered_map<std::int64_t, std::size_t> q_by_line;
      for (std::size_t i = 0; i < quarantine.size(); ++i) q_by_line[quarantine[i].line] = i;
      io::CsvRecord rr;
      for (;;) {
        DAS_ASSIGN_OR_RETURN(bool more, r2->Next(&rr));
        if (!more) break;
        if (rr.fields.empty() && !rr.error && rr.raw.empty()) continue;
        auto it = q_by_line.find(rr.line);
        if (it != q_by_line.end()) {
          all.push_back(std::move(quarantine[it->second]));
        } else {
          all.push_back({rr.line, std::string(rr.raw), reason});
        }
      }
      quarantine = std::move(all);
    }
    accepted_table = Table();
    for (auto& oc : OutputColumns(*contract, config.form)) accepted_table.AddColumn(std::move(oc.column));
  } else {
    info.status = "accepted";
    info.rows_accepted = static_cast<std::int64_t>(accepted_table.num_rows());
    info.rows_quarantined = static_cast<std::int64_t>(quarantine.size());
  }
  if (info.rows_read != info.rows_accepted + info.rows_quarantined)
    return Status::Internal("intake: row accounting does not balance for '" + name + "'");

  std::optional<std::int64_t> previous_rows;
  if (store != nullptr) {
    DAS_ASSIGN_OR_RETURN(auto earlier, store->ListDeliveries(contract->name));
    for (auto it = earlier.rbegin(); it != earlier.rend(); ++it) {
      if (it->status == "accepted" && it->kind == "regulier") {
        previous_rows = it->rows_read;
        break;
      }
    }
  }
  p.receipt_json = receipt.Finish(info, validator.stats(), blank_lines, previous_rows, refused_for_identifiers);
  p.accepted = std::move(accepted_table);
  p.quarantine = std::move(quarantine);
  return p;
}

Result<std::int64_t> Commit(Prepared& prepared, store::Store* store) {
  if (prepared.already_stored) return prepared.info.id;
  DAS_ASSIGN_OR_RETURN(std::int64_t id,
                       store->AddDelivery(prepared.info, prepared.accepted, prepared.quarantine, prepared.receipt_json));
  prepared.info.id = id;
  return id;
}

}  // namespace das::intake
