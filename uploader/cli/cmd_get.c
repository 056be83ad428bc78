/* SPDX-License-Identifier: MIT */
/** @file ipxe-upload get: print a server's script, or say what it boots. */
#include "command.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "cli_out.h"

const char cmd_get_usage[] =
    "Usage: ipxe-upload get [OPTIONS] SERVER\n"
    "Print SERVER's iPXE script on stdout, byte for byte (on a terminal,\n"
    "its control characters escaped).  If it boots something else (the\n"
    "disk, rescue), say what on stderr.\n";

int cmd_get(struct cli *c)
{
    struct fleet_target *t;
    struct buf label;
    size_t n;
    int rc, err;

    if (c->o.nargs != 1)
        return cli_usage_error("%s", "get takes one SERVER");
    rc = cli_make_targets(c, false, &t, &n);
    if (rc != CLI_GO_ON)
        return rc;
    rc = cli_run_fleet(c, t, n);
    if (t->outcome == FLEET_DONE) {
        if (t->before.script) {
            cli_out_data(t->before.script, t->before.script_len);
        } else {
            buf_init(&label, 1024);
            err = cli_boot_label(t, &label);
            if (err) {
                cli_out_error("cannot describe the boot of '%s': %s", t->server,
                              strerror(-err));
                rc = UPLOAD_EXIT_USAGE;
            } else {
                cli_out_note("%s has no script: it boots %s (bootId %lld)",
                             t->server, label.data, t->before.boot_id);
            }
            buf_release(&label);
        }
    }
    cli_free_targets(t, n);
    return rc;
}
