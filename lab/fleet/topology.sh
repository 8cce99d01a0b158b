#!/usr/bin/env bash
# Fleet lab: two homes behind one office.
#
#   phone  --(LAN)-- bridge  --(VPN)--+
#                                     +-- br0 in pbx (office: PBX, configuration server, Prometheus)
#   phone2 --(LAN)-- bridge2 --(VPN)--+
#
#   topology.sh up     [prefix]   create (tears down leftovers first)
#   topology.sh down   [prefix]   kill processes inside, delete namespaces
#   topology.sh status [prefix]   namespaces, addresses, processes
#
# Same contract as lab/topology.sh (KEY=value facts on up); each home is that lab's phone | bridge
# pair with the same LAN addresses (every home has its own LAN), and the bridges' VPN adapters meet
# in the office namespace on a Linux bridge, so the office reaches each bridge at its own VPN address.
# Neither bridge forwards IP. Addresses are 198.18.0.0/15 (RFC 2544 benchmarking space) only.
set -euo pipefail

PHONE_IP=198.18.1.10
BRIDGE_LAN_IP=198.18.1.1
BRIDGE_VPN_IP=198.19.2.1
BRIDGE2_VPN_IP=198.19.2.2
PBX_IP=198.19.2.10
LAN_IF=eth0
VPN_IF=tun0
HOSTS=(phone bridge phone2 bridge2 pbx)

die() { echo "fleet/topology.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 up|down|status [prefix]"; }
# shellcheck source=lab/netns.sh
source "$(dirname "${BASH_SOURCE[0]}")/../netns.sh"

down() {
  local p=$1 h
  for h in "${HOSTS[@]}"; do delete_namespace "$p-$h"; done
  delete_host_veths "$p" l v l2 v2
}

# home <prefix> <suffix> <tag suffix> <vpn ip> <office port>: one phone | bridge pair wired to the office.
home() {
  local p=$1 s=$2 t=$3 vpn=$4 port=$5
  ip netns exec "$p-bridge$s" sysctl -qw net.ipv4.ip_forward=0
  veth_pair "$p" "l$t" "$p-bridge$s" "$LAN_IF" "$p-phone$s" eth0
  veth_pair "$p" "v$t" "$p-bridge$s" "$VPN_IF" "$p-pbx" "$port"
  ip -n "$p-phone$s"  addr add "$PHONE_IP/24" dev eth0
  ip -n "$p-bridge$s" addr add "$BRIDGE_LAN_IP/24" dev "$LAN_IF"
  ip -n "$p-bridge$s" addr add "$vpn/24" dev "$VPN_IF"
  ip -n "$p-pbx" link set "$port" master br0
  ip -n "$p-phone$s"  link set eth0 up
  ip -n "$p-bridge$s" link set "$LAN_IF" up
  ip -n "$p-bridge$s" link set "$VPN_IF" up
  ip -n "$p-pbx" link set "$port" up
  [[ $(ip netns exec "$p-bridge$s" sysctl -n net.ipv4.ip_forward) == 0 ]] || die "ip_forward is on in $p-bridge$s"
}

up() {
  local p=$1 h
  down "$p"
  for h in "${HOSTS[@]}"; do
    ip netns add "$p-$h"
    ip -n "$p-$h" link set lo up
    # No IPv6 in the lab: no DAD delays, no link-local chatter.
    ip netns exec "$p-$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  ip -n "$p-pbx" link add br0 type bridge
  ip -n "$p-pbx" addr add "$PBX_IP/24" dev br0
  ip -n "$p-pbx" link set br0 up
  home "$p" "" "" "$BRIDGE_VPN_IP" vpn1
  home "$p" 2 2 "$BRIDGE2_VPN_IP" vpn2

  cat <<EOT
PREFIX=$p
PHONE_IP=$PHONE_IP
BRIDGE_LAN_IP=$BRIDGE_LAN_IP
BRIDGE_VPN_IP=$BRIDGE_VPN_IP
BRIDGE2_VPN_IP=$BRIDGE2_VPN_IP
PBX_IP=$PBX_IP
LAN_IF=$LAN_IF
VPN_IF=$VPN_IF
EOT
}

status() { show_namespaces "$1" "${HOSTS[@]}"; }

[[ $# -ge 1 ]] || usage
[[ $(id -u) == 0 ]] || die "needs root (ip netns)"
cmd=$1; shift
case $cmd in
  up|down|status) prefix=${1:-fl}; check_prefix "$prefix"; "$cmd" "$prefix" ;;
  *) usage ;;
esac
