/* SPDX-License-Identifier: MIT */
/** @file Everything ipxe-upload prints. */
#include "cli_out.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "fleet.h"

/** Output settings. */
static struct {
    bool quiet;      /**< --quiet */
    bool verbose;    /**< --verbose */
    bool progress;   /**< stderr is a terminal: draw a progress line */
    bool line_shown; /**< a progress line is on screen */
} out;

void cli_out_setup(bool quiet, bool verbose, bool progress)
{
    out.quiet = quiet;
    out.verbose = verbose;
    out.progress = progress && !quiet;
}

void cli_out_progress_clear(void)
{
    if (!out.line_shown)
        return;
    fputs("\r\033[K", stderr);
    out.line_shown = false;
}

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
    cli_out_progress_clear();
    fprintf(stderr, "ipxe-upload: %s", prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_out_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg("error: ", fmt, ap);
    va_end(ap);
}

void cli_out_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg("warning: ", fmt, ap);
    va_end(ap);
}

void cli_out_hint(const char *hint)
{
    if (hint && *hint) {
        cli_out_progress_clear();
        fprintf(stderr, "hint: %s\n", hint);
    }
}

void cli_out_note(const char *fmt, ...)
{
    va_list ap;

    if (out.quiet)
        return;
    va_start(ap, fmt);
    vmsg("", fmt, ap);
    va_end(ap);
}

void cli_out_verbose(const char *fmt, ...)
{
    va_list ap;

    if (!out.verbose)
        return;
    va_start(ap, fmt);
    vmsg("", fmt, ap);
    va_end(ap);
}

void cli_out_data(const char *data, size_t len)
{
    cli_out_progress_clear();
    fwrite(data, 1, len, stdout);
}

void cli_out_dataf(const char *fmt, ...)
{
    va_list ap;

    cli_out_progress_clear();
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

/* "1m05s" or "42s". */
static void fmt_duration(char *out_s, size_t n, long ms)
{
    long s = (ms + 999) / 1000;

    if (s >= 60)
        snprintf(out_s, n, "%ldm%02lds", s / 60, s % 60);
    else
        snprintf(out_s, n, "%lds", s);
}

static void progress_line(const struct fleet_progress *p)
{
    char eta[32] = "?";
    double rate = 0;

    if (!out.progress || p->total < 2)
        return;
    if (p->elapsed_ms > 0)
        rate = (double)p->done * 60000.0 / (double)p->elapsed_ms;
    if (p->done && p->done < p->total)
        fmt_duration(eta, sizeof(eta),
                     (long)((double)p->elapsed_ms / (double)p->done *
                            (double)(p->total - p->done)));
    fprintf(stderr,
            "\r\033[K[%zu/%zu] %zu in flight, %zu failed, "
            "%.0f servers/min, ETA %s",
            p->done, p->total, p->in_flight, p->failed, rate,
            p->done < p->total ? eta : "0s");
    fflush(stderr);
    out.line_shown = true;
}

void cli_out_target_done(const struct fleet_target *t,
                         const struct fleet_progress *p)
{
    bool bad = t->outcome == FLEET_FAILED || t->outcome == FLEET_REFUSED;

    if (t->findings.len && (bad || out.verbose)) {
        cli_out_progress_clear();
        fputs(t->findings.data, stderr);
    }
    if (bad) {
        cli_out_progress_clear();
        fprintf(stderr, "ipxe-upload: %s: %s: %s\n", t->server,
                fleet_outcome_name(t->outcome),
                t->reason.len ? t->reason.data : "no reason given");
        cli_out_hint(t->hint.data);
    } else if (t->hint.len) {
        cli_out_warn("%s: %s", t->server, t->hint.data);
    }
    if (t->text_err)
        cli_out_warn("%s: part of this message was lost: %s", t->server,
                     strerror(-t->text_err));
    progress_line(p);
}

/* One word on what a server's row says beyond its outcome. */
static void detail(const struct fleet_target *t, char *s, size_t n)
{
    s[0] = '\0';
    if (t->outcome == FLEET_FAILED || t->outcome == FLEET_REFUSED)
        snprintf(s, n, "%s", t->reason.data);
    else if (t->task_id >= 0)
        snprintf(s, n, "task %lld %s", t->task_id,
                 t->task_status ? t->task_status : "");
    else if (t->new_boot_id >= 0)
        snprintf(s, n, "bootId %lld", t->new_boot_id);
}

void cli_out_summary(const struct fleet_target *t, size_t n,
                     const struct api_stats *s, long elapsed_ms)
{
    size_t counts[FLEET_SKIPPED + 1] = {0}, i, width = 6;
    char d[160], dur[32];

    cli_out_progress_clear();
    for (i = 0; i < n; i++) {
        counts[t[i].outcome]++;
        if (strlen(t[i].server) > width)
            width = strlen(t[i].server);
    }
    printf("%-*s  %-9s  %s\n", (int)width, "SERVER", "RESULT", "DETAIL");
    for (i = 0; i < n; i++) {
        detail(&t[i], d, sizeof(d));
        printf("%-*s  %-9s  %s\n", (int)width, t[i].server,
               fleet_outcome_name(t[i].outcome), d);
    }
    fmt_duration(dur, sizeof(dur), elapsed_ms);
    printf("%zu server%s: %zu updated, %zu unchanged, %zu refused, "
           "%zu failed",
           n, n == 1 ? "" : "s", counts[FLEET_UPDATED] + counts[FLEET_DONE],
           counts[FLEET_UNCHANGED], counts[FLEET_REFUSED],
           counts[FLEET_FAILED]);
    if (counts[FLEET_SKIPPED])
        printf(", %zu skipped", counts[FLEET_SKIPPED]);
    printf("; %lu request%s (%lu retried) in %s\n", s->requests,
           s->requests == 1 ? "" : "s", s->retries, dur);
    fflush(stdout);
}
