/* SPDX-License-Identifier: MIT */
/** @file Tree mode: what the tree can prove missing.  A chain to a script
 *  the tree does not hold (IPX2320) is only reported when the tree shows
 *  the script should be there: not when the chain boots an image an
 *  earlier line fetched under that name, not in a folder no chain of the
 *  tree reaches into, not when a template picks the script by a setting. */
#include "tree_missing.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmdparse.h"
#include "tree_uri.h"

/* The name an image fetched by @p cmd (imgfetch, kernel, initrd, module)
 * is registered under, from the source @p data: its `--name`, else the
 * last segment of its URI (as iPXE names it), when known before run time;
 * false otherwise. */
static bool image_name(const char *data, const struct lint_cmd *cmd,
                       const struct ast_word *uri, const char **name,
                       uint32_t *len)
{
    const struct cmd_optval *o = cmdparse_opt(&cmd->call, "name");
    const char *p, *end, *q;

    if (o) {
        if (!o->vtext || !o->vlen || memchr(o->vtext, '$', o->vlen))
            return false;
        *name = o->vtext;
        *len = o->vlen;
        return true;
    }
    p = data + uri->span.start;
    end = data + uri->span.end;
    for (q = end; q > p && q[-1] != '/'; q--)
        ;
    for (p = q; p < end && *p != '?' && *p != '#'; p++) {
        if (*p == '$' || *p == '"' || *p == '\'' || *p == '\\' || *p == '{')
            return false;
    }
    *name = q;
    *len = (uint32_t)(p - q);
    return p > q;
}

/* Whether word @p w (static) is a name in @p in. */
bool tree_names_image(const char *data, const struct ast_word *w,
                      const struct tree_imgnames *in)
{
    size_t i, n = w->span.end - w->span.start;

    if (!ast_word_is_static(w))
        return false;
    for (i = 0; i < in->n; i++) {
        if (in->len[i] == n &&
            memcmp(in->name[i], data + w->span.start, n) == 0)
            return true;
    }
    return false;
}

/* Remember the image @p cmd registers, if its name is known. */
int tree_note_image(struct tree_imgnames *in, const char *data,
                    const struct lint_cmd *cmd, const struct ast_word *w)
{
    const char *name;
    uint32_t len;

    if (!image_name(data, cmd, w, &name, &len))
        return 0;
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 4;
        const char **nv = realloc(in->name, cap * sizeof(*nv));
        uint32_t *lv;
        if (!nv)
            return -ENOMEM;
        in->name = nv;
        lv = realloc(in->len, cap * sizeof(*lv));
        if (!lv)
            return -ENOMEM;
        in->len = lv;
        in->cap = cap;
    }
    in->name[in->n] = name;
    in->len[in->n++] = len;
    return 0;
}

/* Whether a chain from @p f to URI word @p w leads to scripts a renderer
 * makes: @p f is a template (`menu.ipxe.erb`) and the script's name comes
 * from a setting (`chain ${menu}.ipxe`).  A template tree holds templates,
 * not the scripts served: one template may render a script per entry of
 * the same list the menu's items are written from (Puppet rendering
 * `debian.ipxe`, `fedora.ipxe`... from one `os.ipxe.erb`), so such a name
 * missing from the tree proves nothing.  A literal name in a template is
 * still checked. */
bool tree_rendered_choice(const struct tfile *f, const struct tword *w)
{
    size_t i, n = strlen(f->rel);
    bool literal = w->n == 1 && w->parts[0].id == UINT32_MAX;

    if (literal)
        return false;
    for (i = 0; tree_template_exts[i]; i++) {
        size_t k = strlen(tree_template_exts[i]);
        if (n > k && strcmp(f->rel + n - k, tree_template_exts[i]) == 0)
            return true;
    }
    return false;
}

/* The folder of tree path @p p: its bytes (0 for the tree's root). */
static size_t folder_len(const char *p)
{
    const char *slash = strrchr(p, '/');

    return slash ? (size_t)(slash - p) : 0;
}

/* The folders the tree shows are served as laid out: those holding a
 * script another script of the tree chains (a resolved URI found it
 * there).  A missing script is only reported in one of them: a folder
 * no chain of the tree ever reaches into may be laid out otherwise on
 * the server, or filled at deploy time (a user's custom scripts). */
int tree_served_folders(struct lint_tree *t)
{
    size_t i;

    for (i = 0; i < t->nfiles; i++) {
        const struct tfile *f = &t->files[i];
        if (f->has_in && nameset_add(&t->served, f->rel, folder_len(f->rel), 1))
            return -ENOMEM;
    }
    return 0;
}

/* Whether missing script @p m (its path as tree_resolve() shows it) is
 * in a served folder (tree_served_folders()). */
bool tree_in_served(const struct lint_tree *t,
                    const struct lint_tree_missing *m)
{
    return m->file[0] != '/' &&
           nameset_get(&t->served, m->file, folder_len(m->file), NULL);
}
