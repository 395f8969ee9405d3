#!/usr/bin/env bash
# Dashboard performance: first-page JS (gzipped) and first contentful paint, in Debian chromium.
#   bench/web/run.sh [URL] [RUNS]     URL of a running `das serve` (default $DAS_URL); RUNS cold loads (10)
#   bench/web/run.sh --mock [RUNS]    against tests/e2e/mock-server.mjs (builds nothing; needs web/dist)
# Needs: npm ci in tests/e2e (playwright-core), web/dist built (npm run build in web/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
[[ -d "$repo/tests/e2e/node_modules/playwright-core" ]] || { echo "run 'npm ci' in tests/e2e first" >&2; exit 2; }
if [[ "${1:-}" == "--mock" ]]; then
  runs="${2:-10}"
  port=$((20000 + RANDOM % 20000))
  node "$repo/tests/e2e/mock-server.mjs" --port "$port" >/dev/null &
  mock=$!
  trap 'kill $mock 2>/dev/null || true' EXIT
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/releases" >/dev/null && break; sleep 0.1; done
  url="http://127.0.0.1:$port"
else
  url="${1:-${DAS_URL:-}}"
  runs="${2:-10}"
  [[ -n "$url" ]] || { echo "usage: $0 URL [RUNS] | --mock [RUNS]  (or set DAS_URL)" >&2; exit 2; }
fi
timeout 600 node "$here/measure.mjs" "$url" "$runs"
