#!/usr/bin/env bash
# End to end against the real server: a small synthetic chain -> `das run` (a release) -> `das serve` with the
# built dashboard -> (1) HTTP checks of the API with curl, (2) a generic npm OData v4 client reads a table
# (tests/e2e/odata_v4_client.test.mjs), (3) the dashboard tests in Debian chromium
# (tests/e2e/dashboard.test.mjs: every page renders, axe-core zero violations, keyboard, permalinks, numbers
# equal the API's). Screenshots go to tests/e2e/artifacts/.
# Usage: tests/e2e/run.sh path/to/das          (needs node/npm and /usr/bin/chromium; scripts/bootstrap.sh installs them)
set -euo pipefail
das="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The dashboard build (web/dist) — npm packages from the registry, pinned by package-lock.json.
if [ ! -f "$repo/web/dist/index.html" ] || [ "${DAS_E2E_REBUILD_WEB:-1}" = 1 ]; then
  (cd "$repo/web" && npm install --no-audit --no-fund --loglevel=error && npm run build --silent) >"$work/web_build.log" 2>&1 ||
    { cat "$work/web_build.log"; echo "e2e: web build failed"; exit 1; }
fi

"$das" generate --out "$work/d" --from 2021 --to 2023 --scale 0.02 --seed 7 >/dev/null
"$das" run --store "$work/s.db" --deliveries "$work/d" --config "$repo/config" >"$work/run.log" 2>&1 ||
  { cat "$work/run.log"; echo "e2e: das run failed"; exit 1; }
release=$(sed -n 's/^run: release \([^ ]*\).*/\1/p' "$work/run.log")
[ -n "$release" ] || { cat "$work/run.log"; echo "e2e: no release"; exit 1; }

"$das" serve --store "$work/s.db" --port 0 --web "$repo/web/dist" --config "$repo/config" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  url=$(sed -n 's/.* at \(http:[^ ]*\)\/ .*/\1/p' "$work/serve.log")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "${url:-}" ] || { cat "$work/serve.log"; echo "e2e: das serve did not start"; exit 1; }
echo "e2e: release $release served at $url"

# (1) The API over real HTTP.
code() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }
[ "$(code "$url/healthz")" = 200 ] || { echo "healthz failed"; exit 1; }
[ "$(code "$url/ODataApi/odata/DAS_OM_Regio/")" = 200 ] && grep -q '"TypedDataSet"' "$work/body" ||
  { echo "v3 service document"; cat "$work/body"; exit 1; }
# The padded key of NL01 as the code list gives it (CBS pads keys to the longest key of the dimension).
[ "$(code "$url/ODataApi/odata/DAS_OM_Regio/RegioS?\$format=json")" = 200 ] || { echo "v3 RegioS code list"; exit 1; }
nl=$(python3 -c "import json,sys,urllib.parse; k=[r['Key'] for r in json.load(open(sys.argv[1]))['value'] if r['Key'].strip()=='NL01'][0]; assert k!='NL01', 'key not padded'; print(urllib.parse.quote(k))" "$work/body")
[ "$(code "$url/ODataApi/odata/DAS_OM_Regio/TypedDataSet?\$filter=RegioS%20eq%20'$nl'%20and%20substringof('JJ',Perioden)&\$format=json")" = 200 ] ||
  { echo "v3 filtered TypedDataSet"; cat "$work/body"; exit 1; }
python3 - "$work/body" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["value"]
assert rows and all(r["Perioden"].endswith("JJ00") and r["RegioS"].strip() == "NL01" for r in rows), rows[:2]
assert all(isinstance(r["Instroom_1"], (int, float)) or r["Instroom_1"] is None for r in rows)
print(f"e2e: v3 $filter on padded key + substringof: {len(rows)} rows")
PY
[ "$(code "$url/ODataApi/odata/DAS_OM_Regio/TypedDataSet?\$filter=RegioS%20eq")" = 400 ] && grep -q '"odata.error"' "$work/body" ||
  { echo "malformed \$filter must give a 400 OData error"; cat "$work/body"; exit 1; }
[ "$(code "$url/ODataApi/odata/NoSuchTable/")" = 404 ] || { echo "unknown table must give 404"; exit 1; }
[ "$(code "$url/odata/v1/DAS/DAS_OM_Regio/Observations?\$top=3")" = 200 ] && grep -q '"Measure"' "$work/body" ||
  { echo "v4 Observations"; cat "$work/body"; exit 1; }
etag=$(curl -sI "$url/ODataApi/odata/DAS_OM_Regio/DataProperties" | sed -n 's/^[Ee][Tt]ag: *//p' | tr -d '\r')
[ -n "$etag" ] && [ "$(code -H "If-None-Match: $etag" "$url/ODataApi/odata/DAS_OM_Regio/DataProperties")" = 304 ] ||
  { echo "ETag / 304"; exit 1; }
[ "$(code "$url/download/DAS_OM_Regio.csv")" = 200 ] && head -1 "$work/body" | grep -q '^Perioden,RegioS,' ||
  { echo "CSV download"; head -3 "$work/body"; exit 1; }
[ "$(code "$url/api/releases")" = 200 ] && grep -q "$release" "$work/body" || { echo "/api/releases"; exit 1; }
for p in "/../../etc/passwd" "/%2e%2e/%2e%2e/etc/passwd" "/assets/..%2f..%2f..%2fetc/passwd"; do
  code --path-as-is "$url$p" >/dev/null
  if grep -q "root:" "$work/body"; then echo "path $p escaped the web root"; exit 1; fi
done
echo "e2e: API checks passed"

# (2) A generic npm OData v4 client (ts-odatajs, Apache Olingo) lists and reads a table.
cd "$here"
npm install --no-audit --no-fund --loglevel=error >/dev/null
DAS_URL="$url" node --test odata_v4_client.test.mjs

# (3) The dashboard in chromium.
DAS_URL="$url" npm test
