/* SPDX-License-Identifier: MIT */
/** @file Unit tests: the source buffer and its line table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"
#include "test.h"

/* Check the position of @p offset in a source made of @p data. */
static void pos_is(const char *file, int line, struct source *src,
                   uint32_t offset, uint32_t want_line, uint32_t want_col)
{
    struct position p = source_position(src, offset);

    if (!checkx(p.line == want_line && p.column == want_col, file, line))
        fprintf(stderr, "  offset %u: got %u:%u, want %u:%u\n", offset, p.line,
                p.column, want_line, want_col);
}
#define check_pos(src, off, l, c) pos_is(__FILE__, __LINE__, src, off, l, c)

/* Check the physical line holding @p offset. */
static void line_is(const char *file, int line, struct source *src,
                    uint32_t offset, const char *want, size_t want_len)
{
    size_t len;
    const char *p = source_line(src, offset, &len);

    if (!checkx(len == want_len && memcmp(p, want, len) == 0, file, line))
        fprintf(stderr, "  offset %u: got %zu bytes '%.*s', want '%s'\n",
                offset, len, (int)len, p, want);
}
#define check_line(src, off, s)                                                \
    line_is(__FILE__, __LINE__, src, off, s, sizeof(s) - 1)

static void test_empty(void)
{
    struct source src;

    check(source_init_mem(&src, "empty", "", 0) == 0);
    check(src.len == 0);
    check(src.data != NULL && src.data[0] == '\0');
    check(strcmp(src.name, "empty") == 0);
    check_pos(&src, 0, 1, 1);
    check_pos(&src, 7, 1, 1); /* past the end: clamped */
    check_line(&src, 0, "");
    source_release(&src);
}

static void test_lf(void)
{
    struct source src;

    check(source_init_mem(&src, "lf", "ab\ncd\n", 6) == 0);
    check_pos(&src, 0, 1, 1);
    check_pos(&src, 1, 1, 2);
    check_pos(&src, 2, 1, 3); /* the '\n' belongs to its line */
    check_pos(&src, 3, 2, 1);
    check_pos(&src, 5, 2, 3);
    check_pos(&src, 6, 3, 1); /* offset == len: after the last newline */
    check_line(&src, 0, "ab");
    check_line(&src, 2, "ab");
    check_line(&src, 4, "cd");
    check_line(&src, 6, "");
    source_release(&src);
}

static void test_no_trailing_newline(void)
{
    struct source src;

    check(source_init_mem(&src, "nonl", "ab\ncd", 5) == 0);
    check_pos(&src, 4, 2, 2);
    check_pos(&src, 5, 2, 3); /* offset == len */
    check_pos(&src, 9, 2, 3); /* clamped to len */
    check_line(&src, 5, "cd");
    source_release(&src);
}

static void test_crlf(void)
{
    struct source src;

    check(source_init_mem(&src, "crlf", "a\r\nbc\r\n\r\n", 9) == 0);
    check_pos(&src, 1, 1, 2); /* '\r' is a byte of line 1 */
    check_pos(&src, 2, 1, 3);
    check_pos(&src, 3, 2, 1);
    check_pos(&src, 7, 3, 1);
    check_pos(&src, 9, 4, 1);
    check_line(&src, 0, "a\r"); /* without its '\n' only */
    check_line(&src, 7, "\r");
    source_release(&src);
}

static void test_lone_cr(void)
{
    struct source src;

    /* Only '\n' ends a physical line (spec §1.2): a CR is a byte. */
    check(source_init_mem(&src, "cr", "a\rb\rc", 5) == 0);
    check_pos(&src, 4, 1, 5);
    check_line(&src, 2, "a\rb\rc");
    source_release(&src);
}

static void test_tabs(void)
{
    struct source src;

    /* Columns count bytes: a tab is one column. */
    check(source_init_mem(&src, "tabs", "\t\tx\n\ty", 6) == 0);
    check_pos(&src, 2, 1, 3);
    check_pos(&src, 5, 2, 2);
    source_release(&src);
}

static void test_nul_and_high_bytes(void)
{
    static const char data[] = "a\0b\n\xff\xfe";
    struct source src;

    check(source_init_mem(&src, "bin", data, sizeof(data) - 1) == 0);
    check(src.len == 6);
    check(memcmp(src.data, data, 6) == 0);
    check(src.data[6] == '\0'); /* the sentinel */
    check_pos(&src, 2, 1, 3);
    check_pos(&src, 5, 2, 2);
    source_release(&src);
}

/* Many lines: the binary search agrees with counting by hand. */
static void test_many_lines(void)
{
    size_t n = 20000, i, len = 0;
    char *data = malloc(n * 4);
    struct source src;
    uint32_t line = 1, col = 1;
    unsigned bad = 0;

    if (!check(data != NULL))
        return;
    for (i = 0; i < n; i++) {
        size_t k = i % 4; /* lines of 0 to 3 bytes */
        memset(data + len, 'x', k);
        len += k;
        data[len++] = '\n';
    }
    check(source_init_mem(&src, "many", data, len) == 0);
    for (i = 0; i <= len; i++) {
        struct position p = source_position(&src, (uint32_t)i);
        if (p.line != line || p.column != col)
            bad++;
        if (i < len && data[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    check(bad == 0);
    check(src.nlines == n + 1);
    source_release(&src);
    free(data);
}

static void test_load(void)
{
    char path[] = "/tmp/ipxekit-test-source-XXXXXX";
    struct source src;
    int fd = mkstemp(path);
    FILE *fp;

    if (!check(fd >= 0))
        return;
    fp = fdopen(fd, "wb");
    if (!check(fp != NULL))
        return;
    fwrite("#!ipxe\r\n\0x", 1, 10, fp);
    fclose(fp);
    check(source_load(&src, path, "shown-name") == 0);
    check(src.len == 10);
    check(memcmp(src.data, "#!ipxe\r\n\0x", 10) == 0);
    check(strcmp(src.name, "shown-name") == 0);
    source_release(&src);
    check(source_load(&src, path, NULL) == 0);
    check(strcmp(src.name, path) == 0);
    source_release(&src);
    unlink(path);
    check(source_load(&src, path, NULL) == -ENOENT);
}

/* Load the @p n bytes of @p data through a pipe with source_load_max(). */
static int load_pipe(const char *data, size_t n, size_t max,
                     struct source *src)
{
    char path[32];
    int fds[2], rc;

    if (pipe(fds))
        return -errno;
    /* small enough for the pipe's buffer: written whole before reading */
    if (write(fds[1], data, n) != (ssize_t)n) {
        close(fds[0]);
        close(fds[1]);
        return -EIO;
    }
    close(fds[1]);
    snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
    rc = source_load_max(src, path, "<pipe>", max);
    close(fds[0]);
    return rc;
}

/* A size limit: a file over it is refused from its size, a pipe as soon as
 * one byte too many arrives; exactly the limit is read. */
static void test_load_max(void)
{
    char path[] = "/tmp/ipxekit-test-source-XXXXXX";
    char data[200];
    struct source src;
    int fd = mkstemp(path);

    memset(data, 'x', sizeof(data));
    if (!check(fd >= 0))
        return;
    check(write(fd, data, 100) == 100);
    close(fd);
    check(source_load_max(&src, path, NULL, 99) == -EFBIG);
    check(src.data == NULL);
    check(source_load_max(&src, path, NULL, 100) == 0);
    check(src.len == 100);
    source_release(&src);
    unlink(path);

    check(load_pipe(data, 100, 99, &src) == -EFBIG);
    check(load_pipe(data, 100, 100, &src) == 0);
    check(src.len == 100 && memcmp(src.data, data, 100) == 0);
    source_release(&src);
    check(load_pipe(data, 200, 0, &src) == -EFBIG);
    check(load_pipe(data, 0, 0, &src) == 0);
    check(src.len == 0);
    source_release(&src);
}

int main(void)
{
    test_empty();
    test_lf();
    test_no_trailing_newline();
    test_crlf();
    test_lone_cr();
    test_tabs();
    test_nul_and_high_bytes();
    test_many_lines();
    test_load();
    test_load_max();
    return test_done();
}
