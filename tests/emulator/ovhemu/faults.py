# SPDX-License-Identifier: MIT
"""Injected faults, and the optional server-side rate limit."""

import collections
import copy
import math
import random
import threading
import time

from .facts import wildcard_match
from .replies import Reply, class_error, internal_error
from .state import check_keys, check_value

FAULT_KINDS = ("429", "500", "502", "503", "drop", "timeout", "garbage")

# The faults a bare --fault-rate injects. "timeout" must outlast the
# client's own timeout, so it is only injected when asked for by name.
DEFAULT_FAULT_KINDS = ("429", "500", "502", "503", "drop", "garbage")

DEFAULT_FAULTS = {
    "latency_ms": 0,            # delay before every API request is handled
    "rate": 0.0,                # probability that a request gets a fault
    "seed": 0,                  # seed of the fault generator
    "kinds": list(DEFAULT_FAULT_KINDS),
    "write_timing": "both",     # before, after or both: see Fault
    "methods": None,            # only requests with these methods, or all
    "paths": None,              # only these API path patterns, or all
    "retry_after": 1,           # Retry-After of an injected 429
    "timeout_seconds": 30,      # how long a "timeout" holds the request
    "queue": [],                # faults for the next matching requests
}

# What a proxy in front of the API answers when the API is down.
PROXY_502_PAGE = (b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
                  b"<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
                  b"</body>\r\n</html>\r\n")

# A "garbage" reply: 200 and a JSON content type, but a body cut short.
GARBAGE_BODY = b'{"bootScript":"#!ipxe\\nchain http://'


class Fault:
    """One injected fault.

    when is "before" (the request is not processed: a write is not applied)
    or "after" (the request is processed, then its answer is lost or turned
    into an error), as a real network does both.
    """

    def __init__(self, kind, when):
        self.kind = kind
        self.when = when

    def label(self):
        return "%s:%s" % (self.kind, self.when)


def parse_fault(spec, method, rng, write_timing):
    """Turn a queue entry "KIND" or "KIND:WHEN" into a Fault.

    Without WHEN, reads and 429s happen before; writes follow write_timing,
    drawing before or after at random for "both".
    """
    kind, _, when = spec.partition(":")
    if not when:
        if kind == "429" or method == "GET":
            when = "before"
        elif write_timing == "both":
            when = rng.choice(("before", "after"))
        else:
            when = write_timing
    return Fault(kind, when)


def check_fault_spec(spec):
    kind, _, when = spec.partition(":")
    if kind not in FAULT_KINDS or when not in ("", "before", "after"):
        raise ValueError("faults.queue: bad entry '%s' (KIND or KIND:WHEN, "
                         "KIND one of %s)" % (spec, ", ".join(FAULT_KINDS)))


def merge_faults(base, changes):
    """Return the fault configuration base updated with changes, validated."""
    check_keys("faults", changes, DEFAULT_FAULTS)
    merged = dict(base, **changes)
    number = (int, float)
    check_value("faults.latency_ms", merged["latency_ms"], number)
    check_value("faults.rate", merged["rate"], number)
    if not 0 <= merged["rate"] <= 1:
        raise ValueError("faults.rate: must be between 0 and 1")
    check_value("faults.seed", merged["seed"], (int,))
    for kind in check_value("faults.kinds", merged["kinds"], (list,)):
        if kind not in FAULT_KINDS:
            raise ValueError("faults.kinds: unknown kind '%s'" % kind)
    if merged["write_timing"] not in ("before", "after", "both"):
        raise ValueError("faults.write_timing: before, after or both")
    check_value("faults.methods", merged["methods"], (list,), nullable=True)
    check_value("faults.paths", merged["paths"], (list,), nullable=True)
    check_value("faults.retry_after", merged["retry_after"], (int,))
    check_value("faults.timeout_seconds", merged["timeout_seconds"], number)
    for spec in check_value("faults.queue", merged["queue"], (list,)):
        check_fault_spec(check_value("faults.queue", spec, (str,)))
    merged["queue"] = list(merged["queue"])
    return merged


class FaultPlan:
    """Decides which API requests get a fault, and builds the fault's reply."""

    def __init__(self, config):
        self.lock = threading.Lock()
        self.config = merge_faults(DEFAULT_FAULTS, config)
        self.rng = random.Random(self.config["seed"])

    def update(self, changes):
        """Apply a runtime change; a new seed restarts the generator."""
        with self.lock:
            self.config = merge_faults(self.config, changes)
            if "seed" in changes:
                self.rng = random.Random(self.config["seed"])
            return copy.deepcopy(self.config)

    def snapshot(self):
        with self.lock:
            return copy.deepcopy(self.config)

    def latency(self):
        return self.config["latency_ms"] / 1000.0

    def pick(self, method, api_path):
        """Return the Fault for this request, or None."""
        with self.lock:
            cfg = self.config
            if cfg["methods"] is not None and method not in cfg["methods"]:
                return None
            if cfg["paths"] is not None and \
                    not any(wildcard_match(p, api_path) for p in cfg["paths"]):
                return None
            if cfg["queue"]:
                spec = cfg["queue"].pop(0)
            elif cfg["kinds"] and self.rng.random() < cfg["rate"]:
                spec = self.rng.choice(cfg["kinds"])
            else:
                return None
            return parse_fault(spec, method, self.rng, cfg["write_timing"])

    def reply(self, fault):
        """The reply that carries out fault."""
        label = fault.label()
        if fault.kind == "429":
            retry = str(self.config["retry_after"])
            reply = class_error(429, "Client::TooManyRequests",
                                "Too many requests",
                                headers=[("Retry-After", retry)]).reply()
        elif fault.kind == "500":
            reply = internal_error().reply()
        elif fault.kind == "502":
            reply = Reply(502, PROXY_502_PAGE, "text/html")
        elif fault.kind == "503":
            reply = class_error(503, "Server::ServiceUnavailable",
                                "Service is temporarily unavailable").reply()
        elif fault.kind == "garbage":
            reply = Reply(200, GARBAGE_BODY)
        elif fault.kind == "timeout":
            reply = Reply(None, hold=self.config["timeout_seconds"])
        else:  # drop
            reply = Reply(None)
        reply.fault = label
        return reply


class RateLimiter:
    """At most N admitted requests per client key a minute, counted in any
    sliding window of `span` seconds (60 by default, as the API's fair use
    is stated; shorter windows hold a client to the same rate over less
    time, which lets a test prove a rate in seconds instead of minutes)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.admitted = {}  # key -> deque of monotonic admission times

    def admit(self, key, per_min, span=60):
        """Return 0 if the request may go on, else the seconds to wait."""
        now = time.monotonic()
        limit = max(1, int(per_min * span / 60))
        with self.lock:
            window = self.admitted.setdefault(key, collections.deque())
            while window and window[0] <= now - span:
                window.popleft()
            if len(window) >= limit:
                return max(1, math.ceil(window[0] + span - now))
            window.append(now)
            return 0
