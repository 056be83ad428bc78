# SPDX-License-Identifier: MIT
"""A small Language Server Protocol client on the standard library: starts
`ipxe-lint --lsp` and talks to it as an editor does (framed JSON-RPC on its
standard input and output).  Used by test_lsp.py, test_nvim.py and
bench/lsp, with the two helpers below."""
import json
import os
import select
import subprocess
import time


def lint_json(lint, path, cwd=None):
    """The findings `ipxe-lint -f json` gives on @path (IPXE_LINT_OPTS
    left out, as an editor's server does)."""
    p = subprocess.run([lint, "-f", "json", path], cwd=cwd,
                       capture_output=True, text=True,
                       env={k: v for k, v in os.environ.items()
                            if k != "IPXE_LINT_OPTS"})
    return json.loads(p.stdout)["findings"]


def decode_tokens(data):
    """Semantic tokens as (line, start, length, type, modifiers), from the
    protocol's relative quintuples (start and length in the position
    encoding's units)."""
    line = ch = 0
    for i in range(0, len(data) - len(data) % 5, 5):
        dl, dc, n, t, mods = data[i:i + 5]
        line += dl
        ch = dc if dl else ch + dc
        yield line, ch, n, t, mods


class Client:
    def __init__(self, lint, cwd=None, env=None):
        self.p = subprocess.Popen([lint, "--lsp"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.next_id = 1
        self.pending = []  # messages read while waiting for another
        self.buf = b""

    # ---- bytes
    def send_raw(self, data):
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def send(self, obj):
        body = json.dumps(obj).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _fill(self, deadline):
        fd = self.p.stdout.fileno()
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no message from the server in time")
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            raise TimeoutError("no message from the server in time")
        chunk = os.read(fd, 65536)
        if not chunk:
            raise EOFError("the server closed its output")
        self.buf += chunk

    def read_message(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        length = None
        for line in head.split(b"\r\n"):
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v)
        if length is None:
            raise AssertionError("a message without Content-Length: %r"
                                 % head)
        self.buf = rest
        while len(self.buf) < length:
            self._fill(deadline)
        body, self.buf = self.buf[:length], self.buf[length:]
        return json.loads(body)

    def wait_for(self, pred, timeout=10.0):
        for i, m in enumerate(self.pending):
            if pred(m):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            m = self.read_message(max(0.001, deadline - time.monotonic()))
            if pred(m):
                return m
            self.pending.append(m)

    # ---- JSON-RPC
    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def request_async(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return rid

    def response(self, rid, timeout=10.0):
        return self.wait_for(lambda m: m.get("id") == rid and
                             "method" not in m, timeout)

    def request(self, method, params=None, timeout=10.0):
        """The whole response (result or error)."""
        return self.response(self.request_async(method, params), timeout)

    def result(self, method, params=None):
        r = self.request(method, params)
        if "error" in r:
            raise AssertionError("%s failed: %r" % (method, r["error"]))
        return r["result"]

    def diagnostics(self, uri, timeout=10.0):
        return self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri, timeout)["params"]

    def diagnostics_of(self, uri, version, timeout=10.0):
        """The diagnostics pushed for @p version (those of versions before
        it, pushed while the changes were still coming, are passed)."""
        return self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri
            and m["params"].get("version") == version, timeout)["params"]

    # ---- an editor's steps
    def initialize(self, encodings=None, related=True, options=None):
        caps = {"textDocument": {"publishDiagnostics":
                                 {"relatedInformation": related}}}
        if encodings:
            caps["general"] = {"positionEncodings": encodings}
        params = {"processId": os.getpid(), "rootUri": None,
                  "capabilities": caps}
        if options is not None:
            params["initializationOptions"] = options
        r = self.result("initialize", params)
        self.notify("initialized", {})
        return r

    def open(self, uri, text, version=1):
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "ipxe", "version": version,
            "text": text}})

    def change(self, uri, version, changes):
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": changes})

    def shutdown_and_exit(self, timeout=10):
        r = self.request("shutdown")
        self.notify("exit")
        return r, self.p.wait(timeout)

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        for f in (self.p.stdin, self.p.stdout, self.p.stderr):
            try:
                f.close()
            except OSError:
                pass
