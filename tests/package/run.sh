#!/bin/sh
# Shipping, end to end (from .ci/run; as root on a throwaway Debian 12):
#   1. the Debian packages, built with dpkg-buildpackage from a clean copy
#      of HEAD (git archive: no build tree, no ../shared), with CI unset so
#      the tests that need ../shared skip as they do outside CI;
#   2. their contents and dependencies (ipxe-lint: libc6 only), lintian
#      (no error, no warning: debian/*.lintian-overrides say why for those
#      kept), one version everywhere;
#   3. cmake --install into a DESTDIR, and the layout it gives;
#   4. the static ipxe-lint in an empty chroot (tests/static/run.sh);
#   5. apt-get install of the ipxe-lint package, `man ipxe-lint`, and the
#      pre-commit hook from .pre-commit-hooks.yaml refusing a commit with a
#      typo'd command and accepting the fixed one.
# Usage: tests/package/run.sh   Prints each step; exits 1 on any mismatch.
# Leaves the system as it found it (the package is removed again if it was
# not installed before).
set -eu
cd "$(dirname "$0")/../.."
repo=$(pwd)

step() { echo "-- package: $*"; }
fail() {
    echo "tests/package/run.sh: FAIL: $*" >&2
    exit 1
}

[ "$(id -u)" = 0 ] || fail "run this as root (apt-get, chroot)"
step "scripts/deps package"
scripts/deps package

work=$(mktemp -d /tmp/ipxekit-package.XXXXXX)
was_installed=no
dpkg-query -W -f='${Status}' ipxe-lint 2>/dev/null | grep -q "ok installed" &&
    was_installed=yes
cleanup() {
    if [ "$was_installed" = no ] &&
       dpkg-query -W -f='${Status}' ipxe-lint 2>/dev/null |
           grep -q "ok installed"; then
        DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq ipxe-lint \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

version=$(sed -n 's/^project(ipxekit VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[ -n "$version" ] || fail "no project(ipxekit VERSION ...) in CMakeLists.txt"
step "version $version (CMakeLists.txt)"

# 1. the packages, from a clean copy of HEAD
step "dpkg-buildpackage -b -us -uc on git archive HEAD (CI unset)"
mkdir "$work/src"
git archive --format=tar HEAD | tar -x -C "$work/src"
if ! (cd "$work/src" && env -u CI dpkg-buildpackage -b -us -uc -j2 \
          >"$work/build.log" 2>&1); then
    tail -n 60 "$work/build.log"
    fail "dpkg-buildpackage failed (log above)"
fi
grep -E "tests passed|tests failed" "$work/build.log" | sed 's/^/   /'
arch=$(dpkg --print-architecture)
lint_deb=$work/ipxe-lint_${version}_$arch.deb
kit_deb=$work/ipxekit_${version}_$arch.deb
for deb in "$lint_deb" "$kit_deb"; do
    [ -f "$deb" ] || fail "$(basename "$deb") was not built: $(ls "$work")"
done

# 2. contents, dependencies, lintian, versions
step "contents (dpkg-deb -c)"
contents() { dpkg-deb -c "$1" | awk '{print $6}' | sed 's|^\./|/|'; }
has() {
    contents "$1" | grep -qx "$2" || fail "$(basename "$1") lacks $2"
}
lacks() {
    ! contents "$1" | grep -q "$2" || fail "$(basename "$1") has $2"
}
has "$lint_deb" /usr/bin/ipxe-lint
has "$lint_deb" /usr/share/man/man1/ipxe-lint.1.gz
has "$lint_deb" /usr/share/bash-completion/completions/ipxe-lint
has "$lint_deb" /usr/share/doc/ipxe-lint/rules/IPX2001.md
has "$lint_deb" /usr/share/doc/ipxe-lint/ci.md
has "$lint_deb" /usr/share/doc/ipxe-lint/editors.md
has "$lint_deb" /usr/share/doc/ipxe-lint/copyright
lacks "$lint_deb" "ipxe-render\|ipxe-upload"
for f in /usr/bin/ipxe-render /usr/bin/ipxe-upload \
         /usr/share/man/man1/ipxe-render.1.gz \
         /usr/share/man/man1/ipxe-upload.1.gz \
         /usr/share/bash-completion/completions/ipxe-render \
         /usr/share/bash-completion/completions/ipxe-upload \
         /usr/share/doc/ipxekit/templates.md \
         /usr/share/doc/ipxekit/copyright; do
    has "$kit_deb" "$f"
done
lacks "$kit_deb" "/usr/bin/ipxe-lint"
echo "   ipxe-lint: $(contents "$lint_deb" | grep -c -v '/$') files," \
     "ipxekit: $(contents "$kit_deb" | grep -c -v '/$') files"

step "dependencies (dpkg-deb -f Depends)"
lint_dep=$(dpkg-deb -f "$lint_deb" Depends)
kit_dep=$(dpkg-deb -f "$kit_deb" Depends)
echo "   ipxe-lint: Depends: $lint_dep"
echo "   ipxekit:   Depends: $kit_dep"
echo "$lint_dep" | grep -Eqx 'libc6 \(>= [0-9.~]+\)' ||
    fail "ipxe-lint must depend on libc6 only: $lint_dep"
for want in "ipxe-lint (= $version)" libcurl4 libjansson4; do
    case $kit_dep in
    *"$want"*) ;;
    *) fail "ipxekit does not depend on $want: $kit_dep" ;;
    esac
done

step "lintian"
changes=$(ls "$work"/ipxekit_"$version"_*.changes)
lintian --fail-on error,warning --info "$changes" >"$work/lintian.log" 2>&1 &&
    rc=0 || rc=$?
sed 's/^/   /' "$work/lintian.log"
[ "$rc" = 0 ] || fail "lintian found errors or warnings (exit $rc)"
echo "   lintian: no error, no warning"

step "one version: CMake, debian/changelog, the packages, --version"
changelog=$(dpkg-parsechangelog -l debian/changelog -S Version)
[ "${changelog%%-*}" = "$version" ] ||
    fail "debian/changelog says $changelog, CMake $version"
for deb in "$lint_deb" "$kit_deb"; do
    v=$(dpkg-deb -f "$deb" Version)
    [ "${v%%-*}" = "$version" ] || fail "$(basename "$deb") is version $v"
done
mkdir "$work/x"
dpkg-deb -x "$lint_deb" "$work/x"
dpkg-deb -x "$kit_deb" "$work/x"
for tool in ipxe-lint ipxe-render ipxe-upload; do
    out=$("$work/x/usr/bin/$tool" --version)
    [ "${out##* }" = "$version" ] || fail "$tool --version says: $out"
    echo "   $out"
done

# 3. cmake --install into a DESTDIR
step "cmake --install --prefix /usr into a DESTDIR"
cmake -S "$work/src" -B "$work/build-install" -G Ninja \
      -DBUILD_TESTING=OFF >/dev/null
cmake --build "$work/build-install" -- -j2 >/dev/null
DESTDIR="$work/destdir" cmake --install "$work/build-install" --prefix /usr \
    >/dev/null
for f in bin/ipxe-lint bin/ipxe-render bin/ipxe-upload \
         share/man/man1/ipxe-lint.1 share/man/man1/ipxe-render.1 \
         share/man/man1/ipxe-upload.1 \
         share/bash-completion/completions/ipxe-lint \
         share/bash-completion/completions/ipxe-render \
         share/bash-completion/completions/ipxe-upload \
         share/doc/ipxekit/ci.md share/doc/ipxekit/editors.md \
         share/doc/ipxekit/templates.md \
         share/doc/ipxekit/uploader.md share/doc/ipxekit/NEWS.md \
         share/doc/ipxekit/rules/IPX2001.md; do
    [ -f "$work/destdir/usr/$f" ] || fail "cmake --install: no /usr/$f"
done
[ -x "$work/destdir/usr/bin/ipxe-lint" ] || fail "ipxe-lint not executable"
nrules=$(ls "$work/destdir/usr/share/doc/ipxekit/rules" | wc -l)
[ "$nrules" = "$(ls docs/rules/*.md | wc -l)" ] ||
    fail "cmake --install: $nrules rule pages"
unexpected=$(cd "$work/destdir" && find . -type f | grep -v -E \
    '^\./usr/(bin|share/man/man1|share/bash-completion/completions|share/doc/ipxekit)/' || true)
[ -z "$unexpected" ] || fail "cmake --install wrote elsewhere: $unexpected"
echo "   $(cd "$work/destdir" && find . -type f | wc -l) files under usr/"

# 4. the static ipxe-lint
step "the static ipxe-lint (tests/static/run.sh)"
tests/static/run.sh "$work/build-static"

# 5. the package installed, its man page, the pre-commit hook
step "apt-get install ./ipxe-lint_${version}_$arch.deb"
(cd "$work" && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq "./$(basename "$lint_deb")" >/dev/null 2>&1) ||
    fail "apt-get install of the ipxe-lint package failed"
[ "$(PATH=/usr/bin:/bin command -v ipxe-lint)" = /usr/bin/ipxe-lint ] ||
    fail "ipxe-lint is not /usr/bin/ipxe-lint once installed"
echo "   $(/usr/bin/ipxe-lint --version)"
page=$(man -w ipxe-lint) || fail "man -w ipxe-lint finds no page"
echo "   man -w ipxe-lint: $page"
case $page in
*.1.gz) ;;
*) fail "the man page is not installed compressed: $page" ;;
esac
MANPAGER=cat MANWIDTH=80 man ipxe-lint 2>/dev/null | grep -q "checkstyle" ||
    fail "man ipxe-lint does not render the page"

step "pre-commit with the hook from .pre-commit-hooks.yaml"
scratch=$work/scratch
export PRE_COMMIT_HOME="$work/pre-commit-home"
git init -q "$scratch"
git -C "$scratch" config user.email ci@example.invalid
git -C "$scratch" config user.name ci
# the hook repository is this one, at HEAD: pre-commit clones it from the
# local path (no network) and reads its .pre-commit-hooks.yaml
cat >"$scratch/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $repo
    rev: $(git rev-parse HEAD)
    hooks:
      - id: ipxe-lint
YAML
(cd "$scratch" && PATH=/usr/bin:/bin pre-commit install >/dev/null) ||
    fail "pre-commit install failed"
git -C "$scratch" add .pre-commit-config.yaml
printf '#!ipxe\nchian http://boot.example/next.ipxe\n' >"$scratch/boot.ipxe"
git -C "$scratch" add boot.ipxe
if (cd "$scratch" && PATH=/usr/bin:/bin git commit -q -m typo \
        >"$work/commit1.log" 2>&1); then
    cat "$work/commit1.log"
    fail "pre-commit accepted a script with a typo'd command"
fi
grep -q "unknown command 'chian'" "$work/commit1.log" ||
    { cat "$work/commit1.log"; fail "the refusal does not name the typo"; }
echo "   typo refused: $(grep -o "boot.ipxe:2:1: error: unknown command 'chian'" "$work/commit1.log")"
printf '#!ipxe\nchain http://boot.example/next.ipxe\n' >"$scratch/boot.ipxe"
git -C "$scratch" add boot.ipxe
(cd "$scratch" && PATH=/usr/bin:/bin git commit -q -m fixed \
     >"$work/commit2.log" 2>&1) ||
    { cat "$work/commit2.log"; fail "pre-commit refused the fixed script"; }
echo "   fixed script committed: $(git -C "$scratch" log --oneline | head -1)"

echo "-- package: all checks passed"
