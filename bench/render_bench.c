/* SPDX-License-Identifier: MIT */
/** @file The renderer's own timer, for bench/render.
 *
 * usage: render_bench TEMPLATE INVENTORY [MAX_HOSTS]
 *
 * Loads both once, then times, over the first MAX_HOSTS hosts (all by
 * default), on one thread: render_index_with() as ipxe-render's workers
 * call it, one scratch for every host (variables merged, rendered, structure checked,
 * parsed and linted); the engine alone (variables merged and rendered);
 * and the parse and lint alone, of the scripts rendered in the first pass
 * (lint_source() as render.c calls it: the host's platform, one job).
 * Prints one line of key=value pairs, with the steps the engine took a
 * host (mean and max) against its budget (template.h).  It checks no target: bench/render
 * judges the whole process (ipxe-render --dry-run) against Jinja2 and
 * against 10,000 hosts in a second; this says where the time goes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "inventory.h"
#include "lint.h"
#include "render.h"
#include "source.h"
#include "template.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    struct render_template *t;
    struct render_scratch *rs;
    struct inventory *inv;
    struct buf out, err;
    struct source src;
    struct arena a, scratch;
    struct diag_list d;
    struct tmpl *engine;
    struct tmpl_output o;
    size_t i, n, refused = 0, bytes = 0;
    uint64_t steps_max = 0, steps_sum = 0;
    size_t *ends;
    enum lint_platform *platform;
    struct buf scripts;
    double t0, full, alone, lint;

    if (argc < 3)
        return 2;
    buf_init(&out, BUF_MAX_UNLIMITED);
    buf_init(&err, BUF_MAX_UNLIMITED);
    if (render_template_load(&t, argv[1], &err) ||
        inventory_load(&inv, argv[2], &err)) {
        fputs(err.data, stderr);
        return 2;
    }
    n = inventory_count(inv);
    if (argc > 3 && strtoul(argv[3], NULL, 10) < n)
        n = strtoul(argv[3], NULL, 10);

    rs = render_scratch_new();
    ends = calloc(n + 1, sizeof(*ends));
    platform = calloc(n + 1, sizeof(*platform));
    if (!rs || !ends || !platform)
        return 2;
    buf_init(&scripts, BUF_MAX_UNLIMITED);
    t0 = now();
    for (i = 0; i < n; i++) {
        buf_truncate(&out, 0);
        buf_truncate(&err, 0);
        if (render_index_with(rs, t, inv, i, -1, &out, &err))
            refused++;
        bytes += out.len;
        if (buf_add(&scripts, out.data, out.len))
            return 2;
        ends[i] = scripts.len;
    }
    full = now() - t0;
    render_scratch_free(rs);

    /* parse and lint alone, as render.c does (the platform from
     * boot_mode, found before the clock starts) */
    for (i = 0; i < n; i++) {
        json_t *vars = inventory_vars(inv, i, NULL, &err);

        platform[i] = (enum lint_platform)render_platform_of(vars);
        json_decref(vars);
    }
    arena_init(&a);
    diag_list_init(&d, &a);
    t0 = now();
    for (i = 0; i < n; i++) {
        size_t from = i ? ends[i - 1] : 0;
        struct lint_options opts;
        struct ast_script *tree;

        lint_options_init(&opts);
        opts.jobs = 1;
        opts.platform = platform[i];
        if (arena_reset(&a, 64 * 1024) ||
            source_init_mem(&src, "host.ipxe", scripts.data + from,
                            ends[i] - from))
            return 2;
        d.len = 0;
        d.arena = &a;
        lint_source(&src, &opts, &a, &d, &tree);
        source_release(&src);
    }
    lint = now() - t0;
    diag_list_release(&d);
    arena_release(&a);
    buf_release(&scripts);
    free(ends);
    free(platform);

    /* the engine alone: merge and render, nothing checked */
    if (source_load(&src, argv[1], argv[1]))
        return 2;
    arena_init(&a);
    diag_list_init(&d, &a);
    if (tmpl_compile(&src, &a, &d, &engine))
        return 2;
    tmpl_output_init(&o, BUF_MAX_UNLIMITED);
    t0 = now();
    arena_init(&scratch);
    for (i = 0; i < n; i++) {
        struct diag_list rd;
        struct jv vars;
        /* one scratch emptied for each host, as render.c does */
        if (arena_reset(&scratch, 64 * 1024) ||
            inventory_vars_jv(inv, i, NULL, &scratch, &vars))
            return 2;
        diag_list_init(&rd, &scratch);
        tmpl_render_jv(engine, &vars, &o, &scratch, &rd);
        steps_sum += o.steps;
        if (o.steps > steps_max)
            steps_max = o.steps;
        diag_list_release(&rd);
    }
    arena_release(&scratch);
    alone = now() - t0;

    printf("hosts=%zu refused=%zu bytes=%zu full_s=%.4f full_hps=%.0f "
           "engine_s=%.4f engine_hps=%.0f lint_s=%.4f lint_hps=%.0f "
           "lint_mbps=%.1f steps_mean=%.0f steps_max=%" PRIu64
           " steps_budget=%" PRIu64 "\n",
           n, refused, bytes, full, (double)n / full, alone, (double)n / alone,
           lint, (double)n / lint, (double)bytes / lint / 1e6,
           n ? (double)steps_sum / (double)n : 0.0, steps_max, o.max_steps);
    tmpl_output_release(&o);
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
    render_template_free(t);
    inventory_free(inv);
    buf_release(&out);
    buf_release(&err);
    return 0;
}
