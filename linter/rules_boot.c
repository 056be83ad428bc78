/* SPDX-License-Identifier: MIT */
/** @file How a script leaves and what it boots: `exit` statuses, the URIs
 *  of `chain` and the other image commands, downloads repeated in loops,
 *  and `sanboot` on BIOS and EFI (IPX2301-IPX2319, IPX3010-IPX3019).
 *
 * Spec references are to ipxe-language.md: §1.6 exit, §1.8 chain,
 * --replace and --autofree, §5.1-§5.2 URIs and schemes, §5.4 sanboot.
 */
#include "rules.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cmdtable.h"
#include "source.h"
#include "uri.h"

static void check_exit_status(struct lint_ctx *ctx, const struct lint_cmd *cmd);
static void check_exit_meaning(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_chain_in_loop(struct lint_ctx *ctx);
static void check_insecure_url(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_url_credentials(struct lint_ctx *ctx,
                                  const struct lint_cmd *cmd);
static void check_relative_uri(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_bare_image_name(struct lint_ctx *ctx);
static void check_unknown_scheme(struct lint_ctx *ctx,
                                 const struct lint_cmd *cmd);
static void check_unguarded_sanboot(struct lint_ctx *ctx,
                                    const struct lint_cmd *cmd);
static void check_no_describe(struct lint_ctx *ctx,
                              const struct lint_cmd *cmd);
static void check_host_allowed(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);
static void check_drive_on_efi(struct lint_ctx *ctx);
static void check_efi_options_on_bios(struct lint_ctx *ctx);
static void check_https_on_bios(struct lint_ctx *ctx);
static void check_scheme_build(struct lint_ctx *ctx);

static const struct lint_rule exit_status = {
    "IPX2301", "exit-status", DIAG_ERROR,
    "an 'exit' status that is not a number, or is negative",
    NULL, check_exit_status, NULL,
};

static const struct lint_rule exit_code_meaning = {
    "IPX2302", "exit-code-meaning", DIAG_INFO,
    "what an 'exit' status means to the firmware (UEFI sees only its low "
    "byte; 'exit 0' is EFI_SUCCESS)",
    NULL, check_exit_meaning, NULL,
};

static const struct lint_rule chain_in_loop = {
    "IPX2303", "chain-in-loop", DIAG_WARNING,
    "a download a loop repeats while earlier copies stay registered (no "
    "--autofree or imgfree)",
    NULL, NULL, check_chain_in_loop,
};

static const struct lint_rule insecure_url = {
    "IPX2304", "insecure-url", DIAG_WARNING,
    "a plain http:// URL where the configuration requires https",
    NULL, check_insecure_url, NULL,
};

static const struct lint_rule url_credentials = {
    "IPX2305", "url-credentials", DIAG_WARNING,
    "a password written inside a URL",
    NULL, check_url_credentials, NULL,
};

static const struct lint_rule relative_uri = {
    "IPX2306", "relative-uri", DIAG_INFO,
    "a relative URI, resolved against the running script's own URL",
    NULL, check_relative_uri, NULL,
};

static const struct lint_rule bare_image_name = {
    "IPX2307", "bare-image-name", DIAG_INFO,
    "a bare name that runs an already registered image of that name "
    "instead of downloading",
    NULL, NULL, check_bare_image_name,
};

static const struct lint_rule unknown_uri_scheme = {
    "IPX2308", "unknown-uri-scheme", DIAG_WARNING,
    "a URI scheme iPXE has no opener for (typo, or digits in the scheme)",
    NULL, check_unknown_scheme, NULL,
};

static const struct lint_rule unguarded_sanboot = {
    "IPX2309", "unguarded-sanboot", DIAG_WARNING,
    "a 'sanboot' whose failure stops the script before the lines after it",
    NULL, check_unguarded_sanboot, NULL,
};

static const struct lint_rule sanboot_no_describe = {
    "IPX2310", "sanboot-no-describe", DIAG_WARNING,
    "a local-disk 'sanboot' without --no-describe",
    NULL, check_no_describe, NULL,
};

static const struct lint_rule host_not_allowed = {
    "IPX2311", "host-not-allowed", DIAG_WARNING,
    "a URL whose host is not in the configured allowed-hosts",
    NULL, check_host_allowed, NULL,
};

static const struct lint_rule sanboot_drive_on_efi = {
    "IPX3010", "sanboot-drive-on-efi", DIAG_ERROR,
    "a local-disk 'sanboot' by BIOS drive number (0x80), which UEFI does "
    "not boot the same way",
    NULL, NULL, check_drive_on_efi,
};

static const struct lint_rule sanboot_efi_options_on_bios = {
    "IPX3011", "sanboot-efi-options-on-bios", DIAG_WARNING,
    "'sanboot' options that only UEFI uses (--filename, --extra, --label, "
    "--uuid, drive 0) on legacy BIOS",
    NULL, NULL, check_efi_options_on_bios,
};

static const struct lint_rule https_on_bios = {
    "IPX3012", "https-on-bios", DIAG_WARNING,
    "an https:// URL on legacy BIOS, whose default builds lack HTTPS",
    NULL, NULL, check_https_on_bios,
};

static const struct lint_rule scheme_not_in_build = {
    "IPX3013", "scheme-not-in-default-build", DIAG_WARNING,
    "a URI scheme the default iPXE builds leave out (ftp, nfs, x-slam; "
    "file on BIOS)",
    NULL, NULL, check_scheme_build,
};

/* The 3xxx rules live here too: they are about the same commands. */
const struct lint_rule *const lint_rules_boot[] = {
    &exit_status,          &exit_code_meaning,
    &chain_in_loop,        &insecure_url,
    &url_credentials,      &relative_uri,
    &bare_image_name,      &unknown_uri_scheme,
    &unguarded_sanboot,    &sanboot_no_describe,
    &host_not_allowed,     &sanboot_drive_on_efi,
    &sanboot_efi_options_on_bios, &https_on_bios,
    &scheme_not_in_build,  NULL,
};

/* ---- small helpers ---- */

/* The command's primary name ("imgexec" for chain), or NULL if unknown. */
static const char *cmd_primary(const struct lint_cmd *cmd)
{
    const struct cmd_def *def = cmd->call.def;

    if (!def || cmd->call.dynamic)
        return NULL;
    return def->alias_of ? def->alias_of : def->name;
}

static bool cmd_is(const struct lint_cmd *cmd, const char *primary)
{
    const char *name = cmd_primary(cmd);

    return name && strcmp(name, primary) == 0;
}

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

static bool word_static(const struct ast_word *w)
{
    return !(w->flags & (AST_W_EXPAND | AST_W_TEMPLATE));
}

/* How many leading bytes of @p w's text are literal: up to the first
 * `${` (or template tag), or all of it. */
static uint32_t literal_prefix(const struct ast_word *w)
{
    uint32_t i;

    if (word_static(w))
        return w->len;
    for (i = 0; i + 1 < w->len; i++) {
        char c = w->text[i], d = w->text[i + 1];

        if (c == '$' && d == '{')
            return i;
        if ((w->flags & AST_W_TEMPLATE) && c == '{' &&
            (d == '{' || d == '%' || d == '#'))
            return i;
    }
    return w->len;
}

static unsigned line_no(struct lint_ctx *ctx, uint32_t offset)
{
    return source_position(lint_source_of(ctx), offset).line;
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

/* Whether a later operator on the line absorbs a failure of @p cmd
 * (`|| ...` or `; ...`), so the line goes on (spec §2.4). */
static bool failure_absorbed(const struct lint_cmd *cmd)
{
    const struct lint_line *ll = cmd->ll;
    uint32_t i;

    for (i = cmd->index + 1; i < ll->ncmds; i++) {
        const struct ast_word *op = ll->cmds[i].op_before;

        if (op && (op->kind == AST_OR || op->kind == AST_SEMI))
            return true;
    }
    return false;
}

/* ---- IPX2301, IPX2302: exit statuses (spec §1.6) ---- */

/* The literal status word of an `exit` iPXE would run, or NULL. */
static const struct ast_word *exit_status_word(const struct lint_cmd *cmd)
{
    const struct ast_word *w;

    if (!cmd_is(cmd, "exit") || cmd->call.error != CMD_OK ||
        cmd->call.nargs != 1)
        return NULL;
    w = cmd_arg(cmd, 0);
    return w && word_static(w) ? w : NULL;
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

static void check_exit_meaning(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd)
{
    enum lint_platform plat = lint_platform(ctx);
    const struct ast_word *w;
    unsigned long v = 0;
    uint32_t status;
    struct span span;

    if (!cmd_is(cmd, "exit") || cmd->call.error != CMD_OK ||
        !cmd->ll->reachable)
        return;
    if (cmd->call.nargs == 1) {
        w = exit_status_word(cmd);
        if (!w || w->text[0] == '-' || !cmdparse_integer(w->text, w->len, &v))
            return;
        span = w->span;
    } else {
        span = cmd->seg->argv[0]->span;
    }
    status = (uint32_t)v; /* iPXE keeps an unsigned int */

    if (v != status) {
        lint_report(ctx, &exit_code_meaning, span,
                    "'exit %lu' does not fit in 32 bits: iPXE truncates it "
                    "to status %u%s",
                    v, status,
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
                    "sees EFI_SUCCESS (spec §1.6); use 'exit 1' to report a "
                    "failure",
                    status);
        return;
    }
    if (status != 0 && (((0u - status) & 0x80) == 0)) {
        lint_report(ctx, &exit_code_meaning, span,
                    "'exit %u' reaches UEFI firmware as a warning code, not "
                    "an error (only statuses 1 to 128 give an EFI error, "
                    "spec §1.6): the firmware may take the boot as "
                    "successful; use 'exit 1'",
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
    USE_FETCH = 1,   /**< always downloaded (imgfetch, initrd, module) */
    USE_ACQUIRE,     /**< an image name, else downloaded (imgacquire) */
    USE_SAN,         /**< a SAN root path (sanboot, sanhook) */
    USE_VALUE,       /**< a `set` value that looks like a URL */
};

/* Which of the positional arguments of a command are URIs. */
struct uri_cmd {
    const char *primary; /**< primary command name */
    uint8_t first;       /**< first URI argument */
    uint8_t last;        /**< last URI argument (255: all that follow) */
    uint8_t use;         /**< enum uri_use */
};

static const struct uri_cmd uri_cmds[] = {
    {"certstore", 0, 0, USE_ACQUIRE}, {"fdt", 0, 0, USE_ACQUIRE},
    {"imgargs", 0, 0, USE_ACQUIRE},   {"imgdecrypt", 0, 1, USE_ACQUIRE},
    {"imgexec", 0, 0, USE_ACQUIRE},   {"imgextract", 0, 0, USE_ACQUIRE},
    {"imgfetch", 0, 0, USE_FETCH},    {"imgselect", 0, 0, USE_ACQUIRE},
    {"imgset", 1, 1, USE_ACQUIRE},    {"imgverify", 0, 1, USE_ACQUIRE},
    {"md4sum", 0, 255, USE_ACQUIRE},  {"md5sum", 0, 255, USE_ACQUIRE},
    {"sanboot", 0, 255, USE_SAN},     {"sanhook", 0, 255, USE_SAN},
    {"sha1sum", 0, 255, USE_ACQUIRE}, {"sha224sum", 0, 255, USE_ACQUIRE},
    {"sha256sum", 0, 255, USE_ACQUIRE}, {"sha384sum", 0, 255, USE_ACQUIRE},
    {"sha512sum", 0, 255, USE_ACQUIRE}, {"shim", 0, 0, USE_ACQUIRE},
};

/* One URI word and what is known of it statically. */
struct uri_word {
    const struct ast_word *w; /**< the word */
    enum uri_use use;         /**< how the command uses it */
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
                          enum uri_use use)
{
    uint32_t i;

    u->w = w;
    u->use = use;
    u->lit = literal_prefix(w);
    uri_split(w->text, w->len, &u->p);
    /* A scheme is certain if it ends inside the literal text; its absence
     * is certain if a non-scheme byte comes before any expansion. */
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

/* Walks the URI words of one command. */
struct uri_iter {
    const struct lint_cmd *cmd;
    const struct uri_cmd *uc;   /**< table entry, or NULL */
    uint32_t next;              /**< next positional index */
    bool picture_done;          /**< `console --picture` looked at */
};

static void uri_iter_init(struct uri_iter *it, const struct lint_cmd *cmd)
{
    const char *name = cmd_primary(cmd);
    size_t i;

    memset(it, 0, sizeof(*it));
    it->cmd = cmd;
    if (!name || (cmd->call.error != CMD_OK &&
                  cmd->call.error != CMD_ERR_TOO_MANY &&
                  cmd->call.error != CMD_ERR_TOO_FEW)) {
        it->picture_done = true;
        it->next = UINT32_MAX;
        return;
    }
    for (i = 0; i < sizeof(uri_cmds) / sizeof(uri_cmds[0]); i++) {
        if (strcmp(uri_cmds[i].primary, name) == 0) {
            it->uc = &uri_cmds[i];
            it->next = uri_cmds[i].first;
            break;
        }
    }
    if (strcmp(name, "set") == 0)
        it->next = 1;
    else if (!it->uc)
        it->next = UINT32_MAX;
    it->picture_done = strcmp(name, "console") != 0;
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

static bool uri_next(struct uri_iter *it, struct uri_word *u)
{
    const struct lint_cmd *cmd = it->cmd;

    while (it->next != UINT32_MAX && it->next < cmd->call.nargs) {
        uint32_t i = it->next++;
        const struct ast_word *w = cmd_arg(cmd, i);

        if (!w || w->len == 0)
            continue;
        if (!it->uc) {
            /* a `set` value */
            if (!value_is_url(w))
                continue;
            uri_word_init(u, w, USE_VALUE);
            return true;
        }
        if (it->uc->last != 255 && i >= it->uc->last)
            it->next = UINT32_MAX;
        uri_word_init(u, w, (enum uri_use)it->uc->use);
        return true;
    }
    if (!it->picture_done) {
        const struct cmd_optval *pic = cmdparse_opt(&cmd->call, "picture");

        it->picture_done = true;
        if (pic && pic->value && pic->vlen == pic->value->len) {
            uri_word_init(u, pic->value, USE_ACQUIRE);
            return true;
        }
    }
    return false;
}

/* Whether @p u is a bare name: literal, no '/', no scheme. */
static bool uri_is_bare(const struct uri_word *u)
{
    return word_static(u->w) && !u->p.scheme.present &&
           memchr(u->w->text, '/', u->w->len) == NULL;
}

/* The scheme's text, lower-cased into @p buf (at least 16 bytes), or NULL
 * if the word has no certain scheme. */
static const struct uri_scheme *uri_known_scheme(const struct uri_word *u)
{
    if (!u->p.scheme.present || !u->scheme_known || !u->p.scheme.len)
        return NULL;
    return uri_scheme_find(u->w->text + u->p.scheme.off, u->p.scheme.len);
}

static bool scheme_is(const struct uri_word *u, const char *name)
{
    const struct uri_scheme *s = uri_known_scheme(u);

    return s && strcmp(s->name, name) == 0;
}

/* ---- IPX2304: http:// where https is required ---- */

static void check_insecure_url(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd)
{
    struct uri_iter it;
    struct uri_word u;

    if (!lint_options_of(ctx)->require_https)
        return;
    uri_iter_init(&it, cmd);
    while (uri_next(&it, &u)) {
        struct diag *dg;

        if (!scheme_is(&u, "http"))
            continue;
        dg = lint_report(ctx, &insecure_url, u.w->span,
                         "'%.*s' is plain http, but this configuration "
                         "requires https: the download can be read and "
                         "changed on the way to the server",
                         (int)u.w->len, u.w->text);
        if (dg && word_fixable(u.w))
            diag_fix(lint_diags(ctx), dg,
                     sub_span(u.w, u.p.scheme.off, u.p.scheme.len), "https");
    }
}

/* ---- IPX2305: user:password@ in a URL ---- */

static void check_url_credentials(struct lint_ctx *ctx,
                                  const struct lint_cmd *cmd)
{
    struct uri_iter it;
    struct uri_word u;

    uri_iter_init(&it, cmd);
    while (uri_next(&it, &u)) {
        const struct uri_part *pw = &u.p.password;
        const char *clear = "";

        if (!pw->present || !pw->len || !part_literal(&u, pw))
            continue;
        if (scheme_is(&u, "http") || scheme_is(&u, "ftp") ||
            scheme_is(&u, "tftp"))
            clear = ", and it crosses the network unencrypted";
        lint_report(ctx, &url_credentials, u.w->span,
                    "'%.*s***%.*s' has a password written in the URL: "
                    "anyone who can read the script can read it%s; keep it "
                    "out of the script, e.g. "
                    "'%.*s${username}:${password}@%.*s'",
                    (int)pw->off, u.w->text,
                    (int)(u.w->len - pw->off - pw->len),
                    u.w->text + pw->off + pw->len, clear,
                    (int)u.p.user.off, u.w->text,
                    (int)(u.w->len - pw->off - pw->len - 1),
                    u.w->text + pw->off + pw->len + 1);
    }
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

static void check_relative_uri(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd)
{
    struct uri_iter it;
    struct uri_word u;

    uri_iter_init(&it, cmd);
    while (uri_next(&it, &u)) {
        const char *s = u.w->text;

        if (u.use == USE_VALUE || !u.scheme_known || u.p.scheme.present ||
            u.lit == 0)
            continue;
        if ((u.use == USE_ACQUIRE && uri_is_bare(&u)) ||
            scheme_like(s, u.lit))
            continue; /* IPX2307 and IPX2308 say more about those */
        if (looks_like_host(s, u.lit)) {
            lint_report_at(ctx, &relative_uri, DIAG_WARNING, u.w->span,
                           "'%.*s' has no scheme, so iPXE takes it as a "
                           "path relative to the running script's URL, not "
                           "as a server address; write 'http://%.*s'",
                           (int)u.w->len, s, (int)u.w->len, s);
            continue;
        }
        lint_report(ctx, &relative_uri, u.w->span,
                    "'%.*s' is a relative URI: iPXE resolves it against the "
                    "URL the running script came from (${cwuri}), and the "
                    "download fails if the script has no URL (an embedded "
                    "script, for example)",
                    (int)u.w->len, s);
    }
}

/* ---- IPX2307: bare names that may hit a registered image ---- */

/* Names images get, in file order: `--name`, else the URI's basename
 * (spec §1.8 image_set_uri). */
struct name_set {
    const char **names;   /**< (arena) */
    uint32_t *lens;
    size_t len, cap;
    bool unknown;         /**< some image got a name we cannot know */
};

static void name_add(struct name_set *set, const char *name, uint32_t len)
{
    if (set->len == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        const char **names = realloc(set->names, cap * sizeof(*names));
        uint32_t *lens;

        if (!names) {
            set->unknown = true; /* out of memory: stay silent */
            return;
        }
        set->names = names;
        lens = realloc(set->lens, cap * sizeof(*lens));
        if (!lens) {
            set->unknown = true;
            return;
        }
        set->lens = lens;
        set->cap = cap;
    }
    set->names[set->len] = name;
    set->lens[set->len] = len;
    set->len++;
}

static bool name_has(const struct name_set *set, const char *name,
                     uint32_t len)
{
    size_t i;

    for (i = 0; i < set->len; i++) {
        if (set->lens[i] == len && memcmp(set->names[i], name, len) == 0)
            return true;
    }
    return false;
}

/* Record the name the image of @p cmd gets (URI word @p u). */
static void name_note(struct name_set *set,
                      const struct lint_cmd *cmd, const struct uri_word *u)
{
    const struct cmd_optval *name = cmdparse_opt(&cmd->call, "name");
    const char *s = u->w->text;
    uint32_t end, start;

    if (name) {
        if (name->value && !word_static(name->value))
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

static void check_bare_image_name(struct lint_ctx *ctx)
{
    struct name_set set = {0};
    const struct lint_line *lines;
    size_t n, i;
    uint32_t k;

    lines = lint_lines(ctx, &n);
    for (i = 0; i < n; i++) {
        for (k = 0; k < lines[i].ncmds; k++) {
            const struct lint_cmd *cmd = &lines[i].cmds[k];
            const char *name = cmd_primary(cmd);
            struct uri_iter it;
            struct uri_word u;
            bool registers;

            if (!name)
                continue;
            /* the first argument of these becomes a registered image */
            registers = strcmp(name, "imgfetch") == 0 ||
                        strcmp(name, "imgselect") == 0 ||
                        strcmp(name, "imgexec") == 0 ||
                        strcmp(name, "imgextract") == 0 ||
                        strcmp(name, "imgdecrypt") == 0 ||
                        strcmp(name, "imgverify") == 0;
            uri_iter_init(&it, cmd);
            while (uri_next(&it, &u)) {
                bool first = u.w == cmd_arg(cmd, 0);

                if (u.use == USE_ACQUIRE && uri_is_bare(&u) &&
                    !set.unknown && lines[i].reachable &&
                    !name_has(&set, u.w->text, u.w->len)) {
                    struct diag *dg = lint_report(
                        ctx, &bare_image_name, u.w->span,
                        "'%s %.*s' %s an image already registered as "
                        "'%.*s' if there is one (left by a parent script "
                        "or an earlier pass) and only downloads it, "
                        "relative to the script's URL, when there is none",
                        cmd_name(cmd), (int)u.w->len, u.w->text,
                        strcmp(name, "imgexec") == 0     ? "runs"
                        : strcmp(name, "imgselect") == 0 ? "selects"
                                                         : "uses",
                        (int)u.w->len, u.w->text);
                    diag_hint(lint_diags(ctx), dg,
                              "write './%.*s' to always download it, or "
                              "fetch it first with 'imgfetch --name %.*s'",
                              (int)u.w->len, u.w->text, (int)u.w->len,
                              u.w->text);
                }
                if (registers && first)
                    name_note(&set, cmd, &u);
            }
        }
    }
    free(set.names);
    free(set.lens);
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

static void check_unknown_scheme(struct lint_ctx *ctx,
                                 const struct lint_cmd *cmd)
{
    struct uri_iter it;
    struct uri_word u;

    uri_iter_init(&it, cmd);
    while (uri_next(&it, &u)) {
        const struct uri_scheme *hint;
        const char *s = u.w->text;
        struct diag *dg;
        uint32_t n;

        if (!u.p.scheme.present || !u.scheme_known) {
            /* `tftp6://` or `nfs4://`: to iPXE not a scheme at all */
            n = scheme_like(s, u.lit);
            if (!n || u.p.scheme.present || u.use == USE_VALUE)
                continue;
            lint_report(ctx, &unknown_uri_scheme, u.w->span,
                        "'%.*s' is not a URI scheme to iPXE (a scheme has "
                        "only letters, '-' and '_'): '%.*s' is taken as a "
                        "path relative to the running script's URL and "
                        "fetched from the wrong place",
                        (int)n, s, (int)u.w->len, s);
            continue;
        }
        n = u.p.scheme.len;
        if (n == 0 || uri_scheme_find(s, n))
            continue;
        hint = uri_scheme_suggest(s, n);
        if (u.use == USE_VALUE && !hint)
            continue; /* a value for something else than iPXE */
        if (u.use == USE_VALUE)
            dg = lint_report(ctx, &unknown_uri_scheme, u.w->span,
                             "unknown URI scheme '%.*s': iPXE has no opener "
                             "for it, so fetching this URL fails with "
                             "'Operation not supported'",
                             (int)n, s);
        else
            dg = lint_report(ctx, &unknown_uri_scheme, u.w->span,
                             "unknown URI scheme '%.*s': iPXE has no opener "
                             "for it, so '%s' fails with 'Operation not "
                             "supported'",
                             (int)n, s, cmd_name(cmd));
        if (dg && hint) {
            diag_hint(lint_diags(ctx), dg, "did you mean '%s'?", hint->name);
            if (word_fixable(u.w))
                diag_fix(lint_diags(ctx), dg,
                         sub_span(u.w, u.p.scheme.off, n), hint->name);
        }
    }
}

/* ---- IPX2311: hosts outside allowed-hosts ---- */

static void check_host_allowed(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd)
{
    const char *const *allowed = lint_options_of(ctx)->allowed_hosts;
    struct uri_iter it;
    struct uri_word u;

    if (!allowed)
        return;
    uri_iter_init(&it, cmd);
    while (uri_next(&it, &u)) {
        const struct uri_part *h = &u.p.host;

        if (!h->present || !h->len || !part_literal(&u, h) ||
            !u.scheme_known)
            continue;
        if (uri_host_allowed(u.w->text + h->off, h->len, allowed))
            continue;
        lint_report(ctx, &host_not_allowed, u.w->span,
                    "'%.*s' names host '%.*s', which is not in the "
                    "configured allowed-hosts: the script would fetch from a "
                    "server outside the list",
                    (int)u.w->len, u.w->text, (int)h->len,
                    u.w->text + h->off);
    }
}

/* ---- IPX2309, IPX2310: sanboot (spec §5.4) ---- */

/* The root paths of a sanboot: 0 for a local-disk boot. */
static bool sanboot_local(const struct lint_cmd *cmd)
{
    return cmd_is(cmd, "sanboot") && cmd->call.error == CMD_OK &&
           cmd->call.nargs == 0;
}

static void check_unguarded_sanboot(struct lint_ctx *ctx,
                                    const struct lint_cmd *cmd)
{
    const struct lint_line *lines, *next = NULL;
    size_t n, i;

    if (!cmd_is(cmd, "sanboot") || cmd->call.error != CMD_OK ||
        failure_absorbed(cmd))
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
    if (!next->line->label && next->ncmds && cmd_is(&next->cmds[0], "exit"))
        return;
    lint_report(ctx, &unguarded_sanboot, cmd->seg->argv[0]->span,
                "if this 'sanboot' fails (no bootable disk or image, or a "
                "drive that does not exist) the script stops here with that "
                "error and never reaches line %u; add '|| goto <label>' for "
                "a fallback, or end the line with '||' to go on",
                line_no(ctx, next->line->span.start));
}

static void check_no_describe(struct lint_ctx *ctx,
                              const struct lint_cmd *cmd)
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

    if (!cmd_is(cmd, "iseq") || cmd->call.nargs != 2)
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

/* The platform the segments before @p upto on @p ll make sure of:
 * `iseq ${platform} pcbios && X` runs X on BIOS only. */
static enum lint_platform line_guard(const struct lint_line *ll,
                                     uint32_t upto)
{
    enum lint_platform g = LINT_PLATFORM_ANY;
    uint32_t i;

    for (i = 0; i + 1 <= upto && i + 1 < ll->ncmds; i++) {
        enum lint_platform t = platform_test(&ll->cmds[i]);
        const struct ast_word *op = ll->cmds[i + 1].op_before;

        if (t == LINT_PLATFORM_ANY || !op)
            continue;
        if (op->kind == AST_AND)
            g = t;
        else if (op->kind == AST_OR)
            g = platform_other(t);
    }
    return g;
}

/* Whether the line leaves (goto or exit) after its last segment ran. */
static bool cmd_leaves(const struct lint_cmd *cmd)
{
    return cmd_is(cmd, "goto") || cmd_is(cmd, "exit");
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
#define PLAT_EFI 1u
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

/* The label defined on @p ll, as an index into lint_labels(), or -1 if
 * the line has none (or a later duplicate no goto can reach). */
static long line_label(struct lint_ctx *ctx, const struct lint_line *ll,
                       const struct lint_label *labels)
{
    const struct lint_label *l;

    if (!ll->line->label)
        return -1;
    l = lint_label_find(ctx, ll->line->label->text, ll->line->label->len);
    return l && l->line == ll->index ? (long)(l - labels) : -1;
}

/* Template branches: `{% if efi %}` ... `{% else %}` ... `{% endif %}`. */
struct tmpl_stack {
    uint8_t cond[16];   /**< the platform the `if` tested, per level */
    uint8_t cur[16];    /**< the platform of the branch we are in */
    uint32_t depth;     /**< levels open (more than 16 are counted only) */
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
            } else if (!st->depth || top >= 16) {
                if (n - k >= 5 && memcmp(t + k, "endif", 5) == 0 &&
                    st->depth)
                    st->depth--;
            } else if (n - k >= 5 && memcmp(t + k, "endif", 5) == 0) {
                st->depth--;
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
 * With @p visit NULL, the walk adds to @p reach (per label, a bit set of
 * platforms) what every goto and every fall-through brings.
 */
static void platform_pass(struct lint_ctx *ctx, unsigned *reach,
                          const bool *named,
                          void (*visit)(struct lint_ctx *ctx,
                                        const struct lint_cmd *cmd,
                                        enum lint_platform guard))
{
    const struct lint_label *labels;
    const struct lint_line *lines;
    enum lint_platform block = LINT_PLATFORM_ANY, tmpl;
    struct tmpl_stack st = {{0}, {0}, 0};
    bool falls = true;
    size_t nlabels, n, i;
    uint32_t k;

    labels = lint_labels(ctx, &nlabels);
    lines = lint_lines(ctx, &n);
    for (i = 0; i < n; i++) {
        const struct lint_line *ll = &lines[i];
        long li = line_label(ctx, ll, labels);

        if (ll->line->segs)
            tmpl_track(&st, ll->line);
        tmpl = tmpl_guard(&st);

        if (li >= 0) {
            if (!visit && falls && !named[li])
                reach[li] |= plat_mask(block);
            block = mask_plat(reach[li]);
        }
        for (k = 0; k < ll->ncmds; k++) {
            const struct lint_cmd *cmd = &ll->cmds[k];
            enum lint_platform guard = line_guard(ll, k);

            if (guard == LINT_PLATFORM_ANY)
                guard = tmpl;
            if (guard == LINT_PLATFORM_ANY)
                guard = block;
            if (visit) {
                visit(ctx, cmd, guard);
            } else if (cmd_is(cmd, "goto") && cmd->call.nargs == 1) {
                const struct ast_word *w = cmd_arg(cmd, 0);
                const struct lint_label *l = NULL;
                size_t j;

                if (w && word_static(w))
                    l = lint_label_find(ctx, w->text, w->len);
                if (l && !named[l - labels]) {
                    reach[l - labels] |= plat_mask(guard);
                } else if (w && !word_static(w)) {
                    for (j = 0; j < nlabels; j++) {
                        if (!named[j])
                            reach[j] |= plat_mask(guard);
                    }
                }
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
}

/* Calls @p visit for every command of the file with the platform it is
 * guarded for (LINT_PLATFORM_ANY: it runs on both). */
static void platform_walk(struct lint_ctx *ctx,
                          void (*visit)(struct lint_ctx *ctx,
                                        const struct lint_cmd *cmd,
                                        enum lint_platform guard))
{
    const struct lint_label *labels;
    size_t nlabels, i;
    unsigned *reach;
    bool *named;

    labels = lint_labels(ctx, &nlabels);
    reach = calloc(nlabels ? nlabels : 1, sizeof(*reach));
    named = calloc(nlabels ? nlabels : 1, sizeof(*named));
    if (!reach || !named)
        goto out;
    /* A label whose name says the firmware ("boot-efi", "legacy_disk")
     * is taken at its word */
    for (i = 0; i < nlabels; i++) {
        enum lint_platform p = label_name_platform(labels[i].word);

        if (p != LINT_PLATFORM_ANY) {
            reach[i] = plat_mask(p);
            named[i] = true;
        }
    }
    /* Twice, so that gotos back up the file count too */
    platform_pass(ctx, reach, named, NULL);
    platform_pass(ctx, reach, named, NULL);
    platform_pass(ctx, reach, named, visit);
out:
    free(reach);
    free(named);
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

static void visit_drive_on_efi(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd,
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
        if ((drive->value && !word_static(drive->value)) ||
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
    if (failure_absorbed(cmd) && plat == LINT_PLATFORM_ANY)
        return;
    if (plat == LINT_PLATFORM_EFI) {
        lint_report_at(ctx, &sanboot_drive_on_efi,
                    failure_absorbed(cmd) ? DIAG_WARNING : DIAG_ERROR,
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

static void check_drive_on_efi(struct lint_ctx *ctx)
{
    platform_walk(ctx, visit_drive_on_efi);
}

/* ---- IPX3011: EFI-only sanboot options on BIOS ---- */

static void visit_efi_options(struct lint_ctx *ctx,
                              const struct lint_cmd *cmd,
                              enum lint_platform guard)
{
    static const char *const efi_only[] = {"filename", "extra", "label",
                                           "uuid"};
    const struct cmd_optval *drive;
    enum lint_platform plat;
    unsigned long v;
    size_t i;

    if (!effective_platform(ctx, guard, &plat) ||
        plat != LINT_PLATFORM_PCBIOS || !cmd_is(cmd, "sanboot") ||
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
        (!drive->value || word_static(drive->value)) &&
        cmdparse_integer(drive->vtext, drive->vlen, &v) && v == 0)
        lint_report(ctx, &sanboot_efi_options_on_bios,
                    cmd->seg->argv[drive->word]->span,
                    "drive 0 means 'any disk' only under UEFI: on legacy "
                    "BIOS it is the first floppy drive, so this boots no "
                    "disk; use '--drive 0x80' for the first hard disk");
}

static void check_efi_options_on_bios(struct lint_ctx *ctx)
{
    platform_walk(ctx, visit_efi_options);
}

/* ---- IPX3012, IPX3013: schemes the default builds lack ---- */

static void visit_https_on_bios(struct lint_ctx *ctx,
                                const struct lint_cmd *cmd,
                                enum lint_platform guard)
{
    enum lint_platform plat;
    struct uri_iter it;
    struct uri_word u;

    if (!effective_platform(ctx, guard, &plat) ||
        plat != LINT_PLATFORM_PCBIOS)
        return;
    uri_iter_init(&it, cmd);
    while (uri_next(&it, &u)) {
        if (!scheme_is(&u, "https"))
            continue;
        lint_report(ctx, &https_on_bios, u.w->span,
                    "default legacy-BIOS builds of iPXE leave out HTTPS "
                    "(DOWNLOAD_PROTO_HTTPS): unless your iPXE was built with "
                    "it, fetching '%.*s' fails with 'Operation not "
                    "supported'",
                    (int)u.w->len, u.w->text);
    }
}

static void check_https_on_bios(struct lint_ctx *ctx)
{
    platform_walk(ctx, visit_https_on_bios);
}

static void visit_scheme_build(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd,
                               enum lint_platform guard)
{
    enum lint_platform plat;
    struct uri_iter it;
    struct uri_word u;

    if (!effective_platform(ctx, guard, &plat))
        return;
    uri_iter_init(&it, cmd);
    while (uri_next(&it, &u)) {
        const struct uri_scheme *s = uri_known_scheme(&u);
        const char *where;

        if (!s || u.use == USE_VALUE || strcmp(s->name, "https") == 0)
            continue;
        if (!s->efi && !s->pcbios)
            where = "default iPXE builds leave it out";
        else if (plat == LINT_PLATFORM_PCBIOS && !s->pcbios)
            where = "it exists only in UEFI builds";
        else if (plat == LINT_PLATFORM_EFI && !s->efi)
            where = "default UEFI builds leave it out";
        else
            continue;
        lint_report(ctx, &scheme_not_in_build, u.w->span,
                    "'%s:' needs %s, and %s: unless your iPXE was built "
                    "with it, '%s' fails with 'Operation not supported'",
                    s->name, s->flag, where, cmd_name(cmd));
    }
}

static void check_scheme_build(struct lint_ctx *ctx)
{
    platform_walk(ctx, visit_scheme_build);
}

/* ---- IPX2303: downloads repeated by a loop (spec §1.8) ---- */

/* Whether @p cmd downloads an image that stays registered afterwards:
 * no --autofree, no --replace, and not a bare name (which re-uses the
 * image registered on the first pass). */
static bool cmd_keeps_download(const struct lint_cmd *cmd)
{
    const char *name = cmd_primary(cmd);
    struct uri_word u;
    const struct ast_word *w;

    if (!name || cmd->call.error != CMD_OK || cmd->call.nargs == 0)
        return false;
    if (strcmp(name, "imgfetch") != 0 && strcmp(name, "imgselect") != 0 &&
        strcmp(name, "imgexec") != 0)
        return false;
    if (cmdparse_opt(&cmd->call, "autofree") ||
        cmdparse_opt(&cmd->call, "replace"))
        return false;
    w = cmd_arg(cmd, 0);
    if (!w || strcmp(name, "imgfetch") == 0)
        return w != NULL;
    uri_word_init(&u, w, USE_ACQUIRE);
    return !uri_is_bare(&u);
}

static bool line_frees_images(const struct lint_line *ll)
{
    uint32_t k;

    for (k = 0; k < ll->ncmds; k++) {
        if (cmd_is(&ll->cmds[k], "imgfree"))
            return true;
    }
    return false;
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
    const char *name = cmd_primary(cmd);

    if (cmd->seg->argc == 0)
        return SIM_OK;
    if (!name)
        return cmd->call.dynamic ? SIM_OK | SIM_FAIL : SIM_FAIL;
    if (cmd->call.error != CMD_OK)
        return SIM_FAIL;
    if (strcmp(name, "goto") == 0) {
        const struct ast_word *w = cmd_arg(cmd, 0);

        if (!w || !word_static(w))
            return SIM_JUMP | SIM_FAIL; /* `goto ${x} ||` may not jump */
        return lint_label_find(ctx, w->text, w->len) ? SIM_JUMP : SIM_FAIL;
    }
    if (strcmp(name, "exit") == 0 || strcmp(name, "reboot") == 0)
        return 0;
    if (strcmp(name, "poweroff") == 0 || strcmp(name, "sanboot") == 0)
        return SIM_FAIL;
    if (strcmp(name, "imgexec") == 0 &&
        (cmd->call.nargs == 0 || cmdparse_opt(&cmd->call, "replace")))
        return SIM_FAIL;
    if (strcmp(name, "echo") == 0 || strcmp(name, "set") == 0 ||
        strcmp(name, "clear") == 0 || strcmp(name, "imgfree") == 0 ||
        strcmp(name, "item") == 0 || strcmp(name, "menu") == 0)
        return SIM_OK;
    return SIM_OK | SIM_FAIL;
}

/*
 * Run line @p ll over the statuses its segments can have (spec §2.4).
 * With @p only < ncmds, count only the paths on which segment @p only ran
 * and succeeded.  Returns whether control can go on to the next line;
 * @p gotos gets a bit for every goto segment (of the first 64) that can run.
 */
static bool line_sim(struct lint_ctx *ctx, const struct lint_line *ll,
                     uint32_t only, uint64_t *gotos)
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
        out = sim_outcomes(ctx, cmd);
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
    uint32_t n;        /**< nodes: lines + 1 */
    uint32_t *first;   /**< n + 1 offsets into to[] */
    uint32_t *to;      /**< edge targets */
    uint32_t *gotoat;  /**< per edge: the goto's line, or UINT32_MAX */
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

        if ((cmd_is(cmd, "imgfetch") || cmd_is(cmd, "imgselect") ||
             cmd_is(cmd, "imgexec")) &&
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

    if (!cmd_is(cmd, "goto") || cmd->call.error != CMD_OK ||
        cmd->call.nargs != 1)
        return UINT32_MAX;
    w = cmd_arg(cmd, 0);
    if (!w)
        return UINT32_MAX;
    if (!word_static(w))
        return hub;
    l = lint_label_find(ctx, w->text, w->len);
    return l ? l->line : UINT32_MAX;
}

/* Words a `goto ${...}` can plausibly expand to: menu item names, `set`
 * values of one word, `choose --default` values. */
struct word_list {
    const struct ast_word **w; /**< (malloc) */
    size_t len, cap;
    const struct ast_word *prefix[16]; /**< words known only up to their
                                            literal prefix (`utils-${x}`) */
    size_t nprefix;
    bool all;                  /**< some are unknown: any label may be hit */
};

static void word_list_push(struct word_list *l, const struct ast_word *w)
{
    if (l->len == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        const struct ast_word **p = realloc(l->w, cap * sizeof(*p));

        if (!p) {
            l->all = true;
            return;
        }
        l->w = p;
        l->cap = cap;
    }
    l->w[l->len++] = w;
}

/* Add a word a goto may name: an expansion can be anything, unless it
 * has a literal start (`utils-${platform}`). */
static void word_list_add(struct word_list *l, const struct ast_word *w)
{
    if (!w)
        return;
    if (word_static(w)) {
        word_list_push(l, w);
    } else if (literal_prefix(w) == 0 || l->nprefix == 16) {
        l->all = true;
    } else {
        l->prefix[l->nprefix++] = w;
    }
}

static int word_cmp(const void *a, const void *b)
{
    const struct ast_word *x = *(const struct ast_word *const *)a;
    const struct ast_word *y = *(const struct ast_word *const *)b;
    uint32_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->text, y->text, n);

    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
}

/* Whether `set` word @p name stores a setting some `goto ${name}` reads;
 * @p vars are those gotos' words. */
static bool names_goto_var(const struct word_list *vars,
                           const struct ast_word *name)
{
    size_t i;

    if (vars->all)
        return true;
    for (i = 0; i < vars->len; i++) {
        const struct ast_word *g = vars->w[i];

        if (g->len == name->len + 3 &&
            memcmp(g->text + 2, name->text, name->len) == 0)
            return true;
    }
    return false;
}

static void dynamic_targets(const struct lint_line *lines, size_t n,
                            struct word_list *l)
{
    struct word_list vars = {0};
    size_t i;
    uint32_t k;

    /* The settings gotos jump through: `goto ${name}` */
    for (i = 0; i < n; i++) {
        for (k = 0; k < lines[i].ncmds; k++) {
            const struct lint_cmd *cmd = &lines[i].cmds[k];
            const struct ast_word *w;

            if (!cmd_is(cmd, "goto") || cmd->call.nargs != 1)
                continue;
            w = cmd_arg(cmd, 0);
            if (!w || word_static(w))
                continue;
            if (w->len > 3 && memcmp(w->text, "${", 2) == 0 &&
                memchr(w->text + 2, '$', w->len - 2) == NULL &&
                memchr(w->text + 2, '}', w->len - 3) == NULL &&
                w->text[w->len - 1] == '}')
                word_list_push(&vars, w);
            else
                vars.all = true;
        }
    }
    for (i = 0; i < n; i++) {
        for (k = 0; k < lines[i].ncmds; k++) {
            const struct lint_cmd *cmd = &lines[i].cmds[k];
            const struct cmd_optval *def;

            if (cmd->call.dynamic)
                continue;
            if (cmd_is(cmd, "item") && cmd->call.nargs &&
                !cmdparse_opt(&cmd->call, "gap"))
                word_list_add(l, cmd_arg(cmd, 0));
            if (cmd_is(cmd, "set") && cmd->call.nargs == 2 &&
                names_goto_var(&vars, cmd_arg(cmd, 0)))
                word_list_add(l, cmd_arg(cmd, 1));
            def = cmd_is(cmd, "choose") ? cmdparse_opt(&cmd->call, "default")
                                        : NULL;
            /* a default is an item name: only a literal one adds to them */
            if (def && def->value && def->vlen == def->value->len &&
                word_static(def->value))
                word_list_add(l, def->value);
        }
    }
    if (l->len)
        qsort(l->w, l->len, sizeof(*l->w), word_cmp);
    free(vars.w);
}

static bool word_list_has(const struct word_list *l, const struct ast_word *w)
{
    size_t i;

    if (l->all || (l->len && bsearch(&w, l->w, l->len, sizeof(*l->w),
                                     word_cmp) != NULL))
        return true;
    for (i = 0; i < l->nprefix; i++) {
        uint32_t n = literal_prefix(l->prefix[i]);

        if (w->len >= n && memcmp(w->text, l->prefix[i]->text, n) == 0)
            return true;
    }
    return false;
}

/* Build the graph; a line that runs `imgfree` has no edges, since a
 * loop through it does not keep old images.  Returns 0 or -ENOMEM. */
static int graph_build(struct lint_ctx *ctx, struct graph *g)
{
    const struct lint_line *lines;
    const struct lint_label *labels;
    size_t n, nlabels, i;
    uint32_t hub, e, pass, k;
    uint64_t gotos;
    bool *dead, next;
    struct word_list targets = {0};

    lines = lint_lines(ctx, &n);
    labels = lint_labels(ctx, &nlabels);
    hub = (uint32_t)n;
    g->n = hub + 1;
    g->first = calloc((size_t)g->n + 1, sizeof(*g->first));
    dead = calloc((size_t)g->n, sizeof(*dead));
    g->to = NULL;
    g->gotoat = NULL;
    if (!g->first || !dead)
        goto err;
    for (i = 0; i < n; i++)
        dead[i] = line_frees_images(&lines[i]);
    if (lint_has_dynamic_goto(ctx))
        dynamic_targets(lines, n, &targets);

    /* Two passes: count, then fill */
    for (pass = 0; pass < 2; pass++) {
        e = 0;
        for (i = 0; i < n; i++) {
            if (pass)
                g->first[i] = e;
            if (dead[i])
                continue;
            next = line_sim(ctx, &lines[i], UINT32_MAX, &gotos);
            if (next && i + 1 < n && !dead[i + 1]) {
                if (pass) {
                    g->to[e] = (uint32_t)i + 1;
                    g->gotoat[e] = UINT32_MAX;
                }
                e++;
            }
            for (k = 0; k < lines[i].ncmds && k < 64; k++) {
                uint32_t t;

                if (!(gotos & ((uint64_t)1 << k)))
                    continue;
                t = goto_target(ctx, &lines[i].cmds[k], hub);
                if (t == UINT32_MAX || dead[t] ||
                    goto_after_failed_download(&lines[i], k))
                    continue;
                if (pass) {
                    g->to[e] = t;
                    g->gotoat[e] = (uint32_t)i;
                }
                e++;
            }
        }
        if (pass)
            g->first[hub] = e;
        if (lint_has_dynamic_goto(ctx)) {
            for (i = 0; i < nlabels; i++) {
                if (dead[labels[i].line] ||
                    !word_list_has(&targets, labels[i].word))
                    continue;
                if (pass) {
                    g->to[e] = labels[i].line;
                    g->gotoat[e] = UINT32_MAX;
                }
                e++;
            }
        }
        if (pass) {
            g->first[hub + 1] = e;
        } else {
            g->to = malloc((e ? e : 1) * sizeof(*g->to));
            g->gotoat = malloc((e ? e : 1) * sizeof(*g->gotoat));
            if (!g->to || !g->gotoat)
                goto err;
        }
    }
    free(dead);
    free(targets.w);
    return 0;

err:
    free(dead);
    free(targets.w);
    free(g->first);
    free(g->to);
    free(g->gotoat);
    memset(g, 0, sizeof(*g));
    return -ENOMEM;
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

/* The first goto at or after line @p from that closes its loop (back to
 * a line at or before it, in the same component); @p fallback if none is
 * found within a bounded scan. */
static uint32_t nearest_witness(const struct graph *g, const uint32_t *comp,
                                size_t from, uint32_t fallback)
{
    uint32_t hub = g->n - 1, c = comp[from], v, e;

    for (v = (uint32_t)from; v < hub && v < from + 4096; v++) {
        if (comp[v] != c)
            continue;
        for (e = g->first[v]; e < g->first[v + 1]; e++) {
            uint32_t t = g->to[e];

            if (g->gotoat[e] != UINT32_MAX && comp[t] == c &&
                (t <= v || t == hub))
                return v;
        }
    }
    return fallback;
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
        if (cmd_is(&ll->cmds[k], "goto") && ll->cmds[k].call.nargs == 1)
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
                 line_no(ctx, lines[witness].line->span.start));
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
    bool next = line_sim(ctx, &lines[i], k, &gotos);

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
};

static void check_chain_in_loop(struct lint_ctx *ctx)
{
    const struct lint_line *lines;
    struct loop_first *first = NULL;
    struct graph g;
    uint32_t *comp = NULL, *size = NULL, *witness = NULL, k;
    bool *backward = NULL;
    size_t n, i;
    bool any = false;

    lines = lint_lines(ctx, &n);
    for (i = 0; i < n && !any; i++) {
        for (k = 0; k < lines[i].ncmds; k++) {
            if (cmd_keeps_download(&lines[i].cmds[k]))
                any = true;
        }
    }
    if (!any || graph_build(ctx, &g))
        return;
    comp = malloc(g.n * sizeof(*comp));
    size = malloc(g.n * sizeof(*size));
    witness = malloc(g.n * sizeof(*witness));
    backward = malloc(g.n * sizeof(*backward));
    first = calloc(g.n, sizeof(*first));
    if (!comp || !size || !witness || !backward || !first ||
        graph_scc(&g, comp, size))
        goto out;
    loop_witnesses(&g, comp, witness, backward);
    for (i = 0; i < n; i++) {
        const struct lint_line *ll = &lines[i];
        uint32_t c = comp[i];

        if (!ll->reachable || (size[c] < 2 && !self_loop(&g, (uint32_t)i)))
            continue;
        for (k = 0; k < ll->ncmds; k++) {
            if (!cmd_keeps_download(&ll->cmds[k]) ||
                !loops_on_success(ctx, &g, comp, lines, n, (uint32_t)i, k))
                continue;
            if (!first[c].cmd)
                first[c].cmd = &ll->cmds[k];
            first[c].count++;
        }
    }
    /* One finding per loop, at its first download */
    for (i = 0; i < n; i++) {
        for (k = 0; k < lines[i].ncmds; k++) {
            const struct lint_cmd *cmd = &lines[i].cmds[k];
            uint32_t c = comp[i];

            if (first[c].cmd == cmd)
                report_loop(ctx, cmd, lines,
                            nearest_witness(&g, comp, i, witness[c]),
                            first[c].count - 1);
        }
    }
out:
    free(first);
    free(comp);
    free(size);
    free(witness);
    free(backward);
    graph_release(&g);
}
