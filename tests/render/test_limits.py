# SPDX-License-Identifier: MIT
"""ipxe-render's limits (docs/templates.md, "Limits"): the work a host may
take (--max-steps), the largest script, and the largest template and
inventory, refused before they are read whole.  Each refusal must name the
limit it hit.

No test here measures time.  The inputs over a size limit are sparse files
of 1 GiB, or a pipe fed up to 1 GiB: read whole, they would take a GiB of
memory, so each run's peak memory is checked (and, outside a sanitizer
build, held under an address-space limit, so that a regression fails
instead of eating the machine).

Run by ctest as `python3 -m unittest` with IPXE_RENDER (the binary) and
IPXEKIT_SANITIZE (ON in an ASan build, where an address-space limit cannot
be set) in the environment.
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import unittest

RENDER = os.environ.get("IPXE_RENDER", "")
SANITIZED = os.environ.get("IPXEKIT_SANITIZE", "OFF").upper() in (
    "ON", "1", "TRUE", "YES")

GIB = 1 << 30
MIB = 1 << 20
# far below a GiB, far above what a refusal takes (ASan's own included)
PEAK_MAX_KB = 256 * 1024
# what a run may map outside a sanitizer build
AS_LIMIT = 768 * MIB
# the runs below are quick; a generous bound only stops a regression from
# hanging the suite (the bug these tests pin took nine minutes a host)
GUARD_S = 300

HOST = "ns1.ip-1-2-3.eu"

# Runs the command given after it under an address-space limit (when the
# first argument is not 0), feeding its standard input from a pipe with up
# to the second argument's bytes of zeros when it is not 0; prints, as its
# last line, the child's peak resident memory in KiB and the bytes fed.
WRAPPER = r"""
import resource, subprocess, sys, threading
limit, feed = int(sys.argv[1]), int(sys.argv[2])
def cap():
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
p = subprocess.Popen(sys.argv[3:], preexec_fn=cap,
                     stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
fed = [0]
def writer():
    chunk = bytes(1 << 20)
    try:
        while fed[0] < feed:
            p.stdin.write(chunk)
            fed[0] += len(chunk)
        p.stdin.close()
    except (BrokenPipeError, OSError):
        pass
t = None
if feed:
    t = threading.Thread(target=writer)
    t.start()
out, err = p.stdout.read(), p.stderr.read()
rc = p.wait()
if t:
    t.join()
sys.stdout.buffer.write(err)
print()
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, fed[0])
"""


def measured(args, feed=0):
    """Run ipxe-render with @p args in a fresh parent: (exit code, stderr,
    peak RSS in KiB, bytes fed to its standard input)."""
    limit = 0 if SANITIZED else AS_LIMIT
    p = subprocess.run([sys.executable, "-c", WRAPPER, str(limit), str(feed),
                        RENDER, *args], capture_output=True, check=True,
                       timeout=GUARD_S)
    text = p.stdout.decode()
    body, _, last = text.rstrip("\n").rpartition("\n")
    rc, peak, fed = (int(x) for x in last.split())
    return rc, body, peak, fed


class Base(unittest.TestCase):
    def setUp(self):
        if not RENDER:
            self.fail("IPXE_RENDER is not set (run through ctest)")
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w", encoding="utf-8") as f:
            f.write(text)
        return self.path(name)

    def inventory(self, hostvars):
        return self.write("inv.json", json.dumps(
            {"hosts": {HOST: {"vars": hostvars}}}))

    def sparse(self, name, size):
        """A file of @p size bytes that takes no room on disk."""
        with open(self.path(name), "wb") as f:
            f.truncate(size)
        return self.path(name)

    def render(self, *args):
        p = subprocess.run([RENDER, *args], capture_output=True,
                           timeout=GUARD_S, check=False)
        return p.returncode, p.stdout.decode(), p.stderr.decode()


class WorkBudget(Base):
    def test_nested_loops_over_a_long_string(self):
        # the report's case: two nested loops of 1,000 items, each turn
        # searching a 4 MiB string (a million searches, nine minutes)
        inv = self.inventory({"items": list(range(1000)),
                              "big": "a" * (4 * MIB)})
        tpl = self.write("t.ipxe.j2",
                         "#!ipxe\n{% for a in items %}{% for b in items %}"
                         "{% if 'zz' in big %}echo x\n{% endif %}"
                         "{% endfor %}{% endfor %}echo done\n")
        rc, out, err = self.render("-n", tpl, inv)
        self.assertEqual(rc, 1, err)
        self.assertIn("t.ipxe.j2:2:", err)
        self.assertIn("host '%s': rendering takes more than 10000000 "
                      "steps, the work limit of one host" % HOST, err)
        self.assertIn("--max-steps raises it", err)
        self.assertIn("[IPX4002]", err)
        self.assertIn("0 would be rendered, 1 refused", err)

    def test_nested_comparisons_of_long_strings(self):
        # equal, but not the same string: compared byte by byte
        inv = self.inventory({"items": list(range(1000)),
                              "big": "a" * (4 * MIB), "big2": "a" * (4 * MIB)})
        tpl = self.write("t.ipxe.j2",
                         "#!ipxe\n{% for a in items %}{% for b in items %}"
                         "{% if big == big2 %}{% endif %}"
                         "{% endfor %}{% endfor %}echo done\n")
        rc, out, err = self.render("-n", tpl, inv)
        self.assertEqual(rc, 1, err)
        self.assertIn("steps, the work limit of one host", err)

    def test_max_steps_is_per_host_and_can_be_set(self):
        inv = self.write("inv.json", json.dumps({
            "defaults": {"items": list(range(40))},
            "hosts": {"ns1.ip-1-2-3.eu": {}, "ns2.ip-1-2-3.eu": {}}}))
        tpl = self.write("t.ipxe.j2",
                         "#!ipxe\n{% for i in items %}echo {{ i }}\n"
                         "{% endfor %}")
        rc, out, err = self.render("-n", tpl, inv)
        self.assertEqual(rc, 0, err)
        # 40 turns of a text, a print and its value: over 100 steps
        rc, out, err = self.render("-n", "--max-steps=100", tpl, inv)
        self.assertEqual(rc, 1, err)
        self.assertIn("rendering takes more than 100 steps", err)
        self.assertIn("0 would be rendered, 2 refused", err)
        # the budget is each host's, not shared by the run
        rc, out, err = self.render("-n", "--max-steps", "1000", tpl, inv)
        self.assertEqual(rc, 0, err)
        self.assertIn("2 would be rendered", err)

    def test_max_steps_usage(self):
        for bad in ("0", "-5", "12x", "", "1000000000000001",
                    "99999999999999999999999"):
            rc, out, err = self.render("-n", "--max-steps=" + bad, "t", "i")
            self.assertEqual(rc, 3, (bad, err))
            self.assertIn("--max-steps: '%s' is not a number of steps" % bad,
                          err)


class CompileWork(Base):
    def test_thousands_of_names_set_then_tested(self):
        # Jinja2's scoping copies every name a frame holds into each branch
        # of an `if`: 5,000 names and 2,000 `if`s, a 140 kB template, took
        # minutes to compile; a megabyte of it, hours
        inv = self.inventory({"v": "x"})
        tpl = self.write("t.ipxe.j2", "#!ipxe\n" + "".join(
            "{%% set v%d = 1 %%}" % i for i in range(5000)) + "\n" + "".join(
            "{%% if v%d %%}{%% endif %%}" % i for i in range(2000)) +
            "\necho\n")
        rc, out, err = self.render("-n", tpl, inv)
        self.assertEqual(rc, 1, err)
        self.assertIn("t.ipxe.j2:3:", err)
        self.assertIn("error: compiling the template takes more than "
                      "50000000 steps finding which frame holds each name, "
                      "the work limit of compiling", err)
        self.assertIn("[IPX4002]", err)

    def test_hundreds_of_names_set_and_tested(self):
        # what a large honest template does stays far below the limit
        inv = self.inventory({"v": "x"})
        tpl = self.write("t.ipxe.j2", "#!ipxe\n" + "".join(
            "{%% set v%d = 1 %%}" % i for i in range(500)) + "\n" + "".join(
            "{%% if v%d %%}echo {{ v }}\n{%% endif %%}" % i
            for i in range(500)) + "echo\n")
        rc, out, err = self.render("-n", tpl, inv)
        self.assertEqual(rc, 0, err)


class OutputLimit(Base):
    def test_stops_at_the_largest_script(self):
        # a gigabyte of script asked for: refused where it passes 4 MiB
        inv = self.inventory({"items": list(range(1000)),
                              "big": "a" * MIB})
        tpl = self.write("t.ipxe.j2",
                         "#!ipxe\n{% for i in items %}\n"
                         "echo {{ big }}\n{% endfor %}\n")
        rc, body, peak, _ = measured(["-n", tpl, inv])
        self.assertEqual(rc, 1, body)
        self.assertIn("t.ipxe.j2:3:6: error: host '%s': the script would "
                      "be larger than 4194304 bytes, the largest script "
                      "rendered [IPX4002]" % HOST, body)
        self.assertLess(peak, PEAK_MAX_KB, body)


class InputSize(Base):
    def test_template_over_the_limit_is_not_read(self):
        inv = self.inventory({"v": "x"})
        tpl = self.sparse("big.ipxe.j2", GIB)
        rc, body, peak, _ = measured(["-n", tpl, inv])
        self.assertEqual(rc, 1, body)
        self.assertIn("big.ipxe.j2: error: the template is larger than "
                      "1048576 bytes (1 MiB), the largest template "
                      "ipxe-render reads [IPX4002]", body)
        self.assertLess(peak, PEAK_MAX_KB, body)

    def test_template_from_a_pipe_is_cut_short(self):
        inv = self.inventory({"v": "x"})
        rc, body, peak, fed = measured(["-n", "-", inv], feed=GIB)
        self.assertEqual(rc, 1, body)
        self.assertIn("<stdin>: error: the template is larger than 1048576 "
                      "bytes (1 MiB)", body)
        self.assertLess(peak, PEAK_MAX_KB, body)
        # it stopped reading: the pipe broke long before a GiB
        self.assertLess(fed, 256 * MIB)

    def test_template_of_exactly_the_limit_is_read(self):
        inv = self.inventory({"v": "x"})
        head = "#!ipxe\necho {{ v }}\n"
        text = head + "#" * (MIB - len(head) - 1) + "\n"
        tpl = self.write("t.ipxe.j2", text)
        self.assertEqual(os.path.getsize(tpl), MIB)
        rc, out, err = self.render("--stdout", tpl, inv)
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("#!ipxe\necho x\n"))
        with open(tpl, "a", encoding="utf-8") as f:
            f.write("\n")
        rc, out, err = self.render("--stdout", tpl, inv)
        self.assertEqual(rc, 1, err)
        self.assertIn("the template is larger than 1048576 bytes", err)

    def test_inventory_over_the_limit_is_not_read(self):
        tpl = self.write("t.ipxe.j2", "#!ipxe\necho {{ v }}\n")
        inv = self.sparse("big.json", GIB)
        rc, body, peak, _ = measured(["-n", tpl, inv])
        self.assertEqual(rc, 2, body)
        self.assertIn("big.json: error: the inventory is larger than "
                      "16777216 bytes (16 MiB), the largest inventory "
                      "ipxe-render reads: split the fleet into several "
                      "inventories", body)
        self.assertLess(peak, PEAK_MAX_KB, body)

    def test_inventory_from_a_pipe_is_cut_short(self):
        tpl = self.write("t.ipxe.j2", "#!ipxe\necho {{ v }}\n")
        rc, body, peak, fed = measured(["-n", tpl, "-"], feed=GIB)
        self.assertEqual(rc, 2, body)
        self.assertIn("<stdin>: error: the inventory is larger than "
                      "16777216 bytes (16 MiB)", body)
        self.assertLess(peak, PEAK_MAX_KB, body)
        self.assertLess(fed, 256 * MIB)


if __name__ == "__main__":
    unittest.main()
