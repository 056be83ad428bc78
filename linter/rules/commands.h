/* SPDX-License-Identifier: MIT */
/** @file The commands family's shared parts: its rules and the helpers
 *  its files share.  Internal to commands.c and commands_order.c. */
#ifndef IPXETOOL_LINTER_COMMANDS_H
#define IPXETOOL_LINTER_COMMANDS_H

#include "engine.h"
#include "nameset.h"

/* ---- what the family's files share ---- */

/** Longest piece of user text quoted in a message: a pasted paragraph
 *  should not become the message. */
#define QUOTE_MAX 40

/** The bytes of @p w worth quoting (at most QUOTE_MAX). */
static inline int qlen(const struct ast_word *w)
{
    return (int)(w->len > QUOTE_MAX ? QUOTE_MAX : w->len);
}

/** "..." when @p w was cut by qlen(), else "". */
static inline const char *qmore(const struct ast_word *w)
{
    return w->len > QUOTE_MAX ? "..." : "";
}

/** Whether @p w's text is only known at run time. */
static inline bool word_is_dynamic(const struct ast_word *w)
{
    return (w->flags & (AST_W_EXPAND | AST_W_TEMPLATE)) != 0;
}

/** The command's word @p i, or NULL. */
static inline const struct ast_word *word_at(const struct lint_cmd *cmd,
                                             uint32_t i)
{
    const struct ast_word *w;

    if (i >= cmd->seg->argc)
        return NULL;
    w = cmd->seg->argv[i];
    return (w->flags & AST_W_CONTROL) ? NULL : w;
}

/** Names created so far (menus, forms, parameter lists) and the logical
 *  line where each was first created: a hash map, plus the unnamed one. */
struct name_list {
    struct nameset names; /**< each name: the line where it was first
                               created */
    long unnamed;         /**< line of the unnamed one, or -1 */
    bool any;             /**< a name only known at run time was created */
    bool oom;             /**< memory ran out: say nothing */
};

/** A command that needs a menu, form or parameter list to exist. */
struct consumer {
    unsigned cmd;        /**< the command (enum cmd_id) */
    const char *opt;     /**< its option naming the target */
    const char *creator; /**< the command that creates the target */
    const char *thing;   /**< what the target is, for messages */
};

/** A consumer whose target was not created before it. */
struct pending {
    const struct lint_cmd *cmd; /**< the command */
    const struct consumer *c;   /**< what it is */
    const char *text;           /**< its target's name (NULL: default) */
    uint32_t len;               /**< bytes in text */
};

/** What IPX2111 or IPX2112 follows through the file. */
struct consumers {
    struct name_list made; /**< targets created so far */
    struct pending *pend;  /**< (malloc) consumers that missed */
    size_t npend, cap;
    uint32_t lines; /**< lines seen */
    bool stop;      /**< nothing more to learn */
};

/**
 * What the family's whole-script rules gather line by line (on_line,
 * while the engine has the line at hand) for their findings at the end
 * (lint_memo()).
 */
struct cmds_data {
    /* IPX2101 */
    size_t known, unknown; /**< commands of each kind */
    const struct lint_cmd *first_unknown;
    const struct lint_cmd **unknowns; /**< (malloc) the ones to report
                                           if the file is iPXE's */
    size_t nunknowns, unknowns_cap;
    bool reported_in_block; /**< in unreachable code, one per block */
    uint32_t unknown_lines; /**< lines seen */
    /* IPX2110 */
    bool any_select;               /**< some command selects an image, or
                                        one is only known at run time */
    bool booted;                   /**< a `chain <uri>` or `sanboot` came */
    const struct lint_cmd **boots; /**< (malloc) bare `boot`s before it */
    size_t nboots, boots_cap;
    uint32_t boot_lines; /**< lines seen */
    /* IPX2111, IPX2112 */
    struct consumers params, menus;
};

/** The family's data for this file (lint_memo), or NULL. */
struct cmds_data *cmds_data(struct lint_ctx *ctx);
/** Whether iPXE runs its option parser for this command: not for `help`,
 *  nor for the dummy `shim` of BIOS builds. */
bool cmds_parses_options(struct lint_ctx *ctx, const struct cmd_def *def);
/** What a failure of @p cmd does to the script, for messages. */
const char *cmds_fail_effect(const struct lint_cmd *cmd);
/** Whether iPXE's image commands take the arguments after the first as
 *  the image's command line. */
bool cmds_is_image_cmd(const struct cmd_def *def);
/** Whether @p w starts like a template tag the parser was not told of. */
bool cmds_looks_like_tag(const struct ast_word *w);
/** The long option of @p def that word @p w spells with one dash
 *  (`-timeout`), or NULL. */
const struct cmd_option *cmds_spelled_long(const struct cmd_def *def,
                                           const struct ast_word *w);

#endif
