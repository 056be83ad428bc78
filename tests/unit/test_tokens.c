/* SPDX-License-Identifier: MIT */
/** @file Unit tests: the lexer's token streams, read back from the tree.
 *
 * Each case is an input and the stream of tokens the parser must see in
 * it, one logical line after the other:
 *   L(x)  label x      W(x)  word with logical text x
 *   ||  &&  ;          operators       #  comment     NUL  ignored tail
 *   $     end of line  (with !dangling or !error after it when flagged)
 * Bytes outside printable ASCII are written \xNN.
 */
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "diag.h"
#include "parse.h"
#include "source.h"
#include "test.h"
#include "treecheck.h"

static void add_text(struct buf *out, const char *p, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c >= 0x7f)
            buf_addf(out, "\\x%02x", c);
        else
            buf_addch(out, (char)c);
    }
}

static void add_stream(struct buf *out, const struct ast_script *s)
{
    const struct ast_line *l;

    for (l = s->lines; l; l = l->next) {
        const struct ast_segment *seg;
        if (l->label) {
            buf_adds(out, "L(");
            add_text(out, l->label->text, l->label->len);
            buf_adds(out, ") ");
        }
        for (seg = l->segs; seg; seg = seg->next) {
            uint32_t i;
            for (i = 0; i < seg->argc; i++) {
                buf_adds(out, "W(");
                add_text(out, seg->argv[i]->text, seg->argv[i]->len);
                buf_adds(out, ") ");
            }
            if (seg->op) {
                add_text(out, seg->op->text, seg->op->len);
                buf_addch(out, ' ');
            }
        }
        if (ast_line_comment(l))
            buf_adds(out, "# ");
        if (ast_line_tail(l))
            buf_adds(out, "NUL ");
        buf_addch(out, '$');
        if (l->flags & AST_L_DANGLING)
            buf_adds(out, "!dangling");
        if (l->flags & AST_L_ERROR)
            buf_adds(out, "!error");
        if (l->next)
            buf_addch(out, ' ');
    }
}

/* Parse @p len bytes and compare the token stream with @p want; also check
 * the tree's invariants, the source round trip and, for plain scripts,
 * agreement with the reference model of iPXE. */
static void stream_is(const char *file, int line, unsigned flags,
                      const char *data, size_t len, const char *want,
                      size_t want_diags)
{
    struct source src;
    struct arena a;
    struct diag_list d;
    struct ast_script *s = NULL;
    struct buf got, err, back;

    buf_init(&got, BUF_MAX_UNLIMITED);
    buf_init(&err, BUF_MAX_UNLIMITED);
    buf_init(&back, BUF_MAX_UNLIMITED);
    checkx(source_init_mem(&src, "t", data, len) == 0, file, line);
    arena_init(&a);
    diag_list_init(&d, &a);
    if (checkx(parse_source(&src, flags, &a, &d, &s) == 0, file, line)) {
        add_stream(&got, s);
        if (!checkx(strcmp(got.data, want) == 0, file, line))
            fprintf(stderr, "  got:  %s\n  want: %s\n", got.data, want);
        if (!checkx(d.len == want_diags, file, line))
            fprintf(stderr, "  %zu parse errors, want %zu\n", d.len,
                    want_diags);
        if (!checkx(treecheck_structure(s, &err), file, line))
            fprintf(stderr, "  %s", err.data);
        checkx(ast_print_source(s, &back) == 0 && back.len == len &&
                   memcmp(back.data, data, len) == 0,
               file, line);
        if (!(flags & PARSE_TEMPLATE) &&
            !checkx(treecheck_model(s, &err), file, line))
            fprintf(stderr, "%s", err.data);
    }
    buf_release(&back);
    buf_release(&err);
    buf_release(&got);
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
}
#define plain(in, want)                                                        \
    stream_is(__FILE__, __LINE__, 0, in, sizeof(in) - 1, want, 0)
#define tmpl(in, want, ndiags)                                                 \
    stream_is(__FILE__, __LINE__, PARSE_TEMPLATE, in, sizeof(in) - 1, want,    \
              ndiags)

static void test_words_and_whitespace(void)
{
    plain("", "");
    plain("\n", "$");
    plain("echo hello world\n", "W(echo) W(hello) W(world) $");
    plain("  echo \t a\v\fb \r\n", "W(echo) W(a) W(b) $");
    plain("a\rb\r", "W(a) W(b) $"); /* lone CR: whitespace; last one stripped */
    plain("echo \"a b\" 'c'", "W(echo) W(\"a) W(b\") W('c') $");
    plain("a\n\nb", "W(a) $ $ W(b) $");
    plain("\xef\xbb\xbf#!ipxe\n", "W(\\xef\\xbb\\xbf#!ipxe) $");
}

static void test_comments(void)
{
    plain("#!ipxe\n", "# $");
    plain("echo a#b #c || d\n", "W(echo) W(a#b) # $");
    plain("#${x}\n", "# $");
    plain("set x #ff0000\n", "W(set) W(x) # $");
    plain("# a \\\nb\nc\n", "# $ W(c) $");
    plain("echo a \\\n#b\n", "W(echo) W(a) # $");
    plain("echo a\\\n#b\n", "W(echo) W(a#b) $");
}

static void test_operators(void)
{
    plain("a || b && c ; d\n", "W(a) || W(b) && W(c) ; W(d) $");
    plain("a||b a;  a&&b ||| ;;\n", "W(a||b) W(a;) W(a&&b) W(|||) W(;;) $");
    plain("|| x\n", "|| W(x) $");
    plain("&& x\n", "&& W(x) $");
    plain("a || || b\n", "W(a) || || W(b) $");
    plain("a ||\n", "W(a) || $");
    plain("a ;\n", "W(a) ; $");
    plain("a |\\\n| b\n", "W(a) || W(b) $");
    plain("a # x || b\n", "W(a) # $");
}

static void test_labels(void)
{
    plain(":a\n", "L(a) $");
    plain(":\n", "L() $");
    plain("  :a echo x\n", "L(a) W(echo) W(x) $");
    plain(":a:b\n", "L(a:b) $");
    plain(":top # note\n", "L(top) # $");
    plain(":${x}\n", "L(${x}) $");
    plain(":a||b c\n", "L(a||b) W(c) $");
    plain(":x || y\n", "L(x) || W(y) $");
    plain("echo :x\n", "W(echo) W(:x) $");
    plain("echo \\\n:x\n", "W(echo) W(:x) $");
    plain("\\\n:x\n", "L(x) $");
    plain(":la\\\nbel\n", "L(label) $");
    plain("\t:x\tb\n", "L(x) W(b) $");
}

static void test_continuations(void)
{
    plain("chain\\\n--autofree\n", "W(chain--autofree) $");
    plain("a \\\n b\n", "W(a) W(b) $");
    plain("a\\\\\nb\n", "W(a\\b) $");
    plain("a\\\r\nb\r\n", "W(ab) $");
    plain("a \\\n\nb\n", "W(a) $ W(b) $");
    plain("a\\b \\n\n", "W(a\\b) W(\\n) $");
    plain("a\\\rb\n", "W(a\\) W(b) $");
    plain("a \\", "W(a) $!dangling");
    plain("a \\\r", "W(a) $!dangling");
    plain("a\\", "W(a) $!dangling");
    plain("\\", "$!dangling");
    plain("# c \\", "# $!dangling");
    plain("${x\\\n}\n", "W(${x}) $");
}

/* Cases where iPXE's line loop (spec §1.2) and the parser disagreed when
 * these tests were written; they follow iPXE's code. */
static void test_continuations_at_the_edges(void)
{
    /* The last physical line ends in a backslash, then the final newline:
     * the loop ends with the continuation pending, the line never runs. */
    plain("a \\\n", "W(a) $!dangling");
    plain("a\\\n", "W(a) $!dangling");
    plain("a \\\r\n", "W(a) $!dangling");
    plain("# c \\\n", "# $!dangling");
    plain("a\\\n\\\n", "W(a) $!dangling");
    /* After a continuation, an empty physical line adds nothing, and the
     * accumulated text is checked for a trailing backslash again. */
    plain("a\\\\\n\nb\n", "W(ab) $");
    plain("a \\\\\n\nb\n", "W(a) W(b) $");
    /* Lines are joined before words are cut and `${` is looked for: a
     * continuation between '$' and '{' still makes an expansion. */
    plain("$\\\n{a}\n", "W(${a}) $");
}

static void test_nul(void)
{
    plain("echo ab\0cd || x\nnext\n", "W(echo) W(ab) NUL $ W(next) $");
    plain("\0", "NUL $");
    plain(":a\0b c\n", "L(a) NUL $");
    plain("a\0b \\\nc\nd\n", "W(a) NUL $ W(d) $");
    plain("# c\0d\n", "# $");
}

static void test_expansions(void)
{
    plain("${a} ${net${i}/mac:hexhyp} ${pci/${busloc}.0.2} ${x:${t}}\n",
          "W(${a}) W(${net${i}/mac:hexhyp}) W(${pci/${busloc}.0.2}) "
          "W(${x:${t}}) $");
    plain("${a b}\n", "W(${a) W(b}) $");
    plain("$ ${ } ${}\n", "W($) W(${) W(}) W(${}) $");
}

static void test_templates(void)
{
    tmpl("kernel {{ base }}/vmlinuz {{ a | join(' ') }}\n",
         "W(kernel) W({{ base }}/vmlinuz) W({{ a | join(' ') }}) $", 0);
    plain("kernel {{ base }}/vmlinuz\n",
          "W(kernel) W({{) W(base) W(}}/vmlinuz) $");
    tmpl("{% if x %}\necho\n{% endif %}\n",
         "W({% if x %}) $ W(echo) $ W({% endif %}) $", 0);
    tmpl("{# c #} a\n", "W({# c #}) W(a) $", 0);
    tmpl("echo {{ '}}' }} {{ \"%}\" }}\n",
         "W(echo) W({{ '}}' }}) W({{ \"%}\" }}) $", 0);
    tmpl("${ {{ x }} }\n", "W(${) W({{ x }}) W(}) $", 0);
    tmpl("${{{ x }}}\n", "W(${{{ x }}}) $", 0);
    tmpl(":{{ l }} x\n", "L({{ l }}) W(x) $", 0);
    tmpl("{{ a }} || {{ b }}\n", "W({{ a }}) || W({{ b }}) $", 0);
    /* One unterminated tag: one error, and the next line is fine. */
    tmpl("echo {{ x\nnext line\n", "$!error W(next) W(line) $", 1);
    tmpl("a {{\nb {%\nc {#\nd\n", "$!error $!error $!error W(d) $", 3);
    tmpl("echo {{ x", "$!error", 1);
    /* No template tag: the same tokens as in a plain script. */
    tmpl("a || b # c\n", "W(a) || W(b) # $", 0);
}

int main(void)
{
    test_words_and_whitespace();
    test_comments();
    test_operators();
    test_labels();
    test_continuations();
    test_continuations_at_the_edges();
    test_nul();
    test_expansions();
    test_templates();
    return test_done();
}
