# SPDX-License-Identifier: MIT
"""A hostile OVHcloud API for the uploader's tests: Python standard library.

An HTTPS server on 127.0.0.1 that answers what a test tells it to, however
wrong: unknown boot modes, escape sequences in every field, answers of
hundreds of MiB, lists of a million names, dropped connections.  It checks
no signature (a hostile API would not bother) and counts every request by
path, so a test can bound what the client sent.

    api = HostileAPI(cert, key)
    api.route("GET", "/dedicated/server", json_answer([...]))
    api.start(); ... api.count("GET", "/auth/time") ... api.stop()

A route is a function (handler, method, path) -> None that writes the
whole answer; json_answer(), stream_answer() and drop() make the usual
ones.  Paths are matched without the /1.0 prefix and without the query
string; "*" in a route stands for any run of characters, "/" included.
"""

import collections
import fnmatch
import http.server
import json
import ssl
import threading
import time

PREFIX = "/1.0"


def send(h, status, body, headers=None, ctype="application/json"):
    """Answer @p status with @p body (bytes), the query id unless
    @p headers gives one."""
    h.send_response(status)
    hdrs = {"Content-Type": ctype, "Content-Length": str(len(body)),
            "X-Ovh-QueryID": "EU.hostile.%d" % h.server.api.seq()}
    hdrs.update(headers or {})
    for k, v in hdrs.items():
        h.send_header(k, v)
    h.end_headers()
    h.wfile.write(body)


def json_answer(value, status=200, headers=None):
    data = json.dumps(value).encode()
    return lambda h, m, p: send(h, status, data, headers)


def raw_answer(data, status=200, headers=None):
    return lambda h, m, p: send(h, status, data, headers)


def stream_answer(size, chunk=1 << 20):
    """A 200 of @p size bytes of 'x' (declared), written a chunk at a time
    until the client goes away."""
    block = b"x" * chunk

    def answer(h, m, p):
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(size))
        h.send_header("X-Ovh-QueryID", "EU.hostile.%d" % h.server.api.seq())
        h.end_headers()
        left = size
        try:
            while left > 0:
                n = min(left, chunk)
                h.wfile.write(block[:n])
                left -= n
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            h.close_connection = True
    return answer


def drop(h, m, p):
    """Close the connection without an answer."""
    h.close_connection = True
    try:
        h.connection.shutdown(2)
    except OSError:
        pass


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body in two writes

    def log_message(self, *args):
        pass

    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        if path.startswith(PREFIX):
            path = path[len(PREFIX):]
        api = self.server.api
        api.note(self.command, path)
        fn = api.find(self.command, path)
        if fn is None:
            send(self, 404, json.dumps(
                {"class": "Client::NotFound",
                 "message": "Got an invalid (or empty) URL"}).encode())
            return
        fn(self, self.command, path)

    do_GET = do_PUT = do_POST = do_DELETE = _any


class HostileAPI:
    def __init__(self, cert, key):
        self.routes = []
        self.counts = collections.Counter()
        self.lock = threading.Lock()
        self._seq = 0
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     _Handler)
        self.httpd.daemon_threads = True
        self.httpd.api = self
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket,
                                            server_side=True)
        self.port = self.httpd.server_address[1]
        self.url = "https://127.0.0.1:%d%s" % (self.port, PREFIX)
        self.thread = None
        # /auth/time answers the time unless a test says otherwise.
        self.route("GET", "/auth/time",
                   lambda h, m, p: send(h, 200,
                                        str(int(time.time())).encode()))

    def seq(self):
        with self.lock:
            self._seq += 1
            return self._seq

    def route(self, method, path, fn):
        """Answer @p method @p path with @p fn; later routes win."""
        self.routes.insert(0, (method, path, fn))

    def find(self, method, path):
        for m, p, fn in self.routes:
            if m != method:
                continue
            if p == path or ("*" in p and fnmatch.fnmatchcase(path, p)):
                return fn
        return None

    def note(self, method, path):
        with self.lock:
            self.counts[(method, path)] += 1

    def count(self, method, path):
        """Requests seen for @p method @p path ("*" at the end: a prefix)."""
        with self.lock:
            if path.endswith("*"):
                return sum(n for (m, p), n in self.counts.items()
                           if m == method and p.startswith(path[:-1]))
            return self.counts[(method, path)]

    def total(self):
        with self.lock:
            return sum(self.counts.values())

    def reset(self):
        with self.lock:
            self.counts.clear()

    def start(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.1},
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
