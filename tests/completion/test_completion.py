#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The bash completions of scripts/completion/, driven as bash-completion's
own tests drive one: set COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT,
call the completion function, print COMPREPLY.

Environment: IPXE_LINT, IPXE_RENDER, IPXE_UPLOAD (the built tools),
IPXEKIT_ROOT (the project root).  The options offered are checked against
each tool's --help, so a completion cannot offer an option that does not
exist, nor miss one that does.
"""
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.environ.get("IPXEKIT_ROOT", "")
TOOLS = {"ipxe-lint": os.environ.get("IPXE_LINT", ""),
         "ipxe-render": os.environ.get("IPXE_RENDER", ""),
         "ipxe-upload": os.environ.get("IPXE_UPLOAD", "")}
FUNCS = {"ipxe-lint": "_ipxe_lint", "ipxe-render": "_ipxe_render",
         "ipxe-upload": "_ipxe_upload"}
BASH = shutil.which("bash")


def complete(tool, line, cwd=None, first=None):
    """Complete @p line (the cursor at its end) with @p tool's completion;
    the words are split as bash splits them for completion (at blanks, and
    '=' as a word of its own).  @p first replaces the command word (the
    path of the built tool).  Returns COMPREPLY, sorted."""
    words = re.findall(r"=|[^\s=]+", line)
    if line.endswith(" ") or not words:
        words.append("")
    words[0] = first or words[0]
    script = "\n".join([
        "source %s" % shlex.quote(os.path.join(ROOT, "scripts", "completion",
                                               tool)),
        "COMP_WORDS=(%s)" % " ".join(shlex.quote(w) for w in words),
        "COMP_CWORD=%d" % (len(words) - 1),
        "COMP_LINE=%s" % shlex.quote(line),
        "COMP_POINT=%d" % len(line),
        "%s %s %s %s" % (FUNCS[tool], shlex.quote(tool),
                         shlex.quote(words[-1]),
                         shlex.quote(words[-2] if len(words) > 1 else "")),
        'printf "%s\\n" "${COMPREPLY[@]}"',
    ])
    p = subprocess.run([BASH, "--norc", "--noprofile", "-c", script],
                       capture_output=True, text=True, cwd=cwd, timeout=60)
    if p.returncode != 0 or p.stderr:
        raise AssertionError("bash failed (%d): %s" % (p.returncode,
                                                        p.stderr))
    return sorted(w for w in p.stdout.split("\n") if w)


def help_options(tool, *args, section=None):
    """The long and short options a tool's --help lists (after the line
    @p section only, when given)."""
    out = subprocess.run([TOOLS[tool]] + list(args) + ["--help"],
                         capture_output=True, text=True).stdout
    if section:
        out = out.split("\n" + section + "\n", 1)[1]
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-zA-Z])(?=[\s,=\]])",
                          out))


def list_rules():
    out = subprocess.run([TOOLS["ipxe-lint"], "--list-rules"],
                         capture_output=True, text=True, check=True).stdout
    return [(ln.split()[0], ln.split()[1]) for ln in out.splitlines()]


class Base(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BASH:
            raise unittest.SkipTest("bash is not installed")
        for tool, path in TOOLS.items():
            if not os.access(path, os.X_OK):
                raise AssertionError("%s not built: %r" % (tool, path))


class LintCompletion(Base):
    def c(self, line, **kw):
        return complete("ipxe-lint", line, first=TOOLS["ipxe-lint"], **kw)

    def test_options_are_those_of_help(self):
        offered = set(self.c("ipxe-lint -"))
        helped = help_options("ipxe-lint")
        # --colour is an alias --help does not list
        self.assertEqual(offered, helped)

    def test_formats_are_those_of_help(self):
        out = subprocess.run([TOOLS["ipxe-lint"], "--help"],
                             capture_output=True, text=True).stdout
        m = re.search(r"--format=FMT\s+(.*?)\n\s+\(default", out, re.S)
        listed = set(re.findall(r"[a-z]+", m.group(1))) - {"or"}
        self.assertEqual(set(self.c("ipxe-lint -f ")), listed)
        self.assertEqual(set(self.c("ipxe-lint --format=")), listed)
        self.assertIn("checkstyle", listed)
        self.assertIn("codeclimate", listed)

    def test_format_prefix(self):
        self.assertEqual(self.c("ipxe-lint --format c"),
                         ["checkstyle", "codeclimate"])
        self.assertEqual(self.c("ipxe-lint --format=s"), ["sarif"])

    def test_values(self):
        self.assertEqual(self.c("ipxe-lint --color "),
                         ["always", "auto", "never"])
        self.assertEqual(self.c("ipxe-lint -S "),
                         ["error", "info", "style", "warning"])
        self.assertEqual(self.c("ipxe-lint --failure-threshold="),
                         ["error", "info", "none", "style", "warning"])
        self.assertEqual(self.c("ipxe-lint --platform "),
                         ["any", "efi", "pcbios"])
        self.assertEqual(self.c("ipxe-lint --dump="), ["ast", "source"])

    def test_rules_from_list_rules(self):
        rules = list_rules()
        self.assertGreater(len(rules), 10)
        want = sorted([c for c, _ in rules] + [n for _, n in rules])
        self.assertEqual(self.c("ipxe-lint --explain "), want)
        self.assertEqual(self.c("ipxe-lint --disable="), want)
        self.assertEqual(self.c("ipxe-lint --enable "), sorted(want + ["all"]))

    def test_rule_prefix_and_lists(self):
        code, name = list_rules()[0]
        self.assertIn(code, self.c("ipxe-lint -d " + code[:5]))
        self.assertEqual(self.c("ipxe-lint --explain " + code), [code])
        self.assertIn(name, self.c("ipxe-lint -e " + name[:4]))
        # the last item of a comma list, the rest kept
        got = self.c("ipxe-lint --disable=%s,%s" % (code, name[:-1]))
        self.assertIn("%s,%s" % (code, name), got)
        self.assertTrue(all(g.startswith(code + ",") for g in got))

    def test_files_elsewhere(self):
        with tempfile.TemporaryDirectory() as d:
            for f in ("boot.ipxe", "menu.ipxe", "other.txt"):
                open(os.path.join(d, f), "w").close()
            self.assertEqual(self.c("ipxe-lint -f gcc b", cwd=d),
                             ["boot.ipxe"])
            self.assertEqual(self.c("ipxe-lint --config ", cwd=d),
                             ["boot.ipxe", "menu.ipxe", "other.txt"])

    def test_rules_from_path_when_not_a_path(self):
        # `ipxe-lint` typed as a bare name: the one on PATH is asked
        bindir = os.path.dirname(TOOLS["ipxe-lint"])
        env_path = bindir + os.pathsep + os.environ.get("PATH", "")
        script = ("PATH=%s; source %s; COMP_WORDS=(ipxe-lint --explain '');"
                  "COMP_CWORD=2; _ipxe_lint; echo ${#COMPREPLY[@]}" % (
                      shlex.quote(env_path),
                      shlex.quote(os.path.join(ROOT, "scripts", "completion",
                                               "ipxe-lint"))))
        out = subprocess.run([BASH, "--norc", "-c", script],
                             capture_output=True, text=True).stdout
        self.assertEqual(int(out), 2 * len(list_rules()))


class RenderCompletion(Base):
    def c(self, line, **kw):
        return complete("ipxe-render", line, **kw)

    def test_options_are_those_of_help(self):
        self.assertEqual(set(self.c("ipxe-render -")),
                         help_options("ipxe-render"))

    def test_values(self):
        self.assertEqual(self.c("ipxe-render --platform="),
                         ["any", "efi", "pcbios"])
        with tempfile.TemporaryDirectory() as d:
            os.mkdir(os.path.join(d, "out"))
            open(os.path.join(d, "fleet.ipxe.j2"), "w").close()
            self.assertEqual(self.c("ipxe-render -o ", cwd=d), ["out"])
            self.assertEqual(self.c("ipxe-render --check=o", cwd=d),
                             ["out"])
            self.assertEqual(self.c("ipxe-render f", cwd=d),
                             ["fleet.ipxe.j2"])


class UploadCompletion(Base):
    def c(self, line, **kw):
        return complete("ipxe-upload", line, **kw)

    def test_commands_are_those_of_help(self):
        out = subprocess.run([TOOLS["ipxe-upload"], "--help"],
                             capture_output=True, text=True).stdout
        block = out.split("Commands:")[1].split("\n\n")[0]
        listed = set(re.findall(r"^  ([a-z]+)", block, re.M))
        self.assertEqual(set(self.c("ipxe-upload ")), listed)
        self.assertEqual(set(self.c("ipxe-upload -e ovh-eu ")), listed)
        self.assertEqual(self.c("ipxe-upload --endpoint=ovh-ca r"),
                         ["reboot", "rescue", "rollback"])

    def test_endpoints(self):
        got = self.c("ipxe-upload push --endpoint ")
        self.assertEqual(got, sorted(
            "ovh-eu ovh-ca ovh-us kimsufi-eu kimsufi-ca soyoustart-eu "
            "soyoustart-ca".split()))
        # each is one the man page names
        with open(os.path.join(ROOT, "docs", "ipxe-upload.1")) as f:
            page = f.read().replace("\\-", "-")
        for name in got:
            self.assertIn(name, page)
        self.assertEqual(self.c("ipxe-upload -e=k"),
                         ["kimsufi-ca", "kimsufi-eu"])

    def test_options_are_those_of_help(self):
        # ipxe-upload --help: the commands (with some of their options),
        # then "Options:", those every command takes
        common = help_options("ipxe-upload", section="Options:")
        self.assertEqual(set(self.c("ipxe-upload -")), common)
        for cmd in ("list", "get", "diff", "push", "disk", "rescue",
                    "reboot", "rollback", "credential"):
            offered = set(self.c("ipxe-upload %s -" % cmd))
            own = help_options("ipxe-upload", cmd)
            self.assertTrue(common <= offered, cmd)
            # every option the command's help names, and nothing unknown
            self.assertTrue(own - {"--help"} <= offered,
                            (cmd, own - offered))
            with open(os.path.join(ROOT, "docs", "ipxe-upload.1")) as f:
                page = f.read().replace("\\-", "-")
            for o in offered - common:
                self.assertIn(o, page, cmd)

    def test_command_options(self):
        self.assertEqual(self.c("ipxe-upload list --j"), ["--jobs", "--journal", "--json"])
        self.assertIn("--resume", self.c("ipxe-upload -e ovh-eu push --r"))
        self.assertNotIn("--resume", self.c("ipxe-upload disk --r"))
        self.assertEqual(self.c("ipxe-upload credential --s"), ["--save"])

    def test_files(self):
        with tempfile.TemporaryDirectory() as d:
            open(os.path.join(d, "ns1.ipxe"), "w").close()
            self.assertEqual(self.c("ipxe-upload push n", cwd=d),
                             ["ns1.ipxe"])
            self.assertEqual(self.c("ipxe-upload push --template ", cwd=d),
                             ["ns1.ipxe"])
            self.assertEqual(self.c("ipxe-upload get n", cwd=d), [])


if __name__ == "__main__":
    unittest.main()
