/* SPDX-License-Identifier: MIT */
/** @file Rendering one safe script per server (render.h).
 *
 * For one host: merge its variables (inventory.c), render the template
 * (tmpl_*.c), parse and lint the output (lint.h), and check every value
 * a `{{ ... }}` put into it against the parsed output: where its bytes
 * landed says whether it changed the script's structure.
 */
#include "render.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "cmdparse.h"
#include "diag.h"
#include "inventory.h"
#include "lint.h"
#include "render_codes.h"
#include "report.h"
#include "rules.h"
#include "source.h"
#include "template.h"

struct render_template {
    struct source src;      /* the template's text */
    uint64_t max_steps;     /* the work a host may take (tmpl_output) */
    struct arena arena;     /* owns the compiled template */
    struct diag_list diags; /* compile findings (empty once loaded) */
    struct tmpl *tmpl;      /* the compiled template */
};

/* ---- messages ---- */

/* Append @p len bytes of @p s as a quoted, escaped, shortened value.
 * @ret 0 or a negative errno (as buf_add()) */
static int add_value(struct buf *b, const char *s, size_t len)
{
    size_t i, n = utf8_prefix(s, len, 60);
    int rc;

    rc = buf_addch(b, '"');
    for (i = 0; i < n && !rc; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n')
            rc = buf_adds(b, "\\n");
        else if (c == '\r')
            rc = buf_adds(b, "\\r");
        else if (c == '\t')
            rc = buf_adds(b, "\\t");
        else if (c == '"' || c == '\\')
            rc = buf_addf(b, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            rc = buf_addf(b, "\\x%02x", c);
        else
            rc = buf_addch(b, (char)c);
    }
    return rc ? rc : buf_adds(b, n < len ? "...\"" : "\"");
}

/* How a character reads in a message. */
static const char *char_name(unsigned char c)
{
    switch (c) {
    case '\n':
        return "a newline";
    case '\r':
        return "a carriage return";
    case '\0':
        return "a NUL byte";
    case ' ':
        return "a space";
    case '\t':
        return "a tab";
    case '\v':
        return "a vertical tab";
    case '\f':
        return "a form feed";
    default:
        return NULL;
    }
}

/* Append character @p c as a message names it.  @ret 0 or a negative
 * errno */
static int add_char(struct buf *b, unsigned char c)
{
    const char *name = char_name(c);

    if (name)
        return buf_adds(b, name);
    return buf_addf(b, "'%c'", c);
}

/* Append the source line of [start, end) and a caret line under it, as
 * ipxe-render has always shown them (report.c draws them). */
static int add_caret(struct buf *b, struct source *src, uint32_t start,
                     uint32_t end)
{
    return report_snippet(b, src, start, end, REPORT_SNIPPET_BARE);
}

/* ---- the template ---- */

/* Append every finding of @p d, each with its source line and a caret,
 * naming @p host when not NULL.  @ret 0 or a negative errno */
static int format_diags(struct buf *err, struct source *src,
                        const struct diag_list *d, const char *host)
{
    size_t i;
    int rc = 0;

    for (i = 0; i < d->len && !rc; i++) {
        const struct diag *dg = &d->items[i];
        struct position pos = source_position(src, dg->span.start);
        rc = buf_addf(err, "%s:%u:%u: %s: ", src->name, pos.line, pos.column,
                      diag_severity_name(dg->sev));
        if (!rc && host)
            rc = buf_addf(err, "host '%s': ", host);
        if (!rc)
            rc = buf_addf(err, "%s [%s]\n", dg->msg, dg->code);
        if (!rc)
            rc = add_caret(err, src, dg->span.start, dg->span.end);
    }
    return rc;
}

int render_template_load(struct render_template **out, const char *path,
                         struct buf *err)
{
    struct render_template *t;
    int rc;

    *out = NULL;
    t = calloc(1, sizeof(*t));
    if (!t)
        return -ENOMEM;
    t->max_steps = TMPL_MAX_STEPS_DEFAULT;
    rc = source_load_max(&t->src, path, strcmp(path, "-") ? path : "<stdin>",
                         RENDER_MAX_TEMPLATE);
    if (rc == -EFBIG) {
        const struct lint_rule *r = render_codes[RENDER_TEMPLATE_UNSUPPORTED];
        rc = buf_addf(err,
                      "%s: error: the template is larger than %zu bytes "
                      "(%zu MiB), the largest template ipxe-render reads "
                      "[%s]\n",
                      strcmp(path, "-") ? path : "<stdin>",
                      RENDER_MAX_TEMPLATE, RENDER_MAX_TEMPLATE >> 20, r->code);
        free(t);
        return rc ? rc : 1;
    }
    if (rc) {
        free(t);
        return rc;
    }
    arena_init(&t->arena);
    diag_list_init(&t->diags, &t->arena);
    rc = tmpl_compile(&t->src, &t->arena, &t->diags, &t->tmpl);
    if (rc == -EINVAL) {
        diag_sort(&t->diags);
        rc = format_diags(err, &t->src, &t->diags, NULL);
        if (!rc)
            rc = 1;
    }
    if (rc) {
        render_template_free(t);
        return rc;
    }
    /* build the line table now: rendering may then share the template
     * between threads, reading it only */
    source_position(&t->src, 0);
    *out = t;
    return 0;
}

void render_template_set_max_steps(struct render_template *t, uint64_t steps)
{
    t->max_steps = steps ? steps : 1;
}

void render_template_free(struct render_template *t)
{
    if (!t)
        return;
    diag_list_release(&t->diags);
    arena_release(&t->arena);
    source_release(&t->src);
    free(t);
}

/* ---- the structure check ---- */

/* Commands that join their words with spaces (spec §2.2), and how many
 * positional arguments come before that free text. */
static const struct {
    const char *name;
    uint32_t skip;
} free_text[] = {
    {"echo", 0},    {"prompt", 0}, {"menu", 0},    {"form", 0},
    {"set", 1},     {"item", 1},   {"param", 1},   {"kernel", 1},
    {"chain", 1},   {"boot", 1},   {"imgexec", 1}, {"imgfetch", 1},
    {"module", 1},  {"initrd", 1}, {"imgload", 1}, {"imgselect", 1},
    {"imgargs", 1},
};

/** A token of the rendered script, in order. */
struct stok {
    uint32_t start;     /* first byte */
    uint32_t end;       /* one past the last */
    uint8_t kind;       /* enum ast_word_kind */
    uint32_t line;      /* which logical line */
    uint32_t argi;      /* AST_WORD: index in its segment */
    bool is_free;       /* AST_WORD: in free text (spec §2.2) */
    bool is_option;     /* AST_WORD: read as an option or its value */
    uint32_t free_from; /* AST_WORD: its segment's first free-text index */
    const struct ast_word *w; /* the word */
};

struct stoks {
    struct stok *v; /* tokens (malloc) */
    size_t n;       /* used */
    size_t cap;     /* allocated */
};

static int stok_add(struct stoks *t, const struct ast_word *w, uint32_t line)
{
    struct stok *s;

    if (!w)
        return 0;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct stok *nv = realloc(t->v, cap * sizeof(*nv));
        if (!nv)
            return -ENOMEM;
        t->v = nv;
        t->cap = cap;
    }
    s = &t->v[t->n++];
    memset(s, 0, sizeof(*s));
    s->start = w->span.start;
    s->end = w->span.end;
    s->kind = w->kind;
    s->line = line;
    s->w = w;
    return 0;
}

/* The argv index from which the words of @p seg are free text, or
 * UINT32_MAX; and where its options end. */
static uint32_t free_from(const struct ast_segment *seg,
                          const struct cmd_call *call)
{
    size_t k;

    if (!seg->argc || call->dynamic || call->error != CMD_OK)
        return UINT32_MAX;
    for (k = 0; k < sizeof(free_text) / sizeof(free_text[0]); k++) {
        if (ast_word_is(seg->argv[0], free_text[k].name))
            return call->first_arg + free_text[k].skip;
    }
    return UINT32_MAX;
}

/* Every token of @p s, with each word's place in its command. */
static int tokens_of(const struct ast_script *s, struct arena *a,
                     struct stoks *t)
{
    const struct ast_line *line;
    uint32_t ln = 0;

    for (line = s->lines; line; line = line->next, ln++) {
        const struct ast_segment *seg;
        if (stok_add(t, line->label, ln))
            return -ENOMEM;
        for (seg = line->segs; seg; seg = seg->next) {
            struct cmd_call call;
            uint32_t i, from;
            if (cmdparse(seg, a, &call))
                return -ENOMEM;
            from = free_from(seg, &call);
            for (i = 0; i < seg->argc; i++) {
                if (stok_add(t, seg->argv[i], ln))
                    return -ENOMEM;
                t->v[t->n - 1].argi = i;
                t->v[t->n - 1].is_free = i >= from;
                t->v[t->n - 1].free_from = from;
                t->v[t->n - 1].is_option = i > 0 && i < call.first_arg;
            }
            if (stok_add(t, seg->op, ln))
                return -ENOMEM;
        }
        if (stok_add(t, line->trail, ln))
            return -ENOMEM;
    }
    return 0;
}

/** One refusal, being described. */
struct refusal {
    enum render_code code; /* which IPX40nn */
    const char *what;      /* "adds a line", ... */
    uint32_t at;           /* the output offset at fault */
};

/* Whether the value at [s, e) of @p out breaks the line it is on. */
static bool check_lines(const char *out, size_t len, uint32_t s, uint32_t e,
                        struct refusal *r)
{
    uint32_t i;

    for (i = s; i < e; i++) {
        char c = out[i];
        if (c == '\n' || c == '\r' || c == '\0') {
            *r = (struct refusal){RENDER_VALUE_ADDS_LINE, "adds a line", i};
            return true;
        }
    }
    if (e > s && out[e - 1] == '\\' &&
        (e == len || out[e] == '\n' ||
         (out[e] == '\r' && e + 1 < len && out[e + 1] == '\n'))) {
        *r = (struct refusal){RENDER_VALUE_ADDS_LINE,
                              "ends a line with '\\', which joins the next "
                              "line to it",
                              e - 1};
        return true;
    }
    return false;
}

/* Whether the value at [s, e) forms a `${` with its own bytes. */
static bool check_dollar(const char *out, size_t len, uint32_t s, uint32_t e,
                         struct refusal *r)
{
    uint32_t i;

    if (e == s && s > 0 && s < len && out[s - 1] == '$' && out[s] == '{') {
        *r = (struct refusal){RENDER_VALUE_ADDS_EXPANSION,
                              "is empty, which joins '$' and '{' into a "
                              "'${' expansion",
                              s};
        return true;
    }
    for (i = s ? s - 1 : 0; i < e && i + 1 < len; i++) {
        if (out[i] == '$' && out[i + 1] == '{' && (i >= s || i + 1 < e)) {
            *r = (struct refusal){RENDER_VALUE_ADDS_EXPANSION,
                                  "adds a '${' expansion", i >= s ? i : i + 1};
            return true;
        }
    }
    return false;
}

/* Whether an expansion of @p w is closed by a '}' inside [s, e). */
static bool closes_expansion(const struct ast_part *p, uint32_t s, uint32_t e,
                             uint32_t *at)
{
    for (; p; p = p->next) {
        if (p->kind == AST_PART_EXPAND && p->span.end - 1 >= s &&
            p->span.end - 1 < e) {
            *at = p->span.end - 1;
            return true;
        }
        if (closes_expansion(p->children, s, e, at))
            return true;
    }
    return false;
}

static bool has_space(const char *out, uint32_t s, uint32_t e, uint32_t *at)
{
    uint32_t i;

    for (i = s; i < e; i++) {
        if (ast_is_space((unsigned char)out[i])) {
            *at = i;
            return true;
        }
    }
    return false;
}

/* The first token that ends at or after @p s (tokens do not overlap, so
 * their ends are in order too). */
static size_t first_at(const struct stoks *t, uint32_t s)
{
    size_t lo = 0, hi = t->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->v[mid].end < s)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* first_at(t, s) for a caller that knows a smaller answer @p from:
 * values come in output order, so each search starts where the last
 * ended and steps over a few tokens instead of searching them all. */
static size_t first_at_from(const struct stoks *t, uint32_t s, size_t from)
{
    if (from > t->n || (from > 0 && t->v[from - 1].end >= s))
        return first_at(t, s);
    while (from < t->n && t->v[from].end < s)
        from++;
    return from;
}

/* Judge the value at [s, e) against the tokens around it; @p at_s is
 * first_at(t, s). */
static bool check_tokens(const char *out, const struct stoks *t, uint32_t s,
                         uint32_t e, size_t at_s, struct refusal *r)
{
    size_t i, first = t->n, last = 0, touching = 0;
    uint32_t sp = 0;
    bool spaced = has_space(out, s, e, &sp);

    for (i = at_s; i < t->n; i++) {
        const struct stok *k = &t->v[i];
        uint32_t at;
        bool overlaps = k->start < e && k->end > s;
        bool touches = overlaps || k->end == s || k->start == e ||
                       (k->start <= s && k->end >= e);
        if (k->start > e)
            break;
        if (!touches)
            continue;
        if (first == t->n)
            first = i;
        last = i;
        touching++;
        if (!overlaps)
            continue;
        switch (k->kind) {
        case AST_OR:
        case AST_AND:
        case AST_SEMI:
            *r = (struct refusal){RENDER_VALUE_ADDS_OPERATOR,
                                  "adds an operator word", k->start};
            return true;
        case AST_COMMENT:
            if (k->start >= s) {
                *r = (struct refusal){RENDER_VALUE_ADDS_COMMENT,
                                      "starts a comment", k->start};
                return true;
            }
            return false; /* inside a comment of the template: harmless */
        case AST_TAIL:
            *r = (struct refusal){RENDER_VALUE_ADDS_LINE, "adds a NUL byte",
                                  k->start};
            return true;
        case AST_LABEL:
            if (k->start >= s) {
                *r = (struct refusal){RENDER_VALUE_ADDS_LABEL, "adds a label",
                                      k->start};
                return true;
            }
            break;
        default:
            if (closes_expansion(ast_word_parts(k->w), s, e, &at)) {
                *r = (struct refusal){RENDER_VALUE_ADDS_EXPANSION,
                                      "closes a '${' expansion with '}'", at};
                return true;
            }
            if (k->start >= s && k->start < e && out[k->start] == '-' &&
                k->is_option) {
                *r = (struct refusal){RENDER_VALUE_ADDS_OPTION,
                                      "starts a word that iPXE reads as an "
                                      "option",
                                      k->start};
                return true;
            }
        }
    }
    /* an empty value, or one ending in a space, leaves the template's
     * next character at the start of a word: it must not be what makes
     * that word a label, a comment, an operator or an option */
    if (e == s || ast_is_space((unsigned char)out[e - 1])) {
        for (i = first_at_from(t, e, at_s); i < t->n && t->v[i].start <= e;
             i++) {
            const struct stok *k = &t->v[i];
            if (k->start != e)
                continue;
            if (k->kind == AST_LABEL || k->kind == AST_COMMENT ||
                k->kind == AST_OR || k->kind == AST_AND ||
                k->kind == AST_SEMI ||
                (k->kind == AST_WORD && out[e] == '-' && k->is_option)) {
                *r = (struct refusal){
                    k->kind == AST_LABEL     ? RENDER_VALUE_ADDS_LABEL
                    : k->kind == AST_COMMENT ? RENDER_VALUE_ADDS_COMMENT
                    : k->kind == AST_WORD    ? RENDER_VALUE_ADDS_OPTION
                                             : RENDER_VALUE_ADDS_OPERATOR,
                    e == s ? "is empty, which makes the template's next word "
                             "a label, a comment, an operator or an option"
                           : "ends in a space, which makes the template's "
                             "next word a label, a comment, an operator or "
                             "an option",
                    e == s ? s : e - 1};
                return true;
            }
        }
    }
    if (!spaced && (e > s || touching))
        return false;
    if (!touching) {
        /* an empty or blank value where a word was: the word is gone,
         * which only free text does not mind */
        const struct stok *prev = NULL;
        i = at_s;
        if (i < t->n && t->v[i].end <= s)
            i++;
        if (i > 0)
            prev = &t->v[i - 1];
        if (prev && prev->kind == AST_WORD &&
            !memchr(out + prev->end, '\n', s - prev->end) &&
            prev->argi + 1 >= prev->free_from)
            return false;
        *r = (struct refusal){RENDER_VALUE_REMOVES_WORD,
                              e > s ? "is blank, which removes a word"
                                    : "is empty, which removes a word",
                              s};
        return true;
    }
    /* a space splits a word: only free text joins the words again, and
     * never the two halves of a `${...}` */
    for (i = first; i <= last; i++) {
        const struct stok *k = &t->v[i];
        if (k->kind == AST_WORD &&
            (k->w->flags & (AST_W_UNCLOSED | AST_W_STRAY_CLOSE))) {
            *r = (struct refusal){RENDER_VALUE_ADDS_EXPANSION,
                                  "splits a '${...}' expansion in two", sp};
            return true;
        }
        if (k->kind == AST_COMMENT && k->start < s)
            return false;
        if (k->kind != AST_WORD || !k->is_free) {
            *r = (struct refusal){RENDER_VALUE_SPLITS_WORD,
                                  k->kind == AST_LABEL ? "splits a label"
                                  : k->argi == 0
                                      ? "splits the command name"
                                      : "splits a word (only free text such "
                                        "as echo's may hold spaces)",
                                  spaced ? sp : s};
            return true;
        }
    }
    return false;
}

/* Whether [s, e) lies inside a comment that starts before it: there
 * only a line break matters.  @p i is first_at(t, s). */
static bool in_comment(const struct stoks *t, uint32_t s, uint32_t e, size_t i)
{
    for (; i < t->n && t->v[i].start < s; i++) {
        if (t->v[i].kind == AST_COMMENT && t->v[i].end >= e)
            return true;
    }
    return false;
}

/* Describe refusal @p r of substitution @p sub in @p err.
 * @ret 0 or a negative errno */
static int describe(struct buf *err, const struct render_template *t,
                    const char *host, const char *out,
                    const struct tmpl_subst *sub, const struct refusal *r)
{
    struct source *src = (struct source *)&t->src;
    struct position pos = source_position(src, sub->tag.start);
    size_t idx = 0, i;
    int rc;

    /* the character's place in the value, counted in characters */
    for (i = sub->start; i < r->at && i < sub->end; i++) {
        if (((unsigned char)out[i] & 0xC0) != 0x80)
            idx++;
    }
    rc = buf_addf(err, "%s:%u:%u: error: host '%s': the value of '%s' %s: ",
                  src->name, pos.line, pos.column, host, sub->names, r->what);
    if (rc)
        return rc;
    if (r->at >= sub->start && r->at < sub->end) {
        rc = buf_addf(err, "character %zu of ", idx + 1);
        if (!rc)
            rc = add_value(err, out + sub->start, sub->end - sub->start);
        if (!rc)
            rc = buf_adds(err, " is ");
        if (!rc)
            rc = add_char(err, (unsigned char)out[r->at]);
    } else {
        rc = buf_adds(err, "it is ");
        if (!rc)
            rc = add_value(err, out + sub->start, sub->end - sub->start);
    }
    if (!rc)
        rc = buf_addf(err, " [%s]\n", render_codes[r->code]->code);
    return rc ? rc : add_caret(err, src, sub->tag.start, sub->tag.end);
}

/* Check every value of @p o against @p tree, the parsed output.
 * @ret 0, 1 (refused, described in @p err) or a negative errno */
static int check_structure(const struct render_template *t, const char *host,
                           const struct tmpl_output *o,
                           const struct ast_script *tree, struct arena *a,
                           struct stoks *toks, struct buf *err)
{
    size_t i, at = 0;
    int rc;

    if (!o->nsubst)
        return 0;
    toks->n = 0; /* the array is the scratch's, kept from host to host */
    rc = tokens_of(tree, a, toks);
    for (i = 0; !rc && i < o->nsubst; i++) {
        const struct tmpl_subst *sub = &o->subst[i];
        struct refusal r;
        at = first_at_from(toks, sub->start, at);
        if (check_lines(o->out.data, o->out.len, sub->start, sub->end, &r) ||
            (!in_comment(toks, sub->start, sub->end, at) &&
             (check_dollar(o->out.data, o->out.len, sub->start, sub->end, &r) ||
              check_tokens(o->out.data, toks, sub->start, sub->end, at, &r)))) {
            rc = describe(err, t, host, o->out.data, sub, &r);
            if (!rc)
                rc = 1;
        }
    }
    return rc;
}

/* ---- one host ---- */

/* render_platform_of() for variables as a jv. */
static int platform_of(const struct jv *vars)
{
    const struct jv *v = jv_get(vars, "boot_mode", 9);
    const char *mode = v && v->kind == JV_STRING ? v->u.s : NULL;

    if (mode && strcmp(mode, "legacy") == 0)
        return LINT_PLATFORM_PCBIOS;
    if (mode && strcmp(mode, "uefi") == 0)
        return LINT_PLATFORM_EFI;
    return LINT_PLATFORM_ANY;
}

int render_platform_of(const json_t *vars)
{
    const char *mode = json_string_value(json_object_get(vars, "boot_mode"));

    if (mode && strcmp(mode, "legacy") == 0)
        return LINT_PLATFORM_PCBIOS;
    if (mode && strcmp(mode, "uefi") == 0)
        return LINT_PLATFORM_EFI;
    return LINT_PLATFORM_ANY;
}

/* Lint the output; errors refuse it.  Findings name the output file and,
 * in parentheses, the template position that produced the line.  @p d is
 * emptied first: its array is kept from host to host. */
static int lint_output(const struct render_template *t, const char *host,
                       const struct tmpl_output *o, int platform,
                       struct arena *a, struct diag_list *d,
                       struct ast_script **tree, struct source *src,
                       struct buf *err)
{
    struct lint_options opts;
    size_t i, errors = 0;
    int rc;

    lint_options_init(&opts);
    opts.platform = (enum lint_platform)platform;
    opts.jobs = 1; /* ipxe-render's workers already keep every core busy */
    d->len = 0;
    d->arena = a;
    rc = lint_source(src, &opts, a, d, tree);
    for (i = 0; !rc && i < d->len; i++) {
        const struct diag *dg = &d->items[i];
        if (dg->sev == DIAG_ERROR)
            errors++;
    }
    for (i = 0; !rc && i < d->len; i++) {
        const struct diag *dg = &d->items[i];
        struct position pos, from;
        if (errors && dg->sev != DIAG_ERROR)
            continue; /* errors refuse the script: only they are told */
        pos = source_position(src, dg->span.start);
        from = source_position((struct source *)&t->src,
                               tmpl_output_origin(o, dg->span.start));
        rc = buf_addf(err, "%s:%u:%u: %s: host '%s': %s [%s] (from %s:%u)\n",
                      src->name, pos.line, pos.column,
                      diag_severity_name(dg->sev), host, dg->msg, dg->code,
                      t->src.name, from.line);
    }
    if (rc)
        return rc;
    return errors ? 1 : 0;
}

/* ---- the scratch ---- */

struct render_scratch {
    struct arena arena;     /* the parse, the lint, rendered values */
    struct diag_list diags; /* template findings (array kept) */
    struct diag_list lint;  /* lint findings (array kept) */
    struct tmpl_output o;   /* the rendering */
    struct buf lint_msgs;   /* lint findings, formatted */
    struct stoks toks;      /* the structure check's tokens */
};

struct render_scratch *render_scratch_new(void)
{
    struct render_scratch *s = calloc(1, sizeof(*s));

    if (!s)
        return NULL;
    arena_init(&s->arena);
    diag_list_init(&s->diags, &s->arena);
    diag_list_init(&s->lint, &s->arena);
    tmpl_output_init(&s->o, RENDER_MAX_OUTPUT);
    buf_init(&s->lint_msgs, BUF_MAX_UNLIMITED);
    return s;
}

void render_scratch_free(struct render_scratch *s)
{
    if (!s)
        return;
    diag_list_release(&s->diags);
    diag_list_release(&s->lint);
    arena_release(&s->arena);
    tmpl_output_release(&s->o);
    buf_release(&s->lint_msgs);
    free(s->toks.v);
    free(s);
}

/* Each host starts on the scratch arena emptied by arena_reset(), which
 * keeps its memory: a new arena for every host cost a malloc() and a
 * free() of each block per host, and glibc's merging of such freed chunks
 * (malloc_consolidate) up to a tenth of ipxe-render's time.  Its block is
 * at least this large: a rendered boot script, its tree and its lint take
 * about 48 KiB. */
#define SCRATCH_ARENA_MIN ((size_t)64 * 1024)

int render_host(const struct render_template *t, const struct inventory *inv,
                const char *host, const json_t *extra, int platform,
                struct buf *out, struct buf *err)
{
    struct render_scratch *s = render_scratch_new();
    int rc;

    if (!s)
        return -ENOMEM;
    rc = render_host_with(s, t, inv, host, extra, platform, out, err);
    render_scratch_free(s);
    return rc;
}

/* Empty the scratch's arena for a host.  @ret 0 or -ENOMEM (said in
 * @p err) */
static int scratch_reset(struct render_scratch *s, struct buf *err)
{
    if (arena_reset(&s->arena, SCRATCH_ARENA_MIN)) {
        /* the message may not fit either: -ENOMEM says it all */
        (void)buf_adds(err, "error: out of memory\n");
        return -ENOMEM;
    }
    return 0;
}

/* Say that memory ran out while merging.  @ret 1, as a refusal: what
 * inventory_vars() failing always gave */
static int merge_failed(struct buf *err)
{
    (void)buf_adds(err, "error: out of memory\n");
    return 1;
}

static int render_jv(struct render_scratch *s, const struct render_template *t,
                     const char *host, const struct jv *vars, int platform,
                     struct buf *out, struct buf *err);

int render_host_with(struct render_scratch *s, const struct render_template *t,
                     const struct inventory *inv, const char *host,
                     const json_t *extra, int platform, struct buf *out,
                     struct buf *err)
{
    struct jv ev, vars;
    long idx;
    int rc;

    idx = inventory_index(inv, host);
    if (idx < 0) {
        rc = buf_addf(err, "error: no host '%s' in the inventory\n", host);
        return rc ? rc : -ENOENT;
    }
    if (extra && !json_is_object(extra)) {
        /* as inventory_vars() says it */
        (void)buf_adds(err,
                       "error: the extra variables must be a JSON object\n");
        return 1;
    }
    rc = scratch_reset(s, err);
    if (rc)
        return rc;
    if ((extra && jv_from_json(&s->arena, extra, &ev)) ||
        inventory_vars_jv(inv, (size_t)idx, extra ? &ev : NULL, &s->arena,
                          &vars))
        return merge_failed(err);
    return render_jv(s, t, host, &vars, platform, out, err);
}

int render_index_with(struct render_scratch *s,
                      const struct render_template *t,
                      const struct inventory *inv, size_t i, int platform,
                      struct buf *out, struct buf *err)
{
    struct jv vars;
    int rc;

    rc = scratch_reset(s, err);
    if (rc)
        return rc;
    if (inventory_vars_jv(inv, i, NULL, &s->arena, &vars))
        return merge_failed(err);
    return render_jv(s, t, inventory_host(inv, i), &vars, platform, out, err);
}

int render_vars_with(struct render_scratch *s, const struct render_template *t,
                     const char *host, const json_t *vars, int platform,
                     struct buf *out, struct buf *err)
{
    struct jv v;
    int rc;

    rc = scratch_reset(s, err);
    if (rc)
        return rc;
    if (!json_is_object(vars)) {
        /* what rendering says of variables that are not an object */
        v.kind = JV_NULL;
    } else if (jv_from_json(&s->arena, vars, &v)) {
        (void)buf_adds(err, "error: out of memory\n");
        return -ENOMEM;
    }
    return render_jv(s, t, host, &v, platform, out, err);
}

/* Render for @p vars, on the scratch's arena emptied by the caller (which
 * may hold @p vars). */
static int render_jv(struct render_scratch *s, const struct render_template *t,
                     const char *host, const struct jv *vars, int platform,
                     struct buf *out, struct buf *err)
{
    struct arena *scratch = &s->arena;
    struct diag_list *d = &s->diags;
    struct tmpl_output *o = &s->o;
    struct ast_script *tree = NULL;
    struct source src;
    char *name;
    int rc;

    if (platform < 0)
        platform = platform_of(vars);
    d->len = 0;

    o->max_steps = t->max_steps;
    rc = tmpl_render_jv(t->tmpl, vars, o, scratch, d);
    if (rc == -EINVAL || (rc == -E2BIG && d->len)) {
        /* the error, with where rendering stopped (the output limit too) */
        rc = format_diags(err, (struct source *)&t->src, d, host);
        if (!rc)
            rc = 1;
    } else if (rc == -E2BIG) {
        rc = buf_addf(err,
                      "%s: error: host '%s': the script would be larger "
                      "than %zu bytes, the largest script rendered [%s]\n",
                      t->src.name, host, RENDER_MAX_OUTPUT,
                      render_codes[RENDER_TEMPLATE_UNSUPPORTED]->code);
        if (!rc)
            rc = 1;
    }
    if (rc)
        return rc;

    name = arena_printf(scratch, "%s.ipxe", host);
    rc = name ? source_init_mem(&src, name, o->out.data, o->out.len) : -ENOMEM;
    if (rc)
        return rc;
    buf_truncate(&s->lint_msgs, 0);
    rc = lint_output(t, host, o, platform, scratch, &s->lint, &tree, &src,
                     &s->lint_msgs);
    /* a value that changed the structure is the cause to report first:
     * the lint errors it brings are consequences */
    if (rc >= 0) {
        int sc = tree
                     ? check_structure(t, host, o, tree, scratch, &s->toks, err)
                     : 0;
        if (sc)
            rc = sc;
        else if (buf_add(err, s->lint_msgs.data, s->lint_msgs.len))
            rc = -ENOMEM;
    }
    source_release(&src);
    if (!rc && buf_add(out, o->out.data, o->out.len))
        rc = -ENOMEM;
    return rc;
}
