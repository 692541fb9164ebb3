# sanctions-etl. `make help` lists the targets.
GO      ?= go
BIN     := bin/sanctions-etl
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
OUT     ?= ./data
STATICCHECK ?= $(shell $(GO) env GOPATH)/bin/staticcheck

IMAGE   ?= sanctions-etl:$(VERSION)

.PHONY: help build test fuzz bench bench-compare run demo schedule image lint clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

build: ## build the static binary into bin/
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/sanctions-etl

# Tests that measure a whole run's peak RSS run after the others, alone: a
# process's peak depends on when the garbage collector gets the CPU, and
# under the other packages' tests a longer run meets more spikes.
MEASURE_TESTS := TestWholeRunMemoryFlat|TestWholeRunMemoryFlatOFACAdvanced

# Tests that push whole real histories or large real lists through the
# pipeline (the 24 SDN captures built and replayed; every real publication
# exported to FtM and validated; the real corpus combined; a 25,000-card
# first report; each kind of incomplete publication; two captures at
# three sort buffers) run without the race detector, which makes them 5-10
# times slower: their runs are the same concurrent code as the other
# pipeline tests', which run under it. Without it they take 82 s of the
# package's other 215 s (go test -v ./pipeline, 2 vCPU).
DATA_TESTS := TestOFACHistoryReplay|TestFtMExportsRealPublications|TestCombinedRealCorpus|TestHTMLReportLargeFirstVersion|TestIncompletePublicationRefused|TestSortBufferDoesNotChangeOutputs

test: ## run every test (race detector on, but for the real-data tests of DATA_TESTS; the memory measurements after the rest, alone)
	$(GO) test -race -count=1 -timeout 40m -skip '^($(MEASURE_TESTS)|$(DATA_TESTS))$$' ./...
	$(GO) test -count=1 -timeout 20m -run '^($(DATA_TESTS))$$' ./pipeline
	$(GO) test -count=1 -timeout 20m -run '^($(MEASURE_TESTS))$$' ./cmd/sanctions-etl

FUZZTIME ?= 100000x
# package:target pairs; each runs for FUZZTIME (CI runs them all).
FUZZ_TARGETS := normalize:FuzzParseDate normalize:FuzzCountryCode normalize:FuzzNormalizeIdentifier \
	normalize:FuzzIdentifierType normalize:FuzzTransliterate normalize:FuzzMatchKeyFor sources/ofac:FuzzRemarks \
	sources/xmlstream:FuzzStream sources/ofac:FuzzParseCSV sources/ofac:FuzzParseXML sources/ofac:FuzzParseAdvanced sources/un:FuzzParse diff:FuzzWordDiff \
	sources/eu:FuzzParseXML sources/eu:FuzzParseCSV sources/uk:FuzzParseXML sources/uk:FuzzParseCSV \
	sources/seco:FuzzParseSECO sources/sema:FuzzParse sources/csl:FuzzParseJSON sources/csl:FuzzParseCSV \
	sources/dfat:FuzzParseXLSX sources/dfat:FuzzGroup \
	entity:FuzzAppendCanonical

fuzz: ## run every fuzz target for FUZZTIME each (default 100000 inputs)
	@set -e; for pt in $(FUZZ_TARGETS); do \
		pkg=$${pt%%:*}; fn=$${pt##*:}; echo "fuzz $$pkg $$fn"; \
		$(GO) test ./$$pkg -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME); \
	done

bench: ## run the benchmarks, 6 rounds each, into bench.txt (medians: benchstat bench.txt)
	$(GO) test -run '^$$' -bench . -benchmem -count 6 -timeout 30m ./... | tee bench.txt

bench-compare: ## whole runs beside the parser floors on the same 25/50/100 MB inputs, 5 rounds, into bench-compare.txt; prints the ratios
	{ $(GO) test -run '^$$' -bench 'Floor|WholeRun' -count 5 -timeout 20m ./cmd/sanctions-etl; echo $$? >bench-compare.rc; } 2>&1 | tee bench-compare.txt
	@rc=$$(cat bench-compare.rc); rm -f bench-compare.rc; test "$$rc" = 0 || { echo "bench-compare: go test exited $$rc"; exit 1; }
	$(GO) run ./internal/benchratio bench-compare.txt

run: build ## fetch the official lists now and publish into $(OUT)
	$(BIN) run --out $(OUT)

demo: build ## replay bundled real publications offline into ./demo-data
	$(BIN) demo --out ./demo-data

schedule: build ## run the scheduler on configs/example.yaml (health and metrics on 127.0.0.1:9090)
	$(BIN) schedule --config configs/example.yaml

image: ## build the container image $(IMAGE) (needs a Docker daemon with BuildKit)
	docker build --build-arg VERSION=$(VERSION) -t $(IMAGE) .

lint: ## gofmt, go vet and staticcheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@test -x $(STATICCHECK) || $(GO) install honnef.co/go/tools/cmd/staticcheck@v0.8.2
	$(STATICCHECK) ./...

clean: ## remove build outputs and local data
	rm -rf bin demo-data bench.txt bench-compare.txt
