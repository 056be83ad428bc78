/* SPDX-License-Identifier: MIT */
/** @file Everything ipxe-upload prints goes through here: messages,
 *  per-server results, the progress line, the summary and the report.
 *  Data (a script, a diff, a listing) goes to stdout; everything else to
 *  stderr.  Nothing here ever receives a secret. */
#ifndef IPXETOOL_UPLOADER_CLI_OUT_H
#define IPXETOOL_UPLOADER_CLI_OUT_H

#include <stdbool.h>
#include <stddef.h>

struct fleet_target;
struct fleet_progress;
struct api_stats;
struct buf;

/* Text from outside (the API's answers, a server's script) never reaches
 * the terminal raw: every message, hint, result and summary is written
 * through escape_term() (control characters, bidirectional overrides and
 * invalid UTF-8 as \xNN, newlines as \n), formatted data keeps its
 * newlines but is escaped likewise, and data shown byte for byte
 * (cli_out_data()) is escaped when stdout is a terminal. */

/** Output settings, set once by cli_run(). */
void cli_out_setup(bool quiet, bool verbose, bool progress);

/** "ipxe-upload: error: ..." on stderr. */
void cli_out_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** "ipxe-upload: warning: ..." on stderr. */
void cli_out_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** "hint: ..." on stderr (when @p hint is not empty). */
void cli_out_hint(const char *hint);
/** A note on stderr, unless --quiet. */
void cli_out_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** A note on stderr with --verbose only. */
void cli_out_verbose(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/** Data on stdout, byte for byte (escaped, newlines and tabs kept, when
 *  stdout is a terminal). */
void cli_out_data(const char *data, size_t len);
/** Formatted data on stdout (escaped, newlines and tabs kept). */
void cli_out_dataf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Append @p s escaped for one line of output (a table's cell: its
 *  newlines too).  @ret rc 0 or a negative errno */
int cli_out_field(struct buf *b, const char *s);

/** A finished server: its problems on stderr, and the progress line. */
void cli_out_target_done(const struct fleet_target *t,
                         const struct fleet_progress *p);

/** Erase the progress line, if one is shown. */
void cli_out_progress_clear(void);

/** The summary table of a changing command, on stdout. */
void cli_out_summary(const struct fleet_target *t, size_t n,
                     const struct api_stats *s, long elapsed_ms);

#endif
