/* SPDX-License-Identifier: MIT */
/** @file The ipxe-upload command line: its exit codes (the entry point
 *  is cli_run(), in cli_run.h). */
#ifndef IPXETOOL_UPLOADER_CLI_H
#define IPXETOOL_UPLOADER_CLI_H

/** Exit codes, as documented in ipxe-upload(1). */
enum upload_exit {
    UPLOAD_EXIT_OK = 0,     /**< every server ok (or unchanged) */
    UPLOAD_EXIT_FAILED = 1, /**< a server failed, was refused, or the API
                                 rejected the request */
    UPLOAD_EXIT_USAGE = 2,  /**< bad usage, configuration or system error */
};

#endif
