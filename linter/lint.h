/* SPDX-License-Identifier: MIT */
/** @file The linter's public entry points. */
#ifndef IPXETOOL_LINTER_LINT_H
#define IPXETOOL_LINTER_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct arena;
struct ast_script;
struct buf;
struct source;

/** The firmware a script will run under (spec/lint-conventions.md). */
enum lint_platform {
    LINT_PLATFORM_ANY = 0, /**< report what breaks on either */
    LINT_PLATFORM_EFI,     /**< UEFI (OVHcloud bootMode uefi) */
    LINT_PLATFORM_PCBIOS,  /**< legacy BIOS (OVHcloud bootMode legacy) */
};

/** How one rule is set up: on or off, and at which severity. */
struct lint_rule_setting {
    bool enabled;              /**< reported at all */
    enum diag_severity sev;    /**< the severity it reports at */
};

/** Everything that changes what the linter reports (the command line, the
 *  config file and IPXE_LINT_OPTS end up here; in-file directives refine it
 *  per file). */
struct lint_options {
    enum lint_platform platform;      /**< --platform */
    bool force_template;              /**< --template: placeholders are tags */
    struct lint_rule_setting *rules;  /**< one per rule, by lint_rule index;
                                           NULL: every rule at its default */
    const char *const *external_vars; /**< settings set elsewhere (NULL-ended) */
    bool require_https;               /**< http:// URLs are findings */
    const char *const *allowed_hosts; /**< hosts URLs may name (NULL: any) */
    unsigned jobs;                    /**< threads for a large file's parse
                                           and rules: 0 as many as help (at
                                           most 2), 1 none */
};

/** Default options: every rule at its default, platform any. */
void lint_options_init(struct lint_options *o);

/**
 * Parse and lint @p src.  Findings (parse errors included) are appended to
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
