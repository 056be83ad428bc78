/* SPDX-License-Identifier: MIT */
/** @file One server's job in the fleet engine: its state, and the steps
 *  the state machine (fleet.c) runs, each in job_read.c or job_write.c.
 *  Private to uploader/fleet/.
 *
 * A step's entry function starts the work of its state: a request whose
 * answer handler reads the answer into the job and the target, or local
 * work.  Either way it ends with job_advance() (the state's work is done:
 * fleet.c picks the next state) or with job_end() / job_fail() (the
 * server is finished).
 */
#ifndef IPXETOOL_UPLOADER_JOB_H
#define IPXETOOL_UPLOADER_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "api.h"
#include "fleet.h"

/** The engine's state for one run. */
struct fleet {
    struct api *api;               /**< client (borrowed) */
    struct http_client *http;      /**< transport (borrowed) */
    const struct fleet_opts *o;    /**< settings (borrowed) */
    struct fleet_target *t;        /**< targets (borrowed) */
    size_t n;                      /**< their number */
    size_t next;                   /**< next target to start */
    struct fleet_progress prog;    /**< counts */
    int64_t started;               /**< http_now_ms() at start */
    struct job *jobs;              /**< one per target */
    bool starting;                 /**< inside fleet_start_next() */
};

/** What a read-back after a PUT showed (FLEET_ST_VERIFY). */
enum readback {
    READBACK_WANTED,   /**< what was written: verified */
    READBACK_PREVIOUS, /**< the previous state: the PUT did not take */
    READBACK_OTHER,    /**< something else, or nothing readable: restore */
};

/** One server's walk through its state machine. */
struct job {
    struct fleet *f;               /**< owner */
    struct fleet_target *t;        /**< the server */
    int64_t started;               /**< http_now_ms() at start */
    int64_t deadline;              /**< server deadline, 0 for none */
    json_t *boot_ids;              /**< /boot?bootType= answer */
    size_t boot_idx;               /**< next id to look at */
    struct boot_state want;        /**< state to write (borrowed bytes) */
    bool put_script;               /**< the PUT sends bootScript */
    bool put_uncertain;            /**< the PUT failed but may have applied */
    int64_t task_started;          /**< when the reboot task was created */
    int64_t task_first_error;      /**< first tolerated poll error, or 0 */
    json_t *server;                /**< render: the GET answer (facts) */
    json_t *hardware;              /**< render: specifications/hardware */
    bool rendered;                 /**< render: t->script is made */
    enum readback readback;        /**< what the last read-back showed */
};

/* The engine (fleet.c). */

/** The server is finished with @p out: report it, start the next one. */
void job_end(struct job *j, enum fleet_outcome out);

/** Fail with a message of our own (and @p hint, or NULL). */
void job_fail(struct job *j, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Fail because a call failed: "@p what: message (query id)", its hint. */
void job_fail_call(struct job *j, const char *what,
                   const struct api_result *r);

/** Count a call's requests and keep its query id. */
void job_note_result(struct job *j, const struct api_result *r);

/** Append a failed call's message and query id to the reason. */
void job_reason_call(struct job *j, const struct api_result *r);

/** The API path of this job's server with @p suffix, into @p path. */
void job_server_path(const struct job *j, const char *suffix, char *path,
                     size_t size);

/** Issue a call for this job; false (the job failed) when it cannot be
 *  queued or, unless API_SETTLE, the per-server deadline has passed. */
bool job_call(struct job *j, const char *method, const char *suffix,
              json_t *body, unsigned flags, api_done_fn fn);

/** The current state's work is done: enter the next state, or end. */
void job_advance(struct job *j);

/** Whether the job is putting the previous state back. */
bool job_restoring(const struct job *j);

/* Reading (job_read.c): the entry functions of CHECK, READ_SERVER,
 * READ_HARDWARE, LINT, RENDER, DESCRIBE_BOOT and DIFF. */
void job_check_script(struct job *j);
void job_read_server(struct job *j);
void job_read_hardware(struct job *j);
void job_lint_mode(struct job *j);
void job_render(struct job *j);
void job_describe_boot(struct job *j);
void job_diff(struct job *j);

/** Parse a GET /dedicated/server/{sn} answer into @p s (and, with
 *  @p keep_facts, the datacenter); false if it has no usable state. */
bool job_parse_server(struct job *j, json_t *root, struct boot_state *s,
                      bool keep_facts);

/* Writing (job_write.c): the entry functions of COMPARE, JOURNAL, PUT,
 * RESTORE, VERIFY (and VERIFY_RESTORE), LIST_BOOTS, READ_BOOT, REBOOT and
 * WAIT_TASK. */
void job_compare(struct job *j);
void job_journal_intent(struct job *j);
void job_put(struct job *j, const struct boot_state *s, bool script);
void job_restore(struct job *j);
void job_verify(struct job *j);
void job_list_boots(struct job *j);
void job_lookup_next(struct job *j);
void job_reboot(struct job *j);
void job_wait_task(struct job *j);

/** Whether the server's state @p s is what this job wants. */
bool job_is_wanted(struct job *j, const struct boot_state *s);

#endif
