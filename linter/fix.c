/* SPDX-License-Identifier: MIT */
/** @file `ipxe-lint --fix` (see fix.h). */
#include "fix.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "lint.h"
#include "report.h"
#include "source.h"

#define FIX_PASSES 8

/* Write @p len bytes at @p data to @p path through a new file beside it
 * and a rename. */
static int write_atomic(const char *path, const char *data, size_t len)
{
    char *real = realpath(path, NULL), *dcopy = NULL, *bcopy = NULL;
    const char *dir, *base;
    char tmp[PATH_MAX];
    struct stat st;
    int fd = -1, rc = 0, tries;
    size_t at = 0;

    if (!real)
        return -errno;
    if (stat(real, &st) != 0) {
        rc = -errno;
        goto out;
    }
    dcopy = strdup(real);
    bcopy = strdup(real);
    if (!dcopy || !bcopy) {
        rc = -ENOMEM;
        goto out;
    }
    dir = dirname(dcopy);
    base = basename(bcopy);
    for (tries = 0; tries < 100 && fd < 0; tries++) {
        unsigned long r =
            (unsigned long)getpid() * 2654435761UL ^ (unsigned long)time(NULL) ^
            (unsigned long)tries * 40503UL ^ (unsigned long)clock();
        if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.fix-%06lx", dir, base,
                             r & 0xffffff) >= sizeof(tmp)) {
            rc = -ENAMETOOLONG;
            goto out;
        }
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0600);
        if (fd < 0 && errno != EEXIST) {
            rc = -errno;
            goto out;
        }
    }
    if (fd < 0) {
        rc = -EEXIST;
        goto out;
    }
    while (at < len) {
        ssize_t n = write(fd, data + at, len - at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = n < 0 ? -errno : -EIO;
            break;
        }
        at += (size_t)n;
    }
    /* the old file's owner (when we may) and mode */
    if (!rc && fchown(fd, st.st_uid, st.st_gid) != 0 && errno != EPERM)
        rc = -errno;
    if (!rc && fchmod(fd, st.st_mode & 07777) != 0)
        rc = -errno;
    if (!rc && fsync(fd) != 0)
        rc = -errno;
    if (close(fd) != 0 && !rc)
        rc = -errno;
    if (!rc && rename(tmp, real) != 0)
        rc = -errno;
    if (rc) {
        unlink(tmp);
    } else {
        /* the rename itself to disk (best effort: it is done either way) */
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
out:
    free(bcopy);
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
