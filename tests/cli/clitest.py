# SPDX-License-Identifier: MIT
"""Helpers shared by ipxe-lint's command-line tests (see run.py)."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest

LINT = os.environ.get("IPXE_LINT", "")
ROOT = os.environ.get("IPXEKIT_ROOT", "")
HERE = os.path.dirname(os.path.abspath(__file__))

# `path:line:col: error|warning|note: message [IPXnnnn]`
GCC_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<sev>error|warning|note): (?P<msg>.*) \[(?P<code>IPX\d{4})\]$")

# Scripts used by many tests.  Each finding is named in a comment.
CLEAN = b"#!ipxe\necho hello\nexit 0\n"
# IPX2001 (error) at 2:6
BAD = b"#!ipxe\ngoto nowhere\nexit 0\n"
# IPX2001 error at 5:6, IPX2002 warning at 4:1, IPX2003 style at 2:1
MIXED = (b"#!ipxe\n"
         b":unused\n"
         b":twice\n"
         b":twice\n"
         b"goto nowhere\n")


def clean_env(**extra):
    """The environment ipxe-lint sees in a test: none of the variables that
    change its behaviour unless the test sets them."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("IPXE_LINT_OPTS", "NO_COLOR", "TERM", "CI")}
    env["TERM"] = "xterm"
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def lint(*args, stdin=None, env=None, cwd=None, timeout=120):
    """Run ipxe-lint; returns the CompletedProcess (bytes)."""
    return subprocess.run([LINT] + [str(a) for a in args], input=stdin,
                          env=env if env is not None else clean_env(),
                          cwd=cwd, capture_output=True, timeout=timeout)


def gcc_findings(out, path=None):
    """Parse gcc-format output into (path, line, col, sev, code) tuples."""
    found = []
    for raw in out.decode("utf-8", "replace").splitlines():
        m = GCC_LINE.match(raw)
        if not m:
            raise AssertionError("not a gcc-format line: %r" % raw)
        if path is None or m["path"] == path:
            found.append((m["path"], int(m["line"]), int(m["col"]), m["sev"],
                          m["code"]))
    return found


def codes(out):
    return sorted({f[4] for f in gcc_findings(out)})


def rules():
    """--list-rules as {code: (name, severity)}."""
    p = lint("--list-rules")
    table = {}
    for raw in p.stdout.decode().splitlines():
        parts = raw.split(None, 3)
        table[parts[0]] = (parts[1], parts[2])
    return table


def need_rule(test, code):
    """Fail @p test at once when the rule @p code is not built in: every
    rule a test names is in the build, a missing one is a regression (a
    skip would hide it)."""
    test.assertIn(code, rules(), "rule %s is not in this build" % code)


class TempDirTest(unittest.TestCase):
    """A test with a fresh temporary folder, self.tmp."""

    def setUp(self):
        if not LINT or not os.access(LINT, os.X_OK):
            self.fail("IPXE_LINT is not an executable: %r" % LINT)
        self.tmp = tempfile.mkdtemp(prefix="ipxe-lint-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def write(self, rel, data):
        path = os.path.join(self.tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return path

    def lint_in(self, *args, **kw):
        """ipxe-lint run in self.tmp (relative paths are the test's)."""
        kw.setdefault("cwd", self.tmp)
        return lint(*args, **kw)
