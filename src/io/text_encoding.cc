#include "das/io/text_encoding.h"

#include <cstdio>
#include <cstring>

namespace das::io {
namespace {

// Unicode code points of Windows-1252 bytes 0x80-0x9F (undefined bytes map to the C1 control).
constexpr std::uint16_t kHigh[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,  // 88-8F
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,  // 98-9F
};

struct DecodeTable {
  unsigned char len[256];
  unsigned char bytes[256][3];
  DecodeTable() {
    for (int b = 0; b < 256; ++b) {
      std::uint32_t cp = (b >= 0x80 && b < 0xA0) ? kHigh[b - 0x80] : static_cast<std::uint32_t>(b);
      if (cp < 0x80) {
        len[b] = 1;
        bytes[b][0] = static_cast<unsigned char>(cp);
      } else if (cp < 0x800) {
        len[b] = 2;
        bytes[b][0] = static_cast<unsigned char>(0xC0 | (cp >> 6));
        bytes[b][1] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
      } else {
        len[b] = 3;
        bytes[b][0] = static_cast<unsigned char>(0xE0 | (cp >> 12));
        bytes[b][1] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
        bytes[b][2] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
      }
    }
  }
};

const DecodeTable& Table() {
  static const DecodeTable table;
  return table;
}

std::uint32_t DecodeCodePoint(const unsigned char* p, int n) {
  switch (n) {
    case 1: return p[0];
    case 2: return (std::uint32_t{p[0]} & 0x1F) << 6 | (p[1] & 0x3F);
    case 3: return (std::uint32_t{p[0]} & 0x0F) << 12 | (std::uint32_t{p[1]} & 0x3F) << 6 | (p[2] & 0x3F);
    default:
      return (std::uint32_t{p[0]} & 0x07) << 18 | (std::uint32_t{p[1]} & 0x3F) << 12 |
             (std::uint32_t{p[2]} & 0x3F) << 6 | (p[3] & 0x3F);
  }
}

}  // namespace

int Utf8SequenceLength(const unsigned char* p, std::size_t avail) {
  unsigned char b0 = p[0];
  if (b0 < 0x80) return 1;
  int n;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;        // no overlongs
    else if (b0 == 0xED) hi = 0x9F;   // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;        // no overlongs
    else if (b0 == 0xF4) hi = 0x8F;   // at most U+10FFFF
  } else {
    return 0;
  }
  for (int i = 1; i < n; ++i) {
    if (static_cast<std::size_t>(i) >= avail) return -1;
    unsigned char b = p[i];
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return n;
}

std::size_t FirstInvalidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size(), i = 0;
  while (i < n) {
    // Fast path over ASCII, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    int len = Utf8SequenceLength(p + i, n - i);
    if (len <= 0) return i;
    i += static_cast<std::size_t>(len);
  }
  return n;
}

bool IsValidUtf8(std::string_view text) { return FirstInvalidUtf8(text) == text.size(); }

void AppendUtf8(std::uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::size_t DecodeWindows1252(const char* src, std::size_t n, char* dst) {
  const DecodeTable& t = Table();
  char* out = dst;
  std::size_t i = 0;
  while (i < n) {
    std::size_t run = i;
    while (run < n && static_cast<unsigned char>(src[run]) < 0x80) ++run;
    std::memcpy(out, src + i, run - i);
    out += run - i;
    i = run;
    while (i < n && static_cast<unsigned char>(src[i]) >= 0x80) {
      auto b = static_cast<unsigned char>(src[i++]);
      unsigned char len = t.len[b];
      out[0] = static_cast<char>(t.bytes[b][0]);
      out[1] = static_cast<char>(t.bytes[b][1]);
      if (len == 3) out[2] = static_cast<char>(t.bytes[b][2]);
      out += len;
    }
  }
  return static_cast<std::size_t>(out - dst);
}

void AppendUtf8FromWindows1252(std::string_view cp1252, std::string* out) {
  std::size_t old = out->size();
  out->resize(old + 3 * cp1252.size());
  std::size_t n = DecodeWindows1252(cp1252.data(), cp1252.size(), out->data() + old);
  out->resize(old + n);
}

Status AppendWindows1252FromUtf8(std::string_view utf8, std::string* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  std::size_t n = utf8.size(), i = 0;
  while (i < n) {
    if (p[i] < 0x80) {
      out->push_back(static_cast<char>(p[i++]));
      continue;
    }
    int len = Utf8SequenceLength(p + i, n - i);
    if (len <= 0) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "invalid UTF-8 at byte %zu (0x%02X)", i, p[i]);
      return Status::InvalidArgument(buf);
    }
    std::uint32_t cp = DecodeCodePoint(p + i, len);
    int byte = -1;
    if (cp >= 0xA0 && cp <= 0xFF) {
      byte = static_cast<int>(cp);
    } else {
      for (int k = 0; k < 32; ++k) {
        if (kHigh[k] == cp) byte = 0x80 + k;
      }
    }
    if (byte < 0) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "character U+%04X '%.*s' at byte %zu cannot be encoded in Windows-1252",
                    static_cast<unsigned>(cp), len, utf8.data() + i, i);
      return Status::InvalidArgument(buf);
    }
    out->push_back(static_cast<char>(byte));
    i += static_cast<std::size_t>(len);
  }
  return Status::Ok();
}

}  // namespace das::io
