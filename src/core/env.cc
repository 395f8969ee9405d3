#include "das/core/env.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>

namespace das {
namespace {

Status ErrnoStatus(std::string_view what, const std::string& path) {
  return Status::IoError(std::string(what) + " '" + path + "': " + std::strerror(errno));
}

class SystemClock final : public Clock {
 public:
  std::int64_t NowMicros() const override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) Close().IgnoreError();
  }
  Status Append(std::string_view data) override {
    buf_.append(data);
    if (buf_.size() >= (1u << 20)) return Flush();
    return Status::Ok();
  }
  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    Status s = Flush();
    if (::close(fd_) != 0 && s.ok()) s = ErrnoStatus("cannot close", path_);
    fd_ = -1;
    return s;
  }

 private:
  Status Flush() {
    const char* p = buf_.data();
    std::size_t left = buf_.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("cannot write", path_);
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    buf_.clear();
    return Status::Ok();
  }
  std::string path_;
  int fd_;
  std::string buf_;
};

class PosixFs final : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open", path);
    std::string out;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<std::size_t>(st.st_size));
    char buf[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0) {
        if (errno == EINTR) continue;
        Status s = ErrnoStatus("cannot read", path);
        ::close(fd);
        return s;
      }
      if (n == 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
  }
  Status WriteFile(const std::string& path, std::string_view data) override {
    std::string tmp = path + ".tmp";
    {
      DAS_ASSIGN_OR_RETURN(auto f, NewWritableFile(tmp));
      DAS_RETURN_IF_ERROR(f->Append(data));
      DAS_RETURN_IF_ERROR(f->Close());
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) return ErrnoStatus("cannot rename into", path);
    return Status::Ok();
  }
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus("cannot create", path);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }
  Status CreateDirs(const std::string& path) override {
    if (path.empty()) return Status::Ok();
    std::string cur;
    std::size_t i = 0;
    while (i <= path.size()) {
      std::size_t j = path.find('/', i);
      if (j == std::string::npos) j = path.size();
      cur = path.substr(0, j);
      if (!cur.empty() && ::mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST)
        return ErrnoStatus("cannot create directory", cur);
      i = j + 1;
    }
    return Status::Ok();
  }
  bool Exists(const std::string& path) const override {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
  }
  Result<std::vector<std::string>> ListDir(const std::string& path) const override {
    DIR* d = ::opendir(path.c_str());
    if (d == nullptr) return ErrnoStatus("cannot list", path);
    std::vector<std::string> names;
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") names.push_back(std::move(n));
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }
  Status Remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return ErrnoStatus("cannot remove", path);
    return Status::Ok();
  }
};

std::uint64_t SplitMix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

FileSystem* PosixFileSystem() {
  static PosixFs fs;
  return &fs;
}

Env Env::Default() {
  static SystemClock clock;
  Env env;
  env.clock = &clock;
  env.fs = PosixFileSystem();
  return env;
}

// ---- MemFileSystem

class MemWritableFile final : public WritableFile {
 public:
  MemWritableFile(MemFileSystem* fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  Status Append(std::string_view data) override {
    buf_.append(data);
    return Status::Ok();
  }
  Status Close() override {
    if (fs_ == nullptr) return Status::Ok();
    std::lock_guard<std::mutex> lock(fs_->mu_);
    fs_->files_[path_] = std::move(buf_);
    fs_ = nullptr;
    return Status::Ok();
  }

 private:
  MemFileSystem* fs_;
  std::string path_;
  std::string buf_;
};

Result<std::string> MemFileSystem::ReadFile(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return Status::IoError("cannot open '" + path + "': No such file or directory");
  return it->second;
}

Status MemFileSystem::WriteFile(const std::string& path, std::string_view data) {
  std::lock_guard<std::mutex> lock(mu_);
  files_[path] = std::string(data);
  return Status::Ok();
}

Result<std::unique_ptr<WritableFile>> MemFileSystem::NewWritableFile(const std::string& path) {
  return std::unique_ptr<WritableFile>(new MemWritableFile(this, path));
}

Status MemFileSystem::CreateDirs(const std::string&) { return Status::Ok(); }

bool MemFileSystem::Exists(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (files_.count(path)) return true;
  std::string prefix = path + "/";
  auto it = files_.lower_bound(prefix);
  return it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

Result<std::vector<std::string>> MemFileSystem::ListDir(const std::string& path) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string prefix = path.empty() || path.back() == '/' ? path : path + "/";
  std::vector<std::string> names;
  for (auto it = files_.lower_bound(prefix); it != files_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    std::string rest = it->first.substr(prefix.size());
    std::string name = rest.substr(0, rest.find('/'));
    if (names.empty() || names.back() != name) names.push_back(name);
  }
  if (names.empty()) return Status::IoError("cannot list '" + path + "': No such file or directory");
  return names;
}

Status MemFileSystem::Remove(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (files_.erase(path) == 0) return Status::IoError("cannot remove '" + path + "': No such file or directory");
  return Status::Ok();
}

// ---- Random

Random::Random(std::uint64_t seed) : seed_(seed) {
  std::uint64_t x = seed;
  for (auto& s : s_) s = SplitMix64(x);
}

std::uint64_t Random::Next() {
  const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Random::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

std::uint64_t Random::Below(std::uint64_t n) {
  // Lemire's nearly-divisionless method; unbiased.
  unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = -n % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(Next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::int64_t Random::Between(std::int64_t lo, std::int64_t hi) {
  return lo + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(hi - lo) + 1));
}

double Random::Normal() {
  double u1 = Uniform();
  double u2 = Uniform();
  if (u1 < 1e-300) u1 = 1e-300;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

std::uint64_t Random::Poisson(double lambda) {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const double l = std::exp(-lambda);
    std::uint64_t k = 0;
    double p = 1.0;
    do {
      ++k;
      p *= Uniform();
    } while (p > l);
    return k - 1;
  }
  double x = std::floor(lambda + std::sqrt(lambda) * Normal() + 0.5);
  return x < 0 ? 0 : static_cast<std::uint64_t>(x);
}

Random Random::Derive(std::uint64_t stream) const {
  std::uint64_t x = seed_ ^ (0xD1B54A32D192ED03ULL * (stream + 1));
  return Random(SplitMix64(x));
}

}  // namespace das
