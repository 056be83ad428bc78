/* SPDX-License-Identifier: MIT */
/** @file The OVHcloud API client: authentication, clock, rate, retries. */
#include "api.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "apierr.h"
#include "buf.h"
#include "endpoint.h"
#include "http.h"
#include "ovh_config.h"
#include "sign.h"

/* A Retry-After longer than this is treated as this (seconds). */
#define RETRY_AFTER_MAX 300
/* OAuth2 tokens are renewed this long before they expire, as go-ovh and
 * node-ovh do. */
#define TOKEN_MARGIN_MS 10000

/** What a call is waiting for before it can be sent. */
enum auth_state {
    AUTH_UNKNOWN = 0, /**< not fetched yet (or invalidated) */
    AUTH_FETCHING,    /**< a fetch is in flight */
    AUTH_KNOWN,       /**< usable */
};

/** Internal kinds of call. */
enum req_kind {
    REQ_API = 0, /**< a call made through api_call() */
    REQ_TIME,    /**< GET /auth/time */
    REQ_TOKEN,   /**< the OAuth2 token request */
};

/** One call, alive from api_call() to its callback. */
struct api_req {
    struct api *a;        /**< owner */
    enum req_kind kind;   /**< what it is */
    char method[8];       /**< HTTP method */
    char *path;           /**< API path (the token URL for REQ_TOKEN) */
    char *url;            /**< absolute URL */
    char *body;           /**< exact bytes sent, or NULL */
    size_t body_len;      /**< their length */
    unsigned flags;       /**< enum api_call_flags */
    api_done_fn fn;       /**< completion callback */
    void *ctx;            /**< its argument */
    int attempts;         /**< requests sent */
    bool resynced;        /**< the clock was re-read for this call */
    bool maybe_applied;   /**< an earlier try may have taken effect */
    bool reauthed;        /**< the token was renewed for this call */
    unsigned time_gen;    /**< clock generation used to sign */
    unsigned token_gen;   /**< token generation used */
    int64_t deadline;     /**< http_now_ms() limit, 0 for none */
    struct api_req *next; /**< in a wait queue */
};

struct api {
    const struct ovh_config *cfg; /**< credentials (borrowed) */
    const struct endpoint *ep;    /**< endpoint (borrowed) */
    struct http_client *http;     /**< transport (borrowed) */
    struct api_opts o;            /**< tuning */
    struct api_stats stats;       /**< counters */

    enum auth_state time;      /**< the API clock */
    long long time_delta;      /**< server - local, seconds */
    unsigned time_gen;         /**< bumped at each clock read */
    struct api_req *time_wait; /**< calls waiting for the clock */

    enum auth_state token;      /**< the OAuth2 token */
    char *token_value;          /**< bearer token (secret) */
    int64_t token_expires;      /**< http_now_ms() at expiry */
    unsigned token_gen;         /**< bumped at each token */
    struct api_req *token_wait; /**< calls waiting for a token */

    double interval_ms;           /**< token bucket: ms between requests */
    double tau;                   /**< how far ahead the burst may run (ms) */
    double tat;                   /**< theoretical arrival time (ms) */
    struct api_req *bucket_head;  /**< calls waiting for a slot, in order */
    struct api_req **bucket_tail; /**< where the next one is queued */
    bool bucket_timer;            /**< a bucket_pump() timer is pending */
    uint64_t rng;                 /**< xorshift state for jitter */
};

static void req_go(struct api_req *r);
static void req_go_timer(void *ctx);
static void req_fire(void *ctx);

int api_new(const struct ovh_config *cfg, const struct endpoint *ep,
            struct http_client *http, const struct api_opts *o,
            struct api **out)
{
    struct api *a = calloc(1, sizeof(*a));

    *out = NULL;
    if (!a)
        return -ENOMEM;
    a->cfg = cfg;
    a->ep = ep;
    a->http = http;
    a->o = *o;
    /* 1% slower than asked: a server counting any 60 s window then sees
     * at most the rate even when requests arrive up to 0.6 s late. */
    a->interval_ms = o->rate_per_min > 0 ? 60600.0 / o->rate_per_min : 0;
    a->tau = o->burst > 1 ? (o->burst - 1) * a->interval_ms : 0;
    a->bucket_tail = &a->bucket_head;
    a->rng = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid() << 16;
    if (!a->rng)
        a->rng = 1;
    *out = a;
    return 0;
}

void api_free(struct api *a)
{
    if (!a)
        return;
    ovh_config_free_secret(a->token_value);
    free(a);
}

void api_stats(const struct api *a, struct api_stats *out)
{
    *out = a->stats;
}

int api_result_describe(const struct api_result *r, struct buf *out)
{
    int rc = buf_adds(out, r->message ? r->message : "no message");

    if (!rc && r->query_id)
        rc = buf_addf(out, " (X-OVH-QueryID: %s)", r->query_id);
    return rc;
}

const char *api_endpoint(const struct api *a)
{
    return a->ep->name;
}

static void req_free(struct api_req *r)
{
    free(r->path);
    free(r->url);
    free(r->body);
    free(r);
}

/* What a message calls the request: its API path (/auth/time included),
 * or for the OAuth2 token request the token URL it posts to. */
static const char *req_name(const struct api_req *r)
{
    return r->path ? r->path : "(the request)";
}

/* Finish a call: run its callback with @p res, then free it. */
static void req_finish(struct api_req *r, struct api_result *res)
{
    res->attempts = r->attempts;
    r->fn(r->ctx, res);
    req_free(r);
}

/* Finish a call with a failure that has no HTTP answer behind it. */
static void req_fail(struct api_req *r, enum api_status st, const char *msg,
                     const char *hint)
{
    struct api_result res = {0};

    res.maybe_applied = r->maybe_applied;
    res.status = st;
    res.message = msg;
    res.hint = hint;
    req_finish(r, &res);
}

/* Uniform random number in [0, n). */
static uint64_t rnd(struct api *a, uint64_t n)
{
    a->rng ^= a->rng << 13;
    a->rng ^= a->rng >> 7;
    a->rng ^= a->rng << 17;
    return n ? a->rng % n : 0;
}

/* Exponential backoff with "equal jitter": half fixed, half random, so
 * that retries of many servers spread out. */
static long backoff_ms(struct api *a, int attempt)
{
    long d = a->o.backoff_base_ms;
    int i;

    for (i = 1; i < attempt && d < a->o.backoff_max_ms; i++)
        d *= 2;
    if (d > a->o.backoff_max_ms)
        d = a->o.backoff_max_ms;
    return d / 2 + (long)rnd(a, (uint64_t)(d / 2 + 1));
}

/* Retry-After in ms: delta-seconds or an HTTP date; -1 if absent. */
static long retry_after_ms(const char *v)
{
    char *end;
    long s;
    time_t when;

    if (!v || !*v)
        return -1;
    s = strtol(v, &end, 10);
    if (end == v || *end) {
        when = curl_getdate(v, NULL);
        if (when < 0)
            return -1;
        s = (long)(when - time(NULL));
    }
    if (s < 0)
        s = 0;
    if (s > RETRY_AFTER_MAX)
        s = RETRY_AFTER_MAX;
    return s * 1000;
}

/* Schedule another try after @p delay_ms; false if the deadline or the
 * retry budget does not allow it. */
static bool req_retry(struct api_req *r, long delay_ms)
{
    struct api *a = r->a;

    if (r->flags & API_NO_RETRY)
        return false;
    if (r->attempts > a->o.retries &&
        (!(r->flags & API_SETTLE) || r->attempts > API_SETTLE_RETRIES))
        return false;
    if (r->deadline && http_now_ms() + delay_ms >= r->deadline)
        return false;
    if (http_after(a->http, delay_ms, req_go_timer, r))
        return false;
    a->stats.retries++;
    return true;
}

/* Wake every call of a wait queue: each goes on, or fails with @p msg. */
static void wake(struct api_req **queue, const char *msg, const char *hint)
{
    struct api_req *r = *queue, *next;

    *queue = NULL;
    for (; r; r = next) {
        next = r->next;
        r->next = NULL;
        if (msg)
            req_fail(r, API_ERR_AUTH, msg, hint);
        else
            req_go(r);
    }
}

/* Clock --------------------------------------------------------------- */

/* A failure's message, or what stands for it when it could not be built
 * (@p rc): never a part of one. */
static const char *msg_text(const struct buf *msg, int rc)
{
    if (rc == -E2BIG)
        return "(the message is too long to show)";
    return rc ? "out of memory" : msg->data;
}

static void on_time(void *ctx, const struct api_result *res)
{
    struct api *a = ctx;
    struct buf msg;
    int rc;

    if (res->status == API_OK && json_is_integer(res->json)) {
        a->time_delta =
            (long long)json_integer_value(res->json) - (long long)time(NULL);
        a->time = AUTH_KNOWN;
        a->time_gen++;
        wake(&a->time_wait, NULL, NULL);
        return;
    }
    a->time = AUTH_UNKNOWN;
    buf_init(&msg, 4096);
    rc = buf_addf(&msg, "cannot read the API clock (GET /auth/time): %s",
                  res->message ? res->message : "the answer is not a number");
    if (!rc && res->query_id)
        rc = buf_addf(&msg, " (X-OVH-QueryID: %s)", res->query_id);
    wake(&a->time_wait, msg_text(&msg, rc),
         res->hint ? res->hint
                   : "the API is unreachable or failing; run the command "
                     "again later");
    buf_release(&msg);
}

static int time_fetch(struct api *a)
{
    a->time = AUTH_FETCHING;
    return api_call(a, "GET", "/auth/time", NULL, API_UNSIGNED, on_time, a);
}

/* OAuth2 -------------------------------------------------------------- */

/* Percent-encode @p s for a form body (RFC 3986 unreserved kept). */
static int form_add(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    int rc = 0;

    for (; *s && !rc; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
            (ch >= '0' && ch <= '9') || strchr("-._~", ch))
            rc = buf_addch(b, (char)ch);
        else
            rc = buf_addf(b, "%%%c%c", hex[ch >> 4], hex[ch & 15]);
    }
    return rc;
}

static void on_token(void *ctx, const struct api_result *res)
{
    struct api *a = ctx;
    const char *tok = NULL;
    json_int_t expires = 0;
    struct buf msg;
    int rc;

    if (res->status == API_OK &&
        json_unpack(res->json, "{s:s, s?:I}", "access_token", &tok,
                    "expires_in", &expires) == 0 &&
        *tok) {
        ovh_config_free_secret(a->token_value);
        a->token_value = strdup(tok);
        if (a->token_value) {
            if (expires <= 0)
                expires = 3600;
            a->token_expires = http_now_ms() + (int64_t)expires * 1000;
            a->token = AUTH_KNOWN;
            a->token_gen++;
            wake(&a->token_wait, NULL, NULL);
            return;
        }
    }
    a->token = AUTH_UNKNOWN;
    buf_init(&msg, 4096);
    rc = buf_addf(
        &msg, "cannot get an OAuth2 token from %s: %s", a->ep->token_url,
        res->message ? res->message : "no access_token in the answer");
    wake(&a->token_wait, msg_text(&msg, rc),
         "check client_id and client_secret for this endpoint");
    buf_release(&msg);
}

static int token_fetch(struct api *a)
{
    struct api_req *r = calloc(1, sizeof(*r));
    struct buf body;

    if (!r)
        return -ENOMEM;
    buf_init(&body, 1 << 16);
    if (buf_adds(&body, "grant_type=client_credentials&client_id=") ||
        form_add(&body, a->cfg->client_id) ||
        buf_adds(&body, "&client_secret=") ||
        form_add(&body, a->cfg->client_secret) || buf_adds(&body, "&scope=all"))
        goto err;
    r->a = a;
    r->kind = REQ_TOKEN;
    snprintf(r->method, sizeof(r->method), "%s", "POST");
    r->path = strdup(a->ep->token_url);
    r->url = strdup(a->ep->token_url);
    r->body = buf_detach(&body, &r->body_len);
    if (!r->path || !r->url || !r->body)
        goto err;
    r->fn = on_token;
    r->ctx = a;
    if (a->o.call_deadline_ms)
        r->deadline = http_now_ms() + a->o.call_deadline_ms;
    a->token = AUTH_FETCHING;
    req_go(r);
    return 0;
err:
    if (body.len)
        memset(body.data, 0, body.len);
    buf_release(&body);
    if (r->body)
        memset(r->body, 0, r->body_len);
    req_free(r);
    return -ENOMEM;
}

/* Sending ------------------------------------------------------------- */

static void on_xfer(void *ctx, const struct http_xfer *x);

static bool needs_time(const struct api_req *r)
{
    return r->kind == REQ_API && !(r->flags & API_UNSIGNED) &&
           r->a->cfg->auth == OVH_CONFIG_AUTH_KEYS;
}

static bool needs_token(const struct api_req *r)
{
    return r->kind == REQ_API && !(r->flags & API_UNSIGNED) &&
           r->a->cfg->auth == OVH_CONFIG_AUTH_OAUTH2;
}

/* Append one header line to *@p h; false when out of memory. */
static bool header_add(struct curl_slist **h, const char *line)
{
    struct curl_slist *n = curl_slist_append(*h, line);

    if (!n)
        return false;
    *h = n;
    return true;
}

/* Format a header line in @p line and append it.  The line's earlier
 * text is wiped first: it may have held a secret. */
static bool header_addf(struct curl_slist **h, struct buf *line,
                        const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool header_addf(struct curl_slist **h, struct buf *line,
                        const char *fmt, ...)
{
    va_list ap;
    int rc;

    if (line->len)
        memset(line->data, 0, line->len);
    buf_truncate(line, 0);
    va_start(ap, fmt);
    rc = buf_vaddf(line, fmt, ap);
    va_end(ap);
    return !rc && header_add(h, line->data);
}

/* Build the headers: authentication last, from the current clock. */
static struct curl_slist *req_headers(struct api_req *r)
{
    struct api *a = r->a;
    const struct ovh_config *cfg = a->cfg;
    struct curl_slist *h = NULL;
    char ts[32], sig[SIGN_LEN];
    struct buf line;
    bool ok;

    buf_init(&line, 1 << 16);
    /* No "Expect: 100-continue" round trip on large bodies. */
    ok = header_add(&h, "Accept: application/json") &&
         header_add(&h, "Expect:") &&
         header_add(&h, r->kind == REQ_TOKEN
                            ? "Content-Type: application/x-www-form-urlencoded"
                        : r->body ? "Content-Type: application/json"
                                  : "Content-Type:");

    /* python-ovh sends the application key on unsigned calls too. */
    if (ok && r->kind != REQ_TOKEN && cfg->auth == OVH_CONFIG_AUTH_KEYS)
        ok = header_addf(&h, &line, "X-Ovh-Application: %s",
                         cfg->application_key);
    if (ok && needs_time(r)) {
        const char *ck = cfg->consumer_key ? cfg->consumer_key : "";
        snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL) + a->time_delta);
        sign_request(cfg->application_secret, ck, r->method, r->url, r->body,
                     r->body_len, ts, sig);
        r->time_gen = a->time_gen;
        ok = header_addf(&h, &line, "X-Ovh-Consumer: %s", ck) &&
             header_addf(&h, &line, "X-Ovh-Timestamp: %s", ts) &&
             header_addf(&h, &line, "X-Ovh-Signature: %s", sig);
    }
    if (ok && needs_token(r)) {
        r->token_gen = a->token_gen;
        ok = header_addf(&h, &line, "Authorization: Bearer %s", a->token_value);
    }
    /* The line held a secret; curl keeps its own copy. */
    if (line.len)
        memset(line.data, 0, line.len);
    buf_release(&line);
    if (!ok) {
        curl_slist_free_all(h);
        return NULL;
    }
    return h;
}

/* Send now (the bucket already admitted it). */
static void req_fire(void *ctx)
{
    struct api_req *r = ctx;
    struct api *a = r->a;
    struct curl_slist *h;

    /* The clock or the token may have been invalidated while waiting. */
    if ((needs_time(r) && a->time != AUTH_KNOWN) ||
        (needs_token(r) && a->token != AUTH_KNOWN)) {
        req_go(r);
        return;
    }
    h = req_headers(r);
    if (!h) {
        req_fail(r, API_ERR_LOCAL, "out of memory", NULL);
        return;
    }
    r->attempts++;
    a->stats.requests++;
    /* A call that must not run twice goes on a new connection: libcurl
     * sends a request again by itself when a reused connection turns out
     * dead, and the first may have been carried out. */
    if (http_send(a->http, r->method, r->url, h, r->body, r->body_len,
                  (r->flags & API_NOT_IDEMPOTENT) ? HTTP_FRESH_CONNECTION : 0,
                  on_xfer, r))
        req_fail(r, API_ERR_LOCAL, "cannot start a transfer", NULL);
}

/* Milliseconds on the monotonic clock, finer than http_now_ms(): the
 * bucket spaces requests by fractions of a millisecond at high rates. */
static double bucket_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void bucket_pump(void *ctx);

/* Arm the pump for when the bucket next has a slot. */
static void bucket_arm(struct api *a)
{
    double wait = a->tat - a->tau - bucket_now();

    if (a->bucket_timer || !a->bucket_head)
        return;
    /* Round up: a timer that fires early only re-arms. */
    if (!http_after(a->http, wait > 0 ? (long)(wait + 0.999) : 0, bucket_pump,
                    a))
        a->bucket_timer = true;
}

/* Send the waiting calls the token bucket admits now, in order.  The
 * bucket is a GCRA: a theoretical arrival time (tat) advanced by one
 * interval per request sent, which may run at most tau (the burst) ahead
 * of now.  It advances from the time a request really goes, not from when
 * it was queued, so an event loop that fires late delays the requests
 * after it instead of sending them closer together: the rate holds over
 * any window, whatever the load. */
static void bucket_pump(void *ctx)
{
    struct api *a = ctx;
    struct api_req *r;
    double now;

    a->bucket_timer = false;
    while (a->bucket_head) {
        now = bucket_now();
        if (a->tat - a->tau > now)
            break;
        r = a->bucket_head;
        a->bucket_head = r->next;
        if (!a->bucket_head)
            a->bucket_tail = &a->bucket_head;
        r->next = NULL;
        a->tat = (a->tat > now ? a->tat : now) + a->interval_ms;
        req_fire(r);
    }
    bucket_arm(a);
}

/* Queue a call for a send slot; without a rate limit it goes at once. */
static void bucket_enqueue(struct api *a, struct api_req *r)
{
    if (a->interval_ms <= 0) {
        req_fire(r);
        return;
    }
    r->next = NULL;
    *a->bucket_tail = r;
    a->bucket_tail = &r->next;
    if (!a->bucket_timer && a->bucket_head == r)
        bucket_pump(a);
    else
        bucket_arm(a);
}

/* Move a call forward: wait for the clock or a token, then a slot. */
static void req_go(struct api_req *r)
{
    struct api *a = r->a;

    if (r->deadline && http_now_ms() >= r->deadline) {
        req_fail(r, API_ERR_DEADLINE,
                 "gave up: the call's deadline passed while retrying",
                 "raise --timeout, or run the command again later");
        return;
    }
    if (needs_time(r) && a->time != AUTH_KNOWN) {
        r->next = a->time_wait;
        a->time_wait = r;
        if (a->time == AUTH_UNKNOWN && time_fetch(a))
            wake(&a->time_wait, "out of memory", NULL);
        return;
    }
    if (needs_token(r) &&
        (a->token != AUTH_KNOWN ||
         a->token_expires - http_now_ms() < TOKEN_MARGIN_MS)) {
        if (a->token == AUTH_KNOWN)
            a->token = AUTH_UNKNOWN;
        r->next = a->token_wait;
        a->token_wait = r;
        if (a->token == AUTH_UNKNOWN && token_fetch(a))
            wake(&a->token_wait, "out of memory", NULL);
        return;
    }
    if (r->kind == REQ_TOKEN) {
        req_fire(r);
        return;
    }
    bucket_enqueue(a, r);
}

static void req_go_timer(void *ctx)
{
    req_go(ctx);
}

static void log_attempt(struct api_req *r, const struct http_xfer *x)
{
    struct api_log_entry e;

    if (!r->a->o.log)
        return;
    e.method = r->method;
    e.url = r->url;
    e.status = x->status;
    e.query_id = x->query_id;
    e.error = x->curl_code ? x->error : NULL;
    e.attempt = r->attempts;
    e.elapsed_ms = x->elapsed_ms;
    r->a->o.log(r->a->o.log_ctx, &e);
}

/* A transport failure: retry when safe, else report it. */
static void on_transport_error(struct api_req *r, const struct http_xfer *x)
{
    struct api *a = r->a;
    struct buf msg;
    bool safe = !(r->flags & API_NOT_IDEMPOTENT) || !x->maybe_sent;
    struct api_result res = {0};
    int rc;

    if (x->maybe_sent)
        r->maybe_applied = true;
    /* An answer too large to keep is as large when asked again. */
    if (!x->tls_failure && !x->too_large && safe &&
        req_retry(r, backoff_ms(a, r->attempts)))
        return;
    buf_init(&msg, 4096);
    if (x->tls_failure) {
        rc = buf_addf(&msg, "refused the TLS certificate of %s: %s",
                      a->ep->base, x->error);
        res.status = API_ERR_TLS;
        res.hint = "if the endpoint uses a private CA, give it with "
                   "--cacert FILE; verification cannot be turned off";
    } else if (x->too_large) {
        rc = buf_addf(&msg, "refused the answer of %s to %s %s: %s",
                      a->ep->base, r->method, req_name(r), x->error);
        res.status = API_ERR_RESPONSE;
        res.hint = "no API answer is that large: check the endpoint and "
                   "what answers on it";
    } else {
        rc = buf_addf(&msg, "no answer from %s on %s %s: %s%s", a->ep->base,
                      r->method, req_name(r), x->error,
                      r->attempts > 1 ? " (after retries)" : "");
        res.status = API_ERR_TRANSPORT;
        res.hint = "check the network and the endpoint; run the command "
                   "again, it only changes what is not done yet";
    }
    res.message = msg_text(&msg, rc);
    res.maybe_applied = r->maybe_applied || x->maybe_sent;
    req_finish(r, &res);
    buf_release(&msg);
}

/* An HTTP error status: retry, re-sync, re-authenticate, or report. */
static void on_http_error(struct api_req *r, const struct http_xfer *x)
{
    struct api *a = r->a;
    struct apierr e;
    struct buf msg, hint;
    struct api_result res = {0};
    bool idempotent = !(r->flags & API_NOT_IDEMPOTENT);
    long delay;
    int rc;

    if (apierr_parse(&e, x->status, x->body.data, x->body.len)) {
        req_fail(r, API_ERR_LOCAL, "out of memory", NULL);
        return;
    }
    /* A 5xx may come after the work was done. */
    if (x->status >= 500)
        r->maybe_applied = true;

    /* Throttled: the request was refused, so any call may retry. */
    if (x->status == 429) {
        a->stats.throttled++;
        delay = retry_after_ms(x->retry_after);
        if (delay < 0)
            delay = backoff_ms(a, r->attempts);
        else
            delay += (long)rnd(a, 250); /* do not retry all at once */
        if (req_retry(r, delay))
            goto out;
    } else if (x->status >= 500 && idempotent) {
        if (req_retry(r, backoff_ms(a, r->attempts)))
            goto out;
    } else if (needs_time(r) && apierr_is_signature(&e) && !r->resynced) {
        /* Signed with a clock read before the last one: just sign again.
         * Otherwise re-read the clock, once per process. */
        r->resynced = true;
        if (r->time_gen != a->time_gen) {
            req_go(r);
            goto out;
        }
        if (!a->stats.resyncs) {
            a->stats.resyncs++;
            a->time = AUTH_UNKNOWN;
            req_go(r);
            goto out;
        }
    } else if (needs_token(r) && x->status == 401 && !r->reauthed) {
        r->reauthed = true;
        if (r->token_gen == a->token_gen)
            a->token = AUTH_UNKNOWN;
        req_go(r);
        goto out;
    }

    buf_init(&msg, 4096);
    buf_init(&hint, 4096);
    if (r->kind == REQ_API)
        rc = apierr_describe(&e, r->method, r->path, a->ep->name, &msg, &hint);
    else
        rc = buf_addf(&msg, "HTTP %ld%s%s%s%s", x->status, e.code ? ": " : "",
                      e.code ? e.code : "", e.message ? ": " : "",
                      e.message ? e.message : "");
    res.status = API_ERR_HTTP;
    res.http_status = x->status;
    res.query_id = x->query_id;
    res.code = e.code;
    res.message = msg_text(&msg, rc);
    res.hint = hint.len ? hint.data : NULL;
    res.maybe_applied = r->maybe_applied;
    req_finish(r, &res);
    buf_release(&msg);
    buf_release(&hint);
out:
    apierr_release(&e);
}

static void on_xfer(void *ctx, const struct http_xfer *x)
{
    struct api_req *r = ctx;
    struct api *a = r->a;
    struct api_result res = {0};
    json_error_t jerr;
    json_t *json = NULL;
    struct buf msg;
    int rc;

    log_attempt(r, x);
    if (x->curl_code) {
        on_transport_error(r, x);
        return;
    }
    if (x->status < 200 || x->status >= 300) {
        on_http_error(r, x);
        return;
    }

    /* A 2xx: the body is JSON, or empty (204, a void PUT). */
    if (x->body.len &&
        apierr_json_values(x->body.data, x->body.len, APIERR_MAX_JSON_VALUES) >
            APIERR_MAX_JSON_VALUES) {
        /* Parsing would take many times the answer's size: refused, and
         * not asked again (the same answer would come back). */
        buf_init(&msg, 4096);
        rc = buf_addf(&msg,
                      "refused the answer of %s to %s %s: it holds more "
                      "than %d JSON values",
                      a->ep->base, r->method, req_name(r),
                      APIERR_MAX_JSON_VALUES);
        res.status = API_ERR_RESPONSE;
        res.http_status = x->status;
        res.query_id = x->query_id;
        res.message = msg_text(&msg, rc);
        res.hint = "no API answer is that large: check the endpoint and "
                   "what answers on it";
        res.maybe_applied = true;
        req_finish(r, &res);
        buf_release(&msg);
        return;
    }
    if (x->body.len) {
        json = json_loadb(x->body.data, x->body.len, JSON_DECODE_ANY, &jerr);
        if (!json) {
            r->maybe_applied = true;
            if (!(r->flags & API_NOT_IDEMPOTENT) &&
                req_retry(r, backoff_ms(a, r->attempts)))
                return;
            buf_init(&msg, 4096);
            rc = buf_addf(&msg,
                          "the API answered %s %s with a body that is "
                          "not JSON (%s at byte %d)",
                          r->method, req_name(r), jerr.text, jerr.position);
            res.status = API_ERR_RESPONSE;
            res.http_status = x->status;
            res.query_id = x->query_id;
            res.message = msg_text(&msg, rc);
            res.hint = "a proxy or a fault in the API; run the command again";
            res.maybe_applied = true;
            req_finish(r, &res);
            buf_release(&msg);
            return;
        }
    }
    res.status = API_OK;
    res.http_status = x->status;
    res.json = json;
    res.query_id = x->query_id;
    req_finish(r, &res);
    json_decref(json);
}

int api_call(struct api *a, const char *method, const char *path, json_t *body,
             unsigned flags, api_done_fn fn, void *ctx)
{
    struct api_req *r;
    struct buf url;

    if (!(flags & API_UNSIGNED) && a->cfg->auth == OVH_CONFIG_AUTH_NONE)
        return -EPERM;
    r = calloc(1, sizeof(*r));
    if (!r)
        return -ENOMEM;
    r->a = a;
    r->kind = strcmp(path, "/auth/time") == 0 ? REQ_TIME : REQ_API;
    snprintf(r->method, sizeof(r->method), "%s", method);
    r->flags = flags;
    r->fn = fn;
    r->ctx = ctx;
    r->path = strdup(path);
    buf_init(&url, 1 << 16);
    if (!r->path || endpoint_url(a->ep, path, &url))
        goto err;
    r->url = buf_detach(&url, NULL);
    if (!r->url)
        goto err;
    if (body) {
        /* spec §2: serialise once; these bytes are signed and sent. */
        r->body = json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII |
                                       JSON_ENCODE_ANY);
        if (!r->body)
            goto err;
        r->body_len = strlen(r->body);
    }
    if (a->o.call_deadline_ms)
        r->deadline = http_now_ms() + a->o.call_deadline_ms;
    req_go(r);
    return 0;
err:
    buf_release(&url);
    req_free(r);
    return -ENOMEM;
}
