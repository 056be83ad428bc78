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
    "IPX4002", "template-unsupported", DIAG_ERROR,
    "template syntax outside the Jinja2 subset ipxe-render implements, or a "
    "template past one of its limits",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_template_undefined = {
    "IPX4003", "template-undefined", DIAG_ERROR,
    "a template variable used while it is undefined",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_template_type = {
    "IPX4004", "template-type", DIAG_ERROR,
    "a template operation Jinja2 itself would stop on (wrong types, "
    "arguments)",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_template_null = {
    "IPX4005", "template-null", DIAG_ERROR,
    "a JSON null written into a rendered script",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_value_adds_line = {
    "IPX4010", "value-adds-line", DIAG_ERROR,
    "a value that adds or joins lines (newline, carriage return, NUL, a "
    "trailing backslash)",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_value_adds_label = {
    "IPX4011", "value-adds-label", DIAG_ERROR,
    "a value that begins a line with ':', making it a label",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_value_adds_operator = {
    "IPX4012", "value-adds-operator", DIAG_ERROR,
    "a value that adds a '||', '&&' or ';' word",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_value_adds_comment = {
    "IPX4013", "value-adds-comment", DIAG_ERROR,
    "a value that starts a word with '#', commenting out the rest of the "
    "line",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_value_adds_expansion = {
    "IPX4014", "value-adds-expansion", DIAG_ERROR,
    "a value that forms or closes a '${...}' expansion",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_value_splits_word = {
    "IPX4015", "value-splits-word", DIAG_ERROR,
    "a value with whitespace where iPXE splits it into several words",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_value_removes_word = {
    "IPX4016", "value-removes-word", DIAG_ERROR,
    "an empty value where it is a word of its own: the words after it move",
    NULL, NULL, NULL,
};

const struct lint_rule lint_rule_value_adds_option = {
    "IPX4017", "value-adds-option", DIAG_ERROR,
    "a value that starts a word with '-' where iPXE still reads options",
    NULL, NULL, NULL,
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
