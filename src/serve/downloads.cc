// Downloads of a whole table: CSV (',' or ';' with decimal comma), SDMX-CSV 2.0 and XLSX (libxlsxwriter).
#include <unistd.h>
#include <xlsxwriter.h>

#include <atomic>
#include <cmath>
#include <string>

#include "serve_internal.h"

namespace das::serve {
namespace {

// RFC 4180 field: quoted when it holds the separator, a quote or a line break.
void AppendCsvField(std::string* out, std::string_view s, char sep) {
  if (s.find_first_of(std::string{sep, '"', '\n', '\r'}) == std::string_view::npos) {
    out->append(s);
    return;
  }
  out->push_back('"');
  for (char c : s) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

std::string CellText(const release::PublishedTable& t, std::size_t m, std::size_t cell, bool decimal_comma) {
  const release::CellState s = t.state[m][cell];
  const double v = t.value[m][cell];
  if (s == release::CellState::kSuppressed) return "x";
  if (s != release::CellState::kPublished || !std::isfinite(v)) return ".";
  std::string text = FormatFixed(v, t.measures[m].decimals);
  if (decimal_comma) {
    for (char& c : text) {
      if (c == '.') c = ',';
    }
  }
  return text;
}

std::string Csv(const ServedTable& st, char sep, bool decimal_comma) {
  const release::PublishedTable& t = *st.t;
  std::string out;
  for (std::size_t d = 0; d < t.dims.size(); ++d) {
    if (d > 0) out.push_back(sep);
    AppendCsvField(&out, t.dims[d].id, sep);
  }
  for (const auto& m : t.measures) {
    out.push_back(sep);
    AppendCsvField(&out, m.id, sep);
  }
  out += "\r\n";
  for (std::size_t i = 0; i < st.cells; ++i) {
    for (std::size_t d = 0; d < t.dims.size(); ++d) {
      if (d > 0) out.push_back(sep);
      AppendCsvField(&out, t.dims[d].codes[CodeIndex(st, i, d)].code, sep);
    }
    for (std::size_t m = 0; m < t.measures.size(); ++m) {
      out.push_back(sep);
      out += CellText(t, m, i, decimal_comma);
    }
    out += "\r\n";
  }
  return out;
}

// SDMX-CSV 2.0: long format, one observation per cell and topic; the topic is the MEASURE dimension.
std::string SdmxCsv(const ServedTable& st) {
  const release::PublishedTable& t = *st.t;
  std::string out = "STRUCTURE,STRUCTURE_ID,ACTION";
  for (const auto& d : t.dims) {
    out.push_back(',');
    AppendCsvField(&out, d.id, ',');
  }
  out += ",MEASURE,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,DECIMALS,OBS_STATUS,CONF_STATUS\r\n";
  const std::string prefix = "dataflow,DAS:" + t.id + "(1.0),I";
  for (std::size_t i = 0; i < st.cells; ++i) {
    std::string coords;
    for (std::size_t d = 0; d < t.dims.size(); ++d) {
      coords.push_back(',');
      AppendCsvField(&coords, t.dims[d].codes[CodeIndex(st, i, d)].code, ',');
    }
    for (std::size_t m = 0; m < t.measures.size(); ++m) {
      const auto& ms = t.measures[m];
      out += prefix;
      out += coords;
      out.push_back(',');
      AppendCsvField(&out, ms.id, ',');
      out.push_back(',');
      const release::CellState s = t.state[m][i];
      const bool shown = s == release::CellState::kPublished && std::isfinite(t.value[m][i]);
      if (shown) out += FormatFixed(t.value[m][i], ms.decimals);
      out.push_back(',');
      AppendCsvField(&out, ms.unit, ',');
      out += ",0," + std::to_string(ms.decimals) + ",";
      out += shown ? "A" : (s == release::CellState::kSuppressed ? "A" : "M");
      out += s == release::CellState::kSuppressed ? ",C" : ",F";
      out += "\r\n";
    }
  }
  return out;
}

std::atomic<std::uint64_t> g_xlsx_counter{0};

Result<std::string> Xlsx(const ODataContext& ctx, const ServedTable& st) {
  const release::PublishedTable& t = *st.t;
  FileSystem* fs = ctx.state->fs ? ctx.state->fs : PosixFileSystem();
  const std::string path = ctx.state->temp_dir + "/das-serve-" + std::to_string(::getpid()) + "-" +
                           std::to_string(g_xlsx_counter.fetch_add(1)) + ".xlsx";
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = const_cast<char*>(ctx.state->temp_dir.c_str());
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (wb == nullptr) return Status::IoError("xlsx: cannot create " + path);
  lxw_worksheet* data = workbook_add_worksheet(wb, "Data");
  lxw_worksheet* info = workbook_add_worksheet(wb, "Toelichting");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_row_t r = 0;
  lxw_col_t c = 0;
  for (const auto& d : t.dims) worksheet_write_string(data, r, c++, d.id.c_str(), bold);
  for (const auto& m : t.measures) worksheet_write_string(data, r, c++, m.id.c_str(), bold);
  for (std::size_t i = 0; i < st.cells; ++i) {
    ++r;
    c = 0;
    for (std::size_t d = 0; d < t.dims.size(); ++d) {
      worksheet_write_string(data, r, c++, t.dims[d].codes[CodeIndex(st, i, d)].code.c_str(), nullptr);
    }
    for (std::size_t m = 0; m < t.measures.size(); ++m) {
      const release::CellState s = t.state[m][i];
      const double v = t.value[m][i];
      if (s == release::CellState::kPublished && std::isfinite(v)) {
        worksheet_write_number(data, r, c++, v, nullptr);
      } else {
        worksheet_write_string(data, r, c++, s == release::CellState::kSuppressed ? "x" : ".", nullptr);
      }
    }
  }
  lxw_row_t ir = 0;
  auto line = [&](const std::string& a, const std::string& b) {
    worksheet_write_string(info, ir, 0, a.c_str(), bold);
    worksheet_write_string(info, ir, 1, b.c_str(), nullptr);
    ++ir;
  };
  line("Tabel", t.id);
  line("Titel", t.title_nl);
  line("Omschrijving", t.description_nl);
  line("Release", ctx.state->release.manifest.release_id);
  line("Beveiliging", t.protection_summary);
  line("Symbolen", "x = geheim (onthullingsbeheersing), . = niet beschikbaar");
  for (const auto& m : t.measures) line(m.id, m.title_nl + " (" + m.unit + ")");
  line("Licentie", "CC BY 4.0; Bron: DAS, CBS / Politie");
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    fs->Remove(path).IgnoreError();
    return Status::IoError(std::string("xlsx: ") + lxw_strerror(err));
  }
  auto bytes = fs->ReadFile(path);
  fs->Remove(path).IgnoreError();
  return bytes;
}

}  // namespace

Response ServeDownload(const ODataContext& ctx, std::string_view ext) {
  const ServedTable& st = *ctx.table;
  const release::PublishedTable& t = *st.t;
  auto q = ParseQueryOptions(ctx.raw_query, "");
  if (!q.ok()) return ErrorResponse(400, ErrorStyle::kPlain, q.status().message());
  const std::size_t cells = st.cells * t.measures.size();
  if (cells > ctx.state->limits.max_download_cells) {
    return ErrorResponse(413, ErrorStyle::kPlain,
                         "table " + t.id + " has " + std::to_string(cells) + " values; downloads are limited to " +
                             std::to_string(ctx.state->limits.max_download_cells) + ": use /ODataFeed/");
  }
  const std::string sep = q->Param("sep");
  Response r;
  std::string filename = t.id;
  if (ext == "csv") {
    if (!sep.empty() && sep != "comma" && sep != "semicolon") {
      return ErrorResponse(400, ErrorStyle::kPlain, "sep: expected comma or semicolon but found '" + sep.substr(0, 40) + "'");
    }
    const bool semi = sep == "semicolon";
    r = TextResponse(200, "text/csv; charset=utf-8; header=present", Csv(st, semi ? ';' : ',', semi));
    filename += ".csv";
  } else if (ext == "sdmx.csv") {
    r = TextResponse(200, "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8", SdmxCsv(st));
    filename += ".sdmx.csv";
  } else if (ext == "xlsx") {
    auto bytes = Xlsx(ctx, st);
    if (!bytes.ok()) return ErrorResponse(503, ErrorStyle::kPlain, bytes.status().message());
    r = TextResponse(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", std::move(*bytes));
    filename += ".xlsx";
  } else {
    return ErrorResponse(404, ErrorStyle::kPlain,
                         "unknown download format '" + std::string(ext.substr(0, 40)) + "' (csv, xlsx, sdmx.csv)");
  }
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return r;
}

}  // namespace das::serve
