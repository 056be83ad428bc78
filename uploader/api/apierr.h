/* SPDX-License-Identifier: MIT */
/** @file Turning an OVHcloud API failure into a message a user can act on.
 *
 * The API answers errors in two JSON shapes (spec §5): the legacy
 * `{errorCode, httpCode, message}` and the newer `{class, message,
 * details}`; a 5xx may be HTML.  Both are read; the message says what
 * went wrong first and the hint what to do.
 */
#ifndef IPXETOOL_UPLOADER_APIERR_H
#define IPXETOOL_UPLOADER_APIERR_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/** What an error body said.  Strings are owned; free with
 *  apierr_release(). */
struct apierr {
    long status;   /**< HTTP status */
    char *code;    /**< errorCode or class, or NULL */
    char *message; /**< the API's own message (or a body excerpt), or NULL */
    char *details; /**< IAM actions not granted, comma-separated, or NULL */
};

/** The most values a JSON answer may hold to be parsed: a parsed value
 *  takes some 50 bytes however few it took in the answer (a 60 MiB
 *  "[0,0,...]" would take 1.3 GB), and no answer of the API holds that
 *  many (a list of 100,000 servers holds 100,001). */
#define APIERR_MAX_JSON_VALUES 200000

/**
 * An upper bound on the values the JSON text at @p body holds (one, plus
 * one per ',', ':', '[' and '{' outside strings), counted no further than
 * @p max + 1, so that a text over the bound is known before it is parsed.
 */
size_t apierr_json_values(const char *body, size_t len, size_t max);

/** Read an error body of any shape; one over APIERR_MAX_JSON_VALUES is
 *  read as a body that is not JSON.  @ret rc 0 or -ENOMEM. */
int apierr_parse(struct apierr *e, long status, const char *body, size_t len);

void apierr_release(struct apierr *e);

/** Whether the API refused the signature or the timestamp, the case in
 *  which the client re-reads the API's clock once. */
bool apierr_is_signature(const struct apierr *e);

/**
 * Describe the failure of @p method @p path.
 *
 * @v endpoint  endpoint name, for hints
 * @v msg       receives "what is wrong"
 * @v hint      receives "what to do", possibly nothing
 */
int apierr_describe(const struct apierr *e, const char *method,
                    const char *path, const char *endpoint, struct buf *msg,
                    struct buf *hint);

#endif
