/* SPDX-License-Identifier: MIT */
/** @file Reading a whole stream into a buffer. */
#include "readfile.h"

#include <errno.h>

#include "buf.h"

int readfile_stream(FILE *f, struct buf *out)
{
    char chunk[65536];
    size_t n;
    int rc;

    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        rc = buf_add(out, chunk, n);
        if (rc)
            return rc;
    }
    return ferror(f) ? -EIO : 0;
}
