/* SPDX-License-Identifier: MIT */
/** @file Writing a file so that nothing planted beside it is written
 *  through. */
#include "safefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

/* Names tried before giving up: each after the first is random, so only
 * someone who can fill the folder faster than we guess can stop us, and
 * even then nothing is written through. */
#define SAFEFILE_TRIES 64

/* A name suffix nobody can guess in advance: /dev/urandom, or the clock
 * and the address of a local where it cannot be read.  Only the names'
 * unpredictability depends on it, never their safety (O_EXCL). */
static uint32_t random_suffix(void)
{
    struct timespec ts;
    uint32_t r = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

    if (fd >= 0) {
        if (read(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
            r = 0;
        close(fd);
    }
    if (!r) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        r = (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec ^
            (uint32_t)(uintptr_t)&ts;
    }
    return r;
}

int safefile_create(const char *path, mode_t mode, struct buf *tmp)
{
    int fd, i, rc;

    for (i = 0; i < SAFEFILE_TRIES; i++) {
        buf_truncate(tmp, 0);
        rc = i ? buf_addf(tmp, "%s.tmp.%ld.%08lx", path, (long)getpid(),
                          (unsigned long)random_suffix())
               : buf_addf(tmp, "%s.tmp.%ld", path, (long)getpid());
        if (rc)
            return rc;
        /* O_EXCL: never an existing file; O_NOFOLLOW: and not even a
         * dangling link (O_EXCL alone refuses it too, per POSIX; both say
         * what is meant). */
        fd = open(tmp->data,
                  O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST && errno != ELOOP)
            return -errno;
    }
    return -EEXIST;
}

int safefile_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    ssize_t n;

    while (len) {
        n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int safefile_replace(const char *path, const void *data, size_t len,
                     mode_t mode)
{
    struct buf tmp;
    int fd, rc;

    buf_init(&tmp, BUF_MAX_UNLIMITED);
    fd = safefile_create(path, mode, &tmp);
    if (fd < 0) {
        buf_release(&tmp);
        return fd;
    }
    rc = safefile_write_all(fd, data, len);
    if (!rc && fsync(fd))
        rc = -errno;
    if (close(fd) && !rc)
        rc = -errno;
    if (!rc && rename(tmp.data, path))
        rc = -errno;
    if (rc)
        unlink(tmp.data);
    buf_release(&tmp);
    return rc;
}
