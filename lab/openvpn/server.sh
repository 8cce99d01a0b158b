#!/usr/bin/env bash
# The lab's OpenVPN server, in the foreground, for the gateway namespace:
#   ip netns exec <p>-gw lab/openvpn/server.sh <workdir>
# UDP on $LISTEN_IP:1194 (default 198.18.200.1), TLS with the lab PKI in <workdir>/pki (made by
# pki.sh when missing), tunnel 198.19.8.0/24 (the server is .1), and the route to the office
# (198.19.2.0/24) pushed to the client. The client's address comes from <workdir>/ccd/bridge
# ("ifconfig-push <ip> 255.255.255.0"): written with $CLIENT_IP (default 198.19.8.2) only when
# missing, so a test can rewrite it and make the next connection get another address.
# Data channel in userspace (disable-dco): the same code path on every kernel, and passtos works.
# mssfix 1400 mtu: TCP through the tunnel sends segments whose outer packets fit the internet link's
# MTU (1400, which drops fragments), as an admin sets it for such links; UDP is not helped by it.
# It execs openvpn, so SIGTERM to its pid stops it; "Initialization Sequence Completed" = ready.
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 <workdir>" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1/ccd"
workdir=$(cd "$1" && pwd)
listen=${LISTEN_IP:-198.18.200.1}
"$here/pki.sh" "$workdir/pki"
[[ -s $workdir/ccd/bridge ]] || echo "ifconfig-push ${CLIENT_IP:-198.19.8.2} 255.255.255.0" > "$workdir/ccd/bridge"

cat > "$workdir/server.conf" <<EOT
dev tun0
proto udp4
local $listen
port 1194
topology subnet
server 198.19.8.0 255.255.255.0
client-config-dir $workdir/ccd
push "route 198.19.2.0 255.255.255.0"
ca $workdir/pki/ca.crt
cert $workdir/pki/server.crt
key $workdir/pki/server.key
dh none
disable-dco
keepalive 2 10
mssfix 1400 mtu
verb 3
EOT
exec openvpn --config "$workdir/server.conf"
