#!/usr/bin/env bash
# Installs every Debian package DAS needs that is missing (idempotent; as root on Debian bookworm), then
# configures and builds. Usage: scripts/bootstrap.sh [preset]   (preset: dev (default), release, asan)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"

# Build and test dependencies, all from Debian bookworm.
packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libsqlite3-dev sqlite3 libsodium-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
  libfmt-dev libspdlog-dev libfast-float-dev libzstd-dev libtbb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  coinor-libcbc-dev
  libboost1.81-dev libxlsxwriter-dev
  python3 time
  chromium wrk nginx-light
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "bootstrap: missing packages and not root; install them: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node and npm for the dashboard (web/) and the browser tests: Debian's nodejs + npm unless a Node with npm is
# already there (e.g. a nodesource nodejs, which bundles npm and conflicts with Debian's npm package).
if ! command -v npm >/dev/null 2>&1; then
  echo "bootstrap: installing nodejs npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

# The dashboard (web/: TypeScript + Vite + ECharts), served by `das serve` from web/dist. npm packages come
# from the registry, pinned by web/package-lock.json.
(cd web && npm install --no-audit --no-fund --loglevel=error && npm run build --silent)
