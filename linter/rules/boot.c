/* SPDX-License-Identifier: MIT */
/** @file How a script leaves: `exit` statuses and `sanboot` (IPX2301, IPX2302,
 *  IPX2309, IPX2310), the family's table and the helpers its files share.
 *
 * Spec references are to ipxe-language.md: §1.6 exit, §1.8 chain,
 * --replace and --autofree, §5.1-§5.2 URIs and schemes, §5.4 sanboot.
 */
#include "boot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static void check_exit_status(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_exit_meaning(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_unguarded_sanboot(struct lint_ctx *ctx,
                                    const struct lint_cmd *cmd);
static void check_no_describe(struct lint_ctx *ctx, const struct lint_cmd *cmd);

static const struct lint_rule exit_status = {
    .code = "IPX2301",
    .name = "exit-status",
    .sev = DIAG_ERROR,
    .summary = "an 'exit' status that is not a number, or is negative",
    .on_command = check_exit_status,
};

static const struct lint_rule exit_code_meaning = {
    .code = "IPX2302",
    .name = "exit-code-meaning",
    .sev = DIAG_INFO,
    .summary =
        "what an 'exit' status means to the firmware (UEFI sees only its low "
        "byte; 'exit 0' is EFI_SUCCESS)",
    .on_command = check_exit_meaning,
};

static const struct lint_rule unguarded_sanboot = {
    .code = "IPX2309",
    .name = "unguarded-sanboot",
    .sev = DIAG_WARNING,
    .summary =
        "a 'sanboot' whose failure stops the script before the lines after it",
    .on_command = check_unguarded_sanboot,
};

static const struct lint_rule sanboot_no_describe = {
    .code = "IPX2310",
    .name = "sanboot-no-describe",
    .sev = DIAG_WARNING,
    .summary = "a local-disk 'sanboot' without --no-describe",
    .on_command = check_no_describe,
};

const struct lint_rule *const lint_rules_boot[] = {
    &exit_status, &exit_code_meaning, &unguarded_sanboot, &sanboot_no_describe,
    NULL,
};

/* ---- IPX2301, IPX2302: exit statuses (spec §1.6) ---- */

/* The literal status word of an `exit` iPXE would run, or NULL. */
static const struct ast_word *exit_status_word(const struct lint_cmd *cmd)
{
    const struct ast_word *w;

    if (!lint_cmd_is(cmd, CMD_ID_EXIT) || cmd->call.error != CMD_OK ||
        cmd->call.nargs != 1)
        return NULL;
    w = cmd_arg(cmd, 0);
    return w && ast_word_is_static(w) ? w : NULL;
}

static void check_exit_status(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct ast_word *w = exit_status_word(cmd);
    unsigned long v;
    uint32_t i;

    if (!w)
        return;
    if (!cmdparse_integer(w->text, w->len, &v)) {
        const char *why = "it is not a number";

        if (w->len > 1 && w->text[0] == '0' && w->text[1] >= '0' &&
            w->text[1] <= '9')
            why = "a leading 0 makes it octal, which has no 8 or 9";
        lint_report(ctx, &exit_status, w->span,
                    "'exit %.*s' does not end the script: %s, so 'exit' "
                    "fails with 'invalid integer value' and the script stops "
                    "with that error instead of status '%.*s'",
                    (int)w->len, w->text, why, (int)w->len, w->text);
        return;
    }
    if (w->text[0] != '-')
        return;
    for (i = 1; i < w->len; i++) {
        if (w->text[i] != '0')
            break;
    }
    if (i == w->len)
        return; /* "-0" is 0 */
    lint_report(ctx, &exit_status, w->span,
                "'exit' statuses cannot be negative: '%.*s' wraps around "
                "to a huge unsigned value, which reaches a parent or the "
                "firmware as a different status; use a positive status such "
                "as 'exit 1'",
                (int)w->len, w->text);
}

static void check_exit_meaning(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    enum lint_platform plat;
    const struct ast_word *w = NULL;
    unsigned long v = 0;
    uint32_t status;
    struct span span;

    if (!lint_cmd_is(cmd, CMD_ID_EXIT) || cmd->call.error != CMD_OK ||
        !cmd->ll->reachable)
        return;
    plat = lint_platform(ctx);
    if (cmd->call.nargs == 1) {
        w = exit_status_word(cmd);
        if (!w || w->text[0] == '-' || !cmdparse_integer(w->text, w->len, &v))
            return;
        span = w->span;
    } else {
        span = cmd->seg->argv[0]->span;
    }
    status = (uint32_t)v; /* iPXE keeps an unsigned int */

    if (v != status && w) {
        /* only the low 32 bits are kept (past ULONG_MAX: an overflow,
         * whose exact value is not worth stating) */
        if (v == (unsigned long)-1)
            lint_report(ctx, &exit_code_meaning, span,
                        "'exit %.*s' does not fit in 32 bits: iPXE keeps "
                        "only its low 32 bits, not the status written",
                        (int)w->len, w->text);
        else
            lint_report(ctx, &exit_code_meaning, span,
                        "'exit %.*s' does not fit in 32 bits: iPXE keeps "
                        "only its low 32 bits, status %u%s",
                        (int)w->len, w->text, status,
                        status == 0 ? ", which is success" : "");
        return;
    }
    if (plat == LINT_PLATFORM_PCBIOS)
        return;
    /* in a tree, a script every caller chains (and comes back from) hands
     * its status to that caller's 'chain', never to the firmware */
    if (lint_tree_facts(ctx) && lint_tree_facts(ctx)->chained)
        return;
    /* EFIRC(): the error bit is bit 7 of -status, the code its low 7 bits */
    if (status != 0 && (status & 0xff) == 0) {
        lint_report(ctx, &exit_code_meaning, span,
                    "'exit %u' is a failure to a parent 'chain', but UEFI "
                    "firmware receives only the low byte of the status and "
                    "sees EFI_SUCCESS; use 'exit 1' to report a failure",
                    status);
        return;
    }
    if (status != 0 && (((0u - status) & 0x80) == 0)) {
        lint_report(ctx, &exit_code_meaning, span,
                    "'exit %u' reaches UEFI firmware as a warning code, not "
                    "an error (only a low byte of 1 to 128 gives an EFI "
                    "error): the firmware may take the boot as successful; "
                    "use 'exit 1'",
                    status);
        return;
    }
    if (status == 0 && plat == LINT_PLATFORM_EFI && !lint_is_subscript(ctx)) {
        lint_report(ctx, &exit_code_meaning, span,
                    "under UEFI, '%s' hands EFI_SUCCESS back to the firmware, "
                    "which may stop at its boot menu instead of trying the "
                    "next boot option; 'exit 1' makes it go on to the next "
                    "boot option (for example the local disk)",
                    cmd->call.nargs ? "exit 0" : "exit");
    }
}

/* ---- IPX2309, IPX2310: sanboot (spec §5.4) ---- */

/* The root paths of a sanboot: 0 for a local-disk boot. */
bool boot_sanboot_local(const struct lint_cmd *cmd)
{
    return lint_cmd_is(cmd, CMD_ID_SANBOOT) && cmd->call.error == CMD_OK &&
           cmd->call.nargs == 0;
}

static void check_unguarded_sanboot(struct lint_ctx *ctx,
                                    const struct lint_cmd *cmd)
{
    const struct lint_line *lines, *next = NULL;
    size_t n, i;

    if (!lint_cmd_is(cmd, CMD_ID_SANBOOT) || cmd->call.error != CMD_OK ||
        lint_failure_caught(cmd->seg))
        return;
    /* What follows on fall-through: nothing, or an `exit`, means the
     * failure only ends the script a little earlier. */
    lines = lint_lines(ctx, &n);
    for (i = lint_line_index(ctx, cmd->ll) + 1; i < n; i++) {
        if (lines[i].has_code) {
            next = &lines[i];
            break;
        }
    }
    if (!next)
        return;
    if (!next->line->label && next->ncmds &&
        lint_cmd_is(&next->cmds[0], CMD_ID_EXIT))
        return;
    lint_report(ctx, &unguarded_sanboot, cmd->seg->argv[0]->span,
                "if this 'sanboot' fails (no bootable disk or image, or a "
                "drive that does not exist) the script stops here with that "
                "error and never reaches line %u; add '|| goto <label>' for "
                "a fallback, or end the line with '||' to go on",
                lint_line_at(ctx, next->line->span.start));
}

static void check_no_describe(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct ast_word *name;
    struct diag *dg;
    struct span at;

    if (!boot_sanboot_local(cmd) || cmdparse_opt(&cmd->call, "no-describe"))
        return;
    name = cmd->seg->argv[0];
    dg = lint_report(ctx, &sanboot_no_describe, name->span,
                     "'sanboot' of a local disk without '--no-describe': "
                     "iPXE first describes SAN devices to the OS in ACPI "
                     "tables (iBFT), which means nothing for a local disk "
                     "and can make the boot fail; the local-disk idiom is "
                     "'sanboot --no-describe --drive 0x80'");
    at.start = at.end = name->span.end;
    if (dg)
        diag_fix(lint_diags(ctx), dg, at, " --no-describe");
}
