/* SPDX-License-Identifier: MIT */
/** @file HTTPS transfers on one libcurl multi handle, plus timers.
 *
 * Everything the uploader sends goes through one `struct http_client`:
 * one server or a thousand are the same code path.  Transfers and timers
 * complete by calling back; http_run() drives them until none is left.
 * TLS peer and host verification are always on; the only TLS setting is
 * an extra CA file.  Only https:// URLs are accepted.
 */
#ifndef IPXETOOL_UPLOADER_HTTP_H
#define IPXETOOL_UPLOADER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/** The most of one answer kept in memory (MiB): a larger answer is
 *  abandoned (struct http_xfer.too_large). */
#define HTTP_MAX_BODY_MIB 64
/** The most of all the answers being received at once kept in memory
 *  (MiB), whatever the number of transfers: a transfer that would pass it
 *  is abandoned as a transport failure (its caller may retry it once
 *  others are done). */
#define HTTP_MAX_BODIES_MIB 256

struct curl_slist;
struct http_client;

/** Settings, copied by http_client_new(). */
struct http_opts {
    const char *cacert;      /**< CA bundle file, or NULL for the system's */
    long connect_timeout_ms; /**< TCP + TLS handshake limit */
    long timeout_ms;         /**< whole-transfer limit */
    long max_connections;    /**< connections kept open to the host */
    const char *user_agent;  /**< User-Agent header */
};

/** A finished transfer, borrowed by the completion callback. */
struct http_xfer {
    long status;             /**< HTTP status, 0 when there was none */
    int curl_code;           /**< CURLcode; 0 when a response arrived */
    const char *error;       /**< curl's message when curl_code != 0 */
    bool maybe_sent;         /**< the request may have reached the server */
    bool tls_failure;        /**< the peer's certificate was refused */
    bool too_large;          /**< the answer passed HTTP_MAX_BODY_MIB and
                                  was abandoned (error says so) */
    struct buf body;         /**< response body */
    const char *query_id;    /**< X-Ovh-QueryID header, or NULL */
    const char *retry_after; /**< Retry-After header, or NULL */
    long elapsed_ms;         /**< wall time of the transfer */
};

typedef void (*http_done_fn)(void *ctx, const struct http_xfer *x);
typedef void (*http_timer_fn)(void *ctx);

/** Create a client.  @ret rc 0, or -ENOMEM / -EIO (curl refused). */
int http_client_new(const struct http_opts *o, struct http_client **out);

/** Abort every transfer (no callbacks) and free the client; NULL-safe. */
void http_client_free(struct http_client *c);

/** Flags for http_send(). */
enum http_send_flags {
    /** A new connection, closed after: libcurl never re-sends a request
     *  by itself on one (it does when a reused connection died). */
    HTTP_FRESH_CONNECTION = 1 << 0,
};

/**
 * Start a request.
 *
 * @v method     "GET", "PUT", "POST", "DELETE"
 * @v url        absolute https:// URL (copied)
 * @v headers    extra headers; ownership is taken, even on failure
 * @v body, len  request body (copied); NULL, 0 for none
 * @v flags      enum http_send_flags
 * @v fn, ctx    called once when the transfer ends, from http_run()
 * @ret rc       0 or a negative errno; on failure @p fn is never called
 */
int http_send(struct http_client *c, const char *method, const char *url,
              struct curl_slist *headers, const char *body, size_t len,
              unsigned flags, http_done_fn fn, void *ctx);

/** Call @p fn(@p ctx) from http_run() once @p delay_ms have passed. */
int http_after(struct http_client *c, long delay_ms, http_timer_fn fn,
               void *ctx);

/** Whether a watch still has work coming (see http_watch()). */
typedef bool (*http_busy_fn)(void *ctx);

/**
 * Watch @p fd alongside the transfers: http_run() calls @p ready(@p ctx)
 * when it is readable, and keeps running while @p busy(@p ctx) is true
 * even with no transfer or timer left.  One watch per client; @p fd -1
 * removes it.  (The journal's group-commit writer signals through one.)
 */
void http_watch(struct http_client *c, int fd, http_timer_fn ready,
                http_busy_fn busy, void *ctx);

/** Run transfers, timers and the watch until none has work left.
 *  @ret rc 0 or -EIO. */
int http_run(struct http_client *c);

/** Monotonic milliseconds, for deadlines. */
int64_t http_now_ms(void);

/** Number of transfers started so far (for statistics). */
unsigned long http_sent(const struct http_client *c);

#endif
