#!/usr/bin/env bash
# The figures of issue #19 ("light on a laptop") in one table: resident memory, threads, wake-ups per
# second, start to Ready and `--version`, for the jar (`java @packaging/sipbridge.jvmopts -jar`) and
# for the installed .deb (/opt/sipbridge/bin/sipbridge, its own runtime and options), beside the
# previous figures (those this script wrote last time, else the "Idle footprint" section's) and, with BASELINE_JAR,
# a previous release's jar measured in the same run (same load).
#
#   sudo lab/bench/footprint.sh [--no-doc]
#
# Each variant is one run of lab/bench/idle-bench.sh (the lab, the phone, the idle window: see there),
# so the figures mean exactly what that section says. Writes the "## Footprint" section of
# docs/benchmarks.md (the rest of the file is kept) and prints it.
#
# Env (defaults): JAR (bridge-daemon/target/sipbridge.jar), DEB_LAUNCHER (/opt/sipbridge/bin/sipbridge;
# skipped with a note when not installed: build and install the .deb as docs/install.md says),
# BASELINE_JAR (none; e.g. a previous release's jar built in a temp dir with
# `git worktree add /tmp/prev <tag> && mvn -B -q -o -f /tmp/prev -pl bridge-daemon -am package -DskipTests`),
# BASELINE_LABEL (the baseline's name in the table), IDLE_SECONDS (60), DOC (docs/benchmarks.md).
# A benchmark program, not a test: it asserts nothing.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
JAR=${JAR:-$REPO/bridge-daemon/target/sipbridge.jar}
DEB_LAUNCHER=${DEB_LAUNCHER:-/opt/sipbridge/bin/sipbridge}
BASELINE_JAR=${BASELINE_JAR:-}
BASELINE_LABEL=${BASELINE_LABEL:-baseline jar}
DOC=${DOC:-$REPO/docs/benchmarks.md}
SECTION="## Footprint"
WRITE_DOC=1
[[ ${1:-} == --no-doc ]] && WRITE_DOC=0

say() { echo "footprint: $*" >&2; }
[[ $(id -u) == 0 ]] || { say "needs root (network namespaces)"; exit 1; }
WORK=$(mktemp -d /tmp/footprint.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# measure <name> [VAR=value...]: one idle-bench run; its figures in $WORK/<name>.env
measure() {
  local name=$1; shift
  say "measuring $name"
  env "$@" FIGURES="$WORK/$name.env" "$HERE/idle-bench.sh" --no-doc >"$WORK/$name.md"
}
# figure <name> <key>: one value from a run's figures ("–" when the run or the value is missing)
figure() {
  local value=""
  [[ -f $WORK/$1.env ]] && value=$(sed -n "s/^$2=//p" "$WORK/$1.env")
  echo "${value:-–}"
}

# The previous figures: those this script left in its section last time, else the last run of
# idle-bench.sh written into the "## Idle footprint" section (the jar, as the previous release shipped it).
PREVIOUS=$(sed -n 's/^<!-- footprint jar: \(.*\) -->$/\1/p' "$DOC" 2>/dev/null | head -1)
if [[ -n $PREVIOUS ]]; then
  tr ';' '\n' <<<"$PREVIOUS" >"$WORK/previous.env"
  PREVIOUS_WHEN="footprint.sh, $(sed -n 's/^<!-- footprint run: \(.*\) -->$/\1/p' "$DOC" | head -1)"
elif [[ -f $DOC ]]; then
  python3 "$HERE/idle-report.py" --figures-from "$DOC" >"$WORK/previous.env"
  PREVIOUS_WHEN="Idle footprint section, $(figure previous run)"
fi

measure jar JAR="$JAR"
DEB_NOTE=""
if [[ -x $DEB_LAUNCHER ]]; then measure deb LAUNCHER="$DEB_LAUNCHER"
else DEB_NOTE="The .deb was not installed on this machine ($DEB_LAUNCHER missing): its column is empty."; fi
[[ -n $BASELINE_JAR ]] && measure baseline JAR="$BASELINE_JAR"

columns=(jar deb previous) headings=("jar" ".deb" "previous: ${PREVIOUS_WHEN:-none}")
if [[ -n $BASELINE_JAR ]]; then columns+=(baseline) headings+=("$BASELINE_LABEL, same run"); fi
row() { # row <label> <target> <key> <unit>
  local line="| $1 | $2 |" c value
  for c in "${columns[@]}"; do
    value=$(figure "$c" "$3")
    [[ $value == – ]] && line+=" – |" || line+=" $value${4:+ $4} |"
  done
  echo "$line"
}
{
  echo "$SECTION"
  echo
  echo "Written by \`sudo lab/bench/footprint.sh\` (issue #19): each column is one run of \`lab/bench/idle-bench.sh\`"
  echo "(section \"Idle footprint\": the bridge in the lab with everything on and one phone registered, then idle);"
  echo "\"previous\" is what this script wrote last time (the first time: the last run in \"Idle footprint\")."
  echo "Wall times depend on the machine's load; the rows in brackets give the CPU they took, which depends much less on it."
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC, load average $(figure jar load), $(java -version 2>&1 | head -1), $(nproc) cores."
  echo
  header="| figure | target |" rule="|---|---|"
  for h in "${headings[@]}"; do header+=" $h |" rule+="---|"; done
  echo "$header"
  echo "$rule"
  row "resident memory (VmRSS)" "≤ 64 MiB" rss_mib MiB
  row "threads" "≤ 20" threads ""
  row "wake-ups per second" "< 10" wakeups_per_s ""
  row "start to Ready, a later start" "≤ 1000 ms" ready_ms ms
  row "(CPU until Ready)" "" ready_cpu_ms ms
  row "\`--version\`, median of 5" "≤ 300 ms" version_ms ms
  row "(its CPU)" "" version_cpu_ms ms
  [[ -n $DEB_NOTE ]] && { echo; echo "$DEB_NOTE"; }
  echo
  echo "<!-- footprint run: $(date -u '+%Y-%m-%d %H:%M') UTC -->"
  echo "<!-- footprint jar: $(paste -sd';' "$WORK/jar.env") -->"
} >"$WORK/section.md"

cat "$WORK/section.md"
if [[ $WRITE_DOC == 1 ]]; then
  python3 "$HERE/idle-report.py" --write-section "$DOC" --section "$SECTION" <"$WORK/section.md"
  say "wrote the '$SECTION' section of $DOC"
fi
