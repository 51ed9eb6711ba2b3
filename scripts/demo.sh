#!/usr/bin/env bash
# Seeds a demo county dataset (demo-data/: 四川省阿坝州茂县, season 2026) into a fresh
# Yima store and shows what the system does with it:
#   - a county authority registers five parties, each with its own key
#     (Ed25519, SM2 and P-256 mixed);
#   - a highland cooperative's apples, Sichuan pepper and walnuts and a processor's
#     dried sweet potato: products, batches and a season of signed events
#     (the apple field diary is imported from a CSV spreadsheet);
#   - the rules reject a banned pesticide and a harvest inside a safety interval;
#   - signed unit codes with QR labels, cartons and a pallet (SSCC), shipping by a
#     cold-chain carrier, receiving and selling at the county market;
#   - every unit's chain re-verified, codes verified offline against a trust
#     folder, and a forged code caught (exit 10);
#   - a 承诺达标合格证 with its QR label, a recall of the walnuts traced through
#     their carton, a signed trust list that flags the recalled codes offline
#     (exit 16), and the regulator's report.
#
# Usage: scripts/demo.sh [DIR] [YIMA_BIN]   (default: demo, yima; `make demo` passes both)
# DIR is removed first, so the script can run again and again. Any unexpected
# failure stops it with a non-zero status.
set -Eeuo pipefail
dir=${1:-demo}
yima=${2:-yima}
export YIMA_LANG=${YIMA_LANG:-zh}
base=${YIMA_BASE_URL:-http://127.0.0.1:8080}
seed="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/demo-data"

case "$dir" in
  "" | / | . | .. | "$HOME") echo "demo.sh: refusing to use '$dir' as the demo folder (it is removed first)" >&2; exit 64 ;;
esac
trap 'echo "!! demo.sh: unexpected failure (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

data="$dir/data"          # the Yima store, and the demo authority key in data/authority/
keys="$dir/keys"          # each party's key pair
drafts="$dir/drafts"      # a copy of demo-data/ (party files name ../../keys/*.pub) and generated drafts
labels="$dir/labels"      # codes.txt and QR labels, one folder per batch

rm -rf "$dir"
mkdir -p "$keys" "$dir/trust"
cp -R "$seed" "$drafts"
mkdir -p "$drafts/generated"

step() { printf '\n== %s\n' "$*"; }
indent() { sed 's/^/   /'; }
# Now, as event times are written (China Standard Time).
now() { TZ=Asia/Shanghai date +%Y-%m-%dT%H:%M:%S%:z; }
# A string member of a JSON draft (the drafts keep one member per line).
member() { sed -nE "s/^ *\"$2\": *\"([^\"]*)\".*/\1/p" "$1" | head -1; }
# ["a","b",...]
json_list() { local IFS=,; local quoted=("${@/#/\"}"); quoted=("${quoted[@]/%/\"}"); printf '[%s]' "${quoted[*]}"; }
serials() { sed -E 's|.*/21/([^?]+)\?.*|\1|' "$labels/$1/codes.txt"; }

record() { # SIGNER FILE
  "$yima" event record --data "$data" --key "$keys/$1.key" --file "$2" | indent
}

# Runs a command that the rules must refuse; prints the refusal. Stops the demo if
# the command succeeds or fails for another reason than PATTERN.
expect_rejection() { # LABEL PATTERN COMMAND...
  local label=$1 pattern=$2 output status
  shift 2
  echo "-- 预期失败 / EXPECTED FAILURE: $label"
  status=0
  output=$("$@" 2>&1) || status=$?
  printf '%s\n' "$output" | sed 's/^/   | /'
  if [ "$status" -eq 0 ]; then
    echo "!! demo.sh: this should have been rejected, but it was stored" >&2
    exit 1
  fi
  if [ "$status" -ne 3 ]; then
    echo "!! demo.sh: expected a rule refusal (exit status 3), got $status" >&2
    exit 1
  fi
  if ! grep -Eq -- "$pattern" <<<"$output"; then
    echo "!! demo.sh: rejected, but not for the expected reason ($pattern)" >&2
    exit 1
  fi
  echo "-- 已按预期拒绝，未写入任何记录 / rejected as expected (exit $status), nothing stored"
}

# Records a batch's JSON drafts in file order. Files are named NN-SIGNER-WHAT.json;
# WHAT starting with "reject-" marks an attempt the rules must refuse.
record_events() { # FOLDER
  local file name signer what
  for file in "$drafts/events/$1"/*.json; do
    name=$(basename "$file" .json)
    signer=${name#*-}
    signer=${signer%%-*}
    what=${name#*-*-}
    case $what in
      reject-banned-pesticide)
        expect_rejection "使用违禁农药（甲胺磷） / a banned pesticide (methamidophos)" '禁止使用|banned' \
          "$yima" event record --data "$data" --key "$keys/$signer.key" --file "$file" ;;
      reject-safety-interval)
        expect_rejection "安全间隔期内采收 / a harvest inside the safety interval" '安全间隔期|safety interval' \
          "$yima" event record --data "$data" --key "$keys/$signer.key" --file "$file" ;;
      reject-*)
        echo "demo.sh: no expectation for $file" >&2; exit 1 ;;
      *)
        record "$signer" "$file" ;;
    esac
  done
}

# Writes an event draft timed now and records it. Events after unit issuance are
# timed at run time: `yima issue` signs its unit_issuance event with the current
# clock, and no later event of the batch may be earlier than that.
record_now() { # SIGNER NAME GTIN LOT TYPE DATA-JSON
  local file="$drafts/generated/$2.json"
  printf '{"type":"%s","batch":{"gtin":"%s","lot":"%s"},"time":"%s","data":%s}\n' "$5" "$3" "$4" "$(now)" "$6" >"$file"
  record "$1" "$file"
}

# Party ids (as in demo-data/parties/).
coop=$(member "$drafts/parties/cooperative.json" id)
processor=$(member "$drafts/parties/processor.json" id)
carrier=$(member "$drafts/parties/carrier.json" id)
market=$(member "$drafts/parties/market.json" id)
# Batches: GTIN and lot of each (demo-data/batches/).
declare -A gtin lot owner
for product in apples pepper walnuts sweet-potato; do
  gtin[$product]=$(member "$drafts/batches/$product.json" gtin)
  lot[$product]=$(member "$drafts/batches/$product.json" lot)
  owner[$product]=cooperative
done
owner[sweet-potato]=processor
# SSCCs (GS1 AI 00: extension digit 3, placeholder company prefix 6920000, serial reference, check digit).
carton_apples_1=369200001000000010
carton_apples_2=369200001000000027
pallet_apples=369200001000000034
carton_pepper=369200001000000041
carton_walnuts=369200001000000058
carton_sweet_potato=369200001000000065

step "1. 数据目录与县级监管部门密钥 / data folder and the county authority's key"
"$yima" init --data "$data" --demo-authority --alg sm2 | indent

step "2. 各主体的签名密钥 / each party's signing key"
for party in cooperative:ed25519 processor:sm2 laboratory:p256 carrier:ed25519 market:sm2; do
  "$yima" keys generate --alg "${party#*:}" --out "$keys/${party%%:*}" | indent
done
# Verifiers trust the keys that sign unit codes: the cooperative's and the processor's.
cp "$keys/cooperative.pub" "$keys/processor.pub" "$dir/trust/"

step "3. 监管部门登记主体 / the authority registers the parties"
for party in cooperative processor laboratory carrier market; do
  "$yima" party add --data "$data" --authority-key "$data/authority/authority.key" \
    --file "$drafts/parties/$party.json" | indent
done

step "4. 商品与批次 / products and batches"
for product in apples pepper walnuts sweet-potato; do
  "$yima" product add --data "$data" --key "$keys/${owner[$product]}.key" --file "$drafts/products/$product.json" | indent
  "$yima" batch create --data "$data" --key "$keys/${owner[$product]}.key" --file "$drafts/batches/$product.json" | indent
done

step "5. 生产记录 / the 2026 season"
echo "-- 苹果：合作社田间记录表（CSV）导入 / apples: the cooperative's field diary, imported from CSV"
"$yima" event import --data "$data" --key "$keys/cooperative.key" --csv "$drafts/events/apples/field-diary.csv" | indent
echo "-- 苹果：检测报告 / apples: the laboratory's report"
record_events apples
echo "-- 花椒 / Sichuan pepper"
record_events pepper
echo "-- 核桃（含两次被规则拒绝的尝试） / walnuts (with two attempts the rules refuse)"
record_events walnuts
echo "-- 红薯干（加工企业） / dried sweet potato (the processor)"
record_events sweet-potato

step "6. 签发一物一码并打印标签 / issue unit codes with QR labels"
declare -A count=([apples]=12 [pepper]=6 [walnuts]=6 [sweet-potato]=8)
for product in apples pepper walnuts sweet-potato; do
  # The unit_issuance event is stamped with the clock in the machine's time zone.
  TZ=Asia/Shanghai "$yima" issue --data "$data" --key "$keys/${owner[$product]}.key" --batch "${gtin[$product]}/${lot[$product]}" \
    --count "${count[$product]}" --format txt,svg,png --base-url "$base" --out "$labels/$product" | indent
  # Print-ready labels from templates/labels (docs/labels.md): a PDF page per 40×30 mm label.
  "$yima" labels --data "$data" --batch "${gtin[$product]}/${lot[$product]}" --template 40x30 --format pdf \
    --base-url "$base" --out "$dir/print/$product" | indent
done

step "7. 装箱、冷链运输、市场收货与销售 / packing, cold-chain shipping, receiving, selling"
mapfile -t apple_units < <(serials apples)
mapfile -t pepper_units < <(serials pepper)
mapfile -t walnut_units < <(serials walnuts)
mapfile -t sweet_potato_units < <(serials sweet-potato)

shipping() { # FROM SSCCS-JSON [UNITS-JSON]
  printf '{"from":"%s","to":"%s","carrier":"%s","sscc":%s%s}' "$1" "$market" "$carrier" "$2" "${3:+,\"units\":$3}"
}
receiving() { # FROM SSCCS-JSON [UNITS-JSON]
  printf '{"from":"%s","sscc":%s%s}' "$1" "$2" "${3:+,\"units\":$3}"
}
selling() { # PIECES
  printf '{"location":"凤仪农贸市场 A 区 12 号摊位","quantity":{"unit":"H87","value":"%s"}}' "$1"
}

g=${gtin[apples]} l=${lot[apples]}
# Printing the first carton's label records its packing event at the same time.
TZ=Asia/Shanghai "$yima" labels container --data "$data" --batch "$g/$l" --sscc "$carton_apples_1" \
  --units "$(IFS=,; echo "${apple_units[*]:0:6}")" --key "$keys/cooperative.key" \
  --template carton-100x70 --format pdf --base-url "$base" --out "$dir/print/carton-$carton_apples_1" | indent
record_now cooperative apples-pack-2 "$g" "$l" packing \
  "{\"sscc\":\"$carton_apples_2\",\"units\":$(json_list "${apple_units[@]:6:6}")}"
record_now cooperative apples-pallet "$g" "$l" packing \
  "{\"sscc\":\"$pallet_apples\",\"cartons\":$(json_list "$carton_apples_1" "$carton_apples_2")}"
"$yima" labels container --data "$data" --batch "$g/$l" --sscc "$pallet_apples" \
  --template pallet-100x150 --format zpl --base-url "$base" --out "$dir/print/pallet-$pallet_apples" | indent
record_now carrier apples-ship "$g" "$l" shipping "$(shipping "$coop" "$(json_list "$pallet_apples")")"
record_now carrier apples-reefer "$g" "$l" storing \
  '{"location":"冷藏车 川U·C2716","temperature":"1.5","note":"全程冷链，温度记录仪 2 分钟一次"}'
record_now market apples-receive "$g" "$l" receiving "$(receiving "$coop" "$(json_list "$pallet_apples")")"
record_now market apples-sell "$g" "$l" retail_selling "$(selling 3)"

g=${gtin[pepper]} l=${lot[pepper]}
record_now cooperative pepper-pack "$g" "$l" packing \
  "{\"sscc\":\"$carton_pepper\",\"units\":$(json_list "${pepper_units[@]:0:4}")}"
record_now carrier pepper-ship "$g" "$l" shipping \
  "$(shipping "$coop" "$(json_list "$carton_pepper")" "$(json_list "${pepper_units[@]:4}")")"
record_now market pepper-receive "$g" "$l" receiving \
  "$(receiving "$coop" "$(json_list "$carton_pepper")" "$(json_list "${pepper_units[@]:4}")")"
record_now market pepper-sell "$g" "$l" retail_selling "$(selling 2)"

g=${gtin[walnuts]} l=${lot[walnuts]}
record_now cooperative walnuts-pack "$g" "$l" packing \
  "{\"sscc\":\"$carton_walnuts\",\"units\":$(json_list "${walnut_units[@]}")}"
record_now carrier walnuts-ship "$g" "$l" shipping "$(shipping "$coop" "$(json_list "$carton_walnuts")")"
record_now market walnuts-receive "$g" "$l" receiving "$(receiving "$coop" "$(json_list "$carton_walnuts")")"
record_now market walnuts-sell "$g" "$l" retail_selling "$(selling 2)"

g=${gtin[sweet-potato]} l=${lot[sweet-potato]}
record_now processor sweet-potato-pack "$g" "$l" packing \
  "{\"sscc\":\"$carton_sweet_potato\",\"units\":$(json_list "${sweet_potato_units[@]}")}"
record_now carrier sweet-potato-ship "$g" "$l" shipping "$(shipping "$processor" "$(json_list "$carton_sweet_potato")")"
record_now market sweet-potato-receive "$g" "$l" receiving "$(receiving "$processor" "$(json_list "$carton_sweet_potato")")"
record_now market sweet-potato-sell "$g" "$l" retail_selling "$(selling 5)"

step "8. 追溯链：每种商品一个单品，重新校验全部签名与哈希链 / one unit of each product: its chain, every signature and hash link re-checked"
for product in apples pepper walnuts sweet-potato; do
  code=$(head -1 "$labels/$product/codes.txt")
  echo "-- $product: $code"
  "$yima" chain --data "$data" --verify "$code" | indent
done

step "9. 离线验码 / verify every code offline against the trust folder"
cat "$labels"/*/codes.txt >"$dir/all-codes.txt"
output=$("$yima" verify --trust "$dir/trust" --file "$dir/all-codes.txt")
{ head -4 <<<"$output"; echo "…"; tail -1 <<<"$output"; } | indent

step "10. 篡改批号的码会被识破 / a code with its lot changed is caught"
first=$(head -1 "$labels/apples/codes.txt")
forged=${first/\/10\/${lot[apples]}\//\/10\/${lot[apples]%?}9\/}
[ "$forged" != "$first" ] || { echo "demo.sh: could not make a forged code from $first" >&2; exit 1; }
status=0
output=$("$yima" verify --trust "$dir/trust" "$forged") || status=$?
printf '%s\n' "$output" | indent
if [ "$status" -ne 10 ]; then
  echo "!! demo.sh: the forged code should give exit status 10, got $status" >&2
  exit 1
fi
echo "-- 预期结果 / as expected: exit status 10 = forged"

step "11. 承诺达标合格证 / the cooperative's compliance certificate for the apples"
# Test-based: the laboratory's report covers every pesticide the field diary records (用什么药、检什么药).
certificate_output=$(TZ=Asia/Shanghai "$yima" certificate issue --data "$data" --key "$keys/cooperative.key" \
  --batch "${gtin[apples]}/${lot[apples]}" --quantity 1200 --basis commissioned_test --contact "0837-7422001" \
  --base-url "$base" --out "$dir/certificate-apples.svg")
printf '%s\n' "$certificate_output" | indent
certificate_id=${certificate_output##*/certificates/}
echo "-- 市场收购时留存合格证（收购方签名） / the market keeps the certificate on purchase, signed with its own key"
TZ=Asia/Shanghai "$yima" certificate receive --data "$data" --key "$keys/market.key" --certificate "$certificate_id" \
  --from "$coop" --quantity 1200 | indent
echo "-- 同一批次的第二张合格证须注明所拆分的合格证，否则拒绝 / a second certificate of the batch must name the one it splits"
status=0
output=$(TZ=Asia/Shanghai "$yima" certificate issue --data "$data" --key "$keys/cooperative.key" \
  --batch "${gtin[apples]}/${lot[apples]}" --quantity 100 --basis internal_control --contact "0837-7422001" \
  --base-url "$base" --out "$dir/certificate-refused.svg" 2>&1) || status=$?
printf '%s\n' "$output" | indent
if [ "$status" -ne 3 ] || ! grep -q 'certificate-split' <<<"$output"; then
  echo "!! demo.sh: a second unsplit certificate should be refused with [certificate-split] (exit 3), got $status" >&2
  exit 1
fi

step "12. 召回核桃批次并追踪流向 / the cooperative recalls the walnuts and traces where every unit went"
TZ=Asia/Shanghai "$yima" recall issue --data "$data" --key "$keys/cooperative.key" --batch "${gtin[walnuts]}/${lot[walnuts]}" \
  --reason "抽检黄曲霉毒素 B1 超标" --action "停止销售，凭码退回合作社" | indent
"$yima" recall trace --data "$data" "${gtin[walnuts]}/${lot[walnuts]}" | indent
"$yima" recall trace --data "$data" "${gtin[walnuts]}/${lot[walnuts]}" --csv >"$dir/recall-walnuts.csv"

step "13. 信任列表：离线验码识别召回 / the signed trust list: offline verifiers see the recall"
"$yima" trust export --data "$data" --authority-key "$data/authority/authority.key" --validity-days 7 --out "$dir/trust-list.json"
status=0
output=$("$yima" verify --trust "$data/authority" --trust-list "$dir/trust-list.json" "$(head -1 "$labels/walnuts/codes.txt")") || status=$?
printf '%s\n' "$output" | indent
if [ "$status" -ne 16 ]; then
  echo "!! demo.sh: a recalled code should give exit status 16, got $status" >&2
  exit 1
fi
echo "-- 预期结果 / as expected: exit status 16 = recalled"

step "14. 监管统计报表 / the regulator's report for the season, by party"
today=$(TZ=Asia/Shanghai date +%F)
"$yima" report --data "$data" --from 2026-01-01 --until "$today" --by party | indent
"$yima" report --data "$data" --from 2026-01-01 --until "$today" --by township --csv >"$dir/report-township.csv"

step "15. 透明日志：签名检查点与离线证据包 / the transparency log: a signed checkpoint, and an evidence bundle a regulator checks with no network"
"$yima" log checkpoint --data "$data" | indent
mkdir -p "$dir/regulator"
cp "$data"/authority/*.pub "$dir/regulator/"
"$yima" log verifier --data "$data" >"$dir/regulator/log.vkey"
"$yima" bundle --data "$data" "$(head -1 "$labels/apples/codes.txt")" >"$dir/apples.bundle"
"$yima" verify --bundle "$dir/apples.bundle" --trust "$dir/regulator" | indent
echo "-- 签发集合审计：每次签发的 units_root 由追溯码表重算 / issued sets: every issuance's units_root recomputed from the units table"
"$yima" audit --units --data "$data" | indent

step "16. EPCIS 2.0：每个批次的事件导出为 EPCIS 文档 / every batch's chain as a GS1 EPCIS 2.0 document"
mkdir -p "$dir/epcis"
for product in apples pepper walnuts sweet-potato; do
  "$yima" export epcis --data "$data" --batch "${gtin[$product]}/${lot[$product]}" --out "$dir/epcis/$product.jsonld"
  printf '%s: %s events\n' "$product" "$(grep -c '"eventID"' "$dir/epcis/$product.jsonld")" | indent
done
# With the test tools installed (scripts/requirements-test.txt), check them against GS1's schema and hash prototype.
if python3 -c 'import epcis_event_hash_generator, rfc3986_validator' 2>/dev/null; then
  python3 "$(dirname "$0")/epcis-check.py" "$dir"/epcis/*.jsonld | python3 -c '
import json, sys
bad = 0
for entry in json.load(sys.stdin):
    ids = [event.get("eventID") for event in json.load(open(entry["file"]))["epcisBody"]["eventList"]]
    agree = entry["adjusted_hashes"] == ids  # the prototype with the party lists in their CBV 2.0 place (docs/epcis.md)
    bad += bool(entry["schema_errors"]) or not agree
    print("   %s: %d schema errors; eventIDs %s the GS1 prototype" % (entry["file"].rsplit("/", 1)[-1],
          len(entry["schema_errors"]), "agree with" if agree else "DIFFER from"))
sys.exit(1 if bad else 0)'
fi

step "17. 国家追溯数据格式（NY/T 4712-2025）：全库导出 / the whole store in the national data format"
"$yima" export national --data "$data" --out "$dir/national.json"
printf 'subjects and stage records: %s bytes\n' "$(wc -c <"$dir/national.json")" | indent
if python3 -c 'import jsonschema, rfc3339_validator' 2>/dev/null; then
  python3 "$(dirname "$0")/validate-national.py" "$dir/national.json"
  echo "   national.json: valid against docs/schemas/national-document.json"
fi

cat <<MSG

== 完成 / done
  Yima store (SQLite):                      $data/
  county authority key (demo only):         $data/authority/authority.key
  parties' keys (private keys mode 0600):   $keys/
  trust folder for offline verifiers:       $dir/trust/
  the drafts that were signed:              $drafts/  (generated/: packing, shipping, selling)
  codes, one per line:                      $labels/{apples,pepper,walnuts,sweet-potato}/codes.txt
  compliance certificate label (SVG):       $dir/certificate-apples.svg
  walnut recall trace (CSV), trust list:    $dir/recall-walnuts.csv   $dir/trust-list.json
  report by township (CSV):                 $dir/report-township.csv
  evidence bundle, regulator's trust folder: $dir/apples.bundle   $dir/regulator/ (authority key, log key)
  EPCIS 2.0 documents, one per batch:       $dir/epcis/*.jsonld
  the national format (NY/T 4712-2025):     $dir/national.json
  QR labels (SVG and PNG):                  $labels/apples/${apple_units[0]}.svg, .png
  print-ready labels (PDF, ZPL):             $dir/print/{apples,pepper,walnuts,sweet-potato}/labels.pdf, $dir/print/carton-*/, pallet-*/
  codes to open or scan:
    苹果 apples           $(head -1 "$labels/apples/codes.txt")
    花椒 Sichuan pepper   $(head -1 "$labels/pepper/codes.txt")
    核桃 walnuts          $(head -1 "$labels/walnuts/codes.txt")
    红薯干 sweet potato   $(head -1 "$labels/sweet-potato/codes.txt")
  try:  $yima chain --data $data '$(head -1 "$labels/walnuts/codes.txt")'
MSG

# Last, the lookup server on loopback, in the foreground: open the codes above in a
# browser (or scan them with a phone on this machine's network through a proxy).
# YIMA_DEMO_SERVE=0 skips it, for scripted checks.
if [ "${YIMA_DEMO_SERVE:-1}" != 0 ]; then
  repo=$(cd "$(dirname "$0")/.." && pwd)
  cat <<MSG

== 查询服务 / lookup server on http://127.0.0.1:8080 (Ctrl-C to stop)
  consumer page (Chinese):  $(head -1 "$labels/apples/codes.txt")
  English page:             $(head -1 "$labels/pepper/codes.txt")&lang=en
  JSON chain:               $(head -1 "$labels/walnuts/codes.txt")&format=json
  health, metrics:          http://127.0.0.1:8080/healthz   http://127.0.0.1:8080/metrics
MSG
  exec "$yima" serve --data "$data" --host 127.0.0.1 --port 8080 --templates "$repo/templates"
fi

