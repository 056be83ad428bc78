/* SPDX-License-Identifier: MIT */
/** @file The OVHcloud API client: authentication, clock, rate, retries.
 *
 * Calls are asynchronous on the shared `struct http_client`: api_call()
 * queues one and its callback runs from http_run().  Each call is, in
 * order: authenticated (AK/AS/CK signature with the API's clock read once
 * from /auth/time, or an OAuth2 bearer token fetched and renewed as
 * needed), admitted by the token bucket, sent, and on failure retried with
 * exponential backoff and jitter when that is safe: on 429 (honouring
 * Retry-After), 5xx and transport errors, never past the call's deadline,
 * and for a call that is not idempotent only when it certainly did not
 * reach the server.  A signature or timestamp rejection re-reads the clock
 * once and retries once.  Secrets never leave this module except in the
 * signed headers.
 */
#ifndef IPXETOOL_UPLOADER_API_H
#define IPXETOOL_UPLOADER_API_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct api;
struct buf;
struct ovh_config;
struct endpoint;
struct http_client;

/** How a call ended. */
enum api_status {
    API_OK = 0,        /**< 2xx, body parsed */
    API_ERR_HTTP,      /**< the API answered with an error status */
    API_ERR_TRANSPORT, /**< no answer: connection, timeout */
    API_ERR_TLS,       /**< the peer's certificate was refused */
    API_ERR_RESPONSE,  /**< a 2xx whose body is not JSON */
    API_ERR_DEADLINE,  /**< the call's deadline passed while retrying */
    API_ERR_AUTH,      /**< /auth/time or the OAuth2 token failed */
    API_ERR_LOCAL,     /**< out of memory or a missing credential */
};

/** Flags for api_call(). */
enum api_call_flags {
    API_UNSIGNED = 1 << 0,       /**< no signature (/auth/credential) */
    API_NOT_IDEMPOTENT = 1 << 1, /**< retry only if surely not received */
    API_NO_RETRY = 1 << 2,       /**< the caller handles every failure */
    API_SETTLE = 1 << 3,         /**< settles a write (read-back, restore):
                                      retried at least API_SETTLE_RETRIES
                                      times whatever api_opts.retries says,
                                      as leaving a server unknown is worse
                                      than a few more requests */
};

/** Retries of an API_SETTLE call when api_opts.retries is lower. */
#define API_SETTLE_RETRIES 6

/** The outcome of one call, borrowed by the callback. */
struct api_result {
    enum api_status status; /**< how it ended */
    long http_status;       /**< last HTTP status, 0 if none */
    json_t *json;           /**< parsed body on API_OK (NULL if empty) */
    const char *query_id;   /**< last X-Ovh-QueryID, or NULL */
    const char *code;       /**< API errorCode or class, or NULL */
    const char *message;    /**< what went wrong; NULL on API_OK */
    const char *hint;       /**< what to do, or NULL */
    bool maybe_applied;     /**< on failure: the call may have taken effect */
    int attempts;           /**< requests sent for this call */
};

typedef void (*api_done_fn)(void *ctx, const struct api_result *r);

/** One request sent, for the request log (never holds a secret). */
struct api_log_entry {
    const char *method;   /**< HTTP method */
    const char *url;      /**< full URL */
    long status;          /**< HTTP status, 0 on transport failure */
    const char *query_id; /**< X-Ovh-QueryID or NULL */
    const char *error;    /**< transport error or NULL */
    int attempt;          /**< 1 for the first try */
    long elapsed_ms;      /**< wall time */
};

typedef void (*api_log_fn)(void *ctx, const struct api_log_entry *e);

/** Tuning, copied by api_new(). */
struct api_opts {
    double rate_per_min;   /**< requests a minute; 0 for no limit */
    int burst;             /**< requests that may go at once (>= 1) */
    int retries;           /**< retries after the first try */
    long backoff_base_ms;  /**< first backoff delay */
    long backoff_max_ms;   /**< largest backoff delay */
    long call_deadline_ms; /**< per call, retries included; 0: none */
    api_log_fn log;        /**< request log, or NULL */
    void *log_ctx;         /**< its argument */
};

/** Counters, for the summary. */
struct api_stats {
    unsigned long requests;  /**< requests sent */
    unsigned long retries;   /**< of which retries */
    unsigned long throttled; /**< 429 answers */
    unsigned long resyncs;   /**< clock re-reads after a rejection */
};

/**
 * Create a client.  @p cfg and @p ep are borrowed and must outlive it;
 * @p http is borrowed.
 *
 * @ret rc  0, -ENOMEM
 */
int api_new(const struct ovh_config *cfg, const struct endpoint *ep,
            struct http_client *http, const struct api_opts *o,
            struct api **out);

/** Free the client; NULL-safe.  Pending calls must have completed. */
void api_free(struct api *a);

/**
 * Queue a call.  @p body, if not NULL, is serialised once as compact
 * ASCII-escaped JSON and those bytes are both signed and sent.
 *
 * @v path  "/dedicated/server/..." (copied)
 * @v body  borrowed
 * @ret rc  0, or a negative errno; on failure @p fn is never called
 */
int api_call(struct api *a, const char *method, const char *path, json_t *body,
             unsigned flags, api_done_fn fn, void *ctx);

/** Counters so far. */
void api_stats(const struct api *a, struct api_stats *out);

/** Append a failed call's message and, when the API gave one, its query
 *  id (" (X-OVH-QueryID: ...)"), as every failure is reported.
 *  @ret rc 0 or a negative errno (from the append) */
int api_result_describe(const struct api_result *r, struct buf *out);

/** The endpoint name, for messages and the journal. */
const char *api_endpoint(const struct api *a);

#endif
