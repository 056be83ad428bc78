#!/bin/sh
# SPDX-License-Identifier: MIT
#
# scripts/demo-fleet.sh BUILD_DIR: a fleet push against the bundled OVHcloud
# API emulator, as scripts/demo shows it.  Builds nothing: BUILD_DIR must
# hold uploader/ipxe-upload.
#
# Starts the emulator over HTTPS (a throwaway CA, 40 servers mixing UEFI and
# legacy boot, 20 ms per request, 5% of requests failing at random: 429,
# 5xx, dropped connections, garbage bodies), then:
#   1. push --template testdata/render/example/fleet.ipxe.j2 to the fleet
#      (the example inventory's four hosts plus 36 more in its groups), -j 8:
#      each script rendered with the server's live facts, linted for its real
#      boot mode, journalled, written and read back; one host the inventory
#      wrongly calls legacy is refused;
#   2. list, get on one server, disk on it, rollback of it, get again.
# The emulator is stopped and the temp dir removed on exit, whatever
# happens.  Runs without a terminal; well under a minute.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: scripts/demo-fleet.sh BUILD_DIR" >&2
    exit 2
fi
cd "$(dirname "$0")/.."
root=$(pwd)
case $1 in
/*) build=$1 ;;
*) build=$root/$1 ;;
esac
upload=$build/uploader/ipxe-upload
if [ ! -x "$upload" ]; then
    echo "demo-fleet: no $upload (build first)" >&2
    exit 2
fi
python=/usr/bin/python3
emu=$root/tests/emulator
example=$root/testdata/render/example
if [ ! -f "$example/fleet.ipxe.j2" ] || [ ! -f "$example/inventory.json" ]; then
    echo "demo-fleet: no $example/fleet.ipxe.j2 and inventory.json" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipxekit-demo-fleet.XXXXXX")
emu_pid=
cleanup() {
    if [ -n "$emu_pid" ]; then
        kill "$emu_pid" 2>/dev/null || true
        wait "$emu_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The emulator: a CA, 36 servers from make_state.py, and the example's own
# four hosts with the boot modes their groups say.
sh "$emu/make_ca.sh" "$tmp/tls"
PYTHONDONTWRITEBYTECODE=1 "$python" "$emu/make_state.py" --servers 36 \
    --out "$tmp/state.json"
"$python" - "$tmp" "$example/inventory.json" <<'EOF'
import json, sys
tmp, example = sys.argv[1], sys.argv[2]
state = json.load(open(tmp + "/state.json"))
inv = json.load(open(example))
for name, host in inv["hosts"].items():
    mode = "legacy" if "legacy" in host.get("groups", []) else "uefi"
    state["servers"][name] = {"bootMode": mode, "datacenter": "gra3"}
# The rest of the fleet joins the example's groups: its boot mode, and an
# installer or a RAM system in turn.  One UEFI server is wrongly listed as
# legacy: its script (BIOS disk boot) is refused for its real boot mode.
generated = sorted(n for n in state["servers"] if n not in inv["hosts"])
wrong = next(n for n in generated if state["servers"][n]["bootMode"] == "uefi")
for i, name in enumerate(generated):
    mode = "legacy" if state["servers"][name]["bootMode"] == "legacy" \
        else "uefi"
    if name == wrong:
        mode = "legacy"
    inv["hosts"][name] = {
        "groups": [mode, "installer" if i % 2 == 0 else "ramdisk"],
        "vars": {"hostname": "node%02d" % i}}
json.dump(state, open(tmp + "/state.json", "w"))
json.dump(inv, open(tmp + "/inventory.json", "w"), indent=1)
EOF
PYTHONDONTWRITEBYTECODE=1 "$python" "$emu/ovh_emulator.py" \
    --state "$tmp/state.json" --cert "$tmp/tls/server.pem" \
    --key "$tmp/tls/server.key" --port 0 --port-file "$tmp/port" \
    --latency-ms 20 --fault-rate 0.05 --fault-seed 42 \
    2>"$tmp/emulator.err" &
emu_pid=$!
tries=0
while [ ! -s "$tmp/port" ]; do
    tries=$((tries + 1))
    if [ $tries -gt 200 ] || ! kill -0 "$emu_pid" 2>/dev/null; then
        echo "demo-fleet: the emulator did not start:" >&2
        cat "$tmp/emulator.err" >&2
        exit 1
    fi
    sleep 0.05
done
port=$(cat "$tmp/port")

# The tool reads its credentials as python-ovh does; here, the emulator's.
# HOME and XDG_STATE_HOME are the demo's, so no real config or journal is
# touched.
export OVH_ENDPOINT="https://127.0.0.1:$port/1.0"
export OVH_APPLICATION_KEY=emulatorAppKey01
export OVH_APPLICATION_SECRET=emulatorAppSecret000000000000001
export OVH_CONSUMER_KEY=emulatorConsumerKey0000000000001
export HOME="$tmp" XDG_STATE_HOME="$tmp/state"
cd "$tmp"
ln -s "$example" example

# Show a command (paths shortened), run it, and say how it ended.
run() {
    echo "\$ ipxe-upload $*" | sed -e "s#$root/##g" -e "s#$tmp/##g" \
        -e "s# --cacert tls/ca.pem##"
    status=0
    "$upload" "$@" || status=$?
    [ $status -eq 0 ] || echo "(exit status $status)"
    echo
}

ca="--cacert $tmp/tls/ca.pem"
one=$("$python" -c 'import json,sys; print(sorted(json.load(open(sys.argv[1]))["hosts"])[0])' \
      "$example/inventory.json")

echo "== ipxe-upload against the OVHcloud API emulator on $OVH_ENDPOINT"
echo "   40 servers, 20 ms per request, 5% of requests failing at random"
echo
echo "== push: render each server's script with its live facts, lint it"
echo "   for its real boot mode, journal, write, read back (-j 8)"
# shellcheck disable=SC2086
run push --template example/fleet.ipxe.j2 --inventory inventory.json \
    -j 8 --rate 1200/min --report report.json $ca
wrong=$("$python" -c 'import json,sys; print(" ".join(s["server"] for s in json.load(open(sys.argv[1]))["servers"] if s["result"] == "refused"))' report.json)
echo "(the inventory calls $wrong legacy; the API says it boots UEFI, where"
echo " the template's BIOS disk boot would not work: refused, nothing written)"
echo
echo "== what every server boots now"
# shellcheck disable=SC2086
run list -j 8 --rate unlimited $ca
echo "== one server's script, as the API returns it"
# shellcheck disable=SC2086
run get "$one" $ca
echo "== back to the disk: the harddisk netboot looked up, never assumed"
# shellcheck disable=SC2086
run disk "$one" --rate unlimited $ca
# shellcheck disable=SC2086
run get "$one" $ca
echo "== rollback: the journal's previous state, restored byte for byte"
# shellcheck disable=SC2086
run rollback "$one" --rate unlimited $ca
# shellcheck disable=SC2086
run get "$one" $ca | head -5
echo "== the journal: $(wc -l <"$tmp/state/ipxekit/journal.jsonl") records in \$XDG_STATE_HOME/ipxekit/journal.jsonl"
