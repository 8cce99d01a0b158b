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
# that file is kept). Needs root, lab/setup.sh's packages and a built jar:
#   mvn -q -B -o install -DskipTests -pl config,dhcp-responder,rtp-relay,sip-relay,web-admin,bridge-daemon
#
# Env (defaults): RATES ("50 100 200 400 800 1600") calls/s, STEP_SECONDS (10), HOLD_MS (200),
# PAUSE_SECONDS (3, between steps), WARMUP_MIN_ROUNDS (3), WARMUP_MAX_ROUNDS (10), PREFIX (sbench,
# for lab/topology.sh), JAR (bridge-daemon/target/sipbridge.jar, copied before use), DOC
# (docs/benchmarks.md), KEEP_WORK (0; 1 keeps the work directory with every log), BRIDGE_JAVA_OPTS
# (empty; extra JVM options for the bridge, e.g. a JFR recording).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
TOPO=$REPO/lab/topology.sh

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
# Extra JVM options for the bridge after packaging/sipbridge.jvmopts (e.g. a JFR recording or a
# compiler setting to compare); empty for the published figures.
read -r -a BRIDGE_JAVA_OPTS <<<"${BRIDGE_JAVA_OPTS:-}"
MAX_FAIL_PCT=1
MIN_RATE_FRACTION=0.9
SIDES="bridge kamailio"
WRITE_DOC=1
REPORT_FROM=""
BRIDGE_PORT=8060
KAMAILIO_PORT=8062
CALLEE_PORT=5070

die() { echo "sip-bench: $*" >&2; exit 1; }
say() { echo "sip-bench: $*" >&2; }

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
STARTED_PIDS=()
declare -A TARGET=() RELAY_PIDS=()
WARMUP_DONE=0
WARMUP_JIT=0

cleanup() {
  local rc=$? p
  for p in "${STARTED_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${STARTED_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  "$TOPO" down "$PREFIX" >/dev/null 2>&1 || true
  if [[ $KEEP_WORK == 1 || $rc != 0 ]]; then say "logs kept in $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'say "interrupted (SIGINT)"; exit 130' INT
trap 'say "terminated (SIGTERM from outside)"; exit 143' TERM

# ------------------------------------------------------------------ topology and processes

FACTS=$("$TOPO" up "$PREFIX") || die "lab/topology.sh up $PREFIX failed"
eval "$FACTS"   # PHONE_IP, BRIDGE_LAN_IP, BRIDGE_VPN_IP, PBX_IP, *_NS, LAN_IF, VPN_IF
[[ -n ${PHONE_IP:-} && -n ${BRIDGE_NS:-} ]] || die "lab/topology.sh up printed no facts"
"$TOPO" check "$PREFIX" >/dev/null || die "topology check failed"
TARGET[bridge]="$BRIDGE_LAN_IP:$BRIDGE_PORT"
TARGET[kamailio]="$BRIDGE_LAN_IP:$KAMAILIO_PORT"

fi   # ---- end of run-mode setup

# start <name> <ns> cmd...: background process in a namespace; its pid is the command's own
# (ip netns exec execs it). Output goes to $WORK/<name>.log.
start() {
  local name=$1 ns=$2; shift 2
  ip netns exec "$ns" "$@" >"$WORK/$name.log" 2>&1 &
  STARTED_PIDS+=("$!")
  LAST_PID=$!
}

await_log() { # await_log <file> <text> <seconds> <pid>
  local deadline=$((SECONDS + $3))
  until grep -qF -- "$2" "$1" 2>/dev/null; do
    kill -0 "$4" 2>/dev/null || { cat "$1" >&2; die "process $4 died before printing '$2'"; }
    ((SECONDS < deadline)) || { tail -20 "$1" >&2; die "no '$2' in $1 within $3 s"; }
    sleep 0.2
  done
}

# The registrar: the lab PBX's own config (lab/kamailio/kamailio.cfg, unchanged), started as
# lab/kamailio/run.sh starts it except for two settings that would otherwise make the registrar,
# not the relay under test, the limit: 256 MB of shared memory instead of 32 (at 200 calls/s its tm
# ran out: "new_t(): out of mem" and 500 replies) and log level NOTICE (--debug=1: no line per
# request on stderr).
start_registrar() {
  local dir=$WORK/registrar
  mkdir -p "$dir"
  start registrar "$PBX_NS" kamailio -DD -E --debug=1 -m 256 -M 16 -f "$REPO/lab/kamailio/kamailio.cfg" \
    -l "udp:$PBX_IP:5060" -l "tcp:$PBX_IP:5060" -Y "$dir" -P "$dir/kamailio.pid" \
    -A "CTL_SOCK=\"unix:$dir/kamailio_ctl\"" -A "CALLEE=\"$PBX_IP:$CALLEE_PORT\""
  await_log "$WORK/registrar.log" "Listening on" 20 "$LAST_PID"
  sleep 1
}

start_bridge() {
  local dir=$WORK/bridge
  mkdir -p "$dir"
  cp "$JAR" "$dir/sipbridge.jar"   # a rebuild during the run must not swap the jar under us
  cat >"$dir/sipbridge.json" <<EOF
{"bridge": {"servers": ["$PBX_IP:5060"], "lanAdapter": "$LAN_IF", "vpnAdapter": "$VPN_IF"},
 "protocols": {"udp": {"port": $BRIDGE_PORT}, "tcp": {"port": $BRIDGE_PORT}}}
EOF
  start bridge "$BRIDGE_NS" env SIPBRIDGE_LOCK_FILE="$dir/sipbridge.lock" \
    java "@$REPO/packaging/sipbridge.jvmopts" "${BRIDGE_JAVA_OPTS[@]}" -jar "$dir/sipbridge.jar" run --config "$dir/sipbridge.json" --data-dir "$dir/data"
  RELAY_PIDS[bridge]=$LAST_PID
  await_log "$WORK/bridge.log" "Web UI: http://" 60 "$LAST_PID"
  local deadline=$((SECONDS + 20)) state=""
  until [[ $state == UP ]]; do
    state=$(ip netns exec "$BRIDGE_NS" curl -sS --max-time 2 http://127.0.0.1:8080/api/status 2>/dev/null \
      | jq -r '.servers[0].state' 2>/dev/null || true)
    ((SECONDS < deadline)) || die "the bridge never saw the PBX UP (state '$state')"
    sleep 0.3
  done
}

start_kamailio_relay() {
  local dir=$WORK/relay p
  mkdir -p "$dir"
  start relay "$BRIDGE_NS" kamailio -DD -E -m 256 -M 16 -f "$HERE/kamailio-relay.cfg" \
    -l "udp:$BRIDGE_LAN_IP:$KAMAILIO_PORT" -l "udp:$BRIDGE_VPN_IP:$KAMAILIO_PORT" \
    -Y "$dir" -P "$dir/kamailio.pid" -A "CTL_SOCK=\"unix:$dir/kamailio_ctl\"" \
    -A "PBX=\"sip:$PBX_IP:5060\"" -A "LAN_IP=\"$BRIDGE_LAN_IP\"" \
    -A "LAN_SOCK=\"udp:$BRIDGE_LAN_IP:$KAMAILIO_PORT\"" -A "VPN_SOCK=\"udp:$BRIDGE_VPN_IP:$KAMAILIO_PORT\""
  await_log "$WORK/relay.log" "Listening on" 20 "$LAST_PID"
  sleep 1
  # The main process and every child it forked (workers, timers, ctl): all Kamailio in the bridge ns.
  RELAY_PIDS[kamailio]=""
  for p in $(ip netns pids "$BRIDGE_NS"); do
    [[ $(cat "/proc/$p/comm" 2>/dev/null) == kamailio ]] && RELAY_PIDS[kamailio]+="$p "
  done
  [[ -n ${RELAY_PIDS[kamailio]} ]] || die "no Kamailio relay process found"
}

start_callee() {
  start callee "$PBX_NS" sipp -sf "$REPO/lab/sipp/uas-answer.xml" -i "$PBX_IP" -p "$CALLEE_PORT" \
    -mi "$PBX_IP" -mp 6000 -l 20000 -nostdin -timeout 3600 -trace_stat -stf "$WORK/callee.csv" -fd 5
  CALLEE_PID=$LAST_PID
  sleep 0.5
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
# thread_share <before> <after>: the CPU between two thread_ticks snapshots by thread group
# (trailing numbers dropped: "GC Thread#1" → "GC Thread"), largest first, as "name N %".
thread_share() {
  join <(sort "$1") <(sort "$2") | awk '{ d = $4 - $2; if (d <= 0) next; name = $5
      sub(/[-#_0-9]+$/, "", name); gsub(/_/, " ", name); by[name] += d; total += d }
    END { for (n in by) if (100 * by[n] / total >= 0.5) printf "%d\t%s\n", 100 * by[n] / total + 0.5, n }' | sort -rn | head -7 \
    | awk -F'\t' '{ printf "%s%s %d %%", (NR > 1 ? ", " : ""), $2, $1 }'
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
  if [[ $kind == register ]]; then
    args+=(-sf "$HERE/register-load.xml" -inf "$HERE/users.csv" -key domain sipbridge.lab
           -default_behaviors "all,-bye" -p 5061)
  else
    args+=(-sf "$HERE/call-load.xml" -key domain sipbridge.lab -key caller 1001 -s 2000
           -au 1001 -ap pass1001 -d "$HOLD_MS" -p 5061
           # From the socket that registered 1001 in the REGISTER load: the bridge relays a call
           # only from the device holding the caller's binding (docs/security.md, #14).
           # A 180 that arrives after the 200 (SIP over UDP does not keep order; a multi-process
           # relay can reorder) is ignored, as a phone ignores it. Real failures still end the call
           # through -recv_timeout.
           -default_behaviors "all,-abortunexp")
  fi
  # shellcheck disable=SC2153  # PHONE_NS comes from lab/topology.sh
  ip netns exec "$PHONE_NS" timeout -k 5 $((calls / rate + 60)) \
    /usr/bin/time -f "%U %S" -o "${csv%.csv}.time" sipp "${args[@]}" "${TARGET[$side]}" \
    >"${csv%.csv}.out" 2>&1 || true
}

# csv_field <csv> <column name>: the value in SIPp's last statistics row.
csv_field() {
  awk -F';' -v name="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==name) c=i; next} {v=$c} END{print (c? v : "")}' "$1"
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
[[ -n $REPORT_FROM ]] || printf 'side\tkind\trate\tattempted\tok\tfailed\tfail_pct\tachieved\trelay_us\tregistrar_us\tsipp_us\tbusy_pct\tretrans\ttimeouts\tunexpected\tmaxretrans\tpass\trelay_us_schedstat\trelay_ticks\twall_s\tjit_pct\n' >"$RESULTS"
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
        printf "%s\t%s\t%d\t%d\t%d\t%d\t%.2f\t%.1f\t%.0f\t%.0f\t%.0f\t%.0f\t%d\t%d\t%d\t%d\t%s\t%.0f\t%d\t%.2f\t%.0f\n",
          side, kind, rate, n, ok, failed, failpct, achieved, r * per, g * per, sc * 1e6 / (ok > 0 ? ok : 1),
          busy, rt, to, un, mr, pass, ns / 1000 / (ok > 0 ? ok : 1), r, t1 - t0, (r > 0 ? 100 * jit / r : 0) }')
  echo "$row" >>"$RESULTS"
  awk -F'\t' '{printf "sip-bench: %-8s %-8s %4d/s: %d/%d ok (%s %% failed), %.1f/s, relay %s us/call (schedstat %s, JIT %s %%), registrar %s us/call, machine %s %% busy -> %s\n",
    $1, $2, $3, $5, $4, $7, $8, $9, $18, $21, $10, $12, ($17 == "yes" ? "pass" : "FAIL")}' <<<"$row" >&2
  [[ $(cut -f17 <<<"$row") == yes ]]
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
start_registrar
[[ " $SIDES " == *" bridge "* ]] && start_bridge
[[ " $SIDES " == *" kamailio "* ]] && start_kamailio_relay
start_callee
warm_up
ramp register
# The caller must be registered through each relay (bindings last 300 s): refresh them.
for side in $SIDES; do sipp_load "$side" "$WORK/$side-refresh.csv" register 10 3; done
sleep "$PAUSE_SECONDS"
ramp call
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
sleep 2   # the callee's last calls end (uas-answer.xml waits 1 s after BYE)
kill -TERM "$CALLEE_PID" 2>/dev/null || true
wait "$CALLEE_PID" 2>/dev/null || true
if [[ -f $WORK/bridge.log ]]; then cp "$WORK/bridge.log" "$WORK/bridge-final.log"; fi
# Everything the report needs, so that --report-from can rebuild it from the kept work directory.
declare -p INVOCATION STARTED_AT LOAD_BEFORE LOAD_AFTER WARMUP_DONE WARMUP_JIT TARGET PREFIX RATES \
  STEP_SECONDS HOLD_MS PAUSE_SECONDS WARMUP_MIN_ROUNDS WARMUP_MAX_ROUNDS SIDES JDK KAM SIPP_V CPU_MODEL \
  NPROC KERNEL JAR_INFO COMMIT CLK_TCK | sed 's/^declare -A /declare -gA /' >"$WORK/meta.env"
fi

# ------------------------------------------------------------------ report

BRIDGE_WARN=0
BRIDGE_TOP=""
if [[ -f $WORK/bridge-final.log ]]; then
  BRIDGE_WARN=$(grep -cE ' (WARN|ERROR) ' "$WORK/bridge-final.log" || true)
  # shellcheck disable=SC2016  # Markdown backticks, not an expansion
  BRIDGE_TOP=$(grep -E ' (WARN|ERROR) ' "$WORK/bridge-final.log" | sed -E 's/^[0-9-]+ [0-9:.]+ //; s/[0-9a-f]{8,}[^ ]*/…/g; s/[0-9]+-[0-9]+@[0-9.]+/…/g' \
    | cut -c1-160 | sort | uniq -c | sort -rn | head -5 | sed -E 's/^ *([0-9]+) (.*)$/- \1 × `\2`/' || true)
fi

# Columns of $RESULTS: 1 side, 2 kind, 3 rate, 4 attempted, 5 ok, 6 failed, 7 fail_pct, 8 achieved,
# 9 relay_us, 10 registrar_us, 11 sipp_us, 12 busy_pct, 13 retrans, 14 timeouts, 15 unexpected,
# 16 maxretrans, 17 pass, 18 relay_us_schedstat, 19 relay_ticks, 20 wall_s, 21 jit_pct.
#
# analyze: the summary table rows (mode=table) or the reading sentences (mode=reading).
# tx/s of a side = the highest rate it reached in a step with at most 1 % failed calls ("≥" when
# even the ramp's top rate passed); CPU per tx is compared at the highest offered rate that both
# sides passed, i.e. at the same load.
analyze() {
  awk -F'\t' -v mode="$1" -v rates="$RATES" -v maxfail="$MAX_FAIL_PCT" '
    NR == 1 { next }
    {
      k = $1 SUBSEP $2; row[k SUBSEP $3] = $0; seen[k] = 1
      if ($7 <= maxfail && $8 > tp[k]) { tp[k] = $8; tprate[k] = $3 }
      if ($17 == "yes" && $3 > pass[k]) pass[k] = $3
      if ($17 != "yes" && !(k in stop)) stop[k] = $3
    }
    function f(side, kind, rate, i,   a) { split(row[side SUBSEP kind SUBSEP rate], a, "\t"); return a[i] }
    function ceil(side, kind) { return pass[side SUBSEP kind] == top }
    function tptext(side, kind,   k) {
      k = side SUBSEP kind
      if (!(k in seen)) return "not run"
      if (tp[k] == "") return "< " rl[1]
      return sprintf("%s%.0f", ceil(side, kind) ? "≥ " : "", tp[k])
    }
    function stoptext(side, name, kind,   k, r) {
      k = side SUBSEP kind
      if (!(k in seen)) return name ": not run"
      if (!(k in stop)) return name ": no step failed up to " top "/s"
      r = stop[k]
      return sprintf("%s: stopped at %d/s (%s %% of %d calls failed, %.0f/s reached, machine %s %% busy)",
        name, r, f(side, kind, r, 7), f(side, kind, r, 4), f(side, kind, r, 8), f(side, kind, r, 12))
    }
    END {
      n = split(rates, rl, " "); top = rl[n]
      split("register call", kinds, " ")
      label["register"] = "REGISTER (401 + 200)"; label["call"] = "INVITE→BYE call"
      what["register"] = "registration (two REGISTER transactions)"; what["call"] = "call"
      for (i = 1; i <= 2; i++) {
        kind = kinds[i]; B = "bridge" SUBSEP kind; K = "kamailio" SUBSEP kind
        common = (pass[B] != "" && pass[K] != "") ? (pass[B] < pass[K] ? pass[B] : pass[K]) : ""
        ratio = "–"
        if (tp[B] > 0 && tp[K] > 0) {
          if (ceil("bridge", kind) && ceil("kamailio", kind)) ratio = "both ≥ ramp"
          else ratio = sprintf("%s%.1f×", ceil("kamailio", kind) ? "≥ " : "", tp[K] / tp[B])
        }
        cb = "–"; ck = "–"; cratio = "–"
        if (common != "") {
          bc = f("bridge", kind, common, 9); kc = f("kamailio", kind, common, 9)
          cb = sprintf("%d (at %d/s)", bc, common); ck = sprintf("%d (at %d/s)", kc, common)
          if (kc > 0) cratio = sprintf("%.1f×", bc / kc)
        }
        if (mode == "table") {
          failures = sprintf("%s; %s", stoptext("bridge", "bridge", kind), stoptext("kamailio", "Kamailio", kind))
          printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", label[kind], tptext("bridge", kind),
            tptext("kamailio", kind), ratio, cb, ck, cratio, failures
        } else if (tp[B] > 0 && tp[K] > 0) {
          printf "- **%s**: Kamailio relayed %s/s, the bridge %s/s (%s). ", label[kind], tptext("kamailio", kind),
            tptext("bridge", kind), ratio
          if (common != "")
            printf "At %d/s, the highest rate both held, the bridge spent %d µs of CPU per %s and Kamailio %d µs: %s as much%s.",
              common, bc, what[kind], kc, cratio, (f("bridge", kind, common, 21) >= 5 ? sprintf(" (%d %% of the bridge'"'"'s CPU in that step was still the JIT compiler)", f("bridge", kind, common, 21)) : "")
          printf "\n"
        }
      }
    }' "$RESULTS"
}

detail_rows() {
  awk -F'\t' 'NR > 1 {
    printf "| %s | %s | %d | %d | %d | %s | %.0f | %s | %s | %s | %s | %s | %s | %d / %d / %d / %d | %s |\n",
      ($1 == "bridge" ? "sipbridge" : "Kamailio relay"), ($2 == "register" ? "REGISTER" : "INVITE→BYE"),
      $3, $4, $5, $7, $8, $9, $18, ($1 == "bridge" ? $21 : "–"), $10, $11, $12, $13, $14, $15, $16,
      ($17 == "yes" ? "pass" : "**stop**") }' "$RESULTS"
}

# What SIPp got instead of the expected message at each ramp's stopping step (from -trace_err):
# final responses other than 2xx, counting retransmissions.
failure_notes() {
  local side kind rate err top first=1
  while IFS=$'\t' read -r side kind rate; do
    err=$WORK/$side-$kind-$rate.err
    top=""
    if [[ -s $err ]]; then
      top=$(grep -oE "received 'SIP/2.0 [3-6][0-9]{2} [^[:cntrl:]]*" "$err" | sed "s/^received 'SIP\/2.0 //" | sort | uniq -c \
        | sort -rn | head -4 | awk '{c = $1; $1 = ""; printf "%s%d × %s", (NR > 1 ? ", " : ""), c, substr($0, 2)}' || true)
    fi
    if ((first)); then echo "Where the ramps stopped (SIPp's view):"; echo; first=0; fi
    awk -F'\t' -v top="$top" -v side="$side" -v kind="$kind" -v rate="$rate" '
      NR > 1 && $1 == side && $2 == kind && $3 == rate {
        printf "- %s, %s at %d/s: %d of %d calls failed (%d on a receive timeout), %.0f/s reached, %d retransmissions",
          (side == "bridge" ? "sipbridge" : "Kamailio relay"), (kind == "register" ? "REGISTER" : "INVITE→BYE"),
          rate, $4 - $5, $4, $14, $8, $13
        if (top != "") printf "; error responses: %s", top
        printf ".\n" }' "$RESULTS"
  done < <(awk -F'\t' 'NR > 1 && $17 == "no" {print $1 "\t" $2 "\t" $3}' "$RESULTS")
  ((first)) || echo
  if [[ -s $WORK/callee.csv ]]; then
    echo "The callee behind the PBX (SIPp, uas-answer.xml; both relays, warm-up included) completed $(csv_field "$WORK/callee.csv" "SuccessfulCall(C)") calls and failed $(csv_field "$WORK/callee.csv" "FailedCall(C)")."
    echo
  fi
}

# Where the bridge's CPU went, by thread group, in its steps at the rates the CPU columns compare
# and at the step where it left each ramp.
thread_notes() {
  local kind rate f label first=1
  while IFS=$'\t' read -r kind rate label; do
    f=$WORK/bridge-$kind-$rate
    [[ -s $f.threads0 && -s $f.threads1 ]] || continue
    if ((first)); then
      echo "- Thread names below are the kernel's 15-character ones: EventScannerThr = jain-sip's single"
      echo "  event-delivery thread (the relay's own code runs there), sipbridge…UDP… and MessageProcesso ="
      echo "  jain-sip's UDP message processors, DefaultSipTimer = its transaction timers, rtp-relay = the"
      echo "  RTP relay's netty event loops, C2/C1 CompilerThre = the JIT, GC Thread / G1 Conc = the collector."
      first=0
    fi
    echo "- The bridge's CPU by thread, $([[ $kind == register ]] && echo REGISTER || echo 'INVITE→BYE') at $rate/s ($label): $(thread_share "$f.threads0" "$f.threads1")."
  done < <(awk -F'\t' 'NR > 1 { k = $1 SUBSEP $2; if ($17 == "yes" && $3 > pass[k]) pass[k] = $3
                                  if ($17 != "yes" && !(k in stop)) stop[k] = $3 }
    END { split("register call", kinds, " ")
          for (i = 1; i <= 2; i++) { b = "bridge" SUBSEP kinds[i]; q = "kamailio" SUBSEP kinds[i]
            c = (pass[b] != "" && pass[q] != "") ? (pass[b] < pass[q] ? pass[b] : pass[q]) : ""
            if (c != "") print kinds[i] "\t" c "\tthe rate compared above"
            if (b in stop) print kinds[i] "\t" stop[b] "\twhere it left the ramp" } }' "$RESULTS")
  echo
}

REPORT=$WORK/report.md
{
  cat <<EOF
## SIP

Produced by \`$INVOCATION\` on $STARTED_AT (commit $COMMIT, $JAR_INFO).
The driver is a bash script (\`lab/bench/sip-bench.sh\`, beside the lab it drives) rather than a Java
program: all it does is start processes in namespaces (\`lab/topology.sh\`, Kamailio, SIPp,
\`java -jar\`), read \`/proc\` and SIPp's statistics files, and do arithmetic, so it needs no
build step and no Maven module. \`--report-from <kept work dir>\` rebuilds this section from a run.

Machine: $NPROC CPUs ($CPU_MODEL), Linux $KERNEL; $JDK; $KAM; $SIPP_V.
Load average (1/5/15 min) $LOAD_BEFORE before the run and $LOAD_AFTER after it. This machine is
shared with other engineers' builds, so absolute figures are noisy. Both relays were measured in the
same run under the same conditions: they run side by side, and each rate is measured on one and
then, seconds later, on the other (alternating which goes first), so a build that starts meanwhile
hits both. The ratios are the figures to read, and even they moved by up to a third between
repeated runs on this 2-CPU development VM: read "about 2×", not the decimal. Everything runs on
these $NPROC CPUs (the relay under test, the PBX, the callee and the SIPp load generator), so a ramp
can also stop because the whole testbed is busy (see "machine % busy").

What is compared, in the lab topology of \`lab/README.md\` (prefix \`$PREFIX\`): SIPp as the phone in
the phone namespace sends to the bridge namespace's LAN address, where **sipbridge**
(\`java -jar sipbridge.jar run\`, default JVM options, default configuration apart from the PBX and
the adapters; SIP on ${TARGET[bridge]:-its port 8060}) and **Kamailio as a transaction-stateful relay**
(\`lab/bench/kamailio-relay.cfg\` on ${TARGET[kamailio]:-port 8062}: \`t_relay()\` of everything to the
registrar, double Record-Route across the LAN and VPN sockets, no Contact/SDP rewriting, 2 UDP
workers per socket, 256 MB shared memory) each relay, from the VPN address, to the lab PBX in the
PBX namespace (\`lab/kamailio/kamailio.cfg\` unchanged: digest auth and registrar; started like
\`lab/kamailio/run.sh\` but with 256 MB of shared memory instead of 32, which ran out at 200
calls/s, and log level NOTICE instead of a line per request).

- **REGISTER**: \`lab/bench/register-load.xml\`, users 1001-1003 in turn (\`users.csv\`), each call
  REGISTER → 401 → REGISTER with digest → 200, so one "tx" below is two REGISTER transactions and a
  real digest check at the registrar, through either relay. No registrar variant: both sides
  authenticate the same way.
- **INVITE→BYE**: \`lab/bench/call-load.xml\`, caller 1001 → 2000, each call INVITE → 407 → ACK →
  INVITE with digest → 100/180/200 (SDP) → ACK → ${HOLD_MS} ms → BYE → 200, answered by
  \`lab/sipp/uas-answer.xml\` behind the PBX: one "tx" is one whole call (three transactions on each
  leg). SDP but no RTP. Through the bridge every SDP goes through its RTP relay: 4 UDP ports
  allocated per call (RTP+RTCP on each side), the SDP rewritten both ways, the ports released at
  BYE; Kamailio passes the SDP untouched and opens no ports. A 180 that arrives after the 200
  (Kamailio's worker processes may reorder them) is ignored, as a phone ignores it.
- Warm-up (not measured), the same for both relays: rounds of 5 s of REGISTER at 200/s and 5 s of
  calls at 100/s through each, at least ${WARMUP_MIN_ROUNDS} and until the bridge's JIT compiler threads take
  less than 5 % of its CPU in a round (at most ${WARMUP_MAX_ROUNDS}): ${WARMUP_DONE} round(s), ${WARMUP_JIT} % JIT in the last one.
- Ramp: ${RATES// /, } calls/s, ${STEP_SECONDS} s each (${PAUSE_SECONDS} s pause between steps); a ramp stops at the
  first rate where more than ${MAX_FAIL_PCT} % of the calls fail or less than 90 % of the rate is reached.
  SIPp: \`-recv_timeout 5000\`, \`-l\` = 3 s worth of calls, UDP retransmissions on.
- **tx/s**: successful calls ÷ (SIPp's first call to last completion, minus the hold time), the
  highest reached in a step with at most ${MAX_FAIL_PCT} % failed calls; "≥" means even the ramp's top rate
  passed, so the figure is the ramp's ceiling, not the relay's. **CPU µs/tx**: utime+stime from
  \`/proc/<pid>/stat\` of the relay's processes (the JVM with all its threads; every process of the
  Kamailio relay), read before and after the step, ÷ successful calls, compared at the highest rate
  both relays passed (same load). Ratios: Kamailio's tx/s ÷ the bridge's; the bridge's CPU ÷
  Kamailio's.

| scenario | bridge tx/s | Kamailio tx/s | ratio | bridge CPU µs/tx | Kamailio CPU µs/tx | ratio | failures |
|---|---|---|---|---|---|---|---|
EOF
  analyze table
  echo
  analyze reading
  thread_notes
  cat <<'EOF'

How to read it: sipbridge is a B2BUA on the JVM (jain-sip): it parses every message into objects,
runs a server transaction on one leg and a client transaction on the other, builds a new request or
response for the other side (its own Via, Contact, Call-ID, a keyed hash per REGISTER, a Route),
keeps both dialogs of a call, and for calls allocates four media ports and rewrites the SDP both
ways. Kamailio here is a C proxy that forwards the same messages with a Via and Record-Route added
and nothing rewritten. So Kamailio is expected to be faster and cheaper per transaction; the figures
say by how much. For scale: one desk phone registers every few minutes and places a few calls an
hour, so even the bridge's cost per call is a negligible load at its real job; the ramps show how
far the headroom goes and where it ends, not a target.

EOF
  cat <<EOF
Every step, in the order run. relay = the relay's processes, from \`/proc/<pid>/stat\` and, as a
cross-check without tick rounding, from \`/proc/<pid>/task/*/schedstat\` (threads that ended during
the step are missing there); JIT = the share of the bridge's CPU spent by its JIT compiler threads
in the step; registrar = the PBX's Kamailio; SIPp = the phone's load generator; machine = share of
both CPUs not idle (from the idle time in \`/proc/stat\`), including other engineers' work; SIPp
counters: retransmissions / calls failed on a receive timeout / on an unexpected message / on max
UDP retransmissions.

| relay | scenario | rate/s | calls | ok | failed % | reached/s | relay µs/tx | relay µs/tx (schedstat) | JIT % | registrar µs/tx | SIPp µs/tx | machine % busy | retrans / timeouts / unexpected / max-retrans | |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
EOF
  detail_rows
  echo
  failure_notes
  if [[ -f $WORK/bridge-final.log ]]; then
    echo "Bridge log during the run: $BRIDGE_WARN WARN/ERROR lines."
    [[ -n $BRIDGE_TOP ]] && { echo "Most frequent (ids elided):"; echo; echo "$BRIDGE_TOP"; }
    echo
  fi
} >"$REPORT"

cat "$REPORT"

if [[ $WRITE_DOC == 1 ]]; then
  mkdir -p "$(dirname "$DOC")"
  if [[ ! -f $DOC ]]; then
    cat >"$DOC" <<'EOF'
# Benchmarks

Benchmarks are programs, not timed tests: each prints figures and ratios against a peer measured in
the same run, and writes its section of this file. Re-run them on a quiet machine for figures to
quote; compare ratios, not absolute numbers, across machines.

## SIP

## RTP (media relay)

to be added by the media benchmark
EOF
  fi
  if ! grep -q '^## SIP *$' "$DOC"; then
    printf '\n## SIP\n' >>"$DOC"
  fi
  # Replace the "## SIP" section (up to the next "## " heading) and keep everything else.
  awk -v report="$REPORT" '
    /^## SIP *$/ { while ((getline line < report) > 0) print line; print ""; skip = 1; next }
    skip && /^## / { skip = 0 }
    !skip { print }' "$DOC" >"$WORK/doc.md"
  cat "$WORK/doc.md" >"$DOC"
  grep -q '^## RTP (media relay)' "$DOC" || printf '\n## RTP (media relay)\n\nto be added by the media benchmark\n' >>"$DOC"
  say "wrote the SIP section of $DOC"
fi
