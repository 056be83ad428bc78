/* SPDX-License-Identifier: MIT */
/** @file The change journal: what every server booted before we touched it.
 *
 * JSON Lines, appended, one line per event, each written and fsync()'d
 * (the directory too when the file is new) under the journal's write lock
 * before the call it announces is made.  A change is two events: "intent",
 * written before the PUT, holding the server's previous bootScript and bootId
 * and the new script's SHA-256; then "verified" or "failed" once the result is
 * known.  Rollback and --resume read it back.  It never holds a secret.
 */
#ifndef IPXETOOL_UPLOADER_JOURNAL_H
#define IPXETOOL_UPLOADER_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "boot.h"

struct buf;

struct journal_writer;

/** An open journal, for appending. */
struct journal {
    int fd;                   /**< O_APPEND descriptor, -1 when closed */
    char *path;               /**< its path (owned) */
    char run[96];             /**< this process's run id, in every record */
    struct journal_writer *w; /**< group-commit writer, or NULL (owned) */
    size_t torn; /**< bytes of a crashed run's cut-short last line that
                      journal_open() removed (0 if none) */
};

/** Called once a queued record is durable (@p rc 0) or could not be
 *  written (a negative errno). */
typedef void (*journal_done_fn)(void *ctx, int rc);

/**
 * The default path: $XDG_STATE_HOME/ipxekit/journal.jsonl, or
 * ~/.local/state/ipxekit/journal.jsonl.  @ret rc 0, -ENOENT if neither
 * XDG_STATE_HOME nor HOME is set, -ENOMEM.
 */
int journal_default_path(struct buf *out);

/**
 * Open (creating directories 0700 and the file 0600, never through a
 * symbolic link) for appending.  Every record is written under the
 * journal's write lock (an exclusive flock, held while it is written and
 * fsync'd), so records of runs sharing the journal never interleave.
 * Whoever takes the lock first removes a last line cut short by a run
 * killed while writing it (no newline: that record never became durable,
 * so what it announced was never done), so that no record follows
 * garbage; j->torn says how many bytes journal_open() removed.
 *
 * @ret rc 0 or a negative errno, with a message in @p err.
 */
int journal_open(struct journal *j, const char *path, struct buf *err);

/** Close; NULL-safe on a closed journal. */
void journal_close(struct journal *j);

/**
 * Append one event and make it durable.  @p rec is completed with
 * "version", "time" and "run" and borrowed otherwise.  Not while the
 * group-commit writer runs.
 * @ret rc 0 or a negative errno (the caller must then not go on).
 */
int journal_append(struct journal *j, json_t *rec);

/**
 * Start the group-commit writer: a thread that takes every record queued
 * by journal_append_async() since its last round and makes them durable
 * with one write() and one fsync().  Many servers in flight then cost one
 * fsync per round, not one each, and the caller's event loop never waits
 * on the disk.  While it runs, use journal_append_async() only.
 *
 * @ret rc  0, -ENOMEM, or a negative errno from pipe() or the thread
 */
int journal_writer_start(struct journal *j);

/**
 * Stop the writer after it has written everything queued.  Callbacks not
 * yet dispatched are dropped.  NULL-safe; journal_close() calls it.
 */
void journal_writer_stop(struct journal *j);

/** A descriptor that becomes readable when queued records are done; watch
 *  it and call journal_dispatch().  -1 without a writer. */
int journal_writer_fd(const struct journal *j);

/**
 * Queue one event.  @p rec is completed as for journal_append() and
 * borrowed.  @p fn (may be NULL) runs from journal_dispatch() once the
 * record is durable; without a writer, the record is written at once and
 * @p fn called before this returns.
 *
 * @ret rc  0 (the outcome comes through @p fn), or -ENOMEM (then @p fn is
 *          never called)
 */
int journal_append_async(struct journal *j, json_t *rec, journal_done_fn fn,
                         void *ctx);

/** Run the callbacks of the records made durable so far (main thread). */
void journal_dispatch(struct journal *j);

/** Whether records are queued, being written, or not yet dispatched. */
bool journal_busy(const struct journal *j);

/**
 * Read every record of @p path in order into a new JSON array (caller
 * decrefs).  A last line cut short by a crash is skipped and counted in
 * @p torn.  A line elsewhere that is not a record is skipped too, and
 * named in @p skipped ("FILE:LINE: what is wrong", a line each, the first
 * ten, then how many more): the records around it are still read.  A
 * record glued after a cut one (a journal written by a version that did
 * not repair cut lines) is recovered.
 *
 * @ret rc 0, or a negative errno with a message in @p err (the file cannot
 *         be read, or is over 1 GiB)
 */
int journal_read(const char *path, json_t **records, size_t *torn,
                 struct buf *skipped, struct buf *err);

#endif
