#!/usr/bin/env bash
# Intake benchmark: ten national years from `das generate` (scale 1, 2014-2023), loaded by
#   1. das intake (contract validation, quarantine, receipts, column chunks in SQLite),
#   2. DuckDB read_csv into tables (npm @duckdb/node-api, which ships its engine), no validation,
#   3. the sqlite3 shell's .import into tables, no validation.
# Reports wall time, MB/s, rows/s and peak RSS for each. Usage: bench/intake/run.sh [scale] [from] [to]
set -euo pipefail
cd "$(dirname "$0")/../.."
scale="${1:-1}" from="${2:-2014}" to="${3:-2023}"
scripts/bootstrap.sh release >/dev/null
das=build/release/das
data=bench/data/deliveries_${scale}_${from}_${to}
work=bench/data/intake_work
mkdir -p bench/data "$work"
if [ ! -f "$data/manifest.csv" ]; then
  rm -rf "$data"
  /usr/bin/time -f "generate: %e s, peak RSS %M KB" "$das" generate --out "$data" --from "$from" --to "$to" --scale "$scale" --seed 1
fi
bytes=$(tail -n +2 "$data/manifest.csv" | cut -d, -f1 | (cd "$data" && xargs stat -c %s) | awk '{s+=$1} END {printf "%d", s}')
rows=$(tail -n +2 "$data/manifest.csv" | awk -F, '{s+=$8} END {printf "%d", s}')
files=$(tail -n +2 "$data/manifest.csv" | wc -l)
echo "data: $files files, $rows rows, $bytes bytes"

measure() {  # name, command...; prints "name seconds peak_kb"
  local name="$1"; shift
  sync
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    if [ "$name" != das_intake ]; then cat "$work/$name.err"; exit 1; fi; }
  read -r secs kb <"$work/time.txt"
  echo "$name $secs $kb"
}

rm -f "$work"/das.db*
das_line=$(measure das_intake "$das" intake --store "$work/das.db" --jobs 2 "$data")
tail -1 "$work/das_intake.out"

(cd bench/intake && [ -d node_modules/@duckdb/node-api ] || npm install --no-audit --no-fund --silent >/dev/null)
rm -f "$work"/duck.db*
duck_line=$(measure duckdb node bench/intake/duckdb_load.mjs "$PWD/$data" "$PWD/$work/duck.db")
cat "$work/duckdb.out"

# sqlite3 .import: one table per file, with the file's delimiter (no validation, all text).
python3 - "$data" >"$work/import.sql" <<'PY'
import csv, sys
data = sys.argv[1]
print(".bail on")
print(".mode csv")
with open(f"{data}/manifest.csv", newline="") as f:
    for row in csv.DictReader(f):
        file = row["file"]
        semi = file.split("/")[0] in ("politie", "halt", "rvdk", "dji", "rechtspraak", "cbs")
        table = "t_" + "".join(c if c.isalnum() else "_" for c in file)
        # .import --csv would reset the separator to ','; in csv mode .import uses the current separator.
        print('.separator ";"' if semi else '.separator ","')
        print(f".import '{data}/{file}' {table}")
PY
rm -f "$work"/sqlite.db*
sqlite_line=$(measure sqlite_import sqlite3 "$work/sqlite.db" ".read $work/import.sql")

python3 - "$bytes" "$rows" "$das_line" "$duck_line" "$sqlite_line" <<'PY'
import sys
b, r = int(sys.argv[1]), int(sys.argv[2])
res = {}
for line in sys.argv[3:]:
    n, s, kb = line.split(); res[n] = (float(s), int(kb))
base = res["duckdb"][0]
print(f"| tool | wall s | MB/s | rows/s | peak RSS MB | time vs DuckDB |")
print(f"|---|---|---|---|---|---|")
for n, (s, kb) in res.items():
    print(f"| {n} | {s:.1f} | {b/1e6/s:.0f} | {r/s/1e6:.2f} M | {kb/1024:.0f} | {s/base:.2f} |")
PY
