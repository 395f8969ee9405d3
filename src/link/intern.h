// Compact text storage for the linker (internal): TextArena keeps many short strings in one buffer, Interner
// gives each distinct text a dense id. Neither allocates per string. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hash.h"

namespace das::link {

inline constexpr std::uint32_t kNoId = 0xFFFFFFFFu;

// Strings appended one after another; string i is Get(i).
class TextArena {
 public:
  TextArena() { offsets_.push_back(0); }
  std::uint32_t Add(std::string_view s) {
    chars_.append(s);
    offsets_.push_back(chars_.size());
    return static_cast<std::uint32_t>(offsets_.size() - 2);
  }
  std::string_view Get(std::uint32_t i) const {
    return std::string_view(chars_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  std::size_t size() const { return offsets_.size() - 1; }
  void Reserve(std::size_t strings, std::size_t bytes) {
    offsets_.reserve(strings + 1);
    chars_.reserve(bytes);
  }
  void Clear() {
    std::string().swap(chars_);
    std::vector<std::uint64_t>{0}.swap(offsets_);
  }

 private:
  std::string chars_;
  std::vector<std::uint64_t> offsets_;
};

// Distinct texts with dense ids 0, 1, ... in order of first appearance (open addressing over the arena).
class Interner {
 public:
  std::uint32_t Intern(std::string_view s) {
    if ((texts_.size() + 1) * 2 > slots_.size()) Grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t p = HashText(s) & mask;; p = (p + 1) & mask) {
      const std::uint32_t id = slots_[p];
      if (id == kNoId) {
        slots_[p] = texts_.Add(s);
        return slots_[p];
      }
      if (texts_.Get(id) == s) return id;
    }
  }
  // kNoId if the text was never interned.
  std::uint32_t Find(std::string_view s) const {
    if (slots_.empty()) return kNoId;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t p = HashText(s) & mask;; p = (p + 1) & mask) {
      const std::uint32_t id = slots_[p];
      if (id == kNoId || texts_.Get(id) == s) return id;
    }
  }
  std::string_view Get(std::uint32_t id) const { return texts_.Get(id); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(texts_.size()); }

 private:
  void Grow() {
    std::vector<std::uint32_t> next(slots_.empty() ? 1024 : slots_.size() * 2, kNoId);
    const std::size_t mask = next.size() - 1;
    for (std::uint32_t id = 0; id < texts_.size(); ++id) {
      std::size_t p = HashText(texts_.Get(id)) & mask;
      while (next[p] != kNoId) p = (p + 1) & mask;
      next[p] = id;
    }
    slots_.swap(next);
  }
  TextArena texts_;
  std::vector<std::uint32_t> slots_;
};

}  // namespace das::link
