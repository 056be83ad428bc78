/* SPDX-License-Identifier: MIT */
/** @file ipxe-upload push, disk, rescue and reboot: the commands that change
 *  servers, one handler driven by their entries in the command table. */
#include "command.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "cli_out.h"
#include "fleetsrc.h"
#include "sha.h"

const char cmd_push_usage[] =
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

const char cmd_disk_usage[] =
    "Usage: ipxe-upload disk [OPTIONS] SERVER...\n"
    "Make each server boot from its hard disk: find the harddisk netboot\n"
    "(never assuming its id), journal the current state, set bootId, and\n"
    "verify that bootId is set and no script is left.  --reboot [--wait]\n"
    "reboot afterwards.\n";

const char cmd_rescue_usage[] =
    "Usage: ipxe-upload rescue [OPTIONS] SERVER...\n"
    "Make each server boot the rescue system (the rescue netboot whose\n"
    "kernel is --kernel NAME, default rescue-customer), journalled and\n"
    "verified like disk.  --reboot [--wait] reboot afterwards.\n";

const char cmd_reboot_usage[] =
    "Usage: ipxe-upload reboot [OPTIONS] SERVER...\n"
    "Hard reboot each server (it interrupts whatever runs there).  On a\n"
    "terminal, asks first unless --yes; elsewhere --yes is required.\n"
    "--wait follows each reboot task until it is done.\n";

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
    struct buf path, err, bad;
    const char *p, *ev, *ep, *server, *sha, *src;
    json_t *recs = NULL, *rec, *index = NULL, *at;
    struct resume_state *st = NULL, *s;
    char hex[2 * SHA256_LEN + 1];
    size_t i, k, torn, skipped = 0;
    bool done;
    int rc;

    buf_init(&path, 4096);
    buf_init(&err, 4096);
    buf_init(&bad, BUF_MAX_UNLIMITED);
    p = cli_journal_path(c, &path);
    rc = p ? journal_read(p, &recs, &torn, &bad, &err) : -ENOENT;
    if (rc == -ENOENT) {
        rc = 0; /* no journal yet: nothing to skip */
        goto out;
    }
    if (rc) {
        cli_out_error("%s", err.data);
        goto out;
    }
    if (cli_warn_skipped(&bad))
        cli_out_hint("--resume skips only what whole records show verified: a "
                     "server named only on a skipped line is pushed again");
    /* One pass over the journal however many servers are pushed: each
     * record is unpacked once and finds its target by name. */
    index = json_object();
    st = calloc(n + 1, sizeof(*st));
    for (i = 0; index && st && i < n; i++)
        if (json_object_set_new(index, t[i].server,
                                json_integer((json_int_t)i)))
            break;
    if (!index || !st || i < n) {
        cli_out_error("out of memory");
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
        cli_out_note("--resume: %zu server%s already verified, skipped",
                     skipped, skipped == 1 ? "" : "s");
out:
    free(st);
    json_decref(index);
    json_decref(recs);
    buf_release(&path);
    buf_release(&err);
    buf_release(&bad);
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
        cli_out_error("refusing to reboot without confirmation");
        cli_out_hint(
            "a reboot interrupts whatever the servers run; pass --yes");
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

/* push, disk, rescue, reboot: what each needs is in its flags. */
int cmd_change(struct cli *c)
{
    unsigned flags = c->o.cmd->flags;
    struct fleet_target *t;
    size_t n;
    int rc;

    rc = cli_make_targets(c, (flags & CLI_CMD_SCRIPTS) != 0, &t, &n);
    if (rc != CLI_GO_ON)
        return rc;
    if ((flags & CLI_CMD_REBOOTS) && !confirm_reboot(c, t, n)) {
        cli_free_targets(t, n);
        return UPLOAD_EXIT_USAGE;
    }
    if (flags & CLI_CMD_JOURNAL) {
        rc = cli_open_journal(c);
        if (rc != CLI_GO_ON)
            goto out;
    }
    if (c->o.resume && (flags & CLI_CMD_RESUME) && apply_resume(c, t, n)) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    rc = cli_run_fleet(c, t, n);
out:
    cli_free_targets(t, n);
    return rc;
}
