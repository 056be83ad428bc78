/* SPDX-License-Identifier: MIT */
/** @file What changes what the linter reports: the platform, each rule's
 *  setting, the declared names.  The command line, the config file and
 *  IPXE_LINT_OPTS end up here; in-file directives refine it per file. */
#ifndef IPXETOOL_LINTER_OPTIONS_H
#define IPXETOOL_LINTER_OPTIONS_H

#include <stdbool.h>

#include "diag.h"
#include "source.h"

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

/** A setting some scripts of a tree set before chaining this one, and some
 *  not: where this script first reads it, and a path of scripts that does
 *  not set it. */
struct lint_tree_partial {
    const char *name; /**< the setting (not NUL-terminated) */
    size_t len;       /**< bytes in name */
    struct span at;   /**< its first use in this script */
    const char *path; /**< "a.ipxe -> b.ipxe (line 9) -> ..." (NUL-ended) */
};

/** A chain in this script to a URI that maps into the tree but names no
 *  file there. */
struct lint_tree_missing {
    struct span at;   /**< the URI word */
    const char *uri;  /**< the URI as resolved (NUL-ended) */
    const char *file; /**< the file it would be, under the tree */
};

/** What the tree this script is part of says about it (tree mode:
 *  `ipxe-lint --tree`, or `tree =` in .ipxe-lint.conf). */
struct lint_tree_facts {
    bool reached;           /**< some entry reaches it */
    bool entry;             /**< it is an entry (booted first) */
    bool chained;           /**< every script that reaches it chains it
                                 without --replace, and it is no entry:
                                 an exit returns to that script */
    const char *caller;     /**< a script that chains it (NULL: none) */
    unsigned caller_line;   /**< the line of that chain */
    const char *const *set; /**< settings this script reads that some
                                 caller sets (NUL-ended names) */
    size_t nset;
    const struct lint_tree_partial *partial; /**< set on some paths only */
    size_t npartial;
    const struct lint_tree_missing *missing; /**< chains to no file */
    size_t nmissing;
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
    const struct lint_tree_facts *tree; /**< the script's place in a tree,
                                             or NULL outside tree mode */
    unsigned jobs;                    /**< threads for a large file's parse
                                           and rules: 0 as many as help (at
                                           most 2), 1 none */
};

/** Default options: every rule at its default, platform any. */
void lint_options_init(struct lint_options *o);

#endif
