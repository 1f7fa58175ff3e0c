#!/usr/bin/env bash
# test-deps.sh: what the tests need beyond the build toolchain (idempotent, silent when present).
#
#   test-deps.sh apt   Debian packages: PostgreSQL, Chromium + fonts, OpenSSH, iproute2, procps
#                      (`apt-get update` runs only when something must be installed)
#   test-deps.sh npm   end2end/node_modules from end2end/package-lock.json (npm ci);
#                      browsers come from Debian: never `npx playwright install`
#   test-deps.sh all   both (default)
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$WARDEN_ROOT"

APT_PKGS=(postgresql postgresql-client chromium fonts-dejavu-core fonts-liberation
          openssh-server openssh-client iproute2 procps)
PLAYWRIGHT_VERSION=1.65.2   # keep equal to end2end/package.json

deps_apt() {
  # policy-rc.d (when the image has one) keeps the postgresql package from starting its
  # default cluster; without systemd nothing else starts on its own.
  apt_install "${APT_PKGS[@]}"
  [ -x /usr/bin/chromium ] || die "/usr/bin/chromium is missing after installing chromium"
}

deps_npm() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    die "node >= 20 and npm are needed for the browser tests"
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "node $(node --version) is too old: @playwright/test $PLAYWRIGHT_VERSION needs node >= 20"
  cd end2end
  local have=""
  have=$(node -p 'require("./node_modules/@playwright/test/package.json").version' 2>/dev/null) || true
  if [ "$have" = "$PLAYWRIGHT_VERSION" ] && [ -f node_modules/.package-lock.json ] &&
     [ ! package-lock.json -nt node_modules/.package-lock.json ] &&
     [ ! package.json -nt node_modules/.package-lock.json ]; then
    return 0
  fi
  say "installing the end2end npm packages (@playwright/test $PLAYWRIGHT_VERSION; browsers come from Debian)"
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: belt and braces, nothing may fetch browsers
  if [ -f package-lock.json ]; then
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  else
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
  fi
}

case "${1:-all}" in
  apt) deps_apt ;;
  npm) deps_npm ;;
  all) deps_apt; deps_npm ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
