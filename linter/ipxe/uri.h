/* SPDX-License-Identifier: MIT */
/** @file URIs as iPXE reads them (spec §5.1, §5.2).
 *
 * uri_split() cuts a URI into the parts iPXE's parse_uri() finds, in the
 * same order: `##params` first, then the fragment at the first '#', then
 * the scheme (letters, '-' and '_' only, before the first ':'; no digits),
 * then an opaque part or a query, authority (`user:password@host:port`)
 * and path.  Nothing is decoded or copied: every part is an offset and a
 * length into the text given.  The text is bytes, not a C string.
 */
#ifndef IPXETOOL_LINTER_URI_H
#define IPXETOOL_LINTER_URI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** One part of a URI: @p len bytes at offset @p off, if @p present. */
struct uri_part {
    uint32_t off; /**< first byte, from the start of the text */
    uint32_t len; /**< bytes */
    bool present; /**< the part exists (it may still be empty) */
};

/** A URI cut into parts.  Absent parts have present == false. */
struct uri_parts {
    struct uri_part params;   /**< after `##params` (`=name` included) */
    struct uri_part fragment; /**< after the first '#' */
    struct uri_part scheme;   /**< before the first ':' (no ':') */
    struct uri_part opaque;   /**< after `scheme:` when no '/' follows */
    struct uri_part query;    /**< after '?' (hierarchical URIs only) */
    struct uri_part user;     /**< before ':' or '@' in the authority */
    struct uri_part password; /**< between ':' and '@' in the authority */
    struct uri_part host;     /**< the host ('[...]' kept for IPv6) */
    struct uri_part port;     /**< after the host's ':' */
    struct uri_part path;     /**< the path, '/' included */
    uint32_t authority_end;   /**< offset just past the authority, or 0 */
};

/** Cut @p len bytes at @p s into parts, as iPXE would (never fails). */
void uri_split(const char *s, size_t len, struct uri_parts *out);

/** What iPXE has for one URI scheme (spec §5.2). */
struct uri_scheme {
    const char *name; /**< lower-case scheme name */
    bool efi;         /**< opened by a default x86_64 EFI build */
    bool pcbios;      /**< opened by a default BIOS build */
    bool download;    /**< can fetch an image (not only a SAN or socket) */
    const char *flag; /**< the build flag that adds it */
};

/** The scheme called @p s (@p len bytes, any case), or NULL if iPXE has
 *  no opener for it. */
const struct uri_scheme *uri_scheme_find(const char *s, size_t len);

/** The known scheme closest to @p s (for "did you mean"), or NULL if none
 *  is within two edits. */
const struct uri_scheme *uri_scheme_suggest(const char *s, size_t len);

/**
 * Whether @p host (@p len bytes) matches an entry of @p allowed (a
 * NULL-ended list).  Comparison ignores case; an entry `*.example.com` or
 * `.example.com` matches every name under example.com (not example.com
 * itself); a trailing dot on the host is ignored; `[...]` around an IPv6
 * host is ignored.
 */
bool uri_host_allowed(const char *host, size_t len, const char *const *allowed);

#endif
