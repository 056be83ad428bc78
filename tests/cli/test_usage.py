# SPDX-License-Identifier: MIT
"""What a user trips on: output errors, configuration and directives
written the way people write them, and messages about the command line
that say where the mistake is and what was meant."""
import os
import signal
import subprocess

from clitest import (BAD, CLEAN, LINT, TempDirTest, clean_env, codes, lint)


class OutputErrorTest(TempDirTest):
    """An output that cannot be written is named once, exit 2; a closed pipe
    ends quietly."""

    def run_to(self, out, *files):
        return subprocess.run([LINT, "-f", "gcc", "--no-config", *files],
                              stdout=out, stderr=subprocess.PIPE,
                              env=clean_env(), cwd=self.tmp, timeout=60)

    def test_full_device_is_named_once(self):
        files = [self.write("s%d.ipxe" % i, BAD) for i in range(40)]
        with open("/dev/full", "wb") as full:
            p = self.run_to(full, *files)
        err = p.stderr.decode()
        self.assertEqual(p.returncode, 2, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn("standard output", err)
        self.assertNotIn("s1.ipxe", err, "the input is blamed")

    def test_full_device_small_output(self):
        path = self.write("s.ipxe", BAD)
        with open("/dev/full", "wb") as full:
            p = self.run_to(full, path)
        self.assertEqual(p.returncode, 2)
        self.assertIn("standard output", p.stderr.decode())

    def test_closed_pipe_is_quiet(self):
        files = [self.write("s%d.ipxe" % i, BAD * 50) for i in range(200)]
        r, w = os.pipe()
        os.close(r)

        def ignore_sigpipe():
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)

        p = subprocess.run([LINT, "-f", "gcc", "--no-config", *files],
                           stdout=w, stderr=subprocess.PIPE,
                           env=clean_env(), cwd=self.tmp, timeout=60,
                           preexec_fn=ignore_sigpipe)
        os.close(w)
        self.assertEqual(p.stderr, b"")
        self.assertNotEqual(p.returncode, 0)


class DirectiveSpellingTest(TempDirTest):
    def test_spaces_around_equals(self):
        for directive in ("# ipxe-lint disable = IPX2001",
                          "# ipxe-lint disable= IPX2001",
                          "# ipxe-lint disable =IPX2001",
                          "# ipxe-lint disable=IPX2001, IPX2002"):
            with self.subTest(directive=directive):
                path = self.write("d.ipxe", "#!ipxe\n%s\ngoto nowhere\n"
                                  "exit 0\n" % directive)
                p = lint("-f", "gcc", "--no-config", path)
                self.assertEqual(codes(p.stdout), [], p.stdout.decode())
                self.assertEqual(p.returncode, 0)

    def test_codes_in_any_case(self):
        path = self.write("d.ipxe", "#!ipxe\n# ipxe-lint disable=ipx2001\n"
                          "goto nowhere\nexit 0\n")
        p = lint("-f", "gcc", "--no-config", path)
        self.assertEqual(codes(p.stdout), [])

    def test_unknown_rule_suggests(self):
        path = self.write("d.ipxe", "#!ipxe\n# ipxe-lint disable=IPX201\n"
                          "goto nowhere\nexit 0\n")
        p = lint("-f", "gcc", "--no-config", path)
        self.assertIn("did you mean 'IPX2001'", p.stdout.decode())


class ConfigSpellingTest(TempDirTest):
    def lint_with_conf(self, conf, script=BAD, *args):
        self.write(".ipxe-lint.conf", conf)
        path = self.write("s.ipxe", script)
        return self.lint_in("-f", "gcc", *args, path)

    def test_comment_after_value(self):
        p = self.lint_with_conf(b"disable = IPX2001  # the menu has it\n")
        self.assertEqual(p.stderr, b"")
        self.assertEqual(codes(p.stdout), [])

    def test_byte_order_mark(self):
        p = self.lint_with_conf(b"\xef\xbb\xbfdisable = IPX2001\n")
        self.assertEqual(p.stderr, b"")
        self.assertEqual(codes(p.stdout), [])

    def test_booleans(self):
        script = b"#!ipxe\nchain http://boot.example.net/x.ipxe\n"
        for word in ("on", "TRUE", "Yes", "1", "true"):
            with self.subTest(word=word):
                p = self.lint_with_conf(("require-https = %s\n" % word)
                                        .encode(), script)
                self.assertEqual(p.stderr, b"")
                self.assertIn("IPX2304", codes(p.stdout))
        for word in ("off", "FALSE", "no", "0"):
            with self.subTest(word=word):
                p = self.lint_with_conf(("require-https = %s\n" % word)
                                        .encode(), script)
                self.assertNotIn("IPX2304", codes(p.stdout))
        p = self.lint_with_conf(b"require-https = maybe\n", script)
        self.assertEqual(p.returncode, 3)
        self.assertIn("'maybe' is not a boolean", p.stderr.decode())

    def test_codes_in_any_case(self):
        p = self.lint_with_conf(b"disable = ipx2001\nseverity.ipx2002 = info\n")
        self.assertEqual(p.stderr, b"")
        self.assertEqual(codes(p.stdout), [])

    def test_unknown_key_suggests(self):
        p = self.lint_with_conf(b"disabel = IPX2001\n")
        self.assertEqual(p.returncode, 3)
        err = p.stderr.decode()
        self.assertIn(".ipxe-lint.conf:1:", err)
        self.assertIn("did you mean 'disable'", err)

    def test_config_directory(self):
        self.write("conf/.ipxe-lint.conf", b"disable = IPX2001\n")
        path = self.write("s.ipxe", BAD)
        p = self.lint_in("-f", "gcc", "--config=" + os.path.join(self.tmp,
                                                                  "conf"),
                         path)
        self.assertEqual(p.stderr, b"")
        self.assertEqual(codes(p.stdout), [])
        os.makedirs(os.path.join(self.tmp, "empty"))
        p = self.lint_in("-f", "gcc", "--config=empty", path)
        self.assertEqual(p.returncode, 3)
        self.assertIn("'empty' is a directory with no .ipxe-lint.conf",
                      p.stderr.decode())


class CommandLineMessageTest(TempDirTest):
    def test_explain_in_any_case(self):
        p = lint("--explain", "ipx2001")
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.stdout.startswith(b"# IPX2001"))

    def test_option_value_that_is_a_file(self):
        path = self.write("a.ipxe", CLEAN)
        p = self.lint_in("-S", "a.ipxe")
        self.assertEqual(p.returncode, 3)
        err = p.stderr.decode()
        self.assertIn("'a.ipxe' is not a severity", err)
        self.assertNotIn("no FILE given", err)
        self.assertTrue(os.path.exists(path))

    def test_jobs_any_count(self):
        path = self.write("a.ipxe", CLEAN)
        for n in ("1", "2", "4", "64"):
            with self.subTest(jobs=n):
                p = lint("-j", n, "--no-config", path)
                self.assertEqual(p.returncode, 0, p.stderr.decode())
        p = lint("-j", "0", "--no-config", path)
        self.assertEqual(p.returncode, 3)
        p = lint("-j", "two", "--no-config", path)
        self.assertEqual(p.returncode, 3)

    def test_environment_is_named(self):
        path = self.write("a.ipxe", CLEAN)
        for opts in ("--severity=loud", "--formt=gcc", "-f jsno"):
            with self.subTest(opts=opts):
                p = lint("--no-config", path,
                         env=clean_env(IPXE_LINT_OPTS=opts))
                self.assertEqual(p.returncode, 3)
                self.assertIn("IPXE_LINT_OPTS", p.stderr.decode())
        p = lint("--severity=loud", "--no-config", path)
        self.assertNotIn("IPXE_LINT_OPTS", p.stderr.decode())

    def test_suggestions(self):
        path = self.write("a.ipxe", CLEAN)
        cases = [
            (("--formt=gcc",), "did you mean '--format'"),
            (("--platfrom", "efi"), "did you mean '--platform'"),
            (("-f", "jsno"), "did you mean 'json'"),
            (("-S", "warn"), "did you mean 'warning'"),
            (("--platform", "uefi"), "did you mean 'efi'"),
            (("--disable", "IPX201"), "did you mean 'IPX2001'"),
            (("--disable", "goto-unknown-labl"),
             "did you mean 'goto-unknown-label'"),
            (("--color", "allways"), "did you mean 'always'"),
        ]
        for args, want in cases:
            with self.subTest(args=args):
                p = lint(*args, "--no-config", path)
                self.assertEqual(p.returncode, 3)
                self.assertIn(want, p.stderr.decode())
        p = lint("--explain", "IPX201")
        self.assertEqual(p.returncode, 3)
        self.assertIn("did you mean 'IPX2001'", p.stderr.decode())


class RepoPathTest(TempDirTest):
    """SARIF, Code Quality and -f diff name files from the repository's
    root, so that code scanning places them and `git apply` and
    `patch -p1` take the diff."""

    TYPO = b"#!ipxe\nchian http://boot.example.com/x.ipxe\nexit 0\n"

    def setUp(self):
        super().setUp()
        self.repo = os.path.join(self.tmp, "repo")
        os.makedirs(os.path.join(self.repo, "sub"))
        subprocess.run(["git", "init", "-q", self.repo], check=True)
        self.write("repo/menus/m.ipxe", self.TYPO)

    def test_sarif_from_a_subfolder(self):
        import json
        p = lint("-f", "sarif", "--no-config", "../menus/m.ipxe",
                 cwd=os.path.join(self.repo, "sub"))
        doc = json.loads(p.stdout)
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]
                ["uri"] for r in doc["runs"][0]["results"]}
        self.assertEqual(uris, {"menus/m.ipxe"})

    def test_codeclimate_from_a_subfolder(self):
        import json
        p = lint("-f", "codeclimate", "--no-config", "../menus/m.ipxe",
                 cwd=os.path.join(self.repo, "sub"))
        paths = {i["location"]["path"] for i in json.loads(p.stdout)}
        self.assertEqual(paths, {"menus/m.ipxe"})

    def test_diff_applies_from_the_root(self):
        for args, cwd in ((["../menus/m.ipxe"], "sub"),
                          ([os.path.join(self.repo, "menus", "m.ipxe")], "sub"),
                          (["./menus//m.ipxe"], "")):
            with self.subTest(args=args):
                self.write("repo/menus/m.ipxe", self.TYPO)
                p = lint("-f", "diff", "--no-config", *args,
                         cwd=os.path.join(self.repo, cwd))
                self.assertIn(b"--- a/menus/m.ipxe\n+++ b/menus/m.ipxe\n",
                              p.stdout)
                g = subprocess.run(["git", "apply", "--check", "-"],
                                   input=p.stdout, cwd=self.repo,
                                   capture_output=True)
                self.assertEqual(g.returncode, 0, g.stderr)
                q = subprocess.run(["patch", "-p1", "--batch"],
                                   input=p.stdout, cwd=self.repo,
                                   capture_output=True)
                self.assertEqual(q.returncode, 0, q.stdout)
                with open(os.path.join(self.repo, "menus", "m.ipxe"),
                          "rb") as f:
                    self.assertIn(b"chain http://", f.read())

    def test_diff_outside_a_repository(self):
        path = self.write("loose/x.ipxe", self.TYPO)
        p = lint("-f", "diff", "--no-config", path, cwd="/")
        head = p.stdout.split(b"\n")[0].decode()
        self.assertEqual(head, "--- a" + os.path.realpath(path))
        self.assertNotIn("//", head)

    def test_hunks_have_three_lines_of_context(self):
        body = b"".join(b"echo line %d\n" % i for i in range(30))
        self.write("repo/menus/m.ipxe",
                   b"#!ipxe\nchian http://x/a\n" + body +
                   b"chian http://x/b\nexit 0\n")
        p = lint("-f", "diff", "--no-config", "menus/m.ipxe", cwd=self.repo)
        hunks = [ln for ln in p.stdout.decode().splitlines()
                 if ln.startswith("@@")]
        self.assertEqual(len(hunks), 2, p.stdout.decode())
        self.assertEqual(p.stdout.count(b"\n-echo"), 0)


class CiFormatTextTest(TempDirTest):
    """What pre-commit and CI show: the first clause and a short hint in
    the one-line formats, the hint in json, and a tty report that reads
    well in a terminal."""

    TYPO = b"#!ipxe\ndhcp\nchian http://boot.example.com/x.ipxe\nexit 0\n"

    def test_gcc_has_the_hint_and_the_first_clause(self):
        path = self.write("t.ipxe", self.TYPO)
        p = lint("-f", "gcc", "--no-config", path)
        line = p.stdout.decode().strip()
        self.assertTrue(line.endswith(
            ": error: unknown command 'chian'; did you mean 'chain'? "
            "[IPX2101]"), line)

    def test_json_has_the_hint(self):
        import json
        path = self.write("t.ipxe", self.TYPO)
        p = lint("-f", "json", "--no-config", path)
        f = json.loads(p.stdout)["findings"][0]
        self.assertEqual(f["hint"], "did you mean 'chain'?")
        self.assertIn("command not found", f["message"])

    def test_tty_summary(self):
        path = self.write("t.ipxe", self.TYPO)
        clean = self.write("c.ipxe", CLEAN)
        p = lint("-f", "tty", "--no-config", path, clean)
        self.assertTrue(p.stdout.decode().endswith(
            "\n1 error in 1 of 2 files\n"), p.stdout.decode())
        p = lint("-f", "tty", "--no-config", clean)
        self.assertTrue(p.stdout.decode().endswith("\nno findings in 1 file\n"))

    def test_tty_one_excerpt_per_line(self):
        path = self.write("t.ipxe", b"#!ipxe\ndhcp\nchian ${x} ${y} ${z}\n")
        p = lint("-f", "tty", "--no-config", "--enable", "all", path)
        out = p.stdout.decode()
        self.assertEqual(out.count("| chian ${x} ${y} ${z}"), 1, out)
        carets = [ln for ln in out.splitlines()
                  if ln.startswith("      | ") and "^" in ln]
        self.assertEqual(len(carets), 4, out)
        self.assertTrue(carets[0].endswith("^~~~~ IPX2101"), out)

    def test_tty_headers_wrap_at_words(self):
        import pty
        path = self.write("t.ipxe", b"#!ipxe\nsanboot --drive 0x80\n"
                                    b"echo after\n")
        out = b""
        pid, fd = pty.fork()
        if pid == 0:
            os.environ.update(clean_env(COLUMNS="60"))
            os.execv(LINT, [LINT, "-f", "tty", "--no-config", "--color=never",
                            path])
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        os.waitpid(pid, 0)
        text = out.decode().replace("\r\n", "\n")
        for line in text.splitlines():
            if len(line) > 60:
                # only a line that is one long word (the path, a URL) may
                # run over
                self.assertNotIn(" ", line.split(": ", 2)[-1].strip(), line)
        self.assertIn("\n    ", text)  # a header went on to a second line

