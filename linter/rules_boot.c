/* SPDX-License-Identifier: MIT */
/** @file Rules of the boot family (being written). */
#include "rules.h"

const struct lint_rule *const lint_rules_boot[] = {NULL};
