#!/usr/bin/env bash
# Lookup-server benchmark (issue 4): on a store of $UNITS issued codes (default
# 1,000,000) whose batch has a 20-event chain, JSON and HTML lookups of random codes
# with scan counting on, at 64 connections, measured with wrk in the same run as
# nginx serving the same JSON as a static file. Loopback only; every loop is bounded.
# A third server, `yima-bench http-ceiling`, is Hummingbird answering the same JSON from
# memory: the framework's own rate for this body, the most a lookup built on it can do.
# Interleaved (docs/benchmarks.md §Method): PAIRS rounds (default 3), each measuring the
# four servers back to back in a rotated order; every ratio is the median of the
# per-round ratios, with the smallest and largest.
# Usage: scripts/bench-server.sh [YIMA_BIN]   (make bench-server; yima-bench next to YIMA_BIN)
set -euo pipefail
yima=${1:-.build/release/yima}
units=${UNITS:-1000000}
duration=${DURATION:-10s}
pairs=${PAIRS:-3}
connections=${CONNECTIONS:-64}
work=$(mktemp -d /tmp/yima-bench-server.XXXXXX)
ceiling_bin=$(dirname "$yima")/yima-bench
port=18080 nginx_port=18081 ceiling_port=18082
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "installing wrk nginx curl" >&2; apt-get install -y -qq wrk nginx-light curl >/dev/null; break; }
done

export YIMA_DATA="$work/data" YIMA_LANG=en TZ=Asia/Shanghai
"$(dirname "$0")/bench/seed-store.sh" "$yima" "$work" "$port"
shuf -n 100000 "$work/labels/codes.txt" | sed -E 's|^https?://[^/]+||' > "$work/paths.txt"

echo "== starting yima serve and nginx on loopback"
"$yima" serve --host 127.0.0.1 --port "$port" --log-level warning >"$work/serve.log" 2>&1 &
server=$!
pids+=($server)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
first=$(head -1 "$work/paths.txt")
mkdir -p "$work/www" "$work/nginx"
curl -sf -H 'Accept: application/json' "http://127.0.0.1:$port$first" > "$work/www/chain.json"
curl -sf -H 'Accept: text/html' "http://127.0.0.1:$port$first" > "$work/www/page.html"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/json json; text/html html; }
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' &
pids+=($!)
"$ceiling_bin" http-ceiling "$work/www/chain.json" "$ceiling_port" >"$work/ceiling.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$ceiling_port/x" >/dev/null && break; sleep 0.2; done

# wrk's summary as "rps p50_ms p99_ms".
measure() { # URL [extra wrk args...]
  local url=$1; shift
  wrk -t2 -c"$connections" -d"$duration" --latency "$@" "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }'
}

echo "== measuring: $pairs rounds of 4 × $duration ($connections connections, 2 wrk threads), order rotated each round"
names=(nginx ceiling json html)
declare -A results
for round in $(seq 1 "$pairs"); do
  for turn in 0 1 2 3; do
    name=${names[$(( (turn + round - 1) % 4 ))]}
    case $name in
      nginx) results[$name,$round]=$(measure "http://127.0.0.1:$nginx_port/chain.json") ;;
      ceiling) results[$name,$round]=$(measure "http://127.0.0.1:$ceiling_port/chain.json") ;;
      json) results[$name,$round]=$(CODES="$work/paths.txt" ACCEPT=application/json measure "http://127.0.0.1:$port" -s scripts/bench/random-code.lua) ;;
      html) results[$name,$round]=$(CODES="$work/paths.txt" ACCEPT=text/html measure "http://127.0.0.1:$port" -s scripts/bench/random-code.lua) ;;
    esac
  done
  echo "   round $round: nginx ${results[nginx,$round]%% *}/s, ceiling ${results[ceiling,$round]%% *}/s, json ${results[json,$round]%% *}/s, html ${results[html,$round]%% *}/s"
done
# PERF_OUT=FILE profiles the server (perf record -g) during one more JSON run.
if [[ -n "${PERF_OUT:-}" ]]; then
  (sleep 2; perf record -q -F 499 -g -p "$server" -o "$PERF_OUT" -- sleep 10 >/dev/null 2>&1) &
  CODES="$work/paths.txt" ACCEPT=application/json measure "http://127.0.0.1:$port" -s scripts/bench/random-code.lua >/dev/null
fi
# column N (1 rps, 2 p50, 3 p99) of NAME over the rounds, one per line.
column() { for round in $(seq 1 "$pairs"); do echo "${results[$1,$round]}" | cut -d' ' -f"$2"; done; }
med() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# "median% (min–max%)" of the per-round ratios A/B.
paired() {
  for round in $(seq 1 "$pairs"); do
    awk -v a="$(echo "${results[$1,$round]}" | cut -d' ' -f1)" -v b="$(echo "${results[$2,$round]}" | cut -d' ' -f1)" 'BEGIN { print 100 * a / b }'
  done | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f%% (%.1f–%.1f%%)", v[int((NR + 1) / 2)], v[1], v[NR] }'
}
paired_median() {
  for round in $(seq 1 "$pairs"); do
    awk -v a="$(echo "${results[$1,$round]}" | cut -d' ' -f1)" -v b="$(echo "${results[$2,$round]}" | cut -d' ' -f1)" 'BEGIN { print a / b }'
  done | med
}
for name in "${names[@]}"; do
  read -r "${name}_rps" < <(column "$name" 1 | med)
  read -r "${name}_p50" < <(column "$name" 2 | med)
  read -r "${name}_p99" < <(column "$name" 3 | med)
done
# The server must have lived through the load (a silent exit was once reported).
if ! kill -0 "$server" 2>/dev/null; then
  wait "$server"; status=$?
  echo "yima serve exited during the run with status $status; its output:" >&2
  tail -20 "$work/serve.log" >&2
  exit 1
fi
scans=$(curl -sf "http://127.0.0.1:$port/metrics" | awk '/^yima_scans_written_total/ { s += $2 } END { print s + 0 }')

verdict() { awk -v r="$(paired_median "$1" "$2")" -v g="$3" 'BEGIN { print (r >= g ? "OK" : "BELOW GOAL") }'; }
json_size=$(stat -c %s "$work/www/chain.json"); html_size=$(stat -c %s "$work/www/page.html")
cat <<REPORT

lookup server on $units codes, 20-event chain, random codes, scan counting on; medians of $pairs rounds,
ratios the median of the per-round ratios (min–max):
| what                          |   req/s |  p50 ms |  p99 ms | vs nginx | vs Hummingbird | goal |
| nginx, static JSON ($json_size B) | $nginx_rps | $nginx_p50 | $nginx_p99 | 100% | | reference |
| Hummingbird, same JSON from memory | $ceiling_rps | $ceiling_p50 | $ceiling_p99 | $(paired ceiling nginx) | 100% | framework ceiling |
| yima JSON lookup              | $json_rps | $json_p50 | $json_p99 | $(paired json nginx) | $(paired json ceiling) | ≥ 50%, p99 < 10 ms: $(verdict json nginx 0.5), p99 $(awk -v p="$json_p99" 'BEGIN { print (p < 10 ? "OK" : "BELOW GOAL") }') |
| yima HTML page ($html_size B) | $html_rps | $html_p50 | $html_p99 | $(paired html nginx) | $(paired html ceiling) | ≥ 30%: $(verdict html nginx 0.3) |
scans counted (metrics): $scans
REPORT
