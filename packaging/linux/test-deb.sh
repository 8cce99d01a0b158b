#!/usr/bin/env bash
# Proves the .deb is self-contained and needs only CAP_NET_BIND_SERVICE (runs as root; CI and
# `mvn -Pinstallers verify` call it):
#  1. unpacks it into a fresh temporary root (dpkg-deb -x) and checks the unit files with
#     systemd-analyze verify (pointed at the unpacked launcher);
#  2. in a new mount + network namespace, hides every system JDK (tmpfs over /usr/lib/jvm), gives the
#     namespace two veth adapters (LAN 198.18.77.1, VPN 198.18.78.1), and runs the bundled launcher as
#     the unprivileged user nobody: first with no capabilities (port 67 must be refused), then with
#     only CAP_NET_BIND_SERVICE as an ambient capability (ports 67 and 343 must be bound: DHCP on
#     0.0.0.0:67 and, standing in for bridge.listenPort which has no listener yet, SIP on 343);
#  3. each run must answer GET /api/status, its JVM must be the bundled one, mapping the class-data
#     sharing archive that sipbridge-cds.sh (postinst) made; without it or with a stale one the
#     launcher must print nothing more.
# Everything lives in a temp folder and the namespace; both are gone afterwards.
set -euo pipefail
deb=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
step() { echo "test-deb: $*"; }
[[ $(id -u) == 0 ]] || { echo "test-deb: must run as root (namespaces, setpriv)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/sipbridge-deb.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
root=$tmp/root
dpkg-deb -x "$deb" "$root"
launcher=$root/opt/sipbridge/bin/sipbridge
for f in "$launcher" "$root/opt/sipbridge/lib/runtime/lib/server/libjvm.so" "$root/lib/systemd/system/sipbridge.service" \
         "$root/usr/lib/systemd/user/sipbridge-user.service" "$root/etc/xdg/autostart/sipbridge.desktop"; do
  [[ -e $f ]] || { step "missing in package: ${f#"$root"}"; exit 1; }
done
step "unpacked $(du -sh "$root" | cut -f1) into $root"

# The class-data sharing archive (made by postinst, here by hand at the unpacked path): a missing or
# stale one must not change what the user sees; a fresh one must be what the launcher maps.
app=$root/opt/sipbridge/lib/app
quiet_version() { # the launcher's --version prints its one line and nothing about the archive
  local out; out=$("$launcher" --version 2>&1)
  [[ $out == "sipbridge "* && $(wc -l <<<"$out") == 1 ]] || { step "--version with $1 archive printed: $out"; exit 1; }
}
quiet_version "no"
"$app/sipbridge-cds.sh" make
[[ -s $app/sipbridge.jsa ]] || { step "sipbridge-cds.sh made no archive"; exit 1; }
cp -p "$app/sipbridge.jar" "$tmp/jar.orig"; touch "$app/sipbridge.jar"   # another jar's archive
quiet_version "a stale"
cp -p "$tmp/jar.orig" "$app/sipbridge.jar"
quiet_version "its"
step "class-data sharing archive: $(du -h "$app/sipbridge.jsa" | cut -f1); --version quiet without it, with a stale one and with it"

if command -v systemd-analyze >/dev/null; then
  mkdir -p "$tmp/units"
  for u in sipbridge.service sipbridge-user.service; do
    sed "s#/opt/sipbridge/bin/sipbridge#$launcher#g" "$here/$u" >"$tmp/units/$u"
  done
  systemd-analyze verify --man=no "$tmp/units/sipbridge.service"
  systemd-analyze verify --man=no --user "$tmp/units/sipbridge-user.service" 2>&1 | grep -v "XDG_RUNTIME_DIR\|Failed to initialize manager\|RuntimeDirectory path" || true
  step "systemd-analyze verify: unit files ok; $(systemd-analyze security --offline=yes "$tmp/units/sipbridge.service" 2>/dev/null \
    | grep -o 'Overall exposure level.*' || echo 'no exposure score')"
fi

# One run of the bundled launcher inside a fresh namespace. $1: extra setpriv capability options.
run_in_namespace() {
  local name=$1; shift
  local home=$tmp/$name
  mkdir -p "$home/config/sipbridge"
  # Only what differs from the defaults; listenPort moves aside so SIP can take 343.
  cat >"$home/config/sipbridge/sipbridge.json" <<'JSON'
{"bridge": {"lanAdapter": "lan0", "vpnAdapter": "vpn0", "servers": ["198.18.78.10"], "listenPort": 3430},
 "protocols": {"udp": {"port": 343}, "tcp": {"port": 343}}, "web": {"port": 8080}}
JSON
  chown -R nobody "$home"
  unshare --mount --net --fork bash -s -- "$launcher" "$home" "$@" <<'INNER'
set -euo pipefail
launcher=$1; home=$2; shift 2
mount --make-rprivate /
for d in /usr/lib/jvm /usr/local/lib/jvm /opt/java; do [[ -d $d ]] && mount -t tmpfs none "$d"; done
ip link set lo up
ip link add lan0 type veth peer name vpn0
ip addr add 198.18.77.1/24 dev lan0; ip addr add 198.18.78.1/24 dev vpn0
ip link set lan0 up; ip link set vpn0 up
env -i PATH=/usr/bin:/bin HOME="$home" XDG_CONFIG_HOME="$home/config" SIPBRIDGE_LOCK_FILE="$home/lock" \
  setpriv --reuid=nobody --regid=nogroup --clear-groups "$@" \
  "$launcher" run --no-tray --data-dir "$home/data" >"$home/out.log" 2>&1 &
pid=$!
for _ in $(seq 120); do   # "Web UI:" is logged once every service has been started (or has failed to)
  grep -q "Web UI:" "$home/out.log" && curl -sf http://127.0.0.1:8080/api/status >"$home/status.json" 2>/dev/null && break
  kill -0 $pid 2>/dev/null || { echo "test-deb: launcher exited:"; tail -20 "$home/out.log"; exit 1; }
  sleep 0.5
done
[[ -s $home/status.json ]] || { echo "test-deb: no /api/status"; tail -20 "$home/out.log"; exit 1; }
jvm=$(for p in $(pgrep -P $pid) $pid; do grep -o '/[^ ]*/libjvm.so' /proc/$p/maps 2>/dev/null; done | sort -u | head -1)
echo "jvm=$jvm"
echo "cds=$(for p in $(pgrep -P $pid) $pid; do grep -o '/[^ ]*/sipbridge.jsa' /proc/$p/maps 2>/dev/null; done | sort -u | head -1)"
echo "user=$(ps -o user= -p $(pgrep -P $pid | head -1 || echo $pid))"
echo "udp $(ss -H -lnu | grep -o '[^ ]*:\(67\|343\) ' | sort -u | tr '\n' ' ' || true)"
echo "tcp $(ss -H -lnt | grep -o '[^ ]*:343 ' | sort -u | tr '\n' ' ' || true)"
kill $pid; wait $pid || true
INNER
}

step "run 1: as nobody without capabilities"
out=$(run_in_namespace nocaps --inh-caps=-all) || { echo "$out"; exit 1; }
echo "$out" | sed 's/^/  /'
grep -q "jvm=$root/opt/sipbridge/lib/runtime/lib/server/libjvm.so" <<<"$out" || { step "not the bundled JVM"; exit 1; }
grep -q "cds=$app/sipbridge.jsa" <<<"$out" || { step "the class-data sharing archive was not mapped"; exit 1; }
grep -q ':67 ' <<<"$out" && { step "port 67 bound without a capability?"; exit 1; }
jq -e '[.warnings[].message, .warnings[].fix] | any(test("port 67"))' "$tmp/nocaps/status.json" >/dev/null \
  || { step "expected a warning about port 67"; jq .warnings "$tmp/nocaps/status.json"; exit 1; }
step "  status warns: $(jq -r '.warnings[] | select(.source | test("dhcp")) | .message' "$tmp/nocaps/status.json")"

step "run 2: as nobody with only CAP_NET_BIND_SERVICE (ambient)"
out=$(run_in_namespace netbind --inh-caps=+net_bind_service --ambient-caps=+net_bind_service) || { echo "$out"; exit 1; }
echo "$out" | sed 's/^/  /'
grep -q "jvm=$root/opt/sipbridge/lib/runtime/lib/server/libjvm.so" <<<"$out" || { step "not the bundled JVM"; exit 1; }
# The DHCP socket is bound to the LAN adapter's device (SO_BINDTODEVICE): ss shows 0.0.0.0%lan0:67.
grep -Eq '0\.0\.0\.0(%lan0)?:67 ' <<<"$out" || { step "port 67 not bound"; exit 1; }
grep -q '198.18.77.1\]\?:343 ' <<<"$out" || { step "port 343 not bound on the LAN adapter"; exit 1; }
jq -e '[.warnings[].message, .reasons[].message] | any(test("port 67|permission"; "i")) | not' "$tmp/netbind/status.json" >/dev/null \
  || { step "still a port problem:"; jq '.reasons,.warnings' "$tmp/netbind/status.json"; exit 1; }
for run in nocaps netbind; do  # IP_TOS (EF) set and read back by an unprivileged process
  jq -e '.dscpMarking.state == "CONFIRMED"' "$tmp/$run/status.json" >/dev/null \
    || { step "DSCP marking not confirmed in $run: $(jq -c .dscpMarking "$tmp/$run/status.json")"; exit 1; }
done
step "ok: bundled runtime answers /api/status; ports 67 and 343 need CAP_NET_BIND_SERVICE and nothing more; DSCP marking needs no capability"
