#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write an emulator state file holding a fleet of servers.

    make_state.py --servers 1000 [--flavor ovh-eu] [--out STATE.json]

The credentials are fixed test values (override them with --app-key,
--app-secret, --consumer-key); the consumer key is validated and granted
the calls the uploader makes. Servers get unique names and addresses from
198.18.0.0/15 (reserved for benchmarks), a datacenter and a boot mode,
all derived from their index, so the same arguments give the same file.
"""

import argparse
import json
import sys

from ovhemu.facts import FLAVORS

DEFAULT_APP_KEY = "emulatorAppKey01"
DEFAULT_APP_SECRET = "emulatorAppSecret000000000000001"
DEFAULT_CONSUMER_KEY = "emulatorConsumerKey0000000000001"

# The calls the uploader makes: read servers, netboots, hardware and
# tasks; write a server; reboot it.
UPLOADER_RULES = [
    {"method": "GET", "path": "/dedicated/server"},
    {"method": "GET", "path": "/dedicated/server/*"},
    {"method": "PUT", "path": "/dedicated/server/*"},
    {"method": "POST", "path": "/dedicated/server/*/reboot"},
]

# Service-name suffix and datacenters of each region.
REGION_TLD = {"EU": "eu", "CA": "net", "US": "us"}
REGION_DATACENTERS = {
    "EU": ("gra3", "rbx8", "sbg5"),
    "CA": ("bhs6", "bhs8"),
    "US": ("vin1", "hil1"),
}

# Six in ten servers boot UEFI, three legacy, one uefi-legacy.
BOOT_MODE_CYCLE = ("uefi", "legacy", "uefi", "uefi-legacy", "uefi",
                   "legacy", "uefi", "uefi", "legacy", "uefi")


def fleet_server(index, region):
    """Name and seed fields of the index-th server of a fleet."""
    address = (198 << 24) | (18 << 16) | (index + 1)  # 198.18.0.1 onwards
    octets = [(address >> shift) & 255 for shift in (24, 16, 8, 0)]
    name = "ns%d.ip-%d-%d-%d.%s" % (3100000 + index, octets[0], octets[1],
                                    octets[2], REGION_TLD[region])
    datacenters = REGION_DATACENTERS[region]
    return name, {
        "ip": "%d.%d.%d.%d" % tuple(octets),
        "datacenter": datacenters[index % len(datacenters)],
        "bootMode": BOOT_MODE_CYCLE[index % len(BOOT_MODE_CYCLE)],
    }


def build_state(count, flavor="ovh-eu", app_key=DEFAULT_APP_KEY,
                app_secret=DEFAULT_APP_SECRET,
                consumer_key=DEFAULT_CONSUMER_KEY):
    """Return a state (a dict ready for json.dump) with count servers."""
    region = FLAVORS[flavor].region
    servers = dict(fleet_server(i, region) for i in range(count))
    return {
        "applications": [{"key": app_key, "secret": app_secret}],
        "consumers": [{"key": consumer_key, "application": app_key,
                       "validated": True, "rules": UPLOADER_RULES}],
        "servers": servers,
    }


def main(argv):
    p = argparse.ArgumentParser(description="Write an emulator state file "
                                "with a fleet of servers.")
    p.add_argument("--servers", type=int, required=True, metavar="N")
    p.add_argument("--flavor", default="ovh-eu", choices=sorted(FLAVORS))
    p.add_argument("--app-key", default=DEFAULT_APP_KEY)
    p.add_argument("--app-secret", default=DEFAULT_APP_SECRET)
    p.add_argument("--consumer-key", default=DEFAULT_CONSUMER_KEY)
    p.add_argument("--out", metavar="FILE", help="default: standard output")
    args = p.parse_args(argv)
    if not 0 <= args.servers <= 65000:
        p.error("--servers must be between 0 and 65000")
    state = build_state(args.servers, args.flavor, args.app_key,
                        args.app_secret, args.consumer_key)
    text = json.dumps(state, indent=1, sort_keys=True) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
