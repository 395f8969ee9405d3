#include "das/seal/keys.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "sodium_init.h"

namespace das::seal {
namespace internal {
void EnsureSodium() {
  static const int kInit = sodium_init();  // 0 first time, 1 if already initialised, -1 failure
  if (kInit < 0) {
    std::fprintf(stderr, "das: libsodium could not be initialised\n");
    std::abort();
  }
}
}  // namespace internal

namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
bool IsValidName(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

// A key name as it may appear in a message: names that could be (part of) a hex key are not quoted.
std::string Quoted(std::string_view name) {
  bool all_hex = true;
  for (char c : name) all_hex = all_hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (all_hex && name.size() >= 12) return "<name not shown: looks like key material>";
  return "'" + std::string(name) + "'";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ModeText(std::uint32_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

SecretKey DeriveDemoKey(std::uint64_t seed, std::string_view domain, std::string_view organisation) {
  internal::EnsureSodium();
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, kKeyBytes);
  static constexpr unsigned char kPrefix[] = "das-demo-key/v1";
  crypto_generichash_update(&st, kPrefix, sizeof kPrefix);  // includes the terminating 0 as separator
  unsigned char seed_le[8];
  for (int i = 0; i < 8; ++i) seed_le[i] = static_cast<unsigned char>(seed >> (8 * i));
  crypto_generichash_update(&st, seed_le, sizeof seed_le);
  const unsigned char zero = 0;
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(domain.data()), domain.size());
  crypto_generichash_update(&st, &zero, 1);
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(organisation.data()),
                            organisation.size());
  std::array<std::uint8_t, kKeyBytes> bytes;
  crypto_generichash_final(&st, bytes.data(), bytes.size());
  SecretKey key(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  sodium_memzero(&st, sizeof st);
  return key;
}

constexpr std::string_view kAllDomains[] = {kLinkDomain, kRecordDomain, kBloomDomain, kLocalDomain};

}  // namespace

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

bool SecretKey::Equals(const SecretKey& other) const {
  return sodium_memcmp(bytes_.data(), other.bytes_.data(), kKeyBytes) == 0;
}

const SecretKey* KeyFile::Find(std::string_view name) const {
  for (const auto& [n, k] : keys) {
    if (n == name) return &k;
  }
  return nullptr;
}

Result<const SecretKey*> KeyFile::Get(std::string_view name) const {
  if (const SecretKey* k = Find(name)) return k;
  return Status::NotFound("key file of '" + organisation + "' has no key '" + std::string(name) + "'");
}

Result<KeyFile> ParseKeyFile(std::string_view text, std::string_view source) {
  KeyFile out;
  bool in_keys = false;
  bool have_org = false;
  int line_no = 0;
  const std::string src(source);
  auto error = [&](const std::string& what) {
    return Status::ParseError(src + ": line " + std::to_string(line_no) + ": " + what);
  };
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[') {
      if (line == "[keys]") {
        in_keys = true;
        continue;
      }
      return error("unknown table (only [keys] is allowed)");
    }
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) return error("expected 'name = \"value\"'");
    const std::string_view name = Trim(line.substr(0, eq));
    std::string_view value = Trim(line.substr(eq + 1));
    if (!IsValidName(name)) return error("bad name (expected [a-z0-9_-]+)");
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    } else {
      return error("value of " + Quoted(name) + " must be a double-quoted string");
    }
    if (!in_keys) {
      // The name is not quoted: a misplaced key value could stand where a name belongs.
      if (name != "organisation") return error("unknown setting before [keys] (only 'organisation')");
      if (!IsValidName(value)) return error("organisation must match [a-z0-9_-]+");
      out.organisation = std::string(value);
      have_org = true;
      continue;
    }
    const std::string key_name(name);
    const std::string shown = "key " + Quoted(name);
    if (out.Find(key_name) != nullptr) return error(shown + " appears twice");
    if (value.size() != 2 * kKeyBytes) {
      return error(shown + ": expected " + std::to_string(2 * kKeyBytes) +
                   " hex characters, got " + std::to_string(value.size()));
    }
    std::array<std::uint8_t, kKeyBytes> bytes{};
    for (std::size_t i = 0; i < kKeyBytes; ++i) {
      const int hi = HexValue(value[2 * i]);
      const int lo = HexValue(value[2 * i + 1]);
      if (hi < 0 || lo < 0) {
        sodium_memzero(bytes.data(), bytes.size());
        return error(shown + ": not a hex string");
      }
      bytes[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    out.keys.emplace_back(key_name, SecretKey(bytes));
    sodium_memzero(bytes.data(), bytes.size());
  }
  if (!have_org) return Status::ParseError(src + ": missing 'organisation = \"...\"'");
  if (out.keys.empty()) return Status::ParseError(src + ": no keys (expected a [keys] table)");
  return out;
}

std::string FormatKeyFile(const KeyFile& keys) {
  std::string out =
      "# DAS key file - SECRET. Keep mode 0600 or 0400; never commit, mail or log it.\n"
      "# Key model: src/seal/README.md.\n";
  out += "organisation = \"" + keys.organisation + "\"\n\n[keys]\n";
  for (const auto& [name, key] : keys.keys) {
    char hex[2 * kKeyBytes + 1];
    sodium_bin2hex(hex, sizeof hex, key.data(), kKeyBytes);
    out += name + " = \"";
    out.append(hex, 2 * kKeyBytes);
    out += "\"\n";
    sodium_memzero(hex, sizeof hex);
  }
  return out;
}

Status CheckKeyFileMode(std::string_view path, std::uint32_t mode) {
  const std::uint32_t perm = mode & 07777;
  if (perm == 0600 || perm == 0400) return Status::Ok();
  const std::string p(path);
  return Status::FailedPrecondition("key file '" + p + "' has mode " + ModeText(perm) +
                                    "; it must be 0600 or 0400 (chmod 600 " + p + ")");
}

Result<KeyFile> LoadKeyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound("key file '" + path + "' does not exist");
    return Status::IoError("key file '" + path + "': cannot open: " + std::strerror(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Status::IoError("key file '" + path + "': cannot stat: " + std::strerror(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::FailedPrecondition("key file '" + path + "' is not a regular file");
  }
  if (Status s = CheckKeyFileMode(path, static_cast<std::uint32_t>(st.st_mode)); !s.ok()) {
    ::close(fd);
    return s;
  }
  if (st.st_size > 64 * 1024) {
    ::close(fd);
    return Status::FailedPrecondition("key file '" + path + "' is larger than 64 KiB");
  }
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  Result<KeyFile> parsed = ParseKeyFile(text, path);
  sodium_memzero(text.data(), text.size());
  return parsed;
}

Status WriteKeyFile(const std::string& path, const KeyFile& keys) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    if (err == EEXIST) return Status::AlreadyExists("key file '" + path + "' already exists; not overwriting");
    return Status::IoError("key file '" + path + "': cannot create: " + std::strerror(err));
  }
  // The umask can only remove bits; make the mode exactly 0600 regardless.
  if (::fchmod(fd, 0600) != 0) {
    const int err = errno;
    ::close(fd);
    ::unlink(path.c_str());
    return Status::IoError("key file '" + path + "': cannot set mode 0600: " + std::strerror(err));
  }
  std::string text = FormatKeyFile(keys);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      sodium_memzero(text.data(), text.size());
      ::close(fd);
      ::unlink(path.c_str());
      return Status::IoError("key file '" + path + "': write failed: " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  sodium_memzero(text.data(), text.size());
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    return Status::IoError("key file '" + path + "': cannot flush: " + std::strerror(err));
  }
  return Status::Ok();
}

Result<KeyFile> NewKeyFile(std::string_view organisation) {
  if (!IsValidName(organisation)) {
    return Status::InvalidArgument("organisation '" + std::string(organisation) + "' must match [a-z0-9_-]+");
  }
  internal::EnsureSodium();
  KeyFile out;
  out.organisation = std::string(organisation);
  for (std::string_view domain : kAllDomains) {
    std::array<std::uint8_t, kKeyBytes> bytes;
    randombytes_buf(bytes.data(), bytes.size());
    out.keys.emplace_back(std::string(domain), SecretKey(bytes));
    sodium_memzero(bytes.data(), bytes.size());
  }
  return out;
}

Result<KeyFile> DemoKeyFile(std::string_view organisation, std::uint64_t seed) {
  if (!IsValidName(organisation)) {
    return Status::InvalidArgument("organisation '" + std::string(organisation) + "' must match [a-z0-9_-]+");
  }
  KeyFile out;
  out.organisation = std::string(organisation);
  for (std::string_view domain : kAllDomains) {
    // Shared domains: the same key everywhere. The local domain: bound to the organisation.
    const std::string_view bound_to = domain == kLocalDomain ? organisation : std::string_view();
    out.keys.emplace_back(std::string(domain), DeriveDemoKey(seed, domain, bound_to));
  }
  return out;
}

Result<std::string> KeyFileStore::Get(std::string_view name) const {
  DAS_ASSIGN_OR_RETURN(const SecretKey* key, keys_.Get(name));
  return std::string(reinterpret_cast<const char*>(key->data()), kKeyBytes);
}

}  // namespace das::seal
