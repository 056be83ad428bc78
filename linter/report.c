/* SPDX-License-Identifier: MIT */
/** @file Findings as text: the output formats of ipxe-lint. */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diff.h"
#include "jsonw.h"
#include "report_ci.h"
#include "ruledocs.h"
#include "rules.h"
#include "source.h"

#ifndef IPXEKIT_VERSION
#define IPXEKIT_VERSION "0"
#endif

static const char *const format_names[] = {
    [REPORT_TTY] = "tty",
    [REPORT_GCC] = "gcc",
    [REPORT_JSON] = "json",
    [REPORT_SARIF] = "sarif",
    [REPORT_DIFF] = "diff",
    [REPORT_QUIET] = "quiet",
    [REPORT_CHECKSTYLE] = "checkstyle",
    [REPORT_CODECLIMATE] = "codeclimate",
};

const char *report_format_name(size_t i)
{
    return i < sizeof(format_names) / sizeof(format_names[0]) ? format_names[i]
                                                              : NULL;
}

int report_format_parse(const char *s, enum report_format *out)
{
    size_t i;

    for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
        if (strcmp(s, format_names[i]) == 0) {
            *out = (enum report_format)i;
            return 0;
        }
    }
    return -EINVAL;
}

int report_init(struct report *r, enum report_format fmt, bool color)
{
    memset(r, 0, sizeof(*r));
    r->fmt = fmt;
    r->color = color && fmt == REPORT_TTY;
    /* json and sarif findings are written as they come, at the depth the
     * document's findings array will have (see report_finish()). */
    buf_init(&r->body, BUF_MAX_UNLIMITED);
    jsonw_init(&r->jw, &r->body,
               fmt == REPORT_SARIF         ? 4
               : fmt == REPORT_CODECLIMATE ? 1
                                           : 2);
    return 0;
}

void report_release(struct report *r)
{
    buf_release(&r->body);
}

/* gcc and editors know error, warning and note. */
static const char *gcc_severity(enum diag_severity sev)
{
    return sev == DIAG_ERROR     ? "error"
           : sev == DIAG_WARNING ? "warning"
                                 : "note";
}

/* The longest hint a one-line format shows: a "did you mean", not advice
 * that belongs to the tty report and --explain. */
#define GCC_HINT_MAX 48

/* How much of @p msg its first clause is: up to the first ": " or "; "
 * that is not inside quoted user text ('...').  A message says what is wrong,
 * then
 * ": " and what happens at boot; the one-line formats keep the first part,
 * --explain and the tty and document formats have the rest. */
static size_t first_clause(const char *msg)
{
    bool quoted = false;
    size_t i, from = 0;

    for (i = 0; msg[i]; i++) {
        char c = msg[i];
        /* a quote opens after a blank or '(' and closes before a blank or
         * punctuation: an apostrophe inside a word ("iPXE's") is neither */
        if (c == '\'' && !quoted &&
            (i == 0 || msg[i - 1] == ' ' || msg[i - 1] == '('))
            quoted = true;
        else if (c == '\'' && quoted &&
                 (msg[i + 1] == '\0' || strchr(" :,;)?", msg[i + 1])))
            quoted = false;
        else if ((c == ':' || c == ';') && msg[i + 1] == ' ' && !quoted) {
            /* "'exit -1': ..." says nothing before the colon: go on */
            if (msg[from] == '\'' && i > from + 1 && msg[i - 1] == '\'' &&
                strcspn(msg + from + 1, "'") == i - from - 2) {
                from = i + 2;
                continue;
            }
            return i;
        }
    }
    return i;
}

/* Write the decimal digits of @p v at @p p; returns the end. */
static char *put_uint(char *p, uint32_t v)
{
    char digits[10];
    size_t n = 0;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = digits[--n];
    return p;
}

static char *put(char *p, const char *s, size_t len)
{
    memcpy(p, s, len);
    return p + len;
}

/* The buffer is grown once and filled with memcpy: with hundreds of
 * thousands of findings, formatting each line with printf was a tenth of
 * the time. */
int report_gcc_line(struct buf *out, const char *path, struct source *src,
                    const struct diag *dg)
{
    struct position pos = source_position(src, dg->span.start);
    size_t hint_len = dg->hint ? strlen(dg->hint) : 0;
    bool hint = dg->hint && hint_len <= GCC_HINT_MAX;
    const char *sev = gcc_severity(dg->sev);
    const char *code = dg->code ? dg->code : "(null)";
    size_t path_len = strlen(path), sev_len = strlen(sev);
    size_t msg_len = first_clause(dg->msg), code_len = strlen(code);
    char *p;
    int rc;

    /* path:line:col: sev: msg[; hint] [code]\n */
    rc = buf_grow(out, path_len + sev_len + msg_len + code_len + hint_len +
                           2 * 10 + 12);
    if (rc)
        return rc;
    p = out->data + out->len;
    p = put(p, path, path_len);
    *p++ = ':';
    p = put_uint(p, pos.line);
    *p++ = ':';
    p = put_uint(p, pos.column);
    p = put(p, ": ", 2);
    p = put(p, sev, sev_len);
    p = put(p, ": ", 2);
    /* a short hint too ("did you mean 'chain'?") */
    p = put(p, dg->msg, msg_len);
    if (hint) {
        p = put(p, "; ", 2);
        p = put(p, dg->hint, hint_len);
    }
    p = put(p, " [", 2);
    p = put(p, code, code_len);
    p = put(p, "]\n", 2);
    out->len = (size_t)(p - out->data);
    out->data[out->len] = '\0';
    return 0;
}

/* Hand the output to the report's flush when it has grown large. */
static int report_flush(struct report *r, struct buf *out)
{
    if (!r->flush || out->len < REPORT_FLUSH_AT)
        return 0;
    return r->flush(out, r->flush_arg);
}

/* ---- tty ---- */

#define C_RESET "\033[0m"
#define C_BOLD  "\033[1m"
#define C_ERROR "\033[1;31m"
#define C_WARN  "\033[1;35m"
#define C_NOTE  "\033[1;36m"
#define C_CARET "\033[1;32m"

static const char *tty_color(enum diag_severity sev)
{
    return sev == DIAG_ERROR ? C_ERROR : sev == DIAG_WARNING ? C_WARN : C_NOTE;
}

/* The most of a line a snippet shows, and how much of it comes before the
 * finding when a longer line is cut: the whole line under every finding of
 * a long line would make the output grow as findings times line length. */
#define SNIPPET_MAX    160
#define SNIPPET_BEFORE 40

/* The source line of [start, end), and a caret line under it (report.h).
 * Tabs are copied into the caret line so the caret stays under the text.
 * A line longer than SNIPPET_MAX is shown as a window around the span,
 * with "..." where it was cut. */
/* Where a snippet of the line holding @p start shows it. */
struct snippet {
    const char *line; /**< the source line (borrowed) */
    size_t len;       /**< its length, without a CR before the newline */
    size_t from, to;  /**< the bytes shown */
    unsigned lineno;  /**< 1-based */
};

static void snippet_init(struct snippet *sn, struct source *src, uint32_t start)
{
    struct position pos = source_position(src, start);
    size_t start_col = pos.column - 1;

    sn->line = source_line(src, start, &sn->len);
    sn->lineno = pos.line;
    if (sn->len > 0 && sn->line[sn->len - 1] == '\r')
        sn->len--;
    sn->from = 0;
    sn->to = sn->len;
    if (sn->len > SNIPPET_MAX) {
        sn->from = start_col > SNIPPET_BEFORE ? start_col - SNIPPET_BEFORE : 0;
        if (sn->from > sn->len - SNIPPET_MAX)
            sn->from = sn->len - SNIPPET_MAX;
        sn->to = sn->from + SNIPPET_MAX;
        while (sn->from > 0 && utf8_continues(sn->line[sn->from]))
            sn->from--;
        while (sn->to < sn->len && utf8_continues(sn->line[sn->to]))
            sn->to++;
    }
}

/* The source line, as much of it as the snippet shows. */
static int snippet_line(struct buf *out, const struct snippet *sn,
                        enum report_snippet_flags flags)
{
    size_t i;
    int rc;

    if (flags & REPORT_SNIPPET_BARE)
        rc = buf_adds(out, sn->from ? "  | ..." : "  | ");
    else
        rc = buf_addf(out, "%5u | %s", sn->lineno, sn->from ? "..." : "");
    for (i = sn->from; i < sn->to && !rc; i++) {
        unsigned char c = (unsigned char)sn->line[i];
        rc = buf_addch(out,
                       (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c);
    }
    if (!rc && sn->to < sn->len)
        rc = buf_adds(out, "...");
    return rc ? rc : buf_addch(out, '\n');
}

/* A caret line under [start, end) of the snippet's line.  Tabs are copied
 * so that the caret stays under the text. */
static int snippet_caret(struct buf *out, const struct snippet *sn,
                         struct source *src, uint32_t start, uint32_t end,
                         enum report_snippet_flags flags, const char *label)
{
    size_t i, start_col = source_position(src, start).column - 1, end_col;
    int rc;

    end_col = end > start ? start_col + (end - start) : start_col + 1;
    if (end_col > sn->to)
        end_col = sn->to > start_col ? sn->to : start_col + 1;
    if (flags & REPORT_SNIPPET_BARE)
        rc = buf_adds(out, sn->from ? "  |    " : "  | ");
    else
        rc = buf_adds(out, sn->from ? "      |    " : "      | ");
    for (i = sn->from; i < start_col && !rc; i++)
        rc = buf_addch(out, i < sn->len && sn->line[i] == '\t' ? '\t' : ' ');
    if (!rc && (flags & REPORT_SNIPPET_COLOR))
        rc = buf_adds(out, C_CARET);
    for (i = start_col; i < end_col && !rc; i++)
        rc = buf_addch(out, i == start_col ? '^' : '~');
    if (!rc && (flags & REPORT_SNIPPET_COLOR))
        rc = buf_adds(out, C_RESET);
    if (!rc && label)
        rc = buf_addf(out, " %s", label);
    return rc ? rc : buf_addch(out, '\n');
}

/* The source line of [start, end), and a caret line under it (report.h).
 * A line longer than SNIPPET_MAX is shown as a window around the span,
 * with "..." where it was cut. */
int report_snippet(struct buf *out, struct source *src, uint32_t start,
                   uint32_t end, enum report_snippet_flags flags)
{
    struct snippet sn;
    int rc;

    snippet_init(&sn, src, start);
    rc = snippet_line(out, &sn, flags);
    return rc ? rc : snippet_caret(out, &sn, src, start, end, flags, NULL);
}

static void tty_note_code(struct report *r, const char *code)
{
    size_t i;

    for (i = 0; i < r->codes_seen; i++) {
        if (strcmp(r->codes[i], code) == 0)
            return;
    }
    if (r->codes_seen < sizeof(r->codes) / sizeof(r->codes[0]))
        r->codes[r->codes_seen++] = code;
}

/* Append @p text, breaking it at spaces so that no line is longer than
 * r->width columns when the first line starts at column @p col; later lines
 * are indented by 4.  A word longer than a line is not broken: a terminal
 * that wraps mid-word makes a message hard to read. */
static int tty_wrap(const struct report *r, struct buf *out, size_t col,
                    const char *text)
{
    size_t width = r->width, len = strlen(text);
    int rc = 0;

    while (!rc && width > 20 && col + len > width) {
        size_t room = width - col, cut = room;
        while (cut > 0 && text[cut] != ' ')
            cut--;
        if (cut == 0) { /* one long word: to its end */
            for (cut = room; cut < len && text[cut] != ' '; cut++)
                ;
            if (cut == len)
                break;
        }
        rc = buf_add(out, text, cut);
        if (!rc)
            rc = buf_adds(out, "\n    ");
        text += cut + 1;
        len -= cut + 1;
        col = 4;
    }
    return rc ? rc : buf_add(out, text, len);
}

/* The header line of a finding: where, how bad, what, and its code. */
static int tty_header(struct report *r, struct buf *out, const char *path,
                      struct source *src, const struct diag *dg)
{
    struct position pos = source_position(src, dg->span.start);
    const char *sev = diag_severity_name(dg->sev);
    struct buf msg;
    size_t col;
    int rc;

    if (r->color)
        rc = buf_addf(out, C_BOLD "%s:%u:%u:" C_RESET " %s%s:" C_RESET " ",
                      path, pos.line, pos.column, tty_color(dg->sev), sev);
    else
        rc = buf_addf(out, "%s:%u:%u: %s: ", path, pos.line, pos.column, sev);
    /* the columns the prefix takes, without colour codes */
    col = strlen(path) + strlen(sev) + 6 +
          (size_t)snprintf(NULL, 0, "%u%u", pos.line, pos.column);
    buf_init(&msg, BUF_MAX_UNLIMITED);
    if (!rc)
        rc = buf_addf(&msg, "%s [%s]", dg->msg, dg->code);
    if (!rc)
        rc = tty_wrap(r, out, col, msg.data);
    buf_release(&msg);
    tty_note_code(r, dg->code);
    r->counts[dg->sev]++;
    return rc ? rc : buf_addch(out, '\n');
}

/* The findings [from, to) of @p d, which are on one line: their headers,
 * then the line once with a caret under each finding, each followed by its
 * hint.  A line too long to show whole is shown around each finding. */
static int tty_line(struct report *r, struct buf *out, const char *path,
                    struct source *src, const struct diag *const *dg, size_t n)
{
    enum report_snippet_flags flags = r->color ? REPORT_SNIPPET_COLOR : 0;
    struct snippet sn;
    size_t i;
    int rc = 0;

    snippet_init(&sn, src, dg[0]->span.start);
    if (sn.len > SNIPPET_MAX) {
        for (i = 0; i < n && !rc; i++) {
            rc = tty_header(r, out, path, src, dg[i]);
            if (!rc)
                rc = report_snippet(out, src, dg[i]->span.start,
                                    dg[i]->span.end, flags);
            if (!rc && dg[i]->hint)
                rc = buf_addf(out, "      = hint: %s\n", dg[i]->hint);
        }
        return rc;
    }
    for (i = 0; i < n && !rc; i++)
        rc = tty_header(r, out, path, src, dg[i]);
    if (!rc)
        rc = snippet_line(out, &sn, flags);
    for (i = 0; i < n && !rc; i++) {
        /* several carets: each says whose it is */
        rc = snippet_caret(out, &sn, src, dg[i]->span.start, dg[i]->span.end,
                           flags, n > 1 ? dg[i]->code : NULL);
        if (!rc && dg[i]->hint)
            rc = buf_addf(out, "      = hint: %s\n", dg[i]->hint);
    }
    return rc;
}

/* The tty report of one file: the findings shown, grouped by line. */
static int tty_file(struct report *r, struct buf *out, const char *path,
                    struct source *src, const struct diag_list *d,
                    enum diag_severity min_sev)
{
    const struct diag **group;
    size_t i, n = 0, shown = 0;
    unsigned line = 0;
    int rc = 0;

    group = malloc((d->len ? d->len : 1) * sizeof(*group));
    if (!group)
        return -ENOMEM;
    for (i = 0; i <= d->len && !rc; i++) {
        const struct diag *dg = i < d->len ? &d->items[i] : NULL;
        unsigned l;

        if (dg && dg->sev > min_sev)
            continue;
        l = dg ? source_position(src, dg->span.start).line : 0;
        if (n && (!dg || l != line)) {
            rc = tty_line(r, out, path, src, group, n);
            if (!rc)
                rc = report_flush(r, out);
            n = 0;
        }
        if (dg) {
            group[n++] = dg;
            line = l;
            shown++;
        }
    }
    r->nfiles++;
    r->nfiles_found += shown != 0;
    free(group);
    return rc;
}

/* "3 errors, 1 warning and 2 notes in 2 of 5 files", at the end. */
static int tty_summary(struct report *r, struct buf *out)
{
    static const char *const names[] = {"error", "warning", "note"};
    size_t counts[3] = {r->counts[DIAG_ERROR], r->counts[DIAG_WARNING],
                        r->counts[DIAG_INFO] + r->counts[DIAG_STYLE]};
    size_t i, shown = 0, kinds = 0;
    int rc;

    for (i = 0; i < 3; i++)
        kinds += counts[i] != 0;
    if (!kinds)
        return buf_addf(out, "\nno findings in %zu file%s\n", r->nfiles,
                        r->nfiles == 1 ? "" : "s");
    rc = buf_addch(out, '\n');
    for (i = 0; i < 3 && !rc; i++) {
        if (!counts[i])
            continue;
        shown++;
        rc = buf_addf(out, "%s%zu %s%s",
                      shown == 1       ? ""
                      : shown == kinds ? " and "
                                       : ", ",
                      counts[i], names[i], counts[i] == 1 ? "" : "s");
    }
    return rc ? rc
              : buf_addf(out, " in %zu of %zu file%s\n", r->nfiles_found,
                         r->nfiles, r->nfiles == 1 ? "" : "s");
}

/* ---- json ---- */

/* A finding's fixes: null, or a list of replacements. */
static void json_fixes(struct jsonw *w, const struct diag *dg)
{
    size_t i;

    if (!dg->nfixes) {
        jsonw_null(w, "fix");
        return;
    }
    jsonw_array(w, "fix");
    for (i = 0; i < dg->nfixes; i++) {
        jsonw_object(w, NULL);
        jsonw_int(w, "start", dg->fixes[i].span.start);
        jsonw_int(w, "end", dg->fixes[i].span.end);
        jsonw_string(w, "text", dg->fixes[i].text);
        jsonw_end(w);
    }
    jsonw_end(w);
}

static int json_finding(struct report *r, const char *path, struct source *src,
                        const struct diag *dg)
{
    struct position a = source_position(src, dg->span.start);
    struct position b = source_position(src, dg->span.end);
    struct jsonw *w = &r->jw;

    jsonw_object(w, NULL);
    jsonw_string(w, "file", path);
    jsonw_int(w, "line", a.line);
    jsonw_int(w, "column", a.column);
    jsonw_int(w, "endLine", b.line);
    jsonw_int(w, "endColumn", b.column);
    jsonw_string(w, "severity", diag_severity_name(dg->sev));
    jsonw_string(w, "code", dg->code);
    jsonw_string(w, "name", dg->name);
    jsonw_string(w, "message", dg->msg);
    if (dg->hint)
        jsonw_string(w, "hint", dg->hint);
    else
        jsonw_null(w, "hint");
    json_fixes(w, dg);
    jsonw_end(w);
    r->nbody++;
    return jsonw_status(w);
}

/* ---- sarif ---- */

static const char *sarif_level(enum diag_severity sev)
{
    return sev == DIAG_ERROR     ? "error"
           : sev == DIAG_WARNING ? "warning"
                                 : "note";
}

const char *report_relative_path(const char *path, char *cwd_buf,
                                 size_t cwd_size)
{
    size_t n;

    if (path[0] == '/' && getcwd(cwd_buf, cwd_size)) {
        n = strlen(cwd_buf);
        if (strncmp(path, cwd_buf, n) == 0 && path[n] == '/')
            path += n + 1;
    }
    while (path[0] == '.' && path[1] == '/') {
        path += 2;
        while (path[0] == '/')
            path++; /* ".//x" is "x", not "/x" */
    }
    return path;
}

/* Whether folder @p dir holds a repository: a .git folder, or a .git file
 * (a worktree's).  @p dir is restored before returning. */
static bool is_repo_root(struct buf *dir)
{
    struct stat st;
    size_t len = dir->len;
    bool found;

    if (buf_adds(dir, "/.git"))
        return false;
    found = stat(dir->data, &st) == 0;
    buf_truncate(dir, len);
    return found;
}

int report_repo_path(const char *path, struct buf *out)
{
    char cwd[4096], *abs = strcmp(path, "-") ? realpath(path, NULL) : NULL;
    const char *rel;
    struct buf dir;
    size_t n;
    int rc = 0;

    if (!abs) { /* standard input, or a path that no longer resolves */
        rel = report_relative_path(path, cwd, sizeof(cwd));
    } else {
        /* the nearest folder above the file that is a repository's root */
        buf_init(&dir, BUF_MAX_UNLIMITED);
        rc = buf_adds(&dir, abs);
        rel = abs;
        while (!rc && dir.len > 1) {
            char *slash = strrchr(dir.data, '/');
            buf_truncate(&dir, slash && slash > dir.data
                                   ? (size_t)(slash - dir.data)
                                   : 1);
            if (dir.len > 1 && is_repo_root(&dir)) {
                rel = abs + dir.len + 1;
                break;
            }
        }
        /* else relative to the current folder, when the file is under it */
        if (rel == abs && getcwd(cwd, sizeof(cwd))) {
            n = strlen(cwd);
            if (strncmp(abs, cwd, n) == 0 && abs[n] == '/')
                rel = abs + n + 1;
        }
        buf_release(&dir);
    }
    for (; *rel && !rc; rel++) {
        if (rel[0] == '/' && rel[1] == '/')
            continue; /* "a//b" is "a/b" */
        rc = buf_addch(out, *rel);
    }
    free(abs);
    return rc;
}

/* The artifact URI of @p path: relative to its repository's root, and
 * every byte outside RFC 3986's unreserved set and '/' percent-encoded. */
static int sarif_uri_of(const char *path, struct buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    struct buf rel;
    const char *p;
    int rc;

    buf_init(&rel, BUF_MAX_UNLIMITED);
    rc = report_repo_path(path, &rel);
    p = rel.len ? rel.data : "";
    if (!rc && p[0] == '/')
        rc = buf_adds(out, "file://");
    for (; *p && !rc; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~' || c == '/')
            rc = buf_addch(out, (char)c);
        else
            rc = buf_addf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
    buf_release(&rel);
    return rc;
}

static int sarif_finding(struct report *r, const char *path, struct source *src,
                         const struct diag *dg)
{
    struct position a = source_position(src, dg->span.start);
    struct position b = source_position(src, dg->span.end);
    struct jsonw *w = &r->jw;
    struct buf uri;

    if (b.line == a.line && b.column <= a.column)
        b.column = a.column + 1; /* SARIF regions are not empty */
    buf_init(&uri, 65536);
    if (sarif_uri_of(path, &uri)) {
        buf_release(&uri);
        return -ENOMEM;
    }
    jsonw_object(w, NULL);
    jsonw_string(w, "ruleId", dg->code);
    jsonw_string(w, "level", sarif_level(dg->sev));
    jsonw_object(w, "message");
    jsonw_string(w, "text", dg->msg);
    jsonw_end(w);
    jsonw_array(w, "locations");
    jsonw_object(w, NULL);
    jsonw_object(w, "physicalLocation");
    jsonw_object(w, "artifactLocation");
    jsonw_string(w, "uri", uri.data);
    jsonw_end(w);
    jsonw_object(w, "region");
    jsonw_int(w, "startLine", a.line);
    jsonw_int(w, "startColumn", a.column);
    jsonw_int(w, "endLine", b.line);
    jsonw_int(w, "endColumn", b.column);
    jsonw_end(w);
    jsonw_end(w);
    jsonw_end(w);
    jsonw_end(w);
    jsonw_end(w);
    buf_release(&uri);
    r->nbody++;
    return jsonw_status(w);
}

/* The first paragraph of a rule's page after its title, or NULL. */
static const char *ruledoc_text(const char *code)
{
    const struct ruledoc *d;

    for (d = ruledocs; d->code; d++) {
        if (strcmp(d->code, code) == 0)
            return d->text;
    }
    return NULL;
}

static int sarif_rules(struct jsonw *w)
{
    size_t n, i;
    const struct lint_rule **sorted = lint_rules_by_code(&n);

    if (!sorted)
        return -ENOMEM;
    jsonw_array(w, "rules");
    for (i = 0; i < n; i++) {
        const struct lint_rule *rule = sorted[i];
        const char *page = ruledoc_text(rule->code);
        char uri[256];

        snprintf(uri, sizeof(uri), "%s/blob/main/docs/rules/%s.md", IPXEKIT_URL,
                 rule->code);
        jsonw_object(w, NULL);
        jsonw_string(w, "id", rule->code);
        jsonw_string(w, "name", rule->name);
        jsonw_object(w, "shortDescription");
        jsonw_string(w, "text", rule->summary);
        jsonw_end(w);
        jsonw_object(w, "fullDescription");
        jsonw_string(w, "text", rule->summary);
        jsonw_end(w);
        jsonw_object(w, "help");
        jsonw_string(w, "text", page ? page : rule->summary);
        jsonw_end(w);
        jsonw_string(w, "helpUri", uri);
        jsonw_object(w, "defaultConfiguration");
        jsonw_string(w, "level", sarif_level(rule->sev));
        jsonw_end(w);
        jsonw_end(w);
    }
    jsonw_end(w);
    free(sorted);
    return jsonw_status(w);
}

static int sarif_finish(struct report *r, struct buf *out)
{
    struct jsonw w;
    int rc;

    jsonw_init(&w, out, 0);
    jsonw_object(&w, NULL);
    jsonw_string(&w, "$schema",
                 "https://json.schemastore.org/sarif-2.1.0.json");
    jsonw_string(&w, "version", "2.1.0");
    jsonw_array(&w, "runs");
    jsonw_object(&w, NULL);
    jsonw_object(&w, "tool");
    jsonw_object(&w, "driver");
    jsonw_string(&w, "name", "ipxe-lint");
    jsonw_string(&w, "version", IPXEKIT_VERSION);
    jsonw_string(&w, "semanticVersion", IPXEKIT_VERSION);
    jsonw_string(&w, "informationUri", IPXEKIT_URL);
    rc = sarif_rules(&w);
    if (rc)
        return rc;
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_array(&w, "results");
    jsonw_splice(&w, r->body.data, r->body.len, r->nbody);
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_end(&w);
    rc = jsonw_status(&w);
    return rc ? rc : buf_addch(out, '\n');
}

/* ---- diff ---- */

/* A fix and the finding it belongs to (an index into the list). */
struct fix_ref {
    const struct diag_fix *fix;
    size_t finding;
};

/* The fixes of @p d applied (report.h). */
int report_apply_fixes(const struct source *src, const struct diag_list *d,
                       struct buf *fixed, size_t *nfixes)
{
    struct fix_ref *all;
    bool *dropped;
    size_t n = 0, i, k, at = 0;
    int rc = 0;

    *nfixes = 0;
    for (i = 0; i < d->len; i++)
        n += d->items[i].nfixes;
    if (!n)
        return 0;
    all = malloc(n * sizeof(*all));
    dropped = calloc(d->len, sizeof(*dropped));
    if (!all || !dropped) {
        free(all);
        free(dropped);
        return -ENOMEM;
    }
    for (i = 0, n = 0; i < d->len; i++) {
        for (k = 0; k < d->items[i].nfixes; k++, n++) {
            all[n].fix = &d->items[i].fixes[k];
            all[n].finding = i;
        }
    }
    /* insertion sort by start: fixes are few */
    for (i = 1; i < n; i++) {
        struct fix_ref f = all[i];
        for (k = i; k > 0 && all[k - 1].fix->span.start > f.fix->span.start;
             k--)
            all[k] = all[k - 1];
        all[k] = f;
    }
    /* which findings overlap an earlier one: dropped, all their fixes */
    for (i = 0; i < n; i++) {
        if (dropped[all[i].finding])
            continue;
        if (all[i].fix->span.start < at)
            dropped[all[i].finding] = true;
        else
            at = all[i].fix->span.end;
    }
    for (i = 0, at = 0; i < n && !rc; i++) {
        const struct diag_fix *f = all[i].fix;
        if (dropped[all[i].finding] || f->span.start < at)
            continue;
        rc = buf_add(fixed, src->data + at, f->span.start - at);
        if (!rc)
            rc = buf_adds(fixed, f->text);
        at = f->span.end;
        (*nfixes)++;
    }
    if (!rc)
        rc = buf_add(fixed, src->data + at, src->len - at);
    free(dropped);
    free(all);
    return rc;
}

/* The unified diff of a file and its fixed text, named as git names them
 * (`--- a/PATH`, `+++ b/PATH`) so that `git apply` and `patch -p1` take
 * it: diff.c's hunks, with three lines of context each. */
static int diff_emit(struct buf *out, const char *path, const char *a,
                     size_t alen, const char *b, size_t blen)
{
    struct buf a_name, b_name;
    int rc;

    /* a/ and b/ before the path from the repository's root, so that
     * `git apply` and `patch -p1` at the root take it; a file outside any
     * repository and the current folder keeps its absolute path, "a/tmp/x"
     * (from / with -p1) */
    buf_init(&a_name, BUF_MAX_UNLIMITED);
    buf_init(&b_name, BUF_MAX_UNLIMITED);
    rc = buf_adds(&a_name, "a/");
    if (!rc)
        rc = report_repo_path(path, &a_name);
    if (!rc && a_name.data[2] == '/') {
        memmove(a_name.data + 2, a_name.data + 3, a_name.len - 2);
        a_name.len--;
    }
    if (!rc)
        rc = buf_addf(&b_name, "b/%s", a_name.data + 2);
    if (!rc)
        rc = diff_unified(a, alen, b, blen, a_name.data, b_name.data, out);
    buf_release(&b_name);
    buf_release(&a_name);
    return rc;
}

static int diff_file(struct buf *out, const char *path, struct source *src,
                     const struct diag_list *d)
{
    struct buf fixed;
    size_t nfixes;
    int rc;

    buf_init(&fixed, BUF_MAX_UNLIMITED);
    rc = report_apply_fixes(src, d, &fixed, &nfixes);
    if (!rc && nfixes)
        rc = diff_emit(out, path, src->data, src->len, fixed.data, fixed.len);
    buf_release(&fixed);
    return rc;
}

/* ---- the report ---- */

int report_file(struct report *r, const char *path, struct source *src,
                const struct diag_list *d, enum diag_severity min_sev,
                struct buf *out)
{
    size_t i;
    int rc = 0;

    if (r->fmt == REPORT_DIFF)
        return diff_file(out, path, src, d);
    if (r->fmt == REPORT_TTY)
        return tty_file(r, out, path, src, d, min_sev);
    if (r->fmt == REPORT_CHECKSTYLE)
        return report_checkstyle_file(&r->body, path, src, d, min_sev);
    if (r->fmt == REPORT_CODECLIMATE) {
        struct buf rel;
        buf_init(&rel, BUF_MAX_UNLIMITED);
        rc = report_repo_path(path, &rel);
        if (!rc)
            rc = report_codeclimate_file(&r->jw, &r->nbody, rel.data, src, d,
                                         min_sev);
        buf_release(&rel);
        return rc;
    }
    for (i = 0; i < d->len && !rc; i++) {
        const struct diag *dg = &d->items[i];
        if (dg->sev > min_sev)
            continue;
        switch (r->fmt) {
        case REPORT_GCC:
            rc = report_gcc_line(out, path, src, dg);
            if (!rc)
                rc = report_flush(r, out);
            break;
        case REPORT_JSON:
            rc = json_finding(r, path, src, dg);
            break;
        case REPORT_SARIF:
            rc = sarif_finding(r, path, src, dg);
            break;
        default:
            break;
        }
    }
    return rc;
}

int report_finish(struct report *r, struct buf *out)
{
    size_t i;
    int rc = 0;

    switch (r->fmt) {
    case REPORT_TTY:
        for (i = 0; i < r->codes_seen && !rc; i++)
            rc = buf_addf(out, "%s %s: ipxe-lint --explain %s\n",
                          i ? "     " : "\nmore:", r->codes[i], r->codes[i]);
        return rc ? rc : tty_summary(r, out);
    case REPORT_JSON: {
        struct jsonw w;
        jsonw_init(&w, out, 0);
        jsonw_object(&w, NULL);
        jsonw_array(&w, "findings");
        jsonw_splice(&w, r->body.data, r->body.len, r->nbody);
        jsonw_end(&w);
        jsonw_end(&w);
        rc = jsonw_status(&w);
        return rc ? rc : buf_addch(out, '\n');
    }
    case REPORT_SARIF:
        return sarif_finish(r, out);
    case REPORT_CHECKSTYLE:
        return report_checkstyle_finish(&r->body, out);
    case REPORT_CODECLIMATE:
        return report_codeclimate_finish(&r->body, r->nbody, out);
    default:
        return 0;
    }
}
