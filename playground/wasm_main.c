/* SPDX-License-Identifier: MIT */
/** @file The playground's entry points: ipxe-lint's library, called from
 *  JavaScript (playground.js) once compiled to WebAssembly.
 *
 * Each call lints one script held in the caller's memory and returns a
 * NUL-terminated UTF-8 text that stays valid until the next call:
 * pg_lint() the document `ipxe-lint -f json` writes, pg_fix() the script
 * with its fixes applied and their unified diff.  On failure they return
 * NULL and pg_error() says why.  There is no main(): the page calls these.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "diff.h"
#include "jsonw.h"
#include "lint.h"
#include "report.h"
#include "source.h"

/* Exported by name (emcc -sEXPORTED_FUNCTIONS), so they need prototypes
 * for -Wmissing-prototypes but no header: nothing in C calls them. */
const char *pg_lint(const char *text, size_t len, const char *name,
                    const char *platform, int template_mode);
const char *pg_fix(const char *text, size_t len, const char *name,
                   const char *platform, int template_mode);
const char *pg_error(void);

/** The name findings carry ("file" in the JSON, the diff's headers)
 *  when the caller gives none.  As on the command line, a name can make a
 *  file a template (*.j2, ...) and changes what some rules report. */
#define PG_NAME "script.ipxe"

static struct buf result; /* what the last call returned */
static struct buf error;  /* why the last call failed */
static bool ready;

/* One script linted with the playground's options. */
struct pg_run {
    struct lint_config cfg;
    struct source src;
    struct arena a;
    struct diag_list d;
    bool have_cfg, have_src, have_arena;
};

static void pg_release(struct pg_run *r)
{
    if (r->have_arena) {
        diag_list_release(&r->d);
        arena_release(&r->a);
    }
    if (r->have_src)
        source_release(&r->src);
    if (r->have_cfg)
        lint_config_release(&r->cfg);
}

static const char *fail(const char *what, int rc)
{
    if (!error.len)
        buf_addf(&error, "%s: %s", what,
                 rc == -ENOMEM ? "out of memory" : strerror(-rc));
    return NULL;
}

/* Reset the output buffers; configure and lint @p text (as `ipxe-lint
 * --no-config -j 1 --platform=P [--template]` would). */
static int pg_start(struct pg_run *r, const char *text, size_t len,
                    const char *name, const char *platform, int template_mode)
{
    int rc;

    if (!ready) {
        buf_init(&result, BUF_MAX_UNLIMITED);
        buf_init(&error, 4096);
        ready = true;
    }
    buf_truncate(&result, 0);
    buf_truncate(&error, 0);
    memset(r, 0, sizeof(*r));
    rc = lint_config_init(&r->cfg);
    if (rc)
        return rc;
    r->have_cfg = true;
    /* no threads in a page without cross-origin isolation */
    rc = lint_config_apply(&r->cfg, "jobs", "1", &error);
    if (!rc && platform && *platform)
        rc = lint_config_apply(&r->cfg, "platform", platform, &error);
    if (!rc && template_mode)
        rc = lint_config_apply(&r->cfg, "template", "true", &error);
    if (rc)
        return rc;
    rc = source_init_mem(&r->src, name, text, len);
    if (rc)
        return rc;
    r->have_src = true;
    arena_init(&r->a);
    diag_list_init(&r->d, &r->a);
    r->have_arena = true;
    return lint_source(&r->src, &r->cfg.lint, &r->a, &r->d, NULL);
}

/* The caller's name, or PG_NAME. */
static const char *name_of(const char *name)
{
    return name && *name ? name : PG_NAME;
}

const char *pg_lint(const char *text, size_t len, const char *name,
                    const char *platform, int template_mode)
{
    struct pg_run r;
    struct report rep;
    int rc;

    name = name_of(name);
    rc = pg_start(&r, text, len, name, platform, template_mode);
    if (!rc) {
        rc = report_init(&rep, REPORT_JSON, false);
        if (!rc) {
            rc = report_file(&rep, name, &r.src, &r.d, r.cfg.min_sev, &result);
            if (!rc)
                rc = report_finish(&rep, &result);
            report_release(&rep);
        }
    }
    pg_release(&r);
    return rc ? fail("lint", rc) : result.data;
}

const char *pg_fix(const char *text, size_t len, const char *name,
                   const char *platform, int template_mode)
{
    struct pg_run r;
    struct buf fixed, diff, a_name, b_name;
    struct jsonw w;
    size_t nfixes = 0;
    int rc;

    name = name_of(name);
    buf_init(&fixed, BUF_MAX_UNLIMITED);
    buf_init(&diff, BUF_MAX_UNLIMITED);
    buf_init(&a_name, BUF_MAX_UNLIMITED);
    buf_init(&b_name, BUF_MAX_UNLIMITED);
    rc = pg_start(&r, text, len, name, platform, template_mode);
    if (!rc)
        rc = report_apply_fixes(&r.src, &r.d, &fixed, &nfixes);
    if (!rc)
        rc = buf_addf(&a_name, "a/%s", name);
    if (!rc)
        rc = buf_addf(&b_name, "b/%s", name);
    if (!rc && nfixes)
        rc = diff_unified(r.src.data, r.src.len, fixed.data, fixed.len,
                          a_name.data, b_name.data, &diff);
    if (!rc) {
        jsonw_init(&w, &result, 0);
        jsonw_object(&w, NULL);
        jsonw_int(&w, "fixes", (long long)nfixes);
        if (nfixes)
            jsonw_stringn(&w, "fixed", fixed.data, fixed.len);
        else
            jsonw_stringn(&w, "fixed", r.src.data, r.src.len);
        jsonw_stringn(&w, "diff", diff.data, diff.len);
        jsonw_end(&w);
        rc = jsonw_status(&w);
    }
    buf_release(&b_name);
    buf_release(&a_name);
    buf_release(&diff);
    buf_release(&fixed);
    pg_release(&r);
    return rc ? fail("fix", rc) : result.data;
}

const char *pg_error(void)
{
    return ready && error.len ? error.data : "";
}
