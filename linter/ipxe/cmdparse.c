/* SPDX-License-Identifier: MIT */
/** @file One command's arguments read exactly as iPXE's getopt reads them.
 *
 * A restatement of src/core/getopt.c and reparse_options() in
 * src/core/parseopt.c (spec §2.7), over words of the tree instead of C
 * strings.  What iPXE does, step by step:
 *
 * - a word not starting with '-' ends the options (no permutation);
 * - `--` alone ends them and is consumed;
 * - `--name` must equal a long name; `--name=value` gives an inline value
 *   (an error on a flag); otherwise a value-taking option takes the next
 *   word, but only if that word does not start with '-';
 * - `-abc` is a group of short options; one that takes a value takes the
 *   rest of the word (`-t5000`) or, if there is none, the next word under
 *   the same rule; a lone `-` is an unknown option;
 * - `-h`/`--help` are added to every option table (after the command's
 *   own) and fail;
 * - the first problem ends parsing; then the positional arguments are
 *   counted against min..max.
 *
 * What iPXE only knows at run time: an expansion or a template placeholder
 * can never start an option (its text starts with '$' or '{'), a word with
 * an expansion inside its option name is taken as positional, template
 * control words are ignored, and a word that is nothing but a placeholder
 * may become any number of arguments, so counts are only checked where
 * they are certain.
 */
#include "cmdparse.h"

#include <errno.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "cmdtable.h"

/** Options found before an arena array is needed: more than this many on
 *  one command means parsing twice, which no real script does. */
#define STACK_OPTS 16

/** The parse in progress. */
struct getopt_state {
    const struct ast_segment *seg; /**< the words */
    const struct cmd_def *def;     /**< the command */
    struct cmd_optval *opts;       /**< where options go (capacity cap) */
    uint32_t cap;                  /**< room in opts */
    uint32_t nopts;                /**< options found (may exceed cap) */
    uint32_t index;                /**< the next word to read */
};

/** Whether @p w is only template control tags (`{% if %}`): the renderer
 *  removes it, so it is not an argument at all. */
static bool word_is_control(const struct ast_word *w)
{
    return (w->flags & AST_W_CONTROL) != 0;
}

/** Whether @p w is nothing but template tags and continuations: a
 *  placeholder that may render as any number of words. */
static bool word_is_placeholder(const struct ast_word *w)
{
    const struct ast_part *p;
    uint32_t at = w->span.start;

    if (!(w->flags & AST_W_TEMPLATE))
        return false;
    for (p = ast_word_parts(w); p; p = p->next) {
        if (p->kind == AST_PART_EXPAND || p->span.start != at)
            return false;
        at = p->span.end;
    }
    return at == w->span.end;
}

/** Whether the logical text of @p w at byte @p i starts a part whose value
 *  is only known at run time (an expansion, or a template tag). */
static bool opaque_at(const struct ast_word *w, uint32_t i)
{
    char c;

    if (i + 1 >= w->len)
        return false;
    c = w->text[i + 1];
    if (w->text[i] == '$' && c == '{')
        return (w->flags & AST_W_EXPAND) != 0;
    if (w->text[i] == '{' && (c == '{' || c == '%' || c == '#'))
        return (w->flags & AST_W_TEMPLATE) != 0;
    return false;
}

/** Whether some byte of @p w's text in [from, to) starts an opaque part. */
static bool opaque_in(const struct ast_word *w, uint32_t from, uint32_t to)
{
    uint32_t i;

    if (!(w->flags & (AST_W_EXPAND | AST_W_TEMPLATE)))
        return false;
    for (i = from; i < to; i++) {
        if (opaque_at(w, i))
            return true;
    }
    return false;
}

/** The next word at or after @p i that is not a control word, or the
 *  segment's argc. */
static uint32_t skip_control(const struct ast_segment *seg, uint32_t i)
{
    while (i < seg->argc && word_is_control(seg->argv[i]))
        i++;
    return i;
}

/** Record one option (counted even when there is no room). */
static void add_opt(struct getopt_state *st, const struct cmd_option *opt,
                    uint32_t word, const struct ast_word *value,
                    const char *vtext, uint32_t vlen)
{
    if (st->nopts < st->cap) {
        struct cmd_optval *ov = &st->opts[st->nopts];

        ov->opt = opt;
        ov->word = word;
        ov->value = value;
        ov->vtext = vtext;
        ov->vlen = vlen;
    }
    st->nopts++;
}

/**
 * iPXE's get_argv_argument(): the next word as an option's value, unless
 * there is none or it starts with '-'.  Control words are skipped.
 *
 * @ret w  the word (st->index moves past it), or NULL
 */
static const struct ast_word *next_value(struct getopt_state *st)
{
    const struct ast_word *w;
    uint32_t i = skip_control(st->seg, st->index);

    if (i >= st->seg->argc)
        return NULL;
    w = st->seg->argv[i];
    if (w->len > 0 && w->text[0] == '-')
        return NULL;
    st->index = i + 1;
    return w;
}

/** Set @p call's error. */
static void fail(struct cmd_call *call, enum cmd_error err, uint32_t word,
                 char short_name)
{
    call->error = err;
    call->error_word = word;
    call->error_short = short_name;
}

/** Whether long option text @p name (@p len bytes) is "help". */
static bool is_help(const char *name, uint32_t len)
{
    return len == 4 && memcmp(name, "help", 4) == 0;
}

/**
 * One `--name[=value]` word (at st->index - 1, text after the dashes).
 *
 * @ret ok  false if parsing must stop (call->error is set)
 */
static bool long_option(struct getopt_state *st, struct cmd_call *call,
                        uint32_t wi)
{
    const struct ast_word *w = st->seg->argv[wi];
    const char *name = w->text + 2;
    uint32_t rest = w->len - 2;
    const char *eq = memchr(name, '=', rest);
    uint32_t nlen = eq ? (uint32_t)(eq - name) : rest;
    const struct cmd_option *opt = cmdtable_long(st->def, name, nlen);
    const struct ast_word *value = NULL;
    const char *vtext = NULL;
    uint32_t vlen = 0;

    if (!opt && is_help(name, nlen)) {
        /* `--help=x` is "takes no argument", not help */
        fail(call, eq ? CMD_ERR_VALUE_ON_FLAG : CMD_ERR_HELP, wi, 0);
        return false;
    }
    if (!opt) {
        fail(call, CMD_ERR_UNKNOWN_OPTION, wi, 0);
        return false;
    }
    if (eq) {
        value = w;
        vtext = eq + 1;
        vlen = rest - nlen - 1;
    }
    if (opt->value == CMD_VAL_NONE && eq) {
        fail(call, CMD_ERR_VALUE_ON_FLAG, wi, 0);
        return false;
    }
    if (opt->value != CMD_VAL_NONE && !eq) {
        value = next_value(st);
        if (!value) {
            fail(call, CMD_ERR_MISSING_VALUE, wi, 0);
            return false;
        }
        vtext = value->text;
        vlen = value->len;
    }
    add_opt(st, opt, wi, value, vtext, vlen);
    return true;
}

/**
 * One group of short options `-abc` (word @p wi).
 *
 * @ret ok  false if parsing must stop (call->error is set)
 */
static bool short_options(struct getopt_state *st, struct cmd_call *call,
                          uint32_t wi)
{
    const struct ast_word *w = st->seg->argv[wi];
    uint32_t i = 1;

    /* A lone '-' is looked up as the option '\0': never found */
    if (w->len == 1) {
        fail(call, CMD_ERR_UNKNOWN_OPTION, wi, 0);
        return false;
    }
    for (i = 1; i < w->len; i++) {
        char c = w->text[i];
        const struct cmd_option *opt = cmdtable_short(st->def, c);
        const struct ast_word *value;

        if (!opt && c == 'h') {
            fail(call, CMD_ERR_HELP, wi, c);
            return false;
        }
        if (!opt) {
            fail(call, CMD_ERR_UNKNOWN_OPTION, wi, c);
            return false;
        }
        if (opt->value == CMD_VAL_NONE) {
            add_opt(st, opt, wi, NULL, NULL, 0);
            continue;
        }
        /* A value-taking option ends the group: the rest of the word is
         * its value, or else the next word is */
        if (i + 1 < w->len) {
            add_opt(st, opt, wi, w, w->text + i + 1, w->len - i - 1);
            return true;
        }
        value = next_value(st);
        if (!value) {
            fail(call, CMD_ERR_MISSING_VALUE, wi, c);
            return false;
        }
        add_opt(st, opt, wi, value, value->text, value->len);
        return true;
    }
    return true;
}

/**
 * Whether option word @p w is only known at run time where it names its
 * options: then it is taken as a positional argument.  For `--name=...`
 * that is the name; for a short group, every option letter up to the
 * first one that takes a value (the rest is that value).
 */
static bool dynamic_option_word(const struct getopt_state *st,
                                const struct ast_word *w)
{
    uint32_t i;

    if (!(w->flags & (AST_W_EXPAND | AST_W_TEMPLATE)))
        return false;
    if (w->len >= 2 && w->text[1] == '-') {
        const char *eq = memchr(w->text, '=', w->len);
        uint32_t end = eq ? (uint32_t)(eq - w->text) : w->len;

        return opaque_in(w, 2, end);
    }
    for (i = 1; i < w->len; i++) {
        const struct cmd_option *opt;

        if (opaque_at(w, i))
            return true;
        opt = cmdtable_short(st->def, w->text[i]);
        if (!opt || opt->value != CMD_VAL_NONE)
            return false;
    }
    return false;
}

/**
 * The options of @p call, iPXE's getopt loop.
 *
 * @ret index  the argv index where positional arguments start
 */
static uint32_t read_options(struct getopt_state *st, struct cmd_call *call)
{
    for (;;) {
        uint32_t wi = skip_control(st->seg, st->index);
        const struct ast_word *w;

        if (wi >= st->seg->argc)
            return wi;
        w = st->seg->argv[wi];
        if (w->len == 0 || w->text[0] != '-' || dynamic_option_word(st, w))
            return wi;
        st->index = wi + 1;
        if (w->len == 2 && w->text[1] == '-')
            return skip_control(st->seg, st->index);
        if (w->len >= 2 && w->text[1] == '-') {
            if (!long_option(st, call, wi))
                return wi;
        } else if (!short_options(st, call, wi)) {
            return wi;
        }
    }
}

/** Count the positional arguments from @p from and check them against
 *  the command's min..max, where the count is certain. */
static void count_args(const struct ast_segment *seg, struct cmd_call *call,
                       uint32_t from)
{
    const struct cmd_def *def = call->def;
    uint32_t certain = 0;
    bool open = false;
    uint32_t i;

    call->first_arg = skip_control(seg, from);
    call->nargs = 0;
    for (i = call->first_arg; i < seg->argc; i++) {
        const struct ast_word *w = seg->argv[i];

        if (word_is_control(w))
            continue;
        call->nargs++;
        if (word_is_placeholder(w))
            open = true;
        else
            certain++;
    }
    if (!def || !def->parses_options || call->error != CMD_OK)
        return;
    /* A placeholder may render as no word or as several: too many is
     * certain only without it, too few only if nothing is open */
    if (def->max_args != CMD_ARGS_UNLIMITED && certain > def->max_args)
        fail(call, CMD_ERR_TOO_MANY, call->first_arg, 0);
    else if (!open && certain < def->min_args)
        fail(call, CMD_ERR_TOO_FEW, 0, 0);
}

/** Run the getopt loop with room for @p cap options in @p opts. */
static uint32_t run_getopt(const struct ast_segment *seg, struct cmd_call *call,
                           uint32_t start, struct cmd_optval *opts,
                           uint32_t cap, uint32_t *nopts)
{
    struct getopt_state st = {
        .seg = seg,
        .def = call->def,
        .opts = opts,
        .cap = cap,
        .nopts = 0,
        .index = start,
    };
    uint32_t at;

    call->error = CMD_OK;
    call->error_word = 0;
    call->error_short = 0;
    at = read_options(&st, call);
    *nopts = st.nopts;
    return at;
}

int cmdparse(const struct ast_segment *seg, struct arena *a,
             struct cmd_call *out)
{
    struct cmd_optval stack[STACK_OPTS];
    uint32_t name = skip_control(seg, 0);
    uint32_t nopts = 0;
    uint32_t at;
    const struct ast_word *w;

    memset(out, 0, sizeof(*out));
    if (name >= seg->argc) {
        /* An empty segment (or only control tags): no command at all */
        out->first_arg = seg->argc;
        return 0;
    }
    w = seg->argv[name];
    if (w->flags & (AST_W_EXPAND | AST_W_TEMPLATE)) {
        out->dynamic = true;
        count_args(seg, out, name + 1);
        return 0;
    }
    out->def = cmdtable_find(w->text, w->len);
    if (!out->def || !out->def->parses_options) {
        /* Unknown, or `help`: every word after the name is an argument */
        count_args(seg, out, name + 1);
        return 0;
    }

    at = run_getopt(seg, out, name + 1, stack, STACK_OPTS, &nopts);
    if (nopts > STACK_OPTS) {
        /* Rare: read again straight into an array of the right size */
        out->opts = arena_alloc(a, nopts * sizeof(*out->opts));
        if (!out->opts)
            return -ENOMEM;
        at = run_getopt(seg, out, name + 1, out->opts, nopts, &nopts);
    } else if (nopts > 0) {
        out->opts = arena_alloc(a, nopts * sizeof(*out->opts));
        if (!out->opts)
            return -ENOMEM;
        memcpy(out->opts, stack, nopts * sizeof(*out->opts));
    }
    out->nopts = nopts;

    if (out->error != CMD_OK) {
        /* getopt stopped at a bad option: iPXE never looks further */
        out->first_arg = seg->argc;
        out->nargs = 0;
        return 0;
    }
    count_args(seg, out, at);
    return 0;
}

const struct cmd_optval *cmdparse_opt(const struct cmd_call *call,
                                      const char *long_name)
{
    uint32_t i = call->nopts;

    while (i > 0) {
        const char *name = call->opts[i - 1].opt->long_name;

        i--;
        /* the first byte settles most: rules ask about every command */
        if (name[0] == long_name[0] && strcmp(name, long_name) == 0)
            return &call->opts[i];
    }
    return NULL;
}

/** The value of digit @p c in any base up to 36, or 36 if it is none
 *  (iPXE's strtoul maps letters of either case the same way). */
static unsigned digit_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return (unsigned)(c - '0');
    if (c >= 'a' && c <= 'z')
        return (unsigned)(c - 'a' + 10);
    if (c >= 'A' && c <= 'Z')
        return (unsigned)(c - 'A' + 10);
    return 36;
}

bool cmdparse_integer(const char *text, uint32_t len, unsigned long *out)
{
    unsigned long value = 0;
    unsigned base = 10;
    bool negate = false;
    uint32_t i = 0;

    *out = 0;
    /* Empty text is refused (spec §2.8); a word has no whitespace, but an
     * expanded value might: strtoul skips it in front */
    if (len == 0)
        return false;
    while (i < len && ast_is_space((unsigned char)text[i]))
        i++;
    if (i < len && (text[i] == '+' || text[i] == '-')) {
        negate = text[i] == '-';
        i++;
    }
    /* Base 0: a leading 0 means octal, 0x or 0X hex (the 'x' is consumed
     * even with no digit after it, as iPXE's strtoul does) */
    if (i < len && text[i] == '0') {
        i++;
        base = 8;
        if (i < len && (text[i] | 0x20) == 'x') {
            i++;
            base = 16;
        }
    }
    for (; i < len; i++) {
        unsigned d = digit_value((unsigned char)text[i]);

        if (d >= base)
            return false;
        value = value * base + d;
    }
    *out = negate ? 0UL - value : value;
    return true;
}
