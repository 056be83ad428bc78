/* SPDX-License-Identifier: MIT */
/** @file The registry: every rule of every family. */
#include "rules.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct lint_rule *const *const families[] = {
    lint_rules_lexical,  lint_rules_engine, lint_rules_flow,
    lint_rules_commands, lint_rules_settings, lint_rules_boot,
    lint_rules_platform,
};

#define NFAMILIES (sizeof(families) / sizeof(families[0]))

/* The registry flattened once, so a rule is found by its index in
 * constant time (the engine asks for every rule for every file). */
#define MAX_RULES 256
static const struct lint_rule *flat[MAX_RULES];
static uint8_t flat_family[MAX_RULES];
static size_t nflat;
static pthread_once_t flat_once = PTHREAD_ONCE_INIT;

static void flatten(void)
{
    size_t f, i;

    for (f = 0; f < NFAMILIES; f++) {
        for (i = 0; families[f][i] && nflat < MAX_RULES; i++) {
            flat_family[nflat] = (uint8_t)f;
            flat[nflat++] = families[f][i];
        }
    }
}

size_t lint_rule_count(void)
{
    pthread_once(&flat_once, flatten);
    return nflat;
}

const struct lint_rule *lint_rule_at(size_t i)
{
    pthread_once(&flat_once, flatten);
    return i < nflat ? flat[i] : NULL;
}

size_t lint_rule_family(size_t i)
{
    pthread_once(&flat_once, flatten);
    return i < nflat ? flat_family[i] : NFAMILIES;
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
