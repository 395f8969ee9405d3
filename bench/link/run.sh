#!/usr/bin/env bash
# Linkage benchmark: generate national data, take it in, run `das link --evaluate` under /usr/bin/time, and the
# 1M x 1M probabilistic benchmark. Usage: bench/link/run.sh [--ten] [BUILD_DIR]
# Prints one line per run (wall, peak RSS, quality); record them in bench/RESULTS.md ("das link").
set -euo pipefail
ten=0
if [[ "${1:-}" == "--ten" ]]; then ten=1; shift; fi
repo="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$repo/build/bench-link}"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" --target das link_fs_bench -j2 > /dev/null
das="$build/das"
work="$(mktemp -d /tmp/das-bench-link.XXXXXX)"
trap 'rm -rf "$work"' EXIT

run() {  # label from to
  local label="$1" from="$2" to="$3"
  "$das" generate --out "$work/$label" --from "$from" --to "$to" --scale 1 --seed 1 > /dev/null
  "$das" intake --store "$work/$label.db" "$work/$label" > /dev/null
  /usr/bin/time -v "$das" link --store "$work/$label.db" --quiet --report "$work/$label.json" \
      --evaluate "$work/$label/_truth" > "$work/$label.out" 2> "$work/$label.time"
  echo "== $label ($from-$to, scale 1)"
  grep -E "Elapsed|Maximum resident" "$work/$label.time"
  cat "$work/$label.out"
  rm -rf "$work/$label" "$work/$label.db"
}
run one_year 2023 2023
if [[ $ten == 1 ]]; then run ten_years 2014 2023; fi
echo "== 1M x 1M probabilistic (link_fs_bench 1000000)"
/usr/bin/time -v "$build/bench/link/link_fs_bench" 1000000 2> "$work/fs.time"
grep -E "Elapsed|Maximum resident" "$work/fs.time"
