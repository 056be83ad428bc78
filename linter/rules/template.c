/* SPDX-License-Identifier: MIT */
/** @file The renderer's codes (IPX4002-IPX4017): ipxe-render reports them
 *  when a template cannot be rendered or a value would change a rendered
 *  script's structure.  ipxe-lint never finds them in a script, so they
 *  have no hooks; they are registered so that every code the tools emit is
 *  listed, explained and named the same way everywhere.  (IPX4001, broken
 *  template tags, is the parser's: the engine registers it.) */
#include "engine.h"

#include "rules.h"

const struct lint_rule lint_rule_template_unsupported = {
    .code = "IPX4002",
    .name = "template-unsupported",
    .sev = DIAG_ERROR,
    .summary =
        "template syntax outside the Jinja2 subset ipxe-render implements, or a "
        "template past one of its limits",
};

const struct lint_rule lint_rule_template_undefined = {
    .code = "IPX4003",
    .name = "template-undefined",
    .sev = DIAG_ERROR,
    .summary = "a template variable used while it is undefined",
};

const struct lint_rule lint_rule_template_type = {
    .code = "IPX4004",
    .name = "template-type",
    .sev = DIAG_ERROR,
    .summary = "a template operation Jinja2 itself would stop on (wrong types, "
               "arguments)",
};

const struct lint_rule lint_rule_template_null = {
    .code = "IPX4005",
    .name = "template-null",
    .sev = DIAG_ERROR,
    .summary = "a JSON null written into a rendered script",
};

const struct lint_rule lint_rule_value_adds_line = {
    .code = "IPX4010",
    .name = "value-adds-line",
    .sev = DIAG_ERROR,
    .summary =
        "a value that adds or joins lines (newline, carriage return, NUL, a "
        "trailing backslash)",
};

const struct lint_rule lint_rule_value_adds_label = {
    .code = "IPX4011",
    .name = "value-adds-label",
    .sev = DIAG_ERROR,
    .summary = "a value that begins a line with ':', making it a label",
};

const struct lint_rule lint_rule_value_adds_operator = {
    .code = "IPX4012",
    .name = "value-adds-operator",
    .sev = DIAG_ERROR,
    .summary = "a value that adds a '||', '&&' or ';' word",
};

const struct lint_rule lint_rule_value_adds_comment = {
    .code = "IPX4013",
    .name = "value-adds-comment",
    .sev = DIAG_ERROR,
    .summary =
        "a value that starts a word with '#', commenting out the rest of the "
        "line",
};

const struct lint_rule lint_rule_value_adds_expansion = {
    .code = "IPX4014",
    .name = "value-adds-expansion",
    .sev = DIAG_ERROR,
    .summary = "a value that forms or closes a '${...}' expansion",
};

const struct lint_rule lint_rule_value_splits_word = {
    .code = "IPX4015",
    .name = "value-splits-word",
    .sev = DIAG_ERROR,
    .summary =
        "a value with whitespace where iPXE splits it into several words",
};

const struct lint_rule lint_rule_value_removes_word = {
    .code = "IPX4016",
    .name = "value-removes-word",
    .sev = DIAG_ERROR,
    .summary =
        "an empty value where it is a word of its own: the words after it move",
};

const struct lint_rule lint_rule_value_adds_option = {
    .code = "IPX4017",
    .name = "value-adds-option",
    .sev = DIAG_ERROR,
    .summary =
        "a value that starts a word with '-' where iPXE still reads options",
};

const struct lint_rule *const lint_rules_template[] = {
    &lint_rule_template_unsupported,
    &lint_rule_template_undefined,
    &lint_rule_template_type,
    &lint_rule_template_null,
    &lint_rule_value_adds_line,
    &lint_rule_value_adds_label,
    &lint_rule_value_adds_operator,
    &lint_rule_value_adds_comment,
    &lint_rule_value_adds_expansion,
    &lint_rule_value_splits_word,
    &lint_rule_value_removes_word,
    &lint_rule_value_adds_option,
    NULL,
};
