/* SPDX-License-Identifier: MIT */
/* The grammar of iPXE's logical lines (spec §2.9).  iPXE itself accepts any
 * line, so in a plain script nothing here can fail; in template mode the
 * lexer reports a broken template tag as an error token and the line is
 * kept whole as an error line, then parsing goes on with the next line. */

%require "3.8"
%define api.pure full
%locations
%define api.location.type {struct span}
%define api.token.prefix {TOK_}
%define parse.error detailed
%define parse.lac none
%param {struct parse_ctx *ctx}
%expect 0

%code requires {
#include "build.h"
#include "parse_ctx.h"

/* A rule's span runs from its first child's start to its last child's end;
 * an empty rule is an empty span where the previous symbol ended. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                    \
    do {                                                               \
        if (N) {                                                       \
            (Cur).start = YYRHSLOC(Rhs, 1).start;                      \
            (Cur).end = YYRHSLOC(Rhs, N).end;                          \
        } else {                                                       \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;            \
        }                                                              \
    } while (0)
}

%code provides {
int yylex(YYSTYPE *val, YYLTYPE *loc, struct parse_ctx *ctx);
void yyerror(YYLTYPE *loc, struct parse_ctx *ctx, const char *msg);
}

%union {
    struct ast_word *word;
    struct ast_segment *seg;
    struct ast_line *line;
    struct ast_seglist segs;
}

%initial-action {
    @$.start = @$.end = 0;
}

%token <word> LABEL   "label"
%token <word> WORD    "word"
%token <seg>  WORDS   "words"
%token <word> OR      "'||'"
%token <word> AND     "'&&'"
%token <word> SEMI    "';'"
%token <word> COMMENT "comment"
%token <word> TAIL    "text after a NUL byte"
%token <line> EOL     "end of line"

%type <line> line
%type <word> tail op
%type <segs> segments

%%

script
  : %empty
  | script line                 { ast_script_add(ctx, $2); }
  ;

/* The optional label and tail are spelled out rather than made empty
 * rules: a line then takes two reductions fewer, and most lines have
 * neither. */
line
  : segments EOL                { $$ = ast_line_finish(ctx, $2, NULL, $1, NULL); }
  | LABEL segments EOL          { $$ = ast_line_finish(ctx, $3, $1, $2, NULL); }
  | segments tail EOL           { $$ = ast_line_finish(ctx, $3, NULL, $1, $2); }
  | LABEL segments tail EOL     { $$ = ast_line_finish(ctx, $4, $1, $2, $3); }
  | error EOL                   { yyerrok; $$ = ast_line_error(ctx, $2); }
  ;

/* The words of one command arrive as one WORDS token, its segment already
 * built (nothing in iPXE's grammar is decided between two words: yylex()
 * in parse.c gathers the lexer's WORD tokens); a segment with no words is
 * the absence of that token, before an operator or the line's end. */
segments
  : %empty                      { $$ = ast_seglist_start(ast_segment_empty(ctx)); }
  | WORDS                       { $$ = ast_seglist_start($1); }
  | segments op                 { $$ = ast_seglist_add($1, $2, ast_segment_empty(ctx)); }
  | segments op WORDS           { $$ = ast_seglist_add($1, $2, $3); }
  ;

op
  : OR
  | AND
  | SEMI
  ;

tail
  : COMMENT
  | TAIL
  ;

%%
