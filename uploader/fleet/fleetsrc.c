/* SPDX-License-Identifier: MIT */
/** @file Where push --template gets its scripts. */
#include "fleetsrc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#include "inventory.h"
#include "lint.h"
#include "render.h"

/* The largest template or inventory hashed for the digest; the renderer
 * reads them itself, this only fingerprints them. */
#define FLEETSRC_MAX_FILE (64u << 20)

struct fleetsrc {
    struct render_template *tmpl;    /**< the compiled template */
    struct inventory *inv;           /**< the inventory, --set applied */
    char digest[2 * SHA256_LEN + 1]; /**< see fleetsrc_digest() */
};

/* Hash @p path's bytes, then a NUL (so that names cannot run together). */
static int hash_file(struct sha256 *h, const char *path)
{
    char chunk[65536];
    size_t n, total = 0;
    FILE *f = fopen(path, "rb");
    int rc = 0;

    if (!f)
        return -errno;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        total += n;
        if (total > FLEETSRC_MAX_FILE) {
            rc = -E2BIG;
            break;
        }
        sha256_update(h, chunk, n);
    }
    if (!rc && ferror(f))
        rc = -EIO;
    fclose(f);
    sha256_update(h, "", 1);
    return rc;
}

/* Apply one --set "key=value" (or "key:=json", the renderer reading a key
 * that ends in ':' as JSON). */
static int apply_set(struct inventory *inv, const char *set, struct buf *err)
{
    const char *eq = strchr(set, '=');
    char *key;
    int rc;

    if (!eq || eq == set) {
        rc = buf_addf(err, "invalid --set '%s' (KEY=VALUE)", set);
        return rc ? rc : -EINVAL;
    }
    key = strndup(set, (size_t)(eq - set));
    if (!key)
        return -ENOMEM;
    rc = inventory_set(inv, key, eq + 1, err);
    free(key);
    return rc > 0 ? -EINVAL : rc;
}

int fleetsrc_open(const char *template_path, const char *inventory_path,
                  const char *const *sets, size_t nsets, struct fleetsrc **out,
                  struct buf *err)
{
    struct fleetsrc *s;
    struct sha256 h;
    unsigned char sum[SHA256_LEN];
    size_t i;
    int rc;

    *out = NULL;
    s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    rc = render_template_load(&s->tmpl, template_path, err);
    if (rc)
        goto err;
    rc = inventory_load(&s->inv, inventory_path, err);
    if (rc)
        goto err;
    sha256_init(&h);
    rc = hash_file(&h, template_path);
    if (!rc)
        rc = hash_file(&h, inventory_path);
    if (rc) {
        if (buf_addf(err, "cannot read '%s' or '%s': %s", template_path,
                     inventory_path, strerror(-rc)))
            rc = -ENOMEM;
        goto err;
    }
    for (i = 0; i < nsets; i++) {
        rc = apply_set(s->inv, sets[i], err);
        if (rc)
            goto err;
        sha256_update(&h, sets[i], strlen(sets[i]) + 1);
    }
    sha256_final(&h, sum);
    sha_hex(sum, sizeof(sum), s->digest);
    *out = s;
    return 0;
err:
    /* The renderer reports bad input as 1, with its message in err. */
    if (rc > 0)
        rc = -EINVAL;
    else if (rc != -EINVAL && rc != -ENOMEM && !err->len &&
             buf_addf(err, "cannot read '%s' or '%s': %s", template_path,
                      inventory_path, strerror(-rc)))
        rc = -ENOMEM;
    fleetsrc_free(s);
    return rc;
}

void fleetsrc_free(struct fleetsrc *s)
{
    if (!s)
        return;
    render_template_free(s->tmpl);
    inventory_free(s->inv);
    free(s);
}

size_t fleetsrc_count(const struct fleetsrc *s)
{
    return inventory_count(s->inv);
}

const char *fleetsrc_host(const struct fleetsrc *s, size_t i)
{
    return inventory_host(s->inv, i);
}

int fleetsrc_select(const struct fleetsrc *s, const char *const *patterns,
                    size_t npatterns, bool *selected, struct buf *err)
{
    return inventory_select(s->inv, patterns, npatterns, selected, err);
}

const char *fleetsrc_digest(const struct fleetsrc *s)
{
    return s->digest;
}

/* The lint platform of a boot mode; unknown: the inventory's say. */
static int mode_platform(enum boot_mode mode)
{
    switch (mode) {
    case BOOT_MODE_LEGACY:
        return LINT_PLATFORM_PCBIOS;
    case BOOT_MODE_UEFI:
        return LINT_PLATFORM_EFI;
    case BOOT_MODE_UEFI_LEGACY:
        return LINT_PLATFORM_ANY; /* it may boot either way */
    default:
        return -1;
    }
}

/* The number of lines of @p text that are errors ("...: error: ..." or
 * "error: ...", as the renderer writes them). */
static size_t count_errors(const struct buf *text)
{
    static const char tag[] = ": error: ";
    const char *p = text->data, *end = text->data + text->len, *eol, *q;
    size_t n = 0;

    for (; p < end; p = eol + 1) {
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if (strncmp(p, "error: ", 7) == 0) {
            n++;
            continue;
        }
        for (q = p; q + sizeof(tag) - 1 <= eol; q++)
            if (memcmp(q, tag, sizeof(tag) - 1) == 0) {
                n++;
                break;
            }
    }
    return n;
}

int fleetsrc_render(struct fleetsrc *s, const char *host, json_t *facts,
                    enum boot_mode mode, struct buf *out, struct buf *findings,
                    size_t *errors)
{
    json_t *extra = json_pack("{s:O}", "ovh", facts);
    int rc;

    *errors = 0;
    if (!extra)
        return -ENOMEM;
    rc = render_host(s->tmpl, s->inv, host, extra, mode_platform(mode), out,
                     findings);
    json_decref(extra);
    if (rc == 1)
        *errors = count_errors(findings);
    return rc;
}
