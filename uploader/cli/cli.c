/* SPDX-License-Identifier: MIT */
/** @file The ipxe-upload command line: options, commands, exit codes. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "api.h"
#include "buf.h"
#include "cli_out.h"
#include "endpoint.h"
#include "fleet.h"
#include "fleetsrc.h"
#include "http.h"
#include "journal.h"
#include "ovh_config.h"
#include "readfile.h"
#include "sha.h"

#ifndef IPXEKIT_VERSION
#define IPXEKIT_VERSION "0"
#endif

/* The largest script read from a file.  The API documents no limit
 * (spec §6); this keeps a mistaken argument (an ISO image) from being
 * sent. */
#define SCRIPT_MAX (1u << 20)
/* OVHcloud's fair use is about 60 requests a minute per consumer key
 * (spec §5): by default stay under it, with a burst of 10 so a single
 * server is quick, and at most 59 in any minute. */
#define DEFAULT_RATE  50.0
#define DEFAULT_BURST 10

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

static const char usage_push[] =
    "Usage: ipxe-upload push [OPTIONS] FILE...\n"
    "       ipxe-upload push [OPTIONS] --template T --inventory I\n"
    "Write each FILE as its server's iPXE script (bootScript), or render\n"
    "one per inventory host from template T with the server's live facts.\n"
    "\n"
    "FILE is SERVER.ipxe or SERVER=PATH.  For each server, in parallel:\n"
    "  1. lint the script for the server's boot mode; refuse it on errors;\n"
    "  2. read the current script; stop if it is already identical;\n"
    "  3. record the current script and bootId in the journal (fsync'd);\n"
    "  4. write the new script, read it back and compare byte for byte;\n"
    "  5. with --reboot, hard reboot; with --wait, wait for the task.\n"
    "A server that fails keeps its previous script; the command can be run\n"
    "again and only finishes what is not done.  Servers whose script is\n"
    "already identical are not rebooted.\n"
    "\n"
    "With --template, step 1 is: read the server and its boot mode, render\n"
    "T for it (the inventory's variables, and ovh.* from the API: ovh.name,\n"
    "ovh.datacenter, ovh.ip, ovh.os, ovh.rack, ovh.bootMode, ovh.hardware,\n"
    "...), refuse it if a value would change the script's structure or it\n"
    "has lint errors.\n"
    "\n"
    "Options:\n"
    "      --template FILE       render the scripts from this template\n"
    "      --inventory FILE      ... for the hosts of this inventory\n"
    "      --host PATTERN        only hosts matching (a name or a glob;\n"
    "                            repeat for more)\n"
    "      --set KEY=VALUE       override a variable for every host\n"
    "                            (KEY:=JSON for a JSON value)\n"
    "      --reboot              reboot each updated server\n"
    "      --wait                wait for each reboot task to finish\n"
    "      --poll-interval S     task polling interval (default 10)\n"
    "      --wait-timeout S      give up waiting after S (default 3600)\n"
    "      --resume              skip servers the journal shows verified with\n"
    "                            this same script (or template, inventory\n"
    "                            and --set)\n"
    "  -j, --jobs N              servers in flight at once (default 4)\n"
    "      --rate N/min|unlimited  API requests a minute (default 50)\n"
    "      --report FILE         write a JSON report per server\n"
    "      --journal FILE        the change journal\n"
    "Common options (--endpoint, --cacert, ...): 'ipxe-upload --help'.\n";

static const char usage_get[] =
    "Usage: ipxe-upload get [OPTIONS] SERVER\n"
    "Print SERVER's iPXE script on stdout, byte for byte.  If it boots\n"
    "something else (the disk, rescue), say what on stderr.\n";

static const char usage_list[] =
    "Usage: ipxe-upload list [--json]\n"
    "List the account's servers: datacenter, boot mode, and what they boot\n"
    "(a script, the disk, rescue, or another netboot).\n";

static const char usage_diff[] =
    "Usage: ipxe-upload diff [OPTIONS] FILE...\n"
    "       ipxe-upload diff [OPTIONS] --template T --inventory I\n"
    "Lint each script as push would (or render it, as push --template\n"
    "would), and print a unified diff of the server's current script\n"
    "against it.  Nothing is written.  --host and --set as for push.\n";

static const char usage_disk[] =
    "Usage: ipxe-upload disk [OPTIONS] SERVER...\n"
    "Make each server boot from its hard disk: find the harddisk netboot\n"
    "(never assuming its id), journal the current state, set bootId, and\n"
    "verify that bootId is set and no script is left.  --reboot [--wait]\n"
    "reboot afterwards.\n";

static const char usage_rescue[] =
    "Usage: ipxe-upload rescue [OPTIONS] SERVER...\n"
    "Make each server boot the rescue system (the rescue netboot whose\n"
    "kernel is --kernel NAME, default rescue-customer), journalled and\n"
    "verified like disk.  --reboot [--wait] reboot afterwards.\n";

static const char usage_reboot[] =
    "Usage: ipxe-upload reboot [OPTIONS] SERVER...\n"
    "Hard reboot each server (it interrupts whatever runs there).  On a\n"
    "terminal, asks first unless --yes; elsewhere --yes is required.\n"
    "--wait follows each reboot task until it is done.\n";

static const char usage_rollback[] =
    "Usage: ipxe-upload rollback [--journal FILE] [SERVER...]\n"
    "Restore the bootScript or bootId each server had before its last\n"
    "recorded change, byte for byte, and verify it.  Without SERVER, undo\n"
    "the most recent run recorded for this endpoint.\n";

static const char usage_credential[] =
    "Usage: ipxe-upload credential [--redirect URL] [--save FILE]\n"
    "Request a consumer key for the configured application key, limited to\n"
    "what ipxe-upload needs, and print the URL where you validate it.\n"
    "--save FILE stores the key in FILE's endpoint section (mode 0600)\n"
    "instead of printing it.\n";

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
    {NULL, 0, NULL, 0},
};

static const struct {
    const char *name;
    enum upload_cmd cmd;
    const char *usage;
} commands[] = {
    {"list", CMD_LIST, usage_list},
    {"get", CMD_GET, usage_get},
    {"diff", CMD_DIFF, usage_diff},
    {"push", CMD_PUSH, usage_push},
    {"disk", CMD_DISK, usage_disk},
    {"rescue", CMD_RESCUE, usage_rescue},
    {"reboot", CMD_REBOOT, usage_reboot},
    {"rollback", CMD_ROLLBACK, usage_rollback},
    {"credential", CMD_CREDENTIAL, usage_credential},
};

/** Everything one run holds. */
struct cli {
    struct upload_opts o;       /**< options */
    struct ovh_config cfg;          /**< credentials (secrets inside) */
    struct endpoint ep;         /**< endpoint */
    struct http_client *http;   /**< transport */
    struct api *api;            /**< API client */
    struct journal journal;     /**< change journal, fd -1 until opened */
    FILE *log;                  /**< --log file, or NULL */
    struct fleetsrc *src;       /**< --template + --inventory, or NULL */
    int64_t started;            /**< http_now_ms() at start */
};

/* Option values ------------------------------------------------------- */

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

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    struct buf msg;
    va_list ap;

    buf_init(&msg, 4096);
    va_start(ap, fmt);
    buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    out_error("%s", msg.data);
    buf_release(&msg);
    fputs("Try 'ipxe-upload --help' for more information.\n", stderr);
    return UPLOAD_EXIT_USAGE;
}

/* Parse argv into @p o; returns -1 to go on, else the exit code. */
static int parse_opts(int argc, char **argv, struct upload_opts *o)
{
    int c, idx;
    long v;
    size_t i;

    memset(o, 0, sizeof(*o));
    /* Room for every argument; cli_run() frees them. */
    o->hosts = calloc((size_t)argc + 1, sizeof(*o->hosts));
    o->sets = calloc((size_t)argc + 1, sizeof(*o->sets));
    if (!o->hosts || !o->sets) {
        out_error("out of memory");
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
                return usage_error("invalid -j '%s' (1 to 1024)", optarg);
            o->jobs = (size_t)v;
            break;
        case OPT_RATE:
            if (!parse_rate(optarg, &o->rate))
                return usage_error("invalid --rate '%s' (N/min, N/s or "
                                   "unlimited)", optarg);
            o->burst = 1; /* an explicit rate is kept exactly */
            break;
        case OPT_RETRIES:
            if (!parse_long(optarg, 0, 100, &v))
                return usage_error("invalid --retries '%s'", optarg);
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
                return usage_error("invalid value '%s' for --%s", optarg,
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
                return usage_error("invalid --set '%s' (KEY=VALUE)", optarg);
            o->sets[o->nsets++] = optarg;
            break;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (o->version) {
        printf("ipxe-upload (ipxekit) %s\n", IPXEKIT_VERSION);
        return UPLOAD_EXIT_OK;
    }
    if (optind < argc) {
        for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
            if (strcmp(argv[optind], commands[i].name) == 0)
                o->cmd = commands[i].cmd;
        if (o->cmd == CMD_NONE && !o->help)
            return usage_error("unknown command '%s'", argv[optind]);
        optind++;
    }
    if (o->help) {
        for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
            if (commands[i].cmd == o->cmd) {
                fputs(commands[i].usage, stdout);
                return UPLOAD_EXIT_OK;
            }
        fputs(usage_main, stdout);
        return UPLOAD_EXIT_OK;
    }
    if (o->cmd == CMD_NONE)
        return usage_error("%s", "no command given");
    o->args = argv + optind;
    o->nargs = (size_t)(argc - optind);
    if (o->wait && !o->reboot && o->cmd != CMD_REBOOT)
        return usage_error("%s", "--wait needs --reboot");
    if (o->reboot && o->cmd != CMD_PUSH && o->cmd != CMD_DISK &&
        o->cmd != CMD_RESCUE && o->cmd != CMD_ROLLBACK)
        return usage_error("%s", "--reboot goes with push, disk, rescue "
                                 "or rollback");
    if ((o->template_path || o->inventory || o->nhosts || o->nsets) &&
        o->cmd != CMD_PUSH && o->cmd != CMD_DIFF)
        return usage_error("%s", "--template, --inventory, --host and --set "
                                 "go with push or diff");
    if ((o->nhosts || o->nsets) && !o->template_path)
        return usage_error("%s", "--host and --set need --template");
    if (!o->template_path != !o->inventory)
        return usage_error("%s", "--template and --inventory go together");
    if (o->template_path && o->nargs)
        return usage_error("%s", "give FILE arguments or --template, not "
                                 "both");
    return -1;
}

/* Setup ----------------------------------------------------------------- */

/* One line of the --log file or -v output: never a header or a body. */
static void log_request(void *ctx, const struct api_log_entry *e)
{
    struct cli *c = ctx;
    json_t *rec;
    char *line;

    out_verbose("%s %s -> %ld%s%s%s%s (%ld ms, try %d)", e->method, e->url,
                e->status, e->error ? " " : "", e->error ? e->error : "",
                e->query_id ? " " : "", e->query_id ? e->query_id : "",
                e->elapsed_ms, e->attempt);
    if (!c->log)
        return;
    rec = json_pack("{s:s, s:s, s:i, s:s?, s:s?, s:i, s:i}", "method",
                    e->method, "url", e->url, "status", (int)e->status,
                    "queryId", e->query_id, "error", e->error, "attempt",
                    e->attempt, "ms", (int)e->elapsed_ms);
    line = rec ? json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (line) {
        fprintf(c->log, "%s\n", line);
        fflush(c->log);
    }
    free(line);
    json_decref(rec);
}

static int cli_setup(struct cli *c)
{
    struct ovh_config_paths paths;
    struct http_opts ho = {0};
    struct api_opts ao = {0};
    struct buf home, err;
    int rc;

    buf_init(&home, 4096);
    buf_init(&err, 4096);
    ovh_config_default_paths(&paths, &home, c->o.config);
    rc = ovh_config_load(&c->cfg, &paths, c->o.endpoint, &err);
    buf_release(&home);
    if (!rc)
        rc = endpoint_resolve(&c->ep, c->cfg.endpoint, &err);
    if (rc)
        out_error("%s", rc == -ENOMEM ? "out of memory" : err.data);
    buf_release(&err);
    if (rc)
        return UPLOAD_EXIT_USAGE;
    if (c->cfg.auth == OVH_CONFIG_AUTH_OAUTH2 && !c->ep.token_url) {
        out_error("endpoint '%s' does not support OAuth2 client credentials",
                  c->ep.name);
        out_hint("use application_key, application_secret and consumer_key "
                 "there");
        return UPLOAD_EXIT_USAGE;
    }
    if (c->cfg.auth == OVH_CONFIG_AUTH_NONE ||
        (c->cfg.auth == OVH_CONFIG_AUTH_KEYS && !c->cfg.consumer_key &&
         c->o.cmd != CMD_CREDENTIAL)) {
        out_error("no %s configured for endpoint '%s'",
                  c->cfg.auth == OVH_CONFIG_AUTH_NONE ? "credentials"
                                                  : "consumer_key",
                  c->ep.name);
        out_hint("put application_key, application_secret and consumer_key "
                 "(or client_id and client_secret) in the [endpoint] section "
                 "of ./ovh.conf or ~/.ovh.conf, or set OVH_* variables; "
                 "'ipxe-upload credential' requests a consumer key");
        return UPLOAD_EXIT_USAGE;
    }
    if (c->o.cacert && access(c->o.cacert, R_OK)) {
        out_error("cannot read the CA file '%s': %s", c->o.cacert,
                  strerror(errno));
        return UPLOAD_EXIT_USAGE;
    }
    if (c->o.log) {
        c->log = fopen(c->o.log, "a");
        if (!c->log) {
            out_error("cannot open the log '%s': %s", c->o.log,
                      strerror(errno));
            return UPLOAD_EXIT_USAGE;
        }
    }

    ho.cacert = c->o.cacert;
    ho.connect_timeout_ms = c->o.connect_timeout_ms;
    ho.timeout_ms = c->o.timeout_ms;
    ho.max_connections = (long)c->o.jobs;
    ho.user_agent = "ipxekit-upload/" IPXEKIT_VERSION;
    if (http_client_new(&ho, &c->http)) {
        out_error("cannot set up libcurl");
        return UPLOAD_EXIT_USAGE;
    }
    ao.rate_per_min = c->o.rate;
    ao.burst = c->o.burst;
    ao.retries = c->o.retries;
    ao.backoff_base_ms = 500;
    ao.backoff_max_ms = 30000;
    ao.call_deadline_ms = c->o.deadline_ms;
    ao.log = log_request;
    ao.log_ctx = c;
    if (api_new(&c->cfg, &c->ep, c->http, &ao, &c->api)) {
        out_error("out of memory");
        return UPLOAD_EXIT_USAGE;
    }
    return -1;
}

static void cli_release(struct cli *c)
{
    fleetsrc_free(c->src);
    api_free(c->api);
    http_client_free(c->http);
    if (c->journal.fd >= 0)
        journal_close(&c->journal);
    if (c->log)
        fclose(c->log);
    endpoint_release(&c->ep);
    ovh_config_release(&c->cfg);
}

static const char *journal_path(struct cli *c, struct buf *b)
{
    int rc;

    if (c->o.journal)
        return c->o.journal;
    rc = journal_default_path(b);
    if (rc) {
        out_error("cannot place the journal: neither XDG_STATE_HOME nor "
                  "HOME is set");
        out_hint("give one with --journal FILE");
        return NULL;
    }
    return b->data;
}

static int open_journal(struct cli *c)
{
    struct buf path, err;
    const char *p;
    int rc;

    buf_init(&path, 4096);
    buf_init(&err, 4096);
    p = journal_path(c, &path);
    rc = p ? journal_open(&c->journal, p, &err) : -ENOENT;
    if (rc && p)
        out_error("%s", err.data);
    if (!rc)
        out_verbose("journal: %s (run %s)", p, c->journal.run);
    if (!rc && c->journal.torn)
        out_warn("the journal's last line was cut short by a crash (%zu "
                 "bytes, never durable, so never acted on): removed",
                 c->journal.torn);
    buf_release(&path);
    buf_release(&err);
    return rc ? UPLOAD_EXIT_USAGE : -1;
}

/* Targets --------------------------------------------------------------- */

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
            out_error("cannot tell the server of '%s'", arg);
            out_hint("name the file SERVER.ipxe, or write SERVER=PATH");
            return UPLOAD_EXIT_USAGE;
        }
        server = strndup(base, len - 5);
    }
    if (!server)
        return UPLOAD_EXIT_USAGE;
    if (!fleet_valid_server(server)) {
        out_error("'%s' is not a server name", server);
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
        out_error("'%s' is larger than %u bytes; is it really a script?",
                  path, SCRIPT_MAX);
        return UPLOAD_EXIT_USAGE;
    }
    if (rc) {
        out_error("cannot read '%s': %s", path, strerror(-rc));
        return UPLOAD_EXIT_USAGE;
    }
    return -1;
}

static void free_targets(struct fleet_target *t, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        fleet_target_release(&t[i]);
    free(t);
}

/* push/diff --template: one target per selected inventory host. */
static int template_targets(struct cli *c, struct fleet_target **out,
                            size_t *n)
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
            out_error("out of memory");
        else
            fprintf(stderr, "%s%s", err.data,
                    err.len && err.data[err.len - 1] == '\n' ? "" : "\n");
        if (rc == -ENOTSUP)
            out_hint("render the scripts with 'ipxe-render -o DIR' and push "
                     "DIR/*.ipxe instead");
        buf_release(&err);
        return UPLOAD_EXIT_USAGE;
    }
    count = fleetsrc_count(c->src);
    t = calloc(count + 1, sizeof(*t));
    selected = calloc(count + 1, sizeof(*selected));
    rc = t && selected ? fleetsrc_select(c->src, c->o.hosts, c->o.nhosts,
                                         selected, &err)
                       : -ENOMEM;
    if (rc) {
        out_error("%s", rc < 0 ? "out of memory" : err.data);
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
            out_error("%s: host '%s' is not a server name", c->o.inventory,
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
        out_error("the inventory '%s' has no host", c->o.inventory);
        rc = UPLOAD_EXIT_USAGE;
    }
    if (rc) {
        free_targets(t, k);
        return rc;
    }
    *out = t;
    *n = k;
    return -1;
}

/* Targets from the positional arguments (files or server names), or from
 * the inventory with --template. */
static int make_targets(struct cli *c, bool files, struct fleet_target **out,
                        size_t *n)
{
    struct fleet_target *t;
    json_t *seen;
    size_t i;
    int rc = -1;

    *out = NULL;
    *n = 0;
    if (files && c->o.template_path)
        return template_targets(c, out, n);
    if (!c->o.nargs)
        return usage_error("%s", files ? "no FILE given"
                                       : "no SERVER given");
    t = calloc(c->o.nargs, sizeof(*t));
    /* The servers so far, as a set: no quadratic scan for twins. */
    seen = json_object();
    if (!t || !seen) {
        free(t);
        json_decref(seen);
        return UPLOAD_EXIT_USAGE;
    }
    for (i = 0; i < c->o.nargs && rc < 0; i++) {
        if (files) {
            rc = file_target(c->o.args[i], &t[i]);
        } else if (!fleet_valid_server(c->o.args[i])) {
            out_error("'%s' is not a server name", c->o.args[i]);
            rc = UPLOAD_EXIT_USAGE;
        } else if (fleet_target_init(&t[i], c->o.args[i])) {
            rc = UPLOAD_EXIT_USAGE;
        }
        if (rc >= 0 || !t[i].server)
            continue;
        if (json_object_get(seen, t[i].server)) {
            out_error("server '%s' is given twice", t[i].server);
            rc = UPLOAD_EXIT_USAGE;
        } else if (json_object_set_new(seen, t[i].server, json_true())) {
            rc = UPLOAD_EXIT_USAGE;
        }
    }
    json_decref(seen);
    if (rc >= 0) {
        free_targets(t, c->o.nargs);
        return rc;
    }
    *out = t;
    *n = c->o.nargs;
    return -1;
}

/* Running the engine --------------------------------------------------- */

static void on_target_done(void *ctx, const struct fleet_target *t,
                           const struct fleet_progress *p)
{
    (void)ctx;
    out_target_done(t, p);
}

static json_t *target_report(const struct fleet_target *t)
{
    json_t *o = json_pack("{s:s, s:s, s:i, s:I, s:O}", "server", t->server,
                          "result", fleet_outcome_name(t->outcome),
                          "requests", t->requests, "elapsedMs",
                          (json_int_t)t->elapsed_ms, "queryIds",
                          t->query_ids);

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
            json_object_set_new(o, "taskStatus",
                                json_string(t->task_status));
    }
    return o;
}

/* Write --report FILE atomically: temp file, fsync, rename. */
static int write_report(struct cli *c, const char *command,
                        const struct fleet_target *t, size_t n)
{
    json_t *root, *arr;
    struct buf tmp;
    size_t i;
    int fd, rc = 0;
    char *text;

    arr = json_array();
    root = json_pack("{s:s, s:s, s:o}", "command", command, "endpoint",
                     c->ep.name, "servers", arr);
    if (!root)
        return -ENOMEM;
    for (i = 0; i < n; i++)
        json_array_append_new(arr, target_report(&t[i]));
    text = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    json_decref(root);
    if (!text)
        return -ENOMEM;
    buf_init(&tmp, 4096);
    buf_addf(&tmp, "%s.tmp.%ld", c->o.report, (long)getpid());
    fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = -errno;
    } else {
        size_t len = strlen(text);
        if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
            fsync(fd))
            rc = -errno;
        close(fd);
        if (!rc && rename(tmp.data, c->o.report))
            rc = -errno;
        if (rc)
            unlink(tmp.data);
    }
    if (rc)
        out_error("cannot write the report '%s': %s", c->o.report,
                  strerror(-rc));
    buf_release(&tmp);
    free(text);
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
        buf_addf(&t->reason, "the template cannot be rendered safely for "
                             "it%.*s",
                 code ? 10 : 0, code ? code : "");
    else
        buf_addf(&t->reason, "the rendered script has %zu lint error%s for "
                             "boot mode %s", t->lint_errors,
                 t->lint_errors == 1 ? "" : "s", boot_mode_name(t->mode));
    buf_adds(&t->hint, "fix the template or the inventory; 'ipxe-render' "
                       "shows the same findings for this host");
    return 1;
}

/* Run @p op over @p t and report; the exit code. */
static int run_fleet(struct cli *c, enum fleet_op op, const char *command,
                     struct fleet_target *t, size_t n, bool summary)
{
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
        out_error("the transfer engine failed (out of memory?)");
        return UPLOAD_EXIT_USAGE;
    }
    out_progress_clear();
    for (i = 0; i < n; i++)
        if (t[i].outcome == FLEET_FAILED || t[i].outcome == FLEET_REFUSED)
            rc = UPLOAD_EXIT_FAILED;
    api_stats(c->api, &st);
    if (summary && !c->o.quiet)
        out_summary(t, n, &st, (long)(http_now_ms() - c->started));
    if (c->o.report && write_report(c, command, t, n))
        rc = UPLOAD_EXIT_USAGE;
    return rc;
}

/* Commands ------------------------------------------------------------- */

/* What a server boots, in one word or two. */
static void boot_label(const struct fleet_target *t, struct buf *b)
{
    if (t->before.script)
        buf_addf(b, "script (%zu bytes)", t->before.script_len);
    else if (t->boot_type && strcmp(t->boot_type, "harddisk") == 0)
        buf_adds(b, "disk");
    else if (t->boot_type)
        buf_addf(b, "%s (%s)", t->boot_type,
                 t->boot_kernel ? t->boot_kernel : "?");
    else
        buf_adds(b, "unknown");
}

static int cmd_get(struct cli *c)
{
    struct fleet_target *t;
    struct buf label;
    size_t n;
    int rc;

    if (c->o.nargs != 1)
        return usage_error("%s", "get takes one SERVER");
    rc = make_targets(c, false, &t, &n);
    if (rc >= 0)
        return rc;
    rc = run_fleet(c, FLEET_GET, "get", t, n, false);
    if (t->outcome == FLEET_DONE) {
        if (t->before.script) {
            out_data(t->before.script, t->before.script_len);
        } else {
            buf_init(&label, 1024);
            boot_label(t, &label);
            out_note("%s has no script: it boots %s (bootId %lld)",
                     t->server, label.data, t->before.boot_id);
            buf_release(&label);
        }
    }
    free_targets(t, n);
    return rc;
}

/* list: the account's servers, then each one's details. */
struct list_ctx {
    json_t *names;            /**< GET /dedicated/server */
    struct api_result res;    /**< copy of the failure, if any */
    struct buf msg;           /**< its message */
    struct buf hint;          /**< its hint */
};

static void on_list(void *ctx, const struct api_result *r)
{
    struct list_ctx *l = ctx;

    l->res.status = r->status;
    if (r->status == API_OK) {
        l->names = json_incref(r->json);
        return;
    }
    buf_adds(&l->msg, r->message);
    if (r->query_id)
        buf_addf(&l->msg, " (X-OVH-QueryID: %s)", r->query_id);
    if (r->hint)
        buf_adds(&l->hint, r->hint);
}

static int cmd_list(struct cli *c)
{
    struct list_ctx l = {0};
    struct fleet_target *t = NULL;
    size_t n = 0, i, width = 6;
    json_t *v, *arr = NULL;
    struct buf label;
    int rc;

    if (c->o.nargs)
        return usage_error("%s", "list takes no arguments");
    buf_init(&l.msg, 1 << 16);
    buf_init(&l.hint, 1 << 16);
    buf_init(&label, 1024);
    if (api_call(c->api, "GET", "/dedicated/server", NULL, 0, on_list, &l) ||
        http_run(c->http)) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (l.res.status != API_OK || !json_is_array(l.names)) {
        out_error("cannot list the servers: %s",
                  l.msg.len ? l.msg.data : "the answer is not a list");
        out_hint(l.hint.data);
        rc = UPLOAD_EXIT_FAILED;
        goto out;
    }
    t = calloc(json_array_size(l.names) + 1, sizeof(*t));
    if (!t) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    json_array_foreach(l.names, i, v) {
        if (!json_is_string(v) || !fleet_valid_server(json_string_value(v)))
            continue;
        if (fleet_target_init(&t[n++], json_string_value(v))) {
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
    }
    rc = run_fleet(c, FLEET_INFO, "list", t, n, false);

    if (c->o.json) {
        arr = json_array();
        for (i = 0; i < n; i++) {
            const struct fleet_target *s = &t[i];
            const char *kind = s->outcome != FLEET_DONE ? "error"
                               : s->before.script       ? "script"
                               : !s->boot_type          ? "unknown"
                               : strcmp(s->boot_type, "harddisk") == 0
                                   ? "disk"
                                   : strcmp(s->boot_type, "rescue") == 0
                                         ? "rescue"
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
                out_dataf("%s\n", text);
                free(text);
            }
        }
        goto out;
    }
    for (i = 0; i < n; i++)
        if (strlen(t[i].server) > width)
            width = strlen(t[i].server);
    out_dataf("%-*s  %-10s  %-11s  %s\n", (int)width, "SERVER", "DATACENTER",
              "BOOTMODE", "BOOTS");
    for (i = 0; i < n; i++) {
        buf_truncate(&label, 0);
        if (t[i].outcome == FLEET_DONE)
            boot_label(&t[i], &label);
        else
            buf_adds(&label, "(error)");
        out_dataf("%-*s  %-10s  %-11s  %s\n", (int)width, t[i].server,
                  t[i].datacenter ? t[i].datacenter : "?",
                  boot_mode_name(t[i].mode), label.data);
    }
out:
    json_decref(arr);
    json_decref(l.names);
    buf_release(&l.msg);
    buf_release(&l.hint);
    buf_release(&label);
    if (t)
        free_targets(t, n);
    return rc;
}

static int cmd_diff(struct cli *c)
{
    struct fleet_target *t;
    size_t n, i;
    int rc;

    rc = make_targets(c, true, &t, &n);
    if (rc >= 0)
        return rc;
    rc = run_fleet(c, FLEET_DIFF, "diff", t, n, false);
    for (i = 0; i < n; i++) {
        if (t[i].diff.len)
            out_data(t[i].diff.data, t[i].diff.len);
        else if (t[i].outcome == FLEET_UNCHANGED)
            out_note("%s: identical", t[i].server);
    }
    free_targets(t, n);
    return rc;
}

/** What the journal says of one target, for --resume (borrowed from the
 *  records). */
struct resume_state {
    const char *sha; /**< the latest intent's script hash, or NULL */
    const char *src; /**< its source digest (--template), or NULL */
    bool verified;   /**< a verified record with that hash followed it */
};

/* Mark what the journal shows verified with this same script (--resume). */
static int apply_resume(struct cli *c, struct fleet_target *t, size_t n)
{
    struct buf path, err;
    const char *p, *ev, *ep, *server, *sha, *src;
    json_t *recs = NULL, *rec, *index = NULL, *at;
    struct resume_state *st = NULL, *s;
    char hex[2 * SHA256_LEN + 1];
    size_t i, k, torn, skipped = 0;
    bool done;
    int rc;

    buf_init(&path, 4096);
    buf_init(&err, 4096);
    p = journal_path(c, &path);
    rc = p ? journal_read(p, &recs, &torn, &err) : -ENOENT;
    if (rc == -ENOENT) {
        rc = 0; /* no journal yet: nothing to skip */
        goto out;
    }
    if (rc) {
        out_error("%s", err.data);
        goto out;
    }
    /* One pass over the journal however many servers are pushed: each
     * record is unpacked once and finds its target by name. */
    index = json_object();
    st = calloc(n + 1, sizeof(*st));
    for (i = 0; index && st && i < n; i++)
        if (json_object_set_new(index, t[i].server,
                                json_integer((json_int_t)i)))
            break;
    if (!index || !st || i < n) {
        out_error("out of memory");
        rc = -ENOMEM;
        goto out;
    }
    json_array_foreach(recs, k, rec) {
        ev = ep = server = sha = src = NULL;
        json_unpack(rec, "{s?s, s?s, s?s, s?{s?s, s?s}}", "event", &ev,
                    "endpoint", &ep, "server", &server, "new",
                    "bootScriptSha256", &sha, "sourceSha256", &src);
        if (!ev || !ep || !server || strcmp(ep, c->ep.name) ||
            !(at = json_object_get(index, server)))
            continue;
        s = &st[json_integer_value(at)];
        /* The latest intent decides; a verified record after it with
         * the same hash means it is done. */
        if (strcmp(ev, "intent") == 0) {
            s->sha = sha;
            s->src = src;
            s->verified = false;
        } else if (strcmp(ev, "verified") == 0) {
            s->verified = sha && s->sha && strcmp(sha, s->sha) == 0;
        }
    }
    for (i = 0; i < n; i++) {
        s = &st[i];
        /* A rendered script is known only after reading the server: what
         * it was made from stands for it. */
        if (c->src) {
            done = s->src && strcmp(s->src, fleetsrc_digest(c->src)) == 0;
        } else {
            sha256_hex(t[i].script, t[i].script_len, hex);
            done = s->sha && strcmp(s->sha, hex) == 0;
        }
        if (s->verified && done) {
            t[i].outcome = FLEET_SKIPPED;
            skipped++;
        }
    }
    if (skipped)
        out_note("--resume: %zu server%s already verified, skipped", skipped,
                 skipped == 1 ? "" : "s");
out:
    free(st);
    json_decref(index);
    json_decref(recs);
    buf_release(&path);
    buf_release(&err);
    return rc;
}

/* Ask before rebooting; true to go on. */
static bool confirm_reboot(struct cli *c, const struct fleet_target *t,
                           size_t n)
{
    char line[16];
    size_t i;

    if (c->o.yes)
        return true;
    if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) {
        out_error("refusing to reboot without confirmation");
        out_hint("a reboot interrupts whatever the servers run; pass --yes");
        return false;
    }
    fprintf(stderr, "Hard reboot %zu server%s (", n, n == 1 ? "" : "s");
    for (i = 0; i < n && i < 5; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", t[i].server);
    fprintf(stderr, "%s)? This interrupts whatever they run. [y/N] ",
            n > 5 ? ", ..." : "");
    fflush(stderr);
    if (!fgets(line, sizeof(line), stdin))
        return false;
    return line[0] == 'y' || line[0] == 'Y';
}

/* push, disk, rescue, reboot. */
static int cmd_change(struct cli *c)
{
    static const struct {
        enum upload_cmd cmd;
        enum fleet_op op;
        const char *name;
        bool files;
    } map[] = {
        {CMD_PUSH, FLEET_PUSH, "push", true},
        {CMD_DISK, FLEET_DISK, "disk", false},
        {CMD_RESCUE, FLEET_RESCUE, "rescue", false},
        {CMD_REBOOT, FLEET_REBOOT, "reboot", false},
    };
    struct fleet_target *t;
    size_t n, i, m = 0;
    int rc;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (map[i].cmd == c->o.cmd)
            m = i;
    rc = make_targets(c, map[m].files, &t, &n);
    if (rc >= 0)
        return rc;
    if (c->o.cmd == CMD_REBOOT && !confirm_reboot(c, t, n)) {
        free_targets(t, n);
        return UPLOAD_EXIT_USAGE;
    }
    if (c->o.cmd != CMD_REBOOT) {
        rc = open_journal(c);
        if (rc >= 0)
            goto out;
    }
    if (c->o.resume && c->o.cmd == CMD_PUSH && apply_resume(c, t, n)) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    rc = run_fleet(c, map[m].op, map[m].name, t, n, true);
out:
    free_targets(t, n);
    return rc;
}

/* rollback: the previous states recorded in the journal. */
static int cmd_rollback(struct cli *c)
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
            return usage_error("'%s' is not a server name", c->o.args[i]);
    p = journal_path(c, &path);
    if (!p) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (journal_read(p, &recs, &torn, &err)) {
        out_error("%s", err.data);
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (torn)
        out_warn("the journal's last line is incomplete (a crash while "
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
    t = calloc(c->o.nargs ? c->o.nargs : json_array_size(recs) + 1,
               sizeof(*t));
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
        json_unpack(rec, "{s?s, s?s, s?s, s?s, s?o}", "event", &ev,
                    "endpoint", &ep, "server", &server, "run", &run,
                    "previous", &prev);
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
            out_error("%s: the journal record of '%s' is damaged", p, server);
            n++;
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
        n++;
    }
    for (i = 0; i < c->o.nargs; i++) {
        if (!json_object_get(picked, c->o.args[i])) {
            out_error("the journal '%s' has no change of '%s' on %s", p,
                      c->o.args[i], c->ep.name);
            rc = UPLOAD_EXIT_FAILED;
            goto out;
        }
    }
    if (!n) {
        out_error("the journal '%s' records no change on %s", p, c->ep.name);
        rc = UPLOAD_EXIT_FAILED;
        goto out;
    }
    rc = open_journal(c);
    if (rc < 0)
        rc = run_fleet(c, FLEET_ROLLBACK, "rollback", t, n, true);
out:
    if (t)
        free_targets(t, n);
    json_decref(asked);
    json_decref(picked);
    json_decref(recs);
    buf_release(&path);
    buf_release(&err);
    return rc;
}

/* credential ------------------------------------------------------------ */

struct cred_ctx {
    json_t *reply;     /**< the answer, on success */
    struct buf msg;    /**< failure message */
    struct buf hint;   /**< failure hint */
};

static void on_credential(void *ctx, const struct api_result *r)
{
    struct cred_ctx *cc = ctx;

    if (r->status == API_OK) {
        cc->reply = json_incref(r->json);
        return;
    }
    buf_adds(&cc->msg, r->message);
    if (r->query_id)
        buf_addf(&cc->msg, " (X-OVH-QueryID: %s)", r->query_id);
    if (r->hint)
        buf_adds(&cc->hint, r->hint);
}

/* Put consumer_key=@p ck into section [@p section] of @p path, keeping
 * every other line; written to a temp file (0600) and renamed. */
static int save_consumer_key(const char *path, const char *section,
                             const char *ck)
{
    struct buf in, out, tmp;
    char header[512];
    const char *p, *eol, *end;
    bool in_sect = false, done = false;
    FILE *f;
    int fd, rc = 0;

    buf_init(&in, 1 << 20);
    buf_init(&out, 1 << 21);
    buf_init(&tmp, 4096);
    f = fopen(path, "r");
    if (f) {
        /* Not rewritten from a part: the rest of the file would be lost. */
        rc = readfile_stream(f, &in);
        fclose(f);
    }
    snprintf(header, sizeof(header), "[%s]", section);
    for (p = in.data, end = in.data + in.len; p < end && !rc; p = eol) {
        const char *s = p;
        eol = memchr(p, '\n', (size_t)(end - p));
        eol = eol ? eol + 1 : end;
        while (s < eol && (*s == ' ' || *s == '\t'))
            s++;
        if (*s == '[') {
            if (in_sect && !done) {
                buf_addf(&out, "consumer_key=%s\n", ck);
                done = true;
            }
            in_sect = strncmp(s, header, strlen(header)) == 0;
        } else if (in_sect && strncmp(s, "consumer_key", 12) == 0) {
            if (!done)
                buf_addf(&out, "consumer_key=%s\n", ck);
            done = true;
            continue;
        }
        buf_add(&out, p, (size_t)(eol - p));
        if (eol == end && end > in.data && end[-1] != '\n')
            buf_addch(&out, '\n');
    }
    if (!done && in_sect)
        buf_addf(&out, "consumer_key=%s\n", ck);
    else if (!done)
        buf_addf(&out, "%s[%s]\nconsumer_key=%s\n", out.len ? "\n" : "",
                 section, ck);
    buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    fd = rc ? -1 : open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                        0600);
    if (!rc && fd < 0)
        rc = -errno;
    if (fd >= 0) {
        if (write(fd, out.data, out.len) != (ssize_t)out.len || fsync(fd))
            rc = -errno;
        close(fd);
        if (!rc && rename(tmp.data, path))
            rc = -errno;
        if (rc)
            unlink(tmp.data);
    }
    /* Both buffers held secrets. */
    memset(in.data, 0, in.len);
    memset(out.data, 0, out.len);
    buf_release(&in);
    buf_release(&out);
    buf_release(&tmp);
    return rc;
}

static int cmd_credential(struct cli *c)
{
    struct cred_ctx cc = {0};
    const char *ck = NULL, *url = NULL;
    json_t *body;
    struct buf root;
    int rc = UPLOAD_EXIT_OK;

    if (c->o.nargs)
        return usage_error("%s", "credential takes no arguments");
    if (c->cfg.auth != OVH_CONFIG_AUTH_KEYS) {
        out_error("consumer keys belong to application keys; endpoint '%s' "
                  "is configured for OAuth2", c->ep.name);
        out_hint("grant the service account the IAM actions "
                 "dedicatedServer:apiovh:get, :put and :reboot instead");
        return UPLOAD_EXIT_USAGE;
    }
    /* The least this tool needs (spec §3, "Minimal rules"). */
    body = json_pack("{s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]}",
                     "accessRules", "method", "GET", "path",
                     "/dedicated/server", "method", "GET", "path",
                     "/dedicated/server/*", "method", "PUT", "path",
                     "/dedicated/server/*", "method", "POST", "path",
                     "/dedicated/server/*/reboot");
    if (body && c->o.redirect)
        json_object_set_new(body, "redirection", json_string(c->o.redirect));
    buf_init(&cc.msg, 1 << 16);
    buf_init(&cc.hint, 1 << 16);
    buf_init(&root, 4096);
    if (!body ||
        api_call(c->api, "POST", "/auth/credential", body, API_UNSIGNED |
                 API_NOT_IDEMPOTENT, on_credential, &cc) ||
        http_run(c->http)) {
        out_error("out of memory");
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (!cc.reply ||
        json_unpack(cc.reply, "{s:s, s:s}", "consumerKey", &ck,
                    "validationUrl", &url)) {
        out_error("cannot request a consumer key: %s",
                  cc.msg.len ? cc.msg.data : "the answer has no consumerKey");
        out_hint(cc.hint.data);
        rc = UPLOAD_EXIT_FAILED;
        goto out;
    }
    endpoint_web_root(&c->ep, &root);
    if (c->o.save) {
        int err = save_consumer_key(c->o.save, c->ep.name, ck);
        if (err) {
            out_error("cannot save the key to '%s': %s", c->o.save,
                      strerror(-err));
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
        out_dataf("The new consumer key is saved in '%s', section [%s].\n",
                  c->o.save, c->ep.name);
    } else {
        out_dataf("Store this in the [%s] section of ./ovh.conf or "
                  "~/.ovh.conf (mode 0600):\n\n[%s]\nconsumer_key=%s\n\n",
                  c->ep.name, c->ep.name, ck);
    }
    out_dataf("Then open this URL, log in and choose how long the key is "
              "valid:\n\n    %s\n\n"
              "It grants GET /dedicated/server, GET and PUT "
              "/dedicated/server/*,\nand POST /dedicated/server/*/reboot. "
              "Until it is validated the API\nanswers INVALID_CREDENTIAL. "
              "Keys are managed at %s/console.\n",
              url, root.data);
out:
    json_decref(body);
    json_decref(cc.reply);
    buf_release(&cc.msg);
    buf_release(&cc.hint);
    buf_release(&root);
    return rc;
}

int cli_run(int argc, char **argv)
{
    struct cli c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.journal.fd = -1;
    c.started = http_now_ms();
    rc = parse_opts(argc, argv, &c.o);
    if (rc >= 0) {
        free(c.o.hosts);
        free(c.o.sets);
        return rc;
    }
    out_setup(c.o.quiet, c.o.verbose, isatty(STDERR_FILENO) != 0);
    rc = cli_setup(&c);
    if (rc < 0) {
        switch (c.o.cmd) {
        case CMD_LIST:
            rc = cmd_list(&c);
            break;
        case CMD_GET:
            rc = cmd_get(&c);
            break;
        case CMD_DIFF:
            rc = cmd_diff(&c);
            break;
        case CMD_ROLLBACK:
            rc = cmd_rollback(&c);
            break;
        case CMD_CREDENTIAL:
            rc = cmd_credential(&c);
            break;
        default:
            rc = cmd_change(&c);
            break;
        }
    }
    cli_release(&c);
    free(c.o.hosts);
    free(c.o.sets);
    fflush(stdout);
    return rc;
}
