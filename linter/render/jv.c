/* SPDX-License-Identifier: MIT */
/** @file JSON values in an arena: the inventory's reader, the conversions
 *  from and to jansson, and the merge of a host's layers (jv.h). */
#include "jv.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ascii.h"
#include "escape.h"
#include "hash.h"
#include "source.h"

/** An object's hash index: mask + 1 slots, each a member's index + 1 or
 *  0 for an empty slot, probed one after the other. */
struct jv_index {
    uint32_t mask;
    uint32_t slot[];
};

static bool same_key(const struct jv_member *m, const char *key, size_t len,
                     uint32_t hash)
{
    return m->hash == hash && m->klen == len && memcmp(m->key, key, len) == 0;
}

/* The index of @p key among @p members (indexed by @p ix, or not), or -1. */
static long find(const struct jv_member *members, uint32_t n,
                 const struct jv_index *ix, const char *key, size_t len,
                 uint32_t hash)
{
    uint32_t i;

    if (!ix) {
        for (i = 0; i < n; i++) {
            if (same_key(&members[i], key, len, hash))
                return (long)i;
        }
        return -1;
    }
    for (i = hash & ix->mask; ix->slot[i]; i = (i + 1) & ix->mask) {
        if (same_key(&members[ix->slot[i] - 1], key, len, hash))
            return (long)ix->slot[i] - 1;
    }
    return -1;
}

/* Record member @p k in @p ix (its key is not there yet). */
static void index_put(struct jv_index *ix, uint32_t hash, uint32_t k)
{
    uint32_t i;

    for (i = hash & ix->mask; ix->slot[i]; i = (i + 1) & ix->mask)
        ;
    ix->slot[i] = k + 1;
}

/* An empty index for up to @p n members (more than JV_LINEAR), or NULL
 * when memory runs out. */
static struct jv_index *index_new(struct arena *a, uint32_t n)
{
    uint32_t slots = 16;
    struct jv_index *ix;

    while (slots < 2 * (uint64_t)n)
        slots *= 2;
    ix = arena_zalloc(a, sizeof(*ix) + (size_t)slots * sizeof(ix->slot[0]));
    if (ix)
        ix->mask = slots - 1;
    return ix;
}

const struct jv *jv_get(const struct jv *obj, const char *key, size_t len)
{
    long k;

    if (obj->kind != JV_OBJECT)
        return NULL;
    k = find(obj->u.members, obj->n, obj->index, key, len, hash_fnv1a(key, len));
    return k < 0 ? NULL : &obj->u.members[k].val;
}

/* Make @p out the object of @p members[0..n) (copied into @p a).
 * @ret 0; 1 if two members have the same key; -ENOMEM */
static int object_finish(struct arena *a, const struct jv_member *members,
                         size_t n, struct jv *out)
{
    struct jv_member *m = NULL;
    struct jv_index *ix = NULL;
    size_t i;

    if (n > UINT32_MAX / 4)
        return -ENOMEM;
    if (n) {
        m = arena_alloc(a, n * sizeof(*m));
        if (!m)
            return -ENOMEM;
        memcpy(m, members, n * sizeof(*m));
    }
    if (n > JV_LINEAR) {
        ix = index_new(a, (uint32_t)n);
        if (!ix)
            return -ENOMEM;
    }
    for (i = 0; i < n; i++) {
        if (find(m, (uint32_t)i, ix, m[i].key, m[i].klen, m[i].hash) >= 0)
            return 1;
        if (ix)
            index_put(ix, m[i].hash, (uint32_t)i);
    }
    memset(out, 0, sizeof(*out));
    out->kind = JV_OBJECT;
    out->n = (uint32_t)n;
    out->index = ix;
    out->u.members = m;
    return 0;
}

/* ---- the reader ---- */

/* Below this depth the reader goes on; deeper, jansson decides (it
 * refuses past 2048). */
#define JV_MAX_DEPTH 512

struct reader {
    const unsigned char *p;   /* the next byte */
    const unsigned char *end; /* one past the last */
    struct arena *a;          /* where values go */
    struct jv_member *stack;  /* members and items of the open containers
                                 (malloc) */
    size_t top;               /* used */
    size_t cap;               /* allocated */
    unsigned depth;           /* containers open */
    struct jv_member *keys;   /* the strings kept once (from depth
                                 JV_INTERN_DEPTH on): an open hash table
                                 (malloc), NULL keys for empty slots */
    size_t nkeys;             /* strings in it */
    size_t keys_cap;          /* its slots, a power of two */
    bool no_intern;           /* keep none (a lazy value is read) */
    const char *split_key;    /* jv_parse_split()'s key, or NULL */
    size_t split_min;         /* its least size */
    unsigned threads;         /* its most threads */
    const unsigned char *split_at; /* the '{' of the object to split */
    bool in_split;            /* reading the members of that object */
    const char *lazy_key;     /* jv_parse_split()'s lazy key, or NULL */
    struct arena lazy;        /* where a lazy value is read, then dropped */
};

static void skip_ws(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' ||
                             *r->p == '\t'))
        r->p++;
}

/* After an item of a container that @p close ends: a ',' (0, and the
 * blanks after it passed), @p close (1, passed), or anything else (-1). */
static int item_end(struct reader *r, unsigned char close)
{
    skip_ws(r);
    if (r->p < r->end && *r->p == ',') {
        r->p++;
        skip_ws(r);
        return 0;
    }
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return 1;
    }
    return -1;
}

static int push(struct reader *r, const struct jv_member *m)
{
    if (r->top == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct jv_member *ns = realloc(r->stack, cap * sizeof(*ns));
        if (!ns)
            return -ENOMEM;
        r->stack = ns;
        r->cap = cap;
    }
    r->stack[r->top++] = *m;
    return 0;
}

/* Decode the escapes of [s, e) (checked by read_string()) into @p out.
 * @ret bytes written, or 0 with *declined for an escape left to jansson
 * (\u0000, surrogates) */
static size_t unescape(const unsigned char *s, const unsigned char *e,
                       char *out, bool *declined)
{
    size_t n = 0;

    while (s < e) {
        unsigned long u = 0;
        int k, c;
        if (*s != '\\') {
            out[n++] = (char)*s++;
            continue;
        }
        c = ascii_json_escape(s[1]);
        if (c >= 0) {
            out[n++] = (char)c;
            s += 2;
            continue;
        }
        /* 'u', four hex digits (read_str() checked them) */
        for (k = 2; k < 6; k++)
            u = u * 16 + (unsigned long)ascii_hex_digit(s[k]);
        if (u == 0 || (u >= 0xD800 && u <= 0xDFFF)) {
            *declined = true;
            return 0;
        }
        n += utf8_encode((uint32_t)u, out + n);
        s += 6;
    }
    return n;
}

/* Keys from this depth on (the variables of a host) repeat from host to
 * host: each is kept once (about a megabyte of 3 for 10,000 hosts). */
#define JV_INTERN_DEPTH 3

/* The key [s, s + len) of hash @p hash as kept once: found in r->keys, or
 * copied into the arena and added.  NULL when memory runs out. */
static const char *intern(struct reader *r, const char *s, size_t len,
                          uint32_t hash)
{
    size_t i;
    char *copy;

    if (2 * (r->nkeys + 1) > r->keys_cap) {
        size_t cap = r->keys_cap ? 2 * r->keys_cap : 64, k;
        struct jv_member *t = calloc(cap, sizeof(*t));
        if (!t)
            return NULL;
        for (k = 0; k < r->keys_cap; k++) {
            const struct jv_member *e = &r->keys[k];
            if (!e->key)
                continue;
            for (i = e->hash & (cap - 1); t[i].key; i = (i + 1) & (cap - 1))
                ;
            t[i] = *e;
        }
        free(r->keys);
        r->keys = t;
        r->keys_cap = cap;
    }
    for (i = hash & (r->keys_cap - 1); r->keys[i].key;
         i = (i + 1) & (r->keys_cap - 1)) {
        if (same_key(&r->keys[i], s, len, hash))
            return r->keys[i].key;
    }
    copy = arena_strndup(r->a, s, len);
    if (!copy)
        return NULL;
    r->keys[i].key = copy;
    r->keys[i].klen = (uint32_t)len;
    r->keys[i].hash = hash;
    r->nkeys++;
    return copy;
}

/* The string at r->p (a '"'), NUL-terminated in the arena, into m->key,
 * klen and hash (a key, or a string value), kept once when deep enough.
 * @ret 0, 1 (declined) or -ENOMEM */
static int read_str(struct reader *r, struct jv_member *m)
{
    const unsigned char *p = r->p + 1, *start = p;
    bool escapes = false, declined = false;
    char *out;
    size_t n;

    while (p < r->end && *p != '"') {
        if (*p == '\\') {
            escapes = true;
            if (r->end - p < 2)
                return 1;
            if (p[1] == 'u') {
                int k;
                if (r->end - p < 6)
                    return 1;
                for (k = 2; k < 6; k++) {
                    if (ascii_hex_digit(p[k]) < 0)
                        return 1;
                }
                p += 6;
            } else if (ascii_json_escape(p[1]) >= 0) {
                p += 2;
            } else {
                return 1;
            }
        } else if (*p < 0x20) {
            return 1;
        } else if (*p < 0x80) {
            p++;
        } else {
            size_t l = escape_utf8_seq(p, (size_t)(r->end - p));
            if (!l)
                return 1;
            p += l;
        }
    }
    if (p >= r->end)
        return 1;
    r->p = p + 1;
    if (!escapes && r->depth >= JV_INTERN_DEPTH && !r->no_intern) {
        n = (size_t)(p - start);
        m->hash = hash_fnv1a((const char *)start, n);
        m->key = intern(r, (const char *)start, n, m->hash);
        m->klen = (uint32_t)n;
        return m->key ? 0 : -ENOMEM;
    }
    if (!escapes) {
        out = arena_strndup(r->a, (const char *)start, (size_t)(p - start));
        n = (size_t)(p - start);
    } else {
        out = arena_alloc(r->a, (size_t)(p - start) + 1);
        n = out ? unescape(start, p, out, &declined) : 0;
        if (declined)
            return 1;
        if (out)
            out[n] = '\0';
    }
    if (!out)
        return -ENOMEM;
    m->key = out;
    m->klen = (uint32_t)n;
    m->hash = hash_fnv1a(out, n);
    return 0;
}

/* The key at r->p into @p m.  @ret 0, 1 (declined) or -ENOMEM */
static int read_key(struct reader *r, struct jv_member *m)
{
    return read_str(r, m);
}

/* The number at r->p.  @ret 0, 1 (declined) */
/* A member's key and the ':' after it, with the blanks around: the
 * reader is then at the member's value.  0, 1 (declined) or -ENOMEM. */
static int read_member_key(struct reader *r, struct jv_member *m)
{
    int rc;

    memset(m, 0, sizeof(*m));
    if (r->p >= r->end || *r->p != '"')
        return 1;
    rc = read_key(r, m);
    if (rc)
        return rc;
    skip_ws(r);
    if (r->p >= r->end || *r->p != ':')
        return 1;
    r->p++;
    skip_ws(r);
    return 0;
}

static int read_number(struct reader *r, struct jv *out)
{
    const unsigned char *p = r->p, *start = p, *digits;
    bool neg = false, integer = true;

    if (*p == '-') {
        neg = true;
        p++;
    }
    digits = p;
    if (p < r->end && *p == '0') {
        p++;
    } else if (p < r->end && *p >= '1' && *p <= '9') {
        while (p < r->end && *p >= '0' && *p <= '9')
            p++;
    } else {
        return 1;
    }
    if (p < r->end && *p == '.') {
        integer = false;
        if (++p >= r->end || *p < '0' || *p > '9')
            return 1;
        while (p < r->end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < r->end && (*p == 'e' || *p == 'E')) {
        integer = false;
        p++;
        if (p < r->end && (*p == '+' || *p == '-'))
            p++;
        if (p >= r->end || *p < '0' || *p > '9')
            return 1;
        while (p < r->end && *p >= '0' && *p <= '9')
            p++;
    }
    memset(out, 0, sizeof(*out));
    if (integer) {
        /* 18 digits always fit in an int64_t; more are jansson's to
         * read, or refuse */
        int64_t v = 0;
        if (p - digits > 18)
            return 1;
        for (; digits < p; digits++)
            v = v * 10 + (*digits - '0');
        out->kind = JV_INT;
        out->u.i = neg ? -v : v;
    } else {
        char text[64];
        size_t len = (size_t)(p - start);
        if (len >= sizeof(text))
            return 1;
        memcpy(text, start, len);
        text[len] = '\0';
        out->kind = JV_REAL;
        out->u.f = strtod(text, NULL);
        if (!isfinite(out->u.f))
            return 1; /* jansson's "real number overflow" */
    }
    r->p = p;
    return 0;
}

static int read_value(struct reader *r, struct jv *out);
static int read_container(struct reader *r, struct jv *out);
static int read_split(struct reader *r, struct jv *out);

/* A member of an object, pushed on the reader's stack. */
static int read_member(struct reader *r)
{
    struct jv_member m;
    int rc = read_member_key(r, &m);

    if (!rc)
        rc = read_value(r, &m.val);
    return rc ? rc : push(r, &m);
}

/* The object at r->p, checked as read_container() checks it, into a
 * scratch arena dropped at once: @p out is a JV_LAZY of its text.
 * @ret 0, 1 (declined) or -ENOMEM */
static int read_lazy(struct reader *r, struct jv *out)
{
    const unsigned char *start = r->p;
    struct arena *keep = r->a;
    struct jv dropped;
    int rc;

    if (arena_reset(&r->lazy, (size_t)64 << 10))
        return -ENOMEM;
    r->a = &r->lazy;
    r->no_intern = true;
    rc = read_container(r, &dropped);
    r->no_intern = false;
    r->a = keep;
    if (rc)
        return rc;
    memset(out, 0, sizeof(*out));
    out->kind = JV_LAZY;
    out->n = (uint32_t)(r->p - start);
    out->u.s = (const char *)start;
    return 0;
}

/* The object or array at r->p.  @ret 0, 1 (declined) or -ENOMEM */
static int read_container(struct reader *r, struct jv *out)
{
    bool object = *r->p == '{';
    unsigned char close = object ? '}' : ']';
    size_t base = r->top, n;
    struct jv *items;
    int rc;

    if (object && r->p == r->split_at)
        return read_split(r, out);
    if (++r->depth > JV_MAX_DEPTH)
        return 1;
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
    } else {
        for (;;) {
            struct jv_member m;
            memset(&m, 0, sizeof(m));
            if (object) {
                rc = read_member_key(r, &m);
                if (rc)
                    return rc;
                if (r->depth == 1 && r->split_key && r->p < r->end &&
                    *r->p == '{' && strcmp(m.key, r->split_key) == 0 &&
                    (size_t)(r->end - r->p) >= r->split_min)
                    r->split_at = r->p;
            }
            if (object && r->in_split && r->depth == 3 && r->lazy_key &&
                r->p < r->end && *r->p == '{' &&
                strcmp(m.key, r->lazy_key) == 0)
                rc = read_lazy(r, &m.val);
            else
                rc = read_value(r, &m.val);
            if (rc)
                return rc;
            rc = push(r, &m);
            if (rc)
                return rc;
            rc = item_end(r, close);
            if (rc < 0)
                return 1;
            if (rc)
                break;
        }
    }
    r->depth--;
    n = r->top - base;
    r->top = base;
    if (object)
        return object_finish(r->a, r->stack + base, n, out);
    items = NULL;
    if (n) {
        size_t i;
        if (n > UINT32_MAX / 4)
            return -ENOMEM;
        items = arena_alloc(r->a, n * sizeof(*items));
        if (!items)
            return -ENOMEM;
        for (i = 0; i < n; i++)
            items[i] = r->stack[base + i].val;
    }
    memset(out, 0, sizeof(*out));
    out->kind = JV_ARRAY;
    out->n = (uint32_t)n;
    out->u.items = items;
    return 0;
}

/* ---- a large object read by several threads ----
 *
 * The object is cut in parts at guessed member boundaries (a '}' then a
 * ',' then a '"': the end of an object value, the next key); a thread
 * reads each part but the first, from its guessed start, as members of
 * the object, up to the next part's start or the object's '}'.  This
 * thread reads the first part; when it reaches a part's start exactly at
 * the top of its loop, in the very state the part's thread assumed (in
 * the object, a key next), it takes that part's members and goes on where
 * the part stopped.  A guess that was wrong (a "}, \"" inside a string) is
 * never reached that way: its part is dropped, and this thread reads on.
 * A part that declined or ran out of memory is dropped too: reading it
 * here gives the same answer, or jansson's. */

struct part {
    pthread_t thread;
    bool started;               /* the thread runs (or ran) */
    const unsigned char *from;  /* its first key's '"' */
    const unsigned char *stop;  /* the next part's from, or NULL */
    struct arena arena;         /* its values */
    struct reader r;            /* its reader (its members on its stack) */
    bool closed;                /* it read the object's '}' */
    int rc;                     /* 0, 1 or -ENOMEM */
};

static void *part_main(void *arg)
{
    struct part *pt = arg;
    struct reader *r = &pt->r;
    int rc;

    r->p = pt->from;
    /* a part holds a good share of a large inventory: a block of a
     * megabyte at once, as inventory.c starts its own arena */
    if (arena_reset(&pt->arena, (size_t)1 << 20)) {
        pt->rc = -ENOMEM;
        return NULL;
    }
    for (;;) {
        if (r->p == pt->stop) {
            rc = 0;
            break;
        }
        rc = read_member(r);
        if (rc)
            break;
        rc = item_end(r, '}');
        if (rc == 0)
            continue;
        pt->closed = rc > 0;
        rc = rc < 0;
        break;
    }
    pt->rc = rc;
    return NULL;
}

/* The next guessed member start at or after @p q, before @p end: the '"'
 * after "}", ",", in between only blanks.  NULL if none. */
static const unsigned char *guess(const unsigned char *q,
                                  const unsigned char *end)
{
    while (q < end) {
        const unsigned char *p = memchr(q, '}', (size_t)(end - q));
        if (!p)
            return NULL;
        q = p + 1;
        while (q < end && (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t'))
            q++;
        if (q >= end || *q != ',')
            continue;
        q++;
        while (q < end && (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t'))
            q++;
        if (q < end && *q == '"')
            return q;
    }
    return NULL;
}

static int read_split(struct reader *r, struct jv *out)
{
    struct part parts[JV_MAX_THREADS];
    const unsigned char *start = r->p;
    size_t len = (size_t)(r->end - start), base = r->top, n;
    unsigned k, nparts = 0, next = 0;
    int rc = 0;
    bool closed = false;

    r->split_at = NULL; /* once */
    if (++r->depth > JV_MAX_DEPTH)
        return 1;
    r->in_split = true;
    memset(parts, 0, sizeof(parts));
    for (k = 1; k < r->threads; k++) {
        const unsigned char *from = guess(start + len / r->threads * k, r->end);
        if (!from || (nparts && from <= parts[nparts - 1].from))
            continue;
        parts[nparts++].from = from;
    }
    for (k = 0; k < nparts; k++) {
        struct part *pt = &parts[k];
        pt->stop = k + 1 < nparts ? parts[k + 1].from : NULL;
        arena_init(&pt->arena);
        pt->r.end = r->end;
        pt->r.a = &pt->arena;
        pt->r.depth = r->depth;
        pt->r.lazy_key = r->lazy_key;
        pt->r.in_split = true;
        arena_init(&pt->r.lazy);
        pt->started = pthread_create(&pt->thread, NULL, part_main, pt) == 0;
    }

    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == '}') {
        r->p++;
        closed = true;
    }
    while (!closed && !rc) {
        while (next < nparts && parts[next].from < r->p)
            next++; /* passed over: a wrong guess */
        if (next < nparts && parts[next].from == r->p &&
            parts[next].started) {
            struct part *pt = &parts[next++];
            size_t i;
            pthread_join(pt->thread, NULL);
            pt->started = false;
            if (pt->rc == 0) {
                for (i = 0; i < pt->r.top && !rc; i++)
                    rc = push(r, &pt->r.stack[i]);
                arena_adopt(r->a, &pt->arena);
                r->p = pt->r.p;
                closed = pt->closed;
                continue; /* at the next part's start, or done */
            }
        }
        rc = read_member(r);
        if (rc)
            break;
        rc = item_end(r, '}');
        closed = rc > 0;
        rc = rc < 0;
    }
    for (k = 0; k < nparts; k++) {
        if (parts[k].started)
            pthread_join(parts[k].thread, NULL);
        arena_release(&parts[k].arena);
        free(parts[k].r.stack);
        free(parts[k].r.keys);
        arena_release(&parts[k].r.lazy);
    }
    r->in_split = false;
    if (rc)
        return rc;
    r->depth--;
    n = r->top - base;
    r->top = base;
    return object_finish(r->a, r->stack + base, n, out);
}

/* The literal @p word at r->p, as @p kind.  @ret 0 or 1 (declined) */
static int read_word(struct reader *r, const char *word, uint8_t kind,
                     struct jv *out)
{
    size_t len = strlen(word);

    if ((size_t)(r->end - r->p) < len || memcmp(r->p, word, len) != 0)
        return 1;
    r->p += len;
    memset(out, 0, sizeof(*out));
    out->kind = kind;
    return 0;
}

static int read_value(struct reader *r, struct jv *out)
{
    if (r->p >= r->end)
        return 1;
    switch (*r->p) {
    case '{':
    case '[':
        return read_container(r, out);
    case '"': {
        /* a string deep in the hosts (a group's name) is kept once too */
        struct jv_member m;
        int rc = read_str(r, &m);
        memset(out, 0, sizeof(*out));
        out->kind = JV_STRING;
        out->n = m.klen;
        out->u.s = m.key;
        return rc;
    }
    case 't':
        return read_word(r, "true", JV_TRUE, out);
    case 'f':
        return read_word(r, "false", JV_FALSE, out);
    case 'n':
        return read_word(r, "null", JV_NULL, out);
    default:
        return read_number(r, out);
    }
}

int jv_parse(struct arena *a, const char *text, size_t len, struct jv *out)
{
    return jv_parse_split(a, text, len, NULL, 0, 1, NULL, out);
}

int jv_parse_split(struct arena *a, const char *text, size_t len,
                   const char *split_key, size_t split_min, unsigned threads,
                   const char *lazy_key, struct jv *out)
{
    struct reader r;
    int rc;

    memset(&r, 0, sizeof(r));
    r.p = (const unsigned char *)text;
    r.end = r.p + len;
    r.a = a;
    r.split_key = split_key;
    r.lazy_key = lazy_key;
    arena_init(&r.lazy);
    r.split_min = split_min;
    r.threads = threads > JV_MAX_THREADS ? JV_MAX_THREADS : threads;
    skip_ws(&r);
    if (r.p >= r.end || *r.p != '{')
        return 1; /* not an object: jansson says what it is */
    rc = read_container(&r, out);
    skip_ws(&r);
    if (!rc && r.p != r.end)
        rc = 1; /* something after the object */
    free(r.stack);
    free(r.keys);
    arena_release(&r.lazy);
    return rc;
}

int jv_read_lazy(struct arena *a, const struct jv *lazy, struct jv *out)
{
    struct reader r;
    int rc;

    memset(&r, 0, sizeof(r));
    r.p = (const unsigned char *)lazy->u.s;
    r.end = r.p + lazy->n;
    r.a = a;
    r.no_intern = true; /* a host's variables, read for one rendering */
    rc = read_container(&r, out);
    free(r.stack);
    free(r.keys);
    /* it was read whole once: only memory can fail now */
    return rc > 0 ? -EINVAL : rc;
}

/* ---- jansson ---- */

int jv_from_json(struct arena *a, const json_t *j, struct jv *out)
{
    size_t i, n;
    int rc;

    memset(out, 0, sizeof(*out));
    switch (json_typeof(j)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *v;
        struct jv_member *m;
        n = json_object_size(j);
        if (n > UINT32_MAX / 4)
            return -ENOMEM;
        m = malloc((n ? n : 1) * sizeof(*m));
        if (!m)
            return -ENOMEM;
        i = 0;
        rc = 0;
        json_object_foreach((json_t *)j, key, v) {
            size_t klen = strlen(key);
            m[i].key = arena_strndup(a, key, klen);
            m[i].klen = (uint32_t)klen;
            m[i].hash = hash_fnv1a(key, klen);
            rc = m[i].key ? jv_from_json(a, v, &m[i].val) : -ENOMEM;
            if (rc)
                break;
            i++;
        }
        /* a jansson object has no duplicate key: 1 cannot come back */
        if (!rc)
            rc = object_finish(a, m, n, out) ? -ENOMEM : 0;
        free(m);
        return rc;
    }
    case JSON_ARRAY: {
        struct jv *items;
        n = json_array_size(j);
        if (n > UINT32_MAX / 4)
            return -ENOMEM;
        items = arena_alloc(a, (n ? n : 1) * sizeof(*items));
        if (!items)
            return -ENOMEM;
        for (i = 0; i < n; i++) {
            rc = jv_from_json(a, json_array_get(j, i), &items[i]);
            if (rc)
                return rc;
        }
        out->kind = JV_ARRAY;
        out->n = (uint32_t)n;
        out->u.items = items;
        return 0;
    }
    case JSON_STRING:
        n = json_string_length(j);
        if (n > UINT32_MAX / 4)
            return -ENOMEM;
        out->kind = JV_STRING;
        out->n = (uint32_t)n;
        out->u.s = arena_strndup(a, json_string_value(j), n);
        return out->u.s ? 0 : -ENOMEM;
    case JSON_INTEGER:
        out->kind = JV_INT;
        out->u.i = (int64_t)json_integer_value(j);
        return 0;
    case JSON_REAL:
        out->kind = JV_REAL;
        out->u.f = json_real_value(j);
        return 0;
    case JSON_TRUE:
        out->kind = JV_TRUE;
        return 0;
    case JSON_FALSE:
        out->kind = JV_FALSE;
        return 0;
    default:
        out->kind = JV_NULL;
        return 0;
    }
}

json_t *jv_to_json(const struct jv *v)
{
    json_t *j;
    uint32_t i;

    switch (v->kind) {
    case JV_OBJECT:
        j = json_object();
        for (i = 0; j && i < v->n; i++) {
            const struct jv_member *m = &v->u.members[i];
            if (json_object_setn_new_nocheck(j, m->key, m->klen,
                                             jv_to_json(&m->val))) {
                json_decref(j);
                j = NULL;
            }
        }
        return j;
    case JV_ARRAY:
        j = json_array();
        for (i = 0; j && i < v->n; i++) {
            if (json_array_append_new(j, jv_to_json(&v->u.items[i]))) {
                json_decref(j);
                j = NULL;
            }
        }
        return j;
    case JV_LAZY: {
        struct arena a;
        struct jv obj;
        arena_init(&a);
        j = jv_read_lazy(&a, v, &obj) ? NULL : jv_to_json(&obj);
        arena_release(&a);
        return j;
    }
    case JV_STRING:
        return json_stringn_nocheck(v->u.s, v->n);
    case JV_INT:
        return json_integer((json_int_t)v->u.i);
    case JV_REAL:
        return json_real(v->u.f);
    case JV_TRUE:
        return json_true();
    case JV_FALSE:
        return json_false();
    default:
        return json_null();
    }
}

/* ---- merging ---- */

int jv_merge(struct arena *a, const struct jv *const *layers, size_t n,
             struct jv *out)
{
    struct jv_member *m;
    struct jv_index *ix = NULL;
    uint64_t cap = 0;
    uint32_t count = 0;
    size_t l, k;

    for (l = 0; l < n; l++)
        cap += layers[l]->n;
    if (cap > UINT32_MAX / 4)
        return -ENOMEM;
    m = arena_alloc(a, (cap ? cap : 1) * sizeof(*m));
    if (!m)
        return -ENOMEM;
    if (cap > JV_LINEAR) {
        ix = index_new(a, (uint32_t)cap);
        if (!ix)
            return -ENOMEM;
    }
    for (l = 0; l < n; l++) {
        const struct jv *src = layers[l];
        for (k = 0; k < src->n; k++) {
            const struct jv_member *sm = &src->u.members[k];
            long at = find(m, count, ix, sm->key, sm->klen, sm->hash);
            if (at < 0) {
                m[count] = *sm;
                if (ix)
                    index_put(ix, sm->hash, count);
                count++;
            } else if (sm->val.kind == JV_OBJECT &&
                       m[at].val.kind == JV_OBJECT) {
                const struct jv old = m[at].val;
                const struct jv *both[2] = {&old, &sm->val};
                int rc = jv_merge(a, both, 2, &m[at].val);
                if (rc)
                    return rc;
            } else {
                m[at].val = sm->val;
            }
        }
    }
    memset(out, 0, sizeof(*out));
    out->kind = JV_OBJECT;
    out->n = count;
    out->index = ix;
    out->u.members = m;
    return 0;
}
