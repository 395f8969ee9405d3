// Shared pieces of the handler: served table views, query options, JSON, errors, row selection, gzip.
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>

#include "serve_internal.h"

namespace das::serve {

// --- served tables --------------------------------------------------------------------------------------------

ServedTable BuildServedTable(const release::PublishedTable& t) {
  ServedTable st;
  st.t = &t;
  const std::size_t nd = t.dims.size();
  st.padded.resize(nd);
  st.stride.assign(nd, 1);
  st.code_group.resize(nd);
  st.heads_group.resize(nd);
  st.cells = nd == 0 ? 0 : 1;
  for (std::size_t d = 0; d < nd; ++d) st.cells *= t.dims[d].codes.size();
  for (std::size_t d = nd; d-- > 0;) {
    if (d + 1 < nd) st.stride[d] = st.stride[d + 1] * t.dims[d + 1].codes.size();
  }
  int next_group = 1;
  for (std::size_t d = 0; d < nd; ++d) {
    const stats::DimensionSpec& dim = t.dims[d];
    std::size_t width = 0;
    for (const stats::Code& c : dim.codes) width = std::max(width, c.code.size());
    for (const stats::Code& c : dim.codes) {
      std::string key = c.code;
      key.resize(width, ' ');
      st.padded[d].push_back(std::move(key));
    }
    if (dim.kind == stats::DimensionKind::kTime && st.time_dim < 0) st.time_dim = static_cast<int>(d);
    // Groups: every code that is the parent of another code heads a group.
    std::vector<bool> has_children(dim.codes.size(), false);
    std::vector<int> parent_index(dim.codes.size(), -1);
    std::unordered_map<std::string_view, int> index_of;
    for (std::size_t c = 0; c < dim.codes.size(); ++c) index_of.emplace(dim.codes[c].code, static_cast<int>(c));
    for (std::size_t c = 0; c < dim.codes.size(); ++c) {
      if (dim.codes[c].parent.empty()) continue;
      auto it = index_of.find(dim.codes[c].parent);
      const int p = it == index_of.end() ? -1 : it->second;
      if (p >= 0 && static_cast<std::size_t>(p) != c) {
        parent_index[c] = p;
        has_children[static_cast<std::size_t>(p)] = true;
      }
    }
    st.heads_group[d].assign(dim.codes.size(), -1);
    st.code_group[d].assign(dim.codes.size(), -1);
    if (dim.kind != stats::DimensionKind::kTime) {
      for (std::size_t c = 0; c < dim.codes.size(); ++c) {
        if (has_children[c]) st.heads_group[d][c] = next_group++;
      }
      for (std::size_t c = 0; c < dim.codes.size(); ++c) {
        if (parent_index[c] >= 0) st.code_group[d][c] = st.heads_group[d][static_cast<std::size_t>(parent_index[c])];
      }
      for (std::size_t c = 0; c < dim.codes.size(); ++c) {
        if (st.heads_group[d][c] < 0) continue;
        CodeGroup g;
        g.id = st.heads_group[d][c];
        g.dim = d;
        g.code = static_cast<int>(c);
        g.parent_group = st.code_group[d][c];
        st.groups.push_back(g);
      }
    }
  }
  if (st.time_dim >= 0) {
    const auto& codes = t.dims[static_cast<std::size_t>(st.time_dim)].codes;
    if (!codes.empty()) {
      std::string first = codes.front().code.substr(0, 4), last = first;
      for (const stats::Code& c : codes) {
        std::string y = c.code.substr(0, 4);
        first = std::min(first, y);
        last = std::max(last, y);
      }
      st.period_text = first == last ? first : first + " - " + last;
    }
  }
  return st;
}

std::size_t CodeIndex(const ServedTable& st, std::size_t cell, std::size_t dim) {
  return cell / st.stride[dim] % st.t->dims[dim].codes.size();
}

// --- query options --------------------------------------------------------------------------------------------

std::string QueryOptions::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return "";
}

namespace {

Result<std::size_t> ParseCount(std::string_view name, std::string_view v) {
  std::size_t n = 0;
  if (v.empty() || v.size() > 12) {
    return Status::InvalidArgument(std::string(name) + ": expected a non-negative integer but found '" +
                                   std::string(v.substr(0, 40)) + "'");
  }
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size()) {
    return Status::InvalidArgument(std::string(name) + ": expected a non-negative integer but found '" +
                                   std::string(v.substr(0, 40)) + "'");
  }
  return n;
}

// Printable form of user text in messages (at most 60 bytes, control bytes as \xNN).
std::string Shown(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < 60; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (s.size() > 60) out += "...";
  return out;
}

}  // namespace

Result<QueryOptions> ParseQueryOptions(std::string_view raw, std::string_view allowed) {
  QueryOptions q;
  std::size_t pos = 0;
  while (pos <= raw.size() && !raw.empty()) {
    std::size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) amp = raw.size();
    std::string_view part = raw.substr(pos, amp - pos);
    pos = amp + 1;
    if (!part.empty()) {
      std::size_t eq = part.find('=');
      std::string_view rk = part.substr(0, eq);
      std::string_view rv = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
      auto k = PercentDecode(rk, true);
      if (!k.ok()) return Status::InvalidArgument("query: " + k.status().message());
      auto v = PercentDecode(rv, true);
      if (!v.ok()) return Status::InvalidArgument("query parameter '" + Shown(*k) + "': " + v.status().message());
      const std::string& key = *k;
      if (!key.empty() && key[0] == '$') {
        // Allowed options are listed as " $a $b " in `allowed`.
        std::string needle = " " + key + " ";
        if (std::string(" ") .append(allowed).append(" ").find(needle) == std::string::npos) {
          return Status::InvalidArgument("query option '" + Shown(key) + "' is not supported here (supported:" +
                                         std::string(allowed.empty() ? " none" : " ") + std::string(allowed) + ")");
        }
        auto dup = [&](bool seen) -> Status {
          if (seen) return Status::InvalidArgument("query option '" + key + "' is given more than once");
          return Status::Ok();
        };
        if (key == "$format") {
          DAS_RETURN_IF_ERROR(dup(q.has_format));
          q.has_format = true;
          q.format = *v;
        } else if (key == "$select") {
          DAS_RETURN_IF_ERROR(dup(q.has_select));
          q.has_select = true;
          std::string_view s = *v;
          std::size_t p = 0;
          while (p <= s.size()) {
            std::size_t c = s.find(',', p);
            if (c == std::string_view::npos) c = s.size();
            std::string_view name = s.substr(p, c - p);
            while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
            while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
            if (name.empty()) {
              return Status::InvalidArgument("$select: position " + std::to_string(p + 1) + ": empty property name");
            }
            q.select.emplace_back(name);
            p = c + 1;
          }
        } else if (key == "$top") {
          DAS_RETURN_IF_ERROR(dup(q.has_top));
          q.has_top = true;
          DAS_ASSIGN_OR_RETURN(q.top, ParseCount("$top", *v));
        } else if (key == "$skip") {
          DAS_ASSIGN_OR_RETURN(q.skip, ParseCount("$skip", *v));
        } else if (key == "$filter") {
          DAS_RETURN_IF_ERROR(dup(q.has_filter));
          q.has_filter = true;
          q.filter = *v;
        } else if (key == "$count" || key == "$inlinecount") {
          if (*v == "true" || *v == "allpages") {
            q.count = true;
          } else if (*v != "false" && *v != "none") {
            return Status::InvalidArgument(key + ": expected true or false but found '" + Shown(*v) + "'");
          }
        } else if (key == "$skiptoken") {
          q.skiptoken = *v;
        }
      } else {
        q.params.emplace_back(key, *v);
      }
    }
    if (amp == raw.size()) break;
  }
  if (q.has_format && q.format != "json" && q.format != "application/json" &&
      q.format.rfind("application/json;", 0) != 0) {
    return Status::InvalidArgument("$format: '" + Shown(q.format) + "' is not supported; use $format=json");
  }
  return q;
}

Result<std::string> PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) {
        return Status::InvalidArgument("bad percent escape at offset " + std::to_string(i + 1));
      }
      int a = hex(s[i + 1]), b = hex(s[i + 2]);
      if (a < 0 || b < 0) return Status::InvalidArgument("bad percent escape at offset " + std::to_string(i + 1));
      out.push_back(static_cast<char>(a * 16 + b));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// --- JSON and XML ---------------------------------------------------------------------------------------------

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) continue;
    out->append(s.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out->append(buf);
      }
    }
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('"');
}


void AppendJsonValue(std::string* out, const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull: out->append("null"); return;
    case Value::Kind::kInt: {
      char buf[24];
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.integer);
      (void)ec;
      out->append(buf, p);
      return;
    }
    case Value::Kind::kNumber:
      if (!std::isfinite(v.number)) {
        out->append("null");
      } else {
        out->append(FormatFixed(v.number, v.decimals));
      }
      return;
    case Value::Kind::kString: AppendJsonString(out, v.text); return;
    case Value::Kind::kBool: out->append(v.boolean ? "true" : "false"); return;
  }
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') continue;
        out.push_back(c);
    }
  }
  return out;
}

// --- responses ------------------------------------------------------------------------------------------------

Response ErrorResponse(int status, ErrorStyle style, std::string_view message) {
  Response r;
  r.status = status;
  std::string code = std::to_string(status);
  std::string body;
  switch (style) {
    case ErrorStyle::kODataV3:
      body = "{\"odata.error\":{\"code\":\"" + code + "\",\"message\":{\"lang\":\"en-US\",\"value\":";
      AppendJsonString(&body, message);
      body += "}}}";
      break;
    case ErrorStyle::kODataV4:
    case ErrorStyle::kPlain:
      body = "{\"error\":{\"code\":\"" + code + "\",\"message\":";
      AppendJsonString(&body, message);
      body += "}}";
      break;
  }
  body += '\n';
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  if (style == ErrorStyle::kODataV3) r.headers.emplace_back("DataServiceVersion", "3.0");
  if (style == ErrorStyle::kODataV4) r.headers.emplace_back("OData-Version", "4.0");
  r.headers.emplace_back("Cache-Control", "no-store");
  r.body = std::move(body);
  return r;
}

Response JsonResponse(std::string body) {
  Response r;
  r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response TextResponse(int status, std::string content_type, std::string body) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

// --- selection ------------------------------------------------------------------------------------------------

namespace {

class ValuesRow final : public FilterRow {
 public:
  explicit ValuesRow(const std::vector<Value>* v) : v_(v) {}
  FilterValue Get(std::size_t index) const override {
    const Value& x = (*v_)[index];
    switch (x.kind) {
      case Value::Kind::kNull: return FilterValue::Null();
      case Value::Kind::kInt: return FilterValue::Number(static_cast<double>(x.integer));
      case Value::Kind::kNumber:
        return std::isfinite(x.number) ? FilterValue::Number(x.number) : FilterValue::Null();
      case Value::Kind::kString: return FilterValue::String(x.text);
      case Value::Kind::kBool: return FilterValue::Boolean(x.boolean);
    }
    return FilterValue::Null();
  }

 private:
  const std::vector<Value>* v_;
};

}  // namespace

Result<Selection> Select(const RowSource& source, const QueryOptions& q, std::size_t page_limit, bool count_all) {
  Selection sel;
  const auto& props = source.properties();
  if (q.has_select) {
    for (const std::string& name : q.select) {
      if (name == "*") {
        for (std::size_t i = 0; i < props.size(); ++i) sel.columns.push_back(i);
        continue;
      }
      std::size_t k = 0;
      while (k < props.size() && props[k].name != name) ++k;
      if (k == props.size()) return Status::InvalidArgument("$select: unknown property '" + Shown(name) + "'");
      if (std::find(sel.columns.begin(), sel.columns.end(), k) == sel.columns.end()) sel.columns.push_back(k);
    }
  } else {
    for (std::size_t i = 0; i < props.size(); ++i) sel.columns.push_back(i);
  }
  Filter filter;
  if (q.has_filter) {
    DAS_ASSIGN_OR_RETURN(filter, ParseFilter(q.filter));
    std::vector<FilterProperty> fp;
    fp.reserve(props.size());
    for (const Property& p : props) fp.push_back({p.name, p.type});
    DAS_RETURN_IF_ERROR(BindFilter(filter, fp));
  }
  const std::size_t limit = q.has_top ? std::min(q.top, page_limit) : page_limit;
  const std::size_t top = q.has_top ? q.top : static_cast<std::size_t>(-1);
  std::vector<Value> values(props.size());
  std::vector<std::string> scratch(props.size());
  ValuesRow row(&values);
  std::size_t passed = 0;  // rows passing the filter so far
  const std::size_t n = source.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (q.has_filter) {
      source.Fill(i, &values, &scratch);
      if (!EvaluateFilter(filter, row)) continue;
    }
    ++passed;
    if (passed <= q.skip) continue;
    const std::size_t taken = passed - q.skip;  // 1-based position in the result after $skip
    if (taken > top) {
      if (!count_all) break;
      continue;
    }
    if (sel.rows.size() < limit) {
      sel.rows.push_back(i);
    } else {
      sel.more = true;
      if (!count_all) break;
    }
  }
  sel.total = passed;
  return sel;
}

void AppendRows(std::string* out, const RowSource& source, const Selection& sel) {
  const auto& props = source.properties();
  std::vector<Value> values(props.size());
  std::vector<std::string> scratch(props.size());
  // Property names are written once per row; pre-encode them.
  std::vector<std::string> keys;
  keys.reserve(sel.columns.size());
  for (std::size_t c : sel.columns) {
    std::string k;
    AppendJsonString(&k, props[c].name);
    k.push_back(':');
    keys.push_back(std::move(k));
  }
  bool first = true;
  for (std::size_t r : sel.rows) {
    source.Fill(r, &values, &scratch);
    out->append(first ? "{" : ",{");
    first = false;
    for (std::size_t k = 0; k < sel.columns.size(); ++k) {
      if (k > 0) out->push_back(',');
      out->append(keys[k]);
      AppendJsonValue(out, values[sel.columns[k]]);
    }
    out->push_back('}');
  }
}

std::string NextLinkQuery(std::string_view raw, std::size_t next_skip, std::optional<std::size_t> next_top) {
  std::string out;
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::size_t amp = raw.find('&', pos);
    if (amp == std::string_view::npos) amp = raw.size();
    std::string_view part = raw.substr(pos, amp - pos);
    pos = amp + 1;
    std::string_view key = part.substr(0, part.find('='));
    if (key == "$skip" || key == "%24skip" || key == "$top" || key == "%24top" || part.empty()) continue;
    if (!out.empty()) out.push_back('&');
    out.append(part);
  }
  if (next_top) {
    if (!out.empty()) out.push_back('&');
    out += "$top=" + std::to_string(*next_top);
  }
  if (!out.empty()) out.push_back('&');
  out += "$skip=" + std::to_string(next_skip);
  return out;
}

// --- gzip -----------------------------------------------------------------------------------------------------

Result<std::string> Gzip(std::string_view data, int level) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return Status::Internal("gzip: deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  std::size_t produced = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return Status::Internal("gzip: deflate did not finish");
  out.resize(produced);
  return out;
}

Result<std::string> Gunzip(std::string_view data, std::size_t max_bytes) {
  z_stream zs;
  std::memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return Status::Internal("gunzip: inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return Status::ParseError("gunzip: corrupt gzip data");
    }
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      return Status::ResourceExhausted("gunzip: more than " + std::to_string(max_bytes) + " bytes");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return Status::ParseError("gunzip: truncated gzip data");
    }
  }
  inflateEnd(&zs);
  return out;
}

}  // namespace das::serve
