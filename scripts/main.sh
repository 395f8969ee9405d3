#!/usr/bin/env bash
# The main job: build DAS, generate the synthetic national chain, run the pipeline on it.
# Usage: scripts/main.sh [--scale F] [--from YEAR] [--to YEAR]   (defaults: scale 1, 2019-2023: five national
# years; ten years (--from 2014) work too but need ~16 GB of memory in the chain stage)
set -euo pipefail
cd "$(dirname "$0")/.."
scale=1 from=2019 to=2023
while (($#)); do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --from) from="$2"; shift 2 ;;
    --to) to="$2"; shift 2 ;;
    *) echo "main.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
scripts/bootstrap.sh release
das=build/release/das
mkdir -p out
echo "main: generating the synthetic chain ${from}-${to} at scale ${scale} into out/deliveries"
rm -rf out/deliveries
"$das" generate --out out/deliveries --from "$from" --to "$to" --scale "$scale" --seed 1
echo "main: deliveries in out/deliveries (manifest: out/deliveries/manifest.csv)"
echo "main: intake into out/das.db (receipts in out/receipts)"
rm -f out/das.db out/das.db-wal out/das.db-shm
rm -rf out/receipts
"$das" intake --store out/das.db --receipts out/receipts out/deliveries || true  # exit 1 = a delivery was rejected
"$das" store check --store out/das.db
echo "main: harmonising to one terminology (config/codelists)"
"$das" harmonise --store out/das.db
echo "main: linking records into case chains and persons"
"$das" link --store out/das.db --evaluate out/deliveries/_truth
echo "main: building the chain model (persons, cases, events, stage units)"
"$das" chain --store out/das.db
