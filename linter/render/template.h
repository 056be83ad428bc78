/* SPDX-License-Identifier: MIT */
/** @file A strict subset of Jinja2, rendered byte for byte as Jinja2 does.
 *
 * The tags are found by the parser's own lexer (PARSE_TEMPLATE): the
 * template parts of the tree, in source order (those inside comment words
 * and `${...}` included), are the tags; the bytes between them are literal
 * text.  What is inside a tag is read here: an expression lexer and parser,
 * and an evaluator over JSON values (jv.h).
 *
 * The subset (docs/templates.md has the full list): `{{ expr }}`, `{% if %}`
 * / `elif` / `else` / `endif`, `{% for %}` (with `else`, unpacking, a
 * filter `if` and `loop.index`, `index0`, `revindex`, `revindex0`,
 * `first`, `last`, `length`, `depth`, `depth0`), `{% set %}`, `{% raw %}`,
 * `{# #}`, whitespace control (`{%-`, `-%}`, `{{-`, `-}}`, `{#-`, `-#}`,
 * and the no-op `+`); names, dotted and `[...]` access, string, integer,
 * list, tuple, `true`/`false`/`none` literals, `==` `!=` `<` `<=` `>` `>=`
 * `in` `not in` `and` `or` `not` `~` `+` `-`, `x if c else y`, parentheses;
 * the tests `defined`, `undefined`, `none`; the filters `default`/`d`,
 * `lower`, `upper`, `trim`, `replace`, `join`, `length`/`count`, `first`,
 * `last`, `int`, `string`, `urlencode`; `.items()` on a mapping.  Jinja2's
 * own settings are StrictUndefined and keep_trailing_newline=True;
 * trim_blocks and lstrip_blocks are off.
 *
 * Anything else Jinja2 accepts is an error at its line and column
 * (IPX4002), never a silent difference.  A few things Jinja2 renders are
 * refused on purpose (docs/templates.md, "Deviations"): a JSON null printed
 * or made a string (IPX4005); a list, a mapping or a float printed; `x if c`
 * with no `else` when c is false (an undefined value, not '');
 * `lower`/`upper` of non-ASCII text; integers beyond 64 bits; blocks or
 * expressions nested more than 64 deep; a rendering that makes more than
 * 16 times its output's maximum in values, or that takes more than its
 * budget of steps (struct tmpl_output's max_steps).
 *
 * Findings (all errors):
 *   IPX4001 template-syntax       the tag cannot be read
 *   IPX4002 template-unsupported  valid Jinja2 outside the subset
 *   IPX4003 template-undefined    an undefined value is used
 *   IPX4004 template-type         an operation Jinja2 would raise on
 *   IPX4005 template-null         a JSON null would print as 'None'
 */
#ifndef IPXETOOL_LINTER_TEMPLATE_H
#define IPXETOOL_LINTER_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "source.h"

struct arena;
struct diag_list;
struct tmpl;
struct json_t;

/** Where the output of one `{{ ... }}` that reads a variable landed. */
struct tmpl_subst {
    uint32_t start;    /**< first output byte it produced */
    uint32_t end;      /**< one past its last output byte */
    struct span tag;   /**< the `{{ ... }}` tag in the template */
    const char *names; /**< the variables it reads, "a, b.c" (owned by
                            the template's arena) */
};

/** A point where the output switches to another place in the template:
 *  output byte out_start onwards comes from template byte tmpl_start on. */
struct tmpl_mark {
    uint32_t out_start;  /**< output offset */
    uint32_t tmpl_start; /**< template offset */
};

/**
 * The work one rendering may do by default, in steps: a step is one
 * expression evaluated, one statement or loop iteration rendered, one
 * name a frame sets up, one item iterated over or compared, or 64 bytes a
 * value operation reads (a comparison, `in`, a filter's input).  The
 * bytes written need no steps: the output's limit and the values' budget
 * bound them.  Deterministic, unlike a time limit: the same
 * template and variables pass or fail alike on any machine.  A boot script
 * takes a few hundred to a few thousand; the largest script (4 MiB of
 * output) written a line per loop turn, about 2,500,000.
 */
#define TMPL_MAX_STEPS_DEFAULT ((uint64_t)10000000)

/** Bytes a value operation handles for one step. */
#define TMPL_BYTES_PER_STEP 64

/**
 * One rendering.  Reuse it from host to host (tmpl_render() resets it):
 * the memory stays allocated, so rendering many hosts allocates little.
 */
struct tmpl_output {
    struct buf out;           /**< the rendered bytes */
    struct tmpl_subst *subst; /**< values, in output order (malloc) */
    size_t nsubst;            /**< how many */
    size_t subst_cap;         /**< allocated entries */
    struct tmpl_mark *marks;  /**< output -> template map (malloc) */
    size_t nmarks;            /**< how many, by increasing out_start */
    size_t marks_cap;         /**< allocated entries */
    uint64_t max_steps;       /**< the work a rendering may do, in steps
                                   (TMPL_MAX_STEPS_DEFAULT after init) */
    uint64_t steps;           /**< the steps the last rendering took */
};

/** Set up an empty output whose text may grow to @p max bytes, with the
 *  default budget of steps. */
void tmpl_output_init(struct tmpl_output *o, size_t max);
/** Empty it for the next host, keeping the memory. */
void tmpl_output_reset(struct tmpl_output *o);
/** Free what it holds; it is left empty and usable. */
void tmpl_output_release(struct tmpl_output *o);
/** The template offset that produced output byte @p off (approximate
 *  inside a text run whose line ends were normalised). */
uint32_t tmpl_output_origin(const struct tmpl_output *o, uint32_t off);

/**
 * Read template @p src: find its tags with the parser's lexer, then parse
 * every tag.  Every error is reported (to @p d), not only the first.
 *
 * @v src  the template (borrowed; must outlive the template)
 * @v a    owns the compiled template and the findings' text
 * @v d    findings go here
 * @v out  the compiled template, or NULL on error
 * @ret rc 0; -EINVAL if the template has errors (in @p d); -ENOMEM
 */
int tmpl_compile(struct source *src, struct arena *a, struct diag_list *d,
                 struct tmpl **out);

/**
 * Render @p t with the variables of object @p vars into @p o (which is
 * reset first).  Rendering stops at the first error, as Jinja2's does.
 * Safe to call from several threads at once on the same template.
 *
 * @v vars     a JSON object (read, and copied into @p scratch as a jv:
 *             tmpl_render_jv() takes a jv as it is)
 * @v scratch  holds values made while rendering; the caller releases it
 *             after each host (and after reading the findings)
 * @v d        the error, if any, whose span is in the template; its list
 *             should use @p scratch or a longer-lived arena
 * @ret rc     0; -EINVAL on a rendering error (in @p d), the budget of
 *             steps or of values spent included (IPX4002); -ENOMEM;
 *             -E2BIG if the output would pass its maximum size (rendering
 *             stops there, and @p d says where, IPX4002)
 */
int tmpl_render(const struct tmpl *t, const struct json_t *vars,
                struct tmpl_output *o, struct arena *scratch,
                struct diag_list *d);

struct jv;

/** tmpl_render() for variables already a jv (jv.h), as the renderer
 *  merges them: read only, shared with other threads freely.  A @p vars
 *  that is not a JV_OBJECT gives -EINVAL with no finding. */
int tmpl_render_jv(const struct tmpl *t, const struct jv *vars,
                   struct tmpl_output *o, struct arena *scratch,
                   struct diag_list *d);

#endif
