/* SPDX-License-Identifier: MIT */
/** @file One server of a fleet run: what is asked of it (the input) and
 *  how it went (the result), with the states it walks and the outcomes it
 *  ends with.  The engine (fleet.c) and the states (job_read.c,
 *  job_write.c) fill it; the caller reads it. */
#ifndef IPXETOOL_UPLOADER_FLEET_TARGET_H
#define IPXETOOL_UPLOADER_FLEET_TARGET_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "boot.h"
#include "buf.h"

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
    char *server;              /**< service name */
    char *file;                /**< file the script came from, or NULL */
    char *script;              /**< new script (push, diff), or NULL */
    size_t script_len;         /**< its length */
    struct boot_state restore; /**< rollback: the state to restore */

    /* Result. */
    enum fleet_outcome outcome; /**< how it ended */
    enum fleet_state state;     /**< its step; once ended, where it ended */
    struct boot_state before;   /**< state first read (if have_before) */
    bool have_before;           /**< whether before was read */
    enum boot_mode mode;        /**< boot mode, if it was read */
    char *datacenter;           /**< datacenter, or NULL */
    char *boot_type;            /**< bootType of a bootId, or NULL */
    char *boot_kernel;          /**< kernel of a bootId, or NULL */
    long long new_boot_id;      /**< bootId set by disk/rescue, or -1 */
    struct buf findings;        /**< lint findings (gcc format) */
    size_t lint_errors;         /**< error-level findings */
    struct buf diff;            /**< unified diff (diff command) */
    struct buf reason;          /**< why it failed or was refused */
    struct buf hint;            /**< what to do about it */
    int text_err;               /**< first failure to add to reason or hint
                                     (sticky; they lack a part), or 0 */
    json_t *query_ids;          /**< array of every X-Ovh-QueryID seen */
    long long task_id;          /**< reboot task, or -1 */
    char *task_status;          /**< its last status, or NULL */
    int requests;               /**< API calls made for this server */
    int64_t elapsed_ms;         /**< wall time from start to end */
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

/** Append to the target's reason, as fleet_target_reason(), from a
 *  va_list. */
void fleet_target_vreason(struct fleet_target *t, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/** Keep @p rc, the result of adding to the target's reason or hint: the
 *  first failure sticks in t->text_err, for the caller to report. */
void fleet_target_text_rc(struct fleet_target *t, int rc);

#endif
