/* SPDX-License-Identifier: MIT */
/** @file What each iPXE command does, in a line, for hover. */
#ifndef IPXETOOL_LSP_CMDHELP_H
#define IPXETOOL_LSP_CMDHELP_H

/** What command @p name does, or NULL if the table has no line for it. */
const char *lsp_cmd_help(const char *name);

#endif
