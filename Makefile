# replcheck build, test and fuzz targets. `make` builds bin/replcheck.

VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
FUZZTIME ?= 10s

.PHONY: build test bench fuzz clean

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

bench:
	go test -run '^$$' -bench . -benchmem ./...

# fuzz runs every fuzz target in the module for FUZZTIME each; go test -fuzz
# takes one target per package per run, so targets are listed and run in turn.
fuzz:
	@set -e; \
	for pkg in $$(go list ./...); do \
		targets=$$(go test -list '^Fuzz' "$$pkg"); \
		for target in $$(printf '%s\n' "$$targets" | grep '^Fuzz' || true); do \
			echo "fuzz $$target in $$pkg for $(FUZZTIME)"; \
			go test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) "$$pkg"; \
		done; \
	done

clean:
	rm -rf bin
