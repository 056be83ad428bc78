/* SPDX-License-Identifier: MIT */
/** @file OVHcloud API endpoints. */
#include "endpoint.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* spec §1: the same seven in python-ovh, go-ovh and node-ovh. */
static const struct {
    const char *name;
    const char *base;
    const char *token_url;
} endpoints[] = {
    {"ovh-eu", "https://eu.api.ovh.com/1.0",
     "https://www.ovh.com/auth/oauth2/token"},
    {"ovh-ca", "https://ca.api.ovh.com/1.0",
     "https://ca.ovh.com/auth/oauth2/token"},
    {"ovh-us", "https://api.us.ovhcloud.com/1.0",
     "https://us.ovhcloud.com/auth/oauth2/token"},
    {"kimsufi-eu", "https://eu.api.kimsufi.com/1.0", NULL},
    {"kimsufi-ca", "https://ca.api.kimsufi.com/1.0", NULL},
    {"soyoustart-eu", "https://eu.api.soyoustart.com/1.0", NULL},
    {"soyoustart-ca", "https://ca.api.soyoustart.com/1.0", NULL},
};

const char *endpoint_names(void)
{
    return "ovh-eu, ovh-ca, ovh-us, kimsufi-eu, kimsufi-ca, soyoustart-eu, "
           "soyoustart-ca";
}

static char *dup_or_null(const char *s, bool *oom)
{
    char *p;

    if (!s)
        return NULL;
    p = strdup(s);
    if (!p)
        *oom = true;
    return p;
}

/* The token URL of a URL endpoint: its origin + "/auth/oauth2/token". */
static char *url_token_url(const char *url)
{
    const char *host = url + strlen("https://");
    size_t origin = (size_t)(host - url) + strcspn(host, "/");
    struct buf b;

    buf_init(&b, BUF_MAX_UNLIMITED);
    if (buf_add(&b, url, origin) || buf_adds(&b, "/auth/oauth2/token")) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

int endpoint_resolve(struct endpoint *ep, const char *name, struct buf *err)
{
    bool oom = false;
    size_t i, len = strlen(name);
    int rc;

    memset(ep, 0, sizeof(*ep));
    for (i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++) {
        if (strcmp(name, endpoints[i].name) != 0)
            continue;
        ep->name = dup_or_null(endpoints[i].name, &oom);
        ep->base = dup_or_null(endpoints[i].base, &oom);
        ep->token_url = dup_or_null(endpoints[i].token_url, &oom);
        goto out;
    }

    /* As go-ovh: anything with a '/' is a base URL.  Only https is
     * accepted, since TLS verification can never be turned off. */
    if (!strchr(name, '/')) {
        rc = buf_addf(err,
                      "unknown endpoint '%s' (known: %s, or an "
                      "https:// URL)",
                      name, endpoint_names());
        return rc ? rc : -EINVAL;
    }
    if (strncmp(name, "https://", 8) != 0 || len <= 8 || name[8] == '/') {
        rc = buf_addf(err,
                      "endpoint URL '%s' must start with 'https://' "
                      "and a host (TLS is always used and verified)",
                      name);
        return rc ? rc : -EINVAL;
    }
    if (name[len - 1] == '/') {
        rc = buf_addf(err, "endpoint URL '%s' must not end with '/'", name);
        return rc ? rc : -EINVAL;
    }
    ep->is_url = true;
    ep->name = dup_or_null(name, &oom);
    ep->base = dup_or_null(name, &oom);
    ep->token_url = url_token_url(name);
    if (!ep->token_url)
        oom = true;
out:
    if (oom) {
        endpoint_release(ep);
        return -ENOMEM;
    }
    return 0;
}

void endpoint_release(struct endpoint *ep)
{
    free(ep->name);
    free(ep->base);
    free(ep->token_url);
    memset(ep, 0, sizeof(*ep));
}

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* The length of the base URL without a trailing "/1.0". */
static size_t root_len(const struct endpoint *ep)
{
    size_t blen = strlen(ep->base);

    if (blen >= 4 && strcmp(ep->base + blen - 4, "/1.0") == 0)
        blen -= 4;
    return blen;
}

int endpoint_url(const struct endpoint *ep, const char *path, struct buf *out)
{
    bool versioned = (has_prefix(path, "/v1") || has_prefix(path, "/v2")) &&
                     (path[3] == '/' || path[3] == '\0' || path[3] == '?');

    /* spec §1 "Path prefixes": /v1 and /v2 replace a trailing /1.0. */
    if (buf_add(out, ep->base, versioned ? root_len(ep) : strlen(ep->base)))
        return -ENOMEM;
    return buf_adds(out, path) ? -ENOMEM : 0;
}

int endpoint_web_root(const struct endpoint *ep, struct buf *out)
{
    return buf_add(out, ep->base, root_len(ep)) ? -ENOMEM : 0;
}
