/* SPDX-License-Identifier: MIT */
/** @file ipxe-upload rollback: restore the states the journal recorded. */
#include "command.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "cli_out.h"

const char cmd_rollback_usage[] =
    "Usage: ipxe-upload rollback [--journal FILE] [SERVER...]\n"
    "Restore the bootScript or bootId each server had before its last\n"
    "recorded change, byte for byte, and verify it.  Without SERVER, undo\n"
    "the most recent run recorded for this endpoint.\n";

/* rollback: the previous states recorded in the journal. */
int cmd_rollback(struct cli *c)
{
    struct buf path, err;
    const char *p, *ev, *ep, *server, *run, *last_run = NULL;
    json_t *recs = NULL, *rec, *prev, *asked = NULL, *picked = NULL;
    struct fleet_target *t = NULL;
    size_t i, k, n = 0, torn = 0;
    int rc;

    buf_init(&path, 4096);
    buf_init(&err, 4096);
    for (i = 0; i < c->o.nargs; i++)
        if (!fleet_valid_server(c->o.args[i]))
            return cli_usage_error("'%s' is not a server name", c->o.args[i]);
    p = cli_journal_path(c, &path);
    if (!p) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (journal_read(p, &recs, &torn, &err)) {
        cli_out_error("%s", err.data);
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (torn)
        cli_out_warn("the journal's last line is incomplete (a crash while "
                     "writing it); it is ignored");

    /* Without servers: every server of the latest run on this endpoint. */
    json_array_foreach(recs, k, rec) {
        ev = ep = run = NULL;
        json_unpack(rec, "{s?s, s?s, s?s}", "event", &ev, "endpoint", &ep,
                    "run", &run);
        if (ev && ep && run && strcmp(ev, "intent") == 0 &&
            strcmp(ep, c->ep.name) == 0)
            last_run = run;
    }
    t = calloc(c->o.nargs ? c->o.nargs : json_array_size(recs) + 1, sizeof(*t));
    /* The servers asked for and those picked so far, as sets by name: a
     * long journal is walked once, not once per server. */
    asked = json_object();
    picked = json_object();
    for (i = 0; asked && i < c->o.nargs; i++)
        if (json_object_set_new(asked, c->o.args[i], json_true()))
            break;
    if (!t || !asked || !picked || i < c->o.nargs) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    /* The newest intent per server names the state to go back to. */
    for (k = json_array_size(recs); k-- > 0;) {
        rec = json_array_get(recs, k);
        ev = ep = server = run = NULL;
        prev = NULL;
        json_unpack(rec, "{s?s, s?s, s?s, s?s, s?o}", "event", &ev, "endpoint",
                    &ep, "server", &server, "run", &run, "previous", &prev);
        if (!ev || !ep || !server || strcmp(ev, "intent") ||
            strcmp(ep, c->ep.name) || !fleet_valid_server(server))
            continue;
        if (c->o.nargs ? !json_object_get(asked, server)
                       : !(last_run && run && strcmp(run, last_run) == 0))
            continue;
        if (json_object_get(picked, server))
            continue;
        if (json_object_set_new(picked, server, json_true())) {
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
        if (fleet_target_init(&t[n], server) ||
            boot_state_from_json(&t[n].restore, prev)) {
            cli_out_error("%s: the journal record of '%s' is damaged", p,
                          server);
            n++;
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
        n++;
    }
    for (i = 0; i < c->o.nargs; i++) {
        if (!json_object_get(picked, c->o.args[i])) {
            cli_out_error("the journal '%s' has no change of '%s' on %s", p,
                          c->o.args[i], c->ep.name);
            rc = UPLOAD_EXIT_FAILED;
            goto out;
        }
    }
    if (!n) {
        cli_out_error("the journal '%s' records no change on %s", p,
                      c->ep.name);
        rc = UPLOAD_EXIT_FAILED;
        goto out;
    }
    rc = cli_open_journal(c);
    if (rc == CLI_GO_ON)
        rc = cli_run_fleet(c, t, n);
out:
    if (t)
        cli_free_targets(t, n);
    json_decref(asked);
    json_decref(picked);
    json_decref(recs);
    buf_release(&path);
    buf_release(&err);
    return rc;
}
