/* SPDX-License-Identifier: MIT */
/** @file Everything ipxe-upload prints. */
#include "cli_out.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "buf.h"
#include "escape.h"
#include "fleet.h"

/** Output settings. */
static struct {
    bool quiet;      /**< --quiet */
    bool verbose;    /**< --verbose */
    bool progress;   /**< stderr is a terminal: draw a progress line */
    bool line_shown; /**< a progress line is on screen */
    bool data_tty;   /**< stdout is a terminal: escape data too */
} out;

void cli_out_setup(bool quiet, bool verbose, bool progress)
{
    out.quiet = quiet;
    out.verbose = verbose;
    out.progress = progress && !quiet;
    out.data_tty = isatty(STDOUT_FILENO) != 0;
}

/* Bytes escaped at a time: what is printed never needs more memory than
 * this, however long the text. */
#define ESCAPE_CHUNK 4096

/* Write @p len bytes of @p s to @p f escaped (escape_term() with
 * @p flags), a chunk at a time, each cut where no UTF-8 sequence is
 * split.  Text that cannot be escaped (out of memory) is not written
 * raw: "(text lost: out of memory)" stands for it. */
static void put_escaped(FILE *f, const char *s, size_t len, unsigned flags)
{
    struct buf b;
    size_t i = 0, n, k;

    buf_init(&b, BUF_MAX_UNLIMITED);
    while (i < len) {
        n = len - i;
        if (n > ESCAPE_CHUNK) {
            n = ESCAPE_CHUNK;
            /* back off over up to 3 continuation bytes */
            for (k = 0;
                 k < 3 && n > 1 && ((unsigned char)s[i + n] & 0xC0) == 0x80;
                 k++)
                n--;
        }
        buf_truncate(&b, 0);
        if (escape_term(&b, s + i, n, flags)) {
            fputs("(text lost: out of memory)", f);
            break;
        }
        fwrite(b.data, 1, b.len, f);
        i += n;
    }
    buf_release(&b);
}

/* Write a formatted message to @p f escaped as put_escaped() does. */
static void vput_escaped(FILE *f, unsigned flags, const char *fmt, va_list ap)
{
    struct buf b;

    buf_init(&b, BUF_MAX_UNLIMITED);
    if (buf_vaddf(&b, fmt, ap))
        fputs("(message lost: out of memory)", f);
    else
        put_escaped(f, b.data, b.len, flags);
    buf_release(&b);
}

int cli_out_field(struct buf *b, const char *s)
{
    return escape_term(b, s, strlen(s), 0);
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
    vput_escaped(stderr, 0, fmt, ap);
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
        fputs("hint: ", stderr);
        put_escaped(stderr, hint, strlen(hint), 0);
        fputc('\n', stderr);
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
    if (out.data_tty)
        put_escaped(stdout, data, len, ESCAPE_TERM_LINES);
    else
        fwrite(data, 1, len, stdout);
}

void cli_out_dataf(const char *fmt, ...)
{
    va_list ap;

    cli_out_progress_clear();
    va_start(ap, fmt);
    vput_escaped(stdout, ESCAPE_TERM_LINES, fmt, ap);
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
        put_escaped(stderr, t->findings.data, t->findings.len,
                    ESCAPE_TERM_LINES);
    }
    if (bad) {
        cli_out_progress_clear();
        fprintf(stderr, "ipxe-upload: %s: %s: ", t->server,
                fleet_outcome_name(t->outcome));
        if (t->reason.len)
            put_escaped(stderr, t->reason.data, t->reason.len, 0);
        else
            fputs("no reason given", stderr);
        fputc('\n', stderr);
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
        printf("%-*s  %-9s  ", (int)width, t[i].server,
               fleet_outcome_name(t[i].outcome));
        put_escaped(stdout, d, strlen(d), 0);
        putchar('\n');
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
