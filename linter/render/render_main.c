/* SPDX-License-Identifier: MIT */
/** @file ipxe-render: one safe iPXE script per server, from a template and
 *  an inventory (render.h does the work; this reads options, writes files
 *  atomically, compares for --check and prints the summary). */
/* syncfs(2): one flush for a batch of files instead of one fsync each */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diff.h"
#include "inventory.h"
#include "lint.h"
#include "render.h"
#include "safefile.h"

/** Exit codes, as ipxe-lint's. */
enum render_exit {
    EXIT_OK = 0,         /**< every selected host rendered (and matched) */
    EXIT_REFUSED = 1,    /**< a host was refused, or --check differs */
    EXIT_UNREADABLE = 2, /**< an input could not be read or written */
    EXIT_USAGE = 3,      /**< bad usage */
};

static const char usage_text[] =
    "Usage: ipxe-render [OPTION]... TEMPLATE INVENTORY\n"
    "Render one iPXE script per server from TEMPLATE (a strict subset of\n"
    "Jinja2) and INVENTORY (JSON: defaults, groups, hosts), refusing any\n"
    "script that would boot wrong: an undefined variable, a value that\n"
    "changes the script's structure, a script with lint errors.\n"
    "\n"
    "Where the scripts go (exactly one):\n"
    "  -o, --output=DIR      write DIR/<host>.ipxe for each host, atomically\n"
    "                        (a file already up to date is left alone)\n"
    "      --stdout          write the script of the one selected host to\n"
    "                        standard output\n"
    "      --check=DIR       render in memory and compare with "
    "DIR/<host>.ipxe;\n"
    "                        print a unified diff for each difference\n"
    "  -n, --dry-run         render and lint in memory, write nothing\n"
    "\n"
    "Which hosts, which values:\n"
    "      --host=PATTERN    only hosts named PATTERN, a service name or a\n"
    "                        glob such as 'ns*.ip-203-0-113.eu' (repeatable)\n"
    "      --set=KEY=VALUE   give every host KEY=VALUE, over the inventory;\n"
    "                        KEY may be dotted (ovh.bootMode); KEY:=JSON\n"
    "                        sets a JSON value (repeatable)\n"
    "      --platform=P      lint as efi, pcbios or any (default: from each\n"
    "                        host's boot_mode: uefi, legacy, else any)\n"
    "\n"
    "Limits (a host over one is refused, IPX4002):\n"
    "      --max-steps=N     the work rendering one host may take, in steps\n"
    "                        (an expression, a statement, a loop turn, or 64\n"
    "                        bytes of a value read; default 10000000)\n"
    "  A template over 1 MiB or an inventory over 16 MiB is refused before\n"
    "  it is read; a script may be 4 MiB.\n"
    "\n"
    "Reporting:\n"
    "  -q, --quiet           print refusals only, no summary\n"
    "  -v, --verbose         also print each host and its lint warnings\n"
    "  -h, --help            print this help and exit\n"
    "  -V, --version         print the version and exit\n"
    "\n"
    "The summary (on standard error) counts hosts rendered, unchanged and\n"
    "refused; a refused host's file is never written.\n"
    "\n"
    "Exit status: 0 every host rendered, 1 a host was refused or --check\n"
    "found a difference, 2 an input could not be read or an output written,\n"
    "3 bad usage.\n";

enum output_mode { MODE_NONE, MODE_DIR, MODE_STDOUT, MODE_CHECK, MODE_DRY };

struct render_opts {
    enum output_mode mode; /**< where scripts go */
    const char *dir;       /**< -o or --check directory */
    const char **hosts;    /**< --host patterns (borrowed from argv) */
    size_t nhosts;
    const char **sets; /**< --set KEY=VALUE (borrowed) */
    size_t nsets;
    int platform;               /**< LINT_PLATFORM_*, or -1 from boot_mode */
    uint64_t max_steps;         /**< --max-steps, or 0 for the default */
    bool quiet;                 /**< -q */
    bool verbose;               /**< -v */
    const char *template_path;  /**< TEMPLATE */
    const char *inventory_path; /**< INVENTORY */
};

enum {
    OPT_STDOUT = 256,
    OPT_CHECK,
    OPT_HOST,
    OPT_SET,
    OPT_PLATFORM,
    OPT_MAX_STEPS
};

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"stdout", no_argument, NULL, OPT_STDOUT},
    {"check", required_argument, NULL, OPT_CHECK},
    {"dry-run", no_argument, NULL, 'n'},
    {"host", required_argument, NULL, OPT_HOST},
    {"set", required_argument, NULL, OPT_SET},
    {"platform", required_argument, NULL, OPT_PLATFORM},
    {"max-steps", required_argument, NULL, OPT_MAX_STEPS},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/** What happened to the hosts. */
struct tally {
    size_t rendered;  /**< written (or, with --check, up to date) */
    size_t unchanged; /**< already up to date on disk (-o) */
    size_t differ;    /**< --check: not up to date */
    size_t refused;   /**< refused by the renderer */
    size_t failed;    /**< a file could not be read or written */
};

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "ipxe-render: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'ipxe-render --help' for more information.\n");
    return EXIT_USAGE;
}

static int set_mode(struct render_opts *o, enum output_mode mode,
                    const char *dir)
{
    if (o->mode != MODE_NONE)
        return usage_error("-o, --stdout, --check and --dry-run exclude "
                           "each other");
    o->mode = mode;
    o->dir = dir;
    return -1;
}

/* Remember @p arg in the growable list @p list. */
static int push_arg(const char ***list, size_t *n, const char *arg)
{
    const char **nl = realloc(*list, (*n + 1) * sizeof(*nl));

    if (!nl)
        return usage_error("out of memory");
    nl[(*n)++] = arg;
    *list = nl;
    return -1;
}

/* --max-steps=N: a whole number from 1 to 10^15 (about a day of work). */
static int parse_max_steps(struct render_opts *o, const char *arg)
{
    char *end;
    unsigned long long n;

    errno = 0;
    n = strtoull(arg, &end, 10);
    if (arg[0] < '0' || arg[0] > '9' || *end || errno || n < 1 ||
        n > 1000000000000000ULL)
        return usage_error("--max-steps: '%s' is not a number of steps from "
                           "1 to 1000000000000000",
                           arg);
    o->max_steps = n;
    return -1;
}

/* Parse the command line; -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, struct render_opts *o)
{
    int c, rc = -1;

    o->platform = -1;
    while (rc < 0 &&
           (c = getopt_long(argc, argv, "o:nqvhV", long_options, NULL)) != -1) {
        switch (c) {
        case 'o':
            rc = set_mode(o, MODE_DIR, optarg);
            break;
        case OPT_STDOUT:
            rc = set_mode(o, MODE_STDOUT, NULL);
            break;
        case OPT_CHECK:
            rc = set_mode(o, MODE_CHECK, optarg);
            break;
        case 'n':
            rc = set_mode(o, MODE_DRY, NULL);
            break;
        case OPT_HOST:
            rc = push_arg(&o->hosts, &o->nhosts, optarg);
            break;
        case OPT_SET:
            rc = push_arg(&o->sets, &o->nsets, optarg);
            break;
        case OPT_PLATFORM:
            if (strcmp(optarg, "efi") == 0)
                o->platform = LINT_PLATFORM_EFI;
            else if (strcmp(optarg, "pcbios") == 0)
                o->platform = LINT_PLATFORM_PCBIOS;
            else if (strcmp(optarg, "any") == 0)
                o->platform = LINT_PLATFORM_ANY;
            else
                rc = usage_error("--platform: '%s' is not efi, pcbios or "
                                 "any",
                                 optarg);
            break;
        case OPT_MAX_STEPS:
            rc = parse_max_steps(o, optarg);
            break;
        case 'q':
            o->quiet = true;
            break;
        case 'v':
            o->verbose = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_OK;
        case 'V':
            printf("ipxe-render %s\n", IPXEKIT_VERSION);
            return EXIT_OK;
        default:
            return usage_error("unknown option");
        }
    }
    if (rc >= 0)
        return rc;
    if (argc - optind != 2)
        return usage_error("expected a TEMPLATE and an INVENTORY");
    if (o->mode == MODE_NONE)
        return usage_error("say where the scripts go: -o DIR, --stdout, "
                           "--check DIR or --dry-run");
    o->template_path = argv[optind];
    o->inventory_path = argv[optind + 1];
    return -1;
}

/* ---- files ---- */

/* Read @p path whole; 0, -ENOENT, or another negative errno. */
static int read_file(const char *path, struct buf *b)
{
    char chunk[65536];
    FILE *f = fopen(path, "rb");
    size_t n;
    int rc = 0;

    if (!f)
        return -errno;
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = buf_add(b, chunk, n);
    if (!rc && ferror(f))
        rc = -EIO;
    fclose(f);
    return rc;
}

/* Write @p data to a new temporary file beside @p path (safefile: nothing
 * planted under its name is written through); its name is left in @p tmp.
 * The caller makes it durable, then renames it. */
static int write_temp(const char *path, const char *data, size_t len,
                      mode_t mode, struct buf *tmp)
{
    int fd, rc;

    fd = safefile_create(path, mode, tmp);
    if (fd < 0)
        return fd;
    rc = safefile_write_all(fd, data, len);
    if (close(fd) && !rc)
        rc = -errno;
    if (rc)
        unlink(tmp->data);
    return rc;
}

static int fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY), rc = 0;

    if (fd < 0)
        return -errno;
    if (fsync(fd))
        rc = -errno;
    close(fd);
    return rc;
}

/** Scripts written to temporary files, waiting to be renamed into place.
 *  A batch is made durable at once (syncfs, or an fsync per file where
 *  syncfs fails), then each file is renamed over the old script: a reader
 *  sees the old script or the new one, whole, even after a crash. */
struct pending {
    char *tmp[128];  /**< temporary files (malloc) */
    char *path[128]; /**< where each goes (malloc) */
    size_t n;        /**< how many */
    int dirfd;       /**< the output directory, for syncfs */
};

static void pending_flush(const struct render_opts *o, struct pending *p,
                          struct tally *t)
{
    size_t i;
    bool synced = p->n && p->dirfd >= 0 && syncfs(p->dirfd) == 0;

    for (i = 0; i < p->n; i++) {
        int rc = synced ? 0 : fsync_path(p->tmp[i]);
        if (!rc && rename(p->tmp[i], p->path[i]))
            rc = -errno;
        if (rc) {
            unlink(p->tmp[i]);
            fprintf(stderr, "ipxe-render: cannot write %s: %s\n", p->path[i],
                    strerror(-rc));
            t->failed++;
        } else {
            if (o->verbose)
                fprintf(stderr, "ipxe-render: wrote %s\n", p->path[i]);
            t->rendered++;
        }
        free(p->tmp[i]);
        free(p->path[i]);
    }
    p->n = 0;
}

/* Make the renames durable: fsync the directory itself. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* ---- one host at a time ---- */

/* Write or compare the script of @p host. */
static void deliver(const struct render_opts *o, const char *host,
                    const struct buf *script, mode_t mode, struct pending *p,
                    struct tally *t)
{
    struct buf path, old;
    int rc;

    if (o->mode == MODE_STDOUT) {
        fwrite(script->data, 1, script->len, stdout);
        t->rendered++;
        return;
    }
    if (o->mode == MODE_DRY) {
        t->rendered++;
        return;
    }
    buf_init(&path, BUF_MAX_UNLIMITED);
    buf_init(&old, BUF_MAX_UNLIMITED);
    rc = buf_addf(&path, "%s/%s.ipxe", o->dir, host);
    if (!rc)
        rc = read_file(path.data, &old);
    if (rc && rc != -ENOENT) {
        fprintf(stderr, "ipxe-render: %s: %s\n", path.data, strerror(-rc));
        t->failed++;
    } else if (!rc && old.len == script->len &&
               memcmp(old.data, script->data, old.len) == 0) {
        if (o->mode == MODE_CHECK)
            t->rendered++;
        else
            t->unchanged++;
    } else if (o->mode == MODE_CHECK) {
        struct buf name, diff;
        int drc;
        buf_init(&name, BUF_MAX_UNLIMITED);
        buf_init(&diff, BUF_MAX_UNLIMITED);
        drc = buf_addf(&name, "%s (rendered)", host);
        if (!drc)
            drc = diff_unified(old.data, old.len, script->data, script->len,
                               rc ? "/dev/null" : path.data, name.data, &diff);
        fflush(stdout);
        if (rc == -ENOENT)
            fprintf(stderr, "ipxe-render: %s is missing\n", path.data);
        if (drc)
            fprintf(stderr, "ipxe-render: %s: %s\n", host, strerror(-drc));
        else
            fwrite(diff.data, 1, diff.len, stdout);
        buf_release(&diff);
        buf_release(&name);
        t->differ++;
    } else {
        struct buf tmp;
        buf_init(&tmp, BUF_MAX_UNLIMITED);
        rc = write_temp(path.data, script->data, script->len, mode, &tmp);
        if (rc) {
            fprintf(stderr, "ipxe-render: cannot write %s: %s\n", path.data,
                    strerror(-rc));
            t->failed++;
        } else {
            p->tmp[p->n] = buf_detach(&tmp, NULL);
            p->path[p->n] = buf_detach(&path, NULL);
            if (!p->tmp[p->n] || !p->path[p->n]) {
                unlink(tmp.data);
                t->failed++;
            } else if (++p->n == sizeof(p->tmp) / sizeof(p->tmp[0])) {
                pending_flush(o, p, t);
            }
        }
        buf_release(&tmp);
    }
    buf_release(&path);
    buf_release(&old);
}

/* ---- rendering on every core ----
 *
 * Rendering a host (render_index_with(): merge its variables, render,
 * structure check, parse, lint) is nearly all of the time, and it only
 * reads the template and the inventory, so worker threads render batches
 * of consecutive selected hosts, each with its own scratch.  The main
 * thread reports the batches, in host order, so that printing, counting,
 * writing and comparing files happen exactly as with one thread, in the
 * same order.  A bounded ring of batches keeps memory flat in the number
 * of hosts. */

/* Hosts per batch: large enough that locking is rare, small enough that
 * the ring stays small. */
#define BATCH_HOSTS 32
/* The most worker threads. */
#define MAX_WORKERS 16

/** One host rendered, waiting to be reported. */
struct rendered {
    size_t host;       /* inventory index */
    int rc;            /* render_index_with()'s */
    size_t script_end; /* its script ends here in the batch's scripts */
    size_t msgs_end;   /* its messages end here in the batch's msgs */
};

/** A slot of the ring: one batch, rendered by a worker. */
struct batch {
    size_t seq; /* which batch it holds */
    bool done;  /* rendered, not yet reported */
    size_t n;   /* hosts in it */
    struct rendered r[BATCH_HOSTS];
    struct buf scripts; /* the scripts, one after the other */
    struct buf msgs;    /* the messages, one after the other */
};

struct pool {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* a batch is done, or a slot was freed */
    const struct render_opts *o;
    const struct render_template *tmpl;
    const struct inventory *inv;
    const size_t *sel; /* the selected hosts' indexes, in order */
    size_t nsel;
    size_t nbatches;     /* ceil(nsel / BATCH_HOSTS) */
    size_t next;         /* the next batch to claim */
    size_t reported;     /* batches reported */
    struct batch *slots; /* the ring */
    size_t nslots;
};

struct worker {
    struct pool *pool;
    struct render_scratch *scratch; /* render_index_with()'s memory */
    pthread_t thread;
};

/* Fill @p b with batch @p seq's hosts (main thread). */
static void batch_prepare(const struct pool *pl, struct batch *b, size_t seq)
{
    size_t k, first = seq * BATCH_HOSTS;

    b->seq = seq;
    b->n = pl->nsel - first < BATCH_HOSTS ? pl->nsel - first : BATCH_HOSTS;
    for (k = 0; k < b->n; k++)
        b->r[k].host = pl->sel[first + k];
}

/* Render the hosts of @p b, prepared. */
static void batch_render(const struct pool *pl, struct render_scratch *scratch,
                         struct batch *b)
{
    size_t k;

    buf_truncate(&b->scripts, 0);
    buf_truncate(&b->msgs, 0);
    for (k = 0; k < b->n; k++) {
        struct rendered *r = &b->r[k];
        size_t len = b->scripts.len;
        r->rc = render_index_with(scratch, pl->tmpl, pl->inv, r->host,
                                  pl->o->platform, &b->scripts, &b->msgs);
        if (r->rc)
            buf_truncate(&b->scripts, len); /* a refusal appends nothing */
        r->script_end = b->scripts.len;
        r->msgs_end = b->msgs.len;
    }
}

/* Print bytes [from, to) of @p msgs as fputs() would print them alone. */
static void put_msgs(const struct buf *msgs, size_t from, size_t to)
{
    fwrite(msgs->data + from, 1, strnlen(msgs->data + from, to - from), stderr);
}

/* Report batch @p b, in host order: messages, counts, delivery. */
static void batch_report(const struct render_opts *o,
                         const struct inventory *inv, const struct batch *b,
                         mode_t mode, struct pending *p, struct tally *t,
                         struct buf *script)
{
    size_t k, script_from = 0, msgs_from = 0;

    for (k = 0; k < b->n; k++) {
        const struct rendered *r = &b->r[k];
        const char *host = inventory_host(inv, r->host);
        if (r->rc) {
            put_msgs(&b->msgs, msgs_from, r->msgs_end);
            if (r->rc < 0) {
                fprintf(stderr, "ipxe-render: host '%s': %s\n", host,
                        strerror(-r->rc));
                t->failed++;
            } else {
                t->refused++;
            }
        } else {
            if (o->verbose)
                put_msgs(&b->msgs, msgs_from, r->msgs_end);
            /* deliver() wants a buffer of its own */
            buf_truncate(script, 0);
            if (buf_add(script, b->scripts.data + script_from,
                        r->script_end - script_from)) {
                fprintf(stderr, "ipxe-render: host '%s': %s\n", host,
                        strerror(ENOMEM));
                t->failed++;
            } else {
                deliver(o, host, script, mode, p, t);
            }
        }
        script_from = r->script_end;
        msgs_from = r->msgs_end;
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct pool *pl = w->pool;

    pthread_mutex_lock(&pl->lock);
    for (;;) {
        struct batch *b;
        size_t seq;
        /* a slot is ready once the batch that used it was reported (the
         * main thread names the next one's hosts before it counts the
         * report) */
        while (pl->next < pl->nbatches && pl->next >= pl->reported + pl->nslots)
            pthread_cond_wait(&pl->cond, &pl->lock);
        if (pl->next >= pl->nbatches)
            break;
        seq = pl->next++;
        b = &pl->slots[seq % pl->nslots];
        pthread_mutex_unlock(&pl->lock);
        batch_render(pl, w->scratch, b);
        pthread_mutex_lock(&pl->lock);
        b->done = true;
        pthread_cond_broadcast(&pl->cond);
    }
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

/* How many workers to start: one a core, none for a single batch. */
static size_t workers_wanted(size_t nbatches)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = cpus > 1 ? (size_t)cpus : 1;

    if (n > MAX_WORKERS)
        n = MAX_WORKERS;
    if (n > nbatches)
        n = nbatches;
    return n > 1 ? n : 0;
}

/* Render and report every selected host, on the workers when there are
 * several batches and cores, else on this thread.
 * @ret 0, or -ENOMEM before anything was reported */
static int render_all(struct pool *pl, mode_t mode, struct pending *p,
                      struct tally *t)
{
    struct worker w[MAX_WORKERS];
    struct batch *slots;
    struct buf script;
    size_t nw = workers_wanted(pl->nbatches), started = 0, k, seq;
    int rc = 0;

    pl->nslots = nw ? 2 * nw : 1;
    slots = calloc(pl->nslots, sizeof(*slots));
    if (!slots)
        return -ENOMEM;
    for (k = 0; k < pl->nslots; k++) {
        buf_init(&slots[k].scripts, BUF_MAX_UNLIMITED);
        buf_init(&slots[k].msgs, BUF_MAX_UNLIMITED);
    }
    pl->slots = slots;
    buf_init(&script, BUF_MAX_UNLIMITED);
    for (k = 0; k < (nw ? nw : 1); k++) {
        w[k].pool = pl;
        w[k].scratch = render_scratch_new();
        if (!w[k].scratch) {
            rc = -ENOMEM;
            break;
        }
    }
    if (!rc && nw) {
        pthread_mutex_init(&pl->lock, NULL);
        pthread_cond_init(&pl->cond, NULL);
        for (seq = 0; seq < pl->nslots && seq < pl->nbatches; seq++)
            batch_prepare(pl, &slots[seq], seq);
        for (started = 0; started < nw; started++) {
            if (pthread_create(&w[started].thread, NULL, worker_main,
                               &w[started]))
                break;
        }
        /* with no thread at all, render here (below) */
        for (seq = 0; started && seq < pl->nbatches; seq++) {
            struct batch *b = &slots[seq % pl->nslots];
            pthread_mutex_lock(&pl->lock);
            while (!b->done || b->seq != seq)
                pthread_cond_wait(&pl->cond, &pl->lock);
            pthread_mutex_unlock(&pl->lock);
            batch_report(pl->o, pl->inv, b, mode, p, t, &script);
            /* the slot is free: its next batch, not yet claimable */
            if (seq + pl->nslots < pl->nbatches)
                batch_prepare(pl, b, seq + pl->nslots);
            pthread_mutex_lock(&pl->lock);
            b->done = false;
            pl->reported++;
            pthread_cond_broadcast(&pl->cond);
            pthread_mutex_unlock(&pl->lock);
        }
        for (k = 0; k < started; k++)
            pthread_join(w[k].thread, NULL);
        pthread_cond_destroy(&pl->cond);
        pthread_mutex_destroy(&pl->lock);
    }
    if (!rc && !started) {
        for (seq = 0; seq < pl->nbatches; seq++) {
            batch_prepare(pl, &slots[0], seq);
            batch_render(pl, w[0].scratch, &slots[0]);
            batch_report(pl->o, pl->inv, &slots[0], mode, p, t, &script);
        }
    }
    for (k = 0; k < (nw ? nw : 1); k++) {
        if (!w[k].scratch)
            break;
        render_scratch_free(w[k].scratch);
    }
    for (k = 0; k < pl->nslots; k++) {
        buf_release(&slots[k].scripts);
        buf_release(&slots[k].msgs);
    }
    free(slots);
    buf_release(&script);
    return rc;
}

/* Print why loading @p path failed: the system error (@p rc < 0), then
 * the loader's messages. */
static void load_failed(int rc, const char *path, const struct buf *err)
{
    if (rc < 0)
        fprintf(stderr, "ipxe-render: cannot read %s: %s\n", path,
                strerror(-rc));
    fputs(err->data, stderr);
}

/* Load the inputs, apply --set and --host; -1 to go on, else an exit
 * code.  On success the caller frees *tmpl, *inv and *selected. */
static int load_inputs(const struct render_opts *o,
                       struct render_template **tmpl, struct inventory **inv,
                       bool **selected)
{
    struct buf err;
    size_t i, count = 0;
    int rc, status = -1;

    buf_init(&err, BUF_MAX_UNLIMITED);
    rc = inventory_load(inv, o->inventory_path, &err);
    if (rc) {
        load_failed(rc, o->inventory_path, &err);
        status = EXIT_UNREADABLE;
        goto out;
    }
    for (i = 0; i < o->nsets && status < 0; i++) {
        char *eq = strchr(o->sets[i], '='), *key;
        if (!eq) {
            status = usage_error("--set '%s': expected KEY=VALUE", o->sets[i]);
            break;
        }
        key = strndup(o->sets[i], (size_t)(eq - o->sets[i]));
        rc = key ? inventory_set(*inv, key, eq + 1, &err) : -ENOMEM;
        free(key);
        if (rc) {
            fputs(err.data, stderr);
            status = EXIT_USAGE;
        }
    }
    *selected = calloc(inventory_count(*inv) + 1, sizeof(**selected));
    if (status < 0 && !*selected)
        status = usage_error("out of memory");
    if (status < 0 &&
        inventory_select(*inv, o->hosts, o->nhosts, *selected, &err)) {
        fputs(err.data, stderr);
        status = EXIT_USAGE;
    }
    for (i = 0; status < 0 && i < inventory_count(*inv); i++)
        count += (*selected)[i];
    if (status < 0 && o->mode == MODE_STDOUT && count != 1)
        status = usage_error("--stdout renders one host, and %zu are "
                             "selected: choose one with --host",
                             count);
    if (status >= 0)
        goto out;
    buf_truncate(&err, 0);
    rc = render_template_load(tmpl, o->template_path, &err);
    if (rc) {
        load_failed(rc, o->template_path, &err);
        status = rc < 0 ? EXIT_UNREADABLE : EXIT_REFUSED;
    } else if (o->max_steps) {
        render_template_set_max_steps(*tmpl, o->max_steps);
    }
out:
    buf_release(&err);
    return status;
}

static void print_summary(const struct render_opts *o, const struct tally *t)
{
    if (o->quiet || o->mode == MODE_STDOUT)
        return;
    if (o->mode == MODE_CHECK)
        fprintf(stderr,
                "ipxe-render: %zu up to date, %zu differ, %zu "
                "refused",
                t->rendered, t->differ, t->refused);
    else if (o->mode == MODE_DRY)
        fprintf(stderr, "ipxe-render: %zu would be rendered, %zu refused",
                t->rendered, t->refused);
    else
        fprintf(stderr,
                "ipxe-render: %zu rendered, %zu unchanged, %zu "
                "refused",
                t->rendered, t->unchanged, t->refused);
    if (t->failed)
        fprintf(stderr, ", %zu failed", t->failed);
    fputc('\n', stderr);
}

/* Render every selected host; returns the exit code. */
static int run(const struct render_opts *o, const struct render_template *tmpl,
               const struct inventory *inv, const bool *selected)
{
    struct tally t = {0};
    struct pending p = {.n = 0, .dirfd = -1};
    struct pool pool = {0};
    size_t *sel;
    mode_t mask = umask(0);
    size_t i;

    umask(mask);
    if (o->mode == MODE_DIR && mkdir(o->dir, 0777) && errno != EEXIST) {
        fprintf(stderr, "ipxe-render: cannot create %s: %s\n", o->dir,
                strerror(errno));
        return EXIT_UNREADABLE;
    }
    pool.o = o;
    pool.tmpl = tmpl;
    pool.inv = inv;
    sel = malloc((inventory_count(inv) + 1) * sizeof(*sel));
    if (!sel) {
        fprintf(stderr, "ipxe-render: %s\n", strerror(ENOMEM));
        return EXIT_UNREADABLE;
    }
    for (i = 0; i < inventory_count(inv); i++) {
        if (selected[i])
            sel[pool.nsel++] = i;
    }
    pool.sel = sel;
    pool.nbatches = (pool.nsel + BATCH_HOSTS - 1) / BATCH_HOSTS;
    if (o->mode == MODE_DIR)
        p.dirfd = open(o->dir, O_RDONLY | O_DIRECTORY);
    if (render_all(&pool, 0666 & ~mask, &p, &t)) {
        fprintf(stderr, "ipxe-render: %s\n", strerror(ENOMEM));
        t.failed++;
    }
    free(sel);
    pending_flush(o, &p, &t);
    if (p.dirfd >= 0)
        close(p.dirfd);
    if (o->mode == MODE_DIR && t.rendered)
        sync_dir(o->dir);
    fflush(stdout);
    print_summary(o, &t);
    if (t.failed)
        return EXIT_UNREADABLE;
    return t.refused || t.differ ? EXIT_REFUSED : EXIT_OK;
}

int main(int argc, char **argv)
{
    struct render_opts opts = {0};
    struct render_template *tmpl = NULL;
    struct inventory *inv = NULL;
    bool *selected = NULL;
    int status;

    status = parse_args(argc, argv, &opts);
    if (status < 0)
        status = load_inputs(&opts, &tmpl, &inv, &selected);
    if (status < 0)
        status = run(&opts, tmpl, inv, selected);
    render_template_free(tmpl);
    inventory_free(inv);
    free(selected);
    free(opts.hosts);
    free(opts.sets);
    return status;
}
