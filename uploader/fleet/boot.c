/* SPDX-License-Identifier: MIT */
/** @file What a server boots: boot modes and boot states. */
#include "boot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The API's spellings, one table for both directions. */
static const char *const mode_names[] = {
    [BOOT_MODE_LEGACY] = "legacy",
    [BOOT_MODE_UEFI] = "uefi",
    [BOOT_MODE_UEFI_LEGACY] = "uefi-legacy",
};

#define NMODES (sizeof(mode_names) / sizeof(mode_names[0]))

enum boot_mode boot_mode_parse(const char *s)
{
    size_t m;

    for (m = 0; s && m < NMODES; m++)
        if (mode_names[m] && strcmp(s, mode_names[m]) == 0)
            return (enum boot_mode)m;
    return BOOT_MODE_UNKNOWN;
}

const char *boot_mode_name(enum boot_mode m)
{
    return (size_t)m < NMODES && mode_names[m] ? mode_names[m] : "unknown";
}

json_t *boot_state_json(const struct boot_state *s)
{
    json_t *script =
        s->script ? json_stringn(s->script, s->script_len) : json_null();
    json_t *id = s->boot_id >= 0 ? json_integer(s->boot_id) : json_null();

    return json_pack("{s:o, s:o}", "bootScript", script, "bootId", id);
}

int boot_state_from_json(struct boot_state *s, json_t *obj)
{
    json_t *script = json_object_get(obj, "bootScript");
    json_t *id = json_object_get(obj, "bootId");

    memset(s, 0, sizeof(*s));
    s->boot_id = -1;
    if (!json_is_object(obj))
        return -EINVAL;
    if (json_is_integer(id))
        s->boot_id = (long long)json_integer_value(id);
    else if (id && !json_is_null(id))
        return -EINVAL;
    if (json_is_string(script)) {
        s->script_len = json_string_length(script);
        s->script = malloc(s->script_len + 1);
        if (!s->script)
            return -ENOMEM;
        memcpy(s->script, json_string_value(script), s->script_len + 1);
    } else if (script && !json_is_null(script)) {
        return -EINVAL;
    }
    return 0;
}

void boot_state_release(struct boot_state *s)
{
    free(s->script);
    s->script = NULL;
    s->script_len = 0;
    s->boot_id = -1;
}

bool boot_state_equal(const struct boot_state *a, const struct boot_state *b)
{
    if (a->boot_id != b->boot_id || !a->script != !b->script)
        return false;
    if (!a->script)
        return true;
    return a->script_len == b->script_len &&
           memcmp(a->script, b->script, a->script_len) == 0;
}
