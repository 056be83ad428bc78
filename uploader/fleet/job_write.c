/* SPDX-License-Identifier: MIT */
/** @file The fleet engine's writing states: the journal records, PUT,
 *  read-back and restore, the netboot lookup (disk, rescue), the reboot
 *  and its task.  Each records what it read and returns what happened
 *  (job.h); the engine picks the next state. */
#include "job_write.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "buf.h"
#include "http.h"
#include "journal.h"
#include "sha.h"

/* Journal ------------------------------------------------------------- */

/* The journal's name of an operation. */
static const char *op_name(enum fleet_op op)
{
    switch (op) {
    case FLEET_PUSH:
        return "push";
    case FLEET_DISK:
        return "disk";
    case FLEET_RESCUE:
        return "rescue";
    case FLEET_ROLLBACK:
        return "rollback";
    case FLEET_REBOOT:
        return "reboot";
    default:
        return "read";
    }
}

/* The record every event of a change shares. */
static json_t *journal_base(struct job *j, const char *event)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:O}", "event", event, "op",
                     op_name(j->run->o->op), "endpoint",
                     api_endpoint(j->run->api), "server", j->t->server,
                     "queryIds", j->t->query_ids);
}

/* The "new" object: the script's hash (not the script: the file is the
 * user's, and the hash says which one was pushed) or the bootId. */
static json_t *journal_new(struct job *j)
{
    char hex[2 * SHA256_LEN + 1];

    if (j->put_script) {
        sha256_hex(j->want.script, j->want.script_len, hex);
        /* A rendered script also names what it was made from (--resume
         * compares that, the script depending on live facts too). */
        return json_pack("{s:s, s:I, s:n, s:s?}", "bootScriptSha256", hex,
                         "bootScriptLength", (json_int_t)j->want.script_len,
                         "bootId", "sourceSha256",
                         job_restoring(j) ? NULL : j->run->o->source_sha256);
    }
    return json_pack("{s:n, s:I}", "bootScript", "bootId",
                     (json_int_t)j->want.boot_id);
}

/* The intent is durable (or could not be written): write, or give up. */
static enum job_step intent_written(struct job *j, int rc)
{
    if (rc)
        return job_fail(j, "check the journal's disk and permissions",
                        "not changed: cannot write the journal: %s",
                        strerror(-rc));
    return JOB_STEP_NEXT;
}

/* The journal's callback for the intent record: tell the engine. */
static void on_intent(void *ctx, int rc)
{
    struct job *j = ctx;

    job_done(j, intent_written(j, rc));
}

/* Queue the intent record; the PUT follows once it is durable. */
enum job_step job_write_journal(struct job *j)
{
    json_t *rec = journal_base(j, "intent");
    int rc = -ENOMEM;

    if (rec &&
        !json_object_set_new(rec, "previous", boot_state_json(&j->t->before)) &&
        !json_object_set_new(rec, "new", journal_new(j)))
        rc = journal_append_async(j->run->o->journal, rec, on_intent, j);
    json_decref(rec);
    if (rc)
        return intent_written(j, rc);
    return JOB_STEP_WAIT;
}

/* An outcome record could not be written: say so (the target outlives
 * the run, so this may come after the server has finished). */
static void on_outcome(void *ctx, int rc)
{
    struct fleet_target *t = ctx;

    if (rc)
        fleet_target_hint(t,
                          "%sthe journal's outcome record was not "
                          "written: %s",
                          t->hint.len ? "; " : "", strerror(-rc));
}

/* Queue the outcome record.  Nothing waits for it: a failure is reported
 * but does not undo a verified change, and a record lost in a crash only
 * makes --resume read that server again. */
static void journal_outcome(struct job *j, const char *event)
{
    json_t *rec = journal_base(j, event);
    int rc = -ENOMEM;

    if (rec && !json_object_set_new(rec, "new", journal_new(j)) &&
        (!j->t->reason.len ||
         !json_object_set_new(rec, "reason", json_string(j->t->reason.data))))
        rc = journal_append_async(j->run->o->journal, rec, on_outcome, j->t);
    json_decref(rec);
    if (rc)
        on_outcome(j->t, rc);
}

/* Writing and verifying ------------------------------------------------ */

/* PUT or RESTORE answered: whatever the answer, the read-back settles it. */
static enum job_step on_put(struct job *j, const struct api_result *r)
{
    job_note_result(j, r);
    /* Nothing was sent: certainly not applied. */
    if (r->status == API_ERR_LOCAL && !r->attempts) {
        if (job_restoring(j))
            return job_fail(j, "run 'ipxe-upload rollback' for this server",
                            "; restoring the previous state failed: %s",
                            r->message);
        journal_outcome(j, "failed");
        return job_fail_call(j, "not changed", r);
    }
    /* Any other failure may hide a write that took: an earlier try may
     * have applied it, or libcurl may have sent it again on a fresh
     * connection after a reused one died, so that the answer seen is
     * the second one's.  The read-back settles it, whatever the answer. */
    if (r->status != API_OK) {
        j->put_uncertain = !job_restoring(j);
        fleet_target_reason(j->t, "%s%s", j->t->reason.len ? "; " : "",
                            job_restoring(j) ? "restoring the previous state: "
                                             : "");
        job_reason_call(j, r);
        if (r->hint && !j->t->hint.len)
            fleet_target_hint(j->t, "%s", r->hint);
    }
    return JOB_STEP_NEXT;
}

/* The body of a PUT that writes @p s: its script, or its bootId. */
static json_t *put_body(const struct boot_state *s, bool script)
{
    if (script)
        return json_pack("{s:s%}", "bootScript", s->script, s->script_len);
    return json_pack("{s:I}", "bootId", (json_int_t)s->boot_id);
}

/* PUT what the job wants (a restore settles: past the per-server
 * deadline too). */
enum job_step job_write_put(struct job *j)
{
    json_t *body = put_body(&j->want, j->put_script);
    enum job_step step;

    if (!body)
        return job_fail(j, NULL, "out of memory");
    step =
        job_call(j, "PUT", "", body, job_restoring(j) ? API_SETTLE : 0, on_put);
    json_decref(body);
    return step;
}

/* Want @p s (a previous state: borrowed): its script if it had one, else
 * its bootId.  False when it had neither, so there is nothing to write. */
static bool job_want_state(struct job *j, const struct boot_state *s)
{
    if (!s->script && s->boot_id < 0)
        return false;
    j->want = *s;
    j->put_script = s->script != NULL;
    return true;
}

/* The read-back differs from what was written: put the old state back. */
enum job_step job_write_restore(struct job *j)
{
    if (!job_want_state(j, &j->t->before))
        return job_fail(j, "run 'ipxe-upload rollback' for this server",
                        "; the previous state had neither script nor "
                        "bootId, nothing to restore");
    return job_write_put(j);
}

/* VERIFY or VERIFY_RESTORE answered: judge the read-back (j->readback). */
static enum job_step on_verify(struct job *j, const struct api_result *r)
{
    struct boot_state now;

    job_note_result(j, r);
    if (r->status != API_OK && job_restoring(j)) {
        fleet_target_reason(j->t,
                            "; restoring the previous state could not "
                            "be verified: %s",
                            r->message);
        fleet_target_hint(j->t, "run 'ipxe-upload rollback' for it");
        return JOB_STEP_NEXT;
    }
    if (r->status != API_OK) {
        /* Unknown whether the PUT took: put the previous state back, so
         * that a failed server is one left as it was. */
        fleet_target_reason(j->t, "the change could not be verified: ");
        job_reason_call(j, r);
        journal_outcome(j, "failed");
        j->readback = READBACK_OTHER;
        return JOB_STEP_NEXT;
    }
    if (!job_parse_server(j, r->json, &now, false))
        return job_fail(j, "run the command again",
                        "the read-back of '%s' "
                        "has no usable bootScript/bootId",
                        j->t->server);
    if (job_restoring(j)) {
        bool ok = job_is_wanted(j, &now);
        boot_state_release(&now);
        fleet_target_reason(j->t, "%s",
                            ok ? "; the previous state was restored"
                               : "; restoring the previous state could "
                                 "not be verified");
        if (!ok)
            fleet_target_hint(j->t, "run 'ipxe-upload rollback' for it");
        return JOB_STEP_NEXT;
    }
    if (job_is_wanted(j, &now)) {
        boot_state_release(&now);
        /* An uncertain PUT that did apply is a success. */
        buf_truncate(&j->t->reason, 0);
        journal_outcome(j, "verified");
        j->readback = READBACK_WANTED;
        return JOB_STEP_NEXT;
    }
    if (boot_state_equal(&now, &j->t->before)) {
        /* The PUT did not take: untouched, which is a failure. */
        boot_state_release(&now);
        if (j->put_uncertain)
            fleet_target_reason(j->t, "; not changed: the server still reads "
                                      "its previous state");
        else
            fleet_target_reason(j->t, "the API accepted the change but the "
                                      "server still reads its previous state");
        journal_outcome(j, "failed");
        j->readback = READBACK_PREVIOUS;
        return JOB_STEP_NEXT;
    }
    boot_state_release(&now);
    fleet_target_reason(j->t,
                        "%sthe server reads back something other than "
                        "what was written",
                        j->t->reason.len ? "; " : "");
    journal_outcome(j, "failed");
    j->readback = READBACK_OTHER;
    return JOB_STEP_NEXT;
}

enum job_step job_write_verify(struct job *j)
{
    return job_call(j, "GET", "", NULL, API_SETTLE, on_verify);
}

/* Want what push or rollback writes (disk and rescue want the netboot
 * found); false when there is nothing to write (the failure is
 * recorded). */
static bool job_want_target(struct job *j)
{
    struct fleet_target *t = j->t;

    if (j->run->o->op == FLEET_PUSH) {
        j->want.script = t->script;
        j->want.script_len = t->script_len;
        j->want.boot_id = -1;
        j->put_script = true;
    } else if (j->run->o->op == FLEET_ROLLBACK &&
               !job_want_state(j, &t->restore)) {
        job_fail(j, NULL,
                 "the journal holds neither a script nor a "
                 "bootId to restore");
        return false;
    }
    return true;
}

/* Netboot lookup (disk, rescue) ----------------------------------------- */

/* Whether a candidate netboot's kernel is the one the operation sets. */
static bool kernel_wanted(struct job *j, const char *kernel)
{
    if (j->run->o->op == FLEET_DISK)
        return kernel && strcmp(kernel, "hd") == 0;
    return kernel && strcmp(kernel, j->run->o->rescue_kernel) == 0;
}

/* The netboot @p id is the one to set: want it. */
static void job_set_netboot(struct job *j, long long id)
{
    j->t->new_boot_id = id;
    j->want.script = NULL;
    j->want.script_len = 0;
    j->want.boot_id = id;
    j->put_script = false;
}

/* READ_BOOT answered: want this netboot if its kernel is the one. */
static enum job_step on_boot_detail(struct job *j, const struct api_result *r)
{
    const char *kernel = NULL;
    json_int_t id = 0;

    job_note_result(j, r);
    if (r->status != API_OK)
        return job_fail_call(j, "cannot read a netboot", r);
    json_unpack(r->json, "{s?s}", "kernel", &kernel);
    if (kernel_wanted(j, kernel)) {
        id = json_integer_value(json_array_get(j->boot_ids, j->boot_idx - 1));
        job_set_netboot(j, (long long)id);
    }
    return JOB_STEP_NEXT;
}

/* Look at the next candidate bootId's kernel. */
enum job_step job_write_lookup_next(struct job *j)
{
    const struct fleet_opts *o = j->run->o;
    json_t *id = json_array_get(j->boot_ids, j->boot_idx);
    char suffix[64];

    if (!id)
        return job_fail(
            j,
            o->op == FLEET_DISK
                ? "ask OVHcloud support which netboot boots the disk"
                : "choose one with --kernel NAME",
            "no netboot with kernel '%s' among the %zu of type %s",
            o->op == FLEET_DISK ? "hd" : o->rescue_kernel,
            json_array_size(j->boot_ids),
            o->op == FLEET_DISK ? "harddisk" : "rescue");
    j->boot_idx++;
    snprintf(suffix, sizeof(suffix), "/boot/%lld",
             (long long)json_integer_value(id));
    return job_call(j, "GET", suffix, NULL, 0, on_boot_detail);
}

/* LIST_BOOTS answered: keep the candidates; a lone harddisk one is it. */
static enum job_step on_boot_list(struct job *j, const struct api_result *r)
{
    size_t i;
    json_t *v;

    job_note_result(j, r);
    if (r->status != API_OK)
        return job_fail_call(j, "cannot list the netboots", r);
    if (!json_is_array(r->json))
        return job_fail(j, NULL, "the netboot list of '%s' is not an array",
                        j->t->server);
    json_array_foreach(r->json, i, v) {
        if (!json_is_integer(v))
            return job_fail(j, NULL, "the netboot list of '%s' holds a non-id",
                            j->t->server);
    }
    j->boot_ids = json_incref(r->json);
    /* One harddisk netboot is the disk; anything else is checked by
     * kernel name, never by a remembered id (spec §6, synthesio#101). */
    if (j->run->o->op == FLEET_DISK && json_array_size(j->boot_ids) == 1)
        job_set_netboot(
            j, (long long)json_integer_value(json_array_get(j->boot_ids, 0)));
    return JOB_STEP_NEXT;
}

enum job_step job_write_list_boots(struct job *j)
{
    return job_call(j, "GET",
                    j->run->o->op == FLEET_DISK ? "/boot?bootType=harddisk"
                                                : "/boot?bootType=rescue",
                    NULL, 0, on_boot_list);
}

/* Reboot and task ------------------------------------------------------ */

static enum job_step on_task(struct job *j, const struct api_result *r);

/* The poll timer fired: read the task. */
static void task_poll(void *ctx)
{
    struct job *j = ctx;
    char suffix[64];

    snprintf(suffix, sizeof(suffix), "/task/%lld", j->t->task_id);
    j->polls++;
    /* Not job_call(): the per-server deadline does not cover the wait. */
    if (job_send(j, "GET", suffix, NULL, API_NO_RETRY, on_task))
        job_done(j,
                 job_fail(j, NULL, "cannot queue a task poll: out of memory"));
}

/* Poll the task after --poll-interval, or give up past --wait-timeout. */
static enum job_step task_later(struct job *j)
{
    const struct fleet_opts *o = j->run->o;
    int64_t now = http_now_ms();

    if (now - j->task_started >= o->wait_timeout_ms)
        return job_fail(j,
                        "check the task in the control panel, or raise "
                        "--wait-timeout",
                        "rebooted, but task %lld was still '%s' after %ld s",
                        j->t->task_id,
                        j->t->task_status ? j->t->task_status : "unknown",
                        o->wait_timeout_ms / 1000);
    if (j->polls >= JOB_MAX_POLLS)
        return job_fail(j,
                        "check the task in the control panel, or raise "
                        "--poll-interval",
                        "rebooted, but task %lld was still '%s' after %u "
                        "polls",
                        j->t->task_id,
                        j->t->task_status ? j->t->task_status : "unknown",
                        j->polls);
    if (http_after(j->run->http, o->poll_ms, task_poll, j))
        return job_fail(j, NULL, "out of memory");
    return JOB_STEP_WAIT;
}

/* Keep the task's last status (copied). */
static void set_task_status(struct job *j, const char *status)
{
    free(j->t->task_status);
    j->t->task_status = status ? strdup(status) : NULL;
}

/* A task poll answered: done, poll again, or give up. */
static enum job_step on_task(struct job *j, const struct api_result *r)
{
    const char *status = NULL;
    int64_t now = http_now_ms();

    job_note_result(j, r);
    if (r->status != API_OK) {
        /* spec §6: task reads 404 or 500 for a while after creation, and
         * the API is flaky under load: keep polling within the grace. */
        bool transient = r->status == API_ERR_TRANSPORT ||
                         r->http_status == 404 || r->http_status == 429 ||
                         r->http_status >= 500;
        if (!j->task_first_error)
            j->task_first_error = now;
        if (transient && now - j->task_first_error < j->run->o->task_grace_ms)
            return task_later(j);
        return job_fail_call(j, "rebooted, but the task could not be followed",
                             r);
    }
    j->task_first_error = 0;
    json_unpack(r->json, "{s?s}", "status", &status);
    set_task_status(j, status);
    if (status && strcmp(status, "done") == 0)
        return JOB_STEP_NEXT;
    if (status && (strcmp(status, "init") == 0 || strcmp(status, "todo") == 0 ||
                   strcmp(status, "doing") == 0))
        return task_later(j);
    return job_fail(j, "look at the task in the control panel",
                    "the reboot task %lld ended '%s'", j->t->task_id,
                    status ? status : "without a status");
}

/* REBOOT answered: keep the task to wait on. */
static enum job_step on_reboot(struct job *j, const struct api_result *r)
{
    json_int_t id = -1;
    const char *status = NULL;

    job_note_result(j, r);
    if (r->status != API_OK) {
        if (j->run->o->op != FLEET_REBOOT)
            fleet_target_reason(j->t, "the change is written and verified, "
                                      "but ");
        return job_fail_call(j,
                             r->maybe_applied
                                 ? "the reboot may or may not have started"
                                 : "the reboot was not started",
                             r);
    }
    json_unpack(r->json, "{s?I, s?s}", "taskId", &id, "status", &status);
    j->t->task_id = id;
    set_task_status(j, status);
    if (j->run->o->wait && id < 0)
        return job_fail(j, NULL,
                        "rebooted, but the API returned no task id "
                        "to wait on");
    return JOB_STEP_NEXT;
}

/* Hard reboot the server. */
enum job_step job_write_reboot(struct job *j)
{
    /* Not idempotent: a second POST is a second reboot. */
    return job_call(j, "POST", "/reboot", NULL, API_NOT_IDEMPOTENT, on_reboot);
}

/* Push and rollback: want their state, then go on to compare it. */
enum job_step job_write_compare(struct job *j)
{
    if (!job_want_target(j))
        return JOB_STEP_FAILED;
    return JOB_STEP_NEXT;
}

/* Wait for the reboot task: poll it until it ends. */
enum job_step job_write_wait_task(struct job *j)
{
    j->task_started = http_now_ms();
    return task_later(j);
}
