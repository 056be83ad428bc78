/* SPDX-License-Identifier: MIT */
/** @file The ipxe-upload command line: options, commands, exit codes. */
#ifndef IPXETOOL_UPLOADER_CLI_H
#define IPXETOOL_UPLOADER_CLI_H

#include <stdbool.h>
#include <stddef.h>

/** Exit codes, as documented in ipxe-upload(1). */
enum upload_exit {
    UPLOAD_EXIT_OK = 0,     /**< every server ok (or unchanged) */
    UPLOAD_EXIT_FAILED = 1, /**< a server failed, was refused, or the API
                                 rejected the request */
    UPLOAD_EXIT_USAGE = 2,  /**< bad usage, configuration or system error */
};

/** Commands. */
enum upload_cmd {
    CMD_NONE = 0,
    CMD_LIST,
    CMD_GET,
    CMD_DIFF,
    CMD_PUSH,
    CMD_DISK,
    CMD_RESCUE,
    CMD_REBOOT,
    CMD_ROLLBACK,
    CMD_CREDENTIAL,
};

/** Every option; one field per option (strings borrowed from argv). */
struct upload_opts {
    enum upload_cmd cmd;       /**< the command */
    const char *endpoint;      /**< --endpoint */
    const char *config;        /**< --config */
    const char *cacert;        /**< --cacert */
    const char *journal;       /**< --journal */
    const char *report;        /**< --report */
    const char *log;           /**< --log */
    const char *kernel;        /**< --kernel (rescue) */
    const char *template_path; /**< --template (push, diff) */
    const char *inventory;     /**< --inventory (push, diff) */
    const char **hosts;        /**< --host patterns (argc entries, owned) */
    size_t nhosts;             /**< their number */
    const char **sets;         /**< --set assignments (argc entries, owned) */
    size_t nsets;              /**< their number */
    const char *redirect;      /**< --redirect (credential) */
    const char *save;          /**< --save (credential) */
    long connect_timeout_ms;   /**< --connect-timeout */
    long timeout_ms;           /**< --timeout (per request) */
    long deadline_ms;          /**< --deadline (per server) */
    long poll_ms;              /**< --poll-interval */
    long task_grace_ms;        /**< --task-grace */
    long wait_timeout_ms;      /**< --wait-timeout */
    size_t jobs;               /**< -j */
    double rate;               /**< --rate, per minute; 0 unlimited */
    int burst;                 /**< requests at once under --rate */
    int retries;               /**< --retries */
    bool json;                 /**< --json */
    bool reboot;               /**< --reboot */
    bool wait;                 /**< --wait */
    bool yes;                  /**< --yes */
    bool resume;               /**< --resume */
    bool verbose;              /**< --verbose */
    bool quiet;                /**< --quiet */
    bool help;                 /**< --help */
    bool version;              /**< --version */
    char **args;               /**< positional arguments after the command */
    size_t nargs;              /**< their number */
};

/** Run ipxe-upload with @p argc, @p argv.  @ret enum upload_exit. */
int cli_run(int argc, char **argv);

#endif
