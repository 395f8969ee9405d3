// Content digests (libsodium): how DAS identifies a delivery by its bytes (intake's idempotency, the
// generator's manifest). Not keyed: a digest says nothing secret, it only recognises identical files.
// Threading: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace das::seal {

// SHA-256 of `data` as 64 lowercase hex characters.
std::string Sha256Hex(std::string_view data);

}  // namespace das::seal
