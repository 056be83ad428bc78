/* SPDX-License-Identifier: MIT */
/** @file What every ipxe-upload command gets: the run's state and the
 *  plumbing the commands share (the setup, the journal, targets, the
 *  engine), and the commands the table in cli_run.c lists.  Private to
 *  uploader/cli/. */
#ifndef IPXETOOL_UPLOADER_COMMAND_H
#define IPXETOOL_UPLOADER_COMMAND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "api.h"
#include "buf.h"
#include "cli_opts.h"
#include "endpoint.h"
#include "fleet.h"
#include "journal.h"
#include "ovh_config.h"

struct fleetsrc;
struct http_client;

/** Everything one run holds. */
struct cli {
    struct upload_opts o;     /**< options */
    struct ovh_config cfg;    /**< credentials (secrets inside) */
    struct endpoint ep;       /**< endpoint */
    struct http_client *http; /**< transport */
    struct api *api;          /**< API client */
    struct journal journal;   /**< change journal, fd -1 until opened */
    FILE *log;                /**< --log file, or NULL */
    struct fleetsrc *src;     /**< --template + --inventory, or NULL */
    int64_t started;          /**< http_now_ms() at start */
};

/* The commands (cmd_*.c), with their --help texts. */
int cmd_list(struct cli *c);
int cmd_get(struct cli *c);
int cmd_diff(struct cli *c);
int cmd_change(struct cli *c); /* push, disk, rescue, reboot */
int cmd_rollback(struct cli *c);
int cmd_credential(struct cli *c);
extern const char cmd_list_usage[];
extern const char cmd_get_usage[];
extern const char cmd_diff_usage[];
extern const char cmd_push_usage[];
extern const char cmd_disk_usage[];
extern const char cmd_rescue_usage[];
extern const char cmd_reboot_usage[];
extern const char cmd_rollback_usage[];
extern const char cmd_credential_usage[];

/* The setup and the journal (cli_setup.c). */

/** Credentials, endpoint, transport and API client for the command in
 *  c->o (and the --log file).  @ret CLI_GO_ON or UPLOAD_EXIT_USAGE
 *  (printed) */
int cli_setup(struct cli *c);

/** Free what the run holds (after cli_setup(), even a failed one). */
void cli_release(struct cli *c);

/** The journal's path: --journal, else the default kept in @p b; NULL
 *  (with the error printed) when there is none. */
const char *cli_journal_path(struct cli *c, struct buf *b);

/** Open the journal for appending.  @ret CLI_GO_ON or UPLOAD_EXIT_USAGE
 *  (printed) */
int cli_open_journal(struct cli *c);

/** Warn of each line journal_read() put in @p skipped, and that its
 *  change is left out.  @ret whether there was any */
bool cli_warn_skipped(const struct buf *skipped);

/* Targets and the engine (cli_fleet.c). */

/**
 * The targets of a command: from the FILE arguments (@p files), the
 * SERVER arguments, or the inventory with --template.  On CLI_GO_ON,
 * @p out holds @p n targets: free with cli_free_targets().
 *
 * @ret rc  CLI_GO_ON, or the enum upload_exit to end with (printed)
 */
int cli_make_targets(struct cli *c, bool files, struct fleet_target **out,
                     size_t *n);

/** Release @p n targets and free the array. */
void cli_free_targets(struct fleet_target *t, size_t n);

/** Run the command's operation over @p t, print the results (and the
 *  summary for CLI_CMD_SUMMARY), write --report.  @ret enum upload_exit */
int cli_run_fleet(struct cli *c, struct fleet_target *t, size_t n);

/** What a server boots, in one word or two, appended to @p b.
 *  @ret rc 0 or a negative errno (from the append) */
int cli_boot_label(const struct fleet_target *t, struct buf *b);

/* One API call outside the engine (list, credential). */

/** Its answer: the JSON on success, else the failure's message and hint.
 *  Set up with cli_reply_init(), free with cli_reply_release(). */
struct cli_reply {
    enum api_status status; /**< how the call ended */
    json_t *json;           /**< the answer on success (a reference) */
    struct buf msg;         /**< the failure, with its query id */
    struct buf hint;        /**< what to do about it, or empty */
    int err;                /**< failure to record msg or hint, or 0 */
};

/** Set up an empty reply. */
void cli_reply_init(struct cli_reply *r);

/** Free what a reply holds. */
void cli_reply_release(struct cli_reply *r);

/** The api_done_fn that fills the struct cli_reply @p ctx. */
void cli_on_reply(void *ctx, const struct api_result *res);

/** The failure's message, or @p fallback when it has none. */
const char *cli_reply_message(const struct cli_reply *r, const char *fallback);

#endif
