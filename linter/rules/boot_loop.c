/* SPDX-License-Identifier: MIT */
/** @file Downloads repeated by a loop (IPX2303): the goto graph, its cycles,
 *  and which downloads a cycle repeats.
 *
 * Spec references are to ipxe-language.md: §1.6 exit, §1.8 chain,
 * --replace and --autofree, §5.1-§5.2 URIs and schemes, §5.4 sanboot.
 */
#include "boot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_chain_in_loop(struct lint_ctx *ctx);

static const struct lint_rule chain_in_loop = {
    .code = "IPX2303",
    .name = "chain-in-loop",
    .sev = DIAG_WARNING,
    .summary =
        "a download a loop repeats while earlier copies stay registered (no "
        "--autofree or imgfree)",
    .on_script = check_chain_in_loop,
};

const struct lint_rule *const lint_rules_boot_loop[] = {
    &chain_in_loop,
    NULL,
};

/* ---- IPX2303: downloads repeated by a loop (spec §1.8) ---- */

/* Whether @p cmd downloads an image that stays registered afterwards:
 * no --autofree, no --replace, and not a bare name (which re-uses the
 * image registered on the first pass). */
static bool cmd_keeps_download(const struct lint_cmd *cmd)
{
    unsigned id = lint_cmd_id(cmd);
    struct uri_word u;
    const struct ast_word *w;

    if (id != CMD_ID_IMGFETCH && id != CMD_ID_IMGSELECT && id != CMD_ID_IMGEXEC)
        return false;
    if (cmd->call.error != CMD_OK || cmd->call.nargs == 0)
        return false;
    if (cmdparse_opt(&cmd->call, "autofree") ||
        cmdparse_opt(&cmd->call, "replace"))
        return false;
    w = cmd_arg(cmd, 0);
    if (!w || id == CMD_ID_IMGFETCH)
        return w != NULL;
    boot_uri_word_init(&u, w, USE_ACQUIRE, 0);
    return !boot_uri_is_bare(&u);
}

/* What running one segment can lead to, for the loop analysis. */
enum sim_out {
    SIM_OK = 1 << 0,   /**< status 0 */
    SIM_FAIL = 1 << 1, /**< non-zero status */
    SIM_JUMP = 1 << 2, /**< a goto: the line ends, a label is next */
};

/* Unlike the engine, a `boot` of the selected image is taken not to come
 * back when it works (a kernel never does), and only chaining a named
 * image (usually a script) returns. */
static unsigned sim_outcomes(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    unsigned id = lint_cmd_id(cmd);

    if (cmd->seg->argc == 0)
        return SIM_OK;
    if (id == CMD_ID_NONE)
        return cmd->call.dynamic ? SIM_OK | SIM_FAIL : SIM_FAIL;
    if (cmd->call.error != CMD_OK)
        return SIM_FAIL;
    switch (id) {
    case CMD_ID_GOTO: {
        const struct ast_word *w = cmd_arg(cmd, 0);

        if (!w || !ast_word_is_static(w))
            return SIM_JUMP | SIM_FAIL; /* `goto ${x} ||` may not jump */
        return cmd->target ? SIM_JUMP : SIM_FAIL;
    }
    case CMD_ID_EXIT:
    case CMD_ID_REBOOT:
        return 0;
    case CMD_ID_POWEROFF:
    case CMD_ID_SANBOOT:
        return SIM_FAIL;
    case CMD_ID_IMGEXEC:
        if (cmd->call.nargs == 0 || cmdparse_opt(&cmd->call, "replace"))
            return SIM_FAIL;
        break;
    case CMD_ID_ECHO:
    case CMD_ID_SET:
    case CMD_ID_CLEAR:
    case CMD_ID_IMGFREE:
    case CMD_ID_ITEM:
    case CMD_ID_MENU:
        return SIM_OK;
    default:
        break;
    }
    return SIM_OK | SIM_FAIL;
}

/*
 * Run line @p ll over the statuses its segments can have (spec §2.4).
 * With @p only < ncmds, count only the paths on which segment @p only ran
 * and succeeded.  Returns whether control can go on to the next line;
 * @p gotos gets a bit for every goto segment (of the first 64) that can run.
 */
static bool line_sim(struct lint_ctx *ctx, const struct lint_line *ll,
                     uint32_t only, uint64_t *gotos, const uint8_t *outs)
{
    /* states: bit (failed + 2 * ran), "ran" meaning segment @p only ran
     * and succeeded (always true when every path counts) */
    unsigned live = only < ll->ncmds ? 1u : 4u;
    uint32_t j;

    *gotos = 0;
    if (ll->line->flags & AST_L_DANGLING)
        return false;
    for (j = 0; j < ll->ncmds && live; j++) {
        const struct lint_cmd *cmd = &ll->cmds[j];
        const struct ast_word *op = lint_cmd_op_before(cmd);
        unsigned runs = live, out;

        if (op && op->kind == AST_AND)
            runs = live & 5u;
        else if (op && op->kind == AST_OR)
            runs = live & 10u;
        if (!runs)
            continue;
        live &= ~runs;
        if (j == only) {
            live |= 4u;
            continue;
        }
        out = outs ? outs[j] : sim_outcomes(ctx, cmd);
        if (out & SIM_OK)
            live |= (runs & 3u ? 1u : 0u) | (runs & 12u ? 4u : 0u);
        if (out & SIM_FAIL)
            live |= (runs & 3u ? 2u : 0u) | (runs & 12u ? 8u : 0u);
        if ((out & SIM_JUMP) && (runs & 12u) && j < 64)
            *gotos |= (uint64_t)1 << j;
    }
    return (live & 4u) != 0;
}

/* The line graph: line i goes on to i + 1 and to its goto targets; one
 * extra node stands for every target of a `goto ${...}`. */
struct graph {
    uint32_t n;       /**< nodes: lines + 1 */
    uint32_t *first;  /**< n + 1 offsets into to[] */
    uint32_t *to;     /**< edge targets */
    uint32_t *gotoat; /**< per edge: the goto's line, or UINT32_MAX */
};

/* Whether goto @p k of @p ll runs only when a download before it on the
 * line failed (`chain x || goto retry`): a failed download registers
 * nothing, so such a retry loop keeps no images. */
static bool goto_after_failed_download(const struct lint_line *ll, uint32_t k)
{
    const struct ast_word *op = lint_cmd_op_before(&ll->cmds[k]);
    uint32_t j;

    if (!op || op->kind != AST_OR)
        return false;
    for (j = 0; j < k; j++) {
        const struct lint_cmd *cmd = &ll->cmds[j];

        if ((lint_cmd_is(cmd, CMD_ID_IMGFETCH) ||
             lint_cmd_is(cmd, CMD_ID_IMGSELECT) ||
             lint_cmd_is(cmd, CMD_ID_IMGEXEC)) &&
            cmd->call.nargs > 0)
            return true;
    }
    return false;
}

/* The target node of goto @p cmd: a line, the hub, or UINT32_MAX. */
static uint32_t goto_target(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                            uint32_t hub)
{
    const struct ast_word *w;
    const struct lint_label *l;

    if (!lint_cmd_is(cmd, CMD_ID_GOTO) || cmd->call.error != CMD_OK ||
        cmd->call.nargs != 1)
        return UINT32_MAX;
    w = cmd_arg(cmd, 0);
    if (!w)
        return UINT32_MAX;
    if (!ast_word_is_static(w))
        return hub;
    l = cmd->target;
    return l ? l->line : UINT32_MAX;
}

/* Words a `goto ${...}` can plausibly expand to: menu item names, `set`
 * values of one word, `choose --default` values.  A literal word marks
 * the label it names; the others are kept. */
struct word_list {
    uint8_t *named; /**< (malloc) per label: a literal word names the
                         first label of that name */
    const struct ast_word *prefix[16]; /**< words known only up to their
                                            literal prefix (`utils-${x}`) */
    size_t nprefix;
    bool all; /**< some are unknown: any label may be hit */
};

/* Add a word a goto may name: an expansion can be anything, unless it
 * has a literal start (`utils-${platform}`). */
static void word_list_add(struct lint_ctx *ctx, struct word_list *l,
                          const struct ast_word *w)
{
    if (!w)
        return;
    if (ast_word_is_static(w)) {
        size_t n;
        const struct lint_label *labels = lint_labels(ctx, &n);
        const struct lint_label *lb = lint_label_find(ctx, w->text, w->len);

        if (lb && l->named)
            l->named[lb - labels] = 1;
        else if (lb)
            l->all = true; /* out of memory */
    } else if (literal_prefix(w) == 0 || l->nprefix == 16) {
        l->all = true;
    } else {
        l->prefix[l->nprefix++] = w;
    }
}

static bool word_list_has(const struct word_list *l,
                          const struct lint_label *lb)
{
    const struct ast_word *w = lb->word;
    size_t i;

    if (l->all)
        return true;
    if (l->named && l->named[lb->first])
        return true;
    for (i = 0; i < l->nprefix; i++) {
        uint32_t n = literal_prefix(l->prefix[i]);

        if (w->len >= n && memcmp(w->text, l->prefix[i]->text, n) == 0)
            return true;
    }
    return false;
}

/* Add edge @p v -> @p to (a goto on line @p at, or UINT32_MAX). */
static bool graph_edge(struct graph *g, uint32_t *cap, uint32_t e, uint32_t to,
                       uint32_t at)
{
    if (e == *cap) {
        uint32_t c = *cap ? *cap * 2 : 1024;
        uint32_t *t = realloc(g->to, c * sizeof(*t));

        if (!t)
            return false;
        g->to = t;
        t = realloc(g->gotoat, c * sizeof(*t));
        if (!t)
            return false;
        g->gotoat = t;
        *cap = c;
    }
    g->to[e] = to;
    g->gotoat[e] = at;
    return true;
}

static void graph_release(struct graph *g)
{
    free(g->first);
    free(g->to);
    free(g->gotoat);
    memset(g, 0, sizeof(*g));
}

/* Tarjan's strongly connected components, without recursion: @p comp gets
 * each node's component, @p size each component's node count.  Returns 0
 * or -ENOMEM. */
static int graph_scc(const struct graph *g, uint32_t *comp, uint32_t *size)
{
    uint32_t *index = malloc(g->n * sizeof(*index));
    uint32_t *low = malloc(g->n * sizeof(*low));
    uint32_t *stack = malloc(g->n * sizeof(*stack));
    uint32_t *call = malloc(g->n * sizeof(*call));
    uint32_t *edge = malloc(g->n * sizeof(*edge));
    bool *on = calloc(g->n, sizeof(*on));
    uint32_t counter = 0, sp = 0, ncomp = 0, root, v;
    int rc = -ENOMEM;

    if (!index || !low || !stack || !call || !edge || !on)
        goto out;
    for (v = 0; v < g->n; v++)
        index[v] = UINT32_MAX;
    for (root = 0; root < g->n; root++) {
        uint32_t depth = 0;

        if (index[root] != UINT32_MAX)
            continue;
        call[depth++] = root;
        index[root] = low[root] = counter++;
        edge[root] = g->first[root];
        stack[sp++] = root;
        on[root] = true;
        while (depth) {
            v = call[depth - 1];
            if (edge[v] < g->first[v + 1]) {
                uint32_t w = g->to[edge[v]++];

                if (index[w] == UINT32_MAX) {
                    index[w] = low[w] = counter++;
                    edge[w] = g->first[w];
                    stack[sp++] = w;
                    on[w] = true;
                    call[depth++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            /* v is done: pop its component if it is a root */
            if (low[v] == index[v]) {
                uint32_t w, count = 0;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    comp[w] = ncomp;
                    count++;
                } while (w != v);
                size[ncomp++] = count;
            }
            depth--;
            if (depth && low[v] < low[call[depth - 1]])
                low[call[depth - 1]] = low[v];
        }
    }
    rc = 0;
out:
    free(index);
    free(low);
    free(stack);
    free(call);
    free(edge);
    free(on);
    return rc;
}

/* Per component, the line of a goto that closes a loop in it: the last
 * backward goto (to a line at or before it, or any `goto ${...}`), else
 * any goto inside it; UINT32_MAX if none.  One pass over the edges. */
static void loop_witnesses(const struct graph *g, const uint32_t *comp,
                           uint32_t *witness, bool *backward)
{
    uint32_t v, e, hub = g->n - 1;

    for (v = 0; v < g->n; v++) {
        witness[v] = UINT32_MAX;
        backward[v] = false;
    }
    for (v = 0; v < hub; v++) {
        for (e = g->first[v]; e < g->first[v + 1]; e++) {
            uint32_t t = g->to[e], c = comp[v];
            bool back = t <= v || t == hub;

            if (g->gotoat[e] == UINT32_MAX || comp[t] != c)
                continue;
            if (back || !backward[c]) {
                witness[c] = v;
                backward[c] = back;
            }
        }
    }
}

/* Whether a goto on line @p v closes a loop of its component: it goes
 * back to a line at or before it, or it is a `goto ${...}`. */
static bool closes_loop(const struct graph *g, const uint32_t *comp, uint32_t v)
{
    uint32_t hub = g->n - 1, c = comp[v], e;

    for (e = g->first[v]; e < g->first[v + 1]; e++) {
        uint32_t t = g->to[e];

        if (g->gotoat[e] != UINT32_MAX && comp[t] == c && (t <= v || t == hub))
            return true;
    }
    return false;
}

/* Whether node @p v has an edge to itself. */
static bool self_loop(const struct graph *g, uint32_t v)
{
    uint32_t e;

    for (e = g->first[v]; e < g->first[v + 1]; e++) {
        if (g->to[e] == v)
            return true;
    }
    return false;
}

/* The goto word on @p line (for the message). */
static const struct ast_word *goto_word(const struct lint_line *ll)
{
    uint32_t k;

    for (k = 0; k < ll->ncmds; k++) {
        if (lint_cmd_is(&ll->cmds[k], CMD_ID_GOTO) &&
            ll->cmds[k].call.nargs == 1)
            return cmd_arg(&ll->cmds[k], 0);
    }
    return NULL;
}

static void report_loop(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                        const struct lint_line *lines, uint32_t witness,
                        uint32_t more)
{
    const struct ast_word *target = NULL;
    char via[160] = "", others[64] = "";

    if (witness != UINT32_MAX)
        target = goto_word(&lines[witness]);
    if (target)
        snprintf(via, sizeof(via), " through 'goto %.*s' on line %u",
                 target->len < 64 ? (int)target->len : 64, target->text,
                 lint_line_at(ctx, lines[witness].line->span.start));
    if (more)
        snprintf(others, sizeof(others), " (and %u more download%s)", more,
                 more == 1 ? "" : "s");
    lint_report(ctx, &chain_in_loop, cmd->seg->argv[0]->span,
                "'%s'%s runs again on each pass of the loop%s, and the "
                "images from earlier passes stay registered: memory fills "
                "up, and an old initrd can reach the next kernel; run "
                "'imgfree' at the top of the loop, or give 'chain' "
                "'--autofree'",
                cmd_name(cmd), others, via);
}

/* Whether, once segment @p k of line @p i has downloaded its image, control
 * can come back to the line: a successor on those paths lies in the
 * line's own component.  A loop that only a failed download enters
 * (`chain x || goto retry`) keeps no image. */
static bool loops_on_success(struct lint_ctx *ctx, const struct graph *g,
                             const uint32_t *comp,
                             const struct lint_line *lines, size_t n,
                             uint32_t i, uint32_t k)
{
    uint32_t hub = g->n - 1, j;
    uint64_t gotos;
    bool next = line_sim(ctx, &lines[i], k, &gotos, NULL);

    if (next && i + 1 < n && comp[i + 1] == comp[i])
        return true;
    for (j = 0; j < lines[i].ncmds && j < 64; j++) {
        uint32_t t;

        if (!(gotos & ((uint64_t)1 << j)))
            continue;
        t = goto_target(ctx, &lines[i].cmds[j], hub);
        if (t != UINT32_MAX && comp[t] == comp[i])
            return true;
    }
    return false;
}

/* The first download of each loop, and how many there are. */
struct loop_first {
    const struct lint_cmd *cmd; /**< the first, in file order */
    uint32_t count;             /**< downloads in the loop */
    uint32_t witness;           /**< the goto line to name */
};

/*
 * What IPX2303 gathers from every line, in order, when a loop is possible
 * (may_loop()): the line graph and the words a `goto ${...}` may name.
 */
struct loop_data {
    struct graph g;           /**< first[] per line so far; to[], gotoat[] */
    uint32_t e, cap;          /**< edges, and room for them */
    uint8_t *kept;            /**< per line: has a download that stays */
    bool any;                 /**< some download stays registered */
    bool oom;                 /**< memory ran out: say nothing */
    struct nameset vars;      /**< settings some `goto ${name}` reads */
    bool all_vars;            /**< some goto target is not a plain ${name}
                                   (or memory ran out for vars) */
    struct word_list targets; /**< item names, defaults, set values */
    const struct ast_word **sets; /**< (malloc) `set name value` pairs,
                                       kept until the vars are known */
    size_t nsets, capsets;
};

static void loop_data_init(struct lint_ctx *ctx, struct loop_data *d)
{
    size_t n, nlabels;

    memset(d, 0, sizeof(*d));
    lint_lines(ctx, &n);
    lint_labels(ctx, &nlabels);
    d->g.n = (uint32_t)n + 1;
    d->g.first = malloc(((size_t)n + 2) * sizeof(*d->g.first));
    d->kept = calloc(n ? n : 1, 1);
    if (!d->g.first || !d->kept)
        d->oom = true;
    if (lint_has_dynamic_goto(ctx))
        d->targets.named = calloc(nlabels ? nlabels : 1, 1);
}

static void loop_set_add(struct loop_data *d, const struct ast_word *name,
                         const struct ast_word *value)
{
    if (d->nsets + 2 > d->capsets) {
        size_t cap = d->capsets ? d->capsets * 2 : 64;
        const struct ast_word **p = realloc(d->sets, cap * sizeof(*p));

        if (!p) {
            d->targets.all = true;
            return;
        }
        d->sets = p;
        d->capsets = cap;
    }
    d->sets[d->nsets++] = name;
    d->sets[d->nsets++] = value;
}

/* Note what goto targets command @p cmd can give a `goto ${...}`. */
static void loop_note_targets(struct lint_ctx *ctx, struct loop_data *d,
                              const struct lint_cmd *cmd)
{
    const struct cmd_optval *def;
    const struct ast_word *w;

    switch (lint_cmd_id(cmd)) {
    case CMD_ID_GOTO:
        if (cmd->call.nargs != 1 || !(w = cmd_arg(cmd, 0)) ||
            ast_word_is_static(w))
            break;
        /* a plain `${name}` is noted; any other (or no memory) may be
         * any setting */
        if (!(w->len > 3 && memcmp(w->text, "${", 2) == 0 &&
              memchr(w->text + 2, '$', w->len - 2) == NULL &&
              memchr(w->text + 2, '}', w->len - 3) == NULL &&
              w->text[w->len - 1] == '}') ||
            nameset_add(&d->vars, w->text + 2, w->len - 3, 0))
            d->all_vars = true;
        break;
    case CMD_ID_ITEM:
        if (cmd->call.nargs && !cmdparse_opt(&cmd->call, "gap"))
            word_list_add(ctx, &d->targets, cmd_arg(cmd, 0));
        break;
    case CMD_ID_SET:
        /* a value counts if some `goto ${name}` reads the setting */
        if (cmd->call.nargs == 2 && (w = cmd_arg(cmd, 0)))
            loop_set_add(d, w, cmd_arg(cmd, 1));
        break;
    case CMD_ID_CHOOSE:
        /* a default is an item name: only a literal one adds */
        def = cmdparse_opt(&cmd->call, "default");
        if (def && def->value && def->vlen == def->value->len &&
            ast_word_is_static(def->value))
            word_list_add(ctx, &d->targets, def->value);
        break;
    default:
        break;
    }
}

/* One line: its edges (a line that runs `imgfree` has none, since a loop
 * through it does not keep old images), its downloads, its targets. */
static void loop_line(struct lint_ctx *ctx, struct loop_data *d,
                      const struct lint_line *ll)
{
    uint32_t i = lint_line_index(ctx, ll), hub, k,
             n = ll->ncmds < 64 ? ll->ncmds : 64;
    uint32_t target[64];
    uint8_t outs[64];
    bool dead = false, next, dynamic = lint_has_dynamic_goto(ctx);
    uint64_t gotos;
    size_t nlines;

    if (d->oom)
        return;
    d->g.first[i] = d->e;
    hub = d->g.n - 1;
    lint_lines(ctx, &nlines);
    for (k = 0; k < ll->ncmds; k++) {
        const struct lint_cmd *cmd = &ll->cmds[k];
        unsigned id = lint_cmd_id(cmd);

        if (k < 64) {
            /* a goto's label is looked up once, for both uses */
            target[k] = goto_target(ctx, cmd, hub);
            if (id == CMD_ID_GOTO && cmd->call.error == CMD_OK &&
                cmd_arg(cmd, 0))
                outs[k] = target[k] == hub          ? SIM_JUMP | SIM_FAIL
                          : target[k] == UINT32_MAX ? SIM_FAIL
                                                    : SIM_JUMP;
            else
                outs[k] = (uint8_t)sim_outcomes(ctx, cmd);
        }
        if (id == CMD_ID_IMGFREE)
            dead = true;
        if (cmd_keeps_download(cmd))
            d->kept[i] = 1;
        if (dynamic && !cmd->call.dynamic)
            loop_note_targets(ctx, d, cmd);
    }
    d->any |= d->kept[i];
    if (dead)
        return;
    next = line_sim(ctx, ll, UINT32_MAX, &gotos, ll->ncmds <= 64 ? outs : NULL);
    if (next && i + 1 < nlines &&
        !graph_edge(&d->g, &d->cap, d->e++, i + 1, UINT32_MAX))
        d->oom = true;
    for (k = 0; gotos && k < n && !d->oom; k++) {
        uint32_t t = target[k];

        if (!(gotos & ((uint64_t)1 << k)))
            continue;
        if (t == UINT32_MAX || goto_after_failed_download(ll, k))
            continue;
        if (!graph_edge(&d->g, &d->cap, d->e++, t, i))
            d->oom = true;
    }
}

static void loop_data_release(struct loop_data *d)
{
    graph_release(&d->g);
    free(d->kept);
    nameset_release(&d->vars);
    free(d->targets.named);
    free(d->sets);
}

/* The edges of the hub: every label a `goto ${...}` may name. */
static void loop_hub(struct lint_ctx *ctx, struct loop_data *d)
{
    const struct lint_label *labels;
    size_t nlabels, i;

    d->g.first[d->g.n - 1] = d->e;
    if (lint_has_dynamic_goto(ctx)) {
        for (i = 0; i < d->nsets; i += 2) {
            const struct ast_word *name = d->sets[i];

            if (d->all_vars ||
                nameset_get(&d->vars, name->text, name->len, NULL))
                word_list_add(ctx, &d->targets, d->sets[i + 1]);
        }
        labels = lint_labels(ctx, &nlabels);
        for (i = 0; i < nlabels && !d->oom; i++) {
            /* an edge into a line that runs imgfree is harmless: that
             * line has no edges of its own, so no loop goes through it */
            if (!word_list_has(&d->targets, &labels[i]))
                continue;
            if (!graph_edge(&d->g, &d->cap, d->e++, labels[i].line, UINT32_MAX))
                d->oom = true;
        }
    }
    d->g.first[d->g.n] = d->e;
    if (!d->g.to && !graph_edge(&d->g, &d->cap, 0, 0, 0)) /* never NULL */
        d->oom = true;
}

/* Whether control can come back to a line at all: fall-through and a
 * goto to a label further down go down the file, so only a goto to a label
 * on or above its own line, or a `goto ${...}` (which may name any label),
 * can close a loop.  Most scripts have neither, and skip the graph. */
static bool may_loop(struct lint_ctx *ctx)
{
    const struct lint_line *lines;
    size_t n, i;
    uint32_t k;

    if (lint_has_dynamic_goto(ctx))
        return true;
    lines = lint_lines(ctx, &n);
    for (i = 0; i < n; i++) {
        for (k = 0; k < lines[i].ncmds; k++) {
            const struct lint_cmd *cmd = &lines[i].cmds[k];
            if (lint_cmd_is(cmd, CMD_ID_GOTO) && cmd->target &&
                cmd->target->line <= i)
                return true;
        }
    }
    return false;
}

static void check_chain_in_loop(struct lint_ctx *ctx)
{
    struct loop_data d;
    const struct lint_line *lines;
    struct loop_first *first = NULL;
    struct graph *g;
    uint32_t *comp = NULL, *size = NULL, *witness = NULL, *near = NULL, k;
    bool *backward = NULL;
    size_t n, i;

    if (!may_loop(ctx))
        return;
    loop_data_init(ctx, &d);
    lines = lint_lines(ctx, &n);
    for (i = 0; i < n && !d.oom; i++)
        loop_line(ctx, &d, &lines[i]);
    if (d.oom || !d.any)
        goto out;
    loop_hub(ctx, &d);
    if (d.oom)
        goto out;
    g = &d.g;
    comp = malloc(g->n * sizeof(*comp));
    size = malloc(g->n * sizeof(*size));
    if (!comp || !size || graph_scc(g, comp, size))
        goto out;
    /* after graph_scc() has freed its own arrays, not beside them: 21
     * bytes a line less at the peak, tens of MB on a 100 MB script */
    witness = malloc(g->n * sizeof(*witness));
    backward = malloc(g->n * sizeof(*backward));
    near = malloc(g->n * sizeof(*near));
    first = calloc(g->n, sizeof(*first));
    if (!witness || !backward || !near || !first)
        goto out;
    loop_witnesses(g, comp, witness, backward);
    for (i = 0; i < n; i++) {
        const struct lint_line *ll = &lines[i];
        uint32_t c = comp[i];

        if (!d.kept[i] || !ll->reachable ||
            (size[c] < 2 && !self_loop(g, (uint32_t)i)))
            continue;
        for (k = 0; k < ll->ncmds; k++) {
            if (!cmd_keeps_download(&ll->cmds[k]) ||
                !loops_on_success(ctx, g, comp, lines, n, (uint32_t)i, k))
                continue;
            if (!first[c].cmd)
                first[c].cmd = &ll->cmds[k];
            first[c].count++;
        }
    }
    /* The goto to name: the first at or after the download that closes
     * the loop, if it is near (one backward sweep keeps, per component,
     * the nearest such line below); else the loop's witness */
    for (i = 0; i < g->n; i++)
        near[i] = UINT32_MAX;
    for (i = n; i-- > 0;) {
        uint32_t c = comp[i];

        if (closes_loop(g, comp, (uint32_t)i))
            near[c] = (uint32_t)i;
        if (first[c].cmd && lint_line_index(ctx, first[c].cmd->ll) == i)
            first[c].witness = near[c] != UINT32_MAX && near[c] < i + 4096
                                   ? near[c]
                                   : witness[c];
    }
    /* One finding per loop, at its first download */
    for (i = 0; i < g->n; i++) {
        if (first[i].cmd)
            report_loop(ctx, first[i].cmd, lines, first[i].witness,
                        first[i].count - 1);
    }
out:
    free(near);
    free(first);
    free(comp);
    free(size);
    free(witness);
    free(backward);
    loop_data_release(&d);
}
