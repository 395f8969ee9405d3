// Internal: builds the delivery receipt (JSON) while intake reads a delivery.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "das/contract/contract.h"
#include "das/contract/validator.h"
#include "das/core/date.h"
#include "das/store/store.h"

namespace das::intake {

// JSON array of {rule, severity, line, column, message}.
std::string FindingsJson(const std::vector<contract::Finding>& findings);

class ReceiptBuilder {
 public:
  ReceiptBuilder(const contract::Contract& contract, contract::Form form, std::size_t max_examples)
      : contract_(&contract), form_(form), max_examples_(max_examples) {}

  void AddFileFinding(contract::Finding f);
  void AddRowFindings(const std::vector<contract::Finding>& findings);
  void ObserveDate(Date d);
  bool RefusesDelivery() const;
  std::vector<contract::Finding> DeliveryFindings() const;
  std::string Finish(const store::DeliveryInfo& info, const contract::FileStats& stats, std::int64_t blank_lines,
                     std::optional<std::int64_t> previous_rows, bool refused_for_identifiers) const;

 private:
  struct RuleSummary {
    contract::Severity severity = contract::Severity::kWarn;
    std::int64_t count = 0;
    std::vector<contract::Finding> examples;
  };
  const contract::Contract* contract_;
  contract::Form form_;
  std::size_t max_examples_;
  std::vector<contract::Finding> file_findings_;
  std::map<std::string, RuleSummary> rules_;
  std::optional<Date> min_date_, max_date_;
};

}  // namespace das::intake
