/* SPDX-License-Identifier: MIT */
/** @file The fleet engine: one state machine per server, many in flight. */
#include "fleet.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "diff.h"
#include "http.h"
#include "sha.h"

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

static void job_start(struct job *j);
static void job_enter(struct job *j, enum fleet_state s);
static void job_advance(struct job *j);
static bool job_restoring(const struct job *j);

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
    if (f->o->on_done)
        f->o->on_done(f->o->cb_ctx, j->t, &f->prog);
    fleet_start_next(f);
}

/* Fail with a message of our own. */
static void job_fail(struct job *j, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void job_fail(struct job *j, const char *hint, const char *fmt, ...)
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
static void note_result(struct job *j, const struct api_result *r)
{
    j->t->requests += r->attempts;
    if (r->query_id)
        json_array_append_new(j->t->query_ids, json_string(r->query_id));
}

/* Fail because a call failed, with its message, hint and query id. */
static void job_fail_call(struct job *j, const char *what,
                          const struct api_result *r)
{
    fleet_target_reason(j->t, "%s%s", what ? what : "", what ? ": " : "");
    target_text_rc(j->t, api_result_describe(r, &j->t->reason));
    if (r->hint)
        fleet_target_hint(j->t, "%s", r->hint);
    job_end(j, FLEET_FAILED);
}

/* The API path of this job's server with @p suffix.  Server names are
 * checked (fleet_valid_server()), so this is a path of our making. */
static void server_path(const struct job *j, const char *suffix, char *path,
                        size_t size)
{
    snprintf(path, size, "/dedicated/server/%s%s", j->t->server, suffix);
}

/* Issue a call for this job; a failure to even queue it fails the job.
 * A settling call (API_SETTLE: the read-back after a write, a restore)
 * finishes what was started, so the per-server deadline does not stop it
 * (its own call deadline still does). */
static bool job_call(struct job *j, const char *method, const char *suffix,
                     json_t *body, unsigned flags, api_done_fn fn)
{
    char path[512];

    if (!(flags & API_SETTLE) && j->deadline &&
        http_now_ms() >= j->deadline) {
        job_fail(j, "raise --deadline, or run the command again",
                 "gave up: the per-server deadline passed");
        return false;
    }
    server_path(j, suffix, path, sizeof(path));
    if (api_call(j->f->api, method, path, body, flags, fn, j)) {
        job_fail(j, NULL, "cannot queue %s %s: out of memory", method, path);
        return false;
    }
    return true;
}

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
static void journal_intent(struct job *j)
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

/* Reading a server ---------------------------------------------------- */

/* Parse a GET /dedicated/server/{sn} answer into @p s. */
static bool parse_server(struct job *j, json_t *root, struct boot_state *s,
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

/* READ_SERVER answered: keep the boot state (and the facts to render). */
static void on_read(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;

    note_result(j, r);
    if (r->status != API_OK) {
        job_fail_call(j, NULL, r);
        return;
    }
    if (!parse_server(j, r->json, &j->t->before, true)) {
        job_fail(j, NULL, "the API's description of '%s' has no usable "
                          "bootScript/bootId", j->t->server);
        return;
    }
    j->t->have_before = true;
    if (j->f->o->render)
        j->server = json_incref(r->json);
    job_advance(j);
}

/* Boot mode and lint --------------------------------------------------- */

/* Lint for @p mode; true if the job may go on. */
static bool job_lint(struct job *j, enum boot_mode mode)
{
    const char *name = j->t->file ? j->t->file : j->t->server;
    int rc;

    buf_truncate(&j->t->findings, 0);
    rc = scriptlint_check(name, j->t->script, j->t->script_len, mode,
                          &j->t->lint_errors, &j->t->findings);
    if (rc) {
        job_fail(j, NULL, "cannot lint '%s': %s", name, strerror(-rc));
        return false;
    }
    return true;
}

/* Scripts the API cannot carry as a JSON string are refused up front. */
static bool script_sendable(struct job *j)
{
    const unsigned char *p = (const unsigned char *)j->t->script;
    size_t i = 0, len = j->t->script_len, n;

    if (memchr(p, '\0', len)) {
        fleet_target_reason(j->t, "the script contains a NUL byte");
        return false;
    }
    /* Well-formed UTF-8 only, as JSON requires: no overlong forms,
     * no surrogates, nothing past U+10FFFF. */
    while (i < len) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3;
        else
            goto bad;
        if (len - i <= n)
            goto bad;
        for (size_t k = 1; k <= n; k++)
            if ((p[i + k] & 0xc0) != 0x80)
                goto bad;
        if ((c == 0xe0 && p[i + 1] < 0xa0) || (c == 0xed && p[i + 1] >= 0xa0) ||
            (c == 0xf0 && p[i + 1] < 0x90) || (c == 0xf4 && p[i + 1] >= 0x90))
            goto bad;
        i += n + 1;
    }
    return true;
bad:
    fleet_target_reason(j->t, "the script is not valid UTF-8 (byte %zu)", i);
    return false;
}

/* Step 1 of push and diff: refuse what cannot or must not be sent. */
static void job_check_script(struct job *j)
{
    if (!script_sendable(j)) {
        fleet_target_hint(j->t, "save the script as UTF-8 text");
        job_end(j, FLEET_REFUSED);
        return;
    }
    /* Clean for every firmware means clean for this server's: only a
     * script with errors costs a request for the real boot mode. */
    if (!job_lint(j, BOOT_MODE_UNKNOWN))
        return;
    job_advance(j);
}

/* READ_HARDWARE answered: keep the boot mode (and the hardware). */
static void on_hardware(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;
    const char *mode = NULL;

    note_result(j, r);
    if (r->status != API_OK) {
        job_fail_call(j, "cannot read the boot mode", r);
        return;
    }
    json_unpack(r->json, "{s?s}", "bootMode", &mode);
    j->t->mode = boot_mode_parse(mode);
    if (j->f->o->render)
        j->hardware = json_incref(r->json);
    job_advance(j);
}

/* A script with errors for any firmware: lint it for this server's. */
static void job_lint_mode(struct job *j)
{
    if (!job_lint(j, j->t->mode))
        return;
    if (j->t->lint_errors) {
        fleet_target_reason(
            j->t, "%zu lint error%s for boot mode %s", j->t->lint_errors,
            j->t->lint_errors == 1 ? "" : "s", boot_mode_name(j->t->mode));
        fleet_target_hint(j->t, "fix the script, or check it with "
                                "'ipxe-lint' before pushing");
        job_end(j, FLEET_REFUSED);
        return;
    }
    job_advance(j);
}

/* Rendering from live facts (push --template) --------------------------- */

/* What the template sees as `ovh`: the server's description without its
 * boot state (which the push changes: a fact that moved with every push
 * would never converge), its boot mode and its hardware. */
static json_t *live_facts(struct job *j)
{
    json_t *facts = json_deep_copy(j->server);

    if (!facts)
        return NULL;
    json_object_del(facts, "bootScript");
    json_object_del(facts, "bootId");
    if (json_object_set_new(facts, "bootMode",
                            json_string(boot_mode_name(j->t->mode))) ||
        json_object_set(facts, "hardware", j->hardware)) {
        json_decref(facts);
        return NULL;
    }
    return facts;
}

/* Render the server's script from its live facts, and lint it. */
static void job_render(struct job *j)
{
    json_t *facts = live_facts(j);
    int rc;

    if (!facts) {
        job_fail(j, NULL, "out of memory");
        return;
    }
    rc = j->f->o->render(j->f->o->render_ctx, j->t, facts);
    json_decref(facts);
    if (rc < 0) {
        job_fail(j, NULL, "cannot render the script of '%s': %s",
                 j->t->server, strerror(-rc));
        return;
    }
    if (rc == 0 && !j->t->script) {
        job_fail(j, NULL, "the renderer gave no script for '%s'",
                 j->t->server);
        return;
    }
    if (rc == 0 && !script_sendable(j))
        rc = 1;
    if (rc) {
        if (!j->t->reason.len)
            fleet_target_reason(j->t, "the rendered script was refused");
        job_end(j, FLEET_REFUSED);
        return;
    }
    j->rendered = true;
    job_advance(j);
}

/* Describing a bootId (get, list) -------------------------------------- */

static void on_bootinfo(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;
    const char *type = NULL, *kernel = NULL;

    note_result(j, r);
    if (r->status != API_OK) {
        job_fail_call(j, "cannot describe the current netboot", r);
        return;
    }
    json_unpack(r->json, "{s?s, s?s}", "bootType", &type, "kernel", &kernel);
    if (type)
        j->t->boot_type = strdup(type);
    if (kernel)
        j->t->boot_kernel = strdup(kernel);
    job_advance(j);
}

/* What the current bootId boots, when no script is active (get, list). */
static void job_describe_boot(struct job *j)
{
    char suffix[64];

    if (j->t->before.script || j->t->before.boot_id < 0) {
        job_end(j, FLEET_DONE);
        return;
    }
    snprintf(suffix, sizeof(suffix), "/boot/%lld", j->t->before.boot_id);
    job_call(j, "GET", suffix, NULL, 0, on_bootinfo);
}

/* Writing and verifying ------------------------------------------------ */

/* Whether the server's state is what this job wanted. */
static bool state_is_wanted(struct job *j, const struct boot_state *s)
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

    note_result(j, r);
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
        target_text_rc(j->t, api_result_describe(r, &j->t->reason));
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
static void job_put(struct job *j, const struct boot_state *s, bool script)
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
static void job_restore(struct job *j)
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

    note_result(j, r);
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
        target_text_rc(j->t, api_result_describe(r, &j->t->reason));
        journal_outcome(j, "failed");
        j->readback = READBACK_OTHER;
        job_advance(j);
        return;
    }
    if (!parse_server(j, r->json, &now, false)) {
        job_fail(j, "run the command again", "the read-back of '%s' has no "
                 "usable bootScript/bootId", j->t->server);
        return;
    }
    if (job_restoring(j)) {
        bool ok = state_is_wanted(j, &now);
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
    if (state_is_wanted(j, &now)) {
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

    note_result(j, r);
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
static void job_lookup_next(struct job *j)
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

    note_result(j, r);
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

/* Reboot and task ------------------------------------------------------ */

static void on_task(void *ctx, const struct api_result *r);

/* The poll timer fired: read the task. */
static void task_poll(void *ctx)
{
    struct job *j = ctx;
    char suffix[64], path[512];

    snprintf(suffix, sizeof(suffix), "/task/%lld", j->t->task_id);
    server_path(j, suffix, path, sizeof(path));
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

    note_result(j, r);
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

    note_result(j, r);
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
static void job_reboot(struct job *j)
{
    /* Not idempotent: a second POST is a second reboot. */
    job_call(j, "POST", "/reboot", NULL,
             API_NOT_IDEMPOTENT, on_reboot);
}

/* The state machine ---------------------------------------------------- */

/* Whether the job is putting the previous state back. */
static bool job_restoring(const struct job *j)
{
    return j->t->state == FLEET_ST_RESTORE ||
           j->t->state == FLEET_ST_VERIFY_RESTORE;
}

/* The unified diff of the current script and the new one (diff). */
static void job_diff(struct job *j)
{
    struct fleet_target *t = j->t;
    struct buf a_name;
    int rc;

    buf_init(&a_name, 4096);
    rc = buf_addf(&a_name, "%s %s", t->server,
                  t->before.script ? "current" : "current (no script)");
    if (!rc)
        rc = diff_unified(t->before.script ? t->before.script : "",
                          t->before.script_len, t->script, t->script_len,
                          a_name.data, t->file ? t->file : t->server, &t->diff);
    buf_release(&a_name);
    if (rc) {
        job_fail(j, NULL, "cannot diff: %s", strerror(-rc));
        return;
    }
    job_advance(j);
}

/* Push and rollback: want their state, then go on to compare it. */
static void job_compare(struct job *j)
{
    if (!job_want_target(j))
        return;
    job_advance(j);
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
        job_call(j, "GET", "/specifications/hardware", NULL, 0, on_hardware);
        break;
    case FLEET_ST_LINT:
        job_lint_mode(j);
        break;
    case FLEET_ST_READ_SERVER:
        job_call(j, "GET", "", NULL, 0, on_read);
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
        job_call(j, "GET",
                 j->f->o->op == FLEET_DISK ? "/boot?bootType=harddisk"
                                           : "/boot?bootType=rescue",
                 NULL, 0, on_boot_list);
        break;
    case FLEET_ST_READ_BOOT:
        job_lookup_next(j);
        break;
    case FLEET_ST_COMPARE:
        job_compare(j);
        break;
    case FLEET_ST_JOURNAL:
        journal_intent(j);
        break;
    case FLEET_ST_PUT:
        job_put(j, &j->want, j->put_script);
        break;
    case FLEET_ST_RESTORE:
        job_restore(j);
        break;
    case FLEET_ST_VERIFY:
    case FLEET_ST_VERIFY_RESTORE:
        job_call(j, "GET", "", NULL, API_SETTLE, on_verify);
        break;
    case FLEET_ST_REBOOT:
        job_reboot(j);
        break;
    case FLEET_ST_WAIT_TASK:
        j->task_started = http_now_ms();
        task_later(j);
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
static void job_advance(struct job *j)
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
        if (state_is_wanted(j, &t->before))
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
