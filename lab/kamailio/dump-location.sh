#!/usr/bin/env bash
# Print the lab PBX's registered contacts (usrloc "location" table), one
# "AOR CONTACT EXPIRES-IN-SECONDS" a line; nothing (exit 0) when no one is registered.
#   dump-location.sh <workdir>     (the workdir given to run.sh)
# Talks to the ctl socket, which is a filesystem socket: works from any namespace.
# --raw prints kamcmd's full ul.dump tree instead.
set -euo pipefail

[[ $# -ge 1 ]] || { echo "usage: $0 <workdir> [--raw]" >&2; exit 2; }
sock="unix:$1/kamailio_ctl"
if [[ ${2:-} == --raw ]]; then
  exec kamcmd -s "$sock" ul.dump
fi
# ul.dump prints "AoR: 1001", then per contact "Address: sip:..." and "Expires: N".
kamcmd -s "$sock" ul.dump | awk '
  $1 == "AoR:"     { aor = $2 }
  $1 == "Address:" { addr = $2 }
  $1 == "Expires:" { print aor, addr, $2 }'
