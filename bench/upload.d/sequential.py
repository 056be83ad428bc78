#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The baseline of bench/upload: a fleet push the way a simple script with an
official client does it, one request at a time.

    sequential.py --endpoint URL --cacert CA.pem FILE...

FILE is SERVER.ipxe.  For each server in turn, as python-ovh's
`client.get()` / `client.put()` would: GET /dedicated/server/{sn}; if the
script differs, PUT {"bootScript": ...} and GET again to check it.  One
HTTPS connection kept alive (python-ovh's requests.Session does the same),
the API clock read once from /auth/time, every call signed as python-ovh
signs it (compact JSON body, "$1$" + SHA-1 of AS+CK+METHOD+URL+BODY+TS).
Credentials come from the OVH_* variables.  Standard library only.

Prints one line, "servers=N requests=N changed=N seconds=S", and exits 1 if
any call failed (python-ovh raises on the first error: so does this).
"""

import argparse
import hashlib
import http.client
import json
import os
import ssl
import sys
import time
import urllib.parse


class Client:
    """A minimal python-ovh: signed calls on one kept-alive connection."""

    def __init__(self, endpoint, cacert):
        url = urllib.parse.urlsplit(endpoint)
        self.base = endpoint.rstrip("/")
        self.prefix = url.path.rstrip("/")
        ctx = ssl.create_default_context(cafile=cacert)
        self.conn = http.client.HTTPSConnection(url.hostname, url.port,
                                                context=ctx, timeout=180)
        self.ak = os.environ["OVH_APPLICATION_KEY"]
        self.as_ = os.environ["OVH_APPLICATION_SECRET"]
        self.ck = os.environ["OVH_CONSUMER_KEY"]
        self.requests = 0
        self.delta = None

    def raw(self, method, path, body=b"", headers=None):
        self.requests += 1
        self.conn.request(method, self.prefix + path, body=body or None,
                          headers=headers or {})
        resp = self.conn.getresponse()
        data = resp.read()
        if resp.status // 100 != 2:
            raise RuntimeError("%s %s: HTTP %d %s" % (method, path,
                                                      resp.status, data[:200]))
        return json.loads(data) if data else None

    def call(self, method, path, data=None):
        if self.delta is None:
            self.delta = int(self.raw("GET", "/auth/time")) - int(time.time())
        body = b"" if data is None else json.dumps(
            data, separators=(",", ":")).encode()
        ts = str(int(time.time()) + self.delta)
        sig = hashlib.sha1(b"+".join([
            self.as_.encode(), self.ck.encode(), method.encode(),
            (self.base + path).encode(), body, ts.encode()])).hexdigest()
        headers = {"X-Ovh-Application": self.ak, "X-Ovh-Consumer": self.ck,
                   "X-Ovh-Timestamp": ts, "X-Ovh-Signature": "$1$" + sig,
                   "Accept": "application/json"}
        if body:
            headers["Content-Type"] = "application/json"
        return self.raw(method, path, body, headers)


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--cacert", required=True)
    p.add_argument("files", nargs="+")
    args = p.parse_args(argv)
    client = Client(args.endpoint, args.cacert)
    changed = 0
    start = time.perf_counter()
    for path in args.files:
        server = os.path.basename(path)[:-len(".ipxe")]
        with open(path, encoding="utf-8") as f:
            script = f.read()
        where = "/dedicated/server/" + server
        if client.call("GET", where).get("bootScript") == script:
            continue
        client.call("PUT", where, {"bootScript": script})
        if client.call("GET", where).get("bootScript") != script:
            raise RuntimeError("%s: the read-back differs" % server)
        changed += 1
    elapsed = time.perf_counter() - start
    print("servers=%d requests=%d changed=%d seconds=%.3f"
          % (len(args.files), client.requests, changed, elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
