/* SPDX-License-Identifier: MIT */
/** @file Code actions: each finding's fixes (the edits `-f diff` makes),
 *  "disable this rule on this line", and fix-all (see lsp_int.h). */
#include <errno.h>
#include <string.h>

#include "ast.h"
#include "buf.h"
#include "diag.h"
#include "lsp_int.h"
#include "report.h"

/* Whether the client wants actions of @p kind (context.only). */
static bool wanted(const struct jsonr *only, const char *kind)
{
    const struct jsonr *k;

    if (!only || only->type != JSONR_ARRAY)
        return true;
    for (k = only->first; k; k = k->next) {
        if (k->type != JSONR_STRING)
            continue;
        if (strncmp(kind, k->str, k->len) == 0 &&
            (kind[k->len] == '\0' || kind[k->len] == '.'))
            return true;
    }
    return false;
}

static void edit_open(struct jsonw *w, struct lsp_doc *doc)
{
    jsonw_object(w, "edit");
    jsonw_object(w, "changes");
    jsonw_array(w, doc->uri);
}

static void edit_close(struct jsonw *w)
{
    jsonw_end(w);
    jsonw_end(w);
    jsonw_end(w);
}

static void text_edit(struct jsonw *w, struct lsp_server *s,
                      struct lsp_doc *doc, uint32_t start, uint32_t end,
                      const char *text, size_t len)
{
    jsonw_object(w, NULL);
    lsp_write_range(w, s, doc, "range", start, end);
    jsonw_stringn(w, "newText", text, len);
    jsonw_end(w);
}

/* The logical line holding byte @p off. */
static const struct ast_line *line_at(const struct lsp_doc *doc, uint32_t off)
{
    const struct ast_line *l;

    for (l = doc->tree ? doc->tree->lines : NULL; l; l = l->next)
        if (off >= l->span.start && off < l->span.end)
            return l;
    return doc->tree ? doc->tree->last : NULL;
}

static bool has_code(const struct ast_line *l)
{
    const struct ast_segment *seg;

    for (seg = l->segs; seg; seg = seg->next)
        if (seg->argc)
            return true;
    return false;
}

/* "Disable CODE on this line": a trailing directive on a line of code
 * with no comment (it applies to that line), else a directive line of its
 * own before the line (it applies to the next line with code). */
static int disable_action(struct lsp_server *s, struct lsp_doc *doc,
                          struct jsonw *w, const struct diag *dg)
{
    const struct ast_line *l = line_at(doc, dg->span.start);
    struct buf text, title;
    uint32_t at;
    int rc;

    if (!l)
        return 0;
    buf_init(&text, 4096);
    buf_init(&title, 4096);
    rc = buf_addf(&title, "Disable %s (%s) on this line", dg->code, dg->name);
    if (!rc && has_code(l) && !l->trail &&
        !(l->flags & (AST_L_DANGLING | AST_L_ERROR))) {
        at = ast_line_eol(l).start;
        rc = buf_addf(&text, " # ipxe-lint disable=%s", dg->code);
    } else if (!rc) {
        const char *p = doc->text.data + l->span.start;
        size_t n = 0;
        at = l->span.start;
        while (at + n < doc->text.len && (p[n] == ' ' || p[n] == '\t'))
            n++;
        rc = buf_add(&text, p, n);
        if (!rc)
            rc = buf_addf(&text, "# ipxe-lint disable=%s\n", dg->code);
    }
    if (!rc) {
        jsonw_object(w, NULL);
        jsonw_stringn(w, "title", title.data, title.len);
        jsonw_string(w, "kind", "quickfix");
        jsonw_array(w, "diagnostics");
        lsp_write_diag(s, doc, w, dg);
        jsonw_end(w);
        edit_open(w, doc);
        text_edit(w, s, doc, at, at, text.data, text.len);
        edit_close(w);
        jsonw_end(w);
    }
    buf_release(&title);
    buf_release(&text);
    return rc;
}

static void fix_action(struct lsp_server *s, struct lsp_doc *doc,
                       struct jsonw *w, const struct diag *dg)
{
    struct buf title;
    size_t k;

    buf_init(&title, 4096);
    if (buf_addf(&title, "Fix %s: %s", dg->code, dg->msg))
        w->rc = w->rc ? w->rc : -ENOMEM;
    jsonw_object(w, NULL);
    jsonw_stringn(w, "title", title.data, title.len);
    jsonw_string(w, "kind", "quickfix");
    jsonw_bool(w, "isPreferred", true);
    jsonw_array(w, "diagnostics");
    lsp_write_diag(s, doc, w, dg);
    jsonw_end(w);
    edit_open(w, doc);
    for (k = 0; k < dg->nfixes; k++)
        text_edit(w, s, doc, dg->fixes[k].span.start, dg->fixes[k].span.end,
                  dg->fixes[k].text, strlen(dg->fixes[k].text));
    edit_close(w);
    jsonw_end(w);
    buf_release(&title);
}

int lsp_code_action(struct lsp_server *s, const struct jsonr *params,
                    struct jsonw *w, int *err, const char **errmsg)
{
    struct lsp_doc *doc = lsp_doc_at(s, params, NULL, err, errmsg);
    const struct jsonr *range = jsonr_get(params, "range");
    const struct jsonr *only = jsonr_get(jsonr_get(params, "context"), "only");
    long long l0, c0, l1, c1;
    uint32_t a, b;
    size_t i, nfix = 0;
    int rc = 0;

    if (!doc)
        return 0;
    if (!jsonr_int(jsonr_get(range, "start"), "line", &l0) ||
        !jsonr_int(jsonr_get(range, "start"), "character", &c0) ||
        !jsonr_int(jsonr_get(range, "end"), "line", &l1) ||
        !jsonr_int(jsonr_get(range, "end"), "character", &c1)) {
        *err = LSP_INVALID_PARAMS;
        *errmsg = "params.range needs start and end positions";
        return 0;
    }
    a = lsp_offset(s, doc, l0, c0);
    b = lsp_offset(s, doc, l1, c1);
    jsonw_array(w, "result");
    for (i = 0; i < doc->d.len && !rc; i++) {
        const struct diag *dg = &doc->d.items[i];
        nfix += dg->nfixes != 0;
        if (dg->span.end < a || dg->span.start > b)
            continue;
        if (dg->nfixes && wanted(only, "quickfix"))
            fix_action(s, doc, w, dg);
        if (wanted(only, "quickfix"))
            rc = disable_action(s, doc, w, dg);
    }
    if (!rc && nfix && wanted(only, "source.fixAll")) {
        struct buf fixed;
        size_t n;
        buf_init(&fixed, BUF_MAX_UNLIMITED);
        rc = report_apply_fixes(&doc->src, &doc->d, &fixed, &n);
        if (!rc && n) {
            jsonw_object(w, NULL);
            jsonw_string(w, "title",
                         "Fix every ipxe-lint finding that has "
                         "a fix");
            jsonw_string(w, "kind", "source.fixAll");
            edit_open(w, doc);
            text_edit(w, s, doc, 0, (uint32_t)doc->text.len, fixed.data,
                      fixed.len);
            edit_close(w);
            jsonw_end(w);
        }
        buf_release(&fixed);
    }
    jsonw_end(w);
    return rc;
}
