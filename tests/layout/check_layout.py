#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The layout's rules, checked on the tree and on the built objects.

usage: check_layout.py SOURCE_DIR BUILD_DIR

1. Dependencies only run downward: every folder has a layer (LAYERS
   below, docs/architecture.md says why), and no file includes a header
   of a higher layer or calls (links to) a function or uses data defined
   in one.  Calls are read from the objects of BUILD_DIR with nm, so a
   dependency that no #include shows (an extern declared by hand) counts.
2. No circles: no two modules (a .c and its .h) depend on each other,
   directly or round a loop, by includes or by symbols.
3. No source file over MAX_LINES lines, data tables aside (TABLES).

Prints each violation and exits 1 if there is one; 0 otherwise.
"""
import os
import re
import subprocess
import sys

# Folder -> layer, lowest first; a file belongs to the longest prefix.
LAYERS = [
    ("parser/", 0),          # reads text: source, lexer, grammar, tree
    ("linter/ipxe/", 1),     # what iPXE is: commands, options, settings
    ("linter/engine/", 2),   # the walk, analyses, directives, reporting
    ("linter/rules/", 3),    # the rule families and the registry
    ("linter/", 4),          # the front: lint.h, config, reports, main
    ("linter/render/", 5),   # templates, inventory, ipxe-render
    ("linter/lsp/", 5),      # the language server (ipxe-lint --lsp)
    ("linter/lint_main", 5), # ipxe-lint's main: above the server it runs
    ("uploader/", 6),        # the OVHcloud API client, fleet, commands
    ("uploader/api/", 6),
    ("uploader/fleet/", 7),
    ("uploader/cli/", 8),
    ("uploader/main", 9),    # ipxe-upload: above its commands
]
STAGES = ("parser/", "linter/", "uploader/")
GENERATED = {"lexer.c": "parser/lexer.re", "grammar.tab.c": "parser/grammar.y",
             "ruledocs.c": "linter/ruledocs.h"}
# Functions bison's parser calls by name: the grammar's own callbacks, which
# its driver (parse.c) defines.  They are the grammar's interface, not a
# call upward from it.
CALLBACKS = {"yylex", "yyerror"}
MAX_LINES = 1500
# Files that may be longer because they are data, not code.
TABLES = set()
SOURCE_EXT = (".c", ".h", ".re", ".y")


def layer_of(path):
    best = None
    for prefix, layer in LAYERS:
        if path.startswith(prefix) and (best is None or
                                        len(prefix) > len(best[0])):
            best = (prefix, layer)
    return best[1] if best else None


def module_of(path):
    """A .c and its .h are one module: the path without its extension."""
    return os.path.splitext(path)[0]


def sources(root):
    out = []
    for stage in STAGES:
        for d, _, files in os.walk(os.path.join(root, stage)):
            for f in files:
                if f.endswith(SOURCE_EXT):
                    out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def include_edges(root, files):
    """(from module, to module, file) for every #include "..." of ours."""
    headers = {}
    for f in files:
        if f.endswith(".h"):
            headers.setdefault(os.path.basename(f), []).append(f)
    edges = []
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8",
                  errors="replace") as fh:
            text = fh.read()
        for name in INCLUDE.findall(text):
            cands = headers.get(os.path.basename(name), [])
            same_dir = [h for h in cands
                        if os.path.dirname(h) == os.path.dirname(f)]
            stage = f.split("/")[0] + "/"
            same_stage = [h for h in cands if h.startswith(stage)]
            pick = same_dir or (cands if len(cands) == 1 else same_stage)
            if len(pick) != 1:
                continue  # a generated header (grammar.tab.h) or not ours
            edges.append((module_of(f), module_of(pick[0]), f))
    return edges


def object_files(build):
    out = []
    for d, _, files in os.walk(build):
        if "/CMakeFiles/" not in d + "/":
            continue
        for f in files:
            if f.endswith(".o"):
                out.append(os.path.join(d, f))
    return out


def object_source(build, obj, root):
    """The source module an object was compiled from, or None (tests,
    benchmarks, generated files map to the file they are generated
    from)."""
    rel = os.path.relpath(obj, build)
    m = re.match(r"(.*?)/?CMakeFiles/[^/]+\.dir/(.*)\.o$", rel)
    if not m:
        return None
    folder, src = m.group(1), m.group(2)
    if src.startswith("__/"):
        return None  # a source outside the target's folder: tests, bench
    path = os.path.normpath(os.path.join(folder, src))
    if not path.startswith(STAGES):
        return None
    if not os.path.exists(os.path.join(root, path)):
        # generated: lexer.c from lexer.re, grammar.tab.c from grammar.y,
        # ruledocs.c from docs/rules/; else a stale object of a file gone
        path = GENERATED.get(os.path.basename(path))
        if not path:
            return None
    return module_of(path)


def symbol_edges(build, root, problems):
    defined, wanted = {}, []
    for obj in object_files(build):
        mod = object_source(build, obj, root)
        if not mod:
            continue
        p = subprocess.run(["nm", "-P", obj], capture_output=True,
                           text=True, check=True)
        for line in p.stdout.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            sym, kind = parts[0], parts[1]
            if kind == "U":
                if sym not in CALLBACKS:
                    wanted.append((mod, sym))
            elif kind.isupper() and kind not in "VW" and sym != "main":
                if sym in defined and defined[sym] != mod:
                    problems.append("%s is defined twice, in %s and %s" %
                                    (sym, defined[sym], mod))
                defined.setdefault(sym, mod)
    return [(mod, defined[sym], sym) for mod, sym in wanted
            if sym in defined and defined[sym] != mod]


def cycles(edges):
    """Strongly connected components of more than one module (Tarjan)."""
    graph = {}
    for a, b, _ in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    root, build = sys.argv[1], sys.argv[2]
    files = sources(root)
    problems = []

    inc = include_edges(root, files)
    sym = symbol_edges(build, root, problems)
    if not sym:
        problems.append("no object files found under %s: build first" %
                        build)
    for kind, edges in (("includes", inc), ("uses", sym)):
        for a, b, what in edges:
            la, lb = layer_of(a), layer_of(b)
            if la is not None and lb is not None and lb > la:
                problems.append("%s %s %s: a lower layer reaching up "
                                "(%s)" % (a, kind, b, what))
        for comp in cycles(edges):
            problems.append("a circle of %s: %s" % (kind, " <-> ".join(comp)))

    for f in files:
        with open(os.path.join(root, f), "rb") as fh:
            n = fh.read().count(b"\n")
        if n > MAX_LINES and f not in TABLES:
            problems.append("%s: %d lines (at most %d, tables aside)" %
                            (f, n, MAX_LINES))

    for p in problems:
        print("layout: " + p)
    print("layout: %d files, %d include and %d symbol dependencies checked, "
          "%d problems" % (len(files), len(inc), len(sym), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
