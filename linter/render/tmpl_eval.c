/* SPDX-License-Identifier: MIT */
/** @file Templates: rendering.
 *
 * A tree walk over the compiled template: expressions are evaluated to
 * values (tmpl_value.c), statements write the output, and each `{{ }}`
 * value is recorded with where it landed.
 */
#include "tmpl_int.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

/* Evaluate @p x into @p out; false after reporting an error. */
static bool eval(struct trender *r, const struct texpr *x, struct tv *out);

/* The instance of frame @p f around the current one. */
static struct tinst *inst_of(struct trender *r, const struct tframe *f)
{
    struct tinst *i = r->inst;

    while (i && i->def != f)
        i = i->up;
    return i;
}

/* Enter frame @p def: set each of its names up as Jinja2 does. */
static struct tinst *frame_enter(struct trender *r, const struct tframe *def)
{
    struct tinst *inst;
    uint32_t i;

    /* each name is set up, a look-up in the variables for some */
    if (!tmpl_step(r, def->nsyms))
        return NULL;
    inst = tmpl_salloc(r, sizeof(*inst));
    if (!inst)
        return NULL;
    inst->def = def;
    inst->up = r->inst;
    inst->slots = tmpl_salloc(r, def->nsyms * sizeof(*inst->slots));
    if (!inst->slots)
        return NULL;
    for (i = 0; i < def->nsyms; i++) {
        const struct tsym *sym = &def->syms[i];
        struct tv *v = &inst->slots[i];
        const struct jv *j;
        struct tinst *from;

        tmpl_tv_undef(v, (struct span){0, 0});
        switch (sym->load) {
        case LOAD_RESOLVE:
            j = jv_get(r->vars, sym->name, strlen(sym->name));
            if (j)
                tmpl_tv_from_json(j, v);
            else if (sym->global)
                v->kind = TV_GLOBAL;
            break;
        case LOAD_ALIAS:
            from = inst_of(r, sym->alias_frame);
            if (from)
                *v = from->slots[sym->alias_slot];
            break;
        default:
            break;
        }
    }
    r->inst = inst;
    return inst;
}

static bool lookup(struct trender *r, const struct texpr *x, struct tv *out)
{
    struct tinst *inst = inst_of(r, x->frame);

    if (!inst)
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, x->span,
                         "internal error: no frame");
    *out = inst->slots[x->slot];
    if (out->kind == TV_UNDEF)
        tmpl_tv_undef(out, x->span);
    else if (out->kind == TV_GLOBAL)
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, x->span,
                         "'%s' is a Jinja2 global function, which the subset "
                         "does not have",
                         x->name);
    return true;
}

/* Bind @p val to the targets of a `for` or `set` (slots @p slots of the
 * current frame), unpacking a tuple. */
static bool bind_targets(struct trender *r, const uint32_t *slots,
                         const struct tnode *n, const struct tv *val)
{
    struct tv *items;
    size_t count, k;

    if (!n->unpack) {
        r->inst->slots[slots[0]] = *val;
        return true;
    }
    if (val->kind == TV_UNDEF)
        return tmpl_undefined_error(r, val, n->span);
    if (val->kind == TV_LOOP)
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, n->span,
                         "unpacking 'loop' is not supported");
    if (val->kind != TV_LIST && val->kind != TV_STR && val->kind != TV_DICT &&
        val->kind != TV_ITEMS)
        return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, n->span,
                         "cannot unpack non-iterable '%s' object",
                         tmpl_tv_type(val));
    if (!tmpl_tv_iterate(r, val, n->span, &items, &count))
        return false;
    if (count != n->ntargets)
        return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, n->span,
                         "%s values to unpack (expected %" PRIu32 ", got %zu)",
                         count < n->ntargets ? "not enough" : "too many",
                         n->ntargets, count);
    for (k = 0; k < count; k++)
        r->inst->slots[slots[k]] = items[k];
    return true;
}

/** An ordering comparison: what it is true for. */
struct order_op {
    const char *name; /* Python's, for a TypeError */
    bool if_less;     /* true when the left side orders first */
    bool if_equal;    /* true when the sides are equal */
    bool if_greater;  /* true when the left side orders last */
};

/* <, <=, > and >= (OP_LT to OP_GE, in enum tx_op's order). */
static const struct order_op order_ops[] = {
    {"<", true, false, false},
    {"<=", true, true, false},
    {">", false, false, true},
    {">=", false, true, true},
};

/* A chain of comparisons, `a < b <= c`, as Python evaluates it. */
static bool eval_cmp(struct trender *r, const struct texpr *x, struct tv *out)
{
    struct tv left, right;
    uint32_t k;
    bool res = true;

    if (!eval(r, x->args[0], &left))
        return false;
    for (k = 0; k + 1 < x->nargs && res; k++) {
        int ord;
        if (!eval(r, x->args[k + 1], &right))
            return false;
        switch (x->ops[k]) {
        case OP_EQ:
        case OP_NE:
            if (!tmpl_tv_eq(r, &left, &right, x->span, &res))
                return false;
            if (x->ops[k] == OP_NE)
                res = !res;
            break;
        case OP_IN:
        case OP_NOTIN:
            if (!tmpl_tv_in(r, &left, &right, x->span, &res))
                return false;
            if (x->ops[k] == OP_NOTIN)
                res = !res;
            break;
        default: {
            const struct order_op *o = &order_ops[x->ops[k] - OP_LT];
            if (!tmpl_tv_order(r, &left, &right, o->name, x->span, &ord))
                return false;
            res = ord < 0 ? o->if_less : ord == 0 ? o->if_equal : o->if_greater;
        }
        }
        left = right;
    }
    tmpl_tv_bool_set(out, res);
    return true;
}

static bool eval_arith(struct trender *r, const struct texpr *x, struct tv *out)
{
    struct tv a, b;
    int64_t res;

    if (!eval(r, x->a, &a) || !eval(r, x->b, &b) ||
        !tmpl_operands_ok(r, &a, &b, x->span))
        return false;
    if (tmpl_is_number(&a) && tmpl_is_number(&b)) {
        bool over =
            x->kind == TX_ADD
                ? __builtin_add_overflow(tmpl_num(&a), tmpl_num(&b), &res)
                : __builtin_sub_overflow(tmpl_num(&a), tmpl_num(&b), &res);
        if (over)
            return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, x->span,
                             "integers beyond 64 bits are not supported");
        tmpl_tv_int_set(out, res);
        return true;
    }
    if (x->kind == TX_ADD && a.kind == TV_STR && b.kind == TV_STR) {
        char *s = tmpl_salloc(r, a.u.str.len + b.u.str.len + 1);
        if (!s)
            return false;
        memcpy(s, a.u.str.s, a.u.str.len);
        memcpy(s + a.u.str.len, b.u.str.s, b.u.str.len);
        s[a.u.str.len + b.u.str.len] = '\0';
        tmpl_tv_str_set(out, s, a.u.str.len + b.u.str.len);
        return true;
    }
    if (x->kind == TX_ADD && a.kind == TV_LIST && b.kind == TV_LIST &&
        a.is_tuple == b.is_tuple) {
        size_t na = tmpl_tv_list_len(&a), nb = tmpl_tv_list_len(&b), i;
        struct tlist *l = tmpl_salloc(r, sizeof(*l));
        struct tv *items = tmpl_salloc(r, (na + nb) * sizeof(*items));
        if (!l || !items)
            return false;
        for (i = 0; i < na; i++)
            tmpl_tv_list_get(&a, i, &items[i]);
        for (i = 0; i < nb; i++)
            tmpl_tv_list_get(&b, i, &items[na + i]);
        l->n = na + nb;
        l->items = items;
        memset(out, 0, sizeof(*out));
        out->kind = TV_LIST;
        out->is_tuple = a.is_tuple;
        out->u.list = l;
        return true;
    }
    return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, x->span,
                     "unsupported operand types for %s: '%s' and '%s'",
                     x->kind == TX_ADD ? "+" : "-", tmpl_tv_type(&a),
                     tmpl_tv_type(&b));
}

static bool eval_filter(struct trender *r, const struct texpr *x,
                        struct tv *out)
{
    struct tv v, args[3];
    bool given[3] = {false, false, false};
    size_t bytes = 0;
    uint32_t k;

    if (!eval(r, x->a, &v))
        return false;
    if (v.kind == TV_STR)
        bytes = v.u.str.len;
    for (k = 0; k < x->nargs && k < 3; k++) {
        if (x->args && x->args[k]) {
            if (!eval(r, x->args[k], &args[k]))
                return false;
            given[k] = true;
            if (args[k].kind == TV_STR)
                bytes += args[k].u.str.len;
        }
    }
    /* a filter reads its strings through (a list's items are counted
     * where it iterates them, what it makes where it allocates) */
    if (!tmpl_step(r, bytes / TMPL_BYTES_PER_STEP))
        return false;
    return x->filter->apply(r, x, &v, args, given, out);
}

static bool eval(struct trender *r, const struct texpr *x, struct tv *out)
{
    struct tv a;
    bool t;
    uint32_t k;

    if (!tmpl_step(r, 1))
        return false;
    switch (x->kind) {
    case TX_CONST:
        *out = x->val;
        return true;
    case TX_NAME:
        return lookup(r, x, out);
    case TX_ATTR:
        return eval(r, x->a, &a) &&
               tmpl_tv_getattr(r, &a, x->name, strlen(x->name), x->span, out);
    case TX_ITEM: {
        struct tv key;
        return eval(r, x->a, &a) && eval(r, x->b, &key) &&
               tmpl_tv_getitem(r, &a, &key, x->span, out);
    }
    case TX_ITEMS:
        if (!eval(r, x->a, &a))
            return false;
        if (a.kind == TV_UNDEF)
            return tmpl_undefined_error(r, &a, x->span);
        if (a.kind != TV_DICT)
            return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, x->span,
                             "'.items()' needs a mapping, not '%s'",
                             tmpl_tv_type(&a));
        *out = a;
        out->kind = TV_ITEMS;
        return true;
    case TX_LIST: {
        struct tlist *l = tmpl_salloc(r, sizeof(*l));
        struct tv *items = tmpl_salloc(r, x->nargs * sizeof(*items));
        if (!l || !items)
            return false;
        for (k = 0; k < x->nargs; k++) {
            if (!eval(r, x->args[k], &items[k]))
                return false;
        }
        l->n = x->nargs;
        l->items = items;
        memset(out, 0, sizeof(*out));
        out->kind = TV_LIST;
        out->is_tuple = x->sub != 0;
        out->u.list = l;
        return true;
    }
    case TX_NOT:
        if (!eval(r, x->a, &a) || !tmpl_tv_truth(r, &a, x->span, &t))
            return false;
        tmpl_tv_bool_set(out, !t);
        return true;
    case TX_NEG:
    case TX_POS:
        if (!eval(r, x->a, &a))
            return false;
        if (a.kind == TV_UNDEF)
            return tmpl_undefined_error(r, &a, x->span);
        if (a.kind == TV_FLOAT)
            return tmpl_float_error(r, x->span);
        if (!tmpl_is_number(&a))
            return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, x->span,
                             "bad operand type for unary %s: '%s'",
                             x->kind == TX_NEG ? "-" : "+", tmpl_tv_type(&a));
        if (x->kind == TX_NEG && tmpl_num(&a) == INT64_MIN)
            return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, x->span,
                             "integers beyond 64 bits are not supported");
        tmpl_tv_int_set(out, x->kind == TX_NEG ? -tmpl_num(&a) : tmpl_num(&a));
        return true;
    case TX_AND:
    case TX_OR:
        if (!eval(r, x->a, &a) || !tmpl_tv_truth(r, &a, x->span, &t))
            return false;
        if ((x->kind == TX_AND) != t) {
            *out = a;
            return true;
        }
        return eval(r, x->b, out);
    case TX_CMP:
        return eval_cmp(r, x, out);
    case TX_ADD:
    case TX_SUB:
        return eval_arith(r, x, out);
    case TX_CONCAT: {
        /* each part's text, then one copy into the scratch arena */
        const char **parts = tmpl_salloc(r, x->nargs * sizeof(*parts));
        size_t *lens = tmpl_salloc(r, x->nargs * sizeof(*lens)), total = 0;
        char *o;
        if (!parts || !lens)
            return false;
        for (k = 0; k < x->nargs; k++) {
            if (!eval(r, x->args[k], &a) ||
                !tmpl_tv_str(r, &a, x->span, &parts[k], &lens[k]))
                return false;
            total += lens[k];
        }
        o = tmpl_salloc(r, total + 1);
        if (!o)
            return false;
        for (total = 0, k = 0; k < x->nargs; k++) {
            memcpy(o + total, parts[k], lens[k]);
            total += lens[k];
        }
        o[total] = '\0';
        tmpl_tv_str_set(out, o, total);
        return true;
    }
    case TX_COND:
        if (!eval(r, x->b, &a) || !tmpl_tv_truth(r, &a, x->span, &t))
            return false;
        if (t)
            return eval(r, x->a, out);
        if (x->c)
            return eval(r, x->c, out);
        /* Jinja2 gives a lenient Undefined that prints as ''; a strict
         * one is safer (a documented deviation) */
        tmpl_tv_undef(out, x->span);
        return true;
    case TX_FILTER:
        return eval_filter(r, x, out);
    case TX_TEST:
        if (!eval(r, x->a, &a))
            return false;
        tmpl_tv_bool_set(out, x->test->holds(&a));
        return true;
    default:
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, x->span,
                         "unknown expression");
    }
}

/* ---- rendering: statements ---- */

static bool out_mark(struct trender *r, uint32_t tmpl_start)
{
    struct tmpl_output *o = r->o;
    struct tmpl_mark *m =
        tmpl_array_room(o->marks, &o->marks_cap, o->nmarks, sizeof(*m), 64);

    if (!m)
        return tmpl_oom(r);
    o->marks = m;
    o->marks[o->nmarks].out_start = (uint32_t)o->out.len;
    o->marks[o->nmarks].tmpl_start = tmpl_start;
    o->nmarks++;
    return true;
}

/* The output could not grow (@p rc): stop there.  Past its limit, at
 * the first byte too many, saying where. */
static __attribute__((noinline, cold)) bool out_failed(struct trender *r,
                                                       int rc)
{
    if (rc == -E2BIG && !r->rc) {
        tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, r->at,
                  "the script would be larger than %zu bytes, the largest "
                  "script rendered",
                  r->o->out.max);
        if (r->rc == -EINVAL)
            r->rc = -E2BIG;
    }
    if (!r->rc)
        r->rc = rc;
    return false;
}

/* Append to the output.  Its bytes take no steps: the output's limit
 * bounds them (as the values' budget bounds the bytes copied into
 * values). */
static bool out_add(struct trender *r, const char *s, size_t len)
{
    int rc;

    if (r->o->out.len + len > (size_t)UINT32_MAX - 1)
        rc = -E2BIG;
    else
        rc = buf_add(&r->o->out, s, len);
    return rc == 0 || out_failed(r, rc);
}

static bool out_subst(struct trender *r, const struct tnode *n, uint32_t start)
{
    struct tmpl_output *o = r->o;
    struct tmpl_subst *s =
        tmpl_array_room(o->subst, &o->subst_cap, o->nsubst, sizeof(*s), 64);

    if (!s)
        return tmpl_oom(r);
    o->subst = s;
    o->subst[o->nsubst].start = start;
    o->subst[o->nsubst].end = (uint32_t)o->out.len;
    o->subst[o->nsubst].tag = n->span;
    o->subst[o->nsubst].names = n->names;
    o->nsubst++;
    return true;
}

static bool render_nodes(struct trender *r, const struct tnode *n);

static bool render_for(struct trender *r, const struct tnode *n)
{
    struct tv seq, *items, *kept;
    struct tinst *outer = r->inst;
    struct tloop *loop;
    size_t count, nkept, i;
    bool ok = true;

    if (!eval(r, n->expr, &seq))
        return false;
    if (seq.kind == TV_LOOP)
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, n->expr->span,
                         "iterating over 'loop' is not supported");
    if (!tmpl_tv_iterate(r, &seq, n->expr->span, &items, &count))
        return false;
    kept = items;
    nkept = count;
    if (n->filter) {
        /* the filter's frame is entered once, its targets bound per item */
        kept = tmpl_salloc(r, count * sizeof(*kept));
        if (!kept || !frame_enter(r, n->test_frame))
            return false;
        nkept = 0;
        for (i = 0; i < count && ok; i++) {
            struct tv v;
            bool t = false;
            ok = tmpl_step(r, 1) && bind_targets(r, n->test_slots, n, &items[i]) &&
                 eval(r, n->filter, &v) &&
                 tmpl_tv_truth(r, &v, n->filter->span, &t);
            if (ok && t)
                kept[nkept++] = items[i];
        }
        r->inst = outer;
        if (!ok)
            return false;
    }
    if (!nkept) {
        if (!n->else_frame)
            return true;
        ok = frame_enter(r, n->else_frame) && render_nodes(r, n->else_body);
        r->inst = outer;
        return ok;
    }
    for (i = 0; i < nkept && ok; i++) {
        struct tinst *inst;
        if (!tmpl_step(r, 1))
            return false;
        loop = tmpl_salloc(r, sizeof(*loop));
        inst = loop ? frame_enter(r, n->body_frame) : NULL;
        if (!inst)
            return false;
        loop->index0 = i;
        loop->length = nkept;
        memset(&inst->slots[n->loop_slot], 0, sizeof(struct tv));
        inst->slots[n->loop_slot].kind = TV_LOOP;
        inst->slots[n->loop_slot].u.loop = loop;
        ok = bind_targets(r, n->slots, n, &kept[i]) && render_nodes(r, n->body);
        r->inst = outer;
    }
    return ok;
}

static bool render_nodes(struct trender *r, const struct tnode *n)
{
    for (; n; n = n->next) {
        struct tv v;
        const struct tbranch *br;
        const char *s;
        size_t len;
        uint32_t start;
        bool t;

        r->at = n->span;
        if (!tmpl_step(r, 1))
            return false;
        switch (n->kind) {
        case TN_TEXT:
            if (!out_mark(r, n->span.start) || !out_add(r, n->text, n->len))
                return false;
            break;
        case TN_PRINT:
            start = (uint32_t)r->o->out.len;
            if (!out_mark(r, n->span.start) || !eval(r, n->expr, &v) ||
                !tmpl_tv_str(r, &v, n->expr->span, &s, &len) ||
                !out_add(r, s, len))
                return false;
            if (n->names && !out_subst(r, n, start))
                return false;
            break;
        case TN_IF:
            for (br = n->branches; br; br = br->next) {
                if (!eval(r, br->cond, &v) ||
                    !tmpl_tv_truth(r, &v, br->cond->span, &t))
                    return false;
                if (t)
                    break;
            }
            if (!render_nodes(r, br ? br->body : n->else_body))
                return false;
            break;
        case TN_FOR:
            if (!render_for(r, n))
                return false;
            break;
        case TN_SET:
            if (!eval(r, n->expr, &v) || !bind_targets(r, n->slots, n, &v))
                return false;
            break;
        default:
            break;
        }
    }
    return true;
}

/* ---- the output ---- */

void tmpl_output_init(struct tmpl_output *o, size_t max)
{
    memset(o, 0, sizeof(*o));
    buf_init(&o->out, max);
    o->max_steps = TMPL_MAX_STEPS_DEFAULT;
}

void tmpl_output_reset(struct tmpl_output *o)
{
    buf_truncate(&o->out, 0);
    o->nsubst = 0;
    o->nmarks = 0;
}

void tmpl_output_release(struct tmpl_output *o)
{
    size_t max = o->out.max;
    uint64_t max_steps = o->max_steps;

    buf_release(&o->out);
    free(o->subst);
    free(o->marks);
    tmpl_output_init(o, max);
    o->max_steps = max_steps;
}

uint32_t tmpl_output_origin(const struct tmpl_output *o, uint32_t off)
{
    size_t lo = 0, hi = o->nmarks;

    if (!o->nmarks)
        return 0;
    /* the last mark at or before off */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (o->marks[mid].out_start <= off)
            lo = mid;
        else
            hi = mid;
    }
    return o->marks[lo].tmpl_start + (off - o->marks[lo].out_start);
}

int tmpl_render(const struct tmpl *t, const struct json_t *vars,
                struct tmpl_output *o, struct arena *scratch,
                struct diag_list *d)
{
    struct jv v;

    if (!json_is_object(vars)) {
        tmpl_output_reset(o);
        o->steps = 0;
        return -EINVAL;
    }
    if (jv_from_json(scratch, vars, &v))
        return -ENOMEM;
    return tmpl_render_jv(t, &v, o, scratch, d);
}

int tmpl_render_jv(const struct tmpl *t, const struct jv *vars,
                   struct tmpl_output *o, struct arena *scratch,
                   struct diag_list *d)
{
    struct trender r;

    tmpl_output_reset(o);
    memset(&r, 0, sizeof(r));
    r.data = t->src->data;
    r.vars = vars;
    r.o = o;
    r.s = scratch;
    r.budget = o->out.max > SIZE_MAX / TMPL_SCRATCH_PER_OUTPUT
                   ? SIZE_MAX / 2
                   : o->out.max * TMPL_SCRATCH_PER_OUTPUT;
    r.steps_left = o->max_steps;
    r.d = d;
    o->steps = 0;
    if (vars->kind != JV_OBJECT)
        return -EINVAL;
    if (frame_enter(&r, t->frame))
        render_nodes(&r, t->body);
    o->steps = o->max_steps - r.steps_left;
    return r.rc;
}
