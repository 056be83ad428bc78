# SPDX-License-Identifier: MIT
"""ipxe-render's command line: files, --check, --stdout, --host, --set,
the inventory's errors, exit codes, --help, and the structure check (a
value may not change a script's structure; the injection table below).

Run by ctest as `python3 -m unittest` with IPXE_RENDER (the binary) and
IPXEKIT_ROOT (the source tree) in the environment.
"""
import copy
import json
import os
import re
import stat
import subprocess
import tempfile
import unittest

RENDER = os.environ.get("IPXE_RENDER", "")
ROOT = os.environ.get("IPXEKIT_ROOT", "")
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLE = os.path.join(ROOT, "testdata", "render", "example")


def run(*args, cwd=None, stdin=None):
    p = subprocess.run([RENDER, *args], cwd=cwd, input=stdin,
                       capture_output=True, check=False)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def merge(dst, src):
    for k, v in src.items():
        if isinstance(v, dict) and isinstance(dst.get(k), dict):
            merge(dst[k], v)
        else:
            dst[k] = copy.deepcopy(v)


def jinja_render(template_path, inventory_path):
    """Each host's script as python3-jinja2 renders it, with the
    variables merged as the inventory says."""
    import jinja2
    env = jinja2.Environment(undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    with open(template_path, encoding="utf-8") as f:
        t = env.from_string(f.read())
    with open(inventory_path, encoding="utf-8") as f:
        inv = json.load(f)
    out = {}
    for host, entry in inv["hosts"].items():
        v = copy.deepcopy(inv.get("defaults", {}))
        for g in entry.get("groups", []):
            merge(v, inv["groups"][g])
        merge(v, entry.get("vars", {}))
        v["host"] = host
        out[host] = t.render(v)
    return out


class Base(unittest.TestCase):
    def setUp(self):
        # a skip would let a run without the binary pass having checked
        # nothing
        if not RENDER:
            self.fail("IPXE_RENDER is not set (run through ctest)")
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def fleet(self, template, hosts, defaults=None, groups=None):
        """Write a template and an inventory; return their names, relative
        to the test's directory, where run() runs."""
        self.write("t.ipxe.j2", template)
        inv = {"defaults": defaults or {}, "groups": groups or {},
               "hosts": hosts}
        self.write("inv.json", json.dumps(inv, indent=2))
        return "t.ipxe.j2", "inv.json"

    def call(self, *args):
        return run(*args, cwd=self.dir)


class TestHelp(Base):
    def test_help_is_pinned(self):
        rc, out, err = run("--help")
        self.assertEqual(rc, 0)
        with open(os.path.join(HERE, "help.golden"), encoding="utf-8") as f:
            self.assertEqual(out, f.read())
        self.assertEqual(err, "")

    def test_version(self):
        rc, out, _ = run("--version")
        self.assertEqual(rc, 0)
        self.assertRegex(out, r"^ipxe-render \d+\.\d+\.\d+\n$")

    def test_usage_errors_exit_3(self):
        t, i = self.fleet("#!ipxe\n", {"a.example": {}})
        for args in ([], [t], [t, i], ["--bogus", t, i, "--stdout"],
                     [t, i, "-o", self.dir, "--stdout"],
                     [t, i, "--stdout", "--platform", "arm"],
                     [t, i, "--stdout", "--set", "novalue"]):
            rc, out, err = self.call(*args)
            self.assertEqual(rc, 3, args)
            self.assertIn("Try 'ipxe-render --help'", err)
            self.assertEqual(out, "")


class TestExample(Base):
    """The fleet in testdata/render/example: two UEFI and two legacy
    servers, a Debian installer and an Alpine system running from RAM."""

    def render_example(self, *extra):
        out = os.path.join(self.dir, "out")
        rc, stdout, err = run(os.path.join(EXAMPLE, "fleet.ipxe.j2"),
                              os.path.join(EXAMPLE, "inventory.json"),
                              "-o", out, *extra)
        return out, rc, stdout, err

    def test_renders_like_jinja2(self):
        out, rc, _, err = self.render_example()
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "ipxe-render: 4 rendered, 0 unchanged, "
                              "0 refused\n")
        want = jinja_render(os.path.join(EXAMPLE, "fleet.ipxe.j2"),
                            os.path.join(EXAMPLE, "inventory.json"))
        self.assertEqual(sorted(os.listdir(out)),
                         sorted(h + ".ipxe" for h in want))
        for host, text in want.items():
            with open(os.path.join(out, host + ".ipxe"), encoding="utf-8") as f:
                self.assertEqual(f.read(), text, host)

    def test_uefi_and_legacy_differ(self):
        out, rc, _, err = self.render_example()
        self.assertEqual(rc, 0, err)
        with open(os.path.join(out, "ns1234567.ip-203-0-113.eu.ipxe")) as f:
            uefi = f.read()
        with open(os.path.join(out, "ns1234568.ip-203-0-113.eu.ipxe")) as f:
            legacy = f.read()
        self.assertIn("exit 1", uefi)
        self.assertNotIn("sanboot", uefi)
        self.assertIn("sanboot --no-describe --drive 0x80", legacy)

    def test_second_run_is_unchanged(self):
        out, rc, _, err = self.render_example()
        self.assertEqual(rc, 0, err)
        mtimes = {n: os.stat(os.path.join(out, n)).st_mtime_ns
                  for n in os.listdir(out)}
        self.assertEqual(len(mtimes), 4)
        out, rc, _, err = self.render_example()
        self.assertEqual(rc, 0)
        self.assertEqual(err, "ipxe-render: 0 rendered, 4 unchanged, "
                              "0 refused\n")
        for n, m in mtimes.items():
            self.assertEqual(os.stat(os.path.join(out, n)).st_mtime_ns, m)

    def test_no_temporary_file_is_left(self):
        out, rc, _, err = self.render_example()
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(os.listdir(out)), 4)
        self.assertEqual([n for n in os.listdir(out) if n.startswith(".")],
                         [])

    def test_planted_links_are_not_followed(self):
        """A symbolic link planted where a script's temporary file goes
        (HOST.ipxe.tmp.PID: the same process, so the same pid) is never
        written through; every script is written all the same."""
        out = os.path.join(self.dir, "out")
        os.mkdir(out)
        victim = self.write("victim", "precious\n")
        os.chmod(victim, 0o644)
        host = "ns1234567.ip-203-0-113.eu"
        plant = 'ln -s "$1" "$2/%s.ipxe.tmp.$$" || exit 99; shift 2; ' \
                'exec "$@"' % host
        p = subprocess.run(
            ["/bin/sh", "-c", plant, "plant", victim, out, RENDER,
             os.path.join(EXAMPLE, "fleet.ipxe.j2"),
             os.path.join(EXAMPLE, "inventory.json"), "-o", out],
            capture_output=True, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(victim, encoding="utf-8") as f:
            self.assertEqual(f.read(), "precious\n")
        self.assertEqual(stat.S_IMODE(os.stat(victim).st_mode), 0o644)
        scripts = [n for n in os.listdir(out) if n.endswith(".ipxe")]
        self.assertEqual(len(scripts), 4)
        for n in scripts:
            self.assertFalse(os.path.islink(os.path.join(out, n)), n)
        with open(os.path.join(out, host + ".ipxe"), encoding="utf-8") as f:
            self.assertTrue(f.read().startswith("#!ipxe"))
        # The planted link is all that is left besides the scripts.
        left = [n for n in os.listdir(out) if not n.endswith(".ipxe")]
        self.assertEqual(len(left), 1)
        self.assertTrue(os.path.islink(os.path.join(out, left[0])))

    def test_files_follow_the_umask(self):
        old = os.umask(0o027)
        try:
            out, rc, _, err = self.render_example()
        finally:
            os.umask(old)
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(os.listdir(out)), 4)
        for n in os.listdir(out):
            mode = stat.S_IMODE(os.stat(os.path.join(out, n)).st_mode)
            self.assertEqual(mode, 0o640, n)

    def test_check_up_to_date(self):
        out, rc, _, err = self.render_example()
        self.assertEqual(rc, 0, err)
        rc, stdout, err = run(os.path.join(EXAMPLE, "fleet.ipxe.j2"),
                              os.path.join(EXAMPLE, "inventory.json"),
                              "--check", out)
        self.assertEqual(rc, 0, err)
        self.assertEqual(stdout, "")
        self.assertEqual(err, "ipxe-render: 4 up to date, 0 differ, "
                              "0 refused\n")

    def test_check_prints_a_unified_diff(self):
        out, rc, _, err = self.render_example()
        self.assertEqual(rc, 0, err)
        path = os.path.join(out, "ns3001235.ip-198-51-100.eu.ipxe")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("console=tty0", "console=ttyS1"))
        os.remove(os.path.join(out, "ns1234567.ip-203-0-113.eu.ipxe"))
        rc, stdout, err = run(os.path.join(EXAMPLE, "fleet.ipxe.j2"),
                              os.path.join(EXAMPLE, "inventory.json"),
                              "--check", out)
        self.assertEqual(rc, 1)
        self.assertIn("--- " + path + "\n", stdout)
        self.assertIn("+++ ns3001235.ip-198-51-100.eu (rendered)\n", stdout)
        self.assertRegex(stdout, r"\n@@ -\d+(,\d+)? \+\d+(,\d+)? @@\n")
        self.assertIn("\n-  modloop=", stdout)
        self.assertIn("console=ttyS1", stdout)
        self.assertIn("\n+  modloop=", stdout)
        self.assertIn("--- /dev/null\n", stdout)
        self.assertIn("missing", err)
        self.assertIn("2 up to date, 2 differ, 0 refused", err)
        # the check writes nothing
        with open(path) as f:
            self.assertIn("console=ttyS1", f.read())

    def test_stdout_one_host(self):
        out, rc, _, err = self.render_example()
        self.assertEqual(rc, 0, err)
        rc, stdout, err = run(os.path.join(EXAMPLE, "fleet.ipxe.j2"),
                              os.path.join(EXAMPLE, "inventory.json"),
                              "--stdout", "--host",
                              "ns3001234.ip-198-51-100.eu")
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        with open(os.path.join(out, "ns3001234.ip-198-51-100.eu.ipxe")) as f:
            self.assertEqual(stdout, f.read())

    def test_stdout_needs_one_host(self):
        rc, stdout, err = run(os.path.join(EXAMPLE, "fleet.ipxe.j2"),
                              os.path.join(EXAMPLE, "inventory.json"),
                              "--stdout")
        self.assertEqual(rc, 3)
        self.assertIn("4 are selected", err)

    def test_host_globs(self):
        out, rc, _, err = self.render_example("--host", "ns3*",
                                              "--host", "ns1234567.*")
        self.assertEqual(rc, 0, err)
        self.assertEqual(sorted(os.listdir(out)),
                         ["ns1234567.ip-203-0-113.eu.ipxe",
                          "ns3001234.ip-198-51-100.eu.ipxe",
                          "ns3001235.ip-198-51-100.eu.ipxe"])

    def test_host_matching_nothing(self):
        _, rc, _, err = self.render_example("--host", "ks*")
        self.assertEqual(rc, 3)
        self.assertIn("--host 'ks*' matches no host", err)

    def test_set_overrides_every_host(self):
        out, rc, _, err = self.render_example("--set", "console=ttyS1,9600")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(os.listdir(out)), 4)
        for n in os.listdir(out):
            with open(os.path.join(out, n)) as f:
                self.assertIn("console=ttyS1,9600", f.read())


class TestSetAndInventory(Base):
    TEMPLATE = ("#!ipxe\necho {{ host }} {{ a }} {{ ovh.bootMode }} "
                "{{ n + 1 }}\n")

    def test_merge_order(self):
        t, i = self.fleet(
            "#!ipxe\necho {{ a }} {{ b }} {{ c }} {{ d.x }} {{ d.y }}\n",
            {"h1.example": {"groups": ["g1", "g2"],
                            "vars": {"c": "host", "d": {"y": "host"}}}},
            defaults={"a": "def", "b": "def", "c": "def",
                      "d": {"x": "def", "y": "def"}},
            groups={"g1": {"a": "g1", "b": "g1"}, "g2": {"b": "g2"}})
        rc, out, err = self.call(t, i, "--stdout")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "#!ipxe\necho g1 g2 host def host\n")
        rc, out, err = self.call(t, i, "--stdout", "--set", "a=cli",
                                 "--set", "d.x=cli")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "#!ipxe\necho cli g2 host cli host\n")

    def test_set_json_and_dotted(self):
        t, i = self.fleet(self.TEMPLATE, {"h.example": {}},
                          defaults={"a": "x", "n": 1})
        rc, out, err = self.call(t, i, "--stdout", "--set", "ovh.bootMode=uefi",
                           "--set", "n:=41")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "#!ipxe\necho h.example x uefi 42\n")

    def test_set_bad_json(self):
        t, i = self.fleet(self.TEMPLATE, {"h.example": {}})
        rc, _, err = self.call(t, i, "--stdout", "--set", "n:=[1,")
        self.assertEqual(rc, 3)
        self.assertIn("not JSON", err)

    def test_host_variable_wins(self):
        t, i = self.fleet("#!ipxe\necho {{ host }}\n",
                          {"ns1.ip-1-2-3.eu": {"vars": {"host": "other"}}})
        rc, out, err = self.call(t, i, "--stdout")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "#!ipxe\necho ns1.ip-1-2-3.eu\n")

    def inventory_error(self, text):
        self.write("t.ipxe.j2", "#!ipxe\n")
        self.write("inv.json", text)
        rc, out, err = self.call("t.ipxe.j2", "inv.json", "-o", "o")
        self.assertEqual(rc, 2, err)
        self.assertEqual(out, "")
        return err

    def test_json_syntax_error_names_line_and_column(self):
        err = self.inventory_error('{\n  "hosts": {\n    "a.example": {,\n')
        self.assertRegex(err, r"inv\.json:3:\d+: error: ")

    def test_duplicate_key(self):
        err = self.inventory_error('{"hosts": {}, "hosts": {}}')
        self.assertRegex(err, r"inv\.json:1:\d+: error: duplicate")

    def test_unknown_group_names_its_position(self):
        err = self.inventory_error(
            '{\n  "groups": {"uefi": {}},\n  "hosts": {\n'
            '    "a.example": {"groups": ["uefi", "legasy"]}\n  }\n}\n')
        self.assertIn("inv.json:4:38: error: host 'a.example': 'legasy' "
                      "is not a group", err)

    def test_unknown_key(self):
        err = self.inventory_error('{\n  "host": {}\n}\n')
        self.assertIn("inv.json:2:3: error: unknown key 'host'", err)

    def test_unknown_host_key(self):
        err = self.inventory_error(
            '{"hosts": {\n "a.example": {"boot_mode": "uefi"}}}\n')
        self.assertIn("inv.json:2:16: error: host 'a.example' has an "
                      "unknown key 'boot_mode' (variables go under "
                      "\"vars\")", err)

    def test_bad_host_name(self):
        err = self.inventory_error('{"hosts": {"../etc/passwd": {}}}')
        self.assertIn("is not a service name", err)

    def test_unreadable_inventory(self):
        t = self.write("t.ipxe.j2", "#!ipxe\n")
        rc, _, err = self.call(t, os.path.join(self.dir, "missing.json"),
                         "--stdout")
        self.assertEqual(rc, 2)
        self.assertIn("cannot read", err)


class TestLargeInventory(Base):
    """An inventory of a few hundred kilobytes, which ipxe-render reads on
    one thread a core and whose hosts' vars it checks at load but reads
    again when it renders them: the same scripts, and for a mistake far
    into the file the same message at the same place as for a small one."""

    TEMPLATE = ("#!ipxe\n"
                "echo {{ host }} {{ name }} {{ rack | default('-') }}\n"
                "{% for d in disks %}echo disk {{ d.name }} {{ d.gb }}\n"
                "{% endfor %}"
                "{% for k, v in labels.items() %}echo {{ k }}={{ v }}\n"
                "{% endfor %}"
                "echo {{ mode }} {{ 'caf\u00e9' if uni is defined else '' }}\n"
                "exit 0\n")

    def inventory(self, n=1500):
        hosts = {}
        for i in range(n):
            v = {"name": "srv%05d" % i,
                 "disks": [{"name": "sd" + chr(97 + d), "gb": 480 * (d + 1)}
                           for d in range(i % 4 + 1)],
                 "labels": {"owner": "team%d" % (i % 7)}}
            if i % 5 == 0:
                v["rack"] = "R%d" % (i % 40)
            if i % 11 == 0:
                v["uni"] = "\u00e9\u20ac \\ \"q\""
            hosts["ns%07d.example.eu" % i] = {
                "groups": ["g%d" % (i % 3)], "vars": v}
        return {"defaults": {"labels": {"fleet": "prod"}, "mode": "d"},
                "groups": {"g0": {"mode": "zero"}, "g1": {"mode": "one"},
                           "g2": {"labels": {"g": "two"}}},
                "hosts": hosts}

    def text(self, inv=None):
        text = json.dumps(inv or self.inventory(), indent=1)
        self.assertGreater(len(text), 400000)
        return text

    def test_renders_like_jinja2(self):
        t = self.write("t.ipxe.j2", self.TEMPLATE)
        i = self.write("inv.json", self.text())
        rc, _, err = self.call("t.ipxe.j2", "inv.json", "-o", "o", "-q")
        self.assertEqual(rc, 0, err)
        want = jinja_render(t, i)
        self.assertEqual(len(os.listdir(os.path.join(self.dir, "o"))),
                         len(want))
        for host, script in want.items():
            with open(os.path.join(self.dir, "o", host + ".ipxe"),
                      encoding="utf-8") as f:
                self.assertEqual(f.read(), script, host)

    def error_of(self, text):
        """Render the inventory @p text (bytes): the error, nothing
        written."""
        self.write("t.ipxe.j2", self.TEMPLATE)
        with open(os.path.join(self.dir, "inv.json"), "wb") as f:
            f.write(text)
        rc, _, err = self.call("t.ipxe.j2", "inv.json", "-o", "o")
        self.assertEqual(rc, 2, err)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "o")))
        return err

    @staticmethod
    def where(text, at):
        """The line and byte column of offset @p at."""
        return (text[:at].count(b"\n") + 1,
                at - (text.rfind(b"\n", 0, at) + 1) + 1)

    def late(self, old, new):
        """The text with the last occurrence of @p old replaced, and the
        offset of the replacement."""
        text = self.text().encode()
        at = text.rindex(old)
        return text[:at] + new + text[at + len(old):], at

    def assert_late_error(self, old, new, message):
        """The error for the text with the last @p old replaced by @p new:
        on that line, and matching the regular expression @p message."""
        text, at = self.late(old, new)
        line, _ = self.where(text, at)
        self.assertRegex(self.error_of(text),
                         r"^inv\.json:%d:\d+: error: " % line + message)

    def test_bad_utf8_late(self):
        self.assert_late_error(b'"srv01490"', b'"srv\xff490"',
                               r"unable to decode byte 0xff")

    def test_nul_escape_in_vars_late(self):
        self.assert_late_error(b'"srv01490"', b'"srv\\u0000"',
                               r"\\u0000 is not allowed")

    def test_duplicate_key_in_vars_late(self):
        self.assert_late_error(b'"name": "srv01490"',
                               b'"name": "srv01490", "name": 1',
                               r'duplicate object key near \'"name"\'')

    def test_duplicate_host_far_apart(self):
        self.assert_late_error(b'"ns0001490.example.eu"',
                               b'"ns0000001.example.eu"',
                               r"duplicate object key")

    def test_syntax_error_at_the_end(self):
        text = self.text().encode().rstrip()[:-1]  # the last '}' gone
        line, _ = self.where(text, len(text))
        self.assertRegex(self.error_of(text),
                         r"^inv\.json:%d:\d+: error: '}' expected" % line)

    def test_schema_errors_late(self):
        # the position of the value, as for a small inventory
        inv = self.inventory()
        inv["hosts"]["ns0001490.example.eu"]["vars"] = 1
        text = self.text(inv).encode()
        line, col = self.where(text, text.index(b'"vars": 1') + 8)
        self.assertEqual(self.error_of(text),
                         'inv.json:%d:%d: error: host '
                         '\'ns0001490.example.eu\': "vars" must be an '
                         'object\n' % (line, col))
        inv = self.inventory()
        inv["hosts"]["ns0001490.example.eu"]["groups"] = ["g1", "g9"]
        text = self.text(inv).encode()
        line, col = self.where(text, text.index(b'"g9"'))
        self.assertEqual(self.error_of(text),
                         'inv.json:%d:%d: error: host '
                         '\'ns0001490.example.eu\': \'g9\' is not a group '
                         'of "groups"\n' % (line, col))


class TestRefusals(Base):
    def test_template_error_names_line_and_column(self):
        t, i = self.fleet("#!ipxe\necho {{ a * 2 }}\n", {"h.example": {}})
        rc, out, err = self.call(t, i, "-o", os.path.join(self.dir, "o"))
        self.assertEqual(rc, 1)
        self.assertIn("t.ipxe.j2:2:11: error: the operator '*' is not "
                      "supported (only + and - are) [IPX4002]\n", err)
        self.assertIn("  | echo {{ a * 2 }}\n  |           ^\n", err)

    def test_undefined_names_host_and_variable(self):
        t, i = self.fleet("#!ipxe\n\nkernel {{ mirror }}/vmlinuz\n",
                          {"h.example": {}})
        rc, out, err = self.call(t, i, "-o", os.path.join(self.dir, "o"))
        self.assertEqual(rc, 1)
        self.assertIn("t.ipxe.j2:3:11: error: host 'h.example': 'mirror' "
                      "is undefined", err)
        self.assertIn("[IPX4003]", err)
        self.assertIn("0 rendered, 0 unchanged, 1 refused", err)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "o",
                                                     "h.example.ipxe")))

    def test_refused_host_keeps_its_old_file(self):
        t, i = self.fleet("#!ipxe\necho {{ msg }}\n",
                          {"h.example": {"vars": {"msg": "ok"}}})
        o = os.path.join(self.dir, "o")
        self.assertEqual(self.call(t, i, "-o", o)[0], 0)
        rc, _, err = self.call(t, i, "-o", o, "--set", "msg=a\nreboot")
        self.assertEqual(rc, 1)
        with open(os.path.join(o, "h.example.ipxe")) as f:
            self.assertEqual(f.read(), "#!ipxe\necho ok\n")

    def test_lint_errors_refuse(self):
        t, i = self.fleet("#!ipxe\ngoto {{ target }}\n",
                          {"h.example": {"vars": {"target": "nowhere"}}})
        rc, out, err = self.call(t, i, "-o", os.path.join(self.dir, "o"))
        self.assertEqual(rc, 1)
        self.assertRegex(err, r"h\.example\.ipxe:2:\d+: error: host "
                              r"'h\.example': .*\[IPX\d{4}\] "
                              r"\(from .*t\.ipxe\.j2:2\)")

    def test_one_refusal_does_not_stop_the_others(self):
        t, i = self.fleet("#!ipxe\necho {{ msg }}\n",
                          {"a.example": {"vars": {"msg": "ok"}},
                           "b.example": {"vars": {"msg": "x || reboot"}},
                           "c.example": {"vars": {"msg": "fine too"}}})
        o = os.path.join(self.dir, "o")
        rc, _, err = self.call(t, i, "-o", o)
        self.assertEqual(rc, 1)
        self.assertIn("2 rendered, 0 unchanged, 1 refused", err)
        self.assertEqual(sorted(os.listdir(o)),
                         ["a.example.ipxe", "c.example.ipxe"])


# The structure check, one line per case: the template line (after
# "#!ipxe\n"), the value of `v`, and None (rendered) or the code refused.
INJECTION = [
    # a line
    ("echo {{ v }}", "a\nreboot", "IPX4010"),
    ("echo {{ v }}", "a\r\nreboot", "IPX4010"),
    ("echo {{ v }}", "a\rb", "IPX4010"),
    ("kernel http://x/k {{ v }}", "quiet \\", "IPX4010"),
    ("echo {{ v }}", "a\\b", None),
    # labels
    ("{{ v }}", ":evil", "IPX4011"),
    (":{{ v }}", "a b", "IPX4015"),
    (":{{ v }}", "start", None),
    # operators
    ("echo {{ v }}", "a || reboot", "IPX4012"),
    ("echo {{ v }}", "a && reboot", "IPX4012"),
    ("echo {{ v }}", "a ; reboot", "IPX4012"),
    ("set x {{ v }}", "||", "IPX4012"),
    ("echo {{ v }}", "a;b", None),
    ("echo {{ v }}", "a||b", None),
    # comments
    ("echo {{ v }}", "#hidden", "IPX4013"),
    ("echo {{ v }}", "a #b", "IPX4013"),
    ("echo {{ v }}", "a#b", None),
    ("# note: {{ v }}", "a # b || c ; ${x}", None),
    ("echo a # {{ v }}", "x y", None),
    # expansions
    ("echo {{ v }}", "${net0/mac}", "IPX4014"),
    ("echo {{ '$' }}{{ v }}", "{net0/mac}", "IPX4014"),
    ("echo ${net0/{{ v }}}", "mac", None),
    ("echo ${net0/{{ v }}}", "mac}x", "IPX4014"),
    ("echo {{ v }}", "$", None),
    ("echo {{ v }}", "{x}", None),
    # words: free text may hold spaces
    ("echo {{ v }}", "hello world", None),
    ("echo {{ v }}", "  spaced   out  ", None),
    ("prompt {{ v }}", "Press a key", None),
    ("set motd {{ v }}", "hello world", None),
    ("menu {{ v }}", "Boot menu", None),
    ("menu\nitem linux {{ v }}\nchoose x", "Boot Linux", None),
    ("params\nparam {{ v }}", "k v", "IPX4015"),
    ("params\nparam key {{ v }}", "a value", None),
    ("kernel http://x/vmlinuz {{ v }}", "quiet console=ttyS0", None),
    ("imgargs vmlinuz {{ v }}", "quiet splash", None),
    ("chain http://x/boot.ipxe {{ v }}", "a b", None),
    ("kernel {{ v }}", "http://x/vm linuz", "IPX4015"),
    ("set {{ v }} 1", "a b", "IPX4015"),
    ("menu\nitem {{ v }} Text\nchoose x", "a b", "IPX4015"),
    ("{{ v }} http://x/k", "kernel --name", "IPX4017"),
    ("goto {{ v }}", "a b", "IPX4015"),
    ("kernel http://x/{{ v }}", "a\tb", "IPX4015"),
    # empty values
    ("initrd {{ v }}", "", "IPX4016"),
    ("kernel {{ v }} quiet", "", "IPX4016"),
    ("kernel {{ v }} quiet", "   ", "IPX4016"),
    ("echo {{ v }}", "", None),
    ("echo a {{ v }} b", " ", None),
    ("kernel http://x/k{{ v }}", "", None),
    ("set x {{ v }}", "", None),
    # the template's next character at the start of a word
    ("{{ v }}:x", "", "IPX4011"),
    ("echo {{ v }}#x", "", "IPX4013"),
    ("echo a{{ v }}#x", "b ", "IPX4013"),
    ("echo {{ v }}||", "", "IPX4012"),
    ("echo a{{ v }}#x", "", None),
    ("echo {{ v }}-n", "", "IPX4017"),
    ("echo a{{ v }}#x", "b", None),
    ("echo {{ '$' }}{{ v }}{net0/mac}", "", "IPX4014"),
    ("echo ${net0/{{ v }}}", "a b", "IPX4014"),
    # options
    ("echo {{ v }}", "-n", "IPX4017"),
    ("echo {{ v }}", "-n x", "IPX4017"),
    ("kernel {{ v }}", "--autofree", "IPX4017"),
    ("echo x {{ v }}", "-n", None),
    ("set x {{ v }}", "-5", None),
    ("kernel --name={{ v }} http://x/k", "-k", None),
]


class TestInjection(Base):
    def test_table(self):
        failures = []
        for line, value, want in INJECTION:
            t, i = self.fleet("#!ipxe\n" + line + "\nexit 0\n",
                              {"h.example": {"vars": {"v": value}}})
            rc, out, err = self.call(t, i, "--stdout")
            got = None if rc == 0 else (re.findall(r"\[(IPX\d{4})\]", err)
                                        or ["exit %d" % rc])[0]
            if rc == 0 and want is None:
                continue
            if got != want or (want and not err.startswith("t.ipxe.j2:")):
                failures.append("%r with %r: want %s, got %s\n%s" % (
                    line, value, want, got, err))
        self.assertEqual(failures, [], "\n".join(failures))

    def test_refusal_names_everything(self):
        t, i = self.fleet("#!ipxe\nkernel http://x/k {{ args }}\n",
                          {"ns1.ip-1-2-3.eu": {"vars": {
                              "args": "quiet\nshell"}}})
        rc, _, err = self.call(t, i, "--stdout")
        self.assertEqual(rc, 1)
        self.assertEqual(
            err,
            "t.ipxe.j2:2:19: error: host 'ns1.ip-1-2-3.eu': the value of "
            "'args' adds a line: character 6 of \"quiet\\nshell\" is a "
            "newline [IPX4010]\n"
            "  | kernel http://x/k {{ args }}\n"
            "  |                   ^~~~~~~~~~\n")

    def test_literal_text_in_tags_is_the_template_s(self):
        # a newline the template writes itself is structure, not a value
        t, i = self.fleet("#!ipxe\necho a{{ '\\n' }}echo b\n",
                          {"h.example": {}})
        rc, out, err = self.call(t, i, "--stdout")
        self.assertEqual(rc, 0, err)
        self.assertEqual(out, "#!ipxe\necho a\necho b\n")


if __name__ == "__main__":
    unittest.main()
