/* SPDX-License-Identifier: MIT */
/** @file The CI formats of ipxe-lint: checkstyle XML and GitLab Code
 *  Quality JSON.  Internal to the report module: report.c dispatches
 *  report_file() and report_finish() here; callers use report.h.
 *
 * Both collect into the report's doc buffer and write the document at the
 * end, so a run over many files is one document.
 */
#ifndef IPXETOOL_LINTER_REPORT_CI_H
#define IPXETOOL_LINTER_REPORT_CI_H

#include <stddef.h>

#include "diag.h"

struct buf;
struct report;
struct source;

/**
 * Checkstyle 4.3 (Jenkins warnings-ng, reviewdog -f=checkstyle): a `<file>`
 * element for the file and an `<error>` for each finding at least as
 * severe as @p min_sev; severity is error, warning or info (style and
 * info), source the rule code.
 *
 * @v path  the path as the user gave it (borrowed)
 * @ret rc  0 or a negative errno
 */
int report_checkstyle_file(struct report *r, const char *path,
                           struct source *src, const struct diag_list *d,
                           enum diag_severity min_sev);
/** Append the checkstyle document. */
int report_checkstyle_finish(struct report *r, struct buf *out);

/**
 * GitLab Code Quality (a subset of Code Climate's issue format): one issue
 * per finding, severity error -> critical, warning -> minor, info and
 * style -> info.  The fingerprint hashes the relative path, the code, the
 * flagged line's text and how many findings with that code and line text
 * came before in the file: it survives lines moving and reruns.
 *
 * @v path  the path as the user gave it (borrowed)
 * @ret rc  0 or a negative errno
 */
int report_codeclimate_file(struct report *r, const char *path,
                            struct source *src, const struct diag_list *d,
                            enum diag_severity min_sev);
/** Append the Code Quality document (a JSON array). */
int report_codeclimate_finish(struct report *r, struct buf *out);

/**
 * A repository-relative path: "./" and repeated slashes dropped, an
 * absolute path under the current folder made relative to it.
 *
 * @v cwd_buf  room for the current folder's name (caller's storage)
 * @ret path   a suffix of @p path (borrowed)
 */
const char *report_relative_path(const char *path, char *cwd_buf,
                                 size_t cwd_size);

#endif
