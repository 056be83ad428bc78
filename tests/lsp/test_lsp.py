# SPDX-License-Identifier: MIT
"""ipxe-lint --lsp driven as an editor drives it (lspclient.py, standard
library only): every capability, garbage, cancellation and the shutdown
sequence.

usage: test_lsp.py IPXE_LINT   (or IPXE_LINT in the environment)
"""
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lspclient  # noqa: E402
from lspclient import Client  # noqa: E402

LINT = os.environ.get("IPXE_LINT", "")

MENU = """#!ipxe
# the boot menu
:start
dhcp || goto failed
set base http://boot.example.net
menu --name main Boot menu
item --menu main linux Linux
item --menu main shell Shell
choose --menu main --default linux target || goto failed
goto ${target}
:linux
kernel ${base}/vmlinuz ip=${ip}
boot || goto failed
:shell
shell
:failed
echo Failed
goto strat
"""

QUOTED = '#!ipxe\necho "Booting the installer"\necho \'Loading\'\nexit 0\n'


def utf16_len(s):
    return len(s.encode("utf-16-le")) // 2


def pos(text, needle, nth=0, delta=0, utf8=False):
    """The LSP position of the nth occurrence of needle (+ delta chars)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    start = text.rfind("\n", 0, at) + 1
    part = text[start:at]
    ch = len(part.encode()) if utf8 else utf16_len(part)
    return {"line": line, "character": ch}


def offset(text, p, utf8=False):
    """The string index of an LSP position."""
    lines = text.split("\n")
    base = sum(len(x) + 1 for x in lines[:p["line"]])
    line = lines[p["line"]] if p["line"] < len(lines) else ""
    n = 0
    for i, c in enumerate(line):
        if n >= p["character"]:
            return base + i
        n += len(c.encode()) if utf8 else utf16_len(c)
    return base + len(line)


def apply_edits(text, edits, utf8=False):
    spans = sorted(((offset(text, e["range"]["start"], utf8),
                     offset(text, e["range"]["end"], utf8), e["newText"])
                    for e in edits), reverse=True)
    for a, b, t in spans:
        text = text[:a] + t + text[b:]
    return text


def lint_json(path, cwd):
    return lspclient.lint_json(LINT, path, cwd)


SEV = {"error": 1, "warning": 2, "info": 3, "style": 4}


class LspTest(unittest.TestCase):

    def setUp(self):
        if not LINT or not os.access(LINT, os.X_OK):
            self.fail("IPXE_LINT is not an executable: %r" % LINT)
        self.tmp = tempfile.mkdtemp(prefix="ipxe-lsp-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.c = Client(LINT, cwd=self.tmp)
        self.addCleanup(self.c.close)

    def uri(self, name):
        return "file://" + os.path.join(self.tmp, name)

    def write(self, name, text):
        with open(os.path.join(self.tmp, name), "w", encoding="utf-8") as f:
            f.write(text)
        return os.path.join(self.tmp, name)

    def opened(self, name, text, **init):
        self.c.initialize(**init)
        uri = self.uri(name)
        self.c.open(uri, text)
        return uri, self.c.diagnostics(uri)["diagnostics"]

    # ---- life cycle

    def test_capabilities_and_position_encoding(self):
        caps = self.c.initialize()["capabilities"]
        self.assertEqual(caps["positionEncoding"], "utf-16")
        self.assertEqual(caps["textDocumentSync"]["change"], 2)
        for k in ("hoverProvider", "definitionProvider", "referencesProvider",
                  "documentSymbolProvider"):
            self.assertTrue(caps[k], k)
        self.assertIn("completionProvider", caps)
        self.assertIn("quickfix", caps["codeActionProvider"]["codeActionKinds"])
        self.assertTrue(caps["semanticTokensProvider"]["full"])
        other = Client(LINT)
        self.addCleanup(other.close)
        caps = other.initialize(encodings=["utf-8", "utf-16"])["capabilities"]
        self.assertEqual(caps["positionEncoding"], "utf-8")

    def test_shutdown_then_exit_is_0(self):
        self.c.initialize()
        r, status = self.c.shutdown_and_exit()
        self.assertIsNone(r["result"])
        self.assertEqual(status, 0)

    def test_exit_without_shutdown_is_1(self):
        self.c.initialize()
        self.c.notify("exit")
        self.assertEqual(self.c.p.wait(10), 1)

    def test_closed_input_is_1(self):
        self.c.initialize()
        self.c.p.stdin.close()
        self.assertEqual(self.c.p.wait(10), 1)

    def test_requests_after_shutdown_are_refused(self):
        self.c.initialize()
        self.c.result("shutdown")
        r = self.c.request("textDocument/hover", {
            "textDocument": {"uri": "file:///x"},
            "position": {"line": 0, "character": 0}})
        self.assertEqual(r["error"]["code"], -32600)
        self.c.notify("exit")
        self.assertEqual(self.c.p.wait(10), 0)

    def test_request_before_initialize(self):
        r = self.c.request("textDocument/hover", {})
        self.assertEqual(r["error"]["code"], -32002)
        self.c.initialize()

    # ---- robustness

    def test_garbage_gets_errors_and_the_server_goes_on(self):
        self.c.initialize()
        c = self.c
        # not JSON
        c.send_raw(b"Content-Length: 9\r\n\r\n{not json")
        self.assertEqual(c.wait_for(lambda m: "error" in m)["error"]["code"],
                         -32700)
        # a header without Content-Length
        c.send_raw(b"Content-Type: x\r\n\r\n")
        self.assertEqual(c.wait_for(lambda m: "error" in m)["error"]["code"],
                         -32700)
        # a body larger than the server takes: the header is dropped
        c.send_raw(b"Content-Length: 99999999999\r\n\r\n")
        self.assertEqual(c.wait_for(lambda m: "error" in m)["error"]["code"],
                         -32700)
        # JSON but not a message
        for body in (b"[1,2]", b"42", b'{"jsonrpc":"2.0","id":{}}',
                     b'{"jsonrpc":"2.0","id":7}',
                     b'{"jsonrpc":"2.0","id":8,"method":12}'):
            c.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.assertEqual(
                c.wait_for(lambda m: "error" in m)["error"]["code"], -32600,
                body)
        # a string with a lone surrogate, bad UTF-8, deep nesting
        for body in (b'{"a":"\\ud800"}', b'{"a":"\xff"}', b"[" * 100000):
            c.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.assertEqual(
                c.wait_for(lambda m: "error" in m)["error"]["code"], -32700)
        # an unknown method
        r = c.request("textDocument/frobnicate", {})
        self.assertEqual(r["error"]["code"], -32601)
        # bad params
        r = c.request("textDocument/hover", {"textDocument": {"uri": 3}})
        self.assertEqual(r["error"]["code"], -32602)
        r = c.request("textDocument/hover", [])
        self.assertEqual(r["error"]["code"], -32602)
        # an unknown notification is ignored, a string id is echoed
        c.notify("$/setTrace", {"value": "off"})
        c.send({"jsonrpc": "2.0", "id": "abc", "method": "shutdown"})
        self.assertEqual(c.wait_for(lambda m: m.get("id") == "abc")
                         ["result"], None)
        c.notify("exit")
        self.assertEqual(c.p.wait(10), 0)

    def test_cancel_request(self):
        uri, _ = self.opened("m.ipxe", MENU)
        hover = {"jsonrpc": "2.0", "id": 900, "method": "textDocument/hover",
                 "params": {"textDocument": {"uri": uri},
                            "position": {"line": 3, "character": 1}}}
        cancel = {"jsonrpc": "2.0", "method": "$/cancelRequest",
                  "params": {"id": 900}}
        raw = b""
        for m in (hover, cancel):
            body = json.dumps(m).encode()
            raw += b"Content-Length: %d\r\n\r\n" % len(body) + body
        self.c.send_raw(raw)
        r = self.c.response(900)
        self.assertEqual(r["error"]["code"], -32800)
        # a later request is answered
        self.assertIsNotNone(self.c.result("textDocument/hover", hover[
            "params"]))

    # ---- diagnostics

    def cli_vs_lsp(self, name, text, conf=None):
        if conf is not None:
            self.write(".ipxe-lint.conf", conf)
        path = self.write(name, text)
        uri = self.uri(name)
        self.c.open(uri, text)
        got = self.c.diagnostics(uri)["diagnostics"]
        want = lint_json(path, self.tmp)
        self.assertEqual(
            [(d["code"], d["range"]["start"]["line"] + 1,
              d["range"]["start"]["character"] + 1,
              d["range"]["end"]["line"] + 1,
              d["range"]["end"]["character"] + 1, d["severity"])
             for d in got],
            [(f["code"], f["line"], f["column"], f["endLine"],
              f["endColumn"], SEV[f["severity"]]) for f in want])
        return got

    def test_same_findings_as_the_cli(self):
        self.c.initialize()
        got = self.cli_vs_lsp("menu.ipxe", MENU)
        self.assertIn("IPX2001", [d["code"] for d in got])
        # a configuration found from the document's path
        got = self.cli_vs_lsp("conf.ipxe", MENU,
                              conf="disable = IPX2001\nseverity = warning\n")
        self.assertNotIn("IPX2001", [d["code"] for d in got])
        # a template, by its name
        got = self.cli_vs_lsp("menu.ipxe.j2",
                              "#!ipxe\nkernel {{ kernel }}\ngoto {{ x }\n")
        os.unlink(os.path.join(self.tmp, ".ipxe-lint.conf"))
        got = self.cli_vs_lsp("q.ipxe", QUOTED)
        self.assertEqual([d["code"] for d in got], ["IPX1006", "IPX1006"])

    def test_tree_mode_from_the_configuration(self):
        # two menus set ${server} and chain sub.ipxe: in the tree it is
        # set on every path; alone, it would be undefined (IPX2205)
        self.write(".ipxe-lint.conf", "tree = .\n")
        for name in ("menu.ipxe", "rescue.ipxe"):
            self.write(name, "#!ipxe\ndhcp || exit 1\n"
                       "set server http://boot.example.net\n"
                       "chain sub.ipxe || exit 1\n")
        sub = "#!ipxe\nkernel ${server}/linux console=${consol}\nboot\n"
        self.write("sub.ipxe", sub)
        self.c.initialize()
        got = self.cli_vs_lsp("sub.ipxe", sub)
        msgs = [d["message"] for d in got if d["code"] == "IPX2205"]
        self.assertEqual(len(msgs), 1, got)
        self.assertIn("${consol}", msgs[0])
        # the editor's unsaved text is what the tree reads for this file:
        # a typo in the menu's chain makes sub.ipxe unreached
        uri = self.uri("menu.ipxe")
        menu = ("#!ipxe\ndhcp || exit 1\nset server http://x\n"
                "chain sbu.ipxe || exit 1\n")
        self.c.open(uri, menu)
        codes = [d["code"] for d in self.c.diagnostics(uri)["diagnostics"]]
        self.assertIn("IPX2320", codes)  # chain-target-missing
        # (on disk, menu.ipxe chains sub.ipxe, which is there)
        self.assertEqual(
            [f["code"] for f in lint_json(os.path.join(self.tmp, "menu.ipxe"),
                                          self.tmp)
             if f["code"] == "IPX2320"], [])

    def test_a_bad_configuration_is_shown(self):
        self.write(".ipxe-lint.conf", "no equals sign\n")
        uri, diags = self.opened("m.ipxe", MENU)
        self.assertIn(".ipxe-lint.conf:1", diags[0]["message"])
        self.assertEqual(diags[0]["severity"], 1)

    def test_diagnostic_fields(self):
        text = ("#!ipxe\nmenu Boot\nitem linux Linux\nitem nowhere Nowhere\n"
                "choose target || exit 1\ngoto ${target}\n:linux\n:linux\n"
                "exit 0\n")
        uri, diags = self.opened("d.ipxe", text)
        by = {d["code"]: d for d in diags}
        item = by["IPX2006"]
        self.assertEqual(item["severity"], 1)
        self.assertEqual(item["source"], "ipxe-lint")
        self.assertTrue(item["codeDescription"]["href"].endswith(
            "/docs/rules/IPX2006.md"))
        rel = item["relatedInformation"]
        self.assertEqual(rel[0]["message"], "the menu this item belongs to")
        self.assertEqual(rel[0]["location"]["range"]["start"],
                         pos(text, "menu Boot"))
        self.assertEqual(rel[0]["location"]["uri"], uri)
        dup = by["IPX2002"]
        self.assertEqual(dup["severity"], 2)
        self.assertEqual([r["location"]["range"]["start"]
                          for r in dup["relatedInformation"]
                          if "also defined" in r["message"]],
                         [pos(text, ":linux", delta=1)])

    def test_incremental_changes_and_utf16(self):
        uri, diags = self.opened("m.ipxe", MENU)
        self.assertIn("IPX2001", [d["code"] for d in diags])
        # strat -> start, by a range edit
        p = pos(MENU, "goto strat", delta=5)
        end = dict(p, character=p["character"] + 5)
        self.c.change(uri, 2, [{"range": {"start": p, "end": end},
                                "text": "start"}])
        d = self.c.diagnostics(uri)
        self.assertEqual(d["version"], 2)
        self.assertNotIn("IPX2001", [x["code"] for x in d["diagnostics"]])
        # a line with characters outside the BMP before a finding
        text = '#!ipxe\necho "h\u00e9\U0001F600"\nexit 0\n'
        self.c.change(uri, 3, [{"text": text}])
        d = self.c.diagnostics(uri)["diagnostics"]
        q = [x for x in d if x["code"] == "IPX1006"][0]
        self.assertEqual(q["range"]["start"], {"line": 1, "character": 5})
        # "h", "é", and the emoji as two UTF-16 units, then two quotes
        self.assertEqual(q["range"]["end"], {"line": 1, "character": 11})
        # an edit after the emoji, in UTF-16 units
        self.c.change(uri, 4, [{"range": {
            "start": {"line": 1, "character": 10},
            "end": {"line": 1, "character": 11}}, "text": ""}])
        self.c.change(uri, 5, [{"range": {
            "start": {"line": 1, "character": 5},
            "end": {"line": 1, "character": 6}}, "text": ""}])
        d = self.c.diagnostics_of(uri, 5)
        self.assertEqual(d["diagnostics"], [])

    def test_utf8_positions_when_offered(self):
        text = '#!ipxe\necho "h\u00e9\U0001F600"\nexit 0\n'
        uri, d = self.opened("u.ipxe", text, encodings=["utf-8"])
        q = [x for x in d if x["code"] == "IPX1006"][0]
        self.assertEqual(q["range"]["end"], {"line": 1, "character": 14})
        self.c.change(uri, 2, [{"range": {
            "start": {"line": 1, "character": 13},
            "end": {"line": 1, "character": 14}}, "text": ""}])
        self.c.change(uri, 3, [{"range": {
            "start": {"line": 1, "character": 5},
            "end": {"line": 1, "character": 6}}, "text": ""}])
        self.assertEqual(self.c.diagnostics_of(uri, 3)["diagnostics"], [])

    def test_changes_are_debounced(self):
        uri, _ = self.opened("m.ipxe", MENU)
        raw = b""
        for v in range(2, 42):
            body = json.dumps({
                "jsonrpc": "2.0", "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": uri, "version": v},
                           "contentChanges": [{"text": MENU + "#" * v}]}
            }).encode()
            raw += b"Content-Length: %d\r\n\r\n" % len(body) + body
        self.c.send_raw(raw)
        d = self.c.diagnostics_of(uri, 41)
        # forty changes in one burst: linted once (or a few times, when the
        # server woke up while the burst was still being written), never
        # once a change
        pushed = [m for m in self.c.pending
                  if m.get("method") == "textDocument/publishDiagnostics"]
        self.assertLessEqual(len(pushed), 3, [m["params"]["version"]
                                              for m in pushed])
        self.c.pending = [m for m in self.c.pending if m not in pushed]
        self.c.result("textDocument/documentSymbol",
                      {"textDocument": {"uri": uri}})
        self.assertEqual([m for m in self.c.pending
                          if m.get("method") ==
                          "textDocument/publishDiagnostics"], [])

    def test_close_clears(self):
        uri, _ = self.opened("m.ipxe", MENU)
        self.c.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        self.assertEqual(self.c.diagnostics(uri)["diagnostics"], [])
        r = self.c.request("textDocument/hover", {
            "textDocument": {"uri": uri},
            "position": {"line": 0, "character": 0}})
        self.assertEqual(r["error"]["code"], -32602)

    # ---- hover

    def hover(self, uri, p):
        r = self.c.result("textDocument/hover",
                          {"textDocument": {"uri": uri}, "position": p})
        return r["contents"]["value"] if r else None

    def test_hover(self):
        uri, _ = self.opened("m.ipxe", MENU)
        h = self.hover(uri, pos(MENU, "dhcp", delta=1))
        self.assertIn("dhcp [<interface>...]", h)
        self.assertIn("--timeout <timeout_ms>", h)
        self.assertIn("another name for `ifconf`", h)
        self.assertIn("Configures the interfaces", h)
        h = self.hover(uri, pos(MENU, "--default", delta=3))
        self.assertIn("choose", h)
        self.assertIn("-d, --default <", h)
        h = self.hover(uri, pos(MENU, "${base}", delta=3))
        self.assertIn("setting `base`", h)
        self.assertIn("Set on line 5", h)
        self.c.change(uri, 2, [{"text": MENU + "set n:uint8 3\necho ${n}\n"}])
        h = self.hover(uri, pos(MENU + "set n:uint8 3\necho ${n}\n", "${n}",
                                delta=2))
        self.assertIn("Stored as `uint8` on line 19", h)
        self.c.change(uri, 3, [{"text": MENU}])
        h = self.hover(uri, pos(MENU, "${ip}", delta=3))
        self.assertIn("type `ipv4`", h)
        # a finding: its rule's page
        h = self.hover(uri, pos(MENU, "strat", delta=1))
        self.assertIn("IPX2001", h)
        self.assertIn("## Why it breaks a boot", h)
        # a label: where it is, what names it
        h = self.hover(uri, pos(MENU, ":failed", delta=2))
        self.assertIn("label `failed`", h)
        self.assertIn("Defined on line 16.", h)
        self.assertIn("Named on line 4, 9, 13.", h)
        # nothing to say on a comment
        self.assertIsNone(self.hover(uri, pos(MENU, "the boot menu")))

    def test_every_command_has_its_hover(self):
        self.c.initialize()
        uri = self.uri("h.ipxe")
        self.c.open(uri, "#!ipxe\n")
        r = self.c.result("textDocument/completion", {
            "textDocument": {"uri": uri},
            "position": {"line": 1, "character": 0}})
        names = [i["label"] for i in r["items"]]
        self.assertGreater(len(names), 80)
        text = "#!ipxe\n" + "".join(n + "\n" for n in names)
        self.c.change(uri, 2, [{"text": text}])
        for i, name in enumerate(names):
            h = self.hover(uri, {"line": i + 1, "character": 0})
            self.assertIsNotNone(h, name)
            # the usage (after any finding on the line), then a sentence
            # of what it does
            self.assertRegex(h, r"```\n%s [^\n]*\n```\n\n[A-Z][^\n]+\.\n"
                             % re.escape(name), name)

    # ---- definition, references, symbols

    def definition(self, uri, p):
        r = self.c.result("textDocument/definition",
                          {"textDocument": {"uri": uri}, "position": p})
        return [x["range"]["start"] for x in r or []]

    def test_definition(self):
        uri, _ = self.opened("m.ipxe", MENU)
        failed = pos(MENU, ":failed", delta=1)
        linux = pos(MENU, ":linux", delta=1)
        shell = pos(MENU, ":shell", delta=1)
        self.assertEqual(self.definition(uri, pos(MENU, "goto failed",
                                                  delta=6)), [failed])
        self.assertEqual(self.definition(uri, pos(MENU, "--default linux",
                                                  delta=11)), [linux])
        self.assertEqual(self.definition(uri, pos(MENU, "main linux",
                                                  delta=6)), [linux])
        # goto ${target}: the labels of the items choose can store there
        self.assertEqual(self.definition(uri, pos(MENU, "goto ${target}",
                                                  delta=8)), [linux, shell])
        # a setting: its set line
        self.assertEqual(self.definition(uri, pos(MENU, "${base}", delta=3)),
                         [pos(MENU, "set base", delta=4)])
        self.assertEqual(self.definition(uri, pos(MENU, "#!ipxe")), [])
        # --default=NAME, the value inside the option's word
        text = MENU.replace("--default linux", "--default=linux")
        self.c.change(uri, 2, [{"text": text}])
        self.assertEqual(self.definition(uri, pos(text, "--default=linux",
                                                  delta=12)),
                         [pos(text, ":linux", delta=1)])

    def test_references(self):
        uri, _ = self.opened("m.ipxe", MENU)
        p = pos(MENU, ":failed", delta=2)
        r = self.c.result("textDocument/references", {
            "textDocument": {"uri": uri}, "position": p,
            "context": {"includeDeclaration": True}})
        starts = [x["range"]["start"] for x in r]
        self.assertEqual(starts, [pos(MENU, "failed", n) for n in range(4)])
        r = self.c.result("textDocument/references", {
            "textDocument": {"uri": uri}, "position": p,
            "context": {"includeDeclaration": False}})
        self.assertEqual(len(r), 3)
        r = self.c.result("textDocument/references", {
            "textDocument": {"uri": uri},
            "position": pos(MENU, "${base}", delta=3),
            "context": {"includeDeclaration": True}})
        self.assertEqual([x["range"]["start"] for x in r],
                         [pos(MENU, "set base", delta=4),
                          pos(MENU, "${base}", delta=2)])

    def test_document_symbols(self):
        uri, _ = self.opened("m.ipxe", MENU)
        r = self.c.result("textDocument/documentSymbol",
                          {"textDocument": {"uri": uri}})
        names = [(s["name"], s["kind"]) for s in r]
        self.assertEqual(names, [("start", 12), ("linux", 12), ("shell", 12),
                                 ("failed", 12), ("main", 10)])
        menu = r[-1]
        self.assertEqual(menu["detail"], "Boot menu")
        self.assertEqual([c["name"] for c in menu["children"]],
                         ["linux", "shell"])
        self.assertEqual(menu["selectionRange"]["start"],
                         pos(MENU, "menu --name"))

    def test_json_escapes_in_a_document(self):
        # every one-character escape of JSON, \/ too (json.dumps() writes
        # all but that one), decoded into the document's text
        text = '#!ipxe\r\n:q"b\\s/t\n:w1\fecho\n:w2\bz\tx\n'
        self.c.initialize()
        uri = self.uri("e.ipxe")
        body = json.dumps({
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "ipxe",
                                        "version": 1, "text": text}},
        }).replace("/", "\\/").encode()
        self.c.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        r = self.c.result("textDocument/documentSymbol",
                          {"textDocument": {"uri": uri}})
        self.assertEqual([s["name"] for s in r], ['q"b\\s/t', "w1", "w2\bz"])

    # ---- completion

    def complete(self, text, where):
        uri = self.uri("c.ipxe")
        self.c.change(uri, 2, [{"text": text}])
        p = pos(text, where, delta=len(where))
        r = self.c.result("textDocument/completion",
                          {"textDocument": {"uri": uri}, "position": p})
        return [i["label"] for i in r["items"]]

    def test_completion(self):
        self.c.initialize()
        self.c.open(self.uri("c.ipxe"), "#!ipxe\n")
        base = "#!ipxe\n:here\nset x 1\n"
        got = self.complete(base + "ch", "ch")
        self.assertIn("chain", got)
        self.assertIn("choose", got)
        got = self.complete(base + "dhcp || ch", "|| ch")
        self.assertIn("chain", got)
        got = self.complete(base + "kernel --", "--")
        self.assertIn("--timeout", got)
        self.assertIn("--autofree", got)
        self.assertNotIn("chain", got)
        got = self.complete(base + "goto ", "goto ")
        self.assertEqual(got, ["here"])
        got = self.complete(base + "choose --default ", "--default ")
        self.assertEqual(got, ["here"])
        got = self.complete(base + "echo ${", "${")
        self.assertIn("x", got)
        self.assertIn("ip", got)
        self.assertIn("mac", got)
        got = self.complete(base + "echo ${ip:", "${ip:")
        self.assertIn("ipv4", got)
        self.assertIn("hexhyp", got)
        self.assertNotIn("ip", got)

    # ---- code actions

    def actions(self, uri, text, only=None, where=None):
        start = {"line": 0, "character": 0}
        end = {"line": text.count("\n"), "character": 0}
        if where:
            start = end = pos(text, where)
        ctx = {"diagnostics": []}
        if only:
            ctx["only"] = only
        return self.c.result("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": {"start": start, "end": end}, "context": ctx})

    def test_code_actions_are_the_fixes_of_the_cli(self):
        path = self.write("q.ipxe", QUOTED)
        uri, _ = self.opened("q.ipxe", QUOTED)
        acts = self.actions(uri, QUOTED, only=["quickfix"])
        fixes = [a for a in acts if a["title"].startswith("Fix IPX1006")]
        self.assertEqual(len(fixes), 2)
        self.assertTrue(all(a.get("isPreferred") for a in fixes))
        self.assertEqual(fixes[0]["diagnostics"][0]["code"], "IPX1006")
        edits = [e for a in fixes for e in a["edit"]["changes"][uri]]
        by_hand = apply_edits(QUOTED, edits)
        subprocess.run([LINT, "--fix", path], capture_output=True)
        with open(path, encoding="utf-8") as f:
            fixed = f.read()
        self.assertEqual(by_hand, fixed)
        # fix-all: the same text
        acts = self.actions(uri, QUOTED, only=["source.fixAll"])
        self.assertEqual(len(acts), 1)
        self.assertEqual(apply_edits(QUOTED, acts[0]["edit"]["changes"][uri]),
                         fixed)

    def test_disable_on_this_line(self):
        uri, diags = self.opened("m.ipxe", MENU)
        acts = self.actions(uri, MENU, where="strat")
        dis = [a for a in acts if a["title"].startswith("Disable IPX2001")]
        self.assertEqual(len(dis), 1)
        text = apply_edits(MENU, dis[0]["edit"]["changes"][uri])
        self.assertIn("goto strat # ipxe-lint disable=IPX2001\n", text)
        self.c.change(uri, 2, [{"text": text}])
        left = self.c.diagnostics(uri)["diagnostics"]
        self.assertNotIn("IPX2001", [d["code"] for d in left])
        # a finding on a line that has a comment: a directive line above
        text2 = "#!ipxe\n  goto nowhere # why\nexit 0\n"
        self.c.change(uri, 3, [{"text": text2}])
        self.c.diagnostics(uri)
        acts = self.actions(uri, text2, where="nowhere")
        dis = [a for a in acts if a["title"].startswith("Disable IPX2001")]
        text3 = apply_edits(text2, dis[0]["edit"]["changes"][uri])
        self.assertEqual(text3, "#!ipxe\n  # ipxe-lint disable=IPX2001\n"
                         "  goto nowhere # why\nexit 0\n")
        self.c.change(uri, 4, [{"text": text3}])
        self.assertNotIn("IPX2001", [d["code"] for d in
                                     self.c.diagnostics(uri)["diagnostics"]])

    # ---- semantic tokens

    def test_semantic_tokens(self):
        caps = self.c.initialize()["capabilities"]
        legend = caps["semanticTokensProvider"]["legend"]["tokenTypes"]
        uri = self.uri("m.ipxe")
        self.c.open(uri, MENU)
        data = self.c.result("textDocument/semanticTokens/full",
                             {"textDocument": {"uri": uri}})["data"]
        self.assertEqual(len(data) % 5, 0)
        toks = {}
        lines = MENU.split("\n")
        for line, ch, n, t, mods in lspclient.decode_tokens(data):
            self.assertEqual(mods, 0)
            toks[lines[line][ch:ch + n]] = legend[t]
        self.assertEqual(toks["# the boot menu"], "comment")
        self.assertEqual(toks["dhcp"], "function")
        self.assertEqual(toks["||"], "operator")
        self.assertEqual(toks[":start"], "label")
        self.assertEqual(toks["failed"], "label")
        self.assertEqual(toks["--default"], "parameter")
        self.assertEqual(toks["${base}"], "variable")
        self.assertEqual(toks["base"], "variable")
        self.assertEqual(toks["http://boot.example.net"], "string")
        # a word with an expansion before its "://" is not known as a URI
        self.assertNotIn("/vmlinuz", toks)


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        LINT = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
