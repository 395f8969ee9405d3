// Status and Result<T>: the one error vocabulary of DAS.
//
// Contract: every fallible function returns [[nodiscard]] Status or Result<T>. A Status carries a code and a
// one-line message; WithContext() prepends "where" (file, line, stage) so the final message read by a user
// says what went wrong and where, e.g. "intake: deliveries/om.csv: line 17: column 'bsn': invalid 11-check".
// Status is cheap to copy when ok (no allocation). Thread-safety: values, no shared state.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace das {

enum class StatusCode : std::uint8_t {
  kOk = 0,
  kInvalidArgument,   // bad input from a user or a file (usage, malformed data)
  kNotFound,          // a named thing does not exist
  kAlreadyExists,     // would overwrite or duplicate
  kIoError,           // the operating system said no
  kParseError,        // text that does not follow its declared format
  kCorruption,        // stored data fails its own invariants
  kFailedPrecondition,// the system is not in a state to do this
  kResourceExhausted, // a limit was hit (size, count, time)
  kInternal,          // a bug in DAS: should never be seen
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(StatusCode code, std::string message);

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status ParseError(std::string msg) { return {StatusCode::kParseError, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {StatusCode::kFailedPrecondition, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) { return {StatusCode::kResourceExhausted, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return ok() ? StatusCode::kOk : state_->code; }
  // The message without the code name; empty when ok.
  const std::string& message() const;
  // "ParseError: <message>" or "OK".
  std::string ToString() const;
  // Returns a copy whose message is "<context>: <message>". No-op when ok.
  Status WithContext(std::string_view context) const;

  // Marks a status as deliberately ignored.
  void IgnoreError() const {}

 private:
  struct State {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const State> state_;
};

// Result<T>: a T or a non-ok Status. Accessing value() of an error is a programming error (aborts).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}              // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {        // NOLINT(google-explicit-constructor)
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result constructed from an ok Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { Check(); return std::get<T>(v_); }
  const T& value() const& { Check(); return std::get<T>(v_); }
  T&& value() && { Check(); return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T ValueOr(T fallback) const& { return ok() ? std::get<T>(v_) : std::move(fallback); }

 private:
  void Check() const;
  std::variant<T, Status> v_;
};

[[noreturn]] void DieOnBadResultAccess(const Status& status);

template <typename T>
void Result<T>::Check() const {
  if (!ok()) DieOnBadResultAccess(std::get<Status>(v_));
}

}  // namespace das

#define DAS_CONCAT_IMPL(a, b) a##b
#define DAS_CONCAT(a, b) DAS_CONCAT_IMPL(a, b)

// Returns the status from the enclosing function if `expr` is not ok.
#define DAS_RETURN_IF_ERROR(expr)                 \
  do {                                            \
    ::das::Status das_status_ = (expr);           \
    if (!das_status_.ok()) return das_status_;    \
  } while (0)

// Same, with context prepended to the message.
#define DAS_RETURN_IF_ERROR_CTX(expr, ctx)                                 \
  do {                                                                     \
    ::das::Status das_status_ = (expr);                                    \
    if (!das_status_.ok()) return das_status_.WithContext(ctx);            \
  } while (0)

// `lhs = value of rexpr`, or return its status. lhs may be a declaration: DAS_ASSIGN_OR_RETURN(auto x, F());
#define DAS_ASSIGN_OR_RETURN(lhs, rexpr) DAS_ASSIGN_OR_RETURN_IMPL(DAS_CONCAT(das_result_, __LINE__), lhs, rexpr)
#define DAS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                              \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
