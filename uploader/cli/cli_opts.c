/* SPDX-License-Identifier: MIT */
/** @file The ipxe-upload options: the getopt table, the usage text, and
 *  the checks of what goes with what. */
#include "cli_opts.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "cli_out.h"

#ifndef IPXEKIT_VERSION
#define IPXEKIT_VERSION "0"
#endif

/* OVHcloud's fair use is about 60 requests a minute per consumer key
 * (spec §5): by default stay under it, with a burst of 10 so a single
 * server is quick, and at most 59 in any minute. */
#define DEFAULT_RATE  50.0
#define DEFAULT_BURST 10

/** ipxe-upload --help. */
static const char usage_main[] =
    "Usage: ipxe-upload COMMAND [OPTIONS] [ARGS]\n"
    "Push iPXE boot scripts to OVHcloud dedicated servers, safely.\n"
    "\n"
    "Commands:\n"
    "  list [--json]             the account's servers and what they boot\n"
    "  get SERVER                print a server's script (or what it boots)\n"
    "  diff FILE...              show what push would change; writes nothing\n"
    "  push FILE...              lint, write, verify (--reboot [--wait])\n"
    "  push --template T --inventory I [--host PATTERN] [--set K=V]\n"
    "                            render each server's script from its live\n"
    "                            facts (ovh.*), lint it, write, verify\n"
    "  disk SERVER...            boot from the hard disk again\n"
    "  rescue SERVER...          boot the rescue system\n"
    "  reboot SERVER...          hard reboot (asks first; --yes) [--wait]\n"
    "  rollback [SERVER...]      restore what the journal recorded\n"
    "  rollback --since RUN|TIME every change since then, over several runs\n"
    "  credential                request a consumer key for this tool\n"
    "\n"
    "FILE is SERVER.ipxe (the server is the file name) or SERVER=PATH.\n"
    "\n"
    "Options:\n"
    "  -e, --endpoint NAME|URL   ovh-eu, ovh-ca, ovh-us, kimsufi-eu,\n"
    "                            kimsufi-ca, soyoustart-eu, soyoustart-ca,\n"
    "                            or an https:// base URL\n"
    "  -c, --config FILE         read FILE after the ovh.conf files\n"
    "      --cacert FILE         trust this CA (TLS is always verified)\n"
    "      --journal FILE        the change journal (default\n"
    "                            $XDG_STATE_HOME/ipxekit/journal.jsonl)\n"
    "  -j, --jobs N              servers in flight at once (default 4)\n"
    "      --rate N/min|unlimited  API requests a minute (default 50)\n"
    "      --retries N           retries of a failed request (default 4)\n"
    "      --connect-timeout S   connection timeout (default 10)\n"
    "      --timeout S           per-request timeout (default 60)\n"
    "      --deadline S          per-server time limit (default 600)\n"
    "      --report FILE         write a JSON report per server\n"
    "      --log FILE            append one JSON line per request sent\n"
    "  -v, --verbose             show each request and lint warnings\n"
    "  -q, --quiet               only errors\n"
    "  -h, --help                this help; 'ipxe-upload COMMAND --help'\n"
    "      --version             print the version\n"
    "\n"
    "Credentials come from ./ovh.conf, ~/.ovh.conf, /etc/ovh.conf and the\n"
    "OVH_* variables, as python-ovh and go-ovh read them; never from the\n"
    "command line.  Exit status: 0 ok, 1 a server failed or was refused,\n"
    "2 usage, configuration or system error.  See ipxe-upload(1).\n";

/** Long-only options. */
enum {
    OPT_CACERT = 256,
    OPT_JOURNAL,
    OPT_RATE,
    OPT_RETRIES,
    OPT_CONNECT_TIMEOUT,
    OPT_TIMEOUT,
    OPT_DEADLINE,
    OPT_REPORT,
    OPT_LOG,
    OPT_REBOOT,
    OPT_WAIT,
    OPT_POLL,
    OPT_GRACE,
    OPT_WAIT_TIMEOUT,
    OPT_RESUME,
    OPT_JSON,
    OPT_KERNEL,
    OPT_REDIRECT,
    OPT_SAVE,
    OPT_VERSION,
    OPT_TEMPLATE,
    OPT_INVENTORY,
    OPT_HOST,
    OPT_SET,
    OPT_SINCE,
};

static const struct option options[] = {
    {"endpoint", required_argument, NULL, 'e'},
    {"config", required_argument, NULL, 'c'},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"journal", required_argument, NULL, OPT_JOURNAL},
    {"jobs", required_argument, NULL, 'j'},
    {"rate", required_argument, NULL, OPT_RATE},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"deadline", required_argument, NULL, OPT_DEADLINE},
    {"report", required_argument, NULL, OPT_REPORT},
    {"log", required_argument, NULL, OPT_LOG},
    {"reboot", no_argument, NULL, OPT_REBOOT},
    {"wait", no_argument, NULL, OPT_WAIT},
    {"poll-interval", required_argument, NULL, OPT_POLL},
    {"task-grace", required_argument, NULL, OPT_GRACE},
    {"wait-timeout", required_argument, NULL, OPT_WAIT_TIMEOUT},
    {"resume", no_argument, NULL, OPT_RESUME},
    {"json", no_argument, NULL, OPT_JSON},
    {"kernel", required_argument, NULL, OPT_KERNEL},
    {"redirect", required_argument, NULL, OPT_REDIRECT},
    {"save", required_argument, NULL, OPT_SAVE},
    {"yes", no_argument, NULL, 'y'},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"template", required_argument, NULL, OPT_TEMPLATE},
    {"inventory", required_argument, NULL, OPT_INVENTORY},
    {"host", required_argument, NULL, OPT_HOST},
    {"set", required_argument, NULL, OPT_SET},
    {"since", required_argument, NULL, OPT_SINCE},
    {NULL, 0, NULL, 0},
};

/* Option values ------------------------------------------------------- */

/* A decimal integer in [@p min, @p max]. */
static bool parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* Seconds, possibly fractional ("0.5"), into milliseconds. */
static bool parse_seconds(const char *s, long *ms)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end || v < 0 || v > 86400.0 * 7)
        return false;
    *ms = (long)(v * 1000.0 + 0.5);
    return true;
}

/* "N/min", "N/s" or "unlimited". */
static bool parse_rate(const char *s, double *per_min)
{
    char *end;
    double v;

    if (strcmp(s, "unlimited") == 0) {
        *per_min = 0;
        return true;
    }
    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || v <= 0 || v > 1e6)
        return false;
    if (strcmp(end, "/min") == 0 || strcmp(end, "") == 0)
        *per_min = v;
    else if (strcmp(end, "/s") == 0)
        *per_min = v * 60;
    else
        return false;
    return true;
}

/* The command named @p name in the table @p cmds, or NULL. */
static const struct cli_command *find_command(const struct cli_command *cmds,
                                              size_t ncmds, const char *name)
{
    size_t i;

    for (i = 0; i < ncmds; i++)
        if (strcmp(name, cmds[i].name) == 0)
            return &cmds[i];
    return NULL;
}

int cli_usage_error(const char *fmt, ...)
{
    struct buf msg;
    va_list ap;
    int rc;

    buf_init(&msg, 4096);
    va_start(ap, fmt);
    rc = buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    /* The message quotes the user's text: it may be too long to say. */
    cli_out_error("%s", rc ? "invalid usage (the message is too long to show)"
                           : msg.data);
    buf_release(&msg);
    fputs("Try 'ipxe-upload --help' for more information.\n", stderr);
    return UPLOAD_EXIT_USAGE;
}

int cli_opts_parse(int argc, char **argv, const struct cli_command *cmds,
                   size_t ncmds, struct upload_opts *o)
{
    int c, idx;
    long v;

    memset(o, 0, sizeof(*o));
    /* Room for every argument; cli_opts_release() frees them. */
    o->hosts = calloc((size_t)argc + 1, sizeof(*o->hosts));
    o->sets = calloc((size_t)argc + 1, sizeof(*o->sets));
    if (!o->hosts || !o->sets) {
        cli_out_error("out of memory");
        return UPLOAD_EXIT_USAGE;
    }
    o->connect_timeout_ms = 10000;
    o->timeout_ms = 60000;
    o->deadline_ms = 600000;
    o->poll_ms = 10000;
    o->task_grace_ms = 300000; /* spec §6: terraform tolerates 5 minutes */
    o->wait_timeout_ms = 3600000;
    o->jobs = 4;
    o->rate = DEFAULT_RATE;
    o->burst = DEFAULT_BURST;
    o->retries = 4;
    o->kernel = "rescue-customer";

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":e:c:j:yvqh", options, &idx)) != -1) {
        switch (c) {
        case 'e':
            o->endpoint = optarg;
            break;
        case 'c':
            o->config = optarg;
            break;
        case OPT_CACERT:
            o->cacert = optarg;
            break;
        case OPT_JOURNAL:
            o->journal = optarg;
            break;
        case 'j':
            if (!parse_long(optarg, 1, 1024, &v))
                return cli_usage_error("invalid -j '%s' (1 to 1024)", optarg);
            o->jobs = (size_t)v;
            break;
        case OPT_RATE:
            if (!parse_rate(optarg, &o->rate))
                return cli_usage_error("invalid --rate '%s' (N/min, N/s or "
                                       "unlimited)",
                                       optarg);
            o->burst = 1; /* an explicit rate is kept exactly */
            break;
        case OPT_RETRIES:
            if (!parse_long(optarg, 0, 100, &v))
                return cli_usage_error("invalid --retries '%s'", optarg);
            o->retries = (int)v;
            break;
        case OPT_CONNECT_TIMEOUT:
        case OPT_TIMEOUT:
        case OPT_DEADLINE:
        case OPT_POLL:
        case OPT_GRACE:
        case OPT_WAIT_TIMEOUT: {
            long *dst = c == OPT_CONNECT_TIMEOUT ? &o->connect_timeout_ms
                        : c == OPT_TIMEOUT       ? &o->timeout_ms
                        : c == OPT_DEADLINE      ? &o->deadline_ms
                        : c == OPT_POLL          ? &o->poll_ms
                        : c == OPT_GRACE         ? &o->task_grace_ms
                                                 : &o->wait_timeout_ms;
            if (!parse_seconds(optarg, dst) ||
                (*dst == 0 && c != OPT_GRACE && c != OPT_POLL))
                return cli_usage_error("invalid value '%s' for --%s", optarg,
                                       options[idx].name);
            break;
        }
        case OPT_REPORT:
            o->report = optarg;
            break;
        case OPT_LOG:
            o->log = optarg;
            break;
        case OPT_REBOOT:
            o->reboot = true;
            break;
        case OPT_WAIT:
            o->wait = true;
            break;
        case OPT_RESUME:
            o->resume = true;
            break;
        case OPT_JSON:
            o->json = true;
            break;
        case OPT_KERNEL:
            o->kernel = optarg;
            break;
        case OPT_REDIRECT:
            o->redirect = optarg;
            break;
        case OPT_SAVE:
            o->save = optarg;
            break;
        case 'y':
            o->yes = true;
            break;
        case 'v':
            o->verbose = true;
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'h':
            o->help = true;
            break;
        case OPT_VERSION:
            o->version = true;
            break;
        case OPT_TEMPLATE:
            o->template_path = optarg;
            break;
        case OPT_INVENTORY:
            o->inventory = optarg;
            break;
        case OPT_HOST:
            o->hosts[o->nhosts++] = optarg;
            break;
        case OPT_SET:
            if (!strchr(optarg, '=') || optarg[0] == '=')
                return cli_usage_error("invalid --set '%s' (KEY=VALUE)",
                                       optarg);
            o->sets[o->nsets++] = optarg;
            break;
        case OPT_SINCE:
            o->since = optarg;
            break;
        case ':':
            return cli_usage_error("option '%s' needs a value",
                                   argv[optind - 1]);
        default:
            return cli_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (o->version) {
        printf("ipxe-upload (ipxekit) %s\n", IPXEKIT_VERSION);
        return UPLOAD_EXIT_OK;
    }
    if (optind < argc) {
        o->cmd = find_command(cmds, ncmds, argv[optind]);
        if (!o->cmd && !o->help)
            return cli_usage_error("unknown command '%s'", argv[optind]);
        optind++;
    }
    if (o->help) {
        fputs(o->cmd ? o->cmd->usage : usage_main, stdout);
        return UPLOAD_EXIT_OK;
    }
    if (!o->cmd)
        return cli_usage_error("%s", "no command given");
    o->args = argv + optind;
    o->nargs = (size_t)(argc - optind);
    if (o->wait && !o->reboot && !(o->cmd->flags & CLI_CMD_REBOOTS))
        return cli_usage_error("%s", "--wait needs --reboot");
    if (o->reboot && !(o->cmd->flags & CLI_CMD_REBOOT_OPT))
        return cli_usage_error("%s", "--reboot goes with push, disk, rescue "
                                     "or rollback");
    if ((o->template_path || o->inventory || o->nhosts || o->nsets) &&
        !(o->cmd->flags & CLI_CMD_SCRIPTS))
        return cli_usage_error("%s",
                               "--template, --inventory, --host and --set "
                               "go with push or diff");
    if (o->since && !(o->cmd->flags & CLI_CMD_SINCE))
        return cli_usage_error("%s", "--since goes with rollback");
    if ((o->nhosts || o->nsets) && !o->template_path)
        return cli_usage_error("%s", "--host and --set need --template");
    if (!o->template_path != !o->inventory)
        return cli_usage_error("%s", "--template and --inventory go together");
    if (o->template_path && o->nargs)
        return cli_usage_error("%s", "give FILE arguments or --template, not "
                                     "both");
    return CLI_GO_ON;
}

void cli_opts_release(struct upload_opts *o)
{
    free(o->hosts);
    free(o->sets);
    o->hosts = NULL;
    o->sets = NULL;
}
