#!/usr/bin/env bash
# Benchmark of `das generate`: one national year (--scale 1 --from 2023 --to 2023) and, with --ten, ten years
# (2014-2023). Builds a Release `das`, runs it under /usr/bin/time -v and prints wall time, rows/s, MB/s and
# peak RSS as a Markdown table row for bench/RESULTS.md.
#
# Usage: bench/generate/run.sh [--ten] [--no-build]
# Environment: BUILD_DIR (default build/bench-release), OUT (default a temporary directory, removed after).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build/bench-release}"
TEN=0
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --ten) TEN=1 ;;
    --no-build) BUILD=0 ;;
    *) echo "usage: $0 [--ten] [--no-build]" >&2; exit 2 ;;
  esac
done

if [[ $BUILD == 1 ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDAS_BUILD_TESTS=OFF -DDAS_BUILD_BENCH=OFF >/dev/null
  cmake --build "$BUILD_DIR" --target das -j2 >/dev/null || { echo "build failed" >&2; exit 1; }
fi
DAS="$BUILD_DIR/das"
[[ -x "$DAS" ]] || { echo "no executable $DAS (build it or drop --no-build)" >&2; exit 1; }

run() {  # run <label> <from> <to>
  local label="$1" from="$2" to="$3"
  local out="${OUT:-$(mktemp -d /tmp/das_bench_generate.XXXXXX)}"
  rm -rf "$out"
  local tlog
  tlog="$(mktemp)"
  /usr/bin/time -v "$DAS" generate --out "$out" --from "$from" --to "$to" --scale 1 --seed 1 \
      --config "$ROOT/config" >/dev/null 2>"$tlog" || { cat "$tlog" >&2; exit 1; }
  local wall rss rows bytes
  wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$tlog")"
  rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tlog")"
  rows="$(awk -F, 'NR>1 {s+=$8} END {print s}' "$out/manifest.csv")"
  bytes="$(cd "$out" && awk -F, 'NR>1 {print $1}' manifest.csv | xargs stat -c %s | awk '{s+=$1} END {print s}')"
  local truth
  truth="$(du -sb "$out/_truth" | cut -f1)"
  awk -v l="$label" -v w="$wall" -v r="$rows" -v b="$bytes" -v m="$rss" -v t="$truth" 'BEGIN {
    printf "| %s | %.2f s | %d | %.0f rows/s | %.1f MB | %.1f MB/s | %.0f MB | %.0f MB |\n",
           l, w, r, r / w, b / 1e6, b / 1e6 / w, m / 1024, t / 1e6 }'
  rm -rf "$out" "$tlog"
}

echo "| run | wall | delivery rows | rows/s | delivery bytes | MB/s | peak RSS | _truth size |"
echo "|---|---|---|---|---|---|---|---|"
run "1 year (2023), scale 1" 2023 2023
if [[ $TEN == 1 ]]; then
  run "10 years (2014-2023), scale 1" 2014 2023
fi
