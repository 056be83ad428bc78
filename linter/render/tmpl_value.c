/* SPDX-License-Identifier: MIT */
/** @file Templates: values and Python's semantics for them.
 *
 * A value is either borrowed JSON or made in a scratch arena.  Here are
 * str(), truth, ==, ordering, `in`, getattr and getitem as Python and
 * Jinja2 define them, and the rendering's error and budget helpers.
 */
/* memmem(): a search in linear time, as Python's (a naive one is
 * quadratic, and a template can make long strings). */
#define _GNU_SOURCE
#include "tmpl_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "rules.h"

/* Report the error that stops rendering; always returns false. */
bool tmpl_rerr(struct trender *r, enum render_code kind, struct span sp,
               const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    size_t i, n;
    int len;

    if (r->rc)
        return false;
    va_start(ap, fmt);
    len = vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* a message is one line of UTF-8, and what it quotes (template text,
     * a key) may hold a line break, or be cut short in a character */
    n = len < 0 ? 0 : (size_t)len;
    if (n >= sizeof(msg))
        n = tmpl_utf8_cut(msg, sizeof(msg) - 1);
    msg[n] = '\0';
    for (i = 0; i < n; i++) {
        if (msg[i] == '\n' || msg[i] == '\r')
            msg[i] = ' ';
    }
    r->rc = -EINVAL;
    if (!diag_add(r->d, DIAG_ERROR, render_codes[kind]->code,
                  render_codes[kind]->name, sp, "%s", msg))
        r->rc = -ENOMEM;
    return false;
}

bool tmpl_oom(struct trender *r)
{
    if (!r->rc)
        r->rc = -ENOMEM;
    return false;
}

bool tmpl_steps_error(struct trender *r)
{
    return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, r->at,
                     "rendering takes more than %" PRIu64 " steps, the work "
                     "limit of one host (a loop too long, or loops inside "
                     "loops over long values?; ipxe-render --max-steps raises it)",
                     r->o->max_steps);
}

/* Bytes the values made from now on may still take (counted here, not
 * by the arena, whose blocks depend on what it held before). */
size_t tmpl_scratch_left(const struct trender *r)
{
    return r->budget - r->used;
}

/* Stop: the values would pass the budget (always returns false). */
static bool too_big(struct trender *r)
{
    return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, r->at,
                     "rendering needs more than %zu MiB for its values (a loop "
                     "or a value that grows without end?)",
                     r->budget >> 20);
}

/* The error of a buffer that could not grow: the budget, or memory. */
bool tmpl_buf_error(struct trender *r, int rc)
{
    return rc == -E2BIG ? too_big(r) : tmpl_oom(r);
}

void *tmpl_salloc(struct trender *r, size_t n)
{
    void *p;

    if (n >= tmpl_scratch_left(r)) {
        too_big(r);
        return NULL;
    }
    r->used += n + 1;
    p = arena_alloc(r->s, n ? n : 1);
    if (!p)
        tmpl_oom(r);
    return p;
}

/* A NUL-terminated copy of @p len bytes of @p s, in the scratch arena. */
char *tmpl_sstrndup(struct trender *r, const char *s, size_t len)
{
    char *p = tmpl_salloc(r, len + 1);

    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* The template text of @p sp, for messages (at most 60 bytes, not cutting
 * a character in two). */
static const char *span_text(const struct trender *r, struct span sp, int *len)
{
    size_t n = sp.end - sp.start;

    *len = (int)utf8_prefix(r->data + sp.start, n, 60);
    return r->data + sp.start;
}

bool tmpl_undefined_error(struct trender *r, const struct tv *v,
                          struct span where)
{
    int n;
    const char *s = span_text(r, v->u.undef, &n);

    if (v->u.undef.start == v->u.undef.end)
        return tmpl_rerr(r, RENDER_TEMPLATE_UNDEFINED, where,
                         "a value is undefined");
    return tmpl_rerr(r, RENDER_TEMPLATE_UNDEFINED, where,
                     "'%.*s' is undefined (give it a value, or write "
                     "'| default(...)')",
                     n, s);
}

void tmpl_tv_from_json(const struct jv *j, struct tv *v)
{
    memset(v, 0, sizeof(*v));
    switch (j->kind) {
    case JV_OBJECT:
        v->kind = TV_DICT;
        v->json = j;
        break;
    case JV_ARRAY:
        v->kind = TV_LIST;
        v->json = j;
        break;
    case JV_STRING:
        v->kind = TV_STR;
        v->u.str.s = j->u.s;
        v->u.str.len = j->n;
        break;
    case JV_INT:
        v->kind = TV_INT;
        v->u.i = j->u.i;
        break;
    case JV_REAL:
        v->kind = TV_FLOAT;
        v->u.f = j->u.f;
        break;
    case JV_TRUE:
        v->kind = TV_BOOL;
        v->u.b = true;
        break;
    case JV_FALSE:
        v->kind = TV_BOOL;
        break;
    default:
        v->kind = TV_NONE;
        break;
    }
}

void tmpl_tv_undef(struct tv *v, struct span sp)
{
    memset(v, 0, sizeof(*v));
    v->kind = TV_UNDEF;
    v->u.undef = sp;
}

void tmpl_tv_str_set(struct tv *v, const char *s, size_t len)
{
    memset(v, 0, sizeof(*v));
    v->kind = TV_STR;
    v->u.str.s = s;
    v->u.str.len = len;
}

void tmpl_tv_int_set(struct tv *v, int64_t i)
{
    memset(v, 0, sizeof(*v));
    v->kind = TV_INT;
    v->u.i = i;
}

void tmpl_tv_bool_set(struct tv *v, bool b)
{
    memset(v, 0, sizeof(*v));
    v->kind = TV_BOOL;
    v->u.b = b;
}

/* Python's name for the type of @p v, for messages. */
const char *tmpl_tv_type(const struct tv *v)
{
    switch (v->kind) {
    case TV_NONE:
        return "NoneType";
    case TV_BOOL:
        return "bool";
    case TV_INT:
        return "int";
    case TV_FLOAT:
        return "float";
    case TV_STR:
        return "str";
    case TV_LIST:
        return v->is_tuple ? "tuple" : "list";
    case TV_DICT:
        return "dict";
    case TV_ITEMS:
        return "dict_items";
    case TV_LOOP:
        return "LoopContext";
    default:
        return "Undefined";
    }
}

size_t tmpl_tv_list_len(const struct tv *v)
{
    return v->json ? v->json->n : v->u.list->n;
}

void tmpl_tv_list_get(const struct tv *v, size_t i, struct tv *out)
{
    if (v->json)
        tmpl_tv_from_json(&v->json->u.items[i], out);
    else
        *out = v->u.list->items[i];
}

/* A tuple of two, for `.items()`. */
static bool tv_pair(struct trender *r, const struct jv_member *m,
                    struct tv *out)
{
    struct tlist *l = tmpl_salloc(r, sizeof(*l));
    struct tv *items = tmpl_salloc(r, 2 * sizeof(*items));

    if (!l || !items)
        return false;
    tmpl_tv_str_set(&items[0], m->key, m->klen);
    tmpl_tv_from_json(&m->val, &items[1]);
    l->n = 2;
    l->items = items;
    memset(out, 0, sizeof(*out));
    out->kind = TV_LIST;
    out->is_tuple = true;
    out->u.list = l;
    return true;
}

/* The items iterating over @p v gives, as Python iterates: a list's
 * items, a string's characters, a mapping's keys, `.items()`'s pairs. */
bool tmpl_tv_iterate(struct trender *r, const struct tv *v, struct span where,
                     struct tv **items, size_t *n)
{
    size_t i, count;
    struct tv *out;

    switch (v->kind) {
    case TV_LIST:
        count = tmpl_tv_list_len(v);
        if (!tmpl_step(r, count))
            return false;
        if (!v->json) {
            *items = v->u.list->items;
            *n = count;
            return true;
        }
        out = tmpl_salloc(r, count * sizeof(*out));
        if (!out)
            return false;
        for (i = 0; i < count; i++)
            tmpl_tv_list_get(v, i, &out[i]);
        break;
    case TV_STR: {
        const char *s = v->u.str.s;
        size_t len = v->u.str.len, at = 0;
        if (!tmpl_step_bytes(r, len))
            return false;
        count = tmpl_utf8_count(s, len);
        out = tmpl_salloc(r, count * sizeof(*out));
        if (!out)
            return false;
        for (i = 0; i < count; i++) {
            size_t l = tmpl_utf8_len((unsigned char)s[at]);
            tmpl_tv_str_set(&out[i], s + at, l);
            at += l;
        }
        break;
    }
    case TV_DICT:
    case TV_ITEMS: {
        count = v->json->n;
        if (!tmpl_step(r, count))
            return false;
        out = tmpl_salloc(r, count * sizeof(*out));
        if (!out)
            return false;
        for (i = 0; i < count; i++) {
            const struct jv_member *m = &v->json->u.members[i];
            if (v->kind == TV_DICT)
                tmpl_tv_str_set(&out[i], m->key, m->klen);
            else if (!tv_pair(r, m, &out[i]))
                return false;
        }
        break;
    }
    case TV_UNDEF:
        return tmpl_undefined_error(r, v, where);
    default:
        return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                         "'%s' object is not iterable", tmpl_tv_type(v));
    }
    *items = out;
    *n = count;
    return true;
}

/* Python's str() of @p v.  A null, a list, a mapping or a float is
 * refused: Jinja2 would print 'None' or a Python repr. */
bool tmpl_tv_str(struct trender *r, const struct tv *v, struct span where,
                 const char **s, size_t *len)
{
    char tmp[32];
    int n;

    switch (v->kind) {
    case TV_STR:
        *s = v->u.str.s;
        *len = v->u.str.len;
        return true;
    case TV_BOOL:
        *s = v->u.b ? "True" : "False";
        *len = strlen(*s);
        return true;
    case TV_INT: {
        /* digits from the right: this runs for every number printed */
        uint64_t u = v->u.i < 0 ? 0 - (uint64_t)v->u.i : (uint64_t)v->u.i;
        char *end = tmp + sizeof(tmp), *p = end;
        do {
            *--p = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v->u.i < 0)
            *--p = '-';
        n = (int)(end - p);
        *s = tmpl_sstrndup(r, p, (size_t)n);
        *len = (size_t)n;
        return *s != NULL;
    }
    case TV_NONE:
        return tmpl_rerr(
            r, RENDER_TEMPLATE_NULL, where,
            "a null value would be written as 'None' (test it with "
            "'is none', or write '| default(..., true)')");
    case TV_UNDEF:
        return tmpl_undefined_error(r, v, where);
    default:
        return tmpl_rerr(
            r, RENDER_TEMPLATE_UNSUPPORTED, where,
            "a %s cannot be written out (Jinja2 would write Python's "
            "representation of it)",
            v->kind == TV_FLOAT  ? "floating-point number"
            : v->kind == TV_DICT ? "mapping"
            : v->kind == TV_LOOP ? "loop object"
            : v->is_tuple        ? "tuple"
                                 : "list");
    }
}

/* Python's truth value of @p v. */
bool tmpl_tv_truth(struct trender *r, const struct tv *v, struct span where,
                   bool *out)
{
    switch (v->kind) {
    case TV_UNDEF:
        return tmpl_undefined_error(r, v, where);
    case TV_NONE:
        *out = false;
        break;
    case TV_BOOL:
        *out = v->u.b;
        break;
    case TV_INT:
        *out = v->u.i != 0;
        break;
    case TV_FLOAT:
        *out = v->u.f != 0.0;
        break;
    case TV_STR:
        *out = v->u.str.len != 0;
        break;
    case TV_LIST:
        *out = tmpl_tv_list_len(v) != 0;
        break;
    case TV_DICT:
    case TV_ITEMS:
        *out = v->json->n != 0;
        break;
    default:
        *out = true;
        break;
    }
    return true;
}

bool tmpl_is_number(const struct tv *v)
{
    return v->kind == TV_INT || v->kind == TV_BOOL;
}

int64_t tmpl_num(const struct tv *v)
{
    return v->kind == TV_BOOL ? (int64_t)v->u.b : v->u.i;
}

bool tmpl_float_error(struct trender *r, struct span where)
{
    return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                     "floating-point values are not supported here (convert "
                     "with '| int')");
}

/* What every binary operation checks first: an undefined operand raises
 * (StrictUndefined), left before right; a float is outside the subset. */
bool tmpl_operands_ok(struct trender *r, const struct tv *a, const struct tv *b,
                      struct span where)
{
    if (a->kind == TV_UNDEF)
        return tmpl_undefined_error(r, a, where);
    if (b->kind == TV_UNDEF)
        return tmpl_undefined_error(r, b, where);
    if (a->kind == TV_FLOAT || b->kind == TV_FLOAT)
        return tmpl_float_error(r, where);
    return true;
}

/* Python's a == b (an undefined side raises, as StrictUndefined does). */
bool tmpl_tv_eq(struct trender *r, const struct tv *a, const struct tv *b,
                struct span where, bool *out)
{
    size_t i, n;

    /* one step for each pair compared: lists and mappings recurse */
    if (!tmpl_operands_ok(r, a, b, where) || !tmpl_step(r, 1))
        return false;
    *out = false;
    if (tmpl_is_number(a) && tmpl_is_number(b)) {
        *out = tmpl_num(a) == tmpl_num(b);
        return true;
    }
    if (a->kind != b->kind)
        return true;
    switch (a->kind) {
    case TV_NONE:
        *out = true;
        return true;
    case TV_STR:
        if (a->u.str.len != b->u.str.len)
            return true;
        if (!tmpl_step(r, a->u.str.len / TMPL_BYTES_PER_STEP))
            return false;
        *out = memcmp(a->u.str.s, b->u.str.s, a->u.str.len) == 0;
        return true;
    case TV_LIST:
        n = tmpl_tv_list_len(a);
        if (a->is_tuple != b->is_tuple || n != tmpl_tv_list_len(b))
            return true;
        for (i = 0; i < n; i++) {
            struct tv x, y;
            bool eq;
            tmpl_tv_list_get(a, i, &x);
            tmpl_tv_list_get(b, i, &y);
            if (!tmpl_tv_eq(r, &x, &y, where, &eq))
                return false;
            if (!eq)
                return true;
        }
        *out = true;
        return true;
    case TV_DICT: {
        size_t k;
        if (a->json->n != b->json->n)
            return true;
        for (k = 0; k < a->json->n; k++) {
            const struct jv_member *m = &a->json->u.members[k];
            const struct jv *val = &m->val;
            const struct jv *other = jv_get(b->json, m->key, m->klen);
            struct tv x, y;
            bool eq;
            if (!other)
                return true;
            tmpl_tv_from_json(val, &x);
            tmpl_tv_from_json(other, &y);
            if (!tmpl_tv_eq(r, &x, &y, where, &eq))
                return false;
            if (!eq)
                return true;
        }
        *out = true;
        return true;
    }
    case TV_LOOP:
        *out = a->u.loop == b->u.loop;
        return true;
    default:
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                         "comparing '%s' values is not supported",
                         tmpl_tv_type(a));
    }
}

/* Python's ordering: -1, 0 or 1 in @p out, or a TypeError. */
bool tmpl_tv_order(struct trender *r, const struct tv *a, const struct tv *b,
                   const char *opname, struct span where, int *out)
{
    if (!tmpl_operands_ok(r, a, b, where))
        return false;
    if (tmpl_is_number(a) && tmpl_is_number(b)) {
        *out = tmpl_num(a) < tmpl_num(b) ? -1 : tmpl_num(a) > tmpl_num(b);
        return true;
    }
    if (a->kind == TV_STR && b->kind == TV_STR) {
        /* UTF-8 byte order is code point order */
        size_t n = a->u.str.len < b->u.str.len ? a->u.str.len : b->u.str.len;
        int c;
        if (!tmpl_step(r, n / TMPL_BYTES_PER_STEP))
            return false;
        c = memcmp(a->u.str.s, b->u.str.s, n);
        *out = c < 0                         ? -1
               : c > 0                       ? 1
               : a->u.str.len < b->u.str.len ? -1
                                             : a->u.str.len > b->u.str.len;
        return true;
    }
    if (a->kind == TV_LIST && b->kind == TV_LIST &&
        a->is_tuple == b->is_tuple) {
        size_t na = tmpl_tv_list_len(a), nb = tmpl_tv_list_len(b), i;
        for (i = 0; i < na && i < nb; i++) {
            struct tv x, y;
            bool eq;
            tmpl_tv_list_get(a, i, &x);
            tmpl_tv_list_get(b, i, &y);
            if (!tmpl_tv_eq(r, &x, &y, where, &eq))
                return false;
            if (!eq)
                return tmpl_tv_order(r, &x, &y, opname, where, out);
        }
        *out = na < nb ? -1 : na > nb;
        return true;
    }
    return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                     "'%s' is not supported between '%s' and '%s'", opname,
                     tmpl_tv_type(a), tmpl_tv_type(b));
}

/* Python's needle in hay. */
bool tmpl_tv_in(struct trender *r, const struct tv *needle,
                const struct tv *hay, struct span where, bool *out)
{
    size_t i, n;

    *out = false;
    switch (hay->kind) {
    case TV_UNDEF:
        return tmpl_undefined_error(r, hay, where);
    case TV_STR:
        if (needle->kind == TV_UNDEF)
            return tmpl_undefined_error(r, needle, where);
        if (needle->kind != TV_STR)
            return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                             "'in <string>' requires a "
                             "string on the left, not '%s'",
                             tmpl_tv_type(needle));
        if (!tmpl_step_bytes(r, hay->u.str.len + needle->u.str.len))
            return false;
        *out = !needle->u.str.len ||
               memmem(hay->u.str.s, hay->u.str.len, needle->u.str.s,
                      needle->u.str.len) != NULL;
        return true;
    case TV_LIST:
        n = tmpl_tv_list_len(hay);
        for (i = 0; i < n; i++) {
            struct tv x;
            tmpl_tv_list_get(hay, i, &x);
            if (!tmpl_tv_eq(r, &x, needle, where, out))
                return false;
            if (*out)
                break;
        }
        return true;
    case TV_DICT:
        if (needle->kind == TV_UNDEF)
            return tmpl_undefined_error(r, needle, where);
        if ((needle->kind == TV_LIST && !needle->is_tuple) ||
            needle->kind == TV_DICT)
            return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                             "unhashable type: '%s'", tmpl_tv_type(needle));
        if (needle->kind == TV_STR)
            *out = jv_get(hay->json, needle->u.str.s,
                                    needle->u.str.len) != NULL;
        return true;
    default:
        if (needle->kind == TV_UNDEF)
            return tmpl_undefined_error(r, needle, where);
        return tmpl_rerr(r, RENDER_TEMPLATE_TYPE, where,
                         "argument of type '%s' is not iterable",
                         tmpl_tv_type(hay));
    }
}

/* Python attributes of the types values can have: Jinja2 gives these
 * (methods, mostly) before looking a key up, so they are refused. */
static const char *const attrs_str[] = {
    "capitalize",   "casefold",     "center",    "count",     "encode",
    "endswith",     "expandtabs",   "find",      "format",    "format_map",
    "index",        "isalnum",      "isalpha",   "isascii",   "isdecimal",
    "isdigit",      "isidentifier", "islower",   "isnumeric", "isprintable",
    "isspace",      "istitle",      "isupper",   "join",      "ljust",
    "lower",        "lstrip",       "maketrans", "partition", "removeprefix",
    "removesuffix", "replace",      "rfind",     "rindex",    "rjust",
    "rpartition",   "rsplit",       "rstrip",    "split",     "splitlines",
    "startswith",   "strip",        "swapcase",  "title",     "translate",
    "upper",        "zfill",        NULL};
static const char *const attrs_list[] = {"append", "clear",   "copy",   "count",
                                         "extend", "index",   "insert", "pop",
                                         "remove", "reverse", "sort",   NULL};
static const char *const attrs_tuple[] = {"count", "index", NULL};
static const char *const attrs_int[] = {"as_integer_ratio",
                                        "bit_count",
                                        "bit_length",
                                        "conjugate",
                                        "denominator",
                                        "from_bytes",
                                        "imag",
                                        "numerator",
                                        "real",
                                        "to_bytes",
                                        NULL};
static const char *const attrs_float[] = {
    "as_integer_ratio", "conjugate", "fromhex", "hex", "imag",
    "is_integer",       "real",      NULL};
static const char *const attrs_dict[] = {
    "clear", "copy",    "fromkeys",   "get",    "items",  "keys",
    "pop",   "popitem", "setdefault", "update", "values", NULL};
static const char *const attrs_items[] = {"isdisjoint", "mapping", NULL};
static const char *const attrs_none[] = {NULL};

static const char *const *attrs_of(const struct tv *v)
{
    switch (v->kind) {
    case TV_STR:
        return attrs_str;
    case TV_LIST:
        return v->is_tuple ? attrs_tuple : attrs_list;
    case TV_BOOL:
    case TV_INT:
        return attrs_int;
    case TV_FLOAT:
        return attrs_float;
    case TV_DICT:
        return attrs_dict;
    case TV_ITEMS:
        return attrs_items;
    default:
        return attrs_none;
    }
}

/* `loop.<name>`. */
static bool loop_attr(struct trender *r, const struct tloop *l,
                      const char *name, size_t len, struct span where,
                      struct tv *out)
{
    static const char *const unsupported[] = {"changed", "cycle", "nextitem",
                                              "previtem", NULL};
#define IS(s) (len == strlen(s) && memcmp(name, s, len) == 0)
    if (IS("index"))
        tmpl_tv_int_set(out, (int64_t)l->index0 + 1);
    else if (IS("index0"))
        tmpl_tv_int_set(out, (int64_t)l->index0);
    else if (IS("revindex"))
        tmpl_tv_int_set(out, (int64_t)(l->length - l->index0));
    else if (IS("revindex0"))
        tmpl_tv_int_set(out, (int64_t)(l->length - l->index0 - 1));
    else if (IS("first"))
        tmpl_tv_bool_set(out, l->index0 == 0);
    else if (IS("last"))
        tmpl_tv_bool_set(out, l->index0 + 1 == l->length);
    else if (IS("length"))
        tmpl_tv_int_set(out, (int64_t)l->length);
    else if (IS("depth"))
        tmpl_tv_int_set(out, 1);
    else if (IS("depth0"))
        tmpl_tv_int_set(out, 0);
    else if (tmpl_in_list(unsupported, name, len) || (len && name[0] == '_'))
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                         "'loop.%.*s' is not supported", (int)len, name);
    else
        tmpl_tv_undef(out, where);
#undef IS
    return true;
}

/* Jinja2's getattr(obj, name): a Python attribute first (refused), then
 * the item; Undefined when neither. */
bool tmpl_tv_getattr(struct trender *r, const struct tv *obj, const char *name,
                     size_t len, struct span where, struct tv *out)
{
    if (obj->kind == TV_UNDEF)
        return tmpl_undefined_error(r, obj, where);
    if (obj->kind == TV_LOOP)
        return loop_attr(r, obj->u.loop, name, len, where, out);
    if ((len >= 4 && name[0] == '_' && name[1] == '_' && name[len - 1] == '_' &&
         name[len - 2] == '_') ||
        tmpl_in_list(attrs_of(obj), name, len))
        return tmpl_rerr(r, RENDER_TEMPLATE_UNSUPPORTED, where,
                         "'%.*s' is a Python attribute of '%s' to Jinja2%s",
                         (int)len, name, tmpl_tv_type(obj),
                         obj->kind == TV_DICT ? ", not a key: rename the key"
                                              : "");
    if (obj->kind == TV_DICT) {
        const struct jv *j = jv_get(obj->json, name, len);
        if (j) {
            tmpl_tv_from_json(j, out);
            return true;
        }
    }
    tmpl_tv_undef(out, where);
    return true;
}

/* Jinja2's getitem(obj, key): the item, else for a string key the
 * attribute, else Undefined. */
bool tmpl_tv_getitem(struct trender *r, const struct tv *obj,
                     const struct tv *key, struct span where, struct tv *out)
{
    if (obj->kind == TV_UNDEF)
        return tmpl_undefined_error(r, obj, where);
    if (key->kind == TV_FLOAT)
        return tmpl_float_error(r, where);
    switch (obj->kind) {
    case TV_DICT:
        if (key->kind == TV_UNDEF)
            return tmpl_undefined_error(r, key, where);
        if (key->kind == TV_STR) {
            const struct jv *j =
                jv_get(obj->json, key->u.str.s, key->u.str.len);
            if (j) {
                tmpl_tv_from_json(j, out);
                return true;
            }
        }
        break;
    case TV_LIST:
        if (tmpl_is_number(key)) {
            int64_t i = tmpl_num(key), n = (int64_t)tmpl_tv_list_len(obj);
            if (i < 0)
                i += n;
            if (i >= 0 && i < n) {
                tmpl_tv_list_get(obj, (size_t)i, out);
                return true;
            }
            tmpl_tv_undef(out, where);
            return true;
        }
        break;
    case TV_STR:
        if (tmpl_is_number(key)) {
            int64_t i, n;
            if (!tmpl_step_bytes(r, obj->u.str.len))
                return false;
            i = tmpl_num(key);
            n = (int64_t)tmpl_utf8_count(obj->u.str.s, obj->u.str.len);
            if (i < 0)
                i += n;
            if (i >= 0 && i < n) {
                size_t at =
                    tmpl_utf8_offset(obj->u.str.s, obj->u.str.len, (size_t)i);
                tmpl_tv_str_set(out, obj->u.str.s + at,
                                tmpl_utf8_len((unsigned char)obj->u.str.s[at]));
                return true;
            }
            tmpl_tv_undef(out, where);
            return true;
        }
        break;
    default:
        break;
    }
    if (key->kind == TV_STR)
        return tmpl_tv_getattr(r, obj, key->u.str.s, key->u.str.len, where,
                               out);
    tmpl_tv_undef(out, where);
    return true;
}
