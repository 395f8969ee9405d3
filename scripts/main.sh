#!/usr/bin/env bash
# The main job: build DAS, generate the synthetic national chain, run the whole pipeline on it (intake,
# harmonise, link, chain, statistics, disclosure control, a release) and serve the dashboard and the open-data
# API from the embedded SQLite store.
# Usage: scripts/main.sh [--scale F] [--from YEAR] [--to YEAR] [--port P] [--no-serve]
#   defaults: scale 1, 2019-2023 (five national years), port 8080. Ten years (--from 2014) need ~11 GB.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=1 from=2019 to=2023 port=8080 serve=1
while (($#)); do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --from) from="$2"; shift 2 ;;
    --to) to="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --no-serve) serve=0; shift ;;
    *) echo "main.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
scripts/bootstrap.sh release
das=build/release/das
mkdir -p out
echo "main: generating the synthetic chain ${from}-${to} at scale ${scale} into out/deliveries"
rm -rf out/deliveries out/das.db out/das.db-wal out/das.db-shm
"$das" generate --out out/deliveries --from "$from" --to "$to" --scale "$scale" --seed 1
echo "main: das run — intake, harmonise, link, chain, statistics, protection, release (store out/das.db)"
status=0
"$das" run --store out/das.db --deliveries out/deliveries --report out/run_report.json || status=$?
# Exit 1 means a delivery was rejected (the run still completed and published); anything else is a failure.
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then exit "$status"; fi
"$das" releases --store out/das.db
if [ "$serve" = 1 ]; then
  echo "main: serving the dashboard and the API (Ctrl-C stops)"
  exec "$das" serve --store out/das.db --port "$port" --web web/dist
fi
