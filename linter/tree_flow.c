/* SPDX-License-Identifier: MIT */
/** @file What each script of a tree does, and what flows between them.
 *
 * Per script (tree_collect()): the commands that store a setting, those
 * that hand over to another script (chain, imgexec/boot, or imgfetch and
 * kernel followed by a boot), the settings it reads, and which stores
 * reach which line (reaching definitions over the script's lines: gotos,
 * dynamic ones to every label, and failures that end the script).
 *
 * Across scripts (tree_analyse()): the values a setting can have, as sets
 * of at most VSET_MAX strings (more, or a value only known at run time, is
 * "unknown"), flow from a chain to the script it reaches; a URI built from
 * known values gives new chains.  Value sets only grow, and a set grows at
 * most VSET_MAX + 1 times, so the worklist ends on any graph, cycles
 * included.  Then the settings set on every path from an entry (a
 * greatest fixpoint of intersections) and on some path (a least fixpoint
 * of unions), as bitsets: each script's sets change at most once per
 * setting, so the work is linear in scripts plus edges times settings.
 */
#include "tree_flow.h"

#include "tree_int.h"
#include "tree_missing.h"
#include "tree_uri.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmdparse.h"
#include "engine.h"
#include "ruleset.h"
#include "settings_table.h"

/* The setting that stands for "any": what a store whose name is only known
 * at run time sets (no real setting has a control byte in its name). */
#define ANY_NAME "\001any"

/* How deep a value may be built from others (`set a ${b}`, `set b ${c}`). */
#define DEPTH_MAX 6
/* Longest value worked out; a longer one is "unknown". */
#define VALUE_MAX 512
/* Reaching definitions past this many 64-bit words (per script) fall
 * back to "the lines before". */
#define REACH_WORDS_MAX (1u << 20)

/* The one copy of the @p len bytes at @p s among the values, or NULL if
 * memory ran out. */
static const char *intern(struct lint_tree *t, const char *s, size_t len)
{
    const char *copy;
    uint32_t ix;

    if (nameset_get(&t->values, s, len, &ix))
        return t->vals[ix];
    copy = arena_strndup(&t->arena, s, len);
    if (!copy ||
        !lint_grow(&t->vals, &t->nvals, &t->vals_cap, sizeof(*t->vals)) ||
        nameset_add(&t->values, copy, len, (uint32_t)t->nvals))
        return NULL;
    t->vals[t->nvals++] = copy;
    return copy;
}

/* lint_grow() from a smaller start: a tree holds thousands of small
 * scripts, each with a few stores, chains and reads. */
static bool tgrow(void *v, size_t *n, size_t *cap, size_t size)
{
    return lint_grow_from(v, n, cap, size, 2);
}

/* ---- collecting, with the engine's reading of each command ---- */

struct collect_opts {
    struct lint_options o; /* first: lint_options_of() gives its address */
    struct lint_tree *t;
    struct tfile *f;
    int rc;
};

static void collect_script(struct lint_ctx *ctx);

static const struct lint_rule collector = {
    .code = "TREE",
    .name = "tree-collect",
    .sev = DIAG_STYLE,
    .summary = "what a script of a tree stores, reads and chains",
    .on_script = collect_script,
};
static const struct lint_rule *const collector_rules[] = {&collector};
static const uint8_t collector_family[] = {0};
static const struct lint_ruleset collector_set = {
    .rules = collector_rules,
    .family = collector_family,
    .n = 1,
};

/* The first positional argument of @p cmd, or NULL. */
static const struct ast_word *arg_at(const struct lint_cmd *cmd, uint32_t k)
{
    if (cmd->call.nargs <= k || cmd->call.first_arg + k >= cmd->seg->argc)
        return NULL;
    return cmd->seg->argv[cmd->call.first_arg + k];
}

/* The setting a static word names (scope and type aside): false if it has
 * a scope (`net0/ip`) or no name. */
static bool word_setting(const struct ast_word *w, const char **name,
                         size_t *len)
{
    size_t i;

    if (!ast_word_is_static(w) || !w->len)
        return false;
    for (i = 0; i < w->len; i++) {
        if (w->text[i] == '/')
            return false;
        if (w->text[i] == ':')
            break;
    }
    *name = w->text;
    *len = i;
    return i > 0;
}

/* The setting `${name}` names, if @p x is a plain expansion of one (no
 * scope, nothing expanded inside the name); its type may follow. */
static bool expand_setting(const char *data, const struct ast_part *x,
                           uint32_t *from, uint32_t *to, bool *typed)
{
    const struct ast_part *c;
    uint32_t start = x->span.start + 2, end = x->span.end - 1;

    if (x->kind != AST_PART_EXPAND || x->slash != AST_NONE)
        return false;
    *typed = x->colon != AST_NONE;
    if (*typed)
        end = x->colon;
    for (c = x->children; c; c = c->next) {
        if (c->span.start < end && c->span.end > start)
            return false;
    }
    if (end <= start || lint_has_foreign_tag(data + start, end - start))
        return false;
    *from = start;
    *to = end;
    return true;
}

/* The parts of word @p w of @p f, for working out its value later. */
static int tword_make(struct lint_tree *t, struct tfile *f,
                      const struct ast_word *w, struct tword *out)
{
    const char *data = f->src.data;
    const struct ast_part *x;
    uint32_t pos = w->span.start, n = 1;
    struct tpart *p;

    memset(out, 0, sizeof(*out));
    out->span = w->span;
    out->line1 = source_position(&f->src, w->span.start).line;
    if (w->flags & (AST_W_TEMPLATE | AST_W_CONT | AST_W_UNCLOSED)) {
        out->unknown = true;
        return 0;
    }
    for (x = ast_word_parts(w); x; x = x->next)
        n++;
    out->parts = arena_alloc(&t->arena, n * sizeof(*out->parts));
    if (!out->parts)
        return -ENOMEM;
    for (x = ast_word_parts(w);; x = x->next) {
        uint32_t end = x ? x->span.start : w->span.end;
        uint32_t from, to;
        bool typed;

        p = &out->parts[out->n++];
        p->lit = arena_strndup(&t->arena, data + pos, end - pos);
        p->len = end - pos;
        p->id = UINT32_MAX;
        if (!p->lit)
            return -ENOMEM;
        if (!x)
            break;
        if (!expand_setting(data, x, &from, &to, &typed) || typed) {
            out->unknown = true;
            return 0;
        }
        p->id = tree_name_id(t, data + from, to - from);
        if (p->id == UINT32_MAX)
            return -ENOMEM;
        pos = x->span.end;
    }
    return 0;
}

struct collect {
    struct lint_tree *t;
    struct tfile *f;
    uint32_t stamp; /* this file's mark in t->seen (its index + 1) */
    int rc;
};

/* Room in t->seen for every id. */
static int tree_seen_grow(struct lint_tree *t)
{
    if (t->seen_cap < t->nnames) {
        size_t cap = t->names_cap;
        uint32_t *v = realloc(t->seen, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        memset(v + t->seen_cap, 0, (cap - t->seen_cap) * sizeof(*v));
        t->seen = v;
        t->seen_cap = cap;
    }
    return 0;
}

static void note_uses(struct collect *c, const struct ast_part *parts)
{
    const char *data = c->f->src.data;
    const struct ast_part *x;

    for (x = parts; x && !c->rc; x = x->next) {
        uint32_t from, to, id;
        bool typed;
        struct use *u;

        if (x->kind != AST_PART_EXPAND)
            continue;
        note_uses(c, x->children);
        if (!expand_setting(data, x, &from, &to, &typed))
            continue;
        id = tree_name_id(c->t, data + from, to - from);
        if (id == UINT32_MAX || tree_seen_grow(c->t)) {
            c->rc = -ENOMEM;
            return;
        }
        if (c->t->seen[id] == c->stamp)
            continue; /* used before in this script */
        c->t->seen[id] = c->stamp;
        if (!tgrow(&c->f->uses, &c->f->nuses, &c->f->uses_cap,
                       sizeof(*c->f->uses))) {
            c->rc = -ENOMEM;
            return;
        }
        u = &c->f->uses[c->f->nuses++];
        u->id = id;
        u->at = lint_span(from, to);
    }
}

static int add_site(struct lint_tree *t, struct tfile *f, uint32_t line,
                    const struct ast_word *w, bool replace, bool fetch)
{
    struct site *s;

    if (!tgrow(&f->sites, &f->nsites, &f->sites_cap, sizeof(*f->sites)))
        return -ENOMEM;
    s = &f->sites[f->nsites++];
    memset(s, 0, sizeof(*s));
    s->line = line;
    if (tword_make(t, f, w, &s->word))
        return -ENOMEM;
    s->replace = replace;
    s->fetch = fetch;
    return 0;
}

/* Whether @p id is one `goto ${id}` of the script jumps by. */
static bool in_ids(const uint32_t *ids, size_t n, uint32_t id)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (ids[i] == id)
            return true;
    }
    return false;
}

/* The items of the menu being built, from @p first: a `choose` picks one.
 * When the script also does `goto ${name}`, an item that is one of its
 * labels goes there, not on (`goto ${menu} || chain ${menu}.ipxe`). */
static int store_items(struct collect *c, struct lint_ctx *ctx,
                       struct store *st, size_t first, bool dyn_goto)
{
    struct tfile *f = c->f;
    size_t i, n = f->nitems;

    st->item0 = (uint32_t)n;
    for (i = first; i < n; i++) {
        const char *it = f->items[i];
        size_t k;
        if (dyn_goto && lint_label_find(ctx, it, strlen(it)))
            continue;
        /* each value once (interned: one address per value), so that
         * vset_at() can take them as a set */
        for (k = n; k < f->nitems && f->items[k] != it; k++)
            ;
        if (k < f->nitems)
            continue;
        if (!tgrow(&f->items, &f->nitems, &f->items_cap,
                       sizeof(*f->items)))
            return -ENOMEM;
        f->items[f->nitems++] = it;
    }
    st->nitems = (uint32_t)(f->nitems - st->item0);
    return 0;
}

static int collect_store(struct collect *c, struct lint_ctx *ctx,
                         const struct lint_cmd *cmd, uint32_t line,
                         size_t item0, bool items_dyn, const uint32_t *gotos,
                         size_t ngotos)
{
    enum cmd_id id = lint_cmd_id(cmd);
    const struct ast_word *w = arg_at(cmd, 0);
    struct tfile *f = c->f;
    struct store *st;
    const char *name;
    size_t len;

    if (!w)
        return 0;
    if (!ast_word_is_static(w)) {
        /* a name only known at run time (`set ${x} ...`, a template tag):
         * it may be any setting */
        name = ANY_NAME;
        len = sizeof(ANY_NAME) - 1;
    } else if (!word_setting(w, &name, &len)) {
        return 0;
    }
    if (!tgrow(&f->stores, &f->nstores, &f->stores_cap,
                   sizeof(*f->stores)))
        return -ENOMEM;
    st = &f->stores[f->nstores];
    memset(st, 0, sizeof(*st));
    st->id = tree_name_id(c->t, name, len);
    if (st->id == UINT32_MAX)
        return -ENOMEM;
    st->line = line;
    st->cond = lint_cmd_index(cmd) > 0;
    st->kind = ST_OTHER;
    if (id == CMD_ID_SET && cmd->call.nargs == 2) {
        st->kind = ST_WORD;
        if (tword_make(c->t, f, arg_at(cmd, 1), &st->word))
            return -ENOMEM;
    } else if ((id == CMD_ID_SET && cmd->call.nargs == 1) ||
               id == CMD_ID_CLEAR) {
        st->kind = ST_CLEAR;
    } else if (id == CMD_ID_CHOOSE && !items_dyn) {
        st->kind = ST_ITEMS;
        if (store_items(c, ctx, st, item0, in_ids(gotos, ngotos, st->id)))
            return -ENOMEM;
    }

    f->nstores++;
    return 0;
}

/* The lines control can go to from line @p i: the next, and the labels
 * its gotos name (every label for a dynamic one).  Calls @p fn for each;
 * stops when it returns true. */
struct succ {
    const struct lint_line *lines;
    size_t n;
    const struct lint_label *labels;
    size_t nlabels;
};

/* Reaching definitions over the lines: which stores (and which entry
 * values) can reach each line. */
static int reach_compute(struct tfile *f, const struct succ *sx)
{
    size_t ndefs, nentry = 0, i, k, w, W;
    uint32_t *head, *next, *ids;
    uint64_t *out, *in;
    struct nameset ix = {0};
    bool changed;
    size_t passes = 0;
    int rc = -ENOMEM;

    f->reach = NULL;
    if (!f->nstores)
        return 0;
    f->entry_def = malloc(f->nstores * sizeof(*f->entry_def));
    ids = malloc(f->nstores * sizeof(*ids));
    next = malloc(f->nstores * sizeof(*next));
    head = malloc(f->nstores * sizeof(*head));
    if (!f->entry_def || !ids || !next || !head)
        goto out;
    /* one entry def per setting stored here, and each store's chain */
    for (i = 0; i < f->nstores; i++) {
        uint32_t e, key = f->stores[i].id;
        if (f->nstores <= 64) {
            /* few stores: a search costs less than a table */
            for (e = 0; e < nentry && ids[e] != key; e++)
                ;
        } else if (nameset_put(&ix, (const char *)&f->stores[i].id,
                               sizeof(key), (uint32_t)nentry, &e)) {
            goto out;
        }
        if (e == nentry) {
            head[nentry] = UINT32_MAX;
            ids[nentry++] = key;
        }
        f->entry_def[i] = e;
    }
    for (i = f->nstores; i-- > 0;) {
        next[i] = head[f->entry_def[i]];
        head[f->entry_def[i]] = (uint32_t)i;
    }
    ndefs = f->nstores + nentry;
    W = (ndefs + 63) / 64;
    f->rwords = W;
    if (sx->n * W > REACH_WORDS_MAX || !sx->n) {
        rc = 0;
        goto out;
    }
    in = calloc(sx->n * W + W, sizeof(*in));
    if (!in)
        goto out;
    out = in + sx->n * W;
    for (i = 0; i < nentry; i++)
        bit_set(in, f->nstores + i);
    do {
        size_t s = 0;
        changed = false;
        for (i = 0; i < sx->n; i++) {
            const struct lint_line *ll = &sx->lines[i];
            uint8_t flow = ll->flow;
            memcpy(out, in + i * W, W * sizeof(*out));
            while (s < f->nstores && f->stores[s].line < i)
                s++;
            for (k = s; k < f->nstores && f->stores[k].line == i; k++) {
                const struct store *st = &f->stores[k];
                if (!st->cond) {
                    uint32_t d;
                    for (d = head[f->entry_def[k]]; d != UINT32_MAX;
                         d = next[d])
                        out[d / 64] &= ~((uint64_t)1 << (d % 64));
                    d = (uint32_t)(f->nstores + f->entry_def[k]);
                    out[d / 64] &= ~((uint64_t)1 << (d % 64));
                }
            }
            for (k = s; k < f->nstores && f->stores[k].line == i; k++)
                bit_set(out, k);
            if (!ll->reachable)
                continue;
            if ((flow & LINT_FLOW_NEXT) && i + 1 < sx->n) {
                uint64_t *to = in + (i + 1) * W;
                for (w = 0; w < W; w++) {
                    if (out[w] & ~to[w]) {
                        to[w] |= out[w];
                        changed = true;
                    }
                }
            }
            if (!(flow & LINT_FLOW_JUMP))
                continue;
            for (k = 0; k < ll->ncmds; k++) {
                const struct lint_cmd *cmd = &ll->cmds[k];
                size_t l, lo = 0, hi = 0;
                if (!lint_cmd_is(cmd, CMD_ID_GOTO))
                    continue;
                if (cmd->target) {
                    lo = (size_t)(cmd->target - sx->labels);
                    hi = lo + 1;
                } else if (arg_at(cmd, 0) &&
                           !ast_word_is_static(arg_at(cmd, 0))) {
                    hi = sx->nlabels;
                }
                for (l = lo; l < hi; l++) {
                    uint64_t *to = in + sx->labels[l].line * W;
                    for (w = 0; w < W; w++) {
                        if (out[w] & ~to[w]) {
                            to[w] |= out[w];
                            changed = true;
                        }
                    }
                }
            }
        }
        passes++;
    } while (changed && passes < 64);
    if (changed) {
        free(in); /* did not settle: "the lines before" instead */
        rc = 0;
        goto out;
    }
    f->reach = in;
    rc = 0;
out:
    nameset_release(&ix);
    free(ids);
    free(next);
    free(head);
    return rc;
}

static void collect_script(struct lint_ctx *ctx)
{
    struct collect_opts *co = (struct collect_opts *)lint_options_of(ctx);
    struct collect c = {.t = co->t, .f = co->f};
    struct tfile *f = co->f;
    struct succ sx;
    uint32_t *maxg = NULL, *gotos = NULL;
    uint32_t dyn = 0, last_exec = 0, running;
    size_t i, k, li, ngotos = 0, gotos_cap = 0, item0 = 0;
    bool items_dyn = false;
    struct tree_imgnames imgs = {0};

    c.stamp = (uint32_t)(f - c.t->files) + 1;
    sx.lines = lint_lines(ctx, &sx.n);
    sx.labels = lint_labels(ctx, &sx.nlabels);
    f->nlines = (uint32_t)sx.n;
    f->loop = calloc(sx.n ? sx.n : 1, sizeof(*f->loop));
    maxg = calloc(sx.nlabels ? sx.nlabels : 1, sizeof(*maxg));
    if (!f->loop || !maxg) {
        co->rc = -ENOMEM;
        goto done;
    }
    /* gotos: which jump back, which go by a setting */
    for (i = 0; i < sx.n; i++) {
        for (k = 0; k < sx.lines[i].ncmds; k++) {
            const struct lint_cmd *cmd = &sx.lines[i].cmds[k];
            const struct ast_word *w = arg_at(cmd, 0);
            if (lint_cmd_is(cmd, CMD_ID_IMGEXEC))
                last_exec = (uint32_t)i + 1;
            if (!lint_cmd_is(cmd, CMD_ID_GOTO) || !w)
                continue;
            if (cmd->target) {
                size_t l = (size_t)(cmd->target - sx.labels);
                if (maxg[l] < i + 1)
                    maxg[l] = (uint32_t)i + 1;
            } else if (!ast_word_is_static(w)) {
                const struct ast_part *x = ast_word_parts(w);
                uint32_t from, to;
                bool typed;
                dyn = (uint32_t)i + 1;
                if (x && !x->next && x->span.start == w->span.start &&
                    x->span.end == w->span.end &&
                    expand_setting(f->src.data, x, &from, &to, &typed)) {
                    uint32_t id = tree_name_id(c.t, f->src.data + from,
                                               to - from);
                    if (id == UINT32_MAX ||
                        !lint_grow(&gotos, &ngotos, &gotos_cap,
                                   sizeof(*gotos))) {
                        co->rc = -ENOMEM;
                        goto done;
                    }
                    gotos[ngotos++] = id;
                }
            }
        }
    }
    running = 0;
    for (i = 0, li = 0; i < sx.n; i++) {
        for (; li < sx.nlabels && sx.labels[li].line <= i; li++) {
            if (maxg[li] > running)
                running = maxg[li];
            if (dyn > running)
                running = dyn;
        }
        f->loop[i] = running;
    }
    /* what each command stores, chains and reads */
    for (i = 0; i < sx.n && !c.rc; i++) {
        if (i == 0 && !ast_signature_ok(f->script->signature))
            continue;
        for (k = 0; k < sx.lines[i].ncmds && !c.rc; k++) {
            const struct lint_cmd *cmd = &sx.lines[i].cmds[k];
            enum cmd_id id = lint_cmd_id(cmd);
            const struct ast_word *w = arg_at(cmd, 0);
            uint32_t a;

            if (id != CMD_ID_ISSET) {
                for (a = 0; a < cmd->seg->argc; a++)
                    note_uses(&c, ast_word_parts(cmd->seg->argv[a]));
            }
            if (id == CMD_ID_MENU) {
                item0 = f->nitems;
                items_dyn = false;
            } else if (id == CMD_ID_ITEM && w &&
                       !cmdparse_opt(&cmd->call, "gap")) {
                if (ast_word_is_static(w)) {
                    const char *it = intern(c.t, w->text, w->len);
                    if (!it || !tgrow(&f->items, &f->nitems,
                                          &f->items_cap, sizeof(*f->items)))
                        c.rc = -ENOMEM;
                    else
                        f->items[f->nitems++] = it;
                } else {
                    items_dyn = true;
                }
            }
            if (w && lint_cmd_stores_setting(id))
                c.rc = collect_store(&c, ctx, cmd, (uint32_t)i, item0,
                                     items_dyn, gotos, ngotos);
            if (!c.rc && w && id == CMD_ID_IMGEXEC) {
                c.rc = add_site(c.t, f, (uint32_t)i, w,
                                cmdparse_opt(&cmd->call, "replace") != NULL,
                                false);
                /* `imgfetch x/pciids.ipxe` then `chain pciids.ipxe`: the
                 * chain boots the image fetched, downloads nothing */
                if (!c.rc && tree_names_image(f->src.data, w, &imgs))
                    f->sites[f->nsites - 1].image = true;
            }
            if (!c.rc && w &&
                (id == CMD_ID_IMGFETCH || id == CMD_ID_IMGSELECT))
                c.rc = tree_note_image(&imgs, f->src.data, cmd, w);
            if (!c.rc && w &&
                (id == CMD_ID_IMGFETCH || id == CMD_ID_IMGSELECT) &&
                last_exec > i + 1)
                c.rc = add_site(c.t, f, (uint32_t)i, w, false, true);
        }
    }
    if (!c.rc)
        c.rc = reach_compute(f, &sx);
    co->rc = c.rc;
done:
    free(maxg);
    free(gotos);
    free(imgs.name);
    free(imgs.len);
}

int tree_collect(struct lint_tree *t, struct tfile *f)
{
    struct collect_opts co;
    struct diag_list scratch;
    int rc;

    memset(&co, 0, sizeof(co));
    co.o = t->popts;
    co.o.rules = NULL;
    co.o.tree = NULL;
    co.t = t;
    co.f = f;
    diag_list_init(&scratch, &f->arena);
    rc = lint_engine_run(&f->src, f->script, &co.o, &collector_set,
                         &f->arena, &scratch, 0);
    diag_list_release(&scratch);
    return rc ? rc : co.rc;
}

/* ---- values ---- */

/* Value sets hold interned strings (intern()): one address per value. */
static bool vset_has(const struct vset *v, const char *s)
{
    uint8_t i;

    for (i = 0; i < v->n; i++) {
        if (v->v[i] == s)
            return true;
    }
    return false;
}

/* Add @p s (arena) to @p v; whether @p v changed. */
static bool vset_add(struct vset *v, const char *s)
{
    if (v->unknown || vset_has(v, s))
        return false;
    if (v->n == VSET_MAX) {
        v->unknown = true;
        return true;
    }
    v->v[v->n++] = s;
    return true;
}

static bool vset_union(struct vset *a, const struct vset *b)
{
    bool changed = false;
    uint8_t i;

    if (a->unknown)
        return false;
    if (b->unknown) {
        a->unknown = true;
        return true;
    }
    /* the common cases first: into an empty set (the values of @p b are
     * distinct), and a set that already starts with @p b's values (sets
     * grown from the same ones in the same order) */
    if (!a->n) {
        memcpy(a->v, b->v, b->n * sizeof(*b->v));
        a->n = b->n;
        return b->n > 0;
    }
    if (b->n <= a->n && memcmp(a->v, b->v, b->n * sizeof(*b->v)) == 0)
        return false;
    for (i = 0; i < b->n; i++)
        changed |= vset_add(a, b->v[i]);
    return changed;
}

static void vset_at(struct lint_tree *t, struct tfile *f, uint32_t id,
                    uint32_t line, int depth, struct vset *out);

/* Whether store line @p s is on the way to line @p l when the reaching
 * definitions are not known: before it, or in a loop back over it. */
static bool before(const struct tfile *f, uint32_t s, uint32_t l)
{
    return s < l || (s > l && s + 1 <= f->loop[l] && f->loop[l] > l + 1);
}

/* Whether def @p d (a store's index, or nstores + its entry def) reaches
 * line @p l. */
static bool def_reaches(const struct tfile *f, size_t d, uint32_t l)
{
    if (f->reach)
        return bit_get(f->reach + (size_t)l * f->rwords, d);
    if (d < f->nstores)
        return before(f, f->stores[d].line, l);
    return true;
}

/* The values of word @p w on line @p line of @p f. */
static void eval_word(struct lint_tree *t, struct tfile *f,
                      const struct tword *w, uint32_t line, int depth,
                      struct vset *out)
{
    char cur[VSET_MAX][VALUE_MAX], nxt[VSET_MAX][VALUE_MAX];
    size_t len[VSET_MAX], nlen[VSET_MAX], ncur = 1, i, j, n;
    uint32_t k;

    memset(out, 0, sizeof(*out));
    if (w->unknown || depth > DEPTH_MAX) {
        out->unknown = true;
        return;
    }
    len[0] = 0;
    for (k = 0; k < w->n; k++) {
        const struct tpart *p = &w->parts[k];
        struct vset vs;

        for (i = 0; i < ncur; i++) {
            if (len[i] + p->len >= VALUE_MAX) {
                out->unknown = true;
                return;
            }
            memcpy(cur[i] + len[i], p->lit, p->len);
            len[i] += p->len;
        }
        if (p->id == UINT32_MAX)
            break;
        vset_at(t, f, p->id, line, depth + 1, &vs);
        if (vs.unknown) {
            out->unknown = true;
            return;
        }
        if (!vs.n)
            return; /* no value yet */
        if (ncur * vs.n > VSET_MAX) {
            out->unknown = true;
            return;
        }
        /* every prefix with every value */
        n = 0;
        for (i = 0; i < ncur; i++) {
            for (j = 0; j < vs.n; j++) {
                size_t vl = strlen(vs.v[j]);
                if (len[i] + vl >= VALUE_MAX) {
                    out->unknown = true;
                    return;
                }
                memcpy(nxt[n], cur[i], len[i]);
                memcpy(nxt[n] + len[i], vs.v[j], vl);
                nlen[n++] = len[i] + vl;
            }
        }
        for (i = 0; i < n; i++) {
            memcpy(cur[i], nxt[i], nlen[i]);
            len[i] = nlen[i];
        }
        ncur = n;
    }
    for (i = 0; i < ncur; i++) {
        const char *v = intern(t, cur[i], len[i]);
        if (!v) {
            t->oom = true;
            out->unknown = true;
            return;
        }
        vset_add(out, v);
    }
}

/* The values of setting @p id when line @p line of @p f runs. */
static void vset_at(struct lint_tree *t, struct tfile *f, uint32_t id,
                    uint32_t line, int depth, struct vset *out)
{
    bool any_store = false, entry_reaches = false;
    size_t i;

    memset(out, 0, sizeof(*out));
    if (depth > DEPTH_MAX || t->predef[id]) {
        out->unknown = true;
        return;
    }
    for (i = 0; i < f->nstores && !out->unknown; i++) {
        const struct store *st = &f->stores[i];
        struct vset vs;
        uint32_t k;

        if (st->id != id)
            continue;
        if (!any_store)
            entry_reaches = def_reaches(f, f->nstores + f->entry_def[i], line);
        any_store = true;
        if (!def_reaches(f, i, line))
            continue;
        switch (st->kind) {
        case ST_WORD:
            eval_word(t, f, &st->word, st->line, depth + 1, &vs);
            vset_union(out, &vs);
            break;
        case ST_ITEMS:
            if (!out->n && !out->unknown && st->nitems &&
                st->nitems <= VSET_MAX) {
                /* distinct values (store_items()): a copy */
                memcpy(out->v, f->items + st->item0,
                       st->nitems * sizeof(*out->v));
                out->n = (uint8_t)st->nitems;
                break;
            }
            for (k = 0; k < st->nitems; k++)
                vset_add(out, f->items[st->item0 + k]);
            break;
        case ST_CLEAR:
            break; /* unset: no value to chain to */
        default:
            out->unknown = true;
            break;
        }
    }
    if ((!any_store || entry_reaches) && id < t->rel_n && t->rel[id] >= 0 &&
        f->env)
        vset_union(out, &f->env[t->rel[id]]);
}

/* ---- the chains, to a fixpoint ---- */

static int add_edge(struct lint_tree *t, uint32_t from, uint32_t site,
                    uint32_t to)
{
    struct tfile *f = &t->files[from], *g = &t->files[to];
    struct site *s = &f->sites[site];
    struct tedge *e;
    size_t i;

    for (i = 0; i < s->ntargets; i++) {
        if (s->targets[i] == to)
            return 0;
    }
    if (!tgrow(&s->targets, &s->ntargets, &s->targets_cap,
                   sizeof(*s->targets)) ||
        !lint_grow(&t->edges, &t->nedges, &t->edges_cap, sizeof(*t->edges)) ||
        !tgrow(&f->out, &f->nout, &f->out_cap, sizeof(*f->out)) ||
        !tgrow(&g->in, &g->nin, &g->in_cap, sizeof(*g->in)))
        return -ENOMEM;
    s->targets[s->ntargets++] = to;
    e = &t->edges[t->nedges];
    e->from = from;
    e->to = to;
    e->site = site;
    e->line = s->line;
    e->replace = s->replace;
    f->out[f->nout++] = (uint32_t)t->nedges;
    g->in[g->nin++] = (uint32_t)t->nedges;
    t->nedges++;
    return 0;
}

static int add_missing(struct lint_tree *t, struct site *s, const char *uri,
                       const char *file)
{
    struct lint_tree_missing *m;
    size_t i;

    for (i = 0; i < s->nmissing; i++) {
        if (strcmp(s->missing[i].uri, uri) == 0)
            return 0;
    }
    (void)t;
    if (!lint_grow(&s->missing, &s->nmissing, &s->missing_cap,
                   sizeof(*s->missing)))
        return -ENOMEM;
    m = &s->missing[s->nmissing++];
    m->at = s->word.span;
    m->uri = uri;
    m->file = file;
    return 0;
}

/* Whether a missing file's name says it is a script (`*.ipxe`): kernels,
 * memdisk and EFI binaries are often put beside the scripts when the
 * server is deployed, not kept with them, so their absence proves
 * nothing. */
static bool names_script(const char *path)
{
    size_t n = strlen(path);

    return n > 5 && strcmp(path + n - 5, ".ipxe") == 0;
}

/* Where the sites of @p f lead with what is known now. */
static int sites_resolve(struct lint_tree *t, uint32_t fi)
{
    struct tfile *f = &t->files[fi];
    size_t s, i;
    int rc = 0;

    for (s = 0; s < f->nsites && !rc; s++) {
        struct vset vs;
        eval_word(t, f, &f->sites[s].word, f->sites[s].line, 0, &vs);
        if (vs.unknown)
            continue;
        for (i = 0; i < vs.n && !rc; i++) {
            struct site *st = &f->sites[s];
            uint32_t target;
            const char *missing = NULL;
            size_t k;
            int r;

            /* a URI leads where it led the last time round */
            for (k = 0; k < st->ndone; k++) {
                if (strcmp(st->done[k], vs.v[i]) == 0)
                    break;
            }
            if (k < st->ndone)
                continue;
            if (!tgrow(&st->done, &st->ndone, &st->done_cap,
                           sizeof(*st->done)))
                return -ENOMEM;
            st->done[st->ndone++] = vs.v[i];
            r = tree_resolve(t, f, vs.v[i], &target,
                             st->fetch || st->image ? NULL : &missing);
            if (r == 1)
                rc = add_edge(t, fi, (uint32_t)s, target);
            else if (r == 2 && !f->sites[s].fetch && names_script(missing) &&
                     !tree_rendered_choice(f, &f->sites[s].word))
                rc = add_missing(t, &f->sites[s], vs.v[i], missing);
        }
    }
    return rc;
}

/* A FIFO of files, each in it at most once. */
struct fq {
    uint32_t *v;
    size_t head, len, cap;
};

static int fq_push(struct lint_tree *t, struct fq *q, uint32_t i)
{
    if (t->files[i].queued)
        return 0;
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64, k;
        uint32_t *v = malloc(cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        for (k = 0; k < q->len; k++)
            v[k] = q->v[(q->head + k) % q->cap];
        free(q->v);
        q->v = v;
        q->head = 0;
        q->cap = cap;
    }
    q->v[(q->head + q->len) % q->cap] = i;
    q->len++;
    t->files[i].queued = true;
    return 0;
}

static uint32_t fq_pop(struct lint_tree *t, struct fq *q)
{
    uint32_t i = q->v[q->head];

    q->head = (q->head + 1) % q->cap;
    q->len--;
    t->files[i].queued = false;
    return i;
}

static int chains_fixpoint(struct lint_tree *t)
{
    struct fq q = {0};
    size_t i, e, r;
    int rc = 0;

    for (i = 0; i < t->nfiles; i++) {
        t->files[i].env =
            calloc(t->nrel ? t->nrel : 1, sizeof(*t->files[i].env));
        if (!t->files[i].env || fq_push(t, &q, (uint32_t)i))
            rc = -ENOMEM;
    }
    while (!rc && q.len) {
        uint32_t fi = fq_pop(t, &q);
        struct tfile *f = &t->files[fi];

        rc = sites_resolve(t, fi);
        for (e = 0; !rc && e < f->nout; e++) {
            const struct tedge *ed = &t->edges[f->out[e]];
            struct tfile *g = &t->files[ed->to];
            bool changed = false;
            for (r = 0; r < t->rel_n; r++) {
                struct vset vs;
                if (t->rel[r] < 0 || g->env[t->rel[r]].unknown)
                    continue;
                vset_at(t, f, (uint32_t)r, ed->line, 0, &vs);
                changed |= vset_union(&g->env[t->rel[r]], &vs);
            }
            if (changed)
                rc = fq_push(t, &q, ed->to);
        }
    }
    free(q.v);
    return rc ? rc : t->oom ? -ENOMEM : 0;
}

/* ---- settings set on every path, on some path ---- */

/* The settings a chain at edge @p e sets before it runs: those stored on
 * the way to its line, and those the scripts chained (and come back from)
 * on the way store. */
static void edge_gen(const struct lint_tree *t, const struct tedge *e,
                     uint64_t *g)
{
    const struct tfile *f = &t->files[e->from];
    size_t i, k, w;

    memset(g, 0, t->words * sizeof(*g));
    for (i = 0; i < f->nstores; i++) {
        if (f->stores[i].kind != ST_CLEAR && def_reaches(f, i, e->line))
            bit_set(g, f->stores[i].id);
    }
    for (i = 0; i < f->nsites; i++) {
        const struct site *s = &f->sites[i];
        if (s->replace || s->line == e->line || !before(f, s->line, e->line))
            continue;
        for (k = 0; k < s->ntargets; k++) {
            const uint64_t *sum =
                tfile_bits(t, &t->files[s->targets[k]], BITS_SUMMARY);
            for (w = 0; w < t->words; w++)
                g[w] |= sum[w];
        }
    }
}

static int summaries(struct lint_tree *t)
{
    struct fq q = {0};
    size_t i, k, w;
    int rc = 0;

    for (i = 0; i < t->nfiles; i++) {
        struct tfile *f = &t->files[i];
        uint64_t *st = tfile_bits(t, f, BITS_STORED);
        for (k = 0; k < f->nstores; k++) {
            if (f->stores[k].kind != ST_CLEAR)
                bit_set(st, f->stores[k].id);
        }
        memcpy(tfile_bits(t, f, BITS_SUMMARY), st, t->words * sizeof(*st));
        if (!rc)
            rc = fq_push(t, &q, (uint32_t)i);
    }
    /* a script's summary grows by its callees' (those it comes back
     * from): when one grows, its callers are looked at again */
    while (!rc && q.len) {
        struct tfile *g = &t->files[fq_pop(t, &q)];
        const uint64_t *gs = tfile_bits(t, g, BITS_SUMMARY);
        for (k = 0; k < g->nin && !rc; k++) {
            const struct tedge *e = &t->edges[g->in[k]];
            uint64_t *fs = tfile_bits(t, &t->files[e->from], BITS_SUMMARY);
            bool changed = false;
            if (e->replace)
                continue;
            for (w = 0; w < t->words; w++) {
                if (gs[w] & ~fs[w]) {
                    fs[w] |= gs[w];
                    changed = true;
                }
            }
            if (changed)
                rc = fq_push(t, &q, e->from);
        }
    }
    free(q.v);
    return rc;
}

static int paths_fixpoint(struct lint_tree *t, uint64_t *gens)
{
    struct fq q = {0};
    size_t i, k, w;
    int rc = 0;

    for (i = 0; i < t->nfiles; i++) {
        struct tfile *f = &t->files[i];
        if (!f->reached)
            continue;
        memset(tfile_bits(t, f, BITS_MUST), f->entry ? 0 : 0xff,
               t->words * sizeof(uint64_t));
        if (f->entry)
            rc = rc ? rc : fq_push(t, &q, (uint32_t)i);
    }
    while (!rc && q.len) {
        struct tfile *f = &t->files[fq_pop(t, &q)];
        const uint64_t *fm = tfile_bits(t, f, BITS_MUST);
        const uint64_t *fy = tfile_bits(t, f, BITS_MAY);
        for (k = 0; k < f->nout && !rc; k++) {
            const struct tedge *e = &t->edges[f->out[k]];
            struct tfile *g = &t->files[e->to];
            const uint64_t *gen = gens + (size_t)f->out[k] * t->words;
            uint64_t *gm = tfile_bits(t, g, BITS_MUST);
            uint64_t *gy = tfile_bits(t, g, BITS_MAY);
            bool changed = false;
            for (w = 0; w < t->words; w++) {
                uint64_t may = fy[w] | gen[w];
                uint64_t must = gm[w] & (fm[w] | gen[w]);
                if (!g->entry && must != gm[w]) {
                    gm[w] = must;
                    changed = true;
                }
                if (may & ~gy[w]) {
                    gy[w] |= may;
                    changed = true;
                }
            }
            if (changed)
                rc = fq_push(t, &q, e->to);
        }
    }
    free(q.v);
    return rc;
}

/* ---- facts ---- */

/* "a.ipxe line 3 -> b.ipxe line 9 -> here": a path from an entry to file
 * @p fi on which setting @p id is not set (breadth first, backwards). */
static const char *witness(struct lint_tree *t, uint32_t fi, uint32_t id,
                           const uint64_t *gens, uint32_t *via)
{
    struct buf b;
    uint32_t *queue, head = 0, len = 0, at = UINT32_MAX;
    const char *s;
    size_t i, k;

    if (t->files[fi].entry)
        return "this script booted first (it is an entry)";
    queue = malloc(t->nfiles * sizeof(*queue));
    if (!queue)
        return NULL;
    for (i = 0; i < t->nfiles; i++)
        via[i] = UINT32_MAX;
    queue[len++] = fi;
    via[fi] = UINT32_MAX - 1;
    while (head < len && at == UINT32_MAX) {
        const struct tfile *g = &t->files[queue[head++]];
        for (k = 0; k < g->nin; k++) {
            uint32_t ei = g->in[k];
            const struct tedge *e = &t->edges[ei];
            const struct tfile *p = &t->files[e->from];
            if (!p->reached || via[e->from] != UINT32_MAX ||
                bit_get(gens + (size_t)ei * t->words, id) ||
                bit_get(tfile_bits(t, p, BITS_MUST), id))
                continue;
            via[e->from] = ei;
            if (p->entry) {
                at = e->from;
                break;
            }
            queue[len++] = e->from;
        }
    }
    free(queue);
    if (at == UINT32_MAX)
        return NULL;
    buf_init(&b, 65536);
    while (at != fi) {
        const struct tedge *e = &t->edges[via[at]];
        const struct tfile *p = &t->files[at];
        buf_addf(&b, "'%s' line %u -> ", p->rel,
                 (unsigned)p->sites[e->site].word.line1);
        at = e->to;
    }
    buf_adds(&b, "here");
    s = b.data ? arena_strndup(&t->arena, b.data, b.len) : NULL;
    buf_release(&b);
    return s;
}

static int file_facts(struct lint_tree *t, uint32_t fi, const uint64_t *gens,
                      uint32_t *via)
{
    struct tfile *f = &t->files[fi];
    struct lint_tree_facts *fa = &f->facts;
    size_t i, k, nset = 0, npart = 0, nmiss = 0, nin = 0, nchain = 0;
    const uint64_t *must = tfile_bits(t, f, BITS_MUST);
    const uint64_t *may = tfile_bits(t, f, BITS_MAY);
    uint32_t any;
    bool any_must, any_may;

    memset(fa, 0, sizeof(*fa));
    fa->reached = f->reached;
    fa->entry = f->entry;
    for (k = 0; k < f->nin; k++) {
        const struct tedge *e = &t->edges[f->in[k]];
        const struct tfile *p = &t->files[e->from];
        if (!p->reached || e->from == fi)
            continue;
        nin++;
        nchain += !e->replace;
        if (!fa->caller && !e->replace) {
            fa->caller = p->rel;
            fa->caller_line = p->sites[e->site].word.line1;
        }
    }
    fa->chained = f->reached && !f->entry && nin && nchain == nin;
    for (i = 0; i < f->nsites; i++)
        nmiss += f->sites[i].nmissing;
    if (nmiss) {
        f->missing = malloc(nmiss * sizeof(*f->missing));
        if (!f->missing)
            return -ENOMEM;
        for (i = 0; i < f->nsites; i++) {
            for (k = 0; k < f->sites[i].nmissing; k++) {
                if (tree_in_served(t, &f->sites[i].missing[k]))
                    f->missing[fa->nmissing++] = f->sites[i].missing[k];
            }
        }
        fa->missing = f->missing;
    }
    if (!f->reached || !f->nuses)
        return 0;
    f->set = malloc(f->nuses * sizeof(*f->set));
    f->partial = malloc(f->nuses * sizeof(*f->partial));
    if (!f->set || !f->partial)
        return -ENOMEM;
    any = tree_name_id(t, ANY_NAME, sizeof(ANY_NAME) - 1);
    any_must = any < t->nnames && any / 64 < t->words && bit_get(must, any);
    any_may = any < t->nnames && any / 64 < t->words && bit_get(may, any);
    for (i = 0; i < f->nuses; i++) {
        const struct use *u = &f->uses[i];
        const char *name = t->name[u->id];
        size_t len = t->name_len[u->id];

        /* stored here, or by a script this one chains (and comes back
         * from): the file's own business, as for a script on its own */
        bool own = bit_get(tfile_bits(t, f, BITS_SUMMARY), u->id);

        if (bit_get(tfile_bits(t, f, BITS_STORED), u->id) ||
            t->predef[u->id] ||
            !(own || bit_get(may, u->id) || any_may))
            continue;
        f->set[nset] = arena_strndup(&t->arena, name, len);
        if (!f->set[nset])
            return -ENOMEM;
        nset++;
        if (!own && !bit_get(must, u->id) && !any_must) {
            struct lint_tree_partial *p = &f->partial[npart];
            p->name = name;
            p->len = len;
            p->at = u->at;
            p->path = witness(t, fi, u->id, gens, via);
            if (p->path)
                npart++;
        }
    }
    fa->set = f->set;
    fa->nset = nset;
    fa->partial = f->partial;
    fa->npartial = npart;
    return 0;
}

/* Mark the settings URIs are built from, directly or through others. */
static void mark_relevant(struct lint_tree *t, const struct tword *w)
{
    uint32_t k;

    for (k = 0; k < w->n; k++) {
        uint32_t id = w->parts[k].id;
        if (id < t->rel_n && t->rel[id] < 0)
            t->rel[id] = (int32_t)t->nrel++;
    }
}

/* How many folders deep path @p rel is in the tree. */
static size_t depth_of(const char *rel)
{
    size_t n = 0;

    for (; *rel; rel++)
        n += *rel == '/';
    return n;
}

int tree_analyse(struct lint_tree *t, const uint32_t *entries,
                 size_t nentries)
{
    uint64_t *gens = NULL;
    uint32_t *via = NULL, *stack = NULL;
    size_t i, k, n = 0;
    int rc;

    t->words = (t->nnames + 63) / 64;
    if (!t->words)
        t->words = 1;
    t->rel_n = t->nnames;
    for (i = 0; i < t->rel_n; i++)
        t->rel[i] = -1;
    for (i = 0; i < t->nfiles; i++) {
        const struct tfile *f = &t->files[i];
        for (k = 0; k < f->nsites; k++)
            mark_relevant(t, &f->sites[k].word);
        for (k = 0; k < f->nstores; k++) {
            if (f->stores[k].kind == ST_WORD)
                mark_relevant(t, &f->stores[k].word);
        }
    }
    rc = chains_fixpoint(t);
    if (rc)
        return rc;
    for (i = 0; i < t->nedges; i++) {
        if (t->edges[i].from != t->edges[i].to)
            t->files[t->edges[i].to].has_in = true;
    }
    rc = tree_served_folders(t);
    if (rc)
        return rc;
    /* the entries, and what they reach */
    stack = malloc((t->nfiles ? t->nfiles : 1) * sizeof(*stack));
    if (!stack)
        return -ENOMEM;
    for (i = 0; i < t->nfiles; i++) {
        struct tfile *f = &t->files[i];
        f->entry = nentries ? false : !f->has_in;
    }
    for (i = 0; i < nentries; i++)
        t->files[entries[i]].entry = true;
    for (i = 0; i < t->nfiles; i++) {
        if (t->files[i].entry) {
            t->files[i].reached = true;
            stack[n++] = (uint32_t)i;
        }
    }
    for (;;) {
        size_t best = t->nfiles;
        while (n) {
            struct tfile *f = &t->files[stack[--n]];
            for (k = 0; k < f->nout; k++) {
                struct tfile *g = &t->files[t->edges[f->out[k]].to];
                if (!g->reached) {
                    g->reached = true;
                    stack[n++] = t->edges[f->out[k]].to;
                }
            }
        }
        if (nentries)
            break;
        /* Scripts that only chain each other (a menu, and a submenu that
         * chains back to it) have no script nobody chains: the one nearest
         * the top of the tree, then the one that chains the most others,
         * is taken for the entry, then what it reaches; again until every
         * such group has one. */
        for (i = 0; i < t->nfiles; i++) {
            const struct tfile *f = &t->files[i], *b;
            if (f->reached)
                continue;
            if (best == t->nfiles) {
                best = i;
                continue;
            }
            b = &t->files[best];
            if (depth_of(f->rel) != depth_of(b->rel)) {
                if (depth_of(f->rel) < depth_of(b->rel))
                    best = i;
            } else if (f->nout > b->nout ||
                       (f->nout == b->nout && f->nin < b->nin)) {
                best = i;
            }
        }
        if (best == t->nfiles)
            break;
        t->files[best].entry = t->files[best].reached = true;
        stack[n++] = (uint32_t)best;
    }
    free(stack);
    for (i = 0; i < t->nfiles; i++) {
        t->files[i].bits = calloc(4 * t->words, sizeof(uint64_t));
        if (!t->files[i].bits)
            return -ENOMEM;
    }
    rc = summaries(t);
    if (rc)
        return rc;
    gens = malloc((t->nedges ? t->nedges : 1) * t->words * sizeof(*gens));
    via = malloc((t->nfiles ? t->nfiles : 1) * sizeof(*via));
    if (!gens || !via) {
        rc = -ENOMEM;
        goto out;
    }
    for (i = 0; i < t->nedges; i++)
        edge_gen(t, &t->edges[i], gens + i * t->words);
    rc = paths_fixpoint(t, gens);
    for (i = 0; !rc && i < t->nfiles; i++)
        rc = file_facts(t, (uint32_t)i, gens, via);
out:
    free(gens);
    free(via);
    return rc;
}
