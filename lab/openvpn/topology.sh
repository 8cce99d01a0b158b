#!/usr/bin/env bash
# OpenVPN lab: phone --(LAN)-- bridge ==(OpenVPN over the "internet")== gateway --(office LAN)-- pbx.
#
#   topology.sh up     [prefix]   create the namespaces and links (tears down leftovers first)
#   topology.sh down   [prefix]   kill processes inside, delete the namespaces
#   topology.sh status [prefix]   namespaces, addresses, processes
#
# Unlike lab/topology.sh there is no tun0 here yet: the OpenVPN client (client.sh, run in the bridge
# namespace) creates it with the address the server (server.sh, in the gateway namespace) pushes.
# The office namespace is called "pbx" so the veth lab's helpers (Kamailio, callee) work unchanged.
# The internet link has MTU 1400, as behind many home routers and PPPoE/DSL links, and drops IP
# fragments both ways (iptables -f on inet0), as some home routers and carrier NATs do: a UDP packet
# too big for the link never arrives (server.sh's mssfix keeps TCP through the tunnel within it).
# Addresses are 198.18.0.0/15 only (RFC 2544 benchmarking space).
set -euo pipefail

PHONE_IP=198.18.1.10
BRIDGE_LAN_IP=198.18.1.1
BRIDGE_INET_IP=198.18.200.2
GW_INET_IP=198.18.200.1
TUNNEL_NET=198.19.8.0
BRIDGE_VPN_IP=198.19.8.2    # what the server's client-config-dir pushes by default (client.sh -> ccd)
GW_OFFICE_IP=198.19.2.254
PBX_IP=198.19.2.10
PBX2_IP=198.19.2.11
OFFICE_NET=198.19.2.0
INET_MTU=1400
LAN_IF=eth0
VPN_IF=tun0
INET_IF=inet0
HOSTS=(phone bridge gw pbx)

die() { echo "openvpn/topology.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 up|down|status [prefix]"; }
# shellcheck source=lab/netns.sh
source "$(dirname "${BASH_SOURCE[0]}")/../netns.sh"

down() {
  local p=$1 h
  for h in "${HOSTS[@]}"; do delete_namespace "$p-$h"; done
  delete_host_veths "$p" l i o
}

up() {
  local p=$1 h
  down "$p"
  for h in "${HOSTS[@]}"; do
    ip netns add "$p-$h"
    ip -n "$p-$h" link set lo up
    ip netns exec "$p-$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  # The bridge never forwards (phone <-> office only through the daemon); the gateway routes
  # between the tunnel and the office, as a company's VPN concentrator does.
  ip netns exec "$p-bridge" sysctl -qw net.ipv4.ip_forward=0
  ip netns exec "$p-gw" sysctl -qw net.ipv4.ip_forward=1

  veth_pair "$p" l "$p-bridge" "$LAN_IF" "$p-phone" eth0
  veth_pair "$p" i "$p-bridge" "$INET_IF" "$p-gw" "$INET_IF"
  veth_pair "$p" o "$p-gw" eth1 "$p-pbx" eth0

  ip -n "$p-phone"  addr add "$PHONE_IP/24" dev eth0
  ip -n "$p-bridge" addr add "$BRIDGE_LAN_IP/24" dev "$LAN_IF"
  ip -n "$p-bridge" addr add "$BRIDGE_INET_IP/24" dev "$INET_IF"
  ip -n "$p-gw"     addr add "$GW_INET_IP/24" dev "$INET_IF"
  ip -n "$p-gw"     addr add "$GW_OFFICE_IP/24" dev eth1
  ip -n "$p-pbx"    addr add "$PBX_IP/24" dev eth0
  ip -n "$p-pbx"    addr add "$PBX2_IP/24" dev eth0
  ip -n "$p-bridge" link set "$INET_IF" mtu "$INET_MTU"
  ip -n "$p-gw"     link set "$INET_IF" mtu "$INET_MTU"
  ip -n "$p-phone"  link set eth0 up
  ip -n "$p-bridge" link set "$LAN_IF" up
  ip -n "$p-bridge" link set "$INET_IF" up
  ip -n "$p-gw"     link set "$INET_IF" up
  ip -n "$p-gw"     link set eth1 up
  ip -n "$p-pbx"    link set eth0 up
  # The office answers the tunnel's addresses through the gateway (the route the server pushes
  # to the client is the other half).
  ip -n "$p-pbx" route add "$TUNNEL_NET/24" via "$GW_OFFICE_IP"
  # Fragments are dropped where the tunnel's outer packets arrive, at both ends of the internet link:
  # in raw PREROUTING, since INPUT only sees packets after reassembly (-f: non-first fragments, which
  # is enough to lose the whole packet).
  ip netns exec "$p-bridge" iptables -t raw -A PREROUTING -i "$INET_IF" -f -j DROP
  ip netns exec "$p-gw"     iptables -t raw -A PREROUTING -i "$INET_IF" -f -j DROP

  [[ $(ip netns exec "$p-bridge" sysctl -n net.ipv4.ip_forward) == 0 ]] || die "ip_forward is on in $p-bridge"

  cat <<EOT
PREFIX=$p
PHONE_NS=$p-phone
BRIDGE_NS=$p-bridge
GW_NS=$p-gw
PBX_NS=$p-pbx
PHONE_IP=$PHONE_IP
BRIDGE_LAN_IP=$BRIDGE_LAN_IP
BRIDGE_INET_IP=$BRIDGE_INET_IP
BRIDGE_VPN_IP=$BRIDGE_VPN_IP
GW_INET_IP=$GW_INET_IP
GW_OFFICE_IP=$GW_OFFICE_IP
TUNNEL_NET=$TUNNEL_NET
OFFICE_NET=$OFFICE_NET
PBX_IP=$PBX_IP
PBX2_IP=$PBX2_IP
INET_MTU=$INET_MTU
INET_FRAGMENTS=dropped
LAN_IF=$LAN_IF
VPN_IF=$VPN_IF
INET_IF=$INET_IF
EOT
}

status() { show_namespaces "$1" "${HOSTS[@]}"; }

[[ $# -ge 1 ]] || usage
[[ $(id -u) == 0 ]] || die "needs root (ip netns)"
cmd=$1; shift
case $cmd in
  up|down|status) prefix=${1:-ov}; check_prefix "$prefix"; "$cmd" "$prefix" ;;
  *) usage ;;
esac
