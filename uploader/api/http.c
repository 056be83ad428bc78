/* SPDX-License-Identifier: MIT */
/** @file HTTPS transfers on one libcurl multi handle, plus timers. */
#include "http.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

/* The answers held in memory: HTTP_MAX_BODY each, HTTP_MAX_BODIES in all
 * (http.h). */
#define HTTP_MAX_BODY   ((size_t)HTTP_MAX_BODY_MIB << 20)
#define HTTP_MAX_BODIES ((size_t)HTTP_MAX_BODIES_MIB << 20)
#define HTTP_STR_(x)    #x
#define HTTP_STR(x)     HTTP_STR_(x)

/** One transfer in flight. */
struct http_req {
    struct http_client *c;        /**< owner */
    CURL *easy;                   /**< the easy handle (reused from the pool) */
    struct curl_slist *headers;   /**< request headers, owned */
    char *body;                   /**< request body, owned */
    struct http_xfer x;           /**< what the callback will see */
    char *query_id;               /**< captured header value, owned */
    char *retry_after;            /**< captured header value, owned */
    char errbuf[CURL_ERROR_SIZE]; /**< CURLOPT_ERRORBUFFER */
    const char *too_large;        /**< why the body was refused, or NULL */
    int64_t started;              /**< http_now_ms() at start */
    http_done_fn fn;              /**< completion callback */
    void *ctx;                    /**< its argument */
    struct http_req *next;        /**< list of transfers in flight */
};

/** A pending timer; the list is kept sorted by due time. */
struct http_timer {
    int64_t due;             /**< http_now_ms() at which to fire */
    http_timer_fn fn;        /**< callback */
    void *ctx;               /**< its argument */
    struct http_timer *next; /**< next later timer */
};

struct http_client {
    CURLM *multi;              /**< the one multi handle */
    char *cacert;              /**< CA file or NULL */
    char *user_agent;          /**< User-Agent */
    long connect_timeout_ms;   /**< see struct http_opts */
    long timeout_ms;           /**< see struct http_opts */
    struct http_req *active;   /**< transfers in flight */
    size_t nactive;            /**< their number */
    size_t body_bytes;         /**< bytes of answers held by them */
    CURL **pool;               /**< idle easy handles, for reuse */
    size_t npool, pool_alloc;  /**< pool fill and size */
    struct http_timer *timers; /**< pending timers, earliest first */
    unsigned long sent;        /**< transfers started */
    int watch_fd;              /**< watched descriptor, or -1 */
    http_timer_fn watch_ready; /**< called when it is readable */
    http_busy_fn watch_busy;   /**< whether more is coming on it */
    void *watch_ctx;           /**< their argument */
};

int64_t http_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned long http_sent(const struct http_client *c)
{
    return c->sent;
}

int http_client_new(const struct http_opts *o, struct http_client **out)
{
    struct http_client *c = calloc(1, sizeof(*c));

    *out = NULL;
    if (!c)
        return -ENOMEM;
    c->multi = curl_multi_init();
    if (!c->multi)
        goto err;
    if (o->cacert) {
        c->cacert = strdup(o->cacert);
        if (!c->cacert)
            goto err;
    }
    c->user_agent = strdup(o->user_agent ? o->user_agent : "ipxekit");
    if (!c->user_agent)
        goto err;
    c->watch_fd = -1;
    c->connect_timeout_ms = o->connect_timeout_ms;
    c->timeout_ms = o->timeout_ms;
    /* Reuse connections: keep as many open as may run at once. */
    curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, o->max_connections + 4);
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                      o->max_connections);
    *out = c;
    return 0;
err:
    http_client_free(c);
    return -ENOMEM;
}

static void req_free(struct http_req *r)
{
    r->c->body_bytes -= r->x.body.len;
    curl_slist_free_all(r->headers);
    free(r->body);
    free(r->query_id);
    free(r->retry_after);
    buf_release(&r->x.body);
    free(r);
}

void http_client_free(struct http_client *c)
{
    struct http_req *r, *rn;
    struct http_timer *t, *tn;
    size_t i;

    if (!c)
        return;
    for (r = c->active; r; r = rn) {
        rn = r->next;
        curl_multi_remove_handle(c->multi, r->easy);
        curl_easy_cleanup(r->easy);
        req_free(r);
    }
    for (t = c->timers; t; t = tn) {
        tn = t->next;
        free(t);
    }
    for (i = 0; i < c->npool; i++)
        curl_easy_cleanup(c->pool[i]);
    free(c->pool);
    if (c->multi)
        curl_multi_cleanup(c->multi);
    free(c->cacert);
    free(c->user_agent);
    free(c);
}

/* Keep the value of the two response headers we use. */
static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
    struct http_req *r = userp;
    size_t len = size * n, klen;
    const char *colon = memchr(data, ':', len), *v, *e;
    char **slot = NULL;

    if (!colon)
        return len;
    klen = (size_t)(colon - data);
    if (klen == strlen("X-Ovh-QueryID") &&
        strncasecmp(data, "X-Ovh-QueryID", klen) == 0)
        slot = &r->query_id;
    else if (klen == strlen("Retry-After") &&
             strncasecmp(data, "Retry-After", klen) == 0)
        slot = &r->retry_after;
    if (!slot)
        return len;
    v = colon + 1;
    e = data + len;
    while (v < e && (*v == ' ' || *v == '\t'))
        v++;
    while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
        e--;
    free(*slot);
    *slot = strndup(v, (size_t)(e - v));
    return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
    struct http_req *r = userp;
    struct http_client *c = r->c;
    size_t len = size * n;

    /* Returning less than len aborts the transfer (CURLE_WRITE_ERROR). */
    if (len > HTTP_MAX_BODY - r->x.body.len) {
        r->too_large = "the answer is larger than the " HTTP_STR(
            HTTP_MAX_BODY_MIB) " MiB an API answer may take";
        r->x.too_large = true;
        return 0;
    }
    if (len > HTTP_MAX_BODIES - c->body_bytes) {
        r->too_large = "the answers being received at once hold more "
                       "than " HTTP_STR(HTTP_MAX_BODIES_MIB) " MiB in all";
        return 0;
    }
    if (buf_add(&r->x.body, data, len))
        return 0;
    c->body_bytes += len;
    return len;
}

static CURL *easy_get(struct http_client *c)
{
    if (c->npool)
        return c->pool[--c->npool];
    return curl_easy_init();
}

static void easy_put(struct http_client *c, CURL *easy)
{
    if (c->npool == c->pool_alloc) {
        size_t alloc = c->pool_alloc ? 2 * c->pool_alloc : 16;
        CURL **p = realloc(c->pool, alloc * sizeof(*p));
        if (!p) {
            curl_easy_cleanup(easy);
            return;
        }
        c->pool = p;
        c->pool_alloc = alloc;
    }
    curl_easy_reset(easy);
    c->pool[c->npool++] = easy;
}

/* Set every option of one request; false if curl refused one. */
static bool req_setup(struct http_req *r, const char *method, const char *url,
                      size_t len, unsigned flags)
{
    struct http_client *c = r->c;
    CURL *e = r->easy;
    CURLcode rc = CURLE_OK;

#define SET(opt, val)                                                          \
    do {                                                                       \
        if (rc == CURLE_OK)                                                    \
            rc = curl_easy_setopt(e, opt, val);                                \
    } while (0)
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PROTOCOLS_STR, "https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    /* Verification is never turned off; these are curl's defaults, set
     * explicitly so that no later change can weaken them unnoticed. */
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    if (c->cacert)
        SET(CURLOPT_CAINFO, c->cacert);
    SET(CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, c->timeout_ms);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_USERAGENT, c->user_agent);
    SET(CURLOPT_ERRORBUFFER, r->errbuf);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, r);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, r);
    SET(CURLOPT_PRIVATE, r);
    SET(CURLOPT_HTTPHEADER, r->headers);
    if (flags & HTTP_FRESH_CONNECTION) {
        SET(CURLOPT_FRESH_CONNECT, 1L);
        SET(CURLOPT_FORBID_REUSE, 1L);
    }
    if (strcmp(method, "GET") == 0) {
        SET(CURLOPT_HTTPGET, 1L);
    } else {
        /* POSTFIELDS for every body-carrying method, with the verb
         * replaced, so the bytes sent are exactly the bytes signed. */
        SET(CURLOPT_POSTFIELDSIZE, (long)len);
        SET(CURLOPT_POSTFIELDS, r->body ? r->body : "");
        SET(CURLOPT_CUSTOMREQUEST, method);
    }
#undef SET
    return rc == CURLE_OK;
}

int http_send(struct http_client *c, const char *method, const char *url,
              struct curl_slist *headers, const char *body, size_t len,
              unsigned flags, http_done_fn fn, void *ctx)
{
    struct http_req *r = calloc(1, sizeof(*r));

    if (!r) {
        curl_slist_free_all(headers);
        return -ENOMEM;
    }
    r->c = c;
    r->headers = headers;
    r->fn = fn;
    r->ctx = ctx;
    buf_init(&r->x.body, HTTP_MAX_BODY);
    if (len) {
        r->body = malloc(len);
        if (!r->body)
            goto err;
        memcpy(r->body, body, len);
    }
    r->easy = easy_get(c);
    if (!r->easy)
        goto err;
    if (!req_setup(r, method, url, len, flags) ||
        curl_multi_add_handle(c->multi, r->easy) != CURLM_OK) {
        curl_easy_cleanup(r->easy);
        req_free(r);
        return -EIO;
    }
    r->started = http_now_ms();
    r->next = c->active;
    c->active = r;
    c->nactive++;
    c->sent++;
    return 0;
err:
    req_free(r);
    return -ENOMEM;
}

int http_after(struct http_client *c, long delay_ms, http_timer_fn fn,
               void *ctx)
{
    struct http_timer *t = calloc(1, sizeof(*t)), **p;

    if (!t)
        return -ENOMEM;
    t->due = http_now_ms() + (delay_ms > 0 ? delay_ms : 0);
    t->fn = fn;
    t->ctx = ctx;
    /* Sorted insert; equal due times keep their order (FIFO). */
    for (p = &c->timers; *p && (*p)->due <= t->due; p = &(*p)->next)
        ;
    t->next = *p;
    *p = t;
    return 0;
}

/* Whether a failed transfer may have reached the server: only failures
 * before any byte was sent are certain not to have. */
static bool maybe_sent(CURLcode code)
{
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return false;
    default:
        return true;
    }
}

static bool is_tls_failure(CURLcode code)
{
    return code == CURLE_PEER_FAILED_VERIFICATION ||
           code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CERTPROBLEM;
}

/* Hand every finished transfer to its callback. */
static void drain_done(struct http_client *c)
{
    struct http_req *r, **p;
    CURLMsg *msg;
    int left;
    char *priv;

    while ((msg = curl_multi_info_read(c->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
        r = (struct http_req *)(void *)priv;
        r->x.curl_code = (int)msg->data.result;
        if (msg->data.result == CURLE_OK) {
            curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->x.status);
        } else {
            r->x.status = 0;
            r->x.maybe_sent = maybe_sent(msg->data.result);
            r->x.tls_failure = is_tls_failure(msg->data.result);
            r->x.error =
                r->errbuf[0] ? r->errbuf : curl_easy_strerror(msg->data.result);
            if (r->too_large)
                r->x.error = r->too_large;
        }
        r->x.query_id = r->query_id;
        r->x.retry_after = r->retry_after;
        r->x.elapsed_ms = (long)(http_now_ms() - r->started);

        /* Unlink before the callback, which may start new transfers. */
        for (p = &c->active; *p != r; p = &(*p)->next)
            ;
        *p = r->next;
        c->nactive--;
        curl_multi_remove_handle(c->multi, r->easy);
        r->fn(r->ctx, &r->x);
        easy_put(c, r->easy);
        req_free(r);
    }
}

/* Fire the timers that are due; they may add timers and transfers. */
static void fire_timers(struct http_client *c)
{
    int64_t now = http_now_ms();
    struct http_timer *t;

    while (c->timers && c->timers->due <= now) {
        t = c->timers;
        c->timers = t->next;
        t->fn(t->ctx);
        free(t);
    }
}

void http_watch(struct http_client *c, int fd, http_timer_fn ready,
                http_busy_fn busy, void *ctx)
{
    c->watch_fd = fd;
    c->watch_ready = ready;
    c->watch_busy = busy;
    c->watch_ctx = ctx;
}

/* Whether anything is left to wait for. */
static bool has_work(struct http_client *c)
{
    return c->nactive || c->timers ||
           (c->watch_fd >= 0 && c->watch_busy(c->watch_ctx));
}

int http_run(struct http_client *c)
{
    struct curl_waitfd wfd;
    int running, wait;
    int64_t until;

    while (has_work(c)) {
        fire_timers(c);
        if (curl_multi_perform(c->multi, &running) != CURLM_OK)
            return -EIO;
        drain_done(c);
        if (!has_work(c))
            break;
        /* Sleep until a socket or the watch is ready, curl's own timeout,
         * or the next timer, whichever is first. */
        wait = 1000;
        if (c->timers) {
            until = c->timers->due - http_now_ms();
            if (until < wait)
                wait = until > 0 ? (int)until : 0;
        }
        wfd.fd = c->watch_fd;
        wfd.events = CURL_WAIT_POLLIN;
        wfd.revents = 0;
        if (wait > 0 &&
            curl_multi_poll(c->multi, c->watch_fd >= 0 ? &wfd : NULL,
                            c->watch_fd >= 0 ? 1 : 0, wait, NULL) != CURLM_OK)
            return -EIO;
        /* Checked every round: a zero wait skips the poll. */
        if (c->watch_fd >= 0)
            c->watch_ready(c->watch_ctx);
    }
    return 0;
}
