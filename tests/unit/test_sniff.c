/* SPDX-License-Identifier: MIT */
/** @file Unit tests of parser/sniff.c: the dialect a source's bytes show.
 *
 * sniff_tags() and sniff_cheetah() scan the whole text at once for speed;
 * here each is held against its definition, written the slow and obvious
 * way (line by line, every position tried), on chosen cases and on many
 * random texts over the bytes that matter.
 */
#include "sniff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

/* Whether the @p n bytes @p s are at @p p, all before @p end. */
static bool at(const char *p, const char *end, const char *s, size_t n)
{
    return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/* The definition of a tag: on the first line that has one, the earliest
 * opener whose closer follows on that line, among each kind's first
 * opener on the line. */
static bool model_tags(const char *data, size_t len, struct span *out)
{
    static const char *const open[] = {"{{", "{%", "<%="};
    static const char *const close[] = {"}}", "%}", "%>"};
    const char *p = data, *end = data + len;

    while (p < end) {
        const char *eol = p, *best = NULL, *best_end = NULL;
        size_t k;
        while (eol < end && *eol != '\n')
            eol++;
        for (k = 0; k < 3; k++) {
            size_t n = strlen(open[k]);
            const char *o, *c;
            for (o = p; o < eol && !at(o, eol, open[k], n); o++)
                ;
            if (o >= eol)
                continue;
            for (c = o + n; c < eol && !at(c, eol, close[k], 2); c++)
                ;
            if (c < eol && (!best || o < best)) {
                best = o;
                best_end = c + 2;
            }
        }
        if (best) {
            out->start = (uint32_t)(best - data);
            out->end = (uint32_t)(best_end - data);
            return true;
        }
        p = eol + 1;
    }
    return false;
}

/* The definition of a Cheetah template, for texts whose only directives
 * are `#end if` (blanks between) and `#set $x`: the first line that
 * starts (after blanks) with one, or holds `$getVar(`. */
static bool model_cheetah(const char *data, size_t len, struct span *out)
{
    const char *p = data, *end = data + len;

    while (p < end) {
        const char *eol = p, *q;
        while (eol < end && *eol != '\n')
            eol++;
        while (p < eol && (*p == ' ' || *p == '\t'))
            p++;
        if (at(p, eol, "#end", 4) && p + 4 < eol &&
            (p[4] == ' ' || p[4] == '\t')) {
            for (q = p + 4; q < eol && (*q == ' ' || *q == '\t'); q++)
                ;
            if (at(q, eol, "if", 2) && (q + 2 == eol || q[2] == ' ' ||
                                        q[2] == '\t' || q[2] == '\r')) {
                out->start = (uint32_t)(p - data);
                out->end = (uint32_t)(q + 2 - data);
                return true;
            }
        }
        if (at(p, eol, "#set $x", 7)) {
            out->start = (uint32_t)(p - data);
            out->end = out->start + 4;
            return true;
        }
        for (q = p; q < eol; q++) {
            if (at(q, eol, "$getVar(", 8)) {
                out->start = (uint32_t)(q - data);
                out->end = out->start + 7;
                return true;
            }
        }
        p = eol + 1;
    }
    return false;
}

/* sniff_tags() and sniff_cheetah() agree with their definitions on the
 * @p len bytes @p s (a check on behalf of @p line). */
static void agree(const char *s, size_t len, int line)
{
    struct span got = {0, 0}, want = {0, 0};
    bool g = sniff_tags(s, len, &got), w = model_tags(s, len, &want);

    if (!checkx(g == w && (!g || (got.start == want.start &&
                                  got.end == want.end)),
                __FILE__, line))
        fprintf(stderr, "  tags in '%.*s': got %d %u-%u, want %d %u-%u\n",
                (int)len, s, g, got.start, got.end, w, want.start, want.end);
    g = sniff_cheetah(s, len, &got);
    w = model_cheetah(s, len, &want);
    if (!checkx(g == w && (!g || (got.start == want.start &&
                                  got.end == want.end)),
                __FILE__, line))
        fprintf(stderr, "  cheetah in '%.*s': got %d %u-%u, want %d %u-%u\n",
                (int)len, s, g, got.start, got.end, w, want.start, want.end);
}

#define AGREE(s) agree(s, sizeof(s) - 1, __LINE__)

/* A small xorshift generator: the same texts on every run. */
static uint32_t rng_state = 2463534242u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

int main(void)
{
    /* pieces that make and unmake tags and directives */
    static const char *const pieces[] = {
        "{{", "}}", "{%", "%}", "<%=", "%>", "{", "}", "%", "<", "=", "\n",
        " ", "\t", "x", "${x}", "#end if", "#set $x", "$getVar(", "#",
        "$", "\r", "#end", " if",
    };
    char text[256];
    int i;

    AGREE("");
    AGREE("#!ipxe\nchain ${base}/x.ipxe\n");
    AGREE("set x {{ y }}\n");
    AGREE("{% if a %}\n");
    AGREE("a <%= b %> c\n");
    /* the first opener of a kind is not closed: the kind has no tag on
     * the line, however many openers follow */
    AGREE("{{ a {{ b\n{{ c }}\n");
    /* two kinds on one line, one closed after the other's opener */
    AGREE("{% {{ x }} %}\n");
    AGREE("}} {{\n{{ }}");
    AGREE("{{ x\n}}\n");
    AGREE("  #end if\n");
    AGREE("echo $getVar('x')\n#end if\n");
    AGREE("#end if\necho $getVar('x')\n");
    AGREE("#set $x = 1\n");
    AGREE("#set base ${url}\n");
    AGREE("#end iffy\n");
    for (i = 0; i < 200000; i++) {
        size_t len = 0, n = rng() % 24;
        while (n--) {
            const char *p = pieces[rng() % (sizeof(pieces) / sizeof(*pieces))];
            size_t m = strlen(p);
            if (len + m > sizeof(text))
                break;
            memcpy(text + len, p, m);
            len += m;
        }
        agree(text, len, __LINE__);
        if (test_failed > 20)
            break;
    }
    return test_done();
}
