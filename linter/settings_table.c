/* SPDX-License-Identifier: MIT */
/** @file iPXE's setting types and predefined settings (spec §3.3, §3.5). */
#include "settings_table.h"

#include <stdint.h>
#include <string.h>

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
    const struct settings_type *ty; /**< its default type */
};

/* The well-known settings of spec §3.5, grouped as there. */
static const struct predef predefs[] = {
    /* IPv4 and DHCP */
    {"ip", &types[SETTINGS_TYPE_IPV4]},
    {"netmask", &types[SETTINGS_TYPE_IPV4]},
    {"gateway", &types[SETTINGS_TYPE_IPV4]},
    {"static-routes", &types[SETTINGS_TYPE_HEX]},
    {"dns", &types[SETTINGS_TYPE_IPV4]},
    {"dnssl", &types[SETTINGS_TYPE_DNSSL]},
    {"domain", &types[SETTINGS_TYPE_STRING]},
    {"hostname", &types[SETTINGS_TYPE_STRING]},
    {"ntp", &types[SETTINGS_TYPE_IPV4]},
    {"syslog", &types[SETTINGS_TYPE_IPV4]},
    {"syslog6", &types[SETTINGS_TYPE_IPV6]},
    {"syslogs", &types[SETTINGS_TYPE_STRING]},
    {"dhcp-server", &types[SETTINGS_TYPE_IPV4]},
    {"filename", &types[SETTINGS_TYPE_STRING]},
    {"next-server", &types[SETTINGS_TYPE_IPV4]},
    {"root-path", &types[SETTINGS_TYPE_STRING]},
    /* SAN and autoboot */
    {"san-filename", &types[SETTINGS_TYPE_STRING]},
    {"san-drive", &types[SETTINGS_TYPE_UINT8]},
    {"san-retries", &types[SETTINGS_TYPE_INT8]},
    {"keep-san", &types[SETTINGS_TYPE_INT8]},
    {"skip-san-boot", &types[SETTINGS_TYPE_INT8]},
    {"scriptlet", &types[SETTINGS_TYPE_STRING]},
    {"initiator-iqn", &types[SETTINGS_TYPE_STRING]},
    {"username", &types[SETTINGS_TYPE_STRING]},
    {"password", &types[SETTINGS_TYPE_STRING]},
    {"reverse-username", &types[SETTINGS_TYPE_STRING]},
    {"reverse-password", &types[SETTINGS_TYPE_STRING]},
    {"uid", &types[SETTINGS_TYPE_UINT32]},
    {"gid", &types[SETTINGS_TYPE_UINT32]},
    {"user-class", &types[SETTINGS_TYPE_STRING]},
    {"vendor-class", &types[SETTINGS_TYPE_STRING]},
    {"priority", &types[SETTINGS_TYPE_INT8]},
    /* trust */
    {"trust", &types[SETTINGS_TYPE_HEX]},
    {"cert", &types[SETTINGS_TYPE_HEX]},
    {"privkey", &types[SETTINGS_TYPE_HEX]},
    {"crosscert", &types[SETTINGS_TYPE_STRING]},
    /* the network device */
    {"mac", &types[SETTINGS_TYPE_HEX]},
    {"hwaddr", &types[SETTINGS_TYPE_HEX]},
    {"bustype", &types[SETTINGS_TYPE_STRING]},
    {"busloc", &types[SETTINGS_TYPE_UINT32]},
    {"busid", &types[SETTINGS_TYPE_HEX]},
    {"linktype", &types[SETTINGS_TYPE_STRING]},
    {"chip", &types[SETTINGS_TYPE_STRING]},
    {"ifname", &types[SETTINGS_TYPE_STRING]},
    {"mtu", &types[SETTINGS_TYPE_INT16]},
    {"ssid", &types[SETTINGS_TYPE_STRING]},
    {"key", &types[SETTINGS_TYPE_STRING]},
    {"active-scan", &types[SETTINGS_TYPE_INT8]},
    /* IPv6 */
    {"ip6", &types[SETTINGS_TYPE_IPV6]},
    {"len6", &types[SETTINGS_TYPE_INT8]},
    {"gateway6", &types[SETTINGS_TYPE_IPV6]},
    {"dns6", &types[SETTINGS_TYPE_IPV6]},
    /* SMBIOS and CPUID */
    {"uuid", &types[SETTINGS_TYPE_UUID]},
    {"manufacturer", &types[SETTINGS_TYPE_STRING]},
    {"product", &types[SETTINGS_TYPE_STRING]},
    {"serial", &types[SETTINGS_TYPE_STRING]},
    {"asset", &types[SETTINGS_TYPE_STRING]},
    {"board-serial", &types[SETTINGS_TYPE_STRING]},
    {"cpuvendor", &types[SETTINGS_TYPE_STRING]},
    {"cpumodel", &types[SETTINGS_TYPE_STRING]},
    /* builtin */
    {"errno", &types[SETTINGS_TYPE_UINT32]},
    {"buildarch", &types[SETTINGS_TYPE_STRING]},
    {"platform", &types[SETTINGS_TYPE_STRING]},
    {"version", &types[SETTINGS_TYPE_STRING]},
    {"unixtime", &types[SETTINGS_TYPE_UINT32]},
    {"cwuri", &types[SETTINGS_TYPE_STRING]},
    {"cwduri", &types[SETTINGS_TYPE_STRING]},
    {"sysmac", &types[SETTINGS_TYPE_HEX]},
    {"dmesg", &types[SETTINGS_TYPE_STRING]},
    {"vram", &types[SETTINGS_TYPE_BASE64]},
    /* miscellaneous */
    {"memsize", &types[SETTINGS_TYPE_INT32]},
    {"keymap", &types[SETTINGS_TYPE_STRING]},
    {"peerdist", &types[SETTINGS_TYPE_INT8]},
    {"peerhost", &types[SETTINGS_TYPE_STRING]},
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

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

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
        int d = hex_digit(*s);
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
        else if (*s != '.' && hex_digit(*s) < 0)
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
        if (end - s < 2 || hex_digit(s[0]) < 0 || hex_digit(s[1]) < 0)
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
        if (hex_digit(*s) < 0)
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

const struct settings_type *settings_predef_find(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(predefs) / sizeof(predefs[0]); i++) {
        if (name_is(name, len, predefs[i].name))
            return predefs[i].ty;
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
