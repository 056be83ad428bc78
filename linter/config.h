/* SPDX-License-Identifier: MIT */
/** @file ipxe-lint's configuration: `.ipxe-lint.conf`, IPXE_LINT_OPTS and
 *  the command line all become `key = value` settings applied in order
 *  (spec/lint-conventions.md "Configuration"). */
#ifndef IPXETOOL_LINTER_CONFIG_H
#define IPXETOOL_LINTER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "lint.h"

struct buf;

/** The least severe finding that makes the exit status 1, or none. */
#define CONFIG_THRESHOLD_NONE (-1)

struct lint_config {
    struct lint_options lint;   /**< what the linter sees */
    enum diag_severity min_sev; /**< -S: least severe finding reported */
    int threshold;              /**< --failure-threshold, or _NONE */
    char **strings;             /**< values kept for lint (malloc) */
    size_t nstrings, strings_cap;
    const char **vars; /**< external-vars, NULL-ended (malloc) */
    size_t nvars;
    const char **hosts; /**< allowed-hosts, NULL-ended (malloc) */
    size_t nhosts;
    const char *tree;     /**< tree: the folder of a boot tree, or NULL */
    const char **maps;    /**< map: "URL-PREFIX=DIR", NULL-ended (malloc) */
    size_t nmaps;
    const char **entries; /**< entry: scripts booted first (malloc) */
    size_t nentries;
    const char *base; /**< while a file is read: its folder, which the
                           paths of tree, map and entry are relative to */
};

/** Defaults: every rule at its default severity, -S style, threshold
 *  warning, platform any. */
int lint_config_init(struct lint_config *c);
/** Free what the configuration holds. */
void lint_config_release(struct lint_config *c);
/** A copy of @p from (for one file's configuration). */
int lint_config_copy(struct lint_config *to, const struct lint_config *from);

/**
 * Apply one setting.  Keys: disable, enable (rule codes or names, comma
 * separated, `all` for every rule), severity (-S), failure-threshold,
 * platform, external-vars, allowed-hosts, require-https, template,
 * severity.<code or name>, and for tree mode tree (a folder), map
 * (URL-PREFIX=DIR, repeatable) and entry (scripts, commas).
 *
 * @ret rc 0, or -EINVAL with a message in @p err
 */
int lint_config_apply(struct lint_config *c, const char *key, const char *value,
                      struct buf *err);

/**
 * Read a config file: `key = value` lines, `#` comments, blank lines.
 * @ret rc 0; -errno if it cannot be read; -EINVAL with "path:line: what"
 *         in @p err for a bad line
 */
int lint_config_load(struct lint_config *c, const char *path, struct buf *err);

/** The nearest `.ipxe-lint.conf` in @p dir or a folder above it, as a path
 *  the caller frees, or NULL. */
char *lint_config_find(const char *dir);

struct lint_tree_setup;
/** The tree @p c configures (tree, map, entry), into @p setup, cleared
 *  first; the strings stay @p c's. */
void lint_config_tree_setup(const struct lint_config *c,
                            struct lint_tree_setup *setup);

#endif
