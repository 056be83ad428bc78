/* SPDX-License-Identifier: MIT */
/** @file The registry: every rule of every family. */
#include "rules.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The families, in the order rules are numbered and run: each the tables
 * of its files (a family's rules share what they compute with lint_memo(),
 * so they run on one thread). */
static const struct lint_rule *const *const lexical[] = {lint_rules_lexical,
                                                         NULL};
static const struct lint_rule *const *const engine[] = {lint_rules_engine,
                                                        NULL};
static const struct lint_rule *const *const flow[] = {lint_rules_flow, NULL};
static const struct lint_rule *const *const commands[] = {
    lint_rules_commands, lint_rules_commands_order, NULL};
static const struct lint_rule *const *const settings[] = {
    lint_rules_settings, lint_rules_settings_store, NULL};
static const struct lint_rule *const *const boot[] = {
    lint_rules_boot,      lint_rules_boot_uri,   lint_rules_boot_guard,
    lint_rules_boot_loop, lint_rules_boot_image, NULL};
static const struct lint_rule *const *const platform[] = {lint_rules_platform,
                                                          NULL};
static const struct lint_rule *const *const template[] = {lint_rules_template,
                                                          NULL};
static const struct lint_rule *const *const tree[] = {lint_rules_tree, NULL};

static const struct lint_rule *const *const *const families[] = {
    lexical, engine, flow, commands, settings, boot, platform, template, tree,
};

#define NFAMILIES (sizeof(families) / sizeof(families[0]))

/* The families a large file's second thread runs (a bit each, by index
 * above): lexical, boot and platform.  Any split into whole families gives
 * the same report; this one balances the halves' time on
 * bench/gen_script.py's scripts. */
#define SECOND_HALF ((1u << 0) | (1u << 5) | (1u << 6))

/* The registry flattened once, so a rule is found by its index in
 * constant time (the engine asks for every rule for every file). */
#define MAX_RULES 256
static const struct lint_rule *flat[MAX_RULES];
static uint8_t flat_family[MAX_RULES];
static struct lint_ruleset all;
static pthread_once_t flat_once = PTHREAD_ONCE_INIT;

static void flatten(void)
{
    size_t f, t, i, n = 0;

    for (f = 0; f < NFAMILIES; f++) {
        for (t = 0; families[f][t]; t++) {
            const struct lint_rule *const *table = families[f][t];
            for (i = 0; table[i] && n < MAX_RULES; i++) {
                flat_family[n] = (uint8_t)f;
                flat[n++] = table[i];
            }
        }
    }
    all.rules = flat;
    all.family = flat_family;
    all.n = n;
    all.second_half = SECOND_HALF;
    all.unchecked = &lint_rule_unchecked_dialect;
}

const struct lint_ruleset *lint_rules(void)
{
    pthread_once(&flat_once, flatten);
    return &all;
}

size_t lint_rule_count(void)
{
    return lint_rules()->n;
}

const struct lint_rule *lint_rule_at(size_t i)
{
    const struct lint_ruleset *set = lint_rules();

    return i < set->n ? set->rules[i] : NULL;
}

size_t lint_rule_family(size_t i)
{
    const struct lint_ruleset *set = lint_rules();

    return i < set->n ? set->family[i] : NFAMILIES;
}

static int by_code(const void *a, const void *b)
{
    const struct lint_rule *const *x = a, *const *y = b;

    return strcmp((*x)->code, (*y)->code);
}

const struct lint_rule **lint_rules_by_code(size_t *n)
{
    const struct lint_rule **v;
    size_t i;

    *n = lint_rule_count();
    v = malloc((*n ? *n : 1) * sizeof(*v));
    if (!v)
        return NULL;
    for (i = 0; i < *n; i++)
        v[i] = lint_rule_at(i);
    qsort(v, *n, sizeof(*v), by_code);
    return v;
}

const struct lint_rule *lint_rule_find(const char *s)
{
    return lint_ruleset_find(lint_rules(), s, strlen(s));
}

size_t lint_rule_index(const struct lint_rule *rule)
{
    return lint_ruleset_index(lint_rules(), rule);
}

const struct lint_rule *lint_rule_closest(const char *s)
{
    return lint_ruleset_closest(lint_rules(), s, strlen(s));
}
