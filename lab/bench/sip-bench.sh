#!/usr/bin/env bash
# SIP benchmark: sipbridge.jar (a JVM B2BUA) against Kamailio as a stateful relay doing the same
# job, measured in the same run, on the same lab topology, with the same load and the same registrar.
#
#   lab/bench/sip-bench.sh [--no-doc] [--sides "bridge kamailio"]
#   lab/bench/sip-bench.sh --report-from /tmp/sip-bench.XXXXXX [--no-doc]   (report of a kept run)
#
#   phone ns (SIPp) ──LAN── bridge ns: sipbridge.jar  :8060 ──VPN── pbx ns: Kamailio registrar :5060
#                                      Kamailio relay :8062                 SIPp callee 2000  :5070
#
# Both relays run side by side on the bridge namespace's LAN and VPN addresses (sipbridge on its
# default port 8060, the Kamailio relay, lab/bench/kamailio-relay.cfg, on 8062) and share one
# registrar and one callee. After an unmeasured warm-up, two ramps (REGISTER, then calls) run each
# rate for STEP_SECONDS on one relay and then on the other (alternating which goes first), so both
# see the same machine within seconds; a relay leaves a ramp at its first rate where more than 1 %
# of the calls fail or less than 90 % of the rate is reached.
#   REGISTER   register-load.xml: REGISTER → 401 → REGISTER with digest → 200 (users 1001-1003)
#   INVITE→BYE call-load.xml: INVITE → 407 → ACK → INVITE with digest → 200 → ACK → HOLD_MS → BYE
#              → 200, answered by lab/sipp/uas-answer.xml behind the PBX (SDP, no RTP)
# CPU per call: utime+stime (/proc/<pid>/stat) of the relay's processes (the JVM; every Kamailio
# process of the relay) read before and after each step, divided by the successful calls.
#
# Prints a Markdown report and writes it as the "## SIP" section of docs/benchmarks.md (the rest of
# that file is kept). The report is lab/bench/sip-report.py's: it reads the steps' table (results.tsv,
# named columns) and the logs of the work directory. The lab set-up is lab/bench/lab-peers.sh's.
# Needs root, lab/setup.sh's packages and a built jar:
#   mvn -q -B -o -pl bridge-daemon -am package -DskipTests
#
# Env (defaults): RATES ("50 100 200 400 800 1600") calls/s, STEP_SECONDS (10), HOLD_MS (200),
# PAUSE_SECONDS (3, between steps), WARMUP_MIN_ROUNDS (3), WARMUP_MAX_ROUNDS (10), PREFIX (sbench,
# for lab/topology.sh), JAR (bridge-daemon/target/sipbridge.jar, copied before use), DOC
# (docs/benchmarks.md), KEEP_WORK (0; 1 keeps the work directory with every log), BRIDGE_JAVA_OPTS
# (empty; extra JVM options for the bridge, e.g. a JFR recording; read by lab-peers.sh).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

RATES=${RATES:-"50 100 200 400 800 1600"}
STEP_SECONDS=${STEP_SECONDS:-10}
HOLD_MS=${HOLD_MS:-200}
PAUSE_SECONDS=${PAUSE_SECONDS:-3}
WARMUP_MIN_ROUNDS=${WARMUP_MIN_ROUNDS:-3}
WARMUP_MAX_ROUNDS=${WARMUP_MAX_ROUNDS:-10}
PREFIX=${PREFIX:-sbench}
JAR=${JAR:-$REPO/bridge-daemon/target/sipbridge.jar}
DOC=${DOC:-$REPO/docs/benchmarks.md}
KEEP_WORK=${KEEP_WORK:-0}
MAX_FAIL_PCT=1
MIN_RATE_FRACTION=0.9
SIDES="bridge kamailio"
WRITE_DOC=1
REPORT_FROM=""
KAMAILIO_PORT=8062
PHONE_PORT=5062

die() { echo "sip-bench: $*" >&2; exit 1; }
say() { echo "sip-bench: $*" >&2; }
# shellcheck disable=SC1091  # lab-peers.sh is checked on its own
source "$HERE/lab-peers.sh"

while [[ $# -gt 0 ]]; do
  case $1 in
    --no-doc) WRITE_DOC=0 ;;
    --sides) shift; SIDES=${1:-} ;;
    --report-from) shift; REPORT_FROM=${1:-} ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
  shift
done

if [[ -z $REPORT_FROM ]]; then   # ---- run mode: measure (the report part below runs in both modes)

# The exact command, with every setting that shapes the figures spelled out.
INVOCATION="sudo RATES=\"$RATES\" STEP_SECONDS=$STEP_SECONDS HOLD_MS=$HOLD_MS PAUSE_SECONDS=$PAUSE_SECONDS"
INVOCATION+=" WARMUP_MIN_ROUNDS=$WARMUP_MIN_ROUNDS WARMUP_MAX_ROUNDS=$WARMUP_MAX_ROUNDS lab/bench/sip-bench.sh"
[[ $SIDES != "bridge kamailio" ]] && INVOCATION+=" --sides \"$SIDES\""
[[ $WRITE_DOC == 0 ]] && INVOCATION+=" --no-doc"

[[ $(id -u) == 0 ]] || die "needs root (network namespaces)"
for tool in sipp kamailio java curl jq ip timeout awk /usr/bin/time; do
  command -v "$tool" >/dev/null || die "missing '$tool': run lab/setup.sh"
done
[[ -f $JAR ]] || die "no $JAR: build it first (see --help)"
for r in $RATES; do [[ $r =~ ^[0-9]+$ && $r -gt 0 && $r -le 5000 ]] || die "RATES must be integers 1..5000, got '$r'"; done
[[ $STEP_SECONDS =~ ^[0-9]+$ && $STEP_SECONDS -ge 2 && $STEP_SECONDS -le 120 ]] || die "STEP_SECONDS must be 2..120"
[[ $HOLD_MS =~ ^[0-9]+$ && $HOLD_MS -le 10000 ]] || die "HOLD_MS must be 0..10000"
[[ $PAUSE_SECONDS =~ ^[0-9]+$ && $PAUSE_SECONDS -le 60 ]] || die "PAUSE_SECONDS must be 0..60"
[[ $WARMUP_MIN_ROUNDS =~ ^[0-9]+$ && $WARMUP_MAX_ROUNDS =~ ^[0-9]+$ && $WARMUP_MAX_ROUNDS -ge 1 \
   && $WARMUP_MAX_ROUNDS -le 30 && $WARMUP_MIN_ROUNDS -le $WARMUP_MAX_ROUNDS ]] || die "need 0 <= WARMUP_MIN_ROUNDS <= WARMUP_MAX_ROUNDS <= 30"
for side in $SIDES; do [[ $side =~ ^(bridge|kamailio)$ ]] || die "--sides takes bridge and/or kamailio"; done
[[ -n $SIDES ]] || die "--sides is empty"

WORK=$(mktemp -d /tmp/sip-bench.XXXXXX)
declare -A TARGET=() RELAY_PIDS=()
WARMUP_DONE=0
WARMUP_JIT=0

# ------------------------------------------------------------------ topology and processes

peers_topology_up
TARGET[bridge]="$BRIDGE_LAN_IP:$BRIDGE_PORT"
TARGET[kamailio]="$BRIDGE_LAN_IP:$KAMAILIO_PORT"

fi   # ---- end of run-mode setup

start_kamailio_relay() {
  local dir=$WORK/relay p
  mkdir -p "$dir"
  peers_start relay "$BRIDGE_NS" kamailio -DD -E -m 256 -M 16 -f "$HERE/kamailio-relay.cfg" \
    -l "udp:$BRIDGE_LAN_IP:$KAMAILIO_PORT" -l "udp:$BRIDGE_VPN_IP:$KAMAILIO_PORT" \
    -Y "$dir" -P "$dir/kamailio.pid" -A "CTL_SOCK=\"unix:$dir/kamailio_ctl\"" \
    -A "PBX=\"sip:$PBX_IP:5060\"" -A "LAN_IP=\"$BRIDGE_LAN_IP\"" \
    -A "LAN_SOCK=\"udp:$BRIDGE_LAN_IP:$KAMAILIO_PORT\"" -A "VPN_SOCK=\"udp:$BRIDGE_VPN_IP:$KAMAILIO_PORT\""
  peers_await_log "$WORK/relay.log" "Listening on" 20 "$LAST_PID"
  sleep 1
  # The main process and every child it forked (workers, timers, ctl): all Kamailio in the bridge ns.
  RELAY_PIDS[kamailio]=""
  for p in $(ip netns pids "$BRIDGE_NS"); do
    [[ $(cat "/proc/$p/comm" 2>/dev/null) == kamailio ]] && RELAY_PIDS[kamailio]+="$p "
  done
  [[ -n ${RELAY_PIDS[kamailio]} ]] || die "no Kamailio relay process found"
}

# ------------------------------------------------------------------ measurement

# utime+stime, in clock ticks, of the given pids (field 14 and 15 of /proc/<pid>/stat; the text
# after the last ')' starts at field 3).
cpu_ticks() {
  local total=0 p rest
  for p in "$@"; do
    rest=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    rest=${rest##*) }
    total=$((total + $(awk '{print $12 + $13}' <<<"$rest")))
  done
  echo "$total"
}
# On-CPU nanoseconds of every live thread of the given pids (/proc/<pid>/task/*/schedstat, first
# field): a cross-check of cpu_ticks that does not round to ticks (threads that ended are missing).
cpu_ns() {
  local p
  for p in "$@"; do cat "/proc/$p/task/"*/schedstat 2>/dev/null || true; done | awk '{s += $1} END {printf "%.0f", s}'
}
# utime+stime of the JVM's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre") among the
# given pids' threads; 0 for Kamailio.
jit_ticks() {
  local p t total=0 rest
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      [[ $(cat "$t/comm" 2>/dev/null) == C[12]\ CompilerThre* ]] || continue
      rest=$(cat "$t/stat" 2>/dev/null) || continue
      rest=${rest##*) }
      total=$((total + $(awk '{print $12 + $13}' <<<"$rest")))
    done
  done
  echo "$total"
}
# thread_ticks <pid>: "tid ticks name" for each thread (names as the kernel keeps them, 15 chars).
thread_ticks() {
  local t rest
  for t in /proc/"$1"/task/*; do
    rest=$(cat "$t/stat" 2>/dev/null) || continue
    rest=${rest##*) }
    echo "${t##*/} $(awk '{print $12 + $13}' <<<"$rest") $(tr ' ' '_' <"$t/comm" 2>/dev/null)"
  done
}
registrar_pids() {
  local p
  for p in $(ip netns pids "$PBX_NS"); do [[ $(cat "/proc/$p/comm" 2>/dev/null) == kamailio ]] && echo "$p"; done
  return 0
}
# Idle+iowait jiffies of the whole machine (idle time is measured, not sampled, on a tickless
# kernel; the busy columns of /proc/stat are tick samples and miss short bursts).
machine_idle() { awk '/^cpu /{print $5 + $6; exit}' /proc/stat; }

# sipp_load <side> <csv> <kind> <rate> <calls>: one bounded SIPp run from the phone to a relay.
sipp_load() {
  local side=$1 csv=$2 kind=$3 rate=$4 calls=$5
  local limit=$((rate * 3 > 100 ? rate * 3 : 100))
  local args=(-r "$rate" -m "$calls" -l "$limit" -recv_timeout 5000 -timeout $((calls / rate + 30)) -nostdin
              -trace_stat -stf "$csv" -fd 1 -trace_err -error_file "${csv%.csv}.err" -i "$PHONE_IP")
  # A 180 that arrives after the 200 (SIP over UDP does not keep order; a multi-process relay can
  # reorder) is ignored, as a phone ignores it: peers_sipp_args turns off abortunexp. Real failures
  # still end the call through -recv_timeout.
  mapfile -t -O "${#args[@]}" args < <(peers_sipp_args "$kind" "$PHONE_PORT")
  # shellcheck disable=SC2153  # PHONE_NS comes from lab/topology.sh
  ip netns exec "$PHONE_NS" timeout -k 5 $((calls / rate + 60)) \
    /usr/bin/time -f "%U %S" -o "${csv%.csv}.time" sipp "${args[@]}" "${TARGET[$side]}" \
    >"${csv%.csv}.out" 2>&1 || true
}

csv_epoch() { # the epoch seconds inside a SIPp date column ("date<TAB>time<TAB>epoch")
  csv_field "$1" "$2" | awk -F'\t' '{print $NF}'
}

if [[ -n $REPORT_FROM ]]; then
  [[ -f $REPORT_FROM/meta.env && -f $REPORT_FROM/results.tsv ]] || die "$REPORT_FROM holds no kept run (meta.env, results.tsv)"
  WORK=$REPORT_FROM
  declare -A TARGET=()
  # shellcheck disable=SC1091  # written by this script at the end of a run
  source "$WORK/meta.env"
fi
RESULTS=$WORK/results.tsv
# One row per measured step, read by name by sip-report.py (the µs figures are CPU per successful call).
STEP_COLUMNS=(side kind rate attempted ok failed fail_pct achieved relay_us registrar_us sipp_us busy_pct retrans
  timeouts unexpected maxretrans pass relay_us_schedstat relay_ticks wall_s jit_pct)
[[ -n $REPORT_FROM ]] || (IFS=$'\t'; echo "${STEP_COLUMNS[*]}") >"$RESULTS"
CLK_TCK=$(getconf CLK_TCK)

# step <side> <kind> <rate>: one measured step; appends a row to $RESULTS; returns 1 if it failed.
step() {
  local side=$1 kind=$2 rate=$3
  local calls=$((rate * STEP_SECONDS)) csv=$WORK/$side-$kind-$rate.csv
  local relay_pids=${RELAY_PIDS[$side]} reg_pids r0 g0 m0 r1 g1 m1 n0 n1 t0 t1 j0 j1
  reg_pids=$(registrar_pids | xargs)
  [[ $side == bridge ]] && thread_ticks "$relay_pids" >"${csv%.csv}.threads0"
  # shellcheck disable=SC2086  # pid lists are meant to split
  j0=$(jit_ticks $relay_pids)
  # shellcheck disable=SC2086
  r0=$(cpu_ticks $relay_pids) n0=$(cpu_ns $relay_pids) g0=$(cpu_ticks $reg_pids) m0=$(machine_idle) t0=$(date +%s.%N)
  sipp_load "$side" "$csv" "$kind" "$rate" "$calls"
  # shellcheck disable=SC2086
  r1=$(cpu_ticks $relay_pids) n1=$(cpu_ns $relay_pids) g1=$(cpu_ticks $reg_pids) m1=$(machine_idle) t1=$(date +%s.%N)
  # shellcheck disable=SC2086
  j1=$(jit_ticks $relay_pids)
  [[ $side == bridge ]] && thread_ticks "$relay_pids" >"${csv%.csv}.threads1"
  [[ -s $csv ]] || { cat "${csv%.csv}.out" >&2; die "SIPp wrote no statistics ($csv)"; }

  local ok failed start end retrans timeouts unexpected maxretrans sipp_cpu row
  ok=$(csv_field "$csv" "SuccessfulCall(C)"); failed=$(csv_field "$csv" "FailedCall(C)")
  start=$(csv_epoch "$csv" StartTime); end=$(csv_epoch "$csv" CurrentTime)
  retrans=$(csv_field "$csv" "Retransmissions(C)"); timeouts=$(csv_field "$csv" "FailedTimeoutOnRecv(C)")
  unexpected=$(csv_field "$csv" "FailedUnexpectedMessage(C)"); maxretrans=$(csv_field "$csv" "FailedMaxUDPRetrans(C)")
  sipp_cpu=$(awk 'NF==2 && $1 ~ /^[0-9.]+$/ {print $1+$2; exit}' "${csv%.csv}.time" 2>/dev/null || true)
  local pass=0
  row=$(awk -v side="$side" -v kind="$kind" -v rate="$rate" -v n="$calls" -v ok="$ok" -v failed="$failed" \
      -v start="$start" -v end="$end" -v hold="$([[ $kind == call ]] && echo "$HOLD_MS" || echo 0)" \
      -v r="$((r1 - r0))" -v g="$((g1 - g0))" -v hz="$CLK_TCK" -v sc="${sipp_cpu:-0}" \
      -v m0="$m0" -v m1="$m1" -v t0="$t0" -v t1="$t1" -v ncpu="$(nproc)" -v ns="$((n1 - n0))" -v jit="$((j1 - j0))" \
      -v rt="$retrans" -v to="$timeouts" -v un="$unexpected" -v mr="$maxretrans" \
      -v maxfail="$MAX_FAIL_PCT" -v minfrac="$MIN_RATE_FRACTION" 'BEGIN {
        busy = 100 * (1 - (m1 - m0) / ((t1 - t0) * ncpu * hz)); if (busy < 0) busy = 0;
        secs = end - start - hold / 1000; if (secs <= 0) secs = 1e-9;
        achieved = ok / secs;
        failpct = 100 * (n - ok) / n;
        per = ok > 0 ? 1e6 / hz / ok : 0;
        pass = (failpct <= maxfail && achieved >= minfrac * rate) ? "yes" : "no";
        relay = r * per; sched = ns / 1000 / (ok > 0 ? ok : 1); jitpct = (r > 0 ? 100 * jit / r : 0)
        printf "%s\t%s\t%d\t%d\t%d\t%d\t%.2f\t%.1f\t%.0f\t%.0f\t%.0f\t%.0f\t%d\t%d\t%d\t%d\t%s\t%.0f\t%d\t%.2f\t%.0f\n",
          side, kind, rate, n, ok, failed, failpct, achieved, relay, g * per, sc * 1e6 / (ok > 0 ? ok : 1),
          busy, rt, to, un, mr, pass, sched, r, t1 - t0, jitpct
        printf "sip-bench: %-8s %-8s %4d/s: %d/%d ok (%.2f %% failed), %.1f/s, relay %.0f us/call (schedstat %.0f, JIT %.0f %%), registrar %.0f us/call, machine %.0f %% busy -> %s\n",
          side, kind, rate, ok, n, failpct, achieved, relay, sched, jitpct, g * per, busy, (pass == "yes" ? "pass" : "FAIL") > "/dev/stderr"
        exit (pass == "yes" ? 0 : 1) }') || pass=$?
  echo "$row" >>"$RESULTS"
  return "$pass"
}

# ramp <kind>: every rate on every relay still in the ramp, alternating which relay goes first.
ramp() {
  local kind=$1 r side order i=0
  declare -A out=()
  for r in $RATES; do
    order=$SIDES
    ((i % 2)) && order=$(tr ' ' '\n' <<<"$SIDES" | tac | xargs)
    i=$((i + 1))
    for side in $order; do
      [[ -n ${out[$side]:-} ]] && continue
      step "$side" "$kind" "$r" || { out[$side]=1; say "$side $kind: leaves the ramp at $r/s"; }
      sleep "$PAUSE_SECONDS"
    done
    [[ ${#out[@]} -lt $(wc -w <<<"$SIDES") ]] || break
  done
}

# Unmeasured warm-up, in rounds of 5 s of REGISTER at 200/s and 5 s of calls at 100/s through each
# relay: at least WARMUP_MIN_ROUNDS, then until the bridge's JIT compiler threads take less than
# 5 % of its CPU in a round, at most WARMUP_MAX_ROUNDS. A fixed 15 s was not enough for the JVM: C2
# was still compiling 40 % of the time in the first measured steps.
warm_up() {
  local round side j0=0 j1=0 c0=0 c1=0 ok share=0
  for ((round = 1; round <= WARMUP_MAX_ROUNDS; round++)); do
    if [[ -n ${RELAY_PIDS[bridge]:-} ]]; then
      j0=$(jit_ticks "${RELAY_PIDS[bridge]}"); c0=$(cpu_ticks "${RELAY_PIDS[bridge]}")
    fi
    for side in $SIDES; do
      sipp_load "$side" "$WORK/$side-warmup-$round-register.csv" register 200 1000
      sipp_load "$side" "$WORK/$side-warmup-$round-call.csv" call 100 500
      ok=$(csv_field "$WORK/$side-warmup-$round-call.csv" "SuccessfulCall(C)")
      [[ ${ok:-0} -gt 0 ]] || { cat "$WORK/$side-warmup-$round-call.out" >&2; die "$side: no call got through during the warm-up"; }
    done
    if [[ -n ${RELAY_PIDS[bridge]:-} ]]; then
      j1=$(jit_ticks "${RELAY_PIDS[bridge]}"); c1=$(cpu_ticks "${RELAY_PIDS[bridge]}")
      share=$(( c1 > c0 ? 100 * (j1 - j0) / (c1 - c0) : 0 ))
      say "warm-up round $round: the bridge's JIT compiler threads took $share % of its CPU"
    else
      say "warm-up round $round"
    fi
    WARMUP_DONE=$round
    WARMUP_JIT=$share
    ((round >= WARMUP_MIN_ROUNDS && share < 5)) && break
  done
  sleep "$PAUSE_SECONDS"
}

# ------------------------------------------------------------------ run

if [[ -z $REPORT_FROM ]]; then
JDK=$(java -version 2>&1 | head -1)
KAM=$(kamailio -v 2>/dev/null | head -1 | sed 's/^version: //; s/ *$//; s/^kamailio /Kamailio /')
SIPP_V=$( (sipp -v 2>&1 || true) | grep -o 'SIPp v[^ ]*' | head -1 | sed 's/\.$//' || true)
CPU_MODEL=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
NPROC=$(nproc)
KERNEL=$(uname -r)
JAR_INFO="$(basename "$JAR") ($(stat -c %s "$JAR") bytes, built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC'))"
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED_AT=$(date -u '+%Y-%m-%d %H:%M UTC')
peers_start_registrar
if [[ " $SIDES " == *" bridge "* ]]; then peers_start_bridge; RELAY_PIDS[bridge]=$BRIDGE_PID; fi
[[ " $SIDES " == *" kamailio "* ]] && start_kamailio_relay
peers_start_callee
warm_up
ramp register
# The caller must be registered through each relay (bindings last 300 s): refresh them.
for side in $SIDES; do sipp_load "$side" "$WORK/$side-refresh.csv" register 10 3; done
sleep "$PAUSE_SECONDS"
ramp call
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
peers_stop_callee
if [[ -f $WORK/bridge.log ]]; then cp "$WORK/bridge.log" "$WORK/bridge-final.log"; fi
# Everything the report needs, so that --report-from can rebuild it from the kept work directory.
declare -p INVOCATION STARTED_AT LOAD_BEFORE LOAD_AFTER WARMUP_DONE WARMUP_JIT TARGET PREFIX RATES \
  STEP_SECONDS HOLD_MS PAUSE_SECONDS WARMUP_MIN_ROUNDS WARMUP_MAX_ROUNDS SIDES JDK KAM SIPP_V CPU_MODEL \
  NPROC KERNEL JAR_INFO COMMIT CLK_TCK | sed 's/^declare -A /declare -gA /' >"$WORK/meta.env"
fi

# ------------------------------------------------------------------ report

# lab/bench/sip-report.py reads results.tsv by column name, the other files of the work directory,
# and these facts of the run.
export INVOCATION STARTED_AT LOAD_BEFORE LOAD_AFTER WARMUP_DONE WARMUP_JIT PREFIX RATES STEP_SECONDS HOLD_MS \
  PAUSE_SECONDS WARMUP_MIN_ROUNDS WARMUP_MAX_ROUNDS MAX_FAIL_PCT JDK KAM SIPP_V CPU_MODEL NPROC KERNEL JAR_INFO COMMIT
export TARGET_BRIDGE=${TARGET[bridge]:-its port 8060} TARGET_KAMAILIO=${TARGET[kamailio]:-port 8062}
REPORT=$WORK/report.md
python3 "$HERE/sip-report.py" "$WORK" >"$REPORT"
cat "$REPORT"

if [[ $WRITE_DOC == 1 ]]; then
  python3 "$HERE/doc_section.py" "$DOC" "$REPORT"
  say "wrote the SIP section of $DOC"
fi
