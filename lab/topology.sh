#!/usr/bin/env bash
# Network-namespace lab: phone --(LAN)-- bridge --(VPN)-- pbx.
#
#   topology.sh up     [prefix]              create (tears down leftovers first)
#   topology.sh down   [prefix]              kill processes inside, delete namespaces
#   topology.sh exec   <prefix> <host> cmd…  run cmd in <prefix>-<host> (phone|bridge|pbx)
#   topology.sh status [prefix]              show namespaces, addresses, processes
#   topology.sh check  [prefix]              prove reachability: LAN ok, VPN ok, phone->PBX not
#
# The bridge does NOT forward IP: the only way from phone to PBX is through the daemon under
# test, exactly as on a real home LAN with a VPN adapter. Addresses are 198.18.0.0/15 (RFC 2544
# benchmarking space), so nothing here can collide with or leak to a real network.
set -euo pipefail

PHONE_IP=198.18.1.10
BRIDGE_LAN_IP=198.18.1.1
BRIDGE_VPN_IP=198.19.2.1
PBX_IP=198.19.2.10
PBX2_IP=198.19.2.11
LAN_IF=eth0
VPN_IF=tun0

die() { echo "topology.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 up|down|status|check [prefix] | exec <prefix> <phone|bridge|pbx> <cmd...>"; }

check_prefix() {
  # Namespace names are free-form, but the host-side temporary veth names are "<prefix>-l-b"
  # and must fit IFNAMSIZ-1 = 15 characters, so keep the prefix short and simple.
  [[ $1 =~ ^[a-z0-9]{1,8}$ ]] || die "prefix must be 1-8 chars [a-z0-9], got '$1'"
}

ns_exists() { ip netns list | awk '{print $1}' | grep -qx -- "$1"; }

down() {
  local p=$1 h ns pids
  for h in phone bridge pbx; do
    ns=$p-$h
    ns_exists "$ns" || continue
    # Deleting a namespace does not stop the processes in it; leftovers (kamailio, sipp, the
    # daemon) would keep ports and the netns alive, so kill them first.
    pids=$(ip netns pids "$ns" || true)
    if [[ -n $pids ]]; then
      # shellcheck disable=SC2086  # word splitting of the pid list is intended
      kill -TERM $pids 2>/dev/null || true
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        [[ -z $(ip netns pids "$ns" || true) ]] && break
        sleep 0.2
      done
      pids=$(ip netns pids "$ns" || true)
      # shellcheck disable=SC2086
      if [[ -n $pids ]]; then kill -KILL $pids 2>/dev/null || true; fi
    fi
    ip netns delete "$ns"  # its veth ends vanish with it, and so do their peers
  done
  # Host-side temporaries only exist if an earlier 'up' died half-way.
  # Deleting one veth end deletes its peer too.
  ip link delete "$p-l-b" 2>/dev/null || true
  ip link delete "$p-v-b" 2>/dev/null || true
}

# veth_pair <prefix> <tag> <ns-a> <if-a> <ns-b> <if-b>: create on the host with short unique
# names, move each end into its namespace, and rename it there (eth0/tun0 exist once per ns).
veth_pair() {
  local p=$1 tag=$2 nsa=$3 ifa=$4 nsb=$5 ifb=$6
  ip link add "$p-$tag-b" type veth peer name "$p-$tag-p"
  ip link set "$p-$tag-b" netns "$nsa"
  ip link set "$p-$tag-p" netns "$nsb"
  ip -n "$nsa" link set "$p-$tag-b" name "$ifa"
  ip -n "$nsb" link set "$p-$tag-p" name "$ifb"
}

up() {
  local p=$1 h
  down "$p"
  for h in phone bridge pbx; do
    ip netns add "$p-$h"
    ip -n "$p-$h" link set lo up
  done
  # Routing off first, before any link is up: the bridge must never forward phone <-> PBX.
  ip netns exec "$p-bridge" sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0

  veth_pair "$p" l "$p-bridge" "$LAN_IF" "$p-phone" eth0
  veth_pair "$p" v "$p-bridge" "$VPN_IF" "$p-pbx" eth0

  ip -n "$p-phone"  addr add "$PHONE_IP/24" dev eth0
  ip -n "$p-bridge" addr add "$BRIDGE_LAN_IP/24" dev "$LAN_IF"
  ip -n "$p-bridge" addr add "$BRIDGE_VPN_IP/24" dev "$VPN_IF"
  ip -n "$p-pbx"    addr add "$PBX_IP/24" dev eth0
  ip -n "$p-pbx"    addr add "$PBX2_IP/24" dev eth0
  # No IPv6 in the lab: no DAD delays, no link-local chatter in captures.
  for h in phone bridge pbx; do
    ip netns exec "$p-$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  ip -n "$p-phone"  link set eth0 up
  ip -n "$p-bridge" link set "$LAN_IF" up
  ip -n "$p-bridge" link set "$VPN_IF" up
  ip -n "$p-pbx"    link set eth0 up

  [[ $(ip netns exec "$p-bridge" sysctl -n net.ipv4.ip_forward) == 0 ]] \
    || die "ip_forward is on in $p-bridge"

  cat <<EOF
PREFIX=$p
PHONE_NS=$p-phone
BRIDGE_NS=$p-bridge
PBX_NS=$p-pbx
PHONE_IP=$PHONE_IP
BRIDGE_LAN_IP=$BRIDGE_LAN_IP
BRIDGE_VPN_IP=$BRIDGE_VPN_IP
PBX_IP=$PBX_IP
PBX2_IP=$PBX2_IP
LAN_IF=$LAN_IF
VPN_IF=$VPN_IF
EOF
}

# reach <ns> <ip> <expect ok|fail>: one ping; a bridge that forwards would make "fail" pairs pass.
reach() {
  local got=fail
  if ip netns exec "$1" ping -n -c1 -W1 "$2" >/dev/null 2>&1; then got=ok; fi
  echo "${1#*-} -> $2: $got (want $3)"
  [[ $got == "$3" ]]
}

check() {
  local p=$1 rc=0
  reach "$p-phone" "$BRIDGE_LAN_IP" ok || rc=1
  reach "$p-bridge" "$PHONE_IP" ok || rc=1
  reach "$p-bridge" "$PBX_IP" ok || rc=1
  reach "$p-bridge" "$PBX2_IP" ok || rc=1
  reach "$p-pbx" "$BRIDGE_VPN_IP" ok || rc=1
  reach "$p-phone" "$PBX_IP" fail || rc=1
  reach "$p-phone" "$BRIDGE_VPN_IP" fail || rc=1
  reach "$p-pbx" "$PHONE_IP" fail || rc=1
  reach "$p-pbx" "$BRIDGE_LAN_IP" fail || rc=1
  return $rc
}

status() {
  local p=$1 h
  for h in phone bridge pbx; do
    if ! ns_exists "$p-$h"; then echo "$p-$h: absent"; continue; fi
    echo "$p-$h: pids=[$(ip netns pids "$p-$h" | xargs)] ip_forward=$(ip netns exec "$p-$h" sysctl -n net.ipv4.ip_forward)"
    ip -n "$p-$h" -brief addr show
  done
}

[[ $# -ge 1 ]] || usage
[[ $(id -u) == 0 ]] || die "needs root (ip netns)"
cmd=$1; shift
case $cmd in
  up|down|status|check)
    prefix=${1:-sb}; check_prefix "$prefix"; "$cmd" "$prefix" ;;
  exec)
    [[ $# -ge 3 ]] || usage
    prefix=$1 host=$2; shift 2
    check_prefix "$prefix"
    [[ $host =~ ^(phone|bridge|pbx)$ ]] || die "host must be phone|bridge|pbx, got '$host'"
    exec ip netns exec "$prefix-$host" "$@" ;;
  *) usage ;;
esac
