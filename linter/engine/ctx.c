/* SPDX-License-Identifier: MIT */
/** @file The engine's context: what rules ask of it, and reporting. */
#include "ctx.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "settings_table.h"
#include "source.h"

/* ---- small helpers ---- */

void *ctx_zalloc(struct lint_ctx *ctx, size_t size)
{
    void *p = arena_zalloc(ctx->arena, size);

    if (!p)
        ctx->oom = true;
    return p;
}

void ctx_add_names(struct lint_ctx *ctx, struct nameset *set, const char *list,
                   size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t j, k;

        while (i < len && ast_is_space((unsigned char)list[i]))
            i++;
        for (j = i; j < len && list[j] != ','; j++)
            ;
        for (k = j; k > i && ast_is_space((unsigned char)list[k - 1]); k--)
            ;
        if (k > i && nameset_add(set, list + i, k - i, 0))
            ctx->oom = true;
        i = j + 1;
    }
}

/* ---- queries for the rules (engine.h) ---- */

enum lint_platform lint_platform(const struct lint_ctx *ctx)
{
    return ctx->platform;
}

bool lint_is_subscript(const struct lint_ctx *ctx)
{
    const struct lint_tree_facts *t = ctx->opts->tree;

    return ctx->subscript || (t && t->chained);
}

const struct lint_tree_facts *lint_tree_facts(const struct lint_ctx *ctx)
{
    return ctx->opts->tree;
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

uint32_t lint_line_index(const struct lint_ctx *ctx, const struct lint_line *ll)
{
    return (uint32_t)(ll - ctx->lines);
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
    const struct lint_tree_facts *t = ctx->opts->tree;
    size_t i;

    if (nameset_get(&ctx->settings, name, len, NULL) ||
        nameset_get(&ctx->ext_vars, name, len, NULL) ||
        settings_predef_find(name, len) != NULL)
        return true;
    /* set by a caller on every path, or on some (IPX2209 says which) */
    for (i = 0; t && i < t->nset; i++) {
        if (strlen(t->set[i]) == len && memcmp(t->set[i], name, len) == 0)
            return true;
    }
    return false;
}

struct arena *lint_arena(struct lint_ctx *ctx)
{
    return ctx->arena;
}

/* The first slot of memo key @p key: the keys are addresses of distinct
 * statics, whose low bits say little; Fibonacci hashing mixes them. */
static unsigned memo_hash(const void *key)
{
    return (unsigned)(((uint64_t)(uintptr_t)key * UINT64_C(0x9E3779B97F4A7C15)) >>
                      59) % MEMO_SLOTS;
}

/*
 * The slots are an open-addressed table of indices into ctx->memo: a key
 * is in its first slot or in the next ones, up to an empty slot.  So a
 * lookup costs the same whichever addresses the keys have (with a slot per
 * key and a linear search behind, two keys that shared a slot were found
 * by the search on every call).  Only when every slot is taken, or past
 * UINT8_MAX memos, is the array searched.  This is lint_memo()'s slow
 * path, out of line so that the usual one needs no stack frame.
 */
__attribute__((noinline)) static void *
memo_find_or_add(struct lint_ctx *ctx, const void *key,
                 void *(*compute)(struct lint_ctx *ctx), unsigned h)
{
    unsigned probes;
    size_t i;
    void *value;

    for (probes = 0; probes < MEMO_SLOTS; probes++) {
        i = ctx->memo_slot[h];
        if (!i)
            break;
        if (ctx->memo[i - 1].key == key)
            return ctx->memo[i - 1].value;
        h = (h + 1) % MEMO_SLOTS;
    }
    if (probes == MEMO_SLOTS || ctx->nmemo >= UINT8_MAX) {
        for (i = 0; i < ctx->nmemo; i++) {
            if (ctx->memo[i].key == key)
                return ctx->memo[i].value;
        }
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
    /* the first empty slot again: compute() may have taken some */
    for (probes = 0, h = memo_hash(key);
         probes < MEMO_SLOTS && ctx->nmemo <= UINT8_MAX;
         probes++, h = (h + 1) % MEMO_SLOTS) {
        if (!ctx->memo_slot[h]) {
            ctx->memo_slot[h] = (uint8_t)ctx->nmemo;
            break;
        }
    }
    return value;
}

void *lint_memo(struct lint_ctx *ctx, const void *key,
                void *(*compute)(struct lint_ctx *ctx))
{
    unsigned h = memo_hash(key);
    size_t i = ctx->memo_slot[h];

    /* nearly always: the key has its first slot */
    if (i && ctx->memo[i - 1].key == key)
        return ctx->memo[i - 1].value;
    return memo_find_or_add(ctx, key, compute, h);
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

/* ---- reporting ---- */

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

/* Whether rule @p idx is off at byte @p offset: for the file, or on its
 * line (looked up only when some line has a directive). */
static bool rule_is_off(const struct lint_ctx *ctx, size_t idx,
                        uint32_t offset)
{
    size_t lo = 0, hi = ctx->nline_off;
    uint32_t line;

    if (ctx->file_off[idx])
        return true;
    if (!ctx->nline_off)
        return false;
    line = line_of_offset(ctx, offset);
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

static struct diag *lint_vreport(struct lint_ctx *ctx,
                                 const struct lint_rule *rule,
                                 enum diag_severity sev, struct span span,
                                 const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static struct diag *lint_vreport(struct lint_ctx *ctx,
                                 const struct lint_rule *rule,
                                 enum diag_severity sev, struct span span,
                                 const char *fmt, va_list ap)
{
    size_t idx = lint_ruleset_index(ctx->rules, rule);
    struct diag *dg;

    if (idx < ctx->nrules) {
        const struct lint_rule_setting *set =
            ctx->opts->rules ? &ctx->opts->rules[idx] : NULL;
        if (set && !set->enabled)
            return NULL;
        if (set && set->sev != rule->sev)
            sev = set->sev; /* a configured severity wins */
        if (ctx->nlines && rule_is_off(ctx, idx, span.start))
            return NULL;
    }
    /* formatted once, straight into the list's arena */
    dg = diag_vadd(ctx->diags, sev, rule->code, rule->name, span, fmt, ap);
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
