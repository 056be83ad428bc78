/* SPDX-License-Identifier: MIT */
/** @file Finding a rule in the set the engine was handed. */
#include "ruleset.h"

#include <string.h>

#include "engine.h"

size_t lint_ruleset_index(const struct lint_ruleset *set,
                          const struct lint_rule *rule)
{
    size_t i;

    for (i = 0; i < set->n; i++) {
        if (set->rules[i] == rule)
            return i;
    }
    return set->n;
}

/* Whether the NUL-terminated @p name is the @p len bytes at @p s. */
static bool same(const char *name, const char *s, size_t len)
{
    return strncmp(name, s, len) == 0 && name[len] == '\0';
}

const struct lint_rule *lint_ruleset_find(const struct lint_ruleset *set,
                                          const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < set->n; i++) {
        const struct lint_rule *r = set->rules[i];
        if (same(r->code, s, len) || same(r->name, s, len))
            return r;
    }
    return NULL;
}
