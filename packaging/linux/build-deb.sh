#!/usr/bin/env bash
# Builds the Linux app image and .deb of sipbridge with a bundled, jlink'd runtime (the user needs no
# Java). Called by `mvn -Pinstallers package` in bridge-daemon; runnable by hand:
#   packaging/linux/build-deb.sh bridge-daemon/target/sipbridge.jar bridge-daemon/target/installers 0.1.0
# Needs a JDK 17+ (jdeps, jlink, jpackage), fakeroot and objcopy (binutils), dpkg-deb.
set -euo pipefail
jar=$(realpath "$1"); out=$2; version=${3%%-*}   # .deb/jpackage versions are numbers only: 0.1.0-SNAPSHOT -> 0.1.0
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
step() { echo "build-deb: $*"; }
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}

rm -rf "$out"; mkdir -p "$out/input"
cp "$jar" "$out/input/sipbridge.jar"
# The class-data sharing archive is made at install time (its jar path must be the installed one):
# postinst runs sipbridge-cds.sh on the class list a lab start wrote (docs/install.md, "Start-up").
install -m 755 "$repo/packaging/sipbridge-cds.sh" "$out/input/"
cp "$repo/packaging/sipbridge.classlist" "$out/input/"
# Docs and unit files travel inside the app image (lib/app/), so docs/install.md links work offline.
mkdir -p "$out/input/docs" "$out/input/systemd"
cp "$repo/docs/install.md" "$out/input/docs/"
cp "$here/sipbridge.service" "$here/sipbridge-user.service" "$out/input/systemd/"

# The modules the shaded jar uses (jdeps), plus service providers jdeps cannot see: EC crypto for
# TLS (ECDHE suites, EC certificates) and the DNS name service.
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --multi-release 17 --print-module-deps "$jar")
modules="$modules,jdk.crypto.ec,jdk.naming.dns,jdk.localedata"
step "runtime modules: $modules"
"$jdk/bin/jlink" --add-modules "$modules" --output "$out/runtime" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --include-locales=en
step "runtime: $(du -sh "$out/runtime" | cut -f1)"

# The JVM options every launcher uses (packaging/sipbridge.jvmopts; why: docs/benchmarks.md, "Idle footprint").
java_options=()
while read -r option; do java_options+=(--java-options "$option"); done < <(grep -v '^#' "$repo/packaging/sipbridge.jvmopts" | grep .)
# The archive postinst makes ($APPDIR: the launcher's app folder); missing or stale, the JVM ignores it quietly.
# shellcheck disable=SC2016  # $APPDIR is for the launcher to expand, not the shell
java_options+=(--java-options '-XX:SharedArchiveFile=$APPDIR/sipbridge.jsa')

common=(--name sipbridge --app-version "$version" --vendor "sipbridge" --description "Desk IP phone to office PBX relay over the VPN"
  --icon "$here/sipbridge.png" --dest "$out")
"$jdk/bin/jpackage" --type app-image --input "$out/input" --main-jar sipbridge.jar --main-class org.sipbridge.daemon.Main \
  --runtime-image "$out/runtime" "${java_options[@]}" "${common[@]}"
step "app image: $out/sipbridge ($(du -sh "$out/sipbridge" | cut -f1))"

"$jdk/bin/jpackage" --type deb --app-image "$out/sipbridge" --install-dir /opt \
  --linux-package-name sipbridge --linux-app-category net --linux-deb-maintainer "sipbridge@localhost" \
  --resource-dir "$here/deb" "${common[@]}"
deb=$(ls "$out"/sipbridge_*.deb)

# jpackage puts everything under /opt/sipbridge; add what belongs in the system's own places
# (unit files, autostart and menu entries, icon) so dpkg owns and removes them.
work="$out/deb-root"
dpkg-deb -R "$deb" "$work"
install -D -m 644 "$here/sipbridge.service" "$work/lib/systemd/system/sipbridge.service"
install -D -m 644 "$here/sipbridge-user.service" "$work/usr/lib/systemd/user/sipbridge-user.service"
install -D -m 644 "$here/sipbridge.desktop" "$work/usr/share/applications/sipbridge.desktop"
install -D -m 644 "$here/sipbridge-autostart.desktop" "$work/etc/xdg/autostart/sipbridge.desktop"
install -D -m 644 "$here/sipbridge.png" "$work/usr/share/icons/hicolor/256x256/apps/sipbridge.png"
echo /etc/xdg/autostart/sipbridge.desktop >> "$work/DEBIAN/conffiles"
installed=$(du -sk --exclude=DEBIAN "$work" | cut -f1)
sed -i "s/^Installed-Size:.*/Installed-Size: $installed/" "$work/DEBIAN/control"
rm "$deb"
dpkg-deb --root-owner-group -Zxz -b "$work" "$deb" >/dev/null
rm -rf "$work" "$out/input"
step "package: $deb ($(du -h "$deb" | cut -f1))"
