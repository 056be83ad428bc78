/* SPDX-License-Identifier: MIT */
/** @file The open documents: their configuration, their analysis (parse,
 *  lint, index), and their findings as LSP diagnostics. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ast.h"
#include "ascii.h"
#include "config.h"
#include "index.h"
#include "lint.h"
#include "lsp_int.h"
#include "report.h"
#include "tree.h"

/* ---- documents ---- */

static void doc_forget_analysis(struct lsp_doc *doc)
{
    if (!doc->analysed)
        return;
    lsp_index_free(doc->index);
    doc->index = NULL;
    diag_list_release(&doc->d);
    arena_release(&doc->a);
    source_release(&doc->src);
    lint_tree_close(doc->boot_tree);
    doc->boot_tree = NULL;
    doc->tree = NULL;
    doc->analysed = false;
}

void lsp_doc_free(struct lsp_doc *doc)
{
    doc_forget_analysis(doc);
    free(doc->config_error);
    free(doc->uri);
    free(doc->path);
    free(doc->lines);
    buf_release(&doc->text);
    free(doc);
}

struct lsp_doc *lsp_doc_find(struct lsp_server *s, const char *uri)
{
    struct lsp_doc *d;

    for (d = s->docs; d && uri; d = d->next)
        if (strcmp(d->uri, uri) == 0)
            return d;
    return NULL;
}

/* The path of a file: URI (percent-decoded), or NULL. */
char *lsp_uri_path(const char *uri)
{
    const char *p;
    char *out, *o;

    if (strncasecmp(uri, "file://", 7) != 0)
        return NULL;
    p = uri + 7;
    if (*p != '/') {
        /* file://localhost/path */
        p = strchr(p, '/');
        if (!p)
            return NULL;
    }
    out = o = malloc(strlen(p) + 1);
    if (!out)
        return NULL;
    for (; *p && *p != '?' && *p != '#'; p++) {
        int h, l;
        if (*p == '%' && (h = ascii_hex_digit(p[1])) >= 0 &&
            (l = ascii_hex_digit(p[2])) >= 0) {
            char c = (char)(h * 16 + l);
            if (c == '\0') {
                free(out);
                return NULL;
            }
            *o++ = c;
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

void lsp_rule_url(char *out, size_t size, const char *code)
{
    snprintf(out, size, "%s/blob/main/docs/rules/%s.md", IPXEKIT_URL, code);
}

/* The configuration for @p doc: the nearest .ipxe-lint.conf above its
 * file, as the command line finds it.  A configuration that cannot be
 * read is noted in doc->config_error and the defaults are used. */
static int doc_config(struct lsp_doc *doc, struct lint_config *cfg)
{
    char *dir, *path = NULL;
    struct buf err;
    int rc;

    free(doc->config_error);
    doc->config_error = NULL;
    rc = lint_config_init(cfg);
    if (rc || !doc->path)
        return rc;
    dir = strdup(doc->path);
    if (!dir)
        return -ENOMEM;
    path = lint_config_find(dirname(dir));
    free(dir);
    if (!path)
        return 0;
    buf_init(&err, 65536);
    rc = lint_config_load(cfg, path, &err);
    if (rc == -ENOMEM) {
        buf_release(&err);
        free(path);
        return rc;
    }
    if (rc) {
        if (!err.len)
            buf_addf(&err, "cannot read %s: %s", path, strerror(-rc));
        doc->config_error = buf_detach(&err, NULL);
        lint_config_release(cfg);
        rc = lint_config_init(cfg);
    }
    buf_release(&err);
    free(path);
    return rc;
}

/* Tree mode (`tree` in the configuration): the findings of @p doc as a
 * script of its boot tree, read with the editor's text for this document
 * and the files on disk for the others, replace those linted alone.  A
 * document outside the tree keeps them; a tree that cannot be read is
 * noted as a configuration problem. */
static int doc_tree(struct lsp_doc *doc, const struct lint_config *cfg)
{
    struct lint_tree_setup setup;
    struct source *tsrc;
    struct buf err;
    size_t ix;
    int rc;

    lint_config_tree_setup(cfg, &setup);
    setup.overlay = doc->path;
    setup.overlay_data = doc->text.data;
    setup.overlay_len = doc->text.len;
    buf_init(&err, 65536);
    rc = lint_tree_open(&doc->boot_tree, &setup, &cfg->lint, &err);
    if (rc && rc != -ENOMEM) {
        if (!doc->config_error)
            doc->config_error = err.len ? buf_detach(&err, NULL)
                                        : strdup(strerror(-rc));
        buf_release(&err);
        return 0;
    }
    buf_release(&err);
    if (rc || !lint_tree_find(doc->boot_tree, doc->path, &ix))
        return rc;
    diag_list_release(&doc->d);
    diag_list_init(&doc->d, &doc->a);
    return lint_tree_lint(doc->boot_tree, ix, &cfg->lint, &doc->a, &doc->d,
                          &tsrc);
}

int lsp_doc_analyse(struct lsp_doc *doc)
{
    struct lint_config cfg;
    size_t i, k;
    int rc;

    if (doc->analysed && !doc->stale)
        return 0;
    doc_forget_analysis(doc);
    rc = doc_config(doc, &cfg);
    if (rc)
        return rc;
    rc = source_init_mem(&doc->src, doc->path ? doc->path : doc->uri,
                         doc->text.data, doc->text.len);
    if (rc) {
        lint_config_release(&cfg);
        return rc;
    }
    arena_init(&doc->a);
    diag_list_init(&doc->d, &doc->a);
    doc->analysed = true;
    doc->stale = false;
    rc = lint_source(&doc->src, &cfg.lint, &doc->a, &doc->d, &doc->tree);
    if (!rc && cfg.tree && doc->path)
        rc = doc_tree(doc, &cfg);
    /* -S applies as on the command line */
    for (i = k = 0; !rc && i < doc->d.len; i++)
        if (doc->d.items[i].sev <= cfg.min_sev)
            doc->d.items[k++] = doc->d.items[i];
    if (!rc)
        doc->d.len = k;
    if (!rc && doc->tree)
        rc = lsp_index_build(doc->tree, &doc->a, &doc->index);
    lint_config_release(&cfg);
    if (rc)
        doc_forget_analysis(doc);
    return rc;
}

/* ---- diagnostics ---- */

static int lsp_severity(enum diag_severity sev)
{
    switch (sev) {
    case DIAG_ERROR:
        return 1;
    case DIAG_WARNING:
        return 2;
    case DIAG_INFO:
        return 3;
    default:
        return 4;
    }
}

void lsp_write_diag(struct lsp_server *s, struct lsp_doc *doc, struct jsonw *w,
                    const struct diag *dg)
{
    char url[256];
    struct buf msg;

    jsonw_object(w, NULL);
    lsp_write_range(w, s, doc, "range", dg->span.start, dg->span.end);
    jsonw_int(w, "severity", lsp_severity(dg->sev));
    jsonw_string(w, "code", dg->code);
    lsp_rule_url(url, sizeof(url), dg->code);
    jsonw_object(w, "codeDescription");
    jsonw_string(w, "href", url);
    jsonw_end(w);
    jsonw_string(w, "source", "ipxe-lint");
    buf_init(&msg, BUF_MAX_UNLIMITED);
    if (buf_adds(&msg, dg->msg) ||
        (dg->hint && buf_addf(&msg, " (%s)", dg->hint)))
        w->rc = w->rc ? w->rc : -ENOMEM;
    jsonw_stringn(w, "message", msg.data, msg.len);
    buf_release(&msg);
    lsp_write_related(w, s, doc, dg);
    jsonw_end(w);
}

struct lsp_doc *lsp_doc_at(struct lsp_server *s, const struct jsonr *params,
                           uint32_t *off, int *err, const char **errmsg)
{
    const char *uri = jsonr_str(jsonr_get(params, "textDocument"), "uri");
    const struct jsonr *pos = jsonr_get(params, "position");
    struct lsp_doc *doc = lsp_doc_find(s, uri);
    long long line, ch;

    if (!doc) {
        *err = LSP_INVALID_PARAMS;
        *errmsg = "the document is not open (send textDocument/didOpen "
                  "first)";
        return NULL;
    }
    if (off) {
        if (!jsonr_int(pos, "line", &line) ||
            !jsonr_int(pos, "character", &ch)) {
            *err = LSP_INVALID_PARAMS;
            *errmsg = "params.position needs integer line and character";
            return NULL;
        }
        *off = lsp_offset(s, doc, line, ch);
    }
    if (lsp_doc_analyse(doc)) {
        *err = LSP_INTERNAL_ERROR;
        *errmsg = "out of memory";
        return NULL;
    }
    return doc;
}
