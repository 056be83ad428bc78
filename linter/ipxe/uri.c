/* SPDX-License-Identifier: MIT */
/** @file URIs as iPXE reads them (spec §5.1, §5.2). */
#include "uri.h"

#include <string.h>

/* Every scheme some iPXE opener registers (spec §5.2), with what the
 * default builds have.  `https` is off for BIOS; `file` is EFI only; ftp,
 * nfs and x-slam are in the tree but off by default. */
static const struct uri_scheme schemes[] = {
    {"aoe", true, true, false, "SANBOOT_PROTO_AOE"},
    {"data", true, true, true, "DOWNLOAD_PROTO_DATA"},
    {"fcp", true, true, false, "SANBOOT_PROTO_FCP"},
    {"file", true, false, true, "DOWNLOAD_PROTO_FILE"},
    {"ftp", false, false, true, "DOWNLOAD_PROTO_FTP"},
    {"http", true, true, true, "DOWNLOAD_PROTO_HTTP"},
    {"https", true, false, true, "DOWNLOAD_PROTO_HTTPS"},
    {"ib_srp", true, true, false, "SANBOOT_PROTO_IB_SRP"},
    {"iscsi", true, true, false, "SANBOOT_PROTO_ISCSI"},
    {"mtftp", true, true, true, "DOWNLOAD_PROTO_TFTP"},
    {"nfs", false, false, true, "DOWNLOAD_PROTO_NFS"},
    {"tcp", true, true, false, "core"},
    {"tftm", true, true, true, "DOWNLOAD_PROTO_TFTP"},
    {"tftp", true, true, true, "DOWNLOAD_PROTO_TFTP"},
    {"udp", true, true, false, "core"},
    {"usb", true, true, false, "USB_BLOCK"},
    {"x-slam", false, false, true, "DOWNLOAD_PROTO_SLAM"},
};

#define NSCHEMES (sizeof(schemes) / sizeof(schemes[0]))

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool is_scheme_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_';
}

/* Whether @p n bytes at @p a and @p b are the same, any case. */
static bool same_nocase(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return false;
    }
    return true;
}

/* Whether @p len bytes at @p a equal the NUL-terminated @p b, any case. */
static bool equal_nocase(const char *a, size_t len, const char *b)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (b[i] == '\0' ||
            lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return false;
    }
    return b[len] == '\0';
}

/* The first @p c in [from, to) of @p s, or @p to. */
static size_t find(const char *s, size_t from, size_t to, char c)
{
    const char *p = from < to ? memchr(s + from, c, to - from) : NULL;

    return p ? (size_t)(p - s) : to;
}

static struct uri_part part(size_t off, size_t len)
{
    struct uri_part p = {(uint32_t)off, (uint32_t)len, true};

    return p;
}

/* The first "##params" in [0, len), or len. */
static size_t find_params(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i + 8 <= len; i++) {
        if (s[i] == '#' && memcmp(s + i, "##params", 8) == 0)
            return i;
    }
    return len;
}

void uri_split(const char *s, size_t len, struct uri_parts *out)
{
    size_t end, i, colon, path, host, host_end, at;

    memset(out, 0, sizeof(*out));

    /* `##params` is cut off first, then the fragment (parse_uri) */
    end = find_params(s, len);
    if (end < len)
        out->params = part(end + 8, len - end - 8);
    i = find(s, 0, end, '#');
    if (i < end) {
        out->fragment = part(i + 1, end - i - 1);
        end = i;
    }

    /* A scheme: only letters, '-' and '_' before the first ':' */
    for (i = 0; i < end && is_scheme_char((unsigned char)s[i]); i++)
        ;
    path = 0;
    if (i < end && s[i] == ':') {
        out->scheme = part(0, i);
        colon = i;
        if (colon + 1 >= end || s[colon + 1] != '/') {
            out->opaque = part(colon + 1, end - colon - 1);
            return;
        }
        path = colon + 1;
    }

    /* The query goes next, then the authority of a net path */
    i = find(s, path, end, '?');
    if (i < end) {
        out->query = part(i + 1, end - i - 1);
        end = i;
    }
    if (path >= end)
        return;
    if (!out->scheme.present || end - path < 2 || s[path] != '/' ||
        s[path + 1] != '/') {
        out->path = part(path, end - path);
        return;
    }
    host = path + 2;
    host_end = find(s, host, end, '/');
    out->authority_end = (uint32_t)host_end;
    if (host_end < end)
        out->path = part(host_end, end - host_end);

    /* user[:password]@ before the host, host[:port] after it */
    at = find(s, host, host_end, '@');
    if (at < host_end) {
        colon = find(s, host, at, ':');
        out->user = part(host, colon - host);
        if (colon < at)
            out->password = part(colon + 1, at - colon - 1);
        host = at + 1;
    }
    colon = host_end;
    for (i = host_end; i > host; i--) {
        if (s[i - 1] == ':') {
            colon = i - 1;
            break;
        }
    }
    if (colon < host_end && s[host_end - 1] != ']') {
        out->host = part(host, colon - host);
        out->port = part(colon + 1, host_end - colon - 1);
    } else {
        out->host = part(host, host_end - host);
    }
}

const struct uri_scheme *uri_scheme_find(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < NSCHEMES; i++) {
        if (equal_nocase(s, len, schemes[i].name))
            return &schemes[i];
    }
    return NULL;
}

/* Edit distance of two short names, any case, capped at @p max + 1. */
static unsigned distance(const char *a, size_t alen, const char *b, size_t blen,
                         unsigned max)
{
    unsigned row[17], diag, up;
    size_t i, j;

    if (alen > 16 || blen > 16)
        return max + 1;
    for (j = 0; j <= blen; j++)
        row[j] = (unsigned)j;
    for (i = 1; i <= alen; i++) {
        diag = row[0];
        row[0] = (unsigned)i;
        for (j = 1; j <= blen; j++) {
            unsigned cost =
                lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 1])
                    ? 0
                    : 1;
            unsigned v = diag + cost;

            up = row[j];
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            diag = up;
            row[j] = v;
        }
    }
    return row[blen] > max ? max + 1 : row[blen];
}

const struct uri_scheme *uri_scheme_suggest(const char *s, size_t len)
{
    const struct uri_scheme *best = NULL;
    unsigned best_d = 3, d;
    size_t i;

    for (i = 0; i < NSCHEMES; i++) {
        size_t n = strlen(schemes[i].name);

        /* Only schemes one fetches images with, and never a one-letter
         * guess: "c" for "C:\..." is not "tcp" */
        if (!schemes[i].download || len < 3)
            continue;
        d = distance(s, len, schemes[i].name, n, 2);
        /* a swap of two letters ("htpp", "tfpt") counts as one edit */
        if (d == 2 && len == n) {
            size_t k, diff = 0, first = 0;
            for (k = 0; k < n; k++) {
                if (lower((unsigned char)s[k]) != schemes[i].name[k]) {
                    if (!diff)
                        first = k;
                    diff++;
                }
            }
            if (diff == 2 && first + 1 < n &&
                lower((unsigned char)s[first]) == schemes[i].name[first + 1] &&
                lower((unsigned char)s[first + 1]) == schemes[i].name[first])
                d = 1;
        }
        if (d < best_d) {
            best_d = d;
            best = &schemes[i];
        }
    }
    return best;
}

bool uri_host_allowed(const char *host, size_t len, const char *const *allowed)
{
    const char *const *a;

    if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
        host++;
        len -= 2;
    }
    if (len && host[len - 1] == '.')
        len--;
    for (a = allowed; a && *a; a++) {
        const char *e = *a;
        size_t n = strlen(e);

        if (n && e[n - 1] == '.')
            n--;
        if (n >= 2 && e[0] == '*' && e[1] == '.') {
            e++; /* "*.example.com" works as ".example.com" */
            n--;
        }
        if (n && e[0] == '.') {
            /* a suffix: at least one more label, then the domain */
            if (len > n && same_nocase(host + len - n, e, n))
                return true;
        } else if (n == len && same_nocase(host, e, n)) {
            return true;
        }
    }
    return false;
}
