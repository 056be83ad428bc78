#!/usr/bin/env python3
"""The real interpreter as judge: probe scripts run in Debian's iPXE under
qemu, and ipxe-lint must agree with what iPXE did.

For each probe: when iPXE stopped it at line N, ipxe-lint must report a
finding (warning or error) on that line (any physical line of its logical
line); when iPXE ran it through, ipxe-lint must report no error.  Probes
whose outcome depends on the world rather than the script are classified,
not counted: a download or the network (they work on a real network), a
key press, the machine, a command this 2019 build of iPXE lacks.

Usage:
  judge.py --lint IPXE_LINT --cmdtable JUDGE_CMDTABLE [--sample] [--jobs N]
           [--keep DIR] [--only ID,...] [--verbose]

--sample runs the fixed CI sample (generate.in_sample); without it, every
probe (the long run).  Exit status: 0 every counted probe agrees, 1 a
disagreement, 2 the harness failed, 77 qemu or the ipxe package is missing
(a failure instead under CI=true).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
import harness  # noqa: E402

# A message iPXE prints when a command rejects its own words: the failure
# is the script's, whatever the world is like.
USAGE = re.compile(r"Usage:|Unrecognised option|requires an argument|"
                   r"invalid|Invalid|not a valid|no such image|"
                   r"command not found|Not in a script")
NOT_FOUND = re.compile(r"^(\S*): command not found")


def lint(lint_bin, files, cwd):
    """ipxe-lint's findings (warning and error) per file, by line."""
    env = dict(os.environ)
    env.pop("IPXE_LINT_OPTS", None)
    proc = subprocess.run([os.path.abspath(lint_bin), "--no-config", "--platform", "pcbios",
                           "-S", "warning", "--failure-threshold", "none",
                           "-f", "json"] + files, cwd=cwd, env=env,
                          capture_output=True)
    if proc.returncode not in (0, 1):
        raise RuntimeError("ipxe-lint failed: " + proc.stderr.decode())
    found = {f: [] for f in files}
    lint_bin = os.path.abspath(lint_bin)
    for d in json.loads(proc.stdout)["findings"]:
        found.setdefault(d["file"], []).append(d)
    return found


def option_missing(p, line, console, table):
    """The option of line @p line that iPXE's usage text leaves out (this
    build is older than the command table), or None."""
    text = "".join(console)
    if "Usage:" not in text:
        return None
    lines = p.data.decode("latin-1").split("\n")
    if line > len(lines):
        return None
    words = lines[line - 1].split()
    d = table.get(words[0]) if words else None
    if not d:
        return None
    longs = {"--" + o["long"] for o in d["options"]}
    shorts = {o["short"] for o in d["options"] if o["short"]}
    for w in words[1:]:
        if not w.startswith("-") or w in ("-", "--"):
            if w == "--":
                break
            continue
        if w.startswith("--"):
            name = w.split("=", 1)[0]
            if name in longs and name not in text:
                return name
        else:
            for c in w[1:]:
                if c in shorts and ("-" + c + "|") not in text:
                    return "-" + c
    return None


def judge_one(p, r, findings, table):
    """(verdict, detail): verdict is 'agree', 'disagree' or a class."""
    errors = [d for d in findings if d["severity"] == "error"]
    if r is None or r.status() == "not-run":
        return "not-run", "the driver never reached it"
    console = "\n".join(r.console)
    for line in r.console:
        m = NOT_FOUND.match(line)
        if m and m.group(1) in table:
            return "missing-in-build", m.group(1) + ": command not found"
    if r.status() == "ran":
        if errors:
            return "disagree", "iPXE ran it through; ipxe-lint: " + "; ".join(
                "%d: %s %s" % (d["line"], d["code"], d["message"])
                for d in errors)
        return "agree", "ran through, no error"
    if r.status() == "ended-boot":
        line = r.last_marker
        cls = p.env.get(line) if line else None
        # a reset can cut the last marker short: a line that boots says it
        if not cls and "boot" in p.env.values():
            cls = "boot"
        if cls:
            return cls, "never returned (line %s)" % line
        return "disagree", "never returned after line %s" % line
    # stopped
    line = r.last_marker if r.last_marker else 1
    last = p.logical.get(line, line)
    cls = p.env.get(line)
    # a setting only a caller sets decides the whole line; otherwise a
    # message of the command about its own words makes it the script's
    if cls == "caller" or (cls and not USAGE.search(console)):
        return cls, "stopped at line %d: %s" % (line, console[-160:])
    opt = option_missing(p, line, r.console, table)
    if opt:
        return "missing-in-build", "this build has no option " + opt
    hits = [d for d in findings if line <= d["line"] <= last or
            d["line"] <= line <= d.get("endLine", d["line"])]
    if hits:
        return "agree", "stopped at line %d; %s" % (
            line, ", ".join(d["code"] for d in hits))
    return "disagree", "iPXE stopped at line %d (rc %#x: %s); ipxe-lint " \
        "reports nothing there" % (line, r.rc or 0,
                                   " / ".join(r.console[1:])[-200:])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lint", required=True)
    ap.add_argument("--cmdtable", required=True)
    ap.add_argument("--sample", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", help="write the probes and results here")
    ap.add_argument("--only", help="probe ids, commas")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--rejudge", action="store_true",
                    help="reuse iPXE's results saved by an earlier --keep "
                    "run in the same DIR: lint and compare only")
    a = ap.parse_args()

    missing = harness.available()
    if missing:
        print("judge: skipped: no " + missing)
        return 2 if os.environ.get("CI") == "true" else 77

    table = json.loads(subprocess.run([a.cmdtable], check=True,
                                      capture_output=True).stdout)
    probes = generate.all_probes(table)
    if a.sample:
        probes = [p for p in probes if generate.in_sample(p)]
    if a.only:
        want = set(a.only.split(","))
        probes = [p for p in probes if p.pid in want]

    work = a.keep or tempfile.mkdtemp(prefix="ipxe-judge-")
    os.makedirs(work, exist_ok=True)
    try:
        for name, data in generate.HELPERS.items():
            with open(os.path.join(work, name), "wb") as f:
                f.write(data)
        files = []
        for p in probes:
            name = "p%s.ipxe" % p.pid
            with open(os.path.join(work, name), "wb") as f:
                f.write(p.data)
            files.append(name)

        t0 = time.monotonic()
        results, boots = {}, [0]
        saved = os.path.join(work, "ipxe-results.json")
        if a.rejudge:
            with open(saved) as f:
                old = json.load(f)
            for pid, v in old.items():
                r = harness.Result(pid)
                r.__dict__.update(v)
                results[pid] = r
            probes = [p for p in probes if p.pid in results]
        lock = threading.Lock()
        ids = [p.pid for p in probes if not p.single]
        singles = [p for p in probes if p.single]
        slices = [ids[i::a.jobs] for i in range(a.jobs)]
        failed = []

        def worker(sl, single):
            try:
                got, n = harness.run_all(work, sl) if sl else ({}, 0)
                for p in single:
                    got[p.pid] = harness.boot_single(
                        os.path.join(work, "p%s.ipxe" % p.pid),
                        max([int(m) for m in re.findall(
                            rb"echo @@L (\d+)", p.data)] or [0]))
                    n += 1
            except Exception as e:  # reported below, whatever it was
                failed.append(str(e))
                return
            with lock:
                results.update(got)
                boots[0] += n

        threads = [threading.Thread(target=worker,
                                    args=(s, singles[i::a.jobs]))
                   for i, s in enumerate(slices) if not a.rejudge]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if failed:
            print("judge: the harness failed: " + failed[0])
            return 2
        # a boot that ended early on a probe that should return: once more,
        # alone and with more patience, in case a loaded machine made the
        # console look idle
        again = [p.pid for p in probes if not p.single and p.pid in results
                 and results[p.pid].status() == "ended-boot"
                 and not set(p.env.values()) & {"boot", "interactive"}
                 and not a.rejudge]
        for pid in again:
            got, _ = harness.boot(work, [pid], idle=40.0)
            boots[0] += 1
            if pid in got:
                results[pid] = got[pid]
        secs = time.monotonic() - t0
        if a.keep and not a.rejudge:
            with open(saved, "w") as f:
                json.dump({k: v.__dict__ for k, v in results.items()}, f)
        found = lint(a.lint, files, work)

        counts = {}
        bad = []
        rows = []
        for p in probes:
            r = results.get(p.pid)
            verdict, detail = judge_one(p, r, found["p%s.ipxe" % p.pid], table)
            counts[verdict] = counts.get(verdict, 0) + 1
            rows.append({"id": p.pid, "cat": p.cat, "desc": p.desc,
                         "verdict": verdict, "detail": detail,
                         "status": r.status() if r else "not-run",
                         "rc": r.rc if r else None,
                         "line": r.last_marker if r else None})
            if verdict == "disagree":
                bad.append((p, detail))
            if a.verbose:
                print("%s %-16s %-10s %s: %s" % (p.pid, verdict, p.cat, p.desc,
                                                 detail))
        if a.keep:
            with open(os.path.join(work, "results.json"), "w") as f:
                json.dump(rows, f, indent=1)
        counted = counts.get("agree", 0) + counts.get("disagree", 0)
        print("judge: %d probes in %d boots of iPXE (%.0f s, %d jobs)"
              % (len(probes), boots[0], secs, a.jobs))
        print("judge: counted %d, agree %d, disagree %d" %
              (counted, counts.get("agree", 0), counts.get("disagree", 0)))
        print("judge: classified, not counted: " + ", ".join(
            "%s %d" % (k, v) for k, v in sorted(counts.items())
            if k not in ("agree", "disagree")))
        for p, detail in bad:
            print("DISAGREE p%s.ipxe (%s: %s): %s" % (p.pid, p.cat, p.desc,
                                                      detail))
            print("  " + p.data.decode("latin-1").replace("\n", "\n  "))
        return 1 if bad else 0
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
