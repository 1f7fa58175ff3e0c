# shellcheck shell=bash
# common.sh: helpers shared by the .ci/lib scripts (sourced, never run).
# Progress lines start with "==> " and go to stderr, so stdout stays clean for
# values a caller captures (a URL, `export` lines, a path).

# Repository root: the folder holding .ci/
WARDEN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DEBIAN_FRONTEND=noninteractive

say() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Root runs apt directly; anyone else goes through sudo (when there is one).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo -E "$@"
  else die "need root (or sudo) to run: $*"; fi
}

# pkg_installed PKG: true when dpkg has PKG fully installed
pkg_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# missing_pkgs PKG...: prints the ones that are not installed, one per line
missing_pkgs() {
  local p
  for p in "$@"; do pkg_installed "$p" || printf '%s\n' "$p"; done
}

# apt_install PKG...: installs the packages that are missing (none missing: does
# nothing at all). `apt-get update` runs first, at most once per process, and is
# skipped when the package lists were refreshed in the last 30 minutes.
# Output goes to target/logs/apt.log and is shown only when apt fails.
_WARDEN_APT_UPDATED=0
apt_install() {
  local -a missing
  mapfile -t missing < <(missing_pkgs "$@")
  [ "${#missing[@]}" -gt 0 ] || return 0
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get to install them"
  local log="$WARDEN_ROOT/target/logs/apt.log"
  mkdir -p "${log%/*}"
  local -a apt=(apt-get -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 -q)
  say "installing ${missing[*]} (apt, one time)"
  if [ "$_WARDEN_APT_UPDATED" = 0 ] &&
     [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -30 -print -quit 2>/dev/null)" ]; then
    as_root "${apt[@]}" update >>"$log" 2>&1 || { tail -n 30 "$log" >&2; die "apt-get update failed (log: $log)"; }
  fi
  _WARDEN_APT_UPDATED=1
  as_root "${apt[@]}" install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1 ||
    { tail -n 30 "$log" >&2; die "apt-get install ${missing[*]} failed (log: $log)"; }
}
