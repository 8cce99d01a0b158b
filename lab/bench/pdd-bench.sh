#!/usr/bin/env bash
# Post-dial delay benchmark (#15): how long each SIP message of a call spends inside the bridge, and
# the post-dial delay a phone sees through the bridge against the same calls placed directly to the PBX,
# both timed by one packet capture on the bridge namespace's two interfaces (one clock).
#
#   sudo lab/bench/pdd-bench.sh [--no-doc]
#   sudo lab/bench/pdd-bench.sh --report-from /tmp/pdd-bench.XXXXXX [--no-doc]   (report of a kept run)
#
#   phone ns: SIPp :5062 ──LAN(eth0)── bridge ns: sipbridge.jar :8060 ──VPN(tun0)── pbx ns: Kamailio :5060
#                                      SIPp "direct" :5064 ─────────────VPN(tun0)──┘      SIPp callee :5070
#                                      tshark -i eth0 -i tun0
#
# The lab of sip-bench.sh (lab/bench/lab-peers.sh: lab/topology.sh, the lab PBX's Kamailio registrar
# that challenges every INVITE with 407, the SIPp callee 2000 behind it). The bridge is started fresh;
# the phone registers through it and places one call (the first call after start, reported on its
# own); then a "direct" SIPp in the bridge namespace (the PBX side, no bridge in the path) registers
# and places one call (its first, also on its own); then CALLS calls each way, in BLOCKS blocks that
# alternate between the two paths (so both see the same machine within seconds), at RATE calls/s,
# one call at a time. Each call: INVITE → 407 → ACK → INVITE with digest → 100/180/200 → ACK →
# HOLD_MS → BYE → 200 (lab/bench/call-load.xml).
#
# tshark captures SIP on both interfaces of the bridge namespace; pdd-report.py pairs each message that
# went into the bridge with the message it sent out for it (the bridge is a B2BUA: its PBX leg has a
# Call-ID of its own, so the legs of a call are matched by time, one call at a time, then messages by
# method or status, CSeq method and the order of CSeq numbers) and reports, per message type, the time
# inside the bridge (median, p90, p99, max) and the post-dial delay (INVITE sent → 180 and → 200
# received) through the bridge and direct. It prints Markdown and writes it as the "## Post-dial
# delay" section of docs/benchmarks.md (the rest of the file is kept).
#
# Needs root, lab/setup.sh's packages (kamailio, sipp, tshark) and a built jar:
#   mvn -q -B -o -pl bridge-daemon -am package -DskipTests
#
# Env (defaults): CALLS (200, per path), BLOCKS (4), RATE (5 calls/s), HOLD_MS (100), PREFIX (pdd,
# for lab/topology.sh), JAR (bridge-daemon/target/sipbridge.jar, copied before use), DOC
# (docs/benchmarks.md), KEEP_WORK (0; 1 keeps the work directory: capture, logs, message table).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CALLS=${CALLS:-200}
BLOCKS=${BLOCKS:-4}
RATE=${RATE:-5}
HOLD_MS=${HOLD_MS:-100}
PREFIX=${PREFIX:-pdd}
JAR=${JAR:-$REPO/bridge-daemon/target/sipbridge.jar}
DOC=${DOC:-$REPO/docs/benchmarks.md}
KEEP_WORK=${KEEP_WORK:-0}
PHONE_PORT=5062
DIRECT_PORT=5064
WRITE_DOC=1
REPORT_FROM=""

die() { echo "pdd-bench: $*" >&2; exit 1; }
say() { echo "pdd-bench: $*" >&2; }
# shellcheck disable=SC1091  # lab-peers.sh is checked on its own
source "$HERE/lab-peers.sh"

while [[ $# -gt 0 ]]; do
  case $1 in
    --no-doc) WRITE_DOC=0 ;;
    --report-from) shift; REPORT_FROM=${1:-} ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
  shift
done

# measure: the run itself; leaves the capture's table and meta.env (the run's facts) in $WORK.
measure() {
  [[ $(id -u) == 0 ]] || die "needs root (network namespaces)"
  for tool in sipp kamailio tshark java curl jq ip python3; do
    command -v "$tool" >/dev/null || die "missing '$tool': run lab/setup.sh"
  done
  [[ -f $JAR ]] || die "no $JAR: build it first (see --help)"
  [[ $CALLS =~ ^[0-9]+$ && $BLOCKS =~ ^[0-9]+$ && $BLOCKS -ge 1 && $CALLS -ge $BLOCKS && $CALLS -le 5000 ]] \
    || die "need 1 <= BLOCKS <= CALLS <= 5000"
  [[ $RATE =~ ^[0-9]+$ && $RATE -ge 1 && $RATE -le 50 ]] || die "RATE must be 1..50 calls/s (one call at a time)"
  [[ $HOLD_MS =~ ^[0-9]+$ && $HOLD_MS -le 10000 ]] || die "HOLD_MS must be 0..10000"

  WORK=$(mktemp -d /tmp/pdd-bench.XXXXXX)
  CAPTURE_PID=""
  peers_on_exit() { stop_capture; }
  # SIGTERM, not SIGINT: a background job of a script starts with SIGINT ignored, and tshark still
  # ignores it until its capture is up. tshark ends dumpcap and closes the file on SIGTERM.
  stop_capture() {
    [[ -n $CAPTURE_PID ]] || return 0
    kill -TERM "$CAPTURE_PID" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$CAPTURE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$CAPTURE_PID" 2>/dev/null || true
    wait "$CAPTURE_PID" 2>/dev/null || true
    CAPTURE_PID=""
  }
  peers_topology_up

  # sipp_calls <path> <name> <kind> <count>: <count> REGISTERs or calls, one at a time, from the phone
  # through the bridge (path bridge) or from the bridge namespace straight to the PBX (path direct).
  sipp_calls() {
    local path=$1 name=$2 kind=$3 count=$4 ns ip port target args
    # shellcheck disable=SC2153  # PHONE_NS and BRIDGE_LAN_IP come from lab/topology.sh
    if [[ $path == bridge ]]; then ns=$PHONE_NS ip=$PHONE_IP port=$PHONE_PORT target=$BRIDGE_LAN_IP:$BRIDGE_PORT
    else ns=$BRIDGE_NS ip=$BRIDGE_VPN_IP port=$DIRECT_PORT target=$PBX_IP:5060; fi
    args=(-r "$RATE" -m "$count" -l 1 -recv_timeout 5000 -timeout $((count / RATE + 60)) -nostdin
          -trace_stat -stf "$WORK/$name.csv" -fd 1 -trace_err -error_file "$WORK/$name.err" -i "$ip")
    mapfile -t -O "${#args[@]}" args < <(peers_sipp_args "$kind" "$port")
    ip netns exec "$ns" timeout -k 5 $((count / RATE + 90)) sipp "${args[@]}" "$target" >"$WORK/$name.out" 2>&1 || true
    local ok
    ok=$(csv_field "$WORK/$name.csv" "SuccessfulCall(C)" 2>/dev/null || true)
    say "$name: ${ok:-0}/$count ok"
    [[ ${ok:-0} -gt 0 ]] || { tail -20 "$WORK/$name.out" >&2; die "$name: nothing got through"; }
  }

  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  STARTED_AT=$(date -u '+%Y-%m-%d %H:%M UTC')
  peers_start_registrar
  peers_start_callee
  # Both interfaces in one capture: one clock for the message in and the message out.
  ip netns exec "$BRIDGE_NS" tshark -i "$LAN_IF" -i "$VPN_IF" -f "udp port 5060 or udp port $BRIDGE_PORT" \
    -w "$WORK/pdd.pcapng" -q >"$WORK/tshark.log" 2>&1 &
  CAPTURE_PID=$!
  peers_await_log "$WORK/tshark.log" "Capturing on" 90 "$CAPTURE_PID"
  START_NS=$(date +%s%N)
  peers_start_bridge
  READY_MS=$((($(date +%s%N) - START_NS) / 1000000))
  say "bridge ready (PBX UP) $READY_MS ms after start"
  sipp_calls bridge bridge-register register 3
  sipp_calls bridge bridge-first call 1
  sipp_calls direct direct-register register 3
  sipp_calls direct direct-first call 1
  per_block=$((CALLS / BLOCKS))
  for ((b = 1; b <= BLOCKS; b++)); do
    n=$per_block
    ((b == BLOCKS)) && n=$((CALLS - per_block * (BLOCKS - 1)))
    if ((b % 2)); then order="bridge direct"; else order="direct bridge"; fi
    for path in $order; do sipp_calls "$path" "$path-block$b" call "$n"; done
  done
  LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
  sleep 1
  stop_capture
  peers_stop_callee

  # The capture as a table with named columns (one SIP message a row) for the report.
  tshark -r "$WORK/pdd.pcapng" -d "udp.port==$BRIDGE_PORT,sip" -d "udp.port==$DIRECT_PORT,sip" -d "udp.port==$PHONE_PORT,sip" \
    -Y sip -T fields -E header=y -E separator=/t -E occurrence=f \
    -e frame.time_epoch -e frame.interface_name -e ip.src -e udp.srcport -e ip.dst -e udp.dstport \
    -e sip.Call-ID -e sip.CSeq.seq -e sip.CSeq.method -e sip.Method -e sip.Status-Code >"$WORK/messages.tsv" 2>"$WORK/tshark-read.log"

  INVOCATION="sudo CALLS=$CALLS BLOCKS=$BLOCKS RATE=$RATE HOLD_MS=$HOLD_MS lab/bench/pdd-bench.sh"
  [[ $WRITE_DOC == 0 ]] && INVOCATION+=" --no-doc"
  COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
  CPU_MODEL=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
  NPROC=$(nproc) KERNEL=$(uname -r) JDK=$(java -version 2>&1 | head -1)
  KAM=$(kamailio -v 2>/dev/null | head -1 | sed 's/^version: //; s/ *$//; s/^kamailio /Kamailio /')
  SIPP_V=$( (sipp -v 2>&1 || true) | grep -o 'SIPp v[^ ]*' | head -1 | sed 's/\.$//' || true)
  JVM_OPTS=$(grep -v '^#' "$REPO/packaging/sipbridge.jvmopts" | xargs)
  TSHARK_V=$(tshark --version 2>/dev/null | head -1 | sed 's/\.$//')
  # Everything the report needs, so that --report-from can rebuild it from the kept work directory.
  declare -p INVOCATION COMMIT STARTED_AT LOAD_BEFORE LOAD_AFTER CPU_MODEL NPROC KERNEL JDK KAM SIPP_V TSHARK_V JVM_OPTS \
    CALLS BLOCKS RATE HOLD_MS READY_MS LAN_IF VPN_IF PHONE_IP BRIDGE_VPN_IP PBX_IP BRIDGE_PORT DIRECT_PORT \
    | sed 's/^declare -- /declare -g /' >"$WORK/meta.env"
}

if [[ -n $REPORT_FROM ]]; then
  [[ -f $REPORT_FROM/meta.env && -f $REPORT_FROM/messages.tsv ]] || die "$REPORT_FROM holds no kept run (meta.env, messages.tsv)"
  WORK=$REPORT_FROM
  # shellcheck disable=SC1091  # written by measure at the end of a run
  source "$WORK/meta.env"
else
  measure
fi
export WORK INVOCATION COMMIT STARTED_AT LOAD_BEFORE LOAD_AFTER CPU_MODEL NPROC KERNEL JDK KAM SIPP_V TSHARK_V JVM_OPTS \
  CALLS BLOCKS RATE HOLD_MS READY_MS LAN_IF VPN_IF PHONE_IP BRIDGE_VPN_IP PBX_IP BRIDGE_PORT DIRECT_PORT
python3 "$HERE/pdd-report.py" "$WORK/messages.tsv" >"$WORK/report.md"
cat "$WORK/report.md"
if [[ $WRITE_DOC == 1 ]]; then
  python3 "$HERE/doc_section.py" "$DOC" "$WORK/report.md"
  say "wrote the post-dial delay section of $DOC"
fi
