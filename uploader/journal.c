/* SPDX-License-Identifier: MIT */
/** @file The change journal. */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"

/* A journal line longer than this cannot be one of ours. */
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
    int fd, rc = 0;

    if (!dir)
        return -ENOMEM;
    slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd))
        rc = -errno;
    if (fd >= 0)
        close(fd);
    free(dir);
    return rc;
}

int journal_open(struct journal *j, const char *path, struct buf *err)
{
    struct timespec ts;
    struct tm tm;
    bool existed;
    int rc;

    j->fd = -1;
    j->path = strdup(path);
    if (!j->path)
        return -ENOMEM;
    rc = make_parents(path);
    if (rc)
        goto fail;
    existed = access(path, F_OK) == 0;
    j->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (j->fd < 0) {
        rc = -errno;
        goto fail;
    }
    if (!existed) {
        rc = sync_dir(path);
        if (rc)
            goto fail;
    }
    /* The run id: UTC time and pid, unique enough to group one run. */
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(j->run, sizeof(j->run), "%04d%02d%02dT%02d%02d%02d.%03ldZ-%ld",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, (long)getpid());
    return 0;
fail:
    buf_addf(err, "cannot open the journal '%s': %s", path, strerror(-rc));
    journal_close(j);
    return rc;
}

void journal_close(struct journal *j)
{
    if (j->fd >= 0)
        close(j->fd);
    j->fd = -1;
    free(j->path);
    j->path = NULL;
}

int journal_append(struct journal *j, json_t *rec)
{
    char stamp[96];
    struct timespec ts;
    struct tm tm;
    char *line;
    size_t len, off = 0;
    ssize_t n;
    int rc = 0;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
    if (json_object_set_new(rec, "version", json_integer(1)) ||
        json_object_set_new(rec, "time", json_string(stamp)) ||
        json_object_set_new(rec, "run", json_string(j->run)))
        return -ENOMEM;
    /* Keys sorted, so records diff well; ASCII so any tool reads them. */
    line = json_dumps(rec, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS);
    if (!line)
        return -ENOMEM;
    len = strlen(line);
    line[len++] = '\n'; /* replaces the NUL: the buffer is len+1 long */

    /* One write() per record with O_APPEND; a short write continues. */
    while (off < len) {
        n = write(j->fd, line + off, len - off);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            break;
        }
        off += (size_t)n;
    }
    if (!rc && fsync(j->fd))
        rc = -errno;
    free(line);
    return rc;
}

int journal_read(const char *path, json_t **records, size_t *torn,
                 struct buf *err)
{
    struct buf text;
    char chunk[65536];
    size_t n, lineno = 0;
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
        buf_addf(err, "cannot read the journal '%s': %s", path,
                 strerror(errno));
        return rc;
    }
    buf_init(&text, JOURNAL_MAX_FILE);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        rc = buf_add(&text, chunk, n);
        if (rc) {
            buf_addf(err, "the journal '%s' is too large", path);
            goto out;
        }
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
        if (!json_is_object(rec)) {
            json_decref(rec);
            buf_addf(err, "%s:%zu: not a journal record", path, lineno);
            json_decref(arr);
            rc = -EINVAL;
            goto out;
        }
        json_array_append_new(arr, rec);
    }
    *records = arr;
out:
    buf_release(&text);
    fclose(f);
    return rc;
}

json_t *boot_state_json(const struct boot_state *s)
{
    json_t *script = s->script ? json_stringn(s->script, s->script_len)
                               : json_null();
    json_t *id = s->boot_id >= 0 ? json_integer(s->boot_id) : json_null();

    return json_pack("{s:o, s:o}", "bootScript", script, "bootId", id);
}

int boot_state_from_json(struct boot_state *s, json_t *obj)
{
    json_t *script = json_object_get(obj, "bootScript");
    json_t *id = json_object_get(obj, "bootId");

    memset(s, 0, sizeof(*s));
    s->boot_id = -1;
    if (!json_is_object(obj))
        return -EINVAL;
    if (json_is_integer(id))
        s->boot_id = (long long)json_integer_value(id);
    else if (id && !json_is_null(id))
        return -EINVAL;
    if (json_is_string(script)) {
        s->script_len = json_string_length(script);
        s->script = malloc(s->script_len + 1);
        if (!s->script)
            return -ENOMEM;
        memcpy(s->script, json_string_value(script), s->script_len + 1);
    } else if (script && !json_is_null(script)) {
        return -EINVAL;
    }
    return 0;
}

void boot_state_release(struct boot_state *s)
{
    free(s->script);
    s->script = NULL;
    s->script_len = 0;
    s->boot_id = -1;
}

bool boot_state_equal(const struct boot_state *a, const struct boot_state *b)
{
    if (a->boot_id != b->boot_id || !a->script != !b->script)
        return false;
    if (!a->script)
        return true;
    return a->script_len == b->script_len &&
           memcmp(a->script, b->script, a->script_len) == 0;
}
