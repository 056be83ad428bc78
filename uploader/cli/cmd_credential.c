/* SPDX-License-Identifier: MIT */
/** @file ipxe-upload credential: request a consumer key, print or save it. */
#include "command.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "buf.h"
#include "cli.h"
#include "cli_out.h"
#include "http.h"
#include "readfile.h"
#include "safefile.h"

const char cmd_credential_usage[] =
    "Usage: ipxe-upload credential [--redirect URL] [--save FILE]\n"
    "Request a consumer key for the configured application key, limited to\n"
    "what ipxe-upload needs, and print the URL where you validate it.\n"
    "--save FILE stores the key in FILE's endpoint section (mode 0600)\n"
    "instead of printing it.\n";

/* The longest consumer key taken (OVHcloud's have 32 characters). */
#define CK_MAX 64

/* Whether @p ck looks like a consumer key: 1 to CK_MAX letters and digits.
 * Anything else the API answers (a newline, '=', '[', a control
 * character) would become new lines or a new section in the file the
 * secrets are read from, so it is refused, not cleaned.  On refusal, what
 * is wrong goes to @p why. */
static bool valid_consumer_key(const char *ck, const char **why)
{
    size_t i;

    for (i = 0; ck[i]; i++) {
        char ch = ck[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9'))) {
            *why = ch == '\n' || ch == '\r'
                       ? "it holds a line break"
                       : "it holds a character other than a letter or a digit";
            return false;
        }
        if (i == CK_MAX) {
            *why = "it is longer than 64 characters";
            return false;
        }
    }
    if (!i) {
        *why = "it is empty";
        return false;
    }
    return true;
}

/* Put consumer_key=@p ck into section [@p section] of @p path, keeping
 * every other line; written to a temp file (0600) and renamed. */
static int save_consumer_key(const char *path, const char *section,
                             const char *ck)
{
    struct buf in, out;
    char header[512];
    const char *p, *eol, *end;
    bool in_sect = false, done = false;
    FILE *f;
    int rc = 0;

    buf_init(&in, 1 << 20);
    buf_init(&out, 1 << 21);
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
                rc = buf_addf(&out, "consumer_key=%s\n", ck);
                done = true;
            }
            in_sect = strncmp(s, header, strlen(header)) == 0;
        } else if (in_sect && strncmp(s, "consumer_key", 12) == 0) {
            if (!done)
                rc = buf_addf(&out, "consumer_key=%s\n", ck);
            done = true;
            continue;
        }
        if (!rc)
            rc = buf_add(&out, p, (size_t)(eol - p));
        if (!rc && eol == end && end > in.data && end[-1] != '\n')
            rc = buf_addch(&out, '\n');
    }
    if (!rc && !done && in_sect)
        rc = buf_addf(&out, "consumer_key=%s\n", ck);
    else if (!rc && !done)
        rc = buf_addf(&out, "%s[%s]\nconsumer_key=%s\n", out.len ? "\n" : "",
                      section, ck);
    if (!rc)
        rc = safefile_replace(path, out.data, out.len, 0600);
    /* Both buffers held secrets. */
    memset(in.data, 0, in.len);
    memset(out.data, 0, out.len);
    buf_release(&in);
    buf_release(&out);
    return rc;
}

int cmd_credential(struct cli *c)
{
    struct cli_reply cc;
    const char *ck = NULL, *url = NULL, *why = NULL;
    json_t *body;
    struct buf root;
    int rc = UPLOAD_EXIT_OK;

    if (c->o.nargs)
        return cli_usage_error("%s", "credential takes no arguments");
    if (c->cfg.auth != OVH_CONFIG_AUTH_KEYS) {
        cli_out_error("consumer keys belong to application keys; endpoint '%s' "
                      "is configured for OAuth2",
                      c->ep.name);
        cli_out_hint("grant the service account the IAM actions "
                     "dedicatedServer:apiovh:get, :put and :reboot instead");
        return UPLOAD_EXIT_USAGE;
    }
    /* The least this tool needs (spec §3, "Minimal rules"). */
    body = json_pack(
        "{s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]}", "accessRules",
        "method", "GET", "path", "/dedicated/server", "method", "GET", "path",
        "/dedicated/server/*", "method", "PUT", "path", "/dedicated/server/*",
        "method", "POST", "path", "/dedicated/server/*/reboot");
    if (body && c->o.redirect)
        json_object_set_new(body, "redirection", json_string(c->o.redirect));
    cli_reply_init(&cc);
    buf_init(&root, 4096);
    if (!body ||
        api_call(c->api, "POST", "/auth/credential", body,
                 API_UNSIGNED | API_NOT_IDEMPOTENT, cli_on_reply, &cc) ||
        http_run(c->http)) {
        cli_out_error("out of memory");
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (!cc.json || json_unpack(cc.json, "{s:s, s:s}", "consumerKey", &ck,
                                "validationUrl", &url)) {
        cli_out_error("cannot request a consumer key: %s",
                      cli_reply_message(&cc, "the answer has no consumerKey"));
        cli_out_hint(cc.hint.data);
        rc = UPLOAD_EXIT_FAILED;
        goto out;
    }
    if (!valid_consumer_key(ck, &why)) {
        /* Not shown: it is a credential, and hostile text besides. */
        cli_out_error(
            "the API answered a consumer key that cannot be one (%s); "
            "nothing was saved",
            why);
        cli_out_hint(
            "OVHcloud consumer keys are letters and digits; check the "
            "endpoint (OVH_ENDPOINT, --endpoint) is really OVHcloud's, "
            "and what stands between it and you");
        rc = UPLOAD_EXIT_FAILED;
        goto out;
    }
    if (endpoint_web_root(&c->ep, &root)) {
        cli_out_error("out of memory");
        rc = UPLOAD_EXIT_USAGE;
        goto out;
    }
    if (c->o.save) {
        int err = save_consumer_key(c->o.save, c->ep.name, ck);
        if (err) {
            cli_out_error("cannot save the key to '%s': %s", c->o.save,
                          strerror(-err));
            rc = UPLOAD_EXIT_USAGE;
            goto out;
        }
        cli_out_dataf("The new consumer key is saved in '%s', section [%s].\n",
                      c->o.save, c->ep.name);
    } else {
        cli_out_dataf("Store this in the [%s] section of ./ovh.conf or "
                      "~/.ovh.conf (mode 0600):\n\n[%s]\nconsumer_key=%s\n\n",
                      c->ep.name, c->ep.name, ck);
    }
    cli_out_dataf("Then open this URL, log in and choose how long the key is "
                  "valid:\n\n    %s\n\n"
                  "It grants GET /dedicated/server, GET and PUT "
                  "/dedicated/server/*,\nand POST /dedicated/server/*/reboot. "
                  "Until it is validated the API\nanswers INVALID_CREDENTIAL. "
                  "Keys are managed at %s/console.\n",
                  url, root.data);
out:
    json_decref(body);
    cli_reply_release(&cc);
    buf_release(&root);
    return rc;
}
