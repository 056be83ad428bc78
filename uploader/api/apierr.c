/* SPDX-License-Identifier: MIT */
/** @file OVHcloud API error bodies and the messages made from them. */
#include "apierr.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "buf.h"

/* A non-JSON body is quoted up to this many bytes. */
#define EXCERPT_MAX 160

static char *dup_str(json_t *v)
{
    return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

/* Append @p v to the list in @p out if it is a string. */
static int join_add(struct buf *out, json_t *v)
{
    if (!json_is_string(v))
        return 0;
    if ((out->len && buf_adds(out, ", ")) ||
        buf_adds(out, json_string_value(v)))
        return -ENOMEM;
    return 0;
}

/* The IAM actions listed in `details` (strings, or arrays of them),
 * joined with ", ". */
static int join_details(json_t *details, struct buf *out)
{
    const char *key;
    json_t *v, *item;
    size_t i;

    json_object_foreach(details, key, v) {
        if (join_add(out, v))
            return -ENOMEM;
        json_array_foreach(v, i, item)
            if (join_add(out, item))
                return -ENOMEM;
    }
    return 0;
}

/* A printable, one-line excerpt of a body that is not JSON. */
static char *excerpt(const char *body, size_t len)
{
    struct buf b;
    size_t i;
    bool space = false;

    buf_init(&b, EXCERPT_MAX + 8);
    for (i = 0; i < len && b.len < EXCERPT_MAX; i++) {
        unsigned char ch = (unsigned char)body[i];
        if (isspace(ch)) {
            space = b.len > 0;
            continue;
        }
        if (space && buf_addch(&b, ' '))
            break;
        space = false;
        if (buf_addch(&b, ch < 0x20 || ch >= 0x7f ? '?' : (char)ch))
            break;
    }
    /* An excerpt that cannot say it is cut is no excerpt. */
    if (i < len && buf_adds(&b, "..."))
        buf_truncate(&b, 0);
    if (!b.len) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

size_t apierr_json_values(const char *body, size_t len, size_t max)
{
    size_t n = 1, i;
    bool in_string = false;

    for (i = 0; i < len && n <= max; i++) {
        char c = body[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == ',' || c == ':' || c == '[' || c == '{') {
            n++;
        }
    }
    return n;
}

int apierr_parse(struct apierr *e, long status, const char *body, size_t len)
{
    json_t *root, *v;
    struct buf d;

    memset(e, 0, sizeof(*e));
    e->status = status;
    root = len && apierr_json_values(body, len, APIERR_MAX_JSON_VALUES) <=
                       APIERR_MAX_JSON_VALUES
               ? json_loadb(body, len, 0, NULL)
               : NULL;
    if (!json_is_object(root)) {
        json_decref(root);
        e->message = excerpt(body, len);
        return 0;
    }
    e->code = dup_str(json_object_get(root, "errorCode"));
    if (!e->code)
        e->code = dup_str(json_object_get(root, "class"));
    if (!e->code)
        e->code = dup_str(json_object_get(root, "error")); /* OAuth2 */
    e->message = dup_str(json_object_get(root, "message"));
    if (!e->message)
        e->message = dup_str(json_object_get(root, "error_description"));
    v = json_object_get(root, "details");
    if (json_is_object(v)) {
        buf_init(&d, 4096);
        if (!join_details(v, &d) && d.len)
            e->details = buf_detach(&d, NULL);
        buf_release(&d);
    }
    json_decref(root);
    return 0;
}

void apierr_release(struct apierr *e)
{
    free(e->code);
    free(e->message);
    free(e->details);
    memset(e, 0, sizeof(*e));
}

static bool code_is(const struct apierr *e, const char *code)
{
    return e->code && strcmp(e->code, code) == 0;
}

static bool message_has(const struct apierr *e, const char *word)
{
    const char *m = e->message;
    size_t n = strlen(word);

    for (; m && *m; m++)
        if (strncasecmp(m, word, n) == 0)
            return true;
    return false;
}

bool apierr_is_signature(const struct apierr *e)
{
    if (e->status != 400 && e->status != 401 && e->status != 403)
        return false;
    return code_is(e, "INVALID_SIGNATURE") || message_has(e, "signature") ||
           message_has(e, "timestamp") || message_has(e, "out of time");
}

/* The server the path names, if any, into @p out, for messages. */
static int path_server(const char *path, struct buf *out)
{
    static const char prefix[] = "/dedicated/server/";
    const char *s, *e;

    if (strncmp(path, prefix, sizeof(prefix) - 1) != 0)
        return 0;
    s = path + sizeof(prefix) - 1;
    e = s + strcspn(s, "/?");
    return buf_add(out, s, (size_t)(e - s));
}

int apierr_describe(const struct apierr *e, const char *method,
                    const char *path, const char *endpoint, struct buf *msg,
                    struct buf *hint)
{
    struct buf server;
    const char *api = e->message ? e->message : "no message";
    int rc;

    /* Every branch appends the message, then the hint if that worked. */
    buf_init(&server, 1024);
    rc = path_server(path, &server);
    if (rc) {
        buf_release(&server);
        return rc;
    }

    if (code_is(e, "NOT_CREDENTIAL")) {
        rc = buf_addf(msg,
                      "the consumer key is unknown to this application "
                      "(NOT_CREDENTIAL: %s)",
                      api);
        if (!rc)
            rc = buf_addf(hint,
                          "request a new key with 'ipxe-upload credential' "
                          "and store it as consumer_key in [%s]",
                          endpoint);
    } else if (code_is(e, "INVALID_CREDENTIAL")) {
        rc = buf_addf(msg,
                      "the consumer key is not valid: not validated yet, "
                      "expired or revoked (INVALID_CREDENTIAL: %s)",
                      api);
        if (!rc)
            rc = buf_addf(hint,
                          "open the validation URL 'ipxe-upload credential' "
                          "printed and log in, or request a new key");
    } else if (code_is(e, "NOT_GRANTED_CALL")) {
        rc = buf_addf(msg,
                      "the consumer key is not allowed to call %s %s "
                      "(NOT_GRANTED_CALL: %s)",
                      method, path, api);
        if (!rc)
            rc = buf_addf(hint,
                          "request a key with the access rules this tool needs "
                          "('ipxe-upload credential', see docs/uploader.md)");
    } else if (code_is(e, "INVALID_KEY")) {
        rc = buf_addf(msg, "the application key is not valid (INVALID_KEY: %s)",
                      api);
        if (!rc)
            rc = buf_addf(
                hint, "check application_key in [%s] or OVH_APPLICATION_KEY",
                endpoint);
    } else if (apierr_is_signature(e)) {
        rc = buf_addf(msg, "the API refused the request signature (%s%s%s)",
                      e->code ? e->code : "", e->code ? ": " : "", api);
        if (!rc)
            rc = buf_addf(hint,
                          "check application_secret and consumer_key in [%s]; "
                          "the API also says this for a malformed body",
                          endpoint);
    } else if (e->status == 403 || e->status == 401) {
        rc = buf_addf(msg, "%s %s was refused (HTTP %ld%s%s: %s)", method, path,
                      e->status, e->code ? ", " : "", e->code ? e->code : "",
                      api);
        if (!rc && e->details)
            rc = buf_addf(hint, "grant these IAM actions to the credential: %s",
                          e->details);
        else if (!rc)
            rc = buf_addf(hint, "check the credential's access rules or IAM "
                                "policy (see docs/uploader.md)");
    } else if (e->status == 404 && server.len) {
        rc = buf_addf(msg, "server '%s' was not found on %s (%s)", server.data,
                      endpoint, api);
        if (!rc)
            rc = buf_addf(hint,
                          "'ipxe-upload list' shows this account's servers; "
                          "check the name and the endpoint");
    } else if (e->status == 429) {
        rc = buf_addf(msg, "the API is rate limiting this key (HTTP 429: %s)",
                      api);
        if (!rc)
            rc = buf_addf(hint,
                          "lower --rate, or wait and run the command again");
    } else if (e->status == 460) {
        rc = buf_addf(msg, "the service has expired (HTTP 460: %s)", api);
        if (!rc)
            rc = buf_addf(hint,
                          "renew the service in the OVHcloud control panel");
    } else if (e->status >= 500) {
        rc = buf_addf(msg, "the API failed on %s %s (HTTP %ld: %s)", method,
                      path, e->status, api);
        if (!rc)
            rc =
                buf_addf(hint, "usually transient: run the same command again, "
                               "it only changes what is not done yet");
    } else {
        rc = buf_addf(msg, "%s %s failed (HTTP %ld%s%s: %s)", method, path,
                      e->status, e->code ? ", " : "", e->code ? e->code : "",
                      api);
    }
    buf_release(&server);
    return rc;
}
