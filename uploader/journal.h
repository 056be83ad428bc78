/* SPDX-License-Identifier: MIT */
/** @file The change journal: what every server booted before we touched it.
 *
 * JSON Lines, appended, one line per event, each written with one write()
 * and fsync()'d (the directory too when the file is new) before the call
 * it announces is made.  A change is two events: "intent", written before
 * the PUT, holding the server's previous bootScript and bootId and the new
 * script's SHA-256; then "verified" or "failed" once the result is known.
 * Rollback and --resume read it back.  It never holds a secret.
 */
#ifndef IPXETOOL_UPLOADER_JOURNAL_H
#define IPXETOOL_UPLOADER_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct buf;

/** An open journal, for appending. */
struct journal {
    int fd;       /**< O_APPEND descriptor, -1 when closed */
    char *path;   /**< its path (owned) */
    char run[96]; /**< this process's run id, in every record */
};

/** The state of a server's boot, as read from or written to the API. */
struct boot_state {
    char *script;       /**< bootScript bytes (owned), NULL when null */
    size_t script_len;  /**< their length */
    long long boot_id;  /**< bootId, or -1 when null */
};

/**
 * The default path: $XDG_STATE_HOME/ipxekit/journal.jsonl, or
 * ~/.local/state/ipxekit/journal.jsonl.  @ret rc 0, -ENOENT if neither
 * XDG_STATE_HOME nor HOME is set, -ENOMEM.
 */
int journal_default_path(struct buf *out);

/** Open (creating directories 0700 and the file 0600) for appending.
 *  @ret rc 0 or a negative errno, with a message in @p err. */
int journal_open(struct journal *j, const char *path, struct buf *err);

/** Close; NULL-safe on a closed journal. */
void journal_close(struct journal *j);

/**
 * Append one event and make it durable.  @p rec is completed with
 * "version", "time" and "run" and borrowed otherwise.
 * @ret rc 0 or a negative errno (the caller must then not go on).
 */
int journal_append(struct journal *j, json_t *rec);

/**
 * Read every record of @p path in order into a new JSON array (caller
 * decrefs).  A last line cut short by a crash is skipped and counted in
 * @p torn; a malformed line elsewhere is an error.
 */
int journal_read(const char *path, json_t **records, size_t *torn,
                 struct buf *err);

/** A JSON value for a boot state: {"bootScript": ..., "bootId": ...}. */
json_t *boot_state_json(const struct boot_state *s);

/** Read a boot state from {"bootScript", "bootId"}.  @ret rc 0,
 *  -EINVAL if the shape is wrong, -ENOMEM. */
int boot_state_from_json(struct boot_state *s, json_t *obj);

/** Free the script; the state is left null. */
void boot_state_release(struct boot_state *s);

/** Whether two states are the same, byte for byte. */
bool boot_state_equal(const struct boot_state *a, const struct boot_state *b);

#endif
