/* SPDX-License-Identifier: MIT */
/** @file Character classes every layer reads text with, the same in the
 *  iPXE lexer's neighbours, the template lexer and the language server. */
#ifndef IPXETOOL_PARSER_ASCII_H
#define IPXETOOL_PARSER_ASCII_H

/** The value of hexadecimal digit @p c (either case), or -1. */
static inline int ascii_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
