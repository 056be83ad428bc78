/* SPDX-License-Identifier: MIT */
/** @file Rules on firmware builds: commands a default iPXE build does not
 *  have, and commands that do nothing on the platform in force (spec §4.1,
 *  §6.4 item 45). */
#include "engine.h"

#include <string.h>

#include "arena.h"
#include "cmdtable.h"

/** Room for every command of the table (92 today). */
#define CMDTABLE_SIZE_MAX 128

static void builds_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void check_default_builds(struct lint_ctx *ctx);

static const struct lint_rule not_in_default_build = {
    .code = "IPX3001",
    .name = "not-in-default-build",
    .sev = DIAG_WARNING,
    .summary =
        "a command default iPXE builds (for the platform in force) do not have",
    .on_line = builds_line,
    .on_script = check_default_builds,
};

const struct lint_rule *const lint_rules_platform[] = {
    &not_in_default_build,
    NULL,
};

/** The length of the build flag's name: the JSON's config_flag up to the
 *  first space ("IMAGE_TRUST_CMD (off)" -> "IMAGE_TRUST_CMD"). */
static int flag_len(const char *flag)
{
    const char *sp = strchr(flag, ' ');

    return sp ? (int)(sp - flag) : (int)strlen(flag);
}

/** Report command @p def, first used at @p w and @p uses times in all,
 *  if the builds of the platform in force lack it. */
static void check_default_build(struct lint_ctx *ctx, const struct cmd_def *def,
                                const struct ast_word *w, unsigned uses)
{
    enum lint_platform platform = lint_platform(ctx);
    enum lint_platform lacking = LINT_PLATFORM_ANY; /* builds without it */
    const char *flag = def->config_flag;
    struct diag *dg = NULL;

    if (!def->pcbios && platform != LINT_PLATFORM_EFI)
        lacking = LINT_PLATFORM_PCBIOS;
    else if (!def->efi && platform != LINT_PLATFORM_PCBIOS)
        lacking = LINT_PLATFORM_EFI;
    if (!def->efi && !def->pcbios) {
        dg = lint_report(ctx, &not_in_default_build, w->span,
                         "'%s' is not in default iPXE builds (%.*s is off): "
                         "unless this iPXE was built with it, the command "
                         "fails with 'command not found'",
                         def->name, flag_len(flag), flag);
    } else if (lacking != LINT_PLATFORM_ANY) {
        /* Under --platform any, a one-platform gap is worth a note only */
        bool efi = lacking == LINT_PLATFORM_EFI;

        dg = lint_report_at(
            ctx, &not_in_default_build,
            platform == lacking ? not_in_default_build.sev : DIAG_INFO, w->span,
            "'%s' is not in default %s builds of iPXE "
            "(%.*s): on a %s machine the command fails "
            "with 'command not found'",
            def->name, efi ? "EFI" : "BIOS", flag_len(flag), flag,
            efi ? "UEFI" : "BIOS");
    }
    if (!dg)
        return;
    if (uses > 1)
        diag_hint(lint_diags(ctx), dg,
                  "used %u times in this file (reported once); make sure "
                  "the firmware's iPXE enables %.*s",
                  uses, flag_len(flag), flag);
    else
        diag_hint(lint_diags(ctx), dg,
                  "make sure the firmware's iPXE enables %.*s", flag_len(flag),
                  flag);
}

/** Per command of the table: its first use and how many there are,
 *  gathered line by line (lint_memo()). */
struct builds {
    const struct ast_word *first[CMDTABLE_SIZE_MAX];
    unsigned uses[CMDTABLE_SIZE_MAX];
    uint32_t lines; /**< lines seen */
};

static void *builds_new(struct lint_ctx *ctx)
{
    return arena_zalloc(lint_arena(ctx), sizeof(struct builds));
}

/** lint_memo()'s key for the family's data */
static const char builds_key;

static void builds_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    struct builds *b = lint_memo(ctx, &builds_key, builds_new);
    size_t ncmds;
    const struct cmd_def *all = cmdtable_all(&ncmds);
    uint32_t ci;

    if (!b || lint_line_index(ctx, ll) != b->lines || ncmds > CMDTABLE_SIZE_MAX)
        return;
    b->lines++;
    for (ci = 0; ci < ll->ncmds; ci++) {
        const struct lint_cmd *cmd = &ll->cmds[ci];
        const struct cmd_def *def = lint_known_def(cmd);
        size_t k;

        if (!def || (def->efi && def->pcbios))
            continue;
        k = (size_t)(def - all);
        if (!b->first[k])
            b->first[k] = lint_name_word(cmd);
        b->uses[k]++;
    }
}

static void check_default_builds(struct lint_ctx *ctx)
{
    struct builds *b = lint_memo(ctx, &builds_key, builds_new);
    size_t ncmds, nlines, i;
    const struct cmd_def *all = cmdtable_all(&ncmds);
    const struct lint_line *ll = lint_lines(ctx, &nlines);

    if (!b || ncmds > CMDTABLE_SIZE_MAX)
        return;
    for (i = b->lines; i < nlines; i++)
        builds_line(ctx, &ll[i]);
    /* The engine sorts findings by position */
    for (i = 0; i < ncmds; i++) {
        if (b->first[i])
            check_default_build(ctx, &all[i], b->first[i], b->uses[i]);
    }
}
