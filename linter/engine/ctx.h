/* SPDX-License-Identifier: MIT */
/** @file The engine's private state for one script, shared by its files
 *  (ctx.c, directives.c, analyse.c, run.c) and by nothing else: rules see
 *  it only through engine.h. */
#ifndef IPXETOOL_LINTER_CTX_H
#define IPXETOOL_LINTER_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "nameset.h"
#include "ruleset.h"

/* What lint_memo() keeps: one family's result for one key. */
struct memo {
    const void *key; /**< what the family asked for */
    void *value;     /**< what compute() gave */
};

/* lint_memo() is asked for every line by every family: a key finds its
 * entry through these slots (a power of two, four times the eight keys
 * the families use), not by a scan of the list. */
#define MEMO_SLOTS 32

/* Rules a directive turns off for one line. */
struct line_disable {
    uint32_t line;  /**< logical line index */
    uint8_t *rules; /**< one byte per rule: 1 = off */
};

struct lint_ctx {
    struct source *src;
    const struct ast_script *script;
    struct arena *arena;
    struct diag_list *diags;
    const struct lint_options *opts;
    const struct lint_ruleset *rules; /**< the rules run (borrowed) */
    size_t nrules;                    /**< how many */
    struct lint_line *lines;          /**< one per logical line (arena) */
    size_t nlines;
    struct lint_label *labels; /**< in file order (malloc) */
    size_t nlabels, labels_cap;
    struct nameset label_index;    /**< first label of each name */
    struct nameset settings;       /**< settings stored by the script */
    struct nameset ext_vars;       /**< declared external settings */
    struct nameset ext_labels;     /**< declared external labels */
    struct nameset items;          /**< names of menu/form items */
    bool has_present;              /**< a form is presented: its items
                                        are settings */
    bool dynamic_goto;             /**< some goto target is an expansion */
    bool subscript;                /**< `# ipxe-lint subscript` */
    enum lint_platform platform;   /**< in force for this file */
    uint8_t *file_off;             /**< per rule: off for the whole file */
    struct line_disable *line_off; /**< per line directives (malloc) */
    size_t nline_off, line_off_cap;
    struct memo *memo; /**< lint_memo()'s results (malloc) */
    size_t nmemo, memo_cap;
    uint8_t memo_slot[MEMO_SLOTS]; /**< by the key's hash, probing on: 1 +
                                        the index of a memo, or 0 */
    bool oom; /**< memory ran out */
};

/* ctx.c */
/** Zeroed arena memory; sets ctx->oom when there is none. */
void *ctx_zalloc(struct lint_ctx *ctx, size_t size);
/** Add every name of the comma-separated list at @p list to @p set. */
void ctx_add_names(struct lint_ctx *ctx, struct nameset *set, const char *list,
                   size_t len);

/* directives.c */
/** Give the parser's findings from @p first on their configured severity,
 *  dropping those whose rule is off. */
void directives_parse_findings(const struct lint_ctx *ctx, size_t first);
/** Read every `# ipxe-lint` directive of the script. */
void directives_scan(struct lint_ctx *ctx);

/* analyse.c */
/** The walk and the shared analyses: commands, labels, settings,
 *  directives, control flow, reachability. */
int analyse_script(struct lint_ctx *ctx);
/** Free what the analyses malloc'd (the arena keeps the rest). */
void analyse_release(struct lint_ctx *ctx);

#endif
