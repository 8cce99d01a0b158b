#!/usr/bin/env bash
# End-to-end check of the lab itself (no sipbridge involved): topology, Kamailio PBX, SIPp
# scenarios. Proves each lab part works before Java tests rely on it.
#   selftest.sh [prefix]      (default prefix "lt", so it never clobbers a developer's "sb")
# Exit 0 when every check passed; last line "N passed, N failed".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-lt}
topo=$here/topology.sh
work=$(mktemp -d /tmp/sipbridge-lab.XXXXXX)
passed=0 failed=0

cleanup() { "$topo" down "$prefix" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

# check <want> <name> <cmd...>: run cmd and compare its outcome with want: "ok", or
# "fail:<regex>" = must fail with output matching regex (so it fails for the right reason).
check() {
  local want=$1 name=$2 got=ok; shift 2
  "$@" >"$work/$name.log" 2>&1 || got=fail
  if [[ -f $work/sipp.err ]]; then cat "$work/sipp.err" >>"$work/$name.log"; rm -f "$work/sipp.err"; fi
  if [[ $got == fail && $want == fail:* ]] && grep -Eq "${want#fail:}" "$work/$name.log"; then
    got=$want
  fi
  if [[ $got == "$want" ]]; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name (want $want, got $got)"; sed 's/^/     /' "$work/$name.log" | tail -20
  fi
}
in_ns() { local h=$1; shift; ip netns exec "$prefix-$h" "$@"; }
# One SIPp call, bounded in time; unexpected messages land in sipp.err, which check() keeps.
SIPP=(sipp -m 1 -timeout 10 -nostdin -trace_err -error_file "$work/sipp.err")

PBX=198.19.2.10 BRIDGE_VPN=198.19.2.1 CALLEE_PORT=5070 S=$here/sipp

summary() { echo "$passed passed, $failed failed"; [[ $failed == 0 ]]; }

check ok topology-up "$topo" up "$prefix"
[[ $failed == 0 ]] || { summary; exit 1; }   # nothing else can work
check ok reachability "$topo" check "$prefix"
# Even with a route, the phone must not get through: the bridge does not forward.
ip -n "$prefix-phone" route add 198.19.2.0/24 via 198.18.1.1
check fail:100%.packet.loss no-forwarding in_ns phone ping -n -c1 -W1 "$PBX"
ip -n "$prefix-phone" route del 198.19.2.0/24 via 198.18.1.1

check ok kamailio-config kamailio -c -f "$here/kamailio/kamailio.cfg"
in_ns pbx "$here/kamailio/run.sh" "$PBX" 5060 "$work/kam" >"$work/kamailio.log" 2>&1 &
for _ in $(seq 50); do   # ready once the control socket answers
  kamcmd -s "unix:$work/kam/kamailio_ctl" core.uptime >/dev/null 2>&1 && break
  sleep 0.1
done
kam_pid=$(cat "$work/kam/kamailio.pid")

check ok options-200 in_ns bridge "${SIPP[@]}" -sf "$S/options.xml" -i "$BRIDGE_VPN" -p 5061 "$PBX:5060"
check "fail:received .SIP/2.0 401" register-wrong-password in_ns bridge "${SIPP[@]}" -sf "$S/register-auth.xml" -s 1001 -ap nope -i "$BRIDGE_VPN" -p 5061 "$PBX:5060"
check ok register-1001-udp in_ns bridge "${SIPP[@]}" -sf "$S/register-auth.xml" -s 1001 -ap pass1001 -i "$BRIDGE_VPN" -p 5061 "$PBX:5060"
check ok register-1002-tcp in_ns bridge "${SIPP[@]}" -sf "$S/register-auth.xml" -s 1002 -ap pass1002 -t t1 -i "$BRIDGE_VPN" -p 5062 "$PBX:5060"
check ok location-has-1001 bash -c "'$here/kamailio/dump-location.sh' '$work/kam' | grep -q '^1001 sip:1001@$BRIDGE_VPN:5061'"
check "fail:received .SIP/2.0 403 Not Registered" call-from-unregistered-1003 in_ns bridge "${SIPP[@]}" -sf "$S/uac-auth.xml" -s 2000 -key caller 1003 -au 1003 -ap pass1003 -i "$BRIDGE_VPN" -p 5063 "$PBX:5060"

# Outgoing: registered 1001 calls 2000, answered by the callee UAS behind the PBX.
in_ns pbx sipp -m 1 -timeout 10 -nostdin -sf "$S/uas-answer.xml" -i "$PBX" -p "$CALLEE_PORT" >"$work/uas.log" 2>&1 &
uas=$!
sleep 0.3
check ok call-1001-to-2000 in_ns bridge "${SIPP[@]}" -sf "$S/uac-auth.xml" -s 2000 -key caller 1001 -au 1001 -ap pass1001 -d 200 -i "$BRIDGE_VPN" -p 5063 "$PBX:5060"
check ok callee-answered wait "$uas"

# Incoming: the trusted callee host calls 1001 at its registered contact (a UAS on 5061).
in_ns bridge sipp -m 1 -timeout 10 -nostdin -sf "$S/uas-answer.xml" -i "$BRIDGE_VPN" -p 5061 >"$work/phone-uas.log" 2>&1 &
uas=$!
sleep 0.3
check ok call-callee-to-1001 in_ns pbx "${SIPP[@]}" -sf "$S/uac.xml" -s 1001 -key caller 2000 -d 200 -i "$PBX" -p "$CALLEE_PORT" "$PBX:5060"
check ok phone-answered wait "$uas"

check ok topology-down "$topo" down "$prefix"
check ok namespaces-gone bash -c "! ip netns list | grep -q '^$prefix-'"
check ok kamailio-gone bash -c "! kill -0 $kam_pid"

summary
