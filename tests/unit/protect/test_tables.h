// Helpers for das_protect tests: small hierarchical tables.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "das/core/env.h"
#include "das/protect/cell_table.h"

namespace das::protect::testing {

// A flat dimension: code "T" with children `leaves`.
inline Dimension Flat(const std::string& name, const std::vector<std::string>& leaves) {
  Dimension d(name);
  EXPECT_TRUE(d.AddCode("T").ok());
  for (const std::string& l : leaves) EXPECT_TRUE(d.AddCode(l, "T").ok());
  return d;
}

// A two-level dimension: "T" > groups "G<g>" > leaves "G<g>.<k>" with sizes[g] leaves in group g.
inline Dimension TwoLevel(const std::string& name, const std::vector<int>& sizes) {
  Dimension d(name);
  EXPECT_TRUE(d.AddCode("T").ok());
  for (std::size_t g = 0; g < sizes.size(); ++g) {
    const std::string gc = "G" + std::to_string(g);
    EXPECT_TRUE(d.AddCode(gc, "T").ok());
    for (int k = 0; k < sizes[g]; ++k) EXPECT_TRUE(d.AddCode(gc + "." + std::to_string(k), gc).ok());
  }
  return d;
}

// True when cell i is a leaf in every dimension.
inline bool IsLeafCell(const CellTable& t, std::size_t i) {
  for (std::size_t d = 0; d < t.dims().size(); ++d) {
    if (!t.dims()[d].IsLeaf(static_cast<std::size_t>(t.CodeOf(i, d)))) return false;
  }
  return true;
}

}  // namespace das::protect::testing
