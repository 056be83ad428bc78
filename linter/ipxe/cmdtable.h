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
    CMD_VAL_NONE = 0, /**< a flag: takes no value */
    CMD_VAL_STRING,   /**< any text */
    CMD_VAL_INTEGER,  /**< strtoul base 0, whole string */
    CMD_VAL_TIMEOUT,  /**< integer milliseconds */
    CMD_VAL_KEY,      /**< one character or an integer key code */
    CMD_VAL_UUID,     /**< canonical UUID text */
    CMD_VAL_SETTING,  /**< [block/]name[:type] */
    CMD_VAL_NETDEV,   /**< an interface name (net0, netX, ...) */
    CMD_VAL_OTHER,    /**< anything else the JSON names (see value_name) */
};

struct cmd_option {
    const char *long_name;  /**< "timeout" (without dashes) */
    char short_name;        /**< 't', or 0 if none */
    enum cmd_value value;   /**< CMD_VAL_NONE for a flag */
    const char *value_name; /**< the JSON's "value" word, or NULL */
};

/** No maximum: the source's MAX_ARGUMENTS. */
#define CMD_ARGS_UNLIMITED 255

/** Every command iPXE has, by its primary name (an alias has the id of
 *  the command it aliases: `chain` is CMD_ID_IMGEXEC).  Rules compare
 *  ids instead of names: cmd_def::id. */
enum cmd_id {
    CMD_ID_NONE = 0, /**< not a command (never in the table) */
    CMD_ID_AUTOBOOT,
    CMD_ID_CERTFREE,
    CMD_ID_CERTSTAT,
    CMD_ID_CERTSTORE,
    CMD_ID_CHOOSE,
    CMD_ID_CLEAR,
    CMD_ID_COLOUR,
    CMD_ID_CONFIG,
    CMD_ID_CONSOLE,
    CMD_ID_CPAIR,
    CMD_ID_CPUID,
    CMD_ID_ECHO,
    CMD_ID_EXIT,
    CMD_ID_FCELS,
    CMD_ID_FCSTAT,
    CMD_ID_FDT,
    CMD_ID_GDBSTUB,
    CMD_ID_GOTO,
    CMD_ID_HELP,
    CMD_ID_IBSTAT,
    CMD_ID_IFCLOSE,
    CMD_ID_IFCONF,
    CMD_ID_IFLINKWAIT,
    CMD_ID_IFOPEN,
    CMD_ID_IFSTAT,
    CMD_ID_IMGARGS,
    CMD_ID_IMGDECRYPT,
    CMD_ID_IMGEXEC,
    CMD_ID_IMGEXTRACT,
    CMD_ID_IMGFETCH,
    CMD_ID_IMGFREE,
    CMD_ID_IMGMEM,
    CMD_ID_IMGSELECT,
    CMD_ID_IMGSET,
    CMD_ID_IMGSTAT,
    CMD_ID_IMGTRUST,
    CMD_ID_IMGVERIFY,
    CMD_ID_INC,
    CMD_ID_IPSTAT,
    CMD_ID_ISEQ,
    CMD_ID_ISSET,
    CMD_ID_ITEM,
    CMD_ID_IWLIST,
    CMD_ID_IWSTAT,
    CMD_ID_LOGIN,
    CMD_ID_LOTEST,
    CMD_ID_MD4SUM,
    CMD_ID_MD5SUM,
    CMD_ID_MENU,
    CMD_ID_NSLOOKUP,
    CMD_ID_NSTAT,
    CMD_ID_NTP,
    CMD_ID_PARAM,
    CMD_ID_PARAMS,
    CMD_ID_PCISCAN,
    CMD_ID_PING,
    CMD_ID_POWEROFF,
    CMD_ID_PRESENT,
    CMD_ID_PROFSTAT,
    CMD_ID_PROMPT,
    CMD_ID_PXEBS,
    CMD_ID_READ,
    CMD_ID_REBOOT,
    CMD_ID_ROUTE,
    CMD_ID_SANBOOT,
    CMD_ID_SANHOOK,
    CMD_ID_SANUNHOOK,
    CMD_ID_SET,
    CMD_ID_SHA1SUM,
    CMD_ID_SHA224SUM,
    CMD_ID_SHA256SUM,
    CMD_ID_SHA384SUM,
    CMD_ID_SHA512SUM,
    CMD_ID_SHELL,
    CMD_ID_SHIM,
    CMD_ID_SHOW,
    CMD_ID_SLEEP,
    CMD_ID_STARTPXE,
    CMD_ID_STOPPXE,
    CMD_ID_SYNC,
    CMD_ID_TIME,
    CMD_ID_USBSCAN,
    CMD_ID_VCREATE,
    CMD_ID_VDESTROY,
    CMD_ID_COUNT
};

struct cmd_def {
    const char *name;              /**< the command name */
    const char *alias_of;          /**< the primary name, or NULL */
    uint8_t id;                    /**< enum cmd_id of the primary name */
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
