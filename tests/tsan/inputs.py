#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write the inputs of tests/tsan/run.sh into DIR.

usage: inputs.py DIR

  DIR/fleet.ipxe.j2    testdata/render/example's template
  DIR/inventory.json   its inventory grown to 2,000 hosts (enough batches
                       for every worker thread), every 37th host with a
                       console that adds a line (every host's script has
                       it), so refusals are reported from the workers too
"""
import json
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "testdata", "render", "example")
HOSTS = 2000


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: inputs.py DIR")
    out = sys.argv[1]
    shutil.copy(os.path.join(EXAMPLE, "fleet.ipxe.j2"),
                os.path.join(out, "fleet.ipxe.j2"))
    with open(os.path.join(EXAMPLE, "inventory.json")) as f:
        inv = json.load(f)
    models = list(inv["hosts"].values())
    hosts = {}
    for i in range(HOSTS):
        entry = json.loads(json.dumps(models[i % len(models)]))
        entry.setdefault("vars", {})["hostname"] = "srv%d" % i
        if i % 37 == 0:
            entry["vars"]["console"] = "ttyS0\nreboot"
        a, b = divmod(i, 250)
        hosts["ns%07d.ip-203-%d-%d.eu" % (2000000 + i, a, b + 1)] = entry
    inv["hosts"] = hosts
    with open(os.path.join(out, "inventory.json"), "w") as f:
        json.dump(inv, f, indent=1)


if __name__ == "__main__":
    main()
