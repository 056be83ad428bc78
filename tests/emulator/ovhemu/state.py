# SPDX-License-Identifier: MIT
"""The emulated world, loaded from the state file: applications, consumer
keys, OAuth2 clients, servers, reboot tasks and settings."""

import json
import secrets
import string
import time
import uuid

from .facts import (BOOT_MODES, BOOT_TYPES, CREDENTIAL_STATES,
                    EMULATOR_SERVER_KEYS, RULE_METHODS, SERVER_FIELDS,
                    SITES, TASK_FINAL, Netboot)

# How reboot tasks behave unless the state file or the server says otherwise.
DEFAULT_TASKS = {
    "step_seconds": 1.0,         # each of init, todo, doing lasts this long
    "polls_per_step": 0,         # or: advance one state per N answered polls
    "final_status": "done",      # or ovhError, customerError, cancelled
    "not_found_polls": 0,        # the first K GETs of a new task answer 404
    "error_every": 0,            # every Nth GET of a task answers 500
    "purge_after_seconds": None,  # later, the task is gone (404)
}

# Top-level settings of the state file, with their defaults.
DEFAULT_SETTINGS = {
    "clock_skew": 0,             # seconds added to the server's clock
    "timestamp_tolerance": 30,   # allowed |X-Ovh-Timestamp - server time|
    "oauth2_token_ttl": 3599,    # expires_in of OAuth2 access tokens
    "rate_limit_per_min": None,  # server-side limit per consumer key
    "rate_limit_window_seconds": 60,  # ... counted over windows this long
    "max_boot_script_bytes": None,  # longer bootScript values get 400
    "credential_key": None,      # consumerKey /auth/credential answers
                                 # (a test's hostile one), else random
    "tasks": DEFAULT_TASKS,
}

STATE_KEYS = ("applications", "consumers", "oauth2_clients", "servers",
              "netboots", "faults") + tuple(DEFAULT_SETTINGS)


def check_value(where, value, types, nullable=False):
    """Validate one value of the state file or of a control request."""
    if value is None and nullable:
        return value
    # JSON true and false are Python bools, which are also ints.
    if not isinstance(value, types) or \
            (isinstance(value, bool) and bool not in types):
        raise ValueError("%s: %s is not a %s" % (where, json.dumps(value),
                                                  types[0].__name__))
    return value


def check_keys(where, obj, allowed):
    """Refuse a JSON object that is not one, or has a key not in allowed."""
    check_value(where, obj, (dict,))
    for key in obj:
        if key not in allowed:
            raise ValueError("%s: unknown key '%s'" % (where, key))
    return obj


def check_rules(where, rules):
    """Validate a list of access rules {method, path}."""
    check_value(where, rules, (list,))
    for i, rule in enumerate(rules):
        at = "%s[%d]" % (where, i)
        check_keys(at, rule, ("method", "path"))
        if rule.get("method") not in RULE_METHODS:
            raise ValueError("%s: method must be one of %s"
                             % (at, ", ".join(RULE_METHODS)))
        if not isinstance(rule.get("path"), str) or \
                not rule["path"].startswith("/"):
            raise ValueError("%s: path must be a string starting with '/'"
                             % at)
    return rules


def merge_tasks(where, base, changes):
    """Return the task configuration base updated with changes, validated."""
    check_keys(where, changes, DEFAULT_TASKS)
    merged = dict(base, **changes)
    number = (int, float)
    check_value(where + ".step_seconds", merged["step_seconds"], number)
    for key in ("polls_per_step", "not_found_polls", "error_every"):
        check_value(where + "." + key, merged[key], (int,))
        if merged[key] < 0:
            raise ValueError("%s.%s: must not be negative" % (where, key))
    check_value(where + ".purge_after_seconds",
                merged["purge_after_seconds"], number, nullable=True)
    if merged["final_status"] not in TASK_FINAL:
        raise ValueError("%s.final_status: must be one of %s"
                         % (where, ", ".join(TASK_FINAL)))
    return merged


def merge_settings(base, changes):
    """Return the settings base updated with changes, validated."""
    check_keys("settings", changes, DEFAULT_SETTINGS)
    merged = dict(base, **changes)
    number = (int, float)
    check_value("clock_skew", merged["clock_skew"], number)
    check_value("timestamp_tolerance", merged["timestamp_tolerance"], number)
    check_value("oauth2_token_ttl", merged["oauth2_token_ttl"], number)
    check_value("rate_limit_per_min", merged["rate_limit_per_min"], (int,),
                nullable=True)
    check_value("rate_limit_window_seconds",
                merged["rate_limit_window_seconds"], number)
    if not 1 <= merged["rate_limit_window_seconds"] <= 60:
        raise ValueError("rate_limit_window_seconds: must be from 1 to 60")
    check_value("max_boot_script_bytes", merged["max_boot_script_bytes"],
                (int,), nullable=True)
    check_value("credential_key", merged["credential_key"], (str,),
                nullable=True)
    merged["tasks"] = merge_tasks("tasks", base["tasks"],
                                  changes.get("tasks", {}))
    return merged


def check_server_fields(where, fields):
    """Validate fields given for a server by the state file or a control
    route: API fields are taken as they are, the emulator's are checked."""
    check_keys(where, fields, SERVER_FIELDS + EMULATOR_SERVER_KEYS)
    if "bootMode" in fields and fields["bootMode"] not in BOOT_MODES:
        raise ValueError("%s.bootMode: must be one of %s"
                         % (where, ", ".join(BOOT_MODES)))
    check_value(where + ".hardware", fields.get("hardware", {}), (dict,))
    # A server's task settings override the global ones key by key.
    merge_tasks(where + ".tasks", DEFAULT_TASKS, fields.get("tasks", {}))
    return fields


def set_boot_id(server, boot_id):
    """PUT bootId: that netboot, and no script any more."""
    server["bootId"] = boot_id
    server["bootScript"] = None
    server["netbootUnderScript"] = None


def set_boot_script(server, script, harddisk_id):
    """PUT bootScript: a script replaces the netboot, and bootId reads null
    while it is active (spec §6); "" or null clears it and brings back the
    netboot it hid."""
    if script:
        if server["bootScript"] is None:
            server["netbootUnderScript"] = server["bootId"]
        server["bootScript"] = script
        server["bootId"] = None
    elif server["bootScript"] is not None:
        server["bootScript"] = None
        server["bootId"] = server["netbootUnderScript"]
        server["netbootUnderScript"] = None
    normalise_boot(server, harddisk_id)


def normalise_boot(server, harddisk_id):
    """Make a server's boot fields consistent, as the API keeps them: with a
    script, bootId is null and the netboot is kept underneath; without one,
    bootId is a netboot.  Applied to seeded and overwritten servers too."""
    if server["bootScript"] == "":
        server["bootScript"] = None
        server["bootId"] = server["bootId"] or server["netbootUnderScript"]
    if server["bootScript"] is not None:
        if server["bootId"] is not None:
            server["netbootUnderScript"] = server["bootId"]
            server["bootId"] = None
        if server["netbootUnderScript"] is None:
            server["netbootUnderScript"] = harddisk_id
    else:
        if server["bootId"] is None:
            server["bootId"] = server["netbootUnderScript"]
        if server["bootId"] is None:
            server["bootId"] = harddisk_id
        server["netbootUnderScript"] = None


def iso_time(wall):
    """An API date-time: ISO 8601 in UTC with an explicit offset."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(wall))


def random_key(length):
    """A random alphanumeric key, like the API's consumer keys."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


class Task:
    """A reboot task.

    Its status is worked out when it is read, from its age and from how
    many polls it has answered, so no thread has to drive it.
    """

    def __init__(self, task_id, service_name, config, wall):
        self.task_id = task_id
        self.service_name = service_name
        self.config = config          # DEFAULT_TASKS-shaped, validated
        self.created = time.monotonic()
        self.start_date = wall        # server wall clock at creation
        self.last_update = wall
        self.done_date = None
        self.status = "init"
        self.polls = 0                # GETs of this task, answered or not
        self.answered = 0             # GETs that returned the task

    def age(self):
        return time.monotonic() - self.created

    def is_purged(self):
        purge = self.config["purge_after_seconds"]
        return purge is not None and self.age() > purge

    def advance(self, wall):
        """Move the status forward as far as time and polls allow."""
        cfg = self.config
        path = ("init", "todo", "doing", cfg["final_status"])
        step, per_poll = cfg["step_seconds"], cfg["polls_per_step"]
        if step > 0:
            by_time = int(self.age() / step)
        else:  # polls alone drive it, or, without them, it ends at once
            by_time = 0 if per_poll > 0 else len(path)
        by_polls = self.answered // per_poll if per_poll > 0 else 0
        status = path[min(len(path) - 1, max(by_time, by_polls))]
        if status != self.status:
            self.status = status
            self.last_update = wall
            if status in TASK_FINAL:
                self.done_date = wall

    def view(self):
        """The dedicated.server.Task object."""
        comments = {
            "done": "Hard reboot done",
            "ovhError": "Hard reboot failed: internal error",
            "customerError": "Hard reboot failed: server refused the reboot",
            "cancelled": "Hard reboot cancelled",
        }
        return {
            "taskId": self.task_id,
            "function": "hardReboot",
            "status": self.status,
            "comment": comments.get(self.status, "Reboot asked"),
            "note": None,
            "startDate": iso_time(self.start_date),
            "doneDate": (iso_time(self.done_date)
                         if self.done_date is not None else None),
            "lastUpdate": iso_time(self.last_update),
            "needSchedule": False,
            "plannedInterventionId": None,
            "tags": [],
            "ticketReference": None,
        }

    def snapshot(self):
        """What /_emulator/state shows of the task."""
        view = self.view()
        view.update(serviceName=self.service_name, polls=self.polls,
                    answered=self.answered, config=self.config)
        return view


class Store:
    """Everything the API can read or change, built from the state file.

    Not thread-safe: the Emulator holds its lock around every use.
    """

    def __init__(self, seed, flavor):
        self.flavor = flavor
        self.settings = merge_settings(DEFAULT_SETTINGS, {
            key: seed[key] for key in DEFAULT_SETTINGS if key in seed})
        self.netboots = self._load_netboots(seed.get("netboots"))
        self.apps = self._load_apps(seed.get("applications", []))
        self.consumers = self._load_consumers(seed.get("consumers", []))
        self.oauth2_clients = self._load_oauth2(seed.get("oauth2_clients", []))
        self.tokens = {}         # access token -> (client id, expiry)
        self.servers = self._load_servers(seed.get("servers", {}))
        self.tasks = {}          # taskId -> Task
        self.next_task_id = 7000001

    # -- loading ------------------------------------------------------------

    def _load_netboots(self, table):
        if table is None:
            return self.flavor.netboots
        check_value("netboots", table, (list,))
        netboots = []
        for i, entry in enumerate(table):
            at = "netboots[%d]" % i
            check_keys(at, entry, Netboot._fields)
            check_value(at + ".bootId", entry.get("bootId"), (int,))
            if entry.get("bootType") not in BOOT_TYPES:
                raise ValueError("%s.bootType: must be one of %s"
                                 % (at, ", ".join(BOOT_TYPES)))
            netboots.append(Netboot(entry["bootId"], entry["bootType"],
                                    entry.get("kernel", ""),
                                    entry.get("description", "")))
        if not any(n.bootType == "harddisk" for n in netboots):
            raise ValueError("netboots: a harddisk netboot is required")
        return tuple(netboots)

    def _load_apps(self, apps):
        check_value("applications", apps, (list,))
        table = {}
        for i, app in enumerate(apps):
            at = "applications[%d]" % i
            check_keys(at, app, ("key", "secret"))
            table[check_value(at + ".key", app.get("key"), (str,))] = \
                check_value(at + ".secret", app.get("secret"), (str,))
        return table

    def _load_consumers(self, consumers):
        check_value("consumers", consumers, (list,))
        table = {}
        for i, seed in enumerate(consumers):
            at = "consumers[%d]" % i
            check_keys(at, seed, ("key", "application", "state", "validated",
                                  "rules", "expires"))
            key = check_value(at + ".key", seed.get("key"), (str,))
            app = seed.get("application")
            if app not in self.apps:
                raise ValueError("%s.application: unknown application '%s'"
                                 % (at, app))
            state = seed.get("state")
            if state is None:
                validated = check_value(at + ".validated",
                                        seed.get("validated", True), (bool,))
                state = "validated" if validated else "pendingValidation"
            if state not in CREDENTIAL_STATES:
                raise ValueError("%s.state: must be one of %s"
                                 % (at, ", ".join(CREDENTIAL_STATES)))
            table[key] = {
                "application": app,
                "state": state,
                "rules": check_rules(at + ".rules", seed.get("rules", [])),
                "expires": check_value(at + ".expires", seed.get("expires"),
                                       (int, float), nullable=True),
            }
        return table

    def _load_oauth2(self, clients):
        check_value("oauth2_clients", clients, (list,))
        table = {}
        for i, client in enumerate(clients):
            at = "oauth2_clients[%d]" % i
            check_keys(at, client, ("id", "secret", "actions"))
            actions = check_value(at + ".actions",
                                  client.get("actions", ["*"]), (list,))
            for action in actions:
                check_value(at + ".actions", action, (str,))
            table[check_value(at + ".id", client.get("id"), (str,))] = {
                "secret": check_value(at + ".secret", client.get("secret"),
                                      (str,)),
                "actions": actions,
            }
        return table

    def _load_servers(self, servers):
        check_value("servers", servers, (dict,))
        table = {}
        for index, name in enumerate(sorted(servers)):
            at = "servers.%s" % name
            server = self._default_server(name, index)
            server.update(check_server_fields(at, servers[name]))
            normalise_boot(server, self.harddisk_id())
            table[name] = server
        return table

    def _default_server(self, name, index):
        """A plausible server, before the state file's fields are applied."""
        datacenter, region, zone = SITES[self.flavor.region]
        return {
            "availabilityZone": zone,
            "bootId": self.harddisk_id(),
            "bootScript": None,
            "commercialRange": "advance-1",
            "datacenter": datacenter,
            "efiBootloaderPath": None,
            "iam": {
                "id": str(uuid.uuid5(uuid.NAMESPACE_DNS, name)),
                "urn": "urn:v1:%s:resource:dedicatedServer:%s"
                       % (self.flavor.region.lower(), name),
                "displayName": name,
            },
            "ip": "203.0.113.%d" % (1 + index % 254),
            "linkSpeed": 1000,
            "monitoring": True,
            "name": name,
            "newUpgradeSystem": True,
            "noIntervention": False,
            "os": "debian12_64",
            "powerState": "poweron",
            "professionalUse": False,
            "rack": "%s%03dA%02d" % (datacenter[0].upper(), index // 40,
                                     index % 40),
            "region": region,
            "rescueMail": None,
            "rescueSshKey": None,
            "reverse": name + ".",
            "rootDevice": None,
            "serverId": 500000 + index,
            "state": "ok",
            "supportLevel": "pro",
            "bootMode": "uefi",
            "hardware": {},
            "tasks": {},
            "rebootCount": 0,
            "lastBoot": None,
            "netbootUnderScript": None,
        }

    # -- queries ------------------------------------------------------------

    def now(self):
        """The server's clock: the real one plus the configured skew."""
        return time.time() + self.settings["clock_skew"]

    def harddisk_id(self):
        return next(n.bootId for n in self.netboots
                    if n.bootType == "harddisk")

    def netboot(self, boot_id):
        return next((n for n in self.netboots if n.bootId == boot_id), None)

    def consumer_is_valid(self, consumer):
        """Validated and not past its expiry; an expired key says so."""
        expires = consumer["expires"]
        if consumer["state"] == "validated" and expires is not None and \
                self.now() >= expires:
            consumer["state"] = "expired"
        return consumer["state"] == "validated"

    def snapshot(self):
        """The whole state, as GET /_emulator/state shows it."""
        return {
            "settings": self.settings,
            "netboots": [n._asdict() for n in self.netboots],
            "applications": [{"key": k, "secret": s}
                             for k, s in self.apps.items()],
            "consumers": [dict(c, key=k) for k, c in self.consumers.items()],
            "oauth2_clients": [dict(c, id=k)
                               for k, c in self.oauth2_clients.items()],
            "servers": self.servers,
            "tasks": [t.snapshot() for t in self.tasks.values()],
        }
