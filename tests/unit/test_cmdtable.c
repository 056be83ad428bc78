/* SPDX-License-Identifier: MIT */
/** @file The command table against spec/ipxe-commands.json, both ways.
 *
 * Usage: test_cmdtable PATH/ipxe-commands.json
 * Exits 77 (skipped) when the JSON is missing, unless CI=true.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmdtable.h"
#include "test.h"

/** The exit status ctest reads as "skipped". */
#define EXIT_SKIP 77

/** The value kind the table must use for the JSON's "value" word. */
static enum cmd_value value_kind(const char *word)
{
    static const struct {
        const char *word;
        enum cmd_value kind;
    } kinds[] = {
        {"string", CMD_VAL_STRING},
        {"integer", CMD_VAL_INTEGER},
        {"timeout_ms", CMD_VAL_TIMEOUT},
        {"key", CMD_VAL_KEY},
        {"uuid", CMD_VAL_UUID},
        {"setting(autovivified)", CMD_VAL_SETTING},
    };
    size_t i;

    for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(kinds[i].word, word) == 0)
            return kinds[i].kind;
    }
    return CMD_VAL_OTHER;
}

/** Whether two optional strings are equal (NULL only equals NULL). */
static bool same_str(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/** Compare option @p i of @p def with the JSON option @p jo. */
static void check_option(const struct cmd_def *def, size_t i, json_t *jo)
{
    const struct cmd_option *opt = &def->opts[i];
    const char *lng = NULL, *shrt = NULL, *value = NULL;
    int has_arg = 0;
    json_error_t err;

    if (!check(json_unpack_ex(jo, &err, 0, "{s:s, s:s, s:b, s?:s}", "long",
                              &lng, "short", &shrt, "has_arg", &has_arg,
                              "value", &value) == 0)) {
        fprintf(stderr, "%s option %zu: %s\n", def->name, i, err.text);
        return;
    }
    if (!check(strcmp(opt->long_name, lng) == 0) ||
        !check(strlen(shrt) == 1 && opt->short_name == shrt[0]) ||
        !check((opt->value != CMD_VAL_NONE) == (has_arg != 0)) ||
        !check(same_str(opt->value_name, value)) ||
        !check(!value || opt->value == value_kind(value)))
        fprintf(stderr, "  in %s --%s\n", def->name, lng);
    /* The lookups find it by either name */
    check(cmdtable_long(def, lng, strlen(lng)) == opt);
    check(cmdtable_short(def, shrt[0]) == opt);
}

/** Compare the table's entry for @p name with the JSON @p jc. */
static void check_command(const char *name, json_t *jc)
{
    const struct cmd_def *def = cmdtable_find(name, strlen(name));
    json_t *opts = NULL, *max = NULL, *usage = NULL;
    const char *alias = NULL, *flag = NULL;
    int min = 0, efi = 0, pcbios = 0;
    json_error_t err;
    size_t i;

    if (!check(def != NULL)) {
        fprintf(stderr, "  '%s' is missing from the table\n", name);
        return;
    }
    if (!check(json_unpack_ex(jc, &err, 0,
                              "{s:o, s:i, s:o, s:o, s:b, s:b, s:s, s?:s}",
                              "options", &opts, "min_args", &min, "max_args",
                              &max, "usage", &usage, "default_enabled", &efi,
                              "default_enabled_pcbios", &pcbios, "config_flag",
                              &flag, "alias_of", &alias) == 0)) {
        fprintf(stderr, "%s: %s\n", name, err.text);
        return;
    }
    if (!check(strcmp(def->name, name) == 0) ||
        !check(same_str(def->alias_of, alias)) ||
        !check(def->min_args == min) ||
        !check(json_is_null(max)
                   ? def->max_args == CMD_ARGS_UNLIMITED
                   : json_is_integer(max) &&
                         def->max_args != CMD_ARGS_UNLIMITED &&
                         def->max_args == json_integer_value(max)) ||
        !check(same_str(def->usage, json_string_value(usage))) ||
        !check(json_is_null(usage) || json_is_string(usage)) ||
        !check(def->efi == (efi != 0)) ||
        !check(def->pcbios == (pcbios != 0)) ||
        !check(same_str(def->config_flag, flag)) ||
        !check(def->parses_options == (strcmp(name, "help") != 0)) ||
        !check(json_is_array(opts) && def->nopts == json_array_size(opts)))
        fprintf(stderr, "  in '%s'\n", name);
    if (!json_is_array(opts) || def->nopts != json_array_size(opts))
        return;
    for (i = 0; i < def->nopts; i++)
        check_option(def, i, json_array_get(opts, i));
    /* An alias names a command that is itself in the table */
    if (def->alias_of)
        check(cmdtable_find(def->alias_of, strlen(def->alias_of)) != NULL);
}

/** The table's side: sorted, every entry in the JSON, lookups exact. */
static void check_table(json_t *root)
{
    size_t n, i;
    const struct cmd_def *all = cmdtable_all(&n);
    const struct cmd_def *d;

    check(n == json_object_size(root) - 1);
    for (i = 0; i < n; i++) {
        const char *name = all[i].name;
        size_t len = strlen(name);

        if (!check(json_object_get(root, name) != NULL))
            fprintf(stderr, "  table has '%s', the JSON does not\n", name);
        if (i > 0)
            check(strcmp(all[i - 1].name, name) < 0);
        check(cmdtable_find(name, len) == &all[i]);
        /* A prefix is not the command (but may be another: `imgfetch`
         * is not `imgfetc`, `iseq` is no prefix of anything) */
        d = cmdtable_find(name, len - 1);
        check(d != &all[i] && (!d || strlen(d->name) == len - 1));
    }
}

/** Ids: every primary command has its own, in table order; an alias
 *  has the id of the command it aliases. */
static void check_ids(void)
{
    size_t n, i, primaries = 0;
    const struct cmd_def *all = cmdtable_all(&n);

    for (i = 0; i < n; i++) {
        const struct cmd_def *d = &all[i];
        const char *p = d->alias_of ? d->alias_of : d->name;
        const struct cmd_def *primary = cmdtable_find(p, strlen(p));

        check(primary && primary->id == d->id && d->id != CMD_ID_NONE);
        if (!d->alias_of)
            check(d->id == ++primaries);
    }
    check(primaries + 1 == CMD_ID_COUNT);
    check(cmdtable_find("chain", 5)->id == CMD_ID_IMGEXEC);
    check(cmdtable_find("kernel", 6)->id == CMD_ID_IMGSELECT);
}

/** "Did you mean" for @p word is the command @p want (NULL: none). */
static void suggests_at(const char *word, const char *want, const char *file,
                        int line)
{
    const struct cmd_def *d = cmdtable_suggest(word, strlen(word));

    check_named(word, strlen(word), d ? d->name : NULL, want, file, line);
}
#define suggests(word, want) suggests_at(word, want, __FILE__, __LINE__)

/** Lookups and suggestions on their own. */
static void check_lookups(void)
{
    const struct cmd_def *chain = cmdtable_find("chain", 5);
    const struct cmd_def *d;

    check(chain && strcmp(chain->alias_of, "imgexec") == 0);
    check(cmdtable_find("chainx", 5) == chain);
    check(cmdtable_find("Chain", 5) == NULL);
    check(cmdtable_find("", 0) == NULL);
    check(cmdtable_find("zzz", 3) == NULL);
    check(cmdtable_find("a", 1) == NULL);
    check(cmdtable_find("sha512sumx", 10) == NULL);
    check(cmdtable_long(chain, "auto", 4) == NULL);
    check(cmdtable_long(chain, "autofree", 8) != NULL);
    check(cmdtable_long(chain, "autofreex", 9) == NULL);
    check(cmdtable_short(chain, 'h') == NULL);
    check(cmdtable_short(chain, '\0') == NULL);

    suggests("chian", "chain");
    suggests("issq", "iseq");
    d = cmdtable_suggest("isseq", 5); /* as near to one as to the other */
    check(d && (strcmp(d->name, "iseq") == 0 || strcmp(d->name, "isset") == 0));
    suggests("exitl", "exit");
    suggests("Chain", "chain");
    suggests("kernal", "kernel");
    suggests("initrd.gz", NULL);
    suggests("xyzzy", NULL);
    suggests("a-very-long-word-indeed", NULL);
    suggests("", NULL);
}

int main(int argc, char **argv)
{
    const char *ci = getenv("CI");
    json_error_t err;
    json_t *root;
    const char *name;
    json_t *jc;
    FILE *f;

    check_lookups();
    check_ids();
    if (argc < 2) {
        fprintf(stderr, "usage: %s ipxe-commands.json\n", argv[0]);
        return 2;
    }
    /* A missing spec skips the test, except in CI; a broken one fails */
    f = fopen(argv[1], "rb");
    if (!f && errno == ENOENT && !(ci && strcmp(ci, "true") == 0)) {
        printf("skipped: %s does not exist\n", argv[1]);
        return EXIT_SKIP;
    }
    if (f)
        fclose(f);
    root = json_load_file(argv[1], 0, &err);
    if (!root) {
        fprintf(stderr, "%s: %s\n", argv[1], err.text);
        return 1;
    }
    check(json_is_object(root) && json_object_get(root, "_meta"));
    json_object_foreach(root, name, jc) {
        if (strcmp(name, "_meta") != 0)
            check_command(name, jc);
    }
    check_table(root);
    json_decref(root);
    return test_done();
}
