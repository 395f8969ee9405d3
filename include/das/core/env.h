// Env: every side effect DAS has (clock, files, randomness, keys) behind one injectable interface, so that
// stages are functions of (inputs, config, Env) and tests run deterministic and in memory.
//
// Ownership: an Env does not own the objects it points to unless created by a factory that says so.
// Threading: Clock and FileSystem implementations are thread-safe; a Random is not (give each thread its
// own, e.g. Random::Derive(stream)).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "das/core/status.h"

namespace das {

class Clock {
 public:
  virtual ~Clock() = default;
  // Microseconds since the Unix epoch (UTC).
  virtual std::int64_t NowMicros() const = 0;
};

// A clock that stands still until advanced; for tests and reproducible runs.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t now_micros) : now_(now_micros) {}
  std::int64_t NowMicros() const override { return now_; }
  void Advance(std::int64_t micros) { now_ += micros; }

 private:
  std::int64_t now_;
};

// An append-only output file. Close() must be called and checked; the destructor closes silently.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual Status Close() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  // Writes atomically: readers see the old content or the new, never a mix.
  virtual Status WriteFile(const std::string& path, std::string_view data) = 0;
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  virtual Status CreateDirs(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) const = 0;
  // Names (not paths) of the entries of a directory, sorted.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) const = 0;
  virtual Status Remove(const std::string& path) = 0;
};

// The real file system (POSIX).
FileSystem* PosixFileSystem();

// An in-memory file system; directories are implicit.
class MemFileSystem final : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override;
  Status WriteFile(const std::string& path, std::string_view data) override;
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Status CreateDirs(const std::string& path) override;
  bool Exists(const std::string& path) const override;
  Result<std::vector<std::string>> ListDir(const std::string& path) const override;
  Status Remove(const std::string& path) override;

 private:
  friend class MemWritableFile;
  mutable std::mutex mu_;
  std::map<std::string, std::string> files_;
};

// Deterministic pseudo-random numbers (xoshiro256** seeded by splitmix64). The same seed gives the same
// sequence on every platform; no std:: distributions are used because their output is implementation-defined.
class Random {
 public:
  explicit Random(std::uint64_t seed);
  std::uint64_t Next();
  // Uniform in [0, 1).
  double Uniform();
  // Uniform integer in [0, n); n > 0.
  std::uint64_t Below(std::uint64_t n);
  // Uniform integer in [lo, hi].
  std::int64_t Between(std::int64_t lo, std::int64_t hi);
  bool Bernoulli(double p) { return Uniform() < p; }
  // Standard normal (Box-Muller, deterministic).
  double Normal();
  // Poisson with mean lambda (inversion for small, normal approximation for large lambda).
  std::uint64_t Poisson(double lambda);
  // An independent generator for sub-stream `stream` (e.g. one per year or per thread).
  Random Derive(std::uint64_t stream) const;

 private:
  std::uint64_t s_[4];
  std::uint64_t seed_;
};

// Secret keys by name (e.g. "pseudonym/politie"). Keys never appear in logs or error messages.
class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual Result<std::string> Get(std::string_view name) const = 0;
};

struct Env {
  const Clock* clock = nullptr;
  FileSystem* fs = nullptr;
  const KeyStore* keys = nullptr;  // may be null where no keys are needed
  std::uint64_t seed = 0;

  // The process environment: system clock, POSIX file system, no key store.
  static Env Default();
};

}  // namespace das
