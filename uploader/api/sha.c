/* SPDX-License-Identifier: MIT */
/** @file SHA-1 and SHA-256 as FIPS 180-4 defines them. */
#include "sha.h"

#include <string.h>

static uint32_t rol32(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

static uint32_t ror32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static uint32_t load_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static void store_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* SHA-1 ------------------------------------------------------------------ */

static void sha1_block(uint32_t *h, const unsigned char *blk)
{
    uint32_t w[80], a, b, c, d, e, f, k, t;
    unsigned i;

    for (i = 0; i < 16; i++)
        w[i] = load_be32(blk + 4 * i);
    for (i = 16; i < 80; i++)
        w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);

    a = h[0];
    b = h[1];
    c = h[2];
    d = h[3];
    e = h[4];
    for (i = 0; i < 80; i++) {
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        t = rol32(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol32(b, 30);
        b = a;
        a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
}

void sha1_init(struct sha1 *s)
{
    static const uint32_t iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe,
                                   0x10325476, 0xc3d2e1f0};

    memcpy(s->h, iv, sizeof(iv));
    s->total = 0;
    s->used = 0;
}

/* Both hashes buffer input the same way: fill the pending block, hash it
 * when full.  The state's fields are passed apart, as for md_pad(). */
static void md_update(unsigned char *blk, size_t *used, uint64_t *total,
                      void (*block)(uint32_t *, const unsigned char *),
                      uint32_t *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t n;

    *total += len;
    while (len) {
        n = 64 - *used;
        if (n > len)
            n = len;
        memcpy(blk + *used, p, n);
        *used += n;
        p += n;
        len -= n;
        if (*used == 64) {
            block(h, blk);
            *used = 0;
        }
    }
}

void sha1_update(struct sha1 *s, const void *data, size_t len)
{
    md_update(s->blk, &s->used, &s->total, sha1_block, s->h, data, len);
}

/* Both hashes pad the same way: 0x80, zeros, the bit length big-endian. */
static void md_pad(unsigned char *blk, size_t *used, uint64_t total,
                   void (*block)(uint32_t *, const unsigned char *),
                   uint32_t *h)
{
    uint64_t bits = total * 8;
    unsigned i;

    blk[(*used)++] = 0x80;
    if (*used > 56) {
        memset(blk + *used, 0, 64 - *used);
        block(h, blk);
        *used = 0;
    }
    memset(blk + *used, 0, 56 - *used);
    for (i = 0; i < 8; i++)
        blk[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    block(h, blk);
    *used = 0;
}

void sha1_final(struct sha1 *s, unsigned char out[SHA1_LEN])
{
    unsigned i;

    md_pad(s->blk, &s->used, s->total, sha1_block, s->h);
    for (i = 0; i < 5; i++)
        store_be32(out + 4 * i, s->h[i]);
}

/* SHA-256 ---------------------------------------------------------------- */

/* The first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes (FIPS 180-4, 4.2.2). */
static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static void sha256_block(uint32_t *h, const unsigned char *blk)
{
    uint32_t w[64], v[8], s0, s1, ch, maj, t1, t2;
    unsigned i;

    for (i = 0; i < 16; i++)
        w[i] = load_be32(blk + 4 * i);
    for (i = 16; i < 64; i++) {
        s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, h, sizeof(v));
    for (i = 0; i < 64; i++) {
        s1 = ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25);
        ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        t1 = v[7] + s1 + ch + sha256_k[i] + w[i];
        s0 = ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22);
        maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        t2 = s0 + maj;
        memmove(v + 1, v, 7 * sizeof(v[0]));
        v[4] += t1;
        v[0] = t1 + t2;
    }
    for (i = 0; i < 8; i++)
        h[i] += v[i];
}

void sha256_init(struct sha256 *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                   0xa54ff53a, 0x510e527f, 0x9b05688c,
                                   0x1f83d9ab, 0x5be0cd19};

    memcpy(s->h, iv, sizeof(iv));
    s->total = 0;
    s->used = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t len)
{
    md_update(s->blk, &s->used, &s->total, sha256_block, s->h, data, len);
}

void sha256_final(struct sha256 *s, unsigned char out[SHA256_LEN])
{
    unsigned i;

    md_pad(s->blk, &s->used, s->total, sha256_block, s->h);
    for (i = 0; i < 8; i++)
        store_be32(out + 4 * i, s->h[i]);
}

void sha_hex(const unsigned char *digest, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < len; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[2 * len] = '\0';
}

void sha256_hex(const void *data, size_t len, char out[2 * SHA256_LEN + 1])
{
    struct sha256 s;
    unsigned char d[SHA256_LEN];

    sha256_init(&s);
    sha256_update(&s, data, len);
    sha256_final(&s, d);
    sha_hex(d, sizeof(d), out);
}
