# Yima: `make demo` and `make test` work on a fresh Debian machine as root.
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
SWIFT_FLAGS ?=
DEMO := demo

RUNS ?= 1000000
POINTS ?= 100

.PHONY: deps build release test contract demo bench bench-server bench-instructions fuzz crash-campaign load clean

deps:
	@scripts/install-deps.sh

build: deps
	swift build $(SWIFT_FLAGS)

release: deps
	swift build -c release $(SWIFT_FLAGS)

# The tests, then the crash campaign's quick run, the API contract (schemathesis), and
# the quickstart's demo on the debug build with its EPCIS and national exports checked
# against GS1's schema and hash prototype and the national schema.
test: deps
	swift build --build-tests $(SWIFT_FLAGS)
	scripts/with-postgres.sh swift test --skip-build $(SWIFT_FLAGS)
	scripts/crash-campaign.py "$$(swift build --show-bin-path $(SWIFT_FLAGS))/yima" --points 6 --seed 16 --quick
	scripts/api-contract.sh "$$(swift build $(SWIFT_FLAGS) --show-bin-path)/yima"
	demo=$$(mktemp -d) && YIMA_DEMO_SERVE=0 scripts/demo.sh "$$demo/demo" "$$(swift build $(SWIFT_FLAGS) --show-bin-path)/yima" >"$$demo/log" 2>&1 \
	  || { cat "$$demo/log"; rm -rf "$$demo"; exit 1; }; grep -E "schema errors|valid against" "$$demo/log"; rm -rf "$$demo"

# schemathesis over docs/openapi.yaml against a served demo store (scripts/api-contract.sh).
contract: deps
	swift build $(SWIFT_FLAGS)
	scripts/api-contract.sh "$$(swift build $(SWIFT_FLAGS) --show-bin-path)/yima"

demo: release
	@scripts/demo.sh "$(DEMO)" "$$(swift build -c release --show-bin-path)/yima"

bench: release
	"$$(swift build -c release --show-bin-path)/yima-bench" $(BENCH_ARGS)

bench-server: release
	scripts/bench-server.sh "$$(swift build -c release --show-bin-path)/yima"

# Instructions per operation under callgrind, ours beside OpenSSL's (docs/benchmarks.md).
bench-instructions: release
	scripts/bench-instructions.sh "$$(swift build -c release --show-bin-path)/yima-bench"

# libFuzzer with -sanitize=fuzzer,address (scratch path .build-fuzz), RUNS executions
# per target; `make fuzz RUNS=100000 TARGETS="code http"` (Fuzz/README.md).
fuzz: deps
	Fuzz/fuzz.sh $(RUNS) $(TARGETS)

# SIGKILL at POINTS random points in real yima processes, invariants checked after each.
crash-campaign: build
	scripts/crash-campaign.py "$$(swift build --show-bin-path)/yima" --points $(POINTS)

# 60 s at 256 connections of random-code lookups while writers post events.
load: release
	scripts/load-test.py "$$(swift build -c release --show-bin-path)/yima"

clean:
	rm -rf .build $(DEMO)
