/* SPDX-License-Identifier: MIT */
/** @file Rules on command values and order: integer and timeout values
 *  (IPX2108, IPX2109), and the commands that need an earlier one: boot
 *  after kernel, param after params, item after menu (IPX2110-IPX2112)
 *  (spec §2.6-§2.8, §4, §6.3). */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static void check_integers(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_timeout_units(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd);
static void boot_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void params_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void menus_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void check_boot_without_image(struct lint_ctx *ctx);
static void check_param_without_params(struct lint_ctx *ctx);
static void check_item_before_menu(struct lint_ctx *ctx);

static const struct lint_rule bad_integer = {
    .code = "IPX2108",
    .name = "bad-integer",
    .sev = DIAG_ERROR,
    .summary =
        "a number iPXE cannot read (base 0: '08' is bad octal, '30s' is no number)",
    .on_command = check_integers,
};

static const struct lint_rule timeout_units = {
    .code = "IPX2109",
    .name = "timeout-units",
    .sev = DIAG_WARNING,
    .summary =
        "--timeout is in milliseconds and sleep in seconds: a value in the "
        "other unit",
    .on_command = check_timeout_units,
};

static const struct lint_rule boot_without_image = {
    .code = "IPX2110",
    .name = "boot-without-image",
    .sev = DIAG_WARNING,
    .summary =
        "'boot' with no argument and no 'kernel' or 'imgselect' in the script",
    .on_line = boot_line,
    .on_script = check_boot_without_image,
};

static const struct lint_rule param_without_params = {
    .code = "IPX2111",
    .name = "param-without-params",
    .sev = DIAG_ERROR,
    .summary = "'param' adds to a parameter list that no 'params' created",
    .on_line = params_line,
    .on_script = check_param_without_params,
};

static const struct lint_rule item_before_menu = {
    .code = "IPX2112",
    .name = "item-before-menu",
    .sev = DIAG_ERROR,
    .summary =
        "'item', 'choose' or 'present' on a menu or form no 'menu'/'form' created",
    .on_line = menus_line,
    .on_script = check_item_before_menu,
};

const struct lint_rule *const lint_rules_commands_order[] = {
    &bad_integer,          &timeout_units,    &boot_without_image,
    &param_without_params, &item_before_menu, NULL,
};

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
    for (p = ast_word_parts(ov->value); p; p = p->next) {
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
                         (int)len, text, what, cmds_fail_effect(cmd));
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
                     len > QUOTE_MAX ? "..." : "", what, cmds_fail_effect(cmd));
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

    if (!def || !cmds_parses_options(ctx, def))
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
        if (cmds_looks_like_tag(ov->value))
            continue;
        /* `-timeout 5` is IPX2103's: the value 'imeout' is no news */
        if (ov->value == cmd->seg->argv[ov->word] &&
            cmds_spelled_long(def, ov->value))
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
        if (!word_is_dynamic(w) && !cmds_looks_like_tag(w))
            report_integer(ctx, cmd, w->span, w->text, w->len, ia->what, false);
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

    if (!def || call->error != CMD_OK || !cmds_parses_options(ctx, def))
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
        else if (cmds_is_image_cmd(def))
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

    if (!d || lint_line_index(ctx, ll) != d->boot_lines)
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
        if (!cmd->seg->next && ast_line_comment(ll->line))
            continue;
        if (lint_grow(&d->boots, &d->nboots, &d->boots_cap, sizeof(*d->boots)))
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
                    (int)w->len, w->text, what, c->creator,
                    cmds_fail_effect(cmd));
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
static void consumers_line(const struct lint_ctx *ctx, struct consumers *st,
                           const struct lint_line *ll,
                           const struct consumer_rule *cr)
{
    const struct consumer *consumers = cr->consumers;
    struct name_list *made = &st->made;
    uint32_t ci;
    size_t k;

    if (lint_line_index(ctx, ll) != st->lines)
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
                name_list_add(made, text, len, lint_line_index(ctx, ll));
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
        consumers_line(ctx, st, &ll[k], cr);
    /* A name only known at run time may be any of them: say nothing */
    for (k = 0; k < st->npend && !st->made.any && !st->made.oom; k++)
        report_consumer(
            ctx, cr->rule, st->pend[k].cmd, st->pend[k].c, st->pend[k].text,
            st->pend[k].len,
            name_list_find(&st->made, st->pend[k].text, st->pend[k].len));
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
    &param_without_params,
    CMD_ID_PARAMS,
    param_consumers,
    sizeof(param_consumers) / sizeof(param_consumers[0]),
};

static const struct consumer_rule menus_rule = {
    &item_before_menu,
    CMD_ID_MENU,
    menu_consumers,
    sizeof(menu_consumers) / sizeof(menu_consumers[0]),
};

/* One hook per rule, so that either runs without the other. */
static void params_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    struct cmds_data *d = cmds_data(ctx);

    if (d)
        consumers_line(ctx, &d->params, ll, &params_rule);
}

static void menus_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    struct cmds_data *d = cmds_data(ctx);

    if (d)
        consumers_line(ctx, &d->menus, ll, &menus_rule);
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
