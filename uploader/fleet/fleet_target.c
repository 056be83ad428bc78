/* SPDX-License-Identifier: MIT */
/** @file One server of a fleet run: setting it up, freeing it, and adding
 *  to its reason and hint. */
#include "fleet_target.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int fleet_target_init(struct fleet_target *t, const char *server)
{
    memset(t, 0, sizeof(*t));
    t->restore.boot_id = -1;
    t->before.boot_id = -1;
    t->new_boot_id = -1;
    t->task_id = -1;
    buf_init(&t->findings, 1 << 20);
    buf_init(&t->diff, BUF_MAX_UNLIMITED);
    buf_init(&t->reason, 1 << 16);
    buf_init(&t->hint, 1 << 16);
    t->server = strdup(server);
    t->query_ids = json_array();
    return t->server && t->query_ids ? 0 : -ENOMEM;
}

void fleet_target_release(struct fleet_target *t)
{
    free(t->server);
    free(t->file);
    free(t->script);
    boot_state_release(&t->restore);
    boot_state_release(&t->before);
    free(t->datacenter);
    free(t->boot_type);
    free(t->boot_kernel);
    buf_release(&t->findings);
    buf_release(&t->diff);
    buf_release(&t->reason);
    buf_release(&t->hint);
    json_decref(t->query_ids);
    free(t->task_status);
    memset(t, 0, sizeof(*t));
}

void fleet_target_text_rc(struct fleet_target *t, int rc)
{
    if (rc && !t->text_err)
        t->text_err = rc;
}

void fleet_target_vreason(struct fleet_target *t, const char *fmt, va_list ap)
{
    fleet_target_text_rc(t, buf_vaddf(&t->reason, fmt, ap));
}

void fleet_target_reason(struct fleet_target *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fleet_target_vreason(t, fmt, ap);
    va_end(ap);
}

void fleet_target_hint(struct fleet_target *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fleet_target_text_rc(t, buf_vaddf(&t->hint, fmt, ap));
    va_end(ap);
}
