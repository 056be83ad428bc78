/* SPDX-License-Identifier: MIT */
/** @file SHA-1 (request signatures) and SHA-256 (journal fingerprints).
 *
 * Written here rather than taken from libcrypto: STYLE.md allows no
 * dependency beyond libc, libcurl and jansson, and libcurl's TLS backend is
 * not an interface we may rely on.  Both are checked against the FIPS 180
 * examples and the OVHcloud signature vectors in tests/uploader/.
 */
#ifndef IPXETOOL_UPLOADER_SHA_H
#define IPXETOOL_UPLOADER_SHA_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN   20
#define SHA256_LEN 32

/** Streaming SHA-1 state; plain data, set up with sha1_init(). */
struct sha1 {
    uint32_t h[5];         /**< chaining value */
    uint64_t total;        /**< bytes hashed so far */
    unsigned char blk[64]; /**< pending partial block */
    size_t used;           /**< bytes pending in blk */
};

/** Streaming SHA-256 state; plain data, set up with sha256_init(). */
struct sha256 {
    uint32_t h[8];         /**< chaining value */
    uint64_t total;        /**< bytes hashed so far */
    unsigned char blk[64]; /**< pending partial block */
    size_t used;           /**< bytes pending in blk */
};

void sha1_init(struct sha1 *s);
void sha1_update(struct sha1 *s, const void *data, size_t len);
void sha1_final(struct sha1 *s, unsigned char out[SHA1_LEN]);

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, unsigned char out[SHA256_LEN]);

/** Lower-case hex of @p len bytes into @p out, which holds 2 * len + 1. */
void sha_hex(const unsigned char *digest, size_t len, char *out);

/** The SHA-256 of @p data as 64 hex digits and a NUL, into @p out. */
void sha256_hex(const void *data, size_t len, char out[2 * SHA256_LEN + 1]);

#endif
