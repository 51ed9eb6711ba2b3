# Yima: `make demo` and `make test` work on a fresh Debian machine as root.
SHELL := /bin/bash
export PATH := $(PATH):/opt/swift/usr/bin
SWIFT_FLAGS ?=
DEMO := demo

.PHONY: deps build release test contract demo bench bench-server clean

deps:
	@scripts/install-deps.sh

build: deps
	swift build $(SWIFT_FLAGS)

release: deps
	swift build -c release $(SWIFT_FLAGS)

test: deps
	swift build --build-tests $(SWIFT_FLAGS)
	scripts/with-postgres.sh swift test --skip-build $(SWIFT_FLAGS)
	scripts/api-contract.sh "$$(swift build $(SWIFT_FLAGS) --show-bin-path)/yima"

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

clean:
	rm -rf .build $(DEMO)
