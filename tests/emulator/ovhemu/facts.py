# SPDX-License-Identifier: MIT
"""Fixed facts of the emulated API: endpoint flavours, netboot tables, the
fields of a dedicated server, request signatures and access-rule matching."""

import collections
import functools
import hashlib
import re

# A netboot, as GET /dedicated/server/{sn}/boot/{bootId} returns it.
Netboot = collections.namedtuple("Netboot",
                                 "bootId bootType kernel description")

# Per-endpoint netboot tables. On EU the ids of harddisk, rescue-customer,
# ipxe-shell and poweroff are the documented ones; rescue64-pro's is made
# up. US ids differ from EU's (EU's rescue-customer 46371 was seen rejected
# there) except harddisk 1, on both lists; the other US ids are invented.
# Nothing is known of CA: it is assumed to share EU's table.
NETBOOTS_EU = (
    Netboot(1, "harddisk", "hd", "Boot from the hard disk"),
    Netboot(1122, "rescue", "rescue64-pro", "Rescue 64-bit professional"),
    Netboot(46371, "rescue", "rescue-customer", "Customer rescue system"),
    Netboot(95083, "power", "poweroff", "Power off the server"),
    Netboot(203323, "rescue", "ipxe-shell", "iPXE shell"),
)
NETBOOTS_US = (
    Netboot(1, "harddisk", "hd", "Boot from the hard disk"),
    Netboot(2396, "rescue", "rescue64-pro", "Rescue 64-bit professional"),
    Netboot(2410, "power", "poweroff", "Power off the server"),
    Netboot(2411, "rescue", "rescue-customer", "Customer rescue system"),
    Netboot(3077, "rescue", "ipxe-shell", "iPXE shell"),
)

# Where a flavour's servers live by default: datacenter, region, zone.
SITES = {
    "EU": ("gra3", "eu-west-gra", "eu-west-gra-a"),
    "CA": ("bhs6", "ca-east-bhs", "ca-east-bhs-a"),
    "US": ("vin1", "us-east-vin", "us-east-vin-a"),
}

# An endpoint flavour: the region tag of its query ids, whether it has
# OAuth2 and the /v1 prefix (OVHcloud only, not Kimsufi or So you Start),
# and the netboot table its servers see.
Flavor = collections.namedtuple("Flavor", "region has_oauth2 has_v1 netboots")

FLAVORS = {
    "ovh-eu": Flavor("EU", True, True, NETBOOTS_EU),
    "ovh-ca": Flavor("CA", True, True, NETBOOTS_EU),
    "ovh-us": Flavor("US", True, True, NETBOOTS_US),
    "kimsufi-eu": Flavor("EU", False, False, NETBOOTS_EU),
    "kimsufi-ca": Flavor("CA", False, False, NETBOOTS_EU),
    "soyoustart-eu": Flavor("EU", False, False, NETBOOTS_EU),
    "soyoustart-ca": Flavor("CA", False, False, NETBOOTS_EU),
}

BOOT_TYPES = ("harddisk", "internal", "network", "power", "rescue")
BOOT_MODES = ("legacy", "uefi", "uefi-legacy")
SERVER_STATES = ("error", "hacked", "hackedBlocked", "ok")
CREDENTIAL_STATES = ("expired", "pendingValidation", "refused", "validated")
RULE_METHODS = ("GET", "POST", "PUT", "DELETE")
TASK_STATUSES = ("cancelled", "customerError", "doing", "done", "init",
                 "ovhError", "todo")
TASK_FINAL = ("done", "cancelled", "customerError", "ovhError")

# The fields of dedicated.server.Dedicated, in the order GET returns them.
SERVER_FIELDS = (
    "availabilityZone", "bootId", "bootScript", "commercialRange",
    "datacenter", "efiBootloaderPath", "iam", "ip", "linkSpeed", "monitoring",
    "name", "newUpgradeSystem", "noIntervention", "os", "powerState",
    "professionalUse", "rack", "region", "rescueMail", "rescueSshKey",
    "reverse", "rootDevice", "serverId", "state", "supportLevel",
)

# The fields PUT accepts, with the API type each must have.
WRITABLE_FIELDS = {
    "bootId": "long",
    "bootScript": "text",
    "efiBootloaderPath": "string",
    "monitoring": "boolean",
    "noIntervention": "boolean",
    "rescueMail": "string",
    "rescueSshKey": "text",
    "rootDevice": "string",
    "state": "dedicated.server.StateEnum",
}

# Server keys that only the emulator knows: the hardware's boot mode and
# other hardware overrides, a task configuration for this server's reboots,
# what happened at its reboots, and the netboot a script hides (bootId reads
# null while a script is active; clearing the script brings this one back).
EMULATOR_SERVER_KEYS = ("bootMode", "hardware", "tasks", "rebootCount",
                        "lastBoot", "netbootUnderScript")


def ovh_signature(secret, consumer_key, method, url, body, timestamp):
    """Return the X-Ovh-Signature of one request.

    It is "$1$" + the hex SHA-1 of AS+CK+METHOD+URL+BODY+TIMESTAMP, joined
    with "+". body is bytes; the others are str, encoded as ISO-8859-1,
    which gives back the exact bytes Python's HTTP parser decoded them from.
    """
    parts = [s.encode("iso-8859-1")
             for s in (secret, consumer_key, method, url)]
    parts += [body, timestamp.encode("iso-8859-1")]
    return "$1$" + hashlib.sha1(b"+".join(parts)).hexdigest()


@functools.lru_cache(maxsize=None)
def _wildcard_regex(pattern):
    return re.compile(".*".join(re.escape(p) for p in pattern.split("*")),
                      re.DOTALL)


def wildcard_match(pattern, text):
    """Match an access-rule path or IAM action: '*' is any run of characters,
    '/' included, so "/dedicated/server/*" covers every sub-path."""
    return _wildcard_regex(pattern).fullmatch(text) is not None
