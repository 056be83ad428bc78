/* SPDX-License-Identifier: MIT */
/** @file One server's job: the helpers its states share (recording a
 *  failure, issuing a call, reading the server's state). */
#include "job.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

void job_done(struct job *j, enum job_step step)
{
    j->run->done(j, step);
}

enum job_step job_fail(struct job *j, const char *hint, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fleet_target_vreason(j->t, fmt, ap);
    va_end(ap);
    if (hint)
        fleet_target_hint(j->t, "%s", hint);
    return JOB_STEP_FAILED;
}

/* Note a call's query id; every id seen goes to the journal and report. */
void job_note_result(struct job *j, const struct api_result *r)
{
    j->t->requests += r->attempts;
    if (r->query_id)
        json_array_append_new(j->t->query_ids, json_string(r->query_id));
}

void job_reason_call(struct job *j, const struct api_result *r)
{
    fleet_target_text_rc(j->t, api_result_describe(r, &j->t->reason));
}

/* Record that a call failed, with its message, hint and query id. */
enum job_step job_fail_call(struct job *j, const char *what,
                            const struct api_result *r)
{
    fleet_target_reason(j->t, "%s%s", what ? what : "", what ? ": " : "");
    job_reason_call(j, r);
    if (r->hint)
        fleet_target_hint(j->t, "%s", r->hint);
    return JOB_STEP_FAILED;
}

/* The API path of this job's server with @p suffix.  Server names are
 * checked (fleet_valid_server()), so this is a path of our making. */
void job_server_path(const struct job *j, const char *suffix, char *path,
                     size_t size)
{
    snprintf(path, size, "/dedicated/server/%s%s", j->t->server, suffix);
}

/* A call of this job answered: its handler reads the answer, and what it
 * came to goes to the engine. */
static void job_on_answer(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;

    job_done(j, j->answer(j, r));
}

int job_send(struct job *j, const char *method, const char *suffix,
             json_t *body, unsigned flags, job_answer_fn fn)
{
    char path[512];

    job_server_path(j, suffix, path, sizeof(path));
    /* One call at a time per job: the state machine waits for each. */
    j->answer = fn;
    return api_call(j->run->api, method, path, body, flags, job_on_answer, j);
}

/* Issue a call for this job; a failure to even queue it fails the job.
 * A settling call (API_SETTLE: the read-back after a write, a restore)
 * finishes what was started, so the per-server deadline does not stop it
 * (its own call deadline still does). */
enum job_step job_call(struct job *j, const char *method, const char *suffix,
                       json_t *body, unsigned flags, job_answer_fn fn)
{
    char path[512];

    if (!(flags & API_SETTLE) && j->deadline && http_now_ms() >= j->deadline)
        return job_fail(j, "raise --deadline, or run the command again",
                        "gave up: the per-server deadline passed");
    /* Whatever the answers say, a job never loops on the API. */
    if (j->calls >= JOB_MAX_CALLS)
        return job_fail(j,
                        "the API's answers kept asking for more; report "
                        "this with the request log (--log FILE)",
                        "gave up: %u requests for this server, more than "
                        "any operation needs",
                        j->calls);
    j->calls++;
    if (job_send(j, method, suffix, body, flags, fn)) {
        job_server_path(j, suffix, path, sizeof(path));
        return job_fail(j, NULL, "cannot queue %s %s: out of memory", method,
                        path);
    }
    return JOB_STEP_WAIT;
}

/* Whether the job is putting the previous state back. */
bool job_restoring(const struct job *j)
{
    return j->t->state == FLEET_ST_RESTORE ||
           j->t->state == FLEET_ST_VERIFY_RESTORE;
}

/* Parse a GET /dedicated/server/{sn} answer into @p s. */
bool job_parse_server(struct job *j, json_t *root, struct boot_state *s,
                      bool keep_facts)
{
    json_t *dc = json_object_get(root, "datacenter");

    if (!json_is_object(root) || boot_state_from_json(s, root)) {
        boot_state_release(s);
        return false;
    }
    if (keep_facts && json_is_string(dc) && !j->t->datacenter)
        j->t->datacenter = strdup(json_string_value(dc));
    return true;
}

/* Whether the server's state is what this job wanted. */
bool job_is_wanted(const struct job *j, const struct boot_state *s)
{
    if (j->put_script)
        return s->script && s->script_len == j->want.script_len &&
               memcmp(s->script, j->want.script, s->script_len) == 0;
    /* A netboot id: set, and (spec §6) no script left active. */
    return s->boot_id == j->want.boot_id && !s->script;
}
