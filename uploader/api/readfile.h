/* SPDX-License-Identifier: MIT */
/** @file Reading a whole stream into a buffer, the buffer's maximum
 *  bounding it (config files, scripts, the journal, a config to edit). */
#ifndef IPXETOOL_UPLOADER_READFILE_H
#define IPXETOOL_UPLOADER_READFILE_H

#include <stdio.h>

struct buf;

/**
 * Append everything left in @p f to @p out.
 *
 * @ret rc  0; -E2BIG when it would pass @p out's maximum, or -ENOMEM (what
 *          was read so far stays in @p out); -EIO when reading failed
 *          (errno says why)
 */
int readfile_stream(FILE *f, struct buf *out);

#endif
