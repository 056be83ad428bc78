/* SPDX-License-Identifier: MIT */
/** @file The fleet engine's reading states: the server, its boot mode,
 *  linting and rendering its script, what its bootId boots, the diff.
 *  Each records what it read and returns what happened (job.h); the
 *  engine picks the next state. */
#include "job_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "buf.h"
#include "diff.h"
#include "scriptlint.h"

/* Reading a server ---------------------------------------------------- */

/* READ_SERVER answered: keep the boot state (and the facts to render). */
static enum job_step on_read(struct job *j, const struct api_result *r)
{
    job_note_result(j, r);
    if (r->status != API_OK)
        return job_fail_call(j, NULL, r);
    if (!job_parse_server(j, r->json, &j->t->before, true))
        return job_fail(j, NULL,
                        "the API's description of '%s' has no "
                        "usable bootScript/bootId",
                        j->t->server);
    j->t->have_before = true;
    if (j->run->o->render)
        j->server = json_incref(r->json);
    return JOB_STEP_NEXT;
}

enum job_step job_read_server(struct job *j)
{
    return job_call(j, "GET", "", NULL, 0, on_read);
}

/* Boot mode and lint --------------------------------------------------- */

/* Lint for @p mode; true if the job may go on (else it failed). */
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
enum job_step job_read_check(struct job *j)
{
    if (!script_sendable(j)) {
        fleet_target_hint(j->t, "save the script as UTF-8 text");
        return JOB_STEP_REFUSED;
    }
    /* Clean for every firmware means clean for this server's: only a
     * script with errors costs a request for the real boot mode. */
    if (!job_lint(j, BOOT_MODE_UNKNOWN))
        return JOB_STEP_FAILED;
    return JOB_STEP_NEXT;
}

/* READ_HARDWARE answered: keep the boot mode (and the hardware). */
static enum job_step on_hardware(struct job *j, const struct api_result *r)
{
    const char *mode = NULL;

    job_note_result(j, r);
    if (r->status != API_OK)
        return job_fail_call(j, "cannot read the boot mode", r);
    json_unpack(r->json, "{s?s}", "bootMode", &mode);
    j->t->mode = boot_mode_parse(mode);
    if (j->run->o->render)
        j->hardware = json_incref(r->json);
    return JOB_STEP_NEXT;
}

enum job_step job_read_hardware(struct job *j)
{
    j->hardware_read = true;
    return job_call(j, "GET", "/specifications/hardware", NULL, 0, on_hardware);
}

/* A script with errors for any firmware: lint it for this server's. */
enum job_step job_read_lint(struct job *j)
{
    if (!job_lint(j, j->t->mode))
        return JOB_STEP_FAILED;
    if (j->t->lint_errors) {
        fleet_target_reason(
            j->t, "%zu lint error%s for boot mode %s", j->t->lint_errors,
            j->t->lint_errors == 1 ? "" : "s", boot_mode_name(j->t->mode));
        fleet_target_hint(j->t, "fix the script, or check it with "
                                "'ipxe-lint' before pushing");
        return JOB_STEP_REFUSED;
    }
    return JOB_STEP_NEXT;
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
enum job_step job_read_render(struct job *j)
{
    json_t *facts = live_facts(j);
    int rc;

    if (!facts)
        return job_fail(j, NULL, "out of memory");
    rc = j->run->o->render(j->run->o->render_ctx, j->t, facts);
    json_decref(facts);
    if (rc < 0)
        return job_fail(j, NULL, "cannot render the script of '%s': %s",
                        j->t->server, strerror(-rc));
    if (rc == 0 && !j->t->script)
        return job_fail(j, NULL, "the renderer gave no script for '%s'",
                        j->t->server);
    if (rc == 0 && !script_sendable(j))
        rc = 1;
    if (rc) {
        if (!j->t->reason.len)
            fleet_target_reason(j->t, "the rendered script was refused");
        return JOB_STEP_REFUSED;
    }
    j->rendered = true;
    return JOB_STEP_NEXT;
}

/* Describing a bootId (get, list) -------------------------------------- */

/* DESCRIBE_BOOT answered: keep what the bootId boots. */
static enum job_step on_bootinfo(struct job *j, const struct api_result *r)
{
    const char *type = NULL, *kernel = NULL;

    job_note_result(j, r);
    if (r->status != API_OK)
        return job_fail_call(j, "cannot describe the current netboot", r);
    json_unpack(r->json, "{s?s, s?s}", "bootType", &type, "kernel", &kernel);
    if (type)
        j->t->boot_type = strdup(type);
    if (kernel)
        j->t->boot_kernel = strdup(kernel);
    return JOB_STEP_NEXT;
}

/* What the current bootId boots, when no script is active (get, list). */
enum job_step job_read_describe(struct job *j)
{
    char suffix[64];

    /* A script is active, or no bootId: nothing to describe. */
    if (j->t->before.script || j->t->before.boot_id < 0)
        return JOB_STEP_NEXT;
    snprintf(suffix, sizeof(suffix), "/boot/%lld", j->t->before.boot_id);
    return job_call(j, "GET", suffix, NULL, 0, on_bootinfo);
}

/* The unified diff of the current script and the new one (diff). */
enum job_step job_read_diff(struct job *j)
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
    if (rc)
        return job_fail(j, NULL, "cannot diff: %s", strerror(-rc));
    return JOB_STEP_NEXT;
}
