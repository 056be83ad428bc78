/* SPDX-License-Identifier: MIT */
/** @file Unit tests of linter/uri.c: URIs cut as iPXE's parse_uri() does
 *  (spec §5.1), the scheme table (§5.2) and the host allow-list. */
#include "uri.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

/* Whether part @p p of @p s reads @p want; NULL wants the part absent. */
static int part_is(const char *s, const struct uri_part *p, const char *want)
{
    if (!want)
        return !p->present;
    return p->present && p->len == strlen(want) &&
           memcmp(s + p->off, want, p->len) == 0;
}

/** One URI and every part uri_split() must find in it (NULL: absent). */
struct split_case {
    const char *uri;
    const char *scheme, *opaque, *user, *password, *host, *port, *path, *query,
        *fragment, *params;
};

static const struct split_case split_cases[] = {
    /* uri, scheme, opaque, user, password, host, port, path, query,
     * fragment, params */
    {"http://user:pw@boot.example.com:8080/a/b.ipxe?x=1#frag", "http", NULL,
     "user", "pw", "boot.example.com", "8080", "/a/b.ipxe", "x=1", "frag",
     NULL},
    /* `##params` goes first, so its '#' is not a fragment */
    {"https://h/p##params=list", "https", NULL, NULL, NULL, "h", NULL, "/p",
     NULL, NULL, "=list"},
    /* digits are not scheme characters: a relative path */
    {"192.168.0.1:8080/boot.ipxe", NULL, NULL, NULL, NULL, NULL, NULL,
     "192.168.0.1:8080/boot.ipxe", NULL, NULL, NULL},
    {"tftp6://h/x", NULL, NULL, NULL, NULL, NULL, NULL, "tftp6://h/x", NULL,
     NULL, NULL},
    /* opaque: the scheme is not followed by '/' */
    {"iscsi:10.0.0.1::::iqn.2010-04.org.ipxe:disk", "iscsi",
     "10.0.0.1::::iqn.2010-04.org.ipxe:disk", NULL, NULL, NULL, NULL, NULL,
     NULL, NULL, NULL},
    /* x-slam and ib_srp are schemes; case is kept for the caller */
    {"X-Slam://239.1.1.1/f", "X-Slam", NULL, NULL, NULL, "239.1.1.1", NULL,
     "/f", NULL, NULL, NULL},
    /* "//" without a scheme is a path, not an authority */
    {"//host/x", NULL, NULL, NULL, NULL, NULL, NULL, "//host/x", NULL, NULL,
     NULL},
    /* hosts: IPv6 in brackets, a user without a password, a query */
    {"http://[fe80::1]:8080/x", "http", NULL, NULL, NULL, "[fe80::1]", "8080",
     "/x", NULL, NULL, NULL},
    {"http://[fe80::1]/x", "http", NULL, NULL, NULL, "[fe80::1]", NULL, "/x",
     NULL, NULL, NULL},
    {"http://anon@h", "http", NULL, "anon", NULL, "h", NULL, NULL, NULL, NULL,
     NULL},
    {"http://h?q", "http", NULL, NULL, NULL, "h", NULL, NULL, "q", NULL, NULL},
};

/* Split one case's URI and check all ten parts, the absent ones too. */
static void split_is(const struct split_case *c)
{
    const struct {
        const char *name;
        const char *want;
        size_t at; /* offset of the part in struct uri_parts */
    } parts[] = {
        {"scheme", c->scheme, offsetof(struct uri_parts, scheme)},
        {"opaque", c->opaque, offsetof(struct uri_parts, opaque)},
        {"user", c->user, offsetof(struct uri_parts, user)},
        {"password", c->password, offsetof(struct uri_parts, password)},
        {"host", c->host, offsetof(struct uri_parts, host)},
        {"port", c->port, offsetof(struct uri_parts, port)},
        {"path", c->path, offsetof(struct uri_parts, path)},
        {"query", c->query, offsetof(struct uri_parts, query)},
        {"fragment", c->fragment, offsetof(struct uri_parts, fragment)},
        {"params", c->params, offsetof(struct uri_parts, params)},
    };
    struct uri_parts u;
    size_t i;

    uri_split(c->uri, strlen(c->uri), &u);
    for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        const struct uri_part *p =
            (const struct uri_part *)((const char *)&u + parts[i].at);
        if (!check(part_is(c->uri, p, parts[i].want)))
            fprintf(stderr, "  %s of '%s': got %s'%.*s', want %s%s%s\n",
                    parts[i].name, c->uri, p->present ? "" : "absent ",
                    p->present ? (int)p->len : 0,
                    p->present ? c->uri + p->off : "", parts[i].want ? "'" : "",
                    parts[i].want ? parts[i].want : "absent",
                    parts[i].want ? "'" : "");
    }
}

static void test_split(void)
{
    size_t i;

    for (i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++)
        split_is(&split_cases[i]);
}

/* The scheme @p s is found as @p want (NULL: not found). */
static void finds_at(const char *s, size_t len, const char *want,
                     const char *file, int line)
{
    const struct uri_scheme *sc = uri_scheme_find(s, len);

    check_named(s, len, sc ? sc->name : NULL, want, file, line);
}
#define finds(s, len, want) finds_at(s, len, want, __FILE__, __LINE__)

/* "Did you mean" for @p s is @p want (NULL: no suggestion). */
static void suggests_at(const char *s, const char *want, const char *file,
                        int line)
{
    const struct uri_scheme *sc = uri_scheme_suggest(s, strlen(s));

    check_named(s, strlen(s), sc ? sc->name : NULL, want, file, line);
}
#define suggests(s, want) suggests_at(s, want, __FILE__, __LINE__)

static void test_schemes(void)
{
    const struct uri_scheme *sc;

    finds("HTTPS", 5, "https");
    finds("https", 4, "http"); /* only the bytes given count */
    finds("htpp", 4, NULL);
    sc = uri_scheme_find("https", 5);
    check(sc && sc->efi && !sc->pcbios);
    sc = uri_scheme_find("file", 4);
    check(sc && sc->efi && !sc->pcbios);
    sc = uri_scheme_find("ftp", 3);
    check(sc && !sc->efi && !sc->pcbios);
    suggests("htpp", "http");
    suggests("tfpt", "tftp");
    suggests("hhttps", "https");
    suggests("c", NULL);
    suggests("rsync", NULL);
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
    test_split();
    test_schemes();
    test_hosts();
    return test_done();
}
