#!/usr/bin/env bash
# Statistics benchmark (issue 5): the flow tables (DAS_<S>_Regio, _Politie, _Kenmerken, _Uitstroom for every
# chain stage: inflow, outflow, end-of-period stock) computed by das_stats vs the same grouping sets computed
# by DuckDB (npm @duckdb/node-api), each from its natural input:
#   das     reads chain_stage_units from the store (column chunks in SQLite) and computes   (stats_bench)
#   DuckDB  reads the same table exported as CSV (read_csv) and computes                    (duckdb_flows.mjs)
# Timed: das = store read + compute (ComputeFlowTables, FlowReport timers); DuckDB = read_csv + compute (all
# results materialised). NOT timed: the CSV export (done once, reused while newer than the store), process
# start-up, config loading, writing the cross-check files. Peak RSS: /usr/bin/time of each whole process.
# DuckDB runs with all cores (2 here) and with 1 thread; das_stats is single-threaded.
# The store is only read (das export, GetTable). The cross-check compares every non-zero cell value.
#
# Usage: bench/stats/run.sh [store] [from] [to]
#   default store bench/data/run10/das.db, years 2014..2023. The CSV goes next to the store
#   (chain_stage_units.csv; bench/data/ is gitignored) or in $OUT_DIR. Env: DAS=<das binary> (default: build it in
#   $BUILD_DIR), BUILD_DIR (default build/bench-g), REPEAT (das repetitions, fastest reported; default 1).
set -euo pipefail
cd "$(dirname "$0")/../.."
store="${1:-bench/data/run10/das.db}" from="${2:-2014}" to="${3:-2023}"
build="${BUILD_DIR:-build/bench-g}"
[ -f "$store" ] || { echo "run.sh: no store $store" >&2; exit 2; }

if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDAS_WERROR=ON >/dev/null
fi
if [ -n "${DAS:-}" ]; then
  cmake --build "$build" --target stats_bench -j2 >/dev/null
  das="$DAS"
else
  cmake --build "$build" --target stats_bench das -j2 >/dev/null
  das="$build/das"
fi
bench="$build/bench/stats/stats_bench"
(cd bench/stats && [ -d node_modules/@duckdb/node-api ] || npm install --no-audit --no-fund --silent >/dev/null)

dir="${OUT_DIR:-$(cd "$(dirname "$store")" && pwd)}"
mkdir -p "$dir"
csv="$dir/chain_stage_units.csv"
work="$dir/stats_bench"
mkdir -p "$work"
if [ ! -f "$csv" ] || [ "$store" -nt "$csv" ]; then
  /usr/bin/time -f "export (not timed in the comparison): %e s, peak RSS %M KB" \
    "$das" export table chain_stage_units --store "$store" --out "$csv"
fi
echo "input: $(stat -c %s "$csv" | awk '{printf "%.0f MB", $1/1e6}') CSV, store $(stat -c %s "$store" | awk '{printf "%.0f MB", $1/1e6}'), years $from-$to"

measure() {  # name, command...: runs it under /usr/bin/time; output in $work/name.out; prints "wall_s peak_kb"
  local name="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" || {
    cat "$work/$name.err" >&2; exit 1; }
  cat "$work/$name.time"
}

das_t=$(measure das "$bench" --store "$store" --from "$from" --to "$to" --repeat "${REPEAT:-1}" \
        --checks "$work/das_checks.tsv")
grep -v '^RESULT' "$work/das.out" | sed 's/^/das:    /'
duck_t=$(measure duckdb node bench/stats/duckdb_flows.mjs "$csv" "$from" "$to" "$work/duckdb_checks.tsv")
grep -v '^RESULT' "$work/duckdb.out" | sed 's/^/duckdb: /'
duck1_t=$(DUCKDB_THREADS=1 measure duckdb1 node bench/stats/duckdb_flows.mjs "$csv" "$from" "$to")
python3 bench/stats/compare.py "$work/das_checks.tsv" "$work/duckdb_checks.tsv"

python3 - "$work" "$das_t" "$duck_t" "$duck1_t" <<'PY'
import json, sys
work = sys.argv[1]
def result(name):
    for line in open(f"{work}/{name}.out"):
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"run.sh: no RESULT line in {work}/{name}.out")
das, duck, duck1 = result("das"), result("duckdb"), result("duckdb1")
rows = []
rows.append(("das_stats (1 thread)", "store", das["read_s"], das["compute_s"], das["total_s"], sys.argv[2]))
for name, r, t in (("DuckDB (2 threads)", duck, sys.argv[3]), ("DuckDB (1 thread)", duck1, sys.argv[4])):
    read = r["steps"]["read_csv + units"]
    rows.append((name, "CSV", read, r["seconds"] - read, r["seconds"], t))
base = rows[1][4]
print(f"das: {das['tables']} tables, {das['cells']} dense cells ({das['values']} values); "
      f"DuckDB: {duck['result_rows']} grouping-set rows; {das['units_read']} units")
print("| tool | input | read s | compute s | read+compute s | ratio vs DuckDB 2 thr | process wall s | peak RSS MB |")
print("|---|---|---|---|---|---|---|---|")
for name, inp, rd, cp, tot, t in rows:
    wall, kb = t.split()
    print(f"| {name} | {inp} | {rd:.2f} | {cp:.2f} | {tot:.2f} | {tot / base:.2f} | {float(wall):.1f} | {int(kb) / 1024:.0f} |")
print(f"compute alone, das vs DuckDB 2 threads: {rows[0][3]:.2f} s vs {rows[1][3]:.2f} s "
      f"(ratio {rows[0][3] / rows[1][3]:.2f})")
PY
