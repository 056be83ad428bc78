#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""An OVHcloud API v1 emulator for ipxekit's uploader tests and demo.

It serves, over HTTPS, the routes the uploader uses: /auth/time,
/auth/credential, the OAuth2 token endpoint and the dedicated-server routes.
Like the real API it checks request signatures and timestamps, enforces
consumer-key access rules, answers with OVHcloud-shaped errors and an
X-Ovh-QueryID header on every response, and runs reboot tasks through
init -> todo -> doing -> done. On top of that it injects faults (latency,
429, 5xx, dropped connections, timeouts, garbage bodies), can rate-limit,
and records every request for the tests to inspect through the unsigned
/_emulator/ control routes.

This file is the HTTPS server and the command line; the API itself is the
ovhemu package beside it. Standard library only; run with /usr/bin/python3.
README.md beside this file describes the command line, the state file, the
control routes and the faults.
"""

import argparse
import http.server
import json
import os
import re
import signal
import socketserver
import ssl
import sys
import threading
import time

from ovhemu.api import Emulator, Request
from ovhemu.facts import FLAVORS
from ovhemu.faults import FAULT_KINDS
from ovhemu.replies import class_error
from ovhemu.state import STATE_KEYS, check_keys

MAX_BODY = 16 * 1024 * 1024  # larger bodies get 413 (no API limit is known)
MAX_LINE = 65536  # longest chunk-size or trailer line accepted
HANDSHAKE_TIMEOUT = 10  # seconds a new connection may take to finish TLS
IDLE_TIMEOUT = 300  # seconds an idle keep-alive connection is kept open

# ---------------------------------------------------------------------------
# HTTPS server
# ---------------------------------------------------------------------------


class BodyError(Exception):
    """The request body cannot be read; the connection is then closed."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class RequestHandler(http.server.BaseHTTPRequestHandler):
    """Reads one request at a time from a keep-alive TLS connection."""

    protocol_version = "HTTP/1.1"  # keep-alive, so libcurl reuses connections
    server_version = "ovh-emulator"
    disable_nagle_algorithm = True  # headers and body are separate writes
    timeout = IDLE_TIMEOUT
    query_id = "-"

    def version_string(self):
        return self.server_version

    def parse_request(self):
        # Every response, even to a malformed request, gets its own query id.
        self.query_id = self.server.emulator.new_query_id()
        return super().parse_request()

    def send_response(self, code, message=None):
        super().send_response(code, message)
        self.send_header("X-Ovh-QueryID", self.query_id)

    def log_message(self, format, *args):
        pass  # requests go to the JSON Lines log instead

    def do_request(self):
        emulator = self.server.emulator
        started = time.monotonic()
        try:
            body = self.read_body()
        except BodyError as err:
            self.close_connection = True
            req = Request(self, b"")
            reply = class_error(err.status, "Client::BadRequest",
                                str(err)).reply()
        else:
            req = Request(self, body)
            reply = emulator.dispatch(req)
        self.deliver(reply)
        if req.route is not None:  # an API request, not a control one
            emulator.recorder.record(req, reply, time.monotonic() - started)

    do_GET = do_POST = do_PUT = do_DELETE = do_request

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            return self.read_chunked()
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        if not re.fullmatch(r"[0-9]{1,12}", length.strip()):
            raise BodyError(400, "Invalid Content-Length")
        if int(length) > MAX_BODY:
            raise BodyError(413, "Request body too large")
        return self.rfile.read(int(length))

    def read_chunked(self):
        """Read a chunked body (what libcurl sends for an upload of unknown
        size), then skip its trailer."""
        chunks, total = [], 0
        while True:
            line = self.rfile.readline(MAX_LINE)
            size_text = line.split(b";")[0].strip()
            if not re.fullmatch(rb"[0-9a-fA-F]{1,8}", size_text):
                raise BodyError(400, "Invalid chunk size")
            size = int(size_text, 16)
            if size == 0:
                break
            total += size
            if total > MAX_BODY:
                raise BodyError(413, "Request body too large")
            chunks.append(self.rfile.read(size))
            self.rfile.readline(MAX_LINE)  # the CRLF after the chunk
        while self.rfile.readline(MAX_LINE) not in (b"\r\n", b"\n", b""):
            pass
        return b"".join(chunks)

    def deliver(self, reply):
        """Send reply, or drop the connection after reply.hold seconds."""
        if reply.status is None:
            if reply.hold > 0:
                self.server.emulator.stopping.wait(reply.hold)
            self.close_connection = True
            return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(reply.body)


class EmulatorServer(http.server.ThreadingHTTPServer):
    """A thread per connection; TLS is negotiated in that thread, so a slow
    or failing handshake never blocks the accept loop."""

    daemon_threads = True
    request_queue_size = 256  # fleet tests open many connections at once

    def __init__(self, address, tls, emulator):
        self.tls = tls
        self.emulator = emulator
        super().__init__(address, RequestHandler)

    def server_bind(self):
        # HTTPServer.server_bind would look the address up in DNS: skip it.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def finish_request(self, request, client_address):
        request.settimeout(HANDSHAKE_TIMEOUT)
        try:
            conn = self.tls.wrap_socket(request, server_side=True)
        except OSError:
            return  # e.g. the client rejected our certificate
        try:
            self.RequestHandlerClass(conn, client_address, self)
        finally:
            self.shutdown_request(conn)

    def handle_error(self, request, client_address):
        # Clients hanging up (timeouts, their own retries) are routine here.
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


def make_tls_context(cert, key):
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.minimum_version = ssl.TLSVersion.TLSv1_2
    tls.load_cert_chain(cert, key)
    return tls


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def load_state(path):
    """Read the state file; unknown top-level keys are refused."""
    with open(path, encoding="utf-8") as f:
        state = json.load(f)
    check_keys("state", state, STATE_KEYS)
    return state


def parse_rate_limit(text):
    found = re.fullmatch(r"([0-9]+)/min", text)
    if found is None or int(found.group(1)) == 0:
        raise argparse.ArgumentTypeError("expected N/min, N > 0")
    return int(found.group(1))


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="OVHcloud API v1 emulator (HTTPS) for ipxekit's tests.")
    p.add_argument("--state", required=True, metavar="STATE.json",
                   help="initial state: keys, servers, settings")
    p.add_argument("--cert", required=True, metavar="CERT.pem")
    p.add_argument("--key", required=True, metavar="KEY.pem")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0,
                   help="0 (the default) picks a free port")
    p.add_argument("--port-file", metavar="FILE",
                   help="write the port here once serving")
    p.add_argument("--log", metavar="REQUESTS.jsonl",
                   help="append every API request here, one JSON per line")
    p.add_argument("--endpoint-flavor", default="ovh-eu",
                   choices=sorted(FLAVORS))
    p.add_argument("--latency-ms", type=float, metavar="N")
    p.add_argument("--fault-rate", type=float, metavar="F")
    p.add_argument("--fault-seed", type=int, metavar="N")
    p.add_argument("--fault-kinds", metavar="K1,K2",
                   help="faults to draw from: " + ",".join(FAULT_KINDS))
    p.add_argument("--rate-limit", type=parse_rate_limit, metavar="N/min",
                   help="at most N requests per minute per consumer key")
    p.add_argument("--rate-window", type=float, metavar="S",
                   help="count the rate limit over any S seconds (default "
                        "60): at most N*S/60 requests in any S seconds")
    return p.parse_args(argv)


def apply_cli(state, args):
    """Command-line settings override the state file's."""
    faults = dict(state.get("faults", {}))
    for key, value in (("latency_ms", args.latency_ms),
                       ("rate", args.fault_rate), ("seed", args.fault_seed)):
        if value is not None:
            faults[key] = value
    if args.fault_kinds is not None:
        faults["kinds"] = args.fault_kinds.split(",")
    state["faults"] = faults
    if args.rate_limit is not None:
        state["rate_limit_per_min"] = args.rate_limit
    if args.rate_window is not None:
        state["rate_limit_window_seconds"] = args.rate_window


def write_port_file(path, port):
    """Write the port atomically: readers never see a partial file."""
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv):
    args = parse_args(argv)
    # A thread woken from its latency wait gets the interpreter within
    # 0.5 ms rather than the default 5: the answers keep their latency with
    # many requests in flight.
    sys.setswitchinterval(0.0005)
    log_file = None
    try:
        state = load_state(args.state)
        apply_cli(state, args)
        tls = make_tls_context(args.cert, args.key)
        if args.log:
            log_file = open(args.log, "a", encoding="utf-8")
        emulator = Emulator(state, args.endpoint_flavor, log_file)
        server = EmulatorServer((args.host, args.port), tls, emulator)
        port = server.server_address[1]
        if args.port_file:
            write_port_file(args.port_file, port)
    except (OSError, ValueError) as err:  # ssl.SSLError is an OSError
        print("ovh_emulator: %s" % err, file=sys.stderr)
        return 2
    print("ovh_emulator: %s on https://%s:%d" % (args.endpoint_flavor,
                                                 args.host, port),
          file=sys.stderr, flush=True)

    def stop(signum, frame):
        # shutdown() waits for serve_forever(), which runs in this thread.
        emulator.stopping.set()
        threading.Thread(target=server.shutdown).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever(poll_interval=0.1)
    server.server_close()
    if log_file is not None:
        with emulator.recorder.lock:
            log_file.close()
            emulator.recorder.log_file = None
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
