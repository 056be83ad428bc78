#!/bin/sh
# The static ipxe-lint: builds it against musl (-DIPXEKIT_STATIC=ON,
# CC=musl-gcc), checks that `file` calls it statically linked, and runs it
# in an empty root (chroot: nothing but the binary, no libc, no /dev, no
# /proc): a script with a typo'd command gives the finding and exit 1, a
# clean one exit 0, and the document formats still come out.
# Usage: tests/static/run.sh [BUILD_DIR]   (as root: chroot; default
# build-static).  Needs musl-tools and file (scripts/deps package).
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build-static}

fail() {
    echo "tests/static/run.sh: FAIL: $*" >&2
    exit 1
}

command -v musl-gcc >/dev/null || fail "musl-gcc is missing (scripts/deps package)"
echo "-- static: building ipxe-lint with musl-gcc into $build"
CC=musl-gcc cmake -S . -B "$build" -G Ninja -DIPXEKIT_STATIC=ON \
      -DIPXEKIT_WERROR=ON >/dev/null
cmake --build "$build" -- -j2 >/dev/null
bin=$build/linter/ipxe-lint
[ -x "$bin" ] || fail "$bin was not built"
# only ipxe-lint: the renderer and the uploader need jansson and libcurl
for other in linter/ipxe-render uploader/ipxe-upload; do
    [ ! -e "$build/$other" ] || fail "$other built under IPXEKIT_STATIC"
done

what=$(file -b "$bin")
echo "-- static: file: $what"
case $what in
*"statically linked"*) ;;
*) fail "not statically linked: $what" ;;
esac

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cp "$bin" "$root/ipxe-lint"
echo "-- static: the root holds only: $(cd "$root" && ls -A)"

out=$(printf '#!ipxe\nchian http://x/y\nexit 0\n' |
      chroot "$root" /ipxe-lint -f gcc -) && rc=0 || rc=$?
echo "   typo: exit $rc: $out"
[ "$rc" = 1 ] || fail "a typo'd command gave exit $rc, want 1"
case $out in
"-:2:1: error: unknown command 'chian'"*"[IPX2101]") ;;
*) fail "unexpected finding: $out" ;;
esac

out=$(printf '#!ipxe\nchain http://x/y\n' |
      chroot "$root" /ipxe-lint -f gcc -) && rc=0 || rc=$?
echo "   clean: exit $rc"
[ "$rc" = 0 ] || fail "a clean script gave exit $rc, want 0: $out"
[ -z "$out" ] || fail "a clean script printed: $out"

# the document formats need nothing from the system either
for fmt in sarif codeclimate checkstyle; do
    out=$(printf '#!ipxe\nchian x\n' |
          chroot "$root" /ipxe-lint -f "$fmt" -) && rc=0 || rc=$?
    [ "$rc" = 1 ] || fail "-f $fmt gave exit $rc, want 1"
    case $out in
    *IPX2101*) ;;
    *) fail "-f $fmt does not name IPX2101" ;;
    esac
done
echo "   sarif, codeclimate, checkstyle: ok"

# the language server is in the static binary too: initialize, a document
# with a typo (its diagnostics), shutdown and exit (status 0)
msg() {
    printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"
}
out=$({
    msg '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
    msg '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///s.ipxe","languageId":"ipxe","version":1,"text":"#!ipxe\nchian x\n"}}}'
    sleep 1
    msg '{"jsonrpc":"2.0","id":2,"method":"shutdown"}'
    msg '{"jsonrpc":"2.0","method":"exit"}'
} | chroot "$root" /ipxe-lint --lsp) && rc=0 || rc=$?
[ "$rc" = 0 ] || fail "--lsp: shutdown and exit gave exit $rc, want 0"
case $out in
*publishDiagnostics*IPX2101*'"id":2,"result":null'*) ;;
*) fail "--lsp: no diagnostics, or no answer to shutdown: $out" ;;
esac
echo "   --lsp: ok"
echo "-- static: ok ($(wc -c <"$bin") bytes)"
