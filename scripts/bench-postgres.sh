#!/usr/bin/env bash
# PostgreSQL benchmark (issue 13), with the `yima` binary alone: the store of
# bench-server.sh ($UNITS codes, default 1,000,000, one batch with a 20-event chain)
# seeded once into SQLite and once into a durable PostgreSQL cluster (fsync on, on
# loopback); the issuance of each is timed with its peak memory. Then, ROUNDS times
# (default 3), in turn:
#   A  JSON lookups of random codes on one server on SQLite
#   B  the same on one server on PostgreSQL
#   C  the same on two servers on PostgreSQL, each loaded by its own wrk with half the connections
#   E  $EVENTS events (default 2,000) recorded into a new batch of each engine (`yima event import`,
#      every row checked and stored in one transaction)
# Scan counting is on throughout. Prints one line per measurement; docs/benchmarks.md
# reports medians with min and max.
# Usage: scripts/bench-postgres.sh [YIMA_BIN]
set -euo pipefail
yima=${1:-.build/release/yima}
duration=${DURATION:-15s}
connections=${CONNECTIONS:-64}
rounds=${ROUNDS:-3}
events=${EVENTS:-2000}
work=$(mktemp -d /tmp/yima-bench-pg.XXXXXX)
chmod 755 "$work"   # the cluster inside runs as `postgres`
scripts=$(cd "$(dirname "$0")" && pwd)
sqlite_port=18090 pg_port=18091 pg2_port=18092
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "$scripts/pg-cluster.sh" stop "$work/cluster" || true
  rm -rf "$work"
}
trap cleanup EXIT
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
export YIMA_LANG=en TZ=Asia/Shanghai

echo "== a durable PostgreSQL cluster (fsync on)"
DURABLE=1 "$scripts/pg-cluster.sh" create "$work/cluster"
"$scripts/pg-cluster.sh" start "$work/cluster"
admin=$("$scripts/pg-cluster.sh" url "$work/cluster")
psql -X -q -d "$admin" -c "CREATE DATABASE yima"
url=${admin/\/postgres\?/\/yima?}

echo "== seeding SQLite"
mkdir -p "$work/sqlite" "$work/pg"
"$scripts/bench/seed-store.sh" "$yima" "$work/sqlite" "$sqlite_port"
echo "== seeding PostgreSQL"
YIMA_DATABASE=$url SEED_CACHE="" "$scripts/bench/seed-store.sh" "$yima" "$work/pg" "$pg_port"

serve() { # FOLDER PORT [args...]
  local folder=$1 port=$2; shift 2
  "$yima" serve --data "$folder/data" --host 127.0.0.1 --port "$port" --log-level warning "$@" >"$work/serve-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.2; done
  echo "yima serve on $port did not start:" >&2; cat "$work/serve-$port.log" >&2; exit 1
}
serve "$work/sqlite" "$sqlite_port"
serve "$work/pg" "$pg_port" --database "$url"
serve "$work/pg" "$pg2_port" --database "$url"
for engine in sqlite pg; do
  shuf -n 100000 "$work/$engine/labels/codes.txt" | sed -E 's|^https?://[^/]+||' > "$work/$engine/paths.txt"
done

# wrk's summary as "rps p99_ms".
measure() { # PATHS CONNECTIONS URL
  CODES="$1" ACCEPT=application/json wrk -t1 -c"$2" -d"$duration" --latency -s "$scripts/bench/random-code.lua" "$3" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = ms($2) }
    END { printf "%.0f %.2f\n", rps, p99 }'
}
# The first lookups of a batch read its units into the server's index: not measured.
for port in $sqlite_port $pg_port $pg2_port; do
  engine=$([ "$port" = "$sqlite_port" ] && echo sqlite || echo pg)
  curl -sf -o /dev/null -H 'Accept: application/json' "http://127.0.0.1:$port$(head -1 "$work/$engine/paths.txt")"
done

# EVENTS care events for a new batch LOT of FOLDER's store, dated in the past, in one CSV.
record_events() { # FOLDER LOT [env...]
  local folder=$1 lot=$2; shift 2
  sed "s/BENCH-1/$lot/" "$folder/batch.json" > "$folder/batch-$lot.json"
  env "$@" YIMA_DATA="$folder/data" "$yima" batch create --key "$folder/coop.key" --file "$folder/batch-$lot.json" >/dev/null
  { echo "type,gtin,lot,time,data.activity,data.note"
    for i in $(seq "$events"); do
      printf 'care,06920000000012,%s,%s,irrigation,第 %d 次滴灌\n' "$lot" "$(date -d "@$((1780000000 + i * 60))" +%Y-%m-%dT%H:%M:%S+08:00)" "$i"
    done; } > "$folder/events-$lot.csv"
  local start end
  start=$(date +%s.%N)
  env "$@" YIMA_DATA="$folder/data" "$yima" event import --key "$folder/coop.key" --csv "$folder/events-$lot.csv" >/dev/null
  end=$(date +%s.%N)
  awk -v n="$events" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f events/s (%.2f s)", n / (e - s), e - s }'
}

echo "== $rounds rounds: lookups $duration each at $connections connections, then $events events into each engine"
for round in $(seq "$rounds"); do
  read -r a_rps a_p99 < <(measure "$work/sqlite/paths.txt" "$connections" "http://127.0.0.1:$sqlite_port")
  read -r b_rps b_p99 < <(measure "$work/pg/paths.txt" "$connections" "http://127.0.0.1:$pg_port")
  measure "$work/pg/paths.txt" $((connections / 2)) "http://127.0.0.1:$pg_port" > "$work/c1" &
  first=$!
  measure "$work/pg/paths.txt" $((connections / 2)) "http://127.0.0.1:$pg2_port" > "$work/c2"
  wait "$first"
  read -r c1_rps c1_p99 < "$work/c1"; read -r c2_rps c2_p99 < "$work/c2"
  c_p99=$(awk -v a="$c1_p99" -v b="$c2_p99" 'BEGIN { print (a > b ? a : b) }')
  echo "round $round lookups: A sqlite $a_rps/s p99 $a_p99 ms | B postgres $b_rps/s p99 $b_p99 ms | C 2×postgres $((c1_rps + c2_rps))/s p99 $c_p99 ms"
  echo "round $round events: sqlite $(record_events "$work/sqlite" "EV-S$round") | postgres $(record_events "$work/pg" "EV-P$round" YIMA_DATABASE="$url")"
done
for pid in "${pids[@]}"; do kill -0 "$pid" || { echo "a server died during the run" >&2; exit 1; }; done
echo "scans stored: SQLite $(sqlite3 "$work/sqlite/data/yima.sqlite" "SELECT SUM(count) FROM scans"), PostgreSQL $(psql -X -A -t -d "$url" -c "SELECT SUM(count) FROM scans") (flushed every 250 ms; a few may be pending)"
