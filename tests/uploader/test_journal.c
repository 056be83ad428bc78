/* SPDX-License-Identifier: MIT */
/** @file The journal under damage and sharing: a bad line in the middle
 *  costs only itself; a line cut short by a killed run is never followed
 *  by a record, even while another run has the journal open; runs writing
 *  at once never interleave their records. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "journal.h"
#include "test.h"

static char dir[] = "/tmp/ipxekit-journal-XXXXXX";
static char path[300];

/* A record as the engine writes it: an intent for @p server, whose
 * previous script is @p script_len bytes. */
static json_t *intent(const char *server, size_t script_len)
{
    char *script = malloc(script_len + 1);
    json_t *rec;

    if (!script)
        return NULL;
    memset(script, 'x', script_len);
    script[script_len] = '\0';
    rec = json_pack("{s:s, s:s, s:s, s:s, s:{s:s, s:n}}", "event", "intent",
                    "op", "push", "endpoint", "ovh-eu", "server", server,
                    "previous", "bootScript", script, "bootId");
    free(script);
    return rec;
}

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};

    nanosleep(&ts, NULL);
}

static void append_raw(const char *text)
{
    int fd = open(path, O_WRONLY | O_APPEND);

    check(fd >= 0);
    if (fd < 0)
        return;
    check(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
    close(fd);
}

/* Read the journal; the records' servers, joined by spaces, into @p out. */
static int read_servers(struct buf *out, struct buf *skipped, size_t *torn)
{
    struct buf err;
    json_t *recs, *rec;
    size_t k;
    int rc;

    buf_init(&err, 4096);
    rc = journal_read(path, &recs, torn, skipped, &err);
    if (rc)
        fprintf(stderr, "journal_read: %s\n", err.data);
    buf_release(&err);
    if (rc)
        return rc;
    json_array_foreach(recs, k, rec) {
        const char *s = json_string_value(json_object_get(rec, "server"));
        if (buf_addf(out, "%s%s", k ? " " : "", s ? s : "?"))
            rc = -ENOMEM;
    }
    json_decref(recs);
    return rc;
}

static void append(struct journal *j, const char *server)
{
    json_t *rec = intent(server, 10);

    check(rec && journal_append(j, rec) == 0);
    json_decref(rec);
}

/* A run killed in the middle of a write while another run had the
 * journal open: the next record must not be glued to the cut line. */
static void test_cut_while_shared(void)
{
    struct journal a, b;
    struct buf err, got, skipped;
    size_t torn = 0;

    unlink(path);
    buf_init(&err, 4096);
    buf_init(&got, BUF_MAX_UNLIMITED);
    buf_init(&skipped, BUF_MAX_UNLIMITED);
    check(journal_open(&a, path, &err) == 0);
    append(&a, "a1.example");
    /* A third run, killed in the middle of its record. */
    append_raw("{\"endpoint\":\"ovh-eu\",\"event\":\"intent\",\"server\":\"ki");
    check(journal_open(&b, path, &err) == 0);
    append(&b, "b1.example");
    append(&a, "a2.example");
    journal_close(&b);
    journal_close(&a);
    check(read_servers(&got, &skipped, &torn) == 0);
    check_streq(got.data, "a1.example b1.example a2.example");
    check_streq(skipped.data, "");
    check(torn == 0);
    buf_release(&err);
    buf_release(&got);
    buf_release(&skipped);
}

/* Garbage in the middle: skipped and named; everything else read. */
static void test_bad_lines(void)
{
    struct journal j;
    struct buf err, got, skipped;
    size_t torn = 0;
    char want[2000];

    unlink(path);
    buf_init(&err, 4096);
    buf_init(&got, BUF_MAX_UNLIMITED);
    buf_init(&skipped, BUF_MAX_UNLIMITED);
    check(journal_open(&j, path, &err) == 0);
    append(&j, "s1.example");
    journal_close(&j);
    /* 2: garbage naming a server; 3: JSON, not an object; 4: a cut record
     * with a whole one glued after it (as earlier versions could write). */
    append_raw(
        "{\"event\":\"intent\",\"server\":\"s9.example\",\"prev\x01\x1b[2J\n"
        "[1,2]\n"
        "{\"event\":\"intent\",\"new\":{\"bootScriptSha256\":\"ab"
        "{\"event\":\"verified\",\"server\":\"s2.example\","
        "\"version\":1}\n");
    check(journal_open(&j, path, &err) == 0);
    append(&j, "s3.example");
    journal_close(&j);
    append_raw("{\"event\":\"intent\",\"server\":\"torn.example\"");
    check(read_servers(&got, &skipped, &torn) == 0);
    check_streq(got.data, "s1.example s2.example s3.example");
    check(torn == 1);
    snprintf(want, sizeof(want),
             "%s:2: not a journal record (not JSON: invalid at byte 46), "
             "skipped; it names server s9.example\n"
             "%s:3: not a journal record (JSON, but not an object), skipped\n"
             "%s:4: a record cut short (47 bytes, never durable, so never "
             "acted on) runs into the next one: the cut part is skipped, the "
             "record after it is kept\n",
             path, path, path);
    check_streq(skipped.data, want);
    /* Nothing of the garbage reaches the message but the server name. */
    check(!strchr(skipped.data, '\x1b') && !strchr(skipped.data, '\x01'));
    buf_release(&err);
    buf_release(&got);
    buf_release(&skipped);
}

/* Many bad lines: the first ten named, the rest counted. */
static void test_many_bad_lines(void)
{
    struct buf got, skipped;
    size_t torn = 0;
    int i, lines = 0;
    const char *p;

    unlink(path);
    close(open(path, O_WRONLY | O_CREAT, 0600));
    for (i = 0; i < 25; i++)
        append_raw("garbage\n");
    buf_init(&got, BUF_MAX_UNLIMITED);
    buf_init(&skipped, BUF_MAX_UNLIMITED);
    check(read_servers(&got, &skipped, &torn) == 0);
    check_streq(got.data, "");
    for (p = skipped.data; *p; p++)
        lines += *p == '\n';
    check(lines == 11);
    check(strstr(skipped.data, ": 15 more lines that are not records, "
                               "skipped\n") != NULL);
    buf_release(&got);
    buf_release(&skipped);
}

/* Runs writing at once, some records large (a write() of them may be
 * short), and runs killed in the middle of a record while the others
 * write: every record of the survivors is read back whole, no line is
 * bad, and at most the very last line is a cut one. */
#define WRITERS 3
#define RECORDS 100
static void test_concurrent(void)
{
    struct buf got, skipped;
    pid_t pid[WRITERS + 2];
    size_t torn = 0, count[WRITERS] = {0};
    const char *p;
    int i, k, status;

    unlink(path);
    for (i = 0; i < WRITERS + 2; i++) {
        pid[i] = fork();
        if (pid[i] == 0) {
            struct journal j;
            struct buf err;
            char server[64];
            buf_init(&err, 4096);
            if (journal_open(&j, path, &err))
                _exit(2);
            if (i >= WRITERS) {
                /* Killed while writing: the lock is held, as a real
                 * writer holds it, and the record is cut. */
                sleep_us(20000L * (i - WRITERS + 1));
                if (flock(j.fd, LOCK_EX) ||
                    write(j.fd, "{\"event\":\"intent\",\"ser", 22) != 22)
                    _exit(3);
                _exit(0);
            }
            if (i == 0)
                journal_writer_start(&j);
            for (k = 0; k < RECORDS; k++) {
                json_t *rec = intent("x", (size_t)(k % 5) * 30000 + 1);
                snprintf(server, sizeof(server), "w%d-%d.example", i, k);
                json_object_set_new(rec, "server", json_string(server));
                if (journal_append_async(&j, rec, NULL, NULL))
                    _exit(4);
                json_decref(rec);
                while (journal_busy(&j)) {
                    sleep_us(100);
                    journal_dispatch(&j);
                }
            }
            journal_close(&j);
            _exit(0);
        }
        check(pid[i] > 0);
    }
    for (i = 0; i < WRITERS + 2; i++) {
        check(waitpid(pid[i], &status, 0) == pid[i]);
        check(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    buf_init(&got, BUF_MAX_UNLIMITED);
    buf_init(&skipped, BUF_MAX_UNLIMITED);
    check(read_servers(&got, &skipped, &torn) == 0);
    check_streq(skipped.data, "");
    check(torn <= 1);
    /* Every writer's records, each once, in its own order. */
    for (p = got.data; *p;) {
        int w, n, used = 0;
        if (sscanf(p, "w%d-%d.example%n", &w, &n, &used) != 2 || w < 0 ||
            w >= WRITERS) {
            check(!"a record of no writer");
            break;
        }
        check((size_t)n == count[w]);
        count[w]++;
        p += used;
        while (*p == ' ')
            p++;
    }
    for (i = 0; i < WRITERS; i++)
        check(count[i] == RECORDS);
    buf_release(&got);
    buf_release(&skipped);
}

/* A symbolic link where the journal goes is not followed. */
static void test_link(void)
{
    struct journal j;
    struct buf err;
    char target[320];
    struct stat st;

    snprintf(target, sizeof(target), "%s/elsewhere", dir);
    unlink(path);
    check(symlink(target, path) == 0);
    buf_init(&err, 4096);
    check(journal_open(&j, path, &err) == -ELOOP);
    check(strstr(err.data, "is a symbolic link") != NULL);
    check(lstat(target, &st) != 0);
    unlink(path);
    buf_release(&err);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof(path), "%s/journal.jsonl", dir);
    test_cut_while_shared();
    test_bad_lines();
    test_many_bad_lines();
    test_concurrent();
    test_link();
    unlink(path);
    rmdir(dir);
    return test_failures ? 1 : 0;
}
