#!/usr/bin/env bash
# The resident-memory floor of the bridge's class set (issue #19): a JVM with the shipped options
# (packaging/sipbridge.jvmopts) that loads, without initialising, every class of
# packaging/sipbridge.classlist (what a bridge start loads) and runs nothing else; beside it the same
# JVM loading nothing. Prints VmRSS of both. No root, no lab.
#
#   lab/bench/class-floor.sh
#
# Env (defaults): JAR (bridge-daemon/target/sipbridge.jar), CLASSLIST (packaging/sipbridge.classlist),
# EXTRA_OPTS (none; e.g. -Xshare:off). A benchmark program, not a test: it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=${JAR:-bridge-daemon/target/sipbridge.jar}
CLASSLIST=${CLASSLIST:-packaging/sipbridge.classlist}
[[ -f $JAR ]] || { echo "class-floor: no $JAR (mvn -B -q -pl bridge-daemon -am package -DskipTests)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -d "$work" lab/bench/ClassFloor.java # compiled apart: the source launcher would load javac too
# shellcheck disable=SC2086  # EXTRA_OPTS is a list of options
measure() {
    local label=$1 list=$2
    java @packaging/sipbridge.jvmopts ${EXTRA_OPTS:-} -cp "$JAR:$work" ClassFloor "$list" 8000 >"$work/out" 2>&1 &
    local pid=$!
    for _ in $(seq 1 100); do grep -q loaded "$work/out" 2>/dev/null && break; sleep 0.1; done
    sleep 1
    printf '%-28s %s; %s\n' "$label" "$(grep VmRSS "/proc/$pid/status" | tr -s ' \t' ' ')" "$(cat "$work/out")"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
measure "JVM, no class loaded:" /dev/null
measure "JVM + the bridge's classes:" "$CLASSLIST"
