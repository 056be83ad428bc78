/* SPDX-License-Identifier: MIT */
/** @file What a source is written in, judged from its bytes: template tags
 *  in a file whose name does not say it is a template, or a Cobbler
 *  (Cheetah) template.  A cheap scan before the parse (parse.c). */
#ifndef IPXETOOL_PARSER_SNIFF_H
#define IPXETOOL_PARSER_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "source.h"

/**
 * Whether @p data holds a Jinja2 or Go tag (`{{ ... }}`, `{% ... %}`) or
 * an ERB output tag (`<%= ... %>`), opened and closed on one physical
 * line.  iPXE's own syntax never has `{{`, `{%` or `<%` (its expansions
 * are `${...}`), so a plain script does not set it off.
 *
 * @v data,len  the bytes (borrowed)
 * @v at        set to the first such tag's span when there is one
 * @ret         true if there is one
 */
bool sniff_tags(const char *data, size_t len, struct span *at);

/**
 * Whether @p data is a Cheetah template (Cobbler's): a line that starts
 * with a block's end (`#end if`, `#end for`, ...), a directive on a
 * `$variable` (`#if $x`, `#set $x = ...`, `#for $x in ...`), or a
 * `$getVar(` call.  A commented-out iPXE command (`#set base ${url}`) is
 * none of these.
 *
 * @v data,len  the bytes (borrowed)
 * @v at        set to the first such directive's span when there is one
 * @ret         true if there is one
 */
bool sniff_cheetah(const char *data, size_t len, struct span *at);

#endif
