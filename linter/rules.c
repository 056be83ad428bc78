/* SPDX-License-Identifier: MIT */
/** @file The registry: every rule of every family. */
#include "rules.h"

#include <string.h>

static const struct lint_rule *const *const families[] = {
    lint_rules_lexical,  lint_rules_engine, lint_rules_flow,
    lint_rules_commands, lint_rules_settings, lint_rules_boot,
    lint_rules_platform,
};

#define NFAMILIES (sizeof(families) / sizeof(families[0]))

size_t lint_rule_count(void)
{
    size_t f, i, n = 0;

    for (f = 0; f < NFAMILIES; f++) {
        for (i = 0; families[f][i]; i++)
            n++;
    }
    return n;
}

const struct lint_rule *lint_rule_at(size_t i)
{
    size_t f, j;

    for (f = 0; f < NFAMILIES; f++) {
        for (j = 0; families[f][j]; j++) {
            if (i-- == 0)
                return families[f][j];
        }
    }
    return NULL;
}

const struct lint_rule *lint_rule_find(const char *s)
{
    const struct lint_rule *r;
    size_t i;

    for (i = 0; (r = lint_rule_at(i)) != NULL; i++) {
        if (strcmp(r->code, s) == 0 || strcmp(r->name, s) == 0)
            return r;
    }
    return NULL;
}

size_t lint_rule_index(const struct lint_rule *rule)
{
    size_t f, i, n = 0;

    for (f = 0; f < NFAMILIES; f++) {
        for (i = 0; families[f][i]; i++, n++) {
            if (families[f][i] == rule)
                return n;
        }
    }
    return n;
}
