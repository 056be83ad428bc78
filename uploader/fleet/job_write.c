/* SPDX-License-Identifier: MIT */
/** @file The fleet engine's writing states: the journal records, PUT,
 *  read-back and restore, the netboot lookup (disk, rescue), the reboot
 *  and its task. */
#include "job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "buf.h"
#include "http.h"
#include "sha.h"

/* Journal ------------------------------------------------------------- */

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
                     op_name(j->f->o->op), "endpoint",
                     api_endpoint(j->f->api), "server", j->t->server,
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
                         job_restoring(j) ? NULL : j->f->o->source_sha256);
    }
    return json_pack("{s:n, s:I}", "bootScript", "bootId",
                     (json_int_t)j->want.boot_id);
}

/* The intent is durable (or could not be written): write, or give up. */
static void on_intent(void *ctx, int rc)
{
    struct job *j = ctx;

    if (rc) {
        job_fail(j, "check the journal's disk and permissions",
                 "not changed: cannot write the journal: %s", strerror(-rc));
        return;
    }
    job_advance(j);
}

/* Queue the intent record; the PUT follows once it is durable. */
void job_journal_intent(struct job *j)
{
    json_t *rec = journal_base(j, "intent");
    int rc = -ENOMEM;

    if (rec && !json_object_set_new(rec, "previous",
                                    boot_state_json(&j->t->before)) &&
        !json_object_set_new(rec, "new", journal_new(j)))
        rc = journal_append_async(j->f->o->journal, rec, on_intent, j);
    json_decref(rec);
    if (rc)
        on_intent(j, rc);
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
        rc = journal_append_async(j->f->o->journal, rec, on_outcome, j->t);
    json_decref(rec);
    if (rc)
        on_outcome(j->t, rc);
}

/* Writing and verifying ------------------------------------------------ */

/* Whether the server's state is what this job wanted. */
bool job_is_wanted(struct job *j, const struct boot_state *s)
{
    if (j->put_script)
        return s->script && s->script_len == j->want.script_len &&
               memcmp(s->script, j->want.script, s->script_len) == 0;
    /* A netboot id: set, and (spec §6) no script left active. */
    return s->boot_id == j->want.boot_id && !s->script;
}

/* PUT or RESTORE answered: whatever the answer, the read-back settles it. */
static void on_put(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;

    job_note_result(j, r);
    /* Nothing was sent: certainly not applied. */
    if (r->status == API_ERR_LOCAL && !r->attempts) {
        if (job_restoring(j)) {
            job_fail(j, "run 'ipxe-upload rollback' for this server",
                     "; restoring the previous state failed: %s",
                     r->message);
            return;
        }
        journal_outcome(j, "failed");
        job_fail_call(j, "not changed", r);
        return;
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
    job_advance(j);
}

/* The body of a PUT that writes @p s: its script, or its bootId. */
static json_t *put_body(const struct boot_state *s, bool script)
{
    if (script)
        return json_pack("{s:s%}", "bootScript", s->script, s->script_len);
    return json_pack("{s:I}", "bootId", (json_int_t)s->boot_id);
}

/* PUT @p s (a restore settles: past the per-server deadline too). */
void job_put(struct job *j, const struct boot_state *s, bool script)
{
    json_t *body = put_body(s, script);

    if (!body) {
        job_fail(j, NULL, "out of memory");
        return;
    }
    job_call(j, "PUT", "", body, job_restoring(j) ? API_SETTLE : 0, on_put);
    json_decref(body);
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
void job_restore(struct job *j)
{
    if (!job_want_state(j, &j->t->before)) {
        job_fail(j, "run 'ipxe-upload rollback' for this server",
                 "; the previous state had neither script nor bootId, "
                 "nothing to restore");
        return;
    }
    job_put(j, &j->want, j->put_script);
}

/* VERIFY or VERIFY_RESTORE answered: judge the read-back (j->readback). */
static void on_verify(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;
    struct boot_state now;

    job_note_result(j, r);
    if (r->status != API_OK && job_restoring(j)) {
        fleet_target_reason(j->t,
                            "; restoring the previous state could not "
                            "be verified: %s",
                            r->message);
        fleet_target_hint(j->t, "run 'ipxe-upload rollback' for it");
        job_advance(j);
        return;
    }
    if (r->status != API_OK) {
        /* Unknown whether the PUT took: put the previous state back, so
         * that a failed server is one left as it was. */
        fleet_target_reason(j->t, "the change could not be verified: ");
        job_reason_call(j, r);
        journal_outcome(j, "failed");
        j->readback = READBACK_OTHER;
        job_advance(j);
        return;
    }
    if (!job_parse_server(j, r->json, &now, false)) {
        job_fail(j, "run the command again", "the read-back of '%s' has no "
                 "usable bootScript/bootId", j->t->server);
        return;
    }
    if (job_restoring(j)) {
        bool ok = job_is_wanted(j, &now);
        boot_state_release(&now);
        fleet_target_reason(j->t, "%s",
                            ok ? "; the previous state was restored"
                               : "; restoring the previous state could "
                                 "not be verified");
        if (!ok)
            fleet_target_hint(j->t, "run 'ipxe-upload rollback' for it");
        job_advance(j);
        return;
    }
    if (job_is_wanted(j, &now)) {
        boot_state_release(&now);
        /* An uncertain PUT that did apply is a success. */
        buf_truncate(&j->t->reason, 0);
        journal_outcome(j, "verified");
        j->readback = READBACK_WANTED;
        job_advance(j);
        return;
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
        job_advance(j);
        return;
    }
    boot_state_release(&now);
    fleet_target_reason(j->t,
                        "%sthe server reads back something other than "
                        "what was written",
                        j->t->reason.len ? "; " : "");
    journal_outcome(j, "failed");
    j->readback = READBACK_OTHER;
    job_advance(j);
}

void job_verify(struct job *j)
{
    job_call(j, "GET", "", NULL, API_SETTLE, on_verify);
}

/* Want what push or rollback writes (disk and rescue want the netboot
 * found); false when there is nothing to write (the job failed). */
static bool job_want_target(struct job *j)
{
    struct fleet_target *t = j->t;

    if (j->f->o->op == FLEET_PUSH) {
        j->want.script = t->script;
        j->want.script_len = t->script_len;
        j->want.boot_id = -1;
        j->put_script = true;
    } else if (j->f->o->op == FLEET_ROLLBACK &&
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
    if (j->f->o->op == FLEET_DISK)
        return kernel && strcmp(kernel, "hd") == 0;
    return kernel && strcmp(kernel, j->f->o->rescue_kernel) == 0;
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
static void on_boot_detail(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;
    const char *kernel = NULL;
    json_int_t id = 0;

    job_note_result(j, r);
    if (r->status != API_OK) {
        job_fail_call(j, "cannot read a netboot", r);
        return;
    }
    json_unpack(r->json, "{s?s}", "kernel", &kernel);
    if (kernel_wanted(j, kernel)) {
        id = json_integer_value(json_array_get(j->boot_ids, j->boot_idx - 1));
        job_set_netboot(j, (long long)id);
    }
    job_advance(j);
}

/* Look at the next candidate bootId's kernel. */
void job_lookup_next(struct job *j)
{
    json_t *id = json_array_get(j->boot_ids, j->boot_idx);
    char suffix[64];

    if (!id) {
        job_fail(j, j->f->o->op == FLEET_DISK
                        ? "ask OVHcloud support which netboot boots the disk"
                        : "choose one with --kernel NAME",
                 "no netboot with kernel '%s' among the %zu of type %s",
                 j->f->o->op == FLEET_DISK ? "hd" : j->f->o->rescue_kernel,
                 json_array_size(j->boot_ids),
                 j->f->o->op == FLEET_DISK ? "harddisk" : "rescue");
        return;
    }
    j->boot_idx++;
    snprintf(suffix, sizeof(suffix), "/boot/%lld",
             (long long)json_integer_value(id));
    job_call(j, "GET", suffix, NULL, 0, on_boot_detail);
}

/* LIST_BOOTS answered: keep the candidates; a lone harddisk one is it. */
static void on_boot_list(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;
    size_t i;
    json_t *v;

    job_note_result(j, r);
    if (r->status != API_OK) {
        job_fail_call(j, "cannot list the netboots", r);
        return;
    }
    if (!json_is_array(r->json)) {
        job_fail(j, NULL, "the netboot list of '%s' is not an array",
                 j->t->server);
        return;
    }
    json_array_foreach(r->json, i, v) {
        if (!json_is_integer(v)) {
            job_fail(j, NULL, "the netboot list of '%s' holds a non-id",
                     j->t->server);
            return;
        }
    }
    j->boot_ids = json_incref(r->json);
    /* One harddisk netboot is the disk; anything else is checked by
     * kernel name, never by a remembered id (spec §6, synthesio#101). */
    if (j->f->o->op == FLEET_DISK && json_array_size(j->boot_ids) == 1)
        job_set_netboot(j, (long long)json_integer_value(
                               json_array_get(j->boot_ids, 0)));
    job_advance(j);
}

void job_list_boots(struct job *j)
{
    job_call(j, "GET",
             j->f->o->op == FLEET_DISK ? "/boot?bootType=harddisk"
                                       : "/boot?bootType=rescue",
             NULL, 0, on_boot_list);
}

/* Reboot and task ------------------------------------------------------ */

static void on_task(void *ctx, const struct api_result *r);

/* The poll timer fired: read the task. */
static void task_poll(void *ctx)
{
    struct job *j = ctx;
    char suffix[64], path[512];

    snprintf(suffix, sizeof(suffix), "/task/%lld", j->t->task_id);
    job_server_path(j, suffix, path, sizeof(path));
    /* Not job_call(): the per-server deadline does not cover the wait. */
    if (api_call(j->f->api, "GET", path, NULL, API_NO_RETRY, on_task, j))
        job_fail(j, NULL, "cannot queue a task poll: out of memory");
}

/* Poll the task after --poll-interval, or give up past --wait-timeout. */
static void task_later(struct job *j)
{
    int64_t now = http_now_ms();

    if (now - j->task_started >= j->f->o->wait_timeout_ms) {
        job_fail(j, "check the task in the control panel, or raise "
                    "--wait-timeout",
                 "rebooted, but task %lld was still '%s' after %ld s",
                 j->t->task_id,
                 j->t->task_status ? j->t->task_status : "unknown",
                 j->f->o->wait_timeout_ms / 1000);
        return;
    }
    if (http_after(j->f->http, j->f->o->poll_ms, task_poll, j))
        job_fail(j, NULL, "out of memory");
}

/* Keep the task's last status (copied). */
static void set_task_status(struct job *j, const char *status)
{
    free(j->t->task_status);
    j->t->task_status = status ? strdup(status) : NULL;
}

/* A task poll answered: done, poll again, or give up. */
static void on_task(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;
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
        if (transient && now - j->task_first_error < j->f->o->task_grace_ms) {
            task_later(j);
            return;
        }
        job_fail_call(j, "rebooted, but the task could not be followed", r);
        return;
    }
    j->task_first_error = 0;
    json_unpack(r->json, "{s?s}", "status", &status);
    set_task_status(j, status);
    if (status && strcmp(status, "done") == 0) {
        job_advance(j);
        return;
    }
    if (status && (strcmp(status, "init") == 0 ||
                   strcmp(status, "todo") == 0 ||
                   strcmp(status, "doing") == 0)) {
        task_later(j);
        return;
    }
    job_fail(j, "look at the task in the control panel",
             "the reboot task %lld ended '%s'", j->t->task_id,
             status ? status : "without a status");
}

/* REBOOT answered: keep the task to wait on. */
static void on_reboot(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;
    json_int_t id = -1;
    const char *status = NULL;

    job_note_result(j, r);
    if (r->status != API_OK) {
        if (j->f->o->op != FLEET_REBOOT)
            fleet_target_reason(j->t, "the change is written and verified, "
                                      "but ");
        job_fail_call(j, r->maybe_applied ? "the reboot may or may not have "
                                            "started"
                                          : "the reboot was not started",
                      r);
        return;
    }
    json_unpack(r->json, "{s?I, s?s}", "taskId", &id, "status", &status);
    j->t->task_id = id;
    set_task_status(j, status);
    if (j->f->o->wait && id < 0) {
        job_fail(j, NULL, "rebooted, but the API returned no task id to "
                          "wait on");
        return;
    }
    job_advance(j);
}

/* Hard reboot the server. */
void job_reboot(struct job *j)
{
    /* Not idempotent: a second POST is a second reboot. */
    job_call(j, "POST", "/reboot", NULL,
             API_NOT_IDEMPOTENT, on_reboot);
}

/* Push and rollback: want their state, then go on to compare it. */
void job_compare(struct job *j)
{
    if (!job_want_target(j))
        return;
    job_advance(j);
}

void job_wait_task(struct job *j)
{
    j->task_started = http_now_ms();
    task_later(j);
}
