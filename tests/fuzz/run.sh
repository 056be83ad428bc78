#!/bin/bash
# SPDX-License-Identifier: MIT
# Fuzz one harness with libFuzzer for SECONDS (default 60).
#
#   tests/fuzz/run.sh [SECONDS] [parse|lint|render|lsp]    (default: parse)
#
#   parse   tests/fuzz/fuzz_parse.c: the parser (tree invariants, round
#           trip, iPXE's own reading)
#   lint    tests/fuzz/fuzz_lint.c: every rule and every report format
#   render  tests/fuzz/fuzz_render.c: the template engine, the inventory
#           loader and the render pipeline
#   lsp     tests/fuzz/fuzz_lsp.c: the language server's message layer
#           (framing, JSON, life cycle, sync, every request)
#
# Builds the harness with clang (-fsanitize=fuzzer, and the code under test
# with ASan+UBSan) in build-fuzz/ (or $IPXEKIT_FUZZ_BUILD), seeds a fresh
# corpus in /tmp from ../shared/corpus, the harness's test inputs and its
# regressions folder (nothing is copied into the repository), and runs with
# -timeout=10 -rss_limit_mb=2048.  Exits non-zero on any crash, leak,
# timeout or out-of-memory; the input that caused it is kept in
# build-fuzz/artifacts/ (add it to the harness's regressions folder once
# the bug is fixed, so its *.fuzz.regressions test replays it).
#
# IPXEKIT_FUZZ_MODEL=0 turns off the parse harness's comparison with iPXE's
# reading (see fuzz_parse.c) to hunt for crashes only.  Needs clang and
# Debian's libclang-rt-14-dev.
set -euo pipefail

usage() {
    echo "usage: $0 [SECONDS] [parse|lint|render|lsp]" >&2
    exit 2
}
seconds=${1:-60}
harness=${2:-parse}
case $seconds in
'' | *[!0-9]*) usage ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${IPXEKIT_FUZZ_BUILD:-$root/build-fuzz}
shared=$root/../shared/corpus
case $harness in
parse)
    regressions=$root/tests/fuzz/regressions
    max_len=65536
    ;;
lint)
    regressions=$root/tests/fuzz/regressions-lint
    max_len=65536
    ;;
render)
    regressions=$root/tests/fuzz/regressions-render
    max_len=16384
    ;;
lsp)
    regressions=$root/tests/fuzz/regressions-lsp
    max_len=16384
    ;;
*) usage ;;
esac

CC=clang cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIPXEKIT_FUZZ=ON -DIPXEKIT_SANITIZE=ON >/dev/null
cmake --build "$build" --target "fuzz_$harness"

work=$(mktemp -d /tmp/ipxekit-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$build/artifacts"

# Seeds: the corpus files (if ../shared is there), the harness's test
# inputs, its regressions.  Names are numbered: corpus files share base
# names.  fuzz_lint reads its options from an input's first byte
# (fuzz_lint.c), so a script seeds it twice: as itself (plain, or a
# template for *.j2: byte 0x00 or 0x04), and with efi, require-https and
# colours on (0x89, 0x8d).  The others take files as they are.
n=0
seed() {
    while IFS= read -r -d '' f; do
        if [ "$harness" = lint ]; then
            t=0
            case $f in *.j2) t=4 ;; esac
            { printf "\\x0$t"; cat "$f"; } >"$work/corpus/seed-$n"
            { printf "\\x8$(printf %x $((9 + t)))"; cat "$f"; } \
                >"$work/corpus/seed-$n-opts"
        elif [ "$harness" = lsp ]; then
            # a session on the script (fuzz_lsp.c); UTF-8 positions and
            # the template's name for every other one
            { printf "\\00$((n % 2 ? 7 : 1))"; cat "$f"; } >"$work/corpus/seed-$n"
        else
            cp "$f" "$work/corpus/seed-$n"
        fi
        n=$((n + 1))
    done
}
seed_raw() {
    while IFS= read -r -d '' f; do
        cp "$f" "$work/corpus/seed-$n"
        n=$((n + 1))
    done
}
if [ -d "$shared" ]; then
    if [ "$harness" = render ]; then
        seed < <(find "$shared" -type f -name '*.j2' -print0)
    elif [ "$harness" = lsp ]; then
        # a session is a few hundred requests: the golden scripts below
        # cover the language, and seeding with all 586 files would take
        # longer than the run
        :
    else
        seed < <(find "$shared" -type f ! -name '*.md' ! -name '*.tsv' -print0)
    fi
else
    echo "note: $shared not found; seeding from the repository only"
fi
case $harness in
parse)
    seed < <(find "$root/testdata/parse" -type f \( -name '*.ipxe' -o -name '*.j2' \) -print0) ;;
lint | lsp)
    seed < <(find "$root/testdata/lint" -type f \( -name '*.ipxe' -o -name '*.j2' \) -print0) ;;
render)
    seed < <(find "$root/testdata/render" -type f -print0) ;;
esac
# regressions are whole inputs, option byte included
if [ -d "$regressions" ]; then
    seed_raw < <(find "$regressions" -type f ! -name 'README*' -print0)
fi
echo "fuzzing fuzz_$harness for ${seconds}s from $n seeds"

# a crash is reported with file and line when the symbolizer is found
# (llvm-14's is not on PATH under its plain name)
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] &&
    [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
status=0
"$build/tests/fuzz_$harness" -max_total_time="$seconds" -max_len="$max_len" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/" "$work/corpus" || status=$?
if [ "$status" -ne 0 ]; then
    echo "FAIL: the fuzzer found a problem (status $status); inputs kept in" \
         "$build/artifacts/:" >&2
    ls -l "$build/artifacts/" >&2
    exit 1
fi
echo "fuzzing fuzz_$harness: clean after ${seconds}s"
