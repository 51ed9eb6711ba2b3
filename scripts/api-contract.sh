#!/usr/bin/env bash
# The API contract test (docs/api.md §Contract): builds a small store with the CLI
# (one cooperative, the demo apples with issued units and PINs, a packed carton, a
# certificate), serves it, and runs schemathesis over docs/openapi.yaml with every
# check, a fixed seed and a bounded number of examples per operation. Any failure
# (a refused schema-valid request, an undocumented status, content type or header,
# a body off its schema, a 5xx, a 404 where 405 is due) fails the run.
#
# Usage: scripts/api-contract.sh YIMA_BIN [EXTRA schemathesis options]
# Environment: CONTRACT_SEED (default 20261206), CONTRACT_EXAMPLES (default 30 per
# operation), CONTRACT_KEEP=1 keeps the work folder.
set -Eeuo pipefail
yima=${1:?usage: scripts/api-contract.sh YIMA_BIN}
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seed=${CONTRACT_SEED:-20261206}
examples=${CONTRACT_EXAMPLES:-30}

python3 -c 'import schemathesis' 2>/dev/null || { echo "api-contract.sh: schemathesis is not installed (scripts/install-deps.sh)" >&2; exit 1; }
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ "${CONTRACT_KEEP:-}" = 1 ] && echo "work folder kept: $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

data="$work/data" keys="$work/keys" drafts="$work/drafts"
mkdir -p "$keys" "$drafts"
cp -R "$root/demo-data/." "$drafts/"
quiet() { "$@" >"$work/step.log" 2>&1 || { cat "$work/step.log" >&2; echo "api-contract.sh: failed: $*" >&2; exit 1; }; }
now() { TZ=Asia/Shanghai date +%Y-%m-%dT%H:%M:%S%:z; }

gtin=02951322300010 lot=MX-2026-APL-07 carton=369200001000000010
quiet "$yima" init --data "$data" --demo-authority --alg ed25519
quiet "$yima" keys generate --alg ed25519 --out "$keys/cooperative"
# demo-data's party file names its key as ../../keys/cooperative.pub.
sed "s|../../keys/cooperative.pub|$keys/cooperative.pub|" "$drafts/parties/cooperative.json" >"$drafts/cooperative.json"
quiet "$yima" party add --data "$data" --authority-key "$data/authority/authority.key" --file "$drafts/cooperative.json"
quiet "$yima" product add --data "$data" --key "$keys/cooperative.key" --file "$drafts/products/apples.json"
quiet "$yima" batch create --data "$data" --key "$keys/cooperative.key" --file "$drafts/batches/apples.json"
TZ=Asia/Shanghai quiet "$yima" issue --data "$data" --key "$keys/cooperative.key" --batch "$gtin/$lot" --count 4 \
  --pins --base-url http://127.0.0.1 --out "$work/labels"
units=$(sed -E 's|.*/21/([^?]+)\?.*|"\1"|' "$work/labels/codes.txt" | head -2 | paste -sd,)
printf '{"type":"packing","batch":{"gtin":"%s","lot":"%s"},"time":"%s","data":{"sscc":"%s","units":[%s]}}\n' \
  "$gtin" "$lot" "$(now)" "$carton" "$units" >"$drafts/packing.json"
quiet "$yima" event record --data "$data" --key "$keys/cooperative.key" --file "$drafts/packing.json"
TZ=Asia/Shanghai quiet "$yima" certificate issue --data "$data" --key "$keys/cooperative.key" --batch "$gtin/$lot" \
  --quantity 100 --basis self_test --contact "0837-7422001" --base-url http://127.0.0.1 --out "$work/certificate.svg"

# The report limit is raised so that schemathesis exercises the report's validation
# throughout (its 429 is documented and accepted by every check; HardeningTests
# tests the limit itself).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$yima" serve --data "$data" --port "$port" --templates "$root/templates" --log-level warning \
  --report-requests-per-minute 100000 >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done

status=0
# One worker: with two, CPython 3.11.7 (this machine's python3) raised SystemError "AST
# constructor recursion depth mismatch" inside hypothesis when its threads parsed source at once.
# Run from the work folder: schemathesis keeps a cache of past failures in the working folder.
(cd "$work" && PYTHONPATH="$root/scripts${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=contract_hooks \
python3 -m schemathesis.cli run "$root/docs/openapi.yaml" --url "http://127.0.0.1:$port" --checks all --seed "$seed" \
  --max-examples "$examples" --workers 1 --no-color --suppress-health-check all "$@") || status=$?
if grep -Eiq 'error|fatal' "$work/server.log"; then
  echo "api-contract.sh: the server logged errors:" >&2
  cat "$work/server.log" >&2
  status=1
fi
exit "$status"
