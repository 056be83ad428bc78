/* SPDX-License-Identifier: MIT */
/** @file The change journal. */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "readfile.h"

/* A journal larger than this is not read: it cannot be one of ours. */
#define JOURNAL_MAX_FILE (1u << 30)

int journal_default_path(struct buf *out)
{
    const char *xdg = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");

    /* XDG base directory spec: a relative XDG_STATE_HOME is ignored. */
    if (xdg && xdg[0] == '/')
        return buf_addf(out, "%s/ipxekit/journal.jsonl", xdg) ? -ENOMEM : 0;
    if (!home || !*home)
        return -ENOENT;
    return buf_addf(out, "%s/.local/state/ipxekit/journal.jsonl", home)
               ? -ENOMEM
               : 0;
}

/* mkdir -p of the directory part of @p path, mode 0700. */
static int make_parents(const char *path)
{
    char *dir = strdup(path), *p;

    if (!dir)
        return -ENOMEM;
    for (p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) && errno != EEXIST) {
            int rc = -errno;
            free(dir);
            return rc;
        }
        *p = '/';
    }
    free(dir);
    return 0;
}

/* fsync the directory holding @p path, so a new file's name is durable. */
static int sync_dir(const char *path)
{
    char *dir = strdup(path), *slash;
    const char *name = dir;
    int fd, rc = 0;

    if (!dir)
        return -ENOMEM;
    slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        name = ".";
    fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd))
        rc = -errno;
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

/* Remove a cut-short last line: the bytes after the last newline.  Only
 * with the write lock held (lock_journal()): every record is written
 * whole under it, so what follows the last newline is never a record in
 * progress but what a run killed in the middle of a write left, and a
 * record appended after it would be glued to it.  @ret the bytes removed,
 * or a negative errno. */
static off_t repair_tail(int fd)
{
    char chunk[4096];
    off_t size, pos, keep = 0;
    ssize_t n, i;

    size = lseek(fd, 0, SEEK_END);
    if (size < 0)
        return -errno;
    if (size == 0)
        return 0;
    if (pread(fd, chunk, 1, size - 1) != 1)
        return -EIO;
    if (chunk[0] == '\n')
        return 0;
    /* Back from the end to the last newline. */
    for (pos = size; pos > 0 && !keep; pos -= n) {
        n = pos < (off_t)sizeof(chunk) ? (ssize_t)pos : (ssize_t)sizeof(chunk);
        if (pread(fd, chunk, (size_t)n, pos - n) != n)
            return -EIO;
        for (i = n; i-- > 0;)
            if (chunk[i] == '\n') {
                keep = pos - n + i + 1;
                break;
            }
    }
    if (ftruncate(fd, keep) || fsync(fd))
        return -errno;
    return size - keep;
}

/* Take the journal's write lock: one writer at a time, across runs (an
 * exclusive flock on the journal itself, held while a record is written
 * and made durable), and remove what a killed writer left after the last
 * newline.  @ret the bytes removed, or a negative errno (not locked). */
static off_t lock_journal(int fd)
{
    off_t torn;

    while (flock(fd, LOCK_EX)) {
        /* A file system without locks: write anyway, one write() per
         * record with O_APPEND, but never cut what may be another run's
         * record in progress. */
        if (errno == ENOLCK || errno == EOPNOTSUPP || errno == ENOSYS ||
            errno == EINVAL)
            return 0;
        if (errno != EINTR)
            return -errno;
    }
    torn = repair_tail(fd);
    if (torn < 0)
        (void)flock(fd, LOCK_UN);
    return torn;
}

static void unlock_journal(int fd)
{
    (void)flock(fd, LOCK_UN);
}

/* The UTC time now into @p tm; the milliseconds are returned. */
static long utc_now(struct tm *tm)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, tm);
    return ts.tv_nsec / 1000000;
}

int journal_open(struct journal *j, const char *path, struct buf *err)
{
    struct tm tm;
    long ms;
    bool existed;
    off_t torn;
    int rc;

    j->fd = -1;
    j->w = NULL;
    j->torn = 0;
    j->path = strdup(path);
    if (!j->path)
        return -ENOMEM;
    rc = make_parents(path);
    if (rc)
        goto fail;
    existed = access(path, F_OK) == 0;
    /* Read-write: repair_tail() reads the end.  Not through a symbolic
     * link: one planted there would send the records elsewhere. */
    j->fd =
        open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (j->fd < 0) {
        rc = -errno;
        if (rc == -ELOOP) {
            if (buf_addf(err,
                         "cannot open the journal '%s': it is a symbolic "
                         "link; give the file itself",
                         path))
                rc = -ENOMEM;
            journal_close(j);
            return rc;
        }
        goto fail;
    }
    if (!existed) {
        rc = sync_dir(path);
        if (rc)
            goto fail;
    }
    torn = lock_journal(j->fd);
    if (torn < 0) {
        rc = (int)torn;
        goto fail;
    }
    unlock_journal(j->fd);
    j->torn = (size_t)torn;
    /* The run id: UTC time and pid, unique enough to group one run. */
    ms = utc_now(&tm);
    snprintf(j->run, sizeof(j->run), "%04d%02d%02dT%02d%02d%02d.%03ldZ-%ld",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, ms, (long)getpid());
    return 0;
fail:
    /* The error stands; a message that cannot be said is out of memory. */
    if (buf_addf(err, "cannot open the journal '%s': %s", path, strerror(-rc)))
        rc = -ENOMEM;
    journal_close(j);
    return rc;
}

void journal_close(struct journal *j)
{
    journal_writer_stop(j);
    if (j->fd >= 0)
        close(j->fd);
    j->fd = -1;
    free(j->path);
    j->path = NULL;
}

/* Complete @p rec and serialise it as one line, newline included; the
 * caller frees *line. */
static int journal_line(struct journal *j, json_t *rec, char **line,
                        size_t *len)
{
    char stamp[96];
    struct tm tm;
    long ms = utc_now(&tm);

    snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, ms);
    if (json_object_set_new(rec, "version", json_integer(1)) ||
        json_object_set_new(rec, "time", json_string(stamp)) ||
        json_object_set_new(rec, "run", json_string(j->run)))
        return -ENOMEM;
    /* Keys sorted, so records diff well; ASCII so any tool reads them. */
    *line = json_dumps(rec, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS);
    if (!*line)
        return -ENOMEM;
    *len = strlen(*line);
    (*line)[(*len)++] = '\n'; /* replaces the NUL: the buffer is len+1 */
    return 0;
}

/* Write all of @p data (a short write continues), then fsync; the
 * caller holds the write lock. */
static int write_locked(int fd, const char *data, size_t len)
{
    size_t off = 0;
    ssize_t n;

    while (off < len) {
        n = write(fd, data + off, len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        off += (size_t)n;
    }
    if (fsync(fd))
        return -errno;
    return 0;
}

/* Write all of @p data with O_APPEND (a short write continues), then
 * fsync, holding the write lock throughout: records of two runs never
 * interleave, and none follows a line cut short. */
static int write_durably(int fd, const char *data, size_t len)
{
    off_t torn = lock_journal(fd);
    int rc;

    if (torn < 0)
        return (int)torn;
    rc = write_locked(fd, data, len);
    unlock_journal(fd);
    return rc;
}

int journal_append(struct journal *j, json_t *rec)
{
    char *line;
    size_t len;
    int rc;

    rc = journal_line(j, rec, &line, &len);
    if (rc)
        return rc;
    rc = write_durably(j->fd, line, len);
    free(line);
    return rc;
}

/* Group commit --------------------------------------------------------- */

/** A queued record's callback. */
struct journal_wait {
    journal_done_fn fn;        /**< called when done, or NULL */
    void *ctx;                 /**< its argument */
    int rc;                    /**< the outcome */
    struct journal_wait *next; /**< next in its list */
};

/** A list of waits, in queue order. */
struct wait_list {
    struct journal_wait *head;  /**< first, or NULL */
    struct journal_wait **tail; /**< where the next one goes */
};

struct journal_writer {
    pthread_t thread;       /**< the writer thread */
    pthread_mutex_t lock;   /**< guards everything below but pending */
    pthread_cond_t wake;    /**< records queued, or stop */
    int fd;                 /**< the journal's descriptor (borrowed) */
    struct buf queued;      /**< lines not yet taken by the thread */
    struct wait_list waits; /**< their callbacks */
    struct wait_list done;  /**< callbacks of written lines */
    bool stop;              /**< stop once the queue is empty */
    int pipe[2];            /**< the thread writes a byte when done */
    size_t pending;         /**< records not yet dispatched (main thread) */
};

static void wait_list_init(struct wait_list *l)
{
    l->head = NULL;
    l->tail = &l->head;
}

/* Move every wait of @p from to the end of @p to. */
static void wait_list_splice(struct wait_list *to, struct wait_list *from)
{
    if (!from->head)
        return;
    *to->tail = from->head;
    to->tail = from->tail;
    wait_list_init(from);
}

static void wait_list_free(struct wait_list *l)
{
    struct journal_wait *w, *next;

    for (w = l->head; w; w = next) {
        next = w->next;
        free(w);
    }
    wait_list_init(l);
}

/* The thread: take what is queued, write and fsync it, hand the callbacks
 * back, and again, until stopped with nothing left. */
static void *writer_main(void *arg)
{
    struct journal_writer *w = arg;
    struct buf batch;
    struct wait_list waits;
    struct journal_wait *it;
    int rc;

    buf_init(&batch, BUF_MAX_UNLIMITED);
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->waits.head && !w->stop)
            pthread_cond_wait(&w->wake, &w->lock);
        if (!w->waits.head)
            break;
        /* Swap the queue for the empty batch: appends go on meanwhile. */
        batch = w->queued;
        buf_init(&w->queued, BUF_MAX_UNLIMITED);
        wait_list_init(&waits);
        wait_list_splice(&waits, &w->waits);
        pthread_mutex_unlock(&w->lock);

        rc = write_durably(w->fd, batch.data, batch.len);
        buf_release(&batch);
        for (it = waits.head; it; it = it->next)
            it->rc = rc;

        pthread_mutex_lock(&w->lock);
        wait_list_splice(&w->done, &waits);
        /* Wake the main loop; a full pipe already says so. */
        while (write(w->pipe[1], "", 1) < 0 && errno == EINTR)
            ;
    }
    pthread_mutex_unlock(&w->lock);
    buf_release(&batch);
    return NULL;
}

int journal_writer_start(struct journal *j)
{
    struct journal_writer *w;
    int rc;

    if (j->w)
        return 0;
    w = calloc(1, sizeof(*w));
    if (!w)
        return -ENOMEM;
    w->fd = j->fd;
    buf_init(&w->queued, BUF_MAX_UNLIMITED);
    wait_list_init(&w->waits);
    wait_list_init(&w->done);
    if (pipe(w->pipe)) {
        rc = -errno;
        goto err_pipe;
    }
    /* Neither end may block: the thread only signals, the loop drains. */
    for (int i = 0; i < 2; i++)
        if (fcntl(w->pipe[i], F_SETFD, FD_CLOEXEC) ||
            fcntl(w->pipe[i], F_SETFL, O_NONBLOCK)) {
            rc = -errno;
            goto err_mutex;
        }
    rc = -pthread_mutex_init(&w->lock, NULL);
    if (rc)
        goto err_mutex;
    rc = -pthread_cond_init(&w->wake, NULL);
    if (rc)
        goto err_cond;
    rc = -pthread_create(&w->thread, NULL, writer_main, w);
    if (rc)
        goto err_thread;
    j->w = w;
    return 0;
err_thread:
    pthread_cond_destroy(&w->wake);
err_cond:
    pthread_mutex_destroy(&w->lock);
err_mutex:
    close(w->pipe[0]);
    close(w->pipe[1]);
err_pipe:
    free(w);
    return rc;
}

void journal_writer_stop(struct journal *j)
{
    struct journal_writer *w = j->w;

    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    wait_list_free(&w->done);
    buf_release(&w->queued);
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
    close(w->pipe[0]);
    close(w->pipe[1]);
    free(w);
    j->w = NULL;
}

int journal_writer_fd(const struct journal *j)
{
    return j->w ? j->w->pipe[0] : -1;
}

int journal_append_async(struct journal *j, json_t *rec, journal_done_fn fn,
                         void *ctx)
{
    struct journal_writer *w = j->w;
    struct journal_wait *wait;
    char *line;
    size_t len;
    int rc;

    if (!w) {
        rc = journal_append(j, rec);
        if (rc == -ENOMEM)
            return rc;
        if (fn)
            fn(ctx, rc);
        return 0;
    }
    wait = calloc(1, sizeof(*wait));
    if (!wait)
        return -ENOMEM;
    rc = journal_line(j, rec, &line, &len);
    if (rc) {
        free(wait);
        return rc;
    }
    wait->fn = fn;
    wait->ctx = ctx;
    pthread_mutex_lock(&w->lock);
    rc = buf_add(&w->queued, line, len);
    if (!rc) {
        *w->waits.tail = wait;
        w->waits.tail = &wait->next;
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    free(line);
    if (rc) {
        free(wait);
        return rc;
    }
    w->pending++;
    return 0;
}

void journal_dispatch(struct journal *j)
{
    struct journal_writer *w = j->w;
    struct wait_list done;
    struct journal_wait *it, *next;
    char drain[64];

    if (!w)
        return;
    while (read(w->pipe[0], drain, sizeof(drain)) > 0)
        ;
    wait_list_init(&done);
    pthread_mutex_lock(&w->lock);
    wait_list_splice(&done, &w->done);
    pthread_mutex_unlock(&w->lock);
    /* A callback may queue more; they are dispatched on a later call. */
    for (it = done.head; it; it = next) {
        next = it->next;
        w->pending--;
        if (it->fn)
            it->fn(it->ctx, it->rc);
        free(it);
    }
}

bool journal_busy(const struct journal *j)
{
    return j->w && j->w->pending > 0;
}

/* How many skipped lines journal_read() describes; the rest are counted. */
#define JOURNAL_SKIPS_SHOWN 10

/* Where a glued record is looked for in a bad line: at most this many
 * '{"' (a record has three objects), so a long line of garbage costs a
 * few parses, not one per byte. */
#define JOURNAL_GLUE_TRIES 16

/* Append to @p out "; it names server NAME" if the bad line [@p p, @p end)
 * holds "server":"NAME" with a name made of what server names are made
 * of (so nothing else from the line reaches a terminal). */
static int name_server(const char *p, const char *end, struct buf *out)
{
    static const char key[] = "\"server\":\"";
    const char *s, *q;

    for (s = p; (size_t)(end - s) > sizeof(key) - 1; s++) {
        if (memcmp(s, key, sizeof(key) - 1))
            continue;
        s += sizeof(key) - 1;
        for (q = s; q < end && q - s < 253 &&
                    ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
                     (*q >= '0' && *q <= '9') || *q == '.' || *q == '-');
             q++)
            ;
        if (q == s || q == end || *q != '"')
            return 0;
        return buf_addf(out, "; it names server %.*s", (int)(q - s), s);
    }
    return 0;
}

/* A whole record glued after a cut one on the line [@p p, @p end) (a run
 * killed in the middle of a write, then a record appended after it by a
 * version that did not repair the cut): the first '{"' after the start
 * from which the rest of the line is one record.  NULL if none. */
static json_t *glued_record(const char *p, const char *end, size_t *cut)
{
    const char *q;
    json_t *rec;
    int tries = 0;

    for (q = p + 1; q + 1 < end && tries < JOURNAL_GLUE_TRIES; q++) {
        if (q[0] != '{' || q[1] != '"')
            continue;
        tries++;
        rec = json_loadb(q, (size_t)(end - q), 0, NULL);
        if (json_is_object(rec) && json_object_get(rec, "event") &&
            json_object_get(rec, "version")) {
            *cut = (size_t)(q - p);
            return rec;
        }
        json_decref(rec);
    }
    return NULL;
}

int journal_read(const char *path, json_t **records, size_t *torn,
                 struct buf *skipped, struct buf *err)
{
    struct buf text;
    size_t lineno = 0, bad = 0, cut;
    const char *p, *end, *eol;
    json_error_t jerr;
    json_t *arr, *rec;
    FILE *f;
    int rc = 0;

    *records = NULL;
    *torn = 0;
    f = fopen(path, "r");
    if (!f) {
        rc = -errno;
        if (buf_addf(err, "cannot read the journal '%s': %s", path,
                     strerror(-rc)))
            rc = -ENOMEM;
        return rc;
    }
    buf_init(&text, JOURNAL_MAX_FILE);
    rc = readfile_stream(f, &text);
    if (rc == -EIO) {
        /* A journal read in part would roll back or skip the wrong
         * servers: say so rather than act on what was read. */
        if (buf_addf(err, "cannot read the journal '%s': %s", path,
                     strerror(errno)))
            rc = -ENOMEM;
        goto out;
    }
    if (rc) {
        if (buf_addf(err, "the journal '%s' is too large", path))
            rc = -ENOMEM;
        goto out;
    }
    arr = json_array();
    if (!arr) {
        rc = -ENOMEM;
        goto out;
    }
    for (p = text.data, end = text.data + text.len; p < end; p = eol + 1) {
        lineno++;
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) {
            /* No newline: the last write was cut short by a crash. */
            (*torn)++;
            break;
        }
        if (eol == p)
            continue;
        rec = json_loadb(p, (size_t)(eol - p), 0, &jerr);
        if (json_is_object(rec)) {
            if (json_array_append_new(arr, rec))
                rc = -ENOMEM;
        } else {
            /* One bad line must not cost the others: skip it, say so. */
            bool shown = bad++ < JOURNAL_SKIPS_SHOWN;
            bool json = rec != NULL;
            json_decref(rec);
            rec = glued_record(p, eol, &cut);
            if (rec && json_array_append_new(arr, rec))
                rc = -ENOMEM;
            else if (rec && shown)
                rc = buf_addf(skipped,
                              "%s:%zu: a record cut short (%zu bytes, never "
                              "durable, so never acted on) runs into the next "
                              "one: the cut part is skipped, the record after "
                              "it is kept\n",
                              path, lineno, cut);
            else if (shown) {
                rc = json ? buf_addf(skipped,
                                     "%s:%zu: not a journal record (JSON, "
                                     "but not an object), skipped",
                                     path, lineno)
                          : buf_addf(skipped,
                                     "%s:%zu: not a journal record (not "
                                     "JSON: %s at byte %d), skipped",
                                     path, lineno,
                                     eol - p > jerr.position ? "invalid"
                                                             : "cut short",
                                     jerr.position + 1);
                if (!rc)
                    rc = name_server(p, eol, skipped);
                if (!rc)
                    rc = buf_addch(skipped, '\n');
            }
        }
        if (rc) {
            json_decref(arr);
            goto out;
        }
    }
    if (bad > JOURNAL_SKIPS_SHOWN)
        rc = buf_addf(skipped,
                      "%s: %zu more lines that are not records, "
                      "skipped\n",
                      path, bad - JOURNAL_SKIPS_SHOWN);
    if (rc) {
        json_decref(arr);
        goto out;
    }
    *records = arr;
out:
    buf_release(&text);
    fclose(f);
    return rc;
}
