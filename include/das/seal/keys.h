// Domain keys and key files (the key model is documented in src/seal/README.md).
//
// A key file is a small TOML file (the subset below) with the organisation's name and named 32-byte keys:
//
//   # DAS key file - SECRET. Mode must be 0600 or 0400.
//   organisation = "politie"
//
//   [keys]
//   das-link = "<64 lowercase hex characters>"
//   das-record = "..."
//   das-bloom = "..."
//   org-local = "..."
//
// Key names are [a-z0-9_-]+; each domain has its own key so that pseudonyms of one domain cannot be joined
// to another. Key bytes never appear in any message this module produces: parse errors name the file, the
// line and the key name, never the value. SecretKey has no printing or string conversion and wipes its
// bytes on destruction.
// Threading: values; no shared state. LoadKeyFile/WriteKeyFile touch the real file system (POSIX) because
// the file mode is part of their contract.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "das/core/env.h"
#include "das/core/status.h"

namespace das::seal {

inline constexpr std::size_t kKeyBytes = 32;

// The domains DAS uses. Shared domains hold the same key at every organisation (so DAS can link across
// organisations); "org-local" differs per organisation and never leaves it.
inline constexpr std::string_view kLinkDomain = "das-link";      // person pseudonyms (BSN) for linkage in DAS
inline constexpr std::string_view kRecordDomain = "das-record";  // record identifiers (pv-nummer, ...)
inline constexpr std::string_view kBloomDomain = "das-bloom";    // Bloom-filter linkage encodings
inline constexpr std::string_view kLocalDomain = "org-local";    // the organisation's own use

class SecretKey {
 public:
  SecretKey() = default;  // all zero: a placeholder, not a usable key
  explicit SecretKey(const std::array<std::uint8_t, kKeyBytes>& bytes) : bytes_(bytes) {}
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  const std::uint8_t* data() const { return bytes_.data(); }
  static constexpr std::size_t size() { return kKeyBytes; }
  // Constant-time comparison.
  bool Equals(const SecretKey& other) const;

 private:
  std::array<std::uint8_t, kKeyBytes> bytes_{};
};

struct KeyFile {
  std::string organisation;
  std::vector<std::pair<std::string, SecretKey>> keys;  // in file order; names unique

  const SecretKey* Find(std::string_view name) const;
  // The key, or NotFound("key file of '<org>' has no key '<name>'").
  Result<const SecretKey*> Get(std::string_view name) const;
};

// Parses key-file text; `source` (a path) names the file in errors: "<source>: line 4: key 'das-link':
// expected 64 hex characters, got 63".
Result<KeyFile> ParseKeyFile(std::string_view text, std::string_view source);
// The file's text (contains key material: only ever write it to a 0600 file).
std::string FormatKeyFile(const KeyFile& keys);

// Accepts permission bits 0600 and 0400 only; otherwise FailedPrecondition naming the path and the mode:
// "key file 'k.toml' has mode 0644; it must be 0600 or 0400 (chmod 600 k.toml)".
Status CheckKeyFileMode(std::string_view path, std::uint32_t mode);
// Opens `path`, checks that it is a regular file with an allowed mode (on the open descriptor), then parses.
Result<KeyFile> LoadKeyFile(const std::string& path);
// Creates `path` with mode 0600; refuses to overwrite an existing file (AlreadyExists).
Status WriteKeyFile(const std::string& path, const KeyFile& keys);

// A new key file with fresh random keys (libsodium CSPRNG) for kLinkDomain, kRecordDomain, kBloomDomain and
// kLocalDomain. `organisation` must match [a-z0-9_-]+.
Result<KeyFile> NewKeyFile(std::string_view organisation);
// Demo keys for synthetic data, derived deterministically from `seed`: the shared domains get the same key
// for every organisation, kLocalDomain is derived from (seed, organisation). NOT secret: anyone with the
// seed can recompute them.
Result<KeyFile> DemoKeyFile(std::string_view organisation, std::uint64_t seed);

// A KeyStore view of a key file (Get returns the 32 raw bytes). The KeyFile must outlive it.
class KeyFileStore final : public KeyStore {
 public:
  explicit KeyFileStore(const KeyFile& keys) : keys_(keys) {}
  Result<std::string> Get(std::string_view name) const override;

 private:
  const KeyFile& keys_;
};

}  // namespace das::seal
