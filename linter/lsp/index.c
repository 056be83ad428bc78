/* SPDX-License-Identifier: MIT */
/** @file Labels, settings and menus of a script (see index.h). */
#include "index.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "cmdparse.h"
#include "cmdtable.h"
#include "engine.h"
#include "lsp_int.h"

struct walk {
    struct lsp_index *ix;
    struct arena *a;
    size_t current_menu; /**< the last menu made, or SIZE_MAX */
    int rc;
};

static struct lsp_name *add_name(struct walk *wk, uint8_t kind,
                                 const char *name, uint32_t len,
                                 struct span span, struct span whole)
{
    struct lsp_index *ix = wk->ix;
    struct lsp_name *n;

    if (wk->rc)
        return NULL;
    if (!lint_grow(&ix->names, &ix->nnames, &ix->names_cap,
                   sizeof(*ix->names))) {
        wk->rc = -ENOMEM;
        return NULL;
    }
    n = &ix->names[ix->nnames++];
    n->name = name;
    n->len = len;
    n->span = span;
    n->whole = whole;
    n->menu = SIZE_MAX;
    n->kind = kind;
    return n;
}

void lsp_setting_bare(const char *text, uint32_t len, const char **name,
                      uint32_t *nlen)
{
    const char *colon = memchr(text, ':', len);
    uint32_t end = colon ? (uint32_t)(colon - text) : len, start = 0, i;

    for (i = 0; i < end; i++)
        if (text[i] == '/')
            start = i + 1;
    *name = text + start;
    *nlen = end - start;
}

/* The `${...}` expansions of a word, nested ones too. */
static void add_uses(struct walk *wk, const struct ast_word *w,
                     const struct ast_part *p, const char *src,
                     struct span whole)
{
    for (; p; p = p->next) {
        if (p->kind != AST_PART_EXPAND)
            continue;
        add_uses(wk, w, p->children, src, whole);
        {
            uint32_t start = ast_expand_body(p), end = p->span.end - 1;
            const struct ast_part *c;
            bool plain = true;
            if (p->slash != AST_NONE)
                start = p->slash + 1;
            if (p->colon != AST_NONE && p->colon >= start)
                end = p->colon;
            for (c = p->children; c; c = c->next)
                if (c->span.end > start && c->span.start < end)
                    plain = false;
            if (plain && end > start && end <= p->span.end)
                add_name(wk, LSP_USE, src + start, end - start,
                         (struct span){start, end}, whole);
        }
    }
    (void)w;
}

/* The word @p w as a name: its text when it has no expansion. */
static void add_word(struct walk *wk, uint8_t kind, const struct ast_word *w,
                     struct span whole)
{
    if (!ast_word_is_static(w) || w->flags & AST_W_CONT)
        return;
    add_name(wk, kind, w->text, w->len, w->span, whole);
}

static struct span seg_span(const struct ast_segment *seg)
{
    return (struct span){seg->argv[0]->span.start,
                         seg->argv[seg->argc - 1]->span.end};
}

static void segment(struct walk *wk, const struct ast_segment *seg,
                    const char *src)
{
    struct cmd_call call;
    const struct cmd_optval *ov;
    struct span whole = seg_span(seg);
    uint32_t i;
    enum cmd_id id;

    for (i = 0; i < seg->argc; i++)
        add_uses(wk, seg->argv[i], ast_word_parts(seg->argv[i]), src, whole);
    if (cmdparse(seg, wk->a, &call)) {
        wk->rc = -ENOMEM;
        return;
    }
    if (!call.def || call.dynamic)
        return;
    id = (enum cmd_id)call.def->id;
    if (lint_cmd_stores_setting(id) && call.nargs) {
        const struct ast_word *w = seg->argv[call.first_arg];
        if (ast_word_is_static(w) && !(w->flags & AST_W_CONT)) {
            const char *n;
            uint32_t nl;
            lsp_setting_bare(w->text, w->len, &n, &nl);
            add_name(
                wk, LSP_SET, n, nl,
                (struct span){w->span.start + (uint32_t)(n - w->text),
                              w->span.start + (uint32_t)(n - w->text) + nl},
                whole);
        }
    }
    if (id == CMD_ID_GOTO && call.nargs) {
        const struct ast_word *w = seg->argv[call.first_arg];
        const struct ast_part *x = ast_word_parts(w);
        if (ast_word_is_static(w)) {
            add_word(wk, LSP_REF_GOTO, w, whole);
        } else if (x && x->kind == AST_PART_EXPAND && !x->next &&
                   x->span.start == w->span.start &&
                   x->span.end == w->span.end) {
            /* goto ${choice}: the setting, for the menu's items */
            const char *t = src + ast_expand_body(x);
            uint32_t tl = x->span.end - 1 - ast_expand_body(x);
            const char *n;
            uint32_t nl;
            lsp_setting_bare(t, tl, &n, &nl);
            add_name(wk, LSP_DYN_GOTO, n, nl, w->span, whole);
        }
    }
    if (id == CMD_ID_MENU) {
        struct lsp_index *ix = wk->ix;
        struct lsp_menu *m;
        if (!lint_grow(&ix->menus, &ix->nmenus, &ix->menus_cap,
                       sizeof(*ix->menus))) {
            wk->rc = -ENOMEM;
            return;
        }
        m = &ix->menus[ix->nmenus];
        memset(m, 0, sizeof(*m));
        ov = cmdparse_opt(&call, "name");
        if (ov) {
            m->name = ov->vtext;
            m->nlen = ov->vlen;
        }
        if (call.nargs) {
            const struct ast_word *first = seg->argv[call.first_arg];
            m->title = src + first->span.start;
            m->tlen = seg->argv[seg->argc - 1]->span.end - first->span.start;
        }
        m->span = whole;
        m->end = whole;
        wk->current_menu = ix->nmenus++;
    }
    if (id == CMD_ID_ITEM && call.nargs) {
        struct lsp_index *ix = wk->ix;
        size_t menu = wk->current_menu;
        struct lsp_name *n;
        ov = cmdparse_opt(&call, "menu");
        if (ov) {
            menu = SIZE_MAX;
            for (i = 0; i < ix->nmenus; i++)
                if (ix->menus[i].name && ix->menus[i].nlen == ov->vlen &&
                    !memcmp(ix->menus[i].name, ov->vtext, ov->vlen))
                    menu = i;
        }
        if (cmdparse_opt(&call, "gap"))
            return;
        n = NULL;
        if (ast_word_is_static(seg->argv[call.first_arg])) {
            add_word(wk, LSP_REF_ITEM, seg->argv[call.first_arg], whole);
            if (!wk->rc && ix->nnames &&
                ix->names[ix->nnames - 1].kind == LSP_REF_ITEM)
                n = &ix->names[ix->nnames - 1];
        }
        if (n)
            n->menu = menu;
        if (menu != SIZE_MAX && ix->menus[menu].end.end < whole.end)
            ix->menus[menu].end.end = whole.end;
    }
    if (id == CMD_ID_CHOOSE) {
        struct lsp_index *ix = wk->ix;
        struct lsp_choose *c;
        ov = cmdparse_opt(&call, "default");
        if (ov && ov->value && ast_word_is_static(ov->value) &&
            !(ov->value->flags & AST_W_CONT)) {
            /* the value: inline after '=' in the word, or the next word */
            const struct ast_word *vw = ov->value;
            uint32_t start = vw->span.start + (uint32_t)(ov->vtext - vw->text);
            if (ov->vtext >= vw->text && start + ov->vlen <= vw->span.end)
                add_name(wk, LSP_REF_DEFAULT, ov->vtext, ov->vlen,
                         (struct span){start, start + ov->vlen}, whole);
        }
        if (!lint_grow(&ix->chooses, &ix->nchooses, &ix->chooses_cap,
                       sizeof(*ix->chooses))) {
            wk->rc = -ENOMEM;
            return;
        }
        c = &ix->chooses[ix->nchooses++];
        c->menu = wk->current_menu;
        ov = cmdparse_opt(&call, "menu");
        if (ov) {
            c->menu = SIZE_MAX;
            for (i = 0; i < ix->nmenus; i++)
                if (ix->menus[i].name && ix->menus[i].nlen == ov->vlen &&
                    !memcmp(ix->menus[i].name, ov->vtext, ov->vlen))
                    c->menu = i;
        }
        c->var = NULL;
        c->vlen = 0;
        if (call.nargs && ast_word_is_static(seg->argv[call.first_arg]))
            lsp_setting_bare(seg->argv[call.first_arg]->text,
                             seg->argv[call.first_arg]->len, &c->var, &c->vlen);
    }
}

int lsp_index_build(const struct ast_script *tree, struct arena *a,
                    struct lsp_index **out)
{
    struct walk wk = {.a = a, .current_menu = SIZE_MAX};
    const struct ast_line *l;
    const struct ast_segment *seg;

    *out = NULL;
    wk.ix = calloc(1, sizeof(*wk.ix));
    if (!wk.ix)
        return -ENOMEM;
    for (l = tree->lines; l && !wk.rc; l = l->next) {
        if (l->label && !(l->label->flags & AST_W_CONT))
            add_name(
                &wk, LSP_LABEL, l->label->text, l->label->len,
                (struct span){l->label->span.start + 1, l->label->span.end},
                l->span);
        for (seg = l->segs; seg && !wk.rc; seg = seg->next)
            if (seg->argc)
                segment(&wk, seg, tree->src->data);
    }
    if (wk.rc) {
        lsp_index_free(wk.ix);
        return wk.rc;
    }
    *out = wk.ix;
    return 0;
}

void lsp_index_free(struct lsp_index *ix)
{
    if (!ix)
        return;
    free(ix->names);
    free(ix->menus);
    free(ix->chooses);
    free(ix);
}

const struct lsp_name *lsp_index_at(const struct lsp_index *ix, uint32_t off)
{
    const struct lsp_name *best = NULL;
    size_t i;

    for (i = 0; ix && i < ix->nnames; i++) {
        const struct lsp_name *n = &ix->names[i];
        if (off >= n->span.start && off <= n->span.end &&
            (!best ||
             n->span.end - n->span.start < best->span.end - best->span.start))
            best = n;
    }
    return best;
}

bool lsp_name_is(const struct lsp_name *n, const char *name, uint32_t len)
{
    return n->len == len && memcmp(n->name, name, len) == 0;
}

static void related(struct jsonw *w, struct lsp_server *s, struct lsp_doc *doc,
                    struct span span, const char *msg)
{
    jsonw_object(w, NULL);
    jsonw_object(w, "location");
    jsonw_string(w, "uri", doc->uri);
    lsp_write_range(w, s, doc, "range", span.start, span.end);
    jsonw_end(w);
    jsonw_string(w, "message", msg);
    jsonw_end(w);
}

void lsp_write_related(struct jsonw *w, struct lsp_server *s,
                       struct lsp_doc *doc, const struct diag *dg)
{
    const struct lsp_index *ix = doc->index;
    const struct lsp_name *at = NULL;
    size_t i, n = 0;

    if (!ix || !s->related_info)
        return;
    /* the name the finding is about: the smallest one inside its span */
    for (i = 0; i < ix->nnames; i++) {
        const struct lsp_name *c = &ix->names[i];
        if (c->span.start >= dg->span.start && c->span.end <= dg->span.end &&
            c->kind != LSP_USE &&
            (!at ||
             c->span.end - c->span.start < at->span.end - at->span.start))
            at = c;
    }
    if (!at)
        return;
    for (i = 0; i < ix->nnames; i++) {
        const struct lsp_name *c = &ix->names[i];
        const char *msg = NULL;
        if (c == at || !lsp_name_is(c, at->name, at->len))
            continue;
        if (c->kind == LSP_LABEL && at->kind != LSP_SET &&
            at->kind != LSP_DYN_GOTO)
            msg = at->kind == LSP_LABEL ? "the label is also defined here"
                                        : "the label it names";
        else if (at->kind == LSP_LABEL &&
                 (c->kind == LSP_REF_GOTO || c->kind == LSP_REF_ITEM ||
                  c->kind == LSP_REF_DEFAULT))
            msg = "named here";
        if (!msg)
            continue;
        if (!n++)
            jsonw_array(w, "relatedInformation");
        related(w, s, doc, c->span, msg);
        if (n >= 16)
            break;
    }
    if (at->kind == LSP_REF_ITEM && at->menu != SIZE_MAX) {
        if (!n++)
            jsonw_array(w, "relatedInformation");
        related(w, s, doc, ix->menus[at->menu].span,
                "the menu this item belongs to");
    }
    if (n)
        jsonw_end(w);
}
