/* SPDX-License-Identifier: MIT */
/** @file The boot family's shared parts (exit, chain and URIs, sanboot,
 *  platforms, loops): its rules, its per-file data, and the helpers its
 *  files share.  Internal to the family: boot.c, boot_uri.c, boot_guard.c
 *  and boot_loop.c. */
#ifndef IPXETOOL_LINTER_BOOT_H
#define IPXETOOL_LINTER_BOOT_H

#include <stdint.h>
#include <string.h>

#include "engine.h"
#include "nameset.h"
#include "uri.h"

/* A function the compiler must not inline: the slow path of a hook whose
 * fast path (most commands) is a test. */
#define NOINLINE __attribute__((noinline))

/* ---- URIs (boot_uri.c) ---- */

/* How a command uses a URI word. */
enum uri_use {
    USE_FETCH = 1, /**< always downloaded (imgfetch, initrd, module) */
    USE_ACQUIRE,   /**< an image name, else downloaded (imgacquire) */
    USE_SAN,       /**< a SAN root path (sanboot, sanhook) */
    USE_VALUE,     /**< a `set` value that looks like a URL */
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
    bool guards_done;      /**< guard[] computed */
    uint8_t *guard;        /**< per command: enum lint_platform it
                                is guarded for (arena), or NULL */
    uint32_t *base;        /**< per line: index of its first command */
    struct name_set names; /**< IPX2307 */
};

/** The family's data for this file (lint_memo), or NULL if memory ran out. */
struct boot_data *boot_data(struct lint_ctx *ctx);
/** Whether @p cmd can have URI words at all. */
bool boot_cmd_takes_uris(const struct lint_cmd *cmd);
/** The URI words of @p cmd, which can have some (cmd_uris()). */
const struct uri_word *boot_cmd_uris_parse(struct lint_ctx *ctx,
                                           const struct lint_cmd *cmd,
                                           uint32_t *n);

/** The URI words of @p cmd, in order (shared by the rules: parsed once,
 *  and most commands have none, which this says without a call). */
static inline const struct uri_word *
cmd_uris(struct lint_ctx *ctx, const struct lint_cmd *cmd, uint32_t *n)
{
    *n = 0;
    return boot_cmd_takes_uris(cmd) ? boot_cmd_uris_parse(ctx, cmd, n) : NULL;
}

/** Read word @p w, positional argument @p arg, as a URI used as @p use. */
void boot_uri_word_init(struct uri_word *u, const struct ast_word *w,
                        enum uri_use use, uint32_t arg);
/** Whether @p u is a bare name: literal, no '/', no scheme. */
bool boot_uri_is_bare(const struct uri_word *u);
/** What iPXE has for the word's scheme, or NULL if the word has no certain
 *  scheme or iPXE no opener for it. */
const struct uri_scheme *boot_uri_known_scheme(const struct uri_word *u);
/** Whether the word's scheme is certainly @p name (lower case), in any
 *  case: "http", "HTTP". */
bool boot_scheme_is(const struct uri_word *u, const char *name);

/* ---- sanboot (boot.c) ---- */

/** Whether a sanboot boots a local disk (no root path, or --drive). */
bool boot_sanboot_local(const struct lint_cmd *cmd);

/* ---- small helpers ---- */

/* The name as written ("chain"). */
static inline const char *cmd_name(const struct lint_cmd *cmd)
{
    return cmd->call.def->name;
}

/* Positional argument @p i (0-based), or NULL. */
static inline const struct ast_word *cmd_arg(const struct lint_cmd *cmd,
                                             uint32_t i)
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
static inline uint32_t literal_prefix(const struct ast_word *w)
{
    const struct ast_part *p;
    uint32_t cont = 0, at;

    if (ast_word_is_static(w))
        return w->len;
    for (p = ast_word_parts(w); p; p = p->next) {
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
static inline bool word_fixable(const struct ast_word *w)
{
    return !(w->flags & AST_W_CONT) && w->span.end - w->span.start == w->len;
}

static inline struct span sub_span(const struct ast_word *w, uint32_t off,
                                   uint32_t len)
{
    struct span s = {w->span.start + off, w->span.start + off + len};

    return s;
}

#endif
