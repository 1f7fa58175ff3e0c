#!/usr/bin/env bash
# build.sh: build Warden's browser bundle, site assets and server, the way cargo-leptos
# would, but driving cargo and wasm-bindgen directly.
#
#   build.sh front  [debug|release]   warden-app (hydrate) -> wasm32 -> target/site/pkg/warden{.js,_bg.wasm}
#   build.sh assets                   style/*.css (name order) -> target/site/pkg/warden.css; public/ -> target/site/
#   build.sh server [debug|release]   warden binary -> target/<debug|release>/warden
#   build.sh all    [debug|release]   the three above
#
# Runs in the toolchain environment from toolchain.sh (route A or B). No RUSTFLAGS and no
# LEPTOS_* variables at compile time: both halves must be compiled with identical flags
# (else hydration breaks), and with LEPTOS_OUTPUT_NAME unset Leptos's HydrationScripts
# loads pkg/<output-name>_bg.wasm, the name wasm-bindgen writes.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$WARDEN_ROOT"

OUT_NAME=warden                 # LEPTOS_OUTPUT_NAME the server gets at run time
SITE=target/site
PKG=$SITE/pkg
eval "$(.ci/lib/toolchain.sh env)"
unset LEPTOS_OUTPUT_NAME LEPTOS_WATCH LEPTOS_HASH_FILES

check_profile() {
  case "$1" in debug|release) ;; *) die "profile must be debug or release, not '$1'" ;; esac
}

build_front() {
  local profile=$1 dir
  local -a args=(--package warden-app --lib --target wasm32-unknown-unknown
                 --no-default-features --features hydrate --target-dir target/front)
  if [ "$profile" = release ]; then args+=(--profile wasm-release); dir="wasm-release"; else dir="debug"; fi
  say "building the browser bundle ($profile, route $WARDEN_TOOLCHAIN_ROUTE)"
  if [ "$WARDEN_TOOLCHAIN_ROUTE" = B ]; then
    # Debian's Rust ships no prebuilt std for wasm32: build it from rust-web-src. Only
    # this build sees RUSTC_BOOTSTRAP (own target dir, so host builds keep their cache).
    RUSTC_BOOTSTRAP=1 cargo build "${args[@]}" -Zbuild-std=std,panic_abort
  else
    cargo build "${args[@]}"
  fi
  local wasm=target/front/wasm32-unknown-unknown/$dir/warden_app.wasm
  [ -f "$wasm" ] || die "expected $wasm after the wasm build"
  mkdir -p "$PKG"
  wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name "$OUT_NAME" "$wasm"
  if [ "$profile" = release ]; then
    local wasm_opt
    wasm_opt=$(.ci/lib/toolchain.sh wasm-opt)
    say "wasm-opt -Oz"
    "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
      "$PKG/${OUT_NAME}_bg.wasm" -o "$PKG/${OUT_NAME}_bg.wasm.opt"
    mv "$PKG/${OUT_NAME}_bg.wasm.opt" "$PKG/${OUT_NAME}_bg.wasm"
  fi
  printf '    %s\n' "$PKG/$OUT_NAME.js ($(stat -c %s "$PKG/$OUT_NAME.js") bytes)" \
                    "$PKG/${OUT_NAME}_bg.wasm ($(stat -c %s "$PKG/${OUT_NAME}_bg.wasm") bytes)" >&2
}

build_assets() {
  local -a css=()
  mkdir -p "$PKG"
  if [ -d style ]; then
    mapfile -t css < <(find style -maxdepth 1 -type f -name '*.css' -print | LC_ALL=C sort)
  fi
  local tmp=$PKG/.$OUT_NAME.css.tmp
  : >"$tmp"
  local f
  for f in "${css[@]}"; do
    { printf '/* %s */\n' "$f"; cat "$f"; printf '\n'; } >>"$tmp"
  done
  mv "$tmp" "$PKG/$OUT_NAME.css"
  if [ -d public ] && [ -n "$(find public -mindepth 1 -not -name .gitkeep -print -quit)" ]; then
    cp -a public/. "$SITE"/
    rm -f "$SITE/.gitkeep"
  fi
}

build_server() {
  local profile=$1
  local -a args=(--package warden)
  [ "$profile" = release ] && args+=(--release)
  say "building the server ($profile, route $WARDEN_TOOLCHAIN_ROUTE)"
  cargo build "${args[@]}"
}

what=${1:-}; profile=${2:-debug}
case "$what" in
  front)  check_profile "$profile"; build_front "$profile" ;;
  assets) build_assets ;;
  server) check_profile "$profile"; build_server "$profile" ;;
  all)    check_profile "$profile"; build_front "$profile"; build_assets; build_server "$profile" ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
