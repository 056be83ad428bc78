/* SPDX-License-Identifier: MIT */
/** @file Writing a file so that nothing planted beside it is written
 *  through: the one way every tool creates and replaces files.
 *
 * A file is replaced by writing a new temporary file in the same folder
 * and renaming it over the old one, so a reader sees the old file or the
 * new one, whole.  The temporary file is always a new file: it is created
 * with O_CREAT|O_EXCL|O_NOFOLLOW, so a symbolic link (or any file) that
 * someone planted under its name is never opened, let alone written
 * through; another name is tried instead.  Its name is PATH.tmp.PID, or
 * PATH.tmp.PID.XXXXXXXX (random) when that one is taken.
 */
#ifndef IPXETOOL_PARSER_SAFEFILE_H
#define IPXETOOL_PARSER_SAFEFILE_H

#include <stddef.h>
#include <sys/types.h>

struct buf;

/**
 * Create a new temporary file beside @p path, for writing, with @p mode
 * (less the umask).  Its name is appended to @p tmp (cleared first).
 *
 * @ret fd  the open descriptor (O_CLOEXEC), or a negative errno:
 *          -EEXIST when every name tried was taken
 */
int safefile_create(const char *path, mode_t mode, struct buf *tmp);

/** Write all @p len bytes of @p data to @p fd (a short write or EINTR
 *  goes on).  @ret rc 0 or a negative errno */
int safefile_write_all(int fd, const void *data, size_t len);

/**
 * Replace @p path with @p len bytes of @p data, atomically: a new
 * temporary file beside it (safefile_create(), @p mode), written, fsync'd
 * and renamed over @p path.  On failure the temporary file is removed and
 * @p path is as it was.
 *
 * @ret rc 0 or a negative errno
 */
int safefile_replace(const char *path, const void *data, size_t len,
                     mode_t mode);

#endif
