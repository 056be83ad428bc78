"""Runs iPXE scripts in the real interpreter: Debian's ipxe.lkrn (BIOS)
under qemu (TCG is enough), the console on a serial file.

One boot runs many probes.  The boot's script (qemu's -initrd, which
ipxe.lkrn executes) is a driver: it brings up the emulated NIC with a
static address and chains each probe in turn from qemu's own TFTP server
(-netdev user,restrict=on: nothing leaves qemu), printing a marker before
and the chain's status after.  A probe therefore runs as a chained script,
exactly as a real menu's child does: a failing line stops it and makes the
driver's `chain` fail with the probe's error, which the driver prints.
Between probes the driver frees every image (`imgfree`), so a probe sees
no image an earlier one left.  A probe that never returns (it reboots,
boots something, or waits for a key) ends the boot: the run goes on with
the next probe in a new boot.

Every line of a probe the generator wants located is preceded by a marker
line `echo @@L <n>`: the last marker printed names the line iPXE was
running when the script stopped.
"""
import os
import re
import subprocess
import tempfile
import time

LKRN = "/usr/lib/ipxe/ipxe.lkrn"
QEMU = "qemu-system-x86_64"

# The serial FIFO loses the last bytes when the machine resets: a line of
# padding after the last marker keeps the marker whole.
PAD = "echo " + "." * 64

ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1bc")


def available():
    """None when qemu and ipxe.lkrn are here, else what is missing."""
    if not os.path.exists(LKRN):
        return LKRN + " (Debian package ipxe)"
    for d in os.environ.get("PATH", "/usr/bin").split(os.pathsep):
        if os.access(os.path.join(d, QEMU), os.X_OK):
            return None
    return QEMU + " (Debian package qemu-system-x86)"


def driver_script(ids):
    """The boot script that chains probes @p ids (file names p<id>.ipxe)."""
    out = ["#!ipxe",
           "set net0/ip 10.0.2.15",
           "set net0/netmask 255.255.255.0",
           "set net0/gateway 10.0.2.2",
           "ifopen net0 || echo @@NONET",
           "echo @@READY"]
    for pid in ids:
        out.append("echo @@P %s" % pid)
        out.append("chain --autofree tftp://10.0.2.2/p%s.ipxe "
                   "&& echo @@R %s 0 || echo @@R %s ${errno}" % (pid, pid, pid))
        # undo what a probe may have done to the next one's world
        out.append("imgfree ||")
        out.append("menu --delete ||")
        out.append("ifopen net0 ||")
    out += ["echo @@DONE", PAD, PAD, "reboot", ""]
    return "\n".join(out).encode()


class Result:
    """What iPXE did with one probe."""

    def __init__(self, pid):
        self.pid = pid
        self.started = False  # the driver reached it
        self.returned = False  # the chain returned to the driver
        self.rc = None  # the chain's status: 0 or iPXE's error number
        self.last_marker = None  # the last `@@L n` printed, or None
        self.console = []  # the probe's console lines (markers aside)
        self.ended_boot = False  # it never returned: reboot, boot, hang

    def status(self):
        if not self.started:
            return "not-run"
        if self.ended_boot:
            return "ended-boot"
        return "ran" if self.rc == 0 else "stopped"


def parse_console(raw, ids):
    """Results for @p ids from one boot's console bytes."""
    text = ANSI.sub(b"", raw).decode("latin-1").replace("\r", "")
    results = {}
    cur = None
    for line in text.split("\n"):
        m = re.match(r"^@@P (\S+)$", line)
        if m:
            cur = Result(m.group(1))
            cur.started = True
            results[cur.pid] = cur
            continue
        m = re.match(r"^@@R (\S+) (\S+)$", line)
        if m and cur is not None and m.group(1) == cur.pid:
            cur.returned = True
            v = m.group(2)
            try:
                cur.rc = int(v, 0)
            except ValueError:
                cur.rc = -1
            cur = None
            continue
        if cur is None:
            continue
        m = re.match(r"^@@L (\d+)$", line)
        if m:
            cur.last_marker = int(m.group(1))
            continue
        if line.strip():
            cur.console.append(line)
    for r in results.values():
        if not r.returned:
            r.ended_boot = True
    return results


def boot(probe_dir, ids, idle=20.0, limit=900.0):
    """One boot running probes @p ids (files in @p probe_dir); returns
    (results, console bytes).  qemu is stopped when the console is quiet
    for @p idle seconds (a probe waits for a key, or the BIOS found no
    disk) or after @p limit seconds."""
    with tempfile.TemporaryDirectory(prefix="ipxe-judge-") as tmp:
        drv = os.path.join(tmp, "driver.ipxe")
        with open(drv, "wb") as f:
            f.write(driver_script(ids))
        raw = _console(drv, tmp, idle, limit,
                       ["-netdev", "user,id=n0,restrict=on,tftp=" + probe_dir,
                        "-device", "e1000,netdev=n0"])
    return parse_console(raw, ids), raw


def _console(initrd, tmp, idle, limit, net):
    """Boot ipxe.lkrn with @p initrd as its script and the network
    arguments @p net, its serial console written to a file in @p tmp:
    what the console printed (empty if nothing)."""
    out = os.path.join(tmp, "console")
    cmd = [QEMU, "-m", "256", "-kernel", LKRN, "-initrd", initrd,
           "-nographic", "-serial", "file:" + out, "-monitor", "none",
           *net, "-no-reboot", "-boot", "reboot-timeout=0"]
    _watch(cmd, out, idle, limit)
    try:
        with open(out, "rb") as f:
            return f.read()
    except OSError:
        return b""


def boot_single(path, final, idle=15.0, limit=90.0):
    """boot_single_once(), once more with more patience when iPXE never
    started (a loaded machine can keep the console quiet for long)."""
    r, started = boot_single_once(path, final, idle, limit)
    if not started:
        r, started = boot_single_once(path, final, idle * 3, limit * 2)
    return r


def boot_single_once(path, final, idle, limit):
    """Run one script as the boot's own script (-initrd, no network), the
    recipe for what only the first image shows: a file iPXE does not take
    for a script is never run (chained, this BIOS build would run it as a
    PXE program).  The script ran through when marker @p final printed."""
    r = Result(os.path.basename(path)[1:].split(".")[0])
    with tempfile.TemporaryDirectory(prefix="ipxe-judge-") as tmp:
        raw = _console(path, tmp, idle, limit, ["-net", "none"])
    text = ANSI.sub(b"", raw).decode("latin-1").replace("\r", "")
    started = False
    for line in text.split("\n"):
        if line.startswith("Features:"):
            started = True
            continue
        if not started or line.startswith("Booting from"):
            if started:
                break
            continue
        m = re.match(r"^@@L (\d+)$", line)
        if m:
            r.last_marker = int(m.group(1))
        elif line.strip():
            r.console.append(line)
    r.started = r.returned = True
    r.rc = 0 if r.last_marker == final else 1
    return r, started


def _watch(cmd, out, idle, limit):
    """Run qemu @p cmd until the BIOS takes over again, the console is
    quiet for @p idle seconds, or @p limit seconds passed."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    start = last = time.monotonic()
    size = 0
    try:
        while proc.poll() is None:
            time.sleep(0.2)
            now = time.monotonic()
            try:
                cur = os.path.getsize(out)
            except OSError:
                cur = 0
            if cur != size:
                size, last = cur, now
                with open(out, "rb") as f:
                    tail = f.read()
                if b"Booting from Hard Disk" in tail or \
                        b"No bootable device" in tail:
                    break
            if now - last > idle or now - start > limit:
                break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def run_all(probe_dir, ids, log=None):
    """Results for every probe of @p ids, booting as often as probes that
    never return make it necessary."""
    results = {}
    todo = list(ids)
    boots = 0
    while todo:
        boots += 1
        got, raw = boot(probe_dir, todo)
        if log:
            log(raw)
        if not got:
            # the driver never reached a probe: qemu or iPXE is broken
            raise RuntimeError("iPXE ran no probe; console:\n" +
                               raw.decode("latin-1")[-2000:])
        results.update(got)
        done = 0
        for pid in todo:
            if pid in got:
                done += 1
                if got[pid].ended_boot:
                    break
            else:
                break
        todo = todo[done:]
    return results, boots
