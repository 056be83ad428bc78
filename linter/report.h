/* SPDX-License-Identifier: MIT */
/** @file Findings as text: the output formats of ipxe-lint
 *  (spec/lint-conventions.md "Output formats").
 *
 * The report writes into a buffer; only the entry point prints it.
 * `gcc` and `tty` stream file by file; `json`, `sarif`, `checkstyle`,
 * `codeclimate` and `diff` collect and are written by report_finish().
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
    REPORT_TTY,         /**< for people: source line, caret, hints, colours */
    REPORT_GCC,         /**< `path:line:col: error|warning|note: msg [code]` */
    REPORT_JSON,        /**< one document {"findings": [...]} */
    REPORT_SARIF,       /**< SARIF 2.1.0 for GitHub code scanning */
    REPORT_DIFF,        /**< every fix as a unified diff for `git apply` */
    REPORT_QUIET,       /**< nothing: the exit code alone */
    REPORT_CHECKSTYLE,  /**< checkstyle 4.3 XML (report_ci.c) */
    REPORT_CODECLIMATE, /**< GitLab Code Quality JSON (report_ci.c) */
};

struct report {
    enum report_format fmt; /**< the format */
    bool color;             /**< ANSI colours (tty only) */
    struct buf body;        /**< document formats: the findings written
                                 so far, the document's middle */
    struct jsonw jw;        /**< json/sarif/codeclimate: writes into body */
    size_t nbody;           /**< document formats: findings in body */
    unsigned width;         /**< tty: the terminal's columns, to wrap
                                 headers at; 0 for no wrapping */
    size_t counts[4];       /**< tty: findings shown, by severity */
    size_t nfiles;          /**< tty: files reported */
    size_t nfiles_found;    /**< tty: files with a finding shown */
    size_t codes_seen;      /**< tty: how many distinct codes so far */
    const char *codes[64];  /**< tty: those codes, for the footer */
    /** gcc and tty: called, when set, as soon as the output holds
     *  REPORT_FLUSH_AT bytes, so that a file with hundreds of thousands
     *  of findings is written as it goes rather than held whole; returns
     *  0 or a negative errno (which stops the report). */
    int (*flush)(struct buf *out, void *arg);
    void *flush_arg; /**< handed to flush */
};

/** How much output report_file() gathers before calling flush. */
#define REPORT_FLUSH_AT ((size_t)64 * 1024)

/** The name of format @p i (0, 1, ... in enum order), NULL past the last:
 *  to list the formats. */
const char *report_format_name(size_t i);
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
/** A repository-relative form of @p path: "./" and repeated slashes
 *  dropped, an absolute path under the current folder made relative to it
 *  (@p cwd_buf is scratch space for the current folder). */
const char *report_relative_path(const char *path, char *cwd_buf,
                                 size_t cwd_size);
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
/**
 * Append the path of @p path relative to its repository's root (the
 * nearest folder above it with a .git), as SARIF, Code Quality and diff
 * headers want it; outside a repository, relative to the current folder
 * when the file is under it, else absolute.
 *
 * @ret rc  0 or a negative errno
 */
int report_repo_path(const char *path, struct buf *out);
/**
 * Apply the fixes of @p d to @p src as a new text appended to @p fixed
 * (nothing when no finding has a fix), as `-f diff`, `--fix`, the
 * language server's "fix all" and the playground do.  A finding's fixes go in together or not at all: one of
 * several (moving an option is a deletion and an insertion) would change
 * the script, not fix it.  A finding with a fix that overlaps one taken
 * before it is left out whole, for the next run.
 *
 * @v nfixes  set to the number of replacements made
 * @ret rc    0 or -ENOMEM
 */
int report_apply_fixes(const struct source *src, const struct diag_list *d,
                       struct buf *fixed, size_t *nfixes);
/** One finding in gcc format, with its newline. */
int report_gcc_line(struct buf *out, const char *path, struct source *src,
                    const struct diag *dg);

#endif
