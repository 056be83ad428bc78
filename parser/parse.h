/* SPDX-License-Identifier: MIT */
/** @file Parsing a source into a tree: the one entry point of parser/. */
#ifndef IPXETOOL_PARSER_PARSE_H
#define IPXETOOL_PARSER_PARSE_H

#include <stdbool.h>

struct arena;
struct ast_script;
struct diag_list;
struct source;

enum parse_flags {
    PARSE_TEMPLATE = 1 << 0, /**< recognise `{{ }}`, `{% %}`, `{# #}` tags
                                  (Jinja2, Go) and `<% %>`, `<%= %>`,
                                  `<%# %>` (ERB) */
    PARSE_THREADS = 1 << 1,  /**< a large plain script may be parsed in two
                                  halves at once, on a second thread: the
                                  same tree, sooner */
    PARSE_SNIFF = 1 << 2,    /**< look at the bytes (sniff.h): a file with
                                  template tags is parsed as a template
                                  even without PARSE_TEMPLATE, a Cheetah
                                  template as plain; ast_script.dialect
                                  says what was found */
};

/**
 * Parse @p src.  Any bytes give a tree: iPXE accepts every line of a plain
 * script, so only template mode can add parse errors to @p d (one per bad
 * line, and parsing goes on).
 *
 * @v src    the source (borrowed; must outlive the tree)
 * @v flags  enum parse_flags
 * @v a      owns the tree and the diagnostics' text
 * @v d      parse errors are appended here
 * @v out    the tree
 * @ret rc   0, or -ENOMEM
 */
int parse_source(struct source *src, unsigned flags, struct arena *a,
                 struct diag_list *d, struct ast_script **out);

/** Where PARSE_THREADS would cut plain @p src in two (a line start where
 *  a logical line begins, near the middle), or 0 for nowhere.  For tests. */
unsigned parse_threads_cut(const struct source *src);

/** Whether @p path names a template by its extension (.j2, .jinja,
 *  .jinja2, .tmpl, .tpl, and .erb for Ruby's ERB). */
bool parse_is_template_name(const char *path);

#endif
