/* SPDX-License-Identifier: MIT */
/** @file The fleet engine's writing states (COMPARE, JOURNAL, PUT,
 *  RESTORE, VERIFY and VERIFY_RESTORE, LIST_BOOTS, READ_BOOT, REBOOT,
 *  WAIT_TASK): their entry functions.  Private to uploader/fleet/.
 *
 * Each starts its state's work and returns what it came to (enum
 * job_step); JOB_STEP_WAIT means an answer, a timer or the journal says
 * it later, through the run's done function.  None of them knows the next
 * state: what it found is in the job (j->readback, t->new_boot_id).
 */
#ifndef IPXETOOL_UPLOADER_JOB_WRITE_H
#define IPXETOOL_UPLOADER_JOB_WRITE_H

#include "job.h"

/** COMPARE: want what push or rollback writes (job_is_wanted() then
 *  tells whether the server already has it). */
enum job_step job_write_compare(struct job *j);

/** JOURNAL: the intent record, until it is durable. */
enum job_step job_write_journal(struct job *j);

/** PUT: write the wanted state (j->want); whatever the answer, the
 *  read-back settles it. */
enum job_step job_write_put(struct job *j);

/** RESTORE: put the previous state (t->before) back. */
enum job_step job_write_restore(struct job *j);

/** VERIFY and VERIFY_RESTORE: read the server back and judge it
 *  (j->readback). */
enum job_step job_write_verify(struct job *j);

/** LIST_BOOTS: the candidate netboots of disk or rescue (a lone
 *  harddisk one is it: t->new_boot_id). */
enum job_step job_write_list_boots(struct job *j);

/** READ_BOOT: look at the next candidate's kernel (t->new_boot_id is set
 *  when it is the one). */
enum job_step job_write_lookup_next(struct job *j);

/** REBOOT: hard reboot the server; keep the task. */
enum job_step job_write_reboot(struct job *j);

/** WAIT_TASK: poll the reboot task until it ends. */
enum job_step job_write_wait_task(struct job *j);

#endif
