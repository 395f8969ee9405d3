// Internal helpers of das_release shared between its TUs.
#pragma once

#include <string>

#include "das/core/status.h"
#include "das/release/release.h"

namespace das::release::internal {

// A PublishedTable's metadata (no cells) from TableMetaJson text. Errors: Corruption naming `where`.
Result<PublishedTable> TableFromMetaJson(const std::string& text, const std::string& where);

// Content hash of a release: SHA-256 over "<id> <csv sha256> <metadata sha256>\n" per table in id order.
std::string ReleaseContentHash(const std::vector<const PublishedTable*>& tables_by_id);

}  // namespace das::release::internal
