#!/usr/bin/env bash
# Runs every test of DAS: installs what is missing, builds the dev preset (warnings are errors), runs CTest.
# A skipped test fails the run: gtest reports the tests of a suite whose SetUpTestSuite failed as skipped,
# and CI must not pass on tests that did not run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
ctest --preset dev -j2 --timeout 900 2>&1 | tee "$log" || status=$?
if grep -q "\*\*\*Skipped\|  Skipped " "$log"; then
  echo "test.sh: some tests were skipped (see above); every test must run" >&2
  grep "Skipped" "$log" >&2
  exit 1
fi
exit "$status"
