/* SPDX-License-Identifier: MIT */
/** @file Finding a rule in the set the engine was handed. */
#include "ruleset.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

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

/* Whether the NUL-terminated @p name is the @p len bytes at @p s, case
 * aside: people write ipx2001 as often as IPX2001. */
static bool same(const char *name, const char *s, size_t len)
{
    return strncasecmp(name, s, len) == 0 && name[len] == '\0';
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

const struct lint_rule *lint_ruleset_closest(const struct lint_ruleset *set,
                                             const char *s, size_t len)
{
    const struct lint_rule *best = NULL;
    unsigned best_dist = UINT_MAX;
    size_t i;

    for (i = 0; i < set->n; i++) {
        const struct lint_rule *r = set->rules[i];
        unsigned dc = lint_closeness(s, len, r->code);
        unsigned dn = lint_closeness(s, len, r->name);
        unsigned dist = dc < dn ? dc : dn;

        /* ties go to the lower code: IPX2001 rather than IPX2010 */
        if (dist < best_dist ||
            (dist == best_dist && best && dist != UINT_MAX &&
             strcmp(r->code, best->code) < 0)) {
            best = r;
            best_dist = dist;
        }
    }
    return best_dist == UINT_MAX ? NULL : best;
}

const char *lint_rule_spelling(const struct lint_rule *rule, const char *s,
                               size_t len)
{
    return len >= 3 && strncasecmp(s, "IPX", 3) == 0 ? rule->code : rule->name;
}
