/* SPDX-License-Identifier: MIT */
/** @file Independent checks of a parsed tree, shared by the unit tests,
 *  the corpus test and the fuzzer.
 *
 * treecheck_structure() checks the invariants ast.h promises (lines cover
 * the source in order, tokens in order inside their line, only trivia
 * between them, parts inside their word, flags that agree with the parts).
 *
 * treecheck_model() compares a plain-mode tree with a reference model
 * written straight from iPXE's own code (spec §1.2, §1.3, §2.1): the
 * physical-to-logical line loop of process_script(), the label split, the
 * NUL truncation, split_command() and command_terminator().  Both sides are
 * described in the same small text form and compared.
 */
#ifndef IPXETOOL_TESTS_TREECHECK_H
#define IPXETOOL_TESTS_TREECHECK_H

#include <stdbool.h>
#include <stddef.h>

struct ast_script;
struct buf;

/** Whether the tree keeps its structural invariants; if not, a message
 *  saying where is appended to @p err. */
bool treecheck_structure(const struct ast_script *s, struct buf *err);

/** Describe, in the model's text form, how iPXE reads @p len bytes. */
int treecheck_model_describe(const char *data, size_t len, struct buf *out);
/** Describe the tree @p s in the same text form. */
int treecheck_tree_describe(const struct ast_script *s, struct buf *out);

/** Whether a plain-mode tree reads the source as iPXE does; if not, both
 *  descriptions are appended to @p err. */
bool treecheck_model(const struct ast_script *s, struct buf *err);

#endif
