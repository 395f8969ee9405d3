// DetectDialect: delimiter by consistency of per-line counts outside quotes; encoding by UTF-8 validity.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>
#include <string>

#include "das/io/csv_reader.h"
#include "das/io/text_encoding.h"

namespace das::io {
namespace {

constexpr std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
constexpr std::size_t kMaxLines = 1000;

std::string Show(char c) { return c == '\t' ? "'\\t' (tab)" : std::string("'") + c + "'"; }

struct Stats {
  std::size_t mode = 0;        // most frequent count per line
  std::size_t mode_lines = 0;  // lines with exactly that count
  std::size_t min = 0, max = 0;
};

}  // namespace

DetectedDialect DetectDialect(std::string_view sample) {
  DetectedDialect out;
  std::string reason;
  if (sample.substr(0, 3) == "\xEF\xBB\xBF") {
    out.had_bom = true;
    sample.remove_prefix(3);
  }

  // Encoding. A sequence cut off by the end of the sample does not count against UTF-8.
  std::size_t bad = FirstInvalidUtf8(sample);
  if (bad < sample.size() &&
      Utf8SequenceLength(reinterpret_cast<const unsigned char*>(sample.data() + bad), sample.size() - bad) < 0) {
    bad = sample.size();
  }
  bool high = false;
  for (char c : sample) high |= static_cast<unsigned char>(c) >= 0x80;
  std::string encoding_reason;
  if (bad == sample.size()) {
    out.dialect.encoding = Encoding::kUtf8;
    encoding_reason = high ? "encoding UTF-8: the sample is valid UTF-8" : "encoding UTF-8: the sample is ASCII";
    if (out.had_bom) encoding_reason += " with a UTF-8 BOM";
  } else if (out.had_bom) {
    out.dialect.encoding = Encoding::kUtf8;
    char buf[96];
    std::snprintf(buf, sizeof buf, "encoding UTF-8: the file starts with a UTF-8 BOM (but byte 0x%02X at offset %zu "
                  "is not valid UTF-8)", static_cast<unsigned char>(sample[bad]), bad + 3);
    encoding_reason = buf;
  } else {
    out.dialect.encoding = Encoding::kWindows1252;
    char buf[96];
    std::snprintf(buf, sizeof buf, "encoding Windows-1252: byte 0x%02X at offset %zu is not valid UTF-8",
                  static_cast<unsigned char>(sample[bad]), bad);
    encoding_reason = buf;
  }

  // Records (quote-aware), and per record the count of each candidate outside quotes.
  std::vector<std::array<std::size_t, 4>> lines;
  std::array<std::size_t, 4> counts{};
  bool in_quote = false, any = false, first_end = true;
  for (std::size_t i = 0; i < sample.size() && lines.size() < kMaxLines; ++i) {
    char c = sample[i];
    if (c == '"') {
      in_quote = !in_quote;
      any = true;
      continue;
    }
    if (in_quote) continue;
    if (c == '\n' || c == '\r') {
      if (first_end) {
        first_end = false;
        out.crlf = c == '\r' && i + 1 < sample.size() && sample[i + 1] == '\n';
        out.cr_only = c == '\r' && i + 1 < sample.size() && sample[i + 1] != '\n';
      }
      if (c == '\r' && i + 1 < sample.size() && sample[i + 1] == '\n') ++i;
      if (any) lines.push_back(counts);
      counts = {};
      any = false;
      continue;
    }
    any = true;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) counts[k] += c == kCandidates[k];
  }
  // The last line counts only if it is the only one (the sample may have cut it off).
  if (any && lines.empty() && !in_quote) lines.push_back(counts);

  std::array<Stats, 4> stats{};
  for (std::size_t k = 0; k < kCandidates.size(); ++k) {
    std::map<std::size_t, std::size_t> freq;
    Stats& s = stats[k];
    s.min = SIZE_MAX;
    for (const auto& l : lines) {
      ++freq[l[k]];
      s.min = std::min(s.min, l[k]);
      s.max = std::max(s.max, l[k]);
    }
    for (const auto& [count, n] : freq) {
      if (n > s.mode_lines || (n == s.mode_lines && count > s.mode)) {
        s.mode = count;
        s.mode_lines = n;
      }
    }
    if (lines.empty()) s.min = 0;
  }
  int best = -1;
  for (std::size_t k = 0; k < kCandidates.size(); ++k) {
    const Stats& s = stats[k];
    if (s.mode == 0) continue;
    if (best < 0) {
      best = static_cast<int>(k);
      continue;
    }
    const Stats& b = stats[static_cast<std::size_t>(best)];
    // More lines agreeing on one count wins; then the larger count.
    if (s.mode_lines > b.mode_lines || (s.mode_lines == b.mode_lines && s.mode > b.mode)) best = static_cast<int>(k);
  }

  if (best < 0) {
    out.dialect.delimiter = ',';
    reason = "delimiter ',' by default: none of , ; tab | occurs outside quotes (one column?)";
  } else {
    const Stats& s = stats[static_cast<std::size_t>(best)];
    out.dialect.delimiter = kCandidates[static_cast<std::size_t>(best)];
    reason = "delimiter " + Show(out.dialect.delimiter) + ": " + std::to_string(s.mode) + " per line outside quotes on " +
             std::to_string(s.mode_lines) + " of " + std::to_string(lines.size()) + " lines";
    std::string others;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) {
      if (static_cast<int>(k) == best || stats[k].max == 0) continue;
      others += others.empty() ? "" : ", ";
      others += Show(kCandidates[k]) + " " + std::to_string(stats[k].min) + "-" + std::to_string(stats[k].max) +
                " per line";
    }
    if (!others.empty()) reason += " (" + others + ")";
  }
  reason += "; " + encoding_reason;
  reason += out.crlf ? "; line ends CRLF" : out.cr_only ? "; line ends CR" : first_end ? "; no line end in sample"
                                                                                      : "; line ends LF";
  out.reason = reason;
  return out;
}

}  // namespace das::io
