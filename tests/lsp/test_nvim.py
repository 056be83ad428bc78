# SPDX-License-Identifier: MIT
"""A real editor: Debian's Neovim, headless, with the setup of
docs/editors.md (nvim_test.lua), drives ipxe-lint --lsp through its own
built-in client as a person does: diagnostics, definition, hover,
references, document symbols, completion, code actions (a fix and
"disable on this line"), incremental changes, UTF-16 positions on a line
with non-ASCII characters, semantic tokens (a raw request: Neovim 0.7 has
no client for them), and :qa shutting the server down with status 0.
nvim_test.lua records what Neovim saw; the expected values are computed
here from the script's text and from the command line (ipxe-lint -f json,
--fix).

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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lspclient  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LINT = os.environ.get("IPXE_LINT", "")

SCRIPT = """#!ipxe
:start
dhcp || goto failed
chian http://boot.example.net/menu.ipxe
menu Boot menu
item linux Linux
item shell Shell
choose --default linux target || goto failed
goto ${target}
:linux
echo "Loading h\u00e9\U0001F600" || goto failed
exit 0
:shell
shell
:failed
echo Failed
goto strat
"""
LINES = SCRIPT.split("\n")[:-1]
# the line with non-ASCII characters (1-based), where é is 2 bytes and 1
# UTF-16 unit, the emoji 4 bytes and 2 UTF-16 units
WIDE = 11

# completion at the end of lines 4, 5 and 6 (a command, a label, a setting)
COMPLETE = "#!ipxe\n:here\nset target 1\nch\ngoto \necho ${ta\n"


def line_of(needle):
    """The 1-based number of the first line holding needle."""
    return [i for i, l in enumerate(LINES) if needle in l][0] + 1


def bytecol(line, needle):
    """The 1-based byte column of needle in a line, as Neovim counts."""
    return len(line[:line.index(needle)].encode()) + 1


def utf16(s):
    return len(s.encode("utf-16-le")) // 2


def lint_json(path):
    return lspclient.lint_json(LINT, path)


class NeovimTest(unittest.TestCase):
    """One Neovim run (a second or two); each test checks one capability in
    what it recorded."""

    @classmethod
    def setUpClass(cls):
        if not shutil.which("nvim"):
            if os.environ.get("CI") == "true":
                raise AssertionError(
                    "nvim is not installed (scripts/deps editor)")
            raise unittest.SkipTest("nvim is not installed")
        cls.tmp = tempfile.mkdtemp(prefix="ipxe-nvim-test-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.script = os.path.join(cls.tmp, "boot.ipxe")
        with open(cls.script, "w", encoding="utf-8") as f:
            f.write(SCRIPT)
        with open(cls.script + ".j2", "w", encoding="utf-8") as f:
            f.write("#!ipxe\nkernel {{ kernel }}\n")
        comp = os.path.join(cls.tmp, "complete.ipxe")
        with open(comp, "w", encoding="utf-8") as f:
            f.write(COMPLETE)
        result = os.path.join(cls.tmp, "result.json")
        cls.exited = os.path.join(cls.tmp, "exited")
        env = dict(os.environ, IPXE_LINT=LINT, SCRIPT=cls.script,
                   RESULT=result, COMPLETE=comp, EXITED=cls.exited,
                   HOME=cls.tmp, XDG_CONFIG_HOME=cls.tmp,
                   XDG_DATA_HOME=cls.tmp, XDG_STATE_HOME=cls.tmp,
                   XDG_CACHE_HOME=cls.tmp)
        cls.nvim = subprocess.run(
            ["nvim", "--headless", "--clean", "-n", "-c",
             "luafile " + os.path.join(HERE, "nvim_test.lua")],
            env=env, capture_output=True, text=True, timeout=240,
            stdin=subprocess.DEVNULL, cwd=cls.tmp)
        if not os.path.exists(result):
            raise AssertionError("nvim wrote no result: %s %s"
                                 % (cls.nvim.stdout, cls.nvim.stderr))
        with open(result, encoding="utf-8") as f:
            cls.out = json.load(f)
        if os.environ.get("NVIM_TEST_DUMP"):
            print(json.dumps(cls.out, indent=1, ensure_ascii=False))

    def test_0_ran(self):
        self.assertTrue(self.out["ok"], self.out.get("error"))
        self.assertEqual(self.nvim.returncode, 0, self.nvim.stderr)

    def test_filetypes_and_one_server(self):
        self.assertEqual(self.out["filetype"], "ipxe")
        self.assertEqual(self.out["template_filetype"], "ipxe")
        # three buffers of one folder (the template, the script, the
        # completion file): one server
        self.assertEqual(self.out["clients"], 1)
        self.assertEqual(self.out["offset_encoding"], "utf-16")
        self.assertEqual(self.out["sync_change"], 2)  # incremental

    def test_diagnostics(self):
        out = self.out
        self.assertTrue(out["got_diagnostics"])
        # the same findings as the command line, where it puts them
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "boot.ipxe")
            with open(path, "w", encoding="utf-8") as f:
                f.write(SCRIPT)
            cli = lint_json(path)
        self.assertEqual([(d["lnum"] + 1, d["col"] + 1, d["code"])
                          for d in out["diagnostics"]],
                         sorted((f["line"], f["column"], f["code"])
                                for f in cli))
        by = {d["code"]: d for d in out["diagnostics"]}
        self.assertEqual(sorted(by), ["IPX1006", "IPX2001", "IPX2101"])
        self.assertEqual(by["IPX2001"]["lnum"] + 1, line_of("goto strat"))
        self.assertEqual(by["IPX2001"]["severity"], 1)  # ERROR
        self.assertEqual(by["IPX1006"]["severity"], 2)  # WARN
        self.assertEqual(by["IPX2101"]["source"], "ipxe-lint")
        self.assertIn("did you mean 'chain'?", by["IPX2101"]["message"])

    def test_utf16_positions(self):
        # the server counts UTF-16 units; Neovim turns them into bytes: the
        # quoted text on the wide line, from its opening quote to after its
        # closing one
        q = {d["code"]: d for d in self.out["diagnostics"]}["IPX1006"]
        line = LINES[WIDE - 1]
        self.assertEqual(q["lnum"] + 1, WIDE)
        self.assertEqual(q["col"] + 1, bytecol(line, '"'))
        self.assertEqual(q["end_col"], bytecol(line, '" ||'))
        self.assertNotEqual(len(line.encode()), utf16(line))
        # the cursor on 'failed' after the emoji, sent in UTF-16 units
        # (read as bytes it would be on 'goto' and go nowhere)
        self.assertEqual(self.out["utf16_from"],
                         [WIDE, bytecol(line, "failed") - 1])
        self.assertEqual(self.out["utf16_to"][0], line_of(":failed"))

    def test_definition_and_hover(self):
        out = self.out
        # the jump: from 'goto failed' on line 3 to ':failed'
        self.assertTrue(out["jumped"], out)
        self.assertEqual(out["from"][0], 3)
        self.assertEqual(out["to"][0], line_of(":failed"))
        self.assertEqual(out["to_line"], ":failed")
        self.assertIn("**IPX2101** `unknown-command`", out["hover"] or "")
        self.assertIn("## Why it breaks a boot", out["hover"] or "")

    def test_references(self):
        # vim.lsp.buf.references() on ':failed': the quickfix list
        want = [{"lnum": i + 1, "col": bytecol(l, "failed"), "text": l}
                for i, l in enumerate(LINES) if "failed" in l
                and not l.startswith("echo Failed")]
        self.assertEqual(len(want), 4)
        self.assertEqual(self.out["references"], want)

    def test_document_symbols(self):
        # vim.lsp.buf.document_symbol(): the quickfix list, flattened
        labels = [("Function", l[1:], i + 1, 2) for i, l in enumerate(LINES)
                  if l.startswith(":")]
        menu = [("Enum", "menu", line_of("menu Boot"), 1)]
        items = [("EnumMember", l.split()[1], i + 1, 6)
                 for i, l in enumerate(LINES) if l.startswith("item ")]
        self.assertEqual([{"lnum": n, "col": c, "text": "[%s] %s" % (k, s)}
                          for k, s, n, c in labels + menu + items],
                         self.out["symbols"])
        # the hierarchy: the menu holds its items
        self.assertEqual([(s["name"], s["kind"], s["line"] + 1,
                           s["children"]) for s in self.out["symbol_tree"]],
                         [("start", 12, 2, []), ("linux", 12, 10, []),
                          ("shell", 12, 13, []), ("failed", 12, 15, []),
                          ("menu", 10, 5, ["linux", "shell"])])

    def test_completion(self):
        got = self.out["completion"]
        self.assertEqual(got["command"], ["chain", "choose"])
        self.assertEqual(got["label"], ["here"])
        self.assertEqual(got["setting"], ["target"])

    def test_code_action_fix(self):
        out = self.out
        self.assertTrue(out["fix_picked"], out["fix_offered"])
        self.assertEqual([t for t in out["fix_offered"]
                          if t.startswith("Fix ")],
                         ["Fix IPX1006: iPXE has no quoting: 'echo' shows "
                          "the quote characters too"])
        self.assertTrue(out["fix_applied"])
        # the edit Neovim applied is the one --fix makes
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "boot.ipxe")
            with open(path, "w", encoding="utf-8") as f:
                f.write(SCRIPT)
            subprocess.run([LINT, "--fix", path], capture_output=True)
            with open(path, encoding="utf-8") as f:
                fixed = f.read().split("\n")
        self.assertEqual(out["fix_line"], fixed[WIDE - 1])
        self.assertEqual(out["fix_line"],
                         "echo Loading h\u00e9\U0001F600 || goto failed")
        self.assertTrue(out["fix_gone"])

    def test_code_action_disable(self):
        out = self.out
        self.assertTrue(out["disable_picked"], out["disable_offered"])
        self.assertIn("Disable IPX2001 (goto-unknown-label) on this line",
                      out["disable_offered"])
        self.assertEqual(out["disable_line"],
                         "goto strat # ipxe-lint disable=IPX2001")
        self.assertTrue(out["disable_gone"])

    def test_incremental_changes(self):
        out = self.out
        self.assertTrue(out["edit_mended"])
        self.assertTrue(out["edit_added"])
        # the buffer after the fix, the directive and the two edits
        want = list(LINES)
        want[WIDE - 1] = "echo Loading h\u00e9\U0001F600 || goto failed"
        want[-1] = "goto strat # ipxe-lint disable=IPX2001"
        want[3] = "chain http://boot.example.net/menu.ipxe"
        want.insert(2, "goto nowhere")
        self.assertEqual(out["final_lines"], want)
        # the server's copy, built from Neovim's incremental changes, is
        # that text: the same findings as the command line on it
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "boot.ipxe")
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(want) + "\n")
            cli = lint_json(path)
        self.assertEqual([(d["lnum"] + 1, d["col"] + 1, d["code"])
                          for d in out["final_diagnostics"]],
                         sorted((f["line"], f["column"], f["code"])
                                for f in cli))
        self.assertEqual([d["code"] for d in out["final_diagnostics"]],
                         ["IPX2001"])

    def test_semantic_tokens(self):
        out = self.out
        self.assertTrue(out["semantic_full"])
        legend = out["semantic_legend"]
        data = out["semantic_data"]
        self.assertEqual(len(data) % 5, 0)
        self.assertTrue(all(isinstance(x, int) and x >= 0 for x in data))
        self.assertEqual(out["semantic_lines"], LINES)
        toks = {}
        for line, ch, n, t, mods in lspclient.decode_tokens(data):
            self.assertEqual(mods, 0)
            units = LINES[line].encode("utf-16-le")
            self.assertLessEqual(ch + n, len(units) // 2)
            text = units[2 * ch:2 * (ch + n)].decode("utf-16-le")
            toks[(line, ch)] = (text, legend[t])
        at = {v[0]: v[1] for v in toks.values()}
        self.assertEqual(at["#!ipxe"], "comment")
        self.assertEqual(at["dhcp"], "function")
        self.assertEqual(at["||"], "operator")
        self.assertEqual(at[":start"], "label")
        self.assertEqual(at["--default"], "parameter")
        self.assertEqual(at["${target}"], "variable")
        self.assertEqual(at["http://boot.example.net/menu.ipxe"], "string")
        # after the emoji, in UTF-16 units
        wide = LINES[WIDE - 1]
        self.assertEqual(toks[(WIDE - 1, utf16(wide[:wide.index("failed")]))],
                         ("failed", "label"))

    def test_z_quit_shuts_the_server_down(self):
        # :qa: Neovim sent shutdown and exit, the server exited 0 (on_exit's
        # code and signal), once: one server for the three buffers
        self.assertEqual(self.nvim.returncode, 0, self.nvim.stderr)
        with open(self.exited, encoding="utf-8") as f:
            self.assertEqual(f.read(), "0 0\n")


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        LINT = os.path.abspath(sys.argv.pop(1))
    if not shutil.which("nvim") and os.environ.get("CI") != "true":
        print("skipped: nvim is not installed (scripts/deps editor)")
        sys.exit(77)
    unittest.main(verbosity=2)
