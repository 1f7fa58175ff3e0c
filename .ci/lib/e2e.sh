#!/usr/bin/env bash
# e2e.sh [PLAYWRIGHT ARGS...]: the Playwright suite (end2end/) against target/debug/warden.
# The global setup starts the server on 127.0.0.1:18080 with a fresh data dir; its log is
# end2end/test-results/server.log. Examples:
#   .ci/lib/e2e.sh --project js            only the JavaScript-enabled project
#   .ci/lib/e2e.sh -g login tests/auth.spec.ts
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$WARDEN_ROOT"

bin=${WARDEN_E2E_BIN:-$WARDEN_ROOT/target/debug/warden}
[ -x "$bin" ] || die "no server binary at $bin: run make build first"
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || die "no Chromium at ${CHROMIUM_PATH:-/usr/bin/chromium}: run make test-setup"
.ci/lib/test-deps.sh npm
cd end2end
say "browser tests: Playwright, projects js + nojs, server http://127.0.0.1:${WARDEN_E2E_PORT:-18080}"
exec ./node_modules/.bin/playwright test "$@"
