#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The Jinja2 differential test: ipxe-render's engine against python3-jinja2.

usage: oracle.py TMPL_DRIVER [--cases FILE] [--generated N] [--wild N]
                 [--seed S] [-v]

Every template is rendered twice with the same variables: by Debian's
python3-jinja2, Environment(undefined=StrictUndefined,
keep_trailing_newline=True), and by tmpl_driver (the template engine alone, no
structure check, no lint).  Then, case by case:

  - both render: the outputs must be byte for byte the same;
  - Jinja2 raises: ipxe-render must fail too;
  - only ipxe-render fails: allowed only where the case says so
    (`expect: IPX40nn`, a deliberate deviation or a construct outside the
    subset) and then with exactly that code; for generated templates, only
    the documented deviations IPX4005 (a null made a string) and IPX4002
    (outside the subset) are allowed, and they are counted.
  - a case with `expect:` must fail with that code whatever Jinja2 does.

The hand-written cases are in oracle_cases.txt; the generated ones come
from a seeded generator, so a failure can be replayed with the same seed.
A third set is token soup (--wild): there ipxe-render may fail where
Jinja2 renders, but never render what Jinja2 refuses or render otherwise.
Exit status: 0 when every case agrees, 1 otherwise.
"""
import argparse
import json
import os
import random
import subprocess
import sys

import jinja2

HERE = os.path.dirname(os.path.abspath(__file__))


def load_cases(path):
    """Parse oracle_cases.txt: `=== name`, optional `vars:`, `expect:` and
    `template-json:` lines, then the template up to the next `===`."""
    cases = []
    cur = None
    body = []

    def flush():
        if cur is None:
            return
        if "template" not in cur:
            cur["template"] = "\n".join(body)
        cases.append(cur)

    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    in_header = False
    for line in lines:
        if line.startswith("=== "):
            flush()
            cur = {"name": line[4:].strip(), "vars": {}}
            body = []
            in_header = True
            continue
        if cur is None:
            continue  # file comments before the first case
        if in_header and line.startswith("vars: "):
            cur["vars"] = json.loads(line[6:])
            continue
        if in_header and line.startswith("expect: "):
            cur["expect"] = line[8:].strip()
            continue
        if in_header and line.startswith("template-json: "):
            cur["template"] = json.loads(line[15:])
            continue
        in_header = False
        body.append(line)
    flush()
    return cases


# ---- the generator ----

WORDS = ["a", "b", "web1", "x y", "", " padded ", "Ab-C_d", "1", "42",
         "héllo", "ß", "a/b c&d", "tab\there", "ns1.ip-1-2-3.eu", "-n", "#",
         "0x1A", " 7 ", "1_000", "3.9", "true", "None"]


def gen_vars(rnd):
    return {
        "s": rnd.choice(WORDS),
        "t": rnd.choice(WORDS),
        "n": rnd.randint(-5, 20),
        "m": rnd.choice([0, 1, 2, 100, -3]),
        "b": rnd.choice([True, False]),
        "z": None,
        "l": rnd.sample(WORDS, rnd.randint(0, 4)),
        "ln": [rnd.randint(0, 9) for _ in range(rnd.randint(0, 4))],
        "d": {k: rnd.choice(WORDS + [1, 2, True])
              for k in rnd.sample(["k1", "k2", "k3", "a b", "x"],
                                  rnd.randint(0, 4))},
        "nest": {"a": {"b": rnd.choice(WORDS)}, "list": [1, "two", False]},
        "pairs": [[rnd.choice(WORDS), rnd.choice(WORDS)]
                  for _ in range(rnd.randint(0, 3))],
    }


def q(rnd, s):
    """A Jinja2 string literal for s, sometimes with escapes."""
    if rnd.random() < 0.2:
        s = s + rnd.choice(["\\n", "\\t", "\\x41", "\\u00e9", "\\\\", "\\'"])
    quote = rnd.choice(["'", '"'])
    s = s.replace(quote, "\\" + quote) if "\\" not in s else s
    return quote + s + quote


class Gen:
    def __init__(self, rnd):
        self.rnd = rnd
        self.loopvars = []

    def pick(self, *items):
        return self.rnd.choice(items)

    # typed expressions: strings, ints, bools, lists
    def s(self, d=0):
        r = self.rnd
        opts = [lambda: "s", lambda: "t", lambda: q(r, r.choice(WORDS)),
                lambda: "nest.a.b", lambda: "nest['a']['b']",
                lambda: "l[0] if l else 'none'",
                lambda: "d.k1 | default('dflt')",
                lambda: "u | default(%s)" % q(r, "x"),
                lambda: "z | default('nul', true)"]
        if self.loopvars:
            opts.append(lambda: r.choice(self.loopvars) + " | string")
        if d < 3:
            opts += [
                lambda: "%s ~ %s" % (self.s(d + 1), self.any(d + 1)),
                lambda: "(%s) | %s" % (self.s(d + 1),
                                       r.choice(["lower", "upper", "trim",
                                                 "string"])),
                lambda: "%s | replace(%s, %s)" % (self.s(d + 1),
                                                  q(r, r.choice("ab -")),
                                                  q(r, r.choice(["", "X",
                                                                 "--"]))),
                lambda: "%s | join(%s)" % (self.lst(d + 1),
                                           q(r, r.choice([",", " ", ""]))),
                lambda: "%s | urlencode" % self.s(d + 1),
                lambda: "d | urlencode",
                lambda: "%s if %s else %s" % (self.s(d + 1), self.b(d + 1),
                                             self.s(d + 1)),
                lambda: "%s | first | default('e')" % self.lst(d + 1),
                lambda: "%s | last | default('e')" % self.s(d + 1),
                lambda: "%s | trim(%s)" % (self.s(d + 1), q(r, "a ")),
                lambda: "%s + %s" % (self.s(d + 1), self.s(d + 1)),
                lambda: "%s[%d] | default('oob')" % (self.s(d + 1),
                                                     r.randint(-3, 3)),
                lambda: "%s | string" % self.i(d + 1),
            ]
        return self.wrap(r.choice(opts)())

    def wrap(self, e):
        """Parenthesise a composite expression, so that it can be an
        operand anywhere (precedence has its own hand-written cases)."""
        simple = e.replace("_", "").replace(".", "").replace("'", "")
        return e if simple.isalnum() else "(%s)" % e

    def i(self, d=0):
        r = self.rnd
        opts = [lambda: "n", lambda: "m", lambda: str(r.randint(0, 99)),
                lambda: r.choice(["0x1f", "0b101", "0o17", "1_000", "00"]),
                lambda: "ln | length"]
        if self.loopvars:
            opts += [lambda: "loop.index", lambda: "loop.index0",
                     lambda: "loop.revindex", lambda: "loop.length"]
        if d < 3:
            opts += [
                lambda: "%s + %s" % (self.i(d + 1), self.i(d + 1)),
                lambda: "%s - %s" % (self.i(d + 1), self.i(d + 1)),
                lambda: "-%s" % self.i(d + 1),
                lambda: "(%s) | int" % self.s(d + 1),
                lambda: "%s | int(%d)" % (self.s(d + 1), r.randint(0, 9)),
                lambda: "%s | length" % r.choice([self.s(d + 1),
                                                  self.lst(d + 1), "d"]),
                lambda: "ln | first | default(0)",
                lambda: "(%s if %s else %s)" % (self.i(d + 1), self.b(d + 1),
                                                self.i(d + 1)),
            ]
        return self.wrap(r.choice(opts)())

    def b(self, d=0):
        r = self.rnd
        opts = [lambda: "b", lambda: r.choice(["true", "false", "True"]),
                lambda: "u is defined", lambda: "z is none",
                lambda: "s is defined", lambda: "d.k2 is undefined"]
        if self.loopvars:
            opts += [lambda: "loop.first", lambda: "loop.last"]
        if d < 3:
            opts += [
                lambda: "%s == %s" % (self.s(d + 1), self.s(d + 1)),
                lambda: "%s != %s" % (self.i(d + 1), self.i(d + 1)),
                lambda: "%s %s %s" % (self.i(d + 1),
                                      r.choice(["<", "<=", ">", ">="]),
                                      self.i(d + 1)),
                lambda: "%s < %s < %s" % (self.i(d + 1), self.i(d + 1),
                                          self.i(d + 1)),
                lambda: "%s %s %s" % (self.s(d + 1), r.choice(["<", ">="]),
                                      self.s(d + 1)),
                lambda: "%s in %s" % (self.s(d + 1),
                                      r.choice([self.s(d + 1), "l", "d"])),
                lambda: "%s not in %s" % (self.i(d + 1), "ln"),
                lambda: "%s and %s" % (self.b(d + 1), self.b(d + 1)),
                lambda: "%s or %s" % (self.b(d + 1), self.b(d + 1)),
                lambda: "not %s" % self.b(d + 1),
                lambda: "(%s)" % self.b(d + 1),
                lambda: "%s is not none" % self.any(d + 1),
            ]
        return self.wrap(r.choice(opts)())

    def lst(self, d=0):
        r = self.rnd
        opts = [lambda: "l", lambda: "ln", lambda: "[]",
                lambda: "[%s]" % ", ".join(self.s(d + 1)
                                           for _ in range(r.randint(1, 3)))]
        if d < 3:
            opts += [lambda: "%s + %s" % (self.lst(d + 1), self.lst(d + 1))]
        return self.wrap(r.choice(opts)())

    def any(self, d=0):
        return self.rnd.choice([self.s, self.i, self.b])(d)

    def text(self):
        r = self.rnd
        return r.choice(["", " ", "\n", "x", "echo ", "  \n  ", "\t",
                         "kernel ", "\r\n", "a\rb", "${net0/mac}", "#", "}",
                         "% ", "é ", "\n\n"])

    def tag(self, kind, inner):
        r = self.rnd
        left = r.choice(["", "", "-", "+" if kind != "#" else "-"])
        right = r.choice(["", "", "-"])
        sp = r.choice([" ", "", "  ", "\n"])
        opn, cls = {"{": ("{{", "}}"), "%": ("{%", "%}"),
                    "#": ("{#", "#}")}[kind]
        if kind == "{" and left == "+":
            left = ""
        return opn + left + sp + inner + sp + right + cls

    def body(self, depth=0, n=None):
        r = self.rnd
        out = []
        for _ in range(n if n is not None else r.randint(1, 4)):
            out.append(self.text())
            k = r.random()
            if k < 0.40 or depth >= 3:
                out.append(self.tag("{", self.any()))
            elif k < 0.55:
                out.append(self.tag("%", "if " + self.b()))
                out.append(self.body(depth + 1))
                for _ in range(r.randint(0, 2)):
                    out.append(self.tag("%", "elif " + self.b()))
                    out.append(self.body(depth + 1))
                if r.random() < 0.5:
                    out.append(self.tag("%", "else"))
                    out.append(self.body(depth + 1))
                out.append(self.tag("%", "endif"))
            elif k < 0.72:
                var = "v%d" % depth
                kind = r.random()
                if kind < 0.3:
                    head = "for %s in %s" % (var, self.lst())
                elif kind < 0.5:
                    head = "for k%d, %s in d.items()" % (depth, var)
                elif kind < 0.65:
                    head = "for k%d, %s in pairs" % (depth, var)
                elif kind < 0.8:
                    head = "for %s in %s" % (var, self.s())
                else:
                    head = "for %s in ln if %s > %d" % (var, var,
                                                        r.randint(0, 9))
                self.loopvars.append(var)
                out.append(self.tag("%", head))
                out.append(self.body(depth + 1))
                self.loopvars.pop()
                if r.random() < 0.3:
                    out.append(self.tag("%", "else"))
                    out.append(self.body(depth + 1))
                out.append(self.tag("%", "endfor"))
            elif k < 0.85:
                name = r.choice(["s", "x1", "n", "t"])
                out.append(self.tag("%", "set %s = %s" % (name, self.any())))
            elif k < 0.92:
                out.append(self.tag("#", r.choice(["note", "", "a {{ b }}"])))
            else:
                out.append(r.choice(["{% raw %}{{ not rendered }}{% endraw %}",
                                     "{%- raw -%} {% if %} {%- endraw %}"]))
        return "".join(out)


WILD_ATOMS = ["{{", "}}", "{%", "%}", "{#", "#}", "-", "+", " ", "\n", "'",
              '"', "\\", "x", "s", "l", "if", "for", "in", "endif", "endfor",
              "else", "elif", "set", "=", "(", ")", "[", "]", ".", "|",
              "default", "upper", "join", "is", "defined", "not", "and", "or",
              "~", "1", "0x", "_", "raw", "endraw", "${", "}", "{", "%", "#",
              ":", ",", "loop", "index", "items", "d", "none", "true", "<%",
              "%>"]


def generate_wild(n, seed):
    """Token soup: mostly templates Jinja2 refuses.  For these only one
    thing is checked: ipxe-render never renders what Jinja2 refuses, and
    never renders differently (failing where Jinja2 renders is allowed:
    a Jinja2 quirk such as a `{#` left open at the very end)."""
    rnd = random.Random(seed)
    return [{"name": "wild-%d-%d" % (seed, k), "wild": True,
             "template": "".join(rnd.choice(WILD_ATOMS)
                                 for _ in range(rnd.randint(1, 30))),
             "vars": {"x": "a", "s": "b c", "l": [1, "two"],
                      "d": {"k": "v"}}}
            for k in range(n)]


def generate(n, seed):
    rnd = random.Random(seed)
    cases = []
    for k in range(n):
        g = Gen(rnd)
        cases.append({"name": "gen-%d-%d" % (seed, k),
                      "template": g.body(n=rnd.randint(1, 6)),
                      "vars": gen_vars(rnd), "generated": True})
    return cases


# ---- running ----

def jinja_render(env, case):
    try:
        return ("ok", env.from_string(case["template"]).render(case["vars"]))
    except Exception as e:  # every Jinja2 failure counts as one
        return ("err", "%s: %s" % (type(e).__name__, e))


def engine_render(driver, cases):
    lines = "".join(json.dumps({"template": c["template"], "vars": c["vars"]})
                    + "\n" for c in cases)
    proc = subprocess.run([driver], input=lines.encode(), capture_output=True,
                          check=False)
    if proc.returncode != 0:
        sys.exit("oracle: tmpl_driver failed: %s" % proc.stderr.decode())
    results = [json.loads(l) for l in proc.stdout.decode().splitlines()]
    # main() pairs cases and results with zip(), which would drop the
    # cases after a short answer unjudged
    if len(results) != len(cases):
        sys.exit("oracle: tmpl_driver answered %d of %d cases"
                 % (len(results), len(cases)))
    return results


def judge(case, jin, mine):
    """Return (verdict, detail): 'same', 'both-fail', 'deviation', or
    'MISMATCH'."""
    expect = case.get("expect")
    if expect:
        if mine["ok"]:
            return "MISMATCH", "expected %s, rendered %r" % (expect,
                                                             mine["output"])
        if mine["code"] != expect:
            return "MISMATCH", "expected %s, got %s: %s" % (
                expect, mine["code"], mine.get("message"))
        return ("deviation" if jin[0] == "ok" else "both-fail"), ""
    if jin[0] == "err":
        if mine["ok"]:
            return "MISMATCH", "Jinja2 raised %s but we rendered %r" % (
                jin[1], mine["output"])
        return "both-fail", ""
    if mine["ok"]:
        if mine["output"] == jin[1]:
            return "same", ""
        return "MISMATCH", "Jinja2 %r\n      we   %r" % (jin[1],
                                                          mine["output"])
    if case.get("generated") and mine["code"] in ("IPX4005", "IPX4002"):
        return "deviation", mine["code"]
    if case.get("wild"):
        return "deviation", mine["code"]
    return "MISMATCH", "Jinja2 rendered %r but we failed: %s %s" % (
        jin[1], mine["code"], mine.get("message"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("driver")
    ap.add_argument("--cases", default=os.path.join(HERE,
                                                    "oracle_cases.txt"))
    ap.add_argument("--generated", type=int, default=600)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--wild", type=int, default=1000)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    env = jinja2.Environment(undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=True)
    hand = load_cases(args.cases)
    gen = generate(args.generated, args.seed)
    wild = generate_wild(args.wild, args.seed)
    cases = hand + gen + wild
    results = engine_render(args.driver, cases)
    counts = {}
    gen_counts = {}
    bad = 0
    for case, mine in zip(cases, results):
        jin = jinja_render(env, case)
        verdict, detail = judge(case, jin, mine)
        counts[verdict] = counts.get(verdict, 0) + 1
        if case.get("generated"):
            gen_counts[verdict] = gen_counts.get(verdict, 0) + 1
        if verdict == "MISMATCH":
            bad += 1
            if bad <= 20:
                print("MISMATCH %s\n  template %r\n  vars %s\n  %s" % (
                    case["name"], case["template"],
                    json.dumps(case["vars"])[:200], detail))
        elif args.verbose:
            print("%-9s %s" % (verdict, case["name"]))
    print("oracle: %d cases (%d hand-written, %d generated, %d token soup, "
          "seed %d): %s"
          % (len(cases), len(hand), len(gen), len(wild), args.seed,
             ", ".join("%d %s" % (v, k) for k, v in sorted(counts.items()))))
    print("oracle: generated: %s" % ", ".join(
        "%d %s" % (v, k) for k, v in sorted(gen_counts.items())))
    # the generator must mostly stay inside the subset, and render
    if gen and gen_counts.get("deviation", 0) > len(gen) // 5:
        print("oracle: too many generated deviations: the generator has "
              "drifted out of the subset")
        bad += 1
    if gen and gen_counts.get("same", 0) < len(gen) // 3:
        print("oracle: too few generated templates render in Jinja2")
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
