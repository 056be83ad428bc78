# SPDX-License-Identifier: MIT
"""ipxe-lint --fix: every fix applied in place, atomically, the mode kept,
what remains reported, a file with nothing to fix left untouched."""
import os
import stat
import subprocess

from clitest import BAD, CLEAN, TempDirTest, gcc_findings, lint

# IPX1006 (no quoting, a fix: the quotes go) on lines 2 and 3; IPX2001
# (no fix) on line 4
FIXABLE = (b"#!ipxe\n"
           b"echo \"Booting the installer\"\n"
           b"echo 'Loading kernel ...'\n"
           b"goto nowhere\n")


class FixTest(TempDirTest):

    def write(self, name, data, mode=0o644):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, mode)
        return path

    def read(self, path):
        with open(path, "rb") as f:
            return f.read()

    def test_fixes_are_those_of_diff_and_the_rest_is_reported(self):
        path = self.write("menu.ipxe", FIXABLE, 0o640)
        copy = self.write("copy.ipxe", FIXABLE)
        diff = lint("-f", "diff", copy, cwd=self.tmp)
        before = os.stat(path)
        p = lint("-f", "gcc", "--fix", path, cwd=self.tmp)
        self.assertEqual(p.returncode, 1, p.stderr)
        # what remains: the goto, not the quotes
        self.assertEqual([(f[1], f[4]) for f in gcc_findings(p.stdout)],
                         [(4, "IPX2001")])
        self.assertIn(b"menu.ipxe: fixed (4 edits)", p.stderr)
        fixed = self.read(path)
        self.assertEqual(fixed, b"#!ipxe\necho Booting the installer\n"
                         b"echo Loading kernel ...\ngoto nowhere\n")
        # the same text as -f diff's patch applied to the copy
        r = subprocess.run(["patch", "-s", "-p0", copy], input=b"\n".join(
            line for line in diff.stdout.split(b"\n")
            if not line.startswith((b"--- ", b"+++ "))), capture_output=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.read(copy), fixed)
        after = os.stat(path)
        # written through a new file renamed over the old one
        self.assertNotEqual(before.st_ino, after.st_ino)
        self.assertEqual(stat.S_IMODE(after.st_mode), 0o640)
        # no temporary file left behind
        self.assertEqual(sorted(os.listdir(self.tmp)),
                         ["copy.ipxe", "copy.ipxe.orig", "menu.ipxe"]
                         if os.path.exists(copy + ".orig")
                         else ["copy.ipxe", "menu.ipxe"])

    def test_nothing_to_fix_leaves_the_file_alone(self):
        path = self.write("clean.ipxe", CLEAN)
        bad = self.write("bad.ipxe", BAD)
        st = [os.stat(path), os.stat(bad)]
        os.utime(path, ns=(1, 1))
        os.utime(bad, ns=(1, 1))
        p = lint("-f", "gcc", "--fix", path, bad, cwd=self.tmp)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr, b"")
        for f, before in zip((path, bad), st):
            now = os.stat(f)
            self.assertEqual(now.st_ino, before.st_ino)
            self.assertEqual(now.st_mtime_ns, 1)
        self.assertEqual(self.read(path), CLEAN)

    def test_clean_after_fixing_exits_0(self):
        path = self.write("q.ipxe", b"#!ipxe\necho \"hello\"\nexit 0\n")
        p = lint("-f", "gcc", "--fix", path)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(p.stdout, b"")
        self.assertEqual(self.read(path), b"#!ipxe\necho hello\nexit 0\n")

    def test_a_symlink_is_kept_and_its_target_fixed(self):
        target = self.write("real.ipxe", FIXABLE)
        link = os.path.join(self.tmp, "link.ipxe")
        os.symlink("real.ipxe", link)
        lint("-f", "gcc", "--fix", link)
        self.assertTrue(os.path.islink(link))
        self.assertNotIn(b'"', self.read(target))

    def test_standard_input_is_refused(self):
        p = lint("--fix", "-", stdin=FIXABLE)
        self.assertEqual(p.returncode, 3)
        self.assertIn(b"--fix rewrites files", p.stderr)

    def test_template_is_fixed(self):
        path = self.write("menu.ipxe.j2",
                          b"#!ipxe\necho \"{{ greeting }}\"\nexit 0\n")
        p = lint("-f", "gcc", "--fix", path)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertEqual(self.read(path),
                         b"#!ipxe\necho {{ greeting }}\nexit 0\n")

    def test_unwritable_folder_leaves_the_file(self):
        sub = os.path.join(self.tmp, "ro")
        os.makedirs(sub)
        path = os.path.join(sub, "m.ipxe")
        with open(path, "wb") as f:
            f.write(FIXABLE)
        os.chmod(sub, 0o555)
        try:
            p = lint("-f", "gcc", "--fix", path)
        finally:
            os.chmod(sub, 0o755)
        if os.geteuid() == 0:
            # root writes into a read-only folder: it was fixed
            self.assertIn(b"fixed (", p.stderr)
            self.assertNotEqual(self.read(path), FIXABLE)
            return
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"cannot write the fixed file", p.stderr)
        self.assertEqual(self.read(path), FIXABLE)

    def test_a_file_that_cannot_be_written_is_left_as_it_was(self):
        # a name of 255 bytes leaves no room for the temporary file's
        # suffix: creating it fails (ENAMETOOLONG), for root too
        path = os.path.join(self.tmp, "m" * 250 + ".ipxe")
        with open(path, "wb") as f:
            f.write(FIXABLE)
        p = lint("-f", "gcc", "--fix", path)
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"cannot write the fixed file", p.stderr)
        self.assertIn(b"File name too long", p.stderr)
        self.assertEqual(self.read(path), FIXABLE)
        self.assertEqual(os.listdir(self.tmp), [os.path.basename(path)])
