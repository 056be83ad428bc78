/* SPDX-License-Identifier: MIT */
/** @file The codes ipxe-render reports, in one place.
 *
 * Every IPX40nn code the renderer gives (the template engine's and the
 * structure checks') is named here by an enum member, and its code and
 * rule name live in one table (render_codes.c); nothing else in
 * linter/render/ spells a code.  The pages are docs/rules/IPX40nn.md.
 * (IPX4001 is also the parser's code for a tag it cannot read.)
 */
#ifndef IPXETOOL_LINTER_RENDER_CODES_H
#define IPXETOOL_LINTER_RENDER_CODES_H

/** A code ipxe-render reports: an index into render_codes[]. */
enum render_code {
    RENDER_TEMPLATE_SYNTAX,      /* IPX4001: the tag cannot be read */
    RENDER_TEMPLATE_UNSUPPORTED, /* IPX4002: valid Jinja2 outside the subset */
    RENDER_TEMPLATE_UNDEFINED,   /* IPX4003: an undefined value is used */
    RENDER_TEMPLATE_TYPE,        /* IPX4004: an operation Jinja2 raises on */
    RENDER_TEMPLATE_NULL,        /* IPX4005: a null would print as 'None' */
    RENDER_VALUE_ADDS_LINE,      /* IPX4010: a value adds a line */
    RENDER_VALUE_ADDS_LABEL,     /* IPX4011: a value adds a label */
    RENDER_VALUE_ADDS_OPERATOR,  /* IPX4012: a value adds an operator word */
    RENDER_VALUE_ADDS_COMMENT,   /* IPX4013: a value starts a comment */
    RENDER_VALUE_ADDS_EXPANSION, /* IPX4014: a value adds a ${...} */
    RENDER_VALUE_SPLITS_WORD,    /* IPX4015: a value splits a word */
    RENDER_VALUE_REMOVES_WORD,   /* IPX4016: a value removes a word */
    RENDER_VALUE_ADDS_OPTION,    /* IPX4017: a value adds an option */
    RENDER_NCODES,               /* how many codes */
};

struct lint_rule;

/** Each code's rule (linter/rules/template.c, and the engine's IPX4001),
 *  indexed by enum render_code: its code and name are the registry's. */
extern const struct lint_rule *const render_codes[RENDER_NCODES];

#endif
