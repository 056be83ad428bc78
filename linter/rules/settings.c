/* SPDX-License-Identifier: MIT */
/** @file Rules of the settings family: setting types, literal tests,
 *  interface settings stored globally, settings used but never set,
 *  values a typed setting cannot parse, uint settings read as decimal and
 *  shell-style assignments (spec §2.5, §3, §6.2). */
#include "engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cmdtable.h"
#include "nameset.h"
#include "settings_table.h"
#include "source.h"

static void scan_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void check_command(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_script(struct lint_ctx *ctx);

static const struct lint_rule unknown_type = {
    .code = "IPX2201",
    .name = "unknown-setting-type",
    .sev = DIAG_ERROR,
    .summary =
        "a ':type' iPXE does not have: the expansion is empty, the command fails",
    .on_line = scan_line,
    .on_command = check_command,
    .on_script = check_script,
};
static const struct lint_rule format_only_type = {
    .code = "IPX2202",
    .name = "format-only-type",
    .sev = DIAG_ERROR,
    .summary = "storing a busdevfn or dnssl value, which iPXE cannot parse",
    .on_line = scan_line,
    .on_command = check_command,
    .on_script = check_script, /* one pass for the family */
};
static const struct lint_rule literal_test = {
    .code = "IPX2203",
    .name = "literal-test",
    .sev = DIAG_ERROR,
    .summary = "'isset' or 'iseq' on constant words: the answer never changes",
    .on_line = scan_line,
    .on_command = check_command,
    .on_script = check_script, /* one pass for the family */
};
static const struct lint_rule unscoped_interface = {
    .code = "IPX2204",
    .name = "unscoped-interface-setting",
    .sev = DIAG_WARNING,
    .summary =
        "'set ip', 'netmask' or 'gateway' without an interface configures none",
    .on_line = scan_line,
    .on_command = check_command,
    .on_script = check_script, /* one pass for the family */
};
static const struct lint_rule undefined_setting = {
    .code = "IPX2205",
    .name = "undefined-setting",
    .sev = DIAG_WARNING,
    .summary =
        "a setting used but never set, not declared and not predefined by iPXE",
    .on_line = scan_line,
    .on_command = check_command,
    .on_script = check_script, /* one pass for the family */
};
static const struct lint_rule empty_name = {
    .code = "IPX2209",
    .name = "empty-expansion",
    .sev = DIAG_WARNING,
    .summary = "'${}' names no setting: it always expands to nothing "
               "('isset ${}' always fails)",
    .on_line = scan_line,
    .on_command = check_command,
    .on_script = check_script, /* one pass for the family */
};
static const struct lint_rule bad_value = {
    .code = "IPX2206",
    .name = "bad-setting-value",
    .sev = DIAG_ERROR,
    .summary = "a literal value the setting's type cannot parse: 'set' fails",
    .on_line = scan_line,
    .on_command = check_command,
    .on_script = check_script, /* one pass for the family */
};
static const struct lint_rule uint_decimal = {
    .code = "IPX2207",
    .name = "uint-decimal",
    .sev = DIAG_INFO,
    .summary = "a uint setting expands in hex ('0xa'), not decimal",
    .on_line = scan_line,
    .on_command = check_command,
    .on_script = check_script, /* one pass for the family */
};
static const struct lint_rule set_equals = {
    .code = "IPX2208",
    .name = "set-with-equals",
    .sev = DIAG_WARNING,
    .summary =
        "'set name=value' or 'set name = value': iPXE's set takes no '='",
    .on_line = scan_line,
    .on_command = check_command,
    .on_script = check_script, /* one pass for the family */
};

const struct lint_rule *const lint_rules_settings[] = {
    &unknown_type,      &format_only_type,
    &literal_test,      &unscoped_interface,
    &undefined_setting, &bad_value,
    &uint_decimal,      &set_equals,
    &empty_name,        NULL,
};

/* ---- helpers ---- */

/* Whether word @p w's text is known before the script runs. */
static bool word_is_static(const struct ast_word *w)
{
    return ast_word_is_static(w) && !lint_has_foreign_tag(w->text, w->len);
}

/* Commands whose first positional argument names a setting: those that
 * store one, and `show`. */
static bool takes_setting(unsigned id)
{
    return id == CMD_ID_SHOW || lint_cmd_stores_setting((enum cmd_id)id);
}

/* Commands that parse a text value into the setting they name. */
static bool parses_into(unsigned id)
{
    return id == CMD_ID_SET || id == CMD_ID_READ || id == CMD_ID_CHOOSE;
}

/* `[block/]name[:type]` split as iPXE does (spec §3.1): the first '/' ends
 * the block, the first ':' after it starts the type. */
struct setname {
    uint32_t name;      /**< offset of the name in the text */
    uint32_t nlen;      /**< its length */
    uint32_t block_len; /**< length of the block, 0 if none */
    bool has_block;     /**< a '/' was there */
    uint32_t type;      /**< offset of the type, or UINT32_MAX */
    uint32_t tlen;      /**< its length */
};

static void setname_split(const char *text, uint32_t len, struct setname *out)
{
    const char *slash = memchr(text, '/', len);
    const char *colon;
    uint32_t from = 0;

    memset(out, 0, sizeof(*out));
    out->type = UINT32_MAX;
    if (slash) {
        out->has_block = true;
        out->block_len = (uint32_t)(slash - text);
        from = out->block_len + 1;
    }
    colon = memchr(text + from, ':', len - from);
    out->name = from;
    out->nlen = (colon ? (uint32_t)(colon - text) : len) - from;
    if (colon) {
        out->type = (uint32_t)(colon - text) + 1;
        out->tlen = len - out->type;
    }
}

/* Blocks whose settings are named by raw tags in their own syntax
 * (spec §3.4): nothing is known about names there. */
static bool is_raw_block(const char *block, uint32_t len)
{
    static const char *const names[] = {"pci",  "usb", "smbios", "cpuid",
                                        "acpi", "efi", "vmware", "memmap"};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strlen(names[i]) == len && memcmp(block, names[i], len) == 0)
            return true;
    }
    return false;
}

/* The known type closest to @p name, or NULL. */
static const char *suggest_type(const char *name, size_t len)
{
    size_t n, i;
    const struct settings_type *types = settings_types(&n);
    const char *best = NULL;
    unsigned best_d = 3;

    for (i = 0; i < n; i++) {
        size_t tl = strlen(types[i].name), k;
        unsigned d;
        if (tl == len) {
            for (k = 0; k < len; k++) {
                char c = name[k];
                if (c >= 'A' && c <= 'Z')
                    c = (char)(c - 'A' + 'a');
                if (c != types[i].name[k])
                    break;
            }
            if (k == len)
                return types[i].name;
        }
        /* `int` and `uint` are what people write for int32/uint32 */
        if (len + 2 == tl && strncmp(types[i].name, name, len) == 0 &&
            strcmp(types[i].name + len, "32") == 0)
            return types[i].name;
        /* `hexhyphen`, `ipv4addr`: a known type with something added; the
         * longest such type wins (`hexhyp` over `hex`) */
        if (tl >= 3 && len > tl && strncmp(types[i].name, name, tl) == 0 &&
            (!best || best_d > 0 || strlen(best) < tl)) {
            best = types[i].name;
            best_d = 0;
            continue;
        }
        d = lint_distance(name, len, types[i].name, tl, 2);
        if (d < best_d) {
            best_d = d;
            best = types[i].name;
        }
    }
    return best;
}

/* ---- per command: setting arguments and values ---- */

/* Check the type of setting name @p text (static, @p len bytes) that word
 * @p w holds from raw offset @p at; @p stores says the command parses a
 * value into it.  Returns the type, or NULL. */
static const struct settings_type *
check_name_type(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                const char *text, uint32_t len, uint32_t at, bool stores)
{
    struct setname sn;
    const struct settings_type *t;
    struct diag *dg;
    struct span tspan;

    setname_split(text, len, &sn);
    if (sn.type == UINT32_MAX)
        return NULL;
    tspan = lint_span(at + sn.type, at + sn.type + sn.tlen);
    t = settings_type_find(text + sn.type, sn.tlen);
    if (!t) {
        const char *fix = suggest_type(text + sn.type, sn.tlen);
        dg = lint_report(ctx, &unknown_type, tspan,
                         "'%s %s' fails with 'invalid setting': iPXE has no "
                         "setting type '%s', so the script stops here",
                         cmd->call.def->name, lint_show(ctx, text, len),
                         lint_show(ctx, text + sn.type, sn.tlen));
        if (dg && fix) {
            diag_hint(lint_diags(ctx), dg, "did you mean '%s'?", fix);
            diag_fix(lint_diags(ctx), dg, tspan, fix);
        }
        return NULL;
    }
    if (stores && !settings_type_storable(t)) {
        lint_report(ctx, &format_only_type, tspan,
                    "'%s %s' fails: iPXE can show a %s value but cannot "
                    "parse one, so storing it fails with 'Operation not "
                    "supported'",
                    cmd->call.def->name, lint_show(ctx, text, len), t->name);
    }
    return t;
}

/* The value of `set name value...` joined with single spaces, as
 * concat_args does (arena), or NULL if some word is only known at run
 * time. */
static const char *set_value(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                             uint32_t *len)
{
    const struct ast_segment *seg = cmd->seg;
    uint32_t from = cmd->call.first_arg + 1, end = seg->argc, i, n = 0;
    char *out, *p;

    for (i = from; i < end; i++) {
        if (!word_is_static(seg->argv[i]))
            return NULL;
        n += seg->argv[i]->len + 1;
    }
    out = arena_alloc(lint_arena(ctx), n + 1);
    if (!out)
        return NULL;
    p = out;
    for (i = from; i < end; i++) {
        if (i > from)
            *p++ = ' ';
        memcpy(p, seg->argv[i]->text, seg->argv[i]->len);
        p += seg->argv[i]->len;
    }
    *len = (uint32_t)(p - out);
    return out;
}

/* Whether setting word @p text has an '=' in its name: after the first
 * byte, before any ':'. */
static bool equals_in_name(const char *text, uint32_t len)
{
    const char *eq = memchr(text, '=', len);
    const char *colon = memchr(text, ':', len);

    return eq && eq > text && (!colon || eq < colon);
}

/* IPX2204, IPX2206, IPX2208 and the format-only predefined settings. */
static void check_set(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                      const struct settings_type *explicit_type)
{
    const struct ast_segment *seg = cmd->seg;
    const struct ast_word *w = seg->argv[cmd->call.first_arg];
    const struct settings_type *t = explicit_type;
    struct setname sn;
    const char *value;
    uint32_t vlen = 0;
    struct diag *dg;

    setname_split(w->text, w->len, &sn);

    /* `set x=1` and `set x = 1`: an '=' before any ':' type (a URL value
     * after it has its own '/' and ':') */
    if (equals_in_name(w->text, w->len)) {
        const char *eq = memchr(w->text, '=', w->len);
        uint32_t nl = (uint32_t)(eq - w->text);
        dg = lint_report(ctx, &set_equals, w->span,
                         "'set %s' is not an assignment: iPXE's set takes "
                         "the name and the value as separate words, so "
                         "'%s' is never set",
                         lint_show(ctx, w->text, w->len),
                         lint_show(ctx, w->text, nl));
        if (dg && !(w->flags & AST_W_CONT))
            diag_fix(lint_diags(ctx), dg,
                     lint_span(w->span.start + nl, w->span.start + nl + 1),
                     " ");
        return;
    }
    if (cmd->call.nargs >= 3 &&
        ast_word_is(seg->argv[cmd->call.first_arg + 1], "=")) {
        const struct ast_word *eq = seg->argv[cmd->call.first_arg + 1];
        dg = lint_report(ctx, &set_equals, eq->span,
                         "'set %s = ...' stores the '=' as part of the value: "
                         "iPXE's set takes the name and the value with no "
                         "'=' between them",
                         lint_show(ctx, w->text, w->len));
        if (dg)
            diag_fix(lint_diags(ctx), dg,
                     lint_span(eq->span.start,
                               seg->argv[cmd->call.first_arg + 2]->span.start),
                     "");
        return;
    }

    if (sn.has_block && is_raw_block(w->text, sn.block_len))
        return;
    if (!t)
        t = settings_predef_find(w->text + sn.name, sn.nlen);

    /* IPX2204: interface settings stored in the global block */
    if (!sn.has_block && cmd->call.nargs >= 2 &&
        ((sn.nlen == 2 && memcmp(w->text + sn.name, "ip", 2) == 0) ||
         (sn.nlen == 7 && memcmp(w->text + sn.name, "netmask", 7) == 0) ||
         (sn.nlen == 7 && memcmp(w->text + sn.name, "gateway", 7) == 0))) {
        dg = lint_report(ctx, &unscoped_interface, w->span,
                         "'set %.*s' stores '%.*s' in the global settings, "
                         "which configure no interface: iPXE reads an "
                         "interface's address from that interface's block",
                         (int)sn.nlen, w->text + sn.name, (int)sn.nlen,
                         w->text + sn.name);
        if (dg)
            diag_hint(lint_diags(ctx), dg,
                      "use 'net0/%.*s' (or 'netX/%.*s' for the interface "
                      "opened last)",
                      (int)sn.nlen, w->text + sn.name, (int)sn.nlen,
                      w->text + sn.name);
    }

    if (!t || cmd->call.nargs < 2)
        return;
    value = set_value(ctx, cmd, &vlen);
    if (!value)
        return;
    if (!settings_type_storable(t)) {
        if (!explicit_type)
            lint_report(ctx, &format_only_type, w->span,
                        "'set %s' fails: iPXE formats '%.*s' as %s but has "
                        "no parser for that type, so storing it fails with "
                        "'Operation not supported'",
                        lint_show(ctx, w->text, w->len), (int)sn.nlen,
                        w->text + sn.name, t->name);
        return;
    }
    if (!settings_value_parses(t, value, vlen)) {
        const struct ast_word *a = seg->argv[cmd->call.first_arg + 1];
        const struct ast_word *b = seg->argv[seg->argc - 1];
        lint_report(ctx, &bad_value, lint_span(a->span.start, b->span.end),
                    "'%s' is not a valid %s value, so 'set %s' fails and the "
                    "script stops here",
                    lint_show(ctx, value, vlen), t->name,
                    lint_show(ctx, w->text, w->len));
    }
}

/* Whether @p w is static text that reads like a setting name. */
static bool looks_like_name(const struct ast_word *w)
{
    uint32_t i;

    if (!w->len || !word_is_static(w))
        return false;
    for (i = 0; i < w->len; i++) {
        char c = w->text[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
              c == '/' || c == ':'))
            return false;
    }
    return true;
}

/* Whether command @p cmd can run at all: its line is reachable, no
 * `goto` or `exit` before it on the line leaves first, and it is not the
 * `|| cmd` after an empty segment (which succeeds). */
static bool cmd_may_run(const struct lint_cmd *cmd)
{
    const struct lint_line *ll = cmd->ll;
    const struct ast_word *op = lint_cmd_op_before(cmd);
    uint32_t k;

    if (!ll->reachable)
        return false;
    for (k = 0; k < lint_cmd_index(cmd); k++) {
        unsigned id = lint_cmd_id(&ll->cmds[k]);
        if (id == CMD_ID_GOTO || id == CMD_ID_EXIT)
            return false;
    }
    return !(lint_cmd_index(cmd) == 1 && op->kind == AST_OR &&
             ll->cmds[0].seg->argc == 0);
}

/* IPX2203: `isset foo`, `iseq a b`. */
static void check_literal_test(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                               unsigned id)
{
    const struct ast_segment *seg = cmd->seg;
    const struct cmd_call *call = &cmd->call;
    struct diag_list *dl = lint_diags(ctx);
    struct diag *dg;

    if (call->error != CMD_OK)
        return;
    if (id == CMD_ID_ISSET && call->nargs == 1) {
        const struct ast_word *w = seg->argv[call->first_arg];
        const char *n = w->text;
        uint32_t nl = w->len;
        if (!word_is_static(w) || (w->flags & AST_W_CONT))
            return;
        if (nl > 1 && n[0] == '$') {
            n++;
            nl--;
        }
        dg = lint_report_at(ctx, &literal_test, DIAG_WARNING, w->span,
                            "'isset %s' tests the literal word '%s', which is "
                            "never empty, so it always succeeds",
                            lint_show(ctx, w->text, w->len),
                            lint_show(ctx, w->text, w->len));
        if (dg && looks_like_name(w) && nl) {
            char *fix = arena_printf(lint_arena(ctx), "${%.*s}", (int)nl, n);
            if (fix) {
                diag_hint(dl, dg, "did you mean 'isset %s'?", fix);
                diag_fix(dl, dg, w->span, fix);
            }
        }
        return;
    }
    if (id == CMD_ID_ISEQ && call->nargs == 2) {
        const struct ast_word *a = seg->argv[call->first_arg];
        const struct ast_word *b = seg->argv[call->first_arg + 1];
        bool same, stops;
        if (!word_is_static(a) || !word_is_static(b))
            return;
        same = a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
        if (same) {
            lint_report_at(ctx, &literal_test, DIAG_WARNING,
                           lint_span(a->span.start, b->span.end),
                           "'iseq %s %s' compares two constant words: it "
                           "always succeeds",
                           lint_show(ctx, a->text, a->len),
                           lint_show(ctx, b->text, b->len));
            return;
        }
        stops = cmd_may_run(cmd) && !lint_failure_caught(seg);
        dg = lint_report_at(
            ctx, &literal_test, stops ? DIAG_ERROR : DIAG_WARNING,
            lint_span(a->span.start, b->span.end),
            "'iseq %s %s' compares two different constant "
            "words: it always fails%s",
            lint_show(ctx, a->text, a->len), lint_show(ctx, b->text, b->len),
            stops ? ", and the script stops here" : "");
        if (dg) {
            const struct ast_word *v = NULL;
            if (looks_like_name(a) && lint_setting_known(ctx, a->text, a->len))
                v = a;
            else if (looks_like_name(b) &&
                     lint_setting_known(ctx, b->text, b->len))
                v = b;
            if (v) {
                char *fix = arena_printf(lint_arena(ctx), "${%.*s}",
                                         (int)v->len, v->text);
                if (fix) {
                    diag_hint(dl, dg, "did you mean '%s'?", fix);
                    if (!(v->flags & AST_W_CONT))
                        diag_fix(dl, dg, v->span, fix);
                }
            }
        }
    }
}

static void check_command(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    unsigned id = lint_cmd_id(cmd);
    const struct cmd_call *call = &cmd->call;
    const struct settings_type *t = NULL;
    uint32_t i;

    if (id == CMD_ID_NONE)
        return;
    if (call->nargs && takes_setting(id) && call->first_arg < cmd->seg->argc) {
        const struct ast_word *w = cmd->seg->argv[call->first_arg];
        /* a name split by a continuation is too rare to map back */
        if (word_is_static(w) && !(w->flags & AST_W_CONT)) {
            bool stores =
                parses_into(id) && (id != CMD_ID_SET || call->nargs >= 2);
            t = check_name_type(ctx, cmd, w->text, w->len, w->span.start,
                                stores);
            if (id == CMD_ID_SET)
                check_set(ctx, cmd, t);
        }
    }
    for (i = 0; i < call->nopts; i++) {
        const struct cmd_optval *ov = &call->opts[i];
        if (ov->opt->value != CMD_VAL_SETTING || !ov->vtext)
            continue;
        if (ov->value && !word_is_static(ov->value))
            continue;
        if (ov->value && ov->value->text == ov->vtext &&
            !(ov->value->flags & AST_W_CONT))
            check_name_type(ctx, cmd, ov->vtext, ov->vlen,
                            ov->value->span.start, true);
    }
    if (id == CMD_ID_ISSET || id == CMD_ID_ISEQ)
        check_literal_test(ctx, cmd, id);
}

/* ---- per script: expansions (IPX2201, IPX2205, IPX2207) ---- */

/* A setting used but not known, in order of first use. */
struct unknown {
    const char *name;  /**< the name (borrowed) */
    uint32_t len;      /**< its length */
    struct span first; /**< the name in its first use */
    const char *whole; /**< that use's text inside `${...}` (borrowed) */
    uint32_t wlen;     /**< its length */
    uint32_t count;    /**< uses */
};

/* A uint check left for the end, when stores further down decide it. */
struct pending_check {
    const struct lint_cmd *cmd; /**< the command */
    size_t nuints;              /**< uints known when it ran */
};

/*
 * What the script-wide pass collects, line by line (on_line, while the
 * engine has the line at hand), for the findings at the end.  What needs
 * the whole file is kept until then: a name used before the `set` that
 * stores it, the items a later `present` turns into settings, a uint
 * check whose setting may get a uint type further down.
 */
struct scan {
    struct lint_ctx *ctx;
    const char *data;          /**< the source bytes */
    uint32_t nlines;           /**< lines scanned so far */
    struct nameset stored;     /**< names the script stores (for hints) */
    struct nameset uints;      /**< names stored with a uint type */
    struct nameset unknown_ix; /**< unknown name -> index into unknown */
    struct unknown *unknown;   /**< (malloc) names used that the engine does
                                    not know; those stored are left out at
                                    the end */
    size_t nunknown, unknown_cap;
    const struct ast_word **items; /**< (malloc) menu item names: settings
                                        if some `present` shows a form */
    size_t nitems, items_cap;
    struct pending_check *pending; /**< (malloc) */
    size_t npending, pending_cap;
    bool final;   /**< every store is known: nothing is "later" */
    bool present; /**< a form is presented */
    const struct ast_word *isset_arg; /**< the word being scanned is what
                                           an `isset` tests (or NULL) */
    bool isset_caught; /**< ... and a failure of that `isset` is caught */
    const struct ast_word *word; /**< the word being scanned */
    bool word_is_name; /**< it names the command, or is a test's operand */
    bool any_name;     /**< a setting name is built at run time */
    bool top_level;    /**< brings up the network itself: no parent
                            script sets anything for it */
    bool oom;          /**< memory ran out: stop reporting */
};

/* Record that the script stores the setting word @p w names. */
static void scan_store(struct scan *sc, const struct ast_word *w)
{
    struct setname sn;

    if (!word_is_static(w)) {
        sc->any_name = true;
        return;
    }
    setname_split(w->text, w->len, &sn);
    if (!sn.nlen)
        return;
    if (nameset_add(&sc->stored, w->text + sn.name, sn.nlen, 0))
        sc->oom = true;
    if (sn.type != UINT32_MAX) {
        const struct settings_type *t =
            settings_type_find(w->text + sn.type, sn.tlen);
        if (t && settings_type_is_uint(t) &&
            nameset_add(&sc->uints, w->text + sn.name, sn.nlen, 0))
            sc->oom = true;
    }
}

/* Whether @p a and @p b differ only in case and in '-', '_' or '.'
 * (`boot-url` and `booturl`, `BootURL` and `boot_url`). */
static bool same_but_punct(const char *a, size_t alen, const char *b,
                           size_t blen)
{
    size_t i = 0, j = 0;

    for (;;) {
        char x, y;
        while (i < alen && (a[i] == '-' || a[i] == '_' || a[i] == '.'))
            i++;
        while (j < blen && (b[j] == '-' || b[j] == '_' || b[j] == '.'))
            j++;
        if (i == alen || j == blen)
            return i == alen && j == blen;
        x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] - 'A' + 'a') : a[i];
        y = b[j] >= 'A' && b[j] <= 'Z' ? (char)(b[j] - 'A' + 'a') : b[j];
        if (x != y)
            return false;
        i++;
        j++;
    }
}

/* How close @p cand is to @p name as a typo: 0 for the same name but
 * for case and punctuation, 1 or 2 for that many edits in a long enough
 * name, or 3 for not close.  Short names are too often different
 * variables (`iqn`, `iqn0`) to guess at. */
static unsigned typo_distance(const char *name, size_t len, const char *cand,
                              size_t clen)
{
    unsigned d;

    if (same_but_punct(name, len, cand, clen))
        return 0;
    d = lint_distance(name, len, cand, clen, 2);
    if (d == 1 && len >= 6 && clen >= 6)
        return 1;
    if (d == 2 && len >= 10 && clen >= 10)
        return 2;
    return 3;
}

/* Comparisons of unknown names against stored ones allowed per file: the
 * search is quadratic, and a generated script may hold thousands of each. */
#define SUGGEST_BUDGET 2000000u

/* The name @p name is most likely a typo of, among those the script
 * stores and iPXE predefines, or NULL. */
static const char *suggest_name(struct scan *sc, const char *name, size_t len,
                                size_t nunknown, size_t *out_len)
{
    unsigned best_d = 3, d;
    const char *best = NULL;
    size_t i, best_len = 0;
    const char *p;

    if (sc->stored.len * nunknown > SUGGEST_BUDGET) {
        *out_len = 0;
        return NULL;
    }
    for (i = 0; i < sc->stored.cap; i++) {
        const struct nameset_slot *st = &sc->stored.slots[i];
        if (!st->key)
            continue;
        d = typo_distance(name, len, st->key, st->len);
        if (d < best_d) {
            best_d = d;
            best = st->key;
            best_len = st->len;
        }
    }
    for (i = 0; (p = settings_predef_name(i)) != NULL; i++) {
        size_t pl = strlen(p);
        d = typo_distance(name, len, p, pl);
        if (d < best_d) {
            best_d = d;
            best = p;
            best_len = pl;
        }
    }
    *out_len = best_len;
    return best;
}

static void note_unknown(struct scan *sc, const struct ast_part *x,
                         const char *name, uint32_t len, struct span at)
{
    uint32_t ix;

    if (nameset_get(&sc->unknown_ix, name, len, &ix)) {
        sc->unknown[ix].count++;
        return;
    }
    if (!lint_grow(&sc->unknown, &sc->nunknown, &sc->unknown_cap,
                   sizeof(*sc->unknown))) {
        sc->oom = true;
        return;
    }
    sc->unknown[sc->nunknown].name = name;
    sc->unknown[sc->nunknown].len = len;
    sc->unknown[sc->nunknown].first = at;
    sc->unknown[sc->nunknown].count = 1;
    sc->unknown[sc->nunknown].whole = sc->data + x->span.start + 2;
    sc->unknown[sc->nunknown].wlen = x->span.end - x->span.start - 3;
    if (nameset_add(&sc->unknown_ix, name, len, (uint32_t)sc->nunknown))
        sc->oom = true;
    sc->nunknown++;
}

/* Whether any of @p parts lies in raw bytes [from, to). */
static bool parts_within(const struct ast_part *parts, uint32_t from,
                         uint32_t to)
{
    const struct ast_part *p;

    for (p = parts; p; p = p->next) {
        if (p->span.start < to && p->span.end > from)
            return true;
    }
    return false;
}

/* IPX2201 for `${name:type}`. */
static void check_expand_type(struct scan *sc, const struct ast_part *x)
{
    const char *data = sc->data;
    uint32_t from, to = x->span.end - 1;
    const struct settings_type *t;
    struct diag *dg;
    const char *fix;

    if (x->colon == AST_NONE)
        return;
    from = x->colon + 1;
    if (parts_within(x->children, from, to))
        return;
    t = settings_type_find(data + from, to - from);
    if (t)
        return;
    if (to > from && data[from] == '-') {
        lint_report_at(sc->ctx, &unknown_type, DIAG_WARNING,
                       lint_span(x->colon, to),
                       "'%s' is shell syntax: iPXE has no default values, it "
                       "reads '%s' as a setting type that does not exist, so "
                       "the expansion is always empty",
                       lint_show(sc->ctx, data + x->span.start,
                                 x->span.end - x->span.start),
                       lint_show(sc->ctx, data + from, to - from));
        return;
    }
    fix = suggest_type(data + from, to - from);
    dg = lint_report_at(
        sc->ctx, &unknown_type, DIAG_WARNING, lint_span(from, to),
        "'%s' always expands to nothing: iPXE has no setting "
        "type '%s'",
        lint_show(sc->ctx, data + x->span.start, x->span.end - x->span.start),
        lint_show(sc->ctx, data + from, to - from));
    if (dg && fix) {
        diag_hint(lint_diags(sc->ctx), dg, "did you mean '%s'?", fix);
        diag_fix(lint_diags(sc->ctx), dg, lint_span(from, to), fix);
    }
}

/* The name part of expansion @p x, if it is static: false otherwise. */
static bool expand_name(struct scan *sc, const struct ast_part *x,
                        uint32_t *from, uint32_t *to, bool *raw_block)
{
    uint32_t start = x->span.start + 2, end = x->span.end - 1;

    *raw_block = false;
    if (x->slash != AST_NONE) {
        if (parts_within(x->children, start, x->slash))
            return false;
        *raw_block = is_raw_block(sc->data + start, x->slash - start);
        start = x->slash + 1;
    }
    if (x->colon != AST_NONE)
        end = x->colon;
    if (parts_within(x->children, start, end))
        return false;
    *from = start;
    *to = end;
    return true;
}

/* IPX2209: `${}` and `${net0/}` name no setting (spec §2.5). */
static void check_empty_name(struct scan *sc, const struct ast_part *x)
{
    const char *text = lint_show(sc->ctx, sc->data + x->span.start,
                                 x->span.end - x->span.start);
    const struct ast_word *w = sc->isset_arg;

    if (w && x->span.start == w->span.start && x->span.end == w->span.end) {
        lint_report_at(sc->ctx, &empty_name,
                       sc->isset_caught ? DIAG_WARNING : DIAG_ERROR, x->span,
                       "'isset %s' always fails%s: the expansion names no "
                       "setting, so its value is always empty",
                       text,
                       sc->isset_caught ? "" : " and the script stops here");
        return;
    }
    /* a word of its own in text (`echo -n Name: ${} && read name`) is
     * the idiom for an empty argument: a trailing space, or spacing */
    if (sc->word && x->span.start == sc->word->span.start &&
        x->span.end == sc->word->span.end && !sc->word_is_name)
        return;
    lint_report(sc->ctx, &empty_name, x->span,
                "'%s' always expands to nothing: it names no setting", text);
}

/* Every expansion in @p parts, depth first. */
static void scan_parts(struct scan *sc, const struct ast_part *parts)
{
    const struct ast_part *x;

    for (x = parts; x; x = x->next) {
        uint32_t from, to;
        bool raw;
        if (x->kind != AST_PART_EXPAND ||
            lint_has_foreign_tag(sc->data + x->span.start,
                                 x->span.end - x->span.start))
            continue;
        scan_parts(sc, x->children);
        check_expand_type(sc, x);
        if (!expand_name(sc, x, &from, &to, &raw) || raw)
            continue;
        if (from == to) {
            check_empty_name(sc, x);
            continue;
        }
        if (lint_setting_known(sc->ctx, sc->data + from, to - from))
            continue;
        /* `isset ${x}` is how a script asks whether x is set: that it may
         * not be is the point, not a mistake */
        if (sc->isset_arg && x->span.start == sc->isset_arg->span.start &&
            x->span.end == sc->isset_arg->span.end)
            continue;
        note_unknown(sc, x, sc->data + from, to - from, lint_span(from, to));
    }
}

/* Whether unknown name @p u is stored somewhere in the script after all. */
static bool unknown_stored(const struct scan *sc, const struct unknown *u)
{
    return nameset_get(&sc->stored, u->name, u->len, NULL);
}

/* The hint for names a parent script may set: the directive that says so,
 * naming them all (as many as fit). */
static void hint_external(struct scan *sc, struct diag *dg,
                          const struct unknown *const *names, size_t n)
{
    enum { HINT_NAMES_MAX = 160 };
    /* the names, then ",..." and its NUL when they do not all fit */
    char list[HINT_NAMES_MAX + sizeof(",...")];
    size_t i, len = 0;

    for (i = 0; i < n; i++) {
        const char *name = lint_show(sc->ctx, names[i]->name, names[i]->len);
        size_t k = strlen(name);

        if (len + k + 1 > HINT_NAMES_MAX) {
            memcpy(list + len, ",...", 4);
            len += 4;
            break;
        }
        if (i)
            list[len++] = ',';
        memcpy(list + len, name, k);
        len += k;
    }
    list[len] = '\0';
    diag_hint(lint_diags(sc->ctx), dg,
              "if a parent script sets %s, say so with "
              "'# ipxe-lint external-vars=%s'",
              n > 1 ? "them" : "it", list);
}

/* IPX2205 for names a parent script probably sets (no likely typo, in a
 * script that does not start from nothing): one note for the file, at the
 * first use of the first of them, since a chained script usually leaves
 * many settings to its caller and one note per name buries the rest. */
static void report_hedged(struct scan *sc, const struct unknown *const *h,
                          size_t n)
{
    struct diag *dg;

    if (n == 1) {
        char times[32] = "";
        if (h[0]->count > 1)
            snprintf(times, sizeof(times), " (used %u times)", h[0]->count);
        dg = lint_report_at(
            sc->ctx, &undefined_setting, DIAG_INFO, h[0]->first,
            "'${%s}' is never set in this script and is not an iPXE "
            "setting, so it expands to nothing%s unless a script that "
            "chains this one sets it",
            lint_show(sc->ctx, h[0]->whole, h[0]->wlen), times);
    } else {
        dg = lint_report_at(
            sc->ctx, &undefined_setting, DIAG_INFO, h[0]->first,
            "%zu settings are never set in this script and are not iPXE "
            "settings ('${%s}', '${%s}'%s): they expand to nothing unless "
            "a script that chains this one sets them",
            n, lint_show(sc->ctx, h[0]->name, h[0]->len),
            lint_show(sc->ctx, h[1]->name, h[1]->len), n > 2 ? ", ..." : "");
    }
    if (dg)
        hint_external(sc, dg, h, n);
}

/* IPX2205 in a tree, for names no script on the way to this one sets
 * (and no likely typo): the callers are known, so no hedge, and one
 * finding for the file, as for the hedged ones. */
static void report_tree_unset(struct scan *sc, const struct unknown *const *h,
                              size_t n, bool entry)
{
    const char *where = entry ? "in this script, which is booted first,"
                              : "in this script nor by any script of the "
                                "tree on the way to it,";
    struct diag *dg;

    if (n == 1) {
        char times[32] = "";
        if (h[0]->count > 1)
            snprintf(times, sizeof(times), " (used %u times)", h[0]->count);
        dg = lint_report(sc->ctx, &undefined_setting, h[0]->first,
                         "'${%s}' is set neither %s nor by iPXE, so it "
                         "expands to nothing%s",
                         lint_show(sc->ctx, h[0]->whole, h[0]->wlen), where,
                         times);
    } else {
        dg = lint_report(sc->ctx, &undefined_setting, h[0]->first,
                         "%zu settings are set neither %s nor by iPXE "
                         "('${%s}', '${%s}'%s), so they expand to nothing",
                         n, where, lint_show(sc->ctx, h[0]->name, h[0]->len),
                         lint_show(sc->ctx, h[1]->name, h[1]->len),
                         n > 2 ? ", ..." : "");
    }
    if (dg)
        hint_external(sc, dg, h, n);
}

/* IPX2205: a warning per likely typo (or per name, in a script that
 * starts from nothing), at its first use; one note for the rest. */
static void report_unknown(struct scan *sc)
{
    const struct unknown **hedged;
    size_t i, n = 0, nhedged = 0;
    const struct lint_tree_facts *tree = lint_tree_facts(sc->ctx);
    /* in a tree, what the callers set is known: no hedge */
    bool known_callers = tree && tree->reached;

    for (i = 0; i < sc->nunknown; i++)
        n += !unknown_stored(sc, &sc->unknown[i]);
    hedged = n ? malloc(n * sizeof(*hedged)) : NULL;
    for (i = 0; i < sc->nunknown; i++) {
        const struct unknown *u = &sc->unknown[i];
        size_t slen = 0;
        const char *s;
        struct diag *dg;
        char times[32] = "";

        if (unknown_stored(sc, u))
            continue;
        s = suggest_name(sc, u->name, u->len, n, &slen);
        if (!s && (!sc->top_level || known_callers)) {
            if (hedged)
                hedged[nhedged++] = u;
            continue;
        }
        if (u->count > 1)
            snprintf(times, sizeof(times), " (used %u times)", u->count);
        dg = lint_report(sc->ctx, &undefined_setting, u->first,
                         "'${%s}' is never set in this script and is not "
                         "an iPXE setting, so it expands to nothing%s",
                         lint_show(sc->ctx, u->whole, u->wlen), times);
        if (!dg)
            continue;
        if (s) {
            char *fix = arena_strndup(lint_arena(sc->ctx), s, slen);
            diag_hint(lint_diags(sc->ctx), dg, "did you mean '%s'?",
                      fix ? fix : "");
            if (fix)
                diag_fix(lint_diags(sc->ctx), dg, u->first, fix);
        } else {
            hint_external(sc, dg, &u, 1);
        }
    }
    if (nhedged && known_callers)
        report_tree_unset(sc, hedged, nhedged, tree->entry);
    else if (nhedged)
        report_hedged(sc, hedged, nhedged);
    free(hedged);
}

/* The setting a word that is exactly one `${name[:type]}` reads, with no
 * run-time part: its name span and type, or false. */
static bool word_is_one_expansion(struct scan *sc, const struct ast_word *w,
                                  uint32_t *from, uint32_t *to,
                                  const struct settings_type **type)
{
    const struct ast_part *x = ast_word_parts(w);
    bool raw;

    *type = NULL;
    if (!x || x->next || x->kind != AST_PART_EXPAND ||
        x->span.start != w->span.start || x->span.end != w->span.end ||
        x->children)
        return false;
    if (!expand_name(sc, x, from, to, &raw) || raw)
        return false;
    if (x->colon != AST_NONE) {
        *type = settings_type_find(sc->data + x->colon + 1,
                                   x->span.end - 1 - x->colon - 1);
        if (!*type)
            return false;
    }
    return true;
}

/* Whether setting [from, to) reads as a uint under @p type; @p later is
 * set when it does not yet, but a store further down the script could
 * still make it one. */
static bool reads_as_uint(struct scan *sc, uint32_t from, uint32_t to,
                          const struct settings_type *type, bool *later)
{
    const struct settings_type *p;

    if (type)
        return settings_type_is_uint(type);
    if (nameset_get(&sc->uints, sc->data + from, to - from, NULL))
        return true;
    /* a predefined setting keeps its type when stored without one */
    p = settings_predef_find(sc->data + from, to - from);
    if (p && settings_type_is_uint(p))
        return true;
    *later = !sc->final;
    return false;
}

static bool is_decimal(const char *s, uint32_t len)
{
    uint32_t i;

    if (!len || (len > 1 && s[0] == '0'))
        return false;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return !(len == 1 && s[0] == '0');
}

/* IPX2207: `iseq ${uint} 3`.  Returns whether the answer may change once
 * the stores further down are known (then nothing is reported yet). */
static bool check_uint_iseq(struct scan *sc, const struct lint_cmd *cmd)
{
    const struct ast_segment *seg = cmd->seg;
    bool later = false;
    uint32_t k;

    if (cmd->call.nargs != 2 || cmd->call.error != CMD_OK)
        return false;
    for (k = 0; k < 2; k++) {
        const struct ast_word *v = seg->argv[cmd->call.first_arg + k];
        const struct ast_word *lit = seg->argv[cmd->call.first_arg + 1 - k];
        const struct settings_type *type;
        uint32_t from, to;
        if (!word_is_one_expansion(sc, v, &from, &to, &type) ||
            !word_is_static(lit) || !is_decimal(lit->text, lit->len) ||
            !reads_as_uint(sc, from, to, type, &later))
            continue;
        if (later)
            return true;
        lint_report_at(sc->ctx, &uint_decimal, DIAG_WARNING, v->span,
                       "'%s' holds an unsigned integer, which iPXE expands "
                       "in hex with a '0x' prefix, so it never equals the "
                       "decimal '%s'",
                       lint_show(sc->ctx, v->text, v->len),
                       lint_show(sc->ctx, lit->text, lit->len));
        return false;
    }
    return later;
}

/* IPX2207: a uint expanded into a URI or an image command line.  Returns
 * whether the answer may change once the stores further down are known
 * (then nothing is reported yet). */
static bool check_uint_image(struct scan *sc, const struct lint_cmd *cmd)
{
    const struct ast_segment *seg = cmd->seg;
    bool later = false;
    uint32_t k;

    for (k = cmd->call.first_arg; k < seg->argc; k++) {
        if (!(seg->argv[k]->flags & AST_W_EXPAND))
            continue;
        const struct ast_part *x;
        for (x = ast_word_parts(seg->argv[k]); x; x = x->next) {
            uint32_t from, to;
            bool raw;
            const struct settings_type *type = NULL;
            if (x->kind != AST_PART_EXPAND || x->children ||
                !expand_name(sc, x, &from, &to, &raw) || raw)
                continue;
            if (x->colon != AST_NONE)
                type = settings_type_find(sc->data + x->colon + 1,
                                          x->span.end - 1 - x->colon - 1);
            if ((x->colon != AST_NONE && !type) ||
                !reads_as_uint(sc, from, to, type, &later))
                continue;
            if (later)
                return true;
            lint_report(sc->ctx, &uint_decimal, x->span,
                        "'%s' expands in hex with a '0x' prefix (10 gives "
                        "'0xa'); use '${%.*s:int32}' if the server expects "
                        "a decimal number",
                        lint_show(sc->ctx, sc->data + x->span.start,
                                  x->span.end - x->span.start),
                        (int)(to - from), sc->data + from);
            return false;
        }
    }
    return later;
}

/* Run the uint checks of @p cmd: whether they must run again at the end. */
static bool check_uints(struct scan *sc, const struct lint_cmd *cmd)
{
    switch (lint_cmd_id(cmd)) {
    case CMD_ID_ISEQ:
        return check_uint_iseq(sc, cmd);
    case CMD_ID_IMGFETCH:
    case CMD_ID_IMGSELECT:
    case CMD_ID_IMGEXEC:
    case CMD_ID_IMGARGS:
        return check_uint_image(sc, cmd);
    default:
        return false;
    }
}

static void *scan_new(struct lint_ctx *ctx)
{
    struct scan *sc = arena_zalloc(lint_arena(ctx), sizeof(*sc));

    if (sc) {
        sc->ctx = ctx;
        sc->data = lint_source_of(ctx)->data;
    }
    return sc;
}

/* lint_memo()'s key for the family's scan */
static const char scan_key;

/* What line @p ll stores, and the expansions it reads. */
/* @p w if it is the word an `isset` of line @p ll tests, else NULL. */
static const struct ast_word *isset_argument(const struct lint_line *ll,
                                             const struct ast_word *w)
{
    uint32_t k;

    for (k = 0; k < ll->ncmds; k++) {
        const struct lint_cmd *cmd = &ll->cmds[k];
        if (lint_cmd_is(cmd, CMD_ID_ISSET) && cmd->call.nargs == 1 &&
            cmd->seg->argv[cmd->call.first_arg] == w)
            return w;
    }
    return NULL;
}

static void scan_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    struct scan *sc = lint_memo(ctx, &scan_key, scan_new);
    const struct ast_segment *seg;
    uint32_t k, o;

    if (!sc || sc->oom || lint_line_index(ctx, ll) != sc->nlines)
        return;
    sc->nlines++;
    for (k = 0; k < ll->ncmds; k++) {
        const struct lint_cmd *cmd = &ll->cmds[k];
        const struct cmd_call *call = &cmd->call;
        unsigned id = lint_cmd_id(cmd);

        if (id == CMD_ID_NONE)
            continue;
        if (id == CMD_ID_PRESENT)
            sc->present = true;
        /* `isset ${ip} || dhcp` is how a chained menu makes sure */
        if ((id == CMD_ID_IFCONF || id == CMD_ID_IFOPEN ||
             id == CMD_ID_AUTOBOOT) &&
            lint_cmd_index(cmd) == 0)
            sc->top_level = !lint_is_subscript(ctx);
        if (!call->nargs || call->first_arg >= cmd->seg->argc)
            continue;
        if (takes_setting(id) && id != CMD_ID_SHOW) {
            scan_store(sc, cmd->seg->argv[call->first_arg]);
        } else if (id == CMD_ID_ITEM && !cmdparse_opt(call, "gap")) {
            /* a form's item stores a setting when `present` shows it */
            if (lint_grow(&sc->items, &sc->nitems, &sc->items_cap,
                          sizeof(*sc->items)))
                sc->items[sc->nitems++] = cmd->seg->argv[call->first_arg];
            else
                sc->oom = true;
        }
        for (o = 0; o < call->nopts; o++) {
            const struct cmd_optval *ov = &call->opts[o];
            if (ov->opt->value == CMD_VAL_SETTING && ov->value &&
                ov->value->text == ov->vtext)
                scan_store(sc, ov->value);
        }
    }
    if (!(ll->line->flags & AST_L_ERROR)) {
        for (seg = ll->line->segs; seg; seg = seg->next) {
            for (k = 0; k < seg->argc; k++) {
                if (!(seg->argv[k]->flags & AST_W_EXPAND))
                    continue;
                sc->isset_arg = isset_argument(ll, seg->argv[k]);
                sc->isset_caught = lint_failure_caught(seg);
                sc->word = seg->argv[k];
                sc->word_is_name = k == 0 || ast_word_is(seg->argv[0], "iseq");
                scan_parts(sc, ast_word_parts(seg->argv[k]));
                sc->isset_arg = NULL;
                sc->word = NULL;
            }
        }
    }
    for (k = 0; k < ll->ncmds; k++) {
        const struct lint_cmd *cmd = &ll->cmds[k];

        if (!check_uints(sc, cmd))
            continue;
        if (!lint_grow(&sc->pending, &sc->npending, &sc->pending_cap,
                       sizeof(*sc->pending))) {
            sc->oom = true;
            break;
        }
        sc->pending[sc->npending].cmd = cmd;
        sc->pending[sc->npending].nuints = sc->uints.len;
        sc->npending++;
    }
}

static void check_script(struct lint_ctx *ctx)
{
    struct scan *sc = lint_memo(ctx, &scan_key, scan_new);
    size_t n, i;
    const struct lint_line *lines = lint_lines(ctx, &n);
    size_t nuints;

    if (!sc)
        return;
    /* lines the engine did not show (none, normally) */
    for (i = sc->nlines; i < n && !sc->oom; i++)
        scan_line(ctx, &lines[i]);
    for (i = 0; sc->present && i < sc->nitems && !sc->oom; i++)
        scan_store(sc, sc->items[i]);
    /* the uint checks a later store could change: again, if one did */
    nuints = sc->uints.len;
    for (i = 0; i < sc->npending && !sc->oom; i++) {
        if (sc->pending[i].nuints < nuints) {
            sc->final = true; /* every store is known: report */
            check_uints(sc, sc->pending[i].cmd);
        }
    }
    if (!sc->oom && !sc->any_name && !lint_setting_known(ctx, "*", 1))
        report_unknown(sc);
    nameset_release(&sc->stored);
    nameset_release(&sc->uints);
    nameset_release(&sc->unknown_ix);
    free(sc->unknown);
    free(sc->items);
    free(sc->pending);
}
