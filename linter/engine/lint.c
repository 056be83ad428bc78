/* SPDX-License-Identifier: MIT */
/** @file The lint engine: one walk over the tree, the shared analyses
 *  (commands, labels, control flow, settings, directives), then the rules. */
#include "lint.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "cmdparse.h"
#include "cmdtable.h"
#include "diag.h"
#include "nameset.h"
#include "parse.h"
#include "rules.h"
#include "settings_table.h"
#include "source.h"

/* Rules a directive turns off for one line. */
struct line_disable {
    uint32_t line;      /**< logical line index */
    uint8_t *rules;     /**< one byte per rule: 1 = off */
};

struct lint_ctx {
    struct source *src;
    const struct ast_script *script;
    struct arena *arena;
    struct diag_list *diags;
    const struct lint_options *opts;
    size_t nrules;                  /**< rules in the registry */
    struct lint_line *lines;        /**< one per logical line (arena) */
    size_t nlines;
    struct lint_label *labels;      /**< in file order (malloc) */
    size_t nlabels, labels_cap;
    struct nameset label_index;     /**< first label of each name */
    struct nameset settings;        /**< settings stored by the script */
    struct nameset ext_vars;        /**< declared external settings */
    struct nameset ext_labels;      /**< declared external labels */
    struct nameset items;           /**< names of menu/form items */
    bool has_present;               /**< a form is presented: its items
                                         are settings */
    bool dynamic_goto;              /**< some goto target is an expansion */
    bool subscript;                 /**< `# ipxe-lint subscript` */
    enum lint_platform platform;    /**< in force for this file */
    uint8_t *file_off;              /**< per rule: off for the whole file */
    struct line_disable *line_off;  /**< per line directives (malloc) */
    size_t nline_off, line_off_cap;
    struct memo {
        const void *key;            /**< what the family asked for */
        void *value;                /**< what compute() gave */
    } *memo;                        /**< lint_memo()'s results (malloc) */
    size_t nmemo, memo_cap;
    bool oom;                       /**< memory ran out */
};

/* The directive rule: it belongs to no family's allocation range but the
 * engine's, because the engine reads directives. */
static const struct lint_rule bad_directive = {
    "IPX1020", "bad-directive", DIAG_WARNING,
    "an '# ipxe-lint' directive that is not understood", NULL, NULL, NULL,
};

/* The parser reports broken template tags itself (parser/lexer.re); the
 * rule is registered here so it can be listed, explained and disabled. */
static const struct lint_rule template_syntax = {
    "IPX4001", "template-syntax", DIAG_ERROR,
    "a template tag that is never closed", NULL, NULL, NULL,
};

const struct lint_rule *const lint_rules_engine[] = {
    &bad_directive, &template_syntax, NULL,
};

/* Drop the parser's findings when their rule is turned off, and give them
 * the configured severity. */
static void parse_findings_configure(const struct lint_options *opts,
                                     struct diag_list *d, size_t from)
{
    size_t idx = lint_rule_index(&template_syntax), i, n = from;
    const struct lint_rule_setting *set =
        opts->rules ? &opts->rules[idx] : NULL;

    if (!set)
        return;
    for (i = from; i < d->len; i++) {
        if (strcmp(d->items[i].code, template_syntax.code) != 0) {
            d->items[n++] = d->items[i];
            continue;
        }
        if (!set->enabled)
            continue;
        d->items[i].sev = set->sev;
        d->items[n++] = d->items[i];
    }
    d->len = n;
}

/* ---- small helpers ---- */

static void *ctx_zalloc(struct lint_ctx *ctx, size_t size)
{
    void *p = arena_zalloc(ctx->arena, size);

    if (!p)
        ctx->oom = true;
    return p;
}

/* Add every name of a comma-separated list. */
static void nameset_add_list(struct lint_ctx *ctx, struct nameset *set,
                             const char *list, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t j = i;
        while (j < len && list[j] != ',')
            j++;
        if (j > i && nameset_add(set, list + i, j - i, 0))
            ctx->oom = true;
        i = j + 1;
    }
}

/* Whether @p needle occurs in the @p len bytes at @p hay. */
static bool contains(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle), i;

    for (i = 0; i + n <= len; i++) {
        if (memcmp(hay + i, needle, n) == 0)
            return true;
    }
    return false;
}

/* ---- queries for the rules (rules.h) ---- */

enum lint_platform lint_platform(const struct lint_ctx *ctx)
{
    return ctx->platform;
}

bool lint_is_subscript(const struct lint_ctx *ctx)
{
    return ctx->subscript;
}

bool lint_is_template(const struct lint_ctx *ctx)
{
    return ctx->script->is_template;
}

const struct ast_script *lint_script(const struct lint_ctx *ctx)
{
    return ctx->script;
}

struct source *lint_source_of(const struct lint_ctx *ctx)
{
    return ctx->src;
}

const struct lint_options *lint_options_of(const struct lint_ctx *ctx)
{
    return ctx->opts;
}

const struct lint_line *lint_lines(const struct lint_ctx *ctx, size_t *n)
{
    *n = ctx->nlines;
    return ctx->lines;
}

const struct lint_label *lint_label_find(const struct lint_ctx *ctx,
                                         const char *name, size_t len)
{
    uint32_t idx;

    if (!nameset_get(&ctx->label_index, name, len, &idx))
        return NULL;
    return &ctx->labels[idx];
}

const struct lint_label *lint_labels(const struct lint_ctx *ctx, size_t *n)
{
    *n = ctx->nlabels;
    return ctx->labels;
}

bool lint_label_is_external(const struct lint_ctx *ctx, const char *name,
                            size_t len)
{
    return nameset_get(&ctx->ext_labels, name, len, NULL);
}

bool lint_has_dynamic_goto(const struct lint_ctx *ctx)
{
    return ctx->dynamic_goto;
}

bool lint_setting_known(const struct lint_ctx *ctx, const char *name,
                        size_t len)
{
    return nameset_get(&ctx->settings, name, len, NULL) ||
           nameset_get(&ctx->ext_vars, name, len, NULL) ||
           settings_predef_find(name, len) != NULL;
}

struct arena *lint_arena(struct lint_ctx *ctx)
{
    return ctx->arena;
}

void *lint_memo(struct lint_ctx *ctx, const void *key,
                void *(*compute)(struct lint_ctx *ctx))
{
    size_t i;
    void *value;

    for (i = 0; i < ctx->nmemo; i++) {
        if (ctx->memo[i].key == key)
            return ctx->memo[i].value;
    }
    value = compute(ctx);
    if (ctx->nmemo == ctx->memo_cap) {
        size_t cap = ctx->memo_cap ? ctx->memo_cap * 2 : 8;
        struct memo *m = realloc(ctx->memo, cap * sizeof(*m));
        if (!m) {
            ctx->oom = true; /* reported as -ENOMEM at the end */
            return value;
        }
        ctx->memo = m;
        ctx->memo_cap = cap;
    }
    ctx->memo[ctx->nmemo].key = key;
    ctx->memo[ctx->nmemo].value = value;
    ctx->nmemo++;
    return value;
}

const char *lint_show(struct lint_ctx *ctx, const char *text, size_t len)
{
    enum { SHOW_MAX = 40 };
    size_t n = utf8_prefix(text, len, SHOW_MAX), i;
    char *out = arena_alloc(ctx->arena, n + 4);

    if (!out)
        return "";
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        out[i] = (char)(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (n < len) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

/* Whether @p len bytes at @p text hold a tag of a template engine the
 * parser does not read: ERB's `<% %>` and Ruby's `#{}` (the corpus has
 * Foreman and Puppet templates).  Such text is only known once rendered. */
bool lint_has_foreign_tag(const char *text, size_t len)
{
    size_t i;

    /* each tag has a '%' or a '#': one test per byte settles most text */
    for (i = 0; i + 1 < len; i++) {
        if (text[i] != '%' && text[i] != '#' && text[i + 1] != '%')
            continue;
        if ((text[i] == '<' && text[i + 1] == '%') ||
            (text[i] == '%' && text[i + 1] == '>') ||
            (text[i] == '#' && text[i + 1] == '{'))
            return true;
    }
    return false;
}

struct diag_list *lint_diags(struct lint_ctx *ctx)
{
    return ctx->diags;
}

unsigned lint_distance(const char *a, size_t alen, const char *b, size_t blen,
                       unsigned max)
{
    /* Levenshtein over two rows; names are short, longer ones are cut. */
    unsigned row[65], prev_diag, tmp;
    size_t i, j;

    if (alen > 64 || blen > 64)
        return max + 1;
    if ((alen > blen ? alen - blen : blen - alen) > max)
        return max + 1;
    for (j = 0; j <= blen; j++)
        row[j] = (unsigned)j;
    for (i = 1; i <= alen; i++) {
        unsigned best;
        prev_diag = row[0];
        row[0] = (unsigned)i;
        best = row[0];
        for (j = 1; j <= blen; j++) {
            unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
            unsigned v = prev_diag + cost;
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            tmp = row[j];
            row[j] = v;
            prev_diag = tmp;
            if (v < best)
                best = v;
        }
        if (best > max)
            return max + 1;
    }
    return row[blen] > max ? max + 1 : row[blen];
}

/* ---- reporting ---- */

static bool rule_is_off(const struct lint_ctx *ctx, size_t idx, uint32_t line)
{
    size_t lo = 0, hi = ctx->nline_off;

    if (ctx->file_off[idx])
        return true;
    /* line_off is sorted by line: find this line's entry */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ctx->line_off[mid].line < line)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ctx->nline_off && ctx->line_off[lo].line == line &&
           ctx->line_off[lo].rules[idx];
}

/* The logical line holding byte @p offset. */
static uint32_t line_of_offset(const struct lint_ctx *ctx, uint32_t offset)
{
    size_t lo = 0, hi = ctx->nlines;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ctx->lines[mid].line->span.start <= offset)
            lo = mid;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

static struct diag *lint_vreport(struct lint_ctx *ctx,
                                 const struct lint_rule *rule,
                                 enum diag_severity sev, struct span span,
                                 const char *fmt, va_list ap)
{
    size_t idx = lint_rule_index(rule);
    struct diag *dg;
    char *msg;
    va_list copy;
    int n;

    if (idx < ctx->nrules) {
        const struct lint_rule_setting *set =
            ctx->opts->rules ? &ctx->opts->rules[idx] : NULL;
        if (set && !set->enabled)
            return NULL;
        if (set && set->sev != rule->sev)
            sev = set->sev; /* a configured severity wins */
        if (ctx->nlines && rule_is_off(ctx, idx, line_of_offset(ctx, span.start)))
            return NULL;
    }
    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    msg = arena_alloc(ctx->arena, (size_t)n + 1);
    if (!msg) {
        ctx->oom = true;
        return NULL;
    }
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    dg = diag_add(ctx->diags, sev, rule->code, rule->name, span, "%s", msg);
    if (!dg)
        ctx->oom = true;
    return dg;
}

struct diag *lint_report(struct lint_ctx *ctx, const struct lint_rule *rule,
                         struct span span, const char *fmt, ...)
{
    struct diag *dg;
    va_list ap;

    va_start(ap, fmt);
    dg = lint_vreport(ctx, rule, rule->sev, span, fmt, ap);
    va_end(ap);
    return dg;
}

struct diag *lint_report_at(struct lint_ctx *ctx, const struct lint_rule *rule,
                            enum diag_severity sev, struct span span,
                            const char *fmt, ...)
{
    struct diag *dg;
    va_list ap;

    va_start(ap, fmt);
    dg = lint_vreport(ctx, rule, sev, span, fmt, ap);
    va_end(ap);
    return dg;
}

/* ---- directives: `# ipxe-lint ...` ---- */

/* The rule named @p len bytes at @p s (code or name), or NULL. */
static const struct lint_rule *rule_named(const char *s, size_t len)
{
    char name[64];

    if (len >= sizeof(name))
        return NULL;
    memcpy(name, s, len);
    name[len] = '\0';
    return lint_rule_find(name);
}

/* Turn off, in @p off (one byte per rule), every rule of a list. */
static void directive_disable(struct lint_ctx *ctx, const struct ast_word *c,
                              const char *list, size_t len, uint8_t *off)
{
    size_t i = 0;

    while (i < len) {
        size_t j = i;
        const struct lint_rule *r;
        while (j < len && list[j] != ',')
            j++;
        r = rule_named(list + i, j - i);
        if (r) {
            off[lint_rule_index(r)] = 1;
        } else if (j > i) {
            lint_report(ctx, &bad_directive, c->span,
                        "unknown rule '%.*s' in directive: nothing was "
                        "disabled for it (see 'ipxe-lint --list-rules')",
                        (int)(j - i), list + i);
        }
        i = j + 1;
    }
}

static uint8_t *line_disable_for(struct lint_ctx *ctx, uint32_t line)
{
    struct line_disable *ld;

    if (ctx->nline_off && ctx->line_off[ctx->nline_off - 1].line == line)
        return ctx->line_off[ctx->nline_off - 1].rules;
    if (ctx->nline_off == ctx->line_off_cap) {
        size_t cap = ctx->line_off_cap ? ctx->line_off_cap * 2 : 8;
        ld = realloc(ctx->line_off, cap * sizeof(*ld));
        if (!ld) {
            ctx->oom = true;
            return NULL;
        }
        ctx->line_off = ld;
        ctx->line_off_cap = cap;
    }
    ld = &ctx->line_off[ctx->nline_off];
    ld->line = line;
    ld->rules = ctx_zalloc(ctx, ctx->nrules ? ctx->nrules : 1);
    if (!ld->rules)
        return NULL;
    ctx->nline_off++;
    return ld->rules;
}

/* Read one directive comment.  @p target is the logical line a `disable`
 * applies to, or UINT32_MAX for the whole file. */
static void directive_read(struct lint_ctx *ctx, const struct ast_word *c,
                           uint32_t target)
{
    const char *p = c->text, *end = c->text + c->len;

    p++; /* '#' */
    while (p < end && ast_is_space((unsigned char)*p))
        p++;
    if ((size_t)(end - p) < 9 || memcmp(p, "ipxe-lint", 9) != 0)
        return;
    p += 9;
    if (p < end && !ast_is_space((unsigned char)*p))
        return; /* "ipxe-linter" and the like are not ours */
    for (;;) {
        const char *w, *eq;
        size_t klen;

        while (p < end && ast_is_space((unsigned char)*p))
            p++;
        if (p >= end || *p == '#')
            break; /* the rest is the reason */
        w = p;
        while (p < end && !ast_is_space((unsigned char)*p))
            p++;
        eq = memchr(w, '=', (size_t)(p - w));
        klen = (size_t)((eq ? eq : p) - w);
#define KEY(k) (klen == sizeof(k) - 1 && memcmp(w, k, klen) == 0)
        if (KEY("disable") && eq) {
            uint8_t *off = target == UINT32_MAX ? ctx->file_off
                                                : line_disable_for(ctx, target);
            if (off)
                directive_disable(ctx, c, eq + 1, (size_t)(p - eq - 1), off);
        } else if (KEY("external-vars") && eq) {
            nameset_add_list(ctx, &ctx->ext_vars, eq + 1, (size_t)(p - eq - 1));
        } else if (KEY("external-labels") && eq) {
            nameset_add_list(ctx, &ctx->ext_labels, eq + 1,
                             (size_t)(p - eq - 1));
        } else if (KEY("platform") && eq) {
            size_t vlen = (size_t)(p - eq - 1);
            if (vlen == 3 && memcmp(eq + 1, "efi", 3) == 0)
                ctx->platform = LINT_PLATFORM_EFI;
            else if (vlen == 6 && memcmp(eq + 1, "pcbios", 6) == 0)
                ctx->platform = LINT_PLATFORM_PCBIOS;
            else if (vlen == 3 && memcmp(eq + 1, "any", 3) == 0)
                ctx->platform = LINT_PLATFORM_ANY;
            else
                lint_report(ctx, &bad_directive, c->span,
                            "unknown platform '%.*s' in directive: use efi, "
                            "pcbios or any", (int)vlen, eq + 1);
        } else if (KEY("subscript") && !eq) {
            ctx->subscript = true;
        } else {
            lint_report(ctx, &bad_directive, c->span,
                        "unknown directive '%.*s': it is ignored (known: "
                        "disable=, external-vars=, external-labels=, "
                        "platform=, subscript)", (int)(p - w), w);
        }
#undef KEY
    }
}

/* Directives before any command apply to the file; a directive on a line
 * of its own applies to the next line with code; one after a command on
 * the same line applies to that line. */
static void directives_scan(struct lint_ctx *ctx)
{
    bool seen_code = false;
    size_t i, pending = 0;
    const struct ast_word *queue[16];

    for (i = 0; i < ctx->nlines; i++) {
        const struct lint_line *ll = &ctx->lines[i];
        const struct ast_word *c = ll->line->comment;
        bool is_directive = c && c->len > 10 &&
                            contains(c->text, c->len, "ipxe-lint");

        if (ll->has_code) {
            size_t k;
            seen_code = true;
            for (k = 0; k < pending; k++)
                directive_read(ctx, queue[k], ll->index);
            pending = 0;
            if (is_directive)
                directive_read(ctx, c, ll->index);
            continue;
        }
        if (!is_directive)
            continue;
        if (!seen_code)
            directive_read(ctx, c, UINT32_MAX);
        else if (pending < sizeof(queue) / sizeof(queue[0]))
            queue[pending++] = c;
    }
}

/* ---- the walk: commands, labels, settings ---- */

/* In a template, words that are only `{% %}`/`{# #}` tags vanish when it is
 * rendered: lint the segment without them. */
static const struct ast_segment *segment_without_control(struct lint_ctx *ctx,
                                                         const struct ast_segment *seg)
{
    struct ast_segment *copy;
    uint32_t i, n = 0;

    for (i = 0; i < seg->argc; i++) {
        if (seg->argv[i]->flags & AST_W_CONTROL)
            break;
    }
    if (i == seg->argc)
        return seg;
    copy = ctx_zalloc(ctx, sizeof(*copy));
    if (!copy)
        return seg;
    *copy = *seg;
    copy->argv = ctx_zalloc(ctx, seg->argc * sizeof(*copy->argv));
    if (!copy->argv)
        return seg;
    for (i = 0; i < seg->argc; i++) {
        if (!(seg->argv[i]->flags & AST_W_CONTROL))
            copy->argv[n++] = seg->argv[i];
    }
    copy->argc = n;
    return copy;
}

/* Commands whose first positional argument names a setting they store. */
static bool cmd_stores_setting(enum cmd_id id)
{
    switch (id) {
    case CMD_ID_CHOOSE: case CMD_ID_CLEAR: case CMD_ID_IMGSET: case CMD_ID_INC:
    case CMD_ID_NSLOOKUP: case CMD_ID_PCISCAN: case CMD_ID_READ:
    case CMD_ID_SET: case CMD_ID_USBSCAN:
        return true;
    default:
        return false;
    }
}

/* The digest commands: `md5sum --set x` and the like store the digest. */
static bool cmd_is_digest(enum cmd_id id)
{
    switch (id) {
    case CMD_ID_MD4SUM: case CMD_ID_MD5SUM: case CMD_ID_SHA1SUM:
    case CMD_ID_SHA224SUM: case CMD_ID_SHA256SUM: case CMD_ID_SHA384SUM:
    case CMD_ID_SHA512SUM:
        return true;
    default:
        return false;
    }
}

/* Remember the setting a word names (`[scope/]name[:type]`) as stored. */
static void note_setting(struct lint_ctx *ctx, const char *text, size_t len,
                         bool is_static)
{
    const char *slash, *colon;

    if (!is_static) {
        /* `set ${prefix}x`: any name may be stored, say yes to all */
        nameset_add(&ctx->ext_vars, "*", 1, 0);
        return;
    }
    slash = memchr(text, '/', len);
    if (slash) {
        len -= (size_t)(slash + 1 - text);
        text = slash + 1;
    }
    colon = memchr(text, ':', len);
    if (colon)
        len = (size_t)(colon - text);
    if (len && nameset_add(&ctx->settings, text, len, 0))
        ctx->oom = true;
}

static void label_add(struct lint_ctx *ctx, const struct ast_word *w,
                      uint32_t line)
{
    struct lint_label *l;

    if (ctx->nlabels == ctx->labels_cap) {
        size_t cap = ctx->labels_cap ? ctx->labels_cap * 2 : 32;
        l = realloc(ctx->labels, cap * sizeof(*l));
        if (!l) {
            ctx->oom = true;
            return;
        }
        ctx->labels = l;
        ctx->labels_cap = cap;
    }
    l = &ctx->labels[ctx->nlabels];
    l->word = w;
    l->line = line;
    l->used = false;
    if (nameset_put(&ctx->label_index, w->text, w->len,
                    (uint32_t)ctx->nlabels, &l->first))
        ctx->oom = true;
    ctx->nlabels++;
}

static int walk_line(struct lint_ctx *ctx, struct lint_line *ll)
{
    const struct ast_line *line = ll->line;
    const struct ast_segment *seg;
    const struct ast_word *op = NULL;
    enum cmd_id id;
    uint32_t n = 0, i;

    if (line->flags & AST_L_ERROR)
        return 0;
    for (seg = line->segs; seg; seg = seg->next)
        n++;
    ll->cmds = ctx_zalloc(ctx, n * sizeof(*ll->cmds));
    if (!ll->cmds)
        return -ENOMEM;
    ll->ncmds = n;
    ll->has_code = line->label != NULL;
    if (line->label)
        label_add(ctx, line->label, ll->index);
    for (seg = line->segs, i = 0; seg; seg = seg->next, i++) {
        struct lint_cmd *cmd = &ll->cmds[i];
        const struct cmd_call *call = &cmd->call;

        cmd->seg = ctx->script->is_template ? segment_without_control(ctx, seg)
                                            : seg;
        cmd->ll = ll;
        cmd->index = i;
        if (cmd->seg != seg)
            ll->has_control = true; /* words were dropped: control tags */
        cmd->op_before = op;
        op = seg->op;
        if (cmdparse(cmd->seg, ctx->arena, &cmd->call))
            return -ENOMEM;
        if (cmd->seg->argc)
            ll->has_code = true;
        if (!call->def || call->dynamic)
            continue;
        id = call->def->id;
        if (call->nargs && cmd_stores_setting(id)) {
            const struct ast_word *w = cmd->seg->argv[call->first_arg];
            note_setting(ctx, w->text, w->len, ast_word_is_static(w));
        }
        if (id == CMD_ID_GOTO && call->nargs) {
            if (!ast_word_is_static(cmd->seg->argv[call->first_arg]))
                ctx->dynamic_goto = true;
        }
        if (id == CMD_ID_LOGIN) {
            note_setting(ctx, "username", 8, true);
            note_setting(ctx, "password", 8, true);
        }
        if (cmd_is_digest(id)) {
            const struct cmd_optval *set = cmdparse_opt(call, "set");
            if (set)
                note_setting(ctx, set->vtext, set->vlen,
                             !set->value || ast_word_is_static(set->value));
        }
        if (id == CMD_ID_ITEM && call->nargs && !cmdparse_opt(call, "gap")) {
            /* a form's items are settings that `present` stores */
            const struct ast_word *w = cmd->seg->argv[call->first_arg];
            if (nameset_add(&ctx->items, w->text, w->len, 0))
                ctx->oom = true;
        }
        if (id == CMD_ID_PRESENT)
            ctx->has_present = true;
    }
    return ctx->oom ? -ENOMEM : 0;
}

/* ---- control flow ---- */

/* What running one command can do (spec §1.4-§1.8). */
enum outcome {
    OUT_OK = 1 << 0,   /**< succeeds: status 0 */
    OUT_FAIL = 1 << 1, /**< fails: status non-zero */
    OUT_JUMP = 1 << 2, /**< goto: the line ends, a label is next */
    OUT_EXIT = 1 << 3, /**< exit or chain --replace: the script ends */
    OUT_GONE = 1 << 4, /**< control does not come back (reboot, booted) */
};

/* Commands that cannot fail once their arguments are right (`form` is
 * `menu`'s alias, so it has menu's id). */
static bool cmd_never_fails(enum cmd_id id)
{
    switch (id) {
    case CMD_ID_CLEAR: case CMD_ID_ECHO: case CMD_ID_HELP:
    case CMD_ID_IMGFREE: case CMD_ID_IMGSTAT: case CMD_ID_ITEM:
    case CMD_ID_MENU: case CMD_ID_PARAMS: case CMD_ID_ROUTE: case CMD_ID_SET:
    case CMD_ID_SYNC: case CMD_ID_IFSTAT:
        return true;
    default:
        return false;
    }
}

static unsigned cmd_outcomes(const struct lint_ctx *ctx,
                             const struct lint_cmd *cmd)
{
    const struct cmd_call *call = &cmd->call;
    enum cmd_id id;

    if (cmd->seg->argc == 0)
        return OUT_OK; /* an empty segment is a successful no-op */
    if (call->dynamic)
        return OUT_OK | OUT_FAIL;
    if (!call->def || call->error != CMD_OK)
        return OUT_FAIL; /* "command not found", usage errors */
    id = call->def->id;
    if (id == CMD_ID_GOTO) {
        const struct ast_word *w = cmd->seg->argv[call->first_arg];
        if (!ast_word_is_static(w))
            return OUT_JUMP | OUT_FAIL;
        if (cmd->target || lint_label_is_external(ctx, w->text, w->len))
            return OUT_JUMP;
        return OUT_FAIL; /* no such label: ENOENT */
    }
    if (id == CMD_ID_EXIT) {
        /* `exit foo` fails to parse its status and does not exit (§1.6) */
        const struct ast_word *w =
            call->nargs ? cmd->seg->argv[call->first_arg] : NULL;
        unsigned long status;
        if (w && ast_word_is_static(w) && !cmdparse_integer(w->text, w->len,
                                                        &status))
            return OUT_FAIL;
        return OUT_EXIT;
    }
    if (id == CMD_ID_IMGEXEC && cmdparse_opt(call, "replace"))
        return OUT_EXIT | OUT_FAIL;
    if (id == CMD_ID_REBOOT)
        return OUT_GONE;
    if (id == CMD_ID_POWEROFF || id == CMD_ID_SANBOOT)
        return OUT_GONE | OUT_FAIL;
    if (cmd_never_fails(id))
        return OUT_OK;
    return OUT_OK | OUT_FAIL;
}

/* Run the line's segments over the statuses they can have (spec §2.4). */
static uint8_t line_flow(const struct lint_ctx *ctx, const struct lint_line *ll)
{
    /* live statuses: bit 0 = last status 0, bit 1 = non-zero */
    unsigned live = 1, ends = 0;
    uint32_t i;

    if (ll->line->flags & AST_L_DANGLING)
        return LINT_FLOW_FAIL; /* never runs: the script fails (§1.2) */
    for (i = 0; i < ll->ncmds && live; i++) {
        const struct lint_cmd *cmd = &ll->cmds[i];
        unsigned runs = live, out, next = 0;

        if (cmd->op_before && cmd->op_before->kind == AST_AND)
            runs = live & 1;
        else if (cmd->op_before && cmd->op_before->kind == AST_OR)
            runs = live & 2;
        if (!runs)
            continue;
        out = cmd_outcomes(ctx, cmd);
        if (out & OUT_OK)
            next |= 1;
        if (out & OUT_FAIL)
            next |= 2;
        ends |= out & (OUT_JUMP | OUT_EXIT | OUT_GONE);
        live = (live & ~runs) | next;
    }
    return (uint8_t)(((live & 1) ? LINT_FLOW_NEXT : 0) |
                     ((live & 2) ? LINT_FLOW_FAIL : 0) |
                     ((ends & OUT_JUMP) ? LINT_FLOW_JUMP : 0) |
                     ((ends & OUT_EXIT) ? LINT_FLOW_EXIT : 0) |
                     ((ends & OUT_GONE) ? LINT_FLOW_GONE : 0));
}

/* Mark every line control can reach from the first one. */
static int reachability(struct lint_ctx *ctx)
{
    uint32_t *stack, top = 0;
    size_t i;

    if (!ctx->nlines)
        return 0;
    stack = malloc(ctx->nlines * sizeof(*stack));
    if (!stack)
        return -ENOMEM;
    ctx->lines[0].reachable = true;
    stack[top++] = 0;
    /* In a template, the lines after a control tag may follow another
     * branch of an `{% if %}` or start a loop body: take them as reachable
     * rather than guess how the template renders. */
    for (i = 0; ctx->script->is_template && i < ctx->nlines; i++) {
        struct lint_line *ll = &ctx->lines[i];
        if (ll->has_control && !ll->reachable) {
            ll->reachable = true;
            stack[top++] = ll->index;
        }
    }
    /* Any label may be the target of a goto whose target is an expansion. */
    if (ctx->dynamic_goto) {
        for (i = 0; i < ctx->nlabels; i++) {
            struct lint_line *ll = &ctx->lines[ctx->labels[i].line];
            if (!ll->reachable) {
                ll->reachable = true;
                stack[top++] = ll->index;
            }
        }
    }
    while (top) {
        struct lint_line *ll = &ctx->lines[stack[--top]];
        uint32_t k;

        if ((ll->flow & LINT_FLOW_NEXT) && ll->index + 1 < ctx->nlines &&
            !ctx->lines[ll->index + 1].reachable) {
            ctx->lines[ll->index + 1].reachable = true;
            stack[top++] = ll->index + 1;
        }
        if (!(ll->flow & LINT_FLOW_JUMP))
            continue;
        for (k = 0; k < ll->ncmds; k++) {
            const struct lint_cmd *cmd = &ll->cmds[k];
            const struct lint_label *l = cmd->target;

            if (!l || cmd->call.error != CMD_OK ||
                ctx->lines[l->line].reachable)
                continue;
            ctx->lines[l->line].reachable = true;
            stack[top++] = l->line;
        }
    }
    free(stack);
    return 0;
}

/* Find the label of every goto with a literal target, once for all the
 * analyses and rules, and mark those labels used. */
static void gotos_resolve(struct lint_ctx *ctx)
{
    size_t i;
    uint32_t k;

    for (i = 0; i < ctx->nlines; i++) {
        struct lint_line *ll = &ctx->lines[i];
        for (k = 0; k < ll->ncmds; k++) {
            struct lint_cmd *cmd = &ll->cmds[k];
            const struct ast_word *w;
            uint32_t idx;

            if (!cmd->call.def || cmd->call.dynamic || !cmd->call.nargs ||
                cmd->call.def->id != CMD_ID_GOTO)
                continue;
            w = cmd->seg->argv[cmd->call.first_arg];
            if (ast_word_is_static(w) &&
                nameset_get(&ctx->label_index, w->text, w->len, &idx)) {
                cmd->target = &ctx->labels[idx];
                ctx->labels[idx].used = true;
            }
        }
    }
}

/* ---- running it all ---- */

static void ctx_release(struct lint_ctx *ctx)
{
    free(ctx->memo);
    free(ctx->labels);
    free(ctx->line_off);
    nameset_release(&ctx->label_index);
    nameset_release(&ctx->settings);
    nameset_release(&ctx->ext_vars);
    nameset_release(&ctx->ext_labels);
    nameset_release(&ctx->items);
}

static int lint_analyse(struct lint_ctx *ctx)
{
    const struct ast_line *line;
    size_t i;
    int rc;

    ctx->nlines = ctx->script->nlines;
    if (nameset_reserve(&ctx->label_index, ctx->script->nlabels))
        return -ENOMEM;
    ctx->lines = ctx_zalloc(ctx, (ctx->nlines ? ctx->nlines : 1) *
                                     sizeof(*ctx->lines));
    if (!ctx->lines)
        return -ENOMEM;
    for (line = ctx->script->lines, i = 0; line; line = line->next, i++) {
        ctx->lines[i].line = line;
        ctx->lines[i].index = (uint32_t)i;
        rc = walk_line(ctx, &ctx->lines[i]);
        if (rc)
            return rc;
    }
    if (ctx->has_present) {
        size_t k;
        for (k = 0; k < ctx->items.cap; k++) {
            const struct nameset_slot *it = &ctx->items.slots[k];
            if (it->key && nameset_add(&ctx->settings, it->key, it->len, 0))
                return -ENOMEM;
        }
    }
    /* Directives can declare labels external: read them before the flow. */
    directives_scan(ctx);
    gotos_resolve(ctx);
    for (i = 0; i < ctx->nlines; i++)
        ctx->lines[i].flow = line_flow(ctx, &ctx->lines[i]);
    return reachability(ctx);
}

/* Each hook once, however many active rules share it: a family can give
 * one pass to all its rules, and it runs if any of them is on. */
struct hooks {
    void (*line[256])(struct lint_ctx *ctx, const struct lint_line *ll);
    void (*cmd[256])(struct lint_ctx *ctx, const struct lint_cmd *cmd);
    void (*script[256])(struct lint_ctx *ctx);
    size_t nline, ncmd, nscript;
};

#define ADD_HOOK(list, n, fn)                                              \
    do {                                                                   \
        size_t k_;                                                         \
        for (k_ = 0; k_ < (n) && (list)[k_] != (fn); k_++)                 \
            ;                                                              \
        if ((fn) && k_ == (n) && (n) < 256)                                \
            (list)[(n)++] = (fn);                                          \
    } while (0)

/* The hooks of the active rules whose family is in @p families (a bit per
 * family, rules.c's order). */
static void hooks_collect(const struct lint_ctx *ctx, struct hooks *h,
                          unsigned families)
{
    size_t r;

    h->nline = h->ncmd = h->nscript = 0;
    for (r = 0; r < ctx->nrules; r++) {
        const struct lint_rule *rule = lint_rule_at(r);
        if ((ctx->opts->rules && !ctx->opts->rules[r].enabled) ||
            ctx->file_off[r] || !(families >> lint_rule_family(r) & 1))
            continue;
        ADD_HOOK(h->line, h->nline, rule->on_line);
        ADD_HOOK(h->cmd, h->ncmd, rule->on_command);
        ADD_HOOK(h->script, h->nscript, rule->on_script);
    }
}
#undef ADD_HOOK

/* Every line's and command's hooks in file order, then the script's. */
static void hooks_run(struct lint_ctx *ctx, const struct hooks *h)
{
    size_t r, i;
    uint32_t k;

    for (i = 0; i < ctx->nlines; i++) {
        const struct lint_line *ll = &ctx->lines[i];
        for (r = 0; r < h->nline; r++)
            h->line[r](ctx, ll);
        /* A broken signature line is the signature rule's: what iPXE would
         * make of it as a command does not matter, it never runs it. */
        if (i == 0 && !ast_signature_ok(ctx->script->signature))
            continue;
        for (k = 0; k < ll->ncmds; k++) {
            for (r = 0; r < h->ncmd; r++)
                h->cmd[r](ctx, &ll->cmds[k]);
        }
    }
    for (r = 0; r < h->nscript; r++)
        h->script[r](ctx);
}

/*
 * A large file's rules run in two halves at once, a half being whole
 * families (a family's hooks share what they gather in lint_memo(), line
 * by line, so they stay together and in order).  The halves weigh about
 * the same on big scripts: lexical, boot and platform on a second thread;
 * engine, flow, commands and settings here.  Rules only read the engine's
 * analyses; what they write (findings and their text, memos, the
 * out-of-memory flag) goes to the second half's own copy of the context,
 * merged afterwards.  The findings are then sorted by position and code,
 * so the report is the same as from one thread.
 */
#define FAMILIES_ALL 0x7fu
/* Bits are rules.c's family order (lexical 0, ..., boot 5, platform 6).
 * Any split into whole families gives the same report; this one balances
 * the halves' time on bench/gen_script.py's scripts. */
#define FAMILIES_SECOND ((1u << 0) | (1u << 5) | (1u << 6))
/* Below this many lines a second thread costs more than it saves. */
#define PARALLEL_MIN_LINES 20000

struct rules_half {
    struct lint_ctx ctx;    /* the file's, writing to the fields below */
    struct arena arena;     /* its findings' text; adopted when merged */
    struct diag_list diags; /* its findings */
    struct hooks hooks;
    pthread_t thread;
};

static void *rules_half_main(void *arg)
{
    struct rules_half *half = arg;

    hooks_run(&half->ctx, &half->hooks);
    return NULL;
}

/* Cores online, asked once: sysconf() reads /sys on every call, and
 * every file linted (every host ipxe-render renders) would ask. */
static long ncpus = 1;
static pthread_once_t ncpus_once = PTHREAD_ONCE_INIT;

static void ncpus_read(void)
{
    ncpus = sysconf(_SC_NPROCESSORS_ONLN);
}

/* Whether --jobs lets a large file use a second thread. */
static bool threads_allowed(const struct lint_options *opts)
{
    if (opts->jobs == 1)
        return false;
    if (opts->jobs >= 2)
        return true;
    pthread_once(&ncpus_once, ncpus_read);
    return ncpus >= 2;
}

/* Whether to run the rules in two halves. */
static bool rules_split(const struct lint_ctx *ctx)
{
    return ctx->nlines >= PARALLEL_MIN_LINES && threads_allowed(ctx->opts);
}

/* Take the second half's findings, their text and its flags. */
static void rules_merge(struct lint_ctx *ctx, struct rules_half *half)
{
    size_t i;

    for (i = 0; i < half->diags.len && !ctx->oom; i++) {
        if (diag_append(ctx->diags, &half->diags.items[i]))
            ctx->oom = true;
    }
    ctx->oom |= half->ctx.oom;
    arena_adopt(ctx->arena, &half->arena);
    free(half->diags.items);
    free(half->ctx.memo);
}

static void lint_run_rules(struct lint_ctx *ctx)
{
    struct hooks h;
    struct rules_half *half;

    if (!rules_split(ctx)) {
        hooks_collect(ctx, &h, FAMILIES_ALL);
        hooks_run(ctx, &h);
        return;
    }
    half = malloc(sizeof(*half));
    if (!half) {
        ctx->oom = true;
        return;
    }
    half->ctx = *ctx;
    arena_init(&half->arena);
    diag_list_init(&half->diags, &half->arena);
    half->ctx.arena = &half->arena;
    half->ctx.diags = &half->diags;
    half->ctx.memo = NULL;
    half->ctx.nmemo = half->ctx.memo_cap = 0;
    half->ctx.oom = false;
    hooks_collect(ctx, &half->hooks, FAMILIES_SECOND);
    hooks_collect(ctx, &h, FAMILIES_ALL & ~FAMILIES_SECOND);
    /* Built on first use: build the line table before two threads can
     * both want it. */
    source_position(ctx->src, 0);
    if (pthread_create(&half->thread, NULL, rules_half_main, half) == 0) {
        hooks_run(ctx, &h);
        pthread_join(half->thread, NULL);
    } else {
        hooks_run(ctx, &h); /* no thread: one after the other */
        hooks_run(&half->ctx, &half->hooks);
    }
    rules_merge(ctx, half);
    free(half);
}

void lint_options_init(struct lint_options *o)
{
    memset(o, 0, sizeof(*o));
    o->platform = LINT_PLATFORM_ANY;
}

int lint_source(struct source *src, const struct lint_options *opts,
                struct arena *a, struct diag_list *out,
                struct ast_script **tree)
{
    struct lint_ctx ctx;
    struct ast_script *script;
    unsigned flags = 0;
    const char *const *v;
    size_t first;
    int rc;

    if (tree)
        *tree = NULL;
    if (opts->force_template || parse_is_template_name(src->name))
        flags |= PARSE_TEMPLATE;
    if (threads_allowed(opts))
        flags |= PARSE_THREADS; /* parse.c decides by size */
    first = out->len;
    rc = parse_source(src, flags, a, out, &script);
    if (rc)
        return rc;
    parse_findings_configure(opts, out, first);
    if (tree)
        *tree = script;

    memset(&ctx, 0, sizeof(ctx));
    ctx.src = src;
    ctx.script = script;
    ctx.arena = a;
    ctx.diags = out;
    ctx.opts = opts;
    ctx.platform = opts->platform;
    ctx.nrules = lint_rule_count();
    ctx.file_off = ctx_zalloc(&ctx, ctx.nrules ? ctx.nrules : 1);
    for (v = opts->external_vars; v && *v; v++)
        nameset_add_list(&ctx, &ctx.ext_vars, *v, strlen(*v));
    rc = ctx.file_off ? lint_analyse(&ctx) : -ENOMEM;
    if (!rc)
        lint_run_rules(&ctx);
    if (!rc && ctx.oom)
        rc = -ENOMEM;
    ctx_release(&ctx);
    diag_sort(out);
    return rc;
}

int lint_check_buffer(const char *name, const char *data, size_t len,
                      enum lint_platform platform, size_t *errors,
                      struct buf *text)
{
    struct source src;
    struct arena a;
    struct diag_list d;
    struct lint_options opts;
    size_t i;
    int rc;

    *errors = 0;
    rc = source_init_mem(&src, name, data, len);
    if (rc)
        return rc;
    arena_init(&a);
    diag_list_init(&d, &a);
    lint_options_init(&opts);
    opts.platform = platform;
    rc = lint_source(&src, &opts, &a, &d, NULL);
    for (i = 0; !rc && i < d.len; i++) {
        const struct diag *dg = &d.items[i];
        struct position pos = source_position(&src, dg->span.start);

        if (dg->sev == DIAG_ERROR)
            (*errors)++;
        if (text)
            rc = buf_addf(text, "%s:%u:%u: %s: %s [%s]\n", name, pos.line,
                          pos.column, diag_severity_name(dg->sev), dg->msg,
                          dg->code);
    }
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
    return rc;
}
