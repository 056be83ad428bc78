/* SPDX-License-Identifier: MIT */
/** @file Tree mode: finding the scripts under a folder, where a URI leads
 *  in the tree, and linting one script with what the tree knows of it.
 *  What each script does and what flows between them: tree_flow.c; where
 *  a URI leads: tree_uri.c. */
/* d_type in a folder's listing (glibc and the BSDs; without it, stat()) */
#define _DEFAULT_SOURCE 1
#include "tree.h"

#include "tree_flow.h"
#include "tree_int.h"
#include "tree_uri.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "engine.h"
#include "lint.h"

/* Folders deeper than this are not walked (a loop of symbolic links). */
#define DEPTH_MAX 32

/* Whether @p s ends with @p suffix, case aside. */
static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t k = strlen(suffix);

    return len >= k && strncasecmp(s + len - k, suffix, k) == 0;
}

/* Whether the file @p name at @p path is a script: named `*.ipxe`
 * (a template of one: `*.ipxe.j2` and the like), or starting `#!ipxe`. */
static bool is_script(const char *name, const char *path)
{
    size_t len = strlen(name), i;
    char head[8] = "";
    FILE *fp;
    size_t n;

    if (ends_with(name, len, ".ipxe"))
        return true;
    for (i = 0; tree_template_exts[i]; i++) {
        size_t k = strlen(tree_template_exts[i]);
        if (ends_with(name, len, tree_template_exts[i]) &&
            ends_with(name, len - k, ".ipxe"))
            return true;
    }
    fp = fopen(path, "rb");
    if (!fp)
        return false;
    n = fread(head, 1, 7, fp);
    fclose(fp);
    head[n] = '\0';
    return strncasecmp(head, "#!ipxe", 6) == 0 ||
           strncasecmp(head, "#!gpxe", 6) == 0;
}

static int add_file(struct lint_tree *t, const char *rel)
{
    struct tfile *f;
    struct buf b;
    size_t i;

    if (!lint_grow(&t->files, &t->nfiles, &t->files_cap, sizeof(*t->files)))
        return -ENOMEM;
    f = &t->files[t->nfiles];
    memset(f, 0, sizeof(*f));
    f->rel = strdup(rel);
    buf_init(&b, PATH_MAX * 2);
    if (buf_join(&b, t->shown, strlen(t->shown), "/", rel, strlen(rel)) == 0)
        f->name = buf_detach(&b, NULL);
    buf_release(&b);
    buf_init(&b, PATH_MAX * 2);
    if (buf_join(&b, t->root, strcmp(t->root, "/") ? strlen(t->root) : 0, "/",
                 rel, strlen(rel)) == 0)
        f->real = buf_detach(&b, NULL);
    buf_release(&b);
    t->nfiles++;
    for (i = 0; f->rel && tree_template_exts[i]; i++)
        t->templates |= ends_with(f->rel, strlen(f->rel), tree_template_exts[i]);
    if (!f->rel || !f->name || !f->real)
        return -ENOMEM;
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* What entry @p d at @p path is, in @p st->st_mode: from the folder's
 * listing when it says (no system call per file), else from stat(),
 * which follows a symbolic link; false for a dangling one. */
static bool kind_of(const struct dirent *d, const char *path, struct stat *st)
{
#ifdef DT_DIR
    if (d->d_type == DT_DIR || d->d_type == DT_REG) {
        st->st_mode = d->d_type == DT_DIR ? S_IFDIR : S_IFREG;
        return true;
    }
#else
    (void)d;
#endif
    return stat(path, st) == 0;
}

/* Every script under folder @p rel (""; the root) of the tree. */
static int walk(struct lint_tree *t, const char *rel, int depth)
{
    struct dirent **v = NULL;
    struct buf path, sub;
    int n, i, rc = 0;

    buf_init(&path, PATH_MAX * 2);
    buf_init(&sub, PATH_MAX * 2);
    if (buf_join(&path, t->root, strlen(t->root), *rel ? "/" : "", rel,
                 strlen(rel))) {
        rc = -ENOMEM;
        goto out;
    }
    n = scandir(path.data, &v, NULL, by_name);
    if (n < 0) {
        rc = 0; /* an unreadable folder holds no script we can read */
        goto out;
    }
    for (i = 0; i < n; i++) {
        const char *name = v[i]->d_name;
        struct stat st;

        if (!rc && name[0] != '.') {
            buf_truncate(&path, 0);
            buf_truncate(&sub, 0);
            if (buf_join(&sub, rel, strlen(rel), *rel ? "/" : "", name,
                         strlen(name)) ||
                buf_join(&path, t->root, strlen(t->root), "/", sub.data,
                         sub.len))
                rc = -ENOMEM;
            else if (!kind_of(v[i], path.data, &st))
                ; /* a dangling link */
            else if (S_ISDIR(st.st_mode) && depth < DEPTH_MAX)
                rc = walk(t, sub.data, depth + 1);
            else if (S_ISREG(st.st_mode) && is_script(name, path.data))
                rc = add_file(t, sub.data);
        }
        free(v[i]);
    }
    free(v);
out:
    buf_release(&path);
    buf_release(&sub);
    return rc;
}

static int set_maps(struct lint_tree *t, const struct lint_tree_setup *setup,
                    struct buf *err)
{
    size_t i;

    t->maps = calloc(setup->nmaps ? setup->nmaps : 1, sizeof(*t->maps));
    if (!t->maps)
        return -ENOMEM;
    for (i = 0; i < setup->nmaps; i++) {
        const char *eq = strchr(setup->maps[i], '=');
        struct tmap *m = &t->maps[t->nmaps];

        if (!eq || eq == setup->maps[i] || !eq[1]) {
            buf_addf(err,
                     "map '%s' is not URL-PREFIX=DIR (for example "
                     "'http://boot.example.net/ipxe/=srv/ipxe')",
                     setup->maps[i]);
            return -EINVAL;
        }
        m->prefix = strndup(setup->maps[i], (size_t)(eq - setup->maps[i]));
        m->dir = realpath(eq + 1, NULL);
        t->nmaps++;
        if (!m->prefix)
            return -ENOMEM;
        if (!m->dir) {
            buf_addf(err, "map '%s': cannot use folder '%s': %s",
                     setup->maps[i], eq + 1, strerror(errno));
            return -EINVAL;
        }
        m->plen = strlen(m->prefix);
    }
    return 0;
}

/* Free a script's parse. */
static void forget(struct tfile *f)
{
    if (!f->parsed)
        return;
    diag_list_release(&f->diags);
    arena_release(&f->arena);
    source_release(&f->src);
    f->script = NULL;
    f->parsed = false;
}

/* Read and parse script @p f. */
static int parse_file(struct lint_tree *t, struct tfile *f)
{
    arena_init(&f->arena);
    diag_list_init(&f->diags, &f->arena);
    if (t->overlay < t->nfiles && f == &t->files[t->overlay]) {
        if (source_init_mem(&f->src, f->name, t->overlay_data,
                            t->overlay_len) != 0)
            return -ENOMEM;
    } else if (source_load(&f->src, f->real, f->name) != 0) {
        /* unreadable: a script of the tree with nothing in it */
        if (source_init_mem(&f->src, f->name, "", 0) != 0)
            return -ENOMEM;
    }
    f->parsed = true;
    return lint_parse(&f->src, &t->popts, &f->arena, &f->diags, &f->script);
}

/* Parse and read every script. */
static int load_files(struct lint_tree *t)
{
    size_t i;
    int rc = 0;

    if (nameset_reserve(&t->by_real, t->nfiles))
        return -ENOMEM;
    for (i = 0; i < t->nfiles && !rc; i++) {
        if (nameset_add(&t->by_real, t->files[i].real,
                        strlen(t->files[i].real), (uint32_t)i))
            return -ENOMEM;
    }
    t->overlay = t->nfiles;
    if (t->overlay_data && !lint_tree_find(t, t->overlay_src, &t->overlay))
        t->overlay = t->nfiles;
    for (i = 0; i < t->nfiles && !rc; i++) {
        struct tfile *f = &t->files[i];

        rc = parse_file(t, f);
        if (!rc)
            rc = tree_collect(t, f);
        if (!t->keep)
            forget(f); /* what the tree needs is copied out */
    }
    return rc;
}

int lint_tree_open(struct lint_tree **out, const struct lint_tree_setup *setup,
                   const struct lint_options *opts, struct buf *err)
{
    struct lint_tree *t = calloc(1, sizeof(*t));
    uint32_t *entries = NULL;
    struct stat st;
    size_t i, n;
    int rc;

    *out = NULL;
    if (!t)
        return -ENOMEM;
    arena_init(&t->arena);
    t->popts = *opts;
    t->popts.tree = NULL;
    t->keep = setup->keep;
    t->overlay_src = setup->overlay;
    t->overlay_data = setup->overlay ? setup->overlay_data : NULL;
    t->overlay_len = setup->overlay_len;
    t->root = realpath(setup->dir, NULL);
    if (!t->root || stat(t->root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        buf_addf(err, "tree '%s' is not a folder%s%s", setup->dir,
                 t->root ? "" : ": ", t->root ? "" : strerror(errno));
        lint_tree_close(t);
        return -EINVAL;
    }
    n = strlen(setup->dir);
    while (n > 1 && setup->dir[n - 1] == '/')
        n--;
    t->shown = strndup(setup->dir, n);
    rc = t->shown ? set_maps(t, setup, err) : -ENOMEM;
    if (!rc)
        rc = walk(t, "", 0);
    if (!rc)
        rc = load_files(t);
    if (!rc && setup->nentries) {
        entries = malloc(setup->nentries * sizeof(*entries));
        if (!entries)
            rc = -ENOMEM;
    }
    for (i = 0; !rc && i < setup->nentries; i++) {
        if (!lint_tree_find(t, setup->entries[i], &n)) {
            buf_addf(err, "entry '%s' is not a script of the tree '%s'",
                     setup->entries[i], setup->dir);
            rc = -EINVAL;
        } else {
            entries[i] = (uint32_t)n;
        }
    }
    if (!rc) {
        t->rel = malloc((t->nnames ? t->nnames : 1) * sizeof(*t->rel));
        rc = t->rel ? tree_analyse(t, entries, setup->nentries) : -ENOMEM;
    }
    free(entries);
    if (rc) {
        lint_tree_close(t);
        return rc;
    }
    *out = t;
    return 0;
}

void lint_tree_close(struct lint_tree *t)
{
    size_t i, k;

    if (!t)
        return;
    for (i = 0; i < t->nfiles; i++) {
        struct tfile *f = &t->files[i];
        forget(f);
        for (k = 0; k < f->nsites; k++) {
            free(f->sites[k].targets);
            free(f->sites[k].missing);
            free(f->sites[k].done);
        }
        free(f->sites);
        free(f->stores);
        free(f->uses);
        free(f->items);
        free(f->loop);
        free(f->reach);
        free(f->entry_def);
        free(f->env);
        free(f->bits);
        free(f->in);
        free(f->out);
        free(f->set);
        free(f->partial);
        free(f->missing);
        free(f->rel);
        free(f->name);
        free(f->real);
    }
    for (i = 0; i < t->nmaps; i++) {
        free(t->maps[i].prefix);
        free(t->maps[i].dir);
    }
    free(t->maps);
    free(t->files);
    nameset_release(&t->by_real);
    nameset_release(&t->names);
    free(t->name);
    free(t->name_len);
    free(t->predef);
    free(t->rel);
    free(t->seen);
    free(t->vals);
    nameset_release(&t->values);
    nameset_release(&t->served);
    free(t->edges);
    arena_release(&t->arena);
    free(t->root);
    free(t->shown);
    free(t);
}

size_t lint_tree_size(const struct lint_tree *t)
{
    return t->nfiles;
}

const char *lint_tree_name(const struct lint_tree *t, size_t i)
{
    return t->files[i].name;
}

bool lint_tree_find(const struct lint_tree *t, const char *path, size_t *i)
{
    /* the folder's real path and the file's own name: a script may be a
     * symbolic link, and the tree knows it by the link's name */
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path) + 1) : NULL;
    char *real = realpath(slash ? dir : ".", NULL);
    struct buf b;
    uint32_t ix;
    bool found = false;

    free(dir);
    if (!real)
        return false;
    buf_init(&b, PATH_MAX * 2);
    if (buf_addf(&b, "%s/%s", strcmp(real, "/") ? real : "",
                 slash ? slash + 1 : path) == 0)
        found = nameset_get(&t->by_real, b.data, b.len, &ix);
    buf_release(&b);
    free(real);
    if (found)
        *i = ix;
    return found;
}

int lint_tree_lint(struct lint_tree *t, size_t i,
                   const struct lint_options *opts, struct arena *a,
                   struct diag_list *out, struct source **src)
{
    struct tfile *f = &t->files[i];
    struct lint_options o = *opts;
    size_t first = out->len, k;

    o.tree = &f->facts;
    if (!f->parsed) {
        int rc = parse_file(t, f);
        if (rc)
            return rc;
    }
    *src = &f->src;
    for (k = 0; k < f->diags.len; k++) {
        if (diag_append(out, &f->diags.items[k]))
            return -ENOMEM;
    }
    return lint_parsed_run(&f->src, f->script, &o, a, out, first);
}
