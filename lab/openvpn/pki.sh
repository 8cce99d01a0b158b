#!/usr/bin/env bash
# Makes the OpenVPN lab's PKI with plain openssl (no easy-rsa): a CA, a server certificate (CN
# "server", serverAuth, so the client's remote-cert-tls server accepts it) and a client certificate
# (CN "bridge", clientAuth; the server's client-config-dir entry is named after it).
#   pki.sh <dir>     writes ca.crt server.crt server.key bridge.crt bridge.key (keeps existing ones)
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 <dir>" >&2; exit 2; }
mkdir -p "$1"
cd "$1"
[[ -s ca.crt && -s server.crt && -s bridge.crt ]] && exit 0

ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
openssl req -x509 "${ec[@]}" -days 30 -subj "/CN=sipbridge lab VPN CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -keyout ca.key -out ca.crt 2>/dev/null

# sign <name> <extendedKeyUsage>
sign() {
  openssl req "${ec[@]}" -subj "/CN=$1" -keyout "$1.key" -out "$1.csr" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyAgreement\nextendedKeyUsage=%s\n' "$2" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile "$1.ext" \
    -out "$1.crt" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
sign server serverAuth
sign bridge clientAuth
chmod 600 ./*.key
