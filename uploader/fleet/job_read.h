/* SPDX-License-Identifier: MIT */
/** @file The fleet engine's reading states (CHECK, READ_SERVER,
 *  READ_HARDWARE, LINT, RENDER, DESCRIBE_BOOT, DIFF): their entry
 *  functions.  Private to uploader/fleet/.
 *
 * Each starts its state's work and returns what it came to (enum
 * job_step); JOB_STEP_WAIT means the answer's handler says it later,
 * through the run's done function.  None of them knows the next state.
 */
#ifndef IPXETOOL_UPLOADER_JOB_READ_H
#define IPXETOOL_UPLOADER_JOB_READ_H

#include "job.h"

/** CHECK: refuse what cannot or must not be sent; lint for every
 *  firmware (t->lint_errors says whether the boot mode matters). */
enum job_step job_read_check(struct job *j);

/** READ_SERVER: GET the server, its boot state (and facts to render). */
enum job_step job_read_server(struct job *j);

/** READ_HARDWARE: GET its hardware, for the boot mode. */
enum job_step job_read_hardware(struct job *j);

/** LINT: a script with errors for some firmware, linted for this
 *  server's boot mode; refused if it still has errors. */
enum job_step job_read_lint(struct job *j);

/** RENDER: render the script from the live facts, and lint it. */
enum job_step job_read_render(struct job *j);

/** DESCRIBE_BOOT: what the current bootId boots, when no script is
 *  active (get, list). */
enum job_step job_read_describe(struct job *j);

/** DIFF: the unified diff of the current script and the new one. */
enum job_step job_read_diff(struct job *j);

#endif
