# SPDX-License-Identifier: MIT
"""The request log (in memory and as JSON Lines) and the statistics."""

import collections
import json
import threading
import time

LOG_MEMORY = 50000  # requests kept in memory for GET /_emulator/requests


class ClientCounter:
    """Requests seen from one client key, and the most in any 60 s and 1 s."""

    def __init__(self):
        self.requests = 0
        self.last_60s = collections.deque()
        self.last_1s = collections.deque()
        self.max_in_60s = 0
        self.max_in_1s = 0

    def hit(self, now):
        self.requests += 1
        for window, span in ((self.last_60s, 60), (self.last_1s, 1)):
            window.append(now)
            while window[0] <= now - span:
                window.popleft()
        self.max_in_60s = max(self.max_in_60s, len(self.last_60s))
        self.max_in_1s = max(self.max_in_1s, len(self.last_1s))

    def view(self):
        return {"requests": self.requests, "max_in_60s": self.max_in_60s,
                "max_in_1s": self.max_in_1s}


class Recorder:
    """Keeps every API request (memory and JSON Lines file) and counts them."""

    def __init__(self, log_file):
        self.lock = threading.Lock()
        self.log_file = log_file  # open text file, or None
        self.seq = 0              # number of the last request logged
        self.in_flight = 0        # requests being handled now
        self.epoch = 0            # resets so far
        self.reset()

    def reset(self):
        """Forget the requests and counters (the log file keeps its lines,
        and sequence numbers go on).  A request that arrived before the
        reset belongs to the window it arrived in, even if it is answered
        (and recorded) after: a "timeout" fault holds its answer long after
        the client gave up."""
        with self.lock:
            self.epoch += 1
            self.records = collections.deque(maxlen=LOG_MEMORY)
            self.requests = 0
            self.in_flight_max = self.in_flight
            self.by_route = collections.Counter()
            self.by_status = collections.Counter()
            self.faults = collections.Counter()
            self.rate_limited = 0
            self.clients = {}

    def arrive(self, route, client):
        """Count a request as it arrives, before faults or limits.  Returns
        the window it arrived in, for record()."""
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.in_flight_max = max(self.in_flight_max, self.in_flight)
            self.by_route[route] += 1
            counter = self.clients.get(client)
            if counter is None:
                counter = self.clients[client] = ClientCounter()
            counter.hit(time.monotonic())
            return self.epoch

    def leave(self):
        with self.lock:
            self.in_flight -= 1

    def record(self, req, reply, duration):
        """Log one answered (or dropped) API request: to the log file
        always, to the requests and counters of the current window only if
        it arrived in it (req.epoch, from arrive())."""
        status = "none" if reply.status is None else str(reply.status)
        with self.lock:
            self.seq += 1
            entry = {
                "seq": self.seq,
                "time": req.received,
                "method": req.method,
                "path": req.path,
                "query": req.query_string,
                "route": req.route,
                "client": req.client,
                "headers": req.loggable_headers(),
                "body": req.loggable_body(),
                "status": reply.status,
                "fault": reply.fault,
                "query_id": req.query_id,
                "duration_ms": round(duration * 1000, 3),
            }
            if req.epoch == self.epoch:
                self.records.append(entry)
                self.by_status[status] += 1
                if reply.fault is not None:
                    self.faults[reply.fault] += 1
            if self.log_file is not None:
                self.log_file.write(json.dumps(entry) + "\n")
                self.log_file.flush()

    def count_rate_limited(self):
        with self.lock:
            self.rate_limited += 1

    def requests_since(self, seq):
        with self.lock:
            return [r for r in self.records if r["seq"] > seq]

    def stats(self):
        with self.lock:
            return {
                "requests": self.requests,
                "in_flight": self.in_flight,
                "in_flight_max": self.in_flight_max,
                "by_route": dict(self.by_route),
                "by_status": dict(self.by_status),
                "faults": dict(self.faults),
                "rate_limited": self.rate_limited,
                "clients": {k: c.view() for k, c in self.clients.items()},
            }
