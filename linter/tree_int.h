/* SPDX-License-Identifier: MIT */
/** @file Tree mode's private state, shared by tree.c (loading, linting),
 *  tree_uri.c (names, where a URI leads) and tree_flow.c (what each script
 *  does: values of settings, the chains, the fixpoints).  Nothing else
 *  includes it. */
#ifndef IPXETOOL_LINTER_TREE_INT_H
#define IPXETOOL_LINTER_TREE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "ast.h"
#include "diag.h"
#include "nameset.h"
#include "options.h"
#include "source.h"

/* Values a setting can have at a point, at most VSET_MAX of them. */
#define VSET_MAX 32

struct vset {
    uint8_t n;              /**< how many values */
    bool unknown;           /**< some value is not known: top */
    const char *v[VSET_MAX]; /**< NUL-ended, in the tree's arena */
};

/* A word whose value is worked out across scripts, kept apart from the
 * parse (which is freed once read): literal text and settings in turn. */
struct tpart {
    const char *lit; /**< literal text before the setting (tree arena) */
    uint32_t len;    /**< its bytes */
    uint32_t id;     /**< the setting expanded after it, or UINT32_MAX for
                          the last part */
};

struct tword {
    struct tpart *parts; /**< (tree arena) */
    uint32_t n;          /**< parts */
    bool unknown;        /**< only known at run time (a template tag, a
                              typed or scoped expansion) */
    struct span span;    /**< where it is in its script */
    uint32_t line1;      /**< its 1-based physical line */
};

enum store_kind {
    ST_WORD,  /**< `set NAME WORD`: the word's value */
    ST_ITEMS, /**< `choose NAME`: one of the menu's items */
    ST_CLEAR, /**< `clear NAME`: unset (no value, not a store) */
    ST_OTHER, /**< read, inc, ...: a value only known at run time */
};

/* A command that stores a setting. */
struct store {
    uint32_t id;   /**< the setting */
    uint32_t line; /**< logical line index */
    uint8_t kind;  /**< enum store_kind */
    bool cond;     /**< may not run when its line does (after && or ||) */
    struct tword word;           /**< ST_WORD: the value */
    uint32_t item0, nitems;      /**< ST_ITEMS: the file's items */
};

/* A command that hands over to another script. */
struct site {
    uint32_t line;               /**< logical line index */
    struct tword word;           /**< the URI */
    bool replace;                /**< chain --replace: no coming back */
    bool fetch;                  /**< imgfetch/kernel, booted later */
    bool image;                  /**< names an image an earlier line
                                      fetched: no download of its own */
    uint32_t *targets;           /**< scripts it reaches (malloc) */
    size_t ntargets, targets_cap;
    struct lint_tree_missing *missing; /**< (malloc) */
    size_t nmissing, missing_cap;
    const char **done; /**< URIs already resolved (malloc) */
    size_t ndone, done_cap;
};

/* A setting a script reads. */
struct use {
    uint32_t id;    /**< the setting */
    struct span at; /**< its name, first use */
};

struct tfile {
    char *rel;  /**< path under the tree's folder (malloc) */
    char *name; /**< path for reports (malloc) */
    char *real; /**< absolute path (malloc) */
    struct source src;
    struct arena arena;      /**< the tree, the parser's findings */
    struct diag_list diags;  /**< the parser's findings */
    struct ast_script *script;
    bool parsed;             /**< src, arena, diags and script are set */
    uint32_t nlines;         /**< logical lines */
    struct store *stores;    /**< (malloc) */
    size_t nstores, stores_cap;
    struct site *sites; /**< (malloc) */
    size_t nsites, sites_cap;
    struct use *uses; /**< (malloc) */
    size_t nuses, uses_cap;
    const char **items; /**< menu item names (tree arena; malloc'd array) */
    size_t nitems, items_cap;
    uint32_t *loop;    /**< per line: the last line of a goto that jumps
                            back to a label at or before it (malloc) */
    uint64_t *reach;   /**< per line, the defs (stores, then one entry def
                            per setting stored here) that reach it, or
                            NULL: too large, use the lines before (malloc) */
    size_t rwords;     /**< 64-bit words per line in reach */
    uint32_t *entry_def; /**< per store: its setting's entry def index */
    /* the analysis */
    struct vset *env;  /**< per relevant setting: values on entry (malloc) */
    bool queued;
    bool reached, entry, chained;
    bool has_in;       /**< another script chains it */
    uint64_t *bits;    /**< stored, summary, must, may: 4 bitsets (malloc) */
    uint32_t *in;      /**< edges into it (malloc) */
    size_t nin, in_cap;
    uint32_t *out;     /**< edges out of it (malloc) */
    size_t nout, out_cap;
    struct lint_tree_facts facts;
    const char **set; /**< facts.set (malloc) */
    struct lint_tree_partial *partial; /**< facts.partial (malloc) */
    struct lint_tree_missing *missing; /**< facts.missing (malloc) */
};

struct tedge {
    uint32_t from, to; /**< files */
    uint32_t site;     /**< the site in from */
    uint32_t line;     /**< its line */
    bool replace;
};

struct tmap {
    char *prefix; /**< URL prefix (malloc) */
    size_t plen;
    char *dir; /**< absolute folder (malloc) */
};

struct lint_tree {
    char *root;  /**< the tree's folder, absolute (malloc) */
    char *shown; /**< as given (malloc) */
    struct tmap *maps;
    size_t nmaps;
    struct tfile *files; /**< (malloc) */
    size_t nfiles, files_cap;
    struct nameset by_real; /**< real path -> file */
    struct nameset names;   /**< setting name -> id */
    const char **name;      /**< per id (borrowed from a source) */
    uint32_t *name_len;
    bool *predef;           /**< per id: a setting iPXE itself defines */
    int32_t *rel;           /**< per id: index among relevant ones, or -1 */
    size_t nnames, names_cap;
    size_t nrel;
    size_t rel_n;           /**< ids rel covers */
    struct nameset values;  /**< each value worked out, once: value sets
                                 compare them by address */
    const char **vals;      /**< the values by index (malloc) */
    size_t nvals, vals_cap;
    uint32_t *seen;         /**< per id: the last script (index + 1) that
                                 reads it, while collecting (malloc) */
    size_t seen_cap;
    struct nameset served;  /**< folders (tree paths) holding a script
                                 another one chains */
    struct tedge *edges; /**< (malloc) */
    size_t nedges, edges_cap;
    size_t words; /**< 64-bit words in a setting bitset */
    struct arena arena; /**< values, URIs, paths */
    struct lint_options popts; /**< for parsing */
    bool keep;                 /**< keep every script's parse */
    size_t overlay;            /**< the script read from overlay_data, or
                                    nfiles: none */
    const char *overlay_src;   /**< its path, as given (borrowed) */
    const char *overlay_data;  /**< (borrowed until lint_tree_close) */
    size_t overlay_len;
    bool templates;            /**< some script is a template (`*.ipxe.j2`) */
    bool oom;
};

/* Append @p a (@p alen bytes), @p sep and @p c (@p clen bytes) to @p b:
 * a path joined without printf, which is most of the cost of walking a
 * tree of a thousand scripts. */
static inline int buf_join(struct buf *b, const char *a, size_t alen,
                           const char *sep, const char *c, size_t clen)
{
    int rc = buf_add(b, a, alen);

    if (!rc)
        rc = buf_adds(b, sep);
    return rc ? rc : buf_add(b, c, clen);
}

#define BITS_STORED 0
#define BITS_SUMMARY 1
#define BITS_MUST 2
#define BITS_MAY 3

static inline uint64_t *tfile_bits(const struct lint_tree *t,
                                   const struct tfile *f, int which)
{
    return f->bits + (size_t)which * t->words;
}

static inline bool bit_get(const uint64_t *b, size_t i)
{
    return b[i / 64] >> (i % 64) & 1;
}

static inline void bit_set(uint64_t *b, size_t i)
{
    b[i / 64] |= (uint64_t)1 << (i % 64);
}

#endif
