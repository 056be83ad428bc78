/* SPDX-License-Identifier: MIT */
/** @file Linting a script for a server's boot mode. */
#include "scriptlint.h"

#include <string.h>

#include "lint.h"

/* The API's spellings, one table for both directions. */
static const char *const mode_names[] = {
    [BOOT_MODE_LEGACY] = "legacy",
    [BOOT_MODE_UEFI] = "uefi",
    [BOOT_MODE_UEFI_LEGACY] = "uefi-legacy",
};

#define NMODES (sizeof(mode_names) / sizeof(mode_names[0]))

enum boot_mode boot_mode_parse(const char *s)
{
    size_t m;

    for (m = 0; s && m < NMODES; m++)
        if (mode_names[m] && strcmp(s, mode_names[m]) == 0)
            return (enum boot_mode)m;
    return BOOT_MODE_UNKNOWN;
}

const char *boot_mode_name(enum boot_mode m)
{
    return (size_t)m < NMODES && mode_names[m] ? mode_names[m] : "unknown";
}

int scriptlint_check(const char *name, const char *data, size_t len,
                     enum boot_mode mode, size_t *errors, struct buf *text)
{
    enum lint_platform p = LINT_PLATFORM_ANY;

    /* uefi-legacy servers may boot either way: lint for both. */
    if (mode == BOOT_MODE_LEGACY)
        p = LINT_PLATFORM_PCBIOS;
    else if (mode == BOOT_MODE_UEFI)
        p = LINT_PLATFORM_EFI;
    return lint_check_buffer(name, data, len, p, errors, text);
}
