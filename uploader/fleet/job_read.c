/* SPDX-License-Identifier: MIT */
/** @file The fleet engine's reading states: the server, its boot mode,
 *  linting and rendering its script, what its bootId boots, the diff. */
#include "job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "buf.h"
#include "diff.h"

/* Reading a server ---------------------------------------------------- */

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

/* READ_SERVER answered: keep the boot state (and the facts to render). */
static void on_read(void *ctx, const struct api_result *r)
{
    struct job *j = ctx;

    job_note_result(j, r);
    if (r->status != API_OK) {
        job_fail_call(j, NULL, r);
        return;
    }
    if (!job_parse_server(j, r->json, &j->t->before, true)) {
        job_fail(j, NULL, "the API's description of '%s' has no usable "
                          "bootScript/bootId", j->t->server);
        return;
    }
    j->t->have_before = true;
    if (j->f->o->render)
        j->server = json_incref(r->json);
    job_advance(j);
}

void job_read_server(struct job *j)
{
    job_call(j, "GET", "", NULL, 0, on_read);
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
void job_check_script(struct job *j)
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

    job_note_result(j, r);
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

void job_read_hardware(struct job *j)
{
    job_call(j, "GET", "/specifications/hardware", NULL, 0, on_hardware);
}

/* A script with errors for any firmware: lint it for this server's. */
void job_lint_mode(struct job *j)
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
void job_render(struct job *j)
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

    job_note_result(j, r);
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
void job_describe_boot(struct job *j)
{
    char suffix[64];

    if (j->t->before.script || j->t->before.boot_id < 0) {
        job_end(j, FLEET_DONE);
        return;
    }
    snprintf(suffix, sizeof(suffix), "/boot/%lld", j->t->before.boot_id);
    job_call(j, "GET", suffix, NULL, 0, on_bootinfo);
}

/* The unified diff of the current script and the new one (diff). */
void job_diff(struct job *j)
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

