/* SPDX-License-Identifier: MIT */
/** @file The CI formats of ipxe-lint: checkstyle XML and GitLab Code
 *  Quality JSON. */
#include "report_ci.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "escape.h"
#include "jsonw.h"
#include "source.h"

/* ---- checkstyle ---- */

/* Checkstyle knows error, warning and info (and ignore). */
static const char *checkstyle_severity(enum diag_severity sev)
{
    return sev == DIAG_ERROR     ? "error"
           : sev == DIAG_WARNING ? "warning"
                                 : "info";
}

static int checkstyle_error(struct buf *out, struct source *src,
                            const struct diag *dg)
{
    struct position pos = source_position(src, dg->span.start);
    int rc = buf_addf(out,
                      "    <error line=\"%u\" column=\"%u\" "
                      "severity=\"%s\" message=\"",
                      pos.line, pos.column, checkstyle_severity(dg->sev));

    if (!rc)
        rc = escape_xml(out, dg->msg);
    if (!rc)
        rc = buf_adds(out, "\" source=\"");
    if (!rc)
        rc = escape_xml(out, dg->code);
    return rc ? rc : buf_adds(out, "\"/>\n");
}

int report_checkstyle_file(struct buf *body, const char *path,
                           struct source *src, const struct diag_list *d,
                           enum diag_severity min_sev)
{
    size_t i;
    int rc = buf_adds(body, "  <file name=\"");

    if (!rc)
        rc = escape_xml(body, path);
    if (!rc)
        rc = buf_adds(body, "\">\n");
    for (i = 0; i < d->len && !rc; i++) {
        if (d->items[i].sev > min_sev)
            continue;
        rc = checkstyle_error(body, src, &d->items[i]);
    }
    return rc ? rc : buf_adds(body, "  </file>\n");
}

int report_checkstyle_finish(const struct buf *body, struct buf *out)
{
    int rc = buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                           "<checkstyle version=\"4.3\">\n");

    if (!rc)
        rc = buf_add(out, body->data, body->len);
    return rc ? rc : buf_adds(out, "</checkstyle>\n");
}

/* ---- codeclimate ---- */

/* 64-bit FNV-1a: small, stable across runs and machines, and enough to
 * tell a file's findings apart (a fingerprint is not a security token). */
#define FNV_OFFSET 0xcbf29ce484222325u
#define FNV_PRIME  0x100000001b3u

static uint64_t fnv_add(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* The text of the line a finding is on, without its line ending and
 * without leading and trailing blanks (re-indenting keeps fingerprints). */
static const char *finding_line(struct source *src, const struct diag *dg,
                                size_t *len)
{
    const char *line = source_line(src, dg->span.start, len);

    while (*len > 0 && (line[*len - 1] == '\r' || line[*len - 1] == ' ' ||
                        line[*len - 1] == '\t'))
        (*len)--;
    while (*len > 0 && (line[0] == ' ' || line[0] == '\t')) {
        line++;
        (*len)--;
    }
    return line;
}

/* How many times each (code, line text) was seen in a file: an open
 * addressing table of the pair's hash, sized for the file's findings. */
struct seen {
    uint64_t *keys; /**< the pairs' hashes (0: a free slot) */
    size_t *counts; /**< findings seen with that key */
    size_t mask;    /**< slots - 1 (a power of two) */
};

static int seen_init(struct seen *s, size_t n)
{
    size_t slots = 16;

    while (slots < 2 * n)
        slots *= 2;
    s->keys = calloc(slots, sizeof(*s->keys));
    s->counts = calloc(slots, sizeof(*s->counts));
    s->mask = slots - 1;
    if (!s->keys || !s->counts) {
        free(s->keys);
        free(s->counts);
        return -ENOMEM;
    }
    return 0;
}

static void seen_release(struct seen *s)
{
    free(s->keys);
    free(s->counts);
}

/* Count one more finding with @p key; returns how many came before it. */
static size_t seen_add(struct seen *s, uint64_t key)
{
    size_t i;

    key = key ? key : 1; /* 0 marks a free slot */
    for (i = (size_t)key & s->mask; s->keys[i] && s->keys[i] != key;
         i = (i + 1) & s->mask)
        ;
    s->keys[i] = key;
    return s->counts[i]++;
}

/* GitLab's severities are info, minor, major, critical and blocker. */
static const char *codeclimate_severity(enum diag_severity sev)
{
    return sev == DIAG_ERROR     ? "critical"
           : sev == DIAG_WARNING ? "minor"
                                 : "info";
}

/* Code Climate's categories: style findings are Style, the firmware and
 * platform rules (IPX3nnn) Compatibility, everything else a Bug Risk. */
static const char *codeclimate_category(const struct diag *dg)
{
    if (dg->sev == DIAG_STYLE)
        return "Style";
    if (strncmp(dg->code, "IPX3", 4) == 0)
        return "Compatibility";
    return "Bug Risk";
}

static int codeclimate_issue(struct jsonw *w, const char *rel,
                             struct source *src, const struct diag *dg,
                             uint64_t fingerprint)
{
    struct position a = source_position(src, dg->span.start);
    struct position b = source_position(src, dg->span.end);
    char fp[17];

    if (b.line < a.line)
        b.line = a.line;
    snprintf(fp, sizeof(fp), "%016llx", (unsigned long long)fingerprint);
    jsonw_object(w, NULL);
    jsonw_string(w, "type", "issue");
    jsonw_string(w, "check_name", dg->code);
    jsonw_string(w, "description", dg->msg);
    jsonw_array(w, "categories");
    jsonw_string(w, NULL, codeclimate_category(dg));
    jsonw_end(w);
    jsonw_string(w, "severity", codeclimate_severity(dg->sev));
    jsonw_string(w, "fingerprint", fp);
    jsonw_object(w, "location");
    jsonw_string(w, "path", rel);
    jsonw_object(w, "lines");
    jsonw_int(w, "begin", a.line);
    jsonw_int(w, "end", b.line);
    jsonw_end(w);
    jsonw_end(w);
    jsonw_end(w);
    return jsonw_status(w);
}

int report_codeclimate_file(struct jsonw *w, size_t *n, const char *rel,
                            struct source *src, const struct diag_list *d,
                            enum diag_severity min_sev)
{
    uint64_t file_hash = fnv_add(FNV_OFFSET, rel, strlen(rel) + 1);
    struct seen seen;
    size_t i;
    int rc = seen_init(&seen, d->len);

    if (rc)
        return rc;
    for (i = 0; i < d->len && !rc; i++) {
        const struct diag *dg = &d->items[i];
        const char *line;
        size_t len;
        char nth[32];
        uint64_t h;

        if (dg->sev > min_sev)
            continue;
        /* path, code and line text; then which of its kind it is */
        line = finding_line(src, dg, &len);
        h = fnv_add(file_hash, dg->code, strlen(dg->code) + 1);
        h = fnv_add(h, line, len);
        snprintf(nth, sizeof(nth), "#%zu", seen_add(&seen, h));
        h = fnv_add(h, nth, strlen(nth));
        rc = codeclimate_issue(w, rel, src, dg, h);
        *n += !rc;
    }
    seen_release(&seen);
    return rc;
}

int report_codeclimate_finish(const struct buf *body, size_t n, struct buf *out)
{
    struct jsonw w;
    int rc;

    jsonw_init(&w, out, 0);
    jsonw_array(&w, NULL);
    jsonw_splice(&w, body->data, body->len, n);
    jsonw_end(&w);
    rc = jsonw_status(&w);
    return rc ? rc : buf_addch(out, '\n');
}
