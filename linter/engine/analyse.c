/* SPDX-License-Identifier: MIT */
/** @file The engine's walk and shared analyses: each command read as
 *  iPXE's getopt reads it, labels, the settings a script stores, what each
 *  line's commands can do, and which lines control can reach. */
#include "ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* ---- the walk: commands, labels, settings ---- */

/* In a template, words that are only `{% %}`/`{# #}` tags vanish when it is
 * rendered: lint the segment without them. */
static const struct ast_segment *
segment_without_control(struct lint_ctx *ctx, const struct ast_segment *seg)
{
    struct ast_segment *copy;
    uint32_t i, n = 0;

    for (i = 0; i < seg->argc; i++) {
        if (seg->argv[i]->flags & AST_W_CONTROL)
            break;
    }
    if (i == seg->argc)
        return seg;
    copy = ctx_zalloc(ctx, sizeof(*copy) + seg->argc * sizeof(copy->argv[0]));
    if (!copy)
        return seg;
    copy->op = seg->op;
    copy->next = seg->next;
    for (i = 0; i < seg->argc; i++) {
        if (!(seg->argv[i]->flags & AST_W_CONTROL))
            copy->argv[n++] = seg->argv[i];
    }
    copy->argc = n;
    return copy;
}

bool lint_cmd_stores_setting(enum cmd_id id)
{
    switch (id) {
    case CMD_ID_CHOOSE:
    case CMD_ID_CLEAR:
    case CMD_ID_IMGSET:
    case CMD_ID_INC:
    case CMD_ID_NSLOOKUP:
    case CMD_ID_PCISCAN:
    case CMD_ID_READ:
    case CMD_ID_SET:
    case CMD_ID_USBSCAN:
        return true;
    default:
        return false;
    }
}

/* The digest commands: `md5sum --set x` and the like store the digest. */
static bool cmd_is_digest(enum cmd_id id)
{
    switch (id) {
    case CMD_ID_MD4SUM:
    case CMD_ID_MD5SUM:
    case CMD_ID_SHA1SUM:
    case CMD_ID_SHA224SUM:
    case CMD_ID_SHA256SUM:
    case CMD_ID_SHA384SUM:
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
    if (nameset_put(&ctx->label_index, w->text, w->len, (uint32_t)ctx->nlabels,
                    &l->first))
        ctx->oom = true;
    ctx->nlabels++;
}

static int walk_line(struct lint_ctx *ctx, struct lint_line *ll)
{
    const struct ast_line *line = ll->line;
    const struct ast_segment *seg;
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
        label_add(ctx, line->label, lint_line_index(ctx, ll));
    for (seg = line->segs, i = 0; seg; seg = seg->next, i++) {
        struct lint_cmd *cmd = &ll->cmds[i];
        const struct cmd_call *call = &cmd->call;

        cmd->seg =
            ctx->script->is_template ? segment_without_control(ctx, seg) : seg;
        cmd->ll = ll;
        if (cmd->seg != seg)
            ll->has_control = true; /* words were dropped: control tags */
        if (cmdparse(cmd->seg, ctx->arena, &cmd->call))
            return -ENOMEM;
        if (cmd->seg->argc)
            ll->has_code = true;
        if (!call->def || call->dynamic)
            continue;
        id = call->def->id;
        if (call->nargs && lint_cmd_stores_setting(id)) {
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
    case CMD_ID_CLEAR:
    case CMD_ID_ECHO:
    case CMD_ID_HELP:
    case CMD_ID_IMGFREE:
    case CMD_ID_IMGSTAT:
    case CMD_ID_ITEM:
    case CMD_ID_MENU:
    case CMD_ID_PARAMS:
    case CMD_ID_ROUTE:
    case CMD_ID_SET:
    case CMD_ID_SYNC:
    case CMD_ID_IFSTAT:
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
        if (w && ast_word_is_static(w) &&
            !cmdparse_integer(w->text, w->len, &status))
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
        const struct ast_word *op = lint_cmd_op_before(cmd);
        unsigned runs = live, out, next = 0;

        if (op && op->kind == AST_AND)
            runs = live & 1;
        else if (op && op->kind == AST_OR)
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
            stack[top++] = (uint32_t)i;
        }
    }
    /* Any label may be the target of a goto whose target is an expansion. */
    if (ctx->dynamic_goto) {
        for (i = 0; i < ctx->nlabels; i++) {
            uint32_t at = ctx->labels[i].line;
            if (!ctx->lines[at].reachable) {
                ctx->lines[at].reachable = true;
                stack[top++] = at;
            }
        }
    }
    while (top) {
        uint32_t at = stack[--top], k;
        struct lint_line *ll = &ctx->lines[at];

        if ((ll->flow & LINT_FLOW_NEXT) && at + 1 < ctx->nlines &&
            !ctx->lines[at + 1].reachable) {
            ctx->lines[at + 1].reachable = true;
            stack[top++] = at + 1;
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

/* ---- the whole analysis ---- */

void analyse_release(struct lint_ctx *ctx)
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

int analyse_script(struct lint_ctx *ctx)
{
    const struct ast_line *line;
    size_t i;
    int rc;

    ctx->nlines = ctx->script->nlines;
    if (nameset_reserve(&ctx->label_index, ctx->script->nlabels))
        return -ENOMEM;
    ctx->lines =
        ctx_zalloc(ctx, (ctx->nlines ? ctx->nlines : 1) * sizeof(*ctx->lines));
    if (!ctx->lines)
        return -ENOMEM;
    for (line = ctx->script->lines, i = 0; line; line = line->next, i++) {
        ctx->lines[i].line = line;
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
