/* SPDX-License-Identifier: MIT */
/** @file What a rule sees: the engine's facts about one script, and how a
 *  rule reports.
 *
 * A rule is a constant object with a stable code, a name, a default
 * severity, a one-line summary and up to three hooks.  The engine walks
 * the tree once: for every logical line it calls each rule's on_line, for
 * every command (segment) each rule's on_command, and when the walk and
 * the shared analyses (labels, control flow, settings, directives) are
 * done, each rule's on_script.  Rules report through lint_report() and
 * never print.
 *
 * The engine knows no rule but its own (the directive rule): the rules it
 * runs are handed to it (ruleset.h), so it sits below the rule families.
 */
#ifndef IPXETOOL_LINTER_ENGINE_H
#define IPXETOOL_LINTER_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ast.h"
#include "cmdparse.h"
#include "cmdtable.h"
#include "diag.h"
#include "options.h"
#include "source.h"

struct lint_ctx;
struct lint_line;
struct lint_cmd;

struct lint_rule {
    const char *code;       /**< "IPX2001": permanent, never reused */
    const char *name;       /**< "goto-unknown-label" */
    enum diag_severity sev; /**< default severity */
    const char *summary;    /**< one line for --list-rules and SARIF */
    void (*on_line)(struct lint_ctx *ctx, const struct lint_line *ll);
    void (*on_command)(struct lint_ctx *ctx, const struct lint_cmd *cmd);
    void (*on_script)(struct lint_ctx *ctx);
};

/** How control can leave a line (a bit set). */
enum lint_flow {
    LINT_FLOW_NEXT = 1 << 0, /**< goes on to the next line (status 0) */
    LINT_FLOW_FAIL = 1 << 1, /**< a failure ends the script (spec §1.4) */
    LINT_FLOW_JUMP = 1 << 2, /**< a goto leaves the line */
    LINT_FLOW_EXIT = 1 << 3, /**< exit, or chain --replace: script ends */
    LINT_FLOW_GONE = 1 << 4, /**< reboot, poweroff, a booted sanboot:
                                  control does not come back */
};

/** One command (segment) of a line, with its arguments read. */
struct lint_cmd {
    struct cmd_call call;            /**< getopt's reading of the words */
    const struct ast_segment *seg;   /**< the words (borrowed) */
    const struct lint_line *ll;      /**< the line it is on, whose cmds
                                          array holds it */
    const struct lint_label *target; /**< a goto with a literal target: the
                                          label it names in this script, or
                                          NULL */
};

/** One logical line and the facts the engine worked out about it. */
struct lint_line {
    const struct ast_line *line; /**< the line (borrowed) */
    struct lint_cmd *cmds;       /**< one per segment (arena) */
    uint32_t ncmds;              /**< how many */
    uint8_t flow;                /**< enum lint_flow: how control leaves */
    bool reachable;              /**< control can get here */
    bool has_code;               /**< a command word or a label on it */
    bool has_control;            /**< a template control tag is on it */
};

/** The id of the command @p cmd runs (enum cmd_id; an alias has its
 *  primary's: `chain` is CMD_ID_IMGEXEC), or CMD_ID_NONE if it is unknown
 *  or only known at run time. */
static inline enum cmd_id lint_cmd_id(const struct lint_cmd *cmd)
{
    const struct cmd_def *def = cmd->call.def;

    return def && !cmd->call.dynamic ? (enum cmd_id)def->id : CMD_ID_NONE;
}

/* One of each per line and per command of a script: see ast.h's. */
_Static_assert(sizeof(void *) != 8 || (sizeof(struct lint_cmd) == 64 &&
                                       sizeof(struct lint_line) == 24),
               "an engine record grew");

/** The 0-based index of command @p cmd on its line (its segment's). */
static inline uint32_t lint_cmd_index(const struct lint_cmd *cmd)
{
    return (uint32_t)(cmd - cmd->ll->cmds);
}

/** The operator before command @p cmd on its line, or NULL for the first
 *  command. */
static inline const struct ast_word *
lint_cmd_op_before(const struct lint_cmd *cmd)
{
    return cmd == cmd->ll->cmds ? NULL : cmd[-1].seg->op;
}

/** A label definition. */
struct lint_label {
    const struct ast_word *word; /**< the `:name` word (text: name) */
    uint32_t line;               /**< logical line index */
    bool used;                   /**< some goto names it literally */
    uint32_t first;              /**< index of the first label of this name:
                                      its own unless it is a duplicate, which
                                      no goto ever finds (spec §1.3) */
};

/* ---- what rules can ask the engine ---- */

/** The platform in force: --platform, or an in-file `platform=` directive. */
enum lint_platform lint_platform(const struct lint_ctx *ctx);
/** Whether the first positional argument of command @p id names a setting
 *  that it stores (`set`, `read`, `choose`, `clear`, ...). */
bool lint_cmd_stores_setting(enum cmd_id id);
/** Whether the file declared itself `# ipxe-lint subscript`, or its tree
 *  says every script that reaches it chains it (and comes back). */
bool lint_is_subscript(const struct lint_ctx *ctx);
/** What the tree says about the script (tree mode), or NULL. */
const struct lint_tree_facts *lint_tree_facts(const struct lint_ctx *ctx);
/** Whether the file is linted as a template. */
bool lint_is_template(const struct lint_ctx *ctx);
/** The tree and the source. */
const struct ast_script *lint_script(const struct lint_ctx *ctx);
struct source *lint_source_of(const struct lint_ctx *ctx);
const struct lint_options *lint_options_of(const struct lint_ctx *ctx);
/** Every logical line, in order. */
const struct lint_line *lint_lines(const struct lint_ctx *ctx, size_t *n);
/** The 0-based index of line @p ll, one of lint_lines(). */
uint32_t lint_line_index(const struct lint_ctx *ctx,
                         const struct lint_line *ll);
/** The first label called @p name (@p len bytes), or NULL. */
const struct lint_label *lint_label_find(const struct lint_ctx *ctx,
                                         const char *name, size_t len);
/** Every label, in file order. */
const struct lint_label *lint_labels(const struct lint_ctx *ctx, size_t *n);
/** Whether a `# ipxe-lint external-labels=` directive names @p name. */
bool lint_label_is_external(const struct lint_ctx *ctx, const char *name,
                            size_t len);
/** Whether some `goto` has a target only known at run time. */
bool lint_has_dynamic_goto(const struct lint_ctx *ctx);
/** Whether setting @p name (no scope, no type) is set anywhere in the file
 *  (set, read, choose, ...), declared external, predefined by iPXE, or (in
 *  tree mode) set by some script that chains this one. */
bool lint_setting_known(const struct lint_ctx *ctx, const char *name,
                        size_t len);
/** The list findings go to (for diag_hint() and diag_fix()). */
struct diag_list *lint_diags(struct lint_ctx *ctx);
/** Edit distance between two names, or @p max + 1 if it is more than
 *  @p max (for "did you mean" hints). */
unsigned lint_distance(const char *a, size_t alen, const char *b, size_t blen,
                       unsigned max);
/** How close @p word (@p len bytes) is to @p cand, case aside, for "did
 *  you mean" in messages about what people type: an edit distance (a word
 *  cut short counts as two), or UINT_MAX when @p cand is too far to be
 *  what was meant.  The smallest wins; callers keep the first of a tie. */
unsigned lint_closeness(const char *word, size_t len, const char *cand);
/** The candidate of the NULL-ended @p cands closest to @p word (@p len
 *  bytes) by lint_closeness(), the first of a tie, or NULL if none is
 *  close. */
const char *lint_closest(const char *word, size_t len,
                         const char *const *cands);
/**
 * Data a family computes once per file and shares between its rules (an
 * analysis several rules walk, a counter): the first call with @p key runs
 * @p compute and keeps what it returns (arena memory, or NULL); later
 * calls with the same key return it.  @p key is any address the family
 * owns, e.g. the compute function's own.
 */
void *lint_memo(struct lint_ctx *ctx, const void *key,
                void *(*compute)(struct lint_ctx *ctx));
/** A short, printable copy of @p len bytes of user text for a message
 *  (arena): control bytes become '?', and text past 40 bytes is cut (not
 *  inside a UTF-8 character) and marked "...". */
const char *lint_show(struct lint_ctx *ctx, const char *text, size_t len);
/** Whether @p len bytes at @p text hold a tag of a template engine the
 *  parser does not read (ERB's `<% %>`, Ruby's `#{}`): such text is only
 *  known once rendered. */
bool lint_has_foreign_tag(const char *text, size_t len);
/** The arena findings and scratch data may use. */
struct arena *lint_arena(struct lint_ctx *ctx);

/**
 * Report a finding of @p rule at @p span, unless the rule is disabled for
 * the file or by a directive on the line before.  The message says what is
 * wrong and what happens at boot; lower-case, no full stop, user text in
 * '...'.  Returns the finding (to add a hint or fix), or NULL if it was not
 * reported.
 */
struct diag *lint_report(struct lint_ctx *ctx, const struct lint_rule *rule,
                         struct span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** Like lint_report() at a chosen severity instead of the rule's (for a
 *  rule whose severity depends on the case, e.g. subscripts); a configured
 *  override still wins. */
struct diag *lint_report_at(struct lint_ctx *ctx, const struct lint_rule *rule,
                            enum diag_severity sev, struct span span,
                            const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* ---- small helpers the families share ---- */

/** Whether @p cmd runs the command @p id (see lint_cmd_id()). */
static inline bool lint_cmd_is(const struct lint_cmd *cmd, enum cmd_id id)
{
    return lint_cmd_id(cmd) == id;
}

/** The definition of the command @p cmd runs when it is known statically,
 *  else NULL. */
static inline const struct cmd_def *lint_known_def(const struct lint_cmd *cmd)
{
    return cmd->call.dynamic ? NULL : cmd->call.def;
}

/** The command name's word (the first that is not a template control
 *  word), or NULL for an empty segment. */
static inline const struct ast_word *lint_name_word(const struct lint_cmd *cmd)
{
    uint32_t i;

    for (i = 0; i < cmd->seg->argc; i++) {
        if (!(cmd->seg->argv[i]->flags & AST_W_CONTROL))
            return cmd->seg->argv[i];
    }
    return NULL;
}

/** The span from raw offset @p start to @p end. */
static inline struct span lint_span(uint32_t start, uint32_t end)
{
    struct span s;

    s.start = start;
    s.end = end;
    return s;
}

/** The span of a whole command, first word to last (it has words). */
static inline struct span lint_cmd_span(const struct lint_cmd *cmd)
{
    return lint_span(cmd->seg->argv[0]->span.start,
                     cmd->seg->argv[cmd->seg->argc - 1]->span.end);
}

/** The 1-based line of the file that raw offset @p offset is on. */
static inline unsigned lint_line_at(struct lint_ctx *ctx, uint32_t offset)
{
    return source_position(lint_source_of(ctx), offset).line;
}

/** Whether a failure of segment @p seg is absorbed later on its line: a
 *  `||` or a `;` follows it, so the line goes on (spec §2.4). */
static inline bool lint_failure_caught(const struct ast_segment *seg)
{
    for (; seg && seg->op; seg = seg->next) {
        if (seg->op->kind != AST_AND)
            return true;
    }
    return false;
}

/** Make room in the malloc'd array @p *v, of @p *n elements of @p size,
 *  for one more (the caller stores it and counts it), @p first elements
 *  the first time; false if memory ran out, the array untouched. */
static inline bool lint_grow_from(void *v, size_t *n, size_t *cap,
                                  size_t size, size_t first)
{
    void **pv = v;

    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : first;
        void *p = realloc(*pv, c * size);

        if (!p)
            return false;
        *pv = p;
        *cap = c;
    }
    return true;
}

/** lint_grow_from() with room for 16 the first time. */
static inline bool lint_grow(void *v, size_t *n, size_t *cap, size_t size)
{
    return lint_grow_from(v, n, cap, size, 16);
}

/* The engine's own rules (directives, template syntax): a NULL-ended
 * table, listed by the registry like every family. */
extern const struct lint_rule *const lint_rules_engine[];
/* IPX4001, broken template tags: the parser reports them, ipxe-render too. */
extern const struct lint_rule lint_rule_template_syntax;

#endif
