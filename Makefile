# Warden: build, run and test.
#
#   make run     on a fresh Debian 12 machine (rustup + node preinstalled) installs what it
#                needs, builds, and serves http://127.0.0.1:3000 with data in ./data
#   make test    what CI runs (.ci/run): cargo tests with PostgreSQL, then the browser tests
#   make help    the list of targets
#
# The longer logic lives in .ci/lib/*.sh. Every rule that runs cargo uses one toolchain
# environment, from `.ci/lib/toolchain.sh env`: route A (rustup + wasm32 target) or route B
# (Debian's rustc-web with -Zbuild-std), chosen once by `make setup` and remembered in
# target/.toolchain-route. `make V=1` echoes the commands.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.NOTPARALLEL:
.DEFAULT_GOAL := help
ifndef V
.SILENT:
endif

LIB        := .ci/lib
# eval'd at the top of recipes that call cargo themselves (build.sh does it on its own)
TOOLCHAIN  := eval "$$($(LIB)/toolchain.sh env)"
# The back-end test command (WARDEN_TEST_PG_URL is exported for it). Override with e.g.
#   make test CARGO_TEST="cargo test -p warden-backend"
CARGO_TEST ?= cargo test --workspace --no-fail-fast
# Extra arguments for Playwright, e.g. make e2e E2E_ARGS="--project js -g login"
E2E_ARGS   ?=

# `make run`: where the server listens and keeps its data
LISTEN     ?= 127.0.0.1:3000
DATA_DIR   ?= $(CURDIR)/data
SITE_ROOT  := $(CURDIR)/target/site
ADMIN_USER ?= admin
# The server's run-time environment. Never exported to cargo: LEPTOS_OUTPUT_NAME at compile
# time would make Leptos look for pkg/warden.wasm instead of pkg/warden_bg.wasm.
SERVER_ENV := WARDEN_LISTEN=$(LISTEN) WARDEN_DATA_DIR=$(DATA_DIR) LEPTOS_SITE_ROOT=$(SITE_ROOT) \
              LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=warden LEPTOS_SITE_ADDR=$(LISTEN)

.PHONY: help setup build front assets server run admin release test-setup test e2e \
        pg-start pg-stop clean-data clean bench-inventory bench-ssh bench-jobs

help: ## list the targets
	echo "Warden make targets:"
	grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | awk -F'\t' '{printf "  %-11s %s\n", $$1, $$2}'

# ---------------------------------------------------------------------------- build + run

setup: ## install what `run` needs: toolchain route, wasm32 std, wasm-bindgen-cli (idempotent)
	$(LIB)/toolchain.sh ensure

build: setup ## debug build: browser bundle + css into target/site, server into target/debug/warden
	$(LIB)/build.sh all debug

front: setup ## only the browser bundle (target/site/pkg/warden.js + warden_bg.wasm)
	$(LIB)/build.sh front debug

assets: ## only style/*.css -> target/site/pkg/warden.css and public/ -> target/site/
	$(LIB)/build.sh assets

server: setup ## only the server binary (target/debug/warden)
	$(LIB)/build.sh server debug

run: setup build ## build, then serve http://127.0.0.1:3000 with data in ./data
	mkdir -p -m 700 "$(DATA_DIR)"
	echo "==> Warden on http://$(LISTEN)  (data: $(DATA_DIR); site: $(SITE_ROOT))"
	exec env $(SERVER_ENV) target/debug/warden serve

# Asks for the password on a terminal, or reads it from stdin: echo 'pw' | make admin
admin: build ## create an admin account in ./data (ADMIN_USER=admin)
	mkdir -p -m 700 "$(DATA_DIR)"
	if [ -t 0 ]; then read -rsp "password for $(ADMIN_USER): " pw; echo; else IFS= read -r pw; fi
	printf '%s\n' "$$pw" | env $(SERVER_ENV) target/debug/warden user add \
	  --username "$(ADMIN_USER)" --role admin --password-stdin

release: setup ## optimised build: wasm-release profile + wasm-opt -Oz (npm binaryen 132), server --release
	$(LIB)/build.sh all release

# ---------------------------------------------------------------------------------- tests

test-setup: setup ## install what the tests need: apt packages (only if missing), end2end npm packages
	$(LIB)/test-deps.sh all

pg-start: ## start the private PostgreSQL (127.0.0.1:55432, /tmp/warden-pg) and print its URL
	$(LIB)/pg.sh start
	echo "WARDEN_TEST_PG_URL=$$($(LIB)/pg.sh url)"

pg-stop: ## stop the private PostgreSQL
	$(LIB)/pg.sh stop

# cargo tests with PostgreSQL, then Playwright; both always run, PostgreSQL is stopped
# even on failure, and the rule fails if either failed. Logs: target/test-logs/.
test: test-setup build ## everything CI runs: cargo tests (WARDEN_TEST_PG_URL set) + browser tests
	$(TOOLCHAIN)
	start=$$SECONDS
	mkdir -p target/test-logs
	trap '$(LIB)/pg.sh stop' EXIT
	$(LIB)/pg.sh start
	export WARDEN_TEST_PG_URL="$$($(LIB)/pg.sh url)"
	cargo_rc=0 e2e_rc=0
	echo "==> $(CARGO_TEST)   (WARDEN_TEST_PG_URL=$$WARDEN_TEST_PG_URL)"
	$(CARGO_TEST) 2>&1 | tee target/test-logs/cargo-test.log || cargo_rc=$$?
	$(LIB)/e2e.sh $(E2E_ARGS) 2>&1 | tee target/test-logs/e2e.log || e2e_rc=$$?
	$(LIB)/summary.sh target/test-logs/cargo-test.log $$cargo_rc target/test-logs/e2e.log $$e2e_rc $$((SECONDS - start))

e2e: ## only the Playwright suite (needs `make build` and `make test-setup` done before)
	$(LIB)/e2e.sh $(E2E_ARGS)

# ----------------------------------------------------------------------------- benchmarks

# Extra arguments, e.g. make bench-inventory BENCH_ARGS="--clients 16 --seconds 20"
BENCH_ARGS ?=

bench-inventory: setup ## P5: inventory over HTTP at 1000 hosts / 20000 jails / 100000 services (release build)
	$(TOOLCHAIN)
	$(LIB)/build.sh assets
	cargo build --release -p warden --bin warden --example bench_inventory
	target/release/examples/bench_inventory $(BENCH_ARGS)

# Ansible (PyPI ansible-core) lives in its own virtualenv under target/; parallel-ssh is Debian's pssh.
ANSIBLE_VENV := $(CURDIR)/target/bench-venv

bench-ssh: setup ## P1/P2: SSH fan-out and warm command cost vs Ansible and parallel-ssh (root; namespaces)
	$(TOOLCHAIN)
	$(LIB)/test-deps.sh apt
	. $(LIB)/common.sh; apt_install pssh python3-venv
	[ -x "$(ANSIBLE_VENV)/bin/ansible" ] || { python3 -m venv "$(ANSIBLE_VENV)" && "$(ANSIBLE_VENV)/bin/pip" install -q ansible-core; }
	cargo build --release -p warden --example bench_ssh
	target/release/examples/bench_ssh --ansible "$(ANSIBLE_VENV)/bin/ansible" $(BENCH_ARGS)

bench-jobs: setup ## P7/P8: job queue throughput, enqueue→start latency, crash recovery (SQLite; PostgreSQL too)
	$(TOOLCHAIN)
	trap '$(LIB)/pg.sh stop' EXIT
	$(LIB)/pg.sh start
	cargo build --release -p warden --example bench_jobs
	target/release/examples/bench_jobs --pg "$$($(LIB)/pg.sh url)" $(BENCH_ARGS)

# ------------------------------------------------------------------------------- cleaning

clean-data: ## delete ./data (the database and state of `make run`)
	rm -rf "$(DATA_DIR)"

clean: ## delete target/ (all build output, the toolchain choice, wasm-opt) and test output
	rm -rf target end2end/test-results end2end/playwright-report
