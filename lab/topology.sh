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
HOSTS=(phone bridge pbx)

die() { echo "topology.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 up|down|status|check [prefix] | exec <prefix> <phone|bridge|pbx> <cmd...>"; }
# shellcheck source=lab/netns.sh
source "$(dirname "${BASH_SOURCE[0]}")/netns.sh"

down() {
  local p=$1 h
  for h in "${HOSTS[@]}"; do delete_namespace "$p-$h"; done
  delete_host_veths "$p" l v
}

up() {
  local p=$1 h
  down "$p"
  for h in "${HOSTS[@]}"; do
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

status() { show_namespaces "$1" "${HOSTS[@]}"; }

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
