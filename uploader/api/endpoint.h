/* SPDX-License-Identifier: MIT */
/** @file OVHcloud API endpoints: the seven names, or a URL (spec §1). */
#ifndef IPXETOOL_UPLOADER_ENDPOINT_H
#define IPXETOOL_UPLOADER_ENDPOINT_H

#include <stdbool.h>

struct buf;

/** A resolved endpoint.  All strings are owned by the struct. */
struct endpoint {
    char *name;      /**< "ovh-eu"..., or the URL as given */
    char *base;      /**< base URL, e.g. "https://eu.api.ovh.com/1.0" */
    char *token_url; /**< OAuth2 token URL, NULL where OAuth2 is refused */
    bool is_url;     /**< the endpoint was given as a URL */
};

/**
 * Resolve @p name, one of the seven names or an https:// URL without a
 * trailing slash.  A URL endpoint (the emulator) gets the OAuth2 token URL
 * "<scheme://host[:port]>/auth/oauth2/token", the path the real token
 * services use.
 *
 * @ret rc  0, -EINVAL with a message in @p err, or -ENOMEM
 */
int endpoint_resolve(struct endpoint *ep, const char *name, struct buf *err);

/** Free the strings; NULL-safe fields. */
void endpoint_release(struct endpoint *ep);

/** The comma-separated list of names, for messages. */
const char *endpoint_names(void);

/**
 * The absolute URL for API @p path ("/dedicated/server/x?y=z"): base +
 * path, except that a "/v1" or "/v2" path replaces a trailing "/1.0".
 *
 * @ret rc  0 or -ENOMEM; @p out is appended to
 */
int endpoint_url(const struct endpoint *ep, const char *path, struct buf *out);

/** The web root of the endpoint (base without "/1.0"), appended to @p out. */
int endpoint_web_root(const struct endpoint *ep, struct buf *out);

#endif
