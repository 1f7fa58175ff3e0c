#!/usr/bin/env bash
# toolchain.sh: pick, install and describe the Rust toolchain that builds Warden
# (host server + wasm32 browser bundle). See also the Makefile.
#
#   toolchain.sh ensure    route + wasm32 std + host C compiler + wasm-bindgen-cli at the
#                          exact Cargo.lock version; idempotent, silent when all present
#   toolchain.sh route     only choose/verify the route; prints A or B
#   toolchain.sh env       prints `export ...` lines for the recorded route (eval them);
#                          every make rule that runs cargo uses exactly this environment
#   toolchain.sh wasm-opt  installs wasm-opt (npm binaryen@132) under target/tools, prints its path
#   toolchain.sh info      one line describing the toolchain
#
# Routes (the choice is remembered in target/.toolchain-route):
#   A  rustup's toolchain + `rustup target add wasm32-unknown-unknown` (tried first)
#   B  Debian's rustc-web/cargo-web 1.96 + rust-web-src; std for wasm32 is compiled from
#      source with -Zbuild-std (RUSTC_BOOTSTRAP=1, wasm build only), and this one
#      toolchain (PATH=/usr/bin first, RUSTC=/usr/bin/rustc) builds the whole workspace.
# Set WARDEN_TOOLCHAIN_ROUTE=A or B to force a route.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$WARDEN_ROOT"

ROUTE_FILE=$WARDEN_ROOT/target/.toolchain-route
CARGO_BIN=${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin
WASM_TARGET=wasm32-unknown-unknown
RUSTUP_TIMEOUT=${WARDEN_RUSTUP_TIMEOUT:-180}
# Debian bookworm(-security): Rust 1.96 with its std source; rust-web-llvm + lld-22 give
# /usr/bin/rust-lld (the wasm linker) at rustc's LLVM version.
DEBIAN_RUST_PKGS=(rustc-web cargo-web rust-web-src libstd-rust-web-dev rust-web-llvm lld-22
                  rust-web-clippy rustfmt-web)
BINARYEN_VERSION=132.0.0   # npm; never Debian's binaryen 108 (miscompiles externref tables)
BINARYEN_DIR=$WARDEN_ROOT/target/tools/binaryen

# --- environment per route ---------------------------------------------------------
print_env() { # print_env A|B
  # Compile-time LEPTOS_OUTPUT_NAME would make Leptos load pkg/warden.wasm, not warden_bg.wasm;
  # LEPTOS_WATCH changes the rendered markup. Neither may reach cargo.
  echo 'unset LEPTOS_OUTPUT_NAME LEPTOS_WATCH'
  case "$1" in
    A) cat <<EOT
export PATH="$CARGO_BIN:\$PATH"
export WARDEN_TOOLCHAIN_ROUTE=A
EOT
    ;;
    B) cat <<EOT
export PATH="/usr/bin:$CARGO_BIN:\$PATH"
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
export WARDEN_TOOLCHAIN_ROUTE=B
EOT
    ;;
    *) die "unknown toolchain route '$1'" ;;
  esac
}
use_route() { eval "$(print_env "$1")"; }

# --- route A: rustup ---------------------------------------------------------------
route_a_ready() { # rustup's rustc (as seen from the repo root) has std for wasm32
  (
    use_route A
    command -v rustup >/dev/null || exit 1
    sysroot=$(rustc --print sysroot 2>/dev/null) || exit 1
    compgen -G "$sysroot/lib/rustlib/$WASM_TARGET/lib/libstd-*.rlib" >/dev/null
  )
}
route_a_install() {
  route_a_ready && return 0
  (use_route A; command -v rustup >/dev/null) || { say "no rustup here: route A unavailable"; return 1; }
  say "adding the $WASM_TARGET target with rustup (route A, timeout ${RUSTUP_TIMEOUT}s)"
  local log=$WARDEN_ROOT/target/logs/rustup.log
  mkdir -p "${log%/*}"
  if ! (use_route A; timeout "$RUSTUP_TIMEOUT" rustup target add "$WASM_TARGET") >"$log" 2>&1; then
    say "rustup target add failed or timed out (log: $log)"
    return 1
  fi
  route_a_ready || { say "rustup reported success but std for $WASM_TARGET is missing"; return 1; }
}

# --- route B: Debian rustc-web + std source ----------------------------------------
route_b_ready() {
  local p
  for p in "${DEBIAN_RUST_PKGS[@]}"; do pkg_installed "$p" || return 1; done
  [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] && [ -x /usr/bin/rust-lld ] || return 1
  /usr/bin/rustc --print target-list | grep -qx "$WASM_TARGET" || return 1
  [ -f "$(/usr/bin/rustc --print sysroot)/lib/rustlib/src/rust/library/std/Cargo.toml" ]
}
route_b_install() {
  route_b_ready && return 0
  apt_install "${DEBIAN_RUST_PKGS[@]}"
  route_b_ready || die "route B: Debian's rustc-web is installed but not usable for $WASM_TARGET"
}

record_route() {
  mkdir -p "${ROUTE_FILE%/*}"
  [ "$(cat "$ROUTE_FILE" 2>/dev/null)" = "$1" ] || printf '%s\n' "$1" >"$ROUTE_FILE"
}

# ensure_route: verify the forced or remembered route, otherwise try A, then B.
# Sets ROUTE and records it.
ROUTE=""
ensure_route() {
  local forced=${WARDEN_TOOLCHAIN_ROUTE:-} recorded=""
  case "$forced" in ''|A|B) ;; *) die "WARDEN_TOOLCHAIN_ROUTE must be A or B, not '$forced'" ;; esac
  [ -s "$ROUTE_FILE" ] && recorded=$(<"$ROUTE_FILE")
  ROUTE=${forced:-$recorded}
  case "$ROUTE" in
    A) route_a_ready && { record_route A; return; } ;;
    B) route_b_ready && { record_route B; return; } ;;
  esac
  if [ "$forced" != B ]; then
    if route_a_install; then ROUTE=A; record_route A; return; fi
    [ "$forced" = A ] && die "route A (rustup) was forced but does not work"
    say "falling back to route B (Debian's Rust 1.96 + -Zbuild-std)"
  fi
  route_b_install
  ROUTE=B; record_route B
}

# fast_route: the forced or remembered route without checking it (setup checked it);
# chooses and installs one only when there is none yet.
fast_route() {
  if [ -n "${WARDEN_TOOLCHAIN_ROUTE:-}" ]; then ROUTE=$WARDEN_TOOLCHAIN_ROUTE
  elif [ -s "$ROUTE_FILE" ]; then ROUTE=$(<"$ROUTE_FILE")
  else ensure_route; fi
}

# --- host C compiler (linker for build scripts and the server) ---------------------
ensure_cc() {
  command -v cc >/dev/null && return 0
  apt_install gcc libc6-dev
}

# --- wasm-bindgen-cli at exactly the version of the wasm-bindgen crate --------------
wasm_bindgen_version() {
  local v=""
  if [ -f Cargo.lock ]; then
    v=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  fi
  if [ -z "$v" ]; then   # no lock file yet: the `=X.Y.Z` pin in Cargo.toml
    v=$(sed -n 's/^wasm-bindgen *= *{[^}]*version *= *"=\([0-9.]*\)".*/\1/p' Cargo.toml | head -n 1)
  fi
  [ -n "$v" ] || die "cannot find the wasm-bindgen version in Cargo.lock or Cargo.toml"
  echo "$v"
}
ensure_wasm_bindgen() {
  local want have
  want=$(wasm_bindgen_version)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}') || true
  [ "$have" = "$want" ] && return 0
  say "installing wasm-bindgen-cli $want (one time, ~5 min)${have:+, replacing $have}"
  # No --locked: wasm-bindgen-cli's own lock file pins a crate missing from the index.
  cargo install --quiet wasm-bindgen-cli --version "$want" ||
    die "cargo install wasm-bindgen-cli --version $want failed"
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}') || true
  [ "$have" = "$want" ] || die "wasm-bindgen on PATH is '${have:-missing}' after installing $want (is $CARGO_BIN on PATH?)"
}

# --- wasm-opt for release builds -----------------------------------------------------
ensure_wasm_opt() {
  local bin=$BINARYEN_DIR/node_modules/.bin/wasm-opt
  if [ ! -x "$bin" ] || ! "$bin" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    command -v npm >/dev/null || die "npm is needed for wasm-opt (binaryen@$BINARYEN_VERSION)"
    say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION, one time)"
    mkdir -p "$BINARYEN_DIR"
    [ -f "$BINARYEN_DIR/package.json" ] || echo '{"name":"warden-tools","private":true}' >"$BINARYEN_DIR/package.json"
    npm install --prefix "$BINARYEN_DIR" --no-audit --no-fund --loglevel=error \
      --save-exact "binaryen@$BINARYEN_VERSION" >&2
  fi
  echo "$bin"
}

case "${1:-}" in
  ensure)
    ensure_route >&2
    use_route "$ROUTE"
    ensure_cc
    ensure_wasm_bindgen
    ;;
  route) ensure_route >&2; echo "$ROUTE" ;;
  env) fast_route >&2; print_env "$ROUTE" ;;
  wasm-opt) ensure_wasm_opt ;;
  info)
    fast_route >&2; use_route "$ROUTE"
    echo "route $ROUTE: $(rustc --version); $(cargo --version); wasm-bindgen $(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
    ;;
  *) sed -n '2,19p' "$0" >&2; exit 2 ;;
esac
