/* SPDX-License-Identifier: MIT */
/** @file iPXE's setting types and predefined settings (spec §3.3, §3.5). */
#include "settings_table.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "ascii.h"
#include "hash.h"

/* The types, in the order of enum settings_type_id (spec §3.3). */
static const struct settings_type types[] = {
    {"string", SETTINGS_TYPE_STRING},
    {"uristring", SETTINGS_TYPE_URISTRING},
    {"ipv4", SETTINGS_TYPE_IPV4},
    {"ipv6", SETTINGS_TYPE_IPV6},
    {"int8", SETTINGS_TYPE_INT8},
    {"int16", SETTINGS_TYPE_INT16},
    {"int32", SETTINGS_TYPE_INT32},
    {"uint8", SETTINGS_TYPE_UINT8},
    {"uint16", SETTINGS_TYPE_UINT16},
    {"uint32", SETTINGS_TYPE_UINT32},
    {"hex", SETTINGS_TYPE_HEX},
    {"hexhyp", SETTINGS_TYPE_HEXHYP},
    {"hexraw", SETTINGS_TYPE_HEXRAW},
    {"base64", SETTINGS_TYPE_BASE64},
    {"uuid", SETTINGS_TYPE_UUID},
    {"guid", SETTINGS_TYPE_GUID},
    {"busdevfn", SETTINGS_TYPE_BUSDEVFN},
    {"dnssl", SETTINGS_TYPE_DNSSL},
};

/** A predefined setting: its name and the type iPXE gives it. */
struct predef {
    const char *name;               /**< exact name */
    uint8_t len;                    /**< strlen(name): most names differ in
                                         length, and it is one byte */
    const struct settings_type *ty; /**< its default type */
};

/** An entry: name and type (SETTINGS_TYPE_ without the prefix). */
/** At most half full, and indices + 1 fit a byte. */
#define PREDEF_SLOTS_MAX 128

#define PREDEF(name, type)                                                     \
    {                                                                          \
        name, (uint8_t)(sizeof(name) - 1), &types[SETTINGS_TYPE_##type]        \
    }

/* The well-known settings of spec §3.5, grouped as there. */
static const struct predef predefs[] = {
    /* IPv4 and DHCP */
    PREDEF("ip", IPV4),
    PREDEF("netmask", IPV4),
    PREDEF("gateway", IPV4),
    PREDEF("static-routes", HEX),
    PREDEF("dns", IPV4),
    PREDEF("dnssl", DNSSL),
    PREDEF("domain", STRING),
    PREDEF("hostname", STRING),
    PREDEF("ntp", IPV4),
    PREDEF("syslog", IPV4),
    PREDEF("syslog6", IPV6),
    PREDEF("syslogs", STRING),
    PREDEF("dhcp-server", IPV4),
    PREDEF("filename", STRING),
    PREDEF("next-server", IPV4),
    PREDEF("root-path", STRING),
    /* SAN and autoboot */
    PREDEF("san-filename", STRING),
    PREDEF("san-drive", UINT8),
    PREDEF("san-retries", INT8),
    PREDEF("keep-san", INT8),
    PREDEF("skip-san-boot", INT8),
    PREDEF("scriptlet", STRING),
    PREDEF("initiator-iqn", STRING),
    PREDEF("username", STRING),
    PREDEF("password", STRING),
    PREDEF("reverse-username", STRING),
    PREDEF("reverse-password", STRING),
    PREDEF("uid", UINT32),
    PREDEF("gid", UINT32),
    PREDEF("user-class", STRING),
    PREDEF("vendor-class", STRING),
    PREDEF("priority", INT8),
    /* trust */
    PREDEF("trust", HEX),
    PREDEF("cert", HEX),
    PREDEF("privkey", HEX),
    PREDEF("crosscert", STRING),
    /* the network device */
    PREDEF("mac", HEX),
    PREDEF("hwaddr", HEX),
    PREDEF("bustype", STRING),
    PREDEF("busloc", UINT32),
    PREDEF("busid", HEX),
    PREDEF("linktype", STRING),
    PREDEF("chip", STRING),
    PREDEF("ifname", STRING),
    PREDEF("mtu", INT16),
    PREDEF("ssid", STRING),
    PREDEF("key", STRING),
    PREDEF("active-scan", INT8),
    /* IPv6 */
    PREDEF("ip6", IPV6),
    PREDEF("len6", INT8),
    PREDEF("gateway6", IPV6),
    PREDEF("dns6", IPV6),
    /* SMBIOS and CPUID */
    PREDEF("uuid", UUID),
    PREDEF("manufacturer", STRING),
    PREDEF("product", STRING),
    PREDEF("serial", STRING),
    PREDEF("asset", STRING),
    PREDEF("board-serial", STRING),
    PREDEF("cpuvendor", STRING),
    PREDEF("cpumodel", STRING),
    /* builtin */
    PREDEF("errno", UINT32),
    PREDEF("buildarch", STRING),
    PREDEF("platform", STRING),
    PREDEF("version", STRING),
    PREDEF("unixtime", UINT32),
    PREDEF("cwuri", STRING),
    PREDEF("cwduri", STRING),
    PREDEF("sysmac", HEX),
    PREDEF("dmesg", STRING),
    PREDEF("vram", BASE64),
    /* miscellaneous */
    PREDEF("memsize", INT32),
    PREDEF("keymap", STRING),
    PREDEF("peerdist", INT8),
    PREDEF("peerhost", STRING),
};

/* Whether @p s (@p len bytes) is exactly the C string @p name. */
static bool name_is(const char *s, size_t len, const char *name)
{
    /* the first byte settles most comparisons without strlen */
    return len && s[0] == name[0] && strlen(name) == len &&
           memcmp(s, name, len) == 0;
}

const struct settings_type *settings_type_find(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (name_is(name, len, types[i].name))
            return &types[i];
    }
    return NULL;
}

const struct settings_type *settings_types(size_t *n)
{
    *n = sizeof(types) / sizeof(types[0]);
    return types;
}

const char *settings_predef_name(size_t i)
{
    if (i >= sizeof(predefs) / sizeof(predefs[0]))
        return NULL;
    return predefs[i].name;
}

bool settings_type_storable(const struct settings_type *t)
{
    return t->id != SETTINGS_TYPE_BUSDEVFN && t->id != SETTINGS_TYPE_DNSSL;
}

bool settings_type_is_uint(const struct settings_type *t)
{
    return t->id == SETTINGS_TYPE_UINT8 || t->id == SETTINGS_TYPE_UINT16 ||
           t->id == SETTINGS_TYPE_UINT32;
}

/* ---- value parsers, as iPXE's (spec §3.3) ---- */

/*
 * iPXE's strtoul (src/core/string.c) over [*p, end): optional sign, base 0
 * ("0x" hex, leading "0" octal, else decimal).  Advances *p past what it
 * consumed; returns whether any digit was read.  The value saturates at
 * UINT32_MAX + 1 so a caller can range-check without overflow.
 */
static bool strtoul0(const char **p, const char *end, uint64_t *value)
{
    const char *s = *p;
    unsigned int base = 10;
    bool any = false;
    uint64_t v = 0;

    if (s < end && (*s == '-' || *s == '+'))
        s++;
    if (s < end && *s == '0') {
        s++;
        any = true; /* a lone "0" is a number */
        base = 8;
        if (s < end && (*s == 'x' || *s == 'X')) {
            s++;
            base = 16;
        }
    }
    while (s < end) {
        int d = ascii_hex_digit(*s);
        if (d < 0 || (unsigned int)d >= base)
            break;
        v = v * base + (unsigned int)d;
        if (v > (uint64_t)UINT32_MAX + 1)
            v = (uint64_t)UINT32_MAX + 1;
        any = true;
        s++;
    }
    *p = s;
    *value = v;
    return any;
}

/* inet_aton as iPXE has it: four strtoul parts, each <= 255, joined by
 * dots, nothing after. */
static bool parses_ipv4(const char *s, const char *end)
{
    int part;

    for (part = 0; part < 4; part++) {
        uint64_t v;
        if (!strtoul0(&s, end, &v) || v > 0xff)
            return false;
        if (part < 3) {
            if (s >= end || *s != '.')
                return false;
            s++;
        }
    }
    return s == end;
}

/* Loose IPv6 check: hex digits, ':' (at least two) and '.' only. */
static bool parses_ipv6(const char *s, const char *end)
{
    unsigned int colons = 0;

    for (; s < end; s++) {
        if (*s == ':')
            colons++;
        else if (*s != '.' && ascii_hex_digit(*s) < 0)
            return false;
    }
    return colons >= 2;
}

/* Hex byte pairs, each pair optionally followed by @p sep (0: none).  The
 * separator is accepted as optional, to stay on the safe side of iPXE
 * versions that differ here. */
static bool parses_hex(const char *s, const char *end, char sep)
{
    while (s < end) {
        if (end - s < 2 || ascii_hex_digit(s[0]) < 0 || ascii_hex_digit(s[1]) < 0)
            return false;
        s += 2;
        if (s < end && sep && *s == sep) {
            s++;
            if (s == end)
                return false; /* a trailing separator */
        }
    }
    return true;
}

/* A UUID: 32 hex digits, hyphens anywhere between pairs. */
static bool parses_uuid(const char *s, const char *end)
{
    unsigned int digits = 0;

    for (; s < end; s++) {
        if (*s == '-')
            continue;
        if (ascii_hex_digit(*s) < 0)
            return false;
        digits++;
    }
    return digits == 32;
}

static bool parses_base64(const char *s, const char *end)
{
    for (; s < end; s++) {
        char c = *s;
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '='))
            return false;
    }
    return true;
}

/* Whether @p name is a numeric tag: numbers separated by '.', each read
 * whole by strtoul base 0 (spec §3.1), e.g. `12` or `175.81`. */
static bool is_numeric_tag(const char *name, size_t len)
{
    const char *p = name;
    const char *end = name + len;
    uint64_t v;

    if (len == 0)
        return false;
    while (p < end) {
        if (*p == '-' || *p == '+' || !strtoul0(&p, end, &v))
            return false;
        if (p == end)
            return true;
        if (*p != '.')
            return false;
        p++;
        if (p == end)
            return false;
    }
    return true;
}

_Static_assert(sizeof(predefs) / sizeof(predefs[0]) < PREDEF_SLOTS_MAX,
               "the predefined settings outgrew their hash table");

/* The predefined settings by name: an open-addressing hash of their
 * indices + 1 (0: empty), built once.  The engine asks for every name a
 * script expands, so a look-up is one hash, not a walk of the table. */
#define PREDEF_SLOTS 256
static uint8_t predef_index[PREDEF_SLOTS];
static pthread_once_t predef_once = PTHREAD_ONCE_INIT;

static void predef_index_build(void)
{
    size_t i, n = sizeof(predefs) / sizeof(predefs[0]);

    for (i = 0; i < n; i++) {
        uint32_t h = hash_fnv1a(predefs[i].name, predefs[i].len);

        while (predef_index[h % PREDEF_SLOTS])
            h++;
        predef_index[h % PREDEF_SLOTS] = (uint8_t)(i + 1);
    }
}

const struct settings_type *settings_predef_find(const char *name, size_t len)
{
    uint32_t h;

    pthread_once(&predef_once, predef_index_build);
    for (h = hash_fnv1a(name, len); predef_index[h % PREDEF_SLOTS]; h++) {
        const struct predef *p = &predefs[predef_index[h % PREDEF_SLOTS] - 1];

        if (p->len == len && memcmp(p->name, name, len) == 0)
            return p->ty;
    }
    if (is_numeric_tag(name, len))
        return &types[SETTINGS_TYPE_STRING];
    return NULL;
}

bool settings_value_parses(const struct settings_type *t, const char *text,
                           size_t len)
{
    const char *end = text + len;
    const char *p = text;
    uint64_t v;

    if (len == 0)
        return true;
    switch (t->id) {
    case SETTINGS_TYPE_STRING:
    case SETTINGS_TYPE_URISTRING:
        return true;
    case SETTINGS_TYPE_IPV4:
        return parses_ipv4(text, end);
    case SETTINGS_TYPE_IPV6:
        return parses_ipv6(text, end);
    case SETTINGS_TYPE_INT8:
    case SETTINGS_TYPE_INT16:
    case SETTINGS_TYPE_INT32:
    case SETTINGS_TYPE_UINT8:
    case SETTINGS_TYPE_UINT16:
    case SETTINGS_TYPE_UINT32:
        return strtoul0(&p, end, &v) && p == end;
    case SETTINGS_TYPE_HEX:
        return parses_hex(text, end, ':');
    case SETTINGS_TYPE_HEXHYP:
        return parses_hex(text, end, '-');
    case SETTINGS_TYPE_HEXRAW:
        return parses_hex(text, end, 0);
    case SETTINGS_TYPE_BASE64:
        return parses_base64(text, end);
    case SETTINGS_TYPE_UUID:
    case SETTINGS_TYPE_GUID:
        return parses_uuid(text, end);
    case SETTINGS_TYPE_BUSDEVFN:
    case SETTINGS_TYPE_DNSSL:
        return false;
    }
    return false;
}
