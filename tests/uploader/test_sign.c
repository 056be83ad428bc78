/* SPDX-License-Identifier: MIT */
/** @file The signature vectors of spec/ovh-api.md §2 and FIPS 180 hashes. */
#include <string.h>

#include "sha.h"
#include "sign.h"
#include "test.h"

/* The revoked credentials both official test suites use. */
#define AS1 "9ufkBmLaTQ9nz5yMUlg79taH0GNnzDjk"
#define CK1 "5mBuy6SUQcRw2ZUxg0cG68BoDKpED4KY"
#define TS1 "1457018875"

/* The made-up keys of the spec's worked example. */
#define AS2 "exampleApplicationSecret00000001"
#define CK2 "exampleConsumerKey00000000000001"
#define TS2 "1700000000"
#define SRV                                                                    \
    "https://eu.api.ovh.com/1.0/dedicated/server/"                             \
    "ns1234567.ip-203-0-113.eu"

struct vector {
    const char *as, *ck, *method, *url, *body, *ts, *want;
};

static const struct vector vectors[] = {
    {AS1, CK1, "GET", "https://eu.api.ovh.com/1.0/auth", "", TS1,
     "$1$e9556054b6309771395efa467c22e627407461ad"},
    {AS1, CK1, "DELETE", "https://eu.api.ovh.com/1.0/auth", "", TS1,
     "$1$a1eecd00b3b02b6cf5708b84b9ff42059a950d85"},
    {AS1, CK1, "POST", "https://eu.api.ovh.com/1.0/auth",
     "{\"a\":\"b\",\"c\":\"d\"}", TS1,
     "$1$ec2fb5c7a81f64723c77d2e5b609ae6f58a84fc1"},
    {AS1, CK1, "PUT", "https://eu.api.ovh.com/1.0/auth",
     "{\"a\":\"b\",\"c\":\"d\"}", TS1,
     "$1$8a75a9e7c8e7296c9dbeda6a2a735eb6bd58ec4b"},
    {AS1, CK1, "GET", "https://eu.api.ovh.com/1.0/call", "", TS1,
     "$1$7f2db49253edfc41891023fcd1a54cf61db05fbb"},
    {AS1, CK1, "GET", "https://eu.api.ovh.com/v1/call", "", TS1,
     "$1$e6e7906d385eb28adcbfbe6b66c1528a42d741ad"},
    {AS1, CK1, "GET", "https://eu.api.ovh.com/v2/call", "", TS1,
     "$1$bb63b132a6f84ad5433d0c534d48d3f7c3804285"},
    /* A */
    {AS2, CK2, "GET", SRV, "", TS2,
     "$1$94b437f104d56f3ff7371a5e20dcf233db22d5ec"},
    /* B */
    {AS2, CK2, "PUT", SRV,
     "{\"bootScript\":\"#!ipxe\\ndhcp\\nchain --autofree "
     "https://boot.netboot.xyz\\n\"}",
     TS2, "$1$048d4d5a9a42049926db2956214ff372a68d18ac"},
    /* C */
    {AS2, CK2, "GET", SRV "/boot?bootType=harddisk", "", TS2,
     "$1$18fa7d1c99bea43f27482d29f5b463bd95412d8f"},
    /* D */
    {AS2, CK2, "PUT", SRV, "{\"bootId\":1}", TS2,
     "$1$85724f96796bf8ecd55e1a1da85a36d0d9fd39c0"},
    /* E */
    {AS2, CK2, "POST", SRV "/reboot", "", TS2,
     "$1$ead90179387838d41d2d86ea94e43e57289d6aec"},
    /* F */
    {AS2, CK2, "GET",
     "https://eu.api.ovh.com/v1/dedicated/server/ns1234567.ip-203-0-113.eu", "",
     TS2, "$1$704c36ab147bca12b4c4e093eb1f913e0e80d923"},
    /* G1: ASCII-escaped */
    {AS2, CK2, "PUT", SRV, "{\"bootScript\":\"#!ipxe\\necho caf\\u00e9\\n\"}",
     TS2, "$1$8fe308a92400ba80ada5c9608a233992f6575bf5"},
    /* G2: raw UTF-8 */
    {AS2, CK2, "PUT", SRV, "{\"bootScript\":\"#!ipxe\\necho caf\xc3\xa9\\n\"}",
     TS2, "$1$317f45563e1086f6ef6e10add3dc178d49f94050"},
};

static void test_vectors(void)
{
    char sig[SIGN_LEN];
    size_t i;

    for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        const struct vector *v = &vectors[i];
        sign_request(v->as, v->ck, v->method, v->url, v->body, strlen(v->body),
                     v->ts, sig);
        check_streq(sig, v->want);
    }
    /* The body lengths the spec states. */
    check(strlen(vectors[8].body) == 74);
    check(strlen(vectors[13].body) == 41);
    check(strlen(vectors[14].body) == 37);
}

static void sha1_hex_of(const void *data, size_t len, char out[41])
{
    struct sha1 s;
    unsigned char d[SHA1_LEN];

    sha1_init(&s);
    sha1_update(&s, data, len);
    sha1_final(&s, d);
    sha_hex(d, sizeof(d), out);
}

static void test_hashes(void)
{
    static const char two_blocks[] =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[65], big[1000];
    struct sha256 s;
    unsigned char d[SHA256_LEN];
    size_t i;

    sha1_hex_of("abc", 3, hex);
    check_streq(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    sha1_hex_of("", 0, hex);
    check_streq(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    sha1_hex_of(two_blocks, strlen(two_blocks), hex);
    check_streq(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");

    sha256_hex("abc", 3, hex);
    check_streq(hex, "ba7816bf8f01cfea414140de5dae2223"
                     "b00361a396177a9cb410ff61f20015ad");
    sha256_hex("", 0, hex);
    check_streq(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                     "27ae41e4649b934ca495991b7852b855");
    sha256_hex(two_blocks, strlen(two_blocks), hex);
    check_streq(hex, "248d6a61d20638b8e5c026930c3e6039"
                     "a33ce45964ff2167f6ecedd419db06c1");

    /* Feeding in odd-sized pieces gives the same digest as one call. */
    memset(big, 'a', sizeof(big));
    sha256_init(&s);
    for (i = 0; i < sizeof(big); i += 7)
        sha256_update(&s, big + i, i + 7 <= sizeof(big) ? 7 : sizeof(big) - i);
    sha256_final(&s, d);
    sha_hex(d, sizeof(d), hex);
    {
        char once[65];
        sha256_hex(big, sizeof(big), once);
        check_streq(hex, once);
    }
    sha256_hex(big, sizeof(big), hex);
    check_streq(hex, "41edece42d63e8d9bf515a9ba6932e1c"
                     "20cbc9f5a5d134645adb5db1b9737ea3");

    /* SHA-1 streams through the same buffering: odd pieces too. */
    {
        struct sha1 s1;
        unsigned char d1[SHA1_LEN];

        sha1_init(&s1);
        for (i = 0; i < sizeof(big); i += 7)
            sha1_update(&s1, big + i,
                        i + 7 <= sizeof(big) ? 7 : sizeof(big) - i);
        sha1_final(&s1, d1);
        sha_hex(d1, sizeof(d1), hex);
        check_streq(hex, "291e9a6c66994949b57ba5e650361e98fc36b1ba");
    }
}

int main(void)
{
    test_vectors();
    test_hashes();
    return test_failures ? 1 : 0;
}
