/* SPDX-License-Identifier: MIT */
/** @file Linting a script for a server's boot mode. */
#include "scriptlint.h"

#include "lint.h"

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
