#!/usr/bin/env bash
# Instructions per operation (docs/benchmarks.md §Instruction counts): callgrind counts
# the instructions inside `measuredOperations` of `yima-bench ops` and inside
# `measured_operations` of scripts/bench/openssl-ops.c (OpenSSL's own one-shot sign and
# verify of a message of the same size). Counts do not drift with the machine's load.
#   usage: scripts/bench-instructions.sh [YIMA_BENCH_BIN] [COUNT]   (make bench-instructions)
#   env:   ALGS="ed25519 p256"
set -euo pipefail
bench=${1:-.build/release/yima-bench}
count=${2:-2000}
algs=${ALGS:-ed25519 p256}
command -v valgrind >/dev/null || { echo "installing valgrind" >&2; apt-get install -y -qq valgrind >/dev/null; }
mkdir -p .build-bench
gcc -O2 -Wall -o .build-bench/openssl-ops scripts/bench/openssl-ops.c -lcrypto
# valgrind 3.19 cannot read the DWARF 5 forms Swift 6.3 emits ("unhandled dwarf2 abbrev
# form code 0x25 … Possibly corrupted debuginfo file … Giving up"): measure a copy with
# the debug information stripped; the symbol table stays, so functions keep their names.
cp "$bench" .build-bench/yima-bench
strip --strip-debug .build-bench/yima-bench
bench=.build-bench/yima-bench

# Instructions collected inside FUNCTION of COMMAND…, divided by COUNT.
per_op() { # FUNCTION COMMAND...
  local function=$1; shift
  valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    --collect-atstart=no --toggle-collect="$function" "$@" 2>&1 \
    | awk -v n="$count" '/Collected :/ { printf "%.0f\n", $NF / n; found = 1 } END { if (!found) exit 1 }'
}

printf '| operation | algorithm | yima instructions/op | OpenSSL alone | yima / OpenSSL |\n|---|---|---:|---:|---:|\n'
for alg in $algs; do
  for op in sign verify envelope; do
    case $op in sign) ref=sign length=129 ;; verify) ref=verify length=129 ;; envelope) ref=verify length=60 ;; esac
    ours=$(per_op '*measuredOperations*' "$bench" ops "$op" "$count" --alg "$alg")
    reference=$(per_op measured_operations .build-bench/openssl-ops "$ref" "$count" "$alg" "$length")
    printf '| %s | %s | %s | %s | %s |\n' "$op" "$alg" "$ours" "$reference" \
      "$(awk -v a="$ours" -v b="$reference" 'BEGIN { printf "%.2f×", a / b }')"
  done
done
