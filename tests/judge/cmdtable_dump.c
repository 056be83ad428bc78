/* SPDX-License-Identifier: MIT */
/** @file Prints ipxe-lint's own command table (linter/ipxe/cmdtable.c) as
 * JSON on standard output, for the probe generator of tests/judge: the
 * probes are built from the table the linter checks against, so a command
 * or an option the table lacks shows up as a disagreement with iPXE.
 *
 * Usage: judge_cmdtable > table.json
 */
#include "cmdtable.h"

#include <stdio.h>

/* The JSON name of an option's value kind. */
static const char *value_kind(enum cmd_value v)
{
    switch (v) {
    case CMD_VAL_NONE:
        return "flag";
    case CMD_VAL_STRING:
        return "string";
    case CMD_VAL_INTEGER:
        return "integer";
    case CMD_VAL_TIMEOUT:
        return "timeout";
    case CMD_VAL_KEY:
        return "key";
    case CMD_VAL_UUID:
        return "uuid";
    case CMD_VAL_SETTING:
        return "setting";
    case CMD_VAL_NETDEV:
        return "netdev";
    case CMD_VAL_OTHER:
        break;
    }
    return "other";
}

/* @p s as a JSON string (the table holds plain ASCII without quotes or
 * backslashes; anything else is written as '?'). */
static void put_str(const char *s)
{
    if (!s) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (; *s; s++)
        putchar(*s == '"' || *s == '\\' || (unsigned char)*s < 0x20 ? '?' : *s);
    putchar('"');
}

int main(void)
{
    size_t n, i;
    const struct cmd_def *all = cmdtable_all(&n);

    puts("{");
    for (i = 0; i < n; i++) {
        const struct cmd_def *d = &all[i];
        unsigned o;

        fputs("  ", stdout);
        put_str(d->name);
        fputs(": {\"alias_of\": ", stdout);
        put_str(d->alias_of);
        printf(", \"min_args\": %u, \"max_args\": %u, \"parses_options\": %s,"
               " \"efi\": %s, \"pcbios\": %s, \"options\": [",
               d->min_args, d->max_args, d->parses_options ? "true" : "false",
               d->efi ? "true" : "false", d->pcbios ? "true" : "false");
        for (o = 0; o < d->nopts; o++) {
            const struct cmd_option *op = &d->opts[o];
            char sh[2] = {op->short_name, '\0'};

            fputs(o ? ", {\"long\": " : "{\"long\": ", stdout);
            put_str(op->long_name);
            fputs(", \"short\": ", stdout);
            put_str(op->short_name ? sh : NULL);
            fputs(", \"value\": ", stdout);
            put_str(value_kind(op->value));
            fputs(", \"value_name\": ", stdout);
            put_str(op->value_name);
            putchar('}');
        }
        printf("]}%s\n", i + 1 < n ? "," : "");
    }
    puts("}");
    return ferror(stdout) ? 1 : 0;
}
