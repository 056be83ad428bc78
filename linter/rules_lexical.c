/* SPDX-License-Identifier: MIT */
/** @file Rules of the lexical family (being written). */
#include "rules.h"

const struct lint_rule *const lint_rules_lexical[] = {NULL};
