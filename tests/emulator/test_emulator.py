# SPDX-License-Identifier: MIT
"""Tests of the OVHcloud API emulator itself.

    /usr/bin/python3 -m unittest discover -s tests/emulator -p 'test_*.py'

Each test class starts the emulator as a subprocess, exactly as the C tests
do, on 127.0.0.1 with a throwaway CA from make_ca.sh, and talks to it with
http.client. Requests are signed by sign() below, written from the API notes
independently of the emulator's own code. No test asserts an upper bound on
a duration, and every wait is bounded.
"""

import hashlib
import http.client
import itertools
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import make_state  # noqa: E402
from ovhemu import facts  # noqa: E402

EMULATOR = os.path.join(HERE, "ovh_emulator.py")
MAKE_CA = os.path.join(HERE, "make_ca.sh")
START_TIMEOUT = 15  # seconds to wait for the port file

AK, AS = "testAppKey000001", "testAppSecret0000000000000000001"
AK2, AS2 = "testAppKey000002", "testAppSecret0000000000000000002"
CK = "testConsumerKey00000000000000001"          # validated, full rights
CK_PENDING = "testConsumerKey00000000000000002"  # never validated
CK_READONLY = "testConsumerKey00000000000000003"  # GET only
CK_OTHER = "testConsumerKey00000000000000004"    # belongs to AK2
EX_AK = "exampleAppKey001"                        # the keys of the notes'
EX_AS = "exampleApplicationSecret00000001"        # worked example
EX_CK = "exampleConsumerKey00000000000001"
SN1 = "ns1234567.ip-203-0-113.eu"                 # uefi
SN2 = "ns7654321.ip-198-51-100.eu"                # legacy, has a script
SN3 = "ns1111111.ip-192-0-2.eu"                   # its reboots fail

FULL_RULES = [{"method": m, "path": p} for m in ("GET", "PUT", "POST")
              for p in ("/dedicated/server", "/dedicated/server/*")]

STATE = {
    "applications": [{"key": AK, "secret": AS}, {"key": AK2, "secret": AS2},
                     {"key": EX_AK, "secret": EX_AS}],
    "consumers": [
        {"key": CK, "application": AK, "validated": True,
         "rules": FULL_RULES},
        {"key": CK_PENDING, "application": AK, "validated": False,
         "rules": FULL_RULES},
        {"key": CK_READONLY, "application": AK, "state": "validated",
         "rules": [{"method": "GET", "path": "/dedicated/server*"}]},
        {"key": CK_OTHER, "application": AK2, "rules": FULL_RULES},
        {"key": EX_CK, "application": EX_AK, "rules": FULL_RULES},
    ],
    "oauth2_clients": [
        {"id": "oauthAll", "secret": "oauthAllSecret"},
        {"id": "oauthRead", "secret": "oauthReadSecret",
         "actions": ["dedicatedServer:apiovh:get"]},
    ],
    "servers": {
        SN1: {"bootMode": "uefi"},
        SN2: {"bootMode": "legacy", "bootScript": "#!ipxe\nexit\n",
              "datacenter": "rbx8"},
        SN3: {"bootMode": "uefi-legacy",
              "tasks": {"final_status": "ovhError"}},
    },
    "tasks": {"step_seconds": 0, "polls_per_step": 1},
}

QUERY_ID = re.compile(r"^(EU|CA|US)\.ext-1\.[0-9a-f]{8}\.[0-9]+\."
                      r"[0-9a-f-]{36}$")


def sign(secret, consumer_key, method, url, body, timestamp):
    """X-Ovh-Signature, from the API notes: "$1$" + sha1 hex of
    AS+CK+METHOD+URL+BODY+TS (body as bytes)."""
    h = hashlib.sha1()
    h.update(("%s+%s+%s+%s+" % (secret, consumer_key, method, url)).encode())
    h.update(body)
    h.update(("+%s" % timestamp).encode())
    return "$1$" + h.hexdigest()


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)


class Client:
    """One keep-alive HTTPS connection to an emulator."""

    def __init__(self, port, cafile, host="127.0.0.1", timeout=10):
        tls = ssl.create_default_context(cafile=cafile)
        self.conn = http.client.HTTPSConnection(host, port, context=tls,
                                                timeout=timeout)
        self.base = "https://%s:%d" % (host, port)

    def close(self):
        self.conn.close()

    def request(self, method, target, body=None, headers=None):
        self.conn.request(method, target, body=body, headers=headers or {})
        resp = self.conn.getresponse()
        return Response(resp.status, resp.headers, resp.read())

    def signed(self, method, path, body=None, ak=AK, secret=AS, ck=CK,
               timestamp=None, prefix="/1.0"):
        """A request signed like the uploader signs it."""
        if body is None:
            raw = b""
        elif isinstance(body, bytes):
            raw = body
        else:
            raw = json.dumps(body, separators=(",", ":")).encode()
        target = prefix + path
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "X-Ovh-Application": ak,
            "X-Ovh-Consumer": ck,
            "X-Ovh-Timestamp": stamp,
            "X-Ovh-Signature": sign(secret, ck, method, self.base + target,
                                    raw, stamp),
        }
        if raw:
            headers["Content-Type"] = "application/json"
        return self.request(method, target, raw or None, headers)

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        resp = self.request(method, "/_emulator/" + path, data)
        if resp.status != 200:
            raise AssertionError("control %s %s: %d %s"
                                 % (method, path, resp.status, resp.body))
        return resp.json()


def make_tls(directory):
    subprocess.run(["sh", MAKE_CA, directory], check=True)


class Emulator:
    """A running emulator subprocess."""

    started = itertools.count()  # numbers the files of each one

    def __init__(self, workdir, tls, state, *args):
        self.tls = tls
        number = next(Emulator.started)
        self.state_path = os.path.join(workdir, "state-%d.json" % number)
        self.port_path = os.path.join(workdir, "port-%d" % number)
        with open(self.state_path, "w") as f:
            json.dump(state, f)
        cmd = [sys.executable, EMULATOR, "--state", self.state_path,
               "--cert", os.path.join(tls, "server.pem"),
               "--key", os.path.join(tls, "server.key"),
               "--port", "0", "--port-file", self.port_path] + list(args)
        # stderr goes to a file: a pipe nobody reads could fill and block.
        self.err_path = os.path.join(workdir, "stderr-%d" % number)
        with open(self.err_path, "w") as err:
            self.proc = subprocess.Popen(cmd, stderr=err)
        self.port = self._wait_port()

    def _wait_port(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if os.path.exists(self.port_path):
                with open(self.port_path) as f:
                    return int(f.read())
            if self.proc.poll() is not None:
                with open(self.err_path) as err:
                    raise AssertionError("emulator exited: " + err.read())
            time.sleep(0.02)
        self.proc.kill()
        raise AssertionError("emulator did not start")

    def client(self, **kwargs):
        return Client(self.port, os.path.join(self.tls, "ca.pem"), **kwargs)

    def stop(self):
        """SIGTERM, then the exit status (killing it if it hangs)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None


class EmulatorCase(unittest.TestCase):
    """Starts one emulator per class; every test begins from a reset."""

    state = STATE
    args = ()

    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="ovh-emu-test-")
        cls.tls = os.path.join(cls.workdir, "tls")
        make_tls(cls.tls)
        cls.emu = Emulator(cls.workdir, cls.tls, cls.state, *cls.args)

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()
        shutil.rmtree(cls.workdir)

    def setUp(self):
        self.api = self.emu.client()
        self.api.control("POST", "reset")

    def tearDown(self):
        self.api.close()

    def assertError(self, resp, status, body):
        self.assertEqual(resp.status, status, resp.body)
        self.assertEqual(resp.json(), body)
        self.assertRegex(resp.headers["X-Ovh-QueryID"], QUERY_ID)

    def get_server(self, name):
        resp = self.api.signed("GET", "/dedicated/server/" + name)
        self.assertEqual(resp.status, 200, resp.body)
        return resp.json()


# ---------------------------------------------------------------------------


class SignatureVectors(unittest.TestCase):
    """The test vectors of the API notes, for both signers."""

    # The official suites' revoked keys and time.
    AS = "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk"
    CK = "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY"
    TS = "1457018875"
    VECTORS = [
        # (method, URL, body, signature)
        ("GET", "https://eu.api.ovh.com/1.0/auth", b"",
         "$1$e9556054b6309771395efa467c22e627407461ad"),
        ("DELETE", "https://eu.api.ovh.com/1.0/auth", b"",
         "$1$a1eecd00b3b02b6cf5708b84b9ff42059a950d85"),
        ("POST", "https://eu.api.ovh.com/1.0/auth", b'{"a":"b","c":"d"}',
         "$1$ec2fb5c7a81f64723c77d2e5b609ae6f58a84fc1"),
        ("PUT", "https://eu.api.ovh.com/1.0/auth", b'{"a":"b","c":"d"}',
         "$1$8a75a9e7c8e7296c9dbeda6a2a735eb6bd58ec4b"),
        ("GET", "https://eu.api.ovh.com/1.0/call", b"",
         "$1$7f2db49253edfc41891023fcd1a54cf61db05fbb"),
        ("GET", "https://eu.api.ovh.com/v1/call", b"",
         "$1$e6e7906d385eb28adcbfbe6b66c1528a42d741ad"),
        ("GET", "https://eu.api.ovh.com/v2/call", b"",
         "$1$bb63b132a6f84ad5433d0c534d48d3f7c3804285"),
    ]

    # The worked example, at time 1700000000 (keys at the top).
    BASE = "https://eu.api.ovh.com/1.0/dedicated/server/" + SN1
    EXAMPLES = [
        ("GET", BASE, b"", "$1$94b437f104d56f3ff7371a5e20dcf233db22d5ec"),
        ("PUT", BASE, b'{"bootScript":"#!ipxe\\ndhcp\\nchain --autofree '
         b'https://boot.netboot.xyz\\n"}',
         "$1$048d4d5a9a42049926db2956214ff372a68d18ac"),
        ("GET", BASE + "/boot?bootType=harddisk", b"",
         "$1$18fa7d1c99bea43f27482d29f5b463bd95412d8f"),
        ("PUT", BASE, b'{"bootId":1}',
         "$1$85724f96796bf8ecd55e1a1da85a36d0d9fd39c0"),
        ("POST", BASE + "/reboot", b"",
         "$1$ead90179387838d41d2d86ea94e43e57289d6aec"),
        ("GET", "https://eu.api.ovh.com/v1/dedicated/server/" + SN1, b"",
         "$1$704c36ab147bca12b4c4e093eb1f913e0e80d923"),
        ("PUT", BASE, b'{"bootScript":"#!ipxe\\necho caf\\u00e9\\n"}',
         "$1$8fe308a92400ba80ada5c9608a233992f6575bf5"),
        ("PUT", BASE, '{"bootScript":"#!ipxe\\necho café\\n"}'.encode(),
         "$1$317f45563e1086f6ef6e10add3dc178d49f94050"),
    ]

    def test_official_vectors(self):
        for method, url, body, expected in self.VECTORS:
            with self.subTest(method=method, url=url):
                self.assertEqual(sign(self.AS, self.CK, method, url, body,
                                      self.TS), expected)
                self.assertEqual(facts.ovh_signature(
                    self.AS, self.CK, method, url, body, self.TS), expected)

    def test_worked_example(self):
        self.assertEqual(len(self.EXAMPLES[1][2]), 74)
        self.assertEqual(len(self.EXAMPLES[6][2]), 41)
        self.assertEqual(len(self.EXAMPLES[7][2]), 37)
        for method, url, body, expected in self.EXAMPLES:
            with self.subTest(method=method, url=url, body=body):
                self.assertEqual(sign(EX_AS, EX_CK, method, url, body,
                                      "1700000000"), expected)
                self.assertEqual(facts.ovh_signature(
                    EX_AS, EX_CK, method, url, body, "1700000000"), expected)

    def test_wildcards(self):
        match = facts.wildcard_match
        self.assertTrue(match("/dedicated/server/*", "/dedicated/server/a/b"))
        self.assertTrue(match("/dedicated/server/*/reboot",
                              "/dedicated/server/ns1.x.eu/reboot"))
        self.assertFalse(match("/dedicated/server/*", "/dedicated/server"))
        self.assertFalse(match("/dedicated/server", "/dedicated/server/a"))
        self.assertTrue(match("dedicatedServer:apiovh:*",
                              "dedicatedServer:apiovh:boot/get"))


# ---------------------------------------------------------------------------


class AuthTests(EmulatorCase):

    def test_time_is_a_bare_integer(self):
        before = int(time.time())
        resp = self.api.request("GET", "/1.0/auth/time")
        self.assertEqual(resp.status, 200)
        self.assertRegex(resp.body.decode(), r"^[0-9]+$")
        self.assertGreaterEqual(resp.json(), before)

    def test_clock_skew(self):
        self.api.control("POST", "settings", {"clock_skew": 3600})
        server_time = self.api.request("GET", "/1.0/auth/time").json()
        self.assertGreaterEqual(server_time, int(time.time()) + 3500)
        # A client trusting its own clock is refused; one that synced is not.
        self.assertError(self.api.signed("GET", "/dedicated/server"), 400, {
            "errorCode": "QUERY_TIME_OUT", "httpCode": "400 Bad Request",
            "message": "Query out of time"})
        resp = self.api.signed("GET", "/dedicated/server",
                               timestamp=server_time)
        self.assertEqual(resp.status, 200, resp.body)

    def test_signed_call(self):
        resp = self.api.signed("GET", "/dedicated/server")
        self.assertEqual(resp.status, 200, resp.body)
        self.assertEqual(resp.json(), sorted([SN1, SN2, SN3]))
        self.assertEqual(resp.headers["Content-Type"],
                         "application/json; charset=utf-8")

    def test_v1_prefix(self):
        resp = self.api.signed("GET", "/dedicated/server", prefix="/v1")
        self.assertEqual(resp.status, 200, resp.body)

    def test_worked_example_on_the_wire(self):
        """The notes' signatures, sent as they are, are accepted: the
        server's clock is set to their time and Host to their host."""
        self.api.control("POST", "settings",
                         {"clock_skew": 1700000000 - time.time()})
        for method, url, body, signature in SignatureVectors.EXAMPLES:
            with self.subTest(method=method, url=url, body=body):
                headers = {"Host": "eu.api.ovh.com",
                           "X-Ovh-Application": EX_AK,
                           "X-Ovh-Consumer": EX_CK,
                           "X-Ovh-Timestamp": "1700000000",
                           "X-Ovh-Signature": signature}
                target = url[len("https://eu.api.ovh.com"):]
                resp = self.api.request(method, target, body or None,
                                        headers)
                self.assertEqual(resp.status, 200, resp.body)

    def test_signature_covers_url_query_and_body(self):
        # Signed for one URL, sent to another: refused.
        stamp = str(int(time.time()))
        target = "/1.0/dedicated/server/%s/boot?bootType=harddisk" % SN1
        headers = {"X-Ovh-Application": AK, "X-Ovh-Consumer": CK,
                   "X-Ovh-Timestamp": stamp,
                   "X-Ovh-Signature": sign(AS, CK, "GET", self.api.base +
                                           target.split("?")[0], b"", stamp)}
        invalid = {"errorCode": "INVALID_SIGNATURE",
                   "httpCode": "400 Bad Request",
                   "message": "Invalid signature"}
        self.assertError(self.api.request("GET", target, None, headers), 400,
                         invalid)
        # Right signature, body changed in transit: refused.
        headers["X-Ovh-Signature"] = sign(AS, CK, "PUT", self.api.base +
                                          "/1.0/dedicated/server/" + SN1,
                                          b'{"bootId":1}', stamp)
        self.assertError(self.api.request(
            "PUT", "/1.0/dedicated/server/" + SN1, b'{"bootId":2}', headers),
            400, invalid)
        # Upper-case hex is not the signature either.
        headers["X-Ovh-Signature"] = headers["X-Ovh-Signature"].upper()
        self.assertError(self.api.request(
            "PUT", "/1.0/dedicated/server/" + SN1, b'{"bootId":1}', headers),
            400, invalid)

    def test_credential_errors(self):
        self.assertError(self.api.request("GET", "/1.0/dedicated/server"), 401,
                         {"class": "Client::Unauthorized",
                          "message": "You must login first"})
        self.assertError(self.api.signed("GET", "/dedicated/server",
                                         ak="nobody"), 403,
                         {"errorCode": "INVALID_KEY",
                          "httpCode": "403 Forbidden",
                          "message": "Invalid application key"})
        not_credential = {"errorCode": "NOT_CREDENTIAL",
                          "httpCode": "403 Forbidden",
                          "message": "This credential does not exist"}
        self.assertError(self.api.signed("GET", "/dedicated/server",
                                         ck="unknownConsumerKey"), 403,
                         not_credential)
        self.assertError(self.api.signed("GET", "/dedicated/server",
                                         ck=CK_OTHER), 403, not_credential)
        self.assertError(self.api.signed("GET", "/dedicated/server",
                                         ck=CK_PENDING), 403,
                         {"errorCode": "INVALID_CREDENTIAL",
                          "httpCode": "403 Forbidden",
                          "message": "This credential is not valid"})
        self.assertError(self.api.signed("PUT", "/dedicated/server/" + SN1,
                                         {"bootId": 1}, ck=CK_READONLY), 403,
                         {"errorCode": "NOT_GRANTED_CALL",
                          "httpCode": "403 Forbidden",
                          "message": "This call has not been granted"})
        self.assertError(self.api.signed("GET", "/dedicated/server",
                                         timestamp="12x"), 400,
                         {"errorCode": "INVALID_SIGNATURE",
                          "httpCode": "400 Bad Request",
                          "message": "Invalid signature"})

    def test_consumer_key_request_and_validation(self):
        rules = [{"method": "GET", "path": "/dedicated/server"}]
        resp = self.api.request("POST", "/1.0/auth/credential",
                                json.dumps({"accessRules": rules}).encode(),
                                {"X-Ovh-Application": AK,
                                 "Content-Type": "application/json"})
        self.assertEqual(resp.status, 200, resp.body)
        cred = resp.json()
        self.assertEqual(cred["state"], "pendingValidation")
        self.assertTrue(cred["validationUrl"].startswith(
            self.api.base + "/auth/?credentialToken="))
        new_ck = cred["consumerKey"]
        self.assertRegex(new_ck, r"^[A-Za-z0-9]{32}$")
        self.assertEqual(self.api.signed("GET", "/dedicated/server",
                                         ck=new_ck).status, 403)
        self.api.control("POST", "validate/" + new_ck)
        self.assertEqual(self.api.signed("GET", "/dedicated/server",
                                         ck=new_ck).status, 200)
        # Only what the rules grant.
        self.assertEqual(self.api.signed("GET", "/dedicated/server/" + SN1,
                                         ck=new_ck).json()["errorCode"],
                         "NOT_GRANTED_CALL")
        # A validity that has run out.
        self.api.control("POST", "validate/" + new_ck, {"expires_in": -1})
        self.assertEqual(self.api.signed("GET", "/dedicated/server",
                                         ck=new_ck).json()["errorCode"],
                         "INVALID_CREDENTIAL")

    def test_consumer_key_request_errors(self):
        body = json.dumps({"accessRules": []}).encode()
        resp = self.api.request("POST", "/1.0/auth/credential", body)
        self.assertEqual(resp.status, 401)
        resp = self.api.request("POST", "/1.0/auth/credential", body,
                                {"X-Ovh-Application": "nobody"})
        self.assertEqual(resp.json()["errorCode"], "INVALID_KEY")
        resp = self.api.request("POST", "/1.0/auth/credential",
                                b'{"accessRules":[{"method":"GOT"}]}',
                                {"X-Ovh-Application": AK})
        self.assertEqual(resp.status, 400)
        self.assertEqual(resp.json()["class"], "Client::BadRequest")

    def test_oauth2(self):
        def token(client_id, secret):
            form = "grant_type=client_credentials&client_id=%s&" \
                   "client_secret=%s&scope=all" % (client_id, secret)
            return self.api.request(
                "POST", "/auth/oauth2/token", form.encode(),
                {"Content-Type": "application/x-www-form-urlencoded"})

        resp = token("oauthAll", "oauthAllSecret")
        self.assertEqual(resp.status, 200, resp.body)
        grant = resp.json()
        self.assertEqual((grant["token_type"], grant["expires_in"],
                          grant["scope"]), ("Bearer", 3599, "all"))
        bearer = {"Authorization": "Bearer " + grant["access_token"]}
        resp = self.api.request("GET", "/1.0/dedicated/server", None, bearer)
        self.assertEqual(resp.status, 200, resp.body)

        self.assertError(token("oauthAll", "wrong"), 400, {
            "error": "invalid_client",
            "error_description": "ovhcloud oauth2 client does not exists"})

        # A client lacking the IAM action.
        read = token("oauthRead", "oauthReadSecret").json()["access_token"]
        resp = self.api.request("PUT", "/1.0/dedicated/server/" + SN1,
                                b'{"bootId":1}',
                                {"Authorization": "Bearer " + read})
        self.assertError(resp, 403, {
            "class": "Client::Forbidden",
            "message": "User not granted for this request",
            "details": {"unauthorizedActionsByIAM":
                        "dedicatedServer:apiovh:put"}})

        # Expired tokens are refused.
        self.api.control("POST", "settings", {"oauth2_token_ttl": 0})
        expired = token("oauthAll", "oauthAllSecret").json()["access_token"]
        resp = self.api.request("GET", "/1.0/dedicated/server", None,
                                {"Authorization": "Bearer " + expired})
        self.assertEqual(resp.status, 401)

        # The secret never reaches the request log.
        log = json.dumps(self.api.control("GET", "requests"))
        self.assertNotIn("oauthAllSecret", log)
        self.assertNotIn(grant["access_token"], log)

    def test_query_ids_are_unique(self):
        seen = set()
        for resp in (self.api.request("GET", "/1.0/auth/time"),
                     self.api.signed("GET", "/dedicated/server"),
                     self.api.request("GET", "/1.0/dedicated/server"),
                     self.api.signed("GET", "/no/such/route"),
                     self.api.request("GET", "/_emulator/stats"),
                     self.api.request("GET", "/elsewhere")):
            qid = resp.headers["X-Ovh-QueryID"]
            self.assertRegex(qid, QUERY_ID)
            seen.add(qid)
        self.assertEqual(len(seen), 6)

    def test_wrong_ca_is_refused(self):
        other = Client(self.emu.port, os.path.join(self.tls, "other-ca.pem"))
        with self.assertRaises(ssl.SSLCertVerificationError):
            other.request("GET", "/1.0/auth/time")
        other.close()
        # The emulator carries on serving.
        self.assertEqual(self.api.request("GET", "/1.0/auth/time").status, 200)

    def test_localhost_name_is_valid(self):
        client = self.emu.client(host="localhost")
        resp = client.signed("GET", "/dedicated/server")
        client.close()
        self.assertEqual(resp.status, 200, resp.body)


# ---------------------------------------------------------------------------


class ServerTests(EmulatorCase):

    def test_unknown_server_and_route(self):
        self.assertError(self.api.signed("GET", "/dedicated/server/ns0.x.eu"),
                         404, {"class": "Client::NotFound",
                               "message": "This service does not exist"})
        invalid = {"class": "Client::NotFound",
                   "message": "Got an invalid (or empty) URL"}
        self.assertError(self.api.signed("GET", "/dedicated/nothing"), 404,
                         invalid)
        self.assertError(self.api.signed("DELETE", "/dedicated/server/" + SN1),
                         404, invalid)
        self.assertError(self.api.request("GET", "/2.0/auth/time"), 404,
                         invalid)

    def test_server_fields(self):
        server = self.get_server(SN1)
        self.assertEqual(server["name"], SN1)
        self.assertEqual(server["bootId"], 1)
        self.assertIsNone(server["bootScript"])
        self.assertEqual(server["datacenter"], "gra3")
        self.assertIn("iam", server)
        self.assertNotIn("bootMode", server)  # emulator-only

    def test_boot_id_reads_null_while_a_script_is_set(self):
        server = self.get_server(SN2)
        self.assertEqual(server["bootScript"], "#!ipxe\nexit\n")
        self.assertIsNone(server["bootId"])

    def test_put_boot_script_then_boot_id(self):
        path = "/dedicated/server/" + SN1
        script = "#!ipxe\necho café\nchain http://x/${mac}\n"
        resp = self.api.signed("PUT", path, {"bootScript": script})
        self.assertEqual((resp.status, resp.body), (200, b"null"))
        server = self.get_server(SN1)
        self.assertEqual((server["bootScript"], server["bootId"]),
                         (script, None))
        resp = self.api.signed("PUT", path, {"bootId": 46371})
        self.assertEqual(resp.status, 200, resp.body)
        server = self.get_server(SN1)
        self.assertEqual((server["bootScript"], server["bootId"]),
                         (None, 46371))

    def stored(self, name):
        """A server as /_emulator/state holds it."""
        return self.api.control("GET", "state")["servers"][name]

    def test_boot_id_is_null_in_the_stored_state_under_a_script(self):
        # spec §6: bootId reads null while a bootScript is active, not only
        # in GET: the state tests and the demo read agrees with the API.
        path = "/dedicated/server/" + SN1
        self.api.signed("PUT", path, {"bootId": 46371})
        self.api.signed("PUT", path, {"bootScript": "#!ipxe\nshell\n"})
        stored = self.stored(SN1)
        self.assertEqual((stored["bootScript"], stored["bootId"]),
                         ("#!ipxe\nshell\n", None))
        self.assertEqual(stored["netbootUnderScript"], 46371)
        self.assertIsNone(self.get_server(SN1)["bootId"])
        # A second script keeps the netboot underneath; clearing brings it
        # back, and the kept id is gone.
        self.api.signed("PUT", path, {"bootScript": "#!ipxe\nexit\n"})
        self.api.signed("PUT", path, {"bootScript": None})
        stored = self.stored(SN1)
        self.assertEqual((stored["bootScript"], stored["bootId"],
                          stored["netbootUnderScript"]), (None, 46371, None))
        self.assertEqual(self.get_server(SN1)["bootId"], 46371)

    def test_boot_id_and_script_in_one_body(self):
        path = "/dedicated/server/" + SN1
        resp = self.api.signed("PUT", path, {"bootScript": "#!ipxe\nexit\n",
                                             "bootId": 46371})
        self.assertEqual(resp.status, 200, resp.body)
        server = self.get_server(SN1)
        self.assertEqual((server["bootScript"], server["bootId"]),
                         ("#!ipxe\nexit\n", None))
        self.assertIsNone(self.stored(SN1)["bootId"])
        self.api.signed("PUT", path, {"bootScript": ""})
        self.assertEqual(self.get_server(SN1)["bootId"], 46371)

    def test_seeded_and_overwritten_scripts_hide_the_boot_id(self):
        # SN2 is seeded with a script and no bootId: the harddisk is kept
        # underneath.
        self.assertEqual(self.stored(SN2)["bootId"], None)
        self.assertEqual(self.stored(SN2)["netbootUnderScript"], 1)
        # Someone else writes a script and a bootId straight into the state.
        self.api.control("POST", "servers/" + SN1,
                         {"bootScript": "#!ipxe\nexit\n", "bootId": 1122})
        self.assertIsNone(self.get_server(SN1)["bootId"])
        self.assertIsNone(self.stored(SN1)["bootId"])
        self.api.signed("PUT", "/dedicated/server/" + SN1, {"bootScript": ""})
        self.assertEqual(self.get_server(SN1)["bootId"], 1122)

    def test_reboot_notes_a_null_boot_id_under_a_script(self):
        self.api.signed("POST", "/dedicated/server/%s/reboot" % SN2)
        boot = self.stored(SN2)["lastBoot"]
        self.assertEqual((boot["bootScript"], boot["bootId"]),
                         ("#!ipxe\nexit\n", None))

    def test_empty_boot_script_clears_it(self):
        resp = self.api.signed("PUT", "/dedicated/server/" + SN2,
                               {"bootScript": ""})
        self.assertEqual(resp.status, 200, resp.body)
        server = self.get_server(SN2)
        self.assertEqual((server["bootScript"], server["bootId"]), (None, 1))

    def test_put_other_writable_fields(self):
        change = {"monitoring": False, "rescueMail": "ops@example.com",
                  "efiBootloaderPath": "\\efi\\debian\\grubx64.efi",
                  "state": "ok", "noIntervention": True, "rootDevice": None}
        resp = self.api.signed("PUT", "/dedicated/server/" + SN1, change)
        self.assertEqual(resp.status, 200, resp.body)
        server = self.get_server(SN1)
        for name, value in change.items():
            self.assertEqual(server[name], value)

    def test_put_refusals(self):
        path = "/dedicated/server/" + SN1
        cases = [
            ({"datacenter": "sbg1"}, 400,
             "[datacenter] Property is read-only"),
            ({"bootScrpt": "x"}, 400, "[bootScrpt] Unknown property"),
            ({"bootId": "1"}, 400,
             '[bootId] Given data ("1") is not valid for type long'),
            ({"monitoring": 1}, 400,
             "[monitoring] Given data (1) is not valid for type boolean"),
            ({"bootId": 5}, 404, "Netboot id 5 is not valid, must be on "
             "list : 1,1122,46371,95083,203323"),
        ]
        for body, status, message in cases:
            with self.subTest(body=body):
                resp = self.api.signed("PUT", path, body)
                self.assertEqual(resp.status, status, resp.body)
                self.assertEqual(resp.json()["message"], message)
        resp = self.api.signed("PUT", path, b"not json")
        self.assertEqual(resp.status, 400)
        resp = self.api.signed("PUT", path, ["bootId", 1])
        self.assertEqual(resp.status, 400)
        # Nothing was applied, not even the valid half of a mixed body.
        resp = self.api.signed("PUT", path, {"monitoring": False, "os": "x"})
        self.assertEqual(resp.status, 400)
        self.assertTrue(self.get_server(SN1)["monitoring"])

    def test_boot_script_size_limit(self):
        self.api.control("POST", "settings", {"max_boot_script_bytes": 10})
        resp = self.api.signed("PUT", "/dedicated/server/" + SN1,
                               {"bootScript": "#!ipxe\nexit 0\n"})
        self.assertEqual(resp.status, 400)

    def test_netboots(self):
        base = "/dedicated/server/%s/boot" % SN1
        resp = self.api.signed("GET", base + "?bootType=harddisk")
        self.assertEqual(resp.json(), [1])
        rescue = self.api.signed("GET", base + "?bootType=rescue").json()
        kernels = {}
        for boot_id in rescue:
            netboot = self.api.signed("GET", "%s/%d" % (base, boot_id)).json()
            kernels[netboot["kernel"]] = boot_id
        self.assertEqual(kernels["rescue-customer"], 46371)
        self.assertEqual(kernels["ipxe-shell"], 203323)
        netboot = self.api.signed("GET", base + "/1").json()
        self.assertEqual(netboot, {"bootId": 1, "bootType": "harddisk",
                                   "kernel": "hd",
                                   "description": "Boot from the hard disk"})
        self.assertEqual(len(self.api.signed("GET", base).json()), 5)
        resp = self.api.signed("GET", base + "?bootType=disk")
        self.assertEqual(resp.status, 400)
        self.assertEqual(self.api.signed("GET", base + "/999").status, 404)
        self.assertEqual(self.api.signed("GET", base + "/abc").status, 400)

    def test_hardware_boot_mode(self):
        for name, mode in ((SN1, "uefi"), (SN2, "legacy"),
                           (SN3, "uefi-legacy")):
            resp = self.api.signed("GET", "/dedicated/server/%s/specifications"
                                   "/hardware" % name)
            self.assertEqual(resp.status, 200, resp.body)
            spec = resp.json()
            self.assertEqual(spec["bootMode"], mode)
            self.assertEqual(spec["memorySize"]["unit"], "MB")

    def test_chunked_body(self):
        target = "/1.0/dedicated/server/" + SN1
        body = b'{"bootScript":"#!ipxe\\nexit\\n"}'
        stamp = str(int(time.time()))
        headers = {"X-Ovh-Application": AK, "X-Ovh-Consumer": CK,
                   "X-Ovh-Timestamp": stamp,
                   "X-Ovh-Signature": sign(AS, CK, "PUT", self.api.base +
                                           target, body, stamp)}
        self.api.conn.request("PUT", target, iter([body[:10], body[10:]]),
                              headers, encode_chunked=True)
        resp = self.api.conn.getresponse()
        resp.read()
        self.assertEqual(resp.status, 200)
        self.assertEqual(self.get_server(SN1)["bootScript"], "#!ipxe\nexit\n")

    def test_control_server_patch(self):
        self.api.control("POST", "servers/" + SN1, {"bootScript": "#!ipxe\n"})
        self.assertEqual(self.get_server(SN1)["bootScript"], "#!ipxe\n")
        resp = self.api.request("POST", "/_emulator/servers/" + SN1,
                                b'{"colour":"red"}')
        self.assertEqual(resp.status, 400)
        resp = self.api.request("POST", "/_emulator/servers/nope", b"{}")
        self.assertEqual(resp.status, 404)


# ---------------------------------------------------------------------------


class TaskTests(EmulatorCase):
    """The class state makes tasks advance one status per answered poll."""

    def reboot(self, name):
        resp = self.api.signed("POST", "/dedicated/server/%s/reboot" % name)
        self.assertEqual(resp.status, 200, resp.body)
        return resp.json()

    def poll(self, name, task_id):
        return self.api.signed("GET", "/dedicated/server/%s/task/%d"
                               % (name, task_id))

    def test_reboot_task_progress(self):
        self.api.signed("PUT", "/dedicated/server/" + SN1,
                        {"bootScript": "#!ipxe\nshell\n"})
        task = self.reboot(SN1)
        self.assertEqual((task["function"], task["status"]),
                         ("hardReboot", "init"))
        self.assertIsNone(task["doneDate"])
        statuses = [self.poll(SN1, task["taskId"]).json()["status"]
                    for _ in range(4)]
        self.assertEqual(statuses, ["todo", "doing", "done", "done"])
        done = self.poll(SN1, task["taskId"]).json()
        self.assertIsNotNone(done["doneDate"])
        ids = self.api.signed("GET", "/dedicated/server/%s/task" % SN1).json()
        self.assertEqual(ids, [task["taskId"]])
        ids = self.api.signed("GET", "/dedicated/server/%s/task?status=todo"
                              % SN1).json()
        self.assertEqual(ids, [])
        state = self.api.control("GET", "state")
        boot = state["servers"][SN1]["lastBoot"]
        self.assertEqual(boot["bootScript"], "#!ipxe\nshell\n")
        self.assertEqual(state["servers"][SN1]["rebootCount"], 1)

    def test_task_of_another_server_is_not_found(self):
        task = self.reboot(SN1)
        self.assertEqual(self.poll(SN2, task["taskId"]).status, 404)
        self.assertEqual(self.poll(SN1, 1).status, 404)

    def test_failing_task(self):
        task = self.reboot(SN3)
        statuses = [self.poll(SN3, task["taskId"]).json()["status"]
                    for _ in range(3)]
        self.assertEqual(statuses, ["todo", "doing", "ovhError"])

    def test_not_found_then_errors(self):
        self.api.control("POST", "settings", {"tasks": {
            "not_found_polls": 2, "error_every": 4}})
        task = self.reboot(SN1)
        codes = [self.poll(SN1, task["taskId"]).status for _ in range(8)]
        self.assertEqual(codes, [404, 404, 200, 500, 200, 200, 200, 500])
        resp = self.poll(SN1, task["taskId"])
        self.assertEqual(resp.json()["status"], "done")

    def test_immediate_and_timed_tasks(self):
        self.api.control("POST", "settings", {"tasks": {
            "step_seconds": 0, "polls_per_step": 0}})
        self.assertEqual(self.reboot(SN1)["status"], "done")
        self.api.control("POST", "settings", {"tasks": {
            "step_seconds": 3600, "polls_per_step": 0}})
        task = self.reboot(SN1)
        self.assertEqual(self.poll(SN1, task["taskId"]).json()["status"],
                         "init")

    def test_purged_task(self):
        self.api.control("POST", "settings", {"tasks": {
            "purge_after_seconds": 0}})
        task = self.reboot(SN1)
        time.sleep(0.01)
        self.assertEqual(self.poll(SN1, task["taskId"]).status, 404)

    def test_reboot_takes_no_parameters(self):
        resp = self.api.signed("POST", "/dedicated/server/%s/reboot" % SN1,
                               {"force": True})
        self.assertEqual(resp.status, 400)


# ---------------------------------------------------------------------------


class FaultTests(EmulatorCase):

    def faults(self, **config):
        return self.api.control("POST", "faults", config)

    def fresh(self):
        """A new connection, after a fault that closed the old one."""
        self.api.close()
        self.api = self.emu.client()

    def test_error_replies(self):
        self.faults(queue=["500", "502", "503", "429", "garbage"],
                    retry_after=7)
        resp = self.api.signed("GET", "/dedicated/server")
        self.assertError(resp, 500, {"class": "Server::InternalServerError",
                                     "message": "Internal server error"})
        resp = self.api.signed("GET", "/dedicated/server")
        self.assertEqual(resp.status, 502)
        self.assertEqual(resp.headers["Content-Type"], "text/html")
        self.assertIn(b"502 Bad Gateway", resp.body)
        self.assertRegex(resp.headers["X-Ovh-QueryID"], QUERY_ID)
        resp = self.api.signed("GET", "/dedicated/server")
        self.assertEqual(resp.status, 503)
        self.assertEqual(resp.json()["class"], "Server::ServiceUnavailable")
        resp = self.api.signed("GET", "/dedicated/server")
        self.assertEqual((resp.status, resp.headers["Retry-After"]),
                         (429, "7"))
        resp = self.api.signed("GET", "/dedicated/server")
        self.assertEqual(resp.status, 200)
        with self.assertRaises(ValueError):
            json.loads(resp.body)
        # The queue is empty: back to normal.
        self.assertEqual(self.api.signed("GET", "/dedicated/server").status,
                         200)
        stats = self.api.control("GET", "stats")
        self.assertEqual(stats["faults"]["500:before"], 1)
        self.assertEqual(stats["faults"]["garbage:before"], 1)

    def test_dropped_connection(self):
        self.faults(queue=["drop"])
        with self.assertRaises((OSError, http.client.HTTPException)):
            self.api.signed("GET", "/dedicated/server")
        self.fresh()
        self.assertEqual(self.api.signed("GET", "/dedicated/server").status,
                         200)
        log = self.api.control("GET", "requests")
        self.assertEqual((log[0]["status"], log[0]["fault"]),
                         (None, "drop:before"))

    def test_timeout(self):
        self.faults(queue=["timeout"], timeout_seconds=1)
        slow = self.emu.client(timeout=0.2)
        with self.assertRaises(TimeoutError):
            slow.signed("GET", "/dedicated/server")
        slow.close()

    def test_held_request_stays_in_its_window(self):
        """A "timeout" fault is answered (and recorded) after its hold, long
        after the client gave up: if the counters were reset in between, it
        belongs to the window it arrived in, not to the next one."""
        self.faults(queue=["timeout"], timeout_seconds=0.3)
        slow = self.emu.client(timeout=0.1)
        with self.assertRaises(TimeoutError):
            slow.signed("GET", "/dedicated/server")
        slow.close()
        self.api.control("POST", "reset-counters")
        self.assertEqual(self.api.signed("GET", "/dedicated/server").status,
                         200)
        time.sleep(1.5)  # the hold ends and the held request is recorded
        log = self.api.control("GET", "requests")
        self.assertEqual([(r["route"], r["fault"]) for r in log],
                         [("GET /dedicated/server", None)])
        stats = self.api.control("GET", "stats")
        self.assertEqual((stats["requests"], stats["faults"]), (1, {}))

    def test_write_fault_before_and_after(self):
        path = "/dedicated/server/" + SN1
        self.faults(queue=["500:before"])
        self.assertEqual(self.api.signed("PUT", path,
                                         {"bootScript": "#!ipxe\n"}).status,
                         500)
        self.assertIsNone(self.get_server(SN1)["bootScript"])
        self.faults(queue=["500:after"])
        self.assertEqual(self.api.signed("PUT", path,
                                         {"bootScript": "#!ipxe\n"}).status,
                         500)
        self.assertEqual(self.get_server(SN1)["bootScript"], "#!ipxe\n")
        self.faults(queue=["drop:after"])
        with self.assertRaises((OSError, http.client.HTTPException)):
            self.api.signed("PUT", path, {"bootId": 1})
        self.fresh()
        self.assertIsNone(self.get_server(SN1)["bootScript"])

    def test_random_faults_are_seeded_and_mix_timings(self):
        def run():
            self.api.control("POST", "reset")
            self.faults(rate=0.5, seed=42, kinds=["500"], methods=["PUT"])
            codes = [self.api.signed("PUT", "/dedicated/server/" + SN1,
                                     {"monitoring": True}).status
                     for _ in range(30)]
            return codes, self.api.control("GET", "stats")["faults"]
        codes, faults = run()
        self.assertEqual(run()[0], codes)
        self.assertIn(500, codes)
        self.assertIn(200, codes)
        self.assertGreater(faults.get("500:before", 0), 0)
        self.assertGreater(faults.get("500:after", 0), 0)

    def test_filters_and_control_routes_are_never_faulted(self):
        self.faults(rate=1.0, kinds=["503"], paths=["/dedicated/server/*"])
        self.assertEqual(self.api.signed("GET", "/dedicated/server").status,
                         200)
        self.assertEqual(self.api.signed("GET", "/dedicated/server/" +
                                         SN1).status, 503)
        for _ in range(5):
            self.api.control("GET", "stats")

    def test_latency(self):
        self.faults(latency_ms=50)
        started = time.monotonic()
        self.api.request("GET", "/1.0/auth/time")
        self.assertGreaterEqual(time.monotonic() - started, 0.05)

    def test_bad_fault_config(self):
        for body in ({"rate": 2}, {"kinds": ["404"]}, {"queue": ["500:later"]},
                     {"colour": 1}):
            resp = self.api.request("POST", "/_emulator/faults",
                                    json.dumps(body).encode())
            self.assertEqual(resp.status, 400, body)

    def test_rate_limit(self):
        self.api.control("POST", "settings", {"rate_limit_per_min": 3})
        codes = [self.api.signed("GET", "/dedicated/server") for _ in range(4)]
        self.assertEqual([r.status for r in codes], [200, 200, 200, 429])
        self.assertGreaterEqual(int(codes[3].headers["Retry-After"]), 1)
        self.assertEqual(codes[3].json()["class"], "Client::TooManyRequests")
        # Other keys have their own budget; /auth/time is not limited.
        self.assertEqual(self.api.signed("GET", "/dedicated/server",
                                         ck=CK_READONLY).status, 200)
        self.assertEqual(self.api.request("GET", "/1.0/auth/time").status, 200)
        stats = self.api.control("GET", "stats")
        self.assertEqual(stats["rate_limited"], 1)
        self.assertEqual(stats["clients"][CK]["max_in_60s"], 4)

    def test_rate_limit_over_a_shorter_window(self):
        # 120 a minute over 1 s windows: 2 in any second, then 429.
        self.api.control("POST", "settings", {
            "rate_limit_per_min": 120, "rate_limit_window_seconds": 1})
        codes = [self.api.signed("GET", "/dedicated/server").status
                 for _ in range(3)]
        self.assertEqual(codes, [200, 200, 429])
        deadline = time.monotonic() + 10
        while self.api.signed("GET", "/dedicated/server").status != 200:
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.1)
        resp = self.api.request("POST", "/_emulator/settings",
                                b'{"rate_limit_window_seconds": 0}')
        self.assertEqual(resp.status, 400)


# ---------------------------------------------------------------------------


class RecordTests(EmulatorCase):

    def test_requests_and_stats(self):
        self.api.control("POST", "reset-counters")
        first = self.api.signed("GET", "/dedicated/server")
        self.api.signed("PUT", "/dedicated/server/" + SN1, {"bootId": 1})
        self.api.signed("GET", "/dedicated/server/" + SN1)
        log = self.api.control("GET", "requests")
        self.assertEqual([r["route"] for r in log], [
            "GET /dedicated/server", "PUT /dedicated/server/{serviceName}",
            "GET /dedicated/server/{serviceName}"])
        self.assertEqual(log[0]["query_id"], first.headers["X-Ovh-QueryID"])
        self.assertEqual(log[1]["body"], '{"bootId":1}')
        self.assertEqual(log[1]["headers"]["X-Ovh-Consumer"], CK)
        self.assertEqual(log[1]["status"], 200)
        later = self.api.control("GET", "requests?since=%d" % log[1]["seq"])
        self.assertEqual(len(later), 1)
        stats = self.api.control("GET", "stats")
        self.assertEqual(stats["requests"], 3)
        self.assertEqual(stats["by_route"]["GET /dedicated/server"], 1)
        self.assertEqual(stats["by_status"], {"200": 3})
        self.assertEqual(stats["clients"][CK]["max_in_60s"], 3)
        self.api.control("POST", "reset-counters")
        self.assertEqual(self.api.control("GET", "stats")["requests"], 0)
        self.assertEqual(self.api.control("GET", "requests"), [])

    def test_reset_restores_the_state_file(self):
        self.api.signed("PUT", "/dedicated/server/" + SN2, {"bootId": 1})
        self.api.control("POST", "reset")
        self.assertEqual(self.get_server(SN2)["bootScript"], "#!ipxe\nexit\n")

    def test_concurrent_keep_alive_clients(self):
        """16 clients, 50 requests each, one connection each."""
        failures = []

        def worker():
            client = self.emu.client()
            try:
                client.signed("GET", "/dedicated/server/" + SN1)
                sock = client.conn.sock
                for _ in range(49):
                    resp = client.signed("GET", "/dedicated/server/" + SN1)
                    if resp.status != 200 or client.conn.sock is not sock:
                        failures.append(resp.status)
            except (OSError, http.client.HTTPException) as err:
                failures.append(repr(err))
            finally:
                client.close()

        self.api.control("POST", "reset-counters")
        threads = [threading.Thread(target=worker) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(failures, [])
        stats = self.api.control("GET", "stats")
        self.assertEqual(stats["requests"], 800)
        self.assertEqual(stats["in_flight"], 0)


# ---------------------------------------------------------------------------


class FlavorTests(unittest.TestCase):
    """Netboot ids, prefixes and OAuth2 differ between endpoints."""

    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="ovh-emu-test-")
        cls.tls = os.path.join(cls.workdir, "tls")
        make_tls(cls.tls)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.workdir)

    def start(self, state, *args):
        emu = Emulator(self.workdir, self.tls, state, *args)
        self.addCleanup(emu.stop)
        api = emu.client()
        self.addCleanup(api.close)
        return api

    def test_us_netboot_ids(self):
        api = self.start(STATE, "--endpoint-flavor", "ovh-us")
        base = "/dedicated/server/%s/boot" % SN1
        self.assertEqual(api.signed("GET", base + "?bootType=harddisk").json(),
                         [1])
        rescue = api.signed("GET", base + "?bootType=rescue").json()
        kernels = {api.signed("GET", "%s/%d" % (base, i)).json()["kernel"]: i
                   for i in rescue}
        self.assertNotEqual(kernels["rescue-customer"], 46371)
        self.assertEqual(api.signed("GET", base + "/46371").status, 404)
        resp = api.signed("PUT", "/dedicated/server/" + SN1, {"bootId": 46371})
        self.assertEqual(resp.status, 404)
        self.assertTrue(resp.headers["X-Ovh-QueryID"].startswith("US."))

    def test_kimsufi_has_no_v1_and_no_oauth2(self):
        api = self.start(STATE, "--endpoint-flavor", "kimsufi-eu")
        self.assertEqual(api.signed("GET", "/dedicated/server").status, 200)
        self.assertEqual(api.signed("GET", "/dedicated/server",
                                    prefix="/v1").status, 404)
        resp = api.request("POST", "/auth/oauth2/token",
                           b"grant_type=client_credentials&client_id=oauthAll"
                           b"&client_secret=oauthAllSecret")
        self.assertEqual(resp.status, 404)

    def test_netboot_table_override(self):
        state = dict(STATE, netboots=[
            {"bootId": 7, "bootType": "harddisk", "kernel": "hd"},
            {"bootId": 8, "bootType": "rescue", "kernel": "rescue-customer"}])
        api = self.start(state)
        base = "/dedicated/server/%s/boot" % SN1
        self.assertEqual(api.signed("GET", base + "?bootType=harddisk").json(),
                         [7])
        server = api.signed("GET", "/dedicated/server/" + SN1).json()
        self.assertEqual(server["bootId"], 7)


class CommandLineTests(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.workdir = tempfile.mkdtemp(prefix="ovh-emu-test-")
        cls.tls = os.path.join(cls.workdir, "tls")
        make_tls(cls.tls)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.workdir)

    def test_log_options_and_clean_exit(self):
        log_path = os.path.join(self.workdir, "requests.jsonl")
        emu = Emulator(self.workdir, self.tls, STATE, "--log", log_path,
                       "--rate-limit", "2/min", "--fault-rate", "1",
                       "--fault-kinds", "503", "--fault-seed", "3",
                       "--latency-ms", "1")
        api = emu.client()
        try:
            with open(emu.port_path) as f:
                self.assertRegex(f.read(), r"^[0-9]+\n$")
            codes = [api.signed("GET", "/dedicated/server").status
                     for _ in range(3)]
            self.assertEqual(codes, [503, 503, 429])
            faults = api.control("GET", "state")["faults"]
            self.assertEqual((faults["rate"], faults["kinds"],
                              faults["latency_ms"]), (1.0, ["503"], 1.0))
        finally:
            api.close()
            self.assertEqual(emu.stop(), 0)
        with open(log_path) as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual([r["status"] for r in lines], [503, 503, 429])
        self.assertEqual(lines[0]["headers"]["X-Ovh-Application"], AK)

    def test_fleet_state(self):
        state = make_state.build_state(1000)
        self.assertEqual(len(set(s["ip"] for s in state["servers"].values())),
                         1000)
        emu = Emulator(self.workdir, self.tls, state)
        api = emu.client()
        try:
            resp = api.signed("GET", "/dedicated/server",
                              ak=make_state.DEFAULT_APP_KEY,
                              secret=make_state.DEFAULT_APP_SECRET,
                              ck=make_state.DEFAULT_CONSUMER_KEY)
            self.assertEqual(resp.status, 200, resp.body)
            self.assertEqual(len(resp.json()), 1000)
        finally:
            api.close()
            self.assertEqual(emu.stop(), 0)

    def test_bad_state_file(self):
        path = os.path.join(self.workdir, "bad.json")
        with open(path, "w") as f:
            json.dump({"servers": {}, "sevrers": {}}, f)
        proc = subprocess.run(
            [sys.executable, EMULATOR, "--state", path,
             "--cert", os.path.join(self.tls, "server.pem"),
             "--key", os.path.join(self.tls, "server.key")],
            stderr=subprocess.PIPE, timeout=30)
        self.assertEqual(proc.returncode, 2)
        self.assertIn(b"unknown key 'sevrers'", proc.stderr)


if __name__ == "__main__":
    unittest.main()
