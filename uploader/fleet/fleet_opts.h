/* SPDX-License-Identifier: MIT */
/** @file What a fleet run is asked to do: the operation, the settings and
 *  the caller's hooks (rendering a script, hearing of each server's end).
 *  Borrowed by the engine (fleet.c) and the states (job_read.c,
 *  job_write.c) for the length of fleet_run(). */
#ifndef IPXETOOL_UPLOADER_FLEET_OPTS_H
#define IPXETOOL_UPLOADER_FLEET_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct fleet_target;
struct journal;

/** What to do to each server. */
enum fleet_op {
    FLEET_GET,      /**< read the script or what boots instead */
    FLEET_DIFF,     /**< lint and diff against the current script */
    FLEET_PUSH,     /**< lint, write, verify (and reboot) */
    FLEET_DISK,     /**< boot from the hard disk */
    FLEET_RESCUE,   /**< boot the rescue system */
    FLEET_REBOOT,   /**< hard reboot (and wait) */
    FLEET_ROLLBACK, /**< restore a journal's previous state */
    FLEET_INFO,     /**< read state, boot mode and boot kind (list) */
};

/** Counts for a progress display. */
struct fleet_progress {
    size_t total;       /**< servers */
    size_t done;        /**< finished */
    size_t failed;      /**< of which failed or refused */
    size_t in_flight;   /**< started, not finished */
    int64_t elapsed_ms; /**< since fleet_run() started */
};

/**
 * Render a server's script from its live facts (push and diff with
 * --template).  @p facts is the object the template sees as `ovh`
 * (borrowed); t->mode is the server's boot mode.  On success the hook sets
 * t->script and t->script_len (owned by the target); on a refusal it
 * fills t->reason (and t->findings, t->lint_errors, t->hint).
 *
 * @ret rc  0 rendered and lint-clean, 1 refused, or a negative errno
 */
typedef int (*fleet_render_fn)(void *ctx, struct fleet_target *t,
                               json_t *facts);

/** Settings, borrowed during fleet_run(). */
struct fleet_opts {
    enum fleet_op op;          /**< what to do */
    size_t jobs;               /**< servers in flight (>= 1) */
    long server_deadline_ms;   /**< per server, not counting a reboot wait */
    bool reboot;               /**< reboot after a change (push, disk...) */
    bool wait;                 /**< wait for reboot tasks to finish */
    long poll_ms;              /**< task polling interval */
    long task_grace_ms;        /**< tolerate task 404/500 this long */
    long wait_timeout_ms;      /**< give up waiting on a task after this */
    const char *rescue_kernel; /**< rescue netboot kernel name */
    struct journal *journal;   /**< where changes are recorded */
    fleet_render_fn render;    /**< push/diff: render from live facts
                                    instead of a script given up front */
    void *render_ctx;          /**< argument of render */
    const char *source_sha256; /**< with render: digest of what the scripts
                                    are made from, for the journal */
    /** Called as each server finishes (may be NULL). */
    void (*on_done)(void *ctx, const struct fleet_target *t,
                    const struct fleet_progress *p);
    void *cb_ctx; /**< argument of on_done */
};

#endif
