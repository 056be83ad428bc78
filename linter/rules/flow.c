/* SPDX-License-Identifier: MIT */
/** @file Rules on labels and control flow: goto targets, duplicate and
 *  unused labels, unreachable code, `&&` without `||`, menus whose items
 *  have no label, scripts that fall off their end (spec §1.3-§1.7, §2.4). */
#include "engine.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cmdtable.h"

static void check_goto(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_label_name(struct lint_ctx *ctx, const struct lint_line *ll);
static void check_duplicates(struct lint_ctx *ctx);
static void check_unused(struct lint_ctx *ctx);
static void check_unreachable(struct lint_ctx *ctx);
static void check_and_or(struct lint_ctx *ctx, const struct lint_line *ll);
static void check_menu_items(struct lint_ctx *ctx);
static void check_fall_off(struct lint_ctx *ctx);

static const struct lint_rule goto_unknown_label = {
    .code = "IPX2001",
    .name = "goto-unknown-label",
    .sev = DIAG_ERROR,
    .summary = "goto names a label the script does not define",
    .on_command = check_goto,
};
static const struct lint_rule duplicate_label = {
    .code = "IPX2002",
    .name = "duplicate-label",
    .sev = DIAG_WARNING,
    .summary = "a label defined twice: goto always finds the first",
    .on_script = check_duplicates,
};
static const struct lint_rule unused_label = {
    .code = "IPX2003",
    .name = "unused-label",
    .sev = DIAG_STYLE,
    .summary = "a label no goto names",
    .on_script = check_unused,
};
static const struct lint_rule unreachable_code = {
    .code = "IPX2004",
    .name = "unreachable-code",
    .sev = DIAG_WARNING,
    .summary =
        "code after an unconditional goto, exit or reboot that nothing reaches",
    .on_script = check_unreachable,
};
static const struct lint_rule and_without_or = {
    .code = "IPX2005",
    .name = "and-without-or",
    .sev = DIAG_WARNING,
    .summary =
        "'cond && action' without a final '||': a false condition stops the script",
    .on_line = check_and_or,
};
static const struct lint_rule menu_item_without_label = {
    .code = "IPX2006",
    .name = "menu-item-without-label",
    .sev = DIAG_ERROR,
    .summary =
        "a menu item whose choice is dispatched by goto but has no label",
    .on_script = check_menu_items,
};
static const struct lint_rule unreachable_label_name = {
    .code = "IPX2007",
    .name = "unreachable-label-name",
    .sev = DIAG_WARNING,
    .summary = "a label containing '${': no goto can ever name it",
    .on_line = check_label_name,
};
static const struct lint_rule falls_off_end = {
    .code = "IPX2008",
    .name = "falls-off-end",
    .sev = DIAG_WARNING,
    .summary =
        "the script can end without exit, boot, chain, sanboot or reboot",
    .on_script = check_fall_off,
};

const struct lint_rule *const lint_rules_flow[] = {
    &goto_unknown_label,     &duplicate_label, &unused_label,
    &unreachable_code,       &and_without_or,  &menu_item_without_label,
    &unreachable_label_name, &falls_off_end,   NULL,
};

/* ---- helpers ---- */

/* The first positional argument, if the command has one. */
static const struct ast_word *first_arg(const struct lint_cmd *cmd)
{
    if (!cmd->call.nargs)
        return NULL;
    return cmd->seg->argv[cmd->call.first_arg];
}

/* The line where the first code on logical line @p ll starts. */
static struct span line_code_span(const struct lint_line *ll)
{
    const struct ast_line *line = ll->line;
    uint32_t i;

    if (line->label)
        return line->label->span;
    for (i = 0; i < ll->ncmds; i++) {
        if (ll->cmds[i].seg->argc)
            return lint_cmd_span(&ll->cmds[i]);
    }
    return line->span;
}

/* ---- IPX2001: goto to a label that does not exist ---- */

/* A zeroed counter for lint_memo(). */
static void *new_counter(struct lint_ctx *ctx)
{
    return arena_zalloc(lint_arena(ctx), sizeof(unsigned));
}

/* Searching every label for every missing one is quadratic: a generated
 * file with thousands of both gets suggestions for the first ones only. */
#define SUGGEST_MAX 64

/* The address names closest_label()'s counter in lint_memo(). */
static const char suggest_key;

/* A bit for each byte value (modulo 64) that occurs in a name. */
static uint64_t byte_mask(const char *text, size_t len)
{
    uint64_t m = 0;
    size_t i;

    for (i = 0; i < len; i++)
        m |= (uint64_t)1 << ((unsigned char)text[i] & 63);
    return m;
}

/* Each label's byte_mask(), in the order of lint_labels(). */
static void *label_masks_compute(struct lint_ctx *ctx)
{
    const struct lint_label *labels;
    uint64_t *masks;
    size_t n, i;

    labels = lint_labels(ctx, &n);
    masks = arena_alloc(lint_arena(ctx), (n ? n : 1) * sizeof(*masks));
    if (!masks)
        return NULL;
    for (i = 0; i < n; i++)
        masks[i] = byte_mask(labels[i].word->text, labels[i].word->len);
    return masks;
}

static const char label_masks_key;

/* Whether @p x has at least @p n bits set. */
static bool has_bits(uint64_t x, unsigned n)
{
    for (; x && n; n--)
        x &= x - 1;
    return n == 0;
}

/* The label closest to @p w (at most two edits away), or NULL: the first
 * one at the smallest distance. */
static const struct ast_word *closest_label(struct lint_ctx *ctx,
                                            const struct ast_word *w)
{
    const struct lint_label *labels;
    const struct ast_word *best = NULL;
    const uint64_t *masks;
    unsigned best_d = 3, d, *searches;
    uint64_t mw;
    size_t n, i;

    searches = lint_memo(ctx, &suggest_key, new_counter);
    if (!searches || ++*searches > SUGGEST_MAX)
        return NULL;
    labels = lint_labels(ctx, &n);
    masks = lint_memo(ctx, &label_masks_key, label_masks_compute);
    mw = byte_mask(w->text, w->len);
    for (i = 0; i < n && best_d; i++) {
        const struct ast_word *l = labels[i].word;
        size_t diff = l->len > w->len ? l->len - w->len : w->len - l->len;
        /* Cheap bounds first: each edit changes the length by one at
         * most, and removes at most one byte value of either name. */
        if (diff >= best_d)
            continue;
        if (masks && (has_bits(mw & ~masks[i], best_d) ||
                      has_bits(masks[i] & ~mw, best_d)))
            continue;
        /* only a strictly closer label replaces the one found */
        d = lint_distance(w->text, w->len, l->text, l->len, best_d - 1);
        if (d < best_d) {
            best_d = d;
            best = l;
        }
    }
    return best;
}

static int text_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* The targets of every `|| goto X` in the file, sorted: a label used as
 * a failure fallback anywhere marks the file as a chained sub-script. */
struct fallbacks {
    const struct ast_word **words;
    size_t n;
};

static int word_cmp(const void *pa, const void *pb)
{
    const struct ast_word *const *a = pa, *const *b = pb;

    return text_cmp((*a)->text, (*a)->len, (*b)->text, (*b)->len);
}

static void *fallbacks_compute(struct lint_ctx *ctx)
{
    struct fallbacks *fb = arena_zalloc(lint_arena(ctx), sizeof(*fb));
    const struct lint_line *lines;
    size_t n, i, count = 0;
    uint32_t k;

    if (!fb)
        return NULL;
    lines = lint_lines(ctx, &n);
    for (int pass = 0; pass < 2; pass++) {
        for (i = 0; i < n; i++) {
            for (k = 0; k < lines[i].ncmds; k++) {
                const struct lint_cmd *cmd = &lines[i].cmds[k];
                const struct ast_word *t = first_arg(cmd);
                const struct ast_word *op = lint_cmd_op_before(cmd);
                if (!lint_cmd_is(cmd, CMD_ID_GOTO) || !t ||
                    !ast_word_is_static(t) || !op || op->kind != AST_OR)
                    continue;
                if (pass)
                    fb->words[fb->n++] = t;
                else
                    count++;
            }
        }
        if (!pass) {
            fb->words = arena_alloc(lint_arena(ctx),
                                    (count ? count : 1) * sizeof(*fb->words));
            if (!fb->words)
                return NULL;
        }
    }
    qsort(fb->words, fb->n, sizeof(*fb->words), word_cmp);
    return fb;
}

static const char fallbacks_key;

static bool is_fallback_target(struct lint_ctx *ctx, const struct ast_word *t)
{
    const struct fallbacks *fb =
        lint_memo(ctx, &fallbacks_key, fallbacks_compute);

    return fb && fb->n &&
           bsearch(&t, fb->words, fb->n, sizeof(*fb->words), word_cmp);
}

static void check_goto(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct ast_word *target = first_arg(cmd), *near;
    struct diag *dg;

    if (!lint_cmd_is(cmd, CMD_ID_GOTO) || !target ||
        !ast_word_is_static(target) || cmd->call.error != CMD_OK)
        return;
    if (cmd->target || lint_label_is_external(ctx, target->text, target->len))
        return;
    /* `cmd || goto error` in a chained sub-script hands the failure back
     * to its caller: a real mistake, but the boot goes on (KNOWN-BUGS).
     * A fallback that misspells a label that exists is a plain error. */
    near = closest_label(ctx, target);
    /* A template without a signature is a fragment included into another
     * template, which may define the label. */
    if (!near && (lint_is_subscript(ctx) || is_fallback_target(ctx, target) ||
                  (lint_is_template(ctx) &&
                   !ast_signature_ok(lint_script(ctx)->signature)))) {
        dg =
            lint_report_at(ctx, &goto_unknown_label, DIAG_WARNING, target->span,
                           "no label ':%.*s' in this script: the goto fails, "
                           "and the script stops with an error that a "
                           "chained script hands back to its caller",
                           (int)target->len, target->text);
        diag_hint(lint_diags(ctx), dg,
                  "write 'exit 1' to hand the failure back on purpose");
        return;
    }
    if (lint_failure_caught(cmd->seg))
        /* the line goes on: a mistake, but not one that stops the boot */
        dg =
            lint_report_at(ctx, &goto_unknown_label, DIAG_WARNING, target->span,
                           "no label ':%.*s' in this script: the goto "
                           "always fails, and only the rest of its line "
                           "runs",
                           (int)target->len, target->text);
    else
        dg = lint_report(ctx, &goto_unknown_label, target->span,
                         "no label ':%.*s' in this script: the goto fails "
                         "and the script stops here",
                         (int)target->len, target->text);
    if (dg && near) {
        char *fix = arena_strndup(lint_arena(ctx), near->text, near->len);
        if (!fix)
            return;
        diag_hint(lint_diags(ctx), dg, "did you mean '%s'?", fix);
        diag_fix(lint_diags(ctx), dg, target->span, fix);
    }
}

/* ---- IPX2007: a label no goto can name ---- */

static void check_label_name(struct lint_ctx *ctx, const struct lint_line *ll)
{
    const struct ast_word *l = ll->line->label;
    size_t i;

    if (!l || lint_is_template(ctx))
        return;
    for (i = 0; i + 1 < l->len; i++) {
        if (l->text[i] == '$' && l->text[i + 1] == '{') {
            lint_report(ctx, &unreachable_label_name, l->span,
                        "label ':%.*s' is taken literally, and every '${' "
                        "in a goto target is expanded first: no goto can "
                        "reach it",
                        (int)l->len, l->text);
            return;
        }
    }
}

/* ---- IPX2002: duplicate labels ---- */

/* Whether a template control tag stands between lines @p a and @p b: then
 * the two labels may be in different branches of an `{% if %}`. */
static bool control_between(struct lint_ctx *ctx, uint32_t a, uint32_t b)
{
    const struct lint_line *lines;
    size_t n;
    uint32_t i, w;

    lines = lint_lines(ctx, &n);
    for (i = a; i <= b && i < n; i++) {
        const struct ast_line *line = lines[i].line;
        const struct ast_segment *seg;
        const struct ast_word *c = ast_line_comment(line);
        if (c && (c->flags & AST_W_TEMPLATE))
            return true;
        for (seg = line->segs; seg; seg = seg->next) {
            for (w = 0; w < seg->argc; w++) {
                if (seg->argv[w]->flags & AST_W_CONTROL)
                    return true;
            }
        }
    }
    return false;
}

static void check_duplicates(struct lint_ctx *ctx)
{
    const struct lint_label *labels, *first;
    size_t n, i;

    labels = lint_labels(ctx, &n);
    for (i = 0; i < n; i++) {
        const struct ast_word *l = labels[i].word;

        first = &labels[labels[i].first];
        if (first == &labels[i])
            continue;
        if (lint_is_template(ctx) &&
            control_between(ctx, first->line, labels[i].line))
            continue;
        lint_report(ctx, &duplicate_label, l->span,
                    "label ':%.*s' is already defined on line %u: goto "
                    "always finds that one, so this one is only reached by "
                    "falling into it",
                    (int)l->len, l->text,
                    lint_line_at(ctx, first->word->span.start));
    }
}

/* ---- IPX2003: labels no goto names ---- */

static void check_unused(struct lint_ctx *ctx)
{
    const struct lint_label *labels;
    size_t n, i;

    if (lint_has_dynamic_goto(ctx))
        return; /* any label may be a `goto ${choice}` target */
    labels = lint_labels(ctx, &n);
    for (i = 0; i < n; i++) {
        const struct ast_word *l = labels[i].word;
        if (labels[i].used || l->len == 0)
            continue;
        if (labels[i].first != i)
            continue; /* a duplicate: IPX2002 says it */
        lint_report(ctx, &unused_label, l->span, "no goto names label ':%.*s'",
                    (int)l->len, l->text);
    }
}

/* ---- IPX2004: unreachable code ---- */

/* What ends line @p ll for good, in words: "'goto retry'", "'exit'". */
static const char *line_terminator(struct lint_ctx *ctx,
                                   const struct lint_line *ll)
{
    uint32_t i;

    for (i = ll->ncmds; i-- > 0;) {
        const struct lint_cmd *cmd = &ll->cmds[i];
        const struct ast_word *arg = first_arg(cmd);

        switch (lint_cmd_id(cmd)) {
        case CMD_ID_GOTO:
            if (arg)
                return arena_printf(lint_arena(ctx), "'goto %.*s'",
                                    (int)arg->len, arg->text);
            break;
        case CMD_ID_EXIT:
        case CMD_ID_REBOOT:
        case CMD_ID_POWEROFF:
        case CMD_ID_SANBOOT:
        case CMD_ID_IMGEXEC:
            return arena_printf(lint_arena(ctx), "'%s'", cmd->call.def->name);
        default:
            break;
        }
    }
    return "a command that never returns";
}

/* A line ending in an unguarded sanboot: IPX2309 (unguarded-sanboot) says
 * what is wrong there, and the lines after it follow from that. */
static bool ends_in_sanboot(const struct lint_line *ll)
{
    uint32_t i;

    for (i = ll->ncmds; i-- > 0;) {
        if (ll->cmds[i].seg->argc)
            return lint_cmd_is(&ll->cmds[i], CMD_ID_SANBOOT);
    }
    return false;
}

static void check_unreachable(struct lint_ctx *ctx)
{
    const struct lint_line *lines, *prev = NULL;
    size_t n, i;

    lines = lint_lines(ctx, &n);
    for (i = 0; i < n; i++) {
        const struct lint_line *ll = &lines[i];

        if (!ll->has_code)
            continue;
        if (!ll->reachable && prev && prev->reachable &&
            !(prev->flow & LINT_FLOW_NEXT) &&
            (prev->flow & (LINT_FLOW_JUMP | LINT_FLOW_EXIT | LINT_FLOW_GONE)) &&
            !ends_in_sanboot(prev)) {
            const struct ast_word *l = ll->line->label;
            if (l)
                lint_report(ctx, &unreachable_code, line_code_span(ll),
                            "this line never runs: line %u ends in %s and no "
                            "goto names label ':%.*s'",
                            lint_line_at(ctx, prev->line->span.start),
                            line_terminator(ctx, prev), (int)l->len, l->text);
            else
                lint_report(ctx, &unreachable_code, line_code_span(ll),
                            "this line never runs: line %u ends in %s and "
                            "there is no label in between",
                            lint_line_at(ctx, prev->line->span.start),
                            line_terminator(ctx, prev));
        }
        prev = ll;
    }
}

/* ---- IPX2005: `cond && action` with no `||` after it ---- */

/* The commands that test something: their failure is an answer. */
static bool cmd_is_condition(enum cmd_id id)
{
    switch (id) {
    case CMD_ID_ISSET:
    case CMD_ID_ISEQ:
    case CMD_ID_PROMPT:
    case CMD_ID_CPUID:
    case CMD_ID_CHOOSE:
    case CMD_ID_PCISCAN:
    case CMD_ID_USBSCAN:
        return true;
    default:
        return false;
    }
}

static void check_and_or(struct lint_ctx *ctx, const struct lint_line *ll)
{
    uint32_t i, k;

    for (i = 0; i + 1 < ll->ncmds; i++) {
        const struct lint_cmd *cond = &ll->cmds[i];
        const struct ast_word *op = cond->seg->op;
        bool rescued = false;
        struct diag *dg;
        struct span at;

        if (!op || op->kind != AST_AND || !cond->seg->argc)
            continue;
        if (!cmd_is_condition(lint_cmd_id(cond)))
            continue; /* only the conditions: a failing action is its own */
        for (k = i + 1; k < ll->ncmds; k++) {
            const struct ast_word *later = ll->cmds[k].seg->op;
            if (later && later->kind != AST_AND)
                rescued = true; /* `||`, or `;` and its empty segment */
        }
        if (rescued)
            continue;
        at = lint_cmd_span(cond);
        dg = lint_report(ctx, &and_without_or, at,
                         "when '%s' fails the rest of the line is skipped and "
                         "the line fails, which stops the script; end the "
                         "line with '||' to go on instead",
                         cond->call.def->name);
        if (dg) {
            const struct ast_segment *last = ll->cmds[ll->ncmds - 1].seg;
            struct span end;
            if (last->argc) {
                end.start = end.end = last->argv[last->argc - 1]->span.end;
                diag_fix(lint_diags(ctx), dg, end, " ||");
            }
        }
        return;
    }
}

/* ---- IPX2006: menu items with no label behind `goto ${choice}` ---- */

/* `goto PREFIX${var}SUFFIX`: the word's one expansion, if it is a plain
 * unscoped name and the rest is literal. */
static const struct ast_part *goto_dispatch(const struct ast_word *w)
{
    const struct ast_part *p = ast_word_parts(w);

    if (!p || p->next || p->kind != AST_PART_EXPAND || p->children ||
        p->slash != AST_NONE || p->colon != AST_NONE ||
        (w->flags & (AST_W_CONT | AST_W_TEMPLATE)))
        return NULL;
    return p;
}

static bool same_text(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

/* The value of option @p name as text, or "" if absent. */
static void opt_text(const struct lint_cmd *cmd, const char *name,
                     const char **text, uint32_t *len)
{
    const struct cmd_optval *o = cmdparse_opt(&cmd->call, name);

    *text = o ? o->vtext : "";
    *len = o ? o->vlen : 0;
}

/* The items added to one menu since it was last created. */
struct menu_items {
    const char *name; /**< --name, "" for the default menu */
    uint32_t len;
    const struct lint_cmd **items;
    size_t n, cap;
    size_t checked; /**< items already checked: a second
                         `choose` of the same menu offers the
                         same items, report them once */
};

/* `iseq ${var} value` (either order), as text into the source. */
struct compare {
    const char *value; /**< the literal side */
    uint32_t vlen;
    const char *var; /**< the name inside `${...}` */
    uint32_t varlen;
};

static int text_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);

    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

static int compare_cmp(const void *pa, const void *pb)
{
    const struct compare *a = pa, *b = pb;
    int c = text_cmp(a->value, a->vlen, b->value, b->vlen);

    return c ? c : text_cmp(a->var, a->varlen, b->var, b->varlen);
}

/* What the menu rule collects in one pass over the script. */
struct menu_scan {
    struct compare *iseq; /**< every `iseq ${var} value`, sorted */
    size_t niseq, iseq_cap;
    struct menu_items *menus; /**< the items of each menu name so far */
    size_t nmenus, menus_cap;
    bool oom;
};

static struct menu_items *menu_named(struct menu_scan *ms, const char *name,
                                     uint32_t len)
{
    size_t i;

    for (i = 0; i < ms->nmenus; i++) {
        if (same_text(ms->menus[i].name, ms->menus[i].len, name, len))
            return &ms->menus[i];
    }
    if (!lint_grow(&ms->menus, &ms->nmenus, &ms->menus_cap,
                   sizeof(*ms->menus))) {
        ms->oom = true;
        return NULL;
    }
    memset(&ms->menus[ms->nmenus], 0, sizeof(ms->menus[0]));
    ms->menus[ms->nmenus].name = name;
    ms->menus[ms->nmenus].len = len;
    return &ms->menus[ms->nmenus++];
}

/* Whether `iseq ${var} NAME` (either order) appears: the script handles
 * that choice itself before dispatching. */
static bool compared(const struct menu_scan *ms, const struct ast_word *var,
                     const struct ast_word *item)
{
    struct compare key = {item->text, item->len, var->text, var->len};

    return ms->niseq &&
           bsearch(&key, ms->iseq, ms->niseq, sizeof(key), compare_cmp) != NULL;
}

/* Keep `iseq X Y` if one side is a plain `${var}` and the other literal. */
static void note_compare(struct menu_scan *ms, const struct ast_word *x,
                         const struct ast_word *y)
{
    struct compare *c;

    if (!goto_dispatch(x) || x->len < 4 || x->text[0] != '$' ||
        x->text[x->len - 1] != '}' || !ast_word_is_static(y))
        return;
    if (!lint_grow(&ms->iseq, &ms->niseq, &ms->iseq_cap, sizeof(*ms->iseq))) {
        ms->oom = true;
        return;
    }
    c = &ms->iseq[ms->niseq++];
    c->value = y->text;
    c->vlen = y->len;
    c->var = x->text + 2;
    c->varlen = x->len - 3;
}

/* What happens when the dispatching goto @p cmd fails. */
enum dispatch_failure {
    FAIL_STOPS,   /**< the script stops there */
    FAIL_HANDLED, /**< `|| goto X` or `|| exit`: the choice is lost */
    FAIL_GOES_ON, /**< `goto ${x} ||`, `;`, `|| chain ...`: the lines or
                       commands after it handle the other choices */
};

static enum dispatch_failure dispatch_failure(const struct lint_cmd *cmd)
{
    const struct ast_word *op = cmd->seg->op;
    const struct lint_cmd *next;

    if (!op || op->kind == AST_AND)
        return FAIL_STOPS;
    if (op->kind == AST_SEMI)
        return FAIL_GOES_ON;
    next = &cmd->ll->cmds[lint_cmd_index(cmd) + 1];
    if (next->seg->argc == 0 ||
        !(lint_cmd_is(next, CMD_ID_EXIT) || lint_cmd_is(next, CMD_ID_GOTO)))
        return FAIL_GOES_ON;
    return FAIL_HANDLED;
}

/* Check the items @p mi of the menu a `choose` offers against the
 * `goto PREFIX${var}SUFFIX` @p go that dispatches the choice. */
static void check_menu(struct lint_ctx *ctx, struct menu_scan *ms,
                       const struct menu_items *mi, const struct ast_word *var,
                       const struct lint_cmd *go)
{
    const struct ast_word *target = first_arg(go);
    const struct ast_part *x = goto_dispatch(target);
    const char *prefix = target->text, *suffix;
    size_t plen = x->span.start - target->span.start;
    size_t slen = target->span.end - x->span.end, i, len;
    char small[256], *label;

    suffix = target->text + (x->span.end - target->span.start);
    for (i = mi->checked; i < mi->n; i++) {
        const struct ast_word *item = first_arg(mi->items[i]);

        len = plen + item->len + slen;
        /* the arena only for a long one: a menu item's label is looked
         * up, quoted in a finding at most, and forgotten */
        label = len < sizeof(small) ? small
                                    : arena_alloc(lint_arena(ctx), len + 1);
        if (!label)
            return;
        memcpy(label, prefix, plen);
        memcpy(label + plen, item->text, item->len);
        memcpy(label + plen + item->len, suffix, slen);
        label[len] = '\0';
        if (lint_label_find(ctx, label, len) ||
            lint_label_is_external(ctx, label, len) || compared(ms, var, item))
            continue;
        if (dispatch_failure(go) == FAIL_STOPS)
            lint_report(ctx, &menu_item_without_label, item->span,
                        "menu item '%.*s' has no label ':%s': choosing it "
                        "makes 'goto %.*s' (line %u) fail, and the script "
                        "stops",
                        (int)item->len, item->text, label, (int)target->len,
                        target->text, lint_line_at(ctx, target->span.start));
        else
            lint_report_at(ctx, &menu_item_without_label, DIAG_WARNING,
                           item->span,
                           "menu item '%.*s' has no label ':%s': choosing it "
                           "makes 'goto %.*s' (line %u) fail, and the "
                           "fallback after it runs instead of this choice",
                           (int)item->len, item->text, label, (int)target->len,
                           target->text, lint_line_at(ctx, target->span.start));
    }
}

/* The variable a `goto PREFIX${var}SUFFIX` whose failure stops the script
 * dispatches on, as an offset/length into the source, or false. */
static bool dispatch_var(struct lint_ctx *ctx, const struct lint_cmd *go,
                         const char **var, uint32_t *len)
{
    const struct ast_word *t;
    const struct ast_part *x;

    if (!lint_cmd_is(go, CMD_ID_GOTO)) /* first: most commands are not */
        return false;
    t = first_arg(go);
    if (!t || dispatch_failure(go) == FAIL_GOES_ON)
        return false;
    x = goto_dispatch(t);
    if (!x)
        return false;
    *var = lint_source_of(ctx)->data + x->span.start + 2;
    *len = x->span.end - x->span.start - 3;
    return true;
}

/* A dispatching goto, keyed for lookup by (variable, line). */
struct dispatch {
    const char *var; /**< the name inside `${...}` */
    uint32_t varlen;
    uint32_t line;             /**< logical line index */
    const struct lint_cmd *go; /**< the goto */
};

static int dispatch_cmp(const void *pa, const void *pb)
{
    const struct dispatch *a = pa, *b = pb;
    int c = text_cmp(a->var, a->varlen, b->var, b->varlen);

    if (c)
        return c;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* The first dispatching goto on @p var at or after line @p at, or NULL:
 * a binary search over the gotos sorted by variable, then line. */
static const struct lint_cmd *next_dispatch(const struct dispatch *d, size_t n,
                                            uint32_t at,
                                            const struct ast_word *var)
{
    struct dispatch key = {var->text, var->len, at, NULL};
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (dispatch_cmp(&d[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < n && same_text(d[lo].var, d[lo].varlen, var->text, var->len))
        return d[lo].go;
    return NULL;
}

/* Pass 1: the dispatching gotos and every `iseq`, anywhere in the file. */
static void menu_scan_gotos(struct lint_ctx *ctx, struct menu_scan *ms,
                            struct dispatch **gotos, size_t *ngotos)
{
    size_t n, i, cap = 0;
    const struct lint_line *lines = lint_lines(ctx, &n);
    uint32_t k;

    for (i = 0; i < n && !ms->oom; i++) {
        for (k = 0; k < lines[i].ncmds && !ms->oom; k++) {
            const struct lint_cmd *cmd = &lines[i].cmds[k];
            const char *v;
            uint32_t vlen;

            if (dispatch_var(ctx, cmd, &v, &vlen)) {
                if (lint_grow(gotos, ngotos, &cap, sizeof(**gotos))) {
                    struct dispatch *d = &(*gotos)[(*ngotos)++];
                    d->var = v;
                    d->varlen = vlen;
                    d->line = lint_line_index(ctx, cmd->ll);
                    d->go = cmd;
                } else {
                    ms->oom = true;
                }
            } else if (lint_cmd_is(cmd, CMD_ID_ISEQ) && cmd->call.nargs == 2 &&
                       cmd->call.error == CMD_OK) {
                const struct ast_word *a = cmd->seg->argv[cmd->call.first_arg];
                const struct ast_word *b =
                    cmd->seg->argv[cmd->call.first_arg + 1];
                note_compare(ms, a, b);
                note_compare(ms, b, a);
            }
        }
    }
}

/* Pass 2, one command: keep each menu's items as the script builds them,
 * and check a `choose` against the dispatch that follows it. */
static void menu_scan_cmd(struct lint_ctx *ctx, struct menu_scan *ms,
                          const struct lint_cmd *cmd,
                          const struct dispatch *gotos, size_t ngotos)
{
    const struct ast_word *arg;
    const struct lint_cmd *go;
    struct menu_items *mi;
    const char *m;
    uint32_t ml;

    switch (lint_cmd_id(cmd)) {
    case CMD_ID_MENU:
    case CMD_ID_ITEM:
    case CMD_ID_CHOOSE:
        break;
    default:
        return; /* most commands: their words need not be touched */
    }
    if (cmd->call.error != CMD_OK)
        return;
    arg = first_arg(cmd);
    if (lint_cmd_is(cmd, CMD_ID_MENU) && !cmdparse_opt(&cmd->call, "delete")) {
        opt_text(cmd, "name", &m, &ml);
        mi = menu_named(ms, m, ml);
        if (mi)
            mi->n = mi->checked = 0; /* a new menu replaces the old one */
    } else if (lint_cmd_is(cmd, CMD_ID_ITEM) && arg &&
               ast_word_is_static(arg) && !cmdparse_opt(&cmd->call, "gap")) {
        opt_text(cmd, "menu", &m, &ml);
        mi = menu_named(ms, m, ml);
        if (mi && lint_grow(&mi->items, &mi->n, &mi->cap, sizeof(*mi->items)))
            mi->items[mi->n++] = cmd;
        else
            ms->oom = true;
    } else if (lint_cmd_is(cmd, CMD_ID_CHOOSE) && arg &&
               ast_word_is_static(arg)) {
        go = next_dispatch(gotos, ngotos, lint_line_index(ctx, cmd->ll), arg);
        opt_text(cmd, "menu", &m, &ml);
        mi = go ? menu_named(ms, m, ml) : NULL;
        if (mi) {
            check_menu(ctx, ms, mi, arg, go);
            mi->checked = mi->n;
        }
    }
}

static void check_menu_items(struct lint_ctx *ctx)
{
    struct menu_scan ms = {0};
    struct dispatch *gotos = NULL;
    size_t ngotos = 0, n, i;
    const struct lint_line *lines = lint_lines(ctx, &n);
    uint32_t k;

    menu_scan_gotos(ctx, &ms, &gotos, &ngotos);
    if (ngotos > 1)
        qsort(gotos, ngotos, sizeof(*gotos), dispatch_cmp);
    if (ms.niseq)
        qsort(ms.iseq, ms.niseq, sizeof(*ms.iseq), compare_cmp);
    for (i = 0; ngotos && i < n && !ms.oom; i++) {
        for (k = 0; k < lines[i].ncmds; k++)
            menu_scan_cmd(ctx, &ms, &lines[i].cmds[k], gotos, ngotos);
    }
    for (i = 0; i < ms.nmenus; i++)
        free(ms.menus[i].items);
    free(ms.menus);
    free(ms.iseq);
    free(gotos);
}

/* ---- IPX2008: falling off the end ---- */

/* Commands after which ending the script is normal. */
static bool hands_over(const struct lint_line *ll)
{
    uint32_t i;

    for (i = 0; i < ll->ncmds; i++) {
        switch (lint_cmd_id(&ll->cmds[i])) {
        case CMD_ID_AUTOBOOT:
        case CMD_ID_EXIT:
        case CMD_ID_IMGEXEC:
        case CMD_ID_POWEROFF:
        case CMD_ID_REBOOT:
        case CMD_ID_SANBOOT:
        case CMD_ID_SHELL:
            return true;
        default:
            break;
        }
    }
    return false;
}

static void check_fall_off(struct lint_ctx *ctx)
{
    const struct lint_tree_facts *tree;
    const struct lint_line *lines, *last = NULL;
    size_t n, i;

    if (lint_is_subscript(ctx) || lint_is_template(ctx))
        return;
    lines = lint_lines(ctx, &n);
    for (i = 0; i < n; i++) {
        if (lines[i].has_code)
            last = &lines[i];
    }
    if (!last || !last->reachable || !(last->flow & LINT_FLOW_NEXT) ||
        hands_over(last))
        return;
    tree = lint_tree_facts(ctx);
    if (tree && tree->caller) {
        /* booted first, and chained too (a menu a submenu chains back) */
        lint_report(ctx, &falls_off_end, line_code_span(last),
                    "the script can end after this line without exit, boot, "
                    "chain or sanboot: booted first, it returns success and "
                    "the server goes on to its next boot option; chained by "
                    "'%s' (line %u), it returns there and that script goes "
                    "on after its 'chain'",
                    lint_show(ctx, tree->caller, strlen(tree->caller)),
                    tree->caller_line);
        return;
    }
    lint_report(ctx, &falls_off_end, line_code_span(last),
                "the script can end after this line without exit, boot, "
                "chain or sanboot: it returns success to whatever ran it, and "
                "a server booting from it goes on to its next boot option");
}
