#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write a findings-heavy iPXE script of at least SIZE bytes to PATH.

usage: gen_findings.py CORPUS SIZE PATH   (SIZE in bytes; suffixes K, M)

The corpus's plain scripts (the rows of CORPUS/MANIFEST.tsv whose class is
"plain", in the manifest's order) are concatenated, again and again, until
SIZE.  In each copy every label is renamed (`:menu` becomes `:menu_c3` in
copy 3) while the gotos, menu items and `choose` defaults are left as they
are: they name labels that no longer exist, so the script holds tens of
thousands of findings per 10 MB, as a boot tree linted whole can.  A file
that does not end with a newline gets one.  The output is deterministic:
the same corpus and SIZE give the same bytes.
"""
import csv
import os
import re
import sys

# A label is a line whose first non-blank character is ':'; its name runs
# up to the next blank (or the end of the line).
LABEL = re.compile(rb"^([ \t]*):([^ \t\r\n]*)", re.M)


def parse_size(text):
    mult = 1
    if text[-1] in "kK":
        mult, text = 1024, text[:-1]
    elif text[-1] in "mM":
        mult, text = 1024 * 1024, text[:-1]
    return int(text) * mult


def plain_scripts(corpus):
    """The corpus's plain scripts, concatenated (bytes)."""
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    parts = []
    for r in rows:
        if r["class"] != "plain":
            continue
        with open(os.path.join(corpus, r["local_file"]), "rb") as f:
            data = f.read()
        if data and not data.endswith(b"\n"):
            data += b"\n"
        parts.append(data)
    return b"".join(parts)


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: gen_findings.py CORPUS SIZE PATH\n")
        return 2
    text = plain_scripts(sys.argv[1])
    if not text:
        sys.stderr.write("gen_findings.py: no plain script in %s\n"
                         % sys.argv[1])
        return 1
    size = parse_size(sys.argv[2])
    # Split once at the labels' ends; each copy only joins the pieces with
    # its own suffix.
    pieces = []
    last = 0
    for m in LABEL.finditer(text):
        pieces.append(text[last:m.end()])
        last = m.end()
    tail = text[last:]
    written = 0
    i = 0
    with open(sys.argv[3], "wb") as f:
        while written < size:
            data = (b"_c%d" % i).join(pieces) + (b"_c%d" % i) + tail \
                if pieces else text
            f.write(data)
            written += len(data)
            i += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
