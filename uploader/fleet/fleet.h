/* SPDX-License-Identifier: MIT */
/** @file The fleet engine: one state machine per server, many in flight.
 *
 * Every command that touches servers runs here, for one server or a
 * thousand: up to `jobs` servers are in flight on the shared multi handle
 * and each walks its own state machine.  For a push:
 *
 *     lint -> read -> identical?  -> unchanged            (1 request)
 *                  -> journal -> PUT -> read back -> updated (3 requests)
 *                                                 -> reboot -> wait task
 *
 * A script with lint errors is refused before anything is sent (the
 * server's boot mode is read only when the script is not clean for every
 * firmware).  With a render hook (push --template), the script is made
 * per server from its live facts instead:
 *
 *     read -> boot mode -> render + lint -> identical? -> unchanged (2)
 *                                        -> journal -> PUT -> read back (4)
 *  The journal record is durable before the PUT; a PUT whose
 * outcome is unknown is settled by reading back; a read-back that differs
 * restores the previous state.  So each server ends unchanged, updated
 * (and verified), refused, or failed with its previous state intact and
 * the reason reported.  The engine never prints: results are handed to
 * the caller's callback.
 */
#ifndef IPXETOOL_UPLOADER_FLEET_H
#define IPXETOOL_UPLOADER_FLEET_H

#include <stdbool.h>
#include <stddef.h>

#include "fleet_opts.h"
#include "fleet_target.h"
#include "journal.h"
#include "scriptlint.h"

struct api;
struct http_client;

/**
 * Run @p o->op on every target until each has an outcome.  Targets
 * already marked (FLEET_SKIPPED) are left alone.
 *
 * @ret rc  0 (per-server failures are in the targets), or -ENOMEM / -EIO
 *          when the engine itself could not run
 */
int fleet_run(struct api *a, struct http_client *http,
              const struct fleet_opts *o, struct fleet_target *targets,
              size_t n);

/** The name of a state, for debugging and logs ("VERIFY"). */
const char *fleet_state_name(enum fleet_state s);

/** The lower-case name of an outcome ("updated"). */
const char *fleet_outcome_name(enum fleet_outcome o);

/** Whether @p server is a plausible service name: letters, digits and
 *  ".-_", so it can never change the path it is put in. */
bool fleet_valid_server(const char *server);

#endif
