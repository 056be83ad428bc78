/* SPDX-License-Identifier: MIT */
/** @file What changes what the linter reports: the platform, each rule's
 *  setting, the declared names.  The command line, the config file and
 *  IPXE_LINT_OPTS end up here; in-file directives refine it per file. */
#ifndef IPXETOOL_LINTER_OPTIONS_H
#define IPXETOOL_LINTER_OPTIONS_H

#include <stdbool.h>

#include "diag.h"

/** The firmware a script will run under. */
enum lint_platform {
    LINT_PLATFORM_ANY = 0, /**< report what breaks on either */
    LINT_PLATFORM_EFI,     /**< UEFI (OVHcloud bootMode uefi) */
    LINT_PLATFORM_PCBIOS,  /**< legacy BIOS (OVHcloud bootMode legacy) */
};

/** How one rule is set up: on or off, and at which severity. */
struct lint_rule_setting {
    bool enabled;           /**< reported at all */
    enum diag_severity sev; /**< the severity it reports at */
};

/** Everything that changes what the linter reports (the command line, the
 *  config file and IPXE_LINT_OPTS end up here; in-file directives refine it
 *  per file). */
struct lint_options {
    enum lint_platform platform;     /**< --platform */
    bool force_template;             /**< --template: placeholders are tags */
    struct lint_rule_setting *rules; /**< one per rule, by lint_rule index;
                                          NULL: every rule at its default */
    const char *const
        *external_vars; /**< settings set elsewhere (NULL-ended) */
    bool require_https; /**< http:// URLs are findings */
    const char *const *allowed_hosts; /**< hosts URLs may name (NULL: any) */
    unsigned jobs;                    /**< threads for a large file's parse
                                           and rules: 0 as many as help (at
                                           most 2), 1 none */
};

/** Default options: every rule at its default, platform any. */
void lint_options_init(struct lint_options *o);

#endif
