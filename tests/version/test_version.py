#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""One version number: CMakeLists.txt's project(VERSION), the top entry of
debian/changelog, NEWS.md's newest heading and each tool's --version agree.

Usage: test_version.py ROOT IPXE_LINT IPXE_RENDER IPXE_UPLOAD
"""
import re
import subprocess
import sys
import unittest

ROOT, TOOLS = "", []


def cmake_version():
    with open(ROOT + "/CMakeLists.txt") as f:
        m = re.search(r"project\(\s*ipxekit\s+VERSION\s+([0-9.]+)", f.read())
    return m.group(1)


class Version(unittest.TestCase):
    def test_cmake(self):
        self.assertRegex(cmake_version(), r"^\d+\.\d+\.\d+$")

    def test_debian_changelog(self):
        with open(ROOT + "/debian/changelog") as f:
            first = f.readline()
        m = re.match(r"^ipxekit \(([^)]+)\) ", first)
        self.assertTrue(m, "not a changelog entry: %r" % first)
        # native (0.1.0) or with a Debian revision (0.1.0-1)
        self.assertEqual(m.group(1).split("-")[0], cmake_version())

    def test_news(self):
        with open(ROOT + "/NEWS.md") as f:
            heading = re.search(r"^## .*?(\d+\.\d+\.\d+)", f.read(), re.M)
        self.assertEqual(heading.group(1), cmake_version())

    def test_hook_snippets_name_the_release(self):
        # the pre-commit snippets pin a release tag: v<version>, the tag
        # each release gets (NEWS.md), never one that does not exist
        want = "v" + cmake_version()
        seen = 0
        for rel in ("README.md", ".pre-commit-hooks.yaml", "docs/ci.md"):
            with open(ROOT + "/" + rel) as f:
                for rev in re.findall(r"^\s*#?\s*rev:\s*(\S+)", f.read(),
                                      re.M):
                    seen += 1
                    self.assertEqual(rev, want, rel)
        self.assertGreaterEqual(seen, 3)

    def test_tools(self):
        for tool in TOOLS:
            p = subprocess.run([tool, "--version"], capture_output=True,
                               text=True, timeout=30)
            self.assertEqual(p.returncode, 0, tool)
            words = p.stdout.split()
            self.assertTrue(words, tool)
            self.assertEqual(words[-1], cmake_version(),
                             "%s --version: %r" % (tool, p.stdout))


if __name__ == "__main__":
    ROOT, TOOLS = sys.argv[1], sys.argv[2:5]
    unittest.main(argv=sys.argv[:1])
