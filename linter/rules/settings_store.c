/* SPDX-License-Identifier: MIT */
/** @file What `inc` and `show` need from a setting's store: `inc` of a
 *  setting that holds text (IPX2210) and `show` or `inc` in a settings
 *  block that does not exist (IPX2211).  Both were found by running
 *  scripts in iPXE itself (tests/judge).
 *
 * `set NAME VALUE` stores VALUE as a string unless NAME says `:int32` (or
 * another type); `inc` reads the number back and stores it with the type
 * the setting has, and a string has no way to store a number, so `inc`
 * fails ("Operation not supported").  `show` and `inc` look their block
 * up without creating it, unlike `set` (spec §3.2), so a block nothing
 * created is "invalid setting".
 */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "nameset.h"
#include "settings_table.h"

static void check_store(struct lint_ctx *ctx);

static const struct lint_rule inc_on_text = {
    .code = "IPX2210",
    .name = "inc-on-text",
    .sev = DIAG_ERROR,
    .summary = "'inc' of a setting 'set' stored as text: it fails with "
               "'Operation not supported'",
    .on_script = check_store,
};

static const struct lint_rule unknown_block = {
    .code = "IPX2211",
    .name = "unknown-settings-block",
    .sev = DIAG_WARNING,
    .summary = "'show' or 'inc' in a settings block nothing created: "
               "'invalid setting'",
    .on_script = check_store, /* one pass for both */
};

const struct lint_rule *const lint_rules_settings_store[] = {
    &inc_on_text,
    &unknown_block,
    NULL,
};

/* What file order knows a setting holds. */
enum held {
    HELD_NONE = 0, /**< unset, or deleted */
    HELD_TEXT,     /**< a string (an untyped `set` with a value) */
    HELD_NUMBER,   /**< stored with an integer type, or by `inc` */
    HELD_OTHER,    /**< stored by something else (read, choose, ...) */
};

struct store_state {
    struct nameset names; /**< block/name (no type) -> index into held */
    uint8_t *held;        /**< (malloc) enum held, per name */
    size_t nheld, capheld;
    struct nameset blocks; /**< first components of blocks the script
                                creates (set a/b autovivifies `a`) */
    bool dynamic;          /**< some stored name is only known at run time */
    bool oom;
};

/* The name of static word @p w without its `:type`; the length of its
 * block's first component (up to '.' or '/') in @p blen, 0 if none. */
static uint32_t split(const struct ast_word *w, uint32_t *blen, bool *typed)
{
    const char *slash = memchr(w->text, '/', w->len);
    uint32_t from = slash ? (uint32_t)(slash - w->text) + 1 : 0;
    const char *colon = memchr(w->text + from, ':', w->len - from);
    uint32_t i;

    *blen = 0;
    if (slash) {
        for (i = 0; i < from - 1 && w->text[i] != '.'; i++)
            ;
        *blen = i;
    }
    *typed = colon != NULL;
    return colon ? (uint32_t)(colon - w->text) : w->len;
}

/* The index of @p len bytes of @p w in st->held, added if new; -1 when
 * memory ran out. */
static long held_index(struct store_state *st, const char *name, uint32_t len)
{
    uint32_t now;

    if (!lint_grow(&st->held, &st->nheld, &st->capheld, 1) ||
        nameset_put(&st->names, name, len, (uint32_t)st->nheld, &now)) {
        st->oom = true;
        return -1;
    }
    if (now == st->nheld)
        st->held[st->nheld++] = HELD_NONE;
    return now;
}

/* Whether @p len bytes at @p b name a block iPXE makes itself. */
static bool builtin_block(const char *b, uint32_t len)
{
    static const char *const names[] = {
        "builtin", "smbios", "pci",       "usb",   "cpuid", "acpi", "efi",
        "vmware",  "memmap", "proxydhcp", "pxebs", "nvo",   "clp",  "netX",
    };
    size_t i;

    if (len == 0)
        return true; /* `/name`: the root */
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strlen(names[i]) == len && memcmp(b, names[i], len) == 0)
            return true;
    }
    /* net0, net1, ... and VLANs net0-100 */
    if (len > 3 && memcmp(b, "net", 3) == 0 && b[3] >= '0' && b[3] <= '9') {
        for (i = 3; i < len; i++) {
            if (!((b[i] >= '0' && b[i] <= '9') || b[i] == '-'))
                return false;
        }
        return true;
    }
    return false;
}

/* The first static positional argument of @p cmd, or NULL. */
static const struct ast_word *first_static(const struct lint_cmd *cmd)
{
    const struct ast_word *w;

    if (cmd->call.error != CMD_OK || !cmd->call.nargs ||
        cmd->call.first_arg >= cmd->seg->argc)
        return NULL;
    w = cmd->seg->argv[cmd->call.first_arg];
    return w->len && ast_word_is_static(w) && !(w->flags & AST_W_CONT) ? w
                                                                       : NULL;
}

/* Pass 1: the blocks the script creates anywhere. */
static void collect(struct store_state *st, const struct lint_cmd *cmd)
{
    unsigned id = lint_cmd_id(cmd);
    const struct ast_word *w;
    uint32_t blen;
    bool typed;

    if (id == CMD_ID_NONE || !lint_cmd_stores_setting((enum cmd_id)id) ||
        id == CMD_ID_INC)
        return;
    if (!(w = first_static(cmd))) {
        if (cmd->call.nargs)
            st->dynamic = true;
        return;
    }
    split(w, &blen, &typed);
    if (blen && nameset_add(&st->blocks, w->text, blen, 0))
        st->oom = true;
}

/* Pass 2, in file order. */
static void step(struct lint_ctx *ctx, struct store_state *st,
                 const struct lint_cmd *cmd)
{
    unsigned id = lint_cmd_id(cmd);
    const struct ast_word *w = first_static(cmd);
    uint32_t end, blen;
    bool typed, caught = lint_failure_caught(cmd->seg);
    long i;

    if (id == CMD_ID_NONE || !w)
        return;
    end = split(w, &blen, &typed);
    if ((id == CMD_ID_SHOW || id == CMD_ID_INC) && memchr(w->text, '/', end) &&
        !builtin_block(w->text, blen) && !st->dynamic &&
        !nameset_get(&st->blocks, w->text, blen, NULL) && cmd->ll->reachable) {
        lint_report(ctx, &unknown_block, w->span,
                    "'%s %s' fails with 'invalid setting'%s: no line of this "
                    "script creates the block '%s' ('set %.*s/...' would), "
                    "and '%s' does not create it",
                    cmd->call.def->name, lint_show(ctx, w->text, w->len),
                    caught ? "" : " and the script stops here",
                    lint_show(ctx, w->text, blen), (int)blen, w->text,
                    cmd->call.def->name);
        return;
    }
    if (!lint_cmd_stores_setting((enum cmd_id)id))
        return;
    i = held_index(st, w->text, end);
    if (i < 0)
        return;
    if (id == CMD_ID_INC) {
        const char *slash = memchr(w->text, '/', end);
        const char *name = slash ? slash + 1 : w->text;
        uint32_t nlen = end - (uint32_t)(name - w->text);

        if (st->held[i] == HELD_TEXT && !typed && cmd->ll->reachable &&
            !settings_predef_find(name, nlen)) {
            struct diag *dg = lint_report_at(
                ctx, &inc_on_text, caught ? DIAG_WARNING : DIAG_ERROR, w->span,
                "'inc %s' fails with 'Operation not supported'%s: an earlier "
                "'set %.*s' stored text, and a text setting cannot hold the "
                "number 'inc' writes back",
                lint_show(ctx, w->text, w->len),
                caught ? "" : " and the script stops here", (int)end, w->text);
            diag_hint(lint_diags(ctx), dg,
                      "store a number: 'set %.*s:int32 ...'", (int)end,
                      w->text);
        }
        if (st->held[i] != HELD_TEXT)
            st->held[i] = HELD_NUMBER;
        return;
    }
    if (id == CMD_ID_CLEAR) {
        st->held[i] = HELD_NONE;
        return;
    }
    if (id == CMD_ID_SET) {
        const char *colon = typed ? w->text + end + 1 : NULL;
        const struct settings_type *t =
            colon ? settings_type_find(colon, w->len - end - 1) : NULL;

        if (cmd->call.nargs < 2)
            st->held[i] = HELD_NONE; /* an empty value deletes */
        else if (!typed || (t && !strcmp(t->name, "string")))
            st->held[i] = HELD_TEXT;
        else if (t && (settings_type_is_uint(t) || !strncmp(t->name, "int", 3)))
            st->held[i] = HELD_NUMBER;
        else
            st->held[i] = HELD_OTHER;
        return;
    }
    st->held[i] = HELD_OTHER;
}

static void check_store(struct lint_ctx *ctx)
{
    const struct lint_line *lines;
    struct store_state st;
    size_t n, li;
    uint32_t c;

    memset(&st, 0, sizeof(st));
    lines = lint_lines(ctx, &n);
    for (li = 0; li < n; li++) {
        for (c = 0; c < lines[li].ncmds; c++)
            collect(&st, &lines[li].cmds[c]);
    }
    for (li = 0; li < n && !st.oom; li++) {
        for (c = 0; c < lines[li].ncmds; c++)
            step(ctx, &st, &lines[li].cmds[c]);
    }
    nameset_release(&st.names);
    nameset_release(&st.blocks);
    free(st.held);
}
