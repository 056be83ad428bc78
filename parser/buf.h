/* SPDX-License-Identifier: MIT */
/** @file A growable byte buffer, always NUL-terminated.
 *
 * Invariants (as git's strbuf): after buf_init() `data` is never NULL and
 * `data[len] == '\0'`; `len < cap` whenever memory is owned.  A buffer has a
 * maximum size given at init: an append that would pass it fails with
 * -E2BIG and leaves the buffer unchanged, so input data can never grow a
 * buffer without bound.  Functions return 0 or a negative errno.
 */
#ifndef IPXETOOL_PARSER_BUF_H
#define IPXETOOL_PARSER_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /**< the bytes, NUL-terminated; owned unless cap == 0 */
    size_t len; /**< bytes used, not counting the terminator */
    size_t cap; /**< bytes allocated (0: points at a static empty string) */
    size_t max; /**< largest len allowed */
};

/** No limit worth naming: the largest size a buffer may reach. */
#define BUF_MAX_UNLIMITED ((size_t)-1 / 2)

/** Set up caller storage as an empty buffer that may grow up to @p max. */
void buf_init(struct buf *b, size_t max);
/** Free the contents; the buffer is left empty and usable. */
void buf_release(struct buf *b);
/** Make room for @p extra more bytes. */
int buf_grow(struct buf *b, size_t extra);
/** Append @p len bytes (may contain NUL). */
int buf_add(struct buf *b, const void *data, size_t len);
/** Append a NUL-terminated string. */
int buf_adds(struct buf *b, const char *s);
/** Append one byte. */
int buf_addch(struct buf *b, char c);
/** Append formatted text. */
int buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** Append formatted text from a va_list. */
int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/** Drop everything after the first @p len bytes. */
void buf_truncate(struct buf *b, size_t len);
/** Take the bytes out of the buffer; the caller frees them with free().
 *  The buffer is left empty. Returns NULL only if allocation fails. */
char *buf_detach(struct buf *b, size_t *len);

#endif
