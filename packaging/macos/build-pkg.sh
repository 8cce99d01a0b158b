#!/usr/bin/env bash
# Builds the macOS installer (.pkg) of sipbridge with a bundled runtime and a LaunchAgent that starts
# it at login. NOT RUNNABLE on the Linux build machine: run on macOS with JDK 17+ (jpackage needs the
# macOS JDK); signing/notarisation (--mac-sign, notarytool) are left to the release process.
#   mvn -q -DskipTests package && packaging/macos/build-pkg.sh bridge-daemon/target/sipbridge.jar out 0.1.0
# Ports: since macOS 10.14 an unprivileged process may bind ports below 1024 (67, 343, 514), so the
# agent runs as the user. DSCP: macOS honours IP_TOS; `sipbridge check` and /api/status confirm it.
set -euo pipefail
jar=$1; out=$2; version=${3%%-*}
here=$(cd "$(dirname "$0")" && pwd)
[[ $(uname) == Darwin ]] || { echo "build-pkg: runs on macOS only" >&2; exit 1; }
rm -rf "$out"; mkdir -p "$out/input"
cp "$jar" "$out/input/sipbridge.jar"
cp "$here/org.sipbridge.agent.plist" "$out/input/"
modules=$(jdeps --ignore-missing-deps --multi-release 17 --print-module-deps "$jar"),jdk.crypto.ec,jdk.naming.dns,jdk.localedata
jlink --add-modules "$modules" --output "$out/runtime" --strip-debug --no-header-files --no-man-pages --compress=2 --include-locales=en
# jpackage wants an .icns: iconutil -c icns from an iconset made of packaging/linux/sipbridge.png (sips -z).
icon=(); [[ -f $here/sipbridge.icns ]] && icon=(--icon "$here/sipbridge.icns")
# The JVM options every launcher uses (packaging/sipbridge.jvmopts; why: docs/benchmarks.md, "Idle footprint").
java_options=()
while read -r option; do java_options+=(--java-options "$option"); done < <(grep -v '^#' "$here/../sipbridge.jvmopts" | grep .)
# -Dapple.awt.UIElement=true keeps the Dock icon away: sipbridge lives in the menu bar only.
jpackage --type pkg --input "$out/input" --main-jar sipbridge.jar --main-class org.sipbridge.daemon.Main \
  --java-options -Dapple.awt.UIElement=true "${java_options[@]}" --runtime-image "$out/runtime" --name sipbridge --app-version "$version" --vendor sipbridge \
  --mac-package-identifier org.sipbridge --resource-dir "$here/resources" "${icon[@]}" --dest "$out"
echo "build-pkg: $(ls "$out"/sipbridge-*.pkg)"
