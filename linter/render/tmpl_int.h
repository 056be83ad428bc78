/* SPDX-License-Identifier: MIT */
/** @file The template engine's insides, shared by its phases.
 *
 * template.h is the engine's API; this header is what its files share
 * and nothing outside linter/render/tmpl_*.c includes it.  The phases, in
 * the order a template goes through them:
 *
 *   tmpl_text.c     UTF-8 and Python's whitespace rules, growable arrays
 *   tmpl_lex.c      the tokens inside a tag
 *   tmpl_parse.c    expressions (jinja2/parser.py, rule for rule)
 *   tmpl_compile.c  the tags and the text between them: statement trees,
 *                   and tmpl_compile()
 *   tmpl_scope.c    which frame holds each name (jinja2/idtracking.py)
 *   tmpl_value.c    values and Python's semantics for them
 *   tmpl_filters.c  the filters (one table), and the tests
 *   tmpl_eval.c     rendering: expressions, statements, the output, and
 *                   tmpl_render()
 */
#ifndef IPXETOOL_LINTER_RENDER_TMPL_INT_H
#define IPXETOOL_LINTER_RENDER_TMPL_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jv.h"

#include "buf.h"
#include "render_codes.h"
#include "source.h"
#include "template.h"

struct arena;
struct diag_list;

/* ---- values ---- */

enum tv_kind {
    TV_UNDEF, /* undefined: an error as soon as it is used */
    TV_NONE,  /* JSON null, `none` */
    TV_BOOL,
    TV_INT,
    TV_FLOAT, /* JSON reals: only `| int` and tests accept them */
    TV_STR,
    TV_LIST,   /* a list or a tuple */
    TV_DICT,   /* a JSON object */
    TV_ITEMS,  /* `d.items()`: pairs of a JSON object */
    TV_LOOP,   /* the `loop` of a for loop */
    TV_GLOBAL, /* a Jinja2 global function (range, dict, ...) */
};

struct tv;

/** A list made while rendering (not a JSON array). */
struct tlist {
    size_t n;         /* items */
    struct tv *items; /* the items (scratch arena) */
};

/** What `loop` knows about its iteration. */
struct tloop {
    size_t index0; /* 0-based position */
    size_t length; /* items iterated over (after the loop's `if`) */
};

/** A value while rendering: borrowed JSON, or made in the scratch arena. */
struct tv {
    uint8_t kind;       /* enum tv_kind */
    bool is_tuple;      /* TV_LIST: a tuple, never equal to a list */
    const struct jv *json; /* TV_LIST / TV_DICT / TV_ITEMS: the JSON value, or
                           NULL for a TV_LIST made while rendering */
    union {
        bool b;    /* TV_BOOL */
        int64_t i; /* TV_INT */
        double f;  /* TV_FLOAT */
        struct {
            const char *s; /* TV_STR: UTF-8 bytes (borrowed) */
            size_t len;    /* bytes */
        } str;
        const struct tlist *list; /* TV_LIST without json */
        const struct tloop *loop; /* TV_LOOP */
        struct span undef;        /* TV_UNDEF: the expression that gave it */
    } u;
};

/* ---- the compiled template ---- */

enum tx_kind {
    TX_CONST,  /* val */
    TX_NAME,   /* name */
    TX_ATTR,   /* a.name */
    TX_ITEM,   /* a[b] */
    TX_ITEMS,  /* a.items() */
    TX_LIST,   /* [args] or a tuple (sub = 1) */
    TX_NOT,    /* not a */
    TX_NEG,    /* -a */
    TX_POS,    /* +a */
    TX_AND,    /* a and b */
    TX_OR,     /* a or b */
    TX_CMP,    /* args[0] ops[0] args[1] ops[1] args[2] ... */
    TX_ADD,    /* a + b */
    TX_SUB,    /* a - b */
    TX_CONCAT, /* args joined with ~ */
    TX_COND,   /* a if b else c (c may be NULL) */
    TX_FILTER, /* a | filter(args...) */
    TX_TEST,   /* a is test */
};

enum tx_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOTIN };

struct trender;
struct texpr;

/**
 * How a filter applies: @p v filtered into @p out, with @p args[k] the
 * value of parameter k when @p given[k].  False after reporting an error.
 */
typedef bool (*tmpl_filter_fn)(struct trender *r, const struct texpr *x,
                               const struct tv *v, const struct tv *args,
                               const bool *given, struct tv *out);

/** A filter of the subset (tmpl_filters.c holds them all). */
struct tfilter {
    const char *name;        /* Jinja2's name */
    tmpl_filter_fn apply;    /* what it does */
    uint8_t nparams;         /* parameters it takes */
    const char *params[3];   /* their names in order (a keyword argument
                                is matched against these) */
    const char *unsupported; /* its last parameter when the subset
                                refuses it, or NULL */
};

/** A test of the subset: `x is <name>`. */
struct ttest {
    const char *name;                  /* Jinja2's name */
    bool (*holds)(const struct tv *v); /* whether @p v passes it */
};

/** An expression of the compiled template (owned by its arena). */
struct texpr {
    uint8_t kind;                 /* enum tx_kind */
    uint8_t sub;                  /* TX_LIST: 1 for a tuple */
    const struct tfilter *filter; /* TX_FILTER: which filter */
    const struct ttest *test;     /* TX_TEST: which test */
    struct span span;             /* the expression in the template */
    struct tv val;                /* TX_CONST */
    const char *name;             /* TX_NAME, TX_ATTR (NUL-terminated, arena) */
    struct texpr *a;              /* first operand */
    struct texpr *b;              /* second operand */
    struct texpr *c;              /* TX_COND: the else branch, or NULL */
    struct texpr **args;          /* TX_LIST, TX_CONCAT, TX_CMP: operands;
                                     TX_FILTER: arguments by parameter, NULL when
                                     not given */
    uint8_t *ops;                 /* TX_CMP: nargs - 1 operators */
    uint32_t nargs;               /* entries in args */
    const struct tframe *frame;   /* TX_NAME: the frame holding the name */
    uint32_t slot;                /* TX_NAME: its slot there */
};

enum tn_kind { TN_TEXT, TN_PRINT, TN_IF, TN_FOR, TN_SET };

/** One `if`/`elif` test and its body. */
struct tbranch {
    struct texpr *cond;   /* the test */
    struct tnode *body;   /* what renders when it holds */
    struct tbranch *next; /* the next `elif` */
};

/** A statement of the compiled template: text, a print, a block. */
struct tnode {
    uint8_t kind;             /* enum tn_kind */
    struct tnode *next;       /* the next node of the same body */
    struct span span;         /* the tag; TN_TEXT: where its text starts */
    const char *text;         /* TN_TEXT: the bytes to output (arena) */
    size_t len;               /* TN_TEXT: how many */
    struct texpr *expr;       /* TN_PRINT: the value; TN_FOR: the sequence;
                                 TN_SET: the value */
    const char *names;        /* TN_PRINT: the variables it reads, or NULL */
    struct tbranch *branches; /* TN_IF: `if` then each `elif` */
    struct tnode *body;       /* TN_FOR: the loop body */
    struct tnode *else_body;  /* TN_IF, TN_FOR: the `else` body */
    struct texpr *filter;     /* TN_FOR: the `if` after the sequence */
    const char **targets;     /* TN_FOR, TN_SET: names bound (arena) */
    uint32_t ntargets;        /* how many */
    bool unpack;              /* TN_FOR, TN_SET: targets were a tuple */
    uint32_t *slots;          /* TN_SET: the targets' slots in the frame;
                                 TN_FOR: in the body frame */
    uint32_t *test_slots;     /* TN_FOR: the targets' slots in test_frame */
    uint32_t loop_slot;       /* TN_FOR: the slot of `loop` in the body */
    const struct tframe *body_frame; /* TN_FOR: each iteration's frame */
    const struct tframe *else_frame; /* TN_FOR: the `else` frame */
    const struct tframe *test_frame; /* TN_FOR: the `if` filter's frame */
};

/* How a frame sets a name up when it is entered (jinja2/idtracking.py). */
enum tload {
    LOAD_PARAM,     /* a loop target or `loop`: bound by the loop */
    LOAD_RESOLVE,   /* read from the variables */
    LOAD_ALIAS,     /* copied from an enclosing frame's slot */
    LOAD_UNDEFINED, /* undefined until assigned */
};

/** A name a frame holds (a ref, in Jinja2's words). */
struct tsym {
    const char *name;                 /* the name */
    uint8_t load;                     /* enum tload */
    bool global;                      /* LOAD_RESOLVE: a Jinja2 global
                                         function when the variables do
                                         not have it (decided once, at
                                         compile time) */
    const struct tframe *alias_frame; /* LOAD_ALIAS: where from */
    uint32_t alias_slot;              /* LOAD_ALIAS: which slot */
};

/**
 * A frame: the top level, or one loop's body, `else` or `if` filter.  As
 * in Jinja2, which names a frame holds and how each starts is decided
 * statically, from the template, not as it renders: a name a loop body
 * assigns anywhere is the body's own from the body's first line on.
 */
struct tframe {
    const struct tframe *parent; /* the enclosing frame, or NULL */
    struct tsym *syms;           /* its names; slot i is syms[i] (arena) */
    uint32_t nsyms;              /* how many */
};

/** A compiled template (template.h). */
struct tmpl {
    struct source *src;   /* the template (borrowed) */
    struct tnode *body;   /* the top-level nodes */
    struct tframe *frame; /* the top-level frame */
};

/* ---- compiling: the tokens inside a tag ---- */

enum tk_kind { TK_END, TK_NAME, TK_STRING, TK_INT, TK_FLOAT, TK_OP };

enum tk_op {
    TO_ADD,
    TO_SUB,
    TO_DIV,
    TO_FLOORDIV,
    TO_MUL,
    TO_MOD,
    TO_POW,
    TO_TILDE,
    TO_LBRACKET,
    TO_RBRACKET,
    TO_LPAREN,
    TO_RPAREN,
    TO_LBRACE,
    TO_RBRACE,
    TO_EQ,
    TO_NE,
    TO_GT,
    TO_GE,
    TO_LT,
    TO_LE,
    TO_ASSIGN,
    TO_DOT,
    TO_COLON,
    TO_PIPE,
    TO_COMMA,
    TO_SEMI,
};

/** A token inside a tag. */
struct ttok {
    uint8_t kind;     /* enum tk_kind */
    uint8_t op;       /* TK_OP: enum tk_op */
    struct span span; /* in the template */
    const char *s;    /* TK_NAME: the name (in the source, not NUL-ended);
                         TK_STRING: the decoded value (arena) */
    size_t len;       /* bytes in s */
    int64_t i;        /* TK_INT: the value */
};

/** Everything compiling needs. */
struct tcomp {
    struct source *src;  /* the template */
    const char *data;    /* its bytes */
    struct arena *a;     /* owns what is compiled */
    struct diag_list *d; /* findings */
    bool failed;         /* a finding was reported */
    bool oom;            /* memory ran out */
    struct ttok *toks;   /* the tokens of the tag being read (malloc) */
    size_t ntoks;        /* how many */
    size_t toks_cap;     /* allocated */
    struct buf tmp;      /* scratch for decoding strings */
    uint64_t work_left;  /* name look-ups and copies tmpl_scope.c may
                            still do (TMPL_SCOPE_WORK) */
    struct span at;      /* the node tmpl_scope.c is at, for its error */
};

/* The work deciding every name's frame may take (tmpl_scope.c), in names
 * compared or copied: Jinja2's rules copy a frame's names into each
 * branch of an `if` and look names up one by one, so a template of a
 * megabyte setting tens of thousands of names and testing them would
 * take hours.  A template of a few thousand names stays far below it. */
#define TMPL_SCOPE_WORK ((uint64_t)50000000)

/* ---- compiling: expressions ---- */

/* How deep a template may nest: `if` and `for` blocks inside one another,
 * and an expression's brackets, operators and filters.  Compiling and
 * rendering recurse that deep, so a deeper template would overflow the
 * stack; it is refused (IPX4002).  Jinja2 gives up sooner still: Python
 * takes 20 nested loops, and about 70 nested brackets. */
#define TMPL_MAX_DEPTH 64

/** The parser's place in the tokens of one tag. */
struct tparse {
    struct tcomp *c; /* where findings go */
    size_t pos;      /* the current token in c->toks */
    bool failed;     /* an error was reported: unwind */
    uint32_t depth;  /* rules being parsed inside one another (nest()) */
};

/* ---- rendering ---- */

/** A frame while it renders: one per loop iteration. */
struct tinst {
    const struct tframe *def; /* its names */
    struct tinst *up;         /* the enclosing frame, or NULL */
    struct tv *slots;         /* their values (scratch arena) */
};

/* What a rendering may hold in values it makes (strings, lists, each loop
 * iteration's names: they live in the scratch arena until it ends), in
 * multiples of its output's maximum: a loop or a value that grows without
 * end must not eat the machine, whether it prints or not. */
#define TMPL_SCRATCH_PER_OUTPUT 16

/** Everything rendering needs. */
struct trender {
    const char *data;      /* the template's bytes */
    const struct jv *vars; /* the variables (an object) */
    struct tmpl_output *o; /* where the output goes */
    struct arena *s;       /* scratch: values made while rendering */
    size_t budget;         /* bytes of values it may make in s */
    size_t used;           /* bytes of values made so far */
    uint64_t steps_left;   /* steps it may still take (o->max_steps) */
    struct span at;        /* the node rendering, for an error of budget */
    struct diag_list *d;   /* the error, if any */
    struct tinst *inst;    /* the innermost frame */
    int rc;                /* 0, or why rendering stopped */
};

/* ==== the functions the phases share, by the file defining them ==== */

/* ---- tmpl_text.c ---- */

/* Length of the UTF-8 sequence starting with byte @p c (1 for a bad
 * lead byte: the source was checked to be valid UTF-8 before). */
size_t tmpl_utf8_len(unsigned char c);

/* Decode the code point at @p s (valid UTF-8, n bytes available). */
uint32_t tmpl_utf8_decode(const unsigned char *s, size_t n, size_t *len);

/* Offset of the first byte that is not valid UTF-8, or @p n. */
size_t tmpl_utf8_check(const unsigned char *s, size_t n);

/* Append code point @p cp as UTF-8. */
int tmpl_buf_add_cp(struct buf *b, uint32_t cp);

/* Bytes of Python whitespace at the start of [s, s + n). */
size_t tmpl_py_space_prefix(const char *s, size_t n);

/* Length of [s, s + n) once trailing Python whitespace is removed. */
size_t tmpl_py_rstrip_len(const char *s, size_t n);

/* The length of [s, s + n) without the partial character it may end
 * with: where to cut UTF-8 text that is n bytes too long. */
size_t tmpl_utf8_cut(const char *s, size_t n);

/* Code points in [s, s + n) (valid UTF-8). */
size_t tmpl_utf8_count(const char *s, size_t n);

/* Byte offset of code point @p idx in [s, s + n), or n. */
size_t tmpl_utf8_offset(const char *s, size_t n, size_t idx);

/* Room for entry @p n of the malloc'd array @p v of @p *cap entries of
 * @p size bytes, doubling from @p first: the array (moved, maybe), or
 * NULL with @p v left as it was when memory runs out.  Every growable
 * array here (tokens, operands, tags, blocks, names, output marks) goes
 * through this. */
void *tmpl_array_room(void *v, size_t *cap, size_t n, size_t size,
                      size_t first);

/* Whether [s, s + len) is one of the NULL-ended @p list. */
bool tmpl_in_list(const char *const *list, const char *s, size_t len);

/* ---- tmpl_lex.c ---- */

/* Report a compile error at @p sp (tmpl_cerr() and tmpl_perr() both end
 * here). */
void tmpl_vcerr(struct tcomp *c, enum render_code kind, struct span sp,
                const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

/* Report a compile error at [start, end). */
void tmpl_cerr(struct tcomp *c, enum render_code kind, uint32_t start,
               uint32_t end, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Split the inside of a tag, [start, end), into c->toks (ended by TK_END).
 * Returns false after reporting an error. */
bool tmpl_tag_lex(struct tcomp *c, uint32_t start, uint32_t end);

/* ---- tmpl_parse.c ---- */

/* The current token. */
const struct ttok *tmpl_cur(const struct tparse *p);

/* The token after the current one. */
const struct ttok *tmpl_look(const struct tparse *p);

/* Move to the next token (never past TK_END). */
void tmpl_advance(struct tparse *p);

/* Whether @p t is the name @p name. */
bool tmpl_tok_is_name(const struct ttok *t, const char *name);

/* Whether @p t is the operator @p op. */
bool tmpl_tok_is_op(const struct ttok *t, enum tk_op op);

/* How a token reads in a message. */
const char *tmpl_tok_describe(struct tparse *p, const struct ttok *t);

/* Report a parse error and unwind; always returns NULL. */
void *tmpl_perr(struct tparse *p, enum render_code kind, struct span sp,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The whole expression @p x of a tag, or NULL after an error if it is too
 * deep: chains (`a + b + c`, `x.a.b`, `x | f | g`) make a tree deeper
 * than the parser's own recursion, and rendering walks the tree. */
struct texpr *tmpl_shallow(struct tparse *p, struct texpr *x);

/* An expression, with `a if b else c` when @p with_condexpr. */
struct texpr *tmpl_parse_expression(struct tparse *p, bool with_condexpr);

/* `a, b, c` (a tuple) or a single expression. */
struct texpr *tmpl_parse_tuple(struct tparse *p, bool simplified,
                               bool with_condexpr, const char *extra_end,
                               bool explicit_parens);

/* Append to @p b the paths @p x reads, "a, b.c", each once. */
int tmpl_expr_names(struct tcomp *c, const struct texpr *x, struct buf *b);

/* ---- tmpl_scope.c ---- */

/* Decide, for every name, which frame holds it and how it starts. */
void tmpl_resolve_template(struct tcomp *c, struct tmpl *t);

/* ---- tmpl_value.c ---- */

/* Report the error that stops rendering; always returns false. */
bool tmpl_rerr(struct trender *r, enum render_code kind, struct span sp,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Stop rendering: memory ran out (always returns false). */
bool tmpl_oom(struct trender *r);

/* Stop rendering: the budget of steps is spent (always returns false). */
bool tmpl_steps_error(struct trender *r);

/* Take @p n steps of the rendering's budget; false once it is spent (the
 * error reported).  It runs for every expression: a compare and a
 * subtraction. */
static inline bool tmpl_step(struct trender *r, uint64_t n)
{
    if (__builtin_expect(r->steps_left < n, 0))
        return tmpl_steps_error(r);
    r->steps_left -= n;
    return true;
}

/* The steps of handling @p bytes bytes of values (at least one). */
static inline bool tmpl_step_bytes(struct trender *r, size_t bytes)
{
    return tmpl_step(r, 1 + bytes / TMPL_BYTES_PER_STEP);
}

/* Bytes the values made from now on may still take (counted here, not
 * by the arena, whose blocks depend on what it held before). */
size_t tmpl_scratch_left(const struct trender *r);

/* The error of a buffer that could not grow: the budget, or memory. */
bool tmpl_buf_error(struct trender *r, int rc);

/* @p n bytes in the scratch arena, counted against the budget. */
void *tmpl_salloc(struct trender *r, size_t n);

/* A NUL-terminated copy of @p len bytes of @p s, in the scratch arena. */
char *tmpl_sstrndup(struct trender *r, const char *s, size_t len);

/* Report that the undefined @p v is used at @p where. */
bool tmpl_undefined_error(struct trender *r, const struct tv *v,
                          struct span where);

/* The value of JSON @p j (borrowed). */
void tmpl_tv_from_json(const struct jv *j, struct tv *v);

/* Set @p v undefined, made by the expression at @p sp. */
void tmpl_tv_undef(struct tv *v, struct span sp);

/* Set @p v to the string [s, s + len) (borrowed). */
void tmpl_tv_str_set(struct tv *v, const char *s, size_t len);

/* Set @p v to the integer @p i. */
void tmpl_tv_int_set(struct tv *v, int64_t i);

/* Set @p v to the boolean @p b. */
void tmpl_tv_bool_set(struct tv *v, bool b);

/* Python's name for the type of @p v, for messages. */
const char *tmpl_tv_type(const struct tv *v);

/* Items in the list @p v. */
size_t tmpl_tv_list_len(const struct tv *v);

/* Item @p i of the list @p v. */
void tmpl_tv_list_get(const struct tv *v, size_t i, struct tv *out);

/* The items iterating over @p v gives, as Python iterates: a list's
 * items, a string's characters, a mapping's keys, `.items()`'s pairs. */
bool tmpl_tv_iterate(struct trender *r, const struct tv *v, struct span where,
                     struct tv **items, size_t *n);

/* Python's str() of @p v.  A null, a list, a mapping or a float is
 * refused: Jinja2 would print 'None' or a Python repr. */
bool tmpl_tv_str(struct trender *r, const struct tv *v, struct span where,
                 const char **s, size_t *len);

/* Python's truth value of @p v. */
bool tmpl_tv_truth(struct trender *r, const struct tv *v, struct span where,
                   bool *out);

/* Whether @p v is an int or a bool (Python's bool is an int). */
bool tmpl_is_number(const struct tv *v);

/* The integer value of the number @p v. */
int64_t tmpl_num(const struct tv *v);

/* Refuse a float operand (outside the subset); returns false. */
bool tmpl_float_error(struct trender *r, struct span where);

/* What every binary operation checks first: an undefined operand raises
 * (StrictUndefined), left before right; a float is outside the subset. */
bool tmpl_operands_ok(struct trender *r, const struct tv *a, const struct tv *b,
                      struct span where);

/* Python's a == b (an undefined side raises, as StrictUndefined does). */
bool tmpl_tv_eq(struct trender *r, const struct tv *a, const struct tv *b,
                struct span where, bool *out);

/* Python's ordering: -1, 0 or 1 in @p out, or a TypeError. */
bool tmpl_tv_order(struct trender *r, const struct tv *a, const struct tv *b,
                   const char *opname, struct span where, int *out);

/* Python's needle in hay. */
bool tmpl_tv_in(struct trender *r, const struct tv *needle,
                const struct tv *hay, struct span where, bool *out);

/* Jinja2's getattr(obj, name): a Python attribute first (refused), then
 * the item; Undefined when neither. */
bool tmpl_tv_getattr(struct trender *r, const struct tv *obj, const char *name,
                     size_t len, struct span where, struct tv *out);

/* Jinja2's getitem(obj, key): the item, else for a string key the
 * attribute, else Undefined. */
bool tmpl_tv_getitem(struct trender *r, const struct tv *obj,
                     const struct tv *key, struct span where, struct tv *out);

/* ---- tmpl_filters.c ---- */

/* The filter named [name, name + len), or NULL when the subset has none. */
const struct tfilter *tmpl_filter_find(const char *name, size_t len);

/* The test named [name, name + len), or NULL when the subset has none. */
const struct ttest *tmpl_test_find(const char *name, size_t len);

#endif
