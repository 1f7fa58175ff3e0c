#!/usr/bin/env bash
# test-hosts.sh: fake FreeBSD hosts for the SSH tests and benchmarks. Each host is a network
# namespace on a private bridge with its own sshd, hostname (UTS namespace) and mount namespace
# in which the FreeBSD simulator (server/backend/tests/sim/bin) shadows /usr/local/sbin and the
# host's own state directory is /var/lib/warden-sim. Each host has its own empty /root: this
# machine's root dotfiles (bash reads ~/.bashrc even for `ssh host cmd`) are not the host's.
#
#   test-hosts.sh up N STATE AUTHORIZED_KEYS   hosts 1..N (idempotent; tears down leftovers first)
#   test-hosts.sh down N STATE                 remove hosts 1..N and the bridge
#   test-hosts.sh kill I STATE                 stop host I's sshd      (→ connection refused)
#   test-hosts.sh start I STATE                start it again
#   test-hosts.sh linkdown I | linkup I        cut / restore host I's link (→ connect timeout)
#   test-hosts.sh rekey I STATE                host I "reinstalled": sessions dropped, new host key
#   test-hosts.sh addr I                       host I's address
#
# Host I listens on 10.78.$((I/200)).$((I%200+2)):22 on bridge wdbr0 (10.78.0.1/16). All traffic
# stays on this machine. Needs root (ip netns, mount), iproute2, util-linux, openssh-server.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
SIM_BIN="$WARDEN_ROOT/server/backend/tests/sim/bin"
BR=wdbr0

addr() { echo "10.78.$(($1 / 200)).$(($1 % 200 + 2))"; }

sshd_config() { # DIR ADDR
  cat > "$1/sshd_config" <<CFG
ListenAddress $2
Port 22
HostKey $1/ssh_host_ed25519_key
PidFile $1/sshd.pid
AuthorizedKeysFile $1/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
MaxStartups 100:30:200
ClientAliveInterval 5
ClientAliveCountMax 3
LogLevel VERBOSE
CFG
}

start_host() { # I STATE
  local i=$1 d="$2/h$1" a; a=$(addr "$1")
  mkdir -p "$d/sim" "$d/root"; chmod 755 "$d"
  [ -f "$d/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "host$i" -f "$d/ssh_host_ed25519_key"
  [ -f "$d/sim/version" ] || echo 14.3-RELEASE-p2 > "$d/sim/version"
  [ -f "$d/sim/sysctl" ] || printf 'hw.ncpu=4\nhw.physmem=8589934592\nkern.osrelease=14.3-RELEASE-p2\nkern.osreldate=1403000\nsecurity.jail.jailed=0\n' > "$d/sim/sysctl"
  sshd_config "$d" "$a"
  rm -f "$d/sshd.pid"
  # setsid: sshd must not die with the caller's process group (tests kill their own children)
  setsid ip netns exec "wdns$i" unshare --uts --mount sh -c \
    'mount --bind "$0" /usr/local/sbin && mount --bind "$1" /var/lib/warden-sim &&
     mount --bind "$1/../root" /root && hostname "$2" &&
     exec /usr/sbin/sshd -D -f "$3" -E "$4"' \
    "$SIM_BIN" "$d/sim" "host$i" "$d/sshd_config" "$d/sshd.log" </dev/null >/dev/null 2>&1 &
}

wait_up() { # I STATE
  local d="$2/h$1"
  for _ in $(seq 100); do [ -s "$d/sshd.pid" ] && return 0; sleep 0.05; done
  cat "$d/sshd.log" >&2 || true
  die "sshd of host $1 did not start"
}

down() { # N STATE
  local i
  for i in $(seq 1 "$1"); do
    [ -s "$2/h$i/sshd.pid" ] && kill "$(cat "$2/h$i/sshd.pid")" 2>/dev/null || true
    ip link del "wdv$i" 2>/dev/null || true
    ip netns del "wdns$i" 2>/dev/null || true
  done
  ip link del $BR 2>/dev/null || true
}

case "${1:-}" in
up)
  N=${2:?N}; STATE=${3:?state dir}; KEYS=${4:?authorized_keys file}
  down "$N" "$STATE"
  mkdir -p "$STATE" /run/sshd /var/lib/warden-sim /usr/local/sbin
  ip link add $BR type bridge
  ip addr add 10.78.0.1/16 dev $BR
  ip link set $BR up
  for i in $(seq 1 "$N"); do
    ip netns add "wdns$i"
    ip link add "wdv$i" type veth peer name eth0 netns "wdns$i"
    ip link set "wdv$i" master $BR up
    ip -n "wdns$i" addr add "$(addr "$i")/16" dev eth0
    ip -n "wdns$i" link set eth0 up
    ip -n "wdns$i" link set lo up
    mkdir -p "$STATE/h$i"; cp "$KEYS" "$STATE/h$i/authorized_keys"; chmod 644 "$STATE/h$i/authorized_keys"
    start_host "$i" "$STATE"
  done
  for i in $(seq 1 "$N"); do wait_up "$i" "$STATE"; done
  say "$N test hosts up on $BR (10.78.0.2 …)" ;;
down) down "${2:?N}" "${3:?state dir}" ;;
kill) kill "$(cat "${3:?state}/h$2/sshd.pid")"; rm -f "$3/h$2/sshd.pid" ;;
start) start_host "$2" "${3:?state}"; wait_up "$2" "$3" ;;
rekey) # like a reinstalled host: every process in its namespace (open sessions too) is gone
  ip netns pids "wdns$2" | xargs -r kill 2>/dev/null || true
  rm -f "$3/h$2/ssh_host_ed25519_key" "$3/h$2/ssh_host_ed25519_key.pub" "$3/h$2/sshd.pid"
  sleep 0.2; start_host "$2" "$3"; wait_up "$2" "$3" ;;
linkdown) ip link set "wdv$2" down ;;
linkup) ip link set "wdv$2" up ;;
addr) addr "$2" ;;
*) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
