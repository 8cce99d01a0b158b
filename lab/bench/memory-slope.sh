#!/usr/bin/env bash
# Memory under load (issue #19): does the bridge's resident memory stay flat while it relays 20 calls'
# RTP for 10 minutes? Reuses media-bench's load: MediaLoad sets up STREAMS streams over the ng control
# protocol with BridgeNgRelay (the daemon's RtpRelayService, as the SIP relay drives it) and sends
# 172-byte G.711 packets every 20 ms on each, one way (phone to PBX): 40 streams are the packet rate of
# 20 two-way calls (with twice their media sessions). The relay runs with the
# shipped JVM options (packaging/sipbridge.jvmopts). VmRSS is sampled every SAMPLE_SECONDS; the report
# gives the least-squares slope over the samples after the warm-up (MiB per 10 minutes), the first,
# last and highest sample, and writes the "## Memory under load" section of docs/benchmarks.md.
# A benchmark program, not a test: it asserts nothing.
#
#   sudo lab/bench/memory-slope.sh [--no-doc]
#
# Needs root and the compiled lab classes, as media-bench.sh:
#   mvn -B -o -Plab -pl lab-tests -am test-compile -q
# Env (defaults): STREAMS (40), SECONDS_UNDER_LOAD (600), WARMUP_SECONDS (60: not in the slope; the heap
# and the JIT settle), SAMPLE_SECONDS (10), JAR (bridge-daemon/target/sipbridge.jar, copied), JAVA (java),
# RELAY_JAVA_OPTS (the shipped file), KEEP_WORK (0; 1 keeps the samples, rss.txt, and the logs), DOC (docs/benchmarks.md), M2_REPO (~/.m2/repository).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
STREAMS=${STREAMS:-40}
SECONDS_UNDER_LOAD=${SECONDS_UNDER_LOAD:-600}
WARMUP_SECONDS=${WARMUP_SECONDS:-60}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-10}
JAR=${JAR:-$REPO/bridge-daemon/target/sipbridge.jar}
JAVA=${JAVA:-java}
DOC=${DOC:-$REPO/docs/benchmarks.md}
RELAY_JAVA_OPTS=${RELAY_JAVA_OPTS:-@$REPO/packaging/sipbridge.jvmopts}
WRITE_DOC=1
[[ ${1:-} == --no-doc ]] && WRITE_DOC=0
say() { echo "memory-slope: $*" >&2; }

[[ $(id -u) == 0 ]] || { say "must run as root (network namespace)"; exit 1; }
CLASSES=${CLASSES:-$REPO/lab-tests/target/test-classes}
[[ -f $CLASSES/org/sipbridge/lab/bench/MediaLoad.class && -f $JAR ]] || {
  say "build first: mvn -B -o -Plab -pl lab-tests -am test-compile -q"; exit 1; }
M2_REPO=${M2_REPO:-$HOME/.m2/repository}
HDR=$(ls "$M2_REPO"/org/hdrhistogram/HdrHistogram/*/HdrHistogram-*.jar 2>/dev/null | head -1)
[[ -n $HDR ]] || { say "no HdrHistogram jar under $M2_REPO"; exit 1; }

WORK=$(mktemp -d /tmp/memory-slope.XXXXXX)
NS=mslope$$
cp "$JAR" "$WORK/sipbridge.jar"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  ip netns del "$NS" 2>/dev/null || true
  if [[ ${KEEP_WORK:-0} == 1 ]]; then say "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
inns() { ip netns exec "$NS" "$@"; }

# shellcheck disable=SC2086  # RELAY_JAVA_OPTS is a list of JVM options, meant to split
inns "$JAVA" $RELAY_JAVA_OPTS -cp "$WORK/sipbridge.jar:$CLASSES" org.sipbridge.lab.bench.BridgeNgRelay \
  --lan 127.0.0.1 --vpn 127.0.0.2 --ports 20000-39999 --ng 127.0.0.1:2224 >"$WORK/bridge.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do grep -q "ready on" "$WORK/bridge.log" && break; sleep 0.2; done
PID=$(grep -o 'pid [0-9]*' "$WORK/bridge.log" | cut -d' ' -f2)
[[ -n $PID ]] || { cat "$WORK/bridge.log" >&2; exit 1; }
pids+=("$PID")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M UTC')

inns "$JAVA" -Xmx256m -cp "$CLASSES:$HDR" org.sipbridge.lab.bench.MediaLoad --ng 127.0.0.1:2224 --label slope \
  --streams "$STREAMS" --pid "$PID" --warmup 1 --measure "$SECONDS_UNDER_LOAD" >"$WORK/load.log" 2>&1 &
LOAD_PID=$!
pids+=("$LOAD_PID")
say "$STREAMS streams through pid $PID for $SECONDS_UNDER_LOAD s; sampling VmRSS every $SAMPLE_SECONDS s"
t0=$SECONDS
while kill -0 "$LOAD_PID" 2>/dev/null && ((SECONDS - t0 <= SECONDS_UNDER_LOAD)); do
  echo "$((SECONDS - t0)) $(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status")" >>"$WORK/rss.txt"
  sleep "$SAMPLE_SECONDS"
done
wait "$LOAD_PID" || { say "load generator failed:"; tail -20 "$WORK/load.log" >&2; exit 1; }
threads=$(ls "/proc/$PID/task" | wc -l)

REPORT=$(awk -v warm="$WARMUP_SECONDS" -v streams="$STREAMS" -v secs="$SECONDS_UNDER_LOAD" -v started="$started" \
    -v load="$load_before" -v opts="${RELAY_JAVA_OPTS//$REPO\//}" -v threads="$threads" '
  { t[NR] = $1; r[NR] = $2 / 1024; if (NR == 1) first = r[NR]; last = r[NR]; if (r[NR] > max) max = r[NR] }
  $1 >= warm { n++; sx += $1; sy += $2 / 1024; sxx += $1 * $1; sxy += $1 * $2 / 1024 }
  END {
    slope = (n > 1) ? (n * sxy - sx * sy) / (n * sxx - sx * sx) : 0
    print "## Memory under load"; print ""
    printf "Written by `sudo lab/bench/memory-slope.sh` (issue #19): the bridge'"'"'s RTP relay (RtpRelayService through " \
      "BridgeNgRelay, as media-bench.sh runs it) relaying %d one-way G.711 RTP streams of 50 packets/s, each its own media session (the packet rate of %d two-way calls, with twice their sessions), " \
      "for %d s; VmRSS sampled every few seconds. Run %s, load average before %s, JVM options %s.\n\n", streams, streams / 2, secs, started, load, opts
    print "| figure | value |"; print "|---|---|"
    printf "| slope after the first %d s (least squares, %d samples) | %+.2f MiB per 10 minutes |\n", warm, n, slope * 600
    printf "| resident memory: first sample / last / highest | %.1f / %.1f / %.1f MiB |\n", first, last, max
    printf "| threads at the end | %d |\n", threads
  }' "$WORK/rss.txt")
echo "$REPORT"
if [[ $WRITE_DOC == 1 ]]; then
  python3 "$HERE/idle-report.py" --section "## Memory under load" --write-section "$DOC" <<<"$REPORT"
  say "wrote the '## Memory under load' section of $DOC"
fi
