#!/usr/bin/env bash
# Runs every test of DAS: installs what is missing, builds the dev preset (warnings are errors), runs CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
ctest --preset dev -j2 --timeout 900
