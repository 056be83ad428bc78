#!/usr/bin/env python3
"""Golden tests for ipxe-lint's tree mode: every folder testdata/tree/<case>/
is a tree of scripts, linted as one, and the output compared byte for byte
with testdata/tree/<case>.expected.

A case may have testdata/tree/<case>.args: the arguments, one line, split on
spaces, where {dir} stands for the case's folder.  Without it the command
run, from the project root, is

    ipxe-lint -f gcc --no-config --tree testdata/tree/<case>

(with it: ipxe-lint -f gcc ARGS, so that a case can read the .ipxe-lint.conf
in its folder, as a pre-commit hook does).  The expected file holds the
standard output, then a line "exit: N".  UPDATE_GOLDEN=1 rewrites the
expected files instead: review the diff.

Usage: run_tree_golden.py IPXE_LINT ROOT [CASE...]   (no CASE: all cases)
"""
import os
import subprocess
import sys

import run_golden  # noqa: E402 (beside this file)


def run_case(lint, root, case):
    tree_dir = os.path.join(root, "testdata", "tree")
    base = os.path.join(tree_dir, case)
    rel = os.path.join("testdata", "tree", case)
    args = ["--no-config", "--tree", rel]
    if os.path.exists(base + ".args"):
        with open(base + ".args", encoding="utf-8") as f:
            args = [a.replace("{dir}", rel) for a in f.read().split()]
    env = dict(os.environ)
    env.pop("IPXE_LINT_OPTS", None)
    env["NO_COLOR"] = "1"
    proc = subprocess.run([lint, "-f", "gcc"] + args, cwd=root, env=env,
                          capture_output=True, timeout=60)
    actual = proc.stdout + proc.stderr + b"exit: %d\n" % proc.returncode
    return run_golden.compare(rel, actual, base + ".expected")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    lint, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    tree_dir = os.path.join(root, "testdata", "tree")
    cases = sorted(n for n in os.listdir(tree_dir)
                   if os.path.isdir(os.path.join(tree_dir, n)))
    wanted = set(sys.argv[3:])
    if wanted:
        cases = [c for c in cases if c in wanted]
        if not cases:
            print("no such case:", " ".join(sorted(wanted)))
            return 1
    failed = [c for c in cases if not run_case(lint, root, c)]
    print(f"{len(cases) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
