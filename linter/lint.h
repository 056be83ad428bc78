/* SPDX-License-Identifier: MIT */
/** @file The linter's public entry points. */
#ifndef IPXETOOL_LINTER_LINT_H
#define IPXETOOL_LINTER_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "options.h"

struct arena;
struct ast_script;
struct buf;
struct source;

/**
 * Parse and lint @p src.  It is linted as a template when its name says
 * so (parse_is_template_name()), with --template, or when its bytes hold
 * template tags; a Cheetah template gets one finding that says it is not
 * checked, and no other.  Findings (parse errors included) are appended to
 * @p out, sorted by position; a directive `# ipxe-lint disable=...` has
 * already been applied.  Severities are the configured ones; the caller
 * filters by -S.
 *
 * @v src   the source (borrowed; must outlive @p a's use)
 * @v opts  the options (borrowed)
 * @v a     owns the tree and the findings' text
 * @v out   findings are appended here
 * @v tree  if not NULL, set to the parsed tree
 * @ret rc  0, or -ENOMEM
 */
int lint_source(struct source *src, const struct lint_options *opts,
                struct arena *a, struct diag_list *out,
                struct ast_script **tree);

/** The parse lint_source() does, alone (tree mode parses each script of a
 *  tree once, then lints it with lint_parsed_run()); the parser's findings
 *  are appended to @p out.  0, or -ENOMEM. */
int lint_parse(struct source *src, const struct lint_options *opts,
               struct arena *a, struct diag_list *out,
               struct ast_script **tree);

/** Run every rule on @p tree, parsed by lint_parse(): the parser's
 *  findings are in @p out from index @p first.  0, or -ENOMEM. */
int lint_parsed_run(struct source *src, const struct ast_script *tree,
                    const struct lint_options *opts, struct arena *a,
                    struct diag_list *out, size_t first);

/**
 * Lint one in-memory script with the default rules, as ipxe-upload and
 * ipxe-render do before they write anything.
 *
 * @v name      file name used in the findings (borrowed)
 * @v data,len  the script's bytes (borrowed; may hold NUL)
 * @v platform  the server's boot mode
 * @v errors    set to the number of error-level findings
 * @v text      if not NULL, every finding is appended in gcc format
 *              (`name:line:col: severity: message [IPXnnnn]`, one a line)
 * @ret rc      0, or a negative errno if memory ran out
 */
int lint_check_buffer(const char *name, const char *data, size_t len,
                      enum lint_platform platform, size_t *errors,
                      struct buf *text);

#endif
