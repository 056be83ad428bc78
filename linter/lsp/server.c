/* SPDX-License-Identifier: MIT */
/** @file The language server's core: framed JSON-RPC messages in and
 *  out, the life cycle, document sync, pushing diagnostics, and the
 *  requests' dispatch (see lsp.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"
#include "lsp_int.h"

/** A message's body may not be larger (a document of 64 MiB is more than
 *  any script). */
#define LSP_MAX_BODY ((size_t)64 << 20)
/** A header block may not be longer. */
#define LSP_MAX_HEADER 8192

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
        doc->path = lsp_uri_path(uri);
        if (!doc->uri) {
            lsp_doc_free(doc);
            return -ENOMEM;
        }
        doc->next = s->docs;
        s->docs = doc;
    }
    buf_truncate(&doc->text, 0);
    if (buf_add(&doc->text, text->str, text->len) || lsp_doc_lines(doc))
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
        return rc ? rc : lsp_doc_lines(doc);
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
    return lsp_doc_lines(doc);
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
            lsp_doc_free(d);
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

    if (rc == -E2BIG) {
        /* a message larger than any allowed, still coming: drop what is
         * held, say so, and look for the next header in what follows */
        buf_truncate(&s->in, 0);
        return send_error(s, out, NULL, LSP_PARSE_ERROR,
                          "a message larger than 64 MiB: dropped");
    }
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
        lsp_doc_free(d);
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
