/* SPDX-License-Identifier: MIT */
/** @file A source file in memory, and its line table.
 *
 * The bytes are kept exactly as read, with one extra NUL after the last
 * byte so the lexer can use it as a sentinel (the lexer checks the limit,
 * so NUL bytes inside the file are ordinary input).  Offsets are 32-bit:
 * a source is at most SOURCE_MAX_LEN bytes.
 */
#ifndef IPXETOOL_PARSER_SOURCE_H
#define IPXETOOL_PARSER_SOURCE_H

#include <stddef.h>
#include <stdint.h>

/** Largest source handled: offsets are uint32_t, and the end offset must fit.
 */
#define SOURCE_MAX_LEN ((size_t)UINT32_MAX - 1)

/** A byte range [start, end) in one source. */
struct span {
    uint32_t start; /**< first byte */
    uint32_t end;   /**< one past the last byte */
};

/** Append [@p start, @p end) to the growable array @p *v of @p *n spans
 *  (room for @p *cap; all three zero for an empty one, free() it after).
 *  0 or -ENOMEM (the array is then unchanged). */
int span_push(struct span **v, size_t *n, size_t *cap, uint32_t start,
              uint32_t end);

/** A 1-based physical line and byte column. */
struct position {
    uint32_t line;   /**< 1-based line number (lines end at '\n') */
    uint32_t column; /**< 1-based byte column within that line */
};

struct source {
    char *name;            /**< path as given by the user (owned) */
    char *data;            /**< the bytes plus a NUL sentinel (owned) */
    size_t len;            /**< bytes, not counting the sentinel */
    uint32_t *line_starts; /**< offset of each line start, built lazily */
    size_t nlines;         /**< entries in line_starts (0: not built) */
};

/** Read @p path ("-" is standard input, named @p display_name).
 *  @ret rc 0, or a negative errno (the file could not be read, or is larger
 *  than SOURCE_MAX_LEN: -EFBIG). */
int source_load(struct source *src, const char *path, const char *display_name);
/** source_load() for an input with a size limit: a file larger than
 *  @p max bytes is refused before it is read (its size, by fstat()), and
 *  standard input or a pipe as soon as byte @p max + 1 arrives, so memory
 *  never holds more than @p max bytes of it.
 *  @ret rc 0, -EFBIG when over @p max, or another negative errno. */
int source_load_max(struct source *src, const char *path,
                    const char *display_name, size_t max);
/** Copy @p len bytes of @p data into a new source named @p name. */
int source_init_mem(struct source *src, const char *name, const char *data,
                    size_t len);
/** Free what the source owns. */
void source_release(struct source *src);
/** The line and column of byte @p offset (offset == len is allowed). */
struct position source_position(struct source *src, uint32_t offset);
/** The bytes of the physical line holding @p offset, without its '\n'. */
const char *source_line(struct source *src, uint32_t offset, size_t *len);

/** The offset where each line of the @p len bytes at @p data starts, the
 *  first 0 (a line ends at '\n'): a malloc'd array of @p *n entries, or
 *  NULL if memory ran out. */
uint32_t *source_line_starts(const char *data, size_t len, size_t *n);
/** The index of the line holding @p offset in the @p n line starts
 *  @p starts (ascending, the first 0). */
size_t source_line_find(const uint32_t *starts, size_t n, uint32_t offset);

/** Whether byte @p c continues a UTF-8 character (10xxxxxx): text must
 *  not be cut before such a byte. */
static inline int utf8_continues(char c)
{
    return ((unsigned char)c & 0xC0) == 0x80;
}

/** Write code point @p cp (at most U+10FFFF) as UTF-8 into @p out: how
 *  many bytes, 1 to 4. */
static inline size_t utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/** How much of the @p len bytes at @p s a quote of at most @p max bytes
 *  takes: all of them if they fit, else as many as fit without cutting a
 *  UTF-8 character in two (messages quote user text and must stay UTF-8). */
static inline size_t utf8_prefix(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    while (max > 0 && utf8_continues(s[max]))
        max--;
    return max;
}

#endif
