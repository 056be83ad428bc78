/* SPDX-License-Identifier: MIT */
/** @file Hover, definition, references, document symbols and completion
 *  (see lsp_int.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "buf.h"
#include "cmdhelp.h"
#include "cmdparse.h"
#include "cmdtable.h"
#include "diag.h"
#include "index.h"
#include "lsp_int.h"
#include "ruledocs.h"
#include "rules.h"
#include "settings_table.h"

/* ---- where the cursor is ---- */

struct at {
    const struct ast_line *line;
    const struct ast_segment *seg; /**< the segment holding the word */
    uint32_t word;                 /**< its argv index, or UINT32_MAX */
};

/* The word under byte @p off (it holds it or ends there). */
static bool word_at(const struct lsp_doc *doc, uint32_t off, struct at *at)
{
    const struct ast_line *l;
    const struct ast_segment *seg;
    uint32_t i;

    memset(at, 0, sizeof(*at));
    at->word = UINT32_MAX;
    if (!doc->tree)
        return false;
    for (l = doc->tree->lines; l; l = l->next) {
        if (off < l->span.start || off > l->span.end)
            continue;
        at->line = l;
        for (seg = l->segs; seg; seg = seg->next) {
            for (i = 0; i < seg->argc; i++) {
                const struct ast_word *w = seg->argv[i];
                if (off >= w->span.start && off <= w->span.end) {
                    at->seg = seg;
                    at->word = i;
                    return true;
                }
            }
        }
        if (off < l->span.end)
            return false;
    }
    return false;
}

static const char *value_name(const struct cmd_option *o)
{
    return o->value_name ? o->value_name : "value";
}

static int option_line(struct buf *b, const struct cmd_option *o)
{
    int rc = buf_adds(b, "- `");
    if (!rc && o->short_name)
        rc = buf_addf(b, "-%c, ", o->short_name);
    if (!rc)
        rc = buf_addf(b, "--%s", o->long_name);
    if (!rc && o->value != CMD_VAL_NONE)
        rc = buf_addf(b, " <%s>", value_name(o));
    return rc ? rc : buf_adds(b, "`\n");
}

static int command_doc(struct buf *b, const struct cmd_def *def,
                       const struct cmd_option *only)
{
    int rc = buf_addf(b, "```\n%s %s\n```\n", def->name, def->usage);
    const char *what = lsp_cmd_help(def->name);
    uint8_t i;

    if (!rc && what)
        rc = buf_addf(b, "\n%s\n", what);
    if (!rc && def->alias_of)
        rc = buf_addf(b, "\n`%s` is another name for `%s`.\n", def->name,
                      def->alias_of);
    if (!rc && only) {
        rc = buf_adds(b, "\n");
        if (!rc)
            rc = option_line(b, only);
        return rc;
    }
    if (!rc && def->nopts)
        rc = buf_adds(b, "\nOptions:\n\n");
    for (i = 0; !rc && i < def->nopts; i++)
        rc = option_line(b, &def->opts[i]);
    if (!rc)
        rc = buf_addf(b,
                      "\nPositional arguments: %u to %s.  In a default "
                      "build: %s.  Built with `%s`.\n",
                      def->min_args,
                      def->max_args == CMD_ARGS_UNLIMITED ? "any number"
                      : def->max_args == 0                ? "none"
                                                          : "",
                      def->efi && def->pcbios ? "EFI and BIOS"
                      : def->efi              ? "EFI only (not BIOS)"
                      : def->pcbios           ? "BIOS only (not EFI)"
                                              : "neither EFI nor BIOS",
                      def->config_flag ? def->config_flag : "?");
    return rc;
}

/* Fix up "to ." when max_args is a plain number: written apart to keep
 * the format above simple. */
static int command_hover(struct buf *b, const struct cmd_def *def,
                         const struct cmd_option *only)
{
    size_t before = b->len;
    int rc = command_doc(b, def, only);
    char *p;

    if (rc)
        return rc;
    p = strstr(b->data + before, " to .  ");
    if (p && def->max_args != CMD_ARGS_UNLIMITED && def->max_args) {
        char num[8];
        size_t tail;
        int n = snprintf(num, sizeof(num), "%u", def->max_args);
        tail = b->len - (size_t)(p + 4 - b->data);
        if (buf_grow(b, (size_t)n))
            return -ENOMEM;
        p = strstr(b->data + before, " to .  ");
        memmove(p + 4 + n, p + 4, tail + 1);
        memcpy(p + 4, num, (size_t)n);
        b->len += (size_t)n;
    }
    return 0;
}

static int setting_hover(struct buf *b, const struct lsp_doc *doc,
                         const char *name, uint32_t len)
{
    const struct settings_type *t = settings_predef_find(name, len);
    const struct lsp_index *ix = doc->index;
    size_t i, nset = 0;
    int rc = buf_addf(b, "setting `%.*s`", (int)len, name);

    if (!rc && t)
        rc = buf_addf(b, ": predefined by iPXE, type `%s`", t->name);
    if (!rc)
        rc = buf_adds(b, "\n\n");
    for (i = 0; !rc && ix && i < ix->nnames; i++) {
        const struct lsp_name *n = &ix->names[i];
        const char *ty = doc->text.data + n->span.end;
        size_t tl = 0;
        if (n->kind != LSP_SET || !lsp_name_is(n, name, len))
            continue;
        /* `set name:type ...`: the type it is stored with */
        if (n->span.end < doc->text.len && *ty == ':') {
            while (n->span.end + 1 + tl < doc->text.len &&
                   !ast_is_space(ty[1 + tl]))
                tl++;
            if (settings_type_find(ty + 1, tl))
                rc = buf_addf(b, "Stored as `%.*s` on line %zu.\n", (int)tl,
                              ty + 1, lsp_line_of(doc, n->span.start) + 1);
        }
        rc = buf_addf(b, "%s line %zu: `%.*s`\n", nset++ ? "," : "Set on",
                      lsp_line_of(doc, n->span.start) + 1,
                      (int)(n->whole.end - n->whole.start > 80
                                ? 80
                                : n->whole.end - n->whole.start),
                      doc->text.data + n->whole.start);
    }
    if (!rc && !nset)
        rc = buf_adds(b, t ? "Not set in this script: iPXE fills it in "
                             "(DHCP, SMBIOS, the network device)."
                           : "Not set in this script (a parent script or "
                             "`external-vars` may set it).");
    return rc;
}

/* A label: where it is defined and what names it. */
static int label_hover(struct buf *b, const struct lsp_doc *doc,
                       const char *name, uint32_t len)
{
    const struct lsp_index *ix = doc->index;
    size_t i, ndef = 0, nref = 0;
    int rc = buf_addf(b, "label `%.*s`\n\n", (int)len, name);

    for (i = 0; !rc && i < ix->nnames; i++) {
        const struct lsp_name *n = &ix->names[i];
        if (n->kind != LSP_LABEL || !lsp_name_is(n, name, len))
            continue;
        rc = buf_addf(b, "%s %zu", ndef++ ? "," : "Defined on line",
                      lsp_line_of(doc, n->span.start) + 1);
    }
    if (!rc)
        rc =
            buf_adds(b, ndef ? (ndef > 1 ? " (goto finds the first).\n" : ".\n")
                             : "Not defined in this script.\n");
    for (i = 0; !rc && i < ix->nnames; i++) {
        const struct lsp_name *n = &ix->names[i];
        if (n->kind == LSP_LABEL || n->kind == LSP_SET || n->kind == LSP_USE ||
            n->kind == LSP_DYN_GOTO || !lsp_name_is(n, name, len))
            continue;
        rc = buf_addf(b, "%s %zu", nref++ ? "," : "Named on line",
                      lsp_line_of(doc, n->span.start) + 1);
    }
    if (!rc && nref)
        rc = buf_adds(b, ".\n");
    return rc;
}

static const char *rule_page(const char *code)
{
    const struct ruledoc *d;

    for (d = ruledocs; d->code; d++)
        if (strcmp(d->code, code) == 0)
            return d->text;
    return NULL;
}

int lsp_hover(struct lsp_server *s, const struct jsonr *params, struct jsonw *w,
              int *err, const char **errmsg)
{
    uint32_t off;
    struct lsp_doc *doc = lsp_doc_at(s, params, &off, err, errmsg);
    struct buf b;
    struct at at;
    struct span range = {off, off};
    const struct lsp_name *n;
    size_t i;
    int rc = 0;

    if (!doc)
        return 0;
    buf_init(&b, BUF_MAX_UNLIMITED);
    /* a finding here: its rule's explanation */
    for (i = 0; !rc && i < doc->d.len; i++) {
        const struct diag *dg = &doc->d.items[i];
        const char *page;
        if (off < dg->span.start || off > dg->span.end)
            continue;
        page = rule_page(dg->code);
        rc = buf_addf(&b, "**%s** `%s`: %s\n\n%s\n\n---\n\n", dg->code,
                      dg->name, dg->msg, page ? page : "");
        range = dg->span;
    }
    n = lsp_index_at(doc->index, off);
    if (!rc && n && (n->kind == LSP_SET || n->kind == LSP_USE)) {
        rc = setting_hover(&b, doc, n->name, n->len);
        range = n->span;
    } else if (!rc && n && n->kind != LSP_DYN_GOTO) {
        rc = label_hover(&b, doc, n->name, n->len);
        range = n->span;
    } else if (!rc && word_at(doc, off, &at)) {
        const struct ast_word *cw = at.seg->argv[0];
        const struct cmd_def *def =
            ast_word_is_static(cw) ? cmdtable_find(cw->text, cw->len) : NULL;
        const struct ast_word *word = at.seg->argv[at.word];
        const struct cmd_option *opt = NULL;
        if (def && at.word > 0 && word->len > 1 && word->text[0] == '-') {
            if (word->text[1] == '-') {
                const char *eq = memchr(word->text, '=', word->len);
                uint32_t nl = eq ? (uint32_t)(eq - word->text) : word->len;
                opt = cmdtable_long(def, word->text + 2, nl - 2);
            } else {
                opt = cmdtable_short(def, word->text[1]);
            }
        }
        if (def && (at.word == 0 || opt)) {
            rc = command_hover(&b, def, opt);
            range = word->span;
        }
    }
    if (!rc && b.len) {
        jsonw_object(w, "result");
        jsonw_object(w, "contents");
        jsonw_string(w, "kind", "markdown");
        jsonw_stringn(w, "value", b.data, b.len);
        jsonw_end(w);
        lsp_write_range(w, s, doc, "range", range.start, range.end);
        jsonw_end(w);
    } else if (!rc) {
        jsonw_null(w, "result");
    }
    buf_release(&b);
    return rc;
}

/* ---- definition and references ---- */

static bool is_label_kind(uint8_t k)
{
    return k == LSP_LABEL || k == LSP_REF_GOTO || k == LSP_REF_DEFAULT ||
           k == LSP_REF_ITEM;
}

static bool is_setting_kind(uint8_t k)
{
    return k == LSP_SET || k == LSP_USE || k == LSP_DYN_GOTO;
}

static void location(struct jsonw *w, struct lsp_server *s, struct lsp_doc *doc,
                     struct span span)
{
    jsonw_object(w, NULL);
    jsonw_string(w, "uri", doc->uri);
    lsp_write_range(w, s, doc, "range", span.start, span.end);
    jsonw_end(w);
}

/* Whether item @p it is in a menu that a `choose` storing @p var shows. */
static bool item_chosen_into(const struct lsp_index *ix,
                             const struct lsp_name *it, const char *var,
                             uint32_t vlen)
{
    size_t i;

    for (i = 0; i < ix->nchooses; i++)
        if (ix->chooses[i].menu == it->menu && ix->chooses[i].var &&
            ix->chooses[i].vlen == vlen &&
            !memcmp(ix->chooses[i].var, var, vlen))
            return true;
    return false;
}

/* The first label called like @p n, or NULL. */
static const struct lsp_name *label_of(const struct lsp_index *ix,
                                       const char *name, uint32_t len)
{
    size_t i;

    for (i = 0; i < ix->nnames; i++)
        if (ix->names[i].kind == LSP_LABEL &&
            lsp_name_is(&ix->names[i], name, len))
            return &ix->names[i];
    return NULL;
}

int lsp_definition(struct lsp_server *s, const struct jsonr *params,
                   struct jsonw *w, int *err, const char **errmsg)
{
    uint32_t off;
    struct lsp_doc *doc = lsp_doc_at(s, params, &off, err, errmsg);
    const struct lsp_name *n, *l;
    const struct lsp_index *ix;
    size_t i;

    if (!doc)
        return 0;
    ix = doc->index;
    n = lsp_index_at(ix, off);
    /* in `goto ${choice}`, the goto's targets before the setting's sets */
    for (i = 0; n && n->kind == LSP_USE && i < ix->nnames; i++)
        if (ix->names[i].kind == LSP_DYN_GOTO &&
            off >= ix->names[i].span.start && off <= ix->names[i].span.end)
            n = &ix->names[i];
    if (!n) {
        jsonw_null(w, "result");
        return 0;
    }
    jsonw_array(w, "result");
    if (is_label_kind(n->kind)) {
        l = label_of(ix, n->name, n->len);
        if (l)
            location(w, s, doc, l->span);
    } else if (n->kind == LSP_USE || n->kind == LSP_SET) {
        for (i = 0; i < ix->nnames; i++)
            if (ix->names[i].kind == LSP_SET &&
                lsp_name_is(&ix->names[i], n->name, n->len))
                location(w, s, doc, ix->names[i].span);
    } else if (n->kind == LSP_DYN_GOTO) {
        /* goto ${choice}: the labels of the items a menu can store there */
        for (i = 0; i < ix->nnames; i++) {
            const struct lsp_name *it = &ix->names[i];
            if (it->kind != LSP_REF_ITEM ||
                !item_chosen_into(ix, it, n->name, n->len))
                continue;
            l = label_of(ix, it->name, it->len);
            if (l)
                location(w, s, doc, l->span);
        }
    }
    jsonw_end(w);
    return 0;
}

int lsp_references(struct lsp_server *s, const struct jsonr *params,
                   struct jsonw *w, int *err, const char **errmsg)
{
    uint32_t off;
    struct lsp_doc *doc = lsp_doc_at(s, params, &off, err, errmsg);
    const struct jsonr *incl =
        jsonr_get(jsonr_get(params, "context"), "includeDeclaration");
    bool decl = incl && incl->type == JSONR_BOOL && incl->b;
    const struct lsp_name *n;
    const struct lsp_index *ix;
    size_t i;

    if (!doc)
        return 0;
    ix = doc->index;
    n = lsp_index_at(ix, off);
    if (!n) {
        jsonw_null(w, "result");
        return 0;
    }
    jsonw_array(w, "result");
    for (i = 0; i < ix->nnames; i++) {
        const struct lsp_name *c = &ix->names[i];
        bool same = is_label_kind(n->kind) ? is_label_kind(c->kind)
                                           : is_setting_kind(c->kind);
        if (!same || !lsp_name_is(c, n->name, n->len))
            continue;
        if (!decl && (c->kind == LSP_LABEL || c->kind == LSP_SET))
            continue;
        location(w, s, doc, c->span);
    }
    jsonw_end(w);
    return 0;
}

/* ---- document symbols ---- */

static void symbol_open(struct jsonw *w, struct lsp_server *s,
                        struct lsp_doc *doc, const char *name, size_t nlen,
                        const char *detail, size_t dlen, int kind,
                        struct span range, struct span sel)
{
    jsonw_object(w, NULL);
    jsonw_stringn(w, "name", nlen ? name : "(unnamed)", nlen ? nlen : 9);
    if (detail && dlen)
        jsonw_stringn(w, "detail", detail, dlen);
    jsonw_int(w, "kind", kind);
    lsp_write_range(w, s, doc, "range", range.start, range.end);
    lsp_write_range(w, s, doc, "selectionRange", sel.start, sel.end);
}

int lsp_symbols(struct lsp_server *s, const struct jsonr *params,
                struct jsonw *w, int *err, const char **errmsg)
{
    struct lsp_doc *doc = lsp_doc_at(s, params, NULL, err, errmsg);
    const struct lsp_index *ix;
    size_t i, m;

    if (!doc)
        return 0;
    ix = doc->index;
    jsonw_array(w, "result");
    for (i = 0; ix && i < ix->nnames; i++) {
        const struct lsp_name *n = &ix->names[i];
        if (n->kind != LSP_LABEL)
            continue;
        symbol_open(w, s, doc, n->name, n->len, "label", 5, 12, n->whole,
                    n->span);
        jsonw_end(w);
    }
    for (m = 0; ix && m < ix->nmenus; m++) {
        const struct lsp_menu *mn = &ix->menus[m];
        bool kids = false;
        symbol_open(w, s, doc, mn->name ? mn->name : "menu",
                    mn->name ? mn->nlen : 4, mn->title, mn->tlen, 10,
                    (struct span){mn->span.start, mn->end.end}, mn->span);
        for (i = 0; i < ix->nnames; i++) {
            const struct lsp_name *n = &ix->names[i];
            if (n->kind != LSP_REF_ITEM || n->menu != m)
                continue;
            if (!kids)
                jsonw_array(w, "children");
            kids = true;
            symbol_open(w, s, doc, n->name, n->len, "item", 4, 22, n->whole,
                        n->span);
            jsonw_end(w);
        }
        if (kids)
            jsonw_end(w);
        jsonw_end(w);
    }
    jsonw_end(w);
    return 0;
}

/* ---- completion ---- */

static void item(struct jsonw *w, const char *label, size_t len, int kind,
                 const char *detail)
{
    jsonw_object(w, NULL);
    jsonw_stringn(w, "label", label, len);
    jsonw_int(w, "kind", kind);
    if (detail)
        jsonw_string(w, "detail", detail);
    jsonw_end(w);
}

/* Whether [p, p + n) is the whole word @p s. */
static bool word_eq(const char *p, size_t n, const char *s)
{
    return strlen(s) == n && memcmp(p, s, n) == 0;
}

int lsp_completion(struct lsp_server *s, const struct jsonr *params,
                   struct jsonw *w, int *err, const char **errmsg)
{
    uint32_t off, start;
    struct lsp_doc *doc = lsp_doc_at(s, params, &off, err, errmsg);
    const char *t, *dollar = NULL, *cur, *prev = NULL, *first = NULL;
    size_t prevlen = 0, firstlen = 0, nwords = 0, i, n;
    const struct lsp_index *ix;
    const struct cmd_def *def;
    uint32_t p;

    if (!doc)
        return 0;
    ix = doc->index;
    t = doc->text.data;
    start = doc->lines[lsp_line_of(doc, off)];
    /* inside `${`: settings, or types after ':' */
    for (p = start; p + 1 < off; p++) {
        if (t[p] == '$' && t[p + 1] == '{')
            dollar = t + p;
        else if (t[p] == '}')
            dollar = NULL;
    }
    jsonw_object(w, "result");
    jsonw_bool(w, "isIncomplete", false);
    jsonw_array(w, "items");
    if (dollar) {
        const char *colon = memchr(dollar, ':', (size_t)(t + off - dollar));
        if (colon) {
            const struct settings_type *ty = settings_types(&n);
            for (i = 0; i < n; i++)
                item(w, ty[i].name, strlen(ty[i].name), 25, "setting type");
        } else {
            const char *name;
            for (i = 0; (name = settings_predef_name(i)); i++)
                item(w, name, strlen(name), 6, "predefined setting");
            for (i = 0; ix && i < ix->nnames; i++)
                if (ix->names[i].kind == LSP_SET)
                    item(w, ix->names[i].name, ix->names[i].len, 6,
                         "set in this script");
        }
        jsonw_end(w);
        jsonw_end(w);
        return 0;
    }
    /* the words of this segment before the cursor */
    cur = t + off;
    while (cur > t + start && !ast_is_space(cur[-1]))
        cur--;
    for (p = start; t + p < cur;) {
        uint32_t e;
        while (t + p < cur && ast_is_space(t[p]))
            p++;
        if (t + p >= cur)
            break;
        for (e = p; t + e < cur && !ast_is_space(t[e]); e++)
            ;
        if (word_eq(t + p, e - p, "||") || word_eq(t + p, e - p, "&&") ||
            word_eq(t + p, e - p, ";")) {
            nwords = 0;
            first = NULL;
        } else if (!(nwords == 0 && !first && t[p] == ':')) {
            if (!nwords++) {
                first = t + p;
                firstlen = e - p;
            }
            prev = t + p;
            prevlen = e - p;
        }
        p = e;
    }
    def = first ? cmdtable_find(first, firstlen) : NULL;
    if (!nwords && *cur != '#') {
        const struct cmd_def *all = cmdtable_all(&n);
        for (i = 0; i < n; i++)
            item(w, all[i].name, strlen(all[i].name), 3, all[i].usage);
    } else if (def && def->id == CMD_ID_CHOOSE &&
               (size_t)(t + off - cur) >= 10 &&
               memcmp(cur, "--default=", 10) == 0) {
        for (i = 0; ix && i < ix->nnames; i++) {
            char name[300];
            int k;
            if (ix->names[i].kind != LSP_LABEL || ix->names[i].len > 256)
                continue;
            k = snprintf(name, sizeof(name), "--default=%.*s",
                         (int)ix->names[i].len, ix->names[i].name);
            item(w, name, (size_t)k, 14, "label");
        }
    } else if (def && *cur == '-') {
        for (i = 0; i < def->nopts; i++) {
            char name[64];
            int k =
                snprintf(name, sizeof(name), "--%s", def->opts[i].long_name);
            item(w, name, (size_t)k, 5,
                 def->opts[i].value != CMD_VAL_NONE ? value_name(&def->opts[i])
                                                    : "flag");
        }
    } else if (def && ((def->id == CMD_ID_GOTO && nwords == 1) ||
                       (def->id == CMD_ID_CHOOSE && prev &&
                        (word_eq(prev, prevlen, "--default") ||
                         word_eq(prev, prevlen, "-d"))))) {
        for (i = 0; ix && i < ix->nnames; i++)
            if (ix->names[i].kind == LSP_LABEL)
                item(w, ix->names[i].name, ix->names[i].len, 14, "label");
    }
    jsonw_end(w);
    jsonw_end(w);
    return 0;
}
