#!/usr/bin/env bash
# Seeds a small demo: a highland county cooperative's apples (Ed25519 key) and a
# processor's dried sweet potato (SM2 key), signed codes with QR labels, an offline
# verification, and a forged code caught.
set -euo pipefail
dir=${1:-demo}
yima=${2:-yima}
export YIMA_LANG=${YIMA_LANG:-zh}
base=${YIMA_BASE_URL:-http://127.0.0.1:8080}

rm -rf "$dir"
mkdir -p "$dir/keys" "$dir/trust"

echo "== 1. 生成签名密钥 / signing keys"
"$yima" keys generate --alg ed25519 --out "$dir/keys/cooperative"
"$yima" keys generate --alg sm2 --out "$dir/keys/processor"
cp "$dir"/keys/*.pub "$dir/trust/"

echo "== 2. 签发一物一码 / issue codes"
"$yima" issue --key "$dir/keys/cooperative.key" --gtin 06920000000012 --lot 2026-APPLE-01 \
  --count 6 --format txt,svg,png --base-url "$base" --out "$dir/labels/apples"
"$yima" issue --key "$dir/keys/processor.key" --gtin 06920000000043 --lot 2026-SP-07 \
  --count 4 --format txt,svg,png --base-url "$base" --out "$dir/labels/sweet-potato"

echo "== 3. 离线验码 / verify offline"
cat "$dir"/labels/*/codes.txt > "$dir/all-codes.txt"
"$yima" verify --trust "$dir/trust" --file "$dir/all-codes.txt"

echo "== 4. 篡改一个字符的码会被识破 / a code with one character changed is caught"
forged=$(head -1 "$dir/labels/apples/codes.txt" | sed 's|/10/2026-APPLE-01/|/10/2026-APPLE-02/|')
set +e
"$yima" verify --trust "$dir/trust" "$forged"
status=$?
set -e
echo "(exit status $status: 10 = forged)"

first=$(head -1 "$dir/labels/apples/codes.txt")
serial=$(echo "$first" | sed -E 's|.*/21/([^?]+)\?.*|\1|')
cat <<MSG

== 完成 / done
  keys (private keys are mode 0600):   $dir/keys/
  trust folder for verifiers:           $dir/trust/
  codes, one per line:                  $dir/labels/apples/codes.txt
  QR labels (SVG and PNG):              $dir/labels/apples/$serial.svg, .png
  a code to scan or open:               $first
MSG
