/* SPDX-License-Identifier: MIT */
/** @file The template engine alone, for the Jinja2 differential test.
 *
 * Reads JSON lines `{"template": "...", "vars": {...}}` on standard input
 * and writes one JSON line per case: `{"ok": true, "output": "..."}` or
 * `{"ok": false, "code": "IPX4003", "line": 1, "col": 4, "message": ...}`.
 * No structure check and no lint: this is what Jinja2 is compared with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "arena.h"
#include "diag.h"
#include "source.h"
#include "template.h"

static json_t *result_of(const char *text, size_t len, json_t *vars)
{
    struct source src;
    struct arena a, scratch;
    struct diag_list d;
    struct tmpl *t = NULL;
    struct tmpl_output o;
    json_t *res;
    int rc;

    if (source_init_mem(&src, "case.j2", text, len))
        return NULL;
    arena_init(&a);
    arena_init(&scratch);
    diag_list_init(&d, &a);
    tmpl_output_init(&o, 1 << 24);
    rc = tmpl_compile(&src, &a, &d, &t);
    if (!rc)
        rc = tmpl_render(t, vars, &o, &scratch, &d);
    if (!rc) {
        res =
            json_pack("{s:b, s:s%}", "ok", 1, "output", o.out.data, o.out.len);
    } else if (d.len) {
        const struct diag *dg = &d.items[0];
        struct position pos = source_position(&src, dg->span.start);
        res = json_pack("{s:b, s:s, s:i, s:i, s:s, s:i}", "ok", 0, "code",
                        dg->code, "line", (int)pos.line, "col", (int)pos.column,
                        "message", dg->msg, "rc", rc);
    } else {
        res = json_pack("{s:b, s:s, s:i}", "ok", 0, "code", "none", "rc", rc);
    }
    tmpl_output_release(&o);
    diag_list_release(&d);
    arena_release(&scratch);
    arena_release(&a);
    source_release(&src);
    return res;
}

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    while ((n = getline(&line, &cap, stdin)) > 0) {
        json_error_t err;
        json_t *c = json_loadb(line, (size_t)n, JSON_ALLOW_NUL, &err), *res;
        json_t *tmpl = c ? json_object_get(c, "template") : NULL;
        json_t *vars = c ? json_object_get(c, "vars") : NULL;

        if (!json_is_string(tmpl) || !json_is_object(vars)) {
            fprintf(stderr, "tmpl_driver: bad case line: %s\n",
                    c ? "no 'template' string or 'vars' object" : err.text);
            return 2;
        }
        res =
            result_of(json_string_value(tmpl), json_string_length(tmpl), vars);
        if (!res)
            return 2;
        json_dumpf(res, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
        fputc('\n', stdout);
        json_decref(res);
        json_decref(c);
    }
    free(line);
    return 0;
}
