/* SPDX-License-Identifier: MIT */
/** @file Running the rules over one script: each active rule's hooks
 *  once, a large file's families in two halves on two threads. */
#include "ctx.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "source.h"

/* Each hook once, however many active rules share it: a family can give
 * one pass to all its rules, and it runs if any of them is on. */
struct hooks {
    void (*line[256])(struct lint_ctx *ctx, const struct lint_line *ll);
    void (*cmd[256])(struct lint_ctx *ctx, const struct lint_cmd *cmd);
    void (*script[256])(struct lint_ctx *ctx);
    size_t nline, ncmd, nscript;
};

/* Add hook @p fn to @p list unless it is there since @p from: a hook
 * belongs to one family, whose rules are neighbours in the registry
 * (tests/unit/test_registry.c), so only its family's part of the list is
 * looked at. */
#define ADD_HOOK(list, n, from, fn)                                            \
    do {                                                                       \
        size_t k_ = (from);                                                    \
        while ((fn) && k_ < (n) && (list)[k_] != (fn))                         \
            k_++;                                                              \
        if ((fn) && k_ == (n) && (n) < 256)                                    \
            (list)[(n)++] = (fn);                                              \
    } while (0)

/* The hooks of the active rules whose family is in @p families (a bit per
 * family, the registry's order). */
static void hooks_collect(const struct lint_ctx *ctx, struct hooks *h,
                          unsigned families)
{
    size_t r, line0 = 0, cmd0 = 0, script0 = 0;

    h->nline = h->ncmd = h->nscript = 0;
    for (r = 0; r < ctx->nrules; r++) {
        const struct lint_rule *rule = ctx->rules->rules[r];
        if (r > 0 && ctx->rules->family[r] != ctx->rules->family[r - 1]) {
            line0 = h->nline; /* a new family: none of its hooks yet */
            cmd0 = h->ncmd;
            script0 = h->nscript;
        }
        if ((ctx->opts->rules && !ctx->opts->rules[r].enabled) ||
            ctx->file_off[r] || !(families >> ctx->rules->family[r] & 1))
            continue;
        /* A dialect the linter does not read: what iPXE would make of its
         * lines means nothing, so only the rule that says so runs. */
        if (ctx->script->dialect == AST_DIALECT_CHEETAH &&
            rule != ctx->rules->unchecked)
            continue;
        ADD_HOOK(h->line, h->nline, line0, rule->on_line);
        ADD_HOOK(h->cmd, h->ncmd, cmd0, rule->on_command);
        ADD_HOOK(h->script, h->nscript, script0, rule->on_script);
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
 * the same on big scripts (the registry says which go to the second
 * thread: struct lint_ruleset's second_half).  Rules only read the engine's
 * analyses; what they write (findings and their text, memos, the
 * out-of-memory flag) goes to the second half's own copy of the context,
 * merged afterwards.  The findings are then sorted by position and code,
 * so the report is the same as from one thread.
 */
#define FAMILIES_ALL (~0u)
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

bool lint_threads_allowed(const struct lint_options *opts)
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
    return ctx->nlines >= PARALLEL_MIN_LINES && lint_threads_allowed(ctx->opts);
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
    memset(half->ctx.memo_slot, 0, sizeof(half->ctx.memo_slot));
    half->ctx.oom = false;
    hooks_collect(ctx, &half->hooks, ctx->rules->second_half);
    hooks_collect(ctx, &h, FAMILIES_ALL & ~ctx->rules->second_half);
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

int lint_engine_run(struct source *src, const struct ast_script *script,
                    const struct lint_options *opts,
                    const struct lint_ruleset *rules, struct arena *a,
                    struct diag_list *out, size_t first)
{
    struct lint_ctx ctx;
    const char *const *v;
    int rc;

    memset(&ctx, 0, sizeof(ctx));
    ctx.src = src;
    ctx.script = script;
    ctx.arena = a;
    ctx.diags = out;
    ctx.opts = opts;
    ctx.platform = opts->platform;
    ctx.rules = rules;
    ctx.nrules = rules->n;
    directives_parse_findings(&ctx, first);
    ctx.file_off = ctx_zalloc(&ctx, ctx.nrules ? ctx.nrules : 1);
    for (v = opts->external_vars; v && *v; v++)
        ctx_add_names(&ctx, &ctx.ext_vars, *v, strlen(*v));
    rc = ctx.file_off ? analyse_script(&ctx) : -ENOMEM;
    if (!rc)
        lint_run_rules(&ctx);
    if (!rc && ctx.oom)
        rc = -ENOMEM;
    analyse_release(&ctx);
    diag_sort(out);
    return rc;
}
