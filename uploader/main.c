/* SPDX-License-Identifier: MIT */
/** @file ipxe-upload: push iPXE scripts to OVHcloud dedicated servers. */
#include <curl/curl.h>

#include "cli.h"
#include "cli_run.h"

int main(int argc, char **argv)
{
    int rc;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return UPLOAD_EXIT_USAGE;
    rc = cli_run(argc, argv);
    curl_global_cleanup();
    return rc;
}
