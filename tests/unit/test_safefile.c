/* SPDX-License-Identifier: MIT */
/** @file Unit tests: safefile, the one way the tools replace a file.
 *
 * Whatever is planted under a temporary file's name (a symbolic link to a
 * file of someone else's, a dangling link, a file) is never opened: the
 * target of a link stays as it was, and the file is replaced all the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "safefile.h"
#include "test.h"

static char dir[] = "/tmp/ipxekit-safefile-XXXXXX";

/* @p name inside the test folder, in a static buffer. */
static const char *at(const char *name)
{
    static char path[2][512];
    static int k;

    k ^= 1;
    snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
    return path[k];
}

/* Whether @p path holds exactly @p want. */
static int holds(const char *path, const char *want)
{
    char got[256];
    FILE *f = fopen(path, "rb");
    size_t n;

    if (!f)
        return 0;
    n = fread(got, 1, sizeof(got), f);
    fclose(f);
    return n == strlen(want) && memcmp(got, want, n) == 0;
}

static void put(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "wb");

    if (!check(f != NULL))
        return;
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

/* The name the first try takes: PATH.tmp.PID. */
static const char *first_temp(const char *path)
{
    static char tmp[600];

    snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    return tmp;
}

/* How many entries the test folder holds. */
static int entries(void)
{
    char cmd[600];
    FILE *p;
    int n = -1;

    snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
    p = popen(cmd, "r");
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

static void test_plain(void)
{
    struct stat st;
    const char *conf = at("plain.conf");

    check(safefile_replace(conf, "new\n", 4, 0600) == 0);
    check(holds(conf, "new\n"));
    check(stat(conf, &st) == 0 && (st.st_mode & 0777) == 0600);
    put(conf, "old\n", 0644);
    check(safefile_replace(conf, "newer\n", 6, 0600) == 0);
    check(holds(conf, "newer\n"));
    check(stat(conf, &st) == 0 && (st.st_mode & 0777) == 0600);
    /* No temporary file is left behind. */
    check(access(first_temp(conf), F_OK) != 0);
}

/* A symbolic link planted where the temporary file goes, to a file of the
 * victim's: not written through, the file is replaced all the same. */
static void test_planted_link(void)
{
    struct stat st;
    const char *conf = at("secrets.conf"), *victim = at("victim");

    put(victim, "precious\n", 0644);
    put(conf, "[ovh-eu]\nconsumer_key=OLD\n", 0600);
    check(symlink(victim, first_temp(conf)) == 0);
    check(safefile_replace(conf, "[ovh-eu]\nconsumer_key=NEW\n", 26, 0600) ==
          0);
    check(holds(victim, "precious\n"));
    check(stat(victim, &st) == 0 && (st.st_mode & 0777) == 0644);
    check(holds(conf, "[ovh-eu]\nconsumer_key=NEW\n"));
    check(lstat(conf, &st) == 0 && S_ISREG(st.st_mode) &&
          (st.st_mode & 0777) == 0600);
    /* The planted link is left as it was, pointing where it pointed. */
    check(lstat(first_temp(conf), &st) == 0 && S_ISLNK(st.st_mode));
    unlink(first_temp(conf));
    unlink(victim);
}

/* A dangling link would create the file it names: it must not. */
static void test_dangling_link(void)
{
    const char *conf = at("report.json"), *victim = at("created-elsewhere");

    check(symlink(victim, first_temp(conf)) == 0);
    check(safefile_replace(conf, "{}\n", 3, 0644) == 0);
    check(access(victim, F_OK) != 0 && errno == ENOENT);
    check(holds(conf, "{}\n"));
    unlink(first_temp(conf));
}

/* A file planted under the name is neither truncated nor reused. */
static void test_planted_file(void)
{
    struct buf tmp;
    const char *path = at("script.ipxe");
    int fd;

    put(first_temp(path), "theirs\n", 0666);
    buf_init(&tmp, BUF_MAX_UNLIMITED);
    fd = safefile_create(path, 0644, &tmp);
    check(fd >= 0);
    check(strcmp(tmp.data, first_temp(path)) != 0);
    check(strncmp(tmp.data, first_temp(path), strlen(first_temp(path))) == 0);
    if (fd >= 0) {
        check(safefile_write_all(fd, "ours\n", 5) == 0);
        close(fd);
        check(holds(tmp.data, "ours\n"));
        unlink(tmp.data);
    }
    check(holds(first_temp(path), "theirs\n"));
    unlink(first_temp(path));
    buf_release(&tmp);
}

/* A folder that is not there: its error, and nothing created. */
static void test_failure(void)
{
    const char *conf = at("missing-folder/x.conf");

    check(safefile_replace(conf, "x", 1, 0600) == -ENOENT);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_plain();
    test_planted_link();
    test_dangling_link();
    test_planted_file();
    test_failure();
    unlink(at("plain.conf"));
    unlink(at("secrets.conf"));
    unlink(at("report.json"));
    check(entries() == 0);
    rmdir(dir);
    return test_done();
}
