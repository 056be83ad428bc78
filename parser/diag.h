/* SPDX-License-Identifier: MIT */
/** @file Diagnostics: what the parser and the linter found.
 *
 * The library never prints: it appends diagnostics to a list, and only the
 * entry points format them (linter/report.c).  A diagnostic's strings are
 * owned by the arena the list was given.
 */
#ifndef IPXETOOL_PARSER_DIAG_H
#define IPXETOOL_PARSER_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "source.h"

struct arena;

/** Most severe first, so `a <= b` means "a is at least as severe as b". */
enum diag_severity {
    DIAG_ERROR = 0, /**< the script will fail or misbehave at boot */
    DIAG_WARNING,   /**< very likely wrong */
    DIAG_INFO,      /**< probably intended but risky */
    DIAG_STYLE,     /**< a matter of style */
};

/** A replacement that fixes a finding: bytes [span) become @p text. */
struct diag_fix {
    struct span span; /**< the bytes to replace */
    const char *text; /**< what to put there (arena) */
};

struct diag {
    enum diag_severity sev; /**< how bad */
    const char *code;       /**< stable code, e.g. "IPX2001" (static) */
    const char *name;       /**< kebab-case rule name (static) */
    struct span span;       /**< where, in the source */
    const char *msg;        /**< what is wrong and what happens at boot
                                 (arena; one line: control bytes of the
                                 text it quotes are shown as '?') */
    const char *hint;       /**< "did you mean ...?" or NULL (arena; one
                                 line, as msg) */
    struct diag_fix *fixes; /**< replacements, or NULL (arena) */
    size_t nfixes;          /**< entries in fixes */
};

struct diag_list {
    struct diag *items;  /**< the diagnostics in the order added (malloc) */
    size_t len;          /**< how many */
    size_t cap;          /**< allocated entries */
    struct arena *arena; /**< owns the strings (borrowed) */
};

/** Set up an empty list whose strings live in @p a. */
void diag_list_init(struct diag_list *d, struct arena *a);
/** Free the array (not the arena). */
void diag_list_release(struct diag_list *d);
/** Append a diagnostic with a formatted message; returns it, or NULL if
 *  memory ran out (the finding is then lost, nothing else). */
struct diag *diag_add(struct diag_list *d, enum diag_severity sev,
                      const char *code, const char *name, struct span span,
                      const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/** diag_add() with a va_list, for a caller's own printf-like function. */
struct diag *diag_vadd(struct diag_list *d, enum diag_severity sev,
                       const char *code, const char *name, struct span span,
                       const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
/** Give @p dg a hint, formatted. */
void diag_hint(struct diag_list *d, struct diag *dg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** Append a copy of @p dg (its strings are shared, not copied: they must
 *  live as long as @p d's).  0 or -ENOMEM. */
int diag_append(struct diag_list *d, const struct diag *dg);
/** Attach a fix replacing @p span with @p text (copied). */
int diag_fix(struct diag_list *d, struct diag *dg, struct span span,
             const char *text);
/** Sort by position (start offset), then by code, keeping insertion
 *  order for ties. */
void diag_sort(struct diag_list *d);
/** The severity's lower-case name ("error", "warning", ...). */
const char *diag_severity_name(enum diag_severity sev);
/** Parse a severity name; returns 0 or -EINVAL. */
int diag_severity_parse(const char *s, enum diag_severity *out);

#endif
