/* SPDX-License-Identifier: MIT */
/** @file ipxe-lint's language server (LSP 3.17 over standard input and
 *  output): `ipxe-lint --lsp`.
 *
 * The server is a state machine fed with bytes (lsp_feed()), which
 * appends what it answers to a buffer; lsp_run() is the loop that reads
 * standard input, feeds it, and writes the answers.  Nothing here prints
 * on its own: the answers are the buffer's bytes.
 */
#ifndef IPXETOOL_LSP_LSP_H
#define IPXETOOL_LSP_LSP_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct lsp_server;

/** A new server, or NULL if memory ran out. */
struct lsp_server *lsp_new(void);
/** Free the server and every document it holds. */
void lsp_free(struct lsp_server *s);

/**
 * Take @p len more bytes from the client: every whole message among the
 * bytes taken so far is handled, its answer (if any) appended to @p out,
 * framed.  A message that cannot be read gets a JSON-RPC error and the
 * server goes on with the next one.
 *
 * @ret rc  0, or -ENOMEM
 */
int lsp_feed(struct lsp_server *s, const char *data, size_t len,
             struct buf *out);

/** Whether a document changed since its diagnostics were last pushed. */
bool lsp_dirty(const struct lsp_server *s);
/** Push the diagnostics of every changed document (appended to @p out).
 *  @ret rc 0, or -ENOMEM */
int lsp_publish(struct lsp_server *s, struct buf *out);
/** How long to wait for more input before pushing diagnostics (the
 *  client's `initializationOptions.debounceMs`, 0 by default). */
int lsp_debounce_ms(const struct lsp_server *s);
/** -1 while the server runs; once `exit` came, the exit status (0 after a
 *  `shutdown`, 1 without). */
int lsp_exit_status(const struct lsp_server *s);

/**
 * Serve on the file descriptors @p in and @p out until `exit` or the end
 * of the input.
 *
 * @ret the exit status: 0 after shutdown and exit, 1 otherwise (exit
 *      without shutdown, the input closed, or output failed)
 */
int lsp_run(int in, int out);

#endif
