/* SPDX-License-Identifier: MIT */
/** @file What every ipxe-upload command shares before and after its work:
 *  the setup (credentials, endpoint, transport, client, --log), its
 *  release, and the journal. */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "api.h"
#include "buf.h"
#include "cli.h"
#include "cli_out.h"
#include "fleetsrc.h"
#include "http.h"

#ifndef IPXEKIT_VERSION
#define IPXEKIT_VERSION "0"
#endif

/* Setup ----------------------------------------------------------------- */

/* One line of the --log file or -v output: never a header or a body. */
static void log_request(void *ctx, const struct api_log_entry *e)
{
    struct cli *c = ctx;
    json_t *rec;
    char *line;

    cli_out_verbose("%s %s -> %ld%s%s%s%s (%ld ms, try %d)", e->method, e->url,
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

/* Credentials, endpoint, transport and client for the command. */
int cli_setup(struct cli *c)
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
        cli_out_error("%s", rc == -ENOMEM ? "out of memory" : err.data);
    buf_release(&err);
    if (rc)
        return UPLOAD_EXIT_USAGE;
    if (c->cfg.auth == OVH_CONFIG_AUTH_OAUTH2 && !c->ep.token_url) {
        cli_out_error(
            "endpoint '%s' does not support OAuth2 client credentials",
            c->ep.name);
        cli_out_hint("use application_key, application_secret and consumer_key "
                     "there");
        return UPLOAD_EXIT_USAGE;
    }
    if (c->cfg.auth == OVH_CONFIG_AUTH_NONE ||
        (c->cfg.auth == OVH_CONFIG_AUTH_KEYS && !c->cfg.consumer_key &&
         !(c->o.cmd->flags & CLI_CMD_NO_CK))) {
        cli_out_error("no %s configured for endpoint '%s'",
                      c->cfg.auth == OVH_CONFIG_AUTH_NONE ? "credentials"
                                                          : "consumer_key",
                      c->ep.name);
        cli_out_hint(
            "put application_key, application_secret and consumer_key "
            "(or client_id and client_secret) in the [endpoint] section "
            "of ./ovh.conf or ~/.ovh.conf, or set OVH_* variables; "
            "'ipxe-upload credential' requests a consumer key");
        return UPLOAD_EXIT_USAGE;
    }
    if (c->o.cacert && access(c->o.cacert, R_OK)) {
        cli_out_error("cannot read the CA file '%s': %s", c->o.cacert,
                      strerror(errno));
        return UPLOAD_EXIT_USAGE;
    }
    if (c->o.log) {
        /* Appended to, never through a symbolic link planted there. */
        int fd =
            open(c->o.log,
                 O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
        c->log = fd < 0 ? NULL : fdopen(fd, "a");
        if (!c->log) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            cli_out_error("cannot open the log '%s': %s", c->o.log,
                          e == ELOOP ? "it is a symbolic link; give the file "
                                       "itself"
                                     : strerror(e));
            return UPLOAD_EXIT_USAGE;
        }
    }

    ho.cacert = c->o.cacert;
    ho.connect_timeout_ms = c->o.connect_timeout_ms;
    ho.timeout_ms = c->o.timeout_ms;
    ho.max_connections = (long)c->o.jobs;
    ho.user_agent = "ipxekit-upload/" IPXEKIT_VERSION;
    if (http_client_new(&ho, &c->http)) {
        cli_out_error("cannot set up libcurl");
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
        cli_out_error("out of memory");
        return UPLOAD_EXIT_USAGE;
    }
    return CLI_GO_ON;
}

/* Free what the run holds. */
void cli_release(struct cli *c)
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

const char *cli_journal_path(struct cli *c, struct buf *b)
{
    int rc;

    if (c->o.journal)
        return c->o.journal;
    rc = journal_default_path(b);
    if (rc) {
        cli_out_error("cannot place the journal: neither XDG_STATE_HOME nor "
                      "HOME is set");
        cli_out_hint("give one with --journal FILE");
        return NULL;
    }
    return b->data;
}

int cli_open_journal(struct cli *c)
{
    struct buf path, err;
    const char *p;
    int rc;

    buf_init(&path, 4096);
    buf_init(&err, 4096);
    p = cli_journal_path(c, &path);
    rc = p ? journal_open(&c->journal, p, &err) : -ENOENT;
    if (rc && p)
        cli_out_error("%s", err.data);
    if (!rc)
        cli_out_verbose("journal: %s (run %s)", p, c->journal.run);
    if (!rc && c->journal.torn)
        cli_out_warn("the journal's last line was cut short by a crash (%zu "
                     "bytes, never durable, so never acted on): removed",
                     c->journal.torn);
    buf_release(&path);
    buf_release(&err);
    return rc ? UPLOAD_EXIT_USAGE : CLI_GO_ON;
}

bool cli_warn_skipped(const struct buf *skipped)
{
    const char *p, *eol, *end = skipped->data + skipped->len;

    for (p = skipped->data; p < end; p = eol + 1) {
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        cli_out_warn("%.*s", (int)(eol - p), p);
    }
    return skipped->len > 0;
}
