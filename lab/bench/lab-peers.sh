# shellcheck shell=bash
# The SIP benches' shared lab (sourced by sip-bench.sh and pdd-bench.sh, not run): lab/topology.sh's
# namespaces and the peers both benches start in them, the lab PBX's Kamailio registrar, the bridge
# (sipbridge.jar) and the SIPp callee behind the PBX, plus the process bookkeeping and clean-up
# (idle-bench.sh uses only these last two).
#
#   phone ns ──LAN── bridge ns: sipbridge.jar :BRIDGE_PORT ──VPN── pbx ns: Kamailio registrar :5060
#                                                                          SIPp callee 2000 :CALLEE_PORT
#
# The sourcing script defines die and say, sets HERE, REPO, PREFIX, JAR, KEEP_WORK and WORK (an empty
# work directory the clean-up removes unless KEEP_WORK=1 or the script failed), then calls
# peers_topology_up (traps EXIT for the clean-up and sets the topology's facts: PHONE_IP, BRIDGE_LAN_IP,
# BRIDGE_VPN_IP, PBX_IP, *_NS, LAN_IF, VPN_IF). Every process started with peers_start is stopped at exit,
# after the sourcing script's own peers_on_exit function, if it defines one.

TOPO=$REPO/lab/topology.sh
BRIDGE_PORT=${BRIDGE_PORT:-8060}
CALLEE_PORT=${CALLEE_PORT:-5070}
# Extra JVM options for the bridge after packaging/sipbridge.jvmopts (e.g. a JFR recording or a
# compiler setting to compare); empty for the published figures.
read -r -a BRIDGE_JAVA_OPTS <<<"${BRIDGE_JAVA_OPTS:-}"
STARTED_PIDS=()

peers_cleanup() {
  local rc=$? p
  if declare -F peers_on_exit >/dev/null; then peers_on_exit || true; fi
  for p in "${STARTED_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${STARTED_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  "$TOPO" down "$PREFIX" >/dev/null 2>&1 || true
  if [[ $KEEP_WORK == 1 || $rc != 0 ]]; then say "logs kept in $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}

# peers_topology_up: the namespaces (leftovers of an earlier run with the same PREFIX are torn down
# first), their facts as shell variables, and the clean-up trap.
peers_topology_up() {
  local facts
  trap peers_cleanup EXIT
  trap 'say "interrupted (SIGINT)"; exit 130' INT
  trap 'say "terminated (SIGTERM from outside)"; exit 143' TERM
  facts=$("$TOPO" up "$PREFIX") || die "lab/topology.sh up $PREFIX failed"
  eval "$facts"   # PHONE_IP, BRIDGE_LAN_IP, BRIDGE_VPN_IP, PBX_IP, *_NS, LAN_IF, VPN_IF
  [[ -n ${PHONE_IP:-} && -n ${BRIDGE_NS:-} ]] || die "lab/topology.sh up printed no facts"
  "$TOPO" check "$PREFIX" >/dev/null || die "topology check failed"
}

# peers_start <name> <ns> cmd...: background process in a namespace; its pid (LAST_PID) is the
# command's own (ip netns exec execs it). Output goes to $WORK/<name>.log.
peers_start() {
  local name=$1 ns=$2; shift 2
  ip netns exec "$ns" "$@" >"$WORK/$name.log" 2>&1 &
  STARTED_PIDS+=("$!")
  LAST_PID=$!
}

peers_await_log() { # peers_await_log <file> <text> <seconds> <pid>
  local deadline=$((SECONDS + $3))
  until grep -qF -- "$2" "$1" 2>/dev/null; do
    kill -0 "$4" 2>/dev/null || { cat "$1" >&2; die "process $4 died before printing '$2'"; }
    ((SECONDS < deadline)) || { tail -20 "$1" >&2; die "no '$2' in $1 within $3 s"; }
    sleep 0.2
  done
}

# The registrar: the lab PBX's own config (lab/kamailio/kamailio.cfg, unchanged), started as
# lab/kamailio/run.sh starts it except for two settings that would otherwise make the registrar,
# not the relay under test, the limit: 256 MB of shared memory instead of 32 (at 200 calls/s its tm
# ran out: "new_t(): out of mem" and 500 replies) and log level NOTICE (--debug=1: no line per
# request on stderr). Every INVITE gets a 407 first; 2000 is routed to the callee.
peers_start_registrar() {
  local dir=$WORK/registrar
  mkdir -p "$dir"
  peers_start registrar "$PBX_NS" kamailio -DD -E --debug=1 -m 256 -M 16 -f "$REPO/lab/kamailio/kamailio.cfg" \
    -l "udp:$PBX_IP:5060" -l "tcp:$PBX_IP:5060" -Y "$dir" -P "$dir/kamailio.pid" \
    -A "CTL_SOCK=\"unix:$dir/kamailio_ctl\"" -A "CALLEE=\"$PBX_IP:$CALLEE_PORT\""
  peers_await_log "$WORK/registrar.log" "Listening on" 20 "$LAST_PID"
  sleep 1
}

# peers_start_bridge: sipbridge.jar (a copy: a rebuild during the run must not swap the jar under us)
# in the bridge namespace, default configuration apart from the PBX and the adapters; returns once
# it sees the PBX UP. BRIDGE_PID is the JVM.
peers_start_bridge() {
  local dir=$WORK/bridge
  mkdir -p "$dir"
  cp "$JAR" "$dir/sipbridge.jar"
  cat >"$dir/sipbridge.json" <<EOF
{"bridge": {"servers": ["$PBX_IP:5060"], "lanAdapter": "$LAN_IF", "vpnAdapter": "$VPN_IF"},
 "protocols": {"udp": {"port": $BRIDGE_PORT}, "tcp": {"port": $BRIDGE_PORT}}}
EOF
  peers_start bridge "$BRIDGE_NS" env SIPBRIDGE_LOCK_FILE="$dir/sipbridge.lock" \
    java "@$REPO/packaging/sipbridge.jvmopts" "${BRIDGE_JAVA_OPTS[@]}" -jar "$dir/sipbridge.jar" run --config "$dir/sipbridge.json" --data-dir "$dir/data"
  # shellcheck disable=SC2034  # for the sourcing script
  BRIDGE_PID=$LAST_PID
  peers_await_log "$WORK/bridge.log" "Web UI: http://" 60 "$LAST_PID"
  local deadline=$((SECONDS + 20)) state=""
  until [[ $state == UP ]]; do
    state=$(ip netns exec "$BRIDGE_NS" curl -sS --max-time 2 http://127.0.0.1:8080/api/status 2>/dev/null \
      | jq -r '.servers[0].state' 2>/dev/null || true)
    ((SECONDS < deadline)) || die "the bridge never saw the PBX UP (state '$state')"
    sleep 0.3
  done
}

# peers_start_callee: user 2000 behind the PBX (lab/sipp/uas-answer.xml: 180, 200 with SDP, no RTP);
# SIPp's statistics in $WORK/callee.csv.
peers_start_callee() {
  peers_start callee "$PBX_NS" sipp -sf "$REPO/lab/sipp/uas-answer.xml" -i "$PBX_IP" -p "$CALLEE_PORT" \
    -mi "$PBX_IP" -mp 6000 -l 20000 -nostdin -timeout 3600 -trace_stat -stf "$WORK/callee.csv" -fd 5
  CALLEE_PID=$LAST_PID
  sleep 0.5
}

# peers_stop_callee: after the last call (uas-answer.xml waits 1 s after BYE), so callee.csv is final.
peers_stop_callee() {
  sleep 2
  kill -TERM "$CALLEE_PID" 2>/dev/null || true
  wait "$CALLEE_PID" 2>/dev/null || true
}

# peers_sipp_args <kind> <port>: SIPp's arguments for one of the bench scenarios from a phone at
# <port> (register: register-load.xml, users 1001-1003; call: call-load.xml, 1001 calls 2000 with
# digest, HOLD_MS between ACK and BYE). A device registers and calls from the same port: the bridge
# lets only the device that registered a user call as that user.
peers_sipp_args() {
  if [[ $1 == register ]]; then
    printf '%s\n' -sf "$HERE/register-load.xml" -inf "$HERE/users.csv" -key domain sipbridge.lab \
      -default_behaviors "all,-bye" -p "$2"
  else
    printf '%s\n' -sf "$HERE/call-load.xml" -key domain sipbridge.lab -key caller 1001 -s 2000 \
      -au 1001 -ap pass1001 -d "$HOLD_MS" -p "$2" \
      -default_behaviors "all,-abortunexp"
  fi
}

# csv_field <csv> <column name>: the value in SIPp's last statistics row.
csv_field() {
  awk -F';' -v name="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==name) c=i; next} {v=$c} END{print (c? v : "")}' "$1"
}
