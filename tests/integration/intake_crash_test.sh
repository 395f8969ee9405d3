#!/usr/bin/env bash
# Crash safety of intake: kill `das intake` (SIGKILL) at random moments, at least 20 times. After every kill
# the store must be sound (`das store check`: each delivery wholly present or wholly absent, rows accounted
# for), and a rerun must complete with exactly the deliveries and counts of an uninterrupted run.
# Usage: intake_crash_test.sh path/to/das
set -euo pipefail
das="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$das" generate --out "$work/d" --from 2023 --to 2023 --scale 0.05 --seed 7 >/dev/null
summary() {
  sqlite3 "$1" "SELECT file, sha256, status, rows_read, rows_accepted, rows_quarantined FROM deliveries ORDER BY file"
}

start=$(date +%s%N)
"$das" intake --store "$work/ref.db" "$work/d" >"$work/ref.log" || true  # exit 1 when a delivery is rejected
ms=$(( ($(date +%s%N) - start) / 1000000 ))
summary "$work/ref.db" >"$work/ref.txt"
[ -s "$work/ref.txt" ] || { echo "reference intake stored nothing"; exit 1; }
echo "reference intake: ${ms} ms, $(wc -l <"$work/ref.txt") deliveries"

RANDOM=42
landed=0
for i in $(seq 1 40); do
  [ "$landed" -ge 22 ] && break
  rm -f "$work"/s.db*
  delay=$(( RANDOM % (ms > 20 ? ms * 8 / 10 : 10) ))
  "$das" intake --store "$work/s.db" "$work/d" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  if kill -9 "$pid" 2>/dev/null; then landed=$((landed + 1)); fi
  wait "$pid" 2>/dev/null || true
  if [ -f "$work/s.db" ]; then
    "$das" store check --store "$work/s.db" >/dev/null || { echo "kill $i after ${delay} ms left an unsound store"; \
      "$das" store check --store "$work/s.db"; exit 1; }
    stored=$(sqlite3 "$work/s.db" "SELECT count(*) FROM deliveries")
  else
    stored=0
  fi
  "$das" intake --store "$work/s.db" "$work/d" >/dev/null || true
  summary "$work/s.db" >"$work/s.txt"
  if ! cmp -s "$work/ref.txt" "$work/s.txt"; then
    echo "rerun after kill $i (${delay} ms, ${stored} deliveries stored) differs from the reference:"
    diff "$work/ref.txt" "$work/s.txt" | head -20
    exit 1
  fi
  echo "kill $i at ${delay} ms: ${stored} deliveries stored before the kill, store sound, rerun complete"
done
[ "$landed" -ge 20 ] || { echo "only $landed of $i kills landed while intake was running (need 20)"; exit 1; }
echo "crash safety: ${landed} kills landed; store always sound; every rerun complete"
