/* SPDX-License-Identifier: MIT */
/** @file In-file directives (`# ipxe-lint disable=...`, `external-vars=`,
 *  `platform=`, `subscript`), and the engine's own rules. */
#include "ctx.h"

#include <string.h>

/* The directive rule: it belongs to no family's allocation range but the
 * engine's, because the engine reads directives. */
static const struct lint_rule bad_directive = {
    .code = "IPX1020",
    .name = "bad-directive",
    .sev = DIAG_WARNING,
    .summary = "an '# ipxe-lint' directive that is not understood",
};

/* The parser reports broken template tags itself (parser/lexer.re); the
 * rule is registered here so it can be listed, explained and disabled. */
const struct lint_rule lint_rule_template_syntax = {
    .code = "IPX4001",
    .name = "template-syntax",
    .sev = DIAG_ERROR,
    .summary = "a template tag that is never closed",
};

const struct lint_rule *const lint_rules_engine[] = {
    &bad_directive,
    &lint_rule_template_syntax,
    NULL,
};

/* The parser's findings are the template-syntax rule's: drop them when it
 * is turned off, and give them its configured severity. */
void directives_parse_findings(const struct lint_ctx *ctx, size_t from)
{
    const struct lint_options *opts = ctx->opts;
    struct diag_list *d = ctx->diags;
    size_t idx = lint_ruleset_index(ctx->rules, &lint_rule_template_syntax), i,
           n = from;
    const struct lint_rule_setting *set =
        opts->rules && idx < ctx->nrules ? &opts->rules[idx] : NULL;

    if (!set)
        return;
    for (i = from; i < d->len; i++) {
        if (strcmp(d->items[i].code, lint_rule_template_syntax.code) != 0) {
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

/* ---- directives: `# ipxe-lint ...` ---- */

/* Turn off, in @p off (one byte per rule), every rule of a list. */
static void directive_disable(struct lint_ctx *ctx, const struct ast_word *c,
                              const char *list, size_t len, uint8_t *off)
{
    size_t i = 0;

    while (i < len) {
        size_t j, k;
        const struct lint_rule *r, *near;

        while (i < len && ast_is_space((unsigned char)list[i]))
            i++;
        for (j = i; j < len && list[j] != ','; j++)
            ;
        for (k = j; k > i && ast_is_space((unsigned char)list[k - 1]); k--)
            ;
        r = lint_ruleset_find(ctx->rules, list + i, k - i);
        if (r) {
            off[lint_ruleset_index(ctx->rules, r)] = 1;
        } else if (k > i) {
            struct diag *dg;

            near = lint_ruleset_closest(ctx->rules, list + i, k - i);
            dg = lint_report(ctx, &bad_directive, c->span,
                             "unknown rule '%s' in directive: nothing was "
                             "disabled for it (see 'ipxe-lint --list-rules')",
                             lint_show(ctx, list + i, k - i));
            if (dg && near)
                diag_hint(ctx->diags, dg, "did you mean '%s'?",
                          lint_rule_spelling(near, list + i, k - i));
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

/* Apply directive key @p key (@p klen bytes) with value [@p v, @p vend)
 * (@p v NULL: none) read from comment @p c. */
static void directive_apply(struct lint_ctx *ctx, const struct ast_word *c,
                            uint32_t target, const char *key, size_t klen,
                            const char *v, const char *vend)
{
    size_t vlen = v ? (size_t)(vend - v) : 0;

#define KEY(k) (klen == sizeof(k) - 1 && memcmp(key, k, klen) == 0)
    if (KEY("disable") && v) {
        uint8_t *off = target == UINT32_MAX ? ctx->file_off
                                            : line_disable_for(ctx, target);
        if (off)
            directive_disable(ctx, c, v, vlen, off);
    } else if (KEY("external-vars") && v) {
        ctx_add_names(ctx, &ctx->ext_vars, v, vlen);
    } else if (KEY("external-labels") && v) {
        ctx_add_names(ctx, &ctx->ext_labels, v, vlen);
    } else if (KEY("platform") && v) {
        if (vlen == 3 && memcmp(v, "efi", 3) == 0)
            ctx->platform = LINT_PLATFORM_EFI;
        else if (vlen == 6 && memcmp(v, "pcbios", 6) == 0)
            ctx->platform = LINT_PLATFORM_PCBIOS;
        else if (vlen == 3 && memcmp(v, "any", 3) == 0)
            ctx->platform = LINT_PLATFORM_ANY;
        else
            lint_report(ctx, &bad_directive, c->span,
                        "unknown platform '%s' in directive: use efi, "
                        "pcbios or any",
                        lint_show(ctx, v, vlen));
    } else if (KEY("subscript") && !v) {
        ctx->subscript = true;
    } else {
        lint_report(ctx, &bad_directive, c->span,
                    "unknown directive '%s%s%s': it is ignored (known: "
                    "disable=, external-vars=, external-labels=, "
                    "platform=, subscript)",
                    lint_show(ctx, key, klen), v ? "=" : "",
                    v ? lint_show(ctx, v, vlen) : "");
    }
#undef KEY
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
        const char *w, *v = NULL, *vend = NULL, *q;
        size_t klen;

        while (p < end && ast_is_space((unsigned char)*p))
            p++;
        if (p >= end || *p == '#')
            break; /* the rest is the reason */
        /* the key, then '=' and the value, spaces around '=' allowed */
        w = p;
        while (p < end && !ast_is_space((unsigned char)*p) && *p != '=')
            p++;
        klen = (size_t)(p - w);
        for (q = p; q < end && ast_is_space((unsigned char)*q); q++)
            ;
        if (q < end && *q == '=') {
            for (q++; q < end && ast_is_space((unsigned char)*q); q++)
                ;
            v = vend = q;
            /* a list may go on after ", " */
            for (;;) {
                while (vend < end && !ast_is_space((unsigned char)*vend))
                    vend++;
                for (q = vend; q < end && ast_is_space((unsigned char)*q); q++)
                    ;
                if (vend == v || vend[-1] != ',' || q >= end || *q == '#')
                    break;
                vend = q;
            }
            p = vend;
        }
        directive_apply(ctx, c, target, w, klen, v, vend);
    }
}

/* Directives before any command apply to the file; a directive on a line
 * of its own applies to the next line with code; one after a command on
 * the same line applies to that line. */
void directives_scan(struct lint_ctx *ctx)
{
    bool seen_code = false;
    size_t i, pending = 0;
    const struct ast_word *queue[16];

    for (i = 0; i < ctx->nlines; i++) {
        const struct lint_line *ll = &ctx->lines[i];
        const struct ast_word *c = ast_line_comment(ll->line);
        bool is_directive =
            c && c->len > 10 && contains(c->text, c->len, "ipxe-lint");

        if (ll->has_code) {
            size_t k;
            seen_code = true;
            for (k = 0; k < pending; k++)
                directive_read(ctx, queue[k], lint_line_index(ctx, ll));
            pending = 0;
            if (is_directive)
                directive_read(ctx, c, lint_line_index(ctx, ll));
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
