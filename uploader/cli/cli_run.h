/* SPDX-License-Identifier: MIT */
/** @file The ipxe-upload command line's entry point, over the commands. */
#ifndef IPXETOOL_UPLOADER_CLI_RUN_H
#define IPXETOOL_UPLOADER_CLI_RUN_H

/** Run ipxe-upload with @p argc, @p argv.  @ret enum upload_exit (cli.h) */
int cli_run(int argc, char **argv);

#endif
