#!/usr/bin/env bash
# Install the Debian packages the lab (integration) tests need. Idempotent: when everything is
# present it only runs quick checks (about a second). Runs unattended as root
# (CI=true, no stdin). One output line per step.
set -euo pipefail

# sip-tester = SIPp; iputils-ping for topology.sh check; chromium-driver for Selenium.
# xvfb + trayer (an XEmbed system-tray host): the tray icon test; fakeroot + binutils (objcopy):
# jpackage's .deb; systemd for systemd-analyze verify of the unit files; libcap2-bin for capsh.
packages=(sip-tester kamailio tshark python3-scapy nginx-light iproute2 iputils-ping jq curl openssl
  chromium chromium-driver
  xvfb trayer fakeroot binutils systemd libcap2-bin)
# rtpengine: the peer of the media benchmark (lab/bench/media-bench.sh), run in userspace mode.
packages+=(rtpengine-daemon rtpengine-utils)
# gcc (with libc6-dev's headers): the media benchmark builds its C reference relay (lab/bench/udp-relay).
packages+=(gcc libc6-dev)
# prometheus (with promtool): the shipped alert rules' unit tests and the monitoring lab test.
packages+=(prometheus)
# ShellCheck (package shellcheck) for lab/lint.sh, the static check of our shell scripts in CI.
packages+=(shellcheck)
# openvpn: the real VPN of the OpenVPN lab (lab/openvpn), client and server in namespaces.
packages+=(openvpn)
# iptables: the OpenVPN lab's internet link drops IP fragments (lab/openvpn/topology.sh).
packages+=(iptables)
# Real SIP clients of RealClientsLabIT (issue #15): baresip and linphonec as phone and far ends,
# sox to measure the tones they record, nc to drive baresip's ctrl_tcp from inside a namespace.
packages+=(baresip-core linphone-cli sox netcat-openbsd)
# Packages that ship a system service we never want running: the lab starts its own instances
# inside network namespaces, and a system Kamailio would hold port 5060 on the host.
services=(kamailio nginx)
services+=(rtpengine-daemon prometheus openvpn)

step() { echo "setup: $*"; }
[[ $(id -u) == 0 ]] || { echo "setup: must run as root" >&2; exit 1; }

missing=()
for p in "${packages[@]}"; do
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null) == installed ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  step "all ${#packages[@]} packages already installed"
else
  export DEBIAN_FRONTEND=noninteractive
  # tshark's debconf question (may non-root users capture?): no, and never ask.
  echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
  step "preseeded wireshark-common/install-setuid=false"

  # Keep maintainer scripts from starting services (Kamailio, nginx) during the install.
  # Docker images often already have such a policy-rc.d; then leave it alone.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# added by sipbridge lab/setup.sh for the duration of apt-get install\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
    step "temporary $policy: no service starts during install"
  fi

  # Wait for a concurrent apt/dpkg (e.g. unattended-upgrades) instead of failing on the lock.
  apt_opts=(-q -o DPkg::Lock::Timeout=300)
  step "apt-get update"
  # A broken third-party source makes update exit non-zero; Debian's own lists may still be fine.
  apt-get "${apt_opts[@]}" update </dev/null >/tmp/sipbridge-apt-update.log 2>&1 \
    || step "apt-get update reported errors (see /tmp/sipbridge-apt-update.log); trying install anyway"
  step "apt-get install --no-install-recommends ${missing[*]}"
  apt-get "${apt_opts[@]}" install -y --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" </dev/null >/tmp/sipbridge-apt-install.log 2>&1 \
    || { tail -20 /tmp/sipbridge-apt-install.log >&2; step "apt-get install failed"; exit 1; }
  step "installed ${#missing[@]} packages (log: /tmp/sipbridge-apt-install.log)"
fi

# Make sure no system instance runs now or after a reboot. Cheap, so done on every run.
for s in "${services[@]}"; do
  [[ -e /lib/systemd/system/$s.service || -e /etc/init.d/$s ]] || continue
  if [[ -d /run/systemd/system ]]; then          # systemd is PID 1
    systemctl disable --now --quiet "$s.service" 2>/dev/null || true
  else                                           # container/chroot: stop via its init script
    if [[ -x /etc/init.d/$s ]] && /etc/init.d/"$s" status >/dev/null 2>&1; then
      /etc/init.d/"$s" stop >/dev/null 2>&1 || true
    fi
    if command -v systemctl >/dev/null && systemctl is-enabled --quiet "$s.service" 2>/dev/null; then
      systemctl disable --quiet "$s.service" 2>/dev/null || true   # works offline
    fi
  fi
  step "system $s service stopped and disabled"
done

# Every tool the lab calls must now be on PATH.
for b in sipp kamailio kamcmd tshark nginx jq curl chromium chromedriver ip ping Xvfb trayer fakeroot objcopy systemd-analyze \
    prometheus promtool openvpn baresip linphonec sox nc script; do
  command -v "$b" >/dev/null || { step "missing command after install: $b"; exit 1; }
done
# python3-scapy is for Debian's interpreter; a pyenv/venv python3 earlier on PATH won't see it.
/usr/bin/python3 -c 'import scapy' || { step "/usr/bin/python3 cannot import scapy"; exit 1; }
step "ok: $(kamailio -v | head -1 | cut -d' ' -f2-3), $(sipp -v | grep -o 'SIPp v[0-9.]*' | head -1), $(tshark --version 2>/dev/null | head -1)"
