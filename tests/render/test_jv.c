/* SPDX-License-Identifier: MIT */
/** @file jv.h against jansson, in one process:
 *   - jv_parse() accepts only what jansson (JSON_REJECT_DUPLICATES) reads,
 *     to the same values, keys in the same order, integers as integers and
 *     reals as the same bits; it declines the rest (jansson then says what
 *     is wrong): on a list of inputs, then on many made by mutating them;
 *   - the JSON an inventory is made of is read without declining;
 *   - jv_parse_split() gives what jv_parse() gives, valid or not, on large
 *     inventories whose strings hold decoys of the boundaries it guesses;
 *   - jv_merge() gives what merging the layers one by one into a jansson
 *     object gives (the renderer's merge before jv.h, kept here as the
 *     reference): values, and keys in the same order. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "jv.h"

static int failures;

#define check(cond, what)                                                      \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s (%s)\n", __FILE__,        \
                    __LINE__, #cond, what);                                    \
            failures++;                                                        \
        }                                                                      \
    } while (0)

/* Whether @p a and @p b are the same JSON, keys in the same order, reals
 * bit for bit. */
static bool same(const json_t *a, const json_t *b)
{
    size_t i;

    if (json_typeof(a) != json_typeof(b))
        return false;
    switch (json_typeof(a)) {
    case JSON_OBJECT: {
        void *ia = json_object_iter((json_t *)a);
        void *ib = json_object_iter((json_t *)b);
        if (json_object_size(a) != json_object_size(b))
            return false;
        while (ia && ib) {
            if (strcmp(json_object_iter_key(ia), json_object_iter_key(ib)) ||
                !same(json_object_iter_value(ia), json_object_iter_value(ib)))
                return false;
            ia = json_object_iter_next((json_t *)a, ia);
            ib = json_object_iter_next((json_t *)b, ib);
        }
        return !ia && !ib;
    }
    case JSON_ARRAY:
        if (json_array_size(a) != json_array_size(b))
            return false;
        for (i = 0; i < json_array_size(a); i++) {
            if (!same(json_array_get(a, i), json_array_get(b, i)))
                return false;
        }
        return true;
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b),
                      json_string_length(a)) == 0;
    case JSON_INTEGER:
        return json_integer_value(a) == json_integer_value(b);
    case JSON_REAL: {
        double x = json_real_value(a), y = json_real_value(b);
        return memcmp(&x, &y, sizeof(x)) == 0;
    }
    default:
        return true;
    }
}

static size_t accepted, declined;

/* Read @p text with both; @ret whether jv_parse() accepted it. */
static bool compare(const char *text, size_t len)
{
    struct arena a;
    struct jv v;
    json_error_t jerr;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    int rc;

    arena_init(&a);
    rc = jv_parse(&a, text, len, &v);
    check(rc == 0 || rc == 1, text);
    if (rc == 0) {
        json_t *back = jv_to_json(&v);
        accepted++;
        check(j != NULL, text);
        check(j && back && same(j, back), text);
        /* every key is found again */
        if (v.kind == JV_OBJECT) {
            uint32_t i;
            for (i = 0; i < v.n; i++)
                check(jv_get(&v, v.u.members[i].key, v.u.members[i].klen) ==
                          &v.u.members[i].val,
                      text);
        }
        json_decref(back);
    } else {
        declined++;
    }
    json_decref(j);
    arena_release(&a);
    return rc == 0;
}

/* Inputs that must be read without declining: what inventories hold. */
static const char *const plain[] = {
    "{}",
    " \t\r\n{ \"a\" :\r\n 1 ,\t\"b\":[ 1 , 2 ] }\n\n",
    "{\"a\": \"plain\", \"b\": \"caf\\u00e9\", \"c\": \"\\u20ac\", \"d\": "
    "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\", \"e\": \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98"
    "\x80\", \"f\": \"\", \"g\": \"del\x7f\"}",
    "{\"a\": 0, \"b\": -0, \"c\": 1.5, \"d\": 1e5, \"e\": 1E+5, \"f\": "
    "-1.5e-3, \"g\": 123456789012345678, \"h\": -123456789012345678, \"i\": "
    "1e-400, \"j\": 0.1, \"k\": -0.0, \"l\": 2.5e-310, \"m\": 1.7976931348623157e308}",
    "{\"a\": true, \"b\": false, \"c\": null, \"d\": [], \"e\": {}, \"f\": "
    "[1, [2, [3]]], \"g\": {\"z\": 1, \"a\": 2}}",
    "{\"k00\": 0, \"k01\": 1, \"k02\": 2, \"k03\": 3, \"k04\": 4, \"k05\": 5, "
    "\"k06\": 6, \"k07\": 7, \"k08\": 8, \"k09\": 9, \"k10\": 10, \"k11\": "
    "11, \"k12\": 12, \"k13\": 13, \"k14\": 14, \"k15\": 15, \"k16\": 16, "
    "\"k17\": 17, \"k18\": 18, \"k19\": 19, \"k20\": 20}",
    "{\"defaults\": {\"mirror\": \"http://mirror.example.net\", \"labels\": "
    "{\"fleet\": \"prod\"}}, \"groups\": {\"uefi\": {\"boot_mode\": "
    "\"uefi\"}}, \"hosts\": {\"ns1.eu\": {\"groups\": [\"uefi\"], \"vars\": "
    "{\"disks\": [{\"name\": \"sda\", \"size_gb\": 480}]}}}}",
};

/* Inputs jansson refuses, or that jv_parse() leaves to it. */
static const char *const odd[] = {
    "",
    "  ",
    "[]",
    "[1]",
    "\"x\"",
    "1",
    "null",
    "{\"a\": 1",
    "{\"a\": 1,}",
    "{\"a\" 1}",
    "{'a': 1}",
    "{\"a\": 1} x",
    "{\"a\": 1}{}",
    "{\"a\": 01}",
    "{\"a\": 1.}",
    "{\"a\": .5}",
    "{\"a\": -}",
    "{\"a\": +1}",
    "{\"a\": 0x10}",
    "{\"a\": NaN}",
    "{\"a\": 1e400}",
    "{\"a\": -1e400}",
    "{\"a\": 9223372036854775807}",
    "{\"a\": 9223372036854775808}",
    "{\"a\": -9223372036854775808}",
    "{\"a\": 1234567890123456789}",
    "{\"a\": tru}",
    "{\"a\": truex}",
    "{\"a\": \"x\\u0000y\"}",
    "{\"a\": \"\\ud83d\\ude00\"}",
    "{\"a\": \"\\ud800\"}",
    "{\"a\": \"\\udc00\"}",
    "{\"a\": \"\\x41\"}",
    "{\"a\": \"\\u12\"}",
    "{\"a\": \"x\ny\"}",
    "{\"a\": \"x\ty\"}",
    "{\"a\": 1, \"a\": 2}",
    "{\"a\": 1, \"\\u0061\": 2}",
    "{\"k0\": 0, \"k1\": 1, \"k2\": 2, \"k3\": 3, \"k4\": 4, \"k5\": 5, \"k6\": "
    "6, \"k7\": 7, \"k8\": 8, \"k9\": 9, \"k5\": 10}",
    "{\"a\": \"\xc0\x80\"}",
    "{\"a\": \"\xed\xa0\x80\"}",
    "{\"a\": \"\xf4\x90\x80\x80\"}",
    "{\"a\": \"\xe0\x80\x80\"}",
    "{\"a\": \"\xf0\x80\x80\x80\"}",
    "{\"a\": \"\x80\"}",
    "{\"a\": \"\xe2\x82\"}",
    "{\"a\": 1 \xc3\xa9}",
    "\xef\xbb\xbf{}",
};

/* A deterministic generator (xorshift), so that a failure repeats. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

/* Bytes a mutation puts in: JSON's own, and the edges of UTF-8. */
static const char alphabet[] = "{}[],:\"\\/ \n\t0123456789.eE+-truefalsnu"
                               "\x00\x01\x1f\x7f\x80\xbf\xc0\xc2\xdf\xe0\xed"
                               "\xef\xf0\xf4\xf5\xff";

static void mutate(void)
{
    char buf[4096];
    size_t n, i, k, seeds = sizeof(plain) / sizeof(plain[0]);

    for (i = 0; i < 60000; i++) {
        const char *seed = i % 2 ? plain[next() % seeds]
                                 : odd[next() % (sizeof(odd) / sizeof(odd[0]))];
        size_t edits = 1 + next() % 3;
        n = strlen(seed);
        memcpy(buf, seed, n);
        for (k = 0; k < edits; k++) {
            size_t at = n ? next() % n : 0;
            char c = alphabet[next() % (sizeof(alphabet) - 1)];
            switch (next() % 3) {
            case 0: /* replace */
                if (n)
                    buf[at] = c;
                break;
            case 1: /* insert */
                if (n + 1 < sizeof(buf)) {
                    memmove(buf + at + 1, buf + at, n - at);
                    buf[at] = c;
                    n++;
                }
                break;
            default: /* delete */
                if (n) {
                    memmove(buf + at, buf + at + 1, n - at - 1);
                    n--;
                }
            }
        }
        compare(buf, n);
    }
}

/* ---- reading a large object on several threads ---- */

/* Append to @p b (at *n, room for cap) an inventory of @p hosts hosts
 * whose strings hold what the split guesses as member boundaries. */
static size_t big_inventory(char *b, size_t cap, size_t hosts)
{
    /* JSON string contents; those ending in "}," make the closing quote
     * look like the start of a key to the guesser */
    static const char *const decoys[] = {
        "}, ",     "},",     "x},\\n", "}, \\\"ns1.eu\\\": {", "\\\\}, ",
        "\\u007d, ", "caf\u00e9 },", "{[\\\"]}",
    };
    size_t n = 0, i;

    n += (size_t)snprintf(b + n, cap - n,
                          "{\"defaults\": {\"a\": 1}, \"groups\": "
                          "{\"g\": {\"b\": \"}, \\\"\"}}, \"hosts\": {");
    for (i = 0; i < hosts && n + 512 < cap; i++) {
        /* a decoy in one host of eight: guesses fall on it or not */
        const char *d =
            next() % 8 ? "plain"
                       : decoys[next() % (sizeof(decoys) / sizeof(decoys[0]))];
        n += (size_t)snprintf(
            b + n, cap - n,
            "%s\"ns%zu.eu\": {\"groups\": [\"g\"], \"vars\": {\"s\": "
            "\"%s\", \"l\": [{\"k\": \"%s\"}, %zu], \"o\": {}}}",
            i ? (next() % 2 ? ", " : ",\n") : "", i, d, d, i);
    }
    n += (size_t)snprintf(b + n, cap - n, "}}");
    return n;
}

/* jv_parse_split() against jv_parse() on @p text. */
static int compare_split(const char *text, size_t len, unsigned threads)
{
    struct arena a, b;
    struct jv x, y;
    int rx, ry;

    arena_init(&a);
    arena_init(&b);
    rx = jv_parse(&a, text, len, &x);
    /* one time in two, the hosts' vars lazy (jv_to_json() reads them) */
    ry = jv_parse_split(&b, text, len, "hosts", 64, threads,
                        threads % 2 ? "vars" : NULL, &y);
    check(rx == ry, "split and plain disagree on the status");
    if (rx == 0 && ry == 0) {
        json_t *jx = jv_to_json(&x), *jy = jv_to_json(&y);
        check(jx && jy && same(jx, jy), "split and plain differ");
        json_decref(jx);
        json_decref(jy);
    }
    arena_release(&a);
    arena_release(&b);
    return rx;
}

static void splits(void)
{
    size_t cap = (size_t)1 << 20, n, i, round;
    char *b = malloc(cap), *m = malloc(cap);

    if (!b || !m) {
        failures++;
        return;
    }
    /* one host: no boundary to guess, this thread reads to the '}' */
    n = big_inventory(b, cap, 1);
    check(compare_split(b, n, 4) == 0, "a one-host inventory is declined");
    for (round = 0; round < 40; round++) {
        n = big_inventory(b, cap, 50 + next() % 2000);
        check(compare_split(b, n, (unsigned)(2 + round % 7)) == 0,
              "a large inventory is declined");
        /* and broken or changed, anywhere */
        for (i = 0; i < 10; i++) {
            size_t at = next() % n;
            memcpy(m, b, n);
            m[at] = alphabet[next() % (sizeof(alphabet) - 1)];
            compare_split(m, n, (unsigned)(2 + (round + i) % 7));
        }
        /* a duplicate host across the parts */
        memcpy(m, b, n);
        {
            char *last = strstr(m + n / 2, "\"ns");
            if (last)
                memcpy(last, "\"ns0.eu\"", 8);
            if (last && last[8] == ':')
                compare_split(m, n, (unsigned)(2 + round % 7));
        }
    }
    free(b);
    free(m);
}

/* ---- merging ---- */

/* The merge the renderer made with jansson before jv.h: objects key by
 * key (copied), anything else replaced. */
static int ref_merge(json_t *dst, const json_t *src)
{
    const char *key;
    json_t *v;

    json_object_foreach((json_t *)src, key, v) {
        json_t *old = json_object_get(dst, key);
        if (json_is_object(v) && json_is_object(old)) {
            if (ref_merge(old, v))
                return -ENOMEM;
        } else if (json_is_object(v)) {
            json_t *copy = json_object();
            if (!copy || json_object_set_new(dst, key, copy) ||
                ref_merge(copy, v))
                return -ENOMEM;
        } else if (json_object_set(dst, key, v)) {
            return -ENOMEM;
        }
    }
    return 0;
}

/* A random object of up to @p width keys from a small set, nested up to
 * @p depth, so that layers share keys and disagree on their kinds. */
static json_t *random_object(int depth, size_t width)
{
    static const char *const keys[] = {"a", "b", "c", "d", "e", "f", "g",
                                       "h", "i", "j", "k", "l", "host"};
    json_t *o = json_object();
    size_t n = next() % (width + 1), i;

    for (i = 0; i < n; i++) {
        const char *key = keys[next() % (sizeof(keys) / sizeof(keys[0]))];
        json_t *v;
        switch (next() % 5) {
        case 0:
            v = depth > 0 ? random_object(depth - 1, width) : json_null();
            break;
        case 1:
            v = json_integer(next() % 10);
            break;
        case 2:
            v = json_pack("[i]", (int)(next() % 3));
            break;
        default:
            v = depth > 0 ? random_object(depth - 1, width)
                          : json_string(key);
        }
        json_object_set_new(o, key, v);
    }
    return o;
}

static void merges(void)
{
    size_t round, l;

    for (round = 0; round < 3000; round++) {
        size_t nl = 1 + next() % 6, width = round % 2 ? 4 : 14;
        json_t *layers[6], *ref = json_object(), *got;
        struct jv jl[6], out;
        const struct jv *ptrs[6];
        struct arena a;
        int rc = 0;

        arena_init(&a);
        for (l = 0; l < nl; l++) {
            layers[l] = random_object(3, width);
            rc |= ref_merge(ref, layers[l]);
            rc |= jv_from_json(&a, layers[l], &jl[l]);
            ptrs[l] = &jl[l];
        }
        check(rc == 0, "out of memory");
        rc = jv_merge(&a, ptrs, nl, &out);
        got = rc ? NULL : jv_to_json(&out);
        if (!got || !same(ref, got)) {
            char *r = json_dumps(ref, JSON_PRESERVE_ORDER);
            char *g = got ? json_dumps(got, JSON_PRESERVE_ORDER) : NULL;
            fprintf(stderr, "merge differs:\n  jansson %s\n  jv      %s\n", r,
                    g ? g : "(none)");
            free(r);
            free(g);
            failures++;
        }
        /* the layers are unchanged: merging shares, never writes */
        for (l = 0; l < nl; l++) {
            json_t *back = jv_to_json(&jl[l]);
            check(back && same(back, layers[l]), "a layer changed");
            json_decref(back);
            json_decref(layers[l]);
        }
        json_decref(got);
        json_decref(ref);
        arena_release(&a);
    }
}

int main(void)
{
    size_t i;

    for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
        check(compare(plain[i], strlen(plain[i])), plain[i]);
    for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
        compare(odd[i], strlen(odd[i]));
    /* with a NUL byte inside, or after the object */
    compare("{\"a\": \"x\0y\"}", 12);
    compare("{\"a\": 1}\0", 9);
    mutate();
    splits();
    merges();
    printf("jv: %zu inputs read, %zu left to jansson; %d failures\n", accepted,
           declined, failures);
    return failures ? 1 : 0;
}
