# Teamshape — build, run and test. GNU make; every recipe works from a clean clone on a
# fresh Debian machine (it installs what it needs: PostgreSQL via scripts/pg.sh,
# staticcheck and Mailpit via the Go module proxy, Chromium via apt-get).
#
#   make build      bin/teamshape
#   make run        database + migrate + demo seed + serve on $TEAMSHAPE_ADDR (127.0.0.1:8080);
#                   the demo password is kept in .data/demo-password (see README)
#   make test       vet, gofmt check, staticcheck, go test -race (what CI runs)
#   make bench      benchmarks against the test database server
#   make fuzz       each fuzz target for $(FUZZTIME); make test runs only the saved corpora
#                   (testdata/fuzz), so CI never fails on a fresh random finding
#   make tools      pinned staticcheck into ./bin
#   make mailpit    pinned Mailpit (the SMTP server the e-mail tests send to) into ./bin
#   make vulncheck  govulncheck (pinned, into ./bin) on ./... against a local copy of the Go
#                   vulnerability database (.data/vulndb, built by scripts/vulndb.sh from the
#                   pinned golang.org/x/vulndb module); not part of make test, so CI never
#                   fails on a newly published advisory
#   make browser    Debian's chromium, if /usr/bin/chromium is missing
#   make lint-openapi  the OpenAPI description the server generates, linted by Redocly CLI
#                   (pinned in scripts/openapi/package-lock.json, installed with npm ci on
#                   first use; needs Node.js 20.19+ and npm); not part of make test
#   make axe        axe-core (npm, pinned by internal/browser/axe/package-lock.json), which the
#                   browser tests run on every page, into internal/browser/axe/node_modules
#   make db-url     print the admin URL of the database server (starting one if needed)
#   make db-stop    stop the private PostgreSQL cluster under .data/ (if it runs)
#   make db-destroy stop it and delete its data
#   make clean      remove build output; make distclean also destroys the private cluster
#
# Database: scripts/pg.sh picks DATABASE_URL's server, else 127.0.0.1:5432, else a private
# cluster under .data/ on 127.0.0.1:55432 (see the header of scripts/pg.sh).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
MAKEFLAGS += --no-print-directory

GO      ?= go
# The Go toolchain is the one go.mod's `toolchain` line names (a patched release): the go
# command fetches it once through the module proxy. A machine's own Go may be older and its
# environment may say GOTOOLCHAIN=local (which ignores that line), so every recipe runs with
# it explicitly. The `go` line stays the language version, so `go vet` works on either.
export GOTOOLCHAIN := $(shell sed -n 's/^toolchain //p' go.mod)
BIN     := $(CURDIR)/bin
APP     := $(BIN)/teamshape
PG      := $(CURDIR)/scripts/pg.sh

# Address for `make run` (env TEAMSHAPE_ADDR wins).
RUN_ADDR ?= 127.0.0.1:8080
# Database name for `make run` when DATABASE_URL is not set.
RUN_DB  ?= teamshape
# Where `make run` keeps the demo password (env TEAMSHAPE_DEMO_PASSWORD_FILE wins): read on
# every run, created with a random one if missing. Git-ignored (.data/).
RUN_DEMO_PASSWORD_FILE ?= $(CURDIR)/.data/demo-password

# ---- test hooks -------------------------------------------------------------------
# staticcheck: pinned; v0.8.2 (2026.2.2) is the newest release and builds/runs with Go 1.26.
# Set STATICCHECK_SKIP=1 to skip it; if its install fails, `make test` warns and goes on.
STATICCHECK_VERSION ?= v0.8.2
STATICCHECK         := $(BIN)/staticcheck
STATICCHECK_SKIP    ?= 0
# govulncheck and the vulnerability data it checks against, both pinned and both from the
# module proxy (vuln.go.dev is not reachable here). VULNDB_VERSION is a golang.org/x/vulndb
# pseudo-version (its commit date is the data's date); `make vulncheck VULNDB_VERSION=latest`
# checks against the newest one. scripts/vulndb.sh rebuilds .data/vulndb only when it changes.
GOVULNCHECK_VERSION ?= v1.9.0
GOVULNCHECK         := $(BIN)/govulncheck
VULNDB_VERSION      ?= v0.0.0-20261105234957-e22db6528018
VULNDB_DIR          := $(CURDIR)/.data/vulndb
# Mailpit: a real SMTP server with an HTTP API, which the e-mail tests start on free ports
# (internal/mail/mailtest). Pinned and built from the module proxy like staticcheck;
# v1.33.1 builds and runs with Go 1.26.11. `make test` passes its path in
# TEAMSHAPE_MAILPIT, so a missing binary fails the tests instead of skipping them.
MAILPIT_VERSION ?= v1.33.1
MAILPIT         := $(BIN)/mailpit
# Browser for end-to-end tests: Debian's chromium (/usr/bin/chromium).
# axe-core: the accessibility checks the browser tests run in every page (browser.Session.Axe),
# from npm at the version and integrity hash of its lock file; `make test` passes its path in
# TEAMSHAPE_AXE, so a missing copy fails the tests instead of skipping them.
AXE_DIR := $(CURDIR)/internal/browser/axe
AXE     := $(AXE_DIR)/node_modules/axe-core/axe.min.js
BROWSER_BIN  ?= /usr/bin/chromium
BROWSER_PKGS ?= chromium
# Extra flags for go test, e.g. make test GOTESTFLAGS='-run TestLogin -v'
GOTESTFLAGS ?=
# Per test binary. internal/http (every route, every role, the browser tests, under the race
# detector) takes 3-5 minutes on 2 cores, close to go test's default of 10 minutes when the
# machine is busy; a deadline that fires on a slow but correct run is not a finding.
TESTTIMEOUT ?= 30m
BENCH       ?= .
# Fuzz targets (package:Func), one `go test -fuzz` call each; seeds in testdata/fuzz/.
FUZZ_TARGETS ?= ./internal/http/kit:FuzzDecodeJSON ./internal/http/kit:FuzzParamID ./internal/http/kit:FuzzSafeNext \
	./internal/http:FuzzCSVText ./internal/http/kit:FuzzAsOfParam ./internal/markdown:FuzzRender ./internal/auth:FuzzParseToken \
	./internal/auth:FuzzCheckCSRF ./internal/app:FuzzProfileInput ./internal/app:FuzzParseQuarter \
	./internal/app:FuzzWebURL ./internal/transfer:FuzzParseMatrix
# By count, not time: a time limit can end a run mid-minimisation with "context deadline
# exceeded" (seen once on FuzzParamID), which is not a finding. A finding is saved under
# testdata/fuzz/<target>/; commit it with the fix so `make test` replays it for good.
FUZZTIME      ?= 20000x
FUZZPARALLEL  ?= 2

SUDO := $(shell if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then echo sudo; fi)
# .go files to check with gofmt (everything outside build/data/vendor dirs)
GOFILES_CMD := find . -name '*.go' -not -path './.git/*' -not -path './.data/*' \
	-not -path './bin/*' -not -path '*/node_modules/*' -not -path './vendor/*' -not -path './artifacts/*'

.PHONY: all build run test test-deps vet fmt-check fmt lint lint-openapi tools mailpit vulncheck browser axe bench fuzz \
	db db-url db-stop db-destroy clean distclean help

all: build

help:
	@sed -n '1,/^$$/p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

build:
	$(GO) build -o $(APP) ./cmd/teamshape

run: build
	@if [[ -z "$${DATABASE_URL:-}" ]]; then \
		DATABASE_URL="$$($(PG) url $(RUN_DB))"; \
	fi; \
	export DATABASE_URL; \
	if [[ -z "$${TEAMSHAPE_JWT_SECRET:-}" ]]; then export TEAMSHAPE_DEV=1; fi; \
	export TEAMSHAPE_ADDR="$${TEAMSHAPE_ADDR:-$(RUN_ADDR)}"; \
	export TEAMSHAPE_DEMO_PASSWORD_FILE="$${TEAMSHAPE_DEMO_PASSWORD_FILE:-$(RUN_DEMO_PASSWORD_FILE)}"; \
	echo "make run: database $$(sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$$DATABASE_URL")" >&2; \
	$(APP) migrate; \
	$(APP) seed-demo; \
	echo "make run: serving on http://$$TEAMSHAPE_ADDR" >&2; \
	exec $(APP) serve

# Everything `test` needs installed before it runs.
test-deps: browser mailpit axe

test: test-deps
	$(GO) vet ./...
	@$(MAKE) fmt-check
	@if [[ "$(STATICCHECK_SKIP)" != 1 ]]; then \
		if $(MAKE) tools; then $(STATICCHECK) ./...; \
		else echo "WARNING: staticcheck $(STATICCHECK_VERSION) could not be installed; skipping it" >&2; fi; \
	fi
	@url="$${TEAMSHAPE_TEST_DATABASE_URL:-}"; \
	if [[ -z "$$url" ]]; then url="$$($(PG))"; fi; \
	export TEAMSHAPE_TEST_DATABASE_URL="$$url" TEAMSHAPE_MAILPIT="$(MAILPIT)" TEAMSHAPE_AXE="$(AXE)"; \
	echo "+ TEAMSHAPE_TEST_DATABASE_URL=$$TEAMSHAPE_TEST_DATABASE_URL TEAMSHAPE_MAILPIT=$$TEAMSHAPE_MAILPIT TEAMSHAPE_AXE=$$TEAMSHAPE_AXE $(GO) test -race -count=1 -timeout $(TESTTIMEOUT) $(GOTESTFLAGS) ./..."; \
	$(GO) test -race -count=1 -timeout $(TESTTIMEOUT) $(GOTESTFLAGS) ./...

# -fuzz takes one package and one target, so each target is its own `go test` call.
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg="$${t%%:*}"; name="$${t##*:}"; \
		echo "+ $(GO) test -run '^$$' -fuzz '^$$name\$$' -fuzztime $(FUZZTIME) -parallel $(FUZZPARALLEL) $$pkg"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -parallel $(FUZZPARALLEL) "$$pkg"; \
	done

vet:
	$(GO) vet ./...

fmt-check:
	@files="$$($(GOFILES_CMD) -print0 | xargs -0r gofmt -l)"; \
	if [[ -n "$$files" ]]; then \
		echo "gofmt: these files need formatting (run 'make fmt'):" >&2; echo "$$files" >&2; exit 1; \
	fi

fmt:
	$(GOFILES_CMD) -print0 | xargs -0r gofmt -w

lint: tools
	$(STATICCHECK) ./...

# Pinned staticcheck into ./bin (skipped when the right version is already there).
tools:
	@if [[ -x "$(STATICCHECK)" ]] && "$(STATICCHECK)" -version 2>/dev/null | grep -qF "($(STATICCHECK_VERSION:v%=%))"; then \
		exit 0; \
	fi; \
	echo "+ GOBIN=$(BIN) $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)"; \
	GOBIN="$(BIN)" $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

# Pinned Mailpit into ./bin (skipped when that version is there: `go version -m` reads the
# module version the binary was built from). The first build takes a few minutes.
mailpit:
	@if [[ -x "$(MAILPIT)" ]] && $(GO) version -m "$(MAILPIT)" 2>/dev/null | grep -qE "^[[:space:]]+mod[[:space:]]+github.com/axllent/mailpit[[:space:]]+$(MAILPIT_VERSION)[[:space:]]"; then \
		exit 0; \
	fi; \
	echo "+ GOBIN=$(BIN) $(GO) install github.com/axllent/mailpit@$(MAILPIT_VERSION)"; \
	GOBIN="$(BIN)" $(GO) install github.com/axllent/mailpit@$(MAILPIT_VERSION)

# Known vulnerabilities reachable from ./... (govulncheck exits 3 when it finds one).
vulncheck:
	@if ! { [[ -x "$(GOVULNCHECK)" ]] && "$(GOVULNCHECK)" -version 2>/dev/null | grep -qF "govulncheck@$(GOVULNCHECK_VERSION)"; }; then \
		echo "+ GOBIN=$(BIN) $(GO) install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION)"; \
		GOBIN="$(BIN)" $(GO) install golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION); \
	fi
	@GO="$(GO)" $(CURDIR)/scripts/vulndb.sh "$(VULNDB_VERSION)" "$(VULNDB_DIR)"
	$(GOVULNCHECK) -db file://$(VULNDB_DIR) -show version ./...

# The OpenAPI description as GET /api/openapi.json serves it (scripts/openapi writes it to
# bin/openapi.json), linted by the pinned Redocly CLI with its recommended rules: errors fail.
# No telemetry, no update check: after the first npm ci it runs offline.
REDOCLY := scripts/openapi/node_modules/.bin/redocly
lint-openapi:
	@if [[ ! -x "$(REDOCLY)" ]] || ! cmp -s scripts/openapi/package-lock.json scripts/openapi/node_modules/.installed-lock.json; then \
		echo "+ (cd scripts/openapi && npm ci)"; \
		(cd scripts/openapi && npm ci --no-audit --no-fund --ignore-scripts && cp package-lock.json node_modules/.installed-lock.json); \
	fi
	@mkdir -p $(BIN)
	$(GO) run ./scripts/openapi $(BIN)/openapi.json
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true $(REDOCLY) lint --format=stylish $(BIN)/openapi.json

# Debian's chromium for browser tests, only if missing.
browser:
	@if [[ ! -x "$(BROWSER_BIN)" ]]; then \
		echo "+ apt-get install -y $(BROWSER_PKGS)"; \
		$(SUDO) apt-get update -qq; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PKGS); \
	fi

# axe-core from npm, exactly the lock file's (no install scripts), when the installed copy
# is not the locked version.
axe:
	@want="$$(node -p 'require("$(AXE_DIR)/package-lock.json").packages["node_modules/axe-core"].version')"; \
	if [[ -f "$(AXE)" ]] && [[ "$$(node -p 'require("$(AXE_DIR)/node_modules/axe-core/package.json").version' 2>/dev/null)" == "$$want" ]]; then \
		exit 0; \
	fi; \
	echo "+ npm ci --ignore-scripts (in internal/browser/axe: axe-core $$want)"; \
	cd "$(AXE_DIR)" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

bench:
	@url="$${TEAMSHAPE_TEST_DATABASE_URL:-}"; \
	if [[ -z "$$url" ]]; then url="$$($(PG))"; fi; \
	export TEAMSHAPE_TEST_DATABASE_URL="$$url"; \
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem $(GOTESTFLAGS) ./...

db: db-url
db-url:
	@$(PG)

db-stop:
	@$(PG) stop

db-destroy:
	@$(PG) destroy

clean:
	rm -rf $(BIN) artifacts coverage.out coverage.html cover.out *.coverprofile *.test

distclean: clean db-destroy
	rm -rf .data
