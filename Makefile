# replcheck build, test and fuzz targets. `make` builds bin/replcheck.

VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
FUZZTIME ?= 10s
# Minimising a new interesting input may take 60 s by default, and with our
# multi-kilobyte seed snapshots a short run spent all of its time doing that.
FUZZMINIMIZETIME ?= 2s

.PHONY: build test bench fuzz plan-fixtures screenshot clean

build:
	go build -trimpath -ldflags "-X main.version=$(VERSION)" -o bin/replcheck ./cmd/replcheck

# test fails on unformatted files, vet findings and test failures (with the
# race detector on).
test:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then \
		echo "gofmt -l: these files need formatting (run gofmt -w):"; echo "$$unformatted"; exit 1; \
	fi
	go vet ./...
	go test -race ./...

# bench runs the microbenchmarks (BenchmarkEvaluate, BenchmarkRunAllChecks,
# …) for the usual second each, then the live-preflight and audit benchmarks
# of ./e2e (moto behind a proxy adding 40 ms per request, and the aws CLI
# baseline scripts/naive-preflight.sh) for E2E_BENCHTIME, verbose so that
# their reports (critical path, calls, distinct calls, rounds) show under
# the metrics. Retry settings are
# pinned for replcheck and the aws CLI alike (performance.md §8).
E2E_BENCHTIME ?= 3x
BENCH_ENV = AWS_NEW_RETRIES_2026=true AWS_RETRY_MODE=standard AWS_MAX_ATTEMPTS=5
# The HTML report's time to interactive in headless Chromium (1,000 and
# 10,000 rows), a few page loads each.
HTML_BENCHTIME ?= 3x

bench:
	go test -run '^$$' -bench . -benchmem $$(go list ./... | grep -v -e '/e2e$$' -e '/report/htmltest$$')
	$(BENCH_ENV) go test -run '^$$' -bench . -benchtime=$(E2E_BENCHTIME) -timeout 20m -v ./e2e
	go test -run '^$$' -bench . -benchtime=$(HTML_BENCHTIME) -timeout 30m ./internal/report/htmltest

# fuzz runs every fuzz target in the module for FUZZTIME each; go test -fuzz
# takes one target per package per run, so targets are listed and run in turn.
fuzz:
	@set -e; \
	for pkg in $$(go list ./...); do \
		targets=$$(go test -list '^Fuzz' "$$pkg"); \
		for target in $$(printf '%s\n' "$$targets" | grep '^Fuzz' || true); do \
			echo "fuzz $$target in $$pkg for $(FUZZTIME)"; \
			go test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) "$$pkg"; \
		done; \
	done

# plan-fixtures regenerates every fixtures/plans/*/plan.json with real
# Terraform (terraform init, plan -refresh=false -out, show -json) against
# moto, which answers the plans' sts:GetCallerIdentity and sts:AssumeRole.
# PLAN_FIXTURES_STATE=1 also re-applies each brownfield fixture's before/
# to make its terraform.tfstate.
plan-fixtures:
	go test ./fixtures/plans -run TestPlansRegenerate -count=1 -timeout 30m -update $(if $(PLAN_FIXTURES_STATE),-update-state)

# screenshot renders the HTML report of the fixtures' audit world in headless
# Chromium and saves it as docs/html-report.png, the picture in README.md.
screenshot:
	go run ./scripts/screenshot -out docs/html-report.png

clean:
	rm -rf bin
