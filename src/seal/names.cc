#include "das/seal/names.h"

#include <algorithm>
#include <cstdint>

#include "fold_table.h"

namespace das::seal {
namespace {

// Decodes one code point at s[i]; returns it and sets `len` to the bytes consumed and `valid` to whether
// the bytes were well-formed UTF-8. Invalid bytes decode as Latin-1 (one byte).
std::uint32_t Decode(std::string_view s, std::size_t i, std::size_t& len, bool& valid) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  valid = true;
  len = 1;
  if (b0 < 0x80) return b0;
  auto cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  auto c = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + k]) & 0x3F); };
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) {
    len = 2;
    return ((b0 & 0x1Fu) << 6) | c(1);
  }
  if (b0 >= 0xE0 && b0 <= 0xEF && cont(1) && cont(2)) {
    const std::uint32_t cp = ((b0 & 0x0Fu) << 12) | (c(1) << 6) | c(2);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      len = 3;
      return cp;
    }
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    const std::uint32_t cp = ((b0 & 0x07u) << 18) | (c(1) << 12) | (c(2) << 6) | c(3);
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
      len = 4;
      return cp;
    }
  }
  valid = false;
  return b0;  // Latin-1 reading of a stray byte
}

enum class Action : std::uint8_t { kEmit, kDrop, kSeparate, kKeep };

// What to do with a code point; for kEmit, `text` is what to write.
Action Classify(std::uint32_t cp, const char*& text) {
  static constexpr const char* kAsciiLower[26] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
                                                  "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
  static constexpr const char* kDigits[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  if (cp < 0x80) {
    if (cp >= 'a' && cp <= 'z') {
      text = kAsciiLower[cp - 'a'];
      return Action::kEmit;
    }
    if (cp >= 'A' && cp <= 'Z') {
      text = kAsciiLower[cp - 'A'];
      return Action::kEmit;
    }
    if (cp >= '0' && cp <= '9') {
      text = kDigits[cp - '0'];
      return Action::kEmit;
    }
    if (cp == '\'' || cp == '`') return Action::kDrop;
    return Action::kSeparate;
  }
  if (cp < 0xC0) return (cp == 0xB4 || cp == 0xAD) ? Action::kDrop : Action::kSeparate;  // ´ and soft hyphen
  auto from_table = [&](const char* entry) {
    if (entry == nullptr) return Action::kKeep;
    if (entry[0] == ' ') return Action::kSeparate;
    text = entry;
    return Action::kEmit;
  };
  if (cp <= 0x24F) return from_table(internal::kFoldLatin[cp - 0xC0]);
  if (cp >= 0x1E00 && cp <= 0x1EFF) return from_table(internal::kFoldLatinAdditional[cp - 0x1E00]);
  if (cp >= 0x300 && cp <= 0x36F) return Action::kDrop;  // combining diacritical marks
  if (cp == 0x2BC || cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x2032 || cp == 0xFEFF) {
    return Action::kDrop;  // apostrophe-like marks, BOM
  }
  if ((cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000 || (cp >= 0x2E00 && cp <= 0x2E7F)) return Action::kSeparate;
  return Action::kKeep;
}

}  // namespace

void AppendNormalisedName(std::string_view text, std::string& out) {
  const std::size_t start = out.size();
  bool pending_space = false;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t len = 1;
    bool valid = true;
    const std::uint32_t cp = Decode(text, i, len, valid);
    const char* emit = nullptr;
    Action action = Classify(cp, emit);
    if (action == Action::kKeep && !valid) action = Action::kSeparate;  // never copy malformed bytes
    switch (action) {
      case Action::kDrop:
        break;
      case Action::kSeparate:
        pending_space = true;
        break;
      case Action::kEmit:
      case Action::kKeep:
        if (pending_space && out.size() > start) out.push_back(' ');
        pending_space = false;
        if (action == Action::kEmit) {
          out.append(emit);
        } else {
          out.append(text.substr(i, len));
        }
        break;
    }
    i += len;
  }
}

std::string NormaliseName(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendNormalisedName(text, out);
  return out;
}

Result<Tussenvoegsels> Tussenvoegsels::Parse(std::string_view text, std::string_view source) {
  Tussenvoegsels out;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const std::size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    bool blank = true;
    for (char c : line) blank = blank && (c == ' ' || c == '\t' || c == '\r');
    if (blank) continue;
    std::string norm = NormaliseName(line);
    const std::string where = std::string(source) + ": line " + std::to_string(line_no) + ": ";
    if (norm.empty()) return Status::ParseError(where + "no letters in the tussenvoegsel");
    std::size_t words = 1;
    for (char c : norm) words += c == ' ' ? 1 : 0;
    if (!out.set_.insert(norm).second) {
      return Status::ParseError(where + "duplicate tussenvoegsel '" + norm + "' (after normalisation)");
    }
    if (words > out.max_words_) out.max_words_ = words;
  }
  if (out.set_.empty()) return Status::ParseError(std::string(source) + ": no tussenvoegsels");
  return out;
}

Result<Tussenvoegsels> Tussenvoegsels::Load(const FileSystem& fs, const std::string& path) {
  DAS_ASSIGN_OR_RETURN(std::string text, fs.ReadFile(path));
  return Parse(text, path);
}

void Tussenvoegsels::Split(std::string_view surname, std::string_view tussenvoegsel_field,
                           SurnameParts& out) const {
  out.tussenvoegsel.clear();
  out.core.clear();
  AppendNormalisedName(tussenvoegsel_field, out.tussenvoegsel);

  // Comma form "Berg, van der": the part after the last comma is a known tussenvoegsel.
  const std::size_t comma = surname.rfind(',');
  if (comma != std::string_view::npos) {
    AppendNormalisedName(surname.substr(comma + 1), out.core);  // scratch
    if (!out.core.empty() && Contains(out.core)) {
      const std::size_t tv_end = out.core.size();
      AppendNormalisedName(surname.substr(0, comma), out.core);  // after the tussenvoegsel, as scratch
      if (out.core.size() > tv_end) {
        if (out.tussenvoegsel.empty()) out.tussenvoegsel.assign(out.core, 0, tv_end);
        out.core.erase(0, tv_end);
        return;
      }
      // Nothing before the comma: fall through and treat the whole text as the surname.
    }
    out.core.clear();
  }
  AppendNormalisedName(surname, out.core);
  std::string& core = out.core;

  if (!out.tussenvoegsel.empty()) {
    // A separate field was given; drop it from the surname if repeated there ("van der" + "van der Berg").
    const std::string& tv = out.tussenvoegsel;
    if (core.size() > tv.size() && core.compare(0, tv.size(), tv) == 0 && core[tv.size()] == ' ') {
      core.erase(0, tv.size() + 1);
    }
    return;
  }
  // Inline prefix: the longest run of leading words that is a known tussenvoegsel, leaving >= 1 word.
  std::size_t word_ends[16];
  std::size_t n_words = 0;
  for (std::size_t i = 0; i < core.size() && n_words < 16; ++i) {
    if (core[i] == ' ') word_ends[n_words++] = i;
  }
  // word_ends[j] is the end of the first j+1 words when fewer than all words are taken.
  for (std::size_t take = std::min(n_words, max_words_); take >= 1; --take) {
    const std::string_view prefix(core.data(), word_ends[take - 1]);
    if (Contains(prefix)) {
      out.tussenvoegsel.assign(prefix);
      core.erase(0, word_ends[take - 1] + 1);
      return;
    }
  }
}

SurnameParts Tussenvoegsels::Split(std::string_view surname, std::string_view tussenvoegsel_field) const {
  SurnameParts out;
  Split(surname, tussenvoegsel_field, out);
  return out;
}

void SplitGivenNames(std::string_view given_names, GivenNames& out) {
  out.all.clear();
  out.first.clear();
  out.initials.clear();
  AppendNormalisedName(given_names, out.all);
  const std::string& all = out.all;
  const std::size_t sp = all.find(' ');
  out.first.assign(all, 0, sp == std::string::npos ? all.size() : sp);
  bool at_start = true;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i] == ' ') {
      at_start = true;
      continue;
    }
    if (at_start) {
      // The whole UTF-8 character (letters outside the folded ranges stay multi-byte).
      std::size_t len = 1;
      const auto b = static_cast<unsigned char>(all[i]);
      if (b >= 0xF0) len = 4;
      else if (b >= 0xE0) len = 3;
      else if (b >= 0xC0) len = 2;
      out.initials.append(all, i, len);
      at_start = false;
    }
  }
}

GivenNames SplitGivenNames(std::string_view given_names) {
  GivenNames out;
  SplitGivenNames(given_names, out);
  return out;
}

}  // namespace das::seal
