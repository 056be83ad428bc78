/* SPDX-License-Identifier: MIT */
/** @file Linting a script for a server's boot mode before it is pushed. */
#ifndef IPXETOOL_UPLOADER_SCRIPTLINT_H
#define IPXETOOL_UPLOADER_SCRIPTLINT_H

#include <stdbool.h>
#include <stddef.h>

#include "boot.h"

struct buf;

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
