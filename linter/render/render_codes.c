/* SPDX-License-Identifier: MIT */
/** @file The codes ipxe-render reports (render_codes.h). */
#include "render_codes.h"

#include "rules.h"

/* Each code's rule in the registry, so that ipxe-render's findings are
 * named as --list-rules and --explain name them. */
const struct lint_rule *const render_codes[RENDER_NCODES] = {
    [RENDER_TEMPLATE_SYNTAX] = &lint_rule_template_syntax,
    [RENDER_TEMPLATE_UNSUPPORTED] = &lint_rule_template_unsupported,
    [RENDER_TEMPLATE_UNDEFINED] = &lint_rule_template_undefined,
    [RENDER_TEMPLATE_TYPE] = &lint_rule_template_type,
    [RENDER_TEMPLATE_NULL] = &lint_rule_template_null,
    [RENDER_VALUE_ADDS_LINE] = &lint_rule_value_adds_line,
    [RENDER_VALUE_ADDS_LABEL] = &lint_rule_value_adds_label,
    [RENDER_VALUE_ADDS_OPERATOR] = &lint_rule_value_adds_operator,
    [RENDER_VALUE_ADDS_COMMENT] = &lint_rule_value_adds_comment,
    [RENDER_VALUE_ADDS_EXPANSION] = &lint_rule_value_adds_expansion,
    [RENDER_VALUE_SPLITS_WORD] = &lint_rule_value_splits_word,
    [RENDER_VALUE_REMOVES_WORD] = &lint_rule_value_removes_word,
    [RENDER_VALUE_ADDS_OPTION] = &lint_rule_value_adds_option,
};
