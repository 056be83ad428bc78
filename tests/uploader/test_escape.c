/* SPDX-License-Identifier: MIT */
/** @file escape_term(): what ipxe-upload shows of text from outside, and
 *  apierr_json_values(): the bound on a JSON answer's values. */
#include <string.h>

#include "apierr.h"
#include "buf.h"
#include "escape.h"
#include "test.h"

static void check_term(const char *in, size_t len, unsigned flags,
                       const char *want, const char *file, int line)
{
    struct buf out;

    buf_init(&out, BUF_MAX_UNLIMITED);
    checkx(escape_term(&out, in, len, flags) == 0, "escape_term() == 0", file,
           line);
    check_streqx(out.data, want, file, line);
    buf_release(&out);
}
#define term(in, flags, want)                                                  \
    check_term(in, sizeof(in) - 1, flags, want, __FILE__, __LINE__)

static void check_values(const char *json, size_t max, size_t want,
                         const char *file, int line)
{
    size_t got = apierr_json_values(json, strlen(json), max);

    checkx(got == want, json, file, line);
}
#define values(json, max, want)                                                \
    check_values(json, max, want, __FILE__, __LINE__)

int main(void)
{
    /* Printable ASCII and valid UTF-8 pass; a backslash is kept. */
    term("plain text, caf\xc3\xa9 \xe2\x98\x83 \\x1b", 0,
         "plain text, caf\xc3\xa9 \xe2\x98\x83 \\x1b");
    /* ESC, BEL, DEL, NUL: never raw. */
    term("\x1b]0;title\x07\x1b[2J\x7f", 0, "\\x1b]0;title\\x07\\x1b[2J\\x7f");
    term("a\0b", 0, "a\\x00b");
    /* Newlines and tabs: escaped on one line, kept on many; CR always. */
    term("a\nb\tc\r\n", 0, "a\\nb\\tc\\r\\n");
    term("a\nb\tc\r\n", ESCAPE_TERM_LINES, "a\nb\tc\\r\n");
    /* C1 controls (CSI as U+009B), bidirectional overrides and isolates. */
    term("\xc2\x9b"
         "1m \xc2\x85 \xc2\xa0",
         0, "\\xc2\\x9b1m \\xc2\\x85 \xc2\xa0");
    term("\xe2\x80\xae"
         "abc\xe2\x81\xa6"
         "d\xe2\x80\x8f",
         0, "\\xe2\\x80\\xaeabc\\xe2\\x81\\xa6d\xe2\x80\x8f");
    /* Invalid UTF-8: a lone continuation, a cut sequence, an overlong
     * form, a surrogate, a raw 8-bit CSI. */
    term("\x80 \xe2\x98 \xc0\xaf \xed\xa0\x80 \x9b", 0,
         "\\x80 \\xe2\\x98 \\xc0\\xaf \\xed\\xa0\\x80 \\x9b");

    values("", 10, 1);
    values("42", 10, 1);
    values("[1,2,3]", 10, 4);
    values("{\"a\":1,\"b\":[2]}", 10, 6);
    /* Separators inside strings, escaped quotes included, do not count. */
    values("[\"a,b:[{\",\"\\\",\"]", 10, 3);
    /* Counting stops past the bound. */
    values("[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]", 5, 6);
    return test_failures;
}
