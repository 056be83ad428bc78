/* SPDX-License-Identifier: MIT */
/** @file ipxe-lint's configuration. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "rules.h"
#include "tree.h"

int lint_config_init(struct lint_config *c)
{
    size_t n = lint_rule_count(), i;

    memset(c, 0, sizeof(*c));
    lint_options_init(&c->lint);
    c->min_sev = DIAG_STYLE;
    c->threshold = DIAG_WARNING;
    c->lint.rules = calloc(n ? n : 1, sizeof(*c->lint.rules));
    if (!c->lint.rules)
        return -ENOMEM;
    for (i = 0; i < n; i++) {
        c->lint.rules[i].enabled = true;
        c->lint.rules[i].sev = lint_rule_at(i)->sev;
    }
    return 0;
}

void lint_config_release(struct lint_config *c)
{
    size_t i;

    for (i = 0; i < c->nstrings; i++)
        free(c->strings[i]);
    free(c->strings);
    free(c->vars);
    free(c->hosts);
    free(c->maps);
    free(c->entries);
    free(c->lint.rules);
    memset(c, 0, sizeof(*c));
}

/* Keep a copy of @p s for as long as the configuration lives. */
static const char *config_keep(struct lint_config *c, const char *s)
{
    char *copy;

    if (c->nstrings == c->strings_cap) {
        size_t cap = c->strings_cap ? c->strings_cap * 2 : 8;
        char **v = realloc(c->strings, cap * sizeof(*v));
        if (!v)
            return NULL;
        c->strings = v;
        c->strings_cap = cap;
    }
    copy = strdup(s);
    if (copy)
        c->strings[c->nstrings++] = copy;
    return copy;
}

/* Append @p s to a NULL-ended list. */
static int list_add(const char ***list, size_t *n, const char *s)
{
    const char **v = realloc(*list, (*n + 2) * sizeof(*v));

    if (!v)
        return -ENOMEM;
    v[(*n)++] = s;
    v[*n] = NULL;
    *list = v;
    return 0;
}

int lint_config_copy(struct lint_config *to, const struct lint_config *from)
{
    size_t i, n = lint_rule_count();
    int rc = lint_config_init(to);

    if (rc)
        return rc;
    to->min_sev = from->min_sev;
    to->threshold = from->threshold;
    to->lint.platform = from->lint.platform;
    to->lint.force_template = from->lint.force_template;
    to->lint.require_https = from->lint.require_https;
    memcpy(to->lint.rules, from->lint.rules, n * sizeof(*to->lint.rules));
    for (i = 0; i < from->nvars && !rc; i++) {
        const char *s = config_keep(to, from->vars[i]);
        rc = s ? list_add(&to->vars, &to->nvars, s) : -ENOMEM;
    }
    for (i = 0; i < from->nhosts && !rc; i++) {
        const char *s = config_keep(to, from->hosts[i]);
        rc = s ? list_add(&to->hosts, &to->nhosts, s) : -ENOMEM;
    }
    to->lint.external_vars = to->vars;
    to->lint.allowed_hosts = to->hosts;
    if (!rc && from->tree)
        rc = (to->tree = config_keep(to, from->tree)) ? 0 : -ENOMEM;
    for (i = 0; i < from->nmaps && !rc; i++) {
        const char *s = config_keep(to, from->maps[i]);
        rc = s ? list_add(&to->maps, &to->nmaps, s) : -ENOMEM;
    }
    for (i = 0; i < from->nentries && !rc; i++) {
        const char *s = config_keep(to, from->entries[i]);
        rc = s ? list_add(&to->entries, &to->nentries, s) : -ENOMEM;
    }
    return rc;
}

/* Apply @p fn to each comma-separated item of @p value. */
static int each_item(struct lint_config *c, const char *value, struct buf *err,
                     int (*fn)(struct lint_config *, const char *,
                               struct buf *))
{
    char *copy = strdup(value), *p, *comma;
    int rc = 0;

    if (!copy)
        return -ENOMEM;
    for (p = copy; p && !rc; p = comma) {
        comma = strchr(p, ',');
        if (comma)
            *comma++ = '\0';
        while (*p == ' ')
            p++;
        if (*p)
            rc = fn(c, p, err);
    }
    free(copy);
    return rc;
}

/* "unknown rule 'x'", with the rule it was probably meant to be. */
static int unknown_rule(const char *name, struct buf *err)
{
    const struct lint_rule *near = lint_rule_closest(name);

    if (near)
        buf_addf(err,
                 "unknown rule '%s' (did you mean '%s'? see "
                 "'ipxe-lint --list-rules')",
                 name, lint_rule_spelling(near, name, strlen(name)));
    else
        buf_addf(err, "unknown rule '%s' (see 'ipxe-lint --list-rules')", name);
    return -EINVAL;
}

/* "'x' is not a WHAT (A, B, C)", with the one it was probably meant to be. */
static int not_one_of(const char *value, const char *what,
                      const char *const *cands, struct buf *err)
{
    const char *near = lint_closest(value, strlen(value), cands);
    size_t i;

    buf_addf(err, "'%s' is not %s (", value, what);
    for (i = 0; cands[i]; i++)
        buf_addf(err, "%s%s", i ? ", " : "", cands[i]);
    buf_adds(err, ")");
    if (near)
        buf_addf(err, ": did you mean '%s'?", near);
    return -EINVAL;
}

static int set_rule(struct lint_config *c, const char *name, bool on,
                    struct buf *err)
{
    const struct lint_rule *r;
    size_t i, n = lint_rule_count();

    if (strcmp(name, "all") == 0) {
        for (i = 0; i < n; i++)
            c->lint.rules[i].enabled = on;
        return 0;
    }
    r = lint_rule_find(name);
    if (!r)
        return unknown_rule(name, err);
    c->lint.rules[lint_rule_index(r)].enabled = on;
    return 0;
}

static int enable_one(struct lint_config *c, const char *name, struct buf *err)
{
    return set_rule(c, name, true, err);
}

static int disable_one(struct lint_config *c, const char *name, struct buf *err)
{
    return set_rule(c, name, false, err);
}

static int var_one(struct lint_config *c, const char *name, struct buf *err)
{
    const char *s = config_keep(c, name);

    (void)err;
    if (!s || list_add(&c->vars, &c->nvars, s))
        return -ENOMEM;
    c->lint.external_vars = c->vars;
    return 0;
}

static int host_one(struct lint_config *c, const char *name, struct buf *err)
{
    const char *s = config_keep(c, name);

    (void)err;
    if (!s || list_add(&c->hosts, &c->nhosts, s))
        return -ENOMEM;
    c->lint.allowed_hosts = c->hosts;
    return 0;
}

/* @p path as given, or joined to the config file's folder when it is
 * relative and comes from a file (kept as long as the configuration). */
static const char *config_path(struct lint_config *c, const char *path)
{
    char *joined;
    const char *s;
    size_t n;

    if (!c->base || path[0] == '/')
        return config_keep(c, path);
    n = strlen(c->base) + strlen(path) + 2;
    joined = malloc(n);
    if (!joined)
        return NULL;
    snprintf(joined, n, "%s/%s", c->base, path);
    s = config_keep(c, joined);
    free(joined);
    return s;
}

static int entry_one(struct lint_config *c, const char *name, struct buf *err)
{
    const char *s = config_path(c, name);

    (void)err;
    if (!s || list_add(&c->entries, &c->nentries, s))
        return -ENOMEM;
    return 0;
}

/* map = URL-PREFIX=DIR: the folder relative to the config file's. */
static int map_one(struct lint_config *c, const char *value, struct buf *err)
{
    const char *eq = strchr(value, '=');
    const char *dir, *s;
    char *joined;
    size_t n;

    if (!eq || eq == value || !eq[1]) {
        buf_addf(err,
                 "'%s' is not URL-PREFIX=DIR (for example "
                 "'http://boot.example.net/ipxe/=srv/ipxe')",
                 value);
        return -EINVAL;
    }
    dir = config_path(c, eq + 1);
    if (!dir)
        return -ENOMEM;
    n = (size_t)(eq - value) + strlen(dir) + 2;
    joined = malloc(n);
    if (!joined)
        return -ENOMEM;
    snprintf(joined, n, "%.*s=%s", (int)(eq - value), value, dir);
    s = config_keep(c, joined);
    free(joined);
    if (!s || list_add(&c->maps, &c->nmaps, s))
        return -ENOMEM;
    return 0;
}

/* A boolean, written any way people write one, in any case. */
static int parse_bool(const char *value, bool *out, struct buf *err)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    size_t i;

    for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(value, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(value, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    buf_addf(err,
             "'%s' is not a boolean (true or false, yes or no, on or "
             "off, 1 or 0)",
             value);
    return -EINVAL;
}

static int parse_sev(const char *value, enum diag_severity *out,
                     struct buf *err)
{
    static const char *const sevs[] = {"error", "warning", "info", "style",
                                       NULL};
    char lower[16];
    size_t i;

    for (i = 0; value[i] && i < sizeof(lower) - 1; i++)
        lower[i] = (char)tolower((unsigned char)value[i]);
    lower[i] = '\0';
    if (!value[i] && diag_severity_parse(lower, out) == 0)
        return 0;
    return not_one_of(value, "a severity", sevs, err);
}

int lint_config_apply(struct lint_config *c, const char *key, const char *value,
                      struct buf *err)
{
    enum diag_severity sev;
    int rc;

    if (strcmp(key, "disable") == 0)
        return each_item(c, value, err, disable_one);
    if (strcmp(key, "enable") == 0)
        return each_item(c, value, err, enable_one);
    if (strcmp(key, "external-vars") == 0)
        return each_item(c, value, err, var_one);
    if (strcmp(key, "allowed-hosts") == 0)
        return each_item(c, value, err, host_one);
    if (strcmp(key, "severity") == 0)
        return parse_sev(value, &c->min_sev, err);
    if (strcmp(key, "failure-threshold") == 0) {
        if (strcmp(value, "none") == 0) {
            c->threshold = CONFIG_THRESHOLD_NONE;
            return 0;
        }
        rc = parse_sev(value, &sev, err);
        if (!rc)
            c->threshold = (int)sev;
        return rc;
    }
    if (strcmp(key, "platform") == 0) {
        static const char *const plats[] = {"efi", "pcbios", "any", NULL};
        if (strcasecmp(value, "efi") == 0)
            c->lint.platform = LINT_PLATFORM_EFI;
        else if (strcasecmp(value, "pcbios") == 0)
            c->lint.platform = LINT_PLATFORM_PCBIOS;
        else if (strcasecmp(value, "any") == 0)
            c->lint.platform = LINT_PLATFORM_ANY;
        else
            return not_one_of(value, "a platform", plats, err);
        return 0;
    }
    if (strcmp(key, "jobs") == 0) {
        /* more than two threads buy nothing: a file is cut in two */
        char *endp;
        unsigned long n;

        errno = 0;
        n = strtoul(value, &endp, 10);
        if (errno || endp == value || *endp || n == 0 || value[0] == '-') {
            buf_addf(err,
                     "'%s' is not a number of jobs (1 or more: 1 "
                     "runs on one thread, 2 or more on two)",
                     value);
            return -EINVAL;
        }
        c->lint.jobs = n >= 2 ? 2 : 1;
        return 0;
    }
    if (strcmp(key, "require-https") == 0)
        return parse_bool(value, &c->lint.require_https, err);
    if (strcmp(key, "tree") == 0) {
        c->tree = *value ? config_path(c, value) : NULL;
        return !*value || c->tree ? 0 : -ENOMEM;
    }
    if (strcmp(key, "map") == 0)
        return map_one(c, value, err);
    if (strcmp(key, "entry") == 0)
        return each_item(c, value, err, entry_one);
    if (strcmp(key, "template") == 0)
        return parse_bool(value, &c->lint.force_template, err);
    if (strncmp(key, "severity.", 9) == 0) {
        const struct lint_rule *r = lint_rule_find(key + 9);
        if (!r)
            return unknown_rule(key + 9, err);
        rc = parse_sev(value, &sev, err);
        if (!rc)
            c->lint.rules[lint_rule_index(r)].sev = sev;
        return rc;
    }
    {
        static const char *const keys[] = {
            "disable",       "enable",   "external-vars",
            "allowed-hosts", "severity", "failure-threshold",
            "platform",      "jobs",     "require-https",
            "template",      "tree",     "map",
            "entry",         NULL,
        };
        const char *near = lint_closest(key, strlen(key), keys);
        if (near)
            buf_addf(err, "unknown setting '%s' (did you mean '%s'?)", key,
                     near);
        else
            buf_addf(err,
                     "unknown setting '%s' (known: disable, enable, "
                     "external-vars, allowed-hosts, severity, "
                     "failure-threshold, platform, jobs, "
                     "require-https, template, tree, map, entry, "
                     "severity.RULE)",
                     key);
    }
    return -EINVAL;
}

/* Trim spaces and tabs at both ends, in place. */
static char *trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
                       end[-1] == '\n'))
        *--end = '\0';
    return s;
}

int lint_config_load(struct lint_config *c, const char *path, struct buf *err)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL, *key, *eq;
    size_t cap = 0;
    unsigned lineno = 0;
    int rc = 0;

    char *dir, *slash;

    if (!fp)
        return -errno;
    /* tree, map and entry name paths relative to the file's folder */
    dir = strdup(path);
    if (!dir) {
        fclose(fp);
        return -ENOMEM;
    }
    slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    c->base = slash ? (*dir ? dir : "/") : ".";
    while (!rc && getline(&line, &cap, fp) != -1) {
        char *hash;

        lineno++;
        key = line;
        /* a byte order mark, as some editors write one */
        if (lineno == 1 && memcmp(key, "\xEF\xBB\xBF", 3) == 0)
            key += 3;
        key = trim(key);
        if (*key == '\0' || *key == '#')
            continue;
        /* a comment after the value: '#' after a space; no value has one */
        for (hash = strchr(key, '#'); hash; hash = strchr(hash + 1, '#')) {
            if (hash[-1] == ' ' || hash[-1] == '\t') {
                *hash = '\0';
                break;
            }
        }
        eq = strchr(key, '=');
        if (!eq) {
            buf_addf(err, "%s:%u: expected 'key = value'", path, lineno);
            rc = -EINVAL;
            break;
        }
        *eq = '\0';
        key = trim(key);
        {
            struct buf why;
            buf_init(&why, 4096);
            rc = lint_config_apply(c, key, trim(eq + 1), &why);
            if (rc)
                buf_addf(err, "%s:%u: %s", path, lineno, why.data);
            buf_release(&why);
        }
    }
    free(line);
    fclose(fp);
    c->base = NULL;
    free(dir);
    return rc;
}

char *lint_config_find(const char *dir)
{
    char *cur = realpath(dir && *dir ? dir : ".", NULL);
    struct buf path;

    if (!cur)
        return NULL;
    buf_init(&path, 65536);
    for (;;) {
        char *slash;

        buf_truncate(&path, 0);
        if (buf_addf(&path, "%s/.ipxe-lint.conf",
                     strcmp(cur, "/") == 0 ? "" : cur))
            break;
        if (access(path.data, R_OK) == 0) {
            free(cur);
            return buf_detach(&path, NULL);
        }
        if (strcmp(cur, "/") == 0)
            break;
        /* up one folder: "/a/b" -> "/a", "/a" -> "/" */
        slash = strrchr(cur, '/');
        if (slash == cur)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
    free(cur);
    buf_release(&path);
    return NULL;
}

void lint_config_tree_setup(const struct lint_config *c,
                            struct lint_tree_setup *setup)
{
    memset(setup, 0, sizeof(*setup));
    setup->dir = c->tree;
    setup->maps = c->maps;
    setup->nmaps = c->nmaps;
    setup->entries = c->entries;
    setup->nentries = c->nentries;
}
