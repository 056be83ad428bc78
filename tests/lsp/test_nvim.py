# SPDX-License-Identifier: MIT
"""A real editor: Debian's Neovim, headless, with the setup of
docs/editors.md (nvim_test.lua), opens a script with a typo, reads
vim.diagnostic.get() and jumps to a label's definition.

usage: test_nvim.py IPXE_LINT
Without nvim the test is skipped (exit 77); under CI=true it fails.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
LINT = os.environ.get("IPXE_LINT", "")

SCRIPT = """#!ipxe
:start
dhcp || goto failed
chian http://boot.example.net/menu.ipxe
exit 0
:failed
echo Failed
goto strat
"""


class NeovimTest(unittest.TestCase):

    def setUp(self):
        if not shutil.which("nvim"):
            if os.environ.get("CI") == "true":
                self.fail("nvim is not installed (scripts/deps editor)")
            self.skipTest("nvim is not installed")
        self.tmp = tempfile.mkdtemp(prefix="ipxe-nvim-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_diagnostics_and_definition(self):
        script = os.path.join(self.tmp, "boot.ipxe")
        with open(script, "w", encoding="utf-8") as f:
            f.write(SCRIPT)
        with open(script + ".j2", "w", encoding="utf-8") as f:
            f.write("#!ipxe\nkernel {{ kernel }}\n")
        result = os.path.join(self.tmp, "result.json")
        env = dict(os.environ, IPXE_LINT=LINT, SCRIPT=script, RESULT=result,
                   HOME=self.tmp, XDG_CONFIG_HOME=self.tmp,
                   XDG_DATA_HOME=self.tmp, XDG_STATE_HOME=self.tmp,
                   XDG_CACHE_HOME=self.tmp)
        p = subprocess.run(["nvim", "--headless", "--clean", "-n", "-c",
                            "luafile " + os.path.join(HERE, "nvim_test.lua")],
                           env=env, capture_output=True, text=True,
                           timeout=120, stdin=subprocess.DEVNULL, cwd=self.tmp)
        self.assertTrue(os.path.exists(result),
                        "nvim wrote no result: %s %s" % (p.stdout, p.stderr))
        with open(result, encoding="utf-8") as f:
            out = json.load(f)
        self.assertTrue(out["ok"], out.get("error"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(out["filetype"], "ipxe")
        self.assertEqual(out["template_filetype"], "ipxe")
        self.assertTrue(out["got_diagnostics"])
        by = {d["code"]: d for d in out["diagnostics"]}
        # the typo'd command and the typo'd label, where ipxe-lint puts them
        want = subprocess.run([LINT, "-f", "json", script],
                              capture_output=True, text=True)
        cli = json.loads(want.stdout)["findings"]
        self.assertEqual(sorted((d["lnum"] + 1, d["col"] + 1, d["code"])
                                for d in out["diagnostics"]),
                         sorted((f["line"], f["column"], f["code"])
                                for f in cli))
        self.assertIn("IPX2001", by)
        self.assertEqual(by["IPX2001"]["lnum"], 7)
        self.assertEqual(by["IPX2001"]["severity"], 1)  # ERROR
        self.assertIn("chain", json.dumps(out["diagnostics"]))
        # the jump: from 'goto failed' on line 3 to ':failed' on line 6
        self.assertTrue(out["jumped"], out)
        self.assertEqual(out["from"][0], 3)
        self.assertEqual(out["to"][0], 6)
        self.assertEqual(out["to_line"], ":failed")
        self.assertIn("chain", out["hover"] or "")


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        LINT = os.path.abspath(sys.argv.pop(1))
    if not shutil.which("nvim") and os.environ.get("CI") != "true":
        print("skipped: nvim is not installed (scripts/deps editor)")
        sys.exit(77)
    unittest.main(verbosity=2)
