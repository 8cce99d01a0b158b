#!/usr/bin/env bash
# Start the lab PBX (kamailio.cfg beside this script) in the foreground for a test harness:
#   run.sh <listen-ip> <port> <workdir>       e.g. ip netns exec sb-pbx lab/kamailio/run.sh 198.19.2.10 5060 /tmp/kam
# Listens on UDP and TCP <listen-ip>:<port>; logs to stderr; pid file, control socket and any
# other runtime files live in <workdir>, never in /run/kamailio or /etc/kamailio.
# Env: CALLEE=ip:port of the "callee behind the PBX" for calls to 2000 (default 198.19.2.10:5070).
# The script execs Kamailio, so its pid is Kamailio's main process: SIGTERM it to stop.
set -euo pipefail

[[ $# -eq 3 ]] || { echo "usage: $0 <listen-ip> <port> <workdir>" >&2; exit 2; }
ip=$1 port=$2 workdir=$3
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)

# -DD: stay in the foreground (children are still forked); -E: log to stderr.
# Small memory pools: a lab PBX handles a handful of calls.
exec kamailio -DD -E -m 32 -M 4 \
  -f "$here/kamailio.cfg" \
  -l "udp:$ip:$port" -l "tcp:$ip:$port" \
  -Y "$workdir" -P "$workdir/kamailio.pid" \
  -A "CTL_SOCK=\"unix:$workdir/kamailio_ctl\"" \
  -A "CALLEE=\"${CALLEE:-198.19.2.10:5070}\""
