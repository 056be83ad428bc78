/* SPDX-License-Identifier: MIT */
/** @file The ipxe-upload command line's top: the command table and the
 *  dispatch.  It sits over the commands (cmd_*.c), which use only the
 *  plumbing below them; the options are handed the table as data. */
#include "cli_run.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_opts.h"
#include "cli_out.h"
#include "command.h"
#include "http.h"

/** The commands: each one's handler, --help text, engine operation, and
 *  what it needs and takes. */
static const struct cli_command commands[] = {
    {"list", cmd_list, cmd_list_usage, FLEET_INFO, 0},
    {"get", cmd_get, cmd_get_usage, FLEET_GET, 0},
    {"diff", cmd_diff, cmd_diff_usage, FLEET_DIFF, CLI_CMD_SCRIPTS},
    {"push", cmd_change, cmd_push_usage, FLEET_PUSH,
     CLI_CMD_SCRIPTS | CLI_CMD_REBOOT_OPT | CLI_CMD_JOURNAL | CLI_CMD_RESUME |
         CLI_CMD_SUMMARY},
    {"disk", cmd_change, cmd_disk_usage, FLEET_DISK,
     CLI_CMD_REBOOT_OPT | CLI_CMD_JOURNAL | CLI_CMD_SUMMARY},
    {"rescue", cmd_change, cmd_rescue_usage, FLEET_RESCUE,
     CLI_CMD_REBOOT_OPT | CLI_CMD_JOURNAL | CLI_CMD_SUMMARY},
    {"reboot", cmd_change, cmd_reboot_usage, FLEET_REBOOT,
     CLI_CMD_REBOOTS | CLI_CMD_SUMMARY},
    {"rollback", cmd_rollback, cmd_rollback_usage, FLEET_ROLLBACK,
     CLI_CMD_REBOOT_OPT | CLI_CMD_JOURNAL | CLI_CMD_SUMMARY | CLI_CMD_SINCE},
    {"credential", cmd_credential, cmd_credential_usage, FLEET_GET,
     CLI_CMD_NO_CK},
};

int cli_run(int argc, char **argv)
{
    struct cli c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.journal.fd = -1;
    c.started = http_now_ms();
    rc = cli_opts_parse(argc, argv, commands,
                        sizeof(commands) / sizeof(commands[0]), &c.o);
    if (rc != CLI_GO_ON) {
        cli_opts_release(&c.o);
        return rc;
    }
    cli_out_setup(c.o.quiet, c.o.verbose, isatty(STDERR_FILENO) != 0);
    rc = cli_setup(&c);
    if (rc == CLI_GO_ON)
        rc = c.o.cmd->run(&c);
    cli_release(&c);
    cli_opts_release(&c.o);
    fflush(stdout);
    return rc;
}
