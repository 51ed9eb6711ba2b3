#!/usr/bin/env bash
# Builds the libFuzzer targets (-sanitize=fuzzer,address, release, scratch path
# .build-fuzz) and runs each for RUNS executions (Fuzz/README.md).
#   usage: Fuzz/fuzz.sh [RUNS] [TARGET…]        (default: 1000000 runs, every target)
#   env:   MAX_TIME=S  also stop each target after S seconds (0: no limit)
#          JOBS=N      libFuzzer processes per target (default 1)
# Prints one line per target: executions done, seconds, new corpus size, crashes.
# A crash leaves its input in .build-fuzz/crashes/; make it a regression test by copying
# it to Fuzz/regressions/<target>/ (Tests/YimaFuzzTests runs every file there).
set -Eeuo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PATH:/opt/swift/usr/bin"
runs=${1:-1000000}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(code digital-link canonical-json envelope record csv-import signed-note bundle trust-list http)
fi
max_time=${MAX_TIME:-0}
jobs=${JOBS:-1}

swift build --package-path Fuzz --scratch-path .build-fuzz -c release \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -v "Cannot export local symbol" | tail -n 3
binary=$(swift build --package-path Fuzz --scratch-path .build-fuzz -c release --show-bin-path)/yima-fuzz

mkdir -p .build-fuzz/crashes .build-fuzz/logs
printf '%-15s %12s %8s %8s %s\n' target executions seconds corpus crashes
status=0
for target in "${targets[@]}"; do
    corpus=.build-fuzz/corpus/$target
    mkdir -p "$corpus"
    case $target in bundle|trust-list) max_len=65536 ;; *) max_len=4096 ;; esac
    log=.build-fuzz/logs/$target.log
    start=$(date +%s)
    set +e
    YIMA_FUZZ_TARGET=$target YIMA_REPO=$PWD SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
        "$binary" "$corpus" "Fuzz/corpus/$target" -runs="$runs" -max_total_time="$max_time" \
        -max_len="$max_len" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix=".build-fuzz/crashes/$target-" >"$log" 2>&1
    code=$?
    set -e
    seconds=$(( $(date +%s) - start ))
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)
    crashes=$(ls .build-fuzz/crashes | grep -c "^$target-" || true)
    printf '%-15s %12s %8s %8s %s\n' "$target" "${executions:-?}" "$seconds" "$(ls "$corpus" | wc -l)" "$crashes"
    if [ $code -ne 0 ]; then
        status=1
        grep -m 5 -E 'Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY' "$log" || tail -n 20 "$log"
    fi
done
exit $status
