/* SPDX-License-Identifier: MIT */
/** @file Unit tests of linter/uri.c: URIs cut as iPXE's parse_uri() does
 *  (spec §5.1), the scheme table (§5.2) and the host allow-list. */
#include "uri.h"

#include <string.h>

#include "test.h"

/* Whether part @p p of @p s is present and reads @p want. */
static int part_is(const char *s, const struct uri_part *p, const char *want)
{
    return p->present && p->len == strlen(want) &&
           memcmp(s + p->off, want, p->len) == 0;
}

#define PART(s, p, want) checkx(part_is(s, &(p), want), __FILE__, __LINE__)
#define ABSENT(p)        checkx(!(p).present, __FILE__, __LINE__)

static void test_split_http(void)
{
    const char *s = "http://user:pw@boot.example.com:8080/a/b.ipxe?x=1#frag";
    struct uri_parts u;

    uri_split(s, strlen(s), &u);
    PART(s, u.scheme, "http");
    ABSENT(u.opaque);
    PART(s, u.user, "user");
    PART(s, u.password, "pw");
    PART(s, u.host, "boot.example.com");
    PART(s, u.port, "8080");
    PART(s, u.path, "/a/b.ipxe");
    PART(s, u.query, "x=1");
    PART(s, u.fragment, "frag");
    ABSENT(u.params);
}

static void test_split_params(void)
{
    const char *s = "https://h/p##params=list";
    struct uri_parts u;

    /* `##params` goes first, so its '#' is not a fragment */
    uri_split(s, strlen(s), &u);
    PART(s, u.params, "=list");
    ABSENT(u.fragment);
    PART(s, u.path, "/p");
}

static void test_split_schemes(void)
{
    struct uri_parts u;
    const char *s;

    /* digits are not scheme characters: a relative path */
    s = "192.168.0.1:8080/boot.ipxe";
    uri_split(s, strlen(s), &u);
    ABSENT(u.scheme);
    PART(s, u.path, s);

    s = "tftp6://h/x";
    uri_split(s, strlen(s), &u);
    ABSENT(u.scheme);

    /* opaque: the scheme is not followed by '/' */
    s = "iscsi:10.0.0.1::::iqn.2010-04.org.ipxe:disk";
    uri_split(s, strlen(s), &u);
    PART(s, u.scheme, "iscsi");
    PART(s, u.opaque, "10.0.0.1::::iqn.2010-04.org.ipxe:disk");
    ABSENT(u.host);

    /* x-slam and ib_srp are schemes; case is kept for the caller */
    s = "X-Slam://239.1.1.1/f";
    uri_split(s, strlen(s), &u);
    PART(s, u.scheme, "X-Slam");
    PART(s, u.host, "239.1.1.1");

    /* "//" without a scheme is a path, not an authority */
    s = "//host/x";
    uri_split(s, strlen(s), &u);
    ABSENT(u.host);
    PART(s, u.path, "//host/x");
}

static void test_split_hosts(void)
{
    struct uri_parts u;
    const char *s;

    s = "http://[fe80::1]:8080/x";
    uri_split(s, strlen(s), &u);
    PART(s, u.host, "[fe80::1]");
    PART(s, u.port, "8080");

    s = "http://[fe80::1]/x";
    uri_split(s, strlen(s), &u);
    PART(s, u.host, "[fe80::1]");
    ABSENT(u.port);

    s = "http://anon@h";
    uri_split(s, strlen(s), &u);
    PART(s, u.user, "anon");
    ABSENT(u.password);
    PART(s, u.host, "h");
    ABSENT(u.path);

    s = "http://h?q";
    uri_split(s, strlen(s), &u);
    PART(s, u.host, "h");
    PART(s, u.query, "q");
}

static void test_schemes(void)
{
    const struct uri_scheme *sc;

    check(uri_scheme_find("HTTPS", 5) != NULL);
    check(uri_scheme_find("https", 4) != NULL); /* "http" */
    check(uri_scheme_find("htpp", 4) == NULL);
    sc = uri_scheme_find("https", 5);
    check(sc && sc->efi && !sc->pcbios);
    sc = uri_scheme_find("file", 4);
    check(sc && sc->efi && !sc->pcbios);
    sc = uri_scheme_find("ftp", 3);
    check(sc && !sc->efi && !sc->pcbios);
    sc = uri_scheme_suggest("htpp", 4);
    check(sc && strcmp(sc->name, "http") == 0);
    sc = uri_scheme_suggest("tfpt", 4);
    check(sc && strcmp(sc->name, "tftp") == 0);
    sc = uri_scheme_suggest("hhttps", 6);
    check(sc && strcmp(sc->name, "https") == 0);
    check(uri_scheme_suggest("c", 1) == NULL);
    check(uri_scheme_suggest("rsync", 5) == NULL);
}

static void test_hosts(void)
{
    static const char *const allowed[] = {"boot.example.com", "*.cdn.example",
                                          ".corp.example", NULL};

    check(uri_host_allowed("boot.example.com", 16, allowed));
    check(uri_host_allowed("BOOT.Example.COM.", 17, allowed));
    check(!uri_host_allowed("boot.example.net", 16, allowed));
    check(uri_host_allowed("eu.cdn.example", 14, allowed));
    check(!uri_host_allowed("cdn.example", 11, allowed));
    check(!uri_host_allowed("evilcdn.example", 15, allowed));
    check(uri_host_allowed("a.b.corp.example", 16, allowed));
    check(!uri_host_allowed("x", 1, NULL));
}

int main(void)
{
    test_split_http();
    test_split_params();
    test_split_schemes();
    test_split_hosts();
    test_schemes();
    test_hosts();
    return test_done();
}
