/* SPDX-License-Identifier: MIT */
/** @file `ipxe-lint --fix` (see fix.h). */
#include "fix.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "lint.h"
#include "report.h"
#include "safefile.h"
#include "source.h"

#define FIX_PASSES 8

/* Write @p len bytes at @p data to @p path (a symbolic link is followed
 * and kept) through a new file beside it (safefile_create(): nothing
 * planted under its name is written through) and a rename, keeping the
 * file's mode and, when we may, its owner. */
static int write_atomic(const char *path, const char *data, size_t len)
{
    char *real = realpath(path, NULL), *dcopy = NULL;
    struct buf tmp;
    struct stat st;
    int fd = -1, rc = 0;

    if (!real)
        return -errno;
    buf_init(&tmp, BUF_MAX_UNLIMITED);
    if (stat(real, &st) != 0) {
        rc = -errno;
        goto out;
    }
    fd = safefile_create(real, 0600, &tmp);
    if (fd < 0) {
        rc = fd;
        goto out;
    }
    rc = safefile_write_all(fd, data, len);
    /* the old file's owner (when we may) and mode */
    if (!rc && fchown(fd, st.st_uid, st.st_gid) != 0 && errno != EPERM)
        rc = -errno;
    if (!rc && fchmod(fd, st.st_mode & 07777) != 0)
        rc = -errno;
    if (!rc && fsync(fd) != 0)
        rc = -errno;
    if (close(fd) != 0 && !rc)
        rc = -errno;
    if (!rc && rename(tmp.data, real) != 0)
        rc = -errno;
    if (rc) {
        unlink(tmp.data);
        goto out;
    }
    /* the rename itself to disk (best effort: it is done either way) */
    dcopy = strdup(real);
    if (dcopy) {
        int dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
out:
    buf_release(&tmp);
    free(dcopy);
    free(real);
    return rc;
}

int lint_fix_file(const char *path, struct source *src,
                  const struct lint_options *opts, struct arena *a,
                  struct diag_list *d, struct ast_script **tree, size_t *nfixed)
{
    struct buf fixed;
    size_t n, pass;
    int rc = 0;

    *nfixed = 0;
    buf_init(&fixed, BUF_MAX_UNLIMITED);
    for (pass = 0; pass < FIX_PASSES && !rc; pass++) {
        struct source next;
        buf_truncate(&fixed, 0);
        rc = report_apply_fixes(src, d, &fixed, &n);
        if (rc || !n)
            break;
        rc = source_init_mem(&next, src->name, fixed.data, fixed.len);
        if (rc)
            break;
        source_release(src);
        *src = next;
        *nfixed += n;
        diag_list_release(d);
        diag_list_init(d, a);
        rc = lint_source(src, opts, a, d, tree);
    }
    buf_release(&fixed);
    if (!rc && *nfixed)
        rc = write_atomic(path, src->data, src->len);
    return rc;
}
