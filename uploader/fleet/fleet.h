/* SPDX-License-Identifier: MIT */
/** @file The fleet engine: one state machine per server, many in flight.
 *
 * Every command that touches servers runs here, for one server or a
 * thousand: up to `jobs` servers are in flight on the shared multi handle
 * and each walks its own state machine.  For a push:
 *
 *     lint -> read -> identical?  -> unchanged            (1 request)
 *                  -> journal -> PUT -> read back -> updated (3 requests)
 *                                                 -> reboot -> wait task
 *
 * A script with lint errors is refused before anything is sent (the
 * server's boot mode is read only when the script is not clean for every
 * firmware).  With a render hook (push --template), the script is made
 * per server from its live facts instead:
 *
 *     read -> boot mode -> render + lint -> identical? -> unchanged (2)
 *                                        -> journal -> PUT -> read back (4)
 *  The journal record is durable before the PUT; a PUT whose
 * outcome is unknown is settled by reading back; a read-back that differs
 * restores the previous state.  So each server ends unchanged, updated
 * (and verified), refused, or failed with its previous state intact and
 * the reason reported.  The engine never prints: results are handed to
 * the caller's callback.
 */
#ifndef IPXETOOL_UPLOADER_FLEET_H
#define IPXETOOL_UPLOADER_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "journal.h"
#include "scriptlint.h"

struct api;
struct http_client;

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

/** How a server ended. */
enum fleet_outcome {
    FLEET_PENDING = 0, /**< not finished */
    FLEET_DONE,        /**< a read-only operation succeeded */
    FLEET_UNCHANGED,   /**< already as wanted; nothing written */
    FLEET_UPDATED,     /**< written and verified (and rebooted if asked) */
    FLEET_REFUSED,     /**< not sent: lint errors or an unusable script */
    FLEET_FAILED,      /**< an error; the previous state is intact */
    FLEET_SKIPPED,     /**< --resume: the journal shows it done */
};

/**
 * Where a server is in its state machine.  Each state is one step: a
 * request, a wait, or local work; fleet.c's job_advance() holds every
 * transition.  A push without --template walks
 *
 *     CHECK [-> READ_HARDWARE -> LINT] -> READ_SERVER -> COMPARE
 *       -> JOURNAL -> PUT -> VERIFY [-> REBOOT [-> WAIT_TASK]]
 *                             VERIFY -> RESTORE -> VERIFY_RESTORE
 *
 * with --template READ_SERVER -> READ_HARDWARE -> RENDER -> COMPARE...;
 * disk and rescue READ_SERVER -> LIST_BOOTS [-> READ_BOOT...] -> COMPARE
 * -> JOURNAL...; get and list READ_SERVER [-> READ_HARDWARE]
 * -> DESCRIBE_BOOT; diff as push up to DIFF; reboot REBOOT [-> WAIT_TASK].
 * Any state may end the server (its outcome says how).
 */
enum fleet_state {
    FLEET_ST_QUEUED = 0,     /**< not started */
    FLEET_ST_CHECK,          /**< refuse what cannot be sent; lint for
                                  every firmware */
    FLEET_ST_READ_HARDWARE,  /**< GET specifications/hardware (boot mode) */
    FLEET_ST_LINT,           /**< lint for the server's boot mode */
    FLEET_ST_READ_SERVER,    /**< GET the server: its boot state */
    FLEET_ST_RENDER,         /**< render and lint from live facts */
    FLEET_ST_DESCRIBE_BOOT,  /**< GET boot/{id}: what the bootId boots */
    FLEET_ST_DIFF,           /**< diff the current and the new script */
    FLEET_ST_LIST_BOOTS,     /**< GET boot?bootType=: the candidates */
    FLEET_ST_READ_BOOT,      /**< GET boot/{id}: a candidate's kernel */
    FLEET_ST_COMPARE,        /**< already as wanted? */
    FLEET_ST_JOURNAL,        /**< the intent record, until durable */
    FLEET_ST_PUT,            /**< PUT the wanted state */
    FLEET_ST_VERIFY,         /**< GET: read the change back */
    FLEET_ST_RESTORE,        /**< PUT the previous state back */
    FLEET_ST_VERIFY_RESTORE, /**< GET: read the restore back */
    FLEET_ST_REBOOT,         /**< POST reboot */
    FLEET_ST_WAIT_TASK,      /**< poll the reboot task until it ends */
};

/** One server: the input, then the result.  Strings are owned; free with
 *  fleet_target_release(). */
struct fleet_target {
    /* Input. */
    char *server;             /**< service name */
    char *file;               /**< file the script came from, or NULL */
    char *script;             /**< new script (push, diff), or NULL */
    size_t script_len;        /**< its length */
    struct boot_state restore; /**< rollback: the state to restore */

    /* Result. */
    enum fleet_outcome outcome; /**< how it ended */
    enum fleet_state state;    /**< its step; once ended, where it ended */
    struct boot_state before;  /**< state first read (if have_before) */
    bool have_before;          /**< whether before was read */
    enum boot_mode mode;       /**< boot mode, if it was read */
    char *datacenter;          /**< datacenter, or NULL */
    char *boot_type;           /**< bootType of a bootId, or NULL */
    char *boot_kernel;         /**< kernel of a bootId, or NULL */
    long long new_boot_id;     /**< bootId set by disk/rescue, or -1 */
    struct buf findings;       /**< lint findings (gcc format) */
    size_t lint_errors;        /**< error-level findings */
    struct buf diff;           /**< unified diff (diff command) */
    struct buf reason;         /**< why it failed or was refused */
    struct buf hint;           /**< what to do about it */
    int text_err;              /**< first failure to add to reason or hint
                                    (sticky; they lack a part), or 0 */
    json_t *query_ids;         /**< array of every X-Ovh-QueryID seen */
    long long task_id;         /**< reboot task, or -1 */
    char *task_status;         /**< its last status, or NULL */
    int requests;              /**< API calls made for this server */
    int64_t elapsed_ms;        /**< wall time from start to end */
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
    void *cb_ctx;              /**< argument of on_done */
};

/** Set up a target for @p server (copied); other fields empty. */
int fleet_target_init(struct fleet_target *t, const char *server);

/** Free everything a target holds. */
void fleet_target_release(struct fleet_target *t);

/** Append to the target's reason (why it failed or was refused); a
 *  failure to append is kept in t->text_err. */
void fleet_target_reason(struct fleet_target *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Append to the target's hint, as fleet_target_reason(). */
void fleet_target_hint(struct fleet_target *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * Run @p o->op on every target until each has an outcome.  Targets
 * already marked (FLEET_SKIPPED) are left alone.
 *
 * @ret rc  0 (per-server failures are in the targets), or -ENOMEM / -EIO
 *          when the engine itself could not run
 */
int fleet_run(struct api *a, struct http_client *http,
              const struct fleet_opts *o, struct fleet_target *targets,
              size_t n);

/** The name of a state, for debugging and logs ("VERIFY"). */
const char *fleet_state_name(enum fleet_state s);

/** The lower-case name of an outcome ("updated"). */
const char *fleet_outcome_name(enum fleet_outcome o);

/** Whether @p server is a plausible service name: letters, digits and
 *  ".-_", so it can never change the path it is put in. */
bool fleet_valid_server(const char *server);

#endif
