# SPDX-License-Identifier: MIT
"""The pre-commit hook (.pre-commit-hooks.yaml at the project root) with the
real `pre-commit` tool (Debian's package), offline.

A throwaway git repository uses this project as its hook source.
pre-commit clones the hook repository at a commit, so the test commits the
working tree's .pre-commit-hooks.yaml into a temporary repository of its own
(the checkout itself is never touched) and points `repo:` at that folder.
ipxe-lint comes first on PATH from the build folder.  HOME, PRE_COMMIT_HOME
and XDG_CACHE_HOME are temporary folders, so no user setting or cache
leaks in.  Without pre-commit or git the test is skipped (under CI=true it
fails instead).
"""
import csv
import os
import re
import shutil
import subprocess
import unittest

from clitest import BAD, CLEAN, LINT, ROOT, TempDirTest

HOOKS = os.path.join(ROOT, ".pre-commit-hooks.yaml")
SHARED = os.environ.get("IPXEKIT_SHARED") or os.path.join(ROOT, "..",
                                                          "shared")
MANIFEST = os.path.join(SHARED, "corpus", "MANIFEST.tsv")


def hook_files_pattern():
    """The hook's `files:` regex, compiled as pre-commit compiles it (the
    manifest is read with a regex: its `files:` is one quoted line)."""
    with open(HOOKS, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^\s*files:\s*'([^']*)'\s*$", text, re.M)
    if not m:
        raise AssertionError("no single-quoted files: line in " + HOOKS)
    return re.compile(m.group(1))


def tools_missing():
    return [t for t in ("pre-commit", "git") if not shutil.which(t)]


class HookFilesTest(unittest.TestCase):
    """Which files the hook's `files:` pattern picks, on the names of the
    real-world corpus (../shared/corpus/MANIFEST.tsv, `path` column): every
    iPXE script and template of it, except the names listed below, which
    no pattern could tell from other files of a repository."""

    # Corpus names the hook leaves alone on purpose, and why.
    NOT_PICKED = [
        (r"(^|/)[^/.]+$", "no extension (ipxe, test, config/default/ipxe)"),
        (r"\.(txt|sh|cshtml|http|bak|backup|example|boot|net)$",
         "an extension most files that have it are not iPXE"),
        (r"\.com-(main|static)$", "a host name for a file name"),
        (r"(^|/)[^/]*boot\.cfg(\.j2|\.erb)?$",
         "boot.cfg is also ESXi's and syslinux's"),
        (r"(^|/)(index\.html\.(j2|erb)|[^/]*\.gohtml)$", "an HTML page"),
        (r"(^|/)bootdisk/[^/]*host\.erb$|(^|/)netboot\.xyz[^/]*\.j2$",
         "a template whose name and folder do not say iPXE"),
    ]

    def setUp(self):
        if not os.path.exists(MANIFEST):
            if os.environ.get("CI") == "true":
                self.fail("no corpus at " + MANIFEST)
            self.skipTest("no corpus at " + MANIFEST)
        with open(MANIFEST, encoding="utf-8", newline="") as f:
            self.rows = list(csv.DictReader(f, delimiter="\t",
                                            quoting=csv.QUOTE_NONE))
        self.files = hook_files_pattern()

    def not_picked(self, path):
        for pattern, why in self.NOT_PICKED:
            if re.search(pattern, path):
                return why
        return None

    def test_corpus_scripts_and_templates_are_picked(self):
        missed = ["%s (%s)" % (r["path"], r["class"]) for r in self.rows
                  if not self.not_picked(r["path"])
                  and not self.files.search(r["path"])]
        self.assertEqual(missed, [], "corpus files the hook would skip")

    def test_the_exceptions_are_not_picked(self):
        picked = [r["path"] for r in self.rows
                  if self.not_picked(r["path"])
                  and self.files.search(r["path"])]
        self.assertEqual(picked, [], "listed as not picked, but picked")

    def test_template_kinds_are_picked(self):
        for name in ("boot.ipxe.erb", "menu.ipxe.jinja2", "menu.ipxe.jinja",
                     "menu.ipxe.tpl", "ironic/ipxe_config.template",
                     "roles/x/templates/ipxe-join.j2",
                     "provisioning_templates/iPXE/kickstart_default_ipxe.erb",
                     "provisioning_templates/iPXE/host.erb",
                     "templates/ipxe/config.local.template",
                     "src/boot.ipxe.cfg", "script-rom.ipxe.in", "MENU.IPXE"):
            self.assertRegex(name, self.files)

    def test_other_files_are_not_picked(self):
        for name in ("README.md", "docs/ipxe.md", "ipxe/README.md",
                     "CHANGELOG.md", "config.template", "nginx.conf.j2",
                     "templates/index.html.j2",
                     "app/views/layouts/application.html.erb",
                     "main.tf.tmpl", "setup.py", "ipxe/src/Makefile",
                     "ipxe", "menu.ipxe.orig", "boot.cfg"):
            self.assertNotRegex(name, self.files)

    def test_the_corpus_counts(self):
        picked = sum(1 for r in self.rows if self.files.search(r["path"]))
        # 470 with the pattern before .erb, .jinja2 and .template names
        self.assertGreaterEqual(picked, 521)


class PreCommitTest(TempDirTest):
    HOOK_ID = "ipxe-lint"

    def setUp(self):
        super().setUp()
        missing = tools_missing()
        if missing:
            if os.environ.get("CI") == "true":
                self.fail("not installed: %s (scripts/deps installs them)"
                          % " ".join(missing))
            self.skipTest("not installed: %s" % " ".join(missing))
        home = os.path.join(self.tmp, "home")
        os.makedirs(home)
        bindir = os.path.join(self.tmp, "bin")
        os.makedirs(bindir)
        os.symlink(LINT, os.path.join(bindir, "ipxe-lint"))
        self.env = {
            "PATH": bindir + os.pathsep + os.environ.get("PATH",
                                                         "/usr/bin:/bin"),
            "HOME": home,
            "PRE_COMMIT_HOME": os.path.join(self.tmp, "pre-commit-cache"),
            "XDG_CACHE_HOME": os.path.join(self.tmp, "cache"),
            "XDG_CONFIG_HOME": os.path.join(self.tmp, "config"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "LANG": "C.UTF-8",
            "TERM": "dumb",
            # no network: a clone that tried to go out would fail at once
            "http_proxy": "http://127.0.0.1:9", "https_proxy":
            "http://127.0.0.1:9", "GIT_ALLOW_PROTOCOL": "file",
        }
        self.hooks_repo, self.hooks_rev = self.make_hooks_repo()
        self.repo = os.path.join(self.tmp, "project")
        os.makedirs(self.repo)
        self.git("init", "-q")
        self.write_in_repo(".pre-commit-config.yaml",
                           "repos:\n"
                           "  - repo: %s\n"
                           "    rev: %s\n"
                           "    hooks:\n"
                           "      - id: %s\n"
                           % (self.hooks_repo, self.hooks_rev, self.HOOK_ID))
        p = self.run_tool(["pre-commit", "install"])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.git("add", ".pre-commit-config.yaml")
        self.commit("pre-commit configuration", expect=0)

    def run_tool(self, argv, cwd=None):
        return subprocess.run(argv, cwd=cwd or self.repo, env=self.env,
                              capture_output=True, text=True, timeout=300,
                              stdin=subprocess.DEVNULL)

    def git(self, *args, cwd=None):
        p = self.run_tool(["git"] + list(args), cwd=cwd)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def make_hooks_repo(self):
        """A git repository holding the working tree's hook manifest."""
        repo = os.path.join(self.tmp, "hooks-source")
        os.makedirs(repo)
        shutil.copy(HOOKS, os.path.join(repo, ".pre-commit-hooks.yaml"))
        self.git("init", "-q", cwd=repo)
        self.git("add", ".pre-commit-hooks.yaml", cwd=repo)
        self.git("commit", "-q", "-m", "hooks from the working tree", cwd=repo)
        return repo, self.git("rev-parse", "HEAD", cwd=repo).strip()

    def write_in_repo(self, rel, data):
        path = os.path.join(self.repo, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())

    def commit(self, message, expect):
        p = self.run_tool(["git", "commit", "-m", message])
        out = p.stdout + p.stderr
        self.assertEqual(p.returncode, expect, out)
        return out

    def head_subject(self):
        return self.git("log", "-1", "--format=%s").strip()

    # ---- the tests

    def test_manifest_is_valid(self):
        p = self.run_tool(["pre-commit", "validate-manifest", HOOKS])
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        with open(HOOKS, encoding="utf-8") as f:
            text = f.read()
        for line in ("- id: ipxe-lint", "entry: ipxe-lint",
                     "language: system", "types: [text]"):
            self.assertIn(line, text)
        files = hook_files_pattern()
        for name in ("menu.ipxe", "a/b/boot.ipxe", "menu.ipxe.j2",
                     "menu.ipxe.tmpl"):
            self.assertRegex(name, files)
        for name in ("menu.ipxe.bak", "notes.txt", "ipxe", "x.ipxe.j2.orig"):
            self.assertNotRegex(name, files)

    def test_bad_script_is_refused_with_the_finding(self):
        self.write_in_repo("boot/menu.ipxe", BAD)
        self.git("add", "boot/menu.ipxe")
        out = self.commit("bad menu", expect=1)
        self.assertRegex(out, r"ipxe-lint\.+Failed")
        self.assertIn("boot/menu.ipxe:2:6: error:", out)
        self.assertIn("[IPX2001]", out)
        self.assertEqual(self.head_subject(), "pre-commit configuration")

    def test_good_script_passes(self):
        self.write_in_repo("boot/menu.ipxe", CLEAN)
        self.write_in_repo("boot/menu.ipxe.j2",
                           b"#!ipxe\nkernel {{ base }}/vmlinuz\n"
                           b"initrd {{ base }}/initrd.img\nboot\n")
        self.git("add", "boot")
        out = self.commit("good menu", expect=0)
        self.assertRegex(out, r"ipxe-lint\.+Passed")
        self.assertEqual(self.head_subject(), "good menu")

    def test_fixed_script_then_passes(self):
        self.write_in_repo("menu.ipxe", BAD)
        self.git("add", "menu.ipxe")
        self.commit("bad", expect=1)
        self.write_in_repo("menu.ipxe", CLEAN)
        self.git("add", "menu.ipxe")
        self.commit("fixed", expect=0)
        self.assertEqual(self.head_subject(), "fixed")

    def test_other_files_are_not_linted(self):
        self.write_in_repo("notes.txt", BAD)
        self.write_in_repo("menu.ipxe.orig", BAD)
        self.git("add", "notes.txt", "menu.ipxe.orig")
        out = self.commit("notes", expect=0)
        self.assertRegex(out, r"ipxe-lint\.+\(no files to check\)Skipped")

    def test_erb_and_ipxe_named_templates_are_linted(self):
        self.write_in_repo("foreman/boot.ipxe.erb",
                           b"#!ipxe\n<%# the host's kernel %>\n"
                           b"goto nowhere\n")
        self.write_in_repo("ironic/ipxe_config.template",
                           b"#!ipxe\nkernel {{ kernel }}\ngoto nowhere\n")
        self.git("add", "foreman", "ironic")
        out = self.commit("templates", expect=1)
        self.assertIn("foreman/boot.ipxe.erb:3:6: error:", out)
        self.assertIn("ironic/ipxe_config.template:3:6: error:", out)

    def test_bad_template_is_refused(self):
        self.write_in_repo("menu.ipxe.tmpl", b"#!ipxe\ngoto nowhere\n"
                           b"echo {{ .Name }}\n")
        self.git("add", "menu.ipxe.tmpl")
        out = self.commit("template", expect=1)
        self.assertIn("menu.ipxe.tmpl:2:6: error:", out)

    def test_config_in_the_repository_is_used(self):
        self.write_in_repo(".ipxe-lint.conf", "failure-threshold = none\n")
        self.write_in_repo("menu.ipxe", BAD)
        self.git("add", ".ipxe-lint.conf", "menu.ipxe")
        out = self.commit("lenient", expect=0)
        # the hook ran on menu.ipxe (not skipped) and the config let it pass
        self.assertRegex(out, r"ipxe-lint\.+Passed")
        self.assertEqual(self.head_subject(), "lenient")


class PreCommitFixTest(PreCommitTest):
    """The second hook, ipxe-lint-fix: the fixes applied to the staged
    files; pre-commit refuses the commit because a hook changed them, and
    the fixed files then commit."""
    HOOK_ID = "ipxe-lint-fix"

    # the tests of the checking hook are not run again with this one
    for name in [n for n in dir(PreCommitTest) if n.startswith("test_")]:
        locals()[name] = None
    del name

    def test_manifest_has_the_fix_hook(self):
        with open(HOOKS, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("- id: ipxe-lint-fix", text)
        self.assertIn("entry: ipxe-lint --fix", text)
        patterns = re.findall(r"^\s*files:\s*'([^']*)'\s*$", text, re.M)
        self.assertEqual(len(patterns), 2)
        self.assertEqual(patterns[0], patterns[1])

    def test_fixes_are_applied_then_commit(self):
        quoted = b'#!ipxe\necho "hello"\nexit 0\n'
        self.write_in_repo("boot/menu.ipxe", quoted)
        self.git("add", "boot/menu.ipxe")
        out = self.commit("quoted", expect=1)
        self.assertRegex(out, r"ipxe-lint \(apply fixes\)\.+Failed")
        self.assertIn("files were modified by this hook", out)
        with open(os.path.join(self.repo, "boot/menu.ipxe"), "rb") as f:
            self.assertEqual(f.read(), b"#!ipxe\necho hello\nexit 0\n")
        self.assertEqual(self.head_subject(), "pre-commit configuration")
        self.git("add", "boot/menu.ipxe")
        out = self.commit("fixed", expect=0)
        self.assertRegex(out, r"ipxe-lint \(apply fixes\)\.+Passed")
        self.assertEqual(self.head_subject(), "fixed")

    def test_what_cannot_be_fixed_still_refuses(self):
        self.write_in_repo("menu.ipxe", BAD)
        self.git("add", "menu.ipxe")
        out = self.commit("bad", expect=1)
        self.assertIn("menu.ipxe:2:6: error:", out)
        with open(os.path.join(self.repo, "menu.ipxe"), "rb") as f:
            self.assertEqual(f.read(), BAD)


if __name__ == "__main__":
    unittest.main()
