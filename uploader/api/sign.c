/* SPDX-License-Identifier: MIT */
/** @file The OVHcloud "$1$" request signature. */
#include "sign.h"

#include <string.h>

#include "sha.h"

void sign_request(const char *as, const char *ck, const char *method,
                  const char *url, const char *body, size_t len,
                  const char *timestamp, char out[SIGN_LEN])
{
    struct sha1 s;
    unsigned char d[SHA1_LEN];

    /* Hashed piecewise so the secret is never copied into a buffer. */
    sha1_init(&s);
    sha1_update(&s, as, strlen(as));
    sha1_update(&s, "+", 1);
    sha1_update(&s, ck, strlen(ck));
    sha1_update(&s, "+", 1);
    sha1_update(&s, method, strlen(method));
    sha1_update(&s, "+", 1);
    sha1_update(&s, url, strlen(url));
    sha1_update(&s, "+", 1);
    if (len)
        sha1_update(&s, body, len);
    sha1_update(&s, "+", 1);
    sha1_update(&s, timestamp, strlen(timestamp));
    sha1_final(&s, d);

    memcpy(out, "$1$", 3);
    sha_hex(d, sizeof(d), out + 3);
}
