# signup: one target per job a person runs.
#   make run      build, start a local Dendrite, serve on http://127.0.0.1:8000
#   make test     install what is missing, build, vet, run every test
#   make check    the quick check while working: lint and the native tests
#   make build    web/app.wasm (+ .br/.gz) and bin/signup, when their sources changed
#   make release  the same with brotli at quality 11 (the smallest download)
#
# First make run, on 2 cores: the Go toolchain download (a minute or two,
# once), Dendrite's build (3 to 5 minutes, once), the WASM (about 30 s).
# Later runs rebuild only what changed: with nothing changed, make build
# runs no command.

SHELL := /bin/bash
GO ?= go
# The Go toolchain: 1.26.11 fixes standard-library vulnerabilities that
# govulncheck finds in 1.26.8 (the go command fetches it from the module
# proxy on first use; machines here set GOTOOLCHAIN=local, which ignores a
# toolchain line in go.mod, so it is set here for every go command).
export GOTOOLCHAIN := go1.26.11
# Say so before the first go command below downloads it (silently).
ifeq ($(filter $(GOTOOLCHAIN) $(GOTOOLCHAIN).%,$(shell GOTOOLCHAIN=local $(GO) env GOVERSION 2>/dev/null)),)
ifeq ($(wildcard $(shell GOTOOLCHAIN=local $(GO) env GOMODCACHE 2>/dev/null)/golang.org/toolchain@v0.0.1-$(GOTOOLCHAIN).*),)
$(info make: downloading the Go toolchain $(GOTOOLCHAIN) (about 70 MB; a minute or two, once; why: README, Set up))
endif
endif
TOOLS := $(CURDIR)/.tools/bin
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm
# WASM build flags. -s -w drop symbols; -l (no inlining) makes the brotli
# download about 6 % smaller for this app and the go-app floor alike
# (measured: 1.61 -> 1.52 MB); see bench/results.md.
GOFLAGS_BUILD := -trimpath -gcflags=all=-l -ldflags=-s\ -w
export PATH := $(WASM_EXEC):$(PATH)
# Brotli quality of web/app.wasm.br. Measured on 2 cores for the 9.4 MB
# WASM: quality 6 takes about 2 s (1.84 MB), 11 about 50 s (1.57 MB).
# make build and make run use 6; make static and make release 11.
BROTLI ?= 6
# What the WASM and the server are built from (tests excluded): make
# rebuilds them only when one of these is newer.
GO_DEPS := go.mod go.sum $(wildcard app/i18n/locales/*.json)
WASM_SRC := $(shell find app wasm -name '*.go' ! -name '*_test.go') $(GO_DEPS)
SERVER_SRC := $(shell find . \( -path ./e2e -o -path ./bench -o -path ./tools -o -path ./.tools -o -path ./static -o -path ./web \) -prune -o -name '*.go' ! -name '*_test.go' -print) $(GO_DEPS)

.PHONY: all build wasm server release run test check deps dendrite lint unit wasmtest e2e clean static screenshots fuzzshort fuzz vulncheck axe synapse bench FORCE

all: build

build: wasm server

wasm: web/app.wasm.br

server: bin/signup

# The same build with brotli at quality 11, for a deployment.
release:
	$(MAKE) build BROTLI=11

web/app.wasm: $(WASM_SRC)
	@echo "make: building web/app.wasm (about 30 s on 2 cores)"
	GOOS=js GOARCH=wasm $(GO) build $(GOFLAGS_BUILD) -o $@ ./wasm
	@touch $@

# .br and .gz in one go; again when the WASM or the quality changed.
web/app.wasm.br web/app.wasm.gz &: web/app.wasm bin/.brotli-quality
	@echo "make: compressing web/app.wasm, brotli quality $(BROTLI) ($(if $(filter 11,$(BROTLI)),about a minute,a few seconds))"
	$(GO) run ./internal/cmd/compress -q $(BROTLI) web/app.wasm

# Holds the last quality used; rewritten only when it changes.
bin/.brotli-quality: FORCE
	@mkdir -p bin; echo $(BROTLI) | cmp -s - $@ || echo $(BROTLI) > $@

bin/signup: $(SERVER_SRC)
	@echo "make: building bin/signup"
	$(GO) build -trimpath -o $@ .
	@touch $@

# Dendrite v0.13.8 from the Go module proxy, in a module of its own
# (tools/dendrite), installed into .tools/bin; plus the e2e helper that
# writes its config.
dendrite: $(TOOLS)/dendrite $(TOOLS)/dendrite-run

$(TOOLS)/dendrite: tools/dendrite/go.mod tools/dendrite/go.sum
	@echo "make: building Dendrite v0.13.8 into .tools/bin (once; 3 to 5 minutes on 2 cores)"
	cd tools/dendrite && GOBIN=$(TOOLS) $(GO) install tool
	touch $@

$(TOOLS)/dendrite-run: $(filter-out %_test.go,$(wildcard e2e/*.go e2e/cmd/dendrite-run/*.go)) e2e/go.mod
	@echo "make: building the Dendrite launcher (dendrite-run)"
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
static:
	$(MAKE) build BROTLI=11
	rm -rf static/* && bin/signup -config $(CONFIG) -static static $(if $(PREFIX),-prefix $(PREFIX))

# Screenshots of every screen (/stories), light and dark, for the README.
screenshots: build
	tools/screenshots.sh

clean:
	rm -rf bin web/app.wasm web/app.wasm.br web/app.wasm.gz

FORCE:

# make bench: the performance benchmark (bench/, a module of its own):
# builds the widget's WASM and a go-app "hello" (the framework floor) with
# GOFLAGS_BUILD above (their one source: the bench asks make for it),
# measures both in headless Chromium, pair by pair, and the server
# under load, prints one table with PASS/FAIL per budget and writes
# bench/results.md. About 12 to 15 minutes on 2 cores (less on a rerun:
# unchanged WASMs are not compressed again).
bench: deps server
	bench/deps.sh
	cd bench && $(GO) run .

# make fuzz: every Go fuzz target (func FuzzXxx in *_test.go, seeds in
# testdata/fuzz/) for a minute each, one after the other (tools/fuzz.sh).
fuzz:
	tools/fuzz.sh 60s
