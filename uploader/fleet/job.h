/* SPDX-License-Identifier: MIT */
/** @file One server's job in the fleet engine: its state, what the jobs of
 *  a run share, and the helpers the states use.  Private to
 *  uploader/fleet/.
 *
 * The layers: the engine (fleet.c) enters a state by calling its entry
 * function in job_read.c or job_write.c; those use this module and know
 * nothing of the engine.  A state's work records what it read in the job
 * and the target, and says what happened with an enum job_step: at once,
 * as the entry function's return value, or later, when an answer, a
 * timer or the journal completes it, through the run's @c done function,
 * which the engine hands down in struct job_run.  The engine alone
 * decides the next state (job_advance() in fleet.c).
 */
#ifndef IPXETOOL_UPLOADER_JOB_H
#define IPXETOOL_UPLOADER_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "api.h"
#include "boot.h"
#include "fleet_opts.h"
#include "fleet_target.h"

/** The most calls a job issues through job_call(), retries aside (each
 *  call's retries are bounded by api_opts.retries): no operation needs
 *  more than a dozen, save disk and rescue, which read each candidate
 *  netboot.  A job whose answers keep sending it on fails at this bound
 *  instead of spending the rate budget. */
#define JOB_MAX_CALLS 64

/** The most polls of a reboot task (--wait), whatever --poll-interval and
 *  --wait-timeout say. */
#define JOB_MAX_POLLS 1000

struct fleet;
struct http_client;
struct job;

/** What a state's work came to. */
enum job_step {
    JOB_STEP_WAIT = 0, /**< under way: its end comes through run->done */
    JOB_STEP_NEXT,     /**< done (results in the job and the target): the
                            engine picks the next state */
    JOB_STEP_FAILED,   /**< the server failed (the reason is recorded) */
    JOB_STEP_REFUSED,  /**< the server is refused (the reason is recorded) */
};

/** The engine's hand, for a state whose work ended later than its entry
 *  function returned: @p step says how (never JOB_STEP_WAIT). */
typedef void (*job_done_fn)(struct job *j, enum job_step step);

/** An API answer's handler: read @p r into the job and the target, and
 *  say what happened. */
typedef enum job_step (*job_answer_fn)(struct job *j,
                                       const struct api_result *r);

/** What the jobs of one run share; set up by the engine. */
struct job_run {
    struct api *api;            /**< client (borrowed) */
    struct http_client *http;   /**< transport (borrowed) */
    const struct fleet_opts *o; /**< settings (borrowed) */
    job_done_fn done;           /**< the engine: a state's work ended */
};

/** What a read-back after a PUT showed (FLEET_ST_VERIFY). */
enum readback {
    READBACK_WANTED,   /**< what was written: verified */
    READBACK_PREVIOUS, /**< the previous state: the PUT did not take */
    READBACK_OTHER,    /**< something else, or nothing readable: restore */
};

/** One server's walk through its state machine. */
struct job {
    const struct job_run *run; /**< what the run's jobs share */
    struct fleet *f;           /**< the engine's run (opaque here) */
    struct fleet_target *t;    /**< the server */
    job_answer_fn answer;      /**< handler of the call in flight */
    int64_t started;           /**< http_now_ms() at start */
    int64_t deadline;          /**< server deadline, 0 for none */
    json_t *boot_ids;          /**< /boot?bootType= answer */
    size_t boot_idx;           /**< next id to look at */
    struct boot_state want;    /**< state to write (borrowed bytes) */
    bool put_script;           /**< the PUT sends bootScript */
    bool put_uncertain;        /**< the PUT failed but may have applied */
    int64_t task_started;      /**< when the reboot task was created */
    int64_t task_first_error;  /**< first tolerated poll error, or 0 */
    json_t *server;            /**< render: the GET answer (facts) */
    json_t *hardware;          /**< render: specifications/hardware */
    bool rendered;             /**< render: t->script is made */
    bool hardware_read;        /**< specifications/hardware was asked for
                                    (once per job, whatever it said) */
    unsigned calls;            /**< calls issued by job_call() */
    unsigned polls;            /**< reboot task polls sent */
    enum readback readback;    /**< what the last read-back showed */
};

/** Hand the engine the end of a state's work that finished after its
 *  entry function returned (an answer, a timer, the journal). */
void job_done(struct job *j, enum job_step step);

/** Record a failure of our own (and @p hint, or NULL) in the target.
 *  @ret JOB_STEP_FAILED */
enum job_step job_fail(struct job *j, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Record that a call failed: "@p what: message (query id)", its hint.
 *  @ret JOB_STEP_FAILED */
enum job_step job_fail_call(struct job *j, const char *what,
                            const struct api_result *r);

/** Count a call's requests and keep its query id. */
void job_note_result(struct job *j, const struct api_result *r);

/** Append a failed call's message and query id to the reason. */
void job_reason_call(struct job *j, const struct api_result *r);

/** The API path of this job's server with @p suffix, into @p path. */
void job_server_path(const struct job *j, const char *suffix, char *path,
                     size_t size);

/** Send a call for this job, whatever its deadline; @p fn reads the
 *  answer and its step goes to the engine.  @ret rc 0 or -ENOMEM */
int job_send(struct job *j, const char *method, const char *suffix,
             json_t *body, unsigned flags, job_answer_fn fn);

/** Issue a call for this job: JOB_STEP_WAIT, or JOB_STEP_FAILED (recorded)
 *  when it cannot be queued, when the job has issued JOB_MAX_CALLS calls,
 *  or, unless API_SETTLE, when the per-server deadline has passed. */
enum job_step job_call(struct job *j, const char *method, const char *suffix,
                       json_t *body, unsigned flags, job_answer_fn fn);

/** Whether the job is putting the previous state back. */
bool job_restoring(const struct job *j);

/** Parse a GET /dedicated/server/{sn} answer into @p s (and, with
 *  @p keep_facts, the datacenter); false if it has no usable state. */
bool job_parse_server(struct job *j, json_t *root, struct boot_state *s,
                      bool keep_facts);

/** Whether the server's state @p s is what this job wants. */
bool job_is_wanted(const struct job *j, const struct boot_state *s);

#endif
