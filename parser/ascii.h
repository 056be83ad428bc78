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

/** The byte that JSON's one-character escape `\c` stands for (RFC 8259
 *  §7: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`), or -1 for any
 *  other @p c, `u` included. */
static inline int ascii_json_escape(int c)
{
    switch (c) {
    case '"':
    case '\\':
    case '/':
        return c;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return -1;
    }
}

#endif
