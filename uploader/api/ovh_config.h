/* SPDX-License-Identifier: MIT */
/** @file Credentials and settings, read as python-ovh and go-ovh read them.
 *
 * spec/ovh-api.md §3-4: the files /etc/ovh.conf, ~/.ovh.conf and
 * ./ovh.conf (then an optional extra file) are merged key by key, later
 * ones winning; a value is looked up first in the environment as
 * `OVH_<KEY>` (empty variables are ignored, as go-ovh does), then in the
 * merged files' section named after the endpoint.  The endpoint itself is
 * the command-line value, else OVH_ENDPOINT, else `[default] endpoint`,
 * else "ovh-eu".
 */
#ifndef IPXETOOL_UPLOADER_OVH_CONFIG_H
#define IPXETOOL_UPLOADER_OVH_CONFIG_H

#include <stdbool.h>

struct buf;

/** Where the files are looked for; NULL skips one.  Borrowed strings. */
struct ovh_config_paths {
    const char *system; /**< "/etc/ovh.conf" */
    const char *home;   /**< "$HOME/.ovh.conf" */
    const char *local;  /**< "./ovh.conf" */
    const char *extra;  /**< --config FILE, read last (highest priority) */
};

/** How requests are authenticated. */
enum ovh_config_auth {
    OVH_CONFIG_AUTH_NONE = 0, /**< nothing configured */
    OVH_CONFIG_AUTH_KEYS,     /**< application key/secret + consumer key */
    OVH_CONFIG_AUTH_OAUTH2,   /**< client id/secret, client credentials
                                   flow */
};

/** The resolved settings.  Every string is owned (free with
 *  ovh_config_release()); the secrets are wiped when released. */
struct ovh_config {
    char *endpoint;            /**< endpoint name or URL, never NULL */
    char *application_key;     /**< AK, or NULL */
    char *application_secret;  /**< AS (secret), or NULL */
    char *consumer_key;        /**< CK (secret), or NULL */
    char *client_id;           /**< OAuth2 client id, or NULL */
    char *client_secret;       /**< OAuth2 client secret (secret), or NULL */
    enum ovh_config_auth auth; /**< which method the values select */
};

/** The default paths; @p home_buf receives "$HOME/.ovh.conf" when HOME
 *  is set (borrowed by @p p until released). */
void ovh_config_default_paths(struct ovh_config_paths *p, struct buf *home_buf,
                              const char *extra);

/**
 * Read the files and environment and resolve the settings for
 * @p endpoint_arg (NULL: from OVH_ENDPOINT or the files).
 *
 * @ret rc  0, -EINVAL with a message in @p err (a malformed file, both
 *          authentication methods, half of a pair), or -ENOMEM
 */
int ovh_config_load(struct ovh_config *cfg,
                    const struct ovh_config_paths *paths,
                    const char *endpoint_arg, struct buf *err);

/** Free (and wipe) everything; the struct is left zeroed. */
void ovh_config_release(struct ovh_config *cfg);

/** Overwrite the NUL-terminated secret @p s, then free it; NULL-safe.
 *  For every secret held outside struct ovh_config too (the OAuth2 token). */
void ovh_config_free_secret(char *s);

#endif
