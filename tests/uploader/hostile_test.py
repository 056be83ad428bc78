#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""ipxe-upload against a hostile API (hostile_api.py), one scenario a ctest.

    hostile_test.py --binary PATH/ipxe-upload --scenario NAME [--keep]

Issue 14: what an API (or anything between it and the tool) can make the
tool do.  Every check counts requests, looks at the output's bytes or at
the tool's peak memory (ru_maxrss), never at timing.

  bootmode  an unknown, null or missing bootMode is read once per server
            and shown as unknown; a netboot list that never ends and a
            reboot task that never ends are bounded in requests
  escape    escape sequences in every field the tool shows reach the
            output escaped, never raw
  memory    huge answers with many transfers at once stay under the total
            cap; an answer of too many JSON values and a list of a million
            names are refused before they are parsed; invalid names are
            named
  authtime  a transport failure on /auth/time names /auth/time
"""

import json
import os
import pty
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from emulator_test import (World, Result, check,  # noqa: E402
                           scenario_main)
from hostile_api import (HostileAPI, json_answer, raw_answer,  # noqa: E402
                         stream_answer, drop)

S = ["ns%d.ip-203-0-113.eu" % (4000 + i) for i in range(64)]
MIB = 1 << 20


class Hostile:
    """A World (temp dir, CA, the tool) with a hostile API in place of the
    emulator."""

    def __init__(self, binary, keep):
        self.w = World(binary, keep)
        self.api = HostileAPI(os.path.join(self.w.ca, "server.pem"),
                              os.path.join(self.w.ca, "server.key"))
        self.w.url = self.api.url
        self.api.start()

    def run(self, *args, **kw):
        return self.w.run(*args, **kw)

    def server(self, name, **fields):
        """Answer GET /dedicated/server/NAME with a plausible server."""
        body = {"name": name, "datacenter": "gra3", "bootId": 1,
                "bootScript": None, "state": "ok"}
        body.update(fields)
        self.api.route("GET", "/dedicated/server/" + name, json_answer(body))

    def close(self):
        self.api.stop()
        self.w.close()


def asan(binary):
    """Whether @p binary is built with AddressSanitizer (whose shadow
    memory and quarantine make its peak memory meaningless here)."""
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


# Runs argv[2:] and writes its peak resident size (KiB) to argv[1].  The
# tool is forked from this small process, not from the test's (which holds
# the hostile answers: a child forked from it counts their pages until it
# runs the tool).
PEAK = """import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_peak(h, *args):
    """Run the tool as World.run() does; return its Result and its own peak
    resident size in MiB."""
    w = h.w
    argv = list(args) + ["--cacert", os.path.join(w.ca, "ca.pem"),
                         "--rate", "unlimited"]
    peak_file = os.path.join(w.dir, "peak")
    p = subprocess.run([sys.executable, "-c", PEAK, peak_file, w.binary]
                       + argv, cwd=w.work, env=w.env(),
                       stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=600)
    r = Result(argv, p.returncode, p.stdout, p.stderr)
    w.outputs.append(r)
    with open(peak_file) as f:
        return r, int(f.read()) / 1024.0


# ---------------------------------------------------------------------------


def sc_bootmode(h):
    api = h.api
    modes = {S[0]: {"bootMode": None}, S[1]: {},
             S[2]: {"bootMode": "uefi-secureboot"}, S[3]: {"bootMode": "uefi"}}
    api.route("GET", "/dedicated/server", json_answer(list(modes)))
    for name, hw in modes.items():
        h.server(name)
        api.route("GET", "/dedicated/server/%s/specifications/hardware" % name,
                  json_answer(dict(hw, memorySize={"value": 1, "unit": "GB"})))
    api.route("GET", "/dedicated/server/*/boot/1",
              json_answer({"bootId": 1, "bootType": "harddisk",
                           "kernel": "hd"}))
    # Before the fix, an unknown mode was read again and again until the
    # per-server deadline: 5 s here, thousands of requests.
    r = h.run("list", "--deadline", "5")
    check(r.rc == 0, r)
    for name in modes:
        n = api.count("GET", "/dedicated/server/%s/specifications/hardware"
                      % name)
        check(n == 1, "%s: specifications/hardware read %d times" % (name, n))
    rows = {l.split()[0]: l.split()[1:] for l in r.out.decode().splitlines()}
    for name in (S[0], S[1], S[2]):
        check(rows[name][1] == "unknown", r)
    check(rows[S[3]][1] == "uefi", r)
    r = h.run("list", "--json", "--deadline", "5")
    check(r.rc == 0, r)
    data = {e["server"]: e for e in json.loads(r.out)}
    check(data[S[2]]["bootMode"] == "unknown", r)

    # A rescue lookup among a thousand candidates, none of them the one:
    # the job gives up at its request bound.
    api.reset()
    api.route("GET", "/dedicated/server/%s/boot" % S[3],
              json_answer(list(range(100, 1100))))
    api.route("GET", "/dedicated/server/%s/boot/*" % S[3],
              json_answer({"bootType": "rescue", "kernel": "not-it"}))
    r = h.run("rescue", S[3], "--kernel", "wanted", "--deadline", "60")
    check(r.rc == 1 and b"gave up: 64 requests for this server" in r.err, r)
    n = api.count("GET", "/dedicated/server/%s*" % S[3])
    check(n <= 64, "rescue sent %d requests for one server" % n)
    check(api.count("PUT", "/dedicated/server/%s" % S[3]) == 0, "a PUT")

    # A reboot task that stays 'doing': polled a bounded number of times
    # even with no pause between polls.
    api.reset()
    api.route("POST", "/dedicated/server/%s/reboot" % S[3],
              json_answer({"taskId": 7, "status": "init",
                           "function": "hardReboot"}))
    api.route("GET", "/dedicated/server/%s/task/7" % S[3],
              json_answer({"taskId": 7, "status": "doing"}))
    r = h.run("reboot", S[3], "--yes", "--wait", "--rate", "unlimited",
              "--poll-interval", "0", "--wait-timeout", "3600", fast=False)
    check(r.rc == 1 and b"after 1000 polls" in r.err, r)
    n = api.count("GET", "/dedicated/server/%s/task/7" % S[3])
    check(n == 1000, "task polled %d times" % n)


ESC = "\x1b]0;pwned\x07\x1b[2J\x1b[31m\r\u009b1m\u202e"
RAW = (b"\x1b", b"\x07", b"\r", b"\xc2\x9b", b"\xe2\x80\xae")


def no_raw(r):
    for bad in RAW:
        check(bad not in r.out and bad not in r.err,
              "raw %r in the output:\n%r" % (bad, r))
    check(b"\\x1b" in r.out + r.err, "the escaped text is missing: %r" % r)


def sc_escape(h):
    api = h.api
    good, bad, broken = S[0], S[1], S[2]
    api.route("GET", "/dedicated/server", json_answer([good, bad, broken]))
    h.server(good, datacenter="gra" + ESC, bootId=42)
    api.route("GET", "/dedicated/server/%s/specifications/hardware" % good,
              json_answer({"bootMode": "legacy"}))
    api.route("GET", "/dedicated/server/%s/boot/42" % good,
              json_answer({"bootId": 42, "bootType": "rescue" + ESC,
                           "kernel": "k" + ESC}))
    # An error with everything: message, errorCode, details, query id.
    api.route("GET", "/dedicated/server/" + bad, json_answer(
        {"errorCode": "E" + ESC, "httpCode": "403 Forbidden",
         "message": "denied" + ESC,
         "details": {"unauthorizedActionsByIAM": "a" + ESC}},
        status=403, headers={"X-Ovh-QueryID": "EU.q\x1b]0;x\x07"}))
    # A 2xx that is not JSON: the parser's "near '...'" excerpt.
    api.route("GET", "/dedicated/server/" + broken,
              raw_answer(b"\x1b]0;pwned\x07\x1b[2J{"))
    r = h.run("list", "--retries", "0")
    check(r.rc == 1, r)
    no_raw(r)
    r = h.run("list", "--json", "--retries", "0")
    for bad_byte in RAW:
        check(bad_byte not in r.out + r.err, r)
    check(b"gra\\u001b]0;pwned" in r.out.lower(), r)
    json.loads(r.out)  # still valid JSON
    r = h.run("get", bad, "-v")
    check(r.rc == 1, r)
    no_raw(r)
    r = h.run("get", broken, "--retries", "0")
    check(r.rc == 1 and b"not JSON" in r.err, r)
    no_raw(r)
    r = h.run("get", good)
    check(r.rc == 0, r)
    no_raw(r)

    # A task status, in the summary and in the failure.
    api.route("POST", "/dedicated/server/%s/reboot" % good,
              json_answer({"taskId": 9, "status": "init" + ESC}))
    api.route("GET", "/dedicated/server/%s/task/9" % good,
              json_answer({"taskId": 9, "status": "weird" + ESC}))
    r = h.run("reboot", good, "--yes")
    check(r.rc == 0, r)
    no_raw(r)
    r = h.run("reboot", good, "--yes", "--wait")
    check(r.rc == 1 and b"ended 'weird" in r.err, r)
    no_raw(r)

    # The validationUrl of a new consumer key.
    api.route("POST", "/auth/credential", json_answer(
        {"validationUrl": "https://example.invalid/?" + ESC + "\nFAKE LINE",
         "consumerKey": "hostileKeyAA1", "state": "pendingValidation"}))
    r = h.run("credential", env=h.w.env(ck=None))
    check(r.rc == 0, r)
    no_raw(r)
    check(b"\nFAKE LINE" not in r.out, r)

    # A server's script on a terminal is escaped (newlines kept); through
    # a pipe it stays byte for byte.
    h.server(S[3], bootScript="#!ipxe\necho " + ESC + "\n", bootId=None)
    r = h.run("get", S[3])
    check(r.rc == 0 and r.out == ("#!ipxe\necho " + ESC + "\n").encode(), r)
    master, slave = pty.openpty()
    argv = [h.w.binary, "get", S[3], "--cacert",
            os.path.join(h.w.ca, "ca.pem")]
    p = subprocess.Popen(argv, cwd=h.w.work, env=h.w.env(),
                         stdin=subprocess.DEVNULL, stdout=slave,
                         stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=120)
    os.close(master)
    shown = b"".join(chunks)
    check(p.returncode == 0, shown)
    for bad_byte in RAW:
        check(bad_byte not in shown.replace(b"\r\n", b"\n"),
              "raw %r on the terminal: %r" % (bad_byte, shown))
    check(b"echo \\x1b]0;pwned" in shown, shown)


def sc_memory(h):
    api = h.api
    sanitized = asan(h.w.binary)
    # Sixteen servers whose answers are 60 MiB each (under the 64 MiB of
    # one answer), all at once: 960 MiB without a total cap.
    names = S[:16]
    api.route("GET", "/dedicated/server", json_answer(names))
    api.route("GET", "/dedicated/server/*", stream_answer(60 * MIB))
    # (Generous timeouts: sixteen handshakes and 960 MiB through one
    # Python server take a while on a loaded machine or under ASan.)
    r, peak = run_peak(h, "list", "-j", "16", "--retries", "0",
                       "--connect-timeout", "120", "--timeout", "300")
    print("peak of list -j 16 over 60 MiB answers: %.0f MiB%s"
          % (peak, " (ASan build: not checked)" if sanitized else ""))
    check(r.rc == 1, r)
    check(b"hold more than 256 MiB in all" in r.err, r)
    n = api.count("GET", "/dedicated/server/*")
    check(n <= 16, "%d requests for 16 servers with --retries 0: %r"
          % (n, r))
    if not sanitized:
        check(peak < 400, "peak %.0f MiB: over the total cap" % peak)

    # One answer over 64 MiB: refused, not asked again.
    api.reset()
    api.route("GET", "/dedicated/server/*", stream_answer(100 * MIB))
    r = h.run("get", S[0])
    check(r.rc == 1 and b"larger than the 64 MiB" in r.err, r)
    n = api.count("GET", "/dedicated/server/" + S[0])
    check(n == 1, "a too large answer asked %d times" % n)

    # A small answer that parses into a huge tree: 60 MiB of "0," (31
    # million values, 1.3 GB parsed) is refused before it is parsed.
    api.reset()
    api.route("GET", "/dedicated/server/" + S[0],
              raw_answer(b"[" + b"0," * (30 * MIB - 1) + b"0]"))
    r, peak = run_peak(h, "get", S[0])
    print("peak of get over 60 MiB of [0,0,...]: %.0f MiB" % peak)
    check(r.rc == 1 and b"holds more than 200000 JSON values" in r.err, r)
    check(api.count("GET", "/dedicated/server/" + S[0]) == 1, "asked again")
    if not sanitized:
        check(peak < 200, "peak %.0f MiB" % peak)

    # A million names: refused before it is parsed, no server read.
    api.reset()
    million = ["ns%d.ip-198-18-0.eu" % i for i in range(1000000)]
    api.route("GET", "/dedicated/server", raw_answer(
        json.dumps(million).encode()))
    r, peak = run_peak(h, "list")
    print("peak of list over a million names: %.0f MiB" % peak)
    check(r.rc == 1 and b"cannot list the servers" in r.err and
          b"more than 200000 JSON values" in r.err, r)
    check(api.count("GET", "/dedicated/server/*") == 0, "servers were read")
    if not sanitized:
        check(peak < 200, "peak %.0f MiB" % peak)
    # 150,000: parsed, and refused by list before any server is read.
    api.route("GET", "/dedicated/server", raw_answer(
        json.dumps(million[:150000]).encode()))
    del million
    r = h.run("list")
    check(r.rc == 1 and b"lists 150000 servers, more than the 100000" in
          r.err, r)
    check(api.count("GET", "/dedicated/server/*") == 0, "servers were read")

    # Names that are not server names are named, not dropped silently.
    api.reset()
    api.route("GET", "/dedicated/server", json_answer(
        [S[0], "../../etc", 42, "a\x1b[2Jb", "-x", "", "z" * 300, S[1]]))
    h.server(S[0])
    h.server(S[1])
    api.route("GET", "/dedicated/server/*/specifications/hardware",
              json_answer({"bootMode": "uefi"}))
    api.route("GET", "/dedicated/server/*/boot/1",
              json_answer({"bootType": "harddisk", "kernel": "hd"}))
    r = h.run("list")
    check(r.rc == 0, r)
    check(b"the API listed 6 names that are not a server name, skipped: "
          b"\"../../etc\", 42, \"a\\u001B[2Jb\", \"-x\", \"\", ..." in r.err,
          r)
    check(S[0].encode() in r.out and S[1].encode() in r.out, r)


def sc_authtime(h):
    h.api.route("GET", "/auth/time", drop)
    h.api.route("GET", "/dedicated/server", json_answer([]))
    r = h.run("list", "--retries", "1")
    check(r.rc != 0, r)
    check(b"on GET /auth/time" in r.err, r)
    check(b"(token)" not in r.err, r)
    check(h.api.count("GET", "/auth/time") == 2, "not retried once")


SCENARIOS = {
    "bootmode": sc_bootmode,
    "escape": sc_escape,
    "memory": sc_memory,
    "authtime": sc_authtime,
}


def main():
    return scenario_main(SCENARIOS, Hostile, lambda h: h.w)


if __name__ == "__main__":
    sys.exit(main())
