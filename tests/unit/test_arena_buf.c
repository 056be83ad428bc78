/* SPDX-License-Identifier: MIT */
/** @file Unit tests: the arena, the growable buffer and the diag list. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "test.h"

static void test_arena_basics(void)
{
    struct arena a;
    char *p, *q;
    size_t i;
    unsigned misaligned = 0;

    arena_init(&a);
    check(a.head == NULL && a.total == 0);
    p = arena_alloc(&a, 0);
    q = arena_alloc(&a, 0);
    check(p != NULL && q != NULL && p != q); /* zero bytes: still distinct */
    for (i = 1; i < 200; i++) {
        char *r = arena_alloc(&a, i);
        if (!r || (uintptr_t)r % sizeof(void *) != 0)
            misaligned++;
        else
            memset(r, 0xa5, i); /* ASan catches an overlap or overrun */
    }
    check(misaligned == 0);
    p = arena_zalloc(&a, 100);
    check(p != NULL);
    for (i = 0; p && i < 100; i++) {
        if (p[i] != 0)
            break;
    }
    check(i == 100);
    arena_release(&a);
    check(a.head == NULL && a.next == NULL && a.total == 0);
    /* Usable again after release. */
    check(arena_alloc(&a, 8) != NULL);
    arena_release(&a);
}

static void test_arena_big(void)
{
    struct arena a;
    char *big, *small;

    arena_init(&a);
    small = arena_alloc(&a, 16);
    /* Larger than the block that would come next: a block of its own (a
     * mapped one, past the huge page size). */
    big = arena_alloc(&a, (size_t)10 * 1024 * 1024);
    check(small != NULL && big != NULL);
    if (big) {
        memset(big, 1, (size_t)10 * 1024 * 1024);
        check(a.total >= (size_t)10 * 1024 * 1024);
    }
    /* Sizes that cannot be rounded up fail cleanly. */
    check(arena_alloc(&a, SIZE_MAX) == NULL);
    check(arena_alloc(&a, SIZE_MAX - 3) == NULL);
    check(arena_strndup(&a, "x", SIZE_MAX) == NULL);
    arena_release(&a);
}

static void test_arena_strings(void)
{
    struct arena a;
    char *s;

    arena_init(&a);
    s = arena_strndup(&a, "ab\0cd", 5);
    check(s != NULL && memcmp(s, "ab\0cd", 6) == 0); /* NUL kept, + NUL */
    s = arena_strndup(&a, "", 0);
    check(s != NULL && s[0] == '\0');
    s = arena_printf(&a, "%s-%d", "x", 42);
    check(s != NULL && strcmp(s, "x-42") == 0);
    arena_release(&a);
}

static void test_buf_basics(void)
{
    struct buf b;
    char *p;
    size_t len;

    buf_init(&b, BUF_MAX_UNLIMITED);
    check(b.data != NULL && b.len == 0 && b.data[0] == '\0' && b.cap == 0);
    check(buf_add(&b, "a\0b", 3) == 0);
    check(b.len == 3 && memcmp(b.data, "a\0b", 4) == 0);
    check(buf_adds(&b, "cd") == 0);
    check(buf_addch(&b, 'e') == 0);
    check(buf_addf(&b, "%d%s", 12, "f") == 0);
    check(b.len == 9 && memcmp(b.data, "a\0bcde12f", 10) == 0);
    check(b.len < b.cap);
    buf_truncate(&b, 2);
    check(b.len == 2 && b.data[2] == '\0');
    buf_truncate(&b, 99); /* longer: no-op */
    check(b.len == 2);
    p = buf_detach(&b, &len);
    check(p != NULL && len == 2 && memcmp(p, "a\0", 3) == 0);
    free(p);
    check(b.len == 0 && b.cap == 0 && b.data[0] == '\0');
    /* Detaching an empty buffer still gives a string to free. */
    p = buf_detach(&b, &len);
    check(p != NULL && len == 0 && p[0] == '\0');
    free(p);
    /* Many appends: growth keeps the contents. */
    for (len = 0; len < 10000; len++)
        buf_addch(&b, (char)('a' + len % 26));
    check(b.len == 10000 && b.data[9999] == (char)('a' + 9999 % 26));
    check(b.data[10000] == '\0');
    buf_release(&b);
    check(b.len == 0 && b.cap == 0);
    buf_release(&b); /* twice is fine */
}

static void test_buf_limit(void)
{
    struct buf b;

    buf_init(&b, 10);
    check(buf_add(&b, "0123456789", 10) == 0);
    check(b.len == 10);
    check(buf_addch(&b, 'x') == -E2BIG);
    check(buf_add(&b, "xy", 2) == -E2BIG);
    check(buf_addf(&b, "%s", "x") == -E2BIG);
    check(b.len == 10 && memcmp(b.data, "0123456789", 11) == 0);
    check(buf_add(&b, "", 0) == 0); /* nothing more is fine */
    buf_truncate(&b, 8);
    check(buf_adds(&b, "ab") == 0);
    check(buf_addf(&b, "%d", 1) == -E2BIG);
    check(b.len == 10 && memcmp(b.data, "01234567ab", 11) == 0);
    buf_release(&b);
    check(b.max == 10); /* the limit survives release */

    buf_init(&b, 0);
    check(buf_addch(&b, 'x') == -E2BIG);
    check(b.len == 0 && b.data[0] == '\0');
    buf_release(&b);

    buf_init(&b, BUF_MAX_UNLIMITED);
    check(buf_grow(&b, SIZE_MAX) == -E2BIG);
    check(buf_grow(&b, BUF_MAX_UNLIMITED + 1) == -E2BIG);
    buf_release(&b);
}

static void test_diag(void)
{
    struct arena a;
    struct diag_list d;
    struct diag *dg;
    enum diag_severity sev;

    arena_init(&a);
    diag_list_init(&d, &a);
    dg = diag_add(&d, DIAG_WARNING, "IPX1", "one", (struct span){9, 10},
                  "first %d", 1);
    check(dg != NULL && strcmp(dg->msg, "first 1") == 0);
    diag_hint(&d, dg, "did you mean '%s'?", "x");
    check(dg->hint && strcmp(dg->hint, "did you mean 'x'?") == 0);
    check(diag_fix(&d, dg, (struct span){9, 10}, "y") == 0);
    check(diag_fix(&d, dg, (struct span){10, 10}, "z") == 0);
    check(dg->nfixes == 2 && strcmp(dg->fixes[1].text, "z") == 0);
    diag_add(&d, DIAG_ERROR, "IPX2", "two", (struct span){2, 3}, "second");
    diag_add(&d, DIAG_INFO, "IPX3", "three", (struct span){9, 9}, "third");
    diag_add(&d, DIAG_STYLE, "IPX4", "four", (struct span){0, 1}, "fourth");
    diag_sort(&d);
    check(d.len == 4);
    /* By start offset; ties keep the order they were added in. */
    check(strcmp(d.items[0].code, "IPX4") == 0);
    check(strcmp(d.items[1].code, "IPX2") == 0);
    check(strcmp(d.items[2].code, "IPX1") == 0);
    check(strcmp(d.items[3].code, "IPX3") == 0);
    check(strcmp(diag_severity_name(DIAG_ERROR), "error") == 0);
    check(diag_severity_parse("warning", &sev) == 0 && sev == DIAG_WARNING);
    check(diag_severity_parse("fatal", &sev) == -EINVAL);
    diag_list_release(&d);
    check(d.len == 0 && d.items == NULL);
    arena_release(&a);
}

/* A long message (past diag_vformat()'s first buffer) whole, its control
 * bytes shown as '?'. */
static void test_diag_long_message(void)
{
    struct arena a;
    struct diag_list d;
    struct diag *dg;
    char word[600];
    size_t i;

    memset(word, 'w', sizeof(word) - 1);
    word[sizeof(word) - 1] = '\0';
    word[300] = '\033';
    arena_init(&a);
    diag_list_init(&d, &a);
    dg = diag_add(&d, DIAG_ERROR, "IPX1", "one", (struct span){0, 1},
                  "label '%s' %d", word, 7);
    check(dg != NULL && strlen(dg->msg) == 7 + 599 + 3);
    check(dg->msg[7 + 300] == '?');
    for (i = 7; i < 7 + 599; i++)
        check(i == 7 + 300 || dg->msg[i] == 'w');
    check(strcmp(dg->msg + 7 + 599, "' 7") == 0);
    diag_list_release(&d);
    arena_release(&a);
}

/* diag_sort() on many findings in several runs (as rules add them: line
 * by line, then whole-script rules in file order), with ties on position
 * and on code: the same order as a plain stable sort. */
static void test_diag_sort_runs(void)
{
    static const char *const codes[] = {"IPX2001", "IPX1003", "IPX2006",
                                        "IPX3012"};
    enum { N = 5000 };
    struct arena a;
    struct diag_list d;
    struct diag *ref;
    uint32_t seed = 12345;
    size_t i, j;

    arena_init(&a);
    diag_list_init(&d, &a);
    for (i = 0; i < N; i++) {
        /* runs of increasing positions, restarting every few hundred */
        uint32_t start = (uint32_t)((i % 700) * 3 + (i / 700) % 3);
        seed = seed * 1103515245u + 12345u;
        check(diag_add(&d, DIAG_WARNING, codes[(seed >> 16) % 4], "n",
                       (struct span){start, start}, "%zu", i) != NULL);
    }
    /* the reference: insertion sort, stable */
    ref = malloc(N * sizeof(*ref));
    check(ref != NULL);
    if (!ref)
        return;
    for (i = 0; i < N; i++) {
        struct diag x = d.items[i];
        for (j = i; j > 0; j--) {
            const struct diag *p = &ref[j - 1];
            if (p->span.start < x.span.start ||
                (p->span.start == x.span.start &&
                 strcmp(p->code, x.code) <= 0))
                break;
            ref[j] = ref[j - 1];
        }
        ref[j] = x;
    }
    diag_sort(&d);
    check(d.len == N);
    for (i = 0; i < N; i++)
        check(strcmp(d.items[i].msg, ref[i].msg) == 0);
    /* sorted already: left as it is */
    diag_sort(&d);
    for (i = 0; i < N; i++)
        check(d.items[i].msg == ref[i].msg);
    free(ref);
    diag_list_release(&d);
    arena_release(&a);
}

/* arena_reset(): one block kept, the same memory handed out again; after
 * growing over several blocks, one block as large as all of them. */
static void test_arena_reset(void)
{
    struct arena a;
    char *first, *again;
    size_t i, total;

    arena_init(&a);
    check(arena_reset(&a, 4096) == 0);
    first = arena_alloc(&a, 100);
    check(first != NULL && a.head != NULL);
    check(arena_reset(&a, 4096) == 0);
    again = arena_alloc(&a, 100);
    check(again == first); /* the same block, from its start */
    for (i = 0; i < 2000; i++)
        memset(arena_alloc(&a, 1000), 7, 1000); /* grows: several blocks */
    total = a.total;
    check(total > 2000 * 1000);
    check(arena_reset(&a, 4096) == 0);
    check(a.head != NULL && a.total >= total);
    total = a.total;
    first = a.head ? (char *)a.next : NULL;
    for (i = 0; i < 2000; i++)
        memset(arena_alloc(&a, 1000), 7, 1000);
    check(a.total == total); /* the same work fits: no block added */
    check(first != NULL && (size_t)((char *)a.next - first) >= 2000 * 1000);
    arena_release(&a);
}

/* arena_adopt(): what was allocated in one arena lives on in the other,
 * which goes on allocating in its own block. */
static void test_arena_adopt(void)
{
    struct arena a, b;
    char *sa, *sb, *next;

    arena_init(&a);
    arena_init(&b);
    sa = arena_strndup(&a, "kept in a", 9);
    sb = arena_strndup(&b, "moved from b", 12);
    next = a.next;
    arena_adopt(&a, &b);
    check(b.head == NULL && b.total == 0);
    check(a.next == next); /* still bumping in its own block */
    check(sa && strcmp(sa, "kept in a") == 0);
    check(sb && strcmp(sb, "moved from b") == 0);
    arena_adopt(&b, &a); /* into an empty arena: takes all */
    check(a.head == NULL && b.head != NULL);
    check(strcmp(sb, "moved from b") == 0 && strcmp(sa, "kept in a") == 0);
    arena_release(&b); /* frees the blocks of both (leak check: ASan) */
    arena_release(&a);
}

int main(void)
{
    test_arena_basics();
    test_arena_big();
    test_arena_reset();
    test_arena_adopt();
    test_arena_strings();
    test_buf_basics();
    test_buf_limit();
    test_diag();
    test_diag_long_message();
    test_diag_sort_runs();
    return test_done();
}
