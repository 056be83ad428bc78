#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The corpus gates of ipxe-lint (issue 3, "Corpus gates, as tests").

Usage: gate.py IPXE_LINT ROOT SHARED GATE

GATE is one of
  known-bugs    every bug of testdata/known-bugs.tsv (../corpus/KNOWN-BUGS.md
                written out, one line each) is reported at its line, with its
                code, at its severity;
  plain-errors  every error-level finding on a `plain` corpus file is a known
                bug (known-bugs.tsv) or in testdata/corpus-allowlist.tsv with
                a one-line reason why it is a real bug; anything else is a
                false error and fails the gate, and so does an allow-list
                line that no longer matches a finding;
  templates     Jinja2 and Go templates of the corpus, linted as templates,
                have no template-syntax finding (IPX4001);
  all-files     every corpus file, whatever its class, is linted without a
                crash: exit status 0 or 1 and nothing on standard error;
  fixes         every fix -f diff offers, on a copy of the corpus, applies
                with `patch -p1` (and `git apply --check`), and once applied
                no fixed line has a finding it did not have before.

The linter runs as `ipxe-lint --no-config -f gcc [--template] FILE...`, one
invocation per class.  Files of class template:jinja2 and
template:gotemplate are linted with --template; ERB and the other dialects
are not iPXE templates ipxe-lint understands and only go through all-files.

Without SHARED/corpus the gate is skipped (exit 77), except under CI=true.
Prints every failure, then "N passed, N failed".
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

GCC_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): "
    r"(?P<sev>error|warning|note): (?P<msg>.*) \[(?P<code>IPX\d{4})\]$")
TEMPLATE_CLASSES = ("template:jinja2", "template:gotemplate")


def read_tsv(path, fields):
    """Rows of a TSV with a header line; '#' lines are comments."""
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    if reader.fieldnames != fields:
        raise SystemExit("%s: header must be %s, not %s"
                         % (path, "\\t".join(fields), reader.fieldnames))
    for n, row in enumerate(reader, 2):
        if None in row or any(row[k] in (None, "") for k in fields):
            raise SystemExit("%s: row %d: every column needs a value: %r"
                             % (path, n, row))
        row["line"] = int(row["line"])
        rows.append(row)
    return rows


class Corpus:

    def __init__(self, lint, shared):
        self.lint = lint
        self.dir = os.path.join(shared, "corpus")
        self.classes = {}
        with open(os.path.join(self.dir, "MANIFEST.tsv"),
                  encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t",
                                      quoting=csv.QUOTE_NONE):
                self.classes[row["local_file"]] = row["class"]

    def files(self, *classes):
        return sorted(f for f, c in self.classes.items() if c in classes)

    def run(self, files, template):
        """Lint @p files in one invocation: (findings, status, stderr) with
        findings as a list of (file, line, col, severity, code, message)."""
        if not files:
            return [], 0, ""
        args = [self.lint, "--no-config", "-f", "gcc"]
        if template:
            args.append("--template")
        env = {k: v for k, v in os.environ.items()
               if k not in ("IPXE_LINT_OPTS",)}
        p = subprocess.run(args + ["--"] + files,
                           cwd=self.dir, env=env, capture_output=True,
                           timeout=600)
        found = []
        for raw in p.stdout.decode("utf-8", "replace").splitlines():
            m = GCC_LINE.match(raw)
            if not m:
                raise SystemExit("not a gcc-format line: %r" % raw)
            found.append((m["path"], int(m["line"]), int(m["col"]), m["sev"],
                          m["code"], m["msg"]))
        return found, p.returncode, p.stderr.decode("utf-8", "replace")

    def lint_files(self, files):
        """Lint each file the way its class asks; one run per kind."""
        plain = [f for f in files if self.classes.get(f) not in
                 TEMPLATE_CLASSES]
        tmpl = [f for f in files if self.classes.get(f) in TEMPLATE_CLASSES]
        out, status, err = [], [], []
        for group, template in ((plain, False), (tmpl, True)):
            found, st, e = self.run(group, template)
            out += found
            status.append(st)
            err.append(e)
        return out, status, "".join(err)


def run_trouble(status, err):
    """Failures of the linter runs themselves: anything on standard error,
    or an exit status other than 0 (clean) and 1 (findings)."""
    failed = []
    if err.strip():
        failed.append("ipxe-lint wrote to standard error:\n" + err)
    if any(s not in (0, 1) for s in status):
        failed.append("ipxe-lint exited with %s" % status)
    return failed


def gcc_sev(severity):
    return severity if severity in ("error", "warning") else "note"


def gate_known_bugs(corpus, root):
    bugs = read_tsv(os.path.join(root, "testdata", "known-bugs.tsv"),
                    ["file", "line", "code", "severity", "note"])
    failed = []
    missing = sorted({b["file"] for b in bugs} - set(corpus.classes))
    for f in missing:
        failed.append("%s: not in the corpus's MANIFEST.tsv" % f)
    files = sorted({b["file"] for b in bugs} - set(missing))
    found, status, err = corpus.lint_files(files)
    failed += run_trouble(status, err)
    at = {}
    for f in found:
        at.setdefault((f[0], f[1]), []).append(f)
    for b in bugs:
        if b["file"] in missing:
            continue
        here = at.get((b["file"], b["line"]), [])
        same = [f for f in here if f[4] == b["code"]]
        where = "%s:%d: %s %s (%s)" % (b["file"], b["line"], b["severity"],
                                       b["code"], b["note"])
        if not same:
            got = ", ".join("%s %s" % (f[3], f[4]) for f in here) or "nothing"
            failed.append("%s: not reported; the line got %s" % (where, got))
        elif gcc_sev(b["severity"]) not in [f[3] for f in same]:
            failed.append("%s: reported as %s: %s" % (
                where, same[0][3], same[0][5]))
    return len(bugs), failed


def gate_plain_errors(corpus, root):
    bugs = read_tsv(os.path.join(root, "testdata", "known-bugs.tsv"),
                    ["file", "line", "code", "severity", "note"])
    allow = read_tsv(os.path.join(root, "testdata", "corpus-allowlist.tsv"),
                     ["file", "line", "code", "reason"])
    plain = corpus.files("plain")
    found, status, err = corpus.lint_files(plain)
    failed = run_trouble(status, err)
    known = {(b["file"], b["line"], b["code"]) for b in bugs
             if b["severity"] == "error"}
    allowed = {}
    for a in allow:
        key = (a["file"], a["line"], a["code"])
        if key in known:
            failed.append("corpus-allowlist.tsv: %s:%d %s is already in "
                          "known-bugs.tsv" % key)
        if corpus.classes.get(a["file"]) != "plain":
            failed.append("corpus-allowlist.tsv: %s is not a plain corpus "
                          "file" % a["file"])
        allowed[key] = a["reason"]
    errors = [f for f in found if f[3] == "error"]
    seen = set()
    unexpected = []
    for f in errors:
        key = (f[0], f[1], f[4])
        seen.add(key)
        if key not in known and key not in allowed:
            unexpected.append(f)
    for f in unexpected:
        failed.append("%s:%d:%d: error: %s [%s]: not a known bug and not in "
                      "testdata/corpus-allowlist.tsv" % (f[0], f[1], f[2],
                                                         f[5], f[4]))
    for key, reason in sorted(allowed.items()):
        if key not in seen:
            failed.append("corpus-allowlist.tsv: %s:%d %s (%s) is no longer "
                          "reported as an error: remove the line, or find "
                          "why the real bug is missed" % (key + (reason,)))
    by_rule = {}
    for f in errors:
        key = (f[0], f[1], f[4])
        kind = ("known" if key in known else
                "allowed" if key in allowed else "unexpected")
        by_rule.setdefault(f[4], {"known": 0, "allowed": 0,
                                  "unexpected": 0})[kind] += 1
    print("error-level findings on %d plain files: %d" % (len(plain),
                                                          len(errors)))
    for code, n in sorted(by_rule.items()):
        print("  %s  known %d, allow-listed %d, unexpected %d"
              % (code, n["known"], n["allowed"], n["unexpected"]))
    return len(plain), failed


def gate_templates(corpus, root):
    files = corpus.files(*TEMPLATE_CLASSES)
    found, status, err = corpus.lint_files(files)
    failed = run_trouble(status, err)
    for f in found:
        if f[4] == "IPX4001":
            failed.append("%s:%d:%d: %s: %s [IPX4001]"
                          % (f[0], f[1], f[2], f[3], f[5]))
    errors = {}
    for f in found:
        if f[3] == "error":
            errors[f[4]] = errors.get(f[4], 0) + 1
    print("%d templates: %d findings, errors by rule: %s"
          % (len(files), len(found),
             ", ".join("%s %d" % kv for kv in sorted(errors.items()))
             or "none"))
    return len(files), failed


def gate_all_files(corpus, root):
    failed = []
    files = sorted(corpus.classes)
    for f in files:
        template = corpus.classes[f] in TEMPLATE_CLASSES
        _, status, err = corpus.run([f], template)
        if status not in (0, 1) or err.strip():
            failed.append("%s: exit %d, stderr: %s" % (f, status,
                                                       err.strip()[:500]))
    return len(files), failed


def changed_lines(diff_text):
    """{file: set of new-side line numbers} that a unified diff adds."""
    out, path, new = {}, None, 0
    for raw in diff_text.splitlines():
        if raw.startswith("+++ "):
            path = raw[4:].split("\t")[0]
            path = path[2:] if path.startswith("b/") else path
            continue
        m = re.match(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@", raw)
        if m:
            new = int(m.group(1))
            continue
        if path is None or raw.startswith(("--- ", "\\")):
            continue
        if raw.startswith("+"):
            out.setdefault(path, set()).add(new)
            new += 1
        elif raw.startswith(" "):
            new += 1
    return out


# The flow rules (a failure that stops the script, dead code after an exit).
REVEALED = ("IPX2004", "IPX2005")


def gate_fixes(corpus, root):
    """Every fix applies, and a fixed line gains no finding."""
    files = corpus.files("plain")
    tmp = tempfile.mkdtemp(prefix="ipxe-lint-fixes-")
    failed, fixed = [], {}
    try:
        for f in files:
            dst = os.path.join(tmp, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(os.path.join(corpus.dir, f), dst)
        work = Corpus(corpus.lint, os.path.dirname(corpus.dir))
        work.dir = tmp
        work.classes = {f: corpus.classes[f] for f in files}
        before, status, err = work.run(files, False)
        failed += run_trouble([status], err)
        p = subprocess.run([corpus.lint, "--no-config", "-f", "diff", "--"] +
                           files, cwd=tmp, capture_output=True, timeout=600)
        diff = p.stdout.decode("utf-8", "replace")
        if p.returncode not in (0, 1) or p.stderr:
            failed.append("-f diff: exit %d, %r" % (p.returncode,
                                                    p.stderr[:500]))
        fixed = changed_lines(diff)
        if not fixed:
            failed.append("-f diff offered no fix on the whole corpus")
        check = subprocess.run(["git", "apply", "--check", "-"],
                               input=p.stdout, cwd=tmp, capture_output=True)
        if check.returncode:
            failed.append("git apply --check refuses the diff: %s"
                          % check.stderr.decode()[:500])
        applied = subprocess.run(["patch", "-p1", "--batch", "--forward"],
                                 input=p.stdout, cwd=tmp, capture_output=True)
        if applied.returncode:
            failed.append("patch -p1 failed: %s"
                          % applied.stdout.decode()[-1000:])
        after, status, err = work.run(files, False)
        failed += run_trouble([status], err)
        # a finding on a fixed line that the line did not have before; but
        # a command that could only fail (unknown, misspelt) hid what the
        # flow rules say of a command that runs: those are revealed by the
        # fix, not made by it
        had = {(f[0], f[4]) for f in before}
        unknown = {f[0] for f in before if f[4] == "IPX2101"}
        for path, line, _, sev, code, msg in after:
            if code in REVEALED and path in unknown:
                continue
            if line in fixed.get(path, ()) and (path, code) not in had:
                failed.append("%s:%d: the fix brought %s %s: %s"
                              % (path, line, sev, code, msg))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    # one check per fixed line
    return sum(len(v) for v in fixed.values()), failed


GATES = {
    "known-bugs": gate_known_bugs,
    "plain-errors": gate_plain_errors,
    "templates": gate_templates,
    "all-files": gate_all_files,
    "fixes": gate_fixes,
}


def main():
    if len(sys.argv) != 5 or sys.argv[4] not in GATES:
        print(__doc__)
        return 2
    lint, root, shared, gate = sys.argv[1:]
    lint, root = os.path.abspath(lint), os.path.abspath(root)
    if not os.path.isfile(os.path.join(shared, "corpus", "MANIFEST.tsv")):
        if os.environ.get("CI") == "true":
            print("%s/corpus is missing, and CI=true" % shared)
            return 1
        print("%s/corpus is missing: skipped" % shared)
        return 77
    corpus = Corpus(lint, os.path.abspath(shared))
    total, failed = GATES[gate](corpus, root)
    if total == 0:
        # a gate over nothing cannot fail: that is a broken setup
        failed.append("the %s gate found nothing to check" % gate)
    for f in failed:
        print("FAIL", f)
    # the closing line counts checks, not failures: a failure is one check
    print("%d passed, %d failed" % (max(total - len(failed), 0), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
