/* SPDX-License-Identifier: MIT */
/** @file The fleet engine: one state machine per server, many in flight.
 *  Here: the targets, the engine, and the state machine (job_enter(),
 *  job_advance()); the states' work is in job_read.c and job_write.c. */
#include "fleet.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "http.h"
#include "job.h"

static void job_start(struct job *j);

const char *fleet_state_name(enum fleet_state s)
{
    static const char *const names[] = {
        [FLEET_ST_QUEUED] = "QUEUED",
        [FLEET_ST_CHECK] = "CHECK",
        [FLEET_ST_READ_HARDWARE] = "READ_HARDWARE",
        [FLEET_ST_LINT] = "LINT",
        [FLEET_ST_READ_SERVER] = "READ_SERVER",
        [FLEET_ST_RENDER] = "RENDER",
        [FLEET_ST_DESCRIBE_BOOT] = "DESCRIBE_BOOT",
        [FLEET_ST_DIFF] = "DIFF",
        [FLEET_ST_LIST_BOOTS] = "LIST_BOOTS",
        [FLEET_ST_READ_BOOT] = "READ_BOOT",
        [FLEET_ST_COMPARE] = "COMPARE",
        [FLEET_ST_JOURNAL] = "JOURNAL",
        [FLEET_ST_PUT] = "PUT",
        [FLEET_ST_VERIFY] = "VERIFY",
        [FLEET_ST_RESTORE] = "RESTORE",
        [FLEET_ST_VERIFY_RESTORE] = "VERIFY_RESTORE",
        [FLEET_ST_REBOOT] = "REBOOT",
        [FLEET_ST_WAIT_TASK] = "WAIT_TASK",
    };

    return (size_t)s < sizeof(names) / sizeof(names[0]) && names[s] ? names[s]
                                                                    : "?";
}

const char *fleet_outcome_name(enum fleet_outcome o)
{
    static const char *const names[] = {
        "pending", "done", "unchanged", "updated",
        "refused", "failed", "skipped"};

    return (size_t)o < sizeof(names) / sizeof(names[0]) ? names[o] : "?";
}

bool fleet_valid_server(const char *s)
{
    if (!*s || strlen(s) > 255 || *s == '.' || *s == '-')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' ||
              *s == '_'))
            return false;
    return true;
}

int fleet_target_init(struct fleet_target *t, const char *server)
{
    memset(t, 0, sizeof(*t));
    t->restore.boot_id = -1;
    t->before.boot_id = -1;
    t->new_boot_id = -1;
    t->task_id = -1;
    buf_init(&t->findings, 1 << 20);
    buf_init(&t->diff, BUF_MAX_UNLIMITED);
    buf_init(&t->reason, 1 << 16);
    buf_init(&t->hint, 1 << 16);
    t->server = strdup(server);
    t->query_ids = json_array();
    return t->server && t->query_ids ? 0 : -ENOMEM;
}

void fleet_target_release(struct fleet_target *t)
{
    free(t->server);
    free(t->file);
    free(t->script);
    boot_state_release(&t->restore);
    boot_state_release(&t->before);
    free(t->datacenter);
    free(t->boot_type);
    free(t->boot_kernel);
    buf_release(&t->findings);
    buf_release(&t->diff);
    buf_release(&t->reason);
    buf_release(&t->hint);
    json_decref(t->query_ids);
    free(t->task_status);
    memset(t, 0, sizeof(*t));
}

/* The result @p rc of adding to the target's reason or hint: the first
 * failure sticks in t->text_err, for the caller to report. */
static void target_text_rc(struct fleet_target *t, int rc)
{
    if (rc && !t->text_err)
        t->text_err = rc;
}

/* Append to @p b, the target's reason or hint. */
static void target_vaddf(struct fleet_target *t, struct buf *b, const char *fmt,
                         va_list ap)
{
    target_text_rc(t, buf_vaddf(b, fmt, ap));
}

void fleet_target_reason(struct fleet_target *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    target_vaddf(t, &t->reason, fmt, ap);
    va_end(ap);
}

void fleet_target_hint(struct fleet_target *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    target_vaddf(t, &t->hint, fmt, ap);
    va_end(ap);
}

/* Engine -------------------------------------------------------------- */

static void fleet_start_next(struct fleet *f)
{
    /* A job that ends at once calls back in here: let the outer loop go
     * on, so that a thousand refusals do not nest a thousand frames. */
    if (f->starting)
        return;
    f->starting = true;
    while (f->prog.in_flight < f->o->jobs && f->next < f->n) {
        struct job *j = &f->jobs[f->next++];
        if (j->t->outcome != FLEET_PENDING)
            continue;
        f->prog.in_flight++;
        job_start(j);
    }
    f->starting = false;
}

/* The server is finished: report it and start the next one. */
void job_end(struct job *j, enum fleet_outcome out)
{
    struct fleet *f = j->f;

    j->t->outcome = out;
    j->t->elapsed_ms = (long)(http_now_ms() - j->started);
    json_decref(j->boot_ids);
    j->boot_ids = NULL;
    json_decref(j->server);
    j->server = NULL;
    json_decref(j->hardware);
    j->hardware = NULL;
    f->prog.in_flight--;
    f->prog.done++;
    if (out == FLEET_FAILED || out == FLEET_REFUSED)
        f->prog.failed++;
    f->prog.elapsed_ms = http_now_ms() - f->started;
    if (f->o->on_done)
        f->o->on_done(f->o->cb_ctx, j->t, &f->prog);
    fleet_start_next(f);
}

void job_fail(struct job *j, const char *hint, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    target_vaddf(j->t, &j->t->reason, fmt, ap);
    va_end(ap);
    if (hint)
        fleet_target_hint(j->t, "%s", hint);
    job_end(j, FLEET_FAILED);
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
    target_text_rc(j->t, api_result_describe(r, &j->t->reason));
}

/* Fail because a call failed, with its message, hint and query id. */
void job_fail_call(struct job *j, const char *what, const struct api_result *r)
{
    fleet_target_reason(j->t, "%s%s", what ? what : "", what ? ": " : "");
    job_reason_call(j, r);
    if (r->hint)
        fleet_target_hint(j->t, "%s", r->hint);
    job_end(j, FLEET_FAILED);
}

/* The API path of this job's server with @p suffix.  Server names are
 * checked (fleet_valid_server()), so this is a path of our making. */
void job_server_path(const struct job *j, const char *suffix, char *path,
                     size_t size)
{
    snprintf(path, size, "/dedicated/server/%s%s", j->t->server, suffix);
}

/* Issue a call for this job; a failure to even queue it fails the job.
 * A settling call (API_SETTLE: the read-back after a write, a restore)
 * finishes what was started, so the per-server deadline does not stop it
 * (its own call deadline still does). */
bool job_call(struct job *j, const char *method, const char *suffix,
              json_t *body, unsigned flags, api_done_fn fn)
{
    char path[512];

    if (!(flags & API_SETTLE) && j->deadline &&
        http_now_ms() >= j->deadline) {
        job_fail(j, "raise --deadline, or run the command again",
                 "gave up: the per-server deadline passed");
        return false;
    }
    job_server_path(j, suffix, path, sizeof(path));
    if (api_call(j->f->api, method, path, body, flags, fn, j)) {
        job_fail(j, NULL, "cannot queue %s %s: out of memory", method, path);
        return false;
    }
    return true;
}

/* The state machine ---------------------------------------------------- */

/* Whether the job is putting the previous state back. */
bool job_restoring(const struct job *j)
{
    return j->t->state == FLEET_ST_RESTORE ||
           j->t->state == FLEET_ST_VERIFY_RESTORE;
}

/* Enter state @p s: record it and start its work, which ends in
 * job_advance() (done), job_end() or job_fail() (finished). */
static void job_enter(struct job *j, enum fleet_state s)
{
    j->t->state = s;
    switch (s) {
    case FLEET_ST_QUEUED:
        break;
    case FLEET_ST_CHECK:
        job_check_script(j);
        break;
    case FLEET_ST_READ_HARDWARE:
        job_read_hardware(j);
        break;
    case FLEET_ST_LINT:
        job_lint_mode(j);
        break;
    case FLEET_ST_READ_SERVER:
        job_read_server(j);
        break;
    case FLEET_ST_RENDER:
        job_render(j);
        break;
    case FLEET_ST_DESCRIBE_BOOT:
        job_describe_boot(j);
        break;
    case FLEET_ST_DIFF:
        job_diff(j);
        break;
    case FLEET_ST_LIST_BOOTS:
        job_list_boots(j);
        break;
    case FLEET_ST_READ_BOOT:
        job_lookup_next(j);
        break;
    case FLEET_ST_COMPARE:
        job_compare(j);
        break;
    case FLEET_ST_JOURNAL:
        job_journal_intent(j);
        break;
    case FLEET_ST_PUT:
        job_put(j, &j->want, j->put_script);
        break;
    case FLEET_ST_RESTORE:
        job_restore(j);
        break;
    case FLEET_ST_VERIFY:
    case FLEET_ST_VERIFY_RESTORE:
        job_verify(j);
        break;
    case FLEET_ST_REBOOT:
        job_reboot(j);
        break;
    case FLEET_ST_WAIT_TASK:
        job_wait_task(j);
        break;
    }
}

/* After the server is read (and its boot mode, or its script rendered):
 * what each operation does next. */
static enum fleet_state after_read(const struct job *j)
{
    const struct fleet_opts *o = j->f->o;

    /* push/diff --template: the boot mode, then the script. */
    if (o->render && !j->rendered &&
        (o->op == FLEET_PUSH || o->op == FLEET_DIFF))
        return FLEET_ST_READ_HARDWARE;
    switch (o->op) {
    case FLEET_INFO:
        if (j->t->mode == BOOT_MODE_UNKNOWN)
            return FLEET_ST_READ_HARDWARE;
        return FLEET_ST_DESCRIBE_BOOT;
    case FLEET_DIFF:
        return FLEET_ST_DIFF;
    case FLEET_PUSH:
    case FLEET_ROLLBACK:
        return FLEET_ST_COMPARE;
    case FLEET_DISK:
    case FLEET_RESCUE:
        return FLEET_ST_LIST_BOOTS;
    case FLEET_REBOOT:
        return FLEET_ST_REBOOT;
    case FLEET_GET:
        break;
    }
    return FLEET_ST_DESCRIBE_BOOT;
}

/* The transitions, all of them: the current state's work is done (its
 * results are in the job and the target), so enter the next state or
 * end.  Failures end the job where they happen (job_fail()). */
void job_advance(struct job *j)
{
    const struct fleet_opts *o = j->f->o;
    struct fleet_target *t = j->t;
    enum fleet_outcome rebooted =
        o->op == FLEET_REBOOT ? FLEET_DONE : FLEET_UPDATED;

    switch (t->state) {
    case FLEET_ST_QUEUED:
        if (o->op == FLEET_REBOOT)
            job_enter(j, FLEET_ST_REBOOT);
        else if ((o->op == FLEET_PUSH || o->op == FLEET_DIFF) && !o->render)
            job_enter(j, FLEET_ST_CHECK);
        else
            job_enter(j, FLEET_ST_READ_SERVER);
        break;
    case FLEET_ST_CHECK:
        job_enter(j, t->lint_errors ? FLEET_ST_READ_HARDWARE
                                    : FLEET_ST_READ_SERVER);
        break;
    case FLEET_ST_READ_HARDWARE:
        if (o->op == FLEET_INFO)
            job_enter(j, after_read(j));
        else if (o->render)
            job_enter(j, FLEET_ST_RENDER);
        else
            job_enter(j, FLEET_ST_LINT);
        break;
    case FLEET_ST_LINT:
        job_enter(j, FLEET_ST_READ_SERVER);
        break;
    case FLEET_ST_READ_SERVER:
    case FLEET_ST_RENDER:
        job_enter(j, after_read(j));
        break;
    case FLEET_ST_DESCRIBE_BOOT:
        job_end(j, FLEET_DONE);
        break;
    case FLEET_ST_DIFF:
        job_end(j, t->diff.len || !t->before.script ? FLEET_DONE
                                                     : FLEET_UNCHANGED);
        break;
    case FLEET_ST_LIST_BOOTS:
    case FLEET_ST_READ_BOOT:
        /* The netboot found, or the next candidate. */
        job_enter(j,
                  t->new_boot_id >= 0 ? FLEET_ST_COMPARE : FLEET_ST_READ_BOOT);
        break;
    case FLEET_ST_COMPARE:
        if (job_is_wanted(j, &t->before))
            job_end(j, FLEET_UNCHANGED);
        else
            job_enter(j, FLEET_ST_JOURNAL);
        break;
    case FLEET_ST_JOURNAL:
        job_enter(j, FLEET_ST_PUT);
        break;
    case FLEET_ST_PUT:
        job_enter(j, FLEET_ST_VERIFY);
        break;
    case FLEET_ST_RESTORE:
        job_enter(j, FLEET_ST_VERIFY_RESTORE);
        break;
    case FLEET_ST_VERIFY:
        if (j->readback == READBACK_WANTED && o->reboot)
            job_enter(j, FLEET_ST_REBOOT);
        else if (j->readback == READBACK_WANTED)
            job_end(j, FLEET_UPDATED);
        else if (j->readback == READBACK_PREVIOUS)
            job_end(j, FLEET_FAILED);
        else
            job_enter(j, FLEET_ST_RESTORE);
        break;
    case FLEET_ST_VERIFY_RESTORE:
        /* Restored or not, the change failed. */
        job_end(j, FLEET_FAILED);
        break;
    case FLEET_ST_REBOOT:
        if (o->wait)
            job_enter(j, FLEET_ST_WAIT_TASK);
        else
            job_end(j, rebooted);
        break;
    case FLEET_ST_WAIT_TASK:
        job_end(j, rebooted);
        break;
    }
}

/* Start a server: its clock, its deadline, its first state. */
static void job_start(struct job *j)
{
    j->started = http_now_ms();
    if (j->f->o->server_deadline_ms)
        j->deadline = j->started + j->f->o->server_deadline_ms;
    job_advance(j);
}

static void journal_ready(void *ctx)
{
    journal_dispatch(ctx);
}

static bool journal_has_work(void *ctx)
{
    return journal_busy(ctx);
}

int fleet_run(struct api *a, struct http_client *http,
              const struct fleet_opts *o, struct fleet_target *targets,
              size_t n)
{
    struct fleet f;
    size_t i;
    int rc;

    memset(&f, 0, sizeof(f));
    f.api = a;
    f.http = http;
    f.o = o;
    f.t = targets;
    f.n = n;
    f.prog.total = n;
    f.started = http_now_ms();
    f.jobs = calloc(n ? n : 1, sizeof(*f.jobs));
    if (!f.jobs)
        return -ENOMEM;
    for (i = 0; i < n; i++) {
        f.jobs[i].f = &f;
        f.jobs[i].t = &targets[i];
        f.jobs[i].want.boot_id = -1;
        if (targets[i].outcome != FLEET_PENDING)
            f.prog.done++;
    }
    /* Group commit: the intents of the servers in flight share fsyncs,
     * and the loop never waits on the disk.  Without the thread, records
     * are written one by one, which is slower but as safe. */
    if (o->journal && o->journal->fd >= 0 &&
        !journal_writer_start(o->journal))
        http_watch(http, journal_writer_fd(o->journal), journal_ready,
                   journal_has_work, o->journal);
    fleet_start_next(&f);
    rc = http_run(http);
    http_watch(http, -1, NULL, NULL, NULL);
    if (o->journal)
        journal_writer_stop(o->journal);
    free(f.jobs);
    return rc;
}
