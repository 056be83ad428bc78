/* SPDX-License-Identifier: MIT */
/** @file The rule registry: every rule of every family, by index, code
 *  and name.
 *
 * Rules live in families, one file each in this folder, each exporting a
 * NULL-ended table of pointers that registry.c lists.  Everything above
 * the rules (the front, the reports, the configuration) finds rules here;
 * the engine below is handed them (lint_rules()).
 */
#ifndef IPXETOOL_LINTER_RULES_H
#define IPXETOOL_LINTER_RULES_H

#include <stddef.h>

#include "engine.h"
#include "ruleset.h"

/** Every rule, as the engine runs them (built once, never freed). */
const struct lint_ruleset *lint_rules(void);

/** How many rules there are. */
size_t lint_rule_count(void);
/** Rule number @p i (0 <= i < lint_rule_count()), family by family
 *  (lint_rules_by_code() gives the order to display). */
const struct lint_rule *lint_rule_at(size_t i);
/** The family of rule number @p i: its file's index in the registry
 *  (lexical, engine, flow, commands, settings, boot, platform). */
size_t lint_rule_family(size_t i);
/** Every rule, sorted by code, as shown to people (--list-rules, SARIF):
 *  an array to free(), @p n set to its length; NULL if memory ran out. */
const struct lint_rule **lint_rules_by_code(size_t *n);
/** The rule with code or name @p s (case aside), or NULL. */
const struct lint_rule *lint_rule_find(const char *s);
/** The rule whose code or name is closest to @p s (for "did you mean"),
 *  or NULL if none is close. */
const struct lint_rule *lint_rule_closest(const char *s);
/** The index of @p rule in the registry. */
size_t lint_rule_index(const struct lint_rule *rule);

/* The rules of each file of a family: each a NULL-ended table. */
extern const struct lint_rule *const lint_rules_lexical[];  /* 1xxx */
extern const struct lint_rule *const lint_rules_flow[];     /* labels, flow */
extern const struct lint_rule *const lint_rules_commands[]; /* commands */
extern const struct lint_rule *const lint_rules_commands_order[];
extern const struct lint_rule *const lint_rules_settings[];       /* settings */
extern const struct lint_rule *const lint_rules_settings_store[]; /* inc */
extern const struct lint_rule *const lint_rules_boot[];     /* exit, sanboot */
extern const struct lint_rule *const lint_rules_boot_uri[]; /* URIs */
extern const struct lint_rule *const lint_rules_boot_guard[]; /* platform */
extern const struct lint_rule *const lint_rules_boot_loop[];  /* loops */
extern const struct lint_rule *const lint_rules_boot_image[]; /* names */
extern const struct lint_rule *const lint_rules_platform[];   /* 3xxx */
extern const struct lint_rule *const lint_rules_template[];   /* ipxe-render */
extern const struct lint_rule *const lint_rules_tree[];       /* tree mode */

/* The rule run alone on a template in a dialect the linter does not read
 * (lexical.c; the registry hands it to the engine). */
extern const struct lint_rule lint_rule_unchecked_dialect; /* IPX1015 */

/* The renderer's rules (template.c): ipxe-render reports them by these. */
extern const struct lint_rule lint_rule_template_unsupported; /* IPX4002 */
extern const struct lint_rule lint_rule_template_undefined;   /* IPX4003 */
extern const struct lint_rule lint_rule_template_type;        /* IPX4004 */
extern const struct lint_rule lint_rule_template_null;        /* IPX4005 */
extern const struct lint_rule lint_rule_value_adds_line;      /* IPX4010 */
extern const struct lint_rule lint_rule_value_adds_label;     /* IPX4011 */
extern const struct lint_rule lint_rule_value_adds_operator;  /* IPX4012 */
extern const struct lint_rule lint_rule_value_adds_comment;   /* IPX4013 */
extern const struct lint_rule lint_rule_value_adds_expansion; /* IPX4014 */
extern const struct lint_rule lint_rule_value_splits_word;    /* IPX4015 */
extern const struct lint_rule lint_rule_value_removes_word;   /* IPX4016 */
extern const struct lint_rule lint_rule_value_adds_option;    /* IPX4017 */

#endif
