/* SPDX-License-Identifier: MIT */
/** @file The fleet engine: one state machine per server, many in flight.
 *  Here: the run, and the state machine (job_enter(), job_advance());
 *  the states' work is in job_read.c and job_write.c, which return what
 *  it came to and never call back in here but through the run's done
 *  function (job.h). */
#include "fleet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "job.h"
#include "job_read.h"
#include "job_write.h"

/** The engine's state for one run. */
struct fleet {
    struct job_run run;         /**< what the jobs share (run.done is
                                     job_stepped()) */
    struct fleet_target *t;     /**< targets (borrowed) */
    size_t n;                   /**< their number */
    size_t next;                /**< next target to start */
    struct fleet_progress prog; /**< counts */
    int64_t started;            /**< http_now_ms() at start */
    struct job *jobs;           /**< one per target */
    bool starting;              /**< inside fleet_start_next() */
};

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
    static const char *const names[] = {"pending", "done",    "unchanged",
                                        "updated", "refused", "failed",
                                        "skipped"};

    return (size_t)o < sizeof(names) / sizeof(names[0]) ? names[o] : "?";
}

bool fleet_valid_server(const char *s)
{
    if (!*s || strlen(s) > 255 || *s == '.' || *s == '-')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '_'))
            return false;
    return true;
}

/* Engine -------------------------------------------------------------- */

/* Start servers until @p f has as many in flight as it may. */
static void fleet_start_next(struct fleet *f)
{
    /* A job that ends at once calls back in here: let the outer loop go
     * on, so that a thousand refusals do not nest a thousand frames. */
    if (f->starting)
        return;
    f->starting = true;
    while (f->prog.in_flight < f->run.o->jobs && f->next < f->n) {
        struct job *j = &f->jobs[f->next++];
        if (j->t->outcome != FLEET_PENDING)
            continue;
        f->prog.in_flight++;
        job_start(j);
    }
    f->starting = false;
}

/* The server is finished with @p out: report it, start the next one. */
static void job_end(struct job *j, enum fleet_outcome out)
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
    if (f->run.o->on_done)
        f->run.o->on_done(f->run.o->cb_ctx, j->t, &f->prog);
    fleet_start_next(f);
}

/* The state machine ---------------------------------------------------- */

static void job_advance(struct job *j);

/* What a state's work came to: wait for it, go on, or end the server. */
static void job_stepped(struct job *j, enum job_step step)
{
    switch (step) {
    case JOB_STEP_WAIT:
        break;
    case JOB_STEP_NEXT:
        job_advance(j);
        break;
    case JOB_STEP_FAILED:
        job_end(j, FLEET_FAILED);
        break;
    case JOB_STEP_REFUSED:
        job_end(j, FLEET_REFUSED);
        break;
    }
}

/* The entry function of state @p s: start its work. */
static enum job_step job_work(struct job *j, enum fleet_state s)
{
    switch (s) {
    case FLEET_ST_QUEUED:
        break;
    case FLEET_ST_CHECK:
        return job_read_check(j);
    case FLEET_ST_READ_HARDWARE:
        return job_read_hardware(j);
    case FLEET_ST_LINT:
        return job_read_lint(j);
    case FLEET_ST_READ_SERVER:
        return job_read_server(j);
    case FLEET_ST_RENDER:
        return job_read_render(j);
    case FLEET_ST_DESCRIBE_BOOT:
        return job_read_describe(j);
    case FLEET_ST_DIFF:
        return job_read_diff(j);
    case FLEET_ST_LIST_BOOTS:
        return job_write_list_boots(j);
    case FLEET_ST_READ_BOOT:
        return job_write_lookup_next(j);
    case FLEET_ST_COMPARE:
        return job_write_compare(j);
    case FLEET_ST_JOURNAL:
        return job_write_journal(j);
    case FLEET_ST_PUT:
        return job_write_put(j);
    case FLEET_ST_RESTORE:
        return job_write_restore(j);
    case FLEET_ST_VERIFY:
    case FLEET_ST_VERIFY_RESTORE:
        return job_write_verify(j);
    case FLEET_ST_REBOOT:
        return job_write_reboot(j);
    case FLEET_ST_WAIT_TASK:
        return job_write_wait_task(j);
    }
    return JOB_STEP_WAIT;
}

/* Enter state @p s: record it and start its work; what the work comes to
 * (now, or later through run.done) decides what follows. */
static void job_enter(struct job *j, enum fleet_state s)
{
    j->t->state = s;
    job_stepped(j, job_work(j, s));
}

/* After the server is read (and its boot mode, or its script rendered):
 * what each operation does next. */
static enum fleet_state after_read(const struct job *j)
{
    const struct fleet_opts *o = j->run->o;

    /* push/diff --template: the boot mode, then the script. */
    if (o->render && !j->rendered &&
        (o->op == FLEET_PUSH || o->op == FLEET_DIFF))
        return FLEET_ST_READ_HARDWARE;
    switch (o->op) {
    case FLEET_INFO:
        /* Once: a mode the API leaves null, or one this tool does not
         * know, stays unknown. */
        if (j->t->mode == BOOT_MODE_UNKNOWN && !j->hardware_read)
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
 * end.  Failures and refusals end the job (job_stepped()). */
static void job_advance(struct job *j)
{
    const struct fleet_opts *o = j->run->o;
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
    if (j->run->o->server_deadline_ms)
        j->deadline = j->started + j->run->o->server_deadline_ms;
    job_advance(j);
}

/* The journal's writer has news: hand it its waiters. */
static void journal_ready(void *ctx)
{
    journal_dispatch(ctx);
}

/* Whether the journal's writer has records in flight. */
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
    f.run.api = a;
    f.run.http = http;
    f.run.o = o;
    f.run.done = job_stepped;
    f.t = targets;
    f.n = n;
    f.prog.total = n;
    f.started = http_now_ms();
    f.jobs = calloc(n ? n : 1, sizeof(*f.jobs));
    if (!f.jobs)
        return -ENOMEM;
    for (i = 0; i < n; i++) {
        f.jobs[i].run = &f.run;
        f.jobs[i].f = &f;
        f.jobs[i].t = &targets[i];
        f.jobs[i].want.boot_id = -1;
        if (targets[i].outcome != FLEET_PENDING)
            f.prog.done++;
    }
    /* Group commit: the intents of the servers in flight share fsyncs,
     * and the loop never waits on the disk.  Without the thread, records
     * are written one by one, which is slower but as safe. */
    if (o->journal && o->journal->fd >= 0 && !journal_writer_start(o->journal))
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
