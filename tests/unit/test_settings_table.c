/* SPDX-License-Identifier: MIT */
/** @file Unit tests of iPXE's setting types and predefined settings
 *  (linter/settings_table.c, spec §3.3 and §3.5). */
#include "settings_table.h"

#include <string.h>

#include "test.h"

static const struct settings_type *type(const char *name)
{
    return settings_type_find(name, strlen(name));
}

static void parses_at(const char *tname, const char *value, int want,
                      const char *file, int line)
{
    const struct settings_type *t = type(tname);

    if (!checkx(t != NULL, file, line))
        return;
    checkx(settings_value_parses(t, value, strlen(value)) == (want != 0), file,
           line);
}

#define parses(t, v)  parses_at(t, v, 1, __FILE__, __LINE__)
#define rejects(t, v) parses_at(t, v, 0, __FILE__, __LINE__)

static void test_types(void)
{
    size_t n, i;
    const struct settings_type *all = settings_types(&n);

    check(n == 18);
    for (i = 0; i < n; i++) {
        check(all[i].id == (enum settings_type_id)i);
        check(type(all[i].name) == &all[i]);
    }
    check(type("HEX") == NULL); /* exact and case-sensitive */
    check(type("int") == NULL);
    check(settings_type_find("hexhyp!", 6) == type("hexhyp"));
    check(!settings_type_storable(type("busdevfn")));
    check(!settings_type_storable(type("dnssl")));
    check(settings_type_storable(type("string")));
    check(settings_type_is_uint(type("uint8")));
    check(settings_type_is_uint(type("uint32")));
    check(!settings_type_is_uint(type("int32")));
}

static void test_predefined(void)
{
    check(settings_predef_find("mac", 3) == type("hex"));
    check(settings_predef_find("ip", 2) == type("ipv4"));
    check(settings_predef_find("unixtime", 8) == type("uint32"));
    check(settings_predef_find("san-drive", 9) == type("uint8"));
    check(settings_predef_find("dnssl", 5) == type("dnssl"));
    check(settings_predef_find("MAC", 3) == NULL);
    check(settings_predef_find("booturl", 7) == NULL);
    check(settings_predef_find("", 0) == NULL);
    /* numeric tags: DHCP options */
    check(settings_predef_find("12", 2) == type("string"));
    check(settings_predef_find("175.81", 6) == type("string"));
    check(settings_predef_find("0x1f", 4) != NULL);
    check(settings_predef_find("1e", 2) == NULL);
    check(settings_predef_find("12.", 3) == NULL);
    check(settings_predef_name(0) != NULL);
    check(settings_predef_name(100000) == NULL);
}

static void test_values(void)
{
    parses("ipv4", "192.168.0.1");
    parses("ipv4", "0x0a.0.0.1");
    rejects("ipv4", "192.168.0.256");
    rejects("ipv4", "192.168.0");
    rejects("ipv4", "10.0.0.08"); /* a leading 0 is octal */
    rejects("ipv4", "1.2.3.4.");
    rejects("ipv4", "host");
    parses("int8", "-5");
    parses("int8", "0x1234"); /* truncated, not rejected */
    parses("uint16", "010");
    rejects("uint8", "08");
    rejects("int32", "9a");
    parses("hex", "00:11:22:aa:BB");
    rejects("hex", "0:11");
    rejects("hex", "00:11:");
    parses("hexhyp", "00-11-22");
    parses("hexraw", "001122");
    rejects("hexraw", "00112");
    parses("uuid", "36d22ed9-b64f-4fdb-941b-a54a0854f991");
    rejects("uuid", "36d22ed9-b64f");
    parses("base64", "aGVsbG8=");
    rejects("base64", "a b");
    parses("ipv6", "fe80::1");
    rejects("ipv6", "fe80");
    parses("string", "anything at all");
    parses("ipv4", ""); /* an empty value deletes */
    rejects("busdevfn", "00:19.0");
}

int main(void)
{
    test_types();
    test_predefined();
    test_values();
    return test_done();
}
