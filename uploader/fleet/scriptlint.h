/* SPDX-License-Identifier: MIT */
/** @file Linting a script for a server's boot mode before it is pushed. */
#ifndef IPXETOOL_UPLOADER_SCRIPTLINT_H
#define IPXETOOL_UPLOADER_SCRIPTLINT_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

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

/**
 * Lint @p data for @p mode with the default rules.
 *
 * @v name    the name used in findings (borrowed)
 * @v errors  set to the number of error-level findings
 * @v text    findings are appended, one a line, gcc format
 * @ret rc    0 or a negative errno
 */
int scriptlint_check(const char *name, const char *data, size_t len,
                     enum boot_mode mode, size_t *errors, struct buf *text);

#endif
