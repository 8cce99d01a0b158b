#!/usr/bin/env bash
# Idle footprint benchmark (issue #19, "light on a laptop"): the packaged daemon in the lab, with
# SIP, RTP, DHCP, provisioning and the web UI running and one phone registered, left alone.
#
#   sudo lab/bench/idle-bench.sh [--no-doc]
#
#   <p>-phone (SIPp registers 1001 once)  <p>-bridge: sipbridge.jar  <p>-pbx: Kamailio registrar + nginx
#                                          (LAN eth0, VPN tun0)          (provisioning upstream)
#
# Prints, in Markdown, and writes as the "## Idle footprint" section of docs/benchmarks.md (the rest
# of the file is kept):
#   - start to Ready: from just before the JVM is exec'd to the first /api/status saying READY (the
#     phone keeps trying to register from the start, so its own share is at most one retry, 100 ms);
#   - `--version`: wall time of `java <options> -jar sipbridge.jar --version`, median of 5;
#   - after IDLE_SECONDS of idling: resident memory (VmRSS), threads by name group, wake-ups per
#     second = voluntary context switches (each one is the thread blocking, i.e. it slept and was woken)
#     summed from /proc/<pid>/task/*/status over the idle window, per name group, and CPU time used.
# The JVM options are the shipped ones (packaging/sipbridge.jvmopts, the file every launcher uses);
# JAVA_OPTS replaces them, e.g. JAVA_OPTS=" " for the JVM's defaults (how the figures "before" were taken).
# A benchmark program, not a test: it asserts nothing; it compares against the targets of #19.
#
# Needs root, lab/setup.sh's packages (kamailio, sipp, nginx-light, jq, curl) and the jar:
#   mvn -B -q -o -pl bridge-daemon -am package -DskipTests
# Env (defaults): STARTS (1: later starts measured one after the other, the figures are their medians
# and each is printed on stderr; the last one idles), IDLE_SECONDS (60), SETTLE_SECONDS (10: after Ready, before the window; start-up
# work such as the first JIT compilations and the registration's 200 are not "idle"), JAR
# (bridge-daemon/target/sipbridge.jar, copied before use), JAVA (java), JAVA_OPTS (the shipped file),
# CDS (0; 1 measures a start with a dynamic class-data sharing archive written by the first start;
# static: with a static archive dumped from packaging/sipbridge.classlist before the starts, as the
# .deb's postinst does), CLASSLIST (a file: the measured start writes the classes it loads there, the
# way packaging/sipbridge.classlist is made: `sudo CLASSLIST=packaging/sipbridge.classlist lab/bench/idle-bench.sh --no-doc`),
# NMT (0; 1 writes the JVM's native memory summary to nmt.txt and its threads to threads.txt in the work
# directory, with KEEP_WORK=1),
# LABEL (what the run measures, shown in the report), DOC (docs/benchmarks.md), PREFIX (idl<random>),
# KEEP_WORK (0; 1 keeps the work directory with every log), FIGURES (a file to write the figures to as
# key=value lines, as lab/bench/footprint.sh reads them), LAUNCHER (a launcher to run instead of
# `java <options> -jar`, e.g. the installed .deb's /opt/sipbridge/bin/sipbridge with its own runtime
# and options; JAR, JAVA_OPTS, CDS and NMT do not apply to it).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
IDLE_SECONDS=${IDLE_SECONDS:-60}
STARTS=${STARTS:-1}
SETTLE_SECONDS=${SETTLE_SECONDS:-10}
JAR=${JAR:-$REPO/bridge-daemon/target/sipbridge.jar}
JAVA=${JAVA:-java}
OPTS_FILE=$REPO/packaging/sipbridge.jvmopts
DOC=${DOC:-$REPO/docs/benchmarks.md}
PREFIX=${PREFIX:-idl$((RANDOM % 10000))}
KEEP_WORK=${KEEP_WORK:-0}
WRITE_DOC=1
[[ ${1:-} == --no-doc ]] && WRITE_DOC=0

say() { echo "idle-bench: $*" >&2; }
die() { say "$*"; exit 1; }
# shellcheck disable=SC1091  # lab-peers.sh (process bookkeeping, clean-up) is checked on its own
source "$HERE/lab-peers.sh"
[[ $(id -u) == 0 ]] || die "needs root (network namespaces)"
for tool in kamailio sipp nginx java curl jq ip python3; do command -v "$tool" >/dev/null || die "missing '$tool': run lab/setup.sh"; done
LAUNCHER=${LAUNCHER:-}
[[ -n $LAUNCHER || -f $JAR ]] || die "no $JAR: mvn -B -q -o -pl bridge-daemon -am package -DskipTests"
[[ -z $LAUNCHER || -x $LAUNCHER ]] || die "no launcher $LAUNCHER (is the .deb installed?)"
if [[ -n $LAUNCHER ]]; then OPTS=(); OPTS_SHOWN="those of $LAUNCHER"
elif [[ -v JAVA_OPTS ]]; then read -r -a OPTS <<<"$JAVA_OPTS"; OPTS_SHOWN=${JAVA_OPTS:-"(JVM defaults)"}
else OPTS=("@$OPTS_FILE"); OPTS_SHOWN="packaging/sipbridge.jvmopts: $(grep -v '^#' "$OPTS_FILE" | xargs)"; fi
LABEL=${LABEL:-$OPTS_SHOWN}
# NMT=1: native memory tracking on, and its summary after the window in the work directory (nmt.txt).
[[ ${NMT:-0} == 1 ]] && OPTS+=(-XX:NativeMemoryTracking=summary)

WORK=$(mktemp -d /tmp/idle-bench.XXXXXX)
# CDS=1: the first start (the one that makes the certificates, as a package's training run would) writes
# a dynamic class-data sharing archive at exit; the measured start maps it (Java 17: -XX:ArchiveClassesAtExit).
FIRST_OPTS=() NEXT_OPTS=()
case ${CDS:-0} in
  0) ;;
  1) [[ -z $LAUNCHER ]] || die "CDS=1 needs the jar (a launcher has its own options)"
     FIRST_OPTS=(-XX:ArchiveClassesAtExit="$WORK/sipbridge.jsa") NEXT_OPTS=(-XX:SharedArchiveFile="$WORK/sipbridge.jsa")
     LABEL+="; CDS archive from the first start" ;;
  static) [[ -z $LAUNCHER ]] || die "CDS=static needs the jar (a launcher has its own options)"
     FIRST_OPTS=(-XX:SharedArchiveFile="$WORK/sipbridge.jsa") NEXT_OPTS=("${FIRST_OPTS[@]}")
     LABEL+="; static CDS archive from packaging/sipbridge.classlist" ;;
  *) die "CDS must be 0, 1 or static" ;;
esac
[[ -n ${CLASSLIST:-} ]] && NEXT_OPTS+=(-XX:DumpLoadedClassList="$(realpath -m "$CLASSLIST")")
trap peers_cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# CPU time (user + system, all threads, in ms) a process has used: load on a shared machine stretches
# the wall time of a start, much less the CPU it needs.
cpu_ms() { local rest; rest=$(cat "/proc/$1/stat"); rest=${rest##*) }; awk -v hz="$(getconf CLK_TCK)" '{print ($12 + $13) * 1000 / hz}' <<<"$rest"; }

# ------------------------------------------------------------------ --version (no lab needed)
# The bridge's command line: JVM ("$JAVA" and its options; empty for a launcher), then APP.
if [[ -n $LAUNCHER ]]; then JVM=() APP=("$LAUNCHER")
else
  cp "$JAR" "$WORK/sipbridge.jar"   # a rebuild during the run must not swap the jar under us
  JVM=("$JAVA" "${OPTS[@]}") APP=(-jar "$WORK/sipbridge.jar")
fi
if [[ ${CDS:-0} == static ]]; then  # what the .deb's postinst does, at this jar's path
  "$JAVA" "${OPTS[@]}" -Xshare:dump -XX:SharedClassListFile="$REPO/packaging/sipbridge.classlist" \
    -XX:SharedArchiveFile="$WORK/sipbridge.jsa" -cp "$WORK/sipbridge.jar" >"$WORK/cds-dump.log" 2>&1 \
    || { tail -5 "$WORK/cds-dump.log" >&2; die "the static CDS dump failed"; }
fi
VERSION_OPTS=()   # a static archive serves --version too (a dynamic one exists only after the first start)
[[ ${CDS:-0} == static ]] && VERSION_OPTS=("${FIRST_OPTS[@]}")
VERSION_MS=() VERSION_CPU_MS=()
for _ in 1 2 3 4 5; do
  t0=$(now_ms)
  /usr/bin/time -o "$WORK/version.time" -f "%U %S" "${JVM[@]}" "${VERSION_OPTS[@]}" "${APP[@]}" --version >"$WORK/version.out" 2>&1 \
    || { cat "$WORK/version.out" >&2; die "--version failed"; }
  VERSION_MS+=($(( $(now_ms) - t0 )))
  VERSION_CPU_MS+=("$(awk '{printf "%d", ($1 + $2) * 1000}' "$WORK/version.time")")
done

# ------------------------------------------------------------------ the lab
FACTS=$("$TOPO" up "$PREFIX") || die "lab/topology.sh up $PREFIX failed"
eval "$FACTS"   # PHONE_IP, BRIDGE_LAN_IP, BRIDGE_VPN_IP, PBX_IP, *_NS, LAN_IF, VPN_IF

peers_start registrar "$PBX_NS" "$REPO/lab/kamailio/run.sh" "$PBX_IP" 5060 "$WORK/registrar"
peers_await_log "$WORK/registrar.log" "Listening on" 20 "$LAST_PID"
mkdir -p "$WORK/docroot" && echo '<?xml version="1.0"?><APPLICATION/>' >"$WORK/docroot/000000000000.cfg"
peers_start upstream "$PBX_NS" env LISTEN_IP="$PBX_IP" "$REPO/lab/nginx/run.sh" "$WORK/nginx" "$WORK/docroot"

mkdir -p "$WORK/bridge"
cat >"$WORK/bridge/sipbridge.json" <<EOF
{"bridge": {"servers": ["$PBX_IP:5060"], "lanAdapter": "$LAN_IF", "vpnAdapter": "$VPN_IF",
            "provisioningUpstream": "http://$PBX_IP:8000/"}}
EOF
# The phone: registers once (Expires 300, longer than the run) as soon as the bridge's SIP port is
# bound (a real phone retries on its own schedule, seconds apart; that is not the bridge's start-up).
phone_registers() {
  until ip netns exec "$BRIDGE_NS" ss -Hlun "sport = :8060" | grep -q .; do sleep 0.01; done
  until ip netns exec "$PHONE_NS" sipp -sf "$REPO/lab/sipp/phone-register.xml" -key domain sipbridge.lab \
      -s 1001 -ap pass1001 -m 1 -i "$PHONE_IP" -p 5062 -timeout 5 -nostdin "$BRIDGE_LAN_IP:8060" >>"$WORK/phone.log" 2>&1; do
    sleep 0.1
  done
}
# start_bridge [jvm options]: starts the bridge (JVM options only without LAUNCHER) and the phone's registration; sets BRIDGE_PID, READY_MS (from just
# before the exec to the first READY) and ANSWERED_MS (to the status API's first answer).
start_bridge() {
  phone_registers &
  STARTED_PIDS+=("$!")
  local t0 state=""
  t0=$(now_ms)
  peers_start bridge "$BRIDGE_NS" env SIPBRIDGE_LOCK_FILE="$WORK/bridge/sipbridge.lock" \
    "${JVM[@]}" "$@" "${APP[@]}" run --no-tray --config "$WORK/bridge/sipbridge.json" \
    --data-dir "$WORK/bridge/data"
  BRIDGE_PID=$LAST_PID ANSWERED_MS=""
  until [[ $state == READY ]]; do
    kill -0 "$BRIDGE_PID" 2>/dev/null || { cat "$WORK/bridge.log" >&2; die "the bridge died"; }
    (( $(now_ms) - t0 < 120000 )) || { tail -20 "$WORK/bridge.log" >&2; die "no READY within 120 s (state '$state')"; }
    state=$(ip netns exec "$BRIDGE_NS" curl -sS --max-time 1 http://127.0.0.1:8080/api/status 2>/dev/null | jq -r .state 2>/dev/null || true)
    [[ -n $state && -z $ANSWERED_MS ]] && ANSWERED_MS=$(( $(now_ms) - t0 ))
    [[ $state == READY ]] || sleep 0.02
  done
  READY_MS=$(( $(now_ms) - t0 ))
  READY_CPU_MS=$(cpu_ms "$BRIDGE_PID")
}
# The first start makes the listeners' certificates and keys (once per installation); the measured
# one is the next, as every later login's start is.
start_bridge "${FIRST_OPTS[@]}"
FIRST_READY_MS=$READY_MS
say "first start (certificates made): READY after $FIRST_READY_MS ms; restarting"
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
READIES=() READY_CPUS=()
for ((n = 1; n <= STARTS; n++)); do
  kill -TERM "$BRIDGE_PID"
  for _ in $(seq 600); do kill -0 "$BRIDGE_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$BRIDGE_PID" 2>/dev/null && die "the bridge did not stop within 60 s of SIGTERM (a CDS archive is written at exit)"
  start_bridge "${NEXT_OPTS[@]}"
  READIES+=("$READY_MS") READY_CPUS+=("$READY_CPU_MS")
  say "later start $n of $STARTS: READY after $READY_MS ms, $READY_CPU_MS ms of CPU (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done
READY_MS=$(median "${READIES[@]}") READY_CPU_MS=$(median "${READY_CPUS[@]}")
say "READY after $READY_MS ms (median of ${READIES[*]}; CPU ${READY_CPUS[*]} ms; status API answered after $ANSWERED_MS ms in the last); settling $SETTLE_SECONDS s, then idle $IDLE_SECONDS s"
sleep "$SETTLE_SECONDS"

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
REPORT=$(python3 "$HERE/idle-report.py" --pid "$BRIDGE_PID" --seconds "$IDLE_SECONDS" --ready-ms "$READY_MS" \
  --first-ready-ms "$FIRST_READY_MS" --answered-ms "$ANSWERED_MS" --version-ms "${VERSION_MS[*]}" --version-cpu-ms "${VERSION_CPU_MS[*]}" --ready-cpu-ms "$READY_CPU_MS" --label "$LABEL" --load-before "$LOAD" \
  --java "$("$JAVA" -version 2>&1 | head -1)" --cores "$(nproc)" ${FIGURES:+--figures "$FIGURES"})
[[ ${NMT:-0} == 1 ]] && { jcmd "$BRIDGE_PID" VM.native_memory summary >"$WORK/nmt.txt" 2>&1 || true; \
  jcmd "$BRIDGE_PID" GC.heap_info >>"$WORK/nmt.txt" 2>&1 || true; \
  jcmd "$BRIDGE_PID" Thread.print >"$WORK/threads.txt" 2>&1 || true; \
  say "native memory summary: $WORK/nmt.txt, Java threads: $WORK/threads.txt"; }
[[ $(ip netns exec "$BRIDGE_NS" curl -sS --max-time 2 http://127.0.0.1:8080/api/status | jq -r .state) == READY ]] \
  || say "warning: the bridge was no longer READY at the end of the window"
echo "$REPORT" | tee "$WORK/report.md"
if [[ $WRITE_DOC == 1 ]]; then
  python3 "$HERE/idle-report.py" --write-section "$DOC" <<<"$REPORT"
  say "wrote the '## Idle footprint' section of $DOC"
fi
