/* SPDX-License-Identifier: MIT */
/** @file Script text inside the document formats: UTF-8 sequences (for
 *  jsonw.c's JSON strings), XML attribute values (report_ci.c), and text
 *  from outside shown on a terminal (ipxe-upload's output).
 *
 * Scripts are bytes; JSON and XML are UTF-8.  Each byte that is not part
 * of a valid UTF-8 sequence becomes U+FFFD, so any path, message or line
 * of a script can be written, and every document stays valid.
 */
#ifndef IPXETOOL_LINTER_ESCAPE_H
#define IPXETOOL_LINTER_ESCAPE_H

#include <stddef.h>

struct buf;

/**
 * Length of the valid UTF-8 sequence at @p s (of @p len bytes, len > 0),
 * or 0 when the byte at @p s does not start one (overlong forms and
 * surrogates are not valid).
 */
size_t escape_utf8_seq(const unsigned char *s, size_t len);

/**
 * Append @p s escaped for an XML 1.0 attribute value in double quotes
 * (the quotes are not written): '&', '<', '>', '"' and '\''  as
 * entities, tab, newline and carriage return as character references
 * (so attribute normalisation keeps them), and what XML 1.0 does not
 * allow (other control characters, U+FFFE, U+FFFF, invalid UTF-8) as
 * U+FFFD.
 *
 * @ret rc  0 or a negative errno
 */
int escape_xml(struct buf *out, const char *s);

/** Flags of escape_term(). */
enum escape_term_flags {
    ESCAPE_TERM_LINES = 1 << 0, /**< keep newlines and tabs as they are
                                     (text of many lines) */
};

/**
 * Append the @p len bytes at @p s for a terminal, so that text from
 * outside (an API's answer, a script) can neither drive the terminal nor
 * pass for lines of its own.  Printable ASCII and valid UTF-8 are kept;
 * newline, carriage return and tab become "\n", "\r" and "\t" (newline
 * and tab are kept with ESCAPE_TERM_LINES); every other byte of a control
 * character (C0, DEL, C1), of a bidirectional override or isolate
 * (U+202A..U+202E, U+2066..U+2069), or of invalid UTF-8 becomes "\xNN".
 * A backslash is kept, so text escaped once reads the same when shown.
 *
 * @ret rc  0 or a negative errno (from the append)
 */
int escape_term(struct buf *out, const char *s, size_t len, unsigned flags);

#endif
