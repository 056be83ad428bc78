/* SPDX-License-Identifier: MIT */
/** @file Code that only runs on one firmware: platform guards, and the rules
 *  that depend on the platform (IPX3010-IPX3013).
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

static void check_drive_on_efi(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_efi_options_on_bios(struct lint_ctx *ctx,
                                      const struct lint_cmd *cmd);
static void check_https_on_bios(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd);
static void check_scheme_build(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_shim(struct lint_ctx *ctx, const struct lint_cmd *cmd);

static const struct lint_rule sanboot_drive_on_efi = {
    .code = "IPX3010",
    .name = "sanboot-drive-on-efi",
    .sev = DIAG_ERROR,
    .summary =
        "a local-disk 'sanboot' by BIOS drive number (0x80), which UEFI does "
        "not boot the same way",
    .on_command = check_drive_on_efi,
};

static const struct lint_rule sanboot_efi_options_on_bios = {
    .code = "IPX3011",
    .name = "sanboot-efi-options-on-bios",
    .sev = DIAG_WARNING,
    .summary =
        "'sanboot' options that only UEFI uses (--filename, --extra, --label, "
        "--uuid, drive 0) on legacy BIOS",
    .on_command = check_efi_options_on_bios,
};

static const struct lint_rule https_on_bios = {
    .code = "IPX3012",
    .name = "https-on-bios",
    .sev = DIAG_WARNING,
    .summary =
        "an https:// URL on legacy BIOS, whose default builds lack HTTPS",
    .on_command = check_https_on_bios,
};

static const struct lint_rule scheme_not_in_build = {
    .code = "IPX3013",
    .name = "scheme-not-in-default-build",
    .sev = DIAG_WARNING,
    .summary =
        "a URI scheme the default iPXE builds leave out (ftp, nfs, x-slam; "
        "file on BIOS)",
    .on_command = check_scheme_build,
};

static const struct lint_rule shim_on_bios = {
    .code = "IPX3002",
    .name = "shim-on-bios",
    .sev = DIAG_WARNING,
    .summary = "'shim' on BIOS: a dummy that succeeds without doing anything",
    .on_command = check_shim,
};

const struct lint_rule *const lint_rules_boot_guard[] = {
    &shim_on_bios,  &sanboot_drive_on_efi, &sanboot_efi_options_on_bios,
    &https_on_bios, &scheme_not_in_build,  NULL,
};

/* The 3xxx rules live here too: they are about the same commands. */

/* ---- platform guards: code that only runs on one firmware ---- */

/* If @p cmd is `iseq ${platform} efi` (either order), the platform it
 * tests; else LINT_PLATFORM_ANY. */
static enum lint_platform platform_test(const struct lint_cmd *cmd)
{
    const struct ast_word *a, *b, *t;

    if (!lint_cmd_is(cmd, CMD_ID_ISEQ) || cmd->call.nargs != 2)
        return LINT_PLATFORM_ANY;
    a = cmd_arg(cmd, 0);
    b = cmd_arg(cmd, 1);
    if (ast_word_is(a, "${platform}"))
        t = b;
    else if (ast_word_is(b, "${platform}"))
        t = a;
    else
        return LINT_PLATFORM_ANY;
    if (ast_word_is(t, "efi"))
        return LINT_PLATFORM_EFI;
    if (ast_word_is(t, "pcbios"))
        return LINT_PLATFORM_PCBIOS;
    return LINT_PLATFORM_ANY;
}

static enum lint_platform platform_other(enum lint_platform p)
{
    if (p == LINT_PLATFORM_EFI)
        return LINT_PLATFORM_PCBIOS;
    if (p == LINT_PLATFORM_PCBIOS)
        return LINT_PLATFORM_EFI;
    return LINT_PLATFORM_ANY;
}

/* Whether the line leaves (goto or exit) after its last segment ran. */
static bool cmd_leaves(const struct lint_cmd *cmd)
{
    return lint_cmd_is(cmd, CMD_ID_GOTO) || lint_cmd_is(cmd, CMD_ID_EXIT);
}

/* The platform a label's name promises: "boot-efi", "legacy_disk". */
static enum lint_platform label_name_platform(const struct ast_word *l)
{
    static const struct {
        const char *word;
        enum lint_platform p;
    } words[] = {
        {"uefi", LINT_PLATFORM_EFI},      {"efi", LINT_PLATFORM_EFI},
        {"pcbios", LINT_PLATFORM_PCBIOS}, {"bios", LINT_PLATFORM_PCBIOS},
        {"legacy", LINT_PLATFORM_PCBIOS},
    };
    uint32_t start = 0, end;
    size_t k;

    while (start < l->len) {
        end = start;
        while (end < l->len && l->text[end] != '-' && l->text[end] != '_' &&
               l->text[end] != '.')
            end++;
        for (k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
            size_t n = strlen(words[k].word);
            uint32_t c = end - start;
            const char *s = l->text + start;

            if (c < n)
                continue;
            if (strncmp(s, words[k].word, n) == 0 ||
                strncmp(s + c - n, words[k].word, n) == 0)
                return words[k].p;
        }
        start = end + 1;
    }
    return LINT_PLATFORM_ANY;
}

/* Platforms as a bit set, for the labels: which firmware can get there. */
#define PLAT_EFI  1u
#define PLAT_BIOS 2u

static unsigned plat_mask(enum lint_platform p)
{
    if (p == LINT_PLATFORM_EFI)
        return PLAT_EFI;
    if (p == LINT_PLATFORM_PCBIOS)
        return PLAT_BIOS;
    return PLAT_EFI | PLAT_BIOS;
}

static enum lint_platform mask_plat(unsigned m)
{
    if (m == PLAT_EFI)
        return LINT_PLATFORM_EFI;
    if (m == PLAT_BIOS)
        return LINT_PLATFORM_PCBIOS;
    return LINT_PLATFORM_ANY;
}

/* Template branches: `{% if efi %}` ... `{% else %}` ... `{% endif %}`. */
struct tmpl_stack {
    uint8_t cond[16]; /**< the platform the `if` tested, per level */
    uint8_t cur[16];  /**< the platform of the branch we are in */
    uint32_t depth;   /**< levels open (more than 16 are counted only) */
};

/* The platform a template condition (@p len bytes) tests: "efi",
 * "boot_mode == 'uefi'", "not legacy", "platform != 'efi'"; word by word
 * (letters and digits), so "defined" is not "efi". */
static enum lint_platform tmpl_cond_platform(const char *s, size_t len)
{
    enum lint_platform p = LINT_PLATFORM_ANY;
    bool negated = false;
    size_t i = 0, j, n;

    while (i < len) {
        if (s[i] == '!' && i + 1 < len && s[i + 1] == '=')
            negated = true;
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9'))) {
            i++;
            continue;
        }
        for (j = i; j < len && ((s[j] >= 'a' && s[j] <= 'z') ||
                                (s[j] >= 'A' && s[j] <= 'Z') ||
                                (s[j] >= '0' && s[j] <= '9'));
             j++)
            ;
        n = j - i;
#define IS(w) (n == sizeof(w) - 1 && memcmp(s + i, w, n) == 0)
        if (IS("efi") || IS("uefi") || IS("EFI") || IS("UEFI"))
            p = LINT_PLATFORM_EFI;
        else if (IS("bios") || IS("pcbios") || IS("legacy") || IS("BIOS"))
            p = LINT_PLATFORM_PCBIOS;
        else if (IS("not"))
            negated = true;
#undef IS
        i = j;
    }
    return negated ? platform_other(p) : p;
}

/* Follow the template statements on raw line @p line. */
static void tmpl_track(struct tmpl_stack *st, const struct ast_line *line)
{
    const struct ast_segment *seg;
    uint32_t i;

    for (seg = line->segs; seg; seg = seg->next) {
        for (i = 0; i < seg->argc; i++) {
            const struct ast_word *w = seg->argv[i];
            const char *t = w->text;
            size_t n = w->len, k = 2;
            uint32_t top = st->depth ? st->depth - 1 : 0;

            if (!(w->flags & AST_W_CONTROL) || n < 4 || t[0] != '{' ||
                t[1] != '%')
                continue;
            while (k < n && (t[k] == ' ' || t[k] == '-'))
                k++;
            if (n - k >= 3 && memcmp(t + k, "if ", 3) == 0) {
                if (st->depth < 16) {
                    st->cond[st->depth] =
                        (uint8_t)tmpl_cond_platform(t + k, n - k);
                    st->cur[st->depth] = st->cond[st->depth];
                }
                st->depth++;
            } else if (n - k >= 5 && memcmp(t + k, "endif", 5) == 0) {
                if (st->depth)
                    st->depth--;
            } else if (!st->depth || top >= 16) {
                continue; /* a level we do not keep */
            } else if (n - k >= 4 && memcmp(t + k, "elif", 4) == 0) {
                st->cur[top] = (uint8_t)tmpl_cond_platform(t + k, n - k);
                st->cond[top] = LINT_PLATFORM_ANY; /* else: unknown now */
            } else if (n - k >= 4 && memcmp(t + k, "else", 4) == 0) {
                st->cur[top] =
                    (uint8_t)platform_other((enum lint_platform)st->cond[top]);
            }
        }
    }
}

/* The platform the innermost template branch with one says. */
static enum lint_platform tmpl_guard(const struct tmpl_stack *st)
{
    uint32_t i = st->depth < 16 ? st->depth : 16;

    while (i-- > 0) {
        if (st->cur[i] != LINT_PLATFORM_ANY)
            return (enum lint_platform)st->cur[i];
    }
    return LINT_PLATFORM_ANY;
}

/*
 * One walk over the file keeping the platform each command runs on.  A
 * label starts a block whose platform is what @p reach says can get
 * there; `iseq ${platform} efi && goto x ||` makes the rest of a block
 * BIOS-only; a segment after `iseq ${platform} X &&` runs on X only.
 * With @p guard NULL, the walk adds to @p reach (per label, a bit set of
 * platforms) what every goto and every fall-through brings; else it
 * stores the platform of every command in @p guard (indexed as @p base
 * says).
 */
static void platform_pass(struct lint_ctx *ctx, unsigned *reach,
                          const bool *named, const bool *first, uint8_t *guard,
                          const uint32_t *base)
{
    const struct lint_label *labels;
    const struct lint_line *lines;
    enum lint_platform block = LINT_PLATFORM_ANY, tmpl;
    struct tmpl_stack st = {{0}, {0}, 0};
    unsigned dynamic = 0; /* platforms some `goto ${...}` runs on */
    bool is_template = lint_is_template(ctx);
    bool falls = true;
    size_t nlabels, n, i;
    uint32_t k;

    size_t next_label = 0;

    labels = lint_labels(ctx, &nlabels);
    lines = lint_lines(ctx, &n);
    for (i = 0; i < n; i++) {
        const struct lint_line *ll = &lines[i];
        /* what the segments before the current one make sure of:
         * `iseq ${platform} pcbios && X` runs X on BIOS only */
        enum lint_platform line = LINT_PLATFORM_ANY;

        if (is_template && ll->line->segs)
            tmpl_track(&st, ll->line);
        tmpl = tmpl_guard(&st);

        /* labels are in file order: the next one may be on this line */
        while (next_label < nlabels && labels[next_label].line < i)
            next_label++;
        if (next_label < nlabels && labels[next_label].line == i &&
            first[next_label]) {
            size_t li = next_label;

            if (!guard && falls && !named[li])
                reach[li] |= plat_mask(block);
            block = mask_plat(reach[li]);
        }
        for (k = 0; k < ll->ncmds; k++) {
            const struct lint_cmd *cmd = &ll->cmds[k];
            enum lint_platform g = line, t;

            if (g == LINT_PLATFORM_ANY)
                g = tmpl;
            if (g == LINT_PLATFORM_ANY)
                g = block;
            if (guard) {
                guard[base[i] + k] = (uint8_t)g;
            } else if (lint_cmd_is(cmd, CMD_ID_GOTO) && cmd->call.nargs == 1) {
                const struct ast_word *w = cmd_arg(cmd, 0);
                const struct lint_label *l = cmd->target;

                if (l && !named[l - labels])
                    reach[l - labels] |= plat_mask(g);
                else if (w && !ast_word_is_static(w))
                    dynamic |= plat_mask(g);
            }
            /* what this segment makes sure of for the ones after it */
            t = platform_test(cmd);
            if (t != LINT_PLATFORM_ANY && cmd->seg->op) {
                if (cmd->seg->op->kind == AST_AND)
                    line = t;
                else if (cmd->seg->op->kind == AST_OR)
                    line = platform_other(t);
            }
        }
        if (ll->has_code)
            falls = (ll->flow & LINT_FLOW_NEXT) != 0;
        /* `iseq ${platform} efi && goto x ||`: what follows is BIOS only */
        if (ll->ncmds >= 2 && cmd_leaves(&ll->cmds[1])) {
            enum lint_platform t = platform_test(&ll->cmds[0]);
            const struct ast_word *op = ll->cmds[0].seg->op;

            if (t != LINT_PLATFORM_ANY && op && op->kind == AST_AND)
                block = platform_other(t);
            else if (t != LINT_PLATFORM_ANY && op && op->kind == AST_OR)
                block = t;
        }
    }
    /* A `goto ${...}` may reach any label: once, after the walk */
    for (i = 0; dynamic && i < nlabels; i++) {
        if (!named[i])
            reach[i] |= dynamic;
    }
}

/* Work out, once per file, the platform every command is guarded for. */
static void platform_guards(struct lint_ctx *ctx, struct boot_data *d)
{
    const struct lint_label *labels;
    const struct lint_line *lines;
    size_t nlabels, n, i, ncmds = 0;
    unsigned *reach = NULL;
    bool *named = NULL, *first = NULL;

    d->guards_done = true;
    lines = lint_lines(ctx, &n);
    d->base = arena_alloc(lint_arena(ctx), (n ? n : 1) * sizeof(*d->base));
    if (!d->base)
        return;
    for (i = 0; i < n; i++) {
        d->base[i] = (uint32_t)ncmds;
        ncmds += lines[i].ncmds;
    }
    labels = lint_labels(ctx, &nlabels);
    reach = calloc(nlabels ? nlabels : 1, sizeof(*reach));
    named = calloc(nlabels ? nlabels : 1, sizeof(*named));
    first = calloc(nlabels ? nlabels : 1, sizeof(*first));
    d->guard = arena_alloc(lint_arena(ctx), ncmds ? ncmds : 1);
    if (!reach || !named || !first || !d->guard) {
        d->guard = NULL;
        goto out;
    }
    /* A label whose name says the firmware ("boot-efi", "legacy_disk")
     * is taken at its word */
    for (i = 0; i < nlabels; i++) {
        enum lint_platform p = label_name_platform(labels[i].word);

        /* a later duplicate is never a goto's target (spec §1.3) */
        first[i] = labels[i].first == i;
        if (p != LINT_PLATFORM_ANY) {
            reach[i] = plat_mask(p);
            named[i] = true;
        }
    }
    /* One pass to learn the labels, one to note the guards.  A goto back
     * up the file comes too late for a label the first pass has passed,
     * which can make that label look single-platform when it is not:
     * that errs on the side of silence. */
    platform_pass(ctx, reach, named, first, NULL, NULL);
    platform_pass(ctx, reach, named, first, d->guard, d->base);
out:
    free(reach);
    free(named);
    free(first);
}

/* The platform @p cmd is guarded for (LINT_PLATFORM_ANY: it runs on
 * both); the walks run once per file, when a rule first asks. */
static enum lint_platform cmd_guard(struct lint_ctx *ctx,
                                    const struct lint_cmd *cmd)
{
    struct boot_data *d = boot_data(ctx);

    if (!d)
        return LINT_PLATFORM_ANY;
    if (!d->guards_done)
        platform_guards(ctx, d);
    if (!d->guard)
        return LINT_PLATFORM_ANY;
    return (enum lint_platform)
        d->guard[d->base[lint_line_index(ctx, cmd->ll)] + lint_cmd_index(cmd)];
}

/* The platform @p cmd runs on, given the --platform in force and the
 * guard around it; false if it never runs on the platform linted for. */
static bool effective_platform(struct lint_ctx *ctx, enum lint_platform guard,
                               enum lint_platform *eff)
{
    enum lint_platform plat = lint_platform(ctx);

    *eff = plat;
    if (guard == LINT_PLATFORM_ANY)
        return true;
    if (plat != LINT_PLATFORM_ANY && plat != guard)
        return false;
    *eff = guard;
    return true;
}

/* ---- IPX3010: BIOS drive numbers on EFI ---- */

static void visit_drive_on_efi(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                               enum lint_platform guard)
{
    enum lint_platform plat;
    const struct cmd_optval *drive;
    char shown[32];
    const char *dflt = "";
    unsigned long v = 0x80;

    if (!effective_platform(ctx, guard, &plat) ||
        plat == LINT_PLATFORM_PCBIOS || !boot_sanboot_local(cmd) ||
        cmdparse_opt(&cmd->call, "filename"))
        return;
    drive = cmdparse_opt(&cmd->call, "drive");
    if (drive) {
        if ((drive->value && !ast_word_is_static(drive->value)) ||
            !cmdparse_integer(drive->vtext, drive->vlen, &v))
            return;
        if (v == 0)
            return; /* "any drive" under EFI */
        snprintf(shown, sizeof(shown), "%.*s",
                 drive->vlen < 20 ? (int)drive->vlen : 20, drive->vtext);
    } else {
        snprintf(shown, sizeof(shown), "0x80");
        dflt = " (the default)";
    }
    if (v < 0x80)
        return;
    /* With a fallback (`|| exit 1`), a script for either firmware copes:
     * ironic's `sanboot --no-describe || exit 0` is meant that way. */
    if (lint_failure_caught(cmd->seg) && plat == LINT_PLATFORM_ANY)
        return;
    if (plat == LINT_PLATFORM_EFI) {
        lint_report_at(ctx, &sanboot_drive_on_efi,
                       lint_failure_caught(cmd->seg) ? DIAG_WARNING
                                                     : DIAG_ERROR,
                       cmd->seg->argv[0]->span,
                       "'sanboot' of drive %s%s is the legacy-BIOS disk boot: "
                       "under UEFI drive numbers are iPXE's own, so %s is "
                       "whatever disk iPXE lists first and only its "
                       "\\EFI\\BOOT\\BOOTX64.EFI is tried; to boot the local "
                       "disk on UEFI use 'exit 1' (the firmware tries its next "
                       "boot option), or name the loader with '--filename'",
                       shown, dflt, shown);
    } else {
        lint_report_at(ctx, &sanboot_drive_on_efi, DIAG_WARNING,
                       cmd->seg->argv[0]->span,
                       "'sanboot' of drive %s%s boots the local disk only on "
                       "legacy BIOS: under UEFI it boots whatever disk iPXE "
                       "lists first, through \\EFI\\BOOT\\BOOTX64.EFI, if it "
                       "has one; guard it with 'iseq ${platform} pcbios', or "
                       "lint with '--platform pcbios' if this script only "
                       "runs there",
                       shown, dflt);
    }
}

static void check_drive_on_efi(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (!boot_sanboot_local(cmd) || lint_platform(ctx) == LINT_PLATFORM_PCBIOS)
        return;
    visit_drive_on_efi(ctx, cmd, cmd_guard(ctx, cmd));
}

/* ---- IPX3011: EFI-only sanboot options on BIOS ---- */

static const char *const efi_only[] = {"filename", "extra", "label", "uuid"};

/* The `--drive 0` of a local sanboot @p cmd, or NULL. */
static const struct cmd_optval *drive_zero(const struct lint_cmd *cmd)
{
    const struct cmd_optval *drive = cmdparse_opt(&cmd->call, "drive");
    unsigned long v;

    if (drive && boot_sanboot_local(cmd) &&
        (!drive->value || ast_word_is_static(drive->value)) &&
        cmdparse_integer(drive->vtext, drive->vlen, &v) && v == 0)
        return drive;
    return NULL;
}

static void visit_efi_options(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                              enum lint_platform guard)
{
    const struct cmd_optval *drive;
    enum lint_platform plat;
    size_t i;

    if (!effective_platform(ctx, guard, &plat) ||
        plat != LINT_PLATFORM_PCBIOS || !lint_cmd_is(cmd, CMD_ID_SANBOOT) ||
        cmd->call.error != CMD_OK)
        return;
    for (i = 0; i < sizeof(efi_only) / sizeof(efi_only[0]); i++) {
        const struct cmd_optval *o = cmdparse_opt(&cmd->call, efi_only[i]);

        if (!o)
            continue;
        lint_report(ctx, &sanboot_efi_options_on_bios,
                    cmd->seg->argv[o->word]->span,
                    "'--%s' is ignored on legacy BIOS: the INT 13 boot "
                    "always loads the disk's boot sector (MBR or El Torito "
                    "image), whatever file it names",
                    efi_only[i]);
    }
    drive = drive_zero(cmd);
    if (drive)
        lint_report(ctx, &sanboot_efi_options_on_bios,
                    cmd->seg->argv[drive->word]->span,
                    "drive 0 means 'any disk' only under UEFI: on legacy "
                    "BIOS it is the first floppy drive, so this boots no "
                    "disk; use '--drive 0x80' for the first hard disk");
}

/* Whether @p cmd has an option visit_efi_options() can report: without
 * one, the file's guards need not be worked out for it. */
static bool has_efi_option(const struct lint_cmd *cmd)
{
    size_t i;

    for (i = 0; i < sizeof(efi_only) / sizeof(efi_only[0]); i++) {
        if (cmdparse_opt(&cmd->call, efi_only[i]))
            return true;
    }
    return drive_zero(cmd) != NULL;
}

static void check_efi_options_on_bios(struct lint_ctx *ctx,
                                      const struct lint_cmd *cmd)
{
    if (!lint_cmd_is(cmd, CMD_ID_SANBOOT) || cmd->call.error != CMD_OK ||
        lint_platform(ctx) == LINT_PLATFORM_EFI || !has_efi_option(cmd))
        return;
    visit_efi_options(ctx, cmd, cmd_guard(ctx, cmd));
}

/* ---- IPX3012, IPX3013: schemes the default builds lack ---- */

static void visit_https_on_bios(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd,
                                enum lint_platform guard)
{
    enum lint_platform plat;
    const struct uri_word *uw, *u;
    uint32_t nu, ui;

    /* Whoever requires https for every URL has an iPXE that has it. */
    if (!effective_platform(ctx, guard, &plat) || plat == LINT_PLATFORM_EFI ||
        lint_options_of(ctx)->require_https)
        return;
    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu; ui++) {
        struct diag *dg;

        u = &uw[ui];
        if (!boot_scheme_is(u, "https"))
            continue;
        dg = lint_report(ctx, &https_on_bios, u->w->span,
                         "default legacy-BIOS builds of iPXE leave out HTTPS "
                         "(DOWNLOAD_PROTO_HTTPS): unless your iPXE was built "
                         "with it, fetching '%.*s' fails with 'Operation "
                         "not supported'",
                         (int)u->w->len, u->w->text);
        if (dg && plat == LINT_PLATFORM_ANY)
            diag_hint(lint_diags(ctx), dg,
                      "guard it with 'iseq ${platform} efi', or lint with "
                      "'--platform efi' if this script only runs there");
    }
}

/* The body of check_https_on_bios(), for commands that have URI words. */
static NOINLINE void uris_https_on_bios(struct lint_ctx *ctx,
                                        const struct lint_cmd *cmd)
{
    const struct uri_word *uw;
    uint32_t nu, ui;

    if (lint_platform(ctx) == LINT_PLATFORM_EFI ||
        lint_options_of(ctx)->require_https)
        return;
    /* the guards are worked out only for a command that has https */
    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu && !boot_scheme_is(&uw[ui], "https"); ui++)
        ;
    if (ui < nu)
        visit_https_on_bios(ctx, cmd, cmd_guard(ctx, cmd));
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_https_on_bios(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd)
{
    if (boot_cmd_takes_uris(cmd))
        uris_https_on_bios(ctx, cmd);
}

/* The scheme of URI word @p u if some default build leaves it out (https
 * aside, IPX3001's), else NULL: only those can be reported. */
static const struct uri_scheme *scheme_not_in_all(const struct uri_word *u)
{
    const struct uri_scheme *s = boot_uri_known_scheme(u);

    if (!s || u->use == USE_VALUE || strcmp(s->name, "https") == 0 ||
        (s->efi && s->pcbios))
        return NULL;
    return s;
}

static void visit_scheme_build(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                               enum lint_platform guard)
{
    enum lint_platform plat;
    const struct uri_word *uw, *u;
    uint32_t nu, ui;

    if (!effective_platform(ctx, guard, &plat))
        return;
    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu; ui++) {
        u = &uw[ui];
        const struct uri_scheme *s = scheme_not_in_all(u);
        const char *where;

        if (!s)
            continue;
        if (!s->efi && !s->pcbios)
            where = "default iPXE builds leave it out";
        else if (plat == LINT_PLATFORM_PCBIOS && !s->pcbios)
            where = "it exists only in UEFI builds";
        else if (plat == LINT_PLATFORM_EFI && !s->efi)
            where = "default UEFI builds leave it out";
        else
            continue;
        lint_report(ctx, &scheme_not_in_build, u->w->span,
                    "'%s:' needs %s, and %s: unless your iPXE was built "
                    "with it, '%s' fails with 'Operation not supported'",
                    s->name, s->flag, where, cmd_name(cmd));
    }
}

/* The body of check_scheme_build(), for commands that have URI words. */
static NOINLINE void uris_scheme_build(struct lint_ctx *ctx,
                                       const struct lint_cmd *cmd)
{
    const struct uri_word *uw;
    uint32_t nu, ui;

    /* the guards are worked out only for a command with a scheme that
     * some default build leaves out (http and tftp are in all) */
    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu && !scheme_not_in_all(&uw[ui]); ui++)
        ;
    if (ui < nu)
        visit_scheme_build(ctx, cmd, cmd_guard(ctx, cmd));
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_scheme_build(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (boot_cmd_takes_uris(cmd))
        uris_scheme_build(ctx, cmd);
}

/* ---- IPX3002: shim on BIOS ---- */

/* `shim` on BIOS, or unguarded when either firmware may run it. */
static void check_shim(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    enum lint_platform plat;
    const struct ast_word *w;
    struct diag *dg;

    if (lint_platform(ctx) == LINT_PLATFORM_EFI ||
        !lint_cmd_is(cmd, CMD_ID_SHIM) ||
        !effective_platform(ctx, cmd_guard(ctx, cmd), &plat) ||
        plat == LINT_PLATFORM_EFI)
        return;
    w = lint_name_word(cmd);
    dg = lint_report(ctx, &shim_on_bios, w->span,
                     "'shim' does nothing on BIOS: iPXE's BIOS build has a "
                     "dummy that succeeds without loading a shim, so Secure "
                     "Boot settings here have no effect");
    if (dg)
        diag_hint(lint_diags(ctx), dg,
                  plat == LINT_PLATFORM_ANY
                      ? "shim is for UEFI Secure Boot: guard it with 'iseq "
                        "${platform} efi', or lint with '--platform efi' if "
                        "this script only runs there"
                      : "shim is for UEFI Secure Boot; a BIOS boot needs no "
                        "shim");
}
