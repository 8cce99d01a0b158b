"""Markdown report of a sip-bench.sh run (the "## SIP" section of docs/benchmarks.md).

    python3 sip-report.py <work dir>

Reads the run's results.tsv (one row per measured step, named columns: see STEP_COLUMNS in
sip-bench.sh), SIPp's error and statistics files, the bridge's thread snapshots and log from the work
directory, and the run's facts (command, machine, settings) from the environment.
"""
import csv
import os
import re
import sys
from collections import Counter, defaultdict
from string import Template

INTRO = Template(r"""## SIP

Produced by `$INVOCATION` on $STARTED_AT (commit $COMMIT, $JAR_INFO).
The driver is a bash script (`lab/bench/sip-bench.sh`, beside the lab it drives; the lab set-up it
shares with the post-dial delay benchmark is `lab/bench/lab-peers.sh`) rather than a Java program: all
it does is start processes in namespaces (`lab/topology.sh`, Kamailio, SIPp, `java -jar`), read
`/proc` and SIPp's statistics files into a table with named columns, and `lab/bench/sip-report.py`
turns that table into this section, so it needs no build step and no Maven module.
`--report-from <kept work dir>` rebuilds this section from a run.

Machine: $NPROC CPUs ($CPU_MODEL), Linux $KERNEL; $JDK; $KAM; $SIPP_V.
Load average (1/5/15 min) $LOAD_BEFORE before the run and $LOAD_AFTER after it. This machine is
shared with other engineers' builds, so absolute figures are noisy. Both relays were measured in the
same run under the same conditions: they run side by side, and each rate is measured on one and
then, seconds later, on the other (alternating which goes first), so a build that starts meanwhile
hits both. The ratios are the figures to read, and even they moved by up to a third between
repeated runs on this 2-CPU development VM: read "about 2×", not the decimal. Everything runs on
these $NPROC CPUs (the relay under test, the PBX, the callee and the SIPp load generator), so a ramp
can also stop because the whole testbed is busy (see "machine % busy").

What is compared, in the lab topology of `lab/README.md` (prefix `$PREFIX`): SIPp as the phone in
the phone namespace sends to the bridge namespace's LAN address, where **sipbridge**
(`java @packaging/sipbridge.jvmopts -jar sipbridge.jar run`, the shipped JVM options, default configuration apart from the PBX and
the adapters; SIP on ${TARGET_BRIDGE}) and **Kamailio as a transaction-stateful relay**
(`lab/bench/kamailio-relay.cfg` on ${TARGET_KAMAILIO}: `t_relay()` of everything to the
registrar, double Record-Route across the LAN and VPN sockets, no Contact/SDP rewriting, 2 UDP
workers per socket, 256 MB shared memory) each relay, from the VPN address, to the lab PBX in the
PBX namespace (`lab/kamailio/kamailio.cfg` unchanged: digest auth and registrar; started like
`lab/kamailio/run.sh` but with 256 MB of shared memory instead of 32, which ran out at 200
calls/s, and log level NOTICE instead of a line per request).

- **REGISTER**: `lab/bench/register-load.xml`, users 1001-1003 in turn (`users.csv`), each call
  REGISTER → 401 → REGISTER with digest → 200, so one "tx" below is two REGISTER transactions and a
  real digest check at the registrar, through either relay. No registrar variant: both sides
  authenticate the same way.
- **INVITE→BYE**: `lab/bench/call-load.xml`, caller 1001 → 2000, each call INVITE → 407 → ACK →
  INVITE with digest → 100/180/200 (SDP) → ACK → ${HOLD_MS} ms → BYE → 200, answered by
  `lab/sipp/uas-answer.xml` behind the PBX: one "tx" is one whole call (three transactions on each
  leg). SDP but no RTP. Through the bridge every SDP goes through its RTP relay: 4 UDP ports
  allocated per call (RTP+RTCP on each side), the SDP rewritten both ways, the ports released at
  BYE; Kamailio passes the SDP untouched and opens no ports. A 180 that arrives after the 200
  (Kamailio's worker processes may reorder them) is ignored, as a phone ignores it.
- Warm-up (not measured), the same for both relays: rounds of 5 s of REGISTER at 200/s and 5 s of
  calls at 100/s through each, at least ${WARMUP_MIN_ROUNDS} and until the bridge's JIT compiler threads take
  less than 5 % of its CPU in a round (at most ${WARMUP_MAX_ROUNDS}): ${WARMUP_DONE} round(s), ${WARMUP_JIT} % JIT in the last one.
- Ramp: ${RATES_LIST} calls/s, ${STEP_SECONDS} s each (${PAUSE_SECONDS} s pause between steps); a ramp stops at the
  first rate where more than ${MAX_FAIL_PCT} % of the calls fail or less than 90 % of the rate is reached.
  SIPp: `-recv_timeout 5000`, `-l` = 3 s worth of calls, UDP retransmissions on.
- **tx/s**: successful calls ÷ (SIPp's first call to last completion, minus the hold time), the
  highest reached in a step with at most ${MAX_FAIL_PCT} % failed calls; "≥" means even the ramp's top rate
  passed, so the figure is the ramp's ceiling, not the relay's. **CPU µs/tx**: utime+stime from
  `/proc/<pid>/stat` of the relay's processes (the JVM with all its threads; every process of the
  Kamailio relay), read before and after the step, ÷ successful calls, compared at the highest rate
  both relays passed (same load). Ratios: Kamailio's tx/s ÷ the bridge's; the bridge's CPU ÷
  Kamailio's.

""")

HOW_TO_READ = r"""
How to read it: sipbridge is a B2BUA on the JVM (jain-sip): it parses every message into objects,
runs a server transaction on one leg and a client transaction on the other, builds a new request or
response for the other side (its own Via, Contact, Call-ID, a keyed hash per REGISTER, a Route),
keeps both dialogs of a call, and for calls allocates four media ports and rewrites the SDP both
ways. Kamailio here is a C proxy that forwards the same messages with a Via and Record-Route added
and nothing rewritten. So Kamailio is expected to be faster and cheaper per transaction; the figures
say by how much. For scale: one desk phone registers every few minutes and places a few calls an
hour, so even the bridge's cost per call is a negligible load at its real job; the ramps show how
far the headroom goes and where it ends, not a target.

"""

STEPS = Template(r"""Every step, in the order run. relay = the relay's processes, from `/proc/<pid>/stat` and, as a
cross-check without tick rounding, from `/proc/<pid>/task/*/schedstat` (threads that ended during
the step are missing there); JIT = the share of the bridge's CPU spent by its JIT compiler threads
in the step; registrar = the PBX's Kamailio; SIPp = the phone's load generator; machine = share of
both CPUs not idle (from the idle time in `/proc/stat`), including other engineers' work; SIPp
counters: retransmissions / calls failed on a receive timeout / on an unexpected message / on max
UDP retransmissions.

""")

KIND_LABEL = {"register": "REGISTER (401 + 200)", "call": "INVITE→BYE call"}
KIND_WHAT = {"register": "registration (two REGISTER transactions)", "call": "call"}
KIND_SHORT = {"register": "REGISTER", "call": "INVITE→BYE"}
SIDE_LABEL = {"bridge": "sipbridge", "kamailio": "Kamailio relay"}
THREAD_LEGEND = """- Thread names below are the kernel's 15-character ones: EventScannerThr = jain-sip's single
  event-delivery thread (the relay's own code runs there), sipbridge…UDP… and MessageProcesso =
  jain-sip's UDP message processors, DefaultSipTimer = its transaction timers, rtp-relay = the
  RTP relay's netty event loops, C2/C1 CompilerThre = the JIT, GC Thread / G1 Conc = the collector."""


def num(v):
    return float(v) if v not in ("", None) else 0.0


class Ramps:
    """The steps of results.tsv by (side, kind) and what each ramp reached."""

    def __init__(self, rows, rates, max_fail):
        self.rows, self.rates, self.top = rows, rates, rates[-1]
        self.step = {(r["side"], r["kind"], int(r["rate"])): r for r in rows}
        self.seen, self.tp, self.passed, self.stop = set(), {}, {}, {}
        for r in rows:
            k, rate = (r["side"], r["kind"]), int(r["rate"])
            self.seen.add(k)
            # tx/s: the highest rate reached in a step with at most max_fail % failed calls
            if num(r["fail_pct"]) <= max_fail and num(r["achieved"]) > self.tp.get(k, 0):
                self.tp[k] = num(r["achieved"])
            if r["pass"] == "yes":
                self.passed[k] = max(self.passed.get(k, 0), rate)
            elif k not in self.stop:
                self.stop[k] = rate

    def at_ceiling(self, side, kind):
        return self.passed.get((side, kind)) == self.top

    def common(self, kind):
        """The highest rate both relays passed: where their CPU per tx is compared (same load)."""
        b, k = self.passed.get(("bridge", kind)), self.passed.get(("kamailio", kind))
        return min(b, k) if b and k else None

    def tp_text(self, side, kind):
        k = (side, kind)
        if k not in self.seen:
            return "not run"
        if k not in self.tp:
            return f"< {self.rates[0]}"
        return f"{'≥ ' if self.at_ceiling(side, kind) else ''}{self.tp[k]:.0f}"

    def stop_text(self, side, name, kind):
        k = (side, kind)
        if k not in self.seen:
            return f"{name}: not run"
        if k not in self.stop:
            return f"{name}: no step failed up to {self.top}/s"
        r = self.step[(side, kind, self.stop[k])]
        return (f"{name}: stopped at {self.stop[k]}/s ({r['fail_pct']} % of {r['attempted']} calls failed,"
                f" {num(r['achieved']):.0f}/s reached, machine {r['busy_pct']} % busy)")

    def summary(self, kind):
        """(table row, reading sentence or None) for one scenario."""
        tpb, tpk = self.tp.get(("bridge", kind), 0), self.tp.get(("kamailio", kind), 0)
        ratio = "–"
        if tpb > 0 and tpk > 0:
            if self.at_ceiling("bridge", kind) and self.at_ceiling("kamailio", kind):
                ratio = "both ≥ ramp"
            else:
                ratio = f"{'≥ ' if self.at_ceiling('kamailio', kind) else ''}{tpk / tpb:.1f}×"
        common = self.common(kind)
        cb = ck = cratio = "–"
        if common:
            b, k = self.step[("bridge", kind, common)], self.step[("kamailio", kind, common)]
            bc, kc = num(b["relay_us"]), num(k["relay_us"])
            cb, ck = f"{bc:.0f} (at {common}/s)", f"{kc:.0f} (at {common}/s)"
            if kc > 0:
                cratio = f"{bc / kc:.1f}×"
        failures = f"{self.stop_text('bridge', 'bridge', kind)}; {self.stop_text('kamailio', 'Kamailio', kind)}"
        row = (f"| {KIND_LABEL[kind]} | {self.tp_text('bridge', kind)} | {self.tp_text('kamailio', kind)} | {ratio} |"
               f" {cb} | {ck} | {cratio} | {failures} |")
        if not (tpb > 0 and tpk > 0):
            return row, None
        reading = (f"- **{KIND_LABEL[kind]}**: Kamailio relayed {self.tp_text('kamailio', kind)}/s, the bridge"
                   f" {self.tp_text('bridge', kind)}/s ({ratio}). ")
        if common:
            jit = num(b["jit_pct"])
            jit_note = f" ({jit:.0f} % of the bridge's CPU in that step was still the JIT compiler)" if jit >= 5 else ""
            reading += (f"At {common}/s, the highest rate both held, the bridge spent {bc:.0f} µs of CPU per"
                        f" {KIND_WHAT[kind]} and Kamailio {kc:.0f} µs: {cratio} as much{jit_note}.")
        return row, reading


def thread_ticks(path):
    """tid → (ticks, name) from a snapshot written by sip-bench.sh's thread_ticks."""
    out = {}
    for line in open(path):
        parts = line.split()
        if len(parts) == 3:
            out[parts[0]] = (int(parts[1]), parts[2])
    return out


def thread_share(before, after):
    """The CPU between two snapshots by thread group (trailing numbers dropped), largest first."""
    b, a = thread_ticks(before), thread_ticks(after)
    by = defaultdict(int)
    for tid, (ticks, name) in a.items():
        if tid in b and ticks - b[tid][0] > 0:
            by[re.sub(r"[-#_0-9]+$", "", name).replace("_", " ")] += ticks - b[tid][0]
    total = sum(by.values())
    shares = sorted(((int(100 * d / total + 0.5), n) for n, d in by.items() if 100 * d / total >= 0.5), reverse=True)
    return ", ".join(f"{n} {p} %" for p, n in shares[:7])


def thread_notes(work, ramps):
    """Where the bridge's CPU went, by thread group, at the rates the CPU columns compare and at the
    step where it left each ramp."""
    lines = []
    for kind in ("register", "call"):
        wanted = []
        if ramps.common(kind):
            wanted.append((ramps.common(kind), "the rate compared above"))
        if ("bridge", kind) in ramps.stop:
            wanted.append((ramps.stop[("bridge", kind)], "where it left the ramp"))
        for rate, label in wanted:
            f = os.path.join(work, f"bridge-{kind}-{rate}")
            if not (os.path.getsize(f + ".threads0") if os.path.exists(f + ".threads0") else 0) or \
                    not (os.path.getsize(f + ".threads1") if os.path.exists(f + ".threads1") else 0):
                continue
            if not lines:
                lines.append(THREAD_LEGEND)
            lines.append(f"- The bridge's CPU by thread, {KIND_SHORT[kind]} at {rate}/s ({label}):"
                         f" {thread_share(f + '.threads0', f + '.threads1')}.")
    return lines + [""]


def detail_row(r):
    bridge = r["side"] == "bridge"
    return (f"| {SIDE_LABEL[r['side']]} | {KIND_SHORT[r['kind']]} | {r['rate']} | {r['attempted']} | {r['ok']} |"
            f" {r['fail_pct']} | {num(r['achieved']):.0f} | {r['relay_us']} | {r['relay_us_schedstat']} |"
            f" {r['jit_pct'] if bridge else '–'} | {r['registrar_us']} | {r['sipp_us']} | {r['busy_pct']} |"
            f" {r['retrans']} / {r['timeouts']} / {r['unexpected']} / {r['maxretrans']} |"
            f" {'pass' if r['pass'] == 'yes' else '**stop**'} |")


def error_responses(path):
    """SIPp's -trace_err: the final responses other than 2xx it got instead (retransmissions counted)."""
    if not os.path.exists(path) or not os.path.getsize(path):
        return ""
    text = open(path, encoding="utf-8", errors="replace").read()
    counts = Counter(re.findall(r"received 'SIP/2\.0 ([3-6][0-9]{2} [^\x00-\x1f\x7f]*)", text))
    return ", ".join(f"{n} × {what}" for what, n in sorted(counts.items(), key=lambda c: (-c[1], c[0]))[:4])


def last_csv_field(path, name):
    """A column of SIPp's last statistics row."""
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        rows = list(csv.reader(f, delimiter=";"))
    if len(rows) < 2 or name not in rows[0]:
        return ""
    return rows[-1][rows[0].index(name)]


def failure_notes(work, rows):
    lines = []
    for r in (r for r in rows if r["pass"] == "no"):
        if not lines:
            lines += ["Where the ramps stopped (SIPp's view):", ""]
        top = error_responses(os.path.join(work, f"{r['side']}-{r['kind']}-{r['rate']}.err"))
        line = (f"- {SIDE_LABEL[r['side']]}, {KIND_SHORT[r['kind']]} at {r['rate']}/s: {int(r['attempted']) - int(r['ok'])}"
                f" of {r['attempted']} calls failed ({r['timeouts']} on a receive timeout), {num(r['achieved']):.0f}/s"
                f" reached, {r['retrans']} retransmissions")
        lines.append(line + (f"; error responses: {top}" if top else "") + ".")
    if lines:
        lines.append("")
    callee = os.path.join(work, "callee.csv")
    if os.path.exists(callee) and os.path.getsize(callee):
        lines += [f"The callee behind the PBX (SIPp, uas-answer.xml; both relays, warm-up included) completed"
                  f" {last_csv_field(callee, 'SuccessfulCall(C)')} calls and failed {last_csv_field(callee, 'FailedCall(C)')}.", ""]
    return lines


def bridge_log_notes(work):
    path = os.path.join(work, "bridge-final.log")
    if not os.path.exists(path):
        return []
    warnings = [l.rstrip("\n") for l in open(path, encoding="utf-8", errors="replace") if re.search(" (WARN|ERROR) ", l)]
    elided = Counter(re.sub(r"[0-9]+-[0-9]+@[0-9.]+", "…",
                            re.sub(r"[0-9a-f]{8,}[^ ]*", "…", re.sub(r"^[0-9-]+ [0-9:.]+ ", "", l)))[:160]
                     for l in warnings)
    lines = [f"Bridge log during the run: {len(warnings)} WARN/ERROR lines."]
    if elided:
        lines += ["Most frequent (ids elided):", ""]
        lines += [f"- {n} × `{text}`" for text, n in sorted(elided.items(), key=lambda c: (-c[1], c[0]))[:5]]
    return lines + [""]


def main(work):
    env = dict(os.environ)
    with open(os.path.join(work, "results.tsv"), newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    rates = [int(r) for r in env["RATES"].split()]
    max_fail = float(env["MAX_FAIL_PCT"])
    env["RATES_LIST"] = ", ".join(env["RATES"].split())
    ramps = Ramps(rows, rates, max_fail)
    out = [INTRO.substitute(env) + "| scenario | bridge tx/s | Kamailio tx/s | ratio | bridge CPU µs/tx |"
           " Kamailio CPU µs/tx | ratio | failures |", "|---|---|---|---|---|---|---|---|"]
    summaries = [ramps.summary(kind) for kind in ("register", "call")]
    out += [row for row, _ in summaries]
    out.append("")
    out += [reading for _, reading in summaries if reading]
    out += thread_notes(work, ramps)
    out += [HOW_TO_READ.rstrip("\n"), ""]
    out.append(STEPS.substitute(env) + "| relay | scenario | rate/s | calls | ok | failed % | reached/s | relay µs/tx |"
               " relay µs/tx (schedstat) | JIT % | registrar µs/tx | SIPp µs/tx | machine % busy |"
               " retrans / timeouts / unexpected / max-retrans | |")
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    out += [detail_row(r) for r in rows]
    out.append("")
    out += failure_notes(work, rows)
    out += bridge_log_notes(work)
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
