/* SPDX-License-Identifier: MIT */
/** @file Templates: the tags and the text between them.
 *
 * The text between tags is cut, whitespace-stripped and
 * newline-normalised here exactly as Jinja2's lexer does; each tag
 * becomes a statement node (`if`, `for`, `set`, a print), and
 * tmpl_compile() drives the phases.
 */
#include "tmpl_int.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "parse.h"

/** A template tag found by the parser's lexer. */
struct tpart {
    uint32_t start; /* its first byte ('{') */
    uint32_t end;   /* one past its last byte ('}') */
    uint8_t kind;   /* AST_PART_TMPL_* */
};

struct pvec {
    struct tpart *v; /* parts (malloc) */
    size_t n;        /* used */
    size_t cap;      /* allocated */
};

static int parts_collect(const char *data, const struct ast_part *p,
                         struct pvec *v)
{
    for (; p; p = p->next) {
        /* the parser also reads ERB tags (`<% %>`): text to Jinja2 */
        if ((p->kind == AST_PART_TMPL_EXPR || p->kind == AST_PART_TMPL_STMT ||
             p->kind == AST_PART_TMPL_COMMENT) &&
            data[p->span.start] == '{') {
            struct tpart *nv =
                tmpl_array_room(v->v, &v->cap, v->n, sizeof(*nv), 64);
            if (!nv)
                return -ENOMEM;
            v->v = nv;
            v->v[v->n].start = p->span.start;
            v->v[v->n].end = p->span.end;
            v->v[v->n].kind = p->kind;
            v->n++;
        }
        if (p->children && parts_collect(data, p->children, v))
            return -ENOMEM;
    }
    return 0;
}

static int word_collect(const char *data, const struct ast_word *w,
                        struct pvec *v)
{
    return w ? parts_collect(data, ast_word_parts(w), v) : 0;
}

static int tpart_cmp(const void *a, const void *b)
{
    const struct tpart *x = a, *y = b;

    return x->start < y->start ? -1 : x->start > y->start;
}

/* Every template tag of @p s, in source order. */
static int parts_of_tree(const struct ast_script *s, struct pvec *v)
{
    const struct ast_line *line;

    for (line = s->lines; line; line = line->next) {
        const struct ast_segment *seg;
        if (word_collect(s->src->data, line->label, v))
            return -ENOMEM;
        for (seg = line->segs; seg; seg = seg->next) {
            uint32_t i;
            for (i = 0; i < seg->argc; i++) {
                if (word_collect(s->src->data, seg->argv[i], v))
                    return -ENOMEM;
            }
            if (word_collect(s->src->data, seg->op, v))
                return -ENOMEM;
        }
        if (word_collect(s->src->data, line->trail, v))
            return -ENOMEM;
    }
    if (v->n > 1)
        qsort(v->v, v->n, sizeof(*v->v), tpart_cmp);
    return 0;
}

/** An `if` or `for` whose end has not been seen yet. */
struct tblock {
    struct tnode *node;     /* the statement */
    struct tnode **tail;    /* where the next node of its body goes */
    struct tbranch *branch; /* TN_IF: the branch being filled */
    bool in_else;           /* its `else` was seen */
    struct span tag;        /* its opening tag */
};

/** The state of compiling one template. */
struct tbuild {
    struct span *raws;    /* the raw blocks' insides (malloc) */
    size_t nraws;         /* how many */
    size_t raws_cap;      /* allocated */
    struct tmpl *t;       /* what is built */
    struct tnode **tail;  /* top level: where the next node goes */
    struct tblock *stack; /* open blocks (malloc) */
    size_t depth;         /* how many */
    size_t cap;           /* allocated */
};

static struct tnode **build_tail(struct tbuild *b)
{
    return b->depth ? b->stack[b->depth - 1].tail : b->tail;
}

static void build_append(struct tbuild *b, struct tnode *n)
{
    struct tnode **tail = build_tail(b);

    *tail = n;
    if (b->depth)
        b->stack[b->depth - 1].tail = &n->next;
    else
        b->tail = &n->next;
}

static struct tblock *build_push(struct tcomp *c, struct tbuild *b,
                                 struct tnode *n, struct span tag)
{
    struct tblock *stack =
        tmpl_array_room(b->stack, &b->cap, b->depth, sizeof(*stack), 8);
    struct tblock *blk;

    if (!stack) {
        c->oom = true;
        return NULL;
    }
    /* the block still opens, so that its end matches */
    if (b->depth == TMPL_MAX_DEPTH)
        tmpl_cerr(c, RENDER_TEMPLATE_UNSUPPORTED, tag.start, tag.end,
                  "'if' and 'for' blocks nested more than %d deep are not "
                  "supported",
                  TMPL_MAX_DEPTH);
    b->stack = stack;
    blk = &b->stack[b->depth++];
    memset(blk, 0, sizeof(*blk));
    blk->node = n;
    blk->tag = tag;
    return blk;
}

static struct tnode *node_new(struct tcomp *c, enum tn_kind kind,
                              struct span span)
{
    struct tnode *n = arena_zalloc(c->a, sizeof(*n));

    if (!n) {
        c->oom = true;
        return NULL;
    }
    n->kind = (uint8_t)kind;
    n->span = span;
    return n;
}

/* Add the literal text [start, end) to the output, with Jinja2's newline
 * normalisation (\r\n and \r become \n). */
static void emit_text(struct tcomp *c, struct tbuild *b, uint32_t start,
                      uint32_t end)
{
    const char *s = c->data + start;
    size_t len = end - start, i, o = 0;
    struct tnode *n;
    char *text;

    if (start >= end)
        return;
    n = node_new(c, TN_TEXT, (struct span){start, end});
    if (!n)
        return;
    if (!memchr(s, '\r', len)) {
        n->text = s;
        n->len = len;
    } else {
        text = arena_alloc(c->a, len);
        if (!text) {
            c->oom = true;
            return;
        }
        for (i = 0; i < len; i++) {
            if (s[i] == '\r') {
                text[o++] = '\n';
                if (i + 1 < len && s[i + 1] == '\n')
                    i++;
            } else {
                text[o++] = s[i];
            }
        }
        n->text = text;
        n->len = o;
    }
    build_append(b, n);
}

/* Text between tags must not hold a tag opener that the parser's lexer
 * passed over (as it does for `${{`): Jinja2 would read a tag there. */
static void check_gap(struct tcomp *c, uint32_t start, uint32_t end)
{
    uint32_t i;

    /* a pair may end on the first byte of the next tag: `${{{ x }}` */
    for (i = start; i < end && i + 1 < c->src->len; i++) {
        const char *s = c->data + i;
        if (s[0] == '{' && (s[1] == '{' || s[1] == '%' || s[1] == '#')) {
            tmpl_cerr(c, RENDER_TEMPLATE_UNSUPPORTED, i, i + 2,
                      "'%.2s' opens a tag to Jinja2 that the iPXE word rules "
                      "hide %s; %s",
                      s,
                      i > 0 && s[-1] == '$' ? "(after '$', '${' is read first)"
                                            : "(inside '<% %>'?)",
                      i > 0 && s[-1] == '$' ? "write '$' as {{ '$' }}"
                                            : "move it out");
            return;
        }
    }
}

/* Where the tag [s, e) keeps its inside, and its whitespace control. */
struct tagshape {
    uint32_t in_start; /* the inside, without delimiters and signs */
    uint32_t in_end;
    bool strip_before; /* `{%-`: strip the text before */
    bool strip_after;  /* `-%}`: strip the text after */
};

static struct tagshape tag_shape(const char *data, const struct tpart *p)
{
    struct tagshape sh;

    sh.in_start = p->start + 2;
    sh.in_end = p->end - 2;
    sh.strip_before = sh.strip_after = false;
    if (sh.in_start < sh.in_end &&
        (data[sh.in_start] == '-' || data[sh.in_start] == '+')) {
        sh.strip_before = data[sh.in_start] == '-';
        sh.in_start++;
    }
    if (sh.in_end > sh.in_start &&
        (data[sh.in_end - 1] == '-' ||
         (data[sh.in_end - 1] == '+' && p->kind != AST_PART_TMPL_EXPR))) {
        sh.strip_after = data[sh.in_end - 1] == '-';
        sh.in_end--;
    }
    return sh;
}

/* Whether [s, e) is `\s*word\s*` (Python whitespace). */
static bool inside_is(const char *data, uint32_t s, uint32_t e,
                      const char *word)
{
    size_t n = strlen(word);

    s += (uint32_t)tmpl_py_space_prefix(data + s, e - s);
    e = s + (uint32_t)tmpl_py_rstrip_len(data + s, e - s);
    return e - s == n && memcmp(data + s, word, n) == 0;
}

/* Find Jinja2's end of a raw block from @p from: `{%[-+]?\s*endraw\s*`
 * then `+%}`, `-%}` or `%}`.  Sets where it starts and ends and whether
 * it strips before or after. */
static bool find_endraw(const char *data, uint32_t from, uint32_t len,
                        uint32_t *at, uint32_t *end, bool *lstrip, bool *rstrip)
{
    uint32_t i, j;

    for (i = from; i + 1 < len; i++) {
        if (data[i] != '{' || data[i + 1] != '%')
            continue;
        j = i + 2;
        *lstrip = j < len && data[j] == '-';
        if (j < len && (data[j] == '-' || data[j] == '+'))
            j++;
        j += (uint32_t)tmpl_py_space_prefix(data + j, len - j);
        if (len - j < 6 || memcmp(data + j, "endraw", 6) != 0)
            continue;
        j += 6;
        j += (uint32_t)tmpl_py_space_prefix(data + j, len - j);
        *rstrip = false;
        if (len - j >= 3 && (data[j] == '+' || data[j] == '-') &&
            data[j + 1] == '%' && data[j + 2] == '}') {
            *rstrip = data[j] == '-';
            j += 3;
        } else if (len - j >= 2 && data[j] == '%' && data[j + 1] == '}') {
            j += 2;
        } else {
            continue;
        }
        *at = i;
        *end = j;
        return true;
    }
    return false;
}

/* Statements Jinja2 knows that the subset leaves out. */
static const char *const unsupported_tags[] = {
    "block",         "endblock", "extends", "print",  "macro",     "endmacro",
    "include",       "from",     "import",  "with",   "endwith",   "autoescape",
    "endautoescape", "call",     "endcall", "filter", "endfilter", "endset",
    "break",         "continue", "do",      "trans",  "endtrans",  "pluralize",
};

/* Assignment targets: a name or a tuple of names (not true/false/none). */
static bool targets_of(struct tparse *p, struct texpr *x, struct tnode *n)
{
    uint32_t k, count = x->kind == TX_LIST && x->sub ? x->nargs : 1;

    n->unpack = x->kind == TX_LIST && x->sub;
    n->targets = arena_alloc(p->c->a, (count ? count : 1) * sizeof(char *));
    if (!n->targets) {
        tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, x->span, "out of memory");
        return false;
    }
    n->ntargets = count;
    for (k = 0; k < count; k++) {
        struct texpr *t = n->unpack ? x->args[k] : x;
        if (t->kind == TX_LIST && t->sub) {
            tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, t->span,
                      "nested unpacking is not supported");
            return false;
        }
        if (t->kind != TX_NAME) {
            tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, t->span, "cannot assign to %s",
                      t->kind == TX_CONST ? "a constant" : "an expression");
            return false;
        }
        n->targets[k] = t->name;
    }
    if (!count) {
        tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, x->span,
                  "cannot assign to an empty tuple");
        return false;
    }
    return true;
}

/* `:` may end a statement before its `%}`, as in Python. */
static bool expect_end(struct tparse *p, bool colon_ok)
{
    if (p->failed)
        return false;
    if (colon_ok && tmpl_tok_is_op(tmpl_cur(p), TO_COLON))
        tmpl_advance(p);
    if (tmpl_cur(p)->kind != TK_END) {
        tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, tmpl_cur(p)->span,
                  "expected the end of the tag, "
                  "got %s",
                  tmpl_tok_describe(p, tmpl_cur(p)));
        return false;
    }
    return true;
}

static void compile_print(struct tcomp *c, struct tbuild *b,
                          const struct tpart *part, const struct tagshape *sh)
{
    struct tparse p = {c, 0, false, 0};
    struct span tag = {part->start, part->end};
    struct texpr *x;
    struct tnode *n;

    if (!tmpl_tag_lex(c, sh->in_start, sh->in_end))
        return;
    x = tmpl_shallow(&p, tmpl_parse_tuple(&p, false, true, NULL, false));
    if (!expect_end(&p, false))
        return;
    if (x->kind == TX_LIST && x->sub) {
        tmpl_cerr(c, RENDER_TEMPLATE_UNSUPPORTED, x->span.start, x->span.end,
                  "printing a tuple is not supported");
        return;
    }
    n = node_new(c, TN_PRINT, tag);
    if (!n)
        return;
    n->expr = x;
    buf_truncate(&c->tmp, 0);
    if (tmpl_expr_names(c, x, &c->tmp)) {
        c->oom = true;
        return;
    }
    if (c->tmp.len) {
        size_t k;
        /* the names go into one-line messages: a path written over
         * several lines reads with spaces */
        for (k = 0; k < c->tmp.len; k++) {
            if (c->tmp.data[k] == '\n' || c->tmp.data[k] == '\r')
                c->tmp.data[k] = ' ';
        }
        n->names = arena_strndup(c->a, c->tmp.data, c->tmp.len);
        if (!n->names)
            c->oom = true;
    }
    build_append(b, n);
}

/* The `{% if %}` or `{% for %}` that @p word continues or ends, or NULL
 * after reporting that it does not match. */
static struct tblock *open_block(struct tcomp *c, struct tbuild *b,
                                 const struct ttok *word, enum tn_kind kind,
                                 bool else_ok)
{
    struct tblock *blk = b->depth ? &b->stack[b->depth - 1] : NULL;

    if (!blk || blk->node->kind != kind || (blk->in_else && !else_ok)) {
        const char *want = "nothing";
        if (blk && blk->node->kind == TN_IF)
            want = blk->in_else ? "'endif'" : "'elif', 'else' or 'endif'";
        else if (blk)
            want = blk->in_else ? "'endfor'" : "'else' or 'endfor'";
        tmpl_cerr(c, RENDER_TEMPLATE_SYNTAX, word->span.start, word->span.end,
                  "unexpected '%.*s' (expected %s here)",
                  (int)(word->span.end - word->span.start),
                  c->data + word->span.start, want);
        return NULL;
    }
    return blk;
}

static void compile_if(struct tcomp *c, struct tbuild *b, struct tparse *p,
                       struct span tag)
{
    struct tnode *n = node_new(c, TN_IF, tag);
    struct tbranch *br = arena_zalloc(c->a, sizeof(*br));
    struct tblock *blk;

    if (!n || !br) {
        c->oom = true;
        return;
    }
    tmpl_advance(p);
    br->cond = tmpl_shallow(p, tmpl_parse_tuple(p, false, false, NULL, false));
    expect_end(p, true);
    n->branches = br;
    build_append(b, n);
    /* even a broken `if` opens a block, so its `endif` still matches */
    blk = build_push(c, b, n, tag);
    if (!blk)
        return;
    blk->branch = br;
    blk->tail = &br->body;
}

static void compile_for(struct tcomp *c, struct tbuild *b, struct tparse *p,
                        struct span tag)
{
    struct tnode *n = node_new(c, TN_FOR, tag);
    struct texpr *target;
    struct tblock *blk;

    if (!n)
        return;
    build_append(b, n);
    blk = build_push(c, b, n, tag);
    if (!blk)
        return;
    blk->tail = &n->body;
    tmpl_advance(p);
    target = tmpl_parse_tuple(p, true, true, "in", false);
    if (!target || !targets_of(p, target, n))
        return;
    if (!tmpl_tok_is_name(tmpl_cur(p), "in")) {
        tmpl_perr(p, RENDER_TEMPLATE_SYNTAX, tmpl_cur(p)->span,
                  "expected 'in', got %s", tmpl_tok_describe(p, tmpl_cur(p)));
        return;
    }
    tmpl_advance(p);
    n->expr =
        tmpl_shallow(p, tmpl_parse_tuple(p, false, false, "recursive", false));
    if (!p->failed && tmpl_tok_is_name(tmpl_cur(p), "if")) {
        tmpl_advance(p);
        n->filter = tmpl_shallow(p, tmpl_parse_expression(p, true));
    }
    if (!p->failed && tmpl_tok_is_name(tmpl_cur(p), "recursive")) {
        tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, tmpl_cur(p)->span,
                  "recursive loops are not supported");
        return;
    }
    expect_end(p, true);
}

static void compile_set(struct tcomp *c, struct tbuild *b, struct tparse *p,
                        struct span tag)
{
    struct tnode *n = node_new(c, TN_SET, tag);
    struct texpr *target;

    if (!n)
        return;
    tmpl_advance(p);
    if (tmpl_cur(p)->kind == TK_NAME && tmpl_tok_is_op(tmpl_look(p), TO_DOT)) {
        tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, tmpl_cur(p)->span,
                  "namespace assignments are not supported");
        return;
    }
    target = tmpl_parse_tuple(p, true, true, NULL, false);
    if (!target || !targets_of(p, target, n))
        return;
    if (!tmpl_tok_is_op(tmpl_cur(p), TO_ASSIGN)) {
        tmpl_perr(p, RENDER_TEMPLATE_UNSUPPORTED, tmpl_cur(p)->span,
                  "block assignments ({%% set x %%}...{%% endset %%}) are not "
                  "supported");
        return;
    }
    tmpl_advance(p);
    n->expr = tmpl_shallow(p, tmpl_parse_tuple(p, false, true, NULL, false));
    if (expect_end(p, false))
        build_append(b, n);
}

static void compile_stmt(struct tcomp *c, struct tbuild *b,
                         const struct tpart *part, const struct tagshape *sh)
{
    struct tparse p = {c, 0, false, 0};
    struct span tag = {part->start, part->end};
    const struct ttok *w;
    struct tblock *blk;
    size_t k;

    if (!tmpl_tag_lex(c, sh->in_start, sh->in_end))
        return;
    w = tmpl_cur(&p);
    if (w->kind != TK_NAME) {
        tmpl_perr(&p, RENDER_TEMPLATE_SYNTAX, w->span,
                  "expected a tag name, got %s", tmpl_tok_describe(&p, w));
        return;
    }
    if (tmpl_tok_is_name(w, "if")) {
        compile_if(c, b, &p, tag);
    } else if (tmpl_tok_is_name(w, "for")) {
        compile_for(c, b, &p, tag);
    } else if (tmpl_tok_is_name(w, "set")) {
        compile_set(c, b, &p, tag);
    } else if (tmpl_tok_is_name(w, "elif")) {
        blk = open_block(c, b, w, TN_IF, false);
        if (!blk)
            return;
        blk->branch->next = arena_zalloc(c->a, sizeof(struct tbranch));
        if (!blk->branch->next) {
            c->oom = true;
            return;
        }
        blk->branch = blk->branch->next;
        blk->tail = &blk->branch->body;
        tmpl_advance(&p);
        blk->branch->cond =
            tmpl_shallow(&p, tmpl_parse_tuple(&p, false, false, NULL, false));
        expect_end(&p, true);
    } else if (tmpl_tok_is_name(w, "else")) {
        blk = b->depth ? &b->stack[b->depth - 1] : NULL;
        blk = open_block(c, b, w, blk ? (enum tn_kind)blk->node->kind : TN_IF,
                         false);
        if (!blk)
            return;
        blk->in_else = true;
        blk->tail = &blk->node->else_body;
        tmpl_advance(&p);
        expect_end(&p, true);
    } else if (tmpl_tok_is_name(w, "endif") || tmpl_tok_is_name(w, "endfor")) {
        blk = open_block(c, b, w, tmpl_tok_is_name(w, "endif") ? TN_IF : TN_FOR,
                         true);
        if (!blk)
            return;
        b->depth--;
        tmpl_advance(&p);
        expect_end(&p, false);
    } else {
        for (k = 0; k < sizeof(unsupported_tags) / sizeof(char *); k++) {
            if (tmpl_tok_is_name(w, unsupported_tags[k]))
                break;
        }
        if (k < sizeof(unsupported_tags) / sizeof(char *))
            tmpl_perr(&p, RENDER_TEMPLATE_UNSUPPORTED, w->span,
                      "the tag '%s' is not supported (the subset has if, elif, "
                      "else, endif, for, endfor, set and raw)",
                      unsupported_tags[k]);
        else
            tmpl_perr(&p, RENDER_TEMPLATE_SYNTAX, w->span, "unknown tag '%.*s'",
                      (int)w->len, w->s);
    }
}

/* A `{% raw %}` tag: copy the text up to its `{% endraw %}` verbatim.
 * Returns where the text after the block starts (0 after an error). */
static uint32_t compile_raw(struct tcomp *c, struct tbuild *b,
                            const struct tpart *part, const struct tagshape *sh)
{
    const char *data = c->data;
    uint32_t len = (uint32_t)c->src->len, from = part->end, at, end;
    struct span *r;
    bool lstrip, rstrip;

    if (sh->strip_after)
        from += (uint32_t)tmpl_py_space_prefix(data + from, len - from);
    if (!find_endraw(data, from, len, &at, &end, &lstrip, &rstrip)) {
        tmpl_cerr(c, RENDER_TEMPLATE_SYNTAX, part->start, part->end,
                  "'{%% raw %%}' is never closed by '{%% endraw %%}'");
        return 0;
    }
    emit_text(c, b, from,
              lstrip
                  ? from + (uint32_t)tmpl_py_rstrip_len(data + from, at - from)
                  : at);
    r = tmpl_array_room(b->raws, &b->raws_cap, b->nraws, sizeof(*r), 4);
    if (!r) {
        c->oom = true;
        return 0;
    }
    b->raws = r;
    b->raws[b->nraws].start = part->end;
    b->raws[b->nraws++].end = at;
    if (rstrip)
        end += (uint32_t)tmpl_py_space_prefix(data + end, len - end);
    return end;
}

int tmpl_compile(struct source *src, struct arena *a, struct diag_list *d,
                 struct tmpl **out)
{
    struct tcomp c;
    struct tbuild b;
    struct ast_script *tree;
    struct pvec parts = {0};
    size_t ndiags = d->len, nparse = d->len, i, bad;
    uint32_t pos = 0;
    bool strip_next = false, raw_open = false;
    int rc;

    *out = NULL;
    memset(&c, 0, sizeof(c));
    memset(&b, 0, sizeof(b));
    c.src = src;
    c.data = src->data;
    c.a = a;
    c.d = d;
    buf_init(&c.tmp, BUF_MAX_UNLIMITED);
    b.t = arena_zalloc(a, sizeof(*b.t));
    if (!b.t)
        return -ENOMEM;
    b.t->src = src;
    b.tail = &b.t->body;

    /* Jinja2 reads text, so a template must be UTF-8 */
    bad = tmpl_utf8_check((const unsigned char *)src->data, src->len);
    if (bad < src->len) {
        tmpl_cerr(&c, RENDER_TEMPLATE_UNSUPPORTED, (uint32_t)bad,
                  (uint32_t)bad + 1,
                  "the template is not valid UTF-8 (byte 0x%02x)",
                  (unsigned char)src->data[bad]);
        goto done;
    }
    rc = parse_source(src, PARSE_TEMPLATE, a, d, &tree);
    if (rc) {
        c.oom = true;
        goto done;
    }
    nparse = d->len;
    if (parts_of_tree(tree, &parts)) {
        c.oom = true;
        goto done;
    }

    for (i = 0; i < parts.n && !c.oom; i++) {
        const struct tpart *p = &parts.v[i];
        struct tagshape sh = tag_shape(c.data, p);
        uint32_t text_start = pos, text_end = p->start;

        if (p->start < pos) {
            if (p->end > pos)
                tmpl_cerr(&c, RENDER_TEMPLATE_SYNTAX, p->start, p->end,
                          "this tag runs across the end of a raw block");
            continue; /* inside a raw block */
        }
        check_gap(&c, pos, p->start);
        if (strip_next)
            text_start += (uint32_t)tmpl_py_space_prefix(c.data + text_start,
                                                         text_end - text_start);
        if (sh.strip_before)
            text_end = text_start +
                       (uint32_t)tmpl_py_rstrip_len(c.data + text_start,
                                                    text_end - text_start);
        emit_text(&c, &b, text_start, text_end);
        strip_next = sh.strip_after;
        pos = p->end;

        if (p->kind == AST_PART_TMPL_COMMENT) {
            /* Jinja2 ends a comment at the first '#}', quotes or not */
            const char *close = NULL;
            uint32_t k;
            for (k = p->start + 2; k + 1 < p->end; k++) {
                if (c.data[k] == '#' && c.data[k + 1] == '}') {
                    close = c.data + k;
                    break;
                }
            }
            if (close && close + 2 != c.data + p->end)
                tmpl_cerr(&c, RENDER_TEMPLATE_UNSUPPORTED, p->start, p->end,
                          "a quote inside this comment hides its first '#}'; "
                          "Jinja2 would end the comment there");
        } else if (p->kind == AST_PART_TMPL_EXPR) {
            compile_print(&c, &b, p, &sh);
        } else if (inside_is(c.data, sh.in_start, sh.in_end, "raw") &&
                   c.data[p->end - 3] != '+') {
            pos = compile_raw(&c, &b, p, &sh);
            strip_next = false;
            if (!pos) {
                raw_open = true;
                break;
            }
        } else {
            compile_stmt(&c, &b, p, &sh);
        }
    }
    if (!raw_open && !c.oom) {
        uint32_t text_start = pos;
        check_gap(&c, pos, (uint32_t)src->len);
        if (strip_next)
            text_start += (uint32_t)tmpl_py_space_prefix(
                c.data + text_start, (uint32_t)src->len - text_start);
        emit_text(&c, &b, text_start, (uint32_t)src->len);
    }
    while (b.depth && !c.oom) {
        struct tblock *blk = &b.stack[--b.depth];
        tmpl_cerr(&c, RENDER_TEMPLATE_SYNTAX, blk->tag.start, blk->tag.end,
                  "this '%s' is never closed by '%s'",
                  blk->node->kind == TN_IF ? "if" : "for",
                  blk->node->kind == TN_IF ? "endif" : "endfor");
    }
    /* the parser's IPX4001 stand, except for a tag opened inside a raw
     * block, which is only text to Jinja2 (what follows it on its line
     * is then checked as text: an opener there is an error) */
    for (i = ndiags; i < nparse && !c.oom; i++) {
        size_t k;
        uint32_t at = d->items[i].span.start;
        /* an ERB tag `<%` is text to Jinja2, never closed or not */
        bool in_raw =
            at + 1 < src->len && c.data[at] == '<' && c.data[at + 1] == '%';
        for (k = 0; k < b.nraws; k++)
            in_raw |= at >= b.raws[k].start && at < b.raws[k].end;
        if (in_raw) {
            memmove(&d->items[i], &d->items[i + 1],
                    (d->len - i - 1) * sizeof(d->items[0]));
            d->len--;
            nparse--;
            i--;
        } else {
            c.failed = true;
        }
    }
    if (!c.failed && !c.oom)
        tmpl_resolve_template(&c, b.t);

done:
    free(parts.v);
    free(b.raws);
    free(b.stack);
    free(c.toks);
    buf_release(&c.tmp);
    if (c.oom)
        return -ENOMEM;
    if (c.failed)
        return -EINVAL;
    *out = b.t;
    return 0;
}
