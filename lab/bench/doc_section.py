"""Writes a bench report into docs/benchmarks.md as its section: the report's first line is the
section's heading ("## …"); the section with that heading is replaced up to the next "## " heading,
or added at the end, and the rest of the file is kept.

    python3 doc_section.py <doc> <report.md>
"""
import re
import sys

HEADER = """# Benchmarks

Benchmarks are programs, not timed tests: each prints figures and ratios against a peer measured in
the same run, and writes its section of this file. Re-run them on a quiet machine for figures to
quote; compare ratios, not absolute numbers, across machines.
"""


def replace_section(text, report):
    heading = report.splitlines()[0].rstrip()
    found = re.search("^" + re.escape(heading) + " *$", text, re.M)
    if not found:
        return text.rstrip("\n") + "\n\n" + report.rstrip("\n") + "\n"
    following = re.search(r"^## ", text[found.end():], re.M)
    rest = text[found.end() + following.start():] if following else ""
    return text[:found.start()] + report.rstrip("\n") + "\n" + ("\n" + rest if rest else "")


def main(doc, report_file):
    try:
        text = open(doc, encoding="utf-8").read()
    except FileNotFoundError:
        text = HEADER
    with open(report_file, encoding="utf-8") as f:
        report = f.read()
    with open(doc, "w", encoding="utf-8") as f:
        f.write(replace_section(text, report))


if __name__ == "__main__":
    main(*sys.argv[1:3])
