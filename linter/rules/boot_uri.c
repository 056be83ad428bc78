/* SPDX-License-Identifier: MIT */
/** @file The URIs of `chain` and the other image commands: which words are
 *  URIs, the family's per-file data, and the rules on them (IPX2304-IPX2308,
 *  IPX2311).
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
static void check_host_allowed(struct lint_ctx *ctx,
                               const struct lint_cmd *cmd);

static const struct lint_rule insecure_url = {
    .code = "IPX2304",
    .name = "insecure-url",
    .sev = DIAG_WARNING,
    .summary = "a plain http:// URL where the configuration requires https",
    .on_command = check_insecure_url,
};

static const struct lint_rule url_credentials = {
    .code = "IPX2305",
    .name = "url-credentials",
    .sev = DIAG_WARNING,
    .summary = "a password written inside a URL",
    .on_command = check_url_credentials,
};

static const struct lint_rule relative_uri = {
    .code = "IPX2306",
    .name = "relative-uri",
    .sev = DIAG_INFO,
    .summary = "a relative URI, resolved against the running script's own URL",
    .on_command = check_relative_uri,
};

static const struct lint_rule bare_image_name = {
    .code = "IPX2307",
    .name = "bare-image-name",
    .sev = DIAG_INFO,
    .summary = "a bare name that runs an already registered image of that name "
               "instead of downloading",
    .on_command = check_bare_image_name,
    .on_script = check_names_done,
};

static const struct lint_rule unknown_uri_scheme = {
    .code = "IPX2308",
    .name = "unknown-uri-scheme",
    .sev = DIAG_WARNING,
    .summary =
        "a URI scheme iPXE has no opener for (typo, or digits in the scheme)",
    .on_command = check_unknown_scheme,
};

static const struct lint_rule host_not_allowed = {
    .code = "IPX2311",
    .name = "host-not-allowed",
    .sev = DIAG_WARNING,
    .summary = "a URL whose host is not in the configured allowed-hosts",
    .on_command = check_host_allowed,
};

const struct lint_rule *const lint_rules_boot_uri[] = {
    &insecure_url,       &url_credentials,  &relative_uri, &bare_image_name,
    &unknown_uri_scheme, &host_not_allowed, NULL,
};

/* ---- URIs: which words are URIs (spec §5.1) ---- */

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

/* Whether part @p p lies wholly in the literal prefix. */
static bool part_literal(const struct uri_word *u, const struct uri_part *p)
{
    return p->present && p->off + p->len <= u->lit &&
           (u->lit == u->w->len || p->off + p->len < u->lit);
}

void boot_uri_word_init(struct uri_word *u, const struct ast_word *w,
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
bool boot_cmd_takes_uris(const struct lint_cmd *cmd)
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

static void *boot_data_new(struct lint_ctx *ctx)
{
    return arena_zalloc(lint_arena(ctx), sizeof(struct boot_data));
}

/* lint_memo()'s key for the family's data */
static const char boot_key;

struct boot_data *boot_data(struct lint_ctx *ctx)
{
    return lint_memo(ctx, &boot_key, boot_data_new);
}

/* Append a URI word; false when memory ran out. */
static struct uri_word *uw_push(struct lint_ctx *ctx, struct boot_data *d)
{
    if (d->nuw == d->capuw) {
        uint32_t cap = d->capuw ? d->capuw * 2 : 8;
        struct uri_word *p = arena_alloc(lint_arena(ctx), cap * sizeof(*p));

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
const struct uri_word *boot_cmd_uris_parse(struct lint_ctx *ctx,
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
            boot_uri_word_init(u, w, USE_VALUE, i - 1);
            continue;
        }
        if (!uc->use || i - 1 < uc->first)
            continue;
        if (uc->last != 255 && i - 1 > uc->last)
            break;
        if (!(u = uw_push(ctx, d)))
            break;
        boot_uri_word_init(u, w, (enum uri_use)uc->use, i - 1);
    }
    if (id == CMD_ID_CONSOLE) {
        const struct cmd_optval *pic = cmdparse_opt(&cmd->call, "picture");

        if (pic && pic->value && pic->vlen == pic->value->len &&
            (u = uw_push(ctx, d)))
            boot_uri_word_init(u, pic->value, USE_ACQUIRE, UINT32_MAX);
    }
    *n = d->nuw;
    return d->uw;
}

/* Whether @p u is a bare name: literal, no '/', no scheme. */
bool boot_uri_is_bare(const struct uri_word *u)
{
    return ast_word_is_static(u->w) && !u->p.scheme.present &&
           memchr(u->w->text, '/', u->w->len) == NULL;
}

/* What iPXE has for the word's scheme, or NULL if the word has no certain
 * scheme or iPXE no opener for it. */
const struct uri_scheme *boot_uri_known_scheme(const struct uri_word *u)
{
    if (!u->p.scheme.present || !u->scheme_known || !u->p.scheme.len)
        return NULL;
    return uri_scheme_find(u->w->text + u->p.scheme.off, u->p.scheme.len);
}

/* Whether the word's scheme is certainly @p name (lower case), in any
 * case: "http", "HTTP". */
bool boot_scheme_is(const struct uri_word *u, const char *name)
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
static NOINLINE void uris_insecure_url(struct lint_ctx *ctx,
                                       const struct lint_cmd *cmd)
{
    const struct uri_word *uw, *u;
    uint32_t nu, ui;

    if (!lint_options_of(ctx)->require_https)
        return;
    uw = cmd_uris(ctx, cmd, &nu);
    for (ui = 0; ui < nu; ui++) {
        u = &uw[ui];
        struct diag *dg;

        if (!boot_scheme_is(u, "http"))
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
    if (boot_cmd_takes_uris(cmd))
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
        if (boot_scheme_is(u, "http") || boot_scheme_is(u, "ftp") ||
            boot_scheme_is(u, "tftp"))
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
static void check_url_credentials(struct lint_ctx *ctx,
                                  const struct lint_cmd *cmd)
{
    if (boot_cmd_takes_uris(cmd))
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
static NOINLINE void uris_relative_uri(struct lint_ctx *ctx,
                                       const struct lint_cmd *cmd)
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
        if ((u->use == USE_ACQUIRE && boot_uri_is_bare(u)) ||
            scheme_like(s, u->lit))
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
    if (boot_cmd_takes_uris(cmd))
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
        if (u->use == USE_ACQUIRE && boot_uri_is_bare(u) && !set->unknown &&
            cmd->ll->reachable &&
            !nameset_get(&set->names, u->w->text, u->w->len, NULL)) {
            struct diag *dg =
                lint_report(ctx, &bare_image_name, u->w->span,
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
                      (int)u->w->len, u->w->text, (int)u->w->len, u->w->text);
        }
        if (registers && u->arg == 0)
            name_note(set, cmd, u);
    }
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_bare_image_name(struct lint_ctx *ctx,
                                  const struct lint_cmd *cmd)
{
    if (boot_cmd_takes_uris(cmd))
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
                diag_fix(lint_diags(ctx), dg,
                         sub_span(u->w, u->p.scheme.off, n), hint->name);
        }
    }
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_unknown_scheme(struct lint_ctx *ctx,
                                 const struct lint_cmd *cmd)
{
    if (boot_cmd_takes_uris(cmd))
        uris_unknown_scheme(ctx, cmd);
}

/* ---- IPX2311: hosts outside allowed-hosts ---- */

/* The body of check_host_allowed(), for commands that have URI words. */
static NOINLINE void uris_host_allowed(struct lint_ctx *ctx,
                                       const struct lint_cmd *cmd)
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
                    (int)u->w->len, u->w->text, (int)h->len,
                    u->w->text + h->off);
    }
}

/* Most commands take no URI: that is settled here, without a call. */
static void check_host_allowed(struct lint_ctx *ctx, const struct lint_cmd *cmd)
{
    if (boot_cmd_takes_uris(cmd))
        uris_host_allowed(ctx, cmd);
}
