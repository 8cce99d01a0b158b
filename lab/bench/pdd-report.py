"""Markdown report of a pdd-bench.sh run: reads the capture's SIP messages (tshark fields, one row per
message, named columns) and the run's facts from the environment (see pdd-bench.sh).

    python3 pdd-report.py <messages.tsv>

Legs: the phone's leg (the bridge's LAN interface, the bridge's SIP port), the bridge's PBX leg (its
VPN interface, to the PBX's 5060) and the direct path (the VPN interface, the direct SIPp's port).
The bridge is a B2BUA: its PBX leg has a Call-ID of its own, so the two legs of a call are matched by
time (the bench places one call at a time): each phone-leg call gets the first PBX-leg call that
starts after it. Within a call each message is named by what it is (method, or status and the
request it answers; the n-th INVITE of a call by the order of its CSeq numbers) and timed when first
seen (retransmissions are counted, not timed). A message relayed by the bridge has the same name on
both legs; 100 Trying and the ACK of a non-2xx final response are hop by hop (each leg's own).
"""
import csv
import math
import os
import statistics
import sys
from collections import defaultdict

env = os.environ
TARGET_MS = 5.0


class Call:
    """One leg of one call: the first time each named message was seen, and how often it was seen."""

    def __init__(self, leg, call_id):
        self.leg, self.call_id = leg, call_id
        self.first = {}
        self.seen = defaultdict(int)
        self.start = None

    def note(self, name, t):
        self.seen[name] += 1
        if name not in self.first:
            self.first[name] = t
        if self.start is None or t < self.start:
            self.start = t

    def retransmissions(self):
        return sum(n - 1 for n in self.seen.values())


def leg_of(row):
    iface, ports = row["frame.interface_name"], (row["udp.srcport"], row["udp.dstport"])
    if iface == env["LAN_IF"]:
        return "phone" if env["BRIDGE_PORT"] in ports else None
    if iface == env["VPN_IF"]:
        return "direct" if env["DIRECT_PORT"] in ports else "pbx"
    return None


def ordinal_name(method, k):
    if method == "INVITE":
        return "INVITE" if k == 1 else ("INVITE with credentials" if k == 2 else f"INVITE #{k}")
    return method if k == 1 else f"{method} #{k}"


def read_groups(path):
    """(leg, Call-ID) → that Call-ID's messages in time order, for the Call-IDs with an INVITE."""
    rows = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            leg = leg_of(row)
            if leg and row["sip.Call-ID"]:
                row["t"] = float(row["frame.time_epoch"])
                rows[(leg, row["sip.Call-ID"])].append(row)
    return {key: sorted(messages, key=lambda r: r["t"]) for key, messages in rows.items()
            if any(r["sip.Method"] == "INVITE" for r in messages)}


def name_messages(leg, messages):
    """One leg of one call (the messages of one or more Call-IDs): a Call with each message named."""
    # n-th distinct (Call-ID, CSeq number) of each request method, and the final status of each INVITE.
    order, final = defaultdict(dict), {}
    for r in messages:
        method, seq = r["sip.Method"], (r["sip.Call-ID"], r["sip.CSeq.seq"])
        if method and seq not in order[method]:
            order[method][seq] = len(order[method]) + 1
        status = r["sip.Status-Code"]
        if status and int(status) >= 200 and r["sip.CSeq.method"] == "INVITE":
            final.setdefault(seq, int(status))
    call = Call(leg, messages[0]["sip.Call-ID"])
    for r in messages:
        method, seq = r["sip.Method"], (r["sip.Call-ID"], r["sip.CSeq.seq"])
        if method == "ACK":
            status = final.get(seq, 0)
            name = "ACK" if 200 <= status < 300 else f"ACK of {status}"
        elif method:
            name = ordinal_name(method, order[method][seq])
        else:
            answered = r["sip.CSeq.method"]
            k = order[answered].get(seq)
            if k is None:
                continue  # a response to a request the capture missed
            name = f"{r['sip.Status-Code']} to {ordinal_name(answered, k)}"
        call.note(name, r["t"])
    return call


def by_start(groups, leg):
    return sorted((m for (g, _), m in groups.items() if g == leg), key=lambda m: m[0]["t"])


def match_legs(phone_legs, pbx_legs, window=10.0):
    """Each phone-leg call (a list of messages) with the PBX-leg Call-IDs that started while it was the
    latest call (one call at a time), merged into one PBX leg: the bridge may use more than one Call-ID
    toward the PBX for one call (a new one for the INVITE with credentials)."""
    merged = defaultdict(list)
    starts = [m[0]["t"] for m in phone_legs]
    i = -1
    for messages in pbx_legs:
        while i + 1 < len(starts) and starts[i + 1] <= messages[0]["t"]:
            i += 1
        if i >= 0 and messages[0]["t"] - starts[i] <= window:
            merged[i].extend(messages)
    return [(name_messages("phone", phone_legs[i]), name_messages("pbx", sorted(m, key=lambda r: r["t"])),
             len({r["sip.Call-ID"] for r in m})) for i, m in sorted(merged.items())]


def hop_by_hop(name):
    return name.startswith("100 to ") or name.startswith("ACK of ")


def inside(phone, pbx):
    """Message name → ms between entering and leaving the bridge, for every relayed message."""
    times = {}
    for name, t_phone in phone.first.items():
        if hop_by_hop(name) or name not in pbx.first:
            continue
        t_pbx = pbx.first[name]
        from_caller = " to " not in name  # requests come from the phone here; responses from the PBX
        times[name] = 1000 * ((t_pbx - t_phone) if from_caller else (t_phone - t_pbx))
    # The bridge's own 100 Trying: how soon the phone hears that its INVITE arrived.
    for name, t in phone.first.items():
        if name.startswith("100 to ") and name[len("100 to "):] in phone.first:
            times[name + " (the bridge's own)"] = 1000 * (t - phone.first[name[len("100 to "):]])
    return times


def not_relayed(phone, pbx):
    """The messages that went into the bridge and never came out on the other leg."""
    requests = [n for n in phone.first if " to " not in n and not hop_by_hop(n) and n not in pbx.first]
    responses = [n for n in pbx.first if " to " in n and not hop_by_hop(n) and n not in phone.first]
    return requests + responses


def pdd(call):
    """(ms to the first 180, ms to the first 200 of an INVITE), from the first INVITE; None if absent."""
    t0 = call.first.get("INVITE")
    if t0 is None:
        return None, None

    def first(status):
        ts = [t for n, t in call.first.items() if n.startswith(f"{status} to INVITE")]
        return 1000 * (min(ts) - t0) if ts else None
    return first(180), first(200)


def span(values):
    low, high = ms(min(values)), ms(max(values))
    return low if low == high else f"{low} to {high}"


def pct(values, q):
    s = sorted(values)
    return s[max(0, math.ceil(q * len(s)) - 1)]


def ms(v):
    return "–" if v is None else (f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}")


MESSAGE_ORDER = ["INVITE", "100 to INVITE (the bridge's own)", "407 to INVITE", "INVITE with credentials",
                 "100 to INVITE with credentials (the bridge's own)", "180 to INVITE with credentials",
                 "200 to INVITE with credentials", "ACK", "BYE", "200 to BYE"]


def ordered(names):
    return sorted(names, key=lambda n: (MESSAGE_ORDER.index(n) if n in MESSAGE_ORDER else len(MESSAGE_ORDER), n))


def main(path):
    groups = read_groups(path)
    phone = by_start(groups, "phone")
    matched = match_legs(phone, by_start(groups, "pbx"))
    pairs = [(p, v) for p, v, _ in matched]
    pbx_call_ids = sorted({n for _, _, n in matched})
    direct = [name_messages("direct", m) for m in by_start(groups, "direct")]
    if not pairs or not direct:
        sys.exit(f"pdd-report: no calls to compare ({len(pairs)} through the bridge, {len(direct)} direct)")
    first_pair, measured = pairs[0], pairs[1:]
    first_direct, measured_direct = direct[0], direct[1:]

    per_message, lost, lost_180_lead = defaultdict(list), defaultdict(int), []
    for p, v in measured:
        for name, t in inside(p, v).items():
            per_message[name].append(t)
        for name in not_relayed(p, v):
            lost[name] += 1
            final = "200" + name[3:]
            if name.startswith("180 ") and final in v.first:
                lost_180_lead.append(1000 * (v.first[final] - v.first[name]))
    first_inside = inside(*first_pair)

    def pdd_stats(legs):
        r180 = [x for x in (pdd(c)[0] for c in legs) if x is not None]
        r200 = [x for x in (pdd(c)[1] for c in legs) if x is not None]
        return r180, r200
    b180, b200 = pdd_stats([p for p, _ in measured])
    d180, d200 = pdd_stats(measured_direct)

    over = [n for n in ordered(per_message) if "(the bridge's own)" not in n
            and statistics.median(per_message[n]) > TARGET_MS]
    relayed = [t for n, ts in per_message.items() if "(the bridge's own)" not in n for t in ts]

    out = []
    w = out.append
    w("## Post-dial delay (SIP through the bridge against direct)")
    w("")
    w(f"Produced by `{env['INVOCATION']}` on {env['STARTED_AT']} (commit {env['COMMIT']}).")
    w(f"Machine: {env['NPROC']} CPUs ({env['CPU_MODEL']}), Linux {env['KERNEL']}; {env['JDK']}; {env['KAM']};"
      f" {env['SIPP_V']}; {env['TSHARK_V']}.")
    w(f"Load average (1/5/15 min) {env['LOAD_BEFORE']} before the run and {env['LOAD_AFTER']} after it; the"
      " machine is shared with other engineers' builds, so read the bridge's figures next to the direct"
      " path's, measured in the same run.")
    w("")
    w("What is measured (`lab/bench/pdd-bench.sh`, report `lab/bench/pdd-report.py`): the lab of the SIP"
      " benchmark (`lab/bench/lab-peers.sh`): SIPp as the phone in the phone namespace calls 2000 through"
      " the bridge (`java -jar sipbridge.jar run` with the packaged JVM options, `packaging/sipbridge.jvmopts`:"
      f" `{env['JVM_OPTS']}`; default configuration apart from the PBX and the adapters) to the lab PBX (Kamailio, `lab/kamailio/kamailio.cfg`: 407 on every INVITE), which"
      " routes it to a SIPp callee (180, 200 with SDP, no RTP); the same calls go **direct** from a SIPp in"
      " the bridge namespace to the PBX, with no bridge in the path. Each call: INVITE → 407 → ACK → INVITE"
      f" with digest → 100/180/200 → ACK → {env['HOLD_MS']} ms → BYE → 200 (`lab/bench/call-load.xml`),"
      f" one call at a time at up to {env['RATE']} calls/s: {env['CALLS']} calls each way in {env['BLOCKS']}"
      " blocks that alternate between the two paths. Before them, the bridge is started fresh (it was"
      f" ready, the PBX UP, {env['READY_MS']} ms after `java` started), the phone registers through it and"
      " places **the first call after start**, reported on its own below (and likewise the direct path's"
      " first call).")
    w("")
    w("Timing: one tshark capture on the bridge namespace's LAN and VPN interfaces (one clock, kernel"
      " timestamps). The bridge is a B2BUA with a Call-ID of its own on the PBX leg, so the two legs of a"
      " call are matched by time (one call at a time), then each message going in with the message the"
      " bridge sent out for it (by method, or status and the request answered, in CSeq order); a"
      " message's time **inside the bridge** is its first sighting on the way out minus its first sighting"
      " on the way in (retransmissions not timed). 100 Trying is each leg's own: the row gives how soon"
      " the bridge sent its 100 after the INVITE came in. **Post-dial delay** is the caller's first INVITE"
      " → the first 180 (and → the 200) on the caller's side: the phone's leg for the bridge, the direct"
      " SIPp's for direct. It includes the 407 round trip and the retry with credentials.")
    w("")
    w(f"Time inside the bridge per message, ms ({len(measured)} calls, the first call after start left out;"
      f" #15 asks for at most {TARGET_MS:.0f} ms at the median):")
    w("")
    w("| message | calls | median | p90 | p99 | max | first call after start | went in, never came out |")
    w("|---|---|---|---|---|---|---|---|")
    for name in ordered(set(per_message) | set(lost)):
        ts = per_message.get(name, [])
        stats = f"{ms(statistics.median(ts))} | {ms(pct(ts, 0.9))} | {ms(pct(ts, 0.99))} | {ms(max(ts))}" if ts \
            else "– | – | – | –"
        w(f"| {name} | {len(ts)} | {stats} | {ms(first_inside.get(name))} |"
          f" {lost.get(name, 0) if '(the bridge' not in name else ''} |")
    if relayed:
        w(f"| every relayed message | {len(relayed)} | {ms(statistics.median(relayed))} | {ms(pct(relayed, 0.9))} |"
          f" {ms(pct(relayed, 0.99))} | {ms(max(relayed))} | | {sum(lost.values())} |")
    w("")
    w("Post-dial delay, ms (median / p90 / max), first call after start on its own:")
    w("")
    w("| | bridge | direct | bridge − direct (medians) | first call: bridge | first call: direct |")
    w("|---|---|---|---|---|---|")
    fb, fd = pdd(first_pair[0]), pdd(first_direct)
    for label, b, d, i in (("INVITE → 180", b180, d180, 0), ("INVITE → 200", b200, d200, 1)):
        def cell(v):
            return f"{ms(statistics.median(v))} / {ms(pct(v, 0.9))} / {ms(max(v))}" if v else "–"
        diff = ms(statistics.median(b) - statistics.median(d)) if b and d else "–"
        w(f"| {label} | {cell(b)} | {cell(d)} | {diff} | {ms(fb[i])} | {ms(fd[i])} |")
    w("")
    w("A \"–\" for a call means that message never reached the caller (e.g. no 180 before the 200).")
    if lost:
        w("Messages the bridge took in and never sent on: "
          + ", ".join(f"{n} in {k} call(s)" for n, k in sorted(lost.items()))
          + (f"; the PBX had sent each of those 180s {span(lost_180_lead)} ms before its 200, which the bridge"
             " relayed" if lost_180_lead else "") + ".")
    w("")
    # How the INVITE's time inside moved over the run (JIT compilation, other load).
    firsts = [inside(p, v).get("INVITE") for p, v in measured]
    firsts = [t for t in firsts if t is not None]
    slow_quarters = []
    if len(firsts) >= 4:
        size = math.ceil(len(firsts) / 4)
        quarters = [statistics.median(firsts[i:i + size]) for i in range(0, len(firsts), size)]
        slow_quarters = [str(i + 1) for i, q in enumerate(quarters) if q > TARGET_MS]
        w("The INVITE's median time inside the bridge by quarter of the run (calls in order): "
          + ", ".join(ms(q) for q in quarters) + " ms.")
    retrans_b = sum(c.retransmissions() for p, v in measured for c in (p, v))
    retrans_d = sum(c.retransmissions() for c in measured_direct)
    unmatched = len(phone) - len(pairs)
    w(f"Calls through the bridge: {len(pairs)} matched with their PBX leg ({unmatched} not), with"
      f" {' or '.join(map(str, pbx_call_ids))} Call-ID(s) each on the PBX leg;"
      f" {len(b200)} of {len(measured)} answered; direct: {len(d200)} of {len(measured_direct)} answered."
      f" Messages seen more than once (retransmissions): {retrans_b} through the bridge (both legs),"
      f" {retrans_d} direct.")
    w("")
    if relayed:
        slowest = max((n for n in per_message if "(the bridge's own)" not in n),
                      key=lambda n: statistics.median(per_message[n]))
        path = [n for n in ("INVITE", "407 to INVITE", "INVITE with credentials", "180 to INVITE with credentials")
                if n in per_message]
        w(f"The slowest message inside the bridge is the {slowest} ({ms(statistics.median(per_message[slowest]))} ms"
          f" at the median). On the way to the 180 ({', '.join(path)}) the medians add up to"
          f" {ms(sum(statistics.median(per_message[n]) for n in path))} ms, of the"
          f" {ms(statistics.median(b180) - statistics.median(d180)) if b180 and d180 else '–'} ms the bridge adds to"
          " the post-dial delay at the median.")
        w("")
    if over:
        w(f"**Not met**: the median time inside the bridge is above {TARGET_MS:.0f} ms for "
          + ", ".join(f"{n} ({ms(statistics.median(per_message[n]))} ms)" for n in over)
          + ". The first call after start took "
          + ", ".join(f"{n} {ms(first_inside[n])} ms" for n in ordered(first_inside) if n in over)
          + " for the same messages.")
    else:
        w(f"**Met**: every relayed message's median time inside the bridge is at most {TARGET_MS:.0f} ms"
          + (f", but the INVITE's median was above it in quarter {', '.join(slow_quarters)} of the run (calls in"
             " order: the first calls after start are slower; JIT compilation is the likely cause, not measured"
             " here)." if slow_quarters else "."))
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
