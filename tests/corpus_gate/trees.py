#!/usr/bin/env python3
"""Corpus gate for tree mode (issue 16): the shared corpus laid out as the
trees of scripts its repositories are, and each linted as one.

Usage: trees.py IPXE_LINT ROOT SHARED [--report]

MANIFEST.tsv gives each corpus file's repository and real path: each
repository becomes a folder of symbolic links under a temporary folder (the
corpus is never copied into the project), linted twice:

  before  ipxe-lint --no-config -f gcc FILE...       (one file at a time)
  after   ipxe-lint --no-config -f gcc --tree DIR [--map ...]

The gate fails when tree mode reports an error the files alone did not
that is not in testdata/corpus-tree-errors.tsv (each line there is an error
read by a person, with the verdict: a real bug, or why it is not one), when
a listed error is no longer reported, or when a run crashes.  It prints the number of
undefined-setting findings (IPX2205) before and after, and the new
errors.  Skipped (exit 77) without SHARED/corpus, except under CI=true.
"""
import csv
import os
import re
import subprocess
import sys
import tempfile

GCC_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<sev>error|warning|note): (?P<msg>.*) \[(?P<code>IPX\d{4})\]$")

# Where a repository's scripts are served from, when their own URLs chain
# them: netboot.xyz's menus are served rendered from the root of its site.
MAPS = {
    "netbootxyz/netboot.xyz": [
        "https://boot.netboot.xyz/=roles/netbootxyz/templates/menu",
        "http://boot.netboot.xyz/=roles/netbootxyz/templates/menu",
        "https://boot.netboot.xyz/=roles/netbootxyz/templates",
        "http://boot.netboot.xyz/=roles/netbootxyz/templates",
    ],
}


def lay_out(corpus, top):
    """Symbolic links under @p top, one folder per repository."""
    repos = {}
    with open(os.path.join(corpus, "MANIFEST.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            d = os.path.join(top, row["repo"].replace("/", "__"))
            dst = os.path.join(d, row["path"])
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if not os.path.lexists(dst):
                os.symlink(os.path.join(corpus, row["local_file"]), dst)
            repos.setdefault(row["repo"], []).append(row["path"])
    return repos


def run(argv, cwd):
    p = subprocess.run(argv, cwd=cwd, capture_output=True, timeout=600)
    if p.returncode not in (0, 1):
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv[:6]),
                           p.returncode, p.stderr.decode(errors="replace")))
    found = []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        m = GCC_LINE.match(line)
        if m:
            found.append(m)
    return found


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    lint, root, shared = (os.path.abspath(sys.argv[1]), sys.argv[2],
                          sys.argv[3])
    corpus = os.path.join(shared, "corpus")
    if not os.path.isdir(corpus):
        if os.environ.get("CI") == "true":
            print("%s is missing, and CI=true" % corpus)
            return 1
        print("skipped: no %s" % corpus)
        return 77
    listed = {}
    with open(os.path.join(root, "testdata", "corpus-tree-errors.tsv"),
              encoding="utf-8") as f:
        for row in csv.reader(f, delimiter="\t"):
            if row and not row[0].startswith("#"):
                listed[(row[0], row[1], int(row[2]), row[3])] = row[4]
    failures = []
    before = after = 0
    seen = set()
    with tempfile.TemporaryDirectory(prefix="ipxekit-trees-") as top:
        repos = lay_out(corpus, top)
        for repo in sorted(repos):
            d = os.path.join(top, repo.replace("/", "__"))
            files = sorted(repos[repo])
            try:
                plain = run([lint, "--no-config", "-f", "gcc"] + files, d)
                args = ["--tree", "."]
                for m in MAPS.get(repo, []):
                    args += ["--map", m]
                tree = run([lint, "--no-config", "-f", "gcc"] + args, d)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                failures.append("%s: %s" % (repo, e))
                continue
            before += sum(1 for m in plain if m["code"] == "IPX2205")
            after += sum(1 for m in tree if m["code"] == "IPX2205")
            old = {(os.path.normpath(m["path"]), int(m["line"]), m["code"])
                   for m in plain if m["sev"] == "error"}
            for m in tree:
                path = os.path.normpath(m["path"])
                key = (repo, path, int(m["line"]), m["code"])
                if m["sev"] != "error" or (path, int(m["line"]),
                                           m["code"]) in old:
                    continue
                if key in seen:
                    continue
                seen.add(key)
                print("new error: %s/%s:%s: %s [%s]" % (
                    repo, path, m["line"], m["msg"], m["code"]))
                if key not in listed:
                    failures.append("%s/%s:%s: %s [%s] is not in "
                                    "testdata/corpus-tree-errors.tsv: read "
                                    "it and list it with the verdict; an "
                                    "error that is no bug means the rule "
                                    "needs work" % (
                                        repo, path, m["line"], m["msg"],
                                        m["code"]))
    for key in sorted(set(listed) - seen):
        failures.append("%s/%s:%d [%s] is listed but no longer reported"
                        % key)
    print("IPX2205 undefined-setting: %d findings one file at a time, %d "
          "in tree mode" % (before, after))
    print("new errors in tree mode: %d (%d listed as read)"
          % (len(seen), len(listed)))
    for f in failures:
        print("FAIL " + f)
    print("%d passed, %d failed" % (0 if failures else 1,
                                    1 if failures else 0))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
