/* SPDX-License-Identifier: MIT */
/** @file iPXE's commands as data: options, argument counts, availability.
 *
 * The table (cmdtable.c) restates spec/ipxe-commands.json; the unit test
 * tests/unit/test_cmdtable.c compares the two field by field, so they
 * cannot drift apart.
 */
#ifndef IPXETOOL_LINTER_CMDTABLE_H
#define IPXETOOL_LINTER_CMDTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** What an option's value is (spec §2.8). */
enum cmd_value {
    CMD_VAL_NONE = 0,  /**< a flag: takes no value */
    CMD_VAL_STRING,    /**< any text */
    CMD_VAL_INTEGER,   /**< strtoul base 0, whole string */
    CMD_VAL_TIMEOUT,   /**< integer milliseconds */
    CMD_VAL_KEY,       /**< one character or an integer key code */
    CMD_VAL_UUID,      /**< canonical UUID text */
    CMD_VAL_SETTING,   /**< [block/]name[:type] */
    CMD_VAL_NETDEV,    /**< an interface name (net0, netX, ...) */
    CMD_VAL_OTHER,     /**< anything else the JSON names (see value_name) */
};

struct cmd_option {
    const char *long_name;  /**< "timeout" (without dashes) */
    char short_name;        /**< 't', or 0 if none */
    enum cmd_value value;   /**< CMD_VAL_NONE for a flag */
    const char *value_name; /**< the JSON's "value" word, or NULL */
};

/** No maximum: the source's MAX_ARGUMENTS. */
#define CMD_ARGS_UNLIMITED 255

struct cmd_def {
    const char *name;              /**< the command name */
    const char *alias_of;          /**< the primary name, or NULL */
    const struct cmd_option *opts; /**< its options */
    uint8_t nopts;                 /**< how many */
    uint8_t min_args;              /**< fewest positional arguments */
    uint8_t max_args;              /**< most, or CMD_ARGS_UNLIMITED */
    bool parses_options;           /**< false only for `help` */
    bool efi;                      /**< in a default x86_64 EFI build */
    bool pcbios;                   /**< in a default BIOS build */
    const char *usage;             /**< the usage string */
    const char *config_flag;       /**< the build flag (e.g. IMAGE_CMD) */
};

/** The command called @p name (@p len bytes, case-sensitive), or NULL. */
const struct cmd_def *cmdtable_find(const char *name, size_t len);
/** Every command, sorted by name; @p n is set to how many. */
const struct cmd_def *cmdtable_all(size_t *n);
/** The option of @p def with long name @p name (@p len bytes), or NULL. */
const struct cmd_option *cmdtable_long(const struct cmd_def *def,
                                       const char *name, size_t len);
/** The option of @p def with short name @p c, or NULL. */
const struct cmd_option *cmdtable_short(const struct cmd_def *def, char c);
/** The known command closest to @p name (for "did you mean"), or NULL if
 *  none is close enough. */
const struct cmd_def *cmdtable_suggest(const char *name, size_t len);

#endif
