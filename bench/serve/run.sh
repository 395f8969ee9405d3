#!/usr/bin/env bash
# HTTP benchmark of das serve vs nginx serving the same response bytes as static files (issue 6).
# Usage: bench/serve/run.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
#   BUILD_DIR defaults to build/dev; needs target serve_bench_server. wrk and nginx from Debian.
# Requests: (1) a typical filtered TypedDataSet (one municipality, the years: 10 rows), (2) a full feed page
# (10,000 rows of TypedDataSet, ~1 MB). Each is run against das serve and against nginx (same bytes, same
# Content-Type) with wrk -t2 -c64 -d60s --latency. Prints one line per run: req/s, p99, errors.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/dev}
secs=${2:-60}
conns=${3:-64}
port_das=18580
port_nginx=18581
work=$(mktemp -d /tmp/das-serve-bench.XXXXXX)
chmod 755 "$work"  # nginx workers (nobody when started as root) must read the files
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [[ -f $work/nginx.pid ]]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  sleep 0.5
  rm -rf "$work"
}
trap cleanup EXIT

"$build/bench/serve/serve_bench_server" "$port_das" 2 > "$work/das.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port_das/healthz" > /dev/null && break; sleep 0.2; done

filtered='/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$format=json&$filter=RegioS%20eq%20%27GM0034%27%20and%20substringof(%27JJ%27,Perioden)'
page='/ODataFeed/odata/DAS_OM_Regio/TypedDataSet?$format=json'
mkdir -p "$work/www"
curl -fs "http://127.0.0.1:$port_das$filtered" -o "$work/www/filtered.json"
curl -fs "http://127.0.0.1:$port_das$page" -o "$work/www/page.json"
chmod 644 "$work"/www/*.json
echo "filtered TypedDataSet: $(wc -c < "$work/www/filtered.json") bytes, $(grep -o '"ID"' "$work/www/filtered.json" | wc -l) rows"
echo "feed page:             $(wc -c < "$work/www/page.json") bytes, $(grep -o '"ID"' "$work/www/page.json" | wc -l) rows"

cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  sendfile on; tcp_nopush on; keepalive_requests 1000000;
  types { application/json json; }
  charset utf-8; charset_types application/json;
  server { listen 127.0.0.1:$port_nginx; root $work/www; etag on; }
}
NGINX
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.5
cmp <(curl -fs "http://127.0.0.1:$port_nginx/page.json") "$work/www/page.json"

run() {  # name url
  local out
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$2")
  local rps p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  p99=$(awk '$1 == "99%" {print $2}' <<< "$out")
  errs=$(awk '/Socket errors|Non-2xx/ {print}' <<< "$out" | tr '\n' ' ')
  printf '%-28s req/s %10s  p99 %8s  errors: %s\n' "$1" "$rps" "$p99" "${errs:-none}"
}
run "das filtered TypedDataSet" "http://127.0.0.1:$port_das$filtered"
run "nginx filtered (same bytes)" "http://127.0.0.1:$port_nginx/filtered.json"
run "das feed page (10k rows)" "http://127.0.0.1:$port_das$page"
run "nginx feed page (same bytes)" "http://127.0.0.1:$port_nginx/page.json"
