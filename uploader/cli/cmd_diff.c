/* SPDX-License-Identifier: MIT */
/** @file ipxe-upload diff: what push would change, as unified diffs. */
#include "command.h"

#include <stdlib.h>

#include "buf.h"
#include "cli_out.h"

const char cmd_diff_usage[] =
    "Usage: ipxe-upload diff [OPTIONS] FILE...\n"
    "       ipxe-upload diff [OPTIONS] --template T --inventory I\n"
    "Lint each script as push would (or render it, as push --template\n"
    "would), and print a unified diff of the server's current script\n"
    "against it.  Nothing is written.  --host and --set as for push.\n";

/* Lint (or render) each script and print its diff; nothing is written. */
int cmd_diff(struct cli *c)
{
    struct fleet_target *t;
    size_t n, i;
    int rc;

    rc = cli_make_targets(c, true, &t, &n);
    if (rc != CLI_GO_ON)
        return rc;
    rc = cli_run_fleet(c, t, n);
    for (i = 0; i < n; i++) {
        if (t[i].diff.len)
            cli_out_data(t[i].diff.data, t[i].diff.len);
        else if (t[i].outcome == FLEET_UNCHANGED)
            cli_out_note("%s: identical", t[i].server);
    }
    cli_free_targets(t, n);
    return rc;
}
