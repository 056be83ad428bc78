/* SPDX-License-Identifier: MIT */
/** @file One command's arguments read exactly as iPXE's getopt reads them
 *  (spec §2.7): options only before the first argument that does not start
 *  with '-', `--` ends them, long names exact, `--name=value` or a separate
 *  value that does not start with '-', short options grouped, `-h`/`--help`
 *  on every command that parses options. */
#ifndef IPXETOOL_LINTER_CMDPARSE_H
#define IPXETOOL_LINTER_CMDPARSE_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct ast_segment;
struct ast_word;
struct cmd_def;
struct cmd_option;

/** One option found before the positional arguments. */
struct cmd_optval {
    const struct cmd_option *opt; /**< which option */
    uint32_t word;                /**< argv index of the word naming it */
    const struct ast_word *value; /**< the word holding the value, or NULL */
    const char *vtext;            /**< the value's text (inline after '=' or
                                       the short option, or the whole next
                                       word); NOT NUL-terminated */
    uint32_t vlen;                /**< bytes in vtext */
};

/** Why getopt would fail: the first problem only, as iPXE stops there. */
enum cmd_error {
    CMD_OK = 0,
    CMD_ERR_UNKNOWN_OPTION, /**< "Unrecognised option" (incl. lone '-') */
    CMD_ERR_MISSING_VALUE,  /**< "Option requires an argument" */
    CMD_ERR_VALUE_ON_FLAG,  /**< `--flag=value` */
    CMD_ERR_HELP,           /**< `-h` / `--help`: prints usage, fails */
    CMD_ERR_TOO_FEW,        /**< fewer positional arguments than min */
    CMD_ERR_TOO_MANY,       /**< more than max */
};

struct cmd_call {
    const struct cmd_def *def;     /**< the command, or NULL if unknown */
    struct cmd_optval *opts;       /**< options found, in order (arena) */
    uint32_t nopts;                /**< how many */
    uint32_t first_arg;            /**< argv index of the first positional */
    uint32_t nargs;                /**< positional arguments */
    enum cmd_error error;          /**< the first getopt failure, or CMD_OK */
    uint32_t error_word;           /**< argv index of the word at fault */
    char error_short;              /**< the short option at fault, or 0 */
    bool dynamic;                  /**< argv[0] holds an expansion or a
                                        template tag: not known statically */
};

/**
 * Read the arguments of @p seg.  Words whose text is only known at run
 * time (an expansion or a template placeholder) are taken as they would
 * most likely read: an expansion never starts an option.
 *
 * @ret rc 0, or -ENOMEM (nothing is then known about the call)
 */
int cmdparse(const struct ast_segment *seg, struct arena *a,
             struct cmd_call *out);

/** The value of option @p long_name in @p call, or NULL if absent (the last
 *  one wins if repeated, as in iPXE). */
const struct cmd_optval *cmdparse_opt(const struct cmd_call *call,
                                      const char *long_name);

/** Parse @p len bytes as iPXE's strtoul base 0 over the whole string.
 *  @ret ok whether the text is a valid integer; @p out gets the value */
bool cmdparse_integer(const char *text, uint32_t len, unsigned long *out);

#endif
