#!/usr/bin/env bash
# Regenerates this folder's vector: a store with one cooperative, a product, a batch,
# a planting event and one issued code; then `yima bundle` of that code. Only public
# keys are kept (trust/); the private keys die with the temporary folder.
#   usage: docs/test-vectors/bundle-v1/make.sh [path/to/yima]
set -Eeuo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
yima=${1:-yima}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export YIMA_LANG=en
data="$work/data"
"$yima" init --data "$data" --demo-authority >/dev/null
"$yima" keys generate --out "$work/coop" >/dev/null
cat >"$work/party.json" <<JSON
{"id":"zhouzhi-kiwi-coop","name":"周至县猕猴桃专业合作社","roles":["cooperative","producer"],
 "credit_code":"93610124MA6TQ3KX0C","address":"陕西省西安市周至县楼观镇周一村","public_keys":["coop.pub"]}
JSON
"$yima" party add --data "$data" --authority-key "$data/authority/authority.key" --file "$work/party.json" >/dev/null
echo '{"gtin":"02961012400074","name":"周至猕猴桃","variety":"徐香","category":"fruit","certificates":[]}' >"$work/product.json"
"$yima" product add --data "$data" --key "$work/coop.key" --file "$work/product.json" >/dev/null
cat >"$work/batch.json" <<JSON
{"gtin":"02961012400074","lot":"2026-KIWI-07","season":"2026","quantity":{"unit":"KGM","value":"12000"},
 "origin":{"division":"610124103201","lat":"34.0812","lon":"108.3305","place":"楼观镇周一村 3 号地块"}}
JSON
"$yima" batch create --data "$data" --key "$work/coop.key" --file "$work/batch.json" >/dev/null
cat >"$work/planting.json" <<JSON
{"type":"planting","batch":{"gtin":"02961012400074","lot":"2026-KIWI-07"},"time":"2026-03-10T08:00:00+08:00",
 "data":{"method":"嫁接苗定植","note":"徐香，株行距 3×4 米"}}
JSON
"$yima" event record --data "$data" --key "$work/coop.key" --file "$work/planting.json" >/dev/null
"$yima" issue --data "$data" --batch 02961012400074/2026-KIWI-07 --key "$work/coop.key" --count 1 \
  --base-url https://trace.example.cn --format txt --out "$work/labels" >/dev/null
mkdir -p "$here/trust"
cp "$data/authority/authority.pub" "$here/trust/authority.pub"
"$yima" log verifier --data "$data" >"$here/trust/log.vkey"
"$yima" bundle "$(head -1 "$work/labels/codes.txt")" --data "$data" >"$here/unit.bundle"
"$yima" verify --bundle "$here/unit.bundle" --trust "$here/trust"
