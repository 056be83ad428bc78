#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Write a synthetic iPXE script of at least SIZE bytes to PATH.

usage: gen_script.py SIZE PATH   (SIZE in bytes; suffixes K, M accepted)

The lines mix what real scripts hold (see ../shared/corpus): menus and
items, kernel/initrd lines with ${...} expansions (nested ones too),
labels, comments, backslash continuations, `cond && goto x ||` chains,
set/iseq/isset, chain, blank lines, a few CRLF lines.  The output is
deterministic: the same SIZE gives the same bytes.

Like a real script it is consistent: every goto names a label that exists,
every menu item has its label, labels are unique (each repetition of a
block gets its own prefix), so linting it measures the linter, not the
reporting of thousands of findings.
"""
import random
import sys

DISTROS = ["debian", "ubuntu", "fedora", "rocky", "alpine", "arch", "nixos",
           "opensuse", "centos", "talos", "flatcar", "proxmox"]
ARCHES = ["x86_64", "arm64", "i386"]


def block(rng, n):
    """One block; "@B@" is replaced by a prefix unique to each copy."""
    out = []
    add = out.append
    for i in range(n):
        d = rng.choice(DISTROS)
        v = "%d.%d" % (rng.randint(1, 40), rng.randint(0, 9))
        label = "@B@%s_%s_%d" % (d, v.replace(".", "_"), i)
        kind = rng.random()
        if kind < 0.10:
            items = rng.randint(2, 6)
            add(":%s" % label)
            add("menu %s %s installer for ${hostname} (${net0/mac})" % (d, v))
            add("item --gap --             ---------------- %s ----------------" % d)
            for j in range(items):
                add("item --key %s %s_%d  %s %s [%s]" % (
                    chr(97 + j), label, j, d.capitalize(), v, rng.choice(ARCHES)))
            add("choose --timeout ${menu-timeout} --default %s_0 selected || goto %s_cancel"
                % (label, label))
            add("goto ${selected}")
            for j in range(items):
                add(":%s_%d" % (label, j))
                add("echo chose %s %s, item %d" % (d, v, j))
                add("goto %s_next" % label)
            add(":%s_cancel" % label)
            add(":%s_next" % label)
        elif kind < 0.35:
            add(":%s" % label)
            add("set base-url ${mirror}/%s/%s/${arch}" % (d, v))
            add("kernel ${base-url}/vmlinuz initrd=initrd.img ip=dhcp \\")
            add("  BOOTIF=01-${net0/mac:hexhyp} console=tty0 console=ttyS0,115200n8 \\")
            add("  inst.repo=${base-url}/os quiet splash --- || goto @B@failed")
            add("initrd ${base-url}/initrd.img || goto @B@failed")
            add("boot || goto @B@failed")
        elif kind < 0.45:
            add("# %s %s: keep the mirror list below in sync with the docs" % (d, v))
            add("#   see https://docs.example.org/%s/%s#netboot" % (d, v))
        elif kind < 0.55:
            add("iseq ${platform} efi && set loader %s.efi || set loader %s.kpxe" % (d, d))
            add("isset ${%s_url} && goto %s ||" % (d, label))
            add(":%s" % label)
        elif kind < 0.62:
            add("chain --autofree --replace ${boot-url}/menus/%s.ipxe?mac=${net${idx}/mac}&uuid=${uuid} || goto %s_fail"
                % (d, label))
            add(":%s_fail" % label)
            add("echo %s: no menu from ${boot-url}" % d)
        elif kind < 0.70:
            add("set pci-vendor ${pci/${net0/busloc}.0.2}")
            add("echo Booting %s %s on ${manufacturer} ${product} [${serial}] # vendor ${pci-vendor}" % (d, v))
        elif kind < 0.78:
            add("")
            add("set attempt:int32 0")
            add(":%s_retry" % label)
            add("inc attempt")
            add("iseq ${attempt} 5 && goto %s_fail ||" % label)
            add("sleep 1 ; goto %s_retry" % label)
            add(":%s_fail" % label)
        elif kind < 0.84:
            add("imgfetch --name %s ${base-url}/%s.img\r" % (d, label))
            add("imgverify %s ${base-url}/%s.img.sig || goto @B@failed\r" % (d, label))
        elif kind < 0.90:
            add("params")
            add("param mac ${net0/mac}")
            add("param serial ${serial}")
            add("param ts ${unixtime:int32}")
            add("chain ${boot-url}/api/boot##params")
        else:
            add("echo ${cls}%s %s: ${ip}/${netmask} gw ${gateway} dns ${dns} domain ${domain}" % (d, v))
            add("prompt --key 0x02 --timeout 2000 Press Ctrl-B for the iPXE shell... \\")
            add("  && shell ||")
    add(":@B@failed")
    add("echo boot failed: ${errno}")
    add(":@B@done")
    return "\n".join(out) + "\n"


def parse_size(text):
    mult = 1
    if text[-1] in "kK":
        mult, text = 1024, text[:-1]
    elif text[-1] in "mM":
        mult, text = 1024 * 1024, text[:-1]
    return int(text) * mult


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: gen_script.py SIZE PATH\n")
        return 2
    size = parse_size(sys.argv[1])
    # A few different blocks of about 1 MB, written in turn until SIZE.
    blocks = []
    for seed in range(8):
        rng = random.Random(seed)
        blocks.append(block(rng, 4000).encode())
    written = 0
    with open(sys.argv[2], "wb") as f:
        f.write(b"#!ipxe\n# ipxe-lint external-vars=mirror,arch,boot-url,idx,menu-timeout,cls\n")
        written = 80
        i = 0
        while written < size:
            data = blocks[i % len(blocks)].replace(b"@B@", b"b%d_" % i)
            f.write(data)
            written += len(data)
            i += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
