/* SPDX-License-Identifier: MIT */
/** @file libFuzzer harness for ipxe-render's library (render.h).
 *
 * The first byte says what the input is: with '#' (`#!ipxe`) it is all a
 * template, with '{' all an inventory, as files of those kinds start (so
 * that golden files and corpora replay and seed as they are); with any
 * other byte, that byte modulo 4 says what the rest is:
 *   0  a template, rendered for every host of a small fixed inventory;
 *   1  an inventory (JSON); a fixed template is rendered for its hosts;
 *   2  a template, a NUL byte and a JSON object: the template is rendered
 *      for every fixed host with that object as render_host()'s extra
 *      variables (no NUL byte: no extra variables);
 *   3  `key=value` lines given to inventory_set() on the fixed inventory
 *      (`key:=json` as `--set` reads it), then the fixed template rendered.
 *
 * What must always hold (any failure aborts, which libFuzzer reports as a
 * crash):
 *   - render_template_load() returns 0 or 1, as tmpl_compile() does on the
 *     same bytes in memory; on 1 its message is `path:line:col: error: ...`
 *     lines with line and col inside the template, each followed by its
 *     source line and a caret line;
 *   - a valid UTF-8 template with no `{{`, `{%` or `{#` compiles, and
 *     renders as its own text with line ends normalised, as Jinja2 does;
 *   - render_host() returns 0 or 1; on 1 it appends nothing and says why,
 *     every line naming the template (or a caret line under one that
 *     does); on 0 it appends what tmpl_render() gives for the same
 *     variables, at most RENDER_MAX_OUTPUT bytes, and no error; a template
 *     error or an output too large from tmpl_render() is a refusal;
 *   - a script written has the structure (labels, operators, comments,
 *     `${...}` expansions, line by line) it has with every value printed
 *     by a `{{ ... }}` that reads a variable replaced by "x": no value
 *     changed it;
 *   - every message is UTF-8 (when the input is), the lint's findings on
 *     the script included;
 *   - render_vars_with(), on a scratch that has rendered other hosts
 *     before, says exactly what render_host() says, byte for byte;
 *   - inventory_load() returns 0 or 1; on 1 its message is one line
 *     `path:line:col: error: ...` with line and col inside the file; when
 *     the file is valid JSON without a backslash (so that a key reads in
 *     the text as it is named), that position is on a token, and for an
 *     unknown key or a bad host name on that very key; on 0 every host is
 *     found again by its name;
 *   - inventory_set() returns 0 or 1, with a message on 1.
 * No status is ever negative, -ENOMEM included: under libFuzzer malloc()
 * does not return NULL (the run stops at -rss_limit_mb instead), and a
 * rendering keeps its memory within a budget (tmpl_value.c), so running out
 * of memory here would be a template eating the machine.
 *
 * Built with -fsanitize=fuzzer (the fuzz_render target), or with
 * replay_main.c as an ordinary program that replays saved inputs
 * (render.fuzz.regressions).  Templates and inventories reach the library
 * through its file interface: each is written to a file made once per
 * process, deleted at once and read again as /proc/self/fd/N.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "diag.h"
#include "inventory.h"
#include "parse.h"
#include "render.h"
#include "source.h"
#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* render.c's limit on a rendered script (not in render.h). */
#define RENDER_MAX_OUTPUT ((size_t)4 << 20)
/* Hosts rendered at most from a fuzzed inventory. */
#define MAX_HOSTS 8

/* The fixed inventory: the hosts' values hold what a value must not bring
 * into a script (a newline, a label, an operator, `${`, an option...). */
static const char fixed_inventory[] =
    "{\"defaults\": {\"console\": \"ttyS0,115200n8\",\n"
    "  \"mirror\": \"http://deb.debian.org/debian\", \"n\": 3, \"zero\": 0,\n"
    "  \"big\": 9223372036854775807, \"neg\": -5, \"f\": 1.5, \"b\": true,\n"
    "  \"z\": null, \"e\": \"\", \"s\": \"h\\u00e9llo w\\u00f6rld\",\n"
    "  \"l\": [\"a\", \"b c\", \"-x\", 1, null, [\"k\", \"v\"]],\n"
    "  \"d\": {\"a\": 1, \"b c\": \"d&e\", \"k\": \"v\", \"items\": \"i\"},\n"
    "  \"ovh\": {\"bootMode\": \"uefi\", \"datacenter\": \"gra1\"},\n"
    "  \"p\": [[\"k\", \"v w\"], [\"x\", \"/\"]],\n"
    "  \"args\": [\"console=ttyS0\", \"quiet\"]},\n"
    " \"groups\": {\"uefi\": {\"boot_mode\": \"uefi\"},\n"
    "  \"legacy\": {\"boot_mode\": \"legacy\", \"ovh\": {\"bootMode\": "
    "\"legacy\"}}},\n"
    " \"hosts\": {\n"
    "  \"ns1.ip-1-2-3.eu\": {\"groups\": [\"uefi\"],\n"
    "   \"vars\": {\"x\": \"web1\", \"y\": \"a b\", \"name\": \"start\"}},\n"
    "  \"ns2.ip-1-2-3.eu\": {\"groups\": [\"legacy\"],\n"
    "   \"vars\": {\"x\": \"a\\nreboot\", \"y\": \"${x}\", \"name\": "
    "\":label\",\n"
    "    \"w\": \"||\", \"c\": \"}\", \"t\": \"a\\tb\", \"bs\": \"\\\\\"}},\n"
    "  \"ns3.ip-1-2-3.eu\": {\"groups\": [\"uefi\", \"legacy\"],\n"
    "   \"vars\": {\"x\": \"#c\", \"y\": \" \", \"name\": \"-n\", "
    "\"boot_mode\": \"other\",\n"
    "    \"w\": \"&&\", \"c\": \"$\", \"t\": \"{\", \"bs\": \"a;b\"}}}}\n";

/* The fixed template: most of the subset, and words a value can break. */
static const char fixed_template[] =
    "#!ipxe\n"
    "echo {{ host }} {{ boot_mode | default('any') }} {{ x | default('-') }}\n"
    "{% for k in d | default([]) %}echo {{ k }} {{ d[k] | default('') }}\n"
    "{% endfor -%}\n"
    "{% for k, v in p | default([]) if k is not none %}echo {{ k }}={{ v }}\n"
    "{% endfor -%}\n"
    "{% if ovh is defined and ovh.bootMode | default('') == 'legacy' -%}\n"
    "sanboot --drive 0x80\n"
    "{% else -%}\n"
    "kernel {{ mirror | default('http://mirror.example.net') }}/linux "
    "{{ args | default([]) | join(' ') }}\n"
    "{% endif -%}\n"
    "{% if name is defined %}goto {{ name }}\n"
    ":{{ name }}\n{% endif -%}\n"
    "set v {{ y | default('') }}\n"
    "boot\n";

/** What is made once per process. */
struct fixed {
    bool ready;
    char tpath[64]; /* the fuzzed template's file */
    int tfd;
    char ipath[64]; /* the fuzzed inventory's file */
    int ifd;
    char fixed_ipath[64];         /* the fixed inventory's file */
    struct inventory *inv;        /* the fixed inventory */
    struct render_template *tmpl; /* the fixed template */
    char fixed_tpath[64];         /* its file */
    struct source tsrc;           /* its text, compiled in memory too */
    struct arena tarena;
    struct tmpl *direct;
};

static struct fixed fx;

static void fail(const char *mode, const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_render: %s: %s\n%s%s", mode, what,
            detail ? detail : "", detail && *detail ? "\n" : "");
    abort();
}

/* A file that lives as long as the process: made, deleted, and named by
 * its descriptor. */
static int temp_file(char *path, size_t size)
{
    char name[] = "/tmp/fuzz_render.XXXXXX";
    int fd = mkstemp(name);

    if (fd < 0) {
        perror("mkstemp");
        abort();
    }
    unlink(name);
    snprintf(path, size, "/proc/self/fd/%d", fd);
    return fd;
}

static void put_file(int fd, const void *data, size_t size)
{
    const char *p = data;
    off_t at = 0;

    if (ftruncate(fd, 0) != 0) {
        perror("ftruncate");
        abort();
    }
    while (size) {
        ssize_t n = pwrite(fd, p, size, at);
        if (n <= 0) {
            perror("pwrite");
            abort();
        }
        p += n;
        at += n;
        size -= (size_t)n;
    }
}

static void setup(void)
{
    struct buf err;
    struct diag_list d;
    int fd;

    if (fx.ready)
        return;
    fx.tfd = temp_file(fx.tpath, sizeof(fx.tpath));
    fx.ifd = temp_file(fx.ipath, sizeof(fx.ipath));
    buf_init(&err, BUF_MAX_UNLIMITED);
    fd = temp_file(fx.fixed_ipath, sizeof(fx.fixed_ipath));
    put_file(fd, fixed_inventory, sizeof(fixed_inventory) - 1);
    if (inventory_load(&fx.inv, fx.fixed_ipath, &err) != 0)
        fail("setup", "the fixed inventory does not load", err.data);
    fd = temp_file(fx.fixed_tpath, sizeof(fx.fixed_tpath));
    put_file(fd, fixed_template, sizeof(fixed_template) - 1);
    if (render_template_load(&fx.tmpl, fx.fixed_tpath, &err) != 0)
        fail("setup", "the fixed template does not load", err.data);
    arena_init(&fx.tarena);
    diag_list_init(&d, &fx.tarena);
    if (source_init_mem(&fx.tsrc, fx.fixed_tpath, fixed_template,
                        sizeof(fixed_template) - 1) != 0 ||
        tmpl_compile(&fx.tsrc, &fx.tarena, &d, &fx.direct) != 0)
        fail("setup", "the fixed template does not compile", NULL);
    diag_list_release(&d);
    buf_release(&err);
    fx.ready = true;
}

/* ---- positions ---- */

/* The offset of line @p line (1-based) and its length, or false. */
static bool line_at(const char *data, size_t size, unsigned long line,
                    size_t *start, size_t *len)
{
    size_t i = 0, n = 1;
    const char *nl;

    if (line < 1)
        return false;
    while (n < line) {
        nl = memchr(data + i, '\n', size - i);
        if (!nl)
            return false;
        i = (size_t)(nl - data) + 1;
        n++;
    }
    nl = memchr(data + i, '\n', size - i);
    *start = i;
    *len = nl ? (size_t)(nl - (data + i)) : size - i;
    return true;
}

/* Read `path:line:col: ` at the start of @p msg; the offset it names in
 * @p data, or fail when it is not inside it. */
static size_t check_position(const char *mode, const char *msg,
                             const char *path, const char *data, size_t size)
{
    size_t plen = strlen(path), start, len;
    unsigned long line, col;
    char *end;

    if (strncmp(msg, path, plen) != 0 || msg[plen] != ':')
        fail(mode, "a message does not start with the file's name", msg);
    line = strtoul(msg + plen + 1, &end, 10);
    if (*end != ':' || end == msg + plen + 1)
        fail(mode, "a message has no line number", msg);
    col = strtoul(end + 1, &end, 10);
    if (*end != ':' || end[1] != ' ')
        fail(mode, "a message has no column", msg);
    if (!line_at(data, size, line, &start, &len))
        fail(mode, "a message names a line that is not in the file", msg);
    if (col < 1 || col > len + 1)
        fail(mode, "a message names a column that is not on its line", msg);
    return start + col - 1;
}

/* Whether [s, s + n) is UTF-8 (no overlong form, no surrogate). */
static bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, l, k;

    while (i < n) {
        uint32_t cp;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        l = (p[i] & 0xE0) == 0xC0   ? 2
            : (p[i] & 0xF0) == 0xE0 ? 3
            : (p[i] & 0xF8) == 0xF0 ? 4
                                    : 0;
        if (!l || i + l > n)
            return false;
        cp = p[i] & (0x7Fu >> l);
        for (k = 1; k < l; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        if ((l == 2 && cp < 0x80) || (l == 3 && cp < 0x800) ||
            (l == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += l;
    }
    return true;
}

/* The lines of @p b, one at a time: @p at moves on; NULL at the end. */
static const char *next_line(const struct buf *b, size_t *at, size_t *len)
{
    const char *s, *nl;

    if (*at >= b->len)
        return NULL;
    s = b->data + *at;
    nl = memchr(s, '\n', b->len - *at);
    if (!nl)
        fail("messages", "a message does not end with a newline", b->data);
    *len = (size_t)(nl - s);
    *at += *len + 1;
    return s;
}

/* The messages in @p b, the lint's findings on the script included, are
 * UTF-8. */
static void check_utf8(const char *mode, const struct buf *b)
{
    size_t at = 0, len;
    const char *s;

    while ((s = next_line(b, &at, &len)) != NULL) {
        if (!utf8_valid(s, len))
            fail(mode, "a message is not UTF-8", b->data);
    }
}

/* A message is lines naming @p path, each maybe followed by a source line
 * and a caret line ("  | "). */
static void check_lines(const char *mode, const struct buf *b, const char *path)
{
    size_t at = 0, len;
    const char *s;
    int caret = 0; /* 0: a message line next; 1: its source; 2: a caret */

    while ((s = next_line(b, &at, &len)) != NULL) {
        char *line = strndup(s, len);
        if (!line)
            abort();
        if (len >= 4 && memcmp(s, "  | ", 4) == 0) {
            if (caret == 0)
                fail(mode, "a source line without a message", b->data);
            if (caret == 2 && !memchr(s, '^', len))
                fail(mode, "a caret line without its caret", b->data);
            caret = caret == 1 ? 2 : 0;
        } else {
            if (caret == 2)
                fail(mode, "a source line without its caret line", b->data);
            if (!strstr(line, path))
                fail(mode, "a message line does not name the template",
                     b->data);
            caret = 1;
        }
        free(line);
    }
    if (caret == 2)
        fail(mode, "a source line without its caret line", b->data);
}

/* ---- the structure of a script ---- */

static bool same_buf(const struct buf *a, const struct buf *b)
{
    return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

static uint32_t count_expansions(const struct ast_part *p)
{
    uint32_t n = 0;

    for (; p; p = p->next)
        n += (p->kind == AST_PART_EXPAND) + count_expansions(p->children);
    return n;
}

static uint32_t word_expansions(const struct ast_word *w)
{
    return w ? count_expansions(ast_word_parts(w)) : 0;
}

/* What a value must never change, for each line: whether it has a label,
 * a comment, a tail after a NUL; its operators; its `${...}` expansions. */
static void line_shape(const struct ast_line *l, struct buf *b)
{
    const struct ast_segment *seg;
    uint32_t exp =
        word_expansions(l->label) + word_expansions(ast_line_comment(l));
    uint32_t i;

    buf_addf(b, "%s%s%s%s%s:", l->label ? "label " : "",
             ast_line_comment(l) ? "comment " : "",
             ast_line_tail(l) ? "tail " : "",
             l->flags & AST_L_DANGLING ? "dangling " : "",
             l->flags & AST_L_ERROR ? "error " : "");
    for (seg = l->segs; seg; seg = seg->next) {
        for (i = 0; i < seg->argc; i++)
            exp += word_expansions(seg->argv[i]);
        if (seg->op)
            buf_addf(b, " op%u", seg->op->kind);
    }
    buf_addf(b, " ${}x%u\n", exp);
}

/* The shape of the script @p text: one line of line_shape() a line. */
static bool script_shape(const char *text, size_t len, struct buf *b)
{
    struct source src;
    struct arena a;
    struct diag_list d;
    struct ast_script *s;
    const struct ast_line *l;
    bool ok;

    if (source_init_mem(&src, "shape", text, len) != 0)
        return false;
    arena_init(&a);
    diag_list_init(&d, &a);
    ok = parse_source(&src, 0, &a, &d, &s) == 0;
    for (l = ok ? s->lines : NULL; l; l = l->next)
        line_shape(l, b);
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
    return ok;
}

/* The script with every value replaced by "x" has the structure the
 * script has: no value was let change it. */
static void check_shape(const char *mode, const struct tmpl_output *o)
{
    struct buf neutral, shape, neutral_shape;
    uint32_t at = 0;
    size_t i;

    buf_init(&neutral, BUF_MAX_UNLIMITED);
    buf_init(&shape, BUF_MAX_UNLIMITED);
    buf_init(&neutral_shape, BUF_MAX_UNLIMITED);
    for (i = 0; i < o->nsubst; i++) {
        buf_add(&neutral, o->out.data + at, o->subst[i].start - at);
        buf_addch(&neutral, 'x');
        at = o->subst[i].end;
    }
    buf_add(&neutral, o->out.data + at, o->out.len - at);
    if (script_shape(o->out.data, o->out.len, &shape) &&
        script_shape(neutral.data, neutral.len, &neutral_shape) &&
        !same_buf(&shape, &neutral_shape)) {
        fprintf(stderr, "script:\n%s\nshape:\n%s\nwith x for values:\n%s\n",
                o->out.data, shape.data, neutral_shape.data);
        fail(mode, "a value changed the structure of the script", NULL);
    }
    buf_release(&neutral_shape);
    buf_release(&shape);
    buf_release(&neutral);
}

/* ---- templates ---- */

/* Render with tmpl_render() directly, for a comparison. */
static int render_direct(const struct tmpl *t, const json_t *vars,
                         struct tmpl_output *o)
{
    struct arena scratch;
    struct diag_list d;
    int rc;

    arena_init(&scratch);
    diag_list_init(&d, &scratch);
    rc = tmpl_render(t, vars, o, &scratch, &d);
    if (rc == -EINVAL && !d.len)
        fail("tmpl_render", "an error, and no finding says which", NULL);
    diag_list_release(&d);
    arena_release(&scratch);
    return rc;
}

/* Render @p t for host @p i of @p inv and check everything. */
static void check_host(const char *mode, const struct render_template *t,
                       const struct tmpl *direct, const char *tpath,
                       const struct inventory *inv, size_t i,
                       const json_t *extra, struct render_scratch *s)
{
    const char *host = inventory_host(inv, i);
    struct buf out, err, out2, err2, e;
    struct tmpl_output o;
    json_t *vars;
    int rc, rc2, rcd;

    if (!host || inventory_index(inv, host) != (long)i)
        fail(mode, "a host is not found again by its name", host);
    buf_init(&out, BUF_MAX_UNLIMITED);
    buf_init(&err, BUF_MAX_UNLIMITED);
    buf_init(&out2, BUF_MAX_UNLIMITED);
    buf_init(&err2, BUF_MAX_UNLIMITED);
    buf_init(&e, BUF_MAX_UNLIMITED);
    /* something already in the buffers: appended to, never replaced */
    buf_adds(&out, "<");
    buf_adds(&out2, "<");

    rc = render_host(t, inv, host, extra, -1, &out, &err);
    if (rc != 0 && rc != 1)
        fail(mode, "render_host() returned neither 0 nor 1", err.data);
    if (rc == 1) {
        if (out.len != 1)
            fail(mode, "a refused host still got a script", out.data);
        if (!err.len)
            fail(mode, "a refusal without a message", NULL);
    } else {
        if (out.len - 1 > RENDER_MAX_OUTPUT)
            fail(mode, "a script larger than RENDER_MAX_OUTPUT", NULL);
        if (strstr(err.data, ": error: "))
            fail(mode, "an error, yet the script was written", err.data);
    }
    check_lines(mode, &err, tpath);
    check_utf8(mode, &err);

    /* the same, on a scratch that rendered something else before */
    vars = inventory_vars(inv, i, extra, &e);
    if (!vars)
        fail(mode, "inventory_vars() failed", e.data);
    rc2 = render_vars_with(s, t, host, vars, -1, &out2, &err2);
    if (rc2 != rc || !same_buf(&out, &out2) || !same_buf(&err, &err2)) {
        fprintf(stderr, "render_host: %d\n%s%s\nrender_vars_with: %d\n%s%s\n",
                rc, err.data, out.data, rc2, err2.data, out2.data);
        fail(mode, "render_vars_with() on a used scratch differs", NULL);
    }

    /* the template engine alone */
    tmpl_output_init(&o, RENDER_MAX_OUTPUT);
    rcd = render_direct(direct, vars, &o);
    if ((rcd == -EINVAL || rcd == -E2BIG) && rc != 1)
        fail(mode, "a template error, yet the host was not refused", out.data);
    if (rcd != 0 && rcd != -EINVAL && rcd != -E2BIG)
        fail(mode, "tmpl_render() returned an unknown status", NULL);
    if (rc == 0 && (rcd != 0 || o.out.len != out.len - 1 ||
                    memcmp(o.out.data, out.data + 1, o.out.len) != 0))
        fail(mode, "the script is not what the template renders", out.data);
    if (rc == 0)
        check_shape(mode, &o);
    tmpl_output_release(&o);
    json_decref(vars);
    buf_release(&e);
    buf_release(&err2);
    buf_release(&out2);
    buf_release(&err);
    buf_release(&out);
}

static bool has_tag_opener(const uint8_t *data, size_t size)
{
    size_t i;

    for (i = 0; i + 1 < size; i++) {
        if (data[i] == '{' &&
            (data[i + 1] == '{' || data[i + 1] == '%' || data[i + 1] == '#'))
            return true;
    }
    return false;
}

/* A template with no tag renders as its text, line ends normalised. */
static void check_plain(const struct tmpl *direct, const uint8_t *data,
                        size_t size)
{
    struct tmpl_output o;
    json_t *vars = json_object();
    size_t i, k = 0;
    int rc;

    if (!vars)
        return;
    tmpl_output_init(&o, RENDER_MAX_OUTPUT);
    rc = render_direct(direct, vars, &o);
    if (rc == 0) {
        bool same = true;
        for (i = 0; i < size && same; i++, k++) {
            char want = (char)data[i];
            if (data[i] == '\r') {
                want = '\n';
                if (i + 1 < size && data[i + 1] == '\n')
                    i++;
            }
            same = k < o.out.len && o.out.data[k] == want;
        }
        if (!same || k != o.out.len)
            fail("template", "a template without tags renders otherwise",
                 o.out.data);
    } else {
        fail("template", "a template without tags fails to render", NULL);
    }
    tmpl_output_release(&o);
    json_decref(vars);
}

/* Modes 0 and 2: the template is @p data; @p extra goes to every host. */
static void run_template(const uint8_t *data, size_t size, const json_t *extra,
                         struct render_scratch *s)
{
    const char *mode = "template";
    struct render_template *t = NULL;
    struct source src;
    struct arena a;
    struct diag_list d;
    struct tmpl *direct = NULL;
    struct buf err;
    size_t at = 0, len, i;
    const char *line;
    int rc, crc;

    put_file(fx.tfd, data, size);
    buf_init(&err, BUF_MAX_UNLIMITED);
    rc = render_template_load(&t, fx.tpath, &err);
    if (rc != 0 && rc != 1)
        fail(mode, "render_template_load() returned neither 0 nor 1", err.data);
    if (source_init_mem(&src, fx.tpath, (const char *)data, size) != 0)
        abort();
    arena_init(&a);
    diag_list_init(&d, &a);
    crc = tmpl_compile(&src, &a, &d, &direct);
    if (!((rc == 0 && crc == 0) || (rc == 1 && crc == -EINVAL)))
        fail(mode, "render_template_load() and tmpl_compile() disagree",
             err.data);
    if (rc == 1) {
        if (!err.len)
            fail(mode, "a template error without a message", NULL);
        check_lines(mode, &err, fx.tpath);
        if (utf8_valid((const char *)data, size) &&
            !utf8_valid(err.data, err.len))
            fail(mode, "a message is not UTF-8", err.data);
        while ((line = next_line(&err, &at, &len)) != NULL) {
            if (len >= 4 && memcmp(line, "  | ", 4) == 0)
                continue;
            check_position(mode, line, fx.tpath, (const char *)data, size);
        }
    }
    if (!has_tag_opener(data, size)) {
        if (crc == 0)
            check_plain(direct, data, size);
        else if (!d.len || strstr(d.items[0].msg, "not valid UTF-8") == NULL)
            fail(mode, "a template without tags does not compile", err.data);
    }
    if (rc == 0 && crc == 0) {
        for (i = 0; i < inventory_count(fx.inv); i++)
            check_host(mode, t, direct, fx.tpath, fx.inv, i, extra, s);
    }
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
    render_template_free(t);
    buf_release(&err);
}

/* ---- inventories ---- */

/* The key @p msg names after @p prefix, up to the last @p suffix (the
 * key itself may hold the suffix's text); NULL if not. */
static char *named_key(const char *msg, const char *prefix, const char *suffix)
{
    const char *s = strstr(msg, prefix), *e = NULL, *at;

    if (!s)
        return NULL;
    s += strlen(prefix);
    for (at = strstr(s, suffix); at; at = strstr(at + 1, suffix))
        e = at;
    return e ? strndup(s, (size_t)(e - s)) : NULL;
}

/* A message of a valid JSON file without escapes points at a token, and
 * at the very key it names when it names one. */
static void check_schema_position(const char *msg, const char *data,
                                  size_t size, size_t off)
{
    static const struct {
        const char *prefix, *suffix;
    } keyed[] = {
        {"unknown key '", "' (an inventory"},
        {"has an unknown key '", "' (variables"},
        {"host name '", "' is not a service name"},
    };
    size_t k;

    if (off >= size || strchr(" \t\r\n:,}]", data[off]))
        fail("inventory", "a mistake is reported between tokens", msg);
    for (k = 0; k < sizeof(keyed) / sizeof(keyed[0]); k++) {
        char *key = named_key(msg, keyed[k].prefix, keyed[k].suffix);
        size_t n;
        if (!key)
            continue;
        n = strlen(key);
        if (data[off] != '"' || off + n + 2 > size ||
            memcmp(data + off + 1, key, n) != 0 || data[off + n + 1] != '"')
            fail("inventory", "a mistake is not reported at its key", msg);
        free(key);
        break;
    }
}

/* Render the fixed template for (at most MAX_HOSTS) hosts of @p inv. */
static void render_fixed(const char *mode, const struct inventory *inv,
                         struct render_scratch *s)
{
    size_t i, n = inventory_count(inv);

    for (i = 0; i < n && i < MAX_HOSTS; i++)
        check_host(mode, fx.tmpl, fx.direct, fx.fixed_tpath, inv, i, NULL, s);
}

/* Mode 1: the inventory is @p data. */
static void run_inventory(const uint8_t *data, size_t size,
                          struct render_scratch *s)
{
    const char *mode = "inventory";
    struct inventory *inv = NULL;
    struct buf err;
    json_t *json;
    int rc;

    put_file(fx.ifd, data, size);
    buf_init(&err, BUF_MAX_UNLIMITED);
    rc = inventory_load(&inv, fx.ipath, &err);
    if (rc != 0 && rc != 1)
        fail(mode, "inventory_load() returned neither 0 nor 1", err.data);
    if (rc == 1) {
        size_t off;
        if (!err.len || err.data[err.len - 1] != '\n' ||
            memchr(err.data, '\n', err.len - 1))
            fail(mode, "the message is not one line", err.data);
        off =
            check_position(mode, err.data, fx.ipath, (const char *)data, size);
        if (utf8_valid((const char *)data, size) &&
            !utf8_valid(err.data, err.len))
            fail(mode, "a message is not UTF-8", err.data);
        json =
            json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
        if (json && !memchr(data, '\\', size))
            check_schema_position(err.data, (const char *)data, size, off);
        json_decref(json);
    } else {
        if (err.len)
            fail(mode, "a message, yet the inventory loaded", err.data);
        render_fixed(mode, inv, s);
    }
    inventory_free(inv);
    buf_release(&err);
}

/* Mode 3: `key=value` lines for inventory_set(). */
static void run_set(const uint8_t *data, size_t size, struct render_scratch *s)
{
    const char *mode = "--set";
    struct inventory *inv = NULL;
    struct buf err;
    size_t at = 0;
    int rc;

    buf_init(&err, BUF_MAX_UNLIMITED);
    rc = inventory_load(&inv, fx.fixed_ipath, &err);
    if (rc)
        fail(mode, "the fixed inventory does not load", err.data);
    while (at < size) {
        const char *line = (const char *)data + at, *nl, *eq;
        size_t len;
        char *key, *value;
        nl = memchr(line, '\n', size - at);
        len = nl ? (size_t)(nl - line) : size - at;
        at += len + 1;
        eq = memchr(line, '=', len);
        if (!eq)
            continue;
        key = strndup(line, (size_t)(eq - line));
        value = strndup(eq + 1, len - (size_t)(eq + 1 - line));
        if (!key || !value)
            abort();
        buf_truncate(&err, 0);
        rc = inventory_set(inv, key, value, &err);
        if (rc != 0 && rc != 1)
            fail(mode, "inventory_set() returned neither 0 nor 1", err.data);
        if (rc == 1 && !err.len)
            fail(mode, "inventory_set() refused without a message", NULL);
        if (rc == 0 && err.len)
            fail(mode, "inventory_set() took it, with a message", err.data);
        free(key);
        free(value);
    }
    render_fixed(mode, inv, s);
    inventory_free(inv);
    buf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct render_scratch *s;
    json_t *extra = NULL;
    size_t cut;

    if (size < 1)
        return 0;
    setup();
    s = render_scratch_new();
    if (!s)
        fail("setup", "render_scratch_new() failed", NULL);
    if (data[0] == '#') {
        run_template(data, size, NULL, s);
        render_scratch_free(s);
        return 0;
    }
    if (data[0] == '{') {
        run_inventory(data, size, s);
        render_scratch_free(s);
        return 0;
    }
    switch (data[0] % 4) {
    case 0:
        run_template(data + 1, size - 1, NULL, s);
        break;
    case 1:
        run_inventory(data + 1, size - 1, s);
        break;
    case 2:
        /* the variables: after the last NUL byte, which JSON cannot hold */
        for (cut = size; cut > 1 && data[cut - 1] != '\0'; cut--)
            ;
        if (cut > 1) {
            extra = json_loadb((const char *)data + cut, size - cut,
                               JSON_ALLOW_NUL, NULL);
            if (extra && !json_is_object(extra)) {
                json_decref(extra);
                extra = NULL;
            }
            run_template(data + 1, cut - 2, extra, s);
        } else {
            run_template(data + 1, size - 1, NULL, s);
        }
        json_decref(extra);
        break;
    default:
        run_set(data + 1, size - 1, s);
        break;
    }
    render_scratch_free(s);
    return 0;
}
