/* SPDX-License-Identifier: MIT */
/** @file The CI formats of ipxe-lint: checkstyle XML and GitLab Code
 *  Quality JSON.  Internal to the report module: report.c dispatches
 *  report_file() and report_finish() here; callers use report.h.
 *
 * Both collect a report's findings into a buffer (the report's) and write
 * the document at the end, so a run over many files is one document.  They
 * know nothing of struct report: report.c hands them what they write to.
 */
#ifndef IPXETOOL_LINTER_REPORT_CI_H
#define IPXETOOL_LINTER_REPORT_CI_H

#include <stddef.h>

#include "diag.h"

struct buf;
struct jsonw;
struct source;

/**
 * Checkstyle 4.3 (Jenkins warnings-ng, reviewdog -f=checkstyle): a `<file>`
 * element for the file and an `<error>` for each finding at least as
 * severe as @p min_sev; severity is error, warning or info (style and
 * info), source the rule code.
 *
 * @v body  where the document's elements collect
 * @v path  the path as the user gave it (borrowed)
 * @ret rc  0 or a negative errno
 */
int report_checkstyle_file(struct buf *body, const char *path,
                           struct source *src, const struct diag_list *d,
                           enum diag_severity min_sev);
/** Append the checkstyle document around @p body's elements. */
int report_checkstyle_finish(const struct buf *body, struct buf *out);

/**
 * GitLab Code Quality (a subset of Code Climate's issue format): one issue
 * per finding, severity error -> critical, warning -> minor, info and
 * style -> info.  The fingerprint hashes the relative path, the code, the
 * flagged line's text and how many findings with that code and line text
 * came before in the file: it survives lines moving and reruns.
 *
 * @v w     writes the issues, as members of the document's array
 * @v n     counts the issues written
 * @v rel   the file's path relative to the repository (borrowed)
 * @ret rc  0 or a negative errno
 */
int report_codeclimate_file(struct jsonw *w, size_t *n, const char *rel,
                            struct source *src, const struct diag_list *d,
                            enum diag_severity min_sev);
/** Append the Code Quality document (a JSON array) of the @p n issues
 *  written in @p body. */
int report_codeclimate_finish(const struct buf *body, size_t n,
                              struct buf *out);

#endif
