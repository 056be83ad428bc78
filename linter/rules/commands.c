/* SPDX-License-Identifier: MIT */
/** @file Rules on commands, options and arguments: unknown commands, and
 *  the argument counts and options of iPXE's command table read as iPXE's
 *  getopt reads them (IPX2101-IPX2107, IPX2113); the family's table and
 *  shared helpers (spec §2.6-§2.8, §4, §6.3). */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

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
static void unknown_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void check_flag_value(struct lint_ctx *ctx, const struct lint_cmd *cmd);

static const struct lint_rule unknown_command = {
    .code = "IPX2101",
    .name = "unknown-command",
    .sev = DIAG_ERROR,
    .summary =
        "a command iPXE does not have: 'command not found', and it fails",
    .on_line = unknown_line,
    .on_script = check_unknown_commands,
};

static const struct lint_rule argument_count = {
    .code = "IPX2102",
    .name = "argument-count",
    .sev = DIAG_ERROR,
    .summary = "too few or too many arguments: iPXE prints the usage and fails",
    .on_command = check_arg_count,
};

static const struct lint_rule unknown_option = {
    .code = "IPX2103",
    .name = "unknown-option",
    .sev = DIAG_ERROR,
    .summary =
        "an option the command does not have (iPXE takes no abbreviations)",
    .on_command = check_unknown_option,
};

static const struct lint_rule option_after_argument = {
    .code = "IPX2104",
    .name = "option-after-argument",
    .sev = DIAG_WARNING,
    .summary =
        "an option after the first argument is only more text, not an option",
    .on_command = check_option_after_arg,
};

static const struct lint_rule dash_argument = {
    .code = "IPX2105",
    .name = "dash-argument",
    .sev = DIAG_ERROR,
    .summary =
        "an argument starting with '-' is read as an option and fails; use '--'",
    .on_command = check_dash_argument,
};

static const struct lint_rule option_missing_value = {
    .code = "IPX2106",
    .name = "option-missing-value",
    .sev = DIAG_ERROR,
    .summary =
        "an option that needs a value has none (or one starting with '-')",
    .on_command = check_missing_value,
};

static const struct lint_rule help_option = {
    .code = "IPX2107",
    .name = "help-option",
    .sev = DIAG_ERROR,
    .summary = "'-h' or '--help' prints the usage and makes the command fail",
    .on_command = check_help,
};

static const struct lint_rule flag_with_value = {
    .code = "IPX2113",
    .name = "flag-with-value",
    .sev = DIAG_ERROR,
    .summary = "a value given to an option that takes none ('--autofree=1')",
    .on_command = check_flag_value,
};

const struct lint_rule *const lint_rules_commands[] = {
    &unknown_command,       &argument_count,  &unknown_option,
    &option_after_argument, &dash_argument,   &option_missing_value,
    &help_option,           &flag_with_value, NULL,
};

/* ---- helpers ---- */

/** Whether iPXE runs its option parser for this command: not for `help`,
 *  nor for the dummy `shim` of BIOS builds. */
bool cmds_parses_options(struct lint_ctx *ctx, const struct cmd_def *def)
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

    return def && cmd->call.error == err && cmds_parses_options(ctx, def);
}

/**
 * What a failure of @p cmd does to the script: nothing more if an `||` or
 * a `;` later on the line runs another command (spec §2.4), else the
 * script stops (spec §1.4).
 */
const char *cmds_fail_effect(const struct lint_cmd *cmd)
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
bool cmds_is_image_cmd(const struct cmd_def *def)
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

struct cmds_data *cmds_data(struct lint_ctx *ctx)
{
    return lint_memo(ctx, &cmds_key, cmds_data_new);
}

/** Whether @p w starts like a template tag (`{{`, `{%`, `{#`, or ERB's
 *  `<%`): a template the parser was not told about.  No iPXE command or
 *  value starts so. */
bool cmds_looks_like_tag(const struct ast_word *w)
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
                     qlen(w), w->text, qmore(w), cmds_fail_effect(cmd));
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

    dg =
        lint_report(ctx, &unknown_command, w->span,
                    "unknown command '%.*s%s': iPXE says 'command not "
                    "found' and the command fails%s; most of this file "
                    "(%zu commands) is not iPXE commands",
                    qlen(w), w->text, qmore(w), cmds_fail_effect(cmd), unknown);
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
    return w && !word_is_dynamic(w) && !cmds_looks_like_tag(w);
}

/** Count the commands of line @p ll, and note the unknown ones worth a
 *  finding: in code nothing reaches, one per block is enough (it is often
 *  pasted text: `ls` output, an HTML page after `exit`). */
static void unknown_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    struct cmds_data *d = cmds_data(ctx);
    uint32_t i = lint_line_index(ctx, ll), ci;
    bool in_block;

    if (!d || i != d->unknown_lines)
        return;
    d->unknown_lines++;
    /* ll is lint_lines()[i]: the line before it is ll[-1] */
    in_block = !ll->reachable && i > 0 && !ll[-1].reachable;
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
    if (d->unknown > d->known && !ast_signature_ok(lint_script(ctx)->signature))
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
                         def->name, want, call->nargs, cmds_fail_effect(cmd));
    } else {
        span = lint_cmd_span(cmd);
        dg = lint_report(ctx, &argument_count, span,
                         "'%s' needs %s but is given %u: iPXE prints its "
                         "usage and the command fails%s",
                         def->name, want, call->nargs, cmds_fail_effect(cmd));
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
const struct cmd_option *cmds_spelled_long(const struct cmd_def *def,
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
                             cmds_fail_effect(cmd));
        else if (w->len == 2)
            dg = lint_report(ctx, &unknown_option, w->span,
                             "'%s' has no option '-%c': iPXE says "
                             "'Unrecognised option' and the command fails%s",
                             def->name, call->error_short,
                             cmds_fail_effect(cmd));
        else
            dg = lint_report(ctx, &unknown_option, w->span,
                             "'%s' has no option '-%c' (in '%.*s%s'): iPXE "
                             "says 'Unrecognised option' and the command "
                             "fails%s",
                             def->name, call->error_short, qlen(w), w->text,
                             qmore(w), cmds_fail_effect(cmd));
        if (!dg)
            return;
        if (w->text[1] == '-')
            hint_long(ctx, dg, def, w);
        else
            hint_short(ctx, dg, def, w, call->error_short);
        return;
    }
    /* `-name x`: getopt reads '-n' with the value "ame", silently */
    if (def && cmds_parses_options(ctx, def) && call->nopts) {
        uint32_t i;

        for (i = 0; i < call->nopts; i++) {
            const struct cmd_optval *ov = &call->opts[i];
            const struct ast_word *ow = cmd->seg->argv[ov->word];
            const struct cmd_option *as_long;

            if (ov->value != ow)
                continue;
            as_long = cmds_spelled_long(def, ow);
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
                         qlen(w), w->text, qmore(w), cmds_fail_effect(cmd));
        hint_fix(ctx, dg, w->span, NULL,
                 "an exit status cannot be negative: use 'exit 1'");
        return;
    }
    dg = lint_report(ctx, &dash_argument, w->span,
                     "'%.*s%s' starts with '-', so '%s' reads it as an "
                     "option: iPXE says 'Unrecognised option' and the "
                     "command fails%s",
                     qlen(w), w->text, qmore(w), def->name,
                     cmds_fail_effect(cmd));
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

    if (!def || !cmds_parses_options(ctx, def) || call->error != CMD_OK ||
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
        if (cmds_is_image_cmd(def))
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
                     cmds_fail_effect(cmd));
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
                     cmds_fail_effect(cmd));
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
                     cmds_fail_effect(cmd));
    hint_fix(ctx, dg, w->span, NULL,
             "a flag is on when present: write it without '=...', or "
             "leave it out");
}
