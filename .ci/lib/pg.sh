#!/usr/bin/env bash
# pg.sh: a private PostgreSQL for the tests, without systemd.
#
#   pg.sh start    init (first time) + start on 127.0.0.1:55432, create role + database;
#                  prints nothing but one progress line (stderr); idempotent
#   pg.sh stop     stop it (silent; fine when it is not running)
#   pg.sh status   exit 0 when running
#   pg.sh url      print the connection URL (export it as WARDEN_TEST_PG_URL)
#   pg.sh wipe     stop and delete the cluster
#
# Cluster in /tmp/warden-pg (data/, sock/, server.log); database warden_test, user
# warden, password warden (CREATEDB, so tests may make their own databases).
# Overrides: WARDEN_PG_DIR, WARDEN_PG_PORT. Needs the postgresql package (make test-setup).
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DIR=${WARDEN_PG_DIR:-/tmp/warden-pg}
PORT=${WARDEN_PG_PORT:-55432}
DB=warden_test
PG_USER=warden
PG_PASS=warden
URL="postgres://$PG_USER:$PG_PASS@127.0.0.1:$PORT/$DB"
cd /   # the postgres user cannot enter root's cwd: avoids "could not change directory" noise

pgbin() {
  local d
  d=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$d" ] || [ ! -x "$d/pg_ctl" ]; then die "PostgreSQL is not installed (run: make test-setup)"; fi
  echo "$d"
}
as_pg() { # run as the postgres user (initdb and the server refuse to run as root)
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres -- "$@"; fi
}
# running: the server accepts connections on its socket
running() { [ -S "$DIR/sock/.s.PGSQL.$PORT" ] && "$(pgbin)/pg_isready" -q -t 3 -h "$DIR/sock" -p "$PORT"; }
# postmaster_alive: the pid in postmaster.pid is a live process (not gone, not a zombie)
postmaster_alive() {
  local pid state
  pid=$(head -n 1 "$DIR/data/postmaster.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)
  [ -n "$state" ] && [ "$state" != Z ]
}

init_cluster() {
  local bin=$1
  rm -rf "$DIR/data" "$DIR/sock"
  install -d -o postgres -g postgres -m 755 "$DIR" "$DIR/sock"
  install -d -o postgres -g postgres -m 700 "$DIR/data"
  # --no-sync and fsync=off: a throw-away cluster
  as_pg "$bin/initdb" -D "$DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log" 2>&1 ||
    { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
  cat >>"$DIR/data/postgresql.conf" <<CONF
# warden test cluster
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
}

start_server() {
  local bin=$1
  : >"$DIR/server.log"; chown postgres:postgres "$DIR/server.log"
  as_pg "$bin/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 30 start >/dev/null 2>&1
}

cmd_start() {
  local bin; bin=$(pgbin)
  if ! running; then
    local major
    major=$("$bin/postgres" -V | awk '{split($3, v, "."); print v[1]}')
    # no cluster yet, or one made by another PostgreSQL major version: make a new one
    if [ "$(cat "$DIR/data/PG_VERSION" 2>/dev/null)" != "$major" ]; then init_cluster "$bin"; fi
    if ! postmaster_alive; then   # lock files of a killed server would block the start
      rm -f "$DIR/data/postmaster.pid" "$DIR/sock/.s.PGSQL.$PORT" "$DIR/sock/.s.PGSQL.$PORT.lock"
    fi
    if ! start_server "$bin"; then
      # a broken leftover cluster: start over once
      warn "PostgreSQL did not start; re-creating $DIR"; tail -n 5 "$DIR/server.log" >&2 || true
      init_cluster "$bin"
      start_server "$bin" || { tail -n 20 "$DIR/server.log" >&2; die "PostgreSQL failed to start on port $PORT (log: $DIR/server.log)"; }
    fi
  fi
  # role + database (idempotent); the superuser connects over the socket with trust
  local -a psql=("$bin/psql" -h "$DIR/sock" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
  as_pg "${psql[@]}" -c "DO \$\$BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
        CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASS' CREATEDB;
      END IF; END\$\$;" >/dev/null
  [ "$(as_pg "${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" = 1 ] ||
    as_pg "${psql[@]}" -c "CREATE DATABASE $DB OWNER $PG_USER" >/dev/null
  # the tests connect like this: TCP + password
  PGCONNECT_TIMEOUT=5 "$bin/psql" "$URL" -qAtc 'SELECT 1' >/dev/null ||
    die "PostgreSQL is up but $URL does not answer"
  say "PostgreSQL on 127.0.0.1:$PORT (db $DB, user $PG_USER; cluster in $DIR)"
}

cmd_stop() {
  [ -f "$DIR/data/postmaster.pid" ] || return 0
  if postmaster_alive; then
    as_pg "$(pgbin)/pg_ctl" -D "$DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  else
    rm -f "$DIR/data/postmaster.pid"   # left by a killed server
  fi
}

case "${1:-}" in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) running ;;
  url)    echo "$URL" ;;
  wipe)   cmd_stop; rm -rf "$DIR" ;;
  *) sed -n '2,14p' "$0" >&2; exit 2 ;;
esac
