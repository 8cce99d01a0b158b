#!/usr/bin/env bash
# Fuzz/stress campaign of issue #14 against a running bridge in the namespace lab (not a test: run on demand).
#
#   sudo lab/attack/fuzz.sh [inputs=1000000] [rate=500] [seed=14] [vpnShare=0.3] [phoneCheckSeconds=60]
#                           [maxSeconds=0 | until=2026-12-04T20:05:00Z] [holdSeconds=150] [report=FILE]
#
# Builds the lab (phone | bridge | PBX), starts Kamailio, the packaged daemon and a SIPp phone registered
# through it, then sends `inputs` mutated SIP (with SDP), and DHCP INFORM inputs at `rate` per second:
# (1 - vpnShare) of them from the phone's namespace to the bridge's LAN SIP port 8060 (UDP and TCP) and
# DHCP port 67, the rest from the PBX's namespace to the VPN SIP port 8060 and 67. The phone registers and
# calls every phoneCheckSeconds during the run and once after. Prints a Markdown table (crashes, what
# the daemon holds more than before: fds, threads, RTP port pairs, calls; phone during/after; ERROR
# lines by kind) and writes it to `report` (default target/fuzz-report.md). Exit 0 only if no crash, no
# leak and the phone registers and calls afterwards. Inputs are a function of (seed, side, index):
# the same command sends the same bytes. maxSeconds > 0 stops the senders at that time even if not all
# inputs went out (the report says how many did); until= ends sending at a wall-clock time instead
# (counted when the campaign starts, so set it with the lab lock's queue in mind).
#
# Needs root, lab/setup.sh's packages, and a build:
#   mvn -B -q -o -Plab -pl lab-tests -am package -DskipTests
# Runs under the lab lock (/tmp/sipbridge-lab.lock; SIPBRIDGE_LAB_LOCKED=1 when the caller already holds it)
# and `nice`. Env: JAVA (java), M2_REPO (~/.m2/repository).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
[[ $(id -u) == 0 ]] || { echo "fuzz.sh: must run as root (network namespaces)" >&2; exit 1; }
CLASSES=$REPO/lab-tests/target/test-classes
[[ -f $CLASSES/org/sipbridge/lab/FuzzCampaign.class && -f $REPO/bridge-daemon/target/sipbridge.jar ]] || {
  echo "fuzz.sh: build first: mvn -B -q -o -Plab -pl lab-tests -am package -DskipTests" >&2; exit 1; }

# The campaign needs only the test classes and Jackson (BridgeDaemon reads /api/status with it).
M2_REPO=${M2_REPO:-$HOME/.m2/repository}
JACKSON=$(sed -n 's:.*<jackson.version>\(.*\)</jackson.version>.*:\1:p' "$REPO/pom.xml")
JACKSON_MINOR=${JACKSON%.*}
J=$M2_REPO/com/fasterxml/jackson/core
ANNOTATIONS=$(ls -d "$J/jackson-annotations/$JACKSON_MINOR"* 2>/dev/null | sort -V | tail -1)
CP=$CLASSES:$J/jackson-databind/$JACKSON/jackson-databind-$JACKSON.jar:$J/jackson-core/$JACKSON/jackson-core-$JACKSON.jar
CP=$CP:$(ls "$ANNOTATIONS"/jackson-annotations-*.jar 2>/dev/null | head -1)
for jar in ${CP//:/ }; do
  [[ -e $jar ]] || { echo "fuzz.sh: missing $jar (mvn -Plab -pl lab-tests -am package fetches it)" >&2; exit 1; }
done

args=("$@")
[[ " $* " == *" report="* ]] || args+=("report=$REPO/lab-tests/target/fuzz-report.md")
lock=(flock /tmp/sipbridge-lab.lock)
[[ ${SIPBRIDGE_LAB_LOCKED:-0} == 1 ]] && lock=()
exec "${lock[@]}" nice "${JAVA:-java}" -Dsipbridge.repo="$REPO" -cp "$CP" org.sipbridge.lab.FuzzCampaign "${args[@]}"
