/* SPDX-License-Identifier: MIT */
/** @file The ipxe-upload options: the getopt table, the usage text, and
 *  the checks of what goes with what; and what an entry of the command
 *  table is, since the options are checked against it (the table itself
 *  is the caller's, cli_run.c's, handed to cli_opts_parse()). */
#ifndef IPXETOOL_UPLOADER_CLI_OPTS_H
#define IPXETOOL_UPLOADER_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "fleet.h"

struct cli;

/**
 * What a step before a command's end (parsing the options, the setup,
 * reading the targets) returns when the run goes on.  Otherwise such a
 * step returns the enum upload_exit to end the run with.  It is no exit
 * status (those are 0 to 255), so "go on" is never mistaken for one, and
 * nothing here is ever negative.
 */
enum cli_go_on {
    CLI_GO_ON = 256, /**< no verdict yet: go on */
};

/** What a command needs and accepts (struct cli_command's flags). */
enum cli_command_flags {
    CLI_CMD_SCRIPTS = 1 << 0,    /**< takes FILE... or --template (with
                                      --inventory, --host, --set), not
                                      SERVER... */
    CLI_CMD_REBOOT_OPT = 1 << 1, /**< takes --reboot (and so --wait) */
    CLI_CMD_REBOOTS = 1 << 2,    /**< reboots: --wait alone, and asks
                                      first unless --yes */
    CLI_CMD_JOURNAL = 1 << 3,    /**< changes servers: opens the journal */
    CLI_CMD_RESUME = 1 << 4,     /**< takes --resume */
    CLI_CMD_SUMMARY = 1 << 5,    /**< ends with the summary table */
    CLI_CMD_NO_CK = 1 << 6,      /**< runs without a consumer key */
    CLI_CMD_SINCE = 1 << 7,      /**< takes --since (rollback) */
};

/** A command's handler.  @ret enum upload_exit */
typedef int (*cli_command_fn)(struct cli *c);

/** One entry of the command table (cli_run.c), handed to cli_opts_parse()
 *  with the others. */
struct cli_command {
    const char *name;   /**< as typed, and in the report: "push" */
    cli_command_fn run; /**< the handler */
    const char *usage;  /**< its --help text */
    enum fleet_op op;   /**< what the engine does to each server */
    unsigned flags;     /**< enum cli_command_flags */
};

/** Every option; one field per option (strings borrowed from argv). */
struct upload_opts {
    const struct cli_command *cmd; /**< the command, or NULL */
    const char *endpoint;          /**< --endpoint */
    const char *config;            /**< --config */
    const char *cacert;            /**< --cacert */
    const char *journal;           /**< --journal */
    const char *report;            /**< --report */
    const char *log;               /**< --log */
    const char *kernel;            /**< --kernel (rescue) */
    const char *template_path;     /**< --template (push, diff) */
    const char *inventory;         /**< --inventory (push, diff) */
    const char **hosts;            /**< --host patterns (argc entries, owned) */
    size_t nhosts;                 /**< their number */
    const char **sets;       /**< --set assignments (argc entries, owned) */
    size_t nsets;            /**< their number */
    const char *redirect;    /**< --redirect (credential) */
    const char *save;        /**< --save (credential) */
    const char *since;       /**< --since RUN|TIME (rollback) */
    long connect_timeout_ms; /**< --connect-timeout */
    long timeout_ms;         /**< --timeout (per request) */
    long deadline_ms;        /**< --deadline (per server) */
    long poll_ms;            /**< --poll-interval */
    long task_grace_ms;      /**< --task-grace */
    long wait_timeout_ms;    /**< --wait-timeout */
    size_t jobs;             /**< -j */
    double rate;             /**< --rate, per minute; 0 unlimited */
    int burst;               /**< requests at once under --rate */
    int retries;             /**< --retries */
    bool json;               /**< --json */
    bool reboot;             /**< --reboot */
    bool wait;               /**< --wait */
    bool yes;                /**< --yes */
    bool resume;             /**< --resume */
    bool verbose;            /**< --verbose */
    bool quiet;              /**< --quiet */
    bool help;               /**< --help */
    bool version;            /**< --version */
    char **args;             /**< positional arguments after the command */
    size_t nargs;            /**< their number */
};

/**
 * Parse @p argv into @p o (which holds argv's strings, borrowed, and the
 * host and set arrays: free them with cli_opts_release(), even after a
 * failure).  The command is looked up in @p cmds, the command table
 * (@p ncmds entries, borrowed: o->cmd points into it), which also gives
 * its --help text and what it takes.  --help and --version print here.
 *
 * @ret rc  CLI_GO_ON, or the enum upload_exit to end with (a usage error
 *          has been printed, or --help or --version answered)
 */
int cli_opts_parse(int argc, char **argv, const struct cli_command *cmds,
                   size_t ncmds, struct upload_opts *o);

/** Free what cli_opts_parse() allocated. */
void cli_opts_release(struct upload_opts *o);

/** A usage error: the message, the "Try --help" line.
 *  @ret UPLOAD_EXIT_USAGE */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
