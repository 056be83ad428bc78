/* SPDX-License-Identifier: MIT */
/** @file ipxe-upload list: the account's servers and what they boot. */
#include "command.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "buf.h"
#include "cli.h"
#include "cli_out.h"
#include "http.h"
#include "sha.h"

/* The most servers 'list' reads: an account holds far fewer, and a list
 * longer than this is an endpoint that is not the API (or one that lies). */
#define CMD_LIST_MAX_SERVERS 100000

const char cmd_list_usage[] =
    "Usage: ipxe-upload list [--json]\n"
    "List the account's servers: datacenter, boot mode, and what they boot\n"
    "(a script, the disk, rescue, or another netboot).\n";

/* The names of the list that are not server names: the first few are
 * named in the warning. */
#define DROPPED_SHOWN 5

/* Name @p v, the @p nth name of the list that is not a server's, in @p b
 * (the first DROPPED_SHOWN only): as JSON, ASCII, cut at 80 bytes, and
 * escaped for one line.  @ret rc 0 or a negative errno */
static int note_dropped(struct buf *b, size_t nth, json_t *v)
{
    char *text;
    int rc;

    if (nth >= DROPPED_SHOWN)
        return 0;
    text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII);
    if (!text)
        return -ENOMEM;
    if (strlen(text) > 80)
        memcpy(text + 77, "...", 4);
    rc = b->len ? buf_adds(b, ", ") : 0;
    if (!rc)
        rc = cli_out_field(b, text);
    free(text);
    return rc;
}

/* list: the account's servers, then each one's details. */
int cmd_list(struct cli *c)
{
    struct cli_reply l;
    struct fleet_target *t = NULL;
    size_t n = 0, i, width = 6, ndropped = 0;
    json_t *v, *arr = NULL;
    struct buf label, dropped, dc, boots;
    int rc, err;

    if (c->o.nargs)
        return cli_usage_error("%s", "list takes no arguments");
    cli_reply_init(&l);
    buf_init(&label, 1024);
    buf_init(&dropped, 1 << 12);
    buf_init(&dc, 1 << 16);
    buf_init(&boots, 1 << 16);
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
    if (json_array_size(l.json) > CMD_LIST_MAX_SERVERS) {
        cli_out_error("the API lists %zu servers, more than the %d 'list' "
                      "reads: refused",
                      json_array_size(l.json), CMD_LIST_MAX_SERVERS);
        cli_out_hint("an account does not hold that many servers; check the "
                     "endpoint (--endpoint, OVH_ENDPOINT) and what answers "
                     "on it");
        rc = UPLOAD_EXIT_FAILED;
        goto out;
    }
    t = calloc(json_array_size(l.json) + 1, sizeof(*t));
    if (!t) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    json_array_foreach(l.json, i, v) {
        if (!json_is_string(v) || !fleet_valid_server(json_string_value(v))) {
            err = note_dropped(&dropped, ndropped, v);
            if (err) {
                cli_out_error("out of memory");
                rc = UPLOAD_EXIT_USAGE;
                goto out;
            }
            ndropped++;
            continue;
        }
        if (fleet_target_init(&t[n++], json_string_value(v))) {
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
    }
    if (ndropped)
        cli_out_warn("the API listed %zu name%s that %s not a server name, "
                     "skipped: %s%s",
                     ndropped, ndropped == 1 ? "" : "s",
                     ndropped == 1 ? "is" : "are", dropped.data,
                     ndropped > DROPPED_SHOWN ? ", ..." : "");
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
            /* ASCII only: what the API said reaches the terminal as
             * \u escapes, and the JSON stays valid. */
            char *text = json_dumps(arr, JSON_INDENT(2) | JSON_ENSURE_ASCII);
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
        /* What the API said, escaped: one row per server, whatever it
         * holds. */
        buf_truncate(&dc, 0);
        buf_truncate(&boots, 0);
        err = cli_out_field(&dc, t[i].datacenter ? t[i].datacenter : "?");
        if (!err)
            err = cli_out_field(&boots, label.data);
        if (err) {
            cli_out_error("cannot describe the boot of '%s': %s", t[i].server,
                          strerror(-err));
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
        cli_out_dataf("%-*s  %-10s  %-11s  %s\n", (int)width, t[i].server,
                      dc.data, boot_mode_name(t[i].mode), boots.data);
    }
out:
    json_decref(arr);
    cli_reply_release(&l);
    buf_release(&label);
    buf_release(&dropped);
    buf_release(&dc);
    buf_release(&boots);
    if (t)
        cli_free_targets(t, n);
    return rc;
}
