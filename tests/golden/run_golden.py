#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Golden parse tests: testdata/parse/<case>.ipxe[.j2|.erb] + <case>.ast.

For each case, two checks, both byte for byte:
  ast     `DUMP --dump=ast CASE` equals <case>.ast
  source  `DUMP --dump=source CASE` equals the input itself

DUMP is tests/golden/parse_dump (the parser alone) or ipxe-lint; both print
the same thing.  With UPDATE_GOLDEN=1 in the environment a differing or
missing .ast file is rewritten instead (review the diff like code); the
source check can never be updated, the input is its own expectation.

usage: run_golden.py --dump PROGRAM CASE...       (CASE: a file or a folder)
Exit status 0 if every check passed, 1 otherwise.
"""
import argparse
import difflib
import os
import subprocess
import sys

SUFFIXES = (".ipxe.j2", ".ipxe.erb", ".ipxe")


def case_name(path):
    base = os.path.basename(path)
    for suffix in SUFFIXES:
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return None


def expand(paths):
    cases = []
    for path in paths:
        if os.path.isdir(path):
            for base in sorted(os.listdir(path)):
                if case_name(base) is not None:
                    cases.append(os.path.join(path, base))
        else:
            cases.append(path)
    return cases


def run_dump(dump, what, path):
    """stdout of the dump, or an error message (str) if it misbehaved."""
    proc = subprocess.run([dump, "--dump=" + what, path],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=60)
    # 0: clean; 1: the input has (parse or lint) findings.  Anything else
    # is a usage error or a crash.
    if proc.returncode not in (0, 1):
        return ("%s --dump=%s exited with status %d\n%s"
                % (os.path.basename(dump), what, proc.returncode,
                   proc.stderr.decode("utf-8", "replace")))
    return proc.stdout


def show_diff(want, got, want_name, got_name):
    lines = difflib.unified_diff(
        want.decode("latin-1").splitlines(True),
        got.decode("latin-1").splitlines(True),
        want_name, got_name, n=3)
    text = "".join(lines)
    if len(text) > 20000:
        text = text[:20000] + "\n... (diff cut)\n"
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")


def check_case(dump, path, update):
    name = case_name(path)
    failures = 0
    with open(path, "rb") as f:
        source = f.read()

    # 1. The tree, against the golden file.
    expected_path = os.path.join(os.path.dirname(path), name + ".ast")
    got = run_dump(dump, "ast", path)
    if isinstance(got, str):
        print("FAIL %s (ast): %s" % (name, got))
        failures += 1
    else:
        try:
            with open(expected_path, "rb") as f:
                want = f.read()
        except FileNotFoundError:
            want = None
        if want != got:
            if update:
                with open(expected_path, "wb") as f:
                    f.write(got)
                print("updated %s" % expected_path)
            else:
                if want is None:
                    print("FAIL %s (ast): %s is missing; run with "
                          "UPDATE_GOLDEN=1 and review it" % (name, expected_path))
                else:
                    print("FAIL %s (ast): the tree differs from %s"
                          % (name, expected_path))
                    show_diff(want, got, expected_path, "actual")
                failures += 1

    # 2. The source printed back from the tree, against the input.
    got = run_dump(dump, "source", path)
    if isinstance(got, str):
        print("FAIL %s (source): %s" % (name, got))
        failures += 1
    elif got != source:
        print("FAIL %s (source): --dump=source is not the input byte for byte"
              % name)
        show_diff(source, got, path, "reconstructed")
        failures += 1
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dump", required=True, help="parse_dump or ipxe-lint")
    ap.add_argument("cases", nargs="+")
    args = ap.parse_args()
    update = os.environ.get("UPDATE_GOLDEN") == "1"

    cases = expand(args.cases)
    if not cases:
        print("FAIL: no golden case found in %s" % " ".join(args.cases))
        return 1
    failed = 0
    for path in cases:
        if check_case(args.dump, path, update):
            failed += 1
    print("%d passed, %d failed" % (len(cases) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
