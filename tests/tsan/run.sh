#!/bin/bash
# SPDX-License-Identifier: MIT
# ThreadSanitizer over everything that runs on several threads.
#
#   tests/tsan/run.sh
#
# Builds ipxe-lint, ipxe-render and the parser's thread test with
# -fsanitize=thread in build-tsan/ (or $IPXEKIT_TSAN_BUILD), then runs:
#   - parser.unit.threads (one- and two-thread parses compared);
#   - ipxe-lint -j 2 --enable all on a 3 MB script (the parse cut in two,
#     the rule families on two threads);
#   - ipxe-render on 2,000 hosts, with refusals, in memory (--dry-run), to
#     files (-o) and against them (--check): worker threads render while
#     the main thread merges variables and reports.
# Any report fails the run (TSan's exit code 66 is told apart from the
# tools' own 0/1 findings exit codes).  Needs clang's or gcc's TSan runtime
# (Debian's gcc has libtsan).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${IPXEKIT_TSAN_BUILD:-$root/build-tsan}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIPXEKIT_TSAN=ON -DIPXEKIT_SANITIZE=OFF -DIPXEKIT_WERROR=ON >/dev/null
cmake --build "$build" --target ipxe-lint ipxe-render test_parser_threads

export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$root/tests/tsan/inputs.py" "$tmp"
python3 "$root/bench/gen_script.py" 3M "$tmp/big.ipxe"

failed=0
# run WANT_RC LABEL CMD...: CMD must exit WANT_RC with no TSan report.
run() {
    local want=$1 label=$2 rc=0
    shift 2
    "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    if grep -q "ThreadSanitizer" "$tmp/err" || [ "$rc" != "$want" ]; then
        echo "FAIL: $label (exit $rc, want $want)"
        grep -A40 "ThreadSanitizer" "$tmp/err" | head -60 || tail -20 "$tmp/err"
        failed=1
    else
        echo "ok: $label"
    fi
}

run 0 "parser threads" "$build/tests/test_parser_threads" "$root/testdata"
run 1 "ipxe-lint -j 2 on 3 MB" "$build/linter/ipxe-lint" -j 2 --enable all \
    --format json "$tmp/big.ipxe"
render=("$build/linter/ipxe-render" "$tmp/fleet.ipxe.j2" "$tmp/inventory.json")
run 1 "ipxe-render --dry-run" "${render[@]}" --dry-run -q
run 1 "ipxe-render -o" "${render[@]}" -o "$tmp/out.d" -q
run 1 "ipxe-render --check" "${render[@]}" --check "$tmp/out.d" -q
n=$(find "$tmp/out.d" -name '*.ipxe' | wc -l)
# 2,000 hosts, every 37th refused (0, 37, ..., 1998): 1,945 written
if [ "$n" != 1945 ]; then
    echo "FAIL: ipxe-render -o wrote $n scripts, want 1945"
    failed=1
fi
exit $failed
