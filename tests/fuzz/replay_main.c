/* SPDX-License-Identifier: MIT */
/** @file Replay saved inputs through the fuzz harness, without libFuzzer.
 *
 * `fuzz_parse_replay PATH...`: every regular file named, or found directly
 * inside a folder named, goes through LLVMFuzzerTestOneInput() in a child
 * process (the harness aborts on any failure); every failing input is
 * named, and the exit status is 1 if there was one.  This is how
 * tests/fuzz/regressions/ runs in the normal build (and under ASan/UBSan in the
 * sanitizer build).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    struct buf b;
    char chunk[65536];
    size_t n;
    pid_t pid;
    int status;
    FILE *fp = fopen(path, "rb");

    if (!fp) {
        perror(path);
        return -1;
    }
    buf_init(&b, BUF_MAX_UNLIMITED);
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (buf_add(&b, chunk, n) != 0) {
            fclose(fp);
            buf_release(&b);
            fprintf(stderr, "%s: out of memory\n", path);
            return -1;
        }
    }
    fclose(fp);
    /* In a child, so that one failing input does not hide the others. */
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        LLVMFuzzerTestOneInput((const uint8_t *)b.data, b.len);
        exit(0);
    }
    buf_release(&b);
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        perror("fork");
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    fprintf(stderr, "FAIL %s: %s %d\n", path,
            WIFSIGNALED(status) ? "killed by signal" : "exit status",
            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return -1;
}

int main(int argc, char **argv)
{
    unsigned done = 0, failed = 0;
    int i;

    for (i = 1; i < argc; i++) {
        struct stat st;
        DIR *dir;
        struct dirent *e;

        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            failed++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            if (replay_file(argv[i]) != 0)
                failed++;
            done++;
            continue;
        }
        dir = opendir(argv[i]);
        if (!dir) {
            perror(argv[i]);
            failed++;
            continue;
        }
        while ((e = readdir(dir)) != NULL) {
            struct buf path;
            if (e->d_name[0] == '.' || strstr(e->d_name, ".md"))
                continue;
            buf_init(&path, BUF_MAX_UNLIMITED);
            buf_addf(&path, "%s/%s", argv[i], e->d_name);
            if (stat(path.data, &st) == 0 && S_ISREG(st.st_mode)) {
                if (replay_file(path.data) != 0)
                    failed++;
                done++;
            }
            buf_release(&path);
        }
        closedir(dir);
    }
    /* Nothing replayed (an empty or misnamed folder) proves nothing. */
    if (done == 0) {
        fprintf(stderr, "FAIL: no input found to replay\n");
        failed++;
    }
    printf("%u passed, %u failed\n", done > failed ? done - failed : 0, failed);
    return failed ? 1 : 0;
}
