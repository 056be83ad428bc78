/* SPDX-License-Identifier: MIT */
/** @file Unit tests of the rule registry (linter/rules/registry.c): what
 *  the engine takes for granted about it.
 *
 * The engine runs each hook once however many rules share it, and looks
 * for a hook it has already taken only among its family's (run.c): a hook
 * must therefore belong to one family, whose rules are neighbours in the
 * registry's order.
 */
#include <stddef.h>
#include <stdio.h>

#include "engine.h"
#include "rules.h"
#include "test.h"

/* Whether rules @p i and @p j share a hook. */
static int share_hook(const struct lint_rule *a, const struct lint_rule *b)
{
    return (a->on_line && a->on_line == b->on_line) ||
           (a->on_command && a->on_command == b->on_command) ||
           (a->on_script && a->on_script == b->on_script);
}

int main(void)
{
    size_t n = lint_rule_count(), i, j;

    check(n > 0);
    for (i = 0; i < n; i++) {
        const struct lint_rule *a = lint_rule_at(i);
        /* a family's rules are contiguous */
        if (i > 0 && lint_rule_family(i) != lint_rule_family(i - 1)) {
            for (j = 0; j + 1 < i; j++) {
                if (!check(lint_rule_family(j) != lint_rule_family(i)))
                    fprintf(stderr, "  %s: its family came before\n",
                            a->code);
            }
        }
        for (j = i + 1; j < n; j++) {
            const struct lint_rule *b = lint_rule_at(j);
            if (share_hook(a, b) &&
                !check(lint_rule_family(i) == lint_rule_family(j)))
                fprintf(stderr, "  %s and %s share a hook across families\n",
                        a->code, b->code);
        }
    }
    return test_done();
}
