// The delivery receipt: JSON (for machines and the store) and its text and HTML renderings (for suppliers).
#include "receipt.h"

#include <nlohmann/json.hpp>

#include "das/intake/intake.h"

namespace das::intake {
namespace {

using nlohmann::ordered_json;

ordered_json FindingJson(const contract::Finding& f) {
  ordered_json j;
  j["rule"] = f.rule_id;
  j["severity"] = std::string(contract::SeverityName(f.severity));
  if (f.line > 0) j["line"] = f.line;
  if (!f.column.empty()) j["column"] = f.column;
  j["message"] = f.message;
  return j;
}

double Share(std::int64_t part, std::int64_t whole) {
  return whole <= 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

double Round4(double x) { return static_cast<double>(static_cast<std::int64_t>(x * 10000.0 + 0.5)) / 10000.0; }

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string Pct(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100.0);
  return buf;
}

}  // namespace

std::string FindingsJson(const std::vector<contract::Finding>& findings) {
  ordered_json arr = ordered_json::array();
  for (const auto& f : findings) arr.push_back(FindingJson(f));
  return arr.dump();
}

void ReceiptBuilder::AddFileFinding(contract::Finding f) { file_findings_.push_back(std::move(f)); }

void ReceiptBuilder::AddRowFindings(const std::vector<contract::Finding>& findings) {
  for (const auto& f : findings) {
    RuleSummary& r = rules_[f.rule_id];
    r.severity = std::max(r.severity, f.severity);
    ++r.count;
    if (r.examples.size() < max_examples_) r.examples.push_back(f);
  }
}

void ReceiptBuilder::ObserveDate(Date d) {
  if (!min_date_ || d < *min_date_) min_date_ = d;
  if (!max_date_ || d > *max_date_) max_date_ = d;
}

bool ReceiptBuilder::RefusesDelivery() const {
  for (const auto& f : file_findings_)
    if (f.severity == contract::Severity::kRejectDelivery) return true;
  for (const auto& [id, r] : rules_)
    if (r.severity == contract::Severity::kRejectDelivery) return true;
  return false;
}

std::vector<contract::Finding> ReceiptBuilder::DeliveryFindings() const {
  std::vector<contract::Finding> out;
  for (const auto& f : file_findings_)
    if (f.severity == contract::Severity::kRejectDelivery) out.push_back(f);
  for (const auto& [id, r] : rules_)
    if (r.severity == contract::Severity::kRejectDelivery && !r.examples.empty()) out.push_back(r.examples.front());
  return out;
}

std::string ReceiptBuilder::Finish(const store::DeliveryInfo& info, const contract::FileStats& stats,
                                   std::int64_t blank_lines, std::optional<std::int64_t> previous_rows,
                                   bool refused_for_identifiers) const {
  ordered_json j;
  j["receipt_version"] = 1;
  ordered_json d;
  d["file"] = info.file;
  d["sha256"] = info.sha256;
  d["contract"] = info.contract;
  d["organisation"] = info.organisation;
  d["dataset"] = info.dataset;
  d["period"] = info.period;
  d["delivered_on"] = info.delivered_on;
  d["kind"] = info.kind;
  d["status"] = info.status;
  j["delivery"] = d;
  ordered_json c;
  c["rows_read"] = info.rows_read;
  c["rows_accepted"] = info.rows_accepted;
  c["rows_quarantined"] = info.rows_quarantined;
  c["rows_with_warnings"] = stats.warned_rows;
  c["duplicate_rows"] = stats.duplicate_rows;
  c["key_duplicate_rows"] = stats.key_duplicate_rows;
  c["blank_lines_skipped"] = blank_lines;
  c["balanced"] = info.rows_read == info.rows_accepted + info.rows_quarantined;
  j["counts"] = c;
  if (refused_for_identifiers)
    j["note"] = "The delivery still holds direct identifiers. It was refused and none of its rows were stored.";

  ordered_json ff = ordered_json::array();
  for (const auto& f : file_findings_) ff.push_back(FindingJson(f));
  j["file_findings"] = ff;
  ordered_json rf = ordered_json::array();
  for (const auto& [id, r] : rules_) {
    ordered_json x;
    x["rule"] = id;
    x["severity"] = std::string(contract::SeverityName(r.severity));
    x["rows"] = r.count;
    ordered_json ex = ordered_json::array();
    for (const auto& f : r.examples) ex.push_back(FindingJson(f));
    x["examples"] = ex;
    rf.push_back(x);
  }
  j["row_findings"] = rf;

  ordered_json q;
  ordered_json completeness = ordered_json::object(), validity = ordered_json::object();
  const std::int64_t typed = stats.parsed_rows;
  for (const auto& col : contract_->ColumnsOf(form_)) {
    const int s = contract_->FieldSlot(col.field);
    if (s < 0) continue;
    const auto slot = static_cast<std::size_t>(s);
    const auto& name = col.field;
    if (slot < stats.missing.size()) completeness[name] = Round4(1.0 - Share(stats.missing[slot], typed));
    if (slot < stats.invalid.size()) validity[name] = Round4(1.0 - Share(stats.invalid[slot], typed));
  }
  q["completeness"] = completeness;
  q["validity"] = validity;
  q["duplicate_rate"] = Round4(Share(stats.duplicate_rows, info.rows_read));
  if (min_date_) {
    ordered_json dr;
    dr["field"] = contract_->reference_date;
    dr["first"] = min_date_->ToIso();
    dr["last"] = max_date_->ToIso();
    q["date_range"] = dr;
  }
  ordered_json vol;
  vol["rows"] = info.rows_read;
  if (previous_rows) {
    vol["previous_regular_delivery_rows"] = *previous_rows;
    if (*previous_rows > 0)
      vol["change"] = Round4(static_cast<double>(info.rows_read - *previous_rows) / static_cast<double>(*previous_rows));
  }
  q["volume"] = vol;
  j["quality"] = q;
  return j.dump(2);
}

Result<std::string> ReceiptText(const std::string& receipt_json) {
  ordered_json j = ordered_json::parse(receipt_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::ParseError("receipt is not valid JSON");
  const auto& d = j["delivery"];
  const auto& c = j["counts"];
  std::string out;
  out += "DAS delivery receipt\n";
  out += "file:      " + d.value("file", "") + "\n";
  out += "contract:  " + d.value("contract", "") + "   period " + d.value("period", "") + "   kind " +
         d.value("kind", "") + "   delivered " + d.value("delivered_on", "") + "\n";
  out += "sha256:    " + d.value("sha256", "") + "\n";
  out += "status:    " + d.value("status", "") + "\n";
  out += "rows:      read " + std::to_string(c.value("rows_read", 0)) + " = accepted " +
         std::to_string(c.value("rows_accepted", 0)) + " + quarantined " +
         std::to_string(c.value("rows_quarantined", 0)) + (c.value("balanced", false) ? "  (balanced)" : "  (NOT BALANCED)") +
         "\n";
  if (j.contains("note")) out += "note:      " + j["note"].get<std::string>() + "\n";
  if (!j["file_findings"].empty()) {
    out += "\nFile findings\n";
    for (const auto& f : j["file_findings"])
      out += "  [" + f.value("severity", "") + "] " + f.value("rule", "") + ": " + f.value("message", "") + "\n";
  }
  if (!j["row_findings"].empty()) {
    out += "\nRow findings (rule, severity, rows, examples)\n";
    for (const auto& r : j["row_findings"]) {
      out += "  " + r.value("rule", "") + " [" + r.value("severity", "") + "] " +
             std::to_string(r.value("rows", 0)) + " rows\n";
      for (const auto& e : r["examples"])
        out += "      line " + std::to_string(e.value("line", 0)) +
               (e.contains("column") ? ", column '" + e["column"].get<std::string>() + "'" : std::string()) + ": " +
               e.value("message", "") + "\n";
    }
  }
  const auto& q = j["quality"];
  out += "\nData quality\n";
  out += "  duplicate rate: " + Pct(q.value("duplicate_rate", 0.0)) + "\n";
  if (q.contains("date_range"))
    out += "  " + q["date_range"].value("field", "") + ": " + q["date_range"].value("first", "") + " .. " +
           q["date_range"].value("last", "") + "\n";
  if (q["volume"].contains("change"))
    out += "  volume vs previous regular delivery: " + Pct(q["volume"]["change"].get<double>()) + "\n";
  out += "  completeness / validity per field:\n";
  for (auto it = q["completeness"].begin(); it != q["completeness"].end(); ++it) {
    double valid = q["validity"].contains(it.key()) ? q["validity"][it.key()].get<double>() : 1.0;
    char line[160];
    std::snprintf(line, sizeof line, "    %-28s %7s %7s\n", it.key().c_str(), Pct(it.value().get<double>()).c_str(),
                  Pct(valid).c_str());
    out += line;
  }
  return out;
}

Result<std::string> ReceiptHtml(const std::string& receipt_json) {
  DAS_ASSIGN_OR_RETURN(std::string text, ReceiptText(receipt_json));
  ordered_json j = ordered_json::parse(receipt_json, nullptr, false);
  const std::string title = "DAS delivery receipt: " + j["delivery"].value("file", "");
  std::string out = "<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>" + HtmlEscape(title) +
                    "</title><style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
                    "pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}</style></head><body>\n<h1>" +
                    HtmlEscape(title) + "</h1>\n<pre>" + HtmlEscape(text) + "</pre>\n</body></html>\n";
  return out;
}

}  // namespace das::intake
