/* SPDX-License-Identifier: MIT */
/** @file What a server boots: its firmware's boot mode and its boot state
 *  (bootScript or bootId), as the API reads and writes them. */
#ifndef IPXETOOL_UPLOADER_BOOT_H
#define IPXETOOL_UPLOADER_BOOT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/** A server's boot mode, from specifications/hardware. */
enum boot_mode {
    BOOT_MODE_UNKNOWN = 0, /**< not read (lint for either firmware) */
    BOOT_MODE_LEGACY,      /**< "legacy": BIOS */
    BOOT_MODE_UEFI,        /**< "uefi" */
    BOOT_MODE_UEFI_LEGACY, /**< "uefi-legacy": either */
};

/** Parse the API's bootMode string; unknown strings give UNKNOWN. */
enum boot_mode boot_mode_parse(const char *s);

/** The API's spelling, or "unknown". */
const char *boot_mode_name(enum boot_mode m);

/** The state of a server's boot, as read from or written to the API. */
struct boot_state {
    char *script;      /**< bootScript bytes (owned), NULL when null */
    size_t script_len; /**< their length */
    long long boot_id; /**< bootId, or -1 when null */
};

/** A JSON value for a boot state: {"bootScript": ..., "bootId": ...}. */
json_t *boot_state_json(const struct boot_state *s);

/** Read a boot state from {"bootScript", "bootId"}.  @ret rc 0,
 *  -EINVAL if the shape is wrong, -ENOMEM. */
int boot_state_from_json(struct boot_state *s, json_t *obj);

/** Free the script; the state is left null. */
void boot_state_release(struct boot_state *s);

/** Whether two states are the same, byte for byte. */
bool boot_state_equal(const struct boot_state *a, const struct boot_state *b);

#endif
