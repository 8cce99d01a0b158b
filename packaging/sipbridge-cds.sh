#!/bin/sh
# Makes the class-data sharing (CDS) archive of an installed sipbridge: the ~7000 classes a start
# loads, parsed and verified once, so each start maps them instead (issue #19; measured in
# docs/benchmarks.md, "Start-up"). Installed beside the jar (the app folder: /opt/sipbridge/lib/app
# on Linux, sipbridge.app/Contents/app on macOS) and run by the package's post-install step.
#
#   sipbridge-cds.sh [make|remove]
#
# Java 17 accepts an archive only for the exact jar path (and jar file) it was made with, so it is
# made where the package installed the jar, from the class list a lab start wrote
# (sipbridge.classlist, packaging/ in the source tree). The launcher's options name the archive
# (-XX:SharedArchiveFile=$APPDIR/sipbridge.jsa); a missing or stale one is ignored without a word
# and the bridge starts as it would without it (only slower). It is dumped with the launcher's own
# JVM options (sipbridge.cfg), so the heap and GC settings match those of every start.
set -eu
app=$(cd "$(dirname "$0")" && pwd -P)
archive=$app/sipbridge.jsa
case ${1:-make} in
  remove) rm -f "$archive"; exit 0 ;;
  make) ;;
  *) echo "usage: $0 [make|remove]" >&2; exit 2 ;;
esac
java=$app/../runtime/bin/java                                     # Linux app image
[ -x "$java" ] || java=$app/../runtime/Contents/Home/bin/java     # macOS app bundle
# The launcher's JVM options, except the archive itself ($APPDIR is the launcher's own variable).
options=$(sed -n 's/^java-options=//p' "$app/sipbridge.cfg" | grep -v '^-XX:SharedArchiveFile=\|^-Djpackage' || true)
rm -f "$archive"
# shellcheck disable=SC2086  # one option per word, as the launcher passes them
"$java" $options -Xshare:dump -XX:SharedClassListFile="$app/sipbridge.classlist" \
  -XX:SharedArchiveFile="$archive" -cp "$app/sipbridge.jar" >"$app/sipbridge-cds.log" 2>&1 || {
  rm -f "$archive"
  echo "sipbridge: no class-data sharing archive (starts take longer; see $app/sipbridge-cds.log)" >&2
  exit 1
}
rm -f "$app/sipbridge-cds.log"
chmod 644 "$archive"
