# signup: one target per job a person runs.
#   make run    build, start a local Dendrite, serve on http://127.0.0.1:8000
#   make test   install what is missing, build, vet, run every test
#   make check  the quick check while working: lint and the native tests
#   make build  web/app.wasm (+ .br/.gz) and bin/signup

SHELL := /bin/bash
GO ?= go
# The Go toolchain: 1.26.11 fixes standard-library vulnerabilities that
# govulncheck finds in 1.26.8 (the go command fetches it from the module
# proxy on first use; machines here set GOTOOLCHAIN=local, which ignores a
# toolchain line in go.mod, so it is set here for every go command).
export GOTOOLCHAIN := go1.26.11
TOOLS := $(CURDIR)/.tools/bin
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm
# WASM build flags. -s -w drop symbols; -l (no inlining) makes the brotli
# download about 6 % smaller for this app and the go-app floor alike
# (measured: 1.61 -> 1.52 MB); see bench/results.md.
GOFLAGS_BUILD := -trimpath -gcflags=all=-l -ldflags=-s\ -w
export PATH := $(WASM_EXEC):$(PATH)

.PHONY: all build wasm server run test check deps dendrite lint unit wasmtest e2e clean static screenshots fuzzshort fuzz vulncheck axe synapse bench

all: build

build: wasm server

wasm:
	GOOS=js GOARCH=wasm $(GO) build $(GOFLAGS_BUILD) -o web/app.wasm ./wasm
	$(GO) run ./internal/cmd/compress web/app.wasm

server:
	$(GO) build -trimpath -o bin/signup .

# Dendrite v0.13.8 from the Go module proxy, in a module of its own
# (tools/dendrite), installed into .tools/bin; plus the e2e helper that
# writes its config.
dendrite: $(TOOLS)/dendrite $(TOOLS)/dendrite-run

$(TOOLS)/dendrite: tools/dendrite/go.mod tools/dendrite/go.sum
	cd tools/dendrite && GOBIN=$(TOOLS) $(GO) install tool
	touch $@

$(TOOLS)/dendrite-run: $(wildcard e2e/*.go e2e/cmd/dendrite-run/*.go) e2e/go.mod
	cd e2e && GOBIN=$(TOOLS) $(GO) install ./cmd/dendrite-run

# Synapse (matrix-synapse, version pinned in tools/synapse.sh) from PyPI
# into the virtualenv .tools/synapse, for the e2e tests on a real Synapse.
synapse:
	tools/synapse.sh

run: build dendrite
	tools/run.sh

deps:
	tools/deps.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...
	cd e2e && $(GO) vet ./...
	cd bench && $(GO) vet ./...

unit:
	$(GO) test -count=1 ./...

# A couple of minutes: gofmt, go vet (native, js/wasm, e2e, bench) and
# the native tests, without installing or starting anything.
check: lint unit

wasmtest:
	GOOS=js GOARCH=wasm $(GO) test -count=1 ./wasm/...

# axe-core (version pinned in tools/axe.sh) from npm into .tools/npm, for
# the accessibility browser tests.
axe:
	tools/axe.sh

e2e: build dendrite synapse axe
	cd e2e && SIGNUP_TOOLS_BIN=$(TOOLS) AXE_PATH=$(CURDIR)/.tools/npm/node_modules/axe-core/axe.min.js $(GO) test -count=1 -timeout 30m ./...

# Every Go fuzz target for 2 s each (tools/fuzz.sh; make fuzz: a minute each).
fuzzshort:
	tools/fuzz.sh 2s

# govulncheck on ./... and GOOS=js GOARCH=wasm ./wasm/... against a local
# vulnerability database built from golang.org/x/vulndb (tools/govulncheck.sh).
vulncheck:
	tools/govulncheck.sh

test: deps lint unit fuzzshort vulncheck wasmtest e2e

# A complete static site in static/ (CONFIG=file for the operator config,
# PREFIX=/path when served under a path). Serve it with any file server.
CONFIG ?= config.example.yaml
PREFIX ?=
static: build
	rm -rf static/* && bin/signup -config $(CONFIG) -static static $(if $(PREFIX),-prefix $(PREFIX))

# Screenshots of every screen (/stories), light and dark, for the README.
screenshots: build
	tools/screenshots.sh

clean:
	rm -rf bin web/app.wasm web/app.wasm.br web/app.wasm.gz

# make bench: the performance benchmark (bench/, a module of its own):
# builds everything, measures the widget against a go-app "hello" built
# with the same flags (the framework floor) in headless Chromium and under
# load, prints one table with PASS/FAIL per budget and writes
# bench/results.md. About 5 to 10 minutes on 2 cores (the variants are cached).
bench: deps build
	bench/deps.sh
	cd bench && $(GO) run . -build-flags '$(GOFLAGS_BUILD)'

# make fuzz: every Go fuzz target (func FuzzXxx in *_test.go, seeds in
# testdata/fuzz/) for a minute each, one after the other (tools/fuzz.sh).
fuzz:
	tools/fuzz.sh 60s
