/* SPDX-License-Identifier: MIT */
/** @file libFuzzer harness for the language server's message layer
 *  (linter/lsp/): framing, the JSON reader, the life cycle, document sync
 *  and every request, on any bytes.
 *
 * The first byte of an input picks the mode:
 *
 *   bit 0 = 0  raw: the rest is fed to lsp_feed() as a client's byte
 *              stream, in chunks of 1 + (byte >> 1) bytes (1 to 128), so
 *              headers and bodies are cut anywhere.
 *   bit 0 = 1  session: the rest, up to a first "\0\0\0", is a script; the
 *              harness initializes the server (UTF-8 positions when bit 1
 *              is set), opens the script (named *.ipxe.j2 when bit 2 is
 *              set), asks for hover, definition, references and completion
 *              at positions over its first lines, code actions and
 *              semantic tokens and symbols for the whole of it, changes a
 *              range of it (an incremental edit built from the next bytes)
 *              and asks again; then whatever follows the "\0\0\0" goes in
 *              as raw bytes, then shutdown and exit.
 *
 * Whatever the input, every byte the server writes must be framed
 * messages (`Content-Length: N` then N bytes) whose bodies jansson reads
 * as JSON objects with "jsonrpc": "2.0" (\u0000 allowed: a script may
 * hold NUL bytes, and a document's text comes back in code actions); semantic
 * tokens come in fives; a session the raw tail did not end must exit with 0
 * after its shutdown. Any failure aborts, which libFuzzer reports as a crash.
 *
 * Built with -fsanitize=fuzzer (the fuzz_lsp target, -DIPXEKIT_FUZZ=ON), or
 * with replay_main.c as an ordinary program that replays saved inputs.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jsonw.h"
#include "lsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_lsp: %s\n%s\n", what, detail ? detail : "");
    abort();
}

/* Every message in @p out is framed and JSON; consumed from @p out. */
static void check_output(struct buf *out)
{
    size_t at = 0;

    while (at < out->len) {
        const char *p = out->data + at, *end;
        unsigned long n;
        json_t *j, *v;
        json_error_t e;
        if (out->len - at < 20 || memcmp(p, "Content-Length: ", 16) != 0)
            fail("output that is not a framed message", p);
        n = strtoul(p + 16, (char **)&end, 10);
        if (memcmp(end, "\r\n\r\n", 4) != 0)
            fail("a header not ended by an empty line", p);
        end += 4;
        if ((size_t)(out->data + out->len - end) < n)
            fail("a body shorter than its Content-Length", p);
        j = json_loadb(end, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
        if (!j || !json_is_object(j))
            fail("a body that is not a JSON object", e.text);
        v = json_object_get(j, "jsonrpc");
        if (!json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0)
            fail("a message without \"jsonrpc\": \"2.0\"", end);
        v = json_object_get(json_object_get(j, "result"), "data");
        if (json_is_array(v) && json_array_size(v) % 5 != 0)
            fail("semantic tokens not in fives", end);
        json_decref(j);
        at = (size_t)(end - out->data) + n;
    }
    buf_truncate(out, 0);
}

static void feed(struct lsp_server *s, const char *p, size_t n, struct buf *out)
{
    if (lsp_exit_status(s) >= 0)
        return;
    if (lsp_feed(s, p, n, out))
        fail("lsp_feed failed", NULL);
    check_output(out);
}

/* Frame and feed the message @p body. */
static void send(struct lsp_server *s, struct buf *body, struct buf *out)
{
    char head[64];
    int k =
        snprintf(head, sizeof(head), "Content-Length: %zu\r\n\r\n", body->len);

    feed(s, head, (size_t)k, out);
    feed(s, body->data, body->len, out);
    buf_truncate(body, 0);
}

static void begin(struct jsonw *w, struct buf *body, long long id,
                  const char *method)
{
    jsonw_init(w, body, 0);
    w->compact = true;
    jsonw_object(w, NULL);
    jsonw_string(w, "jsonrpc", "2.0");
    if (id >= 0)
        jsonw_int(w, "id", id);
    jsonw_string(w, "method", method);
    jsonw_object(w, "params");
}

static void finish(struct jsonw *w)
{
    jsonw_end(w);
    jsonw_end(w);
    if (jsonw_status(w))
        fail("the harness could not write a message", NULL);
}

static void text_document(struct jsonw *w)
{
    jsonw_object(w, "textDocument");
    jsonw_string(w, "uri", "file:///fuzz/dir/fuzz.ipxe");
    jsonw_end(w);
}

static void position(struct jsonw *w, const char *key, long long line,
                     long long ch)
{
    jsonw_object(w, key);
    jsonw_int(w, "line", line);
    jsonw_int(w, "character", ch);
    jsonw_end(w);
}

static void requests(struct lsp_server *s, struct buf *body, struct buf *out,
                     long long *id, unsigned lines)
{
    static const char *const at[] = {
        "textDocument/hover", "textDocument/definition",
        "textDocument/references", "textDocument/completion"};
    static const char *const whole[] = {"textDocument/semanticTokens/full",
                                        "textDocument/documentSymbol"};
    struct jsonw w;
    unsigned l, c, k;

    for (l = 0; l < lines; l++) {
        for (c = 0; c < 18; c += 6) {
            for (k = 0; k < 4; k++) {
                begin(&w, body, (*id)++, at[k]);
                text_document(&w);
                position(&w, "position", l, c);
                if (k == 2) {
                    jsonw_object(&w, "context");
                    jsonw_bool(&w, "includeDeclaration", true);
                    jsonw_end(&w);
                }
                finish(&w);
                send(s, body, out);
            }
        }
    }
    for (k = 0; k < 2; k++) {
        begin(&w, body, (*id)++, whole[k]);
        text_document(&w);
        finish(&w);
        send(s, body, out);
    }
    begin(&w, body, (*id)++, "textDocument/codeAction");
    text_document(&w);
    jsonw_object(&w, "range");
    position(&w, "start", 0, 0);
    position(&w, "end", 100000, 0);
    jsonw_end(&w);
    jsonw_object(&w, "context");
    jsonw_array(&w, "diagnostics");
    jsonw_end(&w);
    jsonw_end(&w);
    finish(&w);
    send(s, body, out);
    if (lsp_exit_status(s) < 0 && lsp_publish(s, out))
        fail("lsp_publish failed", NULL);
    check_output(out);
}

static void session(struct lsp_server *s, const uint8_t *data, size_t size,
                    uint8_t mode, struct buf *body, struct buf *out)
{
    const uint8_t *sep = NULL;
    size_t tlen = size, i;
    unsigned lines = 1;
    long long id = 1;
    struct jsonw w;

    for (i = 0; i + 2 < size; i++) {
        if (!data[i] && !data[i + 1] && !data[i + 2]) {
            sep = data + i;
            tlen = i;
            break;
        }
    }
    for (i = 0; i < tlen && lines < 6; i++)
        lines += data[i] == '\n';

    begin(&w, body, id++, "initialize");
    jsonw_object(&w, "capabilities");
    jsonw_object(&w, "general");
    jsonw_array(&w, "positionEncodings");
    jsonw_string(&w, NULL, mode & 2 ? "utf-8" : "utf-16");
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_object(&w, "textDocument");
    jsonw_object(&w, "publishDiagnostics");
    jsonw_bool(&w, "relatedInformation", true);
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_end(&w);
    finish(&w);
    send(s, body, out);

    begin(&w, body, -1, "textDocument/didOpen");
    jsonw_object(&w, "textDocument");
    jsonw_string(&w, "uri",
                 mode & 4 ? "file:///fuzz/dir/fuzz.ipxe.j2"
                          : "file:///fuzz/dir/fuzz.ipxe");
    jsonw_int(&w, "version", 1);
    jsonw_stringn(&w, "text", (const char *)data, tlen);
    jsonw_end(&w);
    finish(&w);
    /* a template's name: reopen under the name the requests use */
    if (mode & 4) {
        send(s, body, out);
        begin(&w, body, -1, "textDocument/didOpen");
        jsonw_object(&w, "textDocument");
        jsonw_string(&w, "uri", "file:///fuzz/dir/fuzz.ipxe");
        jsonw_int(&w, "version", 1);
        jsonw_stringn(&w, "text", (const char *)data, tlen);
        jsonw_end(&w);
        finish(&w);
    }
    send(s, body, out);
    requests(s, body, out, &id, lines);

    /* an incremental edit: a range of the first lines replaced */
    begin(&w, body, -1, "textDocument/didChange");
    jsonw_object(&w, "textDocument");
    jsonw_string(&w, "uri", "file:///fuzz/dir/fuzz.ipxe");
    jsonw_int(&w, "version", 2);
    jsonw_end(&w);
    jsonw_array(&w, "contentChanges");
    jsonw_object(&w, NULL);
    jsonw_object(&w, "range");
    position(&w, "start", tlen > 1 ? data[1] % 4 : 0,
             tlen > 2 ? data[2] % 16 : 0);
    position(&w, "end", tlen > 3 ? data[3] % 6 : 1,
             tlen > 4 ? data[4] % 40 : 0);
    jsonw_end(&w);
    jsonw_stringn(&w, "text", (const char *)data, tlen < 12 ? tlen : 12);
    jsonw_end(&w);
    jsonw_end(&w);
    finish(&w);
    send(s, body, out);
    requests(s, body, out, &id, lines);

    if (sep)
        feed(s, (const char *)sep + 3, size - tlen - 3, out);
    if (lsp_exit_status(s) >= 0)
        return; /* the raw tail ended it */
    jsonw_init(&w, body, 0);
    w.compact = true;
    jsonw_object(&w, NULL);
    jsonw_string(&w, "jsonrpc", "2.0");
    jsonw_int(&w, "id", 1000000);
    jsonw_string(&w, "method", "shutdown");
    jsonw_end(&w);
    send(s, body, out);
    jsonw_init(&w, body, 0);
    w.compact = true;
    jsonw_object(&w, NULL);
    jsonw_string(&w, "jsonrpc", "2.0");
    jsonw_string(&w, "method", "exit");
    jsonw_end(&w);
    send(s, body, out);
    /* the tail may have sent its own shutdown or initialize: only a
     * session it did not touch is sure to end with 0 */
    if (!sep && lsp_exit_status(s) != 0)
        fail("shutdown then exit did not give exit status 0", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lsp_server *s;
    struct buf out, body;
    uint8_t mode;

    if (!size)
        return 0;
    mode = data[0];
    s = lsp_new();
    if (!s)
        fail("lsp_new failed", NULL);
    buf_init(&out, BUF_MAX_UNLIMITED);
    buf_init(&body, BUF_MAX_UNLIMITED);
    if (mode & 1) {
        session(s, data + 1, size - 1, mode, &body, &out);
    } else {
        size_t chunk = 1 + (mode >> 1), at = 1;
        while (at < size && lsp_exit_status(s) < 0) {
            size_t n = size - at < chunk ? size - at : chunk;
            feed(s, (const char *)data + at, n, &out);
            at += n;
        }
        if (lsp_exit_status(s) < 0 && lsp_publish(s, &out))
            fail("lsp_publish failed", NULL);
        check_output(&out);
    }
    buf_release(&body);
    buf_release(&out);
    lsp_free(s);
    return 0;
}
