#!/usr/bin/env bash
# The lab's OpenVPN client, in the foreground, for the bridge namespace (a worker's laptop):
#   ip netns exec <p>-bridge lab/openvpn/client.sh <workdir> <pki-dir>
# Connects to $SERVER_IP:$SERVER_PORT (default 198.18.200.1:1194; another port for a relay in the
# path, e.g. the impairment relay) over UDP, checks the server certificate
# (remote-cert-tls server) and creates tun0 with the address and routes the server pushes.
# PASSTOS=1 adds OpenVPN's passtos: the outer packets carry the DSCP/TOS of the packet inside,
# so QoS on the internet path can see EF voice; without it they carry 0.
# It execs openvpn, so SIGTERM stops it (explicit-exit-notify tells the server at once, and tun0
# goes away as when a laptop's VPN drops); "Initialization Sequence Completed" = tunnel up.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 <workdir> <pki-dir>" >&2; exit 2; }
mkdir -p "$1"
workdir=$(cd "$1" && pwd)
pki=$(cd "$2" && pwd)

cat > "$workdir/client.conf" <<EOT
client
dev tun0
proto udp4
remote ${SERVER_IP:-198.18.200.1} ${SERVER_PORT:-1194}
nobind
ca $pki/ca.crt
cert $pki/bridge.crt
key $pki/bridge.key
remote-cert-tls server
connect-retry 1 1
explicit-exit-notify 1
disable-dco
verb 3
EOT
[[ ${PASSTOS:-0} == 1 ]] && echo "passtos" >> "$workdir/client.conf"
exec openvpn --config "$workdir/client.conf"
