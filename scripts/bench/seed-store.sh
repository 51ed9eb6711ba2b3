#!/usr/bin/env bash
# Seeds a store for the server benchmarks: $UNITS issued codes (default 1,000,000) of
# one batch whose chain has 20 events, in WORK/data, with the codes in
# WORK/labels/codes.txt. SEED_CACHE=DIR keeps the seeded store in DIR and copies it on
# later runs (seeding 1,000,000 codes takes about a minute; each run starts from the same store).
# Usage: scripts/bench/seed-store.sh YIMA_BIN WORK PORT
set -euo pipefail
yima=$1 work=$2 port=$3
units=${UNITS:-1000000}
export YIMA_DATA="$work/data" YIMA_LANG=en TZ=Asia/Shanghai
if [[ -n "${SEED_CACHE:-}" && -f "$SEED_CACHE/labels/codes.txt" ]]; then
  echo "== copying the seeded store from $SEED_CACHE"
  cp -a "$SEED_CACHE/data" "$SEED_CACHE/labels" "$work/"
else
  echo "== seeding $units codes and a 20-event chain in $work (this takes a while)"
  "$yima" init --demo-authority >/dev/null
  "$yima" keys generate --out "$work/coop" >/dev/null
  cat > "$work/party.json" <<JSON
{"id":"bench-coop","name":"基准测试合作社","roles":["cooperative","producer"],"credit_code":"91350100M000100Y43",
 "address":"陕西省西安市周至县","public_keys":["coop.pub"]}
JSON
  cat > "$work/product.json" <<JSON
{"gtin":"06920000000012","name":"猕猴桃","variety":"徐香","category":"fruit","certificates":[]}
JSON
  cat > "$work/batch.json" <<JSON
{"gtin":"06920000000012","lot":"BENCH-1","origin":{"division":"610124103201","place":"周一村 3 号地块","lat":"34.0812","lon":"108.3305"},
 "season":"2026","quantity":{"value":"12000","unit":"KGM"}}
JSON
  "$yima" party add --authority-key "$work/data/authority/authority.key" --file "$work/party.json" >/dev/null
  "$yima" product add --key "$work/coop.key" --file "$work/product.json" >/dev/null
  "$yima" batch create --key "$work/coop.key" --file "$work/batch.json" >/dev/null
  {
    echo "type,gtin,lot,time,data.activity,data.note"
    for day in $(seq -w 1 19); do echo "care,06920000000012,BENCH-1,2026-06-${day}T08:00:00+08:00,irrigation,第 $day 天滴灌"; done
  } > "$work/diary.csv"
  "$yima" event import --key "$work/coop.key" --csv "$work/diary.csv" >/dev/null
  # Issuance's wall time and peak memory, for the benchmarks that compare engines.
  /usr/bin/time -f "issued $units codes in %e s, peak RSS %M KB" -o "$work/issue.time" \
    "$yima" issue --batch 06920000000012/BENCH-1 --key "$work/coop.key" --count "$units" --format txt \
    --base-url "http://127.0.0.1:$port" --out "$work/labels" 2>/dev/null
  cat "$work/issue.time"
  if [[ -n "${SEED_CACHE:-}" ]]; then mkdir -p "$SEED_CACHE" && cp -a "$work/data" "$work/labels" "$SEED_CACHE/"; fi
fi
