#!/bin/sh
# The playground's browser tests, as CI runs them: builds the site
# (emcmake cmake -S . -B build-wasm; target playground), installs
# puppeteer-core from package-lock.json (npm ci; no browser is
# downloaded: Debian's chromium is used), and runs test_playground.js
# against a native ipxe-lint.
#
# usage: tests/playground/run.sh [--screenshot PNG]
#   IPXEKIT_CLI  the native ipxe-lint to compare with (default:
#                build/linter/ipxe-lint, built there if missing)
#   --screenshot where to save the screenshot of the page with findings
#                (default: build-wasm/playground.png; the README's is
#                docs/playground.png)
# Needs: scripts/deps playground (emscripten, chromium, nodejs, npm).
set -eu
cd "$(dirname "$0")/../.."

shot=build-wasm/playground.png
if [ "${1:-}" = --screenshot ] && [ -n "${2:-}" ]; then
    shot=$2
elif [ $# -gt 0 ]; then
    echo "usage: tests/playground/run.sh [--screenshot PNG]" >&2
    exit 3
fi

cli=${IPXEKIT_CLI:-build/linter/ipxe-lint}
if [ ! -x "$cli" ]; then
    cmake -S . -B build -G Ninja >/dev/null
    cmake --build build --target ipxe-lint
fi

emcmake cmake -S . -B build-wasm >/dev/null
cmake --build build-wasm --target playground -j 2

cd tests/playground
# npm ci removes node_modules first: only when the lock file changed
if [ ! -f node_modules/.package-lock.json ] ||
    [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --ignore-scripts --no-audit --no-fund
fi
cd ../..
exec node tests/playground/test_playground.js --site build-wasm/playground \
    --cli "$cli" --screenshot "$shot"
