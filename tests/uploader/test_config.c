/* SPDX-License-Identifier: MIT */
/** @file Configuration precedence: files merged key by key, the section
 *  named after the endpoint, OVH_* variables first, the endpoint choice,
 *  and the errors python-ovh and go-ovh give. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "endpoint.h"
#include "ovh_config.h"
#include "test.h"

static char root[64];
static char sys_path[300], home_path[300], local_path[300], extra_path[300];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    check(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

static void clear_env(void)
{
    static const char *vars[] = {
        "OVH_ENDPOINT",     "OVH_APPLICATION_KEY", "OVH_APPLICATION_SECRET",
        "OVH_CONSUMER_KEY", "OVH_CLIENT_ID",       "OVH_CLIENT_SECRET"};
    size_t i;

    for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
}

static int load(struct ovh_config *cfg, const char *ep, struct buf *err)
{
    struct ovh_config_paths p;
    struct buf home;
    int rc;

    buf_init(&home, 4096);
    ovh_config_default_paths(&p, &home, NULL);
    /* /etc is not ours to write: the system file lives in the temp dir. */
    p.system = sys_path;
    rc = ovh_config_load(cfg, &p, ep, err);
    buf_release(&home);
    return rc;
}

/* The go-ovh/python-ovh test: system gives the AK, user the AS, local
 * the CK, all in the endpoint's section. */
static void test_merge(void)
{
    struct ovh_config cfg;
    struct buf err;

    buf_init(&err, 4096);
    clear_env();
    write_file(sys_path, "[default]\nendpoint=ovh-ca\n\n[ovh-ca]\n"
                         "application_key=system\n"
                         "application_secret=system\n"
                         "consumer_key=system\n");
    write_file(home_path, "; user file\n[ovh-ca]\napplication_secret = user\n"
                          "consumer_key = user\n");
    write_file(local_path, "[ovh-ca]\n# local\nconsumer_key: local\n"
                           "[ovh-eu]\nconsumer_key=other\n");
    check(load(&cfg, NULL, &err) == 0);
    check_streq(cfg.endpoint, "ovh-ca");
    check_streq(cfg.application_key, "system");
    check_streq(cfg.application_secret, "user");
    check_streq(cfg.consumer_key, "local");
    check(cfg.auth == OVH_CONFIG_AUTH_KEYS);
    ovh_config_release(&cfg);

    /* The environment beats every file; an empty variable is ignored. */
    setenv("OVH_CONSUMER_KEY", "env", 1);
    setenv("OVH_APPLICATION_SECRET", "", 1);
    check(load(&cfg, NULL, &err) == 0);
    check_streq(cfg.consumer_key, "env");
    check_streq(cfg.application_secret, "user");
    ovh_config_release(&cfg);

    /* OVH_ENDPOINT beats [default]; the argument beats OVH_ENDPOINT. */
    setenv("OVH_ENDPOINT", "ovh-eu", 1);
    check(load(&cfg, NULL, &err) == 0);
    check_streq(cfg.endpoint, "ovh-eu");
    check(cfg.application_key == NULL);
    ovh_config_release(&cfg);
    check(load(&cfg, "ovh-ca", &err) == 0);
    check_streq(cfg.endpoint, "ovh-ca");
    check_streq(cfg.application_key, "system");
    ovh_config_release(&cfg);
    clear_env();
    buf_release(&err);
}

static void test_defaults_and_errors(void)
{
    struct ovh_config cfg;
    struct buf err;

    buf_init(&err, 4096);
    clear_env();
    unlink(sys_path);
    unlink(home_path);
    unlink(local_path);

    /* Nothing anywhere: go-ovh's default endpoint, no credentials. */
    check(load(&cfg, NULL, &err) == 0);
    check_streq(cfg.endpoint, "ovh-eu");
    check(cfg.auth == OVH_CONFIG_AUTH_NONE);
    ovh_config_release(&cfg);

    /* A URL endpoint's section is named after the URL. */
    write_file(local_path, "[https://127.0.0.1:8443/1.0]\n"
                           "client_id=id\nclient_secret=s3cret\n");
    check(load(&cfg, "https://127.0.0.1:8443/1.0", &err) == 0);
    check(cfg.auth == OVH_CONFIG_AUTH_OAUTH2);
    check_streq(cfg.client_secret, "s3cret");
    ovh_config_release(&cfg);

    /* Both methods at once, half a pair, a malformed file. */
    write_file(local_path, "[ovh-eu]\napplication_key=a\n"
                           "application_secret=b\nclient_id=c\n"
                           "client_secret=d\n");
    buf_truncate(&err, 0);
    check(load(&cfg, NULL, &err) == -EINVAL);
    check(strstr(err.data, "only one authentication method") != NULL);

    write_file(local_path, "[ovh-eu]\napplication_key=a\n");
    buf_truncate(&err, 0);
    check(load(&cfg, NULL, &err) == -EINVAL);
    check(strstr(err.data, "application_secret") != NULL);

    write_file(local_path, "[ovh\napplication_key=a\n");
    buf_truncate(&err, 0);
    check(load(&cfg, NULL, &err) == -EINVAL);
    check(strstr(err.data, "ovh.conf:1: unclosed section") != NULL);

    write_file(local_path, "application_key=a\n");
    buf_truncate(&err, 0);
    check(load(&cfg, NULL, &err) == -EINVAL);
    check(strstr(err.data, "outside any [section]") != NULL);

    /* An extra --config file wins over ./ovh.conf. */
    {
        struct ovh_config_paths p;
        struct buf home;

        write_file(local_path, "[ovh-eu]\napplication_key=local\n"
                               "application_secret=local\n");
        write_file(extra_path, "[ovh-eu]\napplication_key=extra\n");
        buf_init(&home, 4096);
        ovh_config_default_paths(&p, &home, extra_path);
        p.system = sys_path;
        check(ovh_config_load(&cfg, &p, NULL, &err) == 0);
        check_streq(cfg.application_key, "extra");
        check_streq(cfg.application_secret, "local");
        ovh_config_release(&cfg);
        buf_release(&home);
    }
    buf_release(&err);
}

static void test_endpoints(void)
{
    struct endpoint ep;
    struct buf err, url;

    buf_init(&err, 4096);
    buf_init(&url, 4096);
    check(endpoint_resolve(&ep, "ovh-us", &err) == 0);
    check_streq(ep.base, "https://api.us.ovhcloud.com/1.0");
    check_streq(ep.token_url, "https://us.ovhcloud.com/auth/oauth2/token");
    check(endpoint_url(&ep, "/dedicated/server/x", &url) == 0);
    check_streq(url.data, "https://api.us.ovhcloud.com/1.0/dedicated/server/x");
    buf_truncate(&url, 0);
    check(endpoint_url(&ep, "/v1/dedicated/server/x", &url) == 0);
    check_streq(url.data, "https://api.us.ovhcloud.com/v1/dedicated/server/x");
    buf_truncate(&url, 0);
    check(endpoint_web_root(&ep, &url) == 0);
    check_streq(url.data, "https://api.us.ovhcloud.com");
    /* Only a whole /v1 segment is versioned. */
    buf_truncate(&url, 0);
    check(endpoint_url(&ep, "/v1x", &url) == 0);
    check_streq(url.data, "https://api.us.ovhcloud.com/1.0/v1x");
    endpoint_release(&ep);

    check(endpoint_resolve(&ep, "kimsufi-ca", &err) == 0);
    check(ep.token_url == NULL);
    endpoint_release(&ep);

    check(endpoint_resolve(&ep, "https://127.0.0.1:9/1.0", &err) == 0);
    check(ep.is_url);
    check_streq(ep.token_url, "https://127.0.0.1:9/auth/oauth2/token");
    endpoint_release(&ep);

    check(endpoint_resolve(&ep, "ovh-xx", &err) == -EINVAL);
    check(endpoint_resolve(&ep, "http://127.0.0.1/1.0", &err) == -EINVAL);
    check(endpoint_resolve(&ep, "https://127.0.0.1/1.0/", &err) == -EINVAL);
    buf_release(&err);
    buf_release(&url);
}

int main(void)
{
    char home_dir[280], work_dir[280];

    snprintf(root, sizeof(root), "/tmp/ipxekit-config-XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 2;
    }
    snprintf(home_dir, sizeof(home_dir), "%s/home", root);
    snprintf(work_dir, sizeof(work_dir), "%s/work", root);
    mkdir(home_dir, 0700);
    mkdir(work_dir, 0700);
    snprintf(sys_path, sizeof(sys_path), "%s/etc-ovh.conf", root);
    snprintf(home_path, sizeof(home_path), "%s/.ovh.conf", home_dir);
    snprintf(local_path, sizeof(local_path), "%s/ovh.conf", work_dir);
    snprintf(extra_path, sizeof(extra_path), "%s/extra.conf", root);
    setenv("HOME", home_dir, 1);
    if (chdir(work_dir) != 0) {
        perror("chdir");
        return 2;
    }

    test_merge();
    test_defaults_and_errors();
    test_endpoints();

    unlink(sys_path);
    unlink(home_path);
    unlink(local_path);
    unlink(extra_path);
    rmdir(home_dir);
    rmdir(work_dir);
    rmdir(root);
    return test_failures ? 1 : 0;
}
