/* SPDX-License-Identifier: MIT */
/** @file Rendering one safe iPXE script per server (ipxe-render's library).
 *
 * A template (template.h, a strict subset of Jinja2) is compiled once and
 * rendered for each host of an inventory (inventory.c: defaults, groups and
 * hosts keyed by OVHcloud service name).  Every rendered script is refused
 * unless:
 *   - the template renders without error (undefined variables included);
 *   - no substituted value changes the script's structure (IPX4010-4017):
 *     a value may not add a line, a label, an operator word, a comment word
 *     or a `${...}` expansion, may not start an option word, may not remove
 *     a word, and may spread over several words only where iPXE joins words
 *     with spaces anyway (echo, prompt, the set value, menu and form
 *     titles, item text, the param value, an image's command line after the
 *     URI: spec §2.2);
 *   - the script parses and lints without errors for the host's platform.
 *
 * The inventory's functions are in inventory.h, which this header
 * includes: render.c may use the inventory, never the reverse.
 *
 * The library never prints: messages go to the caller's buffers.  It
 * keeps no global state, and a template and an inventory, once loaded and
 * inventory_set() done, are only read.  The inventory's values are jv
 * values (jv.h), made once and never changed: merging a host's variables
 * reads them and makes the merge in the scratch, so threads render hosts
 * of the same inventory at once with render_index_with() (as ipxe-render's
 * workers do), or render_host_with() each with its own scratch.  Only
 * render_vars_with() and inventory_vars() take or make jansson values, for
 * a caller that holds its variables as such (ipxe-render's load and
 * rendering are clean under ThreadSanitizer).
 */
#ifndef IPXETOOL_LINTER_RENDER_H
#define IPXETOOL_LINTER_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "inventory.h"

/** A template compiled once, rendered many times. */
struct render_template;

/* The limits of a rendering (docs/templates.md, "Limits"), each refused
 * with a message that names it:
 *   - a template is at most RENDER_MAX_TEMPLATE bytes, refused from its
 *     size before it is read (IPX4002); an inventory at most
 *     INVENTORY_MAX_SIZE (inventory.h);
 *   - a script is at most RENDER_MAX_OUTPUT bytes: rendering stops at the
 *     first byte past it (IPX4002);
 *   - rendering one host takes at most render_template_set_max_steps()
 *     steps, TMPL_MAX_STEPS_DEFAULT unless set (template.h says what a
 *     step is), and makes at most 16 times RENDER_MAX_OUTPUT in values
 *     (IPX4002). */

/** The largest template read: boot templates take a few KiB, and
 *  compiling one takes about 50 times its size in memory. */
#define RENDER_MAX_TEMPLATE ((size_t)1 << 20)

/** The largest script rendered: OVHcloud's boot scripts are small, and a
 *  runaway loop must not eat the machine. */
#define RENDER_MAX_OUTPUT ((size_t)4 << 20)

/**
 * Read and compile the template at @p path ("-" is standard input).
 *
 * @v out  the template; the caller frees it with render_template_free()
 * @v err  on failure, every finding as `path:line:col: error: message
 *         [IPX40nn]` lines with the source line and a caret
 * @ret rc 0; 1 if the template has errors or is larger than
 *         RENDER_MAX_TEMPLATE (refused before it is read whole); <0 (a
 *         negative errno) if it could not be read
 */
int render_template_load(struct render_template **out, const char *path,
                         struct buf *err);
/** Let rendering @p t take @p steps steps a host (at least 1; the default
 *  is TMPL_MAX_STEPS_DEFAULT).  Set it before rendering, not meanwhile. */
void render_template_set_max_steps(struct render_template *t, uint64_t steps);
/** Free a template (NULL is a no-op). */
void render_template_free(struct render_template *t);

/**
 * Render @p t for @p host.  The variables are, later winning, with objects
 * merged key by key: defaults < groups (in the host's order) < the host's
 * vars < --set < @p extra (an object such as {"ovh": {"bootMode": "uefi"}},
 * or NULL); `host` is always the host's service name.
 *
 * @v platform  LINT_PLATFORM_* to lint with, or -1 to take it from the
 *              host's `boot_mode` variable (legacy -> pcbios, uefi -> efi,
 *              anything else or absent -> any)
 * @v out       on success, the script is appended (on refusal, nothing)
 * @v err       on refusal, a message naming the host, the variable, the
 *              offending character and the template line:col, or the lint
 *              findings; on success, lint warnings, if any (one a line)
 * @ret rc      0; 1 if refused (undefined variable, a value changing the
 *              structure, lint errors, a template error); <0 on a system
 *              error (-ENOENT: no such host; -ENOMEM)
 */
int render_host(const struct render_template *t, const struct inventory *inv,
                const char *host, const json_t *extra, int platform,
                struct buf *out, struct buf *err);

/** The platform render_host() lints with when given -1: from the
 *  variables' `boot_mode` (legacy -> pcbios, uefi -> efi, anything else
 *  or absent -> any), as a LINT_PLATFORM_* value. */
int render_platform_of(const json_t *vars);

/** What rendering keeps from one host to the next: the output buffers and
 *  the memory of the parse and the lint.  One per thread. */
struct render_scratch;

/** A new scratch, or NULL when memory runs out. */
struct render_scratch *render_scratch_new(void);
/** Free a scratch (NULL is a no-op). */
void render_scratch_free(struct render_scratch *s);

/**
 * render_host() for a caller rendering many hosts: the same result, but
 * the memory of @p s is reused instead of being allocated and freed for
 * each host (@p s holds nothing of a host once this returns).
 */
int render_host_with(struct render_scratch *s, const struct render_template *t,
                     const struct inventory *inv, const char *host,
                     const json_t *extra, int platform, struct buf *out,
                     struct buf *err);

/**
 * render_host_with() for host @p i of @p inv (< inventory_count()), with
 * no extra variables: its variables are merged in @p s, reading the
 * inventory only, so threads may render hosts of the same inventory at
 * once (as ipxe-render's workers do).
 */
int render_index_with(struct render_scratch *s,
                      const struct render_template *t,
                      const struct inventory *inv, size_t i, int platform,
                      struct buf *out, struct buf *err);

/**
 * render_host_with() for variables already merged: @p vars is what
 * inventory_vars() returned for @p host (the caller keeps and frees it).
 * It is only read, so other threads may read the same inventory values
 * meanwhile; @p host names the host in messages and the lint's file name.
 */
int render_vars_with(struct render_scratch *s, const struct render_template *t,
                     const char *host, const json_t *vars, int platform,
                     struct buf *out, struct buf *err);

#endif
