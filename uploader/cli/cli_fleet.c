/* SPDX-License-Identifier: MIT */
/** @file What the commands share: their targets (from files, server names
 *  or an inventory), the render hook, running the fleet engine, and the
 *  JSON report. */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "api.h"
#include "buf.h"
#include "cli.h"
#include "cli_out.h"
#include "fleetsrc.h"
#include "http.h"
#include "readfile.h"
#include "safefile.h"

/* The largest script read from a file.  The API documents no limit
 * (spec §6); this keeps a mistaken argument (an ISO image) from being
 * sent. */
#define SCRIPT_MAX (1u << 20)

/* Targets --------------------------------------------------------------- */

/* Read the script file @p path (at most SCRIPT_MAX bytes); @p data is
 * the caller's to free. */
static int read_script(const char *path, char **data, size_t *len)
{
    struct buf b;
    FILE *f = fopen(path, "rb");
    int rc;

    if (!f)
        return -errno;
    buf_init(&b, SCRIPT_MAX);
    rc = readfile_stream(f, &b);
    fclose(f);
    if (rc) {
        buf_release(&b);
        return rc;
    }
    *data = buf_detach(&b, len);
    return *data ? 0 : -ENOMEM;
}

/* "SERVER=PATH" or "dir/SERVER.ipxe" into a target with its script. */
static int file_target(const char *arg, struct fleet_target *t)
{
    const char *eq = strchr(arg, '='), *base, *path = arg;
    char *server;
    size_t len;
    int rc;

    if (eq && !memchr(arg, '/', (size_t)(eq - arg))) {
        server = strndup(arg, (size_t)(eq - arg));
        path = eq + 1;
    } else {
        base = strrchr(arg, '/');
        base = base ? base + 1 : arg;
        len = strlen(base);
        if (len <= 5 || strcmp(base + len - 5, ".ipxe") != 0) {
            cli_out_error("cannot tell the server of '%s'", arg);
            cli_out_hint("name the file SERVER.ipxe, or write SERVER=PATH");
            return UPLOAD_EXIT_USAGE;
        }
        server = strndup(base, len - 5);
    }
    if (!server)
        return UPLOAD_EXIT_USAGE;
    if (!fleet_valid_server(server)) {
        cli_out_error("'%s' is not a server name", server);
        free(server);
        return UPLOAD_EXIT_USAGE;
    }
    rc = fleet_target_init(t, server);
    free(server);
    if (rc)
        return UPLOAD_EXIT_USAGE;
    t->file = strdup(path);
    rc = read_script(path, &t->script, &t->script_len);
    if (rc == -E2BIG) {
        cli_out_error("'%s' is larger than %u bytes; is it really a script?",
                      path, SCRIPT_MAX);
        return UPLOAD_EXIT_USAGE;
    }
    if (rc) {
        cli_out_error("cannot read '%s': %s", path, strerror(-rc));
        return UPLOAD_EXIT_USAGE;
    }
    return CLI_GO_ON;
}

void cli_free_targets(struct fleet_target *t, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        fleet_target_release(&t[i]);
    free(t);
}

/* push/diff --template: one target per selected inventory host. */
static int template_targets(struct cli *c, struct fleet_target **out, size_t *n)
{
    struct fleet_target *t;
    struct buf err;
    const char *host;
    bool *selected;
    size_t i, count, k = 0;
    int rc;

    buf_init(&err, 1 << 16);
    rc = fleetsrc_open(c->o.template_path, c->o.inventory, c->o.sets,
                       c->o.nsets, &c->src, &err);
    if (rc) {
        /* The renderer's messages end with a newline and may hold many
         * lines (every finding of a template, with carets). */
        if (rc == -ENOMEM)
            cli_out_error("out of memory");
        else
            fprintf(stderr, "%s%s", err.data,
                    err.len && err.data[err.len - 1] == '\n' ? "" : "\n");
        if (rc == -ENOTSUP)
            cli_out_hint(
                "render the scripts with 'ipxe-render -o DIR' and push "
                "DIR/*.ipxe instead");
        buf_release(&err);
        return UPLOAD_EXIT_USAGE;
    }
    count = fleetsrc_count(c->src);
    t = calloc(count + 1, sizeof(*t));
    selected = calloc(count + 1, sizeof(*selected));
    rc = t && selected
             ? fleetsrc_select(c->src, c->o.hosts, c->o.nhosts, selected, &err)
             : -ENOMEM;
    if (rc) {
        cli_out_error("%s", rc < 0 ? "out of memory" : err.data);
        buf_release(&err);
        free(selected);
        free(t);
        return UPLOAD_EXIT_USAGE;
    }
    buf_release(&err);
    for (i = 0; i < count; i++) {
        host = fleetsrc_host(c->src, i);
        if (!selected[i])
            continue;
        if (!fleet_valid_server(host)) {
            cli_out_error("%s: host '%s' is not a server name", c->o.inventory,
                          host);
            rc = UPLOAD_EXIT_USAGE;
            break;
        }
        if (fleet_target_init(&t[k++], host)) {
            rc = UPLOAD_EXIT_USAGE;
            break;
        }
    }
    free(selected);
    if (!rc && !k) {
        cli_out_error("the inventory '%s' has no host", c->o.inventory);
        rc = UPLOAD_EXIT_USAGE;
    }
    if (rc) {
        cli_free_targets(t, k);
        return rc;
    }
    *out = t;
    *n = k;
    return CLI_GO_ON;
}

int cli_make_targets(struct cli *c, bool files, struct fleet_target **out,
                     size_t *n)
{
    struct fleet_target *t;
    json_t *seen;
    size_t i;
    int rc = CLI_GO_ON;

    *out = NULL;
    *n = 0;
    if (files && c->o.template_path)
        return template_targets(c, out, n);
    if (!c->o.nargs)
        return cli_usage_error("%s",
                               files ? "no FILE given" : "no SERVER given");
    t = calloc(c->o.nargs, sizeof(*t));
    /* The servers so far, as a set: no quadratic scan for twins. */
    seen = json_object();
    if (!t || !seen) {
        free(t);
        json_decref(seen);
        return UPLOAD_EXIT_USAGE;
    }
    for (i = 0; i < c->o.nargs && rc == CLI_GO_ON; i++) {
        if (files) {
            rc = file_target(c->o.args[i], &t[i]);
        } else if (!fleet_valid_server(c->o.args[i])) {
            cli_out_error("'%s' is not a server name", c->o.args[i]);
            rc = UPLOAD_EXIT_USAGE;
        } else if (fleet_target_init(&t[i], c->o.args[i])) {
            rc = UPLOAD_EXIT_USAGE;
        }
        if (rc != CLI_GO_ON || !t[i].server)
            continue;
        if (json_object_get(seen, t[i].server)) {
            cli_out_error("server '%s' is given twice", t[i].server);
            rc = UPLOAD_EXIT_USAGE;
        } else if (json_object_set_new(seen, t[i].server, json_true())) {
            rc = UPLOAD_EXIT_USAGE;
        }
    }
    json_decref(seen);
    if (rc != CLI_GO_ON) {
        cli_free_targets(t, c->o.nargs);
        return rc;
    }
    *out = t;
    *n = c->o.nargs;
    return CLI_GO_ON;
}

/* Running the engine --------------------------------------------------- */

/* The engine's on_done hook: print the server's result. */
static void on_target_done(void *ctx, const struct fleet_target *t,
                           const struct fleet_progress *p)
{
    (void)ctx;
    cli_out_target_done(t, p);
}

/* One server's entry in the report (a new reference, or NULL). */
static json_t *target_report(const struct fleet_target *t)
{
    json_t *o = json_pack("{s:s, s:s, s:i, s:I, s:O}", "server", t->server,
                          "result", fleet_outcome_name(t->outcome), "requests",
                          t->requests, "elapsedMs", (json_int_t)t->elapsed_ms,
                          "queryIds", t->query_ids);

    if (!o)
        return NULL;
    if (t->file)
        json_object_set_new(o, "file", json_string(t->file));
    if (t->reason.len)
        json_object_set_new(o, "reason", json_string(t->reason.data));
    if (t->hint.len)
        json_object_set_new(o, "hint", json_string(t->hint.data));
    if (t->lint_errors || t->findings.len) {
        json_object_set_new(o, "lintErrors",
                            json_integer((json_int_t)t->lint_errors));
        json_object_set_new(o, "findings", json_string(t->findings.data));
    }
    if (t->mode != BOOT_MODE_UNKNOWN)
        json_object_set_new(o, "bootMode",
                            json_string(boot_mode_name(t->mode)));
    if (t->new_boot_id >= 0)
        json_object_set_new(o, "bootId", json_integer(t->new_boot_id));
    if (t->task_id >= 0) {
        json_object_set_new(o, "taskId", json_integer(t->task_id));
        if (t->task_status)
            json_object_set_new(o, "taskStatus", json_string(t->task_status));
    }
    return o;
}

/* Write --report FILE atomically: a new temp file (nothing planted under
 * its name is written through), fsync, rename. */
static int write_report(struct cli *c, const char *command,
                        const struct fleet_target *t, size_t n)
{
    json_t *root, *arr;
    struct buf text;
    size_t i;
    int rc;
    char *json;

    arr = json_array();
    root = json_pack("{s:s, s:s, s:o}", "command", command, "endpoint",
                     c->ep.name, "servers", arr);
    if (!root)
        return -ENOMEM;
    for (i = 0; i < n; i++)
        json_array_append_new(arr, target_report(&t[i]));
    json = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    json_decref(root);
    if (!json)
        return -ENOMEM;
    buf_init(&text, BUF_MAX_UNLIMITED);
    rc = buf_adds(&text, json);
    if (!rc)
        rc = buf_addch(&text, '\n');
    free(json);
    if (!rc)
        rc = safefile_replace(c->o.report, text.data, text.len, 0644);
    if (rc)
        cli_out_error("cannot write the report '%s': %s", c->o.report,
                      strerror(-rc));
    buf_release(&text);
    return rc;
}

/* The fleet engine's render hook: the inventory host's script, with the
 * server's live facts as ovh.*. */
static int render_target(void *ctx, struct fleet_target *t, json_t *facts)
{
    struct cli *c = ctx;
    struct buf script;
    const char *eol, *code;
    int rc;

    buf_init(&script, 1u << 20);
    buf_truncate(&t->findings, 0);
    rc = fleetsrc_render(c->src, t->server, facts, t->mode, &script,
                         &t->findings, &t->lint_errors);
    if (rc == 0) {
        t->script = buf_detach(&script, &t->script_len);
        return t->script ? 0 : -ENOMEM;
    }
    buf_release(&script);
    if (rc < 0)
        return rc;
    /* The findings (printed with the failure) say what and where; the
     * reason is their count, or the rule of the first when it is not
     * lint. */
    eol = strchr(t->findings.data, '\n');
    code = strstr(t->findings.data, " [IPX");
    if (code && eol && code > eol)
        code = NULL;
    if (!t->lint_errors || (code && strncmp(code, " [IPX4", 6) == 0))
        fleet_target_reason(t,
                            "the template cannot be rendered safely for "
                            "it%.*s",
                            code ? 10 : 0, code ? code : "");
    else
        fleet_target_reason(t,
                            "the rendered script has %zu lint error%s for "
                            "boot mode %s",
                            t->lint_errors, t->lint_errors == 1 ? "" : "s",
                            boot_mode_name(t->mode));
    fleet_target_hint(t, "fix the template or the inventory; 'ipxe-render' "
                         "shows the same findings for this host");
    return 1;
}

int cli_run_fleet(struct cli *c, struct fleet_target *t, size_t n)
{
    enum fleet_op op = c->o.cmd->op;
    const char *command = c->o.cmd->name;
    bool summary = (c->o.cmd->flags & CLI_CMD_SUMMARY) != 0;
    struct fleet_opts fo = {0};
    struct api_stats st;
    size_t i;
    int rc = UPLOAD_EXIT_OK;

    fo.op = op;
    fo.jobs = c->o.jobs;
    fo.server_deadline_ms = c->o.deadline_ms;
    fo.reboot = c->o.reboot || op == FLEET_REBOOT;
    fo.wait = c->o.wait;
    fo.poll_ms = c->o.poll_ms;
    fo.task_grace_ms = c->o.task_grace_ms;
    fo.wait_timeout_ms = c->o.wait_timeout_ms;
    fo.rescue_kernel = c->o.kernel;
    fo.journal = &c->journal;
    if (c->src && (op == FLEET_PUSH || op == FLEET_DIFF)) {
        fo.render = render_target;
        fo.render_ctx = c;
        fo.source_sha256 = fleetsrc_digest(c->src);
    }
    fo.on_done = on_target_done;
    fo.cb_ctx = c;
    if (fleet_run(c->api, c->http, &fo, t, n)) {
        cli_out_error("the transfer engine failed (out of memory?)");
        return UPLOAD_EXIT_USAGE;
    }
    cli_out_progress_clear();
    for (i = 0; i < n; i++)
        if (t[i].outcome == FLEET_FAILED || t[i].outcome == FLEET_REFUSED)
            rc = UPLOAD_EXIT_FAILED;
    api_stats(c->api, &st);
    if (summary && !c->o.quiet)
        cli_out_summary(t, n, &st, (long)(http_now_ms() - c->started));
    if (c->o.report && write_report(c, command, t, n))
        rc = UPLOAD_EXIT_USAGE;
    return rc;
}

int cli_boot_label(const struct fleet_target *t, struct buf *b)
{
    if (t->before.script)
        return buf_addf(b, "script (%zu bytes)", t->before.script_len);
    if (t->boot_type && strcmp(t->boot_type, "harddisk") == 0)
        return buf_adds(b, "disk");
    if (t->boot_type)
        return buf_addf(b, "%s (%s)", t->boot_type,
                        t->boot_kernel ? t->boot_kernel : "?");
    return buf_adds(b, "unknown");
}

void cli_reply_init(struct cli_reply *r)
{
    memset(r, 0, sizeof(*r));
    buf_init(&r->msg, 1 << 16);
    buf_init(&r->hint, 1 << 16);
}

void cli_reply_release(struct cli_reply *r)
{
    json_decref(r->json);
    r->json = NULL;
    buf_release(&r->msg);
    buf_release(&r->hint);
}

void cli_on_reply(void *ctx, const struct api_result *res)
{
    struct cli_reply *r = ctx;
    int rc;

    r->status = res->status;
    if (res->status == API_OK) {
        r->json = json_incref(res->json);
        return;
    }
    rc = api_result_describe(res, &r->msg);
    if (!rc && res->hint)
        rc = buf_adds(&r->hint, res->hint);
    r->err = rc;
}

const char *cli_reply_message(const struct cli_reply *r, const char *fallback)
{
    if (r->err)
        return "out of memory";
    return r->msg.len ? r->msg.data : fallback;
}
