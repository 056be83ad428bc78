#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Run one module of ipxe-lint's command-line tests (tests/cli/test_*.py).

Usage: run.py IPXE_LINT ROOT MODULE [unittest args...]

IPXE_LINT is the built binary, ROOT the project root, MODULE a test module
of this folder without ".py" (test_cli, test_sarif, test_precommit,
test_manpage).  Prints "N passed, N failed, N skipped"; exits 0 when all
ran tests passed, 1 on a failure, 77 when every test was skipped (ctest's
SKIP_RETURN_CODE).  Under CI=true a skipped test fails the run: CI has
every tool installed (scripts/deps), so a skip there means one is missing.
"""
import os
import sys
import unittest


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    os.environ["IPXE_LINT"] = os.path.abspath(sys.argv[1])
    os.environ["IPXEKIT_ROOT"] = os.path.abspath(sys.argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    names = [sys.argv[3]] + [a for a in sys.argv[4:] if not a.startswith("-")]
    suite = unittest.defaultTestLoader.loadTestsFromNames(
        [names[0]] if len(names) == 1 else
        ["%s.%s" % (names[0], n) for n in names[1:]])
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    # a failing subTest counts once, for the test it belongs to
    failed = len({getattr(t, "test_case", t).id() for t, _ in
                  result.failures + result.errors} |
                 {t.id() for t in result.unexpectedSuccesses})
    # a skip in setUpClass skips the whole class without running a test:
    # it is listed in result.skipped but not counted in testsRun
    skipped = len({t.id() for t, _ in result.skipped})
    skipped_run = len({t.id() for t, _ in result.skipped
                       if isinstance(t, unittest.TestCase)})
    passed = result.testsRun - failed - skipped_run
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    if failed:
        return 1
    if skipped and os.environ.get("CI") == "true":
        # scripts/deps installs every tool these tests use: under CI a
        # skip is a missing install step, not a reason to pass
        for t, why in result.skipped:
            print(f"FAIL: {t.id()} skipped under CI=true: {why}")
        return 1
    if skipped and not passed:
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
