"""Probe scripts for the judge, generated from ipxe-lint's own command
table (printed by the judge_cmdtable program) and from the grammar of
iPXE's scripts.

A probe is a small script whose lines under test each follow a marker line
`echo @@L <n>` (n: the number of the line after the marker).  Each probe
says which of its lines depend on the world outside the script (a download,
the network, a key press, the machine): when iPXE stops on such a line for
a reason other than the command's own usage, the probe is classified, not
counted.

Names a probe stores are made unique per probe (`@S` in a template), since
every probe of a boot runs in one iPXE whose settings persist.
"""
import zlib

# qemu's TFTP server serves these files beside the probes (see judge.py).
TFTP = "tftp://10.0.2.2/"
HELPERS = {
    "ok.ipxe": b"#!ipxe\necho helper ok\nexit 0\n",
    "blob.bin": b"not a script, just bytes\n",
}
OK = TFTP + "ok.ipxe"
BLOB = TFTP + "blob.bin"
MISSING = TFTP + "missing.ipxe"

# Classes of a line whose outcome depends on the world, not the script.
NET = "network"  # a download or the network: works on a real network
KEY = "interactive"  # waits for a key or a person
BOOT = "boot"  # boots something or resets the machine
HW = "hardware"  # depends on the machine (CPU bits, drives)
CALLER = "caller"  # a setting the probe never sets: a caller or DHCP would


class Probe:
    """One probe script: units of one or more physical lines, each after
    its own marker unless it is unmarked."""

    def __init__(self, pid, cat, desc, units, header="#!ipxe", raw=None,
                 tail=True):
        self.pid = pid
        self.cat = cat
        self.desc = desc
        self.units = units  # [(text, env class or None, marked)]
        self.header = header
        self.raw = raw  # whole file bytes instead of units (odd bytes)
        self.tail = tail
        # what only the first image shows (a signature) runs as the boot's
        # own script, not chained
        self.single = cat == "sig"
        self.env = {}  # line -> env class
        self.logical = {}  # first line of a unit -> its last line
        self.data = self._build()

    def _build(self):
        if self.raw is not None:
            n = 1
            for line in self.raw.split(b"\n"):
                self.logical[n] = n
                n += 1
            return self.raw
        out = [self.header]
        for text, env, marked in self.units:
            text = text.replace("@S", "s" + self.pid)
            if marked:
                out.append("echo @@L %d" % (len(out) + 2))
            first = len(out) + 1
            out.extend(text.split("\n"))
            self.logical[first] = len(out)
            if env:
                self.env[first] = env
        if self.tail:
            out.append("echo @@L %d" % (len(out) + 2))
            out.append("exit 0")
        return ("\n".join(out) + "\n").encode("latin-1")


def U(text, env=None, marked=True):
    return (text, env, marked)


# ---- commands ----

# A valid call of each command the 2019 BIOS build can run without
# hanging: (units before it, arguments, env class of the call).
# Commands missing here get only the forms that fail before running.
VALID = {
    "echo": ([], "hello world", None),
    "exit": ([], "0", None),
    "isset": ([], "${net0/mac}", None),
    "iseq": ([], "${net0/ifname} net0", None),
    "sleep": ([], "0", None),
    "set": ([], "@S value", None),
    "clear": (["set @S 1"], "@S", None),
    "show": ([], "net0/mac", None),
    "inc": (["set @S 1"], "@S", None),
    "goto": ([], "@S", None),  # the probe adds the label
    "cpuid": ([], "--ext 29", HW),
    "prompt": ([], "--timeout 100 Press", KEY),
    "read": ([], "--timeout 100 @S", KEY),
    "menu": ([], "Title", None),
    "form": ([], "Title", None),
    "item": (["menu Title"], "@S Text", None),
    "choose": (["menu Title", "item @S Text"], "--timeout 100 @S", None),
    "ifopen": ([], "net0", None),
    "ifclose": ([], "net0", None),
    "ifstat": ([], "net0", None),
    "iflinkwait": ([], "--timeout 1000 net0", NET),
    "dhcp": ([], "net0", NET),
    "ifconf": ([], "net0", NET),
    "pxebs": ([], "net0 0", NET),
    "route": ([], "", None),
    "ibstat": ([], "", None),
    "iwstat": ([], "", None),
    "iwlist": ([], "", None),
    "help": ([], "", None),
    "sync": ([], "", None),
    "imgfetch": ([], BLOB, NET),
    "module": ([], BLOB, NET),
    "initrd": ([], BLOB, NET),
    "kernel": ([], OK, NET),
    "imgselect": ([], OK, NET),
    "imgload": ([], OK, NET),
    "chain": ([], OK, NET),
    "imgexec": ([], OK, NET),
    "boot": (["kernel " + OK], "", NET),
    "imgargs": (["imgfetch " + BLOB], "blob.bin a=b", None),
    "imgstat": ([], "", None),
    "imgfree": ([], "", None),
    "sanhook": ([], "--drive 0x81 iscsi:10.0.2.2::::iqn.2000-01.x:y", NET),
    "sanunhook": ([], "--drive 0x81", HW),
    "sanboot": ([], "--drive 0x81", BOOT),
    "reboot": ([], "", BOOT),
    "poweroff": ([], "", BOOT),
    "autoboot": ([], "net0", BOOT),
    "shim": ([], "", None),
}
# Commands that wait for a person whatever their arguments: only their
# failing forms run.
WAITS = {"shell", "config", "login", "present", "gdbstub"}
# One positional argument that fits anywhere.
FILLER = {"exit": "0", "sleep": "0", "goto": "@S"}


def value_for(kind, value_name, good=True):
    """A value for an option of @p kind (good or of the wrong type)."""
    if kind == "integer":
        return "1" if good else "abc"
    if kind == "timeout":
        return "100" if good else "5s"
    if kind == "key":
        return "0x02" if good else "ctrl-b"
    if kind == "uuid":
        return "36d22ed9-b64f-4fdb-941b-a54a0854f991" if good else "not-a-uuid"
    if kind == "setting":
        return "@S" if good else "@S:nosuchtype"
    if kind == "netdev":
        return "net0" if good else "nosuchnet"
    if value_name and "configurator" in value_name:
        return "dhcp" if good else "nosuchconf"
    return "x1" if good else None


def command_probes(table):
    """(cat, desc, units) for every command of the table."""
    for name, d in sorted(table.items()):
        lo, hi = d["min_args"], d["max_args"]
        pre, args, env = VALID.get(name, ([], None, None))
        pre_units = [U(p, NET if TFTP in p else None) for p in pre]
        label = [U(":@S")] if name == "goto" else []
        if name in WAITS:
            env = KEY
        filler = FILLER.get(name, "x1")
        if args is not None and name not in WAITS:
            yield ("cmd-valid", name + " valid",
                   pre_units + [U(("%s %s" % (name, args)).strip(), env)] +
                   label)
        # argument counts
        if lo > 0:
            few = " ".join([filler] * (lo - 1))
            yield ("cmd-args", name + " missing argument",
                   pre_units + [U(("%s %s" % (name, few)).strip(), env)])
        if hi < 255:
            many = " ".join([filler] * (hi + 1))
            yield ("cmd-args", name + " extra argument",
                   pre_units + [U("%s %s" % (name, many), env)] + label)
        base = " ".join([filler] * lo)
        if args is not None and name not in WAITS:
            base = args
        if not d["parses_options"]:
            yield ("cmd-opt", name + " takes no options",
                   [U("%s --bogus" % name, env)])
            continue
        yield ("cmd-opt", name + " bogus option",
               pre_units + [U(("%s --bogus %s" % (name, base)).strip(), env)]
               + label)
        yield ("cmd-opt", name + " --help",
               pre_units + [U("%s --help" % name, env)])
        if lo > 0 and name not in ("echo",):
            yield ("cmd-opt", name + " option after argument",
                   pre_units + [U(("%s %s --bogus" % (name, base)).strip(),
                                  env)] + label)
        for o in d["options"]:
            lng, sh, kind = o["long"], o["short"], o["value"]
            if kind == "flag":
                yield ("cmd-opt", "%s --%s=1 (flag with a value)" % (name, lng),
                       pre_units + [U(("%s --%s=1 %s" % (name, lng, base))
                                      .strip(), env)] + label)
                continue
            good = value_for(kind, o["value_name"])
            bad = value_for(kind, o["value_name"], good=False)
            yield ("cmd-opt", "%s --%s without its value" % (name, lng),
                   pre_units + [U("%s --%s" % (name, lng), env)])
            if sh:
                yield ("cmd-opt", "%s -%s value" % (name, sh),
                       pre_units + [U(("%s -%s %s %s" % (name, sh, good, base))
                                      .strip(), env)] + label)
            if bad is not None:
                yield ("cmd-type", "%s --%s of the wrong type" % (name, lng),
                       pre_units + [U(("%s --%s %s %s" % (name, lng, bad, base))
                                      .strip(), env)] + label)
            yield ("cmd-opt", "%s --%s value starting with '-'" % (name, lng),
                   pre_units + [U(("%s --%s -5 %s" % (name, lng, base))
                                  .strip(), env)] + label)


# ---- the grammar: (cat, desc, units) ----

def grammar_probes():
    G = []

    def add(cat, desc, *units):
        G.append((cat, desc, [u if isinstance(u, tuple) else U(u)
                              for u in units]))

    # operators
    add("op", "|| absorbs a failure", "iseq 1 2 || echo fallback")
    add("op", "&& after a failure stops", "iseq 1 2 && echo then")
    add("op", "&& ... || survives", "iseq 1 2 && echo then ||")
    add("op", "trailing ; absorbs", "iseq 1 2 ;")
    add("op", "trailing && keeps the failure", "iseq 1 2 &&")
    add("op", "glued ; is text", "echo ok;")
    add("op", "glued || is a command name", "echo@S||echo")
    add("op", "leading || never runs", "|| iseq 1 2")
    add("op", "leading && always runs", "&& iseq 1 2")
    add("op", "empty segments", "echo a || || echo b")
    add("op", "; runs the next", "set @S 1 ; echo ${@S}")
    add("op", "a || b && c", "iseq 1 2 || iseq 3 4 && echo c")
    add("op", "a || b && c ||", "iseq 1 2 || iseq 3 4 && echo c ||")
    add("op", "value is never an operator", "set @S ||", "echo ${@S}")
    add("op", "isset && goto without ||",
        U("isset ${u@S} && goto @S", CALLER), ":@S")
    add("op", "isset && goto ||", "isset ${u@S} && goto @S ||", ":@S")
    # labels and goto
    add("goto", "goto an existing label", "goto @S", "echo skipped", ":@S")
    add("goto", "goto a missing label", "goto nolabel@S")
    add("goto", "goto missing || fallback", "goto nolabel@S || echo no")
    add("goto", "goto with two arguments", "goto @S x", ":@S")
    add("goto", "goto with no argument", "goto")
    add("goto", "duplicate labels", "goto @S", ":@S", "echo first",
        "exit 0", ":@S", "echo second")
    add("goto", "goto ${unset} to a bare :", "goto ${u@S}", "echo skipped",
        ":", "echo landed")
    add("goto", "goto ${unset} without a bare :", U("goto ${u@S}", CALLER))
    add("goto", "label with a command", "goto @S", ":@S echo from label")
    # the label line's marker is its own first command
    add("goto", "label with a failing command", "goto @S",
        U(":@S echo @@L 4 ; iseq 1 2", None, False))
    add("goto", "label with ${", U("goto ${x}@S", CALLER), ":${x}@S")
    add("goto", "label then comment", "goto @S", ":@S # note")
    add("goto", "goto skips the rest of its line",
        "goto @S ; iseq 1 2", ":@S")
    add("goto", "goto a label after a continuation",
        "goto @S", U("echo a \\\n:@S", None, True), ":@S")
    add("goto", "goto dynamic", "set @S t@S", "goto ${@S}", ":t@S")
    add("goto", "label case", "goto @S", ":@S".upper().replace("@S", "X@S")
        if False else ":S@S")
    # exit
    add("exit", "exit 0 mid-script", "exit 0", "iseq 1 2")
    add("exit", "exit with no status", "exit", "iseq 1 2")
    add("exit", "exit -1", "exit -1")
    add("exit", "exit abc", "exit abc")
    add("exit", "exit 08", "exit 08")
    add("exit", "exit 0x0", "exit 0x0")
    add("exit", "exit skips the rest", "exit 0 ; iseq 1 2")
    # conditions
    add("test", "isset of a constant word", "isset foo")
    add("test", "isset of a constant with $", "isset $foo")
    add("test", "isset of an unset setting", U("isset ${u@S}", CALLER))
    add("test", "isset of an empty name", "isset ${}")
    add("test", "isset ${} ||", "isset ${} || echo empty")
    add("test", "iseq of different constants", "iseq a b")
    add("test", "iseq of equal constants", "iseq a a")
    add("test", "iseq of two empty expansions", "iseq ${u@S} ${}")
    add("test", "iseq with quotes", 'iseq "a b" "a b"')
    add("test", "iseq of a set setting", "set @S a", "iseq ${@S} a")
    add("test", "iseq one argument", "iseq a")
    # expansions
    add("exp", "echo ${} is empty", "echo a${}b")
    add("exp", "set with ${} in the name", "set @S${} 1")
    add("exp", "echo an unset setting", "echo ${u@S}")
    add("exp", "echo an unknown type", "echo ${net0/mac:nosuchtype}")
    add("exp", "echo a typed expansion", "echo ${net0/mac:hexhyp}")
    add("exp", "nested expansion", "set @S 0", "echo ${net${@S}/mac}")
    add("exp", "unclosed ${", "echo ${net0/mac")
    add("exp", "lone $", "echo $ and }")
    add("exp", "uint8 set and shown", "set @S:uint8 10", "echo ${@S}")
    add("exp", "int8 set", "set @S:int8 -5")
    add("exp", "expansion as command", "set @S echo", "${@S} hi")
    add("exp", "empty expansion as command", U("${u@S} hi", CALLER))
    add("exp", "expansion in an option", "set @S 100",
        "prompt --timeout ${@S} x || echo timed out")
    add("exp", "errno after failure", "iseq 1 2 || echo ${errno}")
    add("exp", "builtin settings", "echo ${buildarch} ${platform} "
        "${version}")
    add("exp", "unixtime", "echo ${unixtime}")
    add("exp", "scoped unknown block", "echo ${nosuchblock/x}")
    add("exp", "show of an unknown block", "show nosuchblock/x")
    add("exp", "inc of an unknown block", "inc nosuchblock/x")
    add("exp", "inc of an unset setting", "inc @S")
    add("exp", "inc by a non-number", "inc @S abc")
    add("exp", "inc by an expansion", "set @S 2", "inc @S ${@S}")
    # settings and their types
    add("set", "set with an unknown type", "set @S:nosuchtype 1")
    add("set", "set a busdevfn", "set @S:busdevfn 1")
    add("set", "set a dnssl", "set @S:dnssl x")
    add("set", "set an ipv4", "set @S:ipv4 10.0.0.1")
    add("set", "set a bad ipv4", "set @S:ipv4 nope")
    add("set", "set net0/ip bad", "set net0/ip foo")
    add("set", "set a hex", "set @S:hex 0a:0b")
    add("set", "set a bad hex", "set @S:hex zz")
    add("set", "set a bad int8", "set @S:int8 abc")
    add("set", "set a bad uuid", "set @S:uuid nope")
    add("set", "set name=value", "set @S=1")
    add("set", "set name = value", "set @S = 1")
    add("set", "set to empty deletes", "set @S")
    add("set", "set in a new block", "set b@S/x 1", "show b@S/x")
    add("set", "set a value starting with #", "set @S #ff0000")
    add("set", "clear an unset setting", "clear @S")
    add("set", "show an unset setting", U("show @S", CALLER))
    add("set", "show a bad type", "show net0/mac:nosuchtype")
    add("set", "unscoped set ip", "set ip 10.0.0.1")
    add("set", "set a uint8 too large", "set @S:uint8 0x1234")
    # continuations
    add("cont", "glued continuation", U("ech\\\no glued", None))
    add("cont", "spaced continuation", U("echo a \\\nb", None))
    add("cont", "glued continuation into a bad command",
        U("chain\\\n--autofree", None))
    add("cont", "comment continuation", U("# note \\\niseq 1 2", None))
    add("cont", "double backslash", U("echo a\\\\\nb", None))
    add("cont", "continuation then operator",
        U("iseq 1 2 \\\n|| echo caught", None))
    # comments
    add("comment", "comment after a command", "echo x # c || chian")
    add("comment", "# inside a word", "echo x#y")
    add("comment", "comment hides the fallback", "iseq 1 2 # || echo no")
    add("comment", "comment token #${x}", "echo a #${x} b")
    # quoting and escapes
    add("lex", "quotes print", 'echo "quoted"')
    add("lex", "backslash escape", "echo a\\nb")
    add("lex", "tab separators", "echo\ta\tb")
    add("lex", "vertical tab separator", "echo\va")
    add("lex", "form feed separator", "echo\fa")
    add("lex", "carriage return mid-line", "echo a\rb")
    add("lex", "UTF-8 text", "echo caf\xc3\xa9")
    add("lex", "high byte command", "\xe9cho x")
    add("lex", "DEL byte", "echo a\x7fb")
    add("lex", "control byte in a word", "echo a\x01b")
    add("lex", "leading spaces", "   echo indented")
    add("lex", "dash argument", "echo ----")
    add("lex", "dash argument after --", "echo -- ----")
    add("lex", "menu title of dashes", "menu --- Boot ---")
    add("lex", "lone -", "echo -")
    add("lex", "option after argument", "echo hello -n")
    add("lex", "echo -e", "echo -e x")
    add("lex", "grouped short options", "imgfetch -qa " + BLOB)
    add("lex", "option value inline", "prompt -t100 x || echo t")
    add("lex", "-- then option-like", "imgstat -- -x")
    # integers
    add("int", "sleep 08", "sleep 08")
    add("int", "sleep 0x0", "sleep 0x0")
    add("int", "sleep abc", "sleep abc")
    add("int", "sleep empty expansion", "sleep ${u@S}")
    add("int", "sleep -1", "sleep -1")
    add("int", "sleep --", "sleep -- 0")
    add("int", "prompt timeout 08", "prompt --timeout 08 x")
    # menus
    add("menu", "item before menu", "item x@S Text")
    add("menu", "choose before menu", "choose @S")
    add("menu", "menu item choose", "menu T", "item a@S A",
        "choose --timeout 100 @S", "echo ${@S}")
    add("menu", "choose a menu of gaps", "menu T", "item --gap Gap",
        "choose --timeout 100 @S")
    add("menu", "choose --default", "menu T", "item a@S A", "item b@S B",
        "choose --default b@S --timeout 100 @S", "iseq ${@S} b@S")
    add("menu", "item --menu of a missing menu",
        "item --menu nomenu@S a A")
    add("menu", "named menu", "menu --name m@S T", "item --menu m@S a A",
        "choose --menu m@S --timeout 100 @S")
    add("menu", "choose twice without --keep", "menu T", "item a@S A",
        "choose --timeout 100 @S", "choose --timeout 100 @S")
    add("menu", "choose twice with --keep", "menu T", "item a@S A",
        "choose --keep --timeout 100 @S", "choose --timeout 100 @S")
    # images (issue 16, item 4)
    add("img", "boot with nothing selected", "boot")
    add("img", "imgstat of an unregistered name", "imgstat nope@S")
    add("img", "imgfree of an unregistered name", "imgfree nope@S")
    add("img", "imgfree of a registered name",
        U("imgfetch " + BLOB, NET), "imgfree blob.bin")
    add("img", "imgstat of a registered name",
        U("imgfetch " + BLOB, NET), "imgstat blob.bin")
    add("img", "imgstat of a --name",
        U("imgfetch --name b@S " + BLOB, NET), "imgstat b@S")
    add("img", "imgstat of the URI, not the name",
        U("imgfetch " + BLOB, NET), "imgstat " + BLOB)
    add("img", "imgstat after imgfree",
        U("imgfetch " + BLOB, NET), "imgfree", "imgstat blob.bin")
    add("img", "imgfree of the name twice",
        U("imgfetch " + BLOB, NET), "imgfree blob.bin", "imgfree blob.bin")
    add("img", "kernel then imgstat", U("kernel " + OK, NET),
        "imgstat ok.ipxe")
    add("img", "imgargs of a registered name", U("kernel " + OK, NET),
        "imgargs ok.ipxe a=b", U("boot ok.ipxe", NET))
    add("img", "imgargs of a URL downloads again", U("kernel " + OK, NET),
        U("imgargs " + BLOB + " a=b", NET), U("boot ok.ipxe", NET))
    add("img", "imgargs of an unregistered bare name",
        U("imgargs nope@S a=b", NET))
    add("img", "boot of a registered name", U("kernel " + OK, NET),
        U("boot ok.ipxe", NET))
    add("img", "chain then imgstat (autofree)",
        U("chain --autofree " + OK, NET), "imgstat ok.ipxe")
    add("img", "chain then imgstat", U("chain " + OK, NET), "imgstat ok.ipxe")
    add("img", "kernel a blob (not executable)", U("kernel " + BLOB, NET))
    add("img", "chain a missing file", U("chain " + MISSING, NET))
    add("img", "relative chain", U("chain missing@S.ipxe", NET))
    add("img", "initrd then imgfree all", U("initrd " + BLOB, NET),
        "imgfree", "imgstat")
    add("img", "imgselect a registered name", U("imgfetch " + OK, NET),
        "imgselect ok.ipxe", "imgstat")
    add("img", "unknown URI scheme", U("chain nosuch://x/y", NET))
    add("img", "URI scheme with a digit", U("chain h2p://x/y", NET))
    # unknown commands
    add("cmd", "unknown command", "chian " + OK)
    add("cmd", "command case", "Echo x")
    add("cmd", "help lists", "help")
    return G


def odd_byte_probes():
    """Whole-file probes: signatures and line ends (raw bytes)."""
    R = []
    end = b"echo @@L 3\nexit 0\n"
    R.append(("sig", "#!ipxe LF", b"#!ipxe\n" + end))
    R.append(("sig", "#!gpxe", b"#!gpxe\n" + end))
    R.append(("sig", "#!IPXE", b"#!IPXE\n" + end))
    R.append(("sig", "BOM", b"\xef\xbb\xbf#!ipxe\n" + end))
    R.append(("sig", "blank first line", b"\n#!ipxe\n" + end))
    R.append(("sig", "leading space", b" #!ipxe\n" + end))
    R.append(("sig", "#!ipxe tab", b"#!ipxe\tcomment\n" + end))
    R.append(("sig", "#!ipxe2", b"#!ipxe2\n" + end))
    R.append(("sig", "#!ipxe alone", b"#!ipxe"))
    R.append(("sig", "CRLF", b"#!ipxe\r\necho @@L 3\r\necho x\r\n"
              b"echo @@L 5\r\nexit 0\r\n"))
    R.append(("lex", "CR only line ends", b"#!ipxe\recho @@L 2\recho x\r"))
    R.append(("nul", "NUL ends a line", b"#!ipxe\necho @@L 3\n"
              b"echo ab\0cd\necho @@L 5\nexit 0\n"))
    R.append(("nul", "NUL hides a fallback", b"#!ipxe\necho @@L 3\n"
              b"iseq 1 2\0 || echo caught\necho @@L 5\nexit 0\n"))
    R.append(("nul", "NUL hides a failure", b"#!ipxe\necho @@L 3\n"
              b"echo ok\0 iseq 1 2\necho @@L 5\nexit 0\n"))
    R.append(("nul", "NUL at line start", b"#!ipxe\necho @@L 3\n"
              b"\0iseq 1 2\necho @@L 5\nexit 0\n"))
    R.append(("nul", "NUL after a trailing backslash",
              b"#!ipxe\necho @@L 3\necho a \\\0\necho @@L 5\nb\n"
              b"echo @@L 7\nexit 0\n"))
    R.append(("cont", "dangling continuation at the end",
              b"#!ipxe\necho @@L 3\necho a \\"))
    R.append(("cont", "dangling continuation then blank",
              b"#!ipxe\necho @@L 3\necho a \\\n"))
    R.append(("lex", "no newline at the end",
              b"#!ipxe\necho @@L 3\necho last"))
    return R


def all_probes(table):
    """Every probe, in a stable order with stable ids."""
    out = []
    n = 0
    for cat, desc, units in list(command_probes(table)) + grammar_probes():
        n += 1
        out.append(Probe("%04d" % n, cat, desc, units))
    for cat, desc, raw in odd_byte_probes():
        n += 1
        out.append(Probe("%04d" % n, cat, desc, [], raw=raw))
    return out


def in_sample(p):
    """The fixed CI sample: every grammar, image and byte probe, and a
    stable third of the command-table probes (by a hash of what they are,
    not their number, so adding probes does not reshuffle it)."""
    if not p.cat.startswith("cmd-"):
        return True
    if p.cat in ("cmd-valid", "cmd-args"):
        return True
    return zlib.crc32(p.desc.encode()) % 3 == 0
