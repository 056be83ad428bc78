/* SPDX-License-Identifier: MIT */
/** @file Independent checks of a parsed tree (see treecheck.h). */
#include "treecheck.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "buf.h"
#include "source.h"

/* ---- helpers ---- */

/* An array of @p *cap items of @p size bytes at @p items, grown to twice
 * as many (16 at first); NULL (and @p items untouched) if out of memory. */
static void *grow(void *items, size_t *cap, size_t size)
{
    size_t n = *cap ? *cap * 2 : 16;
    void *more = n > SIZE_MAX / size ? NULL : realloc(items, n * size);

    if (more)
        *cap = n;
    return more;
}

/* iPXE's isspace() (its include/ctype.h): written out here rather than
 * taken from the parser, so that the checks stay independent of it. */
static bool ipxe_isspace(unsigned char c)
{
    return c == ' ' || c == '\f' || c == '\n' || c == '\r' || c == '\t' ||
           c == '\v';
}

/* ---- structure ---- */

struct checker {
    const struct ast_script *s;
    const char *data; /**< the source bytes */
    uint32_t len;     /**< their count */
    struct buf *err;  /**< the first failure goes here */
    bool ok;          /**< no failure yet */
};

static bool fail(struct checker *c, struct span at, const char *what)
{
    if (c->ok) {
        buf_addf(c->err, "offset %u-%u: %s\n", at.start, at.end, what);
        c->ok = false;
    }
    return false;
}

static bool is_blank(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\v' || ch == '\f' || ch == '\r';
}

/* Bytes [from, to) between two tokens of one line: whitespace other than
 * '\n', and backslash-newline continuations (a blank physical line may
 * follow one, see spec §1.2), and a dangling backslash at the end. */
static bool gap_is_trivia(struct checker *c, uint32_t from, uint32_t to)
{
    const unsigned char *d = (const unsigned char *)c->data;
    uint32_t i;

    for (i = from; i < to; i++) {
        if (is_blank(d[i]))
            continue;
        if (d[i] == '\\') {
            uint32_t j = i + 1;
            while (j < c->len && (d[j] == '\\' || d[j] == '\r'))
                j++;
            if (j == c->len || d[j] == '\n')
                continue;
            return false;
        }
        if (d[i] == '\n') {
            uint32_t j = i;
            while (j > from && d[j - 1] == '\r')
                j--;
            if (j > from && (d[j - 1] == '\\' || d[j - 1] == '\n'))
                continue;
            return false;
        }
        return false;
    }
    return true;
}

static bool is_expand_delims(struct checker *c, const struct ast_part *p)
{
    struct span sp = p->span;
    uint32_t body = ast_expand_body(p);

    return sp.end - sp.start >= 3 && c->data[sp.start] == '$' &&
           body >= sp.start + 2 && body <= sp.end - 1 &&
           c->data[body - 1] == '{' && c->data[sp.end - 1] == '}';
}

static bool is_tag_delims(struct checker *c, struct span sp, char open,
                          char close)
{
    if (sp.end - sp.start >= 4 && c->data[sp.start] == '<' &&
        c->data[sp.start + 1] == '%')
        return c->data[sp.end - 2] == '%' && c->data[sp.end - 1] == '>';
    return sp.end - sp.start >= 4 && c->data[sp.start] == '{' &&
           c->data[sp.start + 1] == open && c->data[sp.end - 2] == close &&
           c->data[sp.end - 1] == '}';
}

/* A continuation part: backslashes, CRs and newlines, ending in '\n'. */
static bool is_cont_bytes(struct checker *c, struct span sp)
{
    uint32_t i;

    /* it ends at a newline, or at the end of the file (a join with
     * nothing left to join: spec §1.2) */
    if (sp.end - sp.start < 2 || c->data[sp.start] != '\\' ||
        (c->data[sp.end - 1] != '\n' && sp.end != c->len))
        return false;
    for (i = sp.start; i < sp.end; i++) {
        char ch = c->data[i];
        if (ch != '\\' && ch != '\r' && ch != '\n')
            return false;
    }
    return true;
}

/* One part (not its children) inside its parent's [lo, hi). */
static bool check_one_part(struct checker *c, const struct ast_part *p)
{
    switch (p->kind) {
    case AST_PART_EXPAND:
        if (!is_expand_delims(c, p))
            return fail(c, p->span, "expansion is not ${...}");
        if (p->slash != AST_NONE &&
            (p->slash < ast_expand_body(p) || p->slash >= p->span.end - 1 ||
             c->data[p->slash] != '/'))
            return fail(c, p->span, "scope '/' misplaced");
        if (p->colon != AST_NONE &&
            (p->colon < ast_expand_body(p) || p->colon >= p->span.end - 1 ||
             c->data[p->colon] != ':'))
            return fail(c, p->span, "type ':' misplaced");
        if (p->slash != AST_NONE && p->colon != AST_NONE && p->colon < p->slash)
            return fail(c, p->span, "type ':' before the scope '/'");
        return true;
    case AST_PART_TMPL_EXPR:
    case AST_PART_TMPL_STMT:
    case AST_PART_TMPL_COMMENT: {
        static const char opens[] = {0, '{', '%', '#'};
        static const char closes[] = {0, '}', '%', '#'};
        if (!c->s->is_template)
            return fail(c, p->span, "template tag in a plain script");
        if (!is_tag_delims(c, p->span, opens[p->kind], closes[p->kind]))
            return fail(c, p->span, "template tag delimiters wrong");
        if (p->children)
            return fail(c, p->span, "template tag with children");
        return true;
    }
    case AST_PART_CONT:
        if (!is_cont_bytes(c, p->span))
            return fail(c, p->span, "continuation is not backslash-newline");
        if (p->children)
            return fail(c, p->span, "continuation with children");
        return true;
    default:
        return fail(c, p->span, "unknown part kind");
    }
}

/* One level of parts being walked: an explicit stack, because inputs nest
 * `${` as deep as they like and recursion would overflow. */
struct part_level {
    const struct ast_part *p; /**< the next part of this level */
    uint32_t at;              /**< where the previous sibling ended */
    uint32_t hi;              /**< the end of the parent's inside */
};

/* Parts of a word inside [lo, hi); sets the kinds seen in @p seen. */
static bool check_parts(struct checker *c, const struct ast_part *first,
                        uint32_t lo, uint32_t hi, unsigned *seen)
{
    struct part_level *stack;
    size_t depth = 0, cap = 0;
    bool ok = true;

    stack = grow(NULL, &cap, sizeof(*stack));
    if (!stack)
        return fail(c, (struct span){lo, hi}, "out of memory");
    stack[depth++] = (struct part_level){first, lo, hi};
    while (depth && ok) {
        struct part_level *top = &stack[depth - 1];
        const struct ast_part *p = top->p;

        if (!p) {
            depth--;
            continue;
        }
        top->p = p->next;
        if (p->span.start < top->at || p->span.end > top->hi ||
            p->span.start >= p->span.end) {
            ok = fail(c, p->span, "part outside its parent or out of order");
            break;
        }
        top->at = p->span.end;
        *seen |= 1u << p->kind;
        ok = check_one_part(c, p);
        if (ok && p->children) {
            if (depth == cap) {
                struct part_level *more = grow(stack, &cap, sizeof(*stack));
                if (!more) {
                    ok = fail(c, p->span, "out of memory");
                    break;
                }
                stack = more;
            }
            /* children sit between `${` and `}`; a continuation may split
             * the `${` itself, and is then the first child */
            stack[depth++] = (struct part_level){p->children, p->span.start + 1,
                                                 p->span.end - 1};
        }
    }
    free(stack);
    return ok;
}

static bool has_space(const char *p, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        if (ipxe_isspace((unsigned char)p[i]) || p[i] == '\0')
            return true;
    }
    return false;
}

/* One token; @p at is where the previous one ended. */
static bool check_token(struct checker *c, const struct ast_word *w,
                        uint32_t *at, uint32_t limit, int want_kind)
{
    unsigned seen = 0;

    if (!w)
        return fail(c, (struct span){*at, *at}, "missing token");
    if (w->span.start < *at || w->span.end > limit ||
        w->span.start >= w->span.end)
        return fail(c, w->span, "token outside its line or out of order");
    if (!gap_is_trivia(c, *at, w->span.start))
        return fail(c, w->span, "bytes before token are not trivia");
    *at = w->span.end;
    if (w->len > w->span.end - w->span.start)
        return fail(c, w->span, "text longer than the raw bytes");
    switch (want_kind) {
    case AST_COMMENT:
    case AST_TAIL:
        if (w->kind != want_kind)
            return fail(c, w->span, "comment or tail of the wrong kind");
        if (w->len != w->span.end - w->span.start ||
            memcmp(w->text, c->data + w->span.start, w->len) != 0)
            return fail(c, w->span, "comment or tail text is not raw");
        if (w->text[0] != (want_kind == AST_COMMENT ? '#' : '\0'))
            return fail(c, w->span, "comment or tail starts wrongly");
        if (w->flags & ~AST_W_TEMPLATE)
            return fail(c, w->span, "comment or tail with word flags");
        break;
    case AST_OR:
        if (!((w->kind == AST_OR && ast_word_is(w, "||")) ||
              (w->kind == AST_AND && ast_word_is(w, "&&")) ||
              (w->kind == AST_SEMI && ast_word_is(w, ";"))))
            return fail(c, w->span, "operator kind and text disagree");
        break;
    case AST_LABEL:
        if (w->kind != AST_LABEL || c->data[w->span.start] != ':')
            return fail(c, w->span, "label does not start with ':'");
        break;
    default:
        if (w->kind != AST_WORD || w->len == 0)
            return fail(c, w->span, "word of the wrong kind, or empty");
        if (ast_word_is(w, "||") || ast_word_is(w, "&&") ||
            ast_word_is(w, ";") || w->text[0] == '#')
            return fail(c, w->span, "operator or comment kept as a word");
        break;
    }
    if (!c->s->is_template && want_kind != AST_COMMENT &&
        want_kind != AST_TAIL && has_space(w->text, w->len))
        return fail(c, w->span, "whitespace or NUL inside a plain word");
    if (!check_parts(c, ast_word_parts(w), w->span.start, w->span.end, &seen))
        return false;
    if (((w->flags & AST_W_EXPAND) != 0) !=
        ((seen & (1u << AST_PART_EXPAND)) != 0))
        return fail(c, w->span, "expand flag disagrees with the parts");
    if (((w->flags & AST_W_CONT) != 0) != ((seen & (1u << AST_PART_CONT)) != 0))
        return fail(c, w->span, "cont flag disagrees with the parts");
    if (((w->flags & AST_W_TEMPLATE) != 0) !=
        ((seen & ((1u << AST_PART_TMPL_EXPR) | (1u << AST_PART_TMPL_STMT) |
                  (1u << AST_PART_TMPL_COMMENT))) != 0))
        return fail(c, w->span, "template flag disagrees with the parts");
    if ((w->flags & AST_W_CONTROL) && !(w->flags & AST_W_TEMPLATE))
        return fail(c, w->span, "control word without a template tag");
    return true;
}

static bool check_line(struct checker *c, const struct ast_line *line,
                       size_t *nwords)
{
    const struct ast_segment *seg;
    struct span eol = ast_line_eol(line);
    uint32_t at = line->span.start, limit = eol.start;
    size_t eol_len = line->eol_len;
    bool has_nl;

    if (eol_len > 2 || eol.start < line->span.start)
        return fail(c, line->span, "end of line longer than the line");
    if (!(eol_len == 0 && line->span.end == c->len) &&
        !(eol_len == 1 && c->data[eol.start] == '\n') &&
        !(eol_len == 2 && memcmp(c->data + eol.start, "\r\n", 2) == 0))
        return fail(c, eol, "end of line is not \\n, \\r\\n or EOF");
    has_nl = memchr(c->data + line->span.start, '\n',
                    eol.start - line->span.start) != NULL;
    /* More than one physical line, or a continuation left dangling. */
    if (((line->flags & AST_L_CONT) != 0) !=
        (has_nl || (line->flags & AST_L_DANGLING) != 0))
        return fail(c, line->span, "cont flag disagrees with the newlines");
    if ((line->flags & AST_L_DANGLING) && line->span.end != c->len)
        return fail(c, line->span, "dangling line before the end");
    if (line->flags & AST_L_ERROR) {
        if (!c->s->is_template)
            return fail(c, line->span, "error line in a plain script");
        return true;
    }
    if (!line->segs)
        return fail(c, line->span, "line without a segment");
    if (line->label && !check_token(c, line->label, &at, limit, AST_LABEL))
        return false;
    for (seg = line->segs; seg; seg = seg->next) {
        uint32_t i;
        for (i = 0; i < seg->argc; i++) {
            if (!check_token(c, seg->argv[i], &at, limit, AST_WORD))
                return false;
        }
        *nwords += seg->argc;
        if (!seg->op != !seg->next)
            return fail(c, line->span, "operator and next segment disagree");
        if (seg->op && !check_token(c, seg->op, &at, limit, AST_OR))
            return false;
    }
    if (line->trail &&
        !check_token(c, line->trail, &at, limit,
                     line->trail->kind == AST_TAIL ? AST_TAIL : AST_COMMENT))
        return false;
    if (!gap_is_trivia(c, at, limit))
        return fail(c, line->span,
                    "bytes before the end of line are not trivia");
    return true;
}

bool treecheck_structure(const struct ast_script *s, struct buf *err)
{
    struct checker c = {s, s->src->data, (uint32_t)s->src->len, err, true};
    const struct ast_line *line;
    uint32_t at = 0;
    size_t nlines = 0, nwords = 0;

    for (line = s->lines; line && c.ok; line = line->next) {
        if (line->span.start != at || line->span.end <= line->span.start)
            return fail(&c, line->span, "lines do not follow each other");
        if (!check_line(&c, line, &nwords))
            return false;
        at = line->span.end;
        nlines++;
    }
    if (at != c.len)
        return fail(&c, (struct span){at, c.len}, "lines do not reach the end");
    if (nlines != s->nlines || nwords != s->nwords)
        return fail(&c, (struct span){0, c.len}, "line or word count wrong");
    if (s->signature != ast_signature_of(s->src->data, s->src->len))
        return fail(&c, (struct span){0, 0}, "signature not the probe's");
    return c.ok;
}

/* ---- the reference model ---- */

static int add_quoted(struct buf *out, const char *p, size_t len)
{
    size_t i;
    int rc = buf_addch(out, '"');

    for (i = 0; i < len && !rc; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\')
            rc = buf_addf(out, "\\x%02x", ch);
        else
            rc = buf_addch(out, (char)ch);
    }
    return rc ? rc : buf_addch(out, '"');
}

static int add_token(struct buf *out, const char *what, const char *p,
                     size_t len)
{
    int rc = buf_addf(out, "  %s ", what);

    if (!rc)
        rc = add_quoted(out, p, len);
    return rc ? rc : buf_addch(out, '\n');
}

/* Words longer than this get no expansion check (the model is quadratic). */
#define MODEL_EXPAND_MAX 4096

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

static int add_expansions(struct buf *out, struct span *xs, size_t n,
                          bool unclosed, bool stray)
{
    size_t i;
    int rc = 0;

    if (n)
        qsort(xs, n, sizeof(*xs), cmp_span);
    for (i = 0; i < n && !rc; i++)
        rc = buf_addf(out, " x[%u,%u)", xs[i].start, xs[i].end);
    if (!rc && unclosed)
        rc = buf_adds(out, " unclosed");
    if (!rc && stray)
        rc = buf_adds(out, " stray");
    return rc;
}

/* The expansions iPXE's expand_settings() (spec §2.5) finds in a word,
 * values unknown: the first '}' after a "${" closes the latest "${" before
 * it; the pair becomes one opaque byte and the scan starts over.  Offsets
 * are in the word's logical text. */
static int model_expansions(struct buf *out, const char *p, size_t len)
{
    char *ch;
    struct span *cell, *xs;
    size_t n = len, nx = 0, i;
    bool unclosed = false, stray = false;
    int rc;

    if (len > MODEL_EXPAND_MAX)
        return 0;
    ch = malloc(len + 1);
    cell = malloc((len + 1) * sizeof(*cell));
    xs = malloc((len + 1) * sizeof(*xs));
    if (!ch || !cell || !xs) {
        free(ch);
        free(cell);
        free(xs);
        return -1;
    }
    for (i = 0; i < len; i++) {
        ch[i] = p[i];
        cell[i].start = (uint32_t)i;
        cell[i].end = (uint32_t)i + 1;
    }
    for (;;) {
        size_t t, start = SIZE_MAX, end = SIZE_MAX;
        for (t = 0; t < n; t++) {
            if (ch[t] == '$' && t + 1 < n && ch[t + 1] == '{')
                start = t;
            if (start != SIZE_MAX && ch[t] == '}') {
                end = t;
                break;
            }
        }
        if (end == SIZE_MAX)
            break;
        xs[nx].start = cell[start].start;
        xs[nx].end = cell[end].end;
        nx++;
        /* The expansion becomes one byte that is none of '$', '{', '}'. */
        ch[start] = 'V';
        cell[start].end = cell[end].end;
        memmove(ch + start + 1, ch + end + 1, n - end - 1);
        memmove(cell + start + 1, cell + end + 1,
                (n - end - 1) * sizeof(*cell));
        n -= end - start;
    }
    for (i = 0; i < n; i++) {
        if (ch[i] == '$' && i + 1 < n && ch[i + 1] == '{')
            unclosed = true;
        if (ch[i] == '}')
            stray = true;
    }
    rc = add_expansions(out, xs, nx, unclosed, stray);
    free(ch);
    free(cell);
    free(xs);
    return rc;
}

/* The spans of the parts of @p kind anywhere in @p first (walked without
 * recursion) into @p *found, an array the caller frees (NULL if none), and
 * their count into @p *count; -1 if out of memory. */
static int collect_parts(const struct ast_part *first, enum ast_part_kind kind,
                         struct span **found, size_t *count)
{
    const struct ast_part **stack = NULL, *p = first;
    size_t depth = 0, cap = 0, n = 0, fcap = 0;
    int rc = 0;

    *found = NULL;
    while (p && !rc) {
        if (p->kind == kind) {
            struct span *more =
                n < fcap ? *found : grow(*found, &fcap, sizeof(**found));
            if (!more) {
                rc = -1;
                break;
            }
            *found = more;
            (*found)[n++] = p->span;
        }
        if (p->children) {
            /* Come back to the next sibling after the children. */
            if (p->next) {
                const struct ast_part **more =
                    depth < cap ? stack : grow(stack, &cap, sizeof(*stack));
                if (!more) {
                    rc = -1;
                    break;
                }
                stack = more;
                stack[depth++] = p->next;
            }
            p = p->children;
            continue;
        }
        p = p->next;
        if (!p && depth)
            p = stack[--depth];
    }
    free(stack);
    *count = n;
    return rc;
}

/* The same for a word of the tree, in its logical text's offsets. */
static int tree_expansions(struct buf *out, const struct ast_word *w)
{
    size_t nc = 0, nx = 0, i, j;
    struct span *conts = NULL, *xs = NULL;
    int rc;

    if (w->len > MODEL_EXPAND_MAX)
        return 0;
    if (collect_parts(ast_word_parts(w), AST_PART_CONT, &conts, &nc) ||
        collect_parts(ast_word_parts(w), AST_PART_EXPAND, &xs, &nx)) {
        free(conts);
        free(xs);
        return -1;
    }
    if (nc)
        qsort(conts, nc, sizeof(*conts), cmp_span);
    /* Raw offset to logical offset: less the continuations before it. */
    for (i = 0; i < nx; i++) {
        uint32_t cut_start = 0, cut_end = 0;
        for (j = 0; j < nc; j++) {
            uint32_t cut = conts[j].end - conts[j].start;
            if (conts[j].end <= xs[i].start)
                cut_start += cut;
            if (conts[j].end <= xs[i].end)
                cut_end += cut;
        }
        xs[i].start = xs[i].start - w->span.start - cut_start;
        xs[i].end = xs[i].end - w->span.start - cut_end;
    }
    rc = add_expansions(out, xs, nx, (w->flags & AST_W_UNCLOSED) != 0,
                        (w->flags & AST_W_STRAY_CLOSE) != 0);
    free(conts);
    free(xs);
    return rc;
}

/* A word and its expansions: from the model if @p w is NULL, else from
 * the tree. */
static int add_word(struct buf *out, const char *p, size_t len,
                    const struct ast_word *w)
{
    int rc = buf_adds(out, "  word ");

    if (!rc)
        rc = add_quoted(out, p, len);
    if (!rc)
        rc = w ? tree_expansions(out, w) : model_expansions(out, p, len);
    return rc ? rc : buf_addch(out, '\n');
}

/* One logical line as iPXE's process_script() and system() see it. */
static int model_line(struct buf *out, size_t start, size_t end, bool dangling,
                      const char *text, size_t len)
{
    size_t n = strnlen(text, len), p = 0; /* handled as a C string */
    int rc;

    rc = buf_addf(out, "line %zu-%zu%s\n", start, end,
                  dangling ? " dangling" : "");
    while (p < n && ipxe_isspace((unsigned char)text[p]))
        p++;
    if (!rc && p < n && text[p] == ':') {
        size_t q = ++p;
        while (q < n && !ipxe_isspace((unsigned char)text[q]))
            q++;
        rc = add_token(out, "label", text + p, q - p);
        p = q;
    }
    while (!rc && p < n) {
        size_t q;
        while (p < n && ipxe_isspace((unsigned char)text[p]))
            p++;
        if (p == n)
            break;
        q = p;
        while (q < n && !ipxe_isspace((unsigned char)text[q]))
            q++;
        if (text[p] == '#')
            return buf_adds(out, "  comment\n");
        if ((q - p == 2 && (memcmp(text + p, "||", 2) == 0 ||
                            memcmp(text + p, "&&", 2) == 0)) ||
            (q - p == 1 && text[p] == ';'))
            rc = add_token(out, "op", text + p, q - p);
        else
            rc = add_word(out, text + p, q - p, NULL);
        p = q;
    }
    return rc;
}

int treecheck_model_describe(const char *data, size_t len, struct buf *out)
{
    size_t script_offset = 0, line_offset = 0;
    bool pending = false;
    struct buf line;
    int rc = 0;

    if (len == 0)
        return 0; /* the tree of an empty file has no line */
    buf_init(&line, BUF_MAX_UNLIMITED);
    do {
        const char *eol =
            memchr(data + script_offset, '\n', len - script_offset);
        size_t frag_len =
            eol ? (size_t)(eol - data) - script_offset : len - script_offset;

        rc = buf_add(&line, data + script_offset, frag_len);
        if (rc)
            break;
        script_offset += frag_len + 1;
        if (line.len && line.data[line.len - 1] == '\r')
            buf_truncate(&line, line.len - 1);
        if (line.len && line.data[line.len - 1] == '\\') {
            buf_truncate(&line, line.len - 1);
            pending = true;
            continue;
        }
        pending = false;
        rc = model_line(out, line_offset,
                        script_offset < len ? script_offset : len, false,
                        line.data, line.len);
        buf_truncate(&line, 0);
        line_offset = script_offset;
    } while (!rc && script_offset < len);
    if (!rc && pending)
        rc = model_line(out, line_offset, len, true, line.data, line.len);
    buf_release(&line);
    return rc;
}

int treecheck_tree_describe(const struct ast_script *s, struct buf *out)
{
    const struct ast_line *line;
    int rc = 0;

    for (line = s->lines; line && !rc; line = line->next) {
        const struct ast_segment *seg;
        rc = buf_addf(out, "line %u-%u%s%s\n", line->span.start, line->span.end,
                      line->flags & AST_L_DANGLING ? " dangling" : "",
                      line->flags & AST_L_ERROR ? " error" : "");
        if (!rc && line->label)
            rc = add_token(out, "label", line->label->text, line->label->len);
        for (seg = line->segs; seg && !rc; seg = seg->next) {
            uint32_t i;
            for (i = 0; i < seg->argc && !rc; i++)
                rc = add_word(out, seg->argv[i]->text, seg->argv[i]->len,
                              seg->argv[i]);
            if (!rc && seg->op)
                rc = add_token(out, "op", seg->op->text, seg->op->len);
        }
        if (!rc && ast_line_comment(line))
            rc = buf_adds(out, "  comment\n");
    }
    return rc;
}

bool treecheck_model(const struct ast_script *s, struct buf *err)
{
    struct buf want, got;
    bool same;

    buf_init(&want, BUF_MAX_UNLIMITED);
    buf_init(&got, BUF_MAX_UNLIMITED);
    if (treecheck_model_describe(s->src->data, s->src->len, &want) ||
        treecheck_tree_describe(s, &got)) {
        buf_adds(err, "out of memory describing the tree\n");
        same = false;
    } else {
        same = want.len == got.len && memcmp(want.data, got.data, got.len) == 0;
    }
    if (!same) {
        size_t i = 0;
        while (i < want.len && i < got.len && want.data[i] == got.data[i])
            i++;
        while (i > 0 && want.data[i - 1] != '\n')
            i--;
        buf_addf(err,
                 "the tree differs from iPXE's reading "
                 "(from the first difference on)\n"
                 "--- iPXE reads:\n%.600s\n--- the tree says:\n%.600s\n",
                 want.data + i, got.data + i);
    }
    buf_release(&want);
    buf_release(&got);
    return same;
}
