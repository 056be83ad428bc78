#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The rule pages (docs/rules/*.md) as HTML pages for the playground.

usage: md2html.py DOCS_DIR OUT_DIR

Writes OUT_DIR/IPXnnnn.html for each page and OUT_DIR/index.html listing
them.  It reads the Markdown the rule pages use, and no more: headings,
paragraphs, fenced code blocks, bullet lists, tables, `code`, **bold**,
[links](url); a rule code in the text links to that rule's page.
Standard library only.
"""
import html
import os
import re
import sys

CODE = re.compile(r"\bIPX\d{4}\b")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
BOLD = re.compile(r"\*\*([^*]+)\*\*")


def inline(text, codes):
    """Inline Markdown of one block's text as HTML (a rule code links to
    its page when it is in @p codes)."""
    out = []
    for i, part in enumerate(re.split(r"(`[^`]*`)", text)):
        if i % 2:
            out.append("<code>%s</code>" % html.escape(part[1:-1]))
            continue
        part = html.escape(part, quote=False)
        part = LINK.sub(lambda m: '<a href="%s">%s</a>' % (
            html.escape(m.group(2)), m.group(1)), part)
        part = BOLD.sub(r"<strong>\1</strong>", part)
        part = CODE.sub(lambda m: '<a href="%s.html">%s</a>' % (
            m.group(0), m.group(0)) if m.group(0) in codes else m.group(0),
            part)
        out.append(part)
    return "".join(out)


def convert(md, codes):
    """The body of one page."""
    lines = md.split("\n")
    out, para, items, rows = [], [], [], []
    i = 0

    def flush():
        if para:
            out.append("<p>%s</p>" % inline(" ".join(para), codes))
            para.clear()
        if items:
            out.append("<ul>%s</ul>" % "".join(
                "<li>%s</li>" % inline(t, codes) for t in items))
            items.clear()
        if rows:
            cells = [[c.strip() for c in r.strip().strip("|").split("|")]
                     for r in rows if not re.fullmatch(r"[\s|:-]+", r)]
            head, body = cells[0], cells[1:]
            out.append("<table><thead><tr>%s</tr></thead><tbody>%s</tbody>"
                       "</table>" % (
                           "".join("<th>%s</th>" % inline(c, codes)
                                   for c in head),
                           "".join("<tr>%s</tr>" % "".join(
                               "<td>%s</td>" % inline(c, codes) for c in r)
                               for r in body)))
            rows.clear()

    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            flush()
            lang = line[3:].strip()
            i += 1
            code = []
            while i < len(lines) and not lines[i].startswith("```"):
                code.append(lines[i])
                i += 1
            cls = ' class="language-%s"' % html.escape(lang) if lang else ""
            out.append("<pre><code%s>%s</code></pre>" % (
                cls, html.escape("\n".join(code))))
        elif m := re.match(r"(#{1,6}) +(.*)", line):
            flush()
            n = len(m.group(1))
            out.append("<h%d>%s</h%d>" % (n, inline(m.group(2), codes), n))
        elif not line.strip():
            flush()
        elif line.startswith("|"):
            if para or items:
                flush()
            rows.append(line)
        elif m := re.match(r"[-*] +(.*)", line):
            if para or rows:
                flush()
            items.append(m.group(1))
        elif items and line.startswith(" "):
            items[-1] += " " + line.strip()
        else:
            if items or rows:
                flush()
            para.append(line.strip())
        i += 1
    flush()
    return "\n".join(out)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title} - ipxe-lint</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="../playground.css">
<script>
try {{
    var t = localStorage.getItem('ipxe-lint-theme');
    if (t === 'light' || t === 'dark')
        document.documentElement.dataset.theme = t;
}} catch (e) {{}}
</script>
</head>
<body class="doc">
<nav><a href="../index.html">ipxe-lint playground</a> &middot;
<a href="index.html">all rules</a></nav>
<main>
{body}
</main>
</body>
</html>
"""


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: md2html.py DOCS_DIR OUT_DIR")
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    pages = sorted(f[:-3] for f in os.listdir(src) if f.endswith(".md"))
    codes = set(pages)
    index = []
    for code in pages:
        with open(os.path.join(src, code + ".md"), encoding="utf-8") as f:
            md = f.read()
        first = md.split("\n", 1)[0].lstrip("# ").strip()
        with open(os.path.join(dst, code + ".html"), "w",
                  encoding="utf-8") as f:
            f.write(PAGE.format(title=html.escape(first),
                                body=convert(md, codes - {code})))
        index.append('<li><a href="%s.html">%s</a></li>' % (
            code, html.escape(first)))
    with open(os.path.join(dst, "index.html"), "w", encoding="utf-8") as f:
        f.write(PAGE.format(title="Rules", body="<h1>Rules</h1>\n<ul>%s</ul>"
                            % "\n".join(index)))


if __name__ == "__main__":
    main()
