/* SPDX-License-Identifier: MIT */
/** @file How a script leaves and what it boots: `exit` statuses, the URIs
 *  of `chain` and the other image commands, downloads repeated in loops,
 *  and `sanboot` on BIOS and EFI (IPX2301-IPX2319, IPX3010-IPX3019).
 *
 * Spec references are to ipxe-language.md: §1.6 exit, §1.8 chain,
 * --replace and --autofree, §5.1-§5.2 URIs and schemes, §5.4 sanboot.
 */
#include "engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cmdtable.h"
#include "nameset.h"
#include "uri.h"

/* A function the compiler must not inline: the slow path of a hook whose
 * fast path (most commands) is a test. */
#define NOINLINE __attribute__((noinline))

static void check_exit_status(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_exit_meaning(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void loop_line(struct lint_ctx *ctx, const struct lint_line *ll);
static void check_chain_in_loop(struct lint_ctx *ctx);
static void check_insecure_url(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_url_credentials(struct lint_ctx *ctx,
                                  const struct lint_cmd *cmd);
static void check_relative_uri(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_bare_image_name(struct lint_ctx *ctx,
                                  const struct lint_cmd *cmd);
static void check_names_done(struct lint_ctx *ctx);
static void check_unknown_scheme(struct lint_ctx *ctx,
                                 const struct lint_cmd *cmd);
static void check_unguarded_sanboot(struct lint_ctx *ctx,
                                    const struct lint_cmd *cmd);
static void check_no_describe(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_host_allowed(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_drive_on_efi(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_efi_options_on_bios(struct lint_ctx *ctx,
                                      const struct lint_cmd *cmd);
static void check_https_on_bios(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd);
static void check_scheme_build(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);

static const struct lint_rule exit_status = {
    "IPX2301",  "exit-status",
    DIAG_ERROR, "an 'exit' status that is not a number, or is negative",
    NULL,       check_exit_status,
    NULL,
};

static const struct lint_rule exit_code_meaning = {
    "IPX2302",
    "exit-code-meaning",
    DIAG_INFO,
    "what an 'exit' status means to the firmware (UEFI sees only its low "
    "byte; 'exit 0' is EFI_SUCCESS)",
    NULL,
    check_exit_meaning,
    NULL,
};

static const struct lint_rule chain_in_loop = {
    "IPX2303",
    "chain-in-loop",
    DIAG_WARNING,
    "a download a loop repeats while earlier copies stay registered (no "
    "--autofree or imgfree)",
    loop_line,
    NULL,
    check_chain_in_loop,
};

static const struct lint_rule insecure_url = {
    "IPX2304",    "insecure-url",
    DIAG_WARNING, "a plain http:// URL where the configuration requires https",
    NULL,         check_insecure_url,
    NULL,
};

static const struct lint_rule url_credentials = {
    "IPX2305",    "url-credentials",
    DIAG_WARNING, "a password written inside a URL",
    NULL,         check_url_credentials,
    NULL,
};

static const struct lint_rule relative_uri = {
    "IPX2306", "relative-uri",
    DIAG_INFO, "a relative URI, resolved against the running script's own URL",
    NULL,      check_relative_uri,
    NULL,
};

static const struct lint_rule bare_image_name = {
    "IPX2307",
    "bare-image-name",
    DIAG_INFO,
    "a bare name that runs an already registered image of that name "
    "instead of downloading",
    NULL,
    check_bare_image_name,
    check_names_done,
};

static const struct lint_rule unknown_uri_scheme = {
    "IPX2308",
    "unknown-uri-scheme",
    DIAG_WARNING,
    "a URI scheme iPXE has no opener for (typo, or digits in the scheme)",
    NULL,
    check_unknown_scheme,
    NULL,
};

static const struct lint_rule unguarded_sanboot = {
    "IPX2309",
    "unguarded-sanboot",
    DIAG_WARNING,
    "a 'sanboot' whose failure stops the script before the lines after it",
    NULL,
    check_unguarded_sanboot,
    NULL,
};

static const struct lint_rule sanboot_no_describe = {
    "IPX2310",    "sanboot-no-describe",
    DIAG_WARNING, "a local-disk 'sanboot' without --no-describe",
    NULL,         check_no_describe,
    NULL,
};

static const struct lint_rule host_not_allowed = {
    "IPX2311",    "host-not-allowed",
    DIAG_WARNING, "a URL whose host is not in the configured allowed-hosts",
    NULL,         check_host_allowed,
    NULL,
};

static const struct lint_rule sanboot_drive_on_efi = {
    "IPX3010",
    "sanboot-drive-on-efi",
    DIAG_ERROR,
    "a local-disk 'sanboot' by BIOS drive number (0x80), which UEFI does "
    "not boot the same way",
    NULL,
    check_drive_on_efi,
    NULL,
};

static const struct lint_rule sanboot_efi_options_on_bios = {
    "IPX3011",
    "sanboot-efi-options-on-bios",
    DIAG_WARNING,
    "'sanboot' options that only UEFI uses (--filename, --extra, --label, "
    "--uuid, drive 0) on legacy BIOS",
    NULL,
    check_efi_options_on_bios,
    NULL,
};

static const struct lint_rule https_on_bios = {
    "IPX3012",
    "https-on-bios",
    DIAG_WARNING,
    "an https:// URL on legacy BIOS, whose default builds lack HTTPS",
    NULL,
    check_https_on_bios,
    NULL,
};

static const struct lint_rule scheme_not_in_build = {
    "IPX3013",
    "scheme-not-in-default-build",
    DIAG_WARNING,
    "a URI scheme the default iPXE builds leave out (ftp, nfs, x-slam; "
    "file on BIOS)",
    NULL,
    check_scheme_build,
    NULL,
};

/* The 3xxx rules live here too: they are about the same commands. */
const struct lint_rule *const lint_rules_boot[] = {
    &exit_status,
    &exit_code_meaning,
    &chain_in_loop,
    &insecure_url,
    &url_credentials,
    &relative_uri,
    &bare_image_name,
    &unknown_uri_scheme,
    &unguarded_sanboot,
    &sanboot_no_describe,
    &host_not_allowed,
    &sanboot_drive_on_efi,
    &sanboot_efi_options_on_bios,
    &https_on_bios,
    &scheme_not_in_build,
    NULL,
};

/* ---- small helpers ---- */

/* The name as written ("chain"). */
static const char *cmd_name(const struct lint_cmd *cmd)
{
    return cmd->call.def->name;
}

/* Positional argument @p i (0-based), or NULL. */
static const struct ast_word *cmd_arg(const struct lint_cmd *cmd, uint32_t i)
{
    const struct ast_segment *seg = cmd->seg;
    uint32_t k;

    for (k = cmd->call.first_arg; k < seg->argc; k++) {
        if (seg->argv[k]->flags & AST_W_CONTROL)
            continue;
        if (i-- == 0)
            return seg->argv[k];
    }
    return NULL;
}

/* How many leading bytes of @p w's text are literal: up to its first
 * `${...}` or template tag (any syntax: `{{ }}`, `<%= %>`), or all of it.
 * Parts have raw offsets; the text leaves out the continuations before. */
static uint32_t literal_prefix(const struct ast_word *w)
{
    const struct ast_part *p;
    uint32_t cont = 0, at;

    if (ast_word_is_static(w))
        return w->len;
    for (p = w->parts; p; p = p->next) {
        if (p->kind == AST_PART_CONT) {
            cont += p->span.end - p->span.start;
            continue;
        }
        at = p->span.start - w->span.start - cont;
        return at < w->len ? at : w->len;
    }
    return w->len;
}

/* Whether the word's logical text maps byte for byte onto its span, so a
 * fix can address bytes inside it. */
static bool word_fixable(const struct ast_word *w)
{
    return !(w->flags & AST_W_CONT) && w->span.end - w->span.start == w->len;
}

static struct span sub_span(const struct ast_word *w, uint32_t off,
                            uint32_t len)
{
    struct span s = {w->span.start + off, w->span.start + off + len};

    return s;
}

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

/* ---- URIs: which words are URIs (spec §5.1) ---- */

enum uri_use {
    USE_FETCH = 1, /**< always downloaded (imgfetch, initrd, module) */
    USE_ACQUIRE,   /**< an image name, else downloaded (imgacquire) */
    USE_SAN,       /**< a SAN root path (sanboot, sanhook) */
    USE_VALUE,     /**< a `set` value that looks like a URL */
};

/* Which of the positional arguments of a command are URIs. */
struct uri_cmd {
    uint8_t use;   /**< enum uri_use; 0: the command takes no URI */
    uint8_t first; /**< first URI argument */
    uint8_t last;  /**< last URI argument (255: all that follow) */
};

/* By command id: `set` (values that look like URLs) and `console
 * --picture` are handled on their own. */
static const struct uri_cmd uri_cmds[CMD_ID_COUNT] = {
    [CMD_ID_CERTSTORE] = {USE_ACQUIRE, 0, 0},
    [CMD_ID_FDT] = {USE_ACQUIRE, 0, 0},
    [CMD_ID_IMGARGS] = {USE_ACQUIRE, 0, 0},
    [CMD_ID_IMGDECRYPT] = {USE_ACQUIRE, 0, 1},
    [CMD_ID_IMGEXEC] = {USE_ACQUIRE, 0, 0},
    [CMD_ID_IMGEXTRACT] = {USE_ACQUIRE, 0, 0},
    [CMD_ID_IMGFETCH] = {USE_FETCH, 0, 0},
    [CMD_ID_IMGSELECT] = {USE_ACQUIRE, 0, 0},
    [CMD_ID_IMGSET] = {USE_ACQUIRE, 1, 1},
    [CMD_ID_IMGVERIFY] = {USE_ACQUIRE, 0, 1},
    [CMD_ID_MD4SUM] = {USE_ACQUIRE, 0, 255},
    [CMD_ID_MD5SUM] = {USE_ACQUIRE, 0, 255},
    [CMD_ID_SANBOOT] = {USE_SAN, 0, 255},
    [CMD_ID_SANHOOK] = {USE_SAN, 0, 255},
    [CMD_ID_SHA1SUM] = {USE_ACQUIRE, 0, 255},
    [CMD_ID_SHA224SUM] = {USE_ACQUIRE, 0, 255},
    [CMD_ID_SHA256SUM] = {USE_ACQUIRE, 0, 255},
    [CMD_ID_SHA384SUM] = {USE_ACQUIRE, 0, 255},
    [CMD_ID_SHA512SUM] = {USE_ACQUIRE, 0, 255},
    [CMD_ID_SHIM] = {USE_ACQUIRE, 0, 0},
};

/* One URI word and what is known of it statically. */
struct uri_word {
    const struct ast_word *w; /**< the word */
    enum uri_use use;         /**< how the command uses it */
    uint32_t arg;             /**< positional index, or UINT32_MAX for an
                                   option's value */
    struct uri_parts p;       /**< its parts, as iPXE splits it */
    uint32_t lit;             /**< literal leading bytes */
    bool scheme_known;        /**< whether it has a scheme is certain */
};

/* Whether part @p p lies wholly in the literal prefix. */
static bool part_literal(const struct uri_word *u, const struct uri_part *p)
{
    return p->present && p->off + p->len <= u->lit &&
           (u->lit == u->w->len || p->off + p->len < u->lit);
}

static void uri_word_init(struct uri_word *u, const struct ast_word *w,
                          enum uri_use use, uint32_t arg)
{
    uint32_t i;

    u->w = w;
    u->use = use;
    u->arg = arg;
    u->lit = literal_prefix(w);
    uri_split(w->text, w->len, &u->p);
    /* A scheme is certain if it ends inside the literal text; its absence
     * is certain if a non-scheme byte comes before any expansion or
     * template placeholder (whose text is anyone's guess). */
    if (u->p.scheme.present) {
        u->scheme_known = u->p.scheme.off + u->p.scheme.len < u->lit;
        return;
    }
    for (i = 0; i < u->lit; i++) {
        char c = w->text[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
              c == '_'))
            break;
    }
    u->scheme_known = i < u->lit || u->lit == w->len;
}

/* Whether a `set` value word looks like a URL: `scheme://`. */
static bool value_is_url(const struct ast_word *w)
{
    uint32_t i;

    for (i = 0; i < w->len; i++) {
        char c = w->text[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && ((c >= '0' && c <= '9') || c == '-' || c == '_' ||
                         c == '+' || c == '.'))))
            break;
    }
    return i > 0 && i + 3 <= w->len && memcmp(w->text + i, "://", 3) == 0;
}

/* Whether @p cmd can have URI words at all (cheap: no memo, no parse). */
static bool cmd_takes_uris(const struct lint_cmd *cmd)
{
    unsigned id = lint_cmd_id(cmd);

    if (id == CMD_ID_NONE)
        return false;
    if (cmd->call.error != CMD_OK && cmd->call.error != CMD_ERR_TOO_MANY &&
        cmd->call.error != CMD_ERR_TOO_FEW)
        return false;
    return uri_cmds[id].use || id == CMD_ID_SET ||
           (id == CMD_ID_CONSOLE && cmd->call.nopts);
}

/*
 * What the family computes once per file and shares between its rules
 * (lint_memo): the URI words of the command the on_command rules are on
 * (each of them asks in turn, so one command is kept), the platform each
 * command runs on (for the IPX301x rules), and the names images got so
 * far (IPX2307, which walks the commands in file order).
 */
struct name_set {
    struct nameset names; /**< (malloc) released by check_names_done() */
    bool unknown;         /**< some image got a name we cannot know */
};

struct boot_data {
    const struct lint_cmd *ucmd; /**< the command uw[] is for, or NULL */
    struct uri_word *uw;         /**< its URI words (arena) */
    uint32_t nuw, capuw;
    bool guards_done;            /**< guard[] computed */
    uint8_t *guard;              /**< per command: enum lint_platform it
                                      is guarded for (arena), or NULL */
    uint32_t *base;              /**< per line: index of its first command */
    struct name_set names;       /**< IPX2307 */
};

static void *boot_data_new(struct lint_ctx *ctx)
{
    return arena_zalloc(lint_arena(ctx), sizeof(struct boot_data));
}

/* lint_memo()'s key for the family's data */
static const char boot_key;

static struct boot_data *boot_data(struct lint_ctx *ctx)
{
    return lint_memo(ctx, &boot_key, boot_data_new);
}

/* Append a URI word; false when memory ran out. */
static struct uri_word *uw_push(struct lint_ctx *ctx, struct boot_data *d)
{
    if (d->nuw == d->capuw) {
        uint32_t cap = d->capuw ? d->capuw * 2 : 8;
        struct uri_word *p =
            arena_alloc(lint_arena(ctx), cap * sizeof(*p));

        if (!p)
            return NULL;
        if (d->nuw)
            memcpy(p, d->uw, d->nuw * sizeof(*p));
        d->uw = p;
        d->capuw = cap;
    }
    return &d->uw[d->nuw++];
}

/* The URI words of @p cmd, which can have some (cmd_uris()). */
static const struct uri_word *cmd_uris_parse(struct lint_ctx *ctx,
                                             const struct lint_cmd *cmd,
                                             uint32_t *n)
{
    const struct ast_segment *seg = cmd->seg;
    const struct uri_cmd *uc;
    struct boot_data *d;
    struct uri_word *u;
    unsigned id;
    uint32_t k, i;

    d = boot_data(ctx);
    if (!d)
        return NULL;
    if (d->ucmd == cmd) {
        *n = d->nuw;
        return d->uw;
    }
    d->ucmd = cmd;
    d->nuw = 0;
    id = lint_cmd_id(cmd);
    uc = &uri_cmds[id];
    for (k = cmd->call.first_arg, i = 0; k < seg->argc && i < cmd->call.nargs;
         k++) {
        const struct ast_word *w = seg->argv[k];

        if (w->flags & AST_W_CONTROL)
            continue;
        i++;
        if (w->len == 0)
            continue;
        if (id == CMD_ID_SET) {
            if (i - 1 < 1 || !value_is_url(w))
                continue;
            if (!(u = uw_push(ctx, d)))
                break;
            uri_word_init(u, w, USE_VALUE, i - 1);
            continue;
        }
        if (!uc->use || i - 1 < uc->first)
            continue;
        if (uc->last != 255 && i - 1 > uc->last)
            break;
        if (!(u = uw_push(ctx, d)))
            break;
        uri_word_init(u, w, (enum uri_use)uc->use, i - 1);
    }
    if (id == CMD_ID_CONSOLE) {
        const struct cmd_optval *pic = cmdparse_opt(&cmd->call, "picture");

        if (pic && pic->value && pic->vlen == pic->value->len &&
            (u = uw_push(ctx, d)))
            uri_word_init(u, pic->value, USE_ACQUIRE, UINT32_MAX);
    }
    *n = d->nuw;
    return d->uw;
}

/* The URI words of @p cmd, in order (shared by the rules: parsed once,
 * and most commands have none, which this says without a call). */
static inline const struct uri_word *
cmd_uris(struct lint_ctx *ctx, const struct lint_cmd *cmd, uint32_t *n)
{
    *n = 0;
    return cmd_takes_uris(cmd) ? cmd_uris_parse(ctx, cmd, n) : NULL;
}

/* Whether @p u is a bare name: literal, no '/', no scheme. */
static bool uri_is_bare(const struct uri_word *u)
{
    return ast_word_is_static(u->w) && !u->p.scheme.present &&
           memchr(u->w->text, '/', u->w->len) == NULL;
}

/* What iPXE has for the word's scheme, or NULL if the word has no certain
 * scheme or iPXE no opener for it. */
static const struct uri_scheme *uri_known_scheme(const struct uri_word *u)
{
    if (!u->p.scheme.present || !u->scheme_known || !u->p.scheme.len)
        return NULL;
    return uri_scheme_find(u->w->text + u->p.scheme.off, u->p.scheme.len);
}

/* Whether the word's scheme is certainly @p name (lower case), in any
 * case: "http", "HTTP". */
static bool scheme_is(const struct uri_word *u, const char *name)
{
    uint32_t i, n = u->p.scheme.len;
    const char *s = u->w->text + u->p.scheme.off;

    if (!u->p.scheme.present || !u->scheme_known || n != strlen(name))
        return false;
    for (i = 0; i < n; i++) {
        char c = s[i];

        if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != name[i])
            return false;
    }
    return true;
}

/* ---- IPX2304: http:// where https is required ---- */

/* The body of check_insecure_url(), for commands that have URI words. */
static NOINLINE void uris_insecure_url(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct uri_word *uw, *u;
    uint32_t nu, ui;

    if (!lint_options_of(ctx)->require_https)
        return;
    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu; ui++) {
        u = &uw[ui];
        struct diag *dg;

        if (!scheme_is(u, "http"))
            continue;
        dg = lint_report(ctx, &insecure_url, u->w->span,
                         "'%.*s' is plain http, but this configuration "
                         "requires https: the download can be read and "
                         "changed on the way to the server",
                         (int)u->w->len, u->w->text);
        if (dg && word_fixable(u->w))
            diag_fix(lint_diags(ctx), dg,
                     sub_span(u->w, u->p.scheme.off, u->p.scheme.len), "https");
    }
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_insecure_url(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (cmd_takes_uris(cmd))
        uris_insecure_url(ctx, cmd);
}

/* ---- IPX2305: user:password@ in a URL ---- */

/* The body of check_url_credentials(), for commands that have URI words. */
static NOINLINE void uris_url_credentials(struct lint_ctx *ctx,
                                  const struct lint_cmd *cmd)
{
    const struct uri_word *uw, *u;
    uint32_t nu, ui;

    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu; ui++) {
        u = &uw[ui];
        const struct uri_part *pw = &u->p.password;
        const char *clear = "";

        if (!pw->present || !pw->len || !part_literal(u, pw))
            continue;
        if (scheme_is(u, "http") || scheme_is(u, "ftp") ||
            scheme_is(u, "tftp"))
            clear = ", and it crosses the network unencrypted";
        lint_report(ctx, &url_credentials, u->w->span,
                    "'%.*s***%.*s' has a password written in the URL: "
                    "anyone who can read the script can read it%s; keep it "
                    "out of the script, e.g. "
                    "'%.*s${username}:${password}@%.*s'",
                    (int)pw->off, u->w->text,
                    (int)(u->w->len - pw->off - pw->len),
                    u->w->text + pw->off + pw->len, clear, (int)u->p.user.off,
                    u->w->text, (int)(u->w->len - pw->off - pw->len - 1),
                    u->w->text + pw->off + pw->len + 1);
    }
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_url_credentials(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (cmd_takes_uris(cmd))
        uris_url_credentials(ctx, cmd);
}

static uint32_t scheme_like(const char *s, uint32_t len);

/* ---- IPX2306: relative URIs ---- */

/* Whether the first path component of a relative URI reads as a host:
 * a dotted IPv4 address or `name:port`. */
static bool looks_like_host(const char *s, uint32_t len)
{
    uint32_t end = 0, dots = 0, digits = 0, i, colon = UINT32_MAX;

    while (end < len && s[end] != '/')
        end++;
    for (i = 0; i < end; i++) {
        if (s[i] == ':' && colon == UINT32_MAX)
            colon = i;
    }
    if (colon != UINT32_MAX && colon > 0 && colon + 1 < end) {
        for (i = colon + 1; i < end; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
        }
        return true;
    }
    for (i = 0; i < end; i++) {
        if (s[i] == '.') {
            if (!digits)
                return false;
            dots++;
            digits = 0;
        } else if (s[i] >= '0' && s[i] <= '9') {
            digits++;
        } else {
            return false;
        }
    }
    return dots == 3 && digits > 0;
}

/* The body of check_relative_uri(), for commands that have URI words. */
static NOINLINE void uris_relative_uri(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct uri_word *uw, *u;
    uint32_t nu, ui;

    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu; ui++) {
        u = &uw[ui];
        const char *s = u->w->text;

        if (u->use == USE_VALUE || !u->scheme_known || u->p.scheme.present ||
            u->lit == 0)
            continue;
        if ((u->use == USE_ACQUIRE && uri_is_bare(u)) || scheme_like(s, u->lit))
            continue; /* IPX2307 and IPX2308 say more about those */
        if (looks_like_host(s, u->lit)) {
            lint_report_at(ctx, &relative_uri, DIAG_WARNING, u->w->span,
                           "'%.*s' has no scheme, so iPXE takes it as a "
                           "path relative to the running script's URL, not "
                           "as a server address; write 'http://%.*s'",
                           (int)u->w->len, s, (int)u->w->len, s);
            continue;
        }
        lint_report(ctx, &relative_uri, u->w->span,
                    "'%.*s' is a relative URI: iPXE resolves it against the "
                    "URL the running script came from (${cwuri}), and the "
                    "download fails if the script has no URL (an embedded "
                    "script, for example)",
                    (int)u->w->len, s);
    }
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_relative_uri(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (cmd_takes_uris(cmd))
        uris_relative_uri(ctx, cmd);
}

/* ---- IPX2307: bare names that may hit a registered image ---- */

/* Names images get, in file order: `--name`, else the URI's basename
 * (spec §1.8 image_set_uri). */
static void name_add(struct name_set *set, const char *name, uint32_t len)
{
    if (nameset_add(&set->names, name, len, 0))
        set->unknown = true; /* out of memory: stay silent */
}

/* Record the name the image of @p cmd gets (URI word @p u). */
static void name_note(struct name_set *set, const struct lint_cmd *cmd,
                      const struct uri_word *u)
{
    const struct cmd_optval *name = cmdparse_opt(&cmd->call, "name");
    const char *s = u->w->text;
    uint32_t end, start;

    if (name) {
        if (name->value && !ast_word_is_static(name->value))
            set->unknown = true;
        else
            name_add(set, name->vtext, name->vlen);
        return;
    }
    if (u->p.opaque.present)
        return; /* no path: "imgN" */
    end = u->p.path.present ? u->p.path.off + u->p.path.len : u->w->len;
    if (end > u->w->len)
        end = u->w->len;
    start = end;
    while (start > 0 && s[start - 1] != '/')
        start--;
    if (start < u->lit || end > u->lit) {
        if (u->lit < end)
            set->unknown = true;
        else if (start < end)
            name_add(set, s + start, end - start);
        return;
    }
    set->unknown = true;
}

/* The body of check_bare_image_name(), for commands that have URI words:
 * called for every command in file order, the names registered so far
 * live in the family's data. */
static NOINLINE void uris_bare_image_name(struct lint_ctx *ctx,
                                  const struct lint_cmd *cmd)
{
    const struct uri_word *uw, *u;
    struct name_set *set;
    struct boot_data *d;
    uint32_t nu, ui;
    unsigned id;
    bool registers;

    uw = cmd_uris(ctx, cmd, &nu);
    if (!nu || !(d = boot_data(ctx)))
        return;
    set = &d->names;
    id = lint_cmd_id(cmd);
    /* the first argument of these becomes a registered image */
    registers = id == CMD_ID_IMGFETCH || id == CMD_ID_IMGSELECT ||
                id == CMD_ID_IMGEXEC || id == CMD_ID_IMGEXTRACT ||
                id == CMD_ID_IMGDECRYPT || id == CMD_ID_IMGVERIFY;
    for (ui = 0; ui < nu; ui++) {
        u = &uw[ui];
        if (u->use == USE_ACQUIRE && uri_is_bare(u) && !set->unknown &&
            cmd->ll->reachable &&
            !nameset_get(&set->names, u->w->text, u->w->len, NULL)) {
            struct diag *dg = lint_report(
                ctx, &bare_image_name, u->w->span,
                "'%s %.*s' %s an image already registered as "
                "'%.*s' if there is one (left by a parent script "
                "or an earlier pass) and only downloads it, "
                "relative to the script's URL, when there is none",
                cmd_name(cmd), (int)u->w->len, u->w->text,
                id == CMD_ID_IMGEXEC     ? "runs"
                : id == CMD_ID_IMGSELECT ? "selects"
                                         : "uses",
                (int)u->w->len, u->w->text);
            diag_hint(lint_diags(ctx), dg,
                      "write './%.*s' to always download it, or "
                      "fetch it first with 'imgfetch --name %.*s'",
                      (int)u->w->len, u->w->text, (int)u->w->len,
                      u->w->text);
        }
        if (registers && u->arg == 0)
            name_note(set, cmd, u);
    }
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_bare_image_name(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (cmd_takes_uris(cmd))
        uris_bare_image_name(ctx, cmd);
}

/* After the walk: the names are needed no more. */
static void check_names_done(struct lint_ctx *ctx)
{
    struct boot_data *d = boot_data(ctx);

    if (d)
        nameset_release(&d->names.names);
}

/* ---- IPX2308: unknown URI schemes ---- */

/* Length of a leading `letters(letters|digits|+|.|-|_)*` followed by
 * "://", or 0: what people write as a scheme. */
static uint32_t scheme_like(const char *s, uint32_t len)
{
    uint32_t i;

    for (i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && ((c >= '0' && c <= '9') || c == '-' || c == '_' ||
                         c == '+' || c == '.'))))
            break;
    }
    return i > 0 && i + 3 <= len && memcmp(s + i, "://", 3) == 0 ? i : 0;
}

/* The body of check_unknown_scheme(), for commands that have URI words. */
static NOINLINE void uris_unknown_scheme(struct lint_ctx *ctx,
                                 const struct lint_cmd *cmd)
{
    const struct uri_word *uw, *u;
    uint32_t nu, ui;

    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu; ui++) {
        u = &uw[ui];
        const struct uri_scheme *hint;
        const char *s = u->w->text;
        struct diag *dg;
        uint32_t n;

        if (!u->p.scheme.present || !u->scheme_known) {
            /* `tftp6://` or `nfs4://`: to iPXE not a scheme at all */
            n = scheme_like(s, u->lit);
            if (!n || u->p.scheme.present || u->use == USE_VALUE)
                continue;
            lint_report(ctx, &unknown_uri_scheme, u->w->span,
                        "'%.*s' is not a URI scheme to iPXE (a scheme has "
                        "only letters, '-' and '_'): '%.*s' is taken as a "
                        "path relative to the running script's URL and "
                        "fetched from the wrong place",
                        (int)n, s, (int)u->w->len, s);
            continue;
        }
        n = u->p.scheme.len;
        if (n == 0 || uri_scheme_find(s, n))
            continue;
        hint = uri_scheme_suggest(s, n);
        if (u->use == USE_VALUE && !hint)
            continue; /* a value for something else than iPXE */
        if (u->use == USE_VALUE)
            dg = lint_report(ctx, &unknown_uri_scheme, u->w->span,
                             "unknown URI scheme '%.*s': iPXE has no opener "
                             "for it, so fetching this URL fails with "
                             "'Operation not supported'",
                             (int)n, s);
        else
            dg = lint_report(ctx, &unknown_uri_scheme, u->w->span,
                             "unknown URI scheme '%.*s': iPXE has no opener "
                             "for it, so '%s' fails with 'Operation not "
                             "supported'",
                             (int)n, s, cmd_name(cmd));
        if (dg && hint) {
            diag_hint(lint_diags(ctx), dg, "did you mean '%s'?", hint->name);
            if (word_fixable(u->w))
                diag_fix(lint_diags(ctx), dg, sub_span(u->w, u->p.scheme.off, n),
                         hint->name);
        }
    }
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_unknown_scheme(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (cmd_takes_uris(cmd))
        uris_unknown_scheme(ctx, cmd);
}

/* ---- IPX2311: hosts outside allowed-hosts ---- */

/* The body of check_host_allowed(), for commands that have URI words. */
static NOINLINE void uris_host_allowed(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const char *const *allowed = lint_options_of(ctx)->allowed_hosts;
    const struct uri_word *uw, *u;
    uint32_t nu, ui;

    if (!allowed)
        return;
    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu; ui++) {
        u = &uw[ui];
        const struct uri_part *h = &u->p.host;

        if (!h->present || !h->len || !part_literal(u, h) || !u->scheme_known)
            continue;
        if (uri_host_allowed(u->w->text + h->off, h->len, allowed))
            continue;
        lint_report(ctx, &host_not_allowed, u->w->span,
                    "'%.*s' names host '%.*s', which is not in the "
                    "configured allowed-hosts: the script would fetch from a "
                    "server outside the list",
                    (int)u->w->len, u->w->text, (int)h->len, u->w->text + h->off);
    }
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_host_allowed(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (cmd_takes_uris(cmd))
        uris_host_allowed(ctx, cmd);
}

/* ---- IPX2309, IPX2310: sanboot (spec §5.4) ---- */

/* The root paths of a sanboot: 0 for a local-disk boot. */
static bool sanboot_local(const struct lint_cmd *cmd)
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
    for (i = cmd->ll->index + 1; i < n; i++) {
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

    if (!sanboot_local(cmd) || cmdparse_opt(&cmd->call, "no-describe"))
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
                          const bool *named, const bool *first,
                          uint8_t *guard, const uint32_t *base)
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
            if (t != LINT_PLATFORM_ANY && k + 1 < ll->ncmds &&
                ll->cmds[k + 1].op_before) {
                if (ll->cmds[k + 1].op_before->kind == AST_AND)
                    line = t;
                else if (ll->cmds[k + 1].op_before->kind == AST_OR)
                    line = platform_other(t);
            }
        }
        if (ll->has_code)
            falls = (ll->flow & LINT_FLOW_NEXT) != 0;
        /* `iseq ${platform} efi && goto x ||`: what follows is BIOS only */
        if (ll->ncmds >= 2 && cmd_leaves(&ll->cmds[1])) {
            enum lint_platform t = platform_test(&ll->cmds[0]);
            const struct ast_word *op = ll->cmds[1].op_before;

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
    return (enum lint_platform)d->guard[d->base[cmd->ll->index] + cmd->index];
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

/* Whether @p cmd has a URI word with a scheme of its own. */
static bool has_uri(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    const struct uri_word *uw;
    uint32_t nu, ui;

    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu; ui++) {
        if (uri_known_scheme(&uw[ui]))
            return true;
    }
    return false;
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
        plat == LINT_PLATFORM_PCBIOS || !sanboot_local(cmd) ||
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
    if (!sanboot_local(cmd) || lint_platform(ctx) == LINT_PLATFORM_PCBIOS)
        return;
    visit_drive_on_efi(ctx, cmd, cmd_guard(ctx, cmd));
}

/* ---- IPX3011: EFI-only sanboot options on BIOS ---- */

static void visit_efi_options(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                              enum lint_platform guard)
{
    static const char *const efi_only[] = {"filename", "extra", "label",
                                           "uuid"};
    const struct cmd_optval *drive;
    enum lint_platform plat;
    unsigned long v;
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
    drive = cmdparse_opt(&cmd->call, "drive");
    if (drive && sanboot_local(cmd) &&
        (!drive->value || ast_word_is_static(drive->value)) &&
        cmdparse_integer(drive->vtext, drive->vlen, &v) && v == 0)
        lint_report(ctx, &sanboot_efi_options_on_bios,
                    cmd->seg->argv[drive->word]->span,
                    "drive 0 means 'any disk' only under UEFI: on legacy "
                    "BIOS it is the first floppy drive, so this boots no "
                    "disk; use '--drive 0x80' for the first hard disk");
}

static void check_efi_options_on_bios(struct lint_ctx *ctx,
                                      const struct lint_cmd *cmd)
{
    if (!lint_cmd_is(cmd, CMD_ID_SANBOOT) || cmd->call.error != CMD_OK ||
        lint_platform(ctx) == LINT_PLATFORM_EFI)
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

    if (!effective_platform(ctx, guard, &plat) || plat != LINT_PLATFORM_PCBIOS)
        return;
    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu; ui++) {
        u = &uw[ui];
        if (!scheme_is(u, "https"))
            continue;
        lint_report(ctx, &https_on_bios, u->w->span,
                    "default legacy-BIOS builds of iPXE leave out HTTPS "
                    "(DOWNLOAD_PROTO_HTTPS): unless your iPXE was built with "
                    "it, fetching '%.*s' fails with 'Operation not "
                    "supported'",
                    (int)u->w->len, u->w->text);
    }
}

/* The body of check_https_on_bios(), for commands that have URI words. */
static NOINLINE void uris_https_on_bios(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd)
{
    if (lint_platform(ctx) == LINT_PLATFORM_EFI || !has_uri(ctx, cmd))
        return;
    visit_https_on_bios(ctx, cmd, cmd_guard(ctx, cmd));
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_https_on_bios(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (cmd_takes_uris(cmd))
        uris_https_on_bios(ctx, cmd);
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
        const struct uri_scheme *s = uri_known_scheme(u);
        const char *where;

        if (!s || u->use == USE_VALUE || strcmp(s->name, "https") == 0)
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
    if (!has_uri(ctx, cmd))
        return;
    visit_scheme_build(ctx, cmd, cmd_guard(ctx, cmd));
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_scheme_build(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (cmd_takes_uris(cmd))
        uris_scheme_build(ctx, cmd);
}

/* ---- IPX2303: downloads repeated by a loop (spec §1.8) ---- */

/* Whether @p cmd downloads an image that stays registered afterwards:
 * no --autofree, no --replace, and not a bare name (which re-uses the
 * image registered on the first pass). */
static bool cmd_keeps_download(const struct lint_cmd *cmd)
{
    unsigned id = lint_cmd_id(cmd);
    struct uri_word u;
    const struct ast_word *w;

    if (id != CMD_ID_IMGFETCH && id != CMD_ID_IMGSELECT &&
        id != CMD_ID_IMGEXEC)
        return false;
    if (cmd->call.error != CMD_OK || cmd->call.nargs == 0)
        return false;
    if (cmdparse_opt(&cmd->call, "autofree") ||
        cmdparse_opt(&cmd->call, "replace"))
        return false;
    w = cmd_arg(cmd, 0);
    if (!w || id == CMD_ID_IMGFETCH)
        return w != NULL;
    uri_word_init(&u, w, USE_ACQUIRE, 0);
    return !uri_is_bare(&u);
}

/* What running one segment can lead to, for the loop analysis. */
enum sim_out {
    SIM_OK = 1 << 0,   /**< status 0 */
    SIM_FAIL = 1 << 1, /**< non-zero status */
    SIM_JUMP = 1 << 2, /**< a goto: the line ends, a label is next */
};

/* Unlike the engine, a `boot` of the selected image is taken not to come
 * back when it works (a kernel never does), and only chaining a named
 * image (usually a script) returns. */
static unsigned sim_outcomes(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    unsigned id = lint_cmd_id(cmd);

    if (cmd->seg->argc == 0)
        return SIM_OK;
    if (id == CMD_ID_NONE)
        return cmd->call.dynamic ? SIM_OK | SIM_FAIL : SIM_FAIL;
    if (cmd->call.error != CMD_OK)
        return SIM_FAIL;
    switch (id) {
    case CMD_ID_GOTO: {
        const struct ast_word *w = cmd_arg(cmd, 0);

        if (!w || !ast_word_is_static(w))
            return SIM_JUMP | SIM_FAIL; /* `goto ${x} ||` may not jump */
        return cmd->target ? SIM_JUMP : SIM_FAIL;
    }
    case CMD_ID_EXIT:
    case CMD_ID_REBOOT:
        return 0;
    case CMD_ID_POWEROFF:
    case CMD_ID_SANBOOT:
        return SIM_FAIL;
    case CMD_ID_IMGEXEC:
        if (cmd->call.nargs == 0 || cmdparse_opt(&cmd->call, "replace"))
            return SIM_FAIL;
        break;
    case CMD_ID_ECHO:
    case CMD_ID_SET:
    case CMD_ID_CLEAR:
    case CMD_ID_IMGFREE:
    case CMD_ID_ITEM:
    case CMD_ID_MENU:
        return SIM_OK;
    default:
        break;
    }
    return SIM_OK | SIM_FAIL;
}

/*
 * Run line @p ll over the statuses its segments can have (spec §2.4).
 * With @p only < ncmds, count only the paths on which segment @p only ran
 * and succeeded.  Returns whether control can go on to the next line;
 * @p gotos gets a bit for every goto segment (of the first 64) that can run.
 */
static bool line_sim(struct lint_ctx *ctx, const struct lint_line *ll,
                     uint32_t only, uint64_t *gotos, const uint8_t *outs)
{
    /* states: bit (failed + 2 * ran), "ran" meaning segment @p only ran
     * and succeeded (always true when every path counts) */
    unsigned live = only < ll->ncmds ? 1u : 4u;
    uint32_t j;

    *gotos = 0;
    if (ll->line->flags & AST_L_DANGLING)
        return false;
    for (j = 0; j < ll->ncmds && live; j++) {
        const struct lint_cmd *cmd = &ll->cmds[j];
        const struct ast_word *op = cmd->op_before;
        unsigned runs = live, out;

        if (op && op->kind == AST_AND)
            runs = live & 5u;
        else if (op && op->kind == AST_OR)
            runs = live & 10u;
        if (!runs)
            continue;
        live &= ~runs;
        if (j == only) {
            live |= 4u;
            continue;
        }
        out = outs ? outs[j] : sim_outcomes(ctx, cmd);
        if (out & SIM_OK)
            live |= (runs & 3u ? 1u : 0u) | (runs & 12u ? 4u : 0u);
        if (out & SIM_FAIL)
            live |= (runs & 3u ? 2u : 0u) | (runs & 12u ? 8u : 0u);
        if ((out & SIM_JUMP) && (runs & 12u) && j < 64)
            *gotos |= (uint64_t)1 << j;
    }
    return (live & 4u) != 0;
}

/* The line graph: line i goes on to i + 1 and to its goto targets; one
 * extra node stands for every target of a `goto ${...}`. */
struct graph {
    uint32_t n;       /**< nodes: lines + 1 */
    uint32_t *first;  /**< n + 1 offsets into to[] */
    uint32_t *to;     /**< edge targets */
    uint32_t *gotoat; /**< per edge: the goto's line, or UINT32_MAX */
};

/* Whether goto @p k of @p ll runs only when a download before it on the
 * line failed (`chain x || goto retry`): a failed download registers
 * nothing, so such a retry loop keeps no images. */
static bool goto_after_failed_download(const struct lint_line *ll, uint32_t k)
{
    const struct ast_word *op = ll->cmds[k].op_before;
    uint32_t j;

    if (!op || op->kind != AST_OR)
        return false;
    for (j = 0; j < k; j++) {
        const struct lint_cmd *cmd = &ll->cmds[j];

        if ((lint_cmd_is(cmd, CMD_ID_IMGFETCH) ||
             lint_cmd_is(cmd, CMD_ID_IMGSELECT) ||
             lint_cmd_is(cmd, CMD_ID_IMGEXEC)) &&
            cmd->call.nargs > 0)
            return true;
    }
    return false;
}

/* The target node of goto @p cmd: a line, the hub, or UINT32_MAX. */
static uint32_t goto_target(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                            uint32_t hub)
{
    const struct ast_word *w;
    const struct lint_label *l;

    if (!lint_cmd_is(cmd, CMD_ID_GOTO) || cmd->call.error != CMD_OK ||
        cmd->call.nargs != 1)
        return UINT32_MAX;
    w = cmd_arg(cmd, 0);
    if (!w)
        return UINT32_MAX;
    if (!ast_word_is_static(w))
        return hub;
    l = cmd->target;
    return l ? l->line : UINT32_MAX;
}

/* Words a `goto ${...}` can plausibly expand to: menu item names, `set`
 * values of one word, `choose --default` values.  A literal word marks
 * the label it names; the others are kept. */
struct word_list {
    uint8_t *named; /**< (malloc) per label: a literal word names the
                         first label of that name */
    const struct ast_word *prefix[16]; /**< words known only up to their
                                            literal prefix (`utils-${x}`) */
    size_t nprefix;
    bool all; /**< some are unknown: any label may be hit */
};

/* Add a word a goto may name: an expansion can be anything, unless it
 * has a literal start (`utils-${platform}`). */
static void word_list_add(struct lint_ctx *ctx, struct word_list *l,
                          const struct ast_word *w)
{
    if (!w)
        return;
    if (ast_word_is_static(w)) {
        size_t n;
        const struct lint_label *labels = lint_labels(ctx, &n);
        const struct lint_label *lb = lint_label_find(ctx, w->text, w->len);

        if (lb && l->named)
            l->named[lb - labels] = 1;
        else if (lb)
            l->all = true; /* out of memory */
    } else if (literal_prefix(w) == 0 || l->nprefix == 16) {
        l->all = true;
    } else {
        l->prefix[l->nprefix++] = w;
    }
}

static bool word_list_has(const struct word_list *l,
                          const struct lint_label *lb)
{
    const struct ast_word *w = lb->word;
    size_t i;

    if (l->all)
        return true;
    if (l->named && l->named[lb->first])
        return true;
    for (i = 0; i < l->nprefix; i++) {
        uint32_t n = literal_prefix(l->prefix[i]);

        if (w->len >= n && memcmp(w->text, l->prefix[i]->text, n) == 0)
            return true;
    }
    return false;
}

/* Add edge @p v -> @p to (a goto on line @p at, or UINT32_MAX). */
static bool graph_edge(struct graph *g, uint32_t *cap, uint32_t e,
                       uint32_t to, uint32_t at)
{
    if (e == *cap) {
        uint32_t c = *cap ? *cap * 2 : 1024;
        uint32_t *t = realloc(g->to, c * sizeof(*t));

        if (!t)
            return false;
        g->to = t;
        t = realloc(g->gotoat, c * sizeof(*t));
        if (!t)
            return false;
        g->gotoat = t;
        *cap = c;
    }
    g->to[e] = to;
    g->gotoat[e] = at;
    return true;
}

static void graph_release(struct graph *g)
{
    free(g->first);
    free(g->to);
    free(g->gotoat);
    memset(g, 0, sizeof(*g));
}

/* Tarjan's strongly connected components, without recursion: @p comp gets
 * each node's component, @p size each component's node count.  Returns 0
 * or -ENOMEM. */
static int graph_scc(const struct graph *g, uint32_t *comp, uint32_t *size)
{
    uint32_t *index = malloc(g->n * sizeof(*index));
    uint32_t *low = malloc(g->n * sizeof(*low));
    uint32_t *stack = malloc(g->n * sizeof(*stack));
    uint32_t *call = malloc(g->n * sizeof(*call));
    uint32_t *edge = malloc(g->n * sizeof(*edge));
    bool *on = calloc(g->n, sizeof(*on));
    uint32_t counter = 0, sp = 0, ncomp = 0, root, v;
    int rc = -ENOMEM;

    if (!index || !low || !stack || !call || !edge || !on)
        goto out;
    for (v = 0; v < g->n; v++)
        index[v] = UINT32_MAX;
    for (root = 0; root < g->n; root++) {
        uint32_t depth = 0;

        if (index[root] != UINT32_MAX)
            continue;
        call[depth++] = root;
        index[root] = low[root] = counter++;
        edge[root] = g->first[root];
        stack[sp++] = root;
        on[root] = true;
        while (depth) {
            v = call[depth - 1];
            if (edge[v] < g->first[v + 1]) {
                uint32_t w = g->to[edge[v]++];

                if (index[w] == UINT32_MAX) {
                    index[w] = low[w] = counter++;
                    edge[w] = g->first[w];
                    stack[sp++] = w;
                    on[w] = true;
                    call[depth++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            /* v is done: pop its component if it is a root */
            if (low[v] == index[v]) {
                uint32_t w, count = 0;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    comp[w] = ncomp;
                    count++;
                } while (w != v);
                size[ncomp++] = count;
            }
            depth--;
            if (depth && low[v] < low[call[depth - 1]])
                low[call[depth - 1]] = low[v];
        }
    }
    rc = 0;
out:
    free(index);
    free(low);
    free(stack);
    free(call);
    free(edge);
    free(on);
    return rc;
}

/* Per component, the line of a goto that closes a loop in it: the last
 * backward goto (to a line at or before it, or any `goto ${...}`), else
 * any goto inside it; UINT32_MAX if none.  One pass over the edges. */
static void loop_witnesses(const struct graph *g, const uint32_t *comp,
                           uint32_t *witness, bool *backward)
{
    uint32_t v, e, hub = g->n - 1;

    for (v = 0; v < g->n; v++) {
        witness[v] = UINT32_MAX;
        backward[v] = false;
    }
    for (v = 0; v < hub; v++) {
        for (e = g->first[v]; e < g->first[v + 1]; e++) {
            uint32_t t = g->to[e], c = comp[v];
            bool back = t <= v || t == hub;

            if (g->gotoat[e] == UINT32_MAX || comp[t] != c)
                continue;
            if (back || !backward[c]) {
                witness[c] = v;
                backward[c] = back;
            }
        }
    }
}

/* Whether a goto on line @p v closes a loop of its component: it goes
 * back to a line at or before it, or it is a `goto ${...}`. */
static bool closes_loop(const struct graph *g, const uint32_t *comp,
                        uint32_t v)
{
    uint32_t hub = g->n - 1, c = comp[v], e;

    for (e = g->first[v]; e < g->first[v + 1]; e++) {
        uint32_t t = g->to[e];

        if (g->gotoat[e] != UINT32_MAX && comp[t] == c &&
            (t <= v || t == hub))
            return true;
    }
    return false;
}

/* Whether node @p v has an edge to itself. */
static bool self_loop(const struct graph *g, uint32_t v)
{
    uint32_t e;

    for (e = g->first[v]; e < g->first[v + 1]; e++) {
        if (g->to[e] == v)
            return true;
    }
    return false;
}

/* The goto word on @p line (for the message). */
static const struct ast_word *goto_word(const struct lint_line *ll)
{
    uint32_t k;

    for (k = 0; k < ll->ncmds; k++) {
        if (lint_cmd_is(&ll->cmds[k], CMD_ID_GOTO) &&
            ll->cmds[k].call.nargs == 1)
            return cmd_arg(&ll->cmds[k], 0);
    }
    return NULL;
}

static void report_loop(struct lint_ctx *ctx, const struct lint_cmd *cmd,
                        const struct lint_line *lines, uint32_t witness,
                        uint32_t more)
{
    const struct ast_word *target = NULL;
    char via[160] = "", others[64] = "";

    if (witness != UINT32_MAX)
        target = goto_word(&lines[witness]);
    if (target)
        snprintf(via, sizeof(via), " through 'goto %.*s' on line %u",
                 target->len < 64 ? (int)target->len : 64, target->text,
                 lint_line_at(ctx, lines[witness].line->span.start));
    if (more)
        snprintf(others, sizeof(others), " (and %u more download%s)", more,
                 more == 1 ? "" : "s");
    lint_report(ctx, &chain_in_loop, cmd->seg->argv[0]->span,
                "'%s'%s runs again on each pass of the loop%s, and the "
                "images from earlier passes stay registered: memory fills "
                "up, and an old initrd can reach the next kernel; run "
                "'imgfree' at the top of the loop, or give 'chain' "
                "'--autofree'",
                cmd_name(cmd), others, via);
}

/* Whether, once segment @p k of line @p i has downloaded its image, control
 * can come back to the line: a successor on those paths lies in the
 * line's own component.  A loop that only a failed download enters
 * (`chain x || goto retry`) keeps no image. */
static bool loops_on_success(struct lint_ctx *ctx, const struct graph *g,
                             const uint32_t *comp,
                             const struct lint_line *lines, size_t n,
                             uint32_t i, uint32_t k)
{
    uint32_t hub = g->n - 1, j;
    uint64_t gotos;
    bool next = line_sim(ctx, &lines[i], k, &gotos, NULL);

    if (next && i + 1 < n && comp[i + 1] == comp[i])
        return true;
    for (j = 0; j < lines[i].ncmds && j < 64; j++) {
        uint32_t t;

        if (!(gotos & ((uint64_t)1 << j)))
            continue;
        t = goto_target(ctx, &lines[i].cmds[j], hub);
        if (t != UINT32_MAX && comp[t] == comp[i])
            return true;
    }
    return false;
}

/* The first download of each loop, and how many there are. */
struct loop_first {
    const struct lint_cmd *cmd; /**< the first, in file order */
    uint32_t count;             /**< downloads in the loop */
    uint32_t witness;           /**< the goto line to name */
};

/*
 * What IPX2303 gathers line by line (on_line, while the engine has the
 * line at hand) for the analysis at the end: the line graph, built in
 * order, and the words a `goto ${...}` may name.
 */
struct loop_data {
    struct graph g;       /**< first[] per line so far; to[], gotoat[] */
    uint32_t nlines;      /**< lines seen */
    uint32_t e, cap;      /**< edges, and room for them */
    uint8_t *kept;        /**< per line: has a download that stays */
    bool any;             /**< some download stays registered */
    bool oom;             /**< memory ran out: say nothing */
    struct nameset vars;  /**< settings some `goto ${name}` reads */
    bool all_vars;        /**< some goto target is not a plain ${name}
                               (or memory ran out for vars) */
    struct word_list targets; /**< item names, defaults, set values */
    const struct ast_word **sets; /**< (malloc) `set name value` pairs,
                                       kept until the vars are known */
    size_t nsets, capsets;
};

static void *loop_data_new(struct lint_ctx *ctx)
{
    size_t n, nlabels;
    struct loop_data *d = arena_zalloc(lint_arena(ctx), sizeof(*d));

    lint_lines(ctx, &n);
    lint_labels(ctx, &nlabels);
    if (!d)
        return NULL;
    d->g.n = (uint32_t)n + 1;
    d->g.first = malloc(((size_t)n + 2) * sizeof(*d->g.first));
    d->kept = calloc(n ? n : 1, 1);
    if (!d->g.first || !d->kept)
        d->oom = true;
    if (lint_has_dynamic_goto(ctx))
        d->targets.named = calloc(nlabels ? nlabels : 1, 1);
    return d;
}

/* lint_memo()'s key for IPX2303's data */
static const char loop_key;

static void loop_set_add(struct loop_data *d, const struct ast_word *name,
                         const struct ast_word *value)
{
    if (d->nsets + 2 > d->capsets) {
        size_t cap = d->capsets ? d->capsets * 2 : 64;
        const struct ast_word **p = realloc(d->sets, cap * sizeof(*p));

        if (!p) {
            d->targets.all = true;
            return;
        }
        d->sets = p;
        d->capsets = cap;
    }
    d->sets[d->nsets++] = name;
    d->sets[d->nsets++] = value;
}

/* Note what goto targets command @p cmd can give a `goto ${...}`. */
static void loop_note_targets(struct lint_ctx *ctx, struct loop_data *d,
                              const struct lint_cmd *cmd)
{
    const struct cmd_optval *def;
    const struct ast_word *w;

    switch (lint_cmd_id(cmd)) {
    case CMD_ID_GOTO:
        if (cmd->call.nargs != 1 || !(w = cmd_arg(cmd, 0)) || ast_word_is_static(w))
            break;
        /* a plain `${name}` is noted; any other (or no memory) may be
         * any setting */
        if (!(w->len > 3 && memcmp(w->text, "${", 2) == 0 &&
              memchr(w->text + 2, '$', w->len - 2) == NULL &&
              memchr(w->text + 2, '}', w->len - 3) == NULL &&
              w->text[w->len - 1] == '}') ||
            nameset_add(&d->vars, w->text + 2, w->len - 3, 0))
            d->all_vars = true;
        break;
    case CMD_ID_ITEM:
        if (cmd->call.nargs && !cmdparse_opt(&cmd->call, "gap"))
            word_list_add(ctx, &d->targets, cmd_arg(cmd, 0));
        break;
    case CMD_ID_SET:
        /* a value counts if some `goto ${name}` reads the setting */
        if (cmd->call.nargs == 2 && (w = cmd_arg(cmd, 0)))
            loop_set_add(d, w, cmd_arg(cmd, 1));
        break;
    case CMD_ID_CHOOSE:
        /* a default is an item name: only a literal one adds */
        def = cmdparse_opt(&cmd->call, "default");
        if (def && def->value && def->vlen == def->value->len &&
            ast_word_is_static(def->value))
            word_list_add(ctx, &d->targets, def->value);
        break;
    default:
        break;
    }
}

/* One line: its edges (a line that runs `imgfree` has none, since a loop
 * through it does not keep old images), its downloads, its targets. */
static void loop_line(struct lint_ctx *ctx, const struct lint_line *ll)
{
    struct loop_data *d = lint_memo(ctx, &loop_key, loop_data_new);
    uint32_t i = ll->index, hub, k, n = ll->ncmds < 64 ? ll->ncmds : 64;
    uint32_t target[64];
    uint8_t outs[64];
    bool dead = false, next, dynamic = lint_has_dynamic_goto(ctx);
    uint64_t gotos;
    size_t nlines;

    if (!d || d->oom || i != d->nlines)
        return;
    d->nlines++;
    d->g.first[i] = d->e;
    hub = d->g.n - 1;
    lint_lines(ctx, &nlines);
    for (k = 0; k < ll->ncmds; k++) {
        const struct lint_cmd *cmd = &ll->cmds[k];
        unsigned id = lint_cmd_id(cmd);

        if (k < 64) {
            /* a goto's label is looked up once, for both uses */
            target[k] = goto_target(ctx, cmd, hub);
            if (id == CMD_ID_GOTO && cmd->call.error == CMD_OK &&
                cmd_arg(cmd, 0))
                outs[k] = target[k] == hub           ? SIM_JUMP | SIM_FAIL
                          : target[k] == UINT32_MAX ? SIM_FAIL
                                                     : SIM_JUMP;
            else
                outs[k] = (uint8_t)sim_outcomes(ctx, cmd);
        }
        if (id == CMD_ID_IMGFREE)
            dead = true;
        if (cmd_keeps_download(cmd))
            d->kept[i] = 1;
        if (dynamic && !cmd->call.dynamic)
            loop_note_targets(ctx, d, cmd);
    }
    d->any |= d->kept[i];
    if (dead)
        return;
    next = line_sim(ctx, ll, UINT32_MAX, &gotos,
                    ll->ncmds <= 64 ? outs : NULL);
    if (next && i + 1 < nlines &&
        !graph_edge(&d->g, &d->cap, d->e++, i + 1, UINT32_MAX))
        d->oom = true;
    for (k = 0; gotos && k < n && !d->oom; k++) {
        uint32_t t = target[k];

        if (!(gotos & ((uint64_t)1 << k)))
            continue;
        if (t == UINT32_MAX || goto_after_failed_download(ll, k))
            continue;
        if (!graph_edge(&d->g, &d->cap, d->e++, t, i))
            d->oom = true;
    }
}

static void loop_data_release(struct loop_data *d)
{
    graph_release(&d->g);
    free(d->kept);
    nameset_release(&d->vars);
    free(d->targets.named);
    free(d->sets);
}

/* The edges of the hub: every label a `goto ${...}` may name. */
static void loop_hub(struct lint_ctx *ctx, struct loop_data *d)
{
    const struct lint_label *labels;
    size_t nlabels, i;

    d->g.first[d->g.n - 1] = d->e;
    if (lint_has_dynamic_goto(ctx)) {
        for (i = 0; i < d->nsets; i += 2) {
            const struct ast_word *name = d->sets[i];

            if (d->all_vars ||
                nameset_get(&d->vars, name->text, name->len, NULL))
                word_list_add(ctx, &d->targets, d->sets[i + 1]);
        }
        labels = lint_labels(ctx, &nlabels);
        for (i = 0; i < nlabels && !d->oom; i++) {
            /* an edge into a line that runs imgfree is harmless: that
             * line has no edges of its own, so no loop goes through it */
            if (!word_list_has(&d->targets, &labels[i]))
                continue;
            if (!graph_edge(&d->g, &d->cap, d->e++, labels[i].line,
                            UINT32_MAX))
                d->oom = true;
        }
    }
    d->g.first[d->g.n] = d->e;
    if (!d->g.to && !graph_edge(&d->g, &d->cap, 0, 0, 0)) /* never NULL */
        d->oom = true;
}

static void check_chain_in_loop(struct lint_ctx *ctx)
{
    struct loop_data *d = lint_memo(ctx, &loop_key, loop_data_new);
    const struct lint_line *lines;
    struct loop_first *first = NULL;
    struct graph *g;
    uint32_t *comp = NULL, *size = NULL, *witness = NULL, *near = NULL, k;
    bool *backward = NULL;
    size_t n, i;

    if (!d)
        return;
    lines = lint_lines(ctx, &n);
    /* lines the engine did not show (none, normally) */
    for (i = d->nlines; i < n && !d->oom; i++)
        loop_line(ctx, &lines[i]);
    if (d->oom || !d->any || d->nlines != n)
        goto out;
    loop_hub(ctx, d);
    if (d->oom)
        goto out;
    g = &d->g;
    comp = malloc(g->n * sizeof(*comp));
    size = malloc(g->n * sizeof(*size));
    witness = malloc(g->n * sizeof(*witness));
    backward = malloc(g->n * sizeof(*backward));
    near = malloc(g->n * sizeof(*near));
    first = calloc(g->n, sizeof(*first));
    if (!comp || !size || !witness || !backward || !near || !first ||
        graph_scc(g, comp, size))
        goto out;
    loop_witnesses(g, comp, witness, backward);
    for (i = 0; i < n; i++) {
        const struct lint_line *ll = &lines[i];
        uint32_t c = comp[i];

        if (!d->kept[i] || !ll->reachable ||
            (size[c] < 2 && !self_loop(g, (uint32_t)i)))
            continue;
        for (k = 0; k < ll->ncmds; k++) {
            if (!cmd_keeps_download(&ll->cmds[k]) ||
                !loops_on_success(ctx, g, comp, lines, n, (uint32_t)i, k))
                continue;
            if (!first[c].cmd)
                first[c].cmd = &ll->cmds[k];
            first[c].count++;
        }
    }
    /* The goto to name: the first at or after the download that closes
     * the loop, if it is near (one backward sweep keeps, per component,
     * the nearest such line below); else the loop's witness */
    for (i = 0; i < g->n; i++)
        near[i] = UINT32_MAX;
    for (i = n; i-- > 0;) {
        uint32_t c = comp[i];

        if (closes_loop(g, comp, (uint32_t)i))
            near[c] = (uint32_t)i;
        if (first[c].cmd && first[c].cmd->ll->index == i)
            first[c].witness = near[c] != UINT32_MAX && near[c] < i + 4096
                                   ? near[c]
                                   : witness[c];
    }
    /* One finding per loop, at its first download */
    for (i = 0; i < g->n; i++) {
        if (first[i].cmd)
            report_loop(ctx, first[i].cmd, lines, first[i].witness,
                        first[i].count - 1);
    }
out:
    free(near);
    free(first);
    free(comp);
    free(size);
    free(witness);
    free(backward);
    loop_data_release(d);
}
