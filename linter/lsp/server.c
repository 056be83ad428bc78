/* SPDX-License-Identifier: MIT */
/** @file The language server's core: messages in and out, the life cycle,
 *  the documents and their diagnostics (see lsp.h). */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ast.h"
#include "config.h"
#include "engine.h"
#include "index.h"
#include "lint.h"
#include "lsp_int.h"
#include "report.h"

/** A message's body may not be larger (a document of 64 MiB is more than
 *  any script). */
#define LSP_MAX_BODY ((size_t)64 << 20)
/** A header block may not be longer. */
#define LSP_MAX_HEADER 8192

/* ---- positions ---- */

static int lines_build(struct lsp_doc *doc)
{
    size_t i, n = 1;
    uint32_t *v;

    for (i = 0; i < doc->text.len; i++)
        n += doc->text.data[i] == '\n';
    v = malloc(n * sizeof(*v));
    if (!v)
        return -ENOMEM;
    v[0] = 0;
    for (i = 0, n = 1; i < doc->text.len; i++)
        if (doc->text.data[i] == '\n')
            v[n++] = (uint32_t)i + 1;
    free(doc->lines);
    doc->lines = v;
    doc->nlines = n;
    return 0;
}

size_t lsp_line_of(const struct lsp_doc *doc, uint32_t off)
{
    size_t lo = 0, hi = doc->nlines;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (doc->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The bytes of one UTF-8 character at @p p (1 for a stray byte) and the
 * UTF-16 units it takes (2 above U+FFFF). */
static size_t char_at(const char *p, const char *end, unsigned *units)
{
    unsigned char c = (unsigned char)*p;
    size_t n = 1;

    *units = 1;
    if (c >= 0xF0 && c < 0xF5)
        n = 4;
    else if (c >= 0xE0 && c < 0xF0)
        n = 3;
    else if (c >= 0xC2 && c < 0xE0)
        n = 2;
    if (n > (size_t)(end - p))
        return 1;
    for (size_t k = 1; k < n; k++)
        if (!utf8_continues(p[k]))
            return 1;
    if (n == 4)
        *units = 2;
    return n;
}

uint32_t lsp_units(const struct lsp_server *s, const char *text, uint32_t start,
                   uint32_t end)
{
    const char *p = text + start, *e = text + end;
    uint32_t u = 0;

    if (s->utf8 || end <= start)
        return end > start ? end - start : 0;
    while (p < e) {
        unsigned k;
        p += char_at(p, e, &k);
        u += k;
    }
    return u;
}

/* Where line @p line's text ends (before "\n" or "\r\n"). */
static uint32_t line_end(const struct lsp_doc *doc, size_t line)
{
    uint32_t end = line + 1 < doc->nlines ? doc->lines[line + 1] - 1
                                          : (uint32_t)doc->text.len;

    if (line + 1 < doc->nlines && end > doc->lines[line] &&
        doc->text.data[end - 1] == '\r')
        end--;
    return end;
}

uint32_t lsp_offset(const struct lsp_server *s, const struct lsp_doc *doc,
                    long long line, long long character)
{
    uint32_t start, end;
    const char *p, *e;
    long long u = 0;

    if (line < 0)
        return 0;
    if ((unsigned long long)line >= doc->nlines)
        return (uint32_t)doc->text.len;
    start = doc->lines[line];
    end = line_end(doc, (size_t)line);
    if (character <= 0)
        return start;
    if (s->utf8)
        return (unsigned long long)character >= end - start
                   ? end
                   : start + (uint32_t)character;
    p = doc->text.data + start;
    e = doc->text.data + end;
    while (p < e && u < character) {
        unsigned k;
        p += char_at(p, e, &k);
        u += k;
    }
    return (uint32_t)(p - doc->text.data);
}

void lsp_write_position(struct jsonw *w, const struct lsp_server *s,
                        const struct lsp_doc *doc, const char *key,
                        uint32_t off)
{
    size_t line;

    if (off > doc->text.len)
        off = (uint32_t)doc->text.len;
    line = lsp_line_of(doc, off);
    jsonw_object(w, key);
    jsonw_int(w, "line", (long long)line);
    jsonw_int(w, "character",
              lsp_units(s, doc->text.data, doc->lines[line], off));
    jsonw_end(w);
}

void lsp_write_range(struct jsonw *w, const struct lsp_server *s,
                     const struct lsp_doc *doc, const char *key, uint32_t start,
                     uint32_t end)
{
    jsonw_object(w, key);
    lsp_write_position(w, s, doc, "start", start);
    lsp_write_position(w, s, doc, "end", end < start ? start : end);
    jsonw_end(w);
}

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
    doc->tree = NULL;
    doc->analysed = false;
}

static void doc_free(struct lsp_doc *doc)
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

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The path of a file: URI (percent-decoded), or NULL. */
static char *uri_path(const char *uri)
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
        if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0) {
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

/* ---- writing messages ---- */

static void msg_begin(struct lsp_server *s, struct jsonw *w)
{
    buf_truncate(&s->body, 0);
    jsonw_init(w, &s->body, 0);
    w->compact = true;
    jsonw_object(w, NULL);
    jsonw_string(w, "jsonrpc", "2.0");
}

static int msg_end(struct lsp_server *s, struct jsonw *w, struct buf *out)
{
    int rc;

    jsonw_end(w);
    rc = jsonw_status(w);
    if (!rc)
        rc = buf_addf(out, "Content-Length: %zu\r\n\r\n", s->body.len);
    if (!rc)
        rc = buf_add(out, s->body.data, s->body.len);
    return rc;
}

static void write_id(struct jsonw *w, const struct jsonr *id)
{
    if (id && id->type == JSONR_STRING)
        jsonw_stringn(w, "id", id->str, id->len);
    else if (id && id->type == JSONR_NUMBER && id->is_int)
        jsonw_int(w, "id", id->ival);
    else
        jsonw_null(w, "id");
}

static int send_error(struct lsp_server *s, struct buf *out,
                      const struct jsonr *id, int code, const char *msg)
{
    struct jsonw w;

    msg_begin(s, &w);
    write_id(&w, id);
    jsonw_object(&w, "error");
    jsonw_int(&w, "code", code);
    jsonw_string(&w, "message", msg);
    jsonw_end(&w);
    return msg_end(s, &w, out);
}

/* window/logMessage, for what the client should know but not answer. */
static int send_log(struct lsp_server *s, struct buf *out, int type,
                    const char *msg)
{
    struct jsonw w;

    msg_begin(s, &w);
    jsonw_string(&w, "method", "window/logMessage");
    jsonw_object(&w, "params");
    jsonw_int(&w, "type", type);
    jsonw_string(&w, "message", msg);
    jsonw_end(&w);
    return msg_end(s, &w, out);
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

static int publish_doc(struct lsp_server *s, struct lsp_doc *doc,
                       struct buf *out)
{
    struct jsonw w;
    size_t i;
    int rc = lsp_doc_analyse(doc);

    if (rc)
        return rc;
    msg_begin(s, &w);
    jsonw_string(&w, "method", "textDocument/publishDiagnostics");
    jsonw_object(&w, "params");
    jsonw_string(&w, "uri", doc->uri);
    jsonw_int(&w, "version", doc->version);
    jsonw_array(&w, "diagnostics");
    if (doc->config_error) {
        jsonw_object(&w, NULL);
        lsp_write_range(&w, s, doc, "range", 0, 0);
        jsonw_int(&w, "severity", 1);
        jsonw_string(&w, "source", "ipxe-lint");
        jsonw_string(&w, "message", doc->config_error);
        jsonw_end(&w);
    }
    for (i = 0; i < doc->d.len; i++)
        lsp_write_diag(s, doc, &w, &doc->d.items[i]);
    jsonw_end(&w);
    jsonw_end(&w);
    rc = msg_end(s, &w, out);
    if (!rc)
        doc->unpublished = false;
    return rc;
}

bool lsp_dirty(const struct lsp_server *s)
{
    const struct lsp_doc *d;

    for (d = s->docs; d; d = d->next)
        if (d->unpublished)
            return true;
    return false;
}

int lsp_publish(struct lsp_server *s, struct buf *out)
{
    struct lsp_doc *d;
    int rc = 0;

    for (d = s->docs; d && !rc; d = d->next)
        if (d->unpublished)
            rc = publish_doc(s, d, out);
    return rc;
}

/* ---- document sync ---- */

static int did_open(struct lsp_server *s, const struct jsonr *params)
{
    const struct jsonr *td = jsonr_get(params, "textDocument");
    const char *uri = jsonr_str(td, "uri");
    const struct jsonr *text = jsonr_get(td, "text");
    struct lsp_doc *doc;
    long long version = 0;

    if (!uri || !text || text->type != JSONR_STRING)
        return 0;
    jsonr_int(td, "version", &version);
    doc = lsp_doc_find(s, uri);
    if (!doc) {
        doc = calloc(1, sizeof(*doc));
        if (!doc)
            return -ENOMEM;
        buf_init(&doc->text, SOURCE_MAX_LEN);
        doc->uri = strdup(uri);
        doc->path = uri_path(uri);
        if (!doc->uri) {
            doc_free(doc);
            return -ENOMEM;
        }
        doc->next = s->docs;
        s->docs = doc;
    }
    buf_truncate(&doc->text, 0);
    if (buf_add(&doc->text, text->str, text->len) || lines_build(doc))
        return -ENOMEM;
    doc->version = version;
    doc->stale = true;
    doc->unpublished = true;
    return 0;
}

/* One change of textDocument/didChange: a range replaced, or all. */
static int apply_change(struct lsp_server *s, struct lsp_doc *doc,
                        const struct jsonr *ch)
{
    const struct jsonr *text = jsonr_get(ch, "text");
    const struct jsonr *range = jsonr_get(ch, "range");
    long long l0, c0, l1, c1;
    uint32_t a, b;
    struct buf nt;
    int rc;

    if (!text || text->type != JSONR_STRING)
        return -EINVAL;
    if (!range) {
        buf_truncate(&doc->text, 0);
        rc = buf_add(&doc->text, text->str, text->len);
        return rc ? rc : lines_build(doc);
    }
    if (!jsonr_int(jsonr_get(range, "start"), "line", &l0) ||
        !jsonr_int(jsonr_get(range, "start"), "character", &c0) ||
        !jsonr_int(jsonr_get(range, "end"), "line", &l1) ||
        !jsonr_int(jsonr_get(range, "end"), "character", &c1))
        return -EINVAL;
    a = lsp_offset(s, doc, l0, c0);
    b = lsp_offset(s, doc, l1, c1);
    if (b < a)
        return -EINVAL;
    buf_init(&nt, SOURCE_MAX_LEN);
    rc = buf_grow(&nt, doc->text.len - (b - a) + text->len);
    if (!rc)
        rc = buf_add(&nt, doc->text.data, a);
    if (!rc)
        rc = buf_add(&nt, text->str, text->len);
    if (!rc)
        rc = buf_add(&nt, doc->text.data + b, doc->text.len - b);
    if (rc) {
        buf_release(&nt);
        return rc;
    }
    buf_release(&doc->text);
    doc->text = nt;
    return lines_build(doc);
}

static int did_change(struct lsp_server *s, const struct jsonr *params,
                      struct buf *out)
{
    const struct jsonr *td = jsonr_get(params, "textDocument");
    const struct jsonr *changes = jsonr_get(params, "contentChanges"), *ch;
    struct lsp_doc *doc = lsp_doc_find(s, jsonr_str(td, "uri"));
    int rc = 0;

    if (!doc || !changes || changes->type != JSONR_ARRAY)
        return send_log(s, out, 2,
                        "ipxe-lint: didChange for a document that is not "
                        "open, or without contentChanges: ignored");
    for (ch = changes->first; ch && !rc; ch = ch->next)
        rc = apply_change(s, doc, ch);
    jsonr_int(td, "version", &doc->version);
    doc->stale = true;
    doc->unpublished = true;
    if (rc == -EINVAL)
        return send_log(s, out, 2,
                        "ipxe-lint: a didChange with a bad range or text: "
                        "the rest of its changes were not applied");
    return rc;
}

static int did_close(struct lsp_server *s, const struct jsonr *params,
                     struct buf *out)
{
    const char *uri = jsonr_str(jsonr_get(params, "textDocument"), "uri");
    struct lsp_doc **pp, *d;
    struct jsonw w;

    for (pp = &s->docs; (d = *pp); pp = &d->next) {
        if (strcmp(d->uri, uri ? uri : "") == 0) {
            *pp = d->next;
            doc_free(d);
            /* clear what the editor shows for it */
            msg_begin(s, &w);
            jsonw_string(&w, "method", "textDocument/publishDiagnostics");
            jsonw_object(&w, "params");
            jsonw_string(&w, "uri", uri);
            jsonw_array(&w, "diagnostics");
            jsonw_end(&w);
            jsonw_end(&w);
            return msg_end(s, &w, out);
        }
    }
    return 0;
}

/* ---- requests ---- */

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

static void write_capabilities(struct lsp_server *s, struct jsonw *w)
{
    size_t i;

    jsonw_object(w, "result");
    jsonw_object(w, "capabilities");
    jsonw_string(w, "positionEncoding", s->utf8 ? "utf-8" : "utf-16");
    jsonw_object(w, "textDocumentSync");
    jsonw_bool(w, "openClose", true);
    jsonw_int(w, "change", 2); /* incremental */
    jsonw_end(w);
    jsonw_bool(w, "hoverProvider", true);
    jsonw_bool(w, "definitionProvider", true);
    jsonw_bool(w, "referencesProvider", true);
    jsonw_bool(w, "documentSymbolProvider", true);
    jsonw_object(w, "completionProvider");
    jsonw_array(w, "triggerCharacters");
    jsonw_string(w, NULL, "-");
    jsonw_string(w, NULL, "{");
    jsonw_string(w, NULL, ":");
    jsonw_string(w, NULL, " ");
    jsonw_end(w);
    jsonw_end(w);
    jsonw_object(w, "codeActionProvider");
    jsonw_array(w, "codeActionKinds");
    jsonw_string(w, NULL, "quickfix");
    jsonw_string(w, NULL, "source.fixAll");
    jsonw_end(w);
    jsonw_end(w);
    jsonw_object(w, "semanticTokensProvider");
    jsonw_object(w, "legend");
    jsonw_array(w, "tokenTypes");
    for (i = 0; lsp_token_types[i]; i++)
        jsonw_string(w, NULL, lsp_token_types[i]);
    jsonw_end(w);
    jsonw_array(w, "tokenModifiers");
    jsonw_end(w);
    jsonw_end(w);
    jsonw_bool(w, "full", true);
    jsonw_end(w);
    jsonw_end(w);
    jsonw_object(w, "serverInfo");
    jsonw_string(w, "name", "ipxe-lint");
    jsonw_string(w, "version", IPXEKIT_VERSION);
    jsonw_end(w);
    jsonw_end(w);
}

static void initialize(struct lsp_server *s, const struct jsonr *params)
{
    const struct jsonr *caps = jsonr_get(params, "capabilities"), *e;
    const struct jsonr *encs =
        jsonr_get(jsonr_get(caps, "general"), "positionEncodings");
    const struct jsonr *rel = jsonr_get(
        jsonr_get(jsonr_get(caps, "textDocument"), "publishDiagnostics"),
        "relatedInformation");
    long long ms;

    s->utf8 = false;
    if (encs && encs->type == JSONR_ARRAY)
        for (e = encs->first; e; e = e->next)
            if (e->type == JSONR_STRING && strcmp(e->str, "utf-8") == 0)
                s->utf8 = true;
    s->related_info = rel && rel->type == JSONR_BOOL && rel->b;
    if (jsonr_int(jsonr_get(params, "initializationOptions"), "debounceMs",
                  &ms) &&
        ms >= 0 && ms <= 10000)
        s->debounce_ms = (int)ms;
}

static const struct {
    const char *method;
    lsp_handler *fn;
} handlers[] = {
    {"textDocument/hover", lsp_hover},
    {"textDocument/definition", lsp_definition},
    {"textDocument/references", lsp_references},
    {"textDocument/documentSymbol", lsp_symbols},
    {"textDocument/completion", lsp_completion},
    {"textDocument/codeAction", lsp_code_action},
    {"textDocument/semanticTokens/full", lsp_semantic_tokens},
};

static bool cancelled(const struct lsp_server *s, const struct jsonr *id)
{
    size_t i;

    if (!id || id->type != JSONR_NUMBER || !id->is_int)
        return false;
    for (i = 0; i < s->ncancelled; i++)
        if (s->cancelled[i] == id->ival)
            return true;
    return false;
}

static int request(struct lsp_server *s, const char *method,
                   const struct jsonr *id, const struct jsonr *params,
                   struct buf *out)
{
    struct jsonw w;
    size_t i;
    int err = 0, rc;
    const char *errmsg = NULL;

    if (s->shutdown)
        return send_error(s, out, id, LSP_INVALID_REQUEST,
                          "the server is shutting down: only 'exit' is "
                          "taken now");
    if (strcmp(method, "initialize") == 0) {
        if (s->initialized)
            return send_error(s, out, id, LSP_INVALID_REQUEST,
                              "initialize was already received");
        initialize(s, params);
        s->initialized = true;
        msg_begin(s, &w);
        write_id(&w, id);
        write_capabilities(s, &w);
        return msg_end(s, &w, out);
    }
    if (!s->initialized)
        return send_error(s, out, id, LSP_NOT_INITIALIZED,
                          "the server is not initialized: send 'initialize' "
                          "first");
    if (cancelled(s, id))
        return send_error(s, out, id, LSP_REQUEST_CANCELLED,
                          "the request was cancelled");
    if (strcmp(method, "shutdown") == 0) {
        s->shutdown = true;
        msg_begin(s, &w);
        write_id(&w, id);
        jsonw_null(&w, "result");
        return msg_end(s, &w, out);
    }
    for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
        if (strcmp(method, handlers[i].method) != 0)
            continue;
        if (!params || params->type != JSONR_OBJECT)
            return send_error(s, out, id, LSP_INVALID_PARAMS,
                              "params must be an object");
        msg_begin(s, &w);
        write_id(&w, id);
        rc = handlers[i].fn(s, params, &w, &err, &errmsg);
        if (rc == -ENOMEM)
            return send_error(s, out, id, LSP_INTERNAL_ERROR, "out of memory");
        if (err)
            return send_error(s, out, id, err, errmsg);
        rc = msg_end(s, &w, out);
        if (rc == -E2BIG)
            return send_error(s, out, id, LSP_INTERNAL_ERROR,
                              "the answer nests too deep to be written");
        return rc;
    }
    return send_error(s, out, id, LSP_METHOD_NOT_FOUND,
                      "ipxe-lint does not implement this method");
}

static int notification(struct lsp_server *s, const char *method,
                        const struct jsonr *params, struct buf *out)
{
    if (strcmp(method, "exit") == 0) {
        s->exit_status = s->shutdown ? 0 : 1;
        return 0;
    }
    if (!s->initialized || s->shutdown)
        return 0; /* dropped, as the spec says */
    if (strcmp(method, "textDocument/didOpen") == 0)
        return did_open(s, params);
    if (strcmp(method, "textDocument/didChange") == 0)
        return did_change(s, params, out);
    if (strcmp(method, "textDocument/didClose") == 0)
        return did_close(s, params, out);
    return 0; /* initialized, didSave, $/..., and the rest: nothing to do */
}

/* One message's body. */
static int handle(struct lsp_server *s, const struct jsonr *msg,
                  const char *why, struct buf *out)
{
    const struct jsonr *id, *method, *params;
    char text[160];

    if (!msg) {
        snprintf(text, sizeof(text), "the message is not JSON: %s", why);
        return send_error(s, out, NULL, LSP_PARSE_ERROR, text);
    }
    id = jsonr_get(msg, "id");
    method = jsonr_get(msg, "method");
    params = jsonr_get(msg, "params");
    if (msg->type != JSONR_OBJECT)
        return send_error(s, out, NULL, LSP_INVALID_REQUEST,
                          "a message must be a JSON object");
    if (id && id->type != JSONR_STRING &&
        !(id->type == JSONR_NUMBER && id->is_int))
        return send_error(s, out, NULL, LSP_INVALID_REQUEST,
                          "the id must be an integer or a string");
    if (!method) {
        if (id && (jsonr_get(msg, "result") || jsonr_get(msg, "error")))
            return 0; /* an answer to a request of ours: none are made */
        return send_error(s, out, id, LSP_INVALID_REQUEST,
                          "the message has no method");
    }
    if (method->type != JSONR_STRING)
        return send_error(s, out, id, LSP_INVALID_REQUEST,
                          "the method must be a string");
    if (id)
        return request(s, method->str, id, params, out);
    return notification(s, method->str, params, out);
}

/* ---- framing ---- */

/* The header block [p, p + n): its Content-Length, or -1. */
static long long content_length(const char *p, size_t n)
{
    const char *end = p + n;
    long long len = -1;

    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *le = eol ? eol : end;
        size_t k = (size_t)(le - p);
        if (k >= 15 && strncasecmp(p, "Content-Length:", 15) == 0) {
            const char *q = p + 15;
            long long v = 0;
            while (q < le && (*q == ' ' || *q == '\t'))
                q++;
            if (q == le || *q < '0' || *q > '9')
                return -1;
            while (q < le && *q >= '0' && *q <= '9') {
                if (v > (long long)LSP_MAX_BODY)
                    return -2;
                v = v * 10 + (*q++ - '0');
            }
            while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
                q++;
            if (q != le)
                return -1;
            len = v;
        }
        p = eol ? eol + 1 : end;
    }
    return len;
}

struct frame {
    size_t start, len; /**< the body in s->in */
    const char *bad;   /**< the header is bad: what to say */
    struct jsonr *msg;
    const char *why;
};

static void note_cancel(struct lsp_server *s, const struct jsonr *msg)
{
    const struct jsonr *m = jsonr_get(msg, "method");
    long long id;

    if (!m || m->type != JSONR_STRING || strcmp(m->str, "$/cancelRequest") ||
        !jsonr_int(jsonr_get(msg, "params"), "id", &id))
        return;
    if (lint_grow(&s->cancelled, &s->ncancelled, &s->cancelled_cap,
                  sizeof(*s->cancelled)))
        s->cancelled[s->ncancelled++] = id;
}

int lsp_feed(struct lsp_server *s, const char *data, size_t len,
             struct buf *out)
{
    struct frame *fr = NULL;
    size_t nfr = 0, cap = 0, at = 0, i;
    struct arena a;
    int rc = buf_add(&s->in, data, len);

    if (rc)
        return rc;
    /* the whole messages there are */
    while (at < s->in.len) {
        const char *p = s->in.data + at;
        size_t avail = s->in.len - at;
        const char *hdr_end = NULL;
        long long n;
        for (i = 0; i + 3 < avail && i < LSP_MAX_HEADER; i++) {
            if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' &&
                p[i + 3] == '\n') {
                hdr_end = p + i;
                break;
            }
        }
        if (!hdr_end && avail < LSP_MAX_HEADER)
            break; /* more to come */
        if (!lint_grow(&fr, &nfr, &cap, sizeof(*fr))) {
            rc = -ENOMEM;
            break;
        }
        memset(&fr[nfr], 0, sizeof(*fr));
        if (!hdr_end) {
            fr[nfr++].bad = "a header block longer than 8 KiB: dropped";
            at = s->in.len;
            break;
        }
        n = content_length(p, (size_t)(hdr_end - p));
        if (n < 0) {
            fr[nfr++].bad = n == -2 ? "Content-Length is too large: the "
                                      "header was dropped"
                                    : "the header has no valid "
                                      "Content-Length: dropped";
            at += (size_t)(hdr_end - p) + 4;
            continue;
        }
        if ((size_t)n > LSP_MAX_BODY) {
            fr[nfr++].bad = "a message larger than 64 MiB: its header was "
                            "dropped";
            at += (size_t)(hdr_end - p) + 4;
            continue;
        }
        if ((size_t)(hdr_end - p) + 4 + (size_t)n > avail)
            break; /* the body is not all here */
        fr[nfr].start = at + (size_t)(hdr_end - p) + 4;
        fr[nfr].len = (size_t)n;
        nfr++;
        at += (size_t)(hdr_end - p) + 4 + (size_t)n;
    }
    /* read them all, note the cancellations, then handle them in order */
    arena_init(&a);
    s->ncancelled = 0;
    for (i = 0; i < nfr; i++) {
        if (fr[i].bad)
            continue;
        fr[i].msg =
            jsonr_parse(&a, s->in.data + fr[i].start, fr[i].len, &fr[i].why);
        note_cancel(s, fr[i].msg);
    }
    for (i = 0; i < nfr && !rc && s->exit_status < 0; i++) {
        if (fr[i].bad)
            rc = send_error(s, out, NULL, LSP_PARSE_ERROR, fr[i].bad);
        else
            rc = handle(s, fr[i].msg, fr[i].why, out);
    }
    arena_release(&a);
    free(fr);
    if (at) {
        memmove(s->in.data, s->in.data + at, s->in.len - at);
        buf_truncate(&s->in, s->in.len - at);
    }
    return rc;
}

/* ---- the server ---- */

struct lsp_server *lsp_new(void)
{
    struct lsp_server *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    buf_init(&s->in, LSP_MAX_BODY + 2 * LSP_MAX_HEADER);
    buf_init(&s->body, BUF_MAX_UNLIMITED);
    s->exit_status = -1;
    return s;
}

void lsp_free(struct lsp_server *s)
{
    struct lsp_doc *d, *next;

    if (!s)
        return;
    for (d = s->docs; d; d = next) {
        next = d->next;
        doc_free(d);
    }
    buf_release(&s->in);
    buf_release(&s->body);
    free(s->cancelled);
    free(s);
}

int lsp_debounce_ms(const struct lsp_server *s)
{
    return s->debounce_ms;
}

int lsp_exit_status(const struct lsp_server *s)
{
    return s->exit_status;
}
