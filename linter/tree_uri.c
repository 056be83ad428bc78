/* SPDX-License-Identifier: MIT */
/** @file Tree mode: setting names by number, and where a URI met in a
 *  script of the tree leads (a relative one from the script's own folder,
 *  as iPXE resolves it against the current image's URI; an absolute one
 *  through the maps). */
#include "tree_uri.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "buf.h"
#include "engine.h"
#include "settings_table.h"
#include "uri.h"

const char *const tree_template_exts[] = {
    ".j2", ".jinja", ".jinja2", ".tmpl", ".tpl", ".erb", NULL,
};

uint32_t tree_name_id(struct lint_tree *t, const char *name, size_t len)
{
    uint32_t id;

    if (nameset_get(&t->names, name, len, &id))
        return id;
    if (!lint_grow(&t->name, &t->nnames, &t->names_cap, sizeof(*t->name)))
        return UINT32_MAX;
    /* name_len and predef grow with name: same count, own capacity */
    {
        uint32_t *v = realloc(t->name_len, t->names_cap * sizeof(*v));
        bool *pd;
        if (!v)
            return UINT32_MAX;
        t->name_len = v;
        pd = realloc(t->predef, t->names_cap * sizeof(*pd));
        if (!pd)
            return UINT32_MAX;
        t->predef = pd;
    }
    id = (uint32_t)t->nnames;
    /* a copy: the script's source is freed once it is read */
    name = arena_strndup(&t->arena, name, len);
    if (!name || nameset_add(&t->names, name, len, id))
        return UINT32_MAX;
    t->name[id] = name;
    t->name_len[id] = (uint32_t)len;
    t->predef[id] = settings_predef_find(name, len) != NULL;
    t->nnames++;
    return id;
}

/* Collapse "//", "/./" and "/../" in the absolute path @p p, in place. */
static void normalize(char *p)
{
    char *out = p, *in = p;

    while (*in) {
        if (in[0] == '/' && in[1] == '/') {
            in++;
        } else if (in[0] == '/' && in[1] == '.' &&
                   (in[2] == '/' || in[2] == '\0')) {
            in += 2;
        } else if (in[0] == '/' && in[1] == '.' && in[2] == '.' &&
                   (in[3] == '/' || in[3] == '\0')) {
            in += 3;
            while (out > p && out[-1] != '/')
                out--;
            if (out > p)
                out--;
        } else {
            *out++ = *in++;
        }
    }
    if (out == p)
        *out++ = '/';
    *out = '\0';
}

/* Whether absolute path @p p is @p dir or under it. */
static bool under(const char *p, const char *dir)
{
    size_t n = strlen(dir);

    if (strcmp(dir, "/") == 0)
        return true;
    return strncmp(p, dir, n) == 0 && (p[n] == '/' || p[n] == '\0');
}

/* The map whose folder holds @p path (the deepest), or NULL. */
static const struct tmap *map_of_path(const struct lint_tree *t,
                                      const char *path)
{
    const struct tmap *best = NULL;
    size_t i;

    for (i = 0; i < t->nmaps; i++) {
        if (under(path, t->maps[i].dir) &&
            (!best || strlen(t->maps[i].dir) > strlen(best->dir)))
            best = &t->maps[i];
    }
    return best;
}

/* The file @p path names, as @p missing shows it: under the tree, or
 * absolute. */
static const char *shown_path(struct lint_tree *t, const char *path)
{
    size_t n = strlen(t->root);

    if (under(path, t->root) && path[n] == '/')
        return arena_strndup(&t->arena, path + n + 1, strlen(path + n + 1));
    return arena_strndup(&t->arena, path, strlen(path));
}

/* What the path in @p b (normalized in place) is: a script of the tree
 * (1, @p target set), a file that is no script or a place outside the
 * tree (0), or a script (`*.ipxe`) the tree does not have (2; only when
 * @p want: the file system is asked only then). */
static int lookup(struct lint_tree *t, struct buf *b, uint32_t *target,
                  bool want)
{
    struct stat st;
    uint32_t ix;
    size_t i;

    normalize(b->data);
    b->len = strlen(b->data);
    if (!under(b->data, t->root) && !map_of_path(t, b->data))
        return 0;
    if (nameset_get(&t->by_real, b->data, b->len, &ix)) {
        *target = ix;
        return 1;
    }
    /* a template of it (none to look for in a tree that has none) */
    for (i = 0; t->templates && tree_template_exts[i]; i++) {
        size_t n = b->len;
        if (buf_adds(b, tree_template_exts[i]))
            return 0;
        if (nameset_get(&t->by_real, b->data, b->len, &ix)) {
            buf_truncate(b, n);
            *target = ix;
            return 1;
        }
        buf_truncate(b, n);
    }
    if (!want || b->len < 5 || strcmp(b->data + b->len - 5, ".ipxe") != 0)
        return 0; /* no script by its name: nothing to report */
    if (stat(b->data, &st) == 0)
        return 0; /* there, but no script: an image */
    return 2;
}

int tree_resolve(struct lint_tree *t, const struct tfile *from,
                 const char *uri, uint32_t *target, const char **missing)
{
    struct uri_parts up;
    struct buf b;
    size_t len = strcspn(uri, "?#"), i;
    const struct tmap *m;
    int r = 0;

    if (!len || strpbrk(uri, " \t"))
        return 0;
    uri_split(uri, len, &up);
    buf_init(&b, PATH_MAX * 4);
    if (up.scheme.present && up.scheme.len > 1) {
        const struct tmap *best = NULL;
        for (i = 0; i < t->nmaps; i++) {
            const struct tmap *mp = &t->maps[i];
            if (mp->plen <= len && strncmp(uri, mp->prefix, mp->plen) == 0 &&
                (!best || mp->plen > best->plen))
                best = mp;
        }
        if (!best)
            goto out;
        /* several folders may serve one prefix (rendered files from
         * several places): the first that has the file */
        for (i = 0; i < t->nmaps; i++) {
            const struct tmap *mp = &t->maps[i];
            struct buf alt;
            int got;
            if (mp == best || mp->plen != best->plen ||
                strncmp(mp->prefix, best->prefix, mp->plen) != 0)
                continue;
            buf_init(&alt, PATH_MAX * 4);
            got = buf_join(&alt, mp->dir, strlen(mp->dir), "/",
                           uri + mp->plen, len - mp->plen) == 0 &&
                  lookup(t, &alt, target, false) == 1;
            buf_release(&alt);
            if (got) {
                r = 1;
                goto out;
            }
        }
        if (buf_join(&b, best->dir, strlen(best->dir), "/", uri + best->plen,
                     len - best->plen))
            goto out;
    } else if (uri[0] == '/') {
        /* the server's root: the scheme and host of the folder's map */
        m = map_of_path(t, from->real);
        if (m) {
            const char *host = strstr(m->prefix, "://");
            const char *slash = host ? strchr(host + 3, '/') : NULL;
            size_t hl = slash ? (size_t)(slash - m->prefix) : m->plen;
            char *abs = NULL;
            if (buf_addf(&b, "%.*s%.*s", (int)hl, m->prefix, (int)len, uri) ==
                0)
                abs = buf_detach(&b, NULL);
            buf_release(&b);
            if (!abs)
                return 0;
            r = strncmp(abs, m->prefix, hl) == 0 && strstr(abs, "://")
                    ? tree_resolve(t, from, abs, target, missing)
                    : 0;
            free(abs);
            return r;
        }
        if (buf_join(&b, t->root, strlen(t->root), "", uri, len))
            goto out;
    } else {
        const char *slash = strrchr(from->real, '/');
        if (buf_join(&b, from->real, (size_t)(slash - from->real), "/", uri,
                     len))
            goto out;
    }
    r = lookup(t, &b, target, missing != NULL);
    if (r == 2) {
        *missing = shown_path(t, b.data);
        r = *missing ? 2 : 0;
    }
out:
    buf_release(&b);
    return r;
}

