/* SPDX-License-Identifier: MIT */
/** @file Findings as text: the output formats of ipxe-lint
 *  (spec/lint-conventions.md "Output formats").
 *
 * The report writes into a buffer; only the entry point prints it.
 * `gcc` and `tty` stream file by file; `json`, `sarif` and `diff` collect
 * and are written by report_finish().
 */
#ifndef IPXETOOL_LINTER_REPORT_H
#define IPXETOOL_LINTER_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "jsonw.h"

struct source;

/** Where the project lives; rule pages are under docs/rules/ there. */
#define IPXEKIT_URL "https://github.com/ipxekit/ipxekit"

enum report_format {
    REPORT_TTY,   /**< for people: source line, caret, hints, colours */
    REPORT_GCC,   /**< `path:line:col: error|warning|note: msg [code]` */
    REPORT_JSON,  /**< one document {"findings": [...]} */
    REPORT_SARIF, /**< SARIF 2.1.0 for GitHub code scanning */
    REPORT_DIFF,  /**< every fix as a unified diff for `git apply` */
    REPORT_QUIET, /**< nothing: the exit code alone */
};

struct report {
    enum report_format fmt;  /**< the format */
    bool color;              /**< ANSI colours (tty only) */
    struct buf body;         /**< json/sarif: the findings written so far */
    struct jsonw jw;         /**< json/sarif: writes them into body */
    size_t nbody;            /**< json/sarif: how many */
    size_t codes_seen;       /**< tty: how many distinct codes so far */
    const char *codes[64];   /**< tty: those codes, for the footer */
};

/** Parse a format name; 0 or -EINVAL. */
int report_format_parse(const char *s, enum report_format *out);
/** Set up a report. */
int report_init(struct report *r, enum report_format fmt, bool color);
/** Free what the report holds. */
void report_release(struct report *r);
/**
 * Add the findings of one file (those at least as severe as @p min_sev).
 * Streaming formats append their text to @p out at once.
 *
 * @v path  the path as the user gave it (borrowed)
 * @ret rc  0 or a negative errno
 */
int report_file(struct report *r, const char *path, struct source *src,
                const struct diag_list *d, enum diag_severity min_sev,
                struct buf *out);
/** Append what the format writes at the end (the JSON or SARIF document,
 *  the tty footer). */
int report_finish(struct report *r, struct buf *out);
/** How report_snippet() draws. */
enum report_snippet_flags {
    REPORT_SNIPPET_COLOR = 1 << 0, /**< colour the carets (a terminal) */
    REPORT_SNIPPET_BARE = 1 << 1,  /**< `  | ` gutters without the line
                                        number (ipxe-render's messages) */
};
/**
 * Append the source line holding @p start and a caret line under
 * [start, end) (one caret for an empty span; cut at the line's end), as
 * the tty format shows a finding: control characters as '?', a line
 * longer than 160 bytes as a window around the span.
 *
 * @ret rc  0 or a negative errno (the buffer could not grow)
 */
int report_snippet(struct buf *out, struct source *src, uint32_t start,
                   uint32_t end, enum report_snippet_flags flags);
/** One finding in gcc format, with its newline. */
int report_gcc_line(struct buf *out, const char *path, struct source *src,
                    const struct diag *dg);

#endif
