#!/usr/bin/env python3
"""Idle footprint of one process, as lab/bench/idle-bench.sh reports it (issue #19).

  idle-report.py --pid PID --seconds 60 [--ready-ms N --answered-ms N --version-ms "a b c" --label TEXT ...]
      samples /proc/PID/task/*/status and stat at the start and the end of the window and prints the
      "## Idle footprint" section (Markdown) on stdout
      (--figures FILE also writes the figures as key=value lines, for lab/bench/footprint.sh)
  idle-report.py --figures-from DOC
      prints the figures of DOC's "## Idle footprint" section (the last run written there) as
      key=value lines, as --figures writes them: footprint.sh's "previous" column
  idle-report.py --write-section DOC [--section "## Heading"] < section
      replaces that section of DOC (or appends it); the rest of the file is kept (memory-slope.sh
      uses it for its own section too)

Wake-ups are voluntary context switches: a thread switches voluntarily when it blocks (a sleep, a
timed wait, a poll) and each such switch is followed by a wake-up, so their rate is how often the
thread gets the CPU back on its own schedule. Threads born during the window count from zero; threads
that ended during it are missing (their switches are lost, which the report says when it happens).
"""
import argparse
import datetime
import os
import re
import statistics
import sys
import time

SECTION = "## Idle footprint"
TARGETS = {"ready": 1000, "version": 300, "rss": 64, "threads": 20, "wakeups": 10}


def group(name):
    """'rtp-relay-2-1' -> 'rtp-relay', 'GC Thread#0' -> 'GC Thread': one line per pool."""
    return re.sub(r"([-#_ ]?\d+)+$", "", name) or name


def field(text, key):
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return line.split(":", 1)[1].split()[0]
    return None


def sample(pid):
    """tid -> (name, voluntary, nonvoluntary, cpu ticks) for every live thread of pid."""
    threads = {}
    base = f"/proc/{pid}/task"
    for tid in os.listdir(base):
        try:
            with open(f"{base}/{tid}/status") as f:
                status = f.read()
            with open(f"{base}/{tid}/stat") as f:
                stat = f.read()
        except OSError:
            continue  # ended between listdir and open
        rest = stat[stat.rindex(")") + 2:].split()
        ticks = int(rest[11]) + int(rest[12])  # utime, stime (fields 14, 15)
        threads[tid] = (status.split("\n", 1)[0].split("\t", 1)[1], int(field(status, "voluntary_ctxt_switches")),
                        int(field(status, "nonvoluntary_ctxt_switches")), ticks)
    return threads


def memory(pid):
    with open(f"/proc/{pid}/status") as f:
        status = f.read()
    rss = int(field(status, "VmRSS")) / 1024
    pss = None
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            pss = int(field(f.read(), "Pss")) / 1024
    except OSError:
        pass
    return rss, pss


def measure(args):
    hz = os.sysconf("SC_CLK_TCK")
    before = sample(args.pid)
    started = time.monotonic()
    time.sleep(args.seconds)
    after = sample(args.pid)
    window = time.monotonic() - started
    rss, pss = memory(args.pid)

    groups = {}
    for tid, (name, vol, nonvol, ticks) in after.items():
        b = before.get(tid, (name, 0, 0, 0))
        g = groups.setdefault(group(name), [0, 0, 0, 0])
        g[0] += 1
        g[1] += vol - b[1]
        g[2] += nonvol - b[2]
        g[3] += ticks - b[3]
    ended = len(set(before) - set(after))
    born = len(set(after) - set(before))
    wakeups = sum(g[1] for g in groups.values()) / window
    cpu_ms = sum(g[3] for g in groups.values()) * 1000 / hz

    def verdict(value, target, strict=False):
        ok = value < target if strict else value <= target
        return "✅" if ok else "❌"

    versions = sorted(int(v) for v in args.version_ms.split()) if args.version_ms else []
    out = [SECTION, ""]
    out.append("Written by `sudo lab/bench/idle-bench.sh` (issue #19): the bridge in the lab with SIP, RTP, DHCP,"
               " provisioning (upstream: the lab's nginx) and the web UI running and one phone (SIPp) registered"
               " through it, idle. Wake-ups = voluntary context switches of all its threads"
               " (`/proc/<pid>/task/*/status`) over the window.")
    out.append("")
    out.append(f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {args.java}, {args.cores} cores,"
               f" load average before the window {args.load_before}; JVM options: {args.label}.")
    out.append("")
    out.append("| figure | target | measured |")
    out.append("|---|---|---|")
    if args.ready_ms is not None:
        out.append(f"| start to Ready (`/api/status` READY), a later start | ≤ 1 s | {args.ready_ms} ms {verdict(args.ready_ms, TARGETS['ready'])}"
                   f" (status API first answered at {args.answered_ms} ms; the very first start, which makes the"
                   f" TLS certificates: {args.first_ready_ms} ms); CPU used until Ready: {args.ready_cpu_ms} ms |")
    if versions:
        med = statistics.median(versions)
        out.append(f"| `--version` | ≤ 0.3 s | {med:.0f} ms {verdict(med, TARGETS['version'])}"
                   f" (median of {len(versions)}: {' '.join(map(str, versions))}; CPU user+system: {args.version_cpu_ms} ms) |")
    pss_text = f"; PSS {pss:.1f} MiB" if pss is not None else ""
    out.append(f"| resident memory (VmRSS) after the window | ≤ 64 MiB | {rss:.1f} MiB {verdict(rss, TARGETS['rss'])}{pss_text} |")
    out.append(f"| threads | ≤ 20 | {len(after)} {verdict(len(after), TARGETS['threads'])} |")
    out.append(f"| wake-ups per second, all threads | < 10 | {wakeups:.1f} {verdict(wakeups, TARGETS['wakeups'], True)} |")
    out.append(f"| CPU time while idle | | {cpu_ms:.0f} ms in {window:.0f} s ({cpu_ms / window / 10:.2f} % of one core) |")
    out.append("")
    out.append(f"Threads by name group (kernel names, 15 characters), most wake-ups first; window {window:.0f} s:")
    out.append("")
    out.append("| thread group | threads | wake-ups/s | involuntary switches/s | CPU ms |")
    out.append("|---|---|---|---|---|")
    for name, (count, vol, nonvol, ticks) in sorted(groups.items(), key=lambda kv: (-kv[1][1], kv[0])):
        out.append(f"| {name} | {count} | {vol / window:.2f} | {nonvol / window:.2f} | {ticks * 1000 / hz:.0f} |")
    if born or ended:
        out.append("")
        out.append(f"During the window {born} thread(s) started and {ended} ended (an ended thread's switches are not counted).")
    print("\n".join(out))
    if args.figures:
        figures = {"rss_mib": f"{rss:.1f}", "pss_mib": f"{pss:.1f}" if pss is not None else "", "threads": len(after),
                   "wakeups_per_s": f"{wakeups:.1f}", "idle_cpu_ms": f"{cpu_ms:.0f}", "window_s": f"{window:.0f}",
                   "ready_ms": args.ready_ms if args.ready_ms is not None else "", "ready_cpu_ms": args.ready_cpu_ms or "",
                   "version_ms": f"{statistics.median(versions):.0f}" if versions else "",
                   "version_cpu_ms": f"{statistics.median(int(v) for v in args.version_cpu_ms.split()):.0f}"
                   if args.version_cpu_ms else "", "load": args.load_before}
        with open(args.figures, "w") as f:
            f.write("".join(f"{key}={value}\n" for key, value in figures.items()))


def figures_from(doc):
    """The figures of the section measure() wrote into doc, read back from its table."""
    text = open(doc).read()
    start = text.find("\n" + SECTION + "\n")
    if start < 0:
        return
    end = text.find("\n## ", start + 1)
    section = text[start:end if end >= 0 else len(text)]
    patterns = {
        "rss_mib": r"\| resident memory \(VmRSS\)[^|]*\|[^|]*\| ([\d.]+) MiB",
        "pss_mib": r"\| resident memory \(VmRSS\)[^|]*\|[^|]*\|[^|]*PSS ([\d.]+) MiB",
        "threads": r"\| threads \|[^|]*\| (\d+)",
        "wakeups_per_s": r"\| wake-ups per second, all threads \|[^|]*\| ([\d.]+)",
        "ready_ms": r"\| start to Ready[^|]*\|[^|]*\| (\d+) ms",
        "ready_cpu_ms": r"CPU used until Ready: (\d+) ms",
        "version_ms": r"\| `--version` \|[^|]*\| (\d+) ms",
        "run": r"Run (\d{4}-\d\d-\d\d \d\d:\d\d) UTC",
    }
    for key, pattern in patterns.items():
        found = re.search(pattern, section)
        if found:
            print(f"{key}={found.group(1)}")
    cpu = re.search(r"CPU user\+system: ([\d ]+) ms", section)
    if cpu:
        print(f"version_cpu_ms={statistics.median(int(v) for v in cpu.group(1).split()):.0f}")


def write_section(doc, heading):
    section = sys.stdin.read().rstrip("\n") + "\n"
    text = open(doc).read() if os.path.exists(doc) else ""
    start = text.find("\n" + heading + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        nxt = text.find("\n## ", start + 1 + len(heading))
        text = text[:start + 1] + section + (text[nxt:] if nxt >= 0 else "")
    with open(doc, "w") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pid", type=int)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--ready-ms", type=int)
    p.add_argument("--answered-ms")
    p.add_argument("--first-ready-ms")
    p.add_argument("--ready-cpu-ms")
    p.add_argument("--version-cpu-ms", default="")
    p.add_argument("--version-ms", default="")
    p.add_argument("--label", default="")
    p.add_argument("--load-before", default="?")
    p.add_argument("--java", default="?")
    p.add_argument("--cores", default="?")
    p.add_argument("--figures", metavar="FILE", help="also write the figures as key=value lines to FILE")
    p.add_argument("--figures-from", metavar="DOC")
    p.add_argument("--write-section", metavar="DOC")
    p.add_argument("--section", default=SECTION, help="the heading of the section --write-section replaces")
    args = p.parse_args()
    if args.write_section:
        write_section(args.write_section, args.section)
    elif args.figures_from:
        figures_from(args.figures_from)
    elif args.pid:
        measure(args)
    else:
        p.error("--pid or --write-section")


if __name__ == "__main__":
    main()
