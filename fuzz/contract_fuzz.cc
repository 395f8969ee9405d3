// lib: das_contract
// Parses arbitrary bytes as a source-contract TOML and as a rule expression (bound and evaluated over
// unknown and known values). Must never crash, hang or leak; errors are fine.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "das/contract/contract.h"
#include "das/contract/expr.h"
#include "das/contract/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace das::contract;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto contract = ParseContract(text, "fuzz.toml");
  if (contract.ok()) {
    // Evaluate every rule over an all-unknown row and over the contract's header.
    std::vector<Value> blank(contract->fields.size());
    (void)EvaluateRowRules(*contract, blank, 1);
    (void)contract->Header(Form::kSealed);
  }
  auto expr = ParseExpression(text);
  if (expr.ok()) {
    (void)ExprToString(**expr);
    Scope scope;
    scope.names = {{"a", ValueType::kDate}, {"b", ValueType::kDate}, {"s", ValueType::kString},
                   {"n", ValueType::kInteger}, {"x", ValueType::kDecimal}, {"f", ValueType::kBool}};
    if (Bind(**expr, scope).ok()) {
      std::vector<Value> none(6);
      (void)Evaluate(**expr, none);
      std::vector<Value> some = {Value::FromDate(das::Date(19000)), Value::FromDate(das::Date(-5)), Value::String("PL01"),
                                 Value::Integer(INT64_MAX), Value::Decimal(-1.5), Value::Bool(true)};
      (void)Evaluate(**expr, some);
    }
  }
  return 0;
}
