/* SPDX-License-Identifier: MIT */
/** @file The OVHcloud "$1$" request signature (spec/ovh-api.md §2). */
#ifndef IPXETOOL_UPLOADER_SIGN_H
#define IPXETOOL_UPLOADER_SIGN_H

#include <stddef.h>

/** "$1$", 40 hex digits and a NUL. */
#define SIGN_LEN (3 + 40 + 1)

/**
 * Sign one request: SHA-1 of `AS+CK+METHOD+URL+BODY+TIMESTAMP`.
 *
 * @v as, ck      application secret and consumer key (borrowed)
 * @v method      upper-case HTTP method
 * @v url         the absolute URL exactly as sent, query string included
 * @v body, len   the exact body bytes sent (NULL, 0 for none)
 * @v timestamp   the decimal string sent in X-Ovh-Timestamp
 * @v out         receives the X-Ovh-Signature value
 */
void sign_request(const char *as, const char *ck, const char *method,
                  const char *url, const char *body, size_t len,
                  const char *timestamp, char out[SIGN_LEN]);

#endif
