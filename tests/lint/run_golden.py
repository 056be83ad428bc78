#!/usr/bin/env python3
"""Golden tests for ipxe-lint: every testdata/lint/<case>.<ext> is linted and
the output compared byte for byte with <case>.expected.

A case may have <case>.args: extra command-line arguments, one line, split
on spaces.  The command run, from the project root, is

    ipxe-lint --no-config -f gcc [args] testdata/lint/<case>.<ext>

and the expected file holds its standard output, then a line "exit: N".
UPDATE_GOLDEN=1 rewrites the expected files instead: review the diff.

Usage: run_golden.py IPXE_LINT ROOT [CASE...]   (no CASE: all cases)
"""
import difflib
import os
import subprocess
import sys


def compare(rel, actual, expected_path):
    """Whether @actual equals the golden file @expected_path (written
    instead under UPDATE_GOLDEN=1, for review); else print the diff."""
    if os.environ.get("UPDATE_GOLDEN") == "1":
        with open(expected_path, "wb") as f:
            f.write(actual)
        return True
    try:
        with open(expected_path, "rb") as f:
            expected = f.read()
    except FileNotFoundError:
        print(f"{rel}: no {expected_path} (run with UPDATE_GOLDEN=1 and review)")
        return False
    if actual == expected:
        return True
    print(f"FAIL {rel}")
    diff = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(True),
        actual.decode("utf-8", "replace").splitlines(True),
        "expected", "actual")
    sys.stdout.writelines(diff)
    return False


def case_inputs(lint_dir):
    for name in sorted(os.listdir(lint_dir)):
        if name.endswith((".expected", ".args")) or name.startswith("."):
            continue
        yield name


def case_name(input_name):
    # "IPX2001-missing.ipxe.j2" -> "IPX2001-missing"
    return input_name.split(".", 1)[0]


def run_case(lint, root, input_name):
    lint_dir = os.path.join(root, "testdata", "lint")
    base = os.path.join(lint_dir, case_name(input_name))
    args = []
    if os.path.exists(base + ".args"):
        with open(base + ".args", encoding="utf-8") as f:
            args = f.read().split()
    rel = os.path.join("testdata", "lint", input_name)
    env = dict(os.environ)
    env.pop("IPXE_LINT_OPTS", None)
    env["NO_COLOR"] = "1"
    proc = subprocess.run([lint, "--no-config", "-f", "gcc"] + args + [rel],
                          cwd=root, env=env, capture_output=True, timeout=60)
    actual = proc.stdout + b"exit: %d\n" % proc.returncode
    if compare(rel, actual, base + ".expected"):
        return True
    if proc.stderr:
        print("stderr:", proc.stderr.decode("utf-8", "replace"))
    return False


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    lint, root = os.path.abspath(sys.argv[1]), sys.argv[2]
    lint_dir = os.path.join(root, "testdata", "lint")
    wanted = set(sys.argv[3:])
    inputs = [n for n in case_inputs(lint_dir)
              if not wanted or case_name(n) in wanted]
    if wanted and not inputs:
        print("no such case:", " ".join(sorted(wanted)))
        return 1
    failed = [n for n in inputs if not run_case(lint, root, n)]
    print(f"{len(inputs) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
