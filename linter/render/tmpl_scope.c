/* SPDX-License-Identifier: MIT */
/** @file Templates: which frame holds each name.
 *
 * Scopes follow Jinja2's (jinja2/idtracking.py): the top level sees the
 * variables and its own `set`s in order; each loop iteration (and a
 * loop's `else`) gets a fresh scope for its targets, `loop` and its
 * `set`s.  Which names a frame holds, and how each starts, is decided
 * here once, at compile time.
 */
#include "tmpl_int.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/** One name of a symbol table being built. */
struct syment {
    const char *name;                 /* the name */
    bool is_store;                    /* assigned in this frame */
    uint8_t load;                     /* enum tload */
    const struct tframe *alias_frame; /* LOAD_ALIAS: where from */
    uint32_t alias_slot;              /* LOAD_ALIAS: which slot */
};

/** Jinja2's Symbols for one frame, while its nodes are visited. */
struct symtab {
    const struct tframe *parent; /* the enclosing frame (final) */
    struct syment *v;            /* the names (malloc) */
    size_t n;                    /* used */
    size_t cap;                  /* allocated */
    struct tcomp *c;             /* its oom, its budget of work */
};

/* Take @p n of the work deciding frames may do; false once it is spent
 * (the error reported once, at the node being read) or after an error. */
static bool scope_work(struct tcomp *c, uint64_t n)
{
    if (c->failed || c->oom)
        return false;
    if (n > c->work_left) {
        c->work_left = 0;
        tmpl_cerr(c, RENDER_TEMPLATE_UNSUPPORTED, c->at.start, c->at.end,
                  "compiling the template takes more than %" PRIu64
                  " steps finding which frame holds each name, the work "
                  "limit of compiling (thousands of names set, then tested "
                  "in as many 'if's?)",
                  TMPL_SCOPE_WORK);
        return false;
    }
    c->work_left -= n;
    return true;
}

static struct syment *sym_local(const struct symtab *t, const char *name)
{
    size_t i;

    for (i = 0; i < t->n; i++) {
        if (strcmp(t->v[i].name, name) == 0)
            break;
    }
    if (!scope_work(t->c, i + 1))
        return NULL;
    return i < t->n ? &t->v[i] : NULL;
}

static struct syment *sym_add(struct symtab *t, const char *name,
                              enum tload load)
{
    struct syment *v = tmpl_array_room(t->v, &t->cap, t->n, sizeof(*v), 16);
    struct syment *e;

    if (!v) {
        t->c->oom = true;
        return NULL;
    }
    t->v = v;
    e = &t->v[t->n++];
    memset(e, 0, sizeof(*e));
    e->name = name;
    e->load = (uint8_t)load;
    return e;
}

/* The innermost frame from @p f up that holds @p name (find_ref). */
static bool frame_find(struct tcomp *c, const struct tframe *f,
                       const char *name, const struct tframe **where,
                       uint32_t *slot)
{
    uint64_t work = 1;
    uint32_t i;

    for (; f; f = f->parent) {
        for (i = 0; i < f->nsyms; i++) {
            if (strcmp(f->syms[i].name, name) == 0) {
                *where = f;
                *slot = i;
                return scope_work(c, work + i);
            }
        }
        work += f->nsyms;
    }
    scope_work(c, work);
    return false;
}

static void sym_load(struct symtab *t, const char *name)
{
    const struct tframe *f;
    uint32_t slot;

    if (!sym_local(t, name) && !frame_find(t->c, t->parent, name, &f, &slot) &&
        !t->c->failed)
        sym_add(t, name, LOAD_RESOLVE);
}

static void sym_store(struct symtab *t, const char *name)
{
    struct syment *e = sym_local(t, name);
    const struct tframe *f;
    uint32_t slot;

    if (t->c->failed)
        return;
    if (!e) {
        if (frame_find(t->c, t->parent, name, &f, &slot)) {
            e = sym_add(t, name, LOAD_ALIAS);
            if (e) {
                e->alias_frame = f;
                e->alias_slot = slot;
            }
        } else {
            e = sym_add(t, name, LOAD_UNDEFINED);
        }
    }
    if (e)
        e->is_store = true;
}

static void sym_param(struct symtab *t, const char *name)
{
    struct syment *e = sym_local(t, name);

    if (!e)
        e = sym_add(t, name, LOAD_PARAM);
    if (e) {
        e->load = LOAD_PARAM;
        e->is_store = true;
    }
}

static bool sym_copy(const struct symtab *t, struct symtab *out)
{
    *out = *t;
    out->n = 0;
    out->cap = t->n ? t->n : 1;
    if (!scope_work(t->c, t->n + 1)) {
        out->v = NULL;
        return false;
    }
    out->v = malloc(out->cap * sizeof(*out->v));
    if (!out->v) {
        t->c->oom = true;
        return false;
    }
    out->n = t->n;
    if (t->n)
        memcpy(out->v, t->v, t->n * sizeof(*t->v));
    return true;
}

/* The entry of @p t for entry @p i of @p br, a copy of @p n0 entries of
 * @p t that may have grown: the same index for those (no look-up, so
 * that an `if` costs its frame's size, not its square), else a look-up. */
static struct syment *sym_same(struct symtab *t, size_t n0,
                               const struct symtab *br, size_t i)
{
    if (i < n0)
        return scope_work(t->c, 1) ? &t->v[i] : NULL;
    return sym_local(t, br->v[i].name);
}

/* Merge the three branches of an `if` (body, elifs, else) back, as
 * Symbols.branch_update does: a name assigned in some branches only is
 * read from outside at the frame's start.  Each branch began as a copy
 * of @p t (sym_copy()), its first entries @p t's own in the same order. */
static void sym_branch_update(struct symtab *t, struct symtab br[3])
{
    struct {
        const char *name;
        int count;
    } * cnt;
    size_t ncnt = 0, i, k, total = br[0].n + br[1].n + br[2].n, n0 = t->n;

    if (t->c->failed)
        return;
    cnt = calloc(total + 1, sizeof(*cnt));
    if (!cnt) {
        t->c->oom = true;
        return;
    }
    for (k = 0; k < 3; k++) {
        for (i = 0; i < br[k].n; i++) {
            const struct syment *e = &br[k].v[i], *mine;
            size_t c;
            if (!e->is_store)
                continue;
            mine = sym_same(t, n0, &br[k], i);
            if (mine && mine->is_store)
                continue;
            for (c = 0; c < ncnt && strcmp(cnt[c].name, e->name); c++)
                ;
            if (!scope_work(t->c, c + 1))
                goto out;
            if (c == ncnt)
                cnt[ncnt++].name = e->name;
            cnt[c].count++;
        }
    }
    for (k = 0; k < 3; k++) {
        for (i = 0; i < br[k].n; i++) {
            const struct syment *e = &br[k].v[i];
            struct syment *mine = sym_same(t, n0, &br[k], i);
            bool store = e->is_store || (mine && mine->is_store);
            if (!mine)
                mine = sym_add(t, e->name, (enum tload)e->load);
            if (!mine)
                break;
            *mine = *e;
            mine->is_store = store;
        }
    }
    for (i = 0; i < ncnt; i++) {
        struct syment *e = sym_local(t, cnt[i].name);
        const struct tframe *f;
        uint32_t slot;
        if (cnt[i].count == 3 || !e)
            continue;
        if (frame_find(t->c, t->parent, cnt[i].name, &f, &slot)) {
            e->load = LOAD_ALIAS;
            e->alias_frame = f;
            e->alias_slot = slot;
        } else {
            e->load = LOAD_RESOLVE;
        }
    }
out:
    free(cnt);
}

static void analyze_expr(struct symtab *t, const struct texpr *x)
{
    uint32_t k;

    if (!x)
        return;
    if (x->kind == TX_NAME)
        sym_load(t, x->name);
    analyze_expr(t, x->a);
    analyze_expr(t, x->b);
    analyze_expr(t, x->c);
    for (k = 0; x->args && k < x->nargs; k++)
        analyze_expr(t, x->args[k]);
}

static void analyze_nodes(struct symtab *t, const struct tnode *n);

/* One `elif` is an `if` of its own inside the elif branch. */
static void analyze_if(struct symtab *t, const struct tbranch *br,
                       const struct tnode *else_body, bool single)
{
    struct symtab b[3];
    const struct tbranch *e;
    int k;

    analyze_expr(t, br->cond);
    for (k = 0; k < 3; k++) {
        if (!sym_copy(t, &b[k])) {
            while (k-- > 0)
                free(b[k].v);
            return;
        }
    }
    analyze_nodes(&b[0], br->body);
    for (e = single ? NULL : br->next; e; e = e->next)
        analyze_if(&b[1], e, NULL, true);
    if (!single)
        analyze_nodes(&b[2], else_body);
    sym_branch_update(t, b);
    for (k = 0; k < 3; k++)
        free(b[k].v);
}

static void analyze_nodes(struct symtab *t, const struct tnode *n)
{
    uint32_t k;

    for (; n && !t->c->failed && !t->c->oom; n = n->next) {
        t->c->at = n->span;
        switch (n->kind) {
        case TN_PRINT:
            analyze_expr(t, n->expr);
            break;
        case TN_SET:
            analyze_expr(t, n->expr);
            for (k = 0; k < n->ntargets; k++)
                sym_store(t, n->targets[k]);
            break;
        case TN_IF:
            analyze_if(t, n->branches, n->else_body, false);
            break;
        case TN_FOR:
            analyze_expr(t, n->expr);
            break;
        default:
            break;
        }
    }
}

/* Names Jinja2 defines globally: a template that reads one (when the
 * variables do not) would get a Python function. */
static const char *const jinja_globals[] = {
    "range", "dict", "lipsum", "cycler", "joiner", "namespace", NULL};

/* The final frame of table @p t, in the arena. */
static struct tframe *frame_finish(struct tcomp *c, struct symtab *t)
{
    struct tframe *f = arena_zalloc(c->a, sizeof(*f));
    size_t i;

    if (!f || (t->n && !(f->syms = arena_alloc(c->a, t->n * sizeof(*f->syms)))))
        goto oom;
    f->parent = t->parent;
    f->nsyms = (uint32_t)t->n;
    for (i = 0; i < t->n; i++) {
        f->syms[i].name = t->v[i].name;
        f->syms[i].load = t->v[i].load;
        f->syms[i].global =
            t->v[i].load == LOAD_RESOLVE &&
            tmpl_in_list(jinja_globals, t->v[i].name, strlen(t->v[i].name));
        f->syms[i].alias_frame = t->v[i].alias_frame;
        f->syms[i].alias_slot = t->v[i].alias_slot;
    }
    free(t->v);
    t->v = NULL;
    return f;
oom:
    free(t->v);
    t->v = NULL;
    c->oom = true;
    return NULL;
}

static void resolve_expr(struct tcomp *c, const struct tframe *f,
                         struct texpr *x)
{
    uint32_t k;

    if (!x)
        return;
    if (c->failed)
        return;
    if (x->kind == TX_NAME && !frame_find(c, f, x->name, &x->frame, &x->slot) &&
        !c->failed)
        tmpl_cerr(c, RENDER_TEMPLATE_SYNTAX, x->span.start, x->span.end,
                  "internal error: '%s' has no frame", x->name);
    resolve_expr(c, f, x->a);
    resolve_expr(c, f, x->b);
    resolve_expr(c, f, x->c);
    for (k = 0; x->args && k < x->nargs; k++)
        resolve_expr(c, f, x->args[k]);
}

/* The slots of @p n's targets in frame @p f (which holds them all). */
static uint32_t *target_slots(struct tcomp *c, const struct tframe *f,
                              const struct tnode *n)
{
    uint32_t *slots = arena_alloc(c->a, n->ntargets * sizeof(*slots));
    const struct tframe *where;
    uint32_t k;

    if (!slots) {
        c->oom = true;
        return NULL;
    }
    for (k = 0; k < n->ntargets; k++) {
        if ((!frame_find(c, f, n->targets[k], &where, &slots[k]) ||
             where != f) &&
            !c->failed)
            tmpl_cerr(c, RENDER_TEMPLATE_SYNTAX, n->span.start, n->span.end,
                      "internal error: '%s' is not in its frame",
                      n->targets[k]);
    }
    return slots;
}

static void resolve_nodes(struct tcomp *c, const struct tframe *f,
                          struct tnode *n, bool in_loop);

/* A loop's frames: its body's, its `else`'s and its filter's. */
static void resolve_for(struct tcomp *c, const struct tframe *f,
                        struct tnode *n)
{
    struct symtab t = {f, NULL, 0, 0, c};
    uint32_t k, loop_slot;
    const struct tframe *where;

    for (k = 0; k < n->ntargets; k++) {
        if (strcmp(n->targets[k], "loop") == 0) {
            tmpl_cerr(c, RENDER_TEMPLATE_SYNTAX, n->span.start, n->span.end,
                      "cannot assign to the special loop variable 'loop'");
            return;
        }
    }
    resolve_expr(c, f, n->expr);
    /* the body: the targets and `loop` are its parameters */
    sym_param(&t, "loop");
    for (k = 0; k < n->ntargets; k++)
        sym_param(&t, n->targets[k]);
    analyze_nodes(&t, n->body);
    n->body_frame = frame_finish(c, &t);
    if (!n->body_frame)
        return;
    n->slots = target_slots(c, n->body_frame, n);
    if (frame_find(c, n->body_frame, "loop", &where, &loop_slot))
        n->loop_slot = loop_slot;
    resolve_nodes(c, n->body_frame, n->body, true);
    if (n->else_body) {
        struct symtab e = {f, NULL, 0, 0, c};
        analyze_nodes(&e, n->else_body);
        n->else_frame = frame_finish(c, &e);
        if (n->else_frame)
            resolve_nodes(c, n->else_frame, n->else_body, true);
    }
    if (n->filter) {
        struct symtab e = {f, NULL, 0, 0, c};
        for (k = 0; k < n->ntargets; k++)
            sym_param(&e, n->targets[k]);
        analyze_expr(&e, n->filter);
        n->test_frame = frame_finish(c, &e);
        if (!n->test_frame)
            return;
        n->test_slots = target_slots(c, n->test_frame, n);
        resolve_expr(c, n->test_frame, n->filter);
    }
}

static void resolve_nodes(struct tcomp *c, const struct tframe *f,
                          struct tnode *n, bool in_loop)
{
    struct tbranch *br;
    uint32_t k;

    for (; n && !c->oom && !c->failed; n = n->next) {
        c->at = n->span;
        switch (n->kind) {
        case TN_PRINT:
            resolve_expr(c, f, n->expr);
            break;
        case TN_SET:
            for (k = 0; in_loop && k < n->ntargets; k++) {
                if (strcmp(n->targets[k], "loop") == 0)
                    tmpl_cerr(c, RENDER_TEMPLATE_SYNTAX, n->span.start,
                              n->span.end,
                              "cannot assign to the special loop variable "
                              "'loop'");
            }
            resolve_expr(c, f, n->expr);
            n->slots = target_slots(c, f, n);
            break;
        case TN_IF:
            for (br = n->branches; br; br = br->next) {
                resolve_expr(c, f, br->cond);
                resolve_nodes(c, f, br->body, in_loop);
            }
            resolve_nodes(c, f, n->else_body, in_loop);
            break;
        case TN_FOR:
            resolve_for(c, f, n);
            break;
        default:
            break;
        }
    }
}

/* Decide, for every name, which frame holds it and how it starts. */
void tmpl_resolve_template(struct tcomp *c, struct tmpl *t)
{
    struct symtab top = {NULL, NULL, 0, 0, c};

    c->work_left = TMPL_SCOPE_WORK;
    analyze_nodes(&top, t->body);
    t->frame = frame_finish(c, &top);
    if (t->frame && !c->failed)
        resolve_nodes(c, t->frame, t->body, false);
}
