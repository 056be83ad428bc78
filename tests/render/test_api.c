/* SPDX-License-Identifier: MIT */
/** @file render.h as ipxe-upload calls it: render_host() with extra
 *  variables, a platform, errors and the inventory's accessors; and
 *  render_vars_with() as ipxe-render's worker threads call it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "inventory.h"
#include "lint.h"
#include "render.h"
#include "template.h"

static int failures;

#define check(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,   \
                    #cond);                                                    \
            failures++;                                                        \
        }                                                                      \
    } while (0)

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    char tpath[4096], ipath[4096], bad[4096];
    struct render_template *t = NULL;
    struct inventory *inv = NULL;
    struct buf out, err;
    json_t *extra;
    int rc;

    snprintf(tpath, sizeof(tpath), "%s/api.ipxe.j2", dir);
    snprintf(ipath, sizeof(ipath), "%s/api.json", dir);
    snprintf(bad, sizeof(bad), "%s/api-bad.json", dir);
    write_file(tpath,
               "#!ipxe\n"
               "echo {{ host }} {{ ovh.bootMode | default('?') }} {{ a }}\n"
               "{% if ovh is defined and ovh.bootMode == 'legacy' %}\n"
               "sanboot --drive 0x80\n"
               "{% endif %}\n");
    write_file(ipath,
               "{\"defaults\": {\"a\": \"def\", \"ovh\": {\"rack\": \"R1\"}},\n"
               " \"hosts\": {\"ns1.ip-1-2-3.eu\": {}, \"ns2.ip-1-2-3.eu\": "
               "{\"vars\": {\"a\": \"v\\nreboot\"}}}}\n");
    write_file(bad, "{\"hosts\": {\n  \"x\": [}\n");
    buf_init(&out, BUF_MAX_UNLIMITED);
    buf_init(&err, BUF_MAX_UNLIMITED);

    check(render_template_load(&t, tpath, &err) == 0);
    check(inventory_load(&inv, ipath, &err) == 0);
    if (!t || !inv)
        return 1;
    check(inventory_count(inv) == 2);
    check(strcmp(inventory_host(inv, 0), "ns1.ip-1-2-3.eu") == 0);
    check(strcmp(inventory_host(inv, 1), "ns2.ip-1-2-3.eu") == 0);

    /* extra variables win, objects merge key by key */
    extra = json_pack("{s:{s:s}}", "ovh", "bootMode", "legacy");
    rc = render_host(t, inv, "ns1.ip-1-2-3.eu", extra, LINT_PLATFORM_PCBIOS,
                     &out, &err);
    check(rc == 0);
    check(strcmp(out.data, "#!ipxe\necho ns1.ip-1-2-3.eu legacy def\n\n"
                           "sanboot --drive 0x80\n\n") == 0);

    /* --set, then extra over it */
    check(inventory_set(inv, "a", "cli", &err) == 0);
    check(inventory_set(inv, "ovh.bootMode", "uefi", &err) == 0);
    buf_truncate(&out, 0);
    rc = render_host(t, inv, "ns1.ip-1-2-3.eu", NULL, -1, &out, &err);
    check(rc == 0);
    check(strcmp(out.data, "#!ipxe\necho ns1.ip-1-2-3.eu uefi cli\n\n") == 0);

    /* merged once (one thread), rendered from the variables (another):
     * the same script, and no reference count moves, so several threads
     * may render from one inventory */
    {
        struct render_scratch *s = render_scratch_new();
        json_t *vars = inventory_vars(inv, 0, NULL, &err);
        json_t *a = json_object_get(vars, "a");
        json_t *ovh = json_object_get(vars, "ovh");
        size_t a_refs = a ? a->refcount : 0, ovh_refs = ovh ? ovh->refcount : 0;

        check(s && vars && a && ovh);
        if (s && vars && a && ovh) {
            buf_truncate(&out, 0);
            check(render_vars_with(s, t, "ns1.ip-1-2-3.eu", vars, -1, &out,
                                   &err) == 0);
            check(strcmp(out.data,
                         "#!ipxe\necho ns1.ip-1-2-3.eu uefi cli\n\n") == 0);
            check(vars->refcount == 1 && a->refcount == a_refs &&
                  ovh->refcount == ovh_refs);
        }
        json_decref(vars);
        render_scratch_free(s);
    }

    /* a refusal: nothing appended, the message names host and variable */
    check(inventory_set(inv, "a", "x\ny", &err) == 0);
    buf_truncate(&out, 0);
    buf_truncate(&err, 0);
    rc = render_host(t, inv, "ns2.ip-1-2-3.eu", extra, -1, &out, &err);
    check(rc == 1);
    check(out.len == 0);
    check(strstr(err.data, "host 'ns2.ip-1-2-3.eu'") != NULL);
    check(strstr(err.data, "'a' adds a line") != NULL);
    check(strstr(err.data, "[IPX4010]") != NULL);

    /* unknown host, extra that is not an object */
    buf_truncate(&err, 0);
    check(render_host(t, inv, "ns9.ip-1-2-3.eu", NULL, -1, &out, &err) ==
          -ENOENT);
    check(strstr(err.data, "no host 'ns9.ip-1-2-3.eu'") != NULL);
    json_decref(extra);
    extra = json_string("x");
    buf_truncate(&err, 0);
    check(render_host(t, inv, "ns1.ip-1-2-3.eu", extra, -1, &out, &err) == 1);
    check(strstr(err.data, "must be a JSON object") != NULL);
    check(out.len == 0);
    json_decref(extra);

    /* bad --set */
    buf_truncate(&err, 0);
    check(inventory_set(inv, "a..b", "x", &err) == 1);
    check(strstr(err.data, "'a..b' is not a variable name") != NULL);
    buf_truncate(&err, 0);
    check(inventory_set(inv, "n:", "[1,", &err) == 1);
    check(strstr(err.data, "not JSON") != NULL);

    /* JSON errors name line and column */
    render_template_free(NULL);
    inventory_free(NULL);
    {
        struct inventory *b = NULL;
        buf_truncate(&err, 0);
        check(inventory_load(&b, bad, &err) == 1);
        check(b == NULL);
        check(strstr(err.data, "api-bad.json:2:9: error:") != NULL);
    }

    /* the work budget, as ipxe-upload renders (render_host()): the
     * default lets this template through, a budget of 5 steps does not,
     * with the limit named and nothing written */
    check(inventory_set(inv, "a", "ok", &err) == 0);
    buf_truncate(&out, 0);
    buf_truncate(&err, 0);
    render_template_set_max_steps(t, 5);
    check(render_host(t, inv, "ns1.ip-1-2-3.eu", NULL, -1, &out, &err) == 1);
    check(strstr(err.data, "rendering takes more than 5 steps, the work "
                           "limit of one host") != NULL);
    check(strstr(err.data, "[IPX4002]") != NULL);
    check(out.len == 0);
    render_template_set_max_steps(t, TMPL_MAX_STEPS_DEFAULT);
    buf_truncate(&err, 0);
    rc = render_host(t, inv, "ns1.ip-1-2-3.eu", NULL, -1, &out, &err);
    check(rc == 0);
    check(out.len > 0);
    if (rc)
        fputs(err.data, stderr);

    render_template_free(t);
    inventory_free(inv);
    buf_release(&out);
    buf_release(&err);
    if (failures)
        fprintf(stderr, "%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
