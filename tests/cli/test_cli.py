# SPDX-License-Identifier: MIT
"""ipxe-lint's command line as ../shared/spec/lint-conventions.md describes
it: information options, exit codes, severities, rule selection, in-file
directives, configuration files, IPXE_LINT_OPTS, standard input, colours,
the json/diff/quiet/tty formats, templates, odd bytes and big files.

Run with run.py (ctest does): IPXE_LINT and IPXEKIT_ROOT must be set.
UPDATE_GOLDEN=1 rewrites help.golden from the binary (review the diff).
"""
import json
import os
import pty
import re
import select
import shutil
import subprocess
import time
import unittest

from clitest import (BAD, CLEAN, HERE, LINT, MIXED, ROOT, TempDirTest,
                     clean_env, codes, gcc_findings, lint, need_rule, rules)

WARN_ONLY = b"#!ipxe\n:a\n:a\necho x\nexit 0\n"   # IPX2002 warning + IPX2003
STYLE_ONLY = b"#!ipxe\n:unused\nexit 0\n"         # IPX2003 style


def project_version():
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        m = re.search(r"project\(\s*ipxekit\s+VERSION\s+([0-9.]+)", f.read())
    return m.group(1)


# ---------------------------------------------------------------- information

class InformationTest(TempDirTest):

    def test_help_is_pinned(self):
        golden = os.path.join(HERE, "help.golden")
        p = lint("--help")
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stderr, b"")
        if os.environ.get("UPDATE_GOLDEN") == "1":
            with open(golden, "wb") as f:
                f.write(p.stdout)
            # compared with itself, the output would pass whatever it is
            self.skipTest("help.golden rewritten: review the diff")
        with open(golden, "rb") as f:
            self.assertEqual(p.stdout.decode(), f.read().decode(),
                             "--help changed: update tests/cli/help.golden "
                             "(UPDATE_GOLDEN=1) and docs/ipxe-lint.1")
        self.assertEqual(lint("-h").stdout, p.stdout)

    def test_help_wins_over_files(self):
        p = lint("--help", "no-such-file.ipxe")
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.stdout.startswith(b"Usage: ipxe-lint"))

    def test_version(self):
        for opt in ("--version", "-V"):
            p = lint(opt)
            self.assertEqual(p.returncode, 0)
            self.assertEqual(p.stdout.decode(),
                             "ipxe-lint %s\n" % project_version())
            self.assertEqual(p.stderr, b"")

    def test_list_rules_shape(self):
        p = lint("--list-rules")
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stderr, b"")
        lines = p.stdout.decode().splitlines()
        self.assertGreater(len(lines), 10)
        shape = re.compile(r"^(IPX[1-4]\d{3})  ([a-z0-9]+(?:-[a-z0-9]+)*) +"
                           r"(error|warning|info|style) +(\S.*)$")
        seen_codes, seen_names = [], set()
        for line in lines:
            m = shape.match(line)
            self.assertIsNotNone(m, "bad --list-rules line: %r" % line)
            code, name, _, summary = m.groups()
            self.assertNotIn(code, seen_codes, "code listed twice")
            self.assertNotIn(name, seen_names, "name listed twice")
            self.assertFalse(summary.endswith("."),
                             "%s: summary ends in a full stop" % code)
            seen_codes.append(code)
            seen_names.add(name)
        self.assertEqual(seen_codes, sorted(seen_codes), "not sorted by code")
        for must in ("IPX1020", "IPX2001"):
            self.assertIn(must, seen_codes)
        # the columns line up
        self.assertEqual(len({line.index(m) for line in lines
                              for m in re.findall(r" (?:error|warning|info|"
                                                  r"style) ", line)[:1]}), 1)

    def test_list_rules_lists_every_code(self):
        # every code the tools can emit is listed: each rule page, and
        # every code a source of the linter or the renderer names
        listed = set(rules())
        pages = {f[:-3] for f in os.listdir(os.path.join(ROOT, "docs",
                                                           "rules"))
                 if re.match(r"IPX\d{4}\.md$", f)}
        self.assertEqual(sorted(pages - listed), [],
                         "rule pages that --list-rules leaves out")
        named = set()
        for d, _, files in os.walk(os.path.join(ROOT, "linter")):
            for f in files:
                if f.endswith((".c", ".h")):
                    with open(os.path.join(d, f), encoding="utf-8") as fh:
                        named |= set(re.findall(r'"(IPX\d{4})"', fh.read()))
        self.assertIn("IPX4010", named)
        self.assertEqual(sorted(named - listed), [],
                         "codes in the sources that --list-rules leaves out")

    def test_explain_prints_the_rule_page(self):
        # every rule has its page in docs/rules, and --explain prints it
        table = rules()
        self.assertIn("IPX2001", table)
        for code, (name, sev) in sorted(table.items()):
            page = os.path.join(ROOT, "docs", "rules", code + ".md")
            with self.subTest(code=code):
                by_code = lint("--explain", code)
                by_name = lint("--explain=" + name)
                self.assertEqual(by_code.returncode, 0)
                self.assertEqual(by_code.stdout, by_name.stdout)
                self.assertTrue(os.path.exists(page), "%s is missing" % page)
                with open(page, "rb") as f:
                    self.assertEqual(by_code.stdout.decode(),
                                     f.read().decode())

    def test_pages_do_not_cite_the_internal_spec(self):
        # the pages ship to users (--explain, SARIF, man): they must stand
        # alone, so they cite iPXE's source or ipxe.org, never the team's
        # spec under ../shared/spec, which users do not have
        internal = ("ipxe-language.md", "lint-conventions.md", "ovh-api.md",
                    "ipxe-commands.json", "spec §", "§")
        docs = os.path.join(ROOT, "docs")
        pages = [os.path.join(docs, "rules", f)
                 for f in os.listdir(os.path.join(docs, "rules"))
                 if f.endswith(".md")]
        pages += [os.path.join(docs, f) for f in os.listdir(docs)
                  if f.endswith((".md", ".1"))]
        self.assertGreater(len(pages), 70)
        found = []
        for page in sorted(pages):
            with open(page, encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    for word in internal:
                        if word in line:
                            found.append("%s:%d: %s" % (
                                os.path.relpath(page, ROOT), n, word))
                            break
        if found:
            self.fail("pages citing the internal spec:\n" + "\n".join(found))

    def test_explain_unknown_rule_is_usage_error(self):
        p = lint("--explain", "IPX9999")
        self.assertEqual(p.returncode, 3)
        self.assertEqual(p.stdout, b"")
        self.assertIn(b"IPX9999", p.stderr)


# ---------------------------------------------------------------- exit codes

class ExitCodeTest(TempDirTest):

    def test_clean_file_exits_0_silently(self):
        self.write("ok.ipxe", CLEAN)
        p = self.lint_in("ok.ipxe")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, b"", b""))

    def test_findings_exit_1(self):
        self.write("bad.ipxe", BAD)
        p = self.lint_in("bad.ipxe")
        self.assertEqual(p.returncode, 1)
        self.assertEqual(gcc_findings(p.stdout),
                         [("bad.ipxe", 2, 6, "error", "IPX2001")])
        self.assertEqual(p.stderr, b"")

    def test_unreadable_file_exits_2_and_others_are_checked(self):
        self.write("ok.ipxe", CLEAN)
        self.write("bad.ipxe", BAD)
        os.mkdir(os.path.join(self.tmp, "folder.ipxe"))
        for broken in ("missing.ipxe", "folder.ipxe"):
            with self.subTest(broken=broken):
                p = self.lint_in("ok.ipxe", broken, "bad.ipxe")
                self.assertEqual(p.returncode, 2)
                self.assertEqual(gcc_findings(p.stdout),
                                 [("bad.ipxe", 2, 6, "error", "IPX2001")])
                self.assertIn(broken.encode(), p.stderr)
                # the order of files does not matter
                p = self.lint_in(broken, "bad.ipxe")
                self.assertEqual(p.returncode, 2)
                self.assertIn(b"IPX2001", p.stdout)
        p = self.lint_in("ok.ipxe", "missing.ipxe")
        self.assertEqual(p.returncode, 2)

    def test_bad_usage_exits_3(self):
        self.write("ok.ipxe", CLEAN)
        cases = [
            ["--no-such-option", "ok.ipxe"],
            ["-Z", "ok.ipxe"],
            ["-f", "xml", "ok.ipxe"],
            ["--format=", "ok.ipxe"],
            ["-S", "fatal", "ok.ipxe"],
            ["--severity=loud", "ok.ipxe"],
            ["--failure-threshold", "never", "ok.ipxe"],
            ["--color=sometimes", "ok.ipxe"],
            ["--platform", "arm", "ok.ipxe"],
            ["--enable", "IPX9999", "ok.ipxe"],
            ["--disable", "no-such-rule", "ok.ipxe"],
            ["--dump", "tree", "ok.ipxe"],
            ["--config", os.path.join(self.tmp, "missing.conf"), "ok.ipxe"],
            ["ok.ipxe", "-f"],           # an option without its value
            [],                          # no file at all
            ["-f", "gcc"],
        ]
        for args in cases:
            with self.subTest(args=args):
                p = self.lint_in(*args)
                self.assertEqual(p.returncode, 3, p.stderr)
                self.assertEqual(p.stdout, b"")
                self.assertTrue(p.stderr.startswith(b"ipxe-lint: "),
                                p.stderr)

    def test_bad_usage_names_the_culprit(self):
        p = lint("--no-such-option", "x.ipxe")
        self.assertIn(b"--no-such-option", p.stderr)
        self.assertIn(b"--help", p.stderr)
        p = lint("-f", "xml", "x.ipxe")
        self.assertIn(b"'xml'", p.stderr)


# ---------------------------------------------------------------- severities

class SeverityTest(TempDirTest):

    def setUp(self):
        super().setUp()
        self.write("mixed.ipxe", MIXED)
        self.write("warn.ipxe", WARN_ONLY)
        self.write("style.ipxe", STYLE_ONLY)

    def sevs(self, *args):
        p = self.lint_in("-f", "gcc", *args)
        return p.returncode, sorted({(f[4], f[3])
                                     for f in gcc_findings(p.stdout)})

    def test_severity_filters_what_is_shown(self):
        rc, all_ = self.sevs("mixed.ipxe")
        self.assertEqual(rc, 1)
        self.assertEqual(all_, [("IPX2001", "error"), ("IPX2002", "warning"),
                                ("IPX2003", "note")])
        self.assertEqual(self.sevs("-S", "style", "mixed.ipxe")[1], all_)
        self.assertEqual(self.sevs("-S", "info", "mixed.ipxe")[1],
                         [("IPX2001", "error"), ("IPX2002", "warning")])
        self.assertEqual(self.sevs("--severity=warning", "mixed.ipxe")[1],
                         [("IPX2001", "error"), ("IPX2002", "warning")])
        self.assertEqual(self.sevs("-S", "error", "mixed.ipxe")[1],
                         [("IPX2001", "error")])
        # the last one given wins
        self.assertEqual(self.sevs("-S", "error", "-S", "style",
                                   "mixed.ipxe")[1], all_)

    def test_failure_threshold(self):
        # default: warning
        self.assertEqual(self.sevs("style.ipxe")[0], 0)
        self.assertEqual(self.sevs("warn.ipxe")[0], 1)
        self.assertEqual(self.sevs("--failure-threshold", "error",
                                   "warn.ipxe")[0], 0)
        self.assertEqual(self.sevs("--failure-threshold", "error",
                                   "mixed.ipxe")[0], 1)
        self.assertEqual(self.sevs("--failure-threshold=style",
                                   "style.ipxe")[0], 1)
        self.assertEqual(self.sevs("--failure-threshold", "info",
                                   "style.ipxe")[0], 0)
        # none: findings are shown, the exit status stays 0
        rc, shown = self.sevs("--failure-threshold", "none", "mixed.ipxe")
        self.assertEqual(rc, 0)
        self.assertEqual(len(shown), 3)

    def test_threshold_counts_only_shown_findings(self):
        self.assertEqual(self.sevs("-S", "error", "warn.ipxe"), (0, []))
        self.assertEqual(self.sevs("-S", "error", "--failure-threshold",
                                   "style", "warn.ipxe"), (0, []))

    def test_unreadable_beats_findings(self):
        p = self.lint_in("--failure-threshold", "none", "mixed.ipxe",
                         "missing.ipxe")
        self.assertEqual(p.returncode, 2)


# ---------------------------------------------------------------- rule choice

class EnableDisableTest(TempDirTest):

    def setUp(self):
        super().setUp()
        self.write("mixed.ipxe", MIXED)

    def test_disable_by_code_and_name(self):
        for args in (["--disable", "IPX2001"], ["-d", "goto-unknown-label"],
                     ["--disable=IPX2001"], ["-dIPX2001"]):
            with self.subTest(args=args):
                p = self.lint_in(*args, "mixed.ipxe")
                self.assertEqual(codes(p.stdout), ["IPX2002", "IPX2003"])

    def test_disable_a_list(self):
        p = self.lint_in("-d", "IPX2001,unused-label", "mixed.ipxe")
        self.assertEqual(codes(p.stdout), ["IPX2002"])
        p = self.lint_in("-d", "IPX2001", "-d", "IPX2002", "mixed.ipxe")
        self.assertEqual(codes(p.stdout), ["IPX2003"])

    def test_enable_after_disable_all(self):
        for args in (["--disable", "all", "--enable", "IPX2002"],
                     ["-d", "all", "-e", "duplicate-label"]):
            with self.subTest(args=args):
                p = self.lint_in(*args, "mixed.ipxe")
                self.assertEqual(codes(p.stdout), ["IPX2002"])
                self.assertEqual(p.returncode, 1)

    def test_order_matters(self):
        p = self.lint_in("-e", "IPX2002", "-d", "all", "mixed.ipxe")
        self.assertEqual((p.returncode, p.stdout), (0, b""))

    def test_enable_all(self):
        p = self.lint_in("--enable", "all", "mixed.ipxe")
        self.assertEqual(codes(p.stdout), ["IPX2001", "IPX2002", "IPX2003"])


# ---------------------------------------------------------------- directives

class DirectiveTest(TempDirTest):

    def run_script(self, text, *args):
        self.write("d.ipxe", text)
        p = self.lint_in("-f", "gcc", *args, "d.ipxe")
        self.assertIn(p.returncode, (0, 1), p.stderr)
        return p, sorted((f[1], f[4], f[3]) for f in gcc_findings(p.stdout))

    def test_file_wide_before_the_first_command(self):
        p, found = self.run_script(
            "#!ipxe\n"
            "# a comment first is fine\n"
            "# ipxe-lint disable=IPX2001,unused-label # generated file\n"
            "\n"
            ":unused\n"
            "goto one\n"
            "goto two\n")
        self.assertEqual(found, [])
        self.assertEqual(p.returncode, 0)

    def test_next_line_only(self):
        _, found = self.run_script(
            "#!ipxe\n"
            "echo start\n"
            "# ipxe-lint disable=IPX2001\n"
            "goto one\n"
            "goto two\n"
            "# ipxe-lint disable=goto-unknown-label\n"
            "goto three\n"
            "goto four\n")
        self.assertEqual([f[:2] for f in found if f[1] == "IPX2001"],
                         [(5, "IPX2001"), (8, "IPX2001")])

    def test_trailing_on_the_same_line(self):
        _, found = self.run_script(
            "#!ipxe\n"
            "echo start\n"
            "goto one # ipxe-lint disable=IPX2001\n"
            "goto two\n"
            "goto three || goto four # ipxe-lint disable=IPX2001 # why\n")
        self.assertEqual([f[:2] for f in found if f[1] == "IPX2001"],
                         [(4, "IPX2001")])

    def test_directive_after_a_command_is_not_file_wide(self):
        _, found = self.run_script(
            "#!ipxe\n"
            "echo start\n"
            "# ipxe-lint disable=IPX2001\n"
            "echo other\n"
            "goto one\n")
        self.assertIn((5, "IPX2001", "error"), found)

    def test_unknown_directive_is_a_warning(self):
        p, found = self.run_script(
            "#!ipxe\n"
            "# ipxe-lint frobnicate\n"
            "echo start\n"
            "# ipxe-lint disable=IPX9999\n"
            "goto one\n")
        self.assertIn((2, "IPX1020", "warning"), found)
        self.assertIn((4, "IPX1020", "warning"), found)
        # the file is still linted
        self.assertIn((5, "IPX2001", "error"), found)
        self.assertEqual(p.returncode, 1)

    def test_other_comments_are_not_directives(self):
        _, found = self.run_script(
            "#!ipxe\n"
            "# ipxe-linter is a different tool\n"
            "# run ipxe-lint before committing\n"
            "exit 0\n")
        self.assertEqual(found, [])

    def test_external_labels(self):
        text = ("#!ipxe\n"
                "# ipxe-lint external-labels=failed,menu_top\n"
                "chain http://boot.example/x.ipxe || goto failed\n"
                "goto menu_top\n")
        _, found = self.run_script(text)
        self.assertNotIn("IPX2001", [f[1] for f in found])
        _, found = self.run_script(text.replace("external", "# external"))
        self.assertIn((4, "IPX2001", "error"), found)

    def test_external_vars(self):
        need_rule(self, "IPX2205")
        text = ("#!ipxe\n"
                "# ipxe-lint external-vars=base-url,menu\n"
                "chain ${base-url}/${menu}.ipxe || exit 1\n"
                "exit 0\n")
        _, found = self.run_script(text)
        self.assertNotIn("IPX2205", [f[1] for f in found])
        without = text.replace("# ipxe-lint external-vars=base-url,menu\n",
                               "")
        _, found = self.run_script(without)
        self.assertIn("IPX2205", [f[1] for f in found])
        # the same from the command line
        _, found = self.run_script(without, "--external-vars",
                                   "base-url,menu")
        self.assertNotIn("IPX2205", [f[1] for f in found])

    def test_subscript_turns_missing_fallback_into_warning(self):
        text = ("#!ipxe\n"
                "# ipxe-lint subscript\n"
                "kernel http://boot.example/vmlinuz\n"
                "goto failed\n")
        _, found = self.run_script(text)
        self.assertIn((4, "IPX2001", "warning"), found)
        self.assertNotIn("IPX2008", [f[1] for f in found])
        p = self.lint_in("-f", "tty", "--color=never", "d.ipxe")
        self.assertIn(b"exit 1", p.stdout)
        _, found = self.run_script(text.replace("# ipxe-lint subscript\n",
                                                ""))
        self.assertIn((3, "IPX2001", "error"), found)

    def test_platform_directive(self):
        _, found = self.run_script("#!ipxe\n# ipxe-lint platform=arm\n"
                                   "exit 0\n")
        self.assertIn((2, "IPX1020", "warning"), found)
        for value in ("efi", "pcbios", "any"):
            _, found = self.run_script("#!ipxe\n# ipxe-lint platform=%s\n"
                                       "exit 0\n" % value)
            self.assertNotIn("IPX1020", [f[1] for f in found], value)

    def test_platform_directive_changes_platform_rules(self):
        # sanboot's BIOS drive number means nothing on EFI (spec §5.4)
        need_rule(self, "IPX3010")
        body = "sanboot --drive 0x80 || exit 1\nexit 0\n"
        _, efi = self.run_script("#!ipxe\n# ipxe-lint platform=efi\n" + body)
        _, bios = self.run_script("#!ipxe\n# ipxe-lint platform=pcbios\n" +
                                  body)
        self.assertIn("IPX3010", [f[1] for f in efi])
        self.assertNotIn("IPX3010", [f[1] for f in bios])
        # the command line's --platform is overridden by the file's own
        _, found = self.run_script("#!ipxe\n# ipxe-lint platform=pcbios\n" +
                                   body, "--platform", "efi")
        self.assertNotIn("IPX3010", [f[1] for f in found])


# ---------------------------------------------------------------- config

class ConfigTest(TempDirTest):

    def setUp(self):
        super().setUp()
        self.write("top/a/b/bad.ipxe", MIXED)

    def found(self, *args, cwd=None):
        p = lint("-f", "gcc", *args, cwd=cwd or self.tmp)
        self.assertIn(p.returncode, (0, 1), p.stderr)
        return p.returncode, sorted({(f[4], f[3])
                                     for f in gcc_findings(p.stdout)})

    def test_found_from_the_scripts_folder_upwards(self):
        self.write("top/.ipxe-lint.conf",
                   "# lint settings for this tree\n\n"
                   "disable = IPX2001, unused-label\n")
        for cwd, path in ((self.tmp, "top/a/b/bad.ipxe"),
                          (os.path.join(self.tmp, "top/a/b"), "bad.ipxe"),
                          ("/", os.path.join(self.tmp, "top/a/b/bad.ipxe"))):
            with self.subTest(cwd=cwd, path=path):
                _, found = self.found(path, cwd=cwd)
                self.assertEqual(found, [("IPX2002", "warning")])

    def test_the_nearest_file_wins(self):
        self.write("top/.ipxe-lint.conf", "disable = IPX2001\n")
        self.write("top/a/.ipxe-lint.conf",
                   "severity.IPX2001 = warning\nfailure-threshold = error\n")
        rc, found = self.found("top/a/b/bad.ipxe")
        self.assertIn(("IPX2001", "warning"), found)
        self.assertEqual(rc, 0)

    def test_not_found_below_the_script(self):
        self.write("top/a/b/c/.ipxe-lint.conf", "disable = all\n")
        _, found = self.found("top/a/b/bad.ipxe")
        self.assertIn(("IPX2001", "error"), found)

    def test_each_file_gets_its_own(self):
        self.write("top/a/.ipxe-lint.conf", "disable = IPX2001\n")
        self.write("other/bad.ipxe", MIXED)
        p = lint("-f", "gcc", "top/a/b/bad.ipxe", "other/bad.ipxe",
                 "top/a/b/bad.ipxe", cwd=self.tmp)
        got = [(f[0], f[4]) for f in gcc_findings(p.stdout)
               if f[4] == "IPX2001"]
        self.assertEqual(got, [("other/bad.ipxe", "IPX2001")])

    def test_severity_override(self):
        self.write("top/.ipxe-lint.conf",
                   "severity.IPX2001 = warning\n"
                   "severity.duplicate-label = info\n")
        rc, found = self.found("top/a/b/bad.ipxe")
        self.assertEqual(found, [("IPX2001", "warning"), ("IPX2002", "note"),
                                 ("IPX2003", "note")])
        rc, _ = self.found("--failure-threshold", "error",
                           "top/a/b/bad.ipxe")
        self.assertEqual(rc, 0)

    def test_config_keys(self):
        self.write("top/.ipxe-lint.conf",
                   "severity = warning\n"
                   "failure-threshold = none\n"
                   "platform = efi\n"
                   "external-vars = a, b\n"
                   "allowed-hosts = boot.example\n"
                   "require-https = true\n"
                   "enable = all\n")
        rc, found = self.found("top/a/b/bad.ipxe")
        self.assertEqual(rc, 0)
        self.assertEqual(found, [("IPX2001", "error"),
                                 ("IPX2002", "warning")])

    def test_command_line_after_config(self):
        self.write("top/.ipxe-lint.conf", "disable = IPX2001\n"
                   "failure-threshold = none\n")
        rc, found = self.found("--enable", "IPX2001", "--failure-threshold",
                               "error", "top/a/b/bad.ipxe")
        self.assertIn(("IPX2001", "error"), found)
        self.assertEqual(rc, 1)

    def test_explicit_config(self):
        self.write("top/.ipxe-lint.conf", "disable = all\n")
        conf = self.write("elsewhere/strict.conf", "disable = IPX2003\n")
        for args in (["--config", conf], ["--config=" + conf]):
            with self.subTest(args=args):
                _, found = self.found(*args, "top/a/b/bad.ipxe")
                self.assertEqual(found, [("IPX2001", "error"),
                                         ("IPX2002", "warning")])

    def test_no_config(self):
        self.write("top/.ipxe-lint.conf", "disable = all\n")
        _, found = self.found("--no-config", "top/a/b/bad.ipxe")
        self.assertEqual(len(found), 3)

    def test_bad_config_is_usage_error(self):
        for text, what in (("disable IPX2001\n", b":1:"),
                           ("# ok\nfrobnicate = 1\n", b":2:"),
                           ("severity.IPX9999 = error\n", b"IPX9999"),
                           ("severity.IPX2001 = loud\n", b"loud"),
                           ("require-https = maybe\n", b"maybe")):
            with self.subTest(text=text):
                conf = self.write("top/.ipxe-lint.conf", text)
                p = lint("top/a/b/bad.ipxe", cwd=self.tmp)
                self.assertEqual(p.returncode, 3)
                self.assertIn(what, p.stderr)
                self.assertIn(conf.encode(), p.stderr)

    def test_crlf_config(self):
        self.write("top/.ipxe-lint.conf", b"disable = IPX2001\r\n")
        _, found = self.found("top/a/b/bad.ipxe")
        self.assertNotIn(("IPX2001", "error"), found)


# ---------------------------------------------------------------- environment

class EnvironmentTest(TempDirTest):

    def setUp(self):
        super().setUp()
        self.write("mixed.ipxe", MIXED)

    def run_env(self, opts, *args):
        return self.lint_in(*args, "mixed.ipxe",
                            env=clean_env(IPXE_LINT_OPTS=opts))

    def test_options_from_the_environment(self):
        p = self.run_env("--disable IPX2001")
        self.assertEqual(codes(p.stdout), ["IPX2002", "IPX2003"])

    def test_split_on_spaces(self):
        p = self.run_env("  -f   json\t-d IPX2003  ")
        doc = json.loads(p.stdout)
        self.assertEqual(sorted(f["code"] for f in doc["findings"]),
                         ["IPX2001", "IPX2002"])

    def test_read_before_the_command_line(self):
        p = self.run_env("-f json --disable IPX2001", "-f", "gcc",
                         "--enable", "IPX2001")
        self.assertEqual(codes(p.stdout), ["IPX2001", "IPX2002", "IPX2003"])
        p = self.run_env("--failure-threshold none")
        self.assertEqual(p.returncode, 0)

    def test_bad_option_in_environment(self):
        p = self.run_env("--frobnicate")
        self.assertEqual(p.returncode, 3)
        self.assertIn(b"--frobnicate", p.stderr)

    def test_empty_is_nothing(self):
        for value in ("", "   "):
            p = self.run_env(value)
            self.assertEqual(p.returncode, 1)
            self.assertEqual(len(codes(p.stdout)), 3)


# ---------------------------------------------------------------- stdin

class StdinTest(TempDirTest):

    def test_dash_reads_standard_input(self):
        p = self.lint_in("-", stdin=BAD)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(gcc_findings(p.stdout),
                         [("-", 2, 6, "error", "IPX2001")])
        p = self.lint_in("-", stdin=CLEAN)
        self.assertEqual((p.returncode, p.stdout), (0, b""))

    def test_stdin_filename(self):
        p = self.lint_in("--stdin-filename", "boot/menu.ipxe", "-", stdin=BAD)
        self.assertEqual(gcc_findings(p.stdout),
                         [("boot/menu.ipxe", 2, 6, "error", "IPX2001")])
        p = self.lint_in("-f", "json", "--stdin-filename=x.ipxe", "-",
                         stdin=BAD)
        self.assertEqual(json.loads(p.stdout)["findings"][0]["file"],
                         "x.ipxe")

    def test_stdin_among_files(self):
        self.write("bad.ipxe", BAD)
        p = self.lint_in("bad.ipxe", "-", stdin=BAD)
        self.assertEqual([f[0] for f in gcc_findings(p.stdout)],
                         ["bad.ipxe", "-"])

    def test_stdin_template_by_name(self):
        text = b"#!ipxe\ngoto {{target}}\n"
        # no name: a template by its tags, and a note says so (IPX1014)
        p = self.lint_in("-", stdin=text)
        self.assertEqual(codes(p.stdout), ["IPX1014"])
        p = self.lint_in("--stdin-filename", "menu.ipxe.j2", "-", stdin=text)
        self.assertNotIn("IPX2001", codes(p.stdout))
        self.assertNotIn("IPX1014", codes(p.stdout))

    def test_stdin_uses_config_here(self):
        self.write(".ipxe-lint.conf", "disable = IPX2001\n")
        p = self.lint_in("--stdin-filename", "x.ipxe", "-", stdin=BAD)
        self.assertEqual((p.returncode, p.stdout), (0, b""))

    def test_empty_stdin(self):
        # an empty script is read, not refused: iPXE would not run it
        p = self.lint_in("-", stdin=b"")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(gcc_findings(p.stdout),
                         [("-", 1, 1, "error", "IPX1001")])
        self.assertEqual(p.stderr, b"")


# ---------------------------------------------------------------- colour

ANSI = re.compile(rb"\x1b\[[0-9;]*m")


def run_on_pty(args, env, cwd):
    """Run ipxe-lint with its stdout on a terminal; returns (rc, output)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([LINT] + args, stdout=slave, stderr=slave,
                            stdin=subprocess.DEVNULL, env=env, cwd=cwd)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.wait(timeout=60), out.replace(b"\r\n", b"\n")


class ColourTest(TempDirTest):

    def setUp(self):
        super().setUp()
        self.write("bad.ipxe", BAD)

    def test_always_adds_ansi(self):
        p = self.lint_in("-f", "tty", "--color=always", "bad.ipxe")
        self.assertRegex(p.stdout, ANSI)
        self.assertEqual(p.returncode, 1)
        # NO_COLOR and TERM=dumb do not stop 'always'
        p = self.lint_in("-f", "tty", "--color", "always", "bad.ipxe",
                         env=clean_env(NO_COLOR="1", TERM="dumb"))
        self.assertRegex(p.stdout, ANSI)
        self.assertEqual(self.lint_in("-f", "tty", "--colour=always",
                                      "bad.ipxe").stdout,
                         self.lint_in("-f", "tty", "--color=always",
                                      "bad.ipxe").stdout)

    def test_auto_is_off_when_not_a_terminal(self):
        for args in (["-f", "tty"], ["-f", "tty", "--color=auto"], []):
            p = self.lint_in(*args, "bad.ipxe")
            self.assertNotRegex(p.stdout, ANSI)
            self.assertIn(b"bad.ipxe:2:6: error:", p.stdout)

    def test_never(self):
        rc, out = run_on_pty(["--color=never", "bad.ipxe"], clean_env(),
                             self.tmp)
        self.assertEqual(rc, 1)
        self.assertNotRegex(out, ANSI)
        self.assertIn(b"bad.ipxe:2:6: error:", out)

    def test_auto_on_a_terminal(self):
        rc, out = run_on_pty(["bad.ipxe"], clean_env(), self.tmp)
        self.assertEqual(rc, 1)
        self.assertRegex(out, ANSI)
        plain = ANSI.sub(b"", out)
        # a terminal gets the tty format: source line and caret
        self.assertIn(b"goto nowhere", plain)
        self.assertIn(b"^", plain)

    def test_no_color_turns_auto_off(self):
        rc, out = run_on_pty(["bad.ipxe"], clean_env(NO_COLOR="1"), self.tmp)
        self.assertEqual(rc, 1)
        self.assertNotRegex(out, ANSI)
        self.assertIn(b"goto nowhere", out)

    def test_dumb_terminal_turns_auto_off(self):
        rc, out = run_on_pty(["--color=auto", "bad.ipxe"],
                             clean_env(TERM="dumb"), self.tmp)
        self.assertEqual(rc, 1)
        self.assertNotRegex(out, ANSI)

    def test_gcc_format_has_no_colour_on_a_terminal(self):
        rc, out = run_on_pty(["-f", "gcc", "bad.ipxe"], clean_env(),
                             self.tmp)
        self.assertEqual(rc, 1)
        self.assertNotRegex(out, ANSI)
        self.assertEqual(gcc_findings(out),
                         [("bad.ipxe", 2, 6, "error", "IPX2001")])


# ---------------------------------------------------------------- formats

FINDING_KEYS = {"file", "line", "column", "endLine", "endColumn", "severity",
                "code", "name", "message", "hint", "fix"}
FIXABLE = b"#!ipxe\n:start\necho hello\ngoto strat\n"   # did you mean 'start'?


class FormatTest(TempDirTest):

    def test_gcc_shape(self):
        self.write("mixed.ipxe", MIXED)
        p = self.lint_in("-f", "gcc", "mixed.ipxe")
        found = gcc_findings(p.stdout)      # asserts every line's shape
        self.assertEqual([(f[1], f[2], f[3]) for f in found],
                         [(2, 1, "note"), (3, 1, "note"), (4, 1, "warning"),
                          (5, 6, "error")])
        self.assertTrue(p.stdout.endswith(b"\n"))

    def test_tty_shape(self):
        self.write("bad.ipxe", BAD)
        p = self.lint_in("-f", "tty", "bad.ipxe")
        lines = p.stdout.decode().splitlines()
        self.assertEqual(lines[0], "bad.ipxe:2:6: error: no label ':nowhere'"
                         " in this script: the goto fails and the script "
                         "stops here [IPX2001]")
        self.assertRegex(lines[1], r"^ +2 \| goto nowhere$")
        self.assertRegex(lines[2], r"^ +\|      \^~~~~~~$")
        self.assertIn("ipxe-lint --explain IPX2001", p.stdout.decode())

    def test_json_document(self):
        self.write("mixed.ipxe", MIXED)
        self.write("fix.ipxe", FIXABLE)
        self.write("ok.ipxe", CLEAN)
        table = rules()
        p = self.lint_in("-f", "json", "mixed.ipxe", "ok.ipxe", "fix.ipxe")
        self.assertEqual(p.returncode, 1)
        doc = json.loads(p.stdout)
        self.assertEqual(list(doc), ["findings"])
        found = doc["findings"]
        self.assertEqual(len(found), 6)
        gcc = gcc_findings(self.lint_in("-f", "gcc", "mixed.ipxe", "ok.ipxe",
                                        "fix.ipxe").stdout)
        self.assertEqual([(f["file"], f["line"], f["column"], f["code"])
                          for f in found],
                         [(g[0], g[1], g[2], g[4]) for g in gcc])
        for f in found:
            with self.subTest(finding=f):
                self.assertEqual(set(f), FINDING_KEYS)
                for key in ("line", "column", "endLine", "endColumn"):
                    self.assertIsInstance(f[key], int)
                    self.assertGreaterEqual(f[key], 1)
                self.assertGreaterEqual((f["endLine"], f["endColumn"]),
                                        (f["line"], f["column"]))
                self.assertIn(f["severity"],
                              ("error", "warning", "info", "style"))
                self.assertEqual(table[f["code"]][0], f["name"])
                self.assertIsInstance(f["message"], str)
                self.assertTrue(f["message"])
                self.assertNotIn("[IPX", f["message"])
        sev = {f["code"]: f["severity"] for f in found}
        self.assertEqual(sev["IPX2003"], "style")
        self.assertEqual(sev["IPX2002"], "warning")
        # spans: ':nowhere' is 2..6 on line 5 -> columns 6..13
        nowhere = [f for f in found if f["file"] == "mixed.ipxe"
                   and f["code"] == "IPX2001"][0]
        self.assertEqual((nowhere["line"], nowhere["column"],
                          nowhere["endLine"], nowhere["endColumn"]),
                         (5, 6, 5, 13))
        # fix: null, or replacements (byte span + text) that apply
        fixes = [f for f in found if f["fix"] is not None]
        self.assertEqual([f["file"] for f in fixes], ["fix.ipxe"])
        fixed = bytearray(FIXABLE)
        for r in sorted(fixes[0]["fix"], key=lambda r: -r["start"]):
            self.assertEqual(set(r), {"start", "end", "text"})
            self.assertLessEqual(r["start"], r["end"])
            fixed[r["start"]:r["end"]] = r["text"].encode()
        self.assertEqual(bytes(fixed), FIXABLE.replace(b"strat", b"start"))

    def test_json_with_nothing_to_say(self):
        self.write("ok.ipxe", CLEAN)
        p = self.lint_in("-f", "json", "ok.ipxe")
        self.assertEqual(p.returncode, 0)
        self.assertEqual(json.loads(p.stdout), {"findings": []})

    def test_json_respects_severity(self):
        self.write("mixed.ipxe", MIXED)
        p = self.lint_in("-f", "json", "-S", "warning", "mixed.ipxe")
        self.assertEqual(sorted(f["code"] for f in
                                json.loads(p.stdout)["findings"]),
                         ["IPX2001", "IPX2002"])

    def test_json_with_bytes_that_are_not_utf8(self):
        # the message quotes the label: Latin-1 bytes must not lose it
        self.write("latin1.ipxe", b"#!ipxe\ngoto caf\xe9\n")
        p = self.lint_in("-f", "json", "latin1.ipxe")
        self.assertEqual(p.returncode, 1, p.stderr)
        found = json.loads(p.stdout)["findings"]
        self.assertEqual([(f["line"], f["code"]) for f in found],
                         [(2, "IPX2001")])

    def git_repo(self):
        repo = os.path.join(self.tmp, "repo")
        os.makedirs(repo)
        env = clean_env(HOME=self.tmp, GIT_CONFIG_NOSYSTEM="1",
                        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
                        GIT_COMMITTER_NAME="t",
                        GIT_COMMITTER_EMAIL="t@example.org")

        def git(*args, check=True):
            return subprocess.run(["git"] + list(args), cwd=repo, env=env,
                                  capture_output=True, check=check)
        git("init", "-q")
        return repo, git

    def test_diff_applies_with_git_and_fixes_the_file(self):
        if not shutil.which("git"):
            self.skipTest("git is not installed")
        variants = {
            "sub/fix.ipxe": FIXABLE,
            "no-newline.ipxe": FIXABLE.rstrip(b"\n"),
            "crlf.ipxe": FIXABLE.replace(b"\n", b"\r\n"),
            "context.ipxe": (b"#!ipxe\n:start\n" + b"echo pad\n" * 12 +
                             b"goto strat\n" + b"echo pad\n" * 12 +
                             b"goto strat || goto strat\nexit 0\n"),
        }
        repo, git = self.git_repo()
        paths = []
        for rel, text in variants.items():
            path = os.path.join(repo, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(text)
            paths.append(rel)
        git("add", "-A")
        git("commit", "-q", "-m", "scripts")
        p = lint("-f", "diff", "./sub/fix.ipxe", *paths[1:], cwd=repo)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertTrue(p.stdout.startswith(b"--- a/sub/fix.ipxe\n"
                                            b"+++ b/sub/fix.ipxe\n"),
                        p.stdout[:80])
        # never edited in place
        for rel, text in variants.items():
            with open(os.path.join(repo, rel), "rb") as f:
                self.assertEqual(f.read(), text)
        patch = os.path.join(self.tmp, "fix.patch")
        with open(patch, "wb") as f:
            f.write(p.stdout)
        check = git("apply", "--check", patch, check=False)
        self.assertEqual(check.returncode, 0, check.stderr.decode())
        git("apply", patch)
        for rel, text in variants.items():
            with open(os.path.join(repo, rel), "rb") as f:
                self.assertEqual(f.read(), text.replace(b"strat", b"start"),
                                 rel)
        p = lint("-f", "gcc", *paths, cwd=repo)
        self.assertNotIn("IPX2001", codes(p.stdout))

    def test_diff_with_nothing_to_fix(self):
        self.write("ok.ipxe", CLEAN)
        self.write("bad.ipxe", BAD)   # a finding without a fix
        p = self.lint_in("-f", "diff", "ok.ipxe", "bad.ipxe")
        self.assertEqual(p.stdout, b"")
        self.assertEqual(p.returncode, 1)

    def test_quiet_prints_nothing(self):
        self.write("bad.ipxe", BAD)
        self.write("ok.ipxe", CLEAN)
        p = self.lint_in("-f", "quiet", "bad.ipxe")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (1, b"", b""))
        p = self.lint_in("-f", "quiet", "ok.ipxe")
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, b"", b""))
        p = self.lint_in("-f", "quiet", "ok.ipxe", "missing.ipxe")
        self.assertEqual((p.returncode, p.stdout), (2, b""))


# ---------------------------------------------------------------- templates

TEMPLATE = (b"#!ipxe\n"
            b"{# a comment that the renderer drops #}\n"
            b"{% if secure %}\n"
            b"set base {{ base_url }}/{{ os }}\n"
            b"{% endif %}\n"
            b"kernel {{ base_url }}/vmlinuz initrd=initrd.img "
            b"{{ extra_args | default('') }}\n"
            b"initrd {{base_url}}/initrd.img\n"
            b"goto {{target}}\n")


class TemplateTest(TempDirTest):

    def test_templates_by_name(self):
        for name in ("menu.ipxe.j2", "menu.ipxe.tmpl", "menu.j2",
                     "menu.tmpl", "menu.tpl", "menu.jinja2"):
            with self.subTest(name=name):
                self.write(name, TEMPLATE)
                p = self.lint_in("-f", "gcc", name)
                self.assertIn(p.returncode, (0, 1), p.stderr)
                found = gcc_findings(p.stdout)
                self.assertEqual([f for f in found if f[3] == "error"], [])
                self.assertNotIn("IPX4001", codes(p.stdout))

    def test_template_option(self):
        self.write("menu.ipxe", TEMPLATE)
        # by its tags, a note says (IPX1014): '{{target}}' is no label
        byte = self.lint_in("-f", "gcc", "menu.ipxe")
        self.assertIn("IPX1014", codes(byte.stdout))
        self.assertNotIn("IPX2001", codes(byte.stdout))
        p = self.lint_in("-f", "gcc", "--template", "menu.ipxe")
        self.assertEqual([f for f in gcc_findings(p.stdout)
                          if f[3] == "error"], [])
        self.assertNotIn("IPX1014", codes(p.stdout))
        # also from the config file
        self.write(".ipxe-lint.conf", "template = true\n")
        p = self.lint_in("-f", "gcc", "menu.ipxe")
        self.assertNotIn("IPX2001", codes(p.stdout))
        self.assertNotIn("IPX1014", codes(p.stdout))

    def test_placeholders_are_opaque_words(self):
        # a placeholder stands for one word: the rules still see the rest
        self.write("t.ipxe.j2", b"#!ipxe\n{% if x %}\necho {{ a }}\n"
                                b"{% endif %}\ngoto nowhere\n")
        p = self.lint_in("-f", "gcc", "t.ipxe.j2")
        self.assertIn((5, "IPX2001"),
                      [(f[1], f[4]) for f in gcc_findings(p.stdout)])

    def test_broken_template_syntax(self):
        self.write("broken.ipxe.j2", b"#!ipxe\necho {{ unclosed\nexit 0\n")
        p = self.lint_in("-f", "gcc", "broken.ipxe.j2")
        self.assertIn((2, "IPX4001", "error"),
                      [(f[1], f[4], f[3]) for f in gcc_findings(p.stdout)])
        self.assertEqual(p.returncode, 1)


# ---------------------------------------------------------------- bytes

class BytesTest(TempDirTest):

    def lint_one(self, data, *args):
        self.write("f.ipxe", data)
        p = self.lint_in("-f", "gcc", *args, "f.ipxe")
        self.assertIn(p.returncode, (0, 1), p.stderr)
        return p, [(f[1], f[2], f[4]) for f in gcc_findings(p.stdout)]

    def test_crlf(self):
        p, found = self.lint_one(BAD.replace(b"\n", b"\r\n"))
        self.assertEqual(found, [(2, 6, "IPX2001")])
        self.assertNotIn(b"\r", p.stdout)
        p, found = self.lint_one(CLEAN.replace(b"\n", b"\r\n"))
        self.assertEqual((p.returncode, found), (0, []))

    def test_nul_bytes(self):
        p, found = self.lint_one(b"#!ipxe\necho a\0b\ngoto nowhere\n")
        self.assertIn((2, 7, "IPX1009"), found)
        self.assertIn((3, 6, "IPX2001"), found)   # the rest is linted

    def test_not_utf8(self):
        for text in (b"#!ipxe\necho caf\xe9 \xff\xfe\nexit 0\n",        # Latin-1
                     b"#!ipxe\necho \xc6\xf4\xb6\xaf\xb2\xcb\xb5\xa5\n"  # GBK
                     b"exit 0\n"):
            p, found = self.lint_one(text)
            self.assertEqual((p.returncode, found), (0, []))
        p, found = self.lint_one(b"#!ipxe\necho \xe9\ngoto nowhere\n")
        self.assertEqual(found, [(3, 6, "IPX2001")])
        # json and sarif stay valid documents, the finding in them
        p = self.lint_in("-f", "json", "f.ipxe")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual([(f["line"], f["column"], f["code"])
                          for f in json.loads(p.stdout)["findings"]],
                         [(3, 6, "IPX2001")])
        p = self.lint_in("-f", "sarif", "f.ipxe")
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual([r["ruleId"] for r in
                          json.loads(p.stdout)["runs"][0]["results"]],
                         ["IPX2001"])

    def test_no_newline_at_end(self):
        p, found = self.lint_one(b"#!ipxe\ngoto nowhere")
        self.assertEqual(found, [(2, 6, "IPX2001")])

    def test_huge_line(self):
        p, found = self.lint_one(b"#!ipxe\necho " + b"x" * (8 << 20) +
                                 b"\ngoto nowhere\n")
        self.assertEqual(found, [(3, 6, "IPX2001")])

    def test_20_megabytes(self):
        block = (b":menu_%d\n"
                 b"menu Boot menu for ${hostname}\n"
                 b"item --key a linux_%d Linux\n"
                 b"item --key b shell_%d Shell\n"
                 b"choose --timeout 5000 target || goto menu_%d\n"
                 b"goto ${target}\n"
                 b":linux_%d\n"
                 b"kernel http://boot.example/vmlinuz console=ttyS0 \\\n"
                 b"  quiet || goto menu_%d\n"
                 b"boot || goto menu_%d\n"
                 b":shell_%d\n"
                 b"# drop to the shell, then back\n"
                 b"shell\n"
                 b"goto menu_%d\n")
        parts, size, i = [b"#!ipxe\n"], 7, 0
        while size < 20 << 20:
            chunk = block.replace(b"%d", str(i).encode())
            parts.append(chunk)
            size += len(chunk)
            i += 1
        parts.append(b"goto nowhere\n")
        data = b"".join(parts)
        lines = data.count(b"\n")
        p, found = self.lint_one(data)
        self.assertIn((lines, 6, "IPX2001"), found)
        self.assertEqual([f for f in found if f[2] == "IPX2001"],
                         [(lines, 6, "IPX2001")])


# ---------------------------------------------------------------- --jobs

class JobsTest(TempDirTest):
    """A large file's rules run in two halves on two threads (engine/run.c); the
    report must be the very same as from one thread."""

    def big_script(self):
        """Every lint golden input, again and again: findings of every
        family, on well over the 20,000 lines where the split starts."""
        folder = os.path.join(ROOT, "testdata", "lint")
        # not the cases of templates found by their bytes (IPX1014) or of
        # Cheetah (IPX1015): one of them would make the whole file one
        inputs = [open(os.path.join(folder, n), "rb").read()
                  for n in sorted(os.listdir(folder)) if n.endswith(".ipxe")
                  and not n.startswith(("IPX1014-", "IPX1015-"))]
        parts, lines = [], 0
        while lines < 30000:
            for data in inputs:
                parts.append(data if data.endswith(b"\n") else data + b"\n")
                lines += parts[-1].count(b"\n")
        return b"".join(parts)

    def test_two_threads_report_what_one_does(self):
        self.write("big.ipxe", self.big_script())
        one = self.lint_in("-f", "json", "--enable", "all", "-j", "1",
                           "big.ipxe")
        two = self.lint_in("-f", "json", "--enable", "all", "-j", "2",
                           "big.ipxe")
        self.assertEqual(one.returncode, 1, one.stderr)
        self.assertEqual(two.returncode, 1, two.stderr)
        found = json.loads(one.stdout)["findings"]
        # the halves must both have had work: findings of many rules, from
        # the families of each half (lexical, boot and platform on the
        # second thread; flow, commands and settings on the first)
        families = {f["code"][:5] for f in found}
        for family in ("IPX10", "IPX23", "IPX30", "IPX20", "IPX21", "IPX22"):
            self.assertIn(family, families)
        self.assertGreater(len({f["code"] for f in found}), 30)
        self.assertEqual(one.stdout, two.stdout)
        self.assertEqual(one.stderr, two.stderr)

    def test_long_report_is_written_whole_as_it_goes(self):
        """gcc and tty output is written every 64 KiB while the report
        goes (report.c's flush): the same findings, in the same order, as
        the json document written at the end."""
        self.write("big.ipxe", self.big_script())
        gcc = self.lint_in("-f", "gcc", "--enable", "all", "big.ipxe")
        doc = self.lint_in("-f", "json", "--enable", "all", "big.ipxe")
        tty = self.lint_in("-f", "tty", "--enable", "all", "big.ipxe")
        self.assertEqual((gcc.returncode, gcc.stderr), (1, b""))
        self.assertEqual((tty.returncode, tty.stderr), (1, b""))
        self.assertGreater(len(gcc.stdout), 4 * 64 * 1024)
        self.assertGreater(len(tty.stdout), 4 * 64 * 1024)
        want = [("big.ipxe", f["line"], f["column"], f["code"])
                for f in json.loads(doc.stdout)["findings"]]
        got = [(p, line, col, code)
               for p, line, col, _, code in gcc_findings(gcc.stdout)]
        self.assertEqual(len(got), len(gcc.stdout.splitlines()))
        self.assertEqual(got, want)
        # the tty report ends with its summary, after every finding
        self.assertIn(b"%d error" % sum(1 for f in json.loads(doc.stdout)[
            "findings"] if f["severity"] == "error"), tty.stdout[-200:])

    def test_bad_value_is_usage_error(self):
        self.write("x.ipxe", CLEAN)
        for value in ("0", "-1", "two", ""):
            p = self.lint_in("--jobs", value, "x.ipxe")
            self.assertEqual(p.returncode, 3, value)
            self.assertIn(b"'%s' is not a number of jobs" % value.encode(),
                          p.stderr)

    def test_config_key(self):
        self.write("x.ipxe", CLEAN)
        self.write(".ipxe-lint.conf", b"jobs = 1\n")
        p = self.lint_in("x.ipxe")
        self.assertEqual((p.returncode, p.stderr), (0, b""))
        self.write(".ipxe-lint.conf", b"jobs = 3\n")
        p = self.lint_in("x.ipxe")
        self.assertEqual((p.returncode, p.stderr), (0, b""))
        self.write(".ipxe-lint.conf", b"jobs = none\n")
        p = self.lint_in("x.ipxe")
        self.assertEqual(p.returncode, 3)
        self.assertIn(b"'none' is not a number of jobs", p.stderr)


if __name__ == "__main__":
    unittest.main()
