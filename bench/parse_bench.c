/* SPDX-License-Identifier: MIT */
/** @file The parse benchmark program (run by bench/parse).
 *
 * `parse_bench [--template] [--repeat N] FILE`: load FILE, parse it into a
 * tree, N times (default 1), and print one line of `key=value` figures:
 * bytes, lines, words, the best load and parse times, throughput and the
 * peak resident memory of the process.  Only process start is outside the
 * timing.  With --repeat the best run counts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "parse.h"
#include "source.h"

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
    fputs("usage: parse_bench [--template] [--repeat N] FILE\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    unsigned flags = 0;
    long repeat = 1, i;
    double best_load = 1e30, best_parse = 1e30;
    size_t bytes = 0, lines = 0, words = 0, arena_bytes = 0;
    struct rusage ru;
    int a;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--template") == 0) {
            flags |= PARSE_TEMPLATE;
        } else if (strcmp(argv[a], "--repeat") == 0 && a + 1 < argc) {
            char *end;
            repeat = strtol(argv[++a], &end, 10);
            if (*end || repeat < 1 || repeat > 1000)
                return usage();
        } else if (!path && argv[a][0] != '-') {
            path = argv[a];
        } else {
            return usage();
        }
    }
    if (!path)
        return usage();

    for (i = 0; i < repeat; i++) {
        struct source src;
        struct arena ar;
        struct diag_list d;
        struct ast_script *s;
        double t0 = now(), t1, t2;
        int rc = source_load(&src, path, NULL);

        if (rc) {
            fprintf(stderr, "parse_bench: %s: %s\n", path, strerror(-rc));
            return 2;
        }
        t1 = now();
        arena_init(&ar);
        diag_list_init(&d, &ar);
        rc = parse_source(&src, flags, &ar, &d, &s);
        t2 = now();
        if (rc) {
            fprintf(stderr, "parse_bench: %s: %s\n", path, strerror(-rc));
            return 2;
        }
        if (t1 - t0 < best_load)
            best_load = t1 - t0;
        if (t2 - t1 < best_parse)
            best_parse = t2 - t1;
        bytes = src.len;
        lines = s->nlines;
        words = s->nwords;
        arena_bytes = ar.total;
        diag_list_release(&d);
        arena_release(&ar);
        source_release(&src);
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("bytes=%zu lines=%zu words=%zu arena_bytes=%zu load_s=%.4f "
           "parse_s=%.4f total_s=%.4f mb_per_s=%.1f maxrss_kb=%ld\n",
           bytes, lines, words, arena_bytes, best_load, best_parse,
           best_load + best_parse,
           (double)bytes / 1e6 / (best_load + best_parse), ru.ru_maxrss);
    return 0;
}
