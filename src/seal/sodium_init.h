// Internal: makes sure libsodium is initialised before first use (thread-safe, idempotent).
#pragma once

namespace das::seal::internal {
void EnsureSodium();
}  // namespace das::seal::internal
