/* SPDX-License-Identifier: MIT */
/** @file ipxe-upload list: the account's servers and what they boot. */
#include "command.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "buf.h"
#include "cli.h"
#include "cli_out.h"
#include "http.h"
#include "sha.h"

const char cmd_list_usage[] =
    "Usage: ipxe-upload list [--json]\n"
    "List the account's servers: datacenter, boot mode, and what they boot\n"
    "(a script, the disk, rescue, or another netboot).\n";

/* list: the account's servers, then each one's details. */
int cmd_list(struct cli *c)
{
    struct cli_reply l;
    struct fleet_target *t = NULL;
    size_t n = 0, i, width = 6;
    json_t *v, *arr = NULL;
    struct buf label;
    int rc, err;

    if (c->o.nargs)
        return cli_usage_error("%s", "list takes no arguments");
    cli_reply_init(&l);
    buf_init(&label, 1024);
    if (api_call(c->api, "GET", "/dedicated/server", NULL, 0, cli_on_reply,
                 &l) ||
        http_run(c->http)) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (l.status != API_OK || !json_is_array(l.json)) {
        cli_out_error("cannot list the servers: %s",
                      cli_reply_message(&l, "the answer is not a list"));
        cli_out_hint(l.hint.data);
        rc = UPLOAD_EXIT_FAILED;
        goto out;
    }
    t = calloc(json_array_size(l.json) + 1, sizeof(*t));
    if (!t) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    json_array_foreach(l.json, i, v) {
        if (!json_is_string(v) || !fleet_valid_server(json_string_value(v)))
            continue;
        if (fleet_target_init(&t[n++], json_string_value(v))) {
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
    }
    rc = cli_run_fleet(c, t, n);

    if (c->o.json) {
        arr = json_array();
        for (i = 0; i < n; i++) {
            const struct fleet_target *s = &t[i];
            const char *kind = s->outcome != FLEET_DONE ? "error"
                               : s->before.script       ? "script"
                               : !s->boot_type          ? "unknown"
                               : strcmp(s->boot_type, "harddisk") == 0 ? "disk"
                               : strcmp(s->boot_type, "rescue") == 0 ? "rescue"
                                                                     : "other";
            json_t *o = json_pack(
                "{s:s, s:s?, s:s, s:s, s:o, s:s?}", "server", s->server,
                "datacenter", s->datacenter, "bootMode",
                boot_mode_name(s->mode), "boot", kind, "bootId",
                s->before.boot_id >= 0 ? json_integer(s->before.boot_id)
                                       : json_null(),
                "kernel", s->boot_kernel);
            if (o && s->before.script) {
                char hex[2 * SHA256_LEN + 1];
                sha256_hex(s->before.script, s->before.script_len, hex);
                json_object_set_new(o, "bootScriptSha256", json_string(hex));
            }
            json_array_append_new(arr, o);
        }
        {
            char *text = json_dumps(arr, JSON_INDENT(2));
            if (text) {
                cli_out_dataf("%s\n", text);
                free(text);
            }
        }
        goto out;
    }
    for (i = 0; i < n; i++)
        if (strlen(t[i].server) > width)
            width = strlen(t[i].server);
    cli_out_dataf("%-*s  %-10s  %-11s  %s\n", (int)width, "SERVER",
                  "DATACENTER", "BOOTMODE", "BOOTS");
    for (i = 0; i < n; i++) {
        buf_truncate(&label, 0);
        if (t[i].outcome == FLEET_DONE)
            err = cli_boot_label(&t[i], &label);
        else
            err = buf_adds(&label, "(error)");
        if (err) {
            cli_out_error("cannot describe the boot of '%s': %s", t[i].server,
                          strerror(-err));
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
        cli_out_dataf("%-*s  %-10s  %-11s  %s\n", (int)width, t[i].server,
                      t[i].datacenter ? t[i].datacenter : "?",
                      boot_mode_name(t[i].mode), label.data);
    }
out:
    json_decref(arr);
    cli_reply_release(&l);
    buf_release(&label);
    if (t)
        cli_free_targets(t, n);
    return rc;
}
