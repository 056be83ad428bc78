# SPDX-License-Identifier: MIT
"""docs/ipxe-lint.1 renders cleanly and keeps up with the program: every
option of --help, every format, directive, configuration key, environment
variable and exit status is in it."""
import os
import re
import shutil
import subprocess
import unittest

from clitest import ROOT, lint

PAGE = os.path.join(ROOT, "docs", "ipxe-lint.1")


def render():
    """The page as `man -l` shows it, as plain text."""
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="")
    if shutil.which("man"):
        p = subprocess.run(["man", "-l", PAGE], env=env, capture_output=True,
                           timeout=60)
    else:
        p = subprocess.run(["groff", "-man", "-Tutf8", PAGE], env=env,
                           capture_output=True, timeout=60)
    text = p.stdout.decode("utf-8", "replace")
    text = re.sub(".\b", "", text)              # overstrike bold/underline
    # undo hyphenation at line ends, then join wrapped lines
    text = text.replace("\u2010\n", "").replace("\u2010", "-")
    return p.returncode, p.stderr.decode(), text


class ManPageTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if not shutil.which("groff") and not shutil.which("man"):
            raise unittest.SkipTest("neither man nor groff is installed")
        cls.rc, cls.err, cls.text = render()
        cls.flat = re.sub(r"\s+", " ", cls.text)

    def test_renders_without_warnings(self):
        self.assertEqual(self.rc, 0, self.err)
        if shutil.which("groff"):
            p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", PAGE],
                               capture_output=True, timeout=60)
            self.assertEqual(p.stderr.decode(), "")

    def test_sections(self):
        for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS",
                        "FORMATS", "DIRECTIVES", "CONFIGURATION",
                        "ENVIRONMENT", "EXIT STATUS", "EXAMPLES",
                        "PRE-COMMIT", "SEE ALSO"):
            self.assertRegex(self.text, r"(?m)^%s$" % re.escape(section))

    def test_every_option_of_help(self):
        help_text = lint("--help").stdout.decode()
        longs = set(re.findall(r"(--[a-z][a-z-]+)", help_text))
        shorts = set(re.findall(r"^\s+(-[a-zA-Z]),", help_text, re.M))
        self.assertGreater(len(longs), 15)
        for opt in sorted(longs | shorts):
            with self.subTest(option=opt):
                self.assertRegex(self.flat, r"(?<![\w-])%s(?![\w-])"
                                 % re.escape(opt))

    def test_formats_directives_keys(self):
        words = ["tty", "gcc", "json", "sarif", "diff", "quiet",
                 "disable=", "external-vars=", "external-labels=",
                 "subscript", "platform=", "IPX1020",
                 ".ipxe-lint.conf", "failure-threshold", "allowed-hosts",
                 "require-https", "severity.", "IPXE_LINT_OPTS", "NO_COLOR",
                 "TERM", "dumb", ".pre-commit-hooks.yaml", "pre-commit install"]
        for w in words:
            with self.subTest(word=w):
                self.assertIn(w, self.flat)

    def test_exit_statuses(self):
        section = self.text.split("\nEXIT STATUS\n", 1)[1].split("\nEXAMPLES",
                                                                  1)[0]
        for code in "0123":
            self.assertRegex(section, r"(?m)^\s+%s\s+\S" % code)

    def test_version_matches(self):
        version = lint("--version").stdout.decode().split()[-1]
        self.assertIn("ipxekit %s" % version, self.text)


if __name__ == "__main__":
    unittest.main()
