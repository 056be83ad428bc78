/* SPDX-License-Identifier: MIT */
/** @file lsp_run(): standard input to the server, its answers to standard
 *  output, diagnostics pushed once the input has been quiet for the
 *  debounce time. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "lsp.h"

static int write_all(int fd, struct buf *b)
{
    size_t at = 0;

    while (at < b->len) {
        ssize_t n = write(fd, b->data + at, b->len - at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        at += (size_t)n;
    }
    buf_truncate(b, 0);
    return 0;
}

int lsp_run(int in, int out)
{
    struct lsp_server *s = lsp_new();
    struct buf o;
    char chunk[65536];
    int status = 1;

    if (!s)
        return 1;
    /* a client that goes away is an end, not a signal */
    signal(SIGPIPE, SIG_IGN);
    buf_init(&o, BUF_MAX_UNLIMITED);
    for (;;) {
        struct pollfd p = {.fd = in, .events = POLLIN};
        int timeout = lsp_dirty(s) ? lsp_debounce_ms(s) : -1;
        int r = poll(&p, 1, timeout);
        ssize_t n;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
        if (r == 0) {
            /* quiet long enough: push the diagnostics */
            if (lsp_publish(s, &o) || write_all(out, &o))
                break;
            continue;
        }
        n = read(in, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* the client closed the pipe without 'exit' */
        if (lsp_feed(s, chunk, (size_t)n, &o) || write_all(out, &o))
            break;
        if (lsp_exit_status(s) >= 0) {
            status = lsp_exit_status(s);
            break;
        }
    }
    buf_release(&o);
    lsp_free(s);
    return status;
}
