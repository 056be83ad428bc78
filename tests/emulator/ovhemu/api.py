# SPDX-License-Identifier: MIT
"""The emulated API: routing, authentication, the API handlers and the
test-only control routes."""

import base64
import binascii
import copy
import hmac
import json
import os
import re
import secrets
import threading
import time
import traceback
import urllib.parse
import uuid

from .facts import (BOOT_TYPES, CREDENTIAL_STATES, FLAVORS, SERVER_FIELDS,
                    SERVER_STATES, TASK_STATUSES, WRITABLE_FIELDS,
                    ovh_signature, wildcard_match)
from .faults import FaultPlan, RateLimiter
from .recorder import Recorder
from .replies import (ApiError, auth_error, bad_request, class_error,
                      internal_error, invalid_url, json_reply, not_found,
                      parse_json_body, type_error)
from .state import (Store, Task, check_keys, check_rules,
                    check_server_fields, check_value, iso_time, merge_settings,
                    normalise_boot, random_key, set_boot_id, set_boot_script)

CONTROL_PREFIX = "/_emulator/"
TOKEN_PATH = "/auth/oauth2/token"  # where the real token endpoints serve it

# How a route authenticates its caller.
AUTH_NONE = "none"      # anyone (/auth/time, the token endpoint)
AUTH_APP = "app"        # an application key only (/auth/credential)
AUTH_SIGNED = "signed"  # AK/AS/CK signature, or an OAuth2 bearer token


class Route:
    """One served method + path template, with the function that serves it."""

    def __init__(self, method, template, handler, auth=AUTH_SIGNED, iam=None):
        self.method = method
        self.template = template
        self.handler = handler  # function(emulator, req, params, caller)
        self.auth = auth
        self.iam = iam          # IAM action an OAuth2 caller must be granted
        self.name = "%s %s" % (method, template)
        # Each {name} segment matches one path segment.
        parts = ["(?P<%s>[^/]+)" % seg[1:-1] if seg.startswith("{")
                 else re.escape(seg) for seg in template.split("/")]
        self.regex = re.compile("/".join(parts))

    def match(self, method, path):
        """Return the path parameters if this route serves method + path."""
        if method != self.method:
            return None
        found = self.regex.fullmatch(path)
        if found is None:
            return None
        return {name: urllib.parse.unquote(value)
                for name, value in found.groupdict().items()}


class Request:
    """One HTTP request as received, plus what the emulator learns of it."""

    def __init__(self, handler, body):
        self.method = handler.command
        self.target = handler.path  # raw request target: path and query
        self.path, _, self.query_string = self.target.partition("?")
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(
            self.query_string, keep_blank_values=True).items()}
        self.headers = handler.headers
        self.body = body
        self.host = self.headers.get("Host") or "%s:%d" % (
            handler.server.server_name, handler.server.server_port)
        self.query_id = handler.query_id
        self.received = time.time()
        self.arrived = time.monotonic()  # when the latency starts
        self.api_path = self.path  # the path without /1.0 or /v1
        self.route = None          # name of the route that served it
        self.client = "-"          # client key for stats and rate limits
        self.epoch = None          # the recorder's window it arrived in

    def full_url(self):
        """The URL the client signed: scheme, host, prefix, path and query."""
        return "https://" + self.host + self.target

    def loggable_headers(self):
        """The headers, with credentials in Authorization hidden."""
        headers = dict(self.headers.items())
        for name in headers:
            if name.lower() == "authorization":
                headers[name] = "<redacted>"
        return headers

    def loggable_body(self):
        """The body as text, with an OAuth2 client secret hidden."""
        text = self.body.decode("utf-8", errors="replace")
        if self.route == "POST " + TOKEN_PATH:
            form = urllib.parse.parse_qsl(text, keep_blank_values=True)
            text = urllib.parse.urlencode(
                [(k, "<redacted>" if k == "client_secret" else v)
                 for k, v in form])
        return text


# ---------------------------------------------------------------------------
# The emulator: dispatch, authentication, API handlers, control routes
# ---------------------------------------------------------------------------


class ControlNotFound(Exception):
    """A control route named a consumer key or server that does not exist."""


class Emulator:
    """The whole emulated API, independent of the HTTP server that feeds it."""

    def __init__(self, seed, flavor_name, log_file=None):
        self.seed = seed              # the state file, for /_emulator/reset
        self.flavor_name = flavor_name
        self.flavor = FLAVORS[flavor_name]
        self.prefixes = ("/1.0", "/v1") if self.flavor.has_v1 else ("/1.0",)
        self.lock = threading.Lock()  # guards self.store
        self.stopping = threading.Event()  # set on shutdown: ends waits
        self.recorder = Recorder(log_file)
        self.load_seed()

    def load_seed(self):
        """(Re)build the world, the faults and the rate limit from the seed."""
        store = Store(self.seed, self.flavor)
        with self.lock:
            self.store = store
        self.faults = FaultPlan(self.seed.get("faults", {}))
        self.limiter = RateLimiter()

    def new_query_id(self):
        """A unique X-Ovh-QueryID, shaped like the API's."""
        return "%s.ext-1.%08x.%d.%s" % (self.flavor.region, int(time.time()),
                                        os.getpid(), uuid.uuid4())

    # -- dispatch -----------------------------------------------------------

    def dispatch(self, req):
        """Answer one request; never raises."""
        try:
            if req.path.startswith(CONTROL_PREFIX):
                return self.control(req)
            route, params = self.resolve(req)
            req.route = route.name if route else req.method + " ?"
            req.client = self.client_key(req)
            req.epoch = self.recorder.arrive(req.route, req.client)
            try:
                return self.serve_api(req, route, params)
            finally:
                self.recorder.leave()
        except Exception:  # a bug here must not kill the connection thread
            traceback.print_exc()
            return internal_error().reply()

    def resolve(self, req):
        """Find the route serving req: (route, params), or (None, None)."""
        if req.path == TOKEN_PATH:
            if self.flavor.has_oauth2 and req.method == "POST":
                return TOKEN_ROUTE, {}
            return None, None
        for prefix in self.prefixes:
            if req.path.startswith(prefix + "/"):
                req.api_path = req.path[len(prefix):]
                break
        else:
            return None, None
        for route in API_ROUTES:
            params = route.match(req.method, req.api_path)
            if params is not None:
                return route, params
        return None, None

    def client_key(self, req):
        """Who is calling, for stats and rate limits: the consumer key, the
        OAuth2 client, or "-" when neither is known."""
        consumer = req.headers.get("X-Ovh-Consumer")
        if consumer:
            return consumer
        auth = req.headers.get("Authorization", "")
        with self.lock:
            entry = self.store.tokens.get(auth.removeprefix("Bearer "))
        return "oauth2:" + entry[0] if entry else "-"

    def serve_api(self, req, route, params):
        """Latency, rate limit and faults around the real answer.

        The answer leaves `latency_ms` after the request arrived, however
        long the emulator itself took to work it out (unless longer): the
        latency is the API's, and a client measured against it is not
        charged for the emulator's own work."""
        reply = self.answer(req, route, params)
        latency = self.faults.latency()
        if latency > 0:
            remaining = req.arrived + latency - time.monotonic()
            if remaining > 0:
                self.stopping.wait(remaining)
        return reply

    def answer(self, req, route, params):
        """The rate limit, the faults and the real answer."""
        limit = self.store.settings["rate_limit_per_min"]
        if limit is not None and req.client != "-":
            wait = self.limiter.admit(
                req.client, limit,
                self.store.settings["rate_limit_window_seconds"])
            if wait:
                self.recorder.count_rate_limited()
                retry_after = [("Retry-After", str(wait))]
                return class_error(429, "Client::TooManyRequests",
                                   "Too many requests", None,
                                   retry_after).reply()
        fault = self.faults.pick(req.method, req.api_path)
        if fault is not None and fault.when == "before":
            return self.faults.reply(fault)
        reply = self.call(req, route, params)
        if fault is not None:
            return self.faults.reply(fault)  # done, but the answer is lost
        return reply

    def call(self, req, route, params):
        """Authenticate and run the route's handler."""
        try:
            if route is None:
                raise invalid_url()
            with self.lock:
                caller = self.authenticate(req, route)
                status, value = route.handler(self, req, params, caller)
            return json_reply(status, value)
        except ApiError as err:
            return err.reply()

    # -- authentication -----------------------------------------------------

    def authenticate(self, req, route):
        """Check the caller as route requires; return who it is (an AK for
        AUTH_APP, a consumer or OAuth2 client record for AUTH_SIGNED)."""
        if route.auth == AUTH_NONE:
            return None
        if route.auth == AUTH_APP:
            return self.check_app_key(req)
        auth = req.headers.get("Authorization")
        if auth is not None:
            return self.check_bearer(auth, route)
        return self.check_signature(req)

    def check_app_key(self, req):
        ak = req.headers.get("X-Ovh-Application")
        if not ak:
            raise ApiError(401, {"message": "You must send your application "
                                 "key to request new credentials"})
        if ak not in self.store.apps:
            raise auth_error(403, "INVALID_KEY", "Invalid application key")
        return ak

    def check_signature(self, req):
        """The AK/AS/CK scheme; the order of checks is the emulator's."""
        store = self.store
        ak = req.headers.get("X-Ovh-Application")
        if not ak:
            raise class_error(401, "Client::Unauthorized",
                              "You must login first")
        secret = store.apps.get(ak)
        if secret is None:
            raise auth_error(403, "INVALID_KEY", "Invalid application key")
        ck = req.headers.get("X-Ovh-Consumer", "")
        consumer = store.consumers.get(ck)
        if consumer is None or consumer["application"] != ak:
            raise auth_error(403, "NOT_CREDENTIAL",
                             "This credential does not exist")
        stamp = req.headers.get("X-Ovh-Timestamp", "")
        given = req.headers.get("X-Ovh-Signature", "")
        if not re.fullmatch(r"[0-9]{1,15}", stamp):
            raise auth_error(400, "INVALID_SIGNATURE", "Invalid signature")
        wanted = ovh_signature(secret, ck, req.method, req.full_url(),
                               req.body, stamp)
        if not hmac.compare_digest(given.encode("iso-8859-1"),
                                   wanted.encode()):
            raise auth_error(400, "INVALID_SIGNATURE", "Invalid signature")
        skew = abs(int(stamp) - store.now())
        if skew > store.settings["timestamp_tolerance"]:
            raise auth_error(400, "QUERY_TIME_OUT", "Query out of time")
        if not store.consumer_is_valid(consumer):
            raise auth_error(403, "INVALID_CREDENTIAL",
                             "This credential is not valid")
        if not any(rule["method"] == req.method and
                   wildcard_match(rule["path"], req.api_path)
                   for rule in consumer["rules"]):
            raise auth_error(403, "NOT_GRANTED_CALL",
                             "This call has not been granted")
        return consumer

    def check_bearer(self, auth, route):
        """An OAuth2 access token, checked against the client's IAM actions.
        The word "Bearer" is optional, as in the docs' curl sample."""
        entry = self.store.tokens.get(auth.removeprefix("Bearer "))
        if entry is None or entry[1] <= time.monotonic():
            raise class_error(401, "Client::Unauthorized",
                              "Invalid or expired access token")
        client = self.store.oauth2_clients[entry[0]]
        if not any(wildcard_match(a, route.iam) for a in client["actions"]):
            raise class_error(403, "Client::Forbidden",
                              "User not granted for this request",
                              {"unauthorizedActionsByIAM": route.iam})
        return client

    # -- API handlers: each returns (status, JSON value) or raises ApiError --

    def api_time(self, req, params, caller):
        return 200, int(self.store.now())

    def api_token(self, req, params, caller):
        """OAuth2 client credentials grant; the client may authenticate in
        the form or with HTTP Basic, as OAuth2 allows."""
        form = dict(urllib.parse.parse_qsl(req.body.decode("utf-8", "replace"),
                                           keep_blank_values=True))
        client_id, client_secret = form.get("client_id"), \
            form.get("client_secret")
        basic = req.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            decoded = decode_basic(basic[6:])
            if decoded is not None:
                client_id, client_secret = decoded
        if form.get("grant_type") != "client_credentials":
            raise ApiError(400, {"error": "unsupported_grant_type",
                                 "error_description":
                                 "only client_credentials is supported"})
        client = self.store.oauth2_clients.get(client_id)
        if client is None or client_secret is None or \
                not hmac.compare_digest(client["secret"].encode(),
                                        client_secret.encode()):
            raise ApiError(400, {"error": "invalid_client",
                                 "error_description":
                                 "ovhcloud oauth2 client does not exists"})
        ttl = self.store.settings["oauth2_token_ttl"]
        token = secrets.token_urlsafe(32)
        self.store.tokens[token] = (client_id, time.monotonic() + ttl)
        return 200, {"access_token": token, "token_type": "Bearer",
                     "expires_in": ttl, "scope": "all"}

    def api_credential(self, req, params, app_key):
        """Request a consumer key: it is pending until validated (here by
        POST /_emulator/validate/{consumerKey})."""
        body = parse_json_body(req.body)
        if not isinstance(body, dict) or "accessRules" not in body:
            raise bad_request("[accessRules] Missing parameter")
        try:
            rules = check_rules("accessRules", body["accessRules"])
        except ValueError as err:
            raise bad_request(str(err)) from None
        key = self.store.settings["credential_key"]
        if key is None:
            key = random_key(32)
        self.store.consumers[key] = {
            "application": app_key,
            "state": "pendingValidation",
            "rules": rules,
            "expires": None,
        }
        return 200, {
            "validationUrl": "https://%s/auth/?credentialToken=%s"
                             % (req.host, random_key(64)),
            "consumerKey": key,
            "state": "pendingValidation",
        }

    def server(self, params):
        server = self.store.servers.get(params["serviceName"])
        if server is None:
            raise not_found("This service does not exist")
        return server

    def api_server_list(self, req, params, caller):
        return 200, sorted(self.store.servers)

    def api_server_get(self, req, params, caller):
        server = self.server(params)
        # The store keeps bootId null while a script is active (spec §6).
        return 200, {field: server[field] for field in SERVER_FIELDS}

    def api_server_put(self, req, params, caller):
        """Change writable fields; all are checked before any is applied.

        bootId chooses a netboot and clears bootScript; a bootScript of ""
        or null clears the script, and the server goes back to its netboot.
        When both are given, bootId is applied first.
        """
        server = self.server(params)
        changes = parse_json_body(req.body)
        if not isinstance(changes, dict):
            raise type_error("body", changes, "dedicated.server.Dedicated")
        for name, value in changes.items():
            self.check_writable(name, value)
        if "bootId" in changes:
            set_boot_id(server, changes["bootId"])
        for name, value in changes.items():
            if name == "bootScript":
                set_boot_script(server, value, self.store.harddisk_id())
            elif name != "bootId":
                server[name] = value
        return 200, None

    def check_writable(self, name, value):
        """Refuse a PUT field that is read-only, unknown or of a wrong type,
        a bootId that is not a netboot, a bootScript over the size limit."""
        type_name = WRITABLE_FIELDS.get(name)
        if type_name is None:
            if name in SERVER_FIELDS:
                raise bad_request("[%s] Property is read-only" % name)
            raise bad_request("[%s] Unknown property" % name)
        if not has_api_type(value, type_name):
            raise type_error(name, value, type_name)
        if name == "bootId" and self.store.netboot(value) is None:
            ids = ",".join(str(n.bootId) for n in self.store.netboots)
            raise not_found("Netboot id %d is not valid, must be on list : %s"
                            % (value, ids))
        limit = self.store.settings["max_boot_script_bytes"]
        if name == "bootScript" and value and limit is not None:
            size = len(value.encode("utf-8"))
            if size > limit:
                raise bad_request("[bootScript] Script is too long (%d bytes,"
                                  " at most %d)" % (size, limit))

    def api_boot_list(self, req, params, caller):
        self.server(params)
        boot_type = req.query.get("bootType")
        if boot_type is not None and boot_type not in BOOT_TYPES:
            raise bad_request("[bootType] Given data (%s) does not belong "
                              "to the dedicated.server.BootTypeEnum "
                              "enumeration" % boot_type)
        return 200, [n.bootId for n in self.store.netboots
                     if boot_type is None or n.bootType == boot_type]

    def api_boot_get(self, req, params, caller):
        self.server(params)
        boot_id = int_param(params, "bootId")
        netboot = self.store.netboot(boot_id)
        if netboot is None:
            raise not_found("The requested object (bootId = %d) does not "
                            "exist" % boot_id)
        return 200, netboot._asdict()

    def api_hardware(self, req, params, caller):
        server = self.server(params)
        spec = {
            "bootMode": server["bootMode"],
            "description": "Intel Xeon E-2386G - 32 GB - 2 x 512 GB NVMe",
            "formFactor": "1u",
            "processorName": "Xeon E-2386G",
            "processorArchitecture": "x86_64",
            "numberOfProcessors": 1,
            "coresPerProcessor": 6,
            "threadsPerProcessor": 12,
            "memorySize": {"unit": "MB", "value": 32768},
            "motherboard": "X12STL-F",
            "diskGroups": [{
                "diskGroupId": 1,
                "description": "2 x 512 GB NVME",
                "diskType": "NVME",
                "diskSize": {"unit": "GB", "value": 512},
                "numberOfDisks": 2,
                "raidController": None,
                "defaultHardwareRaidType": None,
                "defaultHardwareRaidSize": None,
            }],
            "defaultHardwareRaidType": None,
            "defaultHardwareRaidSize": None,
            "expansionCards": None,
            "usbKeys": None,
        }
        spec.update(server["hardware"])
        return 200, spec

    def api_reboot(self, req, params, caller):
        """Hard reboot: start a task, and note what the server will boot."""
        server = self.server(params)
        if req.body.strip() not in (b"", b"{}", b"null"):
            raise bad_request("This call takes no parameters")
        store = self.store
        wall = store.now()
        task = Task(store.next_task_id, server["name"],
                    dict(store.settings["tasks"], **server["tasks"]), wall)
        store.next_task_id += 1
        store.tasks[task.task_id] = task
        task.advance(wall)
        server["rebootCount"] += 1
        server["lastBoot"] = {
            "taskId": task.task_id,
            "time": iso_time(wall),
            "bootId": server["bootId"],
            "bootScript": server["bootScript"],
        }
        return 200, task.view()

    def api_task_list(self, req, params, caller):
        server = self.server(params)
        function, status = req.query.get("function"), req.query.get("status")
        if status is not None and status not in TASK_STATUSES:
            raise bad_request("[status] Given data (%s) does not belong to "
                              "the dedicated.TaskStatusEnum enumeration"
                              % status)
        wall = self.store.now()
        found = []
        for task in self.store.tasks.values():
            if task.service_name != server["name"] or task.is_purged():
                continue
            task.advance(wall)
            if function not in (None, "hardReboot"):
                continue
            if status is None or task.status == status:
                found.append(task.task_id)
        return 200, found

    def api_task_get(self, req, params, caller):
        """One poll of a task: may answer 404 at first, 500 now and then."""
        server = self.server(params)
        task_id = int_param(params, "taskId")
        task = self.store.tasks.get(task_id)
        if task is None or task.service_name != server["name"] or \
                task.is_purged():
            raise not_found("The requested object (taskId = %d) does not "
                            "exist" % task_id)
        task.polls += 1
        cfg = task.config
        if task.polls <= cfg["not_found_polls"]:
            raise not_found("The requested object (taskId = %d) does not "
                            "exist" % task_id)
        if cfg["error_every"] and task.polls % cfg["error_every"] == 0:
            raise internal_error()
        task.answered += 1
        task.advance(self.store.now())
        return 200, task.view()

    # -- control routes (unsigned, never faulted, not recorded) -------------

    def control(self, req):
        for route in CONTROL_ROUTES:
            params = route.match(req.method, req.path)
            if params is not None:
                break
        else:
            return json_reply(404, {"message": "no such control route"})
        try:
            body = json.loads(req.body.decode("utf-8")) if req.body else {}
            return json_reply(200, route.handler(self, req, params, body))
        except (ValueError, UnicodeDecodeError) as err:
            return json_reply(400, {"message": str(err)})
        except ControlNotFound as err:
            return json_reply(404, {"message": str(err)})

    def control_requests(self, req, params, body):
        try:
            since = int(req.query.get("since", "0"))
        except ValueError:
            raise ValueError("since: not an integer") from None
        return self.recorder.requests_since(since)

    def control_state(self, req, params, body):
        with self.lock:
            state = copy.deepcopy(self.store.snapshot())
        state["flavor"] = self.flavor_name
        state["faults"] = self.faults.snapshot()
        return state

    def control_stats(self, req, params, body):
        return self.recorder.stats()

    def control_faults(self, req, params, body):
        return self.faults.update(body)

    def control_settings(self, req, params, body):
        with self.lock:
            self.store.settings = merge_settings(self.store.settings, body)
            return copy.deepcopy(self.store.settings)

    def control_validate(self, req, params, body):
        """Validate a consumer key, as its owner would on validationUrl;
        {"expires_in": S} gives it a validity, {"state": ...} any state."""
        check_keys("body", body, ("expires_in", "state"))
        with self.lock:
            consumer = self.store.consumers.get(params["consumerKey"])
            if consumer is None:
                raise ControlNotFound("no such consumer key")
            state = body.get("state", "validated")
            if state not in CREDENTIAL_STATES:
                raise ValueError("state: must be one of %s"
                                 % ", ".join(CREDENTIAL_STATES))
            expires_in = check_value("expires_in", body.get("expires_in"),
                                     (int, float), nullable=True)
            consumer["state"] = state
            consumer["expires"] = (None if expires_in is None
                                   else self.store.now() + expires_in)
            return dict(consumer, key=params["consumerKey"])

    def control_server(self, req, params, body):
        """Overwrite fields of a server directly, bypassing the API's rules
        (e.g. to play someone else changing it between two calls)."""
        with self.lock:
            server = self.store.servers.get(params["serviceName"])
            if server is None:
                raise ControlNotFound("no such server")
            server.update(copy.deepcopy(check_server_fields("body", body)))
            normalise_boot(server, self.store.harddisk_id())
            return copy.deepcopy(server)

    def control_reset_counters(self, req, params, body):
        self.recorder.reset()
        return {}

    def control_reset(self, req, params, body):
        """Back to the state file: servers, keys, tasks, faults, counters."""
        self.load_seed()
        self.recorder.reset()
        return {}


def has_api_type(value, type_name):
    """Whether a JSON value fits a writable field's API type; strings and
    texts may be null."""
    if type_name == "long":
        return isinstance(value, int) and not isinstance(value, bool)
    if type_name == "boolean":
        return isinstance(value, bool)
    if type_name == "dedicated.server.StateEnum":
        return value in SERVER_STATES
    return value is None or isinstance(value, str)


def int_param(params, name):
    """A path parameter of API type long."""
    value = params[name]
    if not re.fullmatch(r"-?[0-9]{1,18}", value):
        raise type_error(name, value, "long")
    return int(value)


def decode_basic(credentials):
    """Decode HTTP Basic credentials into (id, secret), or None."""
    try:
        text = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = text.partition(":")
    if not sep:
        return None
    return urllib.parse.unquote(user), urllib.parse.unquote(password)


TOKEN_ROUTE = Route("POST", TOKEN_PATH, Emulator.api_token, AUTH_NONE)

# The API v1 routes served under /1.0 (and /v1 where the flavour has it).
API_ROUTES = (
    Route("GET", "/auth/time", Emulator.api_time, AUTH_NONE),
    Route("POST", "/auth/credential", Emulator.api_credential, AUTH_APP),
    Route("GET", "/dedicated/server", Emulator.api_server_list,
          iam="dedicatedServer:apiovh:get"),
    Route("GET", "/dedicated/server/{serviceName}",
          Emulator.api_server_get, iam="dedicatedServer:apiovh:get"),
    Route("PUT", "/dedicated/server/{serviceName}",
          Emulator.api_server_put, iam="dedicatedServer:apiovh:put"),
    Route("GET", "/dedicated/server/{serviceName}/boot",
          Emulator.api_boot_list, iam="dedicatedServer:apiovh:boot/get"),
    Route("GET", "/dedicated/server/{serviceName}/boot/{bootId}",
          Emulator.api_boot_get, iam="dedicatedServer:apiovh:boot/get"),
    Route("GET", "/dedicated/server/{serviceName}/specifications/hardware",
          Emulator.api_hardware,
          iam="dedicatedServer:apiovh:specifications/hardware/get"),
    Route("POST", "/dedicated/server/{serviceName}/reboot",
          Emulator.api_reboot, iam="dedicatedServer:apiovh:reboot"),
    Route("GET", "/dedicated/server/{serviceName}/task",
          Emulator.api_task_list, iam="dedicatedServer:apiovh:task/get"),
    Route("GET", "/dedicated/server/{serviceName}/task/{taskId}",
          Emulator.api_task_get, iam="dedicatedServer:apiovh:task/get"),
)

# The test-only routes; their handlers take (req, params, JSON body).
CONTROL_ROUTES = (
    Route("GET", "/_emulator/requests", Emulator.control_requests),
    Route("GET", "/_emulator/state", Emulator.control_state),
    Route("GET", "/_emulator/stats", Emulator.control_stats),
    Route("POST", "/_emulator/faults", Emulator.control_faults),
    Route("POST", "/_emulator/settings", Emulator.control_settings),
    Route("POST", "/_emulator/validate/{consumerKey}",
          Emulator.control_validate),
    Route("POST", "/_emulator/servers/{serviceName}",
          Emulator.control_server),
    Route("POST", "/_emulator/reset-counters",
          Emulator.control_reset_counters),
    Route("POST", "/_emulator/reset", Emulator.control_reset),
)
