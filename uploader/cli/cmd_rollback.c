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
    "Usage: ipxe-upload rollback [--journal FILE] [--since RUN|TIME] "
    "[SERVER...]\n"
    "Restore the bootScript or bootId each server had before its last\n"
    "recorded change, byte for byte, and verify it.  Without SERVER, undo\n"
    "the most recent run recorded for this endpoint (and say which servers\n"
    "an earlier run that stopped before it was done changed, and leaves).\n"
    "--since RUN|TIME reaches back over several runs: every server changed\n"
    "by that run (its id, as the journal and the warnings give it) or at or\n"
    "after that UTC time (2026-01-26T01:44) is put back as it was before\n"
    "its first change since then; with SERVER, only those.\n";

/* Names shown in a list before "and N more". */
#define NAMES_SHOWN 10

/** One record of this endpoint's, unpacked (borrowed from the records). */
struct rec {
    const char *ev, *server, *run, *time;
    json_t *prev;
};

/* Unpack record @p k of @p recs if it is an intent or outcome of a valid
 * server on endpoint @p ep; false otherwise. */
static bool rec_get(json_t *recs, size_t k, const char *ep, struct rec *r)
{
    const char *rep = NULL;

    memset(r, 0, sizeof(*r));
    json_unpack(json_array_get(recs, k), "{s?s, s?s, s?s, s?s, s?s, s?o}",
                "event", &r->ev, "endpoint", &rep, "server", &r->server, "run",
                &r->run, "time", &r->time, "previous", &r->prev);
    return r->ev && rep && r->server && r->run && strcmp(rep, ep) == 0 &&
           fleet_valid_server(r->server);
}

/* A key for (@p run, @p server) in @p b, reset first.  Run ids and server
 * names hold no space. */
static const char *pair_key(struct buf *b, const char *run, const char *server)
{
    buf_truncate(b, 0);
    return buf_addf(b, "%s %s", run, server) ? NULL : b->data;
}

/**
 * The runs of this endpoint that stopped before they were done, as a set
 * of run ids: an intent with no "verified" record of the same server in
 * the same run (killed, or a server failed).  A later run is then often a
 * re-push, and undoing it alone leaves what the stopped run changed.
 * NULL when out of memory.
 */
static json_t *unfinished_runs(json_t *recs, const char *ep)
{
    json_t *open = json_object(), *runs = json_object(), *v;
    struct buf key;
    const char *k, *sp;
    struct rec r;
    size_t i;
    void *tmp;

    buf_init(&key, BUF_MAX_UNLIMITED);
    for (i = 0; open && runs && i < json_array_size(recs); i++) {
        if (!rec_get(recs, i, ep, &r) || !pair_key(&key, r.run, r.server))
            continue;
        if (strcmp(r.ev, "intent") == 0)
            json_object_set_new(open, key.data, json_true());
        else if (strcmp(r.ev, "verified") == 0)
            json_object_del(open, key.data);
    }
    json_object_foreach_safe(open, tmp, k, v) {
        sp = strchr(k, ' ');
        if (sp && runs)
            json_object_setn_new(runs, k, (size_t)(sp - k), json_true());
    }
    buf_release(&key);
    json_decref(open);
    if (!open) {
        json_decref(runs);
        return NULL;
    }
    return runs;
}

/* After undoing @p last_run: the runs just before it that stopped before
 * they were done, back to the first one that finished; and the servers
 * whose latest change is in one of them, which this rollback left as they
 * are.  Said as a warning, with the command that restores them too. */
static void warn_left_alone(struct cli *c, json_t *recs, const char *last_run)
{
    json_t *unfinished, *order = json_array(), *seen = json_object();
    json_t *latest = json_object(), *chain = json_object();
    const char *since = NULL, *run;
    struct buf names, cmd;
    size_t k, n = 0, nruns = 0, at = 0;
    struct rec r;

    unfinished = unfinished_runs(recs, c->ep.name);
    buf_init(&names, BUF_MAX_UNLIMITED);
    buf_init(&cmd, BUF_MAX_UNLIMITED);
    if (!unfinished || !order || !seen || !latest || !chain)
        goto out;
    /* The runs in the order they began, and each server's latest run. */
    for (k = 0; k < json_array_size(recs); k++) {
        if (!rec_get(recs, k, c->ep.name, &r) || strcmp(r.ev, "intent"))
            continue;
        if (!json_object_get(seen, r.run)) {
            if (strcmp(r.run, last_run) == 0)
                at = json_array_size(order);
            if (json_object_set_new(seen, r.run, json_true()) ||
                json_array_append_new(order, json_string(r.run)))
                goto out;
        }
        if (json_object_set_new(latest, r.server, json_string(r.run)))
            goto out;
    }
    /* Back from the undone run while the runs stopped before the end. */
    while (at-- > 0) {
        run = json_string_value(json_array_get(order, at));
        if (!run || !json_object_get(unfinished, run))
            break;
        json_object_set_new(chain, run, json_true());
        since = run;
        nruns++;
    }
    if (!since)
        goto out;
    /* Their servers, in journal order, whose latest change is theirs. */
    for (k = 0; k < json_array_size(recs); k++) {
        if (!rec_get(recs, k, c->ep.name, &r) || strcmp(r.ev, "intent") ||
            !json_object_get(chain, r.run))
            continue;
        run = json_string_value(json_object_get(latest, r.server));
        if (!run || strcmp(run, r.run))
            continue;
        if (n < NAMES_SHOWN &&
            buf_addf(&names, "%s%s", n ? ", " : "", r.server))
            goto out;
        n++;
        /* Listed once. */
        json_object_set_new(latest, r.server, json_null());
    }
    if (!n)
        goto out;
    if (n > NAMES_SHOWN && buf_addf(&names, " and %zu more", n - NAMES_SHOWN))
        goto out;
    if (nruns == 1)
        cli_out_warn("this undid run %s only; the run before it, %s, stopped "
                     "before it was done, and the %zu server%s it changed "
                     "last %s left as %s: %s",
                     last_run, since, n, n == 1 ? "" : "s",
                     n == 1 ? "is" : "are", n == 1 ? "it is" : "they are",
                     names.data);
    else
        cli_out_warn("this undid run %s only; the %zu runs before it, back "
                     "to %s, stopped before they were done, and the %zu "
                     "server%s they changed last %s left as %s: %s",
                     last_run, nruns, since, n, n == 1 ? "" : "s",
                     n == 1 ? "is" : "are", n == 1 ? "it is" : "they are",
                     names.data);
    if (buf_addf(&cmd,
                 "to put %s back as well, as before run %s: ipxe-upload "
                 "rollback --since %s",
                 n == 1 ? "it" : "them", since, since) ||
        (c->o.endpoint && buf_addf(&cmd, " --endpoint %s", c->o.endpoint)) ||
        (c->o.journal && buf_addf(&cmd, " --journal %s", c->o.journal)))
        goto out;
    cli_out_hint(cmd.data);
out:
    json_decref(unfinished);
    json_decref(order);
    json_decref(seen);
    json_decref(latest);
    json_decref(chain);
    buf_release(&names);
    buf_release(&cmd);
}

/* The index of the first record --since names in @p recs: the first of
 * that run, or the first at or after that time; -1 if none. */
static long since_start(json_t *recs, const char *ep, const char *since)
{
    bool time = strlen(since) >= 10 && since[4] == '-' && since[7] == '-';
    struct rec r;
    size_t k;

    for (k = 0; k < json_array_size(recs); k++) {
        if (!rec_get(recs, k, ep, &r))
            continue;
        if (strcmp(r.run, since) == 0 ||
            (time && r.time && strcmp(r.time, since) >= 0))
            return (long)k;
    }
    return -1;
}

/* rollback: the previous states recorded in the journal. */
int cmd_rollback(struct cli *c)
{
    struct buf path, err, skipped;
    const char *p, *last_run = NULL;
    json_t *recs = NULL, *asked = NULL, *picked = NULL;
    struct fleet_target *t = NULL;
    size_t i, k, n = 0, torn = 0, start = 0;
    long since = 0;
    struct rec r;
    int rc;

    buf_init(&path, 4096);
    buf_init(&err, 4096);
    buf_init(&skipped, BUF_MAX_UNLIMITED);
    for (i = 0; i < c->o.nargs; i++)
        if (!fleet_valid_server(c->o.args[i]))
            return cli_usage_error("'%s' is not a server name", c->o.args[i]);
    p = cli_journal_path(c, &path);
    if (!p) {
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (journal_read(p, &recs, &torn, &skipped, &err)) {
        cli_out_error("%s", err.data);
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (torn)
        cli_out_warn("the journal's last line is incomplete (a crash while "
                     "writing it); it is ignored");
    if (cli_warn_skipped(&skipped))
        cli_out_hint("a change recorded only on a skipped line is not rolled "
                     "back; the servers it names may need "
                     "'ipxe-upload get' and a push");

    if (c->o.since) {
        since = since_start(recs, c->ep.name, c->o.since);
        if (since < 0) {
            cli_out_error("the journal '%s' has no run '%s' on %s, nor any "
                          "record at or after that time",
                          p, c->o.since, c->ep.name);
            cli_out_hint("give a run id as the journal's \"run\" field holds "
                         "it, or a UTC time such as 2026-01-26T01:44");
            rc = UPLOAD_EXIT_FAILED;
            goto out;
        }
        start = (size_t)since;
    }
    /* Without servers: every server of the latest run on this endpoint. */
    for (k = 0; k < json_array_size(recs); k++)
        if (rec_get(recs, k, c->ep.name, &r) && strcmp(r.ev, "intent") == 0)
            last_run = r.run;
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
    /* The newest intent per server names the state to go back to; with
     * --since, the oldest one since then. */
    for (i = 0; i < json_array_size(recs); i++) {
        k = c->o.since ? i : json_array_size(recs) - 1 - i;
        if (k < start || !rec_get(recs, k, c->ep.name, &r) ||
            strcmp(r.ev, "intent"))
            continue;
        if (c->o.nargs ? !json_object_get(asked, r.server)
                       : !c->o.since && strcmp(r.run, last_run) != 0)
            continue;
        if (json_object_get(picked, r.server))
            continue;
        if (json_object_set_new(picked, r.server, json_true())) {
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
        if (fleet_target_init(&t[n], r.server) ||
            boot_state_from_json(&t[n].restore, r.prev)) {
            cli_out_error("%s: the journal record of '%s' is damaged", p,
                          r.server);
            n++;
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
        n++;
    }
    for (i = 0; i < c->o.nargs; i++) {
        if (!json_object_get(picked, c->o.args[i])) {
            cli_out_error("the journal '%s' has no change of '%s' on %s%s%s", p,
                          c->o.args[i], c->ep.name, c->o.since ? " since " : "",
                          c->o.since ? c->o.since : "");
            rc = UPLOAD_EXIT_FAILED;
            goto out;
        }
    }
    if (!n) {
        cli_out_error("the journal '%s' records no change on %s%s%s", p,
                      c->ep.name, c->o.since ? " since " : "",
                      c->o.since ? c->o.since : "");
        rc = UPLOAD_EXIT_FAILED;
        goto out;
    }
    rc = cli_open_journal(c);
    if (rc != CLI_GO_ON)
        goto out;
    rc = cli_run_fleet(c, t, n);
    /* Said last, where it is seen: what this rollback did not undo. */
    if (!c->o.nargs && !c->o.since && last_run)
        warn_left_alone(c, recs, last_run);
out:
    if (t)
        cli_free_targets(t, n);
    json_decref(asked);
    json_decref(picked);
    json_decref(recs);
    buf_release(&path);
    buf_release(&err);
    buf_release(&skipped);
    return rc;
}
