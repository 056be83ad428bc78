/* SPDX-License-Identifier: MIT */
/** @file Rules on commands, options and arguments: unknown commands, the
 *  argument counts and options of ipxe-commands.json read as iPXE's getopt
 *  reads them, integer and timeout values, and the commands that need an
 *  earlier one (boot after kernel, param after params, item after menu)
 *  (spec §2.6-§2.8, §4, §6.3). */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cmdtable.h"
#include "nameset.h"

static void check_unknown_commands(struct lint_ctx *ctx);
static void check_arg_count(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_unknown_option(struct lint_ctx *ctx,
                                 const struct lint_cmd *cmd);
static void check_option_after_arg(struct lint_ctx *ctx,
                                   const struct lint_cmd *cmd);
static void check_dash_argument(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd);
static void check_missing_value(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd);
static void check_help(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_integers(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_timeout_units(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd);
static void unknown_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void boot_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void params_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void menus_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void check_boot_without_image(struct lint_ctx *ctx);
static void check_param_without_params(struct lint_ctx *ctx);
static void check_item_before_menu(struct lint_ctx *ctx);
static void check_flag_value(struct lint_ctx *ctx, const struct lint_cmd *cmd);

static const struct lint_rule unknown_command = {
    "IPX2101", "unknown-command", DIAG_ERROR,
    "a command iPXE does not have: 'command not found', and it fails",
    unknown_line, NULL, check_unknown_commands,
};
static const struct lint_rule argument_count = {
    "IPX2102", "argument-count", DIAG_ERROR,
    "too few or too many arguments: iPXE prints the usage and fails",
    NULL, check_arg_count, NULL,
};
static const struct lint_rule unknown_option = {
    "IPX2103", "unknown-option", DIAG_ERROR,
    "an option the command does not have (iPXE takes no abbreviations)",
    NULL, check_unknown_option, NULL,
};
static const struct lint_rule option_after_argument = {
    "IPX2104", "option-after-argument", DIAG_WARNING,
    "an option after the first argument is only more text, not an option",
    NULL, check_option_after_arg, NULL,
};
static const struct lint_rule dash_argument = {
    "IPX2105", "dash-argument", DIAG_ERROR,
    "an argument starting with '-' is read as an option and fails; use '--'",
    NULL, check_dash_argument, NULL,
};
static const struct lint_rule option_missing_value = {
    "IPX2106", "option-missing-value", DIAG_ERROR,
    "an option that needs a value has none (or one starting with '-')",
    NULL, check_missing_value, NULL,
};
static const struct lint_rule help_option = {
    "IPX2107", "help-option", DIAG_ERROR,
    "'-h' or '--help' prints the usage and makes the command fail",
    NULL, check_help, NULL,
};
static const struct lint_rule bad_integer = {
    "IPX2108", "bad-integer", DIAG_ERROR,
    "a number iPXE cannot read (base 0: '08' is bad octal, '30s' is no number)",
    NULL, check_integers, NULL,
};
static const struct lint_rule timeout_units = {
    "IPX2109", "timeout-units", DIAG_WARNING,
    "--timeout is in milliseconds and sleep in seconds: a value in the "
    "other unit",
    NULL, check_timeout_units, NULL,
};
static const struct lint_rule boot_without_image = {
    "IPX2110", "boot-without-image", DIAG_WARNING,
    "'boot' with no argument and no 'kernel' or 'imgselect' in the script",
    boot_line, NULL, check_boot_without_image,
};
static const struct lint_rule param_without_params = {
    "IPX2111", "param-without-params", DIAG_ERROR,
    "'param' adds to a parameter list that no 'params' created",
    params_line, NULL, check_param_without_params,
};
static const struct lint_rule item_before_menu = {
    "IPX2112", "item-before-menu", DIAG_ERROR,
    "'item', 'choose' or 'present' on a menu or form no 'menu'/'form' created",
    menus_line, NULL, check_item_before_menu,
};
static const struct lint_rule flag_with_value = {
    "IPX2113", "flag-with-value", DIAG_ERROR,
    "a value given to an option that takes none ('--autofree=1')",
    NULL, check_flag_value, NULL,
};

const struct lint_rule *const lint_rules_commands[] = {
    &unknown_command,
    &argument_count,
    &unknown_option,
    &option_after_argument,
    &dash_argument,
    &option_missing_value,
    &help_option,
    &bad_integer,
    &timeout_units,
    &boot_without_image,
    &param_without_params,
    &item_before_menu,
    &flag_with_value,
    NULL,
};

/* ---- helpers ---- */

/** Longest piece of user text quoted in a message: a pasted paragraph
 *  should not become the message. */
#define QUOTE_MAX 40

/** The bytes of @p w worth quoting (at most QUOTE_MAX). */
static int qlen(const struct ast_word *w)
{
    return (int)(w->len > QUOTE_MAX ? QUOTE_MAX : w->len);
}

/** "..." when @p w was cut by qlen(), else "". */
static const char *qmore(const struct ast_word *w)
{
    return w->len > QUOTE_MAX ? "..." : "";
}

/** Whether @p w's text is only known at run time. */
static bool word_is_dynamic(const struct ast_word *w)
{
    return (w->flags & (AST_W_EXPAND | AST_W_TEMPLATE)) != 0;
}

/** The command's word @p i, or NULL. */
static const struct ast_word *word_at(const struct lint_cmd *cmd, uint32_t i)
{
    const struct ast_word *w;

    if (i >= cmd->seg->argc)
        return NULL;
    w = cmd->seg->argv[i];
    return (w->flags & AST_W_CONTROL) ? NULL : w;
}

/** Whether iPXE runs its option parser for this command: not for `help`,
 *  nor for the dummy `shim` of BIOS builds. */
static bool parses_options(struct lint_ctx *ctx, const struct cmd_def *def)
{
    if (!def->parses_options)
        return false;
    return def->id != CMD_ID_SHIM || lint_platform(ctx) != LINT_PLATFORM_PCBIOS;
}

/** The getopt failure @p err of a known command that parses options. */
static bool has_error(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                      enum cmd_error err)
{
    const struct cmd_def *def = lint_known_def(cmd);

    return def && cmd->call.error == err && parses_options(ctx, def);
}

/**
 * What a failure of @p cmd does to the script: nothing more if an `||` or
 * a `;` later on the line runs another command (spec §2.4), else the
 * script stops (spec §1.4).
 */
static const char *fail_effect(const struct lint_cmd *cmd)
{
    return lint_failure_caught(cmd->seg) ? "" : ", and the script stops here";
}

/** The span from word @p from to word @p to of @p cmd, inclusive. */
static struct span words_span(const struct lint_cmd *cmd, uint32_t from,
                              uint32_t to)
{
    struct span s = cmd->seg->argv[from]->span;

    s.end = cmd->seg->argv[to]->span.end;
    return s;
}

/** Commands whose arguments are free text joined by spaces (spec §2.2):
 *  echo, prompt, menu and form, item, set, param. */
static bool takes_text(const struct cmd_def *def)
{
    switch (def->id) {
    case CMD_ID_ECHO:
    case CMD_ID_PROMPT:
    case CMD_ID_MENU:
    case CMD_ID_ITEM:
    case CMD_ID_SET:
    case CMD_ID_PARAM:
        return true;
    default:
        return false;
    }
}

/** Whether iPXE's image commands take the arguments after the first as
 *  the image's command line (spec §5.3). */
static bool is_image_cmd(const struct cmd_def *def)
{
    return def->id == CMD_ID_IMGFETCH || def->id == CMD_ID_IMGSELECT ||
           def->id == CMD_ID_IMGEXEC || def->id == CMD_ID_IMGARGS;
}

/** A hint and, if @p fix is not NULL, a fix replacing @p span with it. */
static void hint_fix(struct lint_ctx *ctx, struct diag *dg, struct span span,
                     const char *fix, const char *hint)
{
    if (!dg)
        return;
    if (hint)
        diag_hint(lint_diags(ctx), dg, "%s", hint);
    if (fix)
        diag_fix(lint_diags(ctx), dg, span, fix);
}

/** Names created so far (menus, forms, parameter lists) and the logical
 *  line where each was first created: a hash map, plus the unnamed one. */
struct name_list {
    struct nameset names; /**< each name: the line where it was first
                               created */
    long unnamed;      /**< line of the unnamed one, or -1 */
    bool any;          /**< a name only known at run time was created */
    bool oom;          /**< memory ran out: say nothing */
};

/** A command that needs a menu, form or parameter list to exist. */
struct consumer {
    unsigned cmd;        /**< the command (enum cmd_id) */
    const char *opt;     /**< its option naming the target */
    const char *creator; /**< the command that creates the target */
    const char *thing;   /**< what the target is, for messages */
};

/** A consumer whose target was not created before it. */
struct pending {
    const struct lint_cmd *cmd; /**< the command */
    const struct consumer *c;   /**< what it is */
    const char *text;           /**< its target's name (NULL: default) */
    uint32_t len;               /**< bytes in text */
};

/** What IPX2111 or IPX2112 follows through the file. */
struct consumers {
    struct name_list made; /**< targets created so far */
    struct pending *pend;  /**< (malloc) consumers that missed */
    size_t npend, cap;
    uint32_t lines;        /**< lines seen */
    bool stop;             /**< nothing more to learn */
};

/**
 * What the family's whole-script rules gather line by line (on_line,
 * while the engine has the line at hand) for their findings at the end
 * (lint_memo()).
 */
struct cmds_data {
    /* IPX2101 */
    size_t known, unknown;      /**< commands of each kind */
    const struct lint_cmd *first_unknown;
    const struct lint_cmd **unknowns; /**< (malloc) the ones to report
                                           if the file is iPXE's */
    size_t nunknowns, unknowns_cap;
    bool reported_in_block;     /**< in unreachable code, one per block */
    uint32_t unknown_lines;     /**< lines seen */
    /* IPX2110 */
    bool any_select;            /**< some command selects an image, or
                                     one is only known at run time */
    bool booted;                /**< a `chain <uri>` or `sanboot` came */
    const struct lint_cmd **boots; /**< (malloc) bare `boot`s before it */
    size_t nboots, boots_cap;
    uint32_t boot_lines;        /**< lines seen */
    /* IPX2111, IPX2112 */
    struct consumers params, menus;
};

static void *cmds_data_new(struct lint_ctx *ctx)
{
    struct cmds_data *d = arena_zalloc(lint_arena(ctx), sizeof(*d));

    if (d) {
        d->params.made.unnamed = -1;
        d->menus.made.unnamed = -1;
    }
    return d;
}

/** lint_memo()'s key for the family's data */
static const char cmds_key;

static struct cmds_data *cmds_data(struct lint_ctx *ctx)
{
    return lint_memo(ctx, &cmds_key, cmds_data_new);
}

/** Whether @p w starts like a template tag (`{{`, `{%`, `{#`, or ERB's
 *  `<%`): a template the parser was not told about.  No iPXE command or
 *  value starts so. */
static bool looks_like_tag(const struct ast_word *w)
{
    const char *t = w->text;

    if (w->len < 2)
        return false;
    return (t[0] == '{' && (t[1] == '{' || t[1] == '%' || t[1] == '#')) ||
           (t[0] == '<' && t[1] == '%');
}

/* ---- IPX2101: unknown command ---- */

/** Whether @p w holds one of the operators glued to other text. */
static bool has_glued_operator(const struct ast_word *w)
{
    uint32_t i;

    for (i = 0; i < w->len; i++) {
        char c = w->text[i];

        if (c == ';')
            return true;
        if (i + 1 < w->len && (c == '|' || c == '&') && w->text[i + 1] == c)
            return true;
    }
    return false;
}

/** Whether @p w is @p name with different letter case ("Chain"). */
static bool same_but_case(const char *name, const struct ast_word *w)
{
    uint32_t i;

    if (strlen(name) != w->len)
        return false;
    for (i = 0; i < w->len; i++) {
        char c = w->text[i];

        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != name[i])
            return false;
    }
    return true;
}

static void check_unknown_command(struct lint_ctx *ctx,
                                  const struct lint_cmd *cmd)
{
    const struct ast_word *w = lint_name_word(cmd);
    const struct cmd_def *near;
    struct diag *dg;

    dg = lint_report(ctx, &unknown_command, w->span,
                     "unknown command '%.*s%s': iPXE says 'command not "
                     "found' and the command fails%s",
                     qlen(w), w->text, qmore(w), fail_effect(cmd));
    if (!dg)
        return;
    if (w->len > 3 && memcmp(w->text, "\xef\xbb\xbf", 3) == 0 &&
        cmdtable_find(w->text + 3, w->len - 3)) {
        diag_hint(lint_diags(ctx), dg,
                  "a UTF-8 byte order mark is glued to '%.*s': save the "
                  "file without it",
                  (int)w->len - 3, w->text + 3);
        return;
    }
    if (has_glued_operator(w)) {
        diag_hint(lint_diags(ctx), dg,
                  "'||', '&&' and ';' are operators only as separate words");
        return;
    }
    near = cmdtable_suggest(w->text, w->len);
    if (!near)
        return;
    if (same_but_case(near->name, w))
        diag_hint(lint_diags(ctx), dg,
                  "did you mean '%s'? command names are case-sensitive",
                  near->name);
    else
        diag_hint(lint_diags(ctx), dg, "did you mean '%s'?", near->name);
    diag_fix(lint_diags(ctx), dg, w->span, near->name);
}

/** Unknown commands from which a file that is mostly unknown words gets
 *  one finding in all rather than one each. */
#define NOT_IPXE_MIN 10

/** The first unknown command of a file where most are unknown. */
static void report_not_ipxe(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                            size_t unknown)
{
    const struct ast_word *w = lint_name_word(cmd);
    struct diag *dg;

    dg = lint_report(ctx, &unknown_command, w->span,
                     "unknown command '%.*s%s': iPXE says 'command not "
                     "found' and the command fails%s; most of this file "
                     "(%zu commands) is not iPXE commands",
                     qlen(w), w->text, qmore(w), fail_effect(cmd), unknown);
    if (dg)
        diag_hint(lint_diags(ctx), dg,
                  "only the first is reported: is this text meant to be an "
                  "iPXE script?");
}

/** Whether @p cmd names a command that is not known statically. */
static bool is_unknown(const struct lint_cmd *cmd)
{
    const struct ast_word *w;

    if (cmd->call.dynamic || cmd->call.def)
        return false;
    w = lint_name_word(cmd);
    return w && !word_is_dynamic(w) && !looks_like_tag(w);
}

/** Count the commands of line @p ll, and note the unknown ones worth a
 *  finding: in code nothing reaches, one per block is enough (it is often
 *  pasted text: `ls` output, an HTML page after `exit`). */
static void unknown_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    struct cmds_data *d = cmds_data(ctx);
    const struct lint_line *lines;
    size_t nlines;
    uint32_t ci;
    bool in_block;

    if (!d || ll->index != d->unknown_lines)
        return;
    d->unknown_lines++;
    lines = lint_lines(ctx, &nlines);
    in_block = !ll->reachable && ll->index > 0 &&
               !lines[ll->index - 1].reachable;
    for (ci = 0; ci < ll->ncmds; ci++) {
        const struct lint_cmd *cmd = &ll->cmds[ci];

        if (!is_unknown(cmd)) {
            if (cmd->call.def)
                d->known++;
            if (!in_block)
                d->reported_in_block = false;
            continue;
        }
        if (!d->unknown++)
            d->first_unknown = cmd;
        if (in_block && d->reported_in_block)
            continue;
        if (!lint_grow(&d->unknowns, &d->nunknowns, &d->unknowns_cap,
                       sizeof(*d->unknowns)))
            continue; /* out of memory: fewer findings */
        d->unknowns[d->nunknowns++] = cmd;
        d->reported_in_block = !ll->reachable;
    }
}

static void check_unknown_commands(struct lint_ctx *ctx)
{
    struct cmds_data *d = cmds_data(ctx);
    const struct lint_line *ll;
    size_t nlines, li;

    if (!d)
        return;
    ll = lint_lines(ctx, &nlines);
    for (li = d->unknown_lines; li < nlines; li++)
        unknown_line(ctx, &ll[li]);
    if (d->unknown == 0)
        goto out;
    /* A file without the signature that is mostly not iPXE commands (an
     * HTML page, a shell script) is no script at all: IPX1001 says so,
     * and a finding on each of its lines would bury that */
    if (d->unknown > d->known &&
        !ast_signature_ok(lint_script(ctx)->signature))
        goto out;
    /* With the signature, a file of mostly unknown words gets one finding
     * (the first), not one per line */
    if (d->unknown > d->known && d->unknown >= NOT_IPXE_MIN) {
        report_not_ipxe(ctx, d->first_unknown, d->unknown);
        goto out;
    }
    for (li = 0; li < d->nunknowns; li++)
        check_unknown_command(ctx, d->unknowns[li]);
out:
    free(d->unknowns);
    d->unknowns = NULL;
}

/* ---- IPX2102: argument count ---- */

/** "exactly 1 argument", "at least 1 argument", ... into @p buf. */
static const char *count_text(const struct cmd_def *def, char *buf, size_t size)
{
    unsigned lo = def->min_args, hi = def->max_args;

    if (hi == CMD_ARGS_UNLIMITED)
        snprintf(buf, size, "at least %u argument%s", lo, lo == 1 ? "" : "s");
    else if (lo == hi)
        snprintf(buf, size, "%s%u argument%s", lo ? "exactly " : "", lo,
                 lo == 1 ? "" : "s");
    else if (lo == 0)
        snprintf(buf, size, "at most %u argument%s", hi, hi == 1 ? "" : "s");
    else
        snprintf(buf, size, "%u to %u arguments", lo, hi);
    return buf;
}

/** Whether any argument of @p cmd holds a quote character. */
static bool args_have_quotes(const struct lint_cmd *cmd)
{
    uint32_t i;

    for (i = cmd->call.first_arg; i < cmd->seg->argc; i++) {
        const struct ast_word *w = word_at(cmd, i);

        if (w &&
            (memchr(w->text, '"', w->len) || memchr(w->text, '\'', w->len)))
            return true;
    }
    return false;
}

/** Whether @p w holds a template delimiter (`{{`, `}}`, `{%`, `%}`,
 *  `<%`, `%>`) anywhere. */
static bool holds_tag(const struct ast_word *w)
{
    uint32_t i;

    for (i = 0; i + 1 < w->len; i++) {
        char a = w->text[i], b = w->text[i + 1];

        if ((a == '{' && (b == '{' || b == '%')) ||
            (b == '}' && (a == '}' || a == '%')) || (a == '<' && b == '%') ||
            (a == '%' && b == '>'))
            return true;
    }
    return false;
}

/** Whether an argument of @p cmd holds a template tag the parser did not
 *  know about (an ERB file, a template without a template extension): the
 *  words iPXE will see are then unknown. */
static bool has_tag_word(const struct lint_cmd *cmd)
{
    uint32_t i;

    for (i = 1; i < cmd->seg->argc; i++) {
        if (holds_tag(cmd->seg->argv[i]))
            return true;
    }
    return false;
}

static void check_arg_count(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct cmd_def *def = lint_known_def(cmd);
    const struct cmd_call *call = &cmd->call;
    char want[48];
    struct span span;
    struct diag *dg;

    if (!def ||
        (call->error != CMD_ERR_TOO_MANY && call->error != CMD_ERR_TOO_FEW) ||
        has_tag_word(cmd))
        return;
    count_text(def, want, sizeof(want));
    if (call->error == CMD_ERR_TOO_MANY) {
        uint32_t i, seen = 0;

        /* Point at the first argument too many */
        for (i = call->first_arg; i < cmd->seg->argc; i++) {
            if (word_at(cmd, i) && seen++ == def->max_args)
                break;
        }
        span = words_span(cmd, i < cmd->seg->argc ? i : call->first_arg,
                          cmd->seg->argc - 1);
        dg = lint_report(ctx, &argument_count, span,
                         "'%s' takes %s but is given %u: iPXE prints its "
                         "usage and the command fails%s",
                         def->name, want, call->nargs, fail_effect(cmd));
    } else {
        span = lint_cmd_span(cmd);
        dg = lint_report(ctx, &argument_count, span,
                         "'%s' needs %s but is given %u: iPXE prints its "
                         "usage and the command fails%s",
                         def->name, want, call->nargs, fail_effect(cmd));
    }
    if (!dg)
        return;
    if (args_have_quotes(cmd))
        diag_hint(lint_diags(ctx), dg,
                  "quotes do not group words in iPXE: every space "
                  "separates arguments");
    else if (def->usage && def->usage[0])
        diag_hint(lint_diags(ctx), dg, "usage: %s %s", def->name, def->usage);
}

/* ---- IPX2103 and IPX2105: unknown options, arguments read as options ---- */

/** Whether the word that failed as an unknown option was meant as one:
 *  a letter after the dashes.  `----`, `-1`, `--- Boot ---` and a lone
 *  `-` are text that happens to start with '-'. */
static bool meant_as_option(const struct ast_word *w, char bad_short)
{
    const char *t = w->text;
    char c;

    if (w->len >= 3 && t[1] == '-')
        c = t[2];
    else if (w->len >= 2 && t[1] != '-')
        c = bad_short ? bad_short : t[1];
    else
        return false;
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/** The long option of @p def that @p name (@p len bytes) abbreviates, if
 *  exactly one does. */
static const struct cmd_option *unique_prefix(const struct cmd_def *def,
                                              const char *name, size_t len)
{
    const struct cmd_option *found = NULL;
    size_t i;

    for (i = 0; i < def->nopts; i++) {
        if (strncmp(def->opts[i].long_name, name, len) == 0 &&
            def->opts[i].long_name[len] != '\0') {
            if (found)
                return NULL;
            found = &def->opts[i];
        }
    }
    return found;
}

/** The long option of @p def nearest to @p name, at most two edits. */
static const struct cmd_option *nearest_long(const struct cmd_def *def,
                                             const char *name, size_t len)
{
    const struct cmd_option *best = NULL;
    unsigned best_d = 3;
    size_t i;

    for (i = 0; i < def->nopts; i++) {
        const char *o = def->opts[i].long_name;
        unsigned d = lint_distance(name, len, o, strlen(o), 2);

        if (d < best_d) {
            best_d = d;
            best = &def->opts[i];
        }
    }
    return best;
}

/** "-n, -t, -q" for the short options of @p def, into @p buf. */
static const char *short_list(const struct cmd_def *def, char *buf, size_t size)
{
    size_t used = 0, i;

    buf[0] = '\0';
    for (i = 0; i < def->nopts && used + 6 < size; i++) {
        int k = snprintf(buf + used, size - used, "%s-%c", i ? ", " : "",
                         def->opts[i].short_name);
        if (k < 0)
            break;
        used += (size_t)k;
    }
    return buf;
}

/** Hint (and fix) for an unknown long option `--name[=...]`. */
static void hint_long(struct lint_ctx *ctx, struct diag *dg,
                      const struct cmd_def *def, const struct ast_word *w)
{
    const char *name = w->text + 2;
    const char *eq = memchr(name, '=', w->len - 2);
    size_t len = eq ? (size_t)(eq - name) : w->len - 2;
    const struct cmd_option *opt = unique_prefix(def, name, len);
    struct span span = w->span;
    char *fix;

    if (opt) {
        /* An abbreviation: the fix writes the name out */
        span.end = span.start + 2 + (uint32_t)len;
        fix = arena_printf(lint_arena(ctx), "--%s", opt->long_name);
        diag_hint(lint_diags(ctx), dg,
                  "did you mean '--%s'? iPXE does not accept abbreviated "
                  "option names",
                  opt->long_name);
        if (fix && !(w->flags & AST_W_CONT))
            diag_fix(lint_diags(ctx), dg, span, fix);
        return;
    }
    opt = nearest_long(def, name, len);
    if (opt) {
        diag_hint(lint_diags(ctx), dg, "did you mean '--%s'?", opt->long_name);
        return;
    }
    if (def->nopts == 0)
        diag_hint(lint_diags(ctx), dg, "'%s' takes no options", def->name);
}

/** Hint (and fix) for an unknown short option @p c in word @p w. */
static void hint_short(struct lint_ctx *ctx, struct diag *dg,
                       const struct cmd_def *def, const struct ast_word *w,
                       char c)
{
    char buf[64];
    size_t i;

    /* `-autofree`: a long name written with one dash */
    for (i = 0; i < def->nopts; i++) {
        const char *o = def->opts[i].long_name;

        if (strlen(o) == w->len - 1 &&
            memcmp(o, w->text + 1, w->len - 1) == 0) {
            struct span at = {w->span.start, w->span.start};

            diag_hint(lint_diags(ctx), dg,
                      "did you mean '--%s'? long options take two dashes", o);
            diag_fix(lint_diags(ctx), dg, at, "-");
            return;
        }
    }
    if (def->id == CMD_ID_ECHO && c == 'e')
        diag_hint(lint_diags(ctx), dg,
                  "iPXE's echo has only '-n': it never reads escapes such "
                  "as '\\n', so drop '-e'");
    else if (takes_text(def))
        diag_hint(lint_diags(ctx), dg,
                  "to start the text with '-', end the options first: "
                  "'%s -- %.*s%s'",
                  def->name, qlen(w), w->text, qmore(w));
    else if (def->nopts)
        diag_hint(lint_diags(ctx), dg, "'%s' takes %s", def->name,
                  short_list(def, buf, sizeof(buf)));
    else
        diag_hint(lint_diags(ctx), dg, "'%s' takes no options", def->name);
}

/** The long option of @p def that word @p w spells with one dash
 *  (`-timeout`), or NULL. */
static const struct cmd_option *spelled_long(const struct cmd_def *def,
                                             const struct ast_word *w)
{
    if (w->len < 3 || w->text[0] != '-' || w->text[1] == '-' ||
        word_is_dynamic(w))
        return NULL;
    return cmdtable_long(def, w->text + 1, w->len - 1);
}

static void check_unknown_option(struct lint_ctx *ctx,
                                 const struct lint_cmd *cmd)
{
    const struct cmd_def *def = lint_known_def(cmd);
    const struct cmd_call *call = &cmd->call;
    const struct ast_word *w;
    struct diag *dg;

    if (has_error(ctx, cmd, CMD_ERR_UNKNOWN_OPTION)) {
        w = cmd->seg->argv[call->error_word];
        if (!meant_as_option(w, call->error_short))
            return; /* IPX2105 */
        if (w->text[1] == '-')
            dg = lint_report(ctx, &unknown_option, w->span,
                             "'%s' has no option '%.*s%s': iPXE says "
                             "'Unrecognised option' and the command fails%s",
                             def->name, qlen(w), w->text, qmore(w),
                             fail_effect(cmd));
        else if (w->len == 2)
            dg = lint_report(ctx, &unknown_option, w->span,
                             "'%s' has no option '-%c': iPXE says "
                             "'Unrecognised option' and the command fails%s",
                             def->name, call->error_short, fail_effect(cmd));
        else
            dg = lint_report(ctx, &unknown_option, w->span,
                             "'%s' has no option '-%c' (in '%.*s%s'): iPXE "
                             "says 'Unrecognised option' and the command "
                             "fails%s",
                             def->name, call->error_short, qlen(w), w->text,
                             qmore(w), fail_effect(cmd));
        if (!dg)
            return;
        if (w->text[1] == '-')
            hint_long(ctx, dg, def, w);
        else
            hint_short(ctx, dg, def, w, call->error_short);
        return;
    }
    /* `-name x`: getopt reads '-n' with the value "ame", silently */
    if (def && parses_options(ctx, def) && call->nopts) {
        uint32_t i;

        for (i = 0; i < call->nopts; i++) {
            const struct cmd_optval *ov = &call->opts[i];
            const struct ast_word *ow = cmd->seg->argv[ov->word];
            const struct cmd_option *as_long;

            if (ov->value != ow)
                continue;
            as_long = spelled_long(def, ow);
            if (!as_long)
                continue;
            dg = lint_report(ctx, &unknown_option, ow->span,
                             "'%.*s' is not '--%s': iPXE reads it as '-%c' "
                             "with the value '%.*s'",
                             qlen(ow), ow->text, as_long->long_name,
                             ow->text[1], (int)ov->vlen, ov->vtext);
            if (dg) {
                struct span at = {ow->span.start, ow->span.start};

                diag_hint(lint_diags(ctx), dg,
                          "long options take two dashes: '--%s'",
                          as_long->long_name);
                diag_fix(lint_diags(ctx), dg, at, "-");
            }
        }
    }
}

static void check_dash_argument(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd)
{
    const struct cmd_def *def = lint_known_def(cmd);
    const struct ast_word *w;
    struct span at;
    struct diag *dg;

    if (!has_error(ctx, cmd, CMD_ERR_UNKNOWN_OPTION))
        return;
    w = cmd->seg->argv[cmd->call.error_word];
    if (meant_as_option(w, cmd->call.error_short))
        return; /* IPX2103 */
    if (def->id == CMD_ID_EXIT) {
        dg = lint_report(ctx, &dash_argument, w->span,
                         "'exit %.*s%s': a status starting with '-' is read "
                         "as an option, so exit itself fails with "
                         "'Unrecognised option'%s",
                         qlen(w), w->text, qmore(w), fail_effect(cmd));
        hint_fix(ctx, dg, w->span, NULL,
                 "an exit status cannot be negative: use 'exit 1'");
        return;
    }
    dg = lint_report(ctx, &dash_argument, w->span,
                     "'%.*s%s' starts with '-', so '%s' reads it as an "
                     "option: iPXE says 'Unrecognised option' and the "
                     "command fails%s",
                     qlen(w), w->text, qmore(w), def->name, fail_effect(cmd));
    at.start = at.end = w->span.start;
    hint_fix(ctx, dg, at, "-- ",
             "put '--' before it to end the options: it is then an "
             "argument");
}

/* ---- IPX2104: an option after the first argument ---- */

/** The option of @p def that word @p w names exactly (`--name` or
 *  `--name=value`), or NULL. */
static const struct cmd_option *names_long_option(const struct cmd_def *def,
                                                  const struct ast_word *w)
{
    const char *eq;
    size_t len;

    if (w->len < 3 || w->text[0] != '-' || w->text[1] != '-' ||
        word_is_dynamic(w))
        return NULL;
    eq = memchr(w->text, '=', w->len);
    len = eq ? (size_t)(eq - w->text) - 2 : w->len - 2;
    return cmdtable_long(def, w->text + 2, len);
}

/** A fix moving words [from, to] of @p cmd to just before its first
 *  argument. */
static void fix_move(struct lint_ctx *ctx, struct diag *dg,
                     const struct lint_cmd *cmd, uint32_t from, uint32_t to)
{
    const char *data = lint_source_of(ctx)->data;
    struct span moved = words_span(cmd, from, to);
    struct span cut = {cmd->seg->argv[from - 1]->span.end, moved.end};
    struct span at;
    char *text;

    at.start = at.end = cmd->seg->argv[cmd->call.first_arg]->span.start;
    text = arena_printf(lint_arena(ctx), "%.*s ",
                        (int)(moved.end - moved.start), data + moved.start);
    if (!text)
        return;
    diag_fix(lint_diags(ctx), dg, at, text);
    diag_fix(lint_diags(ctx), dg, cut, "");
}

static void check_option_after_arg(struct lint_ctx *ctx,
                                   const struct lint_cmd *cmd)
{
    const struct cmd_def *def = lint_known_def(cmd);
    const struct cmd_call *call = &cmd->call;
    const struct ast_word *first;
    uint32_t i;

    if (!def || !parses_options(ctx, def) || call->error != CMD_OK ||
        call->nargs < 2)
        return;
    /* After an explicit `--` the writer asked for arguments */
    if (call->first_arg >= 2 &&
        ast_word_is(cmd->seg->argv[call->first_arg - 1], "--"))
        return;
    first = cmd->seg->argv[call->first_arg];
    for (i = call->first_arg + 1; i < cmd->seg->argc; i++) {
        const struct ast_word *w = word_at(cmd, i);
        const struct cmd_option *opt = w ? names_long_option(def, w) : NULL;
        uint32_t last = i;
        struct diag *dg;

        if (!opt)
            continue;
        if (opt->value != CMD_VAL_NONE && !memchr(w->text, '=', w->len) &&
            word_at(cmd, i + 1))
            last = i + 1;
        if (is_image_cmd(def))
            dg = lint_report(ctx, &option_after_argument, w->span,
                             "'%.*s' comes after '%.*s%s', so it is not an "
                             "option: iPXE passes it to the image as part of "
                             "its command line",
                             qlen(w), w->text, qlen(first), first->text,
                             qmore(first));
        else
            dg = lint_report(ctx, &option_after_argument, w->span,
                             "'%.*s' comes after '%.*s%s', so it is not an "
                             "option: '%s' takes it as one more argument",
                             qlen(w), w->text, qlen(first), first->text,
                             qmore(first), def->name);
        if (!dg)
            continue;
        diag_hint(lint_diags(ctx), dg, "options go before the first argument");
        fix_move(ctx, dg, cmd, i, last);
        i = last;
    }
}

/* ---- IPX2106, IPX2107, IPX2113: values and help ---- */

static void check_missing_value(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd)
{
    const struct cmd_call *call = &cmd->call;
    const struct ast_word *w, *next;
    struct diag *dg;
    char name[64];

    if (!has_error(ctx, cmd, CMD_ERR_MISSING_VALUE))
        return;
    w = cmd->seg->argv[call->error_word];
    if (call->error_short)
        snprintf(name, sizeof(name), "-%c", call->error_short);
    else
        snprintf(name, sizeof(name), "%.*s", qlen(w), w->text);
    next = word_at(cmd, call->error_word + 1);
    dg = lint_report(ctx, &option_missing_value, w->span,
                     "'%s' needs a value%s: iPXE says 'requires an "
                     "argument' and the command fails%s",
                     name, next ? " that does not start with '-'" : "",
                     fail_effect(cmd));
    if (dg && next && !call->error_short)
        diag_hint(lint_diags(ctx), dg,
                  "a value starting with '-' must be joined to the option: "
                  "'%s=%.*s%s'",
                  name, qlen(next), next->text, qmore(next));
    else if (dg && next)
        diag_hint(lint_diags(ctx), dg,
                  "a value starting with '-' must be joined to the option: "
                  "'%s%.*s%s'",
                  name, qlen(next), next->text, qmore(next));
}

static void check_help(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct ast_word *w;
    struct diag *dg;

    if (!has_error(ctx, cmd, CMD_ERR_HELP))
        return;
    w = cmd->seg->argv[cmd->call.error_word];
    dg = lint_report(ctx, &help_option, w->span,
                     "'%.*s%s' makes '%s' print its usage and fail "
                     "('Nothing to do')%s",
                     qlen(w), w->text, qmore(w), cmd->call.def->name,
                     fail_effect(cmd));
    hint_fix(ctx, dg, w->span, NULL,
             "remove it: in a script, help output only stops the boot");
}

static void check_flag_value(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct ast_word *w;
    const char *eq;
    struct diag *dg;

    if (!has_error(ctx, cmd, CMD_ERR_VALUE_ON_FLAG))
        return;
    w = cmd->seg->argv[cmd->call.error_word];
    eq = memchr(w->text, '=', w->len);
    if (!eq)
        return;
    dg = lint_report(ctx, &flag_with_value, w->span,
                     "'%.*s' takes no value: '%.*s%s' makes iPXE say "
                     "'takes no argument' and the command fails%s",
                     (int)(eq - w->text), w->text, qlen(w), w->text, qmore(w),
                     fail_effect(cmd));
    hint_fix(ctx, dg, w->span, NULL,
             "a flag is on when present: write it without '=...', or "
             "leave it out");
}

/* ---- IPX2108: integers ---- */

/** Positional arguments iPXE reads with parse_integer() (spec §4.2;
 *  `exit` is the boot rules' business). */
static const struct int_arg {
    uint8_t index;    /**< which positional argument, 0-based */
    const char *what; /**< how to call it in a message; NULL: none */
} int_args[CMD_ID_COUNT] = {
    [CMD_ID_COLOUR] = {0, "colour"},
    [CMD_ID_CPAIR] = {0, "colour pair"},
    [CMD_ID_CPUID] = {0, "feature bit"},
    [CMD_ID_INC] = {1, "increment"},
    [CMD_ID_PXEBS] = {1, "server type"},
    [CMD_ID_SLEEP] = {0, "number of seconds"},
};

/** Whether @p text (@p len bytes) is a key parse_key() accepts: one
 *  character, or an integer key code. */
static bool valid_key(const char *text, uint32_t len)
{
    unsigned long v;

    return len == 1 || cmdparse_integer(text, len, &v);
}

/** Whether the value bytes of an option are known statically: the value
 *  word has no expansion or template placeholder (any syntax: `{{ }}`,
 *  `<%= %>`), or, inline, none in the part after the option's name. */
static bool value_is_static(const struct cmd_optval *ov)
{
    const struct ast_part *p;
    uint32_t from;

    if (!ov->value || !word_is_dynamic(ov->value))
        return true;
    if (ov->value->flags & AST_W_CONT)
        return false; /* raw offsets do not map simply: say nothing */
    from = ov->value->span.start + (uint32_t)(ov->vtext - ov->value->text);
    for (p = ov->value->parts; p; p = p->next) {
        if (p->kind != AST_PART_CONT && p->span.end > from)
            return false;
    }
    return true;
}

/** Report the integer @p text (@p len bytes) at @p span if iPXE cannot
 *  read it.  @p what names it ("'--timeout' value", "feature bit"). */
static void report_integer(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                           struct span span, const char *text, uint32_t len,
                           const char *what, bool is_key)
{
    unsigned long v;
    struct diag *dg;
    uint32_t i, zeros = 0;
    bool decimal = len > 0;

    if (is_key ? valid_key(text, len) : cmdparse_integer(text, len, &v))
        return;
    for (i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            decimal = false;
    }
    while (zeros + 1 < len && text[zeros] == '0')
        zeros++;
    if (decimal && zeros) {
        /* `08`: a leading zero makes it octal */
        dg = lint_report(ctx, &bad_integer, span,
                         "'%.*s' is not a valid %s: a leading 0 means octal, "
                         "so iPXE says 'invalid integer value' and the "
                         "command fails%s",
                         (int)len, text, what, fail_effect(cmd));
        if (dg) {
            char *fix =
                arena_strndup(lint_arena(ctx), text + zeros, len - zeros);

            diag_hint(lint_diags(ctx), dg, "write '%s'", fix ? fix : "");
            /* Only where the source bytes are the value itself (no
             * continuation inside, no option name in front) */
            if (fix && span.end - span.start == len)
                diag_fix(lint_diags(ctx), dg, span, fix);
        }
        return;
    }
    dg = lint_report(ctx, &bad_integer, span,
                     "'%.*s%s' is not a valid %s: iPXE says 'invalid "
                     "integer value' and the command fails%s",
                     (int)(len > QUOTE_MAX ? QUOTE_MAX : len), text,
                     len > QUOTE_MAX ? "..." : "", what, fail_effect(cmd));
    if (dg && is_key)
        diag_hint(lint_diags(ctx), dg,
                  "a key is one character or a key code such as 0x02");
    else if (dg)
        diag_hint(lint_diags(ctx), dg,
                  "iPXE reads decimal, 0x-prefixed hex and 0-prefixed octal, "
                  "with no unit");
}

static void check_integers(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct cmd_def *def = lint_known_def(cmd);
    const struct cmd_call *call = &cmd->call;
    const struct int_arg *ia;
    const struct ast_word *w;
    uint32_t i, k, seen = 0;

    if (!def || !parses_options(ctx, def))
        return;
    for (i = 0; i < call->nopts; i++) {
        const struct cmd_optval *ov = &call->opts[i];
        enum cmd_value kind = ov->opt->value;
        char what[48];
        struct span span;

        if ((kind != CMD_VAL_INTEGER && kind != CMD_VAL_TIMEOUT &&
             kind != CMD_VAL_KEY) ||
            !ov->value || !value_is_static(ov))
            continue;
        if (looks_like_tag(ov->value))
            continue;
        /* `-timeout 5` is IPX2103's: the value 'imeout' is no news */
        if (ov->value == cmd->seg->argv[ov->word] &&
            spelled_long(def, ov->value))
            continue;
        span = ov->value->span;
        if (ov->value == cmd->seg->argv[ov->word] &&
            !(ov->value->flags & AST_W_CONT)) {
            /* Inline: just the value's bytes */
            span.start += (uint32_t)(ov->vtext - ov->value->text);
        }
        snprintf(what, sizeof(what), "%s for '--%s'",
                 kind == CMD_VAL_KEY ? "key" : "integer", ov->opt->long_name);
        report_integer(ctx, cmd, span, ov->vtext, ov->vlen, what,
                       kind == CMD_VAL_KEY);
    }
    ia = &int_args[def->id];
    if (call->error != CMD_OK || !ia->what)
        return;
    for (k = call->first_arg; k < cmd->seg->argc; k++) {
        w = word_at(cmd, k);
        if (!w)
            continue;
        if (seen++ != ia->index)
            continue;
        if (!word_is_dynamic(w) && !looks_like_tag(w))
            report_integer(ctx, cmd, w->span, w->text, w->len, ia->what,
                           false);
        break;
    }
}

/* ---- IPX2109: timeouts in the wrong unit ---- */

/** Below this many milliseconds no one can react to a prompt or menu, and
 *  no download or DHCP exchange survives a hiccup: such a timeout was
 *  written in seconds. */
#define TIMEOUT_MIN 1000
/** Waiting for a link or for pending work may be short on purpose; below
 *  this, the value still reads like seconds. */
#define SHORT_TIMEOUT_MIN 100
/** A sleep this long (seconds) was probably meant in milliseconds. */
#define SLEEP_MAX 1000

/** Whether @p def waits for a person (a key press or a menu choice). */
static bool waits_for_user(const struct cmd_def *def)
{
    return def->id == CMD_ID_PROMPT || def->id == CMD_ID_CHOOSE ||
           def->id == CMD_ID_READ;
}

/** Whether a sub-second timeout of @p def can make sense. */
static bool may_be_short(const struct cmd_def *def)
{
    return def->id == CMD_ID_IFLINKWAIT || def->id == CMD_ID_SYNC;
}

/** Whether @p text is plain decimal digits (no octal or hex). */
static bool plain_decimal(const char *text, uint32_t len)
{
    uint32_t i;

    if (len == 0 || len > 9 || (len > 1 && text[0] == '0'))
        return false;
    for (i = 0; i < len; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
    }
    return true;
}

static void check_sleep(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct ast_word *w = word_at(cmd, cmd->call.first_arg);
    unsigned long v;
    struct diag *dg;

    if (!w || word_is_dynamic(w) || !plain_decimal(w->text, w->len) ||
        !cmdparse_integer(w->text, w->len, &v) || v < SLEEP_MAX)
        return;
    dg = lint_report(ctx, &timeout_units, w->span,
                     "'sleep %.*s' waits %lu seconds (about %lu minutes): "
                     "sleep counts seconds, not milliseconds",
                     (int)w->len, w->text, v, (v + 30) / 60);
    if (dg && v % 1000 == 0)
        diag_hint(lint_diags(ctx), dg, "did you mean 'sleep %lu'?", v / 1000);
}

static void check_timeout_units(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd)
{
    const struct cmd_def *def = lint_known_def(cmd);
    const struct cmd_call *call = &cmd->call;
    uint32_t i;

    if (!def || call->error != CMD_OK || !parses_options(ctx, def))
        return;
    if (def->id == CMD_ID_SLEEP) {
        check_sleep(ctx, cmd);
        return;
    }
    for (i = 0; i < call->nopts; i++) {
        const struct cmd_optval *ov = &call->opts[i];
        unsigned long v, limit;
        struct span span;
        struct diag *dg;

        if (ov->opt->value != CMD_VAL_TIMEOUT || !ov->value ||
            !value_is_static(ov) || !plain_decimal(ov->vtext, ov->vlen) ||
            !cmdparse_integer(ov->vtext, ov->vlen, &v) || v == 0)
            continue;
        limit = may_be_short(def) ? SHORT_TIMEOUT_MIN : TIMEOUT_MIN;
        if (v >= limit)
            continue;
        span = ov->value->span;
        if (ov->value == cmd->seg->argv[ov->word] &&
            !(ov->value->flags & AST_W_CONT))
            span.start += (uint32_t)(ov->vtext - ov->value->text);
        if (waits_for_user(def))
            dg = lint_report(ctx, &timeout_units, span,
                             "'--%s %lu' is %lu milliseconds, not seconds: "
                             "'%s' gives up before anyone can press a key",
                             ov->opt->long_name, v, v, def->name);
        else if (is_image_cmd(def))
            dg = lint_report(ctx, &timeout_units, span,
                             "'--%s %lu' is %lu milliseconds, not seconds: "
                             "'%s' abandons the download whenever no data "
                             "comes for that long",
                             ov->opt->long_name, v, v, def->name);
        else
            dg = lint_report(ctx, &timeout_units, span,
                             "'--%s %lu' is %lu milliseconds, not seconds: "
                             "'%s' gives up almost at once",
                             ov->opt->long_name, v, v, def->name);
        if (!dg)
            continue;
        diag_hint(lint_diags(ctx), dg,
                  "every --timeout counts milliseconds: %lu seconds is "
                  "'--%s %lu'",
                  v, ov->opt->long_name, v * 1000);
    }
}

/* ---- whole-script rules: what must come before ---- */

/** The value of option @p opt of @p cmd as a name: its text, or NULL for
 *  "the default one" when absent.  @p dynamic is set if it is only known
 *  at run time. */
static void ui_name(const struct lint_cmd *cmd, const char *opt,
                    const char **text, uint32_t *len, bool *dynamic)
{
    const struct cmd_optval *ov = cmdparse_opt(&cmd->call, opt);

    /* `item --form` is the same field as `item --menu`: the last wins */
    if (opt[0] == 'm' && strcmp(opt, "menu") == 0) {
        const struct cmd_optval *alt = cmdparse_opt(&cmd->call, "form");

        if (alt && (!ov || alt > ov))
            ov = alt;
    }

    *text = NULL;
    *len = 0;
    *dynamic = false;
    if (!ov)
        return;
    *text = ov->vtext;
    *len = ov->vlen;
    *dynamic = !value_is_static(ov);
}

/** Where @p text (NULL: the unnamed one) was first created, or -1 if it
 *  never was. */
static long name_list_find(const struct name_list *l, const char *text,
                           uint32_t len)
{
    uint32_t line;

    if (!text)
        return l->unnamed;
    return nameset_get(&l->names, text, len, &line) ? (long)line : -1;
}

/** Remember that @p text was created on logical line @p line. */
static void name_list_add(struct name_list *l, const char *text, uint32_t len,
                          uint32_t line)
{
    if (!text) {
        if (l->unnamed < 0)
            l->unnamed = line;
        return;
    }
    if (nameset_add(&l->names, text, len, line))
        l->oom = true; /* the first line of a name is kept */
}

/** The logical line number (1-based physical line) of line @p li. */
static unsigned line_no(struct lint_ctx *ctx, uint32_t li)
{
    size_t n;

    return lint_line_at(ctx, lint_lines(ctx, &n)[li].line->span.start);
}

/* ---- IPX2110: boot with nothing selected ---- */

/** Note the bare `boot`s of line @p ll that come before any image is
 *  booted, and whether anything selects an image. */
static void boot_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    struct cmds_data *d = cmds_data(ctx);
    uint32_t ci;

    if (!d || ll->index != d->boot_lines)
        return;
    d->boot_lines++;
    for (ci = 0; ci < ll->ncmds && !d->any_select; ci++) {
        const struct lint_cmd *cmd = &ll->cmds[ci];
        unsigned id = lint_cmd_id(cmd);

        if (cmd->call.dynamic || id == CMD_ID_IMGSELECT) {
            d->any_select = true;
            break;
        }
        /* After `chain <uri>` or `sanboot`, a bare `boot` is only reached
         * if that boot came back: dead weight rather than a mistake */
        if ((id == CMD_ID_IMGEXEC && cmd->call.nargs > 0) ||
            id == CMD_ID_SANBOOT)
            d->booted = true;
        if (d->booted || id != CMD_ID_IMGEXEC || cmd->call.error != CMD_OK ||
            cmd->call.nargs != 0)
            continue;
        /* `chain #...`: the argument is a comment (IPX1010's finding) */
        if (!cmd->seg->next && ll->line->comment)
            continue;
        if (lint_grow(&d->boots, &d->nboots, &d->boots_cap,
                      sizeof(*d->boots)))
            d->boots[d->nboots++] = cmd;
    }
}

static void check_boot_without_image(struct lint_ctx *ctx)
{
    struct cmds_data *d = cmds_data(ctx);
    const struct lint_line *ll;
    size_t nlines, li;

    if (!d)
        return;
    ll = lint_lines(ctx, &nlines);
    for (li = d->boot_lines; li < nlines; li++)
        boot_line(ctx, &ll[li]);
    /* in a subscript, the parent may have selected one */
    for (li = 0; li < d->nboots && !d->any_select && !lint_is_subscript(ctx);
         li++) {
        const struct ast_word *w = lint_name_word(d->boots[li]);
        struct diag *dg;

        dg = lint_report(ctx, &boot_without_image, w->span,
                         "'%.*s' without an image, and nothing in this "
                         "script selects one: iPXE prints 'No image "
                         "selected' and goes on as if it had booted",
                         (int)w->len, w->text);
        if (dg)
            diag_hint(lint_diags(ctx), dg,
                      "load one first ('kernel <uri>' or 'imgselect "
                      "<image>'), or name it: '%.*s <uri>'",
                      (int)w->len, w->text);
    }
    free(d->boots);
    d->boots = NULL;
}

/* ---- IPX2111 and IPX2112: lists and menus used before they exist ---- */

/** Report @p cmd, whose target (named @p text, or the default one) is
 *  not created before it: @p at is where it is created, or -1. */
static void report_consumer(struct lint_ctx *ctx, const struct lint_rule *rule,
                            const struct lint_cmd *cmd,
                            const struct consumer *c, const char *text,
                            uint32_t len, long at)
{
    const struct ast_word *w = lint_name_word(cmd);
    char what[QUOTE_MAX + 40];

    if (text)
        snprintf(what, sizeof(what), "the %s '%.*s'", c->thing,
                 (int)(len > QUOTE_MAX ? QUOTE_MAX : len), text);
    else
        snprintf(what, sizeof(what), "the unnamed %s", c->thing);
    if (at >= 0) {
        lint_report_at(ctx, rule, DIAG_WARNING, w->span,
                       "'%.*s' uses %s before the '%s' that creates it "
                       "(line %u): unless a goto runs that line first, "
                       "the command fails",
                       (int)w->len, w->text, what, c->creator,
                       line_no(ctx, (uint32_t)at));
    } else if (lint_is_subscript(ctx) || lint_is_template(ctx)) {
        /* A chained script, or a template fragment rendered after the one
         * that creates it */
        lint_report_at(ctx, rule, DIAG_WARNING, w->span,
                       "'%.*s' uses %s, which this %s never creates: it "
                       "fails unless the %s did",
                       (int)w->len, w->text, what,
                       lint_is_template(ctx) ? "template" : "script",
                       lint_is_template(ctx) ? "rendered text before it"
                                             : "calling script");
    } else {
        lint_report(ctx, rule, w->span,
                    "'%.*s' uses %s, which no '%s' in this script creates: "
                    "the command fails%s",
                    (int)w->len, w->text, what, c->creator, fail_effect(cmd));
    }
}

/** IPX2111 or IPX2112: the command that creates the targets, and the
 *  commands that need one. */
struct consumer_rule {
    const struct lint_rule *rule;
    unsigned creator;                 /**< the creating command (cmd_id) */
    const struct consumer *consumers; /**< the commands that need one */
    size_t n;                         /**< how many */
};

/**
 * Follow line @p ll (each line once, in order) for the consumers of
 * @p cr whose target no creator command creates before it.  Creators are
 * collected as they come; the rare consumer that misses waits for the end
 * of the file (consumers_report()).
 */
static void consumers_line(struct consumers *st, const struct lint_line *ll,
                           const struct consumer_rule *cr)
{
    const struct consumer *consumers = cr->consumers;
    struct name_list *made = &st->made;
    uint32_t ci;
    size_t k;

    if (ll->index != st->lines)
        return;
    st->lines++;
    for (ci = 0; ci < ll->ncmds && !st->stop; ci++) {
        const struct lint_cmd *cmd = &ll->cmds[ci];
        const char *text;
        uint32_t len;
        bool dynamic;
        unsigned id;

        if (cmd->call.dynamic) {
            made->any = true; /* `${cmd}` might create anything */
            st->stop = true;
            break;
        }
        if (!cmd->call.def || cmd->call.error != CMD_OK)
            continue;
        id = cmd->call.def->id;
        if (id == cr->creator) {
            if (cmdparse_opt(&cmd->call, "delete"))
                continue;
            ui_name(cmd, "name", &text, &len, &dynamic);
            if (dynamic) {
                made->any = true;
                st->stop = true;
            } else {
                name_list_add(made, text, len, ll->index);
            }
            continue;
        }
        for (k = 0; k < cr->n; k++) {
            if (id == consumers[k].cmd)
                break;
        }
        if (k == cr->n)
            continue;
        ui_name(cmd, consumers[k].opt, &text, &len, &dynamic);
        if (dynamic || name_list_find(made, text, len) >= 0)
            continue;
        if (!lint_grow(&st->pend, &st->npend, &st->cap, sizeof(*st->pend))) {
            made->oom = true;
            st->stop = true;
            break;
        }
        st->pend[st->npend].cmd = cmd;
        st->pend[st->npend].c = &consumers[k];
        st->pend[st->npend].text = text;
        st->pend[st->npend].len = len;
        st->npend++;
    }
}

/** The lines the engine did not show (none, normally), then the
 *  consumers that missed: an error if nothing creates the target, a
 *  warning if it is only created further down (or the script is a
 *  subscript or a template). */
static void consumers_report(struct lint_ctx *ctx, struct consumers *st,
                             const struct consumer_rule *cr)
{
    const struct lint_line *ll;
    size_t nlines, k;

    ll = lint_lines(ctx, &nlines);
    for (k = st->lines; k < nlines; k++)
        consumers_line(st, &ll[k], cr);
    /* A name only known at run time may be any of them: say nothing */
    for (k = 0; k < st->npend && !st->made.any && !st->made.oom; k++)
        report_consumer(ctx, cr->rule, st->pend[k].cmd, st->pend[k].c,
                        st->pend[k].text, st->pend[k].len,
                        name_list_find(&st->made, st->pend[k].text,
                                       st->pend[k].len));
    free(st->pend);
    st->pend = NULL;
    nameset_release(&st->made.names);
}

static const struct consumer param_consumers[] = {
    {CMD_ID_PARAM, "params", "params", "parameter list"},
};

/* `form` is an alias of `menu`: both create a UI by --name, and
 * `item --form` is `item --menu` (see ui_name()) */
static const struct consumer menu_consumers[] = {
    {CMD_ID_ITEM, "menu", "menu", "menu"},
    {CMD_ID_CHOOSE, "menu", "menu", "menu"},
    {CMD_ID_PRESENT, "form", "form", "form"},
};

static const struct consumer_rule params_rule = {
    &param_without_params, CMD_ID_PARAMS, param_consumers,
    sizeof(param_consumers) / sizeof(param_consumers[0]),
};

static const struct consumer_rule menus_rule = {
    &item_before_menu, CMD_ID_MENU, menu_consumers,
    sizeof(menu_consumers) / sizeof(menu_consumers[0]),
};

/* One hook per rule, so that either runs without the other. */
static void params_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    struct cmds_data *d = cmds_data(ctx);

    if (d)
        consumers_line(&d->params, ll, &params_rule);
}

static void menus_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    struct cmds_data *d = cmds_data(ctx);

    if (d)
        consumers_line(&d->menus, ll, &menus_rule);
}

static void check_param_without_params(struct lint_ctx *ctx)
{
    struct cmds_data *d = cmds_data(ctx);

    if (d)
        consumers_report(ctx, &d->params, &params_rule);
}

static void check_item_before_menu(struct lint_ctx *ctx)
{
    struct cmds_data *d = cmds_data(ctx);

    if (d)
        consumers_report(ctx, &d->menus, &menus_rule);
}
