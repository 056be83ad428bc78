/* SPDX-License-Identifier: MIT */
/** @file ipxe-lint: the linter people put in their pre-commit hooks. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "ast.h"
#include "buf.h"
#include "config.h"
#include "diag.h"
#include "fix.h"
#include "lint.h"
#include "lsp.h"
#include "parse.h"
#include "report.h"
#include "ruledocs.h"
#include "rules.h"
#include "source.h"
#include "tree.h"

/** Exit codes (spec/lint-conventions.md). */
enum lint_exit {
    EXIT_CLEAN = 0,      /**< nothing at or above the failure threshold */
    EXIT_FINDINGS = 1,   /**< findings at or above the threshold */
    EXIT_UNREADABLE = 2, /**< a file could not be read (others were linted) */
    EXIT_USAGE = 3,      /**< bad usage */
};

static const char usage_text[] =
    "Usage: ipxe-lint [OPTION]... FILE...\n"
    "  or:  ipxe-lint --tree=DIR [OPTION]... [FILE]...\n"
    "Check iPXE scripts (and templates of them) for what breaks boots.\n"
    "FILE '-' reads standard input.\n"
    "\n"
    "Output:\n"
    "  -f, --format=FMT          tty, gcc, json, sarif, checkstyle,\n"
    "                            codeclimate, diff or quiet\n"
    "                            (default: tty on a terminal, else gcc)\n"
    "      --color=WHEN          auto, always or never (default: auto;\n"
    "                            NO_COLOR and TERM=dumb turn auto off)\n"
    "  -S, --severity=LEVEL      least severe finding shown: error, warning,\n"
    "                            info or style (default: style)\n"
    "      --failure-threshold=LEVEL|none\n"
    "                            exit 1 when a shown finding is at least this\n"
    "                            severe (default: warning)\n"
    "\n"
    "What is checked:\n"
    "  -e, --enable=RULES        turn rules on (codes or names, commas; 'all')\n"
    "  -d, --disable=RULES       turn rules off\n"
    "      --platform=P          efi, pcbios or any (default: any)\n"
    "      --template            treat every FILE as a template (*.j2, *.jinja,\n"
    "                            *.jinja2, *.tmpl, *.tpl and *.erb always are,\n"
    "                            as is a file with {{ }}, {% %} or <%= %> tags)\n"
    "      --external-vars=LIST  settings a parent script sets\n"
    "      --require-https       report http:// URLs\n"
    "\n"
    "Trees of scripts (each FILE is linted within its tree):\n"
    "      --tree=DIR            the scripts under DIR chain each other: lint\n"
    "                            the FILEs (every script under DIR if none)\n"
    "                            knowing who chains them with what set\n"
    "      --map=URL-PREFIX=DIR  URLs starting URL-PREFIX are served from DIR\n"
    "                            (repeatable)\n"
    "      --entry=FILE          a script machines boot first (repeatable;\n"
    "                            default: those no other script chains)\n"
    "      --config=FILE         read settings from FILE only (a folder:\n"
    "                            its .ipxe-lint.conf)\n"
    "      --no-config           read no .ipxe-lint.conf\n"
    "      --stdin-filename=NAME name standard input NAME in reports\n"
    "      --fix                 apply every fix to the FILEs in place, then\n"
    "                            report what remains\n"
    "  -j, --jobs=N              threads for a large file (parse and rules):\n"
    "                            1 for one, 2 or more for two\n"
    "                            (default: 2 on a machine with 2 cores or more)\n"
    "\n"
    "Information:\n"
    "      --list-rules          list every rule and exit\n"
    "      --explain=RULE        print a rule's documentation and exit\n"
    "      --dump=ast|source     print the parse tree, or the source rebuilt\n"
    "                            from it, instead of linting\n"
    "      --lsp                 run as a language server (LSP) on standard\n"
    "                            input and output, for editors\n"
    "  -h, --help                print this help and exit\n"
    "  -V, --version             print the version and exit\n"
    "\n"
    "IPXE_LINT_OPTS is split on spaces and read before the command line.\n"
    "Settings come from the nearest .ipxe-lint.conf above each FILE.\n"
    "In a script, '# ipxe-lint disable=RULES' turns rules off for the next\n"
    "line (for the whole file before the first command).\n"
    "\n"
    "Exit status: 0 clean, 1 findings, 2 a file could not be read,\n"
    "3 bad usage.\n";

/* One `key = value` from the command line, applied after config files. */
struct setting {
    const char *key;
    const char *value;
};

/* Where an option came from, for messages: "IPXE_LINT_OPTS: " or "". */
static const char *origin = "";

struct cli {
    enum report_format fmt;  /**< output format */
    int color;               /**< -1 auto, 0 never, 1 always */
    const char *dump;        /**< "ast" or "source", or NULL */
    const char *config_path; /**< --config, or NULL */
    bool no_config;          /**< --no-config */
    const char *stdin_name;  /**< --stdin-filename */
    struct setting *sets;    /**< command-line settings, in order */
    size_t nsets;
    char **files; /**< the files to lint (borrowed from argv) */
    size_t nfiles;
    size_t files_cap;
    char *config_alloc; /**< --config=DIR's file name (malloc) */
    bool fmt_set;       /**< -f was given */
    const char *tree;   /**< --tree, or NULL */
    bool owns_files;    /**< files were strdup'd (a tree's scripts) */
    bool lsp;           /**< --lsp: serve an editor instead */
    bool fix;           /**< --fix: apply the fixes in place */
};

enum {
    OPT_COLOR = 256,
    OPT_THRESHOLD,
    OPT_PLATFORM,
    OPT_TEMPLATE,
    OPT_VARS,
    OPT_HTTPS,
    OPT_CONFIG,
    OPT_NO_CONFIG,
    OPT_STDIN_NAME,
    OPT_LIST_RULES,
    OPT_EXPLAIN,
    OPT_DUMP,
    OPT_TREE,
    OPT_MAP,
    OPT_ENTRY,
    OPT_LSP,
    OPT_FIX,
};

static const struct option long_options[] = {
    {"format", required_argument, NULL, 'f'},
    {"color", required_argument, NULL, OPT_COLOR},
    {"colour", required_argument, NULL, OPT_COLOR},
    {"severity", required_argument, NULL, 'S'},
    {"failure-threshold", required_argument, NULL, OPT_THRESHOLD},
    {"enable", required_argument, NULL, 'e'},
    {"disable", required_argument, NULL, 'd'},
    {"platform", required_argument, NULL, OPT_PLATFORM},
    {"template", no_argument, NULL, OPT_TEMPLATE},
    {"external-vars", required_argument, NULL, OPT_VARS},
    {"require-https", no_argument, NULL, OPT_HTTPS},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"no-config", no_argument, NULL, OPT_NO_CONFIG},
    {"stdin-filename", required_argument, NULL, OPT_STDIN_NAME},
    {"jobs", required_argument, NULL, 'j'},
    {"list-rules", no_argument, NULL, OPT_LIST_RULES},
    {"explain", required_argument, NULL, OPT_EXPLAIN},
    {"dump", required_argument, NULL, OPT_DUMP},
    {"tree", required_argument, NULL, OPT_TREE},
    {"map", required_argument, NULL, OPT_MAP},
    {"entry", required_argument, NULL, OPT_ENTRY},
    {"lsp", no_argument, NULL, OPT_LSP},
    {"fix", no_argument, NULL, OPT_FIX},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "ipxe-lint: %s", origin);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'ipxe-lint --help' for more information.\n");
    return EXIT_USAGE;
}

/* Keep a setting from an option, once its value is known to be good: a
 * wrong value is reported here, where the option is, not later as some
 * other mistake ("-S a.ipxe" is a severity that is not one, not a missing
 * FILE). */
static int add_setting(struct cli *cli, const char *key, const char *value)
{
    struct setting *s;
    struct lint_config scratch;
    struct buf err;
    int rc;

    buf_init(&err, 4096);
    rc = lint_config_init(&scratch);
    if (!rc)
        rc = lint_config_apply(&scratch, key, value, &err);
    lint_config_release(&scratch);
    if (rc == -EINVAL) {
        rc = usage_error("%s", err.data);
        buf_release(&err);
        return rc;
    }
    buf_release(&err);
    if (rc)
        return EXIT_UNREADABLE;
    s = realloc(cli->sets, (cli->nsets + 1) * sizeof(*s));
    if (!s)
        return EXIT_UNREADABLE;
    cli->sets = s;
    s[cli->nsets].key = key;
    s[cli->nsets].value = value;
    cli->nsets++;
    return 0;
}

/* ---- information modes ---- */

static int list_rules(void)
{
    size_t n, i;
    const struct lint_rule **v = lint_rules_by_code(&n);

    if (!v)
        return EXIT_UNREADABLE;
    for (i = 0; i < n; i++)
        printf("%s  %-28s %-8s %s\n", v[i]->code, v[i]->name,
               diag_severity_name(v[i]->sev), v[i]->summary);
    free(v);
    return EXIT_CLEAN;
}

static int explain(const char *what)
{
    const struct lint_rule *r = lint_rule_find(what), *near;
    const char *code = r ? r->code : what;
    const struct ruledoc *d;

    /* ipxe-render's findings (IPX40xx) have pages but are not lint rules */
    for (d = ruledocs; d->code; d++) {
        if (strcmp(d->code, code) == 0) {
            fputs(d->text, stdout);
            return EXIT_CLEAN;
        }
    }
    if (!r) {
        near = lint_rule_closest(what);
        if (near)
            return usage_error("unknown rule '%s' (did you mean '%s'? see "
                               "'ipxe-lint --list-rules')",
                               what,
                               lint_rule_spelling(near, what, strlen(what)));
        return usage_error("unknown rule '%s' (see 'ipxe-lint --list-rules')",
                           what);
    }
    printf("# %s %s\n\nSeverity: %s\n\n%s\n", r->code, r->name,
           diag_severity_name(r->sev), r->summary);
    return EXIT_CLEAN;
}

/* ---- options ---- */

/* IPXE_LINT_OPTS split on spaces and tabs, as an argv whose first word is
 * the program's name (words in @p copy, both to free). */
static char **env_words(const char *prog, int *argc, char **copy)
{
    const char *env = getenv("IPXE_LINT_OPTS");
    char **v, *tok, *save = NULL;
    int n = 0;

    *copy = NULL;
    *argc = 0;
    if (!env || !*env)
        return NULL;
    *copy = strdup(env);
    v = calloc(strlen(env) / 2 + 3, sizeof(*v));
    if (!*copy || !v) {
        free(v);
        return NULL;
    }
    v[n++] = (char *)prog;
    for (tok = strtok_r(*copy, " \t", &save); tok;
         tok = strtok_r(NULL, " \t", &save))
        v[n++] = tok;
    *argc = n;
    return v;
}

/* The long option closest to @p arg ("--formt=x"), for "did you mean". */
static const char *closest_option(const char *arg)
{
    enum { NOPTS = sizeof(long_options) / sizeof(long_options[0]) };
    const char *names[NOPTS], *name = arg, *eq;
    size_t i;

    /* the table's names, NULL-ended as its last entry is */
    for (i = 0; i < NOPTS; i++)
        names[i] = long_options[i].name;
    while (*name == '-')
        name++;
    eq = strchr(name, '=');
    return lint_closest(name, eq ? (size_t)(eq - name) : strlen(name), names);
}

/* "'x' is not one of A, B, C", with the closest when there is one. */
static int bad_value(const char *opt, const char *value,
                     const char *const *cands)
{
    const char *best = lint_closest(value, strlen(value), cands);
    struct buf list;
    size_t i;
    int rc = 0;

    buf_init(&list, 4096);
    for (i = 0; cands[i] && !rc; i++)
        rc = buf_addf(&list, "%s%s", i ? ", " : "", cands[i]);
    if (best)
        rc = usage_error("%s takes %s, not '%s': did you mean '%s'?", opt,
                         list.data, value, best);
    else
        rc = usage_error("%s takes %s, not '%s'", opt, list.data, value);
    buf_release(&list);
    return rc;
}

/* --config=PATH: a file, or a folder holding .ipxe-lint.conf. */
static int config_path_of(struct cli *cli, const char *arg)
{
    struct stat st;
    char *path;
    size_t n;

    free(cli->config_alloc);
    cli->config_alloc = NULL;
    cli->config_path = arg;
    if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0; /* a file: an unreadable one is said when it is read */
    n = strlen(arg) + sizeof("/.ipxe-lint.conf");
    path = malloc(n);
    if (!path)
        return EXIT_UNREADABLE;
    snprintf(path, n, "%s/.ipxe-lint.conf", arg);
    if (access(path, F_OK) != 0) {
        free(path);
        return usage_error("--config: '%s' is a directory with no "
                           ".ipxe-lint.conf",
                           arg);
    }
    cli->config_alloc = path;
    cli->config_path = path;
    return 0;
}

/* Read the options of one argv (IPXE_LINT_OPTS's, then the command
 * line's) into @p cli; returns -1 to go on, else an exit code. */
static int parse_args(int argc, char **argv, struct cli *cli)
{
    static const char *const colors[] = {"auto", "always", "never", NULL};
    int c;

    opterr = 0;
    optind = 0; /* GNU getopt: start afresh on this argv */
    while ((c = getopt_long(argc, argv, ":f:S:e:d:j:hV", long_options, NULL)) !=
           -1) {
        int rc = 0;
        switch (c) {
        case 'f':
            if (report_format_parse(optarg, &cli->fmt)) {
                const char *names[16];
                size_t i;
                for (i = 0; i < 15 && report_format_name(i); i++)
                    names[i] = report_format_name(i);
                names[i] = NULL;
                return bad_value("--format", optarg, names);
            }
            cli->fmt_set = true;
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0)
                cli->color = -1;
            else if (strcmp(optarg, "always") == 0)
                cli->color = 1;
            else if (strcmp(optarg, "never") == 0)
                cli->color = 0;
            else
                return bad_value("--color", optarg, colors);
            break;
        case 'S':
            rc = add_setting(cli, "severity", optarg);
            break;
        case OPT_THRESHOLD:
            rc = add_setting(cli, "failure-threshold", optarg);
            break;
        case 'e':
            rc = add_setting(cli, "enable", optarg);
            break;
        case 'd':
            rc = add_setting(cli, "disable", optarg);
            break;
        case OPT_PLATFORM:
            rc = add_setting(cli, "platform", optarg);
            break;
        case OPT_TEMPLATE:
            rc = add_setting(cli, "template", "true");
            break;
        case OPT_VARS:
            rc = add_setting(cli, "external-vars", optarg);
            break;
        case OPT_HTTPS:
            rc = add_setting(cli, "require-https", "true");
            break;
        case OPT_CONFIG:
            rc = config_path_of(cli, optarg);
            break;
        case OPT_TREE:
            cli->tree = optarg;
            rc = add_setting(cli, "tree", optarg);
            break;
        case OPT_MAP:
            rc = add_setting(cli, "map", optarg);
            break;
        case OPT_ENTRY:
            rc = add_setting(cli, "entry", optarg);
            break;
        case OPT_NO_CONFIG:
            cli->no_config = true;
            break;
        case OPT_STDIN_NAME:
            cli->stdin_name = optarg;
            break;
        case 'j':
            rc = add_setting(cli, "jobs", optarg);
            break;
        case OPT_LIST_RULES:
            return list_rules();
        case OPT_EXPLAIN:
            return explain(optarg);
        case OPT_DUMP:
            if (strcmp(optarg, "ast") && strcmp(optarg, "source"))
                return usage_error("--dump takes ast or source, not '%s'",
                                   optarg);
            cli->dump = optarg;
            break;
        case OPT_LSP:
            cli->lsp = true;
            break;
        case OPT_FIX:
            cli->fix = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_CLEAN;
        case 'V':
            printf("ipxe-lint %s\n", IPXEKIT_VERSION);
            return EXIT_CLEAN;
        case ':':
            return usage_error("option '%s' needs a value", argv[optind - 1]);
        default: {
            const char *arg = argv[optind - 1];
            const char *near =
                arg[0] == '-' && arg[1] == '-' ? closest_option(arg) : NULL;
            if (near)
                return usage_error("unknown option '%s' (did you mean "
                                   "'--%s'?)",
                                   arg, near);
            return usage_error("unknown option '%s'", arg);
        }
        }
        if (rc)
            return rc;
    }
    for (; optind < argc; optind++) {
        if (!lint_grow(&cli->files, &cli->nfiles, &cli->files_cap,
                       sizeof(*cli->files)))
            return EXIT_UNREADABLE;
        cli->files[cli->nfiles++] = argv[optind];
    }
    return -1;
}

/* Parse IPXE_LINT_OPTS (@p eargc words at @p eargv, or none) then the
 * command line; returns -1 to go on, else an exit code. */
static int parse_cli(int eargc, char **eargv, int argc, char **argv,
                     struct cli *cli)
{
    int rc;

    memset(cli, 0, sizeof(*cli));
    cli->color = -1;
    if (eargv) {
        origin = "IPXE_LINT_OPTS: ";
        rc = parse_args(eargc, eargv, cli);
        origin = "";
        if (rc >= 0)
            return rc;
    }
    rc = parse_args(argc, argv, cli);
    if (rc >= 0)
        return rc;
    if (cli->lsp && (cli->nfiles || cli->tree))
        return usage_error("%s", "--lsp takes no FILE or --tree: the editor "
                                 "sends the documents");
    if (cli->lsp)
        return -1;
    for (size_t i = 0; cli->fix && i < cli->nfiles; i++)
        if (strcmp(cli->files[i], "-") == 0)
            return usage_error("%s", "--fix rewrites files: it cannot take "
                                     "standard input ('-'); use -f diff");
    if (!cli->nfiles && !cli->tree)
        return usage_error("%s", "no FILE given (use '-' for standard input, "
                                 "or --tree=DIR for a tree's scripts)");
    if (!cli->fmt_set)
        cli->fmt = isatty(STDOUT_FILENO) ? REPORT_TTY : REPORT_GCC;
    if (cli->color == -1) {
        const char *term = getenv("TERM");
        cli->color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term &&
                     strcmp(term, "dumb") != 0;
    }
    return -1;
}

/* ---- configuration per file ---- */

struct config_cache {
    char *path;             /**< the config file it came from, or NULL */
    struct lint_config cfg; /**< defaults + file + command line */
    bool valid;
};

/* The configuration for @p file: built once per config file found. */
static int file_config(const struct cli *cli, const char *file,
                       struct config_cache *cache, struct lint_config **out)
{
    struct buf err;
    char *path = NULL, *dir_copy;
    size_t i;
    int rc = 0;

    if (cli->config_path) {
        path = strdup(cli->config_path);
    } else if (!cli->no_config) {
        dir_copy = strdup(strcmp(file, "-") == 0 ? "." : file);
        if (dir_copy)
            path = lint_config_find(dirname(dir_copy));
        free(dir_copy);
    }
    if (cache->valid && ((!path && !cache->path) ||
                         (path && cache->path && !strcmp(path, cache->path)))) {
        free(path);
        *out = &cache->cfg;
        return 0;
    }
    if (cache->valid)
        lint_config_release(&cache->cfg);
    free(cache->path);
    cache->path = path;
    cache->valid = false;
    rc = lint_config_init(&cache->cfg);
    buf_init(&err, 65536);
    if (!rc && path) {
        rc = lint_config_load(&cache->cfg, path, &err);
        if (rc && !err.len)
            buf_addf(&err, "cannot read %s: %s", path, strerror(-rc));
    }
    for (i = 0; !rc && i < cli->nsets; i++)
        rc = lint_config_apply(&cache->cfg, cli->sets[i].key,
                               cli->sets[i].value, &err);
    if (rc) {
        fprintf(stderr, "ipxe-lint: %s\n",
                err.len ? err.data : "out of memory");
        buf_release(&err);
        lint_config_release(&cache->cfg);
        return EXIT_USAGE;
    }
    buf_release(&err);
    cache->valid = true;
    *out = &cache->cfg;
    return 0;
}

/* ---- trees ---- */

/* The tree a configuration names, opened once: a run lints the files of
 * one tree, usually (a new tree closes the last). */
struct tree_cache {
    char *key;             /**< tree, maps and entries, one a line */
    struct lint_tree *tree; /**< or NULL */
};

/* Whether the run lints every script of a tree (--tree, no FILE). */
static bool cli_lints_tree;

/* The tree of @p cfg (NULL: none); an exit code when it cannot be read. */
static int tree_of(const struct lint_config *cfg, struct tree_cache *tc,
                   struct lint_tree **out)
{
    struct lint_tree_setup setup;
    struct buf key, err;
    size_t i;
    int rc;

    *out = NULL;
    if (!cfg->tree)
        return 0;
    buf_init(&key, BUF_MAX_UNLIMITED);
    rc = buf_addf(&key, "%s\n", cfg->tree);
    for (i = 0; !rc && i < cfg->nmaps; i++)
        rc = buf_addf(&key, "m %s\n", cfg->maps[i]);
    for (i = 0; !rc && i < cfg->nentries; i++)
        rc = buf_addf(&key, "e %s\n", cfg->entries[i]);
    if (rc) {
        buf_release(&key);
        return EXIT_UNREADABLE;
    }
    if (tc->key && strcmp(tc->key, key.data) == 0) {
        buf_release(&key);
        *out = tc->tree;
        return 0;
    }
    lint_tree_close(tc->tree);
    tc->tree = NULL;
    free(tc->key);
    tc->key = buf_detach(&key, NULL);
    lint_config_tree_setup(cfg, &setup);
    /* every script of the tree is linted: keep the parses */
    setup.keep = cli_lints_tree;
    buf_init(&err, 65536);
    rc = lint_tree_open(&tc->tree, &setup, &cfg->lint, &err);
    if (rc) {
        fprintf(stderr, "ipxe-lint: %s\n",
                err.len ? err.data : strerror(-rc));
        buf_release(&err);
        free(tc->key);
        tc->key = NULL;
        return rc == -EINVAL ? EXIT_USAGE : EXIT_UNREADABLE;
    }
    buf_release(&err);
    *out = tc->tree;
    return 0;
}

/* ---- linting ---- */

/* What the output's failure was (errno), once one happened: the run stops
 * and says so once, naming the output, not the file being linted. */
static int out_error;

/* Write and flush what is in @p out: flushing file by file finds a full
 * disk or a closed pipe at once. */
static int write_out(struct buf *out)
{
    if (out_error)
        return -out_error;
    if ((out->len && fwrite(out->data, 1, out->len, stdout) != out->len) ||
        fflush(stdout) != 0) {
        out_error = errno ? errno : EIO;
        return -out_error;
    }
    buf_truncate(out, 0);
    return 0;
}

/* report_file()'s flush: a file with many findings is written as the
 * report goes, not held whole. */
static int flush_out(struct buf *out, void *arg)
{
    (void)arg;
    return write_out(out);
}

/* Say once what went wrong with the output (nothing for a closed pipe:
 * `ipxe-lint ... | head` is not an error worth a message). */
static int output_failed(void)
{
    if (out_error != EPIPE)
        fprintf(stderr, "ipxe-lint: cannot write to standard output: %s\n",
                strerror(out_error));
    return EXIT_UNREADABLE;
}

/* --fix: the fixes applied to @p file in place; @p d becomes what remains.
 * A file that cannot be written is said here (-EACCES and the like become
 * an unreadable file's exit status through lint_one). */
static int fix_file(const char *file, struct source *src,
                    const struct lint_config *cfg, struct arena *a,
                    struct diag_list *d, struct ast_script **tree)
{
    size_t n;
    int rc = lint_fix_file(file, src, &cfg->lint, a, d, tree, &n);

    if (rc && rc != -ENOMEM) {
        fprintf(stderr, "ipxe-lint: %s: cannot write the fixed file: %s "
                        "(it was left as it was)\n",
                file, strerror(-rc));
        return -ECANCELED;
    }
    if (!rc && n)
        fprintf(stderr, "ipxe-lint: %s: fixed (%zu edit%s)\n", file, n,
                n == 1 ? "" : "s");
    return rc;
}

/* Whether a finding of @p d is shown (-S) and reaches the failure
 * threshold. */
static bool fails(const struct lint_config *cfg, const struct diag_list *d)
{
    size_t i;

    for (i = 0; i < d->len; i++)
        if (d->items[i].sev <= cfg->min_sev &&
            cfg->threshold != CONFIG_THRESHOLD_NONE &&
            (int)d->items[i].sev <= cfg->threshold)
            return true;
    return false;
}

/* Lint (or dump) one file.  @p failed is set when a shown finding reaches
 * the threshold.  Returns 0, or an exit code for this file. */
static int lint_one(const struct cli *cli, const char *file,
                    struct config_cache *cache, struct tree_cache *tc,
                    struct report *rep, struct buf *out, bool *failed)
{
    const char *name =
        strcmp(file, "-") == 0 && cli->stdin_name ? cli->stdin_name : file;
    struct lint_config *cfg;
    struct source src;
    struct arena a;
    struct diag_list d;
    struct ast_script *tree;
    struct lint_tree *boot_tree = NULL;
    struct source *tsrc = NULL;
    size_t ti = 0;
    int rc;

    rc = file_config(cli, file, cache, &cfg);
    if (!rc && !cli->dump && strcmp(file, "-") != 0)
        rc = tree_of(cfg, tc, &boot_tree);
    if (rc)
        return rc;
    if (boot_tree && !cli->fix && lint_tree_find(boot_tree, file, &ti)) {
        /* a script of the tree: linted with what the tree knows of it
         * (--fix lints it on its own: the tree holds its old text) */
        arena_init(&a);
        diag_list_init(&d, &a);
        rc = lint_tree_lint(boot_tree, ti, &cfg->lint, &a, &d, &tsrc);
        if (!rc)
            rc = report_file(rep, name, tsrc, &d, cfg->min_sev, out);
        if (!rc && fails(cfg, &d))
            *failed = true;
        if (!rc)
            rc = write_out(out);
        diag_list_release(&d);
        arena_release(&a);
        if (rc && out_error)
            return output_failed();
        if (rc) {
            fprintf(stderr, "ipxe-lint: %s: %s\n", name, strerror(-rc));
            return EXIT_UNREADABLE;
        }
        return 0;
    }
    rc = source_load(&src, file, name);
    if (rc) {
        fprintf(stderr, "ipxe-lint: %s: %s\n", name,
                rc == -EFBIG ? "file too large (4 GiB at most)"
                             : strerror(-rc));
        return EXIT_UNREADABLE;
    }
    arena_init(&a);
    diag_list_init(&d, &a);
    if (cli->dump) {
        /* the tree only: parse, no rules */
        unsigned flags =
            cfg->lint.force_template || parse_is_template_name(name)
                ? PARSE_TEMPLATE
                : 0;
        rc = parse_source(&src, flags, &a, &d, &tree);
        if (!rc)
            rc = strcmp(cli->dump, "ast") == 0 ? ast_print_tree(tree, out)
                                               : ast_print_source(tree, out);
    } else {
        rc = lint_source(&src, &cfg->lint, &a, &d, &tree);
        if (!rc && cli->fix)
            rc = fix_file(file, &src, cfg, &a, &d, &tree);
        if (!rc)
            rc = report_file(rep, name, &src, &d, cfg->min_sev, out);
    }
    if (!rc && !cli->dump && fails(cfg, &d))
        *failed = true;
    if (!rc)
        rc = write_out(out);
    diag_list_release(&d);
    arena_release(&a);
    source_release(&src);
    if (rc && out_error)
        return output_failed();
    if (rc) {
        if (rc != -ECANCELED) /* --fix said it */
            fprintf(stderr, "ipxe-lint: %s: %s\n", name,
                rc == -EPROTO ? "internal error: the tree does not cover "
                                "the file (please report it)"
                              : strerror(-rc));
        return EXIT_UNREADABLE;
    }
    return 0;
}

/* The columns of the terminal the report goes to (COLUMNS first, as
 * shells set it), or 0 when it does not go to one: then nothing wraps. */
static unsigned terminal_width(void)
{
    const char *env = getenv("COLUMNS");
    struct winsize ws;
    long n;

    if (!isatty(STDOUT_FILENO))
        return 0;
    if (env && (n = strtol(env, NULL, 10)) > 0 && n < 10000)
        return (unsigned)n;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 0;
}

/* --tree=DIR without FILE: every script of the tree. */
static int tree_files(struct cli *cli, struct config_cache *cache,
                      struct tree_cache *tc)
{
    struct lint_config *cfg;
    struct lint_tree *t = NULL;
    struct buf probe;
    size_t i;
    int rc;

    buf_init(&probe, BUF_MAX_UNLIMITED);
    rc = buf_addf(&probe, "%s/.", cli->tree) ? EXIT_UNREADABLE : 0;
    if (!rc)
        rc = file_config(cli, probe.data, cache, &cfg);
    buf_release(&probe);
    if (!rc)
        rc = tree_of(cfg, tc, &t);
    if (rc || !t)
        return rc;
    for (i = 0; i < lint_tree_size(t); i++) {
        if (!lint_grow(&cli->files, &cli->nfiles, &cli->files_cap,
                       sizeof(*cli->files)))
            return EXIT_UNREADABLE;
        /* a copy: another tree (a folder with its own configuration)
         * may replace this one before the last file is linted */
        cli->files[cli->nfiles] = strdup(lint_tree_name(t, i));
        if (!cli->files[cli->nfiles])
            return EXIT_UNREADABLE;
        cli->nfiles++;
        cli->owns_files = true;
    }
    return 0;
}

static int run(struct cli *cli)
{
    struct config_cache cache = {0};
    struct tree_cache tc = {0};
    struct report rep;
    struct buf out;
    bool failed = false;
    int status = EXIT_CLEAN, rc;
    size_t i;

    if (report_init(&rep, cli->fmt, cli->color))
        return EXIT_UNREADABLE;
    rep.width = terminal_width();
    rep.flush = flush_out;
    buf_init(&out, BUF_MAX_UNLIMITED);
    if (cli->tree && !cli->nfiles) {
        cli_lints_tree = true;
        status = tree_files(cli, &cache, &tc);
        if (status) {
            if (cache.valid)
                lint_config_release(&cache.cfg);
            free(cache.path);
            report_release(&rep);
            buf_release(&out);
            return status;
        }
    }
    for (i = 0; i < cli->nfiles; i++) {
        rc = lint_one(cli, cli->files[i], &cache, &tc, &rep, &out, &failed);
        if (rc == EXIT_USAGE || out_error) {
            status = rc;
            break;
        }
        if (rc)
            status = rc;
    }
    if (status != EXIT_USAGE && !out_error && !cli->dump &&
        (report_finish(&rep, &out) || write_out(&out)))
        status = out_error ? output_failed() : EXIT_UNREADABLE;
    if (status == EXIT_CLEAN && failed)
        status = EXIT_FINDINGS;
    if (cache.valid)
        lint_config_release(&cache.cfg);
    free(cache.path);
    lint_tree_close(tc.tree);
    free(tc.key);
    report_release(&rep);
    buf_release(&out);
    return status;
}

int main(int argc, char **argv)
{
    struct cli cli;
    char *env_copy, **env;
    int status, eargc;
    size_t i;

    env = env_words(argv[0], &eargc, &env_copy);
    status = parse_cli(eargc, env, argc, argv, &cli);
    if (status < 0 && cli.lsp)
        status = lsp_run(STDIN_FILENO, STDOUT_FILENO);
    else if (status < 0)
        status = run(&cli);
    if (!out_error && fflush(stdout) != 0) {
        out_error = errno ? errno : EIO;
        status = output_failed();
    }
    free(cli.sets);
    for (i = 0; cli.owns_files && i < cli.nfiles; i++)
        free(cli.files[i]);
    free(cli.files);
    free(cli.config_alloc);
    free(env);
    free(env_copy);
    return status;
}
