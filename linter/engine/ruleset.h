/* SPDX-License-Identifier: MIT */
/** @file The rules the engine runs, and running them on one script.
 *
 * The engine is handed its rules as data (the registry builds the set,
 * linter/rules/registry.c), so that it depends on no rule family: the
 * families sit above it and use it, the registry lists them, and the front
 * (linter/lint.c) hands the registry's set to the engine.
 */
#ifndef IPXETOOL_LINTER_RULESET_H
#define IPXETOOL_LINTER_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "options.h"

struct arena;
struct ast_script;
struct lint_rule;
struct source;

/** A set of rules, family by family. */
struct lint_ruleset {
    const struct lint_rule *const *rules; /**< n rules (borrowed) */
    const uint8_t *family;                /**< each rule's family index */
    size_t n;                             /**< how many */
    unsigned second_half;                 /**< the families (a bit each) that
                                               a large file's second thread
                                               runs: whole families, since a
                                               family's hooks share memos */
    const struct lint_rule *unchecked;    /**< the one rule run on a script
                                               in a dialect the linter does
                                               not read (AST_DIALECT_CHEETAH):
                                               it says so (borrowed; NULL:
                                               none runs) */
};

/** The index of @p rule in @p set, or set->n if it is not there. */
size_t lint_ruleset_index(const struct lint_ruleset *set,
                          const struct lint_rule *rule);
/** The rule of @p set whose code or name is the @p len bytes at @p s
 *  (case aside), or NULL. */
const struct lint_rule *lint_ruleset_find(const struct lint_ruleset *set,
                                          const char *s, size_t len);

/** The rule of @p set whose code or name is closest to the @p len bytes at
 *  @p s (for "did you mean"), or NULL if none is close. */
const struct lint_rule *lint_ruleset_closest(const struct lint_ruleset *set,
                                             const char *s, size_t len);

/** How to name @p rule to someone who typed @p s: by code if they typed
 *  a code ("IPX..."), else by name. */
const char *lint_rule_spelling(const struct lint_rule *rule, const char *s,
                               size_t len);

/** Whether @p opts let a large file use a second thread (for its parse
 *  and its rules). */
bool lint_threads_allowed(const struct lint_options *opts);

/**
 * Lint the parsed @p script of @p src with @p rules: the parser's findings
 * already in @p out from index @p first get their configured severity (or
 * go, when their rule is off), then the engine's analyses run and every
 * active rule's hooks; findings are appended to @p out and all of them
 * sorted by position.
 *
 * @v a     owns the findings' text and the engine's scratch data
 * @ret rc  0, or -ENOMEM
 */
int lint_engine_run(struct source *src, const struct ast_script *script,
                    const struct lint_options *opts,
                    const struct lint_ruleset *rules, struct arena *a,
                    struct diag_list *out, size_t first);

#endif
