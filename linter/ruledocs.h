/* SPDX-License-Identifier: MIT */
/** @file The rule pages of docs/rules/, compiled in for --explain. */
#ifndef IPXETOOL_LINTER_RULEDOCS_H
#define IPXETOOL_LINTER_RULEDOCS_H

struct ruledoc {
    const char *code; /**< "IPX2001" */
    const char *text; /**< the page, Markdown */
};

/** Every page, sorted by code, ended by an entry whose code is NULL. */
extern const struct ruledoc ruledocs[];

#endif
