# shellcheck shell=bash
# Helpers shared by the lab topologies (lab/topology.sh, lab/openvpn/topology.sh, lab/fleet/topology.sh);
# sourced, not run. The sourcing script defines die() (its own name in the message).

check_prefix() {
  # Namespace names are free-form, but the host-side temporary veth names are "<prefix>-<tag>-b"
  # and must fit IFNAMSIZ-1 = 15 characters, so keep the prefix short and simple.
  [[ $1 =~ ^[a-z0-9]{1,8}$ ]] || die "prefix must be 1-8 chars [a-z0-9], got '$1'"
}

ns_exists() { ip netns list | awk '{print $1}' | grep -qx -- "$1"; }

# delete_namespace <ns>: stop every process inside, then delete it (its veth ends vanish with it, and so
# do their peers). Deleting a namespace does not stop the processes in it; leftovers (Kamailio, SIPp,
# OpenVPN, the daemon) would keep ports and the namespace alive.
delete_namespace() {
  local ns=$1 pids
  ns_exists "$ns" || return 0
  pids=$(ip netns pids "$ns" || true)
  if [[ -n $pids ]]; then
    # shellcheck disable=SC2086  # word splitting of the pid list is intended
    kill -TERM $pids 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      [[ -z $(ip netns pids "$ns" || true) ]] && break
      sleep 0.2
    done
    pids=$(ip netns pids "$ns" || true)
    # shellcheck disable=SC2086
    if [[ -n $pids ]]; then kill -KILL $pids 2>/dev/null || true; fi
  fi
  ip netns delete "$ns"
}

# delete_host_veths <prefix> <tag…>: host-side temporaries only exist if an earlier 'up' died half-way.
# Deleting one veth end deletes its peer too.
delete_host_veths() {
  local p=$1 tag
  shift
  for tag in "$@"; do ip link delete "$p-$tag-b" 2>/dev/null || true; done
}

# veth_pair <prefix> <tag> <ns-a> <if-a> <ns-b> <if-b>: create on the host with short unique
# names, move each end into its namespace, and rename it there (eth0/tun0 exist once per ns).
veth_pair() {
  local p=$1 tag=$2 nsa=$3 ifa=$4 nsb=$5 ifb=$6
  ip link add "$p-$tag-b" type veth peer name "$p-$tag-p"
  ip link set "$p-$tag-b" netns "$nsa"
  ip link set "$p-$tag-p" netns "$nsb"
  ip -n "$nsa" link set "$p-$tag-b" name "$ifa"
  ip -n "$nsb" link set "$p-$tag-p" name "$ifb"
}

# show_namespaces <prefix> <host…>: each namespace's processes, forwarding and addresses.
show_namespaces() {
  local p=$1 h
  shift
  for h in "$@"; do
    if ! ns_exists "$p-$h"; then echo "$p-$h: absent"; continue; fi
    echo "$p-$h: pids=[$(ip netns pids "$p-$h" | xargs)] ip_forward=$(ip netns exec "$p-$h" sysctl -n net.ipv4.ip_forward)"
    ip -n "$p-$h" -brief addr show
  done
}
