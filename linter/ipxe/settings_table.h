/* SPDX-License-Identifier: MIT */
/** @file iPXE's setting types and predefined settings, as data.
 *
 * The types are iPXE's SETTING_TYPES table (spec §3.3); the predefined
 * settings are the well-known names of spec §3.5 with the type iPXE
 * formats and parses them with.  Everything here is static and read-only:
 * nothing to set up or free, and every function is safe to call from any
 * rule at any time.
 *
 * Names are compared exactly and case-sensitively, as iPXE does (strcmp);
 * @p name is @p len bytes and need NOT be NUL-terminated (pass a word's
 * text straight from the tree).
 */
#ifndef IPXETOOL_LINTER_SETTINGS_TABLE_H
#define IPXETOOL_LINTER_SETTINGS_TABLE_H

#include <stdbool.h>
#include <stddef.h>

/** Every setting type iPXE knows (spec §3.3). */
enum settings_type_id {
    SETTINGS_TYPE_STRING = 0,
    SETTINGS_TYPE_URISTRING,
    SETTINGS_TYPE_IPV4,
    SETTINGS_TYPE_IPV6,
    SETTINGS_TYPE_INT8,
    SETTINGS_TYPE_INT16,
    SETTINGS_TYPE_INT32,
    SETTINGS_TYPE_UINT8,
    SETTINGS_TYPE_UINT16,
    SETTINGS_TYPE_UINT32,
    SETTINGS_TYPE_HEX,
    SETTINGS_TYPE_HEXHYP,
    SETTINGS_TYPE_HEXRAW,
    SETTINGS_TYPE_BASE64,
    SETTINGS_TYPE_UUID,
    SETTINGS_TYPE_GUID,
    SETTINGS_TYPE_BUSDEVFN,
    SETTINGS_TYPE_DNSSL,
};

/** One setting type.  Plain data: the table entries are static. */
struct settings_type {
    const char *name;         /**< "ipv4", as written after ':' */
    enum settings_type_id id; /**< which one */
};

/** The type called @p name (@p len bytes), or NULL if iPXE has no such
 *  type (then `${x:name}` expands to nothing and `set x:name` fails). */
const struct settings_type *settings_type_find(const char *name, size_t len);

/**
 * The type of the predefined setting @p name, or NULL if iPXE does not
 * predefine it.
 *
 * @p name is the setting name only: no `block/` scope and no `:type`
 * (strip them first: for `net0/mac:hexhyp` pass `mac`).  A numeric tag
 * (`12`, `175.81`: a DHCP option number, spec §3.1) counts as predefined
 * and returns the string type, since its real type depends on the option.
 * Raw-tag blocks (`pci/`, `smbios/`, `efi/`, ...) name their settings in
 * their own syntax: the caller decides about those from the block name.
 */
const struct settings_type *settings_predef_find(const char *name, size_t len);

/** Every type, in the order of enum settings_type_id; @p n is set to how
 *  many (for "did you mean" hints). */
const struct settings_type *settings_types(size_t *n);

/** The name of predefined setting number @p i, or NULL when @p i is past
 *  the last one (for "did you mean" hints). */
const char *settings_predef_name(size_t i);

/** Whether `set` can store a value of type @p t: false for the
 *  format-only types busdevfn and dnssl (iPXE fails with ENOTSUP). */
bool settings_type_storable(const struct settings_type *t);

/** Whether @p t formats as unsigned hex with a `0x` prefix (uint8/16/32):
 *  `${x}` of such a setting holding 10 expands to `0xa` (spec §3.3). */
bool settings_type_is_uint(const struct settings_type *t);

/**
 * Whether `set` would accept the literal @p text (@p len bytes) for a
 * setting of type @p t, as iPXE's parser for the type does (spec §3.3):
 * dotted quads for ipv4, strtoul base 0 for the integer types (width is
 * not checked: iPXE truncates), separated hex byte pairs for hex/hexhyp,
 * hex pairs for hexraw, canonical UUIDs for uuid/guid, Base64 for base64.
 * An empty value always passes (it deletes the setting).  ipv6 is checked
 * loosely (hex digits, ':' and '.' only).  Format-only types never pass.
 */
bool settings_value_parses(const struct settings_type *t, const char *text,
                           size_t len);

#endif
