/* SPDX-License-Identifier: MIT */
/** @file iPXE's getopt as cmdparse() reads it: the cases of spec §2.7 and
 *  §2.8, on real parsed lines (plain and template). */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "cmdparse.h"
#include "cmdtable.h"
#include "diag.h"
#include "parse.h"
#include "source.h"
#include "test.h"

/** One case: a command line and what getopt makes of it. */
struct getopt_case {
    const char *line;     /**< the command (after "#!ipxe\n") */
    bool tmpl;            /**< parse as a template */
    enum cmd_error error; /**< the expected failure */
    int error_word;       /**< argv index at fault (-1: don't check) */
    char error_short;     /**< the short option at fault */
    int nopts;            /**< options found */
    int first_arg;        /**< argv index of the first positional (-1: skip) */
    int nargs;            /**< positional arguments */
    const char *opts;     /**< the options found: "long=value long ..." */
};

static const struct getopt_case cases[] = {
    /* Plain commands and argument counts */
    {"echo hello world", false, CMD_OK, -1, 0, 0, 1, 2, ""},
    {"echo", false, CMD_OK, -1, 0, 0, 1, 0, ""},
    {"goto", false, CMD_ERR_TOO_FEW, 0, 0, 0, 1, 0, ""},
    {"goto exit 0", false, CMD_ERR_TOO_MANY, 1, 0, 0, 1, 2, ""},
    {"iseq a b", false, CMD_OK, -1, 0, 0, 1, 2, ""},
    {"iseq \"a b\" \"a b\"", false, CMD_ERR_TOO_MANY, -1, 0, 0, 1, 4, ""},
    {"shell now", false, CMD_ERR_TOO_MANY, 1, 0, 0, 1, 1, ""},
    /* Options stop at the first positional; no permutation */
    {"echo -n hello", false, CMD_OK, -1, 0, 1, 2, 1, "n"},
    {"echo hello -n", false, CMD_OK, -1, 0, 0, 1, 2, ""},
    {"chain http://x/y --autofree", false, CMD_OK, -1, 0, 0, 1, 2, ""},
    {"chain --autofree http://x/y", false, CMD_OK, -1, 0, 1, 2, 1, "autofree"},
    /* Dashes: unknown options, `--`, lone `-` */
    {"echo ----", false, CMD_ERR_UNKNOWN_OPTION, 1, 0, 0, -1, 0, ""},
    {"echo -- ----", false, CMD_OK, -1, 0, 0, 2, 1, ""},
    {"echo --", false, CMD_OK, -1, 0, 0, 2, 0, ""},
    {"echo -n -- -x", false, CMD_OK, -1, 0, 1, 3, 1, "n"},
    {"echo -", false, CMD_ERR_UNKNOWN_OPTION, 1, 0, 0, -1, 0, ""},
    {"echo -e x", false, CMD_ERR_UNKNOWN_OPTION, 1, 'e', 0, -1, 0, ""},
    {"menu --- Boot ---", false, CMD_ERR_UNKNOWN_OPTION, 1, 0, 0, -1, 0, ""},
    {"exit -1", false, CMD_ERR_UNKNOWN_OPTION, 1, '1', 0, -1, 0, ""},
    {"exit 1", false, CMD_OK, -1, 0, 0, 1, 1, ""},
    /* Long names are exact: no abbreviation */
    {"chain --auto x", false, CMD_ERR_UNKNOWN_OPTION, 1, 0, 0, -1, 0, ""},
    {"chain --autofreex x", false, CMD_ERR_UNKNOWN_OPTION, 1, 0, 0, -1, 0, ""},
    {"echo --n x", false, CMD_OK, -1, 0, 1, 2, 1, "n"},
    /* Values: inline, separate, not starting with '-' */
    {"chain --name=k x", false, CMD_OK, -1, 0, 1, 2, 1, "name=k"},
    {"chain --name k x", false, CMD_OK, -1, 0, 1, 3, 1, "name=k"},
    {"chain --name= x", false, CMD_OK, -1, 0, 1, 2, 1, "name="},
    {"chain --name=-k x", false, CMD_OK, -1, 0, 1, 2, 1, "name=-k"},
    {"chain --name -k x", false, CMD_ERR_MISSING_VALUE, 1, 0, 0, -1, 0, ""},
    {"chain --name", false, CMD_ERR_MISSING_VALUE, 1, 0, 0, -1, 0, ""},
    {"chain --autofree=1 x", false, CMD_ERR_VALUE_ON_FLAG, 1, 0, 0, -1, 0, ""},
    {"prompt --timeout 30 --key 0x02 Press", false, CMD_OK, -1, 0, 2, 5, 1,
     "timeout=30 key=0x02"},
    /* Short options: grouped, inline values */
    {"chain -ar x", false, CMD_OK, -1, 0, 2, 2, 1, "autofree replace"},
    {"boot -ar", false, CMD_OK, -1, 0, 2, 2, 0, "autofree replace"},
    {"prompt -t5000 x", false, CMD_OK, -1, 0, 1, 2, 1, "timeout=5000"},
    {"prompt -t 5000 x", false, CMD_OK, -1, 0, 1, 3, 1, "timeout=5000"},
    {"chain -at5000 x", false, CMD_OK, -1, 0, 2, 2, 1, "autofree timeout=5000"},
    {"prompt -t", false, CMD_ERR_MISSING_VALUE, 1, 't', 0, -1, 0, ""},
    {"prompt -t -5 x", false, CMD_ERR_MISSING_VALUE, 1, 't', 0, -1, 0, ""},
    {"prompt -t-5 x", false, CMD_OK, -1, 0, 1, 2, 1, "timeout=-5"},
    {"chain -az x", false, CMD_ERR_UNKNOWN_OPTION, 1, 'z', 1, -1, 0,
     "autofree"},
    {"chain -n k -q x", false, CMD_OK, -1, 0, 2, 4, 1, "name=k quiet"},
    {"param -H Accept x", false, CMD_OK, -1, 0, 1, 2, 2, "header"},
    /* Help fails; `help` itself parses nothing */
    {"chain --help", false, CMD_ERR_HELP, 1, 0, 0, -1, 0, ""},
    {"chain -h", false, CMD_ERR_HELP, 1, 'h', 0, -1, 0, ""},
    {"chain -ah", false, CMD_ERR_HELP, 1, 'h', 1, -1, 0, "autofree"},
    {"chain --help=1", false, CMD_ERR_VALUE_ON_FLAG, 1, 0, 0, -1, 0, ""},
    {"help --anything -x", false, CMD_OK, -1, 0, 0, 1, 2, ""},
    /* Unknown and dynamic commands: words counted, nothing checked */
    {"chian --foo x", false, CMD_OK, -1, 0, 0, 1, 2, ""},
    {"${cmd} --foo x", false, CMD_OK, -1, 0, 0, 1, 2, ""},
    /* Expansions never start an option, and count as one argument */
    {"isset ${x}", false, CMD_OK, -1, 0, 0, 1, 1, ""},
    {"iseq ${a} ${b}", false, CMD_OK, -1, 0, 0, 1, 2, ""},
    {"chain --name ${n} ${url}", false, CMD_OK, -1, 0, 1, 3, 1, "name=${n}"},
    {"chain --timeout=${t} x", false, CMD_OK, -1, 0, 1, 2, 1, "timeout=${t}"},
    {"chain --${opt} x", false, CMD_OK, -1, 0, 0, 1, 2, ""},
    {"chain -${o} x", false, CMD_OK, -1, 0, 0, 1, 2, ""},
    {"chain -t${t} x", false, CMD_OK, -1, 0, 1, 2, 1, "timeout=${t}"},
    {"goto ${a} ${b}", false, CMD_ERR_TOO_MANY, 1, 0, 0, 1, 2, ""},
    /* Templates: placeholders are opaque, may be any number of words */
    {"chain {{ url }}", true, CMD_OK, -1, 0, 0, 1, 1, ""},
    {"goto {{ target }}", true, CMD_OK, -1, 0, 0, 1, 1, ""},
    {"iseq {{ a }}", true, CMD_OK, -1, 0, 0, 1, 1, ""},
    {"goto {{ a }} b c", true, CMD_ERR_TOO_MANY, 1, 0, 0, 1, 3, ""},
    {"goto x{{ a }}", true, CMD_OK, -1, 0, 0, 1, 1, ""},
    {"iseq x{{ a }}", true, CMD_ERR_TOO_FEW, 0, 0, 0, 1, 1, ""},
    {"{{ cmd }} --foo", true, CMD_OK, -1, 0, 0, 1, 1, ""},
    {"chain --name {{ n }} x", true, CMD_OK, -1, 0, 1, 3, 1, "name={{ n }}"},
    {"echo {# note #} -n hi", true, CMD_OK, -1, 0, 1, 3, 1, "n"},
    {"{% if x %} goto a", true, CMD_OK, -1, 0, 0, 2, 1, ""},
    {"goto a {% endif %}", true, CMD_OK, -1, 0, 0, 1, 1, ""},
    {"{% endif %}", true, CMD_OK, -1, 0, 0, 1, 0, ""},
};

/** Parse "#!ipxe\n" + @p line and return its second line's first
 *  segment. */
static const struct ast_segment *parse_line(struct source *src, struct arena *a,
                                            struct diag_list *d,
                                            const char *line, bool tmpl)
{
    size_t n = strlen(line);
    char *text = malloc(n + 8);
    struct ast_script *s = NULL;
    int rc;

    if (!text)
        return NULL;
    memcpy(text, "#!ipxe\n", 7);
    memcpy(text + 7, line, n + 1);
    rc = source_init_mem(src, tmpl ? "t.ipxe.j2" : "t.ipxe", text, n + 7);
    free(text);
    if (rc != 0)
        return NULL;
    if (parse_source(src, tmpl ? PARSE_TEMPLATE : 0, a, d, &s) != 0 || !s ||
        !s->lines || !s->lines->next)
        return NULL;
    return s->lines->next->segs;
}

/** Write "long[=value] ..." for the options of @p call into @p out. */
static void describe_opts(const struct cmd_call *call, char *out, size_t size)
{
    size_t used = 0;
    uint32_t i;

    out[0] = '\0';
    for (i = 0; i < call->nopts && used < size; i++) {
        const struct cmd_optval *ov = &call->opts[i];
        int k;

        if (ov->vtext)
            k = snprintf(out + used, size - used, "%s%s=%.*s", i ? " " : "",
                         ov->opt->long_name, (int)ov->vlen, ov->vtext);
        else
            k = snprintf(out + used, size - used, "%s%s", i ? " " : "",
                         ov->opt->long_name);
        if (k < 0)
            return;
        used += (size_t)k;
    }
}

static void run_case(const struct getopt_case *c)
{
    struct source src;
    struct arena a;
    struct diag_list d;
    const struct ast_segment *seg;
    struct cmd_call call;
    char opts[256];
    const char *f = __FILE__;
    int l = __LINE__;

    arena_init(&a);
    diag_list_init(&d, &a);
    memset(&src, 0, sizeof(src));
    seg = parse_line(&src, &a, &d, c->line, c->tmpl);
    if (!checkx(seg != NULL, f, l) ||
        !checkx(cmdparse(seg, &a, &call) == 0, f, l)) {
        fprintf(stderr, "  case '%s'\n", c->line);
        goto out;
    }
    describe_opts(&call, opts, sizeof(opts));
    if (!checkx(call.error == c->error, f, l) ||
        !checkx(c->error_word < 0 || call.error_word == (uint32_t)c->error_word,
                f, l) ||
        !checkx(call.error_short == c->error_short, f, l) ||
        !checkx(call.nopts == (uint32_t)c->nopts, f, l) ||
        !checkx(c->first_arg < 0 || call.first_arg == (uint32_t)c->first_arg, f,
                l) ||
        !checkx(call.nargs == (uint32_t)c->nargs, f, l) ||
        !checkx(strcmp(opts, c->opts) == 0, f, l))
        fprintf(stderr,
                "  case '%s': error %d word %u short '%c' nopts %u "
                "first %u nargs %u opts '%s'\n",
                c->line, (int)call.error, call.error_word,
                call.error_short ? call.error_short : ' ', call.nopts,
                call.first_arg, call.nargs, opts);
out:
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
}

/** The engine's view: which command, dynamic or not, the last option. */
static void check_calls(void)
{
    struct source src;
    struct arena a;
    struct diag_list d;
    const struct ast_segment *seg;
    struct cmd_call call;
    const struct cmd_optval *ov;

    arena_init(&a);
    diag_list_init(&d, &a);
    memset(&src, 0, sizeof(src));
    seg =
        parse_line(&src, &a, &d, "kernel -n a --name b -q vmlinuz x=1", false);
    if (check(seg && cmdparse(seg, &a, &call) == 0)) {
        check(call.def && strcmp(call.def->name, "kernel") == 0);
        check(call.def && strcmp(call.def->alias_of, "imgselect") == 0);
        check(!call.dynamic);
        ov = cmdparse_opt(&call, "name");
        check(ov && ov->vlen == 1 && ov->vtext[0] == 'b' && ov->word == 3);
        check(ov && ov->value == seg->argv[4]);
        check(cmdparse_opt(&call, "quiet") != NULL);
        check(cmdparse_opt(&call, "quiet")->value == NULL);
        check(cmdparse_opt(&call, "autofree") == NULL);
        check(call.first_arg == 6 && call.nargs == 2);
    }
    source_release(&src);
    memset(&src, 0, sizeof(src));
    seg = parse_line(&src, &a, &d, "${cmd} x", false);
    check(seg && cmdparse(seg, &a, &call) == 0 && call.dynamic && !call.def);
    source_release(&src);
    memset(&src, 0, sizeof(src));
    seg = parse_line(&src, &a, &d, "chian x", false);
    check(seg && cmdparse(seg, &a, &call) == 0 && !call.dynamic && !call.def);
    source_release(&src);
    /* An empty segment is no command at all */
    memset(&src, 0, sizeof(src));
    seg = parse_line(&src, &a, &d, "|| echo", false);
    check(seg && seg->argc == 0 && cmdparse(seg, &a, &call) == 0 && !call.def &&
          !call.dynamic && call.nargs == 0 && call.error == CMD_OK);
    source_release(&src);
    /* Many options: more than fit on the stack */
    memset(&src, 0, sizeof(src));
    seg = parse_line(&src, &a, &d,
                     "chain -aaaaaaaaaaqqqqqqqqqqrrrrrrrrrr -n x -t 1 url",
                     false);
    check(seg && cmdparse(seg, &a, &call) == 0 && call.nopts == 32 &&
          call.error == CMD_OK && call.first_arg == 6 && call.nargs == 1);
    check(seg && cmdparse_opt(&call, "timeout") &&
          cmdparse_opt(&call, "timeout")->vtext[0] == '1');
    source_release(&src);
    diag_list_release(&d);
    arena_release(&a);
}

/** One integer case. */
static void check_int(const char *text, bool ok, unsigned long value,
                      const char *f, int l)
{
    unsigned long v = 12345;
    bool got = cmdparse_integer(text, (uint32_t)strlen(text), &v);

    if (!checkx(got == ok, f, l) || !checkx(!ok || v == value, f, l))
        fprintf(stderr, "  integer '%s': %d %lu\n", text, got, v);
}
#define CHECK_INT(t, ok, v) check_int(t, ok, v, __FILE__, __LINE__)

static void check_integers(void)
{
    CHECK_INT("0", true, 0);
    CHECK_INT("10", true, 10);
    CHECK_INT("010", true, 8);
    CHECK_INT("08", false, 0);
    CHECK_INT("09", false, 0);
    CHECK_INT("0x1f", true, 31);
    CHECK_INT("0X1F", true, 31);
    CHECK_INT("0x", true, 0);
    CHECK_INT("9a", false, 0);
    CHECK_INT("", false, 0);
    CHECK_INT("+5", true, 5);
    CHECK_INT("-1", true, 0UL - 1);
    CHECK_INT("1.5", false, 0);
    CHECK_INT("30s", false, 0);
    CHECK_INT("5000", true, 5000);
    CHECK_INT("0x1g", false, 0);
    /* Only the given bytes count: "12" of "123" */
    {
        unsigned long v = 0;

        check(cmdparse_integer("123", 2, &v) && v == 12);
    }
}

int main(void)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        run_case(&cases[i]);
    check_calls();
    check_integers();
    return test_done();
}
