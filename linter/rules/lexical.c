/* SPDX-License-Identifier: MIT */
/** @file Rules of the lexical family: the signature, continuations, quotes,
 *  backslashes, operators glued to words, comments that swallow values or
 *  operators, NUL bytes, unclosed `${` and empty segments (spec §1.1, §1.2,
 *  §2.2-§2.5, §6.1). */
#include "engine.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cmdtable.h"
#include "source.h"

static void check_signature(struct lint_ctx *ctx);
static void check_dangling(struct lint_ctx *ctx);
static void check_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void check_command(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_dialect(struct lint_ctx *ctx);

static const struct lint_rule bad_signature = {
    .code = "IPX1001",
    .name = "bad-signature",
    .sev = DIAG_ERROR,
    .summary = "the file does not start with iPXE's exact '#!ipxe' signature",
    .on_script = check_signature,
};
static const struct lint_rule gpxe_signature = {
    .code = "IPX1002",
    .name = "gpxe-signature",
    .sev = DIAG_STYLE,
    .summary =
        "the legacy '#!gpxe' signature: iPXE accepts it, '#!ipxe' is current",
    .on_script = check_signature, /* shared with IPX1001 */
};
static const struct lint_rule dangling_continuation = {
    .code = "IPX1003",
    .name = "dangling-continuation",
    .sev = DIAG_ERROR,
    .summary =
        "the last line ends in '\\': iPXE never runs it and the script fails",
    .on_script = check_dangling,
};
static const struct lint_rule comment_continuation = {
    .code = "IPX1004",
    .name = "comment-continuation",
    .sev = DIAG_WARNING,
    .summary = "a comment ending in '\\' swallows the next line",
    .on_line = check_line,
};
static const struct lint_rule glued_continuation = {
    .code = "IPX1005",
    .name = "glued-continuation",
    .sev = DIAG_INFO,
    .summary =
        "a continuation with no space on either side glues two words into one",
    .on_line = check_line,
};
static const struct lint_rule quotes = {
    .code = "IPX1006",
    .name = "quotes",
    .sev = DIAG_WARNING,
    .summary = "quotes used as if they grouped words: iPXE keeps them as text",
    .on_command = check_command,
};
static const struct lint_rule backslash_escape = {
    .code = "IPX1007",
    .name = "backslash-escape",
    .sev = DIAG_WARNING,
    .summary = "a backslash used as an escape: iPXE has none, it stays as text",
    .on_command = check_command,
};
static const struct lint_rule glued_operator = {
    .code = "IPX1008",
    .name = "glued-operator",
    .sev = DIAG_WARNING,
    .summary = "'||', '&&' or ';' inside a word: operators must stand alone",
    .on_command = check_command,
};
static const struct lint_rule nul_byte = {
    .code = "IPX1009",
    .name = "nul-byte",
    .sev = DIAG_WARNING,
    .summary = "a NUL byte ends the line: iPXE ignores the rest of it",
    .on_line = check_line,
};
static const struct lint_rule value_is_comment = {
    .code = "IPX1010",
    .name = "value-is-comment",
    .sev = DIAG_WARNING,
    .summary =
        "a value starting with '#' is a comment: the command never gets it",
    .on_line = check_line,
};
static const struct lint_rule comment_hides_operator = {
    .code = "IPX1011",
    .name = "comment-hides-operator",
    .sev = DIAG_WARNING,
    .summary = "an operator inside a comment: the fallback after it never runs",
    .on_line = check_line,
};
static const struct lint_rule unclosed_expansion = {
    .code = "IPX1012",
    .name = "unclosed-expansion",
    .sev = DIAG_WARNING,
    .summary = "a '${' with no closing '}': it stays literal text",
    .on_line = check_line,
};
static const struct lint_rule empty_segment = {
    .code = "IPX1013",
    .name = "empty-segment",
    .sev = DIAG_WARNING,
    .summary =
        "an operator with no command on one side: the empty command succeeds",
    .on_line = check_line,
};

static const struct lint_rule template_by_content = {
    "IPX1014",
    "template-by-content",
    DIAG_INFO,
    "template tags in a file not named as a template: it is linted as one",
    NULL,
    NULL,
    check_dialect,
};
/* Not static: the registry hands it to the engine, which runs it alone on
 * a Cheetah template. */
const struct lint_rule lint_rule_unchecked_dialect = {
    "IPX1015",
    "unchecked-dialect",
    DIAG_INFO,
    "a Cheetah (Cobbler) template: ipxe-lint does not read its dialect and "
    "checks nothing else in it",
    NULL,
    NULL,
    check_dialect, /* one pass for both */
};

const struct lint_rule *const lint_rules_lexical[] = {
    &bad_signature,
    &gpxe_signature,
    &dangling_continuation,
    &comment_continuation,
    &glued_continuation,
    &quotes,
    &backslash_escape,
    &glued_operator,
    &nul_byte,
    &value_is_comment,
    &comment_hides_operator,
    &unclosed_expansion,
    &empty_segment,
    &template_by_content,
    &lint_rule_unchecked_dialect,
    NULL,
};

/* ---- helpers ---- */

static const char *src_data(struct lint_ctx *ctx)
{
    return lint_source_of(ctx)->data;
}

/* How many bytes a continuation (`\` + LF or `\` + CR LF) at @p p takes,
 * or 0 if there is none there.  @p end bounds the read. */
static uint32_t cont_len(const char *p, const char *end)
{
    if (p >= end || p[0] != '\\')
        return 0;
    if (end - p >= 2 && p[1] == '\n')
        return 2;
    if (end - p >= 3 && p[1] == '\r' && p[2] == '\n')
        return 3;
    return 0;
}

/* The raw offset of logical text byte @p i of word @p w: its text is its
 * raw bytes less continuations (and, for a label, less the ':'). */
static uint32_t word_offset(struct lint_ctx *ctx, const struct ast_word *w,
                            uint32_t i)
{
    const char *data = src_data(ctx);
    uint32_t at = w->span.start + (w->kind == AST_LABEL ? 1 : 0);

    if (!(w->flags & AST_W_CONT))
        return at + i;
    for (;;) {
        uint32_t n = cont_len(data + at, data + w->span.end);
        if (n) {
            at += n;
            continue;
        }
        if (i == 0 || at >= w->span.end)
            return at;
        at++;
        i--;
    }
}

/* The raw span of logical text bytes [i, i + n) of word @p w. */
static struct span word_span(struct lint_ctx *ctx, const struct ast_word *w,
                             uint32_t i, uint32_t n)
{
    if (n == 0)
        return lint_span(word_offset(ctx, w, i), word_offset(ctx, w, i));
    return lint_span(word_offset(ctx, w, i),
                     word_offset(ctx, w, i + n - 1) + 1);
}

/* The primary name of a command iPXE knows, or NULL. */
static const char *cmd_primary(const struct lint_cmd *cmd)
{
    const struct cmd_def *def = cmd->call.def;

    if (!def || cmd->call.dynamic)
        return NULL;
    return def->alias_of ? def->alias_of : def->name;
}

static bool name_in(const char *name, const char *const *list, size_t n)
{
    size_t i;

    /* the first byte rules out most names without a call */
    for (i = 0; i < n; i++) {
        if (name[0] == list[i][0] && strcmp(name, list[i]) == 0)
            return true;
    }
    return false;
}

/* Commands whose arguments are text shown to the user (spec §2.2). */
static bool is_display(const char *name)
{
    static const char *const names[] = {"echo", "prompt", "menu", "form",
                                        "item"};

    return name && name_in(name, names, sizeof(names) / sizeof(names[0]));
}

/* Commands whose arguments after the first are an image command line. */
static bool is_image(const char *name)
{
    static const char *const names[] = {"imgfetch", "imgselect", "imgexec",
                                        "imgargs"};

    return name && name_in(name, names, sizeof(names) / sizeof(names[0]));
}

/* The argv index where a display command's text starts. */
static uint32_t text_start(const struct lint_cmd *cmd, const char *name)
{
    const struct cmd_call *call = &cmd->call;

    if (strcmp(name, "item") == 0 && !cmdparse_opt(call, "gap"))
        return call->first_arg + 1;
    return call->first_arg;
}

/* Whether raw offset @p at of word @p w is inside one of its parts
 * (an expansion, a template tag or a continuation). */
static bool in_part(const struct ast_word *w, uint32_t at)
{
    const struct ast_part *p;

    for (p = ast_word_parts(w); p; p = p->next) {
        if (at >= p->span.start && at < p->span.end)
            return true;
    }
    return false;
}

/* Find @p pat (@p n bytes) in the literal bytes of word @p w, outside its
 * parts; returns the raw offset or UINT32_MAX. */
static uint32_t literal_find(struct lint_ctx *ctx, const struct ast_word *w,
                             const char *pat, uint32_t n)
{
    const char *data = src_data(ctx);
    const char *p = data + w->span.start, *end = data + w->span.end;

    while ((size_t)(end - p) >= n &&
           (p = memchr(p, pat[0], (size_t)(end - p) - n + 1)) != NULL) {
        uint32_t at = (uint32_t)(p - data);

        if (memcmp(p, pat, n) == 0 && !in_part(w, at) &&
            !in_part(w, at + n - 1))
            return at;
        p++;
    }
    return UINT32_MAX;
}

/* Which bytes a line holds, as a bit set: what the checks look for is
 * rare, and a look at the line's bytes (in order, with memchr) spares a
 * look at each of its words (scattered, dear).  Only the code counts:
 * the bytes before the comment. */
enum {
    HAS_BACKSLASH = 1 << 0,
    HAS_QUOTE = 1 << 1,
    HAS_DOLLAR = 1 << 2,
    HAS_PIPE = 1 << 3, /* in a command's words (cmd_has_ops()) */
    HAS_AMP = 1 << 4,
    HAS_SEMI = 1 << 5,
};

/* The line whose bytes were looked at last (lint_memo). */
struct lex_line {
    const struct lint_line *ll;
    unsigned known; /**< HAS_* bits worked out */
    unsigned has;   /**< HAS_* bits present */
};

static void *lex_line_new(struct lint_ctx *ctx)
{
    return arena_zalloc(lint_arena(ctx), sizeof(struct lex_line));
}

/* lint_memo()'s key for the family's data */
static const char lex_key;

/* Whether byte @p c or @p d (0: none) occurs in [@p p, @p end). */
static bool bytes_have(const char *p, const char *end, char c, char d)
{
    size_t n = (size_t)(end - p);

    return memchr(p, c, n) != NULL || (d && memchr(p, d, n) != NULL);
}

/* Which of the bytes @p want line @p ll holds in its code (HAS_*). */
static unsigned line_has(struct lint_ctx *ctx, const struct lint_line *ll,
                         unsigned want)
{
    struct lex_line *d = lint_memo(ctx, &lex_key, lex_line_new);
    const struct ast_line *line = ll->line;
    const struct ast_word *c;
    const char *data = src_data(ctx), *p, *end;

    if (!d)
        return want;
    if (d->ll != ll) {
        d->ll = ll;
        d->known = d->has = 0;
    }
    want &= ~d->known;
    if (!want)
        return d->has;
    p = data + line->span.start;
    c = ast_line_comment(line);
    end = data + (c ? c->span.start : ast_line_eol(line).start);
    if (end < p)
        end = p;
    if ((want & HAS_BACKSLASH) && bytes_have(p, end, '\\', 0))
        d->has |= HAS_BACKSLASH;
    if ((want & HAS_QUOTE) && bytes_have(p, end, '"', '\''))
        d->has |= HAS_QUOTE;
    if ((want & HAS_DOLLAR) && bytes_have(p, end, '$', 0))
        d->has |= HAS_DOLLAR;
    d->known |= want;
    return d->has;
}

/* The command name as written, for messages (arena). */
static const char *cmd_word0(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct ast_word *w = cmd->seg->argv[0];

    return lint_show(ctx, w->text, w->len);
}

/* ---- IPX1001/IPX1002: the signature (spec §1.1) ---- */

/* Whether the file's name says it is a template of some engine, even one
 * the parser does not read (ERB, Razor): its first bytes are not the
 * script's. */
static bool name_is_template(const char *name)
{
    static const char *const exts[] = {".j2",     ".jinja",  ".jinja2",
                                       ".tmpl",   ".tpl",    ".erb",
                                       ".cshtml", ".gotmpl", ".in"};
    size_t n = strlen(name), i;

    for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        size_t m = strlen(exts[i]);
        if (n >= m && strcmp(name + n - m, exts[i]) == 0)
            return true;
    }
    return false;
}

/* Skip a template tag opening at @p p: `{# #}`, `{% %}`, `{{ }}`, `<% %>`,
 * `@* *@`.  Returns where it ends, or @p p if none starts there. */
static const char *skip_tag(const char *p, const char *end)
{
    static const char *const pairs[][2] = {
        {"{#", "#}"}, {"{%", "%}"}, {"{{", "}}"}, {"<%", "%>"}, {"@*", "*@"},
    };
    size_t i;

    for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        const char *q;
        if (end - p < 2 || memcmp(p, pairs[i][0], 2) != 0)
            continue;
        for (q = p + 2; end - q >= 2; q++) {
            if (memcmp(q, pairs[i][1], 2) == 0)
                return q + 2;
        }
        return end;
    }
    return p;
}

/* In a template, the offset where the rendered script begins: after the
 * tags and whitespace the template starts with. */
static uint32_t template_body(const char *data, size_t len)
{
    const char *p = data, *end = data + len;

    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (;;) {
        const char *q;
        while (p < end && ast_is_space((unsigned char)*p))
            p++;
        q = skip_tag(p, end);
        if (q == p)
            break;
        p = q;
    }
    return (uint32_t)(p - data);
}

/* The end of the physical line starting at @p at, before its CR LF. */
static uint32_t line_end(const char *data, size_t len, uint32_t at)
{
    const char *nl = memchr(data + at, '\n', len - at);
    uint32_t end = nl ? (uint32_t)(nl - data) : (uint32_t)len;

    if (end > at && data[end - 1] == '\r')
        end--;
    return end;
}

static bool looks_utf16(const char *data, size_t len)
{
    if (len >= 2 && ((data[0] == '\xFF' && data[1] == '\xFE') ||
                     (data[0] == '\xFE' && data[1] == '\xFF')))
        return true;
    return len >= 4 && (data[1] == '\0' || data[0] == '\0');
}

static void report_signature(struct lint_ctx *ctx, enum ast_signature sig,
                             uint32_t at)
{
    struct source *src = lint_source_of(ctx);
    const char *data = src->data;
    size_t len = src->len;
    uint32_t eol = at < len ? line_end(data, len, at) : at;
    const char *what = "iPXE does not recognise the file as a script: 'chain' "
                       "fails with 'Exec format error' and nothing in it runs";
    struct diag_list *dl = lint_diags(ctx);
    struct diag *dg = NULL;
    uint32_t magic = at;

    switch (sig) {
    case AST_SIG_IPXE:
        return;
    case AST_SIG_GPXE:
        dg = lint_report(ctx, &gpxe_signature, lint_span(at, at + 6),
                         "'#!gpxe' is the legacy signature: iPXE still accepts "
                         "it, but '#!ipxe' is the current one");
        if (dg)
            diag_fix(dl, dg, lint_span(at, at + 6), "#!ipxe");
        return;
    case AST_SIG_MISSING:
        if (looks_utf16(data + at, len - at)) {
            dg = lint_report(ctx, &bad_signature, lint_span(at, eol),
                             "the file is UTF-16 text, so its bytes do not "
                             "start with '#!ipxe': %s; save it as UTF-8 or "
                             "ASCII",
                             what);
            return;
        }
        /* The fix would add a line, which --format=diff cannot show yet:
         * a hint says it instead. */
        dg = lint_report(ctx, &bad_signature, lint_span(at, eol),
                         "missing '#!ipxe' signature on the first line: %s",
                         what);
        if (dg)
            diag_hint(dl, dg, "add '#!ipxe' as the very first line");
        return;
    case AST_SIG_TOO_SHORT:
        if (len - at == 6 && memcmp(data + at, "#!ipxe", 6) == 0) {
            dg = lint_report(ctx, &bad_signature, lint_span(at, at + 6),
                             "the file is only '#!ipxe' with no newline: iPXE "
                             "needs a whitespace byte after the signature, so "
                             "it is not recognised as a script");
            if (dg)
                diag_fix(dl, dg, lint_span(at + 6, at + 6), "\n");
            return;
        }
        dg = lint_report(ctx, &bad_signature, lint_span(at, (uint32_t)len),
                         "the file is %s: a script needs at least '#!ipxe' "
                         "and a newline (7 bytes), so %s",
                         len == at ? "empty" : "too short", what);
        if (dg)
            diag_hint(dl, dg, "start the file with '#!ipxe' and a newline");
        return;
    case AST_SIG_BOM:
        dg = lint_report(ctx, &bad_signature, lint_span(at, at + 3),
                         "a UTF-8 byte order mark comes before '#!ipxe': iPXE "
                         "compares the first bytes exactly, so %s",
                         what);
        if (dg)
            diag_fix(dl, dg, lint_span(at, at + 3), "");
        return;
    case AST_SIG_LEADING_WS:
        while (magic < len && ast_is_space((unsigned char)data[magic]))
            magic++;
        dg = lint_report(ctx, &bad_signature, lint_span(at, magic),
                         "%s before '#!ipxe': the signature must be the very "
                         "first bytes, so %s",
                         memchr(data + at, '\n', magic - at)
                             ? "blank lines come"
                             : "whitespace comes",
                         what);
        /* Removing blank lines would change the line count, which
         * --format=diff cannot show yet: only spaces are removed by a fix. */
        if (dg && !memchr(data + at, '\n', magic - at))
            diag_fix(dl, dg, lint_span(at, magic), "");
        else if (dg)
            diag_hint(dl, dg, "delete everything before '#!ipxe'");
        return;
    case AST_SIG_CASE:
        dg = lint_report(ctx, &bad_signature, lint_span(at, at + 6),
                         "'%s' is not '#!ipxe': the signature is "
                         "case-sensitive, so %s",
                         lint_show(ctx, data + at, 6), what);
        if (dg)
            diag_fix(dl, dg, lint_span(at, at + 6), "#!ipxe");
        return;
    case AST_SIG_NO_SPACE:
        dg = lint_report(ctx, &bad_signature, lint_span(at, eol),
                         "'%s' is not '#!ipxe': the signature must be followed "
                         "by a space or a newline, so %s",
                         lint_show(ctx, data + at, eol - at), what);
        if (dg)
            diag_fix(dl, dg, lint_span(at, eol), "#!ipxe");
        return;
    }
}

static void check_signature(struct lint_ctx *ctx)
{
    const struct ast_script *s = lint_script(ctx);
    struct source *src = lint_source_of(ctx);
    enum ast_signature sig = s->signature;
    uint32_t at = 0;

    if (lint_is_template(ctx) || name_is_template(src->name)) {
        /* The rendered script starts after the template's leading tags.
         * A template without any signature is taken for a fragment that
         * another template includes. */
        at = template_body(src->data, src->len);
        sig = ast_signature_of(src->data + at, src->len - at);
        if (sig == AST_SIG_MISSING || sig == AST_SIG_BOM ||
            sig == AST_SIG_LEADING_WS)
            return;
        if (sig == AST_SIG_TOO_SHORT && src->len - at < 6)
            return;
    }
    report_signature(ctx, sig, at);
}

/* ---- IPX1003: a continuation on the last line (spec §1.2) ---- */

/* Whether the line holds anything that would run: a label or a word. */
static bool line_has_code(const struct ast_line *line)
{
    const struct ast_segment *seg;

    if (line->label)
        return true;
    for (seg = line->segs; seg; seg = seg->next) {
        if (seg->argc)
            return true;
    }
    return false;
}

static void check_dangling(struct lint_ctx *ctx)
{
    struct source *src = lint_source_of(ctx);
    const char *data = src->data;
    size_t n = 0;
    const struct lint_line *lines = lint_lines(ctx, &n);
    const struct lint_line *last;
    uint32_t end = (uint32_t)src->len, bs;
    struct diag *dg;

    /* iPXE strips one CR, then looks for the backslash; a final newline
     * does not help, as the loop stops at the end of the data. */
    if (end && data[end - 1] == '\n')
        end--;
    if (end && data[end - 1] == '\r')
        end--;
    if (!end || data[end - 1] != '\\' || !n)
        return;
    bs = end - 1;
    last = &lines[n - 1];
    if (line_has_code(last->line) && last->reachable) {
        dg = lint_report(ctx, &dangling_continuation, lint_span(bs, bs + 1),
                         "the last line ends in '\\', which continues it into "
                         "a line that does not exist: iPXE never runs it and "
                         "the script fails with 'Invalid argument'");
    } else {
        dg = lint_report_at(ctx, &dangling_continuation, DIAG_WARNING,
                            lint_span(bs, bs + 1),
                            "the file ends in '\\', which continues the last "
                            "line into a line that does not exist: a script "
                            "that gets this far fails with 'Invalid "
                            "argument' instead of returning success");
    }
    /* Deleting a '\' alone on the last line would leave an empty line
     * behind, a change --format=diff cannot show yet. */
    if (dg && !((bs == 0 || data[bs - 1] == '\n') && end == src->len))
        diag_fix(lint_diags(ctx), dg, lint_span(bs, bs + 1), "");
}

/* ---- IPX1004/IPX1005: continuations in comments and inside words ---- */

/* Whether the physical line starting at @p at holds something that would
 * run: not blank, not a comment. */
static bool phys_line_is_code(const char *data, size_t len, uint32_t at)
{
    while (at < len && data[at] != '\n' &&
           ast_is_space((unsigned char)data[at]))
        at++;
    return at < len && data[at] != '\n' && data[at] != '#' &&
           !(data[at] == '\\' && cont_len(data + at, data + len));
}

static void check_comment_cont(struct lint_ctx *ctx, const struct ast_word *c)
{
    struct source *src = lint_source_of(ctx);
    const char *data = src->data;
    uint32_t at;

    for (at = c->span.start; at < c->span.end; at++) {
        const char *bs = memchr(data + at, '\\', c->span.end - at);
        uint32_t n, next, eol;
        if (!bs)
            return;
        at = (uint32_t)(bs - data);
        n = cont_len(data + at, data + c->span.end);
        next = at + n;
        if (!n)
            continue;
        if (!phys_line_is_code(data, src->len, next)) {
            at = next - 1;
            continue;
        }
        eol = line_end(data, src->len, next);
        lint_report(ctx, &comment_continuation, lint_span(at, at + 1),
                    "the comment ends in '\\', so the next line '%s' is part "
                    "of the comment and never runs",
                    lint_show(ctx, data + next, eol - next));
        return;
    }
}

/* The logical text around a continuation part, for the message. */
static void report_glue(struct lint_ctx *ctx, const struct ast_word *w,
                        const struct ast_part *p)
{
    const char *data = src_data(ctx);
    uint32_t before = p->span.start, after = p->span.end;
    uint32_t from, to;
    struct diag *dg;

    /* The pieces: back to the word start (or an earlier continuation), on
     * to the word end (or a later one). */
    for (from = before; from > w->span.start; from--) {
        if (data[from - 1] == '\n')
            break;
    }
    for (to = after; to < w->span.end; to++) {
        if (cont_len(data + to, data + w->span.end))
            break;
    }
    dg = lint_report(ctx, &glued_continuation, lint_span(before, before + 1),
                     "the continuation joins '%s' and '%s' into one word "
                     "with no space between them",
                     lint_show(ctx, data + from, before - from),
                     lint_show(ctx, data + after, to - after));
    if (dg)
        diag_hint(lint_diags(ctx), dg,
                  "put a space before the '\\' if they are separate words");
}

/* Continuations glued on both sides, at any depth of @p parts. */
static void check_glue_parts(struct lint_ctx *ctx, const struct ast_word *w,
                             const struct ast_part *parts)
{
    const struct ast_part *p;

    for (p = parts; p; p = p->next) {
        if (p->kind == AST_PART_CONT) {
            if (p->span.start > w->span.start && p->span.end < w->span.end)
                report_glue(ctx, w, p);
        } else if (p->children) {
            check_glue_parts(ctx, w, p->children);
        }
    }
}

/* ---- IPX1009: a NUL byte (spec §1.1) ---- */

static void check_nul(struct lint_ctx *ctx, const struct ast_word *tail)
{
    const char *data = src_data(ctx);
    struct source *src = lint_source_of(ctx);
    uint32_t at, lost = 0;

    /* A UTF-16 file is all NULs: the signature rule says it once. */
    if (looks_utf16(src->data, src->len))
        return;
    for (at = tail->span.start; at < tail->span.end; at++) {
        unsigned char c = (unsigned char)data[at];
        if (c && !ast_is_space(c) && c != '\\')
            lost++;
    }
    if (lost) {
        lint_report(ctx, &nul_byte,
                    lint_span(tail->span.start, tail->span.start + 1),
                    "a NUL byte ends the line here: iPXE ignores the rest of "
                    "it ('%s')",
                    lint_show(ctx, data + tail->span.start + 1,
                              tail->span.end - tail->span.start - 1));
    } else {
        lint_report_at(ctx, &nul_byte, DIAG_INFO,
                       lint_span(tail->span.start, tail->span.start + 1),
                       "a NUL byte in the script: iPXE takes it as the end of "
                       "the line; nothing is lost here, but it is no text");
    }
}

/* ---- IPX1010/IPX1011: comments that take values and operators ---- */

/* Whether comment @p c starts with a `##NAME##` placeholder that a build
 * step replaces (as in `chain ##BASEURL##/menu.ipxe`): not a comment once
 * the file is used. */
static bool is_placeholder(const struct ast_word *c)
{
    uint32_t i;

    if (c->len < 5 || c->text[0] != '#' || c->text[1] != '#')
        return false;
    for (i = 2; i + 1 < c->len; i++) {
        char ch = c->text[i];
        if (ch == '#' && c->text[i + 1] == '#')
            return i > 2;
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
              (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
            return false;
    }
    return false;
}

static void check_comment_value(struct lint_ctx *ctx,
                                const struct lint_line *ll,
                                const struct ast_word *c)
{
    const struct lint_cmd *cmd;
    const char *name;
    const char *data = src_data(ctx);
    uint32_t word_end;

    if (!ll->ncmds || c->len < 2 || ast_is_space((unsigned char)c->text[1]) ||
        is_placeholder(c))
        return;
    cmd = &ll->cmds[ll->ncmds - 1];
    name = cmd_primary(cmd);
    if (!name || cmd->seg->argc == 0 || cmd->call.error != CMD_OK)
        return;
    for (word_end = c->span.start; word_end < c->span.end; word_end++) {
        if (ast_is_space((unsigned char)data[word_end]))
            break;
    }
    if (strcmp(name, "set") == 0 && cmd->call.nargs == 1 && c->text[1] != '#') {
        const struct ast_word *w = cmd->seg->argv[cmd->call.first_arg];
        lint_report(ctx, &value_is_comment, lint_span(c->span.start, word_end),
                    "'%s' starts a comment, so 'set %s' gets no value and "
                    "deletes the setting",
                    lint_show(ctx, c->text, word_end - c->span.start),
                    lint_show(ctx, w->text, w->len));
        return;
    }
    /* Text before the comment means the comment is a remark after it. */
    if (is_display(name) &&
        (strcmp(name, "item") != 0 || cmd->call.nargs >= 1) &&
        text_start(cmd, name) >= cmd->seg->argc) {
        lint_report(ctx, &value_is_comment, lint_span(c->span.start, word_end),
                    "'%s' starts a comment: '%s' never shows it or anything "
                    "after it on the line",
                    lint_show(ctx, c->text, word_end - c->span.start),
                    cmd->call.def->name);
    }
}

/* Whether word [p, end) is an operator. */
static const char *op_word(const char *p, size_t n)
{
    if (n == 2 && memcmp(p, "||", 2) == 0)
        return "||";
    if (n == 2 && memcmp(p, "&&", 2) == 0)
        return "&&";
    if (n == 1 && *p == ';')
        return ";";
    return NULL;
}

static void check_comment_ops(struct lint_ctx *ctx, const struct ast_line *line)
{
    const struct ast_word *c = ast_line_comment(line);
    const char *data = src_data(ctx);
    uint32_t at = c->span.start, end = c->span.end;
    /* a failure is absorbed before the comment by a `||` or `;` */
    bool caught = lint_failure_caught(line->segs);

    while (at < end) {
        uint32_t w = at, next;
        const char *op;
        while (w < end && !ast_is_space((unsigned char)data[w]))
            w++;
        op = op_word(data + at, w - at);
        next = w;
        while (next < end && ast_is_space((unsigned char)data[next]))
            next++;
        if (op && at > c->span.start) {
            uint32_t e = next;
            bool is_cmd;
            while (e < end && !ast_is_space((unsigned char)data[e]))
                e++;
            is_cmd = e > next && cmdtable_find(data + next, e - next);
            if (next == end && op[0] == '|' && !caught) {
                lint_report(ctx, &comment_hides_operator, lint_span(at, w),
                            "'||' is inside the comment: a word starting "
                            "with '#' ends the line, so a failure is not "
                            "ignored and stops the script");
                return;
            }
            if (next < end && (op[0] != ';' || is_cmd)) {
                lint_report(ctx, &comment_hides_operator, lint_span(at, w),
                            "'%s' is inside the comment: a word starting "
                            "with '#' ends the line, so '%s' never runs%s",
                            op, lint_show(ctx, data + next, end - next),
                            op[0] == '|' && !caught
                                ? " and a failure still stops the script"
                                : "");
                return;
            }
        }
        at = next;
    }
}

/* ---- IPX1012: an unclosed `${` (spec §2.5) ---- */

static void check_unclosed(struct lint_ctx *ctx, const struct ast_word *w)
{
    const char *data = src_data(ctx);
    uint32_t at = literal_find(ctx, w, "${", 2);

    if (at == UINT32_MAX)
        return;
    lint_report(ctx, &unclosed_expansion, lint_span(at, at + 2),
                "'${' has no closing '}': iPXE does not expand it and "
                "passes '%s' as literal text",
                lint_show(ctx, data + at, w->span.end - at));
}

/* ---- IPX1013: empty segments (spec §2.4) ---- */

static void check_empty(struct lint_ctx *ctx, const struct ast_line *line)
{
    const struct ast_segment *seg, *prev = NULL;

    for (seg = line->segs; seg; prev = seg, seg = seg->next) {
        const struct ast_word *op = seg->op;
        /* template control tags vanish when rendered: not known empty */
        if (seg->argc)
            continue;
        if (!prev && op) {
            const char *o = op->text;
            if (o[0] == ';') {
                lint_report_at(ctx, &empty_segment, DIAG_INFO, op->span,
                               "the line starts with ';': there is no "
                               "command before it, so it does nothing");
            } else {
                lint_report(ctx, &empty_segment, op->span,
                            "the line starts with '%.2s': the empty command "
                            "before it succeeds, so what follows %s",
                            o, o[0] == '|' ? "never runs" : "always runs");
            }
        } else if (prev && op) {
            lint_report(ctx, &empty_segment, op->span,
                        "no command between '%.*s' and '%.*s': the empty "
                        "command there succeeds when it runs, so the line "
                        "does not do what it reads like",
                        (int)prev->op->len, prev->op->text, (int)op->len,
                        op->text);
        } else if (prev && !op && prev->op) {
            const struct ast_word *last = prev->op;
            if (last->text[0] == ';') {
                lint_report_at(ctx, &empty_segment, DIAG_INFO, last->span,
                               "a trailing ';' runs an empty command that "
                               "succeeds, so a failure before it is silently "
                               "ignored (unlike a shell); write '||' if that "
                               "is meant");
            } else if (last->text[0] == '&') {
                lint_report(ctx, &empty_segment, last->span,
                            "a trailing '&&' has nothing after it: it does "
                            "nothing, and a failure before it still stops "
                            "the script");
            }
        }
    }
}

static void check_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    const struct ast_line *line = ll->line;
    const struct ast_segment *seg;
    uint32_t i;

    if (line->flags & AST_L_ERROR)
        return;
    /* a label is never expanded: only its continuations matter here */
    if (line->label && (line->flags & AST_L_CONT))
        check_glue_parts(ctx, line->label, ast_word_parts(line->label));
    /* continuations and `${` are all the words are looked at for */
    seg = (line->flags & AST_L_CONT) ||
                  (line_has(ctx, ll, HAS_DOLLAR) & HAS_DOLLAR)
              ? line->segs
              : NULL;
    for (; seg; seg = seg->next) {
        for (i = 0; i < seg->argc; i++) {
            const struct ast_word *w = seg->argv[i];
            if (w->flags & AST_W_CONT)
                check_glue_parts(ctx, w, ast_word_parts(w));
            if ((w->flags & AST_W_UNCLOSED) && !(w->flags & AST_W_TEMPLATE) &&
                !lint_has_foreign_tag(w->text, w->len))
                check_unclosed(ctx, w);
        }
    }
    check_empty(ctx, line);
    if (ast_line_comment(line)) {
        check_comment_cont(ctx, line->trail);
        check_comment_value(ctx, ll, line->trail);
        if (line_has_code(line) && !is_placeholder(line->trail))
            check_comment_ops(ctx, line);
    }
    if (ast_line_tail(line))
        check_nul(ctx, line->trail);
}

/* ---- IPX1006: quotes (spec §2.2) ---- */

static bool is_quote(char c)
{
    return c == '"' || c == '\'';
}

/* Report quotes from word @p i to word @p j of @p cmd; @p whole says they
 * wrap all the arguments, so removing them is the obvious fix. */
static void report_quotes(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                          const char *name, uint32_t i, uint32_t j, bool whole)
{
    const struct ast_word *a = cmd->seg->argv[i], *b = cmd->seg->argv[j];
    struct span at = lint_span(a->span.start, b->span.end);
    struct diag_list *dl = lint_diags(ctx);
    char q[2] = {a->text[0], 0};
    struct diag *dg;

    if (is_display(name)) {
        dg = lint_report(ctx, &quotes, at,
                         "iPXE has no quoting: '%s' shows the %s characters "
                         "too",
                         cmd->call.def->name,
                         q[0] == '"' ? "quote" : "single-quote");
    } else if (strcmp(name, "iseq") == 0) {
        dg = lint_report(ctx, &quotes, at,
                         "iPXE has no quoting: 'iseq' compares the %s "
                         "characters too, so it only matches a value that "
                         "contains them",
                         q[0] == '"' ? "quote" : "single-quote");
    } else if (strcmp(name, "set") == 0 && i > cmd->call.first_arg) {
        const struct ast_word *w = cmd->seg->argv[cmd->call.first_arg];
        dg = lint_report(ctx, &quotes, at,
                         "iPXE has no quoting: 'set %s' stores the %s "
                         "characters as part of the value",
                         lint_show(ctx, w->text, w->len),
                         q[0] == '"' ? "quote" : "single-quote");
    } else if (i == j) {
        dg = lint_report(ctx, &quotes, at,
                         "iPXE has no quoting: the %s characters are part of "
                         "the argument '%s'",
                         q[0] == '"' ? "quote" : "single-quote",
                         lint_show(ctx, a->text, a->len));
    } else {
        dg = lint_report(ctx, &quotes, at,
                         "iPXE has no quoting: '%s' gets the words as "
                         "separate arguments, with the %s characters kept",
                         cmd->call.def->name,
                         q[0] == '"' ? "quote" : "single-quote");
    }
    if (!dg || !whole || (a->flags & AST_W_CONT) || (b->flags & AST_W_CONT))
        return;
    diag_fix(dl, dg, lint_span(a->span.start, a->span.start + 1), "");
    diag_fix(dl, dg, lint_span(b->span.end - 1, b->span.end), "");
}

static void check_quotes(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                         const char *name)
{
    const struct ast_segment *seg = cmd->seg;
    uint32_t first = cmd->call.first_arg, end = first + cmd->call.nargs;
    uint32_t i, j;

    if (end > seg->argc)
        end = seg->argc;
    if (is_image(name)) {
        /* The rest is a command line for the image: the kernel reads
         * quotes there (`append="a b"`), so only the URI counts. */
        const struct ast_word *w = first < end ? seg->argv[first] : NULL;
        if (w && w->len && is_quote(w->text[0]))
            report_quotes(ctx, cmd, name, first, first,
                          w->len >= 2 && w->text[w->len - 1] == w->text[0]);
        return;
    }
    if (is_display(name)) {
        /* Quotes inside prose (`Type "exit" to ...`) are meant to show;
         * quotes wrapping the whole text are the shell habit. */
        const struct ast_word *a, *b;
        i = text_start(cmd, name);
        if (i >= end)
            return;
        a = seg->argv[i];
        b = seg->argv[end - 1];
        if (a->len && b->len && is_quote(a->text[0]) &&
            b->text[b->len - 1] == a->text[0] && (a != b || a->len >= 2))
            report_quotes(ctx, cmd, name, i, end - 1, true);
        return;
    }
    for (i = first; i < end; i++) {
        const struct ast_word *a = seg->argv[i];
        if (!a->len || !is_quote(a->text[0]))
            continue;
        for (j = i; j < end; j++) {
            const struct ast_word *b = seg->argv[j];
            if (b->len >= (a == b ? 2u : 1u) &&
                b->text[b->len - 1] == a->text[0])
                break;
        }
        if (j == end)
            continue;
        /* removing the quotes is the fix when they wrap one word or all
         * the arguments (all of a set's value) */
        report_quotes(ctx, cmd, name, i, j,
                      i == j || (j == end - 1 &&
                                 (i == first || (strcmp(name, "set") == 0 &&
                                                 i == first + 1))));
        return;
    }
}

/* ---- IPX1007: backslash escapes (spec §2.2) ---- */

static void check_backslash_word(struct lint_ctx *ctx, const struct ast_word *w,
                                 bool display)
{
    const char *data = src_data(ctx);
    uint32_t i;

    for (i = 0; i + 1 <= w->len; i++) {
        const char *bs = memchr(w->text + i, '\\', w->len - i);
        char c, n;
        uint32_t at;
        if (!bs)
            return;
        i = (uint32_t)(bs - w->text);
        at = word_offset(ctx, w, i);
        if (in_part(w, at))
            continue;
        if (i + 1 == w->len) {
            /* `\ ` : a backslash then whitespace */
            uint32_t p = w->span.end;
            const struct source *src = lint_source_of(ctx);
            while (p < src->len && (data[p] == ' ' || data[p] == '\t'))
                p++;
            if (p < src->len && data[p] != '\n' && data[p] != '\r') {
                if (display)
                    return; /* ASCII art: `/\/\ Title /\/\` */
                lint_report(ctx, &backslash_escape, lint_span(at, at + 1),
                            "'\\ ' does not escape the space: iPXE keeps the "
                            "backslash and still splits the words there");
            } else {
                lint_report(ctx, &backslash_escape, lint_span(at, at + 1),
                            "whitespace follows the '\\' at the end of the "
                            "line, so it is not a continuation: the next "
                            "line runs as a separate command");
            }
            return;
        }
        c = w->text[i + 1];
        n = i + 2 < w->len ? w->text[i + 2] : 0;
        if ((c == '$' && n == '{') || c == '"' || c == '\'' ||
            (display && (c == 'n' || c == 't' || c == 'r' || c == '0' ||
                         (c == 'x' && n &&
                          ((n >= '0' && n <= '9') || (n >= 'a' && n <= 'f') ||
                           (n >= 'A' && n <= 'F')))))) {
            lint_report(ctx, &backslash_escape, word_span(ctx, w, i, 2),
                        "'\\%c' is not an escape in iPXE: the backslash stays "
                        "as text%s",
                        c, c == '$' ? " and '${...}' is still expanded" : "");
            return;
        }
    }
}

/* ---- IPX1008: operators glued to words (spec §2.4) ---- */

static void check_glued_word(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                             uint32_t k, bool text_only, unsigned has)
{
    const struct ast_word *w = cmd->seg->argv[k];
    const char *data = src_data(ctx);
    static const char *const ops[] = {"||", "&&"};
    bool last_on_line = k + 1 == cmd->seg->argc && !cmd->seg->op;
    struct diag *dg;
    size_t o;

    for (o = 0; o < 2; o++) {
        uint32_t at;
        bool edge;
        if (!(has & (o ? HAS_AMP : HAS_PIPE)))
            continue;
        at = literal_find(ctx, w, ops[o], 2);
        if (at == UINT32_MAX)
            continue;
        edge = at == w->span.start || at + 2 == w->span.end;
        if (text_only && !edge)
            continue;
        if (k == 0)
            dg = lint_report(ctx, &glued_operator, lint_span(at, at + 2),
                             "'%s' is one word: '%s' is an operator only "
                             "between spaces, so iPXE looks for a command "
                             "called '%s'",
                             lint_show(ctx, w->text, w->len), ops[o],
                             lint_show(ctx, w->text, w->len));
        else
            dg = lint_report(
                ctx, &glued_operator, lint_span(at, at + 2),
                "'%s' is one word: '%s' is an operator only "
                "between spaces, so here it is text passed to "
                "'%s'%s",
                lint_show(ctx, w->text, w->len), ops[o], cmd_word0(ctx, cmd),
                ops[o][0] == '|' ? " and a failure is not caught" : "");
        /* the fix puts spaces where the operator touches a word */
        if (dg && !(w->flags & AST_W_CONT)) {
            if (at > w->span.start)
                diag_fix(lint_diags(ctx), dg, lint_span(at, at), " ");
            if (at + 2 < w->span.end)
                diag_fix(lint_diags(ctx), dg, lint_span(at + 2, at + 2), " ");
        }
        return;
    }
    if (text_only || w->len < 2 || !(has & HAS_SEMI))
        return;
    if (w->text[w->len - 1] == ';' && !in_part(w, w->span.end - 1)) {
        uint32_t at = w->span.end - 1;
        if (k == 0)
            dg = lint_report(ctx, &glued_operator, lint_span(at, at + 1),
                             "'%s' is one word: ';' is an operator only "
                             "between spaces, so iPXE looks for a command "
                             "called '%s'",
                             lint_show(ctx, w->text, w->len),
                             lint_show(ctx, w->text, w->len));
        else
            dg = lint_report(ctx, &glued_operator, lint_span(at, at + 1),
                             "'%s' is one word: ';' is an operator only "
                             "between spaces, so '%s' gets it with the ';'%s",
                             lint_show(ctx, w->text, w->len),
                             cmd_word0(ctx, cmd),
                             last_on_line ? "" : " and the words after it");
        if (dg && !(w->flags & AST_W_CONT))
            diag_fix(lint_diags(ctx), dg,
                     lint_span(at, last_on_line ? at + 1 : at),
                     last_on_line ? "" : " ");
    } else if (w->text[0] == ';' && data[w->span.start] == ';') {
        dg = lint_report(ctx, &glued_operator,
                         lint_span(w->span.start, w->span.start + 1),
                         "'%s' is one word: ';' is an operator only between "
                         "spaces, so here it is text",
                         lint_show(ctx, w->text, w->len));
        if (dg && !(w->flags & AST_W_CONT))
            diag_fix(lint_diags(ctx), dg,
                     lint_span(w->span.start + 1, w->span.start + 1), " ");
    }
}

/* Which operator bytes the words of @p cmd hold (HAS_PIPE, ...): the
 * operators between commands lie outside its words. */
static unsigned cmd_has_ops(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct ast_segment *seg = cmd->seg;
    const char *data = src_data(ctx);
    const char *p = data + seg->argv[0]->span.start;
    const char *end = data + seg->argv[seg->argc - 1]->span.end;
    unsigned has = 0;

    if (end <= p)
        return 0;
    if (bytes_have(p, end, '|', 0))
        has |= HAS_PIPE;
    if (bytes_have(p, end, '&', 0))
        has |= HAS_AMP;
    if (bytes_have(p, end, ';', 0))
        has |= HAS_SEMI;
    return has;
}

static void check_command(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct ast_segment *seg = cmd->seg;
    const char *name;
    uint32_t k, text = UINT32_MAX, args = UINT32_MAX;
    unsigned has;
    bool display;

    if (!seg->argc)
        return;
    /* most commands have none of the bytes these checks are about */
    has = line_has(ctx, cmd->ll, HAS_QUOTE | HAS_BACKSLASH) |
          cmd_has_ops(ctx, cmd);
    if (!has)
        return;
    name = cmd_primary(cmd);
    display = is_display(name);
    if (name) {
        if (display)
            text = text_start(cmd, name);
        else if (is_image(name))
            args = cmd->call.first_arg + 1;
        if (has & HAS_QUOTE)
            check_quotes(ctx, cmd, name);
    }
    if (!(has & (HAS_BACKSLASH | HAS_PIPE | HAS_AMP | HAS_SEMI)))
        return;
    for (k = 0; k < seg->argc; k++) {
        const struct ast_word *w = seg->argv[k];
        bool free_text = k >= text || k >= args;
        if (w->flags & AST_W_CONTROL)
            continue;
        if (has & HAS_BACKSLASH)
            check_backslash_word(ctx, w, k >= text);
        if (has & (HAS_PIPE | HAS_AMP | HAS_SEMI))
            check_glued_word(ctx, cmd, k, free_text, has);
    }
}

/* ---- IPX1014/IPX1015: what the bytes say the file is written in ---- */

static void check_dialect(struct lint_ctx *ctx)
{
    const struct ast_script *s = lint_script(ctx);
    struct span at = s->sniffed;
    const char *what;

    if (s->dialect == AST_DIALECT_NAMED)
        return;
    what = lint_show(ctx, src_data(ctx) + at.start, at.end - at.start);
    switch (s->dialect) {
    case AST_DIALECT_NAMED:
        return;
    case AST_DIALECT_TAGS:
        lint_report(ctx, &template_by_content, at,
                    "linted as a template, each tag an opaque word: '%s' is "
                    "a template tag, but the file is not named as one (name "
                    "it .j2, .tmpl or .erb, or pass --template, to say so)",
                    what);
        return;
    case AST_DIALECT_CHEETAH:
        lint_report(ctx, &lint_rule_unchecked_dialect, at,
                    "a Cobbler (Cheetah) template, not checked: '%s' is a "
                    "Cheetah directive, a dialect ipxe-lint does not read, "
                    "so nothing else in it is checked",
                    what);
        return;
    }
}
