/* SPDX-License-Identifier: MIT */
/** @file The inventory: defaults, groups and hosts, merged per host.
 *
 * The file is read by jv_parse() into an arena (jv.h), or, when that
 * reader declines it (a syntax error, a duplicate key, an escape or a
 * number it leaves to jansson), by jansson (duplicate keys rejected),
 * which gives the error message or the values.  It is then checked:
 * every mistake names the file, line and column, for a syntax error as
 * jansson reports it and for a schema error by finding the key again in
 * the text (a small scanner below: the values keep no positions).
 */
#include "inventory.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "hash.h"
#include "jv.h"
#include "nameset.h"
#include "source.h"

/** One host of the inventory. */
struct inv_host {
    const char *name;         /* service name (a key of the JSON) */
    const struct jv *vars;    /* its own variables (maybe JV_LAZY), or NULL */
    const struct jv **groups; /* its groups' variables, in its order */
    uint32_t ngroups;         /* how many */
    uint32_t name_len;        /* bytes of name */
};

struct inventory {
    struct source src;         /* the file's text, for error positions */
    struct arena arena;        /* the values, the hosts' group lists */
    struct jv root;            /* the parsed file */
    const struct jv *defaults; /* `defaults`, or NULL */
    json_t *overrides;         /* --set values (an object) */
    struct jv overrides_jv;    /* the same, remade by inventory_set() */
    struct inv_host *hosts;    /* in the order of the file (malloc) */
    size_t nhosts;             /* how many */
    struct nameset by_name;    /* host name -> index in hosts */
};

/* ---- finding a key in the text again ---- */

static size_t jws(const char *t, size_t n, size_t i)
{
    while (i < n &&
           (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

static size_t jstring_end(const char *t, size_t n, size_t i)
{
    for (i++; i < n && t[i] != '"'; i++) {
        if (t[i] == '\\')
            i++;
    }
    return i < n ? i + 1 : n;
}

/* One past the end of the JSON value at t[i]. */
static size_t jvalue_end(const char *t, size_t n, size_t i)
{
    int depth = 0;

    if (i < n && t[i] == '"')
        return jstring_end(t, n, i);
    if (i < n && t[i] != '{' && t[i] != '[') {
        while (i < n && t[i] != ',' && t[i] != '}' && t[i] != ']' &&
               t[i] != ' ' && t[i] != '\n' && t[i] != '\r' && t[i] != '\t')
            i++;
        return i;
    }
    for (; i < n; i++) {
        if (t[i] == '"') {
            i = jstring_end(t, n, i) - 1;
        } else if (t[i] == '{' || t[i] == '[') {
            depth++;
        } else if (t[i] == '}' || t[i] == ']') {
            if (--depth == 0)
                return i + 1;
        }
    }
    return n;
}

/* The offset of the key @p key (or of the value, @p want_value) in the
 * object at t[i], or n if absent.  Keys with escapes are not matched. */
static size_t jmember(const char *t, size_t n, size_t i, const char *key,
                      bool want_value)
{
    size_t klen = strlen(key);

    i = jws(t, n, i);
    if (i >= n || t[i] != '{')
        return n;
    i = jws(t, n, i + 1);
    while (i < n && t[i] == '"') {
        size_t kend = jstring_end(t, n, i), v;
        bool match = kend - i - 2 == klen && memcmp(t + i + 1, key, klen) == 0;
        v = jws(t, n, kend);
        if (v < n && t[v] == ':')
            v = jws(t, n, v + 1);
        if (match)
            return want_value ? v : i;
        i = jws(t, n, jvalue_end(t, n, v));
        if (i < n && t[i] == ',')
            i = jws(t, n, i + 1);
    }
    return n;
}

/* The offset of the @p idx-th item of the array at t[i], or n. */
static size_t jitem(const char *t, size_t n, size_t i, size_t idx)
{
    i = jws(t, n, i);
    if (i >= n || t[i] != '[')
        return n;
    i = jws(t, n, i + 1);
    while (i < n && t[i] != ']') {
        if (idx-- == 0)
            return i;
        i = jws(t, n, jvalue_end(t, n, i));
        if (i < n && t[i] == ',')
            i = jws(t, n, i + 1);
    }
    return n;
}

/* In a key path, a key starting with this byte is "the N-th item of an
 * array", N in decimal after it: no key of the file can start with it
 * (jansson's keys are UTF-8), while any other mark ('#') could be a key. */
#define ITEM_MARK '\xff'

/* Append "path:line:col: " for the key path @p keys (NULL-ended; a key
 * of the form ITEM_MARK "N" is the N-th item of an array): where the last
 * key is, or its value with @p want_value.  @ret 0 or a negative errno */
static int where(struct inventory *inv, struct buf *err,
                 const char *const *keys, bool want_value)
{
    const char *t = inv->src.data;
    size_t n = inv->src.len, at = jws(t, n, 0), i;
    struct position pos;

    for (i = 0; keys[i] && at < n; i++) {
        bool last = !keys[i + 1];
        if (keys[i][0] == ITEM_MARK)
            at = jitem(t, n, at, strtoul(keys[i] + 1, NULL, 10));
        else
            at = jmember(t, n, at, keys[i], want_value || !last);
    }
    if (at >= n)
        at = 0;
    pos = source_position(&inv->src, (uint32_t)at);
    return buf_addf(err, "%s:%u:%u: ", inv->src.name, pos.line, pos.column);
}

/* Where jansson's syntax error @p jerr is, as a line and a byte column
 * like every other position: jansson counts its columns in characters,
 * and column 0 when the error comes before the first character of a line
 * (at the end of a file that ends with a newline, or at a byte that is
 * not UTF-8).  Its byte count, position, says how far it read: the error
 * is at the last character read, or just after the newline for column 0. */
static struct position json_error_position(struct source *src,
                                           const json_error_t *jerr)
{
    size_t at = jerr->position > 0 ? (size_t)jerr->position : 0;

    if (at > src->len)
        at = src->len;
    if (jerr->column > 0 && at > 0) {
        at--;
        while (at > 0 && utf8_continues(src->data[at]))
            at--;
    }
    return source_position(src, (uint32_t)at);
}

static int complain(struct inventory *inv, struct buf *err,
                    const char *const *keys, bool want_value, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

/* Report a mistake in the file: "path:line:col: error: " (as where()
 * finds it) and the message.  Returns 1, the status of a bad inventory
 * (or a negative errno when the message cannot be written). */
static int complain(struct inventory *inv, struct buf *err,
                    const char *const *keys, bool want_value, const char *fmt,
                    ...)
{
    va_list ap;
    int rc;

    rc = where(inv, err, keys, want_value);
    if (!rc)
        rc = buf_adds(err, "error: ");
    if (!rc) {
        va_start(ap, fmt);
        rc = buf_vaddf(err, fmt, ap);
        va_end(ap);
    }
    return rc ? rc : 1;
}

/* ---- loading ---- */

/* Whether @p name can be a file name: `<name>.ipxe` in the output dir. */
static bool host_name_ok(const char *name)
{
    size_t i, n = strlen(name);

    if (!n || n > 253 || name[0] == '.' || name[0] == '-' || strstr(name, ".."))
        return false;
    for (i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
            return false;
    }
    return true;
}

/* Whether the object @p o has a member keyed @p key. */
static const struct jv *member(const struct jv *o, const char *key)
{
    return o ? jv_get(o, key, strlen(key)) : NULL;
}

static int load_hosts(struct inventory *inv, const struct jv *hosts,
                      const struct jv *groups, struct buf *err)
{
    size_t i;
    int rc = 0;

    inv->hosts = calloc(hosts->n + 1, sizeof(*inv->hosts));
    if (!inv->hosts || nameset_reserve(&inv->by_name, hosts->n))
        return -ENOMEM;
    for (i = 0; i < hosts->n; i++) {
        const struct jv_member *hm = &hosts->u.members[i];
        const char *name = hm->key;
        const struct jv *h = &hm->val;
        struct inv_host *host = &inv->hosts[i];
        const struct jv *gl, *v;
        size_t k;

        host->name = name;
        inv->nhosts = i + 1;
        if (!host_name_ok(name))
            return complain(inv, err,
                            (const char *const[]){"hosts", name, NULL}, false,
                            "host name '%s' is not a service name "
                            "(letters, digits, '.', '-' and '_' only)\n",
                            name);
        if (h->kind != JV_OBJECT)
            return complain(inv, err,
                            (const char *const[]){"hosts", name, NULL}, true,
                            "host '%s' must be an object "
                            "{\"groups\": [...], \"vars\": {...}}\n",
                            name);
        for (k = 0; k < h->n; k++) {
            const char *key = h->u.members[k].key;
            if (strcmp(key, "groups") != 0 && strcmp(key, "vars") != 0)
                return complain(inv, err,
                                (const char *const[]){"hosts", name, key, NULL},
                                false,
                                "host '%s' has an unknown key '%s' "
                                "(variables go under \"vars\")\n",
                                name, key);
        }
        v = member(h, "vars");
        if (v && v->kind != JV_OBJECT && v->kind != JV_LAZY)
            return complain(
                inv, err, (const char *const[]){"hosts", name, "vars", NULL},
                true, "host '%s': \"vars\" must be an object\n", name);
        host->vars = v;
        gl = member(h, "groups");
        if (gl && gl->kind != JV_ARRAY)
            return complain(
                inv, err, (const char *const[]){"hosts", name, "groups", NULL},
                true, "host '%s': \"groups\" must be a list of group names\n",
                name);
        host->ngroups = gl ? gl->n : 0;
        host->name_len = hm->klen;
        host->groups =
            arena_alloc(&inv->arena, (host->ngroups + 1) * sizeof(*host->groups));
        if (!host->groups)
            return -ENOMEM;
        for (k = 0; k < host->ngroups; k++) {
            const struct jv *g = &gl->u.items[k];
            bool is_string = g->kind == JV_STRING;
            const struct jv *gv =
                is_string && groups ? jv_get(groups, g->u.s, g->n) : NULL;
            if (!gv) {
                char idx[24];
                snprintf(idx, sizeof(idx), "%c%zu", ITEM_MARK, k);
                return complain(
                    inv, err,
                    (const char *const[]){"hosts", name, "groups", idx, NULL},
                    true, "host '%s': %s%s%s is not a group of \"groups\"\n",
                    name, is_string ? "'" : "",
                    is_string ? g->u.s : "a non-string", is_string ? "'" : "");
            }
            host->groups[k] = gv;
        }
        /* the name is a key of the file, which lives as long as the set;
         * the file has no duplicate keys (both readers refuse them) */
        rc = nameset_add(&inv->by_name, name, hm->klen, (uint32_t)i);
        if (rc)
            return rc;
    }
    return 0;
}

/* From this size on, the hosts are read by one thread a core (about 3 MB
 * is 10,000 hosts): the load is the one part of ipxe-render that no
 * worker shares. */
#define INVENTORY_SPLIT_MIN ((size_t)256 << 10)

/* How many threads read a large inventory: one a core, at most 4. */
static unsigned threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 1 ? 1 : n > 4 ? 4 : (unsigned)n;
}

/* Read the text of the file into inv->root: jv_parse(), or jansson when
 * it declines.  @ret 0, 1 (a message in @p err) or a negative errno */
static int read_values(struct inventory *inv, struct buf *err)
{
    json_error_t jerr;
    json_t *root;
    int rc;

    /* a large inventory starts on a block of a megabyte, faulted in a
     * step at a time as it fills (arena.c), rather than on small blocks
     * each faulted page by page */
    if (inv->src.len >= INVENTORY_SPLIT_MIN &&
        arena_reset(&inv->arena, (size_t)1 << 20))
        return -ENOMEM;
    rc = jv_parse_split(&inv->arena, inv->src.data, inv->src.len, "hosts",
                        INVENTORY_SPLIT_MIN, threads(), "vars", &inv->root);
    if (rc <= 0)
        return rc;
    root = json_loadb(inv->src.data, inv->src.len, JSON_REJECT_DUPLICATES,
                      &jerr);
    if (!root) {
        struct position pos = json_error_position(&inv->src, &jerr);
        rc = buf_addf(err, "%s:%u:%u: error: %s\n", inv->src.name, pos.line,
                      pos.column, jerr.text);
        return rc ? rc : 1;
    }
    rc = jv_from_json(&inv->arena, root, &inv->root);
    json_decref(root);
    return rc;
}

int inventory_load(struct inventory **out, const char *path, struct buf *err)
{
    struct inventory *inv;
    const struct jv *groups, *hosts;
    size_t i;
    int rc;

    *out = NULL;
    inv = calloc(1, sizeof(*inv));
    if (!inv)
        return -ENOMEM;
    arena_init(&inv->arena);
    rc = source_load_max(&inv->src, path, strcmp(path, "-") ? path : "<stdin>",
                         INVENTORY_MAX_SIZE);
    if (rc == -EFBIG) {
        rc = buf_addf(err,
                      "%s: error: the inventory is larger than %zu bytes "
                      "(%zu MiB), the largest inventory ipxe-render reads: "
                      "split the fleet into several inventories\n",
                      strcmp(path, "-") ? path : "<stdin>", INVENTORY_MAX_SIZE,
                      INVENTORY_MAX_SIZE >> 20);
        free(inv);
        return rc ? rc : 1;
    }
    if (rc) {
        free(inv);
        return rc;
    }
    inv->overrides = json_object();
    inv->overrides_jv.kind = JV_OBJECT;
    if (!inv->overrides) {
        rc = -ENOMEM;
        goto fail;
    }
    rc = read_values(inv, err);
    if (rc)
        goto fail;
    if (inv->root.kind != JV_OBJECT) {
        rc = buf_addf(err,
                      "%s:1:1: error: an inventory is a JSON object with "
                      "\"defaults\", \"groups\" and \"hosts\"\n",
                      inv->src.name);
        if (!rc)
            rc = 1;
        goto fail;
    }
    for (i = 0; i < inv->root.n; i++) {
        const char *key = inv->root.u.members[i].key;
        if (strcmp(key, "defaults") && strcmp(key, "groups") &&
            strcmp(key, "hosts")) {
            rc = complain(inv, err, (const char *const[]){key, NULL}, false,
                          "unknown key '%s' (an inventory has "
                          "\"defaults\", \"groups\" and \"hosts\")\n",
                          key);
            goto fail;
        }
        if (inv->root.u.members[i].val.kind != JV_OBJECT) {
            rc = complain(inv, err, (const char *const[]){key, NULL}, true,
                          "\"%s\" must be an object\n", key);
            goto fail;
        }
    }
    inv->defaults = member(&inv->root, "defaults");
    groups = member(&inv->root, "groups");
    for (i = 0; groups && i < groups->n; i++) {
        if (groups->u.members[i].val.kind != JV_OBJECT) {
            const char *key = groups->u.members[i].key;
            rc = complain(inv, err, (const char *const[]){"groups", key, NULL},
                          true, "group '%s' must be an object of variables\n",
                          key);
            goto fail;
        }
    }
    hosts = member(&inv->root, "hosts");
    if (hosts) {
        rc = load_hosts(inv, hosts, groups, err);
        if (rc)
            goto fail;
    }
    *out = inv;
    return 0;
fail:
    inventory_free(inv);
    return rc;
}

void inventory_free(struct inventory *inv)
{
    if (!inv)
        return;
    free(inv->hosts);
    nameset_release(&inv->by_name);
    arena_release(&inv->arena);
    json_decref(inv->overrides);
    source_release(&inv->src);
    free(inv);
}

size_t inventory_count(const struct inventory *inv)
{
    return inv->nhosts;
}

const char *inventory_host(const struct inventory *inv, size_t i)
{
    return i < inv->nhosts ? inv->hosts[i].name : NULL;
}

long inventory_index(const struct inventory *inv, const char *name)
{
    uint32_t i;

    return nameset_get(&inv->by_name, name, strlen(name), &i) ? (long)i : -1;
}

/* ---- merging ---- */

int inventory_vars_jv(const struct inventory *inv, size_t i,
                      const struct jv *extra, struct arena *a, struct jv *out)
{
    const struct inv_host *h = &inv->hosts[i];
    const struct jv **layers;
    struct jv vars, last;
    struct jv_member *host;
    size_t n = 0, k;

    layers = arena_alloc(a, (h->ngroups + 5) * sizeof(*layers));
    host = arena_zalloc(a, sizeof(*host));
    if (!layers || !host)
        return -ENOMEM;
    /* the last layer: {"host": its name} */
    host->key = "host";
    host->klen = 4;
    host->hash = hash_fnv1a("host", 4);
    host->val.kind = JV_STRING;
    host->val.n = h->name_len;
    host->val.u.s = h->name;
    memset(&last, 0, sizeof(last));
    last.kind = JV_OBJECT;
    last.n = 1;
    last.u.members = host;
    if (inv->defaults)
        layers[n++] = inv->defaults;
    for (k = 0; k < h->ngroups; k++)
        layers[n++] = h->groups[k];
    if (h->vars && h->vars->kind == JV_LAZY) {
        int rc = jv_read_lazy(a, h->vars, &vars);
        if (rc)
            return rc;
        layers[n++] = &vars;
    } else if (h->vars) {
        layers[n++] = h->vars;
    }
    if (inv->overrides_jv.n)
        layers[n++] = &inv->overrides_jv;
    if (extra)
        layers[n++] = extra;
    layers[n++] = &last;
    return jv_merge(a, layers, n, out);
}

json_t *inventory_vars(const struct inventory *inv, size_t i,
                       const json_t *extra, struct buf *err)
{
    struct arena a;
    struct jv ev, vars;
    json_t *j = NULL;
    int rc = 0;

    if (extra && !json_is_object(extra)) {
        /* NULL is the failure; a message that does not fit changes
         * nothing of it */
        (void)buf_adds(err,
                       "error: the extra variables must be a JSON object\n");
        return NULL;
    }
    arena_init(&a);
    if (extra)
        rc = jv_from_json(&a, extra, &ev);
    if (!rc)
        rc = inventory_vars_jv(inv, i, extra ? &ev : NULL, &a, &vars);
    if (!rc)
        j = jv_to_json(&vars);
    arena_release(&a);
    if (!j)
        (void)buf_adds(err, "error: out of memory\n"); /* NULL says it all */
    return j;
}

/* ---- --set and --host ---- */

int inventory_set(struct inventory *inv, const char *key, const char *value,
                  struct buf *err)
{
    size_t klen = strlen(key);
    bool is_json = klen && key[klen - 1] == ':';
    json_t *val, *obj = inv->overrides;
    char *path, *part, *dot;
    int rc = 1;

    /* jansson takes UTF-8 keys only: any other would fail below as if
     * memory had run out */
    val = json_stringn(key, klen);
    if (!val) {
        rc = buf_addf(err, "error: --set %s: the name is not UTF-8\n", key);
        return rc ? rc : 1;
    }
    json_decref(val);
    if (is_json) {
        json_error_t jerr;
        val = json_loads(value, JSON_DECODE_ANY, &jerr);
        if (!val) {
            rc = buf_addf(err, "error: --set %s=%s: not JSON: %s\n", key, value,
                          jerr.text);
            return rc ? rc : 1;
        }
        klen--;
    } else {
        val = json_string(value);
        if (!val) {
            rc =
                buf_addf(err, "error: --set %s: the value is not UTF-8\n", key);
            return rc ? rc : 1;
        }
    }
    path = strndup(key, klen);
    if (!path) {
        json_decref(val);
        return -ENOMEM;
    }
    for (part = path;; part = dot + 1) {
        json_t *next;
        dot = strchr(part, '.');
        if (dot)
            *dot = '\0';
        if (!*part) {
            if (buf_addf(err, "error: --set: '%.*s' is not a variable name\n",
                         (int)klen, key))
                rc = -ENOMEM;
            break;
        }
        if (!dot) {
            rc = json_object_set(obj, part, val) ? -ENOMEM : 0;
            break;
        }
        next = json_object_get(obj, part);
        if (!json_is_object(next)) {
            next = json_object();
            if (!next || json_object_set_new(obj, part, next)) {
                rc = -ENOMEM;
                break;
            }
        }
        obj = next;
    }
    free(path);
    json_decref(val);
    if (rc >= 0) {
        /* the overrides as a jv, made anew in the inventory's arena (the
         * earlier ones stay there, unused, until it is freed) */
        int jrc = jv_from_json(&inv->arena, inv->overrides, &inv->overrides_jv);
        if (jrc)
            rc = jrc;
    }
    return rc;
}

int inventory_select(const struct inventory *inv, const char *const *patterns,
                     size_t npatterns, bool *selected, struct buf *err)
{
    size_t i, p;
    int rc = 0;

    for (i = 0; i < inv->nhosts; i++)
        selected[i] = npatterns == 0;
    for (p = 0; p < npatterns; p++) {
        bool hit = false;
        for (i = 0; i < inv->nhosts; i++) {
            if (fnmatch(patterns[p], inv->hosts[i].name, 0) == 0) {
                selected[i] = true;
                hit = true;
            }
        }
        if (!hit) {
            if (buf_addf(err, "error: --host '%s' matches no host of %s\n",
                         patterns[p], inv->src.name))
                return -ENOMEM;
            rc = 1;
        }
    }
    return rc;
}
