#!/bin/bash
# SPDX-License-Identifier: MIT
# Fuzz the parser with libFuzzer for SECONDS (default 60).
#
#   tests/fuzz/run.sh [SECONDS]
#
# Builds tests/fuzz/fuzz_parse.c with clang (-fsanitize=fuzzer, and the
# whole parser with ASan+UBSan) in build-fuzz/ (or $IPXEKIT_FUZZ_BUILD),
# seeds a fresh corpus in /tmp from ../shared/corpus, testdata/parse and
# tests/fuzz/regressions (nothing is copied into the repository), and runs
# with -max_len=65536 -timeout=10 -rss_limit_mb=2048.  Exits non-zero on
# any crash, leak, timeout or out-of-memory; the input that caused it is
# kept in build-fuzz/artifacts/ (add it to tests/fuzz/regressions/ once the
# bug is fixed, so parser.fuzz.regressions replays it).
#
# IPXEKIT_FUZZ_MODEL=0 turns off the comparison with iPXE's reading (see
# fuzz_parse.c) to hunt for crashes only.  Needs clang and Debian's
# libclang-rt-14-dev.
set -euo pipefail

seconds=${1:-60}
case $seconds in
'' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${IPXEKIT_FUZZ_BUILD:-$root/build-fuzz}
shared=$root/../shared/corpus

CC=clang cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIPXEKIT_FUZZ=ON -DIPXEKIT_SANITIZE=ON >/dev/null
cmake --build "$build" --target fuzz_parse

work=$(mktemp -d /tmp/ipxekit-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$build/artifacts"

# Seeds: every corpus file (if ../shared is there), every golden input, every
# regression.  Names are numbered: corpus files share base names.
n=0
seed() {
    while IFS= read -r -d '' f; do
        cp "$f" "$work/corpus/seed-$n"
        n=$((n + 1))
    done
}
if [ -d "$shared" ]; then
    seed < <(find "$shared" -type f ! -name '*.md' ! -name '*.tsv' -print0)
else
    echo "note: $shared not found; seeding from the repository only"
fi
seed < <(find "$root/testdata/parse" -type f \( -name '*.ipxe' -o -name '*.j2' \) -print0)
seed < <(find "$root/tests/fuzz/regressions" -type f ! -name 'README*' -print0)
echo "fuzzing for ${seconds}s from $n seeds"

status=0
"$build/tests/fuzz_parse" -max_total_time="$seconds" -max_len=65536 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/" "$work/corpus" || status=$?
if [ "$status" -ne 0 ]; then
    echo "FAIL: the fuzzer found a problem (status $status); inputs kept in" \
         "$build/artifacts/:" >&2
    ls -l "$build/artifacts/" >&2
    exit 1
fi
echo "fuzzing: clean after ${seconds}s"
