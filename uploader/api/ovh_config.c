/* SPDX-License-Identifier: MIT */
/** @file ovh.conf files and OVH_* variables. */
#include "ovh_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "readfile.h"

/** One key of the merged files. */
struct ini_entry {
    char *section; /**< section name as written (trimmed) */
    char *key;     /**< key, compared without case as configparser does */
    char *value;   /**< value, trimmed */
};

/** The merged files: later files replace earlier values key by key. */
struct ini {
    struct ini_entry *v; /**< entries */
    size_t n;            /**< entries used */
    size_t alloc;        /**< entries allocated */
};

/* Overwrite a secret before freeing it, so it does not linger in freed
 * heap memory (a core dump must not hold it).  Through a volatile
 * pointer: a plain memset() right before free() is a dead store the
 * compiler may drop. */
void ovh_config_free_secret(char *s)
{
    volatile char *p = s;

    if (!s)
        return;
    while (*p)
        *p++ = '\0';
    free(s);
}

static void ini_release(struct ini *ini)
{
    size_t i;

    for (i = 0; i < ini->n; i++) {
        free(ini->v[i].section);
        free(ini->v[i].key);
        ovh_config_free_secret(ini->v[i].value);
    }
    free(ini->v);
    memset(ini, 0, sizeof(*ini));
}

/* The entry of @p key in @p section, or NULL. */
static struct ini_entry *ini_find(const struct ini *ini, const char *section,
                                  const char *key)
{
    size_t i;

    for (i = 0; i < ini->n; i++)
        if (strcmp(ini->v[i].section, section) == 0 &&
            strcasecmp(ini->v[i].key, key) == 0)
            return &ini->v[i];
    return NULL;
}

static const char *ini_get(const struct ini *ini, const char *section,
                           const char *key)
{
    const struct ini_entry *e = ini_find(ini, section, key);

    return e ? e->value : NULL;
}

static int ini_set(struct ini *ini, const char *section, const char *key,
                   const char *value)
{
    struct ini_entry *e;
    char *copy;

    copy = strdup(value);
    if (!copy)
        return -ENOMEM;
    e = ini_find(ini, section, key);
    if (e) {
        ovh_config_free_secret(e->value);
        e->value = copy;
        return 0;
    }
    if (ini->n == ini->alloc) {
        size_t alloc = ini->alloc ? 2 * ini->alloc : 16;
        e = realloc(ini->v, alloc * sizeof(*e));
        if (!e)
            goto err;
        ini->v = e;
        ini->alloc = alloc;
    }
    e = &ini->v[ini->n];
    e->section = strdup(section);
    e->key = strdup(key);
    e->value = copy;
    if (!e->section || !e->key) {
        free(e->section);
        free(e->key);
        goto err;
    }
    ini->n++;
    return 0;
err:
    ovh_config_free_secret(copy);
    return -ENOMEM;
}

/* Trim ASCII blanks from both ends of [*s, *e). */
static void trim(const char **s, const char **e)
{
    while (*s < *e && isspace((unsigned char)**s))
        (*s)++;
    while (*e > *s && isspace((unsigned char)(*e)[-1]))
        (*e)--;
}

/* Parse one file's text into @p ini.  Grammar as both libraries accept:
 * [section], key = value or key: value, ';' or '#' comment lines. */
static int ini_parse(struct ini *ini, const char *path, const char *text,
                     size_t len, struct buf *err)
{
    const char *p = text, *end = text + len, *eol, *s, *e, *sep;
    char *section = NULL;
    unsigned line = 0;
    int rc = 0;

    for (; p < end && !rc; p = eol < end ? eol + 1 : end) {
        line++;
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        s = p;
        e = eol;
        trim(&s, &e);
        if (s == e || *s == ';' || *s == '#')
            continue;
        if (*s == '[') {
            if (e[-1] != ']' || e - s < 2) {
                rc =
                    buf_addf(err, "%s:%u: unclosed section header", path, line);
                rc = rc ? rc : -EINVAL;
                break;
            }
            s++;
            e--;
            trim(&s, &e);
            free(section);
            section = strndup(s, (size_t)(e - s));
            if (!section)
                rc = -ENOMEM;
            continue;
        }
        sep = s;
        while (sep < e && *sep != '=' && *sep != ':')
            sep++;
        if (sep == e || sep == s) {
            rc = buf_addf(err,
                          "%s:%u: expected 'key = value' or "
                          "'[section]'",
                          path, line);
            rc = rc ? rc : -EINVAL;
            break;
        }
        if (!section) {
            rc = buf_addf(err, "%s:%u: key outside any [section]", path, line);
            rc = rc ? rc : -EINVAL;
            break;
        }
        {
            const char *ks = s, *ke = sep, *vs = sep + 1, *ve = e;
            char *key, *value;

            trim(&ks, &ke);
            trim(&vs, &ve);
            key = strndup(ks, (size_t)(ke - ks));
            value = strndup(vs, (size_t)(ve - vs));
            if (!key || !value)
                rc = -ENOMEM;
            else
                rc = ini_set(ini, section, key, value);
            free(key);
            ovh_config_free_secret(value);
        }
    }
    free(section);
    return rc;
}

/* Read and merge one file; a missing file is not an error. */
static int ini_load(struct ini *ini, const char *path, struct buf *err)
{
    struct buf text;
    FILE *f;
    int rc, msg_rc = 0;

    if (!path)
        return 0;
    f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        rc = buf_addf(err, "cannot read '%s': %s", path, strerror(errno));
        return rc ? rc : -EINVAL;
    }
    /* A config file is small; refuse anything absurd. */
    buf_init(&text, 1 << 20);
    rc = readfile_stream(f, &text);
    if (rc == -EIO)
        msg_rc = buf_addf(err, "cannot read '%s': %s", path, strerror(errno));
    else if (rc)
        msg_rc = buf_addf(err, "'%s' is too large", path);
    if (rc)
        rc = msg_rc ? msg_rc : -EINVAL;
    else
        rc = ini_parse(ini, path, text.data, text.len, err);
    /* The text held secrets: wipe it before it is freed. */
    if (text.len)
        memset(text.data, 0, text.len);
    buf_release(&text);
    fclose(f);
    return rc;
}

void ovh_config_default_paths(struct ovh_config_paths *p, struct buf *home_buf,
                              const char *extra)
{
    const char *home = getenv("HOME");

    p->system = "/etc/ovh.conf";
    p->home = NULL;
    if (home && *home && !buf_addf(home_buf, "%s/.ovh.conf", home))
        p->home = home_buf->data;
    p->local = "ovh.conf";
    p->extra = extra;
}

/* OVH_<KEY> if set and not empty, else the file value. */
static int lookup(const struct ini *ini, const char *section, const char *key,
                  char **out)
{
    char var[64];
    const char *v;
    size_t i;

    snprintf(var, sizeof(var), "OVH_%s", key);
    for (i = 4; var[i]; i++)
        var[i] = (char)toupper((unsigned char)var[i]);
    v = getenv(var);
    if (!v || !*v)
        v = ini_get(ini, section, key);
    if (!v || !*v) {
        *out = NULL;
        return 0;
    }
    *out = strdup(v);
    return *out ? 0 : -ENOMEM;
}

int ovh_config_load(struct ovh_config *cfg,
                    const struct ovh_config_paths *paths,
                    const char *endpoint_arg, struct buf *err)
{
    const char *files[4] = {paths->system, paths->home, paths->local,
                            paths->extra};
    struct ini ini = {0};
    const char *ep;
    size_t i;
    int rc = 0;
    bool has_keys, has_oauth;

    memset(cfg, 0, sizeof(*cfg));
    for (i = 0; i < 4 && !rc; i++)
        rc = ini_load(&ini, files[i], err);
    if (rc)
        goto out;

    /* The endpoint: argument, OVH_ENDPOINT, [default], go's default. */
    ep = endpoint_arg;
    if (!ep || !*ep)
        ep = getenv("OVH_ENDPOINT");
    if (!ep || !*ep)
        ep = ini_get(&ini, "default", "endpoint");
    if (!ep || !*ep)
        ep = "ovh-eu";
    cfg->endpoint = strdup(ep);
    if (!cfg->endpoint) {
        rc = -ENOMEM;
        goto out;
    }

    rc = lookup(&ini, ep, "application_key", &cfg->application_key);
    if (!rc)
        rc = lookup(&ini, ep, "application_secret", &cfg->application_secret);
    if (!rc)
        rc = lookup(&ini, ep, "consumer_key", &cfg->consumer_key);
    if (!rc)
        rc = lookup(&ini, ep, "client_id", &cfg->client_id);
    if (!rc)
        rc = lookup(&ini, ep, "client_secret", &cfg->client_secret);
    if (rc)
        goto out;

    /* spec §3: the methods exclude each other; each needs both halves. */
    has_keys = cfg->application_key || cfg->application_secret;
    has_oauth = cfg->client_id || cfg->client_secret;
    if (has_keys && has_oauth) {
        rc = buf_addf(err,
                      "both application_key/application_secret and "
                      "client_id/client_secret are set for endpoint "
                      "'%s'; keep only one authentication method",
                      ep);
        rc = rc ? rc : -EINVAL;
    } else if (has_keys &&
               (!cfg->application_key || !cfg->application_secret)) {
        rc = buf_addf(err,
                      "both application_key and application_secret "
                      "must be set for endpoint '%s'",
                      ep);
        rc = rc ? rc : -EINVAL;
    } else if (has_oauth && (!cfg->client_id || !cfg->client_secret)) {
        rc = buf_addf(err,
                      "both client_id and client_secret must be set "
                      "for endpoint '%s'",
                      ep);
        rc = rc ? rc : -EINVAL;
    }
    cfg->auth = has_keys    ? OVH_CONFIG_AUTH_KEYS
                : has_oauth ? OVH_CONFIG_AUTH_OAUTH2
                            : OVH_CONFIG_AUTH_NONE;
out:
    ini_release(&ini);
    if (rc)
        ovh_config_release(cfg);
    return rc;
}

void ovh_config_release(struct ovh_config *cfg)
{
    free(cfg->endpoint);
    free(cfg->application_key);
    ovh_config_free_secret(cfg->application_secret);
    ovh_config_free_secret(cfg->consumer_key);
    free(cfg->client_id);
    ovh_config_free_secret(cfg->client_secret);
    memset(cfg, 0, sizeof(*cfg));
}
