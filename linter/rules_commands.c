/* SPDX-License-Identifier: MIT */
/** @file Rules of the commands family (being written). */
#include "rules.h"

const struct lint_rule *const lint_rules_commands[] = {NULL};
