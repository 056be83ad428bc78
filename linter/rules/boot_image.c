/* SPDX-License-Identifier: MIT */
/** @file Image names: look-ups of images no line registered (IPX2322) and
 *  arguments set on an image nothing boots (IPX2321).
 *
 * iPXE names each image it downloads after the last segment of its URI's
 * path, or `--name` (spec §1.8, image_set_uri).  `imgstat` and `imgfree`
 * only look an image up by name and fail with "no such image" when there
 * is none; `imgargs`, `kernel`/`imgselect`, `chain`/`boot`/`imgexec` and
 * the digest commands acquire (spec §5.1, imgacquire): a word that names
 * no registered image is downloaded, as a new image.  Both rules follow
 * the names in file order, the way the script runs when it does not jump
 * back; a look-up that file order cannot prove is only a warning.
 */
#include "boot.h"

#include <stdlib.h>
#include <string.h>

static void check_images(struct lint_ctx *ctx);

static const struct lint_rule unknown_image = {
    .code = "IPX2322",
    .name = "unknown-image",
    .sev = DIAG_ERROR,
    .summary = "'imgstat' or 'imgfree' of an image name no line registered: "
               "'no such image', and the command fails",
    .on_script = check_images,
};

static const struct lint_rule unused_image_args = {
    .code = "IPX2321",
    .name = "unused-image-args",
    .sev = DIAG_WARNING,
    .summary = "'imgargs' on an image that nothing after it boots or selects: "
               "the arguments are lost",
    .on_script = check_images, /* one pass for both */
};

const struct lint_rule *const lint_rules_boot_image[] = {
    &unknown_image,
    &unused_image_args,
    NULL,
};

/* How an image got its name. */
enum reg_kind {
    REG_FETCH = 1, /**< imgfetch, module, initrd: a module or an initrd */
    REG_ACQUIRE,   /**< downloaded by a command that acquires */
};

/* One name the script gives an image, and what file order knows of it. */
struct img_name {
    uint32_t alive; /**< the epoch it was registered in (0: never) */
    uint8_t kind;   /**< enum reg_kind of the last registration */
    uint32_t used;  /**< the last command (ordinal) that boots or selects
                         it, or 0 */
};

/* An `imgargs` waiting to see whether a later line boots its image. */
struct img_args {
    uint32_t name;        /**< index into names */
    uint32_t at;          /**< its command ordinal */
    struct span span;     /**< the image word */
    const char *word;     /**< its text, for the message (arena) */
    bool downloaded;      /**< imgargs downloads it (no image of that name) */
    bool second_copy;     /**< ... while an image of its basename exists */
    const char *basename; /**< the name the download gets (arena) */
};

struct img_state {
    struct nameset set;     /**< name -> index into names */
    struct img_name *names; /**< (malloc) */
    size_t nnames, capnames;
    struct img_args *args; /**< (malloc) */
    size_t nargs, capargs;
    uint32_t epoch;       /**< bumped by a bare `imgfree` */
    long selected;        /**< the selected image's index, -1 for none,
                               -2 for one whose name shows at run time */
    uint32_t dynamic_use; /**< the last boot or select of a name only
                               known at run time (ordinal), or 0 */
    bool oom;             /**< memory ran out: report nothing */
};

/* The index of @p name (@p len bytes, borrowed), added if new; -1 when
 * memory ran out. */
static long name_index(struct img_state *st, const char *name, uint32_t len)
{
    uint32_t now;

    if (!lint_grow(&st->names, &st->nnames, &st->capnames,
                   sizeof(*st->names)) ||
        nameset_put(&st->set, name, len, (uint32_t)st->nnames, &now)) {
        st->oom = true;
        return -1;
    }
    if (now == st->nnames) {
        memset(&st->names[now], 0, sizeof(st->names[now]));
        st->nnames++;
    }
    return now;
}

/* The index of @p name if the script ever gave an image that name. */
static long name_find(const struct img_state *st, const char *name,
                      uint32_t len)
{
    uint32_t v;

    return nameset_get(&st->set, name, len, &v) ? (long)v : -1;
}

/* Whether the image called @p name is registered now, in file order. */
static bool name_alive(const struct img_state *st, long i)
{
    return i >= 0 && st->names[i].alive == st->epoch;
}

/* Whether the byte @p c can only come from a template tag or expansion. */
static bool is_dynamic_byte(char c)
{
    return c == '$' || c == '{' || c == '}' || c == '<' || c == '>' || c == '%';
}

/* The name a download of URI word @p u gets (--name aside): the last
 * segment of its path.  False when it is only known at run time, or when
 * the URI has no path (iPXE then names it imgN). */
static bool uri_basename(const struct uri_word *u, const char **name,
                         uint32_t *len)
{
    const char *s = u->w->text;
    struct uri_parts p;
    uint32_t end, start, i;

    if (u->p.opaque.present)
        return false;
    if (u->lit == u->w->len) {
        p = u->p;
    } else {
        /* after the last expansion: split what follows its last '/' */
        uri_split(s, u->w->len, &p);
    }
    end = p.path.present ? p.path.off + p.path.len : u->w->len;
    if (end > u->w->len)
        end = u->w->len;
    start = end;
    while (start > 0 && s[start - 1] != '/')
        start--;
    if (start == end)
        return false;
    for (i = start; i < end; i++) {
        if (is_dynamic_byte(s[i]))
            return false;
    }
    if (u->lit < u->w->len) {
        /* the '/' before the name must be literal text, not inside an
         * expansion: nothing after it may close one */
        for (i = end; i < u->w->len; i++) {
            if (is_dynamic_byte(s[i]))
                return false;
        }
        if (start == 0)
            return false;
    }
    *name = s + start;
    *len = end - start;
    return true;
}

/* The name command @p cmd gives the image of URI word @p u when it
 * downloads it: --name, else the basename.  False when not known. */
static bool reg_name(const struct lint_cmd *cmd, const struct uri_word *u,
                     const char **name, uint32_t *len)
{
    const struct cmd_optval *opt = cmdparse_opt(&cmd->call, "name");

    if (opt) {
        if (opt->value && !ast_word_is_static(opt->value))
            return false;
        *name = opt->vtext;
        *len = opt->vlen;
        return *len > 0;
    }
    return uri_basename(u, name, len);
}

/* Whether command @p id acquires its first word (spec §5.1). */
static bool acquires(unsigned id)
{
    return id == CMD_ID_IMGSELECT || id == CMD_ID_IMGEXEC ||
           id == CMD_ID_IMGARGS;
}

/* ---- pass 1: every name the script registers anywhere ---- */

/* Note the names @p cmd may register; false when one is only known at
 * run time. */
static bool collect(struct lint_ctx *ctx, struct img_state *st,
                    const struct lint_cmd *cmd)
{
    const struct uri_word *uw;
    const char *name;
    uint32_t nu, len;

    if (cmd->call.error != CMD_OK)
        return true;
    uw = cmd_uris(ctx, cmd, &nu);
    if (!nu || uw[0].arg != 0 || uw[0].use == USE_SAN || uw[0].use == USE_VALUE)
        return true;
    if (!reg_name(cmd, &uw[0], &name, &len))
        return false;
    name_index(st, name, len);
    return true;
}

/* ---- pass 2: file order ---- */

/* IPX2322: `imgstat NAME`, `imgfree NAME`. */
static void lookup(struct lint_ctx *ctx, struct img_state *st,
                   const struct lint_cmd *cmd, bool dyn_names)
{
    unsigned id = lint_cmd_id(cmd);
    uint32_t k;

    for (k = 0; k < cmd->call.nargs; k++) {
        const struct ast_word *w = cmd_arg(cmd, k);
        long i;

        if (!w || !w->len || !ast_word_is_static(w))
            continue;
        i = name_find(st, w->text, w->len);
        if (!name_alive(st, i) && !dyn_names && cmd->ll->reachable) {
            if (i < 0)
                lint_report_at(ctx, &unknown_image,
                               lint_failure_caught(cmd->seg) ? DIAG_WARNING
                                                             : DIAG_ERROR,
                               w->span,
                               "'%s %s' fails with \"no such image\"%s: no "
                               "line of this script registers an image of that "
                               "name (kernel, imgfetch, initrd and module name "
                               "an image after the last part of its URL, or "
                               "its --name)",
                               cmd_name(cmd), lint_show(ctx, w->text, w->len),
                               lint_failure_caught(cmd->seg)
                                   ? ""
                                   : " and the script stops here");
            else
                lint_report_at(ctx, &unknown_image, DIAG_WARNING, w->span,
                               "'%s %s' may fail with \"no such image\": no "
                               "line before this one registers an image of "
                               "that name, or it was freed since (only a "
                               "jump back could reach it with the image "
                               "registered)",
                               cmd_name(cmd), lint_show(ctx, w->text, w->len));
        }
        if (id == CMD_ID_IMGFREE && i >= 0) {
            st->names[i].alive = 0;
            if (st->selected == i)
                st->selected = -1;
        }
    }
    if (id == CMD_ID_IMGFREE && cmd->call.nargs == 0) {
        st->epoch++; /* every image is gone */
        st->selected = -1;
    }
}

/* The registered image the acquiring word @p u names, or -1 if the
 * command downloads a new one. */
static long acquired(const struct img_state *st, const struct uri_word *u)
{
    long i;

    if (!boot_uri_is_bare(u))
        return -1;
    i = name_find(st, u->w->text, u->w->len);
    return name_alive(st, i) ? i : -1;
}

/* Register the image @p cmd downloads from @p u; its index or -1. */
static long download(struct img_state *st, const struct lint_cmd *cmd,
                     const struct uri_word *u, enum reg_kind kind)
{
    const char *name;
    uint32_t len;
    long i;

    if (!reg_name(cmd, u, &name, &len))
        return -1;
    i = name_index(st, name, len);
    if (i >= 0) {
        st->names[i].alive = st->epoch;
        st->names[i].kind = (uint8_t)kind;
    }
    return i;
}

/* Remember `imgargs` @p cmd on image @p i for the report at the end. */
static void args_note(struct lint_ctx *ctx, struct img_state *st,
                      const struct lint_cmd *cmd, const struct uri_word *u,
                      long i, uint32_t at, bool downloaded, bool second)
{
    struct img_args *a;

    if (!cmd->ll->reachable)
        return;
    if (!lint_grow(&st->args, &st->nargs, &st->capargs, sizeof(*st->args))) {
        st->oom = true;
        return;
    }
    a = &st->args[st->nargs++];
    a->name = (uint32_t)i;
    a->at = at;
    a->span = u->w->span;
    a->word = lint_show(ctx, u->w->text, u->w->len);
    a->downloaded = downloaded;
    a->second_copy = second;
    a->basename = NULL;
}

/* The image commands of @p cmd, at ordinal @p at, in file order. */
static void step(struct lint_ctx *ctx, struct img_state *st,
                 const struct lint_cmd *cmd, uint32_t at, bool dyn_names)
{
    unsigned id = lint_cmd_id(cmd);
    const struct uri_word *uw, *u;
    uint32_t nu;
    long i;

    if (cmd->call.error != CMD_OK)
        return;
    if (id == CMD_ID_IMGSTAT || id == CMD_ID_IMGFREE) {
        lookup(ctx, st, cmd, dyn_names);
        return;
    }
    if (id == CMD_ID_IMGEXEC && cmd->call.nargs == 0) {
        if (st->selected >= 0)
            st->names[st->selected].used = at;
        else if (st->selected == -2)
            st->dynamic_use = at;
        return;
    }
    uw = cmd_uris(ctx, cmd, &nu);
    if (!nu || uw[0].arg != 0 || uw[0].use == USE_SAN || uw[0].use == USE_VALUE)
        return;
    u = &uw[0];
    if (u->use == USE_FETCH) {
        download(st, cmd, u, REG_FETCH);
        return;
    }
    if (!acquires(id)) {
        /* digests and the like: a download registers a name */
        if (acquired(st, u) < 0)
            download(st, cmd, u, REG_ACQUIRE);
        return;
    }
    if (u->lit < u->w->len && boot_uri_is_bare(u) == false &&
        id != CMD_ID_IMGARGS) {
        /* `boot ${img}` may be any image */
        st->dynamic_use = at;
    }
    i = acquired(st, u);
    if (id == CMD_ID_IMGARGS) {
        bool downloaded = i < 0;
        bool second = false;
        const char *bn;
        uint32_t bl;

        if (!ast_word_is_static(u->w))
            return; /* which image it is shows only at run time */
        if (downloaded && dyn_names && boot_uri_is_bare(u))
            return; /* it may be an image whose name shows at run time */
        if (downloaded) {
            if (uri_basename(u, &bn, &bl))
                second = name_alive(st, name_find(st, bn, bl));
            i = download(st, cmd, u, REG_ACQUIRE);
            if (i < 0)
                return;
        } else if (st->names[i].kind == REG_FETCH) {
            return; /* a module: the kernel that boots reads its line */
        }
        args_note(ctx, st, cmd, u, i, at, downloaded, second);
        if (downloaded && st->nargs && st->args[st->nargs - 1].at == at &&
            uri_basename(u, &bn, &bl))
            st->args[st->nargs - 1].basename = lint_show(ctx, bn, bl);
        return;
    }
    if (i < 0)
        i = download(st, cmd, u, REG_ACQUIRE);
    if (i < 0) {
        /* an image whose name shows only at run time: a bare `boot` after
         * `kernel ${url}` may boot anything an `imgargs` named */
        if (id == CMD_ID_IMGSELECT)
            st->selected = -2;
        st->dynamic_use = at;
        return;
    }
    st->names[i].used = at;
    if (id == CMD_ID_IMGSELECT)
        st->selected = i;
    if (id == CMD_ID_IMGEXEC && cmdparse_opt(&cmd->call, "autofree"))
        st->names[i].alive = 0; /* freed when it returns */
}

/* IPX2321: the `imgargs` whose image no later command boots or selects. */
static void report_args(struct lint_ctx *ctx, const struct img_state *st)
{
    size_t k;

    for (k = 0; k < st->nargs; k++) {
        const struct img_args *a = &st->args[k];
        struct diag *dg;

        if (st->names[a->name].used > a->at || st->dynamic_use > a->at)
            continue;
        if (a->downloaded && a->second_copy) {
            dg = lint_report(ctx, &unused_image_args, a->span,
                             "the arguments of 'imgargs %s' are lost: it "
                             "downloads '%s' again as a new image (iPXE "
                             "looks for an image named '%s', finds none, and "
                             "fetches the URL), gives the arguments to that "
                             "copy, and nothing after this line boots or "
                             "selects it",
                             a->word, a->basename ? a->basename : a->word,
                             a->word);
            if (dg && a->basename)
                diag_hint(lint_diags(ctx), dg,
                          "name the image already fetched: 'imgargs %s ...'",
                          a->basename);
        } else if (a->downloaded) {
            lint_report(ctx, &unused_image_args, a->span,
                        "the arguments of 'imgargs %s' are lost: it downloads "
                        "a new image and gives it the arguments, but nothing "
                        "after this line boots or selects that image",
                        a->word);
        } else {
            lint_report(ctx, &unused_image_args, a->span,
                        "the arguments of 'imgargs %s' are lost: nothing "
                        "after this line boots or selects image '%s'",
                        a->word, a->word);
        }
    }
}

static void check_images(struct lint_ctx *ctx)
{
    const struct lint_line *lines;
    struct img_state st;
    size_t n, li;
    uint32_t c, at = 0;
    bool dyn_names = false;

    /* both rules share this hook, which the engine runs once */
    memset(&st, 0, sizeof(st));
    st.epoch = 1;
    st.selected = -1;
    lines = lint_lines(ctx, &n);
    for (li = 0; li < n; li++) {
        for (c = 0; c < lines[li].ncmds; c++) {
            if (!collect(ctx, &st, &lines[li].cmds[c]))
                dyn_names = true;
        }
    }
    for (li = 0; li < n && !st.oom; li++) {
        for (c = 0; c < lines[li].ncmds; c++)
            step(ctx, &st, &lines[li].cmds[c], ++at, dyn_names);
    }
    if (!st.oom)
        report_args(ctx, &st);
    nameset_release(&st.set);
    free(st.names);
    free(st.args);
}
