/* SPDX-License-Identifier: MIT */
/** @file libFuzzer harness for the linter.
 *
 * The first byte of an input picks the options, the rest is the script:
 *
 *   bits 0-1  platform: any, efi, pcbios, any
 *   bit 2     a template (named fuzz.ipxe.j2, as lint_main.c decides by
 *             the name) rather than a plain script (fuzz.ipxe)
 *   bit 3     require-https
 *   bit 4     allowed-hosts (those of testdata/lint/.IPX2311.conf)
 *   bit 5     external-vars
 *   bit 6     every rule at a configured severity other than its default
 *   bit 7     colours in the tty report
 *
 * Every rule is on (`enable = all`, set through config.c as the command
 * line does), and the script is linted from memory with one thread.  The
 * linter must return 0 (or -ENOMEM), and every finding must have a span
 * inside the input with start <= end, fixes likewise, a registered code
 * with its rule's name, a valid severity (the configured one under bit 6),
 * a non-empty message, and a message and hint of one line without control
 * bytes; the findings must be sorted by position, then code.  Then every
 * finding is rendered in every format of report.c into a buffer: gcc must
 * give exactly one line per finding; tty three or four per finding plus
 * the footer, with a snippet of bounded size however long the line; json
 * and sarif must parse with jansson and say what the findings say (sarif's
 * rules, the same for every input, only on the first run); diff must be a
 * unified diff whose old side is the input and whose new side is the input
 * with the fixes applied, each finding's all or none; quiet must print nothing.
 * A script of 20,000 lines or more (where lint.c runs the rules on two threads)
 * is linted again with jobs = 2 and must give the same findings.  Any failure
 * aborts, which libFuzzer reports as a crash.
 *
 * Built with -fsanitize=fuzzer (the fuzz_lint target, -DIPXEKIT_FUZZ=ON),
 * or with replay_main.c as an ordinary program that replays saved inputs.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "escape.h"
#include "lint.h"
#include "report.h"
#include "rules.h"
#include "source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
    OPT_PLATFORM = 3u << 0,
    OPT_TEMPLATE = 1u << 2,
    OPT_HTTPS = 1u << 3,
    OPT_HOSTS = 1u << 4,
    OPT_VARS = 1u << 5,
    OPT_SEVERITY = 1u << 6,
    OPT_COLOR = 1u << 7,
};

/* Where lint.c starts running the rules on two threads (PARALLEL_MIN_LINES):
 * a script with fewer physical lines cannot have that many logical ones. */
#define PARALLEL_MIN_LINES 20000

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_lint: %s\n%s%s", what, detail ? detail : "",
            detail ? "\n" : "");
    abort();
}

static void failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void failf(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "fuzz_lint: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

static void apply(struct lint_config *c, const char *key, const char *value)
{
    struct buf err;

    buf_init(&err, 4096);
    if (lint_config_apply(c, key, value, &err) != 0)
        failf("lint_config_apply(%s, %s) failed: %s", key, value, err.data);
    buf_release(&err);
}

/* The configuration the option byte asks for. */
static int configure(struct lint_config *c, unsigned opts)
{
    static const char *const platforms[] = {"any", "efi", "pcbios", "any"};
    static const char *const sevs[] = {"error", "warning", "info", "style"};
    size_t i, n = lint_rule_count();
    int rc = lint_config_init(c);

    if (rc)
        return rc;
    apply(c, "enable", "all");
    apply(c, "jobs", "1");
    apply(c, "platform", platforms[opts & OPT_PLATFORM]);
    if (opts & OPT_HTTPS)
        apply(c, "require-https", "true");
    if (opts & OPT_HOSTS)
        apply(c, "allowed-hosts", "boot.example.com, *.cdn.example.com");
    if (opts & OPT_VARS)
        apply(c, "external-vars", "menu,base-url");
    for (i = 0; (opts & OPT_SEVERITY) && i < n; i++) {
        const struct lint_rule *r = lint_rule_at(i);
        char key[64];

        snprintf(key, sizeof(key), "severity.%s", i % 2 ? r->code : r->name);
        apply(c, key, sevs[(r->sev + 1 + i % 3) % 4]);
    }
    return 0;
}

static bool is_code(const char *s)
{
    size_t i;

    if (!s || strncmp(s, "IPX", 3) != 0)
        return false;
    for (i = 3; i < 7; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return s[7] == '\0';
}

/* One line of printable text: no byte below 0x20, no DEL. */
static bool one_line(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    }
    return true;
}

/* Every finding on its own. */
static void check_findings(const struct diag_list *d, size_t size,
                           const struct lint_config *c, unsigned opts)
{
    size_t i, k;

    for (i = 0; i < d->len; i++) {
        const struct diag *dg = &d->items[i];
        const struct lint_rule *r;

        if (dg->span.start > dg->span.end || dg->span.end > size)
            failf("finding %zu [%s]: span %u-%u outside the %zu-byte input", i,
                  dg->code ? dg->code : "?", dg->span.start, dg->span.end,
                  size);
        if (!is_code(dg->code))
            failf("finding %zu: bad code '%s'", i, dg->code ? dg->code : "");
        r = lint_rule_find(dg->code);
        if (!r)
            failf("finding %zu: code %s is no rule", i, dg->code);
        if (!dg->name || strcmp(dg->name, r->name) != 0)
            failf("finding %zu [%s]: name '%s', the rule's is '%s'", i,
                  dg->code, dg->name ? dg->name : "", r->name);
        if ((unsigned)dg->sev > DIAG_STYLE)
            failf("finding %zu [%s]: severity %d", i, dg->code, (int)dg->sev);
        if ((opts & OPT_SEVERITY) &&
            dg->sev != c->lint.rules[lint_rule_index(r)].sev)
            failf("finding %zu [%s]: severity %s, configured %s", i, dg->code,
                  diag_severity_name(dg->sev),
                  diag_severity_name(c->lint.rules[lint_rule_index(r)].sev));
        if (!dg->msg || !dg->msg[0])
            failf("finding %zu [%s]: empty message", i, dg->code);
        if (!one_line(dg->msg))
            failf("finding %zu [%s]: a control byte in the message: %s", i,
                  dg->code, dg->msg);
        if (dg->hint && !one_line(dg->hint))
            failf("finding %zu [%s]: a control byte in the hint: %s", i,
                  dg->code, dg->hint);
        if (dg->nfixes && !dg->fixes)
            failf("finding %zu [%s]: fixes missing", i, dg->code);
        for (k = 0; k < dg->nfixes; k++) {
            const struct diag_fix *f = &dg->fixes[k];
            if (f->span.start > f->span.end || f->span.end > size || !f->text)
                failf("finding %zu [%s]: fix %zu at %u-%u outside the "
                      "%zu-byte input",
                      i, dg->code, k, f->span.start, f->span.end, size);
        }
        if (i && (d->items[i - 1].span.start > dg->span.start ||
                  (d->items[i - 1].span.start == dg->span.start &&
                   strcmp(d->items[i - 1].code, dg->code) > 0)))
            failf("findings %zu [%s] and %zu [%s] are out of order", i - 1,
                  d->items[i - 1].code, i, dg->code);
    }
}

/* Two lint runs (one and two threads) must give the same findings. */
static void check_same(const struct diag_list *a, const struct diag_list *b)
{
    size_t i, k;

    if (a->len != b->len)
        failf("jobs 2 gives %zu findings, jobs 1 gives %zu", b->len, a->len);
    for (i = 0; i < a->len; i++) {
        const struct diag *x = &a->items[i], *y = &b->items[i];
        bool same =
            x->sev == y->sev && !strcmp(x->code, y->code) &&
            x->span.start == y->span.start && x->span.end == y->span.end &&
            !strcmp(x->msg, y->msg) && !x->hint == !y->hint &&
            (!x->hint || !strcmp(x->hint, y->hint)) && x->nfixes == y->nfixes;
        for (k = 0; same && k < x->nfixes; k++)
            same = x->fixes[k].span.start == y->fixes[k].span.start &&
                   x->fixes[k].span.end == y->fixes[k].span.end &&
                   !strcmp(x->fixes[k].text, y->fixes[k].text);
        if (!same)
            failf("finding %zu differs with jobs 2: [%s] %s / [%s] %s", i,
                  x->code, x->msg, y->code, y->msg);
    }
}

/* ---- the reports ---- */

static void render(enum report_format fmt, bool color, const char *name,
                   struct source *src, const struct diag_list *d,
                   struct buf *out)
{
    struct report r;

    if (report_init(&r, fmt, color) != 0)
        fail("report_init failed", NULL);
    if (report_file(&r, name, src, d, DIAG_STYLE, out) != 0)
        failf("report_file failed in format %d", (int)fmt);
    if (report_finish(&r, out) != 0)
        failf("report_finish failed in format %d", (int)fmt);
    report_release(&r);
}

static size_t count_lines(const struct buf *b)
{
    size_t n = 0, i;

    for (i = 0; i < b->len; i++)
        n += b->data[i] == '\n';
    return n;
}

static void check_gcc(const char *name, struct source *src,
                      const struct diag_list *d)
{
    struct buf out;
    const char *p;
    size_t i;

    buf_init(&out, BUF_MAX_UNLIMITED);
    render(REPORT_GCC, false, name, src, d, &out);
    if (count_lines(&out) != d->len ||
        (out.len && out.data[out.len - 1] != '\n'))
        failf("gcc: %zu lines for %zu findings", count_lines(&out), d->len);
    for (i = 0, p = out.data; i < d->len; i++) {
        struct position pos = source_position(src, d->items[i].span.start);
        const char *eol = strchr(p, '\n');
        char head[128], tail[32];
        size_t hl, tl;

        snprintf(head, sizeof(head), "%s:%u:%u: ", name, pos.line, pos.column);
        snprintf(tail, sizeof(tail), " [%s]", d->items[i].code);
        hl = strlen(head);
        tl = strlen(tail);
        if (!eol || strncmp(p, head, hl) != 0 || (size_t)(eol - p) < hl + tl ||
            memcmp(eol - tl, tail, tl) != 0)
            failf("gcc: line %zu is not '%s...%s'", i + 1, head, tail);
        p = eol + 1;
    }
    buf_release(&out);
}

/* The most a finding's source snippet (its line and the caret line under
 * it) may take: report.c shows a window of a long line, never all of it,
 * so that many findings on one long line cannot print the line each time. */
#define TTY_SNIPPET_MAX 1024

static void check_tty(const char *name, struct source *src,
                      const struct diag_list *d, bool color)
{
    struct buf out;
    size_t want = 0, codes = 0, i, k, max = 256;
    unsigned prev_line = 0;

    /* per finding: its header, its caret line and its hint; per line of
     * findings: the source line once, or once per finding when the line is
     * too long to show whole (report.c's SNIPPET_MAX, 160 bytes) */
    for (i = 0; i < d->len; i++) {
        const struct diag *dg = &d->items[i];
        unsigned line = source_position(src, dg->span.start).line;
        size_t len;
        const char *text = source_line(src, dg->span.start, &len);

        if (len && text[len - 1] == '\r')
            len--;
        max += strlen(name) + strlen(dg->msg) + TTY_SNIPPET_MAX + 64 +
               (dg->hint ? strlen(dg->hint) : 0) + 96; /* colours, footer */
        want += dg->hint ? 3 : 2;
        if (len > 160 || i == 0 || line != prev_line)
            want++;
        prev_line = line;
        for (k = 0; k < i && strcmp(d->items[k].code, d->items[i].code); k++)
            ;
        codes += k == i;
    }
    if (codes > 64)
        codes = 64; /* the footer names 64 codes at most (report.h) */
    if (codes)
        want += codes + 1;
    want += 2; /* the summary, after a blank line */
    buf_init(&out, BUF_MAX_UNLIMITED);
    render(REPORT_TTY, color, name, src, d, &out);
    if (count_lines(&out) != want)
        failf("tty: %zu lines, %zu expected", count_lines(&out), want);
    if (out.len > max)
        failf("tty: %zu bytes for %zu findings (%zu at most): a snippet is "
              "out of proportion",
              out.len, d->len, max);
    buf_release(&out);
}

static json_t *load_json(const char *fmt, const struct buf *out)
{
    json_error_t err;
    json_t *doc = json_loadb(out->data, out->len, 0, &err);

    if (!doc)
        failf("%s: not JSON: %s (line %d, column %d)", fmt, err.text, err.line,
              err.column);
    return doc;
}

static int int_at(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_integer(v))
        failf("no integer '%s'", key);
    return (int)json_integer_value(v);
}

static void check_json(const char *name, struct source *src,
                       const struct diag_list *d)
{
    struct buf out;
    json_t *doc, *findings;
    size_t i, k;

    buf_init(&out, BUF_MAX_UNLIMITED);
    render(REPORT_JSON, false, name, src, d, &out);
    doc = load_json("json", &out);
    findings = json_object_get(doc, "findings");
    if (!json_is_array(findings) || json_array_size(findings) != d->len)
        failf("json: findings is not an array of %zu", d->len);
    for (i = 0; i < d->len; i++) {
        const struct diag *dg = &d->items[i];
        json_t *f = json_array_get(findings, i), *fix;
        struct position a = source_position(src, dg->span.start);
        struct position b = source_position(src, dg->span.end);

        if (int_at(f, "line") != (int)a.line ||
            int_at(f, "column") != (int)a.column ||
            int_at(f, "endLine") != (int)b.line ||
            int_at(f, "endColumn") != (int)b.column)
            failf("json: finding %zu [%s] is not at %u:%u-%u:%u", i, dg->code,
                  a.line, a.column, b.line, b.column);
        if (!json_is_string(json_object_get(f, "file")) ||
            strcmp(json_string_value(json_object_get(f, "file")), name) ||
            !json_is_string(json_object_get(f, "code")) ||
            strcmp(json_string_value(json_object_get(f, "code")), dg->code) ||
            !json_is_string(json_object_get(f, "severity")) ||
            strcmp(json_string_value(json_object_get(f, "severity")),
                   diag_severity_name(dg->sev)) ||
            !json_is_string(json_object_get(f, "name")) ||
            !json_is_string(json_object_get(f, "message")) ||
            !json_string_length(json_object_get(f, "message")))
            failf("json: finding %zu [%s] has a wrong field", i, dg->code);
        fix = json_object_get(f, "fix");
        if (dg->nfixes
                ? !json_is_array(fix) || json_array_size(fix) != dg->nfixes
                : !json_is_null(fix))
            failf("json: finding %zu [%s]: fix is not %zu fixes", i, dg->code,
                  dg->nfixes);
        for (k = 0; k < dg->nfixes; k++) {
            json_t *x = json_array_get(fix, k);
            if (int_at(x, "start") != (int)dg->fixes[k].span.start ||
                int_at(x, "end") != (int)dg->fixes[k].span.end ||
                !json_is_string(json_object_get(x, "text")))
                failf("json: finding %zu [%s]: fix %zu is wrong", i, dg->code,
                      k);
        }
    }
    json_decref(doc);
    buf_release(&out);
}

/* The SARIF document's rules (every rule with its whole page) do not depend
 * on the input, and writing and reading them back costs more than all the
 * rest of a run: the whole document is checked on the first run only, then
 * the results array that report_file() built, as report_finish() would
 * embed it. */
static bool sarif_checked_whole;

static void check_sarif(const char *name, struct source *src,
                        const struct diag_list *d)
{
    struct report r;
    struct buf out;
    json_t *doc, *results;
    size_t i;

    buf_init(&out, BUF_MAX_UNLIMITED);
    if (report_init(&r, REPORT_SARIF, false) != 0)
        fail("report_init failed", NULL);
    if (report_file(&r, name, src, d, DIAG_STYLE, &out) != 0 || out.len)
        fail("report_file failed in format sarif", NULL);
    if (!sarif_checked_whole) {
        json_t *run, *rules;

        if (report_finish(&r, &out) != 0)
            fail("report_finish failed in format sarif", NULL);
        doc = load_json("sarif", &out);
        run = json_array_get(json_object_get(doc, "runs"), 0);
        rules = json_object_get(
            json_object_get(json_object_get(run, "tool"), "driver"), "rules");
        if (!json_is_string(json_object_get(doc, "version")) ||
            strcmp(json_string_value(json_object_get(doc, "version")),
                   "2.1.0") ||
            !json_is_array(rules) ||
            json_array_size(rules) != lint_rule_count())
            fail("sarif: not a SARIF 2.1.0 run with every rule", NULL);
        results = json_object_get(run, "results");
        sarif_checked_whole = true;
    } else {
        /* the results array's members as report_finish() embeds them */
        if (buf_addch(&out, '[') || buf_add(&out, r.body.data, r.body.len) ||
            buf_addch(&out, ']'))
            fail("sarif: the results cannot be written", NULL);
        doc = results = load_json("sarif", &out);
    }
    if (!json_is_array(results) || json_array_size(results) != d->len)
        failf("sarif: results is not an array of %zu", d->len);
    for (i = 0; i < d->len; i++) {
        json_t *res = json_array_get(results, i);
        json_t *loc = json_object_get(
            json_array_get(json_object_get(res, "locations"), 0),
            "physicalLocation");
        json_t *reg = json_object_get(loc, "region");
        json_t *id = json_object_get(res, "ruleId");
        int sl = int_at(reg, "startLine"), sc = int_at(reg, "startColumn");
        int el = int_at(reg, "endLine"), ec = int_at(reg, "endColumn");

        if (!json_is_string(id) ||
            strcmp(json_string_value(id), d->items[i].code) != 0)
            failf("sarif: result %zu is not %s", i, d->items[i].code);
        if (sl < 1 || sc < 1 || el < sl || (el == sl && ec <= sc))
            failf("sarif: result %zu [%s]: region %d:%d-%d:%d", i,
                  d->items[i].code, sl, sc, el, ec);
        if (!json_is_string(json_object_get(
                json_object_get(loc, "artifactLocation"), "uri")) ||
            !json_is_string(
                json_object_get(json_object_get(res, "message"), "text")))
            failf("sarif: result %zu has no uri or no message", i);
    }
    json_decref(doc);
    report_release(&r);
    buf_release(&out);
}

/* A fix and the finding it belongs to. */
struct fix_ref {
    const struct diag_fix *fix;
    size_t finding;
    size_t order; /* among all the fixes, finding by finding */
};

static int fix_cmp(const void *a, const void *b)
{
    const struct fix_ref *x = a, *y = b;

    if (x->fix->span.start != y->fix->span.start)
        return x->fix->span.start < y->fix->span.start ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order; /* stable */
}

/* The input with the fixes applied as the diff format promises: by start,
 * a finding's fixes all or none, and a finding with a fix that overlaps
 * one taken before it left out whole (for the next run).  Returns how many
 * fixes were applied. */
static size_t apply_fixes(struct source *src, const struct diag_list *d,
                          struct buf *fixed)
{
    struct fix_ref *all;
    bool *dropped;
    size_t n = 0, i, k, at = 0, applied = 0;

    for (i = 0; i < d->len; i++)
        n += d->items[i].nfixes;
    if (!n)
        return 0;
    all = malloc(n * sizeof(*all));
    dropped = calloc(d->len, sizeof(*dropped));
    if (!all || !dropped)
        fail("out of memory", NULL);
    for (i = 0, n = 0; i < d->len; i++) {
        for (k = 0; k < d->items[i].nfixes; k++, n++) {
            all[n].fix = &d->items[i].fixes[k];
            all[n].finding = i;
            all[n].order = n;
        }
    }
    qsort(all, n, sizeof(*all), fix_cmp);
    for (i = 0; i < n; i++) {
        if (dropped[all[i].finding])
            continue;
        if (all[i].fix->span.start < at)
            dropped[all[i].finding] = true;
        else
            at = all[i].fix->span.end;
    }
    for (i = 0, at = 0; i < n; i++) {
        const struct diag_fix *f = all[i].fix;
        if (dropped[all[i].finding])
            continue;
        if (f->span.start < at)
            fail("diff: the fixes kept overlap", NULL);
        buf_add(fixed, src->data + at, f->span.start - at);
        buf_adds(fixed, f->text);
        at = f->span.end;
        applied++;
    }
    buf_add(fixed, src->data + at, src->len - at);
    free(dropped);
    free(all);
    return applied;
}

/* The next line of @p b from @p *at (its '\n' included), or NULL. */
static const char *next_line(const struct buf *b, size_t *at, size_t *len)
{
    const char *p = b->data + *at, *eol;

    if (*at >= b->len)
        return NULL;
    eol = memchr(p, '\n', b->len - *at);
    *len = eol ? (size_t)(eol + 1 - p) : b->len - *at;
    *at += *len;
    return p;
}

/* Read a hunk header "@@ -A[,N] +B[,M] @@" as diff(1) writes it (a
 * count of 1 is left out).  Returns false if @p p is not one. */
static bool hunk_header(const char *p, size_t *a_from, size_t *a_n,
                        size_t *b_from, size_t *b_n)
{
    char *end;

    if (strncmp(p, "@@ -", 4) != 0)
        return false;
    *a_from = strtoul(p + 4, &end, 10);
    *a_n = *end == ',' ? strtoul(end + 1, &end, 10) : 1;
    if (strncmp(end, " +", 2) != 0)
        return false;
    *b_from = strtoul(end + 2, &end, 10);
    *b_n = *end == ',' ? strtoul(end + 1, &end, 10) : 1;
    return strncmp(end, " @@\n", 4) == 0;
}

/* Lines (newlines) in [p, p + len). */
static size_t newlines_in(const char *p, size_t len)
{
    size_t n = 0, i;

    for (i = 0; i < len; i++)
        n += p[i] == '\n';
    return n;
}

/* Check the diff: hunks, in order and apart, that `git apply` takes to
 * turn the input into the input with its fixes applied. */
static void check_diff(const char *name, struct source *src,
                       const struct diag_list *d)
{
    struct buf out, fixed, old, new, result;
    size_t at = 0, len, a_from, a_n, b_from, b_n, olines, nlines, want;
    size_t line = 1, off = 0, copied = 0;
    char head[256];
    const char *p;
    char tag;

    buf_init(&out, BUF_MAX_UNLIMITED);
    buf_init(&fixed, BUF_MAX_UNLIMITED);
    render(REPORT_DIFF, false, name, src, d, &out);
    if (!apply_fixes(src, d, &fixed)) {
        if (out.len)
            fail("diff: a diff without any fix", out.data);
        buf_release(&fixed);
        buf_release(&out);
        return;
    }
    snprintf(head, sizeof(head), "--- a/%s\n+++ b/%s\n", name, name);
    if (strncmp(out.data, head, strlen(head)) != 0)
        fail("diff: no '--- a/ +++ b/' header", out.data);
    at = strlen(head);
    buf_init(&old, BUF_MAX_UNLIMITED);
    buf_init(&new, BUF_MAX_UNLIMITED);
    buf_init(&result, BUF_MAX_UNLIMITED);
    p = next_line(&out, &at, &len);
    if (!p)
        fail("diff: no hunk header", out.data);
    while (p) {
        if (!hunk_header(p, &a_from, &a_n, &b_from, &b_n))
            fail("diff: no hunk header", out.data);
        buf_truncate(&old, 0);
        buf_truncate(&new, 0);
        olines = nlines = 0;
        tag = 0;
        while ((p = next_line(&out, &at, &len)) != NULL && p[0] != '@') {
            if (p[0] == '\\') {
                /* "\ No newline at end of file": the line before had none */
                struct buf *side = tag == '+' ? &new : &old;
                if (len != sizeof("\\ No newline at end of file\n") - 1 ||
                    memcmp(p, "\\ No newline at end of file\n", len) != 0 ||
                    !tag || side->len == 0 || side->data[side->len - 1] != '\n')
                    fail("diff: a misplaced '\\' line", out.data);
                buf_truncate(side, side->len - 1);
                if (tag == ' ')
                    buf_truncate(&new, new.len - 1);
                tag = 0;
                continue;
            }
            if ((p[0] != ' ' && p[0] != '-' && p[0] != '+') ||
                p[len - 1] != '\n')
                fail("diff: a line that is not ' ', '-' or '+'", out.data);
            tag = p[0];
            if (tag != '+') {
                buf_add(&old, p + 1, len - 1);
                olines++;
            }
            if (tag != '-') {
                buf_add(&new, p + 1, len - 1);
                nlines++;
            }
        }
        if (olines != a_n || nlines != b_n)
            failf("diff: the hunk says -%zu +%zu, it has -%zu +%zu", a_n, b_n,
                  olines, nlines);
        /* the old side is the input's lines from a_from on, after the
         * previous hunk */
        want = a_n ? a_from : a_from + 1;
        if (want < line)
            failf("diff: a hunk at -%zu overlaps the one before", a_from);
        for (; off < src->len && line < want; off++) {
            if (src->data[off] == '\n')
                line++;
        }
        if (line != want || off + old.len > src->len ||
            memcmp(src->data + off, old.data, old.len) != 0)
            fail("diff: the old side is not the input", out.data);
        /* the new side starts where the old one does, in the fixed text */
        buf_add(&result, src->data + copied, off - copied);
        if (b_n && newlines_in(result.data, result.len) + 1 != b_from)
            failf("diff: the hunk starts at +%zu, not where -%zu lands", b_from,
                  a_from);
        buf_add(&result, new.data, new.len);
        off += old.len;
        line += newlines_in(old.data, old.len);
        copied = off;
    }
    /* and the hunks, put in their places, give the fixed input */
    buf_add(&result, src->data + copied, src->len - copied);
    if (result.len != fixed.len ||
        memcmp(result.data, fixed.data, fixed.len) != 0)
        fail("diff: applying it does not give the fixed input", out.data);
    buf_release(&result);
    buf_release(&new);
    buf_release(&old);
    buf_release(&fixed);
    buf_release(&out);
}

/* quiet prints nothing at all. */
/* The CI formats (report_ci.c): codeclimate is a JSON array of one issue
 * per finding with a check_name, a line and a 16-digit fingerprint;
 * checkstyle has one <error> per finding and no byte that XML 1.0 cannot
 * hold (control bytes but newline, invalid UTF-8). */
static void check_ci_formats(const char *name, struct source *src,
                             const struct diag_list *d)
{
    struct buf out;
    json_t *doc;
    const char *p;
    size_t i, n, errors = 0;

    buf_init(&out, BUF_MAX_UNLIMITED);
    render(REPORT_CODECLIMATE, false, name, src, d, &out);
    doc = load_json("codeclimate", &out);
    if (!json_is_array(doc) || json_array_size(doc) != d->len)
        failf("codeclimate: not an array of %zu issues", d->len);
    for (i = 0; i < d->len; i++) {
        json_t *issue = json_array_get(doc, i);
        json_t *fp = json_object_get(issue, "fingerprint");
        json_t *cn = json_object_get(issue, "check_name");
        struct position a = source_position(src, d->items[i].span.start);

        if (!json_is_string(cn) ||
            strcmp(json_string_value(cn), d->items[i].code) != 0 ||
            !json_is_string(fp) || json_string_length(fp) != 16 ||
            int_at(json_object_get(json_object_get(issue, "location"), "lines"),
                   "begin") != (int)a.line)
            failf("codeclimate: issue %zu [%s] is wrong", i, d->items[i].code);
    }
    json_decref(doc);
    buf_truncate(&out, 0);

    render(REPORT_CHECKSTYLE, false, name, src, d, &out);
    for (i = 0; i < out.len; i += n) {
        unsigned char c = (unsigned char)out.data[i];
        n = escape_utf8_seq((const unsigned char *)out.data + i, out.len - i);
        if (!n || (c < 0x20 && c != '\n') || c == 0x7f)
            failf("checkstyle: byte 0x%02x at %zu is not XML 1.0", c, i);
    }
    for (p = out.data; (p = strstr(p, "<error ")) != NULL; p++)
        errors++;
    if (errors != d->len)
        failf("checkstyle: %zu <error> for %zu findings", errors, d->len);
    buf_release(&out);
}

static void check_quiet(const char *name, struct source *src,
                        const struct diag_list *d)
{
    struct buf out;

    buf_init(&out, BUF_MAX_UNLIMITED);
    render(REPORT_QUIET, false, name, src, d, &out);
    if (out.len)
        fail("quiet: printed something", out.data);
    buf_release(&out);
}

/* Whether @p size bytes hold enough lines for lint.c to use two threads. */
static bool big_enough_for_jobs(const uint8_t *data, size_t size)
{
    size_t n = 0, i;

    for (i = 0; i < size && n < PARALLEL_MIN_LINES; i++)
        n += data[i] == '\n';
    return n + 1 >= PARALLEL_MIN_LINES;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lint_config cfg;
    struct source src;
    struct arena a;
    struct diag_list d;
    unsigned opts;
    const char *name;
    int rc;

    if (size < 1)
        return 0;
    opts = data[0];
    data++;
    size--;
    name = opts & OPT_TEMPLATE ? "fuzz.ipxe.j2" : "fuzz.ipxe";
    if (configure(&cfg, opts) != 0)
        return 0; /* out of memory (libFuzzer's -rss_limit_mb) */
    if (source_init_mem(&src, name, (const char *)data, size) != 0) {
        lint_config_release(&cfg);
        return 0;
    }
    arena_init(&a);
    diag_list_init(&d, &a);
    rc = lint_source(&src, &cfg.lint, &a, &d, NULL);
    if (rc == -ENOMEM)
        goto out;
    if (rc)
        failf("lint_source failed: %d", rc);
    check_findings(&d, size, &cfg, opts);

    if (big_enough_for_jobs(data, size)) {
        struct arena a2;
        struct diag_list d2;

        arena_init(&a2);
        diag_list_init(&d2, &a2);
        apply(&cfg, "jobs", "2");
        rc = lint_source(&src, &cfg.lint, &a2, &d2, NULL);
        if (rc && rc != -ENOMEM)
            failf("lint_source with jobs 2 failed: %d", rc);
        if (!rc)
            check_same(&d, &d2);
        diag_list_release(&d2);
        arena_release(&a2);
    }

    check_gcc(name, &src, &d);
    check_tty(name, &src, &d, (opts & OPT_COLOR) != 0);
    check_json(name, &src, &d);
    check_sarif(name, &src, &d);
    check_ci_formats(name, &src, &d);
    check_diff(name, &src, &d);
    check_quiet(name, &src, &d);
out:
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
    lint_config_release(&cfg);
    return 0;
}
