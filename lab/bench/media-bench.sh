#!/usr/bin/env bash
# Media benchmark: the bridge's RTP relay against rtpengine (userspace forwarding) and against the
# physical limit (a minimal C relay, lab/bench/udp-relay/relay.c, in its two modes) doing the same job,
# measured in the same run, on the loopback of a network namespace of its own.
#
#   sudo lab/bench/media-bench.sh [--no-doc]
#
#   load generator (CPU LOAD_CPU)          relay under test (CPU RELAY_CPU)
#   MediaLoad "phone" socket ──RTP──▶ sipbridge RtpRelayService (BridgeNgRelay) ──RTP──▶ MediaLoad "PBX" socket
#             ng offer/answer/delete ─▶ or rtpengine --table=-1 (no kernel forwarding)
#                                           or udp-relay epoll|mmsg (C, fixed ports, no control protocol)
#
# For each N in STREAMS, ROUNDS rounds, each measuring every relay back to back (rotating which goes
# first). The C relay is built here with gcc; "epoll" does one recvfrom + one sendto per packet,
# "mmsg" drains each ready socket with recvmmsg and sends with sendmmsg. MediaLoad (lab-tests/src/test/java/org/sipbridge/lab/bench) sets up N streams over the ng
# control protocol (bencode over UDP; rtpengine's own, and BridgeNgRelay's, which maps
# offer/answer/delete onto the bridge's MediaRelay/MediaSession interface exactly as the SIP relay uses
# it), sends 172-byte G.711 RTP packets every 20 ms per stream, start times spread evenly over the
# 20 ms and sent in TICK_MS ticks (every packet due within a tick goes out at its start, back to back, as
# a media server's packetisation timer sends them), for WARMUP_SECONDS (not measured) + MEASURE_SECONDS,
# and measures over the window: CPU µs per
# relayed packet (utime+stime from /proc/<pid>/stat of the relay process, all threads, ÷ packets
# received), added latency p50/p99/p99.9 (send time in the payload, HdrHistogram) and loss. The report
# gives each figure's median over the rounds and the range of the per-round ratios.
#
# Prints a Markdown report and writes it as the "## RTP (media relay)" section of docs/benchmarks.md
# (TICK_MS=0: the "## RTP (media relay), exact spacing" section; the rest of the file is kept).
# Needs root, lab/setup.sh's packages (rtpengine-daemon, gcc) and:
#   mvn -o -q install -DskipTests && mvn -o -q -Plab -pl lab-tests test-compile
#
# Env (defaults): STREAMS ("100 500 1000"), ROUNDS (5), TICK_MS (1; 0 sends each packet at its own
# time, 20 ms / N apart), WARMUP_SECONDS (5), MEASURE_SECONDS (20),
# RELAY_CPU (1), LOAD_CPU (0), JAR (bridge-daemon/target/sipbridge.jar, copied before use),
# DOC (docs/benchmarks.md), RELAY_JAVA_OPTS (none; extra JVM options for the bridge's relay, e.g.
# -Xlog:gc), KEEP_WORK (0; 1 keeps the work directory with every log), M2_REPO (where HdrHistogram is;
# default from .mvn/maven.config, else ~/.m2/repository).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
STREAMS=${STREAMS:-"100 500 1000"}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
MEASURE_SECONDS=${MEASURE_SECONDS:-20}
RELAY_CPU=${RELAY_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
JAR=${JAR:-$REPO/bridge-daemon/target/sipbridge.jar}
DOC=${DOC:-$REPO/docs/benchmarks.md}
KEEP_WORK=${KEEP_WORK:-0}
ROUNDS=${ROUNDS:-5}
TICK_MS=${TICK_MS:-1}
RELAY_JAVA_OPTS=${RELAY_JAVA_OPTS:-}
SECTION="## RTP (media relay)"
[[ $TICK_MS == 0 ]] && SECTION="## RTP (media relay), exact spacing"
WRITE_DOC=1
[[ ${1:-} == --no-doc ]] && WRITE_DOC=0

[[ $(id -u) == 0 ]] || { echo "media-bench: must run as root (network namespace)" >&2; exit 1; }
command -v rtpengine >/dev/null || { echo "media-bench: no rtpengine; run lab/setup.sh" >&2; exit 1; }
command -v gcc >/dev/null || { echo "media-bench: no gcc (for the C reference relay); run lab/setup.sh" >&2; exit 1; }
CLASSES=$REPO/lab-tests/target/test-classes
[[ -f $CLASSES/org/sipbridge/lab/bench/MediaLoad.class && -f $JAR ]] || {
  echo "media-bench: build first: mvn -o -q install -DskipTests && mvn -o -q -Plab -pl lab-tests test-compile" >&2; exit 1; }
M2_REPO=${M2_REPO:-$(sed -n 's/.*-Dmaven\.repo\.local=\([^ ]*\).*/\1/p' "$REPO/.mvn/maven.config" 2>/dev/null || true)}
M2_REPO=${M2_REPO:-$HOME/.m2/repository}
HDR=$(ls "$M2_REPO"/org/hdrhistogram/HdrHistogram/*/HdrHistogram-*.jar 2>/dev/null | head -1)
[[ -n $HDR ]] || { echo "media-bench: no HdrHistogram jar under $M2_REPO (mvn -Plab -pl lab-tests test-compile fetches it)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/media-bench.XXXXXX)
NS=mbench$$
JAVA=${JAVA:-java}
cp "$JAR" "$WORK/sipbridge.jar"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  ip netns del "$NS" 2>/dev/null || true
  if [[ $KEEP_WORK == 1 ]]; then echo "media-bench: work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
inns() { ip netns exec "$NS" "$@"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

# rtpengine: userspace only (--table=-1), one worker thread like the bridge's one event loop on one
# core, DSCP EF like the bridge (--tos=184), warnings only in its log.
inns taskset -c "$RELAY_CPU" rtpengine --config-file=none --table=-1 --interface=127.0.0.1 \
  --listen-ng=127.0.0.1:2223 --port-min=40000 --port-max=59999 --tos=184 --num-threads=1 \
  --foreground --log-stderr --log-level=4 --pidfile="$WORK/rtpengine.pid" >"$WORK/rtpengine.log" 2>&1 &
pids+=($!)
# The bridge's relay: RtpRelayService as the daemon builds it (default media settings, DSCP EF),
# default JVM options; pinned to one core, the JVM sizes itself for one CPU (one event loop).
# shellcheck disable=SC2086  # RELAY_JAVA_OPTS is a list of JVM options, meant to split
inns taskset -c "$RELAY_CPU" "$JAVA" $RELAY_JAVA_OPTS -cp "$WORK/sipbridge.jar:$CLASSES" org.sipbridge.lab.bench.BridgeNgRelay \
  --lan 127.0.0.1 --vpn 127.0.0.2 --ports 20000-39999 --ng 127.0.0.1:2224 >"$WORK/bridge.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  grep -q "ready on" "$WORK/bridge.log" && [[ -s $WORK/rtpengine.pid ]] && break
  sleep 0.2
done
BRIDGE_PID=$(grep -o 'pid [0-9]*' "$WORK/bridge.log" | cut -d' ' -f2)
RTPENGINE_PID=$(cat "$WORK/rtpengine.pid")
[[ -n $BRIDGE_PID && -n $RTPENGINE_PID ]] || { cat "$WORK/bridge.log" "$WORK/rtpengine.log" >&2; exit 1; }
pids+=("$BRIDGE_PID" "$RTPENGINE_PID")
# The physical-limit reference: the C relay in both modes, each on ports of its own below the bridge's.
MAX_STREAMS=$(tr ' ' '\n' <<<"$STREAMS" | sort -n | tail -1)
(( MAX_STREAMS <= 8000 )) || { echo "media-bench: at most 8000 streams (the C relays' ports)" >&2; exit 1; }
gcc -O2 -Wall -Wextra -Werror -o "$WORK/udp-relay" "$HERE/udp-relay/relay.c"
declare -A C_PORT=([epoll]=4000 [mmsg]=12000) C_PID=()
for mode in epoll mmsg; do
  inns taskset -c "$RELAY_CPU" "$WORK/udp-relay" "$mode" 127.0.0.1 127.0.0.2 "${C_PORT[$mode]}" "$MAX_STREAMS" \
    >"$WORK/c-$mode.log" 2>&1 &
  pids+=($!)
done
for _ in $(seq 50); do
  grep -q "ready" "$WORK/c-epoll.log" && grep -q "ready" "$WORK/c-mmsg.log" && break
  sleep 0.1
done
for mode in epoll mmsg; do # the relay's own pid ($! is the subshell that runs inns)
  C_PID[$mode]=$(grep -o 'ready pid [0-9]*' "$WORK/c-$mode.log" | cut -d' ' -f3)
  [[ -n ${C_PID[$mode]} ]] || { cat "$WORK/c-$mode.log" >&2; exit 1; }
  pids+=("${C_PID[$mode]}")
done

run() { # relay-label "--ng host:port" or "--fixed lan:vpn:first-port" pid streams round
  echo "media-bench: round $5, $1, $4 streams, ${WARMUP_SECONDS} s warm-up + ${MEASURE_SECONDS} s measured" >&2
  # shellcheck disable=SC2086  # $2 is an option and its value, meant to split
  inns taskset -c "$LOAD_CPU" "$JAVA" -Xmx512m -cp "$CLASSES:$HDR" org.sipbridge.lab.bench.MediaLoad \
    $2 --label "$1" --round "$5" --streams "$4" --tick-ms "$TICK_MS" --pid "$3" --warmup "$WARMUP_SECONDS" \
    --measure "$MEASURE_SECONDS" --clk-tck "$(getconf CLK_TCK)" --result "$WORK/results.txt" >>"$WORK/load.log" 2>&1 \
    || { echo "media-bench: load generator failed:" >&2; tail -20 "$WORK/load.log" >&2; exit 1; }
}
# One unmeasured round through each relay first (500 streams, 10 s), so the bridge's JIT has compiled
# the packet path and the ng set-up before the first measured step (rtpengine gets the same round).
echo "media-bench: JIT warm-up round (not measured)" >&2
for port_pid in "2224 $BRIDGE_PID" "2223 $RTPENGINE_PID"; do
  # shellcheck disable=SC2086  # "port pid", meant to split
  set -- $port_pid
  inns taskset -c "$LOAD_CPU" "$JAVA" -Xmx512m -cp "$CLASSES:$HDR" org.sipbridge.lab.bench.MediaLoad --ng "127.0.0.1:$1" \
    --label warm-up --streams 500 --pid "$2" --warmup 2 --measure 10 >>"$WORK/load.log" 2>&1
done
# ROUNDS rounds per N, each measuring every relay back to back; which goes first rotates, so none
# always follows another. A tail percentile of one 20 s run moves by 2× between runs minutes apart on
# an idle machine (the generator's and the relay's wake-ups), hence several rounds and their median.
i=0
for n in $STREAMS; do
  for round in $(seq "$ROUNDS"); do
    relays=(sipbridge rtpengine c-epoll c-mmsg)
    first=$(( i++ % ${#relays[@]} ))
    for side in "${relays[@]:first}" "${relays[@]:0:first}"; do
      case $side in
        sipbridge) run sipbridge "--ng 127.0.0.1:2224" "$BRIDGE_PID" "$n" "$round" ;;
        rtpengine) run rtpengine "--ng 127.0.0.1:2223" "$RTPENGINE_PID" "$n" "$round" ;;
        c-*) run "$side" "--fixed 127.0.0.1:127.0.0.2:${C_PORT[${side#c-}]}" "${C_PID[${side#c-}]}" "$n" "$round" ;;
      esac
    done
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
# The C relays print their system-call counts when stopped (how many datagrams one recvmmsg found).
for mode in epoll mmsg; do kill -TERM "${C_PID[$mode]}"; done
for _ in $(seq 20); do grep -q "relayed" "$WORK/c-epoll.log" && grep -q "relayed" "$WORK/c-mmsg.log" && break; sleep 0.1; done
C_EPOLL_CALLS=$(grep "relayed" "$WORK/c-epoll.log" || true) C_MMSG_CALLS=$(grep "relayed" "$WORK/c-mmsg.log" || true)
export C_EPOLL_CALLS C_MMSG_CALLS

# shellcheck disable=SC2089,SC2090  # the command line as the report prints it, never run
cmd="sudo STREAMS=\"$STREAMS\" ROUNDS=$ROUNDS TICK_MS=$TICK_MS WARMUP_SECONDS=$WARMUP_SECONDS MEASURE_SECONDS=$MEASURE_SECONDS lab/bench/media-bench.sh"
commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
# shellcheck disable=SC2090
export WORK ROUNDS TICK_MS SECTION started cmd commit load_before load_after WARMUP_SECONDS MEASURE_SECONDS RELAY_CPU LOAD_CPU
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')
NCPU=$(nproc) KERNEL=$(uname -r) JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1) GCC_VERSION=$(gcc --version | head -1)
RTPENGINE_VERSION="rtpengine $(rtpengine --version 2>&1 | head -1 | sed "s/^Version: //")"
export CPU_MODEL NCPU KERNEL JAVA_VERSION RTPENGINE_VERSION GCC_VERSION
python3 "$HERE/media-report.py" >"$WORK/report.md"
cat "$WORK/report.md"
if [[ $WRITE_DOC == 1 ]]; then
  python3 - "$DOC" "$WORK/report.md" <<'PY'
import sys, re
doc, report = sys.argv[1], open(sys.argv[2]).read()
text = open(doc).read()
heading = report.splitlines()[0]
found = re.search("^" + re.escape(heading) + "$", text, re.M)
if found:
    start = found.start()
    rest = re.search(r"^## ", text[start + 3:], re.M)
    end = start + 3 + rest.start() if rest else len(text)
else:  # a section not written before goes at the end
    text = text.rstrip("\n") + "\n\n"
    start = end = len(text)
    rest = None
open(doc, "w").write(text[:start] + report.rstrip("\n") + "\n" + ("\n" + text[end:] if rest else ""))
PY
  echo "media-bench: wrote the \"$SECTION\" section of $DOC" >&2
fi
