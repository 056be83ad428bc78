/* SPDX-License-Identifier: MIT */
/** @file What the editor asks about a script, found once per analysis:
 *  its labels and what names them, its settings and where they are set
 *  and used, its menus and their items. */
#ifndef IPXETOOL_LSP_INDEX_H
#define IPXETOOL_LSP_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source.h"

struct arena;
struct ast_script;
struct ast_segment;
struct diag;
struct jsonw;
struct lsp_doc;
struct lsp_server;

/** A name somewhere in the text: a label, a setting. */
struct lsp_name {
    const char *name; /**< the bytes (not NUL-terminated) */
    uint32_t len;
    struct span span;  /**< where the name is */
    struct span whole; /**< the line or command it is part of */
    size_t menu;       /**< an item: its menu's index, or SIZE_MAX */
    uint8_t kind;      /**< enum lsp_name_kind */
};

enum lsp_name_kind {
    LSP_LABEL,       /**< `:name` */
    LSP_REF_GOTO,    /**< `goto name` */
    LSP_REF_DEFAULT, /**< `choose --default name` */
    LSP_REF_ITEM,    /**< `item name text` */
    LSP_SET,         /**< a command storing a setting (set, choose, read) */
    LSP_USE,         /**< `${name}` */
    LSP_DYN_GOTO,    /**< `goto ${name}`: name is the setting */
};

struct lsp_menu {
    const char *name; /**< --name, or NULL (the unnamed menu) */
    uint32_t nlen;
    const char *title; /**< its title, or NULL */
    uint32_t tlen;
    struct span span; /**< the `menu` command */
    struct span end;  /**< up to its last item */
};

/** A `choose` and the menu it shows. */
struct lsp_choose {
    size_t menu;     /**< index into menus, or SIZE_MAX */
    const char *var; /**< the setting it stores */
    uint32_t vlen;
};

struct lsp_index {
    struct lsp_name *names;
    size_t nnames, names_cap;
    struct lsp_menu *menus;
    size_t nmenus, menus_cap;
    struct lsp_choose *chooses;
    size_t nchooses, chooses_cap;
};

/** Index @p tree (its text is borrowed from the tree).  0 or -ENOMEM. */
int lsp_index_build(const struct ast_script *tree, struct arena *a,
                    struct lsp_index **out);
void lsp_index_free(struct lsp_index *ix);

/** The name under byte @p off (its span holds it, or ends there), or
 *  NULL. */
const struct lsp_name *lsp_index_at(const struct lsp_index *ix, uint32_t off);
/** Whether @p n names the label or setting @p name (@p len bytes). */
bool lsp_name_is(const struct lsp_name *n, const char *name, uint32_t len);
/** The setting's bare name in @p text: no `block/` scope, no `:type`. */
void lsp_setting_bare(const char *text, uint32_t len, const char **name,
                      uint32_t *nlen);

/** Write the relatedInformation of finding @p dg, if it has any: the
 *  label a goto names, the other definition of a duplicate label, the
 *  menu an item belongs to. */
void lsp_write_related(struct jsonw *w, struct lsp_server *s,
                       struct lsp_doc *doc, const struct diag *dg);

#endif
